//! The disease stage of a run (`[biology] enabled = true`): per-voxel disc biology coupled to the
//! nutrient fields, the injury and the treatments, plus the swelling mechanics that turn the
//! matrix into disc height and NP water.
//!
//! One main step `h` of the run loop, after the delivery engine and before the nutrient solve:
//! sub-steps of at most `biology.dt`, each (Lie splitting)
//! 1. diffusion of the five protein solutes (backward Euler, vascular exchange at the endplate
//!    and periphery: [`solutes`]);
//! 2. H2O2, which relaxes in about 30 s, by one backward-Euler reaction-diffusion solve over the
//!    sub-step with its sources (cells, M1 macrophages, injury) and first-order losses
//!    (endogenous, nanozymes) taken from the current biology state: a quasi-steady field that
//!    keeps its diffusion and vascular exchange;
//! 3. the per-voxel biology over the sub-step with H2O2 held at that field
//!    ([`crate::biology::react_biology_held`], stiff TR-BDF2), with inputs from the current
//!    nutrient fields (O2, glucose, pH and the nutrient death rate of [`crate::metabolism`]),
//!    the injury drive ([`injury`]; overload adds a cell-stress input, [`overload`]) and the
//!    treatments ([`TreatmentInputs`]).
//!
//! Ageing ([`ageing`]) sets the starting state: senescent and lost cells in NP and AF, NP
//! proteoglycan, and a persistent inflammatory drive from the start.
//!
//! Viability has one path: the biology's viable + senescent fraction (cells that consume
//! nutrients) replaces the run's viability, and nutrient death enters the biology as its input
//! rate, so it is counted once.
//!
//! Mechanics at each sample: the volume-weighted NP proteoglycan, AF proteoglycan and AF
//! collagen (matrix modulus) set a [`crate::mechanics::TissueState`]; the disc column
//! (with a gel implant when a treatment places one) gives height, NP water and pressure under
//! the species' reference load (plus an overload's applied stress while loaded); imaging
//! proxies use the scan posture.

pub mod ageing;
pub mod damp;
pub mod injury;
pub mod observe;
pub mod overload;
pub mod solutes;
pub mod water;

#[cfg(test)]
mod ageing_overload_tests;
#[cfg(test)]
mod tests;

use crate::biology::integrator::Options;
use crate::biology::state::{self as st, BiologyState, Inputs};
use crate::biology::{default_options, react_biology_held, BiologyParams, SoluteMap};
use crate::delivery::linear::LinearSpecies;
use crate::grid::{NP, VOID};
use crate::mechanics::{DiscColumn, ImagingMap, Implant};
use crate::params::Registry;
use crate::sim::{Model, GLUCOSE, LACTATE, OXYGEN};
use crate::Error;
pub use injury::{severity_factor, InjuryDrive, InjuryParams};
pub use water::{np_water, water_feedback};

/// What the treatments of an arm give the biology at one moment (per voxel; an empty vector
/// means zero everywhere).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TreatmentInputs {
    /// Anti-inflammatory (NF-kB pathway) drug in tissue (ng/mL).
    pub anti_inflammatory: Vec<f64>,
    /// TrkA antagonist in tissue (ng/mL).
    pub trka_antagonist: Vec<f64>,
    /// Anti-miR-199a in tissue (ng/mL).
    pub anti_mir199a: Vec<f64>,
    /// Exosome cargo in tissue (ng/mL of exosomal protein).
    pub exosome: Vec<f64>,
    /// First-order H2O2 scavenging by nanozymes (1/s).
    pub nanozyme_rate: Vec<f64>,
    /// CpG-DNA binding sites of DAMP-trap carriers (nM), see [`damp`].
    pub damp_sites_nm: Vec<f64>,
    /// Site-weighted dissociation constant of those sites (nM).
    pub damp_kd_nm: Vec<f64>,
    /// A gel sharing the axial load, if any.
    pub implant: Option<Implant>,
}

/// A dose of delivered cells (mesenchymal stromal cells, MSCs) due at `time_s`, spread evenly
/// over the injected region.
#[derive(Debug, Clone, PartialEq)]
pub struct CellDose {
    /// Injection time (s from the start of the run).
    pub time_s: f64,
    /// The voxels of the injected region.
    pub voxels: Vec<usize>,
    /// Delivered cells per volume of that region (cells/mm^3).
    pub density_per_mm3: f64,
}

