use std::collections::HashSet;

use super::*;

/// Names the model code relies on (the brief's list); all must exist in the builtin registry.
const REQUIRED: &[(&str, &str)] = &[
    ("oxygen.diffusivity.water", "mm^2/s"),
    ("glucose.diffusivity.water", "mm^2/s"),
    ("lactate.diffusivity.water", "mm^2/s"),
    ("oxygen.solubility", "mM/kPa"),
    ("oxygen.boundary.cep", "kPa"),
    ("oxygen.boundary.af", "kPa"),
    ("glucose.boundary.cep", "mM"),
    ("glucose.boundary.af", "mM"),
    ("lactate.boundary.cep", "mM"),
    ("lactate.boundary.af", "mM"),
    ("cep.exchange_area", "1"),
    ("cep.mass_transfer_coefficient", "mm/s"),
    ("af.exchange_area", "1"),
    ("tissue.np.water_fraction", "1"),
    ("tissue.af.water_fraction", "1"),
    ("tissue.cep.water_fraction", "1"),
    ("tissue.np.cell_density", "cells/mm^3"),
    ("tissue.af.cell_density", "cells/mm^3"),
    ("tissue.cep.cell_density", "cells/mm^3"),
    ("metabolism.oxygen.vmax_slope", "nmol/(1e6 cells*h)"),
    ("metabolism.oxygen.ph_offset", "1"),
    ("metabolism.oxygen.km_intercept", "kPa"),
    ("metabolism.oxygen.km_slope", "kPa"),
    ("metabolism.lactate.ln_a", "1"),
    ("metabolism.lactate.ph_coeff", "1"),
    ("metabolism.lactate.po2_coeff", "1/kPa"),
    ("metabolism.lactate.po2_sq_coeff", "1/kPa^2"),
    ("metabolism.ph.reference", "1"),
    ("metabolism.ph.lactate_buffer", "mM"),
    ("metabolism.glucose.half_saturation", "mM"),
    ("viability.glucose.threshold", "mM"),
    ("viability.ph.threshold", "1"),
    ("viability.ph.death_rate", "1/s"),
    ("viability.glucose.rate_scale", "1/d"),
    ("viability.glucose.half_constant", "mM"),
];

const PRESETS: &[&str] = &[
    "human_l4l5",
    "rat_caudal",
    "rat_lumbar",
    "mouse_lumbar",
    "rabbit_lumbar",
    "sheep_lumbar",
    "bovine_caudal",
];

/// Integrity of the embedded file, checked directly on the raw TOML (independent of the loader).
#[test]
fn builtin_file_integrity() {
    let doc: toml::Value = toml::from_str(BUILTIN_TOML).unwrap();
    let list = doc["parameter"].as_array().unwrap();
    assert!(list.len() >= 90, "only {} parameters", list.len());
    let mut names = HashSet::new();
    for t in list {
        let name = t["name"].as_str().unwrap();
        assert!(names.insert(name.to_string()), "duplicate name {name}");
        let unit = t["unit"].as_str().unwrap();
        assert!(
            crate::units::parse_unit(unit).is_ok(),
            "{name}: unit {unit}"
        );
        let num = |v: &toml::Value| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap();
        let value = num(&t["value"]);
        let r = t["range"].as_array().unwrap();
        let b = t["bounds"].as_array().unwrap();
        let (rlo, rhi, blo, bhi) = (num(&r[0]), num(&r[1]), num(&b[0]), num(&b[1]));
        assert!(blo <= value && value <= bhi, "{name}: value outside bounds");
        assert!(blo <= rlo && rhi <= bhi, "{name}: range outside bounds");
        assert!(rlo <= value && value <= rhi, "{name}: value outside range");
        assert!(rlo < rhi, "{name}: empty range");
        // a dimensionless fraction or share cannot be set above 1 (a toxicity "blocked" 9 times
        // over would turn negative)
        let desc = t["description"].as_str().unwrap().to_lowercase();
        if unit == "1" && (desc.starts_with("fraction") || desc.starts_with("share")) {
            assert!(
                blo >= 0.0 && bhi <= 1.0,
                "{name}: a fraction with bounds {blo}..{bhi}"
            );
        }
        let src = t.get("source").and_then(|v| v.as_str());
        let asm = t.get("assumption").and_then(|v| v.as_str());
        assert!(
            src.is_some() != asm.is_some(),
            "{name}: need exactly one of source/assumption"
        );
        let text = src.or(asm).unwrap();
        assert!(!text.trim().is_empty(), "{name}: empty provenance");
        if let Some(s) = src {
            assert!(!s.contains("[U"), "{name}: [U] value given as a source");
            assert!(
                s.contains("[V") || s.contains("[D]"),
                "{name}: source without an evidence tag"
            );
        }
        assert!(
            !t["description"].as_str().unwrap().trim().is_empty(),
            "{name}"
        );
        assert!(!t["scope"].as_str().unwrap().trim().is_empty(), "{name}");
    }
}

