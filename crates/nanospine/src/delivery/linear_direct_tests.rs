//! Tests of the cached direct solves of [`LinearSpecies`]: the same steps as conjugate gradients
//! alone (to far below the transport's accuracy), the amount balance kept, one factorisation per
//! `(h, loss)` pair reused, the cache emptied when the faces change, and the fall-back to
//! conjugate gradients on a grid above [`DIRECT_MAX_CELLS`].

use super::super::LinearSpecies;
use super::DIRECT_MAX_CELLS;
use crate::grid::{Grid, GridKind, GREY, MAX_LABELS, WHITE};
use crate::params::Registry;
use crate::sci::transport::{agent_operator, solute_transport, AxialEnds, CordTransportParams};

fn params() -> CordTransportParams {
    CordTransportParams::from_registry(&Registry::builtin(), "mouse_thoracic").unwrap()
}

/// A 2-D slab of grey matter with a white-matter band (two diffusivities), `nx x nz` cells of
/// 0.05 mm.
fn slab(nx: usize, nz: usize) -> Grid {
    let mut g = Grid::new(
        GridKind::Cartesian3d,
        [nx, 1, nz],
        [0.05; 3],
        [0.0; 3],
        GREY,
    );
    for k in 0..nz {
        for i in nx / 2..nx {
            let c = g.idx(i, 0, k);
            g.labels[c] = WHITE;
        }
    }
    g
}

fn ends() -> AxialEnds {
    AxialEnds::Continuation {
        far_loss_per_s: 1e-4,
    }
}

/// A rough start field with a spike, and a loss that differs between cells (1/s).
fn start(n: usize) -> (Vec<f64>, Vec<f64>) {
    let w = (0..n)
        .map(|c| 1.0 + ((c * 37) % 11) as f64 + if c == n / 3 { 500.0 } else { 0.0 })
        .collect();
    let loss = (0..n).map(|c| 1e-4 * (1.0 + (c % 4) as f64)).collect();
    (w, loss)
}

#[test]
fn direct_and_conjugate_gradient_steps_agree() {
    let grid = slab(12, 40);
    let n = grid.len();
    let direct = agent_operator(&grid, &params(), "x", 5e-4, 2.0, ends());
    let mut cg = direct.clone();
    cg.set_direct_solves(false);
    let (w0, loss) = start(n);
    let source: Vec<f64> = (0..n)
        .map(|c| if c % 7 == 0 { 0.01 } else { 0.0 })
        .collect();
    let (mut wd, mut wc) = (w0.clone(), w0);
    for h in [60.0, 5400.0, 5400.0, 1e6] {
        let fd = direct.step_trbdf2(&mut wd, h, &loss, &source).unwrap();
        let fc = cg.step_trbdf2(&mut wc, h, &loss, &source).unwrap();
        let scale = wc.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let diff = wd
            .iter()
            .zip(&wc)
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
        assert!(
            diff <= 1e-11 * scale,
            "h {h}: max difference {diff:e} of {scale}"
        );
        for (a, b) in [
            (fd.cleared, fc.cleared),
            (fd.consumed, fc.consumed),
            (fd.produced, fc.produced),
        ] {
            assert!(
                (a - b).abs() <= 1e-10 * b.abs().max(1e-30),
                "h {h}: {fd:?} vs {fc:?}"
            );
        }
        let fd = direct.step(&mut wd, h, &loss, &[]).unwrap();
        let fc = cg.step(&mut wc, h, &loss, &[]).unwrap();
        assert!((fd.cleared - fc.cleared).abs() <= 1e-10 * fc.cleared.abs());
    }
    assert!(direct.factorisations() > 0);
    assert_eq!(cg.factorisations(), 0);
}

#[test]
fn the_amount_balance_holds_with_direct_solves() {
    let grid = slab(10, 30);
    let n = grid.len();
    let op = agent_operator(&grid, &params(), "x", 5e-4, 2.0, ends());
    let (mut w, loss) = start(n);
    for h in [30.0, 3600.0, 1e5] {
        let before = op.amount(&w);
        let f = op.step_trbdf2(&mut w, h, &loss, &[]).unwrap();
        let balance = before - f.consumed - f.cleared - op.amount(&w);
        assert!(
            balance.abs() < 1e-10 * before,
            "h {h}: {balance:e} of {before}"
        );
    }
}

#[test]
fn one_factorisation_serves_each_step_and_loss_until_the_faces_change() {
    let grid = slab(8, 20);
    let n = grid.len();
    let mut op = agent_operator(&grid, &params(), "x", 5e-4, 2.0, ends());
    let (mut w, loss) = start(n);
    // TR-BDF2: both stages share one matrix; repeated steps reuse it
    for _ in 0..3 {
        op.step_trbdf2(&mut w, 5400.0, &loss, &[]).unwrap();
    }
    assert_eq!(op.factorisations(), 1);
    // a new step size, then a new loss, each cost one more
    op.step_trbdf2(&mut w, 1800.0, &loss, &[]).unwrap();
    assert_eq!(op.factorisations(), 2);
    let loss2: Vec<f64> = loss.iter().map(|l| 2.0 * l).collect();
    op.step_trbdf2(&mut w, 1800.0, &loss2, &[]).unwrap();
    assert_eq!(op.factorisations(), 3);
    // both older pairs are still cached
    op.step_trbdf2(&mut w, 5400.0, &loss, &[]).unwrap();
    op.step_trbdf2(&mut w, 1800.0, &loss, &[]).unwrap();
    assert_eq!(op.factorisations(), 3);
    // new faces (a slower solute) empty the cache, and the step matches a fresh operator
    let t = solute_transport(&grid, &params(), "y", "agent", 1e-4, 2.0, ends());
    op.set_transport(&grid, &t);
    let fresh = LinearSpecies::new(&grid, &t, &[1.0; MAX_LABELS]);
    let mut w2 = w.clone();
    op.step_trbdf2(&mut w, 5400.0, &loss, &[]).unwrap();
    fresh.step_trbdf2(&mut w2, 5400.0, &loss, &[]).unwrap();
    assert_eq!(op.factorisations(), 4);
    assert_eq!(w, w2);
}

#[test]
fn grids_above_the_limit_use_conjugate_gradients_alone() {
    // a 1-D column one cell longer than the limit: no factorisation, same balance
    let n = DIRECT_MAX_CELLS + 1;
    let grid = Grid::new(GridKind::Cartesian3d, [1, 1, n], [0.05; 3], [0.0; 3], GREY);
    let op = agent_operator(&grid, &params(), "x", 5e-4, 2.0, ends());
    let mut w: Vec<f64> = (0..n)
        .map(|c| if c == n / 2 { 100.0 } else { 0.0 })
        .collect();
    let loss = vec![1e-4; n];
    let before = op.amount(&w);
    let f = op.step_trbdf2(&mut w, 600.0, &loss, &[]).unwrap();
    assert_eq!(op.factorisations(), 0);
    let balance = before - f.consumed - f.cleared - op.amount(&w);
    assert!(balance.abs() < 1e-10 * before, "{balance:e}");
}
