//! Monolithic implicit solvers for reaction-diffusion: Newton's method on the full discrete system
//! with a sparse LU (faer) for each linear solve.
//!
//! * [`steady_state`] solves `F(u) = L u + R(u) = 0`; its fixed point is the exact discrete steady
//!   state, and the scaled residual it reports is that of the returned fields.
//! * [`backward_euler_step`] solves `(u - u_old)/dt = L u + R(u)`, unconditionally stable and first
//!   order in time. Its steady state is the same discrete steady state.
//!
//! Unknowns are the non-void cells, solutes interleaved per cell (row = cell * S + s) so that the
//! local reaction Jacobian blocks sit on the diagonal.

use crate::grid::{Grid, VOID};
use crate::reactions::{Process, VoxelCtx};
use crate::transport::operator::{face, Face, SoluteTransport};
use faer::prelude::*;
use faer::sparse::linalg::solvers::{Lu, SymbolicLu};
use faer::sparse::{SparseColMat, Triplet};

/// A reaction-diffusion system on a grid.
pub struct System<'a> {
    /// Grid with tissue labels.
    pub grid: &'a Grid,
    /// Transport description of each solute.
    pub solutes: &'a [SoluteTransport],
    /// Local processes (summed).
    pub processes: &'a [&'a dyn Process],
    /// Per-cell context (length `grid.len()`).
    pub ctx: &'a [VoxelCtx],
}

/// Newton settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonOptions {
    /// Convergence threshold on the scaled residual (dimensionless).
    pub tolerance: f64,
    /// Iteration limit.
    pub max_iterations: usize,
}

impl Default for NewtonOptions {
    fn default() -> Self {
        NewtonOptions {
            tolerance: 1e-10,
            max_iterations: 50,
        }
    }
}

/// Outcome of a Newton solve.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct NewtonReport {
    /// Newton iterations used.
    pub iterations: usize,
    /// Final scaled residual: `max |F| / (G_c * C_ref_s)` over cells and solutes, where `G_c` is
    /// the sum of the cell's face rate coefficients (1/s) and `C_ref_s` the largest boundary value
    /// of the solute (dimensionless).
    pub residual: f64,
}

struct Layout {
    active: Vec<usize>,
    pos: Vec<usize>,
    faces: Vec<[Face; 6]>,
    nfaces: usize,
}

fn layout(sys: &System, s: usize) -> Layout {
    let g = sys.grid;
    let active: Vec<usize> = (0..g.len()).filter(|&c| g.labels[c] != VOID).collect();
    let mut pos = vec![usize::MAX; g.len()];
    for (a, &c) in active.iter().enumerate() {
        pos[c] = a;
    }
    let axes = g.active_axes();
    let nfaces = axes.len() * 2;
    let faces = active
        .iter()
        .map(|&c| {
            let mut f = [Face::Boundary { g: 0.0, value: 0.0 }; 6];
            let mut k = 0;
            for &axis in axes {
                for high in [false, true] {
                    f[k] = face(g, &sys.solutes[s], c, axis, high);
                    k += 1;
                }
            }
            f
        })
        .collect();
    Layout {
        active,
        pos,
        faces,
        nfaces,
    }
}

struct Prepared {
    lay: Vec<Layout>,
    scale: Vec<Vec<f64>>,
}

fn prepare(sys: &System) -> Prepared {
    let ns = sys.solutes.len();
    let lay: Vec<Layout> = (0..ns).map(|s| layout(sys, s)).collect();
    let mut scale = Vec::with_capacity(ns);
    for (s, l) in lay.iter().enumerate() {
        let mut cref: f64 = 0.0;
        for fs in &l.faces {
            for f in &fs[..l.nfaces] {
                if let Face::Boundary { g, value } = f {
                    if *g > 0.0 {
                        cref = cref.max(value.abs());
                    }
                }
            }
        }
        if cref == 0.0 {
            cref = 1.0;
        }
        let _ = s;
        let sc = l
            .faces
            .iter()
            .map(|fs| {
                let gsum: f64 = fs[..l.nfaces]
                    .iter()
                    .map(|f| match f {
                        Face::Interior { g, .. } | Face::Boundary { g, .. } => *g,
                    })
                    .sum();
                1.0 / (gsum.max(1e-300) * cref)
            })
            .collect();
        scale.push(sc);
    }
    Prepared { lay, scale }
}

/// Evaluates `F(u) = L u + R(u)` for every solute (unit/s); `out[s][c]`, zero on void cells.
pub fn rhs(sys: &System, u: &[Vec<f64>], out: &mut [Vec<f64>]) {
    let prep = prepare(sys);
    rhs_prepared(sys, &prep, u, out);
}

