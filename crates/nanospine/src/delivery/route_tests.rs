//! Tests of the dosing routes: biexponential plasma curve, mass balance, lesion uptake vs barrier
//! opening, intrathecal retention, registry values and named errors.

use super::*;

const MIN: f64 = 60.0;
const H: f64 = 3600.0;
const D: f64 = 86_400.0;

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

/// 8 min / 3 h, A = 0.85, lesion 1 %.
fn pk() -> PlasmaPk {
    PlasmaPk::new(8.0 * MIN, 3.0 * H, 0.85, 0.01).unwrap()
}

#[test]
fn route_ids_round_trip_and_unknown_is_named() {
    for r in Route::ALL {
        assert_eq!(Route::from_id(r.id()).unwrap(), r);
    }
    let e = Route::from_id("intravenus").unwrap_err();
    assert!(e.0.contains("unknown route 'intravenus'"), "{e}");
    assert!(e.0.contains("did you mean 'intravenous'"), "{e}");
    assert!(
        e.0.contains("allowed: local, intrathecal, intravenous"),
        "{e}"
    );
}

#[test]
fn plasma_follows_the_analytic_biexponential() {
    let bolus = IvBolus::new(100.0, 2.0 * H, pk()).unwrap();
    let (ka, kb) = (
        std::f64::consts::LN_2 / (8.0 * MIN),
        std::f64::consts::LN_2 / (3.0 * H),
    );
    for tau in [0.0, 1.0 * MIN, 8.0 * MIN, 30.0 * MIN, 3.0 * H, 1.0 * D] {
        let want = 100.0 * (0.85 * (-ka * tau).exp() + 0.15 * (-kb * tau).exp());
        assert!(close(bolus.plasma(2.0 * H + tau), want, 1e-12), "tau {tau}");
    }
    // one alpha half-life: the fast phase halves
    assert!(close(
        bolus.plasma(2.0 * H + 8.0 * MIN),
        100.0 * (0.425 + 0.15 * (-kb * 480.0).exp()),
        1e-12
    ));
    assert_eq!(bolus.plasma(1.0 * H), 0.0, "nothing before the injection");
}

/// The micro-constants solve the two-compartment ODEs: integrate them with small explicit
/// steps (independently of the closed forms) and compare.
#[test]
fn micro_constants_reproduce_the_curve_by_integration() {
    let p = pk();
    let (k10, k12, k21) = p.micro_rates_per_s();
    let (mut x1, mut x2, mut e) = (1.0_f64, 0.0_f64, 0.0_f64);
    let dt = 0.05;
    let n = (6.0 * H / dt) as usize;
    for _ in 0..n {
        // RK2 (midpoint)
        let f = |x1: f64, x2: f64| (-(k10 + k12) * x1 + k21 * x2, k12 * x1 - k21 * x2, k10 * x1);
        let (a1, a2, _) = f(x1, x2);
        let (b1, b2, b3) = f(x1 + 0.5 * dt * a1, x2 + 0.5 * dt * a2);
        x1 += dt * b1;
        x2 += dt * b2;
        e += dt * b3;
    }
    let tau = n as f64 * dt;
    assert!(
        close(x1, p.central(tau), 1e-6),
        "{x1} vs {}",
        p.central(tau)
    );
    assert!(
        close(x2, p.peripheral(tau), 1e-6),
        "{x2} vs {}",
        p.peripheral(tau)
    );
    assert!(
        close(e, p.eliminated(tau), 1e-6),
        "{e} vs {}",
        p.eliminated(tau)
    );
}

#[test]
fn mass_balance_dose_is_plasma_peripheral_cleared_lesion() {
    let bolus = IvBolus::new(250.0, 1.0 * H, pk()).unwrap();
    let barrier =
        BarrierProfile::new(&[(0.0, 0.8), (1.5 * H, 0.3), (1.0 * D, 0.05), (3.0 * D, 0.0)])
            .unwrap();
    for t in [1.0 * H, 1.2 * H, 2.0 * H, 10.0 * H, 2.0 * D, 30.0 * D] {
        let l = bolus.ledger(t, &barrier);
        let sum = l.plasma + l.peripheral + l.cleared + l.lesion;
        assert!(close(sum, 250.0, 1e-10), "t {t}: {l:?}");
        assert!(l.plasma >= 0.0 && l.peripheral >= 0.0 && l.cleared >= 0.0 && l.lesion >= 0.0);
    }
    // everything is eliminated in the end
    let l = bolus.ledger(60.0 * D, &barrier);
    assert!(l.plasma + l.peripheral < 1e-9 * 250.0, "{l:?}");
}