#[test]
fn builtin_loads_and_has_required_names() {
    let r = Registry::builtin();
    for &(name, unit) in REQUIRED {
        let p = r.get(name).unwrap_or_else(|| panic!("missing {name}"));
        assert_eq!(p.unit, unit, "{name}");
    }
    for preset in PRESETS {
        for (key, unit) in [
            ("disc_height", "mm"),
            ("lateral_width", "mm"),
            ("ap_depth", "mm"),
            ("np_width_fraction", "1"),
            ("cep_thickness", "mm"),
            ("cep_width_fraction", "1"),
        ] {
            let name = format!("anatomy.{preset}.{key}");
            let p = r.get(&name).unwrap_or_else(|| panic!("missing {name}"));
            assert_eq!(p.unit, unit, "{name}");
        }
        // geometry sanity: CEP layers thinner than half the disc, NP inside the CEP extent
        let h = r.value(&format!("anatomy.{preset}.disc_height")).unwrap();
        let t = r.value(&format!("anatomy.{preset}.cep_thickness")).unwrap();
        assert!(2.0 * t < 0.5 * h, "{preset}");
        let npf = r
            .value(&format!("anatomy.{preset}.np_width_fraction"))
            .unwrap();
        let cepf = r
            .value(&format!("anatomy.{preset}.cep_width_fraction"))
            .unwrap();
        assert!(npf <= cepf, "{preset}");
    }
    for g in 1..=5 {
        for key in [
            "np_water_fraction",
            "cell_density_factor",
            "cep_exchange_area",
            "height_factor",
        ] {
            let name = format!("degeneration.grade{g}.{key}");
            assert_eq!(r.get(&name).map(|p| p.unit.as_str()), Some("1"), "{name}");
        }
    }
    // every [U] value is an assumption; the animal geometry is [U]
    let p = r.get("anatomy.rat_caudal.disc_height").unwrap();
    assert!(matches!(&p.provenance, Provenance::Assumption(a) if a.starts_with("[U]")));
    let p = r.get("glucose.boundary.cep").unwrap();
    assert!(matches!(&p.provenance, Provenance::Source(s) if s.contains("[V-code]")));
}

#[test]
fn builtin_values_match_research_notes() {
    let r = Registry::builtin();
    let expect = [
        ("oxygen.diffusivity.water", 3.0e-3),
        ("glucose.diffusivity.water", 9.17e-4),
        ("lactate.diffusivity.water", 1.39e-3),
        ("oxygen.solubility", 0.010268),
        ("oxygen.boundary.cep", 5.1),
        ("oxygen.boundary.af", 5.8),
        ("glucose.boundary.cep", 4.0),
        ("glucose.boundary.af", 5.0),
        ("lactate.boundary.cep", 0.8),
        ("lactate.boundary.af", 0.9),
        ("tissue.np.cell_density", 3600.0),
        ("tissue.af.cell_density", 5550.0),
        ("tissue.cep.cell_density", 13500.0),
        ("metabolism.oxygen.vmax_slope", 7.28),
        ("metabolism.oxygen.km_slope", 4.03),
        ("metabolism.lactate.po2_sq_coeff", -0.0058),
        ("metabolism.ph.lactate_buffer", 11.11),
        ("viability.glucose.threshold", 0.511),
        ("viability.ph.threshold", 6.78),
        ("viability.ph.death_rate", 3.77e-6),
        ("viability.glucose.half_constant", 3.18),
        ("anatomy.human_l4l5.np_width_fraction", 0.64),
        ("anatomy.human_l4l5.cep_thickness", 0.8),
        ("degeneration.grade4.height_factor", 0.6),
    ];
    for (name, v) in expect {
        assert_eq!(r.value(name).unwrap(), v, "{name}");
    }
    // acid death rate 3.77e-6 1/s = 0.326 1/d (research notes §1.7)
    let per_day = r.value_in("viability.ph.death_rate", "1/d").unwrap();
    assert!((per_day - 0.3257).abs() < 1e-3, "{per_day}");
}

