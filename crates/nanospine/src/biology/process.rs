//! Coupling the biology to the transport engine.
//!
//! Two ways, both operator-split friendly:
//! * [`react_biology`]: the "reactions/biology" stage of one step. It gathers the six biology
//!   solutes of every non-void voxel from the transport fields, advances the full per-voxel
//!   system (local + solutes) with the stiff integrator in parallel over voxels, and scatters
//!   the solutes back. The local state lives in a `Vec<BiologyState>` owned by the caller.
//! * [`BiologySolutes`]: a [`Process`] giving the solute rates of one voxel with its local state
//!   frozen, for solvers that take processes (e.g. [`crate::reactions::local::react_implicit`] on
//!   a uniform region, or a steady-state solve of the solutes).
//!
//! Solute units: H2O2 uM (as the delivery engine's `h2o2` field), cytokines and NGF pg/mL.

pub use super::batch::BatchStats;
use super::batch::{react_voxels, validate_pairs};
use super::integrator::Options;
use super::state::{BiologyState, Inputs, IL10, IL13, IL1B, NGF, N_STATE, ROS, TNF};
use super::{advance_system, BiologyParams, BiologySystem};
use crate::grid::{Grid, VOID};
use crate::reactions::{Process, VoxelCtx};
use crate::Error;

/// Where the six biology solutes sit in the transport engine's solute list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoluteMap {
    /// H2O2 (uM).
    pub ros: usize,
    /// IL-1b (pg/mL).
    pub il1b: usize,
    /// TNF-a (pg/mL).
    pub tnf: usize,
    /// IL-10 (pg/mL).
    pub il10: usize,
    /// IL-13 (pg/mL).
    pub il13: usize,
    /// NGF (pg/mL).
    pub ngf: usize,
}

impl SoluteMap {
    /// The six solutes first, in the order ROS, IL-1b, TNF-a, IL-10, IL-13, NGF (indices 0..6).
    pub const FIRST: SoluteMap = SoluteMap {
        ros: 0,
        il1b: 1,
        tnf: 2,
        il10: 3,
        il13: 4,
        ngf: 5,
    };

    /// The same solutes placed after `offset` other solutes (e.g. O2, glucose, lactate).
    pub fn after(offset: usize) -> SoluteMap {
        SoluteMap {
            ros: offset,
            il1b: offset + 1,
            tnf: offset + 2,
            il10: offset + 3,
            il13: offset + 4,
            ngf: offset + 5,
        }
    }

    /// `(state index, transport index)` pairs.
    pub fn pairs(&self) -> [(usize, usize); 6] {
        [
            (ROS, self.ros),
            (IL1B, self.il1b),
            (TNF, self.tnf),
            (IL10, self.il10),
            (IL13, self.il13),
            (NGF, self.ngf),
        ]
    }

    /// Checks that the indices are distinct and below `n_solutes`.
    pub fn validate(&self, n_solutes: usize) -> Result<(), Error> {
        validate_pairs(&self.pairs(), n_solutes, "biology", |si| {
            super::state::SPECIES[si].name
        })
    }
}

/// The solute part of one voxel's biology as a [`Process`]: the local state and the inputs are
/// frozen; `rates` adds d(solute)/dt (uM/s or pg/mL/s) at the mapped indices, which must be valid
/// for the solute list (check once with [`SoluteMap::validate`]). `VoxelCtx` is not used: the cell
/// density comes from `inputs.cell_density` and the cell fractions of `local`.
#[derive(Debug, Clone)]
pub struct BiologySolutes<'a> {
    /// Constants.
    pub params: &'a BiologyParams,
    /// Where the solutes are in `c`.
    pub map: SoluteMap,
    /// Frozen local state (its solute entries are ignored).
    pub local: BiologyState,
    /// Inputs of the voxel.
    pub inputs: Inputs,
}

impl BiologySolutes<'_> {
    fn full(&self, c: &[f64]) -> [f64; N_STATE] {
        let mut y = self.local.0;
        for (si, ti) in self.map.pairs() {
            y[si] = c[ti];
        }
        y
    }
}

impl Process for BiologySolutes<'_> {
    fn name(&self) -> &str {
        "disc biology (solutes)"
    }

    fn rates(&self, _ctx: &VoxelCtx, c: &[f64], rates: &mut [f64]) {
        let y = self.full(c);
        let mut dy = [0.0; N_STATE];
        super::rates::rhs(self.params, &self.inputs, &y, &mut dy);
        for (si, ti) in self.map.pairs() {
            rates[ti] += dy[si];
        }
    }
}

/// Advances the biology of every non-void voxel by `dt` (s): solutes are read from and written
/// back to `fields` (structure of arrays, indexed by `map`), local state to `states`. Inputs are
/// per voxel. Voxels run in parallel; on failure the first failing voxel (lowest index) is named
/// and `fields`/`states` are left unchanged.
#[allow(clippy::too_many_arguments)]
pub fn react_biology(
    params: &BiologyParams,
    grid: &Grid,
    map: &SoluteMap,
    fields: &mut [Vec<f64>],
    states: &mut [BiologyState],
    inputs: &[Inputs],
    dt: f64,
    opts: &Options,
) -> Result<BatchStats, Error> {
    react_biology_held(
        params,
        grid,
        map,
        fields,
        states,
        inputs,
        dt,
        opts,
        &[false; N_STATE],
    )
}

/// [`react_biology`] with the entries marked in `held` clamped at their current value over the
/// step (e.g. a fast solute solved separately with its transport).
#[allow(clippy::too_many_arguments)]
pub fn react_biology_held(
    params: &BiologyParams,
    grid: &Grid,
    map: &SoluteMap,
    fields: &mut [Vec<f64>],
    states: &mut [BiologyState],
    inputs: &[Inputs],
    dt: f64,
    opts: &Options,
    held: &[bool; N_STATE],
) -> Result<BatchStats, Error> {
    let n = grid.len();
    map.validate(fields.len())?;
    if inputs.len() != n {
        return Err(Error::Config(format!(
            "react_biology: grid has {n} voxels but {} inputs",
            inputs.len()
        )));
    }
    for (c, inp) in inputs.iter().enumerate() {
        if grid.labels[c] != VOID {
            inp.validate()
                .map_err(|e| Error::Config(format!("voxel {c}: {e}")))?;
        }
    }
    react_voxels(
        grid,
        &map.pairs(),
        fields,
        states,
        "biology",
        dt,
        |c, st, ws| {
            let mut sys = BiologySystem::new(params, inputs[c]);
            sys.held = *held;
            advance_system(&sys, st, dt, opts, ws)
        },
    )
}
