//! Tests of spinal cord scenarios (`tissue = "cord"`): valid files to typed values, every
//! cord-specific error (key and message), the resolved round trip and the schema.

use super::*;
use crate::delivery::route::Route;
use crate::grid::GridKind;
use crate::params::Registry;
use crate::sci::injury::{ContusionInput, CordInjury, InjurySpecies};

/// A mouse contusion (IH impactor) with an i.v. CCR2-membrane carrier arm.
const MOUSE: &str = r#"[scenario]
name = "mouse T10 contusion, CCR2 trap"
tissue = "cord"
species = "mouse_thoracic"

[grid]
kind = "axisymmetric"
spacing = "0.05 mm"

[solver]
mode = "transient"
end_time = "28 d"
dt = "2 h"

[[arm]]
name = "injury_only"
role = "injury_only"
[arm.injury]
type = "contusion"
device = "impactor"
force = "65 kdyn"

[[arm]]
name = "ccr2_iv"
[arm.injury]
type = "contusion"
device = "impactor"
force = "65 kdyn"
time = "0 d"
[[arm.treatment]]
carrier = "ccr2_membrane_plga"
dose = "100 ug"
volume = "200 uL"
time = "3 h"
route = "intravenous"
disable = ["ccl2_trap"]
"#;

/// A rat weight drop and a rat compression, with `[cord]` settings.
const RAT: &str = r#"[scenario]
name = "rat cord"
tissue = "cord"
species = "rat_thoracic"

[grid]
kind = "cartesian3d"
spacing = "0.1 mm"

[solver]
mode = "transient"
end_time = "42 d"
dt = "6 h"

[cord]
axial_ends = "continuation"
chemotaxis = false

[[arm]]
name = "nyu"
[arm.injury]
type = "contusion"
device = "weight_drop"
mass = "10 g"
height = "2.5 cm"
time = "1 h"

[[arm]]
name = "sheet"
[arm.injury]
type = "compression"
ratio = 0.35
time = "1 d"
rise_time = "20 h"
decompression = "14 d"
ischaemia = false
[[arm.treatment]]
carrier = "ccr2_membrane_plga"
dose = "5 ug"
volume = "10 uL"
route = "intrathecal"
"#;

fn registry() -> Registry {
    Registry::builtin()
}

fn parsed(text: &str) -> Scenario {
    parse(text, &registry()).unwrap_or_else(|e| panic!("{}", e.render("cord")))
}

fn errors(text: &str) -> Vec<ScenarioError> {
    match parse(text, &registry()) {
        Ok(s) => panic!("expected errors, parsed {s:?}"),
        Err(e) => e.0,
    }
}

fn find<'e>(errors: &'e [ScenarioError], key: &str) -> &'e ScenarioError {
    errors
        .iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| panic!("no error with key {key} in {errors:#?}"))
}

/// `base` with `from` replaced by `to` (which must occur).
fn with(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "{from}");
    base.replacen(from, to, 1)
}

/// The only error of `text`, which must be at `key`; returns it.
fn only_error(text: &str, key: &str) -> ScenarioError {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].key, key, "{e:#?}");
    e[0].clone()
}

