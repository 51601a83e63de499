//! One numeric value with its unit, plausible range and provenance, as stored in
//! `data/carriers.toml` and `data/payloads.toml`.

use serde::Deserialize;

use super::CarrierError;
use crate::params::Provenance;
use crate::units;

/// Units accepted in a record although [`units::parse_unit`] cannot express them (it has no
/// electric dimension): only the zeta potential uses one, in millivolts.
pub const NON_SI_UNITS: &[&str] = &["mV"];

/// A numeric value as written in the data file: `value` and `range` are in `unit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The value, in `unit`.
    pub value: f64,
    /// Unit of `value` and `range` (a [`units::parse_unit`] expression, or one of [`NON_SI_UNITS`]).
    pub unit: String,
    /// Plausible range `(lo, hi)` for sensitivity analysis, in `unit`; contains `value`.
    pub range: (f64, f64),
    /// Citation (evidence tags `[V]`, `[V-code]`, `[D]`) or explicit assumption (all `[U]` values).
    pub provenance: Provenance,
}

impl Record {
    /// The value converted to `unit` (e.g. `"mm"`); errors name the field and both units.
    pub fn value_in(&self, unit: &str, field: &str) -> Result<f64, CarrierError> {
        units::convert(self.value, &self.unit, unit)
            .map_err(|e| CarrierError(format!("{field}: cannot express in '{unit}': {e}")))
    }

    /// The range converted to `unit`.
    pub fn range_in(&self, unit: &str, field: &str) -> Result<(f64, f64), CarrierError> {
        let f = |x: f64| {
            units::convert(x, &self.unit, unit)
                .map_err(|e| CarrierError(format!("{field}: cannot express in '{unit}': {e}")))
        };
        Ok((f(self.range.0)?, f(self.range.1)?))
    }
}

/// The TOML form of a [`Record`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecord {
    value: f64,
    unit: String,
    range: [f64; 2],
    source: Option<String>,
    assumption: Option<String>,
}

/// Checks a provenance pair: exactly one of `source` / `assumption`, non-empty; a source carries
/// an evidence tag (`[V`, `[D]`) and never an unverified `[U` value.
pub(super) fn provenance(
    source: Option<String>,
    assumption: Option<String>,
    field: &str,
) -> Result<Provenance, CarrierError> {
    let p = match (source, assumption) {
        (Some(s), None) => {
            if s.contains("[U") {
                return Err(CarrierError(format!(
                    "{field}: a source may not contain [U] (unverified) values: make it an `assumption`"
                )));
            }
            if !(s.contains("[V") || s.contains("[D]")) {
                return Err(CarrierError(format!(
                    "{field}: a source needs an evidence tag ([V], [V-code] or [D])"
                )));
            }
            Provenance::Source(s)
        }
        (None, Some(a)) => Provenance::Assumption(a),
        _ => {
            return Err(CarrierError(format!(
                "{field}: needs exactly one of `source` or `assumption`"
            )))
        }
    };
    if p.text().trim().is_empty() {
        return Err(CarrierError(format!("{field}: empty {}", p.kind())));
    }
    Ok(p)
}

/// Validates a raw record: a unit of the dimension of one of `likes` (e.g. `["nm"]` for a
/// length; `["mV"]` accepts only `mV`), finite numbers, `range.0 <= value <= range.1`, exactly
/// one provenance.
pub(super) fn check(raw: RawRecord, likes: &[&str], field: &str) -> Result<Record, CarrierError> {
    let bad = |what: String| CarrierError(format!("{field}: {what}"));
    let allowed = likes.join("' or '");
    if NON_SI_UNITS.contains(&raw.unit.as_str()) {
        if !likes.contains(&raw.unit.as_str()) {
            return Err(bad(format!(
                "unit must be like '{allowed}', got '{}'",
                raw.unit
            )));
        }
    } else {
        let u = units::parse_unit(&raw.unit).map_err(|e| bad(format!("unit: {e}")))?;
        let fits = likes.iter().any(|like| {
            !NON_SI_UNITS.contains(like)
                && units::parse_unit(like).is_ok_and(|want| want.dim == u.dim)
        });
        if !fits {
            return Err(bad(format!(
                "unit '{}' ({}) has the wrong dimension, expected a unit like '{allowed}'",
                raw.unit, u.dim
            )));
        }
    }
    let [lo, hi] = raw.range;
    if ![raw.value, lo, hi].iter().all(|x| x.is_finite()) {
        return Err(bad("value and range must be finite".into()));
    }
    if !(lo <= raw.value && raw.value <= hi) {
        return Err(bad(format!(
            "need range.0 <= value <= range.1, got range [{lo}, {hi}], value {} {}",
            raw.value, raw.unit
        )));
    }
    let provenance = provenance(raw.source, raw.assumption, field)?;
    Ok(Record {
        value: raw.value,
        unit: raw.unit,
        range: (lo, hi),
        provenance,
    })
}

/// Like [`check`], and the value and range must be strictly positive (sizes, rates, half-lives).
pub(super) fn check_positive(
    raw: RawRecord,
    likes: &[&str],
    field: &str,
) -> Result<Record, CarrierError> {
    let r = check(raw, likes, field)?;
    if r.range.0 <= 0.0 {
        return Err(CarrierError(format!(
            "{field}: value and range must be > 0, got range [{}, {}] {}",
            r.range.0, r.range.1, r.unit
        )));
    }
    Ok(r)
}
