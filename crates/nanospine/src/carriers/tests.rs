use super::*;
use crate::params::{Provenance, Registry};

fn params() -> HindranceParams {
    HindranceParams::from_registry(&Registry::builtin()).unwrap()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs()
}

// ---------------------------------------------------------------------------------------------
// Hindered diffusion

/// np-carriers.md §3.1: D0 = 6.6e-6 cm^2/s at r = 0.5 nm and 6.6e-8 cm^2/s at 50 nm (T = 310.15 K,
/// eta = 0.691 mPa·s); 1 cm^2/s = 100 mm^2/s.
#[test]
fn stokes_einstein_matches_notes_table() {
    let p = params();
    assert_eq!(p.viscosity_pa_s, 0.691e-3);
    for (r, d_cm2_s) in [(0.5, 6.6e-6), (2.5, 1.3e-6), (5.0, 6.6e-7), (50.0, 6.6e-8)] {
        let d = stokes_einstein_mm2_s(r, p.viscosity_pa_s, p.temperature_k);
        assert!(close(d, d_cm2_s * 100.0, 0.012), "r = {r}: {d} mm^2/s");
        let h = hindered(r, Tissue::Np, HindranceLaw::DEFAULT, &p).unwrap();
        assert_eq!(h.d0_mm2_s, d);
    }
    // D0 is inversely proportional to radius and to viscosity
    let a = stokes_einstein_mm2_s(1.0, 1e-3, 310.15);
    assert!(close(
        stokes_einstein_mm2_s(2.0, 1e-3, 310.15),
        a / 2.0,
        1e-12
    ));
    assert!(close(
        stokes_einstein_mm2_s(1.0, 2e-3, 310.15),
        a / 2.0,
        1e-12
    ));
}

/// np-carriers.md §3.2: illustrative AF table with kappa = 7e-19 m^2 (alpha 1.29, beta 0.372):
/// 0.35, 0.08, 0.010, 0.003 at 0.5, 5, 25, 50 nm. Tolerance 0.6 of the last printed digit (the
/// notes' 0.35 is 0.345 rounded up).
#[test]
fn gu_annulus_reproduces_notes_table() {
    for (r, expect, digit) in [
        (0.5, 0.35, 0.01),
        (5.0, 0.08, 0.01),
        (25.0, 0.010, 0.001),
        (50.0, 0.003, 0.001),
    ] {
        let g = gu_ratio(r, 7e-19, 1.29, 0.372);
        assert!(
            (g - expect).abs() <= 0.6 * digit,
            "r = {r}: {g} vs {expect}"
        );
    }
}

/// ivd-transport.md §4.2 table, NP column (k = 0.9e-15 m^4/(N·s), sqrt(kappa) = 0.79 nm), with
/// the registry's NP permeability and AF fit: 0.38, 0.16, 0.077, 0.036, 0.0094, 0.0024.
#[test]
fn registry_np_permeability_reproduces_notes_np_column() {
    let p = params();
    let (a, b) = p.gu_annulus;
    for (r, expect) in [
        (0.36, 0.38),
        (2.0, 0.16),
        (5.0, 0.077),
        (10.0, 0.036),
        (25.0, 0.0094),
        (50.0, 0.0024),
    ] {
        let g = gu_ratio(r, p.np.darcy_permeability_m2, a, b);
        assert!(close(g, expect, 0.04), "r = {r}: {g} vs {expect}");
    }
}

#[test]
fn ogston_limits_and_notes_ranges() {
    // no fibres: no hindrance, whatever the size
    for r in [0.1, 5.0, 100.0] {
        assert_eq!(ogston_ratio(r, 0.55, 0.0), 1.0);
    }
    assert!((ogston_ratio(1e-9, 0.5, 1e-12) - 1.0).abs() < 1e-5);
    // exact value: r_s = r_f, phi = 0.25 -> exp(-0.5 * 2)
    assert!(close(ogston_ratio(0.5, 0.5, 0.25), (-1.0f64).exp(), 1e-12));
    // ivd-transport.md §4.2 derived ranges for r_f 0.5-0.6 nm, phi_f 0.02-0.04; the NP registry
    // values (0.55 nm, 0.03) must fall inside them
    let p = params();
    for (r, lo, hi) in [
        (2.0, 0.40, 0.52),
        (5.0, 0.13, 0.24),
        (10.0, 0.02, 0.07),
        (25.0, 1e-4, 1e-3),
    ] {
        let o = ogston_ratio(r, p.np.fibre_radius_nm, p.np.fibre_fraction);
        assert!((lo..=hi).contains(&o), "r = {r}: {o} not in [{lo}, {hi}]");
    }
    // monotone in radius and fibre fraction
    assert!(ogston_ratio(2.0, 0.55, 0.03) > ogston_ratio(3.0, 0.55, 0.03));
    assert!(ogston_ratio(2.0, 0.55, 0.02) > ogston_ratio(2.0, 0.55, 0.03));
}

