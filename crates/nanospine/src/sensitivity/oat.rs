//! One-at-a-time sensitivity: every selected parameter at the low and at the high end of its
//! range, the others at baseline (see the module docs of [`super`]).

use super::{effect, reference_name, run_with, ArmValues, Selection, StudyProgress, Varied};
use crate::params::Registry;
use crate::scenario::Scenario;
use crate::Error;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One read-out of one arm at one day, under one perturbation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OatRow {
    /// Varied parameter.
    pub parameter: String,
    /// Its registry unit.
    pub unit: String,
    /// `low` or `high`.
    pub level: &'static str,
    /// The value set (parameter unit).
    pub value: f64,
    /// Arm.
    pub arm: String,
    /// Arm role id.
    pub role: String,
    /// Sample day (d).
    pub day: f64,
    /// Read-out (as in `arms.csv`).
    pub readout: String,
    /// Read-out unit.
    pub readout_unit: String,
    /// Read-out at baseline.
    pub baseline: f64,
    /// Read-out with the parameter at `value`.
    pub perturbed: f64,
    /// Effect `arm - reference` at baseline (None for the reference arm or without one).
    pub effect_baseline: Option<f64>,
    /// Effect with the parameter at `value`.
    pub effect_perturbed: Option<f64>,
}

/// Result of a one-at-a-time study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OatResult {
    /// The selection that was varied.
    pub selection: Selection,
    /// Reference arm of the effects, if the scenario has one.
    pub reference: Option<String>,
    /// Every arm, read-out, day and perturbation of the runs that completed.
    pub rows: Vec<OatRow>,
    /// Perturbed runs that failed: (parameter, level, value, error); their rows are absent.
    pub failures: Vec<(String, &'static str, f64, String)>,
    /// The baseline run's arms (for [`OatResult::check_robustness`]).
    #[serde(skip)]
    pub baseline_arms: Vec<ArmValues>,
    /// The completed perturbed runs: (parameter, level, value, arms).
    #[serde(skip)]
    pub perturbed: Vec<(String, &'static str, f64, Vec<ArmValues>)>,
}

/// One line of a tornado table: a parameter's low and high values of one read-out or effect.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TornadoBar {
    /// Parameter.
    pub parameter: String,
    /// Value at the low end of the range.
    pub at_low: f64,
    /// Value at the high end of the range.
    pub at_high: f64,
    /// `|at_high - at_low|`.
    pub swing: f64,
}

