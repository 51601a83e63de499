//! `nanospine carriers`: list the carrier and payload presets (every value, unit, range and
//! source or assumption) with the hindered diffusivity in NP, AF and CEP.

use std::io::Write;

use nanospine::carriers;
use nanospine::params::Registry;

/// Output format of `nanospine carriers`.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for terminals.
    #[default]
    Table,
    /// JSON object `{"carriers": [...], "payloads": [...]}`.
    Json,
    /// Markdown (docs/carriers.md).
    Markdown,
}

/// Arguments of `nanospine carriers`.
#[derive(clap::Args)]
pub struct Args {
    /// Show only the carrier or payload with this id (e.g. `plga_microsphere`, `curcumin`).
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs the subcommand: prints the built-in presets to stdout.
pub fn run(a: Args) -> anyhow::Result<()> {
    let reg = Registry::builtin();
    let id = a.id.as_deref();
    let text = match a.format {
        Format::Table => carriers::to_table(&reg, id)?,
        Format::Json => serde_json::to_string_pretty(&carriers::to_json(&reg, id)?)? + "\n",
        Format::Markdown => carriers::to_markdown(&reg, id)?,
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // `nanospine carriers | head` closes the pipe early: not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