fn at(v: &[f64], c: usize) -> f64 {
    v.get(c).copied().unwrap_or(0.0)
}

/// Disease state of one arm.
pub struct Disease {
    params: BiologyParams,
    opts: Options,
    /// Per-voxel biology state (void voxels hold the healthy state and are never advanced).
    pub states: Vec<BiologyState>,
    /// The six solute fields in [`SoluteMap::FIRST`] order (H2O2 uM, cytokines pg/mL).
    pub solutes: Vec<Vec<f64>>,
    ops: Vec<LinearSpecies>,
    /// Transport of each solute with its NP water law (same order as `ops`).
    water: Vec<crate::delivery::water::WaterScaled>,
    /// Injury drive.
    pub injury: InjuryDrive,
    np_loss_done: bool,
    /// Cell doses not yet given, in the order scheduled.
    cell_doses: Vec<CellDose>,
    /// Random motility of engrafted MSCs within the NP (the graft density diffuses; no flux into
    /// AF, CEP or out of the disc); `None` when `biology.msc.random_motility` is 0.
    graft_motility: Option<LinearSpecies>,
    /// Whether any cells have been delivered (the motility step runs only then).
    grafted: bool,
    dt_s: f64,
    zero: Vec<f64>,
    /// Disc column for height and water.
    pub column: DiscColumn,
    /// Water -> imaging maps.
    pub imaging: ImagingMap,
    /// Disc height at the start (mm), the %DHI reference.
    pub height0_mm: f64,
    /// Integrator work done so far, summed over voxels and sub-steps.
    pub stats: crate::biology::integrator::Stats,
    /// Time the state refers to (s): 0 at set-up, `t + h` after [`Disease::step`].
    pub t_now: f64,
    /// CpG-DNA (DAMP) concentration at a damage input of 1 (nM), `injury.damp_concentration`.
    pub damp_reference_nm: f64,
    /// Biology inputs of each voxel over the last sub-step (the set-up inputs before the first),
    /// for the read-outs that need rates (cell death).
    last_inputs: Vec<Inputs>,
}

/// Applies the aged starting state `a` to a voxel labelled `label`: senescent and lost cells in
/// NP and AF (taken from the viable cells), NP proteoglycan.
fn age_voxel(s: &mut BiologyState, a: &ageing::AgeingState, label: u8) {
    if label != NP && label != crate::grid::AF {
        return;
    }
    let y = &mut s.0;
    let (sen, dead) = (a.senescent_fraction, a.cell_loss);
    y[st::SENESCENT] = sen;
    y[st::DEAD] = dead;
    y[st::VIABLE] = (1.0 - sen - dead).max(0.0);
    if label == NP {
        y[st::PROTEOGLYCAN] = a.np_proteoglycan.clamp(0.0, 1.0);
    }
}

/// Factor on `rtol` for the transported solutes in [`coupled_options`] (1): 1e-4 -> 1e-2.
pub const SOLUTE_RTOL_FACTOR: f64 = 100.0;

/// Integrator settings of the coupled run: TR-BDF2 at `rtol = 1e-4` for the local entries (the
/// default biology settings use 1e-6) and 1e-2 for the transported solutes (IL-1b, TNF-a, IL-10,
/// IL-13, NGF; H2O2 is held at its quasi-steady field). The splitting of the biology from solute
/// diffusion over sub-steps of hours already errs by far more than 1e-4, so tighter local control
/// buys no accuracy; after each transport step the solutes relax back to their local balance
/// within hours, and resolving that transient to 1e-4 cost 40 % of the integrator steps
/// (BENCHMARKS.md; read-outs change by less than 3e-3 relative, %DHI by 1e-5).
pub fn coupled_options() -> Options {
    Options {
        rtol: 1e-4,
        atol: crate::biology::state::SPECIES
            .iter()
            .map(|s| 1e-7 * s.typical)
            .collect(),
        rtol_scale: crate::biology::integrator::local_solute_rtol_scale(
            crate::biology::state::N_STATE,
            crate::biology::state::N_LOCAL,
            SOLUTE_RTOL_FACTOR,
        ),
        ..default_options()
    }
}

