//! End-to-end tests of carriers in the disc through the binary: every bundled scenario checks,
//! a shortened carrier-vs-bolus run writes the payload read-outs, fields, plot and balance, and
//! its resolved scenario reproduces it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanospine"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nanospine-deliv-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn every_bundled_scenario_checks() {
    let mut n = 0;
    for e in std::fs::read_dir(examples()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let o = bin().args(["check", p.to_str().unwrap()]).output().unwrap();
            assert!(
                o.status.success(),
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&o.stderr)
            );
            n += 1;
        }
    }
    assert!(n >= 4, "found {n} example scenarios");
}

/// The rat carrier-vs-bolus example, shortened to 3 days on a coarser grid, plus an untreated arm.
fn short_rat() -> String {
    let text =
        std::fs::read_to_string(examples().join("carrier-vs-bolus-rat-caudal.toml")).unwrap();
    let text = text
        .replace("end_time = \"56 d\"", "end_time = \"3 d\"")
        .replace("spacing = \"0.05 mm\"", "spacing = \"0.1 mm\"")
        .replace(
            "output_times = [\"0 d\", \"1 d\", \"7 d\", \"28 d\", \"56 d\"]",
            "output_times = [\"0 d\", \"3 d\"]",
        );
    assert!(text.contains("end_time = \"3 d\"") && text.contains("\"3 d\"]"));
    text + "\n[[arm]]\nname = \"untreated\"\n"
}

fn run(file: &Path, out: &Path) {
    let o = bin()
        .args(["run", file.to_str().unwrap(), "--quiet", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn carrier_run_writes_payload_readouts_and_reproduces() {
    let dir = tmp("rat");
    let f = dir.join("s.toml");
    std::fs::write(&f, short_rat()).unwrap();
    let out = dir.join("out");
    run(&f, &out);
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for col in [
        "dexamethasone_coverage_NP_fraction",
        "dexamethasone_in_carrier_ug",
        "dexamethasone_cleared_ug",
        "dexamethasone_consumed_ug",
    ] {
        assert!(header.contains(&col), "{col} missing in {header:?}");
    }
    let cov = header
        .iter()
        .position(|c| *c == "dexamethasone_coverage_NP_fraction")
        .unwrap();
    // the untreated arm has empty payload cells; treated arms have numbers
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[0] == "untreated" {
            assert_eq!(cells[cov], "", "{line}");
        } else {
            assert!(cells[cov].parse::<f64>().is_ok(), "{line}");
        }
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let arms = summary["arms"].as_array().unwrap();
    assert_eq!(arms.len(), 5);
    for a in arms.iter().filter(|a| a["name"] != "untreated") {
        let imb = a["delivery"]["max_relative_amount_imbalance"]
            .as_f64()
            .unwrap();
        assert!(imb < 1e-9, "{}: {imb}", a["name"]);
    }
    assert!(arms[4]["delivery"].is_null());
    assert!(out.join("plots/delivery.svg").exists());
    // arms.csv: long form with roles (treated arms default to "treatment", untreated to "sham")
    let long = std::fs::read_to_string(out.join("arms.csv")).unwrap();
    assert_eq!(
        long.lines().next().unwrap(),
        "arm,role,day,readout,unit,value"
    );
    assert!(long
        .lines()
        .any(|l| l.starts_with("free_bolus,treatment,3,dexamethasone_coverage_np_fraction,1,")));
    assert!(long
        .lines()
        .any(|l| l.starts_with("untreated,sham,0,glucose_min_np,mM,")));
    assert!(!long
        .lines()
        .any(|l| l.starts_with("untreated,sham,0,dexamethasone")));
    let vti = std::fs::read_to_string(out.join("fields/hydrogel_depot_001.vti")).unwrap();
    assert!(vti.contains("dexamethasone_free_ng_per_mL"));
    assert!(vti.contains("dexamethasone_time_above_effective_d"));
    // the resolved scenario reproduces the time series exactly
    let out2 = dir.join("out2");
    run(&out.join("scenario.resolved.toml"), &out2);
    assert_eq!(
        csv,
        std::fs::read_to_string(out2.join("timeseries.csv")).unwrap()
    );
}
