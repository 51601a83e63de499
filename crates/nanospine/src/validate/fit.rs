//! Validation of the release-curve fitter and the profile-comparison tools
//! (`nanospine validate fit`).
//!
//! Cases:
//! - `t_quantile_*`: Student t quantiles against printed tables (3 decimals) and closed forms
//!   for 1 and 2 degrees of freedom.
//! - `f1_f2_*`: hand-derived f1/f2 of a worked example, identical profiles, and the f2 values
//!   printed by the R package bootf2 (vignette "calcf2") for its tabulated mean profiles.
//! - `bootstrap_*`: determinism for a seed, interval contains the point estimate.
//! - `fixture_*`: the 12-point DDSolver-parity fixture fitted by every classical model twice
//!   (bit-identical results), with checks against independent solutions (closed-form
//!   zero-order slope, 1-D golden-section first-order rate, brute-force Weibull grid) and
//!   `t50 = ln 2 / k1` for first order.
//! - `recover_*`: every model in `release::all()` recovers known parameters from synthetic data
//!   with 1 % (of dose) Gaussian noise, fixed seed (see [`recovery_case`]).
//! - `aicc_prefers_*`: with 36 noisy points, AICc ranks the generating model first among the
//!   classical models, or only models with more parameters within 2 AICc units above it, or
//!   exact reparametrisations of it (same parameter count and AICc, e.g. Hopfenberg slab).

use super::Case;
use crate::fit::bench::{fixture, FIXTURE_F, FIXTURE_T};
use crate::fit::similarity::{compare, f1, f2, PointRule, SimilarityOptions, SplitMix64};
use crate::fit::stats::t_quantile;
use crate::fit::{
    fit_all, fit_model, lm::LmSettings, param_bounds, FitOptions, ModelFit, Observations,
    ReleaseData,
};
use crate::release::{self, ReleaseModel};

/// Noise SD of the synthetic data sets (percentage points of the dose).
pub const NOISE_SD: f64 = 1.0;
/// Relative-error tolerance of a recovered parameter whose true value lies outside its 95 % CI.
pub const RECOVERY_REL_TOL: f64 = 0.05;
/// Minimum R2 of a recovery fit.
pub const RECOVERY_MIN_R2: f64 = 0.99;
/// Time scale of the canonical profiles and of the parameter bounds in the recovery cases.
pub const T_REF: f64 = 20.0;

/// Student t quantile cases.
pub fn t_quantile_cases() -> Vec<Case> {
    // Two-sided tables of Student's t (any statistics text, e.g. Fisher & Yates; 3 decimals).
    let table = [
        (0.975, 1.0, 12.706),
        (0.975, 2.0, 4.303),
        (0.975, 5.0, 2.571),
        (0.975, 10.0, 2.228),
        (0.975, 30.0, 2.042),
        (0.95, 10.0, 1.812),
        (0.995, 20.0, 2.845),
        (0.975, 120.0, 1.980),
    ];
    let mut cases: Vec<Case> = table
        .iter()
        .map(|&(p, v, q)| {
            Case::at_most(
                &format!("t_quantile_{p}_{v}"),
                &format!("|t({p}, {v}) - {q}| (table, 3 decimals)"),
                (t_quantile(p, v) - q).abs(),
                5e-4,
            )
        })
        .collect();
    // Closed forms: nu = 1 (Cauchy) t = tan(pi (p - 1/2)); nu = 2: t = (2p - 1)/sqrt(2p(1 - p)).
    let mut err: f64 = 0.0;
    for p in [0.6, 0.9, 0.975, 0.995, 0.9995] {
        let c1 = (std::f64::consts::PI * (p - 0.5)).tan();
        let c2 = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
        err = err
            .max(((t_quantile(p, 1.0) - c1) / c1).abs())
            .max(((t_quantile(p, 2.0) - c2) / c2).abs());
    }
    cases.push(Case::at_most(
        "t_quantile_closed_forms",
        "max relative error vs closed forms for 1 and 2 dof",
        err,
        1e-9,
    ));
    cases
}

fn one_column(t: &[f64], f: &[f64]) -> Result<ReleaseData, String> {
    ReleaseData::from_columns("time_min", t, &[f.to_vec()]).map_err(|e| e.to_string())
}

