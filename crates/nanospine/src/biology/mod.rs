//! Disc degeneration biology: per-voxel kinetics of disc cells (viable, senescent, dead), matrix
//! (proteoglycan, collagen II, collagen I), intracellular signals (NF-kB, p53-p21, HIF-1a,
//! miR-199a), proteases (MMP, ADAMTS), macrophages (M0, M1, M2), nerve ingrowth and
//! calcification, and the diffusing solutes they read and write (H2O2, IL-1b, TNF-a, IL-10,
//! IL-13, NGF).
//!
//! * [`state`]: the state vector (which entries are local, which are solutes) and the inputs.
//! * [`params`]: constants from the registry (`biology.*`), converted to internal units.
//! * [`rates`]: the right-hand side; equations and references are in `docs/biology.md`.
//! * [`integrator`]: the stiff per-voxel integrator (TR-BDF2 with error control).
//! * [`batch`]: the batched operator-split reaction stage over a grid, shared with the cord.
//! * [`process`]: coupling to transport — a [`crate::reactions::Process`] for the solutes and the
//!   batched operator-split stage [`process::react_biology`].
//! * [`readouts`]: disc-level animal-study read-outs (viability, matrix, cytokines, M1/M2, nerve
//!   ingrowth depth, calcification, a histology-score proxy and a von Frey pain proxy).
//!
//! Semi-quantitative: most rate constants are flagged assumptions (see `nanospine params biology`).
//! Time unit s; units of every entry in [`state::SPECIES`].

pub mod batch;
pub mod integrator;
pub mod params;
pub mod process;
pub mod rates;
pub mod readouts;
pub mod state;

#[cfg(test)]
mod diffsol_tests;
#[cfg(test)]
mod hif_tests;
#[cfg(test)]
mod integrator_tests;
#[cfg(test)]
mod msc_tests;
#[cfg(test)]
mod readouts_tests;
#[cfg(test)]
mod tests;

pub use params::BiologyParams;
pub use process::{react_biology, react_biology_held, BatchStats, BiologySolutes, SoluteMap};
pub use state::{BiologyState, Inputs, N_STATE};

use integrator::{integrate, OdeSystem, Options, Stats, Workspace};
use state::SPECIES;

/// The biology of one voxel as an [`OdeSystem`]: constants, inputs held over the step, and
/// optionally clamped entries (held at their current value, as the clamped inputs of the SQUAD
/// network models, biology.md §1.1).
#[derive(Debug, Clone)]
pub struct BiologySystem<'a> {
    /// Constants.
    pub params: &'a BiologyParams,
    /// Inputs of the voxel.
    pub inputs: Inputs,
    /// Entries whose derivative is forced to zero.
    pub held: [bool; N_STATE],
}

impl<'a> BiologySystem<'a> {
    /// A system with no clamped entry.
    pub fn new(params: &'a BiologyParams, inputs: Inputs) -> Self {
        BiologySystem {
            params,
            inputs,
            held: [false; N_STATE],
        }
    }

    /// The same system with entry `i` clamped.
    pub fn hold(mut self, i: usize) -> Self {
        if i < N_STATE {
            self.held[i] = true;
        }
        self
    }
}

impl OdeSystem for BiologySystem<'_> {
    fn dim(&self) -> usize {
        N_STATE
    }

    fn rhs(&self, _t: f64, y: &[f64], dy: &mut [f64]) {
        let mut ya = [0.0; N_STATE];
        ya.copy_from_slice(&y[..N_STATE]);
        let mut da = [0.0; N_STATE];
        rates::rhs(self.params, &self.inputs, &ya, &mut da);
        for i in 0..N_STATE {
            dy[i] = if self.held[i] { 0.0 } else { da[i] };
        }
    }

    fn typical(&self, i: usize) -> f64 {
        SPECIES[i].typical
    }
}

/// Default integrator settings for the biology: TR-BDF2, `rtol = 1e-6`, `atol = 1e-9` times each
/// entry's typical magnitude, sign check on.
pub fn default_options() -> Options {
    Options {
        rtol: 1e-6,
        atol: SPECIES.iter().map(|s| 1e-9 * s.typical).collect(),
        nonnegative: true,
        ..Options::default()
    }
}

/// Advances one voxel's state by `dt` (s) under `inputs`; checks inputs and the result.
pub fn advance(
    params: &BiologyParams,
    state: &mut BiologyState,
    inputs: &Inputs,
    dt: f64,
    opts: &Options,
    ws: &mut Workspace,
) -> Result<Stats, crate::Error> {
    inputs.validate()?;
    let sys = BiologySystem::new(params, *inputs);
    advance_system(&sys, state, dt, opts, ws)
}

/// Advances `state` by `dt` (s) with a prepared system (e.g. with clamped entries).
pub fn advance_system(
    sys: &BiologySystem,
    state: &mut BiologyState,
    dt: f64,
    opts: &Options,
    ws: &mut Workspace,
) -> Result<Stats, crate::Error> {
    let stats = integrate(sys, 0.0, dt, &mut state.0, opts, ws)
        .map_err(|e| crate::Error::Convergence(format!("biology: {e}")))?;
    state
        .check(1e-6)
        .map_err(|e| crate::Error::Numerical(format!("biology: {e}")))?;
    Ok(stats)
}
