//! Reader for release-data CSV files.
//!
//! Format: UTF-8 text, one header row, then one row per sampling time. The first column is the
//! time (its header may carry a unit: `time_h`, `time (h)`, `time [min]`, `t_d`); every further
//! column is one replicate of the cumulative release in percent of the dose (0-100). Cells are
//! separated by commas (a tab or a semicolon is accepted when the header uses it and has no
//! comma). Blank lines and lines whose first non-blank character is `#` are ignored anywhere.
//!
//! Checks (each error names the file, the line and the column): a header must be present
//! (a first row that starts with a number is rejected); every row has as many cells as the
//! header; every cell is a finite number; times are `>= 0` and strictly increasing; percentages
//! lie in `[-PERCENT_TOLERANCE, 100 + PERCENT_TOLERANCE]`; at least one data row.

use super::FitError;

/// How far (percentage points) a measured value may lie outside 0-100 % before it is rejected
/// as a unit or typing error (assay noise near 0 % and 100 % gives small excursions).
/// Assumption: 5 percentage points, wider than typical UV-assay error (1-3 %) but narrower than
/// any plausible mistake such as fractions typed as percent.
pub const PERCENT_TOLERANCE: f64 = 5.0;

/// A release profile: sampling times and one or more replicate columns of cumulative release.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseData {
    /// Where the data came from (file name), used in messages.
    pub source: String,
    /// The time column's header as written, e.g. `time_h`.
    pub time_header: String,
    /// Time unit parsed from the header (`h` from `time_h` or `time (h)`), if any.
    pub time_unit: Option<String>,
    /// Sampling times, in the file's time unit, strictly increasing, `>= 0`.
    pub time: Vec<f64>,
    /// Replicate column headers.
    pub columns: Vec<String>,
    /// `values[c][i]`: cumulative release (% of dose) of replicate `c` at `time[i]`.
    pub values: Vec<Vec<f64>>,
    /// 1-based line number in the file of each data row (for messages).
    pub lines: Vec<usize>,
}

/// Splits a header text such as `time_h`, `time (h)`, `Time [min]` into its unit (`h`, `min`).
/// Returns `None` when no unit can be recognised (e.g. `time`, `t`).
pub fn unit_from_header(h: &str) -> Option<String> {
    let h = h.trim();
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let (Some(a), Some(b)) = (h.find(open), h.rfind(close)) {
            if b > a + 1 {
                let u = h[a + 1..b].trim();
                if !u.is_empty() {
                    return Some(u.to_string());
                }
            }
        }
    }
    if let Some(pos) = h.rfind('_') {
        let u = h[pos + 1..].trim();
        if !u.is_empty() && u.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(u.to_string());
        }
    }
    None
}

fn strip_quotes(s: &str) -> &str {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        s[1..s.len() - 1].trim()
    } else {
        s
    }
}

