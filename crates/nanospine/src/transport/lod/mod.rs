//! Locally-one-dimensional (LOD) backward-Euler diffusion: the fast implicit kernel.
//!
//! One step of length `dt` solves, for each active axis in turn (x, y, z; axisymmetric: r, z),
//! every grid line along that axis with the tridiagonal system
//!
//! ```text
//! (1 + dt*sum_f g_f) u'_c - dt*g_lo u'_{c-1} - dt*g_hi u'_{c+1} = u_c + dt*sum_{boundary f} g_f*value_f
//! ```
//!
//! where the sums run over the two faces of cell `c` on that axis and `g` comes from
//! [`operator::face`](super::operator::face): interior faces couple neighbours, boundary faces
//! (towards void or the box edge) go to the diagonal and the right-hand side. VOID cells are identity
//! rows. Each axis solve is a backward-Euler step of the one-axis part of
//! [`operator::apply`](super::operator::apply), so the step is first-order accurate in time,
//! unconditionally stable and, with no-flux boundaries, conserves `sum(u * volume)` exactly.
//!
//! Implementation (see `BENCHMARKS.md`):
//! * fields are structure-of-arrays (one `Vec<f64>` per solute, indexed like the grid);
//! * every sweep is a "panel" solve: the Thomas recurrence runs along the rows of a panel while the
//!   inner loop runs over a contiguous row, so it vectorises. y and z sweeps use rows along x; the x
//!   sweep transposes batches of [`X_LANES`] lines into a small panel so independent recurrences
//!   interleave;
//! * the x and y sweeps of one z-plane touch only that plane, so they run back to back while the plane
//!   is cached (pass A, parallel over z-planes); the z sweep (pass B) is parallel over column blocks
//!   of the x-y plane. Main-memory traffic is therefore about 2 x (8 B read + 8 B write) per voxel
//!   per solute instead of 3 x;
//! * uniform grids (one tissue label, no void) use per-axis precomputed Thomas coefficients (the
//!   eliminated upper coefficient and the reciprocal pivot per position), so a sweep is a
//!   multiply-add recurrence with no division;
//! * other grids compute the coefficients on the fly from the `u8` labels (1 byte per voxel shared
//!   by all solutes): per solute and axis a table indexed by the (cell, low neighbour, high
//!   neighbour) label triple holds the row coefficients (512 entries; a (cell, neighbour) face table
//!   times the row metric where the metric varies, i.e. the axisymmetric radius). No per-voxel
//!   coefficient arrays are stored; the price is one division per voxel per sweep, paired into SIMD
//!   divides. Tables and uniform coefficients are rebuilt at every step (O(S * (n + 512)) work), so
//!   `dt` and the solute parameters may change between steps.
//!
//! Every line is solved by the same sequence of floating-point operations whatever the thread count
//! or work partition, so results are bit-identical with 1 or N rayon threads.

use rayon::prelude::*;

use super::operator::{harmonic, SoluteTransport};
use crate::error::{Error, Result};
use crate::grid::{AxisMetric, Grid, GridKind, Label, MAX_LABELS, VOID};

/// Number of x-lines solved together in the x sweep (lanes of the transposed panel).
pub const X_LANES: usize = 16;
/// Maximum row width (cells) of the panels of the y and z sweeps.
const MAX_W: usize = 512;
/// Row width used for the y sweep column blocks.
const Y_BLOCK: usize = 256;
/// Row width used for the z sweep column blocks.
const Z_BLOCK: usize = 512;
const NL: usize = MAX_LABELS;
const LMASK: usize = MAX_LABELS - 1;
const _: () = assert!(MAX_LABELS.is_power_of_two() && MAX_LABELS == 8);
// panel widths never exceed the static zero / void rows
const _: () = assert!(X_LANES <= MAX_W && Y_BLOCK <= MAX_W && Z_BLOCK <= MAX_W);

static ZERO_ROW: [f64; MAX_W] = [0.0; MAX_W];
static VOID_ROW: [Label; MAX_W] = [VOID; MAX_W];

/// Face coefficients of one (cell label, neighbour label) pair on one axis, with `dt` folded in and
/// the metric (A/V) left out.
#[derive(Debug, Clone, Copy, Default)]
struct FaceCoef {
    /// `dt * D_f / h` towards a non-void neighbour (dimensionless x mm).
    cpl: f64,
    /// `dt * beta` of a boundary face (mm).
    bnd: f64,
    /// `dt * beta * value` of a boundary face (mm x unit).
    src: f64,
}

type Table = [FaceCoef; NL * NL];

