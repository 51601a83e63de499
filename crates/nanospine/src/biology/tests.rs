//! Behaviour, accuracy and coupling tests of the disc biology.

use super::integrator::{integrate, Method, OdeSystem, Options, Workspace};
use super::integrator_tests::Chain;
use super::rates::{hill, rhs, signals};
use super::state::*;
use super::*;
use crate::grid::{Grid, GridKind, NP, VOID};
use crate::params::{Provenance, Registry};
use crate::reactions::local::react_implicit;
use crate::reactions::{Process, VoxelCtx};

const DAY: f64 = 86_400.0;

fn p() -> BiologyParams {
    BiologyParams::builtin().unwrap()
}

/// Healthy NP: 2 kPa O2, 3 mM glucose, pH 7.1, 3600 cells/mm^3 (tissue.np.cell_density).
fn healthy() -> Inputs {
    Inputs::healthy(2.0, 3.0, 7.1, 3600.0)
}

fn tight() -> Options {
    Options {
        rtol: 1e-9,
        atol: SPECIES.iter().map(|s| 1e-13 * s.typical).collect(),
        ..default_options()
    }
}

/// Runs `sys` from `y` for `days` and returns the state.
fn run(sys: &BiologySystem, mut y: BiologyState, days: f64, opts: &Options) -> BiologyState {
    let mut ws = Workspace::default();
    advance_system(sys, &mut y, days * DAY, opts, &mut ws).unwrap();
    y
}

fn rel(a: f64, b: f64, scale: f64) -> f64 {
    (a - b).abs() / b.abs().max(scale)
}

// ---------------------------------------------------------------------------------------------
// registry

#[test]
fn every_biology_parameter_is_registered_documented_and_used() {
    let reg = Registry::builtin();
    for name in params::PARAMETER_NAMES {
        assert!(reg.get(name).is_some(), "missing {name}");
    }
    let mut sourced = 0;
    let mut assumed = 0;
    for prm in reg.iter().filter(|q| q.name.starts_with("biology.")) {
        assert!(
            params::PARAMETER_NAMES.contains(&prm.name.as_str()),
            "{} is registered but not read by the biology",
            prm.name
        );
        match prm.provenance {
            Provenance::Source(_) => sourced += 1,
            Provenance::Assumption(_) => assumed += 1,
        }
    }
    assert_eq!(sourced + assumed, params::PARAMETER_NAMES.len() - 2);
    assert_eq!((sourced, assumed), (15, 72));
}

#[test]
fn registry_values_are_converted_to_internal_units() {
    let q = p();
    // 0.059 /yr (Julian year) in 1/s
    assert!(rel(q.aggrecan_turnover, 0.059 / (365.25 * DAY), 0.0) < 1e-12);
    // 96 fmol/cell/h x 1000 cells/mm^3 = 96e-12 mol/mm^3/h = 96 uM/h (1 mm^3 = 1e-6 L)
    assert!(rel(q.ros_m1_production * 1000.0, 96.0 / 3600.0, 0.0) < 1e-12);
    // 5.6e-4 pg/cell/h x 500 cells/mm^3 = 5e5 cells/mL x 5.6e-4 pg/h = 280 pg/mL/h
    assert!(rel(q.tnf.secretion * 500.0, 280.0 / 3600.0, 0.0) < 1e-12);
    assert!(rel(q.nfkb_on, 4.0 / 3600.0, 0.0) < 1e-12);
    assert!(rel(q.ngf_half, 7500.0, 0.0) < 1e-12);
    // an override through the registry reaches the model, with unit conversion
    let mut reg = Registry::builtin();
    reg.set("biology.nfkb.tnf_half", "1 ng/mL").unwrap();
    assert!(
        rel(
            BiologyParams::from_registry(&reg).unwrap().tnf_half,
            1000.0,
            0.0
        ) < 1e-12
    );
}

// ---------------------------------------------------------------------------------------------
// accuracy of the integrator on the biology

