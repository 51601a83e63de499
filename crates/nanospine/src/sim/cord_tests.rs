//! Tests of the cord run loop on a small mouse contusion study.

use super::*;
use crate::scenario::parse;
use std::sync::OnceLock;

const DAY: f64 = 86_400.0;

/// A 14-day mouse study: sham, a moderate IH contusion, the same in a CCR2 knockout, and the
/// contusion with CCR2-membrane nanoparticles given i.v. 3 h after injury.
const STUDY: &str = r#"
[scenario]
name = "mouse contusion, run-loop test"
tissue = "cord"
species = "mouse_thoracic"

[grid]
kind = "axisymmetric"
spacing = "0.05 mm"

[solver]
mode = "transient"
end_time = "14 d"
dt = "3 h"
output_times = ["7 d"]

[outputs]
timeseries_interval = "1 d"
fields = true
plots = false

[[arm]]
name = "sham"
role = "sham"

[[arm]]
name = "contusion"
role = "injury_only"
[arm.injury]
type = "contusion"
device = "impactor"
force = "50 kdyn"

[[arm]]
name = "ccr2_knockout"
role = "injury_only"
[arm.injury]
type = "contusion"
device = "impactor"
force = "50 kdyn"
[arm.parameters]
"cord_host.ccr2_available" = 0

[[arm]]
name = "ccr2_np_iv"
role = "treatment"
[arm.injury]
type = "contusion"
device = "impactor"
force = "50 kdyn"
[[arm.treatment]]
carrier = "ccr2_membrane_plga"
route = "intravenous"
dose = "200 ug"
time = "3 h"
"#;

fn study() -> &'static (Scenario, CordRunOutput) {
    static RUN: OnceLock<(Scenario, CordRunOutput)> = OnceLock::new();
    RUN.get_or_init(|| {
        let reg = Registry::builtin();
        let sc = parse(STUDY, &reg).unwrap();
        let out = run_cord(&sc, &reg, &|_, _| {}).unwrap();
        (sc, out)
    })
}

fn arm(name: &str) -> &'static CordArmOutput {
    study().1.arms.iter().find(|a| a.name == name).unwrap()
}

fn value(a: &CordArmOutput, col: &str, day: f64) -> f64 {
    let i = a.columns.iter().position(|c| c == col).unwrap();
    let k = a
        .times_s
        .iter()
        .position(|&t| (t / DAY - day).abs() < 1e-6)
        .unwrap();
    a.rows[k][i]
}

#[test]
fn samples_daily_with_units_and_a_snapshot() {
    let a = arm("contusion");
    assert_eq!(a.times_s.len(), 15);
    assert_eq!(a.columns.len(), a.units.len());
    // the mouse reports its own scale only (BBB is a rat scale)
    assert!(a.columns.iter().any(|c| c == "bms"));
    assert!(!a.columns.iter().any(|c| c == "bbb"));
    assert_eq!(a.snapshots.len(), 1);
    assert!((a.snapshots[0].time_s - 7.0 * DAY).abs() < 1e-6);
    assert!((a.final_time_s - 14.0 * DAY).abs() < 1e-6);
}

/// The snapshot field `name` of `a` at 7 d.
fn snapshot_field<'a>(a: &'a CordArmOutput, name: &str) -> &'a [f64] {
    let f = a.snapshots[0].fields.iter().find(|(n, _)| n == name);
    &f.unwrap_or_else(|| panic!("no snapshot field {name}")).1
}

#[test]
fn the_snapshot_carries_the_vulnerable_fraction() {
    // vulnerability is defined on grey and white matter only, like the cell fractions
    let a = arm("contusion");
    let v = snapshot_field(a, "vulnerable_fraction");
    let neurons = snapshot_field(a, "neuron_fraction");
    assert_eq!(v.len(), neurons.len());
    for (x, n) in v.iter().zip(neurons) {
        assert_eq!(x.is_nan(), n.is_nan());
        assert!(x.is_nan() || (-1e-9..=1.0 + 1e-9).contains(x), "{x}");
    }
    // the epicentre is made about 97 % vulnerable in the first day (onset 0.2 /h at insult 1,
    // insult half-life 12 h) and loses it at 0.3 /d: about 0.97 exp(-0.3 x 6.5) = 0.14 at 7 d
    let max = v
        .iter()
        .filter(|x| !x.is_nan())
        .fold(0.0_f64, |m, &x| m.max(x));
    assert!((0.05..0.3).contains(&max), "{max}");
    // an uninjured cord never becomes vulnerable
    let sham = snapshot_field(arm("sham"), "vulnerable_fraction");
    assert!(sham.iter().all(|x| x.is_nan() || x.abs() < 1e-12));
}