/// Builds the face table of solute `s` on `axis` (spacing `h` mm) for step `dt` (s).
fn face_table(s: &SoluteTransport, axis: usize, h: f64, dt: f64) -> Table {
    let mut t = [FaceCoef::default(); NL * NL];
    for lp in 1..NL {
        for ln in 0..NL {
            t[lp * NL + ln] = if ln == VOID as usize {
                let bc = s.bc[lp][axis];
                FaceCoef {
                    cpl: 0.0,
                    bnd: dt * bc.beta,
                    src: dt * bc.beta * bc.value,
                }
            } else {
                FaceCoef {
                    cpl: dt * harmonic(s.d_by_label[lp], s.d_by_label[ln]) / h,
                    bnd: 0.0,
                    src: 0.0,
                }
            };
        }
    }
    t
}

/// Coefficients of one row of the tridiagonal system.
#[derive(Debug, Clone, Copy)]
struct RowCoef {
    /// `dt * g_lo` of an interior low face (0 otherwise).
    al: f64,
    /// `dt * g_hi` of an interior high face (0 otherwise).
    ah: f64,
    /// Diagonal `1 + dt * (g_lo + g_hi)`.
    diag: f64,
    /// Boundary source `dt * sum g*value`.
    src: f64,
}

#[inline(always)]
fn row_coef(t: &Table, lp: Label, llo: Label, lhi: Label, mlo: f64, mhi: f64) -> RowCoef {
    let base = (lp as usize & LMASK) * NL;
    let f = t[base + (llo as usize & LMASK)];
    let g = t[base + (lhi as usize & LMASK)];
    let al = mlo * f.cpl;
    let ah = mhi * g.cpl;
    RowCoef {
        al,
        ah,
        diag: 1.0 + (al + ah) + (mlo * f.bnd + mhi * g.bnd),
        src: mlo * f.src + mhi * g.src,
    }
}

/// Precomputed Thomas coefficients along one axis of a uniform grid.
#[derive(Debug, Clone, Default)]
struct LineCoef {
    /// `dt * g_lo` per position.
    al: Vec<f64>,
    /// Reciprocal of the eliminated diagonal per position.
    inv: Vec<f64>,
    /// Eliminated upper coefficient `-c'` per position.
    e: Vec<f64>,
    /// Boundary source per position.
    src: Vec<f64>,
}

fn line_coef(out: &mut LineCoef, t: &Table, label: Label, m: &AxisMetric, n: usize) {
    out.al.clear();
    out.inv.clear();
    out.e.clear();
    out.src.clear();
    let mut eprev = 0.0;
    for p in 0..n {
        let llo = if p > 0 { label } else { VOID };
        let lhi = if p + 1 < n { label } else { VOID };
        let r = row_coef(t, label, llo, lhi, m.lo[p], m.hi[p]);
        let inv = 1.0 / (r.diag - r.al * eprev);
        eprev = r.ah * inv;
        out.al.push(r.al);
        out.inv.push(inv);
        out.e.push(eprev);
        out.src.push(r.src);
    }
}

/// Mutable rows of a panel: row `p` is position `p` along the swept axis.
trait Rows {
    /// Number of rows.
    fn n(&self) -> usize;
    /// Row width.
    fn w(&self) -> usize;
    /// Row `p`.
    fn row(&mut self, p: usize) -> &mut [f64];
    /// Rows `p - 1` (read) and `p` (write), `p >= 1`.
    fn fwd(&mut self, p: usize) -> (&[f64], &mut [f64]);
    /// Rows `p` (write) and `p + 1` (read).
    fn bwd(&mut self, p: usize) -> (&mut [f64], &[f64]);
}

/// Panel view of a slice: row `p` is `d[off + p*stride ..][..w]`.
struct Strided<'a> {
    d: &'a mut [f64],
    off: usize,
    stride: usize,
    w: usize,
    n: usize,
}

impl Rows for Strided<'_> {
    fn n(&self) -> usize {
        self.n
    }
    fn w(&self) -> usize {
        self.w
    }
    #[inline]
    fn row(&mut self, p: usize) -> &mut [f64] {
        &mut self.d[self.off + p * self.stride..][..self.w]
    }
    #[inline]
    fn fwd(&mut self, p: usize) -> (&[f64], &mut [f64]) {
        let (a, b) = self.d.split_at_mut(self.off + p * self.stride);
        (
            &a[self.off + (p - 1) * self.stride..][..self.w],
            &mut b[..self.w],
        )
    }
    #[inline]
    fn bwd(&mut self, p: usize) -> (&mut [f64], &[f64]) {
        let (a, b) = self.d.split_at_mut(self.off + (p + 1) * self.stride);
        (&mut a[self.off + p * self.stride..][..self.w], &b[..self.w])
    }
}