#[test]
fn mackie_meares_cap_binds_and_never_exceeded() {
    let p = params();
    // CEP: Gu with the code permeability gives ~0.60 at 0.5 nm, above (0.66/1.34)^2 = 0.243
    let h = hindered(0.5, Tissue::Cep, HindranceLaw::GuAnnulus, &p).unwrap();
    assert!(h.uncapped_ratio > 0.55, "{}", h.uncapped_ratio);
    assert!(h.capped);
    assert!(close(h.ratio, (0.66f64 / 1.34).powi(2), 1e-12));
    assert!(close(h.d_mm2_s, h.ratio * h.d0_mm2_s, 1e-12));
    assert!(h.message.as_deref().unwrap_or("").contains("Mackie-Meares"));
    // NP glucose-size solute is below the cap (0.38 < 0.444): not capped
    let h = hindered(0.36, Tissue::Np, HindranceLaw::GuAnnulus, &p).unwrap();
    assert!(!h.capped && h.message.is_none());
    assert_eq!(h.ratio, h.uncapped_ratio);
    // the cap holds for every law, tissue and radius
    for law in HindranceLaw::ALL {
        for t in Tissue::ALL {
            for r in [0.1, 0.3, 0.5, 1.0, 3.0, 10.0, 100.0] {
                let h = hindered(r, t, law, &p).unwrap();
                assert!(h.ratio <= h.cap_ratio && h.ratio > 0.0, "{law:?} {t} {r}");
                assert_eq!(h.capped, h.uncapped_ratio > h.cap_ratio);
            }
        }
    }
}

/// Measured fluorescein (332 Da, r ~ 0.5 nm) D in human AF: 0.38-2.68e-6 cm^2/s (PMC2798905).
/// With the default AF permeability and with the most permeable AF of the registry range
/// (Cortes 2014), the capped AF value stays inside, never above, the measured maximum.
#[test]
fn af_small_solute_within_measured_fluorescein_range() {
    let (lo, hi) = (0.38e-4, 2.68e-4); // mm^2/s
    let mut reg = Registry::builtin();
    let h = hindered(0.5, Tissue::Af, HindranceLaw::DEFAULT, &params()).unwrap();
    assert!((lo..=hi).contains(&h.d_mm2_s), "{}", h.d_mm2_s);
    let kmax = reg.get("tissue.af.darcy_permeability").unwrap().range.1;
    reg.set_value("tissue.af.darcy_permeability", kmax).unwrap();
    let p = HindranceParams::from_registry(&reg).unwrap();
    let h = hindered(0.5, Tissue::Af, HindranceLaw::DEFAULT, &p).unwrap();
    assert!(h.capped, "uncapped {}", h.uncapped_ratio);
    assert!((lo..=hi).contains(&h.d_mm2_s), "{}", h.d_mm2_s);
}

#[test]
fn calibration_range_flag() {
    let p = params();
    for (r, flagged) in [
        (0.05, true),
        (0.1, false),
        (2.0, false),
        (5.0, false),
        (5.01, true),
        (50.0, true),
    ] {
        for law in HindranceLaw::ALL {
            let h = hindered(r, Tissue::Af, law, &p).unwrap();
            assert_eq!(h.out_of_range, flagged, "{law:?} r = {r}");
            if flagged {
                assert!(h.message.as_deref().unwrap_or("").contains("extrapolated"));
            }
        }
    }
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = hindered(bad, Tissue::Np, HindranceLaw::DEFAULT, &p).unwrap_err();
        assert!(e.0.contains("radius"), "{e}");
    }
}

