//! The run loop of a spinal cord scenario (`[scenario] tissue = "cord"`): per arm, build the cord
//! grid of the species preset, start from the intact cord, apply the arm's primary injury and
//! treatments, and step the secondary-injury biology coupled to solute transport, macrophage
//! chemotaxis and the dosing routes; sample the SCI read-outs (lesion, sparing, survival,
//! macrophage and microglia M1/M2, cytokines, BBB/BMS) and field snapshots.
//!
//! One step `h` (`solver.dt`, shortened to land on sample, snapshot, injury and injection
//! times): 1-2 once at the start of the step, then a Strang split of 3-4 over `h/2`, 5 over `h`
//! and 3-4 again over `h/2`:
//! 1. injury inputs at the step's midpoint: a contusion sets the acute insult of every
//!    parenchyma voxel to its severity when its time is reached ([`crate::sci::injury::severity_field`]);
//!    a compression gives per-voxel compression and perfusion ([`crate::sci::injury::compression_inputs`]);
//! 2. dosing ([`crate::sci::dosing`]): injections, i.v. uptake through the barrier opening of the
//!    current state, intrathecal CSF-side supply, release and diffusion of payloads; the
//!    treatments' biology inputs per voxel;
//! 3. diffusion of the biology solutes TNF-a, IL-1b, IL-10 and CCL2 (TR-BDF2, second order and
//!    L-stable: [`crate::delivery::linear::LinearSpecies::step_trbdf2`]; CNS extracellular
//!    diffusivities, CSF turnover loss: [`crate::sci::transport`]; H2O2 stays local);
//! 4. chemotaxis of the monocyte-derived macrophages (M0, M1, M2) up the CCL2 field
//!    ([`crate::sci::chemotaxis`]; `[cord] chemotaxis = false` switches it off);
//! 5. the per-voxel biology over `h` in grey and white matter ([`crate::sci::process::react_cord`]).
//!
//! H2O2 relaxes within seconds and is not transported: it stays at its local quasi-steady value
//! inside step 5 (documented in docs/cord.md, with the measured time-step accuracy).

use crate::anatomy::cord::{build_cord_grid, BuiltCord, CordGeometry};
use crate::biology::batch::BatchStats;
use crate::grid::{Grid, GREY, VOID, WHITE};
use crate::params::Registry;
use crate::scenario::{Arm, ArmRole, AxialEnds, Scenario, Tissue};
use crate::sci::biology::state::{
    AXON, BARRIER, INSULT, MAC_M0, MAC_M1, MAC_M2, MG_M1, MG_M2, MG_REST, NEURON, NEUTROPHIL,
    OLIGO, SCAR, VULNERABLE,
};
use crate::sci::biology::{default_options, Inputs, SciParams, SciState};
use crate::sci::chemotaxis::{Chemotaxis, ChemotaxisParams};
use crate::sci::dosing::{CordDosing, CordLedger};
use crate::sci::injury::{
    advance_block, compression_inputs, severity_field, tolerant_fraction, CordInjury, InjuryParams,
};
use crate::sci::lesion::{
    epicentre_cells, sci_readouts, CordFields, SciReadoutParams, SciReadouts,
};
use crate::sci::process::{react_cord, CordSoluteMap};
use crate::sci::transport::{self as ctr, CordTransportParams};
use crate::sim::{Progress, Snapshot};
use crate::Error;
use rayon::prelude::*;

/// Registry name prefixes the cord model reads (listed per arm in `scenario.resolved.toml`).
pub const CORD_PARAMETER_PREFIXES: &[&str] = &[
    "sci.",
    "cord.",
    "cord_injury.",
    "cord_transport.",
    "cord_dosing.",
    "cord_chemotaxis.",
    "route.",
    "macrophage.",
    "cytokine.",
    "h2o2.",
    "solute.stokes_radius.",
    "cord_host.",
];