#[test]
fn mouse_contusion_with_an_intravenous_ccr2_carrier_parses() {
    let s = parsed(MOUSE);
    assert_eq!(s.tissue, Tissue::Cord);
    assert_eq!(s.tissue.id(), "cord");
    assert_eq!(s.species, "mouse_thoracic");
    assert_eq!(s.grade, 0, "a cord has no grade");
    assert_eq!(s.cord, CordSpec::default());
    assert_eq!(s.cord.axial_ends, AxialEnds::NoFlux);
    assert!(s.cord.chemotaxis);
    assert_eq!(s.grid.kind, GridKind::Axisymmetric);
    assert_eq!(s.grid.spacing_mm, 0.05);
    assert_eq!(s.solver.mode, Mode::Transient);
    assert_eq!(s.solver.end_time_s, 28.0 * 86400.0);
    assert_eq!(s.solver.dt_s, 7200.0);
    assert_eq!(s.boundary, BoundarySpec::default());
    assert!(!s.biology.enabled);
    assert_eq!(s.arms.len(), 2);
    let contusion = CordInjury::Contusion {
        input: ContusionInput::ImpactorForce {
            species: InjurySpecies::Mouse,
            force_kdyn: 65.0,
        },
        time_s: 0.0,
    };
    for arm in &s.arms {
        assert_eq!(arm.cord_injury, Some(contusion));
        assert_eq!(arm.injury, None);
        assert_eq!(arm.grade, None);
    }
    assert_eq!(s.arms[0].role, ArmRole::InjuryOnly);
    let arm = &s.arms[1];
    assert_eq!(arm.role, ArmRole::Treatment);
    let t = &arm.treatments[0];
    assert_eq!(t.carrier, "ccr2_membrane_plga");
    assert_eq!(t.route, Route::Intravenous);
    let DoseAmount::MassNg(ng) = t.dose else {
        panic!("{:?}", t.dose)
    };
    assert!((ng - 1e5).abs() < 1e-9, "100 ug = 1e5 ng, got {ng}");
    assert_eq!(t.volume_mm3, 200.0);
    assert_eq!(t.time_s, 3.0 * 3600.0);
    assert_eq!(t.disable, vec![Mechanism::Ccl2Trap]);
    assert_eq!(t.key, "arm[1].treatment[0]");
}

#[test]
fn rat_weight_drop_and_compression_parse_to_model_units() {
    let s = parsed(RAT);
    assert_eq!(s.grid.kind, GridKind::Cartesian3d);
    assert_eq!(
        s.cord,
        CordSpec {
            axial_ends: AxialEnds::Continuation,
            chemotaxis: false
        }
    );
    assert_eq!(
        s.arms[0].cord_injury,
        Some(CordInjury::Contusion {
            input: ContusionInput::WeightDrop {
                species: InjurySpecies::Rat,
                mass_g: 10.0,
                height_mm: 25.0, // 2.5 cm
            },
            time_s: 3600.0,
        })
    );
    assert_eq!(
        s.arms[1].cord_injury,
        Some(CordInjury::Compression {
            compression_ratio: 0.35,
            onset_s: 86400.0,
            rise_time_s: 20.0 * 3600.0,
            decompression_s: Some(14.0 * 86400.0),
            ischaemia: false,
        })
    );
    assert_eq!(s.arms[1].treatments[0].route, Route::Intrathecal);
    assert_eq!(s.arms[1].treatments[0].site, crate::delivery::Site::Np);
}

#[test]
fn compression_defaults_and_the_severity_device() {
    let text = with(
        RAT,
        "ratio = 0.35\ntime = \"1 d\"\nrise_time = \"20 h\"\ndecompression = \"14 d\"\nischaemia = false\n",
        "ratio = 0.5\n",
    );
    let s = parsed(&text);
    assert_eq!(
        s.arms[1].cord_injury,
        Some(CordInjury::Compression {
            compression_ratio: 0.5,
            onset_s: 0.0,
            rise_time_s: 0.0,
            decompression_s: None,
            ischaemia: true,
        })
    );
    // the human cervical cord takes the severity itself; a local injection is the default route
    let human = with(
        &with(
            &text,
            "species = \"rat_thoracic\"",
            "species = \"human_cervical\"",
        ),
        "device = \"weight_drop\"\nmass = \"10 g\"\nheight = \"2.5 cm\"",
        "device = \"severity\"\nseverity = 0.7",
    );
    let human = with(&human, "route = \"intrathecal\"\n", "");
    let s = parsed(&human);
    assert_eq!(
        s.arms[0].cord_injury,
        Some(CordInjury::Contusion {
            input: ContusionInput::Severity { severity: 0.7 },
            time_s: 3600.0
        })
    );
    assert_eq!(s.arms[1].treatments[0].route, Route::Local);
}

