//! Species/level presets and the labelled disc geometry (NP, AF, two CEP layers).
//!
//! Dimensions come from the parameter registry (`anatomy.<preset>.*`, mm); degeneration grade
//! (Pfirrmann I-V) scales the height between the endplates and sets NP water, cell density and CEP
//! exchange (`degeneration.grade<N>.*`).
//!
//! Geometry conventions:
//! * the disc occupies `0 <= z <= H` (H = total height including both CEPs);
//! * the CEPs are layers of thickness `t_CEP` at the top and bottom, covering the NP and inner AF
//!   out to `cep_width_fraction` of the disc radius (the outer AF inserts into the bony ring);
//! * the NP spans the height between the CEPs, out to `np_width_fraction` of the disc radius;
//! * axisymmetric grids use the area-equivalent radius `R = sqrt(W D) / 2` of the W x D ellipse.

pub mod cord;

use crate::grid::{Grid, GridKind, AF, CEP, CEP_SEALED, NP, VOID};
use crate::scenario::Shape;

/// The species/level presets available.
pub const PRESETS: &[&str] = &[
    "human_l4l5",
    "rat_caudal",
    "rat_lumbar",
    "mouse_lumbar",
    "rabbit_lumbar",
    "sheep_lumbar",
    "bovine_caudal",
];

/// Disc dimensions of one preset (mm unless stated).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiscGeometry {
    /// Total disc height including both CEPs (mm).
    pub disc_height: f64,
    /// Lateral width (mm).
    pub lateral_width: f64,
    /// Antero-posterior depth (mm).
    pub ap_depth: f64,
    /// NP width as a fraction of the disc width (dimensionless).
    pub np_width_fraction: f64,
    /// Thickness of each CEP layer (mm).
    pub cep_thickness: f64,
    /// Radial extent of the CEP as a fraction of the disc radius (dimensionless).
    pub cep_width_fraction: f64,
}

impl DiscGeometry {
    /// Area-equivalent radius of the elliptic cross-section (mm).
    pub fn equivalent_radius(&self) -> f64 {
        0.5 * (self.lateral_width * self.ap_depth).sqrt()
    }
}

/// What was actually built, after snapping to the grid (mm).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BuiltGeometry {
    /// Disc height on the grid (mm).
    pub disc_height: f64,
    /// CEP thickness on the grid (mm).
    pub cep_thickness: f64,
    /// Cells per axis.
    pub cells: [usize; 3],
    /// Tissue volume per label: NP, AF, CEP (mm^3).
    pub volume_np: f64,
    /// AF volume (mm^3).
    pub volume_af: f64,
    /// CEP volume, open and sealed (mm^3).
    pub volume_cep: f64,
    /// Fraction of the CEP (by volume, equal to the interface area fraction) left open on the grid.
    pub cep_open_fraction: f64,
}

/// Where the CEP-vertebra interface stays open when the exchange area (EA) falls.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExchangePattern {
    /// Sealing advances from the rim of the CEP inwards: the open interface is a central region
    /// holding the fraction EA of the CEP area (permeability is lowest peripherally: Maroudas et al. 1975).
    Central,
    /// Sealing advances from the centre outwards: the open interface is an outer annulus.
    Peripheral,
    /// Homogenised: every CEP face stays open and its conductance is multiplied by EA
    /// (finely dispersed marrow contacts).
    Uniform,
}

