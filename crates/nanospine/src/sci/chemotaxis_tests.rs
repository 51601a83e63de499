//! Tests of the chemotaxis-diffusion operator: conservation, the exact discrete steady state,
//! convergence orders, pure diffusion against analytic modes, closed CSF/void faces, positivity
//! and input errors.

use super::*;
use crate::grid::{GridKind, CSF, VOID};
use crate::params::Provenance;
use std::f64::consts::PI;

fn params(d: f64, chi: f64) -> ChemotaxisParams {
    ChemotaxisParams {
        motility_mm2_s: d,
        sensitivity_mm2_s_per_pg_ml: chi,
        packing_density_cells_per_mm3: 5e5,
    }
}

/// A 1-D-like Cartesian grid of `n` grey-matter cells on [0, len] mm.
fn line(n: usize, len: f64) -> Grid {
    Grid::new(
        GridKind::Cartesian3d,
        [n, 1, 1],
        [len / n as f64, 1.0, 1.0],
        [0.0; 3],
        GREY,
    )
}

fn centres(g: &Grid) -> Vec<f64> {
    (0..g.n[0]).map(|i| g.centre(0, i)).collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Observed orders log2(e_k / e_{k+1}) for errors on grids refined by 2.
fn orders(err: &[f64]) -> Vec<f64> {
    err.windows(2).map(|w| (w[0] / w[1]).log2()).collect()
}

#[test]
fn bernoulli_function_identities() {
    assert_eq!(bernoulli(0.0), 1.0);
    for x in [1e-14, 1e-9, 1e-3, 0.5, 1.0, 7.0, 40.0] {
        // B(-x) - B(x) = x and B(-x) = e^x B(x)
        assert!(
            (bernoulli(-x) - bernoulli(x) - x).abs() < 1e-13 * (1.0 + x),
            "{x}"
        );
        assert!(rel(bernoulli(-x), x.exp() * bernoulli(x)) < 1e-13, "{x}");
    }
    // series near 0: 1 - x/2 + x^2/12
    let x = 1e-3;
    assert!((bernoulli(x) - (1.0 - x / 2.0 + x * x / 12.0)).abs() < 1e-13);
    // no overflow for huge arguments
    assert_eq!(bernoulli(1e6), 0.0);
    assert_eq!(bernoulli(-1e6), 1e6);
}

/// Conservation on a 3-D grid with grey/white/CSF/void cells and on an axisymmetric cord-like
/// grid, with the registry constants and a Gaussian CCL2 peak.
#[test]
fn conserves_cells_on_both_grid_kinds() {
    let p = ChemotaxisParams::builtin().unwrap();
    // Cartesian: a box of 14 x 12 x 10 cells of 0.05 mm
    let mut g = Grid::new(
        GridKind::Cartesian3d,
        [14, 12, 10],
        [0.05; 3],
        [0.0; 3],
        GREY,
    );
    let ctr = [0.35, 0.3, 0.25];
    for cell in 0..g.len() {
        let [i, j, k] = g.ijk(cell);
        let r2: f64 = (0..3)
            .map(|a| (g.centre(a, [i, j, k][a]) - ctr[a]).powi(2))
            .sum();
        g.labels[cell] = if i == 0 || j == 0 {
            VOID
        } else if r2 > 0.3f64.powi(2) {
            CSF
        } else if r2 > 0.15f64.powi(2) {
            WHITE
        } else {
            GREY
        };
    }
    // axisymmetric: grey r < 0.4, white r < 0.7, CSF beyond, 0.05 mm cells, 1.5 mm long
    let mut a = Grid::new(
        GridKind::Axisymmetric,
        [18, 1, 30],
        [0.05, 1.0, 0.05],
        [0.0; 3],
        GREY,
    );
    for cell in 0..a.len() {
        let r = a.centre(0, a.ijk(cell)[0]);
        a.labels[cell] = if r < 0.4 {
            GREY
        } else if r < 0.7 {
            WHITE
        } else {
            CSF
        };
    }
    for (grid, peak) in [(&g, [0.4, 0.35, 0.2]), (&a, [0.1, 0.5, 0.9])] {
        let op = Chemotaxis::new(grid, &p).unwrap();
        let axes = grid.active_axes();
        let c: Vec<f64> = (0..grid.len())
            .map(|cell| {
                let ijk = grid.ijk(cell);
                let r2: f64 = axes
                    .iter()
                    .map(|&ax| (grid.centre(ax, ijk[ax]) - peak[ax]).powi(2))
                    .sum();
                5000.0 * (-r2 / 0.2f64.powi(2)).exp()
            })
            .collect();
        let m0: Vec<f64> = (0..grid.len())
            .map(|cell| 1000.0 * (1.5 + (0.37 * cell as f64).sin()))
            .collect();
        let mut m = m0.clone();
        let total0 = op.total(&m);
        let mut substeps = 0;
        for _ in 0..48 {
            let s = op.step(&mut m, &c, 3600.0).unwrap();
            assert!(s.max_courant <= MAX_COURANT * (1.0 + 1e-12), "{s:?}");
            substeps += s.substeps;
        }
        assert!(substeps > 48, "{substeps}");
        let total = op.total(&m);
        assert!(rel(total, total0) < 1e-12, "{total} vs {total0}");
        assert!(m.iter().all(|&v| v >= 0.0 && v.is_finite()));
        // cells outside grey/white matter are untouched; inside, cells moved towards the peak
        let mut moved: f64 = 0.0;
        for cell in 0..grid.len() {
            if motile(grid.labels[cell]) {
                moved = moved.max((m[cell] - m0[cell]).abs() / m0[cell]);
            } else {
                assert_eq!(m[cell].to_bits(), m0[cell].to_bits());
            }
        }
        assert!(moved > 0.5, "{moved}");
        let weighted = |f: &[f64]| -> f64 {
            (0..grid.len())
                .filter(|&cell| motile(grid.labels[cell]))
                .map(|cell| f[cell] * c[cell] * grid.volume(cell))
                .sum::<f64>()
        };
        assert!(
            weighted(&m) > 1.5 * weighted(&m0),
            "cells did not move up the gradient"
        );
    }
}

/// Scharfetter-Gummel: `m ∝ exp(chi c / D)` is the exact discrete steady state.
#[test]
fn discrete_steady_state_is_exact() {
    let g = line(50, 1.0);
    let op = Chemotaxis::new(&g, &params(1e-3, 2e-3)).unwrap();
    let x = centres(&g);
    let c: Vec<f64> = x
        .iter()
        .map(|&x| 2.0 * x + 3.0 * (-(x - 0.6f64).powi(2) / 0.01).exp())
        .collect();
    let phi: Vec<f64> = c.iter().map(|c| 2.0 * c).collect(); // chi / D = 2 per pg/mL
    let m0: Vec<f64> = phi.iter().map(|p| 100.0 * p.exp()).collect();
    let mut m = m0.clone();
    let s = op.step(&mut m, &c, 2000.0).unwrap();
    assert!(s.substeps > 1000, "{s:?}");
    for (a, b) in m.iter().zip(&m0) {
        assert!(rel(*a, *b) < 1e-11, "{a} vs {b}");
    }
}

/// From a uniform start the density relaxes to the normalised Boltzmann profile; against the
/// analytic profile `M exp(phi(x)) / int exp(phi)` the error is the midpoint-rule error of the
/// normalisation, second order.
#[test]
fn relaxes_to_analytic_steady_state_second_order() {
    // D = 1 mm^2/s, chi = 0.4 mm^2/s per pg/mL, c = 10 x pg/mL: phi = 4 x on [0, 1] mm
    let (d, chi, grad) = (1.0, 0.4, 10.0);
    let k = chi * grad / d;
    let mut err = Vec::new();
    for n in [20, 40, 80] {
        let g = line(n, 1.0);
        let op = Chemotaxis::new(&g, &params(d, chi)).unwrap();
        let x = centres(&g);
        let c: Vec<f64> = x.iter().map(|x| grad * x).collect();
        let mut m = vec![50.0; n];
        let total = op.total(&m);
        // slowest mode decays at D (pi^2 + k^2/4) = 13.9 /s: 4 s is 55 e-folds
        op.step(&mut m, &c, 4.0).unwrap();
        assert!(rel(op.total(&m), total) < 1e-12);
        // exact discrete steady state, normalised on the grid
        let h = g.h[0];
        let z: f64 = x.iter().map(|x| (k * x).exp() * h).sum();
        let cross = 1.0; // cross-section (mm^2)
        for (mi, xi) in m.iter().zip(&x) {
            let discrete = total / cross * (k * xi).exp() / z;
            assert!(rel(*mi, discrete) < 1e-10, "n={n}: {mi} vs {discrete}");
        }
        // analytic profile
        let integral = (k.exp() - 1.0) / k;
        let e = m
            .iter()
            .zip(&x)
            .map(|(mi, xi)| rel(*mi, total / cross * (k * xi).exp() / integral))
            .fold(0.0, f64::max);
        err.push(e);
    }
    let ord = orders(&err);
    assert!(err[0] > 1e-4, "{err:?}");
    assert!(ord.iter().all(|&o| o >= 1.8), "{err:?} orders {ord:?}");
}

/// Transient: a smooth density drifting into a Gaussian CCL2 peak; errors against a fine
/// reference converge at second order.
#[test]
fn transient_converges_second_order() {
    let (d, chi) = (1.0, 0.06);
    let t_end = 0.02;
    let cfun = |x: f64| 50.0 * (-(x - 0.5f64).powi(2) / 0.02).exp();
    let run = |n: usize| -> Vec<f64> {
        let g = line(n, 1.0);
        let op = Chemotaxis::new(&g, &params(d, chi)).unwrap();
        let x = centres(&g);
        let c: Vec<f64> = x.iter().map(|&x| cfun(x)).collect();
        let mut m: Vec<f64> = x.iter().map(|&x| 1.0 + 0.5 * (PI * x).cos()).collect();
        let total = op.total(&m);
        op.step(&mut m, &c, t_end).unwrap();
        assert!(rel(op.total(&m), total) < 1e-12);
        m
    };
    let nf = 1536;
    let fine = run(nf);
    let mut err = Vec::new();
    for n in [48, 96, 192] {
        let m = run(n);
        let b = nf / n;
        let e = (0..n)
            .map(|i| {
                let avg = fine[i * b..(i + 1) * b].iter().sum::<f64>() / b as f64;
                (m[i] - avg).abs()
            })
            .fold(0.0, f64::max);
        err.push(e);
    }
    // the drift changed the solution substantially: compare with the initial profile
    let m32 = run(32);
    let x32 = centres(&line(32, 1.0));
    let change = m32
        .iter()
        .zip(&x32)
        .map(|(m, &x)| (m - (1.0 + 0.5 * (PI * x).cos())).abs())
        .fold(0.0, f64::max);
    assert!(change > 0.3, "{change}");
    let ord = orders(&err);
    assert!(ord.iter().all(|&o| o >= 1.8), "{err:?} orders {ord:?}");
}

/// chi = 0: a cosine mode on a line decays at D (pi/L)^2, second order in h.
#[test]
fn pure_diffusion_cosine_mode() {
    let d = 5e-7;
    let len = 1.0;
    let t = 1.0 / (d * (PI / len).powi(2)); // one e-fold
    let mut err = Vec::new();
    for n in [16, 32, 64] {
        let g = line(n, len);
        let op = Chemotaxis::new(&g, &params(d, 0.0)).unwrap();
        let x = centres(&g);
        let mut m: Vec<f64> = x.iter().map(|x| 1.0 + (PI * x / len).cos()).collect();
        let c: Vec<f64> = x.iter().map(|x| 1e4 * x).collect(); // ignored when chi = 0
        let s = op.step(&mut m, &c, t).unwrap();
        assert_eq!(s.max_peclet, 0.0);
        let amp = (-1.0f64).exp();
        let e = m
            .iter()
            .zip(&x)
            .map(|(mi, xi)| (mi - (1.0 + amp * (PI * xi / len).cos())).abs())
            .fold(0.0, f64::max);
        err.push(e);
    }
    let ord = orders(&err);
    assert!(err[0] < 1e-2, "{err:?}");
    assert!(ord.iter().all(|&o| o >= 1.9), "{err:?} orders {ord:?}");
}

/// Zeroth-order Bessel function J0 (power series; fine for |x| < 10).
fn bessel_j0(x: f64) -> f64 {
    let q = -(x * x) / 4.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..60 {
        term *= q / (k * k) as f64;
        sum += term;
    }
    sum
}

/// chi = 0 on the axisymmetric grid: the radial mode J0(j11 r / R) (zero flux at R) decays at
/// D j11^2 / R^2; checks the radial metric.
#[test]
fn pure_diffusion_bessel_mode_axisymmetric() {
    let j11 = 3.831_705_970_207_512;
    assert!(bessel_j0(0.0) == 1.0 && (bessel_j0(2.404_825_557_695_773)).abs() < 1e-12);
    let (d, r_out) = (1e-3, 1.0);
    let t = r_out * r_out / (d * j11 * j11);
    let mut err = Vec::new();
    for n in [16, 32, 64] {
        let g = Grid::new(
            GridKind::Axisymmetric,
            [n, 1, 3],
            [r_out / n as f64, 1.0, 0.1],
            [0.0; 3],
            WHITE,
        );
        let op = Chemotaxis::new(&g, &params(d, 0.0)).unwrap();
        let r = |cell: usize| g.centre(0, g.ijk(cell)[0]);
        let mut m: Vec<f64> = (0..g.len())
            .map(|c| 1.0 + bessel_j0(j11 * r(c) / r_out))
            .collect();
        let total = op.total(&m);
        op.step(&mut m, &vec![0.0; g.len()], t).unwrap();
        assert!(rel(op.total(&m), total) < 1e-12);
        let amp = (-1.0f64).exp();
        let e = (0..g.len())
            .map(|c| (m[c] - (1.0 + amp * bessel_j0(j11 * r(c) / r_out))).abs())
            .fold(0.0, f64::max);
        err.push(e);
    }
    let ord = orders(&err);
    assert!(err[0] < 2e-2, "{err:?}");
    assert!(ord.iter().all(|&o| o >= 1.8), "{err:?} orders {ord:?}");
}

/// Faces towards CSF, void and the box edge are closed, even against a gradient pointing out
/// of the tissue; an isolated tissue cell keeps its cells.
#[test]
fn no_flux_into_csf_or_void() {
    let mut g = line(10, 0.5);
    let labels = [GREY, GREY, WHITE, GREY, WHITE, WHITE, CSF, CSF, VOID, GREY];
    g.labels.copy_from_slice(&labels);
    let op = Chemotaxis::new(&g, &params(5e-7, 5e-8)).unwrap();
    assert_eq!(op.open_faces(), 5);
    // CCL2 rises towards the CSF and is highest outside the tissue
    let c: Vec<f64> = (0..10).map(|i| 200.0 * i as f64).collect();
    let m0 = vec![
        100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 123.0, 0.0, 7.0, 55.0,
    ];
    let mut m = m0.clone();
    let total = op.total(&m);
    op.step(&mut m, &c, 30.0 * 86_400.0).unwrap();
    assert!(rel(op.total(&m), total) < 1e-12);
    for i in 6..10 {
        assert_eq!(m[i].to_bits(), m0[i].to_bits(), "cell {i}");
    }
    // cells piled up against the CSF in the steady ratio exp(chi dc / D) = exp(20) per cell
    assert!(m[5] > 0.999 * 600.0, "{m:?}");
    let ratio = (5e-8 * 200.0 / 5e-7f64).exp();
    assert!(rel(m[5] / m[4], ratio) < 1e-6, "{} vs {ratio}", m[5] / m[4]);

    // axisymmetric: a grey core inside a CSF ring; no face opens into the CSF
    let mut a = Grid::new(
        GridKind::Axisymmetric,
        [6, 1, 4],
        [0.1, 1.0, 0.1],
        [0.0; 3],
        GREY,
    );
    for cell in 0..a.len() {
        if a.ijk(cell)[0] >= 4 {
            a.labels[cell] = CSF;
        }
    }
    let op = Chemotaxis::new(&a, &params(5e-7, 5e-8)).unwrap();
    // 3 radial faces x 4 rows + 4 columns x 3 axial faces
    assert_eq!(op.open_faces(), 3 * 4 + 4 * 3);
}

/// A CCL2 jump of 1e6 pg/mL across one face (face Peclet 1e5): no negative densities, no
/// overflow, cells swept across the jump, conservation.
#[test]
fn positive_under_a_steep_gradient() {
    let p = ChemotaxisParams::builtin().unwrap();
    let g = line(40, 1.0);
    let op = Chemotaxis::new(&g, &p).unwrap();
    let c: Vec<f64> = (0..40).map(|i| if i < 20 { 0.0 } else { 1e6 }).collect();
    let mut m: Vec<f64> = (0..40)
        .map(|i| match i {
            17..=19 => 1e4,
            5 | 30 => 300.0,
            _ => 0.0,
        })
        .collect();
    let total = op.total(&m);
    let s = op.step(&mut m, &c, 3600.0).unwrap();
    let peclet = p.sensitivity_mm2_s_per_pg_ml * 1e6 / p.motility_mm2_s;
    assert!(rel(s.max_peclet, peclet) < 1e-12, "{s:?}");
    assert!(s.max_courant <= MAX_COURANT * (1.0 + 1e-12));
    assert!(m.iter().all(|&v| v.is_finite() && v >= 0.0), "{m:?}");
    assert!(
        rel(op.total(&m), total) < 1e-12,
        "{} vs {total}, {s:?}",
        op.total(&m)
    );
    // the cell next to the jump is swept empty into the high side (its outflow, 80 /s, is
    // five orders faster than the diffusive supply from cell 18, 8e-4 /s), which never sends
    // cells back; more than half the low-side cells crossed within the hour
    assert!(m[19] < 1e-3 * m[18], "{m:?}");
    let low: f64 = m[..20].iter().sum();
    let high: f64 = m[20..].iter().sum();
    assert!(low < 0.5 * (3e4 + 300.0), "{low}");
    assert!(high > 300.0 + 0.5 * 3e4, "{high}");
}

#[test]
fn bad_inputs_give_named_errors() {
    let msg = |r: Result<(), Error>| r.unwrap_err().to_string();
    for d in [0.0, -1.0, f64::NAN, 2.0] {
        let e = msg(params(d, 1e-8).validate());
        assert!(
            e.contains("cord_chemotaxis.motility") && e.contains("allowed"),
            "{e}"
        );
        assert!(Chemotaxis::new(&line(3, 1.0), &params(d, 1e-8)).is_err());
    }
    let e = msg(params(1e-6, 2.0).validate());
    assert!(
        e.contains("cord_chemotaxis.sensitivity") && e.contains("= 2 "),
        "{e}"
    );
    for chi in [-1e-8, f64::INFINITY] {
        let e = msg(params(1e-6, chi).validate());
        assert!(
            e.contains("cord_chemotaxis.sensitivity") && e.contains("allowed"),
            "{e}"
        );
    }

    let mut g = line(5, 1.0);
    g.labels[4] = CSF;
    let op = Chemotaxis::new(&g, &params(1e-6, 1e-8)).unwrap();
    let c = vec![0.0; 5];
    let m0 = vec![1.0; 5];
    let run = |m: &[f64], c: &[f64], dt: f64| {
        let mut m = m.to_vec();
        let r = op
            .step(&mut m, c, dt)
            .map(|_| ())
            .map_err(|e| e.to_string());
        (m, r)
    };
    let cases: Vec<(Vec<f64>, Vec<f64>, f64, &str)> = vec![
        (
            vec![1.0; 4],
            c.clone(),
            1.0,
            "field 'm' has 4 values; the grid has 5",
        ),
        (m0.clone(), vec![0.0; 6], 1.0, "field 'c' has 6 values"),
        (m0.clone(), c.clone(), -1.0, "dt = -1 s"),
        (m0.clone(), c.clone(), f64::NAN, "dt = NaN s"),
        (m0.clone(), c.clone(), f64::INFINITY, "dt = inf s"),
        (
            vec![1.0, 1.0, f64::NAN, 1.0, 1.0],
            c.clone(),
            1.0,
            "m[2] = NaN",
        ),
        (vec![1.0, -2.0, 1.0, 1.0, 1.0], c.clone(), 1.0, "m[1] = -2"),
        (
            m0.clone(),
            vec![0.0, 0.0, 0.0, f64::INFINITY, 0.0],
            1.0,
            "c[3] = inf",
        ),
    ];
    for (m, c, dt, want) in cases {
        let (after, r) = run(&m, &c, dt);
        let e = r.unwrap_err();
        assert!(e.contains(want), "{e} (wanted '{want}')");
        // m is left as it was
        assert_eq!(
            after.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            m.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }
    // values outside grey/white matter are not read
    let (_, r) = run(
        &[1.0, 1.0, 1.0, 1.0, f64::NAN],
        &[0.0, 0.0, 0.0, 0.0, f64::NAN],
        1.0,
    );
    assert!(r.is_ok());
    // dt = 0 does nothing
    let mut m = vec![1.0, 2.0, 3.0, 4.0, 5.0];
    let s = op.step(&mut m, &[0.0, 1.0, 2.0, 3.0, 4.0], 0.0).unwrap();
    assert_eq!(s.substeps, 0);
    assert_eq!(m, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
}

#[test]
fn registry_entries_read_and_flagged() {
    let reg = Registry::builtin();
    for name in PARAMETER_NAMES {
        let q = reg.get(name).unwrap_or_else(|| panic!("missing {name}"));
        assert!(
            matches!(q.provenance, Provenance::Assumption(_)),
            "{name} should be an assumption"
        );
    }
    let registered = reg
        .iter()
        .filter(|q| q.name.starts_with("cord_chemotaxis."))
        .count();
    assert_eq!(registered, PARAMETER_NAMES.len());
    let p = ChemotaxisParams::from_registry(&reg).unwrap();
    assert_eq!(p, ChemotaxisParams::builtin().unwrap());
    assert!(rel(p.motility_mm2_s, 5e-7) < 1e-12, "{p:?}");
    // the stated reasoning: 1000 pg/mL over 1 mm drives cells at a few um/min
    let v_um_min = p.sensitivity_mm2_s_per_pg_ml * 1000.0 * 1000.0 * 60.0;
    assert!((1.0..=10.0).contains(&v_um_min), "{v_um_min} um/min");
    // overrides with units reach the operator
    let mut r = reg.clone();
    r.set("cord_chemotaxis.motility", "1e-8 cm^2/s").unwrap();
    r.set("cord_chemotaxis.sensitivity", "2e-8 mm^2*mL/(s*pg)")
        .unwrap();
    let q = ChemotaxisParams::from_registry(&r).unwrap();
    assert!(rel(q.motility_mm2_s, 1e-6) < 1e-12, "{q:?}");
    assert!(rel(q.sensitivity_mm2_s_per_pg_ml, 2e-8) < 1e-12, "{q:?}");
}

/// Volume filling with room to spare: `step_crowded` with a packing density far above every
/// density (and no background) is the plain step, up to the time error of its larger sub-step
/// count (its Courant bound allows for any free fraction).
#[test]
fn crowded_step_far_below_packing_is_the_plain_step() {
    let g = line(40, 1.0);
    let mut p = params(1e-3, 2e-4);
    p.packing_density_cells_per_mm3 = 1e9;
    let op = Chemotaxis::new(&g, &p).unwrap();
    let x = centres(&g);
    let c: Vec<f64> = x
        .iter()
        .map(|&x| 50.0 * (-(x - 0.5f64).powi(2) / 0.02).exp())
        .collect();
    let m0: Vec<f64> = x.iter().map(|&x| 1.0 + 0.5 * (PI * x).cos()).collect();
    let (mut a, mut b) = (m0.clone(), m0.clone());
    op.step(&mut a, &c, 50.0).unwrap();
    op.step_crowded(&mut b, &c, &vec![0.0; 40], 50.0).unwrap();
    let change = a
        .iter()
        .zip(&m0)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(change > 0.1, "{change}");
    for (a, b) in a.iter().zip(&b) {
        assert!(rel(*b, *a) < 1e-4, "{a} vs {b}");
    }
}

/// A chemokine peak gathers the cells: without volume filling the peak density grows without
/// bound (here past 3 times the packing density); with it the density stops at the packing density
/// (less the background), cells are conserved and stay non-negative.
#[test]
fn volume_filling_caps_the_density_and_conserves_cells() {
    let g = line(50, 1.0);
    let cap = 10.0;
    let mut p = params(1e-3, 1e-3);
    p.packing_density_cells_per_mm3 = cap;
    let op = Chemotaxis::new(&g, &p).unwrap();
    let x = centres(&g);
    let c: Vec<f64> = x
        .iter()
        .map(|&x| 20.0 * (-(x - 0.5f64).powi(2) / 0.01).exp())
        .collect();
    let max = |m: &[f64]| m.iter().copied().fold(0.0, f64::max);
    let mut free = vec![2.0; 50];
    op.step(&mut free, &c, 2000.0).unwrap();
    assert!(max(&free) > 3.0 * cap, "{}", max(&free));
    for bg in [0.0, 0.5 * cap] {
        let mut m = vec![2.0; 50];
        let total = op.total(&m);
        let s = op.step_crowded(&mut m, &c, &vec![bg; 50], 2000.0).unwrap();
        assert!(s.substeps > 100, "{s:?}");
        assert!(rel(op.total(&m), total) < 1e-12);
        assert!(m.iter().all(|&v| v >= 0.0));
        let room = cap - bg;
        // the peak cells fill up to the free room, not beyond it
        assert!(max(&m) <= room * (1.0 + 1e-6), "bg {bg}: {}", max(&m));
        assert!(max(&m) > 0.99 * room, "bg {bg}: {}", max(&m));
    }
}

/// Volume-filling steady state in a linear potential `phi = k x` (k = chi grad / D): the
/// continuum profile is Fermi-Dirac, `m = rho / (1 + A e^(-k x))` with `A` set by the number of
/// cells. The face drift takes the free fraction of the downstream cell (exclusion-process
/// upwinding), first order: measured order >= 0.9 against the analytic profile.
#[test]
fn volume_filling_relaxes_to_fermi_dirac_first_order() {
    let (d, chi, grad, rho, mean): (f64, f64, f64, f64, f64) = (1.0, 0.4, 10.0, 1.0, 0.5);
    let k = chi * grad / d;
    // A from int_0^1 rho / (1 + A e^(-k x)) dx = mean: the integral is
    // (rho / k) ln((e^k + A) / (1 + A)); solve by bisection on ln A
    let integral = |a: f64| rho / k * ((k.exp() + a) / (1.0 + a)).ln();
    let (mut lo, mut hi) = (-30.0f64, 30.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if integral(mid.exp()) > mean {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let a = (0.5 * (lo + hi)).exp();
    let mut err = Vec::new();
    for n in [20, 40, 80] {
        let g = line(n, 1.0);
        let mut p = params(d, chi);
        p.packing_density_cells_per_mm3 = rho;
        let op = Chemotaxis::new(&g, &p).unwrap();
        let x = centres(&g);
        let c: Vec<f64> = x.iter().map(|x| grad * x).collect();
        let mut m = vec![mean; n];
        let total = op.total(&m);
        op.step_crowded(&mut m, &c, &vec![0.0; n], 8.0).unwrap();
        assert!(rel(op.total(&m), total) < 1e-12);
        // steady: one more second changes nothing
        let before = m.clone();
        op.step_crowded(&mut m, &c, &vec![0.0; n], 1.0).unwrap();
        for (u, v) in m.iter().zip(&before) {
            assert!((u - v).abs() < 1e-10, "n={n}: not steady");
        }
        let e = m
            .iter()
            .zip(&x)
            .map(|(mi, xi)| (mi - rho / (1.0 + a * (-k * xi).exp())).abs())
            .fold(0.0, f64::max);
        err.push(e);
    }
    let ord = orders(&err);
    eprintln!("Fermi-Dirac steady state: max errors {err:?}, orders {ord:?}");
    assert!(err[0] > 1e-3, "{err:?}");
    assert!(ord.iter().all(|&o| o >= 0.9), "{err:?} orders {ord:?}");
}

#[test]
fn crowded_step_rejects_a_bad_background() {
    let g = line(5, 1.0);
    let op = Chemotaxis::new(&g, &params(1e-3, 1e-4)).unwrap();
    let c = [0.0, 1.0, 2.0, 3.0, 4.0];
    let mut m = vec![1.0; 5];
    let e = op.step_crowded(&mut m, &c, &[0.0; 4], 1.0).unwrap_err();
    assert!(e.to_string().contains("'background' has 4 values"), "{e}");
    let e = op
        .step_crowded(&mut m, &c, &[0.0, -1.0, 0.0, 0.0, 0.0], 1.0)
        .unwrap_err();
    assert!(e.to_string().contains("background[1] = -1"), "{e}");
    assert_eq!(m, vec![1.0; 5]);
    let mut p = params(1e-3, 1e-4);
    p.packing_density_cells_per_mm3 = 0.0;
    let e = Chemotaxis::new(&g, &p).unwrap_err();
    assert!(
        e.to_string()
            .contains("cord_chemotaxis.packing_density = 0"),
        "{e}"
    );
}
