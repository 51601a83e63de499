//! `nanospine similarity REF TEST`: difference factor f1, similarity factor f2 and a
//! bootstrap 90 % interval of f2 for two release profiles (CSV, same time points).

use nanospine::fit::similarity::{compare, PointRule, SimilarityOptions};
use nanospine::fit::ReleaseData;
use std::path::PathBuf;

/// Which time points enter f1 and f2.
#[derive(clap::ValueEnum, Clone, Copy)]
pub enum Rule {
    /// Every common time point.
    All,
    /// EMA guideline: no t = 0, stop after the first point where either mean exceeds 85 %.
    Ema,
}

/// Arguments of `nanospine similarity`.
#[derive(clap::Args)]
pub struct Args {
    /// Reference profile (CSV, same format as `nanospine fit`).
    pub reference: PathBuf,
    /// Test profile (CSV, the same time points as the reference).
    pub test: PathBuf,
    /// Print JSON: {"f1", "f2", "f2_bootstrap_ci90": [lo, hi] or null, ...}.
    #[arg(long)]
    pub json: bool,
    /// Bootstrap resamples of the replicate columns (0 = none).
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the bootstrap's random generator (same seed, same interval).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Point-selection rule.
    #[arg(long, value_enum, default_value = "all")]
    pub rule: Rule,
}

/// Runs the subcommand.
pub fn run(a: Args) -> anyhow::Result<()> {
    let r = ReleaseData::from_path(&a.reference)?;
    let t = ReleaseData::from_path(&a.test)?;
    let opts = SimilarityOptions {
        rule: match a.rule {
            Rule::All => PointRule::All,
            Rule::Ema => PointRule::Ema,
        },
        bootstrap: a.bootstrap,
        seed: a.seed,
    };
    let s = compare(&r, &t, &opts)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    let fmt = |x: Option<f64>| {
        x.map(|v| format!("{v:.2}"))
            .unwrap_or_else(|| "null".into())
    };
    println!(
        "reference {} ({} replicate(s)) vs test {} ({} replicate(s)); {} time point(s) used: {:?}",
        r.source,
        r.replicates(),
        t.source,
        t.replicates(),
        s.times_used.len(),
        s.times_used
    );
    println!(
        "f1 = {}  (difference factor, <= 15 usually read as similar)",
        fmt(s.f1)
    );
    println!(
        "f2 = {:.2}  ({}; f2 >= 50 is read as similar)",
        s.f2,
        if s.similar { "similar" } else { "not similar" }
    );
    match s.f2_bootstrap_ci90 {
        Some([lo, hi]) => println!(
            "bootstrap f2 90 % interval = [{lo:.2}, {hi:.2}]  ({} resamples, seed {})",
            s.bootstrap, s.seed
        ),
        None => println!("bootstrap f2 90 % interval = null"),
    }
    for n in &s.notes {
        println!("note: {n}");
    }
    Ok(())
}
