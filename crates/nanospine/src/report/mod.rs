//! Writes the results of a run into an output directory: summary.json, timeseries.csv,
//! fields/*.vti (+ fields.pvd), scenario.resolved.toml and SVG plots.

pub mod cord;

use crate::grid::{label_name, Grid, GridKind, VOID};
use crate::io::csv::{write_csv, CsvCell, CsvTable};
use crate::io::plot::{write_svg, Panel, Series};
use crate::io::vtk::{write_pvd, write_vti, PvdEntry};
use crate::readouts::TISSUES;
use crate::scenario::{Mode, Scenario};
use crate::sim::{ArmOutput, RunOutput, Snapshot, LACTATE};
use crate::Error;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Facts about the run that are not in the results themselves.
#[derive(Debug, Clone)]
pub struct RunMeta {
    /// Wall-clock run time (s), written to summary.json as `run_time_s` (the only value of the
    /// outputs that differs between repeated runs).
    pub wall_time_s: f64,
    /// The scenario file name as given.
    pub scenario_file: String,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// SHA-256 of the scenario text (hex).
pub fn scenario_hash(text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn tissue_stats(grid: &Grid, f: &[f64]) -> Value {
    let mut m = serde_json::Map::new();
    for t in TISSUES {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for c in 0..grid.len() {
            if crate::readouts::tissue_of(grid.labels[c]) == t {
                lo = lo.min(f[c]);
                hi = hi.max(f[c]);
            }
        }
        if lo.is_finite() {
            m.insert(label_name(t).into(), json!({"min": lo, "max": hi}));
        }
    }
    Value::Object(m)
}

fn delivery_summary(d: &crate::sim::DeliveryOutput) -> Value {
    let payloads: Vec<Value> = d
        .ledgers
        .iter()
        .zip(&d.coverage)
        .map(|((key, led), cov)| {
            json!({
                "payload": key,
                "final_amounts_ug": led,
                "effective_concentration_ng_per_mL": cov.1,
                "days_with_half_of_NP_above_effective": cov.2,
                "mean_days_above_effective_NP": cov.3,
                "mean_days_above_effective_AF": cov.4,
            })
        })
        .collect();
    json!({
        "treatments": d.treatments,
        "payloads": payloads,
        "max_relative_amount_imbalance": d.max_imbalance,
    })
}

fn arm_summary(a: &ArmOutput) -> Value {
    let g = &a.model.grid;
    let mut sol = serde_json::Map::new();
    for (s, f) in a.model.solutes.iter().zip(&a.fields) {
        sol.insert(format!("{} ({})", s.name, s.unit), tissue_stats(g, f));
    }
    let p = &a.model.metabolism.p;
    let ph: Vec<f64> = a.fields[LACTATE].iter().map(|&l| p.ph(l)).collect();
    sol.insert("pH".into(), tissue_stats(g, &ph));
    let last = a.rows.last().cloned().unwrap_or_default();
    let mut readouts = serde_json::Map::new();
    for (c, v) in a.columns.iter().zip(&last) {
        if c.starts_with("viable_fraction") || c.starts_with("at_risk") {
            readouts.insert(c.clone(), json!(v));
        }
    }
    let params: serde_json::Map<String, Value> = a
        .model
        .used
        .iter()
        .map(|(n, v, u)| (n.clone(), json!({"value": v, "unit": u})))
        .collect();
    json!({
        "name": a.name,
        "description": a.description,
        "grade": a.grade,
        "geometry": a.model.built,
        "cep_exchange_area_effective": a.model.cep_exchange_area,
        "steady_state": a.steady.map(|r| json!({"newton_iterations": r.iterations, "scaled_residual": r.residual})),
        "max_step_scaled_residual": a.max_step_residual,
        "final_time_d": a.final_time_s / 86400.0,
        "solutes_final": sol,
        "readouts_final": readouts,
        "injury": a.injury,
        "delivery": a.delivery.as_ref().map(delivery_summary),
        "disease": a.disease.as_ref().map(|d| json!({
            "injury_severity_factor": d.injury_severity,
            "np_loss_fraction": d.np_loss,
            "injury_lasting_level": d.injury_lasting_level,
            "integrator": {
                "accepted_steps": d.integrator.steps,
                "rejected_steps": d.integrator.rejected,
                "newton_failures": d.integrator.newton_failures,
                "jacobians": d.integrator.jacobians,
            },
        })),
        "parameters": params,
    })
}

/// Writes every output file into `dir` (normally a staged directory).
pub fn write_all(
    dir: &Path,
    scenario: &Scenario,
    run: &RunOutput,
    meta: &RunMeta,
    resolved_toml: &str,
) -> Result<(), Error> {
    let mut summary = json!({
        "nanospine_version": env!("CARGO_PKG_VERSION"),
        "scenario": {"name": scenario.name, "file": meta.scenario_file, "sha256": scenario_hash(&scenario.source_text)},
        "mode": match scenario.solver.mode { Mode::Steady => "steady", Mode::Transient => "transient" },
        "species": scenario.species,
        "units": {"length": "mm", "time": "d (tables) / s (model)", "oxygen": "kPa", "glucose": "mM", "lactate": "mM"},
        "arms": run.arms.iter().map(arm_summary).collect::<Vec<_>>(),
    });
    summary["run_time_s"] = json!(meta.wall_time_s);
    let p = dir.join("summary.json");
    let text = serde_json::to_string_pretty(&summary).map_err(|e| Error::Config(e.to_string()))?;
    std::fs::write(&p, text + "\n").map_err(io_err(&p))?;

    let p = dir.join("scenario.resolved.toml");
    std::fs::write(&p, resolved_toml).map_err(io_err(&p))?;

    let tables = disc_tables(scenario, run);
    write_timeseries(dir, &tables)?;
    write_arms_long(dir, &tables)?;
    if scenario.outputs.fields {
        write_fields(dir, run)?;
    }
    if scenario.outputs.plots {
        write_plots(dir, scenario, run)?;
    }
    Ok(())
}

/// One arm's read-out table as the CSV writers, plots and validation read it: the disc and the
/// cord runs both give one per arm.
#[derive(Debug, Clone)]
pub struct ArmTable<'a> {
    /// Arm name.
    pub name: &'a str,
    /// Role id (`sham`, `injury_only`, `vehicle`, `treatment`).
    pub role: &'a str,
    /// Sample times (s).
    pub times_s: &'a [f64],
    /// `timeseries.csv` column names (with units where the name carries them).
    pub columns: &'a [String],
    /// `arms.csv` read-out name and unit of each column.
    pub readouts: Vec<(String, String)>,
    /// One row per sample time.
    pub rows: &'a [Vec<f64>],
}

impl ArmTable<'_> {
    /// The value of read-out `readout` (as in `arms.csv`) at `day` (within 1e-6 d), if sampled.
    pub fn value_at(&self, readout: &str, day: f64) -> Option<f64> {
        let col = self.readouts.iter().position(|(r, _)| r == readout)?;
        let t = self
            .times_s
            .iter()
            .position(|&t| (t / 86400.0 - day).abs() < 1e-6)?;
        self.rows.get(t).and_then(|r| r.get(col)).copied()
    }
}

