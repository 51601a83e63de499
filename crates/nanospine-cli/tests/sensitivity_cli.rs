//! End-to-end tests of `nanospine sensitivity`: the files it writes, the direction of a known
//! dependence, and clear errors.

use std::path::{Path, PathBuf};

mod common;
use common::{bin, SMALL};

/// Vary the CEP glucose supply and print the NP glucose minimum.
const CEP_SUPPLY: [&str; 4] = [
    "--param",
    "glucose.boundary.cep",
    "--readouts",
    "glucose_min_np",
];

fn setup(name: &str) -> (PathBuf, PathBuf) {
    let d = std::env::temp_dir().join(format!("nanospine-sens-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let f = d.join("s.toml");
    std::fs::write(&f, SMALL).unwrap();
    (d, f)
}

fn sens(file: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    bin()
        .arg("sensitivity")
        .arg(file)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Value of column `col` in the CSV row whose first cells match `key`.
fn cell(csv: &str, key: &[&str], col: &str) -> f64 {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header.iter().position(|h| *h == col).unwrap();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if key.iter().all(|want| cells.contains(want)) {
            return cells[k].parse().unwrap();
        }
    }
    panic!("no row with {key:?}");
}

#[test]
fn one_at_a_time_writes_the_table_and_a_lower_supply_lowers_nucleus_glucose() {
    let (d, f) = setup("oat");
    let out = d.join("out");
    let o = sens(&f, &out, &CEP_SUPPLY);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    // range 3-5 mM around the 4 mM baseline: the NP minimum follows the CEP supply
    let low = cell(&csv, &["low", "open", "2", "glucose_min_np"], "perturbed");
    let high = cell(&csv, &["high", "open", "2", "glucose_min_np"], "perturbed");
    let base = cell(&csv, &["low", "open", "2", "glucose_min_np"], "baseline");
    assert!(low < base && base < high, "{low} {base} {high}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sensitivity.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["selection"]["varied"][0]["name"],
        "glucose.boundary.cep"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("open, day 2, value:") && stdout.contains("glucose_min_np: baseline"),
        "{stdout}"
    );
    // day 1.9 asked for: the nearest sample day, 2, is printed
    let o = sens(
        &f,
        &d.join("out0"),
        &[
            "--param",
            "glucose.boundary.cep",
            "--readouts",
            "glucose_min_np",
            "--day",
            "1.9",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("open, day 2, value:"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the nearest, day 2, is printed"));
}

#[test]
fn latin_hypercube_lists_every_sample_and_writes_bands() {
    let (d, f) = setup("lhs");
    let out = d.join("out");
    let o = sens(
        &f,
        &out,
        &[
            "--param",
            "glucose.boundary.*",
            "--method",
            "lhs",
            "--samples",
            "4",
            "--seed",
            "3",
            "--readouts",
            "glucose_min_np",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let samples = std::fs::read_to_string(out.join("uncertainty_samples.csv")).unwrap();
    assert_eq!(samples.lines().count(), 5, "{samples}");
    assert_eq!(samples.matches(",ok,").count(), 4, "{samples}");
    let bands = std::fs::read_to_string(out.join("uncertainty.csv")).unwrap();
    let p05 = cell(&bands, &["open", "2", "glucose_min_np"], "p05");
    let p95 = cell(&bands, &["open", "2", "glucose_min_np"], "p95");
    assert!(p05 < p95, "{p05} {p95}");
    assert!(out.join("uncertainty.svg").exists());
}

#[test]
fn sobol_indices_put_the_nucleus_glucose_on_the_endplate_supply() {
    let (d, f) = setup("sobol");
    let out = d.join("out");
    let o = sens(
        &f,
        &out,
        &[
            "--param",
            "glucose.boundary.*",
            "--method",
            "sobol",
            "--samples",
            "8",
            "--readouts",
            "glucose_min_np",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("sobol.csv")).unwrap();
    assert!(csv.starts_with(
        "arm,role,day,readout,unit,quantity,variance,parameter,first_order,first_order_lo95,first_order_hi95,total,total_lo95,total_hi95"
    ));
    // the NP glucose minimum is set by the endplate supply, not by the annulus one
    let key = |p: &'static str| ["open", "2", "glucose_min_np", "value", p];
    let cep = cell(&csv, &key("glucose.boundary.cep"), "total");
    let af = cell(&csv, &key("glucose.boundary.af"), "total");
    assert!(cep > 0.5 && cep > 5.0 * af, "cep {cep} af {af}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Sobol indices: 8 base samples, 32 runs"),
        "{stdout}"
    );
    assert!(out.join("sobol.json").exists());
    // too many runs for the limit: named, nothing written
    let never = d.join("never");
    let o = sens(
        &f,
        &never,
        &[
            "--param",
            "glucose.boundary.*",
            "--method",
            "sobol",
            "--samples",
            "9000",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--samples = 9000"));
    assert!(!never.exists());
}

#[test]
fn errors_name_the_parameter_and_write_nothing() {
    let (d, f) = setup("err");
    for (args, want) in [
        (vec!["--param", "cep.exchange_areaa"], "cep.exchange_area"),
        (vec!["--param", "cep.exchange_area"], "arm 'calcified'"),
        (
            vec!["--param", "nosuch.*"],
            "no registry parameter starts with 'nosuch.'",
        ),
        (
            vec![
                "--param",
                "glucose.boundary.cep",
                "--method",
                "lhs",
                "--samples",
                "1",
            ],
            "--samples = 1",
        ),
        (
            vec!["--param", "glucose.boundary.cep", "--day", "9"],
            "--day 9: allowed 0 to",
        ),
    ] {
        let out = d.join("never");
        let o = sens(&f, &out, &args);
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote output");
    }
}

#[test]
fn study_checks_next_to_the_scenario_are_evaluated_on_every_run() {
    let (d, f) = setup("checks");
    // a findings file next to the scenario that lists it: the open disc keeps its NP glucose
    // minimum above 1.5 mM at the baseline CEP supply (4 mM), not at the low end (3 mM)
    std::fs::write(
        d.join("checks.toml"),
        r#"
[[study]]
file = "s.toml"
citation = "test"
[[study.check]]
readout = "glucose_min_np"
day = 2
arm = "open"
kind = "range"
lo = 1.5
hi = 5.0
finding = "test floor"
"#,
    )
    .unwrap();
    let out = d.join("out");
    let o = sens(&f, &out, &CEP_SUPPLY);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("[pass] s: open glucose_min_np d2 range")
            && stdout.contains("changed by glucose.boundary.cep low (fails"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("checks.csv")).unwrap();
    assert!(csv.contains(",baseline,,true,"), "{csv}");
    assert!(csv.contains("glucose.boundary.cep,low,3,false,"), "{csv}");
    assert!(csv.contains("glucose.boundary.cep,high,5,true,"), "{csv}");
    // a findings file given by hand must list the scenario
    let o = sens(
        &f,
        &d.join("never"),
        &[
            "--param",
            "glucose.boundary.cep",
            "--checks",
            d.join("s.toml").to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
}
