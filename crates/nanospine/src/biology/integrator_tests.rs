//! Tests of the stiff integrator on problems with known answers (kept here, reused by every test).

use super::integrator::*;

/// `y' = -k y`, exact `y0 exp(-k t)`.
struct Decay {
    k: f64,
}

impl OdeSystem for Decay {
    fn dim(&self) -> usize {
        1
    }
    fn rhs(&self, _t: f64, y: &[f64], dy: &mut [f64]) {
        dy[0] = -self.k * y[0];
    }
}

/// Linear exchange chain with influx, the structure of the macrophage block:
/// `x0' = J - a x0`, `x1' = k01 x0 - b x1`, `x2' = k02 x0 + k12 x1 - c x2`.
#[derive(Clone, Copy)]
pub(super) struct Chain {
    pub j: f64,
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub k01: f64,
    pub k02: f64,
    pub k12: f64,
}

impl Chain {
    /// Closed-form solution at `t` from `x(0) = m` (needs `a`, `b`, `c` distinct).
    pub fn exact(&self, m: [f64; 3], t: f64) -> [f64; 3] {
        let Chain {
            j,
            a,
            b,
            c,
            k01,
            k02,
            k12,
        } = *self;
        let (ea, eb, ec) = ((-a * t).exp(), (-b * t).exp(), (-c * t).exp());
        let aa = m[0] - j / a;
        let x0 = j / a + aa * ea;
        let p = k01 * j / (a * b);
        let q = k01 * aa / (b - a);
        let r = m[1] - p - q;
        let x1 = p + q * ea + r * eb;
        let k0 = k02 * j / a + k12 * p;
        let ka = k02 * aa + k12 * q;
        let kb = k12 * r;
        let x2 = k0 / c
            + ka / (c - a) * ea
            + kb / (c - b) * eb
            + (m[2] - k0 / c - ka / (c - a) - kb / (c - b)) * ec;
        [x0, x1, x2]
    }
}

impl OdeSystem for Chain {
    fn dim(&self) -> usize {
        3
    }
    fn rhs(&self, _t: f64, y: &[f64], dy: &mut [f64]) {
        dy[0] = self.j - self.a * y[0];
        dy[1] = self.k01 * y[0] - self.b * y[1];
        dy[2] = self.k02 * y[0] + self.k12 * y[1] - self.c * y[2];
    }
}

/// A mildly stiff chain for measuring orders in the asymptotic range.
fn mild_chain() -> Chain {
    Chain {
        a: 5.0,
        k01: 3.0,
        k02: 1.9,
        ..stiff_chain()
    }
}

/// A stiff chain: rates spanning four decades (1/d-like units).
fn stiff_chain() -> Chain {
    Chain {
        j: 20.0,
        a: 50.0,
        b: 0.6,
        c: 0.1,
        k01: 30.0,
        k02: 19.9,
        k12: 0.5,
    }
}

fn fixed(method: Method, h: f64) -> Options {
    Options {
        method,
        fixed_step: Some(h),
        rtol: 1e-13,
        atol: vec![1e-13],
        ..Options::default()
    }
}

