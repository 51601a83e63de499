//! Ageing (`[arm.injury] type = "ageing"`): the starting state of an aged disc from its age as a
//! fraction of the species' lifespan.
//!
//! With `a = age / lifespan` (`ageing.lifespan.<species>`) and the onset fraction `a0`
//! (`ageing.onset_fraction`, skeletal maturity), the ageing index is
//! `x = clamp((a - a0) / (1 - a0), 0, 1)` (0 for a young adult, 1 at the median lifespan). Each
//! quantity moves linearly from its young-adult value to its value at the median lifespan
//! (`ageing.old.*`):
//! * senescent cell fraction `S0 = x S_old` and lost (dead) cell fraction `D0 = x D_old` in NP and
//!   AF (viable `1 - S0 - D0`);
//! * NP proteoglycan `1 - x (1 - PG_old)`;
//! * CEP exchange area `1 - x (1 - EA_old)` (multiplies `cep.exchange_area`, applied by the
//!   simulator when it builds the arm's registry);
//! * a persistent mild inflammatory drive `x d_old` on the biology's damage input in NP and AF
//!   (inflammaging, on top of the SASP that the senescent cells secrete in the biology).
//!
//! The linear shape and every `ageing.old.*` value are assumptions anchored on qualitative
//! findings (parameters.toml gives the sources).

use crate::params::Registry;
use crate::Error;

/// Seconds per Julian year.
const YEAR_S: f64 = 31_557_600.0;

/// What ageing sets at one age (all dimensionless).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AgeingState {
    /// Ageing index `x` (0 young adult .. 1 median lifespan).
    pub index: f64,
    /// Senescent fraction of the initial cells in NP and AF.
    pub senescent_fraction: f64,
    /// Lost (dead) fraction of the initial cells in NP and AF.
    pub cell_loss: f64,
    /// NP proteoglycan, fraction of the young-adult content.
    pub np_proteoglycan: f64,
    /// Remaining CEP exchange-area factor.
    pub cep_exchange_area: f64,
    /// Persistent damage (inflammatory) input of the biology in NP and AF, 0..1.
    pub inflammatory_drive: f64,
}

/// Ageing constants of one species (`ageing.*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgeingParams {
    /// Median lifespan of the species (s).
    pub lifespan_s: f64,
    /// Fraction of the lifespan at which ageing changes start (dimensionless).
    pub onset_fraction: f64,
    /// The state at the median lifespan (`index` = 1).
    pub old: AgeingState,
}

impl AgeingParams {
    /// Reads `ageing.lifespan.<species>`, `ageing.onset_fraction` and `ageing.old.*`.
    pub fn from_registry(reg: &Registry, species: &str) -> Result<Self, Error> {
        let lifespan = format!("ageing.lifespan.{species}");
        let p = AgeingParams {
            lifespan_s: reg.value_in(&lifespan, "s")?,
            onset_fraction: reg.value("ageing.onset_fraction")?,
            old: AgeingState {
                index: 1.0,
                senescent_fraction: reg.value("ageing.old.senescent_fraction")?,
                cell_loss: reg.value("ageing.old.cell_loss")?,
                np_proteoglycan: reg.value("ageing.old.np_proteoglycan")?,
                cep_exchange_area: reg.value("ageing.old.cep_exchange_area")?,
                inflammatory_drive: reg.value("ageing.old.inflammatory_drive")?,
            },
        };
        if p.old.senescent_fraction + p.old.cell_loss > 1.0 {
            return Err(Error::Config(format!(
                "ageing.old.senescent_fraction + ageing.old.cell_loss = {} exceeds 1 (they are fractions of the same cells)",
                p.old.senescent_fraction + p.old.cell_loss
            )));
        }
        if !(p.onset_fraction < 1.0 && p.lifespan_s > 0.0) {
            return Err(Error::Config(format!(
                "ageing.onset_fraction = {} must be < 1 and {lifespan} > 0",
                p.onset_fraction
            )));
        }
        Ok(p)
    }

    /// Ageing index (dimensionless, 0..1) at `age_s` (s).
    pub fn index(&self, age_s: f64) -> f64 {
        let a = age_s / self.lifespan_s;
        ((a - self.onset_fraction) / (1.0 - self.onset_fraction)).clamp(0.0, 1.0)
    }

    /// The state at `age_s` (s, > 0); an error names the age and the allowed range.
    pub fn at(&self, age_s: f64) -> Result<AgeingState, Error> {
        if !(age_s.is_finite() && age_s > 0.0) {
            return Err(Error::Config(format!(
                "ageing age = {age_s} s must be a time > 0 s"
            )));
        }
        let x = self.index(age_s);
        let o = &self.old;
        Ok(AgeingState {
            index: x,
            senescent_fraction: x * o.senescent_fraction,
            cell_loss: x * o.cell_loss,
            np_proteoglycan: 1.0 - x * (1.0 - o.np_proteoglycan),
            cep_exchange_area: 1.0 - x * (1.0 - o.cep_exchange_area),
            inflammatory_drive: x * o.inflammatory_drive,
        })
    }

    /// Median lifespan in years (for messages and summaries).
    pub fn lifespan_years(&self) -> f64 {
        self.lifespan_s / YEAR_S
    }
}
