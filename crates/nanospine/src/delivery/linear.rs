//! Linear diffusion-reaction of one delivered species, integrated by backward Euler
//! ([`LinearSpecies::step`], first order) or TR-BDF2 ([`LinearSpecies::step_trbdf2`], second
//! order, L-stable). Each linear solve uses a cached sparse Cholesky factorisation where the grid
//! is small enough (`linear_direct.rs`, [`FactorCache`]) and ends with a matrix-free
//! Jacobi-preconditioned conjugate-gradient solve that checks (and if needed improves) the
//! residual.
//!
//! The variable is the *water-phase* concentration `w`; the tissue concentration is
//! `c = K w` with the partition coefficient `K` per tissue label (capacity). Per cell `P`
//! (finite volumes, the shared operator of [`crate::transport::operator`] with the face
//! diffusivity taken as `D K`):
//!
//! `K_P dw_P/dt = sum_f g_f (w_f - w_P) - k_P K_P w_P + s_P`
//!
//! where `g_f` (1/s) are the face coefficients, `k_P` a first-order loss (1/s, "consumed") and
//! `s_P` a source (concentration/s). Boundary faces lead to an external reservoir at `w = 0`
//! (the vascular sink); what leaves through them is "cleared". Multiplying each row by the cell
//! volume makes the backward-Euler matrix symmetric positive definite, so CG applies; the
//! amounts removed in a step are computed from the new state exactly as the discrete equations
//! define them, so the amount balance holds to the linear-solver tolerance.
//!
//! TR-BDF2 (Bank et al. 1985, IEEE Trans. Electron Devices 32:1992; Hosea & Shampine 1996,
//! Appl. Numer. Math. 20:21) with `gamma = 2 - sqrt(2)`: a trapezoidal stage to `t + gamma h`,
//! then a BDF2 stage through `t`, `t + gamma h` to `t + h`. With this `gamma` both stages solve
//! the backward-Euler matrix of step `gamma h / 2`, so the same CG solve serves. Writing
//! `M dw/dt = F(w)` (`M` = volume x capacity, `F` the amount rate per cell), the two stages are
//!
//! `M (w_g - w_n) = (gamma h / 2) (F(w_n) + F(w_g))`,
//! `M w_{n+1} = (M w_g - (1 - gamma)^2 M w_n) / (gamma (2 - gamma)) + (gamma h / 2) F(w_{n+1})`
//!
//! and summing over cells (interior fluxes cancel; `1 - (1 - gamma)^2 = gamma (2 - gamma)`) the
//! amount changes by `b (R(w_n) + R(w_g)) + (gamma h / 2) R(w_{n+1})` with `b = h / (2 (2 -
//! gamma))` and `R` the net rate (produced - consumed - cleared): the flows of the step are
//! these stage-weighted rates, exact to the solver tolerance like those of backward Euler.

use crate::grid::{Grid, MAX_LABELS, VOID};
use crate::transport::operator::{face, Face, SoluteTransport};
use crate::Error;

/// Relative residual at which the CG solve stops (dimensionless).
const CG_RTOL: f64 = 1e-14;
/// CG iteration limit.
const CG_MAX_ITER: usize = 20_000;
/// TR-BDF2 stage fraction `gamma = 2 - sqrt(2)` (dimensionless): the value for which both
/// stages share one matrix and the method is L-stable (Hosea & Shampine 1996).
const TRBDF2_GAMMA: f64 = 2.0 - std::f64::consts::SQRT_2;

/// Precomputed stencil of one species on one grid.
#[derive(Debug, Clone)]
pub struct LinearSpecies {
    /// Species name (for messages).
    pub name: String,
    /// Partition coefficient per cell (dimensionless); 0 on void cells.
    pub capacity: Vec<f64>,
    /// Cell volumes (mm^3); 0 on void cells.
    pub volume: Vec<f64>,
    /// Interior couplings `(cell, neighbour, g)` with `g` in 1/s as seen from `cell`
    /// (each face appears once from each side).
    offsets: Vec<usize>,
    neighbours: Vec<(usize, f64)>,
    /// Sum of boundary-face coefficients per cell (1/s).
    boundary_g: Vec<f64>,
    /// Sum of boundary-face coefficient x reservoir value per cell (concentration/s).
    boundary_gv: Vec<f64>,
    /// Sum of interior-face coefficients per cell (1/s).
    interior_g: Vec<f64>,
    /// Cached sparse Cholesky factorisations of the step matrix (`linear_direct.rs`).
    factors: FactorCache,
}

