//! Parameter registry: every model constant as data, with unit, scope, provenance and ranges.
//!
//! The built-in registry comes from `data/parameters.toml` (embedded at compile time). Each
//! parameter has a value in its own `unit`, a `scope` (species / tissue / boundary it applies
//! to), a [`Provenance`] (a source with evidence tags `[V]`, `[V-code]`, `[D]`, or an explicit
//! assumption; unverified `[U]` values are always assumptions), a plausible `range` for
//! sensitivity analysis and hard validity `bounds` (both in `unit`).
//!
//! Overrides go through [`Registry::set`], which parses a quantity with a unit (`"0.5 mmHg"`),
//! converts it to the parameter's unit and checks the bounds.

mod format;
mod load;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::units;

pub use load::BUILTIN_TOML;

/// An unknown parameter or an invalid value. The message names the parameter, the value and the
/// allowed bounds, and suggests the closest existing name for unknown ones.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);

/// Where a parameter value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Provenance {
    /// A citation, with the evidence tags of the research notes (`[V]`, `[V-code]`, `[D]`).
    Source(String),
    /// An explicit assumption and its reason (all `[U]` values are assumptions).
    Assumption(String),
}

impl Provenance {
    /// The provenance text (citation or reason).
    pub fn text(&self) -> &str {
        match self {
            Provenance::Source(s) | Provenance::Assumption(s) => s,
        }
    }

    /// `"source"` or `"assumption"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Provenance::Source(_) => "source",
            Provenance::Assumption(_) => "assumption",
        }
    }
}

/// One model constant. `value`, `range` and `bounds` are all in `unit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Dotted name, e.g. `glucose.boundary.cep`.
    pub name: String,
    /// Current value, in `unit`.
    pub value: f64,
    /// Unit of `value`, `range` and `bounds` (a [`units::parse_unit`] expression; `"1"` = dimensionless).
    pub unit: String,
    /// Species / tissue / boundary the value applies to.
    pub scope: String,
    /// Citation or assumption.
    pub provenance: Provenance,
    /// Plausible range for sensitivity analysis, in `unit`.
    pub range: (f64, f64),
    /// Hard validity limits, in `unit`: values outside are rejected.
    pub bounds: (f64, f64),
    /// What the parameter does in the model.
    pub description: String,
}

/// A set of parameters keyed by name (iteration is sorted by name). Cheap to clone (about 100 entries).
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    params: BTreeMap<String, Parameter>,
}

fn fmt_bounds(p: &Parameter) -> String {
    format!(
        "[{}, {}] {}",
        format::num(p.bounds.0),
        format::num(p.bounds.1),
        p.unit
    )
}

impl Registry {
    /// The built-in registry parsed from the embedded `data/parameters.toml` (validated; parsed
    /// once and cloned). The embedded file is checked by unit tests, so failure is a build defect.
    pub fn builtin() -> Registry {
        static BUILTIN: OnceLock<Registry> = OnceLock::new();
        BUILTIN
            .get_or_init(|| match Registry::from_toml_str(BUILTIN_TOML) {
                Ok(r) => r,
                Err(e) => panic!("embedded data/parameters.toml is invalid: {e}"),
            })
            .clone()
    }

    /// Parses and validates a registry in the `data/parameters.toml` format: unique names,
    /// exactly one of `source`/`assumption`, no `[U]` tag in a source, parseable units, and
    /// `bounds.0 <= range.0 <= value <= range.1 <= bounds.1`.
    pub fn from_toml_str(text: &str) -> Result<Registry, ParamError> {
        let list = load::parse(text)?;
        let mut params = BTreeMap::new();
        for p in list {
            if params.contains_key(&p.name) {
                return Err(ParamError(format!("duplicate parameter name '{}'", p.name)));
            }
            params.insert(p.name.clone(), p);
        }
        Ok(Registry { params })
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// True when the registry holds no parameter.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// The parameter called `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Parameter> {
        self.params.get(name)
    }

    fn lookup(&self, name: &str) -> Result<&Parameter, ParamError> {
        self.params.get(name).ok_or_else(|| self.unknown(name))
    }