/// The read-out tables of a disc run (roles from the scenario's arms).
pub fn disc_tables<'a>(scenario: &'a Scenario, run: &'a RunOutput) -> Vec<ArmTable<'a>> {
    run.arms
        .iter()
        .map(|a| ArmTable {
            name: &a.name,
            role: scenario
                .arms
                .iter()
                .find(|x| x.name == a.name)
                .map(|x| x.role.id())
                .unwrap_or("sham"),
            times_s: &a.times_s,
            columns: &a.columns,
            readouts: a.columns.iter().map(|c| readout_and_unit(c)).collect(),
            rows: &a.rows,
        })
        .collect()
}

fn write_timeseries(dir: &Path, tables: &[ArmTable]) -> Result<(), Error> {
    // union of the arms' columns in first-seen order (an untreated arm has no payload columns;
    // its cells stay empty)
    let mut columns: Vec<String> = vec![];
    for a in tables {
        for c in a.columns {
            if !columns.contains(c) {
                columns.push(c.clone());
            }
        }
    }
    if columns.is_empty() && tables.is_empty() {
        return Ok(());
    }
    let mut header = vec!["arm".to_string(), "time_d".to_string()];
    header.extend(columns.iter().cloned());
    let mut rows = vec![];
    for a in tables {
        let pos: Vec<Option<usize>> = columns
            .iter()
            .map(|c| a.columns.iter().position(|x| x == c))
            .collect();
        for (t, r) in a.times_s.iter().zip(a.rows) {
            let mut row = vec![CsvCell::Text(a.name.to_string()), CsvCell::Num(t / 86400.0)];
            row.extend(
                pos.iter()
                    .map(|p| CsvCell::Num(p.map(|i| r[i]).unwrap_or(f64::NAN))),
            );
            rows.push(row);
        }
    }
    let p = dir.join("timeseries.csv");
    write_csv(&p, &CsvTable { header, rows }).map_err(io_err(&p))
}

