//! Transport coefficients of solutes in the spinal cord: diffusion in the extracellular space
//! (ECS) of grey and white matter, free diffusion and turnover in the CSF, and the boundary faces
//! of the cord segment.
//!
//! * **Parenchyma** ([`GREY`], [`WHITE`]): Nicholson's ECS diffusion,
//!   `D* = D_free H(r) / lambda^2` (Nicholson & Syková 1998 Trends Neurosci 21:207; Syková &
//!   Nicholson 2008 Physiol Rev 88:1277), with the tortuosity `lambda` of the tissue and the
//!   hindrance `H(r)` of a sphere of Stokes radius `r` in a slit-shaped gap of width `w` (the ECS
//!   width), Dechadilok & Deen 2006 (Ind Eng Chem Res 45:6953), slit pores:
//!   `H = 1 + (9/16) l ln l - 1.19358 l + 0.4285 l^3 - 0.3192 l^4 + 0.08428 l^5`,
//!   `l = r / (w/2)`, and `H = 0` for `l >= 1`: a particle whose diameter is at least the ECS
//!   width does not move in tissue. `H` includes the steric exclusion `1 - l` (it is the
//!   diffusive hindrance of pore theory); `H(0) = 1`, `H(1) = 0`.
//! * **White-matter anisotropy.** The grid holds one diffusivity per label, so white matter gets
//!   the isotropic tortuosity of the mean diffusivity (a third of the tensor trace) built from
//!   the along-fibre (axial) and across-fibre (transverse) values:
//!   `1/lambda_iso^2 = (1/lambda_ax^2 + 2/lambda_tr^2) / 3` ([`CordTransportParams::white_tortuosity`]).
//!   With the default registry this under-states axial spread in white matter by
//!   `(lambda_iso/lambda_ax)^2 ~ 1.3` and over-states radial spread by `~1.2`.
//! * **Concentrations** are tissue averages and the partition coefficient is 1 in every label:
//!   inside one tissue the choice of tissue-average or ECS concentration does not change `D*`
//!   (Nicholson's equation), but at the pia the ECS volume fraction `alpha ~ 0.2` would make the
//!   tissue average `alpha` times the CSF value at equilibrium; that jump is not modelled
//!   (`alpha` is in [`CordTransportParams`] for documentation only).
//! * **CSF** ([`CSF`]): free diffusivity and a first-order loss equal to the CSF turnover rate
//!   of the preset (production / volume, `cord_transport.csf_turnover.<preset>`,
//!   [`csf_loss_per_s`]), i.e. bulk CSF replaced by fresh CSF free of solute.
//! * **Boundaries.** The dura (the outer face of the CSF) is a no-flux face; so is any face of
//!   grey or white matter towards void. The segment ends (the z faces of the box) follow
//!   [`AxialEnds`]: no flux, or continuation into a semi-infinite cord.
//!
//! Definitions and sources: `docs/cord.md`, "Transport in the cord"; registry `cord_transport.*`.

use crate::anatomy::cord::CORD_PRESETS;
use crate::carriers::{stokes_einstein_mm2_s, BODY_TEMPERATURE_K};
use crate::delivery::linear::LinearSpecies;
use crate::grid::{Grid, Label, CSF, GREY, MAX_LABELS, WHITE};
use crate::params::Registry;
use crate::transport::operator::SoluteTransport;
use crate::Error;

/// Names of the five transported cord solutes, in the order of
/// [`crate::sci::process::CordSoluteMap::after`]: H2O2, TNF-a, IL-1b, IL-10, CCL2.
pub const SOLUTES: [&str; 5] = ["h2o2", "tnf", "il1b", "il10", "ccl2"];

/// Concentration units of [`SOLUTES`], in the same order: H2O2 in uM, the proteins in pg/mL.
pub const UNITS: [&str; 5] = ["uM", "pg/mL", "pg/mL", "pg/mL", "pg/mL"];

/// Z axis of the cord grids (the cord axis).
const AXIAL: usize = 2;

/// What the two ends of the modelled segment (the z faces of the box) do.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum AxialEnds {
    /// No flux through the ends (a closed segment). The default.
    #[default]
    NoFlux,
    /// The cord continues beyond each end as a semi-infinite cord of the same tissue holding no
    /// solute far away, in which the solute is lost at the first-order rate `far_loss_per_s`
    /// (1/s; plus the CSF turnover in the CSF). In steady state such a cord takes up the flux
    /// `J = sqrt(D* k) c_face` (`c ~ exp(-x/L_far)`, `L_far = sqrt(D*/k)`), so each end face is a
    /// Robin face of conductance `beta = 1 / (h_z/(2 D*) + L_far/D*)` from the end cell's centre
    /// (half a cell, then the far cord) towards a reservoir at 0. Exact for the steady state of
    /// a uniform cord; a quasi-steady approximation otherwise (the far cord has no memory) and
    /// per label (radial exchange in the far cord is ignored). `far_loss_per_s = 0` gives no
    /// flux outside the CSF.
    Continuation {
        /// First-order loss rate of the solute in the far cord (1/s), >= 0.
        far_loss_per_s: f64,
    },
}

