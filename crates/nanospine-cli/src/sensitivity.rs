//! `nanospine sensitivity FILE --param NAME...`: how the read-outs and the treatment effects of
//! a scenario move over the plausible ranges of chosen registry parameters, one at a time
//! (tornado) or jointly (Latin hypercube percentile bands).

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nanospine::io::csv::{write_csv, CsvCell, CsvTable};
use nanospine::io::plot::{write_svg, Panel, Series};
use nanospine::io::tornado::{self, TornadoPanel};
use nanospine::params::Registry;
use nanospine::scenario::{Scenario, Tissue};
use nanospine::sensitivity::checks::{CheckPassRate, CheckRobustness};
use nanospine::sensitivity::oat::{oat, OatResult};
use nanospine::sensitivity::sample::{sample, SampleResult};
use nanospine::sensitivity::select;
use nanospine::validate::studies::{read_checks_file, Check, DISC_CHECKS, SCI_CHECKS};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Study method.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// One at a time: each parameter at the low and the high end of its range (2 runs each).
    Oat,
    /// Latin hypercube: all parameters jointly, `--samples` runs; 5/50/95th percentiles.
    Lhs,
}

/// Arguments of `nanospine sensitivity`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Registry parameter to vary over its range (`nanospine params` lists names and ranges), or
    /// a prefix ending in '*' such as 'biology.msc.*'. Repeatable.
    #[arg(long = "param", value_name = "NAME", required = true)]
    pub params: Vec<String>,
    /// One at a time (oat) or Latin hypercube sampling (lhs).
    #[arg(long, value_enum, default_value = "oat")]
    pub method: Method,
    /// Number of Latin hypercube samples (lhs; 4 to 5000).
    #[arg(long, default_value_t = 32)]
    pub samples: usize,
    /// Seed of the Latin hypercube design (lhs); the same seed gives the same samples.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Read-outs to print and plot (comma-separated `arms.csv` names; default: the study
    /// end-points of the tissue that the scenario reports). All are written to the CSV.
    #[arg(long)]
    pub readouts: Option<String>,
    /// Findings file whose entry for this scenario's file name gives the study checks to
    /// evaluate on every run (default: `checks.toml` or `sci-checks.toml` next to the scenario,
    /// if it lists it).
    #[arg(long)]
    pub checks: Option<PathBuf>,
    /// Override a registry parameter for every run, with a unit (as `nanospine run --set`).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Output directory (default: out/<scenario file name>-sensitivity or -uncertainty).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

const DISC_READOUTS: [&str; 6] = [
    "dhi_percent",
    "np_water_fraction",
    "histology_score",
    "m1_m2_ratio",
    "mean_ros_um",
    "pain_withdrawal_threshold_g",
];
const CORD_READOUTS: [&str; 5] = [
    "bbb",
    "bms",
    "spared_white_matter_fraction",
    "lesion_volume_mm3",
    "neuron_survival",
];

/// Runs the subcommand.
pub fn run(a: Args) -> anyhow::Result<()> {
    let registry = Registry::builtin();
    let sc = crate::load::scenario(&a.file, &a.set, &registry)?;
    let selection = select(&a.params, &sc, &registry)?;
    for (name, why) in &selection.skipped {
        eprintln!("skipped {name}: {why}");
    }
    let runs = match a.method {
        Method::Oat => 2 * selection.varied.len() + 1,
        Method::Lhs => a.samples + 1,
    };
    eprintln!(
        "{} parameter(s), {runs} runs of {} arm(s)",
        selection.varied.len(),
        sc.arms.len()
    );
    let bar = ProgressBar::with_draw_target(Some(runs as u64), ProgressDrawTarget::hidden());
    if !a.quiet && std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} runs")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |done: usize, _total: usize| bar.set_position(done as u64);
    let stem = a
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "run".into());
    let wanted = wanted_readouts(&sc, a.readouts.as_deref());
    let study = study_checks(&a.file, a.checks.as_deref())?;
    if let Some((path, _, checks)) = &study {
        eprintln!("{} study checks from {}", checks.len(), path.display());
    }
    match a.method {
        Method::Oat => {
            let r = oat(&sc, &registry, &selection, &progress)?;
            bar.finish_and_clear();
            let wanted = available(&wanted, r.rows.iter().map(|x| x.readout.as_str()));
            let out = a
                .out
                .clone()
                .unwrap_or_else(|| PathBuf::from("out").join(format!("{stem}-sensitivity")));
            let robust = study
                .as_ref()
                .map(|(_, stem, checks)| r.check_robustness(stem, checks))
                .unwrap_or_default();
            let out = crate::load::staged(&out, |dir| {
                write_oat(dir, &r, &wanted)?;
                write_robustness(dir, &robust)
            })?;
            print_oat(&r, &wanted);
            print_robustness(&robust);
            for (name, level, value, e) in &r.failures {
                eprintln!(
                    "warning: the run with {name} = {value} ({level} end of its range) failed and is left out: {e}"
                );
            }
            eprintln!("wrote {}", out.display());
        }
        Method::Lhs => {
            let r = sample(&sc, &registry, &selection, a.samples, a.seed, &progress)?;
            bar.finish_and_clear();
            let wanted = available(&wanted, r.bands.iter().map(|b| b.readout.as_str()));
            let out = a
                .out
                .clone()
                .unwrap_or_else(|| PathBuf::from("out").join(format!("{stem}-uncertainty")));
            let rates = study
                .as_ref()
                .map(|(_, stem, checks)| r.check_pass_rates(stem, checks))
                .unwrap_or_default();
            let out = crate::load::staged(&out, |dir| {
                write_lhs(dir, &r, &wanted)?;
                write_pass_rates(dir, &rates)
            })?;
            print_lhs(&r, &wanted);
            for c in &rates {
                println!(
                    "  [{}] {}  {}: passes in {} of {} samples ({:.0} %)",
                    if c.baseline_passed { "pass" } else { "FAIL" },
                    c.name,
                    c.threshold,
                    c.passed,
                    c.samples,
                    100.0 * c.fraction()
                );
            }
            if r.failures() > 0 {
                eprintln!(
                    "warning: {} of {} sample runs failed; they are listed with their error in uncertainty_samples.csv and left out of the bands",
                    r.failures(),
                    r.samples.len()
                );
            }
            eprintln!("wrote {}", out.display());
        }
    }
    Ok(())
}

