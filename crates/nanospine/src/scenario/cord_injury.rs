//! `[arm.injury]` of a spinal cord scenario (`tissue = "cord"`): a contusion (device input and
//! time) or a chronic compression (ratio, onset, rise time, decompression, ischaemia), read into
//! [`CordInjury`]; and the choice between disc and cord injuries by the scenario's tissue.

use std::ops::Range;

use super::cord::written_string;
use super::errors::ScenarioError;
use super::format::{
    device_keys, COMPRESSION_KEYS, CONTUSION_KEYS, CORD_INJURY_TYPES, DEVICES, INJURY_TYPES,
};
use super::model::Tissue;
use super::reader::{Ctx, Got, Section};
use crate::injury::Injury;
use crate::sci::injury::{self as sci, ContusionInput, CordInjury, InjuryParams, InjurySpecies};
use crate::Error;

/// A value as written and where it is, for blaming errors found after reading.
struct Written {
    /// Scenario key (last part, e.g. "force").
    name: &'static str,
    /// Text as written.
    text: String,
    /// Byte span of the value.
    span: Range<usize>,
}

/// Reads one `[arm.injury]` table for a scenario of `tissue` with species preset `species`:
/// `(disc injury, cord injury)`, at most one of them `Some`. An injury type of the other tissue
/// is an error naming the tissue and the allowed types.
pub(crate) fn read_arm_injury(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    tissue: Tissue,
    species: &str,
) -> (Option<Injury>, Option<CordInjury>) {
    let written = written_string(sec, "type");
    let span = sec.get("type").map(|(_, v)| v.span()).unwrap_or(0..0);
    match tissue {
        Tissue::Disc => {
            if let Some(t) = written.filter(|t| CORD_INJURY_TYPES.contains(t)) {
                let e = ScenarioError::new(
                    sec.key("type"),
                    format!(
                        "`{t}` is a spinal cord injury: tissue = \"disc\" takes {}",
                        INJURY_TYPES.join(", ")
                    ),
                )
                .with_value(t)
                .with_allowed(format!(
                    "for tissue = \"disc\": {}",
                    INJURY_TYPES.join(", ")
                ))
                .with_suggestion(Some("tissue = \"cord\"".into()));
                ctx.report(span, e);
                return (None, None);
            }
            (super::injury::read_injury(ctx, sec), None)
        }
        Tissue::Cord => {
            if let Some(t) = written.filter(|t| INJURY_TYPES.contains(t)) {
                let e = ScenarioError::new(
                    sec.key("type"),
                    format!(
                        "`{t}` is a disc injury: tissue = \"cord\" takes {}",
                        CORD_INJURY_TYPES.join(", ")
                    ),
                )
                .with_value(t)
                .with_allowed(format!(
                    "for tissue = \"cord\": {}",
                    CORD_INJURY_TYPES.join(", ")
                ));
                ctx.report(span, e);
                return (None, None);
            }
            (None, read_cord_injury(ctx, sec, species))
        }
    }
}

/// Reads a cord injury (`type` = contusion | compression); `None` after reporting errors.
fn read_cord_injury(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>, species: &str) -> Option<CordInjury> {
    let kind = sec.choice(ctx, "type", CORD_INJURY_TYPES);
    match kind {
        Got::Value("contusion") => {
            sec.check_keys(ctx, CONTUSION_KEYS);
            read_contusion(ctx, sec, species)
        }
        Got::Value(_) => {
            sec.check_keys(ctx, COMPRESSION_KEYS);
            read_compression(ctx, sec)
        }
        Got::Absent | Got::Invalid => {
            let mut all: Vec<&str> = CONTUSION_KEYS.to_vec();
            all.extend(
                COMPRESSION_KEYS
                    .iter()
                    .filter(|k| !CONTUSION_KEYS.contains(k)),
            );
            sec.check_keys(ctx, &all);
            if kind == Got::Absent {
                sec.missing(
                    ctx,
                    "type",
                    &format!("for tissue = \"cord\": {}", CORD_INJURY_TYPES.join(", ")),
                );
            }
            None
        }
    }
}

/// The contusion species of a cord preset: `Some(Some(_))` for the rat and mouse thoracic cords,
/// `Some(None)` for the human cervical cord (no device anchors), `None` for an unknown preset
/// (already reported).
fn injury_species(preset: &str) -> Option<Option<InjurySpecies>> {
    match preset {
        "mouse_thoracic" => Some(Some(InjurySpecies::Mouse)),
        "rat_thoracic" => Some(Some(InjurySpecies::Rat)),
        "human_cervical" => Some(None),
        _ => None,
    }
}

