//! The disc as parallel columns between rigid endplates: NP, AF and an optional implant share one
//! axial load and one height. Proteoglycan loss or an implant changes the height at which they
//! carry that load.
//!
//! Reference (healthy) state: the preset disc height `H0` (`anatomy.<species>.disc_height`) is the
//! height of the healthy disc at its species' intradiscal pressure `p_ref`
//! (`mechanics.intradiscal_pressure.<species>`). The healthy NP is at swelling equilibrium under
//! `p_ref` (volume ratio `J_np0` to its matrix reference), and the AF is at its reference water
//! (`J_af0 = 1`, an assumption). The nominal axial stress on the disc is then
//! `s = f p_ref + (1 - f) sigma_af(1)`, with `f` the NP share of the disc cross-section
//! (`np_width_fraction^2`). The load is held at `s` for every other state (same body load).
//!
//! Other states: the height ratio `lambda` between the CEPs solves
//! `f (1 - g) sigma_np(lambda J_np0) + f g sigma_imp(lambda) + (1 - f) sigma_af(lambda) = s`,
//! where both tissues are laterally confined (volume ratio = height ratio, the upper bound of
//! ivd-transport.md §5.2 step 4), and the implant fills the fraction `g` of the NP section
//! (replacing native NP there) with stress `E max(0, ln(lambda_fill / lambda))`: a linear
//! (Hencky) spring of modulus `E` that is stress-free at `lambda_fill` times the healthy height and,
//! not being bonded to the endplates, carries no tension. The CEPs do not swell:
//! `H = 2 t_CEP + (H0 - 2 t_CEP) lambda`. Nothing here is calibrated.

use super::donnan::Osmotic;
use super::swelling::{solve_decreasing, SwellingState, SwellingTissue};
use super::{check_range, osmotic_from_registry, MechanicsError};
use crate::anatomy::PRESETS;
use crate::carriers::CarrierPreset;
use crate::params::Registry;

/// An implant (injectable hydrogel, NP replacement) loaded in parallel with the native tissues.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Implant {
    /// Compressive modulus, kPa, used as the confined (aggregate) modulus of the implant column
    /// (a lower bound on it for Poisson ratio >= 0).
    pub modulus_kpa: f64,
    /// Fraction of the NP cross-section the implant occupies, replacing native NP there
    /// (dimensionless, [0, 1); a defect or nucleotomy cavity left empty is modulus 0).
    pub np_area_fraction: f64,
    /// Stress-free height of the implant relative to the healthy height between the CEPs
    /// (dimensionless; 1 = the implant fills the healthy disc height).
    pub fill_stretch: f64,
}

impl Implant {
    /// Checked constructor: modulus in [0, 1e6] kPa, area fraction in [0, 1), fill stretch in
    /// (0, 3].
    pub fn new(
        modulus_kpa: f64,
        np_area_fraction: f64,
        fill_stretch: f64,
    ) -> Result<Self, MechanicsError> {
        let i = Implant {
            modulus_kpa,
            np_area_fraction,
            fill_stretch,
        };
        i.validate()?;
        Ok(i)
    }

    /// An implant made of carrier `carrier` (its `modulus`, kPa); errors for a carrier without a
    /// modulus (not a gel).
    pub fn from_carrier(
        carrier: &CarrierPreset,
        np_area_fraction: f64,
        fill_stretch: f64,
    ) -> Result<Self, MechanicsError> {
        let e = carrier
            .modulus_kpa()
            .map_err(|e| MechanicsError(e.0))?
            .ok_or_else(|| {
                MechanicsError(format!(
                    "carrier '{}' has no `modulus` (kPa): only gels can serve as a mechanical implant",
                    carrier.id
                ))
            })?;
        Implant::new(e, np_area_fraction, fill_stretch)
    }

    /// Checks the fields (see [`Implant::new`]).
    pub fn validate(&self) -> Result<(), MechanicsError> {
        check_range("implant modulus", self.modulus_kpa, 0.0, 1e6, "kPa")?;
        check_range(
            "implant NP area fraction",
            self.np_area_fraction,
            0.0,
            1.0 - 1e-9,
            "",
        )?;
        check_range("implant fill stretch", self.fill_stretch, 1e-6, 3.0, "")
    }

    /// Compressive stress carried by the implant at height ratio `stretch`, MPa.
    pub fn stress_mpa(&self, stretch: f64) -> f64 {
        let e = self.modulus_kpa * 1e-3;
        if stretch < self.fill_stretch {
            e * (self.fill_stretch / stretch).ln()
        } else {
            0.0
        }
    }
}

