//! Variance-based (Sobol) sensitivity indices of every read-out and effect over the selected
//! parameters, each independently uniform (or log-uniform, as in [`super::sample`]) over its
//! registry range.
//!
//! Design (Saltelli 2002, Comput Phys Commun 145:280): two independent random matrices `A` and
//! `B` of `n` rows (one column per parameter), and for each parameter `i` the matrix `A_B^i`,
//! `A` with its column `i` taken from `B`: `n (P + 2)` runs for `P` parameters. Estimators
//! (Saltelli et al. 2010, Comput Phys Commun 181:259, table 2):
//!
//! ```text
//! V    = variance of f over the 2n runs of A and B
//! S_i  = mean_j( (f(B)_j - m) (f(A_B^i)_j - f(A)_j) ) / V    first order (m: mean over A, B)
//! ST_i = mean_j( (f(A)_j - f(A_B^i)_j)^2 ) / (2 V)           total (Jansen 1999)
//! ```
//!
//! `S_i` is the share of the output variance explained by parameter `i` alone, `ST_i` the share
//! that involves `i` (alone or in interaction); `ST_i - S_i` measures its interactions. The
//! estimates carry Monte Carlo error: 95 % intervals come from a seeded bootstrap over the rows.
//! As for the Latin hypercube, the distributions are the registry's plausibility ranges, so the
//! indices apportion the variance those ranges imply, not a measured uncertainty.

use super::{effect, reference_name, run_selected, ArmValues, Selection, StudyProgress, Varied};
use crate::fit::similarity::{percentile_sorted, SplitMix64};
use crate::params::Registry;
use crate::scenario::Scenario;
use crate::Error;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Fewest base samples `n` of a study.
pub const MIN_BASE_SAMPLES: usize = 4;
/// Most runs `n (P + 2)` of a study.
pub const MAX_RUNS: usize = 20_000;
/// Bootstrap resamples for the 95 % intervals.
pub const BOOTSTRAP: usize = 200;

/// Value of parameter `v` (its registry unit) at the unit coordinate `u` in [0, 1]: uniform over
/// the range, or uniform in log10 for a log-scale parameter.
pub fn at_unit(v: &Varied, u: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    if v.log_scale {
        let (a, b) = (v.low.log10(), v.high.log10());
        10f64.powf(a + u * (b - a)).clamp(v.low, v.high)
    } else {
        (v.low + u * (v.high - v.low)).clamp(v.low, v.high)
    }
}

/// The Saltelli design in unit coordinates: `a` and `b` are `n` x `p`, independent uniform.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Matrix A (rows of unit coordinates).
    pub a: Vec<Vec<f64>>,
    /// Matrix B.
    pub b: Vec<Vec<f64>>,
}

impl Design {
    /// `n` rows of `p` parameters, deterministic in `seed`.
    pub fn new(p: usize, n: usize, seed: u64) -> Design {
        let mut rng = SplitMix64::new(seed);
        let mut draw = || -> Vec<Vec<f64>> {
            (0..n)
                .map(|_| (0..p).map(|_| rng.unit()).collect())
                .collect()
        };
        let a = draw();
        let b = draw();
        Design { a, b }
    }

    /// Matrix `A_B^i`: `A` with column `i` from `B`.
    pub fn ab(&self, i: usize) -> Vec<Vec<f64>> {
        self.a
            .iter()
            .zip(&self.b)
            .map(|(ra, rb)| {
                let mut r = ra.clone();
                r[i] = rb[i];
                r
            })
            .collect()
    }

    /// Every run of the design in order: the rows of `A`, of `B`, then of `A_B^0` .. `A_B^(p-1)`.
    pub fn runs(&self) -> Vec<Vec<f64>> {
        let p = self.a.first().map_or(0, Vec::len);
        let mut out = self.a.clone();
        out.extend(self.b.iter().cloned());
        for i in 0..p {
            out.extend(self.ab(i));
        }
        out
    }
}

/// First-order and total index of one parameter, with 95 % bootstrap intervals (dimensionless;
/// NaN when the output does not vary).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Index {
    /// First-order index `S_i`.
    pub first: f64,
    /// 2.5th percentile of `S_i` over the bootstrap.
    pub first_lo: f64,
    /// 97.5th percentile of `S_i` over the bootstrap.
    pub first_hi: f64,
    /// Total index `ST_i`.
    pub total: f64,
    /// 2.5th percentile of `ST_i` over the bootstrap.
    pub total_lo: f64,
    /// 97.5th percentile of `ST_i` over the bootstrap.
    pub total_hi: f64,
}

