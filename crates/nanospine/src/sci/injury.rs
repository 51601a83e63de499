//! Primary spinal cord injury models: a traumatic contusion (one acute insult at the impact time)
//! and a chronic compression (a slowly expanding implant, optionally ischaemic), placed on the
//! cord grid of [`crate::anatomy::cord`]. Definitions, anchors and assumptions are documented in
//! `docs/cord.md` ("Injury models"); constants come from the registry (`cord_injury.*`, plus the
//! rat and mouse cord diameters `cord.<species>_thoracic.*`).
//!
//! * **Contusion.** The device input (impactor force, weight-drop mass x height, or tissue
//!   displacement) is mapped to a dimensionless epicentre severity `s` in 0..1 by a Hill curve
//!   in the input, i.e. a straight line in log-odds vs ln(input), through two class anchors of the
//!   research notes (mild/moderate/severe definitions per species and device) [D].
//!   [`severity_field`] spreads `s` along the cord as `s(z) = s 2^(-(z/z_half)^2)` (z = 0 at the
//!   epicentre, mm); the value is uniform over the cross-section (grey and white matter alike:
//!   grey matter's greater vulnerability is in the biology's rates, not in the mechanical insult)
//!   and 0 in CSF and void.
//! * **Compression.** [`compression_inputs`] gives the per-voxel compression (0..1) and perfusion
//!   factor (1 = normal) at time `t`: 0 before the onset, a first-order rise towards the
//!   compression ratio with time constant `rise_time_s`, release at decompression; uniform over the
//!   compressed segment of the cord (length `L_c`, centred on z = 0), 0 elsewhere. With ischaemia
//!   on, perfusion follows [`autoregulated_perfusion`]: normal while spinal cord blood flow
//!   autoregulation compensates the cord pressure (dog ventral balloon thresholds),
//!   pressure-passive beyond; with it off, perfusion is 1 everywhere.
//!
//! Species scaling: the axial length scales (`z_half`, `L_c`) are rat values, scaled by the ratio
//! of the grid's area-equivalent cord radius to the rat thoracic cord's (`sqrt(T AP)/2` from
//! `cord.rat_thoracic.*`). The axisymmetric grid cannot represent a dorsal impact or a
//! dorsal/ventral difference: the insult depends on z only.

use crate::grid::{Grid, GREY, WHITE};
use crate::params::Registry;
use crate::Error;

/// Every registry name [`InjuryParams::from_registry`] reads.
pub const PARAMETER_NAMES: [&str; 20] = [
    "cord_injury.severity.mild",
    "cord_injury.severity.severe",
    "cord_injury.rat.weight_drop.mild",
    "cord_injury.rat.weight_drop.severe",
    "cord_injury.rat.impactor.mild",
    "cord_injury.rat.impactor.severe",
    "cord_injury.mouse.impactor.moderate",
    "cord_injury.mouse.impactor.severe",
    "cord_injury.displacement.moderate",
    "cord_injury.displacement.severe",
    "cord_injury.contusion.half_length",
    "cord_injury.compression.length",
    "cord_injury.compression.autoregulation_cord_pressure",
    "cord_injury.compression.autoregulation_perfusion_pressure",
    "cord_injury.compression.block_half",
    "cord_injury.compression.block_failure_perfusion_pressure",
    "cord_injury.compression.block_recovery_time",
    "cord_injury.compression.susceptible_half",
    "cord.rat_thoracic.transverse_diameter",
    "cord.rat_thoracic.ap_diameter",
];

/// Newtons per kilodyne (1 kdyn = 1e3 dyn = 1e-2 N).
const N_PER_KDYN: f64 = 1e-2;

/// Species whose contusion devices have severity anchors in the research notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InjurySpecies {
    /// Mouse (C57BL/6, thoracic contusion; Basso et al. 2006).
    Mouse,
    /// Rat (thoracic contusion; Basso et al. 1996, NYU/MASCIS and IH devices).
    Rat,
}

impl InjurySpecies {
    /// Lowercase name (`mouse`, `rat`).
    pub fn name(self) -> &'static str {
        match self {
            InjurySpecies::Mouse => "mouse",
            InjurySpecies::Rat => "rat",
        }
    }
}

