//! Tests of the LOD kernel: line solves against dense solves, analytic decay, conservation,
//! determinism.
use super::*;
use crate::grid::{AF, CEP, NP};
use crate::transport::operator::{self, Face};
use std::f64::consts::PI;

/// Dense Gaussian elimination with partial pivoting.
fn dense_solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap();
        a.swap(col, piv);
        b.swap(col, piv);
        for r in col + 1..n {
            let f = a[r][col] / a[col][col];
            if f != 0.0 {
                let (top, bottom) = a.split_at_mut(r);
                for (x, &y) in bottom[0][col..].iter_mut().zip(&top[col][col..]) {
                    *x -= f * y;
                }
                b[r] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    x
}

/// The affine operator `apply(u) = A u + b` probed from `operator::apply`.
fn apply_affine(grid: &Grid, s: &SoluteTransport) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n = grid.len();
    let mut b = vec![0.0; n];
    operator::apply(grid, s, &vec![0.0; n], &mut b);
    let mut a = vec![vec![0.0; n]; n];
    let mut out = vec![0.0; n];
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        operator::apply(grid, s, &e, &mut out);
        for i in 0..n {
            a[i][j] = out[i] - b[i];
        }
    }
    (a, b)
}

/// The one-axis part of the operator, built from `operator::face`.
fn axis_affine(grid: &Grid, s: &SoluteTransport, axis: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n = grid.len();
    let mut a = vec![vec![0.0; n]; n];
    let mut b = vec![0.0; n];
    for c in 0..n {
        if grid.labels[c] == VOID {
            continue;
        }
        for high in [false, true] {
            match operator::face(grid, s, c, axis, high) {
                Face::Interior { nb, g } => {
                    a[c][nb] += g;
                    a[c][c] -= g;
                }
                Face::Boundary { g, value } => {
                    a[c][c] -= g;
                    b[c] += g * value;
                }
            }
        }
    }
    (a, b)
}

/// Backward-Euler step `(I - dt A) u = u_old + dt b`.
fn be_step(a: &[Vec<f64>], b: &[f64], u: &[f64], dt: f64) -> Vec<f64> {
    let n = u.len();
    let m: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(i == j) - dt * a[i][j]).collect())
        .collect();
    let rhs: Vec<f64> = (0..n).map(|i| u[i] + dt * b[i]).collect();
    dense_solve(m, rhs)
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Glucose-like solute: D per tissue (Mackie-Meares values of ivd-transport.md 1.3) and boundary
/// faces of every kind on `axes`.
fn tissue_solute(grid: &Grid, axes: &[usize]) -> SoluteTransport {
    let mut s = SoluteTransport::uniform("glucose", "mM", 4.1e-4);
    s.d_by_label[AF as usize] = 3.3e-4;
    s.d_by_label[CEP as usize] = 2.2e-4;
    for &axis in axes {
        let h = grid.h[axis];
        s.set_boundary(NP, axis, h, 0.7, 1e-3, 2.0);
        s.set_boundary(AF, axis, h, 1.0, f64::INFINITY, 5.0);
        s.set_boundary(CEP, axis, h, 0.4, 5e-3, 1.0);
    }
    s
}

fn init_field(grid: &Grid) -> Vec<f64> {
    (0..grid.len())
        .map(|c| {
            if grid.labels[c] == VOID {
                7.0
            } else {
                1.0 + 0.5 * (0.37 * c as f64).sin()
            }
        })
        .collect()
}

const LINE: [Label; 12] = [NP, NP, AF, VOID, AF, CEP, CEP, NP, VOID, VOID, AF, NP];