fn max_err(y: &[f64], e: &[f64]) -> f64 {
    y.iter()
        .zip(e)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

/// Observed orders `log2(e(h) / e(h/2))` of fixed-step runs of `sys` to `t_end`.
fn orders<S: OdeSystem>(
    sys: &S,
    y0: &[f64],
    t_end: f64,
    exact: &[f64],
    method: Method,
    steps: &[usize],
) -> Vec<f64> {
    let mut ws = Workspace::default();
    let errs: Vec<f64> = steps
        .iter()
        .map(|&n| {
            let mut y = y0.to_vec();
            integrate(
                sys,
                0.0,
                t_end,
                &mut y,
                &fixed(method, t_end / n as f64),
                &mut ws,
            )
            .unwrap();
            max_err(&y, exact)
        })
        .collect();
    errs.windows(2).map(|w| (w[0] / w[1]).log2()).collect()
}

#[test]
fn chain_closed_form_satisfies_the_ode() {
    // independent check of the reference: finite-difference derivative of `exact` equals rhs
    let ch = stiff_chain();
    let m = [5.0, 1.0, 2.0];
    for &t in &[0.01, 0.3, 2.0, 10.0] {
        let h = 1e-6;
        let (p, q) = (ch.exact(m, t + h), ch.exact(m, t - h));
        let x = ch.exact(m, t);
        let mut f = [0.0; 3];
        ch.rhs(t, &x, &mut f);
        for i in 0..3 {
            let d = (p[i] - q[i]) / (2.0 * h);
            assert!(
                (d - f[i]).abs() < 1e-5 * (1.0 + f[i].abs()),
                "t {t} i {i}: {d} vs {}",
                f[i]
            );
        }
    }
    assert!(max_err(&ch.exact(m, 0.0), &m) < 1e-12);
}

#[test]
fn trbdf2_is_second_order_on_the_linear_chain() {
    let ch = mild_chain();
    let m = [5.0, 1.0, 2.0];
    let t = 10.0;
    let o = orders(
        &ch,
        &m,
        t,
        &ch.exact(m, t),
        Method::TrBdf2,
        &[80, 160, 320, 640],
    );
    for v in &o {
        assert!((1.9..2.1).contains(v), "orders {o:?}");
    }
}

#[test]
fn backward_euler_is_first_order_on_the_linear_chain() {
    let ch = mild_chain();
    let m = [5.0, 1.0, 2.0];
    let t = 10.0;
    let o = orders(
        &ch,
        &m,
        t,
        &ch.exact(m, t),
        Method::BackwardEuler,
        &[200, 400, 800, 1600],
    );
    for v in &o {
        assert!((0.95..1.05).contains(v), "orders {o:?}");
    }
}

#[test]
fn trbdf2_local_error_constant_matches_the_measured_one() {
    // one step of y' = -y: local error / h^3 y''' -> C as h -> 0 (y''' = -1 at y = 1)
    let mut ws = Workspace::default();
    let sys = Decay { k: 1.0 };
    let h = 1e-3;
    let mut y = [1.0];
    integrate(&sys, 0.0, h, &mut y, &fixed(Method::TrBdf2, h), &mut ws).unwrap();
    let measured = (y[0] - (-h).exp()) / (-h * h * h);
    let c = trbdf2_error_constant();
    assert!((measured - c).abs() < 2e-3 * c.abs(), "{measured} vs {c}");
    assert!((c - 0.040440).abs() < 1e-5, "{c}");
}

#[test]
fn adaptive_error_follows_the_tolerance() {
    let ch = stiff_chain();
    let m = [5.0, 1.0, 2.0];
    let t = 20.0;
    let exact = ch.exact(m, t);
    let mut ws = Workspace::default();
    let mut errs = vec![];
    let mut steps = vec![];
    for rtol in [1e-5, 1e-7, 1e-9] {
        let mut y = m.to_vec();
        let o = Options {
            rtol,
            atol: vec![rtol * 1e-3],
            ..Options::default()
        };
        let s = integrate(&ch, 0.0, t, &mut y, &o, &mut ws).unwrap();
        let rel = max_err(&y, &exact) / exact.iter().fold(0.0f64, |a, b| a.max(b.abs()));
        errs.push(rel);
        steps.push(s.steps);
        // per-step control: the global error is about (steps x tolerance), not far below it
        assert!(
            rel < 1e3 * rtol && rel > 1e-3 * rtol,
            "rtol {rtol}: rel error {rel}"
        );
    }
    // a third-order error estimate: steps grow about as tol^(-1/3), errors fall about as tol^(2/3)
    assert!(steps[0] < steps[1] && steps[1] < steps[2], "{steps:?}");
    assert!(errs[0] > 50.0 * errs[2], "{errs:?}");
}

#[test]
fn very_stiff_decay_is_damped_in_few_steps() {
    // L-stability: k h >> 1 must not oscillate or blow up; the filtered estimate allows large steps
    let sys = Decay { k: 1e6 };
    let mut ws = Workspace::default();
    let mut y = [1.0];
    let o = Options {
        rtol: 1e-3,
        atol: vec![1e-9],
        nonnegative: true,
        ..Options::default()
    };
    let s = integrate(&sys, 0.0, 1.0, &mut y, &o, &mut ws).unwrap();
    assert!(y[0].abs() < 1e-9, "{}", y[0]);
    // resolving the transient to 1e-3 needs k h ~ 0.3 over ~20 time constants; once the
    // solution is below atol the steps grow geometrically to the end
    assert!(s.steps < 300, "{s:?}");
    // a fixed huge step is strongly damped (L-stable), not reflected like the trapezoidal rule
    let mut y = [1.0];
    integrate(&sys, 0.0, 1.0, &mut y, &fixed(Method::TrBdf2, 1.0), &mut ws).unwrap();
    assert!(y[0].abs() < 1e-5, "{}", y[0]);
}

#[test]
fn dense_lu_pivots_and_solves() {
    let m = [0.0, 2.0, 1.0, 1.0, 1.0, 0.0, 3.0, 0.0, 1.0];
    let x = [1.0, -2.0, 0.5];
    let mut b = [0.0; 3];
    for i in 0..3 {
        b[i] = (0..3).map(|j| m[i * 3 + j] * x[j]).sum();
    }
    let mut lu = DenseLu::default();
    assert!(lu.factor(&m, 3));
    let mut tmp = vec![];
    lu.solve(&mut b, &mut tmp);
    for i in 0..3 {
        assert!((b[i] - x[i]).abs() < 1e-14, "{b:?}");
    }
    assert!(!lu.factor(&[1.0, 2.0, 2.0, 4.0], 2));
}

#[test]
fn bad_options_are_errors() {
    let sys = Decay { k: 1.0 };
    let mut ws = Workspace::default();
    let mut y = [1.0];
    let be = Options {
        method: Method::BackwardEuler,
        ..Options::default()
    };
    let e = integrate(&sys, 0.0, 1.0, &mut y, &be, &mut ws).unwrap_err();
    assert!(e.reason.contains("fixed_step"), "{e}");
    let atol = Options {
        atol: vec![1e-6, 1e-6],
        ..Options::default()
    };
    assert!(integrate(&sys, 0.0, 1.0, &mut y, &atol, &mut ws).is_err());
    assert!(integrate(&sys, 0.0, f64::NAN, &mut y, &Options::default(), &mut ws).is_err());
    let mut y2 = [1.0, 2.0];
    assert!(integrate(&sys, 0.0, 1.0, &mut y2, &Options::default(), &mut ws).is_err());
}

/// Two uncoupled decays `y_i' = -k_i y_i`.
struct TwoDecays {
    k: [f64; 2],
}

impl OdeSystem for TwoDecays {
    fn dim(&self) -> usize {
        2
    }
    fn rhs(&self, _t: f64, y: &[f64], dy: &mut [f64]) {
        dy[0] = -self.k[0] * y[0];
        dy[1] = -self.k[1] * y[1];
    }
}

#[test]
fn per_unknown_relative_tolerances_control_each_unknown() {
    // the slow unknown barely limits the step; the fast one does
    let sys = TwoDecays { k: [1e-3, 1.0] };
    let run = |rtol: f64, scale: Vec<f64>| {
        let mut y = [1.0, 1.0];
        let opts = Options {
            rtol,
            rtol_scale: scale,
            atol: vec![1e-12],
            ..Options::default()
        };
        let st = integrate(&sys, 0.0, 5.0, &mut y, &opts, &mut Workspace::default()).unwrap();
        (st.steps + st.rejected, y)
    };
    let exact = [(-5e-3_f64).exp(), (-5.0_f64).exp()];
    let (n_tight, y_tight) = run(1e-6, vec![]);
    let (n_loose, y_loose) = run(1e-6, vec![1.0, 100.0]);
    // loosening the fast unknown alone saves steps (about 100^(1/3) fewer for a 2nd-order
    // method with a 3rd-order local error)...
    assert!(
        (n_loose as f64) < 0.4 * n_tight as f64,
        "{n_loose} vs {n_tight} steps"
    );
    // ...and costs accuracy in it, within its looser tolerance
    let err = |y: [f64; 2], i: usize| ((y[i] - exact[i]) / exact[i]).abs();
    assert!(err(y_loose, 1) > 3.0 * err(y_tight, 1));
    assert!(err(y_loose, 1) < 1e-2, "{}", err(y_loose, 1));
    // a uniform scale is the same as scaling rtol
    let (n_a, y_a) = run(1e-6, vec![30.0, 30.0]);
    let (n_b, y_b) = run(3e-5, vec![]);
    assert_eq!(n_a, n_b);
    for i in 0..2 {
        assert!(
            (y_a[i] - y_b[i]).abs() < 1e-12 * y_b[i],
            "{y_a:?} vs {y_b:?}"
        );
    }
}

#[test]
fn a_wrong_number_of_relative_tolerance_scales_is_an_error() {
    let sys = TwoDecays { k: [1.0, 2.0] };
    let mut y = [1.0, 1.0];
    for scale in [vec![1.0; 3], vec![1.0, -1.0], vec![1.0, f64::NAN]] {
        let opts = Options {
            rtol_scale: scale.clone(),
            ..Options::default()
        };
        let e = integrate(&sys, 0.0, 1.0, &mut y, &opts, &mut Workspace::default()).unwrap_err();
        assert!(e.reason.contains("rtol_scale"), "{scale:?}: {e}");
    }
}

#[test]
fn shifted_factorisation_equals_factorising_the_newton_matrix() {
    // a 5 x 5 Jacobian with entries of mixed sign and size, so that pivoting happens
    let n = 5;
    let jac: Vec<f64> = (0..n * n)
        .map(|k| ((k * 7 + 3) % 11) as f64 - 5.0 + 0.1 * k as f64)
        .collect();
    let beta = 0.37;
    let mut m = vec![0.0; n * n];
    for r in 0..n {
        for c in 0..n {
            m[r * n + c] = -beta * jac[r * n + c] + if r == c { 1.0 } else { 0.0 };
        }
    }
    let (mut a, mut b) = (DenseLu::default(), DenseLu::default());
    assert!(a.factor(&m, n));
    assert!(b.factor_shifted(&jac, beta, n));
    let rhs: Vec<f64> = (0..n).map(|i| 1.0 + i as f64).collect();
    let (mut xa, mut xb, mut tmp) = (rhs.clone(), rhs.clone(), vec![]);
    a.solve(&mut xa, &mut tmp);
    b.solve(&mut xb, &mut tmp);
    assert_eq!(xa, xb);
    // and it solves the system
    for r in 0..n {
        let lhs: f64 = (0..n).map(|c| m[r * n + c] * xa[c]).sum();
        assert!((lhs - rhs[r]).abs() < 1e-12, "row {r}: {lhs} vs {}", rhs[r]);
    }
    // a singular Newton matrix is refused: J = I / beta gives I - beta J = 0
    let ident: Vec<f64> = (0..n * n)
        .map(|k| if k % (n + 1) == 0 { 1.0 / beta } else { 0.0 })
        .collect();
    assert!(!b.factor_shifted(&ident, beta, n));
}

/// A preloaded Jacobian (the previous call's, as the cord's per-voxel hints pass it on) spares
/// the Jacobian evaluations of a sequence of calls and keeps the accuracy; a wrong one is
/// replaced as soon as Newton fails with it.
#[test]
fn a_preloaded_jacobian_is_reused_and_a_wrong_one_replaced() {
    let ch = stiff_chain();
    let m = [5.0, 1.0, 2.0];
    let o = Options {
        rtol: 1e-6,
        atol: vec![1e-9],
        ..Options::default()
    };
    // ten calls of 2 time units, fresh Jacobian each call vs carried over
    let run = |carry: bool| {
        let mut ws = Workspace::default();
        let mut y = m.to_vec();
        let mut jacobians = 0;
        let mut stored: Vec<f64> = vec![];
        for k in 0..10 {
            if carry && !stored.is_empty() {
                ws.preload_jacobian(&stored);
            }
            let s = integrate(&ch, 2.0 * k as f64, 2.0, &mut y, &o, &mut ws).unwrap();
            jacobians += s.jacobians;
            stored = ws.jacobian().to_vec();
        }
        (y, jacobians)
    };
    let exact = ch.exact(m, 20.0);
    let (fresh, j_fresh) = run(false);
    let (carried, j_carried) = run(true);
    let scale = exact.iter().fold(0.0f64, |a, b| a.max(b.abs()));
    assert!(max_err(&fresh, &exact) / scale < 1e-4, "{fresh:?}");
    assert!(max_err(&carried, &exact) / scale < 1e-4, "{carried:?}");
    // a linear system: the carried Jacobian is exact, so it is evaluated once
    assert_eq!(j_fresh, 10);
    assert_eq!(j_carried, 1);
    // a wrong Jacobian (zero: Newton is then a fixed-point iteration that diverges on this stiff
    // system) is replaced at the first failure and the result is still accurate
    let mut ws = Workspace::default();
    ws.preload_jacobian(&[0.0; 9]);
    let mut y = m.to_vec();
    let s = integrate(&ch, 0.0, 20.0, &mut y, &o, &mut ws).unwrap();
    assert!(s.newton_failures >= 1 && s.jacobians == 1, "{s:?}");
    assert!(max_err(&y, &exact) / scale < 1e-4, "{y:?}");
    // a preload of the wrong size is ignored; an unused one can be dropped
    let mut ws = Workspace::default();
    ws.preload_jacobian(&[0.0; 4]);
    let mut y = m.to_vec();
    let s = integrate(&ch, 0.0, 20.0, &mut y, &o, &mut ws).unwrap();
    assert_eq!((s.jacobians, s.newton_failures), (1, 0));
    ws.preload_jacobian(&[0.0; 9]);
    ws.clear_preloaded();
    let mut y = m.to_vec();
    let s = integrate(&ch, 0.0, 20.0, &mut y, &o, &mut ws).unwrap();
    assert_eq!((s.jacobians, s.newton_failures), (1, 0));
}

/// A preloaded first step acts exactly as `Options::h0` (which takes precedence when set) and is
/// used once.
#[test]
fn a_preloaded_first_step_is_options_h0() {
    let ch = stiff_chain();
    let m = [5.0, 1.0, 2.0];
    let base = Options {
        rtol: 1e-6,
        atol: vec![1e-9],
        ..Options::default()
    };
    let with_h0 = Options {
        h0: Some(0.37),
        ..base.clone()
    };
    let mut ws = Workspace::default();
    let (mut a, mut b, mut c) = (m.to_vec(), m.to_vec(), m.to_vec());
    let sa = integrate(&ch, 0.0, 5.0, &mut a, &with_h0, &mut ws).unwrap();
    let mut ws = Workspace::default();
    ws.preload_first_step(0.37);
    let sb = integrate(&ch, 0.0, 5.0, &mut b, &base, &mut ws).unwrap();
    assert_eq!((a.clone(), sa), (b, sb));
    // used once: the next call starts from the default first-step heuristic again
    let sc = integrate(&ch, 0.0, 5.0, &mut c, &base, &mut Workspace::default()).unwrap();
    let mut d = m.to_vec();
    let sd = integrate(&ch, 0.0, 5.0, &mut d, &base, &mut ws).unwrap();
    assert_eq!((c, sc), (d, sd));
    // Options::h0 wins over a preload
    let mut ws = Workspace::default();
    ws.preload_first_step(1e-6);
    let mut e = m.to_vec();
    let se = integrate(&ch, 0.0, 5.0, &mut e, &with_h0, &mut ws).unwrap();
    assert_eq!((a, sa), (e, se));
}
