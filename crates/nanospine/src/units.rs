//! Quantities and unit parsing (in progress: being written in a parallel branch).

/// A unit that could not be parsed or has the wrong dimension.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct UnitError(pub String);
