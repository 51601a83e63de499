//! A small stiff ODE integrator for per-voxel kinetics: TR-BDF2 (L-stable, second order, one
//! LU factorisation per step) with an embedded error estimate and step-size control, and
//! fixed-step backward Euler (first order) for comparison.
//!
//! Problem description and solver are separate (as in diffsol): a problem implements
//! [`OdeSystem`]; [`integrate`] advances it. Time unit: whatever the system uses (s for biology).
//!
//! TR-BDF2 with `g = 2 - sqrt(2)`, `d = g/2` (Bank et al. 1985; Hosea & Shampine 1996):
//! * trapezoidal stage to `t + g h`: `y_g = y_n + d h (f_n + f(y_g))`;
//! * BDF2 stage to `t + h`: `y_1 = a y_g - b y_n + d h f(y_1)`, `a = 1/(g(2-g))`,
//!   `b = (1-g)^2/(g(2-g))`.
//!
//! Both stages solve with the same matrix `I - d h J`. The local error `C h^3 y'''` with
//! `C = (3g^2 - 4g + 2)/(12(2-g))` is estimated from the quadratic through `f_n, f_g, f_1` and
//! filtered by `(I - d h J)^-1` (Shampine) so that stiff, fast-decaying components do not force
//! tiny steps. Steps with a negative component below `-atol` are rejected when
//! `nonnegative` is set (never clamped).
//!
//! The control is per step: the global error is about (number of steps) x tolerance, so ask for
//! a tolerance a few decades below the accuracy wanted at the end.

/// A system `dy/dt = f(t, y)` of fixed dimension.
pub trait OdeSystem {
    /// Number of unknowns.
    fn dim(&self) -> usize;

    /// Writes `f(t, y)` into `dy`.
    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64]);

    /// Typical magnitude of unknown `i` (same unit as `y[i]`), used for finite-difference
    /// increments. Default 1.
    fn typical(&self, _i: usize) -> f64 {
        1.0
    }

    /// Writes `df_i/dy_j` into `jac` (row-major, `dim x dim`). Default: central differences with
    /// increments `1e-7 max(|y_j|, typical_j)`.
    fn jacobian(&self, t: f64, y: &[f64], jac: &mut [f64]) {
        let n = self.dim();
        let mut yp = y.to_vec();
        let mut fp = vec![0.0; n];
        let mut fm = vec![0.0; n];
        for j in 0..n {
            let h = 1e-7 * y[j].abs().max(self.typical(j));
            yp[j] = y[j] + h;
            self.rhs(t, &yp, &mut fp);
            yp[j] = y[j] - h;
            self.rhs(t, &yp, &mut fm);
            yp[j] = y[j];
            let inv = 1.0 / (2.0 * h);
            for i in 0..n {
                jac[i * n + j] = (fp[i] - fm[i]) * inv;
            }
        }
    }
}

/// `rtol_scale` for a state of `n` entries whose first `n_local` stay in the voxel and whose
/// others are transported solutes: 1 for the local entries, `solute_factor` (1) for the solutes.
/// The disc and the cord both relax their solutes' tolerance this way.
pub fn local_solute_rtol_scale(n: usize, n_local: usize, solute_factor: f64) -> Vec<f64> {
    (0..n)
        .map(|i| if i >= n_local { solute_factor } else { 1.0 })
        .collect()
}

/// Which scheme [`integrate`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// TR-BDF2, second order, adaptive (or fixed with [`Options::fixed_step`]).
    TrBdf2,
    /// Backward Euler, first order; needs [`Options::fixed_step`].
    BackwardEuler,
}

