//! Outputs of a fit: terminal table, `fit.json`, `fit.csv` and `fit.svg`.
//!
//! - `fit.json`: the whole [`super::FitReport`] (data summary, options, ranked models, skipped models).
//! - `fit.csv`: one row per model and parameter (tidy/long format for pandas, Prism, Excel):
//!   `rank, model, label, n, p, dof, r2, r2_adj, aic, aicc, bic, msc, rmse, t25_<unit> ...
//!   t90_<unit>, param, unit, value, se, ci95_lo, ci95_hi, at_bound`; model-level columns
//!   repeat on each parameter row; empty cells are null values.
//! - `fit.svg`: top panel, the `top` best models' curves and the data (mean, and mean +/- SD
//!   with replicates; drawn as lines, the plot module has no markers); bottom panel, residuals
//!   (observed mean - fitted) of those models, in the same colours.

use super::{FitReport, ModelFit, ReleaseData};
use crate::io::csv::{write_csv, CsvCell, CsvTable};
use crate::io::plot::{write_svg, Panel, Series};
use std::path::{Path, PathBuf};

fn opt(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) => format!("{v:.digits$}"),
        None => "-".into(),
    }
}

/// Compact number with 4 significant digits.
fn sig(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if (1e-3..1e5).contains(&a) {
        let d = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
        format!("{x:.d$}")
    } else {
        format!("{x:.3e}")
    }
}

/// The ranked models as a text table (one line per model, parameters as `name=value±SE`).
pub fn table(report: &FitReport) -> String {
    let unit = report.time_unit.clone().unwrap_or_else(|| "T".into());
    let mut s = format!(
        "{}: {} time points, {} replicate column(s), {}{}\n",
        report.source,
        report.n_times,
        report.replicates,
        match report.mode {
            super::ReplicateMode::Mean if report.weighted => format!(
                "mean profile weighted by 1/SD^2 (SD floor {} %)",
                report.sd_floor
            ),
            super::ReplicateMode::Mean => "mean profile, unweighted".to_string(),
            super::ReplicateMode::Pooled => "all replicate points, unweighted".to_string(),
        },
        if report.window == super::PercentWindow::ALL {
            String::new()
        } else {
            format!(", window [{}, {}] %", report.window.min, report.window.max)
        }
    );
    s.push_str(&format!(
        "{:>4}  {:<24} {:>3} {:>8} {:>8} {:>9} {:>8} {:>9}  {}\n",
        "rank",
        "model",
        "n",
        "R2",
        "R2adj",
        "AICc",
        "RMSE",
        format!("T50 ({unit})"),
        "parameters (value ± SE)"
    ));
    for m in &report.models {
        let params: Vec<String> = m
            .params
            .iter()
            .map(|p| match p.se {
                Some(se) => format!("{}={}±{}", p.name, sig(p.value), sig(se)),
                None if p.at_bound => format!("{}={} (bound)", p.name, sig(p.value)),
                None => format!("{}={}", p.name, sig(p.value)),
            })
            .collect();
        s.push_str(&format!(
            "{:>4}{} {:<24} {:>3} {:>8} {:>8} {:>9} {:>8} {:>9}  {}\n",
            m.rank,
            if m.comparable { " " } else { "*" },
            m.name,
            m.n,
            opt(m.r2, 5),
            opt(m.r2_adj, 5),
            opt(m.aicc, 3),
            opt(m.rmse, 3),
            m.t50.map(sig).unwrap_or_else(|| "-".into()),
            params.join("  ")
        ));
    }
    if report.models.iter().any(|m| !m.comparable) {
        s.push_str(
            "  * fitted to a different point set (model window): AICc not comparable, ranked \
             after the others\n",
        );
    }
    for k in &report.skipped {
        s.push_str(&format!("  skipped {}: {}\n", k.name, k.reason));
    }
    s
}

/// `{"models": [...]}`: the ranked models only (what `nanospine fit --json` prints).
pub fn models_json(report: &FitReport) -> Result<String, serde_json::Error> {
    #[derive(serde::Serialize)]
    struct Models<'a> {
        models: &'a [ModelFit],
    }
    serde_json::to_string_pretty(&Models {
        models: &report.models,
    })
}

