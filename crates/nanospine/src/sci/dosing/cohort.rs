//! Carrier cohorts: carriers that arrived in the cord together, per cell, with their release
//! state; merging, arrival and the per-step released fraction.

use crate::release::ReleaseLaw;

#[derive(Debug, Clone, Copy)]
pub(super) struct Held {
    pub(super) cell: usize,
    /// Payload held (ng).
    pub(super) payload: f64,
    /// Carrier material (ng) = payload at arrival / loading x fraction of carriers left.
    pub(super) material: f64,
}

/// Carriers that arrived together (same age), per cell, sorted by cell.
#[derive(Debug, Clone)]
pub(super) struct Cohort {
    /// Arrival time (s).
    pub(super) t0: f64,
    /// Cumulative released fraction reached (0..1).
    pub(super) released: f64,
    pub(super) cells: Vec<Held>,
}

impl Cohort {
    pub(super) fn payload(&self) -> f64 {
        self.cells.iter().map(|h| h.payload).sum()
    }
}

/// Sum of two cell lists sorted by cell.
pub(super) fn merge_cells(a: &[Held], b: &[Held]) -> Vec<Held> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].cell < b[j].cell);
        let take_b = i >= a.len() || (j < b.len() && b[j].cell < a[i].cell);
        if take_a {
            out.push(a[i]);
            i += 1;
        } else if take_b {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(Held {
                cell: a[i].cell,
                payload: a[i].payload + b[j].payload,
                material: a[i].material + b[j].material,
            });
            i += 1;
            j += 1;
        }
    }
    out
}

/// Merges cohort `j + 1` into cohort `j`: amounts add, the arrival time is the payload-weighted
/// mean and the released fraction the law's value at the merged age `t - t0`.
pub(super) fn merge_cohorts(cohorts: &mut Vec<Cohort>, j: usize, law: &ReleaseLaw, t: f64) {
    let b = cohorts.remove(j + 1);
    let a = &mut cohorts[j];
    let (pa, pb) = (a.payload(), b.payload());
    if pa + pb > 0.0 {
        a.t0 = (a.t0 * pa + b.t0 * pb) / (pa + pb);
    } else {
        a.t0 = b.t0;
    }
    a.released = law.fraction(t - a.t0);
    a.cells = merge_cells(&a.cells, &b.cells);
}

/// Carriers arriving at `t0` (s) with `total` payload (ng) spread over `cells` by weight.
pub(super) fn arrive(cells: &[(usize, f64)], total: f64, t0: f64, loading: f64) -> Cohort {
    let wsum: f64 = cells.iter().map(|&(_, w)| w).sum();
    let mut held: Vec<Held> = cells
        .iter()
        .filter(|&&(_, w)| w > 0.0)
        .map(|&(cell, w)| {
            let p = total * w / wsum;
            Held {
                cell,
                payload: p,
                material: p / loading,
            }
        })
        .collect();
    held.sort_by_key(|h| h.cell);
    Cohort {
        t0,
        released: 0.0,
        cells: held,
    }
}

/// Fraction (0..1) of what a cohort still holds that it releases between ages `a` and `a + h`
/// (s): `(F(a + h) - F_prev) / (1 - F_prev)`, updating `F_prev` (`released`, kept
/// non-decreasing).
pub(super) fn release_fraction(law: &ReleaseLaw, released: &mut f64, a: f64, h: f64) -> f64 {
    let next = law.fraction(a + h).max(*released);
    let phi = if *released < 1.0 {
        ((next - *released) / (1.0 - *released)).clamp(0.0, 1.0)
    } else {
        1.0
    };
    *released = next;
    phi
}