#[test]
fn lesion_uptake_scales_with_opening_and_is_zero_when_closed() {
    let bolus = IvBolus::new(100.0, 0.0, pk()).unwrap();
    let t = 20.0 * MIN;
    let full = bolus.lesion_rate(t, 1.0).unwrap();
    // independent: f_les * k10 * plasma
    let (k10, _, _) = bolus.pk.micro_rates_per_s();
    assert!(close(full, 0.01 * k10 * bolus.plasma(t), 1e-12));
    assert!(close(
        bolus.lesion_rate(t, 0.25).unwrap(),
        0.25 * full,
        1e-12
    ));
    assert_eq!(bolus.lesion_rate(t, 0.0).unwrap(), 0.0);
    let closed = BarrierProfile::new(&[]).unwrap();
    assert_eq!(bolus.lesion_rate_with(t, &closed), 0.0);
    assert_eq!(bolus.ledger(10.0 * D, &closed).lesion, 0.0);
    // open throughout: the lesion takes f_les of the dose in the end
    let open = BarrierProfile::new(&[(-1.0, 1.0)]).unwrap();
    assert!(close(bolus.ledger(30.0 * D, &open).lesion, 1.0, 1e-9));
    // half open throughout: half of that
    let half = BarrierProfile::new(&[(-1.0, 0.5)]).unwrap();
    assert!(close(bolus.ledger(30.0 * D, &half).lesion, 0.5, 1e-9));
    // open only for the first hour: f_les x eliminated fraction by 1 h
    let early = BarrierProfile::new(&[(0.0, 1.0), (1.0 * H, 0.0)]).unwrap();
    let want = 0.01 * 100.0 * bolus.pk.eliminated(1.0 * H);
    assert!(close(bolus.ledger(5.0 * D, &early).lesion, want, 1e-12));
    // the step form agrees with the ledger
    let step = bolus.lesion_uptake(0.0, 1.0 * H, 1.0).unwrap();
    assert!(close(step, want, 1e-12));
}

#[test]
fn lesion_rate_integrates_to_the_ledger() {
    let bolus = IvBolus::new(10.0, 0.0, pk()).unwrap();
    let barrier = BarrierProfile::new(&[(0.0, 0.6), (2.0 * H, 0.2)]).unwrap();
    // midpoint quadrature of the rate (independent of the closed-form elimination)
    // 0.1 s steps, with the barrier change at 2 h on a step edge
    let (t_end, n) = (6.0 * H, 216_000);
    let dt = t_end / n as f64;
    let q: f64 = (0..n)
        .map(|i| bolus.lesion_rate_with((i as f64 + 0.5) * dt, &barrier) * dt)
        .sum();
    let exact = bolus.ledger(t_end, &barrier).lesion;
    assert!(close(q, exact, 1e-7), "{q} vs {exact}");
}

#[test]
fn registry_kinetics_match_the_sources() {
    let reg = Registry::builtin();
    let p = PlasmaPk::from_registry(&reg).unwrap();
    let (a, b) = p.hybrid_rates_per_s();
    let ln2 = std::f64::consts::LN_2;
    // Kim 2019 [V]: t1/2 alpha 6.85-8.79 min, t1/2 beta 149-792 min
    assert!((6.85 * MIN..=8.79 * MIN).contains(&(ln2 / a)));
    assert!((149.0 * MIN..=792.0 * MIN).contains(&(ln2 / b)));
    // plasma MRT = AUMC / AUC within Kim 2019's 3.40-3.57 h (+- SD 0.68 h)
    let (n, dt) = (400_000, 60.0 * H / 400_000.0);
    let (mut auc, mut aumc) = (0.0, 0.0);
    for i in 0..n {
        let t = (i as f64 + 0.5) * dt;
        auc += p.central(t) * dt;
        aumc += t * p.central(t) * dt;
    }
    let mrt_h = aumc / auc / H;
    assert!((3.4..=3.6).contains(&mrt_h), "MRT {mrt_h} h");
    assert!(close(p.lesion_fraction(), 0.005, 1e-12));
    let rat = CsfPk::from_registry(&reg, "rat").unwrap();
    assert!(close(rat.retention_half_life_s, 21.0 * D, 1e-12));
    assert!(close(rat.csf_volume_ml, 0.25, 1e-12));
    let mouse = CsfPk::from_registry(&reg, "mouse").unwrap();
    assert!(close(mouse.csf_volume_ml, 0.04, 1e-12));
    // human: intracranial 123 mL (Condon 1986) + spinal 97 mL (Sass 2017)
    let human = CsfPk::from_registry(&reg, "human").unwrap();
    assert!(close(human.csf_volume_ml, 220.0, 1e-12));
    let e = CsfPk::from_registry(&reg, "rabbit").unwrap_err();
    assert!(
        e.0.contains("species 'rabbit'") && e.0.contains("allowed: rat, mouse, human"),
        "{e}"
    );
}

