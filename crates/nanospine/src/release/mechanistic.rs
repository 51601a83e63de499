//! Mechanistic release models: Fickian diffusion out of a sphere or a slab, optionally with a
//! diffusivity that rises as the matrix degrades. Not fitted by default (`classical() == false`).
//!
//! All three share one solution: for a spatially uniform, time-varying diffusivity `D(t)`,
//! Fick's law `dc/dt = D(t) lap(c)` becomes the constant-`D` problem in the reduced time
//! `tau = (1/X^2) int_0^t D(s) ds` (`X` = radius or half-thickness), so Crank's solutions apply
//! exactly in `tau`. With `D(t) = D0 exp(kdeg t)`: `tau = (D0/X^2) (exp(kdeg t) - 1)/kdeg`,
//! which tends to `(D0/X^2) t` as `kdeg -> 0`.
//!
//! Assumptions (stated once here, repeated in the references): uniform initial drug
//! distribution, perfect sink, no boundary-layer resistance, no swelling or size change, drug
//! fully dissolved (no dissolution limitation), and diffusivity uniform in space.

use std::f64::consts::PI;

use super::empirical::{nonneg, release_model};
use super::{ParamKind, ParamSpec, ReleaseModel};

/// Reduced time below which the short-time (error-function) forms are used. The omitted
/// `ierfc(n/sqrt(tau))` terms are below 1e-20 there, and the long-time series needs at most
/// 12 terms at and above it, so both branches are accurate to ~1e-15 (dimensionless).
pub const SHORT_TIME_SWITCH: f64 = 0.03;

/// Series terms are summed until one falls below this (dimensionless, absolute).
const SERIES_TOL: f64 = 1e-18;

/// Upper limit on series terms (never reached for `tau >= SHORT_TIME_SWITCH`).
const MAX_TERMS: u32 = 200;

/// Fraction (0..1) released from a sphere of radius `R` with uniform initial load into a
/// perfect sink, at reduced time `tau = D t / R^2` (dimensionless).
///
/// Long times: `1 - (6/pi^2) sum_{n>=1} n^-2 exp(-n^2 pi^2 tau)` (Crank 1975, §6.3, eq. 6.20).
/// Short times (`tau < 0.03`): `6 sqrt(tau/pi) - 3 tau`, the error-function form (Crank eq.
/// 6.21) without its `ierfc(n/sqrt(tau))` terms, which are below 1e-20 there.
/// Non-positive or NaN `tau` gives 0; `tau = inf` gives 1.
pub fn fick_sphere_fraction(tau: f64) -> f64 {
    if tau.is_nan() || tau <= 0.0 {
        return 0.0;
    }
    if tau < SHORT_TIME_SWITCH {
        return 6.0 * (tau / PI).sqrt() - 3.0 * tau;
    }
    let mut sum = 0.0;
    for n in 1..=MAX_TERMS {
        let n2 = f64::from(n * n);
        let term = (-n2 * PI * PI * tau).exp() / n2;
        sum += term;
        if term < SERIES_TOL {
            break;
        }
    }
    (1.0 - 6.0 / (PI * PI) * sum).clamp(0.0, 1.0)
}

/// Fraction (0..1) released from a plane sheet of half-thickness `L` (thickness `2L`, both
/// faces releasing) with uniform initial load into a perfect sink, at `tau = D t / L^2`.
///
/// Long times: `1 - sum_{n>=0} 8/((2n+1)^2 pi^2) exp(-(2n+1)^2 pi^2 tau / 4)` (Crank 1975,
/// §4.3.1). Short times (`tau < 0.03`): `2 sqrt(tau/pi)`, the error-function form without its
/// `ierfc(n/sqrt(tau))` terms. 50 % is released at `tau = 0.19673` (4 x Crank's 0.049 for the
/// full thickness). Non-positive or NaN `tau` gives 0; `tau = inf` gives 1.
pub fn fick_slab_fraction(tau: f64) -> f64 {
    if tau.is_nan() || tau <= 0.0 {
        return 0.0;
    }
    if tau < SHORT_TIME_SWITCH {
        return 2.0 * (tau / PI).sqrt();
    }
    let mut sum = 0.0;
    for n in 0..MAX_TERMS {
        let m2 = f64::from((2 * n + 1) * (2 * n + 1));
        let term = 8.0 / (m2 * PI * PI) * (-m2 * PI * PI * tau / 4.0).exp();
        sum += term;
        if term < SERIES_TOL {
            break;
        }
    }
    (1.0 - sum).clamp(0.0, 1.0)
}

