//! Statistics of a least-squares fit: Student t quantile (via the regularised incomplete beta
//! function) and goodness-of-fit criteria.
//!
//! Definitions (n observations, p model parameters, `SS` = sum of (weighted) squared residuals,
//! `SS_tot` = (weighted) sum of squares about the (weighted) mean of the observations):
//! - `R2 = 1 - SS/SS_tot`, `R2_adj = 1 - (1 - R2)(n - 1)/(n - p)`
//! - `AIC = n ln(SS/n) + 2p` (Akaike 1974 for Gaussian errors, constant terms dropped; the
//!   error variance is not counted in p). DDSolver prints `AIC = n ln(WSS) + 2p`
//!   (np-carriers.md §1.1, unverified there); the two differ by `n ln n`, the same for every
//!   model fitted to the same points, so rankings agree.
//! - `AICc = AIC + 2p(p + 1)/(n - p - 1)` (Hurvich & Tsai 1989); undefined when `n - p - 1 <= 0`
//! - `BIC = n ln(SS/n) + p ln n` (Schwarz 1978)
//! - `MSC = ln(SS_tot/SS) - 2p/n` (model selection criterion as in DDSolver; larger is better)
//! - `RMSE = sqrt(SS/(n - p))` (DDSolver's root mean square error, residual degrees of freedom;
//!   % of dose when unweighted, dimensionless (SD units) when weighted by 1/SD^2)
//!
//! With weights `w_i = 1/SD_i^2` every `SS` above is the weighted sum `sum w_i (y_i - f_i)^2`.

/// Natural log of the gamma function for `x > 0` (Lanczos approximation, g = 7, 9 terms;
/// relative error below 1e-14 for the arguments used here).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction of the incomplete beta function (modified Lentz), for `x < (a+1)/(a+b+2)`.
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// Regularised incomplete beta function `I_x(a, b)` for `a, b > 0`, `x` in `[0, 1]`.
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// Cumulative distribution function of Student's t with `dof > 0` degrees of freedom.
pub fn t_cdf(t: f64, dof: f64) -> f64 {
    let x = dof / (dof + t * t);
    let tail = 0.5 * inc_beta(0.5 * dof, 0.5, x);
    if t >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// Quantile of Student's t: the `t` with `P(T <= t) = prob`, for `prob` in (0, 1) and
/// `dof > 0` (bisection on [`t_cdf`] to 1e-13 relative; NaN for arguments outside the domain).
pub fn t_quantile(prob: f64, dof: f64) -> f64 {
    if !(prob > 0.0 && prob < 1.0 && dof > 0.0) {
        return f64::NAN;
    }
    if prob == 0.5 {
        return 0.0;
    }
    if prob < 0.5 {
        return -t_quantile(1.0 - prob, dof);
    }
    let mut hi = 1.0;
    while t_cdf(hi, dof) < prob {
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    let mut lo = 0.0;
    for _ in 0..400 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, dof) < prob {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Goodness-of-fit criteria of one fit (see the module documentation for definitions).
/// `None` marks a criterion that is undefined for these `n`, `p` or an exact fit (`SS = 0`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoodnessOfFit {
    /// Coefficient of determination (-).
    pub r2: Option<f64>,
    /// Adjusted R2 (-).
    pub r2_adj: Option<f64>,
    /// Akaike information criterion (-).
    pub aic: Option<f64>,
    /// Small-sample corrected AIC (-).
    pub aicc: Option<f64>,
    /// Bayesian information criterion (-).
    pub bic: Option<f64>,
    /// Model selection criterion (-).
    pub msc: Option<f64>,
    /// Root mean square error with n - p degrees of freedom (% of dose when unweighted; in
    /// units of the replicate SD, i.e. dimensionless, when weighted by 1/SD^2).
    pub rmse: Option<f64>,
}

/// Computes the criteria from `ss` (sum of weighted squared residuals), `ss_tot` (weighted sum
/// of squares about the weighted mean), `n` observations and `p` parameters.
pub fn goodness(ss: f64, ss_tot: f64, n: usize, p: usize) -> GoodnessOfFit {
    let nf = n as f64;
    let pf = p as f64;
    let fin = |x: f64| if x.is_finite() { Some(x) } else { None };
    let r2 = if ss_tot > 0.0 {
        fin(1.0 - ss / ss_tot)
    } else {
        None
    };
    let r2_adj = if n > p {
        r2.and_then(|r| fin(1.0 - (1.0 - r) * (nf - 1.0) / (nf - pf)))
    } else {
        None
    };
    let loglik_term = if ss > 0.0 && n > 0 {
        fin(nf * (ss / nf).ln())
    } else {
        None
    };
    let aic = loglik_term.map(|l| l + 2.0 * pf);
    let aicc = if n > p + 1 {
        aic.map(|a| a + 2.0 * pf * (pf + 1.0) / (nf - pf - 1.0))
    } else {
        None
    };
    let bic = loglik_term.map(|l| l + pf * nf.ln());
    let msc = if ss > 0.0 && ss_tot > 0.0 {
        fin((ss_tot / ss).ln() - 2.0 * pf / nf)
    } else {
        None
    };
    let rmse = if n > p {
        fin((ss / (nf - pf)).sqrt())
    } else {
        None
    };
    GoodnessOfFit {
        r2,
        r2_adj,
        aic,
        aicc,
        bic,
        msc,
        rmse,
    }
}
