//! `scenario.resolved.toml`: the scenario as run, every setting explicit, for provenance.

use std::fmt::Write as _;

use super::format::is_dimensionless;
use super::model::{
    Arm, BoundaryForm, Concentration, DoseAmount, ExchangePattern, Initial, Method, Mode, Override,
    Scenario, Shape, Tissue, Treatment,
};
use super::reader::join;
use crate::grid::GridKind;

/// One parameter an arm used: registry name, value in `unit`, unit.
pub type UsedParameter = (String, f64, String);

/// An arm's name and every parameter it used.
pub type ArmParameters = (String, Vec<UsedParameter>);

/// Formats a number so that Rust parses it back to the same f64: plain decimals for
/// magnitudes in [1e-5, 1e15), exponent form otherwise (both are shortest round-trip forms).
pub(crate) fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 || !v.is_finite() || (1e-5..1e15).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// A TOML basic string literal (quoted, escaped).
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key (bare when possible).
fn toml_key(k: &str) -> String {
    join("", k)
}

/// A time in seconds, with a day or hour reading as a trailing comment when exact.
fn time(s: f64) -> String {
    let q = toml_str(&format!("{} s", fmt_num(s)));
    for (unit, len) in [("d", 86400.0), ("h", 3600.0)] {
        let n = s / len;
        if s >= len && n.fract() == 0.0 {
            return format!("{q}  # {} {unit}", fmt_num(n));
        }
    }
    q
}

/// Writes the resolved scenario: every setting explicit with units (lengths in mm, times in s),
/// the scenario-wide overrides as written, and for each arm the parameters it actually used.
///
/// `per_arm_parameters` lists, per arm name, every registry parameter used by that arm as
/// `(name, value, unit)` with the value in that unit. These become the arm's `[arm.parameters]`
/// (bare numbers for dimensionless ones), so the file pins the values even if the registry
/// changes; arms not listed keep their own overrides. Parsing the result with
/// [`super::parse`] gives the same settings, and every arm the same effective parameters.
pub fn resolved_toml(s: &Scenario, per_arm_parameters: &[ArmParameters]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# scenario.resolved.toml: written by nanospine {}: every setting explicit;\n\
         # each arm lists every parameter it used (registry value or override), in registry units.\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(o, "[scenario]");
    let _ = writeln!(o, "name = {}", toml_str(&s.name));
    let _ = writeln!(o, "description = {}", toml_str(&s.description));
    let _ = writeln!(o, "tissue = \"{}\"", s.tissue.id());
    let _ = writeln!(o, "species = {}", toml_str(&s.species));
    let cord = s.tissue == Tissue::Cord;
    if !cord {
        let _ = writeln!(o, "grade = {}", s.grade);
    }
    o.push('\n');

    let _ = writeln!(o, "[grid]");
    let kind = match s.grid.kind {
        GridKind::Axisymmetric => "axisymmetric",
        GridKind::Cartesian3d => "cartesian3d",
    };
    let _ = writeln!(o, "kind = \"{kind}\"");
    let _ = writeln!(
        o,
        "spacing = {}",
        toml_str(&format!("{} mm", fmt_num(s.grid.spacing_mm)))
    );
    if s.grid.kind == GridKind::Cartesian3d && !cord {
        let shape = match s.grid.shape {
            Shape::Ellipse => "ellipse",
            Shape::Kidney => "kidney",
        };
        let _ = writeln!(o, "shape = \"{shape}\"");
    }
    o.push('\n');

    if cord {
        let _ = writeln!(o, "[cord]");
        let _ = writeln!(o, "axial_ends = \"{}\"", s.cord.axial_ends.id());
        let _ = writeln!(o, "chemotaxis = {}\n", s.cord.chemotaxis);
    } else {
        write_boundary(&mut o, s);
    }

    write_solver(&mut o, s);

    if !cord {
        let _ = writeln!(o, "[biology]");
        let _ = writeln!(o, "enabled = {}", s.biology.enabled);
        let _ = writeln!(o, "dt = {}\n", time(s.biology.dt_s));
    }

    let _ = writeln!(o, "[outputs]");
    let _ = writeln!(o, "fields = {}", s.outputs.fields);
    let _ = writeln!(o, "plots = {}", s.outputs.plots);
    if s.solver.mode == Mode::Transient {
        let _ = writeln!(
            o,
            "timeseries_interval = {}",
            time(s.outputs.timeseries_interval_s)
        );
    }
    o.push('\n');

    let _ = writeln!(o, "[parameters]");
    write_overrides(&mut o, &s.parameters);
    o.push('\n');

    for arm in &s.arms {
        let used = per_arm_parameters.iter().find(|(n, _)| *n == arm.name);
        write_arm(&mut o, arm, used.map(|(_, p)| p.as_slice()), cord);
    }
    o
}