/// A disc of one species: geometry, healthy tissues and reference load.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiscColumn {
    /// Healthy disc height at the reference load, including both CEPs, mm.
    pub disc_height_mm: f64,
    /// Thickness of each CEP, mm (does not swell).
    pub cep_thickness_mm: f64,
    /// NP share of the disc cross-section (dimensionless, (0, 1)).
    pub np_area_fraction: f64,
    /// Intradiscal (NP) pressure of the healthy disc under the reference load, MPa.
    pub reference_pressure_mpa: f64,
    /// Healthy NP.
    pub np: SwellingTissue,
    /// AF (unchanged by NP degeneration or treatment).
    pub af: SwellingTissue,
    /// Osmotic environment.
    pub osmotic: Osmotic,
}

/// Composition of a degenerated or injured disc relative to the healthy one (all dimensionless,
/// 1 = healthy), as the disc biology reports it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TissueState {
    /// NP proteoglycan (fixed charge) fraction of healthy, in [0, 10].
    pub np_proteoglycan: f64,
    /// AF proteoglycan (fixed charge) fraction of healthy, in [0, 10].
    pub af_proteoglycan: f64,
    /// AF drained matrix modulus fraction of healthy (collagen network integrity), in [0, 10].
    pub af_matrix: f64,
}

impl TissueState {
    /// The healthy disc (all 1).
    pub const HEALTHY: TissueState = TissueState {
        np_proteoglycan: 1.0,
        af_proteoglycan: 1.0,
        af_matrix: 1.0,
    };

    /// Checks that every fraction is finite and in [0, 10].
    pub fn validate(&self) -> Result<(), MechanicsError> {
        check_range(
            "NP proteoglycan fraction of healthy",
            self.np_proteoglycan,
            0.0,
            10.0,
            "",
        )?;
        check_range(
            "AF proteoglycan fraction of healthy",
            self.af_proteoglycan,
            0.0,
            10.0,
            "",
        )?;
        check_range(
            "AF matrix modulus fraction of healthy",
            self.af_matrix,
            0.0,
            10.0,
            "",
        )
    }
}

/// The healthy reference state of a [`DiscColumn`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ColumnReference {
    /// Healthy NP at the reference pressure.
    pub np: SwellingState,
    /// AF at its reference water.
    pub af: SwellingState,
    /// Nominal axial stress on the whole disc section, MPa (held for every other state).
    pub axial_stress_mpa: f64,
}

/// Equilibrium of a (possibly degenerated or treated) disc under a given load.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DiscEquilibrium {
    /// Height between the CEPs relative to the healthy disc (dimensionless).
    pub stretch: f64,
    /// Disc height including both CEPs, mm.
    pub height_mm: f64,
    /// Height as a percentage of the healthy disc at the reference load (= %DHI against it when
    /// the vertebral bodies are unchanged), %.
    pub percent_of_healthy_height: f64,
    /// Native NP state (its `total_mpa` is the intradiscal pressure).
    pub np: SwellingState,
    /// AF state.
    pub af: SwellingState,
    /// Compressive stress in the implant, MPa (0 without implant).
    pub implant_stress_mpa: f64,
    /// Nominal axial stress on the disc section, MPa.
    pub axial_stress_mpa: f64,
    /// Shares of the axial force carried by native NP, AF and implant (dimensionless, sum 1).
    pub load_share: [f64; 3],
}

impl DiscEquilibrium {
    /// Intradiscal pressure = stress in the native NP, MPa.
    pub fn intradiscal_pressure_mpa(&self) -> f64 {
        self.np.total_mpa
    }
}

impl DiscColumn {
    /// The disc of preset `species` (`anatomy::PRESETS`) from the registry: geometry from
    /// `anatomy.<species>.*`, load from `mechanics.intradiscal_pressure.<species>`, tissues from
    /// `mechanics.np.*` / `mechanics.af.*`, osmotic settings from `mechanics.*`.
    pub fn from_registry(reg: &Registry, species: &str) -> Result<Self, MechanicsError> {
        if !PRESETS.contains(&species) {
            return Err(MechanicsError(format!(
                "species = \"{species}\" is not a preset; allowed: {}",
                PRESETS.join(", ")
            )));
        }
        let a = |k: &str| format!("anatomy.{species}.{k}");
        let w = reg.value(&a("np_width_fraction"))?;
        let c = DiscColumn {
            disc_height_mm: reg.value_in(&a("disc_height"), "mm")?,
            cep_thickness_mm: reg.value_in(&a("cep_thickness"), "mm")?,
            np_area_fraction: w * w,
            reference_pressure_mpa: reg
                .value_in(&format!("mechanics.intradiscal_pressure.{species}"), "MPa")?,
            np: SwellingTissue::from_registry(reg, "np")?,
            af: SwellingTissue::from_registry(reg, "af")?,
            osmotic: osmotic_from_registry(reg)?,
        };
        c.validate()?;
        Ok(c)
    }

