//! Empirical release models (DDSolver family). Equations follow the BEMoDA transcription of
//! the primary papers (np-carriers.md §1.4, BEMoDA_shiny `BEMoDA_auxiliary_functions.R`);
//! the reference string of each model names its source and flags what was not checked.
//!
//! Conventions shared by every model here:
//! - `t` is in the data's time unit `T`; negative or NaN `t` is treated as 0.
//! - Before a lag time the release is 0; models with `f0` start at `f0`; burst models jump to
//!   `burst` at `t = 0+` (so `F(0) = 0` and a data point `(0, 0)` costs nothing).
//! - Models whose closed form leaves `[0, 100]` in a way the physics forbids (Hixson-Crowell,
//!   Hopfenberg, Baker-Lonsdale) are held at 100 once their bracket reaches 0; signed models
//!   (Peppas-Sahlin, quadratic) are clamped at 0 from below. Unbounded models (zero-order,
//!   Higuchi, Korsmeyer-Peppas) are not capped, as in DDSolver.

use super::{ParamKind, ParamSpec, ReleaseModel};

/// Declares a unit struct implementing [`ReleaseModel`]. `eval` destructures the parameter
/// slice (a slice of the wrong length gives NaN, never a panic) and clamps `t` to `>= 0`.
macro_rules! release_model {
    (
        $(#[$doc:meta])*
        $ty:ident {
            name: $name:literal,
            label: $label:literal,
            equation: $eq:literal,
            reference: $refr:expr,
            params: [$($spec:expr),* $(,)?],
            $(classical: $classical:expr,)?
            eval: |$t:ident, [$($arg:ident),*]| $body:expr $(,)?
        }
    ) => {
        $(#[$doc])*
        pub struct $ty;

        impl $crate::release::ReleaseModel for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn label(&self) -> &'static str {
                $label
            }
            fn equation(&self) -> &'static str {
                $eq
            }
            fn reference(&self) -> &'static str {
                $refr
            }
            fn params(&self) -> &'static [$crate::release::ParamSpec] {
                const P: &[$crate::release::ParamSpec] = &[$($spec),*];
                P
            }
            fn eval(&self, t: f64, p: &[f64]) -> f64 {
                let &[$($arg),*] = p else {
                    return f64::NAN;
                };
                let $t = if t > 0.0 { t } else { 0.0 };
                $body
            }
            fn classical(&self) -> bool {
                true $(&& $classical)?
            }
        }
    };
}
pub(crate) use release_model;

/// `x` if positive, else 0 (NaN also maps to 0): clamps signed models at zero release.
pub(crate) fn nonneg(x: f64) -> f64 {
    if x > 0.0 {
        x
    } else {
        0.0
    }
}

/// Time since the lag, `max(t - tlag, 0)` (T).
fn since(t: f64, tlag: f64) -> f64 {
    nonneg(t - tlag)
}

/// `1 - exp(-x)` without cancellation for small `x` (dimensionless).
fn one_minus_exp(x: f64) -> f64 {
    -(-x).exp_m1()
}

/// Weibull fraction `1 - exp(-(t/tau)^beta)` (0..1).
fn weibull_fraction(t: f64, tau: f64, beta: f64) -> f64 {
    one_minus_exp((t / tau).powf(beta))
}

/// `100 * [1 - (1 - k t)^n]`, held at 100 once `k t >= 1` (%), for Hixson-Crowell/Hopfenberg.
fn shrinking_core(kt: f64, n: i32) -> f64 {
    if kt >= 1.0 {
        100.0
    } else {
        100.0 * (1.0 - (1.0 - kt).powi(n))
    }
}

/// Baker-Lonsdale: solves `(3/2)[1 - (1 - f)^(2/3)] - f = y` for `f` in `[0, 1]`, returns
/// `100 f` (%). With `v = 1 - (1 - f)^(1/3)` the equation becomes the cubic
/// `v^2 (3/2 - v) = y`, monotone on `v in [0, 1]`; its root there is
/// `v = 2 sin(x/2) sin(2 pi/3 - x/2)`, `x = theta/3`, `theta = 2 asin(sqrt(2y))`
/// (trigonometric solution written without cancellation, so small `y` keeps full relative
/// precision). Then `f = v (3 - 3v + v^2)`. `y >= 1/2` gives 100.
pub(crate) fn baker_lonsdale_percent(y: f64) -> f64 {
    if y >= 0.5 {
        return 100.0;
    }
    if y.is_nan() || y <= 0.0 {
        return 0.0;
    }
    let theta = 2.0 * (2.0 * y).sqrt().min(1.0).asin();
    let x = theta / 3.0;
    let v = 2.0 * (0.5 * x).sin() * (2.0 * std::f64::consts::FRAC_PI_3 - 0.5 * x).sin();
    (100.0 * v * (3.0 - 3.0 * v + v * v)).clamp(0.0, 100.0)
}

