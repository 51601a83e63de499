//! Tests of the cord transport coefficients: values per label against hand computation, the
//! immobility of particles as wide as the ECS, an axial diffusion mode on the cord grid with its
//! convergence orders, the amount balance with CSF turnover and continued ends, the CSF
//! half-life, the semi-infinite-cord flux of continued ends, and the errors.

use super::*;
use crate::anatomy::cord::{build_cord_grid, CordGeometry};
use crate::grid::{GridKind, VOID};
use std::f64::consts::PI;

fn reg() -> Registry {
    Registry::builtin()
}

fn params(preset: &str) -> CordTransportParams {
    CordTransportParams::from_registry(&reg(), preset).unwrap()
}

/// Mouse cord grid (axisymmetric) at `spacing` mm.
fn mouse_grid(spacing: f64) -> Grid {
    let g = CordGeometry::from_registry(&reg(), "mouse_thoracic").unwrap();
    build_cord_grid(&g, GridKind::Axisymmetric, spacing)
        .unwrap()
        .0
}

/// A 1-D column of `n` cubic cells of size `h` (mm) along z, all labelled `label`.
fn column(n: usize, h: f64, label: Label) -> Grid {
    Grid::new(GridKind::Cartesian3d, [1, 1, n], [h; 3], [0.0; 3], label)
}

/// Hand evaluation of the Dechadilok-Deen slit hindrance at l in (0, 1).
fn h_hand(l: f64) -> f64 {
    1.0 + 9.0 / 16.0 * l * l.ln() - 1.19358 * l + 0.4285 * l * l * l - 0.3192 * l * l * l * l
        + 0.08428 * l * l * l * l * l
}

#[test]
fn registry_values_are_read_per_preset() {
    let p = params("rat_thoracic");
    assert_eq!(p.tortuosity_grey, 1.6);
    assert_eq!(p.tortuosity_white_axial, 1.45);
    assert_eq!(p.tortuosity_white_transverse, 1.8);
    assert_eq!(p.volume_fraction, 0.2);
    assert_eq!(p.ecs_width_nm, 40.0);
    // 0.5 per hour
    assert!((p.csf_turnover_per_s - 0.5 / 3600.0).abs() < 1e-15);
    assert!((params("mouse_thoracic").csf_turnover_per_s - 0.5 / 3600.0).abs() < 1e-15);
    assert!((params("human_cervical").csf_turnover_per_s - 0.17 / 3600.0).abs() < 1e-15);
    // CCL2: 1.2 x 0.066 x 8700^(1/3) nm = 1.629 nm
    let r = reg().value_in("solute.stokes_radius.ccl2", "nm").unwrap();
    assert!((r - 1.2 * 0.066 * 8700f64.cbrt()).abs() < 0.005, "{r}");
}

#[test]
fn coefficients_per_label_match_hand_computation() {
    let p = params("rat_thoracic");
    // isotropic white tortuosity: 1/sqrt((1/1.45^2 + 2/1.8^2)/3) = 1.65679
    assert!((p.white_tortuosity() - 1.65679).abs() < 1e-5);
    // TNF: Stokes-Einstein at 37 C in water of 0.691 mPa s, r = 2.96 nm
    let r = 2.96;
    let free = 1.380649e-23 * 310.15 / (6.0 * PI * 0.691e-3 * r * 1e-9) * 1e6;
    let se = free_diffusivity_mm2_s(&reg(), r).unwrap();
    assert!((se / free - 1.0).abs() < 1e-12, "{se} vs {free}");
    assert!((free - 1.1107e-4).abs() < 1e-7, "{free}");
    // l = 2.96 / 20 = 0.148, H = 0.66554
    let h = h_hand(0.148);
    assert!((h - 0.66554).abs() < 1e-5, "{h}");
    let grey = ecs_diffusivity(free, r, GREY, &p);
    let white = ecs_diffusivity(free, r, WHITE, &p);
    assert!((grey - free * h / 2.56).abs() < 1e-15 * free);
    assert!((white - free * h / 1.65679f64.powi(2)).abs() < 1e-5 * white);
    assert_eq!(ecs_diffusivity(free, r, CSF, &p), free);
    assert_eq!(ecs_diffusivity(free, r, VOID, &p), 0.0);
    assert_eq!(ecs_diffusivity(free, r, crate::grid::NP, &p), 0.0);
    // point solute: H = 1, D* = D / lambda^2 (two fifths of free in grey: 0.39)
    assert!((ecs_diffusivity(1.7e-3, 0.0, GREY, &p) - 1.7e-3 / 2.56).abs() < 1e-18);
    // the transport description carries the same values and no-flux faces
    let t = solute_transport(
        &mouse_grid(0.08),
        &p,
        "tnf",
        "pg/mL",
        free,
        r,
        AxialEnds::NoFlux,
    );
    assert_eq!(t.d_by_label[GREY as usize], grey);
    assert_eq!(t.d_by_label[WHITE as usize], white);
    assert_eq!(t.d_by_label[CSF as usize], free);
    assert!(t.bc.iter().flatten().all(|f| f.beta == 0.0));
}

