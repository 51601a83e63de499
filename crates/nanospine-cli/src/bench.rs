//! `nanospine bench`: performance benchmarks (thin wrapper over `nanospine::bench`).

use nanospine::bench::{run_transport, TransportBenchOptions};

/// Arguments of `nanospine bench`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Time one LOD diffusion step on 100^3 and 200^3 grids (1 and 4 solutes, uniform and tissue
    /// diffusivity) against the memory-bandwidth floor of this machine.
    Transport {
        /// Print the results as JSON on stdout (no progress lines).
        #[arg(long)]
        json: bool,
        /// Small grids and arrays: a fast smoke run.
        #[arg(long)]
        quick: bool,
        /// Rayon threads (default: one per CPU).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Time fitting every classical release model to the 12-point DDSolver-parity fixture and
    /// a 1000-resample bootstrap f2 (one thread, median of repeats).
    Fit {
        /// Print the results as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Timed repeats of each measurement.
        #[arg(long, default_value_t = 50)]
        repeats: usize,
    },
    /// Time whole runs of a study scenario (all arms in parallel, no files written): median and
    /// range of the wall time, arms, sample times and biology integrator work.
    Study {
        /// Scenario file (default: the rat tail natural history study).
        #[arg(default_value = "examples/studies/rat-tail-puncture-natural-history.toml")]
        file: std::path::PathBuf,
        /// Timed repeats.
        #[arg(long, default_value_t = 3)]
        repeats: usize,
        /// Print the results as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the subcommand.
pub fn run(a: Args) -> anyhow::Result<()> {
    match a.what {
        What::Transport {
            json,
            quick,
            threads,
        } => {
            let opts = TransportBenchOptions { quick, threads };
            let mut progress = |line: &str| {
                if !json {
                    eprintln!("{line}");
                }
            };
            let res = run_transport(&opts, &mut progress)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&res)?);
            } else {
                print!("{}", res.table());
            }
            Ok(())
        }
        What::Study {
            file,
            repeats,
            json,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let reg = nanospine::params::Registry::builtin();
            let sc = nanospine::scenario::parse(&text, &reg)
                .map_err(|e| anyhow::anyhow!("{}", e.render(&file.display().to_string())))?;
            let res = nanospine::bench::run_study_bench(&sc, &reg, repeats.max(1))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&res)?);
            } else {
                println!("{}: {}", file.display(), res.table());
            }
            Ok(())
        }
        What::Fit { json, repeats } => {
            let res = nanospine::fit::bench::run_fit_bench(repeats)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&res)?);
            } else {
                print!("{}", res.table());
            }
            Ok(())
        }
    }
}
