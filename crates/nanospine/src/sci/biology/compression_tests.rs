//! Chronic compression on one voxel of the compressed segment: the calibration of
//! `sci.compression.insult_rate` on the onset of the deficit in Ijima 2017 (NeuroReport 28:1239
//! [V]: 200 % expanding sheet, slow-progressive paralysis appearing at 4-8 wk), docs/cord.md.

use super::state::*;
use super::*;
use crate::biology::integrator::Workspace;
use crate::sci::injury::{
    autoregulated_perfusion, conduction_block, tolerant_fraction, InjuryParams,
};
use crate::sci::locomotor::LocomotorParams;

const DAY: f64 = 86_400.0;

/// Compression ratio assumed for the 200 % sheet of Ijima 2017 (the scenario's value; the
/// mean MRI compression ratio of Kanchiku 2001's rabbits with palsy, 34 % [V]).
const SHEET_RATIO: f64 = 0.34;

/// Epicentre axon fraction (the spared white matter of one voxel) once a day for `weeks` weeks
/// under constant compression `c`, perfusion from autoregulation (ischaemia on), with the
/// tolerant floor of the registry's `cord_injury.compression.susceptible_half`.
fn axon_course(q: &SciParams, c: f64, weeks: usize) -> Vec<f64> {
    axon_course_with(q, &InjuryParams::builtin().unwrap(), c, weeks)
}

/// [`axon_course`] with the injury constants `ip` (the tolerant floor and the perfusion).
fn axon_course_with(q: &SciParams, ip: &InjuryParams, c: f64, weeks: usize) -> Vec<f64> {
    let inp = Inputs {
        compression: c,
        perfusion: autoregulated_perfusion(c, ip),
        tolerant: tolerant_fraction(c, ip),
        ..Inputs::default()
    };
    let mut ws = Workspace::default();
    let opts = default_options();
    let mut y = q.intact_state();
    let mut out = vec![y.0[AXON]];
    for _ in 0..7 * weeks {
        advance(q, &mut y, &inp, DAY, &opts, &mut ws).unwrap();
        out.push(y.0[AXON]);
    }
    out
}

/// BBB deficit (points below the intact 21) of an epicentre with spared white matter `s`, under
/// the steady conduction block of the sheet's compression ([`conduction_block`]`(SHEET_RATIO)`):
/// the score follows the conducting fibres, `s (1 - b)`.
fn deficit(s: f64) -> f64 {
    let lp = LocomotorParams::builtin().unwrap();
    let b = conduction_block(SHEET_RATIO, &InjuryParams::builtin().unwrap());
    21.0 - lp.bbb(s * (1.0 - b), f64::INFINITY)
}

/// Prints the daily epicentre axons and BBB deficits for a sweep of insult rates (/d; the
/// registry value and its range by default, or the comma-separated `NANOSPINE_K_SWEEP`) and of
/// susceptible halves (the registry value, or `NANOSPINE_CS_SWEEP`), with the day the deficit
/// first reaches 2 points and the lasting deficit: the calibration of
/// `sci.compression.insult_rate` and `cord_injury.compression.susceptible_half`.
#[test]
#[ignore]
fn print_compression_sweep() {
    let sweep = |var: &str, default: Vec<f64>| -> Vec<f64> {
        std::env::var(var)
            .ok()
            .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
            .unwrap_or(default)
    };
    let base = InjuryParams::builtin().unwrap();
    let ks = sweep("NANOSPINE_K_SWEEP", vec![0.022, 0.029, 0.046, 0.5]);
    let css = sweep("NANOSPINE_CS_SWEEP", vec![base.susceptible_half]);
    for cs in css {
        let ip = InjuryParams {
            susceptible_half: cs,
            ..base
        };
        for &k in &ks {
            let mut q = SciParams::builtin().unwrap();
            q.compression_insult = k / DAY;
            let a = axon_course_with(&q, &ip, SHEET_RATIO, 12);
            let row: Vec<String> = (0..=12)
                .map(|w| format!("{:.2}/{:.1}", a[7 * w], deficit(a[7 * w])))
                .collect();
            println!(
                "c_s = {cs}, k = {k} /d: {} (2-point onset day {:?}; lasting deficit {:.1})",
                row.join(" "),
                onset_day(&a, 2.0),
                deficit(tolerant_fraction(SHEET_RATIO, &ip))
            );
        }
    }
}

