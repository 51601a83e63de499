//! Hindered diffusion of drugs, vesicles and nanoparticles in disc tissue.
//!
//! Free diffusivity from Stokes–Einstein, `D0 = kB*T/(6*pi*eta*r_s)` (np-carriers.md §3.1),
//! then a tissue hindrance factor `D/D0` from one of two laws (ivd-transport.md §4.2):
//!
//! - **Gu et al. 2004** (Ann Biomed Eng 32:1710), `D/D0 = exp(-alpha*(r_s/sqrt(kappa))^beta)`
//!   with the tissue's Darcy permeability `kappa` (m^2). Default: the porcine-AF fit
//!   (alpha 1.29, beta 0.372) in every tissue, as in the notes' §4.2 table, which applies it to
//!   NP with the NP permeability. It is the only fit made on disc tissue, and its small-solute
//!   NP value (glucose 0.38) agrees with the Mackie–Meares factor (0.44) the model uses for
//!   nutrients. The agarose fit (alpha 1.25, beta 0.681) is a selectable alternative: with the NP
//!   permeability it gives 0.012 at 5 nm against 0.077 for the AF fit, close to Ogston.
//! - **Ogston** random-fibre law, `D/D0 = exp(-sqrt(phi_f)*(r_s + r_f)/r_f)`, with GAG-chain
//!   fibres (radius `r_f`, volume fraction `phi_f`; unverified values, see the registry).
//!
//! **Cap.** Whatever the law, `D/D0` is capped at the tissue's Mackie–Meares factor
//! `(phi/(2-phi))^2` (phi = tissue water fraction): the obstruction limit of a point solute,
//! which the model already uses for O2, glucose and lactate. A finite solute cannot be less
//! hindered than that. With the default registry the cap binds in the CEP for small solutes
//! (Gu's AF fit with the CEP permeability gives 0.60 at 0.5 nm, above the CEP's 0.24), and in
//! AF at the permeable end of the registry range (human AF, Cortes 2014). The AF value for a
//! 0.5 nm solute, 0.32 x 6.6e-6 cm^2/s = 2.1e-6 cm^2/s (at most 0.36 x 6.6e-6 = 2.4e-6 when
//! capped), lies inside, and never above, the measured fluorescein range in human AF,
//! 0.38–2.68e-6 cm^2/s (PMC2798905 [V]); a test checks both. No lower floor is applied: both
//! laws are positive, and large particles that
//! hardly move (Ogston gives ~0 at 50 nm) are what the literature reports (retention at the
//! injection site); instead, radii outside the calibrated range are flagged.
//!
//! **Calibration range.** The Gu law was fitted to ions and small proteins; np-carriers.md §3.2
//! marks `r_s > ~5 nm` as extrapolation (ivd-transport.md §4.2: "well beyond" at >= 10 nm).
//! Disc/cartilage solute data reach about 70 kDa dextran (Travascio 2020). Both laws are
//! flagged outside `[0.1, 5] nm` ([`MIN_RADIUS_NM`], [`CALIBRATED_MAX_RADIUS_NM`]).
//!
//! **Water.** These values hold at the registry tissue water. How `D/D0` follows the water when
//! the swelling mechanics changes it (through the permeability for Gu, the fibre fraction for
//! Ogston, and the cap) is [`super::WaterLaw`].

use std::fmt;

use super::CarrierError;
use crate::grid::{self, Label};
use crate::params::Registry;

/// Boltzmann constant (J/K), exact by the 2019 SI definition.
pub const BOLTZMANN_J_PER_K: f64 = 1.380649e-23;

/// Body temperature (K): 37 °C, the temperature of the notes' Stokes–Einstein tables
/// (np-carriers.md §3.1 uses T = 310.15 K). A constant because [`crate::units`] has no
/// temperature dimension.
pub const BODY_TEMPERATURE_K: f64 = 310.15;

/// Largest solute radius (nm) inside the calibration of the hindrance laws: np-carriers.md §3.2
/// ("values for r > ~5 nm extrapolate beyond the calibration range" of Gu 2004 [D]).
pub const CALIBRATED_MAX_RADIUS_NM: f64 = 5.0;

/// Smallest solute radius (nm) treated as calibrated. Assumption: about the size of the
/// smallest hydrated ions of Gu 2004's data; anything smaller is probably a unit mistake.
pub const MIN_RADIUS_NM: f64 = 0.1;