    fn unknown(&self, name: &str) -> ParamError {
        match self.suggest(name) {
            Some(s) => ParamError(format!(
                "unknown parameter '{name}'; did you mean '{s}'? (`nanospine params` lists all)"
            )),
            None => ParamError(format!(
                "unknown parameter '{name}' (`nanospine params` lists all)"
            )),
        }
    }

    /// Current value of `name`, in the parameter's own unit.
    pub fn value(&self, name: &str) -> Result<f64, ParamError> {
        Ok(self.lookup(name)?.value)
    }

    /// Current value of `name` converted to `unit` (e.g. `value_in("oxygen.boundary.cep", "mmHg")`).
    pub fn value_in(&self, name: &str, unit: &str) -> Result<f64, ParamError> {
        let p = self.lookup(name)?;
        units::convert(p.value, &p.unit, unit).map_err(|e| {
            ParamError(format!(
                "parameter '{name}' (unit {}) cannot be expressed in '{unit}': {e}",
                p.unit
            ))
        })
    }

    /// Overrides `name` from a quantity text such as `"4.0 mM"` or `"0.5 mmHg"`: converts it to the
    /// parameter's unit, checks the bounds, stores it and returns the stored value (in that unit).
    /// A bare number is accepted only for dimensionless (`"1"`) parameters.
    pub fn set(&mut self, name: &str, text: &str) -> Result<f64, ParamError> {
        let p = self.lookup(name)?;
        let v = units::parse_in(text, &p.unit).map_err(|e| {
            ParamError(format!(
                "parameter '{name}' (unit {}, allowed {}): {e}",
                p.unit,
                fmt_bounds(p)
            ))
        })?;
        self.set_value(name, v)?;
        Ok(v)
    }

    /// Overrides `name` with `value`, already in the parameter's unit; checks that it is finite and
    /// within the bounds.
    pub fn set_value(&mut self, name: &str, value: f64) -> Result<(), ParamError> {
        let unknown = self.unknown(name);
        let p = self.params.get_mut(name).ok_or(unknown)?;
        if !value.is_finite() || value < p.bounds.0 || value > p.bounds.1 {
            return Err(ParamError(format!(
                "parameter '{name}' = {} {} is outside its allowed bounds {}",
                value,
                p.unit,
                fmt_bounds(p)
            )));
        }
        p.value = value;
        Ok(())
    }

    /// Closest existing name to `name` (edit distance with transpositions), if reasonably close.
    pub fn suggest(&self, name: &str) -> Option<String> {
        crate::suggest::closest(name, self.params.keys().map(String::as_str))
    }

    /// All parameters, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Parameter> {
        self.params.values()
    }

    /// Parameters whose name, scope or description contains `text` (case-insensitive), sorted by name.
    pub fn filter(&self, text: &str) -> Vec<&Parameter> {
        let t = text.to_lowercase();
        self.iter()
            .filter(|p| {
                p.name.to_lowercase().contains(&t)
                    || p.scope.to_lowercase().contains(&t)
                    || p.description.to_lowercase().contains(&t)
            })
            .collect()
    }

    fn selected(&self, filter: Option<&str>) -> Vec<&Parameter> {
        match filter {
            Some(f) => self.filter(f),
            None => self.iter().collect(),
        }
    }

    /// JSON listing: `{"parameters": [{"name", "value", "unit", "scope", "source" | "assumption",
    /// "range": [lo, hi], "bounds": [lo, hi], "description"}]}`, optionally filtered.
    pub fn to_json(&self, filter: Option<&str>) -> serde_json::Value {
        format::json(&self.selected(filter))
    }

    /// CSV listing (header row, RFC 4180 quoting), optionally filtered.
    pub fn to_csv(&self, filter: Option<&str>) -> String {
        format::csv(&self.selected(filter))
    }

    /// Aligned plain-text table for terminals, optionally filtered.
    pub fn to_table(&self, filter: Option<&str>) -> String {
        format::table(&self.selected(filter))
    }

    /// Markdown table of every parameter (for docs/model.md).
    pub fn to_markdown(&self) -> String {
        format::markdown(&self.iter().collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests;