/// First day on which the BBB deficit of a daily axon course reaches `points`.
fn onset_day(course: &[f64], points: f64) -> Option<usize> {
    course.iter().position(|&a| deficit(a) >= points)
}

#[test]
fn calibrated_compression_gives_no_deficit_in_two_weeks_and_one_by_eight() {
    let q = SciParams::builtin().unwrap();
    assert!((q.compression_insult * DAY - 0.066).abs() < 1e-12);
    let a = axon_course(&q, SHEET_RATIO, 12);
    // Ijima 2017: no paralysis in the first weeks ...
    assert!(deficit(a[14]) < 0.5, "2 wk: {}", deficit(a[14]));
    assert!(deficit(a[28]) < 2.0, "4 wk: {}", deficit(a[28]));
    // ... a clear deficit (>= 2 BBB points) appearing between 4 and 8 wk ...
    let onset = onset_day(&a, 2.0).unwrap();
    assert!((28..=56).contains(&onset), "onset day {onset}");
    // (calibrated: the onset lies at the midpoint, 6 wk)
    assert!((41..=43).contains(&onset), "onset day {onset}");
    assert!(deficit(a[56]) >= 2.0, "8 wk: {}", deficit(a[56]));
    // ... that progresses to 12 wk and levels off at the deficit of the tolerant floor (about 5
    // points: a lasting BBB of 16, "mild to moderate")
    let ip = InjuryParams::builtin().unwrap();
    let lasting = deficit(tolerant_fraction(SHEET_RATIO, &ip));
    assert!((4.5..5.5).contains(&lasting), "lasting deficit {lasting}");
    assert!(deficit(a[84]) > deficit(a[56]) + 1.0);
    assert!(deficit(a[84]) < lasting);
    let long = axon_course(&q, SHEET_RATIO, 40);
    assert!(
        (deficit(long[280]) - lasting).abs() < 0.1,
        "{}",
        deficit(long[280])
    );
    assert!(long[280] >= tolerant_fraction(SHEET_RATIO, &ip) - 1e-9);
    // without the floor (c_s near 0: everything is susceptible) the loss runs on: a deficit of
    // more than 15 points by 20 wk
    let none = InjuryParams {
        susceptible_half: 0.01,
        ..ip
    };
    assert!(tolerant_fraction(SHEET_RATIO, &none) < 1e-8);
    let free = axon_course_with(&q, &none, SHEET_RATIO, 20);
    assert!(deficit(free[140]) > 15.0, "{}", deficit(free[140]));
    // the uncalibrated 0.5 /d brings most of the lasting deficit within 2 weeks: no delayed
    // onset (without the floor it killed the segment, docs/cord.md)
    let mut fast = q.clone();
    fast.compression_insult = 0.5 / DAY;
    let b = axon_course(&fast, SHEET_RATIO, 2);
    assert!(
        deficit(b[14]) > 0.8 * lasting,
        "0.5 /d at 2 wk: {}",
        deficit(b[14])
    );
    let b = axon_course_with(&fast, &none, SHEET_RATIO, 2);
    assert!(
        deficit(b[14]) > 15.0,
        "0.5 /d at 2 wk, no floor: {}",
        deficit(b[14])
    );
}

#[test]
fn compression_within_autoregulation_adds_no_ischaemic_insult() {
    let q = SciParams::builtin().unwrap();
    let ip = InjuryParams::builtin().unwrap();
    // 0.34 is within autoregulation: the same course with ischaemia as without
    assert_eq!(autoregulated_perfusion(SHEET_RATIO, &ip), 1.0);
    // past the threshold the ischaemic term adds insult: faster loss at 0.6 than compression
    // alone would give
    let c = 0.6;
    let with = axon_course(&q, c, 4);
    let ip_perf = autoregulated_perfusion(c, &ip);
    assert!(ip_perf < 0.8, "{ip_perf}");
    let mut ws = Workspace::default();
    let mut y = q.intact_state();
    let inp = Inputs {
        compression: c,
        ..Inputs::default()
    };
    for _ in 0..28 {
        advance(&q, &mut y, &inp, DAY, &default_options(), &mut ws).unwrap();
    }
    assert!(with[28] < 0.9 * y.0[AXON], "{} vs {}", with[28], y.0[AXON]);
}
