//! Tests of the SCI injury models: device-to-severity mapping, axial profile of the contusion
//! insult, compression and ischaemia time course, input validation.

use super::*;
use crate::anatomy::cord::{build_cord_grid, CordGeometry};
use crate::grid::{GridKind, CSF, GREY, WHITE};

fn p() -> InjuryParams {
    InjuryParams::builtin().unwrap()
}

/// Area-equivalent radius of the rat thoracic cord from the registry defaults (T 2.7, AP 2.0 mm).
fn r_rat() -> f64 {
    0.5 * (2.7f64 * 2.0).sqrt()
}

/// Axisymmetric cord of radius `radius` (mm): 10 cord rings (4 grey, 6 white) and 2 CSF rings;
/// 41 slices of 0.25 mm centred on z = 0, so slice centres fall on z = 0, +-0.25, ..., +-5 mm.
fn exact_cord(radius: f64) -> Grid {
    let hr = radius / 10.0;
    let mut g = Grid::new(
        GridKind::Axisymmetric,
        [12, 1, 41],
        [hr, 1.0, 0.25],
        [0.0, 0.0, -5.125],
        CSF,
    );
    for c in 0..g.len() {
        let i = g.ijk(c)[0];
        g.labels[c] = if i < 4 {
            GREY
        } else if i < 10 {
            WHITE
        } else {
            CSF
        };
    }
    g
}

/// Index of the voxel in ring `i` whose slice centre is at `z` (mm) on [`exact_cord`].
fn at(g: &Grid, i: usize, z: f64) -> usize {
    let k = ((z + 5.125) / 0.25 - 0.5).round() as usize;
    assert!(
        (g.centre(2, k) - z).abs() < 1e-12,
        "no slice centre at z = {z}"
    );
    g.idx(i, 0, k)
}

fn force(species: InjurySpecies, kdyn: f64) -> ContusionInput {
    ContusionInput::ImpactorForce {
        species,
        force_kdyn: kdyn,
    }
}

fn drop(mass_g: f64, height_mm: f64) -> ContusionInput {
    ContusionInput::WeightDrop {
        species: InjurySpecies::Rat,
        mass_g,
        height_mm,
    }
}

fn disp(species: InjurySpecies, mm: f64) -> ContusionInput {
    ContusionInput::Displacement {
        species,
        displacement_mm: mm,
    }
}

fn sev(input: ContusionInput) -> f64 {
    contusion_severity(&input, &p()).unwrap()
}

fn class(input: ContusionInput) -> SeverityClass {
    p().classify(sev(input))
}

fn contusion(input: ContusionInput) -> CordInjury {
    CordInjury::Contusion { input, time_s: 0.0 }
}

fn compression(ratio: f64, rise_s: f64, decompression_s: Option<f64>, isch: bool) -> CordInjury {
    CordInjury::Compression {
        compression_ratio: ratio,
        onset_s: 86_400.0,
        rise_time_s: rise_s,
        decompression_s,
        ischaemia: isch,
    }
}

