//! Water feedback on transport coefficients: the NP diffusivity of a solute follows the NP water
//! of the swelling mechanics through the solute's [`WaterLaw`]; every other label keeps its
//! diffusivity from assembly.

use crate::carriers::WaterLaw;
use crate::grid::NP;
use crate::transport::operator::SoluteTransport;

/// Sets `now` to `base` with the NP diffusivity scaled by `law.factor(phi0, phi)` (water
/// fractions, dimensionless): the one place the water factor is applied, for nutrients,
/// biology solutes, payloads and carriers alike. Only `d_by_label[NP]` changes; boundary
/// conductances are those of `base` (the NP has no vascular boundary face). Returns the factor.
pub fn scale_np(
    now: &mut SoluteTransport,
    base: &SoluteTransport,
    law: &WaterLaw,
    phi0: f64,
    phi: f64,
) -> f64 {
    let f = law.factor(phi0, phi);
    now.d_by_label = base.d_by_label;
    now.d_by_label[NP as usize] = base.d_by_label[NP as usize] * f;
    f
}

/// A solute's transport at assembly (`base`), the transport in force (`now`) and how its NP
/// diffusivity follows the NP water (`law`).
#[derive(Debug, Clone)]
pub struct WaterScaled {
    /// Transport at assembly (NP water `phi0`).
    pub base: SoluteTransport,
    /// Transport in force.
    pub now: SoluteTransport,
    /// Water dependence of the NP diffusivity.
    pub law: WaterLaw,
    /// NP water fraction (dimensionless) that `now` was last set for; NaN before any call.
    phi: f64,
}

impl WaterScaled {
    /// Starts at `base` (no change yet).
    pub fn new(base: SoluteTransport, law: WaterLaw) -> Self {
        WaterScaled {
            now: base.clone(),
            base,
            law,
            phi: f64::NAN,
        }
    }

    /// Sets the NP diffusivity for NP water `phi` (assembly value `phi0`), both dimensionless.
    /// Returns false, doing nothing, when `phi` is the value already applied (so the caller can
    /// skip rebuilding its operator).
    pub fn set_np_water(&mut self, phi0: f64, phi: f64) -> bool {
        if phi == self.phi {
            return false;
        }
        self.phi = phi;
        scale_np(&mut self.now, &self.base, &self.law, phi0, phi);
        true
    }
}