fn rhs_prepared(sys: &System, prep: &Prepared, u: &[Vec<f64>], out: &mut [Vec<f64>]) {
    let ns = sys.solutes.len();
    let mut c = vec![0.0; ns];
    let mut r = vec![0.0; ns];
    for o in out.iter_mut() {
        o.iter_mut().for_each(|v| *v = 0.0);
    }
    let lay0 = &prep.lay[0];
    for (a, &cell) in lay0.active.iter().enumerate() {
        for s in 0..ns {
            c[s] = u[s][cell];
            r[s] = 0.0;
        }
        for p in sys.processes {
            p.rates(&sys.ctx[cell], &c, &mut r);
        }
        for s in 0..ns {
            let l = &prep.lay[s];
            let mut acc = r[s];
            for f in &l.faces[a][..l.nfaces] {
                acc += match *f {
                    Face::Interior { nb, g } => g * (u[s][nb] - u[s][cell]),
                    Face::Boundary { g, value } => g * (value - u[s][cell]),
                };
            }
            out[s][cell] = acc;
        }
    }
}

/// Residual `G(u)`; `dt = None` for steady (G = F), `Some(dt)` for backward Euler (G = F - (u-u_old)/dt).
fn residual(
    sys: &System,
    prep: &Prepared,
    u: &[Vec<f64>],
    old: Option<(&[Vec<f64>], f64)>,
    out: &mut [Vec<f64>],
) -> f64 {
    rhs_prepared(sys, prep, u, out);
    if let Some((uo, dt)) = old {
        for s in 0..u.len() {
            for &cell in &prep.lay[0].active {
                out[s][cell] -= (u[s][cell] - uo[s][cell]) / dt;
            }
        }
    }
    let mut m: f64 = 0.0;
    for s in 0..u.len() {
        for (a, &cell) in prep.lay[0].active.iter().enumerate() {
            let v = out[s][cell].abs() * prep.scale[s][a];
            if v.is_nan() {
                return f64::NAN;
            }
            m = m.max(v);
        }
    }
    m
}

fn jacobian(
    sys: &System,
    prep: &Prepared,
    u: &[Vec<f64>],
    dt: Option<f64>,
) -> Result<SparseColMat<usize, f64>, String> {
    let ns = sys.solutes.len();
    let lay0 = &prep.lay[0];
    let n = lay0.active.len() * ns;
    let mut trip: Vec<Triplet<usize, usize, f64>> = Vec::with_capacity(n * (ns + 6));
    let mut c = vec![0.0; ns];
    let mut jac = vec![0.0; ns * ns];
    for (a, &cell) in lay0.active.iter().enumerate() {
        for s in 0..ns {
            c[s] = u[s][cell];
        }
        jac.iter_mut().for_each(|v| *v = 0.0);
        for p in sys.processes {
            p.jacobian(&sys.ctx[cell], &c, &mut jac);
        }
        for s in 0..ns {
            let l = &prep.lay[s];
            let row = a * ns + s;
            let mut diag = 0.0;
            for f in &l.faces[a][..l.nfaces] {
                match *f {
                    Face::Interior { nb, g } => {
                        diag -= g;
                        trip.push(Triplet::new(row, l.pos[nb] * ns + s, g));
                    }
                    Face::Boundary { g, .. } => diag -= g,
                }
            }
            if let Some(dt) = dt {
                diag -= 1.0 / dt;
            }
            for s2 in 0..ns {
                let mut v = jac[s * ns + s2];
                if s2 == s {
                    v += diag;
                }
                // the whole local block is stored, zeros included, so that the sparsity
                // pattern (and its symbolic factorisation) never changes
                trip.push(Triplet::new(row, a * ns + s2, v));
            }
        }
    }
    SparseColMat::try_new_from_triplets(n, n, &trip)
        .map_err(|e| format!("sparse matrix assembly failed: {e:?}"))
}

/// Newton solver that keeps the symbolic sparse LU factorisation between solves on the same
/// grid (the sparsity pattern depends only on the grid and the number of solutes).
#[derive(Default)]
pub struct ImplicitSolver {
    symbolic: Option<(usize, SymbolicLu<usize>)>,
}

impl ImplicitSolver {
    /// A solver with an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Solves for the discrete steady state, starting from `u` (overwritten with the solution).
    pub fn steady_state(
        &mut self,
        sys: &System,
        u: &mut [Vec<f64>],
        opts: NewtonOptions,
    ) -> Result<NewtonReport, String> {
        newton(sys, u, None, opts, &mut self.symbolic)
    }

