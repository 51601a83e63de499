//! Tests of the scenario format: a full valid file, every error class (key, line, column,
//! suggestion), `--set`, the resolved file round trip and the JSON Schema.

use super::*;
use crate::grid::GridKind;
use crate::params::Registry;

/// The full example of the format. Line numbers matter to the tests below.
pub(crate) const FULL: &str = r#"# Human L4-L5 disc nutrition (test example)
[scenario]
name = "Human L4-L5 disc nutrition: healthy vs calcified endplates"
description = "CEP calcification reduces exchange area"
species = "human_l4l5"
grade = 2

[grid]
kind = "cartesian3d"
spacing = "250 um"
shape = "kidney"

[solver]
mode = "transient"
method = "lod"
end_time = "60 d"
dt = "6 h"
initial = "boundary"
output_times = ["0 d", "7 d", "30 d", "1440 h"]
tolerance = 1e-8
max_iterations = 80

[parameters]
"glucose.boundary.cep" = "4.0 mM"

[[arm]]
name = "healthy"
description = "intact endplates"

[[arm]]
name = "calcified"
grade = 3
[arm.parameters]
"cep.exchange_area" = 0.3

[outputs]
fields = false
plots = true
timeseries_interval = "1 d"
"#;

/// A minimal valid steady file.
const MINIMAL: &str = r#"[scenario]
name = "minimal"
species = "rat_caudal"
grade = 1

[grid]
kind = "axisymmetric"
spacing = "0.05 mm"

[solver]
mode = "steady"
"#;

fn registry() -> Registry {
    Registry::builtin()
}

