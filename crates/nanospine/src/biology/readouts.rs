//! Disc-level read-outs of animal studies computed from the per-voxel biology states: cell
//! viability, matrix content, cytokines, macrophages, nerve ingrowth, calcification, a
//! histology-score proxy and a von Frey pain proxy. Definitions, units and the published scales
//! used are in `docs/biology.md` ("Read-outs"); constants come from the registry (`readout.*`).
//!
//! Every read-out is computed over the disc proper, NP + AF voxels (labels [`NP`] and [`AF`]); CEP
//! and void voxels are ignored. Means are volume-weighted (`sum x V / sum V`, V = voxel volume in
//! mm^3; axisymmetric voxels are full rings, so outer rings weigh more). One call is O(voxels).

use super::state::{
    BiologyState, CALCIFICATION, COLLAGEN1, COLLAGEN2, DEAD, IL10, IL13, IL1B, INNERVATION, M1, M2,
    MSC, NGF, PROTEOGLYCAN, ROS, SENESCENT, TNF, VIABLE,
};
use crate::grid::{Grid, GridKind, AF, NP, VOID};
use crate::params::Registry;
use crate::Error;

/// Lowest total of the Masuda-type four-category histology scale (4 categories x grade 1).
pub const HISTOLOGY_MIN: f64 = 4.0;
/// Highest total of the Masuda-type four-category histology scale (4 categories x grade 3).
pub const HISTOLOGY_MAX: f64 = 12.0;

/// Every registry name the read-outs read (for provenance listings and tests).
pub const PARAMETER_NAMES: [&str; 14] = [
    "readout.histology.disrupted_matrix_loss",
    "readout.histology.af_grade2",
    "readout.histology.af_grade3",
    "readout.histology.border_grade2",
    "readout.histology.border_grade3",
    "readout.histology.np_cellularity_grade2",
    "readout.histology.np_cellularity_grade3",
    "readout.histology.np_matrix_grade2",
    "readout.histology.np_matrix_grade3",
    "readout.nerve.innervation_threshold",
    "readout.nerve.native_af_fraction",
    "readout.pain.pwt_baseline",
    "readout.pain.cytokine_gain",
    "readout.pain.sensitisation_gain",
];

/// The two anchors of one histology category: the damage measure (0 = healthy, 1 = fully
/// degenerate; dimensionless) at which the category's grade reaches 2 and 3. The grade is
/// `1 + ramp(x; 0, grade2) + ramp(x; grade2, grade3)` with `ramp(x; a, b) = clamp((x-a)/(b-a), 0, 1)`:
/// continuous, monotone, 1 at x = 0 and 3 for x >= `grade3`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradeAnchors {
    /// Damage at which the grade reaches 2 (1).
    pub grade2: f64,
    /// Damage at which the grade reaches 3 (1); larger than `grade2`.
    pub grade3: f64,
}

impl GradeAnchors {
    /// The continuous grade (1..=3) of damage `x` (1); NaN stays NaN.
    pub fn grade(&self, x: f64) -> f64 {
        1.0 + ramp(x, 0.0, self.grade2) + ramp(x, self.grade2, self.grade3)
    }
}

/// Constants of the read-outs, from the registry (`readout.*`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadoutParams {
    /// Matrix loss `1 - min(PG, C2)` at which an AF or border voxel counts as fully disrupted
    /// (ruptured/serpentine lamellae), dimensionless — `readout.histology.disrupted_matrix_loss`.
    pub disrupted_matrix_loss: f64,
    /// AF category: disrupted AF volume fraction (1) — `readout.histology.af_grade2/3`.
    pub af: GradeAnchors,
    /// AF-NP border category: disrupted fraction of the border voxels (1) —
    /// `readout.histology.border_grade2/3`.
    pub border: GradeAnchors,
    /// NP cellularity category: NP cell loss `1 - (V + S)` (1) —
    /// `readout.histology.np_cellularity_grade2/3`.
    pub np_cellularity: GradeAnchors,
    /// NP matrix category: NP proteoglycan loss `1 - PG` (1) — `readout.histology.np_matrix_grade2/3`.
    pub np_matrix: GradeAnchors,
    /// Innervated fraction (1) from which a voxel counts as innervated for the ingrowth depth —
    /// `readout.nerve.innervation_threshold`.
    pub innervation_threshold: f64,
    /// Outer share of the AF's radial thickness that is natively innervated (1), in (0, 1] —
    /// `readout.nerve.native_af_fraction`.
    pub native_af_fraction: f64,
    /// Paw withdrawal threshold of a naive animal (g) — `readout.pain.pwt_baseline`.
    pub pwt_baseline_g: f64,
    /// Sensitisation by IL-1b + TNF-a, per pg/mL (mL/pg) — `readout.pain.cytokine_gain`.
    pub cytokine_gain: f64,
    /// Gain of the sensitisation on the withdrawal threshold (1) — `readout.pain.sensitisation_gain`.
    pub sensitisation_gain: f64,
}

