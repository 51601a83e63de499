//! Tests of the payload `action`: the built-in mapping, the loader's checks and the listings.

use super::tests::PAYLOAD_OK;
use super::*;
use crate::params::Registry;

/// The mapping of the brief (independent of the data file): payload id -> biology input.
const EXPECTED: [(&str, PayloadAction); 8] = [
    ("dexamethasone", PayloadAction::AntiInflammatory),
    ("curcumin", PayloadAction::AntiInflammatory),
    ("trka_in_1", PayloadAction::TrkaAntagonist),
    ("anti_mir_199a", PayloadAction::AntiMir199a),
    ("msc_exosome", PayloadAction::Exosome),
    ("prussian_blue_np", PayloadAction::Nanozyme),
    ("adsc_exosome", PayloadAction::Nrf2Exosome),
    ("epc_exosome", PayloadAction::Socs3Exosome),
];

#[test]
fn every_builtin_payload_has_the_expected_action() {
    let ps = builtin_payloads().unwrap();
    let mut ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    let mut want: Vec<&str> = EXPECTED.iter().map(|(id, _)| *id).collect();
    want.sort_unstable();
    assert_eq!(ids, want, "a new payload needs its action in EXPECTED");
    for (id, action) in EXPECTED {
        let p = payload(id).unwrap();
        assert_eq!(p.action, action, "{id}");
        assert!(p.action_note.trim().len() > 40, "{id}: {}", p.action_note);
    }
}

#[test]
fn action_ids_round_trip() {
    let ids: Vec<&str> = PayloadAction::ALL.iter().map(|a| a.id()).collect();
    assert_eq!(
        ids,
        [
            "anti_inflammatory",
            "trka_antagonist",
            "anti_mir199a",
            "exosome",
            "nanozyme",
            "ccl2_trap",
            "nrf2_exosome",
            "socs3_exosome",
            "none"
        ]
        .to_vec()
    );
    for a in PayloadAction::ALL {
        assert_eq!(PayloadAction::from_id(a.id()), Some(a));
    }
    assert_eq!(PayloadAction::from_id("Nanozyme"), None);
}

#[test]
fn loader_checks_the_action() {
    let ps = payloads_from_toml_str(PAYLOAD_OK).unwrap();
    assert_eq!(ps[0].action, PayloadAction::AntiInflammatory);
    assert_eq!(ps[0].action_note, "n");
    let none = PAYLOAD_OK.replace("\"anti_inflammatory\"", "\"none\"");
    assert_eq!(
        payloads_from_toml_str(&none).unwrap()[0].action,
        PayloadAction::None
    );
    let e = payloads_from_toml_str(&PAYLOAD_OK.replace("anti_inflammatory", "anti_inflamatory"))
        .unwrap_err();
    assert!(e.0.contains("payload 'drug'"), "{e}");
    assert!(e.0.contains("unknown action 'anti_inflamatory'"), "{e}");
    assert!(e.0.contains("did you mean 'anti_inflammatory'"), "{e}");
    assert!(
        e.0.contains(
            "allowed: anti_inflammatory, trka_antagonist, anti_mir199a, exosome, nanozyme, \
             ccl2_trap, nrf2_exosome, socs3_exosome, none"
        ),
        "{e}"
    );
    let e =
        payloads_from_toml_str(&PAYLOAD_OK.replace("action_note = \"n\"", "action_note = \" \""))
            .unwrap_err();
    assert!(e.0.contains("action_note"), "{e}");
    let e = payloads_from_toml_str(&PAYLOAD_OK.replace("action = \"anti_inflammatory\"\n", ""))
        .unwrap_err();
    assert!(e.0.contains("action"), "{e}");
}

