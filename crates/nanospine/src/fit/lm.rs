//! Bounded Levenberg-Marquardt least squares with deterministic multi-start.
//!
//! The search runs in transformed coordinates `u`: `u = ln p` for parameters sampled on a log
//! scale (positive bounds), `u = p` otherwise; the box `[lo, hi]` maps to a box in `u`.
//! Each iteration solves `(J'J + lambda diag(J'J)) du = -J'r` (Marquardt 1963) on the free
//! coordinates and projects the trial point onto the box. A coordinate is held (removed from
//! the step) while it sits on a bound and the gradient pushes it outward (projected-gradient
//! active set). The Jacobian is a forward difference in `u`.
//!
//! Multi-start: `samples` points of a Halton sequence (bases 2, 3, 5, ...) in the `u` box plus
//! the box centre are scored by their sum of squares; LM starts from the `starts` best, and
//! the best end point is polished by one more LM run. Everything is sequential and
//! deterministic: the same data give bit-identical results.

use crate::release::ReleaseModel;

/// Search settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LmSettings {
    /// Maximum LM iterations per start.
    pub max_iterations: usize,
    /// Halton sample points scored per parameter (the total is `samples_per_param * p + 32`).
    pub samples_per_param: usize,
    /// Number of best-scoring sample points LM starts from.
    pub starts: usize,
}

impl Default for LmSettings {
    fn default() -> Self {
        LmSettings {
            max_iterations: 200,
            samples_per_param: 48,
            starts: 6,
        }
    }
}

/// The least-squares problem: weighted residuals `sw_i (F(t_i; p) - y_i)`.
pub struct Problem<'a> {
    /// The model.
    pub model: &'a dyn ReleaseModel,
    /// Times (data time unit).
    pub t: &'a [f64],
    /// Observations (% of dose).
    pub y: &'a [f64],
    /// Square roots of the weights (1 for an unweighted fit).
    pub sw: &'a [f64],
    /// Lower bounds of the parameters (model units).
    pub lo: Vec<f64>,
    /// Upper bounds of the parameters (model units).
    pub hi: Vec<f64>,
    /// Whether each parameter is searched in `ln p`.
    pub log: Vec<bool>,
}

/// End point of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct LmOutcome {
    /// Best parameters (model units).
    pub p: Vec<f64>,
    /// Sum of weighted squared residuals at `p`.
    pub ss: f64,
    /// Whether the best run met a convergence test (rather than the iteration limit).
    pub converged: bool,
    /// LM iterations summed over all starts.
    pub iterations: usize,
    /// Model-curve evaluations (one per residual vector) over the whole search.
    pub evaluations: usize,
}

const PRIMES: [u32; 16] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

/// Component `d` of the `i`-th Halton point in [0, 1).
fn halton(i: usize, d: usize) -> f64 {
    if d >= PRIMES.len() {
        // Kronecker (additive) sequence beyond 16 dimensions.
        let a = (PRIMES[d % PRIMES.len()] as f64 + d as f64).sqrt().fract();
        return ((i as f64) * a).fract();
    }
    let b = u64::from(PRIMES[d]);
    let mut f = 1.0;
    let mut r = 0.0;
    let mut k = i as u64;
    while k > 0 {
        f /= b as f64;
        r += f * (k % b) as f64;
        k /= b;
    }
    r
}

impl Problem<'_> {
    fn dim(&self) -> usize {
        self.lo.len()
    }

    /// Box in `u` coordinates.
    fn ubox(&self) -> (Vec<f64>, Vec<f64>) {
        let f = |x: f64, l: bool| if l { x.ln() } else { x };
        (
            self.lo
                .iter()
                .zip(&self.log)
                .map(|(&x, &l)| f(x, l))
                .collect(),
            self.hi
                .iter()
                .zip(&self.log)
                .map(|(&x, &l)| f(x, l))
                .collect(),
        )
    }

    /// Model parameters from `u`.
    pub fn to_p(&self, u: &[f64]) -> Vec<f64> {
        u.iter()
            .zip(&self.log)
            .enumerate()
            .map(|(i, (&x, &l))| {
                let v = if l { x.exp() } else { x };
                v.clamp(self.lo[i], self.hi[i])
            })
            .collect()
    }

    /// Fills `r` with weighted residuals at model parameters `p`; returns their sum of squares
    /// (infinite when the model gives a non-finite value).
    pub fn residuals_p(&self, p: &[f64], r: &mut [f64]) -> f64 {
        let mut ss = 0.0;
        for i in 0..self.t.len() {
            let f = self.model.eval(self.t[i], p);
            let v = self.sw[i] * (f - self.y[i]);
            r[i] = v;
            ss += v * v;
        }
        if ss.is_finite() {
            ss
        } else {
            f64::INFINITY
        }
    }

    fn residuals(&self, u: &[f64], r: &mut [f64]) -> f64 {
        let p = self.to_p(u);
        self.residuals_p(&p, r)
    }
}

