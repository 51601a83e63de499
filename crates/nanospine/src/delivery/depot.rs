//! Placing an injected volume on the grid: the cells of the target tissue nearest to the
//! injection point, taken in order of distance until their volume reaches the injected volume.

use super::spec::Site;
use crate::grid::{Grid, GridKind, Label, AF, NP, VOID};
use crate::Error;

/// The injection point of `site` (mm): NP centre, or mid-height mid-thickness AF
/// (axisymmetric: the AF ring at mid-height; 3-D: the AF on the -y side of the centre line).
fn site_point(grid: &Grid, site: Site) -> Option<[f64; 3]> {
    let label: Label = match site {
        Site::Np => NP,
        Site::Af => AF,
    };
    let centre = |axis: usize, lab: Label| -> Option<f64> {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for c in 0..grid.len() {
            if grid.labels[c] == lab {
                let x = grid.centre(axis, grid.ijk(c)[axis]);
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        lo.is_finite().then_some(0.5 * (lo + hi))
    };
    let z = centre(2, NP).or_else(|| centre(2, label))?;
    match (grid.kind, site) {
        (GridKind::Axisymmetric, Site::Np) => Some([0.0, 0.0, z]),
        (GridKind::Cartesian3d, Site::Np) => Some([centre(0, NP)?, centre(1, NP)?, z]),
        (GridKind::Axisymmetric, Site::Af) => {
            let k = nearest_index(grid, 2, z);
            let rs: Vec<f64> = (0..grid.n[0])
                .filter(|&i| grid.labels[grid.idx(i, 0, k)] == AF)
                .map(|i| grid.centre(0, i))
                .collect();
            let (lo, hi) = minmax(&rs)?;
            Some([0.5 * (lo + hi), 0.0, z])
        }
        (GridKind::Cartesian3d, Site::Af) => {
            let x = centre(0, AF)?;
            let yc = centre(1, AF)?;
            let (i, k) = (nearest_index(grid, 0, x), nearest_index(grid, 2, z));
            let ys: Vec<f64> = (0..grid.n[1])
                .filter(|&j| grid.labels[grid.idx(i, j, k)] == AF && grid.centre(1, j) < yc)
                .map(|j| grid.centre(1, j))
                .collect();
            let (lo, hi) = minmax(&ys)?;
            Some([x, 0.5 * (lo + hi), z])
        }
    }
}

fn minmax(v: &[f64]) -> Option<(f64, f64)> {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    lo.is_finite().then_some((lo, hi))
}

fn nearest_index(grid: &Grid, axis: usize, x: f64) -> usize {
    let p = ((x - grid.origin[axis]) / grid.h[axis] - 0.5).round();
    (p.max(0.0) as usize).min(grid.n[axis] - 1)
}

/// Cells receiving an injection of `volume_mm3` at `site`, with their volumes (mm^3).
/// At least one cell is used; the depot's volume on the grid is the sum of the cell volumes.
pub fn place(grid: &Grid, site: Site, volume_mm3: f64) -> Result<Vec<usize>, Error> {
    let label: Label = match site {
        Site::Np => NP,
        Site::Af => AF,
    };
    let point = site_point(grid, site).ok_or_else(|| {
        Error::Config(format!(
            "treatment site \"{}\": the disc has no {} cells on this grid",
            site.name(),
            site.name().to_uppercase()
        ))
    })?;
    let dist = |c: usize| -> f64 {
        let [i, j, k] = grid.ijk(c);
        let dx = grid.centre(0, i) - point[0];
        let dz = grid.centre(2, k) - point[2];
        let dy = match grid.kind {
            GridKind::Axisymmetric => 0.0,
            GridKind::Cartesian3d => grid.centre(1, j) - point[1],
        };
        dx * dx + dy * dy + dz * dz
    };
    let mut cells: Vec<(f64, usize)> = (0..grid.len())
        .filter(|&c| grid.labels[c] == label && grid.labels[c] != VOID)
        .map(|c| (dist(c), c))
        .collect();
    cells.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let available: f64 = cells.iter().map(|&(_, c)| grid.volume(c)).sum();
    if volume_mm3 > available {
        return Err(Error::Config(format!(
            "treatment volume {volume_mm3} uL exceeds the {} volume of this disc ({available:.3} uL); allowed: 0 < volume <= {available:.3} uL",
            site.name().to_uppercase()
        )));
    }
    let mut out = vec![];
    let mut vol = 0.0;
    for (_, c) in cells {
        if vol >= volume_mm3 && !out.is_empty() {
            break;
        }
        vol += grid.volume(c);
        out.push(c);
    }
    Ok(out)
}
