//! Dosing the cord: what each treatment puts where in the modelled cord segment over time, with
//! an exact amount ledger, and the inputs of the cord biology ([`Inputs`]) it gives.
//!
//! Amounts are payload masses in ng (`dose_ng`), concentrations ng/mL, times s, volumes mm^3
//! (1 mm^3 = 1e-3 mL). The routes (`docs/cord.md`, "Dosing the cord", has the formulas and the
//! sources):
//! * **local**: at the injection time the dose is placed in the tissue (grey and white matter)
//!   cells nearest the epicentre centre (the cord axis at z = 0) until their volume reaches the
//!   injected volume, amount proportional to cell volume. Carriers are immobile in the
//!   parenchyma: particles of diameter at least the extracellular-space width
//!   (`cord_transport.ecs_width`, Thorne & Nicholson 2006) and gels; a smaller particulate carrier
//!   is an error (the cord has no carrier transport);
//! * **intravenous**: [`IvBolus`] plasma kinetics; each step the lesion takes
//!   `U = IvBolus::lesion_uptake(t, t + h, b)`, `b` the largest barrier opening of the tissue
//!   cells, spread over the tissue cells in proportion to `b_c V_c`. Carriers arriving in one
//!   step form a cohort that releases by the release law from its arrival (the step's midpoint);
//!   no release while circulating;
//! * **intrathecal**: [`IntrathecalBolus`]; carriers stay on the CSF side (leptomeningeal
//!   retention, Householder 2019) and release there; the modelled segment's CSF cells receive
//!   the share `s = V_csf,segment / V_csf,species` of the released payload, the rest is released
//!   outside the segment and leaves the model;
//! * a **free payload** (carrier "none") is released at once: into the injection cells (local),
//!   on uptake (i.v.), or the share `s` into the segment's CSF cells (intrathecal).
//!
//! Each step of length `h` (operator splitting like the disc's delivery engine,
//! [`crate::delivery::engine`]): (0) injection / i.v. uptake; (1) release: a cohort that has
//! reached the released fraction `F_prev` releases `(F(a + h) - F_prev) / (1 - F_prev)` of what it
//! holds, `a` its age, so released payload is payload leaving carriers still present; (2) carrier
//! clearance `exp(-k h)`: cleared carriers take their remaining payload with them; (3) free
//! payload transport by the caller's operator ([`LinearSpecies`], backward Euler, first-order
//! loss in tissue cells, boundary faces = segment ends, dura), with the CSF turnover
//! (`cord_transport.csf_turnover.<preset>`, 1/s) as a first-order washout of the CSF cells,
//! counted with what left the segment. Every sub-step conserves the amount, so [`CordLedger`]
//! closes to round-off.

use crate::carriers::{CarrierKind, CarrierPreset, PayloadAction, PayloadPreset};
use crate::delivery::linear::LinearSpecies;
use crate::delivery::route::{CsfPk, IvBolus, PlasmaPk, Route};
use crate::grid::{Grid, GridKind, Label, CSF, GREY, WHITE};
use crate::params::Registry;
use crate::sci::biology::Inputs;
use crate::Error;

mod cohort;
mod dose;
mod spec;

use dose::{Ctx, Dose, RouteState};

use cohort::Held;
use spec::check_spec;
pub use spec::{resolve, CordDoseSpec, CordLedger};

/// Registry names read by [`CordDosing::new`].
/// (`cord_transport.csf_turnover.<preset>` is read too.)
pub const PARAMETER_NAMES: [&str; 2] = ["cord_dosing.trap_loading", "cord_transport.ecs_width"];

/// mL per mm^3.
const ML_PER_MM3: f64 = 1e-3;
/// Most carrier cohorts kept per treatment (i.v. arrivals); beyond it the two adjacent cohorts
/// with the smallest arrival gap relative to their age are merged. Numerical choice (memory
/// bound: at most `MAX_COHORTS` x the tissue cells with an open barrier entries per treatment),
/// not a model constant: the ledger stays exact, only the age structure is coarsened.
pub const MAX_COHORTS: usize = 16;
/// An i.v. arrival below this fraction of the dose (dimensionless) joins the newest cohort
/// instead of opening one. Numerical choice, not a model constant.
pub const COHORT_MIN_FRACTION: f64 = 1e-9;
/// Relative tolerance (dimensionless) on times: injection due and step continuity.
const TIME_TOL: f64 = 1e-9;

