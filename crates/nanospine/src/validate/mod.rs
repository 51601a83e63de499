//! Validation suites: analytic solutions with measured orders, conservation, and published
//! behaviour. Run by the tests and by `nanospine validate transport|fit [--json]`.

pub mod analytic;
pub mod disc;
pub mod fit;
pub mod studies;

pub use studies::studies_suite;

use serde::Serialize;

/// One validation case.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// Case name.
    pub name: String,
    /// Whether `value` satisfies `threshold`.
    pub passed: bool,
    /// What is measured (with unit).
    pub metric: String,
    /// Measured value.
    pub value: f64,
    /// Acceptance criterion, as text (e.g. "<= 1e-6", ">= 1.8", "in [0.25, 0.55]").
    pub threshold: String,
}

/// A suite of cases.
#[derive(Debug, Clone, Serialize)]
pub struct Suite {
    /// Suite name.
    pub suite: String,
    /// All cases passed.
    pub passed: bool,
    /// The cases.
    pub cases: Vec<Case>,
}

impl Case {
    /// Case passing when `value <= max`.
    pub fn at_most(name: &str, metric: &str, value: f64, max: f64) -> Case {
        Case {
            name: name.into(),
            passed: value <= max,
            metric: metric.into(),
            value,
            threshold: format!("<= {max:e}"),
        }
    }
    /// Case passing when `value >= min`.
    pub fn at_least(name: &str, metric: &str, value: f64, min: f64) -> Case {
        Case {
            name: name.into(),
            passed: value >= min,
            metric: metric.into(),
            value,
            threshold: format!(">= {min}"),
        }
    }
    /// Case passing when `lo <= value <= hi`.
    pub fn within(name: &str, metric: &str, value: f64, lo: f64, hi: f64) -> Case {
        Case {
            name: name.into(),
            passed: (lo..=hi).contains(&value),
            metric: metric.into(),
            value,
            threshold: format!("in [{lo}, {hi}]"),
        }
    }
    /// A case that could not be computed (counts as failed).
    pub fn failed(name: &str, metric: &str, why: &str) -> Case {
        Case {
            name: name.into(),
            passed: false,
            metric: format!("{metric} (error: {why})"),
            value: f64::NAN,
            threshold: "-".into(),
        }
    }
}

fn push_result(cases: &mut Vec<Case>, name: &str, metric: &str, r: Result<Vec<Case>, String>) {
    match r {
        Ok(c) => cases.extend(c),
        Err(e) => cases.push(Case::failed(name, metric, &e)),
    }
}

/// The transport validation suite.
pub fn transport_suite() -> Suite {
    let mut cases = vec![];
    push_result(
        &mut cases,
        "slab_zero_order",
        "max error / centre drop",
        analytic::slab_cases(),
    );
    push_result(
        &mut cases,
        "cylinder_first_order_bessel",
        "max error / C_R",
        analytic::cylinder_cases(),
    );
    push_result(
        &mut cases,
        "transient_slab_series",
        "max error",
        analytic::transient_cases(),
    );
    push_result(
        &mut cases,
        "mode_decay_3d",
        "relative amplitude error",
        analytic::mode_decay_cases(),
    );
    push_result(
        &mut cases,
        "conservation",
        "relative imbalance",
        disc::conservation_cases(),
    );
    push_result(
        &mut cases,
        "published_healthy_human",
        "NP extremes",
        disc::healthy_human_cases(),
    );
    push_result(
        &mut cases,
        "exchange_area_sweep",
        "onset of cell death (EA)",
        disc::exchange_area_cases(),
    );
    let passed = cases.iter().all(|c| c.passed);
    Suite {
        suite: "transport".into(),
        passed,
        cases,
    }
}

/// The release-fitter validation suite (`nanospine validate fit`): t quantiles, f1/f2 and
/// bootstrap, the DDSolver-parity fixture, parameter recovery for every release model, and
/// AICc model selection (see [`fit`]).
pub fn fit_suite() -> Suite {
    let mut cases = fit::t_quantile_cases();
    push_result(&mut cases, "f1_f2", "f1/f2", fit::similarity_cases());
    push_result(&mut cases, "fixture", "fixture fit", fit::fixture_cases());
    cases.extend(fit::recovery_cases());
    cases.extend(fit::ranking_cases());
    let passed = cases.iter().all(|c| c.passed);
    Suite {
        suite: "fit".into(),
        passed,
        cases,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn transport_suite_passes_every_case() {
        let s = super::transport_suite();
        let failed: Vec<_> = s.cases.iter().filter(|c| !c.passed).collect();
        assert!(failed.is_empty(), "failing cases: {failed:#?}");
        assert!(s.cases.len() >= 20);
    }

    #[test]
    fn fit_suite_passes_every_case() {
        let s = super::fit_suite();
        let failed: Vec<_> = s.cases.iter().filter(|c| !c.passed).collect();
        assert!(failed.is_empty(), "failing cases: {failed:#?}");
        // every model in release::all() has a recovery case
        for m in crate::release::all() {
            let name = format!("recover_{}", m.name());
            assert!(s.cases.iter().any(|c| c.name == name), "missing {name}");
        }
    }
}
