//! Swelling mechanics of the disc: proteoglycan content -> fixed charge -> Donnan osmotic
//! pressure -> equilibrium NP hydration under the intradiscal pressure -> disc height, with a
//! hydrogel implant sharing the axial load; and the animal-study / imaging read-outs that depend
//! only on water and height (%DHI, NP T2, a Pfirrmann-grade proxy).
//!
//! The chain is the "minimal chain" of the research notes (ivd-transport.md §5.2):
//! 1. [`donnan`]: fixed charge density (FCD) from GAG content, ideal Donnan osmotic pressure
//!    against a 0.15 M NaCl bath, wet-weight <-> volume water fractions.
//! 2. [`swelling`]: one tissue (NP or AF) as a laterally confined column; equilibrium where
//!    Donnan pressure + matrix stress = applied pressure, solved by a bracketed 1-D root finder.
//! 3. [`column`]: NP, AF and an optional implant as parallel springs between rigid endplates under
//!    the axial load of the healthy disc at its species' intradiscal pressure; gives disc height
//!    and the NP water of a degenerated or treated disc.
//! 4. [`readouts`]: disc height index and %DHI; NP water -> T2 and a Pfirrmann-grade proxy.
//!
//! Units: pressures and stresses MPa (implant modulus kPa, as carriers give it), FCD mEq/mL of
//! water (= mol/L of unit charges, "M"), fixed charge per dry mass mEq/g, heights mm, water as
//! wet-weight fraction (what biochemistry and the grade tables report) or volume fraction (what
//! the kinematics use), both dimensionless and always named in the field.
//!
//! Parameters are read from the registry (`mechanics.*`, `imaging.*`, plus `anatomy.<species>.*`
//! and `degeneration.grade<N>.np_water_fraction`); see docs/model.md §9 and
//! docs/mechanics-validation.md for what is predicted and what is assumed.

pub mod column;
pub mod donnan;
pub mod readouts;
pub mod swelling;

pub use column::{ColumnReference, DiscColumn, DiscEquilibrium, Implant, TissueState};
pub use donnan::Osmotic;
pub use readouts::{DhiCategory, ImagingMap, T2Estimate};
pub use swelling::{SwellingState, SwellingTissue};

use crate::params::Registry;

/// An invalid input, a missing parameter or a state without mechanical equilibrium. The message
/// names the quantity, its value (with unit) and what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct MechanicsError(pub String);

impl From<crate::params::ParamError> for MechanicsError {
    fn from(e: crate::params::ParamError) -> Self {
        MechanicsError(e.0)
    }
}

impl From<MechanicsError> for crate::Error {
    fn from(e: MechanicsError) -> Self {
        crate::Error::Config(e.0)
    }
}

/// Checks that `value` is finite and within `[lo, hi]`; the error names `what` and `unit`.
pub(crate) fn check_range(
    what: &str,
    value: f64,
    lo: f64,
    hi: f64,
    unit: &str,
) -> Result<(), MechanicsError> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(())
    } else {
        Err(MechanicsError(format!(
            "{what} = {value} {unit} is outside the allowed range [{lo}, {hi}] {unit}"
        )))
    }
}

/// Every registry name read by [`DiscColumn::from_registry`] and [`ImagingMap::from_registry`]
/// for `species` (for provenance listings).
pub fn registry_names(species: &str) -> Vec<String> {
    let mut v: Vec<String> = [
        "mechanics.bath_nacl",
        "mechanics.osmotic_coefficient",
        "mechanics.solid_density",
        "mechanics.np.charge_per_dry_mass",
        "mechanics.np.reference_water",
        "mechanics.np.matrix_modulus",
        "mechanics.af.charge_per_dry_mass",
        "mechanics.af.reference_water",
        "mechanics.af.matrix_modulus",
        "imaging.np_t2.grade2",
        "imaging.np_t2.water_slope",
        "imaging.scan_np_pressure",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("mechanics.intradiscal_pressure.{species}"));
    for k in ["disc_height", "cep_thickness", "np_width_fraction"] {
        v.push(format!("anatomy.{species}.{k}"));
    }
    for g in 1..=5 {
        v.push(format!("degeneration.grade{g}.np_water_fraction"));
    }
    v
}

/// Osmotic settings (bath, temperature, osmotic coefficient) from the registry.
pub fn osmotic_from_registry(reg: &Registry) -> Result<Osmotic, MechanicsError> {
    Osmotic::new(
        reg.value_in("mechanics.bath_nacl", "M")?,
        donnan::BODY_TEMPERATURE_K,
        reg.value("mechanics.osmotic_coefficient")?,
    )
}

#[cfg(test)]
mod tests;