/// Unit suffixes of read-out column names, longest first: (suffix, unit, keep the suffix in the
/// read-out name). Dimensionless suffixes stay in the name (`viable_fraction_np`, `dhi_percent`).
const UNIT_SUFFIXES: &[(&str, &str, bool)] = &[
    ("_cells_per_mm3", "cells/mm^3", false),
    ("_ng_per_mL", "ng/mL", false),
    ("_fraction", "1", true),
    ("_percent", "%", true),
    ("_kPa", "kPa", false),
    ("_ug", "ug", false),
    ("_uM", "uM", false),
    ("_mM", "mM", false),
    ("_d", "d", false),
];

/// Splits a `timeseries.csv` column into a stable snake_case read-out name and its unit
/// (`glucose_min_NP_mM` -> (`glucose_min_np`, `mM`); `viable_fraction_NP` ->
/// (`viable_fraction_np`, `1`); `pH_min_NP` -> (`ph_min_np`, `1`)).
pub fn readout_and_unit(column: &str) -> (String, String) {
    if let Some(unit) = crate::sim::disease::observe::readout_unit(column) {
        return (column.to_string(), unit.to_string());
    }
    for (suffix, unit, keep) in UNIT_SUFFIXES {
        if let Some(stem) = column.strip_suffix(suffix) {
            let name = if *keep { column } else { stem };
            return (name.to_lowercase(), unit.to_string());
        }
    }
    (column.to_lowercase(), "1".to_string())
}

/// `arms.csv`: every arm's read-outs in long (tidy) form, `arm,role,day,readout,unit,value`,
/// one row per arm, sample time and read-out (absent read-outs are left out).
fn write_arms_long(dir: &Path, tables: &[ArmTable]) -> Result<(), Error> {
    let header = ["arm", "role", "day", "readout", "unit", "value"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rows = vec![];
    for a in tables {
        for (t, r) in a.times_s.iter().zip(a.rows) {
            for ((name, unit), &v) in a.readouts.iter().zip(r) {
                if v.is_nan() {
                    continue;
                }
                rows.push(vec![
                    CsvCell::Text(a.name.to_string()),
                    CsvCell::Text(a.role.to_string()),
                    CsvCell::Num(t / 86400.0),
                    CsvCell::Text(name.clone()),
                    CsvCell::Text(unit.clone()),
                    CsvCell::Num(v),
                ]);
            }
        }
    }
    let p = dir.join("arms.csv");
    write_csv(&p, &CsvTable { header, rows }).map_err(io_err(&p))
}

fn write_fields(dir: &Path, run: &RunOutput) -> Result<(), Error> {
    let arms: Vec<(&str, &Grid, &[Snapshot])> = run
        .arms
        .iter()
        .map(|a| (a.name.as_str(), &a.model.grid, a.snapshots.as_slice()))
        .collect();
    write_snapshots(dir, &arms)
}

/// `fields/<arm>_<k>.vti` per snapshot of each `(arm, grid, snapshots)` and `fields/fields.pvd`
/// listing them by time (d) and arm.
pub(crate) fn write_snapshots(
    dir: &Path,
    arms: &[(&str, &Grid, &[Snapshot])],
) -> Result<(), Error> {
    let fdir = dir.join("fields");
    std::fs::create_dir_all(&fdir).map_err(io_err(&fdir))?;
    let mut entries = vec![];
    for (name, grid, snapshots) in arms {
        for (k, s) in snapshots.iter().enumerate() {
            let file = format!("{name}_{k:03}.vti");
            let p = fdir.join(&file);
            let f: Vec<(&str, &[f64])> = s
                .fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_slice()))
                .collect();
            write_vti(&p, grid, &f, Some(s.time_s)).map_err(io_err(&p))?;
            entries.push(PvdEntry {
                time: s.time_s / 86400.0,
                part: name.to_string(),
                file,
            });
        }
    }
    let p = fdir.join("fields.pvd");
    write_pvd(&p, &entries).map_err(io_err(&p))
}

