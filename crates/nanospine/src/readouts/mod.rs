//! Read-outs sampled from the simulation state: an [`Observer`] turns a [`State`] into named,
//! unit-bearing columns of `timeseries.csv`. A new read-out is one new Observer.

use crate::grid::{label_name, Grid, Label, AF, CEP, CEP_SEALED, MAX_LABELS, NP, VOID};
use crate::metabolism::MetabolismParams;

/// The tissues read-outs are reported for.
pub const TISSUES: [u8; 3] = [NP, AF, CEP];

/// The reporting tissue of a label (sealed CEP is CEP tissue).
#[inline]
pub fn tissue_of(l: Label) -> Label {
    if l == CEP_SEALED {
        CEP
    } else {
        l
    }
}

/// Snapshot of the state that observers read.
pub struct State<'a> {
    /// Grid.
    pub grid: &'a Grid,
    /// Solute names, units and fields (model units).
    pub solutes: &'a [(String, String, &'a [f64])],
    /// Index of lactate (for pH) and glucose in `solutes`, when present.
    pub lactate: Option<usize>,
    /// Index of glucose in `solutes`, when present.
    pub glucose: Option<usize>,
    /// Viable fraction of the initial cells per cell (0..1).
    pub viability: &'a [f64],
    /// Initial cell density per cell (cells/mm^3).
    pub rho0: &'a [f64],
    /// Metabolism parameters (pH law and death thresholds).
    pub metabolism: &'a MetabolismParams,
}

/// A read-out: fixed column names, one value per column per sample.
pub trait Observer: Send + Sync {
    /// Column names, each ending in its unit (e.g. `glucose_min_NP_mM`).
    fn columns(&self, st: &State) -> Vec<String>;
    /// Appends one value per column.
    fn observe(&self, st: &State, out: &mut Vec<f64>);
}

/// Min, volume-weighted mean and max of each solute in each tissue, plus pH (from lactate).
pub struct SoluteStats;

fn stats(grid: &Grid, f: &[f64], tissue: u8) -> (f64, f64, f64) {
    let (mut lo, mut hi, mut sum, mut vol) = (f64::INFINITY, f64::NEG_INFINITY, 0.0, 0.0);
    for c in 0..grid.len() {
        if tissue_of(grid.labels[c]) != tissue {
            continue;
        }
        let v = grid.volume(c);
        lo = lo.min(f[c]);
        hi = hi.max(f[c]);
        sum += f[c] * v;
        vol += v;
    }
    if vol == 0.0 {
        (f64::NAN, f64::NAN, f64::NAN)
    } else {
        (lo, sum / vol, hi)
    }
}

impl Observer for SoluteStats {
    fn columns(&self, st: &State) -> Vec<String> {
        let mut cols = vec![];
        for (name, unit, _) in st.solutes {
            for t in TISSUES {
                for k in ["min", "mean", "max"] {
                    cols.push(format!("{name}_{k}_{}_{unit}", label_name(t)));
                }
            }
        }
        if st.lactate.is_some() {
            for t in TISSUES {
                cols.push(format!("pH_min_{}", label_name(t)));
            }
        }
        cols
    }
    fn observe(&self, st: &State, out: &mut Vec<f64>) {
        for (_, _, f) in st.solutes {
            for t in TISSUES {
                let (a, b, c) = stats(st.grid, f, t);
                out.extend([a, b, c]);
            }
        }
        if let Some(l) = st.lactate {
            for t in TISSUES {
                let (_, _, lmax) = stats(st.grid, st.solutes[l].2, t);
                out.push(st.metabolism.ph(lmax));
            }
        }
    }
}

/// Viable cells as a fraction of the initial cells, per tissue and in the whole disc, and the
/// volume fraction of each tissue where a death criterion (glucose or pH below threshold) holds.
pub struct Viability;

impl Observer for Viability {
    fn columns(&self, st: &State) -> Vec<String> {
        let mut cols: Vec<String> = TISSUES
            .iter()
            .map(|&t| format!("viable_fraction_{}", label_name(t)))
            .collect();
        cols.push("viable_fraction_disc".into());
        if st.glucose.is_some() && st.lactate.is_some() {
            for t in TISSUES {
                cols.push(format!("at_risk_volume_fraction_{}", label_name(t)));
            }
        }
        cols
    }
    fn observe(&self, st: &State, out: &mut Vec<f64>) {
        let g = st.grid;
        let mut alive = [0.0; MAX_LABELS];
        let mut total = [0.0; MAX_LABELS];
        let mut risk = [0.0; MAX_LABELS];
        let mut vol = [0.0; MAX_LABELS];
        for c in 0..g.len() {
            let l = tissue_of(g.labels[c]) as usize;
            if g.labels[c] == VOID {
                continue;
            }
            let v = g.volume(c);
            alive[l] += st.rho0[c] * st.viability[c] * v;
            total[l] += st.rho0[c] * v;
            vol[l] += v;
            if let (Some(gi), Some(li)) = (st.glucose, st.lactate) {
                let glc = st.solutes[gi].2[c];
                let ph = st.metabolism.ph(st.solutes[li].2[c]);
                if glc < st.metabolism.glucose_threshold || ph < st.metabolism.ph_threshold {
                    risk[l] += v;
                }
            }
        }
        let frac = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        for t in TISSUES {
            out.push(frac(alive[t as usize], total[t as usize]));
        }
        out.push(frac(alive.iter().sum(), total.iter().sum()));
        if st.glucose.is_some() && st.lactate.is_some() {
            for t in TISSUES {
                out.push(frac(risk[t as usize], vol[t as usize]));
            }
        }
    }
}

/// The default observers of a nutrition run.
pub fn default_observers() -> Vec<Box<dyn Observer>> {
    vec![Box::new(SoluteStats), Box::new(Viability)]
}