impl Rows for [&mut [f64]] {
    fn n(&self) -> usize {
        self.len()
    }
    fn w(&self) -> usize {
        self.first().map_or(0, |r| r.len())
    }
    #[inline]
    fn row(&mut self, p: usize) -> &mut [f64] {
        &mut self[p][..]
    }
    #[inline]
    fn fwd(&mut self, p: usize) -> (&[f64], &mut [f64]) {
        let (a, b) = self.split_at_mut(p);
        (&a[p - 1][..], &mut b[0][..])
    }
    #[inline]
    fn bwd(&mut self, p: usize) -> (&mut [f64], &[f64]) {
        let (a, b) = self.split_at_mut(p + 1);
        (&mut a[p][..], &b[0][..])
    }
}

/// Read-only panel view of labels: row `p` is `d[off + p*stride ..][..w]`.
#[derive(Clone, Copy)]
struct LabView<'a> {
    d: &'a [Label],
    off: usize,
    stride: usize,
    w: usize,
}

impl LabView<'_> {
    #[inline]
    fn row(&self, p: usize) -> &[Label] {
        &self.d[self.off + p * self.stride..][..self.w]
    }
}

// The row kernels below are `#[inline(never)]` on purpose: as separate functions their slice
// arguments carry `noalias`, so LLVM vectorises the loops without runtime overlap checks (the rows
// come from `split_at_mut` of one buffer, which it cannot see through after inlining).

/// Forward elimination of one row with scalar coefficients (uniform grid):
/// `cur = (cur + s + al * prev) * inv`.
#[inline(never)]
fn fwd_row_uniform(cur: &mut [f64], prev: &[f64], al: f64, inv: f64, s: f64) {
    for (x, &d) in cur.iter_mut().zip(prev) {
        *x = (*x + s + al * d) * inv;
    }
}

/// Forward elimination of the first row (no lower neighbour) with scalar coefficients:
/// `cur = (cur + s) * inv`.
#[inline(never)]
fn fwd_row_first(cur: &mut [f64], inv: f64, s: f64) {
    for x in cur.iter_mut() {
        *x = (*x + s) * inv;
    }
}

/// Back substitution of one row with a scalar coefficient: `cur += e * next`.
#[inline(never)]
fn bwd_row_uniform(cur: &mut [f64], next: &[f64], e: f64) {
    for (x, &y) in cur.iter_mut().zip(next) {
        *x += e * y;
    }
}

/// Back substitution of one row with per-cell coefficients: `cur += e * next`.
#[inline(never)]
fn bwd_row(cur: &mut [f64], next: &[f64], e: &[f64]) {
    let w = cur.len();
    let (next, e) = (&next[..w], &e[..w]);
    for i in 0..w {
        cur[i] += e[i] * next[i];
    }
}

/// Coefficient rows of one panel row (al, ah, diag, src), each of the panel width.
struct CoefRows<'a> {
    al: &'a mut [f64],
    ah: &'a mut [f64],
    dg: &'a mut [f64],
    sr: &'a mut [f64],
}

impl<'a> CoefRows<'a> {
    fn new(buf: &'a mut [f64], w: usize) -> Self {
        let (al, rest) = buf[..4 * w].split_at_mut(w);
        let (ah, rest) = rest.split_at_mut(w);
        let (dg, sr) = rest.split_at_mut(w);
        CoefRows { al, ah, dg, sr }
    }

    /// Fills the rows from the face table and this row's metric.
    #[inline]
    fn fill_table(
        &mut self,
        t: &Table,
        lc: &[Label],
        ll: &[Label],
        lh: &[Label],
        mlo: f64,
        mhi: f64,
    ) {
        let w = self.al.len();
        let (lc, ll, lh) = (&lc[..w], &ll[..w], &lh[..w]);
        let (ah, dg, sr) = (&mut self.ah[..w], &mut self.dg[..w], &mut self.sr[..w]);
        for i in 0..w {
            let r = row_coef(t, lc[i], ll[i], lh[i], mlo, mhi);
            self.al[i] = r.al;
            ah[i] = r.ah;
            dg[i] = r.diag;
            sr[i] = r.src;
        }
    }

    /// Forward elimination of one row: returns `e` in `ecur` and `d'` in `cur`.
    #[inline]
    fn forward(&self, cur: &mut [f64], prev: &[f64], ecur: &mut [f64], eprev: &[f64]) {
        fwd_row_tissue(cur, prev, ecur, eprev, self.al, self.ah, self.dg, self.sr);
    }
}

/// Forward elimination of one row with per-cell coefficients.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn fwd_row_tissue(
    cur: &mut [f64],
    prev: &[f64],
    ecur: &mut [f64],
    eprev: &[f64],
    al: &[f64],
    ah: &[f64],
    dg: &[f64],
    sr: &[f64],
) {
    let w = cur.len();
    let (prev, ecur, eprev) = (&prev[..w], &mut ecur[..w], &eprev[..w]);
    let (al, ah, dg, sr) = (&al[..w], &ah[..w], &dg[..w], &sr[..w]);
    for i in 0..w {
        let inv = 1.0 / (dg[i] - al[i] * eprev[i]);
        ecur[i] = ah[i] * inv;
        cur[i] = (cur[i] + sr[i] + al[i] * prev[i]) * inv;
    }
}

