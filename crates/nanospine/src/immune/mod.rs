//! Innate-immune machinery shared by the disc and the spinal cord models: Hill activations and
//! their OR-combination, M0/M1/M2 polarisation of a macrophage (or microglia) pool, CCR2-dependent
//! monocyte recruitment up a CCL2 signal, and cytokine secretion/decay.
//!
//! The disc biology ([`crate::biology`]) and the cord secondary-injury biology
//! ([`crate::sci::biology`]) both build their macrophage and cytokine equations from these pieces,
//! each with its own constants from the registry, so a change to the polarisation scheme acts on
//! both tissues. Equations: docs/biology.md §5 (macrophages) and docs/cord.md (microglia,
//! recruitment).
//!
//! Units: time s; cells cells/mm^3; cytokines pg/mL; every rate constant 1/s.

use crate::params::Registry;
use crate::Error;

/// mm^3 per millilitre: (pg/mm^3) -> (pg/mL).
const MM3_PER_ML: f64 = 1e3;

/// Hill activation `x^n / (K^n + x^n)` for `x >= 0` (negative `x` counts as 0), in 0..1.
/// `x` and `k` in the same unit; `n` dimensionless.
#[inline]
pub fn hill(x: f64, k: f64, n: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let r = k / x;
    let rn = if n == 2.0 {
        r * r
    } else if n == 1.0 {
        r
    } else {
        r.powf(n)
    };
    1.0 / (1.0 + rn)
}

/// Probabilistic OR of activations in 0..1: `1 - prod(1 - a_i)` (dimensionless).
#[inline]
pub fn any(a: &[f64]) -> f64 {
    1.0 - a.iter().fold(1.0, |p, &x| p * (1.0 - x))
}

/// Rate constants (1/s) of a three-state polarisation scheme M0 (unpolarised or resting),
/// M1 (pro-inflammatory), M2 (anti-inflammatory), driven by a pro-inflammatory cue `s1` and an
/// anti-inflammatory cue `s2` (both 0..1):
///
/// ```text
/// dM0/dt = J + r (M1 + M2) - (k01 s1 + k02(s2) + d) M0
/// dM1/dt = k01 s1 M0 + k21 s1 M2 - (k12 s2 + d + r) M1
/// dM2/dt = k02(s2) M0 + k12 s2 M1 - (k21 s1 + d + r) M2
/// k02(s2) = k02_basal + (k02_max - k02_basal) s2
/// ```
///
/// `J` is the influx (cells/mm^3/s); `d` removes cells of every state (death, egress); `r`
/// returns polarised cells to M0 (resting microglia; 0 for recruited macrophages).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Polarisation {
    /// M0 -> M1 rate at full pro-inflammatory cue (1/s).
    pub m0_to_m1: f64,
    /// Constitutive M0 -> M2 rate (1/s).
    pub m0_to_m2_basal: f64,
    /// M0 -> M2 rate at full anti-inflammatory cue (1/s).
    pub m0_to_m2_max: f64,
    /// M1 -> M2 rate at full anti-inflammatory cue (1/s).
    pub m1_to_m2: f64,
    /// M2 -> M1 rate at full pro-inflammatory cue (1/s).
    pub m2_to_m1: f64,
    /// Removal of cells of every state: death and egress (1/s).
    pub death: f64,
    /// Return of M1 and M2 cells to M0 (1/s); 0 for recruited macrophages.
    pub revert: f64,
}

