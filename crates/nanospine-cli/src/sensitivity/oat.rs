//! Output of a one-at-a-time study: `sensitivity.csv`, `sensitivity.json`, `tornado.svg`,
//! `checks.csv` and the printed tables.

use super::{header, opt};
use anyhow::Context;
use nanospine::io::csv::{write_csv, CsvCell, CsvTable};
use nanospine::io::tornado::{self, TornadoPanel};
use nanospine::sensitivity::checks::CheckRobustness;
use nanospine::sensitivity::oat::OatResult;
use std::path::Path;

pub(crate) fn write_oat(
    out: &Path,
    r: &OatResult,
    wanted: &[String],
    day: f64,
) -> anyhow::Result<()> {
    let rows = r
        .rows
        .iter()
        .map(|x| {
            vec![
                CsvCell::Text(x.parameter.clone()),
                CsvCell::Text(x.unit.clone()),
                CsvCell::Text(x.level.to_string()),
                CsvCell::Num(x.value),
                CsvCell::Text(x.arm.clone()),
                CsvCell::Text(x.role.clone()),
                CsvCell::Num(x.day),
                CsvCell::Text(x.readout.clone()),
                CsvCell::Text(x.readout_unit.clone()),
                CsvCell::Num(x.baseline),
                CsvCell::Num(x.perturbed),
                opt(x.effect_baseline),
                opt(x.effect_perturbed),
            ]
        })
        .collect();
    let table = CsvTable {
        header: header(&[
            "parameter",
            "parameter_unit",
            "level",
            "parameter_value",
            "arm",
            "role",
            "day",
            "readout",
            "unit",
            "baseline",
            "perturbed",
            "effect_baseline",
            "effect_perturbed",
        ]),
        rows,
    };
    let csv = out.join("sensitivity.csv");
    write_csv(&csv, &table).with_context(|| format!("writing {}", csv.display()))?;
    super::write_text(
        out,
        "sensitivity.json",
        serde_json::to_string_pretty(&r.summary())?,
    )?;
    // tornado of every wanted read-out at `day`: the effect for each compared arm, the value
    // for the reference arm
    let mut arms: Vec<(String, bool)> = vec![];
    for x in &r.rows {
        if !arms.iter().any(|a| a.0 == x.arm) {
            arms.push((x.arm.clone(), x.effect_baseline.is_some()));
        }
    }
    let mut panels = vec![];
    for ro in wanted {
        for (arm, of_effect) in &arms {
            if r.reference.is_some() && !of_effect {
                continue; // the reference arm's own value is in the CSV
            }
            let (base, bars) = r.tornado(arm, ro, day, *of_effect);
            if bars.is_empty() || !base.is_finite() {
                continue;
            }
            let unit = r
                .rows
                .iter()
                .find(|x| &x.readout == ro)
                .map(|x| x.readout_unit.clone())
                .unwrap_or_default();
            let (title, x_label) = match (&r.reference, of_effect) {
                (Some(refn), true) => (
                    format!("{arm}: effect on {ro} at day {day:.0}"),
                    format!("{ro}, {arm} minus {refn} ({unit})"),
                ),
                _ => (
                    format!("{arm}: {ro} at day {day:.0}"),
                    format!("{ro} ({unit})"),
                ),
            };
            panels.push(TornadoPanel {
                title,
                x_label,
                baseline: base,
                bars: bars
                    .iter()
                    .map(|b| (b.parameter.clone(), b.at_low, b.at_high))
                    .collect(),
            });
        }
    }
    if !panels.is_empty() {
        tornado::write_svg(&out.join("tornado.svg"), &panels, 900)?;
    }
    Ok(())
}

pub(crate) fn print_oat(r: &OatResult, wanted: &[String], day: f64) {
    let mut arms: Vec<String> = vec![];
    for x in &r.rows {
        if !arms.contains(&x.arm) {
            arms.push(x.arm.clone());
        }
    }
    for arm in &arms {
        let of_effect = r
            .rows
            .iter()
            .any(|x| &x.arm == arm && x.effect_baseline.is_some());
        let what = match (&r.reference, of_effect) {
            (Some(refn), true) => format!("effect vs {refn}"),
            _ => "value".to_string(),
        };
        println!("{arm}, day {day:.0}, {what}:");
        for ro in wanted {
            let (base, bars) = r.tornado(arm, ro, day, of_effect);
            if bars.is_empty() {
                continue;
            }
            println!("  {ro}: baseline {base:.4}");
            for b in bars.iter().take(10) {
                println!(
                    "    {:<45} low {:>12.4}  high {:>12.4}  swing {:>10.4}",
                    b.parameter, b.at_low, b.at_high, b.swing
                );
            }
        }
    }
}

pub(crate) fn write_robustness(out: &Path, robust: &[CheckRobustness]) -> anyhow::Result<()> {
    if robust.is_empty() {
        return Ok(());
    }
    let mut rows = vec![];
    for c in robust {
        rows.push(vec![
            CsvCell::Text(c.name.clone()),
            CsvCell::Text(c.threshold.clone()),
            CsvCell::Text(String::new()),
            CsvCell::Text("baseline".into()),
            CsvCell::Text(String::new()),
            CsvCell::Text(c.baseline_passed.to_string()),
            CsvCell::Num(c.baseline_value),
        ]);
        for r in &c.runs {
            rows.push(vec![
                CsvCell::Text(c.name.clone()),
                CsvCell::Text(r.threshold.clone()),
                CsvCell::Text(r.parameter.clone()),
                CsvCell::Text(r.level.to_string()),
                CsvCell::Num(r.parameter_value),
                CsvCell::Text(r.passed.to_string()),
                CsvCell::Num(r.value),
            ]);
        }
    }
    let table = CsvTable {
        header: header(&[
            "check",
            "threshold",
            "parameter",
            "level",
            "parameter_value",
            "passed",
            "value",
        ]),
        rows,
    };
    let path = out.join("checks.csv");
    write_csv(&path, &table).with_context(|| format!("writing {}", path.display()))
}

pub(crate) fn print_robustness(robust: &[CheckRobustness]) {
    if robust.is_empty() {
        return;
    }
    println!("study checks (baseline, and the range ends that change the outcome):");
    for c in robust {
        let flips: Vec<String> = c
            .flips()
            .map(|r| {
                format!(
                    "{} {} ({}: {:.4})",
                    r.parameter,
                    r.level,
                    if r.passed { "passes" } else { "fails" },
                    r.value
                )
            })
            .collect();
        println!(
            "  [{}] {}  {}: {:.4}{}",
            nanospine::validate::studies::outcome_label(&c.name, c.baseline_passed),
            c.name,
            c.threshold,
            c.baseline_value,
            if flips.is_empty() {
                "; no single range end changes it".to_string()
            } else {
                format!("; changed by {}", flips.join(", "))
            }
        );
    }
}