    /// One backward-Euler step of length `dt` (s) from `u` (overwritten with the new state).
    pub fn backward_euler_step(
        &mut self,
        sys: &System,
        u: &mut [Vec<f64>],
        dt: f64,
        opts: NewtonOptions,
    ) -> Result<NewtonReport, String> {
        let old = u.to_vec();
        newton(sys, u, Some((&old, dt)), opts, &mut self.symbolic)
    }
}

fn factorize(
    jm: &SparseColMat<usize, f64>,
    cache: &mut Option<(usize, SymbolicLu<usize>)>,
) -> Result<Lu<usize, f64>, String> {
    let n = jm.nrows();
    let reuse = matches!(cache, Some((m, _)) if *m == n);
    if !reuse {
        let sym =
            SymbolicLu::try_new(jm.symbolic()).map_err(|e| format!("symbolic LU failed: {e:?}"))?;
        *cache = Some((n, sym));
    }
    let sym = match cache {
        Some((_, s)) => s.clone(),
        None => return Err("symbolic LU missing".into()),
    };
    Lu::try_new_with_symbolic(sym, jm.rb()).map_err(|e| format!("sparse LU failed: {e:?}"))
}

fn newton(
    sys: &System,
    u: &mut [Vec<f64>],
    old: Option<(&[Vec<f64>], f64)>,
    opts: NewtonOptions,
    cache: &mut Option<(usize, SymbolicLu<usize>)>,
) -> Result<NewtonReport, String> {
    faer::set_global_parallelism(faer::Par::Seq);
    let ns = sys.solutes.len();
    if ns == 0 {
        return Ok(NewtonReport {
            iterations: 0,
            residual: 0.0,
        });
    }
    let prep = prepare(sys);
    let active = prep.lay[0].active.clone();
    let mut f: Vec<Vec<f64>> = (0..ns).map(|_| vec![0.0; sys.grid.len()]).collect();
    let mut trial: Vec<Vec<f64>> = u.to_vec();
    let mut res = residual(sys, &prep, u, old, &mut f);
    let mut it = 0;
    while res > opts.tolerance {
        if it >= opts.max_iterations {
            return Err(format!(
                "Newton stopped after {it} iterations with scaled residual {res:.3e} > tolerance {:.1e}",
                opts.tolerance
            ));
        }
        if !res.is_finite() {
            return Err("residual is not finite".into());
        }
        it += 1;
        let jm = jacobian(sys, &prep, u, old.map(|o| o.1))?;
        let lu = factorize(&jm, cache)?;
        let n = active.len() * ns;
        let rhs_col = Col::<f64>::from_fn(n, |r| -f[r % ns][active[r / ns]]);
        let delta = lu.solve(&rhs_col);
        // backtracking line search on the scaled residual
        let mut lambda = 1.0;
        loop {
            for s in 0..ns {
                for (a, &cell) in active.iter().enumerate() {
                    trial[s][cell] = u[s][cell] + lambda * delta[a * ns + s];
                }
            }
            let r_new = residual(sys, &prep, &trial, old, &mut f);
            if r_new.is_finite() && (r_new < res * (1.0 - 1e-4 * lambda) || lambda < 1e-3) {
                res = r_new;
                break;
            }
            lambda *= 0.5;
        }
        for s in 0..ns {
            u[s].copy_from_slice(&trial[s]);
        }
    }
    Ok(NewtonReport {
        iterations: it,
        residual: res,
    })
}

/// Solves for the discrete steady state, starting from `u` (overwritten with the solution).
pub fn steady_state(
    sys: &System,
    u: &mut [Vec<f64>],
    opts: NewtonOptions,
) -> Result<NewtonReport, String> {
    ImplicitSolver::new().steady_state(sys, u, opts)
}

/// One backward-Euler step of length `dt` (s) from `u` (overwritten with the new state).
pub fn backward_euler_step(
    sys: &System,
    u: &mut [Vec<f64>],
    dt: f64,
    opts: NewtonOptions,
) -> Result<NewtonReport, String> {
    ImplicitSolver::new().backward_euler_step(sys, u, dt, opts)
}

/// Total reaction rate of solute `s` integrated over the tissue (unit x mm^3 / s): positive = production.
pub fn total_reaction(sys: &System, u: &[Vec<f64>], s: usize) -> f64 {
    let ns = sys.solutes.len();
    let mut c = vec![0.0; ns];
    let mut r = vec![0.0; ns];
    let mut total = 0.0;
    for cell in 0..sys.grid.len() {
        if sys.grid.labels[cell] == VOID {
            continue;
        }
        for k in 0..ns {
            c[k] = u[k][cell];
            r[k] = 0.0;
        }
        for p in sys.processes {
            p.rates(&sys.ctx[cell], &c, &mut r);
        }
        total += r[s] * sys.grid.volume(cell);
    }
    total
}
