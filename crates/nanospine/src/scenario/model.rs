//! The typed, validated scenario: what `scenario::parse` returns and the simulator consumes.
//! All quantities are already converted to model units (mm, s, mM, kPa).

pub use crate::anatomy::ExchangePattern;
use crate::grid::GridKind;

/// The tissue a scenario simulates (`[scenario] tissue`, default `disc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tissue {
    /// An intervertebral disc (`sim::run`): species from the disc presets, Pfirrmann grade.
    #[default]
    Disc,
    /// A spinal cord segment with an injury (`sim::cord`): species from
    /// [`crate::anatomy::cord::CORD_PRESETS`], no grade.
    Cord,
}

impl Tissue {
    /// Every tissue, in the order of the scenario format's listing.
    pub const ALL: [Tissue; 2] = [Tissue::Disc, Tissue::Cord];

    /// Identifier used in scenario files (`tissue = "cord"`).
    pub const fn id(self) -> &'static str {
        match self {
            Tissue::Disc => "disc",
            Tissue::Cord => "cord",
        }
    }

    /// The tissue with identifier `id`, if any.
    pub fn from_id(id: &str) -> Option<Tissue> {
        Tissue::ALL.into_iter().find(|t| t.id() == id)
    }
}

/// What the two ends of the modelled cord segment (z = -L/2 and z = L/2) do for diffusing
/// solutes (`[cord] axial_ends`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AxialEnds {
    /// No flux through the segment ends (a closed segment; default).
    #[default]
    NoFlux,
    /// The cord continues beyond the segment: solutes leave through the ends as into an
    /// unlesioned continuation of the cord.
    Continuation,
}

impl AxialEnds {
    /// Every setting, in the order of the scenario format's listing.
    pub const ALL: [AxialEnds; 2] = [AxialEnds::NoFlux, AxialEnds::Continuation];

    /// Identifier used in scenario files (`axial_ends = "no_flux"`).
    pub const fn id(self) -> &'static str {
        match self {
            AxialEnds::NoFlux => "no_flux",
            AxialEnds::Continuation => "continuation",
        }
    }

    /// The setting with identifier `id`, if any.
    pub fn from_id(id: &str) -> Option<AxialEnds> {
        AxialEnds::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// Spinal cord settings (`[cord]`; only for `tissue = "cord"`, defaults for a disc, unused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CordSpec {
    /// What the segment ends do for diffusing solutes (default [`AxialEnds::NoFlux`]).
    pub axial_ends: AxialEnds,
    /// Macrophages migrate up the CCL2 gradient (chemotaxis; default true).
    pub chemotaxis: bool,
}

impl Default for CordSpec {
    fn default() -> Self {
        CordSpec {
            axial_ends: AxialEnds::NoFlux,
            chemotaxis: true,
        }
    }
}

/// Form of the supply condition at the CEP-bone interface.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryForm {
    /// Blood concentration imposed at the interface on the open part of its area.
    Dirichlet,
    /// Flux `k (C_blood - C)` through an interface with mass-transfer coefficient k
    /// (`cep.mass_transfer_coefficient`, mm/s), in series with the half-cell.
    Robin,
}

/// CEP-bone interface settings (`[boundary]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BoundarySpec {
    /// Dirichlet or Robin supply (default Dirichlet).
    pub form: BoundaryForm,
    /// Where the interface stays open when the exchange area falls (default central).
    pub pattern: ExchangePattern,
}

impl Default for BoundarySpec {
    fn default() -> Self {
        BoundarySpec {
            form: BoundaryForm::Dirichlet,
            pattern: ExchangePattern::Central,
        }
    }
}

/// Cross-section of the 3-D Cartesian disc.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Elliptic cross-section (lateral width x AP depth).
    Ellipse,
    /// Kidney (bean) cross-section: an ellipse with a posterior concavity.
    Kidney,
}

/// Steady state or time-dependent run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Solve for the discrete steady state (Newton).
    Steady,
    /// Integrate in time from the initial condition to `end_time`.
    Transient,
}

/// Time integrator for transient runs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Monolithic backward Euler with Newton (exact discrete steady state as fixed point).
    Implicit,
    /// Locally-one-dimensional backward-Euler splitting + implicit local reactions (fast on big 3-D grids).
    Lod,
}

/// Initial condition of a transient run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Initial {
    /// The steady state of the scenario's *baseline* (parameters without the arm's overrides),
    /// so an arm's change acts on a disc at equilibrium at t = 0.
    Steady,
    /// Every tissue cell at the CEP boundary value of each solute.
    Boundary,
}

