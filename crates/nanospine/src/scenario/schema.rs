//! JSON Schema (draft 2020-12) of the scenario file, for editor completion and checking.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use super::format::is_dimensionless;
use super::raw::{ParameterTable, RawFile};
use super::resolved::fmt_num;
use crate::params::Registry;

impl JsonSchema for ParameterTable {
    fn schema_name() -> Cow<'static, str> {
        "Parameters".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let registry = Registry::builtin();
        let mut props = Map::new();
        for p in registry.iter() {
            props.insert(p.name.clone(), parameter_schema(p));
        }
        json_schema!({
            "type": "object",
            "description": "Parameter overrides: \"registry.name\" = \"value unit\" (a bare number for dimensionless parameters). Names are those of `nanospine params`; quote them (they contain dots).",
            "properties": props,
            "additionalProperties": false
        })
    }
}

/// Schema of one override: its unit, registry value, plausible range and hard bounds.
fn parameter_schema(p: &crate::params::Parameter) -> Value {
    let unit = p.unit.as_str();
    let (lo, hi) = p.bounds;
    let (rlo, rhi) = p.range;
    if is_dimensionless(unit) {
        json!({
            "description": format!(
                "{} (dimensionless). Registry value {}; plausible range {} to {}; bounds {} to {}.",
                p.name, fmt_num(p.value), fmt_num(rlo), fmt_num(rhi), fmt_num(lo), fmt_num(hi)
            ),
            "type": ["number", "string"],
            "examples": [p.value]
        })
    } else {
        json!({
            "description": format!(
                "{} in {unit} (any unit of the same dimension). Registry value {} {unit}; plausible range {} to {} {unit}; bounds {} to {} {unit}.",
                p.name, fmt_num(p.value), fmt_num(rlo), fmt_num(rhi), fmt_num(lo), fmt_num(hi)
            ),
            "type": "string",
            "examples": [format!("{} {unit}", fmt_num(p.value))]
        })
    }
}

/// The JSON Schema (draft 2020-12) of the scenario TOML format, with descriptions (including
/// units) for every key and the builtin registry's parameter names under `parameters` and
/// `arm[].parameters`. Printed by `nanospine schema`.
pub fn json_schema() -> Value {
    let schema = schemars::schema_for!(RawFile);
    schema.to_value()
}