fn cfg(key: &str, e: impl std::fmt::Display) -> Error {
    Error::Config(format!("{key}: {e}"))
}

/// The dosing state of the treatments of one arm on the cord grid.
#[derive(Debug)]
pub struct CordDosing {
    doses: Vec<Dose>,
    volume: Vec<f64>,
    labels: Vec<Label>,
    csf_cells: Vec<usize>,
    csf_volume_mm3: f64,
    epicentre: Vec<usize>,
    trap_loading: f64,
    t_now: Option<f64>,
}

fn is_tissue(l: Label) -> bool {
    l == GREY || l == WHITE
}

/// Tissue cells nearest the epicentre centre (cord axis at z = 0) until their volume reaches
/// `volume_mm3` (at least one cell).
fn local_cells(grid: &Grid, key: &str, volume_mm3: f64) -> Result<Vec<usize>, Error> {
    let dist = |c: usize| -> f64 {
        let [i, j, k] = grid.ijk(c);
        let x = grid.centre(0, i);
        let y = match grid.kind {
            GridKind::Axisymmetric => 0.0,
            GridKind::Cartesian3d => grid.centre(1, j),
        };
        let z = grid.centre(2, k);
        x * x + y * y + z * z
    };
    let mut cells: Vec<(f64, usize)> = (0..grid.len())
        .filter(|&c| is_tissue(grid.labels[c]))
        .map(|c| (dist(c), c))
        .collect();
    cells.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let available: f64 = cells.iter().map(|&(_, c)| grid.volume(c)).sum();
    if cells.is_empty() || volume_mm3 > available {
        return Err(cfg(
            &format!("{key}.volume"),
            format!(
                "{volume_mm3} uL exceeds the cord tissue volume of the segment; allowed: 0 < volume <= {available:.4} uL"
            ),
        ));
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

/// The species of a cord preset (`rat_thoracic` -> `rat`).
fn species_of(preset: &str) -> Result<&str, Error> {
    if !crate::anatomy::cord::CORD_PRESETS.contains(&preset) {
        return Err(Error::Config(format!(
            "unknown cord preset '{preset}'; allowed: {}",
            crate::anatomy::cord::CORD_PRESETS.join(", ")
        )));
    }
    Ok(preset.split('_').next().unwrap_or(preset))
}

/// Unique read-out names: the id, suffixed with `_<treatment index>` when another treatment has
/// the same id.
fn names(ids: &[Option<&str>]) -> Vec<Option<String>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            id.map(|id| {
                if ids.iter().filter(|x| **x == Some(id)).count() > 1 {
                    format!("{id}_{i}")
                } else {
                    id.to_string()
                }
            })
        })
        .collect()
}