/// Amounts moved during one step (concentration unit x mm^3).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StepFlows {
    /// Net amount that left through boundary faces (to the vascular sink).
    pub cleared: f64,
    /// Removed by the first-order loss term.
    pub consumed: f64,
    /// Added by the source term.
    pub produced: f64,
}

impl LinearSpecies {
    /// Builds the stencil. `transport.d_by_label` must hold `D K` (mm^2/s) per label and
    /// `transport.bc` the boundary conductances and reservoir values (water-phase);
    /// `partition[label]` is `K` (dimensionless).
    pub fn new(grid: &Grid, transport: &SoluteTransport, partition: &[f64; MAX_LABELS]) -> Self {
        let n = grid.len();
        let mut capacity = vec![0.0; n];
        let mut volume = vec![0.0; n];
        for c in 0..n {
            let l = grid.labels[c];
            if l != VOID {
                capacity[c] = partition[l as usize];
                volume[c] = grid.volume(c);
            }
        }
        let mut s = Self {
            name: transport.name.clone(),
            capacity,
            volume,
            offsets: Vec::with_capacity(n + 1),
            neighbours: Vec::with_capacity(6 * n),
            interior_g: vec![0.0; n],
            boundary_g: vec![0.0; n],
            boundary_gv: vec![0.0; n],
            factors: FactorCache::default(),
        };
        s.set_transport(grid, transport);
        s
    }

    /// Recomputes the face coefficients (interior and boundary) from `transport` on the same
    /// grid, keeping the capacities and volumes: what a change of diffusivity needs (water
    /// feedback), at the cost of one pass over the faces and no new allocation.
    /// `transport.d_by_label` holds `D K` (mm^2/s) per label as in [`LinearSpecies::new`].
    pub fn set_transport(&mut self, grid: &Grid, transport: &SoluteTransport) {
        let n = grid.len();
        self.factors.clear();
        self.offsets.clear();
        self.neighbours.clear();
        self.boundary_g.iter_mut().for_each(|x| *x = 0.0);
        self.boundary_gv.iter_mut().for_each(|x| *x = 0.0);
        self.offsets.push(0);
        for c in 0..n {
            if grid.labels[c] != VOID {
                for &axis in grid.active_axes() {
                    for high in [false, true] {
                        match face(grid, transport, c, axis, high) {
                            Face::Interior { nb, g } => {
                                if g > 0.0 {
                                    self.neighbours.push((nb, g));
                                }
                            }
                            Face::Boundary { g, value } => {
                                self.boundary_g[c] += g;
                                self.boundary_gv[c] += g * value;
                            }
                        }
                    }
                }
            }
            self.offsets.push(self.neighbours.len());
        }
        for c in 0..n {
            self.interior_g[c] = self.neighbours[self.offsets[c]..self.offsets[c + 1]]
                .iter()
                .map(|x| x.1)
                .sum();
        }
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.capacity.len()
    }

    /// True for an empty grid.
    pub fn is_empty(&self) -> bool {
        self.capacity.is_empty()
    }

    /// Total amount `sum K w V` (concentration unit x mm^3).
    pub fn amount(&self, w: &[f64]) -> f64 {
        (0..self.len())
            .map(|c| self.capacity[c] * w[c] * self.volume[c])
            .sum()
    }

    /// Applies the volume-scaled backward-Euler matrix to `x`.
    fn apply(&self, h: f64, loss: &[f64], x: &[f64], out: &mut [f64]) {
        for c in 0..self.len() {
            if self.volume[c] == 0.0 {
                out[c] = 0.0;
                continue;
            }
            let k = self.capacity[c];
            let mut acc = (k / h + loss[c] * k + self.boundary_g[c]) * x[c];
            for &(nb, g) in &self.neighbours[self.offsets[c]..self.offsets[c + 1]] {
                acc += g * (x[c] - x[nb]);
            }
            out[c] = acc * self.volume[c];
        }
    }

