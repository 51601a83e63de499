//! The batched TR-BDF2 integrator checked against an independent stiff solver, diffsol (variable-
//! order BDF and ESDIRK34, nalgebra back end), on single voxels of the two per-voxel systems the
//! runs integrate: the disc biology (an injured, inflamed, acidic NP voxel exercising every term)
//! and the cord secondary-injury biology (a severe contusion epicentre). diffsol is a
//! dev-dependency only; the runs never call it.
//!
//! Each reference is computed twice, with diffsol's BDF and its ESDIRK34 at `rtol = 1e-10`, and
//! the two must agree before either is used. The project integrator is then run the way the
//! coupled runs call it (one integration per biology sub-step, restarting each time) at its tight
//! test tolerance and at the production tolerances, and compared entry by entry, each relative
//! to `max(|reference|, 1e-3 x typical)`. The bounds follow from the tolerances, not from
//! measured values: 100 x rtol at the working tolerances (a global error of at most about
//! 100 x the local tolerance over weeks), and 1e-5 at the tight one (there the references' own
//! disagreement, up to 1e-6 on entries that decay by orders of magnitude, sets the floor).

use super::integrator::{integrate, OdeSystem, Options, Workspace};
use super::state::SPECIES;
use super::{default_options, BiologyParams, BiologySystem};
use crate::sci::biology as sci;
use diffsol::{NalgebraLU, NalgebraMat, OdeBuilder, OdeSolverMethod, OdeSolverStopReason, Vector};

const DAY: f64 = 86_400.0;
const HOUR: f64 = 3_600.0;

/// Which diffsol method computes a reference.
#[derive(Debug, Clone, Copy)]
enum Reference {
    Bdf,
    Esdirk34,
}

/// diffsol's solution of `sys` from `y0` at each time of `times` (s, increasing), with
/// `rtol` and per-entry `atol`. The Jacobian action is a one-sided difference per column
/// (diffsol builds its Newton matrix from unit vectors), with the increment scaled by each
/// entry's typical magnitude.
fn diffsol_solution<S: OdeSystem>(
    sys: &S,
    y0: &[f64],
    times: &[f64],
    rtol: f64,
    atol: &[f64],
    method: Reference,
) -> (Vec<Vec<f64>>, usize) {
    let n = sys.dim();
    let y0 = y0.to_vec();
    let problem = OdeBuilder::<NalgebraMat<f64>>::new()
        .rtol(rtol)
        .atol(atol.to_vec())
        .h0(1.0)
        .rhs_implicit(
            |x: &[f64], _p: &[f64], t: f64, y: &mut [f64]| sys.rhs(t, x, y),
            |x: &[f64], _p: &[f64], t: f64, v: &[f64], y: &mut [f64]| {
                let mut f0 = vec![0.0; n];
                let mut f1 = vec![0.0; n];
                let mut xp = x.to_vec();
                sys.rhs(t, x, &mut f0);
                y.iter_mut().for_each(|e| *e = 0.0);
                for j in 0..n {
                    if v[j] == 0.0 {
                        continue;
                    }
                    let d = 1e-7 * x[j].abs().max(sys.typical(j));
                    xp[j] = x[j] + d;
                    sys.rhs(t, &xp, &mut f1);
                    xp[j] = x[j];
                    for i in 0..n {
                        y[i] += (f1[i] - f0[i]) / d * v[j];
                    }
                }
            },
        )
        .init(
            move |_p: &[f64], _t: f64, y: &mut [f64]| y.copy_from_slice(&y0),
            n,
        )
        .build()
        .unwrap();
    type Ls = NalgebraLU<f64>;
    let mut out = vec![];
    let mut steps = 0;
    let mut run = |solver: &mut dyn FnMut(f64) -> (Vec<f64>, usize)| {
        for &t in times {
            let (y, s) = solver(t);
            steps += s;
            out.push(y);
        }
    };
    match method {
        Reference::Bdf => {
            let mut s = problem.bdf::<Ls>().unwrap();
            run(&mut |t| advance_to(&mut s, t));
        }
        Reference::Esdirk34 => {
            let mut s = problem.esdirk34::<Ls>().unwrap();
            run(&mut |t| advance_to(&mut s, t));
        }
    }
    (out, steps)
}

/// Steps `solver` to exactly `t` (s); returns the state there and the steps taken.
fn advance_to<'a, Eqn, S>(solver: &mut S, t: f64) -> (Vec<f64>, usize)
where
    Eqn: diffsol::OdeEquationsImplicit<T = f64, V = diffsol::NalgebraVec<f64>> + 'a,
    S: OdeSolverMethod<'a, Eqn>,
{
    solver.set_stop_time(t).unwrap();
    let mut steps = 0;
    loop {
        steps += 1;
        if let OdeSolverStopReason::TstopReached = solver.step().unwrap() {
            break;
        }
    }
    let y = solver.interpolate(t).unwrap();
    ((0..y.len()).map(|i| y.get_index(i)).collect(), steps)
}

/// The project integrator on `sys` from `y0`, restarted every `sub` (s) as the coupled runs do,
/// sampled at `times` (multiples of `sub`).
fn project_solution<S: OdeSystem>(
    sys: &S,
    y0: &[f64],
    times: &[f64],
    sub: f64,
    opts: &Options,
) -> (Vec<Vec<f64>>, usize) {
    let mut ws = Workspace::default();
    let mut y = y0.to_vec();
    let (mut t, mut steps, mut out) = (0.0, 0, vec![]);
    for &te in times {
        while t < te * (1.0 - 1e-12) {
            let h = sub.min(te - t);
            steps += integrate(sys, 0.0, h, &mut y, opts, &mut ws).unwrap().steps;
            t += h;
        }
        out.push(y.clone());
    }
    (out, steps)
}