impl ReadoutParams {
    /// Reads the read-out constants from `reg` and checks that each category's grade-2 anchor lies
    /// below its grade-3 anchor. Errors name the parameter.
    pub fn from_registry(reg: &Registry) -> Result<ReadoutParams, Error> {
        let one = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "1")?) };
        let anchors = |cat: &str| -> Result<GradeAnchors, Error> {
            let n2 = format!("readout.histology.{cat}_grade2");
            let n3 = format!("readout.histology.{cat}_grade3");
            let a = GradeAnchors {
                grade2: one(&n2)?,
                grade3: one(&n3)?,
            };
            if !(a.grade2 > 0.0 && a.grade2 < a.grade3) {
                return Err(Error::Config(format!(
                    "histology anchors need 0 < {n2} < {n3}, got {n2} = {} and {n3} = {}",
                    a.grade2, a.grade3
                )));
            }
            Ok(a)
        };
        Ok(ReadoutParams {
            disrupted_matrix_loss: one("readout.histology.disrupted_matrix_loss")?,
            af: anchors("af")?,
            border: anchors("border")?,
            np_cellularity: anchors("np_cellularity")?,
            np_matrix: anchors("np_matrix")?,
            innervation_threshold: one("readout.nerve.innervation_threshold")?,
            // the registry bounds keep it in (0, 1]
            native_af_fraction: one("readout.nerve.native_af_fraction")?,
            pwt_baseline_g: reg.value_in("readout.pain.pwt_baseline", "g")?,
            cytokine_gain: reg.value_in("readout.pain.cytokine_gain", "mL/pg")?,
            sensitisation_gain: one("readout.pain.sensitisation_gain")?,
        })
    }

    /// The built-in registry's values.
    pub fn builtin() -> Result<ReadoutParams, Error> {
        ReadoutParams::from_registry(&Registry::builtin())
    }
}