// ---------------------------------------------------------------------------------------------
// Parameter specifications. Bounds of `Rate` parameters are for a data set whose last time point
// is 1 T (the fitter divides by `t_last^exponent`); `%` rates span release at the last time point
// from well under 1 % to far above 100 %. `Time` bounds are fractions of `t_last`.
// ---------------------------------------------------------------------------------------------

const K0: ParamSpec = ParamSpec {
    name: "k0",
    unit: "%/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-3,
    upper: 1e4,
    log_scale: true,
    description: "zero-order release rate",
};

const K1: ParamSpec = ParamSpec {
    name: "k1",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-4,
    upper: 1e3,
    log_scale: true,
    description: "first-order release rate constant",
};

const TAU: ParamSpec = ParamSpec {
    name: "tau",
    unit: "T",
    kind: ParamKind::Time,
    lower: 1e-4,
    upper: 1e3,
    log_scale: true,
    description: "Weibull time scale (63.2 % of the plateau released at t = tau)",
};

const BETA: ParamSpec = ParamSpec {
    name: "beta",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 0.05,
    upper: 10.0,
    log_scale: true,
    description: "Weibull shape factor",
};

const F0: ParamSpec = ParamSpec {
    name: "f0",
    unit: "%",
    kind: ParamKind::Percent,
    lower: 0.0,
    upper: 100.0,
    log_scale: false,
    description: "release at t = 0 (intercept, immediate release)",
};

const FMAX: ParamSpec = ParamSpec {
    name: "fmax",
    unit: "%",
    kind: ParamKind::Percent,
    lower: 0.0,
    upper: 100.0,
    log_scale: false,
    description: "maximum (plateau) release",
};

const TLAG: ParamSpec = ParamSpec {
    name: "tlag",
    unit: "T",
    kind: ParamKind::Time,
    lower: 0.0,
    upper: 0.5,
    log_scale: false,
    description: "lag time before release starts",
};

const KH: ParamSpec = ParamSpec {
    name: "kh",
    unit: "%/T^0.5",
    kind: ParamKind::Rate { exponent: 0.5 },
    lower: 1e-3,
    upper: 1e4,
    log_scale: true,
    description: "Higuchi release constant",
};

const KKP: ParamSpec = ParamSpec {
    name: "kkp",
    unit: "%/T^n",
    kind: ParamKind::Rate { exponent: 0.5 },
    lower: 1e-6,
    upper: 1e5,
    log_scale: true,
    description: "Korsmeyer-Peppas release constant (bounds scaled as if n = 0.5, hence wide)",
};

const N_KP: ParamSpec = ParamSpec {
    name: "n",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 0.05,
    upper: 1.5,
    log_scale: false,
    description: "release exponent (Fickian 0.43 sphere / 0.45 cylinder / 0.5 slab)",
};

const KHC: ParamSpec = ParamSpec {
    name: "khc",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-4,
    upper: 1e2,
    log_scale: true,
    description: "Hixson-Crowell cube-root dissolution rate (complete at t = 1/khc)",
};

const KHB: ParamSpec = ParamSpec {
    name: "khb",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-4,
    upper: 1e2,
    log_scale: true,
    description: "Hopfenberg erosion rate k0/(C0 a) (complete at t = 1/khb)",
};

const KBL: ParamSpec = ParamSpec {
    name: "kbl",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 1e-6,
    upper: 1e2,
    log_scale: true,
    description: "Baker-Lonsdale constant (complete at t = 0.5/kbl)",
};

const F1: ParamSpec = ParamSpec {
    name: "f1",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 0.0,
    upper: 1.0,
    log_scale: false,
    description: "fraction of the dose in the first Weibull component",
};

const TAU1: ParamSpec = ParamSpec {
    name: "tau1",
    description: "time scale of the first Weibull component",
    ..TAU
};

const BETA1: ParamSpec = ParamSpec {
    name: "beta1",
    description: "shape factor of the first Weibull component",
    ..BETA
};

