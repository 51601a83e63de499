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
                "{} Dimensionless: a number. Registry value {}; plausible range {} to {}; bounds {} to {}.",
                p.description, fmt_num(p.value), fmt_num(rlo), fmt_num(rhi), fmt_num(lo), fmt_num(hi)
            ),
            "type": ["number", "string"],
            "examples": [p.value]
        })
    } else {
        json!({
            "description": format!(
                "{} Unit {unit} (or any unit of the same dimension). Registry value {} {unit}; plausible range {} to {} {unit}; bounds {} to {} {unit}.",
                p.description, fmt_num(p.value), fmt_num(rlo), fmt_num(rhi), fmt_num(lo), fmt_num(hi)
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
    let mut v = schemars::schema_for!(RawFile).to_value();
    strip_null(&mut v);
    v
}

/// Removes the `null` alternatives schemars gives `Option` fields: TOML has no null, optional
/// keys are simply absent (and not `required`).
fn strip_null(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(alts)) = map.get_mut("anyOf") {
                alts.retain(|a| a.get("type").is_none_or(|t| t != "null"));
                if alts.len() == 1 {
                    if let Some(Value::Object(inner)) = alts.pop() {
                        map.remove("anyOf");
                        for (k, x) in inner {
                            map.entry(k).or_insert(x);
                        }
                    }
                }
            }
            map.values_mut().for_each(strip_null);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}