fn check_line(kind: GridKind, axis: usize, origin: f64, labels: &[Label]) {
    let mut n = [1, 1, 1];
    n[axis] = labels.len();
    let mut o = [0.0; 3];
    o[axis] = origin;
    let mut grid = Grid::new(kind, n, [0.1, 0.1, 0.1], o, NP);
    grid.labels.copy_from_slice(labels);
    let s = tissue_solute(&grid, &[axis]);
    let u0 = init_field(&grid);
    let dt = 50.0;
    let (a, b) = apply_affine(&grid, &s);
    let want = be_step(&a, &b, &u0, dt);
    let mut solver = LodSolver::new(&grid);
    let mut fields = vec![u0.clone()];
    solver.step(&grid, std::slice::from_ref(&s), &mut fields, dt);
    let d = max_diff(&fields[0], &want);
    assert!(d < 1e-12 * 5.0, "{kind:?} axis {axis}: max diff {d:e}");
    // the step really moved the solution and kept void cells
    assert!(max_diff(&fields[0], &u0) > 0.1);
    for (&l, &v) in grid.labels.iter().zip(&fields[0]) {
        if l == VOID {
            assert_eq!(v, 7.0);
        }
    }
}

#[test]
fn single_axis_matches_dense_backward_euler() {
    for axis in 0..3 {
        check_line(GridKind::Cartesian3d, axis, 0.0, &LINE);
        check_line(GridKind::Cartesian3d, axis, 0.0, &[NP; 9]);
    }
    for origin in [0.0, 0.35] {
        check_line(GridKind::Axisymmetric, 0, origin, &LINE);
        check_line(GridKind::Axisymmetric, 0, origin, &[AF; 7]);
    }
    check_line(GridKind::Axisymmetric, 2, 0.0, &LINE);
    check_line(GridKind::Axisymmetric, 2, 0.0, &[CEP; 5]);
}

/// Deterministic pseudo-random labels, about 15 % void.
fn random_labels(grid: &mut Grid, seed: u64) {
    let mut x = seed;
    for l in grid.labels.iter_mut() {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (x >> 33) % 20;
        *l = match r {
            0..=2 => VOID,
            3..=8 => NP,
            9..=14 => AF,
            _ => CEP,
        };
    }
}

#[test]
fn three_d_step_is_the_product_of_axis_solves() {
    for kind in [GridKind::Cartesian3d, GridKind::Axisymmetric] {
        let mut grid = Grid::new(kind, [5, 4, 6], [0.1, 0.12, 0.08], [0.2, 0.0, 0.0], NP);
        random_labels(&mut grid, 7);
        let axes = grid.active_axes();
        let s1 = tissue_solute(&grid, axes);
        let mut s2 = tissue_solute(&grid, axes);
        s2.d_by_label = [1.3e-3, 1.33e-3, 1.08e-3, 0.73e-3, 1e-3, 1e-3, 1e-3, 1e-3];
        let solutes = [s1, s2];
        let dt = 20.0;
        let mut fields: Vec<Vec<f64>> = vec![
            init_field(&grid),
            init_field(&grid).iter().map(|v| 2.0 * v).collect(),
        ];
        let mut want = fields.clone();
        for (s, w) in solutes.iter().zip(want.iter_mut()) {
            // the per-axis parts add up to the full operator
            let (a, b) = apply_affine(&grid, s);
            let mut asum = vec![vec![0.0; grid.len()]; grid.len()];
            let mut bsum = vec![0.0; grid.len()];
            for &axis in axes {
                let (aa, ba) = axis_affine(&grid, s, axis);
                for i in 0..grid.len() {
                    bsum[i] += ba[i];
                    for j in 0..grid.len() {
                        asum[i][j] += aa[i][j];
                    }
                }
                *w = be_step(&aa, &ba, w, dt);
            }
            for i in 0..grid.len() {
                assert!((bsum[i] - b[i]).abs() < 1e-15);
                assert!(max_diff(&asum[i], &a[i]) < 1e-15);
            }
        }
        let mut solver = LodSolver::new(&grid);
        assert!(!solver.is_uniform());
        solver.step(&grid, &solutes, &mut fields, dt);
        for (f, w) in fields.iter().zip(&want) {
            let d = max_diff(f, w);
            assert!(d < 1e-11, "{kind:?}: max diff {d:e}");
        }
    }
}

