//! Engine tests on a real disc: the amount balance of every payload (dose = in carrier + free +
//! cleared + consumed to 1e-9 relative), release following the law, and carrier vs bolus.

use super::spec::*;
use super::Delivery;
use crate::grid::{GridKind, AF, CEP, CEP_SEALED, MAX_LABELS, NP};
use crate::params::Registry;
use crate::release::ReleaseLaw;
use crate::scenario::{BoundarySpec, GridSpec, Shape};
use crate::sim::{assemble, Model};
use std::collections::BTreeMap;

fn rat_disc() -> Model {
    let grid = GridSpec {
        kind: GridKind::Axisymmetric,
        spacing_mm: 0.1,
        shape: Shape::Ellipse,
    };
    assemble(
        &Registry::builtin(),
        "rat_caudal",
        2,
        &grid,
        BoundarySpec::default(),
    )
    .unwrap()
}

fn by_tissue(np: f64, af: f64, cep: f64) -> [f64; MAX_LABELS] {
    let mut a = [0.0; MAX_LABELS];
    a[NP as usize] = np;
    a[AF as usize] = af;
    a[CEP as usize] = cep;
    a[CEP_SEALED as usize] = cep;
    a
}

fn payload(loss: f64) -> PayloadSpec {
    PayloadSpec {
        id: "drug".into(),
        diffusivity: by_tissue(2e-4, 1e-4, 5e-5),
        np_water: crate::carriers::WaterLaw::Obstruction,
        partition: by_tissue(1.0, 0.6, 0.8),
        loss_per_s: by_tissue(loss, loss, loss),
        effective_ng_per_ml: 100.0,
        action: crate::carriers::PayloadAction::None,
    }
}

fn first_order(k_per_day: f64) -> ReleaseLaw {
    let mut v = BTreeMap::new();
    v.insert("k1".to_string(), k_per_day);
    ReleaseLaw::new("first_order", &v, 86400.0).unwrap()
}

fn carrier(outer: Option<f64>, mobile: bool, binding: Option<(f64, f64)>) -> CarrierSpec {
    CarrierSpec {
        id: "test_carrier".into(),
        release: first_order(0.2),
        outer_rate_per_s: outer,
        clearance_per_s: 1e-7,
        diffusivity: if mobile {
            by_tissue(1e-5, 5e-6, 1e-7)
        } else {
            [0.0; MAX_LABELS]
        },
        np_water: if mobile {
            crate::carriers::WaterLaw::Gu {
                radius_nm: 25.0,
                alpha: 1.29,
                beta: 0.372,
                kappa_ref_m2: 6.22e-19,
                water_ref: 0.8,
            }
        } else {
            crate::carriers::WaterLaw::Immobile
        },
        binding,
        nanozyme: None,
        modulus_kpa: None,
        damp_trap: None,
    }
}

fn treatment(c: Option<CarrierSpec>, time_s: f64) -> TreatmentSpec {
    TreatmentSpec {
        dose_ng: 1000.0,
        time_s,
        site: Site::Np,
        volume_mm3: 1.0,
        cells: 0.0,
        carrier: c,
        payload: payload(2e-6),
        disable: vec![],
    }
}

fn run(model: &Model, tr: Vec<TreatmentSpec>, days: f64, h: f64) -> Delivery {
    let via = model.initial_viability();
    let mut d = Delivery::new(model, tr, None, &via).unwrap();
    let mut t = 0.0;
    while t < days * 86400.0 - 1e-6 {
        d.inject_due(&model.grid, t);
        d.step(model, &via, t, h).unwrap();
        t += h;
    }
    d
}

#[test]
fn every_payload_balances_to_1e_9() {
    let m = rat_disc();
    let tr = vec![
        treatment(None, 0.0),
        treatment(Some(carrier(None, false, None)), 0.0),
        treatment(Some(carrier(Some(2e-6), false, None)), 3600.0 * 24.0),
        treatment(Some(carrier(None, true, Some((1e-5, 1e-6)))), 7200.0),
    ];
    let d = run(&m, tr, 20.0, 3600.0);
    for (key, led) in d.ledgers(&m.grid) {
        assert!(
            (led.dose_ug - 1.0).abs() < 1e-12,
            "{key}: dose {}",
            led.dose_ug
        );
        assert!(
            led.imbalance().abs() < 1e-9,
            "{key}: imbalance {:e} ({led:?})",
            led.imbalance()
        );
        assert!(
            led.cleared_ug > 0.0 && led.consumed_ug > 0.0,
            "{key}: {led:?}"
        );
    }
}

#[test]
fn immobile_depot_releases_by_the_law() {
    // no clearance: what left the carrier is exactly F(t) of the dose
    let m = rat_disc();
    let mut c = carrier(None, false, None);
    c.clearance_per_s = 0.0;
    let d = run(&m, vec![treatment(Some(c), 0.0)], 5.0, 3600.0);
    let led = d.ledgers(&m.grid)[0].1;
    let expected = (-0.2f64 * 5.0).exp();
    assert!(
        (led.in_carrier_ug - expected).abs() < 1e-9,
        "held {} vs {}",
        led.in_carrier_ug,
        expected
    );
}