/// Disc-level read-outs at one sample time. Tissue means are volume-weighted; a mean over a tissue
/// with no voxel is NaN (and so is any histology value that needs it).
#[derive(Debug, Clone, PartialEq)]
pub struct DiscBiologyReadouts {
    /// Viable, non-senescent disc cells over NP + AF, fraction of the initial density (1).
    pub viable_fraction: f64,
    /// Senescent cells over NP + AF, fraction of the initial density (1).
    pub senescent_fraction: f64,
    /// Cells present (viable + senescent) in the NP, fraction of the initial density (1).
    pub np_cell_fraction: f64,
    /// Delivered MSCs in the NP, fraction of the initial native NP cell density (1; 0 without a
    /// cell therapy). Not part of `np_cell_fraction`; the NP cellularity grade counts both.
    pub np_msc_fraction: f64,
    /// NP proteoglycan, fraction of healthy content (1).
    pub np_proteoglycan: f64,
    /// NP collagen II, fraction of healthy content (1).
    pub np_collagen2: f64,
    /// NP collagen I, multiple of healthy content (1; above 1 in fibrosis).
    pub np_collagen1: f64,
    /// AF proteoglycan, fraction of healthy content (1).
    pub af_proteoglycan: f64,
    /// AF collagen II, fraction of healthy content (1).
    pub af_collagen2: f64,
    /// AF collagen I, multiple of healthy content (1; above 1 in fibrosis).
    pub af_collagen1: f64,
    /// Mean H2O2 over NP + AF (uM).
    pub mean_ros_um: f64,
    /// Mean IL-1b over NP + AF (pg/mL).
    pub il1b_pg_ml: f64,
    /// Mean TNF-a over NP + AF (pg/mL).
    pub tnf_pg_ml: f64,
    /// Mean IL-10 over NP + AF (pg/mL).
    pub il10_pg_ml: f64,
    /// Mean IL-13 over NP + AF (pg/mL).
    pub il13_pg_ml: f64,
    /// Mean NGF over NP + AF (pg/mL).
    pub ngf_pg_ml: f64,
    /// M1 macrophages in the disc, `sum M1 V` (cells).
    pub m1_cells: f64,
    /// M2 macrophages in the disc, `sum M2 V` (cells).
    pub m2_cells: f64,
    /// `m1_cells / m2_cells` (1); `None` without M2 cells.
    pub m1_m2_ratio: Option<f64>,
    /// Mean innervated fraction over NP + AF (1).
    pub innervated_fraction: f64,
    /// Depth (mm) of the deepest innervated voxel (innervation >= the registry threshold): distance
    /// from its centre to the outer (lateral) surface of the disc in its own transverse layer; 0
    /// without innervated voxels.
    pub nerve_ingrowth_depth_mm: f64,
    /// Mineralised volume fraction of NP + AF, `sum Ca V / sum V` (1).
    pub calcified_fraction: f64,
    /// Masuda-type scale, annulus fibrosus category, continuous grade 1..=3 (grade).
    pub histology_af_grade: f64,
    /// Masuda-type scale, AF-NP border category, continuous grade 1..=3 (grade).
    pub histology_border_grade: f64,
    /// Masuda-type scale, NP cellularity category, continuous grade 1..=3 (grade).
    pub histology_np_cellularity_grade: f64,
    /// Masuda-type scale, NP matrix category, continuous grade 1..=3 (grade).
    pub histology_np_matrix_grade: f64,
    /// Histology-score proxy on the Masuda-type four-category rabbit/rat scale (category
    /// definitions: Chai et al. 2016 Korean J Radiol 17:103, Table 1; attributed to Masuda et al.
    /// 2005 Spine 30:5): sum of the four grades, 4 (normal) to 12 (severe) (points).
    pub histology_score: f64,
    /// `(histology_score - 4) / 8`, 0 (normal) to 1 (severe) (1).
    pub histology_normalised: f64,
    /// Peripheral sensitisation (1): the disc's nociceptive fibres weighted by their
    /// sensitisation, relative to its native innervation,
    /// `sum V [N s + I (1 + s)] / sum V N` with `s = a (IL-1b + TNF-a)`, `N` = 1 in the natively
    /// innervated outer AF band ([`native_innervation`]) and `I` the ingrown innervated fraction;
    /// 0 in a healthy disc. Without a native band (no AF voxel) the denominator is the NP + AF
    /// volume.
    pub pain_sensitisation: f64,
    /// von Frey 50 % paw withdrawal threshold proxy `PWT_0 / (1 + b Sens)` (g).
    pub pain_withdrawal_threshold_g: f64,
}

/// Column names and units of [`DiscBiologyReadouts::values`], in the same order.
const COLUMNS: [(&str, &str); 30] = [
    ("viable_fraction", "1"),
    ("senescent_fraction", "1"),
    ("np_cell_fraction", "1"),
    ("np_msc_fraction", "1"),
    ("np_proteoglycan", "1"),
    ("np_collagen2", "1"),
    ("np_collagen1", "1"),
    ("af_proteoglycan", "1"),
    ("af_collagen2", "1"),
    ("af_collagen1", "1"),
    ("mean_ros_um", "uM"),
    ("il1b_pg_ml", "pg/mL"),
    ("tnf_pg_ml", "pg/mL"),
    ("il10_pg_ml", "pg/mL"),
    ("il13_pg_ml", "pg/mL"),
    ("ngf_pg_ml", "pg/mL"),
    ("m1_cells", "cells"),
    ("m2_cells", "cells"),
    ("m1_m2_ratio", "1"),
    ("innervated_fraction", "1"),
    ("nerve_ingrowth_depth_mm", "mm"),
    ("calcified_fraction", "1"),
    ("histology_af_grade", "grade"),
    ("histology_border_grade", "grade"),
    ("histology_np_cellularity_grade", "grade"),
    ("histology_np_matrix_grade", "grade"),
    ("histology_score", "points"),
    ("histology_normalised", "1"),
    ("pain_sensitisation", "1"),
    ("pain_withdrawal_threshold_g", "g"),
];

