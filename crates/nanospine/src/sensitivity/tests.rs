use super::oat::oat;
use super::sample::{latin_hypercube, sample};
use super::*;
use crate::scenario::{parse, Override};

use crate::attribute::tests::SCENARIO;

fn setup() -> (Scenario, Registry) {
    let reg = Registry::builtin();
    let sc = parse(SCENARIO, &reg).unwrap();
    (sc, reg)
}

fn pats(p: &[&str]) -> Vec<String> {
    p.iter().map(|s| s.to_string()).collect()
}

#[test]
fn selection_resolves_names_and_prefixes_and_refuses_bad_input() {
    let (mut sc, reg) = setup();
    let s = select(&pats(&["injury.np_loss_fraction"]), &sc, &reg).unwrap();
    assert_eq!(s.varied.len(), 1);
    let v = &s.varied[0];
    assert_eq!(
        (v.baseline, v.low, v.high, v.log_scale),
        (0.3, 0.1, 0.6, false)
    );
    // a prefix takes every entry under it, once, however often it is named
    let m = select(
        &pats(&["biology.msc.*", "biology.msc.synthesis_fraction"]),
        &sc,
        &reg,
    )
    .unwrap();
    let n_msc = reg
        .iter()
        .filter(|p| p.name.starts_with("biology.msc."))
        .count();
    assert_eq!(m.varied.len() + m.skipped.len(), n_msc);
    assert!(m.varied.iter().all(|v| v.name.starts_with("biology.msc.")));
    // a range over more than a decade is sampled in log10
    let h = select(&pats(&["biology.drug.exosome_half"]), &sc, &reg).unwrap();
    assert!(h.varied[0].log_scale);
    // errors name the pattern and help
    let e = |p: &[&str], sc: &Scenario| select(&pats(p), sc, &reg).unwrap_err().to_string();
    assert!(e(&["injury.np_los_fraction"], &sc).contains("injury.np_loss_fraction"));
    assert!(e(&["nosuch.*"], &sc).contains("no registry parameter starts with 'nosuch.'"));
    assert!(e(&[], &sc).contains("--param"));
    // the scenario's own override is the baseline
    sc.parameters.push(Override {
        name: "injury.np_loss_fraction".into(),
        text: "0.4".into(),
        value: 0.4,
    });
    let s = select(&pats(&["injury.np_loss_fraction"]), &sc, &reg).unwrap();
    assert_eq!(s.varied[0].baseline, 0.4);
    // an arm's override would shadow the variation
    sc.arms[1].parameters.push(Override {
        name: "injury.np_damage".into(),
        text: "0.4".into(),
        value: 0.4,
    });
    let msg = e(&["injury.np_damage"], &sc);
    assert!(
        msg.contains("arm 'pbnp_gel'") && msg.contains("injury.np_damage"),
        "{msg}"
    );
}

#[test]
fn latin_hypercube_uses_every_stratum_once_per_parameter() {
    let varied = vec![
        Varied {
            name: "a".into(),
            unit: "1".into(),
            baseline: 0.5,
            low: 0.0,
            high: 2.0,
            log_scale: false,
        },
        Varied {
            name: "b".into(),
            unit: "1/s".into(),
            baseline: 1e-2,
            low: 1e-4,
            high: 1.0,
            log_scale: true,
        },
    ];
    let n = 40;
    let d = latin_hypercube(&varied, n, 7);
    assert_eq!(d.len(), n);
    for (j, v) in varied.iter().enumerate() {
        let mut seen = vec![0usize; n];
        for row in &d {
            let x = row[j];
            assert!(
                x >= v.low && x <= v.high,
                "{x} outside [{}, {}]",
                v.low,
                v.high
            );
            let u = if v.log_scale {
                (x.log10() - v.low.log10()) / (v.high.log10() - v.low.log10())
            } else {
                (x - v.low) / (v.high - v.low)
            };
            // u lies in (k/n, (k+1)/n]
            let k = ((u * n as f64).ceil() as usize).clamp(1, n) - 1;
            seen[k] += 1;
        }
        assert!(seen.iter().all(|&c| c == 1), "parameter {j}: {seen:?}");
    }
    assert_eq!(d, latin_hypercube(&varied, n, 7));
    assert_ne!(d, latin_hypercube(&varied, n, 8));
}

