//! Implicit (backward-Euler) integration of the local reaction system of every voxel, used by the
//! operator-split transient solver: solves `u - u* - dt R(u) = 0` per voxel with Newton's method.

use super::{Process, VoxelCtx};
use crate::grid::{Grid, VOID};
use rayon::prelude::*;

/// Solves a small dense system `a x = b` (row-major `n x n`) by Gaussian elimination with partial
/// pivoting; returns false if singular.
pub fn solve_dense(a: &mut [f64], b: &mut [f64], n: usize) -> bool {
    for col in 0..n {
        let mut piv = col;
        for r in col + 1..n {
            if a[r * n + col].abs() > a[piv * n + col].abs() {
                piv = r;
            }
        }
        if a[piv * n + col] == 0.0 || !a[piv * n + col].is_finite() {
            return false;
        }
        if piv != col {
            for k in 0..n {
                a.swap(col * n + k, piv * n + k);
            }
            b.swap(col, piv);
        }
        for r in col + 1..n {
            let f = a[r * n + col] / a[col * n + col];
            for k in col..n {
                a[r * n + k] -= f * a[col * n + k];
            }
            b[r] -= f * b[col];
        }
    }
    for col in (0..n).rev() {
        let mut s = b[col];
        for k in col + 1..n {
            s -= a[col * n + k] * b[k];
        }
        b[col] = s / a[col * n + col];
    }
    true
}

/// One backward-Euler step of one voxel's reactions by Newton's method; false if it fails.
fn local_step(processes: &[&dyn Process], ctx: &VoxelCtx, u: &mut [f64], dt: f64) -> bool {
    let ns = u.len();
    let u0 = u.to_vec();
    let mut r = vec![0.0; ns];
    let mut jac = vec![0.0; ns * ns];
    for _ in 0..40 {
        r.iter_mut().for_each(|v| *v = 0.0);
        jac.iter_mut().for_each(|v| *v = 0.0);
        for p in processes {
            p.rates(ctx, u, &mut r);
            p.jacobian(ctx, u, &mut jac);
        }
        // G = u - u0 - dt R ; J = I - dt dR/du
        let mut g: Vec<f64> = (0..ns).map(|s| -(u[s] - u0[s] - dt * r[s])).collect();
        for v in jac.iter_mut() {
            *v *= -dt;
        }
        for s in 0..ns {
            jac[s * ns + s] += 1.0;
        }
        if !solve_dense(&mut jac, &mut g, ns) {
            return false;
        }
        let mut small = true;
        for s in 0..ns {
            u[s] += g[s];
            if !u[s].is_finite() {
                return false;
            }
            if g[s].abs() > 1e-12 * u[s].abs().max(u0[s].abs()).max(1e-9) {
                small = false;
            }
        }
        if small {
            return true;
        }
    }
    false
}

/// Advances every non-void voxel's reaction system by `dt` (s), in parallel over z-planes.
/// Returns the first voxel index where Newton failed, if any.
pub fn react_implicit(
    grid: &Grid,
    processes: &[&dyn Process],
    ctx: &[VoxelCtx],
    fields: &mut [Vec<f64>],
    dt: f64,
) -> Result<(), usize> {
    let ns = fields.len();
    if ns == 0 || processes.is_empty() {
        return Ok(());
    }
    let n = grid.len();
    // gather to voxel-major for parallel independent work, then scatter back
    let mut packed = vec![0.0; n * ns];
    for s in 0..ns {
        for c in 0..n {
            packed[c * ns + s] = fields[s][c];
        }
    }
    let failed: Option<usize> = packed
        .par_chunks_mut(ns)
        .enumerate()
        .filter_map(|(c, u)| {
            if grid.labels[c] == VOID {
                return None;
            }
            // backward Euler over dt; if Newton fails, retry with 4 and then 16 sub-steps
            let start = u.to_vec();
            for pieces in [1usize, 4, 16] {
                u.copy_from_slice(&start);
                let h = dt / pieces as f64;
                if (0..pieces).all(|_| local_step(processes, &ctx[c], u, h)) {
                    return None;
                }
            }
            Some(c)
        })
        .min();
    for s in 0..ns {
        for c in 0..n {
            fields[s][c] = packed[c * ns + s];
        }
    }
    match failed {
        Some(c) => Err(c),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{GridKind, NP};
    use crate::reactions::FirstOrder;

    #[test]
    fn dense_solver() {
        let mut a = [2.0, 1.0, 1.0, 3.0];
        let mut b = [3.0, 5.0];
        assert!(solve_dense(&mut a, &mut b, 2));
        assert!((b[0] - 0.8).abs() < 1e-14 && (b[1] - 1.4).abs() < 1e-14);
    }

    #[test]
    fn first_order_backward_euler_matches_formula() {
        let g = Grid::new(GridKind::Cartesian3d, [2, 1, 1], [1.0; 3], [0.0; 3], NP);
        let ctx = vec![
            VoxelCtx {
                label: NP,
                cell_density: 0.0,
                water_fraction: 1.0,
                perfusion: 1.0
            };
            2
        ];
        let p = FirstOrder { solute: 0, k: 0.5 };
        let procs: [&dyn Process; 1] = [&p];
        let mut f = vec![vec![1.0, 2.0]];
        react_implicit(&g, &procs, &ctx, &mut f, 2.0).unwrap();
        assert!((f[0][0] - 0.5).abs() < 1e-12 && (f[0][1] - 1.0).abs() < 1e-12);
    }
}
