//! Mechanism attribution: how much of a treatment's benefit each of its carrier's mechanisms
//! explains. Each treatment arm is rerun with one mechanism switched off at a time (the
//! `disable` switch of `[[arm.treatment]]`), and every read-out is compared with the full arm
//! and the reference (injury-only, else vehicle) arm:
//!
//! ```text
//! benefit         B      = full - reference
//! benefit without B_m    = without_m - reference
//! share of m      s_m    = (B - B_m) / B           (NaN when |B| is negligible)
//! interaction            = 1 - sum_m s_m            (synergy or redundancy between mechanisms)
//! ```
//!
//! Shares are on the read-out's own scale; a share above 1 means the arm does worse than the
//! reference without that mechanism.

use crate::params::Registry;
use crate::report::ArmTable;
use crate::scenario::Tissue;
use crate::scenario::{Arm, ArmRole, Mechanism, Scenario};
use crate::sim::{run, Progress};
use crate::Error;

/// One read-out of one treatment arm at one sample time.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AttributionRow {
    /// Read-out name (snake_case, as in `arms.csv`).
    pub readout: String,
    /// Unit of the read-out.
    pub unit: String,
    /// Sample time (d).
    pub day: f64,
    /// Reference arm value.
    pub reference: f64,
    /// Full treatment arm value.
    pub full: f64,
    /// Benefit `full - reference` (read-out unit).
    pub benefit: f64,
    /// Per mechanism: (mechanism id, value without it, its share of the benefit).
    pub without: Vec<(String, f64, f64)>,
    /// `1 - sum of shares` (NaN when the shares are).
    pub interaction: f64,
}

/// The attribution of one treatment arm.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Attribution {
    /// Treatment arm.
    pub arm: String,
    /// Reference arm.
    pub reference: String,
    /// Mechanisms the arm's carriers and payloads have (ids).
    pub mechanisms: Vec<String>,
    /// Rows, read-out by read-out and time by time.
    pub rows: Vec<AttributionRow>,
}

/// The mechanisms an arm's treatments have in `tissue`: a payload with a drug action gives
/// `payload`; in a disc, a gel (carrier with a modulus) placed in the NP gives
/// `mechanical_support`, a nanozyme carrier `ros_scavenging` and a carrier that binds CpG DNA
/// (`PayloadAction::DampTrap`, e.g. `cationic_micelle_trka`) `damp_scavenging`; in a cord, a
/// carrier that traps
/// CCL2 (`CarrierPreset::action() == Some(PayloadAction::Ccl2Trap)`, e.g. `ccr2_membrane_plga`)
/// gives `ccl2_trap`. (The cord has no implant mechanics or nanozyme input and the disc no CCL2,
/// so those mechanisms are not tried there.)
pub fn mechanisms_of(arm: &Arm, tissue: Tissue) -> Result<Vec<Mechanism>, Error> {
    let mut out = vec![];
    for t in &arm.treatments {
        out.extend(t.mechanisms(tissue).map_err(Error::Config)?);
    }
    out.sort_by_key(|m| m.id());
    out.dedup();
    Ok(out)
}

/// The reference arm of a scenario: the first `injury_only` arm, else the first `vehicle` arm.
pub fn reference_arm(s: &Scenario) -> Option<&Arm> {
    s.arms
        .iter()
        .find(|a| a.role == ArmRole::InjuryOnly)
        .or_else(|| s.arms.iter().find(|a| a.role == ArmRole::Vehicle))
}

fn variant_name(arm: &str, m: Mechanism) -> String {
    format!("{arm}__no_{}", m.id())
}

