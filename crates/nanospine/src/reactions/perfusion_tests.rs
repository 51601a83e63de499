//! Tests of the perfusion process: registry conversion, analytic Jacobian, and the discrete steady
//! state of the production solver against the closed-form uniform-tissue solution, including
//! ischaemia (q = 0.5).

use super::*;
use crate::grid::{Grid, GridKind, CSF, NP};
use crate::transport::implicit::{steady_state, NewtonOptions, System};
use crate::transport::operator::SoluteTransport;

const IDX: PerfusionSolutes = PerfusionSolutes {
    oxygen: 0,
    glucose: 1,
    lactate: 2,
};

fn registry_params() -> PerfusionParams {
    PerfusionParams::from_registry(&Registry::builtin()).unwrap()
}

fn ctx(label: u8, q: f64) -> VoxelCtx {
    VoxelCtx {
        label,
        cell_density: 0.0,
        water_fraction: 0.8,
        perfusion: q,
    }
}

/// Steady state of the production Newton solver on a 1-D row of `n` identical `label` cells with
/// no-flux boundaries (uniform tissue: no gradients), started at the blood values.
fn solve_uniform(p: &PerfusionParams, label: u8, q: f64, n: usize) -> Vec<Vec<f64>> {
    let h = 0.1;
    let grid = Grid::new(GridKind::Cartesian3d, [n, 1, 1], [h; 3], [0.0; 3], label);
    let solutes = [
        SoluteTransport::uniform("oxygen", "kPa", 2.0e-3),
        SoluteTransport::uniform("glucose", "mM", 3.0e-4),
        SoluteTransport::uniform("lactate", "mM", 5.0e-4),
    ];
    let proc_ = Perfusion {
        p: p.clone(),
        idx: IDX,
    };
    let procs: [&dyn Process; 1] = [&proc_];
    let cx = vec![ctx(label, q); n];
    let sys = System {
        grid: &grid,
        solutes: &solutes,
        processes: &procs,
        ctx: &cx,
    };
    let mut u = vec![
        vec![p.blood_po2; n],
        vec![p.blood_glucose; n],
        vec![p.blood_lactate; n],
    ];
    let opts = NewtonOptions {
        tolerance: 1e-12,
        max_iterations: 60,
    };
    steady_state(&sys, &mut u, opts).unwrap();
    u
}

/// Root of `f` on [lo, hi] by bisection (f(lo), f(hi) of opposite sign).
fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let flo = f(lo);
    assert!(flo * f(hi) <= 0.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if (f(mid) > 0.0) == (flo > 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn registry_values_convert_to_model_units() {
    let p = registry_params();
    let g = p.by_label[GREY as usize];
    let w = p.by_label[WHITE as usize];
    // F = 41.2 mL/100 g/min x 1.04 g/mL / 6000 = 7.141e-3 1/s; k_O2 = F x 0.308 / 0.010268
    let f_grey = 41.2 * 1.04 / 6000.0;
    assert!((g.k_oxygen - f_grey * 0.308 / 0.010268).abs() < 1e-9);
    assert!((g.k_oxygen - 0.2142).abs() < 1e-3, "{}", g.k_oxygen);
    assert!((g.k_glucose - f_grey * 0.24).abs() < 1e-12);
    assert!((w.k_oxygen / g.k_oxygen - 22.2 / 41.2).abs() < 1e-12);
    // 130 umol/100 g/min x 1.04 g/mL = 2.253e-2 mM/s
    assert!((g.o2_max - 130.0 * 1.04 / 6000.0).abs() < 1e-12);
    assert!((g.o2_max / w.o2_max - 130.0 / 43.0).abs() < 1e-12);
    // grey consumes several-fold more than white; glucose use covers oxidation (no lactate uptake)
    assert!(g.o2_max > 2.5 * w.o2_max && g.glucose_max > 2.5 * w.glucose_max);
    for lp in [g, w] {
        assert!(lp.glucose_max >= lp.o2_max / 6.0);
    }
    // the avascular disc, the CSF and void get nothing
    for l in [VOID_LABEL, NP, CSF] {
        assert_eq!(p.by_label[l as usize], LabelPerfusion::default());
    }
    assert_eq!(
        (p.blood_po2, p.blood_glucose, p.blood_lactate),
        (13.3, 6.0, 1.0)
    );
}

const VOID_LABEL: u8 = crate::grid::VOID;

#[test]
fn analytic_jacobian_matches_finite_differences() {
    struct RatesOnly<'a>(&'a Perfusion);
    impl Process for RatesOnly<'_> {
        fn name(&self) -> &str {
            "fd"
        }
        fn rates(&self, ctx: &VoxelCtx, c: &[f64], r: &mut [f64]) {
            self.0.rates(ctx, c, r)
        }
    }
    let proc_ = Perfusion {
        p: registry_params(),
        idx: IDX,
    };
    for (label, q, c) in [
        (GREY, 1.0, [3.0, 3.5, 1.4]),
        (WHITE, 0.4, [0.2, 0.04, 2.0]),
        (GREY, 0.0, [0.1, 0.3, 4.0]),
    ] {
        let (mut ja, mut jf) = ([0.0; 9], [0.0; 9]);
        proc_.jacobian(&ctx(label, q), &c, &mut ja);
        RatesOnly(&proc_).jacobian(&ctx(label, q), &c, &mut jf);
        for k in 0..9 {
            assert!(
                (ja[k] - jf[k]).abs() <= 1e-6 * jf[k].abs().max(1e-3),
                "{label} {k}: {} vs {}",
                ja[k],
                jf[k]
            );
        }
    }
}

