//! Quantities and unit parsing.
//!
//! A unit is a product of powers of *atoms* (`mm`, `s`, `kPa`, `cells`, ...), optional numeric
//! factors (`1e6`), parentheses, `*` / `·` / space products, `/` and integer exponents (`^2`,
//! `^-1`, `²`, `⁻¹`). Every unit is reduced to a [`Unit`]: a factor that converts a value in
//! this unit to SI (m, s, kg, mol, cells) and a [`Dimension`] (exponents over length, time,
//! mass, amount, cells).
//!
//! Examples: `"4.0 mM"`, `"5.1 kPa"`, `"9.17e-4 mm^2/s"`, `"3.77e-6 1/s"`,
//! `"7.28 nmol/(1e6 cells*h)"`, `"0.010268 mM/kPa"`, `"1.0"` (dimensionless), `"50 %"`.
//!
//! Precedence: `^` binds to the factor just before it; products and `/` are read left to right.
//! To avoid misreadings, a product after a `/` at the same parenthesis level is an error
//! (`nmol/1e6 cells*h` must be written `nmol/(1e6 cells*h)`); chained divisions `m/s/s` mean
//! `m/(s*s)`.

use std::fmt;

/// A unit that could not be parsed, or a quantity with the wrong dimension.
/// The message names the text and what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct UnitError(pub String);

/// Names of the five base dimensions, in the order of [`Dimension`]'s exponents.
/// Seconds in a day (s/d), for rates reported per day.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

pub const BASE_NAMES: [&str; 5] = ["length", "time", "mass", "amount", "cells"];

/// Exponents over the base dimensions `[length, time, mass, amount, cells]`.
///
/// Display lists positive exponents, then `/` and negative ones, e.g. `length^2/time`,
/// `amount/(time*cells)`, `1/time`; all zero is `dimensionless`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dimension(pub [i8; 5]);

impl Dimension {
    /// No dimension (pure number).
    pub const NONE: Dimension = Dimension([0, 0, 0, 0, 0]);
    /// Length (SI unit m).
    pub const LENGTH: Dimension = Dimension([1, 0, 0, 0, 0]);
    /// Time (SI unit s).
    pub const TIME: Dimension = Dimension([0, 1, 0, 0, 0]);
    /// Mass (SI unit kg).
    pub const MASS: Dimension = Dimension([0, 0, 1, 0, 0]);
    /// Amount of substance (SI unit mol).
    pub const AMOUNT: Dimension = Dimension([0, 0, 0, 1, 0]);
    /// Cell count (unit: cells).
    pub const CELLS: Dimension = Dimension([0, 0, 0, 0, 1]);

    /// True when every exponent is zero.
    pub fn is_dimensionless(&self) -> bool {
        self.0 == [0; 5]
    }

    fn combine(self, other: Dimension, sign: i8) -> Option<Dimension> {
        let mut out = [0i8; 5];
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.0[i].checked_add(other.0[i].checked_mul(sign)?)?;
        }
        Some(Dimension(out))
    }

    fn pow(self, n: i32) -> Option<Dimension> {
        let n = i8::try_from(n).ok()?;
        let mut out = [0i8; 5];
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.0[i].checked_mul(n)?;
        }
        Some(Dimension(out))
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_dimensionless() {
            return f.write_str("dimensionless");
        }
        let part = |e: i8, name: &str| {
            if e == 1 {
                name.to_string()
            } else {
                format!("{name}^{e}")
            }
        };
        let num: Vec<String> = (0..5)
            .filter(|&i| self.0[i] > 0)
            .map(|i| part(self.0[i], BASE_NAMES[i]))
            .collect();
        let den: Vec<String> = (0..5)
            .filter(|&i| self.0[i] < 0)
            .map(|i| part(-self.0[i], BASE_NAMES[i]))
            .collect();
        let num = if num.is_empty() {
            "1".to_string()
        } else {
            num.join("*")
        };
        match den.len() {
            0 => f.write_str(&num),
            1 => write!(f, "{num}/{}", den[0]),
            _ => write!(f, "{num}/({})", den.join("*")),
        }
    }
}

/// A parsed unit: `factor` converts a value in this unit to SI (m, s, kg, mol, cells),
/// `dim` is its dimension. Example: `mM` is `factor = 1.0` (mol/m^3), `dim = amount/length^3`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// Multiply a value in this unit by `factor` to get the value in SI units.
    pub factor: f64,
    /// Dimension of the unit.
    pub dim: Dimension,
}

