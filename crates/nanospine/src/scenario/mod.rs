//! Scenario files: one TOML file per study (format: `nanospine schema`; example in the
//! tests), parsed into a validated, typed [`Scenario`] in model units (mm, s, mM, kPa).
//! A scenario simulates an intervertebral disc (`[scenario] tissue = "disc"`, the default) or
//! an injured spinal cord segment (`tissue = "cord"`, docs/cord.md "Scenario format").
//!
//! - [`parse`]: text -> [`Scenario`], reporting every error with key, line and column.
//! - [`apply_set`]: command-line `--set name=value` overrides ([`check_set`] checks one alone).
//! - [`json_schema`]: the format as JSON Schema, for editors.
//! - [`resolved_toml`]: the scenario as run, written next to the results.

mod biology;
mod cord;
mod cord_injury;
mod errors;
mod format;
mod injury;
pub mod model;
mod overrides;
mod raw;
mod reader;
mod resolved;
mod schema;
mod spans;
mod treatment;

mod validate;

#[cfg(test)]
mod biology_tests;
#[cfg(test)]
mod cord_tests;
#[cfg(test)]
mod injury_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod treatment_tests;

pub use errors::{ScenarioError, ScenarioErrors};
pub use format::SPECIES;
pub use model::*;
pub use overrides::{apply_set, check_set};
pub use resolved::{resolved_toml, ArmParameters, UsedParameter};
pub use schema::json_schema;
pub use spans::locate_setting;
pub use validate::parse;
