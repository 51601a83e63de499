//! The scenario file contract in one place: accepted keys per table, accepted enum values and
//! the allowed ranges of the settings. The validator and the JSON Schema both read these (a test
//! checks that the schema matches them).

/// Top-level tables.
pub(crate) const ROOT_KEYS: &[&str] = &[
    "scenario",
    "grid",
    "boundary",
    "solver",
    "biology",
    "cord",
    "parameters",
    "arm",
    "outputs",
];
/// Keys of `[scenario]`.
pub(crate) const SCENARIO_KEYS: &[&str] = &["name", "description", "tissue", "species", "grade"];
/// Values of `scenario.tissue` (the ids of [`super::model::Tissue`]).
pub(crate) const TISSUES: &[&str] = &["disc", "cord"];
/// Keys of `[cord]` (only for `tissue = "cord"`).
pub(crate) const CORD_KEYS: &[&str] = &["axial_ends", "chemotaxis"];
/// Values of `cord.axial_ends` (the ids of [`super::model::AxialEnds`]).
pub(crate) const AXIAL_ENDS: &[&str] = &["no_flux", "continuation"];
/// Keys of `[grid]`.
pub(crate) const GRID_KEYS: &[&str] = &["kind", "spacing", "shape"];
/// Keys of `[boundary]`.
pub(crate) const BOUNDARY_KEYS: &[&str] = &["form", "exchange_pattern"];
/// Values of `boundary.form`.
pub(crate) const BOUNDARY_FORMS: &[&str] = &["dirichlet", "robin"];
/// Values of `boundary.exchange_pattern`.
pub(crate) const EXCHANGE_PATTERNS: &[&str] = &["central", "peripheral", "uniform"];
/// Keys of `[solver]`.
pub(crate) const SOLVER_KEYS: &[&str] = &[
    "mode",
    "method",
    "end_time",
    "dt",
    "initial",
    "output_times",
    "tolerance",
    "max_iterations",
    "delivery_dt",
];
/// Keys of each `[[arm]]`.
pub(crate) const ARM_KEYS: &[&str] = &[
    "name",
    "description",
    "role",
    "grade",
    "parameters",
    "injury",
    "treatment",
];
/// Keys of `[arm.injury]`.
pub(crate) const INJURY_KEYS: &[&str] = &[
    "type",
    "gauge",
    "penetration",
    "diameter",
    "exchange_area",
    "age",
    "stress",
    "hours_per_day",
    "duration",
    "time",
];
/// Keys of `[arm.injury]` for a cord contusion (`type = "contusion"`).
pub(crate) const CONTUSION_KEYS: &[&str] = &[
    "type",
    "device",
    "force",
    "mass",
    "height",
    "displacement",
    "severity",
    "time",
];
/// Keys of `[arm.injury]` for a cord compression (`type = "compression"`).
pub(crate) const COMPRESSION_KEYS: &[&str] = &[
    "type",
    "ratio",
    "time",
    "rise_time",
    "decompression",
    "ischaemia",
];
/// Values of `arm.injury.type` for `tissue = "cord"`.
pub(crate) const CORD_INJURY_TYPES: &[&str] = &["contusion", "compression"];
/// Values of `arm.injury.device` of a contusion.
pub(crate) const DEVICES: &[&str] = &["impactor", "weight_drop", "displacement", "severity"];

/// The keys a contusion device takes (every one required): `force` (impactor), `mass` and
/// `height` (weight_drop), `displacement`, `severity`; none for an unknown device.
pub(crate) fn device_keys(device: &str) -> &'static [&'static str] {
    match device {
        "impactor" => &["force"],
        "weight_drop" => &["mass", "height"],
        "displacement" => &["displacement"],
        "severity" => &["severity"],
        _ => &[],
    }
}
/// Values of `arm.injury.type` for `tissue = "disc"`.
pub(crate) const INJURY_TYPES: &[&str] = &[
    "needle_puncture",
    "af_defect",
    "endplate_sclerosis",
    "ageing",
    "overload",
];
/// Allowed `arm.injury.age` of an ageing injury (s), exclusive of 0: up to 100 years.
/// assumption: longer than any species' life (the age is also checked against the species'
/// lifespan by the disease stage, which caps the ageing index at 1).
pub(crate) const AGE_MAX_S: f64 = 100.0 * 31_557_600.0;
/// Allowed `arm.injury.stress` of an overload (MPa), exclusive of 0. assumption: 10 MPa is
/// several times the highest intradiscal pressure measured in vivo (2.3 MPa lifting, Wilke
/// 1999) and above any loading-device study; larger values are unit slips.
pub(crate) const OVERLOAD_STRESS_MAX_MPA: f64 = 10.0;
/// Values of `arm.injury.penetration`.
pub(crate) const PENETRATIONS: &[&str] = &["full", "half", "annulus"];
/// Values of `arm.role` (the arm's place in a study design).
pub(crate) const ROLES: &[&str] = &["sham", "injury_only", "vehicle", "treatment"];
/// Keys of each `[[arm.treatment]]`.
pub(crate) const TREATMENT_KEYS: &[&str] = &[
    "carrier",
    "payload",
    "dose",
    "site",
    "volume",
    "time",
    "effective_concentration",
    "carrier_half_life",
    "payload_half_life",
    "hindrance",
    "release",
    "disable",
    "route",
    "cells",
];
/// Values of `arm.treatment.route` (the ids of [`crate::delivery::route::Route`]).
pub(crate) const ROUTES: &[&str] = &["local", "intrathecal", "intravenous"];
/// Values of `arm.treatment.hindrance` (the hindered-diffusion law, `carriers::HindranceLaw`).
pub(crate) const HINDRANCE_LAWS: &[&str] = &["gu_annulus", "gu_agarose", "ogston"];
/// Values of `arm.treatment.site`.
pub(crate) const SITES: &[&str] = &["np", "af"];
/// Keys of `[outputs]`.
pub(crate) const OUTPUT_KEYS: &[&str] = &["fields", "plots", "timeseries_interval"];
/// Keys of `[biology]`.
pub(crate) const BIOLOGY_KEYS: &[&str] = &["enabled", "dt"];
/// Values of `arm.treatment.disable` (the ids of [`super::model::Mechanism`]).
pub(crate) const MECHANISMS: &[&str] = &[
    "mechanical_support",
    "ros_scavenging",
    "payload",
    "ccl2_trap",
    "damp_scavenging",
    "cells",
];

