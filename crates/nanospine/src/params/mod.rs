//! Parameter registry (in progress: being written in a parallel branch).

/// An unknown parameter or an invalid value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);