/// Everything one cord arm produced.
#[derive(Debug, Clone)]
pub struct CordArmOutput {
    /// Arm name.
    pub name: String,
    /// Arm description.
    pub description: String,
    /// Place in the study design.
    pub role: ArmRole,
    /// The cord grid (labels GREY, WHITE, CSF, VOID; mm).
    pub grid: Grid,
    /// What the grid builder made of the preset (radii mm, volumes mm^3).
    pub built: BuiltCord,
    /// Sample times (s).
    pub times_s: Vec<f64>,
    /// Read-out names (stable snake_case, as in `arms.csv`).
    pub columns: Vec<String>,
    /// Unit of each read-out.
    pub units: Vec<String>,
    /// Read-out rows, one per sample time (NaN where undefined, e.g. an M1/M2 ratio without M2).
    pub rows: Vec<Vec<f64>>,
    /// Field snapshots at `solver.output_times`.
    pub snapshots: Vec<Snapshot>,
    /// Final per-voxel biology state.
    pub states: Vec<SciState>,
    /// Epicentre severity of the contusion (1; 0 without one).
    pub epicentre_severity: f64,
    /// Integrator work summed over the run.
    pub integrator: BatchStats,
    /// Per treatment: final amount ledger (ng).
    pub ledgers: Vec<(String, CordLedger)>,
    /// Largest relative amount imbalance of the dosing ledgers over the run.
    pub max_imbalance: f64,
    /// Registry parameters of the cord model this arm ran with: (name, value, unit).
    pub used: Vec<(String, f64, String)>,
    /// Final simulated time (s).
    pub final_time_s: f64,
}

/// Results of a cord scenario.
#[derive(Debug, Clone)]
pub struct CordRunOutput {
    /// One entry per arm, in scenario order.
    pub arms: Vec<CordArmOutput>,
}

fn days(t: f64) -> f64 {
    t / 86400.0
}

/// The time the arm's injury happens (s), if any.
fn injury_time(inj: Option<&CordInjury>) -> Option<f64> {
    match inj? {
        CordInjury::Contusion { time_s, .. } => Some(*time_s),
        CordInjury::Compression { onset_s, .. } => Some(*onset_s),
    }
}

/// Parameters of the cord model an arm runs with (every registry entry with a cord prefix).
fn used_parameters(reg: &Registry) -> Vec<(String, f64, String)> {
    reg.iter()
        .filter(|p| {
            CORD_PARAMETER_PREFIXES
                .iter()
                .any(|x| p.name.starts_with(x))
        })
        .map(|p| (p.name.clone(), p.value, p.unit.clone()))
        .collect()
}

/// Snapshot field list of the cord: biology entries and solutes per voxel (NaN on void cells).
fn cord_snapshot(
    grid: &Grid,
    states: &[SciState],
    fields: &[Vec<f64>],
    block: Option<&[f64]>,
    t: f64,
) -> Snapshot {
    let mask = |c: usize, v: f64| if grid.labels[c] == VOID { f64::NAN } else { v };
    let tissue = |c: usize, v: f64| {
        if matches!(grid.labels[c], GREY | WHITE) {
            v
        } else {
            f64::NAN
        }
    };
    let entry = |name: &str, i: usize| {
        (
            name.to_string(),
            states
                .iter()
                .enumerate()
                .map(|(c, s)| tissue(c, s.0[i]))
                .collect::<Vec<f64>>(),
        )
    };
    let mut out = vec![
        entry("neuron_fraction", NEURON),
        entry("oligodendrocyte_fraction", OLIGO),
        entry("axon_fraction", AXON),
        entry("scar_fraction", SCAR),
        entry("insult_fraction", INSULT),
        entry("vulnerable_fraction", VULNERABLE),
        entry("neutrophil_cells_per_mm3", NEUTROPHIL),
        entry("macrophage_m0_cells_per_mm3", MAC_M0),
        entry("macrophage_m1_cells_per_mm3", MAC_M1),
        entry("macrophage_m2_cells_per_mm3", MAC_M2),
        entry("microglia_resting_cells_per_mm3", MG_REST),
        entry("microglia_m1_cells_per_mm3", MG_M1),
        entry("microglia_m2_cells_per_mm3", MG_M2),
        entry("barrier_opening", BARRIER),
    ];
    let labels = (
        "tissue_label".to_string(),
        (0..grid.len())
            .map(|c| mask(c, grid.labels[c] as f64))
            .collect(),
    );
    out.push(labels);
    if let Some(b) = block {
        out.push((
            "conduction_block_fraction".to_string(),
            b.iter().enumerate().map(|(c, &v)| tissue(c, v)).collect(),
        ));
    }
    let names = [
        "h2o2_uM",
        "tnf_pg_per_mL",
        "il1b_pg_per_mL",
        "il10_pg_per_mL",
        "ccl2_pg_per_mL",
    ];
    for (name, f) in names.iter().zip(fields) {
        out.push((
            name.to_string(),
            f.iter().enumerate().map(|(c, &v)| mask(c, v)).collect(),
        ));
    }
    Snapshot {
        time_s: t,
        fields: out,
    }
}