#[test]
fn set_converts_units() {
    let mut r = Registry::builtin();
    let v = r.set("oxygen.boundary.cep", "0.5 mmHg").unwrap();
    assert!((v - 0.5 * 0.133322387415).abs() < 1e-12, "{v}");
    assert_eq!(r.value("oxygen.boundary.cep").unwrap(), v);
    let v = r.set("glucose.boundary.cep", "2500 uM").unwrap();
    assert!((v - 2.5).abs() < 1e-12);
    let v = r.set("oxygen.diffusivity.water", "2e-5 cm^2/s").unwrap();
    assert!((v - 2e-3).abs() < 1e-15);
    let v = r.set("cep.exchange_area", "0.4").unwrap();
    assert_eq!(v, 0.4);
    let v = r.set("cep.exchange_area", "40 %").unwrap();
    assert!((v - 0.4).abs() < 1e-15);
    // the builtin is untouched by overrides on a clone
    assert_eq!(
        Registry::builtin().value("glucose.boundary.cep").unwrap(),
        4.0
    );
}

#[test]
fn set_wrong_dimension_names_parameter() {
    let mut r = Registry::builtin();
    let e = r.set("glucose.boundary.cep", "4.0 kPa").unwrap_err();
    assert!(e.0.contains("glucose.boundary.cep"), "{e}");
    assert!(e.0.contains("mM"), "{e}");
    let e = r.set("glucose.boundary.cep", "4.0").unwrap_err();
    assert!(e.0.contains("missing unit"), "{e}");
    assert_eq!(r.value("glucose.boundary.cep").unwrap(), 4.0);
}

#[test]
fn set_out_of_bounds_names_bounds() {
    let mut r = Registry::builtin();
    let e = r.set("glucose.boundary.cep", "45 mM").unwrap_err();
    assert!(e.0.contains("glucose.boundary.cep"), "{e}");
    assert!(e.0.contains("[0, 30] mM"), "{e}");
    let e = r.set_value("cep.exchange_area", 1.5).unwrap_err();
    assert!(e.0.contains("[0, 1]"), "{e}");
    assert!(r.set_value("cep.exchange_area", f64::NAN).is_err());
    assert_eq!(r.value("cep.exchange_area").unwrap(), 1.0);
    r.set_value("cep.exchange_area", 0.0).unwrap();
    assert_eq!(r.value("cep.exchange_area").unwrap(), 0.0);
}

#[test]
fn unknown_names_suggest() {
    let mut r = Registry::builtin();
    assert_eq!(
        r.suggest("glucose.boundary.cpe").as_deref(),
        Some("glucose.boundary.cep")
    );
    assert_eq!(r.suggest("zzz"), None);
    let e = r.value("glucose.boundary.cpe").unwrap_err();
    assert!(e.0.contains("did you mean 'glucose.boundary.cep'"), "{e}");
    assert!(r
        .set("oxygen.boundry.cep", "5 kPa")
        .unwrap_err()
        .0
        .contains("oxygen.boundary.cep"));
    assert!(r.set_value("nope", 1.0).is_err());
}