#[test]
fn macrophage_block_matches_the_linear_exchange_solution_with_order_two() {
    // Cues clamped: H2O2 = IL-1b = TNF = IL-13 = 0 and IL-10 = K_il10 (H = 1/2), no injury, so
    // S1 = 0 and S2 = 1/2 exactly: the M0/M1/M2 block is a linear chain with constant rates.
    let q = p();
    let mut inp = healthy();
    inp.macrophage_influx = 40.0 / DAY;
    let sys = BiologySystem::new(&q, inp)
        .hold(ROS)
        .hold(IL1B)
        .hold(TNF)
        .hold(IL10)
        .hold(IL13);
    let mut y0 = BiologyState::healthy();
    y0.0[IL10] = q.il10_half;
    (y0.0[M0], y0.0[M1], y0.0[M2]) = (50.0, 300.0, 10.0);
    let s2 = 0.5;
    let mp = q.macrophages;
    let d = mp.death;
    let k02 = mp.m0_to_m2_basal + (mp.m0_to_m2_max - mp.m0_to_m2_basal) * s2;
    let k12 = mp.m1_to_m2 * s2;
    let chain = Chain {
        j: inp.macrophage_influx,
        a: k02 + d,
        b: k12 + d,
        c: d,
        k01: 0.0,
        k02,
        k12,
    };
    let t = 20.0 * DAY;
    let exact = chain.exact([50.0, 300.0, 10.0], t);
    let y = run(&sys, y0, 20.0, &tight());
    for (k, i) in [M0, M1, M2].into_iter().enumerate() {
        // relative to the initial M1 density (the components span three decades)
        assert!(
            rel(y.0[i], exact[k], 300.0) < 1e-6,
            "{i}: {} vs {}",
            y.0[i],
            exact[k]
        );
    }
    // measured order with fixed steps of 2, 1, 0.5, 0.25 d, on the macrophage block alone (the
    // other entries held: large fixed steps are not meant for the nonlinear rest)
    let mut sys = sys;
    for i in 0..N_STATE {
        sys.held[i] = ![M0, M1, M2].contains(&i);
    }
    let mut ws = Workspace::default();
    let errs: Vec<f64> = [10usize, 20, 40, 80]
        .iter()
        .map(|&n| {
            let mut y = y0;
            let o = Options {
                fixed_step: Some(t / n as f64),
                ..tight()
            };
            integrate(&sys, 0.0, t, &mut y.0, &o, &mut ws).unwrap();
            (0..3)
                .map(|k| (y.0[M0 + k] - exact[k]).abs())
                .fold(0.0, f64::max)
        })
        .collect();
    for w in errs.windows(2) {
        let order = (w[0] / w[1]).log2();
        assert!((1.85..2.15).contains(&order), "errors {errs:?}");
    }
}

#[test]
fn protease_decay_and_matrix_loss_match_closed_forms() {
    // No cells (all dead): MMP and ADAMTS decay first-order, and proteoglycan follows
    // PG(t) = exp(-k [t + eA (1 - e^(-kA t))/kA + eM (1 - e^(-kM t))/kM]).
    let q = p();
    let sys = BiologySystem::new(&q, healthy());
    let mut y0 = BiologyState::healthy();
    (y0.0[VIABLE], y0.0[DEAD], y0.0[MMP], y0.0[ADAMTS]) = (0.0, 1.0, 1.0, 1.0);
    let days = 30.0;
    let t = days * DAY;
    let y = run(&sys, y0, days, &tight());
    let (km, ka) = (q.mmp_decay, q.adamts_decay);
    assert!(rel(y.0[MMP], (-km * t).exp(), 0.0) < 1e-5, "{}", y.0[MMP]);
    assert!(
        rel(y.0[ADAMTS], (-ka * t).exp(), 1e-3) < 1e-6,
        "{}",
        y.0[ADAMTS]
    );
    let expo = q.aggrecan_turnover
        * (t + q.adamts_aggrecan_gain * (1.0 - (-ka * t).exp()) / ka
            + q.mmp_aggrecan_gain * (1.0 - (-km * t).exp()) / km);
    assert!(
        rel(y.0[PROTEOGLYCAN], (-expo).exp(), 0.0) < 1e-5,
        "{}",
        y.0[PROTEOGLYCAN]
    );
    assert!(y.0[PROTEOGLYCAN] < 0.95);
}

/// Classical RK4 with fixed steps, for reference solutions.
fn rk4(sys: &BiologySystem, y: &mut [f64; N_STATE], t_end: f64, h: f64) -> usize {
    let n = (t_end / h).round() as usize;
    let mut k = [[0.0; N_STATE]; 4];
    let mut tmp = [0.0; N_STATE];
    for _ in 0..n {
        sys.rhs(0.0, y, &mut k[0]);
        for i in 0..N_STATE {
            tmp[i] = y[i] + 0.5 * h * k[0][i];
        }
        sys.rhs(0.0, &tmp, &mut k[1]);
        for i in 0..N_STATE {
            tmp[i] = y[i] + 0.5 * h * k[1][i];
        }
        sys.rhs(0.0, &tmp, &mut k[2]);
        for i in 0..N_STATE {
            tmp[i] = y[i] + h * k[2][i];
        }
        sys.rhs(0.0, &tmp, &mut k[3]);
        for i in 0..N_STATE {
            y[i] += h / 6.0 * (k[0][i] + 2.0 * k[1][i] + 2.0 * k[2][i] + k[3][i]);
        }
    }
    n
}

/// An injured, inflamed, acidic voxel exercising every term.
pub(super) fn inflamed() -> Inputs {
    Inputs {
        po2: 1.0,
        glucose: 1.0,
        ph: 6.9,
        cell_density: 3600.0,
        nutrient_death_rate: 1e-7,
        nanozyme_rate: 0.01,
        anti_inflammatory: 2.0,
        trka_antagonist: 1.0,
        anti_mir199a: 1.0,
        exosome: 1e4,
        injury: 0.2,
        macrophage_influx: 30.0 / DAY,
        mechanical_stress: 0.0,
    }
}

