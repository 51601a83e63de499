//! Unit tests of the fitter: CSV reader, statistics, least squares against independent
//! solutions, ranking, windows, replicates, similarity, outputs.

use super::data::{unit_from_header, ReleaseData};
use super::similarity::{
    compare, f1, f2, percentile_sorted, select_points, PointRule, SimilarityOptions, SplitMix64,
};
use super::stats::{goodness, inc_beta, t_quantile};
use super::*;

fn parse(text: &str) -> Result<ReleaseData, FitError> {
    ReleaseData::parse(text, "x.csv")
}

fn err(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn reader_accepts_units_comments_blank_lines_and_bom() {
    let d = parse(
        "\u{feff}# release of batch A\n\ntime (h),rep1,\"rep 2\"\n0,0,0\n  # mid comment\n1.5,10,12\n\n3,20.5,19.5\n",
    )
    .unwrap();
    assert_eq!(d.time, [0.0, 1.5, 3.0]);
    assert_eq!(d.time_unit.as_deref(), Some("h"));
    assert_eq!(d.time_label(), "time (h)");
    assert_eq!(d.columns, ["rep1", "rep 2"]);
    assert_eq!(d.values[1], [0.0, 12.0, 19.5]);
    assert_eq!(d.lines, [4, 6, 8]);
    assert_eq!(d.mean(), [0.0, 11.0, 20.0]);
    let sd = d.sd();
    assert!((sd[1] - 2f64.sqrt()).abs() < 1e-12, "{sd:?}");
    let tab = parse("t_min\tF\n1\t5\n2\t9\n").unwrap();
    assert_eq!(tab.time_unit.as_deref(), Some("min"));
    assert_eq!(tab.values[0], [5.0, 9.0]);
}

#[test]
fn units_are_read_from_header_forms() {
    assert_eq!(unit_from_header("time_h").as_deref(), Some("h"));
    assert_eq!(unit_from_header("time (h)").as_deref(), Some("h"));
    assert_eq!(unit_from_header("Time [min]").as_deref(), Some("min"));
    assert_eq!(unit_from_header("t_days").as_deref(), Some("days"));
    assert_eq!(unit_from_header("time"), None);
    assert_eq!(unit_from_header("t"), None);
}

#[test]
fn reader_errors_name_line_column_and_allowed_range() {
    let e = err("0,1\n1,2\n");
    assert!(e.contains("line 1") && e.contains("missing header"), "{e}");
    let e = err("time_h,a,b\n1,2,x3\n");
    assert!(
        e.contains("line 2") && e.contains("column 3 (`b`)") && e.contains("`x3` is not a number"),
        "{e}"
    );
    let e = err("time_h,a\n1,NaN\n");
    assert!(
        e.contains("line 2") && e.contains("column 2 (`a`)") && e.contains("not a finite"),
        "{e}"
    );
    let e = err("time_h,a\n1,2\n# c\n1,3\n");
    assert!(
        e.contains("line 4") && e.contains("strictly increasing") && e.contains("line 2"),
        "{e}"
    );
    let e = err("time_h,a\n-1,2\n");
    assert!(e.contains("line 2") && e.contains("negative"), "{e}");
    let e = err("time_h,a\n1,2\n2,106\n");
    assert!(
        e.contains("line 3") && e.contains("106") && e.contains("[-5, 105]"),
        "{e}"
    );
    let e = err("time_h,a\n1,-5.5\n");
    assert!(e.contains("-5.5") && e.contains("[-5, 105]"), "{e}");
    let e = err("time_h,a,b\n1,2\n");
    assert!(
        e.contains("line 2") && e.contains("2 cells") && e.contains("3 columns"),
        "{e}"
    );
    let e = err("time_h,a\n1,\n");
    assert!(e.contains("line 2") && e.contains("is empty"), "{e}");
    let e = err("time_h\n1\n");
    assert!(
        e.contains("line 1") && e.contains("at least one release column"),
        "{e}"
    );
    let e = err("# only a comment\n\n");
    assert!(e.contains("no header"), "{e}");
    let e = err("time_h,a\n");
    assert!(e.contains("no data rows"), "{e}");
    // 105 % and -5 % are inside the tolerance
    assert!(parse("time_h,a\n1,-5\n2,105\n").is_ok());
}

#[test]
fn windows_parse_and_match() {
    let w = PercentWindow::parse("10:60").unwrap();
    assert_eq!((w.min, w.max), (10.0, 60.0));
    assert!(w.contains(10.0) && w.contains(60.0) && !w.contains(60.1));
    let w = PercentWindow::parse(":60").unwrap();
    assert_eq!((w.min, w.max), (-5.0, 60.0));
    let w = PercentWindow::parse("20:").unwrap();
    assert_eq!((w.min, w.max), (20.0, 105.0));
    for bad in ["60", "a:b", "70:60", "5:5"] {
        let e = PercentWindow::parse(bad).unwrap_err().to_string();
        assert!(e.contains(bad) && e.contains("MIN:MAX"), "{e}");
    }
    let m = ModelWindow::parse("korsmeyer_peppas*=:60").unwrap();
    assert!(m.matches("korsmeyer_peppas") && m.matches("korsmeyer_peppas_tlag"));
    assert!(!m.matches("weibull"));
    let m = ModelWindow::parse("weibull=0:80").unwrap();
    assert!(m.matches("weibull") && !m.matches("weibull_tlag"));
    assert_eq!(ModelWindow::kp(60.0).unwrap().window.max, 60.0);
    assert!(ModelWindow::parse("weibull").is_err());
}

#[test]
fn t_quantile_and_incomplete_beta_match_tables() {
    // two-sided 95 % t table
    assert!((t_quantile(0.975, 10.0) - 2.228).abs() < 5e-4);
    assert!((t_quantile(0.975, 11.0) - 2.201).abs() < 5e-4);
    assert!((t_quantile(0.975, 1.0) - 12.706).abs() < 5e-4);
    assert!((t_quantile(0.025, 10.0) + 2.228).abs() < 5e-4);
    assert_eq!(t_quantile(0.5, 3.0), 0.0);
    assert!(t_quantile(1.0, 3.0).is_nan() && t_quantile(0.9, 0.0).is_nan());
    // I_x(1, 1) = x; I_0.5(2, 3) = 11/16 (binomial sum); symmetry I_x(a,b) = 1 - I_(1-x)(b,a)
    assert!((inc_beta(1.0, 1.0, 0.3) - 0.3).abs() < 1e-14);
    assert!((inc_beta(2.0, 3.0, 0.5) - 11.0 / 16.0).abs() < 1e-14);
    let (a, b, x) = (3.7, 0.5, 0.81);
    assert!((inc_beta(a, b, x) + inc_beta(b, a, 1.0 - x) - 1.0).abs() < 1e-13);
}

#[test]
fn goodness_of_fit_definitions() {
    // n = 10, p = 2, SS = 2, SS_tot = 100
    let g = goodness(2.0, 100.0, 10, 2);
    let l = 10.0 * (0.2f64).ln();
    assert!((g.r2.unwrap() - 0.98).abs() < 1e-15);
    assert!((g.r2_adj.unwrap() - (1.0 - 0.02 * 9.0 / 8.0)).abs() < 1e-15);
    assert!((g.aic.unwrap() - (l + 4.0)).abs() < 1e-12);
    assert!((g.aicc.unwrap() - (l + 4.0 + 12.0 / 7.0)).abs() < 1e-12);
    assert!((g.bic.unwrap() - (l + 2.0 * 10f64.ln())).abs() < 1e-12);
    assert!((g.msc.unwrap() - (50f64.ln() - 0.4)).abs() < 1e-12);
    assert!((g.rmse.unwrap() - 0.5).abs() < 1e-15);
    let g = goodness(2.0, 100.0, 3, 2);
    assert!(g.aicc.is_none() && g.aic.is_some() && g.rmse.is_some());
    let g = goodness(0.0, 100.0, 2, 2);
    assert!(g.aic.is_none() && g.r2_adj.is_none() && g.rmse.is_none());
    assert_eq!(g.r2, Some(1.0));
}

fn fixture_fit() -> FitReport {
    fit_all(&bench::fixture(), &FitOptions::default()).unwrap()
}

fn model<'a>(r: &'a FitReport, name: &str) -> &'a ModelFit {
    r.models.iter().find(|m| m.name == name).unwrap()
}