#[test]
fn sustained_release_outlasts_a_bolus() {
    let m = rat_disc();
    let tr = vec![
        treatment(None, 0.0),
        treatment(Some(carrier(None, false, None)), 0.0),
    ];
    let d = run(&m, tr, 14.0, 3600.0);
    let cov = d.coverage_summary(&m.grid);
    // bolus: the payload has left the small rat disc within a day or so
    assert!(
        cov[0].3 < 2.0,
        "bolus mean time above EC in NP {} d",
        cov[0].3
    );
    assert!(
        cov[1].3 > 2.0 * cov[0].3,
        "carrier {} d vs bolus {} d",
        cov[1].3,
        cov[0].3
    );
}

#[test]
fn injection_before_its_time_is_not_counted() {
    let m = rat_disc();
    let via = m.initial_viability();
    let mut d = Delivery::new(&m, vec![treatment(None, 86400.0)], None, &via).unwrap();
    d.inject_due(&m.grid, 0.0);
    assert_eq!(d.ledgers(&m.grid)[0].1.dose_ug, 0.0);
    d.inject_due(&m.grid, 86400.0);
    assert!((d.ledgers(&m.grid)[0].1.dose_ug - 1.0).abs() < 1e-12);
}

#[test]
fn too_large_a_volume_is_a_clear_error() {
    let m = rat_disc();
    let via = m.initial_viability();
    let mut tr = treatment(None, 0.0);
    tr.volume_mm3 = 1e4;
    let e = Delivery::new(&m, vec![tr], None, &via)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("exceeds the NP volume"), "{e}");
}

#[test]
fn three_d_disc_balances_and_places_both_sites() {
    let grid = GridSpec {
        kind: GridKind::Cartesian3d,
        spacing_mm: 1.0,
        shape: Shape::Kidney,
    };
    let m = assemble(
        &Registry::builtin(),
        "human_l4l5",
        2,
        &grid,
        BoundarySpec::default(),
    )
    .unwrap();
    let mut np = treatment(Some(carrier(None, true, Some((1e-6, 1e-6)))), 0.0);
    np.volume_mm3 = 50.0;
    let mut af = treatment(None, 0.0);
    af.site = Site::Af;
    af.volume_mm3 = 10.0;
    let d = run(&m, vec![np, af], 3.0, 6.0 * 3600.0);
    for (key, led) in d.ledgers(&m.grid) {
        assert!(led.imbalance().abs() < 1e-9, "{key}: {led:?}");
        assert!(led.cleared_ug > 0.0, "{key}: {led:?}");
    }
}