#[test]
fn single_voxel_matches_a_tiny_step_explicit_reference() {
    let q = p();
    let inp = inflamed();
    let sys = BiologySystem::new(&q, inp);
    let mut reference = q.initial_state(&inp).0;
    let mut y = q.initial_state(&inp);
    let mut ws = Workspace::default();
    let mut implicit_steps = 0;
    let mut explicit_steps = 0;
    let mut t_prev = 0.0;
    for days in [1.0, 2.0, 5.0] {
        let span = (days - t_prev) * DAY;
        t_prev = days;
        explicit_steps += rk4(&sys, &mut reference, span, 4.0);
        implicit_steps += advance_system(&sys, &mut y, span, &tight(), &mut ws)
            .unwrap()
            .steps;
        for i in 0..N_STATE {
            let e = rel(y.0[i], reference[i], 1e-3 * SPECIES[i].typical);
            assert!(
                e < 1e-6,
                "day {days}, {}: {} vs {} (rel {e:e})",
                SPECIES[i].name,
                y.0[i],
                reference[i]
            );
        }
    }
    // the point of an implicit method: stiffness (H2O2 clears in ~30 s) does not limit the step
    assert!(
        implicit_steps * 50 < explicit_steps,
        "{implicit_steps} vs {explicit_steps}"
    );
    assert!(
        y.0[M1] > 1.0 && y.0[NFKB] > 0.01,
        "the run exercised inflammation: {:?}",
        y.0
    );
}

#[test]
fn cell_fractions_are_conserved_and_every_entry_stays_non_negative() {
    let q = p();
    let inp = Inputs {
        po2: 0.3,
        glucose: 0.2,
        ph: 6.5,
        cell_density: 3600.0,
        nutrient_death_rate: 2e-7,
        injury: 1.0,
        macrophage_influx: 200.0 / DAY,
        exosome: 1e5,
        ..Inputs::healthy(0.3, 0.2, 6.5, 3600.0)
    };
    let sys = BiologySystem::new(&q, inp);
    let mut y = q.initial_state(&inp);
    let mut ws = Workspace::default();
    for _ in 0..60 {
        advance_system(&sys, &mut y, DAY, &default_options(), &mut ws).unwrap();
        assert!((y.cell_total() - 1.0).abs() < 1e-10, "{}", y.cell_total());
        for i in 0..N_STATE {
            assert!(
                y.0[i] >= -1e-9 * SPECIES[i].typical,
                "{} = {}",
                SPECIES[i].name,
                y.0[i]
            );
        }
        for i in [
            VIABLE,
            SENESCENT,
            DEAD,
            NFKB,
            P21,
            INNERVATION,
            CALCIFICATION,
        ] {
            assert!(y.0[i] <= 1.0 + 1e-9, "{} = {}", SPECIES[i].name, y.0[i]);
        }
    }
    // the harsh conditions did act: cells died and senesced (senescent cells are cleared into the
    // lost fraction at biology.senescence.clearance_young, so S stays small)
    assert!(y.0[DEAD] > 0.2 && y.0[SENESCENT] > 1e-3, "{:?}", y.0);
}

// ---------------------------------------------------------------------------------------------
// behaviour (biology.md sections in brackets)

#[test]
fn healthy_tissue_without_injury_or_stress_stays_healthy() {
    // [§1.4, §2.2] no injury, no stress: matrix stays at 1, no macrophages, no nerves or mineral
    let q = p();
    let inp = healthy();
    let y = run(
        &BiologySystem::new(&q, inp),
        q.initial_state(&inp),
        56.0,
        &default_options(),
    );
    assert!(
        (y.0[PROTEOGLYCAN] - 1.0).abs() < 0.01,
        "PG {}",
        y.0[PROTEOGLYCAN]
    );
    assert!(
        (y.0[COLLAGEN2] - 1.0).abs() < 0.01,
        "Col2 {}",
        y.0[COLLAGEN2]
    );
    assert!(
        (y.0[COLLAGEN1] - 1.0).abs() < 0.01,
        "Col1 {}",
        y.0[COLLAGEN1]
    );
    assert!(y.0[M0] == 0.0 && y.0[M1] == 0.0 && y.0[M2] == 0.0);
    assert!(y.0[VIABLE] > 0.98, "viable {}", y.0[VIABLE]);
    assert!(y.0[NFKB] < 0.05 && y.0[MMP] < 1e-2, "{:?}", y.0);
    assert!(
        y.0[INNERVATION] < 1e-3 && y.0[CALCIFICATION] < 1e-3,
        "{:?}",
        y.0
    );
    // H2O2 sits at the production/clearance balance of healthy cells
    let sg = signals(&q, &inp, &y.0);
    let stress = q.ros_basal_fraction + (1.0 - q.ros_basal_fraction) * sg.cell_stress;
    let cells = y.0[VIABLE] + q.ros_senescent_factor * y.0[SENESCENT];
    let expect = q.ros_cell_production * inp.cell_density * cells * stress / q.ros_loss_rate;
    assert!(
        rel(y.0[ROS], expect, 0.0) < 1e-4,
        "{} vs {expect}",
        y.0[ROS]
    );
    assert!(y.0[ROS] < 0.1, "healthy H2O2 {} uM", y.0[ROS]);
}

