//! How an arm's injury drives the disc biology: where the damage signal acts, how it fades,
//! where macrophages enter, and how much NP a puncture removes.
//!
//! Three compartments (every constant `injury.*` in the registry; all are flagged assumptions
//! except the severity thresholds):
//! * **Defect band** (AF breach): the AF cells the needle or the defect crosses. In 3-D, the
//!   cells within the needle radius of a line along y through the NP centre at mid-height (the
//!   -y side for one breach, both sides for two). On the axisymmetric grid a lateral needle cannot
//!   be represented; the band is the AF ring within the needle radius of mid-height, and the
//!   defect's influx and damage are diluted over it by the ratio of the true defect volume to
//!   the ring volume (so the total macrophage entry equals that through the real defect).
//!   Damage `inj = s x p(t)` (3-D) or `s` times the diluted value (axisymmetric); macrophages
//!   enter as M0 at `s x j_defect x defect area x p(t)` cells/s spread over the band.
//! * **NP**: depressurisation and DAMPs of a needle reaching the NP: acute damage `a_NP s d`,
//!   `a_NP` the NP damage amplitude, `d` the depth factor of the penetration (full 1, half
//!   `f_half`, annulus-only `f_annulus`); the lasting part of an open defect is `a_NP s` whatever
//!   the depth: `inj = a_NP s (d (1 - p_inf) e(t) + p_inf)`, `e(t)` the acute decay below.
//! * **NP loss** at the time of injury: the fraction `L = f_loss x s x depth factor` of the NP
//!   proteoglycan and cells is removed (extruded through the track). A needle wider than the
//!   calibration puncture (`r > r_hi`) extrudes more: its track counts as `a = (r / r_hi)^m`
//!   calibration tracks, each taking the fraction `L` of what is left, so the loss is
//!   `1 - (1 - L)^a` (`m` = `injury.np_loss_size_exponent`, 2: the track's cross-section). The
//!   severity factor itself saturates at the calibration puncture, so without this a 16G needle
//!   in the rat tail (ratio 1.50) would extrude no more than an 18G (1.15) or a 20G (0.83).
//!
//! `s` is the severity factor of the needle-to-height ratio `r`, a Hill curve with
//! `s(r_lo) = 0.1` and `s(r_hi) = 0.99`: `r_lo` = `injury.severity.ratio_mild` (0.40: up to 40 %
//! of the disc height effects were not significant, and a 26G needle at 0.42 left the rat tail
//! disc unharmed) and `r_hi` = `injury.severity.ratio_degenerative` (0.83: the rat tail 20G and
//! rabbit 16G punctures on which the injury constants are calibrated). It scales every part of
//! the drive: the defect band's damage and macrophage entry, the NP damage and the NP loss
//! (docs/model.md, section 8). `p(t)` fades from 1 at the injury to the persistent
//! level `p_inf` of an open defect with half-life `t_half`:
//! `p = p_inf + (1 - p_inf) exp(-ln 2 (t - t0) / t_half)` for `t >= t0`, 0 before. The lasting
//! level of an open defect grows with the load the disc carries:
//! `p_inf = f_p + k_p x P_ref`, with `P_ref` the species' reference intradiscal pressure
//! (`mechanics.intradiscal_pressure.<species>`), `k_p` = `injury.persistent_per_pressure` and
//! `f_p` = `injury.persistent_fraction` (docs/biology.md, "Lasting damage of a loaded defect").
//!
//! Ageing has no defect: its drive is the persistent inflammatory damage of [`super::ageing`]
//! in NP and AF with `p = 1` from the start, plus the aged starting state. Overload has no
//! defect either: its drive ([`super::overload`]) is a separate cell-stress input and an extra
//! axial stress in the mechanics.

use super::ageing::{AgeingParams, AgeingState};
use super::overload::{OverloadDrive, OverloadParams};
use crate::grid::{Grid, GridKind, AF, NP};
use crate::injury::{Injury, InjuryGeometry, Penetration};
use crate::params::Registry;
use crate::Error;

