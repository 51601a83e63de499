//! Cord-level read-outs of a spinal cord injury computed from the per-voxel secondary-injury
//! fields on the cord grid: lesion volume and length, spared white and grey matter at the
//! epicentre and along the cord, neuron and oligodendrocyte survival, glial scar volume,
//! macrophage, microglia and neutrophil counts with the M1/M2 ratios, chemokine and cytokine means,
//! and the locomotor scores of [`super::locomotor`]. Definitions are in `docs/cord.md`
//! ("Read-outs"); constants come from the registry (`sci.lesion.*`, `sci.locomotor.*`).
//!
//! Every read-out is computed over the cord parenchyma, grey + white matter voxels (labels
//! [`GREY`], [`WHITE`]); CSF and void voxels are ignored. Means are volume-weighted
//! (`sum x V / sum V`, V = voxel volume in mm^3; axisymmetric voxels are full rings); cell totals are
//! `sum c V` (cells/mm^3 x mm^3 = cells). Labels are anatomical: a voxel stays [`WHITE`] when its
//! axons die. One call is O(voxels).
//!
//! Surviving-tissue measure of a voxel: the neuron fraction `N` in grey matter, the axon
//! (spared-fibre) index `Ax` in white matter, both fractions of intact (1). It is read as a partial
//! volume: a white matter voxel with `Ax = 0.6` holds 60 % intact fibres.

use super::locomotor::LocomotorParams;
use crate::grid::{Grid, Label};
use crate::params::Registry;
use crate::units::SECONDS_PER_DAY;
use crate::Error;

/// Grey matter of the cord. Mirrors the cord grid label of the same value (grid module).
pub const GREY: Label = 5;
/// White matter of the cord. Mirrors the cord grid label of the same value (grid module).
pub const WHITE: Label = 6;
/// Cerebrospinal fluid around the cord. Mirrors the cord grid label of the same value (grid
/// module).
pub const CSF: Label = 7;

/// Every registry name the lesion read-outs read themselves (the locomotor names are in
/// [`super::locomotor::PARAMETER_NAMES`]).
pub const PARAMETER_NAMES: [&str; 1] = ["sci.lesion.survival_threshold"];

/// Fewest cells (cells) of the denominator population for which an M1/M2 ratio is reported; below
/// it the ratio is `None` (undefined: a ratio of fractions of one cell carries no information).
pub const RATIO_MIN_CELLS: f64 = 1.0;

/// Per-voxel fields of the secondary-injury biology, one value per grid voxel (same order as the
/// grid). Values on CSF and void voxels are ignored.
#[derive(Debug, Clone, Copy)]
pub struct CordFields<'a> {
    /// Neuron fraction `N`, fraction of intact (1).
    pub neuron: &'a [f64],
    /// Oligodendrocyte fraction `OL`, fraction of intact (1).
    pub oligodendrocyte: &'a [f64],
    /// Axon / spared-fibre index `Ax`, fraction of intact (1).
    pub axon: &'a [f64],
    /// Glial scar volume fraction (1).
    pub scar: &'a [f64],
    /// Unpolarised (M0) macrophages (cells/mm^3).
    pub macrophage_m0: &'a [f64],
    /// M1 macrophages (cells/mm^3).
    pub macrophage_m1: &'a [f64],
    /// M2 macrophages (cells/mm^3).
    pub macrophage_m2: &'a [f64],
    /// Resting microglia (cells/mm^3).
    pub microglia_resting: &'a [f64],
    /// M1-activated microglia (cells/mm^3).
    pub microglia_m1: &'a [f64],
    /// M2-activated microglia (cells/mm^3).
    pub microglia_m2: &'a [f64],
    /// Neutrophils (cells/mm^3).
    pub neutrophil: &'a [f64],
    /// CCL2 / MCP-1 (pg/mL), if modelled.
    pub ccl2_pg_ml: Option<&'a [f64]>,
    /// TNF-a (pg/mL), if modelled.
    pub tnf_pg_ml: Option<&'a [f64]>,
    /// IL-1b (pg/mL), if modelled.
    pub il1b_pg_ml: Option<&'a [f64]>,
    /// IL-10 (pg/mL), if modelled.
    pub il10_pg_ml: Option<&'a [f64]>,
    /// Conduction block of the surviving axons (1, fraction that does not conduct; chronic
    /// compression, [`crate::sci::injury::conduction_block`]); `None` = no block anywhere.
    pub conduction_block: Option<&'a [f64]>,
    /// Neuron loss rate `-N'` (1/s, fraction of the intact density), if computed
    /// ([`crate::sci::biology::rates::cell_loss`]).
    pub neuron_loss_per_s: Option<&'a [f64]>,
    /// Oligodendrocyte loss rate, the death term of `OL'` without repopulation (1/s), if
    /// computed.
    pub oligodendrocyte_loss_per_s: Option<&'a [f64]>,
}