/// Grid settings.
#[derive(Debug, Clone, PartialEq)]
pub struct GridSpec {
    /// Grid kind.
    pub kind: GridKind,
    /// Isotropic cell spacing (mm).
    pub spacing_mm: f64,
    /// Cross-section (3-D only).
    pub shape: Shape,
}

/// Solver settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverSpec {
    /// Steady or transient (always transient for a cord).
    pub mode: Mode,
    /// Transient integrator (default, unused, for a cord).
    pub method: Method,
    /// End time (s), transient only.
    pub end_time_s: f64,
    /// Time step (s), transient only.
    pub dt_s: f64,
    /// Largest sub-step of the carrier/payload engine (s); each solver step is split into
    /// sub-steps no longer than this.
    pub delivery_dt_s: f64,
    /// Initial condition (transient only; default, unused, for a cord).
    pub initial: Initial,
    /// Times at which field snapshots are written (s).
    pub output_times_s: Vec<f64>,
    /// Relative residual tolerance of the Newton solvers (dimensionless).
    pub tolerance: f64,
    /// Newton iteration limit.
    pub max_iterations: usize,
}

/// One parameter override: registry name, the text as written, and the value in the registry's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Registry name.
    pub name: String,
    /// Text as written (e.g. "4.0 mM").
    pub text: String,
    /// Value converted to the registry unit of that parameter.
    pub value: f64,
}

/// The place of an arm in a study design (column `role` of `arms.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArmRole {
    /// Operated or handled, not injured, not treated.
    Sham,
    /// Injured, not treated.
    InjuryOnly,
    /// Injured and given the carrier without its active payload (blank carrier).
    Vehicle,
    /// Injured and treated.
    Treatment,
}

impl ArmRole {
    /// Identifier used in scenario files and `arms.csv`.
    pub fn id(self) -> &'static str {
        match self {
            ArmRole::Sham => "sham",
            ArmRole::InjuryOnly => "injury_only",
            ArmRole::Vehicle => "vehicle",
            ArmRole::Treatment => "treatment",
        }
    }
}

/// One treatment or control arm.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// Arm name (unique, used in file names).
    pub name: String,
    /// Free text.
    pub description: String,
    /// Role in the study design (default: `treatment` when the arm has treatments, else `sham`).
    pub role: ArmRole,
    /// Pfirrmann grade override for this arm (1..=5); always `None` for a cord.
    pub grade: Option<u8>,
    /// Overrides applied on top of the scenario-wide ones.
    pub parameters: Vec<Override>,
    /// The disc injury of this arm (`[arm.injury]`), if any; always `None` for a cord.
    pub injury: Option<crate::injury::Injury>,
    /// The spinal cord injury of this arm (`[arm.injury]` of a `tissue = "cord"` scenario:
    /// contusion or compression, times in s), if any; always `None` for a disc.
    pub cord_injury: Option<crate::sci::injury::CordInjury>,
    /// What this arm injects (empty for an untreated arm).
    pub treatments: Vec<Treatment>,
}

/// An injected dose as written: a mass or an amount of substance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DoseAmount {
    /// Mass (ng).
    MassNg(f64),
    /// Amount of substance (nmol); converted with the payload's molar mass.
    AmountNmol(f64),
}

/// A concentration as written: mass or molar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Concentration {
    /// Mass concentration (ng/mL).
    MassNgPerMl(f64),
    /// Molar concentration (nM); converted with the payload's molar mass.
    MolarNm(f64),
}

/// A release law replacing the carrier preset's.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseOverride {
    /// Release model identifier (`nanospine fit --list` / docs/release-models.md).
    pub model: String,
    /// Time unit `T` of the parameters as written (e.g. "d").
    pub time_unit: String,
    /// Length of `T` (s).
    pub time_unit_s: f64,
    /// Parameter values in the model's units.
    pub params: std::collections::BTreeMap<String, f64>,
}

