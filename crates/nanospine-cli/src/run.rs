//! `nanospine run FILE`: parse, simulate every arm, write outputs atomically.

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nanospine::params::Registry;
use nanospine::report::{write_all, RunMeta};
use nanospine::scenario;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Arguments of `nanospine run`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Output directory (default: out/<scenario file name without extension>). Replaced when the run completes.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a registry parameter for every arm, with a unit: --set glucose.boundary.cep="3.5 mM". Repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// No progress bar and no summary on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs the subcommand.
pub fn run(a: Args) -> anyhow::Result<()> {
    if let Some(n) = a.threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("setting up the thread pool")?;
    }
    let file_name = a.file.display().to_string();
    let registry = Registry::builtin();
    let sc = crate::load::scenario(&a.file, &a.set, &registry)?;
    if !a.quiet {
        if let Some(note) = nanospine::sim::cord::step_advice(&sc, &registry)? {
            eprintln!("{note}");
        }
        for note in nanospine::sim::cord::payload_advice(&sc, &registry)? {
            eprintln!("{note}");
        }
        // of the compression notes, run repeats only the species caveat (check prints them all)
        for note in nanospine::sim::cord::compression_notes(&sc, &registry)? {
            if note.starts_with("note:") {
                eprintln!("{note}");
            }
        }
    }
    let out = a.out.clone().unwrap_or_else(|| {
        let stem = a
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "run".into());
        PathBuf::from("out").join(stem)
    });
    let show = !a.quiet && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(Some(1000), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {percent:>3}% {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let start = Instant::now();
    let names: Vec<String> = sc.arms.iter().map(|x| x.name.clone()).collect();
    let fractions = Mutex::new(vec![0.0f64; names.len()]);
    let shown = Mutex::new(false);
    let progress = |arm: &str, f: f64| {
        if !show {
            return;
        }
        if let (Some(i), Ok(mut fr)) = (names.iter().position(|n| n == arm), fractions.lock()) {
            fr[i] = f;
            let total: f64 = fr.iter().sum::<f64>() / fr.len() as f64;
            if let Ok(mut s) = shown.lock() {
                if !*s && start.elapsed() > Duration::from_secs(1) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    *s = true;
                }
            }
            bar.set_position((total * 1000.0) as u64);
            bar.set_message(format!("{} arm(s)", fr.len()));
        }
    };
    if sc.tissue == scenario::Tissue::Cord {
        let result = nanospine::sim::cord::run_cord(&sc, &registry, &progress)?;
        bar.finish_and_clear();
        let wall = start.elapsed().as_secs_f64();
        let per_arm: Vec<scenario::ArmParameters> = result
            .arms
            .iter()
            .map(|x| (x.name.clone(), x.used.clone()))
            .collect();
        let resolved = scenario::resolved_toml(&sc, &per_arm);
        let meta = RunMeta {
            wall_time_s: wall,
            scenario_file: file_name.clone(),
        };
        let final_dir = crate::load::staged(&out, |dir| {
            nanospine::report::cord::write_cord_all(dir, &sc, &result, &meta, &resolved)
        })?;
        if !a.quiet {
            eprintln!(
                "{file_name}: {} arm(s) in {wall:.1} s -> {}",
                result.arms.len(),
                final_dir.display()
            );
            let scale = nanospine::sci::locomotor::scale_of(&sc.species);
            let block = nanospine::report::cord::any_conduction_block(&result);
            for arm in &result.arms {
                let col = |name: &str| last_value(&arm.columns, &arm.rows, name);
                let score = match scale {
                    Some(n) => format!("{} {:.1}, ", n.to_uppercase(), col(n)),
                    None => String::new(),
                };
                let conducting = if block {
                    format!(
                        " (conducting {:.1} %)",
                        100.0 * col("functional_white_matter_fraction")
                    )
                } else {
                    String::new()
                };
                eprintln!(
                    "  {:<20} day {:.0}: {score}spared white matter {:.1} %{conducting}, lesion {:.3} mm^3, neurons {:.1} %",
                    arm.name,
                    arm.final_time_s / 86400.0,
                    100.0 * col("spared_white_matter_fraction"),
                    col("lesion_volume_mm3"),
                    100.0 * col("neuron_survival")
                );
            }
        }
        return Ok(());
    }
    let result = nanospine::sim::run(&sc, &registry, &progress)?;
    bar.finish_and_clear();
    let wall = start.elapsed().as_secs_f64();
    let per_arm: Vec<scenario::ArmParameters> = result
        .arms
        .iter()
        .map(|x| (x.name.clone(), x.model.used.clone()))
        .collect();
    let resolved = scenario::resolved_toml(&sc, &per_arm);
    let meta = RunMeta {
        wall_time_s: wall,
        scenario_file: file_name.clone(),
    };
    let final_dir =
        crate::load::staged(&out, |dir| write_all(dir, &sc, &result, &meta, &resolved))?;
    if !a.quiet {
        eprintln!(
            "{file_name}: {} arm(s) in {wall:.1} s -> {}",
            result.arms.len(),
            final_dir.display()
        );
        for arm in &result.arms {
            let col = |name: &str| last_value(&arm.columns, &arm.rows, name);
            eprintln!(
                "  {:<20} NP min glucose {:.3} mM, min pO2 {:.2} kPa, min pH {:.3}, viable NP cells {:.1} % of initial (grafts included)",
                arm.name,
                col("glucose_min_NP_mM"),
                col("oxygen_min_NP_kPa"),
                col("pH_min_NP"),
                100.0 * col("viable_fraction_NP")
            );
            if let Some(d) = &arm.delivery {
                // a cell-only injection gives its payload no dose: nothing to cover
                let dosed = |key: &str| {
                    d.ledgers
                        .iter()
                        .any(|(k, l)| k.as_str() == key && l.dose_ug > 0.0)
                };
                for (key, effective, half_np, mean_np, _) in
                    d.coverage.iter().filter(|c| dosed(&c.0))
                {
                    eprintln!(
                        "  {:<20} {key}: >= {effective:.3} ng/mL in half the NP for {half_np:.2} d (NP mean {mean_np:.2} d)",
                        ""
                    );
                }
            }
        }
    }
    Ok(())
}

/// The last row's value of column `name` (NaN when absent).
fn last_value(columns: &[String], rows: &[Vec<f64>], name: &str) -> f64 {
    columns
        .iter()
        .position(|c| c == name)
        .and_then(|i| rows.last().map(|r| r[i]))
        .unwrap_or(f64::NAN)
}