/// Integration settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Scheme.
    pub method: Method,
    /// Relative tolerance (1).
    pub rtol: f64,
    /// Per-unknown multipliers of `rtol` (1); empty applies `rtol` to every unknown.
    pub rtol_scale: Vec<f64>,
    /// Absolute tolerance per unknown (unit of the unknown); one entry applies to all.
    pub atol: Vec<f64>,
    /// First trial step (time unit); `None` picks one from `|f|`.
    pub h0: Option<f64>,
    /// Largest step (time unit).
    pub h_max: f64,
    /// Smallest step before giving up (time unit).
    pub h_min: f64,
    /// Take fixed steps of this size (the last one shortened) with no error control.
    pub fixed_step: Option<f64>,
    /// Most steps (accepted + rejected) per call.
    pub max_steps: usize,
    /// Reject steps that make an unknown more negative than `-atol`.
    pub nonnegative: bool,
    /// Newton stops when the weighted update norm is below this (1).
    pub newton_tol: f64,
    /// Most Newton iterations per stage.
    pub newton_max_iter: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            method: Method::TrBdf2,
            rtol: 1e-6,
            rtol_scale: Vec::new(),
            atol: vec![1e-10],
            h0: None,
            h_max: f64::INFINITY,
            h_min: 1e-12,
            fixed_step: None,
            max_steps: 100_000,
            nonnegative: false,
            newton_tol: 1e-3,
            newton_max_iter: 10,
        }
    }
}

/// Work counters of one [`integrate`] call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Accepted steps.
    pub steps: usize,
    /// Steps rejected by the error test or the sign check.
    pub rejected: usize,
    /// Steps retried because Newton did not converge.
    pub newton_failures: usize,
    /// Newton iterations.
    pub newton_iters: usize,
    /// Right-hand-side evaluations (Jacobians excluded).
    pub rhs_evals: usize,
    /// Jacobian evaluations (= LU factorisations).
    pub jacobians: usize,
}

impl Stats {
    /// Adds another call's counters.
    pub fn add(&mut self, o: &Stats) {
        self.steps += o.steps;
        self.rejected += o.rejected;
        self.newton_failures += o.newton_failures;
        self.newton_iters += o.newton_iters;
        self.rhs_evals += o.rhs_evals;
        self.jacobians += o.jacobians;
    }
}

/// Why [`integrate`] stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("stiff integrator failed at t = {t:e} (step {h:e}): {reason}")]
pub struct IntegrateError {
    /// Time reached (time unit).
    pub t: f64,
    /// Last step tried (time unit).
    pub h: f64,
    /// What went wrong.
    pub reason: String,
}

/// Dense LU factorisation with partial pivoting, reused across solves.
///
/// The factors are kept column-major (`lu[c n + r]` holds row `r`, column `c` of `L` below the
/// diagonal and of `U` on and above it), so that both triangular solves run column by column as
/// contiguous, independent updates instead of serial dot products.
#[derive(Debug, Clone, Default)]
pub struct DenseLu {
    n: usize,
    /// Column-major factors.
    lu: Vec<f64>,
    /// Reciprocals of the diagonal of `U`.
    inv_diag: Vec<f64>,
    piv: Vec<usize>,
}

impl DenseLu {
    /// Factorises the row-major `n x n` matrix `m`; false if it is singular or not finite.
    pub fn factor(&mut self, m: &[f64], n: usize) -> bool {
        self.load(n, |r, c| m[r * n + c]);
        self.eliminate()
    }

    /// Factorises `I - beta J` for the row-major `n x n` matrix `jac` (the Newton matrix of an
    /// implicit stage with coefficient `beta`, time unit), building the column-major factors
    /// directly from `jac` without an intermediate matrix; false if it is singular or not finite.
    pub fn factor_shifted(&mut self, jac: &[f64], beta: f64, n: usize) -> bool {
        self.load(n, |r, c| {
            let v = -beta * jac[r * n + c];
            if r == c {
                v + 1.0
            } else {
                v
            }
        });
        self.eliminate()
    }

    /// Fills the column-major working matrix with `entry(row, column)`.
    fn load(&mut self, n: usize, entry: impl Fn(usize, usize) -> f64) {
        self.n = n;
        self.lu.clear();
        self.lu.reserve(n * n);
        for c in 0..n {
            self.lu.extend((0..n).map(|r| entry(r, c)));
        }
    }