/// A disc tissue with its own matrix properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tissue {
    /// Nucleus pulposus.
    Np,
    /// Annulus fibrosus.
    Af,
    /// Cartilage endplate.
    Cep,
}

impl Tissue {
    /// The three tissues in listing order.
    pub const ALL: [Tissue; 3] = [Tissue::Np, Tissue::Af, Tissue::Cep];

    /// Display name: `NP`, `AF`, `CEP`.
    pub fn name(self) -> &'static str {
        match self {
            Tissue::Np => "NP",
            Tissue::Af => "AF",
            Tissue::Cep => "CEP",
        }
    }

    /// Lower-case key used in registry names and data files: `np`, `af`, `cep`.
    pub fn key(self) -> &'static str {
        match self {
            Tissue::Np => "np",
            Tissue::Af => "af",
            Tissue::Cep => "cep",
        }
    }

    /// The tissue of a grid label (sealed CEP is CEP); `None` for void and unknown labels.
    pub fn from_label(label: Label) -> Option<Tissue> {
        match label {
            grid::NP => Some(Tissue::Np),
            grid::AF => Some(Tissue::Af),
            grid::CEP | grid::CEP_SEALED => Some(Tissue::Cep),
            _ => None,
        }
    }
}

impl fmt::Display for Tissue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which hindrance law gives `D/D0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HindranceLaw {
    /// Gu 2004 with the porcine-AF fit (the default in every tissue).
    GuAnnulus,
    /// Gu 2004 with the agarose-gel fit.
    GuAgarose,
    /// Ogston random-fibre law with GAG-chain fibres.
    Ogston,
}

impl HindranceLaw {
    /// The default law.
    pub const DEFAULT: HindranceLaw = HindranceLaw::GuAnnulus;
    /// Every law.
    pub const ALL: [HindranceLaw; 3] = [
        HindranceLaw::GuAnnulus,
        HindranceLaw::GuAgarose,
        HindranceLaw::Ogston,
    ];

    /// Identifier: `gu_annulus`, `gu_agarose`, `ogston`.
    pub fn id(self) -> &'static str {
        match self {
            HindranceLaw::GuAnnulus => "gu_annulus",
            HindranceLaw::GuAgarose => "gu_agarose",
            HindranceLaw::Ogston => "ogston",
        }
    }

    /// Human-readable name with the equation.
    pub fn label(self) -> &'static str {
        match self {
            HindranceLaw::GuAnnulus => {
                "Gu 2004, porcine-AF fit: D/D0 = exp(-alpha*(r_s/sqrt(kappa))^beta)"
            }
            HindranceLaw::GuAgarose => {
                "Gu 2004, agarose fit: D/D0 = exp(-alpha*(r_s/sqrt(kappa))^beta)"
            }
            HindranceLaw::Ogston => "Ogston: D/D0 = exp(-sqrt(phi_f)*(r_s + r_f)/r_f)",
        }
    }
}

/// Stokes–Einstein free diffusivity (mm^2/s) of a sphere of hydrodynamic radius `radius_nm`
/// (nm) in a fluid of viscosity `viscosity_pa_s` (Pa·s) at `temperature_k` (K).
pub fn stokes_einstein_mm2_s(radius_nm: f64, viscosity_pa_s: f64, temperature_k: f64) -> f64 {
    let d_m2_s = BOLTZMANN_J_PER_K * temperature_k
        / (6.0 * std::f64::consts::PI * viscosity_pa_s * radius_nm * 1e-9);
    d_m2_s * 1e6
}

/// Gu 2004 hindrance `D/D0 = exp(-alpha*(r_s/sqrt(kappa))^beta)` (dimensionless) for a solute
/// radius `radius_nm` (nm) and Darcy permeability `kappa_m2` (m^2).
pub fn gu_ratio(radius_nm: f64, kappa_m2: f64, alpha: f64, beta: f64) -> f64 {
    let x = radius_nm * 1e-9 / kappa_m2.sqrt();
    (-alpha * x.powf(beta)).exp()
}

/// Ogston hindrance `D/D0 = exp(-sqrt(phi_f)*(r_s + r_f)/r_f)` (dimensionless) for a solute
/// radius `radius_nm` (nm), fibre radius `fibre_radius_nm` (nm) and fibre volume fraction
/// `fibre_fraction` (dimensionless). Equals 1 at `phi_f = 0`.
pub fn ogston_ratio(radius_nm: f64, fibre_radius_nm: f64, fibre_fraction: f64) -> f64 {
    (-fibre_fraction.sqrt() * (radius_nm + fibre_radius_nm) / fibre_radius_nm).exp()
}

/// Mackie–Meares obstruction factor `(phi/(2-phi))^2` (dimensionless) for water fraction `phi`.
pub fn mackie_meares(water_fraction: f64) -> f64 {
    (water_fraction / (2.0 - water_fraction)).powi(2)
}

/// Matrix properties of one tissue, in SI-like units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TissueMatrix {
    /// Darcy permeability kappa (m^2).
    pub darcy_permeability_m2: f64,
    /// Water volume fraction phi (dimensionless): sets the Mackie–Meares cap.
    pub water_fraction: f64,
    /// Ogston fibre radius r_f (nm).
    pub fibre_radius_nm: f64,
    /// Ogston fibre volume fraction phi_f (dimensionless).
    pub fibre_fraction: f64,
}

/// Every number the hindrance laws need, read from a parameter [`Registry`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HindranceParams {
    /// Interstitial-fluid viscosity (Pa·s), `physics.water_viscosity`.
    pub viscosity_pa_s: f64,
    /// Temperature (K), [`BODY_TEMPERATURE_K`].
    pub temperature_k: f64,
    /// Gu 2004 porcine-AF fit `(alpha, beta)`, `hindrance.gu.annulus.*`.
    pub gu_annulus: (f64, f64),
    /// Gu 2004 agarose fit `(alpha, beta)`, `hindrance.gu.agarose.*`.
    pub gu_agarose: (f64, f64),
    /// NP matrix, `tissue.np.*`.
    pub np: TissueMatrix,
    /// AF matrix, `tissue.af.*`.
    pub af: TissueMatrix,
    /// CEP matrix, `tissue.cep.*`.
    pub cep: TissueMatrix,
}

impl HindranceParams {
    /// Reads the parameters from `reg` (converted to Pa·s, m^2, nm); errors name the missing
    /// or mis-dimensioned parameter.
    pub fn from_registry(reg: &Registry) -> Result<HindranceParams, CarrierError> {
        let get = |name: &str, unit: &str| {
            reg.value_in(name, unit)
                .map_err(|e| CarrierError(format!("hindered diffusion: {e}")))
        };
        let matrix = |t: Tissue| -> Result<TissueMatrix, CarrierError> {
            let k = t.key();
            Ok(TissueMatrix {
                darcy_permeability_m2: get(&format!("tissue.{k}.darcy_permeability"), "m^2")?,
                water_fraction: get(&format!("tissue.{k}.water_fraction"), "1")?,
                fibre_radius_nm: get(&format!("tissue.{k}.ogston_fibre_radius"), "nm")?,
                fibre_fraction: get(&format!("tissue.{k}.ogston_fibre_fraction"), "1")?,
            })
        };
        Ok(HindranceParams {
            viscosity_pa_s: get("physics.water_viscosity", "Pa*s")?,
            temperature_k: BODY_TEMPERATURE_K,
            gu_annulus: (
                get("hindrance.gu.annulus.alpha", "1")?,
                get("hindrance.gu.annulus.beta", "1")?,
            ),
            gu_agarose: (
                get("hindrance.gu.agarose.alpha", "1")?,
                get("hindrance.gu.agarose.beta", "1")?,
            ),
            np: matrix(Tissue::Np)?,
            af: matrix(Tissue::Af)?,
            cep: matrix(Tissue::Cep)?,
        })
    }

    /// The matrix of `tissue`.
    pub fn matrix(&self, tissue: Tissue) -> &TissueMatrix {
        match tissue {
            Tissue::Np => &self.np,
            Tissue::Af => &self.af,
            Tissue::Cep => &self.cep,
        }
    }
}

/// Result of a hindered-diffusion evaluation for one radius in one tissue.
#[derive(Debug, Clone, PartialEq)]
pub struct Hindered {
    /// Tissue evaluated.
    pub tissue: Tissue,
    /// Law used.
    pub law: HindranceLaw,
    /// Hydrodynamic (Stokes) radius (nm); 0 for an immobile carrier.
    pub radius_nm: f64,
    /// False for carriers that stay at the injection site (then every D is 0).
    pub mobile: bool,
    /// Free diffusivity D0 in water at 37 °C (mm^2/s).
    pub d0_mm2_s: f64,
    /// `D/D0` from the law before the cap (dimensionless).
    pub uncapped_ratio: f64,
    /// Mackie–Meares cap `(phi/(2-phi))^2` of the tissue (dimensionless).
    pub cap_ratio: f64,
    /// `D/D0` used: `min(uncapped_ratio, cap_ratio)` (dimensionless).
    pub ratio: f64,
    /// Tissue diffusivity `D = ratio * D0` (mm^2/s).
    pub d_mm2_s: f64,
    /// True when the cap lowered the law's value.
    pub capped: bool,
    /// True when the radius is outside the calibrated range of the laws.
    pub out_of_range: bool,
    /// Explanation of the cap, the extrapolation, or immobility; `None` when nothing to say.
    pub message: Option<String>,
}

impl Hindered {
    /// The result for a carrier that does not diffuse (microspheres, gels): D0 = D = 0.
    pub fn immobile(tissue: Tissue, law: HindranceLaw) -> Hindered {
        Hindered {
            tissue,
            law,
            radius_nm: 0.0,
            mobile: false,
            d0_mm2_s: 0.0,
            uncapped_ratio: 0.0,
            cap_ratio: 0.0,
            ratio: 0.0,
            d_mm2_s: 0.0,
            capped: false,
            out_of_range: false,
            message: Some("immobile carrier: stays at the injection site (D = 0)".into()),
        }
    }
}

/// Hindered diffusivity of a sphere of radius `radius_nm` (nm, finite and > 0) in `tissue` by
/// `law`, with the Mackie–Meares cap and the calibration-range flag described in the module
/// documentation.
pub fn hindered(
    radius_nm: f64,
    tissue: Tissue,
    law: HindranceLaw,
    p: &HindranceParams,
) -> Result<Hindered, CarrierError> {
    if !(radius_nm.is_finite() && radius_nm > 0.0) {
        return Err(CarrierError(format!(
            "hindered diffusion: radius must be a finite number > 0 nm, got {radius_nm} nm"
        )));
    }
    let m = p.matrix(tissue);
    let d0 = stokes_einstein_mm2_s(radius_nm, p.viscosity_pa_s, p.temperature_k);
    let uncapped = match law {
        HindranceLaw::GuAnnulus => gu_ratio(
            radius_nm,
            m.darcy_permeability_m2,
            p.gu_annulus.0,
            p.gu_annulus.1,
        ),
        HindranceLaw::GuAgarose => gu_ratio(
            radius_nm,
            m.darcy_permeability_m2,
            p.gu_agarose.0,
            p.gu_agarose.1,
        ),
        HindranceLaw::Ogston => ogston_ratio(radius_nm, m.fibre_radius_nm, m.fibre_fraction),
    };
    if !(d0.is_finite() && uncapped.is_finite()) {
        return Err(CarrierError(format!(
            "hindered diffusion in {tissue}: non-finite result for radius {radius_nm} nm (check viscosity and permeability)"
        )));
    }
    let cap = mackie_meares(m.water_fraction);
    let capped = uncapped > cap;
    let ratio = uncapped.min(cap);
    let out_of_range = !(MIN_RADIUS_NM..=CALIBRATED_MAX_RADIUS_NM).contains(&radius_nm);
    let mut notes = Vec::new();
    if capped {
        notes.push(format!(
            "{} gives D/D0 = {:.3}, capped at the {tissue} Mackie-Meares limit {:.3}",
            law.id(),
            uncapped,
            cap
        ));
    }
    if out_of_range {
        let what = match law {
            HindranceLaw::Ogston => "disc solute data (Ogston fibre parameters are unverified)",
            _ => "the Gu 2004 calibration (ions and small proteins)",
        };
        notes.push(format!(
            "r_s = {radius_nm} nm is outside {MIN_RADIUS_NM}-{CALIBRATED_MAX_RADIUS_NM} nm of {what}: extrapolated"
        ));
    }
    Ok(Hindered {
        tissue,
        law,
        radius_nm,
        mobile: true,
        d0_mm2_s: d0,
        uncapped_ratio: uncapped,
        cap_ratio: cap,
        ratio,
        d_mm2_s: ratio * d0,
        capped,
        out_of_range,
        message: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}