/// Read-out names with their units, and the values of one sample.
type Sample = (Vec<(String, String)>, Vec<f64>);

/// Read-out row of one sample: the SCI read-outs (with the locomotor `scale` of the species only,
/// [`crate::sci::locomotor::scale_of`]) and the dosing read-outs.
#[allow(clippy::too_many_arguments)]
fn sample(
    grid: &Grid,
    params: &SciParams,
    states: &[SciState],
    inputs: &[Inputs],
    fields: &[Vec<f64>],
    map: &CordSoluteMap,
    epicentre: &[usize],
    days_post_injury: f64,
    rp: &SciReadoutParams,
    dosing: &CordDosing,
    scale: Option<&str>,
    block: Option<&[f64]>,
) -> Result<Sample, Error> {
    let col = |i: usize| -> Vec<f64> { states.iter().map(|s| s.0[i]).collect() };
    let (neuron, oligo, axon, scar) = (col(NEURON), col(OLIGO), col(AXON), col(SCAR));
    let (m0, m1, m2) = (col(MAC_M0), col(MAC_M1), col(MAC_M2));
    let (gr, g1, g2, neu) = (col(MG_REST), col(MG_M1), col(MG_M2), col(NEUTROPHIL));
    // the dying cells of this instant (what TUNEL sees), under the inputs of the last step
    let (neuron_loss, oligo_loss): (Vec<f64>, Vec<f64>) = states
        .iter()
        .zip(inputs)
        .map(|(s, inp)| {
            let l = crate::sci::biology::rates::cell_loss(params, inp, &s.0);
            (l.neuron, l.oligodendrocyte)
        })
        .unzip();
    let f = CordFields {
        neuron: &neuron,
        oligodendrocyte: &oligo,
        axon: &axon,
        scar: &scar,
        macrophage_m0: &m0,
        macrophage_m1: &m1,
        macrophage_m2: &m2,
        microglia_resting: &gr,
        microglia_m1: &g1,
        microglia_m2: &g2,
        neutrophil: &neu,
        ccl2_pg_ml: Some(&fields[map.ccl2]),
        tnf_pg_ml: Some(&fields[map.tnf]),
        il1b_pg_ml: Some(&fields[map.il1b]),
        il10_pg_ml: Some(&fields[map.il10]),
        conduction_block: block,
        neuron_loss_per_s: Some(&neuron_loss),
        oligodendrocyte_loss_per_s: Some(&oligo_loss),
    };
    let r: SciReadouts = sci_readouts(grid, &f, epicentre, days_post_injury, rp)?;
    // only the species' own locomotor scale (BBB rat, BMS mouse, none for human)
    let keep = |name: &str| !matches!(name, "bbb" | "bms") || Some(name) == scale;
    let (mut cols, mut vals): (Vec<(String, String)>, Vec<f64>) = SciReadouts::columns()
        .into_iter()
        .zip(r.values())
        .filter(|((n, _), _)| keep(n))
        .map(|((n, u), v)| ((n.to_string(), u.to_string()), v))
        .unzip();
    for (name, unit, v) in dosing.readouts(grid)? {
        cols.push((name, unit));
        vals.push(v);
    }
    Ok((cols, vals))
}

/// The step boundaries of a run: sample times every `every` (s) up to `end`, plus `extra` times
/// inside (0, end). Sorted, without near-duplicates.
fn event_times(end: f64, every: f64, extra: &[f64]) -> Vec<f64> {
    let mut ev = vec![];
    let mut k = 1.0;
    while k * every < end * (1.0 - 1e-12) {
        ev.push(k * every);
        k += 1.0;
    }
    ev.push(end);
    ev.extend(extra.iter().copied().filter(|&t| t > 0.0 && t < end));
    ev.sort_by(f64::total_cmp);
    ev.dedup_by(|a, b| (*a - *b).abs() <= 1e-9 * b.abs().max(1.0));
    ev
}

fn is_sample(t: f64, every: f64, end: f64) -> bool {
    let k = (t / every).round();
    (t - k * every).abs() <= 1e-9 * t.max(1.0) || (t - end).abs() <= 1e-9 * end.max(1.0)
}

/// CCL2 gradient (pg/mL per mm) in which `cord_chemotaxis.sensitivity` gives the typical
/// migration speed it was chosen for (its registry entry: 3 um/min in 1000 pg/mL over 1 mm).
pub const REFERENCE_GRADIENT_PG_ML_PER_MM: f64 = 1000.0;