/// Builds the labelled grid of a disc; `height_factor` scales the height between the CEPs
/// (degeneration); `(pattern, ea)` seals part of the CEP-bone interface (label CEP_SEALED) for the
/// `Central` and `Peripheral` patterns. Errors name the setting and the limits when the spacing
/// cannot resolve the geometry.
pub fn build_grid(
    g: &DiscGeometry,
    height_factor: f64,
    kind: GridKind,
    spacing: f64,
    shape: Shape,
    pattern: ExchangePattern,
    ea: f64,
) -> Result<(Grid, BuiltGeometry), String> {
    // CEP label at normalised radius rho (fraction of the disc radius)
    let cep_label = |rho: f64| -> u8 {
        let rel = rho / g.cep_width_fraction;
        let open = match pattern {
            ExchangePattern::Uniform => true,
            ExchangePattern::Central => rel * rel <= ea,
            ExchangePattern::Peripheral => rel * rel >= 1.0 - ea,
        };
        if open {
            CEP
        } else {
            CEP_SEALED
        }
    };
    let inner = (g.disc_height - 2.0 * g.cep_thickness) * height_factor;
    if inner <= 0.0 {
        return Err(format!(
            "disc height {} mm is not larger than two CEP layers of {} mm",
            g.disc_height, g.cep_thickness
        ));
    }
    let n_cep = (g.cep_thickness / spacing).round() as usize;
    if n_cep < 1 {
        return Err(format!(
            "grid.spacing = {spacing} mm is coarser than the CEP thickness {} mm: use at most {:.3} mm",
            g.cep_thickness,
            g.cep_thickness / 1.0
        ));
    }
    let n_inner = (inner / spacing).round() as usize;
    if n_inner < 4 {
        return Err(format!(
            "grid.spacing = {spacing} mm gives {n_inner} cells between the endplates (height {inner:.3} mm); need at least 4: use at most {:.4} mm",
            inner / 4.0
        ));
    }
    let nz = n_inner + 2 * n_cep;
    let max_cells = 40_000_000usize;
    let (grid, cells) = match kind {
        GridKind::Axisymmetric => {
            let r = g.equivalent_radius();
            let nr = (r / spacing).round().max(1.0) as usize;
            if nr < 4 {
                return Err(format!("grid.spacing = {spacing} mm gives only {nr} cells across the disc radius {r:.3} mm; need at least 4"));
            }
            if nr * nz > max_cells {
                return Err(format!(
                    "grid.spacing = {spacing} mm gives {} cells (limit {max_cells})",
                    nr * nz
                ));
            }
            let mut grid = Grid::new(kind, [nr, 1, nz], [spacing, 1.0, spacing], [0.0; 3], VOID);
            let r_np = g.np_width_fraction * r;
            let r_cep = g.cep_width_fraction * r;
            for k in 0..nz {
                for i in 0..nr {
                    let rc = grid.centre(0, i);
                    let in_cep_layer = k < n_cep || k >= nz - n_cep;
                    let lab = if in_cep_layer {
                        if rc < r_cep {
                            cep_label(rc / r)
                        } else {
                            AF
                        }
                    } else if rc < r_np {
                        NP
                    } else {
                        AF
                    };
                    let c = grid.idx(i, 0, k);
                    grid.labels[c] = lab;
                }
            }
            (grid, [nr, 1, nz])
        }
        GridKind::Cartesian3d => {
            let a = 0.5 * g.lateral_width;
            let b = 0.5 * g.ap_depth;
            let nx = (2.0 * a / spacing).round().max(1.0) as usize;
            let ny = (2.0 * b / spacing).round().max(1.0) as usize;
            if nx < 4 || ny < 4 {
                return Err(format!("grid.spacing = {spacing} mm gives only {nx} x {ny} cells across the disc; need at least 4"));
            }
            if nx * ny * nz > max_cells {
                return Err(format!(
                    "grid.spacing = {spacing} mm gives {} cells (limit {max_cells})",
                    nx * ny * nz
                ));
            }
            let origin = [
                -(nx as f64) * spacing / 2.0,
                -(ny as f64) * spacing / 2.0,
                0.0,
            ];
            let mut grid = Grid::new(kind, [nx, ny, nz], [spacing; 3], origin, VOID);
            for k in 0..nz {
                for j in 0..ny {
                    for i in 0..nx {
                        let x = grid.centre(0, i);
                        let y = grid.centre(1, j);
                        let rho = section_radius(x / a, y / b, shape);
                        let lab = if rho > 1.0 {
                            VOID
                        } else if k < n_cep || k >= nz - n_cep {
                            if rho < g.cep_width_fraction {
                                cep_label(rho)
                            } else {
                                AF
                            }
                        } else if rho < g.np_width_fraction {
                            NP
                        } else {
                            AF
                        };
                        let c = grid.idx(i, j, k);
                        grid.labels[c] = lab;
                    }
                }
            }
            (grid, [nx, ny, nz])
        }
    };
    let mut vol = [0.0; crate::grid::MAX_LABELS];
    for c in 0..grid.len() {
        vol[grid.labels[c] as usize] += grid.volume(c);
    }
    let cep_total = vol[CEP as usize] + vol[CEP_SEALED as usize];
    let built = BuiltGeometry {
        disc_height: nz as f64 * spacing,
        cep_thickness: n_cep as f64 * spacing,
        cells,
        volume_np: vol[NP as usize],
        volume_af: vol[AF as usize],
        volume_cep: cep_total,
        cep_open_fraction: if cep_total > 0.0 {
            vol[CEP as usize] / cep_total
        } else {
            0.0
        },
    };
    Ok((grid, built))
}