/// Water feedback: after the NP water falls 0.80 -> 0.72 the payload's NP diffusivity (x
/// partition) falls by the Mackie-Meares factor 0.711914 and the 25 nm carrier's by the Gu
/// factor 0.694932 (hand values, python: exp(-1.29 (r/sqrt(kappa))^0.372) with
/// kappa = 6.22e-19 (0.2/0.28)^1.2 m^2 against 6.22e-19 m^2); AF and CEP are untouched; and the
/// engine then runs exactly as one assembled with those diffusivities.
#[test]
fn np_water_scales_payload_and_carrier_diffusivity() {
    let m = rat_disc();
    let mk = || vec![treatment(Some(carrier(None, true, None)), 0.0)];
    let via = m.initial_viability();
    let mut a = Delivery::new(&m, mk(), None, &via).unwrap();
    a.set_np_water(&m.grid, 0.8, 0.72);
    let ws = a.water_scaled();
    assert_eq!(ws.len(), 2);
    for ((key, w), want) in ws.iter().zip([0.711914, 0.694932]) {
        let (now, base) = (&w.now.d_by_label, &w.base.d_by_label);
        let f = now[NP as usize] / base[NP as usize];
        assert!((f - want).abs() < 1e-6, "{key}: {f} vs {want}");
        for l in [AF, CEP, CEP_SEALED] {
            assert_eq!(now[l as usize], base[l as usize], "{key} label {l}");
        }
    }
    // the same engine assembled with the scaled NP diffusivities
    let mut tr = mk();
    tr[0].payload.diffusivity[NP as usize] *= 0.711_914_062_5;
    if let Some(c) = tr[0].carrier.as_mut() {
        c.diffusivity[NP as usize] *= a.water_scaled()[1].1.now.d_by_label[NP as usize]
            / a.water_scaled()[1].1.base.d_by_label[NP as usize];
    }
    let mut b = Delivery::new(&m, tr, None, &via).unwrap();
    for d in [&mut a, &mut b] {
        d.inject_due(&m.grid, 0.0);
        for k in 0..24 {
            d.step(&m, &via, k as f64 * 3600.0, 3600.0).unwrap();
        }
    }
    for ((ka, fa), (_, fb)) in a.fields(&m.grid).iter().zip(b.fields(&m.grid).iter()) {
        for (x, y) in fa.iter().zip(fb) {
            assert!(
                (x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-9 * y.abs().max(1e-12),
                "{ka}: {x} vs {y}"
            );
        }
    }
}

/// The cord exosome actions drive the disc's generic exosome input exactly as `exosome` does;
/// `ccl2_trap` (and `nanozyme`, `none`) give no drug input in the disc.
#[test]
fn cord_actions_map_explicitly_in_the_disc() {
    use crate::carriers::PayloadAction as A;
    let m = rat_disc();
    let inputs = |action: A| {
        let mut tr = treatment(None, 0.0);
        tr.payload.action = action;
        let d = run(&m, vec![tr], 1.0, 3600.0);
        let ros = vec![0.0; m.grid.len()];
        d.biology_inputs(&m.grid, &ros, 86400.0).unwrap()
    };
    let base = inputs(A::Exosome);
    let total: f64 = base.exosome.iter().sum();
    assert!(total > 0.0);
    for a in [A::Nrf2Exosome, A::Socs3Exosome] {
        let x = inputs(a);
        assert_eq!(x.exosome, base.exosome, "{}", a.id());
        assert!(x.anti_inflammatory.is_empty(), "{}", a.id());
    }
    for a in [A::Ccl2Trap, A::Nanozyme, A::None] {
        let x = inputs(a);
        assert!(
            x.exosome.is_empty()
                && x.anti_inflammatory.is_empty()
                && x.trka_antagonist.is_empty()
                && x.anti_mir199a.is_empty(),
            "{}",
            a.id()
        );
    }
}

/// A DAMP-trap carrier's material: it balances (given = in disc + cleared to 1e-9), it is
/// exactly the carrier-held payload scaled back by the unreleased fraction (release does not
/// remove carrier, everything else acts on both alike), and it gives the biology binding sites
/// only while the mechanism is on.
#[test]
fn carrier_material_balances_and_is_not_released() {
    let m = rat_disc();
    let trap = crate::carriers::DampTrapConstants {
        sites_nmol_per_ng: 2e-4,
        k_d_nm: 10.0,
        payload_loading: 0.1,
    };
    let trap_carrier = || {
        let mut c = carrier(None, true, Some((1e-5, 1e-6)));
        c.damp_trap = Some(trap);
        c.clearance_per_s = 1e-6;
        c
    };
    let d = run(&m, vec![treatment(Some(trap_carrier()), 0.0)], 10.0, 3600.0);
    let (_, mat) = &d.material_ledgers(&m.grid)[0];
    // 1000 ng of payload at 10 % loading = 10 ug of carrier
    assert!((mat.given_ug - 10.0).abs() < 1e-12, "{mat:?}");
    let gap = (mat.given_ug - mat.in_disc_ug - mat.cleared_ug) / mat.given_ug;
    assert!(gap.abs() < 1e-9, "material imbalance {gap:e} ({mat:?})");
    assert!(mat.cleared_ug > 0.05 * mat.given_ug, "{mat:?}");
    // held payload = (1 - F) x loading x material, in the disc total
    let (_, led) = &d.ledgers(&m.grid)[0];
    let unreleased = (-0.2_f64 * 10.0).exp();
    let expect = unreleased * 0.1 * mat.in_disc_ug;
    assert!(
        (led.in_carrier_ug - expect).abs() < 1e-6 * expect,
        "held payload {} ug, expected {expect} ug",
        led.in_carrier_ug
    );
    // binding sites: material (ng/mL) x 2e-4 nmol/ng x 1e3 = nM, K_d 10 nM where sites exist
    let ros = vec![0.0; m.grid.len()];
    let inp = d.biology_inputs(&m.grid, &ros, 10.0 * 86400.0).unwrap();
    let max_sites = inp.damp_sites_nm.iter().copied().fold(0.0, f64::max);
    assert!(max_sites > 1e3, "max sites {max_sites} nM");
    for (s, k) in inp.damp_sites_nm.iter().zip(&inp.damp_kd_nm) {
        assert!(*s == 0.0 || (k - 10.0).abs() < 1e-9, "K_d {k} at sites {s}");
    }
    // the material is a field and a timeseries column
    let fields = d.fields(&m.grid);
    assert!(fields
        .iter()
        .any(|(n, _)| n == "drug_carrier_material_ng_per_mL"));
    let cols = d.columns();
    let mut row = vec![];
    d.observe(&m.grid, &mut row);
    assert_eq!(cols.len(), row.len());
    let i = cols
        .iter()
        .position(|c| c == "drug_carrier_material_ug")
        .unwrap();
    assert!((row[i] - mat.in_disc_ug).abs() < 1e-12 * mat.in_disc_ug);
    // switched off: no sites
    let mut off = treatment(Some(trap_carrier()), 0.0);
    off.disable = vec![crate::scenario::Mechanism::DampScavenging];
    let d = run(&m, vec![off], 1.0, 3600.0);
    let inp = d.biology_inputs(&m.grid, &ros, 86400.0).unwrap();
    assert!(inp.damp_sites_nm.is_empty());
}