/// A mechanism of action of a treatment that `[[arm.treatment]] disable = [...]` can switch off,
/// to separate what each part of a carrier contributes (e.g. a carrier whose nanozyme does not
/// scavenge, as a mechanistic control).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mechanism {
    /// The carrier's modulus (kPa) no longer shares the axial load: the injected carrier gives
    /// no mechanical support to the disc.
    MechanicalSupport,
    /// The carrier's nanozyme no longer scavenges H2O2 (its first-order scavenging rate, 1/s,
    /// is zero).
    RosScavenging,
    /// The released payload has no biological action (its input to the disc biology is zero);
    /// it is still released, transported and lost as usual, so its concentrations (ng/mL) and
    /// coverage read-outs are unchanged.
    Payload,
    /// The carrier no longer traps CCL2: its `ccl2_trap` input to the cord biology (ng/mL of
    /// trap material) is zero; the carrier is still transported and cleared as usual. Only a
    /// carrier whose `ligand_binding` traps CCL2 has this mechanism (no disc effect).
    Ccl2Trap,
    /// The carrier no longer binds cell-free CpG DNA: the injury's damage (DAMP) input to the
    /// disc biology is no longer lowered to its unbound fraction where the carrier is. Only a
    /// carrier whose `ligand_binding` binds DNA has this mechanism (disc only).
    DampScavenging,
    /// The carrier's delivered cells (MSCs, `cells`) are not given: no MSCs engraft in the disc
    /// biology. Only a disc treatment with `cells` > 0 has this mechanism.
    Cells,
}

impl Mechanism {
    /// Every mechanism, in the order of the scenario format's listing.
    pub const ALL: [Mechanism; 6] = [
        Mechanism::MechanicalSupport,
        Mechanism::RosScavenging,
        Mechanism::Payload,
        Mechanism::Ccl2Trap,
        Mechanism::DampScavenging,
        Mechanism::Cells,
    ];

    /// Identifier used in scenario files (`disable = ["ros_scavenging"]`).
    pub const fn id(self) -> &'static str {
        match self {
            Mechanism::MechanicalSupport => "mechanical_support",
            Mechanism::RosScavenging => "ros_scavenging",
            Mechanism::Payload => "payload",
            Mechanism::Ccl2Trap => "ccl2_trap",
            Mechanism::DampScavenging => "damp_scavenging",
            Mechanism::Cells => "cells",
        }
    }

    /// The mechanism with identifier `id`, if any.
    pub fn from_id(id: &str) -> Option<Mechanism> {
        Mechanism::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// One `[[arm.treatment]]`: an injection into the disc, or a dose given to the cord by a route.
#[derive(Debug, Clone, PartialEq)]
pub struct Treatment {
    /// Carrier preset id, or "none" for a free-drug bolus.
    pub carrier: String,
    /// Payload preset id (default: the carrier preset's payload).
    pub payload: Option<String>,
    /// Dose.
    pub dose: DoseAmount,
    /// Dose as written.
    pub dose_text: String,
    /// Injection site in the disc (for a cord always the default, `np`, unused: local cord
    /// injections go into the lesion epicentre).
    pub site: crate::delivery::Site,
    /// How the dose reaches the tissue (default local; a disc takes local injections only).
    pub route: crate::delivery::route::Route,
    /// Injected volume (uL = mm^3): sets the injected region of a local injection; recorded only
    /// for an intravenous or intrathecal dose (0 when not given).
    pub volume_mm3: f64,
    /// Injection time (s from the start of the run).
    pub time_s: f64,
    /// Mesenchymal stromal cells (MSCs) delivered with the carrier (cells per injection; 0 when
    /// none). Disc NP or AF injections only.
    pub cells: f64,
    /// Effective tissue concentration for coverage (default: the payload preset's).
    pub effective: Option<Concentration>,
    /// Release law replacing the preset's.
    pub release: Option<ReleaseOverride>,
    /// Carrier clearance half-life replacing the preset's (s).
    pub carrier_half_life_s: Option<f64>,
    /// Payload loss half-life in tissue replacing the preset's (s).
    pub payload_half_life_s: Option<f64>,
    /// Hindered-diffusion law for carrier and payload in the disc (default Gu 2004, porcine-AF
    /// fit; for a cord always the default, unused).
    pub hindrance: crate::carriers::HindranceLaw,
    /// Mechanisms of action switched off for this treatment (default none), in the order
    /// written, without duplicates.
    pub disable: Vec<Mechanism>,
    /// Dotted key of this treatment in the file (e.g. `arm[1].treatment[0]`), for messages.
    pub key: String,
}

impl Treatment {
    /// The mechanisms of action this treatment has in `tissue` (sorted by id): mechanical
    /// support for a gel carrier injected into the NP of a disc, ROS scavenging for a disc
    /// carrier with a nanozyme, DAMP scavenging for a disc carrier whose ligand binding binds
    /// cell-free DNA, the CCL2 trap for a cord carrier whose ligand binding traps CCL2,
    /// the delivered cells of a disc treatment with `cells` > 0, and the payload when it has a
    /// biological action and a dose (a cell-only injection has none). Errors name an unknown
    /// carrier or
    /// payload preset.
    pub fn mechanisms(&self, tissue: Tissue) -> Result<Vec<Mechanism>, String> {
        use crate::carriers::{self, PayloadAction};
        let mut out = vec![];
        let carrier = if self.carrier == crate::sim::treatments::NO_CARRIER {
            None
        } else {
            Some(carriers::carrier(&self.carrier).map_err(|e| e.0)?)
        };
        let payload_id = self.payload.clone().or_else(|| {
            carrier
                .as_ref()
                .and_then(|c| c.default_payloads.first().cloned())
        });
        if let Some(c) = &carrier {
            let gel = c.modulus_kpa().map_err(|e| e.0)?.is_some();
            let disc = tissue == Tissue::Disc;
            if disc && gel && self.site == crate::delivery::Site::Np {
                out.push(Mechanism::MechanicalSupport);
            }
            if disc && c.nanozyme.is_some() {
                out.push(Mechanism::RosScavenging);
            }
            if !disc && c.action() == Some(PayloadAction::Ccl2Trap) {
                out.push(Mechanism::Ccl2Trap);
            }
            if disc && c.action() == Some(PayloadAction::DampTrap) {
                out.push(Mechanism::DampScavenging);
            }
        }
        if tissue == Tissue::Disc && self.cells > 0.0 {
            out.push(Mechanism::Cells);
        }
        // a cell-only injection gives its payload no dose: no payload action
        let dosed =
            !matches!(self.dose, DoseAmount::MassNg(v) | DoseAmount::AmountNmol(v) if v == 0.0);
        if let (Some(p), true) = (payload_id, dosed) {
            let p = carriers::payload(&p).map_err(|e| e.0)?;
            if !matches!(p.action, PayloadAction::None | PayloadAction::Nanozyme) {
                out.push(Mechanism::Payload);
            }
        }
        out.sort_by_key(|m| m.id());
        out.dedup();
        Ok(out)
    }
}

/// Output settings.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSpec {
    /// Write VTK fields at `solver.output_times`.
    pub fields: bool,
    /// Write SVG plots.
    pub plots: bool,
    /// Interval of rows in timeseries.csv (s).
    pub timeseries_interval_s: f64,
}

