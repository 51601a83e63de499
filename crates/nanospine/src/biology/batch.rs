//! The batched, operator-split reaction stage shared by every per-voxel biology (disc and cord):
//! gather the biology solutes of each non-void voxel from the transport fields into its state,
//! advance every voxel independently (in parallel over voxels, one integrator workspace per
//! thread), and scatter the solutes back. All-or-nothing: on failure the first failing voxel
//! (lowest index) is named and neither the fields nor the states change.

use rayon::prelude::*;

use super::integrator::{Stats, Workspace};
use crate::grid::{Grid, VOID};
use crate::Error;

/// Work done by one batched stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchStats {
    /// Voxels advanced.
    pub voxels: usize,
    /// Summed integrator counters.
    pub total: Stats,
    /// Most accepted steps any voxel needed.
    pub max_steps: usize,
}

/// Per-voxel integrator hints carried from one batched stage to the next: the step size the
/// integrator proposed at the end of the previous stage (s; 0 = none), used as the first trial
/// step of the next one, and the Jacobian it ended with, preloaded as a lagged Jacobian
/// ([`Workspace::preload_jacobian`]). Written from parallel workers (each voxel by one worker),
/// hence atomic and locked.
#[derive(Debug, Default)]
pub struct StepHints {
    steps: Vec<std::sync::atomic::AtomicU64>,
    jacobians: Vec<std::sync::Mutex<Vec<f64>>>,
}

impl StepHints {
    /// No hints for `n` voxels.
    pub fn new(n: usize) -> StepHints {
        StepHints {
            steps: (0..n)
                .map(|_| std::sync::atomic::AtomicU64::new(0))
                .collect(),
            jacobians: (0..n).map(|_| std::sync::Mutex::new(Vec::new())).collect(),
        }
    }

    /// The hint of voxel `c` (s), if one was stored.
    pub fn get(&self, c: usize) -> Option<f64> {
        let h = f64::from_bits(
            self.steps
                .get(c)?
                .load(std::sync::atomic::Ordering::Relaxed),
        );
        (h > 0.0 && h.is_finite()).then_some(h)
    }

    /// Stores the hint `h` (s) of voxel `c` (ignored beyond the range).
    pub fn set(&self, c: usize, h: f64) {
        if let Some(a) = self.steps.get(c) {
            a.store(h.to_bits(), std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Preloads voxel `c`'s stored Jacobian (if any) into `ws` for its next integration.
    pub fn load_jacobian(&self, c: usize, ws: &mut Workspace) {
        if let Some(Ok(j)) = self.jacobians.get(c).map(|m| m.lock()) {
            if !j.is_empty() {
                ws.preload_jacobian(&j);
            }
        }
    }

    /// Stores the Jacobian `ws` ended with as voxel `c`'s (ignored beyond the range).
    pub fn store_jacobian(&self, c: usize, ws: &Workspace) {
        if let Some(Ok(mut j)) = self.jacobians.get(c).map(|m| m.lock()) {
            j.clear();
            j.extend_from_slice(ws.jacobian());
        }
    }
}

/// A per-voxel state vector whose entries the batch stage can read and write.
pub trait VoxelState: Copy + Send + Sync {
    /// The entries (units as the model defines them).
    fn values(&self) -> &[f64];
    /// The entries, writable.
    fn values_mut(&mut self) -> &mut [f64];
}

/// Checks a solute map: every `(state index, field index)` pair's field index is below
/// `n_solutes` and no two pairs share a field. `name(state index)` names the solute and `what`
/// the model in the error.
pub fn validate_pairs(
    pairs: &[(usize, usize)],
    n_solutes: usize,
    what: &str,
    name: impl Fn(usize) -> &'static str,
) -> Result<(), Error> {
    for (k, &(si, ti)) in pairs.iter().enumerate() {
        let name = name(si);
        if ti >= n_solutes {
            return Err(Error::Config(format!(
                "{what} solute {name} mapped to index {ti}, but there are {n_solutes} solutes"
            )));
        }
        if pairs[..k].iter().any(|&(_, tj)| tj == ti) {
            return Err(Error::Config(format!(
                "{what} solute {name} shares transport index {ti} with another {what} solute"
            )));
        }
    }
    Ok(())
}

/// Advances every non-void voxel of `grid` with `step(voxel, state, workspace)`.
/// `pairs` lists `(state index, field index)` of the solutes: each voxel's state takes its solute
/// entries from `fields` before the step and gives them back after it. Lengths must match the grid
/// (checked by the caller's model-specific wrapper, which also validates inputs); `label` names the
/// model in error messages and `dt` (s) is only reported.
pub fn react_voxels<T, F>(
    grid: &Grid,
    pairs: &[(usize, usize)],
    fields: &mut [Vec<f64>],
    states: &mut [T],
    label: &str,
    dt: f64,
    step: F,
) -> Result<BatchStats, Error>
where
    T: VoxelState,
    F: Fn(usize, &mut T, &mut Workspace) -> Result<Stats, Error> + Sync,
{
    let n = grid.len();
    if states.len() != n || fields.iter().any(|f| f.len() != n) {
        return Err(Error::Config(format!(
            "{label}: grid has {n} voxels but states {}, field lengths {:?}",
            states.len(),
            fields.iter().map(Vec::len).collect::<Vec<_>>()
        )));
    }
    if let Some(&(si, ti)) = pairs.iter().find(|&&(si, ti)| {
        ti >= fields.len() || states.first().is_some_and(|s| si >= s.values().len())
    }) {
        return Err(Error::Config(format!(
            "{label}: solute pair (state {si}, field {ti}) is out of range ({} fields)",
            fields.len()
        )));
    }
    let mut work: Vec<T> = states.to_vec();
    for (c, st) in work.iter_mut().enumerate() {
        let v = st.values_mut();
        for &(si, ti) in pairs {
            v[si] = fields[ti][c];
        }
    }
    let results: Vec<Result<Stats, (usize, Error)>> = work
        .par_iter_mut()
        .enumerate()
        .map_init(Workspace::default, |ws, (c, st)| {
            if grid.labels[c] == VOID {
                return Ok(Stats::default());
            }
            step(c, st, ws).map_err(|e| (c, e))
        })
        .collect();
    let mut out = BatchStats::default();
    for r in results {
        match r {
            Ok(s) => {
                out.max_steps = out.max_steps.max(s.steps);
                out.total.add(&s);
            }
            Err((c, e)) => {
                let [i, j, k] = grid.ijk(c);
                return Err(Error::Convergence(format!(
                    "{label} at voxel {c} ({i}, {j}, {k}), step {dt} s: {e}"
                )));
            }
        }
    }
    for (c, st) in work.iter().enumerate() {
        if grid.labels[c] == VOID {
            continue;
        }
        out.voxels += 1;
        let v = st.values();
        for &(si, ti) in pairs {
            fields[ti][c] = v[si];
        }
        states[c] = *st;
    }
    Ok(out)
}
