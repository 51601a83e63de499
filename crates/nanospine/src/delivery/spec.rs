//! A treatment resolved to model units: what is injected, where, when, and how the carrier and
//! payload behave in each tissue. Built by the simulator from a scenario's `[[arm.treatment]]`
//! and the carrier/payload presets; the delivery engine only sees these numbers.

use crate::grid::MAX_LABELS;
use crate::release::ReleaseLaw;

/// Where a depot is injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// Centre of the nucleus pulposus (the usual intradiscal injection target).
    Np,
    /// Mid-height, mid-thickness annulus fibrosus (an AF defect or an annular injection).
    Af,
}

impl Site {
    /// Identifier used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Site::Np => "np",
            Site::Af => "af",
        }
    }
}

/// Nanozyme activity carried by a carrier: Michaelis-Menten H2O2 scavenging
/// `rate = k2 * [nanozyme] * [H2O2] / (1 + [H2O2]/Km)`, `k2 = kcat/Km` per mass of nanozyme
/// (first-order in H2O2 far below Km).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NanozymeSpec {
    /// Specificity constant per concentration of nanozyme material
    /// (1/s per ng/mL of nanozyme).
    pub k2_per_s_per_ng_ml: f64,
    /// Michaelis constant for H2O2 (uM).
    pub km_um: f64,
}

/// Carrier behaviour (absent for a free-drug bolus).
#[derive(Debug)]
pub struct CarrierSpec {
    /// Preset identifier.
    pub id: String,
    /// Release of payload from the carrier, as a function of time since injection.
    pub release: ReleaseLaw,
    /// First-order transfer rate (1/s) from an outer compartment (a gel around microspheres)
    /// into tissue; `None` when the carrier releases straight into tissue.
    pub outer_rate_per_s: Option<f64>,
    /// First-order clearance of the carrier (and the payload it still holds) from the disc (1/s).
    pub clearance_per_s: f64,
    /// Carrier diffusivity per tissue label (mm^2/s); all zero for an immobile depot.
    pub diffusivity: [f64; MAX_LABELS],
    /// How the carrier's NP diffusivity follows the NP water (water feedback of the run).
    pub np_water: crate::carriers::WaterLaw,
    /// Reversible binding to tissue fixed charge: (k_on, k_off) in 1/s.
    pub binding: Option<(f64, f64)>,
    /// Nanozyme activity, if the carrier scavenges H2O2.
    pub nanozyme: Option<NanozymeSpec>,
    /// Compressive modulus of a gel carrier (kPa), which then shares the axial load in the NP
    /// (disease stage); `None` for carriers that are not gels.
    pub modulus_kpa: Option<f64>,
    /// DAMP-trap constants when the carrier binds cell-free CpG DNA (binding sites per ng of
    /// carrier, K_d in nM, payload loading): the engine then tracks the carrier material.
    pub damp_trap: Option<crate::carriers::DampTrapConstants>,
}

/// Payload behaviour in tissue.
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadSpec {
    /// Preset identifier (also the prefix of read-out columns).
    pub id: String,
    /// Diffusivity per tissue label (mm^2/s).
    pub diffusivity: [f64; MAX_LABELS],
    /// How the payload's NP diffusivity follows the NP water (water feedback of the run).
    pub np_water: crate::carriers::WaterLaw,
    /// Tissue/water partition coefficient per label (dimensionless).
    pub partition: [f64; MAX_LABELS],
    /// First-order loss in tissue (degradation, cell uptake) per label (1/s): "consumed".
    pub loss_per_s: [f64; MAX_LABELS],
    /// Effective tissue concentration for the coverage read-outs (ng/mL).
    pub effective_ng_per_ml: f64,
    /// The input of the disc biology the payload's tissue concentration (ng/mL) drives.
    pub action: crate::carriers::PayloadAction,
}

/// One treatment of an arm.
#[derive(Debug)]
pub struct TreatmentSpec {
    /// Injected payload amount (ng).
    pub dose_ng: f64,
    /// Injection time (s from the start of the run).
    pub time_s: f64,
    /// Injection site.
    pub site: Site,
    /// Injected volume (mm^3 = uL).
    pub volume_mm3: f64,
    /// Delivered mesenchymal stromal cells (cells per injection; 0 for none), seeded evenly
    /// over the injected region.
    pub cells: f64,
    /// The carrier, or `None` for a free-drug bolus.
    pub carrier: Option<CarrierSpec>,
    /// The payload.
    pub payload: PayloadSpec,
    /// Mechanisms switched off for this treatment (`disable` in the scenario).
    pub disable: Vec<crate::scenario::Mechanism>,
}

/// Reactive oxygen species (H2O2) handled by the delivery engine when a nanozyme is present.
#[derive(Debug, Clone, PartialEq)]
pub struct RosSpec {
    /// H2O2 diffusivity per tissue label (mm^2/s).
    pub diffusivity: [f64; MAX_LABELS],
    /// Production per viable cell: uM/s per (cell/mm^3); times the viable cell density it
    /// gives the volumetric production rate (uM/s).
    pub production_per_cell: f64,
    /// Endogenous first-order scavenging (catalase, peroxiredoxins, GPx), 1/s.
    pub endogenous_loss_per_s: f64,
    /// Concentration at the vascular boundary (uM).
    pub boundary_um: f64,
}
