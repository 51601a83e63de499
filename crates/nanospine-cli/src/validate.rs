//! `nanospine validate transport|fit|studies|sci [--json]`.

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
}

/// Runs the subcommand; exits non-zero when a case fails.
pub fn run(a: Args) -> anyhow::Result<()> {
    let suite = match a.suite {
        SuiteName::Transport => nanospine::validate::transport_suite(),
        SuiteName::Fit => nanospine::validate::fit_suite(),
        SuiteName::Studies => match &a.dir {
            Some(d) => nanospine::validate::studies::studies_suite_in(
                d,
                &nanospine::params::Registry::builtin(),
            ),
            None => nanospine::validate::studies_suite(),
        },
        SuiteName::Sci => match &a.dir {
            Some(d) => nanospine::validate::studies::sci_suite_in(
                d,
                &nanospine::params::Registry::builtin(),
            ),
            None => nanospine::validate::studies::sci_suite(),
        },
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&suite)?);
    } else {
        println!("suite: {}", suite.suite);
        for c in &suite.cases {
            println!(
                "  [{}] {:<45} {:<55} {:>12.5e}  {}",
                if c.passed { "pass" } else { "FAIL" },
                c.name,
                c.metric,
                c.value,
                c.threshold
            );
        }
        let n = suite.cases.iter().filter(|c| c.passed).count();
        println!("{} passed, {} failed", n, suite.cases.len() - n);
    }
    if !suite.passed {
        bail!("validation suite '{}' has failing cases", suite.suite);
    }
    Ok(())
}
