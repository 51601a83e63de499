//! A cord treatment resolved from the scenario ([`CordDoseSpec`], [`resolve`]) and the amount
//! ledger of one treatment ([`CordLedger`]).

use super::cfg;
use crate::carriers::{CarrierPreset, PayloadPreset};
use crate::delivery::route::Route;
use crate::release::ReleaseLaw;
use crate::scenario::{Mechanism, Treatment};
use crate::sim::treatments;
use crate::Error;

/// One treatment of the cord, resolved: what is given, how, when and where.
#[derive(Debug)]
pub struct CordDoseSpec {
    /// Dotted key of the treatment (e.g. `arm[1].treatment[0]`), for messages.
    pub key: String,
    /// Route of administration.
    pub route: Route,
    /// Payload mass given (ng; µg EV protein x 1000 for vesicles), finite, >= 0.
    pub dose_ng: f64,
    /// Injection time (s from the start of the run), finite.
    pub time_s: f64,
    /// Injected volume of a local injection (mm^3 = µL), finite, > 0; unused by the other routes.
    pub volume_mm3: f64,
    /// Carrier preset; `None` for a free payload (carrier "none").
    pub carrier: Option<CarrierPreset>,
    /// Release law of the carrier (cumulative fraction released vs s since arrival); `None`
    /// takes the carrier preset's law. Ignored without a carrier.
    pub release: Option<ReleaseLaw>,
    /// Payload preset.
    pub payload: PayloadPreset,
    /// Carrier clearance half-life replacing the preset's (s); for the intrathecal route it
    /// replaces the CSF retention half-life (`route.intrathecal.retention_half_life`).
    pub carrier_half_life_s: Option<f64>,
    /// Payload loss half-life in tissue replacing the preset's (s).
    pub payload_half_life_s: Option<f64>,
    /// The payload has no biological action (still released, transported and lost).
    pub disable_payload: bool,
    /// The carrier's own action (the CCL2 trap) is off (`disable = ["ccl2_trap"]`).
    pub disable_carrier_action: bool,
}

/// Resolves a scenario treatment for the cord (its `route`): presets (carrier "none" = free
/// payload), dose as a payload mass (a molar dose through the molecular weight), release law
/// (the treatment's override or the preset's), half-life overrides, `disable_payload` from
/// `disable = ["payload"]` and `disable_carrier_action` from `disable = ["ccl2_trap"]`. The
/// disc-only fields (`site`, `hindrance`, `effective`) are not used. Errors name the treatment
/// key and field.
pub fn resolve(t: &Treatment) -> Result<CordDoseSpec, Error> {
    let route = t.route;
    let (carrier, payload) = treatments::presets(t)?;
    let dose_ng = treatments::dose_ng(t, &payload)?;
    let release = carrier
        .as_ref()
        .map(|c| treatments::release_law(t, c))
        .transpose()?;
    let spec = CordDoseSpec {
        key: t.key.clone(),
        route,
        dose_ng,
        time_s: t.time_s,
        volume_mm3: t.volume_mm3,
        carrier,
        release,
        payload,
        carrier_half_life_s: t.carrier_half_life_s,
        payload_half_life_s: t.payload_half_life_s,
        disable_payload: t.disable.contains(&Mechanism::Payload),
        disable_carrier_action: t.disable.contains(&Mechanism::Ccl2Trap),
    };
    check_spec(&spec)?;
    Ok(spec)
}

pub(super) fn check_spec(s: &CordDoseSpec) -> Result<(), Error> {
    let bad = |field: &str, v: f64, allowed: &str| {
        Err(cfg(
            &format!("{}.{field}", s.key),
            format!("{v} is not allowed; allowed: {allowed}"),
        ))
    };
    if !(s.dose_ng.is_finite() && s.dose_ng >= 0.0) {
        return bad("dose", s.dose_ng, "a finite mass >= 0 ng");
    }
    if !s.time_s.is_finite() {
        return bad("time", s.time_s, "a finite time (s)");
    }
    if s.route == Route::Local && !(s.volume_mm3.is_finite() && s.volume_mm3 > 0.0) {
        return bad("volume", s.volume_mm3, "a finite volume > 0 uL");
    }
    for (field, v) in [
        ("carrier_half_life", s.carrier_half_life_s),
        ("payload_half_life", s.payload_half_life_s),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && v > 0.0) {
                return bad(field, v, "a finite half-life > 0 s");
            }
        }
    }
    Ok(())
}

/// Where one treatment's dose is (ng); the fields sum to `dose_ng` to round-off
/// ([`CordLedger::imbalance`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct CordLedger {
    /// The whole dose (ng).
    pub dose_ng: f64,
    /// Not given yet (before the injection time).
    pub not_given_ng: f64,
    /// I.v.: in plasma.
    pub plasma_ng: f64,
    /// I.v.: in the peripheral compartment.
    pub peripheral_ng: f64,
    /// I.v.: eliminated elsewhere (liver, spleen, lung), not by the lesion.
    pub eliminated_elsewhere_ng: f64,
    /// Intrathecal: held by carriers on the CSF side (whole neuraxis, the segment's share
    /// included).
    pub csf_carrier_ng: f64,
    /// Intrathecal: released (or injected free) into the CSF outside the modelled segment; it
    /// leaves the model.
    pub csf_outside_ng: f64,
    /// Held by carriers in the cord tissue cells of the segment.
    pub carrier_cord_ng: f64,
    /// Free payload in the segment (tissue and CSF cells).
    pub free_cord_ng: f64,
    /// Removed with cleared carriers (cord clearance, CSF-side retention loss).
    pub cleared_with_carriers_ng: f64,
    /// Free payload lost in tissue by first-order loss (degradation, cell uptake).
    pub lost_in_tissue_ng: f64,
    /// Free payload that left the segment: through the operator's boundary faces (segment ends,
    /// dura) and washed out of the CSF cells by the CSF turnover.
    pub left_boundary_ng: f64,
}

impl CordLedger {
    /// Sum of every pool (ng).
    pub fn total_ng(&self) -> f64 {
        self.not_given_ng
            + self.plasma_ng
            + self.peripheral_ng
            + self.eliminated_elsewhere_ng
            + self.csf_carrier_ng
            + self.csf_outside_ng
            + self.carrier_cord_ng
            + self.free_cord_ng
            + self.cleared_with_carriers_ng
            + self.lost_in_tissue_ng
            + self.left_boundary_ng
    }

    /// `(dose - sum of pools) / dose` (dimensionless; 0 for a zero dose).
    pub fn imbalance(&self) -> f64 {
        if self.dose_ng == 0.0 {
            0.0
        } else {
            (self.dose_ng - self.total_ng()) / self.dose_ng
        }
    }
}
