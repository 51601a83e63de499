//! Reading and validating the `parameters.toml` format.

use serde::Deserialize;

use super::{ParamError, Parameter, Provenance};
use crate::units;

/// The embedded built-in parameter file (`crates/nanospine/data/parameters.toml`).
pub const BUILTIN_TOML: &str = include_str!("../../data/parameters.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    parameter: Vec<Raw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: String,
    value: f64,
    unit: String,
    scope: String,
    source: Option<String>,
    assumption: Option<String>,
    range: [f64; 2],
    bounds: [f64; 2],
    description: String,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

fn check(r: Raw) -> Result<Parameter, ParamError> {
    let n = r.name.clone();
    let bad = |what: String| ParamError(format!("parameter '{n}': {what}"));
    if !valid_name(&r.name) {
        return Err(bad(
            "names are dotted lowercase words (a-z, 0-9, _), e.g. glucose.boundary.cep".into(),
        ));
    }
    units::parse_unit(&r.unit).map_err(|e| bad(format!("unit: {e}")))?;
    let provenance = match (r.source, r.assumption) {
        (Some(s), None) => {
            if s.contains("[U") {
                return Err(bad(
                    "a source may not contain [U] (unverified) values: make it an `assumption`"
                        .into(),
                ));
            }
            Provenance::Source(s)
        }
        (None, Some(a)) => Provenance::Assumption(a),
        _ => return Err(bad("needs exactly one of `source` or `assumption`".into())),
    };
    if provenance.text().trim().is_empty() {
        return Err(bad(format!("empty {}", provenance.kind())));
    }
    if r.scope.trim().is_empty() || r.description.trim().is_empty() {
        return Err(bad("scope and description must not be empty".into()));
    }
    let [blo, bhi] = r.bounds;
    let [rlo, rhi] = r.range;
    let all = [r.value, blo, bhi, rlo, rhi];
    if all.iter().any(|x| !x.is_finite()) {
        return Err(bad("value, range and bounds must be finite".into()));
    }
    if !(blo <= rlo && rlo <= r.value && r.value <= rhi && rhi <= bhi) {
        return Err(bad(format!(
            "need bounds.0 <= range.0 <= value <= range.1 <= bounds.1, got bounds [{blo}, {bhi}], range [{rlo}, {rhi}], value {} {}",
            r.value, r.unit
        )));
    }
    Ok(Parameter {
        name: r.name,
        value: r.value,
        unit: r.unit,
        scope: r.scope,
        provenance,
        range: (rlo, rhi),
        bounds: (blo, bhi),
        description: r.description,
    })
}

/// Parses and validates every `[[parameter]]` table of `text` (duplicates are checked by the caller).
pub(super) fn parse(text: &str) -> Result<Vec<Parameter>, ParamError> {
    let f: File = toml::from_str(text).map_err(|e| ParamError(format!("parameter file: {e}")))?;
    f.parameter.into_iter().map(check).collect()
}