#[test]
fn senescent_cells_reach_the_clearance_balance_and_healthy_matrix_lasts_years() {
    // [Karin 2019] senescent cells turn over (half-life days): in healthy NP the senescent
    // fraction levels off at k_sen V / k_clear instead of accumulating, and the SASP it
    // sustains leaves the matrix intact for 2 years.
    let q = p();
    let inp = healthy();
    let y = run(
        &BiologySystem::new(&q, inp),
        q.initial_state(&inp),
        730.0,
        &default_options(),
    );
    let k_sen = q.senescence_max_rate * y.0[P21];
    let balance = k_sen * y.0[VIABLE] / (q.senescence_clearance + inp.nutrient_death_rate);
    assert!(
        rel(y.0[SENESCENT], balance, 0.0) < 0.02,
        "S {} vs {balance}",
        y.0[SENESCENT]
    );
    assert!(y.0[PROTEOGLYCAN] > 0.97, "PG {}", y.0[PROTEOGLYCAN]);
    // without clearance the same tissue accumulates senescent cells and loses matrix
    let mut slow = q.clone();
    slow.senescence_clearance = 0.0;
    let z = run(
        &BiologySystem::new(&slow, inp),
        slow.initial_state(&inp),
        730.0,
        &default_options(),
    );
    assert!(
        z.0[SENESCENT] > 5.0 * y.0[SENESCENT],
        "{} vs {}",
        z.0[SENESCENT],
        y.0[SENESCENT]
    );
    assert!(
        z.0[PROTEOGLYCAN] < y.0[PROTEOGLYCAN] - 0.02,
        "S {} vs {}; PG {} vs {}",
        z.0[SENESCENT],
        y.0[SENESCENT],
        z.0[PROTEOGLYCAN],
        y.0[PROTEOGLYCAN]
    );
}

#[test]
fn sustained_il1b_or_ros_activates_nfkb_raises_mmp_and_degrades_proteoglycan() {
    // [§3] IL-1b 5 ng/mL (or H2O2 2 uM) held for 28 d
    let q = p();
    let inp = healthy();
    let y0 = q.initial_state(&inp);
    let control = run(&BiologySystem::new(&q, inp), y0, 28.0, &default_options());
    let mut yi = y0;
    yi.0[IL1B] = 5000.0;
    let il1 = run(
        &BiologySystem::new(&q, inp).hold(IL1B),
        yi,
        28.0,
        &default_options(),
    );
    let mut yr = y0;
    yr.0[ROS] = 2.0;
    let ros = run(
        &BiologySystem::new(&q, inp).hold(ROS),
        yr,
        28.0,
        &default_options(),
    );
    for (name, y) in [("IL-1b", &il1), ("H2O2", &ros)] {
        assert!(y.0[NFKB] > 0.6, "{name}: NF-kB {}", y.0[NFKB]);
        // (2 uM H2O2 is also the apoptosis half-activation: by 28 d most cells are dead or
        // senescent-and-cleared, so the protease output per initial cell is lower than IL-1b's)
        assert!(y.0[MMP] > 0.25 && y.0[ADAMTS] > 0.25, "{name}: {:?}", y.0);
        assert!(
            y.0[MMP] > 100.0 * control.0[MMP],
            "{name}: MMP {}",
            y.0[MMP]
        );
        // at most full-activation loss exp(-k (1 + eA + eM) t), at least 15 % below control
        let floor = (-q.aggrecan_turnover
            * (1.0 + q.adamts_aggrecan_gain + q.mmp_aggrecan_gain)
            * 28.0
            * DAY)
            .exp();
        assert!(
            y.0[PROTEOGLYCAN] < control.0[PROTEOGLYCAN] - 0.15 && y.0[PROTEOGLYCAN] > floor,
            "{name}: PG {} (control {}, floor {floor})",
            y.0[PROTEOGLYCAN],
            control.0[PROTEOGLYCAN]
        );
        assert!(y.0[COLLAGEN2] < control.0[COLLAGEN2], "{name}");
        assert!(y.0[COLLAGEN1] > control.0[COLLAGEN1], "{name}: fibrosis");
    }
    // oxidative stress also drives p21 and senescence
    assert!(
        ros.0[SENESCENT] > 5.0 * control.0[SENESCENT].max(1e-4),
        "{:?}",
        ros.0
    );
}

#[test]
fn nanozyme_scavenging_lowers_ros_and_protects_proteoglycan() {
    // [§3 ROS module, Li Z 2023] acidic, glucose-poor NP: stress -> H2O2 -> NF-kB -> catabolism
    let q = p();
    let base = Inputs::healthy(1.0, 0.5, 6.6, 3600.0);
    let scav = Inputs {
        nanozyme_rate: 0.3,
        ..base
    };
    let a = run(
        &BiologySystem::new(&q, base),
        q.initial_state(&base),
        28.0,
        &default_options(),
    );
    let b = run(
        &BiologySystem::new(&q, scav),
        q.initial_state(&scav),
        28.0,
        &default_options(),
    );
    // first-order clearance k_AO vs k_AO + k_nz lowers H2O2 about 10x (production differs a little)
    let ratio = b.0[ROS] / a.0[ROS];
    let loss = q.ros_loss_rate / (q.ros_loss_rate + 0.3);
    assert!(
        ratio < 1.3 * loss && ratio > 0.5 * loss,
        "ratio {ratio}, clearance ratio {loss}"
    );
    assert!(a.0[NFKB] > 0.2, "stress activates NF-kB: {}", a.0[NFKB]);
    let (loss_a, loss_b) = (1.0 - a.0[PROTEOGLYCAN], 1.0 - b.0[PROTEOGLYCAN]);
    assert!(
        loss_a > 0.1 && loss_b < 0.3 * loss_a,
        "PG loss {loss_a} vs {loss_b}"
    );
}

