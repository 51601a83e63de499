//! The scenario file as written (strings with units, optional keys), for the JSON Schema.
//! Parsing itself walks the located TOML tree (`validate.rs`); a test keeps the two in step
//! with the key lists in `format.rs`.
#![allow(dead_code)] // the fields exist for the schema derive only

use std::collections::BTreeMap;

use schemars::JsonSchema;

/// A nanospine scenario: one TOML file describing a disc (or, with `tissue = "cord"`, an
/// injured spinal cord segment), a grid, a solver, parameter overrides and the arms
/// (treatments/controls) to compare. Quantities are strings with units, e.g. "0.25 mm",
/// "60 d", "4.0 mM".
#[derive(JsonSchema)]
#[schemars(title = "nanospine scenario", deny_unknown_fields)]
#[schemars(extend("if" = {"properties": {"solver": {"properties": {"mode": {"const": "transient"}}}}}))]
#[schemars(extend("then" = {"properties": {"solver": {"required": ["end_time", "dt"]}}}))]
#[schemars(extend("allOf" = [{
    "if": {
        "properties": {"biology": {"properties": {"enabled": {"const": true}}, "required": ["enabled"]}},
        "required": ["biology"]
    },
    "then": {"properties": {"solver": {"properties": {"mode": {"const": "transient"}}}}}
}, {
    "if": {
        "properties": {"scenario": {"properties": {"tissue": {"const": "cord"}}, "required": ["tissue"]}},
        "required": ["scenario"]
    },
    "then": {
        "properties": {
            "scenario": {
                "properties": {"species": {"$ref": "#/$defs/RawCordSpecies"}},
                "not": {"required": ["grade"]}
            },
            "grid": {"not": {"required": ["shape"]}},
            "solver": {
                "properties": {"mode": {"const": "transient"}},
                "required": ["end_time", "dt"],
                "not": {"anyOf": [{"required": ["method"]}, {"required": ["initial"]}]}
            },
            "boundary": false,
            "biology": false,
            "arm": {"items": {
                "not": {"required": ["grade"]},
                "properties": {
                    "injury": {"properties": {"type": {"enum": ["contusion", "compression"]}}},
                    "treatment": {"items": {"not": {"anyOf": [{"required": ["site"]}, {"required": ["hindrance"]}]}}}
                }
            }}
        }
    },
    "else": {
        "properties": {
            "scenario": {
                "properties": {"species": {"$ref": "#/$defs/RawSpecies"}},
                "required": ["grade"]
            },
            "cord": false,
            "arm": {"items": {"properties": {
                "injury": {"properties": {"type": {"not": {"enum": ["contusion", "compression"]}}}},
                "treatment": {"items": {"properties": {"route": {"const": "local"}}}}
            }}}
        }
    }
}]))]
pub(crate) struct RawFile {
    /// Title, species/level and degeneration grade.
    scenario: RawHead,
    /// Spatial discretisation.
    grid: RawGrid,
    /// Supply condition at the CEP-vertebra interface (optional; disc only).
    boundary: Option<RawBoundary>,
    /// Steady or transient solve and its settings.
    solver: RawSolver,
    /// Coupling of the per-voxel disc biology into the run (optional; default off; disc only).
    biology: Option<RawBiology>,
    /// Spinal cord settings (optional; only for tissue = "cord").
    cord: Option<RawCord>,
    /// Scenario-wide parameter overrides (applied to every arm): registry name = "value unit"
    /// (a bare number for dimensionless parameters). Names contain dots, so quote them.
    parameters: Option<ParameterTable>,
    /// Arms to compare (zero or more `[[arm]]` tables; none gives one arm "baseline").
    arm: Option<Vec<RawArm>>,
    /// What to write.
    outputs: Option<RawOutputs>,
}

/// `[scenario]`: what is studied.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawHead {
    /// Title of the study.
    #[schemars(length(min = 1))]
    name: String,
    /// Free text: purpose, sources.
    #[schemars(extend("default" = ""))]
    description: Option<String>,
    /// The tissue simulated: "disc" (intervertebral disc, default) or "cord" (injured spinal
    /// cord segment, docs/cord.md).
    #[schemars(extend("default" = "disc"))]
    tissue: Option<RawTissue>,
    /// Species and spinal level preset: a disc preset (disc geometry, cell density) or, for
    /// tissue = "cord", a cord preset (cord dimensions).
    species: RawAnySpecies,
    /// Pfirrmann grade of the baseline disc, 1 (healthy) to 5 (collapsed). Required for a disc;
    /// not allowed for a cord.
    #[schemars(range(min = 1, max = 5))]
    grade: Option<u8>,
}

