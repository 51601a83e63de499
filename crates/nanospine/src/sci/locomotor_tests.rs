//! Tests of the locomotor scores: anchors, monotonicity, bounds and the untreated time courses.

use super::*;
use crate::params::Provenance;

fn p() -> LocomotorParams {
    LocomotorParams::builtin().unwrap()
}

/// Spared fractions 0, 0.001, ..., 1.
fn grid_s() -> impl Iterator<Item = f64> {
    (0..=1000).map(|i| i as f64 / 1000.0)
}

#[test]
fn registry_entries_exist_are_assumptions_and_are_all_read() {
    let reg = Registry::builtin();
    for name in PARAMETER_NAMES {
        let q = reg.get(name).unwrap_or_else(|| panic!("missing {name}"));
        assert!(
            matches!(q.provenance, Provenance::Assumption(_)),
            "{name} should be an assumption"
        );
    }
    let registered: Vec<_> = reg
        .iter()
        .filter(|q| q.name.starts_with("sci.locomotor."))
        .map(|q| q.name.clone())
        .collect();
    assert_eq!(registered.len(), PARAMETER_NAMES.len(), "{registered:?}");
    // each name changes the result when altered
    let base = p();
    for name in PARAMETER_NAMES {
        let mut r = Registry::builtin();
        let v = r.value(name).unwrap();
        r.set_value(name, v * 1.2 + 0.01).unwrap();
        assert_ne!(LocomotorParams::from_registry(&r).unwrap(), base, "{name}");
    }
}

#[test]
fn plateaus_hit_every_anchor() {
    let q = p();
    for a in BBB_ANCHORS {
        let s = q.bbb.plateau(a.spared);
        assert!(
            (s - a.score).abs() <= a.tolerance,
            "BBB at {} = {s}, expected {} +- {} ({})",
            a.spared,
            a.score,
            a.tolerance,
            a.source
        );
    }
    for a in BMS_ANCHORS {
        let s = q.bms.plateau(a.spared);
        assert!(
            (s - a.score).abs() <= a.tolerance,
            "BMS at {} = {s}, expected {} +- {} ({})",
            a.spared,
            a.score,
            a.tolerance,
            a.source
        );
    }
    // exact ends
    assert_eq!(q.bbb.plateau(0.0), 0.0);
    assert!((q.bbb.plateau(1.0) - 21.0).abs() < 1e-12);
    assert_eq!(q.bms.plateau(0.0), 0.0);
    assert!((q.bms.plateau(1.0) - 9.0).abs() < 1e-12);
}

#[test]
fn plateaus_are_strictly_increasing_and_bounded() {
    let q = p();
    for c in [q.bbb, q.bms] {
        let mut prev = -1.0;
        for s in grid_s() {
            let v = c.plateau(s);
            assert!(v > prev, "not increasing at {s}: {v} <= {prev}");
            assert!((0.0..=c.max).contains(&v));
            prev = v;
        }
        // clamped outside [0, 1]
        assert_eq!(c.plateau(-0.3), 0.0);
        assert!((c.plateau(1.7) - c.max).abs() < 1e-12);
        assert!(c.plateau(f64::NAN).is_nan());
    }
}

#[test]
fn scores_stay_on_their_scales_at_every_time() {
    let q = p();
    for d in [0.0, 0.5, 1.0, 2.0, 7.0, 14.0, 28.0, 42.0, 365.0, 1e6] {
        for s in grid_s().step_by(25) {
            let b = q.bbb(s, d);
            let m = q.bms(s, d);
            assert!((0.0..=BBB_MAX).contains(&b), "BBB {b} at s {s}, d {d}");
            assert!((0.0..=BMS_MAX).contains(&m), "BMS {m} at s {s}, d {d}");
        }
    }
    // monotone in time at fixed sparing
    let mut prev = -1.0;
    for i in 0..=600 {
        let b = q.bbb(0.3, i as f64 * 0.1);
        assert!(b >= prev);
        prev = b;
    }
}

#[test]
fn acute_scores_are_near_zero_regardless_of_sparing() {
    // sci.md 1.2 / 2.2 [U]: day-1 BBB 0-1, BMS 0-0.5 whatever the severity
    let q = p();
    for s in [0.0, 0.1, 0.5, 1.0] {
        assert!(q.bbb(s, 1.0) <= 1.0, "BBB d1 at {s}");
        assert!(q.bms(s, 1.0) <= 0.5, "BMS d1 at {s}");
    }
}

