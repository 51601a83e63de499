//! From TOML text to a validated [`Scenario`], collecting every error.

use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

use super::cord::{reject, reject_disc_only};
use super::errors::{ScenarioError, ScenarioErrors};
use super::format::*;
use super::model::*;
use super::overrides::read_table;
use super::reader::{Ctx, Got, Quantity, Section};
use super::resolved::fmt_num;
use crate::grid::GridKind;
use crate::params::Registry;

/// Relative slack when comparing times that may come from different units (e.g. "1440 h" vs
/// "60 d"), so that equal times written differently compare equal.
const TIME_SLACK: f64 = 1e-9;

/// Parses and validates a scenario file (TOML text; format in the crate docs and
/// `nanospine schema`). Quantities are converted to model units (mm, s, mM, kPa); parameter
/// overrides are checked against `registry` (name, unit dimension, bounds) and converted to
/// the registry unit of each parameter. Reports every error found, each with its dotted key,
/// 1-based line and column, the offending value, what is allowed and, for near misses, a
/// suggestion. TOML syntax errors (key `syntax`) are reported alone, since a broken file cannot
/// be checked further.
pub fn parse(text: &str, registry: &Registry) -> Result<Scenario, ScenarioErrors> {
    let (doc, syntax) = DeTable::parse_recoverable(text);
    let mut ctx = Ctx::new(text, registry);
    if !syntax.is_empty() {
        for err in syntax {
            let span = err.span().unwrap_or(0..0);
            ctx.report(
                span,
                ScenarioError::new("syntax", err.message().trim().to_string()),
            );
        }
        return Err(finish(ctx));
    }
    let root = Section {
        table: doc.get_ref(),
        path: String::new(),
        at: 0..0,
    };
    let scenario = read_document(&mut ctx, &root, text);
    if ctx.errors.is_empty() {
        Ok(scenario)
    } else {
        Err(finish(ctx))
    }
}

/// Sorts the collected errors into file order.
fn finish(ctx: Ctx<'_>) -> ScenarioErrors {
    let mut errors = ctx.errors;
    errors.sort_by_key(|e| (e.line, e.column));
    ScenarioErrors(errors)
}

/// Reads every table; wrong values fall back to placeholders (the caller discards the result
/// when errors were reported).
fn read_document(ctx: &mut Ctx<'_>, root: &Section<'_, '_>, text: &str) -> Scenario {
    root.check_keys(ctx, ROOT_KEYS);
    let mut head = read_head(ctx, root);
    let tissue = head.tissue;
    let cord = tissue == Tissue::Cord;
    let grid = read_grid(ctx, root, tissue);
    let boundary = if cord {
        reject_disc_only(ctx, root, "boundary", "[boundary]");
        BoundarySpec::default()
    } else {
        read_boundary(ctx, root)
    };
    let (solver, dt) = read_solver(ctx, root, tissue);
    let biology = if cord {
        reject_disc_only(ctx, root, "biology", "[biology]");
        BiologySpec::default()
    } else {
        super::biology::read_biology(ctx, root)
    };
    head.biology_on = biology.enabled;
    let cord_spec = super::cord::read_cord(ctx, root, tissue);
    let outputs = read_outputs(ctx, root, &solver, dt);
    let parameters = match root.get("parameters") {
        Some((_, item)) => read_table(ctx, item, "parameters"),
        None => Vec::new(),
    };
    let arms = read_arms(ctx, root, &head);
    Scenario {
        name: head.name,
        description: head.description,
        tissue,
        species: head.species,
        grade: head.grade,
        grid,
        boundary,
        cord: cord_spec,
        solver,
        biology,
        parameters,
        arms,
        outputs,
        source_text: text.to_string(),
    }
}

/// What `[scenario]` says.
struct Head {
    /// Title.
    name: String,
    /// Free text.
    description: String,
    /// The tissue simulated.
    tissue: Tissue,
    /// Species preset (empty after an error).
    species: String,
    /// Pfirrmann grade (0 for a cord).
    grade: u8,
    /// Whether the disc biology is coupled (`[biology] enabled`; set after `[biology]` is read).
    biology_on: bool,
}

