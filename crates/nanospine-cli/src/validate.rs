//! `nanospine validate transport|fit|studies|sci [--json] [--dir DIR] [--study FILE]... [--set NAME=VALUE]...`.

use anyhow::bail;

/// Which suite to run.
#[derive(clap::ValueEnum, Clone, Copy)]
pub enum SuiteName {
    /// Transport engine: analytic solutions, conservation, published behaviour.
    Transport,
    /// Release-curve fitter: t quantiles, f1/f2, DDSolver fixture, parameter recovery, AICc.
    Fit,
    /// Disc studies: runs every scenario of examples/studies and checks the published findings
    /// listed in examples/studies/checks.toml (directions of effect, natural-history ranges).
    Studies,
    /// Spinal cord studies: runs every cord scenario listed in examples/studies/sci-checks.toml
    /// and checks its findings (untreated BBB/BMS time courses, M1 persistence, CCR2 blockade,
    /// each SCI study's directions of effect).
    Sci,
}

/// Arguments of `nanospine validate`.
#[derive(clap::Args)]
pub struct Args {
    /// Suite to run.
    pub suite: SuiteName,
    /// Print JSON: {"suite", "passed", "cases": [{"name", "passed", "metric", "value", "threshold"}]}.
    #[arg(long)]
    pub json: bool,
    /// Studies directory with checks.toml / sci-checks.toml (suites `studies`, `sci`; default
    /// examples/studies).
    #[arg(long)]
    pub dir: Option<std::path::PathBuf>,
    /// Run only this study (its file name in the findings file, with or without .toml, or a path
    /// to it such as examples/studies/luo2023-adsc-exosomes.toml; suites `studies`, `sci`).
    /// Repeatable.
    #[arg(long = "study", value_name = "FILE")]
    pub studies: Vec<String>,
    /// Override a registry parameter in every study scenario, as `nanospine run --set` does
    /// (suites `studies`, `sci`): which findings does a parameter change flip? Repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub sets: Vec<String>,
}

/// Runs the subcommand; exits non-zero when a case fails.
pub fn run(a: Args) -> anyhow::Result<()> {
    use nanospine::validate::studies::{self, SuiteOptions};
    let registry = nanospine::params::Registry::builtin();
    let study_suite = |checks: &str, name: &str| -> anyhow::Result<nanospine::validate::Suite> {
        for s in &a.sets {
            if let Err(e) = nanospine::scenario::check_set(&registry, s) {
                bail!("{}", e.render("--set"));
            }
        }
        let dir = a.dir.clone().unwrap_or_else(studies::default_dir);
        let options = SuiteOptions {
            sets: a.sets.clone(),
            studies: a.studies.clone(),
        };
        Ok(studies::suite_with(
            &dir, checks, &registry, name, &options,
        )?)
    };
    let suite = match a.suite {
        SuiteName::Transport | SuiteName::Fit if !(a.sets.is_empty() && a.studies.is_empty()) => {
            bail!("--set and --study apply to the suites `studies` and `sci` only")
        }
        SuiteName::Transport => nanospine::validate::transport_suite(),
        SuiteName::Fit => nanospine::validate::fit_suite(),
        SuiteName::Studies => study_suite(studies::DISC_CHECKS, "studies")?,
        SuiteName::Sci => study_suite(studies::SCI_CHECKS, "sci")?,
    };
    if !a.sets.is_empty() && !a.json {
        println!("with --set {}", a.sets.join(" --set "));
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&suite)?);
    } else {
        // the documented known gaps of the bundled studies (VALIDATION.md) are marked as such
        println!("suite: {}", suite.suite);
        for c in &suite.cases {
            println!(
                "  [{}] {:<45} {:<55} {:>12.5e}  {}",
                studies::outcome_label(&c.name, c.passed),
                c.name,
                c.metric,
                c.value,
                c.threshold
            );
        }
        let n = suite.cases.iter().filter(|c| c.passed).count();
        let known = suite
            .cases
            .iter()
            .filter(|c| !c.passed && studies::is_known_gap(&c.name))
            .count();
        if known > 0 {
            println!(
                "{} passed, {} failed ({} of them known gaps of the model, listed with their reasons in VALIDATION.md)",
                n,
                suite.cases.len() - n,
                known
            );
        } else {
            println!("{} passed, {} failed", n, suite.cases.len() - n);
        }
    }
    if !suite.passed {
        bail!("validation suite '{}' has failing cases", suite.suite);
    }
    Ok(())
}