fn sine_cube(n: usize, d: f64, two_labels: bool) -> (Grid, SoluteTransport, Vec<f64>, f64) {
    let h = 1.0 / n as f64;
    let mut grid = Grid::new(GridKind::Cartesian3d, [n; 3], [h; 3], [0.0; 3], NP);
    if two_labels {
        // same diffusivity in both labels: forces the general (label-table) path
        for c in 0..grid.len() {
            if grid.ijk(c)[0] % 2 == 1 {
                grid.labels[c] = AF;
            }
        }
    }
    let mut s = SoluteTransport::uniform("tracer", "mM", d);
    for axis in 0..3 {
        s.set_boundary(NP, axis, h, 1.0, f64::INFINITY, 0.0);
        s.set_boundary(AF, axis, h, 1.0, f64::INFINITY, 0.0);
    }
    let phi: Vec<f64> = (0..grid.len())
        .map(|c| {
            let [i, j, k] = grid.ijk(c);
            (PI * grid.centre(0, i)).sin()
                * (PI * grid.centre(1, j)).sin()
                * (PI * grid.centre(2, k)).sin()
        })
        .collect();
    // discrete eigenvalue of one axis: the sampled sine is an exact eigenvector of the
    // cell-centred operator with half-cell Dirichlet faces
    let lam = 4.0 * d / (h * h) * (0.5 * PI * h).sin().powi(2);
    (grid, s, phi, lam)
}

/// Runs the sine mode to time `t` with `steps` steps; returns (amplitude, max deviation from the
/// mode shape).
fn run_mode(n: usize, t: f64, steps: usize, two_labels: bool) -> (f64, f64, f64) {
    let d = 1e-3;
    let (grid, s, phi, lam) = sine_cube(n, d, two_labels);
    let mut fields = vec![phi.clone()];
    let mut solver = LodSolver::new(&grid);
    assert_eq!(solver.is_uniform(), !two_labels);
    let dt = t / steps as f64;
    for _ in 0..steps {
        solver.step(&grid, std::slice::from_ref(&s), &mut fields, dt);
    }
    let u = &fields[0];
    let amp = u.iter().zip(&phi).map(|(a, b)| a * b).sum::<f64>()
        / phi.iter().map(|b| b * b).sum::<f64>();
    let dev = u
        .iter()
        .zip(&phi)
        .map(|(a, b)| (a - amp * b).abs())
        .fold(0.0, f64::max);
    let discrete = (1.0 + dt * lam).powi(-3 * steps as i32);
    (amp, dev, discrete)
}

#[test]
fn sine_mode_decay_orders() {
    let d = 1e-3;
    let t = 10.0;
    let exact = (-3.0 * PI * PI * d * t).exp();
    // exactness of the discrete mode on both code paths
    for two in [false, true] {
        let (amp, dev, discrete) = run_mode(8, t, 20, two);
        assert!(dev < 1e-13, "mode shape lost: {dev:e}");
        assert!(
            (amp - discrete).abs() < 1e-13 * discrete,
            "{amp} vs {discrete}"
        );
    }
    // spatial order with a small time step
    let errs: Vec<f64> = [8, 16, 32]
        .iter()
        .map(|&n| (run_mode(n, t, 1000, false).0 - exact).abs())
        .collect();
    assert!(errs[2] < 1e-3 * exact, "error at 32^3: {:e}", errs[2]);
    for w in errs.windows(2) {
        let order = (w[0] / w[1]).log2();
        assert!(
            (1.8..2.2).contains(&order),
            "spatial order {order} (errors {errs:?})"
        );
    }
    // temporal order against the semi-discrete solution exp(-3 lam t)
    let lam16 = sine_cube(16, d, false).3;
    let semi = (-3.0 * lam16 * t).exp();
    let terr: Vec<f64> = [5, 10, 20, 40]
        .iter()
        .map(|&steps| (run_mode(16, t, steps, false).0 - semi).abs())
        .collect();
    for w in terr.windows(2) {
        let order = (w[0] / w[1]).log2();
        assert!(
            (0.9..1.1).contains(&order),
            "temporal order {order} (errors {terr:?})"
        );
    }
}