/// Points (position mm, value) along a line.
pub type Profile = Vec<(f64, f64)>;

/// Values of `f` along the mid-height radial/lateral line and along the disc axis:
/// returns ((x, f) along the line, (z, f) along the axis), void cells skipped.
pub fn profiles(grid: &Grid, f: &[f64]) -> (Profile, Profile) {
    let k_mid = grid.n[2] / 2;
    let (j_mid, i_axis) = match grid.kind {
        GridKind::Axisymmetric => (0, 0),
        GridKind::Cartesian3d => (grid.n[1] / 2, grid.n[0] / 2),
    };
    let mut line = vec![];
    for i in 0..grid.n[0] {
        let c = grid.idx(i, j_mid, k_mid);
        if grid.labels[c] != VOID {
            line.push((grid.centre(0, i), f[c]));
        }
    }
    let mut axis = vec![];
    for k in 0..grid.n[2] {
        let c = grid.idx(i_axis, j_mid, k);
        if grid.labels[c] != VOID {
            axis.push((grid.centre(2, k), f[c]));
        }
    }
    (line, axis)
}

fn write_plots(dir: &Path, scenario: &Scenario, run: &RunOutput) -> Result<(), Error> {
    let pdir = dir.join("plots");
    std::fs::create_dir_all(&pdir).map_err(io_err(&pdir))?;
    let when = match scenario.solver.mode {
        Mode::Steady => "steady state".to_string(),
        Mode::Transient => format!("t = {:.1} d", scenario.solver.end_time_s / 86400.0),
    };
    let Some(first) = run.arms.first() else {
        return Ok(());
    };
    let p0 = &first.model.metabolism.p;
    let xlab = match first.model.grid.kind {
        GridKind::Axisymmetric => "radius r (mm)",
        GridKind::Cartesian3d => "lateral position x (mm)",
    };
    // quantities: (title, y label, extractor, reference lines)
    let names = ["oxygen", "glucose", "lactate", "pH"];
    let ylabels = ["pO2 (kPa)", "glucose (mM)", "lactate (mM)", "pH (-)"];
    for (which, file, x_label) in [
        (0, "profiles_mid_height.svg", xlab),
        (1, "profiles_axis.svg", "height z (mm)"),
    ] {
        let mut panels = vec![];
        for (q, name) in names.iter().enumerate() {
            let mut series = vec![];
            for a in &run.arms {
                let f: Vec<f64> = if q < 3 {
                    a.fields[q].clone()
                } else {
                    a.fields[LACTATE]
                        .iter()
                        .map(|&l| a.model.metabolism.p.ph(l))
                        .collect()
                };
                let (line, axis) = profiles(&a.model.grid, &f);
                let pts = if which == 0 { line } else { axis };
                series.push(Series {
                    name: a.name.clone(),
                    x: pts.iter().map(|p| p.0).collect(),
                    y: pts.iter().map(|p| p.1).collect(),
                });
            }
            let hlines = match q {
                1 => vec![("glucose death threshold".to_string(), p0.glucose_threshold)],
                3 => vec![("pH death threshold".to_string(), p0.ph_threshold)],
                _ => vec![],
            };
            panels.push(Panel {
                title: format!(
                    "{name}, {} ({when})",
                    if which == 0 {
                        "mid-height line"
                    } else {
                        "disc axis"
                    }
                ),
                x_label: x_label.to_string(),
                y_label: ylabels[q].to_string(),
                series,
                hlines,
            });
        }
        let p = pdir.join(file);
        write_svg(&p, &panels, 2, 1400, 1000).map_err(|e| Error::Config(e.to_string()))?;
    }
    if scenario.solver.mode == Mode::Transient {
        let wanted = [
            ("glucose_min_NP_mM", "minimum NP glucose", "glucose (mM)"),
            ("pH_min_NP", "minimum NP pH", "pH (-)"),
            ("oxygen_min_NP_kPa", "minimum NP pO2", "pO2 (kPa)"),
            (
                "viable_fraction_NP",
                "viable NP cells (native + grafted)",
                "fraction of initial cells (-)",
            ),
            (
                "viable_fraction_disc",
                "viable cells, whole disc",
                "fraction of initial cells (-)",
            ),
            (
                "at_risk_volume_fraction_NP",
                "NP volume below a death threshold",
                "volume fraction (-)",
            ),
        ];
        let panels = time_panels(&disc_tables(scenario, run), &wanted);
        let p = pdir.join("readouts_vs_time.svg");
        write_svg(&p, &panels, 3, 1500, 900).map_err(|e| Error::Config(e.to_string()))?;
        write_delivery_plot(&pdir, run)?;
        write_study_plot(&pdir, scenario, run)?;
    }
    Ok(())
}