/// Cholesky factorisation in place of the symmetric `m x m` matrix `a` (row-major); returns
/// false when it is not numerically positive definite.
pub(crate) fn cholesky(a: &mut [f64], m: usize) -> bool {
    for j in 0..m {
        let mut d = a[j * m + j];
        for k in 0..j {
            d -= a[j * m + k] * a[j * m + k];
        }
        if !(d > 0.0 && d.is_finite()) {
            return false;
        }
        let d = d.sqrt();
        a[j * m + j] = d;
        for i in j + 1..m {
            let mut s = a[i * m + j];
            for k in 0..j {
                s -= a[i * m + k] * a[j * m + k];
            }
            a[i * m + j] = s / d;
        }
    }
    true
}

/// Solves `L L' x = b` with the factor from [`cholesky`]; `b` is overwritten by `x`.
pub(crate) fn chol_solve(l: &[f64], m: usize, b: &mut [f64]) {
    for i in 0..m {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * m + k] * b[k];
        }
        b[i] = s / l[i * m + i];
    }
    for i in (0..m).rev() {
        let mut s = b[i];
        for k in i + 1..m {
            s -= l[k * m + i] * b[k];
        }
        b[i] = s / l[i * m + i];
    }
}

struct Run {
    u: Vec<f64>,
    ss: f64,
    converged: bool,
    iterations: usize,
    evaluations: usize,
}

/// One projected LM run from `u0`.
fn lm_run(prob: &Problem, u0: &[f64], lo: &[f64], hi: &[f64], max_iter: usize) -> Run {
    let m = prob.dim();
    let n = prob.t.len();
    let mut u: Vec<f64> = u0
        .iter()
        .zip(lo.iter().zip(hi))
        .map(|(&x, (&l, &h))| x.clamp(l, h))
        .collect();
    let mut r = vec![0.0; n];
    let mut ss = prob.residuals(&u, &mut r);
    let mut evaluations = 1;
    let mut lambda = 1e-3;
    let mut converged = false;
    let mut iterations = 0;
    let mut jac = vec![0.0; n * m];
    let mut rt = vec![0.0; n];
    if !ss.is_finite() {
        return Run {
            u,
            ss,
            converged: false,
            iterations,
            evaluations,
        };
    }
    let eps = f64::EPSILON.sqrt();
    'outer: while iterations < max_iter {
        iterations += 1;
        if ss <= 1e-30 * n as f64 {
            converged = true;
            break;
        }
        // Forward-difference Jacobian in u (column j in jac[i*m + j]).
        for j in 0..m {
            let range = hi[j] - lo[j];
            let mut h = eps * u[j].abs().max(1e-2 * range).max(1e-12);
            if u[j] + h > hi[j] {
                h = -h;
            }
            let mut up = u.clone();
            up[j] += h;
            let s = prob.residuals(&up, &mut rt);
            evaluations += 1;
            let h_eff = up[j] - u[j];
            for i in 0..n {
                jac[i * m + j] = if s.is_finite() && h_eff != 0.0 {
                    (rt[i] - r[i]) / h_eff
                } else {
                    0.0
                };
            }
        }
        // Normal equations.
        let mut a = vec![0.0; m * m];
        let mut g = vec![0.0; m];
        for i in 0..n {
            for j in 0..m {
                let jij = jac[i * m + j];
                g[j] += jij * r[i];
                for k in 0..=j {
                    a[j * m + k] += jij * jac[i * m + k];
                }
            }
        }
        for j in 0..m {
            for k in 0..j {
                a[k * m + j] = a[j * m + k];
            }
        }
        // Active set: held on a bound when the descent direction -g points outward.
        let free: Vec<usize> = (0..m)
            .filter(|&j| !((u[j] <= lo[j] && g[j] > 0.0) || (u[j] >= hi[j] && g[j] < 0.0)))
            .collect();
        if free.is_empty() {
            converged = true;
            break;
        }
        let gmax = free
            .iter()
            .map(|&j| g[j].abs() * (1.0 + u[j].abs()))
            .fold(0.0, f64::max);
        if gmax <= 1e-14 * (ss + 1e-300) {
            converged = true;
            break;
        }
        let mf = free.len();
        let dmax = free.iter().map(|&j| a[j * m + j]).fold(0.0, f64::max);
        loop {
            let mut af = vec![0.0; mf * mf];
            let mut b = vec![0.0; mf];
            for (x, &j) in free.iter().enumerate() {
                for (y, &k) in free.iter().enumerate() {
                    af[x * mf + y] = a[j * m + k];
                }
                let d = a[j * m + j].max(1e-12 * dmax).max(1e-300);
                af[x * mf + x] += lambda * d;
                b[x] = -g[j];
            }
            if cholesky(&mut af, mf) {
                chol_solve(&af, mf, &mut b);
                let mut un = u.clone();
                for (x, &j) in free.iter().enumerate() {
                    un[j] = (u[j] + b[x]).clamp(lo[j], hi[j]);
                }
                let sn = prob.residuals(&un, &mut rt);
                evaluations += 1;
                if sn < ss {
                    let step = free
                        .iter()
                        .map(|&j| {
                            (un[j] - u[j]).abs() / (u[j].abs() + 1e-2 * (hi[j] - lo[j])).max(1e-300)
                        })
                        .fold(0.0, f64::max);
                    let rel = (ss - sn) / ss;
                    u = un;
                    ss = sn;
                    std::mem::swap(&mut r, &mut rt);
                    lambda = (lambda / 3.0).max(1e-12);
                    if rel < 1e-12 || step < 1e-12 {
                        converged = true;
                        break 'outer;
                    }
                    break;
                }
            }
            lambda *= 4.0;
            if lambda > 1e16 {
                // No descent at working precision: a (constrained) stationary point.
                converged = true;
                break 'outer;
            }
        }
    }
    Run {
        u,
        ss,
        converged,
        iterations,
        evaluations,
    }
}