#[test]
fn species_must_match_the_tissue() {
    // a disc preset in a cord scenario
    let e = only_error(
        &with(MOUSE, "\"mouse_thoracic\"", "\"rat_caudal\""),
        "scenario.species",
    );
    assert!(e.message.contains("disc preset"), "{e}");
    assert_eq!(e.value.as_deref(), Some("rat_caudal"));
    let allowed = e.allowed.unwrap_or_default();
    for p in crate::anatomy::cord::CORD_PRESETS {
        assert!(allowed.contains(p), "{allowed}");
    }
    assert_eq!((e.line, e.column), (4, 11));
    // a near miss of a cord preset
    let e = only_error(
        &with(MOUSE, "\"mouse_thoracic\"", "\"mouse_thorasic\""),
        "scenario.species",
    );
    assert_eq!(e.message, "unknown species");
    assert_eq!(e.suggestion.as_deref(), Some("mouse_thoracic"));
    assert!(e.allowed.unwrap_or_default().contains("human_cervical"));
    // a cord preset in a disc scenario: the hint names the tissue setting
    let disc = r#"[scenario]
name = "d"
species = "rat_thoracic"
grade = 2
[grid]
kind = "axisymmetric"
spacing = "0.1 mm"
[solver]
mode = "steady"
"#;
    let e = only_error(disc, "scenario.species");
    assert!(e.message.contains("set tissue = \"cord\""), "{e}");
    assert_eq!(e.suggestion.as_deref(), Some("tissue = \"cord\""));
    assert!(e.allowed.unwrap_or_default().contains("human_l4l5"));
    // an unknown tissue
    let e = only_error(
        &with(MOUSE, "tissue = \"cord\"", "tissue = \"chord\""),
        "scenario.tissue",
    );
    assert_eq!(e.suggestion.as_deref(), Some("cord"));
    assert_eq!(e.allowed.as_deref(), Some("disc, cord"));
}

#[test]
fn disc_settings_are_errors_in_a_cord() {
    let text = with(
        MOUSE,
        "species = \"mouse_thoracic\"\n",
        "species = \"mouse_thoracic\"\ngrade = 2\n",
    );
    let e = only_error(&text, "scenario.grade");
    assert_eq!(e.message, "`grade` applies to tissue = \"disc\" only");
    assert_eq!(e.line, 5);
    let text = with(
        MOUSE,
        "name = \"ccr2_iv\"\n",
        "name = \"ccr2_iv\"\ngrade = 3\n",
    );
    let e = only_error(&text, "arm[1].grade");
    assert!(e.message.contains("tissue = \"disc\" only"), "{e}");
    let text = with(
        MOUSE,
        "spacing = \"0.05 mm\"\n",
        "spacing = \"0.05 mm\"\nshape = \"kidney\"\n",
    );
    let e = only_error(&text, "grid.shape");
    assert!(e.message.contains("tissue = \"disc\" only"), "{e}");
    for (table, body) in [
        ("boundary", "form = \"robin\""),
        ("biology", "enabled = true"),
    ] {
        let text = format!("{MOUSE}\n[{table}]\n{body}\n");
        let e = only_error(&text, table);
        assert_eq!(
            e.message,
            format!("[{table}] applies to tissue = \"disc\" only"),
            "{e}"
        );
    }
    let e = only_error(
        &with(MOUSE, "mode = \"transient\"", "mode = \"steady\""),
        "solver.mode",
    );
    assert!(e.message.contains("transient only"), "{e}");
    assert_eq!(e.allowed.as_deref(), Some("transient"));
    let e = errors(&with(
        MOUSE,
        "dt = \"2 h\"\n",
        "dt = \"2 h\"\nmethod = \"lod\"\ninitial = \"boundary\"\n",
    ));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(find(&e, "solver.method").message.contains("not used"));
    assert!(find(&e, "solver.initial").message.contains("not used"));
    // end_time and dt stay required
    let e = errors(&with(MOUSE, "end_time = \"28 d\"\n", ""));
    assert!(find(&e, "solver.end_time").message.contains("missing"));
}

#[test]
fn cord_table_only_in_a_cord() {
    let disc = r#"[scenario]
name = "d"
species = "rat_caudal"
grade = 2
[grid]
kind = "axisymmetric"
spacing = "0.1 mm"
[solver]
mode = "steady"
[cord]
chemotaxis = false
"#;
    let e = only_error(disc, "cord");
    assert_eq!(e.message, "[cord] applies to tissue = \"cord\" only");
    assert_eq!(e.line, 10);
    let e = only_error(
        &with(
            RAT,
            "axial_ends = \"continuation\"",
            "axial_ends = \"open\"",
        ),
        "cord.axial_ends",
    );
    assert_eq!(e.allowed.as_deref(), Some("no_flux, continuation"));
    let e = only_error(
        &with(RAT, "chemotaxis = false", "chemotacsis = false"),
        "cord.chemotacsis",
    );
    assert_eq!(e.suggestion.as_deref(), Some("chemotaxis"));
}