/// `[scenario]`: name, description, tissue, species, grade (required for a disc, not allowed
/// for a cord, whose grade is 0).
fn read_head(ctx: &mut Ctx<'_>, root: &Section<'_, '_>) -> Head {
    let Some(sec) = root.table(ctx, "scenario", true) else {
        return Head {
            name: String::new(),
            description: String::new(),
            tissue: Tissue::Disc,
            species: String::new(),
            grade: 1,
            biology_on: false,
        };
    };
    sec.check_keys(ctx, SCENARIO_KEYS);
    let name = match sec.string(ctx, "name") {
        Got::Value((n, span)) if n.trim().is_empty() => {
            ctx.report(
                span,
                ScenarioError::new(sec.key("name"), "must not be empty"),
            );
            String::new()
        }
        Got::Value((n, _)) => n,
        Got::Absent => {
            sec.missing(ctx, "name", "a title string");
            String::new()
        }
        Got::Invalid => String::new(),
    };
    let description = sec
        .string(ctx, "description")
        .ok()
        .map(|d| d.0)
        .unwrap_or_default();
    let tissue = super::cord::read_tissue(ctx, &sec);
    let species = super::cord::read_species(ctx, &sec, tissue);
    let grade = match tissue {
        Tissue::Disc => required_grade(ctx, &sec),
        Tissue::Cord => {
            reject_disc_only(ctx, &sec, "grade", "`grade`");
            0
        }
    };
    Head {
        name,
        description,
        tissue,
        species,
        grade,
        biology_on: false,
    }
}

/// The required `grade` of `[scenario]`.
fn required_grade(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>) -> u8 {
    match sec.integer(ctx, "grade", GRADE_RANGE) {
        Got::Value(g) => u8::try_from(g).unwrap_or(1),
        Got::Absent => {
            sec.missing(ctx, "grade", "Pfirrmann grade 1..=5");
            1
        }
        Got::Invalid => 1,
    }
}

/// `[grid]`: kind, spacing, shape (not for a cord).
fn read_grid(ctx: &mut Ctx<'_>, root: &Section<'_, '_>, tissue: Tissue) -> GridSpec {
    let mut spec = GridSpec {
        kind: GridKind::Axisymmetric,
        spacing_mm: 0.0,
        shape: Shape::Ellipse,
    };
    let Some(sec) = root.table(ctx, "grid", true) else {
        return spec;
    };
    sec.check_keys(ctx, GRID_KEYS);
    let kind = sec.choice(ctx, "kind", GRID_KINDS);
    match kind {
        Got::Value(k) => spec.kind = grid_kind(k),
        Got::Absent => sec.missing(ctx, "kind", &GRID_KINDS.join(", ")),
        Got::Invalid => {}
    }
    let range = format!(
        "{} mm to {} mm",
        fmt_num(SPACING_MM.0),
        fmt_num(SPACING_MM.1)
    );
    match sec.quantity(ctx, "spacing", "mm", "0.25 mm") {
        Got::Value(q) if !(q.value >= SPACING_MM.0 && q.value <= SPACING_MM.1) => {
            let e = ScenarioError::new(sec.key("spacing"), "cell size out of range")
                .with_value(q.text)
                .with_allowed(range);
            ctx.report(q.span, e);
        }
        Got::Value(q) => spec.spacing_mm = q.value,
        Got::Absent => sec.missing(ctx, "spacing", &format!("a length, {range}")),
        Got::Invalid => {}
    }
    if tissue == Tissue::Cord {
        reject(
            ctx,
            &sec,
            "shape",
            "`shape` applies to tissue = \"disc\" only",
            "omit `shape` for tissue = \"cord\" (the cord cross-section comes from its preset)",
        );
        return spec;
    }
    let shape = sec.choice(ctx, "shape", SHAPES);
    if let (Got::Value(_), Got::Value("axisymmetric")) = (&shape, &kind) {
        if let Some((kspan, _)) = sec.get("shape") {
            let e = ScenarioError::new(
                sec.key("shape"),
                "shape applies to kind = \"cartesian3d\" only",
            )
            .with_allowed("omit `shape` for an axisymmetric grid (its cross-section is a circle)");
            ctx.report(kspan, e);
        }
    }
    if let Got::Value(s) = shape {
        spec.shape = if s == "kidney" {
            Shape::Kidney
        } else {
            Shape::Ellipse
        };
    }
    spec
}