/// Normalised "radius" of a point (x/a, y/b) of the cross-section: < 1 inside the disc outline,
/// and the NP/CEP outlines are the same shape scaled by their width fractions.
/// The kidney outline is the ellipse with a posterior concavity (y < 0 is posterior): the
/// boundary is pulled in by up to 25 % of the AP semi-depth near the midline (assumption: a
/// generic bean shape, not fitted to a measured outline).
pub fn section_radius(xn: f64, yn: f64, shape: Shape) -> f64 {
    match shape {
        Shape::Ellipse => (xn * xn + yn * yn).sqrt(),
        Shape::Kidney => {
            let r = (xn * xn + yn * yn).sqrt();
            if yn >= 0.0 || r == 0.0 {
                return r;
            }
            // posterior: the outline radius along this direction shrinks with cos^2 of the angle from the -y axis
            let cos_t = -yn / r;
            let outline = 1.0 - 0.25 * cos_t.powi(4);
            r / outline
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn human() -> DiscGeometry {
        DiscGeometry {
            disc_height: 11.0,
            lateral_width: 50.1,
            ap_depth: 38.5,
            np_width_fraction: 0.64,
            cep_thickness: 0.8,
            cep_width_fraction: 0.8,
        }
    }

    #[test]
    fn axisymmetric_volumes_match_geometry() {
        let (g, b) = build_grid(
            &human(),
            1.0,
            GridKind::Axisymmetric,
            0.2,
            Shape::Ellipse,
            ExchangePattern::Uniform,
            1.0,
        )
        .unwrap();
        let r = human().equivalent_radius();
        let total = std::f64::consts::PI * (g.n[0] as f64 * 0.2).powi(2) * b.disc_height;
        assert!((b.volume_np + b.volume_af + b.volume_cep - total).abs() < 1e-9 * total);
        let np_exact =
            std::f64::consts::PI * (0.64 * r).powi(2) * (b.disc_height - 2.0 * b.cep_thickness);
        assert!(
            (b.volume_np - np_exact).abs() / np_exact < 0.03,
            "{} vs {}",
            b.volume_np,
            np_exact
        );
    }

    #[test]
    fn cartesian_ellipse_area_and_kidney_smaller() {
        let (g, b) = build_grid(
            &human(),
            1.0,
            GridKind::Cartesian3d,
            0.5,
            Shape::Ellipse,
            ExchangePattern::Uniform,
            1.0,
        )
        .unwrap();
        let area = std::f64::consts::PI * 25.05 * 19.25;
        let vol = area * b.disc_height;
        let got = b.volume_np + b.volume_af + b.volume_cep;
        assert!((got - vol).abs() / vol < 0.02, "{got} vs {vol}");
        assert!(g.labels.contains(&VOID));
        let (_, k) = build_grid(
            &human(),
            1.0,
            GridKind::Cartesian3d,
            0.5,
            Shape::Kidney,
            ExchangePattern::Uniform,
            1.0,
        )
        .unwrap();
        assert!(k.volume_af + k.volume_np < b.volume_af + b.volume_np);
    }

    #[test]
    fn coarse_spacing_is_a_clear_error() {
        let e = build_grid(
            &human(),
            1.0,
            GridKind::Axisymmetric,
            2.0,
            Shape::Ellipse,
            ExchangePattern::Uniform,
            1.0,
        )
        .unwrap_err();
        assert!(e.contains("grid.spacing"), "{e}");
    }

    #[test]
    fn central_pattern_seals_the_requested_area() {
        for ea in [0.2, 0.4, 0.7] {
            let (_, b) = build_grid(
                &human(),
                1.0,
                GridKind::Axisymmetric,
                0.1,
                Shape::Ellipse,
                ExchangePattern::Central,
                ea,
            )
            .unwrap();
            assert!(
                (b.cep_open_fraction - ea).abs() < 0.02,
                "{ea}: {}",
                b.cep_open_fraction
            );
            let (_, p) = build_grid(
                &human(),
                1.0,
                GridKind::Axisymmetric,
                0.1,
                Shape::Ellipse,
                ExchangePattern::Peripheral,
                ea,
            )
            .unwrap();
            assert!(
                (p.cep_open_fraction - ea).abs() < 0.02,
                "{ea}: {}",
                p.cep_open_fraction
            );
        }
    }

    #[test]
    fn degeneration_lowers_height() {
        let (_, a) = build_grid(
            &human(),
            1.0,
            GridKind::Axisymmetric,
            0.1,
            Shape::Ellipse,
            ExchangePattern::Uniform,
            1.0,
        )
        .unwrap();
        let (_, b) = build_grid(
            &human(),
            0.6,
            GridKind::Axisymmetric,
            0.1,
            Shape::Ellipse,
            ExchangePattern::Uniform,
            1.0,
        )
        .unwrap();
        let inner_a = a.disc_height - 2.0 * a.cep_thickness;
        let inner_b = b.disc_height - 2.0 * b.cep_thickness;
        assert!((inner_b / inner_a - 0.6).abs() < 0.02);
    }
}