/// Severity factor (dimensionless, 0..1) of a needle- or defect-to-disc-height `ratio`: the
/// Hill curve that is 0.1 at `ratio_mild` and 0.99 at `ratio_degenerative` (both dimensionless,
/// `0 < ratio_mild < ratio_degenerative`; [`InjuryParams::from_registry`] checks them).
pub fn severity_factor(ratio: f64, ratio_mild: f64, ratio_degenerative: f64) -> f64 {
    if ratio.is_nan() || ratio <= 0.0 {
        return 0.0;
    }
    // x = (r / r50)^n is 1/9 at ratio_mild (s = 0.1) and 99 at ratio_degenerative (s = 0.99)
    let n = (9.0f64 * 99.0).ln() / (ratio_degenerative / ratio_mild).ln();
    let x = (ratio / ratio_mild).powf(n) / 9.0;
    x / (1.0 + x)
}

/// Injury constants from the registry (`injury.*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InjuryParams {
    /// Half-life of the acute damage signal (s).
    pub damage_half_life_s: f64,
    /// Persistent fraction of the damage signal and of the macrophage entry while the defect
    /// stays open, load-independent part (dimensionless).
    pub persistent_fraction: f64,
    /// Load-dependent part of the persistent fraction, per MPa of the species' reference
    /// intradiscal pressure (1/MPa): the lasting level is
    /// `persistent_fraction + persistent_per_pressure x reference_pressure_mpa`, at most 1.
    pub persistent_per_pressure: f64,
    /// The species' reference intradiscal pressure (MPa), `mechanics.intradiscal_pressure.<species>`;
    /// 0 from [`InjuryParams::from_registry`], which has no species.
    pub reference_pressure_mpa: f64,
    /// NP damage amplitude of a full-depth degenerative puncture (dimensionless, 0..1).
    pub np_damage: f64,
    /// NP depth factor of a half-depth puncture (dimensionless).
    pub half_depth_factor: f64,
    /// NP depth factor of an annulus-only puncture or defect (dimensionless).
    pub annulus_only_factor: f64,
    /// Fraction of the NP extruded by a full-depth degenerative puncture (dimensionless).
    pub np_loss_fraction: f64,
    /// Exponent `m` of the needle-to-height ratio above the degenerative anchor in the NP loss
    /// of a larger needle (dimensionless; 2: the track's cross-section); see [`np_loss`].
    pub np_loss_size_exponent: f64,
    /// Monocyte/macrophage entry per defect area (cells/(mm^2 s)).
    pub macrophage_entry: f64,
    /// Needle-to-disc-height ratio at which the severity factor is 0.1 (dimensionless).
    pub severity_ratio_mild: f64,
    /// Needle-to-disc-height ratio at which the severity factor is 0.99 (dimensionless).
    pub severity_ratio_degenerative: f64,
    /// Overload constants (`overload.*`).
    pub overload: OverloadParams,
    /// Ageing constants of the arm's species (`ageing.*`); `None` from
    /// [`InjuryParams::from_registry`], which has no species.
    pub ageing: Option<AgeingParams>,
}

impl InjuryParams {
    /// Reads `injury.*`, `overload.*` and the ageing constants of `species`
    /// (`ageing.lifespan.<species>`, `ageing.*`).
    pub fn from_registry_for(reg: &Registry, species: &str) -> Result<Self, Error> {
        Ok(InjuryParams {
            ageing: Some(AgeingParams::from_registry(reg, species)?),
            reference_pressure_mpa: reg
                .value_in(&format!("mechanics.intradiscal_pressure.{species}"), "MPa")?,
            ..Self::from_registry(reg)?
        })
    }

    /// Reads `injury.*` and `overload.*` (no species: an ageing injury then fails to build, and
    /// the load-dependent persistent damage is 0; use [`InjuryParams::from_registry_for`]).
    pub fn from_registry(reg: &Registry) -> Result<Self, Error> {
        let severity_ratio_mild = reg.value("injury.severity.ratio_mild")?;
        let severity_ratio_degenerative = reg.value("injury.severity.ratio_degenerative")?;
        if !(severity_ratio_mild > 0.0 && severity_ratio_mild < severity_ratio_degenerative) {
            return Err(Error::Config(format!(
                "injury.severity.ratio_mild = {severity_ratio_mild} must be above 0 and below \
                 injury.severity.ratio_degenerative = {severity_ratio_degenerative}"
            )));
        }
        Ok(InjuryParams {
            severity_ratio_mild,
            severity_ratio_degenerative,
            damage_half_life_s: reg.value_in("injury.damage_half_life", "s")?,
            persistent_fraction: reg.value("injury.persistent_fraction")?,
            persistent_per_pressure: reg.value_in("injury.persistent_per_pressure", "1/MPa")?,
            reference_pressure_mpa: 0.0,
            np_damage: reg.value("injury.np_damage")?,
            half_depth_factor: reg.value("injury.half_depth_factor")?,
            annulus_only_factor: reg.value("injury.annulus_only_factor")?,
            np_loss_fraction: reg.value("injury.np_loss_fraction")?,
            np_loss_size_exponent: reg.value("injury.np_loss_size_exponent")?,
            macrophage_entry: reg.value_in("injury.macrophage_entry", "cells/(mm^2*s)")?,
            overload: OverloadParams::from_registry(reg)?,
            ageing: None,
        })
    }