#[test]
fn the_sham_cord_stays_intact() {
    let a = arm("sham");
    for d in [1.0, 7.0, 14.0] {
        assert!(value(a, "neuron_survival", d) > 0.999, "day {d}");
        assert!(value(a, "spared_white_matter_fraction", d) > 0.999);
        assert_eq!(value(a, "lesion_volume_mm3", d), 0.0);
        assert_eq!(
            value(a, "bms", d),
            9.0,
            "an uninjured mouse scores the top of the scale"
        );
    }
}

#[test]
fn a_contusion_makes_a_lesion_and_a_deficit() {
    let a = arm("contusion");
    assert!(a.epicentre_severity > 0.3 && a.epicentre_severity < 1.0);
    let n14 = value(a, "neuron_survival", 14.0);
    assert!(n14 < 0.9, "neuron survival {n14}");
    assert!(value(a, "lesion_volume_mm3", 14.0) > 0.0);
    assert!(value(a, "spared_white_matter_fraction", 14.0) < 0.9);
    assert!(value(a, "bms", 14.0) < value(arm("sham"), "bms", 14.0) - 2.0);
    // leukocytes arrive: neutrophils first (peak within days), then macrophages
    assert!(value(a, "neutrophil_cells", 1.0) > value(a, "neutrophil_cells", 14.0));
    assert!(value(a, "macrophage_m1_cells", 7.0) > 0.0);
}

#[test]
fn ccr2_knockout_cuts_macrophage_recruitment() {
    let (wt, ko) = (arm("contusion"), arm("ccr2_knockout"));
    let total = |a: &CordArmOutput, d: f64| {
        value(a, "macrophage_m0_cells", d)
            + value(a, "macrophage_m1_cells", d)
            + value(a, "macrophage_m2_cells", d)
    };
    for d in [3.0, 7.0] {
        assert!(
            total(ko, d) < 0.7 * total(wt, d),
            "day {d}: {} vs {}",
            total(ko, d),
            total(wt, d)
        );
    }
}

#[test]
fn iv_ccr2_nanoparticles_reach_the_lesion_and_close_their_ledger() {
    let a = arm("ccr2_np_iv");
    assert!(a.max_imbalance < 1e-9, "imbalance {}", a.max_imbalance);
    assert!(!a.ledgers.is_empty());
    let (wt, np) = (arm("contusion"), a);
    // the trap lowers CCL2 and the recruited macrophages (Gu 2023 direction)
    assert!(value(np, "ccl2_pg_ml", 1.0) < value(wt, "ccl2_pg_ml", 1.0));
    assert!(value(np, "macrophage_m1_cells", 7.0) < value(wt, "macrophage_m1_cells", 7.0));
}

#[test]
fn event_times_hit_samples_and_extras_once() {
    let ev = event_times(3.0, 1.0, &[0.5, 1.0, 4.0, 0.0]);
    assert_eq!(ev, vec![0.5, 1.0, 2.0, 3.0]);
    assert!(is_sample(2.0, 1.0, 3.0) && !is_sample(0.5, 1.0, 3.0));
}

#[test]
fn a_disc_scenario_is_refused() {
    let reg = Registry::builtin();
    let mut sc = study().0.clone();
    sc.tissue = Tissue::Disc;
    let e = run_cord(&sc, &reg, &|_, _| {}).unwrap_err();
    assert!(e.to_string().contains("cord"), "{e}");
}