#[test]
fn intrathecal_retention_and_balance() {
    let pk = CsfPk::new(21.0 * D, 0.25).unwrap();
    let it = IntrathecalBolus::new(40.0, 1.0 * D, pk).unwrap();
    assert_eq!(it.csf_amount(0.5 * D), 0.0);
    assert_eq!(it.cleared(0.5 * D), 0.0);
    assert!(close(it.csf_amount(1.0 * D), 40.0, 1e-12));
    assert!(close(it.csf_amount(22.0 * D), 20.0, 1e-12), "one half-life");
    assert!(close(it.csf_amount(43.0 * D), 10.0, 1e-12));
    for t in [1.0 * D, 5.0 * D, 50.0 * D] {
        assert!(close(it.csf_amount(t) + it.cleared(t), 40.0, 1e-12));
    }
    assert!(
        close(it.csf_concentration(22.0 * D), 80.0, 1e-12),
        "20 / 0.25 mL"
    );
}

#[test]
fn bad_inputs_are_named_errors() {
    let e = PlasmaPk::new(3.0 * H, 8.0 * MIN, 0.85, 0.01).unwrap_err();
    assert!(
        e.0.contains("half_life_alpha") && e.0.contains("shorter"),
        "{e}"
    );
    let e = PlasmaPk::new(-1.0, 3.0 * H, 0.85, 0.01).unwrap_err();
    assert!(e.0.contains("half_life_alpha = -1"), "{e}");
    let e = PlasmaPk::new(8.0 * MIN, 3.0 * H, 1.0, 0.01).unwrap_err();
    assert!(e.0.contains("alpha_fraction = 1"), "{e}");
    let e = PlasmaPk::new(8.0 * MIN, 3.0 * H, 0.85, 1.5).unwrap_err();
    assert!(
        e.0.contains("lesion_fraction = 1.5") && e.0.contains("[0, 1]"),
        "{e}"
    );
    let e = PlasmaPk::new(8.0 * MIN, f64::NAN, 0.85, 0.01).unwrap_err();
    assert!(e.0.contains("half_life_beta"), "{e}");
    let e = IvBolus::new(-5.0, 0.0, pk()).unwrap_err();
    assert!(e.0.contains("dose = -5"), "{e}");
    let e = IvBolus::new(5.0, f64::INFINITY, pk()).unwrap_err();
    assert!(e.0.contains("injection time"), "{e}");
    let b = IvBolus::new(5.0, 0.0, pk()).unwrap();
    let e = b.lesion_rate(1.0, 1.2).unwrap_err();
    assert!(e.0.contains("barrier opening = 1.2"), "{e}");
    let e = b.lesion_uptake(2.0, 1.0, 0.5).unwrap_err();
    assert!(e.0.contains("[2, 1]"), "{e}");
    let e = BarrierProfile::new(&[(0.0, 0.5), (0.0, 0.2)]).unwrap_err();
    assert!(
        e.0.contains("point 1") && e.0.contains("after the previous"),
        "{e}"
    );
    let e = BarrierProfile::new(&[(0.0, -0.1)]).unwrap_err();
    assert!(e.0.contains("point 0: opening = -0.1"), "{e}");
    let e = CsfPk::new(0.0, 0.25).unwrap_err();
    assert!(e.0.contains("retention_half_life = 0"), "{e}");
    let e = CsfPk::new(D, -1.0).unwrap_err();
    assert!(e.0.contains("csf_volume = -1"), "{e}");
    let e = IntrathecalBolus::new(f64::NAN, 0.0, CsfPk::new(D, 0.25).unwrap()).unwrap_err();
    assert!(e.0.contains("dose"), "{e}");
}
