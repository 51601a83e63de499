//! Output files of a spinal cord run: summary.json, scenario.resolved.toml, timeseries.csv,
//! arms.csv (the same long form as the disc studies), fields/*.vti (+ fields.pvd) and SVG plots
//! (`plots/sci_study.svg`: the SCI end-points against time; `plots/spared_white_matter_profile.svg`:
//! spared white matter along the cord at the end of the run).

use std::path::Path;

use serde_json::{json, Value};

use super::{
    io_err, scenario_hash, time_panels, write_arms_long, write_snapshots, write_timeseries,
    ArmTable, RunMeta,
};
use crate::io::plot::{write_svg, Panel, Series};
use crate::scenario::Scenario;
use crate::sci::biology::state::AXON;
use crate::sci::lesion::spared_white_matter_profile;
use crate::sim::cord::{CordArmOutput, CordRunOutput};
use crate::Error;

/// The read-out tables of a cord run.
pub fn cord_tables(run: &CordRunOutput) -> Vec<ArmTable<'_>> {
    run.arms
        .iter()
        .map(|a| ArmTable {
            name: &a.name,
            role: a.role.id(),
            times_s: &a.times_s,
            columns: &a.columns,
            readouts: a
                .columns
                .iter()
                .cloned()
                .zip(a.units.iter().cloned())
                .collect(),
            rows: &a.rows,
        })
        .collect()
}

/// Whether any arm of `run` has fibres that survive but do not conduct at some output time
/// (`functional_white_matter_fraction` below `spared_white_matter_fraction` by more than 1e-6,
/// both dimensionless): a chronic compression arm. The plots and the run's summary line then show
/// the conducting fraction beside the spared one, since the locomotor scores follow it.
pub fn any_conduction_block(run: &CordRunOutput) -> bool {
    run.arms.iter().any(|a| {
        let col = |n: &str| a.columns.iter().position(|c| c == n);
        match (
            col("spared_white_matter_fraction"),
            col("functional_white_matter_fraction"),
        ) {
            (Some(s), Some(f)) => a.rows.iter().any(|r| r[f] < r[s] - 1e-6),
            _ => false,
        }
    })
}

fn arm_summary(a: &CordArmOutput) -> Value {
    let last: serde_json::Map<String, Value> = match a.rows.last() {
        Some(r) => a
            .columns
            .iter()
            .zip(r)
            .map(|(c, &v)| {
                (
                    c.clone(),
                    if v.is_finite() { json!(v) } else { Value::Null },
                )
            })
            .collect(),
        None => serde_json::Map::new(),
    };
    let ledgers: Vec<Value> = a
        .ledgers
        .iter()
        .map(|(k, l)| json!({"treatment": k, "ledger_ng": format!("{l:?}")}))
        .collect();
    let params: Vec<Value> = a
        .used
        .iter()
        .map(|(n, v, u)| json!({"name": n, "value": v, "unit": u}))
        .collect();
    json!({
        "name": a.name,
        "description": a.description,
        "role": a.role.id(),
        "geometry": a.built,
        "epicentre_severity": a.epicentre_severity,
        "final_time_d": a.final_time_s / 86400.0,
        "final_readouts": last,
        "dosing": {"ledgers": ledgers, "max_relative_imbalance": a.max_imbalance},
        "integrator": {
            "voxels": a.integrator.voxels,
            "max_steps_per_voxel_step": a.integrator.max_steps,
            "steps": a.integrator.total.steps,
            "rejected": a.integrator.total.rejected,
            "newton_failures": a.integrator.total.newton_failures,
            "jacobians": a.integrator.total.jacobians,
        },
        "parameters": params,
    })
}

/// Writes every output file of a cord run into `dir` (normally a staged directory).
pub fn write_cord_all(
    dir: &Path,
    scenario: &Scenario,
    run: &CordRunOutput,
    meta: &RunMeta,
    resolved_toml: &str,
) -> Result<(), Error> {
    let mut summary = json!({
        "nanospine_version": env!("CARGO_PKG_VERSION"),
        "scenario": {"name": scenario.name, "file": meta.scenario_file, "sha256": scenario_hash(&scenario.source_text)},
        "tissue": "cord",
        "mode": "transient",
        "species": scenario.species,
        "units": {"length": "mm", "time": "d (tables) / s (model)", "cells": "cells (whole modelled segment)", "cytokines": "pg/mL", "h2o2": "uM"},
        "arms": run.arms.iter().map(arm_summary).collect::<Vec<_>>(),
    });
    summary["run_time_s"] = json!(meta.wall_time_s);
    let p = dir.join("summary.json");
    let text = serde_json::to_string_pretty(&summary).map_err(|e| Error::Config(e.to_string()))?;
    std::fs::write(&p, text + "\n").map_err(io_err(&p))?;
    let p = dir.join("scenario.resolved.toml");
    std::fs::write(&p, resolved_toml).map_err(io_err(&p))?;
    let tables = cord_tables(run);
    write_timeseries(dir, &tables)?;
    write_arms_long(dir, &tables)?;
    if scenario.outputs.fields {
        write_fields(dir, run)?;
    }
    if scenario.outputs.plots {
        write_plots(dir, scenario, run, &tables)?;
    }
    Ok(())
}