#[test]
fn listings_show_the_action() {
    let reg = Registry::builtin();
    let js = to_json(&reg, Some("prussian_blue_np")).unwrap();
    assert_eq!(js["payloads"][0]["action"], "nanozyme");
    assert!(js["payloads"][0]["action_note"]
        .as_str()
        .unwrap()
        .contains("Zhang"));
    let table = to_table(&reg, Some("trka_in_1")).unwrap();
    assert!(
        table.contains("\n  biological action: trka_antagonist\n"),
        "{table}"
    );
    let md = to_markdown(&reg, Some("msc_exosome")).unwrap();
    assert!(
        md.contains("Biological action: `exosome`. MSC exosomes"),
        "{md}"
    );
    // carriers have no action line
    let table = to_table(&reg, Some("pbnp_hydrogel")).unwrap();
    assert!(!table.contains("biological action"), "{table}");
}

#[test]
fn new_cord_actions_parse_from_a_payload_file() {
    for (id, action) in [
        ("ccl2_trap", PayloadAction::Ccl2Trap),
        ("nrf2_exosome", PayloadAction::Nrf2Exosome),
        ("socs3_exosome", PayloadAction::Socs3Exosome),
    ] {
        let text = PAYLOAD_OK.replace("\"anti_inflammatory\"", &format!("\"{id}\""));
        assert_eq!(payloads_from_toml_str(&text).unwrap()[0].action, action);
    }
    let e = payloads_from_toml_str(&PAYLOAD_OK.replace("\"anti_inflammatory\"", "\"ccl2trap\""))
        .unwrap_err();
    assert!(e.0.contains("did you mean 'ccl2_trap'"), "{e}");
}

#[test]
fn ccr2_carrier_is_a_ccl2_trap_the_cnp_a_damp_trap_and_others_have_no_carrier_action() {
    let c = carrier("ccr2_membrane_plga").unwrap();
    assert_eq!(c.action(), Some(PayloadAction::Ccl2Trap));
    assert_eq!(c.default_payloads, ["curcumin"]);
    assert_eq!(
        payload("curcumin").unwrap().action,
        PayloadAction::AntiInflammatory
    );
    for c in builtin_carriers().unwrap() {
        match c.id.as_str() {
            "ccr2_membrane_plga" => {}
            // binds CpG DNA (Peng 2023): see cationic_cnp_is_a_damp_trap_with_its_constants
            "cationic_micelle_trka" => assert_eq!(c.action(), Some(PayloadAction::DampTrap)),
            _ => assert_eq!(c.action(), None, "{}", c.id),
        }
    }
    // the free-exosome carrier delivers the cord exosomes (first default unchanged)
    let ev = carrier("exosome").unwrap();
    assert_eq!(
        ev.default_payloads,
        ["msc_exosome", "adsc_exosome", "epc_exosome"]
    );
}

#[test]
fn cord_exosome_presets_are_vesicles_dosed_by_protein() {
    for id in ["adsc_exosome", "epc_exosome"] {
        let p = payload(id).unwrap();
        assert_eq!(p.kind, PayloadKind::Vesicle, "{id}");
        assert_eq!(p.dose_basis.as_deref(), Some("ug EV protein"), "{id}");
        assert_eq!(p.molecular_weight_g_mol(), None, "{id}");
        assert_eq!(p.stokes_radius_nm(), 50.0, "{id}");
        assert_eq!(p.effective_concentration_mm().unwrap(), None, "{id}");
        assert!(p.citations.iter().any(|c| c.contains("2023")), "{id}");
    }
    assert!(payload("adsc_exosome").unwrap().citations[0].contains("Luo"));
    assert!(payload("epc_exosome").unwrap().citations[0].contains("Yuan"));
}

