//! `[[arm.treatment]]`: what an arm injects into the disc (carrier, payload, dose, site, volume,
//! time) or gives to the cord (carrier, payload, dose, route, volume, time), and optional
//! overrides of the carrier and payload presets.

use std::collections::BTreeMap;

use toml::de::DeValue;

use super::errors::ScenarioError;
use super::format::{HINDRANCE_LAWS, MECHANISMS, ROUTES, SITES, TREATMENT_KEYS};
use super::model::{Concentration, DoseAmount, Mechanism, ReleaseOverride, Tissue, Treatment};
use super::reader::{parse_quantity, quantity_item, Ctx, Got, Quantity, Section};
use crate::carriers::HindranceLaw;
use crate::delivery::route::Route;
use crate::delivery::Site;
use crate::suggest::closest;

/// Largest injected volume (uL = mm^3). assumption: larger than any intradiscal injection
/// (human discs take about 1-3 mL); guards against unit slips such as "2 mL" for "2 uL".
pub(crate) const MAX_VOLUME_UL: f64 = 5000.0;
/// Largest number of delivered cells (`cells`) of one treatment: above a human disc's own NP
/// cell count by far (about 4e6 cells in a 15 cm^3 NP at 4e3 cells/mm^3), so a larger value is
/// a typing error.
pub(crate) const MAX_CELLS: f64 = 1e8;
/// Largest density of delivered cells in the injected volume (cells/mm^3 = cells/uL): random close
/// packing (volume fraction 0.64) of MSCs 18 um across in suspension (3.05e3 um^3 each; the
/// diameter is an assumption [U], bone-marrow MSCs measure about 15-20 um). Above it the cells
/// could not fit in the volume.
pub(crate) const MAX_CELL_DENSITY: f64 = 2.1e5;

/// `dose_text` of a treatment written without `dose` because it delivers cells only (its
/// payload gets no dose).
pub(crate) const CELLS_ONLY: &str = "none (cells only)";

/// Reads `arm.treatment` (an array of tables) of the arm section `sec` of a `tissue` scenario.
pub(crate) fn read_treatments(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    tissue: Tissue,
    biology_on: bool,
) -> Vec<Treatment> {
    let Some((kspan, item)) = sec.get("treatment") else {
        return vec![];
    };
    let DeValue::Array(items) = item.get_ref() else {
        ctx.wrong_type(
            &sec.key("treatment"),
            item,
            "an array of tables (write each as [[arm.treatment]])",
        );
        return vec![];
    };
    let mut out = vec![];
    for (i, it) in items.iter().enumerate() {
        let path = format!("{}[{i}]", sec.key("treatment"));
        let DeValue::Table(t) = it.get_ref() else {
            ctx.wrong_type(&path, it, "a table (write each as [[arm.treatment]])");
            continue;
        };
        let at = if it.span().is_empty() {
            kspan.clone()
        } else {
            it.span()
        };
        let tsec = Section { table: t, path, at };
        if let Some(tr) = read_treatment(ctx, &tsec, tissue, biology_on) {
            out.push(tr);
        }
    }
    out
}

/// A quantity in one of several dimensions: returns the index of the unit that fit and the value.
fn either_quantity(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    name: &str,
    units: &[&str],
    allowed: &str,
) -> Got<(usize, Quantity)> {
    let Some((_, item)) = sec.get(name) else {
        return Got::Absent;
    };
    let DeValue::String(s) = item.get_ref() else {
        ctx.wrong_type(
            &sec.key(name),
            item,
            &format!("a string with a unit: {allowed}"),
        );
        return Got::Invalid;
    };
    for (k, u) in units.iter().enumerate() {
        if let Ok(v) = parse_quantity(s, u) {
            if v.is_finite() && v > 0.0 {
                return Got::Value((
                    k,
                    Quantity {
                        value: v,
                        text: s.to_string(),
                        span: item.span(),
                    },
                ));
            }
            let e = ScenarioError::new(sec.key(name), "must be > 0")
                .with_value(s.to_string())
                .with_allowed(allowed);
            ctx.report(item.span(), e);
            return Got::Invalid;
        }
    }
    let e = ScenarioError::new(sec.key(name), "wrong unit or not a quantity")
        .with_value(s.to_string())
        .with_allowed(allowed);
    ctx.report(item.span(), e);
    Got::Invalid
}