/// How the severity of a contusion is specified.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContusionInput {
    /// Infinite Horizon (IH) impactor: peak impact force (kdyn; 1 kdyn = 0.01 N). Rat or mouse.
    ImpactorForce {
        /// Species (selects the anchors).
        species: InjurySpecies,
        /// Peak force (kdyn), >= 0 (0 = sham).
        force_kdyn: f64,
    },
    /// NYU/MASCIS weight drop: a rod of `mass_g` (g) dropped from `height_mm` (mm). Rat only.
    WeightDrop {
        /// Species (only rat has anchors).
        species: InjurySpecies,
        /// Rod mass (g), >= 0.
        mass_g: f64,
        /// Drop height (mm), >= 0.
        height_mm: f64,
    },
    /// Displacement-controlled impactor (OSU ESCID, LISA): cord displacement (mm). Rat or mouse;
    /// normalised by the species' antero-posterior cord diameter.
    Displacement {
        /// Species (selects the cord diameter).
        species: InjurySpecies,
        /// Tissue displacement (mm), >= 0 and below the cord diameter.
        displacement_mm: f64,
    },
    /// Epicentre severity given directly (1, 0..1); any species.
    Severity {
        /// Epicentre severity (1), 0..1.
        severity: f64,
    },
}

/// A primary spinal cord injury.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CordInjury {
    /// Traumatic contusion at the epicentre (z = 0): one acute insult at `time_s`.
    Contusion {
        /// Severity input (device and species, or the severity itself).
        input: ContusionInput,
        /// Time of the impact (s), >= 0.
        time_s: f64,
    },
    /// Chronic compression of the segment around z = 0 (expanding implant, screw, stenosis).
    Compression {
        /// Compression at full expansion: lost fraction of the cord (canal) diameter (1), 0..1.
        compression_ratio: f64,
        /// Time the compression starts (s), >= 0.
        onset_s: f64,
        /// Time constant of the first-order rise (s), >= 0 (0 = instant). A sheet expanding over
        /// 48-72 h has a time constant of about 16-24 h (95 % at 3 time constants).
        rise_time_s: f64,
        /// Time of decompression (implant removal, s), after `onset_s`; `None` = never.
        decompression_s: Option<f64>,
        /// Whether the compressed segment is ischaemic (perfusion reduced).
        ischaemia: bool,
    },
}

/// Severity class of a contusion (the notes' mild/moderate/severe definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityClass {
    /// Mild.
    Mild,
    /// Moderate.
    Moderate,
    /// Severe.
    Severe,
}

/// Two points of a device's severity curve: at input `x[i]` the severity is `s[i]` (input units
/// as stored: g*mm, kdyn, or displacement / AP diameter).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchors {
    /// Inputs of the two anchors, increasing (device units).
    pub x: [f64; 2],
    /// Severities of the two anchors, increasing (1).
    pub s: [f64; 2],
}

impl Anchors {
    /// Severity (1) of input `x` (device units, >= 0): the Hill curve through both anchors,
    /// `logit s = logit s0 + n ln(x/x0)`, `n = (logit s1 - logit s0) / ln(x1/x0)`; 0 at x = 0.
    pub fn severity(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        let (l0, l1) = (logit(self.s[0]), logit(self.s[1]));
        let n = (l1 - l0) / (self.x[1] / self.x[0]).ln();
        logistic(l0 + n * (x / self.x[0]).ln())
    }

    /// Hill exponent `n` of the curve (1).
    pub fn hill_exponent(&self) -> f64 {
        (logit(self.s[1]) - logit(self.s[0])) / (self.x[1] / self.x[0]).ln()
    }
}