impl DiscBiologyReadouts {
    /// `(name, unit)` of every read-out column, in the order of [`Self::values`].
    pub fn columns() -> Vec<(&'static str, &'static str)> {
        COLUMNS.to_vec()
    }

    /// The read-out values in the order of [`Self::columns`]; a `None` ratio is NaN.
    pub fn values(&self) -> Vec<f64> {
        vec![
            self.viable_fraction,
            self.senescent_fraction,
            self.np_cell_fraction,
            self.np_msc_fraction,
            self.np_proteoglycan,
            self.np_collagen2,
            self.np_collagen1,
            self.af_proteoglycan,
            self.af_collagen2,
            self.af_collagen1,
            self.mean_ros_um,
            self.il1b_pg_ml,
            self.tnf_pg_ml,
            self.il10_pg_ml,
            self.il13_pg_ml,
            self.ngf_pg_ml,
            self.m1_cells,
            self.m2_cells,
            self.m1_m2_ratio.unwrap_or(f64::NAN),
            self.innervated_fraction,
            self.nerve_ingrowth_depth_mm,
            self.calcified_fraction,
            self.histology_af_grade,
            self.histology_border_grade,
            self.histology_np_cellularity_grade,
            self.histology_np_matrix_grade,
            self.histology_score,
            self.histology_normalised,
            self.pain_sensitisation,
            self.pain_withdrawal_threshold_g,
        ]
    }
}

/// `clamp((x - a) / (b - a), 0, 1)` (NaN stays NaN).
fn ramp(x: f64, a: f64, b: f64) -> f64 {
    ((x - a) / (b - a)).clamp(0.0, 1.0)
}

/// Volume-weighted sums of `N` quantities over one region.
#[derive(Clone, Copy)]
struct Acc<const N: usize> {
    vol: f64,
    sum: [f64; N],
}

impl<const N: usize> Acc<N> {
    fn new() -> Self {
        Acc {
            vol: 0.0,
            sum: [0.0; N],
        }
    }

    fn add(&mut self, w: f64, x: [f64; N]) {
        self.vol += w;
        for (s, v) in self.sum.iter_mut().zip(x) {
            *s += v * w;
        }
    }

    /// Mean of entry `i` (NaN when the region is empty).
    fn mean(&self, i: usize) -> f64 {
        if self.vol > 0.0 {
            self.sum[i] / self.vol
        } else {
            f64::NAN
        }
    }
}

/// Whether NP voxel `c` touches AF, or AF voxel `c` touches NP, across a face on an active axis.
fn on_border(grid: &Grid, c: usize) -> bool {
    let other = match grid.labels[c] {
        NP => AF,
        AF => NP,
        _ => return false,
    };
    grid.active_axes().iter().any(|&ax| {
        [false, true].iter().any(|&hi| {
            grid.neighbour(c, ax, hi)
                .is_some_and(|n| grid.labels[n] == other)
        })
    })
}

