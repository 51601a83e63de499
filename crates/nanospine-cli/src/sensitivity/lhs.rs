//! Output of a Latin hypercube study: `uncertainty.csv`, `uncertainty_samples.csv`,
//! `uncertainty.json`, `uncertainty.svg`, `checks.csv` and the printed table.

use super::header;
use anyhow::Context;
use nanospine::io::csv::{write_csv, CsvCell, CsvTable};
use nanospine::io::plot::{write_svg, Panel, Series};
use nanospine::sensitivity::checks::CheckPassRate;
use nanospine::sensitivity::sample::SampleResult;
use std::path::Path;

pub(crate) fn write_lhs(out: &Path, r: &SampleResult, wanted: &[String]) -> anyhow::Result<()> {
    let band_cells = |b: Option<&nanospine::sensitivity::sample::Band>| -> Vec<CsvCell> {
        match b {
            Some(b) => vec![
                CsvCell::Num(b.baseline),
                CsvCell::Num(b.p05),
                CsvCell::Num(b.p50),
                CsvCell::Num(b.p95),
            ],
            None => vec![CsvCell::Text(String::new()); 4],
        }
    };
    let rows = r
        .bands
        .iter()
        .map(|b| {
            let mut row = vec![
                CsvCell::Text(b.arm.clone()),
                CsvCell::Text(b.role.clone()),
                CsvCell::Num(b.day),
                CsvCell::Text(b.readout.clone()),
                CsvCell::Text(b.unit.clone()),
                CsvCell::Num(b.value.n as f64),
            ];
            row.extend(band_cells(Some(&b.value)));
            row.extend(band_cells(b.effect.as_ref()));
            row
        })
        .collect();
    let table = CsvTable {
        header: header(&[
            "arm",
            "role",
            "day",
            "readout",
            "unit",
            "n",
            "baseline",
            "p05",
            "p50",
            "p95",
            "effect_baseline",
            "effect_p05",
            "effect_p50",
            "effect_p95",
        ]),
        rows,
    };
    let csv = out.join("uncertainty.csv");
    write_csv(&csv, &table).with_context(|| format!("writing {}", csv.display()))?;
    let mut h = vec!["sample".to_string(), "status".to_string()];
    h.extend(
        r.selection
            .varied
            .iter()
            .map(|v| format!("{} ({})", v.name, v.unit)),
    );
    h.push("error".into());
    let rows = r
        .samples
        .iter()
        .map(|s| {
            let mut row = vec![
                CsvCell::Num(s.id as f64),
                CsvCell::Text(if s.error.is_some() { "failed" } else { "ok" }.into()),
            ];
            row.extend(s.values.iter().map(|&v| CsvCell::Num(v)));
            row.push(CsvCell::Text(s.error.clone().unwrap_or_default()));
            row
        })
        .collect();
    let samples = out.join("uncertainty_samples.csv");
    write_csv(&samples, &CsvTable { header: h, rows })
        .with_context(|| format!("writing {}", samples.display()))?;
    super::write_text(out, "uncertainty.json", serde_json::to_string_pretty(r)?)?;
    // one panel per wanted read-out over time: median and the 5-95 % band of every arm
    let mut panels = vec![];
    for ro in wanted {
        let mut series = vec![];
        let mut arms: Vec<&str> = vec![];
        for b in r.bands.iter().filter(|b| &b.readout == ro) {
            if !arms.contains(&b.arm.as_str()) {
                arms.push(&b.arm);
            }
        }
        let mut unit = String::new();
        for arm in arms {
            let pts: Vec<_> = r
                .bands
                .iter()
                .filter(|b| &b.readout == ro && b.arm == arm)
                .collect();
            unit = pts.first().map(|b| b.unit.clone()).unwrap_or_default();
            let x: Vec<f64> = pts.iter().map(|b| b.day).collect();
            for (label, f) in [
                (
                    "median",
                    (|b: &nanospine::sensitivity::sample::Band| b.p50) as fn(&_) -> f64,
                ),
                ("5th percentile", |b| b.p05),
                ("95th percentile", |b| b.p95),
            ] {
                series.push(Series {
                    name: format!("{arm} {label}"),
                    x: x.clone(),
                    y: pts.iter().map(|b| f(&b.value)).collect(),
                });
            }
        }
        if !series.is_empty() {
            panels.push(Panel {
                title: format!("{ro}: {} samples", r.samples.len() - r.failures()),
                x_label: "time (days)".into(),
                y_label: format!("{ro} ({unit})"),
                series,
                hlines: vec![],
            });
        }
    }
    if !panels.is_empty() {
        let cols = panels.len().min(2);
        let rows = panels.len().div_ceil(cols) as u32;
        write_svg(
            &out.join("uncertainty.svg"),
            &panels,
            cols,
            600 * cols as u32,
            460 * rows,
        )?;
    }
    Ok(())
}

pub(crate) fn print_lhs(r: &SampleResult, wanted: &[String], day: f64) {
    println!(
        "{} samples ({} failed), seed {}; 5th / 50th / 95th percentiles at day {day:.0}",
        r.samples.len(),
        r.failures(),
        r.seed
    );
    println!(
        "  {:<22} {:<30} {:>11} {:>11} {:>11} {:>11}   effect p05 / p50 / p95",
        "arm", "read-out", "baseline", "p05", "p50", "p95"
    );
    for b in r
        .bands
        .iter()
        .filter(|b| (b.day - day).abs() < 1e-6 && wanted.contains(&b.readout))
    {
        let eff = b.effect.map_or(String::new(), |e| {
            format!("{:.4} / {:.4} / {:.4}", e.p05, e.p50, e.p95)
        });
        println!(
            "  {:<22} {:<30} {:>11.4} {:>11.4} {:>11.4} {:>11.4}   {eff}",
            b.arm,
            format!("{} ({})", b.readout, b.unit),
            b.value.baseline,
            b.value.p05,
            b.value.p50,
            b.value.p95
        );
    }
}

pub(crate) fn write_pass_rates(out: &Path, rates: &[CheckPassRate]) -> anyhow::Result<()> {
    if rates.is_empty() {
        return Ok(());
    }
    let rows = rates
        .iter()
        .map(|c| {
            vec![
                CsvCell::Text(c.name.clone()),
                CsvCell::Text(c.threshold.clone()),
                CsvCell::Text(c.baseline_passed.to_string()),
                CsvCell::Num(c.baseline_value),
                CsvCell::Num(c.passed as f64),
                CsvCell::Num(c.samples as f64),
                CsvCell::Num(c.fraction()),
            ]
        })
        .collect();
    let table = CsvTable {
        header: header(&[
            "check",
            "threshold",
            "baseline_passed",
            "baseline_value",
            "passed_samples",
            "samples",
            "pass_fraction",
        ]),
        rows,
    };
    let path = out.join("checks.csv");
    write_csv(&path, &table).with_context(|| format!("writing {}", path.display()))
}

/// Prints each study check's baseline outcome and its pass rate over the samples.
pub(crate) fn print_pass_rates(rates: &[CheckPassRate]) {
    for c in rates {
        println!(
            "  [{}] {}  {}: passes in {} of {} samples ({:.0} %)",
            nanospine::validate::studies::outcome_label(&c.name, c.baseline_passed),
            c.name,
            c.threshold,
            c.passed,
            c.samples,
            100.0 * c.fraction()
        );
    }
}
