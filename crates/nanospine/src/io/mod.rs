//! Output writers: VTK images for ParaView ([`vtk`]), CSV tables for spreadsheets and pandas
//! ([`csv`]), SVG figures for papers ([`plot`]) and crash-safe output directories ([`outdir`]).
//!
//! Every writer produces deterministic bytes for the same input (no time stamps, no hash-map
//! ordering), so two runs of the same scenario can be compared with `diff`. Writers check their
//! input before touching the file system and return errors that name the file and the offending
//! field. Lengths in these files are millimetres (mm) and times are as documented per writer.

pub mod csv;
pub mod outdir;
pub mod plot;
pub mod tornado;
pub mod vtk;

use std::path::Path;

/// Wraps an I/O error so that its message names the file involved.
pub(crate) fn with_path(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// An `InvalidInput` error naming the file and what is wrong with the data.
pub(crate) fn invalid(path: &Path, msg: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{}: {msg}", path.display()),
    )
}

/// Writes `bytes` to `path` (created or truncated); errors name the path.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes).map_err(|e| with_path(path, e))
}

/// Escapes a string for use inside a double-quoted XML attribute or as XML text.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// Shortest decimal text that parses back to exactly `x` (round-trip), in plain notation for
/// magnitudes in `[1e-4, 1e16)` and zero, otherwise in exponent notation (`1.5e-7`).
/// Non-finite values print as `NaN`, `inf`, `-inf`.
pub(crate) fn fmt_f64(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if x == 0.0 || (1e-4..1e16).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f64_text_round_trips_and_uses_exponent_for_extremes() {
        for x in [
            0.1,
            1.0 / 3.0,
            2.5e-7,
            6.02214076e23,
            -1.0e-300,
            123456.789,
            0.0,
        ] {
            let s = fmt_f64(x);
            assert_eq!(s.parse::<f64>().ok(), Some(x), "{s}");
        }
        assert_eq!(fmt_f64(0.5), "0.5");
        assert_eq!(fmt_f64(2.0), "2");
        assert_eq!(fmt_f64(2.5e-7), "2.5e-7");
        assert_eq!(fmt_f64(1e20), "1e20");
        assert_eq!(fmt_f64(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn xml_escape_covers_markup() {
        assert_eq!(
            xml_escape(r#"a<b&"c">'"#),
            "a&lt;b&amp;&quot;c&quot;&gt;&apos;"
        );
    }
}