/// Time steps up to this many chemotactic crossing times ([`chemotaxis_crossing_time_s`]) count
/// as resolving the macrophages of a contusion (1). Measured (docs/cord.md, "Numerical accuracy"),
/// mouse 0.05 mm grid: at 15 min (0.9 crossing times) the 42-d spared white matter is 0.8 % from
/// converged, at 30 min (1.8) 1.9 % and at 1 h (3.6) 2.3 %, the jump coming between 30 and
/// 15 min; the rat 0.1 mm grid moved by 0.04 BBB points between 1 h (1.8) and 7.5 min.
pub const STEP_ADVICE_RATIO: f64 = 1.0;

/// Time (s) a macrophage drifting at the reference speed `chi x` [`REFERENCE_GRADIENT_PG_ML_PER_MM`]
/// takes to cross a cell of `spacing_mm` (mm).
pub fn chemotaxis_crossing_time_s(p: &ChemotaxisParams, spacing_mm: f64) -> f64 {
    spacing_mm / (p.sensitivity_mm2_s_per_pg_ml * REFERENCE_GRADIENT_PG_ML_PER_MM)
}

/// A note for the user when a cord scenario with a contusion and chemotaxis runs at a time step
/// longer than [`STEP_ADVICE_RATIO`] crossing times of its grid (the split of chemotaxis and
/// biology then under-resolves the macrophages gathering in the lesion); `None` for a disc
/// scenario, no contusion arm (chronic compression was not measured), chemotaxis off or a short
/// enough step. Uses the scenario-wide parameters over `base`.
pub fn step_advice(scenario: &Scenario, base: &Registry) -> Result<Option<String>, Error> {
    let contused = scenario
        .arms
        .iter()
        .any(|a| matches!(a.cord_injury, Some(CordInjury::Contusion { .. })));
    if scenario.tissue != Tissue::Cord || !scenario.cord.chemotaxis || !contused {
        return Ok(None);
    }
    let reg = super::registry_for(base, scenario, None)?;
    let p = ChemotaxisParams::from_registry(&reg)?;
    let cross = chemotaxis_crossing_time_s(&p, scenario.grid.spacing_mm);
    let dt = scenario.solver.dt_s;
    if !(cross > 0.0 && cross.is_finite()) || dt <= STEP_ADVICE_RATIO * cross {
        return Ok(None);
    }
    let speed_um_min =
        p.sensitivity_mm2_s_per_pg_ml * REFERENCE_GRADIENT_PG_ML_PER_MM * 1000.0 * 60.0;
    Ok(Some(format!(
        "note: solver.dt = {:.0} min is {:.1} times the {:.0} min a macrophage drifting at {:.1} \
         um/min takes to cross one {} mm cell; the macrophage distribution and the locomotor \
         scores may be biased (mouse 0.05 mm grid at 1 h: spared white matter 2.3 % and BMS about \
         0.15 points low; docs/cord.md, \"Numerical accuracy\"). Steps up to {:.0} min resolve it.",
        dt / 60.0,
        dt / cross,
        cross / 60.0,
        speed_um_min,
        scenario.grid.spacing_mm,
        STEP_ADVICE_RATIO * cross / 60.0
    )))
}

