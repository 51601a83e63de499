//! The simulation loop: per arm, assemble the model, find the initial state, step in time
//! (transport + reactions, then viability), and sample read-outs and field snapshots.
//! Arms run independently (in parallel); results do not depend on the thread count.

pub mod cord;
pub mod disease;
pub mod model;
pub mod treatments;

#[cfg(test)]
mod delivery_tests;

use crate::biology::readouts::ReadoutParams;
use crate::delivery::{Delivery, Ledger};
use crate::grid::{label_name, VOID};
use crate::params::Registry;
use crate::reactions::local::react_implicit;
use crate::reactions::Process;
use crate::readouts::{default_observers, State};
use crate::scenario::{Arm, Initial, Method, Mode, Scenario};
use crate::transport::implicit::{ImplicitSolver, NewtonOptions, NewtonReport, System};
use crate::transport::lod::LodSolver;
use crate::Error;
use disease::{Disease, TreatmentInputs};
pub use model::{assemble, BoundaryForm, BoundarySpec, Model, GLUCOSE, LACTATE, OXYGEN};
use rayon::prelude::*;

/// Field snapshot at one time.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Time (s).
    pub time_s: f64,
    /// Named fields (name with unit, values per cell; NaN on void cells).
    pub fields: Vec<(String, Vec<f64>)>,
}

/// Everything one arm produced.
#[derive(Debug, Clone)]
pub struct ArmOutput {
    /// Arm name.
    pub name: String,
    /// Arm description.
    pub description: String,
    /// Grade used.
    pub grade: u8,
    /// The model that was run.
    pub model: Model,
    /// Sample times (s).
    pub times_s: Vec<f64>,
    /// Read-out column names (with units).
    pub columns: Vec<String>,
    /// Read-out rows, one per sample time.
    pub rows: Vec<Vec<f64>>,
    /// Field snapshots.
    pub snapshots: Vec<Snapshot>,
    /// Report of the steady solve (steady mode, or the initial state of a transient run).
    pub steady: Option<NewtonReport>,
    /// Largest Newton residual over all implicit steps (transient implicit runs).
    pub max_step_residual: f64,
    /// Final fields (model units) in solute order.
    pub fields: Vec<Vec<f64>>,
    /// Final viability per cell.
    pub viability: Vec<f64>,
    /// Time (s) at which each cell's viable fraction first fell below 0.5 (NaN: never).
    pub death_time_s: Vec<f64>,
    /// Final simulated time (s).
    pub final_time_s: f64,
    /// Carrier and payload results, when the arm has treatments.
    pub delivery: Option<DeliveryOutput>,
    /// The arm's injury as it applies to this disc, if any.
    pub injury: Option<crate::injury::InjuryGeometry>,
    /// Final disease state, when the scenario couples the biology (`[biology] enabled`).
    pub disease: Option<DiseaseOutput>,
}

/// What the disease stage of an arm ends with.
#[derive(Debug, Clone)]
pub struct DiseaseOutput {
    /// Final per-voxel biology state.
    pub states: Vec<crate::biology::BiologyState>,
    /// Integrator work summed over voxels and sub-steps.
    pub integrator: crate::biology::integrator::Stats,
    /// Severity factor of the injury (dimensionless, 0 without injury).
    pub injury_severity: f64,
    /// NP fraction removed by the injury (dimensionless).
    pub np_loss: f64,
    /// Lasting fraction of the damage signal of an open defect, `p_inf` (dimensionless; 0
    /// without a defect, 1 for ageing's steady drive).
    pub injury_lasting_level: f64,
}

/// What the delivery engine of an arm produced.
#[derive(Debug, Clone)]
pub struct DeliveryOutput {
    /// Final amount ledger per payload key (ug).
    pub ledgers: Vec<(String, Ledger)>,
    /// Largest relative amount imbalance over all samples and payloads.
    pub max_imbalance: f64,
    /// Per payload key: effective concentration (ng/mL), time with >= 50 % of the NP volume
    /// above it (d), mean time above it over the NP and the AF (d).
    pub coverage: Vec<(String, f64, f64, f64, f64)>,
    /// Resolved treatments, one line each, for the summary.
    pub treatments: Vec<String>,
}