#[test]
fn agarose_fit_hinders_large_solutes_more() {
    let p = params();
    let af = hindered(5.0, Tissue::Np, HindranceLaw::GuAnnulus, &p).unwrap();
    let ag = hindered(5.0, Tissue::Np, HindranceLaw::GuAgarose, &p).unwrap();
    // module doc: 0.077 (AF fit) vs 0.012 (agarose fit) at 5 nm in NP
    assert!(close(af.ratio, 0.077, 0.03), "{}", af.ratio);
    assert!(close(ag.ratio, 0.0123, 0.05), "{}", ag.ratio);
}

#[test]
fn tissue_from_grid_label() {
    use crate::grid;
    assert_eq!(Tissue::from_label(grid::NP), Some(Tissue::Np));
    assert_eq!(Tissue::from_label(grid::AF), Some(Tissue::Af));
    assert_eq!(Tissue::from_label(grid::CEP), Some(Tissue::Cep));
    assert_eq!(Tissue::from_label(grid::CEP_SEALED), Some(Tissue::Cep));
    assert_eq!(Tissue::from_label(grid::VOID), None);
}

#[test]
fn missing_registry_parameter_is_named() {
    let reg = Registry::from_toml_str("").unwrap();
    let e = HindranceParams::from_registry(&reg).unwrap_err();
    assert!(
        e.0.contains("physics.water_viscosity") || e.0.contains("tissue."),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// Built-in presets

const CARRIER_IDS: [&str; 11] = [
    "hydrogel_depot",
    "liposome",
    "exosome",
    "inorganic_np",
    "magnetic_np",
    "plga_microsphere",
    "hydrogel_plga_microspheres",
    "pbnp_hydrogel",
    "cationic_micelle_trka",
    "ccr2_membrane_plga",
    "nanofibrous_spongy_microspheres",
];

const ALLOWED_MODELS: [&str; 13] = [
    "zero_order",
    "first_order",
    "first_order_fmax",
    "biphasic",
    "biphasic_fmax",
    "korsmeyer_peppas",
    "weibull",
    "weibull_fmax",
    "double_weibull",
    "hopfenberg_sphere",
    "fickian_sphere",
    "plga_sphere",
    "hydrogel_degradation",
];

#[test]
fn every_preset_loads_with_expected_ids() {
    let cs = builtin_carriers().unwrap();
    let ids: Vec<&str> = cs.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, CARRIER_IDS);
    let ps = builtin_payloads().unwrap();
    for id in [
        "dexamethasone",
        "curcumin",
        "trka_in_1",
        "anti_mir_199a",
        "msc_exosome",
        "prussian_blue_np",
        "adsc_exosome",
        "epc_exosome",
    ] {
        assert!(ps.iter().any(|p| p.id == id), "missing payload {id}");
    }
    // every payload is used by some carrier
    for p in &ps {
        assert!(
            cs.iter().any(|c| c.default_payloads.contains(&p.id)),
            "payload {} unused",
            p.id
        );
    }
    let mobile: Vec<&str> = cs
        .iter()
        .filter(|c| c.mobile)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        mobile,
        [
            "liposome",
            "exosome",
            "inorganic_np",
            "magnetic_np",
            "cationic_micelle_trka",
            "ccr2_membrane_plga"
        ]
    );
}

/// Walks the raw TOML (independently of the loader): every table with a `value` is a record
/// whose range contains the value, with exactly one provenance and a unit `units.rs` parses
/// (zeta potentials in mV excepted).
fn check_raw_records(v: &toml::Value, path: &str, n: &mut usize) {
    match v {
        toml::Value::Table(t) if t.contains_key("value") => {
            *n += 1;
            let num = |x: &toml::Value| x.as_float().or(x.as_integer().map(|i| i as f64)).unwrap();
            let value = num(&t["value"]);
            let r = t["range"].as_array().unwrap();
            assert!(num(&r[0]) <= value && value <= num(&r[1]), "{path}: range");
            let unit = t["unit"].as_str().unwrap();
            if path.ends_with("zeta_potential") {
                assert_eq!(unit, "mV", "{path}");
            } else {
                assert!(
                    crate::units::parse_unit(unit).is_ok(),
                    "{path}: unit {unit}"
                );
            }
            let src = t.get("source").and_then(|x| x.as_str());
            let asm = t.get("assumption").and_then(|x| x.as_str());
            assert!(src.is_some() != asm.is_some(), "{path}: provenance");
            if let Some(s) = src {
                assert!(!s.contains("[U"), "{path}: [U] in a source");
                assert!(s.contains("[V") || s.contains("[D]"), "{path}: no tag");
            }
            assert!(!src.or(asm).unwrap().trim().is_empty(), "{path}");
        }
        toml::Value::Table(t) => {
            for (k, x) in t {
                check_raw_records(x, &format!("{path}.{k}"), n);
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                check_raw_records(x, &format!("{path}[{i}]"), n);
            }
        }
        _ => {}
    }
}

