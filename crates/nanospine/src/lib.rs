//! nanospine: an in-silico laboratory for nanoparticle therapies of degenerative spine disease.
//!
//! Data flow (one direction): `scenario` (TOML, units checked) -> `anatomy` + `grid` (labelled
//! geometry) -> `transport` (diffusion, boundary supply) + `reactions` (local kinetics such as
//! [`metabolism`]) -> `sim` (time loop, arms) -> `readouts` -> `io` writers.
//!
//! Units inside the model: length mm, time s, concentration mM (= nmol/mm^3), oxygen as partial
//! pressure kPa, cell density cells/mm^3. Conversion happens once, at the scenario boundary
//! ([`units`]).
#![forbid(unsafe_code)]
// Stencil and field code indexes several parallel arrays with one cell index; iterator
// rewrites of those loops are less readable, so this lint is off for the crate.
#![allow(clippy::needless_range_loop)]

pub mod anatomy;
pub mod attribute;
pub mod bench;
pub mod biology;
pub mod carriers;
pub mod delivery;
pub mod error;
pub mod fit;
pub mod grid;
pub mod immune;
pub mod injury;
pub mod io;
pub mod mechanics;
pub mod metabolism;
pub mod params;
pub mod reactions;
pub mod readouts;
pub mod release;
pub mod report;
pub mod scenario;
pub mod sci;
pub mod sensitivity;
pub mod sim;
pub mod suggest;
pub mod transport;
pub mod units;
pub mod validate;

pub use error::Error;