/// Fourier series of the slab 0 < x < l with u(0) = u(l) = 1 and u(x, 0) = 0.
fn slab_exact(x: f64, l: f64, d: f64, t: f64) -> f64 {
    let mut u = 1.0;
    for m in (1..400).step_by(2) {
        let k = m as f64 * PI / l;
        u -= 4.0 / (m as f64 * PI) * (k * x).sin() * (-d * k * k * t).exp();
    }
    u
}

fn slab_error(n: usize, steps: usize) -> f64 {
    let (l, d, t) = (1.0, 1e-3, 50.0);
    let h = l / n as f64;
    let grid = Grid::new(
        GridKind::Cartesian3d,
        [n, 1, 1],
        [h, 0.5, 0.5],
        [0.0; 3],
        CEP,
    );
    let mut s = SoluteTransport::uniform("glucose", "mM", d);
    s.set_boundary(CEP, 0, h, 1.0, f64::INFINITY, 1.0);
    let mut fields = vec![vec![0.0; n]];
    let mut solver = LodSolver::new(&grid);
    for _ in 0..steps {
        solver.step(
            &grid,
            std::slice::from_ref(&s),
            &mut fields,
            t / steps as f64,
        );
    }
    (0..n)
        .map(|i| (fields[0][i] - slab_exact(grid.centre(0, i), l, d, t)).abs())
        .fold(0.0, f64::max)
}

#[test]
fn transient_slab_matches_fourier_series() {
    let e1 = slab_error(50, 200);
    let e2 = slab_error(100, 800);
    // measured 7.5e-4 and 1.9e-4: first order in dt with dt ~ h^2, i.e. second order in h
    assert!(e1 < 1.5e-3, "coarse error {e1:e}");
    assert!(e2 < 4e-4, "fine error {e2:e}");
    assert!(e2 < 0.35 * e1, "no convergence: {e1:e} -> {e2:e}");
}

fn axisym_mass(grid: &Grid, u: &[f64]) -> f64 {
    (0..grid.len())
        .filter(|&c| grid.labels[c] != VOID)
        .map(|c| u[c] * grid.volume(c))
        .sum()
}

#[test]
fn axisymmetric_no_flux_conserves_mass() {
    for tissue in [false, true] {
        let mut grid = Grid::new(
            GridKind::Axisymmetric,
            [30, 1, 12],
            [0.2, 1.0, 0.1],
            [0.0; 3],
            NP,
        );
        if tissue {
            for c in 0..grid.len() {
                let [i, _, k] = grid.ijk(c);
                grid.labels[c] = if k == 0 || k == 11 {
                    if i > 25 {
                        VOID
                    } else {
                        CEP
                    }
                } else if i < 15 {
                    NP
                } else {
                    AF
                };
            }
        }
        let mut s = SoluteTransport::uniform("lactate", "mM", 6.2e-4);
        s.d_by_label[AF as usize] = 5.0e-4;
        s.d_by_label[CEP as usize] = 3.4e-4;
        let mut fields = vec![(0..grid.len())
            .map(|c| {
                let [i, _, k] = grid.ijk(c);
                (-(grid.centre(0, i) - 1.0).powi(2) - (grid.centre(2, k) - 0.3).powi(2)).exp()
            })
            .collect::<Vec<f64>>()];
        let m0 = axisym_mass(&grid, &fields[0]);
        let u0 = fields[0].clone();
        let mut solver = LodSolver::new(&grid);
        assert_eq!(solver.is_uniform(), !tissue);
        for _ in 0..50 {
            solver.step(&grid, std::slice::from_ref(&s), &mut fields, 30.0);
        }
        let m1 = axisym_mass(&grid, &fields[0]);
        assert!((m1 - m0).abs() < 1e-12 * m0, "mass {m0} -> {m1}");
        assert!(max_diff(&fields[0], &u0) > 0.05, "nothing diffused");
    }
}