fn write_fields(dir: &Path, run: &CordRunOutput) -> Result<(), Error> {
    let arms: Vec<(&str, &crate::grid::Grid, &[crate::sim::Snapshot])> = run
        .arms
        .iter()
        .map(|a| (a.name.as_str(), &a.grid, a.snapshots.as_slice()))
        .collect();
    write_snapshots(dir, &arms)
}

fn write_plots(
    dir: &Path,
    scenario: &Scenario,
    run: &CordRunOutput,
    tables: &[ArmTable],
) -> Result<(), Error> {
    let pdir = dir.join("plots");
    std::fs::create_dir_all(&pdir).map_err(io_err(&pdir))?;
    let score = match crate::sci::locomotor::scale_of(&scenario.species) {
        Some("bms") => Some(("bms", "locomotor score (BMS)", "BMS (0-9)")),
        Some(_) => Some(("bbb", "locomotor score (BBB)", "BBB (0-21)")),
        None => None,
    };
    let conducting = any_conduction_block(run).then_some((
        "functional_white_matter_fraction",
        "conducting white matter, epicentre",
        "fraction (-)",
    ));
    let wanted: Vec<_> = score
        .into_iter()
        .chain([(
            "spared_white_matter_fraction",
            "spared white matter, epicentre",
            "fraction (-)",
        )])
        .chain(conducting)
        .chain([
            ("lesion_volume_mm3", "lesion volume", "volume (mm^3)"),
            ("neuron_survival", "neuron survival", "fraction (-)"),
            (
                "neuron_death_rate",
                "neuron death rate (grey matter)",
                "dying / living per day (1/d)",
            ),
            (
                "oligodendrocyte_survival",
                "oligodendrocyte survival",
                "fraction (-)",
            ),
            ("macrophage_m1_m2_ratio", "macrophage M1/M2", "M1 / M2 (-)"),
            ("microglia_m1_m2_ratio", "microglia M1/M2", "M1 / M2 (-)"),
            (
                "macrophage_m1_cells",
                "M1 macrophages in the segment",
                "cells",
            ),
            ("ccl2_pg_ml", "CCL2, parenchyma mean", "CCL2 (pg/mL)"),
            ("tnf_pg_ml", "TNF-a, parenchyma mean", "TNF-a (pg/mL)"),
            ("il10_pg_ml", "IL-10, parenchyma mean", "IL-10 (pg/mL)"),
            ("neutrophil_cells", "neutrophils in the segment", "cells"),
            (
                "lesion_blood_derived_fraction",
                "blood-derived share of lesion myeloid cells",
                "fraction (-)",
            ),
        ])
        .collect();
    let panels = time_panels(tables, &wanted);
    let p = pdir.join("sci_study.svg");
    write_svg(&p, &panels, 3, 1500, 2000).map_err(|e| Error::Config(e.to_string()))?;
    let series = run
        .arms
        .iter()
        .map(|a| {
            let axon: Vec<f64> = a.states.iter().map(|s| s.0[AXON]).collect();
            let prof = spared_white_matter_profile(&a.grid, &axon);
            let (x, y) = prof.into_iter().filter(|p| p.1.is_finite()).unzip();
            Series {
                name: a.name.clone(),
                x,
                y,
            }
        })
        .collect();
    let panel = Panel {
        title: format!(
            "spared white matter along the cord (t = {:.0} d)",
            scenario.solver.end_time_s / 86400.0
        ),
        x_label: "distance from epicentre z (mm)".into(),
        y_label: "spared white matter (fraction)".into(),
        series,
        hlines: vec![],
    };
    let p = pdir.join("spared_white_matter_profile.svg");
    write_svg(&p, &[panel], 1, 900, 600).map_err(|e| Error::Config(e.to_string()))
}
