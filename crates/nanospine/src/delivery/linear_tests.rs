//! Tests of the TR-BDF2 step of [`LinearSpecies`] on a 1-D grey-matter column (the cord
//! transport coefficients, partition 1): the amplification of cosine modes against the method's
//! stability function, second order in time, L-stability and the absence of the
//! Crank-Nicolson oscillation at a very stiff step, and the exact amount balance with source,
//! loss and boundary clearance. (The axisymmetric cord-grid mode and the five cytokine operators
//! are tested in `sci/transport_tests.rs`.)

use super::*;
use crate::grid::{GridKind, GREY};
use crate::params::Registry;
use crate::sci::transport::{agent_operator, AxialEnds, CordTransportParams};
use std::f64::consts::{PI, SQRT_2};

/// Free diffusivity of the test solute (mm^2/s).
const FREE: f64 = 1e-3;

fn params() -> CordTransportParams {
    CordTransportParams::from_registry(&Registry::builtin(), "rat_thoracic").unwrap()
}

/// Grey-matter diffusivity of the test solute, `FREE / tortuosity^2` (mm^2/s).
fn d_grey() -> f64 {
    FREE / params().tortuosity_grey.powi(2)
}

/// A column of `n` grey cells of size `dx` (mm) along z.
fn column(n: usize, dx: f64) -> Grid {
    Grid::new(GridKind::Cartesian3d, [1, 1, n], [dx; 3], [0.0; 3], GREY)
}

fn operator(n: usize, dx: f64, ends: AxialEnds) -> LinearSpecies {
    agent_operator(&column(n, dx), &params(), "x", FREE, 0.0, ends)
}

/// The cell-centred cosine mode `m` of a closed column of `n` cells, `cos(pi m (i + 1/2) / n)`.
fn mode(n: usize, m: usize) -> Vec<f64> {
    (0..n)
        .map(|i| (PI * m as f64 * (i as f64 + 0.5) / n as f64).cos())
        .collect()
}

/// The discrete decay rate of mode `m` (1/s), `(4 D / dx^2) sin^2(pi m / (2 n))`.
fn mode_rate(n: usize, dx: f64, m: usize) -> f64 {
    4.0 * d_grey() / (dx * dx) * (PI * m as f64 / (2.0 * n as f64)).sin().powi(2)
}

/// The TR-BDF2 amplification of a mode with `h mu = z`, from the two stages of the method
/// (gamma = 2 - sqrt(2)): trapezoidal to `gamma h`, then BDF2 through `0, gamma h, h`.
fn r_trbdf2(z: f64) -> f64 {
    let g = 2.0 - SQRT_2;
    let tr = (1.0 - 0.5 * g * z) / (1.0 + 0.5 * g * z);
    let bdf2 = (1.0 - g) / (2.0 - g);
    (tr / (g * (2.0 - g)) - (1.0 - g).powi(2) / (g * (2.0 - g))) / (1.0 + bdf2 * z)
}

/// One Crank-Nicolson step built from backward Euler: `w1 = 2 BE(h/2) w0 - w0`.
fn crank_nicolson(op: &LinearSpecies, w: &mut [f64], h: f64, zero: &[f64]) {
    let w0 = w.to_vec();
    op.step(w, 0.5 * h, zero, &[]).unwrap();
    for (x, x0) in w.iter_mut().zip(&w0) {
        *x = 2.0 * *x - x0;
    }
}

#[test]
fn stability_function_is_l_stable_and_second_order() {
    // independent of the implementation: R(z) = exp(-z) + C z^3 + O(z^4) with the TR-BDF2 error
    // constant C = (-3 g^2 + 4 g - 2) / (12 (2 - g)) = -0.0404 (Hosea & Shampine 1996), R -> 0 at
    // infinity, and the sign change and minimum stated in the docs of `step_trbdf2`
    let g = 2.0 - SQRT_2;
    let c = (-3.0 * g * g + 4.0 * g - 2.0) / (12.0 * (2.0 - g));
    assert!((c + 0.0404).abs() < 1e-4, "{c}");
    for z in [1e-3, 4e-3] {
        let c3 = (r_trbdf2(z) - (-z).exp()) / z.powi(3);
        assert!((c3 / c - 1.0).abs() < 0.01, "z {z}: {c3} vs {c}");
    }
    assert!(r_trbdf2(1e12).abs() < 1e-11);
    assert!(r_trbdf2(1.0 + SQRT_2).abs() < 1e-15);
    assert!((r_trbdf2(8.24) + (SQRT_2 - 1.0) / 2.0).abs() < 1e-6);
    assert!((r_trbdf2(1e4) * 1e4 + 4.83).abs() < 0.01);
}

