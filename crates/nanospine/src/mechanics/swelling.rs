//! One swelling tissue (NP or AF) as a laterally confined column, and its equilibrium hydration
//! under an applied pressure.
//!
//! Kinematics (Wilson et al. 2005 eq. 16-17, as coded in abaqusIVD; ivd-transport.md §5.2 step 3):
//! the solid volume is conserved, so with `J` the volume ratio to the matrix's stress-free
//! reference state (water volume fraction `n_ref`), the water volume fraction is
//! `n = 1 - (1 - n_ref) / J`, and the fixed charge per water volume is
//! `c_F = q rho_s (1 - n) / n` for a fixed charge `q` (mEq/g) per dry mass.
//!
//! Stress carried by the tissue (compression positive), MPa:
//! `sigma(J) = Pi(c_F(J)) + H ln(1/J)`, the Donnan pressure plus a Hencky (log-strain) matrix
//! stress with drained aggregate modulus `H` (tension when the tissue swells past its reference,
//! which is what restrains free swelling). The equilibrium under an applied pressure `P` solves
//! `sigma(J) = P`; `sigma` decreases strictly in `J`, so the root is unique when it exists.

use super::donnan::{self, Osmotic};
use super::{check_range, MechanicsError};
use crate::params::Registry;

/// Composition and drained matrix stiffness of one swelling tissue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SwellingTissue {
    /// Tissue label used in messages (e.g. "NP", "AF").
    pub name: String,
    /// Fixed charge per dry (solid) mass, mEq/g (= 2 x GAG / 502.5 for GAG in mg/g dry).
    pub charge_per_dry_mass: f64,
    /// Water wet-weight fraction at which the solid matrix is stress-free (dimensionless, 0-1).
    pub reference_water: f64,
    /// Drained (extrafibrillar) matrix aggregate modulus H, MPa.
    pub matrix_modulus_mpa: f64,
    /// Density of the solid matrix, g/mL.
    pub solid_density: f64,
}

/// The state of a tissue at one volume ratio `J`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SwellingState {
    /// Volume ratio to the stress-free matrix reference (dimensionless); under lateral
    /// confinement also the height ratio.
    pub stretch: f64,
    /// Water volume fraction (mL water / mL tissue).
    pub water_volume_fraction: f64,
    /// Water wet-weight fraction (g water / g wet tissue).
    pub water_wet_fraction: f64,
    /// Fixed charge density, mEq/mL of water.
    pub fcd_molar: f64,
    /// Donnan osmotic pressure, MPa.
    pub donnan_mpa: f64,
    /// Matrix stress, MPa (compression positive; negative = tension restraining swelling).
    pub matrix_mpa: f64,
    /// Total stress the tissue carries = Donnan + matrix, MPa (compression positive).
    pub total_mpa: f64,
}

impl SwellingTissue {
    /// Reads tissue `key` (`np` or `af`) from `mechanics.<key>.*` and `mechanics.solid_density`.
    pub fn from_registry(reg: &Registry, key: &str) -> Result<Self, MechanicsError> {
        let p = |k: &str| format!("mechanics.{key}.{k}");
        let t = SwellingTissue {
            name: key.to_uppercase(),
            charge_per_dry_mass: reg.value_in(&p("charge_per_dry_mass"), "mmol/g")?,
            reference_water: reg.value(&p("reference_water"))?,
            matrix_modulus_mpa: reg.value_in(&p("matrix_modulus"), "MPa")?,
            solid_density: reg.value_in("mechanics.solid_density", "g/mL")?,
        };
        t.validate()?;
        Ok(t)
    }

    /// Checks every field: charge >= 0 mEq/g, reference water in (0, 1), modulus >= 0 MPa,
    /// solid density in [0.1, 10] g/mL.
    pub fn validate(&self) -> Result<(), MechanicsError> {
        let n = &self.name;
        check_range(
            &format!("{n} fixed charge per dry mass"),
            self.charge_per_dry_mass,
            0.0,
            100.0,
            "mEq/g",
        )?;
        check_range(
            &format!("{n} reference water (wet weight)"),
            self.reference_water,
            1e-6,
            1.0 - 1e-6,
            "",
        )?;
        check_range(
            &format!("{n} matrix modulus"),
            self.matrix_modulus_mpa,
            0.0,
            1e4,
            "MPa",
        )?;
        check_range(
            &format!("{n} solid density"),
            self.solid_density,
            0.1,
            10.0,
            "g/mL",
        )
    }

    /// Water volume fraction of the stress-free reference state.
    pub fn reference_volume_fraction(&self) -> Result<f64, MechanicsError> {
        donnan::water_volume_fraction(self.reference_water, self.solid_density)
    }

    /// Smallest admissible volume ratio: all water expelled (`J = 1 - n_ref`).
    pub fn min_stretch(&self) -> Result<f64, MechanicsError> {
        Ok(1.0 - self.reference_volume_fraction()?)
    }