impl ReleaseData {
    /// Parses CSV text (see the module documentation); `source` names the file in errors.
    pub fn parse(text: &str, source: &str) -> Result<ReleaseData, FitError> {
        let err =
            |line: usize, msg: String| FitError::Data(format!("{source}: line {line}: {msg}"));
        let mut header: Option<(Vec<String>, char)> = None;
        let mut time = vec![];
        let mut lines = vec![];
        let mut cols: Vec<Vec<f64>> = vec![];
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = if i == 0 {
                raw.trim_start_matches('\u{feff}')
            } else {
                raw
            };
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let Some((names, delim)) = &header else {
                let delim = if trimmed.contains(',') {
                    ','
                } else if trimmed.contains('\t') {
                    '\t'
                } else if trimmed.contains(';') {
                    ';'
                } else {
                    ','
                };
                let names: Vec<String> = trimmed
                    .split(delim)
                    .map(|c| strip_quotes(c).to_string())
                    .collect();
                if names[0].parse::<f64>().is_ok() {
                    return Err(err(
                        line_no,
                        format!(
                            "missing header row: the first row starts with the number `{}`; \
                             the first row must name the columns, e.g. `time_h,rep1,rep2`",
                            names[0]
                        ),
                    ));
                }
                if names.len() < 2 {
                    return Err(err(
                        line_no,
                        format!(
                            "header `{trimmed}` has {} column; need a time column and at least \
                             one release column (% of dose), e.g. `time_h,rep1`",
                            names.len()
                        ),
                    ));
                }
                for (c, n) in names.iter().enumerate() {
                    if n.is_empty() {
                        return Err(err(
                            line_no,
                            format!(
                                "header column {} is empty; every column needs a name",
                                c + 1
                            ),
                        ));
                    }
                }
                cols = vec![vec![]; names.len() - 1];
                header = Some((names, delim));
                continue;
            };
            let cells: Vec<&str> = trimmed.split(*delim).map(strip_quotes).collect();
            if cells.len() != names.len() {
                return Err(err(
                    line_no,
                    format!(
                        "{} cells, but the header has {} columns ({})",
                        cells.len(),
                        names.len(),
                        names.join(", ")
                    ),
                ));
            }
            let mut row = Vec::with_capacity(cells.len());
            for (c, cell) in cells.iter().enumerate() {
                let what = format!("column {} (`{}`)", c + 1, names[c]);
                if cell.is_empty() {
                    return Err(err(
                        line_no,
                        format!(
                            "{what} is empty; missing values are not supported (remove the row \
                             or the replicate column)"
                        ),
                    ));
                }
                let v: f64 = cell
                    .parse()
                    .map_err(|_| err(line_no, format!("{what}: `{cell}` is not a number")))?;
                if !v.is_finite() {
                    return Err(err(
                        line_no,
                        format!("{what}: `{cell}` is not a finite number"),
                    ));
                }
                row.push(v);
            }
            let t = row[0];
            if t < 0.0 {
                return Err(err(
                    line_no,
                    format!(
                        "column 1 (`{}`): time {t} is negative; times must be >= 0",
                        names[0]
                    ),
                ));
            }
            if let (Some(&prev), Some(&prev_line)) = (time.last(), lines.last()) {
                if t <= prev {
                    return Err(err(
                        line_no,
                        format!(
                            "column 1 (`{}`): time {t} is not greater than {prev} on line \
                             {prev_line}; times must be strictly increasing",
                            names[0]
                        ),
                    ));
                }
            }
            for (c, &v) in row.iter().enumerate().skip(1) {
                if !(-PERCENT_TOLERANCE..=100.0 + PERCENT_TOLERANCE).contains(&v) {
                    return Err(err(
                        line_no,
                        format!(
                            "column {} (`{}`): {v} % is outside the allowed range [{}, {}] \
                             (cumulative release in percent of the dose; fractions must be \
                             multiplied by 100)",
                            c + 1,
                            names[c],
                            -PERCENT_TOLERANCE,
                            100.0 + PERCENT_TOLERANCE
                        ),
                    ));
                }
                cols[c - 1].push(v);
            }
            time.push(t);
            lines.push(line_no);
        }
        let Some((names, _)) = header else {
            return Err(FitError::Data(format!(
                "{source}: no header row and no data (the file is empty or all comments)"
            )));
        };
        if time.is_empty() {
            return Err(FitError::Data(format!(
                "{source}: header `{}` but no data rows",
                names.join(",")
            )));
        }
        Ok(ReleaseData {
            source: source.to_string(),
            time_unit: unit_from_header(&names[0]),
            time_header: names[0].clone(),
            time,
            columns: names[1..].to_vec(),
            values: cols,
            lines,
        })
    }

    /// Reads and parses a CSV file; errors name the path.
    pub fn from_path(path: &std::path::Path) -> Result<ReleaseData, FitError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| FitError::Io(format!("{}: {e}", path.display())))?;
        ReleaseData::parse(&text, &path.display().to_string())
    }

    /// A data set from arrays (single or several replicates), e.g. for synthetic profiles.
    /// Performs the same checks as [`ReleaseData::parse`].
    pub fn from_columns(
        time_header: &str,
        time: &[f64],
        replicates: &[Vec<f64>],
    ) -> Result<ReleaseData, FitError> {
        let mut text = String::from(time_header);
        for c in 0..replicates.len() {
            text.push_str(&format!(",rep{}", c + 1));
        }
        text.push('\n');
        for (i, t) in time.iter().enumerate() {
            text.push_str(&format!("{t:?}"));
            for r in replicates {
                let v = r.get(i).copied().unwrap_or(f64::NAN);
                text.push_str(&format!(",{v:?}"));
            }
            text.push('\n');
        }
        ReleaseData::parse(&text, "<data>")
    }

    /// Checks the invariants that [`ReleaseData::parse`] guarantees, for data built field by
    /// field: at least one time and one replicate column, every column (and `lines`) as long
    /// as `time`, finite values, times `>= 0` and strictly increasing.
    pub fn check(&self) -> Result<(), FitError> {
        let bad = |m: String| Err(FitError::Data(format!("{}: {m}", self.source)));
        let n = self.time.len();
        if n == 0 || self.values.is_empty() {
            return bad(format!(
                "{n} time points and {} replicate columns; need at least one of each",
                self.values.len()
            ));
        }
        if self.lines.len() != n || self.columns.len() != self.values.len() {
            return bad(format!(
                "{} line numbers and {} column names for {n} times and {} columns",
                self.lines.len(),
                self.columns.len(),
                self.values.len()
            ));
        }
        for (c, col) in self.values.iter().enumerate() {
            if col.len() != n {
                return bad(format!(
                    "replicate column {} has {} values for {n} times",
                    c + 1,
                    col.len()
                ));
            }
            if let Some(v) = col.iter().find(|v| !v.is_finite()) {
                return bad(format!("replicate column {} holds {v}", c + 1));
            }
        }
        for (i, w) in self.time.windows(2).enumerate() {
            if w[1] <= w[0] || w[0].is_nan() || w[1].is_nan() {
                return bad(format!(
                    "times {} and {} (rows {} and {}) are not strictly increasing",
                    w[0],
                    w[1],
                    i + 1,
                    i + 2
                ));
            }
        }
        if !(self.time[0] >= 0.0 && self.time[n - 1].is_finite()) {
            return bad(format!(
                "times must be finite and >= 0, got {}",
                self.time[0]
            ));
        }
        Ok(())
    }

    /// Number of sampling times.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// True when there are no sampling times (never for parsed data).
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Number of replicate columns.
    pub fn replicates(&self) -> usize {
        self.values.len()
    }

    /// Mean release (% of dose) over replicates at each time.
    pub fn mean(&self) -> Vec<f64> {
        mean_of(&self.values, self.time.len())
    }

    /// Sample standard deviation (n - 1 denominator, % of dose) over replicates at each time;
    /// all zeros with a single replicate.
    pub fn sd(&self) -> Vec<f64> {
        sd_of(&self.values, self.time.len())
    }

    /// The last sampling time (in the file's time unit).
    pub fn last_time(&self) -> f64 {
        self.time.last().copied().unwrap_or(0.0)
    }

    /// Axis label for the time, e.g. `time (h)` (or the header as written when no unit).
    pub fn time_label(&self) -> String {
        match &self.time_unit {
            Some(u) => format!("time ({u})"),
            None => self.time_header.clone(),
        }
    }
}

/// Column-wise mean of `cols[c][i]` for `i < n`.
pub(crate) fn mean_of(cols: &[Vec<f64>], n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| {
            cols.iter()
                .map(|c| c.get(i).copied().unwrap_or(f64::NAN))
                .sum::<f64>()
                / cols.len().max(1) as f64
        })
        .collect()
}

/// Column-wise sample SD (n - 1) of `cols[c][i]`; zeros for a single column.
pub(crate) fn sd_of(cols: &[Vec<f64>], n: usize) -> Vec<f64> {
    let m = mean_of(cols, n);
    let k = cols.len();
    (0..n)
        .map(|i| {
            if k < 2 {
                0.0
            } else {
                let ss: f64 = cols
                    .iter()
                    .map(|c| (c.get(i).copied().unwrap_or(f64::NAN) - m[i]).powi(2))
                    .sum();
                (ss / (k - 1) as f64).sqrt()
            }
        })
        .collect()
}
