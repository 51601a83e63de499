//! The tissue of a scenario (`[scenario] tissue`) and what depends on it at the top level:
//! the species list, disc-only keys and tables, and the `[cord]` table.

use toml::de::DeValue;

use super::errors::ScenarioError;
use super::format::{AXIAL_ENDS, CORD_KEYS, CORD_PRESETS, SPECIES, TISSUES};
use super::model::{AxialEnds, CordSpec, Tissue};
use super::reader::{Ctx, Got, Section};

/// `scenario.tissue` (default disc). An invalid value is reported; the tissue is then guessed
/// from the species (a cord preset gives a cord), so that the rest of the file is checked
/// against the likelier format.
pub(crate) fn read_tissue(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> Tissue {
    match sec.choice(ctx, "tissue", TISSUES) {
        Got::Value(t) => Tissue::from_id(t).unwrap_or_default(),
        Got::Absent => Tissue::Disc,
        Got::Invalid => match written_string(sec, "species") {
            Some(s) if CORD_PRESETS.contains(&s) => Tissue::Cord,
            _ => Tissue::Disc,
        },
    }
}

/// The string value of key `name` of `sec` as written, if it is a string.
pub(crate) fn written_string<'t>(sec: &Section<'t, '_>, name: &str) -> Option<&'t str> {
    match sec.get(name)?.1.get_ref() {
        DeValue::String(s) => Some(s.as_ref()),
        _ => None,
    }
}

/// `scenario.species` for `tissue`: a disc preset ([`SPECIES`]) or a cord preset
/// ([`CORD_PRESETS`]). A preset of the other tissue gets a hint naming the `tissue` setting;
/// unknown names get the closest preset of the tissue. Empty after an error.
pub(crate) fn read_species(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>, tissue: Tissue) -> String {
    let (allowed, other, what, hint) = match tissue {
        Tissue::Disc => (
            SPECIES,
            CORD_PRESETS,
            "a spinal cord preset: set tissue = \"cord\" in [scenario] to simulate a cord",
            "tissue = \"cord\"",
        ),
        Tissue::Cord => (
            CORD_PRESETS,
            SPECIES,
            "an intervertebral disc preset: tissue = \"cord\" needs a cord preset",
            "tissue = \"disc\"",
        ),
    };
    let listed = format!("for tissue = \"{}\": {}", tissue.id(), allowed.join(", "));
    if let Some(s) = written_string(sec, "species").filter(|s| other.contains(s)) {
        if let Some((_, item)) = sec.get("species") {
            let e = ScenarioError::new(sec.key("species"), format!("`{s}` is {what}"))
                .with_value(s)
                .with_allowed(listed)
                .with_suggestion(Some(hint.to_string()));
            ctx.report(item.span(), e);
        }
        return String::new();
    }
    match sec.choice(ctx, "species", allowed) {
        Got::Value(s) => s.to_string(),
        Got::Absent => {
            sec.missing(ctx, "species", &listed);
            String::new()
        }
        Got::Invalid => String::new(),
    }
}

/// Reports key `name` of `sec` if present (at the key): `message`, with `allowed` as the way out.
/// Returns whether it was present.
pub(crate) fn reject(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    name: &str,
    message: &str,
    allowed: &str,
) -> bool {
    let Some((kspan, _)) = sec.get(name) else {
        return false;
    };
    let e = ScenarioError::new(sec.key(name), message).with_allowed(allowed);
    ctx.report(kspan, e);
    true
}

/// Reports a disc-only key or table `name` of `sec` in a cord scenario; `label` is how it is
/// named in the message (e.g. "`grade`", "[boundary]"). Returns whether it was present.
pub(crate) fn reject_disc_only(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    name: &str,
    label: &str,
) -> bool {
    reject(
        ctx,
        sec,
        name,
        &format!("{label} applies to tissue = \"disc\" only"),
        &format!("remove {label} for tissue = \"cord\""),
    )
}

/// `[cord]`: axial_ends, chemotaxis (optional table, only for `tissue = "cord"`; defaults
/// no_flux, true). In a disc scenario the table is an error and the defaults are returned.
pub(crate) fn read_cord(ctx: &mut Ctx<'_>, root: &Section<'_, '_>, tissue: Tissue) -> CordSpec {
    let mut spec = CordSpec::default();
    if tissue == Tissue::Disc {
        reject(
            ctx,
            root,
            "cord",
            "[cord] applies to tissue = \"cord\" only",
            "remove [cord], or set tissue = \"cord\" in [scenario]",
        );
        return spec;
    }
    let Some(sec) = root.table(ctx, "cord", false) else {
        return spec;
    };
    sec.check_keys(ctx, CORD_KEYS);
    if let Got::Value(a) = sec.choice(ctx, "axial_ends", AXIAL_ENDS) {
        spec.axial_ends = AxialEnds::from_id(a).unwrap_or_default();
    }
    if let Got::Value(b) = sec.boolean(ctx, "chemotaxis") {
        spec.chemotaxis = b;
    }
    spec
}
