//! Scenario files (in progress: being written in a parallel branch).

pub mod model;
pub use model::*;

/// One or more located errors in a scenario file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ScenarioErrors(pub String);