/// Point estimates `(S_i, ST_i)` for each parameter from the rows `rows` (indices into the
/// outputs) of `fa`, `fb` and `fab[i]`. The outputs are centred on their mean over A and B
/// first (as SALib does): the first-order estimator is unchanged in expectation, but its
/// variance no longer grows with the square of the output's mean. An output whose variance is
/// below 1e-20 of its squared mean (rounding noise) has no indices (NaN).
fn point(fa: &[f64], fb: &[f64], fab: &[Vec<f64>], rows: &[usize]) -> Vec<(f64, f64)> {
    let m = rows.len() as f64;
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * m);
    let var = rows
        .iter()
        .map(|&j| (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * m - 1.0);
    let varies = var > 0.0 && var > 1e-20 * mean * mean;
    fab.iter()
        .map(|f| {
            if !varies {
                return (f64::NAN, f64::NAN);
            }
            let s = rows
                .iter()
                .map(|&j| (fb[j] - mean) * (f[j] - fa[j]))
                .sum::<f64>()
                / m;
            let t = rows.iter().map(|&j| (fa[j] - f[j]).powi(2)).sum::<f64>() / (2.0 * m);
            (s / var, t / var)
        })
        .collect()
}

/// Sobol indices of one output from its values on `A` (`fa`), `B` (`fb`) and each `A_B^i`
/// (`fab[i]`), all of the same length `n >= 2`; intervals from [`BOOTSTRAP`] resamples of the
/// rows, deterministic in `seed`. Rows with a non-finite value in any matrix are left out.
pub fn indices(fa: &[f64], fb: &[f64], fab: &[Vec<f64>], seed: u64) -> Vec<Index> {
    let n = fa.len();
    let rows: Vec<usize> = (0..n)
        .filter(|&j| {
            fa[j].is_finite()
                && fb.get(j).is_some_and(|v| v.is_finite())
                && fab.iter().all(|f| f.get(j).is_some_and(|v| v.is_finite()))
        })
        .collect();
    let nan = Index {
        first: f64::NAN,
        first_lo: f64::NAN,
        first_hi: f64::NAN,
        total: f64::NAN,
        total_lo: f64::NAN,
        total_hi: f64::NAN,
    };
    if rows.len() < 2 {
        return vec![nan; fab.len()];
    }
    let est = point(fa, fb, fab, &rows);
    let mut rng = SplitMix64::new(seed);
    let mut boot: Vec<(Vec<f64>, Vec<f64>)> = vec![(vec![], vec![]); fab.len()];
    for _ in 0..BOOTSTRAP {
        let pick: Vec<usize> = (0..rows.len())
            .map(|_| rows[rng.index(rows.len())])
            .collect();
        for (b, (s, t)) in boot.iter_mut().zip(point(fa, fb, fab, &pick)) {
            if s.is_finite() && t.is_finite() {
                b.0.push(s);
                b.1.push(t);
            }
        }
    }
    est.iter()
        .zip(boot.iter_mut())
        .map(|(&(s, t), (bs, bt))| {
            if !(s.is_finite() && t.is_finite()) || bs.is_empty() {
                return nan;
            }
            bs.sort_by(f64::total_cmp);
            bt.sort_by(f64::total_cmp);
            Index {
                first: s,
                first_lo: percentile_sorted(bs, 0.025),
                first_hi: percentile_sorted(bs, 0.975),
                total: t,
                total_lo: percentile_sorted(bt, 0.025),
                total_hi: percentile_sorted(bt, 0.975),
            }
        })
        .collect()
}

/// The indices of one read-out (or its effect) of one arm at one sample day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SobolRow {
    /// Arm name.
    pub arm: String,
    /// Arm role.
    pub role: String,
    /// Sample day (d).
    pub day: f64,
    /// Read-out name.
    pub readout: String,
    /// Read-out unit.
    pub unit: String,
    /// `value` (the read-out) or `effect` (arm minus the reference arm).
    pub quantity: &'static str,
    /// Variance of the quantity over the runs of A and B (unit squared).
    pub variance: f64,
    /// One index per varied parameter, in the order of the selection.
    pub indices: Vec<Index>,
}