impl CordDosing {
    /// The dosing state of `specs` on the cord `grid` (labels GREY, WHITE, CSF, VOID; epicentre
    /// at z = 0). `reg` gives the route constants (`route.*`) and `cord_dosing.*`; `preset` is the
    /// cord preset (its species sets the CSF volume of the intrathecal route); `payload_op`
    /// builds the free-payload operator of a payload on this grid (its capacities are the
    /// partition coefficients; boundary faces are where payload leaves the segment). Errors name
    /// the treatment key and field.
    pub fn new(
        specs: Vec<CordDoseSpec>,
        grid: &Grid,
        reg: &Registry,
        preset: &str,
        payload_op: &dyn Fn(&PayloadPreset) -> Result<LinearSpecies, Error>,
    ) -> Result<Self, Error> {
        let n = grid.len();
        let volume: Vec<f64> = (0..n).map(|c| grid.volume(c)).collect();
        let csf_cells: Vec<usize> = (0..n).filter(|&c| grid.labels[c] == CSF).collect();
        let csf_volume_mm3: f64 = csf_cells.iter().map(|&c| volume[c]).sum();
        let trap_loading = reg.value_in("cord_dosing.trap_loading", "1")?;
        let ecs_width_nm = reg.value_in("cord_transport.ecs_width", "nm")?;
        // the cord solutes' CSF washout (CSF turnover in CSF cells, 0 elsewhere)
        let csf_loss = crate::sci::transport::csf_loss_per_s(
            grid,
            &crate::sci::transport::CordTransportParams::from_registry(reg, preset)?,
        );
        let payload_names = names(
            &specs
                .iter()
                .map(|s| Some(s.payload.id.as_str()))
                .collect::<Vec<_>>(),
        );
        let carrier_names = names(
            &specs
                .iter()
                .map(|s| s.carrier.as_ref().map(|c| c.id.as_str()))
                .collect::<Vec<_>>(),
        );
        let mut doses = Vec::with_capacity(specs.len());
        for ((mut spec, pname), cname) in specs.into_iter().zip(payload_names).zip(carrier_names) {
            check_spec(&spec)?;
            let key = spec.key.clone();
            let lin = payload_op(&spec.payload)?;
            if lin.len() != n {
                return Err(cfg(
                    &key,
                    format!(
                        "the payload operator of '{}' has {} cells; the grid has {n}",
                        spec.payload.id,
                        lin.len()
                    ),
                ));
            }
            let need_capacity = |c: usize| {
                is_tissue(grid.labels[c])
                    || (spec.route == Route::Intrathecal && grid.labels[c] == CSF)
            };
            if let Some(c) = (0..n)
                .find(|&c| need_capacity(c) && (lin.capacity[c].is_nan() || lin.capacity[c] <= 0.0))
            {
                return Err(cfg(
                    &key,
                    format!(
                        "the payload operator of '{}' has partition {} <= 0 in cell {c} ({}); allowed: > 0",
                        spec.payload.id,
                        lin.capacity[c],
                        crate::grid::label_name(grid.labels[c])
                    ),
                ));
            }
            let release = match (&spec.carrier, spec.release.take()) {
                (None, _) => None,
                (Some(_), Some(law)) => Some(law),
                (Some(c), None) => Some(c.release_law().map_err(|e| cfg(&key, e))?),
            };
            if let Some(c) = &spec.carrier {
                if spec.route != Route::Intrathecal {
                    if let Some(d) = c.diameter_nm() {
                        if d < ecs_width_nm {
                            return Err(cfg(
                                &format!("{key}.carrier"),
                                format!(
                                    "carrier '{}' ({d} nm) is smaller than the extracellular-space width ({ecs_width_nm} nm, cord_transport.ecs_width) and would move in the parenchyma; the cord models immobile carriers only: give its payload free (carrier = \"none\")",
                                    c.id
                                ),
                            ));
                        }
                    }
                }
            }
            let k_payload = match spec.payload_half_life_s {
                Some(h) => std::f64::consts::LN_2 / h,
                None => spec.payload.loss_rate_per_s(),
            };
            // first-order loss: the payload's own loss in tissue, the CSF turnover in CSF cells
            // (bulk CSF replaced by fresh CSF free of payload, as for the cord's solutes)
            let loss = (0..n)
                .map(|c| {
                    if is_tissue(grid.labels[c]) {
                        k_payload
                    } else {
                        csf_loss[c]
                    }
                })
                .collect();
            let route_err = |e: crate::delivery::route::RouteError| cfg(&key, e);
            let route = match spec.route {
                Route::Local => RouteState::Local {
                    cells: local_cells(grid, &key, spec.volume_mm3)?,
                },
                Route::Intravenous => RouteState::Iv {
                    bolus: IvBolus::new(
                        spec.dose_ng,
                        spec.time_s,
                        PlasmaPk::from_registry(reg).map_err(route_err)?,
                    )
                    .map_err(route_err)?,
                },
                Route::Intrathecal => {
                    let mut pk = CsfPk::from_registry(reg, species_of(preset)?)
                        .map_err(|e| cfg(&format!("{key}.route"), e))?;
                    if let (Some(h), Some(_)) = (spec.carrier_half_life_s, &spec.carrier) {
                        pk = CsfPk::new(h, pk.csf_volume_ml).map_err(route_err)?;
                    }
                    let share = csf_volume_mm3 * ML_PER_MM3 / pk.csf_volume_ml;
                    if !(share > 0.0 && share <= 1.0) {
                        return Err(cfg(
                            &format!("{key}.route"),
                            format!(
                                "intrathecal: the segment's CSF volume {:.4} uL must be > 0 and at most the species' CSF volume {} mL",
                                csf_volume_mm3, pk.csf_volume_ml
                            ),
                        ));
                    }
                    RouteState::Intrathecal {
                        pk,
                        bolus: None,
                        share,
                        held: 0.0,
                        released: 0.0,
                    }
                }
            };
            let clearance_per_s = match (&spec.carrier, spec.carrier_half_life_s) {
                (None, _) => 0.0,
                (Some(_), Some(h)) => std::f64::consts::LN_2 / h,
                (Some(c), None) => c.clearance_rate_per_s(),
            };
            doses.push(Dose {
                payload_name: pname.unwrap_or_default(),
                carrier_name: cname,
                release,
                clearance_per_s,
                loss,
                lin,
                free_w: vec![0.0; n],
                route,
                given: false,
                cohorts: vec![],
                cleared_with_carriers: 0.0,
                lost_in_tissue: 0.0,
                left_boundary: 0.0,
                csf_outside: 0.0,
                lesion_uptake: 0.0,
                spec,
            });
        }
        Ok(CordDosing {
            doses,
            volume,
            labels: grid.labels.clone(),
            csf_cells,
            csf_volume_mm3,
            epicentre: crate::sci::lesion::epicentre_cells(grid, 0.0)?,
            trap_loading,
            t_now: None,
        })
    }