#[test]
fn hindrance_limits_and_shape() {
    assert_eq!(slit_hindrance(0.0), 1.0);
    assert_eq!(slit_hindrance(1.0), 0.0);
    assert_eq!(slit_hindrance(3.0), 0.0);
    assert!(slit_hindrance(f64::NAN).is_nan());
    // hand value at l = 0.5: 1 - 0.194947 - 0.59679 + 0.053563 - 0.01995 + 0.002634 = 0.244509
    assert!((slit_hindrance(0.5) - 0.244509).abs() < 1e-6);
    // the polynomial closes at l = 1 (coefficients sum to zero) and decreases monotonically
    assert!(h_hand(1.0 - 1e-12).abs() < 1e-9);
    let mut prev = 1.0;
    for i in 1..1000 {
        let l = i as f64 / 1000.0;
        let h = slit_hindrance(l);
        assert!((h - h_hand(l)).abs() < 1e-15);
        assert!(h < prev && h > 0.0, "l = {l}: {h}");
        prev = h;
    }
    // the ECS hindrance uses the half-width
    assert_eq!(ecs_hindrance(10.0, 40.0), slit_hindrance(0.5));
}

#[test]
fn particles_as_wide_as_the_ecs_are_immobile_in_tissue() {
    let p = params("mouse_thoracic");
    let free = 4e-6; // a 40 nm particle diffuses at about 8e-6 mm^2/s in water
    for r in [20.0, 25.0, 50.0] {
        assert_eq!(ecs_diffusivity(free, r, GREY, &p), 0.0, "r = {r}");
        assert_eq!(ecs_diffusivity(free, r, WHITE, &p), 0.0, "r = {r}");
        assert_eq!(ecs_diffusivity(free, r, CSF, &p), free, "r = {r}");
    }
    assert!(ecs_diffusivity(free, 19.9, GREY, &p) > 0.0);
    // on the grid: what starts in the parenchyma stays there; the CSF part spreads in the CSF
    let grid = mouse_grid(0.08);
    let op = agent_operator(&grid, &p, "np40", free, 20.0, AxialEnds::NoFlux);
    let n = grid.len();
    let mut w: Vec<f64> = (0..n)
        .map(|c| {
            let k = grid.ijk(c)[2];
            if k == grid.n[2] / 2 {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let tissue = |w: &[f64]| -> f64 {
        (0..n)
            .filter(|&c| matches!(grid.labels[c], GREY | WHITE))
            .map(|c| w[c] * grid.volume(c))
            .sum()
    };
    let before = tissue(&w);
    let zero = vec![0.0; n];
    for _ in 0..5 {
        op.step(&mut w, 3600.0, &zero, &[]).unwrap();
    }
    assert_eq!(tissue(&w), before);
    // the CSF part has spread along the CSF to the next slice
    let next = grid.n[2] / 2 + 1;
    assert!((0..n).any(|c| grid.labels[c] == CSF && grid.ijk(c)[2] == next && w[c] > 1e-6));
}

/// The cell-centred cosine mode along z of the cord grid, uniform across the section.
fn cos_mode(grid: &Grid) -> Vec<f64> {
    let len = grid.n[2] as f64 * grid.h[2];
    (0..grid.len())
        .map(|c| {
            let z = grid.centre(2, grid.ijk(c)[2]) - grid.origin[2];
            if grid.labels[c] == VOID {
                0.0
            } else {
                (PI * z / len).cos()
            }
        })
        .collect()
}

/// Mouse cord grid at `spacing` with every cord cell relabelled white matter.
fn uniform_white(spacing: f64) -> Grid {
    let mut g = mouse_grid(spacing);
    for l in g.labels.iter_mut() {
        if *l != VOID {
            *l = WHITE;
        }
    }
    g
}

#[test]
fn axial_mode_decays_at_the_analytic_rate_with_second_order_in_space() {
    let p = params("mouse_thoracic");
    let free = 1e-3;
    let d = free / p.white_tortuosity().powi(2);
    let mut errs = Vec::new();
    for spacing in [0.08, 0.04] {
        let grid = uniform_white(spacing);
        let len = grid.n[2] as f64 * grid.h[2];
        assert!((len - 6.0).abs() < 1e-12);
        let op = agent_operator(&grid, &p, "x", free, 0.0, AxialEnds::NoFlux);
        let mut w = cos_mode(&grid);
        let w0 = w.clone();
        let dt = 100.0;
        let zero = vec![0.0; grid.len()];
        let f = op.step(&mut w, dt, &zero, &[]).unwrap();
        assert_eq!(f.cleared, 0.0);
        // the mode is an eigenvector: every cell decays by the same factor
        let c0 = grid.idx(0, 0, 0);
        let ratio = w[c0] / w0[c0];
        for c in 0..grid.len() {
            if w0[c].abs() > 0.1 {
                assert!((w[c] / w0[c] - ratio).abs() < 1e-9, "cell {c}");
            }
        }
        let mu_h = (1.0 / ratio - 1.0) / dt;
        // discrete eigenvalue (4D/h^2) sin^2(pi h / 2L)
        let h = grid.h[2];
        let mu_disc = 4.0 * d / (h * h) * (PI * h / (2.0 * len)).sin().powi(2);
        assert!((mu_h / mu_disc - 1.0).abs() < 1e-9, "{mu_h} vs {mu_disc}");
        let mu = d * PI * PI / (len * len);
        errs.push((mu_h - mu).abs() / mu);
    }
    let order = (errs[0] / errs[1]).log2();
    assert!((order - 2.0).abs() < 0.05, "space order {order} ({errs:?})");
    assert!(errs[1] < 5e-5, "{errs:?}");
}

/// Errors at the axis of the slowest axial mode of a uniform white-matter cord after 4000 s in
/// `steps` equal steps of backward Euler or TR-BDF2, against the exact decay of the discrete mode.
fn axial_mode_time_errors(step_counts: &[usize], trbdf2: bool) -> Vec<f64> {
    let p = params("mouse_thoracic");
    let free = 1e-3;
    let d = free / p.white_tortuosity().powi(2);
    let grid = uniform_white(0.08);
    let len = grid.n[2] as f64 * grid.h[2];
    let h = grid.h[2];
    let mu_disc = 4.0 * d / (h * h) * (PI * h / (2.0 * len)).sin().powi(2);
    let op = agent_operator(&grid, &p, "x", free, 0.0, AxialEnds::NoFlux);
    let t_end = 4000.0;
    let exact = (-mu_disc * t_end).exp();
    let c0 = grid.idx(0, 0, 0);
    let zero = vec![0.0; grid.len()];
    let mut errs = Vec::new();
    for &steps in step_counts {
        let mut w = cos_mode(&grid);
        let a0 = w[c0];
        for _ in 0..steps {
            let dt = t_end / steps as f64;
            let f = if trbdf2 {
                op.step_trbdf2(&mut w, dt, &zero, &[]).unwrap()
            } else {
                op.step(&mut w, dt, &zero, &[]).unwrap()
            };
            assert_eq!(f.cleared, 0.0);
        }
        errs.push((w[c0] / a0 - exact).abs());
    }
    errs
}

#[test]
fn axial_mode_backward_euler_is_first_order_in_time() {
    let errs = axial_mode_time_errors(&[4, 8, 16, 32], false);
    for i in 0..3 {
        let order = (errs[i] / errs[i + 1]).log2();
        assert!((order - 1.0).abs() < 0.1, "time order {order} ({errs:?})");
    }
}

#[test]
fn axial_mode_trbdf2_is_second_order_in_time() {
    let errs = axial_mode_time_errors(&[2, 4, 8, 16], true);
    for i in 0..3 {
        let order = (errs[i] / errs[i + 1]).log2();
        assert!((order - 2.0).abs() < 0.1, "time order {order} ({errs:?})");
    }
}

#[test]
fn amount_balance_with_csf_turnover_and_continued_ends() {
    let reg = reg();
    let grid = mouse_grid(0.08);
    let p = params("mouse_thoracic");
    let n = grid.len();
    let loss = csf_loss_per_s(&grid, &p);
    for ends in [
        AxialEnds::NoFlux,
        AxialEnds::Continuation {
            far_loss_per_s: 1e-4,
        },
    ] {
        let ops = cytokine_operators(&reg, &grid, "mouse_thoracic", ends).unwrap();
        assert_eq!(ops.len(), 5);
        for (op, trbdf2) in ops.iter().flat_map(|op| [(op, false), (op, true)]) {
            let mut w: Vec<f64> = (0..n)
                .map(|c| 1.0 + 0.5 * (c % 7) as f64 * (grid.labels[c] != VOID) as u8 as f64)
                .collect();
            // a source in a few tissue cells
            let source: Vec<f64> = (0..n)
                .map(|c| {
                    if c % 11 == 0 && grid.labels[c] == GREY {
                        0.01
                    } else {
                        0.0
                    }
                })
                .collect();
            let start = op.amount(&w);
            let (mut consumed, mut cleared, mut produced) = (0.0, 0.0, 0.0);
            for _ in 0..6 {
                let f = if trbdf2 {
                    op.step_trbdf2(&mut w, 900.0, &loss, &source).unwrap()
                } else {
                    op.step(&mut w, 900.0, &loss, &source).unwrap()
                };
                consumed += f.consumed;
                cleared += f.cleared;
                produced += f.produced;
            }
            let end = op.amount(&w);
            let balance = start + produced - consumed - cleared - end;
            assert!(
                balance.abs() < 1e-10 * start,
                "{} {ends:?} (TR-BDF2 {trbdf2}): balance {balance:e} of {start}",
                op.name
            );
            assert!(
                consumed > 1e-3 * start,
                "{}: CSF turnover consumed {consumed}",
                op.name
            );
            assert!(produced > 0.0);
            match ends {
                AxialEnds::NoFlux => assert_eq!(cleared, 0.0),
                AxialEnds::Continuation { .. } => {
                    assert!(cleared > 1e-4 * start, "{}: cleared {cleared}", op.name)
                }
            }
        }
    }
}

#[test]
fn csf_turnover_half_life_matches_the_registry() {
    // production / volume: mouse 0.020 mL/h / 0.04 mL, rat 0.5 per hour, human 0.17 per hour
    for (preset, per_h) in [
        ("mouse_thoracic", 0.020 / 0.04),
        ("rat_thoracic", 0.5),
        ("human_cervical", 0.17),
    ] {
        let p = params(preset);
        let half = std::f64::consts::LN_2 / per_h * 3600.0;
        assert!((p.csf_half_life_s() / half - 1.0).abs() < 1e-12, "{preset}");
        // the loss sits in the CSF cells only
        let grid = mouse_grid(0.08);
        let loss = csf_loss_per_s(&grid, &p);
        for c in 0..grid.len() {
            let want = if grid.labels[c] == CSF {
                per_h / 3600.0
            } else {
                0.0
            };
            assert!((loss[c] - want).abs() < 1e-15, "{preset} cell {c}");
        }
        // well-mixed CSF column: the amount halves at ln 2 / k (backward Euler, small steps)
        let col = column(4, 0.1, CSF);
        let op = agent_operator(&col, &p, "x", 1e-3, 0.0, AxialEnds::NoFlux);
        let loss = csf_loss_per_s(&col, &p);
        let mut w = vec![2.0; 4];
        let a0 = op.amount(&w);
        let dt = half / 2000.0;
        let mut t = 0.0;
        while op.amount(&w) > 0.5 * a0 {
            op.step(&mut w, dt, &loss, &[]).unwrap();
            t += dt;
        }
        assert!((t / half - 1.0).abs() < 2e-3, "{preset}: {t} s vs {half} s");
    }
    // the mouse value is 1.386 h
    assert!((params("mouse_thoracic").csf_half_life_s() / 3600.0 - 1.3863).abs() < 1e-4);
}

/// Steady outflow through both ends of a 1-D grey column of length 6 mm and `n` cells with a
/// point source `q` in the middle cell and first-order loss `k` everywhere, as a fraction of
/// `q`.
fn continued_outflow_fraction(n: usize, k: f64, ends: AxialEnds) -> f64 {
    let p = params("rat_thoracic");
    let h = 6.0 / n as f64;
    let grid = column(n, h, GREY);
    let op = agent_operator(&grid, &p, "x", 1e-3, 0.0, ends);
    let q = 1.0; // amount/s
    let mut source = vec![0.0; n];
    source[n / 2] = q / grid.volume(n / 2);
    let loss = vec![k; n];
    let mut w = vec![0.0; n];
    // one backward-Euler step of 1e13 s from zero is the steady state to ~1e-9
    let dt = 1e13;
    let f = op.step(&mut w, dt, &loss, &source).unwrap();
    assert!((f.produced / dt - q).abs() < 1e-12);
    f.cleared / dt / q
}

#[test]
fn continued_ends_take_the_flux_of_a_semi_infinite_cord() {
    let p = params("rat_thoracic");
    let d: f64 = 1e-3 / 2.56;
    let k: f64 = 1e-4;
    let ell = (d / k).sqrt();
    // infinite cord with a point source: the flux crossing z = +-L/2 is q exp(-L/(2 ell))
    let exact = (-3.0 / ell).exp();
    assert!(exact > 0.1 && exact < 0.4);
    let mut errs = Vec::new();
    for n in [31, 61, 121] {
        let got = continued_outflow_fraction(n, k, AxialEnds::Continuation { far_loss_per_s: k });
        errs.push((got / exact - 1.0).abs());
    }
    assert!(errs[2] < 1e-5, "{errs:?}");
    for i in 0..2 {
        let order = (errs[i] / errs[i + 1]).log2();
        assert!(order > 1.8, "order {order} ({errs:?})");
    }
    // a closed segment clears nothing: the source is consumed in it
    assert_eq!(continued_outflow_fraction(61, k, AxialEnds::NoFlux), 0.0);
    // the end conductance of one cell: 1/(h/(2D) + sqrt(D/k)/D)
    let h = 0.1;
    let t = solute_transport(
        &column(60, h, GREY),
        &p,
        "x",
        "-",
        1e-3,
        0.0,
        AxialEnds::Continuation { far_loss_per_s: k },
    );
    let beta = 1.0 / (h / (2.0 * d) + 1.0 / (d * k).sqrt());
    assert!((t.bc[GREY as usize][2].beta / beta - 1.0).abs() < 1e-12);
    assert_eq!(t.bc[GREY as usize][2].value, 0.0);
    assert_eq!(t.bc[GREY as usize][0].beta, 0.0);
    // the CSF continuation also loses the solute to CSF turnover
    let dc = 1e-3;
    let kc = k + p.csf_turnover_per_s;
    let beta_c = 1.0 / (h / (2.0 * dc) + 1.0 / (dc * kc).sqrt());
    assert!((t.bc[CSF as usize][2].beta / beta_c - 1.0).abs() < 1e-12);
}

#[test]
fn unknown_preset_and_invalid_inputs_are_errors() {
    let reg = reg();
    let e = CordTransportParams::from_registry(&reg, "dog_lumbar").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("dog_lumbar") && msg.contains("rat_thoracic"),
        "{msg}"
    );
    let grid = mouse_grid(0.08);
    assert!(cytokine_operators(&reg, &grid, "dog_lumbar", AxialEnds::NoFlux).is_err());
    let bad = AxialEnds::Continuation {
        far_loss_per_s: -1.0,
    };
    let msg = cytokine_operators(&reg, &grid, "rat_thoracic", bad)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("far_loss_per_s"), "{msg}");
    assert!(AxialEnds::Continuation {
        far_loss_per_s: f64::NAN
    }
    .validate()
    .is_err());
    assert!(AxialEnds::default().validate().is_ok());
    assert_eq!(AxialEnds::default(), AxialEnds::NoFlux);
    let mut p = params("rat_thoracic");
    p.tortuosity_grey = 0.9;
    assert!(p
        .validate()
        .unwrap_err()
        .to_string()
        .contains("tortuosity.grey"));
    let mut p = params("rat_thoracic");
    p.ecs_width_nm = 0.0;
    assert!(p.validate().unwrap_err().to_string().contains("ecs_width"));
    let mut p = params("rat_thoracic");
    p.volume_fraction = 1.0;
    assert!(p.validate().is_err());
    let mut p = params("rat_thoracic");
    p.csf_turnover_per_s = -1.0;
    assert!(p
        .validate()
        .unwrap_err()
        .to_string()
        .contains("rat_thoracic"));
    assert!(validate_solute("tnf", -1.0, 1.0)
        .unwrap_err()
        .to_string()
        .contains("tnf"));
    assert!(validate_solute("tnf", 1e-4, f64::NAN).is_err());
    assert!(validate_solute("h2o2", 1e-3, 0.0).is_ok());
    assert!(free_diffusivity_mm2_s(&reg, 0.0).is_err());
    // a registry override out of bounds is refused by the registry itself
    let mut r2 = reg.clone();
    assert!(r2.set("cord_transport.tortuosity.grey", "0.5").is_err());
}

#[test]
fn cytokine_operators_follow_the_cord_solute_order() {
    let reg = reg();
    let grid = mouse_grid(0.08);
    let ops = cytokine_operators(&reg, &grid, "mouse_thoracic", AxialEnds::NoFlux).unwrap();
    let names: Vec<&str> = ops.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, SOLUTES.to_vec());
    let map = crate::sci::process::CordSoluteMap::after(0);
    assert_eq!(
        [map.ros, map.tnf, map.il1b, map.il10, map.ccl2],
        [0, 1, 2, 3, 4]
    );
    // the smaller the protein, the faster it spreads: CCL2 (1.63 nm) > IL-1b (2.05) > IL-10
    // (2.64) > TNF (2.96), and H2O2 fastest; compare the spread of a unit pulse
    let n = grid.len();
    let mid = grid.n[2] / 2;
    let pulse: Vec<f64> = (0..n)
        .map(|c| (grid.ijk(c)[2] == mid && grid.labels[c] != VOID) as u8 as f64)
        .collect();
    let zero = vec![0.0; n];
    let left_at_mid = |op: &LinearSpecies| -> f64 {
        let mut w = pulse.clone();
        op.step(&mut w, 600.0, &zero, &[]).unwrap();
        let c = grid.idx(0, 0, mid);
        w[c]
    };
    let m: Vec<f64> = ops.iter().map(left_at_mid).collect();
    // order of SOLUTES: h2o2, tnf, il1b, il10, ccl2
    assert!(
        m[0] < m[4] && m[4] < m[2] && m[2] < m[3] && m[3] < m[1],
        "{m:?}"
    );
}