fn errors_of(text: &str) -> Vec<ScenarioError> {
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

/// `FULL` with `from` replaced by `to` (which must occur).
fn full_with(from: &str, to: &str) -> String {
    assert!(FULL.contains(from), "{from}");
    FULL.replacen(from, to, 1)
}

/// Value of registry parameter `name` after converting `value` given in its own unit.
fn unit_of(name: &str) -> String {
    registry()
        .get(name)
        .map(|p| p.unit.clone())
        .unwrap_or_else(|| panic!("registry lacks {name}"))
}

#[test]
fn full_example_parses_to_model_units() {
    let s = parse(FULL, &registry()).unwrap_or_else(|e| panic!("{}", e.render("FULL")));
    assert_eq!(
        s.name,
        "Human L4-L5 disc nutrition: healthy vs calcified endplates"
    );
    assert_eq!(s.description, "CEP calcification reduces exchange area");
    assert_eq!(s.species, "human_l4l5");
    assert_eq!(s.grade, 2);
    assert_eq!(s.grid.kind, GridKind::Cartesian3d);
    assert!((s.grid.spacing_mm - 0.25).abs() < 1e-12, "250 um = 0.25 mm");
    assert_eq!(s.grid.shape, Shape::Kidney);
    assert_eq!(s.solver.mode, Mode::Transient);
    assert_eq!(s.solver.method, Method::Lod);
    assert!((s.solver.end_time_s - 60.0 * 86400.0).abs() < 1e-6);
    assert!((s.solver.dt_s - 6.0 * 3600.0).abs() < 1e-9);
    assert_eq!(s.solver.initial, Initial::Boundary);
    let expected = [0.0, 7.0 * 86400.0, 30.0 * 86400.0, 1440.0 * 3600.0];
    assert_eq!(s.solver.output_times_s.len(), 4);
    for (got, want) in s.solver.output_times_s.iter().zip(expected) {
        assert!(
            (got - want).abs() <= 1e-9 * want.max(1.0),
            "{got} vs {want}"
        );
    }
    assert_eq!(s.solver.tolerance, 1e-8);
    assert_eq!(s.solver.max_iterations, 80);
    assert_eq!(s.parameters.len(), 1);
    assert_eq!(s.parameters[0].name, "glucose.boundary.cep");
    assert_eq!(s.parameters[0].text, "4.0 mM");
    let want = if unit_of("glucose.boundary.cep") == "mM" {
        4.0
    } else {
        f64::NAN
    };
    assert!(
        (s.parameters[0].value - want).abs() < 1e-12,
        "{}",
        s.parameters[0].value
    );
    assert_eq!(s.arms.len(), 2);
    assert_eq!(s.arms[0].name, "healthy");
    assert_eq!(s.arms[0].description, "intact endplates");
    assert_eq!(s.arms[0].grade, None);
    assert!(s.arms[0].parameters.is_empty());
    assert_eq!(s.arms[1].name, "calcified");
    assert_eq!(s.arms[1].grade, Some(3));
    assert_eq!(
        s.arms[1].parameters,
        vec![Override {
            name: "cep.exchange_area".into(),
            text: "0.3".into(),
            value: 0.3
        }]
    );
    assert!(!s.outputs.fields);
    assert!(s.outputs.plots);
    assert!((s.outputs.timeseries_interval_s - 86400.0).abs() < 1e-9);
    assert_eq!(s.source_text, FULL);
}

#[test]
fn minimal_file_gets_the_defaults() {
    let s = parse(MINIMAL, &registry()).unwrap_or_else(|e| panic!("{}", e.render("MINIMAL")));
    assert_eq!(s.description, "");
    assert_eq!(s.grid.kind, GridKind::Axisymmetric);
    assert!((s.grid.spacing_mm - 0.05).abs() < 1e-15);
    assert_eq!(s.grid.shape, Shape::Ellipse);
    assert_eq!(s.solver.mode, Mode::Steady);
    assert_eq!(s.solver.method, Method::Implicit);
    assert_eq!(s.solver.initial, Initial::Steady);
    assert_eq!(s.solver.tolerance, 1e-10);
    assert_eq!(s.solver.max_iterations, 50);
    assert_eq!((s.solver.end_time_s, s.solver.dt_s), (0.0, 0.0));
    assert!(s.solver.output_times_s.is_empty());
    assert!(s.parameters.is_empty());
    assert_eq!(s.arms.len(), 1);
    assert_eq!(s.arms[0].name, "baseline");
    assert!(s.outputs.fields && s.outputs.plots);
}

#[test]
fn transient_defaults_follow_dt_and_end_time() {
    let text = MINIMAL.replace(
        "mode = \"steady\"",
        "mode = \"transient\"\nend_time = \"2 d\"\ndt = \"30 min\"",
    );
    let s = parse(&text, &registry()).unwrap_or_else(|e| panic!("{}", e.render("t")));
    assert_eq!(s.solver.output_times_s, vec![2.0 * 86400.0]);
    assert_eq!(s.outputs.timeseries_interval_s, 1800.0);
}

#[test]
fn steady_mode_ignores_transient_settings() {
    let text = full_with("mode = \"transient\"", "mode = \"steady\"");
    let s = parse(&text, &registry()).unwrap_or_else(|e| panic!("{}", e.render("s")));
    assert_eq!((s.solver.end_time_s, s.solver.dt_s), (0.0, 0.0));
    assert!(s.solver.output_times_s.is_empty());
    assert_eq!(s.outputs.timeseries_interval_s, 0.0);
    // ... but still checks them.
    let text = text.replace("dt = \"6 h\"", "dt = \"6 mm\"");
    find(&errors_of(&text), "solver.dt");
}

#[test]
fn misspelt_key_suggests_the_right_one() {
    let errs = errors_of(&full_with("species = ", "speceis = "));
    let e = find(&errs, "scenario.speceis");
    assert_eq!((e.line, e.column), (5, 1));
    assert_eq!(e.suggestion.as_deref(), Some("species"));
    assert!(e.allowed.as_deref().is_some_and(|a| a.contains("grade")));
    // the required key is now missing, reported at the [scenario] header
    let m = find(&errs, "scenario.species");
    assert_eq!((m.line, m.column), (2, 2));
    let rendered = ScenarioErrors(errs.clone()).render("study.toml");
    assert!(
        rendered.contains("study.toml:5:1: scenario.speceis: unknown key in [scenario]"),
        "{rendered}"
    );
    assert!(
        rendered.contains("help: did you mean `species`?"),
        "{rendered}"
    );
}

#[test]
fn misspelt_parameter_suggests_the_registry_name() {
    let errs = errors_of(&full_with(
        "\"glucose.boundary.cep\" =",
        "\"glucose.boundary.cpe\" =",
    ));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = find(&errs, "parameters.\"glucose.boundary.cpe\"");
    assert_eq!((e.line, e.column), (24, 1));
    assert_eq!(e.suggestion.as_deref(), Some("glucose.boundary.cep"));
}

#[test]
fn unquoted_dotted_parameter_name_suggests_quoting() {
    let errs = errors_of(&full_with(
        "\"glucose.boundary.cep\" =",
        "glucose.boundary.cep =",
    ));
    let e = find(&errs, "parameters.glucose");
    assert_eq!((e.line, e.column), (24, 1));
    assert_eq!(e.suggestion.as_deref(), Some("\"glucose.boundary.cep\""));
}

#[test]
fn arm_parameter_errors_carry_the_arm_index() {
    let errs = errors_of(&full_with(
        "\"cep.exchange_area\" = 0.3",
        "\"cep.exchange_area\" = true",
    ));
    let e = find(&errs, "arm[1].parameters.\"cep.exchange_area\"");
    assert_eq!((e.line, e.column), (34, 23));
    assert_eq!(e.value.as_deref(), Some("true"));
    let errs = errors_of(&full_with(
        "\"cep.exchange_area\" = 0.3",
        "\"cep.exchange_areaa\" = 0.3",
    ));
    let e = find(&errs, "arm[1].parameters.\"cep.exchange_areaa\"");
    assert_eq!(e.suggestion.as_deref(), Some("cep.exchange_area"));
}

#[test]
fn key_in_the_wrong_table_points_to_its_table() {
    let errs = errors_of(&full_with(
        "shape = \"kidney\"",
        "shape = \"kidney\"\ndt = \"1 h\"",
    ));
    let e = find(&errs, "grid.dt");
    assert_eq!((e.line, e.column), (12, 1));
    assert_eq!(e.suggestion.as_deref(), Some("solver.dt"));
    let errs = errors_of(&full_with("[outputs]", "[output]"));
    let e = find(&errs, "output");
    assert_eq!((e.line, e.column), (36, 2));
    assert_eq!(e.suggestion.as_deref(), Some("outputs"));
}

#[test]
fn wrong_types_name_the_expected_type() {
    let errs = errors_of(&full_with("grade = 2", "grade = \"2\""));
    let e = find(&errs, "scenario.grade");
    assert_eq!((e.line, e.column), (6, 9));
    assert!(
        e.message.contains("integer") && e.message.contains("string"),
        "{}",
        e.message
    );
    let errs = errors_of(&full_with("fields = false", "fields = \"no\""));
    let e = find(&errs, "outputs.fields");
    assert_eq!((e.line, e.column), (37, 10));
    let errs = errors_of(&full_with(
        "[[arm]]\nname = \"healthy\"",
        "[arm]\nname = \"healthy\"",
    ));
    assert!(!errs.is_empty());
}

#[test]
fn quantities_need_a_unit_of_the_right_dimension() {
    let errs = errors_of(&full_with("spacing = \"250 um\"", "spacing = \"250 s\""));
    let e = find(&errs, "grid.spacing");
    assert_eq!((e.line, e.column), (10, 11));
    assert_eq!(e.value.as_deref(), Some("250 s"));
    assert!(e.allowed.as_deref().is_some_and(|a| a.contains("mm")));
    let errs = errors_of(&full_with("spacing = \"250 um\"", "spacing = \"0.25\""));
    assert!(find(&errs, "grid.spacing").message.contains("missing unit"));
    let errs = errors_of(&full_with("spacing = \"250 um\"", "spacing = 0.25"));
    assert!(find(&errs, "grid.spacing").message.contains("string"));
    let errs = errors_of(&full_with("end_time = \"60 d\"", "end_time = \"60 mM\""));
    let e = find(&errs, "solver.end_time");
    assert_eq!((e.line, e.column), (16, 12));
    let errs = errors_of(&full_with(
        "\"glucose.boundary.cep\" = \"4.0 mM\"",
        "\"glucose.boundary.cep\" = \"4.0 kPa\"",
    ));
    let e = find(&errs, "parameters.\"glucose.boundary.cep\"");
    assert_eq!((e.line, e.column), (24, 26));
    let errs = errors_of(&full_with(
        "\"glucose.boundary.cep\" = \"4.0 mM\"",
        "\"glucose.boundary.cep\" = 4.0",
    ));
    assert!(find(&errs, "parameters.\"glucose.boundary.cep\"")
        .message
        .contains("unit"));
}

#[test]
fn parameter_values_outside_registry_bounds_are_rejected() {
    let reg = registry();
    let p = reg.get("glucose.boundary.cep").expect("registry parameter");
    let too_big = if p.bounds.1.is_finite() {
        p.bounds.1 * 2.0 + 1.0
    } else {
        f64::NAN
    };
    let too_small = if p.bounds.0.is_finite() {
        p.bounds.0 - 1.0 - p.bounds.0.abs()
    } else {
        f64::NAN
    };
    for v in [too_big, too_small].into_iter().filter(|v| v.is_finite()) {
        let line = format!("\"glucose.boundary.cep\" = \"{v} {}\"", p.unit);
        let errs = errors_of(&full_with("\"glucose.boundary.cep\" = \"4.0 mM\"", &line));
        let e = find(&errs, "parameters.\"glucose.boundary.cep\"");
        assert!(e.message.contains("bounds"), "{}", e.message);
        assert!(e.allowed.is_some());
    }
    let q = reg.get("cep.exchange_area").expect("registry parameter");
    let errs = errors_of(&full_with(
        "\"cep.exchange_area\" = 0.3",
        &format!("\"cep.exchange_area\" = {}", q.bounds.1 + 1.0),
    ));
    find(&errs, "arm[1].parameters.\"cep.exchange_area\"");
}

#[test]
fn unknown_species_lists_the_allowed_ones() {
    let errs = errors_of(&full_with("\"human_l4l5\"", "\"humn_l4l5\""));
    let e = find(&errs, "scenario.species");
    assert_eq!((e.line, e.column), (5, 11));
    assert_eq!(e.suggestion.as_deref(), Some("human_l4l5"));
    let allowed = e.allowed.clone().unwrap_or_default();
    for s in SPECIES {
        assert!(allowed.contains(s), "{allowed}");
    }
    let errs = errors_of(&full_with("\"human_l4l5\"", "\"zebrafish\""));
    assert_eq!(find(&errs, "scenario.species").suggestion, None);
}

#[test]
fn grades_outside_one_to_five_are_rejected() {
    for bad in ["0", "6", "-1", "99999999999999999999"] {
        let text = full_with("grade = 2", &format!("grade = {bad}"));
        let errs = errors_of(&text);
        if errs[0].key == "syntax" {
            continue; // integer literal too large for TOML
        }
        let e = find(&errs, "scenario.grade");
        assert_eq!((e.line, e.column), (6, 9));
        assert_eq!(e.allowed.as_deref(), Some("1..=5"));
    }
    let errs = errors_of(&full_with("grade = 3", "grade = 9"));
    let e = find(&errs, "arm[1].grade");
    assert_eq!((e.line, e.column), (32, 9));
}

#[test]
fn arm_names_must_be_valid_and_unique() {
    let errs = errors_of(&full_with("name = \"calcified\"", "name = \"healthy\""));
    let e = find(&errs, "arm[1].name");
    assert_eq!((e.line, e.column), (31, 8));
    assert!(
        e.message.contains("duplicate") && e.message.contains("line 27"),
        "{}",
        e.message
    );
    let errs = errors_of(&full_with(
        "name = \"calcified\"",
        "name = \"calc ified/x\"",
    ));
    let e = find(&errs, "arm[1].name");
    assert!(e.message.contains("invalid arm name"));
    let errs = errors_of(&full_with("name = \"calcified\"", "nam = \"calcified\""));
    assert_eq!(
        find(&errs, "arm[1].nam").suggestion.as_deref(),
        Some("name")
    );
    let m = find(&errs, "arm[1].name");
    assert!(m.message.contains("missing"));
}

#[test]
fn time_settings_are_checked_against_each_other() {
    let errs = errors_of(&full_with("dt = \"6 h\"", "dt = \"61 d\""));
    let e = find(&errs, "solver.dt");
    assert_eq!((e.line, e.column), (17, 6));
    assert!(e.message.contains("longer than end_time"));
    let errs = errors_of(&full_with("\"1440 h\"]", "\"1441 h\"]"));
    let e = find(&errs, "solver.output_times[3]");
    assert_eq!((e.line, e.column), (19, 39));
    let errs = errors_of(&full_with("[\"0 d\", \"7 d\"", "[\"0 d\", \"0 h\""));
    let e = find(&errs, "solver.output_times[1]");
    assert!(e.message.contains("increasing"));
    let errs = errors_of(&full_with("[\"0 d\"", "[\"-1 d\""));
    find(&errs, "solver.output_times[0]");
    let errs = errors_of(&full_with("end_time = \"60 d\"", "end_time = \"0 d\""));
    find(&errs, "solver.end_time");
    let errs = errors_of(&full_with("dt = \"6 h\"", "dt = \"0.1 s\""));
    assert!(find(&errs, "solver.dt").message.contains("too many"));
    let errs = errors_of(&full_with(
        "timeseries_interval = \"1 d\"",
        "timeseries_interval = \"1 h\"",
    ));
    find(&errs, "outputs.timeseries_interval");
    let errs = errors_of(&full_with("dt = \"6 h\"\n", ""));
    let e = find(&errs, "solver.dt");
    assert!(e.message.contains("missing"));
    assert_eq!((e.line, e.column), (13, 2));
}

#[test]
fn grid_settings_are_checked() {
    let errs = errors_of(&full_with(
        "kind = \"cartesian3d\"",
        "kind = \"axisymmetric\"",
    ));
    let e = find(&errs, "grid.shape");
    assert_eq!((e.line, e.column), (11, 1));
    for bad in ["0 mm", "-1 mm", "10 mm", "0.5 um"] {
        let errs = errors_of(&full_with("\"250 um\"", &format!("\"{bad}\"")));
        let e = find(&errs, "grid.spacing");
        assert!(
            e.allowed
                .as_deref()
                .is_some_and(|a| a.contains("0.001 mm to 5 mm")),
            "{e:?}"
        );
    }
    let errs = errors_of(&full_with("\"cartesian3d\"", "\"cartesian\""));
    assert_eq!(
        find(&errs, "grid.kind").suggestion.as_deref(),
        Some("cartesian3d")
    );
}

#[test]
fn solver_limits_are_checked() {
    for (from, to, key) in [
        ("tolerance = 1e-8", "tolerance = 0.01", "solver.tolerance"),
        ("tolerance = 1e-8", "tolerance = 0", "solver.tolerance"),
        ("tolerance = 1e-8", "tolerance = nan", "solver.tolerance"),
        (
            "max_iterations = 80",
            "max_iterations = 0",
            "solver.max_iterations",
        ),
        (
            "max_iterations = 80",
            "max_iterations = 1001",
            "solver.max_iterations",
        ),
        (
            "max_iterations = 80",
            "max_iterations = 8.0",
            "solver.max_iterations",
        ),
        ("method = \"lod\"", "method = \"LOD\"", "solver.method"),
        (
            "initial = \"boundary\"",
            "initial = \"zero\"",
            "solver.initial",
        ),
    ] {
        let errs = errors_of(&full_with(from, to));
        find(&errs, key);
    }
}

#[test]
fn syntax_errors_have_line_and_column() {
    let errs = errors_of("[scenario]\nname = \"x\"\ngrade = = 2\n");
    assert_eq!(errs[0].key, "syntax");
    assert_eq!(errs[0].line, 3);
    assert!(errs[0].column >= 7, "{errs:?}");
    let errs = errors_of("[scenario]\nname = \"x\"\nname = \"y\"\n");
    assert_eq!((errs[0].key.as_str(), errs[0].line), ("syntax", 3));
}

#[test]
fn all_errors_are_collected_in_file_order() {
    let text = full_with("species = ", "speceis = ")
        .replace("spacing = \"250 um\"", "spacing = \"250 s\"")
        .replace("\"glucose.boundary.cep\" =", "\"glucose.boundary.cpe\" =")
        .replace("name = \"calcified\"", "name = \"healthy\"");
    let errs = errors_of(&text);
    let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "scenario.species",
            "scenario.speceis",
            "grid.spacing",
            "parameters.\"glucose.boundary.cpe\"",
            "arm[1].name"
        ]
    );
    let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 5, 10, 24, 31]);
}

