//! `nanospine schema`: print the JSON Schema of the scenario format.

/// Arguments of `nanospine schema`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the subcommand: prints the JSON Schema (draft 2020-12) on stdout, e.g. for
/// `nanospine schema > scenario.schema.json` and an editor's TOML schema setting.
pub fn run(_a: Args) -> anyhow::Result<()> {
    let schema = nanospine::scenario::json_schema();
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(())
}
