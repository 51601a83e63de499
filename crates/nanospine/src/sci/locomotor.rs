//! Open-field locomotor scores from tissue sparing: the BBB scale (rat, 0-21; Basso, Beattie &
//! Bresnahan 1995 J Neurotrauma 12:1) and the Basso Mouse Scale (BMS, mouse, 0-9; Basso et al.
//! 2006 J Neurotrauma 23:635).
//!
//! Model (documented in `docs/cord.md`, "Read-outs"):
//!
//! ```text
//! score(s, t) = plateau(s) * r(t)
//! plateau(s)  = S_max * (L(s) - L(0)) / (L(1) - L(0)),   L(s) = 1 / (1 + exp(-(s - s50) / w))
//! r(t)        = 0                              for t <= t_lag
//!             = 1 - exp(-(t - t_lag) / tau)    for t >  t_lag
//! ```
//!
//! `s` is the spared white matter fraction at the lesion epicentre (1 = intact; evaluated from the
//! current fields at every sample, so secondary loss, sparing by a treatment or remyelination move
//! the plateau), `t` the time since injury in days. `plateau` is the sparing-determined final
//! score: a logistic in `s` rescaled so that `plateau(0) = 0` (no spared white matter, as after
//! transection) and `plateau(1) = S_max` (intact animal) exactly; it is strictly increasing for
//! `w > 0`. `r` is a first-order approach after a lag (spinal shock and oedema keep the score near 0
//! in the first days). The logistic is the research notes' suggested mapping (sci.md section 3,
//! [D]); its centre and width are chosen to pass through the anchors in [`BBB_ANCHORS`] and
//! [`BMS_ANCHORS`] (the BMS centre is calibrated on the untreated moderate mouse contusion, the
//! width is the rat's); the time constants reproduce the untreated curves of sci.md sections 1.2
//! and 2.2 ([U]). No published slope/intercept of score vs spared white matter was found (Basso 1996
//! and Song 2018 report only p and R^2), so the shape is flagged [D].

use crate::params::Registry;
use crate::Error;

/// Highest BBB score: normal locomotion of an intact rat (points; Basso et al. 1995).
pub const BBB_MAX: f64 = 21.0;
/// Highest BMS score: normal locomotion of an intact mouse (points; Basso et al. 2006).
pub const BMS_MAX: f64 = 9.0;

/// The locomotor scale a cord run reports for `species` (a cord preset such as `rat_thoracic`):
/// `"bbb"` for the rat, `"bms"` for the mouse, `None` for any other species. The BBB scale was
/// developed and validated on rats (Basso 1995 [V]); the BMS was made for mice because strain
/// differences make the BBB inaccurate in them (Basso 2006 [V]); neither is a human scale, and no
/// human functional score (e.g. mJOA or the ASIA motor score) is modelled.
pub fn scale_of(species: &str) -> Option<&'static str> {
    if species.starts_with("rat") {
        Some("bbb")
    } else if species.starts_with("mouse") {
        Some("bms")
    } else {
        None
    }
}

/// Every registry name the locomotor read-outs read (for provenance listings and tests).
pub const PARAMETER_NAMES: [&str; 8] = [
    "sci.locomotor.bbb.spared_half",
    "sci.locomotor.bbb.spared_width",
    "sci.locomotor.bbb.recovery_tau",
    "sci.locomotor.bbb.recovery_lag",
    "sci.locomotor.bms.spared_half",
    "sci.locomotor.bms.spared_width",
    "sci.locomotor.bms.recovery_tau",
    "sci.locomotor.bms.recovery_lag",
];

/// One published or noted point of the plateau relation: at spared white matter fraction
/// `spared` (1) the final score should be `score` (points) within `tolerance` (points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// Spared white matter at the epicentre, fraction of intact (1).
    pub spared: f64,
    /// Expected final (plateau) score (points).
    pub score: f64,
    /// Allowed deviation (points).
    pub tolerance: f64,
    /// Evidence: the source and its tag ([V] read in the source, [U] unverified, [D] derived).
    pub source: &'static str,
}

/// Anchors of the rat BBB plateau vs spared white matter (checked by the tests).
pub const BBB_ANCHORS: [Anchor; 4] = [
    Anchor {
        spared: 1.0,
        score: 21.0,
        tolerance: 1e-9,
        source: "[V] intact rats score 21 (BBB scale definition, Basso 1995 J Neurotrauma 12:1)",
    },
    Anchor {
        spared: 0.0,
        score: 0.0,
        tolerance: 1.0,
        source: "[V] transection abolishes stepping and weight support (Basso 1996 Exp Neurol \
                 139:244); [U] BBB 0-1 without spared white matter",
    },
    Anchor {
        spared: 0.035,
        score: 1.0,
        tolerance: 1.0,
        source: "[U] BBB 0-1 below about 2-5 % spared white matter at the epicentre (sci.md \
                 section 3)",
    },
    Anchor {
        spared: 0.175,
        score: 11.0,
        tolerance: 1.5,
        source: "[U] BBB >= 11 (consistent plantar stepping) needs about 15-20 % spared white \
                 matter at the epicentre (Basso 1996 figure; Schucht 2002 Exp Neurol 176:143; \
                 sci.md section 3)",
    },
];