/// Computes the read-outs of one sample. `states` holds one state per grid voxel (void voxels are
/// ignored). Errors when the lengths differ.
pub fn disc_readouts(
    grid: &Grid,
    states: &[BiologyState],
    p: &ReadoutParams,
) -> Result<DiscBiologyReadouts, Error> {
    if states.len() != grid.len() {
        return Err(Error::Config(format!(
            "disc_readouts: grid has {} voxels but {} biology states were given",
            grid.len(),
            states.len()
        )));
    }
    let native = native_innervation(grid, p.native_af_fraction);
    // disc: V, S, ROS, IL-1b, TNF, IL-10, IL-13, NGF; disc2: M1, M2, I, Ca, Sens
    let mut disc = Acc::<8>::new();
    let mut native_volume = 0.0;
    let mut disc2 = Acc::<5>::new();
    // NP: V+S, PG, C2, C1, PG loss; AF: PG, C2, C1, disrupted
    let mut np = Acc::<6>::new();
    let mut af = Acc::<4>::new();
    // border voxels: disrupted
    let mut border = Acc::<1>::new();
    let mut innervated_layers = vec![false; grid.n[2]];
    let mut any_innervated = false;
    for (c, st) in states.iter().enumerate() {
        let lab = grid.labels[c];
        if lab != NP && lab != AF {
            continue;
        }
        let y = &st.0;
        let w = grid.volume(c);
        disc.add(
            w,
            [
                y[VIABLE],
                y[SENESCENT],
                y[ROS],
                y[IL1B],
                y[TNF],
                y[IL10],
                y[IL13],
                y[NGF],
            ],
        );
        // native fibres of the outer AF fire only when sensitised (the normal disc is insensitive);
        // ingrown fibres in the disrupted inner disc are painful in themselves (the notes' module)
        let s = p.cytokine_gain * (y[IL1B].max(0.0) + y[TNF].max(0.0));
        let n_native = if native[c] { 1.0 } else { 0.0 };
        native_volume += w * n_native;
        let sens = n_native * s + y[INNERVATION] * (1.0 + s);
        disc2.add(w, [y[M1], y[M2], y[INNERVATION], y[CALCIFICATION], sens]);
        let loss = 1.0 - y[PROTEOGLYCAN].min(y[COLLAGEN2]);
        let disrupted = ramp(loss, 0.0, p.disrupted_matrix_loss);
        if lab == NP {
            let pg_loss = (1.0 - y[PROTEOGLYCAN]).clamp(0.0, 1.0);
            np.add(
                w,
                [
                    1.0 - y[DEAD],
                    y[PROTEOGLYCAN],
                    y[COLLAGEN2],
                    y[COLLAGEN1],
                    pg_loss,
                    y[MSC].max(0.0),
                ],
            );
        } else {
            af.add(w, [y[PROTEOGLYCAN], y[COLLAGEN2], y[COLLAGEN1], disrupted]);
        }
        if on_border(grid, c) {
            border.add(w, [disrupted]);
        }
        if y[INNERVATION] >= p.innervation_threshold {
            innervated_layers[grid.ijk(c)[2]] = true;
            any_innervated = true;
        }
    }
    let depth = if any_innervated {
        ingrowth_depth(grid, states, p.innervation_threshold, &innervated_layers)
    } else {
        0.0
    };
    let m1_cells = disc2.sum[0];
    let m2_cells = disc2.sum[1];
    // histology sees every cell: native cells and engrafted MSCs
    let x_cell = (1.0 - np.mean(0) - np.mean(5)).clamp(0.0, 1.0);
    let g_af = p.af.grade(af.mean(3));
    let g_border = p.border.grade(border.mean(0));
    let g_cell = p.np_cellularity.grade(x_cell);
    let g_matrix = p.np_matrix.grade(np.mean(4));
    let score = g_af + g_border + g_cell + g_matrix;
    let sens = if native_volume > 0.0 {
        disc2.sum[4] / native_volume
    } else {
        disc2.mean(4)
    };
    Ok(DiscBiologyReadouts {
        viable_fraction: disc.mean(0),
        senescent_fraction: disc.mean(1),
        np_cell_fraction: np.mean(0),
        np_msc_fraction: np.mean(5),
        np_proteoglycan: np.mean(1),
        np_collagen2: np.mean(2),
        np_collagen1: np.mean(3),
        af_proteoglycan: af.mean(0),
        af_collagen2: af.mean(1),
        af_collagen1: af.mean(2),
        mean_ros_um: disc.mean(2),
        il1b_pg_ml: disc.mean(3),
        tnf_pg_ml: disc.mean(4),
        il10_pg_ml: disc.mean(5),
        il13_pg_ml: disc.mean(6),
        ngf_pg_ml: disc.mean(7),
        m1_cells,
        m2_cells,
        m1_m2_ratio: (m2_cells > 0.0).then(|| m1_cells / m2_cells),
        innervated_fraction: disc2.mean(2),
        nerve_ingrowth_depth_mm: depth,
        calcified_fraction: disc2.mean(3),
        histology_af_grade: g_af,
        histology_border_grade: g_border,
        histology_np_cellularity_grade: g_cell,
        histology_np_matrix_grade: g_matrix,
        histology_score: score,
        histology_normalised: (score - HISTOLOGY_MIN) / (HISTOLOGY_MAX - HISTOLOGY_MIN),
        pain_sensitisation: sens,
        pain_withdrawal_threshold_g: p.pwt_baseline_g / (1.0 + p.sensitisation_gain * sens),
    })
}