impl Unit {
    /// The dimensionless unit `1` (factor 1).
    pub const ONE: Unit = Unit {
        factor: 1.0,
        dim: Dimension::NONE,
    };

    /// True when the unit has no dimension (it may still have a factor, e.g. `%`).
    pub fn is_dimensionless(&self) -> bool {
        self.dim.is_dimensionless()
    }

    fn mul(self, o: Unit) -> Option<Unit> {
        finite_unit(self.factor * o.factor, self.dim.combine(o.dim, 1)?)
    }

    fn div(self, o: Unit) -> Option<Unit> {
        finite_unit(self.factor / o.factor, self.dim.combine(o.dim, -1)?)
    }

    fn powi(self, n: i32) -> Option<Unit> {
        finite_unit(self.factor.powi(n), self.dim.pow(n)?)
    }
}

fn finite_unit(factor: f64, dim: Dimension) -> Option<Unit> {
    (factor.is_finite() && factor > 0.0).then_some(Unit { factor, dim })
}

impl fmt::Display for Unit {
    /// Shows the SI reading, e.g. `1e-6 SI (length^2/time)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:e} SI ({})", self.factor, self.dim)
    }
}

const L: Dimension = Dimension::LENGTH;
const T: Dimension = Dimension::TIME;
const MA: Dimension = Dimension::MASS;
const N: Dimension = Dimension::AMOUNT;
const PRESSURE: Dimension = Dimension([-1, -2, 1, 0, 0]);
const MOLAR: Dimension = Dimension([-3, 0, 0, 1, 0]);
const VOLUME: Dimension = Dimension([3, 0, 0, 0, 0]);
const MOLAR_MASS: Dimension = Dimension([0, 0, 1, -1, 0]);
const FORCE: Dimension = Dimension([1, -2, 1, 0, 0]);

/// 1 mmHg in Pa (conventional millimetre of mercury, 133.322387415 Pa).
pub const MMHG_IN_PA: f64 = 133.322_387_415;

/// Atoms recognised exactly as written (never split into prefix + base).
const EXACT_ATOMS: &[(&str, f64, Dimension)] = &[
    // time
    ("sec", 1.0, T),
    ("min", 60.0, T),
    ("h", 3600.0, T),
    ("hr", 3600.0, T),
    ("d", 86_400.0, T),
    ("day", 86_400.0, T),
    ("days", 86_400.0, T),
    ("wk", 604_800.0, T),
    ("week", 604_800.0, T),
    ("weeks", 604_800.0, T),
    ("yr", 31_557_600.0, T), // Julian year, 365.25 d
    ("y", 31_557_600.0, T),
    ("year", 31_557_600.0, T),
    ("years", 31_557_600.0, T),
    ("mo", 2_629_800.0, T), // Julian month, 1/12 of the Julian year (30.4375 d)
    ("month", 2_629_800.0, T),
    ("months", 2_629_800.0, T),
    // pressure
    ("mmHg", MMHG_IN_PA, PRESSURE),
    ("atm", 101_325.0, PRESSURE),
    // counts
    ("cells", 1.0, Dimension::CELLS),
    ("cell", 1.0, Dimension::CELLS),
    // dimensionless
    ("%", 0.01, Dimension::NONE),
    ("percent", 0.01, Dimension::NONE),
];

/// Bases that accept an SI prefix (`mM`, `kPa`, `µm`, `nmol`, `mL`, `kDa`, ...).
const PREFIXABLE: &[(&str, f64, Dimension)] = &[
    ("m", 1.0, L),
    ("s", 1.0, T),
    ("g", 1e-3, MA),
    ("mol", 1.0, N),
    ("M", 1e3, MOLAR), // mol/L = 1000 mol/m^3
    ("L", 1e-3, VOLUME),
    ("l", 1e-3, VOLUME),
    ("Pa", 1.0, PRESSURE),
    ("Da", 1e-3, MOLAR_MASS), // g/mol
    ("N", 1.0, FORCE),        // newton, kg*m/s^2
    ("dyn", 1e-5, FORCE),     // dyne, g*cm/s^2 (impactor forces are given in kdyn)
];

