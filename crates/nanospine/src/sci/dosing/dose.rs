//! One treatment's dose on the cord: its route state, and one step of injection or uptake,
//! release, carrier clearance and free-payload transport ([`Dose::advance`]), with its ledger.
//! The step is described in the parent module.

use super::cohort::{arrive, merge_cells, merge_cohorts, release_fraction, Cohort};
use super::{
    cfg, is_tissue, CordDoseSpec, CordLedger, COHORT_MIN_FRACTION, MAX_COHORTS, ML_PER_MM3,
    TIME_TOL,
};
use crate::delivery::linear::LinearSpecies;
use crate::delivery::route::{CsfPk, IntrathecalBolus, IvBolus};
use crate::grid::Label;
use crate::release::ReleaseLaw;
use crate::Error;

/// Route state of one treatment.
#[derive(Debug)]
pub(super) enum RouteState {
    Local {
        cells: Vec<usize>,
    },
    Iv {
        bolus: IvBolus,
    },
    Intrathecal {
        pk: CsfPk,
        /// Set at injection (the bolus of carrier material for the trap concentration).
        bolus: Option<IntrathecalBolus>,
        /// Segment share of the CSF (dimensionless).
        share: f64,
        /// Payload held by carriers on the CSF side (ng).
        held: f64,
        /// Cumulative released fraction reached by the CSF-side carriers.
        released: f64,
    },
}

#[derive(Debug)]
pub(super) struct Dose {
    pub(super) spec: CordDoseSpec,
    pub(super) payload_name: String,
    pub(super) carrier_name: Option<String>,
    pub(super) release: Option<ReleaseLaw>,
    pub(super) clearance_per_s: f64,
    pub(super) loss: Vec<f64>,
    pub(super) lin: LinearSpecies,
    /// Water-phase free payload (ng/mL); tissue concentration = capacity x w.
    pub(super) free_w: Vec<f64>,
    pub(super) route: RouteState,
    pub(super) given: bool,
    pub(super) cohorts: Vec<Cohort>,
    pub(super) cleared_with_carriers: f64,
    pub(super) lost_in_tissue: f64,
    pub(super) left_boundary: f64,
    pub(super) csf_outside: f64,
    pub(super) lesion_uptake: f64,
}

/// Cells with weights, amount (ng) and arrival time (s) of what a step places.
type Placement = (Vec<(usize, f64)>, f64, f64);

/// Grid data shared by the treatments during a step.
pub(super) struct Ctx<'a> {
    pub(super) volume: &'a [f64],
    pub(super) labels: &'a [Label],
    pub(super) csf_cells: &'a [usize],
    pub(super) csf_volume_mm3: f64,
    pub(super) loading: f64,
}

impl Dose {
    /// Water-phase concentration increment (ng/mL) of `ng` placed in cell `c`.
    pub(super) fn dw(&self, ctx: &Ctx, c: usize, ng: f64) -> f64 {
        ng / (ctx.volume[c] * ML_PER_MM3 * self.lin.capacity[c])
    }

    /// Free payload placed in `cells` in proportion to `weight` x volume.
    pub(super) fn place_free(&mut self, ctx: &Ctx, cells: &[(usize, f64)], total: f64) {
        let wsum: f64 = cells.iter().map(|&(_, w)| w).sum();
        if wsum <= 0.0 {
            return;
        }
        for &(c, w) in cells {
            let dw = self.dw(ctx, c, total * w / wsum);
            self.free_w[c] += dw;
        }
    }

