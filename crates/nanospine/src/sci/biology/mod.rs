//! Spinal cord secondary-injury biology, per voxel: neurons, oligodendrocytes, axons, glial scar,
//! the acute insult and tissue debris; neutrophils; monocyte-derived macrophages recruited through
//! CCR2 up the CCL2 signal and resident microglia, both polarising M0/M1/M2 with the scheme shared
//! with the disc ([`crate::immune`]); the Nrf2/HO-1 and SOCS3/JAK2/STAT3 brakes; and the diffusing
//! solutes H2O2, TNF-a, IL-1b, IL-10 and CCL2.
//!
//! * [`state`]: the state vector and the per-voxel inputs.
//! * [`params`]: constants from the registry (`sci.*` plus the shared macrophage and cytokine
//!   constants).
//! * [`rates`]: the right-hand side; equations in docs/cord.md.
//!
//! The stiff per-voxel system is integrated with the disc's TR-BDF2 integrator
//! ([`crate::biology::integrator`]). Time unit s.

pub mod params;
pub mod rates;
pub mod state;

#[cfg(test)]
mod compression_tests;
#[cfg(test)]
mod tests;

pub use params::SciParams;
pub use state::{Inputs, SciState, N_STATE};

use crate::biology::integrator::{integrate, OdeSystem, Options, Stats, Workspace};
use state::SPECIES;

/// The cord biology of one voxel as an [`OdeSystem`].
#[derive(Debug, Clone)]
pub struct SciSystem<'a> {
    /// Constants.
    pub params: &'a SciParams,
    /// Inputs of the voxel, held over the step.
    pub inputs: Inputs,
}

impl OdeSystem for SciSystem<'_> {
    fn dim(&self) -> usize {
        N_STATE
    }

    fn rhs(&self, _t: f64, y: &[f64], dy: &mut [f64]) {
        let mut ya = [0.0; N_STATE];
        ya.copy_from_slice(&y[..N_STATE]);
        let mut da = [0.0; N_STATE];
        rates::rhs(self.params, &self.inputs, &ya, &mut da);
        dy[..N_STATE].copy_from_slice(&da);
    }

    fn typical(&self, i: usize) -> f64 {
        SPECIES[i].2
    }
}

/// Relative tolerance of the local (cell, immune and signalling) entries (1): the disc
/// biology's working tolerance.
pub const RTOL_LOCAL: f64 = 1e-4;
/// Relative tolerance of the solutes H2O2, TNF-a, IL-1b, IL-10 and CCL2 (1). After each
/// transport half-step they relax back to their local balance within about an hour (the
/// operator-split transient); resolving it to [`RTOL_LOCAL`] took two thirds of the integrator
/// steps. The effect on the read-outs is measured in docs/cord.md ("Coupling to transport"):
/// far below the splitting error of the 3 h step.
pub const RTOL_SOLUTE: f64 = 1e-2;

/// Integrator settings for the cord biology: TR-BDF2, sign check on, `atol = 1e-6` x each
/// entry's typical magnitude, `rtol` [`RTOL_LOCAL`] for the local entries and [`RTOL_SOLUTE`]
/// for the solutes (the single-voxel tests check the result against a tight-tolerance
/// reference).
pub fn default_options() -> Options {
    Options {
        rtol: RTOL_LOCAL,
        rtol_scale: crate::biology::integrator::local_solute_rtol_scale(
            N_STATE,
            state::N_LOCAL,
            RTOL_SOLUTE / RTOL_LOCAL,
        ),
        atol: SPECIES.iter().map(|s| 1e-6 * s.2).collect(),
        nonnegative: true,
        ..Options::default()
    }
}

/// Advances one voxel's state by `dt` (s) under `inputs`; checks the inputs and the result.
pub fn advance(
    params: &SciParams,
    state: &mut SciState,
    inputs: &Inputs,
    dt: f64,
    opts: &Options,
    ws: &mut Workspace,
) -> Result<Stats, crate::Error> {
    inputs.validate()?;
    let sys = SciSystem {
        params,
        inputs: *inputs,
    };
    let stats = integrate(&sys, 0.0, dt, &mut state.0, opts, ws)
        .map_err(|e| crate::Error::Convergence(format!("cord biology: {e}")))?;
    state
        .check(1e-6)
        .map_err(|e| crate::Error::Numerical(format!("cord biology: {e}")))?;
    Ok(stats)
}