#[test]
fn fixture_fits_match_independent_solutions() {
    let r = fixture_fit();
    let (t, y) = (bench::FIXTURE_T, bench::FIXTURE_F);
    // zero order: closed-form slope and SE = sqrt(s^2 / sum t^2), CI with t(0.975, 11)
    let z = model(&r, "zero_order");
    let stt: f64 = t.iter().map(|a| a * a).sum();
    let k0 = t.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() / stt;
    let ss: f64 = t.iter().zip(&y).map(|(a, b)| (b - k0 * a).powi(2)).sum();
    let se = (ss / 11.0 / stt).sqrt();
    let p = &z.params[0];
    assert!((p.value - k0).abs() < 1e-9 * k0, "{} vs {k0}", p.value);
    assert!((p.se.unwrap() - se).abs() < 1e-6 * se, "{:?} vs {se}", p.se);
    let ci = p.ci95.unwrap();
    assert!((ci[1] - k0 - t_quantile(0.975, 11.0) * se).abs() < 1e-6);
    assert!((ss - z.ss).abs() < 1e-9 * ss);
    // the hand values (python check): k0 = 5.8348387, SS = 3039.7187, SE = 0.42223527
    assert!((k0 - 5.834_838_7).abs() < 1e-7 && (se - 0.422_235_27).abs() < 1e-8);
    // first order: t50 = ln 2 / k, t90 = ln 10 / k; k = 0.13900863 (golden section)
    let f = model(&r, "first_order");
    let k = f.params[0].value;
    assert!((k - 0.139_008_63).abs() < 1e-7, "{k}");
    assert!((f.t50.unwrap() - 2f64.ln() / k).abs() < 1e-9);
    assert!((f.t90.unwrap() - 10f64.ln() / k).abs() < 1e-9);
    assert!((f.t25.unwrap() - (4.0f64 / 3.0).ln() / k).abs() < 1e-9);
    // Weibull: a 2-D grid finds SS = 84.0504 at tau = 7.184, beta = 0.958
    let w = model(&r, "weibull");
    assert!(w.ss <= 84.0505, "{}", w.ss);
    assert!((w.params[0].value - 7.183).abs() < 0.01 && (w.params[1].value - 0.958).abs() < 0.002);
    assert!(w.r2.unwrap() > 0.99 && f.r2.unwrap() > 0.98);
    // ranking is by AICc
    for pair in r.models.windows(2) {
        assert!(pair[0].aicc.unwrap() <= pair[1].aicc.unwrap());
    }
    assert_eq!(r.models[0].rank, 1);
}

