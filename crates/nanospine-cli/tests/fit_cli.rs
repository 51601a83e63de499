//! End-to-end tests of `nanospine fit`, `nanospine similarity`, `nanospine validate fit` and
//! `nanospine bench fit` on the bundled examples in `examples/release/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanospine"))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/release")
        .join(name)
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nanospine-fitcli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fit_json(file: &str, extra: &[&str], out: &Path) -> serde_json::Value {
    let o = bin()
        .arg("fit")
        .arg(example(file))
        .args(extra)
        .arg("--json")
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    serde_json::from_str(&ok(&o)).unwrap()
}

fn check_ranked(v: &serde_json::Value) {
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["models"]);
    let models = v["models"].as_array().unwrap();
    assert!(!models.is_empty());
    let aicc: Vec<f64> = models.iter().filter_map(|m| m["aicc"].as_f64()).collect();
    for w in aicc.windows(2) {
        assert!(w[0] <= w[1], "not ranked by AICc: {aicc:?}");
    }
    for (i, m) in models.iter().enumerate() {
        assert_eq!(m["rank"].as_u64(), Some(i as u64 + 1));
        for k in [
            "name", "params", "r2", "r2_adj", "aic", "aicc", "bic", "msc", "rmse", "t50", "t90",
        ] {
            assert!(m.get(k).is_some(), "model {} lacks {k}", m["name"]);
        }
        for (_, p) in m["params"].as_object().unwrap() {
            assert!(p["value"].is_f64());
            assert!(p.get("se").is_some() && p.get("ci95").is_some());
        }
    }
}