    /// Injection times (s) of the treatments, for aligning steps: a local or intrathecal dose is
    /// given at the start of the first step starting at or after its time.
    pub fn injection_times(&self) -> Vec<f64> {
        self.doses.iter().map(|d| d.spec.time_s).collect()
    }

    /// Carrier material loading (payload mass fraction of the carrier, dimensionless).
    pub fn trap_loading(&self) -> f64 {
        self.trap_loading
    }

    /// Time (s) the state is at: the end of the last step (`None` before the first).
    pub fn time_s(&self) -> Option<f64> {
        self.t_now
    }

    /// Advances every treatment from `t_s` to `t_s + h_s` (s), with `barrier` the per-voxel
    /// blood-spinal cord barrier opening (dimensionless, 0..1, one per grid cell) held over the
    /// step. A step must start where the previous one ended. Errors name `t_s`, `h_s` or the
    /// offending `barrier` entry.
    pub fn step(&mut self, t_s: f64, h_s: f64, barrier: &[f64]) -> Result<(), Error> {
        if !t_s.is_finite() {
            return Err(Error::Config(format!(
                "cord dosing: t_s = {t_s} s; allowed: a finite time"
            )));
        }
        if !(h_s.is_finite() && h_s > 0.0) {
            return Err(Error::Config(format!(
                "cord dosing: h_s = {h_s} s; allowed: a finite step > 0 s"
            )));
        }
        if let Some(t) = self.t_now {
            if (t_s - t).abs() > TIME_TOL * t.abs().max(h_s) {
                return Err(Error::Config(format!(
                    "cord dosing: t_s = {t_s} s does not continue the previous step, which ended at {t} s"
                )));
            }
        }
        let n = self.volume.len();
        if barrier.len() != n {
            return Err(Error::Config(format!(
                "cord dosing: barrier has {} values; the grid has {n} cells",
                barrier.len()
            )));
        }
        if let Some(c) = barrier
            .iter()
            .position(|b| !(b.is_finite() && (0.0..=1.0).contains(b)))
        {
            return Err(Error::Config(format!(
                "cord dosing: barrier[{c}] = {}; allowed: 0..=1",
                barrier[c]
            )));
        }
        let b_max = (0..n)
            .filter(|&c| is_tissue(self.labels[c]))
            .map(|c| barrier[c])
            .fold(0.0, f64::max);
        let ctx = Ctx {
            volume: &self.volume,
            labels: &self.labels,
            csf_cells: &self.csf_cells,
            csf_volume_mm3: self.csf_volume_mm3,
            loading: self.trap_loading,
        };
        for d in &mut self.doses {
            d.advance(&ctx, t_s, h_s, barrier, b_max)?;
        }
        self.t_now = Some(t_s + h_s);
        Ok(())
    }