/// Half the lateral cell size (mm): the offset from a voxel centre to its outer face used by the
/// lateral depths ([`ingrowth_depth`], [`native_innervation`]).
fn half_cell(grid: &Grid) -> f64 {
    match grid.kind {
        GridKind::Axisymmetric => 0.5 * grid.h[0],
        GridKind::Cartesian3d => 0.5 * grid.h[0].min(grid.h[1]),
    }
}

/// Which voxels carry the disc's native innervation (one flag per grid voxel): AF voxels whose
/// lateral depth (centre to the outer surface of their own transverse layer, as in
/// [`ingrowth_depth`]) is at most `fraction` of that layer's AF thickness (the largest AF depth
/// of the layer plus half a cell). Nociceptive fibres of the normal disc reach only the outer
/// annulus (outermost 1-3 mm in man, Adams & Roughley 2006 Spine 31:2151; see
/// `readout.nerve.native_af_fraction`).
pub fn native_innervation(grid: &Grid, fraction: f64) -> Vec<bool> {
    let [nx, ny, nz] = grid.n;
    let half = half_cell(grid);
    let mut out = vec![false; grid.len()];
    let mut d2 = vec![0.0; nx * ny];
    let mut scratch = Scratch::default();
    for k in 0..nz {
        let base = k * nx * ny;
        if !(0..nx * ny).any(|m| grid.labels[base + m] == AF) {
            continue;
        }
        layer_distance2(grid, k, &mut d2, &mut scratch);
        let depth = |m: usize| (d2[m].sqrt() - half).max(0.0);
        let thickness = (0..nx * ny)
            .filter(|&m| grid.labels[base + m] == AF)
            .map(|m| depth(m) + half)
            .fold(0.0, f64::max);
        for m in 0..nx * ny {
            out[base + m] = grid.labels[base + m] == AF && depth(m) <= fraction * thickness;
        }
    }
    out
}

/// Largest lateral depth (mm) of an NP/AF voxel with innervation >= `threshold`, over the layers
/// flagged in `layers`. The depth of a voxel is the distance from its centre to the nearest
/// outside point of its own transverse layer (void voxels, and the region beyond the grid's lateral
/// sides; the axis r = 0 of an axisymmetric grid is not a surface), measured to the nearest
/// outside voxel's centre less half a cell: exact when that surface is axis-aligned (and, on a
/// Cartesian grid, the cells are square in x-y).
fn ingrowth_depth(grid: &Grid, states: &[BiologyState], threshold: f64, layers: &[bool]) -> f64 {
    let [nx, ny, _] = grid.n;
    let half = half_cell(grid);
    let mut d2 = vec![0.0; nx * ny];
    let mut scratch = Scratch::default();
    let mut deepest: f64 = 0.0;
    for (k, _) in layers.iter().enumerate().filter(|(_, &f)| f) {
        layer_distance2(grid, k, &mut d2, &mut scratch);
        for (m, &dd) in d2.iter().enumerate() {
            let c = k * nx * ny + m;
            let lab = grid.labels[c];
            if (lab == NP || lab == AF) && states[c].0[INNERVATION] >= threshold {
                deepest = deepest.max(dd.sqrt() - half);
            }
        }
    }
    deepest.max(0.0)
}

