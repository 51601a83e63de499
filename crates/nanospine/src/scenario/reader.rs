//! Typed, located reads from the parsed TOML tree; every problem becomes a [`ScenarioError`]
//! and reading goes on, so one pass reports everything.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::errors::ScenarioError;
use super::format::SETTING_TABLES;
use super::spans::LineIndex;
use crate::params::Registry;
use crate::suggest::closest;
use crate::units;

/// A located TOML value.
pub(crate) type Item<'i> = Spanned<DeValue<'i>>;

/// Outcome of reading one key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Got<T> {
    /// The key is not there.
    Absent,
    /// The key is there but its value is wrong (already reported).
    Invalid,
    /// The key's value.
    Value(T),
}

impl<T> Got<T> {
    /// The value, if valid.
    pub(crate) fn ok(self) -> Option<T> {
        match self {
            Got::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Maps the value.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Got<U> {
        match self {
            Got::Absent => Got::Absent,
            Got::Invalid => Got::Invalid,
            Got::Value(v) => Got::Value(f(v)),
        }
    }
}

/// A quantity as read: value in the requested unit, the text as written, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quantity {
    /// Value in the unit asked for.
    pub value: f64,
    /// Text as written.
    pub text: String,
    /// Byte span of the value.
    pub span: Range<usize>,
}

/// The error collector plus the source text.
pub(crate) struct Ctx<'a> {
    /// Line index of the source.
    pub lines: LineIndex<'a>,
    /// Errors so far.
    pub errors: Vec<ScenarioError>,
    /// The parameter registry (names, units, bounds).
    pub registry: &'a Registry,
}

impl<'a> Ctx<'a> {
    /// A collector for `text`.
    pub(crate) fn new(text: &'a str, registry: &'a Registry) -> Self {
        Self {
            lines: LineIndex::new(text),
            errors: Vec::new(),
            registry,
        }
    }

    /// Records `e` at the start of `span`.
    pub(crate) fn report(&mut self, span: Range<usize>, mut e: ScenarioError) {
        let (line, column) = self.lines.locate(span.start);
        e.line = line;
        e.column = column;
        self.errors.push(e);
    }

    /// How a value is shown in messages: string contents unquoted, anything else as written.
    pub(crate) fn shown(&self, item: &Item<'_>) -> String {
        match item.get_ref() {
            DeValue::String(s) => s.to_string(),
            _ => self
                .lines
                .slice(item.span())
                .unwrap_or("")
                .trim()
                .to_string(),
        }
    }

    /// Reports that `item` (at `key`) has the wrong TOML type; `expected` names the right one.
    pub(crate) fn wrong_type(&mut self, key: &str, item: &Item<'_>, expected: &str) {
        let e = ScenarioError::new(
            key,
            format!("expected {expected}, found {}", item.get_ref().type_str()),
        )
        .with_value(self.shown(item));
        self.report(item.span(), e);
    }
}

/// Appends `key` to a dotted path, quoting keys that are not bare TOML keys.
pub(crate) fn join(path: &str, key: &str) -> String {
    let k = if is_bare_key(key) {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    };
    if path.is_empty() {
        k
    } else {
        format!("{path}.{k}")
    }
}

/// True for keys TOML accepts unquoted (`[A-Za-z0-9_-]+`).
pub(crate) fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A table being read: its contents, its dotted path and the span to blame for missing keys.
pub(crate) struct Section<'t, 'i> {
    /// The table.
    pub table: &'t DeTable<'i>,
    /// Dotted path ("" for the document root).
    pub path: String,
    /// Where to point for a missing key (the table's header key).
    pub at: Range<usize>,
}

impl<'t, 'i> Section<'t, 'i> {
    /// The located key and value of `name`, if present.
    pub(crate) fn get(&self, name: &str) -> Option<(Range<usize>, &'t Item<'i>)> {
        self.table.get_key_value(name).map(|(k, v)| (k.span(), v))
    }

