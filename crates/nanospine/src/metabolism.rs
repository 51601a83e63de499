//! Disc-cell energy metabolism (Bibby et al. 2005 kinetics, as coded in the open abaqusIVD model)
//! and the cell-viability laws (glucose starvation, acidity).
//!
//! Solutes: oxygen as partial pressure P (kPa), glucose G (mM), lactate L (mM). pH follows lactate:
//! `pH = pH_ref - L / B`. Rates per cell are in nmol/(10^6 cells h) and are converted with
//! `R [mM/s] = Q * rho [cells/mm^3] * 1e-6 / 3600`.
//!
//! * O2 consumption: `Q_O2 = V(pH) P / (K(pH) + P)`, `V = a (pH - pH0)`, `K = k0 + k1 (pH - pH0)`.
//! * Lactate production: `Q_lac = exp(c0 + c1 pH + c2 P + c3 P^2) * G / (K_G + G)`.
//! * Glucose consumption: `Q_glc = Q_lac / 2` (glycolysis stoichiometry), so lactate efflux equals
//!   twice glucose uptake exactly. The saturating factor `G/(K_G + G)` is an **assumption**
//!   (the coded law has no glucose dependence and clamps glucose at zero instead).

use crate::reactions::{Process, VoxelCtx};

/// nmol/(10^6 cells h) x cells/mm^3 -> mM/s.
pub const RATE_TO_MM_PER_S: f64 = 1e-6 / 3600.0;

/// Parameters of the metabolism and viability laws (model units).
#[derive(Debug, Clone, PartialEq)]
pub struct MetabolismParams {
    /// O2 Vmax slope `a` (nmol/(10^6 cells h) per pH unit).
    pub o2_vmax_slope: f64,
    /// pH offset `pH0` of the O2 law.
    pub o2_ph_offset: f64,
    /// Km intercept `k0` (kPa).
    pub o2_km_intercept: f64,
    /// Km slope `k1` (kPa per pH unit).
    pub o2_km_slope: f64,
    /// Lactate law constant `c0` (ln of nmol/(10^6 cells h)).
    pub lac_ln_a: f64,
    /// Lactate law pH coefficient `c1` (per pH unit).
    pub lac_ph_coeff: f64,
    /// Lactate law O2 coefficient `c2` (1/kPa).
    pub lac_po2_coeff: f64,
    /// Lactate law O2^2 coefficient `c3` (1/kPa^2).
    pub lac_po2_sq_coeff: f64,
    /// Reference pH at zero lactate.
    pub ph_reference: f64,
    /// Lactate buffer `B` (mM per pH unit).
    pub ph_lactate_buffer: f64,
    /// Glucose half-saturation `K_G` (mM) (assumption).
    pub glucose_half_saturation: f64,
    /// O2 solubility (mM/kPa).
    pub o2_solubility: f64,
    /// Glucose viability threshold (mM).
    pub glucose_threshold: f64,
    /// pH viability threshold.
    pub ph_threshold: f64,
    /// Acid death rate (1/s).
    pub ph_death_rate: f64,
    /// Glucose death rate scale (1/s).
    pub glucose_death_scale: f64,
    /// Glucose death half constant `K` (mM).
    pub glucose_death_k: f64,
}

/// Solute positions used by [`Metabolism`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetabolismSolutes {
    /// Index of oxygen (kPa).
    pub oxygen: usize,
    /// Index of glucose (mM).
    pub glucose: usize,
    /// Index of lactate (mM).
    pub lactate: usize,
}

/// The Bibby metabolism as a [`Process`].
#[derive(Debug, Clone)]
pub struct Metabolism {
    /// Parameters.
    pub p: MetabolismParams,
    /// Where the three solutes sit in the solute list.
    pub idx: MetabolismSolutes,
}

impl MetabolismParams {
    /// pH from lactate (mM).
    #[inline]
    pub fn ph(&self, lactate: f64) -> f64 {
        self.ph_reference - lactate / self.ph_lactate_buffer
    }

    /// O2 consumption per cell, nmol/(10^6 cells h), at P (kPa) and pH.
    #[inline]
    pub fn q_o2(&self, p: f64, ph: f64) -> f64 {
        let x = (ph - self.o2_ph_offset).max(0.0);
        let p = p.max(0.0);
        self.o2_vmax_slope * x * p / (self.o2_km_intercept + self.o2_km_slope * x + p)
    }