    /// One backward-Euler step of length `h` (s) on `w` (overwritten), with first-order loss
    /// `loss` (1/s per cell) and source `source` (concentration/s per cell, may be empty).
    /// Returns the amounts cleared, consumed and produced during the step.
    pub fn step(
        &self,
        w: &mut [f64],
        h: f64,
        loss: &[f64],
        source: &[f64],
    ) -> Result<StepFlows, Error> {
        let n = self.len();
        let mut b = vec![0.0; n];
        for (c, bc) in b.iter_mut().enumerate() {
            let v = self.volume[c];
            if v != 0.0 {
                let s = source.get(c).copied().unwrap_or(0.0);
                *bc = v * (self.capacity[c] * w[c] / h + s + self.boundary_gv[c]);
            }
        }
        self.solve(w, &b, &self.diagonal(h, loss), h, loss)?;
        let r = self.rates(w, loss, source);
        Ok(StepFlows {
            cleared: h * r.cleared,
            consumed: h * r.consumed,
            produced: h * r.produced,
        })
    }

    /// Diagonal of the volume-scaled backward-Euler matrix of step `h` (s) (1 in void cells):
    /// the conjugate-gradient preconditioner.
    fn diagonal(&self, h: f64, loss: &[f64]) -> Vec<f64> {
        (0..self.len())
            .map(|c| {
                let v = self.volume[c];
                if v == 0.0 {
                    return 1.0;
                }
                let k = self.capacity[c];
                v * (k / h + loss[c] * k + self.boundary_g[c] + self.interior_g[c])
            })
            .collect()
    }

    /// One TR-BDF2 step of length `h` (s) on `w` (overwritten): second order in time and
    /// L-stable (the stiffest modes are damped, not reflected as by Crank-Nicolson), with the
    /// first-order loss `loss` (1/s per cell) and the source `source` (concentration/s per cell,
    /// may be empty) constant over the step. Two conjugate-gradient solves of the
    /// backward-Euler matrix of step `(2 - sqrt(2)) h / 2`. Returns the amounts cleared,
    /// consumed and produced during the step (stage-weighted, module docs): the amount changes
    /// by `produced - consumed - cleared` to the solver tolerance. Not positivity-preserving in
    /// general: a mode of decay rate `mu` (1/s) is multiplied by `R(h mu)`, which is negative
    /// for `h mu > 1 + sqrt(2)`, smallest (`-(sqrt(2) - 1)/2 = -0.207`) near `h mu = 8.2` and
    /// tends to 0 like `-4.83/(h mu)` (backward Euler: `1/(1 + h mu)`, always positive).
    pub fn step_trbdf2(
        &self,
        w: &mut [f64],
        h: f64,
        loss: &[f64],
        source: &[f64],
    ) -> Result<StepFlows, Error> {
        let n = self.len();
        let g = TRBDF2_GAMMA;
        // both stages solve the backward-Euler matrix of this step (s)
        let hs = 0.5 * g * h;
        // weights of the BDF2 stage on w_g and w_n
        let c_g = 1.0 / (g * (2.0 - g));
        let c_n = (1.0 - g) * (1.0 - g) * c_g;
        let diag = self.diagonal(hs, loss);
        let src = |c: usize| source.get(c).copied().unwrap_or(0.0);
        let w_n = w.to_vec();
        let rates_n = self.rates(&w_n, loss, source);
        // trapezoidal stage: (M/hs + L) w_g = M w_n / hs + F(w_n) + V (s + bgv)
        let mut lw = vec![0.0; n];
        self.apply_operator(loss, &w_n, &mut lw);
        let mut b = vec![0.0; n];
        for c in 0..n {
            let v = self.volume[c];
            if v != 0.0 {
                let r = v * (src(c) + self.boundary_gv[c]);
                b[c] = v * self.capacity[c] * w_n[c] / hs + 2.0 * r - lw[c];
            }
        }
        self.solve(w, &b, &diag, hs, loss)?;
        let rates_g = self.rates(w, loss, source);
        // BDF2 stage: (M/hs + L) w_{n+1} = M (c_g w_g - c_n w_n) / hs + V (s + bgv)
        for c in 0..n {
            let v = self.volume[c];
            b[c] = if v != 0.0 {
                v * (self.capacity[c] * (c_g * w[c] - c_n * w_n[c]) / hs
                    + src(c)
                    + self.boundary_gv[c])
            } else {
                0.0
            };
        }
        self.solve(w, &b, &diag, hs, loss)?;
        let rates_1 = self.rates(w, loss, source);
        let (a, a1) = (c_g * hs, hs);
        Ok(StepFlows {
            cleared: a * (rates_n.cleared + rates_g.cleared) + a1 * rates_1.cleared,
            consumed: a * (rates_n.consumed + rates_g.consumed) + a1 * rates_1.consumed,
            produced: a * (rates_n.produced + rates_g.produced) + a1 * rates_1.produced,
        })
    }

