//! Robustness of a study's published findings (the checks of `examples/studies/checks.toml` or
//! `sci-checks.toml`, evaluated exactly as `nanospine validate` does) over the registry ranges:
//! which single range end flips a check (one at a time), and in what share of the Latin
//! hypercube samples it passes.

use super::ArmValues;
use crate::validate::studies::{evaluate, no_recovery_cases, Check};

/// One check evaluated on one run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// Case name, as `nanospine validate` names it.
    pub name: String,
    /// Acceptance criterion, as text.
    pub threshold: String,
    /// Whether the run meets it.
    pub passed: bool,
    /// The measured value (read-out unit).
    pub value: f64,
}

/// Evaluates `checks` of study `stem` on the arms of one run, followed by the automatic
/// no-spontaneous-recovery check of every injury-only disc arm, as `nanospine validate studies`
/// adds it ([`no_recovery_cases`]).
pub fn outcomes(stem: &str, checks: &[Check], arms: &[ArmValues]) -> Vec<Outcome> {
    let tables: Vec<_> = arms.iter().map(ArmValues::table).collect();
    checks
        .iter()
        .map(|c| evaluate(stem, c, &tables))
        .chain(no_recovery_cases(stem, &tables))
        .map(|case| Outcome {
            name: case.name,
            threshold: case.threshold,
            passed: case.passed,
            value: case.value,
        })
        .collect()
}

/// One check under one perturbation of a one-at-a-time study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CheckRun {
    /// Varied parameter.
    pub parameter: String,
    /// `low` or `high`.
    pub level: &'static str,
    /// Parameter value (its registry unit).
    pub parameter_value: f64,
    /// Acceptance criterion in this run (a comparison arm's value can move with the parameter).
    pub threshold: String,
    /// Whether the check passes.
    pub passed: bool,
    /// Its measured value.
    pub value: f64,
}

/// One check across a one-at-a-time study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CheckRobustness {
    /// Case name.
    pub name: String,
    /// Acceptance criterion at baseline.
    pub threshold: String,
    /// Outcome at baseline.
    pub baseline_passed: bool,
    /// Measured value at baseline.
    pub baseline_value: f64,
    /// Outcome with each parameter at each end of its range (completed runs only).
    pub runs: Vec<CheckRun>,
}

impl CheckRobustness {
    /// The perturbations that change the outcome.
    pub fn flips(&self) -> impl Iterator<Item = &CheckRun> {
        self.runs
            .iter()
            .filter(move |r| r.passed != self.baseline_passed)
    }
}

/// One check across a Latin hypercube study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CheckPassRate {
    /// Case name.
    pub name: String,
    /// Acceptance criterion.
    pub threshold: String,
    /// Outcome at baseline.
    pub baseline_passed: bool,
    /// Measured value at baseline.
    pub baseline_value: f64,
    /// Samples in which it passes.
    pub passed: usize,
    /// Completed samples.
    pub samples: usize,
}

impl CheckPassRate {
    /// `passed / samples` (NaN without samples).
    pub fn fraction(&self) -> f64 {
        if self.samples == 0 {
            f64::NAN
        } else {
            self.passed as f64 / self.samples as f64
        }
    }
}

/// Robustness of `checks` over the runs of a one-at-a-time study: `baseline` and
/// `perturbed` (parameter, level, value, arms).
pub fn robustness(
    stem: &str,
    checks: &[Check],
    baseline: &[ArmValues],
    perturbed: &[(String, &'static str, f64, Vec<ArmValues>)],
) -> Vec<CheckRobustness> {
    let base = outcomes(stem, checks, baseline);
    let runs: Vec<Vec<Outcome>> = perturbed
        .iter()
        .map(|(_, _, _, arms)| outcomes(stem, checks, arms))
        .collect();
    base.into_iter()
        .enumerate()
        .map(|(k, b)| CheckRobustness {
            runs: perturbed
                .iter()
                .zip(&runs)
                .map(|((p, level, x, _), o)| CheckRun {
                    parameter: p.clone(),
                    level,
                    parameter_value: *x,
                    threshold: o[k].threshold.clone(),
                    passed: o[k].passed,
                    value: o[k].value,
                })
                .collect(),
            name: b.name,
            threshold: b.threshold,
            baseline_passed: b.passed,
            baseline_value: b.value,
        })
        .collect()
}

/// Pass rates of `checks` over the completed samples of a Latin hypercube study.
pub fn pass_rates(
    stem: &str,
    checks: &[Check],
    baseline: &[ArmValues],
    samples: &[&Vec<ArmValues>],
) -> Vec<CheckPassRate> {
    let base = outcomes(stem, checks, baseline);
    let runs: Vec<Vec<Outcome>> = samples
        .iter()
        .map(|arms| outcomes(stem, checks, arms))
        .collect();
    base.into_iter()
        .enumerate()
        .map(|(k, b)| CheckPassRate {
            passed: runs.iter().filter(|o| o[k].passed).count(),
            samples: runs.len(),
            name: b.name,
            threshold: b.threshold,
            baseline_passed: b.passed,
            baseline_value: b.value,
        })
        .collect()
}