/// Injury-model constants in internal units (mm, s, kdyn, g*mm).
#[derive(Debug, Clone, PartialEq)]
pub struct InjuryParams {
    /// Reference severity of a mild contusion (1) — `cord_injury.severity.mild`.
    pub severity_mild: f64,
    /// Reference severity of a severe contusion (1) — `cord_injury.severity.severe`.
    pub severity_severe: f64,
    /// Rat NYU weight drop, mass x height of the mild and severe anchors (g*mm) —
    /// `cord_injury.rat.weight_drop.*`.
    pub rat_weight_drop: [f64; 2],
    /// Rat IH impactor force of the mild and severe anchors (kdyn) — `cord_injury.rat.impactor.*`.
    pub rat_impactor: [f64; 2],
    /// Mouse IH impactor force of the moderate and severe anchors (kdyn) —
    /// `cord_injury.mouse.impactor.*`.
    pub mouse_impactor: [f64; 2],
    /// Displacement / AP cord diameter of the moderate and severe anchors (1) —
    /// `cord_injury.displacement.*`.
    pub displacement: [f64; 2],
    /// AP cord diameter of the rat and mouse (mm) — `cord.rat_thoracic.ap_diameter`,
    /// `cord.mouse_thoracic.ap_diameter`.
    pub ap_diameter: [f64; 2],
    /// Distance from the epicentre at which the contusion insult is half the epicentre value, rat
    /// (mm) — `cord_injury.contusion.half_length`.
    pub half_length: f64,
    /// Length of the compressed segment, rat (mm) — `cord_injury.compression.length`.
    pub compression_length: f64,
    /// Cord (tissue) pressure up to which spinal cord blood flow autoregulation keeps the flow
    /// normal, `P_a` (mmHg) — `cord_injury.compression.autoregulation_cord_pressure`.
    pub autoregulation_cord_pressure: f64,
    /// Perfusion pressure (arterial minus cord pressure) down to which autoregulation keeps the
    /// flow normal, `PP_a` (mmHg) — `cord_injury.compression.autoregulation_perfusion_pressure`.
    pub autoregulation_perfusion_pressure: f64,
    /// Compression ratio (1) at which half of the surviving axons of the compressed segment are
    /// conduction-blocked — `cord_injury.compression.block_half`.
    pub block_half: f64,
    /// Perfusion pressure (mmHg) at which conduction fails (block 0.95) —
    /// `cord_injury.compression.block_failure_perfusion_pressure`.
    pub block_failure_perfusion_pressure: f64,
    /// Time constant (s) of the recovery of conduction after the compression eases —
    /// `cord_injury.compression.block_recovery_time`.
    pub block_recovery_s: f64,
    /// Compression ratio (1) at which half of the neurons, oligodendrocytes and axons of the
    /// compressed segment are susceptible to it (the rest tolerate it indefinitely) —
    /// `cord_injury.compression.susceptible_half`.
    pub susceptible_half: f64,
    /// Area-equivalent radius of the rat thoracic cord, `sqrt(T AP)/2` (mm), the reference of the
    /// species scaling — `cord.rat_thoracic.transverse_diameter`, `cord.rat_thoracic.ap_diameter`.
    pub reference_radius: f64,
}

fn logit(s: f64) -> f64 {
    (s / (1.0 - s)).ln()
}

fn logistic(l: f64) -> f64 {
    1.0 / (1.0 + (-l).exp())
}

fn config(msg: String) -> Error {
    Error::Config(msg)
}

fn check_in(name: &str, v: f64, lo: f64, hi: f64, unit: &str) -> Result<(), Error> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(())
    } else {
        Err(config(format!(
            "{name} = {v} {unit}; allowed: {lo} <= {name} <= {hi} {unit}"
        )))
    }
}

fn check_nonneg(name: &str, v: f64, unit: &str) -> Result<(), Error> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(config(format!(
            "{name} = {v} {unit}; must be a finite value >= 0 {unit}"
        )))
    }
}

impl InjuryParams {
    /// Reads the injury constants from the built-in registry.
    pub fn builtin() -> Result<Self, Error> {
        Self::from_registry(&Registry::builtin())
    }

