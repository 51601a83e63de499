//! Release-curve fitting and dissolution-profile comparison (DDSolver-class).
//!
//! [`fit_all`] fits every selected [`crate::release::ReleaseModel`] to a release data set
//! ([`ReleaseData`], read from CSV by [`data`]) by bounded Levenberg-Marquardt with
//! deterministic multi-start ([`lm`]), reports parameter estimates with standard errors and
//! 95 % confidence intervals, goodness-of-fit criteria ([`stats`]) and the times at which the
//! fitted curve reaches 25/50/80/90 %, and ranks the models by AICc. [`similarity`] computes
//! f1, f2 and a bootstrap confidence interval of f2. [`report`] writes the table, JSON, CSV
//! and SVG outputs; [`bench`] times the fitter.
//!
//! Units: time in the data's own unit (`T`, taken from the CSV header), release in percent of
//! the dose. Parameter units are those of [`crate::release::ParamSpec::unit`] with that `T`.
//!
//! Search ranges: each parameter's bounds come from its `ParamSpec`, scaled by the data's last
//! sampling time `t_last` according to its [`ParamKind`]: `Percent` and `Dimensionless` as
//! given, `Time` times `t_last`, `Rate { exponent }` divided by `t_last^exponent` (times
//! [`PERCENT_SCALE`] when the unit contains `%`).

pub mod bench;
pub mod data;
pub mod lm;
pub mod report;
pub mod similarity;
pub mod stats;
#[cfg(test)]
mod tests;

pub use data::ReleaseData;

use crate::release::{self, ParamKind, ParamSpec, ReleaseModel};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A fitting or comparison failure; the message names the file, line, column, option or model
/// involved and what is allowed.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// The data file is malformed (message names file, line and column).
    #[error("{0}")]
    Data(String),
    /// An option is invalid (message names the option and the allowed values).
    #[error("{0}")]
    Options(String),
    /// No selected model could be fitted (message lists the reason per model).
    #[error("{0}")]
    NotFittable(String),
    /// A file could not be read or written (message names the path).
    #[error("{0}")]
    Io(String),
}

/// Factor applied to the bounds of `Rate` parameters whose unit contains `%` (`%/T^a`).
/// The data are already in percent of the dose and the `ParamSpec` bounds of such rates are
/// written in `%/T^a` per unit `t_last`, so the factor is 1 (assumption: this is how the
/// bounds in `release::empirical` are written, e.g. `k0` in 1e-3..1e4 %/T at `t_last` = 1).
pub const PERCENT_SCALE: f64 = 1.0;

/// Release levels (% of dose) for which the time to reach them is reported (`t25` ... `t90`).
pub const T_LEVELS: [f64; 4] = [25.0, 50.0, 80.0, 90.0];

/// A level-crossing time is searched up to this multiple of the last sampling time; beyond it
/// the time is reported as null with a reason.
pub const T_SEARCH_FACTOR: f64 = 100.0;

/// Default floor of the replicate standard deviation used in `1/SD^2` weights (percentage
/// points). Assumption: 1 % of the dose, the order of the repeatability of UV/HPLC release
/// assays; it keeps points where all replicates agree (e.g. 0 % at t = 0) from receiving
/// unbounded weight.
pub const DEFAULT_SD_FLOOR: f64 = 1.0;

/// How replicate columns enter the fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplicateMode {
    /// Fit the mean profile with weights `1/max(SD, floor)^2` (unweighted with one replicate).
    Mean,
    /// Fit every replicate point with equal weight.
    Pooled,
}

/// A window on the observed mean release (% of dose): a time point is used when its mean
/// lies in `[min, max]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PercentWindow {
    /// Lower limit (% of dose), inclusive.
    pub min: f64,
    /// Upper limit (% of dose), inclusive.
    pub max: f64,
}

impl PercentWindow {
    /// The window that keeps every point the reader accepts.
    pub const ALL: PercentWindow = PercentWindow {
        min: -data::PERCENT_TOLERANCE,
        max: 100.0 + data::PERCENT_TOLERANCE,
    };