#[test]
fn injuries_must_match_the_tissue() {
    let text = with(
        MOUSE,
        "type = \"contusion\"\ndevice = \"impactor\"\nforce = \"65 kdyn\"\n",
        "type = \"needle_puncture\"\ngauge = 20\n",
    );
    let e = only_error(&text, "arm[0].injury.type");
    assert!(e.message.contains("disc injury"), "{e}");
    assert!(e.message.contains("tissue = \"cord\""), "{e}");
    assert_eq!(
        e.allowed.as_deref(),
        Some("for tissue = \"cord\": contusion, compression")
    );
    let disc = r#"[scenario]
name = "d"
species = "rat_caudal"
grade = 2
[grid]
kind = "axisymmetric"
spacing = "0.1 mm"
[solver]
mode = "steady"
[[arm]]
name = "a"
[arm.injury]
type = "contusion"
device = "severity"
severity = 0.5
"#;
    let e = only_error(disc, "arm[0].injury.type");
    assert!(e.message.contains("spinal cord injury"), "{e}");
    assert!(e.message.contains("tissue = \"disc\""), "{e}");
    assert!(e.allowed.unwrap_or_default().contains("needle_puncture"));
    assert_eq!(e.suggestion.as_deref(), Some("tissue = \"cord\""));
    assert_eq!((e.line, e.column), (13, 8));
    // an unknown cord type gets the closest cord type
    let e = only_error(
        &with(RAT, "type = \"compression\"", "type = \"compresion\""),
        "arm[1].injury.type",
    );
    assert_eq!(e.suggestion.as_deref(), Some("compression"));
}

#[test]
fn device_keys_must_belong_to_the_device() {
    let text = with(
        MOUSE,
        "force = \"65 kdyn\"\n\n",
        "force = \"65 kdyn\"\nmass = \"10 g\"\n\n",
    );
    let e = only_error(&text, "arm[0].injury.mass");
    assert!(
        e.message
            .contains("does not belong to device = \"impactor\""),
        "{e}"
    );
    assert_eq!(
        e.allowed.as_deref(),
        Some("for device = \"impactor\": force")
    );
    // the device's own key is required
    let text = with(MOUSE, "force = \"65 kdyn\"\n\n", "\n");
    let e = only_error(&text, "arm[0].injury.force");
    assert!(e.message.contains("missing"), "{e}");
    // compression keys are unknown in a contusion
    let text = with(
        MOUSE,
        "force = \"65 kdyn\"\n\n",
        "force = \"65 kdyn\"\nratio = 0.3\n\n",
    );
    let e = only_error(&text, "arm[0].injury.ratio");
    assert!(e.message.contains("unknown key"), "{e}");
    // a force needs a force unit
    let text = with(MOUSE, "force = \"65 kdyn\"\n\n", "force = \"65 g\"\n\n");
    let e = only_error(&text, "arm[0].injury.force");
    assert!(e.message.contains("wrong dimension"), "{e}");
}

#[test]
fn the_human_cord_takes_only_a_severity() {
    let text = with(
        MOUSE,
        "species = \"mouse_thoracic\"",
        "species = \"human_cervical\"",
    );
    let e = errors(&text);
    assert_eq!(e.len(), 2, "{e:#?}");
    for arm in [0, 1] {
        let x = find(&e, &format!("arm[{arm}].injury.device"));
        assert!(x.message.contains("human_cervical"), "{x}");
        assert_eq!(
            x.allowed.as_deref(),
            Some("for species = \"human_cervical\": severity")
        );
        assert_eq!(x.value.as_deref(), Some("impactor"));
    }
}

