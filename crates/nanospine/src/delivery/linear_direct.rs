//! Direct solves of the volume-scaled backward-Euler matrix of a [`LinearSpecies`]: a sparse
//! Cholesky factorisation (faer, fill-reducing ordering chosen by its symbolic analysis) kept
//! for the last few `(h, loss)` pairs, since a run repeats the same step and the same loss
//! many times. The symbolic analysis depends only on the grid and the face pattern and is kept
//! until [`LinearSpecies::set_transport`] changes the faces.
//!
//! The matrix is symmetric positive definite (module docs of [`super`]); the factorisation is
//! used only on grids of at most [`DIRECT_MAX_CELLS`] tissue cells whose couplings stay among
//! tissue cells. Otherwise, or if a factorisation fails, the caller's conjugate-gradient solve
//! runs alone. The direct solution is followed by up to [`REFINE_STEPS`] steps of iterative
//! refinement and then handed to the conjugate-gradient solve as its start, which checks the
//! residual against the same tolerance as before, so the accuracy contract does not change.

use super::LinearSpecies;
use faer::prelude::*;
use faer::sparse::linalg::solvers::{Llt, SymbolicLlt};
use faer::sparse::{SparseColMat, Triplet};
use faer::Side;
use std::collections::VecDeque;
use std::sync::Mutex;

/// Largest number of tissue cells solved directly (cells). Above it the fill of a 3-D
/// factorisation grows faster than the conjugate-gradient work it saves. Assumption: chosen so
/// that the axisymmetric disc and cord grids of the bundled scenarios (a few thousand cells) are
/// solved directly while large 3-D grids keep conjugate gradients; the crossover was not
/// measured.
pub const DIRECT_MAX_CELLS: usize = 20_000;
/// Factorisations kept per species (a split step uses two step sizes; a few more absorb the
/// shortened steps that land on sample and event times).
const CACHE_SLOTS: usize = 4;
/// Iterative-refinement steps with the factorisation before the conjugate-gradient check.
pub const REFINE_STEPS: usize = 2;

/// One factorisation and what it was built for.
struct Entry {
    /// Step (s).
    h: f64,
    /// First-order loss on the tissue cells (1/s), in tissue-cell order.
    loss: Vec<f64>,
    llt: Llt<usize, f64>,
}

#[derive(Default)]
struct Inner {
    /// Tissue cells in solve order, and each grid cell's position among them.
    active: Vec<usize>,
    pos: Vec<usize>,
    /// None: not yet analysed; Some(None): direct solves are not used for this species.
    symbolic: Option<Option<SymbolicLlt<usize>>>,
    entries: VecDeque<Entry>,
    /// Numeric factorisations made so far.
    factorisations: usize,
}

/// A per-species cache of sparse Cholesky factorisations (see the module docs). Cloning gives an
/// empty cache; the cache is safe to share between threads (a busy cache makes the caller fall
/// back to conjugate gradients instead of waiting).
#[derive(Default)]
pub struct FactorCache {
    inner: Mutex<Inner>,
    /// Direct solves switched off (conjugate gradients alone).
    off: bool,
}

impl Clone for FactorCache {
    fn clone(&self) -> Self {
        FactorCache {
            inner: Mutex::default(),
            off: self.off,
        }
    }
}

impl std::fmt::Debug for FactorCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FactorCache")
    }
}

impl FactorCache {
    /// Forgets every factorisation and the symbolic analysis (the faces changed).
    pub fn clear(&mut self) {
        if let Ok(inner) = self.inner.get_mut() {
            let made = inner.factorisations;
            *inner = Inner::default();
            inner.factorisations = made;
        }
    }
}

impl LinearSpecies {
    /// Switches the cached direct solves on (the default) or off (every solve by conjugate
    /// gradients alone, as before the cache existed; for comparisons and benchmarks).
    pub fn set_direct_solves(&mut self, on: bool) {
        self.factors.off = !on;
        self.factors.clear();
    }

    /// Numeric Cholesky factorisations this operator has made (count): a cache miss costs one.
    pub fn factorisations(&self) -> usize {
        self.factors
            .inner
            .lock()
            .map(|i| i.factorisations)
            .unwrap_or(0)
    }
}

