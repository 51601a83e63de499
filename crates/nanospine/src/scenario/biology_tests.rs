//! Tests of `[biology]` and of `[[arm.treatment]] disable`: values, defaults, located errors,
//! the resolved file round trip and the schema.

use super::*;
use crate::params::Registry;

/// A transient run with the biology on and one mechanism-switch treatment. Line numbers
/// matter to the tests below.
const BIO: &str = r#"[scenario]
name = "bio"
species = "rat_caudal"
grade = 2

[grid]
kind = "axisymmetric"
spacing = "0.1 mm"

[solver]
mode = "transient"
end_time = "10 d"
dt = "1 d"

[biology]
enabled = true
dt = "2 h"

[[arm]]
name = "gel"
[[arm.treatment]]
carrier = "pbnp_hydrogel"
payload = "dexamethasone"
dose = "10 ug"
volume = "1 uL"
disable = ["ros_scavenging", "payload"]
"#;

fn parsed(text: &str) -> Scenario {
    parse(text, &Registry::builtin()).unwrap_or_else(|e| panic!("{}", e.render("bio")))
}

fn errors(text: &str) -> Vec<ScenarioError> {
    match parse(text, &Registry::builtin()) {
        Ok(s) => panic!("expected errors, parsed {s:?}"),
        Err(e) => e.0,
    }
}

fn only<'e>(errors: &'e [ScenarioError], key: &str) -> &'e ScenarioError {
    let hits: Vec<&ScenarioError> = errors.iter().filter(|e| e.key == key).collect();
    assert_eq!(hits.len(), 1, "{key}: {errors:#?}");
    hits[0]
}

#[test]
fn biology_settings_are_read_in_seconds() {
    let s = parsed(BIO);
    assert_eq!(
        s.biology,
        BiologySpec {
            enabled: true,
            dt_s: 7200.0
        }
    );
    // another unit of time converts too: 90 min = 5400 s
    let s = parsed(&BIO.replace("dt = \"2 h\"", "dt = \"90 min\""));
    assert_eq!(s.biology.dt_s, 5400.0);
    // enabled alone keeps the default step
    let s = parsed(&BIO.replace("dt = \"2 h\"\n", ""));
    assert_eq!((s.biology.enabled, s.biology.dt_s), (true, 21600.0));
}

#[test]
fn biology_is_off_with_a_six_hour_step_by_default() {
    let s = parsed(&BIO.replace("[biology]\nenabled = true\ndt = \"2 h\"\n", ""));
    assert!(!s.biology.enabled);
    assert_eq!(s.biology.dt_s, 6.0 * 3600.0);
    assert_eq!(s.biology, BiologySpec::default());
    // an empty table is the default too
    let s = parsed(&BIO.replace("enabled = true\ndt = \"2 h\"\n", ""));
    assert_eq!(s.biology, BiologySpec::default());
    // and `enabled = false` with a steady run is fine
    let steady = BIO
        .replace("mode = \"transient\"", "mode = \"steady\"")
        .replace("enabled = true", "enabled = false");
    let s = parsed(&steady);
    assert_eq!(
        (s.biology.enabled, s.biology.dt_s, s.solver.mode),
        (false, 7200.0, Mode::Steady)
    );
}

#[test]
fn biology_needs_a_transient_run() {
    let text = BIO.replace("mode = \"transient\"", "mode = \"steady\"");
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:#?}");
    let x = only(&e, "biology.enabled");
    assert_eq!((x.line, x.column), (16, 11));
    assert_eq!(x.value.as_deref(), Some("true"));
    assert!(x.message.contains("transient"), "{}", x.message);
    assert_eq!(
        x.allowed.as_deref(),
        Some("false, or solver.mode = \"transient\"")
    );
    // an invalid mode is reported once, by [solver], not again by [biology]
    let e = errors(&BIO.replace("mode = \"transient\"", "mode = \"stedy\""));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].key, "solver.mode");
}