/// Reports `value` at `name` unless it is one of `ids` (with the closest id as suggestion).
fn check_id(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    name: &str,
    value: &str,
    span: &std::ops::Range<usize>,
    ids: &[String],
) {
    if ids.iter().any(|i| i == value) {
        return;
    }
    let e = ScenarioError::new(sec.key(name), format!("unknown {name} preset"))
        .with_value(value.to_string())
        .with_allowed(format!(
            "{} (`nanospine carriers` lists them)",
            ids.join(", ")
        ))
        .with_suggestion(closest(value, ids.iter().map(|s| s.as_str())));
    ctx.report(span.clone(), e);
}

/// A time >= 0 (s) or a positive time.
fn time(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>, name: &str, positive: bool) -> Option<f64> {
    let (_, item) = sec.get(name)?;
    let Got::Value(q) = quantity_item(ctx, &sec.key(name), item, "s", "14 d") else {
        return None;
    };
    let ok = if positive {
        q.value > 0.0
    } else {
        q.value >= 0.0
    };
    if !ok {
        let allowed = if positive {
            "a time > 0 s"
        } else {
            "a time >= 0 s"
        };
        let e = ScenarioError::new(sec.key(name), "out of range")
            .with_value(q.text)
            .with_allowed(allowed);
        ctx.report(q.span, e);
        return None;
    }
    Some(q.value)
}

/// `route` (default local; only local for a disc), and for a disc `site` and `hindrance`, which
/// a cord does not take (local cord injections go into the lesion epicentre; the hindrance laws
/// are disc laws).
fn read_route_site(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    tissue: Tissue,
) -> (Route, Site, HindranceLaw) {
    let route = match sec.choice(ctx, "route", ROUTES) {
        Got::Value(r) => Route::from_id(r).unwrap_or(Route::Local),
        _ => Route::Local,
    };
    if tissue == Tissue::Cord {
        super::cord::reject(
            ctx,
            sec,
            "site",
            "`site` is not used by tissue = \"cord\": local cord injections go into the lesion epicentre",
            "omit `site` for tissue = \"cord\" (choose how the dose arrives with `route`)",
        );
        super::cord::reject(
            ctx,
            sec,
            "hindrance",
            "`hindrance` is not used by tissue = \"cord\": the hindrance laws are disc laws",
            "omit `hindrance` for tissue = \"cord\"",
        );
        return (route, Site::Np, HindranceLaw::DEFAULT);
    }
    if route != Route::Local {
        if let Some((_, item)) = sec.get("route") {
            let e = ScenarioError::new(
                sec.key("route"),
                format!(
                    "route = \"{}\" applies to tissue = \"cord\" only: a disc takes local injections",
                    route.id()
                ),
            )
            .with_value(route.id())
            .with_allowed("for tissue = \"disc\": local");
            ctx.report(item.span(), e);
        }
    }
    let site = match sec.choice(ctx, "site", SITES) {
        Got::Value("af") => Site::Af,
        _ => Site::Np,
    };
    let hindrance = match sec.choice(ctx, "hindrance", HINDRANCE_LAWS) {
        Got::Value(id) => HindranceLaw::ALL
            .into_iter()
            .find(|l| l.id() == id)
            .unwrap_or(HindranceLaw::DEFAULT),
        _ => HindranceLaw::DEFAULT,
    };
    (Route::Local, site, hindrance)
}

