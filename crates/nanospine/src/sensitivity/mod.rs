//! Parameter sensitivity and uncertainty of a scenario's read-outs, over the plausible ranges of
//! the parameter registry (`range` of each entry in `data/parameters.toml`).
//!
//! Three methods, all rerunning the whole scenario (every arm) with changed registry values:
//! * [`oat`]: one at a time. Each selected parameter is set to the low and then the high end of
//!   its range, all others at their baseline; `2 P + 1` runs for `P` parameters. Reports, per arm,
//!   read-out and sample day, the baseline and perturbed values and, for arms other than the
//!   reference (injury-only, else vehicle), the effect `arm - reference` at baseline and perturbed
//!   (a tornado table of the treatment effect).
//! * [`sample`]: Latin hypercube sampling (McKay, Beckman & Conover 1979, Technometrics 21:239)
//!   of all selected parameters jointly, each independently uniform over its range, or
//!   log-uniform when the range is positive and spans a factor 10 or more. Reports the 5th,
//!   50th and 95th percentiles of every read-out and effect over the samples.
//! * [`sobol`]: variance-based first-order and total indices (Saltelli design, `n (P + 2)` runs)
//!   of every read-out and effect, with bootstrap intervals.
//!
//! What the intervals mean: the registry ranges are plausibility bounds (for assumptions, the
//! range given with the assumption), not measured distributions, and the parameters are varied
//! independently. An interval is therefore the consequence of the stated ranges, not a
//! confidence interval of the prediction.
//!
//! Selection ([`select`]): exact registry names, or prefixes ending in `*` (`biology.msc.*`).
//! The baseline value of a parameter is the scenario's `[parameters]` override when it has one,
//! else the registry value; a parameter that an arm overrides is refused (the variation would
//! not reach that arm). Parameters whose range is a single value are skipped and listed.

pub mod checks;
pub mod oat;
pub mod sample;
pub mod sobol;

#[cfg(test)]
mod tests;

use crate::params::Registry;
use crate::scenario::{Scenario, Tissue};
use crate::Error;

/// Most parameters one study may vary.
pub const MAX_PARAMETERS: usize = 200;

/// A parameter to vary, with its baseline and range (all in the parameter's registry unit).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Varied {
    /// Registry name.
    pub name: String,
    /// Registry unit of the values.
    pub unit: String,
    /// Baseline value (scenario override, else registry value).
    pub baseline: f64,
    /// Low end of the plausible range.
    pub low: f64,
    /// High end of the plausible range.
    pub high: f64,
    /// Sampled log-uniformly (range positive and spanning a factor 10 or more).
    pub log_scale: bool,
}

/// The parameters a pattern list selects, and those it skipped with the reason.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Selection {
    /// Parameters to vary, sorted by name.
    pub varied: Vec<Varied>,
    /// (name, reason) of matched parameters that cannot be varied.
    pub skipped: Vec<(String, String)>,
}