/// Runs the study: the baseline and two runs per parameter, in parallel. A perturbed run that
/// fails (e.g. an integrator failure at a range end) is listed in `failures` and its rows are
/// left out; the study fails if the baseline fails.
pub fn oat(
    scenario: &Scenario,
    reg: &Registry,
    selection: &Selection,
    progress: StudyProgress,
) -> Result<OatResult, Error> {
    let mut jobs: Vec<Option<(&Varied, &'static str, f64)>> = vec![None];
    for v in &selection.varied {
        jobs.push(Some((v, "low", v.low)));
        jobs.push(Some((v, "high", v.high)));
    }
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let runs: Vec<Result<Vec<ArmValues>, Error>> = jobs
        .par_iter()
        .map(|job| {
            let values: Vec<(&str, f64)> = match job {
                None => vec![],
                Some((v, _, x)) => vec![(v.name.as_str(), *x)],
            };
            let out = run_with(scenario, reg, &values).map_err(|e| match job {
                None => Error::Numerical(format!("sensitivity baseline run failed: {e}")),
                Some(_) => e,
            });
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            out
        })
        .collect();
    let mut runs = runs.into_iter();
    let base = runs
        .next()
        .ok_or_else(|| Error::Numerical("sensitivity: no baseline run".into()))??;
    let reference = reference_name(scenario);
    let mut rows = vec![];
    let mut failures = vec![];
    let mut perturbed = vec![];
    for (job, run) in jobs.iter().skip(1).zip(runs) {
        let Some((v, level, x)) = job else { continue };
        let run = match run {
            Ok(r) => r,
            Err(e) => {
                failures.push((v.name.clone(), *level, *x, e.to_string()));
                continue;
            }
        };
        for arm in &base {
            let Some(pert) = run.iter().find(|a| a.name == arm.name) else {
                continue;
            };
            for (ti, &day) in arm.days.iter().enumerate() {
                for (readout, unit) in &arm.readouts {
                    rows.push(OatRow {
                        parameter: v.name.clone(),
                        unit: v.unit.clone(),
                        level,
                        value: *x,
                        arm: arm.name.clone(),
                        role: arm.role.clone(),
                        day,
                        readout: readout.clone(),
                        readout_unit: unit.clone(),
                        baseline: arm.value(readout, ti),
                        perturbed: pert.value(readout, ti),
                        effect_baseline: effect(&base, reference.as_deref(), arm, readout, ti),
                        effect_perturbed: effect(&run, reference.as_deref(), pert, readout, ti),
                    });
                }
            }
        }
        perturbed.push((v.name.clone(), *level, *x, run));
    }
    Ok(OatResult {
        selection: selection.clone(),
        reference,
        rows,
        failures,
        baseline_arms: base,
        perturbed,
    })
}

impl OatResult {
    /// How each of `checks` (the findings of study `stem`, as in `checks.toml`) fares at
    /// baseline and with each parameter at each end of its range.
    pub fn check_robustness(
        &self,
        stem: &str,
        checks: &[crate::validate::studies::Check],
    ) -> Vec<super::checks::CheckRobustness> {
        super::checks::robustness(stem, checks, &self.baseline_arms, &self.perturbed)
    }

    /// The tornado of `readout` for `arm` at `day` (within 1e-6 d), sorted by decreasing swing:
    /// of the effect against the reference when `of_effect` (and the arm has one), else of the
    /// arm's own value. Also returns the baseline value. Empty when nothing matches.
    pub fn tornado(
        &self,
        arm: &str,
        readout: &str,
        day: f64,
        of_effect: bool,
    ) -> (f64, Vec<TornadoBar>) {
        let mut baseline = f64::NAN;
        let mut bars: Vec<TornadoBar> = vec![];
        for r in self
            .rows
            .iter()
            .filter(|r| r.arm == arm && r.readout == readout && (r.day - day).abs() < 1e-6)
        {
            let (b, p) = if of_effect {
                match (r.effect_baseline, r.effect_perturbed) {
                    (Some(b), Some(p)) => (b, p),
                    _ => continue,
                }
            } else {
                (r.baseline, r.perturbed)
            };
            baseline = b;
            let bar = match bars.iter_mut().find(|x| x.parameter == r.parameter) {
                Some(x) => x,
                None => {
                    bars.push(TornadoBar {
                        parameter: r.parameter.clone(),
                        at_low: f64::NAN,
                        at_high: f64::NAN,
                        swing: f64::NAN,
                    });
                    let n = bars.len() - 1;
                    &mut bars[n]
                }
            };
            if r.level == "low" {
                bar.at_low = p;
            } else {
                bar.at_high = p;
            }
        }
        for b in &mut bars {
            b.swing = (b.at_high - b.at_low).abs();
        }
        let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
        bars.sort_by(|a, b| key(b.swing).total_cmp(&key(a.swing)));
        (baseline, bars)
    }
}

/// The tornado of one read-out of one arm at the last sample day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TornadoSummary {
    /// Arm.
    pub arm: String,
    /// Read-out (as in `arms.csv`).
    pub readout: String,
    /// Read-out unit.
    pub unit: String,
    /// Whether the bars are of the effect against the reference (else of the arm's value).
    pub of_effect: bool,
    /// Baseline value (of the effect or of the read-out).
    pub baseline: f64,
    /// Bars, largest swing first.
    pub bars: Vec<TornadoBar>,
}

/// Compact summary of a study: the selection and every tornado at the last sample day (the
/// full table is `rows`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OatSummary {
    /// The selection that was varied.
    pub selection: Selection,
    /// Reference arm of the effects, if any.
    pub reference: Option<String>,
    /// Last sample day (d).
    pub day: f64,
    /// Tornados: the effect for arms compared with the reference, the value otherwise.
    pub tornados: Vec<TornadoSummary>,
    /// Perturbed runs that failed: (parameter, level, value, error).
    pub failures: Vec<(String, &'static str, f64, String)>,
}

impl OatResult {
    /// Last sample day of the rows (d; -inf without rows).
    pub fn last_day(&self) -> f64 {
        self.rows
            .iter()
            .map(|r| r.day)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Every tornado at the last sample day, arm by arm (scenario order) and read-out by
    /// read-out.
    pub fn summary(&self) -> OatSummary {
        let day = self.last_day();
        let mut keys: Vec<(String, String, String, bool)> = vec![];
        for r in self.rows.iter().filter(|r| (r.day - day).abs() < 1e-6) {
            if !keys.iter().any(|k| k.0 == r.arm && k.1 == r.readout) {
                keys.push((
                    r.arm.clone(),
                    r.readout.clone(),
                    r.readout_unit.clone(),
                    r.effect_baseline.is_some(),
                ));
            }
        }
        let tornados = keys
            .into_iter()
            .map(|(arm, readout, unit, of_effect)| {
                let (baseline, bars) = self.tornado(&arm, &readout, day, of_effect);
                TornadoSummary {
                    arm,
                    readout,
                    unit,
                    of_effect,
                    baseline,
                    bars,
                }
            })
            .collect();
        OatSummary {
            selection: self.selection.clone(),
            reference: self.reference.clone(),
            day,
            tornados,
            failures: self.failures.clone(),
        }
    }
}