    /// Severity factor (dimensionless, 0..1) of a needle- or defect-to-disc-height `ratio`
    /// with these anchors ([`severity_factor`]).
    pub fn severity(&self, ratio: f64) -> f64 {
        severity_factor(
            ratio,
            self.severity_ratio_mild,
            self.severity_ratio_degenerative,
        )
    }

    /// Fraction of the NP proteoglycan and cells extruded by a puncture of needle-to-height
    /// `ratio` and NP depth factor `depth` (both dimensionless; result 0..1): `L = f_loss s
    /// depth` up to the degenerative anchor `r_hi`; above it the track counts as
    /// `a = (ratio / r_hi)^m` calibration tracks in series, `1 - (1 - L)^a` (continuous at `r_hi`,
    /// rising with the needle, never above 1).
    pub fn np_loss(&self, ratio: f64, depth: f64) -> f64 {
        let l = (self.np_loss_fraction * self.severity(ratio) * depth).clamp(0.0, 1.0);
        if ratio > self.severity_ratio_degenerative {
            let a = (ratio / self.severity_ratio_degenerative).powf(self.np_loss_size_exponent);
            1.0 - (1.0 - l).powf(a)
        } else {
            l
        }
    }

    /// Lasting level of the damage signal and macrophage entry of an open defect
    /// (dimensionless, 0..1): `persistent_fraction + persistent_per_pressure x
    /// reference_pressure_mpa`, clamped to [0, 1].
    pub fn persistent_level(&self) -> f64 {
        (self.persistent_fraction + self.persistent_per_pressure * self.reference_pressure_mpa)
            .clamp(0.0, 1.0)
    }
}

/// The per-voxel injury drive of one arm.
#[derive(Debug, Clone, PartialEq)]
pub struct InjuryDrive {
    /// Injury time (s).
    pub time_s: f64,
    /// Damage weight per voxel at `p = 1` (dimensionless, 0..1).
    pub damage: Vec<f64>,
    /// Damage weight per voxel of the lasting part (dimensionless, 0..1): as `damage`, but in the
    /// NP without the depth factor of the needle (the open defect under load, not the needle,
    /// keeps the disc injured).
    pub lasting_damage: Vec<f64>,
    /// Macrophage entry per voxel at `p = 1` (cells/(mm^3 s)).
    pub influx: Vec<f64>,
    /// Fraction of NP proteoglycan and cells removed at the injury (dimensionless).
    pub np_loss: f64,
    /// Severity factor `s` (dimensionless).
    pub severity: f64,
    /// Defect-band voxels.
    pub band: Vec<usize>,
    /// The aged starting state (ageing only).
    pub ageing: Option<AgeingState>,
    /// The loading (overload only).
    pub overload: Option<OverloadDrive>,
    half_life_s: f64,
    persistent: f64,
    /// `p(t) = 1` from `time_s` on (ageing: a persistent drive without an acute phase).
    steady: bool,
}

impl InjuryDrive {
    /// No injury: zero drive everywhere.
    pub fn none(n: usize) -> Self {
        InjuryDrive {
            time_s: 0.0,
            damage: vec![0.0; n],
            lasting_damage: vec![0.0; n],
            influx: vec![0.0; n],
            np_loss: 0.0,
            severity: 0.0,
            band: vec![],
            ageing: None,
            overload: None,
            half_life_s: 1.0,
            persistent: 0.0,
            steady: false,
        }
    }

