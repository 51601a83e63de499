//! End-to-end tests of the `nanospine` binary: determinism across thread counts, atomic output,
//! clear errors on bad input.

use std::path::{Path, PathBuf};

mod common;
use common::{bin, SMALL};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nanospine-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(dir: &Path, scenario: &str, out: &str, threads: usize) -> std::process::Output {
    let f = dir.join("s.toml");
    std::fs::write(&f, scenario).unwrap();
    bin()
        .args([
            "run",
            f.to_str().unwrap(),
            "--quiet",
            "--threads",
            &threads.to_string(),
            "--out",
        ])
        .arg(dir.join(out))
        .output()
        .unwrap()
}

#[test]
fn results_are_byte_identical_with_one_and_two_threads() {
    let d = tmp("det");
    let a = run(&d, SMALL, "t1", 1);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let b = run(&d, SMALL, "t2", 2);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    // summary.json is identical except for the wall-clock run time
    let strip = |p: PathBuf| -> serde_json::Value {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        assert!(v["run_time_s"].as_f64().unwrap() > 0.0);
        v.as_object_mut().unwrap().remove("run_time_s");
        v
    };
    assert!(strip(d.join("t1/summary.json")) == strip(d.join("t2/summary.json")));
    for f in [
        "timeseries.csv",
        "scenario.resolved.toml",
        "fields/open_001.vti",
        "fields/fields.pvd",
    ] {
        let x = std::fs::read(d.join("t1").join(f)).unwrap();
        let y = std::fs::read(d.join("t2").join(f)).unwrap();
        assert!(!x.is_empty(), "{f} empty");
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
    // the calcified arm loses more glucose than the open one
    let csv = std::fs::read_to_string(d.join("t1/timeseries.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let gi = header
        .iter()
        .position(|h| *h == "glucose_min_NP_mM")
        .unwrap();
    let last = |arm: &str| -> f64 {
        csv.lines()
            .rfind(|l| l.starts_with(&format!("{arm},")))
            .unwrap()
            .split(',')
            .nth(gi)
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(last("calcified") < last("open"));
    // the resolved scenario runs again and gives the same time series
    let r = bin()
        .args([
            "run",
            d.join("t1/scenario.resolved.toml").to_str().unwrap(),
            "--quiet",
            "--out",
        ])
        .arg(d.join("again"))
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let same = std::fs::read(d.join("t1/timeseries.csv")).unwrap()
        == std::fs::read(d.join("again/timeseries.csv")).unwrap();
    assert!(
        same,
        "re-running scenario.resolved.toml changed timeseries.csv"
    );
}

#[test]
fn bad_scenario_gives_located_error_and_no_output() {
    let d = tmp("bad");
    let bad = SMALL.replace("species = \"human_l4l5\"", "speceis = \"human_l4l5\"");
    let o = run(&d, &bad, "out", 1);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("speceis") && err.contains("species"), "{err}");
    assert!(err.contains(":4:"), "line number missing: {err}");
    assert!(!d.join("out").exists());
    // nothing staged is left behind either
    let leftovers: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn geometry_too_coarse_is_an_error_naming_spacing() {
    let d = tmp("coarse");
    let s = SMALL.replace("spacing = \"0.5 mm\"", "spacing = \"3 mm\"");
    let o = run(&d, &s, "out", 1);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("grid.spacing") && err.contains(":9:"), "{err}");
    // `check` finds it too, without running
    let c = bin()
        .args(["check", d.join("s.toml").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!c.status.success());
    assert!(String::from_utf8_lossy(&c.stderr).contains("grid.spacing"));
    assert!(!d.join("out").exists());
}

#[test]
fn wrong_unit_in_set_is_rejected() {
    let d = tmp("set");
    let f = d.join("s.toml");
    std::fs::write(&f, SMALL).unwrap();
    let o = bin()
        .args([
            "run",
            f.to_str().unwrap(),
            "--quiet",
            "--set",
            "glucose.boundary.cep=4 kPa",
            "--out",
        ])
        .arg(d.join("out"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("glucose.boundary.cep"), "{err}");
}

#[test]
fn check_accepts_bundled_example() {
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/human-l4l5-nutrition.toml");
    let o = bin()
        .args(["check", ex.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn check_lists_each_needle_with_its_ratio_and_severity() {
    let ex = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/studies/rat-tail-needle-gauge.toml");
    let o = bin()
        .args(["check", ex.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    // 26G in the 1.1 mm rat tail disc: ratio 0.42, graded mild; 20G-like 21G nearly full
    assert!(
        out.contains("arm \"puncture_26g\": needle_puncture 0.46 mm, 0.42 of the 1.10 mm disc height: severity factor 0.15"),
        "{out}"
    );
    assert!(
        out.contains("arm \"puncture_21g\"") && out.contains("severity factor 0.97"),
        "{out}"
    );
    // 16G (1.50) and 18G (1.15) saturate the severity but extrude more NP than 21G: the
    // calibration fraction 0.3 x s for 21G, 1 - (1 - 0.3)^((r / 0.83)^2) above the anchor
    for (arm, loss) in [
        ("puncture_16g", "0.69"),
        ("puncture_18g", "0.50"),
        ("puncture_21g", "0.29"),
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(&format!("arm \"{arm}\"")))
            .unwrap();
        assert!(line.ends_with(&format!("NP extruded {loss}")), "{line}");
    }
    // the sham arm has no injury line
    assert!(!out.contains("arm \"sham\""), "{out}");
}

#[test]
fn docs_parameter_table_is_generated_from_the_registry() {
    let md = nanospine::params::Registry::builtin().to_markdown();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/parameters.md");
    let on_disk = std::fs::read_to_string(&file).unwrap();
    assert!(
        md == on_disk,
        "docs/parameters.md is out of date: run `nanospine params --format markdown > docs/parameters.md`"
    );
}