#[test]
fn fit_fixture_writes_outputs_and_ranks_models() {
    let d = tmp("fixture");
    let out = d.join("fixture");
    let o = bin()
        .arg("fit")
        .arg(example("fixture-ddsolver-parity.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let text = ok(&o);
    assert!(
        text.contains("weibull") && text.contains("first_order"),
        "{text}"
    );
    for f in ["fit.json", "fit.csv", "fit.svg"] {
        assert!(out.join(f).exists(), "missing {f}");
    }
    let v = fit_json("fixture-ddsolver-parity.csv", &[], &d.join("fixture-json"));
    check_ranked(&v);
    let w = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "weibull")
        .unwrap();
    assert!(w["r2"].as_f64().unwrap() > 0.99);
    // identical results on a second run (bit-identical JSON text)
    let again = fit_json("fixture-ddsolver-parity.csv", &[], &d.join("fixture-json2"));
    assert_eq!(v, again);
    assert_eq!(
        std::fs::read(d.join("fixture-json/fit.csv")).unwrap(),
        std::fs::read(d.join("fixture-json2/fit.csv")).unwrap()
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn fit_replicate_examples_in_both_modes() {
    let d = tmp("plga");
    for file in ["plga-synthetic-3rep.csv", "plga-synthetic-3rep-test.csv"] {
        let v = fit_json(file, &[], &d.join("mean"));
        check_ranked(&v);
        let p = fit_json(file, &["--replicates", "pooled"], &d.join("pooled"));
        check_ranked(&p);
        // pooled: 13 times x 3 replicates
        assert_eq!(p["models"][0]["n"].as_u64(), Some(39));
        assert_eq!(v["models"][0]["n"].as_u64(), Some(13));
        let csv = std::fs::read_to_string(d.join("pooled/fit.csv")).unwrap();
        assert!(csv.lines().next().unwrap().contains("t50_d"), "{csv}");
    }
    for file in ["bootf2-reference-mean.csv", "bootf2-test-mean.csv"] {
        check_ranked(&fit_json(file, &[], &d.join("bootf2")));
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn fit_windows_and_model_list() {
    let d = tmp("window");
    let v = fit_json(
        "fixture-ddsolver-parity.csv",
        &[
            "--model-window",
            "zero_order=:60",
            "--models",
            "zero_order,weibull",
        ],
        &d.join("w"),
    );
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 2);
    assert_eq!(models[1]["name"], "zero_order");
    assert_eq!(models[1]["n"].as_u64(), Some(5));
    assert_eq!(models[1]["comparable"], false);
    let o = bin().args(["fit", "--list-models"]).output().unwrap();
    let text = ok(&o);
    assert!(
        text.contains("weibull") && text.contains("classical"),
        "{text}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn fit_rejects_bad_data_and_options_without_output() {
    let d = tmp("bad");
    let f = d.join("bad.csv");
    std::fs::write(&f, "time_h,a,b\n1,10,12\n2,abc,20\n").unwrap();
    let out = d.join("out");
    let o = bin()
        .arg("fit")
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 3") && err.contains("column 2 (`a`)"),
        "{err}"
    );
    assert!(!out.exists());
    std::fs::write(&f, "0,10\n1,20\n").unwrap();
    let o = bin()
        .arg("fit")
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing header"));
    let o = bin()
        .arg("fit")
        .arg(example("fixture-ddsolver-parity.csv"))
        .args(["--models", "weibul", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("did you mean `weibull`"),
        "{err}"
    );
    let o = bin()
        .arg("fit")
        .arg(example("fixture-ddsolver-parity.csv"))
        .args(["--window", "70:60", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("MIN 70 is not below MAX 60"));
    assert!(!out.exists());
    std::fs::remove_dir_all(&d).unwrap();
}

fn similarity(a: &str, b: &str, extra: &[&str]) -> serde_json::Value {
    let o = bin()
        .arg("similarity")
        .arg(example(a))
        .arg(example(b))
        .arg("--json")
        .args(extra)
        .output()
        .unwrap();
    serde_json::from_str(&ok(&o)).unwrap()
}

#[test]
fn similarity_on_example_pairs() {
    // bootf2 vignette: f2 = 51.34 with the EMA rule (4 points), means only -> no interval
    let v = similarity(
        "bootf2-reference-mean.csv",
        "bootf2-test-mean.csv",
        &["--rule", "ema"],
    );
    assert!((v["f2"].as_f64().unwrap() - 51.34).abs() < 0.006, "{v}");
    assert_eq!(v["times_used"].as_array().unwrap().len(), 4);
    assert!(v["f2_bootstrap_ci90"].is_null());
    assert!(v["f1"].as_f64().is_some());
    // replicate pair: deterministic bootstrap interval around f2
    let a = similarity(
        "plga-synthetic-3rep.csv",
        "plga-synthetic-3rep-test.csv",
        &["--seed", "5", "--bootstrap", "400"],
    );
    let b = similarity(
        "plga-synthetic-3rep.csv",
        "plga-synthetic-3rep-test.csv",
        &["--seed", "5", "--bootstrap", "400"],
    );
    assert_eq!(a, b);
    let ci = a["f2_bootstrap_ci90"].as_array().unwrap();
    let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
    let f2 = a["f2"].as_f64().unwrap();
    assert!(lo <= f2 && f2 <= hi, "{lo} {f2} {hi}");
    // text output
    let o = bin()
        .arg("similarity")
        .arg(example("plga-synthetic-3rep.csv"))
        .arg(example("plga-synthetic-3rep-test.csv"))
        .output()
        .unwrap();
    let text = ok(&o);
    assert!(text.contains("f1 =") && text.contains("f2 =") && text.contains("interval"));
    // different time points are an error
    let o = bin()
        .arg("similarity")
        .arg(example("plga-synthetic-3rep.csv"))
        .arg(example("fixture-ddsolver-parity.csv"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("time points"));
}

#[test]
fn validate_fit_passes_and_bench_fit_runs() {
    let o = bin().args(["validate", "fit", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&o)).unwrap();
    assert_eq!(v["suite"], "fit");
    assert_eq!(v["passed"], true);
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.iter().any(|c| c["name"] == "recover_weibull"));
    assert!(cases.iter().any(|c| c["name"] == "t_quantile_0.975_10"));
    let o = bin()
        .args(["bench", "fit", "--json", "--repeats", "2"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&o)).unwrap();
    assert!(v["fit_all_ms_median"].as_f64().unwrap() > 0.0);
    assert_eq!(v["threads"].as_u64(), Some(1));
}