/// The `fit.csv` table (see the module documentation).
pub fn csv_table(report: &FitReport) -> CsvTable {
    let u = report.time_unit.clone().unwrap_or_else(|| "T".into());
    let mut header: Vec<String> = [
        "rank", "model", "label", "n", "p", "dof", "r2", "r2_adj", "aic", "aicc", "bic", "msc",
        "rmse",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for l in ["t25", "t50", "t80", "t90"] {
        header.push(format!("{l}_{u}"));
    }
    for h in [
        "param", "unit", "value", "se", "ci95_lo", "ci95_hi", "at_bound",
    ] {
        header.push(h.into());
    }
    let num = |x: Option<f64>| CsvCell::Num(x.unwrap_or(f64::NAN));
    let mut rows = vec![];
    for m in &report.models {
        for p in &m.params {
            let row: Vec<CsvCell> = vec![
                (m.rank as i64).into(),
                m.name.clone().into(),
                m.label.clone().into(),
                (m.n as i64).into(),
                (m.p as i64).into(),
                (m.dof as i64).into(),
                num(m.r2),
                num(m.r2_adj),
                num(m.aic),
                num(m.aicc),
                num(m.bic),
                num(m.msc),
                num(m.rmse),
                num(m.t25),
                num(m.t50),
                num(m.t80),
                num(m.t90),
                p.name.clone().into(),
                p.unit.clone().into(),
                p.value.into(),
                num(p.se),
                num(p.ci95.map(|c| c[0])),
                num(p.ci95.map(|c| c[1])),
                (if p.at_bound { "true" } else { "false" }).into(),
            ];
            rows.push(row);
        }
    }
    CsvTable { header, rows }
}

/// The two panels of `fit.svg` (data with the `top` best curves; residuals).
pub fn panels(data: &ReleaseData, report: &FitReport, top: usize) -> Vec<Panel> {
    let mean = data.mean();
    let sd = data.sd();
    let t_last = data.last_time();
    let tl = data.time_label();
    // Model curves first, so that model i has the same colour in both panels.
    let mut series = vec![];
    let mut resid = vec![];
    let grid: Vec<f64> = (0..=200).map(|k| t_last * k as f64 / 200.0).collect();
    for m in report.models.iter().take(top) {
        let Some(model) = crate::release::by_name(&m.name) else {
            continue;
        };
        let v = m.values();
        series.push(Series {
            name: format!("#{} {} (AICc {})", m.rank, m.label, opt(m.aicc, 2)),
            x: grid.clone(),
            y: grid.iter().map(|&t| model.eval(t, &v)).collect(),
        });
        resid.push(Series {
            name: format!("#{} {}", m.rank, m.label),
            x: data.time.clone(),
            y: data
                .time
                .iter()
                .zip(&mean)
                .map(|(&t, &y)| y - model.eval(t, &v))
                .collect(),
        });
    }
    series.push(Series {
        name: format!("data mean ({} replicate(s))", data.replicates()),
        x: data.time.clone(),
        y: mean.clone(),
    });
    if data.replicates() >= 2 {
        series.push(Series {
            name: "data mean + SD".into(),
            x: data.time.clone(),
            y: mean.iter().zip(&sd).map(|(m, s)| m + s).collect(),
        });
        series.push(Series {
            name: "data mean - SD".into(),
            x: data.time.clone(),
            y: mean.iter().zip(&sd).map(|(m, s)| m - s).collect(),
        });
    }
    vec![
        Panel {
            title: format!(
                "Release data and the {} best models (AICc)",
                top.min(report.models.len())
            ),
            x_label: tl.clone(),
            y_label: "cumulative release (% of dose)".into(),
            series,
            hlines: vec![],
        },
        Panel {
            title: "Residuals (observed mean - fitted)".into(),
            x_label: tl,
            y_label: "residual (% of dose)".into(),
            series: resid,
            hlines: vec![("zero".into(), 0.0)],
        },
    ]
}

/// Writes `fit.json`, `fit.csv` and `fit.svg` into the existing directory `dir`; returns the
/// paths written. Errors name the file.
pub fn write_outputs(
    dir: &Path,
    data: &ReleaseData,
    report: &FitReport,
    top: usize,
) -> Result<Vec<PathBuf>, super::FitError> {
    let io = |e: String| super::FitError::Io(e);
    let json = dir.join("fit.json");
    let text =
        serde_json::to_string_pretty(report).map_err(|e| io(format!("{}: {e}", json.display())))?;
    std::fs::write(&json, text + "\n").map_err(|e| io(format!("{}: {e}", json.display())))?;
    let csv = dir.join("fit.csv");
    write_csv(&csv, &csv_table(report)).map_err(|e| io(e.to_string()))?;
    let svg = dir.join("fit.svg");
    write_svg(&svg, &panels(data, report, top), 1, 900, 1000).map_err(|e| io(e.to_string()))?;
    Ok(vec![json, csv, svg])
}