/// Anchors of the mouse BMS plateau vs spared white matter (checked by the tests).
pub const BMS_ANCHORS: [Anchor; 3] = [
    Anchor {
        spared: 1.0,
        score: 9.0,
        tolerance: 1e-9,
        source: "[V] intact mice score 9 (BMS scale definition, Basso 2006 J Neurotrauma 23:635)",
    },
    Anchor {
        spared: 0.0,
        score: 0.0,
        tolerance: 0.5,
        source: "[V] BMS discriminates severe contusion from transection (Basso 2006); [U] BMS 0 \
                 without spared white matter",
    },
    Anchor {
        spared: 0.193,
        score: 4.55,
        tolerance: 0.03,
        source: "calibration [U]: the 42-d BMS of the untreated C57BL/6 moderate contusion is 4-5 \
                 (Basso 2006 figure, sci.md section 2.2); the model's 55-kdyn arm spares 0.193 of \
                 the epicentre white matter, and its 42-d score (4.5, the midpoint) is about this \
                 plateau times the recovery 0.988 (sci.locomotor.bms.spared_half; until 2026-11-28 the rat centre, \
                 with BMS 5 at 0.175 as the category of BBB 11)",
    },
];

/// The plateau relation and the recovery time course of one locomotor scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreCurve {
    /// Highest score, intact animal (points): [`BBB_MAX`] or [`BMS_MAX`].
    pub max: f64,
    /// Spared white matter fraction at the centre of the logistic, `s50` (1).
    pub spared_half: f64,
    /// Width of the logistic, `w` (1); > 0.
    pub spared_width: f64,
    /// Time constant of the approach to the plateau, `tau` (d); > 0.
    pub recovery_tau_d: f64,
    /// Lag before recovery starts (spinal shock, oedema), `t_lag` (d); >= 0.
    pub recovery_lag_d: f64,
}

impl ScoreCurve {
    fn logistic(&self, s: f64) -> f64 {
        1.0 / (1.0 + (-(s - self.spared_half) / self.spared_width).exp())
    }

    /// The sparing-determined final score (points) at spared white matter fraction `spared` (1;
    /// clamped to [0, 1]): 0 at 0, `max` at 1, strictly increasing. NaN stays NaN.
    pub fn plateau(&self, spared: f64) -> f64 {
        if spared.is_nan() {
            return f64::NAN;
        }
        let s = spared.clamp(0.0, 1.0);
        let (l0, l1) = (self.logistic(0.0), self.logistic(1.0));
        (self.max * (self.logistic(s) - l0) / (l1 - l0)).clamp(0.0, self.max)
    }

    /// Fraction of the plateau reached `days` (d) after injury (1): 0 up to the lag, then
    /// `1 - exp(-(t - t_lag) / tau)`. NaN stays NaN.
    pub fn recovery(&self, days: f64) -> f64 {
        if days.is_nan() {
            return f64::NAN;
        }
        let x = (days - self.recovery_lag_d) / self.recovery_tau_d;
        if x <= 0.0 {
            0.0
        } else {
            -(-x).exp_m1()
        }
    }

    /// The score (points, 0..=`max`) `days` (d) after injury with spared white matter fraction
    /// `spared` (1) at the epicentre: `plateau(spared) * recovery(days)`.
    pub fn score(&self, spared: f64, days: f64) -> f64 {
        self.plateau(spared) * self.recovery(days)
    }

    fn check(&self, scale: &str) -> Result<(), Error> {
        let ok = self.max > 0.0
            && self.spared_half.is_finite()
            && self.spared_width > 0.0
            && self.spared_width.is_finite()
            && self.recovery_tau_d > 0.0
            && self.recovery_tau_d.is_finite()
            && self.recovery_lag_d >= 0.0
            && self.recovery_lag_d.is_finite();
        if ok {
            Ok(())
        } else {
            Err(Error::Config(format!(
                "sci.locomotor.{scale}: need finite spared_half, spared_width > 0, \
                 recovery_tau > 0 d and recovery_lag >= 0 d; got spared_half = {}, \
                 spared_width = {}, recovery_tau = {} d, recovery_lag = {} d",
                self.spared_half, self.spared_width, self.recovery_tau_d, self.recovery_lag_d
            )))
        }
    }
}

/// Constants of both locomotor scales, from the registry (`sci.locomotor.*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocomotorParams {
    /// Rat BBB scale (0-21).
    pub bbb: ScoreCurve,
    /// Mouse BMS scale (0-9).
    pub bms: ScoreCurve,
}

impl LocomotorParams {
    /// Reads `sci.locomotor.{bbb,bms}.*` from `reg`; errors name the parameter.
    pub fn from_registry(reg: &Registry) -> Result<LocomotorParams, Error> {
        let curve = |scale: &str, max: f64| -> Result<ScoreCurve, Error> {
            let n = |leaf: &str| format!("sci.locomotor.{scale}.{leaf}");
            let c = ScoreCurve {
                max,
                spared_half: reg.value_in(&n("spared_half"), "1")?,
                spared_width: reg.value_in(&n("spared_width"), "1")?,
                recovery_tau_d: reg.value_in(&n("recovery_tau"), "d")?,
                recovery_lag_d: reg.value_in(&n("recovery_lag"), "d")?,
            };
            c.check(scale)?;
            Ok(c)
        };
        Ok(LocomotorParams {
            bbb: curve("bbb", BBB_MAX)?,
            bms: curve("bms", BMS_MAX)?,
        })
    }

    /// The built-in registry's values.
    pub fn builtin() -> Result<LocomotorParams, Error> {
        LocomotorParams::from_registry(&Registry::builtin())
    }

    /// BBB score (points, 0-21) `days` (d) after injury at spared white matter fraction `spared`.
    pub fn bbb(&self, spared: f64, days: f64) -> f64 {
        self.bbb.score(spared, days)
    }

    /// BMS score (points, 0-9) `days` (d) after injury at spared white matter fraction `spared`.
    pub fn bms(&self, spared: f64, days: f64) -> f64 {
        self.bms.score(spared, days)
    }
}

#[cfg(test)]
#[path = "locomotor_tests.rs"]
mod tests;
