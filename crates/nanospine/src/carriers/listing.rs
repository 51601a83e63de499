//! Listings of the carrier and payload presets: JSON, terminal table, Markdown (docs/carriers.md).
//! Each shows every record (value, unit, range, source or assumption) and the hindered
//! diffusivity in NP, AF and CEP by the default law.

use serde_json::{json, Map, Value};

use super::hindrance::{Hindered, HindranceLaw, HindranceParams, Tissue};
use super::payload::{PayloadAction, PayloadPreset};
use super::preset::CarrierPreset;
use super::record::Record;
use super::{builtin_carriers, builtin_payloads, CarrierError};
use crate::params::{Provenance, Registry};

/// The presets a listing shows: everything, or the one carrier or payload called `id`.
struct Selection {
    carriers: Vec<CarrierPreset>,
    payloads: Vec<PayloadPreset>,
}

fn select(id: Option<&str>) -> Result<Selection, CarrierError> {
    let carriers = builtin_carriers()?;
    let payloads = builtin_payloads()?;
    let Some(id) = id else {
        return Ok(Selection { carriers, payloads });
    };
    let c: Vec<CarrierPreset> = carriers.iter().filter(|c| c.id == id).cloned().collect();
    let p: Vec<PayloadPreset> = payloads.iter().filter(|p| p.id == id).cloned().collect();
    if c.is_empty() && p.is_empty() {
        let ids: Vec<&str> = carriers
            .iter()
            .map(|c| c.id.as_str())
            .chain(payloads.iter().map(|p| p.id.as_str()))
            .collect();
        return Err(super::unknown("carrier or payload", id, &ids));
    }
    Ok(Selection {
        carriers: c,
        payloads: p,
    })
}

/// Compact number text: plain for 0.01 <= |x| < 1e6, scientific otherwise (`3.77e-6`).
fn num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 || (1e-2..1e6).contains(&a) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// Three significant digits, scientific (`1.23e-7`); `0` for zero.
fn sci3(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x:.2e}")
    }
}