#[derive(Default)]
struct Scratch {
    pos: Vec<f64>,
    f: Vec<f64>,
    queries: Vec<f64>,
    out: Vec<f64>,
    v: Vec<usize>,
    z: Vec<f64>,
}

/// Squared lateral distance (mm^2) from each voxel centre of layer `k` to the nearest outside
/// voxel centre of the layer (see [`ingrowth_depth`]), into `d2[j * nx + i]`.
fn layer_distance2(grid: &Grid, k: usize, d2: &mut [f64], s: &mut Scratch) {
    let [nx, ny, _] = grid.n;
    let base = k * nx * ny;
    let xc = |i: isize| grid.origin[0] + (i as f64 + 0.5) * grid.h[0];
    let yc = |j: isize| grid.origin[1] + (j as f64 + 0.5) * grid.h[1];
    // pass 1: along axis 0 (x or r), nearest outside site of the row
    let lo_open = match grid.kind {
        GridKind::Axisymmetric => grid.origin[0] > 0.0,
        GridKind::Cartesian3d => true,
    };
    for j in 0..ny {
        let row = &mut d2[j * nx..(j + 1) * nx];
        // forward sweep: distance to the last outside site at or before i
        let mut last: Option<f64> = lo_open.then(|| xc(-1));
        for (i, r) in row.iter_mut().enumerate() {
            let x = xc(i as isize);
            if grid.labels[base + j * nx + i] == VOID {
                last = Some(x);
            }
            *r = last.map_or(f64::INFINITY, |l| (x - l).abs());
        }
        // backward sweep; the high side beyond the grid is always outside
        let mut next = xc(nx as isize);
        for (i, r) in row.iter_mut().enumerate().rev() {
            let x = xc(i as isize);
            if grid.labels[base + j * nx + i] == VOID {
                next = x;
            }
            let dx = r.min(next - x);
            *r = dx * dx;
        }
    }
    if grid.kind == GridKind::Axisymmetric {
        return;
    }
    // pass 2: along y, lower envelope of parabolas (Felzenszwalb & Huttenlocher 2012), with the
    // regions beyond both y sides of the grid outside
    for i in 0..nx {
        s.pos.clear();
        s.f.clear();
        s.queries.clear();
        s.pos.push(yc(-1));
        s.f.push(0.0);
        for j in 0..ny {
            s.pos.push(yc(j as isize));
            s.f.push(d2[j * nx + i]);
            s.queries.push(yc(j as isize));
        }
        s.pos.push(yc(ny as isize));
        s.f.push(0.0);
        lower_envelope(s);
        for j in 0..ny {
            d2[j * nx + i] = s.out[j];
        }
    }
}

/// `out[q] = min_s (queries[q] - pos[s])^2 + f[s]` for sorted, distinct `pos`, finite `f` and
/// sorted `queries`, in O(sites + queries).
fn lower_envelope(s: &mut Scratch) {
    let n = s.pos.len();
    s.v.clear();
    s.v.resize(n, 0);
    s.z.clear();
    s.z.resize(n + 1, 0.0);
    s.out.clear();
    s.out.resize(s.queries.len(), f64::INFINITY);
    if n == 0 {
        return;
    }
    let (pos, f, v, z) = (&s.pos, &s.f, &mut s.v, &mut s.z);
    let meet = |a: usize, b: usize| {
        ((f[a] + pos[a] * pos[a]) - (f[b] + pos[b] * pos[b])) / (2.0 * (pos[a] - pos[b]))
    };
    let mut k = 0usize;
    v[0] = 0;
    z[0] = f64::NEG_INFINITY;
    z[1] = f64::INFINITY;
    for q in 1..n {
        let mut x = meet(q, v[k]);
        while x <= z[k] && k > 0 {
            k -= 1;
            x = meet(q, v[k]);
        }
        k += 1;
        v[k] = q;
        z[k] = x;
        z[k + 1] = f64::INFINITY;
    }
    let mut k = 0usize;
    for (o, &x) in s.out.iter_mut().zip(&s.queries) {
        while z[k + 1] < x {
            k += 1;
        }
        let d = x - pos[v[k]];
        *o = d * d + f[v[k]];
    }
}