/// One note per chronic-compression arm: the steady conduction block of the surviving fibres, the
/// perfusion and the tolerant floor ([`crate::sci::injury::tolerant_fraction`]) at its full
/// compression ratio ([`crate::sci::injury::conduction_block`],
/// [`crate::sci::injury::autoregulated_perfusion`] when ischaemic), and the block's recovery time
/// after a decompression; for a species other than the rat, a closing note that the compression
/// constants are rat-calibrated. Empty for a disc scenario or without compression arms. Errors:
/// missing or invalid registry values.
pub fn compression_notes(scenario: &Scenario, base: &Registry) -> Result<Vec<String>, Error> {
    use crate::sci::injury::{autoregulated_perfusion, conduction_block};
    let mut notes = vec![];
    if scenario.tissue != Tissue::Cord {
        return Ok(notes);
    }
    let reg = super::registry_for(base, scenario, None)?;
    let ip = InjuryParams::from_registry(&reg)?;
    for arm in &scenario.arms {
        if let Some(CordInjury::Compression {
            compression_ratio: c,
            decompression_s,
            ischaemia,
            ..
        }) = arm.cord_injury
        {
            let perfusion = if ischaemia {
                autoregulated_perfusion(c, &ip)
            } else {
                1.0
            };
            let release = match decompression_s {
                Some(d) => format!(
                    "; after the decompression at {} d the block lifts with a {:.0}-d time constant \
                     (cord_injury.compression.block_recovery_time)",
                    d / 86400.0,
                    ip.block_recovery_s / 86400.0
                ),
                None => String::new(),
            };
            notes.push(format!(
                "arm \"{}\": compression {c}: conduction block {:.2} of the surviving fibres at the \
                 epicentre (half at {}, cord_injury.compression.block_half), perfusion {:.2} \
                 (autoregulated up to {:.2}), {:.2} of the tissue tolerates it indefinitely \
                 (cord_injury.compression.susceptible_half){release}",
                arm.name,
                conduction_block(c, &ip),
                ip.block_half,
                perfusion,
                ip.autoregulation_ratio(),
                tolerant_fraction(c, &ip)
            ));
        }
    }
    if !notes.is_empty() && !scenario.species.starts_with("rat") {
        notes.push(format!(
            "note: the compression constants (sci.compression.insult_rate, the conduction block \
             and the tolerant share) are set on the rat expanding-sheet models (Ijima 2017: onset \
             at 4-8 weeks; Dhillon 2016: mild to moderate); no {} data calibrate them, so this \
             cord degenerates on the rat's time scale and to the rat's extent, and its time \
             course is not a prediction for the species (docs/cord.md, \"Chronic compression: \
             insult and calibration\")",
            scenario.species
        ));
    }
    Ok(notes)
}

/// Notes on cord treatments that cannot act on the cord in the model, one per arm and payload: an
/// intrathecal payload whose Stokes radius is at least half the extracellular-space width
/// (`cord_transport.ecs_width`, nm) has zero hindered diffusivity in the grey and white matter,
/// so it stays in the CSF cells, where the CSF turnover washes it out, and reaches no cord cell.
/// Empty for a disc scenario. Errors: an unknown preset or missing registry value.
pub fn payload_advice(scenario: &Scenario, base: &Registry) -> Result<Vec<String>, Error> {
    let mut notes = vec![];
    if scenario.tissue != Tissue::Cord {
        return Ok(notes);
    }
    let reg = super::registry_for(base, scenario, None)?;
    let ecs_nm = reg.value_in("cord_transport.ecs_width", "nm")?;
    for arm in &scenario.arms {
        // one note per arm and payload, however many injections give it
        let mut seen: Vec<String> = vec![];
        for t in &arm.treatments {
            let spec = crate::sci::dosing::resolve(t)?;
            let r = spec.payload.stokes_radius_nm();
            if spec.route == crate::delivery::route::Route::Intrathecal
                && ctr::ecs_hindrance(r, ecs_nm) <= 0.0
                && !seen.contains(&spec.payload.id)
            {
                seen.push(spec.payload.id.clone());
                notes.push(format!(
                    "note: arm \"{}\", {}: the payload '{}' (Stokes radius {r} nm) is too large for \
                     the cord's extracellular space ({ecs_nm} nm wide, cord_transport.ecs_width), so \
                     given intrathecally it stays in the CSF, is washed out by the CSF turnover and \
                     reaches no cord cell in the model (docs/cord.md, \"Dosing the cord\"); give it \
                     locally or intravenously to reach the lesion",
                    arm.name, t.key, spec.payload.id
                ));
            }
        }
    }
    Ok(notes)
}

/// The myeloid cells that occupy space in a voxel (state indices): neutrophils, the
/// monocyte-derived macrophages and the microglia.
const MYELOID: [usize; 7] = [NEUTROPHIL, MAC_M0, MAC_M1, MAC_M2, MG_REST, MG_M1, MG_M2];

