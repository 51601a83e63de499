//! Tests of the ageing and overload injuries in the disease stage: the age -> starting state
//! map, the overload time course, and short coupled runs on a coarse rat tail disc.

use super::ageing::AgeingParams;
use super::overload::{OverloadDrive, OverloadParams};
use super::*;
use crate::grid::{GridKind, AF};
use crate::injury::Injury;

const DAY: f64 = 86_400.0;
const YEAR: f64 = 31_557_600.0;

fn rat() -> (Registry, Model, Vec<Vec<f64>>) {
    super::tests::rat(GridKind::Axisymmetric, 0.1)
}

fn disease(reg: &Registry, model: &Model, u: &[Vec<f64>], inj: Option<&Injury>) -> Disease {
    let geo = inj.map(|i| i.geometry(model.disc_height_mm).unwrap());
    let pair = inj.zip(geo.as_ref());
    Disease::new(reg, model, "rat_caudal", pair, u, 12.0 * 3600.0).unwrap()
}

#[test]
fn ageing_index_and_state_follow_the_registry_anchors() {
    let reg = Registry::builtin();
    let a = AgeingParams::from_registry(&reg, "rat_caudal").unwrap();
    // rat: lifespan 3 yr, onset 0.15 -> young adult (3 months = 0.083) has index 0
    assert_eq!(a.index(0.25 * YEAR), 0.0);
    assert!((a.lifespan_years() - 3.0).abs() < 1e-12);
    // 24 months: a = 2/3, x = (2/3 - 0.15) / 0.85
    let x = (2.0 / 3.0 - 0.15) / 0.85;
    let s = a.at(2.0 * YEAR).unwrap();
    assert!((s.index - x).abs() < 1e-12, "{s:?}");
    assert!((s.senescent_fraction - 0.25 * x).abs() < 1e-12);
    assert!((s.cell_loss - 0.3 * x).abs() < 1e-12);
    assert!((s.np_proteoglycan - (1.0 - 0.4 * x)).abs() < 1e-12);
    assert!((s.cep_exchange_area - (1.0 - 0.4 * x)).abs() < 1e-12);
    assert!((s.inflammatory_drive - a.old.inflammatory_drive * x).abs() < 1e-12);
    // beyond the median lifespan the index stays 1
    let old = a.at(10.0 * YEAR).unwrap();
    assert_eq!(old.index, 1.0);
    assert!((old.np_proteoglycan - a.old.np_proteoglycan).abs() < 1e-12);
    assert!((old.senescent_fraction - a.old.senescent_fraction).abs() < 1e-12);
    assert!(a.at(0.0).is_err() && a.at(f64::NAN).is_err());
    // a species without a lifespan entry is an error naming it
    let e = AgeingParams::from_registry(&reg, "dog")
        .unwrap_err()
        .to_string();
    assert!(e.contains("ageing.lifespan.dog"), "{e}");
}