impl AxialEnds {
    /// Checks that a continuation loss rate is finite and >= 0 (1/s).
    pub fn validate(&self) -> Result<(), Error> {
        match *self {
            AxialEnds::NoFlux => Ok(()),
            AxialEnds::Continuation { far_loss_per_s: k } => {
                if k.is_finite() && k >= 0.0 {
                    Ok(())
                } else {
                    Err(Error::Config(format!(
                        "AxialEnds::Continuation far_loss_per_s = {k} 1/s; must be finite and >= 0"
                    )))
                }
            }
        }
    }
}

/// CNS extracellular-space and CSF transport parameters of one cord preset.
#[derive(Debug, Clone, PartialEq)]
pub struct CordTransportParams {
    /// Cord preset the CSF turnover belongs to (one of [`CORD_PRESETS`]).
    pub preset: String,
    /// ECS tortuosity of grey matter (dimensionless, >= 1), `cord_transport.tortuosity.grey`.
    pub tortuosity_grey: f64,
    /// ECS tortuosity of white matter along the fibres (dimensionless, >= 1),
    /// `cord_transport.tortuosity.white_axial`.
    pub tortuosity_white_axial: f64,
    /// ECS tortuosity of white matter across the fibres (dimensionless, >= 1),
    /// `cord_transport.tortuosity.white_transverse`.
    pub tortuosity_white_transverse: f64,
    /// ECS volume fraction alpha (dimensionless, 0..1), `cord_transport.volume_fraction`.
    /// Documentation only: concentrations are tissue averages with partition 1.
    pub volume_fraction: f64,
    /// ECS (gap) width w (nm), `cord_transport.ecs_width`.
    pub ecs_width_nm: f64,
    /// CSF turnover rate, production / volume (1/s), `cord_transport.csf_turnover.<preset>`.
    pub csf_turnover_per_s: f64,
}

impl CordTransportParams {
    /// Reads the parameters of `preset` (one of [`CORD_PRESETS`]) from the registry and
    /// validates them; errors name the preset or the parameter.
    pub fn from_registry(reg: &Registry, preset: &str) -> Result<Self, Error> {
        if !CORD_PRESETS.contains(&preset) {
            return Err(Error::Config(format!(
                "unknown cord preset '{preset}' for cord transport; allowed: {}",
                CORD_PRESETS.join(", ")
            )));
        }
        let p = CordTransportParams {
            preset: preset.to_string(),
            tortuosity_grey: reg.value_in("cord_transport.tortuosity.grey", "1")?,
            tortuosity_white_axial: reg.value_in("cord_transport.tortuosity.white_axial", "1")?,
            tortuosity_white_transverse: reg
                .value_in("cord_transport.tortuosity.white_transverse", "1")?,
            volume_fraction: reg.value_in("cord_transport.volume_fraction", "1")?,
            ecs_width_nm: reg.value_in("cord_transport.ecs_width", "nm")?,
            csf_turnover_per_s: reg
                .value_in(&format!("cord_transport.csf_turnover.{preset}"), "1/s")?,
        };
        p.validate()?;
        Ok(p)
    }

    /// Checks every field: tortuosities finite and >= 1, volume fraction in (0, 1), ECS width
    /// finite and > 0 nm, CSF turnover finite and >= 0 1/s.
    pub fn validate(&self) -> Result<(), Error> {
        for (name, v) in [
            ("cord_transport.tortuosity.grey", self.tortuosity_grey),
            (
                "cord_transport.tortuosity.white_axial",
                self.tortuosity_white_axial,
            ),
            (
                "cord_transport.tortuosity.white_transverse",
                self.tortuosity_white_transverse,
            ),
        ] {
            if !(v.is_finite() && v >= 1.0) {
                return Err(Error::Config(format!(
                    "{name} = {v}; a tortuosity must be finite and >= 1"
                )));
            }
        }
        let a = self.volume_fraction;
        if !(a.is_finite() && a > 0.0 && a < 1.0) {
            return Err(Error::Config(format!(
                "cord_transport.volume_fraction = {a}; must lie strictly between 0 and 1"
            )));
        }
        let w = self.ecs_width_nm;
        if !(w.is_finite() && w > 0.0) {
            return Err(Error::Config(format!(
                "cord_transport.ecs_width = {w} nm; must be finite and > 0 nm"
            )));
        }
        let k = self.csf_turnover_per_s;
        if !(k.is_finite() && k >= 0.0) {
            return Err(Error::Config(format!(
                "cord_transport.csf_turnover.{} = {k} 1/s; must be finite and >= 0",
                self.preset
            )));
        }
        Ok(())
    }