/// Forward elimination of one row with coefficients looked up per cell from a [`CodeTable`]. Four
/// cells per iteration, so the divisions pair up into SIMD divides.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn fwd_row_coded(
    cur: &mut [f64],
    prev: &[f64],
    ecur: &mut [f64],
    eprev: &[f64],
    ct: &CodeTable,
    lc: &[Label],
    ll: &[Label],
    lh: &[Label],
) {
    let w = cur.len();
    let (prev, ecur, eprev) = (&prev[..w], &mut ecur[..w], &eprev[..w]);
    let (lc, ll, lh) = (&lc[..w], &ll[..w], &lh[..w]);
    const K: usize = 4;
    let pairs = w / K;
    for q in 0..pairs {
        let b = K * q;
        let r: [RowCoef; K] = std::array::from_fn(|k| ct[code(lc[b + k], ll[b + k], lh[b + k])]);
        let den: [f64; K] = std::array::from_fn(|k| r[k].diag - r[k].al * eprev[b + k]);
        let inv: [f64; K] = std::array::from_fn(|k| 1.0 / den[k]);
        for k in 0..K {
            ecur[b + k] = r[k].ah * inv[k];
            cur[b + k] = (cur[b + k] + r[k].src + r[k].al * prev[b + k]) * inv[k];
        }
    }
    for i in K * pairs..w {
        let r = ct[code(lc[i], ll[i], lh[i])];
        let inv = 1.0 / (r.diag - r.al * eprev[i]);
        ecur[i] = r.ah * inv;
        cur[i] = (cur[i] + r.src + r.al * prev[i]) * inv;
    }
}

/// Index of a (cell, low neighbour, high neighbour) label triple in a [`CodeTable`].
#[inline(always)]
fn code(lc: Label, ll: Label, lh: Label) -> usize {
    ((lc as usize & LMASK) << 6) | ((ll as usize & LMASK) << 3) | (lh as usize & LMASK)
}

/// Row coefficients of every label triple for a constant metric (A/V) along the axis.
type CodeTable = [RowCoef; NL * NL * NL];

/// Row of a void cell: identity.
const IDENTITY_ROW: RowCoef = RowCoef {
    al: 0.0,
    ah: 0.0,
    diag: 1.0,
    src: 0.0,
};

/// Fills `ct` with the row coefficients of every label triple for face table `t` and metric `m`.
fn fill_code_table(ct: &mut CodeTable, t: &Table, m: f64) {
    for lc in 0..NL as Label {
        for ll in 0..NL as Label {
            for lh in 0..NL as Label {
                ct[code(lc, ll, lh)] = row_coef(t, lc, ll, lh, m, m);
            }
        }
    }
}

/// The metric value when it is the same for both faces of every cell on the axis.
fn constant_metric(m: &AxisMetric) -> Option<f64> {
    let m0 = *m.lo.first()?;
    (m.lo.iter().chain(&m.hi).all(|&x| x == m0)).then_some(m0)
}

/// Thomas solve of a panel with per-row coefficients (uniform grid).
fn panel_uniform<R: Rows + ?Sized>(rows: &mut R, c: &LineCoef) {
    let n = rows.n();
    if n == 0 {
        return;
    }
    fwd_row_first(rows.row(0), c.inv[0], c.src[0]);
    for p in 1..n {
        let (prev, cur) = rows.fwd(p);
        fwd_row_uniform(cur, prev, c.al[p], c.inv[p], c.src[p]);
    }
    for p in (0..n - 1).rev() {
        let (cur, next) = rows.bwd(p);
        bwd_row_uniform(cur, next, c.e[p]);
    }
}

/// Coefficients of a general-grid axis for one solute.
#[derive(Clone, Copy)]
enum AxisCoef<'a> {
    /// Constant metric: per label-triple table.
    Coded(&'a CodeTable),
    /// Varying metric (axisymmetric radius): face table times the row metric.
    Table(&'a Table, &'a AxisMetric),
}