    /// Parses `MIN:MAX` (percent; either side may be empty for "no limit", e.g. `:60`).
    pub fn parse(s: &str) -> Result<PercentWindow, FitError> {
        let bad = |why: &str| {
            FitError::Options(format!(
                "window `{s}`: {why}; expected MIN:MAX in percent of the dose, e.g. `0:60` or \
                 `:60` or `10:`"
            ))
        };
        let (a, b) = s.split_once(':').ok_or_else(|| bad("no `:`"))?;
        let num = |x: &str, default: f64| -> Result<f64, FitError> {
            let x = x.trim();
            if x.is_empty() {
                return Ok(default);
            }
            match x.trim_end_matches('%').parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(bad(&format!("`{x}` is not a finite number"))),
            }
        };
        let w = PercentWindow {
            min: num(a, Self::ALL.min)?,
            max: num(b, Self::ALL.max)?,
        };
        if w.min >= w.max {
            return Err(bad(&format!("MIN {} is not below MAX {}", w.min, w.max)));
        }
        Ok(w)
    }

    /// True when `f` (% of dose) lies inside the window.
    pub fn contains(&self, f: f64) -> bool {
        f >= self.min && f <= self.max
    }
}

/// A window for the models whose id equals `pattern`, or starts with it when `pattern` ends
/// in `*` (e.g. `korsmeyer_peppas*`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelWindow {
    /// Model id or prefix followed by `*`.
    pub pattern: String,
    /// The window used for those models instead of the global one.
    pub window: PercentWindow,
}

impl ModelWindow {
    /// Parses `NAME=MIN:MAX` (see [`PercentWindow::parse`]).
    pub fn parse(s: &str) -> Result<ModelWindow, FitError> {
        let (name, w) = s.split_once('=').ok_or_else(|| {
            FitError::Options(format!(
                "model window `{s}`: expected NAME=MIN:MAX, e.g. `korsmeyer_peppas=0:60` or \
                 `korsmeyer_peppas*=:60`"
            ))
        })?;
        Ok(ModelWindow {
            pattern: name.trim().to_string(),
            window: PercentWindow::parse(w)?,
        })
    }

    /// The KP convention: every `korsmeyer_peppas*` model fitted only where F <= `max` %.
    pub fn kp(max: f64) -> Result<ModelWindow, FitError> {
        Ok(ModelWindow {
            pattern: "korsmeyer_peppas*".into(),
            window: PercentWindow::parse(&format!(":{max}"))?,
        })
    }

    /// True when the window applies to model `name`.
    pub fn matches(&self, name: &str) -> bool {
        match self.pattern.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == self.pattern,
        }
    }
}

/// Options of [`fit_all`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// Model ids to fit; empty = every classical model (plus mechanistic ones with
    /// `include_mechanistic`).
    pub models: Vec<String>,
    /// With an empty `models`, also fit the mechanistic models (`classical() == false`).
    pub include_mechanistic: bool,
    /// Window applied to every model without a model window.
    pub window: PercentWindow,
    /// Per-model windows; the last matching one wins.
    pub model_windows: Vec<ModelWindow>,
    /// How replicates enter the fit.
    pub replicates: ReplicateMode,
    /// Floor of the replicate SD in `1/SD^2` weights (percentage points, > 0).
    pub sd_floor: f64,
    /// Search settings.
    pub lm: lm::LmSettings,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            models: vec![],
            include_mechanistic: false,
            window: PercentWindow::ALL,
            model_windows: vec![],
            replicates: ReplicateMode::Mean,
            sd_floor: DEFAULT_SD_FLOOR,
            lm: lm::LmSettings::default(),
        }
    }
}

/// The points a model is fitted to.
#[derive(Debug, Clone, PartialEq)]
pub struct Observations {
    /// Times (data time unit).
    pub t: Vec<f64>,
    /// Observed release (% of dose).
    pub y: Vec<f64>,
    /// Weights (1 when unweighted).
    pub w: Vec<f64>,
    /// Data row (time index) of each observation.
    pub row: Vec<usize>,
}