/// Results of a scenario.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// One entry per arm, in scenario order.
    pub arms: Vec<ArmOutput>,
}

/// Progress callback: (arm name, fraction done 0..1).
pub type Progress<'a> = &'a (dyn Fn(&str, f64) + Sync);

fn registry_for(
    base: &Registry,
    scenario: &Scenario,
    arm: Option<&Arm>,
) -> Result<Registry, Error> {
    let mut reg = base.clone();
    for o in &scenario.parameters {
        reg.set_value(&o.name, o.value)?;
    }
    if let Some(arm) = arm {
        for o in &arm.parameters {
            reg.set_value(&o.name, o.value)?;
        }
        let factor = match arm.injury {
            Some(crate::injury::Injury::EndplateSclerosis { exchange_area }) => exchange_area,
            // an aged disc loses CEP exchange area with its ageing index
            Some(crate::injury::Injury::Ageing { age_s }) => {
                disease::ageing::AgeingParams::from_registry(&reg, &scenario.species)?
                    .at(age_s)?
                    .cep_exchange_area
            }
            _ => 1.0,
        };
        if factor != 1.0 {
            let ea = reg.value("cep.exchange_area")? * factor;
            reg.set_value("cep.exchange_area", ea)?;
        }
    }
    Ok(reg)
}

fn newton_opts(s: &Scenario) -> NewtonOptions {
    NewtonOptions {
        tolerance: s.solver.tolerance,
        max_iterations: s.solver.max_iterations,
    }
}

/// Stops the run on NaN, infinity or a negative concentration beyond round-off.
pub fn check_state(model: &Model, u: &[Vec<f64>], time_s: f64) -> Result<(), Error> {
    for (s, f) in u.iter().enumerate() {
        let scale = model.solutes[s]
            .bc
            .iter()
            .flatten()
            .map(|b| b.value.abs())
            .fold(1e-30, f64::max);
        for (c, &v) in f.iter().enumerate() {
            if model.grid.labels[c] == VOID {
                continue;
            }
            if !v.is_finite() || v < -1e-8 * scale {
                let [i, j, k] = model.grid.ijk(c);
                return Err(Error::Numerical(format!(
                    "{} = {v:e} {} at voxel ({i}, {j}, {k}) in {} at t = {:.4} d; reduce solver.dt or refine grid.spacing",
                    model.solutes[s].name,
                    model.solutes[s].unit,
                    label_name(model.grid.labels[c]),
                    time_s / 86400.0
                )));
            }
        }
    }
    Ok(())
}

fn snapshot(
    model: &Model,
    u: &[Vec<f64>],
    viability: &[f64],
    death: &[f64],
    delivery: Option<&Delivery>,
    disease: Option<&Disease>,
    t: f64,
) -> Snapshot {
    let g = &model.grid;
    let mask = |v: f64, c: usize| if g.labels[c] == VOID { f64::NAN } else { v };
    let mut fields: Vec<(String, Vec<f64>)> = model
        .solutes
        .iter()
        .zip(u)
        .map(|(s, f)| {
            (
                format!("{}_{}", s.name, s.unit),
                f.iter().enumerate().map(|(c, &v)| mask(v, c)).collect(),
            )
        })
        .collect();
    let p = &model.metabolism.p;
    fields.push((
        "pH".into(),
        u[LACTATE]
            .iter()
            .enumerate()
            .map(|(c, &v)| mask(p.ph(v), c))
            .collect(),
    ));
    fields.push((
        "viable_fraction".into(),
        viability
            .iter()
            .enumerate()
            .map(|(c, &v)| mask(v, c))
            .collect(),
    ));
    fields.push((
        "viable_cell_density_cells_per_mm3".into(),
        (0..g.len())
            .map(|c| mask(model.rho0[c] * viability[c], c))
            .collect(),
    ));
    fields.push((
        "death_time_d".into(),
        death.iter().map(|&v| v / 86400.0).collect(),
    ));
    if let Some(d) = delivery {
        fields.extend(d.fields(g));
    }
    if let Some(d) = disease {
        fields.extend(d.fields(g));
    }
    Snapshot { time_s: t, fields }
}