fn wanted_readouts(sc: &Scenario, given: Option<&str>) -> Vec<String> {
    match given {
        Some(t) => t
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        None => match sc.tissue {
            Tissue::Disc => DISC_READOUTS.iter().map(|s| s.to_string()).collect(),
            Tissue::Cord => CORD_READOUTS.iter().map(|s| s.to_string()).collect(),
        },
    }
}

/// The wanted read-outs the study reports; says which are missing and what there is.
fn available<'a>(wanted: &[String], reported: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<&str> = vec![];
    for r in reported {
        if !names.contains(&r) {
            names.push(r);
        }
    }
    let (have, missing): (Vec<String>, Vec<String>) = wanted
        .iter()
        .cloned()
        .partition(|w| names.contains(&w.as_str()));
    if !missing.is_empty() {
        eprintln!(
            "not reported by this scenario (left out of the tables and plots): {}; it reports: {}",
            missing.join(", "),
            names.join(", ")
        );
    }
    have
}

fn last_day<'a>(days: impl Iterator<Item = &'a f64>) -> f64 {
    days.copied().fold(f64::NEG_INFINITY, f64::max)
}

fn opt(v: Option<f64>) -> CsvCell {
    v.map_or(CsvCell::Text(String::new()), CsvCell::Num)
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

fn write_oat(out: &Path, r: &OatResult, wanted: &[String]) -> anyhow::Result<()> {
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
    let json = out.join("sensitivity.json");
    std::fs::write(&json, serde_json::to_string_pretty(&r.summary())?)
        .with_context(|| format!("writing {}", json.display()))?;
    // tornado of every wanted read-out at the last day: the effect for each compared arm, the
    // value for the reference arm
    let day = r.last_day();
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

fn print_oat(r: &OatResult, wanted: &[String]) {
    let day = r.last_day();
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

fn write_lhs(out: &Path, r: &SampleResult, wanted: &[String]) -> anyhow::Result<()> {
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
    let json = out.join("uncertainty.json");
    std::fs::write(&json, serde_json::to_string_pretty(r)?)
        .with_context(|| format!("writing {}", json.display()))?;
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

fn print_lhs(r: &SampleResult, wanted: &[String]) {
    let day = last_day(r.bands.iter().map(|b| &b.day));
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

/// The study checks for `file`: from `--checks`, else from `checks.toml` / `sci-checks.toml`
/// next to it; (findings file, study stem, checks), or None when no findings file lists it.
fn study_checks(
    file: &Path,
    given: Option<&Path>,
) -> anyhow::Result<Option<(PathBuf, String, Vec<Check>)>> {
    let name = file
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = name.trim_end_matches(".toml").to_string();
    let dir = file.parent().unwrap_or(Path::new("."));
    let candidates: Vec<PathBuf> = match given {
        Some(p) => vec![p.to_path_buf()],
        None => [DISC_CHECKS, SCI_CHECKS]
            .iter()
            .map(|f| dir.join(f))
            .filter(|p| p.exists())
            .collect(),
    };
    for path in candidates {
        let studies = read_checks_file(&path)?;
        if let Some(st) = studies.into_iter().find(|s| s.file == name) {
            return Ok(Some((path, stem, st.check)));
        }
        if given.is_some() {
            bail!(
                "--checks {}: no study with file = \"{name}\"",
                path.display()
            );
        }
    }
    Ok(None)
}

fn write_robustness(out: &Path, robust: &[CheckRobustness]) -> anyhow::Result<()> {
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

fn print_robustness(robust: &[CheckRobustness]) {
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
            if c.baseline_passed { "pass" } else { "FAIL" },
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

fn write_pass_rates(out: &Path, rates: &[CheckPassRate]) -> anyhow::Result<()> {
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