const TAU2: ParamSpec = ParamSpec {
    name: "tau2",
    description: "time scale of the second Weibull component",
    ..TAU
};

const BETA2: ParamSpec = ParamSpec {
    name: "beta2",
    description: "shape factor of the second Weibull component",
    ..BETA
};

const ALPHA_GOMPERTZ: ParamSpec = ParamSpec {
    name: "alpha",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 1e-8,
    upper: 1e8,
    log_scale: true,
    description: "Gompertz scale: F(1 T) = 100 exp(-alpha); depends on the time unit, hence wide",
};

const BETA_GOMPERTZ: ParamSpec = ParamSpec {
    name: "beta",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 0.05,
    upper: 20.0,
    log_scale: true,
    description: "Gompertz shape on log10(t) (F = 100 exp(-alpha t^(-beta/ln 10)))",
};

const ALPHA_LOGISTIC: ParamSpec = ParamSpec {
    name: "alpha",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: -100.0,
    upper: 100.0,
    log_scale: false,
    description: "logistic intercept: logit(F/100) at t = 1 T; depends on the time unit",
};

const BETA_LOGISTIC: ParamSpec = ParamSpec {
    name: "beta",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 0.05,
    upper: 20.0,
    log_scale: true,
    description: "logistic slope on log10(t)",
};

const K1_PS: ParamSpec = ParamSpec {
    name: "k1",
    unit: "%/T^m",
    kind: ParamKind::Rate { exponent: 0.5 },
    lower: 1e-4,
    upper: 1e5,
    log_scale: true,
    description: "Peppas-Sahlin Fickian (diffusional) constant",
};

const K2_PS: ParamSpec = ParamSpec {
    name: "k2",
    unit: "%/T^(2m)",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: -1e3,
    upper: 1e3,
    log_scale: false,
    description: "Peppas-Sahlin relaxational (case-II) constant; may be negative",
};

const M_PS: ParamSpec = ParamSpec {
    name: "m",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 0.1,
    upper: 1.0,
    log_scale: false,
    description: "Fickian diffusion exponent of the device geometry (0.43-0.5 in the paper)",
};

const K1_PS2: ParamSpec = ParamSpec {
    name: "k1",
    unit: "%/T^0.5",
    description: "Peppas-Sahlin Fickian (diffusional) constant, m = 0.5",
    ..K1_PS
};

const K2_PS2: ParamSpec = ParamSpec {
    name: "k2",
    unit: "%/T",
    description: "Peppas-Sahlin relaxational (case-II) constant, m = 0.5; may be negative",
    ..K2_PS
};

const KMB: ParamSpec = ParamSpec {
    name: "kmb",
    unit: "%/T^n",
    kind: ParamKind::Rate { exponent: 0.5 },
    lower: 1e-6,
    upper: 1e5,
    log_scale: true,
    description: "Makoid-Banakar scale constant (bounds scaled as if n = 0.5, hence wide)",
};

const N_MB: ParamSpec = ParamSpec {
    name: "n",
    unit: "-",
    kind: ParamKind::Dimensionless,
    lower: 0.05,
    upper: 1.5,
    log_scale: false,
    description: "Makoid-Banakar power-law exponent",
};

const K_MB: ParamSpec = ParamSpec {
    name: "k",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: 0.0,
    upper: 20.0,
    log_scale: false,
    description: "Makoid-Banakar exponential decay constant (release peaks at t = n/k)",
};

const K1_QUAD: ParamSpec = ParamSpec {
    name: "k1",
    unit: "1/T^2",
    kind: ParamKind::Rate { exponent: 2.0 },
    lower: -5.0,
    upper: 5.0,
    log_scale: false,
    description: "quadratic coefficient (negative for the usual concave profile)",
};

const K2_QUAD: ParamSpec = ParamSpec {
    name: "k2",
    unit: "1/T",
    kind: ParamKind::Rate { exponent: 1.0 },
    lower: -5.0,
    upper: 5.0,
    log_scale: false,
    description: "linear coefficient (initial rate / 100)",
};

const BURST: ParamSpec = ParamSpec {
    name: "burst",
    unit: "%",
    kind: ParamKind::Percent,
    lower: 0.0,
    upper: 100.0,
    log_scale: false,
    description: "burst released at t = 0+",
};

