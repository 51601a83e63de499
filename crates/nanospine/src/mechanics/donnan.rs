//! Fixed charge density from GAG content, ideal Donnan osmotic pressure, and conversions between
//! wet-weight and volume water fractions.
//!
//! * FCD (Urban & Maroudas type relation, ivd-transport.md §5.2 step 1): each chondroitin-sulfate
//!   disaccharide (502.5 g/mol) carries two negative charges, so
//!   `c_F [mEq/mL water] = 2 * GAG [mg/mL water] / 502.5`.
//! * Ideal Donnan osmotic pressure against a bath of NaCl concentration `c` (ivd-transport.md
//!   §5.2 step 2): `Pi = phi * R T [sqrt(c_F^2 + 4 c^2) - 2 c]`, with `phi` an overall osmotic
//!   coefficient (1 = ideal; the notes say non-ideal coefficients lower Pi by about 20-40 %).
//! * Water fractions: with water density 1 g/mL and solid density `rho_s` (g/mL), a wet-weight
//!   fraction `w` and a volume fraction `n` are related by `w = n / (n + (1 - n) rho_s)` (Wilson
//!   et al. 2007 eq. 28, as coded in abaqusIVD `Sub_MechDisc.f`).

use super::{check_range, MechanicsError};

/// Molar gas constant R, J/(mol K) (CODATA 2018, exact).
pub const GAS_CONSTANT: f64 = 8.314_462_618;

/// Body temperature used for osmotic pressures, K (37 °C; ivd-transport.md §5.2 uses 310 K).
pub const BODY_TEMPERATURE_K: f64 = 310.15;

/// Molar mass of the chondroitin-sulfate disaccharide repeat unit, g/mol (= mg/mmol)
/// (ivd-transport.md §5.2 step 1, textbook value).
pub const CS_DISACCHARIDE_MASS: f64 = 502.5;

/// Negative charges per chondroitin-sulfate disaccharide (one carboxyl, one sulfate).
pub const CHARGES_PER_DISACCHARIDE: f64 = 2.0;

/// Density of the interstitial water, g/mL (taken as 1, as in the abaqusIVD mass/volume
/// conversion; 0.993 g/mL at 37 °C would change water fractions by < 0.2 %).
pub const WATER_DENSITY: f64 = 1.0;

/// Fixed charge density (mEq/mL of water, i.e. mol/L of unit charges) of a tissue holding
/// `gag_mg_per_ml_water` mg of GAG (chondroitin-sulfate equivalents) per mL of its water.
/// Errors for a negative or non-finite content.
pub fn fcd_from_gag(gag_mg_per_ml_water: f64) -> Result<f64, MechanicsError> {
    check_range(
        "GAG content",
        gag_mg_per_ml_water,
        0.0,
        f64::MAX,
        "mg/mL water",
    )?;
    Ok(CHARGES_PER_DISACCHARIDE * gag_mg_per_ml_water / CS_DISACCHARIDE_MASS)
}

/// Fixed charge per dry (solid) mass, mEq/g, of a tissue whose dry matter holds
/// `gag_mg_per_g_dry` mg GAG per g (chondroitin-sulfate equivalents). This is the
/// hydration-independent measure of proteoglycan content that the swelling model takes.
pub fn charge_per_dry_mass_from_gag(gag_mg_per_g_dry: f64) -> Result<f64, MechanicsError> {
    check_range(
        "GAG content",
        gag_mg_per_g_dry,
        0.0,
        1000.0,
        "mg/g dry weight",
    )?;
    Ok(CHARGES_PER_DISACCHARIDE * gag_mg_per_g_dry / CS_DISACCHARIDE_MASS)
}

/// Wet-weight water fraction (g water / g wet tissue) of a tissue with water volume fraction
/// `volume_fraction` and solid density `solid_density` (g/mL). Both fractions in [0, 1].
pub fn wet_weight_fraction(
    volume_fraction: f64,
    solid_density: f64,
) -> Result<f64, MechanicsError> {
    check_range("water volume fraction", volume_fraction, 0.0, 1.0, "")?;
    check_range("solid density", solid_density, 0.1, 10.0, "g/mL")?;
    let water = volume_fraction * WATER_DENSITY;
    Ok(water / (water + (1.0 - volume_fraction) * solid_density))
}