fn err_text(r: Result<impl std::fmt::Debug, Error>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn registry_entries_are_all_read_and_documented() {
    let reg = Registry::builtin();
    for n in PARAMETER_NAMES {
        assert!(reg.get(n).is_some(), "missing {n}");
    }
    let ours: Vec<_> = reg
        .iter()
        .filter(|q| q.name.starts_with("cord_injury."))
        .map(|q| q.name.clone())
        .collect();
    assert_eq!(ours.len(), 18);
    for n in &ours {
        assert!(PARAMETER_NAMES.contains(&n.as_str()), "{n} is not read");
    }
    let q = p();
    assert_eq!(q.rat_impactor, [100.0, 300.0]);
    assert_eq!(q.mouse_impactor, [55.0, 72.5]);
    assert_eq!(q.rat_weight_drop, [62.5, 500.0]);
    assert!((q.reference_radius - r_rat()).abs() < 1e-12);
    assert_eq!(q.ap_diameter, [2.0, 1.1]);
}

#[test]
fn moderate_reference_is_the_log_odds_midpoint() {
    // logistic((logit 0.5 + logit 0.95)/2) = sqrt(19)/(1 + sqrt(19))
    let want = 19f64.sqrt() / (1.0 + 19f64.sqrt());
    assert!((p().severity_moderate() - want).abs() < 1e-12);
    assert!((want - 0.8134).abs() < 1e-4);
}

#[test]
fn rat_impactor_curve_is_a_hill_function_through_the_anchors() {
    // mild anchor at s = 0.5 makes 100 kdyn the half-point: s = x^n/(100^n + x^n), n = ln19/ln3
    let n = 19f64.ln() / 3f64.ln();
    for x in [50.0f64, 100.0, 150.0, 200.0, 300.0, 400.0] {
        let want = x.powf(n) / (100f64.powf(n) + x.powf(n));
        let got = sev(force(InjurySpecies::Rat, x));
        assert!((got - want).abs() < 1e-12, "{x} kdyn: {got} vs {want}");
    }
    assert!((sev(force(InjurySpecies::Rat, 300.0)) - 0.95).abs() < 1e-12);
    assert!((sev(force(InjurySpecies::Rat, 200.0)) - 0.865_03).abs() < 1e-5);
}

#[test]
fn severity_is_zero_for_sham_and_increases_with_every_device_input() {
    assert_eq!(sev(force(InjurySpecies::Rat, 0.0)), 0.0);
    assert_eq!(sev(drop(10.0, 0.0)), 0.0);
    assert_eq!(sev(disp(InjurySpecies::Mouse, 0.0)), 0.0);
    type Series = (&'static str, fn(f64) -> ContusionInput);
    let series: [Series; 6] = [
        ("rat force", |x| force(InjurySpecies::Rat, 10.0 * x)),
        ("mouse force", |x| force(InjurySpecies::Mouse, 2.0 * x)),
        ("rat height", |x| drop(10.0, 2.5 * x)),
        ("rat mass", |x| drop(x, 25.0)),
        ("rat displacement", |x| disp(InjurySpecies::Rat, x / 20.0)),
        ("mouse displacement", |x| {
            disp(InjurySpecies::Mouse, x / 40.0)
        }),
    ];
    for (name, f) in series {
        let mut last = 0.0;
        for i in 1..=39 {
            let s = sev(f(i as f64));
            assert!(s > last && s < 1.0, "{name}: {i}: {s} after {last}");
            last = s;
        }
    }
    // a heavier rod from the same height, or the same rod from higher, is worse
    assert!(sev(drop(20.0, 12.5)) > sev(drop(10.0, 12.5)));
    // energy scale: 20 g x 12.5 mm = 10 g x 25 mm
    assert_eq!(sev(drop(20.0, 12.5)), sev(drop(10.0, 25.0)));
}

#[test]
fn device_inputs_fall_in_the_notes_classes() {
    use SeverityClass::*;
    let (rat, mouse) = (InjurySpecies::Rat, InjurySpecies::Mouse);
    // rat NYU/MASCIS 10 g: 6.25 mild, 12.5 and 25 moderate, 50 severe (Basso 1996; review)
    assert_eq!(class(drop(10.0, 6.25)), Mild);
    assert_eq!(class(drop(10.0, 12.5)), Moderate);
    assert_eq!(class(drop(10.0, 25.0)), Moderate);
    assert_eq!(class(drop(10.0, 50.0)), Severe);
    // rat IH: 100 mild, 150 and 200 moderate, 300 severe
    assert_eq!(class(force(rat, 100.0)), Mild);
    assert_eq!(class(force(rat, 150.0)), Moderate);
    assert_eq!(class(force(rat, 200.0)), Moderate);
    assert_eq!(class(force(rat, 300.0)), Severe);
    // mouse IH: 50-60 moderate, 70-75 severe
    for x in [50.0, 55.0, 60.0] {
        assert_eq!(class(force(mouse, x)), Moderate, "{x} kdyn");
    }
    for x in [70.0, 72.5, 75.0] {
        assert_eq!(class(force(mouse, x)), Severe, "{x} kdyn");
    }
    // mouse OSU: 0.5 mm moderate
    assert_eq!(class(disp(mouse, 0.5)), Moderate);
    assert_eq!(class(disp(mouse, 0.7)), Severe);
    // the same displacement is milder in the larger rat cord
    assert!(sev(disp(rat, 0.5)) < sev(disp(mouse, 0.5)));
    // a direct severity passes through
    assert_eq!(sev(ContusionInput::Severity { severity: 0.42 }), 0.42);
    // class limits: log-odds quarter points between 0.5 and 0.95
    let q = p();
    let lo = |f: f64| 1.0 / (1.0 + (-f * 19f64.ln()).exp());
    assert_eq!(q.classify(lo(0.249)), Mild);
    assert_eq!(q.classify(lo(0.251)), Moderate);
    assert_eq!(q.classify(lo(0.749)), Moderate);
    assert_eq!(q.classify(lo(0.751)), Severe);
    assert_eq!(q.classify(0.0), Mild);
    assert_eq!(q.classify(1.0), Severe);
}

#[test]
fn contusion_field_is_the_epicentre_severity_at_z0_and_halves_at_the_half_length() {
    let g = exact_cord(r_rat()); // rat-sized: z_half = 1 mm
    let inj = contusion(force(InjurySpecies::Rat, 200.0));
    let s = sev(force(InjurySpecies::Rat, 200.0));
    let f = severity_field(&g, &inj, &p()).unwrap();
    assert!((cord_radius(&g).unwrap() - r_rat()).abs() < 1e-12);
    for i in 0..10 {
        // grey (i < 4) and white matter alike: mechanical insult only
        assert!((f[at(&g, i, 0.0)] - s).abs() < 1e-12, "ring {i}");
        assert!((f[at(&g, i, 1.0)] - s / 2.0).abs() < 1e-12, "ring {i}");
        assert!((f[at(&g, i, -1.0)] - s / 2.0).abs() < 1e-12, "ring {i}");
        assert!((f[at(&g, i, 2.0)] - s / 16.0).abs() < 1e-12, "ring {i}");
        assert!((f[at(&g, i, 0.5)] - s * 2f64.powf(-0.25)).abs() < 1e-12);
    }
    for c in 0..g.len() {
        if g.labels[c] == CSF {
            assert_eq!(f[c], 0.0);
        } else {
            assert!(f[c] > 0.0 && f[c] <= s);
        }
    }
}

#[test]
fn contusion_half_length_scales_with_the_cord_radius() {
    let g = exact_cord(0.5 * r_rat()); // half the rat cord: z_half = 0.5 mm
    let inj = contusion(ContusionInput::Severity { severity: 0.8 });
    let f = severity_field(&g, &inj, &p()).unwrap();
    assert!((f[at(&g, 2, 0.0)] - 0.8).abs() < 1e-12);
    assert!((f[at(&g, 2, 0.5)] - 0.4).abs() < 1e-12);
    assert!((f[at(&g, 7, 1.0)] - 0.05).abs() < 1e-12);
}

#[test]
fn preset_grids_give_the_epicentre_severity_in_grey_matter_and_zero_in_csf() {
    let reg = Registry::builtin();
    // rat: 81 slices put a slice centre on z = 0
    let geo = CordGeometry::from_registry(&reg, "rat_thoracic").unwrap();
    let (g, built) = build_cord_grid(&geo, GridKind::Axisymmetric, 10.0 / 81.0).unwrap();
    assert!((cord_radius(&g).unwrap() - built.cord_radius).abs() < 1e-9);
    let f = severity_field(&g, &contusion(drop(10.0, 12.5)), &p()).unwrap();
    let s = sev(drop(10.0, 12.5));
    let k0 = 40;
    assert!(g.centre(2, k0).abs() < 1e-12);
    let c = g.idx(0, 0, k0);
    assert_eq!(g.labels[c], GREY);
    assert!((f[c] - s).abs() < 1e-12);
    // mouse 3-D Cartesian grid: only cord tissue is injured
    let geo = CordGeometry::from_registry(&reg, "mouse_thoracic").unwrap();
    let (g, _) = build_cord_grid(&geo, GridKind::Cartesian3d, 0.08).unwrap();
    let f = severity_field(&g, &contusion(force(InjurySpecies::Mouse, 60.0)), &p()).unwrap();
    let s = sev(force(InjurySpecies::Mouse, 60.0));
    let mut max: f64 = 0.0;
    for c in 0..g.len() {
        if matches!(g.labels[c], GREY | WHITE) {
            assert!(f[c] > 0.0);
            max = max.max(f[c]);
        } else {
            assert_eq!(f[c], 0.0);
        }
    }
    // 75 slices of 0.08 mm: one is centred on z = 0
    assert!((max - s).abs() < 1e-12);
}

#[test]
fn compression_gives_no_acute_insult_and_contusion_no_compression() {
    let g = exact_cord(r_rat());
    let f = severity_field(&g, &compression(0.4, 3600.0, None, true), &p()).unwrap();
    assert!(f.iter().all(|&v| v == 0.0));
    let (c, q) = compression_inputs(&g, &contusion(drop(10.0, 25.0)), &p(), 86_400.0).unwrap();
    assert!(c.iter().all(|&v| v == 0.0));
    assert!(q.iter().all(|&v| v == 1.0));
}

#[test]
fn compression_time_course_rises_with_the_time_constant_and_is_released() {
    let tau = 20.0 * 3600.0;
    let onset = 86_400.0;
    let dec = 10.0 * 86_400.0;
    let inj = compression(0.4, tau, Some(dec), false);
    assert_eq!(compression_level(&inj, 0.0), 0.0);
    assert_eq!(compression_level(&inj, onset - 1.0), 0.0);
    assert_eq!(compression_level(&inj, onset), 0.0);
    let e = std::f64::consts::E;
    assert!((compression_level(&inj, onset + tau) - 0.4 * (1.0 - 1.0 / e)).abs() < 1e-12);
    assert!((compression_level(&inj, onset + 3.0 * tau) - 0.4 * 0.950_212_9).abs() < 1e-7);
    assert!((compression_level(&inj, dec - 1.0) - 0.4).abs() < 1e-4);
    assert_eq!(compression_level(&inj, dec), 0.0);
    assert_eq!(compression_level(&inj, 2.0 * dec), 0.0);
    // instant compression without decompression
    let step = compression(0.3, 0.0, None, false);
    assert_eq!(compression_level(&step, onset), 0.3);
    assert_eq!(compression_level(&step, 1e9), 0.3);
}

#[test]
fn compressed_segment_is_five_mm_long_in_the_rat_and_perfusion_untouched_without_ischaemia() {
    let g = exact_cord(r_rat());
    let tau = 20.0 * 3600.0;
    let t = 86_400.0 + tau;
    let c_t = 0.4 * (1.0 - (-1.0f64).exp());
    let (c, q) = compression_inputs(&g, &compression(0.4, tau, None, false), &p(), t).unwrap();
    assert!(q.iter().all(|&v| v == 1.0));
    for i in [0, 5, 9] {
        assert!((c[at(&g, i, 0.0)] - c_t).abs() < 1e-12);
        assert!((c[at(&g, i, -2.25)] - c_t).abs() < 1e-12);
        // the cell centred on z = 2.5 (segment end) is half covered
        assert!((c[at(&g, i, 2.5)] - 0.5 * c_t).abs() < 1e-12);
        assert!((c[at(&g, i, -2.5)] - 0.5 * c_t).abs() < 1e-12);
        assert_eq!(c[at(&g, i, 2.75)], 0.0);
    }
    for cell in 0..g.len() {
        if g.labels[cell] == CSF {
            assert_eq!(c[cell], 0.0);
        }
    }
    // before the onset nothing is compressed
    let (c, _) = compression_inputs(&g, &compression(0.4, tau, None, false), &p(), 0.0).unwrap();
    assert!(c.iter().all(|&v| v == 0.0));
}

#[test]
fn autoregulation_keeps_flow_normal_below_the_threshold_and_is_pressure_passive_above() {
    let q = p();
    // dog thresholds: cord pressure 57.5 mmHg, perfusion pressure 67.5 mmHg -> c_a = 57.5/125
    let ca = 57.5 / 125.0;
    assert!((q.autoregulation_ratio() - ca).abs() < 1e-12);
    for c in [0.0, 0.2, 0.34, 0.45, ca] {
        assert_eq!(autoregulated_perfusion(c, &q), 1.0, "c = {c}");
    }
    // above: flow = PP / PP_a = 125 (1 - c) / 67.5
    for c in [0.5, 0.6, 0.8, 1.0] {
        let want = 125.0 * (1.0 - c) / 67.5;
        assert!(
            (autoregulated_perfusion(c, &q) - want).abs() < 1e-12,
            "c = {c}"
        );
    }
    // conduction failure at a perfusion pressure of 20-30 mmHg: c = 0.76-0.84
    assert!((autoregulated_perfusion(1.0 - 30.0 / 125.0, &q) - 30.0 / 67.5).abs() < 1e-12);
    assert!(autoregulated_perfusion(0.47, &q) < 1.0);
}

/// The tolerant floor: all of the tissue without compression, half at `susceptible_half`, with
/// the block's steepness (so `1 - tolerant` and the block are the same curve shifted in log c),
/// falling with the compression; an out-of-range half is refused.
#[test]
fn tolerant_fraction_is_half_at_its_centre_and_falls_with_compression() {
    let p = InjuryParams::builtin().unwrap();
    assert_eq!(tolerant_fraction(0.0, &p), 1.0);
    assert!((tolerant_fraction(p.susceptible_half, &p) - 0.5).abs() < 1e-12);
    let shifted = InjuryParams {
        susceptible_half: p.block_half,
        ..p
    };
    for c in [0.1, 0.3, 0.46, 0.6, 0.9] {
        let b = conduction_block(c, &p);
        assert!(
            (1.0 - tolerant_fraction(c, &shifted) - b).abs() < 1e-12,
            "c {c}"
        );
    }
    let mut last = 1.0;
    for i in 1..=20 {
        let t = tolerant_fraction(0.05 * i as f64, &p);
        assert!(t < last && t > 0.0, "{t}");
        last = t;
    }
    // the rat sheet (0.34): a floor of 0.28 of the tissue
    assert!((tolerant_fraction(0.34, &p) - 0.282).abs() < 0.002);
    for bad in [0.0, 1.0, f64::NAN] {
        let q = InjuryParams {
            susceptible_half: bad,
            ..p
        };
        let e = q.validate().unwrap_err().to_string();
        assert!(
            e.contains("cord_injury.compression.susceptible_half"),
            "{e}"
        );
    }
}

#[test]
fn conduction_block_is_half_at_its_centre_fails_at_the_dog_threshold_and_lifts_after_decompression()
{
    let q = p();
    // failure where the perfusion pressure 125 (1 - c) is 25 mmHg: c = 0.8
    assert!((q.block_failure_ratio() - 0.8).abs() < 1e-12);
    assert_eq!(conduction_block(0.0, &q), 0.0);
    assert!((conduction_block(q.block_half, &q) - 0.5).abs() < 1e-12);
    assert!((conduction_block(0.8, &q) - 0.95).abs() < 1e-12);
    // strictly increasing, within 0..1; the 0.34 sheet blocks about a sixth of the fibres
    let mut last = 0.0;
    for i in 1..=100 {
        let b = conduction_block(i as f64 / 100.0, &q);
        assert!(b > last && b < 1.0, "c = {}", i as f64 / 100.0);
        last = b;
    }
    let sheet = conduction_block(0.34, &q);
    assert!((sheet - 0.1668).abs() < 1e-3, "{sheet}");
    // a rising compression blocks at once; a falling one releases with the recovery time
    let day = 86_400.0;
    assert_eq!(advance_block(0.0, 0.34, 60.0, &q), sheet);
    let tau = q.block_recovery_s;
    assert!((tau / day - 7.0).abs() < 1e-12);
    let mut b = sheet;
    let h = 0.5 * day;
    for _ in 0..42 {
        b = advance_block(b, 0.0, h, &q);
    }
    // exact for a constant compression: exp(-21 d / 7 d)
    assert!((b - sheet * (-3.0f64).exp()).abs() < 1e-12, "{b}");
    // easing to a smaller compression relaxes to its block, not to 0
    let part = advance_block(0.9, 0.34, 1e9 * day, &q);
    assert!((part - sheet).abs() < 1e-12);
    // invalid constants are named
    let mut bad = p();
    bad.block_half = 0.85;
    assert!(err_text(bad.validate()).contains("cord_injury.compression.block_half"));
    let mut bad = p();
    bad.block_recovery_s = 0.0;
    assert!(err_text(bad.validate()).contains("block_recovery_time"));
}

#[test]
fn ischaemic_compression_lowers_perfusion_only_past_autoregulation_until_decompression() {
    let g = exact_cord(r_rat());
    let dec = 30.0 * 86_400.0;
    // a sheet-like compression of 0.34 stays within autoregulation: perfusion normal
    let inj = compression(0.34, 0.0, Some(dec), true);
    let (c, q) = compression_inputs(&g, &inj, &p(), 2.0 * 86_400.0).unwrap();
    assert!((c[at(&g, 3, 0.0)] - 0.34).abs() < 1e-12);
    assert!(q.iter().all(|&v| v == 1.0));
    // 0.7 exceeds it: perfusion 125 (1 - 0.7) / 67.5 in the segment
    let inj = compression(0.7, 0.0, Some(dec), true);
    let (_, q) = compression_inputs(&g, &inj, &p(), 2.0 * 86_400.0).unwrap();
    let full = 125.0 * 0.3 / 67.5;
    assert!((q[at(&g, 3, 0.0)] - full).abs() < 1e-12);
    assert!((q[at(&g, 8, 1.0)] - full).abs() < 1e-12);
    // half-covered cell: local compression 0.35, within autoregulation
    assert_eq!(q[at(&g, 8, 2.5)], 1.0);
    assert_eq!(q[at(&g, 8, 3.0)], 1.0);
    // CSF
    assert_eq!(q[at(&g, 11, 0.0)], 1.0);
    // without ischaemia the same compression leaves perfusion at 1
    let inj = compression(0.7, 0.0, Some(dec), false);
    let (_, q) = compression_inputs(&g, &inj, &p(), 2.0 * 86_400.0).unwrap();
    assert!(q.iter().all(|&v| v == 1.0));
    // flow falls only once the expansion passes the threshold: c(t) = 0.7 (1 - exp(-t/tau))
    let tau = 86_400.0;
    let inj = compression(0.7, tau, None, true);
    let t_half = tau * 2f64.ln(); // c = 0.35 < c_a
    let (_, q) = compression_inputs(&g, &inj, &p(), t_half).unwrap();
    assert_eq!(q[at(&g, 0, 0.0)], 1.0);
    let (c, q) = compression_inputs(&g, &inj, &p(), 3.0 * tau).unwrap();
    let c0 = c[at(&g, 0, 0.0)];
    assert!((q[at(&g, 0, 0.0)] - 125.0 * (1.0 - c0) / 67.5).abs() < 1e-12);
    assert!(q[at(&g, 0, 0.0)] < 0.9);
    // released at decompression; before onset untouched
    let inj = compression(0.7, 0.0, Some(dec), true);
    for t in [0.0, dec, dec + 1.0] {
        let (c, q) = compression_inputs(&g, &inj, &p(), t).unwrap();
        assert!(c.iter().all(|&v| v == 0.0), "t = {t}");
        assert!(q.iter().all(|&v| v == 1.0), "t = {t}");
    }
}

#[test]
fn bad_inputs_give_named_errors() {
    let q = p();
    let g = exact_cord(r_rat());
    let e = err_text(contusion_severity(&force(InjurySpecies::Rat, -5.0), &q));
    assert!(
        e.contains("contusion.force_kdyn") && e.contains("-5"),
        "{e}"
    );
    let e = err_text(contusion_severity(&force(InjurySpecies::Rat, f64::NAN), &q));
    assert!(
        e.contains("contusion.force_kdyn") && e.contains("NaN"),
        "{e}"
    );
    let e = err_text(contusion_severity(&drop(-1.0, 12.5), &q));
    assert!(e.contains("contusion.mass_g"), "{e}");
    let e = err_text(contusion_severity(&drop(10.0, f64::INFINITY), &q));
    assert!(
        e.contains("contusion.height_mm") && e.contains("inf"),
        "{e}"
    );
    let e = err_text(contusion_severity(
        &ContusionInput::WeightDrop {
            species: InjurySpecies::Mouse,
            mass_g: 5.0,
            height_mm: 10.0,
        },
        &q,
    ));
    assert!(e.contains("mouse") && e.contains("weight"), "{e}");
    let e = err_text(contusion_severity(&disp(InjurySpecies::Mouse, 1.2), &q));
    assert!(
        e.contains("contusion.displacement_mm = 1.2") && e.contains("1.1 mm"),
        "{e}"
    );
    let e = err_text(severity_field(
        &g,
        &contusion(ContusionInput::Severity { severity: 1.5 }),
        &q,
    ));
    assert!(
        e.contains("contusion.severity = 1.5") && e.contains("<= 1"),
        "{e}"
    );
    let e = err_text(severity_field(
        &g,
        &CordInjury::Contusion {
            input: ContusionInput::Severity { severity: 0.5 },
            time_s: -1.0,
        },
        &q,
    ));
    assert!(e.contains("contusion.time_s = -1"), "{e}");
    let e = err_text(compression_inputs(
        &g,
        &compression(1.2, 0.0, None, false),
        &q,
        0.0,
    ));
    assert!(
        e.contains("compression.compression_ratio = 1.2") && e.contains("<= 1"),
        "{e}"
    );
    let e = err_text(compression_inputs(
        &g,
        &compression(0.3, -3.0, None, false),
        &q,
        0.0,
    ));
    assert!(e.contains("compression.rise_time_s = -3"), "{e}");
    let e = err_text(compression_inputs(
        &g,
        &compression(0.3, 0.0, Some(10.0), false),
        &q,
        0.0,
    ));
    assert!(
        e.contains("compression.decompression_s = 10") && e.contains("onset_s"),
        "{e}"
    );
    let e = err_text(compression_inputs(
        &g,
        &compression(0.3, 0.0, None, false),
        &q,
        f64::NAN,
    ));
    assert!(e.contains("t_s"), "{e}");
    // a grid without cord tissue
    let csf = Grid::new(GridKind::Axisymmetric, [4, 1, 4], [0.1; 3], [0.0; 3], CSF);
    let e = err_text(severity_field(&csf, &contusion(drop(10.0, 12.5)), &q));
    assert!(e.contains("grey or white matter"), "{e}");
    // bad constants
    let mut bad = q.clone();
    bad.severity_mild = 0.97;
    let e = err_text(bad.validate());
    assert!(e.contains("cord_injury.severity.mild = 0.97"), "{e}");
    let mut bad = q.clone();
    bad.rat_impactor = [300.0, 100.0];
    let e = err_text(bad.validate());
    assert!(e.contains("cord_injury.rat.impactor"), "{e}");
    let mut bad = q;
    bad.autoregulation_perfusion_pressure = -5.0;
    let e = err_text(bad.validate());
    assert!(
        e.contains("cord_injury.compression.autoregulation_perfusion_pressure = -5"),
        "{e}"
    );
}