#[test]
fn zero_order_steady_state_is_blood_minus_consumption_over_k() {
    // K_O2 = K_G = 0: consumption is zero-order, so C* = C_b - J / k exactly
    let mut p = registry_params();
    p.o2_half_saturation = 0.0;
    p.glucose_half_saturation = 0.0;
    for label in [GREY, WHITE] {
        let lp = p.by_label[label as usize];
        let u = solve_uniform(&p, label, 1.0, 8);
        let po2 = p.blood_po2 - lp.o2_max / (p.o2_solubility * lp.k_oxygen);
        let glc = p.blood_glucose - lp.glucose_max / lp.k_glucose;
        let lac = p.blood_lactate + 2.0 * (lp.glucose_max - lp.o2_max / 6.0) / lp.k_lactate;
        for c in 0..8 {
            assert!((u[0][c] - po2).abs() < 1e-9 * po2, "{} vs {po2}", u[0][c]);
            assert!((u[1][c] - glc).abs() < 1e-9 * glc, "{} vs {glc}", u[1][c]);
            assert!((u[2][c] - lac).abs() < 1e-9 * lac, "{} vs {lac}", u[2][c]);
        }
        assert_eq!(
            p.uniform_steady_state(label, 1.0)
                .map(|s| s.map(|v| (v * 1e9).round())),
            Some([po2, glc, lac].map(|v| (v * 1e9).round()))
        );
    }
    // the registry grey matter sits at about 3.6 kPa, white about 7.2 kPa (module docs)
    let grey = registry_params().uniform_steady_state(GREY, 1.0).unwrap();
    let white = registry_params().uniform_steady_state(WHITE, 1.0).unwrap();
    assert!((3.0..4.0).contains(&grey[0]), "{grey:?}");
    assert!((6.5..8.0).contains(&white[0]), "{white:?}");
    assert!(grey[1] > 2.0 && grey[1] < 6.0 && grey[2] > 1.0, "{grey:?}");
}

