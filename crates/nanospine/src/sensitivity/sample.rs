//! Latin hypercube uncertainty study: all selected parameters varied jointly over their ranges
//! (see the module docs of [`super`]).

use super::{
    effect, reference_name, run_selected, run_with, ArmValues, Selection, StudyProgress, Varied,
};
use crate::fit::similarity::{percentile_sorted, SplitMix64};
use crate::params::Registry;
use crate::scenario::Scenario;
use crate::Error;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Fewest samples of a study.
pub const MIN_SAMPLES: usize = 4;
/// Most samples of a study.
pub const MAX_SAMPLES: usize = 5000;

/// Latin hypercube design: `n` samples of the parameters of `varied`, row `i` holding one value
/// per parameter (parameter units). Each parameter's range is cut into `n` strata of equal
/// probability (equal width, or equal width in log10 for a log-scale parameter); every stratum is
/// used exactly once, at a uniform random point inside it, and the strata are paired across
/// parameters by independent random permutations (Fisher-Yates). Deterministic in `seed`.
pub fn latin_hypercube(varied: &[Varied], n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = SplitMix64::new(seed);
    let mut design = vec![vec![0.0; varied.len()]; n];
    for (j, v) in varied.iter().enumerate() {
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let k = rng.index(i + 1);
            perm.swap(i, k);
        }
        for (i, row) in design.iter_mut().enumerate() {
            // (stratum + u) / n with u in (0, 1]: a point inside the stratum
            let u = ((perm[i] as f64 + rng.unit()) / n as f64).min(1.0);
            row[j] = super::sobol::at_unit(v, u);
        }
    }
    design
}

/// Percentile summary of one quantity over the successful samples.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Band {
    /// Value at baseline.
    pub baseline: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Number of finite sample values summarised.
    pub n: usize,
}

impl Band {
    fn of(baseline: f64, mut values: Vec<f64>) -> Band {
        values.retain(|x| x.is_finite());
        values.sort_by(f64::total_cmp);
        Band {
            baseline,
            p05: percentile_sorted(&values, 0.05),
            p50: percentile_sorted(&values, 0.5),
            p95: percentile_sorted(&values, 0.95),
            n: values.len(),
        }
    }
}

/// The summary of one read-out of one arm at one day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BandRow {
    /// Arm.
    pub arm: String,
    /// Arm role id.
    pub role: String,
    /// Sample day (d).
    pub day: f64,
    /// Read-out (as in `arms.csv`).
    pub readout: String,
    /// Read-out unit.
    pub unit: String,
    /// The read-out.
    pub value: Band,
    /// The effect `arm - reference` (None for the reference arm or without one).
    pub effect: Option<Band>,
}

/// One sample of the design and how its run ended.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SampleRun {
    /// Sample number (0-based, design order).
    pub id: usize,
    /// Parameter values, in the order of `Selection::varied`.
    pub values: Vec<f64>,
    /// The error of a failed run (its read-outs are left out of the bands).
    pub error: Option<String>,
}

/// Result of an uncertainty study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SampleResult {
    /// The selection that was varied.
    pub selection: Selection,
    /// Seed of the design.
    pub seed: u64,
    /// Reference arm of the effects, if any.
    pub reference: Option<String>,
    /// Every sample of the design (failed ones with their error).
    pub samples: Vec<SampleRun>,
    /// Percentile bands, arm by arm, day by day, read-out by read-out.
    pub bands: Vec<BandRow>,
    /// The baseline run's arms (for [`SampleResult::check_pass_rates`]).
    #[serde(skip)]
    pub baseline_arms: Vec<ArmValues>,
    /// Each sample's arms (None for a failed run), in design order.
    #[serde(skip)]
    pub runs: Vec<Option<Vec<ArmValues>>>,
}

impl SampleResult {
    /// In how many completed samples each of `checks` (the findings of study `stem`) passes.
    pub fn check_pass_rates(
        &self,
        stem: &str,
        checks: &[crate::validate::studies::Check],
    ) -> Vec<super::checks::CheckPassRate> {
        let ok: Vec<&Vec<ArmValues>> = self.runs.iter().flatten().collect();
        super::checks::pass_rates(stem, checks, &self.baseline_arms, &ok)
    }

    /// Number of failed sample runs.
    pub fn failures(&self) -> usize {
        self.samples.iter().filter(|s| s.error.is_some()).count()
    }
}

/// Runs the baseline and `n` Latin hypercube samples ([`latin_hypercube`] with `seed`), in
/// parallel. A sample whose run fails (e.g. an integrator failure at an extreme of the ranges) is
/// kept in `samples` with its error and left out of the bands; the study fails if the baseline
/// or every sample fails.
pub fn sample(
    scenario: &Scenario,
    reg: &Registry,
    selection: &Selection,
    n: usize,
    seed: u64,
    progress: StudyProgress,
) -> Result<SampleResult, Error> {
    if !(MIN_SAMPLES..=MAX_SAMPLES).contains(&n) {
        return Err(Error::Config(format!(
            "--samples = {n}: allowed {MIN_SAMPLES} to {MAX_SAMPLES}"
        )));
    }
    let design = latin_hypercube(&selection.varied, n, seed);
    let total = n + 1;
    let done = AtomicUsize::new(0);
    let tick = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
    let base = run_with(scenario, reg, &[])
        .map_err(|e| Error::Numerical(format!("uncertainty baseline run failed: {e}")))?;
    tick();
    let runs: Vec<Result<Vec<ArmValues>, Error>> = design
        .par_iter()
        .map(|row| {
            let out = run_selected(scenario, reg, selection, row);
            tick();
            out
        })
        .collect();
    let samples: Vec<SampleRun> = design
        .iter()
        .zip(&runs)
        .enumerate()
        .map(|(id, (row, r))| SampleRun {
            id,
            values: row.clone(),
            error: r.as_ref().err().map(|e| e.to_string()),
        })
        .collect();
    let ok: Vec<&Vec<ArmValues>> = runs.iter().filter_map(|r| r.as_ref().ok()).collect();
    if ok.is_empty() {
        let first = samples
            .iter()
            .find_map(|s| s.error.clone())
            .unwrap_or_default();
        return Err(Error::Numerical(format!(
            "uncertainty: all {n} sample runs failed; the first: {first}"
        )));
    }
    let reference = reference_name(scenario);
    let refn = reference.as_deref();
    let mut bands = vec![];
    for arm in &base {
        for (ti, &day) in arm.days.iter().enumerate() {
            for (readout, unit) in &arm.readouts {
                let mut vals = vec![];
                let mut effs = vec![];
                for run in &ok {
                    let Some(a) = run.iter().find(|a| a.name == arm.name) else {
                        continue;
                    };
                    let Some(si) = a.days.iter().position(|d| (d - day).abs() < 1e-6) else {
                        continue;
                    };
                    vals.push(a.value(readout, si));
                    if let Some(e) = effect(run, refn, a, readout, si) {
                        effs.push(e);
                    }
                }
                let eff_base = effect(&base, refn, arm, readout, ti);
                bands.push(BandRow {
                    arm: arm.name.clone(),
                    role: arm.role.clone(),
                    day,
                    readout: readout.clone(),
                    unit: unit.clone(),
                    value: Band::of(arm.value(readout, ti), vals),
                    effect: eff_base.map(|b| Band::of(b, effs)),
                });
            }
        }
    }
    let runs = runs.into_iter().map(Result::ok).collect();
    Ok(SampleResult {
        selection: selection.clone(),
        seed,
        reference,
        samples,
        bands,
        baseline_arms: base,
        runs,
    })
}
