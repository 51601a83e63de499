//! Parameter overrides: `[parameters]`, `[arm.parameters]` and `--set name=value`.

use toml::de::DeValue;

use super::errors::{ScenarioError, ScenarioErrors};
use super::format::is_dimensionless;
use super::model::{Override, Scenario};
use super::reader::{join, number_of, parse_quantity, Ctx, Item};
use super::resolved::fmt_num;
use crate::params::{Parameter, Registry};
use crate::suggest::closest;

/// An override value before checking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RawValue<'a> {
    /// A bare number (only for dimensionless parameters).
    Number(f64),
    /// A quantity text such as "4.0 mM".
    Text(&'a str),
    /// Any other TOML type (its name).
    Other(&'static str),
}

/// A rejected override value: message and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueProblem {
    /// What is wrong.
    pub message: String,
    /// What is allowed.
    pub allowed: String,
}

/// Checks `raw` against `param` (unit dimension, registry bounds); returns the override text
/// and the value in the parameter's unit.
pub(crate) fn check_value(
    param: &Parameter,
    raw: RawValue<'_>,
) -> Result<(String, f64), ValueProblem> {
    let unit = param.unit.as_str();
    let dimensionless = is_dimensionless(unit);
    let (text, value) = match raw {
        RawValue::Number(v) if dimensionless => (fmt_num(v), v),
        RawValue::Number(v) => {
            return Err(ValueProblem {
                message: format!("a bare number needs a unit: this parameter is in {unit}"),
                allowed: format!(
                    "a string with a unit convertible to {unit}, e.g. \"{} {unit}\"",
                    fmt_num(v)
                ),
            })
        }
        RawValue::Text(t) => match parse_quantity(t, unit) {
            Ok(v) => (t.to_string(), v),
            Err(message) => {
                return Err(ValueProblem {
                    message,
                    allowed: example(param),
                })
            }
        },
        RawValue::Other(ty) => {
            return Err(ValueProblem {
                message: format!("expected a string with a unit or a number, found {ty}"),
                allowed: example(param),
            })
        }
    };
    if !value.is_finite() {
        return Err(ValueProblem {
            message: "not a finite number".into(),
            allowed: example(param),
        });
    }
    let (lo, hi) = param.bounds;
    if !(value >= lo && value <= hi) {
        let shown_unit = if dimensionless {
            String::new()
        } else {
            format!(" {unit}")
        };
        return Err(ValueProblem {
            message: format!(
                "outside the bounds of {} ({} {unit})",
                param.name,
                fmt_num(value)
            ),
            allowed: format!(
                "{} to {}{shown_unit} (plausible range {} to {}{shown_unit})",
                fmt_num(lo),
                fmt_num(hi),
                fmt_num(param.range.0),
                fmt_num(param.range.1)
            ),
        });
    }
    Ok((text, value))
}

/// What a valid value of `param` looks like.
fn example(param: &Parameter) -> String {
    if is_dimensionless(&param.unit) {
        format!("a number, e.g. {}", fmt_num(param.value))
    } else {
        format!(
            "a string with a unit convertible to {}, e.g. \"{} {}\"",
            param.unit,
            fmt_num(param.value),
            param.unit
        )
    }
}

/// The suggestion for an unknown parameter name: the registry's own, else the closest name.
pub(crate) fn suggest_name(registry: &Registry, name: &str) -> Option<String> {
    registry
        .suggest(name)
        .or_else(|| closest(name, registry.iter().map(|p| p.name.as_str())))
}

