//! `nanospine check`: validate a scenario file without running it.

use std::path::PathBuf;

use anyhow::Context;
use nanospine::params::Registry;
use nanospine::scenario::{self, Mode};

/// Arguments of `nanospine check`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Parameter override applied after the file, e.g. --set glucose.boundary.cep="3.5 mM"
    /// (repeatable; checked like [parameters]).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

/// Runs the subcommand: prints "FILE: ok (N arms, mode, grid)" or every error, compiler-style,
/// on stderr (then fails).
pub fn run(a: Args) -> anyhow::Result<()> {
    let shown = a.file.display().to_string();
    let text = std::fs::read_to_string(&a.file).with_context(|| format!("reading {shown}"))?;
    let registry = Registry::builtin();
    let mut errors = Vec::new();
    let mut parsed = match scenario::parse(&text, &registry) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.extend(e.0);
            None
        }
    };
    if let Some(s) = parsed.as_mut() {
        for assignment in &a.set {
            if let Err(e) = scenario::apply_set(s, &registry, assignment) {
                errors.extend(e.0);
            }
        }
    }
    if let Some(s) = parsed.as_ref() {
        if errors.is_empty() {
            if let Err(e) = nanospine::sim::check_geometry(s, &registry) {
                errors.extend(e.0);
            }
        }
    }
    match parsed {
        Some(s) if errors.is_empty() => {
            println!("{shown}: ok ({})", summary(&s));
            Ok(())
        }
        _ => {
            let n = errors.len();
            eprint!("{}", scenario::ScenarioErrors(errors).render(&shown));
            anyhow::bail!(
                "{shown} is not a valid scenario ({n} error{})",
                if n == 1 { "" } else { "s" }
            )
        }
    }
}

/// "2 arms, transient, axisymmetric".
fn summary(s: &scenario::Scenario) -> String {
    let n = s.arms.len();
    let mode = match s.solver.mode {
        Mode::Steady => "steady",
        Mode::Transient => "transient",
    };
    let grid = match s.grid.kind {
        nanospine::grid::GridKind::Axisymmetric => "axisymmetric",
        nanospine::grid::GridKind::Cartesian3d => "cartesian3d",
    };
    format!("{n} arm{}, {mode}, {grid}", if n == 1 { "" } else { "s" })
}
