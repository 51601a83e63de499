//! Model-independent comparison of two release profiles: difference factor f1, similarity
//! factor f2 and a bootstrap confidence interval of f2.
//!
//! - `f1 = 100 * sum |R_t - T_t| / sum R_t`
//! - `f2 = 50 * log10(100 / sqrt(1 + (1/n) * sum (R_t - T_t)^2))`
//!
//! (Moore & Flanner, Pharm Tech 1996; FDA 1997 dissolution guidance), on the mean profiles at
//! the selected time points. f2 >= 50 (and f1 <= 15) is read as "similar".
//!
//! Point selection ([`PointRule`]): `all` uses every common time point; `ema` follows the EMA
//! bioequivalence guideline (CPMP/EWP/QWP/1401/98 Rev. 1, 2010, as implemented by the R
//! package bootf2): time 0 is excluded and points are used up to and including the first one
//! at which either mean exceeds 85 %. At least 3 points are required by the guideline (a note
//! is given otherwise), and the coefficient-of-variation rule (<= 20 % at the first point,
//! <= 10 % later) is checked and reported as a note, not enforced.
//!
//! Bootstrap: the replicate columns of each product are resampled with replacement (same
//! count), the mean profiles and f2 (with the same rule, re-applied) are recomputed, and the
//! 90 % interval is the 5th-95th percentile (linear interpolation between order statistics,
//! Hyndman-Fan type 7). Random numbers come from SplitMix64 (Steele, Lea & Flood 2014) seeded
//! with `seed`; an index in `0..k` is `(x * k) >> 64` of a 64-bit output `x` (Lemire 2019;
//! bias below k / 2^64). The same seed gives the same interval on every platform.

use super::data::{mean_of, ReleaseData};
use super::FitError;
use serde::Serialize;

/// Which time points enter f1 and f2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PointRule {
    /// Every common time point (including t = 0 when present).
    All,
    /// EMA: exclude t = 0; stop after the first point where either mean exceeds 85 %.
    Ema,
}

/// Options of [`compare`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimilarityOptions {
    /// Point selection.
    pub rule: PointRule,
    /// Number of bootstrap resamples (0 = no bootstrap).
    pub bootstrap: usize,
    /// Seed of the random generator.
    pub seed: u64,
}

impl Default for SimilarityOptions {
    fn default() -> Self {
        SimilarityOptions {
            rule: PointRule::All,
            bootstrap: 1000,
            seed: 1,
        }
    }
}

/// Result of [`compare`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarityReport {
    /// Difference factor (%).
    pub f1: Option<f64>,
    /// Similarity factor (-).
    pub f2: f64,
    /// Bootstrap 90 % percentile interval of f2 (null with fewer than 2 replicate columns per
    /// file or no bootstrap).
    pub f2_bootstrap_ci90: Option<[f64; 2]>,
    /// Median of the bootstrap f2 values.
    pub f2_bootstrap_median: Option<f64>,
    /// Number of bootstrap resamples done.
    pub bootstrap: usize,
    /// Seed used.
    pub seed: u64,
    /// Point rule used.
    pub rule: PointRule,
    /// Times used for f1/f2 (data time unit).
    pub times_used: Vec<f64>,
    /// Reference mean at those times (% of dose).
    pub reference_mean: Vec<f64>,
    /// Test mean at those times (% of dose).
    pub test_mean: Vec<f64>,
    /// Replicate columns of the reference and the test.
    pub replicates: [usize; 2],
    /// `f2 >= 50`.
    pub similar: bool,
    /// Remarks (rule requirements, CV rule, why the interval is null).
    pub notes: Vec<String>,
}

/// Difference factor f1 (%) of reference `r` and test `t` (same length); `None` when the
/// reference sums to 0 or the lengths differ or are 0.
pub fn f1(r: &[f64], t: &[f64]) -> Option<f64> {
    if r.len() != t.len() || r.is_empty() {
        return None;
    }
    let num: f64 = r.iter().zip(t).map(|(a, b)| (a - b).abs()).sum();
    let den: f64 = r.iter().sum();
    if den > 0.0 {
        Some(100.0 * num / den)
    } else {
        None
    }
}

/// Similarity factor f2 of `r` and `t` (same, non-zero length; NaN otherwise).
pub fn f2(r: &[f64], t: &[f64]) -> f64 {
    if r.len() != t.len() || r.is_empty() {
        return f64::NAN;
    }
    let msd: f64 = r.iter().zip(t).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / r.len() as f64;
    50.0 * (100.0 / (1.0 + msd).sqrt()).log10()
}

/// Indices of the time points used under `rule` for mean profiles `r` and `t` (over the
/// shortest of the three slices).
pub fn select_points(time: &[f64], r: &[f64], t: &[f64], rule: PointRule) -> Vec<usize> {
    let n = time.len().min(r.len()).min(t.len());
    match rule {
        PointRule::All => (0..n).collect(),
        PointRule::Ema => {
            let mut idx = vec![];
            for i in 0..n {
                if time[i] <= 0.0 {
                    continue;
                }
                idx.push(i);
                if r[i] > 85.0 || t[i] > 85.0 {
                    break;
                }
            }
            idx
        }
    }
}

/// SplitMix64 generator (Steele, Lea & Flood, OOPSLA 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform index in `0..k` (`k > 0`).
    pub fn index(&mut self, k: usize) -> usize {
        ((u128::from(self.next_u64()) * k as u128) >> 64) as usize
    }
    /// Uniform number in (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
    /// Standard normal deviate (Box-Muller, cosine branch).
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit(), self.unit());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Percentile of sorted `v` at probability `q` (Hyndman-Fan type 7).
pub fn percentile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

