//! `nanospine carriers`: docs/carriers.md is generated from the presets; listing by id; errors.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanospine"))
}

#[test]
fn docs_carrier_listing_is_generated_from_the_presets() {
    let reg = nanospine::params::Registry::builtin();
    let md = nanospine::carriers::to_markdown(&reg, None).unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/carriers.md");
    let on_disk = std::fs::read_to_string(&file).unwrap();
    assert!(
        md == on_disk,
        "docs/carriers.md is out of date: run `nanospine carriers --format markdown > docs/carriers.md`"
    );
    // the binary prints the same text
    let o = bin()
        .args(["carriers", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8(o.stdout).unwrap(), md);
}

#[test]
fn carriers_by_id_as_json() {
    let o = bin()
        .args(["carriers", "plga_microsphere", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &v["carriers"][0];
    assert_eq!(c["id"], "plga_microsphere");
    assert_eq!(c["release"]["model"], "plga_sphere");
    assert_eq!(c["release"]["params"]["dr2"]["value"], 0.259);
    assert_eq!(c["hindered_diffusion"]["np"]["d_mm2_s"], 0.0);
    assert_eq!(v["payloads"].as_array().unwrap().len(), 0);
}

#[test]
fn unknown_carrier_id_fails_with_suggestion() {
    let o = bin().args(["carriers", "lipsome"]).output().unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean 'liposome'"), "{err}");
    assert!(err.contains("allowed:"), "{err}");
}

#[test]
fn carriers_table_lists_hindered_diffusion() {
    let o = bin().args(["carriers", "liposome"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("carrier liposome"), "{text}");
    assert!(text.contains("hindered D [mm^2/s]"), "{text}");
    assert!(
        text.contains("NP ") && text.contains("AF ") && text.contains("CEP "),
        "{text}"
    );
}

#[test]
fn carriers_listing_shows_the_cord_therapies() {
    let o = bin().args(["carriers"]).output().unwrap();
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    for line in [
        "payload adsc_exosome: ",
        "  biological action: nrf2_exosome\n",
        "payload epc_exosome: ",
        "  biological action: socs3_exosome\n",
        "carrier ccr2_membrane_plga: ",
        "  carrier action: ccl2_trap (the carrier concentration is the input)\n",
        "  default payloads: msc_exosome, adsc_exosome, epc_exosome\n",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    let o = bin()
        .args(["carriers", "epc_exosome", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["payloads"][0]["action"], "socs3_exosome");
}