impl Polarisation {
    /// The recruited-macrophage constants shared by every tissue (`biology.macrophage.*`,
    /// converted to 1/s), with no reversion to M0.
    pub fn macrophages(reg: &Registry) -> Result<Polarisation, Error> {
        let rate = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "1/s")?) };
        Ok(Polarisation {
            m0_to_m1: rate("biology.macrophage.m0_to_m1_rate")?,
            m0_to_m2_basal: rate("biology.macrophage.m0_to_m2_basal")?,
            m0_to_m2_max: rate("biology.macrophage.m0_to_m2_max")?,
            m1_to_m2: rate("biology.macrophage.m1_to_m2_rate")?,
            m2_to_m1: rate("biology.macrophage.m2_to_m1_rate")?,
            death: rate("biology.macrophage.death_rate")?,
            revert: 0.0,
        })
    }

    /// `d[M0, M1, M2]/dt` (cells/mm^3/s) of pool `m` (cells/mm^3) with influx `influx`
    /// (cells/mm^3/s) under cues `s1` (pro-inflammatory) and `s2` (anti-inflammatory), both 0..1.
    #[inline]
    pub fn rates(&self, influx: f64, s1: f64, s2: f64, m: [f64; 3]) -> [f64; 3] {
        self.rates_with_switch_block(influx, s1, s2, 0.0, m)
    }

    /// As [`Polarisation::rates`], with the M1 -> M2 switch slowed by the factor
    /// `1 - switch_block` (`switch_block` 0..1): a lesion environment that holds M1 cells in M1
    /// (TNF-a, Kroner 2014) while new cells may still polarise to M2.
    #[inline]
    pub fn rates_with_switch_block(
        &self,
        influx: f64,
        s1: f64,
        s2: f64,
        switch_block: f64,
        m: [f64; 3],
    ) -> [f64; 3] {
        let k01 = self.m0_to_m1 * s1;
        let k02 = self.m0_to_m2_basal + (self.m0_to_m2_max - self.m0_to_m2_basal).max(0.0) * s2;
        let k12 = self.m1_to_m2 * s2 * (1.0 - switch_block.clamp(0.0, 1.0));
        let k21 = self.m2_to_m1 * s1;
        let d = self.death;
        let r = self.revert;
        [
            influx + r * (m[1] + m[2]) - (k01 + k02 + d) * m[0],
            k01 * m[0] + k21 * m[2] - (k12 + d + r) * m[1],
            k02 * m[0] + k12 * m[1] - (k21 + d + r) * m[2],
        ]
    }
}

/// Secretion and first-order decay of one cytokine or chemokine:
/// `dC/dt = secretion * producers - decay * C`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cytokine {
    /// Volumetric secretion per unit producer density, (pg/mL/s) per (cells/mm^3).
    pub secretion: f64,
    /// First-order decay (1/s).
    pub decay: f64,
}

impl Cytokine {
    /// Reads a per-cell secretion (registry entry `secretion`, any mass/(cells*time) unit) and a
    /// decay rate (entry `decay`, any 1/time unit) and converts them to (pg/mL/s) per
    /// (cells/mm^3) and 1/s.
    pub fn from_registry(reg: &Registry, secretion: &str, decay: &str) -> Result<Cytokine, Error> {
        Ok(Cytokine {
            secretion: reg.value_in(secretion, "pg/(cells*s)")? * MM3_PER_ML,
            decay: reg.value_in(decay, "1/s")?,
        })
    }

    /// `dC/dt` (pg/mL/s) for producer density `producers` (cells/mm^3, or any density the
    /// secretion constant is expressed per) and concentration `c` (pg/mL).
    #[inline]
    pub fn rate(&self, producers: f64, c: f64) -> f64 {
        self.secretion * producers - self.decay * c
    }

    /// Steady concentration (pg/mL) for a constant producer density (cells/mm^3).
    pub fn steady(&self, producers: f64) -> f64 {
        if self.decay > 0.0 {
            self.secretion * producers / self.decay
        } else {
            f64::INFINITY
        }
    }
}