    /// Dotted path of `name` in this table.
    pub(crate) fn key(&self, name: &str) -> String {
        join(&self.path, name)
    }

    /// The sub-table `name` as a section; reports a type error when it is not a table and,
    /// when `required`, a missing table.
    pub(crate) fn table(&self, ctx: &mut Ctx<'_>, name: &str, required: bool) -> Option<Self> {
        match self.get(name) {
            None => {
                if required {
                    let e = ScenarioError::new(
                        self.key(name),
                        format!("missing required table [{name}]"),
                    );
                    ctx.report(self.at.clone(), e);
                }
                None
            }
            Some((kspan, item)) => match item.get_ref() {
                DeValue::Table(t) => Some(Section {
                    table: t,
                    path: self.key(name),
                    at: kspan,
                }),
                _ => {
                    ctx.wrong_type(&self.key(name), item, &format!("a table [{name}]"));
                    None
                }
            },
        }
    }

    /// Reports every key not in `allowed`, with the closest allowed key or the table the key
    /// belongs to as suggestion.
    pub(crate) fn check_keys(&self, ctx: &mut Ctx<'_>, allowed: &[&str]) {
        for (k, _) in self.table.iter() {
            let name: &str = k.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            let suggestion = closest(name, allowed.iter().copied())
                .or_else(|| elsewhere(name, &self.path))
                .or_else(|| ctx.registry.get(name).map(|_| join("parameters", name)));
            let what = if self.path.is_empty() {
                "unknown top-level table or key".to_string()
            } else {
                format!("unknown key in [{}]", self.path)
            };
            let e = ScenarioError::new(self.key(name), what)
                .with_allowed(allowed.join(", "))
                .with_suggestion(suggestion);
            ctx.report(k.span(), e);
        }
    }

    /// Reports a missing required key.
    pub(crate) fn missing(&self, ctx: &mut Ctx<'_>, name: &str, allowed: &str) {
        let what = if self.path.is_empty() {
            "missing required key".to_string()
        } else {
            format!("missing required key in [{}]", self.path)
        };
        let e = ScenarioError::new(self.key(name), what).with_allowed(allowed);
        ctx.report(self.at.clone(), e);
    }

    /// A string value.
    pub(crate) fn string(&self, ctx: &mut Ctx<'_>, name: &str) -> Got<(String, Range<usize>)> {
        let Some((_, item)) = self.get(name) else {
            return Got::Absent;
        };
        match item.get_ref() {
            DeValue::String(s) => Got::Value((s.to_string(), item.span())),
            _ => {
                ctx.wrong_type(&self.key(name), item, "a string");
                Got::Invalid
            }
        }
    }

    /// One of `allowed` (a string); unknown values get the closest allowed one as suggestion.
    pub(crate) fn choice(
        &self,
        ctx: &mut Ctx<'_>,
        name: &str,
        allowed: &[&'static str],
    ) -> Got<&'static str> {
        let Some((_, item)) = self.get(name) else {
            return Got::Absent;
        };
        let DeValue::String(s) = item.get_ref() else {
            ctx.wrong_type(
                &self.key(name),
                item,
                &format!("a string, one of {}", allowed.join(", ")),
            );
            return Got::Invalid;
        };
        match allowed.iter().find(|a| **a == s.as_ref()) {
            Some(a) => Got::Value(a),
            None => {
                let e = ScenarioError::new(self.key(name), format!("unknown {name}"))
                    .with_value(s.to_string())
                    .with_allowed(allowed.join(", "))
                    .with_suggestion(closest(s, allowed.iter().copied()));
                ctx.report(item.span(), e);
                Got::Invalid
            }
        }
    }