/// Largest deviation of `a` from `b` over all samples and entries, each relative to
/// `max(|b|, 1e-3 x typical)`, with the entry name and sample index where it occurs.
fn worst<S: OdeSystem>(sys: &S, names: &[&str], a: &[Vec<f64>], b: &[Vec<f64>]) -> (f64, String) {
    let mut w = (0.0, String::new());
    for (k, (ya, yb)) in a.iter().zip(b).enumerate() {
        for i in 0..ya.len() {
            let e = (ya[i] - yb[i]).abs() / yb[i].abs().max(1e-3 * sys.typical(i));
            if e > w.0 {
                w = (
                    e,
                    format!("{} at sample {k}: {} vs {}", names[i], ya[i], yb[i]),
                );
            }
        }
    }
    w
}

/// The references by BDF and ESDIRK34, checked against each other (1e-6: 1e4 x their rtol,
/// the global error of weeks of integration).
fn reference<S: OdeSystem>(sys: &S, names: &[&str], y0: &[f64], times: &[f64]) -> Vec<Vec<f64>> {
    let atol: Vec<f64> = (0..sys.dim()).map(|i| 1e-12 * sys.typical(i)).collect();
    let (bdf, nb) = diffsol_solution(sys, y0, times, 1e-10, &atol, Reference::Bdf);
    let (sdirk, ns) = diffsol_solution(sys, y0, times, 1e-10, &atol, Reference::Esdirk34);
    let (e, at) = worst(sys, names, &sdirk, &bdf);
    eprintln!("diffsol BDF {nb} steps, ESDIRK34 {ns} steps; largest difference {e:.2e} ({at})");
    assert!(e < 1e-6, "the two diffsol references differ: {e:e} ({at})");
    bdf
}

#[test]
fn disc_voxel_matches_diffsol() {
    let q = BiologyParams::builtin().unwrap();
    // injured, inflamed, acidic NP voxel with every treatment input on
    let inp = super::tests::inflamed();
    let sys = BiologySystem::new(&q, inp);
    let names: Vec<&str> = SPECIES.iter().map(|s| s.name).collect();
    let y0 = q.initial_state(&inp).0;
    let times: Vec<f64> = [1.0, 2.0, 7.0, 14.0, 28.0]
        .iter()
        .map(|d| d * DAY)
        .collect();
    let reference = reference(&sys, &names, &y0, &times);
    // the run exercised the stiff and the slow parts
    let last = &reference[times.len() - 1];
    assert!(last[super::state::M1] > 1.0 && last[super::state::NFKB] > 0.01);

    let sub = 12.0 * HOUR;
    let tight = Options {
        rtol: 1e-9,
        atol: SPECIES.iter().map(|s| 1e-13 * s.typical).collect(),
        ..default_options()
    };
    for (label, opts, bound) in [
        ("rtol 1e-9", tight, 1e-5),
        ("default rtol 1e-6", default_options(), 1e-4),
    ] {
        let (y, steps) = project_solution(&sys, &y0, &times, sub, &opts);
        let (e, at) = worst(&sys, &names, &y, &reference);
        eprintln!("TR-BDF2 {label}: {steps} steps, largest deviation {e:.2e} ({at})");
        assert!(e < bound, "TR-BDF2 {label}: {e:e} ({at})");
    }
    // production settings of the coupled disc run: local entries at rtol 1e-4
    let opts = crate::sim::disease::coupled_options();
    let (y, steps) = project_solution(&sys, &y0, &times, sub, &opts);
    let local: Vec<&str> = names[..super::state::N_LOCAL].to_vec();
    let cut = |v: &[Vec<f64>]| -> Vec<Vec<f64>> {
        v.iter()
            .map(|y| y[..super::state::N_LOCAL].to_vec())
            .collect()
    };
    let (e, at) = worst(&sys, &local, &cut(&y), &cut(&reference));
    eprintln!("TR-BDF2 coupled-run settings: {steps} steps, local entries {e:.2e} ({at})");
    assert!(e < 1e-2, "coupled settings: {e:e} ({at})");
}

#[test]
fn cord_voxel_matches_diffsol() {
    let q = sci::SciParams::builtin().unwrap();
    let sys = sci::SciSystem {
        params: &q,
        inputs: sci::Inputs::default(),
    };
    let names: Vec<&str> = sci::state::SPECIES.iter().map(|s| s.0).collect();
    let y0 = q.injured_state(1.0).0;
    let times: Vec<f64> = [0.25, 1.0, 3.0, 7.0, 28.0]
        .iter()
        .map(|d| d * DAY)
        .collect();
    let reference = reference(&sys, &names, &y0, &times);
    let tight = Options {
        rtol: 1e-9,
        rtol_scale: vec![],
        atol: sci::state::SPECIES.iter().map(|s| 1e-13 * s.2).collect(),
        ..sci::default_options()
    };
    // the cord runs use 15 min to 3 h steps
    let sub = 3.0 * HOUR;
    for (label, opts, bound) in [
        ("rtol 1e-9", tight, 1e-5),
        (
            "production (local 1e-4, solutes 1e-2)",
            sci::default_options(),
            1e-2,
        ),
    ] {
        let (y, steps) = project_solution(&sys, &y0, &times, sub, &opts);
        let (e, at) = worst(&sys, &names, &y, &reference);
        eprintln!("TR-BDF2 {label}: {steps} steps, largest deviation {e:.2e} ({at})");
        assert!(e < bound, "TR-BDF2 {label}: {e:e} ({at})");
    }
}