/// Thomas solve of a panel with coefficients from labels (general grid). `es` is scratch of at least
/// `n * w` values; `rc` is grown to `4 * w` values when the metric varies. Widths must be at most
/// [`MAX_W`].
fn panel_tissue<R: Rows + ?Sized>(
    rows: &mut R,
    labs: LabView<'_>,
    coef: AxisCoef<'_>,
    es: &mut [f64],
    rc: &mut Vec<f64>,
) {
    let n = rows.n();
    let w = rows.w();
    debug_assert!(w <= MAX_W, "panel width {w} exceeds {MAX_W}");
    if n == 0 || w == 0 || w > MAX_W {
        return;
    }
    let es = &mut es[..n * w];
    if let AxisCoef::Table(..) = coef {
        if rc.len() < 4 * w {
            rc.resize(4 * w, 0.0);
        }
    }
    let mut cr = CoefRows::new(rc, if let AxisCoef::Table(..) = coef { w } else { 0 });
    for p in 0..n {
        let lc = labs.row(p);
        let ll = if p > 0 {
            labs.row(p - 1)
        } else {
            &VOID_ROW[..w]
        };
        let lh = if p + 1 < n {
            labs.row(p + 1)
        } else {
            &VOID_ROW[..w]
        };
        let (eprev, ecur) = if p > 0 {
            let (a, b) = es.split_at_mut(p * w);
            (&a[(p - 1) * w..], &mut b[..w])
        } else {
            (&ZERO_ROW[..w], &mut es[..w])
        };
        let (prev, cur): (&[f64], &mut [f64]) = if p > 0 {
            rows.fwd(p)
        } else {
            (&ZERO_ROW[..w], rows.row(0))
        };
        match coef {
            AxisCoef::Coded(ct) => fwd_row_coded(cur, prev, ecur, eprev, ct, lc, ll, lh),
            AxisCoef::Table(t, m) => {
                cr.fill_table(t, lc, ll, lh, m.lo[p], m.hi[p]);
                cr.forward(cur, prev, ecur, eprev);
            }
        }
    }
    for p in (0..n - 1).rev() {
        let (cur, next) = rows.bwd(p);
        bwd_row(cur, next, &es[p * w..][..w]);
    }
}

/// Per-work-chunk scratch.
#[derive(Debug, Default)]
struct Scratch {
    /// Transposed x-lines (nx * X_LANES).
    xbuf: Vec<f64>,
    /// Transposed labels of the x-lines.
    xlab: Vec<Label>,
    /// Eliminated coefficients of the x sweep (tissue mode).
    xe: Vec<f64>,
    /// Eliminated coefficients of the y or z sweep (tissue mode).
    ye: Vec<f64>,
    /// Coefficient rows of one panel row (tissue mode with a varying metric).
    rc: Vec<f64>,
}

impl Scratch {
    fn bytes(&self) -> usize {
        8 * (self.xbuf.capacity() + self.xe.capacity() + self.ye.capacity() + self.rc.capacity())
            + self.xlab.capacity()
    }

    /// Makes sure the tissue-mode buffers hold `ye` values of sweep scratch.
    fn tissue(&mut self, ye: usize) {
        if self.ye.len() < ye {
            self.ye.resize(ye, 0.0);
        }
    }
}

/// Coefficients of one solute on a general grid.
#[derive(Debug)]
struct TissueCoef {
    /// Face table per axis.
    tables: [Table; 3],
    /// Label-triple table per axis with a constant metric.
    codes: [Option<Box<CodeTable>>; 3],
}

impl TissueCoef {
    fn axis<'a>(&'a self, grid: &'a Grid, axis: usize) -> AxisCoef<'a> {
        match &self.codes[axis] {
            Some(ct) => AxisCoef::Coded(ct),
            None => AxisCoef::Table(&self.tables[axis], &grid.metric[axis]),
        }
    }
}