#[test]
fn every_raw_record_has_range_and_one_provenance() {
    for (name, text, min) in [
        ("carriers", CARRIERS_TOML, 60),
        ("payloads", PAYLOADS_TOML, 30),
    ] {
        let doc: toml::Value = toml::from_str(text).unwrap();
        let mut n = 0;
        check_raw_records(&doc, name, &mut n);
        assert!(n >= min, "{name}: only {n} records");
    }
}

#[test]
fn loaded_records_are_consistent() {
    let mut count = 0;
    for c in builtin_carriers().unwrap() {
        for (field, r) in c.records() {
            count += 1;
            assert!(
                r.range.0 <= r.value && r.value <= r.range.1,
                "{} {field}",
                c.id
            );
            if let Provenance::Source(s) = &r.provenance {
                assert!(!s.contains("[U"), "{} {field}", c.id);
            }
            if r.unit != "mV" {
                crate::units::parse_unit(&r.unit).unwrap();
            }
        }
        assert!(!c.citations.is_empty());
    }
    for p in builtin_payloads().unwrap() {
        for (field, r) in p.records() {
            count += 1;
            assert!(
                r.range.0 <= r.value && r.value <= r.range.1,
                "{} {field}",
                p.id
            );
            crate::units::parse_unit(&r.unit).unwrap();
        }
    }
    assert!(count >= 90, "{count}");
}

#[test]
fn release_models_are_known_and_laws_build_where_available() {
    for c in builtin_carriers().unwrap() {
        let m = c.release.model.as_str();
        assert!(ALLOWED_MODELS.contains(&m), "{}: {m}", c.id);
        let (_, kinds) = RELEASE_MODELS.iter().find(|(x, _)| *x == m).unwrap();
        let names: Vec<&str> = kinds.iter().map(|(n, _)| *n).collect();
        let mut have: Vec<&str> = c.release.params.keys().map(String::as_str).collect();
        have.sort_unstable();
        let mut want = names.clone();
        want.sort_unstable();
        assert_eq!(have, want, "{}", c.id);
        let values = c.release.model_values().unwrap();
        assert!(
            values.values().all(|v| v.is_finite() && *v >= 0.0),
            "{}",
            c.id
        );
        match crate::release::by_name(m) {
            Some(_) => {
                let law = c.release_law().unwrap();
                let mut last = 0.0;
                for day in [0.0, 0.5, 1.0, 7.0, 30.0, 365.0] {
                    let f = law.fraction(day * 86_400.0);
                    assert!(
                        (0.0..=1.0).contains(&f) && f >= last - 1e-12,
                        "{} {day}",
                        c.id
                    );
                    last = f;
                }
            }
            None => {
                let e = c.release_law().unwrap_err();
                assert!(e.0.contains(m), "{e}");
            }
        }
    }
    assert_eq!(RELEASE_MODELS.len(), ALLOWED_MODELS.len());
    for (m, _) in RELEASE_MODELS {
        assert!(ALLOWED_MODELS.contains(m));
    }
}

#[test]
fn first_order_and_weibull_laws_give_expected_fractions() {
    // hydrogel_depot: k1 = ln(10)/14 1/d, so 90 % released at 14 d
    let law = carrier("hydrogel_depot").unwrap().release_law().unwrap();
    assert!(close(law.fraction(14.0 * 86_400.0), 0.9, 0.002));
    // exosome: k1 = 0.5 1/h in hours: 1 - exp(-2) at 4 h
    let law = carrier("exosome").unwrap().release_law().unwrap();
    assert!(close(
        law.fraction(4.0 * 3600.0),
        1.0 - (-2.0f64).exp(),
        1e-9
    ));
    // inorganic_np: Weibull tau = 2 d: 1 - 1/e at 2 d whatever beta
    let law = carrier("inorganic_np").unwrap().release_law().unwrap();
    assert!(close(
        law.fraction(2.0 * 86_400.0),
        1.0 - (-1.0f64).exp(),
        1e-9
    ));
}

