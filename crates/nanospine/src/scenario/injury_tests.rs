//! Tests of the `ageing` and `overload` injuries of `[arm.injury]`: parsing to model units,
//! defaults, located errors naming the field, value and allowed range, and the resolved file.

use super::*;
use crate::injury::Injury;
use crate::params::Registry;

const DAY: f64 = 86_400.0;

const BASE: &str = r#"[scenario]
name = "t"
species = "rat_caudal"
grade = 1

[grid]
kind = "axisymmetric"
spacing = "0.1 mm"

[solver]
mode = "transient"
end_time = "10 d"
dt = "1 d"

[[arm]]
name = "aged"
[arm.injury]
type = "ageing"
age = "24 months"

[[arm]]
name = "loaded"
[arm.injury]
type = "overload"
stress = "1.3 MPa"
hours_per_day = 8
duration = "1 wk"
time = "2 d"
"#;

fn errors(text: &str) -> Vec<ScenarioError> {
    match parse(text, &Registry::builtin()) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.0,
    }
}

fn find<'e>(errors: &'e [ScenarioError], key: &str) -> &'e ScenarioError {
    errors
        .iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| panic!("no error with key {key} in {errors:#?}"))
}

#[test]
fn ageing_and_overload_parse_to_model_units_and_round_trip() {
    let reg = Registry::builtin();
    let s = parse(BASE, &reg).unwrap_or_else(|e| panic!("{}", e.render("t")));
    // 24 Julian months = 2 Julian years = 730.5 d
    assert_eq!(
        s.arms[0].injury,
        Some(Injury::Ageing { age_s: 730.5 * DAY })
    );
    assert_eq!(
        s.arms[1].injury,
        Some(Injury::Overload {
            stress_mpa: 1.3,
            hours_per_day: 8.0,
            duration_s: 7.0 * DAY,
            time_s: 2.0 * DAY,
        })
    );
    let back = parse(&resolved_toml(&s, &[]), &reg).unwrap();
    assert_eq!(back.arms[0].injury, s.arms[0].injury);
    assert_eq!(back.arms[1].injury, s.arms[1].injury);
}

#[test]
fn overload_defaults_to_sustained_loading_from_time_zero() {
    let text = BASE
        .replace("hours_per_day = 8\n", "")
        .replace("time = \"2 d\"\n", "")
        .replace("\"1.3 MPa\"", "\"1300 kPa\"");
    let s = parse(&text, &Registry::builtin()).unwrap();
    match s.arms[1].injury {
        Some(Injury::Overload {
            stress_mpa,
            hours_per_day,
            time_s,
            ..
        }) => {
            assert!((stress_mpa - 1.3).abs() < 1e-12);
            assert_eq!((hours_per_day, time_s), (24.0, 0.0));
        }
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn out_of_range_values_name_the_field_value_and_range() {
    let bad = BASE
        .replace("\"24 months\"", "\"-3 months\"")
        .replace("\"1.3 MPa\"", "\"25 MPa\"")
        .replace("hours_per_day = 8", "hours_per_day = 30")
        .replace("\"1 wk\"", "\"0 d\"");
    let e = errors(&bad);
    let age = find(&e, "arm[0].injury.age");
    assert_eq!(age.value.as_deref(), Some("-3 months"));
    assert_eq!(age.allowed.as_deref(), Some("an age 0 < age <= 100 yr"));
    assert!(age.line > 0);
    let st = find(&e, "arm[1].injury.stress");
    assert_eq!(st.value.as_deref(), Some("25 MPa"));
    assert!(
        st.allowed.as_deref().unwrap().contains("<= 10 MPa"),
        "{st:?}"
    );
    let h = find(&e, "arm[1].injury.hours_per_day");
    assert_eq!(h.value.as_deref(), Some("30"));
    assert!(h
        .allowed
        .as_deref()
        .unwrap()
        .contains("0 < hours_per_day <= 24"));
    let d = find(&e, "arm[1].injury.duration");
    assert_eq!(d.value.as_deref(), Some("0 d"));
    assert_eq!(e.len(), 4, "{e:#?}");
}

#[test]
fn missing_and_mistyped_fields_are_reported() {
    let e = errors(
        &BASE
            .replace("age = \"24 months\"\n", "")
            .replace("stress = \"1.3 MPa\"\n", ""),
    );
    assert!(find(&e, "arm[0].injury.age")
        .allowed
        .as_deref()
        .unwrap()
        .contains("24 months"));
    assert!(find(&e, "arm[1].injury.stress")
        .allowed
        .as_deref()
        .unwrap()
        .contains("1.3 MPa"));
    // a stress without a unit or of the wrong dimension
    let e = errors(&BASE.replace("\"1.3 MPa\"", "\"1.3\""));
    assert!(find(&e, "arm[1].injury.stress")
        .message
        .contains("missing unit"));
    let e = errors(&BASE.replace("\"24 months\"", "\"24 mm\""));
    find(&e, "arm[0].injury.age");
    // unknown type lists the new ones
    let e = errors(&BASE.replace("type = \"ageing\"", "type = \"aging\""));
    let t = find(&e, "arm[0].injury.type");
    assert!(t.allowed.as_deref().unwrap().contains("ageing"), "{t:?}");
    assert!(t.allowed.as_deref().unwrap().contains("overload"), "{t:?}");
}

#[test]
fn schema_lists_the_new_types_and_keys() {
    let v = json_schema().to_string();
    for k in [
        "\"ageing\"",
        "\"overload\"",
        "\"hours_per_day\"",
        "\"age\"",
        "\"stress\"",
    ] {
        assert!(v.contains(k), "{k}");
    }
}
