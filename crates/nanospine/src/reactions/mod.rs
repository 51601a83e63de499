//! Local (per-voxel) kinetics: the [`Process`] trait through which biology enters the transport engine.
//!
//! A process reads the concentrations of all solutes at one voxel and adds reaction rates
//! (concentration unit per second) for any of them. Carriers, cell metabolism and, later, disc
//! biology are processes; the transport solvers never need to change to add one.

pub mod local;
pub mod perfusion;

use crate::grid::Label;

/// What a process may know about a voxel besides its concentrations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoxelCtx {
    /// Tissue label.
    pub label: Label,
    /// Density of viable cells (cells/mm^3).
    pub cell_density: f64,
    /// Tissue water volume fraction (dimensionless).
    pub water_fraction: f64,
    /// Local perfusion relative to normal (dimensionless; 1 = normal blood flow, 0 = no flow).
    /// Only perfused tissues (spinal cord, see [`perfusion`]) read it; the avascular disc ignores it.
    pub perfusion: f64,
}

/// A local reaction term `R(c)` added to `dc/dt`.
pub trait Process: Send + Sync {
    /// Short name for reports.
    fn name(&self) -> &str;

    /// Adds this process's rates (unit/s per solute, indexed like `c`) into `rates`.
    /// `c` holds every solute's concentration at the voxel, in model units.
    fn rates(&self, ctx: &VoxelCtx, c: &[f64], rates: &mut [f64]);

    /// Adds `d rates_i / d c_j` into `jac` (row-major, `n x n`, `n = c.len()`), in 1/s.
    /// The default uses central finite differences; override it with an analytic Jacobian when cheap.
    fn jacobian(&self, ctx: &VoxelCtx, c: &[f64], jac: &mut [f64]) {
        let n = c.len();
        let mut cp = c.to_vec();
        let mut rp = vec![0.0; n];
        let mut rm = vec![0.0; n];
        for j in 0..n {
            let h = 1e-7 * c[j].abs().max(1e-3);
            cp[j] = c[j] + h;
            rp.iter_mut().for_each(|v| *v = 0.0);
            self.rates(ctx, &cp, &mut rp);
            cp[j] = c[j] - h;
            rm.iter_mut().for_each(|v| *v = 0.0);
            self.rates(ctx, &cp, &mut rm);
            cp[j] = c[j];
            for i in 0..n {
                jac[i * n + j] += (rp[i] - rm[i]) / (2.0 * h);
            }
        }
    }
}

/// Zero-order consumption of one solute at a fixed rate in the listed tissues (unit/s).
/// Used by the analytic verification problems.
#[derive(Debug, Clone)]
pub struct ZeroOrder {
    /// Index of the consumed solute.
    pub solute: usize,
    /// Consumption rate (unit/s), positive = sink.
    pub rate: f64,
}

impl Process for ZeroOrder {
    fn name(&self) -> &str {
        "zero-order consumption"
    }
    fn rates(&self, _ctx: &VoxelCtx, _c: &[f64], rates: &mut [f64]) {
        rates[self.solute] -= self.rate;
    }
    fn jacobian(&self, _ctx: &VoxelCtx, _c: &[f64], _jac: &mut [f64]) {}
}

/// First-order decay/consumption `-k c` of one solute (k in 1/s).
#[derive(Debug, Clone)]
pub struct FirstOrder {
    /// Index of the decaying solute.
    pub solute: usize,
    /// Rate constant (1/s).
    pub k: f64,
}

impl Process for FirstOrder {
    fn name(&self) -> &str {
        "first-order decay"
    }
    fn rates(&self, _ctx: &VoxelCtx, c: &[f64], rates: &mut [f64]) {
        rates[self.solute] -= self.k * c[self.solute];
    }
    fn jacobian(&self, _ctx: &VoxelCtx, c: &[f64], jac: &mut [f64]) {
        let n = c.len();
        jac[self.solute * n + self.solute] -= self.k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Quadratic;
    impl Process for Quadratic {
        fn name(&self) -> &str {
            "q"
        }
        fn rates(&self, _ctx: &VoxelCtx, c: &[f64], r: &mut [f64]) {
            r[0] -= c[0] * c[1];
            r[1] += c[0] * c[0];
        }
    }

    #[test]
    fn finite_difference_jacobian_matches_analytic() {
        let ctx = VoxelCtx {
            label: 1,
            cell_density: 0.0,
            water_fraction: 1.0,
            perfusion: 1.0,
        };
        let c = [2.0, 3.0];
        let mut j = [0.0; 4];
        Quadratic.jacobian(&ctx, &c, &mut j);
        let exact = [-3.0, -2.0, 4.0, 0.0];
        for k in 0..4 {
            assert!(
                (j[k] - exact[k]).abs() < 1e-6,
                "{k}: {} vs {}",
                j[k],
                exact[k]
            );
        }
    }
}