#[test]
fn bad_biology_steps_are_located() {
    for (dt, message) in [
        ("\"0 h\"", "out of range"),
        ("\"-2 h\"", "out of range"),
        ("\"2 mm\"", ""),
    ] {
        let e = errors(&BIO.replace("dt = \"2 h\"", &format!("dt = {dt}")));
        let x = only(&e, "biology.dt");
        assert_eq!((x.line, x.column), (17, 6), "{dt}");
        assert_eq!(x.value.as_deref(), Some(dt.trim_matches('"')), "{dt}");
        assert!(x.message.contains(message), "{dt}: {}", x.message);
        assert!(x.allowed.is_some(), "{dt}");
    }
    // a bare number is the wrong type
    let e = errors(&BIO.replace("dt = \"2 h\"", "dt = 2"));
    let x = only(&e, "biology.dt");
    assert!(x.message.contains("expected a string with a unit"), "{x:?}");
    // enabled must be a boolean
    let e = errors(&BIO.replace("enabled = true", "enabled = \"yes\""));
    let x = only(&e, "biology.enabled");
    assert_eq!((x.line, x.column), (16, 11));
    assert!(x.message.contains("true or false"), "{x:?}");
}

#[test]
fn misplaced_biology_keys_get_suggestions() {
    let e = errors(&BIO.replace("enabled = true", "enable = true"));
    let x = only(&e, "biology.enable");
    assert_eq!(x.suggestion.as_deref(), Some("enabled"));
    assert_eq!(x.allowed.as_deref(), Some("enabled, dt"));
    assert_eq!((x.line, x.column), (16, 1));
    // `enabled` written in [solver] points to [biology]
    let e = errors(&BIO.replace("dt = \"1 d\"", "dt = \"1 d\"\nenabled = true"));
    let x = only(&e, "solver.enabled");
    assert_eq!(x.suggestion.as_deref(), Some("biology.enabled"));
    // a misspelt table name
    let e = errors(&BIO.replace("[biology]", "[biologie]"));
    let x = only(&e, "biologie");
    assert_eq!(x.suggestion.as_deref(), Some("biology"));
}

#[test]
fn disable_lists_mechanisms_in_order() {
    let s = parsed(BIO);
    let t = &s.arms[0].treatments[0];
    assert_eq!(
        t.disable,
        vec![Mechanism::RosScavenging, Mechanism::Payload]
    );
    let s = parsed(&BIO.replace(
        "[\"ros_scavenging\", \"payload\"]",
        "[\"mechanical_support\"]",
    ));
    assert_eq!(
        s.arms[0].treatments[0].disable,
        vec![Mechanism::MechanicalSupport]
    );
    // absent or empty: nothing switched off
    let s = parsed(&BIO.replace("disable = [\"ros_scavenging\", \"payload\"]\n", ""));
    assert!(s.arms[0].treatments[0].disable.is_empty());
    let s = parsed(&BIO.replace("[\"ros_scavenging\", \"payload\"]", "[]"));
    assert!(s.arms[0].treatments[0].disable.is_empty());
}

#[test]
fn unknown_or_repeated_mechanisms_are_errors() {
    let e = errors(&BIO.replace("\"ros_scavenging\", ", "\"ros_scavening\", "));
    let x = only(&e, "arm[0].treatment[0].disable[0]");
    assert_eq!((x.line, x.column), (26, 12));
    assert_eq!(x.value.as_deref(), Some("ros_scavening"));
    assert_eq!(x.suggestion.as_deref(), Some("ros_scavenging"));
    assert_eq!(
        x.allowed.as_deref(),
        Some("mechanical_support, ros_scavenging, payload, ccl2_trap, damp_scavenging, cells")
    );
    let e = errors(&BIO.replace("\"payload\"]", "\"ros_scavenging\"]"));
    let x = only(&e, "arm[0].treatment[0].disable[1]");
    assert_eq!((x.line, x.column), (26, 30));
    assert!(x.message.contains("twice"), "{}", x.message);
    assert_eq!(x.value.as_deref(), Some("ros_scavenging"));
    // not an array, or not strings
    let e = errors(&BIO.replace("[\"ros_scavenging\", \"payload\"]", "\"payload\""));
    let x = only(&e, "arm[0].treatment[0].disable");
    assert!(x.message.contains("expected an array"), "{}", x.message);
    let e = errors(&BIO.replace("\"payload\"]", "3]"));
    let x = only(&e, "arm[0].treatment[0].disable[1]");
    assert!(x.message.contains("expected a string"), "{}", x.message);
}