// ---------------------------------------------------------------------------------------------
// References (primary papers as cited by BEMoDA_shiny, verified there; others flagged).
// ---------------------------------------------------------------------------------------------

const COSTA: &str = "Costa P, Sousa Lobo JM. Modeling and comparison of dissolution profiles. \
     Eur J Pharm Sci 2001;13:123-133. doi:10.1016/S0928-0987(01)00095-1";
const BORODKIN: &str = "Borodkin S, Tucker FE. Linear drug release from laminated hydroxypropyl \
     cellulose-polyvinyl acetate films. J Pharm Sci 1975;64:1289-1294";
const PHAECHAMUD: &str = "Phaechamud T, Pitaksantayothin K, Kositwattanakoon P, Seehapong P, \
     Jungvivatanavong S. Silpakorn Univ Int J 2002;2:147-159";
const TSONG: &str = "Tsong Y, Hammerstrom T, Chen JJ. Multipoint dissolution specification and \
     acceptance sampling rule based on profile modeling and principal component analysis. \
     J Biopharm Stat 1997;7:423-439";
const HIGUCHI: &str = "Higuchi T. Mechanism of sustained-action medication. Theoretical analysis \
     of rate of release of solid drugs dispersed in solid matrices. J Pharm Sci 1963;52:1145-1149 \
     (from memory; DDSolver/BEMoDA family)";
const FORD: &str = "Ford JL, Mitchell K, Rowe P, Armstrong DJ, Elliott PNC, Rostron C, et al. \
     Int J Pharm 1991;71:95-104";
const TARVAINEN: &str = "Tarvainen M, Peltonen S, Mikkonen H, Elovaara M, Tuunainen M, Paronen P, \
     et al. J Control Release 2004;96:179-191";
const KORSMEYER: &str =
    "Korsmeyer RW, Gurny R, Doelker E, Buri P, Peppas NA. Mechanisms of solute \
     release from porous hydrophilic polymers. Int J Pharm 1983;15:25-35. \
     doi:10.1016/0378-5173(83)90064-9";
const HIXSON: &str = "Hixson AW, Crowell JH. Dependence of reaction velocity upon surface and \
     agitation. Ind Eng Chem 1931;23:923-931 (from memory)";
const MOLLO: &str = "Mollo AR, Corrigan OI. An investigation of the mechanism of release of the \
     amphoteric drug amoxycillin from poly(D,L-lactide-co-glycolide) matrices. \
     Pharm Dev Technol 2002;7:333-343";
const HOPFENBERG: &str = "Hopfenberg HB. Controlled release from erodible slabs, cylinders, and \
     spheres. ACS Symp Ser 1976;33:26-32 (from memory); as cited by BEMoDA: Enscore DJ, \
     Hopfenberg HB, Stannett VT. Polymer 1977;18:793-800";
const BAKER: &str = "Baker RW, Lonsdale HK. Controlled release: mechanisms and rates. In: \
     Tanquary AC, Lacey RE (eds). Controlled Release of Biologically Active Agents. \
     Adv Exp Med Biol 1974;47:15-71 (from memory)";
const SATHE: &str = "Sathe PM, Tsong Y, Shah VP. In-vitro dissolution profile comparison: \
     statistics and analysis, model dependent approach. Pharm Res 1996;13:1799-1803. \
     doi:10.1023/A:1016020822093";
const CERTARA: &str = "Certara Phoenix IVIVC documentation, model 603 (double Weibull), \
     onlinehelp.certara.com/phoenix/8.4; requested in PK-Sim issues #1633/#1701";
const PEPPAS_SAHLIN: &str = "Peppas NA, Sahlin JJ. A simple equation for the description of \
     solute release. III. Coupling of diffusion and relaxation. Int J Pharm 1989;57:169-172. \
     doi:10.1016/0378-5173(89)90306-2";
const MAKOID: &str = "Makoid MC, Dufoure A, Banakar UV. Modelling of dissolution behaviour of \
     controlled release systems. STP Pharma Pratiques 1993;3:49-58 (from memory, as cited in \
     Costa & Sousa Lobo 2001)";
const BIPHASIC: &str = "assumption: instantaneous burst plus first-order release of the rest \
     (first-order: Costa & Sousa Lobo, Eur J Pharm Sci 2001;13:123-133); burst mechanisms: \
     Allison SD, Expert Opin Drug Deliv 2008;5:615-628. No single primary reference";