/// One panel per `(column, title, y label)`: the column against time (d), one line per arm that
/// has it; samples where it is undefined (NaN, e.g. M1/M2 without M2) are left out.
pub(crate) fn time_panels(tables: &[ArmTable], wanted: &[(&str, &str, &str)]) -> Vec<Panel> {
    wanted
        .iter()
        .map(|&(col, title, ylab)| {
            let series = tables
                .iter()
                .filter_map(|a| {
                    let ci = a.columns.iter().position(|c| c == col)?;
                    let (x, y): (Vec<f64>, Vec<f64>) = a
                        .times_s
                        .iter()
                        .zip(a.rows)
                        .filter(|(_, r)| r[ci].is_finite())
                        .map(|(t, r)| (t / 86400.0, r[ci]))
                        .unzip();
                    Some(Series {
                        name: a.name.to_string(),
                        x,
                        y,
                    })
                })
                .collect();
            Panel {
                title: title.to_string(),
                x_label: "time (d)".into(),
                y_label: ylab.into(),
                series,
                hlines: vec![],
            }
        })
        .collect()
}

/// `plots/study.svg` (runs with the biology coupled): the animal-study end-points against time,
/// one line per arm, as the figures of a study.
fn write_study_plot(pdir: &Path, scenario: &Scenario, run: &RunOutput) -> Result<(), Error> {
    if run.arms.iter().all(|a| a.disease.is_none()) {
        return Ok(());
    }
    let wanted = [
        ("dhi_percent", "disc height index", "%DHI (% of day 0)"),
        ("np_water_fraction", "NP water", "wet-weight fraction (-)"),
        (
            "histology_score",
            "histology (Masuda-type)",
            "score (4 healthy - 12)",
        ),
        (
            "np_proteoglycan",
            "NP proteoglycan",
            "fraction of healthy (-)",
        ),
        ("mean_ros_um", "ROS (H2O2), NP + AF mean", "H2O2 (uM)"),
        ("m1_m2_ratio", "macrophage M1/M2", "M1 / M2 (-)"),
        ("ngf_pg_ml", "NGF, NP + AF mean", "NGF (pg/mL)"),
        (
            "pain_withdrawal_threshold_g",
            "pain: von Frey threshold",
            "50 % withdrawal (g)",
        ),
        (
            "calcified_fraction",
            "calcified volume",
            "volume fraction (-)",
        ),
    ];
    let panels = time_panels(&disc_tables(scenario, run), &wanted);
    let p = pdir.join("study.svg");
    write_svg(&p, &panels, 3, 1500, 1200).map_err(|e| Error::Config(e.to_string()))
}

/// A value computed from one timeseries row and the arm's column names.
type RowValue<'a> = dyn Fn(&[f64], &[String]) -> Option<f64> + 'a;