#[test]
fn rates_are_converted_to_seconds() {
    let h = carrier("hydrogel_depot").unwrap();
    assert!(close(
        h.clearance_rate_per_s(),
        std::f64::consts::LN_2 / (30.0 * 86_400.0),
        1e-12
    ));
    assert_eq!(h.outer_release_rate_per_s(), None);
    let c = carrier("hydrogel_plga_microspheres").unwrap();
    assert!(close(
        c.outer_release_rate_per_s().unwrap(),
        0.164 / 86_400.0,
        1e-12
    ));
    let m = carrier("cationic_micelle_trka").unwrap();
    let (kon, koff) = m.binding_rates_per_s().unwrap();
    assert_eq!((kon, koff), (1.1e-3, 2.8e-4));
    assert!(carrier("liposome").unwrap().binding_rates_per_s().is_none());
    let pb = carrier("pbnp_hydrogel").unwrap();
    let nz = pb.nanozyme.as_ref().unwrap();
    assert!(close(nz.k_cat_over_km_per_mm_s().unwrap(), 1.9e5, 1e-12));
    assert_eq!(nz.km_mm().unwrap(), 10.0);
    assert_eq!(pb.modulus_kpa().unwrap(), Some(10.0));
    let ccr2 = carrier("ccr2_membrane_plga").unwrap();
    let lb = ccr2.ligand_binding.as_ref().unwrap();
    assert!(close(lb.k_on_per_mm_s().unwrap(), 500.0, 1e-12));
    assert!(close(lb.k_d_mm().unwrap(), 1e-6, 1e-12));
    // diameter in um converts to nm and mm
    let plga = carrier("plga_microsphere").unwrap();
    assert!(close(plga.diameter_nm().unwrap(), 20_000.0, 1e-12));
    assert!(close(plga.radius_mm().unwrap(), 0.01, 1e-12));
    // payloads
    let dex = payload("dexamethasone").unwrap();
    assert!(close(
        dex.loss_rate_per_s(),
        std::f64::consts::LN_2 / 86_400.0,
        1e-12
    ));
    assert!(close(
        dex.effective_concentration_mm().unwrap().unwrap(),
        1e-4,
        1e-12
    ));
    assert_eq!(dex.partition(Tissue::Af), 1.0);
    assert_eq!(
        payload("msc_exosome")
            .unwrap()
            .effective_concentration_mm()
            .unwrap(),
        None
    );
    assert_eq!(
        payload("msc_exosome").unwrap().molecular_weight_g_mol(),
        None
    );
}

#[test]
fn immobile_carriers_do_not_diffuse() {
    let reg = Registry::builtin();
    for c in builtin_carriers().unwrap() {
        for t in Tissue::ALL {
            let h = c.diffusivity_mm2_s(t, &reg).unwrap();
            if c.mobile {
                assert!(h.d_mm2_s > 0.0 && h.d_mm2_s < h.d0_mm2_s, "{} {t}", c.id);
                assert!(close(h.radius_nm, c.diameter_nm().unwrap() / 2.0, 1e-12));
                // every mobile carrier (>= 50 nm) is beyond the calibrated range
                assert!(h.out_of_range, "{} {t}", c.id);
            } else {
                assert_eq!((h.d_mm2_s, h.mobile), (0.0, false), "{} {t}", c.id);
            }
        }
    }
    // small-molecule payloads diffuse orders of magnitude faster than vesicles
    let dex = payload("dexamethasone")
        .unwrap()
        .diffusivity_mm2_s(Tissue::Np, &reg)
        .unwrap();
    let ev = payload("msc_exosome")
        .unwrap()
        .diffusivity_mm2_s(Tissue::Np, &reg)
        .unwrap();
    assert!(dex.d_mm2_s > 100.0 * ev.d_mm2_s);
    assert!(!dex.out_of_range);
}