/// Half of the transport part of a Strang-split step: diffusion of the cytokines and CCL2 by one
/// TR-BDF2 step (second order in time; CSF turnover in the CSF cells; H2O2 stays local) and
/// chemotaxis of the monocyte-derived macrophages up the CCL2 receptor-occupancy potential
/// `K c/(K + c)` (`chemo` = the operator and `K`, pg/mL), with volume filling by all myeloid
/// cells ([`MYELOID`]), over `h` (s).
#[allow(clippy::too_many_arguments)]
fn transport_half(
    grid: &Grid,
    ops: &[crate::delivery::linear::LinearSpecies],
    csf_loss: &[f64],
    map: &CordSoluteMap,
    chemo: Option<(&Chemotaxis, f64)>,
    fields: &mut [Vec<f64>],
    states: &mut [SciState],
    mobile: &mut [f64],
    h: f64,
) -> Result<(), Error> {
    for (s, (op, f)) in ops.iter().zip(fields.iter_mut()).enumerate() {
        if s != map.ros {
            // TR-BDF2 is not positivity-preserving (a field with sharp peaks can dip below zero
            // over a long step); such a step is redone by backward Euler, which cannot (its
            // matrix is an M-matrix, so a non-negative field stays non-negative)
            let start = f.clone();
            op.step_trbdf2(f, h, csf_loss, &[])?;
            if f.iter().any(|&x| x < 0.0) {
                f.copy_from_slice(&start);
                op.step(f, h, csf_loss, &[])?;
            }
        }
    }
    if let Some((ch, k_half)) = chemo {
        let n = grid.len();
        // receptor-limited sensing: the cells climb the occupancy potential K c / (K + c), i.e.
        // a sensitivity chi K^2 / (K + c)^2 that falls once CCR2 saturates
        let phi: Vec<f64> = fields[map.ccl2]
            .iter()
            .map(|&c| {
                let c = c.max(0.0);
                k_half * c / (k_half + c)
            })
            .collect();
        // volume filling: every myeloid cell takes space (`cord_chemotaxis.packing_density`)
        let mut occupied: Vec<f64> = states
            .iter()
            .map(|st| MYELOID.iter().map(|&j| st.0[j].max(0.0)).sum())
            .collect();
        let mut background = vec![0.0; n];
        for i in [MAC_M0, MAC_M1, MAC_M2] {
            // the biology accepts entries down to -1e-6 x their typical magnitude (its absolute
            // tolerance; `SciState::check`); chemotaxis needs densities >= 0, so round-off
            // negatives (at most 1e-3 cells/mm^3) enter it as 0
            for c in 0..n {
                mobile[c] = states[c].0[i].max(0.0);
                background[c] = (occupied[c] - mobile[c]).max(0.0);
            }
            ch.step_crowded(mobile, &phi, &background, h)?;
            for c in 0..n {
                if matches!(grid.labels[c], GREY | WHITE) {
                    states[c].0[i] = mobile[c];
                    occupied[c] = background[c] + mobile[c];
                }
            }
        }
    }
    Ok(())
}