// ---------------------------------------------------------------------------------------------
// Models.
// ---------------------------------------------------------------------------------------------

release_model! {
    /// Zero-order: `F = k0 t` (%; `k0` in %/T). Not capped at 100.
    ZeroOrder {
        name: "zero_order",
        label: "Zero-order",
        equation: "F = k0*t",
        reference: COSTA,
        params: [K0],
        eval: |t, [k0]| k0 * t,
    }
}

release_model! {
    /// Zero-order with initial release: `F = f0 + k0 t` (%).
    ZeroOrderF0 {
        name: "zero_order_f0",
        label: "Zero-order (F0)",
        equation: "F = f0 + k0*t",
        reference: COSTA,
        params: [F0, K0],
        eval: |t, [f0, k0]| f0 + k0 * t,
    }
}

release_model! {
    /// Zero-order with lag: `F = k0 (t - tlag)` for `t > tlag`, else 0 (%).
    ZeroOrderTlag {
        name: "zero_order_tlag",
        label: "Zero-order (Tlag)",
        equation: "F = k0*(t - tlag) for t > tlag, else 0",
        reference: BORODKIN,
        params: [K0, TLAG],
        eval: |t, [k0, tlag]| k0 * since(t, tlag),
    }
}

release_model! {
    /// First-order: `F = 100 (1 - exp(-k1 t))` (%; `k1` in 1/T).
    FirstOrder {
        name: "first_order",
        label: "First-order",
        equation: "F = 100*(1 - exp(-k1*t))",
        reference: COSTA,
        params: [K1],
        eval: |t, [k1]| 100.0 * one_minus_exp(k1 * t),
    }
}

release_model! {
    /// First-order with lag: `F = 100 (1 - exp(-k1 (t - tlag)))` for `t > tlag` (%).
    FirstOrderTlag {
        name: "first_order_tlag",
        label: "First-order (Tlag)",
        equation: "F = 100*(1 - exp(-k1*(t - tlag))) for t > tlag, else 0",
        reference: PHAECHAMUD,
        params: [K1, TLAG],
        eval: |t, [k1, tlag]| 100.0 * one_minus_exp(k1 * since(t, tlag)),
    }
}

release_model! {
    /// First-order with plateau: `F = fmax (1 - exp(-k1 t))` (%).
    FirstOrderFmax {
        name: "first_order_fmax",
        label: "First-order (Fmax)",
        equation: "F = fmax*(1 - exp(-k1*t))",
        reference: TSONG,
        params: [K1, FMAX],
        eval: |t, [k1, fmax]| fmax * one_minus_exp(k1 * t),
    }
}

release_model! {
    /// Higuchi: `F = kh t^0.5` (%; `kh` in %/T^0.5). Not capped at 100.
    Higuchi {
        name: "higuchi",
        label: "Higuchi",
        equation: "F = kh*t^0.5",
        reference: HIGUCHI,
        params: [KH],
        eval: |t, [kh]| kh * t.sqrt(),
    }
}

release_model! {
    /// Higuchi with initial release: `F = f0 + kh t^0.5` (%).
    HiguchiF0 {
        name: "higuchi_f0",
        label: "Higuchi (F0)",
        equation: "F = f0 + kh*t^0.5",
        reference: FORD,
        params: [F0, KH],
        eval: |t, [f0, kh]| f0 + kh * t.sqrt(),
    }
}

release_model! {
    /// Higuchi with lag: `F = kh (t - tlag)^0.5` for `t > tlag` (%).
    HiguchiTlag {
        name: "higuchi_tlag",
        label: "Higuchi (Tlag)",
        equation: "F = kh*(t - tlag)^0.5 for t > tlag, else 0",
        reference: TARVAINEN,
        params: [KH, TLAG],
        eval: |t, [kh, tlag]| kh * since(t, tlag).sqrt(),
    }
}

release_model! {
    /// Korsmeyer-Peppas power law: `F = kkp t^n` (%; `kkp` in %/T^n). Not capped at 100
    /// (by convention fitted to `F <= 60 %` only).
    KorsmeyerPeppas {
        name: "korsmeyer_peppas",
        label: "Korsmeyer-Peppas",
        equation: "F = kkp*t^n",
        reference: KORSMEYER,
        params: [KKP, N_KP],
        eval: |t, [kkp, n]| kkp * t.powf(n),
    }
}