    /// Reads the injury constants from `reg` ([`PARAMETER_NAMES`] and the mouse AP diameter) and
    /// checks them ([`InjuryParams::validate`]).
    pub fn from_registry(reg: &Registry) -> Result<Self, Error> {
        let v = |n: &str, u: &str| reg.value_in(n, u);
        let kdyn = |n: &str| -> Result<f64, Error> { Ok(v(n, "kg*m/s^2")? / N_PER_KDYN) };
        let t = v("cord.rat_thoracic.transverse_diameter", "mm")?;
        let ap_rat = v("cord.rat_thoracic.ap_diameter", "mm")?;
        let p = InjuryParams {
            severity_mild: v("cord_injury.severity.mild", "1")?,
            severity_severe: v("cord_injury.severity.severe", "1")?,
            rat_weight_drop: [
                v("cord_injury.rat.weight_drop.mild", "g*mm")?,
                v("cord_injury.rat.weight_drop.severe", "g*mm")?,
            ],
            rat_impactor: [
                kdyn("cord_injury.rat.impactor.mild")?,
                kdyn("cord_injury.rat.impactor.severe")?,
            ],
            mouse_impactor: [
                kdyn("cord_injury.mouse.impactor.moderate")?,
                kdyn("cord_injury.mouse.impactor.severe")?,
            ],
            displacement: [
                v("cord_injury.displacement.moderate", "1")?,
                v("cord_injury.displacement.severe", "1")?,
            ],
            ap_diameter: [ap_rat, v("cord.mouse_thoracic.ap_diameter", "mm")?],
            half_length: v("cord_injury.contusion.half_length", "mm")?,
            compression_length: v("cord_injury.compression.length", "mm")?,
            autoregulation_cord_pressure: v(
                "cord_injury.compression.autoregulation_cord_pressure",
                "mmHg",
            )?,
            autoregulation_perfusion_pressure: v(
                "cord_injury.compression.autoregulation_perfusion_pressure",
                "mmHg",
            )?,
            block_half: v("cord_injury.compression.block_half", "1")?,
            block_failure_perfusion_pressure: v(
                "cord_injury.compression.block_failure_perfusion_pressure",
                "mmHg",
            )?,
            block_recovery_s: v("cord_injury.compression.block_recovery_time", "s")?,
            susceptible_half: v("cord_injury.compression.susceptible_half", "1")?,
            reference_radius: 0.5 * (t * ap_rat).sqrt(),
        };
        p.validate()?;
        Ok(p)
    }

    /// Checks the constants: `0 < mild < severe < 1`, anchors positive and increasing, lengths
    /// positive, autoregulation pressures positive. Errors name the field, value and allowed range.
    pub fn validate(&self) -> Result<(), Error> {
        let (m, s) = (self.severity_mild, self.severity_severe);
        if !(m.is_finite() && s.is_finite() && 0.0 < m && m < s && s < 1.0) {
            return Err(config(format!(
                "cord_injury.severity.mild = {m}, cord_injury.severity.severe = {s}; need 0 < mild < severe < 1"
            )));
        }
        let pairs = [
            ("cord_injury.rat.weight_drop", self.rat_weight_drop, "g*mm"),
            ("cord_injury.rat.impactor", self.rat_impactor, "kdyn"),
            ("cord_injury.mouse.impactor", self.mouse_impactor, "kdyn"),
            (
                "cord_injury.displacement",
                self.displacement,
                "(fraction of AP diameter)",
            ),
        ];
        for (name, [a, b], unit) in pairs {
            if !(a.is_finite() && b.is_finite() && 0.0 < a && a < b) {
                return Err(config(format!(
                    "{name}: anchors {a} and {b} {unit}; need 0 < lower anchor < upper anchor"
                )));
            }
        }
        for (name, val) in [
            ("cord_injury.contusion.half_length", self.half_length),
            ("cord_injury.compression.length", self.compression_length),
            ("cord.rat_thoracic.ap_diameter", self.ap_diameter[0]),
            ("cord.mouse_thoracic.ap_diameter", self.ap_diameter[1]),
            ("cord rat reference radius", self.reference_radius),
        ] {
            if !(val.is_finite() && val > 0.0) {
                return Err(config(format!(
                    "{name} = {val} mm; must be a finite length > 0 mm"
                )));
            }
        }
        if self.displacement[1] >= 1.0 {
            return Err(config(format!(
                "cord_injury.displacement.severe = {}; must be < 1 (a fraction of the cord diameter)",
                self.displacement[1]
            )));
        }
        for (name, val) in [
            (
                "cord_injury.compression.autoregulation_cord_pressure",
                self.autoregulation_cord_pressure,
            ),
            (
                "cord_injury.compression.autoregulation_perfusion_pressure",
                self.autoregulation_perfusion_pressure,
            ),
        ] {
            if !(val.is_finite() && val > 0.0) {
                return Err(config(format!(
                    "{name} = {val} mmHg; must be a finite pressure > 0 mmHg"
                )));
            }
        }
        let (half, fail) = (self.block_half, self.block_failure_ratio());
        if !(half.is_finite() && half > 0.0 && half < fail) {
            return Err(config(format!(
                "cord_injury.compression.block_half = {half}; allowed: 0 < block_half < {fail:.3}, \
                 the compression of conduction failure (1 - \
                 cord_injury.compression.block_failure_perfusion_pressure / arterial pressure)"
            )));
        }
        let sh = self.susceptible_half;
        if !(sh.is_finite() && sh > 0.0 && sh < 1.0) {
            return Err(config(format!(
                "cord_injury.compression.susceptible_half = {sh}; allowed: 0 < susceptible_half < 1"
            )));
        }
        if !(self.block_recovery_s.is_finite() && self.block_recovery_s > 0.0) {
            return Err(config(format!(
                "cord_injury.compression.block_recovery_time = {} s; must be a finite time > 0 s",
                self.block_recovery_s
            )));
        }
        Ok(())
    }