/// Tissues.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawTissue {
    /// Intervertebral disc.
    Disc,
    /// Spinal cord segment with an injury.
    Cord,
}

/// A disc preset or a cord preset.
#[derive(JsonSchema)]
#[serde(untagged)]
pub(crate) enum RawAnySpecies {
    /// Disc presets (tissue = "disc").
    Disc(RawSpecies),
    /// Cord presets (tissue = "cord").
    Cord(RawCordSpecies),
}

/// Spinal cord presets (tissue = "cord").
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawCordSpecies {
    /// Mouse thoracic cord.
    MouseThoracic,
    /// Rat thoracic cord.
    RatThoracic,
    /// Human cervical cord (contusion severity given directly).
    HumanCervical,
}

/// `[cord]`: spinal cord settings (tissue = "cord" only).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawCord {
    /// What the two ends of the modelled segment do for diffusing solutes: "no_flux" (closed
    /// segment, default) or "continuation" (the cord continues beyond them).
    #[schemars(extend("default" = "no_flux"))]
    axial_ends: Option<RawAxialEnds>,
    /// Macrophages migrate up the CCL2 gradient (default true).
    #[schemars(extend("default" = true))]
    chemotaxis: Option<bool>,
}

/// Segment-end conditions.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawAxialEnds {
    /// No flux through the ends.
    NoFlux,
    /// The cord continues beyond the ends.
    Continuation,
}

/// Species/level presets.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawSpecies {
    /// Human lumbar L4-L5.
    HumanL4l5,
    /// Rat tail (caudal) disc.
    RatCaudal,
    /// Rat lumbar disc.
    RatLumbar,
    /// Mouse lumbar disc.
    MouseLumbar,
    /// Rabbit lumbar disc.
    RabbitLumbar,
    /// Sheep lumbar disc.
    SheepLumbar,
    /// Bovine tail (caudal) disc.
    BovineCaudal,
}

/// `[grid]`: spatial discretisation.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawGrid {
    /// Geometry: "axisymmetric" (r-z, fast) or "cartesian3d" (x-y-z).
    kind: RawGridKind,
    /// Isotropic cell size, a length from "0.001 mm" to "5 mm", e.g. "0.25 mm".
    #[schemars(extend("examples" = ["0.25 mm", "100 um"]))]
    spacing: String,
    /// Cross-section of a cartesian3d disc (not allowed for axisymmetric, nor for a cord).
    #[schemars(extend("default" = "ellipse"))]
    shape: Option<RawShape>,
}

/// Grid kinds.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawGridKind {
    /// Axisymmetric r-z grid.
    Axisymmetric,
    /// Cartesian 3-D grid.
    Cartesian3d,
}

/// Cross-sections.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawShape {
    /// Ellipse (lateral width x AP depth).
    Ellipse,
    /// Kidney (bean): ellipse with a posterior concavity.
    Kidney,
}

/// `[solver]`: steady or transient solve.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawSolver {
    /// "steady" (steady state) or "transient" (time integration; the only mode of a cord).
    mode: RawMode,
    /// Transient integrator of a disc: "implicit" (backward Euler + Newton) or "lod" (splitting,
    /// fast in 3-D). Not for a cord.
    #[schemars(extend("default" = "implicit"))]
    method: Option<RawMethod>,
    /// Simulated time, a time > 0 up to 100 years, e.g. "60 d". Required for transient.
    #[schemars(extend("examples" = ["60 d", "12 h"]))]
    end_time: Option<String>,
    /// Time step, a time > 0 and <= end_time, e.g. "6 h". Required for transient.
    #[schemars(extend("examples" = ["6 h", "30 min"]))]
    dt: Option<String>,
    /// Initial condition of a transient disc run: "steady" (baseline steady state) or
    /// "boundary" (every cell at the boundary values). Not for a cord.
    #[schemars(extend("default" = "steady"))]
    initial: Option<RawInitial>,
    /// Times of field snapshots, increasing, within [0, end_time], e.g. ["0 d", "30 d"].
    /// Default: [end_time]. Ignored in steady mode.
    output_times: Option<Vec<String>>,
    /// Relative residual tolerance of the Newton solvers (dimensionless), in (0, 1e-3].
    #[schemars(extend("default" = 1e-10, "exclusiveMinimum" = 0.0, "maximum" = 1e-3))]
    tolerance: Option<f64>,
    /// Largest sub-step of the carrier/payload engine, a time > 0 (default "1 h"); each solver
    /// step is split into sub-steps no longer than this.
    #[schemars(extend("default" = "1 h"))]
    delivery_dt: Option<String>,
    /// Newton iteration limit, 1 to 1000.
    #[schemars(range(min = 1, max = 1000), extend("default" = 50))]
    max_iterations: Option<u32>,
}

