//! Empirical release models (DDSolver family). Equations follow the BEMoDA transcription of
//! the primary papers (np-carriers.md §1.4).

use super::{ParamKind, ParamSpec, ReleaseModel};

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
    description: "Weibull time scale (63.2 % released at t = tau)",
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

/// Zero-order: `F = k0 * t` (Costa & Sousa Lobo, Eur J Pharm Sci 2001;13:123).
pub struct ZeroOrder;

impl ReleaseModel for ZeroOrder {
    fn name(&self) -> &'static str {
        "zero_order"
    }
    fn label(&self) -> &'static str {
        "Zero-order"
    }
    fn equation(&self) -> &'static str {
        "F = k0*t"
    }
    fn reference(&self) -> &'static str {
        "Costa P, Sousa Lobo JM. Eur J Pharm Sci 2001;13:123-133"
    }
    fn params(&self) -> &'static [ParamSpec] {
        const P: [ParamSpec; 1] = [K0];
        &P
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        p[0] * t
    }
}

/// First-order: `F = 100 * (1 - exp(-k1 t))` (Costa & Sousa Lobo 2001).
pub struct FirstOrder;

impl ReleaseModel for FirstOrder {
    fn name(&self) -> &'static str {
        "first_order"
    }
    fn label(&self) -> &'static str {
        "First-order"
    }
    fn equation(&self) -> &'static str {
        "F = 100*(1 - exp(-k1*t))"
    }
    fn reference(&self) -> &'static str {
        "Costa P, Sousa Lobo JM. Eur J Pharm Sci 2001;13:123-133"
    }
    fn params(&self) -> &'static [ParamSpec] {
        const P: [ParamSpec; 1] = [K1];
        &P
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        100.0 * (1.0 - (-p[0] * t).exp())
    }
}

/// Weibull: `F = 100 * (1 - exp(-(t/tau)^beta))` (Sathe, Tsong, Shah, Pharm Res 1996;13:1799).
pub struct Weibull;

impl ReleaseModel for Weibull {
    fn name(&self) -> &'static str {
        "weibull"
    }
    fn label(&self) -> &'static str {
        "Weibull"
    }
    fn equation(&self) -> &'static str {
        "F = 100*(1 - exp(-(t/tau)^beta))"
    }
    fn reference(&self) -> &'static str {
        "Sathe PM, Tsong Y, Shah VP. Pharm Res 1996;13:1799-1803"
    }
    fn params(&self) -> &'static [ParamSpec] {
        const P: [ParamSpec; 2] = [TAU, BETA];
        &P
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        100.0 * (1.0 - (-(t / p[0]).powf(p[1])).exp())
    }
}

/// The empirical models in a stable order.
pub fn models() -> Vec<Box<dyn ReleaseModel>> {
    vec![Box::new(ZeroOrder), Box::new(FirstOrder), Box::new(Weibull)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weibull_reaches_63_percent_at_tau() {
        let f = Weibull.eval(3.0, &[3.0, 1.7]);
        assert!((f - 100.0 * (1.0 - (-1.0f64).exp())).abs() < 1e-12);
    }

    #[test]
    fn release_law_converts_time_units() {
        let mut v = std::collections::BTreeMap::new();
        v.insert("k1".to_string(), 0.1);
        let law = super::super::ReleaseLaw::new("first_order", &v, 86400.0).unwrap();
        let f = law.fraction(10.0 * 86400.0);
        assert!((f - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert!(
            super::super::ReleaseLaw::new("first_order", &Default::default(), 86400.0)
                .unwrap_err()
                .0
                .contains("needs parameter `k1`")
        );
    }
}