fn ratio3(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

fn evidence(p: &Provenance) -> String {
    let text = p.text();
    let mut tags: Vec<&str> = Vec::new();
    for (pat, tag) in [
        ("[V-code", "V-code"),
        ("[V]", "V"),
        ("[V ", "V"),
        ("[V,", "V"),
        ("[U]", "U"),
        ("[U ", "U"),
        ("[D]", "D"),
        ("[D ", "D"),
    ] {
        if text.contains(pat) && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let tags = tags.join(",");
    match (p, tags.is_empty()) {
        (Provenance::Source(_), true) => "source".into(),
        (Provenance::Source(_), false) => tags,
        (Provenance::Assumption(_), true) => "assumption".into(),
        (Provenance::Assumption(_), false) => format!("assumption({tags})"),
    }
}

fn hindered_rows<F>(f: F) -> Result<Vec<Hindered>, CarrierError>
where
    F: Fn(Tissue) -> Result<Hindered, CarrierError>,
{
    Tissue::ALL.iter().map(|&t| f(t)).collect()
}

fn carrier_hindered(c: &CarrierPreset, p: &HindranceParams) -> Result<Vec<Hindered>, CarrierError> {
    hindered_rows(|t| c.diffusivity_with(t, HindranceLaw::DEFAULT, p))
}

fn payload_hindered(x: &PayloadPreset, p: &HindranceParams) -> Result<Vec<Hindered>, CarrierError> {
    hindered_rows(|t| x.diffusivity_with(t, HindranceLaw::DEFAULT, p))
}

// ---------------------------------------------------------------------------------------------
// JSON

fn record_json(r: &Record) -> Value {
    let mut o = json!({
        "value": r.value,
        "unit": r.unit,
        "range": [r.range.0, r.range.1],
    });
    if let Value::Object(m) = &mut o {
        m.insert(
            r.provenance.kind().to_string(),
            Value::String(r.provenance.text().to_string()),
        );
    }
    o
}

fn hindered_json(h: &[Hindered]) -> Value {
    let mut m = Map::new();
    m.insert("law".into(), json!(HindranceLaw::DEFAULT.id()));
    for x in h {
        m.insert(
            x.tissue.key().into(),
            json!({
                "mobile": x.mobile,
                "radius_nm": x.radius_nm,
                "d0_mm2_s": x.d0_mm2_s,
                "ratio": x.ratio,
                "uncapped_ratio": x.uncapped_ratio,
                "cap_ratio": x.cap_ratio,
                "d_mm2_s": x.d_mm2_s,
                "capped": x.capped,
                "out_of_range": x.out_of_range,
                "message": x.message,
            }),
        );
    }
    Value::Object(m)
}

fn carrier_json(c: &CarrierPreset, p: &HindranceParams) -> Result<Value, CarrierError> {
    let mut m = Map::new();
    m.insert("id".into(), json!(c.id));
    m.insert("label".into(), json!(c.label));
    m.insert("kind".into(), json!(c.kind.id()));
    m.insert("mobile".into(), json!(c.mobile));
    m.insert("description".into(), json!(c.description));
    m.insert("citations".into(), json!(c.citations));
    m.insert("default_payloads".into(), json!(c.default_payloads));
    for (k, r) in [
        ("diameter", &c.diameter),
        ("mesh_size", &c.mesh_size),
        ("zeta_potential", &c.zeta_potential),
        ("modulus", &c.modulus),
    ] {
        if let Some(r) = r {
            m.insert(k.into(), record_json(r));
        }
    }
    let params: Map<String, Value> = c
        .release
        .params
        .iter()
        .map(|(k, r)| (k.clone(), record_json(r)))
        .collect();
    let mut rel = json!({
        "model": c.release.model,
        "time_unit": c.release.time_unit,
        "params": params,
    });
    if let Value::Object(o) = &mut rel {
        o.insert(
            c.release.provenance.kind().into(),
            json!(c.release.provenance.text()),
        );
    }
    m.insert("release".into(), rel);
    if let Some(o) = &c.outer_release {
        m.insert(
            "outer_release".into(),
            json!({"model": "first_order", "time_unit": o.time_unit, "k1": record_json(&o.k1)}),
        );
    }
    m.insert(
        "clearance_half_life".into(),
        record_json(&c.clearance_half_life),
    );
    if let Some(b) = &c.binding {
        m.insert(
            "binding".into(),
            json!({"k_on": record_json(&b.k_on), "k_off": record_json(&b.k_off)}),
        );
    }
    if let Some(l) = &c.ligand_binding {
        m.insert(
            "ligand_binding".into(),
            json!({"ligand": l.ligand, "k_on": record_json(&l.k_on), "k_d": record_json(&l.k_d)}),
        );
        if let Some(serde_json::Value::Object(lb)) = m.get_mut("ligand_binding") {
            for (name, r) in [
                ("capacity", &l.capacity),
                ("molar_mass", &l.molar_mass),
                ("payload_loading", &l.payload_loading),
            ] {
                if let Some(r) = r {
                    lb.insert(name.into(), record_json(r));
                }
            }
        }
    }
    if let Some(a) = c.action() {
        m.insert("carrier_action".into(), json!(a.id()));
    }
    if let Some(n) = &c.nanozyme {
        m.insert(
            "nanozyme".into(),
            json!({
                "kind": n.kind.id(),
                "citation": n.citation,
                "k_cat_over_km": record_json(&n.k_cat_over_km),
                "km": record_json(&n.km),
            }),
        );
    }
    m.insert(
        "hindered_diffusion".into(),
        hindered_json(&carrier_hindered(c, p)?),
    );
    Ok(Value::Object(m))
}

fn payload_json(x: &PayloadPreset, p: &HindranceParams) -> Result<Value, CarrierError> {
    let mut m = Map::new();
    m.insert("id".into(), json!(x.id));
    m.insert("label".into(), json!(x.label));
    m.insert("kind".into(), json!(x.kind.id()));
    m.insert("description".into(), json!(x.description));
    m.insert("citations".into(), json!(x.citations));
    if let Some(b) = &x.dose_basis {
        m.insert("dose_basis".into(), json!(b));
    }
    m.insert("action".into(), json!(x.action.id()));
    m.insert("action_note".into(), json!(x.action_note));
    if let Some(r) = &x.molecular_weight {
        m.insert("molecular_weight".into(), record_json(r));
    }
    m.insert("stokes_radius".into(), record_json(&x.stokes_radius));
    let part: Map<String, Value> = Tissue::ALL
        .iter()
        .map(|&t| (t.key().to_string(), record_json(x.partition_record(t))))
        .collect();
    m.insert("partition".into(), Value::Object(part));
    m.insert("loss_half_life".into(), record_json(&x.loss_half_life));
    m.insert(
        "effective_concentration".into(),
        record_json(&x.effective_concentration),
    );
    m.insert(
        "hindered_diffusion".into(),
        hindered_json(&payload_hindered(x, p)?),
    );
    Ok(Value::Object(m))
}

/// JSON listing `{"carriers": [...], "payloads": [...]}` of every preset, or of the one
/// carrier or payload called `id`, with hindered diffusivities from `reg`.
pub fn to_json(reg: &Registry, id: Option<&str>) -> Result<Value, CarrierError> {
    let s = select(id)?;
    let p = HindranceParams::from_registry(reg)?;
    let carriers = s
        .carriers
        .iter()
        .map(|c| carrier_json(c, &p))
        .collect::<Result<Vec<_>, _>>()?;
    let payloads = s
        .payloads
        .iter()
        .map(|x| payload_json(x, &p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({ "carriers": carriers, "payloads": payloads }))
}

// ---------------------------------------------------------------------------------------------
// Terminal table

fn aligned(header: [&str; 5], rows: &[[String; 5]], indent: &str) -> String {
    let mut width = header.map(|h| h.chars().count());
    for r in rows {
        for (w, c) in width.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::from(indent);
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(width[i] - c.chars().count() + 2));
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(&header.map(String::from));
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

fn record_rows(records: &[(String, &Record)]) -> Vec<[String; 5]> {
    records
        .iter()
        .map(|(name, r)| {
            [
                name.clone(),
                num(r.value),
                r.unit.clone(),
                format!("{} .. {}", num(r.range.0), num(r.range.1)),
                evidence(&r.provenance),
            ]
        })
        .collect()
}

fn hindered_line(h: &[Hindered]) -> String {
    if h.iter().all(|x| !x.mobile) {
        return "  hindered D: immobile (stays at the injection site, D = 0)\n".into();
    }
    let cells: Vec<String> = h
        .iter()
        .map(|x| {
            let mut flags = Vec::new();
            if x.capped {
                flags.push("capped");
            }
            if x.out_of_range {
                flags.push("extrapolated");
            }
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(", {}", flags.join(", "))
            };
            format!(
                "{} {} (D/D0 {}{flags})",
                x.tissue,
                sci3(x.d_mm2_s),
                ratio3(x.ratio)
            )
        })
        .collect();
    format!(
        "  hindered D [mm^2/s] ({}; D0 {}): {}\n",
        HindranceLaw::DEFAULT.id(),
        sci3(h[0].d0_mm2_s),
        cells.join("; ")
    )
}

const TABLE_HEADER: [&str; 5] = ["FIELD", "VALUE", "UNIT", "RANGE", "EVIDENCE"];

/// Aligned plain-text listing for terminals (all presets, or the one called `id`).
pub fn to_table(reg: &Registry, id: Option<&str>) -> Result<String, CarrierError> {
    let s = select(id)?;
    let p = HindranceParams::from_registry(reg)?;
    let mut out = String::new();
    for c in &s.carriers {
        out.push_str(&format!(
            "carrier {}: {} ({}, {})\n",
            c.id,
            c.label,
            c.kind.id(),
            if c.mobile {
                "mobile"
            } else {
                "stays at the injection site"
            }
        ));
        out.push_str(&format!(
            "  default payloads: {}\n  release: {} (T = {}) [{}]\n",
            c.default_payloads.join(", "),
            c.release.model,
            c.release.time_unit,
            evidence(&c.release.provenance)
        ));
        if let Some(o) = &c.outer_release {
            out.push_str(&format!(
                "  outer release (gel -> tissue): first_order (T = {})\n",
                o.time_unit
            ));
        }
        if let Some(n) = &c.nanozyme {
            out.push_str(&format!("  nanozyme: {}\n", n.kind.id()));
        }
        if let Some(l) = &c.ligand_binding {
            out.push_str(&format!("  binds ligand: {}\n", l.ligand));
        }
        if let Some(a) = c.action() {
            out.push_str(&format!(
                "  carrier action: {} (the carrier concentration is the input)\n",
                a.id()
            ));
        }
        out.push_str(&aligned(TABLE_HEADER, &record_rows(&c.records()), "  "));
        out.push_str(&hindered_line(&carrier_hindered(c, &p)?));
        out.push('\n');
    }
    for x in &s.payloads {
        out.push_str(&format!(
            "payload {}: {} ({})\n",
            x.id,
            x.label,
            x.kind.id()
        ));
        if let Some(b) = &x.dose_basis {
            out.push_str(&format!("  dose basis: {b}\n"));
        }
        out.push_str(&format!("  biological action: {}\n", x.action.id()));
        out.push_str(&aligned(TABLE_HEADER, &record_rows(&x.records()), "  "));
        out.push_str(&hindered_line(&payload_hindered(x, &p)?));
        out.push('\n');
    }
    out.push_str(&format!(
        "{} carrier(s), {} payload(s); `--format markdown` or `json` shows the sources\n",
        s.carriers.len(),
        s.payloads.len()
    ));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Markdown

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn md_prov(p: &Provenance) -> String {
    match p {
        Provenance::Source(s) => md(s),
        Provenance::Assumption(a) => format!("**assumption:** {}", md(a)),
    }
}

fn md_records(records: &[(String, &Record)]) -> String {
    let mut out = String::from(
        "| field | value | unit | range | source / assumption |\n|---|---|---|---|---|\n",
    );
    for (name, r) in records {
        out.push_str(&format!(
            "| `{name}` | {} | {} | {} – {} | {} |\n",
            num(r.value),
            md(&r.unit),
            num(r.range.0),
            num(r.range.1),
            md_prov(&r.provenance)
        ));
    }
    out
}

fn md_hindered(h: &[Hindered]) -> String {
    if h.iter().all(|x| !x.mobile) {
        return "Hindered diffusion: immobile, stays at the injection site (D = 0).\n".into();
    }
    let mut out = format!(
        "Hindered diffusion ({}, capped at the Mackie–Meares limit):\n\n\
         | tissue | D0 (mm²/s) | D/D0 | D (mm²/s) | note |\n|---|---|---|---|---|\n",
        HindranceLaw::DEFAULT.label()
    );
    for x in h {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            x.tissue,
            sci3(x.d0_mm2_s),
            ratio3(x.ratio),
            sci3(x.d_mm2_s),
            x.message.as_deref().map(md).unwrap_or_default()
        ));
    }
    out
}

fn md_citations(c: &[String]) -> String {
    let mut out = String::from("Primary studies:\n\n");
    for x in c {
        out.push_str(&format!("- {}\n", md(x)));
    }
    out
}

fn carrier_md(c: &CarrierPreset, p: &HindranceParams) -> Result<String, CarrierError> {
    let mut out = format!("### `{}`: {}\n\n", c.id, md(&c.label));
    let payloads: Vec<String> = c
        .default_payloads
        .iter()
        .map(|x| format!("`{x}`"))
        .collect();
    out.push_str(&format!(
        "Kind `{}`; {}; default payloads {}.\n\n{}\n\n",
        c.kind.id(),
        if c.mobile {
            "mobile (diffuses in tissue)"
        } else {
            "immobile (stays at the injection site)"
        },
        payloads.join(", "),
        md(&c.description)
    ));
    out.push_str(&md_citations(&c.citations));
    out.push_str(&format!(
        "\nRelease: model `{}`, time unit `{}`. {}\n",
        c.release.model,
        c.release.time_unit,
        md_prov(&c.release.provenance)
    ));
    if let Some(o) = &c.outer_release {
        out.push_str(&format!(
            "Outer release (gel -> tissue): `first_order`, time unit `{}`.\n",
            o.time_unit
        ));
    }
    if let Some(n) = &c.nanozyme {
        out.push_str(&format!(
            "Nanozyme: `{}`; {}\n",
            n.kind.id(),
            md(&n.citation)
        ));
    }
    if let Some(l) = &c.ligand_binding {
        out.push_str(&format!("Binds the ligand {}.\n", md(&l.ligand)));
    }
    if let Some(a) = c.action() {
        let how = match a {
            PayloadAction::DampTrap => {
                "the carrier's binding sites (capacity / molar mass per ng of carrier) leave only \
                 the unbound share of the injury's CpG-DNA signal"
            }
            _ => "the carrier concentration, ng/mL, is the biology input",
        };
        out.push_str(&format!("Carrier action: `{}` ({how}).\n", a.id()));
    }
    out.push('\n');
    out.push_str(&md_records(&c.records()));
    out.push('\n');
    out.push_str(&md_hindered(&carrier_hindered(c, p)?));
    out.push('\n');
    Ok(out)
}

fn payload_md(x: &PayloadPreset, p: &HindranceParams) -> Result<String, CarrierError> {
    let mut out = format!("### `{}`: {}\n\n", x.id, md(&x.label));
    out.push_str(&format!("Kind `{}`", x.kind.id()));
    if let Some(b) = &x.dose_basis {
        out.push_str(&format!("; dosed as {}", md(b)));
    }
    out.push_str(&format!(".\n\n{}\n\n", md(&x.description)));
    out.push_str(&format!(
        "Biological action: `{}`. {}\n\n",
        x.action.id(),
        md(&x.action_note)
    ));
    out.push_str(&md_citations(&x.citations));
    out.push('\n');
    out.push_str(&md_records(&x.records()));
    out.push('\n');
    out.push_str(&md_hindered(&payload_hindered(x, p)?));
    out.push('\n');
    Ok(out)
}

/// Markdown listing (docs/carriers.md when `id` is `None`): one section per preset with a
/// table of records and the hindered diffusivity in NP, AF and CEP.
pub fn to_markdown(reg: &Registry, id: Option<&str>) -> Result<String, CarrierError> {
    let s = select(id)?;
    let p = HindranceParams::from_registry(reg)?;
    let mut out = String::from(
        "# Carrier and payload presets\n\n\
         Generated by `nanospine carriers --format markdown` from `crates/nanospine/data/carriers.toml` \
         and `payloads.toml`; do not edit by hand. Evidence tags: [V] read in the cited source, \
         [V-code] value used by an open research code, [D] derived (arithmetic stated), [U] from \
         memory, unverified (always an assumption). Hindered diffusivities use the built-in \
         parameter registry (see parameters.md).\n\n",
    );
    if !s.carriers.is_empty() {
        out.push_str("## Carriers\n\n");
        for c in &s.carriers {
            out.push_str(&carrier_md(c, &p)?);
        }
    }
    if !s.payloads.is_empty() {
        out.push_str("## Payloads\n\n");
        for x in &s.payloads {
            out.push_str(&payload_md(x, &p)?);
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    Ok(out)
}