#[test]
fn recovery_reaches_ninety_percent_of_the_plateau_by_the_cited_time() {
    // rat: about 90 % by 28 d, plateau at 4-6 wk (sci.md 1.2 [U]);
    // mouse: plateau by 21-28 d (sci.md 2.2 [U]): the least-squares time constant reaches 88 % at
    // 21 d and 95 % at 28 d
    let q = p();
    assert!(q.bbb.recovery(28.0) >= 0.9, "{}", q.bbb.recovery(28.0));
    assert!(q.bbb.recovery(14.0) < 0.9);
    assert!(q.bms.recovery(28.0) >= 0.9, "{}", q.bms.recovery(28.0));
    assert!(q.bms.recovery(21.0) >= 0.85, "{}", q.bms.recovery(21.0));
    // the noted curves give mice a slightly faster normalised course than rats
    assert!(q.bms.recovery(14.0) > q.bbb.recovery(14.0));
    // closed form: 1 - exp(-(t - lag) / tau)
    let c = q.bbb;
    let t = 15.0;
    let expect = 1.0 - (-(t - c.recovery_lag_d) / c.recovery_tau_d).exp();
    assert!((c.recovery(t) - expect).abs() < 1e-14);
    assert_eq!(c.recovery(c.recovery_lag_d), 0.0);
    assert_eq!(c.recovery(-3.0), 0.0);
}

/// The untreated curves of the notes (sci.md 1.2 NYU 12.5 mm and 2.2 C57BL/6 moderate, both
/// [U]): with the plateau set to the notes' final value, every day lies inside the noted range.
#[test]
fn untreated_time_courses_fall_inside_the_noted_ranges() {
    let q = p();
    // rat NYU 10 g x 12.5 mm: plateau about 11
    let rat = [
        (1.0, 0.0, 1.0),
        (3.0, 1.0, 3.0),
        (7.0, 4.0, 6.0),
        (14.0, 7.0, 9.0),
        (21.0, 9.0, 10.0),
        (28.0, 10.0, 11.0),
        (42.0, 10.0, 12.0),
    ];
    // spared fraction giving a BBB plateau of 11 (bisection on the monotone plateau)
    let s11 = invert(|s| q.bbb.plateau(s), 11.0);
    for (d, lo, hi) in rat {
        let b = q.bbb(s11, d);
        assert!((lo..=hi).contains(&b), "rat d{d}: BBB {b} not in {lo}-{hi}");
    }
    // mouse C57BL/6 moderate: plateau about 4.5
    let mouse = [
        (1.0, 0.0, 0.5),
        (3.0, 0.5, 1.5),
        (7.0, 1.5, 3.0),
        (14.0, 2.5, 4.0),
        (21.0, 3.0, 4.5),
        (28.0, 3.5, 5.0),
        (42.0, 4.0, 5.0),
    ];
    let s45 = invert(|s| q.bms.plateau(s), 4.5);
    for (d, lo, hi) in mouse {
        let m = q.bms(s45, d);
        assert!(
            (lo..=hi).contains(&m),
            "mouse d{d}: BMS {m} not in {lo}-{hi}"
        );
    }
}

fn invert(f: impl Fn(f64) -> f64, y: f64) -> f64 {
    let (mut a, mut b) = (0.0, 1.0);
    for _ in 0..60 {
        let m = 0.5 * (a + b);
        if f(m) < y {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

#[test]
fn invalid_constants_are_rejected_with_the_name() {
    let mut r = Registry::builtin();
    r.set_value("sci.locomotor.bms.spared_width", 0.001)
        .unwrap();
    assert!(LocomotorParams::from_registry(&r).is_ok());
    let c = ScoreCurve {
        max: 9.0,
        spared_half: 0.16,
        spared_width: 0.0,
        recovery_tau_d: 6.0,
        recovery_lag_d: 1.0,
    };
    let e = c.check("bms").unwrap_err().to_string();
    assert!(
        e.contains("sci.locomotor.bms") && e.contains("spared_width"),
        "{e}"
    );
}

#[test]
fn each_species_reports_its_own_scale() {
    assert_eq!(scale_of("rat_thoracic"), Some("bbb"));
    assert_eq!(scale_of("mouse_thoracic"), Some("bms"));
    assert_eq!(scale_of("human_cervical"), None);
}