#[test]
fn out_of_range_device_inputs_report_the_injury_model_error() {
    let e = only_error(
        &with(MOUSE, "force = \"65 kdyn\"", "force = \"-5 kdyn\""),
        "arm[0].injury.force",
    );
    assert!(e.message.contains("contusion.force_kdyn = -5"), "{e}");
    assert_eq!(e.value.as_deref(), Some("-5 kdyn"));
    assert_eq!((e.line, e.column), (21, 9));
    // a displacement beyond the rat cord's AP diameter (2.0 mm, cord.rat_thoracic.ap_diameter)
    let text = with(
        RAT,
        "device = \"weight_drop\"\nmass = \"10 g\"\nheight = \"2.5 cm\"",
        "device = \"displacement\"\ndisplacement = \"2.5 mm\"",
    );
    let e = only_error(&text, "arm[0].injury.displacement");
    assert!(e.message.contains("< 2 mm"), "{e}");
    assert_eq!(e.value.as_deref(), Some("2.5 mm"));
    let e = only_error(
        &with(RAT, "height = \"2.5 cm\"", "height = \"-1 mm\""),
        "arm[0].injury.height",
    );
    assert!(e.message.contains("height_mm"), "{e}");
    // a severity above 1
    let text = with(
        RAT,
        "device = \"weight_drop\"\nmass = \"10 g\"\nheight = \"2.5 cm\"",
        "device = \"severity\"\nseverity = 1.5",
    );
    let e = only_error(&text, "arm[0].injury.severity");
    assert!(e.message.contains("contusion.severity = 1.5"), "{e}");
    // the mouse has no weight-drop anchors: blamed on the device
    let text = with(
        MOUSE,
        "device = \"impactor\"\nforce = \"65 kdyn\"\n\n",
        "device = \"weight_drop\"\nmass = \"10 g\"\nheight = \"12.5 mm\"\n\n",
    );
    let e = only_error(&text, "arm[0].injury.device");
    assert!(e.message.contains("weight-drop"), "{e}");
    let e = only_error(
        &with(RAT, "time = \"1 h\"", "time = \"-1 h\""),
        "arm[0].injury.time",
    );
    assert!(e.message.contains("time_s"), "{e}");
}

#[test]
fn compression_ratio_and_times_are_checked() {
    for bad in ["0", "1", "1.2", "-0.1"] {
        let e = only_error(
            &with(RAT, "ratio = 0.35", &format!("ratio = {bad}")),
            "arm[1].injury.ratio",
        );
        assert_eq!(e.message, "out of range", "{bad}");
        assert!(e.allowed.unwrap_or_default().contains("0 < ratio < 1"));
    }
    let e = only_error(
        &with(RAT, "decompression = \"14 d\"", "decompression = \"12 h\""),
        "arm[1].injury.decompression",
    );
    assert!(e.message.contains("after the onset"), "{e}");
    assert_eq!(e.value.as_deref(), Some("12 h"));
    assert_eq!(e.allowed.as_deref(), Some("a time after `time` (\"1 d\")"));
    // equal to the onset is not after it
    let e = only_error(
        &with(RAT, "decompression = \"14 d\"", "decompression = \"24 h\""),
        "arm[1].injury.decompression",
    );
    assert!(e.message.contains("after the onset"), "{e}");
    let e = only_error(
        &with(RAT, "rise_time = \"20 h\"", "rise_time = \"-2 h\""),
        "arm[1].injury.rise_time",
    );
    assert!(e.message.contains("rise_time_s"), "{e}");
    let e = only_error(
        &with(RAT, "ratio = 0.35", "ratio = 0.35\nforce = \"1 kdyn\""),
        "arm[1].injury.force",
    );
    assert!(e.message.contains("unknown key"), "{e}");
}