#[test]
fn il10_il13_or_exosomes_shift_macrophages_towards_m2() {
    // [§2.2, Yuan 2023] injured AF with monocyte influx, 14 d
    let q = p();
    let inp = Inputs {
        injury: 0.3,
        macrophage_influx: 50.0 / DAY,
        ..healthy()
    };
    let y0 = q.initial_state(&inp);
    let opts = default_options();
    let control = run(&BiologySystem::new(&q, inp), y0, 14.0, &opts);
    let mut y10 = y0;
    y10.0[IL10] = 10_000.0;
    let il10 = run(&BiologySystem::new(&q, inp).hold(IL10), y10, 14.0, &opts);
    let mut y13 = y0;
    y13.0[IL13] = 10_000.0;
    let il13 = run(&BiologySystem::new(&q, inp).hold(IL13), y13, 14.0, &opts);
    let exo_in = Inputs {
        exosome: 2e5,
        ..inp
    };
    let exo = run(&BiologySystem::new(&q, exo_in), y0, 14.0, &opts);
    let share = |y: &BiologyState| y.m2_share().unwrap();
    assert!(
        share(&control) < 0.5,
        "control is M1-dominated: {}",
        share(&control)
    );
    for (name, y) in [("IL-10", &il10), ("IL-13", &il13), ("exosome", &exo)] {
        assert!(
            share(y) > share(&control) + 0.25,
            "{name}: {} vs {}",
            share(y),
            share(&control)
        );
        assert!(
            y.m1_m2_ratio().unwrap() < 0.3 * control.m1_m2_ratio().unwrap(),
            "{name}: M1/M2 {:?} vs {:?}",
            y.m1_m2_ratio(),
            control.m1_m2_ratio()
        );
    }
    // IL-10 also damps NF-kB in disc cells
    assert!(il10.0[NFKB] < control.0[NFKB]);
}

#[test]
fn trka_antagonist_reduces_nerve_ingrowth_at_equal_ngf() {
    // [§4] NGF held at 7.5 ng/mL, open path (injury 1): I(t) = A/(A+r) (1 - e^-(A+r)t)
    let q = p();
    let base = Inputs {
        injury: 1.0,
        ..healthy()
    };
    let days = 28.0;
    let t = days * DAY;
    let mut out = vec![];
    for trka in [0.0, 100.0] {
        let inp = Inputs {
            trka_antagonist: trka,
            ..base
        };
        let mut y0 = q.initial_state(&inp);
        y0.0[NGF] = 7500.0;
        let y = run(&BiologySystem::new(&q, inp).hold(NGF), y0, days, &tight());
        let block = trka / (trka + q.trka_ic50);
        let a = q.ingrowth_rate * hill(7500.0 * (1.0 - block), q.ngf_half, 1.0);
        let r = q.retraction_rate;
        let exact = a / (a + r) * (1.0 - (-(a + r) * t).exp());
        assert!(
            rel(y.0[INNERVATION], exact, 0.0) < 1e-6,
            "{} vs {exact}",
            y.0[INNERVATION]
        );
        out.push(y.0[INNERVATION]);
    }
    assert!(out[1] < 0.25 * out[0], "{out:?}");
    assert!(out[0] > 0.3, "{out:?}");
}

#[test]
fn hypoxia_raises_hif1a_and_anti_mir199a_restores_it_in_normoxia() {
    // [§6] steady states: miR* = k target / (k + k_am H(am)), HIF* = syn(Nx) / (1 + miR*/K)
    let q = p();
    let expect = |inp: &Inputs| {
        let nx = hill(inp.po2, q.hif_o2_half, q.hill);
        let target = q.mir_hypoxic_fraction + (1.0 - q.mir_hypoxic_fraction) * nx;
        let am = q.antimir_rate * hill(inp.anti_mir199a, q.antimir_half, 1.0);
        let mir = q.mir_rate * target / (q.mir_rate + am);
        (mir, q.hif_synthesis(nx) / (1.0 + mir / q.hif_mir_half))
    };
    let mut hif = vec![];
    for (po2, am) in [(0.5, 0.0), (8.0, 0.0), (8.0, 100.0)] {
        let inp = Inputs {
            anti_mir199a: am,
            ..Inputs::healthy(po2, 3.0, 7.1, 3600.0)
        };
        // start away from the steady state and let it relax (miR half-life 2 d)
        let mut y0 = BiologyState::healthy();
        y0.0[MIR199A] = 0.5;
        let y = run(&BiologySystem::new(&q, inp), y0, 40.0, &tight());
        let (mir, h) = expect(&inp);
        assert!(
            rel(y.0[MIR199A], mir, 0.0) < 1e-4,
            "{} vs {mir}",
            y.0[MIR199A]
        );
        assert!(rel(y.0[HIF1A], h, 0.0) < 1e-4, "{} vs {h}", y.0[HIF1A]);
        hif.push(y.0[HIF1A]);
    }
    assert!(hif[0] > 3.0 * hif[1], "{hif:?}");
    assert!(hif[2] > 1.8 * hif[1], "{hif:?}");
}