#[test]
fn missing_tables_are_reported() {
    let errs = errors_of("");
    let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
    for k in ["scenario", "grid", "solver"] {
        assert!(keys.contains(&k), "{keys:?}");
    }
    assert!(errs.iter().all(|e| (e.line, e.column) == (1, 1)));
}

#[test]
fn set_replaces_or_appends_overrides() {
    let reg = registry();
    let mut s = parse(FULL, &reg).unwrap_or_else(|e| panic!("{e}"));
    apply_set(&mut s, &reg, "glucose.boundary.cep=3.5 mM").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.parameters.len(), 1);
    assert_eq!(s.parameters[0].text, "3.5 mM");
    assert!((s.parameters[0].value - 3.5).abs() < 1e-12);
    apply_set(&mut s, &reg, "cep.exchange_area=0.4").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.parameters.len(), 2);
    assert_eq!(s.parameters[1].value, 0.4);
    apply_set(&mut s, &reg, " \"glucose.boundary.cep\" = \"2500 uM\" ")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!((s.parameters[0].value - 2.5).abs() < 1e-12);
}

#[test]
fn set_errors_use_the_set_key() {
    let reg = registry();
    let mut s = parse(FULL, &reg).unwrap_or_else(|e| panic!("{e}"));
    let before = s.clone();
    for (assignment, suggestion) in [
        ("glucose.boundary.cpe=3.5 mM", Some("glucose.boundary.cep")),
        ("glucose.boundary.cep=3.5", None),
        ("glucose.boundary.cep=3.5 kPa", None),
        ("glucose.boundary.cep", None),
        ("glucose.boundary.cep=1e30 mM", None),
    ] {
        let e = match apply_set(&mut s, &reg, assignment) {
            Ok(()) => panic!("{assignment} accepted"),
            Err(e) => e.0,
        };
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].key.as_str(), e[0].line, e[0].column), ("--set", 0, 0));
        assert_eq!(e[0].suggestion.as_deref(), suggestion, "{assignment}");
    }
    assert_eq!(s, before);
}

