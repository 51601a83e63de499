//! Library error type.

use thiserror::Error;

/// Every failure nanospine reports. Messages name the field, value and what is allowed.
#[derive(Debug, Error)]
pub enum Error {
    /// A unit string could not be parsed or has the wrong dimension.
    #[error("{0}")]
    Unit(#[from] crate::units::UnitError),
    /// A parameter name or value is invalid.
    #[error("{0}")]
    Param(#[from] crate::params::ParamError),
    /// The scenario file is invalid (one or more located errors).
    #[error("{0}")]
    Scenario(#[from] crate::scenario::ScenarioErrors),
    /// The solver produced a non-physical value.
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// The solver did not converge.
    #[error("solver did not converge: {0}")]
    Convergence(String),
    /// Invalid model configuration detected while assembling.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// File-system error with the path involved.
    #[error("{path}: {source}")]
    Io {
        /// Path involved.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
}

/// Result alias.
pub type Result<T> = std::result::Result<T, Error>;