/// Runs one arm of a cord scenario.
pub fn run_cord_arm(
    scenario: &Scenario,
    arm: &Arm,
    base: &Registry,
    progress: Progress,
) -> Result<CordArmOutput, Error> {
    let reg = super::registry_for(base, scenario, Some(arm))?;
    let preset = scenario.species.as_str();
    let geom = CordGeometry::from_registry(&reg, preset)?;
    let (grid, built) = build_cord_grid(&geom, scenario.grid.kind, scenario.grid.spacing_mm)?;
    let n = grid.len();
    let params = SciParams::from_registry(&reg)?;
    let ip = InjuryParams::from_registry(&reg)?;
    let rp = SciReadoutParams::from_registry(&reg)?;
    let opts = default_options();
    let ends = match scenario.cord.axial_ends {
        AxialEnds::NoFlux => ctr::AxialEnds::NoFlux,
        // beyond the segment the cord takes up the solutes at the CCL2 decay rate
        AxialEnds::Continuation => ctr::AxialEnds::Continuation {
            far_loss_per_s: reg.value_in("sci.ccl2.decay", "1/s")?,
        },
    };
    let tp = CordTransportParams::from_registry(&reg, preset)?;
    let ops = ctr::cytokine_operators(&reg, &grid, preset, ends)?;
    let csf_loss = ctr::csf_loss_per_s(&grid, &tp);
    let chemo = if scenario.cord.chemotaxis {
        Some(Chemotaxis::new(
            &grid,
            &ChemotaxisParams::from_registry(&reg)?,
        )?)
    } else {
        None
    };
    let map = CordSoluteMap::after(0);
    // CCL2 of half-maximal CCR2 signalling (pg/mL): recruitment and chemotactic sensing
    let ccl2_half = reg.value_in("sci.ccl2.half", "pg/mL")?;
    let ccr2_available = reg.value("cord_host.ccr2_available")?;
    let specs = arm
        .treatments
        .iter()
        .map(crate::sci::dosing::resolve)
        .collect::<Result<Vec<_>, Error>>()?;
    let agent_op = |p: &crate::carriers::PayloadPreset| -> Result<_, Error> {
        let r = p.stokes_radius_nm();
        let free = ctr::free_diffusivity_mm2_s(&reg, r)?;
        Ok(ctr::agent_operator(&grid, &tp, &p.id, free, r, ends))
    };
    let mut dosing = CordDosing::new(specs, &grid, &reg, preset, &agent_op)?;

    // intact cord: every parenchyma voxel at the intact state; CSF keeps no cells
    let intact = params.intact_state();
    let mut states = vec![intact; n];
    let mut fields = vec![vec![0.0; n]; 5];
    for c in 0..n {
        if matches!(grid.labels[c], GREY | WHITE) {
            for (si, ti) in map.pairs() {
                fields[ti][c] = intact.0[si];
            }
        }
    }
    let injury = arm.cord_injury;
    let t_injury = injury_time(injury.as_ref());
    let severity = match &injury {
        Some(inj) => severity_field(&grid, inj, &ip)?,
        None => vec![0.0; n],
    };
    let epicentre = epicentre_cells(&grid, 0.0)?;
    let epicentre_severity = epicentre.iter().map(|&c| severity[c]).fold(0.0, f64::max);
    let mut contused = false;

    let end = scenario.solver.end_time_s;
    let dt = scenario.solver.dt_s;
    let every = scenario.outputs.timeseries_interval_s.max(dt.min(end));
    let mut extra: Vec<f64> = scenario.solver.output_times_s.clone();
    extra.extend(t_injury);
    extra.extend(arm.treatments.iter().map(|t| t.time_s));
    if let Some(CordInjury::Compression {
        decompression_s: Some(d),
        ..
    }) = injury
    {
        extra.push(d);
    }
    let events = event_times(end, every, &extra);

    let mut out = CordArmOutput {
        name: arm.name.clone(),
        description: arm.description.clone(),
        role: arm.role,
        grid: grid.clone(),
        built,
        times_s: vec![],
        columns: vec![],
        units: vec![],
        rows: vec![],
        snapshots: vec![],
        states: vec![],
        epicentre_severity,
        integrator: BatchStats::default(),
        ledgers: vec![],
        max_imbalance: 0.0,
        used: used_parameters(&reg),
        final_time_s: 0.0,
    };
    // days since injury for the locomotor recovery; an uninjured cord (no injury, or before it)
    // scores as fully recovered, and so does a chronic compression (no spinal shock: the
    // locomotor recovery course is that of an acute contusion; the score follows the sparing)
    let acute = matches!(injury, Some(CordInjury::Contusion { .. }));
    let scale = crate::sci::locomotor::scale_of(preset);
    let dpi = |t: f64| match t_injury {
        Some(ti) if acute && t >= ti => days(t - ti),
        _ => f64::INFINITY,
    };
    let compressed = matches!(injury, Some(CordInjury::Compression { .. }));
    let record = |out: &mut CordArmOutput,
                  states: &[SciState],
                  inputs: &[Inputs],
                  fields: &[Vec<f64>],
                  dosing: &CordDosing,
                  block: &[f64],
                  t: f64|
     -> Result<(), Error> {
        let (cols, vals) = sample(
            &grid,
            &params,
            states,
            inputs,
            fields,
            &map,
            &epicentre,
            dpi(t),
            &rp,
            dosing,
            scale,
            compressed.then_some(block),
        )?;
        if out.columns.is_empty() {
            out.columns = cols.iter().map(|c| c.0.clone()).collect();
            out.units = cols.iter().map(|c| c.1.clone()).collect();
        }
        out.times_s.push(t);
        out.rows.push(vals);
        Ok(())
    };
    // conduction block of the surviving axons under a chronic compression (0 elsewhere)
    let mut block = vec![0.0; n];
    // before the first step: the intact inputs
    let intact = vec![Inputs::default(); n];
    record(&mut out, &states, &intact, &fields, &dosing, &block, 0.0)?;
    let wants_fields = scenario.outputs.fields;
    let snap_due = |t: f64| {
        scenario
            .solver
            .output_times_s
            .iter()
            .any(|&x| (x - t).abs() <= 1e-9 * x.max(1.0))
    };
    if wants_fields && scenario.solver.output_times_s.iter().any(|&x| x <= 0.0) {
        out.snapshots.push(cord_snapshot(
            &grid,
            &states,
            &fields,
            compressed.then_some(block.as_slice()),
            0.0,
        ));
    }

    let mut inputs = vec![Inputs::default(); n];
    let hints = crate::biology::batch::StepHints::new(n);
    let mut t = 0.0;
    let mut ev = 0;
    let mut mobile = vec![0.0; n];
    while t < end * (1.0 - 1e-12) {
        while ev < events.len() && events[ev] <= t * (1.0 + 1e-12) + 1e-9 {
            ev += 1;
        }
        let next = events.get(ev).copied().unwrap_or(end);
        let h = dt.min(next - t);
        // 1. injury
        if let (Some(ti), false) = (t_injury, contused) {
            if matches!(injury, Some(CordInjury::Contusion { .. })) && t >= ti * (1.0 - 1e-12) {
                for c in 0..n {
                    if severity[c] > 0.0 {
                        let y = &mut states[c].0;
                        y[INSULT] = y[INSULT].max(severity[c]);
                    }
                }
                contused = true;
            }
        }
        let (comp, perf) = match &injury {
            Some(inj) => compression_inputs(&grid, inj, &ip, t + 0.5 * h)?,
            None => (vec![0.0; n], vec![1.0; n]),
        };
        for c in 0..n {
            inputs[c] = Inputs {
                compression: comp[c],
                perfusion: perf[c],
                ccr2_available,
                // the share a chronic compression cannot kill (none for a contusion)
                tolerant: if compressed {
                    tolerant_fraction(comp[c], &ip)
                } else {
                    0.0
                },
                ..Inputs::default()
            };
        }
        // 2. dosing
        let barrier: Vec<f64> = (0..n)
            .map(|c| {
                if matches!(grid.labels[c], GREY | WHITE) {
                    states[c].0[BARRIER].clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        dosing.step(t, h, &barrier)?;
        out.max_imbalance = out.max_imbalance.max(dosing.max_imbalance());
        dosing.add_inputs(&mut inputs)?;
        // 3-4. half a step of solute diffusion and chemotaxis (Strang splitting around 5)
        transport_half(
            &grid,
            &ops,
            &csf_loss,
            &map,
            chemo.as_ref().map(|ch| (ch, ccl2_half)),
            &mut fields,
            &mut states,
            &mut mobile,
            0.5 * h,
        )?;
        // 5. biology
        let stats = react_cord(
            &params,
            &grid,
            &map,
            &mut fields,
            &mut states,
            &inputs,
            h,
            &opts,
            Some(&hints),
        )
        .map_err(|e| {
            Error::Convergence(format!("arm \"{}\" at t = {:.4} d: {e}", arm.name, days(t)))
        })?;
        transport_half(
            &grid,
            &ops,
            &csf_loss,
            &map,
            chemo.as_ref().map(|ch| (ch, ccl2_half)),
            &mut fields,
            &mut states,
            &mut mobile,
            0.5 * h,
        )?;
        out.integrator.voxels = out.integrator.voxels.max(stats.voxels);
        out.integrator.max_steps = out.integrator.max_steps.max(stats.max_steps);
        out.integrator.total.add(&stats.total);
        t += h;
        if compressed {
            // the step's (midpoint) compression, as the biology saw it; steps end at the
            // decompression time, so the release starts with the step after it
            for (b, &c) in block.iter_mut().zip(&comp) {
                *b = advance_block(*b, c, h, &ip);
            }
        }
        if is_sample(t, every, end) {
            record(&mut out, &states, &inputs, &fields, &dosing, &block, t)?;
        }
        if wants_fields && snap_due(t) {
            out.snapshots.push(cord_snapshot(
                &grid,
                &states,
                &fields,
                compressed.then_some(block.as_slice()),
                t,
            ));
        }
        progress(&arm.name, (t / end).min(1.0));
    }
    out.ledgers = dosing.ledgers();
    out.states = states;
    out.final_time_s = t;
    Ok(out)
}

/// Runs every arm of a cord scenario (in parallel; results do not depend on the thread count).
pub fn run_cord(
    scenario: &Scenario,
    base: &Registry,
    progress: Progress,
) -> Result<CordRunOutput, Error> {
    if scenario.tissue != Tissue::Cord {
        return Err(Error::Config(
            "sim::cord runs scenarios with tissue = \"cord\"; this one is a disc".into(),
        ));
    }
    let arms: Result<Vec<CordArmOutput>, Error> = scenario
        .arms
        .par_iter()
        .map(|arm| run_cord_arm(scenario, arm, base, progress))
        .collect();
    Ok(CordRunOutput { arms: arms? })
}

#[cfg(test)]
#[path = "cord_tests.rs"]
mod tests;