    /// The drive of `injury` (with its `geometry` in this disc) on `grid`. Endplate sclerosis
    /// has no drive here (it acts through the CEP exchange area). Ageing needs `p.ageing`
    /// ([`InjuryParams::from_registry_for`]); its damage is the persistent inflammatory drive in
    /// NP and AF. Overload keeps zero damage and carries its [`OverloadDrive`].
    pub fn new(
        grid: &Grid,
        injury: &Injury,
        geometry: &InjuryGeometry,
        p: &InjuryParams,
    ) -> Result<Self, Error> {
        let n = grid.len();
        let mut out = InjuryDrive::none(n);
        let (depth, sides) = match *injury {
            Injury::EndplateSclerosis { .. } => return Ok(out),
            Injury::Ageing { age_s } => {
                let a = p.ageing.ok_or_else(|| {
                    Error::Config(
                        "injury ageing: the species' ageing constants are needed (InjuryParams::from_registry_for)".into(),
                    )
                })?;
                let state = a.at(age_s)?;
                for c in 0..n {
                    if matches!(grid.labels[c], NP | AF) {
                        out.damage[c] = state.inflammatory_drive.clamp(0.0, 1.0);
                    }
                }
                out.lasting_damage = out.damage.clone();
                out.ageing = Some(state);
                out.steady = true;
                return Ok(out);
            }
            Injury::Overload {
                stress_mpa,
                hours_per_day,
                duration_s,
                time_s,
            } => {
                out.time_s = time_s;
                out.overload = Some(OverloadDrive::new(
                    &p.overload,
                    stress_mpa,
                    hours_per_day,
                    time_s,
                    duration_s,
                )?);
                return Ok(out);
            }
            Injury::NeedlePuncture { penetration, .. } => match penetration {
                Penetration::Full => (1.0, 2),
                Penetration::Half => (p.half_depth_factor, 1),
                Penetration::Annulus => (p.annulus_only_factor, 1),
            },
            Injury::AfDefect { .. } => (p.annulus_only_factor, 1),
        };
        let s = p.severity(geometry.diameter_to_height_ratio);
        out.severity = s;
        out.time_s = geometry.time_s;
        out.half_life_s = p.damage_half_life_s;
        out.persistent = p.persistent_level();
        out.np_loss = p.np_loss(geometry.diameter_to_height_ratio, depth);
        let radius = 0.5 * geometry.diameter_mm;
        let (zc, centre) = np_centre(grid)?;
        // band: AF cells crossed by the needle / defect
        let band: Vec<usize> = (0..n)
            .filter(|&c| grid.labels[c] == AF)
            .filter(|&c| {
                let [i, j, k] = grid.ijk(c);
                let dz = grid.centre(2, k) - zc;
                match grid.kind {
                    GridKind::Axisymmetric => dz.abs() <= radius.max(0.5 * grid.h[2]),
                    GridKind::Cartesian3d => {
                        let dx = grid.centre(0, i) - centre[0];
                        let y = grid.centre(1, j) - centre[1];
                        let near = (dx * dx + dz * dz).sqrt() <= radius.max(0.5 * grid.h[0]);
                        near && (sides == 2 || y < 0.0)
                    }
                }
            })
            .collect();
        if band.is_empty() {
            return Err(Error::Config(format!(
                "injury {}: no annulus cells found along the needle track on this grid; refine grid.spacing",
                injury.kind()
            )));
        }
        let band_volume: f64 = band.iter().map(|&c| grid.volume(c)).sum();
        // the defect's share of the band: 1 in 3-D; on the ring, the needle cross-section over
        // the ring's mean lateral area (defect volume / ring volume at equal AF thickness)
        let dilution = match grid.kind {
            GridKind::Cartesian3d => 1.0,
            GridKind::Axisymmetric => {
                let ring_height = 2.0 * radius.max(0.5 * grid.h[2]);
                (geometry.af_defect_area_mm2 / ring_lateral_area(grid, &band, ring_height)).min(1.0)
            }
        };
        let entry = p.macrophage_entry * geometry.af_defect_area_mm2 * s; // cells/s
        for &c in &band {
            out.damage[c] = dilution * s;
            out.lasting_damage[c] = dilution * s;
            out.influx[c] = entry / band_volume;
        }
        let np_damage = (p.np_damage * s * depth).clamp(0.0, 1.0);
        let np_lasting = (p.np_damage * s).clamp(0.0, 1.0);
        for c in 0..n {
            if grid.labels[c] == NP {
                out.damage[c] = out.damage[c].max(np_damage);
                out.lasting_damage[c] = out.lasting_damage[c].max(np_lasting);
            }
        }
        out.band = band;
        Ok(out)
    }