/// Reads a parameters table (`[parameters]` or `[arm.parameters]`) at `path`.
pub(crate) fn read_table(ctx: &mut Ctx<'_>, item: &Item<'_>, path: &str) -> Vec<Override> {
    let DeValue::Table(table) = item.get_ref() else {
        ctx.wrong_type(path, item, "a table of parameter overrides");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in table.iter() {
        let name: &str = k.get_ref();
        let key = join(path, name);
        let Some(param) = ctx.registry.get(name) else {
            unknown(ctx, k.span(), path, name, v);
            continue;
        };
        let raw = match v.get_ref() {
            DeValue::String(s) => RawValue::Text(s),
            other => match number_of(other) {
                Some(x) => RawValue::Number(x),
                None => RawValue::Other(other.type_str()),
            },
        };
        match check_value(param, raw) {
            Ok((text, value)) => out.push(Override {
                name: name.to_string(),
                text,
                value,
            }),
            Err(p) => {
                let e = ScenarioError::new(key, p.message)
                    .with_value(ctx.shown(v))
                    .with_allowed(p.allowed);
                ctx.report(v.span(), e);
            }
        }
    }
    out
}

/// Reports an unknown parameter name; an unquoted dotted name (parsed by TOML as nested
/// tables) gets the quoted form as suggestion.
fn unknown(ctx: &mut Ctx<'_>, span: std::ops::Range<usize>, path: &str, name: &str, v: &Item<'_>) {
    let mut leaves = Vec::new();
    dotted_leaves(name, v.get_ref(), &mut leaves, 0);
    if let Some(full) = leaves.iter().find(|l| ctx.registry.get(l).is_some()) {
        let quoted = toml::Value::String(full.clone()).to_string();
        let e = ScenarioError::new(
            join(path, name),
            "parameter names contain dots and must be quoted (unquoted, TOML reads them as nested tables)",
        )
        .with_suggestion(Some(quoted));
        ctx.report(span, e);
        return;
    }
    let e = ScenarioError::new(
        join(path, name),
        "unknown parameter (see `nanospine params`)",
    )
    .with_suggestion(suggest_name(ctx.registry, name));
    ctx.report(span, e);
}

/// Dotted names of the leaves under a nested table (at most 8 levels deep).
fn dotted_leaves(prefix: &str, v: &DeValue<'_>, out: &mut Vec<String>, depth: usize) {
    match v {
        DeValue::Table(t) if depth < 8 => {
            for (k, sub) in t.iter() {
                let name = format!("{prefix}.{}", k.get_ref());
                dotted_leaves(&name, sub.get_ref(), out, depth + 1);
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

/// Applies a command-line assignment `name=value` (e.g. `glucose.boundary.cep=3.5 mM` or
/// `cep.exchange_area=0.4`) as a scenario-wide override, replacing an override of the same
/// name. The value is checked like one in `[parameters]` (unit dimension, registry bounds); an
/// unquoted bare number is a number, anything else (quotes stripped) a quantity text.
/// Errors have key `--set` and line/column 0.
pub fn apply_set(
    scenario: &mut Scenario,
    registry: &Registry,
    assignment: &str,
) -> Result<(), ScenarioErrors> {
    let o = parse_set(registry, assignment)?;
    match scenario.parameters.iter_mut().find(|p| p.name == o.name) {
        Some(existing) => *existing = o,
        None => scenario.parameters.push(o),
    }
    Ok(())
}

/// Checks a command-line assignment `name=value` as [`apply_set`] would (known name, unit
/// dimension, registry bounds) without a scenario, e.g. before a suite of scenarios runs with it.
pub fn check_set(registry: &Registry, assignment: &str) -> Result<(), ScenarioErrors> {
    parse_set(registry, assignment).map(|_| ())
}

/// The override of an assignment `name=value` ([`apply_set`]).
fn parse_set(registry: &Registry, assignment: &str) -> Result<Override, ScenarioErrors> {
    let fail = |message: String, allowed: Option<String>, suggestion: Option<String>| {
        let mut e = ScenarioError::new("--set", message)
            .with_value(assignment)
            .with_suggestion(suggestion);
        e.allowed = allowed;
        Err(ScenarioErrors(vec![e]))
    };
    let Some((name, value)) = assignment.split_once('=') else {
        return fail(
            "expected name=value".into(),
            Some("e.g. --set glucose.boundary.cep=\"3.5 mM\"".into()),
            None,
        );
    };
    let name = unquote(name.trim()).0;
    let (value, quoted) = unquote(value.trim());
    let Some(param) = registry.get(name) else {
        return fail(
            format!("unknown parameter `{name}` (see `nanospine params`)"),
            None,
            suggest_name(registry, name),
        );
    };
    let raw = match value.parse::<f64>() {
        Ok(v) if !quoted => RawValue::Number(v),
        _ => RawValue::Text(value),
    };
    match check_value(param, raw) {
        Ok((text, value)) => Ok(Override {
            name: name.to_string(),
            text,
            value,
        }),
        Err(p) => fail(format!("{name}: {}", p.message), Some(p.allowed), None),
    }
}

/// Strips one pair of matching surrounding quotes; reports whether there were any.
fn unquote(s: &str) -> (&str, bool) {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return (&s[1..s.len() - 1], true);
        }
    }
    (s, false)
}
