//! `[arm.injury]`: the injury model of an arm (needle puncture, annulus defect, endplate
//! sclerosis, ageing, overload) with its parameters.

use super::errors::ScenarioError;
use super::format::{
    AGE_MAX_S, INJURY_KEYS, INJURY_TYPES, MAX_END_TIME_S, OVERLOAD_STRESS_MAX_MPA, PENETRATIONS,
};
use super::reader::{Ctx, Got, Section};
use crate::injury::{Injury, Penetration, NEEDLE_OD_MM};

fn time(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> f64 {
    match sec.quantity(ctx, "time", "s", "0 d") {
        Got::Value(q) if q.value >= 0.0 => q.value,
        Got::Value(q) => {
            let e = ScenarioError::new(sec.key("time"), "out of range")
                .with_value(q.text)
                .with_allowed("a time >= 0 s");
            ctx.report(q.span, e);
            0.0
        }
        _ => 0.0,
    }
}

/// A required quantity `name` in `unit` with `lo < value <= hi`; `None` after reporting.
fn positive(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    name: &str,
    (unit, example): (&str, &str),
    hi: f64,
    allowed: &str,
) -> Option<f64> {
    match sec.quantity(ctx, name, unit, example) {
        Got::Value(q) if q.value > 0.0 && q.value <= hi => Some(q.value),
        Got::Value(q) => {
            let e = ScenarioError::new(sec.key(name), "out of range")
                .with_value(q.text)
                .with_allowed(allowed);
            ctx.report(q.span, e);
            None
        }
        Got::Absent => {
            sec.missing(ctx, name, &format!("{allowed}, e.g. \"{example}\""));
            None
        }
        Got::Invalid => None,
    }
}

/// `type = "ageing"`: `age` (a time, e.g. "24 months").
fn read_ageing(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> Option<Injury> {
    let age = positive(
        ctx,
        sec,
        "age",
        ("s", "24 months"),
        AGE_MAX_S,
        "an age 0 < age <= 100 yr",
    )?;
    Some(Injury::Ageing { age_s: age })
}

/// `type = "overload"`: `stress`, `hours_per_day` (default 24), `duration`, `time`.
fn read_overload(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> Option<Injury> {
    let stress = positive(
        ctx,
        sec,
        "stress",
        ("MPa", "1.3 MPa"),
        OVERLOAD_STRESS_MAX_MPA,
        &format!("an axial stress 0 MPa < stress <= {OVERLOAD_STRESS_MAX_MPA} MPa"),
    );
    let hours = match sec.number(ctx, "hours_per_day") {
        Got::Value((v, _)) if v > 0.0 && v <= 24.0 => Some(v),
        Got::Value((v, span)) => {
            let e = ScenarioError::new(sec.key("hours_per_day"), "out of range")
                .with_value(format!("{v}"))
                .with_allowed("0 < hours_per_day <= 24 (loaded hours per day; 24 = sustained)");
            ctx.report(span, e);
            None
        }
        Got::Absent => Some(24.0),
        Got::Invalid => None,
    };
    let duration = positive(
        ctx,
        sec,
        "duration",
        ("s", "7 d"),
        MAX_END_TIME_S,
        "a loading period 0 s < duration <= 36525 d",
    );
    let time_s = time(ctx, sec);
    Some(Injury::Overload {
        stress_mpa: stress?,
        hours_per_day: hours?,
        duration_s: duration?,
        time_s,
    })
}

/// Reads one `[arm.injury]` table; `None` after reporting errors.
pub(crate) fn read_injury(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> Option<Injury> {
    sec.check_keys(ctx, INJURY_KEYS);
    let kind = match sec.choice(ctx, "type", INJURY_TYPES) {
        Got::Value(k) => k,
        Got::Absent => {
            sec.missing(ctx, "type", &INJURY_TYPES.join(", "));
            return None;
        }
        Got::Invalid => return None,
    };
    let (lo, hi) = (NEEDLE_OD_MM[0].0, NEEDLE_OD_MM[NEEDLE_OD_MM.len() - 1].0);
    match kind {
        "needle_puncture" => {
            let gauge = match sec.integer(ctx, "gauge", (lo as i64, hi as i64)) {
                Got::Value(g) => u32::try_from(g).ok()?,
                Got::Absent => {
                    sec.missing(
                        ctx,
                        "gauge",
                        &format!("a needle gauge {lo}..={hi}, e.g. 20"),
                    );
                    return None;
                }
                Got::Invalid => return None,
            };
            let penetration = match sec.choice(ctx, "penetration", PENETRATIONS) {
                Got::Value("half") => Penetration::Half,
                Got::Value("annulus") => Penetration::Annulus,
                _ => Penetration::Full,
            };
            Some(Injury::NeedlePuncture {
                gauge,
                penetration,
                time_s: time(ctx, sec),
            })
        }
        "af_defect" => {
            let d = match sec.quantity(ctx, "diameter", "mm", "1 mm") {
                Got::Value(q) if q.value > 0.0 && q.value <= 50.0 => q.value,
                Got::Value(q) => {
                    let e = ScenarioError::new(sec.key("diameter"), "out of range")
                        .with_value(q.text)
                        .with_allowed("0 mm < diameter <= 50 mm");
                    ctx.report(q.span, e);
                    return None;
                }
                Got::Absent => {
                    sec.missing(ctx, "diameter", "the defect diameter, e.g. \"1 mm\"");
                    return None;
                }
                Got::Invalid => return None,
            };
            Some(Injury::AfDefect {
                diameter_mm: d,
                time_s: time(ctx, sec),
            })
        }
        "ageing" => read_ageing(ctx, sec),
        "overload" => read_overload(ctx, sec),
        _ => {
            let ea = match sec.number(ctx, "exchange_area") {
                Got::Value((v, _)) if v > 0.0 && v <= 1.0 => v,
                Got::Value((v, span)) => {
                    let e = ScenarioError::new(sec.key("exchange_area"), "out of range")
                        .with_value(format!("{v}"))
                        .with_allowed("0 < exchange_area <= 1 (remaining fraction)");
                    ctx.report(span, e);
                    return None;
                }
                Got::Absent => {
                    sec.missing(
                        ctx,
                        "exchange_area",
                        "the remaining fraction of the CEP exchange area, 0 < x <= 1",
                    );
                    return None;
                }
                Got::Invalid => return None,
            };
            Some(Injury::EndplateSclerosis { exchange_area: ea })
        }
    }
}
