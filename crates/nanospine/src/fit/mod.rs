//! Release-curve fitting and dissolution-profile comparison (DDSolver-class).
//!
//! [`fit_all`] fits every selected [`crate::release::ReleaseModel`] to a release data set
//! ([`ReleaseData`], read from CSV by [`data`]) by bounded Levenberg-Marquardt with
//! deterministic multi-start ([`lm`]), reports parameter estimates with standard errors and
//! 95 % confidence intervals, goodness-of-fit criteria ([`stats`]) and the times at which the
//! fitted curve reaches 25/50/80/90 %, and ranks the models by AICc. [`similarity`] computes
//! f1, f2 and a bootstrap confidence interval of f2. [`report`] writes the table, JSON, CSV
//! and SVG outputs; [`mod@bench`] times the fitter.
//!
//! Units: time in the data's own unit (`T`, taken from the CSV header), release in percent of
//! the dose. Parameter units are those of [`crate::release::ParamSpec::unit`] with that `T`.
//!
//! Search ranges: each parameter's bounds come from its `ParamSpec`, scaled by the data's last
//! sampling time `t_last` according to its [`crate::release::ParamKind`]: `Percent` and `Dimensionless` as
//! given, `Time` times `t_last`, `Rate { exponent }` divided by `t_last^exponent` (times
//! [`PERCENT_SCALE`] when the unit contains `%`).

pub mod bench;
pub mod data;
pub mod lm;
pub mod options;
pub mod report;
pub mod similarity;
pub mod single;
pub mod stats;
#[cfg(test)]
mod tests;

pub use data::ReleaseData;
pub use options::{FitOptions, ModelWindow, Observations, PercentWindow, ReplicateMode};
pub use single::{fit_model, param_bounds, time_to_level, ModelFit, ParamEstimate};

use crate::release::{self, ReleaseModel};
use serde::Serialize;

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
    data.check()?;
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
