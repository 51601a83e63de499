//! `nanospine fit FILE`: fit release-kinetics models to a release data set (CSV), rank them
//! by AICc, print a table (or JSON) and write fit.json, fit.csv and fit.svg.

use anyhow::{bail, Context};
use nanospine::fit::{
    fit_all, report, FitOptions, ModelWindow, PercentWindow, ReleaseData, ReplicateMode,
    DEFAULT_SD_FLOOR,
};
use nanospine::io::outdir::StagedDir;
use std::path::PathBuf;

/// How replicate columns enter the fit.
#[derive(clap::ValueEnum, Clone, Copy)]
pub enum Replicates {
    /// Fit the mean profile with 1/SD^2 weights (SD floored by --sd-floor).
    Mean,
    /// Fit every replicate point with equal weight.
    Pooled,
}

/// Arguments of `nanospine fit`.
#[derive(clap::Args)]
pub struct Args {
    /// Release data (CSV): header row, first column time (unit in the header, e.g. time_h),
    /// then one column per replicate of cumulative release in % of dose.
    #[arg(required_unless_present = "list_models")]
    pub file: Option<PathBuf>,
    /// Models to fit, comma-separated ids (default: every classical model; `nanospine fit
    /// --list-models` lists them).
    #[arg(long, value_delimiter = ',')]
    pub models: Vec<String>,
    /// Also fit the mechanistic models (when --models is not given).
    #[arg(long)]
    pub all: bool,
    /// Use only time points whose mean release is in MIN:MAX percent (e.g. 10:90, :60).
    #[arg(long, value_name = "MIN:MAX")]
    pub window: Option<String>,
    /// Window for some models only: NAME=MIN:MAX, NAME a model id or a prefix ending in `*`
    /// (e.g. korsmeyer_peppas*=:60). Repeatable; such models rank after the others.
    #[arg(long = "model-window", value_name = "NAME=MIN:MAX")]
    pub model_window: Vec<String>,
    /// Korsmeyer-Peppas convention: fit korsmeyer_peppas* models only where F <= MAX %
    /// (same as --model-window 'korsmeyer_peppas*=:MAX').
    #[arg(long, value_name = "MAX")]
    pub kp_window: Option<f64>,
    /// Replicate handling.
    #[arg(long, value_enum, default_value = "mean")]
    pub replicates: Replicates,
    /// Floor of the replicate SD in the 1/SD^2 weights (percentage points of the dose).
    #[arg(long, default_value_t = DEFAULT_SD_FLOOR)]
    pub sd_floor: f64,
    /// Number of best models drawn in fit.svg.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    /// Output directory (default: out/fit-<file name without extension>). Replaced when complete.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print {"models": [...]} (ranked by AICc) as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// List the model ids with their parameters and exit.
    #[arg(long)]
    pub list_models: bool,
}

fn list_models() {
    for m in nanospine::release::all() {
        let params: Vec<String> = m
            .params()
            .iter()
            .map(|p| format!("{} ({})", p.name, p.unit))
            .collect();
        println!(
            "{:<24} {:<11} {:<40} {}",
            m.name(),
            if m.classical() {
                "classical"
            } else {
                "mechanistic"
            },
            m.equation(),
            params.join(", ")
        );
    }
}

/// Runs the subcommand.
pub fn run(a: Args) -> anyhow::Result<()> {
    if a.list_models {
        list_models();
        return Ok(());
    }
    let Some(file) = a.file.clone() else {
        bail!("give a data file (CSV), e.g. nanospine fit examples/release/fixture-ddsolver-parity.csv");
    };
    let data = ReleaseData::from_path(&file)?;
    let mut opts = FitOptions {
        models: a.models.clone(),
        include_mechanistic: a.all,
        replicates: match a.replicates {
            Replicates::Mean => ReplicateMode::Mean,
            Replicates::Pooled => ReplicateMode::Pooled,
        },
        sd_floor: a.sd_floor,
        ..FitOptions::default()
    };
    if let Some(w) = &a.window {
        opts.window = PercentWindow::parse(w).context("--window")?;
    }
    if let Some(max) = a.kp_window {
        opts.model_windows
            .push(ModelWindow::kp(max).context("--kp-window")?);
    }
    for w in &a.model_window {
        opts.model_windows
            .push(ModelWindow::parse(w).context("--model-window")?);
    }
    if a.top == 0 {
        bail!("--top must be at least 1 (number of models drawn in fit.svg)");
    }
    let rep = fit_all(&data, &opts)?;
    let out = a.out.clone().unwrap_or_else(|| {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "data".into());
        PathBuf::from("out").join(format!("fit-{stem}"))
    });
    let staged = StagedDir::create(&out).with_context(|| format!("creating {}", out.display()))?;
    report::write_outputs(staged.path(), &data, &rep, a.top)?;
    let out = staged
        .commit()
        .with_context(|| format!("writing {}", out.display()))?;
    if a.json {
        println!("{}", report::models_json(&rep)?);
        for s in &rep.skipped {
            eprintln!("skipped {}: {}", s.name, s.reason);
        }
    } else {
        print!("{}", report::table(&rep));
    }
    eprintln!("wrote {}/fit.json, fit.csv, fit.svg", out.display());
    Ok(())
}