const PREFIXES: &[(&str, f64)] = &[
    ("T", 1e12),
    ("G", 1e9),
    ("M", 1e6),
    ("k", 1e3),
    ("c", 1e-2),
    ("d", 1e-1),
    ("m", 1e-3),
    ("u", 1e-6),
    ("µ", 1e-6), // U+00B5 micro sign
    ("μ", 1e-6), // U+03BC greek mu
    ("n", 1e-9),
    ("p", 1e-12),
    ("f", 1e-15),
];

const ALLOWED_HELP: &str = "atoms m, s, g, mol, M, L, Pa, Da, N, dyn (with prefixes T G M k c d m u/µ n p f), \
min, h, d, wk, yr, mmHg, atm, cells, %, numbers like 1e6, combined with * · space / ^N and parentheses";

fn lookup_atom(name: &str) -> Option<Unit> {
    if let Some(&(_, f, d)) = EXACT_ATOMS.iter().find(|(n, _, _)| *n == name) {
        return Some(Unit { factor: f, dim: d });
    }
    if let Some(&(_, f, d)) = PREFIXABLE.iter().find(|(n, _, _)| *n == name) {
        return Some(Unit { factor: f, dim: d });
    }
    for &(p, pf) in PREFIXES {
        if let Some(rest) = name.strip_prefix(p) {
            if let Some(&(_, f, d)) = PREFIXABLE.iter().find(|(n, _, _)| *n == rest) {
                return Some(Unit {
                    factor: pf * f,
                    dim: d,
                });
            }
        }
    }
    None
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Mul,
    Div,
    Pow(i32),
    LParen,
    RParen,
}

fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴' => Some(4),
        '⁵' => Some(5),
        '⁶' => Some(6),
        '⁷' => Some(7),
        '⁸' => Some(8),
        '⁹' => Some(9),
        _ => None,
    }
}

const MAX_EXPONENT: i32 = 12;

fn err(text: &str, what: impl fmt::Display) -> UnitError {
    UnitError(format!(
        "invalid unit \"{text}\": {what}; allowed: {ALLOWED_HELP}"
    ))
}

/// Scans a float literal (digits, optional fraction, optional exponent) starting at `i`.
/// Returns the end index, or `None` when no digit is found.
fn scan_number(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start;
    let mut digits = 0;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
        let mut j = i + 1;
        if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
            j += 1;
        }
        let exp_start = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    Some(i)
}