/// A quantity `name` in `unit`, recorded in `seen`; reported missing when absent.
fn required_quantity(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    seen: &mut Vec<Written>,
    name: &'static str,
    (unit, example, what): (&str, &str, &str),
) -> Option<f64> {
    match sec.quantity(ctx, name, unit, example) {
        Got::Value(q) => {
            seen.push(Written {
                name,
                text: q.text,
                span: q.span,
            });
            Some(q.value)
        }
        Got::Absent => {
            sec.missing(ctx, name, &format!("{what}, e.g. \"{example}\""));
            None
        }
        Got::Invalid => None,
    }
}

/// An optional time `name` (s), recorded in `seen`; `default` when absent.
fn optional_time(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    seen: &mut Vec<Written>,
    name: &'static str,
    default: f64,
) -> Option<f64> {
    match sec.quantity(ctx, name, "s", "0 d") {
        Got::Value(q) => {
            seen.push(Written {
                name,
                text: q.text,
                span: q.span,
            });
            Some(q.value)
        }
        Got::Absent => Some(default),
        Got::Invalid => None,
    }
}

/// Reports an error of [`crate::sci::injury`] at the key it is about: the first of `fields`
/// (`(sci field name, scenario key)`) whose sci name the message contains and that was written,
/// else at `fallback` (key and span).
fn report_sci(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    err: Error,
    fields: &[(&str, &str)],
    seen: &[Written],
    fallback: (&str, Range<usize>),
) {
    let msg = match err {
        Error::Config(m) => m,
        other => other.to_string(),
    };
    let at = fields
        .iter()
        .filter(|(f, _)| msg.contains(f))
        .find_map(|(_, k)| seen.iter().find(|w| w.name == *k));
    let (key, span, value) = match at {
        Some(w) => (w.name, w.span.clone(), Some(w.text.clone())),
        None => (fallback.0, fallback.1, None),
    };
    let allowed = match key {
        "force" => "a peak impact force >= 0 kdyn, e.g. \"50 kdyn\"",
        "mass" => "a rod mass >= 0 g, e.g. \"10 g\"",
        "height" => "a drop height >= 0 mm, e.g. \"12.5 mm\"",
        "displacement" => "a cord displacement >= 0 mm and below the cord's AP diameter",
        "severity" => "0 <= severity <= 1",
        "ratio" => "0 < ratio < 1 (fraction of the cord diameter lost)",
        "device" => "for this species: see docs/cord.md (\"Injury models\")",
        _ => "a time >= 0 s",
    };
    let mut e = ScenarioError::new(sec.key(key), msg).with_allowed(allowed);
    if let Some(v) = value {
        e = e.with_value(v);
    }
    ctx.report(span, e);
}

/// `type = "contusion"`: `device` and its keys, `time` (default 0 d).
fn read_contusion(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>, preset: &str) -> Option<CordInjury> {
    let device = match sec.choice(ctx, "device", DEVICES) {
        Got::Value(d) => Some(d),
        Got::Absent => {
            sec.missing(ctx, "device", &DEVICES.join(", "));
            None
        }
        Got::Invalid => None,
    };
    let device_span = sec.get("device").map(|(_, v)| v.span()).unwrap_or(0..0);
    if let Some(d) = device {
        let own = device_keys(d);
        for other in DEVICES.iter().filter(|o| **o != d) {
            for k in device_keys(other).iter().filter(|k| !own.contains(k)) {
                super::cord::reject(
                    ctx,
                    sec,
                    k,
                    &format!("`{k}` does not belong to device = \"{d}\" (it is a key of device = \"{other}\")"),
                    &format!("for device = \"{d}\": {}", own.join(", ")),
                );
            }
        }
    }
    let species = injury_species(preset);
    if let (Some(d), Some(None)) = (device, species) {
        if d != "severity" {
            let e = ScenarioError::new(
                sec.key("device"),
                format!(
                    "`{preset}` has no severity anchors for device = \"{d}\": give the \
                     epicentre severity directly"
                ),
            )
            .with_value(d)
            .with_allowed(format!("for species = \"{preset}\": severity"));
            ctx.report(device_span.clone(), e);
            return None;
        }
    }
    let mut seen = Vec::new();
    let sp = species.flatten().unwrap_or(InjurySpecies::Rat);
    let input = match device {
        Some("impactor") => required_quantity(
            ctx,
            sec,
            &mut seen,
            "force",
            ("kdyn", "50 kdyn", "the peak impact force"),
        )
        .map(|f| ContusionInput::ImpactorForce {
            species: sp,
            force_kdyn: f,
        }),
        Some("weight_drop") => {
            let m = required_quantity(ctx, sec, &mut seen, "mass", ("g", "10 g", "the rod mass"));
            let h = required_quantity(
                ctx,
                sec,
                &mut seen,
                "height",
                ("mm", "12.5 mm", "the drop height"),
            );
            m.zip(h).map(|(m, h)| ContusionInput::WeightDrop {
                species: sp,
                mass_g: m,
                height_mm: h,
            })
        }
        Some("displacement") => required_quantity(
            ctx,
            sec,
            &mut seen,
            "displacement",
            ("mm", "0.5 mm", "the cord displacement"),
        )
        .map(|x| ContusionInput::Displacement {
            species: sp,
            displacement_mm: x,
        }),
        Some(_) => match sec.number(ctx, "severity") {
            Got::Value((s, span)) => {
                seen.push(Written {
                    name: "severity",
                    text: super::resolved::fmt_num(s),
                    span,
                });
                Some(ContusionInput::Severity { severity: s })
            }
            Got::Absent => {
                sec.missing(ctx, "severity", "the epicentre severity, 0..1, e.g. 0.5");
                None
            }
            Got::Invalid => None,
        },
        None => None,
    };
    let time_s = optional_time(ctx, sec, &mut seen, "time", 0.0);
    let (input, time_s) = (input?, time_s?);
    let injury = CordInjury::Contusion { input, time_s };
    let fields = [
        ("time_s", "time"),
        ("force_kdyn", "force"),
        ("mass_g", "mass"),
        ("height_mm", "height"),
        ("displacement_mm", "displacement"),
        ("contusion.severity", "severity"),
    ];
    if let Err(e) = sci::validate(&injury) {
        report_sci(ctx, sec, e, &fields, &seen, ("device", device_span));
        return None;
    }
    // the device curve: out-of-range device inputs, species without anchors for the device
    if species.is_some() {
        let checked = InjuryParams::from_registry(ctx.registry)
            .and_then(|p| sci::contusion_severity(&input, &p));
        if let Err(e) = checked {
            report_sci(ctx, sec, e, &fields, &seen, ("device", device_span));
            return None;
        }
    }
    Some(injury)
}

