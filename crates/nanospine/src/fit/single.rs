//! Fitting one model: search bounds, least squares, standard errors and confidence intervals,
//! goodness of fit and level-crossing times.

use super::options::{Observations, PercentWindow};
use super::{lm, stats, PERCENT_SCALE, T_LEVELS, T_SEARCH_FACTOR};
use crate::release::{ParamKind, ParamSpec, ReleaseModel};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Search bounds `(lower, upper)` of a parameter in model units for data whose last sampling
/// time is `t_last` (see the module documentation).
pub fn param_bounds(spec: &ParamSpec, t_last: f64) -> (f64, f64) {
    match spec.kind {
        ParamKind::Percent | ParamKind::Dimensionless => (spec.lower, spec.upper),
        ParamKind::Time => (spec.lower * t_last, spec.upper * t_last),
        ParamKind::Rate { exponent } => {
            let s = t_last.powf(exponent);
            let pct = if spec.unit.contains('%') {
                PERCENT_SCALE
            } else {
                1.0
            };
            (spec.lower * pct / s, spec.upper * pct / s)
        }
    }
}

/// One parameter estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamEstimate {
    /// Parameter symbol.
    #[serde(skip)]
    pub name: String,
    /// Estimate (unit below).
    pub value: f64,
    /// Standard error from `s^2 (J'J)^-1` (null at a bound, with zero residual degrees of
    /// freedom, or when `J'J` is singular).
    pub se: Option<f64>,
    /// 95 % confidence interval `value -/+ t(0.975, n - p) * se` (null when `se` is null).
    pub ci95: Option<[f64; 2]>,
    /// Unit with `T` = the data's time unit.
    pub unit: String,
    /// Lower search bound (model units).
    pub lower: f64,
    /// Upper search bound (model units).
    pub upper: f64,
    /// True when the estimate sits on a search bound (held there by the data).
    pub at_bound: bool,
}

fn ser_params<S: Serializer>(params: &[ParamEstimate], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(params.len()))?;
    for p in params {
        m.serialize_entry(&p.name, p)?;
    }
    m.end()
}

/// The fit of one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFit {
    /// Model id.
    pub name: String,
    /// Human-readable name.
    pub label: String,
    /// Equation as plain text.
    pub equation: String,
    /// Rank by AICc (1 = best); see [`super::rank_fits`].
    pub rank: usize,
    /// Number of observations fitted.
    pub n: usize,
    /// Number of parameters.
    pub p: usize,
    /// Residual degrees of freedom `n - p`.
    pub dof: usize,
    /// Estimates by parameter symbol, in the model's parameter order.
    #[serde(serialize_with = "ser_params")]
    pub params: Vec<ParamEstimate>,
    /// Sum of (weighted) squared residuals.
    pub ss: f64,
    /// Coefficient of determination (-).
    pub r2: Option<f64>,
    /// Adjusted R2 (-).
    pub r2_adj: Option<f64>,
    /// AIC = n ln(SS/n) + 2p.
    pub aic: Option<f64>,
    /// AICc = AIC + 2p(p+1)/(n-p-1); null when n - p - 1 <= 0.
    pub aicc: Option<f64>,
    /// BIC = n ln(SS/n) + p ln n.
    pub bic: Option<f64>,
    /// MSC = ln(SS_tot/SS) - 2p/n.
    pub msc: Option<f64>,
    /// sqrt(SS/(n - p)) (% of dose when unweighted; SD units, dimensionless, when weighted).
    pub rmse: Option<f64>,
    /// Time for the fitted curve to reach 25 % (data time unit).
    pub t25: Option<f64>,
    /// Time to reach 50 %.
    pub t50: Option<f64>,
    /// Time to reach 80 %.
    pub t80: Option<f64>,
    /// Time to reach 90 %.
    pub t90: Option<f64>,
    /// Window on the observed mean used for this model (%).
    pub window: PercentWindow,
    /// True when fitted to the same points as the global window, so its AICc is comparable.
    pub comparable: bool,
    /// Whether the optimiser met a convergence test.
    pub converged: bool,
    /// Explanations: null values, bounds, windows.
    pub notes: Vec<String>,
    /// Fitted values at the observation times (% of dose); not serialised.
    #[serde(skip)]
    pub fitted: Vec<f64>,
    /// The observations the model was fitted to; not serialised.
    #[serde(skip)]
    pub obs: Option<Observations>,
}

impl ModelFit {
    /// Parameter values in the model's order.
    pub fn values(&self) -> Vec<f64> {
        self.params.iter().map(|p| p.value).collect()
    }
}

