//! Structured finite-volume grids: 2-D axisymmetric (r, z) and 3-D Cartesian.
//!
//! Both kinds are tensor-product grids of cells indexed `(i, j, k)` with linear index
//! `idx = (k * ny + j) * nx + i`. The only difference between the kinds is the metric:
//! the ratio of face area to cell volume along each axis ([`AxisMetric`]). The transport
//! engine works on this one interface, so every solver runs on either kind.
//!
//! Lengths are in millimetres (mm) throughout.

/// Tissue label stored per voxel (`u8`). Label 0 is "outside the tissue" (void).
pub type Label = u8;

/// Maximum number of distinct labels a grid may use (labels `0..MAX_LABELS`).
pub const MAX_LABELS: usize = 8;

/// Outside the tissue: no unknowns; faces towards it are boundary faces.
pub const VOID: Label = 0;
/// Nucleus pulposus.
pub const NP: Label = 1;
/// Annulus fibrosus.
pub const AF: Label = 2;
/// Cartilage endplate (both layers).
pub const CEP: Label = 3;
/// Cartilage endplate whose interface with the vertebra is sealed (calcified): same tissue,
/// no supply through its bony face.
pub const CEP_SEALED: Label = 4;
/// Spinal cord grey matter (neuronal cell bodies; perfused, high metabolic rate).
pub const GREY: Label = 5;
/// Spinal cord white matter (myelinated tracts; perfused, lower metabolic rate).
pub const WHITE: Label = 6;
/// Cerebrospinal fluid of the subarachnoid space around the cord; its outer boundary is the dura.
pub const CSF: Label = 7;

/// Every tissue label in use (all but [`VOID`]), in label order.
pub const TISSUE_LABELS: [Label; 7] = [NP, AF, CEP, CEP_SEALED, GREY, WHITE, CSF];

/// Human-readable tissue name of a label.
pub fn label_name(l: Label) -> &'static str {
    match l {
        VOID => "void",
        NP => "NP",
        AF => "AF",
        CEP => "CEP",
        CEP_SEALED => "CEP_sealed",
        GREY => "GM",
        WHITE => "WM",
        CSF => "CSF",
        _ => "other",
    }
}

/// Which geometry the grid discretises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GridKind {
    /// Axisymmetric: axis 0 is the radius r (mm), axis 1 is unused (ny = 1), axis 2 is z (mm).
    Axisymmetric,
    /// Cartesian 3-D: axes 0, 1, 2 are x, y, z (mm).
    Cartesian3d,
}

/// Face-area-to-cell-volume ratios along one axis, per cell position on that axis (1/mm).
///
/// For a Cartesian axis with spacing h both are `1/h`. For the radial axis of an
/// axisymmetric grid, `lo[i] = 2 r_{i-1/2} / (r_{i+1/2}^2 - r_{i-1/2}^2)` and
/// `hi[i] = 2 r_{i+1/2} / (r_{i+1/2}^2 - r_{i-1/2}^2)`, so `lo[0] = 0` (the axis carries no flux).
#[derive(Debug, Clone, PartialEq)]
pub struct AxisMetric {
    /// A/V of the low face of cell i (1/mm).
    pub lo: Vec<f64>,
    /// A/V of the high face of cell i (1/mm).
    pub hi: Vec<f64>,
}

/// A labelled structured grid.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Geometry kind.
    pub kind: GridKind,
    /// Number of cells along each axis `[nx, ny, nz]`.
    pub n: [usize; 3],
    /// Cell spacing along each axis (mm). For the axisymmetric kind `h[1]` is unused (set to 1).
    pub h: [f64; 3],
    /// Coordinates of the low corner of cell (0,0,0) (mm).
    pub origin: [f64; 3],
    /// Tissue label per cell, length `nx*ny*nz`.
    pub labels: Vec<Label>,
    /// Metric per axis.
    pub metric: [AxisMetric; 3],
}

impl Grid {
    /// Creates a grid of the given kind, size and spacing, with every cell labelled `fill`.
    pub fn new(kind: GridKind, n: [usize; 3], h: [f64; 3], origin: [f64; 3], fill: Label) -> Self {
        let n = match kind {
            GridKind::Axisymmetric => [n[0], 1, n[2]],
            GridKind::Cartesian3d => n,
        };
        let h = match kind {
            GridKind::Axisymmetric => [h[0], 1.0, h[2]],
            GridKind::Cartesian3d => h,
        };
        let cart = |nn: usize, hh: f64| AxisMetric {
            lo: vec![1.0 / hh; nn],
            hi: vec![1.0 / hh; nn],
        };
        let m0 = match kind {
            GridKind::Cartesian3d => cart(n[0], h[0]),
            GridKind::Axisymmetric => {
                let mut lo = Vec::with_capacity(n[0]);
                let mut hi = Vec::with_capacity(n[0]);
                for i in 0..n[0] {
                    let rm = origin[0] + i as f64 * h[0];
                    let rp = rm + h[0];
                    let den = rp * rp - rm * rm;
                    lo.push(2.0 * rm / den);
                    hi.push(2.0 * rp / den);
                }
                AxisMetric { lo, hi }
            }
        };
        let m1 = match kind {
            GridKind::Cartesian3d => cart(n[1], h[1]),
            GridKind::Axisymmetric => AxisMetric {
                lo: vec![0.0],
                hi: vec![0.0],
            },
        };
        let m2 = cart(n[2], h[2]);
        Grid {
            kind,
            n,
            h,
            origin,
            labels: vec![fill; n[0] * n[1] * n[2]],
            metric: [m0, m1, m2],
        }
    }

