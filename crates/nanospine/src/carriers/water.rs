//! Water dependence of a solute's tissue diffusivity: one law, [`WaterLaw`], gives `D/D0` at
//! any tissue water fraction `phi`, and [`WaterLaw::factor`] the ratio `D(phi)/D(phi0)` that the
//! run applies when the swelling mechanics moves the NP water (nutrients, biology solutes,
//! payloads and carriers alike).
//!
//! * **Point solutes** (O2, glucose, lactate, H2O2): the Mackie–Meares obstruction factor
//!   `(phi/(2-phi))^2` (Mackie & Meares 1955; ivd-transport.md §1 [V-code]), the law the model
//!   uses for them at assembly.
//! * **Gu 2004** (Ann Biomed Eng 32:1710), `D/D0 = exp(-alpha*(r_s/sqrt(kappa))^beta)`: water
//!   acts through the Darcy permeability, as in that paper ("effect of porosity"). The
//!   permeability follows the strain-dependent law `k = alpha_k (1 + e)^M = alpha_k/(1-phi)^M`
//!   (e the void ratio), `M` = [`PERMEABILITY_WATER_EXPONENT`] (Schroeder et al. 2008 J Orthop
//!   Res, as coded in abaqusIVD `Sub_MechDisc.f`; ivd-transport.md §5.1 [V-code]; the registry
//!   already uses this law for the CEP permeability), so with the registry permeability
//!   `kappa_ref` at the tissue's registry water `phi_ref`:
//!   `kappa(phi) = kappa_ref ((1-phi_ref)/(1-phi))^M`.
//! * **Ogston**, `D/D0 = exp(-sqrt(phi_f)*(r_s+r_f)/r_f)`: the fibre volume fraction follows the
//!   solid fraction, `phi_f(phi) = phi_f,ref (1-phi)/(1-phi_ref)` (assumption: the GAG share of
//!   the solid is fixed while water moves in or out).
//!
//! Every hindered law keeps the Mackie–Meares cap of [`super::hindered`], evaluated at `phi`.
//! At `phi = phi_ref` the law returns exactly the `ratio` of [`super::hindered`].
//!
//! What this gives (NP, registry values, 10 % water loss 0.80 -> 0.72): Mackie–Meares 0.71;
//! Gu (default) 0.92 at 0.5 nm, 0.87 at 2 nm (cytokines), 0.77 at 10 nm, 0.69 at 25 nm;
//! Ogston 0.71 at 2 nm (capped), 0.73 at 5 nm, 0.54 at 10 nm. The default law therefore makes proteins *less* sensitive to water than the
//! nutrients: Gu's weak dependence on permeability (`beta` = 0.372) and the mild permeability
//! law (`M` = 1.2). This agrees qualitatively with FRAP in cartilage, where the diffusivity of
//! large solutes tracked GAG content and not water content (Travascio et al. 2020, Osteoarthr
//! Cartil Open 2:100087 [V], np-carriers.md §3.2).

use super::hindrance::{
    gu_ratio, mackie_meares, ogston_ratio, HindranceLaw, HindranceParams, Tissue,
};
use super::CarrierError;

/// Exponent `M` of the permeability–water law `k = alpha_k/(1-phi)^M` (dimensionless): 1.2 for
/// NP, AF and CEP (Schroeder et al. 2008 J Orthop Res, abaqusIVD `emme.inp` [V-code];
/// ivd-transport.md §5.1).
pub const PERMEABILITY_WATER_EXPONENT: f64 = 1.2;

/// Smallest water fraction the law evaluates (dimensionless); lower values are clamped.
/// Assumption: a numerical guard, far below any tissue (degenerate NP ~0.7).
pub const MIN_WATER_FRACTION: f64 = 0.05;

/// Largest water fraction the law evaluates (dimensionless); higher values are clamped.
/// Assumption: a numerical guard (the permeability law diverges at 1).
pub const MAX_WATER_FRACTION: f64 = 0.99;