#[test]
fn mechanism_ids_match_the_format() {
    let ids: Vec<&str> = Mechanism::ALL.iter().map(|m| m.id()).collect();
    assert_eq!(ids, super::format::MECHANISMS);
    assert_eq!(
        ids,
        [
            "mechanical_support",
            "ros_scavenging",
            "payload",
            "ccl2_trap",
            "damp_scavenging",
            "cells"
        ]
        .to_vec()
    );
    for m in Mechanism::ALL {
        assert_eq!(Mechanism::from_id(m.id()), Some(m));
    }
    assert_eq!(Mechanism::from_id("nanozyme"), None);
}

#[test]
fn resolved_file_keeps_biology_and_disable() {
    let reg = Registry::builtin();
    for text in [
        BIO.to_string(),
        BIO.replace("enabled = true", "enabled = false")
            .replace("dt = \"2 h\"", "dt = \"1.5 s\""),
        BIO.replace("[biology]\nenabled = true\ndt = \"2 h\"\n", "")
            .replace("disable = [\"ros_scavenging\", \"payload\"]\n", ""),
    ] {
        let s = parsed(&text);
        let out = resolved_toml(&s, &[]);
        assert!(out.contains("[biology]\n"), "{out}");
        let mut back =
            parse(&out, &reg).unwrap_or_else(|e| panic!("{}\n{out}", e.render("resolved")));
        back.source_text = s.source_text.clone();
        // the dose is rewritten in canonical units ("10 ug" -> "10000 ng")
        back.arms[0].treatments[0].dose_text = s.arms[0].treatments[0].dose_text.clone();
        assert_eq!(back, s, "{out}");
    }
    let out = resolved_toml(&parsed(BIO), &[]);
    assert!(
        out.contains("enabled = true\ndt = \"7200 s\"  # 2 h\n"),
        "{out}"
    );
    assert!(
        out.contains("disable = [\"ros_scavenging\", \"payload\"]\n"),
        "{out}"
    );
}

#[test]
fn schema_lists_biology_and_disable() {
    let schema = json_schema();
    let defs = &schema["$defs"];
    let bio = &defs["RawBiology"];
    assert_eq!(bio["additionalProperties"], false);
    assert_eq!(bio["properties"]["enabled"]["type"], "boolean");
    assert_eq!(bio["properties"]["dt"]["default"], "6 h");
    let t = &defs["RawTreatment"];
    let mut keys: Vec<String> = t["properties"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    let mut want: Vec<String> = super::format::TREATMENT_KEYS
        .iter()
        .map(|s| s.to_string())
        .collect();
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(t["properties"]["disable"]["uniqueItems"], true);
    let text = defs["RawMechanism"].to_string();
    for m in Mechanism::ALL {
        assert!(text.contains(&format!("\"{}\"", m.id())), "{}", m.id());
    }
}

#[test]
fn disabling_a_mechanism_the_treatment_lacks_is_an_error() {
    // a plain PLGA microsphere carrier has no nanozyme: ros_scavenging is not its mechanism
    let text = BIO.replace(
        "carrier = \"pbnp_hydrogel\"",
        "carrier = \"plga_microsphere\"",
    );
    let text = text.replace("[\"ros_scavenging\", \"payload\"]", "[\"ros_scavenging\"]");
    let e = errors(&text);
    let x = only(&e, "arm[0].treatment[0].disable");
    assert_eq!(x.value.as_deref(), Some("ros_scavenging"));
    let allowed = x.allowed.as_deref().unwrap_or("");
    assert!(
        allowed.contains("payload") && !allowed.contains("ros"),
        "{allowed}"
    );
    // the CCL2 trap is a cord mechanism: not available in a disc
    let e = errors(&BIO.replace("[\"ros_scavenging\", \"payload\"]", "[\"ccl2_trap\"]"));
    let x = only(&e, "arm[0].treatment[0].disable");
    assert_eq!(x.value.as_deref(), Some("ccl2_trap"));
}