release_model! {
    /// Korsmeyer-Peppas with initial release: `F = f0 + kkp t^n` (%).
    KorsmeyerPeppasF0 {
        name: "korsmeyer_peppas_f0",
        label: "Korsmeyer-Peppas (F0)",
        equation: "F = f0 + kkp*t^n",
        reference: KORSMEYER,
        params: [F0, KKP, N_KP],
        eval: |t, [f0, kkp, n]| f0 + kkp * t.powf(n),
    }
}

release_model! {
    /// Korsmeyer-Peppas with lag: `F = kkp (t - tlag)^n` for `t > tlag` (%).
    KorsmeyerPeppasTlag {
        name: "korsmeyer_peppas_tlag",
        label: "Korsmeyer-Peppas (Tlag)",
        equation: "F = kkp*(t - tlag)^n for t > tlag, else 0",
        reference: KORSMEYER,
        params: [KKP, N_KP, TLAG],
        eval: |t, [kkp, n, tlag]| kkp * since(t, tlag).powf(n),
    }
}

release_model! {
    /// Hixson-Crowell cube-root law: `F = 100 [1 - (1 - khc t)^3]`, 100 once `khc t >= 1` (%).
    HixsonCrowell {
        name: "hixson_crowell",
        label: "Hixson-Crowell",
        equation: "F = 100*(1 - (1 - khc*t)^3), 100 for khc*t >= 1",
        reference: HIXSON,
        params: [KHC],
        eval: |t, [khc]| shrinking_core(khc * t, 3),
    }
}

release_model! {
    /// Hixson-Crowell with lag: `F = 100 [1 - (1 - khc (t - tlag))^3]` for `t > tlag` (%).
    HixsonCrowellTlag {
        name: "hixson_crowell_tlag",
        label: "Hixson-Crowell (Tlag)",
        equation: "F = 100*(1 - (1 - khc*(t - tlag))^3) for t > tlag, else 0; 100 once khc*(t - tlag) >= 1",
        reference: MOLLO,
        params: [KHC, TLAG],
        eval: |t, [khc, tlag]| shrinking_core(khc * since(t, tlag), 3),
    }
}

release_model! {
    /// Hopfenberg surface erosion of a slab: `F = 100 [1 - (1 - khb t)]`, 100 once `khb t >= 1`.
    HopfenbergSlab {
        name: "hopfenberg_slab",
        label: "Hopfenberg (slab)",
        equation: "F = 100*(1 - (1 - khb*t)^1), 100 for khb*t >= 1",
        reference: HOPFENBERG,
        params: [KHB],
        eval: |t, [khb]| shrinking_core(khb * t, 1),
    }
}

release_model! {
    /// Hopfenberg surface erosion of a cylinder: `F = 100 [1 - (1 - khb t)^2]` (%).
    HopfenbergCylinder {
        name: "hopfenberg_cylinder",
        label: "Hopfenberg (cylinder)",
        equation: "F = 100*(1 - (1 - khb*t)^2), 100 for khb*t >= 1",
        reference: HOPFENBERG,
        params: [KHB],
        eval: |t, [khb]| shrinking_core(khb * t, 2),
    }
}

release_model! {
    /// Hopfenberg surface erosion of a sphere: `F = 100 [1 - (1 - khb t)^3]` (%).
    HopfenbergSphere {
        name: "hopfenberg_sphere",
        label: "Hopfenberg (sphere)",
        equation: "F = 100*(1 - (1 - khb*t)^3), 100 for khb*t >= 1",
        reference: HOPFENBERG,
        params: [KHB],
        eval: |t, [khb]| shrinking_core(khb * t, 3),
    }
}

release_model! {
    /// Baker-Lonsdale (Higuchi matrix sphere): `(3/2)[1 - (1 - F/100)^(2/3)] - F/100 = kbl t`,
    /// solved in closed form for `F` (%); 100 once `kbl t >= 1/2`.
    BakerLonsdale {
        name: "baker_lonsdale",
        label: "Baker-Lonsdale",
        equation: "(3/2)*(1 - (1 - F/100)^(2/3)) - F/100 = kbl*t, F = 100 for kbl*t >= 0.5",
        reference: BAKER,
        params: [KBL],
        eval: |t, [kbl]| baker_lonsdale_percent(kbl * t),
    }
}