#[test]
fn calcification_needs_normoxia_and_matrix_loss_and_anti_mir199a_reduces_it() {
    // [§6] PG held at 0.5; HIF and miR start at their steady state, so
    // Ca(t) = 1 - exp(-k H(1 - HIF) (1 - PG) t)
    let q = p();
    let days = 84.0;
    let mut out = vec![];
    for (po2, am, pg) in [
        (8.0, 0.0, 0.5),
        (8.0, 100.0, 0.5),
        (0.5, 0.0, 0.5),
        (8.0, 0.0, 1.0),
    ] {
        let inp = Inputs {
            anti_mir199a: am,
            ..Inputs::healthy(po2, 3.0, 7.1, 3600.0)
        };
        let mut y0 = q.initial_state(&inp);
        y0.0[PROTEOGLYCAN] = pg;
        let sys = BiologySystem::new(&q, inp).hold(PROTEOGLYCAN);
        let y = run(&sys, y0, days, &tight());
        let drive = hill(
            1.0 - y0.0[HIF1A],
            q.calcification_hif_half,
            q.calcification_hill,
        );
        let exact = 1.0 - (-q.calcification_rate * drive * (1.0 - pg) * days * DAY).exp();
        assert!(
            rel(y.0[CALCIFICATION], exact, 1e-6) < 1e-5,
            "{} vs {exact}",
            y.0[CALCIFICATION]
        );
        out.push(y.0[CALCIFICATION]);
    }
    assert!(
        out[0] > 0.2,
        "normoxic degenerate matrix calcifies: {out:?}"
    );
    assert!(out[1] < 0.8 * out[0], "anti-miR-199a reduces it: {out:?}");
    assert!(out[2] < 0.2 * out[0], "hypoxia protects: {out:?}");
    assert!(out[3] < 1e-9, "healthy matrix does not calcify: {out:?}");
}

// ---------------------------------------------------------------------------------------------
// coupling to transport

#[test]
fn solute_process_adds_the_solute_rates_at_the_mapped_indices() {
    let q = p();
    let inp = inflamed();
    let mut local = q.initial_state(&inp);
    (local.0[M1], local.0[M2], local.0[NFKB]) = (200.0, 50.0, 0.5);
    let map = SoluteMap::after(3);
    let proc_ = BiologySolutes {
        params: &q,
        map,
        local,
        inputs: inp,
    };
    let c = [5.0, 3.0, 2.0, 0.3, 120.0, 80.0, 40.0, 20.0, 900.0];
    let ctx = VoxelCtx {
        label: NP,
        cell_density: 0.0,
        water_fraction: 0.8,
        perfusion: 1.0,
    };
    let mut r = [0.0; 9];
    proc_.rates(&ctx, &c, &mut r);
    let mut y = local.0;
    for (k, &si) in SOLUTES.iter().enumerate() {
        y[si] = c[3 + k];
    }
    let mut dy = [0.0; N_STATE];
    rhs(&q, &inp, &y, &mut dy);
    assert_eq!(&r[..3], &[0.0; 3]);
    for (k, &si) in SOLUTES.iter().enumerate() {
        assert_eq!(r[3 + k], dy[si], "{}", SPECIES[si].name);
    }
    // the M1 cells make TNF and H2O2, the solutes decay
    assert!(dy[TNF] != 0.0 && dy[ROS] != 0.0);
}

#[test]
fn solute_process_in_react_implicit_equals_backward_euler_with_frozen_local_state() {
    let q = p();
    let inp = inflamed();
    let mut local = q.initial_state(&inp);
    (local.0[M1], local.0[M2]) = (200.0, 50.0);
    let grid = Grid::new(GridKind::Cartesian3d, [1, 1, 1], [1.0; 3], [0.0; 3], NP);
    let ctx = [VoxelCtx {
        label: NP,
        cell_density: 3600.0,
        water_fraction: 0.8,
        perfusion: 1.0,
    }];
    let proc_ = BiologySolutes {
        params: &q,
        map: SoluteMap::FIRST,
        local,
        inputs: inp,
    };
    let mut fields: Vec<Vec<f64>> = SOLUTES.iter().map(|&i| vec![local.0[i]]).collect();
    let dt = 600.0;
    react_implicit(&grid, &[&proc_ as &dyn Process], &ctx, &mut fields, dt).unwrap();
    // same step with the biology system, local entries held, one backward-Euler step
    let mut sys = BiologySystem::new(&q, inp);
    for i in 0..N_LOCAL {
        sys.held[i] = true;
    }
    let mut y = local;
    let o = Options {
        method: Method::BackwardEuler,
        fixed_step: Some(dt),
        ..tight()
    };
    integrate(&sys, 0.0, dt, &mut y.0, &o, &mut Workspace::default()).unwrap();
    for (k, &si) in SOLUTES.iter().enumerate() {
        assert!(
            rel(fields[k][0], y.0[si], 1e-6 * SPECIES[si].typical) < 1e-8,
            "{}: {} vs {}",
            SPECIES[si].name,
            fields[k][0],
            y.0[si]
        );
        assert!(fields[k][0] != local.0[si], "{} moved", SPECIES[si].name);
    }
}

