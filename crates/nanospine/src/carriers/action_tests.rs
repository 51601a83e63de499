//! Tests of the payload `action`: the built-in mapping, the loader's checks and the listings.

use super::tests::PAYLOAD_OK;
use super::*;
use crate::params::Registry;

/// The mapping of the brief (independent of the data file): payload id -> biology input.
const EXPECTED: [(&str, PayloadAction); 6] = [
    ("dexamethasone", PayloadAction::AntiInflammatory),
    ("curcumin", PayloadAction::AntiInflammatory),
    ("trka_in_1", PayloadAction::TrkaAntagonist),
    ("anti_mir_199a", PayloadAction::AntiMir199a),
    ("msc_exosome", PayloadAction::Exosome),
    ("prussian_blue_np", PayloadAction::Nanozyme),
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
            "allowed: anti_inflammatory, trka_antagonist, anti_mir199a, exosome, nanozyme, none"
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