/// f1/f2 and bootstrap cases.
pub fn similarity_cases() -> Result<Vec<Case>, String> {
    let mut cases = vec![];
    // Worked example (np-carriers.md §1.1): hand-derived with the standard formulas:
    // sum |R-T| = 6, sum R = 290 -> f1 = 600/290; mean (R-T)^2 = 8/5 -> f2 = 50 log10(100/sqrt(2.6)).
    let r = [20.0, 40.0, 60.0, 80.0, 90.0];
    let t = [21.0, 39.0, 61.0, 79.0, 88.0];
    let f1_hand = 600.0 / 290.0;
    let f2_hand = 50.0 * (100.0 / 2.6f64.sqrt()).log10();
    cases.push(Case::at_most(
        "f1_worked_example",
        "|f1 - 600/290| (hand-derived; the tutorial's 1.33 is not reproducible, see VALIDATION.md)",
        (f1(&r, &t).unwrap_or(f64::NAN) - f1_hand).abs(),
        1e-12,
    ));
    cases.push(Case::at_most(
        "f2_worked_example",
        "|f2 - 50 log10(100/sqrt(2.6))| (hand-derived = 89.626)",
        (f2(&r, &t) - f2_hand).abs(),
        1e-12,
    ));
    cases.push(Case::at_most(
        "f2_identical_profiles",
        "|f2 - 100| for identical profiles",
        (f2(&r, &r) - 100.0).abs(),
        1e-12,
    ));
    // bootf2 vignette "calcf2" (Z. Xu, 2021), low-variability example: mean profiles printed to
    // 2 decimals; "Estimated f2 = 51.34" (EMA: points 5-20 min) and 53.13 (WHO: 5-30 min).
    let tp = [5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0];
    let mt = [19.02, 50.77, 76.24, 90.52, 98.68, 99.41, 99.42];
    let mr = [17.60, 42.48, 63.95, 79.22, 94.18, 98.98, 99.39];
    let rd = one_column(&tp, &mr)?;
    let td = one_column(&tp, &mt)?;
    let ema = compare(
        &rd,
        &td,
        &SimilarityOptions {
            rule: PointRule::Ema,
            bootstrap: 0,
            seed: 1,
        },
    )
    .map_err(|e| e.to_string())?;
    cases.push(Case::at_most(
        "f2_bootf2_vignette_ema",
        "|f2 - 51.34| (bootf2 calcf2 vignette, EMA rule, 4 points)",
        (ema.f2 - 51.34).abs(),
        0.006,
    ));
    cases.push(Case::at_most(
        "f2_ema_point_selection",
        "points used by the EMA rule (bootf2: 5, 10, 15, 20 min) minus 4",
        (ema.times_used.len() as f64 - 4.0).abs(),
        0.0,
    ));
    let who = f2(&mr[..5], &mt[..5]);
    cases.push(Case::at_most(
        "f2_bootf2_vignette_who",
        "|f2 - 53.13| (bootf2 calcf2 vignette, WHO rule, 5 points)",
        (who - 53.13).abs(),
        0.006,
    ));
    // Bootstrap on two synthetic 6-replicate profiles.
    let (a, b) = crate::fit::bench::bootstrap_pair();
    let o = SimilarityOptions {
        rule: PointRule::All,
        bootstrap: 1000,
        seed: 7,
    };
    let s1 = compare(&a, &b, &o).map_err(|e| e.to_string())?;
    let s2 = compare(&a, &b, &o).map_err(|e| e.to_string())?;
    let same = s1.f2_bootstrap_ci90 == s2.f2_bootstrap_ci90 && s1.f2_bootstrap_ci90.is_some();
    cases.push(Case::at_most(
        "bootstrap_same_seed_same_interval",
        "intervals differ between two runs with seed 7 (0 = identical)",
        if same { 0.0 } else { 1.0 },
        0.0,
    ));
    let inside = s1
        .f2_bootstrap_ci90
        .map(|[lo, hi]| lo <= s1.f2 && s1.f2 <= hi)
        .unwrap_or(false);
    cases.push(Case::at_most(
        "bootstrap_interval_contains_f2",
        "f2 outside its bootstrap 90 % interval (0 = inside)",
        if inside { 0.0 } else { 1.0 },
        0.0,
    ));
    let single = compare(&rd, &td, &SimilarityOptions::default()).map_err(|e| e.to_string())?;
    cases.push(Case::at_most(
        "bootstrap_null_with_one_replicate",
        "interval given with one replicate column (0 = null as required)",
        if single.f2_bootstrap_ci90.is_none() {
            0.0
        } else {
            1.0
        },
        0.0,
    ));
    Ok(cases)
}

