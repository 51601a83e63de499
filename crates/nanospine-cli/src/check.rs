//! `nanospine check`: validate a scenario file without running it. A disc scenario has every
//! arm's disc assembled (`sim::check_geometry`); a spinal cord scenario (`tissue = "cord"`) has
//! its cord grid built from the preset, and the summary lists the preset, grid, arms, injuries
//! and routes. For a disc, every needle puncture or annulus defect is listed with its
//! needle-to-disc-height ratio and the severity factor the biology gives it.

use std::path::PathBuf;

use anyhow::Context;
use nanospine::params::Registry;
use nanospine::scenario::{self, Mode, Tissue};

/// Arguments of `nanospine check`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Parameter override applied after the file, e.g. --set glucose.boundary.cep="3.5 mM"
    /// (repeatable; checked like [parameters]).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

/// Runs the subcommand: prints "FILE: ok (N arms, mode, grid)" or every error, compiler-style,
/// on stderr (then fails).
pub fn run(a: Args) -> anyhow::Result<()> {
    let shown = a.file.display().to_string();
    let text = std::fs::read_to_string(&a.file).with_context(|| format!("reading {shown}"))?;
    let registry = Registry::builtin();
    let mut errors = Vec::new();
    let mut parsed = match scenario::parse(&text, &registry) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.extend(e.0);
            None
        }
    };
    if let Some(s) = parsed.as_mut() {
        for assignment in &a.set {
            if let Err(e) = scenario::apply_set(s, &registry, assignment) {
                errors.extend(e.0);
            }
        }
    }
    let mut notes = vec![];
    if let Some(s) = parsed.as_ref() {
        if errors.is_empty() {
            let checked = match s.tissue {
                Tissue::Disc => nanospine::sim::check_geometry(s, &registry),
                Tissue::Cord => check_cord_grid(s, &registry).map(|()| vec![]),
            };
            match checked {
                Ok(n) => notes = n,
                Err(e) => errors.extend(e.0),
            }
        }
    }
    match parsed {
        Some(s) if errors.is_empty() => {
            println!("{shown}: ok ({})", summary(&s));
            for note in &notes {
                println!("  {note}");
            }
            if s.tissue == Tissue::Cord {
                print!("{}", cord_summary(&s));
                if let Some(note) = nanospine::sim::cord::step_advice(&s, &registry)? {
                    println!("  {note}");
                }
                for note in nanospine::sim::cord::compression_notes(&s, &registry)? {
                    println!("  {note}");
                }
                for note in nanospine::sim::cord::payload_advice(&s, &registry)? {
                    println!("  {note}");
                }
            }
            Ok(())
        }
        _ => {
            let n = errors.len();
            eprint!("{}", scenario::ScenarioErrors(errors).render(&shown));
            anyhow::bail!(
                "{shown} is not a valid scenario ({n} error{})",
                if n == 1 { "" } else { "s" }
            )
        }
    }
}