/// Coupling of the per-voxel disc biology into a run (`[biology]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BiologySpec {
    /// Couple the disc biology (cells, matrix, inflammation, nerves, calcification) and the
    /// swelling mechanics into the run (default false; transient runs only).
    pub enabled: bool,
    /// Largest biology reaction/diffusion sub-step (s), > 0; each solver step is split into
    /// sub-steps no longer than this (default 6 h = 21600 s).
    pub dt_s: f64,
}

impl Default for BiologySpec {
    fn default() -> Self {
        BiologySpec {
            enabled: false,
            dt_s: super::format::DEFAULT_BIOLOGY_DT_S,
        }
    }
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Title.
    pub name: String,
    /// Free text (citations, purpose).
    pub description: String,
    /// The tissue simulated (default disc).
    pub tissue: Tissue,
    /// Species/level preset name: a disc preset (e.g. "human_l4l5", [`super::SPECIES`]) or,
    /// for a cord, a cord preset (e.g. "rat_thoracic", [`crate::anatomy::cord::CORD_PRESETS`]).
    pub species: String,
    /// Pfirrmann grade 1..=5 of the baseline disc; 0 for a cord (no grade).
    pub grade: u8,
    /// Grid settings (`shape` stays the default for a cord).
    pub grid: GridSpec,
    /// CEP-bone interface settings (default for a cord, unused).
    pub boundary: BoundarySpec,
    /// Spinal cord settings (`[cord]`; default for a disc, unused).
    pub cord: CordSpec,
    /// Solver settings.
    pub solver: SolverSpec,
    /// Disc biology coupling (`[biology]`; default off; always off for a cord, whose biology
    /// always runs).
    pub biology: BiologySpec,
    /// Scenario-wide parameter overrides (applied to every arm).
    pub parameters: Vec<Override>,
    /// Arms (at least one; a scenario without `[[arm]]` gets one arm named "baseline").
    pub arms: Vec<Arm>,
    /// Output settings.
    pub outputs: OutputSpec,
    /// The original file text (hashed into summary.json).
    pub source_text: String,
}