#[test]
fn one_at_a_time_moves_height_with_np_loss_and_leaves_unused_parameters_inert() {
    let (sc, reg) = setup();
    // NP extrusion at the puncture (injury.np_loss_fraction) lowers the disc height; the cord's
    // axon regrowth rate is not read by a disc run at all
    let sel = select(
        &pats(&["injury.np_loss_fraction", "sci.axon.regrowth_rate"]),
        &sc,
        &reg,
    )
    .unwrap();
    let calls = AtomicCount::default();
    let r = oat(&sc, &reg, &sel, &|_, total| calls.tick(total)).unwrap();
    assert_eq!(calls.get(), 5);
    assert_eq!(r.reference.as_deref(), Some("puncture"));
    // the baseline is the plain run
    let plain = run_with(&sc, &reg, &[]).unwrap();
    let row = |p: &str, level: &str, arm: &str, ro: &str| {
        r.rows
            .iter()
            .find(|x| {
                x.parameter == p
                    && x.level == level
                    && x.arm == arm
                    && x.readout == ro
                    && x.day == 14.0
            })
            .unwrap()
            .clone()
    };
    let lo = row("injury.np_loss_fraction", "low", "puncture", "dhi_percent");
    let hi = row("injury.np_loss_fraction", "high", "puncture", "dhi_percent");
    let p = plain.iter().find(|a| a.name == "puncture").unwrap();
    let ti = p.days.iter().position(|&d| d == 14.0).unwrap();
    assert_eq!(lo.baseline, p.value("dhi_percent", ti));
    assert!(
        lo.perturbed > lo.baseline && lo.baseline > hi.perturbed,
        "{lo:?} {hi:?}"
    );
    assert_eq!(lo.effect_baseline, None);
    // the treatment arm carries its effect against the puncture
    let t = row("injury.np_loss_fraction", "high", "pbnp_gel", "dhi_percent");
    let e = t.effect_baseline.unwrap();
    assert!(
        (e - (t.baseline - lo.baseline)).abs() < 1e-12,
        "{t:?} {lo:?}"
    );
    for x in r
        .rows
        .iter()
        .filter(|x| x.parameter == "sci.axon.regrowth_rate")
    {
        assert!(
            x.perturbed == x.baseline || (x.perturbed.is_nan() && x.baseline.is_nan()),
            "{x:?}"
        );
    }
    let (base, bars) = r.tornado("pbnp_gel", "dhi_percent", 14.0, true);
    assert_eq!(base, e);
    assert_eq!(bars.len(), 2);
    assert_eq!(bars[0].parameter, "injury.np_loss_fraction");
    assert_eq!(bars[1].swing, 0.0);
}

#[test]
fn uncertainty_bands_are_ordered_and_count_the_samples() {
    let (sc, reg) = setup();
    let sel = select(&pats(&["injury.np_loss_fraction"]), &sc, &reg).unwrap();
    assert!(sample(&sc, &reg, &sel, 2, 1, &|_, _| {})
        .unwrap_err()
        .to_string()
        .contains("--samples = 2"));
    let r = sample(&sc, &reg, &sel, 4, 11, &|_, _| {}).unwrap();
    assert_eq!(r.failures(), 0);
    assert_eq!(r.samples.len(), 4);
    let band = |arm: &str| {
        r.bands
            .iter()
            .find(|b| b.arm == arm && b.readout == "dhi_percent" && b.day == 14.0)
            .unwrap()
            .clone()
    };
    let p = band("puncture");
    assert_eq!(p.value.n, 4);
    assert!(
        p.value.p05 < p.value.p50 && p.value.p50 < p.value.p95,
        "{p:?}"
    );
    assert!(p.effect.is_none());
    let g = band("pbnp_gel");
    let e = g.effect.unwrap();
    assert!(e.p05 <= e.p50 && e.p50 <= e.p95, "{g:?}");
    // the sampled NP loss spans the range, so the puncture's height brackets the baseline
    assert!(
        p.value.p05 < p.value.baseline && p.value.baseline < p.value.p95,
        "{p:?}"
    );
}

