//! Tests of `[[arm.treatment]]`: parsing to model units, located errors, and the resolved file.

use super::*;
use crate::delivery::Site;
use crate::params::Registry;

const BASE: &str = r#"[scenario]
name = "t"
species = "rat_caudal"
grade = 2

[grid]
kind = "axisymmetric"
spacing = "0.1 mm"

[solver]
mode = "transient"
end_time = "10 d"
dt = "1 d"
delivery_dt = "30 min"

[[arm]]
name = "ms"
[[arm.treatment]]
carrier = "plga_microsphere"
payload = "dexamethasone"
dose = "2.5 ug"
site = "af"
volume = "0.5 uL"
time = "2 d"
effective_concentration = "50 nM"
carrier_half_life = "3 wk"
hindrance = "ogston"

[arm.treatment.release]
model = "weibull"
time_unit = "d"
tau = 4.0
beta = 0.8

[[arm]]
name = "bolus"
role = "vehicle"
[[arm.treatment]]
carrier = "none"
payload = "dexamethasone"
dose = "10 nmol"
volume = "1 uL"
"#;

#[test]
fn treatments_parse_to_model_units() {
    let s = parse(BASE, &Registry::builtin()).unwrap_or_else(|e| panic!("{}", e.render("t")));
    assert_eq!(s.solver.delivery_dt_s, 1800.0);
    let t = &s.arms[0].treatments[0];
    assert_eq!(t.carrier, "plga_microsphere");
    let DoseAmount::MassNg(ng) = t.dose else {
        panic!("{:?}", t.dose)
    };
    assert!((ng - 2500.0).abs() < 1e-9, "{ng}");
    assert_eq!(t.site, Site::Af);
    assert!((t.volume_mm3 - 0.5).abs() < 1e-12);
    assert_eq!(t.time_s, 2.0 * 86400.0);
    assert_eq!(t.effective, Some(Concentration::MolarNm(50.0)));
    assert_eq!(t.carrier_half_life_s, Some(21.0 * 86400.0));
    assert_eq!(t.hindrance, crate::carriers::HindranceLaw::Ogston);
    assert_eq!(
        s.arms[1].treatments[0].hindrance,
        crate::carriers::HindranceLaw::GuAnnulus
    );
    let r = t.release.as_ref().unwrap();
    assert_eq!((r.model.as_str(), r.time_unit_s), ("weibull", 86400.0));
    assert_eq!(r.params["tau"], 4.0);
    let b = &s.arms[1].treatments[0];
    assert_eq!(b.dose, DoseAmount::AmountNmol(10.0));
    assert_eq!((b.site, b.time_s), (Site::Np, 0.0));
    assert_eq!(b.key, "arm[1].treatment[0]");
    assert_eq!(s.arms[0].role, ArmRole::Treatment);
    assert_eq!(s.arms[1].role, ArmRole::Vehicle);
}

#[test]
fn resolved_file_keeps_the_treatments() {
    let reg = Registry::builtin();
    let s = parse(BASE, &reg).unwrap();
    let text = resolved_toml(&s, &[]);
    let back = parse(&text, &reg).unwrap_or_else(|e| panic!("{}\n{text}", e.render("r")));
    assert_eq!(back.arms[0].treatments, {
        let mut t = s.arms[0].treatments.clone();
        t[0].dose_text = back.arms[0].treatments[0].dose_text.clone();
        t
    });
    assert_eq!(
        back.arms[1].treatments[0].dose,
        s.arms[1].treatments[0].dose
    );
    assert_eq!(back.solver.delivery_dt_s, s.solver.delivery_dt_s);
    assert_eq!(back.arms[1].role, s.arms[1].role);
}

fn errors(text: &str) -> Vec<ScenarioError> {
    parse(text, &Registry::builtin()).err().unwrap().0
}

#[test]
fn bad_treatments_get_located_errors() {
    let text = BASE
        .replace(
            "carrier = \"plga_microsphere\"",
            "carrier = \"plga_microsphers\"",
        )
        .replace("dose = \"2.5 ug\"", "dose = \"2.5 uL\"")
        .replace("tau = 4.0", "tau = \"4 d\"")
        .replace(
            "payload = \"dexamethasone\"\ndose = \"10 nmol\"",
            "dose = \"10 nmol\"",
        );
    let e = errors(&text);
    let carrier = e
        .iter()
        .find(|x| x.key == "arm[0].treatment[0].carrier")
        .unwrap();
    assert_eq!(carrier.suggestion.as_deref(), Some("plga_microsphere"));
    assert_eq!(carrier.line, 19);
    let dose = e
        .iter()
        .find(|x| x.key == "arm[0].treatment[0].dose")
        .unwrap();
    assert!(dose.allowed.as_deref().unwrap_or("").contains("a mass"));
    assert!(e.iter().any(|x| x.key == "arm[0].treatment[0].release.tau"));
    assert!(e.iter().any(|x| x.key == "arm[1].treatment[0].payload"));
}

#[test]
fn a_bolus_cannot_have_a_release_law() {
    let text = BASE.replace(
        "dose = \"10 nmol\"\nvolume = \"1 uL\"",
        "dose = \"10 nmol\"\nvolume = \"1 uL\"\ncarrier_half_life = \"2 d\"",
    );
    let e = errors(&text);
    assert!(
        e.iter()
            .any(|x| x.key == "arm[1].treatment[0].carrier_half_life"),
        "{e:#?}"
    );
}

