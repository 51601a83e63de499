//! Chemotaxis of monocytes/macrophages up a chemokine (CCL2) gradient: a conservative
//! Keller-Segel operator on the finite-volume grid.
//!
//! For a cell density `m` (cells/mm^3) and a fixed chemokine field `c` (pg/mL):
//!
//! ```text
//! dm/dt = div( D_m grad m - chi m grad c )
//! ```
//!
//! with random motility `D_m` (mm^2/s) and chemotactic sensitivity `chi` (mm^2/s per pg/mL),
//! so that the chemotactic drift velocity is `v = chi grad c` (mm/s). Cells move only within the
//! parenchyma (labels [`GREY`] and [`WHITE`]); every face towards CSF, void or the edge of the box
//! carries no flux, so `sum(m V)` over the tissue is conserved. Values of `m` in other cells are
//! never read or written.
//!
//! # Discretisation
//!
//! Scharfetter-Gummel (exponentially fitted) face fluxes. With the dimensionless potential
//! `phi = chi c / D_m` the flux is `J = -D_m e^phi grad(m e^-phi)`; across the face from cell
//! P to its neighbour N (spacing h, area A, `x = phi_N - phi_P`) the cell flux is
//!
//! ```text
//! F_PN = (A D_m / h) [ B(-x) m_P - B(x) m_N ]      (cells/s),   B(x) = x / (e^x - 1)
//! ```
//!
//! `F_PN` is subtracted from P and added to N, so the scheme is conservative face by face. It
//! reduces to central diffusion when `chi = 0` (`B(0) = 1`) and to first-order upwinding when
//! `|x| >> 1`; it is second order for smooth fields, and it has the exact discrete steady state
//! `m ∝ exp(chi c / D_m)` cell by cell (`B(-x) = e^x B(x)`), the steady state of Keller-Segel
//! with zero-flux boundaries. Face areas and the axisymmetric metric come from
//! [`crate::transport::operator::face`], the same faces the solute transport uses.
//!
//! # Time stepping (why explicit)
//!
//! One call of [`Chemotaxis::step`] advances `m` over any `dt` with explicit two-stage strong
//! stability preserving Runge-Kutta (Heun, SSP-RK2) sub-steps of equal length. Both stages are
//! forward-Euler steps whose new value is `m_P (1 - dt_s r_P) + dt_s (inflow >= 0)`, where
//! `r_P = sum_f (A D_m / h) B(-x_f) / V_P` (1/s) is the outflow rate of cell P (diffusion plus
//! drift). With `dt_s r_P <= 1` every coefficient is non-negative, so `m` stays non-negative
//! (a proven bound, not a heuristic), and SSP-RK2 keeps this under the same limit while being
//! second order in time. The number of sub-steps is `ceil(dt max_P r_P / MAX_COURANT)`.
//! For cord grids (h about 0.05 mm) and the registry values (D_m about 5e-7 mm^2/s, drift a few
//! um/min) a sub-step is of the order of 10^3 s, so biology steps of minutes to hours take a
//! handful of sub-steps, with no linear solve. An implicit step would be unconditionally stable
//! but needs a non-symmetric solve whose conditioning degrades like `exp(chi Δc / D_m)`; it is not
//! used. The cost grows with steep gradients (`r_P ≈ chi Δc / h^2` when drift dominates): a
//! chemokine jump of 10^5 pg/mL across one 0.05 mm face gives sub-steps of about 0.5 s.
//!
//! Each cell's update is summed with Kahan compensation over the sub-steps of a call, so inflows
//! far below the last bit of a crowded cell's density are not lost: without it, 3e5 sub-steps
//! lost about 2e-12 of the cells.
//!
//! # Volume filling ([`Chemotaxis::step_crowded`])
//!
//! Cells that secrete the chemokine they follow can collapse into grid-scale peaks (the
//! Keller-Segel blow-up); in the cord model the M1 macrophages did so at short time steps, with
//! densities above 3e6 cells/mm^3, several times what cells can pack into a volume (docs/cord.md,
//! "Numerical accuracy"). [`Chemotaxis::step_crowded`] adds the volume-filling limit of Painter &
//! Hillen (2002, Can Appl Math Q 10:501): a cell moves up the gradient only into free space, so
//! the drift is scaled by the free fraction `q = 1 - rho / rho_max` of the cell it moves into
//! (`rho` all cells occupying space there: the moving species plus a `background` density,
//! `rho_max` = [`ChemotaxisParams::packing_density_cells_per_mm3`]). On a face the potential
//! difference becomes `q_down x`, `q_down` the free fraction of the downstream (higher-`c`) cell,
//! so no cell drifts into a full cell, while random motility is unchanged (in the lattice
//! derivation of Painter & Hillen the crowding terms of the random part cancel). The continuum
//! steady state is the Fermi-Dirac profile `m = rho_max / (1 + A e^(-phi))` instead of the
//! unbounded Boltzmann profile `A e^phi`. The face coefficients now depend on `m` and are
//! recomputed at each Runge-Kutta stage; the sub-step count uses the bound
//! `max(B(-x), 1)` of every face coefficient over `q` in [0, 1], so positivity holds as before.

