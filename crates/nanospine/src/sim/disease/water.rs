//! Water feedback of the disease stage: the NP water of the swelling mechanics sets the NP
//! diffusivity of the nutrients (O2, glucose, lactate: Mackie–Meares) and of the six biology
//! solutes (H2O2: Mackie–Meares; cytokines and NGF: the default hindrance law with the NP
//! permeability following the water), each through its [`crate::carriers::WaterLaw`]; the
//! delivery engine does the same for payloads and carriers
//! ([`crate::delivery::Delivery::set_np_water`]). AF and CEP water are held.

use super::Disease;
use crate::carriers::WaterLaw;
use crate::carriers::{MAX_WATER_FRACTION, MIN_WATER_FRACTION};
use crate::delivery::water::{scale_np, WaterScaled};
use crate::grid::NP;
use crate::sim::Model;
use crate::transport::operator::SoluteTransport;

/// NP water fractions `(phi0, phi)` (dimensionless): `phi0` the model's NP water at assembly,
/// `phi = phi0 x ratio` (`ratio` = NP water now / at the start, from the swelling mechanics),
/// clamped to [[`MIN_WATER_FRACTION`], [`MAX_WATER_FRACTION`]].
pub fn np_water(model: &Model, ratio: f64) -> (f64, f64) {
    let phi0 = model.water[NP as usize];
    let phi = (phi0 * ratio).clamp(MIN_WATER_FRACTION, MAX_WATER_FRACTION);
    (phi0, phi)
}

/// Water feedback on nutrient transport: every nutrient's NP diffusivity becomes its value at
/// assembly (`model.solutes`) times the Mackie–Meares factor `MM(phi)/MM(phi0)`
/// ([`WaterLaw::Obstruction`]), with `(phi0, phi)` from [`np_water`].
pub fn water_feedback(model: &Model, ratio: f64, solutes: &mut [SoluteTransport]) {
    let (phi0, phi) = np_water(model, ratio);
    for (s, s0) in solutes.iter_mut().zip(&model.solutes) {
        scale_np(s, s0, &WaterLaw::Obstruction, phi0, phi);
    }
}

impl Disease {
    /// Sets the NP diffusivity of the six biology solutes for the NP water ratio `ratio` (now /
    /// at the start, see [`np_water`]) and rebuilds the face coefficients of their operators.
    pub fn set_np_water(&mut self, model: &Model, ratio: f64) {
        let (phi0, phi) = np_water(model, ratio);
        for (w, op) in self.water.iter_mut().zip(self.ops.iter_mut()) {
            if w.set_np_water(phi0, phi) {
                op.set_transport(&model.grid, &w.now);
            }
        }
    }

    /// The transports of the six biology solutes in force (same order as
    /// [`Disease::solutes`]), with their assembly values and NP water laws.
    pub fn water_scaled(&self) -> &[WaterScaled] {
        &self.water
    }
}
