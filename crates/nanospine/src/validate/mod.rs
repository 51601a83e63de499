//! Validation suites: analytic solutions, conservation and published behaviour.

pub mod analytic;
