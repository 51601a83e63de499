//! Spinal cord geometry: species/level presets and the labelled cord grid (grey matter, white
//! matter, CSF).
//!
//! Dimensions come from the parameter registry (`cord.<preset>.*`, mm). The cord runs along z;
//! the lesion epicentre is at z = 0, in the middle of the modelled segment (`-L/2 <= z <= L/2`).
//!
//! Cross-section (concentric, no butterfly shape):
//! * **axisymmetric** (r, z): the cord is the circle of the same area as the T x AP ellipse,
//!   radius `R = sqrt(T * AP) / 2`; the grey core is the concentric circle holding the
//!   grey-area fraction `f` of it, `r_g = R sqrt(f)`; white matter fills `r_g <= r < R`; CSF
//!   fills `R <= r < R + t_csf`; the dura is the outer boundary of the CSF (the outer face of the
//!   box). All three radii are snapped to whole cells, and [`BuiltCord`] reports the snapped values;
//! * **3-D Cartesian** (x lateral, y antero-posterior, z axial): the cord is the ellipse with
//!   semi-axes `T/2, AP/2`; the grey core the concentric ellipse scaled by `sqrt(f)`; the CSF the
//!   ellipse with semi-axes `T/2 + t_csf, AP/2 + t_csf`; void (no unknowns) beyond. Cells are
//!   labelled by their centre.

use crate::grid::{Grid, GridKind, Label, CSF, GREY, MAX_LABELS, VOID, WHITE};
use crate::params::Registry;
use crate::Error;

/// The cord presets available (registry names `cord.<preset>.*`).
pub const CORD_PRESETS: &[&str] = &["mouse_thoracic", "rat_thoracic", "human_cervical"];

/// Minimum number of cells across the smaller semi-axis of the grey core (`sqrt(f) min(T, AP)/2`);
/// the same limit applies to both grid kinds so that one spacing works for either.
pub const MIN_CELLS_GREY_RADIUS: usize = 3;

/// Largest grid the builder accepts (cells).
pub const MAX_CELLS: usize = 40_000_000;

/// Cord dimensions of one preset (mm unless stated).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CordGeometry {
    /// Transverse (left-right) cord diameter T (mm).
    pub transverse_diameter: f64,
    /// Antero-posterior cord diameter AP (mm).
    pub ap_diameter: f64,
    /// Grey-matter fraction of the cord cross-sectional area (dimensionless, 0..1).
    pub grey_area_fraction: f64,
    /// Radial thickness of the CSF (subarachnoid) layer (mm).
    pub csf_thickness: f64,
    /// Dura thickness (mm); not resolved by the grid (for the dural boundary conductance).
    pub dura_thickness: f64,
    /// Length of the modelled segment along the cord axis, centred on the epicentre (mm).
    pub segment_length: f64,
}

impl CordGeometry {
    /// Reads preset `preset` (one of [`CORD_PRESETS`]) from the registry (`cord.<preset>.*`).
    pub fn from_registry(reg: &Registry, preset: &str) -> Result<Self, Error> {
        if !CORD_PRESETS.contains(&preset) {
            return Err(Error::Config(format!(
                "unknown cord preset '{preset}'; allowed: {}",
                CORD_PRESETS.join(", ")
            )));
        }
        let get = |key: &str, unit: &str| reg.value_in(&format!("cord.{preset}.{key}"), unit);
        let g = CordGeometry {
            transverse_diameter: get("transverse_diameter", "mm")?,
            ap_diameter: get("ap_diameter", "mm")?,
            grey_area_fraction: get("grey_area_fraction", "1")?,
            csf_thickness: get("csf_thickness", "mm")?,
            dura_thickness: get("dura_thickness", "mm")?,
            segment_length: get("segment_length", "mm")?,
        };
        g.validate()?;
        Ok(g)
    }