fn run_threads(
    threads: usize,
    grid: &Grid,
    solutes: &[SoluteTransport],
    fields: &mut [Vec<f64>],
    general: bool,
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let mut solver = LodSolver::new(grid);
        solver.force_general = general;
        for _ in 0..3 {
            solver.step(grid, solutes, fields, 15.0);
        }
    });
}

#[test]
fn identical_with_one_and_two_threads() {
    let mut tissue = Grid::new(GridKind::Cartesian3d, [37, 23, 29], [0.1; 3], [0.0; 3], NP);
    random_labels(&mut tissue, 11);
    let uniform = Grid::new(GridKind::Cartesian3d, [37, 23, 29], [0.1; 3], [0.0; 3], AF);
    for grid in [&tissue, &uniform] {
        let axes = grid.active_axes();
        let solutes = vec![
            tissue_solute(grid, axes),
            tissue_solute(grid, axes),
            tissue_solute(grid, axes),
        ];
        let f0: Vec<Vec<f64>> = (0..3)
            .map(|s| {
                init_field(grid)
                    .iter()
                    .map(|v| v * (s + 1) as f64)
                    .collect()
            })
            .collect();
        let mut a = f0.clone();
        let mut b = f0.clone();
        run_threads(1, grid, &solutes, &mut a, false);
        run_threads(2, grid, &solutes, &mut b, false);
        assert!(a == b, "results differ between 1 and 2 threads");
        assert!(max_diff(&a[0], &f0[0]) > 0.1);
    }
    // the uniform fast path gives the same numbers as the general path
    let solutes = vec![tissue_solute(&uniform, &[0, 1, 2])];
    let mut a = vec![init_field(&uniform)];
    let mut b = a.clone();
    run_threads(2, &uniform, &solutes, &mut a, false);
    run_threads(2, &uniform, &solutes, &mut b, true);
    assert!(
        max_diff(&a[0], &b[0]) == 0.0,
        "uniform and general paths differ"
    );
}

#[test]
fn validate_names_the_problem() {
    let grid = Grid::new(GridKind::Cartesian3d, [4, 3, 2], [0.1; 3], [0.0; 3], NP);
    let solver = LodSolver::new(&grid);
    let s = SoluteTransport::uniform("oxygen", "kPa", 1e-3);
    let e = solver
        .validate(&grid, std::slice::from_ref(&s), &[vec![0.0; 5]], 1.0)
        .unwrap_err();
    assert!(
        e.to_string().contains("oxygen") && e.to_string().contains("24"),
        "{e}"
    );
    let mut solver2 = LodSolver::new(&grid);
    let mut short = vec![vec![1.0; 23]];
    assert!(solver2
        .try_step(&grid, std::slice::from_ref(&s), &mut short, 1.0)
        .is_err());
    assert_eq!(short[0], vec![1.0; 23]);
    let e = solver
        .validate(&grid, std::slice::from_ref(&s), &[vec![0.0; 24]], f64::NAN)
        .unwrap_err();
    assert!(e.to_string().contains("dt"), "{e}");
    let other = Grid::new(GridKind::Cartesian3d, [4, 3, 3], [0.1; 3], [0.0; 3], NP);
    assert!(solver
        .validate(&other, std::slice::from_ref(&s), &[vec![0.0; 36]], 1.0)
        .is_err());
    let mut bad = grid.clone();
    bad.labels[5] = 9;
    let e = LodSolver::new(&bad)
        .validate(&bad, std::slice::from_ref(&s), &[vec![0.0; 24]], 1.0)
        .unwrap_err();
    assert!(e.to_string().contains("label 9"), "{e}");
}