/// Monocyte recruitment through CCR2 (cells/mm^3/s): `J_max * H(CCL2; K, 1) * a * v`, with
/// `ccl2` and `ccl2_half` in pg/mL, `ccr2_available` the fraction of CCR2 not blocked or knocked
/// out (0..1) and `vascular_access` the fraction of normal vessel access and barrier opening
/// (0..1). Monocytes that cannot engage CCR2 do not adhere firmly or extravasate (Kuziel 1997).
#[inline]
pub fn ccr2_recruitment(
    max_rate: f64,
    ccl2: f64,
    ccl2_half: f64,
    ccr2_available: f64,
    vascular_access: f64,
) -> f64 {
    max_rate
        * hill(ccl2, ccl2_half, 1.0)
        * ccr2_available.clamp(0.0, 1.0)
        * vascular_access.max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hill_half_and_limits() {
        assert_eq!(hill(0.0, 2.0, 2.0), 0.0);
        assert_eq!(hill(-1.0, 2.0, 1.0), 0.0);
        assert!((hill(2.0, 2.0, 3.0) - 0.5).abs() < 1e-15);
        assert!((hill(4.0, 2.0, 2.0) - 0.8).abs() < 1e-15);
        assert!((any(&[0.5, 0.5]) - 0.75).abs() < 1e-15);
    }

    /// Rate constants (1/s) with every transition active, no death.
    fn all_transitions() -> Polarisation {
        Polarisation {
            m0_to_m1: 1e-5,
            m0_to_m2_basal: 1e-6,
            m0_to_m2_max: 3e-5,
            m1_to_m2: 2e-5,
            m2_to_m1: 4e-6,
            death: 0.0,
            revert: 7e-6,
        }
    }

    #[test]
    fn polarisation_conserves_cells_without_influx_and_death() {
        let p = all_transitions();
        let d = p.rates(0.0, 0.3, 0.6, [10.0, 20.0, 30.0]);
        assert!((d[0] + d[1] + d[2]).abs() < 1e-15);
        // with death d, the total falls at d * total plus the influx
        let q = Polarisation { death: 1e-6, ..p };
        let e = q.rates(2e-4, 0.3, 0.6, [10.0, 20.0, 30.0]);
        assert!((e[0] + e[1] + e[2] - (2e-4 - 1e-6 * 60.0)).abs() < 1e-15);
    }

    #[test]
    fn polarisation_steady_state_matches_linear_solve() {
        // no M2 cue, constant M1 cue: steady M0 = J / (k01 + kb + d), M1 = k01 M0 / (d)
        let p = Polarisation {
            m0_to_m1: 2e-5,
            m0_to_m2_basal: 1e-6,
            m0_to_m2_max: 1e-6,
            m1_to_m2: 0.0,
            m2_to_m1: 0.0,
            death: 3e-6,
            revert: 0.0,
        };
        let j = 1e-3;
        let m0 = j / (2e-5 + 1e-6 + 3e-6);
        let m = [m0, 2e-5 * m0 / 3e-6, 1e-6 * m0 / 3e-6];
        let d = p.rates(j, 1.0, 0.0, m);
        for v in d {
            assert!(v.abs() < 1e-15, "{d:?}");
        }
    }

    #[test]
    fn switch_block_slows_only_the_m1_to_m2_switch() {
        let p = Polarisation {
            death: 1e-6,
            revert: 0.0,
            ..all_transitions()
        };
        let m = [10.0, 20.0, 30.0];
        let (s1, s2) = (0.3, 0.6);
        let free = p.rates(1e-3, s1, s2, m);
        assert_eq!(free, p.rates_with_switch_block(1e-3, s1, s2, 0.0, m));
        // a full block removes exactly the M1 -> M2 flux k12 M1 = m1_to_m2 s2 M1
        let flux = 2e-5 * s2 * 20.0;
        let full = p.rates_with_switch_block(1e-3, s1, s2, 1.0, m);
        assert!((full[0] - free[0]).abs() < 1e-18);
        assert!((full[1] - (free[1] + flux)).abs() < 1e-15);
        assert!((full[2] - (free[2] - flux)).abs() < 1e-15);
        // half a block removes half of it; out-of-range blocks are clamped
        let half = p.rates_with_switch_block(1e-3, s1, s2, 0.5, m);
        assert!((half[1] - (free[1] + 0.5 * flux)).abs() < 1e-15);
        assert_eq!(p.rates_with_switch_block(1e-3, s1, s2, 2.0, m), full);
    }

    #[test]
    fn cytokine_and_recruitment() {
        let c = Cytokine {
            secretion: 0.02,
            decay: 1e-4,
        };
        assert!((c.steady(5.0) - 1000.0).abs() < 1e-9);
        assert!(c.rate(5.0, 1000.0).abs() < 1e-15);
        let r = ccr2_recruitment(2.0, 50.0, 50.0, 1.0, 1.0);
        assert!((r - 1.0).abs() < 1e-15);
        assert_eq!(ccr2_recruitment(2.0, 50.0, 50.0, 0.0, 1.0), 0.0);
        assert_eq!(ccr2_recruitment(2.0, 50.0, 50.0, 1.5, 0.5), 0.5);
    }
}
