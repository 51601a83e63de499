//! Reading and validating the `data/carriers.toml` format into [`CarrierPreset`]s.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::payload::PayloadAction;
use super::preset::{
    unknown_model, Binding, CarrierKind, CarrierPreset, LigandBinding, Nanozyme, NanozymeKind,
    OuterRelease, ReleaseParamKind, ReleaseSpec, RELEASE_MODELS,
};
use super::record::{self, check, check_positive, RawRecord};
use super::{check_text, CarrierError};
use crate::units;

use ReleaseParamKind::{AsWritten, Dimensionless, Percent, Rate, Time};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    carrier: Vec<RawCarrier>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCarrier {
    id: String,
    label: String,
    description: String,
    kind: CarrierKind,
    citations: Vec<String>,
    mobile: bool,
    default_payloads: Vec<String>,
    diameter: Option<RawRecord>,
    mesh_size: Option<RawRecord>,
    zeta_potential: Option<RawRecord>,
    modulus: Option<RawRecord>,
    release: RawRelease,
    outer_release: Option<RawOuter>,
    clearance_half_life: RawRecord,
    binding: Option<RawBinding>,
    ligand_binding: Option<RawLigand>,
    nanozyme: Option<RawNanozyme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    model: String,
    time_unit: String,
    source: Option<String>,
    assumption: Option<String>,
    params: BTreeMap<String, RawRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOuter {
    model: String,
    time_unit: String,
    k1: RawRecord,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    k_on: RawRecord,
    k_off: RawRecord,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLigand {
    ligand: String,
    k_on: RawRecord,
    k_d: RawRecord,
    capacity: Option<RawRecord>,
    molar_mass: Option<RawRecord>,
    payload_loading: Option<RawRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNanozyme {
    kind: NanozymeKind,
    citation: String,
    k_cat_over_km: RawRecord,
    km: RawRecord,
    catalytic_unit_molar_mass: RawRecord,
}

const LENGTH: &[&str] = &["nm"];
const TIME: &[&str] = &["s"];
const RATE: &[&str] = &["1/s"];
const CONC: &[&str] = &["mM"];

fn time_unit_s(unit: &str, field: &str) -> Result<f64, CarrierError> {
    let u = units::parse_unit(unit).map_err(|e| CarrierError(format!("{field}: {e}")))?;
    let want = units::parse_unit("s").map_err(|e| CarrierError(format!("{field}: {e}")))?;
    if u.dim != want.dim {
        return Err(CarrierError(format!(
            "{field}: '{unit}' is not a time unit (e.g. 'h', 'd')"
        )));
    }
    Ok(u.factor)
}

fn release(raw: RawRelease, id: &str) -> Result<ReleaseSpec, CarrierError> {
    let f = |what: &str| format!("carrier '{id}': release.{what}");
    let kinds = RELEASE_MODELS
        .iter()
        .find(|(m, _)| *m == raw.model)
        .map(|(_, k)| *k)
        .ok_or_else(|| CarrierError(format!("carrier '{id}': {}", unknown_model(&raw.model))))?;
    let time_unit_s = time_unit_s(&raw.time_unit, &f("time_unit"))?;
    let allowed: Vec<&str> = kinds.iter().map(|(n, _)| *n).collect();
    for name in raw.params.keys() {
        if !allowed.contains(&name.as_str()) {
            return Err(CarrierError(format!(
                "{}: release model `{}` has no parameter `{name}` (allowed: {})",
                f("params"),
                raw.model,
                allowed.join(", ")
            )));
        }
    }
    let mut params = BTreeMap::new();
    let mut raw_params = raw.params;
    for (name, kind) in kinds {
        let r = raw_params.remove(*name).ok_or_else(|| {
            CarrierError(format!(
                "{}: release model `{}` needs parameter `{name}`",
                f("params"),
                raw.model
            ))
        })?;
        let field = f(&format!("params.{name}"));
        let rec = match kind {
            Rate => check_positive(r, RATE, &field)?,
            Time => check_positive(r, TIME, &field)?,
            Percent => check(r, &["%"], &field)?,
            Dimensionless => check(r, &["1"], &field)?,
            AsWritten => {
                return Err(CarrierError(format!(
                    "{field}: the unit of this parameter cannot be checked by the unit parser, so presets may not use model `{}`",
                    raw.model
                )))
            }
        };
        params.insert((*name).to_string(), rec);
    }
    let provenance = record::provenance(raw.source, raw.assumption, &f("model"))?;
    let spec = ReleaseSpec {
        model: raw.model,
        time_unit: raw.time_unit,
        time_unit_s,
        params,
        provenance,
    };
    // Every value must convert to the model's units.
    let values = spec
        .model_values()
        .map_err(|e| CarrierError(format!("carrier '{id}': {e}")))?;
    for (name, v) in &values {
        if !v.is_finite() {
            return Err(CarrierError(format!(
                "{}: not finite after conversion",
                f(&format!("params.{name}"))
            )));
        }
    }
    if let Some(p) = spec.params.get("burst").or(spec.params.get("fmax")) {
        let pct = p.value_in("%", &f("params"))?;
        if !(0.0..=100.0).contains(&pct) {
            return Err(CarrierError(format!(
                "{}: a percentage must be within 0-100 %, got {pct} %",
                f("params")
            )));
        }
    }
    Ok(spec)
}

fn parse_one(raw: RawCarrier, payload_ids: &[&str]) -> Result<CarrierPreset, CarrierError> {
    check_text(&raw.id, &raw.label, &raw.description, &raw.citations)?;
    let id = raw.id.clone();
    let f = |what: &str| format!("carrier '{id}': {what}");
    let opt = |r: Option<RawRecord>, likes: &[&str], name: &str, positive: bool| {
        r.map(|r| {
            if positive {
                check_positive(r, likes, &f(name))
            } else {
                check(r, likes, &f(name))
            }
        })
        .transpose()
    };
    let diameter = opt(raw.diameter, LENGTH, "diameter", true)?;
    let mesh_size = opt(raw.mesh_size, LENGTH, "mesh_size", true)?;
    let zeta_potential = opt(raw.zeta_potential, &["mV"], "zeta_potential", false)?;
    let modulus = opt(raw.modulus, &["kPa"], "modulus", true)?;
    let kind = raw.kind;
    if raw.mobile && (diameter.is_none() || zeta_potential.is_none()) {
        return Err(CarrierError(f(
            "a mobile carrier needs `diameter` and `zeta_potential`",
        )));
    }
    if raw.mobile && kind.is_depot() {
        return Err(CarrierError(f(&format!(
            "kind `{}` stays at the injection site: set mobile = false",
            kind.id()
        ))));
    }
    if !raw.mobile && !kind.is_depot() {
        return Err(CarrierError(f(&format!(
            "kind `{}` is a diffusing particle: set mobile = true",
            kind.id()
        ))));
    }
    if kind.is_gel() && (mesh_size.is_none() || modulus.is_none()) {
        return Err(CarrierError(f("a gel needs `mesh_size` and `modulus`")));
    }
    if !kind.is_gel() && diameter.is_none() {
        return Err(CarrierError(f("a particulate carrier needs `diameter`")));
    }
    let release = release(raw.release, &id)?;
    let outer_release = match raw.outer_release {
        None => None,
        Some(o) => {
            if o.model != "first_order" {
                return Err(CarrierError(f(&format!(
                    "outer_release.model must be `first_order` (gel -> tissue), got `{}`",
                    o.model
                ))));
            }
            time_unit_s(&o.time_unit, &f("outer_release.time_unit"))?;
            let k1 = check_positive(o.k1, RATE, &f("outer_release.k1"))?;
            let rate_per_s = k1.value_in("1/s", &f("outer_release.k1"))?;
            Some(OuterRelease {
                k1,
                time_unit: o.time_unit,
                rate_per_s,
            })
        }
    };
    if outer_release.is_some() != (kind == CarrierKind::Composite) {
        return Err(CarrierError(f(
            "`outer_release` is required for, and only for, kind = \"composite\"",
        )));
    }
    let clearance_half_life =
        check_positive(raw.clearance_half_life, TIME, &f("clearance_half_life"))?;
    let clearance_half_life_s = clearance_half_life.value_in("s", &f("clearance_half_life"))?;
    let binding = match raw.binding {
        None => None,
        Some(b) => {
            let k_on = check_positive(b.k_on, RATE, &f("binding.k_on"))?;
            let k_off = check_positive(b.k_off, RATE, &f("binding.k_off"))?;
            let rates_per_s = (
                k_on.value_in("1/s", &f("binding.k_on"))?,
                k_off.value_in("1/s", &f("binding.k_off"))?,
            );
            Some(Binding {
                k_on,
                k_off,
                rates_per_s,
            })
        }
    };
    let ligand_binding = match raw.ligand_binding {
        None => None,
        Some(l) => {
            if l.ligand.trim().is_empty() {
                return Err(CarrierError(f("ligand_binding.ligand must not be empty")));
            }
            let opt = |r: Option<RawRecord>, dims: &[&str], name: &str| {
                r.map(|r| check_positive(r, dims, &f(&format!("ligand_binding.{name}"))))
                    .transpose()
            };
            let lb = LigandBinding {
                ligand: l.ligand,
                k_on: check_positive(l.k_on, &["1/(M*s)"], &f("ligand_binding.k_on"))?,
                k_d: check_positive(l.k_d, CONC, &f("ligand_binding.k_d"))?,
                capacity: opt(l.capacity, &["1"], "capacity")?,
                molar_mass: opt(l.molar_mass, &["g/mol"], "molar_mass")?,
                payload_loading: opt(l.payload_loading, &["1"], "payload_loading")?,
            };
            if lb.action() == Some(PayloadAction::DampTrap) {
                lb.damp_trap().map_err(|e| CarrierError(f(&e.0)))?;
            }
            Some(lb)
        }
    };
    let nanozyme = match raw.nanozyme {
        None => None,
        Some(n) => {
            if n.citation.trim().is_empty() {
                return Err(CarrierError(f("nanozyme.citation must not be empty")));
            }
            Some(Nanozyme {
                kind: n.kind,
                citation: n.citation,
                k_cat_over_km: check_positive(
                    n.k_cat_over_km,
                    &["1/(M*s)"],
                    &f("nanozyme.k_cat_over_km"),
                )?,
                km: check_positive(n.km, CONC, &f("nanozyme.km"))?,
                catalytic_unit_molar_mass: check_positive(
                    n.catalytic_unit_molar_mass,
                    &["g/mol"],
                    &f("nanozyme.catalytic_unit_molar_mass"),
                )?,
            })
        }
    };
    if raw.default_payloads.is_empty() {
        return Err(CarrierError(f("needs at least one default payload")));
    }
    for p in &raw.default_payloads {
        if !payload_ids.contains(&p.as_str()) {
            return Err(CarrierError(f(&format!(
                "default payload '{p}' is not a payload preset (allowed: {})",
                payload_ids.join(", ")
            ))));
        }
    }
    let diameter_nm = diameter
        .as_ref()
        .map(|d| d.value_in("nm", &f("diameter")))
        .transpose()?;
    Ok(CarrierPreset {
        id: raw.id,
        label: raw.label,
        description: raw.description,
        citations: raw.citations,
        kind,
        mobile: raw.mobile,
        diameter,
        mesh_size,
        zeta_potential,
        modulus,
        release,
        outer_release,
        clearance_half_life,
        binding,
        ligand_binding,
        nanozyme,
        default_payloads: raw.default_payloads,
        clearance_half_life_s,
        diameter_nm,
    })
}

/// Parses and validates every `[[carrier]]` of `text` (unique ids; default payloads in `payload_ids`).
pub(super) fn parse(text: &str, payload_ids: &[&str]) -> Result<Vec<CarrierPreset>, CarrierError> {
    let f: RawFile =
        toml::from_str(text).map_err(|e| CarrierError(format!("carrier file: {e}")))?;
    let mut out: Vec<CarrierPreset> = Vec::new();
    for raw in f.carrier {
        let c = parse_one(raw, payload_ids)?;
        if out.iter().any(|o| o.id == c.id) {
            return Err(CarrierError(format!("duplicate carrier id '{}'", c.id)));
        }
        out.push(c);
    }
    Ok(out)
}