/// `[biology]`: coupling of the disc biology into a transient run.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawBiology {
    /// Couple the per-voxel disc biology (cells, matrix, inflammation, nerves, calcification)
    /// and the swelling mechanics into the run. Needs solver.mode = "transient".
    #[schemars(extend("default" = false))]
    enabled: Option<bool>,
    /// Largest biology reaction/diffusion sub-step, a time > 0 (default "6 h"); each solver
    /// step is split into sub-steps no longer than this.
    #[schemars(extend("default" = "6 h", "examples" = ["6 h", "2 h"]))]
    dt: Option<String>,
}

/// Solve modes.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawMode {
    /// Steady state.
    Steady,
    /// Time-dependent.
    Transient,
}

/// Transient integrators.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawMethod {
    /// Backward Euler with Newton.
    Implicit,
    /// Locally-one-dimensional splitting.
    Lod,
}

/// Initial conditions.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawInitial {
    /// Steady state of the baseline (no arm overrides).
    Steady,
    /// Every cell at the CEP boundary values.
    Boundary,
}

/// One `[[arm]]`: a treatment or control, with its own overrides.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawArm {
    /// Arm name, unique, 1 to 64 characters from A-Z a-z 0-9 _ - (used in file names).
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]{1,64}$"))]
    name: String,
    /// Free text.
    #[schemars(extend("default" = ""))]
    description: Option<String>,
    /// Role in the study design: "sham", "injury_only", "vehicle" (blank carrier) or
    /// "treatment" (default: "treatment" when the arm has treatments, else "sham").
    role: Option<RawRole>,
    /// Pfirrmann grade of this arm (overrides scenario.grade), 1 to 5. Disc only.
    #[schemars(range(min = 1, max = 5))]
    grade: Option<u8>,
    /// Parameter overrides of this arm, applied after the scenario-wide ones.
    parameters: Option<ParameterTable>,
    /// The injury model of this arm (disc or cord injury, by the scenario's tissue).
    injury: Option<RawInjury>,
    /// Injections into the disc, or doses given to the cord (zero or more `[[arm.treatment]]`
    /// tables).
    treatment: Option<Vec<RawTreatment>>,
}

/// One `[[arm.treatment]]`: a carrier (or a free bolus) with its payload, injected into the disc.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawTreatment {
    /// Carrier preset id (`nanospine carriers` lists them) or "none" for a free-drug bolus.
    carrier: String,
    /// Payload preset id (default: the carrier preset's payload; required for "none").
    payload: Option<String>,
    /// Dose: a mass (e.g. "10 ug") or an amount of substance (e.g. "1 nmol"), > 0; may be left
    /// out only when the treatment delivers `cells` (its payload then gets none).
    #[schemars(extend("examples" = ["10 ug", "1 nmol"]))]
    dose: Option<String>,
    /// Injection site in the disc: "np" (NP centre) or "af" (mid-height, mid-thickness
    /// annulus). Not for a cord (local cord injections go into the lesion epicentre).
    #[schemars(extend("default" = "np"))]
    site: Option<RawSite>,
    /// How the dose reaches the tissue: "local" (injection into the tissue; default, the only
    /// route of a disc), "intrathecal" (into the CSF) or "intravenous" (tail vein; uptake
    /// through the opened blood-spinal cord barrier). Cord routes: docs/cord.md.
    #[schemars(extend("default" = "local"))]
    route: Option<RawRoute>,
    /// Injected volume, 0 to 5000 uL, e.g. "2 uL"; must fit in the site's tissue.
    #[schemars(extend("examples" = ["2 uL"]))]
    volume: String,
    /// Injection time, >= 0, e.g. "0 d".
    #[schemars(extend("default" = "0 d"))]
    time: Option<String>,
    /// Mesenchymal stromal cells (MSCs) delivered with the carrier, a number of cells from 0 to
    /// 1e8 (default 0) and at most 2.1e5 per uL of `volume` (close packing); disc treatments of
    /// a run with `[biology] enabled = true` only (the cells act through the disc biology;
    /// docs/biology.md, "Delivered cells").
    #[schemars(extend("default" = 0, "examples" = [100000]))]
    cells: Option<f64>,
    /// Effective tissue concentration for the coverage read-outs (default: the payload preset's),
    /// a mass concentration ("10 ng/mL") or a molar one ("25 nM").
    effective_concentration: Option<String>,
    /// Carrier clearance half-life from the disc, replacing the preset's, e.g. "14 d".
    carrier_half_life: Option<String>,
    /// Payload loss half-life in tissue, replacing the preset's, e.g. "2 d".
    payload_half_life: Option<String>,
    /// Hindered-diffusion law for carrier and payload in the disc: "gu_annulus" (Gu 2004,
    /// porcine-AF fit; default), "gu_agarose" (Gu 2004, agarose fit) or "ogston" (random
    /// fibres). Not for a cord.
    #[schemars(extend("default" = "gu_annulus"))]
    hindrance: Option<RawHindrance>,
    /// Release law replacing the carrier preset's: `model`, `time_unit` and the model's
    /// parameters as numbers (docs/release-models.md lists models and parameters).
    release: Option<BTreeMap<String, RawReleaseValue>>,
    /// Mechanisms of action switched off for this treatment, each at most once (default none):
    /// "mechanical_support" (the carrier's modulus no longer shares the axial load),
    /// "ros_scavenging" (the carrier's nanozyme no longer scavenges H2O2), "payload" (the
    /// released payload has no biological action; it is still released and transported),
    /// "ccl2_trap" (the carrier no longer traps CCL2: its input to the cord biology is zero),
    /// "damp_scavenging" (the carrier no longer binds cell-free DNA), "cells" (the delivered
    /// MSCs are not given).
    #[schemars(extend("default" = [], "uniqueItems" = true))]
    disable: Option<Vec<RawMechanism>>,
}