fn r2_of(fits: &[ModelFit], name: &str) -> Option<f64> {
    fits.iter().find(|f| f.name == name).and_then(|f| f.r2)
}

fn golden_section(f: &dyn Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..300 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if f(c) < f(d) {
            b = d;
        } else {
            a = c;
        }
    }
    0.5 * (a + b)
}

/// The DDSolver-parity fixture cases.
pub fn fixture_cases() -> Result<Vec<Case>, String> {
    let data = fixture();
    let opts = FitOptions::default();
    let a = fit_all(&data, &opts).map_err(|e| e.to_string())?;
    let b = fit_all(&data, &opts).map_err(|e| e.to_string())?;
    let mut cases = vec![];
    let n_classical = release::all().iter().filter(|m| m.classical()).count();
    cases.push(Case::at_most(
        "fixture_every_classical_model_fitted",
        "classical models not fitted",
        (n_classical - a.models.len()) as f64,
        0.0,
    ));
    for (fa, fb) in a.models.iter().zip(&b.models) {
        // serde_json prints the shortest round-trip text, so equal text = equal bits.
        let ja = serde_json::to_string(fa).map_err(|e| e.to_string())?;
        let jb = serde_json::to_string(fb).map_err(|e| e.to_string())?;
        cases.push(Case::at_most(
            &format!("fixture_bitwise_{}", fa.name),
            "results differ between two runs (0 = bit-identical)",
            if ja == jb && fa.name == fb.name {
                0.0
            } else {
                1.0
            },
            0.0,
        ));
        let finite = fa.ss.is_finite() && fa.r2.is_some();
        cases.push(Case::at_most(
            &format!("fixture_finite_{}", fa.name),
            "non-finite SS or null R2 (0 = finite)",
            if finite { 0.0 } else { 1.0 },
            0.0,
        ));
    }
    let (t, y) = (&FIXTURE_T, &FIXTURE_F);
    if let Some(f) = a.models.iter().find(|f| f.name == "zero_order") {
        // Closed-form least squares through the origin: k0 = sum(t F) / sum(t^2).
        let k0 =
            t.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / t.iter().map(|a| a * a).sum::<f64>();
        cases.push(Case::at_most(
            "fixture_zero_order_closed_form",
            "relative error of k0 vs sum(tF)/sum(t^2)",
            ((f.params[0].value - k0) / k0).abs(),
            1e-7,
        ));
    }
    if let Some(f) = a.models.iter().find(|f| f.name == "first_order") {
        let ss = |k: f64| -> f64 {
            t.iter()
                .zip(y)
                .map(|(&x, &v)| (v - 100.0 * (1.0 - (-k * x).exp())).powi(2))
                .sum()
        };
        let k = golden_section(&ss, 1e-3, 2.0);
        cases.push(Case::at_most(
            "fixture_first_order_golden_section",
            "relative error of k1 vs 1-D golden-section minimum",
            ((f.params[0].value - k) / k).abs(),
            1e-6,
        ));
        cases.push(Case::at_most(
            "fixture_first_order_t50_analytic",
            "relative error of t50 vs ln 2 / k1",
            f.t50
                .map(|v| ((v - 2f64.ln() / f.params[0].value) / v).abs())
                .unwrap_or(f64::NAN),
            1e-9,
        ));
        cases.push(Case::at_least(
            "fixture_r2_first_order",
            "R2 of first order on the fixture",
            f.r2.unwrap_or(f64::NAN),
            0.98,
        ));
    }
    if let Some(f) = a.models.iter().find(|f| f.name == "weibull") {
        // Brute-force grid tau in [5, 10] step 0.005, beta in [0.7, 1.3] step 0.001.
        let mut best = f64::INFINITY;
        for i in 0..=1000 {
            let tau = 5.0 + 0.005 * i as f64;
            for j in 0..=600 {
                let beta = 0.7 + 0.001 * j as f64;
                let s: f64 = t
                    .iter()
                    .zip(y)
                    .map(|(&x, &v)| (v - 100.0 * (1.0 - (-(x / tau).powf(beta)).exp())).powi(2))
                    .sum();
                best = best.min(s);
            }
        }
        cases.push(Case::at_most(
            "fixture_weibull_vs_grid",
            "SS(fit) - SS(best of a 1001 x 601 grid) (<= 0: at least as good)",
            f.ss - best,
            0.0,
        ));
        cases.push(Case::at_least(
            "fixture_r2_weibull",
            "R2 of Weibull on the fixture",
            r2_of(&a.models, "weibull").unwrap_or(f64::NAN),
            0.99,
        ));
    }
    Ok(cases)
}