#[test]
fn batched_stage_equals_independent_voxels_and_skips_void() {
    let q = p();
    let mut grid = Grid::new(GridKind::Cartesian3d, [3, 1, 1], [1.0; 3], [0.0; 3], NP);
    grid.labels[1] = VOID;
    let inputs = [healthy(), healthy(), inflamed()];
    let mut states: Vec<BiologyState> = inputs.iter().map(|i| q.initial_state(i)).collect();
    let start = states.clone();
    let map = SoluteMap::after(2);
    // two non-biology solutes first, then the six biology solutes
    let mut fields: Vec<Vec<f64>> = vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]];
    for &si in &SOLUTES {
        fields.push(states.iter().map(|s| s.0[si]).collect());
    }
    fields[2 + 1][1] = 77.0; // a value in the void voxel that must survive
    let dt = 2.0 * DAY;
    let opts = default_options();
    let stats = react_biology(
        &q,
        &grid,
        &map,
        &mut fields,
        &mut states,
        &inputs,
        dt,
        &opts,
    )
    .unwrap();
    assert_eq!(stats.voxels, 2);
    assert!(stats.max_steps > 0 && stats.total.steps >= stats.max_steps);
    for c in [0usize, 2] {
        let mut y = start[c];
        advance(&q, &mut y, &inputs[c], dt, &opts, &mut Workspace::default()).unwrap();
        assert_eq!(states[c], y, "voxel {c}");
        for (k, &si) in SOLUTES.iter().enumerate() {
            assert_eq!(fields[2 + k][c], y.0[si]);
        }
    }
    assert_eq!(states[1], start[1]);
    assert_eq!(fields[3][1], 77.0);
    assert_eq!(fields[0], vec![1.0, 2.0, 3.0]);
    assert_eq!(fields[1], vec![4.0, 5.0, 6.0]);
}

#[test]
fn bad_inputs_and_maps_are_named_errors() {
    let q = p();
    let mut ws = Workspace::default();
    let mut y = BiologyState::healthy();
    let opts = default_options();
    let bad = Inputs {
        glucose: -1.0,
        ..healthy()
    };
    let e = advance(&q, &mut y, &bad, DAY, &opts, &mut ws)
        .unwrap_err()
        .to_string();
    assert!(e.contains("glucose") && e.contains("-1"), "{e}");
    let bad = Inputs {
        injury: 1.5,
        ..healthy()
    };
    let e = advance(&q, &mut y, &bad, DAY, &opts, &mut ws)
        .unwrap_err()
        .to_string();
    assert!(e.contains("injury") && e.contains("1.5"), "{e}");
    let dup = SoluteMap {
        ngf: 0,
        ..SoluteMap::FIRST
    };
    let e = dup.validate(6).unwrap_err().to_string();
    assert!(e.contains("ngf") && e.contains("index 0"), "{e}");
    let e = SoluteMap::after(1).validate(6).unwrap_err().to_string();
    assert!(e.contains("ngf") && e.contains("6 solutes"), "{e}");
    let grid = Grid::new(GridKind::Cartesian3d, [2, 1, 1], [1.0; 3], [0.0; 3], NP);
    let mut fields = vec![vec![0.0; 2]; 6];
    let mut states = vec![BiologyState::healthy(); 1];
    let e = react_biology(
        &q,
        &grid,
        &SoluteMap::FIRST,
        &mut fields,
        &mut states,
        &[healthy(); 2],
        DAY,
        &opts,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("states 1"), "{e}");
    assert!(BiologyState::healthy().check(1e-9).is_ok());
    let mut neg = BiologyState::healthy();
    neg.0[TNF] = -5.0;
    assert!(neg.check(1e-9).unwrap_err().contains("tnf"));
}