#[test]
fn injuries_parse_round_trip_and_report_errors() {
    let reg = Registry::builtin();
    let text = BASE
        .replace(
            "[[arm]]\nname = \"ms\"\n",
            "[[arm]]\nname = \"ms\"\nrole = \"treatment\"\n[arm.injury]\ntype = \"needle_puncture\"\ngauge = 20\npenetration = \"half\"\ntime = \"1 d\"\n",
        )
        .replace(
            "[[arm]]\nname = \"bolus\"\nrole = \"vehicle\"\n",
            "[[arm]]\nname = \"bolus\"\nrole = \"vehicle\"\n[arm.injury]\ntype = \"endplate_sclerosis\"\nexchange_area = 0.3\n",
        );
    let s = parse(&text, &reg).unwrap_or_else(|e| panic!("{}", e.render("t")));
    assert_eq!(
        s.arms[0].injury,
        Some(crate::injury::Injury::NeedlePuncture {
            gauge: 20,
            penetration: crate::injury::Penetration::Half,
            time_s: 86400.0
        })
    );
    let back = parse(&resolved_toml(&s, &[]), &reg).unwrap();
    assert_eq!(back.arms[0].injury, s.arms[0].injury);
    assert_eq!(back.arms[1].injury, s.arms[1].injury);
    let bad = text
        .replace("gauge = 20", "gauge = 40")
        .replace("exchange_area = 0.3", "exchange_area = 1.5");
    let e = errors(&bad);
    assert!(
        e.iter()
            .any(|x| x.key == "arm[0].injury.gauge" && x.allowed.as_deref() == Some("14..=32")),
        "{e:#?}"
    );
    assert!(
        e.iter().any(|x| x.key == "arm[1].injury.exchange_area"),
        "{e:#?}"
    );
}

#[test]
fn delivered_cells_parse_round_trip_and_report_errors() {
    let reg = Registry::builtin();
    let bio = BASE.replace(
        "delivery_dt = \"30 min\"\n",
        "delivery_dt = \"30 min\"\n\n[biology]\nenabled = true\n",
    );
    let with = |v: &str| {
        bio.replace(
            "volume = \"0.5 uL\"\ntime = \"2 d\"",
            &format!("volume = \"0.5 uL\"\ntime = \"2 d\"\ncells = {v}"),
        )
    };
    let s = parse(&with("2.5e4"), &reg).unwrap_or_else(|e| panic!("{}", e.render("t")));
    assert_eq!(s.arms[0].treatments[0].cells, 2.5e4);
    assert_eq!(s.arms[1].treatments[0].cells, 0.0);
    let m = s.arms[0].treatments[0].mechanisms(Tissue::Disc).unwrap();
    assert!(m.contains(&Mechanism::Cells), "{m:?}");
    let back = parse(&resolved_toml(&s, &[]), &reg).unwrap();
    assert_eq!(back.arms[0].treatments[0].cells, 2.5e4);
    // out of range and of the wrong type: the field, the value and the allowed range
    for (v, allowed) in [("-1", "0 <= cells"), ("1e9", "0 <= cells"), ("\"1e5\"", "")] {
        let e = errors(&with(v));
        let c = e
            .iter()
            .find(|x| x.key == "arm[0].treatment[0].cells")
            .unwrap_or_else(|| panic!("{v}: {e:#?}"));
        assert!(
            c.allowed.as_deref().unwrap_or("").contains(allowed) || c.message.contains("number"),
            "{c:#?}"
        );
    }
    // no more cells than the volume can hold (0.5 uL holds 1.05e5 at close packing)
    let e = errors(&with("2e5"));
    let c = e
        .iter()
        .find(|x| x.key == "arm[0].treatment[0].cells")
        .unwrap_or_else(|| panic!("{e:#?}"));
    assert!(
        c.allowed
            .as_deref()
            .unwrap_or("")
            .contains("at most 1.050e5"),
        "{c:#?}"
    );
    assert!(parse(&with("1e5"), &reg).is_ok());
    // a cell-only injection needs no dose; its payload gets none, and it round-trips
    let only = with("1e5").replace("dose = \"2.5 ug\"\n", "");
    let s = parse(&only, &reg).unwrap_or_else(|e| panic!("{}", e.render("t")));
    assert_eq!(s.arms[0].treatments[0].dose, DoseAmount::MassNg(0.0));
    // its undosed payload is no mechanism to switch off
    let m = s.arms[0].treatments[0].mechanisms(Tissue::Disc).unwrap();
    assert!(
        !m.contains(&Mechanism::Payload) && m.contains(&Mechanism::Cells),
        "{m:?}"
    );
    let back = parse(&resolved_toml(&s, &[]), &reg).unwrap();
    assert_eq!(back.arms[0].treatments[0], s.arms[0].treatments[0]);
    // without cells the dose stays required
    let e = errors(&bio.replace("dose = \"2.5 ug\"\n", ""));
    assert!(
        e.iter().any(|x| x.key == "arm[0].treatment[0].dose"),
        "{e:#?}"
    );
    // cells act only through the biology: without it they are an error, not silently inert
    let e = errors(&with("1e5").replace("[biology]\nenabled = true\n", ""));
    let c = e
        .iter()
        .find(|x| x.key == "arm[0].treatment[0].cells")
        .unwrap_or_else(|| panic!("{e:#?}"));
    assert!(
        c.allowed.as_deref().unwrap_or("").contains("[biology]"),
        "{c:#?}"
    );
    // switching off cells that the treatment does not have is an error
    let e = errors(&bio.replace(
        "hindrance = \"ogston\"",
        "hindrance = \"ogston\"\ndisable = [\"cells\"]",
    ));
    assert!(
        e.iter().any(|x| x.key == "arm[0].treatment[0].disable"),
        "{e:#?}"
    );
}