/// Builds the cord grid of a cord scenario (preset dimensions with the scenario-wide and each
/// arm's overrides) and reports what the grid cannot resolve as located errors
/// (key `grid.spacing` where it applies, else `arm[i]`).
fn check_cord_grid(
    s: &scenario::Scenario,
    base: &Registry,
) -> Result<(), scenario::ScenarioErrors> {
    use nanospine::anatomy::cord::{build_cord_grid, CordGeometry};
    let mut errors: Vec<scenario::ScenarioError> = vec![];
    for (i, arm) in s.arms.iter().enumerate() {
        let mut reg = base.clone();
        let built = s
            .parameters
            .iter()
            .chain(&arm.parameters)
            .try_for_each(|o| reg.set_value(&o.name, o.value))
            .map_err(nanospine::Error::from)
            .and_then(|()| CordGeometry::from_registry(&reg, &s.species))
            .and_then(|g| build_cord_grid(&g, s.grid.kind, s.grid.spacing_mm));
        if let Err(e) = built {
            let msg = format!("arm \"{}\": {e}", arm.name);
            let (key, (line, column)) = if msg.contains("grid.spacing") {
                (
                    "grid.spacing".to_string(),
                    scenario::locate_setting(&s.source_text, "grid", "spacing").unwrap_or((0, 0)),
                )
            } else {
                (format!("arm[{i}]"), (0, 0))
            };
            let mut err = scenario::ScenarioError::new(key, msg);
            err.line = line;
            err.column = column;
            if !errors.iter().any(|x| x.message == err.message) {
                errors.push(err);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(scenario::ScenarioErrors(errors))
    }
}

/// One line per arm of a cord scenario: preset, grid, then each arm's injury and treatments
/// with their routes.
fn cord_summary(s: &scenario::Scenario) -> String {
    use nanospine::sci::injury::{ContusionInput, CordInjury};
    let mut out = format!(
        "  cord preset {}, {} grid, spacing {} mm, axial ends {}, chemotaxis {}\n",
        s.species,
        grid_name(s.grid.kind),
        s.grid.spacing_mm,
        s.cord.axial_ends.id(),
        if s.cord.chemotaxis { "on" } else { "off" }
    );
    for arm in &s.arms {
        let injury = match arm.cord_injury {
            None => "no injury".to_string(),
            Some(CordInjury::Contusion { input, time_s }) => {
                let device = match input {
                    ContusionInput::ImpactorForce { force_kdyn, .. } => {
                        format!("impactor {force_kdyn} kdyn")
                    }
                    ContusionInput::WeightDrop {
                        mass_g, height_mm, ..
                    } => format!("weight drop {mass_g} g x {height_mm} mm"),
                    ContusionInput::Displacement {
                        displacement_mm, ..
                    } => format!("displacement {displacement_mm} mm"),
                    ContusionInput::Severity { severity } => format!("severity {severity}"),
                };
                format!("contusion ({device}) at {} d", time_s / 86400.0)
            }
            Some(CordInjury::Compression {
                compression_ratio,
                onset_s,
                decompression_s,
                ischaemia,
                ..
            }) => {
                let release = decompression_s
                    .map(|d| format!(", decompression at {} d", d / 86400.0))
                    .unwrap_or_default();
                format!(
                    "compression (ratio {compression_ratio}, {}ischaemic) from {} d{release}",
                    if ischaemia { "" } else { "not " },
                    onset_s / 86400.0
                )
            }
        };
        let treatments: Vec<String> = arm
            .treatments
            .iter()
            .map(|t| format!("{} {} {}", t.carrier, t.dose_text, t.route.id()))
            .collect();
        let treated = if treatments.is_empty() {
            "untreated".to_string()
        } else {
            treatments.join("; ")
        };
        out.push_str(&format!(
            "  arm {} ({}): {injury}; {treated}\n",
            arm.name,
            arm.role.id()
        ));
    }
    out
}

/// Identifier of a grid kind.
fn grid_name(kind: nanospine::grid::GridKind) -> &'static str {
    match kind {
        nanospine::grid::GridKind::Axisymmetric => "axisymmetric",
        nanospine::grid::GridKind::Cartesian3d => "cartesian3d",
    }
}

/// "2 arms, transient, axisymmetric" (plus ", cord" for a spinal cord scenario).
fn summary(s: &scenario::Scenario) -> String {
    let n = s.arms.len();
    let mode = match s.solver.mode {
        Mode::Steady => "steady",
        Mode::Transient => "transient",
    };
    let grid = grid_name(s.grid.kind);
    let tissue = match s.tissue {
        Tissue::Disc => "",
        Tissue::Cord => ", cord",
    };
    format!(
        "{n} arm{}, {mode}, {grid}{tissue}",
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORD: &str = r#"[scenario]
name = "cord check"
tissue = "cord"
species = "rat_thoracic"
[grid]
kind = "axisymmetric"
spacing = "0.1 mm"
[solver]
mode = "transient"
end_time = "7 d"
dt = "6 h"
[[arm]]
name = "contused"
role = "treatment"
[arm.injury]
type = "contusion"
device = "impactor"
force = "150 kdyn"
[[arm.treatment]]
carrier = "ccr2_membrane_plga"
dose = "100 ug"
volume = "200 uL"
route = "intravenous"
"#;

    #[test]
    fn a_cord_scenario_checks_its_grid_and_lists_its_arms() {
        let reg = Registry::builtin();
        let s = scenario::parse(CORD, &reg).unwrap_or_else(|e| panic!("{}", e.render("CORD")));
        check_cord_grid(&s, &reg).unwrap_or_else(|e| panic!("{}", e.render("CORD")));
        assert_eq!(summary(&s), "1 arm, transient, axisymmetric, cord");
        let text = cord_summary(&s);
        assert!(text.contains("cord preset rat_thoracic"), "{text}");
        assert!(
            text.contains("contusion (impactor 150 kdyn) at 0 d"),
            "{text}"
        );
        assert!(
            text.contains("ccr2_membrane_plga 100 ug intravenous"),
            "{text}"
        );
        // a spacing too coarse for the rat grey core is located at grid.spacing
        let coarse = scenario::parse(&CORD.replace("0.1 mm", "2 mm"), &reg).unwrap();
        let e = check_cord_grid(&coarse, &reg).unwrap_err();
        assert_eq!(e.0[0].key, "grid.spacing");
        assert!(e.0[0].line > 0, "{:?}", e.0[0]);
    }
}