/// The `[boundary]` table of a disc.
fn write_boundary(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, "[boundary]");
    let form = match s.boundary.form {
        BoundaryForm::Dirichlet => "dirichlet",
        BoundaryForm::Robin => "robin",
    };
    let pattern = match s.boundary.pattern {
        ExchangePattern::Central => "central",
        ExchangePattern::Peripheral => "peripheral",
        ExchangePattern::Uniform => "uniform",
    };
    let _ = writeln!(o, "form = \"{form}\"");
    let _ = writeln!(o, "exchange_pattern = \"{pattern}\"\n");
}

/// The `[solver]` table (without `method` and `initial` for a cord).
fn write_solver(o: &mut String, s: &Scenario) {
    let v = &s.solver;
    let _ = writeln!(o, "[solver]");
    let transient = v.mode == Mode::Transient;
    let _ = writeln!(
        o,
        "mode = \"{}\"",
        if transient { "transient" } else { "steady" }
    );
    let cord = s.tissue == Tissue::Cord;
    let method = match v.method {
        Method::Implicit => "implicit",
        Method::Lod => "lod",
    };
    if !cord {
        let _ = writeln!(o, "method = \"{method}\"");
    }
    if transient {
        let _ = writeln!(o, "end_time = {}", time(v.end_time_s));
        let _ = writeln!(o, "dt = {}", time(v.dt_s));
        let times: Vec<String> = v
            .output_times_s
            .iter()
            .map(|t| toml_str(&format!("{} s", fmt_num(*t))))
            .collect();
        let _ = writeln!(o, "output_times = [{}]", times.join(", "));
    }
    let initial = match v.initial {
        Initial::Steady => "steady",
        Initial::Boundary => "boundary",
    };
    if !cord {
        let _ = writeln!(o, "initial = \"{initial}\"");
    }
    let _ = writeln!(o, "tolerance = {}", float_literal(v.tolerance));
    let _ = writeln!(o, "max_iterations = {}", v.max_iterations);
    let _ = writeln!(o, "delivery_dt = {}\n", time(v.delivery_dt_s));
}

/// A TOML float literal (always with '.' or an exponent).
fn float_literal(v: f64) -> String {
    let t = fmt_num(v);
    if t.contains(['.', 'e', 'E']) || !v.is_finite() {
        t
    } else {
        format!("{t}.0")
    }
}

/// Overrides as written: canonical numbers bare, everything else as a string.
fn write_overrides(o: &mut String, list: &[Override]) {
    for p in list {
        let bare = p
            .text
            .parse::<f64>()
            .is_ok_and(|x| x.is_finite() && fmt_num(x) == p.text);
        let value = if bare {
            p.text.clone()
        } else {
            toml_str(&p.text)
        };
        let _ = writeln!(o, "{} = {value}", toml_key(&p.name));
    }
}

