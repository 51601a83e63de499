//! Carrier and payload presets: drug-delivery systems for the disc, as data with sources.
//!
//! A *carrier* (hydrogel, liposome, extracellular vesicle, nanoparticle, microsphere, or a
//! composite) is injected and releases a *payload* (drug, oligonucleotide, vesicle cargo,
//! nanozyme particles). The built-in presets come from `data/carriers.toml` and
//! `data/payloads.toml` (embedded at compile time). Every number is a [`Record`]: value, unit,
//! plausible range and exactly one provenance (a citation with evidence tags `[V]`, `[V-code]`,
//! `[D]`, or an explicit assumption; unverified `[U]` values are always assumptions).
//!
//! Model units: length mm, time s, concentration mM; accessors convert with [`crate::units`]
//! and keep the raw record available for listings. Release laws are built by
//! [`crate::release::ReleaseLaw`]; tissue diffusivities come from the hindered-diffusion laws
//! ([`hindered`], [`HindranceLaw`]) with parameters from the [`crate::params::Registry`].

mod hindrance;
mod listing;
mod load;
mod payload;
mod preset;
mod record;
mod water;

use std::sync::OnceLock;

pub use hindrance::{
    gu_ratio, hindered, mackie_meares, ogston_ratio, stokes_einstein_mm2_s, Hindered, HindranceLaw,
    HindranceParams, Tissue, TissueMatrix, BODY_TEMPERATURE_K, BOLTZMANN_J_PER_K,
    CALIBRATED_MAX_RADIUS_NM, MIN_RADIUS_NM,
};
pub use listing::{to_json, to_markdown, to_table};
pub use payload::{PayloadAction, PayloadKind, PayloadPreset};
pub use preset::{
    Binding, CarrierKind, CarrierPreset, DampTrapConstants, LigandBinding, Nanozyme, NanozymeKind,
    OuterRelease, ReleaseParamKind, ReleaseSpec, DAMP_LIGANDS, RELEASE_MODELS,
};
pub use record::{Record, NON_SI_UNITS};
pub use water::{
    permeability_at_water, WaterLaw, MAX_WATER_FRACTION, MIN_WATER_FRACTION,
    PERMEABILITY_WATER_EXPONENT,
};

/// The embedded built-in carrier file (`crates/nanospine/data/carriers.toml`).
pub const CARRIERS_TOML: &str = include_str!("../../data/carriers.toml");

/// The embedded built-in payload file (`crates/nanospine/data/payloads.toml`).
pub const PAYLOADS_TOML: &str = include_str!("../../data/payloads.toml");

/// An invalid preset file, an unknown preset id, or a conversion that failed. The message names
/// the preset, the field, the value and what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct CarrierError(pub String);

/// Parses and validates a payload file in the `data/payloads.toml` format.
pub fn payloads_from_toml_str(text: &str) -> Result<Vec<PayloadPreset>, CarrierError> {
    payload::parse(text)
}

/// Parses and validates a carrier file in the `data/carriers.toml` format; every default
/// payload must be one of `payload_ids`.
pub fn carriers_from_toml_str(
    text: &str,
    payload_ids: &[&str],
) -> Result<Vec<CarrierPreset>, CarrierError> {
    load::parse(text, payload_ids)
}

/// Every built-in payload preset, in file order (parsed once, then cloned).
pub fn builtin_payloads() -> Result<Vec<PayloadPreset>, CarrierError> {
    static CACHE: OnceLock<Result<Vec<PayloadPreset>, CarrierError>> = OnceLock::new();
    CACHE
        .get_or_init(|| payloads_from_toml_str(PAYLOADS_TOML))
        .clone()
}

/// Every built-in carrier preset, in file order (parsed once, then cloned). Default payloads
/// are checked against [`builtin_payloads`].
pub fn builtin_carriers() -> Result<Vec<CarrierPreset>, CarrierError> {
    static CACHE: OnceLock<Result<Vec<CarrierPreset>, CarrierError>> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            let payloads = builtin_payloads()?;
            let ids: Vec<&str> = payloads.iter().map(|p| p.id.as_str()).collect();
            carriers_from_toml_str(CARRIERS_TOML, &ids)
        })
        .clone()
}

fn unknown(what: &str, id: &str, ids: &[&str]) -> CarrierError {
    let hint = crate::suggest::closest(id, ids.iter().copied())
        .map(|s| format!("; did you mean '{s}'?"))
        .unwrap_or_default();
    CarrierError(format!(
        "unknown {what} '{id}'{hint} (allowed: {})",
        ids.join(", ")
    ))
}

/// The built-in carrier `id`; an unknown id lists the allowed ids and suggests the closest.
pub fn carrier(id: &str) -> Result<CarrierPreset, CarrierError> {
    let all = builtin_carriers()?;
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    match all.iter().find(|c| c.id == id) {
        Some(c) => Ok(c.clone()),
        None => Err(unknown("carrier", id, &ids)),
    }
}

/// The built-in payload `id`; an unknown id lists the allowed ids and suggests the closest.
pub fn payload(id: &str) -> Result<PayloadPreset, CarrierError> {
    let all = builtin_payloads()?;
    let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    match all.iter().find(|p| p.id == id) {
        Some(p) => Ok(p.clone()),
        None => Err(unknown("payload", id, &ids)),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks the text fields shared by carrier and payload presets.
fn check_text(
    id: &str,
    label: &str,
    description: &str,
    citations: &[String],
) -> Result<(), CarrierError> {
    if !valid_id(id) {
        return Err(CarrierError(format!(
            "preset id '{id}': ids are snake_case (a-z, 0-9, _), starting with a letter"
        )));
    }
    if label.trim().is_empty() || description.trim().is_empty() {
        return Err(CarrierError(format!(
            "preset '{id}': label and description must not be empty"
        )));
    }
    if citations.is_empty() || citations.iter().any(|c| c.trim().is_empty()) {
        return Err(CarrierError(format!(
            "preset '{id}': needs at least one primary citation, none empty"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod action_tests;
#[cfg(test)]
mod tests;