    /// Checks geometry, load and tissues.
    pub fn validate(&self) -> Result<(), MechanicsError> {
        check_range("disc height", self.disc_height_mm, 1e-3, 1e3, "mm")?;
        check_range(
            "CEP thickness",
            self.cep_thickness_mm,
            0.0,
            self.disc_height_mm / 2.0 * (1.0 - 1e-9),
            "mm (less than half the disc height)",
        )?;
        check_range(
            "NP area fraction",
            self.np_area_fraction,
            1e-9,
            1.0 - 1e-9,
            "",
        )?;
        check_range(
            "reference intradiscal pressure",
            self.reference_pressure_mpa,
            1e-6,
            100.0,
            "MPa",
        )?;
        self.np.validate()?;
        self.af.validate()
    }

    /// The healthy reference state (NP at the reference pressure, AF at its reference water).
    pub fn reference(&self) -> Result<ColumnReference, MechanicsError> {
        self.validate()?;
        let np = self
            .np
            .equilibrium(&self.osmotic, self.reference_pressure_mpa)?;
        let af = self.af.state_at(&self.osmotic, 1.0)?;
        let f = self.np_area_fraction;
        Ok(ColumnReference {
            np,
            af,
            axial_stress_mpa: f * np.total_mpa + (1.0 - f) * af.total_mpa,
        })
    }

    /// Height between the CEPs -> total height, mm.
    fn height_at(&self, stretch: f64) -> f64 {
        let t2 = 2.0 * self.cep_thickness_mm;
        t2 + (self.disc_height_mm - t2) * stretch
    }

    /// Equilibrium under the reference load of the disc whose NP has fixed charge
    /// `np_charge_per_dry_mass` (mEq/g; the healthy value is `self.np.charge_per_dry_mass`) and
    /// the optional `implant`. Errors name the quantity that prevents an equilibrium.
    pub fn equilibrium(
        &self,
        np_charge_per_dry_mass: f64,
        implant: Option<&Implant>,
    ) -> Result<DiscEquilibrium, MechanicsError> {
        self.equilibrium_at_posture(np_charge_per_dry_mass, implant, self.reference_pressure_mpa)
    }

    /// Nominal axial stress (MPa) and height ratio of the healthy disc whose NP pressure is
    /// `healthy_np_pressure_mpa` (another posture: the same disc under a lighter or heavier load).
    pub fn posture_load(&self, healthy_np_pressure_mpa: f64) -> Result<(f64, f64), MechanicsError> {
        let reference = self.reference()?;
        let np = self
            .np
            .equilibrium(&self.osmotic, healthy_np_pressure_mpa)?;
        let lambda = np.stretch / reference.np.stretch;
        let af = self.af.state_at(&self.osmotic, lambda)?;
        let f = self.np_area_fraction;
        Ok((f * np.total_mpa + (1.0 - f) * af.total_mpa, lambda))
    }

    /// Like [`DiscColumn::equilibrium`], under the load at which the *healthy* disc has NP
    /// pressure `healthy_np_pressure_mpa` (MPa), e.g. lying (Wilke 1999: 0.10 MPa prone) for MRI
    /// or radiographs taken lying. Heights stay relative to the healthy disc at the reference
    /// load, so the healthy disc lying is taller than `disc_height_mm`.
    pub fn equilibrium_at_posture(
        &self,
        np_charge_per_dry_mass: f64,
        implant: Option<&Implant>,
        healthy_np_pressure_mpa: f64,
    ) -> Result<DiscEquilibrium, MechanicsError> {
        self.solve(
            np_charge_per_dry_mass,
            &self.af,
            implant,
            healthy_np_pressure_mpa,
            0.0,
        )
    }

    /// Equilibrium of a disc whose tissues changed, under the load at which the healthy disc has
    /// NP pressure `healthy_np_pressure_mpa` (MPa; `self.reference_pressure_mpa` for the
    /// reference load, see [`DiscColumn::equilibrium_at_posture`]): NP proteoglycan
    /// (fixed charge) at `state.np_proteoglycan` of healthy, AF fixed charge at
    /// `state.af_proteoglycan` of healthy and AF drained matrix modulus at `state.af_matrix` of
    /// healthy (all dimensionless, >= 0), with the optional `implant`. The load is that of the
    /// healthy disc (same body load), so a weaker AF lets the disc settle lower.
    pub fn equilibrium_degenerate(
        &self,
        state: &TissueState,
        implant: Option<&Implant>,
        healthy_np_pressure_mpa: f64,
    ) -> Result<DiscEquilibrium, MechanicsError> {
        self.equilibrium_degenerate_under(state, implant, healthy_np_pressure_mpa, 0.0)
    }