/// Time-step sensitivity of the mouse moderate IH contusion (55 kdyn arm of
/// examples/studies/mouse-contusion-natural-history.toml) on the 0.05 mm grid: prints neuron
/// survival, lesion volume, M1 macrophage cells and spared white matter at the end, and the
/// M1, TNF-a and CCL2 read-outs every few days, per time step. A measurement, not a check
/// (docs/cord.md, "Numerical accuracy"). Time steps in hours from `NANOSPINE_DT_H`
/// (comma-separated, default "1,3,6"), end in days from `NANOSPINE_END_D` (default 14);
/// chemotaxis off unless `NANOSPINE_CHEMOTAXIS=1`. Run with
/// `cargo test --release -p nanospine --lib time_step_sensitivity -- --ignored --nocapture`
/// (about 10-60 s per time step on 2 cores).
#[test]
#[ignore = "measurement, not a check (10-60 s per time step)"]
fn time_step_sensitivity_of_the_moderate_contusion() {
    let reg = Registry::builtin();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/studies/mouse-contusion-natural-history.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut sc = parse(&text, &reg).unwrap();
    let end_d: f64 = std::env::var("NANOSPINE_END_D").map_or(14.0, |v| v.parse().unwrap());
    sc.solver.end_time_s = end_d * DAY;
    sc.solver.output_times_s.clear();
    sc.outputs.fields = false;
    sc.cord.chemotaxis = std::env::var("NANOSPINE_CHEMOTAXIS").is_ok_and(|v| v == "1");
    let arm = sc
        .arms
        .iter()
        .find(|a| a.name == "moderate_55kdyn")
        .unwrap()
        .clone();
    let dts: Vec<f64> = std::env::var("NANOSPINE_DT_H")
        .unwrap_or_else(|_| "1,3,6".into())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    let cols = [
        "neuron_survival",
        "lesion_volume_mm3",
        "macrophage_m1_cells",
        "spared_white_matter_fraction",
    ];
    println!("end {end_d} d, chemotaxis {}", sc.cord.chemotaxis);
    for dt_h in dts {
        sc.solver.dt_s = dt_h * 3600.0;
        let out = run_cord_arm(&sc, &arm, &reg, &|_, _| {}).unwrap();
        let vals: Vec<String> = cols
            .iter()
            .map(|c| format!("{c} {:.9e}", value(&out, c, end_d)))
            .collect();
        println!("dt {dt_h} h: {}", vals.join(", "));
        for c in ["macrophage_m1_cells", "tnf_pg_ml", "ccl2_pg_ml"] {
            let series: Vec<String> = [1.0f64, 2.0, 3.0, 5.0, 7.0, 10.0, 14.0]
                .iter()
                .filter(|&&d| d <= end_d)
                .map(|&d| format!("d{d}:{:.6e}", value(&out, c, d)))
                .collect();
            println!("  {c}: {}", series.join(" "));
        }
    }
}

/// Volume filling in the coupled run: at a step that resolves the macrophage chemotaxis (15 min
/// on the 0.05 mm mouse grid), the contusion of the module's study (50 kdyn) gathers the myeloid
/// cells at the epicentre up to the packing density and no further; with the packing density
/// raised out of the way the same run piles them above it (the Keller-Segel collapse
/// docs/cord.md describes).
#[test]
fn myeloid_cells_stop_at_the_packing_density() {
    let base = Registry::builtin();
    let mut sc = parse(STUDY, &base).unwrap();
    sc.solver.end_time_s = 3.0 * DAY;
    sc.solver.dt_s = 900.0;
    sc.solver.output_times_s.clear();
    sc.outputs.fields = false;
    let arm = sc
        .arms
        .iter()
        .find(|a| a.name == "contusion")
        .unwrap()
        .clone();
    let densest = |reg: &Registry| {
        let out = run_cord_arm(&sc, &arm, reg, &|_, _| {}).unwrap();
        out.states
            .iter()
            .map(|s| MYELOID.iter().map(|&j| s.0[j].max(0.0)).sum::<f64>())
            .fold(0.0, f64::max)
    };
    let cap = base
        .value_in("cord_chemotaxis.packing_density", "cells/mm^3")
        .unwrap();
    let filled = densest(&base);
    assert!(filled <= cap * (1.0 + 1e-6), "{filled} > {cap}");
    assert!(filled > 0.8 * cap, "the core is not filled: {filled}");
    let mut loose = base.clone();
    loose
        .set("cord_chemotaxis.packing_density", "1e9 cells/mm^3")
        .unwrap();
    let piled = densest(&loose);
    eprintln!(
        "densest myeloid voxel at 3 d: {filled:.4e} (packing {cap:.2e}), {piled:.4e} without"
    );
    assert!(piled > 1.5 * cap, "{piled}");
}