/// `[boundary]`: form, exchange_pattern (optional table; defaults Dirichlet, central).
fn read_boundary(ctx: &mut Ctx<'_>, root: &Section<'_, '_>) -> BoundarySpec {
    let mut spec = BoundarySpec::default();
    let Some(sec) = root.table(ctx, "boundary", false) else {
        return spec;
    };
    sec.check_keys(ctx, BOUNDARY_KEYS);
    if let Got::Value(f) = sec.choice(ctx, "form", BOUNDARY_FORMS) {
        spec.form = if f == "robin" {
            BoundaryForm::Robin
        } else {
            BoundaryForm::Dirichlet
        };
    }
    if let Got::Value(p) = sec.choice(ctx, "exchange_pattern", EXCHANGE_PATTERNS) {
        spec.pattern = match p {
            "peripheral" => ExchangePattern::Peripheral,
            "uniform" => ExchangePattern::Uniform,
            _ => ExchangePattern::Central,
        };
    }
    spec
}

/// The grid kind of an accepted `grid.kind` value.
fn grid_kind(k: &str) -> GridKind {
    if k == "cartesian3d" {
        GridKind::Cartesian3d
    } else {
        GridKind::Axisymmetric
    }
}

/// `[solver]`. Returns the settings and, for a valid transient run, dt (s) for the default
/// timeseries interval. Transient-only keys are checked in steady mode too, but then stored as
/// zero / empty. A cord runs transient only and has no `method` or `initial`.
fn read_solver(
    ctx: &mut Ctx<'_>,
    root: &Section<'_, '_>,
    tissue: Tissue,
) -> (SolverSpec, Option<f64>) {
    let mut spec = SolverSpec {
        mode: Mode::Steady,
        method: Method::Implicit,
        end_time_s: 0.0,
        dt_s: 0.0,
        delivery_dt_s: DEFAULT_DELIVERY_DT_S,
        initial: Initial::Steady,
        output_times_s: Vec::new(),
        tolerance: DEFAULT_TOLERANCE,
        max_iterations: DEFAULT_MAX_ITERATIONS,
    };
    let Some(sec) = root.table(ctx, "solver", true) else {
        return (spec, None);
    };
    sec.check_keys(ctx, SOLVER_KEYS);
    let transient = match sec.choice(ctx, "mode", MODES) {
        Got::Value(m) => {
            spec.mode = if m == "transient" {
                Mode::Transient
            } else {
                Mode::Steady
            };
            Some(m == "transient")
        }
        Got::Absent => {
            sec.missing(ctx, "mode", &MODES.join(", "));
            None
        }
        Got::Invalid => None,
    };
    let transient = if tissue == Tissue::Cord {
        read_cord_solver(ctx, &sec, transient);
        // a cord is always transient: its times are required and checked as such
        spec.mode = Mode::Transient;
        Some(true)
    } else {
        read_disc_solver(ctx, &sec, &mut spec);
        transient
    };
    let times = read_times(ctx, &sec, transient == Some(true));
    if let Got::Value((t, span)) = sec.number(ctx, "tolerance") {
        if t > 0.0 && t <= MAX_TOLERANCE {
            spec.tolerance = t;
        } else {
            let e = ScenarioError::new(sec.key("tolerance"), "out of range")
                .with_value(fmt_num(t))
                .with_allowed(format!("0 < tolerance <= {}", fmt_num(MAX_TOLERANCE)));
            ctx.report(span, e);
        }
    }
    if let Got::Value(n) = sec.integer(ctx, "max_iterations", MAX_ITERATIONS_RANGE) {
        spec.max_iterations = usize::try_from(n).unwrap_or(DEFAULT_MAX_ITERATIONS);
    }
    if let Got::Value(q) = sec.quantity(ctx, "delivery_dt", "s", "1 h") {
        if q.value > 0.0 && q.value <= MAX_END_TIME_S {
            spec.delivery_dt_s = q.value;
        } else {
            let e = ScenarioError::new(sec.key("delivery_dt"), "out of range")
                .with_value(q.text)
                .with_allowed("a time > 0 s");
            ctx.report(q.span, e);
        }
    }
    if transient == Some(true) {
        let (end, dt, out) = times;
        spec.end_time_s = end.unwrap_or(0.0);
        spec.dt_s = dt.unwrap_or(0.0);
        spec.output_times_s = out.unwrap_or_else(|| end.into_iter().collect());
        return (spec, dt);
    }
    (spec, None)
}