fn observe(
    model: &Model,
    u: &[Vec<f64>],
    viability: &[f64],
    delivery: Option<&Delivery>,
    disease: Option<(&Disease, &TreatmentInputs, &ReadoutParams)>,
) -> Result<(Vec<String>, Vec<f64>), Error> {
    let sol: Vec<(String, String, &[f64])> = model
        .solutes
        .iter()
        .zip(u)
        .map(|(s, f)| (s.name.clone(), s.unit.clone(), f.as_slice()))
        .collect();
    let st = State {
        grid: &model.grid,
        solutes: &sol,
        lactate: Some(LACTATE),
        glucose: Some(GLUCOSE),
        viability,
        rho0: &model.rho0,
        metabolism: &model.metabolism.p,
    };
    let mut cols = vec![];
    let mut vals = vec![];
    for o in default_observers() {
        cols.extend(o.columns(&st));
        o.observe(&st, &mut vals);
    }
    if let Some(d) = delivery {
        cols.extend(d.columns());
        d.observe(&model.grid, &mut vals);
    }
    if let Some((ds, tr, rp)) = disease {
        cols.extend(ds.columns());
        ds.observe(model, Some(tr), rp, &mut vals)?;
    }
    Ok((cols, vals))
}

/// Runs one arm.
pub fn run_arm(
    scenario: &Scenario,
    arm: &Arm,
    base: &Registry,
    progress: Progress,
) -> Result<ArmOutput, Error> {
    if scenario.tissue == crate::scenario::Tissue::Cord {
        return Err(Error::Config("tissue = cord runs through sim::cord".into()));
    }
    let reg = registry_for(base, scenario, Some(arm))?;
    let grade = arm.grade.unwrap_or(scenario.grade);
    let model = assemble(
        &reg,
        &scenario.species,
        grade,
        &scenario.grid,
        scenario.boundary,
    )?;
    let n = model.grid.len();
    let mut viability = model.initial_viability();
    let mut death = vec![f64::NAN; n];
    let opts = newton_opts(scenario);
    let mut out = ArmOutput {
        name: arm.name.clone(),
        description: arm.description.clone(),
        grade,
        times_s: vec![],
        columns: vec![],
        rows: vec![],
        snapshots: vec![],
        steady: None,
        max_step_residual: 0.0,
        fields: vec![],
        viability: vec![],
        death_time_s: vec![],
        final_time_s: 0.0,
        delivery: None,
        disease: None,
        injury: arm
            .injury
            .map(|i| i.geometry(model.disc_height_mm))
            .transpose()?,
        model: model.clone(),
    };
    let bio_on = scenario.biology.enabled;
    let (specs, ros, described) = treatments::resolve(&arm.treatments, &reg, &model)?;
    // with the biology coupled, H2O2 is a biology solute (the nanozymes act through it)
    let ros = if bio_on { None } else { ros };
    if !specs.is_empty() && scenario.solver.mode == Mode::Steady {
        return Err(Error::Config(format!(
            "arm \"{}\" has treatments, which need solver.mode = \"transient\"",
            arm.name
        )));
    }
    let mut delivery = if specs.is_empty() {
        None
    } else {
        Some(Delivery::new(&model, specs, ros, &viability)?)
    };
    let mut max_imbalance: f64 = 0.0;
    let mut u = model.boundary_fields();
    match scenario.solver.mode {
        Mode::Steady => {
            let rep = model.steady_state(&viability, &mut u, opts)?;
            check_state(&model, &u, 0.0)?;
            out.steady = Some(rep);
        }
        Mode::Transient => {
            if scenario.solver.initial == Initial::Steady {
                let base_reg = registry_for(base, scenario, None)?;
                let base_model = assemble(
                    &base_reg,
                    &scenario.species,
                    scenario.grade,
                    &scenario.grid,
                    scenario.boundary,
                )?;
                let same_mask = base_model.grid.n == model.grid.n
                    && base_model
                        .grid
                        .labels
                        .iter()
                        .zip(&model.grid.labels)
                        .all(|(a, b)| (*a == VOID) == (*b == VOID));
                if !same_mask {
                    return Err(Error::Config(format!(
                        "arm \"{}\": solver.initial = \"steady\" starts from the baseline disc, but this arm changes the geometry (grade {grade} vs {}); use solver.initial = \"boundary\" or keep the grade",
                        arm.name, scenario.grade
                    )));
                }
                let mut ub = base_model.boundary_fields();
                let rep = base_model.steady_state(&viability, &mut ub, opts)?;
                out.steady = Some(rep);
                u = ub;
            }
        }
    }
    if let Some(d) = delivery.as_mut() {
        d.inject_due(&model.grid, 0.0);
    }
    let mut disease = if bio_on {
        let injury = arm.injury.as_ref().zip(out.injury.as_ref());
        let mut ds = Disease::new(
            &reg,
            &model,
            &scenario.species,
            injury,
            &u,
            scenario.biology.dt_s,
        )?;
        if let Some(d) = delivery.as_ref() {
            ds.schedule_cells(d.cell_doses(&model.grid));
        }
        ds.viability_into(&model, &mut viability);
        Some(ds)
    } else {
        None
    };
    let readout_params = if bio_on {
        Some(ReadoutParams::from_registry(&reg)?)
    } else {
        None
    };
    let treatment_inputs = |ds: &Disease, delivery: Option<&Delivery>, t: f64| match delivery {
        Some(d) => d.biology_inputs(&model.grid, &ds.solutes[0], t),
        None => Ok(TreatmentInputs::default()),
    };
    let mut tin = match &disease {
        Some(ds) => treatment_inputs(ds, delivery.as_ref(), 0.0)?,
        None => TreatmentInputs::default(),
    };
    fn dis<'a>(
        ds: Option<&'a Disease>,
        tin: &'a TreatmentInputs,
        rp: Option<&'a ReadoutParams>,
    ) -> Option<(&'a Disease, &'a TreatmentInputs, &'a ReadoutParams)> {
        ds.zip(rp).map(|(d, rp)| (d, tin, rp))
    }
    // the run's own table
    let (cols, vals) = observe(
        &model,
        &u,
        &viability,
        delivery.as_ref(),
        dis(disease.as_ref(), &tin, readout_params.as_ref()),
    )?;
    out.columns = cols;
    out.times_s.push(0.0);
    out.rows.push(vals);
    let wants_fields = scenario.outputs.fields;
    if wants_fields
        && (scenario.solver.mode == Mode::Steady
            || scenario.solver.output_times_s.iter().any(|&t| t <= 0.0))
    {
        out.snapshots.push(snapshot(
            &model,
            &u,
            &viability,
            &death,
            delivery.as_ref(),
            disease.as_ref(),
            0.0,
        ));
    }
    if scenario.solver.mode == Mode::Transient {
        let end = scenario.solver.end_time_s;
        let dt = scenario.solver.dt_s;
        let every = scenario.outputs.timeseries_interval_s.max(dt.min(end));
        let mut events: Vec<(f64, bool)> = vec![];
        let mut k = 1.0;
        while k * every < end * (1.0 - 1e-12) {
            events.push((k * every, false));
            k += 1.0;
        }
        events.push((end, false));
        for &t in &scenario.solver.output_times_s {
            if t > 0.0 {
                events.push((t, true));
            }
        }
        if let Some(d) = &delivery {
            for t in d.injection_times() {
                if t > 0.0 && t < end {
                    events.push((t, false));
                }
            }
        }
        events.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut lod = match scenario.solver.method {
            Method::Lod => Some(LodSolver::new(&model.grid)),
            Method::Implicit => None,
        };
        let procs: [&dyn Process; 1] = [&model.metabolism];
        // nutrient transport coefficients; with the biology coupled, the NP diffusivities of
        // every solute (nutrients, biology solutes, payloads, carriers) follow the NP water of
        // the swelling mechanics
        let mut solutes = model.solutes.clone();
        let np_water0 = match &disease {
            Some(ds) => Some(ds.mechanics(&model, Some(&tin))?.np.water_wet_fraction),
            None => None,
        };
        let mut implicit = ImplicitSolver::new();
        let mut t = 0.0;
        let mut ev = 0;
        let p = &model.metabolism.p;
        while t < end * (1.0 - 1e-12) {
            while ev < events.len() && events[ev].0 <= t * (1.0 + 1e-12) {
                ev += 1;
            }
            let next = if ev < events.len() { events[ev].0 } else { end };
            let h = dt.min(next - t);
            let v_prev = viability.clone();
            if let Some(d) = delivery.as_mut() {
                d.inject_due(&model.grid, t);
                let subs = (h / scenario.solver.delivery_dt_s).ceil().max(1.0);
                let hs = h / subs;
                for k in 0..subs as usize {
                    d.step(&model, &viability, t + k as f64 * hs, hs)?;
                }
                for (_, led) in d.ledgers(&model.grid) {
                    max_imbalance = max_imbalance.max(led.imbalance().abs());
                }
            }
            if let Some(ds) = disease.as_mut() {
                tin = treatment_inputs(ds, delivery.as_ref(), t + h)?;
                ds.step(&model, &u, &tin, t, h).map_err(|e| {
                    Error::Convergence(format!(
                        "arm \"{}\" at t = {:.4} d: {e}",
                        arm.name,
                        t / 86400.0
                    ))
                })?;
                ds.viability_into(&model, &mut viability);
                if let Some(w0) = np_water0 {
                    // water feedback: nutrients now, biology solutes and delivered species
                    // from the next step on
                    let w = ds.mechanics(&model, Some(&tin))?.np.water_wet_fraction;
                    let ratio = w / w0;
                    disease::water_feedback(&model, ratio, &mut solutes);
                    ds.set_np_water(&model, ratio);
                    if let Some(d) = delivery.as_mut() {
                        let (phi0, phi) = disease::np_water(&model, ratio);
                        d.set_np_water(&model.grid, phi0, phi);
                    }
                }
            }
            let ctx = model.contexts(&viability);
            match lod.as_mut() {
                None => {
                    let sys = System {
                        grid: &model.grid,
                        solutes: &solutes,
                        processes: &procs,
                        ctx: &ctx,
                    };
                    let rep = implicit
                        .backward_euler_step(&sys, &mut u, h, opts)
                        .map_err(|e| {
                            Error::Convergence(format!(
                                "arm \"{}\" at t = {:.4} d: {e}",
                                arm.name,
                                t / 86400.0
                            ))
                        })?;
                    out.max_step_residual = out.max_step_residual.max(rep.residual);
                }
                Some(l) => {
                    l.try_step(&model.grid, &solutes, &mut u, h)?;
                    react_implicit(&model.grid, &procs, &ctx, &mut u, h).map_err(|c| {
                        let [i, j, k] = model.grid.ijk(c);
                        Error::Convergence(format!(
                            "local reaction solve failed at voxel ({i}, {j}, {k}) at t = {:.4} d",
                            t / 86400.0
                        ))
                    })?;
                }
            }
            t += h;
            check_state(&model, &u, t)?;
            for c in 0..n {
                if model.grid.labels[c] == VOID {
                    continue;
                }
                // one viability path: with the biology coupled, nutrient death is its input
                let before = v_prev[c];
                if disease.is_none() {
                    let rate = p.death_rate(u[GLUCOSE][c], p.ph(u[LACTATE][c]));
                    if rate > 0.0 {
                        viability[c] *= (-rate * h).exp();
                    }
                }
                if death[c].is_nan() && before >= 0.5 && viability[c] < 0.5 {
                    death[c] = t;
                }
            }
            let at_event = events
                .iter()
                .filter(|e| (e.0 - t).abs() <= 1e-9 * end.max(1.0))
                .collect::<Vec<_>>();
            if !at_event.is_empty() {
                let (_, vals) = observe(
                    &model,
                    &u,
                    &viability,
                    delivery.as_ref(),
                    dis(disease.as_ref(), &tin, readout_params.as_ref()),
                )?;
                out.times_s.push(t);
                out.rows.push(vals);
                if wants_fields && at_event.iter().any(|e| e.1) {
                    out.snapshots.push(snapshot(
                        &model,
                        &u,
                        &viability,
                        &death,
                        delivery.as_ref(),
                        disease.as_ref(),
                        t,
                    ));
                }
            }
            progress(&arm.name, t / end);
        }
        out.final_time_s = t;
    }
    progress(&arm.name, 1.0);
    if let Some(d) = &delivery {
        out.delivery = Some(DeliveryOutput {
            ledgers: d.ledgers(&model.grid),
            max_imbalance,
            coverage: d.coverage_summary(&model.grid),
            treatments: described,
        });
    }
    if let Some(ds) = disease {
        out.disease = Some(DiseaseOutput {
            integrator: ds.stats,
            injury_severity: ds.injury.severity,
            np_loss: ds.injury.np_loss,
            injury_lasting_level: ds.injury.lasting_level(),
            states: ds.states,
        });
    }
    out.fields = u;
    out.viability = viability;
    out.death_time_s = death;
    Ok(out)
}