use crate::grid::{Grid, GREY, MAX_LABELS, WHITE};
use crate::params::Registry;
use crate::transport::operator::{face, Face, SoluteTransport};
use crate::Error;

/// Registry names read by [`ChemotaxisParams::from_registry`].
pub const PARAMETER_NAMES: [&str; 3] = [
    "cord_chemotaxis.motility",
    "cord_chemotaxis.sensitivity",
    "cord_chemotaxis.packing_density",
];

/// Largest Courant number `dt_s max_P r_P` (1) of a sub-step. Positivity holds up to 1; 0.9
/// leaves a margin for round-off.
pub const MAX_COURANT: f64 = 0.9;

/// Upper limit accepted for the random motility (mm^2/s): 1000 times the diffusivity of a small
/// molecule in water; larger values are unit errors.
pub const MAX_MOTILITY_MM2_S: f64 = 1.0;

/// Upper limit accepted for the chemotactic sensitivity (mm^2/s per pg/mL); larger values are
/// unit errors (1 pg/mL per mm would drive cells at 1 mm/s).
pub const MAX_SENSITIVITY: f64 = 1.0;

/// Upper limit accepted for the packing density (cells/mm^3): 1e9 cells of 1 um^3 fill 1 mm^3;
/// larger values are unit errors.
pub const MAX_PACKING_DENSITY: f64 = 1e9;

/// Constants of the chemotaxis-diffusion operator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChemotaxisParams {
    /// Random motility `D_m` of monocytes/macrophages in the parenchyma (mm^2/s); > 0 —
    /// `cord_chemotaxis.motility`.
    pub motility_mm2_s: f64,
    /// Chemotactic sensitivity `chi` to the chemokine (mm^2/s per pg/mL); >= 0. The drift velocity
    /// is `chi |grad c|` (mm/s) for a gradient in pg/mL per mm — `cord_chemotaxis.sensitivity`.
    pub sensitivity_mm2_s_per_pg_ml: f64,
    /// Largest density of cells a volume of tissue holds (cells/mm^3); > 0. The chemotactic drift
    /// of [`Chemotaxis::step_crowded`] stops at it (volume filling) —
    /// `cord_chemotaxis.packing_density`.
    pub packing_density_cells_per_mm3: f64,
}

impl ChemotaxisParams {
    /// Reads the constants from the built-in registry.
    pub fn builtin() -> Result<Self, Error> {
        Self::from_registry(&Registry::builtin())
    }

    /// Reads the constants from `reg` ([`PARAMETER_NAMES`]) and checks them
    /// ([`ChemotaxisParams::validate`]).
    pub fn from_registry(reg: &Registry) -> Result<Self, Error> {
        let p = ChemotaxisParams {
            motility_mm2_s: reg.value_in(PARAMETER_NAMES[0], "mm^2/s")?,
            sensitivity_mm2_s_per_pg_ml: reg.value_in(PARAMETER_NAMES[1], "mm^2*mL/(s*pg)")?,
            packing_density_cells_per_mm3: reg.value_in(PARAMETER_NAMES[2], "cells/mm^3")?,
        };
        p.validate()?;
        Ok(p)
    }