#[test]
fn value_in_converts() {
    let r = Registry::builtin();
    let mmhg = r.value_in("oxygen.boundary.cep", "mmHg").unwrap();
    assert!((mmhg - 5.1 / 0.133322387415).abs() < 1e-9);
    let cm2 = r.value_in("glucose.diffusivity.water", "cm^2/s").unwrap();
    assert!((cm2 - 9.17e-6).abs() < 1e-18);
    let e = r.value_in("oxygen.boundary.cep", "mM").unwrap_err();
    assert!(e.0.contains("oxygen.boundary.cep"), "{e}");
}

#[test]
fn filter_and_listings() {
    let r = Registry::builtin();
    let f = r.filter("GLUCOSE.BOUNDARY");
    let names: Vec<&str> = f.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["glucose.boundary.af", "glucose.boundary.cep"]);
    // scope match
    assert!(r.filter("rat caudal").len() >= 6);
    // sorted iteration
    let all: Vec<&str> = r.iter().map(|p| p.name.as_str()).collect();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);

    let j = r.to_json(Some("glucose.boundary.cep"));
    let list = j["parameters"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["value"], 4.0);
    assert_eq!(list[0]["unit"], "mM");
    assert_eq!(list[0]["range"], serde_json::json!([3.0, 5.0]));
    assert!(list[0]["source"].as_str().unwrap().contains("abaqusIVD"));
    assert!(list[0].get("assumption").is_none());
    let j = r.to_json(Some("metabolism.glucose.half_saturation"));
    assert!(j["parameters"][0]["assumption"].is_string());
    assert_eq!(
        r.to_json(None)["parameters"].as_array().unwrap().len(),
        r.len()
    );

    let csv = r.to_csv(Some("glucose.boundary"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("name,value,unit,"));
    assert!(
        lines[1].starts_with("glucose.boundary.af,5,mM,"),
        "{}",
        lines[1]
    );

    let t = r.to_table(Some("viability.ph.death_rate"));
    assert!(t.contains("3.77e-6"), "{t}");
    assert!(t.contains("V-code"), "{t}");
    let n = r.filter("viability.ph.death_rate").len();
    assert!(n >= 1);
    assert!(t.ends_with(&format!("{n} parameter(s)\n")), "{t}");
    // columns aligned: the UNIT column starts at the same position on every line
    let all_table = r.to_table(None);
    let header = all_table.lines().next().unwrap();
    let col = header.find("UNIT").unwrap();
    for line in all_table.lines().skip(1).take(r.len()) {
        assert_eq!(&line[col - 2..col], "  ", "{line}");
        assert_ne!(&line[col..col + 1], " ", "{line}");
    }
    let md = r.to_markdown();
    assert_eq!(md.lines().count(), r.len() + 2);
    assert!(md.contains("`glucose.boundary.cep` | 4 | mM"));
}

#[test]
fn loader_rejects_bad_files() {
    let ok = r#"
[[parameter]]
name = "a.b"
value = 1.0
unit = "mM"
scope = "s"
source = "x [V]"
range = [0.5, 2.0]
bounds = [0.0, 10.0]
description = "d"
"#;
    assert_eq!(Registry::from_toml_str(ok).unwrap().len(), 1);
    let cases = [
        (
            ok.replace("source = \"x [V]\"", "source = \"x [U] memory\""),
            "[U]",
        ),
        (
            ok.replace("source = \"x [V]\"", "source = \"x\"\nassumption = \"y\""),
            "exactly one",
        ),
        (ok.replace("source = \"x [V]\"", ""), "exactly one"),
        (ok.replace("value = 1.0", "value = 20.0"), "bounds.0"),
        (
            ok.replace("range = [0.5, 2.0]", "range = [0.5, 20.0]"),
            "bounds.0",
        ),
        (ok.replace("unit = \"mM\"", "unit = \"furlong\""), "furlong"),
        (ok.replace("name = \"a.b\"", "name = \"A b\""), "dotted"),
        (format!("{ok}{ok}"), "duplicate"),
        (
            ok.replace("description = \"d\"", "description = \"d\"\nextra = 1"),
            "extra",
        ),
    ];
    for (text, needle) in cases {
        let e = Registry::from_toml_str(&text).unwrap_err();
        assert!(e.0.contains(needle), "expected '{needle}' in: {e}");
    }
}