/// Resolves `patterns` (registry names, or prefixes ending in `*`) against `reg` for
/// `scenario`. Errors name the offending pattern: an unknown name (with the closest existing
/// one), a prefix that matches nothing, a parameter an arm overrides, an exact name whose range
/// is a single value, or more than [`MAX_PARAMETERS`] parameters.
pub fn select(
    patterns: &[String],
    scenario: &Scenario,
    reg: &Registry,
) -> Result<Selection, Error> {
    if patterns.is_empty() {
        return Err(Error::Config(
            "no parameter selected: give --param NAME (a registry name, or a prefix ending in '*', e.g. 'biology.msc.*'; `nanospine params` lists them)".into(),
        ));
    }
    let mut names: Vec<(String, bool)> = vec![]; // (name, selected exactly)
    for pat in patterns {
        let pat = pat.trim();
        if let Some(prefix) = pat.strip_suffix('*') {
            let matched: Vec<String> = reg
                .iter()
                .filter(|p| p.name.starts_with(prefix))
                .map(|p| p.name.clone())
                .collect();
            if matched.is_empty() {
                return Err(Error::Config(format!(
                    "--param '{pat}': no registry parameter starts with '{prefix}' (`nanospine params` lists them)"
                )));
            }
            names.extend(matched.into_iter().map(|n| (n, false)));
        } else {
            reg.value(pat)
                .map_err(|e| Error::Config(format!("--param '{pat}': {e}")))?;
            names.push((pat.to_string(), true));
        }
    }
    names.sort();
    names.dedup_by(|a, b| {
        if a.0 == b.0 {
            b.1 |= a.1;
            true
        } else {
            false
        }
    });
    let mut varied = vec![];
    let mut skipped = vec![];
    for (name, exact) in names {
        let p = reg
            .get(&name)
            .ok_or_else(|| Error::Config(format!("--param '{name}': not in the registry")))?;
        if let Some(arm) = scenario
            .arms
            .iter()
            .find(|a| a.parameters.iter().any(|o| o.name == name))
        {
            return Err(Error::Config(format!(
                "--param '{name}': arm '{}' overrides this parameter in its [arm.parameters], so a variation would not reach that arm; remove the override or leave the parameter out",
                arm.name
            )));
        }
        let (low, high) = p.range;
        if high.partial_cmp(&low) != Some(std::cmp::Ordering::Greater) {
            let reason = format!("its range is the single value {low} {}", p.unit);
            if exact {
                return Err(Error::Config(format!(
                    "--param '{name}': {reason}; there is nothing to vary"
                )));
            }
            skipped.push((name, reason));
            continue;
        }
        let baseline = scenario
            .parameters
            .iter()
            .find(|o| o.name == name)
            .map_or(p.value, |o| o.value);
        varied.push(Varied {
            log_scale: low > 0.0 && high / low >= 10.0,
            name,
            unit: p.unit.clone(),
            baseline,
            low,
            high,
        });
    }
    if varied.is_empty() {
        return Err(Error::Config(format!(
            "--param: every matched parameter has a single-value range ({})",
            skipped
                .iter()
                .map(|s| s.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if varied.len() > MAX_PARAMETERS {
        return Err(Error::Config(format!(
            "--param selects {} parameters; at most {MAX_PARAMETERS} can be varied in one study (narrow the prefixes)",
            varied.len()
        )));
    }
    Ok(Selection { varied, skipped })
}

/// The read-outs of one arm of one run, owned.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmValues {
    /// Arm name.
    pub name: String,
    /// Role id (`sham`, `injury_only`, `vehicle`, `treatment`).
    pub role: String,
    /// Sample days (d).
    pub days: Vec<f64>,
    /// Sample times (s), as the run reports them.
    pub times_s: Vec<f64>,
    /// `timeseries.csv` column names.
    pub columns: Vec<String>,
    /// (read-out, unit) of each column, as in `arms.csv`.
    pub readouts: Vec<(String, String)>,
    /// One row per sample day, one value per read-out.
    pub rows: Vec<Vec<f64>>,
}

impl ArmValues {
    /// Value of `readout` at sample index `ti` (NaN when the arm has no such read-out).
    pub fn value(&self, readout: &str, ti: usize) -> f64 {
        self.readouts
            .iter()
            .position(|(r, _)| r == readout)
            .and_then(|k| self.rows.get(ti).and_then(|row| row.get(k)).copied())
            .unwrap_or(f64::NAN)
    }

    /// A borrowed [`crate::report::ArmTable`] view (for the study checks).
    pub fn table(&self) -> crate::report::ArmTable<'_> {
        crate::report::ArmTable {
            name: &self.name,
            role: &self.role,
            times_s: &self.times_s,
            columns: &self.columns,
            readouts: self.readouts.clone(),
            rows: &self.rows,
        }
    }
}

/// Runs `scenario` (every arm, fields off) with registry `reg` and `values` (name, value in the
/// registry unit) set on top of it; a scenario-wide override of a varied parameter is replaced
/// by the varied value.
pub fn run_with(
    scenario: &Scenario,
    reg: &Registry,
    values: &[(&str, f64)],
) -> Result<Vec<ArmValues>, Error> {
    let mut sc = scenario.clone();
    sc.outputs.fields = false;
    sc.outputs.plots = false;
    let mut r = reg.clone();
    for &(name, v) in values {
        sc.parameters.retain(|o| o.name != name);
        r.set_value(name, v)?;
    }
    let owned = |t: &crate::report::ArmTable| ArmValues {
        name: t.name.to_string(),
        role: t.role.to_string(),
        days: t.times_s.iter().map(|s| s / 86400.0).collect(),
        times_s: t.times_s.to_vec(),
        columns: t.columns.to_vec(),
        readouts: t.readouts.clone(),
        rows: t.rows.to_vec(),
    };
    let quiet = &|_: &str, _: f64| {};
    Ok(match sc.tissue {
        Tissue::Disc => {
            let out = crate::sim::run(&sc, &r, quiet)?;
            crate::report::disc_tables(&sc, &out)
                .iter()
                .map(owned)
                .collect()
        }
        Tissue::Cord => {
            let out = crate::sim::cord::run_cord(&sc, &r, quiet)?;
            crate::report::cord::cord_tables(&out)
                .iter()
                .map(owned)
                .collect()
        }
    })
}

/// Runs `scenario` with the selected parameters at `values` (one per parameter of `selection`,
/// in its order and registry units): [`run_with`] on (name, value) pairs.
pub fn run_selected(
    scenario: &Scenario,
    reg: &Registry,
    selection: &Selection,
    values: &[f64],
) -> Result<Vec<ArmValues>, Error> {
    let pairs: Vec<(&str, f64)> = selection
        .varied
        .iter()
        .zip(values)
        .map(|(v, &x)| (v.name.as_str(), x))
        .collect();
    run_with(scenario, reg, &pairs)
}

/// Name of the reference arm of `scenario` (injury-only, else vehicle), if any.
pub fn reference_name(scenario: &Scenario) -> Option<String> {
    crate::attribute::reference_arm(scenario).map(|a| a.name.clone())
}

/// Effect `arm - reference` of `readout` at sample index `ti` (None for the reference arm
/// itself or without a reference; NaN when either value is missing or the days differ).
pub fn effect(
    arms: &[ArmValues],
    reference: Option<&str>,
    arm: &ArmValues,
    readout: &str,
    ti: usize,
) -> Option<f64> {
    let r = arms.iter().find(|a| Some(a.name.as_str()) == reference)?;
    if r.name == arm.name {
        return None;
    }
    let day = arm.days.get(ti)?;
    let rt = r.days.iter().position(|d| (d - day).abs() < 1e-6);
    Some(rt.map_or(f64::NAN, |rt| arm.value(readout, ti) - r.value(readout, rt)))
}

/// Progress callback of a study: (runs done, runs in total).
pub type StudyProgress<'a> = &'a (dyn Fn(usize, usize) + Sync);