/// Result of a Sobol study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SobolResult {
    /// What was varied.
    pub selection: Selection,
    /// Base samples `n` (rows of A and B).
    pub base_samples: usize,
    /// Runs made, `n (P + 2)`.
    pub runs: usize,
    /// Seed of the design and of the bootstrap.
    pub seed: u64,
    /// Reference arm of the effects.
    pub reference: Option<String>,
    /// (run index, error) of the runs that failed; their rows are left out of the estimates.
    pub failures: Vec<(usize, String)>,
    /// Indices of every arm, sample day, read-out and effect.
    pub rows: Vec<SobolRow>,
}

/// Runs the Saltelli design of `n` base samples (`n (P + 2)` runs, in parallel) and estimates the
/// first-order and total index of every selected parameter on every read-out and effect of
/// every arm and sample day. Errors when `n` is below [`MIN_BASE_SAMPLES`], the run count above
/// [`MAX_RUNS`], or every run fails.
pub fn sobol(
    scenario: &Scenario,
    reg: &Registry,
    selection: &Selection,
    n: usize,
    seed: u64,
    progress: StudyProgress,
) -> Result<SobolResult, Error> {
    let p = selection.varied.len();
    let total = n.saturating_mul(p + 2);
    if n < MIN_BASE_SAMPLES || total > MAX_RUNS {
        return Err(Error::Config(format!(
            "--samples = {n} with {p} parameter(s) makes {total} runs (n (P + 2)): allowed n >= {MIN_BASE_SAMPLES} and at most {MAX_RUNS} runs"
        )));
    }
    let design = Design::new(p, n, seed);
    let points = design.runs();
    let done = AtomicUsize::new(0);
    let runs: Vec<Result<Vec<ArmValues>, Error>> = points
        .par_iter()
        .map(|u| {
            let values: Vec<f64> = selection
                .varied
                .iter()
                .zip(u)
                .map(|(v, &x)| at_unit(v, x))
                .collect();
            let out = run_selected(scenario, reg, selection, &values);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            out
        })
        .collect();
    let failures: Vec<(usize, String)> = runs
        .iter()
        .enumerate()
        .filter_map(|(k, r)| r.as_ref().err().map(|e| (k, e.to_string())))
        .collect();
    let Some(first) = runs.iter().find_map(|r| r.as_ref().ok()) else {
        let msg = failures.first().map(|f| f.1.clone()).unwrap_or_default();
        return Err(Error::Numerical(format!(
            "sobol: all {total} runs failed; the first: {msg}"
        )));
    };
    let reference = reference_name(scenario);
    let refn = reference.as_deref();
    // value of (arm, day, readout[, effect]) in run k, NaN when missing or failed
    let get = |k: usize, arm: &str, day: f64, readout: &str, eff: bool| -> f64 {
        let Ok(run) = &runs[k] else {
            return f64::NAN;
        };
        let Some(a) = run.iter().find(|a| a.name == arm) else {
            return f64::NAN;
        };
        let Some(ti) = a.days.iter().position(|d| (d - day).abs() < 1e-6) else {
            return f64::NAN;
        };
        if eff {
            effect(run, refn, a, readout, ti).unwrap_or(f64::NAN)
        } else {
            a.value(readout, ti)
        }
    };
    let mut rows = vec![];
    for arm in first {
        let has_effect = refn.is_some_and(|r| r != arm.name);
        for &day in &arm.days {
            for (readout, unit) in &arm.readouts {
                for (quantity, eff) in [("value", false), ("effect", true)] {
                    if eff && !has_effect {
                        continue;
                    }
                    let col = |start: usize| -> Vec<f64> {
                        (start..start + n)
                            .map(|k| get(k, &arm.name, day, readout, eff))
                            .collect()
                    };
                    let fa = col(0);
                    let fb = col(n);
                    let fab: Vec<Vec<f64>> = (0..p).map(|i| col((2 + i) * n)).collect();
                    let both: Vec<f64> = fa
                        .iter()
                        .chain(&fb)
                        .copied()
                        .filter(|v| v.is_finite())
                        .collect();
                    let mean = both.iter().sum::<f64>() / both.len().max(1) as f64;
                    let variance = both.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
                        / (both.len().max(2) - 1) as f64;
                    rows.push(SobolRow {
                        arm: arm.name.clone(),
                        role: arm.role.clone(),
                        day,
                        readout: readout.clone(),
                        unit: unit.clone(),
                        quantity,
                        variance,
                        indices: indices(&fa, &fb, &fab, seed ^ 0x9E37_79B9_7F4A_7C15),
                    });
                }
            }
        }
    }
    Ok(SobolResult {
        selection: selection.clone(),
        base_samples: n,
        runs: total,
        seed,
        reference,
        failures,
        rows,
    })
}