    /// Compression ratio (1) at which conduction fails (block 0.95): where the perfusion pressure
    /// `MAP (1 - c)` falls to `cord_injury.compression.block_failure_perfusion_pressure`, with
    /// `MAP = P_a + PP_a` and the cord pressure `c MAP` of [`autoregulated_perfusion`].
    pub fn block_failure_ratio(&self) -> f64 {
        let map = self.autoregulation_cord_pressure + self.autoregulation_perfusion_pressure;
        1.0 - self.block_failure_perfusion_pressure / map
    }

    /// Hill exponent (1) of the conduction block: the curve is 1/2 at `block_half` and 0.95 at
    /// [`Self::block_failure_ratio`], `n = ln 19 / ln(c_f / c_half)`.
    pub fn block_hill(&self) -> f64 {
        19f64.ln() / (self.block_failure_ratio() / self.block_half).ln()
    }

    /// Compression ratio (1) up to which autoregulation keeps the flow normal,
    /// `c_a = P_a / (P_a + PP_a)`: the cord pressure at the limit of autoregulation as a fraction
    /// of the arterial pressure `P_a + PP_a` of the reference (dog) data.
    pub fn autoregulation_ratio(&self) -> f64 {
        self.autoregulation_cord_pressure
            / (self.autoregulation_cord_pressure + self.autoregulation_perfusion_pressure)
    }

    /// Reference severity of a moderate contusion (1): the log-odds midpoint of the mild and
    /// severe references, `logistic((logit s_mild + logit s_severe)/2)`.
    pub fn severity_moderate(&self) -> f64 {
        logistic(0.5 * (logit(self.severity_mild) + logit(self.severity_severe)))
    }

    /// Severity class of an epicentre severity `s` (1). Class limits lie halfway, in log-odds,
    /// between the reference severities: mild below `logit^-1(l_mild + (l_sev - l_mild)/4)`,
    /// severe from `logit^-1(l_mild + 3 (l_sev - l_mild)/4)`, moderate between.
    pub fn classify(&self, s: f64) -> SeverityClass {
        let (lm, ls) = (logit(self.severity_mild), logit(self.severity_severe));
        let l = logit(s.clamp(1e-300, 1.0 - 1e-16));
        if l < lm + 0.25 * (ls - lm) {
            SeverityClass::Mild
        } else if l < lm + 0.75 * (ls - lm) {
            SeverityClass::Moderate
        } else {
            SeverityClass::Severe
        }
    }

    /// The anchors of one device curve (see [`Anchors`]); errors for a device without anchors
    /// for the species (mouse weight drop) or for a direct severity.
    pub fn anchors(&self, input: &ContusionInput) -> Result<Anchors, Error> {
        let (m, mo, sv) = (
            self.severity_mild,
            self.severity_moderate(),
            self.severity_severe,
        );
        match *input {
            ContusionInput::ImpactorForce { species, .. } => Ok(match species {
                InjurySpecies::Rat => Anchors {
                    x: self.rat_impactor,
                    s: [m, sv],
                },
                InjurySpecies::Mouse => Anchors {
                    x: self.mouse_impactor,
                    s: [mo, sv],
                },
            }),
            ContusionInput::WeightDrop { species, .. } => match species {
                InjurySpecies::Rat => Ok(Anchors {
                    x: self.rat_weight_drop,
                    s: [m, sv],
                }),
                InjurySpecies::Mouse => Err(config(
                    "contusion.species = mouse with a weight drop: no mouse weight-drop severity \
                     anchors; allowed: rat for weight_drop, or impactor_force / displacement / \
                     severity for the mouse"
                        .into(),
                )),
            },
            ContusionInput::Displacement { .. } => Ok(Anchors {
                x: self.displacement,
                s: [mo, sv],
            }),
            ContusionInput::Severity { .. } => Err(config(
                "a directly given severity has no device anchors".into(),
            )),
        }
    }