#[test]
fn every_mode_is_amplified_by_the_stability_function() {
    let (n, dx) = (30, 0.2);
    let op = operator(n, dx, AxialEnds::NoFlux);
    let zero = vec![0.0; n];
    for m in [1, 7, n - 1] {
        let mu = mode_rate(n, dx, m);
        for z in [0.1, 1.0, 8.24, 100.0, 1e4] {
            let h = z / mu;
            let w0 = mode(n, m);
            let mut w = w0.clone();
            let f = op.step_trbdf2(&mut w, h, &zero, &[]).unwrap();
            assert_eq!(f, StepFlows::default(), "closed column, no loss, no source");
            let r = r_trbdf2(z);
            for i in 0..n {
                assert!(
                    (w[i] - r * w0[i]).abs() < 1e-9,
                    "mode {m}, z {z}, cell {i}: {} vs {}",
                    w[i],
                    r * w0[i]
                );
            }
        }
    }
}

#[test]
fn trbdf2_is_second_order_in_time() {
    let (n, dx) = (30, 0.2);
    let op = operator(n, dx, AxialEnds::NoFlux);
    let mu = mode_rate(n, dx, 1);
    // the continuous rate D pi^2 / L^2 to 0.1 %: the test solves a real diffusion mode
    assert!((mu / (d_grey() * PI * PI / 36.0) - 1.0).abs() < 1e-3);
    let t_end = 1.5 / mu;
    let exact = (-mu * t_end).exp();
    let zero = vec![0.0; n];
    let (mut errs, mut errs_be) = (Vec::new(), Vec::new());
    for steps in [4usize, 8, 16, 32, 64] {
        let h = t_end / steps as f64;
        let (mut w, mut w_be) = (mode(n, 1), mode(n, 1));
        let a0 = w[0];
        for _ in 0..steps {
            op.step_trbdf2(&mut w, h, &zero, &[]).unwrap();
            op.step(&mut w_be, h, &zero, &[]).unwrap();
        }
        errs.push((w[0] / a0 - exact).abs());
        errs_be.push((w_be[0] / a0 - exact).abs());
    }
    for i in 0..4 {
        let order = (errs[i] / errs[i + 1]).log2();
        assert!((order - 2.0).abs() < 0.1, "time order {order} ({errs:?})");
        let order_be = (errs_be[i] / errs_be[i + 1]).log2();
        assert!(
            (order_be - 1.0).abs() < 0.1,
            "BE order {order_be} ({errs_be:?})"
        );
    }
    // at 16 steps TR-BDF2 is two orders of magnitude closer than backward Euler
    assert!(errs[2] < 0.01 * errs_be[2], "{errs:?} vs {errs_be:?}");
}

#[test]
fn a_very_stiff_step_damps_where_crank_nicolson_oscillates() {
    let (n, dx) = (60, 0.2);
    let op = operator(n, dx, AxialEnds::NoFlux);
    let zero = vec![0.0; n];
    // the stiffest mode with h mu = 1e4: L-stable damping to ~0, Crank-Nicolson keeps ~ -1
    let mu = mode_rate(n, dx, n - 1);
    let h = 1e4 / mu;
    let w0 = mode(n, n - 1);
    let mut w = w0.clone();
    op.step_trbdf2(&mut w, h, &zero, &[]).unwrap();
    let mut w_cn = w0.clone();
    crank_nicolson(&op, &mut w_cn, h, &zero);
    let amp = w[0] / w0[0];
    let amp_cn = w_cn[0] / w0[0];
    assert!(amp.abs() < 1e-3, "TR-BDF2 amplitude {amp}");
    assert!(amp_cn < -0.999, "Crank-Nicolson amplitude {amp_cn}");
    // a unit spike in the middle cell over the same step: TR-BDF2 stays positive and below the
    // spike, Crank-Nicolson leaves a negative spike of nearly the initial height
    let mut spike = vec![0.0; n];
    spike[n / 2] = 1.0;
    let (mut w, mut w_cn, mut w_be) = (spike.clone(), spike.clone(), spike.clone());
    op.step_trbdf2(&mut w, h, &zero, &[]).unwrap();
    crank_nicolson(&op, &mut w_cn, h, &zero);
    op.step(&mut w_be, h, &zero, &[]).unwrap();
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(min(&w) > 0.0, "TR-BDF2 minimum {}", min(&w));
    assert!(max(&w) < 0.05, "TR-BDF2 maximum {}", max(&w));
    assert!(min(&w_cn) < -0.9, "Crank-Nicolson minimum {}", min(&w_cn));
    assert!(min(&w_be) > 0.0);
    // the amount is kept by all three
    for v in [&w, &w_cn, &w_be] {
        assert!((v.iter().sum::<f64>() - 1.0).abs() < 1e-10);
    }
}