#[test]
fn routes_and_disc_only_treatment_keys() {
    // a disc takes local injections only
    let disc = r#"[scenario]
name = "d"
species = "rat_caudal"
grade = 2
[grid]
kind = "axisymmetric"
spacing = "0.1 mm"
[solver]
mode = "transient"
end_time = "7 d"
dt = "1 d"
[[arm]]
name = "a"
[[arm.treatment]]
carrier = "plga_microsphere"
dose = "1 ug"
volume = "1 uL"
route = "intravenous"
"#;
    let e = only_error(disc, "arm[0].treatment[0].route");
    assert!(
        e.message.contains("applies to tissue = \"cord\" only"),
        "{e}"
    );
    assert_eq!(e.allowed.as_deref(), Some("for tissue = \"disc\": local"));
    assert_eq!((e.line, e.column), (18, 9));
    let local = parsed(&with(disc, "\"intravenous\"", "\"local\""));
    assert_eq!(local.arms[0].treatments[0].route, Route::Local);
    // a cord takes no site and no hindrance law
    for (key, value) in [("site", "\"af\""), ("hindrance", "\"ogston\"")] {
        let text = with(
            MOUSE,
            "route = \"intravenous\"",
            &format!("route = \"intravenous\"\n{key} = {value}"),
        );
        let e = only_error(&text, &format!("arm[1].treatment[0].{key}"));
        assert!(e.message.contains("not used by tissue = \"cord\""), "{e}");
    }
    // an unknown route gets the closest one
    let e = only_error(
        &with(MOUSE, "\"intravenous\"", "\"intravenus\""),
        "arm[1].treatment[0].route",
    );
    assert_eq!(e.message, "unknown route");
    assert_eq!(e.suggestion.as_deref(), Some("intravenous"));
    assert_eq!(
        e.allowed.as_deref(),
        Some("local, intrathecal, intravenous")
    );
}

#[test]
fn resolved_cord_file_parses_back_to_the_same_scenario() {
    let reg = registry();
    let arms = [
        ("impactor", "device = \"impactor\"\nforce = \"0.8 N\""),
        (
            "weight_drop",
            "device = \"weight_drop\"\nmass = \"10 g\"\nheight = \"12.5 mm\"\ntime = \"90 min\"",
        ),
        (
            "displacement",
            "device = \"displacement\"\ndisplacement = \"0.9 mm\"",
        ),
        ("severity", "device = \"severity\"\nseverity = 0.42"),
    ];
    let mut text = RAT.to_string();
    for (i, (name, body)) in arms.iter().enumerate() {
        let route = ["local", "intrathecal", "intravenous", "local"][i];
        text.push_str(&format!(
            "\n[[arm]]\nname = \"{name}\"\nrole = \"treatment\"\n[arm.injury]\ntype = \"contusion\"\n{body}\n\
             [[arm.treatment]]\ncarrier = \"ccr2_membrane_plga\"\ndose = \"2 ug\"\nvolume = \"5 uL\"\n\
             route = \"{route}\"\ndisable = [\"ccl2_trap\", \"payload\"]\n"
        ));
    }
    text.push_str(
        "\n[[arm]]\nname = \"open_ended\"\n[arm.injury]\ntype = \"compression\"\nratio = 0.2\nrise_time = \"1 d\"\n",
    );
    let s = parse(&text, &reg).unwrap_or_else(|e| panic!("{}", e.render("text")));
    let routes: Vec<Route> = s
        .arms
        .iter()
        .flat_map(|a| a.treatments.iter().map(|t| t.route))
        .collect();
    for r in Route::ALL {
        assert!(routes.contains(&r), "{r:?}");
    }
    assert_eq!(s.arms.len(), 7);
    let resolved = resolved_toml(&s, &[]);
    for absent in [
        "grade",
        "[boundary]",
        "[biology]",
        "method",
        "initial",
        "site",
        "hindrance",
    ] {
        assert!(!resolved.contains(absent), "{absent}\n{resolved}");
    }
    let mut back =
        parse(&resolved, &reg).unwrap_or_else(|e| panic!("{}\n{resolved}", e.render("resolved")));
    back.source_text = s.source_text.clone();
    // the dose is written in canonical units (ng), with the text as written in a comment
    for (b, a) in back.arms.iter_mut().zip(&s.arms) {
        for (tb, ta) in b.treatments.iter_mut().zip(&a.treatments) {
            assert!(resolved.contains(&format!("# as written: {}", ta.dose_text)));
            tb.dose_text = ta.dose_text.clone();
        }
    }
    assert_eq!(back, s, "{resolved}");
    // 0.8 N is 80 kdyn (1 kdyn = 1e3 dyn = 1e-2 N)
    let Some(CordInjury::Contusion {
        input:
            ContusionInput::ImpactorForce {
                species: InjurySpecies::Rat,
                force_kdyn,
            },
        time_s,
    }) = s.arms[2].cord_injury
    else {
        panic!("{:?}", s.arms[2].cord_injury)
    };
    assert!((force_kdyn - 80.0).abs() < 1e-12, "{force_kdyn}");
    assert_eq!(time_s, 0.0);
}