/// Counts progress calls and checks that the total is stable.
#[derive(Default)]
struct AtomicCount(std::sync::atomic::AtomicUsize);

impl AtomicCount {
    fn tick(&self, total: usize) {
        assert_eq!(total, 5);
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    fn get(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[test]
fn a_failing_range_end_is_listed_and_the_other_runs_kept() {
    let (mut sc, reg) = setup();
    // with the saturation stress at 0.35 MPa, a threshold of 0.8 MPa (the high end of its range)
    // is an invalid overload model, which every injured arm reads
    sc.parameters.push(Override {
        name: "overload.stress_saturation".into(),
        text: "0.35 MPa".into(),
        value: 0.35,
    });
    let sel = select(&pats(&["overload.stress_threshold"]), &sc, &reg).unwrap();
    let r = oat(&sc, &reg, &sel, &|_, _| {}).unwrap();
    assert_eq!(r.failures.len(), 1, "{:?}", r.failures);
    let (name, level, value, err) = &r.failures[0];
    assert_eq!(
        (name.as_str(), *level, *value),
        ("overload.stress_threshold", "high", 0.8)
    );
    assert!(err.contains("must exceed"), "{err}");
    assert!(!r.rows.is_empty() && r.rows.iter().all(|x| x.level == "low"));
    assert_eq!(r.summary().failures.len(), 1);
}

fn check(
    kind: &str,
    arm: &str,
    than: Option<&str>,
    lo: Option<f64>,
) -> crate::validate::studies::Check {
    crate::validate::studies::Check {
        readout: "dhi_percent".into(),
        day: 14.0,
        arm: arm.into(),
        kind: kind.into(),
        than: than.map(String::from),
        and: None,
        lo,
        hi: lo.map(|_| 1000.0),
        margin: None,
        from: None,
        finding: "test finding".into(),
    }
}

#[test]
fn study_checks_are_evaluated_on_every_run_and_their_flips_found() {
    let (sc, reg) = setup();
    let sel = select(&pats(&["injury.np_loss_fraction"]), &sc, &reg).unwrap();
    let r = oat(&sc, &reg, &sel, &|_, _| {}).unwrap();
    let base = r
        .baseline_arms
        .iter()
        .find(|a| a.name == "puncture")
        .unwrap();
    let ti = base.days.iter().position(|&d| d == 14.0).unwrap();
    let dhi = base.value("dhi_percent", ti);
    // the gel's benefit holds over the NP-loss range; a floor just under the baseline height of
    // the puncture fails once more NP is extruded, and only then
    let checks = [
        check("higher", "pbnp_gel", Some("puncture"), None),
        check("range", "puncture", None, Some(dhi - 0.01)),
    ];
    let rob = r.check_robustness("t", &checks);
    // the two listed checks, then the automatic no-recovery check of the injury-only arm (the
    // run ends at day 14, so its rise after day 14 is 0)
    assert_eq!(rob.len(), 3);
    assert_eq!(rob[2].name, "t: puncture no spontaneous recovery");
    assert!(rob[2].baseline_passed && rob[2].flips().count() == 0 && rob[2].baseline_value == 0.0);
    assert!(rob[0]
        .name
        .starts_with("t: pbnp_gel dhi_percent d14 higher than puncture"));
    assert!(
        rob[0].baseline_passed && rob[0].flips().count() == 0,
        "{:?}",
        rob[0]
    );
    assert!(rob[1].baseline_passed);
    let flips: Vec<_> = rob[1].flips().collect();
    assert_eq!(flips.len(), 1, "{:?}", rob[1]);
    assert_eq!(
        (flips[0].parameter.as_str(), flips[0].level),
        ("injury.np_loss_fraction", "high")
    );
    assert!(flips[0].value < dhi - 0.01);
    // pass rates over a Latin hypercube
    let s = sample(&sc, &reg, &sel, 4, 5, &|_, _| {}).unwrap();
    let rates = s.check_pass_rates("t", &checks);
    assert_eq!((rates[0].passed, rates[0].samples), (4, 4));
    // the NP loss is sampled once in each quarter of 0.1-0.6; those above the baseline 0.3
    // lower the height under the floor
    assert!(
        rates[1].passed >= 1 && rates[1].passed <= 3,
        "{:?}",
        rates[1]
    );
    assert_eq!(rates[1].fraction(), rates[1].passed as f64 / 4.0);
}

const CORD: &str = r#"
[scenario]
name = "cord sensitivity test"
tissue = "cord"
species = "rat_thoracic"
[grid]
kind = "axisymmetric"
spacing = "0.1 mm"
[solver]
mode = "transient"
end_time = "3 d"
dt = "6 h"
output_times = ["3 d"]
[[arm]]
name = "contused"
role = "injury_only"
[arm.injury]
type = "contusion"
device = "weight_drop"
mass = "10 g"
height = "25 mm"
"#;

#[test]
fn a_cord_study_moves_sparing_with_secondary_axon_loss_and_ignores_disc_parameters() {
    let reg = Registry::builtin();
    let sc = parse(CORD, &reg).unwrap_or_else(|e| panic!("{}", e.render("CORD")));
    let sel = select(
        &pats(&["sci.axon.secondary_death_rate", "injury.np_loss_fraction"]),
        &sc,
        &reg,
    )
    .unwrap();
    let r = oat(&sc, &reg, &sel, &|_, _| {}).unwrap();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    assert_eq!(r.reference.as_deref(), Some("contused"));
    let (base, bars) = r.tornado("contused", "spared_white_matter_fraction", 3.0, false);
    assert!(base > 0.0 && base < 1.0, "{base}");
    let axon = bars
        .iter()
        .find(|b| b.parameter == "sci.axon.secondary_death_rate")
        .unwrap();
    // faster secondary axon loss spares less white matter
    assert!(axon.at_low > base && base > axon.at_high, "{axon:?} {base}");
    let disc = bars
        .iter()
        .find(|b| b.parameter == "injury.np_loss_fraction")
        .unwrap();
    assert_eq!((disc.at_low, disc.at_high, disc.swing), (base, base, 0.0));
}

/// The Ishigami function (Ishigami & Homma 1990), a = 7, b = 0.1, on x in [-pi, pi]^3: analytic
/// indices S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437) (Saltelli et al. 2008, Global
/// Sensitivity Analysis: The Primer, section 4.9).
fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u
        .iter()
        .map(|&v| -std::f64::consts::PI + 2.0 * std::f64::consts::PI * v)
        .collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

#[test]
fn sobol_estimators_recover_the_ishigami_indices_and_converge() {
    use super::sobol::{indices, Design};
    let (a, b) = (7.0f64, 0.1f64);
    let pi = std::f64::consts::PI;
    // analytic variances
    let v1 = 0.5 * (1.0 + b * pi.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * pi.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    let s = [v1 / v, v2 / v, 0.0];
    let st = [(v1 + v13) / v, v2 / v, v13 / v];
    assert!((s[0] - 0.3139).abs() < 1e-4 && (st[2] - 0.2437).abs() < 1e-4);
    let err = |n: usize| -> (f64, Vec<super::sobol::Index>) {
        let d = Design::new(3, n, 7);
        let fa: Vec<f64> = d.a.iter().map(|r| ishigami(r)).collect();
        let fb: Vec<f64> = d.b.iter().map(|r| ishigami(r)).collect();
        let fab: Vec<Vec<f64>> = (0..3)
            .map(|i| d.ab(i).iter().map(|r| ishigami(r)).collect())
            .collect();
        let idx = indices(&fa, &fb, &fab, 11);
        let e = (0..3)
            .map(|i| {
                (idx[i].first - s[i])
                    .abs()
                    .max((idx[i].total - st[i]).abs())
            })
            .fold(0.0, f64::max);
        (e, idx)
    };
    let (e_small, _) = err(512);
    let (e_big, idx) = err(32_768);
    // Monte Carlo error ~ n^-1/2: 64x the samples, about 8x smaller (allow 3x)
    assert!(e_big < 0.02, "error {e_big} at n = 32768: {idx:?}");
    assert!(e_big < e_small / 3.0, "{e_small} -> {e_big}");
    // the bootstrap intervals cover the analytic values
    for i in 0..3 {
        assert!(
            idx[i].first_lo <= s[i] + 0.005 && s[i] - 0.005 <= idx[i].first_hi,
            "{:?}",
            idx[i]
        );
        assert!(
            idx[i].total_lo <= st[i] + 0.005 && st[i] - 0.005 <= idx[i].total_hi,
            "{:?}",
            idx[i]
        );
        assert!(idx[i].first_lo <= idx[i].first && idx[i].first <= idx[i].first_hi);
    }
    // the estimates do not depend on the output's offset (the outputs are centred): %DHI
    // around 70 must rank parameters as well as its deviations do
    let d = Design::new(3, 512, 3);
    let f = |m: &Vec<Vec<f64>>, c: f64| -> Vec<f64> { m.iter().map(|r| ishigami(r) + c).collect() };
    let fab = |c: f64| -> Vec<Vec<f64>> { (0..3).map(|i| f(&d.ab(i), c)).collect() };
    let plain = indices(&f(&d.a, 0.0), &f(&d.b, 0.0), &fab(0.0), 5);
    let shifted = indices(&f(&d.a, 1e3), &f(&d.b, 1e3), &fab(1e3), 5);
    for (p, q) in plain.iter().zip(&shifted) {
        assert!((p.first - q.first).abs() < 1e-9 && (p.total - q.total).abs() < 1e-9);
    }
    // a constant output has no indices
    let c = vec![1.0; 8];
    let k = indices(&c, &c, std::slice::from_ref(&c), 1);
    assert!(k[0].first.is_nan() && k[0].total.is_nan());
}

#[test]
fn sobol_study_of_a_scenario_ranks_the_np_loss_and_counts_its_runs() {
    let (sc, reg) = setup();
    let sel = select(
        &pats(&["injury.np_loss_fraction", "biology.msc.random_motility"]),
        &sc,
        &reg,
    )
    .unwrap();
    assert!(super::sobol::sobol(&sc, &reg, &sel, 3, 1, &|_, _| {}).is_err());
    let r = super::sobol::sobol(&sc, &reg, &sel, 4, 1, &|_, _| {}).unwrap();
    assert_eq!(r.runs, 4 * (2 + 2));
    assert!(r.failures.is_empty());
    let row = r
        .rows
        .iter()
        .find(|x| x.arm == "puncture" && x.day == 14.0 && x.readout == "dhi_percent")
        .unwrap();
    // the NP extruded by the puncture moves its height; MSC motility (no MSCs here) does not
    let k = sel
        .varied
        .iter()
        .position(|v| v.name == "injury.np_loss_fraction")
        .unwrap();
    let m = 1 - k;
    assert!(row.variance > 0.0);
    assert!(row.indices[k].total > 0.5, "{row:?}");
    assert!(row.indices[m].total.abs() < 1e-9, "{row:?}");
    // effects only for arms other than the reference
    assert!(r
        .rows
        .iter()
        .any(|x| x.arm == "pbnp_gel" && x.quantity == "effect"));
    assert!(!r
        .rows
        .iter()
        .any(|x| x.arm == "puncture" && x.quantity == "effect"));
}