    /// Applies the volume-scaled spatial operator (diffusion, loss and boundary conductance,
    /// without the time term) to `x`.
    fn apply_operator(&self, loss: &[f64], x: &[f64], out: &mut [f64]) {
        for c in 0..self.len() {
            if self.volume[c] == 0.0 {
                out[c] = 0.0;
                continue;
            }
            let mut acc = (loss[c] * self.capacity[c] + self.boundary_g[c]) * x[c];
            for &(nb, g) in &self.neighbours[self.offsets[c]..self.offsets[c + 1]] {
                acc += g * (x[c] - x[nb]);
            }
            out[c] = acc * self.volume[c];
        }
    }

    /// The rates (amount/s) at which the state `w` clears, consumes and produces.
    fn rates(&self, w: &[f64], loss: &[f64], source: &[f64]) -> StepFlows {
        let mut f = StepFlows::default();
        for c in 0..self.len() {
            let v = self.volume[c];
            if v == 0.0 {
                continue;
            }
            f.cleared += (self.boundary_g[c] * w[c] - self.boundary_gv[c]) * v;
            f.consumed += loss[c] * self.capacity[c] * w[c] * v;
            f.produced += source.get(c).copied().unwrap_or(0.0) * v;
        }
        f
    }

    /// Solves the backward-Euler system of step `h` with right-hand side `b`, starting from
    /// `x` (overwritten with the solution; zero for a zero right-hand side).
    fn solve(
        &self,
        x: &mut [f64],
        b: &[f64],
        diag: &[f64],
        h: f64,
        loss: &[f64],
    ) -> Result<(), Error> {
        let bnorm = b.iter().map(|x| x * x).sum::<f64>().sqrt();
        if bnorm > 0.0 {
            // the direct solve (where it applies) only gives conjugate gradients a start that
            // already meets their residual test
            self.solve_direct(x, b, h, loss);
            self.cg(x, b, diag, h, loss, bnorm)
        } else {
            x.iter_mut().for_each(|x| *x = 0.0);
            Ok(())
        }
    }

    fn cg(
        &self,
        x: &mut [f64],
        b: &[f64],
        diag: &[f64],
        h: f64,
        loss: &[f64],
        bnorm: f64,
    ) -> Result<(), Error> {
        let n = self.len();
        let mut r = vec![0.0; n];
        self.apply(h, loss, x, &mut r);
        for c in 0..n {
            r[c] = b[c] - r[c];
        }
        let mut z: Vec<f64> = (0..n).map(|c| r[c] / diag[c]).collect();
        let mut p = z.clone();
        let mut ap = vec![0.0; n];
        let mut rz: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
        for _ in 0..CG_MAX_ITER {
            let rnorm = r.iter().map(|x| x * x).sum::<f64>().sqrt();
            if rnorm <= CG_RTOL * bnorm {
                return Ok(());
            }
            self.apply(h, loss, &p, &mut ap);
            let pap: f64 = p.iter().zip(&ap).map(|(a, b)| a * b).sum();
            if pap <= 0.0 || !pap.is_finite() {
                break;
            }
            let alpha = rz / pap;
            for c in 0..n {
                x[c] += alpha * p[c];
                r[c] -= alpha * ap[c];
                z[c] = r[c] / diag[c];
            }
            let rz_new: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
            let beta = rz_new / rz;
            rz = rz_new;
            for c in 0..n {
                p[c] = z[c] + beta * p[c];
            }
        }
        // Accept a solve whose true residual stagnated at round-off.
        let mut ax = vec![0.0; n];
        self.apply(h, loss, x, &mut ax);
        let res = b
            .iter()
            .zip(&ax)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        if res <= 1e-11 * bnorm {
            Ok(())
        } else {
            Err(Error::Convergence(format!(
                "{}: conjugate-gradient solve stopped at relative residual {:.2e}",
                self.name,
                res / bnorm
            )))
        }
    }
}

#[path = "linear_direct.rs"]
mod direct;
pub use direct::{FactorCache, DIRECT_MAX_CELLS};

#[cfg(test)]
#[path = "linear_tests.rs"]
mod tests;
