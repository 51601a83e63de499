//! `nanospine attribute FILE`: rerun every treatment arm with each carrier mechanism switched off
//! in turn and report the share of each mechanism in the benefit on each read-out.

use anyhow::Context;
use nanospine::attribute::{attribute, Attribution};
use nanospine::io::csv::{write_csv, CsvCell, CsvTable};
use nanospine::params::Registry;
use std::path::PathBuf;

/// Arguments of `nanospine attribute`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML): a disc with `[biology] enabled = true` or a cord; an injury_only (or
    /// vehicle) arm and treatment arms.
    pub file: PathBuf,
    /// Output directory for attribution.csv and attribution.json (default:
    /// out/<scenario name>-attribution).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Read-outs to print (comma-separated snake_case names); all are written to the files.
    #[arg(
        long,
        default_value = "dhi_percent,np_water_fraction,mean_ros_um,m1_m2_ratio,histology_score,np_proteoglycan,pain_withdrawal_threshold_g"
    )]
    pub readouts: String,
    /// Print the JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the subcommand.
pub fn run(a: Args) -> anyhow::Result<()> {
    let registry = Registry::builtin();
    let sc = crate::load::scenario(&a.file, &[], &registry)?;
    let result = attribute(&sc, &registry, &|_, _| {})?;
    let out = a.out.clone().unwrap_or_else(|| {
        let stem = a
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "run".into());
        PathBuf::from("out").join(format!("{stem}-attribution"))
    });
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    write_csv(&out.join("attribution.csv"), &table(&result))
        .with_context(|| format!("writing {}", out.join("attribution.csv").display()))?;
    let json = serde_json::to_string_pretty(&result)?;
    std::fs::write(out.join("attribution.json"), &json)
        .with_context(|| format!("writing {}", out.join("attribution.json").display()))?;
    if a.json {
        println!("{json}");
        return Ok(());
    }
    let wanted: Vec<&str> = a.readouts.split(',').map(str::trim).collect();
    for at in &result {
        let last = at
            .rows
            .iter()
            .map(|r| r.day)
            .fold(f64::NEG_INFINITY, f64::max);
        println!(
            "{} vs {} at day {last:.0}: mechanisms {}",
            at.arm,
            at.reference,
            at.mechanisms.join(", ")
        );
        print!(
            "  {:<30} {:>12} {:>12} {:>12}",
            "read-out", "reference", "full", "benefit"
        );
        for m in &at.mechanisms {
            print!(" {:>20}", format!("share {m}"));
        }
        println!(" {:>12}", "interaction");
        for r in at
            .rows
            .iter()
            .filter(|r| r.day == last && wanted.contains(&r.readout.as_str()))
        {
            print!(
                "  {:<30} {:>12.4} {:>12.4} {:>12.4}",
                format!("{} ({})", r.readout, r.unit),
                r.reference,
                r.full,
                r.benefit
            );
            for (_, _, s) in &r.without {
                print!(" {:>20.3}", s);
            }
            println!(" {:>12.3}", r.interaction);
        }
    }
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Long-form table: one row per arm, read-out, day and mechanism.
fn table(result: &[Attribution]) -> CsvTable {
    let header = [
        "arm",
        "reference_arm",
        "day",
        "readout",
        "unit",
        "reference",
        "full",
        "benefit",
        "mechanism",
        "without",
        "share",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rows = vec![];
    for at in result {
        for r in &at.rows {
            for (m, w, s) in &r.without {
                rows.push(vec![
                    CsvCell::Text(at.arm.clone()),
                    CsvCell::Text(at.reference.clone()),
                    CsvCell::Num(r.day),
                    CsvCell::Text(r.readout.clone()),
                    CsvCell::Text(r.unit.clone()),
                    CsvCell::Num(r.reference),
                    CsvCell::Num(r.full),
                    CsvCell::Num(r.benefit),
                    CsvCell::Text(m.clone()),
                    CsvCell::Num(*w),
                    CsvCell::Num(*s),
                ]);
            }
        }
    }
    CsvTable { header, rows }
}
