//! The disc-study validation suite (`nanospine validate studies`): every study scenario in a
//! directory (default `examples/studies`) is run, and the published findings listed in its
//! `checks.toml` are checked against the simulated read-outs.
//!
//! `checks.toml` holds `[[study]]` tables (`file`, `citation`) with `[[study.check]]` entries:
//! `readout`, `day`, `arm`, `kind` (`higher` | `lower` | `range` | `between`), `than`, `and`,
//! `lo`, `hi`, `margin` and `finding` (the published statement with its evidence tag). Besides
//! these, every injury-only arm is checked for no spontaneous recovery of `dhi_percent` (after
//! day 14 it never rises more than 0.5 %DHI above its day-14 value).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Case, Suite};
use crate::params::Registry;
use crate::scenario::ArmRole;
use crate::sim::{run, RunOutput};
use crate::Error;

/// One published finding.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Read-out name (as in `arms.csv`).
    pub readout: String,
    /// Sample day (d).
    pub day: f64,
    /// Arm checked.
    pub arm: String,
    /// `higher`, `lower`, `range` or `between`.
    pub kind: String,
    /// Comparison arm (higher/lower/between).
    pub than: Option<String>,
    /// Second comparison arm (between).
    pub and: Option<String>,
    /// Lower bound (range), read-out unit.
    pub lo: Option<f64>,
    /// Upper bound (range), read-out unit.
    pub hi: Option<f64>,
    /// Minimal difference for higher/lower (read-out unit, default 0).
    pub margin: Option<f64>,
    /// The published statement (with its evidence tag).
    pub finding: String,
}

/// One study and its findings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// Scenario file name (in the studies directory).
    pub file: String,
    /// Short citation.
    pub citation: String,
    /// Findings.
    #[serde(default)]
    pub check: Vec<Check>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksFile {
    study: Vec<Study>,
}

/// The studies directory: `examples/studies` under the working directory, else the one of this
/// source tree.
pub fn default_dir() -> PathBuf {
    let local = PathBuf::from("examples/studies");
    if local.join("checks.toml").exists() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/studies")
}