/// Effective parameters of every arm: registry values, then scenario-wide, then arm overrides.
fn effective(s: &Scenario, reg: &Registry) -> Vec<ArmParameters> {
    s.arms
        .iter()
        .map(|arm| {
            let list = reg
                .iter()
                .map(|p| {
                    let v = arm
                        .parameters
                        .iter()
                        .chain(s.parameters.iter())
                        .find(|o| o.name == p.name)
                        .map_or(p.value, |o| o.value);
                    (p.name.clone(), v, p.unit.clone())
                })
                .collect();
            (arm.name.clone(), list)
        })
        .collect()
}

#[test]
fn resolved_file_parses_back_to_the_same_scenario() {
    let reg = registry();
    let tricky = full_with(
        "description = \"CEP calcification reduces exchange area\"",
        "description = \"quote \\\" tab\\t newline\\n 'single' \\\\ é µ\"",
    );
    for text in [FULL, MINIMAL, tricky.as_str()] {
        let s = parse(text, &reg).unwrap_or_else(|e| panic!("{e}"));
        // without the used-parameter lists: the identical scenario
        let plain = resolved_toml(&s, &[]);
        let mut back =
            parse(&plain, &reg).unwrap_or_else(|e| panic!("{}\n{plain}", e.render("resolved")));
        assert_eq!(back.source_text, plain);
        back.source_text = s.source_text.clone();
        assert_eq!(back, s, "{plain}");
        // with them: same settings, and the same effective parameters per arm
        let used = effective(&s, &reg);
        let full = resolved_toml(&s, &used);
        let back =
            parse(&full, &reg).unwrap_or_else(|e| panic!("{}\n{full}", e.render("resolved")));
        assert_eq!(back.grid, s.grid);
        assert_eq!(back.solver, s.solver);
        assert_eq!(back.outputs, s.outputs);
        assert_eq!(back.parameters, s.parameters);
        assert_eq!(
            (back.grade, &back.species, &back.name),
            (s.grade, &s.species, &s.name)
        );
        for (a, b) in back.arms.iter().zip(&s.arms) {
            assert_eq!(
                (&a.name, &a.description, a.grade),
                (&b.name, &b.description, b.grade)
            );
        }
        let again = effective(&back, &reg);
        assert_eq!(again.len(), used.len());
        for ((n1, l1), (n2, l2)) in again.iter().zip(&used) {
            assert_eq!(n1, n2);
            assert_eq!(l1.len(), l2.len());
            for (x, y) in l1.iter().zip(l2) {
                assert_eq!(x.0, y.0);
                assert!(
                    (x.1 - y.1).abs() <= 1e-12 * y.1.abs(),
                    "{}: {} vs {}",
                    x.0,
                    x.1,
                    y.1
                );
            }
        }
        assert!(full.contains("[[arm]]"));
    }
}