    /// Isotropic white-matter tortuosity of the mean diffusivity (dimensionless):
    /// `(1/lambda_iso^2) = (1/lambda_ax^2 + 2/lambda_tr^2) / 3`.
    pub fn white_tortuosity(&self) -> f64 {
        let inv = (self.tortuosity_white_axial.powi(-2)
            + 2.0 * self.tortuosity_white_transverse.powi(-2))
            / 3.0;
        inv.powf(-0.5)
    }

    /// Tortuosity used on `label` (dimensionless): grey, isotropic white, 1 in CSF; `None` for
    /// void and non-cord labels.
    pub fn tortuosity(&self, label: Label) -> Option<f64> {
        match label {
            GREY => Some(self.tortuosity_grey),
            WHITE => Some(self.white_tortuosity()),
            CSF => Some(1.0),
            _ => None,
        }
    }

    /// Half-life of a solute in well-mixed CSF under turnover alone, `ln 2 / k` (s); infinite
    /// when the turnover is 0.
    pub fn csf_half_life_s(&self) -> f64 {
        std::f64::consts::LN_2 / self.csf_turnover_per_s
    }
}

/// Dechadilok & Deen 2006 diffusive hindrance of a sphere in a slit pore (dimensionless), for
/// `l` = sphere radius / pore half-width: 1 at `l <= 0`, 0 at `l >= 1` (the particle does not
/// fit), the polynomial of the module documentation in between (clamped to [0, 1]); NaN in,
/// NaN out.
pub fn slit_hindrance(l: f64) -> f64 {
    if l.is_nan() {
        return f64::NAN;
    }
    if l <= 0.0 {
        return 1.0;
    }
    if l >= 1.0 {
        return 0.0;
    }
    let h = 1.0 + 0.5625 * l * l.ln() - 1.19358 * l + 0.4285 * l.powi(3) - 0.3192 * l.powi(4)
        + 0.08428 * l.powi(5);
    h.clamp(0.0, 1.0)
}

/// ECS hindrance `H(r)` (dimensionless) of a solute of Stokes radius `radius_nm` (nm; 0 = a
/// point solute) in gaps of width `ecs_width_nm` (nm): [`slit_hindrance`] of `r / (w/2)`.
pub fn ecs_hindrance(radius_nm: f64, ecs_width_nm: f64) -> f64 {
    slit_hindrance(radius_nm / (0.5 * ecs_width_nm))
}

/// Effective diffusivity (mm^2/s) on `label` of a solute with free diffusivity `free_mm2_s`
/// (mm^2/s) and Stokes radius `radius_nm` (nm; 0 = point solute): `D_free H(r) / lambda^2` in
/// grey and white matter, `D_free` in CSF, 0 on void and non-cord labels. Inputs are not
/// checked here ([`validate_solute`]): negative or non-finite inputs give non-finite results.
pub fn ecs_diffusivity(
    free_mm2_s: f64,
    radius_nm: f64,
    label: Label,
    p: &CordTransportParams,
) -> f64 {
    match label {
        GREY | WHITE => {
            let lambda = p.tortuosity(label).unwrap_or(f64::NAN);
            free_mm2_s * ecs_hindrance(radius_nm, p.ecs_width_nm) / (lambda * lambda)
        }
        CSF => free_mm2_s,
        _ => 0.0,
    }
}

/// Checks a solute's free diffusivity (finite, >= 0 mm^2/s) and Stokes radius (finite, >= 0 nm);
/// the error names the solute.
pub fn validate_solute(name: &str, free_mm2_s: f64, radius_nm: f64) -> Result<(), Error> {
    if !(free_mm2_s.is_finite() && free_mm2_s >= 0.0) {
        return Err(Error::Config(format!(
            "{name}: free diffusivity = {free_mm2_s} mm^2/s; must be finite and >= 0"
        )));
    }
    if !(radius_nm.is_finite() && radius_nm >= 0.0) {
        return Err(Error::Config(format!(
            "{name}: Stokes radius = {radius_nm} nm; must be finite and >= 0 (0 = point solute)"
        )));
    }
    Ok(())
}