/// Minimises the weighted sum of squares of `prob` inside its bounds (see the module
/// documentation for the algorithm).
pub fn minimise(prob: &Problem, settings: &LmSettings) -> LmOutcome {
    let m = prob.dim();
    let (lo, hi) = prob.ubox();
    let n = prob.t.len();
    let mut r = vec![0.0; n];
    let mut evaluations = 0;
    // Score the box centre and Halton samples.
    let samples = settings.samples_per_param * m + 32;
    let mut scored: Vec<(f64, Vec<f64>)> = Vec::with_capacity(samples + 1);
    let centre: Vec<f64> = lo.iter().zip(&hi).map(|(a, b)| 0.5 * (a + b)).collect();
    let s = prob.residuals(&centre, &mut r);
    evaluations += 1;
    scored.push((s, centre));
    for i in 1..=samples {
        let u: Vec<f64> = (0..m)
            .map(|d| lo[d] + halton(i, d) * (hi[d] - lo[d]))
            .collect();
        let s = prob.residuals(&u, &mut r);
        evaluations += 1;
        scored.push((s, u));
    }
    // Stable sort: ties keep sequence order, so the choice is deterministic.
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best: Option<Run> = None;
    let mut iterations = 0;
    for (_, u0) in scored.iter().take(settings.starts.max(1)) {
        let run = lm_run(prob, u0, &lo, &hi, settings.max_iterations);
        iterations += run.iterations;
        evaluations += run.evaluations;
        if best.as_ref().is_none_or(|b| run.ss < b.ss) {
            best = Some(run);
        }
    }
    let Some(mut best) = best else {
        return LmOutcome {
            p: prob.to_p(&centre_of(&lo, &hi)),
            ss: f64::INFINITY,
            converged: false,
            iterations,
            evaluations,
        };
    };
    // Polish from the best end point (LM restarted with a fresh damping parameter).
    let polish = lm_run(prob, &best.u, &lo, &hi, settings.max_iterations);
    iterations += polish.iterations;
    evaluations += polish.evaluations;
    if polish.ss <= best.ss {
        best = polish;
    }
    LmOutcome {
        p: prob.to_p(&best.u),
        ss: best.ss,
        converged: best.converged,
        iterations,
        evaluations,
    }
}

fn centre_of(lo: &[f64], hi: &[f64]) -> Vec<f64> {
    lo.iter().zip(hi).map(|(a, b)| 0.5 * (a + b)).collect()
}