/// `plots/delivery.svg`: per payload, NP and AF coverage, mean NP concentration and the amount
/// left in the disc (in carrier + free) against time, one line per arm.
fn write_delivery_plot(pdir: &Path, run: &RunOutput) -> Result<(), Error> {
    let mut keys: Vec<String> = vec![];
    for a in &run.arms {
        for (k, _) in a.delivery.iter().flat_map(|d| d.ledgers.iter()) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    if keys.is_empty() {
        return Ok(());
    }
    let series_of = |f: &RowValue| -> Vec<Series> {
        run.arms
            .iter()
            .filter_map(|a| {
                let y: Option<Vec<f64>> = a.rows.iter().map(|r| f(r, &a.columns)).collect();
                y.map(|y| Series {
                    name: a.name.clone(),
                    x: a.times_s.iter().map(|t| t / 86400.0).collect(),
                    y,
                })
            })
            .collect()
    };
    let col = |r: &[f64], cols: &[String], name: &str| -> Option<f64> {
        cols.iter().position(|c| c == name).map(|i| r[i])
    };
    let mut panels = vec![];
    for k in &keys {
        for (suffix, title, ylab) in [
            (
                "coverage_NP_fraction",
                "NP coverage",
                "NP volume fraction above effective (-)",
            ),
            (
                "coverage_AF_fraction",
                "AF coverage",
                "AF volume fraction above effective (-)",
            ),
        ] {
            let name = format!("{k}_{suffix}");
            panels.push(Panel {
                title: format!("{k}: {title}"),
                x_label: "time (d)".into(),
                y_label: ylab.into(),
                series: series_of(&|r, c| col(r, c, &name)),
                hlines: vec![],
            });
        }
        let mean = format!("{k}_mean_NP_ng_per_mL");
        let effective = run
            .arms
            .iter()
            .flat_map(|a| a.delivery.iter().flat_map(|d| d.coverage.iter()))
            .find(|c| &c.0 == k)
            .map(|c| c.1);
        panels.push(Panel {
            title: format!("{k}: mean NP concentration"),
            x_label: "time (d)".into(),
            y_label: "log10 concentration (ng/mL), floor 1e-3".into(),
            series: series_of(&|r, c| col(r, c, &mean).map(|v| v.max(1e-3).log10())),
            hlines: effective
                .map(|e| vec![("effective".to_string(), e.log10())])
                .unwrap_or_default(),
        });
        let held = format!("{k}_in_carrier_ug");
        let free = format!("{k}_free_ug");
        panels.push(Panel {
            title: format!("{k}: amount left in the disc"),
            x_label: "time (d)".into(),
            y_label: "in carrier + free (ug)".into(),
            series: series_of(&|r, c| Some(col(r, c, &held)? + col(r, c, &free)?)),
            hlines: vec![],
        });
    }
    let p = pdir.join("delivery.svg");
    let rows = keys.len() as u32;
    write_svg(&p, &panels, 4, 1900, 420 * rows.max(1)).map_err(|e| Error::Config(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::readout_and_unit;

    #[test]
    fn column_names_split_into_readout_and_unit() {
        let cases = [
            ("glucose_min_NP_mM", "glucose_min_np", "mM"),
            ("oxygen_mean_AF_kPa", "oxygen_mean_af", "kPa"),
            ("viable_fraction_NP", "viable_fraction_np", "1"),
            ("pH_min_NP", "ph_min_np", "1"),
            (
                "dexamethasone_mean_NP_ng_per_mL",
                "dexamethasone_mean_np",
                "ng/mL",
            ),
            (
                "dexamethasone_coverage_NP_fraction",
                "dexamethasone_coverage_np_fraction",
                "1",
            ),
            (
                "dexamethasone_released_percent",
                "dexamethasone_released_percent",
                "%",
            ),
            (
                "dexamethasone_in_carrier_ug",
                "dexamethasone_in_carrier",
                "ug",
            ),
            ("h2o2_mean_NP_uM", "h2o2_mean_np", "uM"),
            ("dhi_percent", "dhi_percent", "%"),
            ("np_water_fraction", "np_water_fraction", "1"),
            ("m1_m2_ratio", "m1_m2_ratio", "1"),
            ("ngf_pg_ml", "ngf_pg_ml", "pg/mL"),
            (
                "intradiscal_pressure_mpa",
                "intradiscal_pressure_mpa",
                "MPa",
            ),
            (
                "pain_withdrawal_threshold_g",
                "pain_withdrawal_threshold_g",
                "g",
            ),
        ];
        for (col, name, unit) in cases {
            assert_eq!(
                readout_and_unit(col),
                (name.to_string(), unit.to_string()),
                "{col}"
            );
        }
    }
}