/// Mechanisms of action of a treatment.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawMechanism {
    /// The carrier's modulus shares the axial load.
    MechanicalSupport,
    /// The carrier's nanozyme scavenges H2O2.
    RosScavenging,
    /// The released payload acts on the disc biology.
    Payload,
    /// The carrier traps CCL2 (cord biology).
    Ccl2Trap,
    /// The carrier binds cell-free CpG DNA, the injury's damage signal (disc biology).
    DampScavenging,
    /// The carrier's delivered MSCs (`cells`) engraft in the disc.
    Cells,
}

/// Dosing routes.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawRoute {
    /// Into the tissue.
    Local,
    /// Into the CSF.
    Intrathecal,
    /// Tail vein.
    Intravenous,
}

/// Hindered-diffusion laws.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawHindrance {
    /// Gu 2004, porcine-AF fit.
    GuAnnulus,
    /// Gu 2004, agarose fit.
    GuAgarose,
    /// Ogston random-fibre law.
    Ogston,
}

/// `[arm.injury]`: an injury model and its parameters.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawInjury {
    /// Disc: "needle_puncture" (gauge, penetration, time), "af_defect" (diameter, time),
    /// "endplate_sclerosis" (exchange_area), "ageing" (age) or "overload" (stress,
    /// hours_per_day, duration, time). Cord: "contusion" (device and its keys, time) or
    /// "compression" (ratio, time, rise_time, decompression, ischaemia).
    r#type: RawInjuryType,
    /// Contusion device: "impactor" (force), "weight_drop" (mass, height), "displacement"
    /// (displacement) or "severity" (severity; the only device of human_cervical) (contusion).
    device: Option<RawDevice>,
    /// Peak impact force, >= 0, e.g. "50 kdyn" (contusion, device = "impactor").
    #[schemars(extend("examples" = ["50 kdyn"]))]
    force: Option<String>,
    /// Rod mass, >= 0, e.g. "10 g" (contusion, device = "weight_drop"; rat only).
    #[schemars(extend("examples" = ["10 g"]))]
    mass: Option<String>,
    /// Drop height, >= 0, e.g. "12.5 mm" (contusion, device = "weight_drop"; rat only).
    #[schemars(extend("examples" = ["12.5 mm"]))]
    height: Option<String>,
    /// Cord displacement, >= 0 and below the cord's AP diameter, e.g. "0.5 mm" (contusion,
    /// device = "displacement").
    displacement: Option<String>,
    /// Epicentre severity, 0 to 1 (contusion, device = "severity").
    #[schemars(range(min = 0, max = 1))]
    severity: Option<f64>,
    /// Lost fraction of the cord diameter at full expansion, 0 < ratio < 1 (compression).
    #[schemars(extend("exclusiveMinimum" = 0.0, "exclusiveMaximum" = 1.0))]
    ratio: Option<f64>,
    /// Time constant of the first-order rise of the compression, >= 0 (default "0 s" =
    /// instant) (compression).
    #[schemars(extend("default" = "0 s"))]
    rise_time: Option<String>,
    /// Time of decompression, after `time` (default: never) (compression).
    decompression: Option<String>,
    /// Whether the compressed segment is ischaemic (default true) (compression).
    #[schemars(extend("default" = true))]
    ischaemia: Option<bool>,
    /// Needle gauge, 14 to 32 (needle_puncture).
    #[schemars(range(min = 14, max = 32))]
    gauge: Option<u32>,
    /// "full" (through the NP into the far annulus, default), "half" (to the NP centre) or
    /// "annulus" (annulus only) (needle_puncture).
    penetration: Option<RawPenetration>,
    /// Defect diameter, e.g. "1 mm" (af_defect).
    diameter: Option<String>,
    /// Remaining fraction of the CEP exchange area, 0 < x <= 1 (endplate_sclerosis).
    exchange_area: Option<f64>,
    /// Age of the animal at the start of the run, 0 < age <= 100 yr, e.g. "24 months" (ageing).
    age: Option<String>,
    /// Applied axial stress on top of the species' reference load, 0 < stress <= 10 MPa,
    /// e.g. "1.3 MPa" (overload).
    stress: Option<String>,
    /// Loaded hours per day, 0 < x <= 24 (default 24 = sustained) (overload).
    #[schemars(range(min = 0, max = 24))]
    hours_per_day: Option<f64>,
    /// Length of the loading period, > 0, e.g. "7 d" (overload).
    duration: Option<String>,
    /// Time of the injury, start of the overload or onset of the compression, >= 0
    /// (default "0 d").
    time: Option<String>,
}