    /// [`DiscColumn::equilibrium_degenerate`] with an extra axial stress `extra_axial_mpa`
    /// (MPa, finite, >= 0) on the disc section on top of the posture load, e.g. an external
    /// loading device (overload). The extra stress is carried by the same tissues; the
    /// reported `axial_stress_mpa` includes it.
    pub fn equilibrium_degenerate_under(
        &self,
        state: &TissueState,
        implant: Option<&Implant>,
        healthy_np_pressure_mpa: f64,
        extra_axial_mpa: f64,
    ) -> Result<DiscEquilibrium, MechanicsError> {
        state.validate()?;
        check_range("extra axial stress", extra_axial_mpa, 0.0, 100.0, "MPa")?;
        let mut af = self.af.clone();
        af.charge_per_dry_mass *= state.af_proteoglycan;
        af.matrix_modulus_mpa *= state.af_matrix;
        self.solve(
            self.np.charge_per_dry_mass * state.np_proteoglycan,
            &af,
            implant,
            healthy_np_pressure_mpa,
            extra_axial_mpa,
        )
    }

    fn solve(
        &self,
        np_charge_per_dry_mass: f64,
        af: &SwellingTissue,
        implant: Option<&Implant>,
        healthy_np_pressure_mpa: f64,
        extra_axial_mpa: f64,
    ) -> Result<DiscEquilibrium, MechanicsError> {
        let reference = self.reference()?;
        let mut np = self.np.clone();
        np.charge_per_dry_mass = np_charge_per_dry_mass;
        np.validate()?;
        af.validate()?;
        if let Some(i) = implant {
            i.validate()?;
        }
        let g = implant.map_or(0.0, |i| i.np_area_fraction);
        let f = self.np_area_fraction;
        let (w_np, w_imp, w_af) = (f * (1.0 - g), f * g, 1.0 - f);
        let j_np0 = reference.np.stretch;
        let np_solid = np.min_stretch()?;
        let af_solid = af.min_stretch()?;
        let lambda_min = (np_solid / j_np0).max(af_solid);
        let (s, _) = self.posture_load(healthy_np_pressure_mpa)?;
        let s = s + extra_axial_mpa;
        let osm = &self.osmotic;
        let states = |lambda: f64| -> Result<(SwellingState, SwellingState, f64), MechanicsError> {
            Ok((
                np.state_at(osm, lambda * j_np0)?,
                af.state_at(osm, lambda)?,
                implant.map_or(0.0, |i| i.stress_mpa(lambda)),
            ))
        };
        let residual = |lambda: f64| match states(lambda) {
            Ok((n, a, imp)) => w_np * n.total_mpa + w_af * a.total_mpa + w_imp * imp - s,
            Err(_) => f64::NAN,
        };
        let what = || {
            format!(
                "disc under nominal axial stress {s:.4} MPa with NP fixed charge {np_charge_per_dry_mass} mEq/g, implant {implant:?}"
            )
        };
        let lambda = solve_decreasing(residual, lambda_min, &what)?;
        let (n, a, imp) = states(lambda)?;
        let total = w_np * n.total_mpa + w_af * a.total_mpa + w_imp * imp;
        let height = self.height_at(lambda);
        Ok(DiscEquilibrium {
            stretch: lambda,
            height_mm: height,
            percent_of_healthy_height: 100.0 * height / self.disc_height_mm,
            np: n,
            af: a,
            implant_stress_mpa: imp,
            axial_stress_mpa: s,
            load_share: [
                w_np * n.total_mpa / total,
                w_af * a.total_mpa / total,
                w_imp * imp / total,
            ],
        })
    }

    /// [`DiscColumn::equilibrium`] with the NP proteoglycan content given as a fraction of the
    /// healthy fixed charge (dimensionless, >= 0; 1 = healthy).
    pub fn equilibrium_at_pg_fraction(
        &self,
        pg_fraction: f64,
        implant: Option<&Implant>,
    ) -> Result<DiscEquilibrium, MechanicsError> {
        check_range(
            "NP proteoglycan fraction of healthy",
            pg_fraction,
            0.0,
            10.0,
            "",
        )?;
        self.equilibrium(self.np.charge_per_dry_mass * pg_fraction, implant)
    }
}