/// Runs the attribution of every treatment arm of `scenario` (a disc that couples the biology, or
/// a cord; it needs a reference arm). All runs (reference, full arms, variants) go in parallel.
pub fn attribute(
    scenario: &Scenario,
    base: &Registry,
    progress: Progress,
) -> Result<Vec<Attribution>, Error> {
    if scenario.tissue == Tissue::Disc && !scenario.biology.enabled {
        return Err(Error::Config(
            "attribute needs `[biology] enabled = true`: mechanisms act through the disc biology"
                .into(),
        ));
    }
    let reference = reference_arm(scenario).ok_or_else(|| {
        Error::Config(
            "attribute needs a reference arm: give one arm role = \"injury_only\" (or \"vehicle\")"
                .into(),
        )
    })?;
    let mut arms = vec![reference.clone()];
    let mut plan = vec![];
    for arm in scenario
        .arms
        .iter()
        .filter(|a| a.role == ArmRole::Treatment)
    {
        let mech = mechanisms_of(arm, scenario.tissue)?;
        arms.push(arm.clone());
        for &m in &mech {
            let mut v = arm.clone();
            v.name = variant_name(&arm.name, m);
            for t in &mut v.treatments {
                if !t.disable.contains(&m) {
                    t.disable.push(m);
                }
            }
            arms.push(v);
        }
        plan.push((arm.name.clone(), mech));
    }
    if plan.is_empty() {
        return Err(Error::Config(
            "attribute: the scenario has no arm with role = \"treatment\"".into(),
        ));
    }
    let mut sc = scenario.clone();
    sc.arms = arms;
    sc.outputs.fields = false;
    let disc_out = match sc.tissue {
        Tissue::Disc => Some(run(&sc, base, progress)?),
        Tissue::Cord => None,
    };
    let cord_out = match sc.tissue {
        Tissue::Cord => Some(crate::sim::cord::run_cord(&sc, base, progress)?),
        Tissue::Disc => None,
    };
    let tables: Vec<ArmTable> = match (&disc_out, &cord_out) {
        (Some(o), _) => crate::report::disc_tables(&sc, o),
        (_, Some(o)) => crate::report::cord::cord_tables(o),
        _ => vec![],
    };
    let find = |name: &str| -> Result<&ArmTable, Error> {
        tables
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| Error::Numerical(format!("attribute: arm {name} did not run")))
    };
    let r = find(&reference.name)?;
    let mut result = vec![];
    for (arm, mech) in plan {
        let full = find(&arm)?;
        let vars: Vec<(Mechanism, &ArmTable)> = mech
            .iter()
            .map(|&m| Ok((m, find(&variant_name(&arm, m))?)))
            .collect::<Result<_, Error>>()?;
        let mut rows = vec![];
        for (ci, col) in full.columns.iter().enumerate() {
            let Some(ri) = r.columns.iter().position(|c| c == col) else {
                continue;
            };
            let (name, unit) = full.readouts[ci].clone();
            for (ti, &t) in full.times_s.iter().enumerate() {
                let Some(rt) = r.times_s.iter().position(|&x| (x - t).abs() < 1e-6) else {
                    continue;
                };
                let rv = r.rows[rt][ri];
                let fv = full.rows[ti][ci];
                let b = fv - rv;
                let negligible = b.is_nan() || b.abs() <= 1e-9 * (rv.abs() + fv.abs()).max(1e-30);
                let mut without = vec![];
                let mut sum = 0.0;
                for (m, a) in &vars {
                    let wv = a
                        .columns
                        .iter()
                        .position(|c| c == col)
                        .and_then(|k| a.rows.get(ti).map(|row| row[k]))
                        .unwrap_or(f64::NAN);
                    let share = if negligible {
                        f64::NAN
                    } else {
                        (b - (wv - rv)) / b
                    };
                    sum += share;
                    without.push((m.id().to_string(), wv, share));
                }
                rows.push(AttributionRow {
                    readout: name.clone(),
                    unit: unit.clone(),
                    day: t / 86400.0,
                    reference: rv,
                    full: fv,
                    benefit: b,
                    without,
                    interaction: 1.0 - sum,
                });
            }
        }
        result.push(Attribution {
            arm,
            reference: reference.name.clone(),
            mechanisms: mech.iter().map(|m| m.id().to_string()).collect(),
            rows,
        });
    }
    Ok(result)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A rat tail 20G puncture, untreated and with a PBNP gel, 14 days (also used by the
    /// sensitivity tests).
    pub(crate) const SCENARIO: &str = r#"
[scenario]
name = "attribution test"
species = "rat_caudal"
grade = 1
[grid]
kind = "axisymmetric"
spacing = "0.15 mm"
[solver]
mode = "transient"
end_time = "14 d"
dt = "1 d"
output_times = ["14 d"]
[biology]
enabled = true
dt = "12 h"
[[arm]]
name = "puncture"
role = "injury_only"
[arm.injury]
type = "needle_puncture"
gauge = 20
penetration = "full"
[[arm]]
name = "pbnp_gel"
role = "treatment"
[arm.injury]
type = "needle_puncture"
gauge = 20
penetration = "full"
[[arm.treatment]]
carrier = "pbnp_hydrogel"
dose = "10 ug"
volume = "1 uL"
[outputs]
fields = false
plots = false
timeseries_interval = "7 d"
"#;

    #[test]
    fn nanozyme_gel_benefit_splits_into_its_mechanisms() {
        let reg = Registry::builtin();
        let sc = crate::scenario::parse(SCENARIO, &reg).unwrap();
        let arm = &sc.arms[1];
        let mech = mechanisms_of(arm, Tissue::Disc).unwrap();
        assert_eq!(
            mech,
            vec![Mechanism::MechanicalSupport, Mechanism::RosScavenging]
        );
        let at = attribute(&sc, &reg, &|_, _| {}).unwrap();
        assert_eq!(at.len(), 1);
        let row = |name: &str| {
            at[0]
                .rows
                .iter()
                .find(|r| r.readout == name && (r.day - 14.0).abs() < 1e-9)
                .unwrap()
                .clone()
        };
        // the nanozyme lowers H2O2; without scavenging that benefit is gone (share ~1), and
        // the gel's mechanical support plays no part in it (share ~0)
        let ros = row("mean_ros_um");
        assert!(ros.benefit < 0.0, "{ros:?}");
        let share = |r: &AttributionRow, m: &str| r.without.iter().find(|w| w.0 == m).unwrap().2;
        assert!(
            (share(&ros, "ros_scavenging") - 1.0).abs() < 0.05,
            "{ros:?}"
        );
        assert!(share(&ros, "mechanical_support").abs() < 0.05, "{ros:?}");
        // the implant share of the load exists only through mechanical support
        let load = row("implant_load_share");
        assert!(load.full > 0.0 && load.reference == 0.0, "{load:?}");
        assert!(
            (share(&load, "mechanical_support") - 1.0).abs() < 1e-9,
            "{load:?}"
        );
    }

    #[test]
    fn mechanisms_depend_on_carrier_and_tissue() {
        let reg = Registry::builtin();
        let mut sc = crate::scenario::parse(SCENARIO, &reg).unwrap();
        // pbnp_hydrogel traps no CCL2: mechanical support and scavenging only
        let gel = mechanisms_of(&sc.arms[1], Tissue::Disc).unwrap();
        assert!(!gel.contains(&Mechanism::Ccl2Trap), "{gel:?}");
        assert!(gel.contains(&Mechanism::RosScavenging), "{gel:?}");
        // in a cord the gel's disc mechanisms are not tried
        let in_cord = mechanisms_of(&sc.arms[1], Tissue::Cord).unwrap();
        assert!(!in_cord.contains(&Mechanism::RosScavenging), "{in_cord:?}");
        assert!(
            !in_cord.contains(&Mechanism::MechanicalSupport),
            "{in_cord:?}"
        );
        // the CCR2-membrane carrier traps CCL2, in a cord only
        sc.arms[1].treatments[0].carrier = "ccr2_membrane_plga".into();
        let trap = mechanisms_of(&sc.arms[1], Tissue::Cord).unwrap();
        assert_eq!(trap, vec![Mechanism::Ccl2Trap, Mechanism::Payload]);
        let disc = mechanisms_of(&sc.arms[1], Tissue::Disc).unwrap();
        assert!(!disc.contains(&Mechanism::Ccl2Trap), "{disc:?}");
        // the cationic cNP binds CpG DNA, in a disc only
        sc.arms[1].treatments[0].carrier = "cationic_micelle_trka".into();
        let cnp = mechanisms_of(&sc.arms[1], Tissue::Disc).unwrap();
        assert_eq!(cnp, vec![Mechanism::DampScavenging, Mechanism::Payload]);
        let cord = mechanisms_of(&sc.arms[1], Tissue::Cord).unwrap();
        assert!(!cord.contains(&Mechanism::DampScavenging), "{cord:?}");
    }

    #[test]
    fn attribution_needs_biology_and_a_reference_arm() {
        let reg = Registry::builtin();
        let mut sc = crate::scenario::parse(SCENARIO, &reg).unwrap();
        sc.biology.enabled = false;
        assert!(attribute(&sc, &reg, &|_, _| {})
            .unwrap_err()
            .to_string()
            .contains("[biology] enabled = true"));
        sc.biology.enabled = true;
        sc.arms[0].role = ArmRole::Sham;
        assert!(attribute(&sc, &reg, &|_, _| {})
            .unwrap_err()
            .to_string()
            .contains("reference arm"));
    }
}
