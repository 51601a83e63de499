//! Fitter benchmark (`nanospine bench fit`): wall time (`std::time::Instant`) to fit every
//! classical model to the 12-point DDSolver-parity fixture, and of a 1000-resample bootstrap
//! f2 on two 6-replicate profiles. Everything runs on the calling thread (the fitter uses no
//! thread pool). Reported figures are medians over repeats.

use super::similarity::{compare, PointRule, SimilarityOptions};
use super::{fit_all, FitOptions, ReleaseData};
use serde::Serialize;
use std::time::Instant;

/// Times of the DDSolver-parity fixture (np-carriers.md §6, C# engine test fixture).
pub const FIXTURE_T: [f64; 12] = [1., 2., 3., 4., 6., 8., 10., 12., 14., 16., 18., 20.];
/// Cumulative release (%) of the DDSolver-parity fixture.
pub const FIXTURE_F: [f64; 12] = [8., 24., 38., 48., 58., 66., 73., 78., 84., 88., 92., 95.];

/// The fixture as a one-replicate data set (the source states no time unit; header `time`, as
/// in `examples/release/fixture-ddsolver-parity.csv`).
pub fn fixture() -> ReleaseData {
    ReleaseData {
        source: "fixture-ddsolver-parity".into(),
        time_header: "time".into(),
        time_unit: None,
        time: FIXTURE_T.to_vec(),
        columns: vec!["F".into()],
        values: vec![FIXTURE_F.to_vec()],
        lines: (2..14).collect(),
    }
}

/// Two synthetic 6-replicate profiles for the bootstrap timing (first-order, k = 0.20 and 0.17
/// per h, replicate offsets of -2.5..2.5 %; synthetic, for timing only).
pub fn bootstrap_pair() -> (ReleaseData, ReleaseData) {
    let t = [0.5, 1., 2., 4., 6., 8., 12.];
    let make = |k: f64| -> Vec<Vec<f64>> {
        (0..6)
            .map(|r| {
                t.iter()
                    .map(|&x| (100.0 * (1.0 - (-k * x).exp()) + (r as f64 - 2.5)).clamp(0.0, 100.0))
                    .collect()
            })
            .collect()
    };
    let a = ReleaseData::from_columns("time_h", &t, &make(0.20));
    let b = ReleaseData::from_columns("time_h", &t, &make(0.17));
    match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        _ => (fixture(), fixture()),
    }
}

/// Result of [`run_fit_bench`].
#[derive(Debug, Clone, Serialize)]
pub struct FitBench {
    /// Number of classical models fitted per repeat.
    pub models: usize,
    /// Data points of the fixture.
    pub points: usize,
    /// Timed repeats of each measurement.
    pub repeats: usize,
    /// Median wall time to fit all classical models to the fixture (ms).
    pub fit_all_ms_median: f64,
    /// Fastest repeat (ms).
    pub fit_all_ms_min: f64,
    /// Median wall time per model (ms).
    pub fit_per_model_ms: f64,
    /// Bootstrap resamples.
    pub bootstrap_resamples: usize,
    /// Median wall time of the bootstrap f2 (ms).
    pub bootstrap_ms_median: f64,
    /// Threads used (always 1).
    pub threads: usize,
}

impl FitBench {
    /// Text summary.
    pub fn table(&self) -> String {
        format!(
            "fit all {} classical models to the {}-point fixture: median {:.2} ms (min {:.2} ms, \
             {:.3} ms per model), {} repeats, 1 thread\nbootstrap f2, {} resamples (2 x 6 \
             replicates, 7 times): median {:.2} ms\n",
            self.models,
            self.points,
            self.fit_all_ms_median,
            self.fit_all_ms_min,
            self.fit_per_model_ms,
            self.repeats,
            self.bootstrap_resamples,
            self.bootstrap_ms_median
        )
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Runs the benchmark with `repeats` timed repeats (at least 1) after one warm-up.
pub fn run_fit_bench(repeats: usize) -> Result<FitBench, super::FitError> {
    let repeats = repeats.max(1);
    let data = fixture();
    let opts = FitOptions::default();
    let warm = fit_all(&data, &opts)?;
    let models = warm.models.len() + warm.skipped.len();
    let mut fit_ms = vec![];
    for _ in 0..repeats {
        let t0 = Instant::now();
        let r = fit_all(&data, &opts)?;
        fit_ms.push(t0.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(r);
    }
    let (a, b) = bootstrap_pair();
    let sopts = SimilarityOptions {
        rule: PointRule::All,
        bootstrap: 1000,
        seed: 1,
    };
    compare(&a, &b, &sopts)?;
    let mut boot_ms = vec![];
    for _ in 0..repeats {
        let t0 = Instant::now();
        let r = compare(&a, &b, &sopts)?;
        boot_ms.push(t0.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(r);
    }
    let min = fit_ms.iter().copied().fold(f64::INFINITY, f64::min);
    let med = median(&mut fit_ms);
    Ok(FitBench {
        models,
        points: FIXTURE_T.len(),
        repeats,
        fit_all_ms_median: med,
        fit_all_ms_min: min,
        fit_per_model_ms: med / models.max(1) as f64,
        bootstrap_resamples: 1000,
        bootstrap_ms_median: median(&mut boot_ms),
        threads: 1,
    })
}