    /// Adds each treatment's actions to the per-voxel biology `inputs` (one per grid cell):
    /// * the payload action (`anti_inflammatory`, `ccl2_trap`, `nrf2_exosome`, `socs3_exosome`;
    ///   the generic MSC `exosome` drives `nrf2_exosome`; disc-only actions none) = free payload
    ///   tissue concentration (ng/mL), unless `disable_payload`. For exosome cargo in a vesicle
    ///   carrier the vesicles not yet taken up count too (carrier-held concentration, and on the
    ///   CSF cells the CSF-side vesicles), because the half-effect is an in-vitro vesicle
    ///   concentration;
    /// * the carrier action (`ccl2_trap`) = carrier material concentration (ng/mL), unless
    ///   `disable_carrier_action`: carriers arrived (payload / `cord_dosing.trap_loading`) times
    ///   the fraction not yet cleared; release does not remove carrier material. Intrathecal
    ///   carriers give the CSF cells the CSF-side concentration.
    pub fn add_inputs(&self, inputs: &mut [Inputs]) -> Result<(), Error> {
        let n = self.volume.len();
        if inputs.len() != n {
            return Err(Error::Config(format!(
                "cord dosing: inputs has {} voxels; the grid has {n} cells",
                inputs.len()
            )));
        }
        for d in &self.doses {
            if !d.given {
                continue;
            }
            let vesicle = d
                .spec
                .carrier
                .as_ref()
                .is_some_and(|c| c.kind == CarrierKind::Vesicle);
            if !d.spec.disable_payload {
                if let Some(field) = input_field(d.spec.payload.action) {
                    let exo = matches!(
                        d.spec.payload.action,
                        PayloadAction::Exosome
                            | PayloadAction::Nrf2Exosome
                            | PayloadAction::Socs3Exosome
                    );
                    for (c, x) in inputs.iter_mut().enumerate() {
                        *field(x) += d.lin.capacity[c] * d.free_w[c];
                    }
                    if exo && vesicle {
                        self.add_held(d, inputs, field, |h| h.payload, |it| it.0);
                    }
                }
            }
            if !d.spec.disable_carrier_action {
                let action = d.spec.carrier.as_ref().and_then(CarrierPreset::action);
                if let Some(field) = action.and_then(input_field) {
                    self.add_held(d, inputs, field, |h| h.material, |it| it.1);
                }
            }
        }
        Ok(())
    }

    /// Adds the carrier-held concentration (`pick` of each cell: payload or material, ng) of
    /// `d` to `field`, and for the intrathecal route the CSF-side concentration (`csf` of
    /// (payload, material) conc., ng/mL) to the CSF cells.
    fn add_held(
        &self,
        d: &Dose,
        inputs: &mut [Inputs],
        field: fn(&mut Inputs) -> &mut f64,
        pick: fn(&Held) -> f64,
        csf: fn((f64, f64)) -> f64,
    ) {
        for co in &d.cohorts {
            for h in &co.cells {
                *field(&mut inputs[h.cell]) += pick(h) / (self.volume[h.cell] * ML_PER_MM3);
            }
        }
        if let Some(conc) = d.csf_side_conc(self.t_now) {
            let v = csf(conc);
            for &c in &self.csf_cells {
                *field(&mut inputs[c]) += v;
            }
        }
    }

    /// The amount ledger of every treatment, keyed by its payload read-out name.
    pub fn ledgers(&self) -> Vec<(String, CordLedger)> {
        self.doses
            .iter()
            .map(|d| (d.payload_name.clone(), d.ledger(self.t_now)))
            .collect()
    }

    /// Largest |imbalance| of the ledgers (dimensionless, relative to the dose).
    pub fn max_imbalance(&self) -> f64 {
        self.ledgers()
            .iter()
            .map(|(_, l)| l.imbalance().abs())
            .fold(0.0, f64::max)
    }