    /// Checks `0 < motility <= MAX_MOTILITY_MM2_S`, `0 <= sensitivity <= MAX_SENSITIVITY` and
    /// `0 < packing density <= MAX_PACKING_DENSITY` (all finite). Errors name the parameter, its
    /// value and the allowed range.
    pub fn validate(&self) -> Result<(), Error> {
        let d = self.motility_mm2_s;
        if !(d.is_finite() && d > 0.0 && d <= MAX_MOTILITY_MM2_S) {
            return Err(Error::Config(format!(
                "cord_chemotaxis.motility = {d} mm^2/s; allowed: 0 < cord_chemotaxis.motility \
                 <= {MAX_MOTILITY_MM2_S} mm^2/s"
            )));
        }
        let chi = self.sensitivity_mm2_s_per_pg_ml;
        if !(chi.is_finite() && (0.0..=MAX_SENSITIVITY).contains(&chi)) {
            return Err(Error::Config(format!(
                "cord_chemotaxis.sensitivity = {chi} mm^2/s per pg/mL; allowed: 0 <= \
                 cord_chemotaxis.sensitivity <= {MAX_SENSITIVITY} mm^2/s per pg/mL"
            )));
        }
        let rho = self.packing_density_cells_per_mm3;
        if !(rho.is_finite() && rho > 0.0 && rho <= MAX_PACKING_DENSITY) {
            return Err(Error::Config(format!(
                "cord_chemotaxis.packing_density = {rho} cells/mm^3; allowed: 0 < \
                 cord_chemotaxis.packing_density <= {MAX_PACKING_DENSITY:e} cells/mm^3"
            )));
        }
        Ok(())
    }
}

/// What one [`Chemotaxis::step`] did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChemotaxisStats {
    /// Number of SSP-RK2 sub-steps taken (0 when `dt = 0` or there is no open face).
    pub substeps: usize,
    /// Largest Courant number `dt_s max_P r_P` of the sub-steps (1); <= [`MAX_COURANT`].
    pub max_courant: f64,
    /// Largest face Peclet number `chi |c_N - c_P| / D_m` (1): above about 2 the flux is
    /// upwind-dominated.
    pub max_peclet: f64,
}

/// One open face between two parenchyma cells.
#[derive(Debug, Clone, Copy)]
struct OpenFace {
    /// Cell on the low side.
    p: usize,
    /// Cell on the high side.
    n: usize,
    /// Diffusive conductance `A D_m / h` (mm^3/s).
    k: f64,
}

/// The chemotaxis-diffusion operator on one grid, built once per grid and parameter set.
#[derive(Debug, Clone)]
pub struct Chemotaxis {
    params: ChemotaxisParams,
    /// Every face between two parenchyma cells, each listed once.
    faces: Vec<OpenFace>,
    /// Cell volume (mm^3) of parenchyma cells; 0 elsewhere.
    volume: Vec<f64>,
    /// Indices of the parenchyma cells.
    cells: Vec<usize>,
}

/// `B(x) = x / (e^x - 1)` (1), with `B(0) = 1`; stable for every finite `x` (`B -> 0` for large
/// positive `x`, `B -> -x` for large negative `x`).
#[inline]
pub fn bernoulli(x: f64) -> f64 {
    if x.abs() < 1e-12 {
        1.0 - 0.5 * x
    } else {
        x / x.exp_m1()
    }
}

/// True for the labels cells move in (grey and white matter).
#[inline]
fn motile(label: u8) -> bool {
    label == GREY || label == WHITE
}

impl Chemotaxis {
    /// Builds the operator for `grid`: collects the faces between grey/white matter cells with
    /// their conductances `A D_m / h` (mm^3/s). Errors when `p` is invalid.
    pub fn new(grid: &Grid, p: &ChemotaxisParams) -> Result<Self, Error> {
        p.validate()?;
        let mut d_by_label = [0.0; MAX_LABELS];
        d_by_label[GREY as usize] = p.motility_mm2_s;
        d_by_label[WHITE as usize] = p.motility_mm2_s;
        let transport = SoluteTransport {
            d_by_label,
            ..SoluteTransport::uniform("cells", "cells/mm^3", 0.0)
        };
        let mut faces = Vec::new();
        let mut volume = vec![0.0; grid.len()];
        let mut cells = Vec::new();
        for c in 0..grid.len() {
            if !motile(grid.labels[c]) {
                continue;
            }
            let v = grid.volume(c);
            volume[c] = v;
            cells.push(c);
            for &axis in grid.active_axes() {
                if let Face::Interior { nb, g } = face(grid, &transport, c, axis, true) {
                    if motile(grid.labels[nb]) && g > 0.0 {
                        faces.push(OpenFace {
                            p: c,
                            n: nb,
                            k: g * v,
                        });
                    }
                }
            }
        }
        Ok(Chemotaxis {
            params: *p,
            faces,
            volume,
            cells,
        })
    }

    /// The parameters the operator was built with.
    pub fn params(&self) -> &ChemotaxisParams {
        &self.params
    }

    /// Number of grid cells the operator expects in `m` and `c` (the grid's `len()`).
    pub fn len(&self) -> usize {
        self.volume.len()
    }

    /// True when the grid has no cells.
    pub fn is_empty(&self) -> bool {
        self.volume.is_empty()
    }

    /// Number of open faces (between two grey/white matter cells).
    pub fn open_faces(&self) -> usize {
        self.faces.len()
    }