/// `type = "compression"`: `ratio`, `time` (onset, default 0 d), `rise_time` (default 0 s),
/// `decompression` (optional, after `time`), `ischaemia` (default true).
fn read_compression(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> Option<CordInjury> {
    let ratio = match sec.number(ctx, "ratio") {
        Got::Value((r, _)) if r > 0.0 && r < 1.0 => Some(r),
        Got::Value((r, span)) => {
            let e = ScenarioError::new(sec.key("ratio"), "out of range")
                .with_value(super::resolved::fmt_num(r))
                .with_allowed("0 < ratio < 1 (fraction of the cord diameter lost)");
            ctx.report(span, e);
            None
        }
        Got::Absent => {
            sec.missing(
                ctx,
                "ratio",
                "the fraction of the cord diameter lost at full expansion, 0 < ratio < 1, e.g. 0.35",
            );
            None
        }
        Got::Invalid => None,
    };
    let mut seen = Vec::new();
    let onset = optional_time(ctx, sec, &mut seen, "time", 0.0);
    let rise = optional_time(ctx, sec, &mut seen, "rise_time", 0.0);
    let decompression = match sec.quantity(ctx, "decompression", "s", "28 d") {
        Got::Value(q) => {
            let v = q.value;
            seen.push(Written {
                name: "decompression",
                text: q.text,
                span: q.span,
            });
            Some(Some(v))
        }
        Got::Absent => Some(None),
        Got::Invalid => None,
    };
    let ischaemia = match sec.boolean(ctx, "ischaemia") {
        Got::Value(b) => Some(b),
        Got::Absent => Some(true),
        Got::Invalid => None,
    };
    let (onset_s, decompression_s) = (onset?, decompression?);
    if let (Some(d), Some(w)) = (
        decompression_s,
        seen.iter().find(|w| w.name == "decompression"),
    ) {
        if d.is_finite() && d <= onset_s {
            let onset_text = seen
                .iter()
                .find(|w| w.name == "time")
                .map_or("0 d".to_string(), |t| t.text.clone());
            let e = ScenarioError::new(
                sec.key("decompression"),
                "decompression must come after the onset of the compression (`time`)",
            )
            .with_value(w.text.clone())
            .with_allowed(format!("a time after `time` (\"{onset_text}\")"));
            ctx.report(w.span.clone(), e);
            return None;
        }
    }
    let injury = CordInjury::Compression {
        compression_ratio: ratio?,
        onset_s,
        rise_time_s: rise?,
        decompression_s,
        ischaemia: ischaemia?,
    };
    if let Err(e) = sci::validate(&injury) {
        let fields = [
            ("compression_ratio", "ratio"),
            ("decompression_s", "decompression"),
            ("rise_time_s", "rise_time"),
            ("onset_s", "time"),
        ];
        let at = sec.at.clone();
        report_sci(ctx, sec, e, &fields, &seen, ("type", at));
        return None;
    }
    Some(injury)
}