fn f2_rule(time: &[f64], r: &[f64], t: &[f64], rule: PointRule) -> f64 {
    let idx = select_points(time, r, t, rule);
    let rs: Vec<f64> = idx.iter().map(|&i| r[i]).collect();
    let ts: Vec<f64> = idx.iter().map(|&i| t[i]).collect();
    f2(&rs, &ts)
}

/// Compares `test` with `reference` (see the module documentation). Fails when the time points
/// differ (naming the first difference) or the units differ, or when no point is left.
pub fn compare(
    reference: &ReleaseData,
    test: &ReleaseData,
    opts: &SimilarityOptions,
) -> Result<SimilarityReport, FitError> {
    reference.check()?;
    test.check()?;
    if let (Some(a), Some(b)) = (&reference.time_unit, &test.time_unit) {
        if a != b {
            return Err(FitError::Data(format!(
                "time units differ: {} uses `{a}`, {} uses `{b}`; f1/f2 need the same time points",
                reference.source, test.source
            )));
        }
    }
    if reference.len() != test.len() {
        return Err(FitError::Data(format!(
            "{} has {} time points but {} has {}; f1/f2 need the same time points",
            reference.source,
            reference.len(),
            test.source,
            test.len()
        )));
    }
    for i in 0..reference.len() {
        let (a, b) = (reference.time[i], test.time[i]);
        if (a - b).abs() > 1e-9 * a.abs().max(b.abs()) {
            return Err(FitError::Data(format!(
                "time points differ: {} line {} has t = {a}, {} line {} has t = {b}; f1/f2 need \
                 the same time points",
                reference.source, reference.lines[i], test.source, test.lines[i]
            )));
        }
    }
    let time = &reference.time;
    let rm = reference.mean();
    let tm = test.mean();
    let idx = select_points(time, &rm, &tm, opts.rule);
    if idx.is_empty() {
        return Err(FitError::Data(
            "no time point left for f1/f2 (the EMA rule excludes t = 0)".into(),
        ));
    }
    let mut notes = vec![];
    if opts.rule == PointRule::Ema {
        if idx.len() < 3 {
            notes.push(format!(
                "EMA requires at least 3 time points (t = 0 excluded); only {} used",
                idx.len()
            ));
        }
        for (name, d) in [("reference", reference), ("test", test)] {
            if d.replicates() < 2 {
                continue;
            }
            let m = d.mean();
            let sd = d.sd();
            for (k, &i) in idx.iter().enumerate() {
                if m[i] <= 0.0 {
                    continue;
                }
                let cv = 100.0 * sd[i] / m[i];
                let limit = if k == 0 { 20.0 } else { 10.0 };
                if cv > limit {
                    notes.push(format!(
                        "{name}: CV {cv:.1} % at t = {} exceeds the EMA limit of {limit} % \
                         (f2 on means may not be applicable; see the bootstrap interval)",
                        time[i]
                    ));
                }
            }
        }
    }
    let rs: Vec<f64> = idx.iter().map(|&i| rm[i]).collect();
    let ts: Vec<f64> = idx.iter().map(|&i| tm[i]).collect();
    let f1v = f1(&rs, &ts);
    if f1v.is_none() {
        notes.push("f1 null: the reference mean sums to 0 at the points used".into());
    }
    let f2v = f2(&rs, &ts);
    let (mut ci, mut median, mut done) = (None, None, 0);
    if opts.bootstrap == 0 {
        notes.push("no bootstrap requested (--bootstrap 0)".into());
    } else if reference.replicates() < 2 || test.replicates() < 2 {
        notes.push(format!(
            "f2_bootstrap_ci90 null: the bootstrap resamples replicate columns and needs at \
             least 2 per file (reference {}, test {})",
            reference.replicates(),
            test.replicates()
        ));
    } else {
        let mut rng = SplitMix64::new(opts.seed);
        let n = time.len();
        let mut vals = Vec::with_capacity(opts.bootstrap);
        let mut cols_r: Vec<Vec<f64>> = Vec::with_capacity(reference.replicates());
        let mut cols_t: Vec<Vec<f64>> = Vec::with_capacity(test.replicates());
        for _ in 0..opts.bootstrap {
            cols_r.clear();
            cols_t.clear();
            for _ in 0..reference.replicates() {
                cols_r.push(reference.values[rng.index(reference.replicates())].clone());
            }
            for _ in 0..test.replicates() {
                cols_t.push(test.values[rng.index(test.replicates())].clone());
            }
            let v = f2_rule(time, &mean_of(&cols_r, n), &mean_of(&cols_t, n), opts.rule);
            if v.is_finite() {
                vals.push(v);
            }
        }
        vals.sort_by(f64::total_cmp);
        done = opts.bootstrap;
        if !vals.is_empty() {
            ci = Some([
                percentile_sorted(&vals, 0.05),
                percentile_sorted(&vals, 0.95),
            ]);
            median = Some(percentile_sorted(&vals, 0.5));
        }
    }
    Ok(SimilarityReport {
        f1: f1v,
        f2: f2v,
        f2_bootstrap_ci90: ci,
        f2_bootstrap_median: median,
        bootstrap: done,
        seed: opts.seed,
        rule: opts.rule,
        times_used: idx.iter().map(|&i| time[i]).collect(),
        reference_mean: rs,
        test_mean: ts,
        replicates: [reference.replicates(), test.replicates()],
        similar: f2v >= 50.0,
        notes,
    })
}
