//! What the subcommands that run a scenario share: reading it (parse, apply `--set` overrides,
//! check a disc's geometry against its grid; a cord grid is checked when its arms run) and
//! writing their outputs atomically.

use anyhow::{bail, Context};
use nanospine::io::outdir::StagedDir;
use nanospine::params::Registry;
use nanospine::scenario::{self, Scenario, Tissue};
use std::path::{Path, PathBuf};

/// The scenario in `file` with the `--set NAME=VALUE` assignments of `set` applied; errors are
/// rendered with the file name (or `--set`), line and column.
pub fn scenario(file: &Path, set: &[String], registry: &Registry) -> anyhow::Result<Scenario> {
    let file_name = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {file_name}"))?;
    let mut sc = match scenario::parse(&text, registry) {
        Ok(s) => s,
        Err(e) => bail!("{}", e.render(&file_name)),
    };
    for s in set {
        if let Err(e) = scenario::apply_set(&mut sc, registry, s) {
            bail!("{}", e.render("--set"));
        }
    }
    if sc.tissue == Tissue::Disc {
        if let Err(e) = nanospine::sim::check_geometry(&sc, registry) {
            bail!("{}", e.render(&file_name));
        }
    }
    Ok(sc)
}

/// Writes the outputs with `write` into a staged directory next to `out` and moves it into place
/// when complete (a failed write leaves no partial output); returns the final directory.
pub fn staged<E: Into<anyhow::Error>>(
    out: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> anyhow::Result<PathBuf> {
    let staged = StagedDir::create(out)
        .with_context(|| format!("creating output directory next to {}", out.display()))?;
    write(staged.path()).map_err(Into::into)?;
    staged
        .commit()
        .with_context(|| format!("moving results into {}", out.display()))
}