/// Builds every arm's disc without solving, and reports geometry that the grid cannot resolve
/// (or any other assembly error) as located scenario errors (key `grid.spacing` where it applies).
/// On success returns one line per arm whose needle puncture or annulus defect drives the disc
/// biology: the needle- (defect-) to-disc-height ratio (dimensionless), the severity factor
/// (0..1, the share of the calibrated full drive; docs/model.md section 10) and the fraction of
/// the NP extruded at the puncture (0..1).
pub fn check_geometry(
    scenario: &Scenario,
    base: &Registry,
) -> Result<Vec<String>, crate::scenario::ScenarioErrors> {
    use crate::scenario::{locate_setting, ScenarioError, ScenarioErrors};
    let mut errors = vec![];
    let mut notes = vec![];
    for (i, arm) in scenario.arms.iter().enumerate() {
        let built = registry_for(base, scenario, Some(arm)).and_then(|reg| {
            let model = assemble(
                &reg,
                &scenario.species,
                arm.grade.unwrap_or(scenario.grade),
                &scenario.grid,
                scenario.boundary,
            )?;
            // treatments: presets resolve and every depot fits its site
            let (specs, ros, _) = treatments::resolve(&arm.treatments, &reg, &model)?;
            if !specs.is_empty() {
                if scenario.solver.mode == Mode::Steady {
                    return Err(Error::Config(format!(
                        "{}: treatments need solver.mode = \"transient\"",
                        arm.treatments[0].key
                    )));
                }
                Delivery::new(&model, specs, ros, &model.initial_viability())?;
            }
            // disease stage: the injury can be placed on this grid, species constants exist
            if scenario.biology.enabled {
                if let Some(inj) = &arm.injury {
                    let geo = inj.geometry(model.disc_height_mm)?;
                    let drive = disease::InjuryDrive::new(
                        &model.grid,
                        inj,
                        &geo,
                        &disease::InjuryParams::from_registry_for(&reg, &scenario.species)?,
                    )?;
                    if geo.diameter_to_height_ratio > 0.0 {
                        notes.push(format!(
                            "arm \"{}\": {} {:.2} mm, {:.2} of the {:.2} mm disc height: \
                             severity factor {:.2} of the full drive, NP extruded {:.2}",
                            arm.name,
                            geo.kind,
                            geo.diameter_mm,
                            geo.diameter_to_height_ratio,
                            model.disc_height_mm,
                            drive.severity,
                            drive.np_loss
                        ));
                    }
                }
                reg.value(&format!("anatomy.{}.ecm_turnover_factor", scenario.species))?;
            }
            Ok(model)
        });
        if let Err(e) = built {
            let msg = e.to_string();
            let (key, (line, column)) = if msg.contains("grid.spacing") {
                (
                    "grid.spacing".to_string(),
                    locate_setting(&scenario.source_text, "grid", "spacing").unwrap_or((0, 0)),
                )
            } else {
                (format!("arm[{i}]"), (0, 0))
            };
            let mut err = ScenarioError::new(key, format!("arm \"{}\": {msg}", arm.name));
            err.line = line;
            err.column = column;
            if !errors
                .iter()
                .any(|x: &ScenarioError| x.message == err.message)
            {
                errors.push(err);
            }
        }
    }
    if errors.is_empty() {
        Ok(notes)
    } else {
        Err(ScenarioErrors(errors))
    }
}

