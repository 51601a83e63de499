//! Output of a Sobol study: `sobol.csv`, `sobol.json` and the printed table.

use super::header;
use anyhow::Context;
use nanospine::io::csv::{write_csv, CsvCell, CsvTable};
use nanospine::sensitivity::sobol::SobolResult;
use std::path::Path;

/// Writes `sobol.csv` (one row per arm, day, read-out, quantity and parameter) and `sobol.json`.
pub(crate) fn write_sobol(out: &Path, r: &SobolResult) -> anyhow::Result<()> {
    let mut rows = vec![];
    for row in &r.rows {
        for (v, k) in r.selection.varied.iter().zip(&row.indices) {
            rows.push(vec![
                CsvCell::Text(row.arm.clone()),
                CsvCell::Text(row.role.clone()),
                CsvCell::Num(row.day),
                CsvCell::Text(row.readout.clone()),
                CsvCell::Text(row.unit.clone()),
                CsvCell::Text(row.quantity.into()),
                CsvCell::Num(row.variance),
                CsvCell::Text(v.name.clone()),
                CsvCell::Num(k.first),
                CsvCell::Num(k.first_lo),
                CsvCell::Num(k.first_hi),
                CsvCell::Num(k.total),
                CsvCell::Num(k.total_lo),
                CsvCell::Num(k.total_hi),
            ]);
        }
    }
    let table = CsvTable {
        header: header(&[
            "arm",
            "role",
            "day",
            "readout",
            "unit",
            "quantity",
            "variance",
            "parameter",
            "first_order",
            "first_order_lo95",
            "first_order_hi95",
            "total",
            "total_lo95",
            "total_hi95",
        ]),
        rows,
    };
    let csv = out.join("sobol.csv");
    write_csv(&csv, &table).with_context(|| format!("writing {}", csv.display()))?;
    super::write_text(out, "sobol.json", serde_json::to_string_pretty(r)?)
}

/// Prints, for each arm and wanted read-out at `day`, the first-order and total index of every
/// parameter (the effect's indices for arms with a reference).
pub(crate) fn print_sobol(r: &SobolResult, wanted: &[String], day: f64) {
    println!(
        "Sobol indices: {} base samples, {} runs ({} failed), seed {}; day {day:.0}; first order S [95 % interval] / total ST [95 % interval]",
        r.base_samples,
        r.runs,
        r.failures.len(),
        r.seed
    );
    for row in r
        .rows
        .iter()
        .filter(|x| (x.day - day).abs() < 1e-6 && wanted.contains(&x.readout))
    {
        let what = if row.quantity == "effect" {
            format!(
                "effect vs {}",
                r.reference.as_deref().unwrap_or("reference")
            )
        } else {
            "value".to_string()
        };
        println!(
            "  {} {} ({}), {what}: variance {:.4e}",
            row.arm, row.readout, row.unit, row.variance
        );
        for (v, k) in r.selection.varied.iter().zip(&row.indices) {
            println!(
                "    {:<45} S {:>6.3} [{:>6.3}, {:>6.3}]   ST {:>6.3} [{:>6.3}, {:>6.3}]",
                v.name, k.first, k.first_lo, k.first_hi, k.total, k.total_lo, k.total_hi
            );
        }
    }
}