release_model! {
    /// Weibull: `F = 100 (1 - exp(-(t/tau)^beta))` (%; `tau` in T).
    Weibull {
        name: "weibull",
        label: "Weibull",
        equation: "F = 100*(1 - exp(-(t/tau)^beta))",
        reference: SATHE,
        params: [TAU, BETA],
        eval: |t, [tau, beta]| 100.0 * weibull_fraction(t, tau, beta),
    }
}

release_model! {
    /// Weibull with lag: `F = 100 (1 - exp(-((t - tlag)/tau)^beta))` for `t > tlag` (%).
    WeibullTlag {
        name: "weibull_tlag",
        label: "Weibull (Tlag)",
        equation: "F = 100*(1 - exp(-((t - tlag)/tau)^beta)) for t > tlag, else 0",
        reference: SATHE,
        params: [TAU, BETA, TLAG],
        eval: |t, [tau, beta, tlag]| 100.0 * weibull_fraction(since(t, tlag), tau, beta),
    }
}

release_model! {
    /// Weibull with plateau: `F = fmax (1 - exp(-(t/tau)^beta))` (%).
    WeibullFmax {
        name: "weibull_fmax",
        label: "Weibull (Fmax)",
        equation: "F = fmax*(1 - exp(-(t/tau)^beta))",
        reference: SATHE,
        params: [FMAX, TAU, BETA],
        eval: |t, [fmax, tau, beta]| fmax * weibull_fraction(t, tau, beta),
    }
}

release_model! {
    /// Double Weibull: `F = 100 [f1 W1 + (1 - f1) W2]`, `Wi = 1 - exp(-(t/taui)^betai)` (%).
    DoubleWeibull {
        name: "double_weibull",
        label: "Double Weibull",
        equation: "F = 100*(f1*(1 - exp(-(t/tau1)^beta1)) + (1 - f1)*(1 - exp(-(t/tau2)^beta2)))",
        reference: CERTARA,
        params: [F1, TAU1, BETA1, TAU2, BETA2],
        eval: |t, [f1, tau1, beta1, tau2, beta2]| 100.0
            * (f1 * weibull_fraction(t, tau1, beta1)
                + (1.0 - f1) * weibull_fraction(t, tau2, beta2)),
    }
}

release_model! {
    /// Gompertz (DDSolver/BEMoDA form, `log` = log10 as in BEMoDA's code):
    /// `F = 100 exp(-alpha exp(-beta log10 t))` (%), 0 at `t = 0`.
    Gompertz {
        name: "gompertz",
        label: "Gompertz",
        equation: "F = 100*exp(-alpha*exp(-beta*log10(t))), F(0) = 0",
        reference: TSONG,
        params: [ALPHA_GOMPERTZ, BETA_GOMPERTZ],
        eval: |t, [alpha, beta]| {
            if t == 0.0 {
                0.0
            } else {
                100.0 * (-alpha * (-beta * t.log10()).exp()).exp()
            }
        },
    }
}

release_model! {
    /// Logistic (DDSolver/BEMoDA form, `log` = log10 as in BEMoDA's code):
    /// `F = 100 e^(alpha + beta log10 t) / (1 + e^(alpha + beta log10 t))` (%), 0 at `t = 0`.
    Logistic {
        name: "logistic",
        label: "Logistic",
        equation: "F = 100*exp(alpha + beta*log10(t))/(1 + exp(alpha + beta*log10(t))), F(0) = 0",
        reference: SATHE,
        params: [ALPHA_LOGISTIC, BETA_LOGISTIC],
        eval: |t, [alpha, beta]| {
            if t == 0.0 {
                0.0
            } else {
                100.0 / (1.0 + (-(alpha + beta * t.log10())).exp())
            }
        },
    }
}

release_model! {
    /// Peppas-Sahlin: `F = k1 t^m + k2 t^(2m)` (%), clamped at 0 (`k2` may be negative).
    PeppasSahlin {
        name: "peppas_sahlin",
        label: "Peppas-Sahlin",
        equation: "F = max(0, k1*t^m + k2*t^(2*m))",
        reference: PEPPAS_SAHLIN,
        params: [K1_PS, K2_PS, M_PS],
        eval: |t, [k1, k2, m]| {
            let tm = t.powf(m);
            nonneg(tm * (k1 + k2 * tm))
        },
    }
}