    /// Total number of cells in the parenchyma, `sum m V` over grey and white matter (cells; `m`
    /// in cells/mm^3). This is what [`Chemotaxis::step`] conserves.
    pub fn total(&self, m: &[f64]) -> f64 {
        self.cells
            .iter()
            .map(|&c| m.get(c).copied().unwrap_or(0.0) * self.volume[c])
            .sum()
    }

    fn check(&self, m: &[f64], c: &[f64], dt_s: f64) -> Result<(), Error> {
        let n = self.len();
        for (name, len) in [("m", m.len()), ("c", c.len())] {
            if len != n {
                return Err(Error::Config(format!(
                    "chemotaxis: field '{name}' has {len} values; the grid has {n} cells"
                )));
            }
        }
        if !(dt_s.is_finite() && dt_s >= 0.0) {
            return Err(Error::Config(format!(
                "chemotaxis: dt = {dt_s} s; allowed: a finite time step >= 0 s"
            )));
        }
        for &i in &self.cells {
            if !(m[i].is_finite() && m[i] >= 0.0) {
                return Err(Error::Numerical(format!(
                    "chemotaxis: cell density m[{i}] = {} cells/mm^3; allowed: finite and >= 0",
                    m[i]
                )));
            }
            if !c[i].is_finite() {
                return Err(Error::Numerical(format!(
                    "chemotaxis: chemokine c[{i}] = {} pg/mL; allowed: finite",
                    c[i]
                )));
            }
        }
        Ok(())
    }

    /// Advances the cell density `m` (cells/mm^3, one value per grid cell) by `dt_s` (s) in the
    /// fixed chemokine field `c` (pg/mL, one value per grid cell).
    ///
    /// Only grey and white matter cells are read and changed; `m` elsewhere is left as it is, and
    /// `c` elsewhere is ignored. `sum m V` over the parenchyma is conserved to round-off and `m`
    /// stays non-negative. Errors (leaving `m` unchanged) when a field length differs from the
    /// grid's, `dt_s` is negative or not finite, or a parenchyma value of `m` is negative or not
    /// finite or of `c` is not finite; the message names the field, the cell and the value.
    pub fn step(&self, m: &mut [f64], c: &[f64], dt_s: f64) -> Result<ChemotaxisStats, Error> {
        self.advance(m, c, None, dt_s)
    }

    /// As [`Chemotaxis::step`], with volume filling (module docs): the drift into a cell is scaled
    /// by its free fraction `1 - (background + m) / rho_max` (clamped to [0, 1]), `background`
    /// (cells/mm^3, one value per grid cell, finite and >= 0 in the parenchyma) the other cells
    /// occupying space there, held fixed over the call, and `rho_max` the packing density of the
    /// parameters. Conservation and positivity as for [`Chemotaxis::step`]; no cell drifts into a
    /// full cell. Errors as [`Chemotaxis::step`], and for a `background` of the wrong length or
    /// with a negative or non-finite parenchyma value.
    pub fn step_crowded(
        &self,
        m: &mut [f64],
        c: &[f64],
        background: &[f64],
        dt_s: f64,
    ) -> Result<ChemotaxisStats, Error> {
        if background.len() != self.len() {
            return Err(Error::Config(format!(
                "chemotaxis: field 'background' has {} values; the grid has {} cells",
                background.len(),
                self.len()
            )));
        }
        for &i in &self.cells {
            if !(background[i].is_finite() && background[i] >= 0.0) {
                return Err(Error::Numerical(format!(
                    "chemotaxis: background density background[{i}] = {} cells/mm^3; allowed: \
                     finite and >= 0",
                    background[i]
                )));
            }
        }
        self.advance(m, c, Some(background), dt_s)
    }

    /// Face outflow coefficients `(k B(-q x), k B(q x))` (mm^3/s) under volume filling, `q` the
    /// free fraction of each face's downstream cell at densities `m` + `background`.
    fn crowded_coefficients(
        &self,
        m: &[f64],
        x: &[f64],
        background: &[f64],
        coef: &mut [(f64, f64)],
    ) {
        let cap = self.params.packing_density_cells_per_mm3;
        for ((f, &xf), cf) in self.faces.iter().zip(x).zip(coef.iter_mut()) {
            let down = if xf > 0.0 { f.n } else { f.p };
            let q = (1.0 - (background[down] + m[down]) / cap).clamp(0.0, 1.0);
            let y = q * xf;
            let out_p = f.k * bernoulli(-y);
            // B(y) = B(-y) - y
            *cf = (out_p, out_p - f.k * y);
        }
    }