    /// Checks that every dimension is finite and positive and the grey fraction lies in (0, 1).
    pub fn validate(&self) -> Result<(), Error> {
        let pos = [
            ("cord.transverse_diameter", self.transverse_diameter),
            ("cord.ap_diameter", self.ap_diameter),
            ("cord.csf_thickness", self.csf_thickness),
            ("cord.dura_thickness", self.dura_thickness),
            ("cord.segment_length", self.segment_length),
        ];
        for (name, v) in pos {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::Config(format!(
                    "{name} = {v} mm; must be a finite length > 0 mm"
                )));
            }
        }
        let f = self.grey_area_fraction;
        if !(f.is_finite() && f > 0.0 && f < 1.0) {
            return Err(Error::Config(format!(
                "cord.grey_area_fraction = {f}; must lie strictly between 0 and 1"
            )));
        }
        Ok(())
    }

    /// Radius of the circle with the area of the T x AP ellipse, `sqrt(T AP)/2` (mm).
    pub fn equivalent_radius(&self) -> f64 {
        0.5 * (self.transverse_diameter * self.ap_diameter).sqrt()
    }

    /// Radius of the area-equivalent grey core, `R sqrt(f)` (mm).
    pub fn grey_radius(&self) -> f64 {
        self.equivalent_radius() * self.grey_area_fraction.sqrt()
    }

    /// Cord cross-sectional area `pi T AP / 4` (mm^2).
    pub fn cord_area(&self) -> f64 {
        std::f64::consts::PI * self.transverse_diameter * self.ap_diameter / 4.0
    }

    /// Largest grid spacing that puts [`MIN_CELLS_GREY_RADIUS`] cells across the smaller grey
    /// semi-axis (mm). (The area-equivalent grey radius is never smaller than that semi-axis.)
    pub fn max_spacing(&self) -> f64 {
        let minor = 0.5 * self.transverse_diameter.min(self.ap_diameter);
        minor * self.grey_area_fraction.sqrt() / MIN_CELLS_GREY_RADIUS as f64
    }
}

/// What was built on the grid (mm, mm^3).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BuiltCord {
    /// Grid kind.
    pub kind: GridKind,
    /// Cells per axis.
    pub cells: [usize; 3],
    /// Grid spacing (mm).
    pub spacing: f64,
    /// Grey-core radius on the grid (mm): snapped (axisymmetric) or area-equivalent target (3-D).
    pub grey_radius: f64,
    /// Cord (pia) radius on the grid (mm), same convention.
    pub cord_radius: f64,
    /// Outer CSF radius, i.e. the inner surface of the dura (mm), same convention.
    pub csf_outer_radius: f64,
    /// Segment length on the grid (mm); the grid spans `-L/2 <= z <= L/2`.
    pub segment_length: f64,
    /// Grey-matter volume (mm^3).
    pub volume_grey: f64,
    /// White-matter volume (mm^3).
    pub volume_white: f64,
    /// CSF volume (mm^3).
    pub volume_csf: f64,
    /// Grey fraction of the cord volume on the grid (dimensionless).
    pub grey_fraction: f64,
}

fn spacing_error(spacing: f64, why: String, g: &CordGeometry) -> Error {
    Error::Config(format!(
        "grid.spacing = {spacing} mm {why}; allowed: 0 < grid.spacing <= {:.4} mm for this cord \
         (at least {MIN_CELLS_GREY_RADIUS} cells across the smaller grey semi-axis)",
        g.max_spacing()
    ))
}

/// Builds the labelled grid of a cord segment (labels [`GREY`], [`WHITE`], [`CSF`], [`VOID`]).
///
/// `spacing` is the cell size (mm) on every axis. Errors name `grid.spacing` and its allowed range
/// when the grey core gets fewer than [`MIN_CELLS_GREY_RADIUS`] cells across its smaller semi-axis
/// ([`CordGeometry::max_spacing`]), when the
/// CSF or the segment gets no cell, or when the grid would exceed [`MAX_CELLS`].
pub fn build_cord_grid(
    g: &CordGeometry,
    kind: GridKind,
    spacing: f64,
) -> Result<(Grid, BuiltCord), Error> {
    g.validate()?;
    if !(spacing.is_finite() && spacing > 0.0) {
        return Err(spacing_error(spacing, "is not a positive length".into(), g));
    }
    if spacing > g.max_spacing() * (1.0 + 1e-12) {
        return Err(spacing_error(
            spacing,
            format!(
                "puts fewer than {MIN_CELLS_GREY_RADIUS} cells across the grey core (smaller semi-axis {:.4} mm)",
                g.max_spacing() * MIN_CELLS_GREY_RADIUS as f64
            ),
            g,
        ));
    }
    let n_csf = (g.csf_thickness / spacing).round() as usize;
    if n_csf < 1 {
        return Err(Error::Config(format!(
            "grid.spacing = {spacing} mm is coarser than twice the CSF thickness {} mm \
             (cord.csf_thickness): the CSF gets no cell; use grid.spacing <= {:.4} mm",
            g.csf_thickness,
            (2.0 * g.csf_thickness).min(g.max_spacing())
        )));
    }
    let nz = (g.segment_length / spacing).round() as usize;
    if nz < 2 {
        return Err(Error::Config(format!(
            "grid.spacing = {spacing} mm gives {nz} cells along the segment length {} mm \
             (cord.segment_length); need at least 2",
            g.segment_length
        )));
    }
    let len_z = nz as f64 * spacing;
    let (grid, radii) = match kind {
        GridKind::Axisymmetric => axisymmetric(g, spacing, n_csf, nz)?,
        GridKind::Cartesian3d => cartesian(g, spacing, nz)?,
    };
    let mut vol = [0.0; MAX_LABELS];
    for c in 0..grid.len() {
        vol[grid.labels[c] as usize] += grid.volume(c);
    }
    let (vg, vw, vc) = (vol[GREY as usize], vol[WHITE as usize], vol[CSF as usize]);
    let built = BuiltCord {
        kind,
        cells: grid.n,
        spacing,
        grey_radius: radii[0],
        cord_radius: radii[1],
        csf_outer_radius: radii[2],
        segment_length: len_z,
        volume_grey: vg,
        volume_white: vw,
        volume_csf: vc,
        grey_fraction: if vg + vw > 0.0 { vg / (vg + vw) } else { 0.0 },
    };
    Ok((grid, built))
}