fn read_treatment(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    tissue: Tissue,
    biology_on: bool,
) -> Option<Treatment> {
    sec.check_keys(ctx, TREATMENT_KEYS);
    let carrier = match sec.string(ctx, "carrier") {
        Got::Value((s, span)) => {
            let mut ids: Vec<String> = crate::carriers::builtin_carriers()
                .map(|v| v.into_iter().map(|c| c.id).collect())
                .unwrap_or_default();
            ids.push(crate::sim::treatments::NO_CARRIER.to_string());
            check_id(ctx, sec, "carrier", &s, &span, &ids);
            Some((s, span))
        }
        Got::Absent => {
            sec.missing(
                ctx,
                "carrier",
                "a carrier preset (`nanospine carriers` lists them) or \"none\" for a free bolus",
            );
            None
        }
        Got::Invalid => None,
    };
    let payload = sec.string(ctx, "payload").ok();
    if let Some((p, span)) = &payload {
        let ids: Vec<String> = crate::carriers::builtin_payloads()
            .map(|v| v.into_iter().map(|c| c.id).collect())
            .unwrap_or_default();
        check_id(ctx, sec, "payload", p, span, &ids);
    }
    let cells = read_cells(ctx, sec, tissue, biology_on);
    let dose = match either_quantity(
        ctx,
        sec,
        "dose",
        &["ng", "nmol"],
        "a mass (e.g. \"10 ug\") or an amount of substance (e.g. \"1 nmol\"), > 0",
    ) {
        Got::Value((0, q)) => Some((DoseAmount::MassNg(q.value), q.text)),
        Got::Value((_, q)) => Some((DoseAmount::AmountNmol(q.value), q.text)),
        // a cell-only injection (e.g. MSCs in a gel) needs no drug: its payload gets no dose
        Got::Absent if cells.is_some_and(|c| c > 0.0) => {
            Some((DoseAmount::MassNg(0.0), CELLS_ONLY.to_string()))
        }
        Got::Absent => {
            sec.missing(
                ctx,
                "dose",
                "a mass (e.g. \"10 ug\") or amount (e.g. \"1 nmol\")",
            );
            None
        }
        Got::Invalid => None,
    };
    let (route, site, hindrance) = read_route_site(ctx, sec, tissue);
    // a local injection needs its volume (it sets the injected region); for an i.v. or
    // intrathecal dose the volume is optional and recorded only (0 when absent)
    let volume = match sec.quantity(ctx, "volume", "uL", "2 uL") {
        Got::Value(q) if q.value > 0.0 && q.value <= MAX_VOLUME_UL => Some(q.value),
        Got::Value(q) => {
            let e = ScenarioError::new(sec.key("volume"), "out of range")
                .with_value(q.text)
                .with_allowed(format!("0 uL < volume <= {MAX_VOLUME_UL} uL"));
            ctx.report(q.span, e);
            None
        }
        Got::Absent if route != Route::Local => Some(0.0),
        Got::Absent => {
            sec.missing(ctx, "volume", "the injected volume, e.g. \"2 uL\"");
            None
        }
        Got::Invalid => None,
    };
    let time_s = time(ctx, sec, "time", false).unwrap_or(0.0);
    let effective = match either_quantity(
        ctx,
        sec,
        "effective_concentration",
        &["ng/mL", "nM"],
        "a mass concentration (e.g. \"10 ng/mL\") or a molar one (e.g. \"25 nM\"), > 0",
    ) {
        Got::Value((0, q)) => Some(Concentration::MassNgPerMl(q.value)),
        Got::Value((_, q)) => Some(Concentration::MolarNm(q.value)),
        _ => None,
    };
    let carrier_half_life_s = time(ctx, sec, "carrier_half_life", true);
    let payload_half_life_s = time(ctx, sec, "payload_half_life", true);
    let release = sec
        .table(ctx, "release", false)
        .and_then(|r| read_release(ctx, &r));
    let disable = read_disable(ctx, sec);
    let (carrier, cspan) = carrier?;
    if carrier == crate::sim::treatments::NO_CARRIER {
        for key in ["release", "carrier_half_life"] {
            if let Some((kspan, _)) = sec.get(key) {
                let e = ScenarioError::new(
                    sec.key(key),
                    "a free bolus (carrier = \"none\") has no carrier to set this for",
                )
                .with_allowed("remove it, or choose a carrier preset");
                ctx.report(kspan, e);
            }
        }
    }
    if carrier == crate::sim::treatments::NO_CARRIER && payload.is_none() {
        let e = ScenarioError::new(
            sec.key("payload"),
            "a free bolus (carrier = \"none\") needs a payload",
        )
        .with_allowed("a payload preset id (`nanospine carriers` lists them)");
        ctx.report(cspan, e);
    }
    let (dose, dose_text) = dose?;
    let cells = cells?;
    let volume_mm3 = volume?;
    if cells > MAX_CELL_DENSITY * volume_mm3 && volume_mm3 > 0.0 {
        if let Some((span, _)) = sec.get("cells") {
            let e = ScenarioError::new(
                sec.key("cells"),
                "more cells than the injected volume can hold",
            )
            .with_value(format!("{cells:e} cells in {volume_mm3} uL"))
            .with_allowed(format!(
                "at most {:.3e} cells in {volume_mm3} uL (close packing of MSCs, {MAX_CELL_DENSITY:e} cells/uL), or a larger volume",
                MAX_CELL_DENSITY * volume_mm3
            ));
            ctx.report(span, e);
        }
        return None;
    }
    let t = Treatment {
        carrier,
        payload: payload.map(|p| p.0),
        dose,
        dose_text,
        site,
        route,
        volume_mm3,
        time_s,
        cells,
        effective,
        release,
        carrier_half_life_s,
        payload_half_life_s,
        hindrance,
        disable,
        key: sec.path.clone(),
    };
    check_disable(ctx, sec, &t, tissue);
    Some(t)
}