    /// Damage signal of voxel `c` at `t` (dimensionless, 0..1): the acute part
    /// `damage (1 - p_inf) exp(-ln 2 (t - t0) / t_half)` plus the lasting part
    /// `lasting_damage p_inf`; `damage x` [`InjuryDrive::profile`] where the two weights agree
    /// (a full-depth puncture, ageing), 0 before the injury.
    pub fn damage_at(&self, c: usize, t: f64) -> f64 {
        if t < self.time_s {
            return 0.0;
        }
        if self.steady {
            return self.damage[c];
        }
        if self.band.is_empty() {
            return 0.0;
        }
        let decay = (-(t - self.time_s) * std::f64::consts::LN_2 / self.half_life_s).exp();
        self.damage[c] * (1.0 - self.persistent) * decay + self.lasting_damage[c] * self.persistent
    }

    /// Lasting level `p_inf` of the damage signal (dimensionless): the persistent fraction of a
    /// defect's drive, 1 for ageing (a steady drive), 0 without a damage drive.
    pub fn lasting_level(&self) -> f64 {
        if self.steady {
            1.0
        } else if self.band.is_empty() {
            0.0
        } else {
            self.persistent
        }
    }

    /// Time profile `p(t)` (dimensionless): 0 before the injury, 1 at it, fading to the
    /// persistent level; 1 throughout for ageing; 0 for injuries without a damage drive.
    pub fn profile(&self, t: f64) -> f64 {
        if t < self.time_s {
            return 0.0;
        }
        if self.steady {
            return 1.0;
        }
        if self.band.is_empty() {
            return 0.0;
        }
        let decay = (-(t - self.time_s) * std::f64::consts::LN_2 / self.half_life_s).exp();
        self.persistent + (1.0 - self.persistent) * decay
    }
}

/// Mid-height of the NP and its centre (mm).
fn np_centre(grid: &Grid) -> Result<(f64, [f64; 3]), Error> {
    let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
    for c in 0..grid.len() {
        if grid.labels[c] != NP {
            continue;
        }
        let ijk = grid.ijk(c);
        for a in 0..3 {
            let x = grid.centre(a, ijk[a]);
            lo[a] = lo[a].min(x);
            hi[a] = hi[a].max(x);
        }
    }
    if !lo[2].is_finite() {
        return Err(Error::Config(
            "injury: the disc has no NP cells on this grid; refine grid.spacing".into(),
        ));
    }
    let c = [
        0.5 * (lo[0] + hi[0]),
        0.5 * (lo[1] + hi[1]),
        0.5 * (lo[2] + hi[2]),
    ];
    Ok((c[2], c))
}

/// Mean lateral area of the band ring (mm^2): pi (R_in + R_out) x height.
fn ring_lateral_area(grid: &Grid, band: &[usize], height: f64) -> f64 {
    let r_out = band
        .iter()
        .map(|&c| grid.centre(0, grid.ijk(c)[0]) + 0.5 * grid.h[0])
        .fold(0.0, f64::max);
    let r_in = band
        .iter()
        .map(|&c| grid.centre(0, grid.ijk(c)[0]) - 0.5 * grid.h[0])
        .fold(f64::INFINITY, f64::min);
    // the ring's mean circumference x height
    std::f64::consts::PI * (r_out + r_in) * height
}

impl InjuryDrive {
    /// The overload's cell-stress input at `t` (dimensionless, 0..1; 0 without overload).
    pub fn cell_stress_at(&self, t: f64) -> f64 {
        self.overload.map_or(0.0, |o| o.cell_stress_at(t))
    }

    /// The overload's extra axial stress on the disc at `t` (MPa; 0 without overload or when
    /// unloaded).
    pub fn axial_stress_at(&self, t: f64) -> f64 {
        self.overload.map_or(0.0, |o| o.stress_at(t))
    }
}