/// `method` and `initial` of a disc's `[solver]`.
fn read_disc_solver(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>, spec: &mut SolverSpec) {
    if let Got::Value(m) = sec.choice(ctx, "method", METHODS) {
        spec.method = if m == "lod" {
            Method::Lod
        } else {
            Method::Implicit
        };
    }
    if let Got::Value(i) = sec.choice(ctx, "initial", INITIALS) {
        spec.initial = if i == "boundary" {
            Initial::Boundary
        } else {
            Initial::Steady
        };
    }
}

/// The cord checks of `[solver]`: the mode (`transient` as read: `Some(true)` for
/// "transient") must be "transient"; `method` and `initial` are not used by the cord.
fn read_cord_solver(ctx: &mut Ctx<'_>, sec: &Section<'_, '_>, transient: Option<bool>) {
    if transient == Some(false) {
        if let Some((_, item)) = sec.get("mode") {
            let e = ScenarioError::new(
                sec.key("mode"),
                "tissue = \"cord\" runs transient only (the injury evolves in time)",
            )
            .with_value(ctx.shown(item))
            .with_allowed("transient");
            ctx.report(item.span(), e);
        }
    }
    for name in ["method", "initial"] {
        reject(
            ctx,
            sec,
            name,
            &format!("`{name}` is not used by tissue = \"cord\""),
            &format!("omit `{name}` for tissue = \"cord\""),
        );
    }
}

/// end_time, dt and output_times of `[solver]` (s), each `None` when absent or invalid.
/// Missing end_time/dt are errors only when `transient`; range checks against end_time only
/// apply then.
fn read_times(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    transient: bool,
) -> (Option<f64>, Option<f64>, Option<Vec<f64>>) {
    let max_end = format!(
        "0 s < end_time <= {} s (100 years)",
        fmt_num(MAX_END_TIME_S)
    );
    let end = positive_time(
        ctx,
        sec,
        "end_time",
        "60 d",
        MAX_END_TIME_S,
        &max_end,
        transient,
    );
    let dt = positive_time(ctx, sec, "dt", "6 h", MAX_END_TIME_S, "dt > 0 s", transient);
    let (Some(end_q), Some(dt_q)) = (&end, &dt) else {
        let out = read_output_times(ctx, sec, None);
        return (end.map(|q| q.value), dt.map(|q| q.value), out);
    };
    let mut dt_ok = true;
    if transient && dt_q.value > end_q.value * (1.0 + TIME_SLACK) {
        let e = ScenarioError::new(sec.key("dt"), "time step longer than end_time")
            .with_value(dt_q.text.clone())
            .with_allowed(format!("0 s < dt <= end_time (\"{}\")", end_q.text));
        ctx.report(dt_q.span.clone(), e);
        dt_ok = false;
    } else if transient && end_q.value / dt_q.value > MAX_STEPS {
        let e = ScenarioError::new(
            sec.key("dt"),
            format!("too many time steps ({:.3e})", end_q.value / dt_q.value),
        )
        .with_value(dt_q.text.clone())
        .with_allowed(format!("end_time / dt <= {}", fmt_num(MAX_STEPS)));
        ctx.report(dt_q.span.clone(), e);
        dt_ok = false;
    }
    let out = read_output_times(ctx, sec, transient.then_some(end_q));
    (Some(end_q.value), dt_ok.then_some(dt_q.value), out)
}