/// The payload advice: a note for an intrathecal vesicle payload (larger than the extracellular
/// space) only, naming the arm, the payload and the parameter.
#[test]
fn payload_advice_flags_intrathecal_vesicles_only() {
    let reg = Registry::builtin();
    let read = |f: &str| {
        let path = format!("{}/../../examples/studies/{f}", env!("CARGO_MANIFEST_DIR"));
        parse(&std::fs::read_to_string(path).unwrap(), &reg).unwrap()
    };
    let intrathecal = |mut s: Scenario| {
        for arm in &mut s.arms {
            for t in &mut arm.treatments {
                t.route = crate::delivery::route::Route::Intrathecal;
            }
        }
        s
    };
    let luo = read("luo2023-adsc-exosomes.toml");
    // the study's i.v. exosomes reach the lesion: no note
    assert!(payload_advice(&luo, &reg).unwrap().is_empty());
    let it = intrathecal(luo);
    let notes = payload_advice(&it, &reg).unwrap();
    // one note per treated arm, though the Luo arm gives its exosomes in three injections
    let treated = it.arms.iter().filter(|a| !a.treatments.is_empty()).count();
    assert!(it.arms.iter().any(|a| a.treatments.len() == 3));
    assert!(treated >= 1 && notes.len() == treated, "{notes:?}");
    for part in [
        "adsc_exosome",
        "50 nm",
        "40 nm",
        "cord_transport.ecs_width",
        "arm \"",
    ] {
        assert!(notes[0].contains(part), "{part}: {}", notes[0]);
    }
    // a wider extracellular space lets the vesicles in: no note
    let mut wide = reg.clone();
    wide.set_value("cord_transport.ecs_width", 120.0).unwrap();
    assert!(payload_advice(&it, &wide).unwrap().is_empty());
    // curcumin (a small molecule) given intrathecally enters the cord: no note
    let gu = intrathecal(read("gu2023-ccr2-membrane-np.toml"));
    assert!(payload_advice(&gu, &reg).unwrap().is_empty());
    // a disc scenario: no note
    let disc = read("rat-tail-puncture-natural-history.toml");
    assert!(payload_advice(&disc, &reg).unwrap().is_empty());
}

/// The step advice: the mouse study files (0.05 mm, 15 min) and the rat ones (0.1 mm, 30 min) are
/// resolved; the mouse grid at 1 h gets a note naming the step, the crossing time and the cell;
/// no note with chemotaxis off, for chronic compression or for a disc.
#[test]
fn step_advice_flags_under_resolved_chemotaxis() {
    let reg = Registry::builtin();
    let read = |f: &str| {
        let path = format!("{}/../../examples/studies/{f}", env!("CARGO_MANIFEST_DIR"));
        parse(&std::fs::read_to_string(path).unwrap(), &reg).unwrap()
    };
    let p = ChemotaxisParams::from_registry(&reg).unwrap();
    let cross = chemotaxis_crossing_time_s(&p, 0.05);
    assert!((cross / 60.0 - 16.67).abs() < 0.01, "{cross} s");
    let mut mouse = read("mouse-contusion-natural-history.toml");
    assert_eq!(step_advice(&mouse, &reg).unwrap(), None);
    assert_eq!(
        step_advice(&read("rat-contusion-natural-history.toml"), &reg).unwrap(),
        None
    );
    mouse.solver.dt_s = 3600.0;
    let note = step_advice(&mouse, &reg).unwrap().unwrap();
    for part in [
        "solver.dt = 60 min",
        "3.6 times",
        "17 min",
        "0.05 mm",
        "up to 17 min",
    ] {
        assert!(note.contains(part), "{part}: {note}");
    }
    mouse.cord.chemotaxis = false;
    assert_eq!(step_advice(&mouse, &reg).unwrap(), None);
    let ijima = read("ijima2017-chronic-compression-rat.toml");
    assert!(ijima.cord.chemotaxis && ijima.solver.dt_s > 3600.0);
    assert_eq!(step_advice(&ijima, &reg).unwrap(), None);
    let disc = read("rat-tail-puncture-natural-history.toml");
    assert_eq!(step_advice(&disc, &reg).unwrap(), None);
}