fn tokenize(text: &str) -> Result<Vec<Tok>, UnitError> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '*' || c == '·' || c == '⋅' || c == '×' {
            toks.push(Tok::Mul);
            i += 1;
        } else if c == '/' {
            toks.push(Tok::Div);
            i += 1;
        } else if c == '(' {
            toks.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            toks.push(Tok::RParen);
            i += 1;
        } else if c == '^' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let neg = j < chars.len() && chars[j] == '-';
            if j < chars.len() && (chars[j] == '-' || chars[j] == '+') {
                j += 1;
            }
            let ds = j;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j == ds {
                return Err(err(text, "'^' must be followed by an integer exponent"));
            }
            let s: String = chars[ds..j].iter().collect();
            let n: i32 = s
                .parse()
                .ok()
                .filter(|n: &i32| *n <= MAX_EXPONENT)
                .ok_or_else(|| {
                    err(
                        text,
                        format!("exponent {s} is too large (at most {MAX_EXPONENT})"),
                    )
                })?;
            toks.push(Tok::Pow(if neg { -n } else { n }));
            i = j;
        } else if c == '⁻' || c == '⁺' || superscript_digit(c).is_some() {
            let neg = c == '⁻';
            let mut j = if c == '⁻' || c == '⁺' { i + 1 } else { i };
            let mut n: i32 = 0;
            let ds = j;
            while j < chars.len() {
                match superscript_digit(chars[j]) {
                    Some(d) => {
                        n = n.saturating_mul(10).saturating_add(d as i32);
                        j += 1;
                    }
                    None => break,
                }
            }
            if j == ds {
                return Err(err(text, "superscript sign without digits"));
            }
            if n > MAX_EXPONENT {
                return Err(err(
                    text,
                    format!("exponent {n} is too large (at most {MAX_EXPONENT})"),
                ));
            }
            toks.push(Tok::Pow(if neg { -n } else { n }));
            i = j;
        } else if c.is_ascii_digit() || c == '.' {
            let end =
                scan_number(&chars, i).ok_or_else(|| err(text, format!("unexpected '{c}'")))?;
            let s: String = chars[i..end].iter().collect();
            let v: f64 = s
                .parse()
                .map_err(|_| err(text, format!("bad number '{s}'")))?;
            if !v.is_finite() || v <= 0.0 {
                return Err(err(
                    text,
                    format!("numeric factor '{s}' must be finite and > 0"),
                ));
            }
            toks.push(Tok::Num(v));
            i = end;
        } else if c == '%' {
            toks.push(Tok::Ident("%".into()));
            i += 1;
        } else if c.is_alphabetic() {
            let mut j = i;
            while j < chars.len() && chars[j].is_alphabetic() {
                j += 1;
            }
            let name: String = chars[i..j].iter().collect();
            if j < chars.len() && chars[j].is_ascii_digit() {
                return Err(err(
                    text,
                    format!(
                        "'{name}{}' is ambiguous: write exponents as '{name}^{}'",
                        chars[j], chars[j]
                    ),
                ));
            }
            toks.push(Tok::Ident(name));
            i = j;
        } else {
            return Err(err(text, format!("unexpected character '{c}'")));
        }
    }
    Ok(toks)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 16;

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn overflow(&self) -> UnitError {
        err(self.text, "factor or exponent out of range")
    }

    /// expr := factor ((`*` | `/` | juxtaposition) factor)*
    fn expr(&mut self) -> Result<Unit, UnitError> {
        let mut acc = self.factor()?;
        let mut seen_div = false;
        loop {
            match self.peek() {
                None | Some(Tok::RParen) => return Ok(acc),
                Some(Tok::Div) => {
                    self.pos += 1;
                    let f = self.factor()?;
                    acc = acc.div(f).ok_or_else(|| self.overflow())?;
                    seen_div = true;
                }
                Some(Tok::Mul) | Some(Tok::Num(_)) | Some(Tok::Ident(_)) | Some(Tok::LParen) => {
                    if seen_div {
                        return Err(err(
                            self.text,
                            "a product after '/' is ambiguous: put the denominator in parentheses, e.g. nmol/(1e6 cells*h)",
                        ));
                    }
                    if self.peek() == Some(&Tok::Mul) {
                        self.pos += 1;
                    }
                    let f = self.factor()?;
                    acc = acc.mul(f).ok_or_else(|| self.overflow())?;
                }
                Some(Tok::Pow(_)) => {
                    return Err(err(self.text, "exponent without a preceding unit"));
                }
            }
        }
    }

    /// factor := (number | atom | `(` expr `)`) exponent?
    fn factor(&mut self) -> Result<Unit, UnitError> {
        let base = match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                Unit {
                    factor: v,
                    dim: Dimension::NONE,
                }
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                lookup_atom(&name)
                    .ok_or_else(|| err(self.text, format!("unknown unit '{name}'")))?
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(err(self.text, "too many nested parentheses"));
                }
                let inner = self.expr()?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(err(self.text, "missing ')'"));
                }
                self.pos += 1;
                inner
            }
            Some(Tok::RParen) => return Err(err(self.text, "unexpected ')'")),
            Some(Tok::Mul) | Some(Tok::Div) => {
                return Err(err(self.text, "operator without a unit before it"))
            }
            Some(Tok::Pow(_)) => return Err(err(self.text, "exponent without a unit before it")),
            None => return Err(err(self.text, "expression ends after an operator")),
        };
        if let Some(&Tok::Pow(n)) = self.peek() {
            self.pos += 1;
            return base.powi(n).ok_or_else(|| self.overflow());
        }
        Ok(base)
    }
}

/// Parses a unit expression such as `mm^2/s`, `nmol/(1e6 cells*h)` or `1/kPa^2`.
///
/// `""`, `"-"` and `"1"` are the dimensionless unit (factor 1). Never panics.
pub fn parse_unit(text: &str) -> Result<Unit, UnitError> {
    let t = text.trim();
    if t.is_empty() || t == "-" {
        return Ok(Unit::ONE);
    }
    let toks = tokenize(t)?;
    let mut p = Parser {
        text: t,
        toks,
        pos: 0,
        depth: 0,
    };
    let u = p.expr()?;
    if p.pos != p.toks.len() {
        return Err(err(t, "unmatched ')'"));
    }
    Ok(u)
}