impl LinearSpecies {
    /// Solves the volume-scaled backward-Euler system of step `h` (s) with loss `loss` (1/s per
    /// cell) and right-hand side `b` into `x` (tissue cells only; other cells keep their value)
    /// with a cached Cholesky factorisation and iterative refinement. Leaves `x` unchanged where
    /// the direct solve does not apply or the factorisation fails.
    pub(super) fn solve_direct(&self, x: &mut [f64], b: &[f64], h: f64, loss: &[f64]) {
        if self.factors.off {
            return;
        }
        let Ok(mut guard) = self.factors.inner.try_lock() else {
            return;
        };
        let inner = &mut *guard;
        if inner.symbolic.is_none() {
            let analysed = self.analyse(inner);
            inner.symbolic = Some(analysed);
        }
        let Some(Some(symbolic)) = inner.symbolic.clone() else {
            return;
        };
        let hit = inner.entries.iter().position(|e| {
            e.h == h
                && e.loss
                    .iter()
                    .zip(&inner.active)
                    .all(|(&l, &c)| l.to_bits() == loss[c].to_bits())
        });
        let idx = match hit {
            Some(i) => i,
            None => {
                let Some(llt) = self.factorise(inner, symbolic, h, loss) else {
                    return;
                };
                inner.factorisations += 1;
                if inner.entries.len() >= CACHE_SLOTS {
                    inner.entries.pop_front();
                }
                inner.entries.push_back(Entry {
                    h,
                    loss: inner.active.iter().map(|&c| loss[c]).collect(),
                    llt,
                });
                inner.entries.len() - 1
            }
        };
        let llt = &inner.entries[idx].llt;
        let active = &inner.active;
        let m = active.len();
        let mut sol = Col::<f64>::from_fn(m, |i| b[active[i]]);
        llt.solve_in_place(sol.as_mat_mut());
        if !sol.iter().all(|v| v.is_finite()) {
            return;
        }
        for (i, &c) in active.iter().enumerate() {
            x[c] = sol[i];
        }
        let mut ax = vec![0.0; self.len()];
        for _ in 0..REFINE_STEPS {
            self.apply(h, loss, x, &mut ax);
            let mut r = Col::<f64>::from_fn(m, |i| b[active[i]] - ax[active[i]]);
            llt.solve_in_place(r.as_mat_mut());
            if !r.iter().all(|v| v.is_finite()) {
                break;
            }
            for (i, &c) in active.iter().enumerate() {
                x[c] += r[i];
            }
        }
    }

    /// The tissue cells, their positions and the symbolic factorisation; None where direct
    /// solves do not apply (too many cells, a coupling to a non-tissue cell, or a failed
    /// analysis).
    fn analyse(&self, inner: &mut Inner) -> Option<SymbolicLlt<usize>> {
        let n = self.len();
        inner.active = (0..n).filter(|&c| self.volume[c] != 0.0).collect();
        if inner.active.is_empty() || inner.active.len() > DIRECT_MAX_CELLS {
            return None;
        }
        inner.pos = vec![usize::MAX; n];
        for (i, &c) in inner.active.iter().enumerate() {
            inner.pos[c] = i;
        }
        let coupled_outside = inner.active.iter().any(|&c| {
            self.neighbours[self.offsets[c]..self.offsets[c + 1]]
                .iter()
                .any(|&(nb, _)| inner.pos[nb] == usize::MAX)
        });
        if coupled_outside {
            return None;
        }
        // the analysis needs only the pattern: assemble with unit values
        let mat = self.lower_matrix(inner, |_| 1.0)?;
        faer::set_global_parallelism(faer::Par::Seq);
        SymbolicLlt::try_new(mat.symbolic(), Side::Lower).ok()
    }

    /// The numeric factorisation for `(h, loss)`.
    fn factorise(
        &self,
        inner: &Inner,
        symbolic: SymbolicLlt<usize>,
        h: f64,
        loss: &[f64],
    ) -> Option<Llt<usize, f64>> {
        let mat = self.lower_matrix(inner, |c| {
            let k = self.capacity[c];
            self.volume[c] * (k / h + loss[c] * k + self.boundary_g[c] + self.interior_g[c])
        })?;
        faer::set_global_parallelism(faer::Par::Seq);
        Llt::try_new_with_symbolic(symbolic, mat.rb(), Side::Lower).ok()
    }

    /// The lower triangle (in tissue-cell order) of the volume-scaled matrix with diagonal
    /// `diag(cell)`; off-diagonal entries `-V_P g_f`.
    fn lower_matrix(
        &self,
        inner: &Inner,
        diag: impl Fn(usize) -> f64,
    ) -> Option<SparseColMat<usize, f64>> {
        let m = inner.active.len();
        let mut trip = Vec::with_capacity(m + self.neighbours.len() / 2);
        for (i, &c) in inner.active.iter().enumerate() {
            trip.push(Triplet::new(i, i, diag(c)));
            for &(nb, g) in &self.neighbours[self.offsets[c]..self.offsets[c + 1]] {
                let j = inner.pos[nb];
                if j < i {
                    trip.push(Triplet::new(i, j, -g * self.volume[c]));
                }
            }
        }
        SparseColMat::try_new_from_triplets(m, m, &trip).ok()
    }
}

#[cfg(test)]
#[path = "linear_direct_tests.rs"]
mod tests;