#[test]
fn moderately_stiff_steps_undershoot_a_spike_slightly() {
    // the documented limit: TR-BDF2 is not positivity-preserving. Modes with h mu near 8 come
    // back with about -20 % of their amplitude, so a unit spike over a step with h mu_max of
    // 100 or 1000 leaves a small negative dip where the spike was; backward Euler stays positive
    let (n, dx) = (60, 0.2);
    let op = operator(n, dx, AxialEnds::NoFlux);
    let zero = vec![0.0; n];
    let mu_max = mode_rate(n, dx, n - 1);
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    for z in [100.0, 1000.0] {
        let mut spike = vec![0.0; n];
        spike[n / 2] = 1.0;
        let (mut w, mut w_be) = (spike.clone(), spike);
        op.step_trbdf2(&mut w, z / mu_max, &zero, &[]).unwrap();
        op.step(&mut w_be, z / mu_max, &zero, &[]).unwrap();
        assert!(
            min(&w) < 0.0 && min(&w) > -0.05,
            "z {z}: TR-BDF2 min {}",
            min(&w)
        );
        // the dip is where the spike was
        assert_eq!(min(&w), w[n / 2]);
        assert!(min(&w_be) > 0.0, "z {z}: backward Euler min {}", min(&w_be));
    }
}

#[test]
fn trbdf2_flows_balance_the_amount_with_source_loss_and_clearance() {
    let (n, dx) = (40, 0.15);
    let op = operator(
        n,
        dx,
        AxialEnds::Continuation {
            far_loss_per_s: 2e-4,
        },
    );
    let grid = column(n, dx);
    let loss: Vec<f64> = (0..n).map(|i| 1e-4 * (1.0 + (i % 3) as f64)).collect();
    let source: Vec<f64> = (0..n)
        .map(|i| if i % 5 == 1 { 0.02 } else { 0.0 })
        .collect();
    let mut w: Vec<f64> = (0..n).map(|i| 1.0 + 0.5 * (i % 7) as f64).collect();
    let start = op.amount(&w);
    let (mut consumed, mut cleared, mut produced) = (0.0, 0.0, 0.0);
    let rate_in: f64 = (0..n).map(|i| source[i] * grid.volume(i)).sum();
    // small, moderate and very stiff steps
    for h in [10.0, 900.0, 900.0, 3600.0, 1e6] {
        let before = op.amount(&w);
        let f = op.step_trbdf2(&mut w, h, &loss, &source).unwrap();
        let step_balance = before + f.produced - f.consumed - f.cleared - op.amount(&w);
        assert!(
            step_balance.abs() < 1e-10 * before,
            "step {h} s: balance {step_balance:e} of {before}"
        );
        // a constant source produces h x its rate
        assert!((f.produced / (h * rate_in) - 1.0).abs() < 1e-12);
        assert!(f.consumed > 0.0 && f.cleared > 0.0, "{f:?}");
        consumed += f.consumed;
        cleared += f.cleared;
        produced += f.produced;
    }
    let end = op.amount(&w);
    let balance = start + produced - consumed - cleared - end;
    assert!(
        balance.abs() < 1e-10 * start,
        "balance {balance:e} of {start}"
    );
    assert!(cleared > 1e-3 * start && consumed > 1e-3 * start);
}

#[test]
fn trbdf2_cleared_amount_converges_at_second_order() {
    // the flows are second-order accurate too: amount cleared through continued ends from a
    // uniform start over a fixed time, against a fine-step reference
    let (n, dx) = (20, 0.3);
    let op = operator(
        n,
        dx,
        AxialEnds::Continuation {
            far_loss_per_s: 1e-4,
        },
    );
    let zero = vec![0.0; n];
    let t_end = 7200.0;
    let cleared = |steps: usize| {
        let mut w = vec![1.0; n];
        (0..steps)
            .map(|_| {
                op.step_trbdf2(&mut w, t_end / steps as f64, &zero, &[])
                    .unwrap()
                    .cleared
            })
            .sum::<f64>()
    };
    let reference = cleared(2048);
    let errs: Vec<f64> = [4, 8, 16, 32]
        .iter()
        .map(|&s| (cleared(s) - reference).abs())
        .collect();
    for i in 0..3 {
        let order = (errs[i] / errs[i + 1]).log2();
        assert!((order - 2.0).abs() < 0.15, "order {order} ({errs:?})");
    }
}