    fn advance(
        &self,
        m: &mut [f64],
        c: &[f64],
        background: Option<&[f64]>,
        dt_s: f64,
    ) -> Result<ChemotaxisStats, Error> {
        self.check(m, c, dt_s)?;
        let d = self.params.motility_mm2_s;
        let a = self.params.sensitivity_mm2_s_per_pg_ml / d; // 1/(pg/mL)
                                                             // Per face: the potential difference x and the outflow coefficients from p (k B(-x)) and
                                                             // from n (k B(x)), in mm^3/s. Under volume filling the coefficients change with m; each
                                                             // lies between its value at q = 1 (k B(-x)) and at q = 0 (k), so k max(B(-x), 1) bounds
                                                             // the outflow rates for the sub-step count.
        let x: Vec<f64> = self.faces.iter().map(|f| a * (c[f.n] - c[f.p])).collect();
        let mut coef = Vec::with_capacity(self.faces.len());
        let mut rate = vec![0.0; self.len()];
        let mut max_peclet: f64 = 0.0;
        for (f, &xf) in self.faces.iter().zip(&x) {
            max_peclet = max_peclet.max(xf.abs());
            let out_p = f.k * bernoulli(-xf);
            let out_n = f.k * bernoulli(xf);
            let (bound_p, bound_n) = match background {
                Some(_) => (out_p.max(f.k), out_n.max(f.k)),
                None => (out_p, out_n),
            };
            rate[f.p] += bound_p / self.volume[f.p];
            rate[f.n] += bound_n / self.volume[f.n];
            coef.push((out_p, out_n));
        }
        let r_max = self.cells.iter().fold(0.0f64, |acc, &i| acc.max(rate[i]));
        let mut stats = ChemotaxisStats {
            substeps: 0,
            max_courant: 0.0,
            max_peclet,
        };
        if dt_s == 0.0 || r_max == 0.0 {
            return Ok(stats);
        }
        let substeps = (dt_s * r_max / MAX_COURANT).ceil().max(1.0);
        if !substeps.is_finite() || substeps > usize::MAX as f64 {
            return Err(Error::Numerical(format!(
                "chemotaxis: dt = {dt_s} s needs {substeps} sub-steps (outflow rate {r_max} 1/s)"
            )));
        }
        let n_sub = substeps as usize;
        let h = dt_s / substeps;
        stats.substeps = n_sub;
        stats.max_courant = h * r_max;

        let mut dm1 = vec![0.0; self.len()];
        let mut dm2 = vec![0.0; self.len()];
        let mut stage = m.to_vec();
        // Kahan compensation per cell: increments far below the last bit of a large density
        // (inflow into a crowded cell) would otherwise be lost and bias the total downwards.
        let mut comp = vec![0.0; self.len()];
        for _ in 0..n_sub {
            // Heun: m1 = m + h L(m);  m <- m + h/2 (L(m) + L(m1)) = (m + m1 + h L(m1)) / 2
            if let Some(bg) = background {
                self.crowded_coefficients(m, &x, bg, &mut coef);
            }
            self.rhs(m, &coef, &mut dm1);
            for &i in &self.cells {
                stage[i] = m[i] + h * dm1[i];
            }
            if let Some(bg) = background {
                self.crowded_coefficients(&stage, &x, bg, &mut coef);
            }
            self.rhs(&stage, &coef, &mut dm2);
            for &i in &self.cells {
                let y = 0.5 * h * (dm1[i] + dm2[i]) - comp[i];
                let t = m[i] + y;
                comp[i] = (t - m[i]) - y;
                m[i] = t;
            }
        }
        for &i in &self.cells {
            let corrected = m[i] - comp[i];
            if corrected >= 0.0 {
                m[i] = corrected;
            }
        }
        Ok(stats)
    }

    /// `dm[i] = -(1/V_i) sum_f F_f` (cells/(mm^3 s)) over the open faces, for parenchyma cells.
    fn rhs(&self, m: &[f64], coef: &[(f64, f64)], dm: &mut [f64]) {
        for &i in &self.cells {
            dm[i] = 0.0;
        }
        for (f, &(out_p, out_n)) in self.faces.iter().zip(coef) {
            let flux = out_p * m[f.p] - out_n * m[f.n]; // cells/s from p to n
            dm[f.p] -= flux;
            dm[f.n] += flux;
        }
        for &i in &self.cells {
            dm[i] /= self.volume[i];
        }
    }
}

#[cfg(test)]
#[path = "chemotaxis_tests.rs"]
mod tests;
