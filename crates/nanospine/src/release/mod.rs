//! Release-kinetics models: cumulative percent of the payload released versus time.
//!
//! Every model implements [`ReleaseModel`]. Models are unit-agnostic in time: parameters with a
//! time dimension are expressed in the time unit of the data (`T`), and each [`ParamSpec`] says
//! how its bounds scale with the data's time span so the fitter can search sensible ranges.
//! Released amount is in percent of the dose (0-100, `F` below).
//!
//! Inside a disc scenario a model is used through [`ReleaseLaw`], which binds parameter values
//! to a time unit in seconds and returns the released fraction at a time since injection.

pub mod empirical;
pub mod mechanistic;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

/// How a parameter's admissible range depends on the data it is fitted to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    /// Percent of the dose (%), bounds fixed.
    Percent,
    /// Dimensionless, bounds fixed.
    Dimensionless,
    /// A time (`T`): bounds are `lower..upper` times the data's last time point.
    Time,
    /// A rate (`1/T`, or `%/T^a`): bounds are `lower..upper` divided by the last time point
    /// raised to `exponent` (the fitter multiplies by the percent scale where the unit has %).
    Rate {
        /// Power of `T` in the denominator of the unit (1 for `1/T`, 0.5 for `%/T^0.5`).
        exponent: f64,
    },
}

/// One parameter of a release model.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpec {
    /// Symbol used in JSON, CSV and scenario files (snake_case, e.g. `k1`, `tlag`, `fmax`).
    pub name: &'static str,
    /// Unit, with `T` for the data's time unit (e.g. `1/T`, `%/T^0.5`, `%`, `T`, `-`).
    pub unit: &'static str,
    /// How the bounds scale.
    pub kind: ParamKind,
    /// Lower bound (see [`ParamKind`] for scaling).
    pub lower: f64,
    /// Upper bound (see [`ParamKind`] for scaling).
    pub upper: f64,
    /// True when multi-start should sample this parameter on a log scale.
    pub log_scale: bool,
    /// One-line meaning.
    pub description: &'static str,
}

/// A cumulative release model `F(t; p)` in percent of the dose.
pub trait ReleaseModel: Send + Sync {
    /// Stable identifier (snake_case), e.g. `first_order_tlag`.
    fn name(&self) -> &'static str;
    /// Human-readable name, e.g. `First-order (Tlag)`.
    fn label(&self) -> &'static str;
    /// The equation as plain text, with the parameter symbols of [`ReleaseModel::params`].
    fn equation(&self) -> &'static str;
    /// Primary reference (author, journal, year; DOI where known).
    fn reference(&self) -> &'static str;
    /// Parameters in the order `eval` expects them.
    fn params(&self) -> &'static [ParamSpec];
    /// Cumulative release at time `t` (in `T`, `t >= 0`), percent of the dose.
    /// Must be finite for every `p` inside the bounds; before a lag time it returns 0 (or `F0`).
    fn eval(&self, t: f64, p: &[f64]) -> f64;
    /// True for the empirical models fitted by default (`nanospine fit` without `--models`).
    fn classical(&self) -> bool {
        true
    }
}

/// Error building a release law from user input.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseError(pub String);

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReleaseError {}

/// Every model in the library, in a stable order.
pub fn all() -> Vec<Box<dyn ReleaseModel>> {
    let mut models = empirical::models();
    models.extend(mechanistic::models());
    models
}

/// Looks up a model by its identifier.
pub fn by_name(name: &str) -> Option<Box<dyn ReleaseModel>> {
    all().into_iter().find(|m| m.name() == name)
}

/// A release model with bound parameter values, used by carriers in a scenario.
pub struct ReleaseLaw {
    model: Box<dyn ReleaseModel>,
    values: Vec<f64>,
    /// Length of the model time unit `T`, in seconds.
    time_unit_s: f64,
}

impl fmt::Debug for ReleaseLaw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReleaseLaw")
            .field("model", &self.model.name())
            .field("values", &self.values)
            .field("time_unit_s", &self.time_unit_s)
            .finish()
    }
}

impl ReleaseLaw {
    /// Binds `values` (parameter name -> value in the model's units with `T` = `time_unit_s`
    /// seconds) to the model `name`. Every parameter must be given, none unknown, each finite.
    pub fn new(
        name: &str,
        values: &BTreeMap<String, f64>,
        time_unit_s: f64,
    ) -> Result<Self, ReleaseError> {
        let model = by_name(name).ok_or_else(|| {
            let names: Vec<&str> = all().iter().map(|m| m.name()).collect();
            ReleaseError(format!(
                "unknown release model `{name}`; allowed: {}",
                names.join(", ")
            ))
        })?;
        if !(time_unit_s.is_finite() && time_unit_s > 0.0) {
            return Err(ReleaseError(format!(
                "release time unit must be a positive duration, got {time_unit_s} s"
            )));
        }
        let specs = model.params();
        for key in values.keys() {
            if !specs.iter().any(|s| s.name == key) {
                let allowed: Vec<&str> = specs.iter().map(|s| s.name).collect();
                return Err(ReleaseError(format!(
                    "release model `{name}` has no parameter `{key}`; allowed: {}",
                    allowed.join(", ")
                )));
            }
        }
        let mut v = Vec::with_capacity(specs.len());
        for s in specs {
            let x = *values.get(s.name).ok_or_else(|| {
                ReleaseError(format!(
                    "release model `{name}` needs parameter `{}` ({}, unit {})",
                    s.name, s.description, s.unit
                ))
            })?;
            if !x.is_finite() {
                return Err(ReleaseError(format!(
                    "release parameter `{}` of `{name}` must be finite, got {x}",
                    s.name
                )));
            }
            v.push(x);
        }
        Ok(Self {
            model,
            values: v,
            time_unit_s,
        })
    }

    /// The model identifier.
    pub fn model_name(&self) -> &'static str {
        self.model.name()
    }

    /// Released fraction of the dose (0..1) at `t_s` seconds after injection, clamped to [0, 1].
    pub fn fraction(&self, t_s: f64) -> f64 {
        let f = self
            .model
            .eval(t_s.max(0.0) / self.time_unit_s, &self.values)
            / 100.0;
        if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}