/// Runs every arm of a scenario (in parallel) on top of the base registry.
pub fn run(scenario: &Scenario, base: &Registry, progress: Progress) -> Result<RunOutput, Error> {
    if scenario.tissue == crate::scenario::Tissue::Cord {
        return Err(Error::Config("tissue = cord runs through sim::cord".into()));
    }
    let arms: Result<Vec<ArmOutput>, Error> = scenario
        .arms
        .par_iter()
        .map(|arm| run_arm(scenario, arm, base, progress))
        .collect();
    Ok(RunOutput { arms: arms? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{GridSpec, Shape};

    fn small_model() -> Model {
        let spec = GridSpec {
            kind: crate::grid::GridKind::Axisymmetric,
            spacing_mm: 0.5,
            shape: Shape::Ellipse,
        };
        assemble(
            &Registry::builtin(),
            "human_l4l5",
            2,
            &spec,
            Default::default(),
        )
        .unwrap()
    }

    #[test]
    fn negative_or_nan_concentration_stops_with_a_located_message() {
        let m = small_model();
        let mut u = m.boundary_fields();
        assert!(check_state(&m, &u, 0.0).is_ok());
        let c = (0..m.grid.len())
            .find(|&c| m.grid.labels[c] == crate::grid::NP)
            .unwrap();
        u[GLUCOSE][c] = -0.01;
        let e = check_state(&m, &u, 86400.0).unwrap_err().to_string();
        assert!(
            e.contains("glucose") && e.contains("NP") && e.contains("t = 1.0000 d"),
            "{e}"
        );
        u[GLUCOSE][c] = 1.0;
        u[OXYGEN][c] = f64::NAN;
        let e = check_state(&m, &u, 0.0).unwrap_err().to_string();
        assert!(e.contains("oxygen"), "{e}");
        // round-off below zero is accepted, not clamped
        u[OXYGEN][c] = -1e-12;
        assert!(check_state(&m, &u, 0.0).is_ok());
    }

    /// The needle-to-disc-height ratio (and so the injury severity) uses the anatomical disc
    /// height, whatever the grid: the rabbit disc is 2.0 mm, built 2.25 mm at 0.25 mm spacing.
    #[test]
    fn the_needle_ratio_does_not_depend_on_the_grid() {
        let reg = Registry::builtin();
        let model = |spacing_mm: f64, grade: u8| {
            let spec = GridSpec {
                kind: crate::grid::GridKind::Axisymmetric,
                spacing_mm,
                shape: Shape::Ellipse,
            };
            assemble(&reg, "rabbit_lumbar", grade, &spec, Default::default()).unwrap()
        };
        let needle = crate::injury::Injury::NeedlePuncture {
            gauge: 16,
            penetration: crate::injury::Penetration::Half,
            time_s: 0.0,
        };
        let coarse = model(0.25, 1);
        assert!((coarse.built.disc_height - 2.25).abs() < 1e-12);
        let mut ratios = vec![];
        for h in [0.25, 0.2, 0.1] {
            let m = model(h, 1);
            assert!(
                (m.disc_height_mm - 2.0).abs() < 1e-12,
                "{h}: {}",
                m.disc_height_mm
            );
            ratios.push(
                needle
                    .geometry(m.disc_height_mm)
                    .unwrap()
                    .diameter_to_height_ratio,
            );
        }
        assert!(
            ratios.iter().all(|&r| (r - 1.651 / 2.0).abs() < 1e-12),
            "{ratios:?}"
        );
        // a degenerated grade is lower between the CEPs: the ratio grows with it
        let g4 = model(0.1, 4);
        let hf = reg.value("degeneration.grade4.height_factor").unwrap();
        let cep = g4.geometry.cep_thickness;
        assert!((g4.disc_height_mm - (2.0 * cep + (2.0 - 2.0 * cep) * hf)).abs() < 1e-12);
    }
}