/// Water volume fraction (mL water / mL tissue) of a tissue with wet-weight water fraction
/// `wet_weight_fraction` and solid density `solid_density` (g/mL). Both fractions in [0, 1].
pub fn water_volume_fraction(
    wet_weight_fraction: f64,
    solid_density: f64,
) -> Result<f64, MechanicsError> {
    check_range(
        "water wet-weight fraction",
        wet_weight_fraction,
        0.0,
        1.0,
        "",
    )?;
    check_range("solid density", solid_density, 0.1, 10.0, "g/mL")?;
    let water = wet_weight_fraction / WATER_DENSITY;
    let solid = (1.0 - wet_weight_fraction) / solid_density;
    Ok(water / (water + solid))
}

/// The osmotic environment: external (bath) NaCl, temperature and an overall osmotic coefficient.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Osmotic {
    /// NaCl concentration of the external bath (plasma / culture medium), mol/L.
    pub bath_molar: f64,
    /// Absolute temperature, K.
    pub temperature_k: f64,
    /// Overall osmotic coefficient multiplying the ideal Donnan pressure (dimensionless; 1 = ideal).
    pub coefficient: f64,
}

impl Osmotic {
    /// Checked constructor: bath in (0, 5] mol/L, temperature in [250, 350] K, coefficient in (0, 2].
    pub fn new(
        bath_molar: f64,
        temperature_k: f64,
        coefficient: f64,
    ) -> Result<Self, MechanicsError> {
        check_range("bath NaCl concentration", bath_molar, 1e-9, 5.0, "M")?;
        check_range("temperature", temperature_k, 250.0, 350.0, "K")?;
        check_range("osmotic coefficient", coefficient, 1e-6, 2.0, "")?;
        Ok(Osmotic {
            bath_molar,
            temperature_k,
            coefficient,
        })
    }

    /// Ideal physiological environment: 0.15 M NaCl, 37 °C, coefficient 1.
    pub fn physiological() -> Self {
        Osmotic {
            bath_molar: 0.15,
            temperature_k: BODY_TEMPERATURE_K,
            coefficient: 1.0,
        }
    }

    /// `R T` expressed as osmotic pressure per molar concentration, MPa/(mol/L)
    /// (J/mol x 1000 mol/m^3 per mol/L = Pa, / 1e6).
    pub fn rt_mpa_per_molar(&self) -> f64 {
        GAS_CONSTANT * self.temperature_k * 1e-3
    }

    /// Donnan osmotic pressure, MPa, of a tissue with fixed charge density `fcd_molar`
    /// (mEq/mL water = mol/L): `phi R T [sqrt(c_F^2 + 4 c^2) - 2 c]`, evaluated as
    /// `phi R T c_F^2 / (sqrt(c_F^2 + 4 c^2) + 2 c)` (no cancellation at small c_F).
    /// Errors for a negative or non-finite FCD.
    pub fn pressure_mpa(&self, fcd_molar: f64) -> Result<f64, MechanicsError> {
        check_range("fixed charge density", fcd_molar, 0.0, f64::MAX, "mEq/mL")?;
        Ok(self.pressure_unchecked(fcd_molar))
    }

    /// Sodium (counter-ion) concentration in the tissue water, mol/L, of a tissue with fixed
    /// charge density `fcd_molar` (mEq/mL water) in equilibrium with the bath: ideal Donnan
    /// partition with electroneutrality (`Na = Cl + c_F`) and `Na Cl = c^2`, so
    /// `Na = (c_F + sqrt(c_F^2 + 4 c^2)) / 2` (the same ideal equilibrium as the pressure;
    /// Urban & Maroudas type, ivd-transport.md §5.2). Errors for a negative or non-finite FCD.
    pub fn sodium_molar(&self, fcd_molar: f64) -> Result<f64, MechanicsError> {
        check_range("fixed charge density", fcd_molar, 0.0, f64::MAX, "mEq/mL")?;
        let c2 = 2.0 * self.bath_molar;
        if fcd_molar > 1e150 {
            return Ok(fcd_molar);
        }
        Ok(0.5 * (fcd_molar + (fcd_molar * fcd_molar + c2 * c2).sqrt()))
    }

    /// [`Osmotic::pressure_mpa`] without the input check (callers guarantee `fcd >= 0`).
    pub(crate) fn pressure_unchecked(&self, fcd: f64) -> f64 {
        let c2 = 2.0 * self.bath_molar;
        let excess = if fcd > 1e150 {
            fcd - c2 // avoid overflow of fcd^2; the exact limit of the ratio
        } else {
            fcd * fcd / ((fcd * fcd + c2 * c2).sqrt() + c2)
        };
        self.coefficient * self.rt_mpa_per_molar() * excess
    }
}