/// Prints the headline numbers of the behaviour tests (quoted in docs/biology.md):
/// `cargo test --release -p nanospine --lib biology::tests::print_behaviour_numbers -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_behaviour_numbers() {
    let q = p();
    let opts = default_options();
    let h = healthy();
    let show = |name: &str, y: &BiologyState| {
        eprintln!(
            "{name:<28} PG {:.4} Col2 {:.4} Col1 {:.3} V {:.4} S {:.4} D {:.4} NFkB {:.3} MMP {:.3} ADAMTS {:.3} \
             H2O2 {:.3} uM IL1b {:.1} TNF {:.1} IL10 {:.1} NGF {:.1} pg/mL M0 {:.1} M1 {:.1} M2 {:.1} Inn {:.3} HIF {:.3} miR {:.3} Ca {:.4}",
            y.0[PROTEOGLYCAN], y.0[COLLAGEN2], y.0[COLLAGEN1], y.0[VIABLE], y.0[SENESCENT], y.0[DEAD],
            y.0[NFKB], y.0[MMP], y.0[ADAMTS], y.0[ROS], y.0[IL1B], y.0[TNF], y.0[IL10], y.0[NGF],
            y.0[M0], y.0[M1], y.0[M2], y.0[INNERVATION], y.0[HIF1A], y.0[MIR199A], y.0[CALCIFICATION]
        )
    };
    let mut ws = Workspace::default();
    let mut y = q.initial_state(&h);
    let s = advance_system(
        &BiologySystem::new(&q, h),
        &mut y,
        56.0 * DAY,
        &opts,
        &mut ws,
    )
    .unwrap();
    show("healthy 56 d", &y);
    eprintln!("  steps {s:?}");
    let mut yi = q.initial_state(&h);
    yi.0[IL1B] = 5000.0;
    show(
        "IL-1b 5 ng/mL 28 d",
        &run(&BiologySystem::new(&q, h).hold(IL1B), yi, 28.0, &opts),
    );
    let base = Inputs::healthy(1.0, 0.5, 6.6, 3600.0);
    show(
        "acid/low-glucose 28 d",
        &run(
            &BiologySystem::new(&q, base),
            q.initial_state(&base),
            28.0,
            &opts,
        ),
    );
    let nz = Inputs {
        nanozyme_rate: 0.3,
        ..base
    };
    show(
        "  + nanozyme 0.3/s",
        &run(
            &BiologySystem::new(&q, nz),
            q.initial_state(&nz),
            28.0,
            &opts,
        ),
    );
    let inj = Inputs {
        injury: 0.3,
        macrophage_influx: 50.0 / DAY,
        ..h
    };
    let y0 = q.initial_state(&inj);
    show(
        "injury 0.3 + influx 14 d",
        &run(&BiologySystem::new(&q, inj), y0, 14.0, &opts),
    );
    let mut y10 = y0;
    y10.0[IL10] = 10_000.0;
    show(
        "  + IL-10 10 ng/mL",
        &run(&BiologySystem::new(&q, inj).hold(IL10), y10, 14.0, &opts),
    );
    let ex = Inputs {
        exosome: 2e5,
        ..inj
    };
    show(
        "  + exosome 200 ug/mL",
        &run(&BiologySystem::new(&q, ex), y0, 14.0, &opts),
    );
    let ai = Inputs {
        anti_inflammatory: 100.0,
        ..inj
    };
    show(
        "  + anti-inflammatory 100",
        &run(&BiologySystem::new(&q, ai), y0, 14.0, &opts),
    );
    let inj1 = Inputs {
        injury: 1.0,
        macrophage_influx: 50.0 / DAY,
        ..h
    };
    show(
        "injury 1 + influx 28 d",
        &run(
            &BiologySystem::new(&q, inj1),
            q.initial_state(&inj1),
            28.0,
            &opts,
        ),
    );
    let tk = Inputs {
        trka_antagonist: 100.0,
        ..inj1
    };
    show(
        "  + TrkA antagonist 100",
        &run(
            &BiologySystem::new(&q, tk),
            q.initial_state(&tk),
            28.0,
            &opts,
        ),
    );
    for (po2, am) in [(0.5, 0.0), (8.0, 0.0), (8.0, 100.0)] {
        let i = Inputs {
            anti_mir199a: am,
            ..Inputs::healthy(po2, 3.0, 7.1, 3600.0)
        };
        show(&format!("pO2 {po2} kPa antimiR {am}"), &q.initial_state(&i));
    }
    let inp = inflamed();
    let mut r = q.initial_state(&inp).0;
    let n = rk4(&BiologySystem::new(&q, inp), &mut r, 5.0 * DAY, 4.0);
    let mut y = q.initial_state(&inp);
    let s = advance_system(
        &BiologySystem::new(&q, inp),
        &mut y,
        5.0 * DAY,
        &tight(),
        &mut ws,
    )
    .unwrap();
    let worst = (0..N_STATE)
        .map(|i| rel(y.0[i], r[i], 1e-3 * SPECIES[i].typical))
        .fold(0.0, f64::max);
    eprintln!("reference 5 d: RK4 {n} steps; TR-BDF2 (rtol 1e-9) {s:?}; worst rel diff {worst:e}");
    let mut y = q.initial_state(&inp);
    let s = advance_system(
        &BiologySystem::new(&q, inp),
        &mut y,
        5.0 * DAY,
        &opts,
        &mut ws,
    )
    .unwrap();
    let worst = (0..N_STATE)
        .map(|i| rel(y.0[i], r[i], 1e-3 * SPECIES[i].typical))
        .fold(0.0, f64::max);
    eprintln!("default options 5 d: {s:?}; worst rel diff {worst:e}");
}

/// The dying cells of the read-outs are the death terms of the ODE: with division, senescence
/// and immune clearance switched off, the cell compartments lose exactly them; stress (ROS,
/// TNF-a, overload, low glucose and acid) raises them above the healthy level.
#[test]
fn dying_cells_are_the_death_terms_of_the_ode() {
    let mut q = p();
    q.proliferation_rate = 0.0;
    q.senescence_clearance = 0.0;
    let mut y = BiologyState::healthy().0;
    y[VIABLE] = 0.6;
    y[SENESCENT] = 0.1;
    y[DEAD] = 0.3;
    y[MSC] = 0.2;
    y[P21] = 0.0;
    y[ROS] = 5.0;
    y[TNF] = 50.0;
    let mut stressed = Inputs::healthy(0.5, 0.3, 6.6, 3600.0);
    stressed.nutrient_death_rate = 0.02 / DAY;
    stressed.mechanical_stress = 0.5;
    for inp in [healthy(), stressed] {
        let mut dy = [0.0; N_STATE];
        rhs(&q, &inp, &y, &mut dy);
        let d = super::rates::dying_cells(&q, &inp, &y);
        let lost = -(dy[VIABLE] + dy[SENESCENT] + dy[MSC]);
        assert!(d > 0.0 && (d - lost).abs() <= 1e-12 * d, "{d} vs {lost}");
    }
    let calm = super::rates::dying_cells(&q, &healthy(), &BiologyState::healthy().0);
    assert!(super::rates::dying_cells(&q, &stressed, &y) > 10.0 * calm);
}