/// One `[[arm]]` with its parameters (the used set when given, else its overrides).
fn write_arm(o: &mut String, arm: &Arm, used: Option<&[UsedParameter]>, cord: bool) {
    let _ = writeln!(o, "[[arm]]");
    let _ = writeln!(o, "name = {}", toml_str(&arm.name));
    let _ = writeln!(o, "description = {}", toml_str(&arm.description));
    let _ = writeln!(o, "role = \"{}\"", arm.role.id());
    if let Some(g) = arm.grade {
        let _ = writeln!(o, "grade = {g}");
    }
    let _ = writeln!(o, "\n[arm.parameters]");
    match used {
        Some(list) => {
            for (name, value, unit) in list {
                let v = if is_dimensionless(unit) {
                    float_or_int(*value)
                } else {
                    toml_str(&format!("{} {unit}", fmt_num(*value)))
                };
                let _ = writeln!(o, "{} = {v}", toml_key(name));
            }
        }
        None => write_overrides(o, &arm.parameters),
    }
    o.push('\n');
    if let Some(i) = &arm.injury {
        write_injury(o, i);
    }
    if let Some(i) = &arm.cord_injury {
        write_cord_injury(o, i);
    }
    for t in &arm.treatments {
        write_treatment(o, t, cord);
    }
}

/// The `[arm.injury]` table.
fn write_injury(o: &mut String, i: &crate::injury::Injury) {
    use crate::injury::Injury;
    let _ = writeln!(o, "[arm.injury]");
    let _ = writeln!(o, "type = \"{}\"", i.kind());
    match *i {
        Injury::NeedlePuncture {
            gauge,
            penetration,
            time_s,
        } => {
            let _ = writeln!(o, "gauge = {gauge}");
            let _ = writeln!(o, "penetration = \"{}\"", penetration.id());
            let _ = writeln!(o, "time = {}", time(time_s));
        }
        Injury::AfDefect {
            diameter_mm,
            time_s,
        } => {
            let _ = writeln!(
                o,
                "diameter = {}",
                toml_str(&format!("{} mm", fmt_num(diameter_mm)))
            );
            let _ = writeln!(o, "time = {}", time(time_s));
        }
        Injury::EndplateSclerosis { exchange_area } => {
            let _ = writeln!(o, "exchange_area = {}", float_literal(exchange_area));
        }
        Injury::Ageing { age_s } => {
            let _ = writeln!(o, "age = {}", time(age_s));
        }
        Injury::Overload {
            stress_mpa,
            hours_per_day,
            duration_s,
            time_s,
        } => {
            let _ = writeln!(
                o,
                "stress = {}",
                toml_str(&format!("{} MPa", fmt_num(stress_mpa)))
            );
            let _ = writeln!(o, "hours_per_day = {}", float_literal(hours_per_day));
            let _ = writeln!(o, "duration = {}", time(duration_s));
            let _ = writeln!(o, "time = {}", time(time_s));
        }
    }
    o.push('\n');
}

/// The `[arm.injury]` table of a cord (force in kdyn, mass in g, lengths in mm, times in s).
fn write_cord_injury(o: &mut String, i: &crate::sci::injury::CordInjury) {
    use crate::sci::injury::{ContusionInput, CordInjury};
    let q = |v: f64, unit: &str| toml_str(&format!("{} {unit}", fmt_num(v)));
    let _ = writeln!(o, "[arm.injury]");
    match *i {
        CordInjury::Contusion { input, time_s } => {
            let _ = writeln!(o, "type = \"contusion\"");
            match input {
                ContusionInput::ImpactorForce { force_kdyn, .. } => {
                    let _ = writeln!(o, "device = \"impactor\"");
                    let _ = writeln!(o, "force = {}", q(force_kdyn, "kdyn"));
                }
                ContusionInput::WeightDrop {
                    mass_g, height_mm, ..
                } => {
                    let _ = writeln!(o, "device = \"weight_drop\"");
                    let _ = writeln!(o, "mass = {}", q(mass_g, "g"));
                    let _ = writeln!(o, "height = {}", q(height_mm, "mm"));
                }
                ContusionInput::Displacement {
                    displacement_mm, ..
                } => {
                    let _ = writeln!(o, "device = \"displacement\"");
                    let _ = writeln!(o, "displacement = {}", q(displacement_mm, "mm"));
                }
                ContusionInput::Severity { severity } => {
                    let _ = writeln!(o, "device = \"severity\"");
                    let _ = writeln!(o, "severity = {}", float_literal(severity));
                }
            }
            let _ = writeln!(o, "time = {}", time(time_s));
        }
        CordInjury::Compression {
            compression_ratio,
            onset_s,
            rise_time_s,
            decompression_s,
            ischaemia,
        } => {
            let _ = writeln!(o, "type = \"compression\"");
            let _ = writeln!(o, "ratio = {}", float_literal(compression_ratio));
            let _ = writeln!(o, "time = {}", time(onset_s));
            let _ = writeln!(o, "rise_time = {}", time(rise_time_s));
            if let Some(d) = decompression_s {
                let _ = writeln!(o, "decompression = {}", time(d));
            }
            let _ = writeln!(o, "ischaemia = {ischaemia}");
        }
    }
    o.push('\n');
}