#[test]
fn disc_files_resolve_with_their_tissue() {
    let text = r#"[scenario]
name = "d"
species = "rat_caudal"
grade = 2
[grid]
kind = "axisymmetric"
spacing = "0.1 mm"
[solver]
mode = "steady"
"#;
    let s = parsed(text);
    assert_eq!(s.tissue, Tissue::Disc);
    assert_eq!(s.cord, CordSpec::default());
    let resolved = resolved_toml(&s, &[]);
    assert!(resolved.contains("tissue = \"disc\"\n"), "{resolved}");
    assert!(!resolved.contains("[cord]"), "{resolved}");
    let explicit = with(text, "species", "tissue = \"disc\"\nspecies");
    let mut back = parsed(&explicit);
    back.source_text = s.source_text.clone();
    assert_eq!(back, s);
}

#[test]
fn ccl2_trap_is_a_mechanism_and_the_schema_lists_the_cord_keys() {
    assert_eq!(Mechanism::from_id("ccl2_trap"), Some(Mechanism::Ccl2Trap));
    assert_eq!(Mechanism::Ccl2Trap.id(), "ccl2_trap");
    assert_eq!(Mechanism::ALL.len(), super::format::MECHANISMS.len());
    for (m, id) in Mechanism::ALL.iter().zip(super::format::MECHANISMS) {
        assert_eq!(m.id(), *id);
    }
    let schema = json_schema();
    let text = schema.to_string();
    for k in [
        "\"tissue\"",
        "\"axial_ends\"",
        "\"continuation\"",
        "\"chemotaxis\"",
        "\"contusion\"",
        "\"compression\"",
        "\"weight_drop\"",
        "\"decompression\"",
        "\"ischaemia\"",
        "\"route\"",
        "\"intrathecal\"",
        "\"intravenous\"",
        "\"ccl2_trap\"",
    ] {
        assert!(text.contains(k), "{k}");
    }
    let cord = &schema["$defs"]["RawCordSpecies"];
    let mut got: Vec<String> = cord["enum"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .or_else(|| {
            cord["oneOf"].as_array().map(|a| {
                a.iter()
                    .filter_map(|v| v["const"].as_str().map(String::from))
                    .collect()
            })
        })
        .unwrap_or_default();
    got.sort();
    let mut want: Vec<String> = crate::anatomy::cord::CORD_PRESETS
        .iter()
        .map(|s| s.to_string())
        .collect();
    want.sort();
    assert_eq!(got, want);
    // the injury table of the schema has every disc and cord key
    let injury = &schema["$defs"]["RawInjury"]["properties"];
    for k in super::format::INJURY_KEYS
        .iter()
        .chain(super::format::CONTUSION_KEYS)
        .chain(super::format::COMPRESSION_KEYS)
    {
        assert!(!injury[*k].is_null(), "{k}");
    }
    let treatment = &schema["$defs"]["RawTreatment"]["properties"];
    for k in super::format::TREATMENT_KEYS {
        assert!(!treatment[*k].is_null(), "{k}");
    }
}

#[test]
fn the_disc_simulator_refuses_a_cord() {
    let s = parsed(MOUSE);
    let reg = registry();
    let e = crate::sim::run(&s, &reg, &|_, _| {}).unwrap_err();
    assert!(
        e.to_string()
            .contains("tissue = cord runs through sim::cord"),
        "{e}"
    );
    let e = crate::sim::run_arm(&s, &s.arms[0], &reg, &|_, _| {}).unwrap_err();
    assert!(matches!(e, crate::Error::Config(_)), "{e}");
}

#[test]
fn a_cord_treatment_cannot_deliver_cells() {
    let e = errors(&MOUSE.replace("time = \"3 h\"", "time = \"3 h\"\ncells = 1e5"));
    let c = e
        .iter()
        .find(|x| x.key.ends_with("treatment[0].cells"))
        .unwrap_or_else(|| panic!("{e:#?}"));
    assert!(c.message.contains("disc only"), "{c:#?}");
}