/// Time at which the curve `f` first reaches `level` %, searched on `[0, T_SEARCH_FACTOR *
/// t_last]` (log-spaced scan, then bisection). `Err` carries the reason when not reached.
pub fn time_to_level(f: &dyn Fn(f64) -> f64, level: f64, t_last: f64) -> Result<f64, String> {
    let f0 = f(0.0);
    if f0 >= level {
        return Ok(0.0);
    }
    let t_max = T_SEARCH_FACTOR * t_last;
    const N: usize = 800;
    let t_min = t_last * 1e-4;
    let ratio = (t_max / t_min).ln();
    let mut prev_t = 0.0;
    let mut fmax = if f0.is_finite() {
        f0
    } else {
        f64::NEG_INFINITY
    };
    for k in 0..=N {
        let t = t_min * (ratio * k as f64 / N as f64).exp();
        let v = f(t);
        if v.is_finite() {
            fmax = fmax.max(v);
        }
        if v >= level {
            let (mut lo, mut hi) = (prev_t, t);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if f(mid) >= level {
                    hi = mid;
                } else {
                    lo = mid;
                }
                if hi - lo <= 1e-12 * hi {
                    break;
                }
            }
            return Ok(0.5 * (lo + hi));
        }
        prev_t = t;
    }
    Err(format!(
        "t{level} null: the fitted curve stays below {level} % up to {T_SEARCH_FACTOR} x the last \
         time ({t_max}; maximum {fmax:.3} %)"
    ))
}

/// Fits `model` to `obs` with search bounds scaled by `t_last`. `Err` is the reason the model
/// cannot be fitted (too few points, invalid bounds, non-finite model values).
pub fn fit_model(
    model: &dyn ReleaseModel,
    obs: &Observations,
    t_last: f64,
    settings: &lm::LmSettings,
) -> Result<ModelFit, String> {
    let specs = model.params();
    let p = specs.len();
    let n = obs.len();
    if obs.y.len() != n || obs.w.len() != n {
        return Err(format!(
            "observations have {n} times, {} values and {} weights",
            obs.y.len(),
            obs.w.len()
        ));
    }
    if let Some(w) = obs.w.iter().find(|w| !(w.is_finite() && **w > 0.0)) {
        return Err(format!("weight {w} is not a positive finite number"));
    }
    if n < p {
        return Err(format!(
            "needs at least {p} points (one per parameter), {n} available in its window"
        ));
    }
    let mut lo = vec![];
    let mut hi = vec![];
    let mut log = vec![];
    for s in specs {
        let (a, b) = param_bounds(s, t_last);
        if !(a.is_finite() && b.is_finite() && a < b) {
            return Err(format!(
                "parameter `{}` has empty or non-finite search bounds [{a}, {b}] for a last \
                 time of {t_last}",
                s.name
            ));
        }
        lo.push(a);
        hi.push(b);
        log.push(s.log_scale && a > 0.0);
    }
    let sw: Vec<f64> = obs.w.iter().map(|w| w.sqrt()).collect();
    let prob = lm::Problem {
        model,
        t: &obs.t,
        y: &obs.y,
        sw: &sw,
        lo: lo.clone(),
        hi: hi.clone(),
        log: log.clone(),
    };
    let out = lm::minimise(&prob, settings);
    if !out.ss.is_finite() {
        return Err("the model gives non-finite values at every start point".into());
    }
    let mut notes = vec![];
    if !out.converged {
        notes.push("the optimiser stopped at its iteration limit".to_string());
    }
    let values = out.p.clone();
    // Which estimates sit on a bound (in search coordinates).
    let tr = |x: f64, l: bool| if l { x.ln() } else { x };
    let at_bound: Vec<bool> = (0..p)
        .map(|j| {
            let (a, b, x) = (tr(lo[j], log[j]), tr(hi[j], log[j]), tr(values[j], log[j]));
            let tol = 1e-9 * (b - a);
            x - a <= tol || b - x <= tol
        })
        .collect();
    let dof = n - p;
    let se = covariance_se(&prob, &values, &at_bound, out.ss, dof, &mut notes);
    let tq = if dof > 0 {
        stats::t_quantile(0.975, dof as f64)
    } else {
        f64::NAN
    };
    let params: Vec<ParamEstimate> = specs
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let se_j = se[j];
            ParamEstimate {
                name: s.name.to_string(),
                value: values[j],
                se: se_j,
                ci95: se_j.map(|e| [values[j] - tq * e, values[j] + tq * e]),
                unit: s.unit.to_string(),
                lower: lo[j],
                upper: hi[j],
                at_bound: at_bound[j],
            }
        })
        .collect();
    for (j, s) in specs.iter().enumerate() {
        if at_bound[j] {
            notes.push(format!(
                "`{}` = {} is on its search bound [{}, {}]; its SE is null",
                s.name, values[j], lo[j], hi[j]
            ));
        }
    }
    if dof == 0 {
        notes.push("n = p: zero residual degrees of freedom, SE and CI are null".into());
    }
    let fitted: Vec<f64> = obs.t.iter().map(|&t| model.eval(t, &values)).collect();
    let wsum: f64 = obs.w.iter().sum();
    let ybar = obs.w.iter().zip(&obs.y).map(|(w, y)| w * y).sum::<f64>() / wsum;
    let ss_tot: f64 = obs
        .w
        .iter()
        .zip(&obs.y)
        .map(|(w, y)| w * (y - ybar).powi(2))
        .sum();
    let g = stats::goodness(out.ss, ss_tot, n, p);
    if g.aicc.is_none() {
        notes.push(format!(
            "AICc null: n - p - 1 = {} <= 0 (ranked last)",
            n as i64 - p as i64 - 1
        ));
    }
    let curve = |t: f64| model.eval(t, &values);
    let mut tl = [None; 4];
    for (k, &level) in T_LEVELS.iter().enumerate() {
        match time_to_level(&curve, level, t_last) {
            Ok(t) => tl[k] = Some(t),
            Err(why) => notes.push(why),
        }
    }
    Ok(ModelFit {
        name: model.name().to_string(),
        label: model.label().to_string(),
        equation: model.equation().to_string(),
        rank: 0,
        n,
        p,
        dof,
        params,
        ss: out.ss,
        r2: g.r2,
        r2_adj: g.r2_adj,
        aic: g.aic,
        aicc: g.aicc,
        bic: g.bic,
        msc: g.msc,
        rmse: g.rmse,
        t25: tl[0],
        t50: tl[1],
        t80: tl[2],
        t90: tl[3],
        window: PercentWindow::ALL,
        comparable: true,
        converged: out.converged,
        notes,
        fitted,
        obs: Some(obs.clone()),
    })
}