/// Coefficient mode of one step.
#[derive(Clone, Copy)]
enum Mode<'a> {
    /// Uniform grid: per solute, per axis precomputed line coefficients.
    Uniform(&'a [[LineCoef; 3]]),
    /// General grid: per solute coefficients.
    Tissue(&'a [TissueCoef]),
}

/// The LOD backward-Euler diffusion solver. Owns its scratch; build one per grid (rebuild it when the
/// grid's labels or size change).
#[derive(Debug)]
pub struct LodSolver {
    kind: GridKind,
    n: [usize; 3],
    /// `Some(label)` when every cell has the same non-void label.
    uniform: Option<Label>,
    /// Description of an invalid label found at construction.
    label_error: Option<String>,
    /// Forces the general (label-table) path even on uniform grids (tests).
    force_general: bool,
    scratch: Vec<Scratch>,
    tables: Vec<[Table; 3]>,
    lines: Vec<[LineCoef; 3]>,
    tissue: Vec<TissueCoef>,
}

impl LodSolver {
    /// Builds a solver for `grid` (scans the labels once).
    pub fn new(grid: &Grid) -> Self {
        let mut label_error = None;
        let first = grid.labels.first().copied().unwrap_or(VOID);
        let mut same = true;
        for (c, &l) in grid.labels.iter().enumerate() {
            if l as usize >= MAX_LABELS && label_error.is_none() {
                label_error = Some(format!(
                    "grid label {l} at cell {c} is out of range (allowed 0..{MAX_LABELS})"
                ));
            }
            same &= l == first;
        }
        let uniform = (same && first != VOID && !grid.labels.is_empty()).then_some(first);
        LodSolver {
            kind: grid.kind,
            n: grid.n,
            uniform,
            label_error,
            force_general: false,
            scratch: Vec::new(),
            tables: Vec::new(),
            lines: Vec::new(),
            tissue: Vec::new(),
        }
    }

    /// True when the uniform fast path (one label, no void) is used.
    pub fn is_uniform(&self) -> bool {
        self.uniform.is_some() && !self.force_general
    }

    /// Bytes of scratch currently held by the solver (B).
    pub fn scratch_bytes(&self) -> usize {
        let lines: usize = self
            .lines
            .iter()
            .flat_map(|a| a.iter())
            .map(|l| 8 * (l.al.capacity() + l.inv.capacity() + l.e.capacity() + l.src.capacity()))
            .sum();
        self.scratch.iter().map(Scratch::bytes).sum::<usize>()
            + self.tables.capacity() * std::mem::size_of::<[Table; 3]>()
            + self.tissue.capacity() * std::mem::size_of::<TissueCoef>()
            + self
                .tissue
                .iter()
                .flat_map(|t| t.codes.iter().flatten())
                .count()
                * std::mem::size_of::<CodeTable>()
            + lines
    }

    /// Checks that `grid`, `solutes`, `fields` and `dt` (s) fit this solver: the grid has the size
    /// and kind the solver was built for, valid labels, one field of `grid.len()` values per solute,
    /// finite non-negative diffusivities (mm^2/s) and conductances (mm/s), finite reservoir values,
    /// and a finite `dt >= 0`.
    pub fn validate(
        &self,
        grid: &Grid,
        solutes: &[SoluteTransport],
        fields: &[Vec<f64>],
        dt: f64,
    ) -> Result<()> {
        if grid.n != self.n
            || grid.kind != self.kind
            || grid.labels.len() != self.n.iter().product::<usize>()
        {
            return Err(Error::Config(format!(
                "LOD solver was built for a {:?} grid of {:?} cells, got a {:?} grid of {:?} cells with {} labels",
                self.kind,
                self.n,
                grid.kind,
                grid.n,
                grid.labels.len()
            )));
        }
        if let Some(e) = &self.label_error {
            return Err(Error::Config(e.clone()));
        }
        if !(dt.is_finite() && dt >= 0.0) {
            return Err(Error::Config(format!(
                "LOD time step dt = {dt} s; allowed: finite and >= 0"
            )));
        }
        if fields.len() != solutes.len() {
            return Err(Error::Config(format!(
                "LOD step got {} fields for {} solutes; one field per solute is required",
                fields.len(),
                solutes.len()
            )));
        }
        for (s, f) in solutes.iter().zip(fields) {
            if f.len() != grid.len() {
                return Err(Error::Config(format!(
                    "field of solute '{}' has {} values; the grid has {} cells",
                    s.name,
                    f.len(),
                    grid.len()
                )));
            }
            for l in 1..MAX_LABELS {
                let d = s.d_by_label[l];
                if !(d.is_finite() && d >= 0.0) {
                    return Err(Error::Config(format!(
                        "solute '{}' diffusivity of label {l} = {d} mm^2/s; allowed: finite and >= 0",
                        s.name
                    )));
                }
                for (axis, bc) in s.bc[l].iter().enumerate() {
                    if !(bc.beta.is_finite() && bc.beta >= 0.0 && bc.value.is_finite()) {
                        return Err(Error::Config(format!(
                            "solute '{}' boundary of label {l} axis {axis}: beta = {} mm/s, value = {}; allowed: finite beta >= 0 and finite value",
                            s.name, bc.beta, bc.value
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// [`LodSolver::step`] after [`LodSolver::validate`]: returns the validation error instead of
    /// panicking.
    pub fn try_step(
        &mut self,
        grid: &Grid,
        solutes: &[SoluteTransport],
        fields: &mut [Vec<f64>],
        dt: f64,
    ) -> Result<()> {
        self.validate(grid, solutes, fields, dt)?;
        self.step(grid, solutes, fields, dt);
        Ok(())
    }

    /// One LOD backward-Euler step of length `dt` (s) for every solute field; `fields[s]` (in the
    /// solute's unit, indexed like the grid) pairs with `solutes[s]`. Values must be finite (void
    /// cells included: they are left unchanged).
    ///
    /// # Panics
    /// When [`LodSolver::validate`] fails (a programming error: wrong grid, field count or length).
    pub fn step(
        &mut self,
        grid: &Grid,
        solutes: &[SoluteTransport],
        fields: &mut [Vec<f64>],
        dt: f64,
    ) {
        if let Err(e) = self.validate(grid, solutes, fields, dt) {
            panic!("LodSolver::step: {e}");
        }
        let ns = solutes.len();
        if ns == 0 || grid.is_empty() {
            return;
        }
        self.tables.clear();
        for s in solutes {
            self.tables
                .push([0, 1, 2].map(|axis| face_table(s, axis, grid.h[axis], dt)));
        }
        let uniform = if self.force_general {
            None
        } else {
            self.uniform
        };
        if uniform.is_none() {
            self.tissue.truncate(ns);
            for (s, tabs) in self.tables.iter().enumerate() {
                if self.tissue.len() <= s {
                    self.tissue.push(TissueCoef {
                        tables: *tabs,
                        codes: [None, None, None],
                    });
                }
                let tc = &mut self.tissue[s];
                tc.tables = *tabs;
                for (axis, (code, tab)) in tc.codes.iter_mut().zip(tabs).enumerate() {
                    *code = constant_metric(&grid.metric[axis]).map(|m| {
                        let mut ct = code
                            .take()
                            .unwrap_or_else(|| Box::new([IDENTITY_ROW; NL * NL * NL]));
                        fill_code_table(&mut ct, tab, m);
                        ct
                    });
                }
            }
        }
        if let Some(label) = uniform {
            self.lines.resize_with(ns, Default::default);
            for (lines, tabs) in self.lines.iter_mut().zip(&self.tables) {
                for axis in 0..3 {
                    line_coef(
                        &mut lines[axis],
                        &tabs[axis],
                        label,
                        &grid.metric[axis],
                        grid.n[axis],
                    );
                }
            }
        }
        let LodSolver {
            scratch,
            lines,
            tissue,
            ..
        } = self;
        let mode = match uniform {
            Some(_) => Mode::Uniform(&lines[..ns]),
            None => Mode::Tissue(&tissue[..ns]),
        };
        let threads = rayon::current_num_threads().max(1);
        pass_xy(grid, mode, fields, scratch, threads);
        pass_z(grid, mode, fields, scratch, threads);
    }
}

/// Splits `n` items into at most `max_parts` contiguous parts; returns the part size.
fn part_size(n: usize, max_parts: usize) -> usize {
    n.div_ceil(max_parts.clamp(1, n.max(1))).max(1)
}

/// Pass A: x sweep (and y sweep on Cartesian grids) of every z-plane, parallel over z-planes.
fn pass_xy(
    grid: &Grid,
    mode: Mode<'_>,
    fields: &mut [Vec<f64>],
    scratch: &mut Vec<Scratch>,
    threads: usize,
) {
    let [nx, ny, nz] = grid.n;
    let pl = nx * ny;
    let per = part_size(nz, 4 * threads);
    let nparts = nz.div_ceil(per);
    if scratch.len() < nparts {
        scratch.resize_with(nparts, Default::default);
    }
    let mut jobs: Vec<Vec<&mut [f64]>> = (0..nparts)
        .map(|_| Vec::with_capacity(fields.len()))
        .collect();
    for f in fields.iter_mut() {
        for (b, blk) in f.chunks_mut(per * pl).enumerate() {
            jobs[b].push(blk);
        }
    }
    let do_y = grid.kind == GridKind::Cartesian3d;
    jobs.par_iter_mut()
        .zip(scratch.par_iter_mut())
        .enumerate()
        .for_each(|(b, (blks, scr))| {
            let k0 = b * per;
            let nk = blks.first().map_or(0, |x| x.len() / pl);
            for kk in 0..nk {
                let k = k0 + kk;
                let lab = &grid.labels[k * pl..][..pl];
                let mut planes: Vec<&mut [f64]> =
                    blks.iter_mut().map(|x| &mut x[kk * pl..][..pl]).collect();
                // one solute at a time, so its plane stays cached between the x and y sweeps
                for (s, plane) in planes.iter_mut().enumerate() {
                    x_sweep(grid, mode, s, std::slice::from_mut(plane), lab, scr);
                    if do_y {
                        y_sweep(grid, mode, s, plane, lab, scr);
                    }
                }
            }
        });
}

/// x sweep of one z-plane for the solutes `s0..` of `planes`: batches of [`X_LANES`] lines are transposed into a
/// panel (rows along x, lanes contiguous), solved, and transposed back.
fn x_sweep(
    grid: &Grid,
    mode: Mode<'_>,
    s0: usize,
    planes: &mut [&mut [f64]],
    lab: &[Label],
    scr: &mut Scratch,
) {
    let [nx, ny, _] = grid.n;
    let need = nx * X_LANES;
    if scr.xbuf.len() < need {
        scr.xbuf.resize(need, 0.0);
    }
    if let Mode::Tissue(_) = mode {
        if scr.xlab.len() < need {
            scr.xlab.resize(need, VOID);
            scr.xe.resize(need, 0.0);
        }
        scr.tissue(0);
    }
    let mut j0 = 0;
    while j0 < ny {
        let lg = X_LANES.min(ny - j0);
        if let Mode::Tissue(_) = mode {
            let xl = &mut scr.xlab[..nx * lg];
            for l in 0..lg {
                let row = &lab[(j0 + l) * nx..][..nx];
                for (c, &v) in xl.chunks_exact_mut(lg).zip(row) {
                    c[l] = v;
                }
            }
        }
        for (q, plane) in planes.iter_mut().enumerate() {
            let s = s0 + q;
            let buf = &mut scr.xbuf[..nx * lg];
            let blk = &mut plane[j0 * nx..][..lg * nx];
            for (l, row) in blk.chunks_exact(nx).enumerate() {
                for (c, &v) in buf.chunks_exact_mut(lg).zip(row) {
                    c[l] = v;
                }
            }
            let mut rows = Strided {
                d: buf,
                off: 0,
                stride: lg,
                w: lg,
                n: nx,
            };
            match mode {
                Mode::Uniform(lines) => panel_uniform(&mut rows, &lines[s][0]),
                Mode::Tissue(tc) => {
                    let lv = LabView {
                        d: &scr.xlab[..nx * lg],
                        off: 0,
                        stride: lg,
                        w: lg,
                    };
                    let coef = tc[s].axis(grid, 0);
                    panel_tissue(&mut rows, lv, coef, &mut scr.xe, &mut scr.rc)
                }
            }
            let buf = &scr.xbuf[..nx * lg];
            for (l, row) in blk.chunks_exact_mut(nx).enumerate() {
                for (c, v) in buf.chunks_exact(lg).zip(row.iter_mut()) {
                    *v = c[l];
                }
            }
        }
        j0 += lg;
    }
}

/// y sweep of one z-plane of solute `s`, in column blocks of at most [`Y_BLOCK`] cells.
fn y_sweep(
    grid: &Grid,
    mode: Mode<'_>,
    s: usize,
    plane: &mut [f64],
    lab: &[Label],
    scr: &mut Scratch,
) {
    let [nx, ny, _] = grid.n;
    let nb = nx.div_ceil(Y_BLOCK);
    let bw = nx.div_ceil(nb);
    if let Mode::Tissue(_) = mode {
        scr.tissue(ny * bw);
    }
    let mut i0 = 0;
    while i0 < nx {
        let w = bw.min(nx - i0);
        let mut rows = Strided {
            d: plane,
            off: i0,
            stride: nx,
            w,
            n: ny,
        };
        match mode {
            Mode::Uniform(lines) => panel_uniform(&mut rows, &lines[s][1]),
            Mode::Tissue(tc) => {
                let lv = LabView {
                    d: lab,
                    off: i0,
                    stride: nx,
                    w,
                };
                let coef = tc[s].axis(grid, 1);
                panel_tissue(&mut rows, lv, coef, &mut scr.ye, &mut scr.rc)
            }
        }
        i0 += w;
    }
}

/// Pass B: z sweep, parallel over column blocks of the x-y plane.
fn pass_z(
    grid: &Grid,
    mode: Mode<'_>,
    fields: &mut [Vec<f64>],
    scratch: &mut Vec<Scratch>,
    threads: usize,
) {
    let [nx, ny, nz] = grid.n;
    let pl = nx * ny;
    let ns = fields.len();
    let npanels = pl.div_ceil(Z_BLOCK);
    let bw = pl.div_ceil(npanels);
    // cols[b * ns + s]: the nz row segments of panel b of solute s
    let mut cols: Vec<Vec<&mut [f64]>> =
        (0..npanels * ns).map(|_| Vec::with_capacity(nz)).collect();
    for (s, f) in fields.iter_mut().enumerate() {
        for plane in f.chunks_exact_mut(pl) {
            for (b, seg) in plane.chunks_mut(bw).enumerate() {
                cols[b * ns + s].push(seg);
            }
        }
    }
    let per = part_size(npanels, 4 * threads);
    let nparts = npanels.div_ceil(per);
    if scratch.len() < nparts {
        scratch.resize_with(nparts, Default::default);
    }
    cols.par_chunks_mut(per * ns)
        .zip(scratch.par_iter_mut())
        .enumerate()
        .for_each(|(part, (group, scr))| {
            if let Mode::Tissue(_) = mode {
                scr.tissue(nz * bw);
            }
            for (q, col) in group.iter_mut().enumerate() {
                let b = part * per + q / ns;
                let s = q % ns;
                let rows: &mut [&mut [f64]] = &mut col[..];
                match mode {
                    Mode::Uniform(lines) => panel_uniform(rows, &lines[s][2]),
                    Mode::Tissue(tc) => {
                        let w = rows.w();
                        let lv = LabView {
                            d: &grid.labels,
                            off: b * bw,
                            stride: pl,
                            w,
                        };
                        let coef = tc[s].axis(grid, 2);
                        panel_tissue(rows, lv, coef, &mut scr.ye, &mut scr.rc)
                    }
                }
            }
        });
}

#[cfg(test)]
mod tests;