/// The transport description of one solute on a cord grid: [`ecs_diffusivity`] per label,
/// no-flux dura and void faces, and the segment ends of `ends` (reservoir 0). `name` and `unit`
/// label the solute (e.g. "tnf", "pg/mL"); `free_mm2_s` in mm^2/s, `radius_nm` in nm.
pub fn solute_transport(
    grid: &Grid,
    p: &CordTransportParams,
    name: &str,
    unit: &str,
    free_mm2_s: f64,
    radius_nm: f64,
    ends: AxialEnds,
) -> SoluteTransport {
    let mut t = SoluteTransport::uniform(name, unit, 0.0);
    for l in 0..MAX_LABELS {
        t.d_by_label[l] = ecs_diffusivity(free_mm2_s, radius_nm, l as Label, p);
    }
    if let AxialEnds::Continuation { far_loss_per_s } = ends {
        for l in [GREY, WHITE, CSF] {
            let d = t.d_by_label[l as usize];
            let k = far_loss_per_s + if l == CSF { p.csf_turnover_per_s } else { 0.0 };
            // far-cord conductance D*/L_far = sqrt(D* k) (mm/s) behind the half cell
            let far = (d * k).sqrt();
            t.set_boundary(l, AXIAL, grid.h[AXIAL], 1.0, far, 0.0);
        }
    }
    t
}

/// First-order loss per cell (1/s): the CSF turnover rate in CSF cells, 0 elsewhere (void
/// included). Add it to the solute's own loss when stepping a [`LinearSpecies`].
pub fn csf_loss_per_s(grid: &Grid, p: &CordTransportParams) -> Vec<f64> {
    grid.labels
        .iter()
        .map(|&l| if l == CSF { p.csf_turnover_per_s } else { 0.0 })
        .collect()
}

/// Stokes–Einstein free diffusivity (mm^2/s) at body temperature ([`BODY_TEMPERATURE_K`]) in
/// interstitial fluid of viscosity `physics.water_viscosity`, for a Stokes radius `radius_nm`
/// (nm, finite and > 0); the function the carriers module uses.
pub fn free_diffusivity_mm2_s(reg: &Registry, radius_nm: f64) -> Result<f64, Error> {
    if !(radius_nm.is_finite() && radius_nm > 0.0) {
        return Err(Error::Config(format!(
            "Stokes radius = {radius_nm} nm; must be finite and > 0 for Stokes-Einstein"
        )));
    }
    let eta = reg.value_in("physics.water_viscosity", "Pa*s")?;
    Ok(stokes_einstein_mm2_s(radius_nm, eta, BODY_TEMPERATURE_K))
}

/// The diffusion operators (partition 1) of the five cord solutes on `grid`, in the order of
/// [`SOLUTES`]: H2O2 with free diffusivity `h2o2.diffusivity.water` as a point solute (`H = 1`;
/// its ~0.2 nm radius changes `H` by < 4 %), the proteins with Stokes radius
/// `solute.stokes_radius.<name>` and Stokes–Einstein free diffusivity. Step them with the
/// biology loss plus [`csf_loss_per_s`]. Errors: unknown preset, missing or invalid parameters,
/// invalid `ends`.
pub fn cytokine_operators(
    reg: &Registry,
    grid: &Grid,
    preset: &str,
    ends: AxialEnds,
) -> Result<Vec<LinearSpecies>, Error> {
    let p = CordTransportParams::from_registry(reg, preset)?;
    ends.validate()?;
    let mut out = Vec::with_capacity(SOLUTES.len());
    for (s, (&name, &unit)) in SOLUTES.iter().zip(UNITS.iter()).enumerate() {
        let (free, radius) = if s == 0 {
            (reg.value_in("h2o2.diffusivity.water", "mm^2/s")?, 0.0)
        } else {
            let r = reg.value_in(&format!("solute.stokes_radius.{name}"), "nm")?;
            (free_diffusivity_mm2_s(reg, r)?, r)
        };
        validate_solute(name, free, radius)?;
        let t = solute_transport(grid, &p, name, unit, free, radius, ends);
        out.push(LinearSpecies::new(grid, &t, &[1.0; MAX_LABELS]));
    }
    Ok(out)
}

/// The diffusion operator (partition 1) of a delivered agent (payload or carrier) of free
/// diffusivity `free_mm2_s` (mm^2/s) and Stokes radius `radius_nm` (nm) on a cord grid; its
/// concentration unit is the caller's. Carriers at least as wide as the ECS do not move in
/// tissue. Check the inputs with [`validate_solute`] and `ends` with [`AxialEnds::validate`]
/// first: invalid values give non-finite coefficients, which the solver reports as a
/// convergence error.
pub fn agent_operator(
    grid: &Grid,
    p: &CordTransportParams,
    name: &str,
    free_mm2_s: f64,
    radius_nm: f64,
    ends: AxialEnds,
) -> LinearSpecies {
    let t = solute_transport(grid, p, name, "agent", free_mm2_s, radius_nm, ends);
    LinearSpecies::new(grid, &t, &[1.0; MAX_LABELS])
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