/// Reads `checks.toml` of `dir`.
pub fn read_checks(dir: &Path) -> Result<Vec<Study>, Error> {
    let path = dir.join("checks.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::Config(format!("reading {}: {e}", path.display())))?;
    let f: ChecksFile =
        toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
    Ok(f.study)
}

/// The value of `readout` of `arm` at `day` (within 1e-6 d), if sampled.
pub fn value_at(out: &RunOutput, arm: &str, readout: &str, day: f64) -> Option<f64> {
    let a = out.arms.iter().find(|a| a.name == arm)?;
    let col = a
        .columns
        .iter()
        .position(|c| crate::report::readout_and_unit(c).0 == readout)?;
    let t = a
        .times_s
        .iter()
        .position(|&t| (t / 86400.0 - day).abs() < 1e-6)?;
    Some(a.rows[t][col])
}

/// Evaluates one check on a run; the case is named `<study stem>: <arm> <readout> d<day>`.
pub fn evaluate(stem: &str, c: &Check, out: &RunOutput) -> Case {
    let name = format!("{stem}: {} {} d{}", c.arm, c.readout, c.day);
    let metric = format!("{} ({})", c.readout, c.finding);
    let get = |arm: &str| value_at(out, arm, &c.readout, c.day);
    let Some(v) = get(&c.arm) else {
        return Case::failed(&name, &metric, "arm, read-out or day not in the run");
    };
    let other = |key: &Option<String>| -> Result<(String, f64), String> {
        let a = key
            .as_ref()
            .ok_or_else(|| format!("kind {} needs `than`/`and`", c.kind))?;
        let x = get(a).ok_or_else(|| format!("arm {a} has no {} at day {}", c.readout, c.day))?;
        Ok((a.clone(), x))
    };
    let margin = c.margin.unwrap_or(0.0);
    let result = match c.kind.as_str() {
        "higher" => {
            other(&c.than).map(|(a, x)| (v > x + margin, format!("> {a} ({x:.4}) + {margin}")))
        }
        "lower" => {
            other(&c.than).map(|(a, x)| (v < x - margin, format!("< {a} ({x:.4}) - {margin}")))
        }
        "between" => other(&c.than).and_then(|(a, x)| {
            other(&c.and).map(|(b, y)| {
                let (lo, hi) = (x.min(y), x.max(y));
                let tol = 1e-9 * (lo.abs() + hi.abs()).max(1e-30);
                (
                    v >= lo - tol && v <= hi + tol,
                    format!("between {a} ({x:.4}) and {b} ({y:.4})"),
                )
            })
        }),
        "range" => match (c.lo, c.hi) {
            (Some(lo), Some(hi)) => Ok(((lo..=hi).contains(&v), format!("in [{lo}, {hi}]"))),
            _ => Err("kind range needs lo and hi".into()),
        },
        k => Err(format!(
            "unknown kind \"{k}\"; allowed: higher, lower, range, between"
        )),
    };
    match result {
        Ok((passed, threshold)) => Case {
            name,
            passed: passed && v.is_finite(),
            metric,
            value: v,
            threshold,
        },
        Err(e) => Case::failed(&name, &metric, &e),
    }
}

/// No spontaneous recovery of an injury-only arm: after day 14, `dhi_percent` stays within
/// 0.5 %DHI of its day-14 value or below.
pub fn no_recovery_cases(
    stem: &str,
    scenario: &crate::scenario::Scenario,
    out: &RunOutput,
) -> Vec<Case> {
    let mut cases = vec![];
    for arm in scenario
        .arms
        .iter()
        .filter(|a| a.role == ArmRole::InjuryOnly)
    {
        let Some(a) = out.arms.iter().find(|x| x.name == arm.name) else {
            continue;
        };
        let Some(col) = a.columns.iter().position(|c| c == "dhi_percent") else {
            continue;
        };
        let Some(k14) = a
            .times_s
            .iter()
            .position(|&t| (t / 86400.0 - 14.0).abs() < 1e-6)
        else {
            continue;
        };
        let base = a.rows[k14][col];
        let rise = a.rows[k14..]
            .iter()
            .map(|r| r[col] - base)
            .fold(f64::NEG_INFINITY, f64::max);
        cases.push(Case::at_most(
            &format!("{stem}: {} no spontaneous recovery", arm.name),
            "largest dhi_percent rise after day 14 (%DHI; biology.md 7.2: no spontaneous recovery, Hua 2013)",
            rise,
            0.5,
        ));
    }
    cases
}

/// Runs every study of `dir` and checks its findings.
pub fn studies_suite_in(dir: &Path, registry: &Registry) -> Suite {
    let mut cases = vec![];
    let studies = match read_checks(dir) {
        Ok(s) => s,
        Err(e) => {
            cases.push(Case::failed("checks.toml", "study list", &e.to_string()));
            return Suite {
                suite: "studies".into(),
                passed: false,
                cases,
            };
        }
    };
    for st in &studies {
        let stem = st.file.trim_end_matches(".toml");
        let path = dir.join(&st.file);
        let run_it = || -> Result<(crate::scenario::Scenario, RunOutput), String> {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("reading {}: {e}", path.display()))?;
            let sc = crate::scenario::parse(&text, registry).map_err(|e| e.render(&st.file))?;
            let out = run(&sc, registry, &|_, _| {}).map_err(|e| e.to_string())?;
            Ok((sc, out))
        };
        match run_it() {
            Ok((sc, out)) => {
                for c in &st.check {
                    cases.push(evaluate(stem, c, &out));
                }
                cases.extend(no_recovery_cases(stem, &sc, &out));
            }
            Err(e) => cases.push(Case::failed(stem, &st.citation, &e)),
        }
    }
    let passed = cases.iter().all(|c| c.passed);
    Suite {
        suite: "studies".into(),
        passed,
        cases,
    }
}

/// [`studies_suite_in`] on [`default_dir`] with the built-in registry.
pub fn studies_suite() -> Suite {
    studies_suite_in(&default_dir(), &Registry::builtin())
}