    /// Scale of the axial lengths for a cord of area-equivalent radius `radius_mm` (mm): the
    /// ratio to the rat thoracic cord (1).
    pub fn species_scale(&self, radius_mm: f64) -> f64 {
        radius_mm / self.reference_radius
    }
}

/// Epicentre severity (1, 0..1) of a contusion input, through the device curve of
/// [`InjuryParams::anchors`]. Errors name the input field, its value and the allowed range.
pub fn contusion_severity(input: &ContusionInput, p: &InjuryParams) -> Result<f64, Error> {
    let x = match *input {
        ContusionInput::Severity { severity } => {
            check_in("contusion.severity", severity, 0.0, 1.0, "")?;
            return Ok(severity);
        }
        ContusionInput::ImpactorForce { force_kdyn, .. } => {
            check_nonneg("contusion.force_kdyn", force_kdyn, "kdyn")?;
            force_kdyn
        }
        ContusionInput::WeightDrop {
            mass_g, height_mm, ..
        } => {
            check_nonneg("contusion.mass_g", mass_g, "g")?;
            check_nonneg("contusion.height_mm", height_mm, "mm")?;
            mass_g * height_mm
        }
        ContusionInput::Displacement {
            species,
            displacement_mm,
        } => {
            let ap = match species {
                InjurySpecies::Rat => p.ap_diameter[0],
                InjurySpecies::Mouse => p.ap_diameter[1],
            };
            if !(displacement_mm.is_finite() && displacement_mm >= 0.0 && displacement_mm < ap) {
                return Err(config(format!(
                    "contusion.displacement_mm = {displacement_mm} mm; allowed: 0 <= \
                     contusion.displacement_mm < {ap} mm (the {} cord's AP diameter)",
                    species.name()
                )));
            }
            displacement_mm / ap
        }
    };
    Ok(p.anchors(input)?.severity(x))
}

/// Area-equivalent radius of the cord on `grid` (mm): `sqrt(V / (pi L))` with V the grey + white
/// matter volume and L the grid's length along z.
pub fn cord_radius(grid: &Grid) -> Result<f64, Error> {
    let v: f64 = (0..grid.len())
        .filter(|&c| matches!(grid.labels[c], GREY | WHITE))
        .map(|c| grid.volume(c))
        .sum();
    let len = grid.n[2] as f64 * grid.h[2];
    if !(v > 0.0 && len > 0.0) {
        return Err(config(
            "the grid has no grey or white matter voxel: injury models need a cord grid \
             (anatomy::cord::build_cord_grid)"
                .into(),
        ));
    }
    Ok((v / (std::f64::consts::PI * len)).sqrt())
}

/// Checks the fields of an injury; errors name the field, value and allowed range.
pub fn validate(injury: &CordInjury) -> Result<(), Error> {
    match *injury {
        CordInjury::Contusion { input, time_s } => {
            check_nonneg("contusion.time_s", time_s, "s")?;
            match input {
                ContusionInput::Severity { severity } => {
                    check_in("contusion.severity", severity, 0.0, 1.0, "")
                }
                ContusionInput::ImpactorForce { force_kdyn, .. } => {
                    check_nonneg("contusion.force_kdyn", force_kdyn, "kdyn")
                }
                ContusionInput::WeightDrop {
                    mass_g, height_mm, ..
                } => {
                    check_nonneg("contusion.mass_g", mass_g, "g")?;
                    check_nonneg("contusion.height_mm", height_mm, "mm")
                }
                ContusionInput::Displacement {
                    displacement_mm, ..
                } => check_nonneg("contusion.displacement_mm", displacement_mm, "mm"),
            }
        }
        CordInjury::Compression {
            compression_ratio,
            onset_s,
            rise_time_s,
            decompression_s,
            ..
        } => {
            check_in(
                "compression.compression_ratio",
                compression_ratio,
                0.0,
                1.0,
                "",
            )?;
            check_nonneg("compression.onset_s", onset_s, "s")?;
            check_nonneg("compression.rise_time_s", rise_time_s, "s")?;
            if let Some(d) = decompression_s {
                if !(d.is_finite() && d > onset_s) {
                    return Err(config(format!(
                        "compression.decompression_s = {d} s; must be a finite time after \
                         compression.onset_s = {onset_s} s"
                    )));
                }
            }
            Ok(())
        }
    }
}