    /// Lactate production per cell, nmol/(10^6 cells h), at P (kPa), pH and glucose G (mM).
    #[inline]
    pub fn q_lactate(&self, p: f64, ph: f64, g: f64) -> f64 {
        let p = p.max(0.0);
        let g = g.max(0.0);
        let base = (self.lac_ln_a
            + self.lac_ph_coeff * ph
            + self.lac_po2_coeff * p
            + self.lac_po2_sq_coeff * p * p)
            .exp();
        base * g / (self.glucose_half_saturation + g)
    }

    /// Net specific death rate (1/s, >= 0) at glucose G (mM) and pH (Zhu 2012 glucose law + constant acid death).
    #[inline]
    pub fn death_rate(&self, g: f64, ph: f64) -> f64 {
        let mut rate = 0.0;
        if g < self.glucose_threshold {
            let gp = g.max(0.0);
            rate += self.glucose_death_scale * 2.0 * (self.glucose_threshold - gp)
                / (gp + self.glucose_death_k);
        }
        if ph < self.ph_threshold {
            rate += self.ph_death_rate;
        }
        rate
    }
}

impl Process for Metabolism {
    fn name(&self) -> &str {
        "Bibby 2005 energy metabolism"
    }

    fn rates(&self, ctx: &VoxelCtx, c: &[f64], rates: &mut [f64]) {
        if ctx.cell_density <= 0.0 {
            return;
        }
        let p = c[self.idx.oxygen];
        let g = c[self.idx.glucose];
        let ph = self.p.ph(c[self.idx.lactate]);
        let scale = ctx.cell_density * RATE_TO_MM_PER_S;
        let lac = self.p.q_lactate(p, ph, g) * scale;
        rates[self.idx.oxygen] -= self.p.q_o2(p, ph) * scale / self.p.o2_solubility;
        rates[self.idx.lactate] += lac;
        rates[self.idx.glucose] -= 0.5 * lac;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Values as coded in abaqusIVD (ivd-transport.md section 0); duplicated here only for tests
    /// that check the reference-state rates of section 1.6.
    pub fn coded() -> MetabolismParams {
        MetabolismParams {
            o2_vmax_slope: 7.28,
            o2_ph_offset: 4.95,
            o2_km_intercept: 1.46,
            o2_km_slope: 4.03,
            lac_ln_a: -2.47,
            lac_ph_coeff: 0.93,
            lac_po2_coeff: 0.16,
            lac_po2_sq_coeff: -0.0058,
            ph_reference: 7.4,
            ph_lactate_buffer: 11.11,
            glucose_half_saturation: 0.03,
            o2_solubility: 0.010268,
            glucose_threshold: 0.511,
            ph_threshold: 6.78,
            ph_death_rate: 3.77e-6,
            glucose_death_scale: 1.0 / 86400.0,
            glucose_death_k: 3.18,
        }
    }

    #[test]
    fn reference_state_rates_match_research_table() {
        // ivd-transport.md 1.6 [D]: pH 7.4, 5.1 kPa -> O2 5.54, lactate 160; pH 6.8, 0.5 kPa -> 0.72, 51.
        let p = coded();
        assert!((p.q_o2(5.1, 7.4) - 5.54).abs() < 0.01);
        // glucose saturating factor at 5 mM: 5/5.03
        let sat = 5.0 / 5.03;
        assert!((p.q_lactate(5.1, 7.4, 5.0) / sat - 160.0).abs() < 1.0);
        assert!((p.q_o2(0.5, 6.8) - 0.72).abs() < 0.01);
        assert!((p.q_lactate(0.5, 6.8, 5.0) / sat - 51.0).abs() < 1.0);
    }

    #[test]
    fn lactate_production_is_twice_glucose_uptake() {
        let m = Metabolism {
            p: coded(),
            idx: MetabolismSolutes {
                oxygen: 0,
                glucose: 1,
                lactate: 2,
            },
        };
        let ctx = VoxelCtx {
            label: 1,
            cell_density: 4000.0,
            water_fraction: 0.8,
            perfusion: 1.0,
        };
        let mut r = [0.0; 3];
        m.rates(&ctx, &[2.0, 1.5, 3.0], &mut r);
        assert!(r[0] < 0.0 && r[1] < 0.0 && r[2] > 0.0);
        assert!((r[2] + 2.0 * r[1]).abs() < 1e-15 * r[2].abs().max(1.0));
    }

    #[test]
    fn death_laws() {
        let p = coded();
        assert_eq!(p.death_rate(1.0, 7.2), 0.0);
        assert!((p.death_rate(1.0, 6.7) - 3.77e-6).abs() < 1e-12);
        // at zero glucose: 2 * 0.511 / 3.18 per day
        let expect = 2.0 * 0.511 / 3.18 / 86400.0;
        assert!((p.death_rate(0.0, 7.2) - expect).abs() < 1e-12);
    }
}