    /// An integer in `lo..=hi`.
    pub(crate) fn integer(&self, ctx: &mut Ctx<'_>, name: &str, (lo, hi): (i64, i64)) -> Got<i64> {
        let Some((_, item)) = self.get(name) else {
            return Got::Absent;
        };
        let parsed = match item.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => {
                ctx.wrong_type(&self.key(name), item, &format!("an integer in {lo}..={hi}"));
                return Got::Invalid;
            }
        };
        match parsed {
            Some(v) if (lo..=hi).contains(&v) => Got::Value(v),
            _ => {
                let e = ScenarioError::new(self.key(name), "out of range")
                    .with_value(ctx.shown(item))
                    .with_allowed(format!("{lo}..={hi}"));
                ctx.report(item.span(), e);
                Got::Invalid
            }
        }
    }

    /// A number (integer or float), located.
    pub(crate) fn number(&self, ctx: &mut Ctx<'_>, name: &str) -> Got<(f64, Range<usize>)> {
        let Some((_, item)) = self.get(name) else {
            return Got::Absent;
        };
        match number_of(item.get_ref()) {
            Some(v) => Got::Value((v, item.span())),
            None => {
                ctx.wrong_type(&self.key(name), item, "a number");
                Got::Invalid
            }
        }
    }

    /// A boolean.
    pub(crate) fn boolean(&self, ctx: &mut Ctx<'_>, name: &str) -> Got<bool> {
        let Some((_, item)) = self.get(name) else {
            return Got::Absent;
        };
        match item.get_ref() {
            DeValue::Boolean(b) => Got::Value(*b),
            _ => {
                ctx.wrong_type(&self.key(name), item, "true or false");
                Got::Invalid
            }
        }
    }

    /// A quantity string such as "0.25 mm", converted to `unit`; `example` shows a valid one.
    pub(crate) fn quantity(
        &self,
        ctx: &mut Ctx<'_>,
        name: &str,
        unit: &str,
        example: &str,
    ) -> Got<Quantity> {
        let Some((_, item)) = self.get(name) else {
            return Got::Absent;
        };
        quantity_item(ctx, &self.key(name), item, unit, example)
    }
}

/// Reads `item` as a quantity string converted to `unit`, reporting problems under `key`.
pub(crate) fn quantity_item(
    ctx: &mut Ctx<'_>,
    key: &str,
    item: &Item<'_>,
    unit: &str,
    example: &str,
) -> Got<Quantity> {
    let DeValue::String(s) = item.get_ref() else {
        ctx.wrong_type(
            key,
            item,
            &format!("a string with a unit, e.g. \"{example}\""),
        );
        return Got::Invalid;
    };
    match parse_quantity(s, unit) {
        Ok(value) => Got::Value(Quantity {
            value,
            text: s.to_string(),
            span: item.span(),
        }),
        Err(message) => {
            let e = ScenarioError::new(key, message)
                .with_value(s.to_string())
                .with_allowed(format!(
                    "a quantity convertible to {unit}, e.g. \"{example}\""
                ));
            ctx.report(item.span(), e);
            Got::Invalid
        }
    }
}

/// Converts a quantity text to `unit`; rejects a missing unit (for dimensional targets) and
/// non-finite values. The error is a human message.
pub(crate) fn parse_quantity(text: &str, unit: &str) -> Result<f64, String> {
    if !super::format::is_dimensionless(unit) && text.trim().parse::<f64>().is_ok() {
        return Err(format!(
            "missing unit (expected a unit convertible to {unit})"
        ));
    }
    match units::parse_in(text, unit) {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err("not a finite number".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// The value of a TOML integer or float as f64.
pub(crate) fn number_of(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|x| x as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => None,
    }
}

/// For a key unknown in table `path`: the `table.key` where it would be valid, if any.
fn elsewhere(name: &str, path: &str) -> Option<String> {
    SETTING_TABLES
        .iter()
        .filter(|(t, _)| *t != path)
        .find(|(_, keys)| keys.contains(&name))
        .map(|(t, _)| format!("{t}.{name}"))
}