#[test]
fn ischaemia_lowers_grey_po2_by_the_analytic_amount() {
    // zero-order O2 use at 0.3 x the registry rate keeps pO2 positive at half flow; the drop from
    // q = 1 to q = 0.5 is then exactly J / (alpha k) (one more J/(alpha k q) - J/(alpha k))
    let mut p = registry_params();
    p.o2_half_saturation = 0.0;
    p.glucose_half_saturation = 0.0;
    p.by_label[GREY as usize].o2_max *= 0.3;
    let lp = p.by_label[GREY as usize];
    let normal = solve_uniform(&p, GREY, 1.0, 4)[0][0];
    let half = solve_uniform(&p, GREY, 0.5, 4)[0][0];
    let drop = lp.o2_max / (p.o2_solubility * lp.k_oxygen);
    assert!(
        ((normal - half) - drop).abs() < 1e-9 * drop,
        "{normal} -> {half}, expected drop {drop}"
    );

    // saturating (registry) kinetics: solver vs a bisection root of the scalar balance
    let p = registry_params();
    let lp = p.by_label[GREY as usize];
    let po2_at = |q: f64| {
        let g = bisect(
            |g| {
                lp.k_glucose * q * (p.blood_glucose - g)
                    - lp.glucose_max * g / (p.glucose_half_saturation + g)
            },
            0.0,
            p.blood_glucose,
        );
        let sg = g / (p.glucose_half_saturation + g);
        bisect(
            |x| {
                lp.k_oxygen * q * (p.blood_po2 - x)
                    - lp.o2_max * sg * x / (p.o2_half_saturation + x) / p.o2_solubility
            },
            0.0,
            p.blood_po2,
        )
    };
    let (exact1, exact_half) = (po2_at(1.0), po2_at(0.5));
    let got1 = solve_uniform(&p, GREY, 1.0, 4)[0][2];
    let got_half = solve_uniform(&p, GREY, 0.5, 4)[0][2];
    assert!((got1 - exact1).abs() < 1e-8 * exact1, "{got1} vs {exact1}");
    assert!(
        (got_half - exact_half).abs() < 1e-8 * exact1,
        "{got_half} vs {exact_half}"
    );
    assert!(
        ((got1 - got_half) - (exact1 - exact_half)).abs() < 1e-8 * exact1,
        "drop {} vs {}",
        got1 - got_half,
        exact1 - exact_half
    );
    // half flow leaves grey matter severely hypoxic with the linear O2 chord (module docs)
    assert!(exact_half < 0.1 * exact1, "{exact_half} vs {exact1}");
    let closed = p.uniform_steady_state(GREY, 0.5).unwrap();
    assert!(
        (closed[0] - exact_half).abs() < 1e-9,
        "{closed:?} vs {exact_half}"
    );
    assert_eq!(p.uniform_steady_state(GREY, 0.0), None);
}

#[test]
fn cord_grid_steady_state_grey_below_white() {
    // the perfusion process on the rat cord grid with diffusion: the grey core ends up less
    // oxygenated than the white annulus, the CSF (no supply, no use, no-flux dura) in between
    use crate::anatomy::cord::{build_cord_grid, CordGeometry};
    let reg = Registry::builtin();
    let mut geo = CordGeometry::from_registry(&reg, "rat_thoracic").unwrap();
    geo.segment_length = 1.0;
    let (grid, _) = build_cord_grid(&geo, GridKind::Axisymmetric, 0.1).unwrap();
    let p = registry_params();
    let proc_ = Perfusion {
        p: p.clone(),
        idx: IDX,
    };
    let procs: [&dyn Process; 1] = [&proc_];
    let solutes = [
        SoluteTransport::uniform("oxygen", "kPa", 1.5e-3),
        SoluteTransport::uniform("glucose", "mM", 2.0e-4),
        SoluteTransport::uniform("lactate", "mM", 3.0e-4),
    ];
    let cx: Vec<VoxelCtx> = grid.labels.iter().map(|&l| ctx(l, 1.0)).collect();
    let sys = System {
        grid: &grid,
        solutes: &solutes,
        processes: &procs,
        ctx: &cx,
    };
    let n = grid.len();
    let mut u = vec![
        vec![p.blood_po2; n],
        vec![p.blood_glucose; n],
        vec![p.blood_lactate; n],
    ];
    steady_state(&sys, &mut u, NewtonOptions::default()).unwrap();
    let axis = u[0][grid.idx(0, 0, 5)];
    let outer_white = (0..grid.n[0])
        .filter(|&i| grid.labels[grid.idx(i, 0, 5)] == WHITE)
        .map(|i| u[0][grid.idx(i, 0, 5)])
        .fold(f64::NEG_INFINITY, f64::max);
    let grey = p.uniform_steady_state(GREY, 1.0).unwrap()[0];
    let white = p.uniform_steady_state(WHITE, 1.0).unwrap()[0];
    assert!(axis > 0.0 && axis < outer_white, "{axis} {outer_white}");
    // diffusion pulls each tissue towards the other: between the two uniform values
    assert!(axis > grey && outer_white < white, "{axis} {outer_white}");
}