    /// Right-looking elimination with partial pivoting, in place on the column-major matrix:
    /// each step scales the pivot column and updates the trailing columns as contiguous axpys.
    /// Every entry sees the same operations in the same order as row-wise elimination.
    fn eliminate(&mut self) -> bool {
        let n = self.n;
        self.piv.clear();
        self.piv.extend(0..n);
        let a = &mut self.lu;
        for k in 0..n {
            let col = &a[k * n..k * n + n];
            let mut p = k;
            let mut best = col[k].abs();
            for (r, v) in col.iter().enumerate().skip(k + 1) {
                if v.abs() > best {
                    best = v.abs();
                    p = r;
                }
            }
            let pv = col[p];
            if pv == 0.0 || !pv.is_finite() {
                return false;
            }
            if p != k {
                for c in 0..n {
                    a.swap(c * n + k, c * n + p);
                }
                self.piv.swap(k, p);
            }
            let inv = 1.0 / pv;
            let (left, right) = a.split_at_mut((k + 1) * n);
            let lcol = &mut left[k * n + k + 1..k * n + n];
            for l in lcol.iter_mut() {
                *l *= inv;
            }
            for colj in right.chunks_exact_mut(n) {
                let u = colj[k];
                if u != 0.0 {
                    for (x, &l) in colj[k + 1..].iter_mut().zip(lcol.iter()) {
                        *x -= l * u;
                    }
                }
            }
        }
        self.inv_diag.clear();
        self.inv_diag.extend((0..n).map(|k| 1.0 / a[k * n + k]));
        true
    }

    /// Solves `m x = b` in place (`b` becomes `x`) with the last factorisation.
    pub fn solve(&self, b: &mut [f64], tmp: &mut Vec<f64>) {
        let n = self.n;
        tmp.clear();
        tmp.extend(self.piv.iter().map(|&p| b[p]));
        let x = &mut tmp[..n];
        // forward substitution with the unit lower factor, column by column
        for (c, col) in self.lu.chunks_exact(n).enumerate() {
            let xc = x[c];
            if xc != 0.0 {
                for (xr, &l) in x[c + 1..].iter_mut().zip(&col[c + 1..]) {
                    *xr -= l * xc;
                }
            }
        }
        // back substitution with the upper factor, column by column
        for (c, col) in self.lu.chunks_exact(n).enumerate().rev() {
            let xc = x[c] * self.inv_diag[c];
            x[c] = xc;
            if xc != 0.0 {
                for (xr, &u) in x[..c].iter_mut().zip(&col[..c]) {
                    *xr -= u * xc;
                }
            }
        }
        b[..n].copy_from_slice(x);
    }
}

/// Scratch memory of [`integrate`]; reuse one per thread to avoid allocations.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    f0: Vec<f64>,
    fg: Vec<f64>,
    f1: Vec<f64>,
    yg: Vec<f64>,
    y1: Vec<f64>,
    c: Vec<f64>,
    g: Vec<f64>,
    w: Vec<f64>,
    err: Vec<f64>,
    jac: Vec<f64>,
    tmp: Vec<f64>,
    lu: DenseLu,
    h_next: f64,
    /// `jac` holds a Jacobian the caller preloaded for the next [`integrate`] call.
    jac_preloaded: bool,
    /// First trial step the caller preloaded for the next [`integrate`] call.
    h0_preloaded: Option<f64>,
}

impl Workspace {
    /// The step size (time unit) the last successful [`integrate`] call would have taken next
    /// (0 before any call): a good first trial step `Options::h0` for the next call on the same
    /// system when its state changed little in between.
    pub fn next_step(&self) -> f64 {
        self.h_next
    }

    /// Preloads the Jacobian (row-major `n x n`, time unit^-1) the next [`integrate`] call starts
    /// from, e.g. the last one of the same voxel ([`Workspace::jacobian`]): it is used as a lagged
    /// Jacobian and recomputed at the current state only when Newton fails with it (results then
    /// differ from a fresh Jacobian within the integrator tolerance). A length other than `n x n`
    /// of that call's system is ignored.
    pub fn preload_jacobian(&mut self, jac: &[f64]) {
        self.jac.clear();
        self.jac.extend_from_slice(jac);
        self.jac_preloaded = !jac.is_empty();
    }