    pub(super) fn advance(
        &mut self,
        ctx: &Ctx,
        t: f64,
        h: f64,
        barrier: &[f64],
        b_max: f64,
    ) -> Result<(), Error> {
        let due = self.spec.time_s <= t + TIME_TOL * t.abs().max(h);
        let has_carrier = self.spec.carrier.is_some();
        let dose = self.spec.dose_ng;
        // 0. injection or uptake: (cells with weights, amount ng, arrival time s) placed below
        let mut placed: Option<Placement> = None;
        match &mut self.route {
            RouteState::Local { cells } => {
                if !self.given && due {
                    self.given = true;
                    let cells = cells.iter().map(|&c| (c, ctx.volume[c])).collect();
                    placed = Some((cells, dose, t));
                }
            }
            RouteState::Iv { bolus } => {
                if t + h > bolus.t0_s {
                    self.given = true;
                }
                let u = bolus
                    .lesion_uptake(t, t + h, b_max)
                    .map_err(|e| cfg(&self.spec.key, e))?;
                if u > 0.0 {
                    self.lesion_uptake += u;
                    let cells = (0..ctx.volume.len())
                        .filter(|&c| is_tissue(ctx.labels[c]) && barrier[c] > 0.0)
                        .map(|c| (c, barrier[c] * ctx.volume[c]))
                        .collect();
                    // arrival: the midpoint of the uptake interval
                    placed = Some((cells, u, 0.5 * (t.max(bolus.t0_s) + t + h)));
                }
            }
            RouteState::Intrathecal {
                pk,
                bolus,
                share,
                held,
                ..
            } => {
                if !self.given && due {
                    self.given = true;
                    if has_carrier {
                        *held = dose;
                        *bolus = Some(
                            IntrathecalBolus::new(dose / ctx.loading, t, *pk)
                                .map_err(|e| cfg(&self.spec.key, e))?,
                        );
                    } else {
                        self.csf_outside += (1.0 - *share) * dose;
                        let cells = ctx.csf_cells.iter().map(|&c| (c, ctx.volume[c])).collect();
                        placed = Some((cells, *share * dose, t));
                    }
                }
            }
        }
        if let Some((cells, amount, t0)) = placed {
            let intrathecal = matches!(self.route, RouteState::Intrathecal { .. });
            if has_carrier && !intrathecal {
                let co = arrive(&cells, amount, t0, ctx.loading);
                self.add_cohort(co, t);
            } else {
                self.place_free(ctx, &cells, amount);
            }
        }
        if !self.given {
            return Ok(());
        }
        if let Some(law) = &self.release {
            // 1. release
            let mut moved: Vec<(usize, f64)> = vec![];
            for co in &mut self.cohorts {
                let phi = release_fraction(law, &mut co.released, t - co.t0, h);
                if phi > 0.0 {
                    for hc in &mut co.cells {
                        let m = phi * hc.payload;
                        hc.payload -= m;
                        moved.push((hc.cell, m));
                    }
                }
            }
            for (c, m) in moved {
                let dw = self.dw(ctx, c, m);
                self.free_w[c] += dw;
            }
            // 2. clearance
            let keep = (-self.clearance_per_s * h).exp();
            for co in &mut self.cohorts {
                for hc in &mut co.cells {
                    self.cleared_with_carriers += (1.0 - keep) * hc.payload;
                    hc.payload *= keep;
                    hc.material *= keep;
                }
            }
            // CSF side (intrathecal)
            if let RouteState::Intrathecal {
                pk,
                bolus: Some(b),
                share,
                held,
                released,
            } = &mut self.route
            {
                let phi = release_fraction(law, released, t - b.t0_s, h);
                let r = phi * *held;
                *held -= r;
                self.csf_outside += (1.0 - *share) * r;
                let inside = *share * r;
                if inside > 0.0 {
                    for &c in ctx.csf_cells {
                        let ng = inside * ctx.volume[c] / ctx.csf_volume_mm3;
                        self.free_w[c] += ng / (ctx.volume[c] * ML_PER_MM3 * self.lin.capacity[c]);
                    }
                }
                let keep = (-std::f64::consts::LN_2 * h / pk.retention_half_life_s).exp();
                self.cleared_with_carriers += (1.0 - keep) * *held;
                *held *= keep;
            }
        }
        // 3. transport of the free payload
        let f = self.lin.step(&mut self.free_w, h, &self.loss, &[])?;
        // the loss of the CSF cells is the CSF turnover: payload washed out of the segment
        // (backward Euler: the step's loss is h k K w V at the new concentration)
        let washed: f64 = ctx
            .csf_cells
            .iter()
            .map(|&c| h * self.loss[c] * self.lin.capacity[c] * self.free_w[c] * self.lin.volume[c])
            .sum::<f64>()
            * ML_PER_MM3;
        self.left_boundary += f.cleared * ML_PER_MM3 + washed;
        self.lost_in_tissue += f.consumed * ML_PER_MM3 - washed;
        Ok(())
    }