#[test]
fn unknown_ids_list_allowed_and_suggest() {
    let e = carrier("lipsome").unwrap_err();
    assert!(e.0.contains("did you mean 'liposome'"), "{e}");
    assert!(
        e.0.contains("allowed:") && e.0.contains("pbnp_hydrogel"),
        "{e}"
    );
    let e = payload("curcumn").unwrap_err();
    assert!(e.0.contains("did you mean 'curcumin'"), "{e}");
    let e = carrier("zzzzzzzzzz").unwrap_err();
    assert!(!e.0.contains("did you mean"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Loader rejections

pub(super) const PAYLOAD_OK: &str = r#"
[[payload]]
id = "drug"
label = "Drug"
description = "d"
kind = "small_molecule"
citations = ["c"]
action = "anti_inflammatory"
action_note = "n"
molecular_weight = { value = 392.5, unit = "g/mol", range = [300, 500], source = "x [D]" }
stokes_radius = { value = 0.5, unit = "nm", range = [0.4, 0.6], assumption = "a" }
loss_half_life = { value = 1, unit = "d", range = [0.5, 2], assumption = "a" }
effective_concentration = { value = 0.3925, unit = "ug/mL", range = [0.1, 1], assumption = "a" }
[payload.partition]
np = { value = 1, unit = "1", range = [0.5, 2], assumption = "a" }
af = { value = 1, unit = "1", range = [0.5, 2], assumption = "a" }
cep = { value = 1, unit = "1", range = [0.5, 2], assumption = "a" }
"#;

pub(super) const CARRIER_OK: &str = r#"
[[carrier]]
id = "np1"
label = "NP"
description = "d"
kind = "nanoparticle"
mobile = true
citations = ["c"]
default_payloads = ["drug"]
diameter = { value = 100, unit = "nm", range = [50, 200], assumption = "a" }
zeta_potential = { value = -10, unit = "mV", range = [-20, 0], assumption = "a" }
clearance_half_life = { value = 7, unit = "d", range = [1, 30], assumption = "a" }
[carrier.release]
model = "first_order"
time_unit = "d"
assumption = "a"
[carrier.release.params]
k1 = { value = 0.1, unit = "1/h", range = [0.01, 1], assumption = "a" }
"#;

#[test]
fn custom_files_load_and_convert() {
    let ps = payloads_from_toml_str(PAYLOAD_OK).unwrap();
    // 0.3925 ug/mL of a 392.5 g/mol drug = 1 uM = 1e-3 mM
    assert!(close(
        ps[0].effective_concentration_mm().unwrap().unwrap(),
        1e-3,
        1e-9
    ));
    let cs = carriers_from_toml_str(CARRIER_OK, &["drug"]).unwrap();
    // 0.1 1/h in a model with T = d is 2.4 1/d
    let v = cs[0].release.model_values().unwrap();
    assert!(close(v["k1"], 2.4, 1e-12));
    let law = cs[0].release_law().unwrap();
    assert!(close(law.fraction(3600.0), 1.0 - (-0.1f64).exp(), 1e-9));
}

fn carrier_err(text: &str) -> String {
    carriers_from_toml_str(text, &["drug"]).unwrap_err().0
}

#[test]
fn loader_rejects_bad_carriers() {
    let cases: [(&str, &str, &str); 10] = [
        (
            "assumption = \"a\" }\n[carrier.release]",
            "source = \"x [U]\" }\n[carrier.release]",
            "[U]",
        ),
        (
            "range = [1, 30], assumption = \"a\"",
            "range = [1, 30]",
            "exactly one",
        ),
        (
            "range = [1, 30], assumption = \"a\"",
            "range = [1, 30], source = \"no tag\"",
            "evidence tag",
        ),
        (
            "range = [50, 200]",
            "range = [150, 200]",
            "range.0 <= value",
        ),
        ("unit = \"nm\"", "unit = \"d\"", "wrong dimension"),
        (
            "model = \"first_order\"",
            "model = \"first_ordr\"",
            "did you mean `first_order`",
        ),
        ("k1 = {", "kdeg = {", "has no parameter `kdeg`"),
        (
            "default_payloads = [\"drug\"]",
            "default_payloads = [\"dex\"]",
            "default payload 'dex'",
        ),
        ("mobile = true", "mobile = false", "set mobile = true"),
        ("unit = \"mV\"", "unit = \"V\"", "zeta_potential"),
    ];
    for (from, to, expect) in cases {
        assert!(CARRIER_OK.contains(from), "{from}");
        let bad = CARRIER_OK.replacen(from, to, 1);
        let e = carrier_err(&bad);
        assert!(e.contains(expect), "{to}: {e}");
    }
    // a composite needs a first-order outer stage
    let gel = CARRIER_OK
        .replace("kind = \"nanoparticle\"", "kind = \"composite\"")
        .replace("mobile = true", "mobile = false")
        .replace("citations", "mesh_size = { value = 20, unit = \"nm\", range = [5, 100], assumption = \"a\" }\nmodulus = { value = 20, unit = \"kPa\", range = [1, 100], assumption = \"a\" }\ncitations");
    assert!(
        carrier_err(&gel).contains("outer_release"),
        "{}",
        carrier_err(&gel)
    );
    let outer = |model: &str| {
        format!(
            "{gel}[carrier.outer_release]\nmodel = \"{model}\"\ntime_unit = \"d\"\nk1 = {{ value = 0.1, unit = \"1/d\", range = [0.01, 1], assumption = \"a\" }}\n"
        )
    };
    let ok = carriers_from_toml_str(&outer("first_order"), &["drug"]).unwrap();
    assert!(close(
        ok[0].outer_release_rate_per_s().unwrap(),
        0.1 / 86_400.0,
        1e-12
    ));
    assert!(carrier_err(&outer("weibull")).contains("must be `first_order`"));
    // duplicate ids
    let dup = format!(
        "{CARRIER_OK}{}",
        CARRIER_OK.replace("[[carrier]]", "\n[[carrier]]")
    );
    assert!(carrier_err(&dup).contains("duplicate carrier id"));
    // burst outside 0-100 %
    let plga = CARRIER_OK
        .replace("model = \"first_order\"", "model = \"biphasic\"")
        .replace(
            "k1 = {",
            "burst = { value = 120, unit = \"%\", range = [0, 150], assumption = \"a\" }\nk1 = {",
        );
    assert!(
        carrier_err(&plga).contains("0-100 %"),
        "{}",
        carrier_err(&plga)
    );
}

#[test]
fn loader_rejects_bad_payloads() {
    let no_mw = PAYLOAD_OK.replacen(
        "molecular_weight = { value = 392.5, unit = \"g/mol\", range = [300, 500], source = \"x [D]\" }\n",
        "",
        1,
    );
    let e = payloads_from_toml_str(&no_mw).unwrap_err();
    assert!(e.0.contains("molecular_weight"), "{e}");
    let vesicle = no_mw.replace("small_molecule", "vesicle");
    let e = payloads_from_toml_str(&vesicle).unwrap_err();
    assert!(e.0.contains("dose_basis"), "{e}");
    let with_basis = vesicle.replace("citations", "dose_basis = \"ug protein\"\ncitations");
    assert!(payloads_from_toml_str(&with_basis).is_ok());
    let e = payloads_from_toml_str(&PAYLOAD_OK.replace("unit = \"ug/mL\"", "unit = \"ug\""))
        .unwrap_err();
    assert!(e.0.contains("effective_concentration"), "{e}");
    let e = payloads_from_toml_str(&PAYLOAD_OK.replace("id = \"drug\"", "id = \"Drug X\""))
        .unwrap_err();
    assert!(e.0.contains("snake_case"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Listings

#[test]
fn listings_cover_every_preset() {
    let reg = Registry::builtin();
    let md = to_markdown(&reg, None).unwrap();
    let js = to_json(&reg, None).unwrap();
    let table = to_table(&reg, None).unwrap();
    let cs = builtin_carriers().unwrap();
    let ps = builtin_payloads().unwrap();
    for id in cs.iter().map(|c| &c.id).chain(ps.iter().map(|p| &p.id)) {
        assert!(md.contains(&format!("### `{id}`")), "{id}");
        assert!(table.contains(&format!(" {id}: ")), "{id}");
    }
    assert_eq!(js["carriers"].as_array().unwrap().len(), cs.len());
    assert_eq!(js["payloads"].as_array().unwrap().len(), ps.len());
    // every record appears with its provenance in JSON
    let lip = &js["carriers"][1];
    assert_eq!(lip["id"], "liposome");
    assert_eq!(lip["diameter"]["unit"], "nm");
    assert!(lip["diameter"]["assumption"].is_string());
    assert!(lip["release"]["params"]["k1"]["range"].is_array());
    assert!(lip["hindered_diffusion"]["np"]["d_mm2_s"].as_f64().unwrap() > 0.0);
    // one id selects one preset
    let one = to_json(&reg, Some("curcumin")).unwrap();
    assert_eq!(one["carriers"].as_array().unwrap().len(), 0);
    assert_eq!(one["payloads"][0]["id"], "curcumin");
    let e = to_table(&reg, Some("curcumn")).unwrap_err();
    assert!(e.0.contains("did you mean 'curcumin'"), "{e}");
    assert!(md.ends_with("|\n") && !md.ends_with("\n\n"));
}