impl Observations {
    /// Builds the observations of `data` for `mode` (see [`ReplicateMode`]), keeping the rows
    /// whose mean lies in `window`.
    pub fn new(
        data: &ReleaseData,
        mode: ReplicateMode,
        sd_floor: f64,
        window: &PercentWindow,
    ) -> Observations {
        let mean = data.mean();
        let sd = data.sd();
        let weighted = mode == ReplicateMode::Mean && data.replicates() >= 2;
        let mut o = Observations {
            t: vec![],
            y: vec![],
            w: vec![],
            row: vec![],
        };
        for i in 0..data.len() {
            if !window.contains(mean[i]) {
                continue;
            }
            match mode {
                ReplicateMode::Mean => {
                    o.t.push(data.time[i]);
                    o.y.push(mean[i]);
                    o.w.push(if weighted {
                        1.0 / sd[i].max(sd_floor).powi(2)
                    } else {
                        1.0
                    });
                    o.row.push(i);
                }
                ReplicateMode::Pooled => {
                    for col in &data.values {
                        o.t.push(data.time[i]);
                        o.y.push(col[i]);
                        o.w.push(1.0);
                        o.row.push(i);
                    }
                }
            }
        }
        o
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.t.len()
    }

    /// True when no observation is left.
    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }
}

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
    /// Rank by AICc (1 = best); see [`rank_fits`].
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
    /// sqrt(SS/(n - p)) (% of dose, weighted units when weighted).
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

/// A model that was not fitted, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Model id.
    pub name: String,
    /// Why it was not fitted.
    pub reason: String,
}

/// Result of [`fit_all`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitReport {
    /// Data file.
    pub source: String,
    /// Time header as written.
    pub time_header: String,
    /// Time unit from the header, if recognised.
    pub time_unit: Option<String>,
    /// Number of sampling times.
    pub n_times: usize,
    /// Number of replicate columns.
    pub replicates: usize,
    /// Replicate handling.
    pub mode: ReplicateMode,
    /// True when `1/SD^2` weights were used.
    pub weighted: bool,
    /// SD floor used for the weights (percentage points).
    pub sd_floor: f64,
    /// Global window.
    pub window: PercentWindow,
    /// Per-model windows.
    pub model_windows: Vec<ModelWindow>,
    /// Fitted models, best first.
    pub models: Vec<ModelFit>,
    /// Models that could not be fitted.
    pub skipped: Vec<Skipped>,
}

/// The models selected by `opts` (see [`FitOptions::models`]); errors name unknown ids with a
/// suggestion and the allowed list.
pub fn select_models(opts: &FitOptions) -> Result<Vec<Box<dyn ReleaseModel>>, FitError> {
    let all = release::all();
    if opts.models.is_empty() {
        return Ok(all
            .into_iter()
            .filter(|m| m.classical() || opts.include_mechanistic)
            .collect());
    }
    let names: Vec<&'static str> = all.iter().map(|m| m.name()).collect();
    let mut out: Vec<Box<dyn ReleaseModel>> = vec![];
    for want in &opts.models {
        let want = want.trim();
        if want.is_empty() {
            continue;
        }
        match release::by_name(want) {
            Some(m) => {
                if !out.iter().any(|o| o.name() == m.name()) {
                    out.push(m);
                }
            }
            None => {
                let hint = crate::suggest::closest(want, names.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                return Err(FitError::Options(format!(
                    "--models: unknown model `{want}`{hint}; allowed: {}",
                    names.join(", ")
                )));
            }
        }
    }
    if out.is_empty() {
        return Err(FitError::Options(
            "--models: the list is empty; give model ids separated by commas".into(),
        ));
    }
    Ok(out)
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

/// Orders fits and sets their ranks: first the models fitted to the global point set, by AICc
/// (ascending); then models fitted to a different point set (per-model window) by AICc, as
/// AICc is not comparable across data sets; then models with null AICc, by name.
pub fn rank_fits(fits: &mut [ModelFit]) {
    let key = |f: &ModelFit| -> (u8, f64) {
        match f.aicc {
            Some(a) if f.comparable => (0, a),
            Some(a) => (1, a),
            None => (2, 0.0),
        }
    };
    fits.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(a.name.cmp(&b.name))
    });
    for (i, f) in fits.iter_mut().enumerate() {
        f.rank = i + 1;
    }
}