/// A noise-free release profile: time (in `T`) to cumulative release (% of dose).
pub type Profile = fn(f64) -> f64;

/// Canonical noise-free profiles on `[0, T_REF]` (percent of dose): the truth of a recovery case
/// is the model's best fit to the closest of these (ties within 1e-9 %^2 go to the earlier one,
/// so the sigmoid Weibull profile comes first to make Weibull-type models non-degenerate).
pub fn canonical_profiles() -> Vec<(&'static str, Profile)> {
    vec![
        ("Weibull tau=8 beta=1.8", |t| {
            100.0 * (1.0 - (-(t / 8.0).powf(1.8)).exp())
        }),
        ("first-order k=0.15", |t| 100.0 * (1.0 - (-0.15 * t).exp())),
        ("first-order with lag 1.5", |t| {
            if t <= 1.5 {
                0.0
            } else {
                100.0 * (1.0 - (-0.18 * (t - 1.5)).exp())
            }
        }),
        ("burst 15 % + plateau 80 %", |t| {
            15.0 + 65.0 * (1.0 - (-0.2 * t).exp())
        }),
        ("linear 4 %/T", |t| 4.0 * t),
        ("square root 20 %/T^0.5", |t| 20.0 * t.sqrt()),
        ("power 10 t^0.7", |t| 10.0 * t.powf(0.7)),
        ("biphasic 40 % fast + 55 % slow", |t| {
            40.0 * (1.0 - (-t).exp()) + 55.0 * (1.0 - (-0.08 * t).exp())
        }),
        ("logistic midpoint 8", |t| {
            100.0 / (1.0 + (-(t - 8.0) / 2.0).exp())
        }),
    ]
}

/// Sampling designs of the recovery cases, tried in order until one identifies the model.
pub fn designs() -> Vec<(&'static str, Vec<f64>)> {
    let d24 = vec![
        0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
        11.0, 12.0, 14.0, 16.0, 18.0, 20.0, 22.0,
    ];
    let mut d48: Vec<f64> = (1..=8).map(|k| 0.25 * k as f64).collect();
    d48.extend((0..20).map(|k| 2.5 + 0.5 * k as f64));
    d48.extend((0..20).map(|k| 12.5 + k as f64));
    vec![
        ("12-point (fixture times 1-20)", FIXTURE_T.to_vec()),
        ("24-point (0.25-22)", d24),
        ("48-point (0.25-31.5)", d48),
    ]
}

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The recovery truth of `model`: its best fit (41 points on `[0, T_REF]`) to the canonical
/// profile it fits best among those whose fit has every parameter inside its bounds with a
/// finite standard error (so every parameter matters); if no profile gives such a fit, the
/// best fit overall. Values within 1 % of the search range of a bound are moved to 1 % inside.
pub fn recovery_truth(model: &dyn ReleaseModel) -> Option<(String, Vec<f64>)> {
    let t: Vec<f64> = (0..=40).map(|k| 0.5 * k as f64).collect();
    // (identifiable, ss, profile, values)
    let mut best: Option<(bool, f64, String, Vec<f64>)> = None;
    for (name, f) in canonical_profiles() {
        let y: Vec<f64> = t.iter().map(|&x| f(x)).collect();
        let obs = Observations {
            t: t.clone(),
            y,
            w: vec![1.0; t.len()],
            row: (0..t.len()).collect(),
        };
        if let Ok(fit) = fit_model(model, &obs, T_REF, &LmSettings::default()) {
            let ident = fit.params.iter().all(|p| p.se.is_some());
            let better = match &best {
                None => true,
                Some((bi, bss, _, _)) => (ident && !bi) || (ident == *bi && fit.ss < *bss - 1e-9),
            };
            if better {
                best = Some((ident, fit.ss, name.to_string(), fit.values()));
            }
        }
    }
    let (_, _, name, mut p) = best?;
    for (j, s) in model.params().iter().enumerate() {
        let (lo, hi) = param_bounds(s, T_REF);
        let log = s.log_scale && lo > 0.0;
        let (a, b, x) = if log {
            (lo.ln(), hi.ln(), p[j].ln())
        } else {
            (lo, hi, p[j])
        };
        let x = x.clamp(a + 0.01 * (b - a), b - 0.01 * (b - a));
        p[j] = if log { x.exp() } else { x };
    }
    Some((name, p))
}