/// Reduced time `tau = k0 (exp(kdeg t) - 1)/kdeg` for a diffusivity `D0 exp(kdeg t)`, where
/// `k0 = D0/X^2` (1/T), `kdeg` (1/T) and `t` (T). Exact limit `k0 t` as `kdeg t -> 0`
/// (computed through `expm1(x)/x`); `+inf` once `exp(kdeg t)` overflows (dimensionless).
pub fn degrading_reduced_time(k0: f64, kdeg: f64, t: f64) -> f64 {
    let x = kdeg * t;
    let growth = if x == 0.0 { 1.0 } else { x.exp_m1() / x };
    k0 * t * growth
}

const DR2: ParamSpec = ParamSpec {
    name: "dr2",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-6,
    upper: 1e3,
    log_scale: true,
    description: "D/R^2: drug diffusivity over the squared sphere radius (50 % at dr2*t = 0.03055)",
};

const DR2_INITIAL: ParamSpec = ParamSpec {
    description: "D0/R^2: initial drug diffusivity in the PLGA matrix over the squared radius",
    ..DR2
};

const KDEG_PLGA: ParamSpec = ParamSpec {
    name: "kdeg",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-3,
    upper: 20.0,
    log_scale: true,
    description: "first-order PLGA Mw decay rate; D rises as exp(kdeg*t) (0 = no degradation)",
};

const KDEG_GEL: ParamSpec = ParamSpec {
    description: "first-order crosslink hydrolysis rate; D rises as exp(kdeg*t) (0 = stable gel)",
    ..KDEG_PLGA
};

const DL2: ParamSpec = ParamSpec {
    name: "dl2",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-6,
    upper: 1e3,
    log_scale: true,
    description: "D0/L^2: initial diffusivity in the gel over the squared slab half-thickness",
};

const BURST: ParamSpec = ParamSpec {
    name: "burst",
    unit: "%",
    kind: ParamKind::Percent,
    lower: 0.0,
    upper: 100.0,
    log_scale: false,
    description: "burst (surface-bound or poorly entrapped drug) released at t = 0+",
};

const CRANK_SPHERE: &str = "Crank J. The Mathematics of Diffusion, 2nd ed. Oxford: Clarendon \
     Press; 1975, §6.3 (sphere, eqs 6.20 series and 6.21 short-time; equation numbers from \
     memory). Review: Siepmann J, Siepmann F. Modeling of diffusion controlled drug delivery. \
     J Control Release 2012;161:351-362. Assumes uniform initial load, perfect sink, constant \
     radius";

const PLGA_REF: &str = "Faisant N, Siepmann J, Benoit JP. PLGA-based microparticles: elucidation \
     of mechanisms and a new, simple mathematical model quantifying drug release. Eur J Pharm \
     Sci 2002;15:355-366 (first-order Mw decay, D inversely proportional to Mw; cited as given, \
     full text not checked here). Sphere solution: Crank 1975 §6.3; Siepmann & Siepmann, \
     J Control Release 2012;161:351-362. Burst and exp(kdeg*t) form: assumption; no \
     autocatalysis, erosion or swelling";

