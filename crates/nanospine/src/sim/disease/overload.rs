//! Overload (`[arm.injury] type = "overload"`): axial compression above physiological for a
//! loading period, `hours_per_day` loaded hours each day from the start `t0` for `duration`.
//!
//! * **Mechanics**: while loaded, the applied stress adds to the nominal axial stress of the
//!   disc column, so height and NP water fall; unloaded, they return to the equilibrium of the
//!   current matrix (creep and recovery times are not modelled: equilibrium at each sample).
//!   The loading occupies the first `hours_per_day` of each day after `t0`: the disc is loaded
//!   at `t` when `t0 < t <= t0 + duration` and the time into the day `(t - t0)` modulo 1 d (a
//!   whole day counts as 1 d, not 0) is at most `hours_per_day`.
//! * **Biology**: the cells feel the stress above a threshold,
//!   `m = m_max clamp((sigma - sigma_th) / (sigma_sat - sigma_th), 0, 1)`, averaged over the day
//!   (`x hours_per_day / 24`, since biology sub-steps of hours do not resolve the daily cycle)
//!   for `t0 <= t < t0 + duration`, as the biology's `mechanical_stress` input in NP and AF
//!   (apoptosis and NF-kB drive). Cell loss and matrix loss stay after unloading.

use crate::params::Registry;
use crate::Error;

use crate::units::SECONDS_PER_DAY as DAY_S;

/// Overload constants (`overload.*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverloadParams {
    /// Axial stress above which cells respond (MPa).
    pub stress_threshold_mpa: f64,
    /// Axial stress at which the cell response saturates (MPa, > threshold).
    pub stress_saturation_mpa: f64,
    /// Cell-stress input at saturation (dimensionless, 0..1).
    pub max_cell_stress: f64,
}

impl OverloadParams {
    /// Reads `overload.*`.
    pub fn from_registry(reg: &Registry) -> Result<Self, Error> {
        let p = OverloadParams {
            stress_threshold_mpa: reg.value_in("overload.stress_threshold", "MPa")?,
            stress_saturation_mpa: reg.value_in("overload.stress_saturation", "MPa")?,
            max_cell_stress: reg.value("overload.max_cell_stress")?,
        };
        if p.stress_saturation_mpa <= p.stress_threshold_mpa {
            return Err(Error::Config(format!(
                "overload.stress_saturation = {} MPa must exceed overload.stress_threshold = {} MPa",
                p.stress_saturation_mpa, p.stress_threshold_mpa
            )));
        }
        Ok(p)
    }

    /// Cell-stress level (dimensionless, 0..1) of a sustained stress `stress_mpa` (MPa).
    pub fn level(&self, stress_mpa: f64) -> f64 {
        let r = (stress_mpa - self.stress_threshold_mpa)
            / (self.stress_saturation_mpa - self.stress_threshold_mpa);
        self.max_cell_stress * r.clamp(0.0, 1.0)
    }
}

/// The overload of one arm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverloadDrive {
    /// Applied stress (MPa).
    pub stress_mpa: f64,
    /// Loaded hours per day (h).
    pub hours_per_day: f64,
    /// Start of the loading period (s).
    pub start_s: f64,
    /// End of the loading period (s).
    pub end_s: f64,
    /// Cell-stress input while the period lasts, daily average (dimensionless, 0..1).
    pub cell_stress: f64,
}

impl OverloadDrive {
    /// The drive of an overload of `stress_mpa` (MPa), `hours_per_day` (h), from `start_s` for
    /// `duration_s` (s).
    pub fn new(
        p: &OverloadParams,
        stress_mpa: f64,
        hours_per_day: f64,
        start_s: f64,
        duration_s: f64,
    ) -> Result<Self, Error> {
        let ok = stress_mpa.is_finite()
            && stress_mpa > 0.0
            && hours_per_day > 0.0
            && hours_per_day <= 24.0
            && start_s.is_finite()
            && start_s >= 0.0
            && duration_s.is_finite()
            && duration_s > 0.0;
        if !ok {
            return Err(Error::Config(format!(
                "overload: stress {stress_mpa} MPa (> 0), hours_per_day {hours_per_day} (0 < h <= 24), time {start_s} s (>= 0) and duration {duration_s} s (> 0) out of range"
            )));
        }
        Ok(OverloadDrive {
            stress_mpa,
            hours_per_day,
            start_s,
            end_s: start_s + duration_s,
            cell_stress: p.level(stress_mpa) * hours_per_day / 24.0,
        })
    }

    /// Biology input at `t` (s): the daily-average cell stress during the period, else 0.
    pub fn cell_stress_at(&self, t: f64) -> f64 {
        if t >= self.start_s && t < self.end_s {
            self.cell_stress
        } else {
            0.0
        }
    }

    /// Whether the disc is under the load at `t` (s).
    pub fn loaded_at(&self, t: f64) -> bool {
        if !(t > self.start_s && t <= self.end_s) {
            return false;
        }
        let since = t - self.start_s;
        let into_day = since - DAY_S * ((since / DAY_S).ceil() - 1.0);
        into_day <= self.hours_per_day * 3600.0 * (1.0 + 1e-12)
    }

    /// Extra axial stress on the disc at `t` (MPa).
    pub fn stress_at(&self, t: f64) -> f64 {
        if self.loaded_at(t) {
            self.stress_mpa
        } else {
            0.0
        }
    }
}
