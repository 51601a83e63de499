//! Carriers and payloads inside the disc: depots placed by a scenario's treatments release
//! payload by a release law; carriers and payloads diffuse (hindered), partition, are cleared
//! to the vascular sink and consumed in tissue. Every amount is tracked so that
//! dose = in carrier + free in tissue + cleared + consumed. Dosing routes to the spinal cord
//! (local, intrathecal, intravenous) are in [`route`].

pub mod linear;
pub mod route;

pub mod depot;
pub mod engine;
pub mod spec;
#[cfg(test)]
mod tests;
pub mod water;

pub use engine::{Delivery, Ledger, MaterialLedger, AMOUNT_TO_UG};
pub use spec::{CarrierSpec, NanozymeSpec, PayloadSpec, RosSpec, Site, TreatmentSpec};

#[cfg(test)]
mod engine_tests;