    /// Preloads the first trial step (time unit) of the next [`integrate`] call, e.g. the
    /// [`Workspace::next_step`] the same voxel's previous call proposed; `Options::h0` and
    /// `Options::fixed_step`, when set, take precedence. Saves cloning the options per call.
    pub fn preload_first_step(&mut self, h: f64) {
        self.h0_preloaded = (h > 0.0 && h.is_finite()).then_some(h);
    }

    /// Drops a preloaded Jacobian or first step that no [`integrate`] call used.
    pub fn clear_preloaded(&mut self) {
        self.jac_preloaded = false;
        self.h0_preloaded = None;
    }

    /// The Jacobian (row-major) the last [`integrate`] call ended with; empty before any call.
    pub fn jacobian(&self) -> &[f64] {
        &self.jac
    }
}

const GAMMA: f64 = 2.0 - std::f64::consts::SQRT_2;

/// The TR-BDF2 local error constant `C = (3g^2 - 4g + 2)/(12(2-g))` (about 0.0404): one step
/// from the exact solution gives `y_1 - y(t + h) = C h^3 y''' + O(h^4)`.
pub fn trbdf2_error_constant() -> f64 {
    (3.0 * GAMMA * GAMMA - 4.0 * GAMMA + 2.0) / (12.0 * (2.0 - GAMMA))
}

/// Weighted RMS norm `sqrt(mean((v_i / w_i)^2))`.
fn wnorm(v: &[f64], w: &[f64]) -> f64 {
    let s: f64 = v.iter().zip(w).map(|(a, b)| (a / b) * (a / b)).sum();
    (s / v.len().max(1) as f64).sqrt()
}

/// Result of one Newton solve of `z - c - beta f(t, z) = 0`.
enum Newton {
    Converged,
    Failed,
}

/// Simplified Newton on `z - c - beta f(t, z) = 0` with the factorised `I - beta J`; leaves
/// `f(t, z)` in `fz`.
#[allow(clippy::too_many_arguments)]
fn newton<S: OdeSystem + ?Sized>(
    sys: &S,
    t: f64,
    beta: f64,
    c: &[f64],
    z: &mut [f64],
    fz: &mut [f64],
    g: &mut [f64],
    w: &[f64],
    lu: &DenseLu,
    tmp: &mut Vec<f64>,
    opts: &Options,
    stats: &mut Stats,
) -> Newton {
    let n = z.len();
    let mut prev = f64::INFINITY;
    for _ in 0..opts.newton_max_iter {
        sys.rhs(t, z, fz);
        stats.rhs_evals += 1;
        stats.newton_iters += 1;
        for i in 0..n {
            g[i] = -(z[i] - c[i] - beta * fz[i]);
        }
        lu.solve(g, tmp);
        let mut roundoff = true;
        for i in 0..n {
            z[i] += g[i];
            if !z[i].is_finite() {
                return Newton::Failed;
            }
            if g[i].abs() > 8.0 * f64::EPSILON * z[i].abs() {
                roundoff = false;
            }
        }
        let norm = wnorm(g, w);
        if norm <= opts.newton_tol || roundoff {
            sys.rhs(t, z, fz);
            stats.rhs_evals += 1;
            return Newton::Converged;
        }
        if norm > 2.0 * prev {
            return Newton::Failed;
        }
        prev = norm;
    }
    Newton::Failed
}

