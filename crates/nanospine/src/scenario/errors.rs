//! Located scenario errors and their compiler-style rendering.

use std::fmt;

/// Longest offending value shown in a message (characters); longer values are cut with "...".
const MAX_VALUE_CHARS: usize = 60;

/// One located problem in a scenario file (or in a `--set` assignment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted path of the offending key, e.g. `arm[1].parameters."cep.exchange_area"`
    /// (array indices are 0-based); `syntax` for TOML syntax errors, `--set` for command-line
    /// assignments.
    pub key: String,
    /// 1-based line in the file (0 when there is no file position, e.g. `--set`).
    pub line: usize,
    /// 1-based column in characters (0 when there is no file position).
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The offending value as written, if any.
    pub value: Option<String>,
    /// What would have been accepted (values, range with units, keys), if known.
    pub allowed: Option<String>,
    /// The closest accepted key or value, if one is close (rendered as "did you mean").
    pub suggestion: Option<String>,
}

impl ScenarioError {
    /// A new error for `key` without position, value, allowed set or suggestion.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            line: 0,
            column: 0,
            message: message.into(),
            value: None,
            allowed: None,
            suggestion: None,
        }
    }

    /// Sets the offending value (shortened when long).
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(shorten(&value.into()));
        self
    }

    /// Sets the description of what is allowed.
    pub fn with_allowed(mut self, allowed: impl Into<String>) -> Self {
        self.allowed = Some(allowed.into());
        self
    }

    /// Sets the suggestion, if any.
    pub fn with_suggestion(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    /// Renders this error as `file:line:col: key: message (value `v`, allowed a)` plus a `help:`
    /// line for a suggestion. Without a position (line 0) the `file:line:col: ` prefix is omitted.
    pub fn render(&self, file_name: &str) -> String {
        let mut out = String::new();
        if self.line > 0 {
            out.push_str(&format!("{file_name}:{}:{}: ", self.line, self.column));
        }
        out.push_str(&self.to_string());
        out
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)?;
        match (&self.value, &self.allowed) {
            (Some(v), Some(a)) => write!(f, " (value `{v}`, allowed: {a})")?,
            (Some(v), None) => write!(f, " (value `{v}`)")?,
            (None, Some(a)) => write!(f, " (allowed: {a})")?,
            (None, None) => {}
        }
        if let Some(s) = &self.suggestion {
            write!(f, "\n  help: did you mean `{s}`?")?;
        }
        Ok(())
    }
}

/// All problems found in one scenario file, in file order.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl ScenarioErrors {
    /// Renders every error, one per line (plus `help:` lines), prefixed with `file_name:line:col:`.
    pub fn render(&self, file_name: &str) -> String {
        let mut out = String::new();
        for e in &self.0 {
            out.push_str(&e.render(file_name));
            out.push('\n');
        }
        let n = self.0.len();
        out.push_str(&format!(
            "{file_name}: {n} error{}\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }

    /// Number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors.
    pub fn errors(&self) -> &[ScenarioError] {
        &self.0
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if e.line > 0 {
                write!(f, "{}:{}: ", e.line, e.column)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Cuts a value to [`MAX_VALUE_CHARS`] characters.
fn shorten(v: &str) -> String {
    if v.chars().count() <= MAX_VALUE_CHARS {
        v.to_string()
    } else {
        let mut s: String = v.chars().take(MAX_VALUE_CHARS).collect();
        s.push_str("...");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let mut e = ScenarioError::new("scenario.speceis", "unknown key")
            .with_allowed("name, description, species, grade")
            .with_suggestion(Some("species".into()));
        e.line = 3;
        e.column = 1;
        assert_eq!(
            e.render("a.toml"),
            "a.toml:3:1: scenario.speceis: unknown key (allowed: name, description, species, grade)\n  help: did you mean `species`?"
        );
        let errs = ScenarioErrors(vec![e, ScenarioError::new("--set", "bad").with_value("x")]);
        let r = errs.render("a.toml");
        assert!(r.contains("\n--set: bad (value `x`)\n"), "{r}");
        assert!(r.ends_with("a.toml: 2 errors\n"), "{r}");
    }

    #[test]
    fn long_values_are_cut() {
        let e = ScenarioError::new("k", "m").with_value("x".repeat(100));
        assert_eq!(e.value.as_deref().map(str::len), Some(MAX_VALUE_CHARS + 3));
    }
}