/// Outcome of one recovery attempt: the worst normalised parameter error `z` (<= 1 passes:
/// `z_j = min(|est - true| / CI half-width, |est - true| / (RECOVERY_REL_TOL |true|))`), the
/// fit's R2, and a description of the failure if any.
fn recover_on(
    model: &dyn ReleaseModel,
    truth: &[f64],
    t: &[f64],
    seed: u64,
) -> (f64, f64, Option<String>) {
    let mut rng = SplitMix64::new(seed);
    let y: Vec<f64> = t
        .iter()
        .map(|&x| model.eval(x, truth) + NOISE_SD * rng.normal())
        .collect();
    let obs = Observations {
        t: t.to_vec(),
        y,
        w: vec![1.0; t.len()],
        row: (0..t.len()).collect(),
    };
    let fit = match fit_model(model, &obs, T_REF, &LmSettings::default()) {
        Ok(f) => f,
        Err(e) => return (f64::INFINITY, f64::NAN, Some(e)),
    };
    let mut z: f64 = 0.0;
    let mut why = None;
    if let Some(p) = fit.params.iter().find(|p| p.se.is_none() && !p.at_bound) {
        // A parameter without a standard error is not identified by the data, whatever its
        // estimate (a deterministic search may land near the truth by construction).
        why = Some(format!(
            "SE of `{}` null (J'J singular): parameters not separately identifiable",
            p.name
        ));
        z = f64::INFINITY;
    }
    for (j, p) in fit.params.iter().enumerate() {
        let err = (p.value - truth[j]).abs();
        let zr = if truth[j] != 0.0 {
            err / (RECOVERY_REL_TOL * truth[j].abs())
        } else {
            f64::INFINITY
        };
        let zc = match p.ci95 {
            Some([lo, hi]) if hi > lo => err / (0.5 * (hi - lo)),
            _ => f64::INFINITY,
        };
        let zj = zr.min(zc);
        if zj > 1.0 && why.is_none() {
            why = Some(format!(
                "`{}` = {:.4} vs true {:.4} (SE {})",
                p.name,
                p.value,
                truth[j],
                p.se.map(|s| format!("{s:.3e}"))
                    .unwrap_or_else(|| "null".into())
            ));
        }
        z = z.max(zj);
    }
    if let Some(w) = why.as_mut() {
        // Distinguish a search failure from parameters the data do not pin down: at the
        // least-squares optimum SS cannot exceed SS at the true parameters.
        let ss_true: f64 = obs
            .t
            .iter()
            .zip(&obs.y)
            .map(|(&x, &v)| (v - model.eval(x, truth)).powi(2))
            .sum();
        if fit.ss <= ss_true {
            w.push_str(&format!(
                "; least-squares optimum found (SS {:.4} <= SS at the true parameters {:.4}), so \
                 the data on this design do not pin the parameters down (weakly identifiable, or \
                 non-unique such as exchangeable components)",
                fit.ss, ss_true
            ));
        } else {
            w.push_str(&format!(
                "; SS {:.4} > SS at the true parameters {:.4}: the search missed the optimum",
                fit.ss, ss_true
            ));
        }
    }
    let r2 = fit.r2.unwrap_or(f64::NAN);
    if why.is_none() && (r2.is_nan() || r2 <= RECOVERY_MIN_R2) {
        why = Some(format!("R2 {r2:.5} <= {RECOVERY_MIN_R2}"));
    }
    (z, r2, why)
}