release_model! {
    /// Peppas-Sahlin with `m = 0.5` (slab): `F = k1 t^0.5 + k2 t` (%), clamped at 0.
    PeppasSahlin2 {
        name: "peppas_sahlin_2",
        label: "Peppas-Sahlin (m = 0.5)",
        equation: "F = max(0, k1*t^0.5 + k2*t)",
        reference: PEPPAS_SAHLIN,
        params: [K1_PS2, K2_PS2],
        eval: |t, [k1, k2]| {
            let s = t.sqrt();
            nonneg(s * (k1 + k2 * s))
        },
    }
}

release_model! {
    /// Makoid-Banakar: `F = kmb t^n exp(-k t)` (%). Not monotone: peaks at `t = n/k`.
    MakoidBanakar {
        name: "makoid_banakar",
        label: "Makoid-Banakar",
        equation: "F = kmb*t^n*exp(-k*t)",
        reference: MAKOID,
        params: [KMB, N_MB, K_MB],
        eval: |t, [kmb, n, k]| {
            if t == 0.0 {
                0.0
            } else {
                kmb * (n * t.ln() - k * t).exp()
            }
        },
    }
}

release_model! {
    /// Quadratic: `F = 100 (k1 t^2 + k2 t)` clamped at 0 (%; `k1` in 1/T^2, `k2` in 1/T).
    /// Sign convention as Costa & Sousa Lobo: both coefficients signed; a concave profile has
    /// `k1 < 0`, and then `F` falls after its vertex `t = -k2/(2 k1)` (not monotone).
    Quadratic {
        name: "quadratic",
        label: "Quadratic",
        equation: "F = max(0, 100*(k1*t^2 + k2*t))",
        reference: COSTA,
        params: [K1_QUAD, K2_QUAD],
        eval: |t, [k1, k2]| nonneg(100.0 * t * (k1 * t + k2)),
    }
}

release_model! {
    /// Burst plus first-order: `F = burst + (100 - burst)(1 - exp(-k1 t))` for `t > 0`,
    /// `F(0) = 0` (the burst is released at `t = 0+`) (%).
    Biphasic {
        name: "biphasic",
        label: "Burst + first-order",
        equation: "F = burst + (100 - burst)*(1 - exp(-k1*t)) for t > 0, F(0) = 0",
        reference: BIPHASIC,
        params: [BURST, K1],
        eval: |t, [burst, k1]| {
            if t == 0.0 {
                0.0
            } else {
                burst + (100.0 - burst) * one_minus_exp(k1 * t)
            }
        },
    }
}

release_model! {
    /// Burst plus first-order to a plateau:
    /// `F = burst + max(fmax - burst, 0)(1 - exp(-k1 t))` for `t > 0`, `F(0) = 0` (%).
    BiphasicFmax {
        name: "biphasic_fmax",
        label: "Burst + first-order (Fmax)",
        equation: "F = burst + max(fmax - burst, 0)*(1 - exp(-k1*t)) for t > 0, F(0) = 0",
        reference: BIPHASIC,
        params: [BURST, K1, FMAX],
        eval: |t, [burst, k1, fmax]| {
            if t == 0.0 {
                0.0
            } else {
                burst + nonneg(fmax - burst) * one_minus_exp(k1 * t)
            }
        },
    }
}

/// The empirical models in a stable order.
pub fn models() -> Vec<Box<dyn ReleaseModel>> {
    vec![
        Box::new(ZeroOrder),
        Box::new(ZeroOrderF0),
        Box::new(ZeroOrderTlag),
        Box::new(FirstOrder),
        Box::new(FirstOrderTlag),
        Box::new(FirstOrderFmax),
        Box::new(Higuchi),
        Box::new(HiguchiF0),
        Box::new(HiguchiTlag),
        Box::new(KorsmeyerPeppas),
        Box::new(KorsmeyerPeppasF0),
        Box::new(KorsmeyerPeppasTlag),
        Box::new(HixsonCrowell),
        Box::new(HixsonCrowellTlag),
        Box::new(HopfenbergSlab),
        Box::new(HopfenbergCylinder),
        Box::new(HopfenbergSphere),
        Box::new(BakerLonsdale),
        Box::new(Weibull),
        Box::new(WeibullTlag),
        Box::new(WeibullFmax),
        Box::new(DoubleWeibull),
        Box::new(Gompertz),
        Box::new(Logistic),
        Box::new(PeppasSahlin),
        Box::new(PeppasSahlin2),
        Box::new(MakoidBanakar),
        Box::new(Quadratic),
        Box::new(Biphasic),
        Box::new(BiphasicFmax),
    ]
}