/// Advances `y` (at time `t0`) to `t0 + span` and returns the work counters.
pub fn integrate<S: OdeSystem + ?Sized>(
    sys: &S,
    t0: f64,
    span: f64,
    y: &mut [f64],
    opts: &Options,
    ws: &mut Workspace,
) -> Result<Stats, IntegrateError> {
    let n = sys.dim();
    let fail = |t: f64, h: f64, reason: String| IntegrateError { t, h, reason };
    if y.len() != n {
        return Err(fail(
            t0,
            0.0,
            format!("state has {} entries, system {n}", y.len()),
        ));
    }
    if !(opts.atol.len() == 1 || opts.atol.len() == n)
        || opts.atol.iter().any(|a| !(*a > 0.0 && a.is_finite()))
        || !(opts.rtol >= 0.0 && opts.rtol.is_finite())
        || !(opts.rtol_scale.is_empty() || opts.rtol_scale.len() == n)
        || opts
            .rtol_scale
            .iter()
            .any(|r| !(*r >= 0.0 && r.is_finite()))
    {
        return Err(fail(
            t0,
            0.0,
            format!(
                "atol needs 1 or {n} positive finite entries, rtol >= 0 and rtol_scale 0 or {n} \
                 entries >= 0 (got {} atol entries, rtol {}, {} rtol_scale entries)",
                opts.atol.len(),
                opts.rtol,
                opts.rtol_scale.len()
            ),
        ));
    }
    if !(span >= 0.0 && span.is_finite()) {
        return Err(fail(
            t0,
            0.0,
            format!("span {span} must be finite and >= 0"),
        ));
    }
    if let Some(hf) = opts.fixed_step {
        if !(hf > 0.0 && hf.is_finite()) {
            return Err(fail(
                t0,
                hf,
                "fixed_step must be positive and finite".into(),
            ));
        }
    } else if opts.method == Method::BackwardEuler {
        return Err(fail(
            t0,
            0.0,
            "backward Euler has no error estimate: set fixed_step".into(),
        ));
    }
    let mut stats = Stats::default();
    if span == 0.0 {
        return Ok(stats);
    }
    for v in [
        &mut ws.f0,
        &mut ws.fg,
        &mut ws.f1,
        &mut ws.yg,
        &mut ws.y1,
        &mut ws.c,
        &mut ws.g,
        &mut ws.w,
        &mut ws.err,
    ] {
        v.clear();
        v.resize(n, 0.0);
    }
    let preloaded = std::mem::take(&mut ws.jac_preloaded) && ws.jac.len() == n * n;
    if !preloaded {
        ws.jac.clear();
        ws.jac.resize(n * n, 0.0);
    }
    let atol = |i: usize| opts.atol[if opts.atol.len() == 1 { 0 } else { i }];
    let rtol = |i: usize| opts.rtol * opts.rtol_scale.get(i).copied().unwrap_or(1.0);

    let t_end = t0 + span;
    let mut t = t0;
    sys.rhs(t, y, &mut ws.f0);
    stats.rhs_evals += 1;
    let preloaded_h0 = ws.h0_preloaded.take();
    let mut h = match (opts.fixed_step, opts.h0.or(preloaded_h0)) {
        (Some(hf), _) => hf,
        (None, Some(h0)) => h0,
        (None, None) => {
            for i in 0..n {
                ws.w[i] = atol(i) + rtol(i) * y[i].abs();
            }
            let d1 = wnorm(&ws.f0, &ws.w);
            if d1 > 1e-300 {
                0.05 / d1
            } else {
                span
            }
        }
    };
    h = h.min(opts.h_max).min(span).max(opts.h_min.min(span));
    let (a, b) = (
        1.0 / (GAMMA * (2.0 - GAMMA)),
        (1.0 - GAMMA).powi(2) / (GAMMA * (2.0 - GAMMA)),
    );
    let lte = trbdf2_error_constant();
    // The Jacobian is kept across accepted steps (simplified Newton with a lagged Jacobian) and
    // recomputed only when Newton fails with a Jacobian from an earlier state; a preloaded one
    // counts as such.
    let mut need_jac = !preloaded;
    let mut jac_current = false;

    while t < t_end {
        if stats.steps + stats.rejected + stats.newton_failures >= opts.max_steps {
            return Err(fail(t, h, format!("more than {} steps", opts.max_steps)));
        }
        // land exactly on t_end, avoiding a sliver of a last step
        let left = t_end - t;
        let last = h >= left * (1.0 - 1e-12);
        if last {
            h = left;
        } else if opts.fixed_step.is_none() && 2.0 * h > left {
            h = 0.5 * left;
        }
        for i in 0..n {
            ws.w[i] = atol(i) + rtol(i) * y[i].abs();
        }
        if need_jac {
            sys.jacobian(t, y, &mut ws.jac);
            stats.jacobians += 1;
            need_jac = false;
            jac_current = true;
        }
        let beta = match opts.method {
            Method::TrBdf2 => 0.5 * GAMMA * h,
            Method::BackwardEuler => h,
        };
        if !ws.lu.factor_shifted(&ws.jac, beta, n) {
            return Err(fail(t, h, "singular Newton matrix I - beta J".into()));
        }

        // stages
        let ok = match opts.method {
            Method::BackwardEuler => {
                ws.c.copy_from_slice(y);
                ws.y1.copy_from_slice(y);
                matches!(
                    newton(
                        sys,
                        t + h,
                        beta,
                        &ws.c,
                        &mut ws.y1,
                        &mut ws.f1,
                        &mut ws.g,
                        &ws.w,
                        &ws.lu,
                        &mut ws.tmp,
                        opts,
                        &mut stats
                    ),
                    Newton::Converged
                )
            }
            Method::TrBdf2 => {
                for i in 0..n {
                    ws.c[i] = y[i] + beta * ws.f0[i];
                    ws.yg[i] = y[i] + GAMMA * h * ws.f0[i];
                }
                let s1 = newton(
                    sys,
                    t + GAMMA * h,
                    beta,
                    &ws.c,
                    &mut ws.yg,
                    &mut ws.fg,
                    &mut ws.g,
                    &ws.w,
                    &ws.lu,
                    &mut ws.tmp,
                    opts,
                    &mut stats,
                );
                if let Newton::Converged = s1 {
                    for i in 0..n {
                        ws.c[i] = a * ws.yg[i] - b * y[i];
                        ws.y1[i] = y[i] + (ws.yg[i] - y[i]) / GAMMA;
                    }
                    matches!(
                        newton(
                            sys,
                            t + h,
                            beta,
                            &ws.c,
                            &mut ws.y1,
                            &mut ws.f1,
                            &mut ws.g,
                            &ws.w,
                            &ws.lu,
                            &mut ws.tmp,
                            opts,
                            &mut stats
                        ),
                        Newton::Converged
                    )
                } else {
                    false
                }
            }
        };
        if !ok {
            stats.newton_failures += 1;
            if !jac_current {
                // retry the same step with a Jacobian at the current state
                need_jac = true;
                continue;
            }
            if opts.fixed_step.is_some() {
                return Err(fail(
                    t,
                    h,
                    "Newton did not converge at the fixed step".into(),
                ));
            }
            h *= 0.25;
            if h < opts.h_min {
                return Err(fail(t, h, "Newton did not converge above h_min".into()));
            }
            continue;
        }

        // error estimate and acceptance
        let mut factor = 2.0;
        let mut accept = true;
        if opts.fixed_step.is_none() {
            for i in 0..n {
                let curv = ((ws.f1[i] - ws.f0[i]) - (ws.fg[i] - ws.f0[i]) / GAMMA) / (1.0 - GAMMA);
                ws.err[i] = lte * h * 2.0 * curv;
                ws.w[i] = atol(i) + rtol(i) * y[i].abs().max(ws.y1[i].abs());
            }
            ws.lu.solve(&mut ws.err, &mut ws.tmp);
            let e = wnorm(&ws.err, &ws.w);
            if !e.is_finite() {
                accept = false;
                factor = 0.25;
            } else {
                accept = e <= 1.0;
                factor = (0.9 * e.max(1e-10).powf(-1.0 / 3.0)).clamp(0.2, 5.0);
            }
        }
        if accept && opts.nonnegative {
            if let Some(i) = (0..n).find(|&i| ws.y1[i] < -atol(i)) {
                if opts.fixed_step.is_some() {
                    return Err(fail(
                        t,
                        h,
                        format!("unknown {i} became negative ({:e})", ws.y1[i]),
                    ));
                }
                accept = false;
                factor = 0.5;
            }
        }
        if !accept {
            stats.rejected += 1;
            h *= factor.min(0.9);
            if h < opts.h_min {
                return Err(fail(t, h, "step size fell below h_min".into()));
            }
            continue;
        }
        stats.steps += 1;
        t = if last { t_end } else { t + h };
        y.copy_from_slice(&ws.y1);
        ws.f0.copy_from_slice(&ws.f1);
        jac_current = false;
        if opts.fixed_step.is_none() {
            h = (h * factor).min(opts.h_max).max(opts.h_min);
        }
    }
    ws.h_next = h;
    Ok(stats)
}