/// Injury types.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawInjuryType {
    /// Needle puncture.
    NeedlePuncture,
    /// Annulus defect.
    AfDefect,
    /// Endplate sclerosis.
    EndplateSclerosis,
    /// An aged disc.
    Ageing,
    /// Axial overload.
    Overload,
    /// Spinal cord contusion (tissue = "cord").
    Contusion,
    /// Chronic spinal cord compression (tissue = "cord").
    Compression,
}

/// Contusion devices.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawDevice {
    /// Infinite Horizon impactor (force).
    Impactor,
    /// NYU/MASCIS weight drop (mass, height).
    WeightDrop,
    /// Displacement-controlled impactor (displacement).
    Displacement,
    /// The epicentre severity itself.
    Severity,
}

/// Needle depths.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawPenetration {
    /// Through the NP.
    Full,
    /// To the NP centre.
    Half,
    /// Annulus only.
    Annulus,
}

/// Arm roles.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawRole {
    /// Not injured, not treated.
    Sham,
    /// Injured, not treated.
    InjuryOnly,
    /// Blank carrier.
    Vehicle,
    /// Treated.
    Treatment,
}

/// Injection sites.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawSite {
    /// NP centre.
    Np,
    /// Annulus fibrosus.
    Af,
}

/// A value in `[arm.treatment.release]`: the model id and time unit are strings, parameters numbers.
#[derive(JsonSchema)]
#[serde(untagged)]
pub(crate) enum RawReleaseValue {
    /// `model` or `time_unit`.
    Text(String),
    /// A parameter value.
    Number(f64),
}

/// `[boundary]`: the CEP-vertebra supply condition.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawBoundary {
    /// "dirichlet" (blood concentration imposed on the open interface) or "robin" (flux through
    /// an interface with cep.mass_transfer_coefficient).
    #[schemars(extend("default" = "dirichlet"))]
    form: Option<RawBoundaryForm>,
    /// Where the interface stays open as cep.exchange_area falls: "central" (sealing advances from
    /// the CEP rim inwards), "peripheral" (from the centre outwards) or "uniform" (conductance x EA).
    #[schemars(extend("default" = "central"))]
    exchange_pattern: Option<RawPattern>,
}

/// Boundary forms.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawBoundaryForm {
    /// Dirichlet.
    Dirichlet,
    /// Robin.
    Robin,
}

/// Exchange-area patterns.
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
pub(crate) enum RawPattern {
    /// Open centre.
    Central,
    /// Open rim.
    Peripheral,
    /// Homogenised.
    Uniform,
}

/// `[outputs]`: what is written.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RawOutputs {
    /// Write VTK fields at solver.output_times.
    #[schemars(extend("default" = true))]
    fields: Option<bool>,
    /// Write SVG plots.
    #[schemars(extend("default" = true))]
    plots: Option<bool>,
    /// Interval of timeseries.csv rows, a time from dt to end_time (default: dt).
    #[schemars(extend("examples" = ["1 d"]))]
    timeseries_interval: Option<String>,
}

/// A table of parameter overrides; its schema (in `schema.rs`) lists the registry's names.
pub(crate) struct ParameterTable(BTreeMap<String, String>);