fn check_size(spacing: f64, cells: usize) -> Result<(), Error> {
    if cells > MAX_CELLS {
        return Err(Error::Config(format!(
            "grid.spacing = {spacing} mm gives {cells} cells (limit {MAX_CELLS}); use a coarser spacing"
        )));
    }
    Ok(())
}

fn axisymmetric(
    g: &CordGeometry,
    h: f64,
    n_csf: usize,
    nz: usize,
) -> Result<(Grid, [f64; 3]), Error> {
    let n_grey = ((g.grey_radius() / h).round() as usize).max(MIN_CELLS_GREY_RADIUS);
    let n_cord = ((g.equivalent_radius() / h).round() as usize).max(n_grey + 1);
    let nr = n_cord + n_csf;
    check_size(h, nr * nz)?;
    let origin = [0.0, 0.0, -(nz as f64) * h / 2.0];
    let mut grid = Grid::new(
        GridKind::Axisymmetric,
        [nr, 1, nz],
        [h, 1.0, h],
        origin,
        VOID,
    );
    for k in 0..nz {
        for i in 0..nr {
            let lab: Label = if i < n_grey {
                GREY
            } else if i < n_cord {
                WHITE
            } else {
                CSF
            };
            let c = grid.idx(i, 0, k);
            grid.labels[c] = lab;
        }
    }
    let r = |n: usize| n as f64 * h;
    Ok((grid, [r(n_grey), r(n_cord), r(nr)]))
}

fn cartesian(g: &CordGeometry, h: f64, nz: usize) -> Result<(Grid, [f64; 3]), Error> {
    let a = 0.5 * g.transverse_diameter;
    let b = 0.5 * g.ap_diameter;
    let t = g.csf_thickness;
    let s = g.grey_area_fraction.sqrt();
    // one void cell beyond the CSF on each side keeps the dura off the box edge
    let nx = 2 * (((a + t) / h).ceil() as usize + 1);
    let ny = 2 * (((b + t) / h).ceil() as usize + 1);
    check_size(h, nx * ny * nz)?;
    let origin = [
        -(nx as f64) * h / 2.0,
        -(ny as f64) * h / 2.0,
        -(nz as f64) * h / 2.0,
    ];
    let mut grid = Grid::new(GridKind::Cartesian3d, [nx, ny, nz], [h; 3], origin, VOID);
    let inside = |x: f64, y: f64, ax: f64, by: f64| (x / ax).powi(2) + (y / by).powi(2) < 1.0;
    let mut section = vec![VOID; nx * ny];
    for j in 0..ny {
        for i in 0..nx {
            let (x, y) = (grid.centre(0, i), grid.centre(1, j));
            section[j * nx + i] = if inside(x, y, s * a, s * b) {
                GREY
            } else if inside(x, y, a, b) {
                WHITE
            } else if inside(x, y, a + t, b + t) {
                CSF
            } else {
                VOID
            };
        }
    }
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let c = grid.idx(i, j, k);
                grid.labels[c] = section[j * nx + i];
            }
        }
    }
    let r_cord = g.equivalent_radius();
    let r_out = ((a + t) * (b + t)).sqrt();
    Ok((grid, [r_cord * s, r_cord, r_out]))
}

#[cfg(test)]
#[path = "cord_tests.rs"]
mod tests;