/// `cells`: the number of delivered MSCs, 0..=[`MAX_CELLS`] (0 when absent); a disc treatment
/// of a run with the biology coupled only (delivered cells act through it alone).
fn read_cells(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    tissue: Tissue,
    biology_on: bool,
) -> Option<f64> {
    match sec.number(ctx, "cells") {
        Got::Absent => Some(0.0),
        Got::Invalid => None,
        Got::Value((v, span)) => {
            let e = if tissue == Tissue::Cord {
                ScenarioError::new(
                    sec.key("cells"),
                    "delivered cells are modelled in the disc only (the cord biology has no graft)",
                )
                .with_value(format!("{v}"))
                .with_allowed("remove `cells` from a cord treatment")
            } else if !biology_on && v != 0.0 {
                ScenarioError::new(
                    sec.key("cells"),
                    "delivered cells act only through the disc biology, which this run does not couple",
                )
                .with_value(format!("{v}"))
                .with_allowed("[biology] enabled = true, or remove `cells`")
            } else if v.is_finite() && (0.0..=MAX_CELLS).contains(&v) {
                return Some(v);
            } else {
                ScenarioError::new(sec.key("cells"), "out of range")
                    .with_value(format!("{v}"))
                    .with_allowed(format!("0 <= cells <= {MAX_CELLS:e} (a number of cells)"))
            };
            ctx.report(span, e);
            None
        }
    }
}

/// Reports every `disable` entry naming a mechanism this treatment does not have in `tissue`
/// (switching it off would change nothing, which is almost always a mistake in the file).
fn check_disable(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>, t: &Treatment, tissue: Tissue) {
    if t.disable.is_empty() {
        return;
    }
    let Some((span, _)) = sec.get("disable") else {
        return;
    };
    // an unknown carrier or payload is reported where it is read
    let Ok(has) = t.mechanisms(tissue) else {
        return;
    };
    for m in &t.disable {
        if !has.contains(m) {
            let allowed = if has.is_empty() {
                "none: this treatment has no mechanism to switch off".to_string()
            } else {
                has.iter().map(|m| m.id()).collect::<Vec<_>>().join(", ")
            };
            let e = ScenarioError::new(
                sec.key("disable"),
                "this treatment does not have that mechanism here",
            )
            .with_value(m.id().to_string())
            .with_allowed(allowed);
            ctx.report(span.clone(), e);
        }
    }
}