/// Biology inputs of voxel `c` from the nutrient fields `u`, the treatments, the injury
/// (damage, macrophage influx) and the overload's cell stress `mech` (applied in NP and AF).
fn inputs_of(
    model: &Model,
    u: &[Vec<f64>],
    c: usize,
    tr: &TreatmentInputs,
    injury: f64,
    influx: f64,
    mech: f64,
) -> Inputs {
    let l = model.grid.labels[c];
    let mech = if l == NP || l == crate::grid::AF {
        mech.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let p = &model.metabolism.p;
    let glucose = u[GLUCOSE][c].max(0.0);
    let ph = p.ph(u[LACTATE][c]).clamp(4.0, 9.0);
    Inputs {
        po2: u[OXYGEN][c].max(0.0),
        glucose,
        ph,
        cell_density: model.rho0[c].max(0.0),
        nutrient_death_rate: p.death_rate(glucose, ph).max(0.0),
        nanozyme_rate: at(&tr.nanozyme_rate, c).max(0.0),
        anti_inflammatory: at(&tr.anti_inflammatory, c).max(0.0),
        trka_antagonist: at(&tr.trka_antagonist, c).max(0.0),
        anti_mir199a: at(&tr.anti_mir199a, c).max(0.0),
        exosome: at(&tr.exosome, c).max(0.0),
        injury: injury.clamp(0.0, 1.0),
        macrophage_influx: influx.max(0.0),
        mechanical_stress: mech,
    }
}

impl Disease {
    /// Sets up the disease stage of an arm on `model` with registry `reg`: biology constants
    /// (matrix turnover scaled by `anatomy.<species>.ecm_turnover_factor`),
    /// solute operators, the injury drive (`injury` with its geometry), the disc column of
    /// `species`, and the initial state in quasi-equilibrium with the nutrient fields `u` and
    /// the initial treatments (no inflammation; an aged disc starts with its senescent and lost
    /// cells, NP proteoglycan and persistent inflammatory drive, see [`ageing`]). `dt_s` is the
    /// largest biology sub-step (s).
    pub fn new(
        reg: &Registry,
        model: &Model,
        species: &str,
        injury: Option<(&crate::injury::Injury, &crate::injury::InjuryGeometry)>,
        u: &[Vec<f64>],
        dt_s: f64,
    ) -> Result<Self, Error> {
        if !(dt_s.is_finite() && dt_s > 0.0) {
            return Err(Error::Config(format!(
                "biology.dt = {dt_s} s must be a time > 0 s"
            )));
        }
        let mut params = BiologyParams::from_registry(reg)?;
        let factor = reg.value(&format!("anatomy.{species}.ecm_turnover_factor"))?;
        params.aggrecan_turnover *= factor;
        params.collagen_turnover *= factor;
        let g = &model.grid;
        let n = g.len();
        let drive = match injury {
            Some((i, geo)) => {
                InjuryDrive::new(g, i, geo, &InjuryParams::from_registry_for(reg, species)?)?
            }
            None => InjuryDrive::none(n),
        };
        if let Some(a) = &drive.ageing {
            // senescent cells are cleared more slowly in old animals (half-life days -> weeks)
            let old = reg.value_in("biology.senescence.clearance_old", "1/s")?;
            params.senescence_clearance += a.index * (old - params.senescence_clearance);
        }
        let none = TreatmentInputs::default();
        let mut states = vec![BiologyState::healthy(); n];
        let mut solutes = vec![vec![0.0; n]; 6];
        // void voxels keep a placeholder: no read-out visits them
        let mut last_inputs = vec![Inputs::healthy(0.0, 0.0, 7.1, 0.0); n];
        for c in 0..n {
            if g.labels[c] == VOID {
                continue;
            }
            let inp = inputs_of(model, u, c, &none, drive.damage_at(c, 0.0), 0.0, 0.0);
            last_inputs[c] = inp;
            let mut s0 = params.initial_state(&inp);
            if let Some(a) = &drive.ageing {
                age_voxel(&mut s0, a, g.labels[c]);
            }
            for (k, &si) in st::SOLUTES.iter().enumerate() {
                solutes[k][c] = s0.0[si];
            }
            states[c] = s0;
        }
        let column = DiscColumn::from_registry(reg, species)?;
        let imaging = ImagingMap::from_registry(reg)?;
        let height0_mm = column.disc_height_mm;
        let water: Vec<_> = solutes::transports(reg, model)?
            .into_iter()
            .zip(solutes::np_water_laws(reg)?)
            .map(|(t, law)| crate::delivery::water::WaterScaled::new(t, law))
            .collect();
        let ops = water
            .iter()
            .map(|w| LinearSpecies::new(&model.grid, &w.now, &[1.0; crate::grid::MAX_LABELS]))
            .collect();
        let graft_motility = (params.msc_motility > 0.0).then(|| {
            let mut t =
                crate::transport::operator::SoluteTransport::uniform("msc", "cells/mm^3", 0.0);
            t.d_by_label[NP as usize] = params.msc_motility;
            LinearSpecies::new(&model.grid, &t, &[1.0; crate::grid::MAX_LABELS])
        });
        let mut d = Disease {
            params,
            opts: coupled_options(),
            states,
            solutes,
            ops,
            water,
            injury: drive,
            np_loss_done: false,
            cell_doses: vec![],
            graft_motility,
            grafted: false,
            dt_s,
            zero: vec![0.0; n],
            column,
            imaging,
            height0_mm,
            last_inputs,
            stats: Default::default(),
            t_now: 0.0,
            damp_reference_nm: reg.value_in("injury.damp_concentration", "nM")?,
        };
        // %DHI reference: the disc as it starts (a degenerated baseline is its own control)
        d.height0_mm = d.mechanics(model, None)?.height_mm;
        Ok(d)
    }

    /// Removes the punctured NP fraction once, when the injury time is reached.
    fn apply_np_loss(&mut self, model: &Model, t: f64) {
        if self.np_loss_done || self.injury.band.is_empty() || t < self.injury.time_s {
            return;
        }
        self.np_loss_done = true;
        let f = self.injury.np_loss.clamp(0.0, 1.0);
        for (c, s) in self.states.iter_mut().enumerate() {
            if model.grid.labels[c] != NP {
                continue;
            }
            let y = &mut s.0;
            y[st::PROTEOGLYCAN] *= 1.0 - f;
            y[st::COLLAGEN2] *= 1.0 - f;
            let lost = f * (y[st::VIABLE] + y[st::SENESCENT]);
            y[st::VIABLE] *= 1.0 - f;
            y[st::SENESCENT] *= 1.0 - f;
            y[st::DEAD] += lost;
        }
    }

    /// Schedules delivered-cell doses; each is given once, at the start of the sub-step that
    /// contains its time, as an MSC fraction `density / rho0` of the voxel's initial native cell
    /// density (voxels without native cells receive none).
    pub fn schedule_cells(&mut self, doses: Vec<CellDose>) {
        self.cell_doses.extend(doses);
    }

    /// Gives the cell doses due by the end of a sub-step ending at `t_end` (s).
    fn apply_cells(&mut self, model: &Model, t_end: f64) {
        let (due, later): (Vec<CellDose>, Vec<CellDose>) = std::mem::take(&mut self.cell_doses)
            .into_iter()
            .partition(|d| d.time_s < t_end);
        self.cell_doses = later;
        for d in due {
            for &c in &d.voxels {
                let rho = model.rho0.get(c).copied().unwrap_or(0.0);
                if rho > 0.0 {
                    self.states[c].0[st::MSC] += d.density_per_mm3 / rho;
                    self.grafted = true;
                }
            }
        }
    }

    /// Moves the engrafted MSCs for `h` (s): one backward-Euler diffusion step of the graft
    /// density `M rho0` (cells/mm^3) with the random-motility coefficient in the NP and no flux
    /// anywhere else, which conserves the number of grafted cells and keeps it non-negative.
    /// Cells reaching a voxel are stored as a fraction of its native density again.
    pub fn move_grafts(&mut self, model: &Model, h: f64) -> Result<(), Error> {
        let Some(op) = &self.graft_motility else {
            return Ok(());
        };
        let n = model.grid.len();
        let mut w: Vec<f64> = (0..n)
            .map(|c| {
                let rho = model.rho0.get(c).copied().unwrap_or(0.0);
                if model.grid.labels[c] == NP && rho > 0.0 {
                    self.states[c].0[st::MSC].max(0.0) * rho
                } else {
                    0.0
                }
            })
            .collect();
        op.step(&mut w, h, &self.zero, &[])?;
        for (c, &wc) in w.iter().enumerate() {
            let rho = model.rho0.get(c).copied().unwrap_or(0.0);
            if model.grid.labels[c] == NP && rho > 0.0 {
                self.states[c].0[st::MSC] = wc.max(0.0) / rho;
            }
        }
        Ok(())
    }

    /// Advances the disease from `t` to `t + h` (s) under nutrient fields `u` and treatment
    /// inputs `tr` (both held over the step).
    pub fn step(
        &mut self,
        model: &Model,
        u: &[Vec<f64>],
        tr: &TreatmentInputs,
        t: f64,
        h: f64,
    ) -> Result<(), Error> {
        let g = &model.grid;
        let n = g.len();
        let subs = (h / self.dt_s).ceil().max(1.0) as usize;
        let hs = h / subs as f64;
        for k in 0..subs {
            let t0 = t + k as f64 * hs;
            // the injury happens at the start of the sub-step that contains it
            if t0 + hs > self.injury.time_s {
                self.apply_np_loss(model, t0 + hs);
            }
            if !self.cell_doses.is_empty() {
                self.apply_cells(model, t0 + hs);
            }
            if self.grafted {
                self.move_grafts(model, hs)?;
            }
            for (s, op) in self.ops.iter().enumerate().skip(1) {
                op.step(&mut self.solutes[s], hs, &self.zero, &[])?;
            }
            let tm = t0 + 0.5 * hs;
            let pr = self.injury.profile(tm);
            let inputs: Vec<Inputs> = (0..n)
                .map(|c| {
                    let damage = self.injury.damage_at(c, tm);
                    // only the CpG DNA left unbound by DAMP-trap carriers signals
                    let free = damp::free_fraction(
                        damage * self.damp_reference_nm,
                        at(&tr.damp_sites_nm, c),
                        at(&tr.damp_kd_nm, c),
                    );
                    inputs_of(
                        model,
                        u,
                        c,
                        tr,
                        damage * free,
                        self.injury.influx[c] * pr,
                        self.injury.cell_stress_at(t0 + 0.5 * hs),
                    )
                })
                .collect();
            self.solve_ros(g, &inputs, hs)?;
            let mut held = [false; st::N_STATE];
            held[st::ROS] = true;
            let stats = react_biology_held(
                &self.params,
                g,
                &SoluteMap::FIRST,
                &mut self.solutes,
                &mut self.states,
                &inputs,
                hs,
                &self.opts,
                &held,
            )?;
            self.stats.add(&stats.total);
            self.last_inputs = inputs;
        }
        self.t_now = t + h;
        Ok(())
    }

    /// H2O2 over a sub-step of `hs` (s): backward Euler with sources and losses from the current
    /// state (the biology's own ROS terms, evaluated at H2O2 = 0 for the source).
    fn solve_ros(
        &mut self,
        g: &crate::grid::Grid,
        inputs: &[Inputs],
        hs: f64,
    ) -> Result<(), Error> {
        let n = g.len();
        let mut loss = vec![0.0; n];
        let mut src = vec![0.0; n];
        for c in 0..n {
            if g.labels[c] == VOID {
                continue;
            }
            let mut y = self.states[c].0;
            y[st::ROS] = 0.0;
            let mut dy = [0.0; st::N_STATE];
            crate::biology::rates::rhs(&self.params, &inputs[c], &y, &mut dy);
            src[c] = dy[st::ROS].max(0.0);
            loss[c] = self.params.ros_loss_rate + inputs[c].nanozyme_rate;
        }
        self.ops[0].step(&mut self.solutes[0], hs, &loss, &src)?;
        for c in 0..n {
            if g.labels[c] != VOID {
                self.states[c].0[st::ROS] = self.solutes[0][c].max(0.0);
            }
        }
        Ok(())
    }

    /// Writes the cells that consume nutrients (viable + senescent native cells and delivered
    /// MSCs, fraction of the initial density) into `viability`; above 1 where a graft adds
    /// cells to an intact voxel.
    pub fn viability_into(&self, model: &Model, viability: &mut [f64]) {
        for (c, v) in viability.iter_mut().enumerate() {
            if model.grid.labels[c] != VOID {
                let y = &self.states[c].0;
                *v = (y[st::VIABLE] + y[st::SENESCENT] + y[st::MSC]).max(0.0);
            }
        }
    }
}