/// A short rat compression with decompression at 4 d: the scores follow the conducting fibres,
/// `spared (1 - b)` at the epicentre, with the steady block while compressed and its release
/// with the recovery time after decompression; the snapshots carry the block field; the rat
/// reports the BBB only.
#[test]
fn compression_blocks_conduction_and_decompression_releases_it() {
    const COMPRESSION: &str = r#"
[scenario]
name = "rat compression, run-loop test"
tissue = "cord"
species = "rat_thoracic"

[grid]
kind = "axisymmetric"
spacing = "0.14 mm"

[solver]
mode = "transient"
end_time = "10 d"
dt = "12 h"
output_times = ["10 d"]

[outputs]
timeseries_interval = "1 d"
fields = true

[[arm]]
name = "decompressed"
role = "injury_only"
[arm.injury]
type = "compression"
ratio = 0.5
rise_time = "0 h"
decompression = "4 d"
ischaemia = false
"#;
    let reg = Registry::builtin();
    let sc = parse(COMPRESSION, &reg).unwrap();
    let out = run_cord(&sc, &reg, &|_, _| {}).unwrap();
    let a = &out.arms[0];
    assert!(a.columns.iter().any(|c| c == "bbb"));
    assert!(!a.columns.iter().any(|c| c == "bms"));
    let ip = InjuryParams::from_registry(&reg).unwrap();
    let b_star = crate::sci::injury::conduction_block(0.5, &ip);
    assert!(b_star > 0.5 && b_star < 0.7, "{b_star}");
    let ratio = |d: f64| {
        value(a, "functional_white_matter_fraction", d)
            / value(a, "spared_white_matter_fraction", d)
    };
    // compressed: the steady block over the whole epicentre slice
    for d in [1.0, 2.0, 4.0] {
        assert!(
            (ratio(d) - (1.0 - b_star)).abs() < 1e-9,
            "day {d}: {}",
            ratio(d)
        );
    }
    // decompressed at 4 d: b* exp(-(t - 4 d) / tau)
    let tau_d = ip.block_recovery_s / DAY;
    for d in [5.0, 7.0, 10.0] {
        let want = 1.0 - b_star * (-(d - 4.0) / tau_d).exp();
        assert!(
            (ratio(d) - want).abs() < 1e-9,
            "day {d}: {} vs {want}",
            ratio(d)
        );
    }
    // the BBB follows the conducting fibres
    let lp = crate::sci::locomotor::LocomotorParams::from_registry(&reg).unwrap();
    let f10 = value(a, "functional_white_matter_fraction", 10.0);
    assert!((value(a, "bbb", 10.0) - lp.bbb(f10, f64::INFINITY)).abs() < 1e-12);
    // the snapshot holds the block field: the epicentre value at 10 d
    let snap = &a.snapshots[0];
    let (_, field) = snap
        .fields
        .iter()
        .find(|(n, _)| n == "conduction_block_fraction")
        .unwrap();
    let want = b_star * (-6.0 / tau_d).exp();
    let hit = field.iter().filter(|v| (*v - want).abs() < 1e-12).count();
    assert!(hit > 0, "no voxel at the released block {want}");
    // the plots and the run's summary line show the conducting fraction for this run, not for
    // a contusion study (no block: conducting = spared)
    assert!(crate::report::cord::any_conduction_block(&out));
    assert!(!crate::report::cord::any_conduction_block(&study().1));
}

/// The compression notes of `nanospine check`: block and perfusion at the full ratio, and the
/// release after a decompression; nothing for contusions.
#[test]
fn compression_notes_give_the_block_and_the_release() {
    let reg = Registry::builtin();
    let read = |f: &str| {
        let path = format!("{}/../../examples/studies/{f}", env!("CARGO_MANIFEST_DIR"));
        parse(&std::fs::read_to_string(path).unwrap(), &reg).unwrap()
    };
    let notes = compression_notes(&read("dhillon2016-decompression-rat.toml"), &reg).unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("arm \"compressed\": compression 0.34: conduction block 0.17"));
    assert!(notes[0].contains("perfusion 1.00") && !notes[0].contains("decompression"));
    assert!(
        notes[0].contains("0.28 of the tissue tolerates it"),
        "{}",
        notes[0]
    );
    assert!(notes[1].contains("decompression at 70 d") && notes[1].contains("7-d time constant"));
    assert!(
        compression_notes(&read("mouse-contusion-natural-history.toml"), &reg)
            .unwrap()
            .is_empty()
    );
    // the same compression in the human cervical cord: a closing note that the constants are
    // the rat's
    let mut human = read("dhillon2016-decompression-rat.toml");
    human.species = "human_cervical".into();
    let notes = compression_notes(&human, &reg).unwrap();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[2].contains("set on the rat") && notes[2].contains("human_cervical"));
}