    /// Read-outs `(name, unit, value)` per treatment:
    /// * `<payload>_cord_ug` (µg): payload in the modelled segment: free (tissue and CSF cells),
    ///   carrier-held in tissue, and the segment's share of carriers on the CSF side;
    /// * `<payload>_epicentre_ng_per_ml` (ng/mL): volume-weighted mean free tissue
    ///   concentration over the grey and white matter cells of the epicentre cross-section;
    /// * with a carrier, `<carrier>_cord_ug` (µg): carrier-held payload in the segment (tissue
    ///   and the CSF share);
    /// * with a carrier action (trap), `<carrier>_material_epicentre_ng_per_ml` (ng/mL): mean
    ///   carrier material concentration over the same epicentre cells.
    ///
    /// Names are the preset ids, suffixed `_<treatment index>` when two treatments share one.
    pub fn readouts(&self, grid: &Grid) -> Result<Vec<(String, String, f64)>, Error> {
        if grid.len() != self.volume.len() {
            return Err(Error::Config(format!(
                "cord dosing read-outs: the grid has {} cells; the dosing was built on {}",
                grid.len(),
                self.volume.len()
            )));
        }
        let epi: Vec<usize> = self
            .epicentre
            .iter()
            .copied()
            .filter(|&c| is_tissue(self.labels[c]))
            .collect();
        let epi_v: f64 = epi.iter().map(|&c| self.volume[c]).sum();
        let mut out = vec![];
        for d in &self.doses {
            let l = d.ledger(self.t_now);
            let csf_share = match &d.route {
                RouteState::Intrathecal { share, held, .. } => share * held,
                _ => 0.0,
            };
            let held_cord = l.carrier_cord_ng + csf_share;
            out.push((
                format!("{}_cord_ug", d.payload_name),
                "ug".into(),
                (l.free_cord_ng + held_cord) * 1e-3,
            ));
            let mean = |f: &dyn Fn(usize) -> f64| {
                if epi_v > 0.0 {
                    epi.iter().map(|&c| f(c) * self.volume[c]).sum::<f64>() / epi_v
                } else {
                    f64::NAN
                }
            };
            out.push((
                format!("{}_epicentre_ng_per_ml", d.payload_name),
                "ng/mL".into(),
                mean(&|c| d.lin.capacity[c] * d.free_w[c]),
            ));
            if let (Some(cname), Some(c)) = (&d.carrier_name, &d.spec.carrier) {
                out.push((format!("{cname}_cord_ug"), "ug".into(), held_cord * 1e-3));
                if c.action().is_some() {
                    let mut material = vec![0.0; self.volume.len()];
                    for co in &d.cohorts {
                        for h in &co.cells {
                            material[h.cell] += h.material / (self.volume[h.cell] * ML_PER_MM3);
                        }
                    }
                    out.push((
                        format!("{cname}_material_epicentre_ng_per_ml"),
                        "ng/mL".into(),
                        mean(&|c| material[c]),
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// The cord input a payload or carrier action drives (`None`: no cord action).
fn input_field(a: PayloadAction) -> Option<fn(&mut Inputs) -> &mut f64> {
    match a {
        PayloadAction::AntiInflammatory => Some(|x| &mut x.anti_inflammatory),
        PayloadAction::Ccl2Trap => Some(|x| &mut x.ccl2_trap),
        // MSC exosomes: adipose-MSC exosomes are not different from BMSC/UCMSC exosomes in the
        // SCI network meta-analysis (biology.md §7.1 [V]), so the generic cargo takes the
        // adipose-MSC (Nrf2/HO-1) input.
        PayloadAction::Nrf2Exosome | PayloadAction::Exosome => Some(|x| &mut x.nrf2_exosome),
        PayloadAction::Socs3Exosome => Some(|x| &mut x.socs3_exosome),
        // disc-only actions (TrkA, miR-199a) and nanozymes (H2O2 kinetics, not an input)
        PayloadAction::TrkaAntagonist
        | PayloadAction::AntiMir199a
        | PayloadAction::DampTrap
        | PayloadAction::Nanozyme
        | PayloadAction::None => None,
    }
}

#[cfg(test)]
#[path = "../dosing_tests.rs"]
mod tests;