#[test]
fn listings_show_the_carrier_action() {
    let reg = Registry::builtin();
    let table = to_table(&reg, Some("ccr2_membrane_plga")).unwrap();
    assert!(table.contains("\n  binds ligand: CCL2\n"), "{table}");
    assert!(
        table.contains("\n  carrier action: ccl2_trap (the carrier concentration is the input)\n"),
        "{table}"
    );
    let js = to_json(&reg, Some("ccr2_membrane_plga")).unwrap();
    assert_eq!(js["carriers"][0]["carrier_action"], "ccl2_trap");
    let js = to_json(&reg, Some("liposome")).unwrap();
    assert!(js["carriers"][0].get("carrier_action").is_none());
    let md = to_markdown(&reg, Some("ccr2_membrane_plga")).unwrap();
    assert!(md.contains("Carrier action: `ccl2_trap`"), "{md}");
    let table = to_table(&reg, Some("epc_exosome")).unwrap();
    assert!(
        table.contains("\n  biological action: socs3_exosome\n"),
        "{table}"
    );
    let table = to_table(&reg, Some("adsc_exosome")).unwrap();
    assert!(
        table.contains("\n  biological action: nrf2_exosome\n"),
        "{table}"
    );
}

/// The cationic cNP of Peng 2023 is a DAMP trap: 3 mol CpG DNA per mol of a 15 kDa chain is
/// 2e-4 nmol of sites per ng, K_d 10 nM, 10 % TrkA-IN-1 loading.
#[test]
fn cationic_cnp_is_a_damp_trap_with_its_constants() {
    let c = carrier("cationic_micelle_trka").unwrap();
    assert_eq!(c.action(), Some(PayloadAction::DampTrap));
    let d = c.ligand_binding.as_ref().unwrap().damp_trap().unwrap();
    assert!(
        (d.sites_nmol_per_ng - 3.0 / 15_000.0).abs() < 1e-15,
        "{d:?}"
    );
    assert!((d.k_d_nm - 10.0).abs() < 1e-9, "{d:?}");
    assert!((d.payload_loading - 0.1).abs() < 1e-12, "{d:?}");
    // not a payload action
    assert!(!PayloadAction::ALL.contains(&PayloadAction::DampTrap));
    assert_eq!(PayloadAction::from_id("damp_trap"), None);
    // the CCR2 membrane stays a CCL2 trap
    let ccr2 = carrier("ccr2_membrane_plga").unwrap();
    assert_eq!(ccr2.action(), Some(PayloadAction::Ccl2Trap));
}

#[test]
fn a_damp_trap_without_its_stoichiometry_is_an_error_naming_the_field() {
    let trap = r#"[carrier.ligand_binding]
ligand = "cfDNA"
k_on = { value = 1e6, unit = "1/(M*s)", range = [1e5, 1e7], assumption = "a" }
k_d = { value = 10, unit = "nM", range = [1, 100], assumption = "a" }
capacity = { value = 3, unit = "mol/mol", range = [2, 4], assumption = "a" }
molar_mass = { value = 15000, unit = "g/mol", range = [5000, 50000], assumption = "a" }
payload_loading = { value = 10, unit = "%", range = [2, 30], assumption = "a" }
"#;
    let ok = format!("{}{trap}", super::tests::CARRIER_OK);
    let cs = carriers_from_toml_str(&ok, &["drug"]).unwrap();
    assert_eq!(cs[0].action(), Some(PayloadAction::DampTrap));
    let d = cs[0].ligand_binding.as_ref().unwrap().damp_trap().unwrap();
    assert!((d.sites_nmol_per_ng - 2e-4).abs() < 1e-15);
    for field in ["capacity", "molar_mass", "payload_loading"] {
        let line = trap.lines().find(|l| l.starts_with(field)).unwrap();
        let bad = ok.replace(&format!("{line}\n"), "");
        let e = carriers_from_toml_str(&bad, &["drug"]).unwrap_err();
        assert!(
            e.0.contains(&format!("ligand_binding.{field} is required")),
            "{e}"
        );
        assert!(e.0.contains("carrier 'np1'"), "{e}");
    }
    // a loading above 100 % is refused with the value
    let bad = ok.replace(
        "payload_loading = { value = 10, unit = \"%\", range = [2, 30]",
        "payload_loading = { value = 150, unit = \"%\", range = [2, 300]",
    );
    let e = carriers_from_toml_str(&bad, &["drug"]).unwrap_err();
    assert!(e.0.contains("payload_loading = 150 %"), "{e}");
}
