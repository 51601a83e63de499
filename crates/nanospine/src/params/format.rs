//! Listings of parameters: JSON, CSV, terminal table, Markdown.

use serde_json::{json, Value};

use super::{Parameter, Provenance};

/// Compact number text: plain for 0.01 <= |x| < 1e6, scientific otherwise (`3.77e-6`).
pub(super) fn num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 || (1e-2..1e6).contains(&a) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

pub(super) fn json(ps: &[&Parameter]) -> Value {
    let list: Vec<Value> = ps
        .iter()
        .map(|p| {
            let mut o = json!({
                "name": p.name,
                "value": p.value,
                "unit": p.unit,
                "scope": p.scope,
                "range": [p.range.0, p.range.1],
                "bounds": [p.bounds.0, p.bounds.1],
                "description": p.description,
            });
            if let Value::Object(m) = &mut o {
                m.insert(
                    p.provenance.kind().to_string(),
                    Value::String(p.provenance.text().to_string()),
                );
            }
            o
        })
        .collect();
    json!({ "parameters": list })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub(super) fn csv(ps: &[&Parameter]) -> String {
    let mut out = String::from(
        "name,value,unit,scope,provenance,provenance_text,range_lo,range_hi,bounds_lo,bounds_hi,description\n",
    );
    for p in ps {
        let fields = [
            p.name.clone(),
            format!("{}", p.value),
            p.unit.clone(),
            p.scope.clone(),
            p.provenance.kind().to_string(),
            p.provenance.text().to_string(),
            format!("{}", p.range.0),
            format!("{}", p.range.1),
            format!("{}", p.bounds.0),
            format!("{}", p.bounds.1),
            p.description.clone(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// Short evidence label: the tags found in the provenance text, prefixed by `assumption` for assumptions.
fn evidence(p: &Parameter) -> String {
    let text = p.provenance.text();
    let mut tags: Vec<&str> = Vec::new();
    for tag in ["[V-code", "[V]", "[V ", "[U]", "[U ", "[D]"] {
        if text.contains(tag) {
            let t = match tag {
                "[V-code" => "V-code",
                "[V]" | "[V " => "V",
                "[U]" | "[U " => "U",
                _ => "D",
            };
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
    }
    let tags = tags.join(",");
    match (&p.provenance, tags.is_empty()) {
        (Provenance::Source(_), true) => "source".into(),
        (Provenance::Source(_), false) => tags,
        (Provenance::Assumption(_), true) => "assumption".into(),
        (Provenance::Assumption(_), false) => format!("assumption({tags})"),
    }
}

pub(super) fn table(ps: &[&Parameter]) -> String {
    let header = ["NAME", "VALUE", "UNIT", "RANGE", "BOUNDS", "EVIDENCE"].map(String::from);
    let rows: Vec<[String; 6]> = ps
        .iter()
        .map(|p| {
            [
                p.name.clone(),
                num(p.value),
                p.unit.clone(),
                format!("{} .. {}", num(p.range.0), num(p.range.1)),
                format!("{} .. {}", num(p.bounds.0), num(p.bounds.1)),
                evidence(p),
            ]
        })
        .collect();
    let mut width = header.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String; 6]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = width[i] - c.chars().count();
            // right-align numbers, left-align text
            if i == 1 {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i + 1 < cells.len() {
                s.push_str("  ");
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(&header);
    for r in &rows {
        out.push_str(&line(r));
    }
    out.push_str(&format!("{} parameter(s)\n", rows.len()));
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub(super) fn markdown(ps: &[&Parameter]) -> String {
    let mut out = String::from(
        "| name | value | unit | range | bounds | scope | source / assumption | description |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for p in ps {
        let prov = match &p.provenance {
            Provenance::Source(s) => md_cell(s),
            Provenance::Assumption(a) => format!("**assumption:** {}", md_cell(a)),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} – {} | {} – {} | {} | {} | {} |\n",
            p.name,
            num(p.value),
            md_cell(&p.unit),
            num(p.range.0),
            num(p.range.1),
            num(p.bounds.0),
            num(p.bounds.1),
            md_cell(&p.scope),
            prov,
            md_cell(&p.description)
        ));
    }
    out
}