/// Mechanical insult of a contusion relative to the epicentre at axial distance `z_mm` from it,
/// for half-length `z_half_mm` (both mm): `2^(-(z/z_half)^2)` (1).
pub fn axial_profile(z_mm: f64, z_half_mm: f64) -> f64 {
    (-(z_mm / z_half_mm).powi(2) * std::f64::consts::LN_2).exp()
}

/// Initial insult severity per voxel (1, 0..1; grid order) of `injury` on a cord grid.
///
/// Contusion: `s 2^(-(z/z_half)^2)` at the cell centre (z in mm from the epicentre, `s` from
/// [`contusion_severity`], `z_half` = `cord_injury.contusion.half_length` scaled by
/// [`InjuryParams::species_scale`] of [`cord_radius`]) in grey and white matter; 0 in CSF and
/// void. Compression: 0 everywhere (its insult builds up through [`compression_inputs`]).
pub fn severity_field(
    grid: &Grid,
    injury: &CordInjury,
    p: &InjuryParams,
) -> Result<Vec<f64>, Error> {
    validate(injury)?;
    let mut out = vec![0.0; grid.len()];
    let CordInjury::Contusion { input, .. } = injury else {
        return Ok(out);
    };
    let s = contusion_severity(input, p)?;
    let z_half = p.half_length * p.species_scale(cord_radius(grid)?);
    for (c, v) in out.iter_mut().enumerate() {
        if matches!(grid.labels[c], GREY | WHITE) {
            let z = grid.centre(2, grid.ijk(c)[2]);
            *v = s * axial_profile(z, z_half);
        }
    }
    Ok(out)
}

/// Compression (fraction of the cord diameter, 1) of a compression injury at time `t_s` (s): 0
/// before the onset and from decompression on; `ratio (1 - exp(-(t - onset)/rise_time))` between
/// (the full ratio at once when `rise_time_s` = 0). 0 for a contusion.
pub fn compression_level(injury: &CordInjury, t_s: f64) -> f64 {
    let CordInjury::Compression {
        compression_ratio,
        onset_s,
        rise_time_s,
        decompression_s,
        ..
    } = *injury
    else {
        return 0.0;
    };
    if t_s < onset_s || decompression_s.is_some_and(|d| t_s >= d) {
        return 0.0;
    }
    if rise_time_s <= 0.0 {
        return compression_ratio;
    }
    compression_ratio * (1.0 - (-(t_s - onset_s) / rise_time_s).exp())
}

/// Per-voxel compression (1, 0..1) and perfusion factor (1; 1 = normal) at time `t_s` (s), in
/// grid order.
///
/// The compressed segment is `|z| <= L_c/2` (`L_c` = `cord_injury.compression.length` scaled by
/// [`InjuryParams::species_scale`] of [`cord_radius`]); a cell partly inside gets the covered
/// fraction `w` of its length. In grey and white matter, compression = `w c(t)`
/// ([`compression_level`]); with ischaemia on, perfusion = [`autoregulated_perfusion`]`(w c(t))`,
/// otherwise 1. CSF and void get compression 0 and perfusion 1; so does every voxel for a
/// contusion (no chronic compression).
pub fn compression_inputs(
    grid: &Grid,
    injury: &CordInjury,
    p: &InjuryParams,
    t_s: f64,
) -> Result<(Vec<f64>, Vec<f64>), Error> {
    validate(injury)?;
    if !t_s.is_finite() {
        return Err(config(format!("t_s = {t_s} s; must be a finite time")));
    }
    let mut comp = vec![0.0; grid.len()];
    let mut perf = vec![1.0; grid.len()];
    let CordInjury::Compression { ischaemia, .. } = *injury else {
        return Ok((comp, perf));
    };
    let c = compression_level(injury, t_s);
    let half = 0.5 * p.compression_length * p.species_scale(cord_radius(grid)?);
    let hz = grid.h[2];
    for cell in 0..grid.len() {
        if !matches!(grid.labels[cell], GREY | WHITE) {
            continue;
        }
        let zc = grid.centre(2, grid.ijk(cell)[2]);
        let (lo, hi) = (zc - 0.5 * hz, zc + 0.5 * hz);
        let w = ((hi.min(half) - lo.max(-half)) / hz).clamp(0.0, 1.0);
        comp[cell] = w * c;
        if ischaemia {
            perf[cell] = autoregulated_perfusion(w * c, p);
        }
    }
    Ok((comp, perf))
}