/// How `D/D0` of one solute in one tissue depends on the tissue water fraction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WaterLaw {
    /// Point solute: `D/D0` = Mackie–Meares `(phi/(2-phi))^2`.
    Obstruction,
    /// Does not diffuse (an immobile depot): `D = 0` at any water, factor 1.
    Immobile,
    /// Gu 2004 with the permeability following the water, capped at Mackie–Meares.
    Gu {
        /// Stokes radius (nm).
        radius_nm: f64,
        /// Fit coefficient alpha (dimensionless).
        alpha: f64,
        /// Fit exponent beta (dimensionless).
        beta: f64,
        /// Darcy permeability (m^2) at `water_ref`.
        kappa_ref_m2: f64,
        /// Water fraction (dimensionless) at which `kappa_ref_m2` holds.
        water_ref: f64,
    },
    /// Ogston with the fibre fraction following the solid fraction, capped at Mackie–Meares.
    Ogston {
        /// Stokes radius (nm).
        radius_nm: f64,
        /// Fibre radius (nm).
        fibre_radius_nm: f64,
        /// Fibre volume fraction (dimensionless) at `water_ref`.
        fibre_fraction_ref: f64,
        /// Water fraction (dimensionless) at which `fibre_fraction_ref` holds.
        water_ref: f64,
    },
}

/// Darcy permeability (m^2) at water fraction `phi` from `kappa_ref_m2` (m^2) at `water_ref`:
/// `kappa_ref ((1-water_ref)/(1-phi))^M`, both fractions clamped to
/// [[`MIN_WATER_FRACTION`], [`MAX_WATER_FRACTION`]].
pub fn permeability_at_water(kappa_ref_m2: f64, water_ref: f64, phi: f64) -> f64 {
    let (r, p) = (clamp_water(water_ref), clamp_water(phi));
    kappa_ref_m2 * ((1.0 - r) / (1.0 - p)).powf(PERMEABILITY_WATER_EXPONENT)
}

fn clamp_water(phi: f64) -> f64 {
    if phi.is_nan() {
        return MAX_WATER_FRACTION;
    }
    phi.clamp(MIN_WATER_FRACTION, MAX_WATER_FRACTION)
}

impl WaterLaw {
    /// The law of a sphere of radius `radius_nm` (nm, finite and > 0) in `tissue` under
    /// hindrance `law`, referenced to the registry matrix of `p` (its permeability, fibre
    /// fraction and water).
    pub fn hindered(
        radius_nm: f64,
        tissue: Tissue,
        law: HindranceLaw,
        p: &HindranceParams,
    ) -> Result<WaterLaw, CarrierError> {
        if !(radius_nm.is_finite() && radius_nm > 0.0) {
            return Err(CarrierError(format!(
                "water law in {tissue}: radius must be a finite number > 0 nm, got {radius_nm} nm"
            )));
        }
        let m = p.matrix(tissue);
        let gu = |(alpha, beta): (f64, f64)| WaterLaw::Gu {
            radius_nm,
            alpha,
            beta,
            kappa_ref_m2: m.darcy_permeability_m2,
            water_ref: m.water_fraction,
        };
        Ok(match law {
            HindranceLaw::GuAnnulus => gu(p.gu_annulus),
            HindranceLaw::GuAgarose => gu(p.gu_agarose),
            HindranceLaw::Ogston => WaterLaw::Ogston {
                radius_nm,
                fibre_radius_nm: m.fibre_radius_nm,
                fibre_fraction_ref: m.fibre_fraction,
                water_ref: m.water_fraction,
            },
        })
    }

    /// `D/D0` (dimensionless) at water fraction `phi` (clamped to
    /// [[`MIN_WATER_FRACTION`], [`MAX_WATER_FRACTION`]]); 0 for [`WaterLaw::Immobile`].
    pub fn ratio(&self, phi: f64) -> f64 {
        let phi = clamp_water(phi);
        let cap = mackie_meares(phi);
        match *self {
            WaterLaw::Obstruction => cap,
            WaterLaw::Immobile => 0.0,
            WaterLaw::Gu {
                radius_nm,
                alpha,
                beta,
                kappa_ref_m2,
                water_ref,
            } => gu_ratio(
                radius_nm,
                permeability_at_water(kappa_ref_m2, water_ref, phi),
                alpha,
                beta,
            )
            .min(cap),
            WaterLaw::Ogston {
                radius_nm,
                fibre_radius_nm,
                fibre_fraction_ref,
                water_ref,
            } => {
                let f = fibre_fraction_ref * (1.0 - phi) / (1.0 - clamp_water(water_ref));
                ogston_ratio(radius_nm, fibre_radius_nm, f).min(cap)
            }
        }
    }

