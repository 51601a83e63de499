//! `nanospine`: thin command-line front end over the `nanospine` library.
//! One file per subcommand; no model logic here.

use clap::{Parser, Subcommand};

mod attribute;
mod bench;
mod carriers;
mod check;
mod fit;
mod load;
mod params;
mod run;
mod schema;
mod sensitivity;
mod similarity;
mod validate;

/// In-silico laboratory for nanoparticle therapies of degenerative spine disease.
#[derive(Parser)]
#[command(name = "nanospine", version, about)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a scenario and write results into an output directory.
    Run(run::Args),
    /// Validate a scenario file without running it.
    Check(check::Args),
    /// List the parameter registry (values, units, sources, ranges).
    Params(params::Args),
    /// List the carrier and payload presets (values, sources, hindered diffusivity).
    Carriers(carriers::Args),
    /// Print the JSON Schema of the scenario format.
    Schema(schema::Args),
    /// Run a validation suite (analytic solutions, conservation, published behaviour).
    Validate(validate::Args),
    /// Run a performance benchmark.
    Bench(bench::Args),
    /// Share of each carrier mechanism (mechanical support, ROS scavenging, payload) in a
    /// treatment's benefit, by rerunning each treatment arm with one mechanism off at a time.
    Attribute(attribute::Args),
    /// Fit release-kinetics models to release data (CSV) and rank them by AICc.
    Fit(fit::Args),
    /// Compare two release profiles: f1, f2 and a bootstrap interval of f2.
    Similarity(similarity::Args),
    /// How read-outs and treatment effects move over the plausible ranges of chosen registry
    /// parameters: one at a time (tornado) or jointly (Latin hypercube percentile bands).
    Sensitivity(sensitivity::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Run(a) => run::run(a),
        Cmd::Check(a) => check::run(a),
        Cmd::Params(a) => params::run(a),
        Cmd::Carriers(a) => carriers::run(a),
        Cmd::Schema(a) => schema::run(a),
        Cmd::Validate(a) => validate::run(a),
        Cmd::Bench(a) => bench::run(a),
        Cmd::Attribute(a) => attribute::run(a),
        Cmd::Fit(a) => fit::run(a),
        Cmd::Similarity(a) => similarity::run(a),
        Cmd::Sensitivity(a) => sensitivity::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