/// One `[[arm.treatment]]`, quantities in canonical units (ng or nmol, uL, s, ng/mL or nM);
/// `cord`: without the disc-only `site` and `hindrance`.
fn write_treatment(o: &mut String, t: &Treatment, cord: bool) {
    let q = |v: f64, unit: &str| toml_str(&format!("{} {unit}", fmt_num(v)));
    let _ = writeln!(o, "[[arm.treatment]]");
    let _ = writeln!(o, "carrier = {}", toml_str(&t.carrier));
    if let Some(p) = &t.payload {
        let _ = writeln!(o, "payload = {}", toml_str(p));
    }
    let dose = match t.dose {
        DoseAmount::MassNg(v) => q(v, "ng"),
        DoseAmount::AmountNmol(v) => q(v, "nmol"),
    };
    if t.dose_text == super::treatment::CELLS_ONLY {
        let _ = writeln!(o, "# dose: none, the treatment delivers cells only");
    } else {
        let _ = writeln!(o, "dose = {dose}  # as written: {}", t.dose_text);
    }
    let _ = writeln!(o, "route = \"{}\"", t.route.id());
    if !cord {
        let _ = writeln!(o, "site = \"{}\"", t.site.name());
    }
    if t.volume_mm3 > 0.0 {
        let _ = writeln!(o, "volume = {}", q(t.volume_mm3, "uL"));
    }
    let _ = writeln!(o, "time = {}", time(t.time_s));
    if !cord {
        let _ = writeln!(o, "cells = {:e}", t.cells);
    }
    match t.effective {
        Some(Concentration::MassNgPerMl(v)) => {
            let _ = writeln!(o, "effective_concentration = {}", q(v, "ng/mL"));
        }
        Some(Concentration::MolarNm(v)) => {
            let _ = writeln!(o, "effective_concentration = {}", q(v, "nM"));
        }
        None => {}
    }
    if let Some(v) = t.carrier_half_life_s {
        let _ = writeln!(o, "carrier_half_life = {}", time(v));
    }
    if let Some(v) = t.payload_half_life_s {
        let _ = writeln!(o, "payload_half_life = {}", time(v));
    }
    if !cord {
        let _ = writeln!(o, "hindrance = \"{}\"", t.hindrance.id());
    }
    let disable: Vec<String> = t.disable.iter().map(|m| toml_str(m.id())).collect();
    let _ = writeln!(o, "disable = [{}]", disable.join(", "));
    if let Some(r) = &t.release {
        let _ = writeln!(o, "\n[arm.treatment.release]");
        let _ = writeln!(o, "model = {}", toml_str(&r.model));
        let _ = writeln!(o, "time_unit = {}", toml_str(&r.time_unit));
        for (k, v) in &r.params {
            let _ = writeln!(o, "{} = {}", toml_key(k), float_literal(*v));
        }
    }
    o.push('\n');
}

/// A bare TOML number for a dimensionless value (non-finite values become `nan`/`inf`).
fn float_or_int(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        fmt_num(v)
    }
}