/// `disable`: an array of mechanism ids ([`Mechanism::id`]), each at most once. Unknown ids
/// (with the closest one as suggestion), duplicates and wrong types are reported and left out.
fn read_disable(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> Vec<Mechanism> {
    let Some((_, item)) = sec.get("disable") else {
        return vec![];
    };
    let key = sec.key("disable");
    let expected = format!(
        "an array of mechanism names, e.g. [\"ros_scavenging\"] (allowed: {})",
        MECHANISMS.join(", ")
    );
    let DeValue::Array(items) = item.get_ref() else {
        ctx.wrong_type(&key, item, &expected);
        return vec![];
    };
    let mut out: Vec<Mechanism> = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        let ikey = format!("{key}[{i}]");
        let DeValue::String(name) = it.get_ref() else {
            ctx.wrong_type(
                &ikey,
                it,
                &format!("a string, one of {}", MECHANISMS.join(", ")),
            );
            continue;
        };
        let Some(m) = Mechanism::from_id(name) else {
            let e = ScenarioError::new(ikey, "unknown mechanism")
                .with_value(name.to_string())
                .with_allowed(MECHANISMS.join(", "))
                .with_suggestion(closest(name, MECHANISMS.iter().copied()));
            ctx.report(it.span(), e);
            continue;
        };
        if out.contains(&m) {
            let e = ScenarioError::new(ikey, "mechanism listed twice")
                .with_value(name.to_string())
                .with_allowed(format!("each of {} at most once", MECHANISMS.join(", ")));
            ctx.report(it.span(), e);
            continue;
        }
        out.push(m);
    }
    out
}

/// `[arm.treatment.release]`: `model`, `time_unit` and the model's parameters as numbers in the
/// model's units with `T` = `time_unit`.
fn read_release(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> Option<ReleaseOverride> {
    let models = crate::release::all();
    let ids: Vec<&str> = models.iter().map(|m| m.name()).collect();
    let model = match sec.string(ctx, "model") {
        Got::Value((m, span)) => {
            if !ids.contains(&m.as_str()) {
                let e = ScenarioError::new(sec.key("model"), "unknown release model")
                    .with_value(m.clone())
                    .with_allowed(ids.join(", "))
                    .with_suggestion(closest(&m, ids.iter().copied()));
                ctx.report(span, e);
                return None;
            }
            m
        }
        Got::Absent => {
            sec.missing(ctx, "model", &ids.join(", "));
            return None;
        }
        Got::Invalid => return None,
    };
    let spec = models.iter().find(|m| m.name() == model)?;
    let names: Vec<&str> = spec.params().iter().map(|p| p.name).collect();
    let mut allowed = vec!["model", "time_unit"];
    allowed.extend(names.iter().copied());
    sec.check_keys(ctx, &allowed);
    let time_unit = match sec.string(ctx, "time_unit") {
        Got::Value((u, span)) => match parse_quantity(&format!("1 {u}"), "s") {
            Ok(v) if v > 0.0 => Some((u, v)),
            _ => {
                let e = ScenarioError::new(sec.key("time_unit"), "not a time unit")
                    .with_value(u)
                    .with_allowed("a time unit such as \"d\", \"h\", \"min\"");
                ctx.report(span, e);
                None
            }
        },
        Got::Absent => {
            sec.missing(ctx, "time_unit", "a time unit such as \"d\" or \"h\"");
            None
        }
        Got::Invalid => None,
    };
    let mut params = BTreeMap::new();
    let mut ok = true;
    for p in spec.params() {
        match sec.number(ctx, p.name) {
            Got::Value((v, span)) => {
                if !v.is_finite() {
                    let e = ScenarioError::new(sec.key(p.name), "not a finite number")
                        .with_allowed(format!("{} ({}, unit {})", p.name, p.description, p.unit));
                    ctx.report(span, e);
                    ok = false;
                }
                params.insert(p.name.to_string(), v);
            }
            Got::Absent => {
                sec.missing(
                    ctx,
                    p.name,
                    &format!("a number: {} (unit {})", p.description, p.unit),
                );
                ok = false;
            }
            Got::Invalid => ok = false,
        }
    }
    let (time_unit, time_unit_s) = time_unit?;
    ok.then_some(ReleaseOverride {
        model,
        time_unit,
        time_unit_s,
        params,
    })
}
