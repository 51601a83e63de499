//! `nanospine sensitivity FILE --param NAME...`: how the read-outs and the treatment effects of
//! a scenario move over the plausible ranges of chosen registry parameters, one at a time
//! (tornado), jointly (Latin hypercube percentile bands) or as variance shares (Sobol indices).

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nanospine::io::csv::CsvCell;
use nanospine::params::Registry;
use nanospine::scenario::{Scenario, Tissue};
use nanospine::sensitivity::oat::oat;
use nanospine::sensitivity::sample::sample;
use nanospine::sensitivity::select;
use nanospine::sensitivity::sobol::sobol;
use nanospine::validate::studies::{read_checks_file, Check, DISC_CHECKS, SCI_CHECKS};
mod lhs;
mod oat;
mod sobol;

use lhs::{print_lhs, print_pass_rates, write_lhs, write_pass_rates};
use oat::{print_oat, print_robustness, write_oat, write_robustness};
use sobol::{print_sobol, write_sobol};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Study method.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// One at a time: each parameter at the low and the high end of its range (2 runs each).
    Oat,
    /// Latin hypercube: all parameters jointly, `--samples` runs; 5/50/95th percentiles.
    Lhs,
    /// Sobol indices: first-order and total variance shares, `--samples` x (P + 2) runs.
    Sobol,
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
    /// One at a time (oat), Latin hypercube sampling (lhs) or Sobol indices (sobol).
    #[arg(long, value_enum, default_value = "oat")]
    pub method: Method,
    /// Number of Latin hypercube samples (lhs; 4 to 5000), or of Sobol base samples (sobol; at
    /// least 4, with samples x (P + 2) at most 20000 runs).
    #[arg(long, default_value_t = 32)]
    pub samples: usize,
    /// Seed of the Latin hypercube or Sobol design (and of the Sobol bootstrap); the same seed
    /// gives the same samples.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Read-outs to print and plot (comma-separated `arms.csv` names; default: the study
    /// end-points of the tissue that the scenario reports). All are written to the CSV.
    #[arg(long)]
    pub readouts: Option<String>,
    /// Sample day (d) of the printed tables and the tornado chart (default: the last sample day);
    /// it must be one of the scenario's sample days. The CSV files hold every day.
    #[arg(long)]
    pub day: Option<f64>,
    /// Findings file whose entry for this scenario's file name gives the study checks to
    /// evaluate on every run (default: `checks.toml` or `sci-checks.toml` next to the scenario,
    /// if it lists it).
    #[arg(long)]
    pub checks: Option<PathBuf>,
    /// Override a registry parameter for every run, with a unit (as `nanospine run --set`).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Output directory (default: out/<scenario file name>-sensitivity, -uncertainty or -sobol).
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
/// Cord read-outs after the species' locomotor scale (`sci::locomotor::scale_of`).
const CORD_READOUTS: [&str; 3] = [
    "spared_white_matter_fraction",
    "lesion_volume_mm3",
    "neuron_survival",
];

/// Runs the subcommand.
pub fn run(a: Args) -> anyhow::Result<()> {
    let registry = Registry::builtin();
    let sc = crate::load::scenario(&a.file, &a.set, &registry)?;
    if let Some(d) = a.day {
        let end = sc.solver.end_time_s / 86400.0;
        if !(d.is_finite() && (0.0..=end).contains(&d)) {
            bail!("--day {d}: allowed 0 to the scenario's end time, {end} d");
        }
    }
    let selection = select(&a.params, &sc, &registry)?;
    for (name, why) in &selection.skipped {
        eprintln!("skipped {name}: {why}");
    }
    let runs = match a.method {
        Method::Oat => 2 * selection.varied.len() + 1,
        Method::Lhs => a.samples + 1,
        Method::Sobol => a.samples.saturating_mul(selection.varied.len() + 2),
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
            let day = print_day(a.day, r.rows.iter().map(|x| x.day))?;
            let out = out_dir(&a, &stem, "sensitivity");
            let robust = study
                .as_ref()
                .map(|(_, stem, checks)| r.check_robustness(stem, checks))
                .unwrap_or_default();
            let out = crate::load::staged(&out, |dir| {
                write_oat(dir, &r, &wanted, day)?;
                write_robustness(dir, &robust)
            })?;
            print_oat(&r, &wanted, day);
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
            let day = print_day(a.day, r.bands.iter().map(|b| b.day))?;
            let out = out_dir(&a, &stem, "uncertainty");
            let rates = study
                .as_ref()
                .map(|(_, stem, checks)| r.check_pass_rates(stem, checks))
                .unwrap_or_default();
            let out = crate::load::staged(&out, |dir| {
                write_lhs(dir, &r, &wanted)?;
                write_pass_rates(dir, &rates)
            })?;
            print_lhs(&r, &wanted, day);
            print_pass_rates(&rates);
            if r.failures() > 0 {
                eprintln!(
                    "warning: {} of {} sample runs failed; they are listed with their error in uncertainty_samples.csv and left out of the bands",
                    r.failures(),
                    r.samples.len()
                );
            }
            eprintln!("wrote {}", out.display());
        }
        Method::Sobol => {
            let r = sobol(&sc, &registry, &selection, a.samples, a.seed, &progress)?;
            bar.finish_and_clear();
            let wanted = available(&wanted, r.rows.iter().map(|x| x.readout.as_str()));
            let day = print_day(a.day, r.rows.iter().map(|x| x.day))?;
            let out = out_dir(&a, &stem, "sobol");
            let out = crate::load::staged(&out, |dir| write_sobol(dir, &r))?;
            print_sobol(&r, &wanted, day);
            if !r.failures.is_empty() {
                eprintln!(
                    "warning: {} of {} runs failed; their rows are left out of the estimates (sobol.json lists them)",
                    r.failures.len(),
                    r.runs
                );
            }
            eprintln!("wrote {}", out.display());
        }
    }
    Ok(())
}

/// `--out`, else `out/<scenario file stem>-<what>`.
fn out_dir(a: &Args, stem: &str, what: &str) -> PathBuf {
    a.out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{stem}-{what}")))
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
            Tissue::Cord => nanospine::sci::locomotor::scale_of(&sc.species)
                .into_iter()
                .chain(CORD_READOUTS)
                .map(str::to_string)
                .collect(),
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

/// The day of the printed tables: the sample day nearest to `given` (said on stderr when it
/// differs), else the last sample day.
fn print_day(given: Option<f64>, days: impl Iterator<Item = f64>) -> anyhow::Result<f64> {
    let all: Vec<f64> = days.collect();
    let Some(d) = given else {
        return Ok(all.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    };
    let nearest = all
        .iter()
        .copied()
        .min_by(|a, b| (a - d).abs().total_cmp(&(b - d).abs()))
        .ok_or_else(|| anyhow::anyhow!("the study reported no sample days"))?;
    if (nearest - d).abs() > 1e-6 {
        eprintln!("--day {d}: not a sample day; the nearest, day {nearest}, is printed");
    }
    Ok(nearest)
}
pub(crate) fn opt(v: Option<f64>) -> CsvCell {
    v.map_or(CsvCell::Text(String::new()), CsvCell::Num)
}

/// Writes `text` to `dir/name`; the error names the file.
pub(crate) fn write_text(dir: &Path, name: &str, text: String) -> anyhow::Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

pub(crate) fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
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