    /// The state at volume ratio `stretch` (> [`SwellingTissue::min_stretch`]).
    pub fn state_at(&self, osm: &Osmotic, stretch: f64) -> Result<SwellingState, MechanicsError> {
        self.validate()?;
        let solid = self.min_stretch()?;
        if !(stretch.is_finite() && stretch > solid) {
            return Err(MechanicsError(format!(
                "{} volume ratio J = {stretch} must be finite and larger than the solid fraction {solid:.4} (no water left)",
                self.name
            )));
        }
        Ok(self.state_unchecked(osm, stretch, solid))
    }

    /// Total stress (MPa, compression positive) at volume ratio `stretch`.
    pub fn stress_mpa(&self, osm: &Osmotic, stretch: f64) -> Result<f64, MechanicsError> {
        Ok(self.state_at(osm, stretch)?.total_mpa)
    }

    fn state_unchecked(&self, osm: &Osmotic, j: f64, solid: f64) -> SwellingState {
        // n and (1 - n) written so that neither loses precision near the limits
        let n = (j - solid) / j;
        let solid_fraction = solid / j;
        let fcd = self.charge_per_dry_mass * self.solid_density * solid_fraction / n;
        let donnan = osm.pressure_unchecked(fcd);
        let matrix = -self.matrix_modulus_mpa * j.ln();
        let water = n * donnan::WATER_DENSITY;
        SwellingState {
            stretch: j,
            water_volume_fraction: n,
            water_wet_fraction: water / (water + solid_fraction * self.solid_density),
            fcd_molar: fcd,
            donnan_mpa: donnan,
            matrix_mpa: matrix,
            total_mpa: donnan + matrix,
        }
    }

    /// Equilibrium hydration under the applied pressure `pressure_mpa` (MPa, compression
    /// positive; e.g. the intradiscal pressure for the NP). Errors name the tissue, the pressure
    /// and the parameter that prevents an equilibrium: no fixed charge and no matrix stiffness to
    /// hold water under a positive pressure, or no matrix stiffness to stop free swelling at a
    /// non-positive pressure.
    pub fn equilibrium(
        &self,
        osm: &Osmotic,
        pressure_mpa: f64,
    ) -> Result<SwellingState, MechanicsError> {
        self.validate()?;
        check_range(
            &format!("{} applied pressure", self.name),
            pressure_mpa,
            -1e3,
            1e3,
            "MPa",
        )?;
        if self.charge_per_dry_mass == 0.0 && self.matrix_modulus_mpa == 0.0 {
            return Err(MechanicsError(format!(
                "{} has neither fixed charge nor matrix stiffness (both 0): its hydration is not determined by the pressure",
                self.name
            )));
        }
        let solid = self.min_stretch()?;
        let f = |j: f64| self.state_unchecked(osm, j, solid).total_mpa - pressure_mpa;
        let what = || {
            format!(
                "{} at applied pressure {pressure_mpa} MPa (fixed charge {} mEq/g, matrix modulus {} MPa)",
                self.name, self.charge_per_dry_mass, self.matrix_modulus_mpa
            )
        };
        let j = solve_decreasing(f, solid, &what)?;
        Ok(self.state_unchecked(osm, j, solid))
    }
}

/// Root of a function `f` that decreases strictly on `(x_min, inf)`: bisection on
/// `ln(x - x_min)` after a geometric bracket search. Errors (naming `what()`) when `f` stays
/// non-positive down to `x_min (1 + 1e-12)` (the load exceeds what the tissues can bear before
/// all water is expelled) or stays positive up to `x_min + 1e6` (unbounded swelling), or when
/// `f` is not finite.
pub(crate) fn solve_decreasing(
    f: impl Fn(f64) -> f64,
    x_min: f64,
    what: &dyn Fn() -> String,
) -> Result<f64, MechanicsError> {
    let scale = x_min.abs().max(1e-300);
    let eval = |u: f64| -> Result<f64, MechanicsError> {
        let v = f(x_min + u);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(MechanicsError(format!(
                "mechanics: non-finite stress residual {v} at volume/height ratio {} ({})",
                x_min + u,
                what()
            )))
        }
    };
    let mut lo = scale * 1e-12;
    let f_lo = eval(lo)?;
    if f_lo <= 0.0 {
        if f_lo == 0.0 {
            return Ok(x_min + lo);
        }
        return Err(MechanicsError(format!(
            "no mechanical equilibrium: the load exceeds what the tissue bears even with all water expelled (fixed charge too low or zero, and matrix too soft): {}",
            what()
        )));
    }
    let mut hi = scale.max(1e-6);
    loop {
        let v = eval(hi)?;
        if v == 0.0 {
            return Ok(x_min + hi);
        }
        if v < 0.0 {
            break;
        }
        lo = hi;
        hi *= 2.0;
        if hi > 1e6 {
            return Err(MechanicsError(format!(
                "no mechanical equilibrium: the tissue swells without bound (matrix modulus zero or the applied pressure not positive): {}",
                what()
            )));
        }
    }
    for _ in 0..400 {
        if hi / lo <= 1.0 + 1e-14 {
            break;
        }
        let mid = (lo * hi).sqrt();
        let v = eval(mid)?;
        if v == 0.0 {
            return Ok(x_min + mid);
        }
        if v > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(x_min + (lo * hi).sqrt())
}
