//! Water feedback of the delivery engine: the NP diffusivities of every payload, mobile carrier
//! and the engine's H2O2 follow the NP water of the swelling mechanics.

use super::Delivery;
use crate::delivery::water::WaterScaled;
use crate::grid::Grid;

impl Delivery {
    /// Sets the NP diffusivity of every transported species for NP water fraction `phi`
    /// (dimensionless; `phi0` the value at assembly) through its [`crate::carriers::WaterLaw`],
    /// and rebuilds the face coefficients of the species whose diffusivity changed.
    pub fn set_np_water(&mut self, grid: &Grid, phi0: f64, phi: f64) {
        for tr in &mut self.treatments {
            if tr.free_water.set_np_water(phi0, phi) {
                tr.free_lin.set_transport(grid, &tr.free_water.now);
            }
            if let (Some(w), Some(lin)) = (tr.carrier_water.as_mut(), tr.carrier_lin.as_mut()) {
                if w.set_np_water(phi0, phi) {
                    lin.set_transport(grid, &w.now);
                }
            }
        }
        if let Some(r) = self.ros.as_mut() {
            if r.water.set_np_water(phi0, phi) {
                r.lin.set_transport(grid, &r.water.now);
            }
        }
    }

    /// The water-scaled transports, keyed like the read-out columns: `<payload>` (diffusivity
    /// x partition, mm^2/s), `<payload>.carrier` (mm^2/s) for mobile carriers, `h2o2`.
    pub fn water_scaled(&self) -> Vec<(String, &WaterScaled)> {
        let mut out = vec![];
        for tr in &self.treatments {
            out.push((tr.key.clone(), &tr.free_water));
            if let Some(w) = &tr.carrier_water {
                out.push((format!("{}.carrier", tr.key), w));
            }
        }
        if let Some(r) = &self.ros {
            out.push(("h2o2".to_string(), &r.water));
        }
        out
    }
}