const GEL_REF: &str = "Solution: Crank J. The Mathematics of Diffusion, 2nd ed. 1975, §4.3.1 \
     (plane sheet). Context: Lin CC, Metters AT. Hydrogels in controlled release formulations: \
     network design and mathematical modeling. Adv Drug Deliv Rev 2006;58:1379-1408 (reviews \
     degradation-controlled release in which bulk hydrolysis of crosslinks enlarges the mesh and \
     raises solute diffusivity; full text not checked here). assumption: D(t) = D0*exp(kdeg*t) \
     is the PLGA form (Faisant 2002) carried over to gels, not a form taken from Lin & Metters; \
     no swelling, mass loss or reverse gelation";

release_model! {
    /// Fickian release from a sphere (Crank): `F = 100 Mt/Minf(tau)`, `tau = dr2 t`,
    /// `dr2 = D/R^2` (1/T).
    FickianSphere {
        name: "fickian_sphere",
        label: "Fickian sphere (Crank)",
        equation: "F = 100*(1 - (6/pi^2)*sum_n n^-2*exp(-n^2*pi^2*dr2*t)); \
                   short times: 100*(6*sqrt(dr2*t/pi) - 3*dr2*t)",
        reference: CRANK_SPHERE,
        params: [DR2],
        classical: false,
        eval: |t, [dr2]| 100.0 * fick_sphere_fraction(dr2 * t),
    }
}

release_model! {
    /// PLGA microsphere: burst at `t = 0+`, then Fickian release from a sphere whose
    /// diffusivity rises as the polymer degrades, `D(t) = D0 exp(kdeg t)`:
    /// `F = burst + (100 - burst) Mt/Minf(tau)`, `tau = dr2 (exp(kdeg t) - 1)/kdeg` (%).
    PlgaSphere {
        name: "plga_sphere",
        label: "PLGA sphere (burst + degrading Fickian)",
        equation: "F = burst + (100 - burst)*Fsphere(tau) for t > 0, F(0) = 0; \
                   tau = dr2*(exp(kdeg*t) - 1)/kdeg (dr2*t as kdeg -> 0); \
                   Fsphere(tau) = 1 - (6/pi^2)*sum_n n^-2*exp(-n^2*pi^2*tau)",
        reference: PLGA_REF,
        params: [BURST, DR2_INITIAL, KDEG_PLGA],
        classical: false,
        eval: |t, [burst, dr2, kdeg]| {
            if t == 0.0 {
                0.0
            } else {
                let tau = degrading_reduced_time(dr2, kdeg, t);
                nonneg(burst + (100.0 - burst) * fick_sphere_fraction(tau))
            }
        },
    }
}

release_model! {
    /// Degrading hydrogel slab (half-thickness `L`): Fickian release whose diffusivity rises as
    /// crosslinks hydrolyse, `D(t) = D0 exp(kdeg t)` (assumed form):
    /// `F = 100 Mt/Minf(tau)`, `tau = dl2 (exp(kdeg t) - 1)/kdeg`, `dl2 = D0/L^2` (%).
    HydrogelDegradation {
        name: "hydrogel_degradation",
        label: "Degrading hydrogel slab",
        equation: "F = 100*(1 - sum_n 8/((2n+1)^2*pi^2)*exp(-(2n+1)^2*pi^2*tau/4)); \
                   tau = dl2*(exp(kdeg*t) - 1)/kdeg (dl2*t as kdeg -> 0); \
                   short times: 100*2*sqrt(tau/pi)",
        reference: GEL_REF,
        params: [DL2, KDEG_GEL],
        classical: false,
        eval: |t, [dl2, kdeg]| 100.0 * fick_slab_fraction(degrading_reduced_time(dl2, kdeg, t)),
    }
}

/// The mechanistic models in a stable order.
pub fn models() -> Vec<Box<dyn ReleaseModel>> {
    vec![
        Box::new(FickianSphere),
        Box::new(PlgaSphere),
        Box::new(HydrogelDegradation),
    ]
}