/// Fits the models selected by `opts` to `data` and ranks them (see the module documentation).
/// Fails when an option is invalid or no model can be fitted; single models that cannot be
/// fitted are listed in [`FitReport::skipped`] with the reason.
pub fn fit_all(data: &ReleaseData, opts: &FitOptions) -> Result<FitReport, FitError> {
    if !(opts.sd_floor.is_finite() && opts.sd_floor > 0.0) {
        return Err(FitError::Options(format!(
            "--sd-floor {} must be a positive number of percentage points",
            opts.sd_floor
        )));
    }
    let t_last = data.last_time();
    if t_last <= 0.0 {
        return Err(FitError::Data(format!(
            "{}: the last sampling time is {t_last}; need at least one time > 0",
            data.source
        )));
    }
    let models = select_models(opts)?;
    let known: Vec<&'static str> = release::all().iter().map(|m| m.name()).collect();
    for mw in &opts.model_windows {
        if !known.iter().any(|k| mw.matches(k)) {
            let hint =
                crate::suggest::closest(mw.pattern.trim_end_matches('*'), known.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
            return Err(FitError::Options(format!(
                "model window `{}` matches no model{hint}; allowed: a model id or a prefix \
                 ending in `*` ({})",
                mw.pattern,
                known.join(", ")
            )));
        }
    }
    let global = Observations::new(data, opts.replicates, opts.sd_floor, &opts.window);
    let mut fits = vec![];
    let mut skipped = vec![];
    for m in &models {
        let window = opts
            .model_windows
            .iter()
            .rev()
            .find(|w| w.matches(m.name()))
            .map(|w| w.window)
            .unwrap_or(opts.window);
        let obs = if window == opts.window {
            global.clone()
        } else {
            Observations::new(data, opts.replicates, opts.sd_floor, &window)
        };
        match fit_model(m.as_ref(), &obs, t_last, &opts.lm) {
            Ok(mut f) => {
                f.window = window;
                f.comparable = obs.row == global.row;
                if window != PercentWindow::ALL {
                    f.notes.push(format!(
                        "fitted to the {} points with mean release in [{}, {}] %",
                        f.n, window.min, window.max
                    ));
                }
                if !f.comparable {
                    f.notes.push(
                        "fitted to a different point set than the other models: AICc not \
                         comparable, ranked after them"
                            .into(),
                    );
                }
                fits.push(f);
            }
            Err(reason) => skipped.push(Skipped {
                name: m.name().to_string(),
                reason,
            }),
        }
    }
    if fits.is_empty() {
        let reasons: Vec<String> = skipped
            .iter()
            .map(|s| format!("{}: {}", s.name, s.reason))
            .collect();
        return Err(FitError::NotFittable(format!(
            "{}: no model could be fitted ({} points in the window): {}",
            data.source,
            global.len(),
            reasons.join("; ")
        )));
    }
    rank_fits(&mut fits);
    Ok(FitReport {
        source: data.source.clone(),
        time_header: data.time_header.clone(),
        time_unit: data.time_unit.clone(),
        n_times: data.len(),
        replicates: data.replicates(),
        mode: opts.replicates,
        weighted: opts.replicates == ReplicateMode::Mean && data.replicates() >= 2,
        sd_floor: opts.sd_floor,
        window: opts.window,
        model_windows: opts.model_windows.clone(),
        models: fits,
        skipped,
    })
}