    /// Adds an i.v. arrival cohort at step start `t`: a tiny one joins the newest; beyond
    /// [`MAX_COHORTS`] the adjacent pair with the smallest arrival gap relative to the younger
    /// one's age is merged.
    pub(super) fn add_cohort(&mut self, co: Cohort, t: f64) {
        let Some(law) = &self.release else { return };
        if co.payload() < COHORT_MIN_FRACTION * self.spec.dose_ng {
            if let Some(last) = self.cohorts.last_mut() {
                last.cells = merge_cells(&last.cells, &co.cells);
                return;
            }
        }
        self.cohorts.push(co);
        if self.cohorts.len() > MAX_COHORTS {
            let j = (0..self.cohorts.len() - 1)
                .min_by(|&a, &b| {
                    let r = |j: usize| {
                        let gap = self.cohorts[j + 1].t0 - self.cohorts[j].t0;
                        gap / (t - self.cohorts[j + 1].t0).max(f64::MIN_POSITIVE)
                    };
                    r(a).total_cmp(&r(b))
                })
                .unwrap_or(0);
            merge_cohorts(&mut self.cohorts, j, law, t);
        }
    }

    /// (payload, carrier material) concentration on the CSF side (ng/mL) of an intrathecal
    /// carrier dose at `t`; `None` otherwise.
    pub(super) fn csf_side_conc(&self, t: Option<f64>) -> Option<(f64, f64)> {
        match (&self.route, t) {
            (
                RouteState::Intrathecal {
                    pk,
                    bolus: Some(b),
                    held,
                    ..
                },
                Some(t),
            ) => Some((held / pk.csf_volume_ml, b.csf_concentration(t))),
            _ => None,
        }
    }

    pub(super) fn ledger(&self, t: Option<f64>) -> CordLedger {
        let dose = self.spec.dose_ng;
        let mut l = CordLedger {
            dose_ng: dose,
            carrier_cord_ng: self.cohorts.iter().map(Cohort::payload).sum(),
            free_cord_ng: self.lin.amount(&self.free_w) * ML_PER_MM3,
            cleared_with_carriers_ng: self.cleared_with_carriers,
            lost_in_tissue_ng: self.lost_in_tissue,
            left_boundary_ng: self.left_boundary,
            csf_outside_ng: self.csf_outside,
            ..CordLedger::default()
        };
        match &self.route {
            RouteState::Iv { bolus } => {
                let t = t.unwrap_or(f64::NEG_INFINITY);
                if t <= bolus.t0_s {
                    l.not_given_ng = dose;
                } else {
                    let tau = t - bolus.t0_s;
                    l.plasma_ng = bolus.plasma(t);
                    l.peripheral_ng = dose * bolus.pk.peripheral(tau);
                    l.eliminated_elsewhere_ng =
                        dose * bolus.pk.eliminated(tau) - self.lesion_uptake;
                }
            }
            RouteState::Intrathecal { held, .. } => {
                l.csf_carrier_ng = *held;
                if !self.given {
                    l.not_given_ng = dose;
                }
            }
            RouteState::Local { .. } => {
                if !self.given {
                    l.not_given_ng = dose;
                }
            }
        }
        l
    }
}