/// Perfusion (1 = normal) of cord tissue under compression `c` (fraction of the cord diameter,
/// 1; clamped to 0..1), with spinal cord blood flow autoregulation.
///
/// The cord pressure is taken to rise linearly with the compression from 0 to the arterial
/// pressure `MAP = P_a + PP_a` at full occlusion (`P = c MAP`, assumption), so the perfusion
/// pressure is `PP = MAP (1 - c)`. Flow stays normal while `PP >= PP_a` (autoregulation, i.e.
/// `c <= c_a =` [`InjuryParams::autoregulation_ratio`]) and is pressure-passive below,
/// `flow = PP / PP_a`:
///
/// ```text
/// perfusion(c) = min(1, (1 - c) / (1 - c_a))
/// ```
///
/// With the dog thresholds (`P_a` 57.5 mmHg, `PP_a` 67.5 mmHg) `c_a` = 0.46; conduction failure at
/// a perfusion pressure of 20-30 mmHg then lies at `c` = 0.76-0.84 (perfusion 0.30-0.44).
pub fn autoregulated_perfusion(c: f64, p: &InjuryParams) -> f64 {
    let c = c.clamp(0.0, 1.0);
    let ca = p.autoregulation_ratio();
    ((1.0 - c) / (1.0 - ca)).min(1.0)
}

/// Steady conduction block (1, fraction of the surviving axons that do not conduct) of the cord
/// under compression `c` (1; clamped to 0..1): `c^n / (c_half^n + c^n)` with `c_half` =
/// `cord_injury.compression.block_half` and `n` from [`InjuryParams::block_hill`] (0.95 where
/// conduction fails). Compression lowers the evoked potentials of the dorsal columns even while
/// the flow is autoregulated, and conduction fails at a perfusion pressure of 20-30 mmHg (dog
/// ventral balloon, sci.md §5.2 [V]); the block is lifted when the compression is removed
/// (decompression, Dhillon 2016 [V]: BBB improves within 3 wk and axonal-injury (APP) staining
/// falls). 0 without compression.
pub fn conduction_block(c: f64, p: &InjuryParams) -> f64 {
    let c = c.clamp(0.0, 1.0);
    if c == 0.0 {
        return 0.0;
    }
    let x = (c / p.block_half).powf(p.block_hill());
    x / (1.0 + x)
}

/// Fraction (1) of the neurons, oligodendrocytes and axons of a voxel under chronic compression
/// `c` (1; clamped to 0..1) that the compression cannot kill: `1 - S(c)`, with the susceptible
/// share `S(c) = c^n / (c_s^n + c^n)`, `c_s` = `cord_injury.compression.susceptible_half` and `n`
/// the conduction block's Hill exponent ([`InjuryParams::block_hill`]; assumption: the fibres
/// at risk rise with the compression as steeply as the blocked ones). 1 without compression. The
/// biology's losses act only on what lies above this floor, so a constant compression levels off
/// instead of emptying the segment: chronic compression degenerates the cord in a share of
/// animals and to a mild or moderate deficit (rabbits: 10 of 40 paralysed after 8 months at 45 %
/// canal narrowing; cats: 13 of 27 at 33 weeks; rats: a "mild to moderate" sheet model, Dhillon
/// 2016; sci.md §5 [V]); large fibres are lost first (Long 2013 [V]: fewer large motoneurons).
pub fn tolerant_fraction(c: f64, p: &InjuryParams) -> f64 {
    let c = c.clamp(0.0, 1.0);
    if c == 0.0 {
        return 1.0;
    }
    let x = (c / p.susceptible_half).powf(p.block_hill());
    1.0 / (1.0 + x)
}

/// Conduction block after a step of `h` (s) from block `b` (1) under the step's compression `c`
/// (1): a rising compression blocks conduction at once (within minutes in the dog, against a
/// sheet that expands over days), a falling one releases it with the time constant
/// `cord_injury.compression.block_recovery_time`, `b* + (b - b*) exp(-h / tau)`, exact for a
/// constant compression over the step.
pub fn advance_block(b: f64, c: f64, h: f64, p: &InjuryParams) -> f64 {
    let target = conduction_block(c, p);
    if target >= b {
        target
    } else {
        target + (b - target) * (-h / p.block_recovery_s).exp()
    }
}

#[cfg(test)]
#[path = "injury_tests.rs"]
mod tests;