    /// Total number of cells (including void cells).
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when the grid has no cells.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Linear index of cell (i, j, k).
    #[inline]
    pub fn idx(&self, i: usize, j: usize, k: usize) -> usize {
        (k * self.n[1] + j) * self.n[0] + i
    }

    /// Cell (i, j, k) of a linear index.
    #[inline]
    pub fn ijk(&self, idx: usize) -> [usize; 3] {
        let i = idx % self.n[0];
        let j = (idx / self.n[0]) % self.n[1];
        let k = idx / (self.n[0] * self.n[1]);
        [i, j, k]
    }

    /// Linear stride between neighbours along `axis`.
    #[inline]
    pub fn stride(&self, axis: usize) -> usize {
        match axis {
            0 => 1,
            1 => self.n[0],
            _ => self.n[0] * self.n[1],
        }
    }

    /// Cell-centre coordinate along `axis` of position `p` on that axis (mm).
    #[inline]
    pub fn centre(&self, axis: usize, p: usize) -> f64 {
        self.origin[axis] + (p as f64 + 0.5) * self.h[axis]
    }

    /// Cell volume (mm^3). Axisymmetric cells are full rings (2*pi radians).
    pub fn volume(&self, idx: usize) -> f64 {
        match self.kind {
            GridKind::Cartesian3d => self.h[0] * self.h[1] * self.h[2],
            GridKind::Axisymmetric => {
                let i = idx % self.n[0];
                let rm = self.origin[0] + i as f64 * self.h[0];
                let rp = rm + self.h[0];
                std::f64::consts::PI * (rp * rp - rm * rm) * self.h[2]
            }
        }
    }

    /// Area (mm^2) of the face of cell `idx` on `axis` (`high` selects the high side).
    pub fn face_area(&self, idx: usize, axis: usize, high: bool) -> f64 {
        let p = self.ijk(idx)[axis];
        let m = if high {
            self.metric[axis].hi[p]
        } else {
            self.metric[axis].lo[p]
        };
        m * self.volume(idx)
    }

    /// Neighbour of `idx` across its low (`high = false`) or high face on `axis`, if inside the box.
    #[inline]
    pub fn neighbour(&self, idx: usize, axis: usize, high: bool) -> Option<usize> {
        let p = self.ijk(idx)[axis];
        if high {
            (p + 1 < self.n[axis]).then(|| idx + self.stride(axis))
        } else {
            (p > 0).then(|| idx - self.stride(axis))
        }
    }

    /// Number of axes carrying fluxes (2 for axisymmetric, 3 for Cartesian).
    pub fn active_axes(&self) -> &'static [usize] {
        match self.kind {
            GridKind::Axisymmetric => &[0, 2],
            GridKind::Cartesian3d => &[0, 1, 2],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axisymmetric_volumes_sum_to_cylinder() {
        let g = Grid::new(
            GridKind::Axisymmetric,
            [10, 1, 4],
            [0.5, 1.0, 0.25],
            [0.0; 3],
            NP,
        );
        let v: f64 = (0..g.len()).map(|c| g.volume(c)).sum();
        let exact = std::f64::consts::PI * 5.0f64.powi(2) * 1.0;
        assert!((v - exact).abs() < 1e-12 * exact);
        // the axis face carries no area; the outer face has area 2 pi R dz
        assert_eq!(g.face_area(0, 0, false), 0.0);
        let outer = g.face_area(g.idx(9, 0, 0), 0, true);
        assert!((outer - 2.0 * std::f64::consts::PI * 5.0 * 0.25).abs() < 1e-12);
    }

    #[test]
    fn every_label_has_a_distinct_name() {
        let mut names: Vec<&str> = (0..MAX_LABELS as Label).map(label_name).collect();
        assert!(!names.contains(&"other"), "{names:?}");
        assert_eq!(label_name(GREY), "GM");
        assert_eq!(label_name(WHITE), "WM");
        assert_eq!(label_name(CSF), "CSF");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), MAX_LABELS);
        assert_eq!(TISSUE_LABELS.len(), MAX_LABELS - 1);
        assert!(TISSUE_LABELS
            .iter()
            .all(|&l| (l as usize) < MAX_LABELS && l != VOID));
    }

    #[test]
    fn index_round_trip() {
        let g = Grid::new(GridKind::Cartesian3d, [3, 4, 5], [1.0; 3], [0.0; 3], AF);
        for c in 0..g.len() {
            let [i, j, k] = g.ijk(c);
            assert_eq!(g.idx(i, j, k), c);
        }
    }
}