    /// Diffusivity factor `D(phi)/D(phi0)` (dimensionless) when the tissue water moves from
    /// `phi0` to `phi`; 1 when `D(phi0)` is 0 (immobile) or not finite.
    pub fn factor(&self, phi0: f64, phi: f64) -> f64 {
        let r0 = self.ratio(phi0);
        let f = self.ratio(phi) / r0;
        if r0 > 0.0 && f.is_finite() {
            f
        } else {
            1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::hindered;
    use crate::params::Registry;

    /// Hand values (python, 10 % water loss 0.80 -> 0.72): Mackie-Meares
    /// (0.72/1.28)^2 / (0.8/1.2)^2 = 0.711914; Gu (alpha 1.29, beta 0.372, kappa 6.22e-19 m^2
    /// at 0.8, kappa(0.72) = 6.22e-19 (0.2/0.28)^1.2) 0.867425 at 2 nm and 0.771962 at 10 nm;
    /// Ogston (r_f 0.55 nm, phi_f 0.03 -> 0.042) 0.725986 at 5 nm, 0.544050 at 10 nm; at 2 nm
    /// the Mackie-Meares cap binds at both waters, so the factor is Mackie-Meares.
    #[test]
    fn factors_match_hand_values() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
        assert!(close(WaterLaw::Obstruction.factor(0.8, 0.72), 0.711914));
        let gu = |r| WaterLaw::Gu {
            radius_nm: r,
            alpha: 1.29,
            beta: 0.372,
            kappa_ref_m2: 6.22e-19,
            water_ref: 0.8,
        };
        assert!(close(gu(2.0).factor(0.8, 0.72), 0.867425));
        assert!(close(gu(10.0).factor(0.8, 0.72), 0.771962));
        let og = |r| WaterLaw::Ogston {
            radius_nm: r,
            fibre_radius_nm: 0.55,
            fibre_fraction_ref: 0.03,
            water_ref: 0.8,
        };
        assert!(close(og(2.0).factor(0.8, 0.72), 0.711914));
        assert!(close(og(5.0).factor(0.8, 0.72), 0.725986));
        assert!(close(og(10.0).factor(0.8, 0.72), 0.544050));
        // permeability law: (0.2/0.28)^1.2 = 0.667800
        assert!(close(permeability_at_water(1.0, 0.8, 0.72), 0.667800));
        // no change, no factor; immobile stays 1
        assert_eq!(gu(2.0).factor(0.8, 0.8), 1.0);
        assert_eq!(WaterLaw::Immobile.factor(0.8, 0.5), 1.0);
        // the cap binds for a very small solute under Gu (0.01 nm: Gu gives 0.76 > 0.32)
        let small = gu(0.01);
        assert!(close(small.ratio(0.72), (0.72f64 / 1.28).powi(2)));
    }

    /// At the registry water every law gives exactly the `ratio` of `hindered`.
    #[test]
    fn at_registry_water_the_law_is_hindered() {
        let p = HindranceParams::from_registry(&Registry::builtin()).unwrap();
        for t in Tissue::ALL {
            for law in HindranceLaw::ALL {
                for r in [0.3, 2.0, 10.0, 50.0] {
                    let h = hindered(r, t, law, &p).unwrap();
                    let w = WaterLaw::hindered(r, t, law, &p).unwrap();
                    let phi = p.matrix(t).water_fraction;
                    assert!(
                        (w.ratio(phi) - h.ratio).abs() <= 1e-14 * h.ratio,
                        "{t} {law:?} {r}"
                    );
                }
            }
        }
        assert!(WaterLaw::hindered(0.0, Tissue::Np, HindranceLaw::DEFAULT, &p).is_err());
    }
}