/// Splits `text` into a leading number and the rest (trimmed). Errors for missing or non-finite numbers.
fn split_number(text: &str) -> Result<(f64, &str), UnitError> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if unsigned.starts_with("nan") || unsigned.starts_with("inf") {
        return Err(UnitError(format!(
            "invalid quantity \"{t}\": the value must be a finite number, e.g. '4.0 mM'"
        )));
    }
    let chars: Vec<char> = t.chars().collect();
    let mut start = 0;
    if matches!(chars.first(), Some('+') | Some('-')) {
        start = 1;
    }
    let end = scan_number(&chars, start).ok_or_else(|| {
        UnitError(format!(
            "invalid quantity \"{t}\": expected a number followed by a unit, e.g. '4.0 mM' or '1.0'"
        ))
    })?;
    let num: String = chars[..end].iter().collect();
    let v: f64 = num.parse().map_err(|_| {
        UnitError(format!(
            "invalid quantity \"{t}\": '{num}' is not a number, expected e.g. '4.0 mM'"
        ))
    })?;
    if !v.is_finite() {
        return Err(UnitError(format!(
            "invalid quantity \"{t}\": the value {num} is not a finite number"
        )));
    }
    // `end` counts chars; convert to a byte offset.
    let byte_end: usize = chars[..end].iter().map(|c| c.len_utf8()).sum();
    Ok((v, t[byte_end..].trim()))
}

/// Parses a quantity: a number followed by an optional unit (`"4.0 mM"`, `"5e-3m"`, `"1.0"`).
///
/// Returns the number as written and the parsed unit; a bare number gets the dimensionless
/// unit [`Unit::ONE`]. Non-finite numbers (`nan`, `inf`, overflow) are errors.
pub fn parse_quantity(text: &str) -> Result<(f64, Unit), UnitError> {
    let (v, rest) = split_number(text)?;
    let unit = parse_unit(rest)
        .map_err(|e| UnitError(format!("invalid quantity \"{}\": {}", text.trim(), e.0)))?;
    Ok((v, unit))
}

fn to_target(
    value: f64,
    from: Unit,
    from_text: &str,
    to: Unit,
    to_text: &str,
) -> Result<f64, UnitError> {
    if from.dim != to.dim {
        return Err(UnitError(format!(
            "wrong dimension: \"{from_text}\" is {}, but {} is expected (unit \"{to_text}\")",
            from.dim, to.dim
        )));
    }
    // Equal factors (the same unit, however written) must not perturb the value: a value
    // written back in its own unit has to read back bit for bit.
    let ratio = from.factor / to.factor;
    let out = if (ratio - 1.0).abs() <= 4.0 * f64::EPSILON {
        value
    } else {
        value * ratio
    };
    if !out.is_finite() {
        return Err(UnitError(format!(
            "\"{from_text}\" converted to {to_text} is not a finite number"
        )));
    }
    Ok(out)
}

/// Parses `text` (number + unit) and converts it to `target_unit`, returning the number in
/// `target_unit`. Errors if the dimensions differ, naming both units and dimensions.
///
/// A bare number is accepted only when `target_unit` is dimensionless with factor 1
/// (`"1"`, `""` or `"-"`); otherwise the error is "missing unit, expected e.g. '4.0 mM'".
pub fn parse_in(text: &str, target_unit: &str) -> Result<f64, UnitError> {
    let to = parse_unit(target_unit)?;
    let (v, rest) = split_number(text)?;
    if rest.is_empty() {
        if to.is_dimensionless() && to.factor == 1.0 {
            return Ok(v);
        }
        let shown = if target_unit.trim().is_empty() {
            "1"
        } else {
            target_unit.trim()
        };
        return Err(UnitError(format!(
            "\"{}\": missing unit, expected e.g. '{} {shown}' ({})",
            text.trim(),
            text.trim(),
            to.dim
        )));
    }
    let from = parse_unit(rest)
        .map_err(|e| UnitError(format!("invalid quantity \"{}\": {}", text.trim(), e.0)))?;
    to_target(v, from, text.trim(), to, target_unit.trim())
}

