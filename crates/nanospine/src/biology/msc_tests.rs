//! Tests of the delivered mesenchymal stromal cells (MSCs) in the disc biology (docs/biology.md,
//! "Delivered cells"): room shared with native cells, acid-blocked division (at its own rate
//! factor) and synthesis, the
//! paracrine exosome equivalent and the net H2O2 factor.

use super::integrator::{Options, Workspace};
use super::rates::{rhs, signals};
use super::state::*;
use super::*;

const DAY: f64 = 86_400.0;

fn p() -> BiologyParams {
    BiologyParams::builtin().unwrap()
}

/// Healthy NP-like inputs (pO2 kPa, glucose mM, pH, cells/mm^3).
fn inputs(ph: f64) -> Inputs {
    Inputs::healthy(2.0, 4.0, ph, 3600.0)
}

fn rates(q: &BiologyParams, inp: &Inputs, y: &[f64; N_STATE]) -> [f64; N_STATE] {
    let mut dy = [0.0; N_STATE];
    rhs(q, inp, y, &mut dy);
    dy
}

/// A voxel that lost 30 % of its native cells, with healthy matrix and MSC fraction `msc`.
fn voxel(msc: f64) -> [f64; N_STATE] {
    let mut y = BiologyState::healthy().0;
    y[VIABLE] = 0.7;
    y[DEAD] = 0.3;
    y[MSC] = msc;
    y
}

#[test]
fn the_msc_paracrine_signal_is_the_exosome_input_it_stands_for() {
    let q = p();
    // registry defaults: 1e-3 ng/(cell d) secreted, 24 h half-life -> q / k = 1e-3 / ln 2 ng/cell
    let per_cell = 1e-3 / std::f64::consts::LN_2;
    assert!((q.msc_exosome_per_cell - per_cell).abs() < 1e-12 * per_cell);
    let inp = inputs(7.1);
    let m = 0.8;
    let with_cells = signals(&q, &inp, &voxel(m));
    let equivalent = Inputs {
        exosome: per_cell * m * inp.cell_density * 1e3,
        ..inp
    };
    let with_exosomes = signals(&q, &equivalent, &voxel(0.0));
    assert!((with_cells.h_exo - with_exosomes.h_exo).abs() < 1e-12);
    assert!(with_cells.h_exo > 0.05, "{}", with_cells.h_exo);
    assert_eq!(signals(&q, &inp, &voxel(0.0)).h_exo, 0.0);
}

#[test]
fn grafted_cells_add_acid_blocked_synthesis_and_take_the_room_of_native_cells() {
    let mut q = p();
    q.msc_exosome_per_cell = 0.0; // isolate the direct actions
    for (ph, f_div) in [(7.1, 1.0), (6.7, 1.0), (6.4, 1.0), (7.1, 3.0), (6.7, 3.0)] {
        q.msc_proliferation_factor = f_div;
        let inp = inputs(ph);
        let (m, y0) = (0.2, voxel(0.0));
        let y1 = voxel(m);
        let (d0, d1) = (rates(&q, &inp, &y0), rates(&q, &inp, &y1));
        let sg = signals(&q, &inp, &y1);
        let ok = 1.0 - sg.acid;
        let hif_syn = sg.hif_ratio.powf(q.hif_synthesis_exponent);
        let inhib = 1.0 + q.nfkb_synthesis_inhibition * sg.nfkb_output;
        // synthesis cells V + f (1 - acid) MSC: the proteoglycan rate rises by k f (1 - acid) m ...
        let want = q.aggrecan_turnover * q.msc_synthesis_fraction * ok * m * hif_syn / inhib;
        let got = d1[PROTEOGLYCAN] - d0[PROTEOGLYCAN];
        assert!(
            (got - want).abs() < 1e-12 * want.abs().max(1e-30),
            "pH {ph}: {got} vs {want}"
        );
        // ... native division fills only the room the graft leaves, D - MSC ...
        let kp = q.proliferation_rate * (1.0 + q.exo_proliferation_gain * sg.h_exo);
        let want_v = -kp * 0.7 * m;
        assert!((d1[VIABLE] - d0[VIABLE] - want_v).abs() < 1e-12 * want_v.abs());
        // ... and the graft divides into it at the acid-blocked rate, dying like native cells
        // native death rate from the graft-free voxel: dV = -(k_sen + k_die) V + kp V D,
        // dS = k_sen V (no senescent cells yet)
        let k_sen = d0[SENESCENT] / 0.7;
        let k_die = (kp * 0.7 * 0.3 - d0[VIABLE]) / 0.7 - k_sen;
        // (times the graft's own division factor, biology.msc.proliferation_factor)
        let want_m = q.proliferation_rate * f_div * ok * m * (0.3 - m) - k_die * m;
        assert!(
            (d1[MSC] - want_m).abs() < 1e-9 * want_m.abs().max(1e-18),
            "pH {ph}, factor {f_div}: {} vs {want_m}",
            d1[MSC]
        );
        // V + S + D = 1 still holds: the graft is outside the native balance
        assert!((d1[VIABLE] + d1[SENESCENT] + d1[DEAD]).abs() < 1e-18);
    }
    // acidity blocks the graft's synthesis and division
    let sg_acid = signals(&q, &inputs(6.4), &voxel(0.2));
    assert!(sg_acid.acid > 0.9, "{}", sg_acid.acid);
}

#[test]
fn the_msc_ros_factor_scales_their_h2o2_release() {
    let mut q = p();
    let inp = inputs(7.1);
    let ros = |q: &BiologyParams, m: f64| rates(q, &inp, &voxel(m))[ROS];
    // default 0: a graft adds no oxidative load
    assert_eq!(q.msc_ros_factor, 0.0);
    assert!((ros(&q, 0.5) - ros(&q, 0.0)).abs() < 1e-15);
    // at 1 an MSC releases like a viable native cell: 0.5 MSC = 0.5 more viable cells
    q.msc_ros_factor = 1.0;
    let mut more_native = voxel(0.0);
    more_native[VIABLE] = 1.2;
    let want = rates(&q, &inp, &more_native)[ROS];
    assert!((ros(&q, 0.5) - want).abs() < 1e-12 * want.abs());
}

/// In a voxel emptied of native cells (V = S = 0, D = 1) without stress, the graft grows
/// logistically into the room at rate r = k_p (1 - acid): m(t) = 1 / (1 + (1/m0 - 1) e^(-r t)).
#[test]
fn a_graft_in_an_empty_voxel_grows_logistically() {
    let q = p();
    let inp = inputs(7.2);
    let mut y = BiologyState::healthy();
    y.0[VIABLE] = 0.0;
    y.0[DEAD] = 1.0;
    let m0 = 0.1;
    y.0[MSC] = m0;
    let sys = BiologySystem::new(&q, inp);
    let opts = Options {
        rtol: 1e-9,
        atol: SPECIES.iter().map(|s| 1e-13 * s.typical).collect(),
        ..default_options()
    };
    let r = q.proliferation_rate * (1.0 - signals(&q, &inp, &y.0).acid);
    let mut ws = Workspace::default();
    let mut t = 0.0;
    for days in [50.0, 150.0, 300.0] {
        advance_system(&sys, &mut y, days * DAY - t, &opts, &mut ws).unwrap();
        t = days * DAY;
        let want = 1.0 / (1.0 + (1.0 / m0 - 1.0) * (-r * t).exp());
        let got = y.0[MSC];
        assert!(
            (got - want).abs() < 1e-5 * want,
            "day {days}: {got} vs {want}"
        );
    }
    assert!(y.0[MSC] > 0.5, "{}", y.0[MSC]);
}