#[test]
fn overload_cell_stress_and_loading_windows() {
    let reg = Registry::builtin();
    let p = OverloadParams::from_registry(&reg).unwrap();
    // linear between 0.3 MPa (0) and 1.3 MPa (max 1)
    assert_eq!(p.level(0.2), 0.0);
    assert!((p.level(0.8) - 0.5).abs() < 1e-12);
    assert_eq!(p.level(1.3), 1.0);
    assert_eq!(p.level(5.0), 1.0);
    // 8 h/day from day 2 for 7 days: daily mean 1/3 during the period
    let o = OverloadDrive::new(&p, 1.3, 8.0, 2.0 * DAY, 7.0 * DAY).unwrap();
    assert!((o.cell_stress_at(3.0 * DAY) - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(o.cell_stress_at(1.9 * DAY), 0.0);
    assert_eq!(o.cell_stress_at(9.0 * DAY), 0.0);
    // loaded the first 8 h of each day after the start, not at the start instant
    assert!(!o.loaded_at(2.0 * DAY));
    assert!(o.loaded_at(2.0 * DAY + 4.0 * 3600.0));
    assert!(o.loaded_at(2.0 * DAY + 8.0 * 3600.0));
    assert!(!o.loaded_at(2.0 * DAY + 9.0 * 3600.0));
    assert!(
        !o.loaded_at(3.0 * DAY),
        "whole days count as the end of the previous day"
    );
    assert!(o.loaded_at(3.0 * DAY + 3600.0));
    assert_eq!(o.stress_at(5.0 * DAY + 3600.0), 1.3);
    // sustained loading: loaded through the whole period, including its last instant
    let s = OverloadDrive::new(&p, 1.3, 24.0, 0.0, 7.0 * DAY).unwrap();
    assert!(s.loaded_at(3.0 * DAY) && s.loaded_at(7.0 * DAY) && !s.loaded_at(7.5 * DAY));
    assert!(OverloadDrive::new(&p, 1.3, 25.0, 0.0, DAY).is_err());
    assert!(OverloadDrive::new(&p, -1.0, 24.0, 0.0, DAY).is_err());
}

#[test]
fn injury_drive_of_ageing_is_persistent_in_np_and_af() {
    let (reg, model, _) = rat();
    let p = InjuryParams::from_registry_for(&reg, "rat_caudal").unwrap();
    let inj = Injury::Ageing { age_s: 2.0 * YEAR };
    let geo = inj.geometry(model.disc_height_mm).unwrap();
    let d = InjuryDrive::new(&model.grid, &inj, &geo, &p).unwrap();
    let want = p.ageing.unwrap().at(2.0 * YEAR).unwrap();
    assert_eq!(d.ageing, Some(want));
    for c in 0..model.grid.len() {
        let l = model.grid.labels[c];
        let expect = if l == NP || l == AF {
            want.inflammatory_drive
        } else {
            0.0
        };
        assert_eq!(d.damage[c], expect);
        assert_eq!(d.influx[c], 0.0);
    }
    assert_eq!((d.profile(0.0), d.profile(300.0 * DAY)), (1.0, 1.0));
    assert_eq!(d.np_loss, 0.0);
    // without the species' constants the ageing drive cannot be built
    let q = InjuryParams::from_registry(&reg).unwrap();
    assert!(InjuryDrive::new(&model.grid, &inj, &geo, &q).is_err());
    // overload: no damage, the stress time course only
    let o = Injury::Overload {
        stress_mpa: 1.3,
        hours_per_day: 24.0,
        duration_s: 7.0 * DAY,
        time_s: 0.0,
    };
    let g = o.geometry(model.disc_height_mm).unwrap();
    let d = InjuryDrive::new(&model.grid, &o, &g, &p).unwrap();
    assert!(d.damage.iter().all(|&x| x == 0.0));
    assert_eq!(d.cell_stress_at(DAY), 1.0);
    assert_eq!(d.axial_stress_at(DAY), 1.3);
    assert_eq!(d.axial_stress_at(8.0 * DAY), 0.0);
}

#[test]
fn aged_rat_disc_starts_senescent_with_less_np_matrix_and_a_lower_disc() {
    let (reg, model, u) = rat();
    let young = disease(&reg, &model, &u, None);
    let inj = Injury::Ageing { age_s: 2.0 * YEAR };
    let mut aged = disease(&reg, &model, &u, Some(&inj));
    let a = AgeingParams::from_registry(&reg, "rat_caudal")
        .unwrap()
        .at(2.0 * YEAR)
        .unwrap();
    let np = |d: &Disease, i| observe::volume_mean(&model.grid, &d.states, NP, i);
    assert!((np(&aged, st::SENESCENT) - a.senescent_fraction).abs() < 1e-12);
    assert!((np(&aged, st::DEAD) - a.cell_loss).abs() < 1e-12);
    assert!((np(&aged, st::PROTEOGLYCAN) - a.np_proteoglycan).abs() < 1e-12);
    assert_eq!(np(&young, st::SENESCENT), 0.0);
    // the aged NP holds less proteoglycan, so the disc is lower and drier from the start
    let my = young.mechanics(&model, None).unwrap();
    let ma = aged.mechanics(&model, None).unwrap();
    assert!(
        ma.height_mm < my.height_mm - 0.01,
        "{} vs {}",
        ma.height_mm,
        my.height_mm
    );
    assert!(ma.np.water_wet_fraction < my.np.water_wet_fraction);
    assert!((aged.height0_mm - ma.height_mm).abs() < 1e-12);
    // after a few days the aged disc still has more senescent cells and less NP matrix, and the
    // SASP of its senescent cells raises IL-1b above the young disc's
    let tr = TreatmentInputs::default();
    let mut young = young;
    for day in 0..3 {
        young.step(&model, &u, &tr, day as f64 * DAY, DAY).unwrap();
        aged.step(&model, &u, &tr, day as f64 * DAY, DAY).unwrap();
    }
    assert!(np(&aged, st::SENESCENT) > np(&young, st::SENESCENT) + 0.1);
    assert!(np(&aged, st::PROTEOGLYCAN) < np(&young, st::PROTEOGLYCAN) - 0.1);
    // (IL-1b stays far below its NF-kB half-activation, 500 pg/mL, so NF-kB itself follows the
    // H2O2 of the larger young viable population: no NF-kB comparison here)
    assert!(
        np(&aged, st::IL1B) > 100.0 * np(&young, st::IL1B),
        "IL-1b {} vs {}",
        np(&aged, st::IL1B),
        np(&young, st::IL1B)
    );
    for s in &aged.states {
        assert!((s.cell_total() - 1.0).abs() < 1e-6);
    }
}

#[test]
fn overload_lowers_height_while_loaded_and_leaves_biological_damage_after() {
    let (reg, model, u) = rat();
    let mut sham = disease(&reg, &model, &u, None);
    let inj = Injury::Overload {
        stress_mpa: 1.3,
        hours_per_day: 24.0,
        duration_s: 4.0 * DAY,
        time_s: 0.0,
    };
    let mut load = disease(&reg, &model, &u, Some(&inj));
    assert!(
        (load.height0_mm - sham.height0_mm).abs() < 1e-12,
        "reference is unloaded"
    );
    let tr = TreatmentInputs::default();
    let dhi = |d: &Disease| 100.0 * d.mechanics(&model, None).unwrap().height_mm / d.height0_mm;
    for day in 0..4 {
        sham.step(&model, &u, &tr, day as f64 * DAY, DAY).unwrap();
        load.step(&model, &u, &tr, day as f64 * DAY, DAY).unwrap();
    }
    // loaded (t = 4 d, last instant of the period): the extra 1.3 MPa squeezes the disc
    let (d_sham, d_load) = (dhi(&sham), dhi(&load));
    eprintln!("overload: %DHI loaded {d_load:.1} vs sham {d_sham:.1}");
    assert!(d_load < d_sham - 10.0, "{d_load} vs {d_sham}");
    let w_load = load.mechanics(&model, None).unwrap().np.water_wet_fraction;
    // one day after unloading: the mechanics recovers to the (damaged) matrix equilibrium
    sham.step(&model, &u, &tr, 4.0 * DAY, DAY).unwrap();
    load.step(&model, &u, &tr, 4.0 * DAY, DAY).unwrap();
    let (d_sham, d_after) = (dhi(&sham), dhi(&load));
    let w_after = load.mechanics(&model, None).unwrap().np.water_wet_fraction;
    eprintln!("overload: %DHI unloaded {d_after:.2} vs sham {d_sham:.2}");
    assert!(d_after > d_load + 5.0 && w_after > w_load);
    // ... but cells died and NP proteoglycan fell: lower than sham (damage stays)
    let np = |d: &Disease, i| observe::volume_mean(&model.grid, &d.states, NP, i);
    let af = |d: &Disease, i| observe::volume_mean(&model.grid, &d.states, AF, i);
    assert!(
        np(&load, st::DEAD) > np(&sham, st::DEAD) + 0.05,
        "{}",
        np(&load, st::DEAD)
    );
    assert!(af(&load, st::DEAD) > af(&sham, st::DEAD) + 0.05);
    assert!(np(&load, st::PROTEOGLYCAN) < np(&sham, st::PROTEOGLYCAN));
    assert!(d_after < d_sham, "{d_after} vs {d_sham}");
}