/// Standard errors `sqrt(diag(s^2 (J'J)^-1))` of the parameters not on a bound, with
/// `s^2 = SS/dof` and `J` the weighted Jacobian in model units (central differences).
fn covariance_se(
    prob: &lm::Problem,
    p: &[f64],
    at_bound: &[bool],
    ss: f64,
    dof: usize,
    notes: &mut Vec<String>,
) -> Vec<Option<f64>> {
    let m = p.len();
    let mut se = vec![None; m];
    if dof == 0 {
        return se;
    }
    let free: Vec<usize> = (0..m).filter(|&j| !at_bound[j]).collect();
    let mf = free.len();
    if mf == 0 {
        return se;
    }
    let n = prob.t.len();
    let mut jac = vec![0.0; n * mf];
    let mut rp = vec![0.0; n];
    let mut rm = vec![0.0; n];
    for (x, &j) in free.iter().enumerate() {
        let range = prob.hi[j] - prob.lo[j];
        let h = 1e-6 * p[j].abs().max(1e-6 * range).max(1e-300);
        let mut pp = p.to_vec();
        let mut pm = p.to_vec();
        pp[j] = (p[j] + h).min(prob.hi[j]);
        pm[j] = (p[j] - h).max(prob.lo[j]);
        let a = prob.residuals_p(&pp, &mut rp);
        let b = prob.residuals_p(&pm, &mut rm);
        let d = pp[j] - pm[j];
        if !(a.is_finite() && b.is_finite()) || d <= 0.0 {
            notes.push("Jacobian not finite at the estimate; SE null".into());
            return se;
        }
        for i in 0..n {
            jac[i * mf + x] = (rp[i] - rm[i]) / d;
        }
    }
    // J'J, scaled to unit diagonal for conditioning.
    let mut a = vec![0.0; mf * mf];
    for i in 0..n {
        for x in 0..mf {
            for y in 0..mf {
                a[x * mf + y] += jac[i * mf + x] * jac[i * mf + y];
            }
        }
    }
    let dscale: Vec<f64> = (0..mf).map(|x| a[x * mf + x].sqrt()).collect();
    if dscale.iter().any(|&d| !(d > 0.0 && d.is_finite())) {
        notes.push(
            "a parameter has no effect on the fitted curve at the estimate (J'J singular); SE \
             null"
                .into(),
        );
        return se;
    }
    let mut s = a.clone();
    for x in 0..mf {
        for y in 0..mf {
            s[x * mf + y] = a[x * mf + y] / (dscale[x] * dscale[y]);
        }
    }
    if !lm::cholesky(&mut s, mf) || (0..mf).any(|x| s[x * mf + x] * s[x * mf + x] < 1e-12) {
        notes.push(
            "parameters are not separately identifiable from these data (J'J near singular, \
             reciprocal condition < 1e-12); SE null"
                .into(),
        );
        return se;
    }
    let s2 = ss / dof as f64;
    for x in 0..mf {
        let mut e = vec![0.0; mf];
        e[x] = 1.0;
        lm::chol_solve(&s, mf, &mut e);
        let var = s2 * e[x] / (dscale[x] * dscale[x]);
        se[free[x]] = if var.is_finite() && var >= 0.0 {
            Some(var.sqrt())
        } else {
            None
        };
    }
    se
}