/// Settings tables with fixed keys, for "this key belongs in another table" hints.
pub(crate) const SETTING_TABLES: &[(&str, &[&str])] = &[
    ("scenario", SCENARIO_KEYS),
    ("grid", GRID_KEYS),
    ("boundary", BOUNDARY_KEYS),
    ("solver", SOLVER_KEYS),
    ("outputs", OUTPUT_KEYS),
    ("biology", BIOLOGY_KEYS),
    ("cord", CORD_KEYS),
];

/// Presets accepted in `scenario.species` of a cord (`cord.<preset>.*` in the registry).
pub(crate) use crate::anatomy::cord::CORD_PRESETS;
/// Species/level presets accepted in `scenario.species` of a disc (the anatomy presets).
pub use crate::anatomy::PRESETS as SPECIES;
/// Values of `grid.kind`.
pub(crate) const GRID_KINDS: &[&str] = &["axisymmetric", "cartesian3d"];
/// Values of `grid.shape`.
pub(crate) const SHAPES: &[&str] = &["ellipse", "kidney"];
/// Values of `solver.mode`.
pub(crate) const MODES: &[&str] = &["steady", "transient"];
/// Values of `solver.method`.
pub(crate) const METHODS: &[&str] = &["implicit", "lod"];
/// Values of `solver.initial`.
pub(crate) const INITIALS: &[&str] = &["steady", "boundary"];

/// Pfirrmann grades (Pfirrmann et al. 2001, Spine 26:1873: grades I..V).
pub(crate) const GRADE_RANGE: (i64, i64) = (1, 5);
/// Allowed grid spacing (mm), inclusive. assumption: below 1 um the continuum model is
/// meaningless for tissue; above 5 mm a disc (height 1..15 mm) has fewer than 3 cells.
pub(crate) const SPACING_MM: (f64, f64) = (0.001, 5.0);
/// Largest end time (s): 100 years (36525 d). assumption: longer than any disc's life.
pub(crate) const MAX_END_TIME_S: f64 = 36525.0 * 86400.0;
/// Largest number of time steps end_time / dt. assumption: a guard against unit slips
/// (e.g. "6 s" for "6 h") that would make a run take days.
pub(crate) const MAX_STEPS: f64 = 1.0e7;
/// Allowed Newton tolerance: (0, 1e-3] (dimensionless; the brief's contract).
pub(crate) const MAX_TOLERANCE: f64 = 1e-3;
/// Default largest sub-step of the delivery engine (s): 1 h. assumption: resolves the
/// hours-long clearance of a free small-molecule bolus from a rodent disc.
pub(crate) const DEFAULT_DELIVERY_DT_S: f64 = 3600.0;
/// Default largest sub-step of the disc biology (cells, matrix, inflammation, nerves,
/// calcification; s): 6 h. assumption: the fastest biological processes resolved (cytokine
/// and macrophage responses) act over hours to days, so a 6 h step resolves them while a
/// 60-day run needs only 240 biology steps.
pub(crate) const DEFAULT_BIOLOGY_DT_S: f64 = 6.0 * 3600.0;
/// Default Newton tolerance (dimensionless).
pub(crate) const DEFAULT_TOLERANCE: f64 = 1e-10;
/// Allowed Newton iteration limit, inclusive.
pub(crate) const MAX_ITERATIONS_RANGE: (i64, i64) = (1, 1000);
/// Default Newton iteration limit.
pub(crate) const DEFAULT_MAX_ITERATIONS: usize = 50;
/// Longest arm name (characters). assumption: keeps output file names short.
pub(crate) const ARM_NAME_MAX: usize = 64;
/// Name of the single arm of a scenario without `[[arm]]`.
pub(crate) const DEFAULT_ARM: &str = "baseline";

/// True for a unit string that means "dimensionless".
pub(crate) fn is_dimensionless(unit: &str) -> bool {
    let u = unit.trim();
    u.is_empty() || u == "1" || u == "-"
}