/// Converts `value` from unit `from` to unit `to` (e.g. `convert(38.0, "mmHg", "kPa")`).
/// Errors if either unit is invalid or the dimensions differ.
pub fn convert(value: f64, from: &str, to: &str) -> Result<f64, UnitError> {
    if !value.is_finite() {
        return Err(UnitError(format!(
            "cannot convert {value} {from}: the value must be a finite number"
        )));
    }
    let f = parse_unit(from)?;
    let t = parse_unit(to)?;
    to_target(value, f, from.trim(), t, to.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn same_unit_round_trips_exactly() {
        assert_eq!(
            parse_in("7.28 nmol/(1e6 cells*h)", "nmol/(1e6 cells*h)").unwrap(),
            7.28
        );
        assert_eq!(parse_in("0.1 1/d", "1/d").unwrap(), 0.1);
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
    }

    fn check(text: &str, factor: f64, dim: [i8; 5]) {
        let u = parse_unit(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(close(u.factor, factor), "{text}: {} != {factor}", u.factor);
        assert_eq!(u.dim, Dimension(dim), "{text}");
    }

    #[test]
    fn length_atoms() {
        check("m", 1.0, [1, 0, 0, 0, 0]);
        check("mm", 1e-3, [1, 0, 0, 0, 0]);
        check("um", 1e-6, [1, 0, 0, 0, 0]);
        check("µm", 1e-6, [1, 0, 0, 0, 0]);
        check("μm", 1e-6, [1, 0, 0, 0, 0]);
        check("nm", 1e-9, [1, 0, 0, 0, 0]);
        check("cm", 1e-2, [1, 0, 0, 0, 0]);
    }

    #[test]
    fn time_atoms() {
        check("s", 1.0, [0, 1, 0, 0, 0]);
        check("min", 60.0, [0, 1, 0, 0, 0]);
        check("h", 3600.0, [0, 1, 0, 0, 0]);
        check("d", 86400.0, [0, 1, 0, 0, 0]);
        check("wk", 7.0 * 86400.0, [0, 1, 0, 0, 0]);
        check("ms", 1e-3, [0, 1, 0, 0, 0]);
    }

    #[test]
    fn amount_and_concentration_atoms() {
        let molar = [-3, 0, 0, 1, 0];
        check("M", 1000.0, molar);
        check("mM", 1.0, molar);
        check("uM", 1e-3, molar);
        check("µM", 1e-3, molar);
        check("nM", 1e-6, molar);
        check("mol", 1.0, [0, 0, 0, 1, 0]);
        check("mmol", 1e-3, [0, 0, 0, 1, 0]);
        check("umol", 1e-6, [0, 0, 0, 1, 0]);
        check("nmol", 1e-9, [0, 0, 0, 1, 0]);
        check("L", 1e-3, [3, 0, 0, 0, 0]);
        check("mL", 1e-6, [3, 0, 0, 0, 0]);
        // 1 mM = 1 mol/m^3 = 1 nmol/mm^3
        check("nmol/mm^3", 1.0, molar);
    }

    #[test]
    fn pressure_mass_count_atoms() {
        let p = [-1, -2, 1, 0, 0];
        check("Pa", 1.0, p);
        check("kPa", 1e3, p);
        check("MPa", 1e6, p);
        check("mmHg", 133.322387415, p);
        check("atm", 101325.0, p);
        check("g", 1e-3, [0, 0, 1, 0, 0]);
        check("mg", 1e-6, [0, 0, 1, 0, 0]);
        check("ug", 1e-9, [0, 0, 1, 0, 0]);
        check("kg", 1.0, [0, 0, 1, 0, 0]);
        check("cells", 1.0, [0, 0, 0, 0, 1]);
        check("Da", 1e-3, [0, 0, 1, -1, 0]);
        check("kDa", 1.0, [0, 0, 1, -1, 0]);
        // force: 1 N = 1 kg*m/s^2 = 1e5 dyn, so 1 kdyn = 0.01 N
        check("N", 1.0, [1, -2, 1, 0, 0]);
        check("mN", 1e-3, [1, -2, 1, 0, 0]);
        check("dyn", 1e-5, [1, -2, 1, 0, 0]);
        check("kdyn", 1e-2, [1, -2, 1, 0, 0]);
        check("kg*m/s^2", 1.0, [1, -2, 1, 0, 0]);
        assert!((parse_in("50 kdyn", "N").unwrap() - 0.5).abs() < 1e-15);
        assert_eq!(parse_in("50 kdyn", "kdyn").unwrap(), 50.0);
        check("1", 1.0, [0; 5]);
        check("", 1.0, [0; 5]);
        check("-", 1.0, [0; 5]);
        check("%", 0.01, [0; 5]);
    }

    #[test]
    fn compound_units() {
        check("mm^2/s", 1e-6, [2, -1, 0, 0, 0]);
        check("cm^2/s", 1e-4, [2, -1, 0, 0, 0]);
        check("1/s", 1.0, [0, -1, 0, 0, 0]);
        check("1/d", 1.0 / 86400.0, [0, -1, 0, 0, 0]);
        check("s^-1", 1.0, [0, -1, 0, 0, 0]);
        check("s⁻¹", 1.0, [0, -1, 0, 0, 0]);
        check("mm²/s", 1e-6, [2, -1, 0, 0, 0]);
        check("cells/mm^3", 1e9, [-3, 0, 0, 0, 1]);
        check("mM/kPa", 1e-3, [-2, 2, -1, 1, 0]);
        check("1/kPa^2", 1e-6, [2, 4, -2, 0, 0]);
        // nmol/(1e6 cells*h) = 1e-9 / (1e6 * 3600) mol/(cells s)
        check("nmol/(1e6 cells*h)", 1e-9 / 3.6e9, [0, -1, 0, 1, -1]);
        check("nmol/(1e6 cells·h)", 1e-9 / 3.6e9, [0, -1, 0, 1, -1]);
        check("nmol / ( 1e6 cells h )", 1e-9 / 3.6e9, [0, -1, 0, 1, -1]);
        check("kg*m/s^2", 1.0, [1, -2, 1, 0, 0]);
        check("m/s/s", 1.0, [1, -2, 0, 0, 0]);
        check("(mm)^3", 1e-9, [3, 0, 0, 0, 0]);
    }

    #[test]
    fn quantities() {
        let (v, u) = parse_quantity("4.0 mM").unwrap();
        assert_eq!(v, 4.0);
        assert_eq!(u, parse_unit("mM").unwrap());
        let (v, u) = parse_quantity("1.0").unwrap();
        assert_eq!((v, u), (1.0, Unit::ONE));
        let (v, u) = parse_quantity("3.77e-6 1/s").unwrap();
        assert_eq!(v, 3.77e-6);
        assert_eq!(u.dim, Dimension([0, -1, 0, 0, 0]));
        let (v, u) = parse_quantity("-2.5e3mm").unwrap();
        assert_eq!(v, -2500.0);
        assert!(close(u.factor, 1e-3));
        let (v, _) = parse_quantity("5e-3m").unwrap();
        assert_eq!(v, 5e-3);
        let (v, u) = parse_quantity("50 %").unwrap();
        assert_eq!(v, 50.0);
        assert!(close(v * u.factor, 0.5));
    }

    #[test]
    fn listed_examples_convert() {
        let cases: &[(&str, &str, f64)] = &[
            ("4.0 mM", "mM", 4.0),
            ("5.1 kPa", "Pa", 5100.0),
            ("38 mmHg", "kPa", 38.0 * 0.133322387415),
            ("0.25 mm", "um", 250.0),
            ("10 um", "mm", 0.01),
            ("9.17e-4 mm^2/s", "m^2/s", 9.17e-10),
            ("1e-5 cm^2/s", "mm^2/s", 1e-3),
            ("6 h", "s", 21600.0),
            ("30 d", "h", 720.0),
            ("2 wk", "d", 14.0),
            ("3.77e-6 1/s", "1/h", 3.77e-6 * 3600.0),
            ("0.33 1/d", "1/s", 0.33 / 86400.0),
            ("3600 cells/mm^3", "cells/m^3", 3.6e12),
            ("7.28 nmol/(1e6 cells*h)", "mol/(cells*s)", 7.28e-9 / 3.6e9),
            ("0.010268 mM/kPa", "uM/kPa", 10.268),
            ("1.0", "1", 1.0),
            ("25 %", "1", 0.25),
            ("150 kDa", "g/mol", 150_000.0),
        ];
        for &(text, to, want) in cases {
            let got = parse_in(text, to).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(close(got, want), "{text} -> {to}: {got} != {want}");
        }
    }

    #[test]
    fn mmhg_to_kpa() {
        let v = convert(1.0, "mmHg", "kPa").unwrap();
        assert!((v - 0.133322).abs() < 1e-6, "{v}");
        let v = convert(760.0, "mmHg", "atm").unwrap();
        assert!((v - 1.0).abs() < 1e-6, "{v}");
    }

    #[test]
    fn cm2_per_s_to_mm2_per_s() {
        assert!(close(convert(1.0, "cm^2/s", "mm^2/s").unwrap(), 100.0));
    }

    #[test]
    fn day_to_seconds() {
        assert_eq!(convert(1.0, "d", "s").unwrap(), 86_400.0);
        assert_eq!(convert(2.0, "wk", "d").unwrap(), 14.0);
        assert_eq!(convert(24.0, "months", "yr").unwrap(), 2.0);
        assert_eq!(convert(1.0, "y", "d").unwrap(), 365.25);
        assert_eq!(convert(12.0, "mo", "years").unwrap(), 1.0);
    }

    #[test]
    fn round_trips() {
        let pairs = [
            ("mmHg", "kPa"),
            ("cm^2/s", "mm^2/s"),
            ("d", "s"),
            ("nmol/(1e6 cells*h)", "mol/(cells*s)"),
            ("mM", "uM"),
            ("cells/mm^3", "cells/mL"),
        ];
        for (a, b) in pairs {
            for x in [1e-6, 0.37, 4.0, 1234.5] {
                let y = convert(x, a, b).unwrap();
                let back = convert(y, b, a).unwrap();
                assert!(close(back, x), "{a}->{b}->{a}: {x} -> {back}");
            }
        }
    }

    #[test]
    fn wrong_dimension_errors_name_both() {
        let e = parse_in("4.0 mM", "kPa").unwrap_err();
        assert!(e.0.contains("4.0 mM"), "{e}");
        assert!(e.0.contains("kPa"), "{e}");
        assert!(e.0.contains("amount/length^3"), "{e}");
        assert!(e.0.contains("mass/(length*time^2)"), "{e}");
        assert!(convert(1.0, "mm", "s").is_err());
    }

    #[test]
    fn missing_unit() {
        let e = parse_in("4.0", "mM").unwrap_err();
        assert!(e.0.contains("missing unit"), "{e}");
        assert!(e.0.contains("'4.0 mM'"), "{e}");
        assert_eq!(parse_in("0.8", "1").unwrap(), 0.8);
        assert_eq!(parse_in("0.8", "").unwrap(), 0.8);
        assert_eq!(parse_in("0.8", "-").unwrap(), 0.8);
        assert!(parse_in("5", "%").is_err());
    }

    #[test]
    fn garbage_errors() {
        for bad in [
            "nan",
            "NaN mM",
            "inf",
            "-inf kPa",
            "1e999 mM",
            "mM",
            "",
            "4.0 furlong",
            "4.0 mm2",
            "4.0 mm^",
            "4.0 (mm",
            "4.0 mm)",
            "4.0 mm/",
            "4.0 /mm",
            "4.0 mm^99",
            "4.0 nmol/1e6 cells*h",
            "4.0 mm$",
            "4.0 0 mm",
        ] {
            let r = parse_quantity(bad);
            assert!(r.is_err(), "{bad:?} parsed as {r:?}");
            let msg = r.unwrap_err().0;
            assert!(!msg.is_empty());
        }
        let e = parse_unit("furlong").unwrap_err();
        assert!(e.0.contains("furlong") && e.0.contains("allowed"), "{e}");
        assert!(convert(f64::NAN, "mm", "m").is_err());
        assert!(parse_unit("((((((((((((((((((mm))))))))))))))))))").is_err());
    }

    #[test]
    fn dimension_display() {
        assert_eq!(Dimension([2, -1, 0, 0, 0]).to_string(), "length^2/time");
        assert_eq!(Dimension([0, -1, 0, 0, 0]).to_string(), "1/time");
        assert_eq!(Dimension([0; 5]).to_string(), "dimensionless");
        assert_eq!(
            Dimension([0, -1, 0, 1, -1]).to_string(),
            "amount/(time*cells)"
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_unit(&s);
            let _ = parse_quantity(&s);
            let _ = parse_in(&s, "mM");
            let _ = parse_in(&s, "1");
        }

        #[test]
        fn never_panics_unit_alphabet(s in "[0-9a-zA-Zµ%*/^() .e+-]{0,30}") {
            let _ = parse_unit(&s);
            let _ = parse_quantity(&s);
            let _ = convert(1.0, &s, "mm");
        }

        #[test]
        fn quantity_round_trip(v in -1e6f64..1e6) {
            let text = format!("{v:e} mmHg");
            let kpa = parse_in(&text, "kPa").unwrap();
            let back = convert(kpa, "kPa", "mmHg").unwrap();
            prop_assert!((back - v).abs() <= 1e-9 * v.abs().max(1e-300));
        }
    }
}
