//! Verification of the delivery solver: analytic decay of a diffusion mode with measured order,
//! the amount balance, and partition equilibrium.

use super::linear::LinearSpecies;
use crate::grid::{Grid, GridKind, AF, MAX_LABELS, NP};
use crate::transport::operator::SoluteTransport;

/// A 1-D bar of `n` cells over length `len` (mm), sinks at both ends, diffusivity `d`.
fn bar(n: usize, len: f64, d: f64) -> (Grid, LinearSpecies) {
    let h = len / n as f64;
    let g = Grid::new(
        GridKind::Cartesian3d,
        [n, 1, 1],
        [h, 1.0, 1.0],
        [0.0; 3],
        NP,
    );
    let mut s = SoluteTransport::uniform("probe", "ng/mL", d);
    s.set_boundary(NP, 0, h, 1.0, f64::INFINITY, 0.0);
    let lin = LinearSpecies::new(&g, &s, &[1.0; MAX_LABELS]);
    (g, lin)
}

/// Max error at time `t_end` of the first sine mode decaying in the bar.
fn mode_error(n: usize, steps: usize) -> f64 {
    let (len, d, t_end) = (1.0, 1e-3, 100.0);
    let (g, lin) = bar(n, len, d);
    let pi = std::f64::consts::PI;
    let mut w: Vec<f64> = (0..n).map(|i| (pi * g.centre(0, i) / len).sin()).collect();
    let h = t_end / steps as f64;
    let loss = vec![0.0; n];
    for _ in 0..steps {
        lin.step(&mut w, h, &loss, &[]).unwrap();
    }
    let decay = (-d * pi * pi * t_end / (len * len)).exp();
    (0..n)
        .map(|i| (w[i] - decay * (pi * g.centre(0, i) / len).sin()).abs())
        .fold(0.0, f64::max)
}

#[test]
fn spatial_order_is_two() {
    // time error made negligible with many small steps
    let e1 = mode_error(10, 40_000);
    let e2 = mode_error(20, 40_000);
    let e3 = mode_error(40, 40_000);
    let o1 = (e1 / e2).log2();
    let o2 = (e2 / e3).log2();
    eprintln!("delivery spatial orders {o1:.3} {o2:.3}");
    assert!(
        o1 > 1.8 && o2 > 1.8,
        "orders {o1} {o2} (errors {e1} {e2} {e3})"
    );
}

#[test]
fn time_order_is_one() {
    let e1 = mode_error(200, 5);
    let e2 = mode_error(200, 10);
    let e3 = mode_error(200, 20);
    let o1 = (e1 / e2).log2();
    let o2 = (e2 / e3).log2();
    eprintln!("delivery time orders {o1:.3} {o2:.3}");
    assert!(
        (0.85..1.15).contains(&o1) && (0.85..1.15).contains(&o2),
        "orders {o1} {o2}"
    );
}

#[test]
fn amount_balance_holds_with_source_loss_and_sink() {
    let n = 30;
    let (_g, lin) = bar(n, 2.0, 5e-4);
    let mut w: Vec<f64> = (0..n).map(|i| if i == 12 { 1000.0 } else { 0.0 }).collect();
    let loss: Vec<f64> = (0..n).map(|i| 1e-4 * (1 + i % 3) as f64).collect();
    let source: Vec<f64> = (0..n).map(|i| if i > 20 { 0.3 } else { 0.0 }).collect();
    let start = lin.amount(&w);
    let (mut cleared, mut consumed, mut produced) = (0.0, 0.0, 0.0);
    for _ in 0..200 {
        let f = lin.step(&mut w, 600.0, &loss, &source).unwrap();
        cleared += f.cleared;
        consumed += f.consumed;
        produced += f.produced;
    }
    let end = lin.amount(&w);
    let err = (start + produced - cleared - consumed - end).abs() / (start + produced);
    assert!(err < 1e-12, "relative imbalance {err:e}");
    assert!(cleared > 0.0 && consumed > 0.0 && produced > 0.0);
}

#[test]
fn partition_equilibrium_sets_the_concentration_ratio() {
    // closed two-tissue bar: NP half with K = 1, AF half with K = 0.25
    let n = 20;
    let h = 0.1;
    let mut g = Grid::new(
        GridKind::Cartesian3d,
        [n, 1, 1],
        [h, 1.0, 1.0],
        [0.0; 3],
        NP,
    );
    for i in n / 2..n {
        g.labels[i] = AF;
    }
    let mut part = [1.0; MAX_LABELS];
    part[AF as usize] = 0.25;
    let mut s = SoluteTransport::uniform("probe", "ng/mL", 0.0);
    s.d_by_label[NP as usize] = 1e-3;
    s.d_by_label[AF as usize] = 1e-3 * 0.25;
    let lin = LinearSpecies::new(&g, &s, &part);
    let mut w: Vec<f64> = (0..n).map(|i| if i < 3 { 100.0 } else { 0.0 }).collect();
    let start = lin.amount(&w);
    let loss = vec![0.0; n];
    for _ in 0..400 {
        lin.step(&mut w, 50.0, &loss, &[]).unwrap();
    }
    let c_np = w[0] * 1.0;
    let c_af = w[n - 1] * 0.25;
    assert!((c_af / c_np - 0.25).abs() < 1e-6, "ratio {}", c_af / c_np);
    assert!((lin.amount(&w) - start).abs() < 1e-12 * start);
}

/// `set_transport` gives exactly the operator that `new` builds for the new coefficients.
#[test]
fn set_transport_equals_a_fresh_stencil() {
    let (g, mut lin) = bar(20, 1.0, 1e-3);
    let mut s = SoluteTransport::uniform("probe", "ng/mL", 4e-4);
    s.set_boundary(NP, 0, 0.05, 1.0, f64::INFINITY, 2.0);
    lin.set_transport(&g, &s);
    let fresh = LinearSpecies::new(&g, &s, &[1.0; MAX_LABELS]);
    let w0: Vec<f64> = (0..20).map(|i| (i as f64 * 0.3).sin() + 1.0).collect();
    let loss = vec![1e-4; 20];
    let (mut a, mut b) = (w0.clone(), w0);
    let fa = lin.step(&mut a, 50.0, &loss, &[]).unwrap();
    let fb = fresh.step(&mut b, 50.0, &loss, &[]).unwrap();
    assert_eq!(a, b);
    assert_eq!(fa, fb);
    // and differs from the old coefficients
    let (_, old) = bar(20, 1.0, 1e-3);
    let mut c: Vec<f64> = (0..20).map(|i| (i as f64 * 0.3).sin() + 1.0).collect();
    old.step(&mut c, 50.0, &loss, &[]).unwrap();
    assert!(a.iter().zip(&c).any(|(x, y)| (x - y).abs() > 1e-6));
}
