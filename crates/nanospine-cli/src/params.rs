//! `nanospine params`: list the parameter registry (values, units, sources, ranges).

use std::io::Write;

use nanospine::params::Registry;

/// Output format of `nanospine params`.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned text table for terminals.
    #[default]
    Table,
    /// Comma-separated values with a header row.
    Csv,
    /// JSON object `{"parameters": [...]}`.
    Json,
    /// Markdown table (for docs/model.md); ignores --filter.
    Markdown,
}

/// Arguments of `nanospine params`.
#[derive(clap::Args)]
pub struct Args {
    /// Show only parameters whose name, scope or description contains TEXT (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs the subcommand: prints the built-in registry to stdout.
pub fn run(a: Args) -> anyhow::Result<()> {
    let reg = Registry::builtin();
    let filter = a.filter.as_deref();
    if let Some(f) = filter {
        if reg.filter(f).is_empty() {
            let hint = reg
                .suggest(f)
                .map(|s| format!("; did you mean '{s}'?"))
                .unwrap_or_default();
            anyhow::bail!("no parameter matches '{f}'{hint}");
        }
    }
    let text = match a.format {
        Format::Table => reg.to_table(filter),
        Format::Csv => reg.to_csv(filter),
        Format::Json => serde_json::to_string_pretty(&reg.to_json(filter))? + "\n",
        Format::Markdown => reg.to_markdown(),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // `nanospine params | head` closes the pipe early: not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