#[test]
fn fitting_is_bitwise_deterministic() {
    let a = serde_json::to_string(&fixture_fit()).unwrap();
    let b = serde_json::to_string(&fixture_fit()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn null_aicc_ranks_last_and_too_few_points_skip_models() {
    let d =
        ReleaseData::from_columns("time_h", &[1.0, 2.0, 4.0], &[vec![20.0, 35.0, 58.0]]).unwrap();
    let r = fit_all(&d, &FitOptions::default()).unwrap();
    let w = model(&r, "weibull");
    assert!(w.aicc.is_none());
    // every model with a null AICc ranks after every model with one
    let first_null = r.models.iter().position(|m| m.aicc.is_none()).unwrap();
    assert!(r.models[first_null..].iter().all(|m| m.aicc.is_none()));
    assert!(w.rank > first_null);
    assert!(
        w.notes.iter().any(|n| n.contains("AICc null")),
        "{:?}",
        w.notes
    );
    assert!(r.models[0].aicc.is_some());
    // one point: weibull (2 parameters) is skipped with a reason; one-parameter models have
    // zero degrees of freedom and null SE
    let d = ReleaseData::from_columns("time_h", &[2.0], &[vec![30.0]]).unwrap();
    let r = fit_all(&d, &FitOptions::default()).unwrap();
    let s = r.skipped.iter().find(|s| s.name == "weibull").unwrap();
    assert!(s.reason.contains("at least 2 points"), "{}", s.reason);
    let z = model(&r, "zero_order");
    assert_eq!(z.dof, 0);
    assert!(z.params[0].se.is_none() && z.params[0].ci95.is_none());
    assert!((z.params[0].value - 15.0).abs() < 1e-6);
    // no model fittable: an error listing the reasons
    let only = FitOptions {
        models: vec!["weibull".into()],
        ..FitOptions::default()
    };
    let e = fit_all(&d, &only).unwrap_err().to_string();
    assert!(
        e.contains("no model could be fitted") && e.contains("weibull"),
        "{e}"
    );
}

#[test]
fn model_selection_errors_suggest_names() {
    let o = FitOptions {
        models: vec!["weibul".into()],
        ..FitOptions::default()
    };
    let e = select_models(&o).err().unwrap().to_string();
    assert!(
        e.contains("`weibul`") && e.contains("did you mean `weibull`"),
        "{e}"
    );
    let all = FitOptions {
        include_mechanistic: true,
        ..FitOptions::default()
    };
    assert_eq!(
        select_models(&all).unwrap().len(),
        crate::release::all().len()
    );
    let classical = crate::release::all()
        .iter()
        .filter(|m| m.classical())
        .count();
    assert_eq!(
        select_models(&FitOptions::default()).unwrap().len(),
        classical
    );
    let o = FitOptions {
        model_windows: vec![ModelWindow::parse("weibul=:60").unwrap()],
        ..FitOptions::default()
    };
    let e = fit_all(&bench::fixture(), &o).unwrap_err().to_string();
    assert!(e.contains("matches no model"), "{e}");
}

#[test]
fn model_window_changes_points_and_ranks_after_comparable_models() {
    let o = FitOptions {
        model_windows: vec![ModelWindow::parse("zero_order=:60").unwrap()],
        ..FitOptions::default()
    };
    let r = fit_all(&bench::fixture(), &o).unwrap();
    let z = model(&r, "zero_order");
    // fixture points with F <= 60: 8, 24, 38, 48, 58
    assert_eq!(z.n, 5);
    assert!(!z.comparable && z.rank == r.models.len());
    assert!(model(&r, "weibull").comparable);
    // closed form on the window
    let (t, y) = (&bench::FIXTURE_T[..5], &bench::FIXTURE_F[..5]);
    let k0 =
        t.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / t.iter().map(|a| a * a).sum::<f64>();
    assert!((z.params[0].value - k0).abs() < 1e-9 * k0);
    // a global window applies to all models and keeps them comparable
    let o = FitOptions {
        window: PercentWindow::parse("10:90").unwrap(),
        ..FitOptions::default()
    };
    let r = fit_all(&bench::fixture(), &o).unwrap();
    assert!(r.models.iter().all(|m| m.n == 9 && m.comparable));
}

#[test]
fn replicate_modes_weight_or_pool() {
    let d = parse("time_h,a,b,c\n0,0,0,0\n1,10,12,14\n2,20,20.5,21\n4,40,44,48\n").unwrap();
    let o = Observations::new(&d, ReplicateMode::Mean, 1.0, &PercentWindow::ALL);
    assert_eq!(o.len(), 4);
    // SD: 0 -> floor 1; 2; 0.5 -> floor 1; 4
    assert_eq!(o.w, [1.0, 0.25, 1.0, 1.0 / 16.0]);
    assert_eq!(o.y, [0.0, 12.0, 20.5, 44.0]);
    let p = Observations::new(&d, ReplicateMode::Pooled, 1.0, &PercentWindow::ALL);
    assert_eq!(p.len(), 12);
    assert!(p.w.iter().all(|&w| w == 1.0));
    let r = fit_all(
        &d,
        &FitOptions {
            replicates: ReplicateMode::Pooled,
            ..FitOptions::default()
        },
    )
    .unwrap();
    assert!(!r.weighted && model(&r, "zero_order").n == 12);
    // pooled zero order = closed form over all points
    let num: f64 = (0..4)
        .map(|i| d.time[i] * d.values.iter().map(|c| c[i]).sum::<f64>())
        .sum();
    let den: f64 = 3.0 * d.time.iter().map(|t| t * t).sum::<f64>();
    let v = model(&r, "zero_order").params[0].value;
    assert!((v - num / den).abs() < 1e-9 * v, "{v} vs {}", num / den);
    let r = fit_all(&d, &FitOptions::default()).unwrap();
    assert!(r.weighted);
    // weighted zero order = sum(w t y) / sum(w t^2)
    let num: f64 = (0..4).map(|i| o.w[i] * o.t[i] * o.y[i]).sum();
    let den: f64 = (0..4).map(|i| o.w[i] * o.t[i] * o.t[i]).sum();
    assert!((model(&r, "zero_order").params[0].value - num / den).abs() < 1e-9 * num / den);
    let e = fit_all(
        &d,
        &FitOptions {
            sd_floor: 0.0,
            ..FitOptions::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("--sd-floor"));
}

#[test]
fn level_times_and_their_reasons() {
    let c = |t: f64| 10.0 + 0.0 * t;
    let e = time_to_level(&c, 50.0, 20.0).unwrap_err();
    assert!(e.contains("stays below 50 %") && e.contains("2000"), "{e}");
    let b = |_t: f64| 60.0;
    assert_eq!(time_to_level(&b, 50.0, 20.0), Ok(0.0));
    let lin = |t: f64| 2.0 * t;
    assert!((time_to_level(&lin, 50.0, 20.0).unwrap() - 25.0).abs() < 1e-9);
    // a curve reaching the level only after 100 x t_last
    let slow = |t: f64| 100.0 * (1.0 - (-1e-4 * t).exp());
    let r = fit_all(
        &ReleaseData::from_columns("time_h", &[1.0, 2.0, 3.0], &[vec![0.01, 0.02, 0.03]]).unwrap(),
        &FitOptions {
            models: vec!["first_order".into()],
            ..FitOptions::default()
        },
    )
    .unwrap();
    assert!(slow(300.0) < 25.0);
    let f = &r.models[0];
    assert!(
        f.t50.is_none() && f.notes.iter().any(|n| n.contains("t50 null")),
        "{:?}",
        f.notes
    );
}

#[test]
fn f1_f2_hand_values_and_rules() {
    let r = [20.0, 40.0, 60.0, 80.0, 90.0];
    let t = [21.0, 39.0, 61.0, 79.0, 88.0];
    // sum |R-T| = 6, sum R = 290; mean sq diff = 8/5
    assert!((f1(&r, &t).unwrap() - 2.068_965_517_241_379).abs() < 1e-12);
    assert!((f2(&r, &t) - 89.625_666_300_729_55).abs() < 1e-9);
    assert_eq!(f2(&r, &r), 100.0);
    assert!(f1(&[0.0], &[1.0]).is_none() && f2(&[], &[]).is_nan());
    // EMA: drop t = 0, stop after first mean > 85 in either profile
    let time = [0.0, 5.0, 10.0, 15.0, 20.0, 30.0];
    let a = [0.0, 30.0, 60.0, 80.0, 90.0, 95.0];
    let b = [0.0, 25.0, 55.0, 86.0, 89.0, 96.0];
    assert_eq!(select_points(&time, &a, &b, PointRule::Ema), [1, 2, 3]);
    assert_eq!(
        select_points(&time, &a, &b, PointRule::All),
        [0, 1, 2, 3, 4, 5]
    );
}

#[test]
fn compare_checks_times_and_bootstraps_deterministically() {
    let rd = parse("time_min,a,b,c\n5,20,22,21\n10,41,39,40\n20,60,62,58\n30,80,79,82\n").unwrap();
    let td =
        parse("time (min),x,y,z\n5,22,24,20\n10,38,41,40\n20,59,63,61\n30,78,81,80\n").unwrap();
    let o = SimilarityOptions {
        rule: PointRule::All,
        bootstrap: 500,
        seed: 3,
    };
    let s = compare(&rd, &td, &o).unwrap();
    let (rm, tm) = (rd.mean(), td.mean());
    assert_eq!(s.f2, f2(&rm, &tm));
    assert_eq!(s.f1, f1(&rm, &tm));
    let ci = s.f2_bootstrap_ci90.unwrap();
    assert!(
        ci[0] <= s.f2 && s.f2 <= ci[1] && ci[0] < ci[1],
        "{ci:?} {}",
        s.f2
    );
    assert_eq!(compare(&rd, &td, &o).unwrap(), s);
    let other = compare(&rd, &td, &SimilarityOptions { seed: 4, ..o }).unwrap();
    assert_ne!(other.f2_bootstrap_ci90, s.f2_bootstrap_ci90);
    // different times
    let bad = parse("time_min,x\n5,22\n10,38\n25,59\n30,78\n").unwrap();
    let e = compare(&rd, &bad, &o).unwrap_err().to_string();
    assert!(
        e.contains("t = 20") && e.contains("t = 25") && e.contains("line 4"),
        "{e}"
    );
    let short = parse("time_min,x\n5,22\n").unwrap();
    assert!(compare(&rd, &short, &o)
        .unwrap_err()
        .to_string()
        .contains("1"));
    let hours = parse("time_h,x\n5,22\n10,38\n20,59\n30,78\n").unwrap();
    let e = compare(&rd, &hours, &o).unwrap_err().to_string();
    assert!(e.contains("units differ"), "{e}");
    // one replicate column: no interval, with a note
    let one = compare(&rd, &hours_to_min(&hours), &o).unwrap();
    assert!(one.f2_bootstrap_ci90.is_none() && one.notes.iter().any(|n| n.contains("at least 2")));
}

fn hours_to_min(d: &ReleaseData) -> ReleaseData {
    let mut d = d.clone();
    d.time_unit = Some("min".into());
    d
}

#[test]
fn random_numbers_and_percentiles() {
    // reference output of splitmix64.c (S. Vigna) for seed 1234567
    let mut g = SplitMix64::new(1_234_567);
    assert_eq!(g.next_u64(), 6_457_827_717_110_365_317);
    assert_eq!(g.next_u64(), 3_203_168_211_198_807_973);
    assert_eq!(g.next_u64(), 9_817_491_932_198_370_423);
    let mut g = SplitMix64::new(9);
    let mut counts = [0usize; 3];
    for _ in 0..3000 {
        counts[g.index(3)] += 1;
    }
    assert!(
        counts.iter().all(|&c| (900..1100).contains(&c)),
        "{counts:?}"
    );
    let v = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(percentile_sorted(&v, 0.5), 2.5);
    assert!((percentile_sorted(&v, 0.05) - 1.15).abs() < 1e-12);
    assert_eq!(percentile_sorted(&v, 1.0), 4.0);
}

#[test]
fn outputs_have_the_documented_shape() {
    let d = bench::fixture();
    let r = fit_all(&d, &FitOptions::default()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&report::models_json(&r).unwrap()).unwrap();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["models"]);
    let m = &v["models"][0];
    for k in [
        "name", "params", "r2", "r2_adj", "aic", "aicc", "bic", "msc", "rmse", "t50", "t90",
    ] {
        assert!(m.get(k).is_some(), "missing {k}");
    }
    let w = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "weibull")
        .unwrap();
    let tau = &w["params"]["tau"];
    assert!(
        tau["value"].is_f64() && tau["se"].is_f64() && tau["ci95"].as_array().unwrap().len() == 2
    );
    let csv = report::csv_table(&r);
    assert!(csv.header.contains(&"t50_T".to_string()));
    let nparams: usize = r.models.iter().map(|m| m.p).sum();
    assert_eq!(csv.rows.len(), nparams);
    let text = report::table(&r);
    assert!(
        text.contains("weibull") && text.contains("T50 (T)") && text.contains("tau="),
        "{text}"
    );
    let dir = std::env::temp_dir().join(format!("nanospine-fit-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = report::write_outputs(&dir, &d, &r, 2).unwrap();
    assert_eq!(files.len(), 3);
    let svg = std::fs::read_to_string(dir.join("fit.svg")).unwrap();
    assert!(
        svg.contains("\ntime\n")
            && svg.contains("Residuals")
            && svg.contains(&format!("#1 {}", r.models[0].label)),
        "{svg}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("fit.json")).unwrap()).unwrap();
    assert_eq!(json["models"].as_array().unwrap().len(), r.models.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Test-only models shaped like the DDSolver family (tlag, F0, Fmax, power, sigmoid, biphasic,
/// series) to exercise the fitter and the recovery procedure on models beyond `release::all()`.
/// Bounds are guesses of this test, not the library's.
mod mocks {
    use crate::release::{ParamKind, ParamSpec, ReleaseModel};
    macro_rules! mock {
        ($ty:ident, $name:expr, [$($spec:expr),*], |$t:ident, $p:ident| $body:expr) => {
            pub struct $ty;
            impl ReleaseModel for $ty {
                fn name(&self) -> &'static str { $name }
                fn label(&self) -> &'static str { $name }
                fn equation(&self) -> &'static str { "" }
                fn reference(&self) -> &'static str { "" }
                fn params(&self) -> &'static [ParamSpec] {
                    const P: &[ParamSpec] = &[$($spec),*];
                    P
                }
                fn eval(&self, $t: f64, $p: &[f64]) -> f64 { $body }
            }
        };
    }
    const fn sp(
        name: &'static str,
        unit: &'static str,
        kind: ParamKind,
        lower: f64,
        upper: f64,
        log_scale: bool,
    ) -> ParamSpec {
        ParamSpec {
            name,
            unit,
            kind,
            lower,
            upper,
            log_scale,
            description: "",
        }
    }
    const K1: ParamSpec = sp(
        "k1",
        "1/T",
        ParamKind::Rate { exponent: 1.0 },
        1e-4,
        1e3,
        true,
    );
    const RATIO: ParamSpec = sp("ratio", "-", ParamKind::Dimensionless, 1e-4, 1.0, true);
    const K0: ParamSpec = sp(
        "k0",
        "%/T",
        ParamKind::Rate { exponent: 1.0 },
        1e-3,
        1e4,
        true,
    );
    const KH: ParamSpec = sp(
        "kh",
        "%/T^0.5",
        ParamKind::Rate { exponent: 0.5 },
        1e-3,
        1e4,
        true,
    );
    const KP: ParamSpec = sp(
        "k",
        "%/T^n",
        ParamKind::Rate { exponent: 0.5 },
        1e-3,
        1e4,
        true,
    );
    const N: ParamSpec = sp("n", "-", ParamKind::Dimensionless, 0.05, 3.0, false);
    const TLAG: ParamSpec = sp("tlag", "T", ParamKind::Time, 0.0, 0.9, false);
    const F0: ParamSpec = sp("f0", "%", ParamKind::Percent, -20.0, 100.0, false);
    const FMAX: ParamSpec = sp("fmax", "%", ParamKind::Percent, 1.0, 110.0, false);
    const TAU: ParamSpec = sp("tau", "T", ParamKind::Time, 1e-4, 1e3, true);
    const TAU2: ParamSpec = sp("tau2", "T", ParamKind::Time, 1e-4, 1e3, true);
    const BETA: ParamSpec = sp("beta", "-", ParamKind::Dimensionless, 0.05, 10.0, true);
    const BETA2: ParamSpec = sp("beta2", "-", ParamKind::Dimensionless, 0.05, 10.0, true);
    const FR: ParamSpec = sp("f", "-", ParamKind::Dimensionless, 0.0, 1.0, false);
    const A: ParamSpec = sp("alpha", "-", ParamKind::Dimensionless, -50.0, 50.0, false);
    const B: ParamSpec = sp("beta", "-", ParamKind::Dimensionless, 0.01, 20.0, true);
    const Q1: ParamSpec = sp(
        "k1",
        "1/T^2",
        ParamKind::Rate { exponent: 2.0 },
        -10.0,
        10.0,
        false,
    );
    const Q2: ParamSpec = sp(
        "k2",
        "1/T",
        ParamKind::Rate { exponent: 1.0 },
        -10.0,
        10.0,
        false,
    );
    const PS1: ParamSpec = sp(
        "k1",
        "%/T^0.5",
        ParamKind::Rate { exponent: 0.5 },
        -1e3,
        1e3,
        false,
    );
    const PS2: ParamSpec = sp(
        "k2",
        "%/T",
        ParamKind::Rate { exponent: 1.0 },
        -1e3,
        1e3,
        false,
    );
    const KHC: ParamSpec = sp(
        "k",
        "1/T",
        ParamKind::Rate { exponent: 1.0 },
        1e-4,
        1.0,
        true,
    );
    const TMAX: ParamSpec = sp("tmax", "T", ParamKind::Time, 1e-3, 100.0, true);
    const BMB: ParamSpec = sp("b", "-", ParamKind::Dimensionless, 0.01, 10.0, true);
    const DR2: ParamSpec = sp(
        "d_over_r2",
        "1/T",
        ParamKind::Rate { exponent: 1.0 },
        1e-5,
        1e3,
        true,
    );
    fn lag(t: f64, tl: f64) -> f64 {
        (t - tl).max(0.0)
    }
    mock!(ZeroTlag, "zero_order_tlag", [K0, TLAG], |t, p| p[0]
        * lag(t, p[1]));
    mock!(ZeroF0, "zero_order_f0", [F0, K0], |t, p| p[0] + p[1] * t);
    mock!(FirstTlag, "first_order_tlag", [K1, TLAG], |t, p| 100.0
        * (1.0 - (-p[0] * lag(t, p[1])).exp()));
    mock!(FirstFmax, "first_order_fmax", [FMAX, K1], |t, p| p[0]
        * (1.0 - (-p[1] * t).exp()));
    mock!(Higuchi, "higuchi", [KH], |t, p| p[0] * t.sqrt());
    mock!(HiguchiF0, "higuchi_f0", [F0, KH], |t, p| p[0]
        + p[1] * t.sqrt());
    mock!(HiguchiTlag, "higuchi_tlag", [KH, TLAG], |t, p| p[0]
        * lag(t, p[1]).sqrt());
    mock!(Kp, "korsmeyer_peppas", [KP, N], |t, p| p[0] * t.powf(p[1]));
    mock!(KpTlag, "korsmeyer_peppas_tlag", [KP, N, TLAG], |t, p| p[0]
        * lag(t, p[2]).powf(p[1]));
    mock!(KpF0, "korsmeyer_peppas_f0", [F0, KP, N], |t, p| p[0]
        + p[1] * t.powf(p[2]));
    mock!(Hixson, "hixson_crowell", [KHC], |t, p| 100.0
        * (1.0 - (1.0 - p[0] * t).max(0.0).powi(3)));
    mock!(HopSphere, "hopfenberg_sphere", [KHC], |t, p| 100.0
        * (1.0 - (1.0 - p[0] * t).max(0.0).powi(3)));
    mock!(WeibullTlag, "weibull_tlag", [TAU, BETA, TLAG], |t, p| 100.0
        * (1.0 - (-(lag(t, p[2]) / p[0]).powf(p[1])).exp()));
    mock!(WeibullFmax, "weibull_fmax", [FMAX, TAU, BETA], |t, p| p[0]
        * (1.0 - (-(t / p[1]).powf(p[2])).exp()));
    mock!(
        DoubleWeibull,
        "double_weibull",
        [FR, TAU, BETA, TAU2, BETA2],
        |t, p| 100.0
            * (p[0] * (1.0 - (-(t / p[1]).powf(p[2])).exp())
                + (1.0 - p[0]) * (1.0 - (-(t / p[3]).powf(p[4])).exp()))
    );
    mock!(Gompertz, "gompertz", [A, B], |t, p| if t <= 0.0 {
        0.0
    } else {
        100.0 * (-(p[0]).exp() * (-p[1] * t.ln()).exp()).exp()
    });
    mock!(Logistic, "logistic", [A, B], |t, p| if t <= 0.0 {
        0.0
    } else {
        let z = p[0] + p[1] * t.ln();
        100.0 / (1.0 + (-z).exp())
    });
    mock!(PeppasSahlin, "peppas_sahlin", [PS1, PS2], |t, p| p[0]
        * t.sqrt()
        + p[1] * t);
    mock!(Quadratic, "quadratic", [Q1, Q2], |t, p| 100.0
        * (p[0] * t * t + p[1] * t));
    mock!(Makoid, "makoid_banakar", [FMAX, TMAX, BMB], |t, p| {
        let x = (t / p[1]).min(1.0);
        if x <= 0.0 {
            0.0
        } else {
            p[0] * x.powf(p[2]) * (p[2] * (1.0 - x)).exp()
        }
    });
    // Biphasic with ordered rates (slow = fast * ratio, ratio < 1): exchangeable components
    // would make the parameters non-unique (label switching).
    mock!(Biphasic, "biphasic", [FR, K1, RATIO], |t, p| 100.0
        * (p[0] * (1.0 - (-p[1] * t).exp())
            + (1.0 - p[0]) * (1.0 - (-p[1] * p[2] * t).exp())));
    mock!(
        BiphasicFmax,
        "biphasic_fmax",
        [FMAX, FR, K1, RATIO],
        |t, p| p[0]
            * (p[1] * (1.0 - (-p[2] * t).exp()) + (1.0 - p[1]) * (1.0 - (-p[2] * p[3] * t).exp()))
    );
    mock!(Fickian, "fickian_sphere", [DR2], |t, p| {
        let x = p[0] * t;
        let mut s = 0.0;
        for n in 1..200 {
            let n = n as f64;
            s += (-(n * n) * std::f64::consts::PI.powi(2) * x).exp() / (n * n);
        }
        100.0 * (1.0 - 6.0 / std::f64::consts::PI.powi(2) * s)
    });
    pub fn all() -> Vec<Box<dyn ReleaseModel>> {
        vec![
            Box::new(ZeroTlag),
            Box::new(ZeroF0),
            Box::new(FirstTlag),
            Box::new(FirstFmax),
            Box::new(Higuchi),
            Box::new(HiguchiF0),
            Box::new(HiguchiTlag),
            Box::new(Kp),
            Box::new(KpTlag),
            Box::new(KpF0),
            Box::new(Hixson),
            Box::new(HopSphere),
            Box::new(WeibullTlag),
            Box::new(WeibullFmax),
            Box::new(DoubleWeibull),
            Box::new(Gompertz),
            Box::new(Logistic),
            Box::new(PeppasSahlin),
            Box::new(Quadratic),
            Box::new(Makoid),
            Box::new(Biphasic),
            Box::new(BiphasicFmax),
            Box::new(Fickian),
        ]
    }
}

#[test]
fn recovery_works_for_representative_model_shapes() {
    // Every test-only model recovers its parameters (possibly on a denser design).
    let mut failed = vec![];
    for m in mocks::all() {
        for c in crate::validate::fit::recovery_case(m.as_ref()) {
            if !c.passed {
                failed.push(c);
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn non_unique_parameters_are_reported_not_passed() {
    // F = 100 (1 - exp(-a b t)): only the product a b is identifiable, so recovery must fail
    // on every design and say why.
    use crate::release::{ParamKind, ParamSpec, ReleaseModel};
    struct Product;
    const fn rate(name: &'static str) -> ParamSpec {
        ParamSpec {
            name,
            unit: "1/T^0.5",
            kind: ParamKind::Rate { exponent: 0.5 },
            lower: 1e-3,
            upper: 1e2,
            log_scale: true,
            description: "",
        }
    }
    impl ReleaseModel for Product {
        fn name(&self) -> &'static str {
            "product"
        }
        fn label(&self) -> &'static str {
            "product"
        }
        fn equation(&self) -> &'static str {
            "F = 100*(1 - exp(-a*b*t))"
        }
        fn reference(&self) -> &'static str {
            "test only"
        }
        fn params(&self) -> &'static [ParamSpec] {
            const P: [ParamSpec; 2] = [rate("a"), rate("b")];
            &P
        }
        fn eval(&self, t: f64, p: &[f64]) -> f64 {
            100.0 * (1.0 - (-p[0] * p[1] * t).exp())
        }
    }
    let cases = crate::validate::fit::recovery_case(&Product);
    assert_eq!(cases.len(), 1);
    assert!(!cases[0].passed);
    assert!(
        cases[0].metric.contains("not identifiable on any design"),
        "{}",
        cases[0].metric
    );
    assert!(
        cases[0].metric.contains("not separately identifiable"),
        "{}",
        cases[0].metric
    );
    assert!(
        cases[0].metric.contains("least-squares optimum found"),
        "{}",
        cases[0].metric
    );
}

#[test]
fn hand_built_data_is_checked_before_use() {
    let mut d = bench::fixture();
    d.values[0].pop();
    let e = fit_all(&d, &FitOptions::default()).unwrap_err().to_string();
    assert!(
        e.contains("replicate column 1 has 11 values for 12 times"),
        "{e}"
    );
    let mut d = bench::fixture();
    d.time.swap(2, 3);
    let e = compare(&d, &bench::fixture(), &SimilarityOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("not strictly increasing"), "{e}");
    let obs = Observations {
        t: vec![1.0, 2.0],
        y: vec![1.0],
        w: vec![1.0, 1.0],
        row: vec![0, 1],
    };
    let m = crate::release::by_name("zero_order").unwrap();
    assert!(fit_model(m.as_ref(), &obs, 2.0, &lm::LmSettings::default())
        .unwrap_err()
        .contains("1 values"));
}