/// Recovery case of one model: the truth from [`recovery_truth`], noisy data (SD
/// [`NOISE_SD`], seed from the model id) on the 12-point design, then denser designs when a
/// design does not identify the model; the metric names the design used and why any sparser
/// design failed.
pub fn recovery_case(model: &dyn ReleaseModel) -> Vec<Case> {
    let name = format!("recover_{}", model.name());
    let Some((profile, truth)) = recovery_truth(model) else {
        return vec![Case::failed(
            &name,
            "parameter recovery",
            "no truth could be fitted",
        )];
    };
    let truth_txt: Vec<String> = model
        .params()
        .iter()
        .zip(&truth)
        .map(|(s, v)| format!("{}={v:.4}", s.name))
        .collect();
    let mut failures = vec![];
    let mut last = (f64::INFINITY, f64::NAN);
    for (k, (dname, t)) in designs().iter().enumerate() {
        let seed = fnv1a(model.name()) ^ (k as u64);
        let (z, r2, why) = recover_on(model, &truth, t, seed);
        last = (z, r2);
        match why {
            None => {
                let mut metric = format!(
                    "max normalised error (true {} from profile \"{profile}\"; design {dname}",
                    truth_txt.join(" ")
                );
                if !failures.is_empty() {
                    metric.push_str(&format!(
                        "; NOT identifiable on sparser design(s): {}",
                        failures.join("; ")
                    ));
                }
                metric.push(')');
                return vec![
                    Case::at_most(&name, &metric, z, 1.0),
                    Case::at_least(
                        &format!("{name}_r2"),
                        &format!("R2 of the recovery fit (design {dname})"),
                        r2,
                        RECOVERY_MIN_R2,
                    ),
                ];
            }
            Some(w) => failures.push(format!("{dname}: {w}")),
        }
    }
    vec![Case {
        name,
        passed: false,
        metric: format!(
            "max normalised error (true {}; not identifiable on any design: {})",
            truth_txt.join(" "),
            failures.join("; ")
        ),
        value: last.0,
        threshold: "<= 1".into(),
    }]
}

/// Recovery cases for every model in `release::all()`.
pub fn recovery_cases() -> Vec<Case> {
    release::all()
        .iter()
        .flat_map(|m| recovery_case(m.as_ref()))
        .collect()
}

/// AICc-ranking case for a generating model `gen` with parameters `p`, 36 points on
/// `0.5..18`, noise SD [`NOISE_SD`].
pub fn ranking_case(gen: &str, p: &[f64], seed: u64) -> Case {
    let name = format!("aicc_prefers_{gen}");
    let Some(model) = release::by_name(gen) else {
        return Case::failed(
            &name,
            "rank of the generating model",
            "model not in release::all()",
        );
    };
    let t: Vec<f64> = (1..=36).map(|k| 0.5 * k as f64).collect();
    let mut rng = SplitMix64::new(seed);
    let y: Vec<f64> = t
        .iter()
        .map(|&x| (model.eval(x, p) + NOISE_SD * rng.normal()).clamp(-4.0, 104.0))
        .collect();
    let data = match ReleaseData::from_columns("time_h", &t, &[y]) {
        Ok(d) => d,
        Err(e) => return Case::failed(&name, "rank", &e.to_string()),
    };
    let rep = match fit_all(&data, &FitOptions::default()) {
        Ok(r) => r,
        Err(e) => return Case::failed(&name, "rank", &e.to_string()),
    };
    let Some(pos) = rep.models.iter().position(|m| m.name == gen) else {
        return Case::failed(&name, "rank", "generating model not fitted");
    };
    let g = &rep.models[pos];
    // Models ranked above the generator must have more parameters and be within 2 AICc
    // units, or be an exact reparametrisation of it (same p and the same AICc to 1e-6, e.g.
    // Hopfenberg slab with n = 1 is zero-order with k0 = 100 khb).
    let ok = rep.models[..pos].iter().all(|m| match (m.aicc, g.aicc) {
        (Some(a), Some(b)) => (m.p > g.p && b - a <= 2.0) || (m.p == g.p && (a - b).abs() < 1e-6),
        _ => false,
    });
    let above: Vec<String> = rep.models[..pos]
        .iter()
        .map(|m| {
            format!(
                "{} (p={}, AICc {:.2})",
                m.name,
                m.p,
                m.aicc.unwrap_or(f64::NAN)
            )
        })
        .collect();
    Case {
        name,
        passed: ok,
        metric: format!(
            "rank of {gen} among {} classical models (AICc {:.2}); ranked above it: [{}]",
            rep.models.len(),
            g.aicc.unwrap_or(f64::NAN),
            above.join(", ")
        ),
        value: (pos + 1) as f64,
        threshold: "1, or only models with more parameters within 2 AICc units above, or exact reparametrisations (same p, same AICc)".into(),
    }
}

/// The AICc-ranking cases.
pub fn ranking_cases() -> Vec<Case> {
    vec![
        ranking_case("weibull", &[8.0, 1.6], 11),
        ranking_case("first_order", &[0.12], 12),
        ranking_case("zero_order", &[3.5], 13),
    ]
}
