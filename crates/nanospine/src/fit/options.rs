//! Fit options: replicate handling, percent windows (global and per model), and the
//! observations a model is fitted to.

use super::{data, lm, FitError, ReleaseData, DEFAULT_SD_FLOOR};
use serde::Serialize;

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

/// Options of [`super::fit_all`].
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