/// A time > 0 and <= `max` (s) at `name`; reports it missing when `required`.
fn positive_time(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    name: &str,
    example: &str,
    max: f64,
    allowed: &str,
    required: bool,
) -> Option<Quantity> {
    match sec.quantity(ctx, name, "s", example) {
        Got::Value(q) if q.value > 0.0 && q.value <= max => Some(q),
        Got::Value(q) => {
            let e = ScenarioError::new(sec.key(name), "out of range")
                .with_value(q.text)
                .with_allowed(allowed);
            ctx.report(q.span, e);
            None
        }
        Got::Absent if required => {
            sec.missing(
                ctx,
                name,
                &format!("a time, e.g. \"{example}\" (required for mode = \"transient\")"),
            );
            None
        }
        _ => None,
    }
}

/// `output_times`: strictly increasing times within [0, end_time] (when `end` is known).
fn read_output_times(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    end: Option<&Quantity>,
) -> Option<Vec<f64>> {
    let (_, item) = sec.get("output_times")?;
    let DeValue::Array(items) = item.get_ref() else {
        ctx.wrong_type(
            &sec.key("output_times"),
            item,
            "an array of times, e.g. [\"0 d\", \"30 d\"]",
        );
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    let mut prev: Option<f64> = None;
    for (i, it) in items.iter().enumerate() {
        let key = format!("{}[{i}]", sec.key("output_times"));
        let Got::Value(q) = super::reader::quantity_item(ctx, &key, it, "s", "30 d") else {
            ok = false;
            continue;
        };
        let limit = end
            .map(|e| e.value * (1.0 + TIME_SLACK))
            .unwrap_or(f64::INFINITY);
        if !(q.value >= 0.0 && q.value <= limit) {
            let allowed = match end {
                Some(e) => format!("0 s to end_time (\"{}\")", e.text),
                None => "times >= 0 s".to_string(),
            };
            let e = ScenarioError::new(key, "output time outside the run")
                .with_value(q.text)
                .with_allowed(allowed);
            ctx.report(q.span, e);
            ok = false;
            continue;
        }
        if prev.is_some_and(|p| q.value <= p) {
            let e = ScenarioError::new(key, "output times must be strictly increasing")
                .with_value(q.text)
                .with_allowed("each time later than the one before");
            ctx.report(q.span, e);
            ok = false;
        }
        prev = Some(q.value);
        out.push(q.value);
    }
    ok.then_some(out)
}

/// `[outputs]`. `dt` is the valid transient time step, if any (default interval).
fn read_outputs(
    ctx: &mut Ctx<'_>,
    root: &Section<'_, '_>,
    solver: &SolverSpec,
    dt: Option<f64>,
) -> OutputSpec {
    let transient = solver.mode == Mode::Transient;
    let mut spec = OutputSpec {
        fields: true,
        plots: true,
        timeseries_interval_s: if transient { dt.unwrap_or(0.0) } else { 0.0 },
    };
    let Some(sec) = root.table(ctx, "outputs", false) else {
        return spec;
    };
    sec.check_keys(ctx, OUTPUT_KEYS);
    if let Got::Value(b) = sec.boolean(ctx, "fields") {
        spec.fields = b;
    }
    if let Got::Value(b) = sec.boolean(ctx, "plots") {
        spec.plots = b;
    }
    if let Got::Value(q) = sec.quantity(ctx, "timeseries_interval", "s", "1 d") {
        let end = solver.end_time_s * (1.0 + TIME_SLACK);
        let lo = dt.unwrap_or(0.0) * (1.0 - TIME_SLACK);
        let bad_positive = q.value.is_nan() || q.value <= 0.0;
        let bad_transient = transient && dt.is_some() && !(q.value >= lo && q.value <= end);
        if bad_positive || bad_transient {
            let allowed = if transient {
                "dt <= timeseries_interval <= end_time"
            } else {
                "a time > 0 s"
            };
            let e = ScenarioError::new(sec.key("timeseries_interval"), "out of range")
                .with_value(q.text)
                .with_allowed(allowed);
            ctx.report(q.span, e);
        } else if transient {
            spec.timeseries_interval_s = q.value;
        }
    }
    spec
}

/// `[[arm]]`: zero or more arms; none gives the single arm "baseline".
fn read_arms(ctx: &mut Ctx<'_>, root: &Section<'_, '_>, head: &Head) -> Vec<Arm> {
    let baseline = || Arm {
        name: DEFAULT_ARM.to_string(),
        description: String::new(),
        role: ArmRole::Sham,
        injury: None,
        cord_injury: None,
        grade: None,
        parameters: Vec::new(),
        treatments: Vec::new(),
    };
    let Some((kspan, item)) = root.get("arm") else {
        return vec![baseline()];
    };
    let DeValue::Array(items) = item.get_ref() else {
        ctx.wrong_type(
            "arm",
            item,
            "an array of tables (write each arm as [[arm]])",
        );
        return vec![baseline()];
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut arms = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let path = format!("arm[{i}]");
        let DeValue::Table(t) = it.get_ref() else {
            ctx.wrong_type(&path, it, "a table (write each arm as [[arm]])");
            continue;
        };
        let at = if it.span().is_empty() {
            kspan.clone()
        } else {
            it.span()
        };
        let sec = Section { table: t, path, at };
        if let Some(arm) = read_arm(ctx, &sec, &mut seen, head) {
            arms.push(arm);
        }
    }
    if items.is_empty() {
        arms.push(baseline());
    }
    arms
}

/// One `[[arm]]` table; `seen` maps arm names to the line of their first use.
fn read_arm(
    ctx: &mut Ctx<'_>,
    sec: &Section<'_, '_>,
    seen: &mut HashMap<String, usize>,
    head: &Head,
) -> Option<Arm> {
    sec.check_keys(ctx, ARM_KEYS);
    let allowed = format!("1 to {ARM_NAME_MAX} characters from A-Z a-z 0-9 _ -, unique");
    let name = match sec.string(ctx, "name") {
        Got::Value((n, span)) => {
            let valid = !n.is_empty()
                && n.chars().count() <= ARM_NAME_MAX
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            let line = ctx.lines.locate(span.start).0;
            if !valid {
                let e = ScenarioError::new(
                    sec.key("name"),
                    "invalid arm name (it is used in file names)",
                )
                .with_value(n.clone())
                .with_allowed(allowed);
                ctx.report(span, e);
            } else if let Some(first) = seen.get(&n) {
                let e = ScenarioError::new(
                    sec.key("name"),
                    format!("duplicate arm name (first used on line {first})"),
                )
                .with_value(n.clone())
                .with_allowed(allowed);
                ctx.report(span, e);
            } else {
                seen.insert(n.clone(), line);
            }
            n
        }
        Got::Absent => {
            sec.missing(ctx, "name", &allowed);
            String::new()
        }
        Got::Invalid => String::new(),
    };
    let description = sec
        .string(ctx, "description")
        .ok()
        .map(|d| d.0)
        .unwrap_or_default();
    let grade = match head.tissue {
        Tissue::Disc => sec
            .integer(ctx, "grade", GRADE_RANGE)
            .map(|g| u8::try_from(g).unwrap_or(1))
            .ok(),
        Tissue::Cord => {
            reject_disc_only(ctx, sec, "grade", "`grade`");
            None
        }
    };
    let parameters = match sec.get("parameters") {
        Some((_, item)) => read_table(ctx, item, &sec.key("parameters")),
        None => Vec::new(),
    };
    let treatments = super::treatment::read_treatments(ctx, sec, head.tissue, head.biology_on);
    let (injury, cord_injury) = match sec.table(ctx, "injury", false) {
        Some(t) => super::cord_injury::read_arm_injury(ctx, &t, head.tissue, &head.species),
        None => (None, None),
    };
    let role = match sec.choice(ctx, "role", ROLES) {
        Got::Value("sham") => ArmRole::Sham,
        Got::Value("injury_only") => ArmRole::InjuryOnly,
        Got::Value("vehicle") => ArmRole::Vehicle,
        Got::Value(_) => ArmRole::Treatment,
        _ if treatments.is_empty() => ArmRole::Sham,
        _ => ArmRole::Treatment,
    };
    Some(Arm {
        name,
        description,
        role,
        injury,
        cord_injury,
        grade,
        parameters,
        treatments,
    })
}