impl CordFields<'_> {
    /// Checks that every field has one value per grid voxel; the error names the field.
    pub fn check_len(&self, n: usize) -> Result<(), Error> {
        let req: [(&str, &[f64]); 11] = [
            ("neuron", self.neuron),
            ("oligodendrocyte", self.oligodendrocyte),
            ("axon", self.axon),
            ("scar", self.scar),
            ("macrophage_m0", self.macrophage_m0),
            ("macrophage_m1", self.macrophage_m1),
            ("macrophage_m2", self.macrophage_m2),
            ("microglia_resting", self.microglia_resting),
            ("microglia_m1", self.microglia_m1),
            ("microglia_m2", self.microglia_m2),
            ("neutrophil", self.neutrophil),
        ];
        let opt: [(&str, Option<&[f64]>); 7] = [
            ("ccl2_pg_ml", self.ccl2_pg_ml),
            ("tnf_pg_ml", self.tnf_pg_ml),
            ("il1b_pg_ml", self.il1b_pg_ml),
            ("il10_pg_ml", self.il10_pg_ml),
            ("conduction_block", self.conduction_block),
            ("neuron_loss_per_s", self.neuron_loss_per_s),
            (
                "oligodendrocyte_loss_per_s",
                self.oligodendrocyte_loss_per_s,
            ),
        ];
        let all = req
            .iter()
            .map(|&(k, v)| (k, Some(v)))
            .chain(opt.iter().copied());
        for (name, f) in all {
            if let Some(f) = f {
                if f.len() != n {
                    return Err(Error::Config(format!(
                        "SCI read-outs: field '{name}' has {} values but the cord grid has {n} voxels",
                        f.len()
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Whether `label` is cord parenchyma (grey or white matter).
pub fn is_tissue(label: Label) -> bool {
    label == GREY || label == WHITE
}

/// Surviving-tissue measure (1) of a voxel with `label`: `neuron` in grey matter, `axon` in white
/// matter; `None` outside the parenchyma.
pub fn surviving_measure(label: Label, neuron: f64, axon: f64) -> Option<f64> {
    match label {
        GREY => Some(neuron),
        WHITE => Some(axon),
        _ => None,
    }
}

/// Constants of the SCI read-outs, from the registry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SciReadoutParams {
    /// Surviving-tissue measure (1) below which a voxel is lesion — `sci.lesion.survival_threshold`.
    pub survival_threshold: f64,
    /// Locomotor scales (`sci.locomotor.*`).
    pub locomotor: LocomotorParams,
}

impl SciReadoutParams {
    /// Reads `sci.lesion.*` and `sci.locomotor.*` from `reg`; errors name the parameter.
    pub fn from_registry(reg: &Registry) -> Result<SciReadoutParams, Error> {
        Ok(SciReadoutParams {
            survival_threshold: reg.value_in("sci.lesion.survival_threshold", "1")?,
            locomotor: LocomotorParams::from_registry(reg)?,
        })
    }

    /// The built-in registry's values.
    pub fn builtin() -> Result<SciReadoutParams, Error> {
        SciReadoutParams::from_registry(&Registry::builtin())
    }
}

/// The cells of the transverse slice (all voxels of one position `k` on the cord axis, axis 2)
/// whose centre is nearest to `z_mm` (mm); on a tie the lower slice. For the axisymmetric cord
/// grid (ny = 1) these are `k * nx + i`, i = 0..nx. Errors on an empty grid or a non-finite `z_mm`.
pub fn epicentre_cells(grid: &Grid, z_mm: f64) -> Result<Vec<usize>, Error> {
    if grid.is_empty() || !z_mm.is_finite() {
        return Err(Error::Config(format!(
            "epicentre_cells: need a non-empty grid and a finite z, got {} voxels and z = {z_mm} mm",
            grid.len()
        )));
    }
    let nz = grid.n[2];
    let mut best = 0;
    for k in 1..nz {
        if (grid.centre(2, k) - z_mm).abs() < (grid.centre(2, best) - z_mm).abs() {
            best = k;
        }
    }
    Ok(slice_cells(grid, best).collect())
}

fn slice_cells(grid: &Grid, k: usize) -> impl Iterator<Item = usize> {
    let per = grid.n[0] * grid.n[1];
    k * per..(k + 1) * per
}

/// Volume-weighted mean of `value(c)` over the voxels `c` of `cells` labelled `label` (NaN when
/// there are none). Indices beyond the grid are skipped.
fn mean_over(
    grid: &Grid,
    cells: impl Iterator<Item = usize>,
    label: Label,
    value: impl Fn(usize) -> f64,
) -> f64 {
    let (mut s, mut v) = (0.0, 0.0);
    for c in cells {
        if c < grid.len() && grid.labels[c] == label {
            let w = grid.volume(c);
            s += w * value(c);
            v += w;
        }
    }
    if v > 0.0 {
        s / v
    } else {
        f64::NAN
    }
}

/// `clamp(field[c], 0, 1)`, NaN when `c` is beyond the field.
fn unit_at(field: &[f64], c: usize) -> f64 {
    field.get(c).map_or(f64::NAN, |x| x.clamp(0.0, 1.0))
}

/// Spared white matter fraction (1) over the cells `cells` (e.g. [`epicentre_cells`]): the
/// area-weighted mean of `clamp(Ax, 0, 1)` over the white matter voxels among them (within one
/// transverse slice volume and area weights are proportional). 1 = intact; NaN without white
/// matter voxels.
pub fn spared_white_matter_fraction(grid: &Grid, axon: &[f64], cells: &[usize]) -> f64 {
    mean_over(grid, cells.iter().copied(), WHITE, |c| unit_at(axon, c))
}

/// Spared grey matter fraction (1) over `cells`: the area-weighted mean of `clamp(N, 0, 1)` over
/// the grey matter voxels among them; NaN without grey matter voxels.
pub fn spared_grey_matter_fraction(grid: &Grid, neuron: &[f64], cells: &[usize]) -> f64 {
    mean_over(grid, cells.iter().copied(), GREY, |c| unit_at(neuron, c))
}

/// Spared white matter fraction along the cord: `(z, fraction)` for every transverse slice, z the
/// slice centre (mm) and fraction as in [`spared_white_matter_fraction`] (NaN for slices without
/// white matter).
pub fn spared_white_matter_profile(grid: &Grid, axon: &[f64]) -> Vec<(f64, f64)> {
    (0..grid.n[2])
        .map(|k| {
            let f = mean_over(grid, slice_cells(grid, k), WHITE, |c| unit_at(axon, c));
            (grid.centre(2, k), f)
        })
        .collect()
}

/// Lesion volume (mm^3): total volume of the grey and white matter voxels whose surviving-tissue
/// measure ([`surviving_measure`]) is below `threshold` (1). Returns the volume and the span
/// (mm) along the cord axis from the first to the last transverse slice holding a lesion voxel
/// (0 without lesion; gaps inside the span count).
pub fn lesion_volume_and_length(
    grid: &Grid,
    neuron: &[f64],
    axon: &[f64],
    threshold: f64,
) -> (f64, f64) {
    let mut vol = 0.0;
    let mut span: Option<(usize, usize)> = None;
    for c in 0..grid.len().min(neuron.len()).min(axon.len()) {
        let Some(m) = surviving_measure(grid.labels[c], neuron[c], axon[c]) else {
            continue;
        };
        if m < threshold {
            vol += grid.volume(c);
            let k = grid.ijk(c)[2];
            span = Some(span.map_or((k, k), |(a, b)| (a.min(k), b.max(k))));
        }
    }
    let length = span.map_or(0.0, |(a, b)| (b - a + 1) as f64 * grid.h[2]);
    (vol, length)
}

/// `m1 / m2` (1) when `m2` >= [`RATIO_MIN_CELLS`]; `None` otherwise (also when either is NaN).
pub fn m1_m2_ratio(m1_cells: f64, m2_cells: f64) -> Option<f64> {
    (m2_cells >= RATIO_MIN_CELLS && m1_cells.is_finite()).then(|| m1_cells / m2_cells)
}

/// Cord-level SCI read-outs at one sample time. Tissue means are volume-weighted over grey +
/// white matter unless stated; a mean over an empty region is NaN.
#[derive(Debug, Clone, PartialEq)]
pub struct SciReadouts {
    /// Volume of grey + white matter with surviving-tissue measure below the lesion threshold
    /// (mm^3).
    pub lesion_volume_mm3: f64,
    /// Rostro-caudal span of the lesion along the cord axis (mm).
    pub lesion_length_mm: f64,
    /// Spared white matter at the epicentre: area-weighted mean of `Ax` over its white matter (1).
    pub spared_white_matter_fraction: f64,
    /// Smallest spared white matter fraction of any transverse slice along the cord (1).
    pub spared_white_matter_min_fraction: f64,
    /// Spared grey matter at the epicentre: area-weighted mean of `N` over its grey matter (1).
    pub spared_grey_matter_fraction: f64,
    /// Neuron survival, mean `N` over the grey matter of the grid (1).
    pub neuron_survival: f64,
    /// Oligodendrocyte survival, mean `OL` over the white matter of the grid (1).
    pub oligodendrocyte_survival: f64,
    /// Oligodendrocyte survival, mean `OL` over the grey matter of the grid (1).
    pub grey_oligodendrocyte_survival: f64,
    /// Neuron death rate: grey-matter neurons dying per day as a fraction of the living ones,
    /// `86400 sum(loss_N V) / sum(N V)` over the grey matter (1/d); the TUNEL- or
    /// caspase-3-positive share of the neurons is this rate times the time a dying cell stays
    /// labelled. NaN without the loss field or without living neurons.
    pub neuron_death_rate: f64,
    /// Oligodendrocyte death rate over the white matter, likewise (1/d); repopulation not
    /// subtracted.
    pub oligodendrocyte_death_rate: f64,
    /// Glial scar volume `sum scar V` (mm^3).
    pub scar_volume_mm3: f64,
    /// M0 macrophages `sum M0 V` (cells).
    pub macrophage_m0_cells: f64,
    /// M1 macrophages `sum M1 V` (cells).
    pub macrophage_m1_cells: f64,
    /// M2 macrophages `sum M2 V` (cells).
    pub macrophage_m2_cells: f64,
    /// `macrophage_m1_cells / macrophage_m2_cells` (1); `None` with fewer than
    /// [`RATIO_MIN_CELLS`] M2 macrophages.
    pub macrophage_m1_m2_ratio: Option<f64>,
    /// Resting microglia (cells).
    pub microglia_resting_cells: f64,
    /// M1 microglia (cells).
    pub microglia_m1_cells: f64,
    /// M2 microglia (cells).
    pub microglia_m2_cells: f64,
    /// `microglia_m1_cells / microglia_m2_cells` (1); `None` with fewer than [`RATIO_MIN_CELLS`]
    /// M2 microglia.
    pub microglia_m1_m2_ratio: Option<f64>,
    /// Neutrophils (cells).
    pub neutrophil_cells: f64,
    /// Myeloid cells in the lesion: monocyte-derived macrophages (M0 + M1 + M2) plus activated
    /// microglia (M1 + M2), summed over the lesion voxels (surviving-tissue measure below the
    /// lesion threshold) (cells); what Mac-1 (CD11b) or Iba1 staining counts at the lesion.
    pub lesion_myeloid_cells: f64,
    /// Share of the monocyte-derived macrophages among the lesion's myeloid cells (1), what
    /// bone-marrow chimera studies measure (Evans 2014); NaN without lesion myeloid cells.
    pub lesion_blood_derived_fraction: f64,
    /// Mean CCL2 (pg/mL); NaN when not modelled.
    pub ccl2_pg_ml: f64,
    /// Mean TNF-a (pg/mL); NaN when not modelled.
    pub tnf_pg_ml: f64,
    /// Mean IL-1b (pg/mL); NaN when not modelled.
    pub il1b_pg_ml: f64,
    /// Mean IL-10 (pg/mL); NaN when not modelled.
    pub il10_pg_ml: f64,
    /// Spared white matter at the epicentre that conducts (1): the spared fibres less those
    /// blocked by a compression, `sum Ax (1 - block) A / sum A`; equal to
    /// `spared_white_matter_fraction` without compression. The locomotor scores follow it.
    pub functional_white_matter_fraction: f64,
    /// BBB open-field score, rat (points, 0-21), from the epicentre functional white matter and
    /// the time since injury.
    pub bbb: f64,
    /// BMS open-field score, mouse (points, 0-9), likewise.
    pub bms: f64,
}

/// Column names and units of [`SciReadouts::values`], in the same order.
const COLUMNS: [(&str, &str); 29] = [
    ("lesion_volume_mm3", "mm^3"),
    ("lesion_length_mm", "mm"),
    ("spared_white_matter_fraction", "1"),
    ("spared_white_matter_min_fraction", "1"),
    ("spared_grey_matter_fraction", "1"),
    ("neuron_survival", "1"),
    ("oligodendrocyte_survival", "1"),
    ("grey_oligodendrocyte_survival", "1"),
    ("neuron_death_rate", "1/d"),
    ("oligodendrocyte_death_rate", "1/d"),
    ("scar_volume_mm3", "mm^3"),
    ("macrophage_m0_cells", "cells"),
    ("macrophage_m1_cells", "cells"),
    ("macrophage_m2_cells", "cells"),
    ("macrophage_m1_m2_ratio", "1"),
    ("microglia_resting_cells", "cells"),
    ("microglia_m1_cells", "cells"),
    ("microglia_m2_cells", "cells"),
    ("microglia_m1_m2_ratio", "1"),
    ("neutrophil_cells", "cells"),
    ("lesion_myeloid_cells", "cells"),
    ("lesion_blood_derived_fraction", "1"),
    ("ccl2_pg_ml", "pg/mL"),
    ("tnf_pg_ml", "pg/mL"),
    ("il1b_pg_ml", "pg/mL"),
    ("il10_pg_ml", "pg/mL"),
    ("functional_white_matter_fraction", "1"),
    ("bbb", "points"),
    ("bms", "points"),
];

impl SciReadouts {
    /// `(name, unit)` of every read-out column, in the order of [`Self::values`].
    pub fn columns() -> Vec<(&'static str, &'static str)> {
        COLUMNS.to_vec()
    }

    /// The read-out values in the order of [`Self::columns`]; a `None` ratio is NaN.
    pub fn values(&self) -> Vec<f64> {
        vec![
            self.lesion_volume_mm3,
            self.lesion_length_mm,
            self.spared_white_matter_fraction,
            self.spared_white_matter_min_fraction,
            self.spared_grey_matter_fraction,
            self.neuron_survival,
            self.oligodendrocyte_survival,
            self.grey_oligodendrocyte_survival,
            self.neuron_death_rate,
            self.oligodendrocyte_death_rate,
            self.scar_volume_mm3,
            self.macrophage_m0_cells,
            self.macrophage_m1_cells,
            self.macrophage_m2_cells,
            self.macrophage_m1_m2_ratio.unwrap_or(f64::NAN),
            self.microglia_resting_cells,
            self.microglia_m1_cells,
            self.microglia_m2_cells,
            self.microglia_m1_m2_ratio.unwrap_or(f64::NAN),
            self.neutrophil_cells,
            self.lesion_myeloid_cells,
            self.lesion_blood_derived_fraction,
            self.ccl2_pg_ml,
            self.tnf_pg_ml,
            self.il1b_pg_ml,
            self.il10_pg_ml,
            self.functional_white_matter_fraction,
            self.bbb,
            self.bms,
        ]
    }
}

/// The unit of an SCI read-out column, if `name` is one.
pub fn readout_unit(name: &str) -> Option<&'static str> {
    COLUMNS.iter().find(|(n, _)| *n == name).map(|(_, u)| *u)
}

/// Computes the SCI read-outs of one sample, `days_post_injury` (d) after injury. `epicentre` lists
/// the cells of the epicentre cross-section (e.g. `epicentre_cells(grid, 0.0)`). Errors when a
/// field's length differs from the grid's or an epicentre index lies outside the grid.
pub fn sci_readouts(
    grid: &Grid,
    f: &CordFields,
    epicentre: &[usize],
    days_post_injury: f64,
    p: &SciReadoutParams,
) -> Result<SciReadouts, Error> {
    let n = grid.len();
    f.check_len(n)?;
    if let Some(&c) = epicentre.iter().find(|&&c| c >= n) {
        return Err(Error::Config(format!(
            "SCI read-outs: epicentre cell {c} is outside the cord grid (0..{n})"
        )));
    }
    // volume sums over the parenchyma
    let mut vol = 0.0;
    let mut grey_vol = 0.0;
    let mut white_vol = 0.0;
    let (mut n_grey, mut ol_grey, mut ol_white) = (0.0, 0.0, 0.0);
    // dying neurons (grey) and oligodendrocytes (white), per second
    let (mut n_dying, mut ol_dying) = (0.0, 0.0);
    let at = |f: Option<&[f64]>, c: usize| f.map_or(f64::NAN, |f| f[c]);
    // scar, M0, M1, M2, rest, mg1, mg2, neutrophils
    let mut cells = [0.0; 8];
    // monocyte-derived macrophages and activated microglia in the lesion voxels
    let (mut lesion_mac, mut lesion_mg) = (0.0, 0.0);
    // ccl2, tnf, il1b, il10
    let opt = [f.ccl2_pg_ml, f.tnf_pg_ml, f.il1b_pg_ml, f.il10_pg_ml];
    let mut conc = [0.0; 4];
    for c in 0..n {
        let lab = grid.labels[c];
        if !is_tissue(lab) {
            continue;
        }
        let w = grid.volume(c);
        vol += w;
        if lab == GREY {
            grey_vol += w;
            n_grey += w * f.neuron[c];
            ol_grey += w * f.oligodendrocyte[c];
            n_dying += w * at(f.neuron_loss_per_s, c);
        } else {
            white_vol += w;
            ol_white += w * f.oligodendrocyte[c];
            ol_dying += w * at(f.oligodendrocyte_loss_per_s, c);
        }
        let x = [
            f.scar[c],
            f.macrophage_m0[c],
            f.macrophage_m1[c],
            f.macrophage_m2[c],
            f.microglia_resting[c],
            f.microglia_m1[c],
            f.microglia_m2[c],
            f.neutrophil[c],
        ];
        for (s, v) in cells.iter_mut().zip(x) {
            *s += w * v;
        }
        let in_lesion = surviving_measure(lab, f.neuron[c], f.axon[c])
            .is_some_and(|m| m < p.survival_threshold);
        if in_lesion {
            lesion_mac += w * (x[1] + x[2] + x[3]);
            lesion_mg += w * (x[5] + x[6]);
        }
        for (s, field) in conc.iter_mut().zip(opt) {
            if let Some(field) = field {
                *s += w * field[c];
            }
        }
    }
    let div = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let mean_conc = |i: usize| {
        if opt[i].is_some() {
            div(conc[i], vol)
        } else {
            f64::NAN
        }
    };
    let (lesion_volume_mm3, lesion_length_mm) =
        lesion_volume_and_length(grid, f.neuron, f.axon, p.survival_threshold);
    let spared = spared_white_matter_fraction(grid, f.axon, epicentre);
    let functional = match f.conduction_block {
        Some(b) => {
            let conducting: Vec<f64> = f
                .axon
                .iter()
                .zip(b)
                .map(|(a, b)| a.clamp(0.0, 1.0) * (1.0 - b.clamp(0.0, 1.0)))
                .collect();
            spared_white_matter_fraction(grid, &conducting, epicentre)
        }
        None => spared,
    };
    let min_spared = spared_white_matter_profile(grid, f.axon)
        .iter()
        .map(|&(_, s)| s)
        .filter(|s| !s.is_nan())
        .fold(f64::NAN, f64::min);
    Ok(SciReadouts {
        lesion_volume_mm3,
        lesion_length_mm,
        spared_white_matter_fraction: spared,
        spared_white_matter_min_fraction: min_spared,
        spared_grey_matter_fraction: spared_grey_matter_fraction(grid, f.neuron, epicentre),
        neuron_survival: div(n_grey, grey_vol),
        oligodendrocyte_survival: div(ol_white, white_vol),
        grey_oligodendrocyte_survival: div(ol_grey, grey_vol),
        neuron_death_rate: SECONDS_PER_DAY * div(n_dying, n_grey),
        oligodendrocyte_death_rate: SECONDS_PER_DAY * div(ol_dying, ol_white),
        scar_volume_mm3: cells[0],
        macrophage_m0_cells: cells[1],
        macrophage_m1_cells: cells[2],
        macrophage_m2_cells: cells[3],
        macrophage_m1_m2_ratio: m1_m2_ratio(cells[2], cells[3]),
        microglia_resting_cells: cells[4],
        microglia_m1_cells: cells[5],
        microglia_m2_cells: cells[6],
        microglia_m1_m2_ratio: m1_m2_ratio(cells[5], cells[6]),
        neutrophil_cells: cells[7],
        lesion_myeloid_cells: lesion_mac + lesion_mg,
        lesion_blood_derived_fraction: div(lesion_mac, lesion_mac + lesion_mg),
        ccl2_pg_ml: mean_conc(0),
        tnf_pg_ml: mean_conc(1),
        il1b_pg_ml: mean_conc(2),
        il10_pg_ml: mean_conc(3),
        functional_white_matter_fraction: functional,
        bbb: p.locomotor.bbb(functional, days_post_injury),
        bms: p.locomotor.bms(functional, days_post_injury),
    })
}

#[cfg(test)]
#[path = "lesion_tests.rs"]
mod tests;
