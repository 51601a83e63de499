//! `[biology]`: coupling of the per-voxel disc biology into a transient run.

use toml::de::DeValue;

use super::errors::ScenarioError;
use super::format::{BIOLOGY_KEYS, MAX_END_TIME_S};
use super::model::BiologySpec;
use super::reader::{Ctx, Got, Section};

/// `[biology]`: enabled, dt (optional table; default off, 6 h). Enabling it needs a transient
/// run: with `solver.mode = "steady"` written, `enabled = true` is an error (a missing or
/// invalid mode is reported by `[solver]` alone).
pub(crate) fn read_biology(ctx: &mut Ctx<'_>, root: &Section<'_, '_>) -> BiologySpec {
    let mut spec = BiologySpec::default();
    let Some(sec) = root.table(ctx, "biology", false) else {
        return spec;
    };
    sec.check_keys(ctx, BIOLOGY_KEYS);
    if let Got::Value(b) = sec.boolean(ctx, "enabled") {
        spec.enabled = b;
    }
    if spec.enabled && written_mode(root) == Some("steady") {
        if let Some((_, item)) = sec.get("enabled") {
            let e = ScenarioError::new(
                sec.key("enabled"),
                "the disc biology needs a transient run, but solver.mode = \"steady\"",
            )
            .with_value("true")
            .with_allowed("false, or solver.mode = \"transient\"");
            ctx.report(item.span(), e);
        }
        spec.enabled = false;
    }
    if let Got::Value(q) = sec.quantity(ctx, "dt", "s", "6 h") {
        if q.value > 0.0 && q.value <= MAX_END_TIME_S {
            spec.dt_s = q.value;
        } else {
            let e = ScenarioError::new(sec.key("dt"), "out of range")
                .with_value(q.text)
                .with_allowed("a time > 0 s, up to 100 years");
            ctx.report(q.span, e);
        }
    }
    spec
}

/// `solver.mode` as written, if it is a string.
fn written_mode<'t>(root: &Section<'t, '_>) -> Option<&'t str> {
    let (_, solver) = root.get("solver")?;
    let DeValue::Table(t) = solver.get_ref() else {
        return None;
    };
    match t.get("mode")?.get_ref() {
        DeValue::String(m) => Some(m.as_ref()),
        _ => None,
    }
}
