//! The discrete diffusion operator shared by every transport solver.
//!
//! Cell-centred finite volumes. For cell P and each face f on an active axis:
//!
//! * interior face to a non-void cell N: `dC_P/dt += (A/V)_f * D_f / h * (C_N - C_P)`,
//!   with `D_f = 2 D_P D_N / (D_P + D_N)` (harmonic mean: series resistance of the two half-cells);
//! * face to void or to the edge of the box: a boundary face,
//!   `dC_P/dt += (A/V)_f * beta * (C_b - C_P)`, where `beta` (mm/s) is the conductance from the
//!   cell centre to the external reservoir at `C_b` and is zero for a no-flux face.
//!
//! `beta` is precomputed per (tissue label, axis) in [`SoluteTransport`] from the boundary
//! description: `beta = EA / (h/(2 D) + 1/k)` with EA the exchange-area fraction and `k` the
//! interface mass-transfer coefficient (infinite for the Dirichlet form).

use crate::grid::{Grid, Label, MAX_LABELS, VOID};

/// What a face towards the outside does, per tissue label and axis.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaceBc {
    /// Conductance from the cell centre to the reservoir (mm/s); 0 = no flux.
    pub beta: f64,
    /// Reservoir concentration, in the solute's unit (mM or kPa).
    pub value: f64,
}

/// Transport description of one solute on one grid: diffusivity per tissue and boundary faces.
#[derive(Debug, Clone, PartialEq)]
pub struct SoluteTransport {
    /// Solute name (e.g. "glucose").
    pub name: String,
    /// Unit of the concentration variable (e.g. "mM" or "kPa").
    pub unit: String,
    /// Effective diffusivity per tissue label (mm^2/s). Ignored for VOID.
    pub d_by_label: [f64; MAX_LABELS],
    /// Boundary face behaviour per tissue label and axis.
    pub bc: [[FaceBc; 3]; MAX_LABELS],
}

impl SoluteTransport {
    /// A solute with the same diffusivity `d` (mm^2/s) in every tissue and no-flux boundaries.
    pub fn uniform(name: &str, unit: &str, d: f64) -> Self {
        SoluteTransport {
            name: name.to_string(),
            unit: unit.to_string(),
            d_by_label: [d; MAX_LABELS],
            bc: [[FaceBc::default(); 3]; MAX_LABELS],
        }
    }

    /// Sets a Robin/Dirichlet boundary on faces of `label` cells along `axis` towards the outside.
    ///
    /// `ea` is the exchange-area fraction (0..1), `k_transfer` the interface transfer
    /// coefficient in mm/s (`f64::INFINITY` gives the Dirichlet form), `h` the cell spacing
    /// along `axis` (mm), and `value` the reservoir concentration.
    pub fn set_boundary(
        &mut self,
        label: Label,
        axis: usize,
        h: f64,
        ea: f64,
        k_transfer: f64,
        value: f64,
    ) {
        let d = self.d_by_label[label as usize];
        let resistance = 0.5 * h / d
            + if k_transfer.is_finite() {
                1.0 / k_transfer
            } else {
                0.0
            };
        self.bc[label as usize][axis] = FaceBc {
            beta: ea / resistance,
            value,
        };
    }
}

/// Coefficient of one face of one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Face {
    /// Interior face to cell `nb` with rate coefficient `g` (1/s).
    Interior {
        /// Neighbour index.
        nb: usize,
        /// Rate coefficient (1/s).
        g: f64,
    },
    /// Boundary face with rate coefficient `g` (1/s) towards reservoir `value`.
    Boundary {
        /// Rate coefficient (1/s); zero for a no-flux face.
        g: f64,
        /// Reservoir concentration.
        value: f64,
    },
}

/// Harmonic mean of two diffusivities (mm^2/s).
#[inline]
pub fn harmonic(a: f64, b: f64) -> f64 {
    if a + b > 0.0 {
        2.0 * a * b / (a + b)
    } else {
        0.0
    }
}

/// The face of `cell` on `axis` (low or high side) for solute `s`.
#[inline]
pub fn face(grid: &Grid, s: &SoluteTransport, cell: usize, axis: usize, high: bool) -> Face {
    let p = grid.ijk(cell)[axis];
    let m = if high {
        grid.metric[axis].hi[p]
    } else {
        grid.metric[axis].lo[p]
    };
    let lp = grid.labels[cell];
    match grid.neighbour(cell, axis, high) {
        Some(nb) if grid.labels[nb] != VOID => {
            let dn = s.d_by_label[grid.labels[nb] as usize];
            let dp = s.d_by_label[lp as usize];
            Face::Interior {
                nb,
                g: m * harmonic(dp, dn) / grid.h[axis],
            }
        }
        _ => {
            let bc = s.bc[lp as usize][axis];
            Face::Boundary {
                g: m * bc.beta,
                value: bc.value,
            }
        }
    }
}

/// Evaluates the diffusion operator: `out[c] = sum_f g_f (C_f - C_c)` (unit/s) for non-void cells;
/// void cells get 0.
pub fn apply(grid: &Grid, s: &SoluteTransport, u: &[f64], out: &mut [f64]) {
    for c in 0..grid.len() {
        if grid.labels[c] == VOID {
            out[c] = 0.0;
            continue;
        }
        let mut acc = 0.0;
        for &axis in grid.active_axes() {
            for high in [false, true] {
                acc += match face(grid, s, c, axis, high) {
                    Face::Interior { nb, g } => g * (u[nb] - u[c]),
                    Face::Boundary { g, value } => g * (value - u[c]),
                };
            }
        }
        out[c] = acc;
    }
}

/// Net amount per unit time entering the tissue through boundary faces
/// (concentration unit x mm^3 / s; e.g. nmol/s for mM).
pub fn boundary_influx(grid: &Grid, s: &SoluteTransport, u: &[f64]) -> f64 {
    let mut total = 0.0;
    for c in 0..grid.len() {
        if grid.labels[c] == VOID {
            continue;
        }
        let v = grid.volume(c);
        for &axis in grid.active_axes() {
            for high in [false, true] {
                if let Face::Boundary { g, value } = face(grid, s, c, axis, high) {
                    total += g * (value - u[c]) * v;
                }
            }
        }
    }
    total
}