#[test]
fn schema_matches_the_format() {
    use super::format::*;
    let schema = json_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let names = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    };
    let sorted = |k: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    let defs = &schema["$defs"];
    let resolve = |v: &serde_json::Value| -> serde_json::Value {
        match v["$ref"].as_str() {
            Some(r) => defs[r.trim_start_matches("#/$defs/")].clone(),
            None => v.clone(),
        }
    };
    assert_eq!(names(&schema), sorted(ROOT_KEYS));
    for (table, keys) in SETTING_TABLES {
        let t = resolve(&schema["properties"][*table]);
        let t = if t["anyOf"].is_array() {
            resolve(&t["anyOf"][0])
        } else {
            t
        };
        assert_eq!(names(&t), sorted(keys), "{table}");
    }
    let arm = resolve(&schema["properties"]["arm"]);
    let item = resolve(&arm["items"]);
    let item = if item["properties"].is_null() {
        resolve(&arm["anyOf"][0]["items"])
    } else {
        item
    };
    assert_eq!(names(&item), sorted(ARM_KEYS));
    let text = schema.to_string();
    for s in SPECIES
        .iter()
        .chain(GRID_KINDS)
        .chain(SHAPES)
        .chain(MODES)
        .chain(METHODS)
    {
        assert!(text.contains(&format!("\"{s}\"")), "{s}");
    }
    let params = &defs["Parameters"];
    assert_eq!(params["additionalProperties"], false);
    for p in registry().iter() {
        let d = params["properties"][&p.name]["description"]
            .as_str()
            .unwrap_or("");
        assert!(
            d.contains(p.unit.as_str()) || super::format::is_dimensionless(&p.unit),
            "{}",
            p.name
        );
    }
}

#[test]
fn species_enum_in_schema_is_exactly_the_list() {
    let schema = json_schema();
    let species = &schema["$defs"]["RawSpecies"];
    let mut got: Vec<String> = species["oneOf"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v["const"].as_str().map(String::from))
                .collect()
        })
        .or_else(|| {
            species["enum"].as_array().map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
        })
        .unwrap_or_default();
    got.sort();
    let mut want: Vec<String> = SPECIES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn every_species_has_anatomy_in_the_registry() {
    let reg = registry();
    for s in SPECIES {
        let name = format!("anatomy.{s}.disc_height");
        let p = reg
            .get(&name)
            .unwrap_or_else(|| panic!("registry lacks {name}"));
        assert_eq!(p.unit, "mm");
    }
}
