//! The disc-study validation suite (`nanospine validate studies`): every study scenario in a
//! directory (default `examples/studies`) is run, and the published findings listed in its
//! `checks.toml` are checked against the simulated read-outs.
//!
//! `checks.toml` holds `[[study]]` tables (`file`, `citation`) with `[[study.check]]` entries:
//! `readout`, `day`, `arm`, `kind` (`higher` | `lower` | `range` | `between` | `difference` |
//! `ratio` | `rises` | `falls`), `than`, `and`, `from` (the earlier day of `rises` and `falls`),
//! `lo`, `hi`, `margin` and `finding` (the published statement with its evidence tag). Besides
//! these, every injury-only arm is checked for no spontaneous recovery of `dhi_percent` (unless the
//! study sets `no_recovery = false`; after
//! day 14 it never rises more than 0.5 %DHI above its day-14 value).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Case, Suite};
use crate::params::Registry;
use crate::report::cord::cord_tables;
use crate::report::{disc_tables, ArmTable};
use crate::scenario::ArmRole;
use crate::scenario::Tissue;
use crate::sim::cord::run_cord;
use crate::sim::run;
use crate::Error;

/// One published finding.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Read-out name (as in `arms.csv`).
    pub readout: String,
    /// Sample day (d).
    pub day: f64,
    /// Arm checked.
    pub arm: String,
    /// `higher`, `lower`, `range`, `between`, `difference` (value minus arm `than` within
    /// `lo..=hi`), `ratio` (value divided by arm `than` within `lo..=hi`), `rises` (value above the same arm's value at day `from`, plus `margin`) or
    /// `falls` (value below the same arm's value at day `from`, minus `margin`).
    pub kind: String,
    /// Comparison arm (higher/lower/between).
    pub than: Option<String>,
    /// Second comparison arm (between).
    pub and: Option<String>,
    /// Lower bound (range), read-out unit.
    pub lo: Option<f64>,
    /// Upper bound (range), read-out unit.
    pub hi: Option<f64>,
    /// Minimal difference for higher/lower/rises/falls (read-out unit, default 0).
    pub margin: Option<f64>,
    /// Earlier sample day of `rises` and `falls` (d).
    pub from: Option<f64>,
    /// The published statement (with its evidence tag).
    pub finding: String,
}

/// One study and its findings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// Scenario file name (in the studies directory).
    pub file: String,
    /// Short citation.
    pub citation: String,
    /// Findings.
    #[serde(default)]
    pub check: Vec<Check>,
    /// Whether the injury-only arms get the no-spontaneous-recovery case ([`no_recovery_cases`],
    /// a finding of puncture and stab models); default true. False for an injury that is no
    /// lasting defect, such as an overload followed by unloading.
    #[serde(default = "yes")]
    pub no_recovery: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksFile {
    study: Vec<Study>,
}

/// The studies directory: `examples/studies` under the working directory, else the one of this
/// source tree.
pub fn default_dir() -> PathBuf {
    let local = PathBuf::from("examples/studies");
    if local.join("checks.toml").exists() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/studies")
}

/// Reads `checks.toml` of `dir`.
pub fn read_checks(dir: &Path) -> Result<Vec<Study>, Error> {
    read_checks_file(&dir.join(DISC_CHECKS))
}

/// File of the disc-study findings in the studies directory.
pub const DISC_CHECKS: &str = "checks.toml";
/// File of the spinal cord study findings in the studies directory.
pub const SCI_CHECKS: &str = "sci-checks.toml";

/// Reads a findings file (format of `checks.toml`).
pub fn read_checks_file(path: &Path) -> Result<Vec<Study>, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("reading {}: {e}", path.display())))?;
    let f: ChecksFile =
        toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
    Ok(f.study)
}

/// The value of `readout` of `arm` at `day` (within 1e-6 d), if sampled.
pub fn value_at(tables: &[ArmTable], arm: &str, readout: &str, day: f64) -> Option<f64> {
    tables
        .iter()
        .find(|a| a.name == arm)?
        .value_at(readout, day)
}

/// Evaluates one check on a run; the case is named
/// `<study stem>: <arm> <readout> d<day> <kind> [than <arm>]`.
pub fn evaluate(stem: &str, c: &Check, out: &[ArmTable]) -> Case {
    let vs = match (c.kind.as_str(), &c.than, &c.and) {
        ("between", Some(a), Some(b)) => format!(" between {a} and {b}"),
        ("range", _, _) => " range".to_string(),
        (k @ ("rises" | "falls"), _, _) => match c.from {
            Some(d) => format!(" {k} from d{d}"),
            None => format!(" {k}"),
        },
        (k, Some(a), _) => format!(" {k} than {a}"),
        (k, None, _) => format!(" {k}"),
    };
    let name = format!("{stem}: {} {} d{}{vs}", c.arm, c.readout, c.day);
    let metric = format!("{} ({})", c.readout, c.finding);
    let get = |arm: &str| value_at(out, arm, &c.readout, c.day);
    let Some(v) = get(&c.arm) else {
        return Case::failed(&name, &metric, "arm, read-out or day not in the run");
    };
    let other = |key: &Option<String>| -> Result<(String, f64), String> {
        let a = key
            .as_ref()
            .ok_or_else(|| format!("kind {} needs `than`/`and`", c.kind))?;
        let x = get(a).ok_or_else(|| format!("arm {a} has no {} at day {}", c.readout, c.day))?;
        Ok((a.clone(), x))
    };
    let margin = c.margin.unwrap_or(0.0);
    let result = match c.kind.as_str() {
        "higher" => {
            other(&c.than).map(|(a, x)| (v > x + margin, format!("> {a} ({x:.4}) + {margin}")))
        }
        "lower" => {
            other(&c.than).map(|(a, x)| (v < x - margin, format!("< {a} ({x:.4}) - {margin}")))
        }
        "between" => other(&c.than).and_then(|(a, x)| {
            other(&c.and).map(|(b, y)| {
                let (lo, hi) = (x.min(y), x.max(y));
                let tol = 1e-9 * (lo.abs() + hi.abs()).max(1e-30);
                (
                    v >= lo - tol && v <= hi + tol,
                    format!("between {a} ({x:.4}) and {b} ({y:.4})"),
                )
            })
        }),
        "range" => match (c.lo, c.hi) {
            (Some(lo), Some(hi)) => Ok(((lo..=hi).contains(&v), format!("in [{lo}, {hi}]"))),
            _ => Err("kind range needs lo and hi".into()),
        },
        "rises" | "falls" => match c.from {
            Some(d) => value_at(out, &c.arm, &c.readout, d)
                .ok_or_else(|| format!("arm {} has no {} at day {d}", c.arm, c.readout))
                .map(|x| {
                    if c.kind == "rises" {
                        (v > x + margin, format!("> d{d} ({x:.4}) + {margin}"))
                    } else {
                        (v < x - margin, format!("< d{d} ({x:.4}) - {margin}"))
                    }
                }),
            None => Err(format!("kind {} needs from (the earlier day)", c.kind)),
        },
        "difference" => match (c.lo, c.hi) {
            (Some(lo), Some(hi)) => other(&c.than).map(|(a, x)| {
                (
                    (lo..=hi).contains(&(v - x)),
                    format!("minus {a} ({x:.4}) = {:.4} in [{lo}, {hi}]", v - x),
                )
            }),
            _ => Err("kind difference needs than, lo and hi".into()),
        },
        "ratio" => match (c.lo, c.hi) {
            (Some(lo), Some(hi)) => other(&c.than).and_then(|(a, x)| {
                if x == 0.0 || !x.is_finite() {
                    return Err(format!("arm {a} has {} = {x} at day {}: no ratio", c.readout, c.day));
                }
                Ok((
                    (lo..=hi).contains(&(v / x)),
                    format!("/ {a} ({x:.4}) = {:.4} in [{lo}, {hi}]", v / x),
                ))
            }),
            _ => Err("kind ratio needs than, lo and hi".into()),
        },
        k => Err(format!(
            "unknown kind \"{k}\"; allowed: higher, lower, range, between, difference, ratio, rises, falls"
        )),
    };
    match result {
        Ok((passed, threshold)) => Case {
            name,
            passed: passed && v.is_finite(),
            metric,
            value: v,
            threshold,
        },
        Err(e) => Case::failed(&name, &metric, &e),
    }
}

/// No spontaneous recovery of an injury-only arm: after day 14, `dhi_percent` stays within
/// 0.5 %DHI of its day-14 value or below. One case per injury-only arm of `tables` that
/// reports `dhi_percent` at day 14 (cord arms, which do not, get none).
pub fn no_recovery_cases(stem: &str, tables: &[ArmTable]) -> Vec<Case> {
    let mut cases = vec![];
    for a in tables.iter().filter(|a| a.role == ArmRole::InjuryOnly.id()) {
        let Some(col) = a.readouts.iter().position(|(r, _)| r == "dhi_percent") else {
            continue;
        };
        let Some(k14) = a
            .times_s
            .iter()
            .position(|&t| (t / 86400.0 - 14.0).abs() < 1e-6)
        else {
            continue;
        };
        let base = a.rows[k14][col];
        let rise = a.rows[k14..]
            .iter()
            .map(|r| r[col] - base)
            .fold(f64::NEG_INFINITY, f64::max);
        cases.push(Case::at_most(
            &format!("{stem}: {} no spontaneous recovery", a.name),
            "largest dhi_percent rise after day 14 (%DHI; biology.md 7.2: no spontaneous recovery, Hua 2013)",
            rise,
            0.5,
        ));
    }
    cases
}

/// What a suite run may change: parameter overrides applied to every study scenario, and a
/// subset of the studies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuiteOptions {
    /// `name=value` assignments applied to every scenario as `nanospine run --set` applies them
    /// ([`crate::scenario::apply_set`]: they replace a scenario's own setting of the same name).
    pub sets: Vec<String>,
    /// Study files to run (with or without `.toml`, bare or as a path such as
    /// `examples/studies/luo2023-adsc-exosomes.toml`: only the file name counts); empty runs every
    /// study of the findings file.
    pub studies: Vec<String>,
}

/// The study name of `file` as `--study` matches it: its file name without the `.toml`
/// extension (so a path and a bare name select the same study).
fn study_stem(file: &str) -> String {
    let name = Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file);
    name.trim_end_matches(".toml").to_string()
}

/// Runs every study listed in the findings file `checks` of `dir` and checks its findings (disc
/// and cord scenarios alike); the suite is named `suite`.
pub fn suite_in(dir: &Path, checks: &str, registry: &Registry, suite: &str) -> Suite {
    match suite_with(dir, checks, registry, suite, &SuiteOptions::default()) {
        Ok(s) => s,
        Err(e) => Suite {
            suite: suite.into(),
            passed: false,
            cases: vec![Case::failed(checks, "study list", &e.to_string())],
        },
    }
}

/// [`suite_in`] with `options`. Errors: the findings file cannot be read, or a study of
/// `options.studies` is not in it (the message lists the studies it has). A `--set` that does
/// not apply to a scenario fails that study's case.
pub fn suite_with(
    dir: &Path,
    checks: &str,
    registry: &Registry,
    suite: &str,
    options: &SuiteOptions,
) -> Result<Suite, Error> {
    let mut cases = vec![];
    let mut studies = read_checks_file(&dir.join(checks))?;
    if !options.studies.is_empty() {
        let known: Vec<String> = studies.iter().map(|s| study_stem(&s.file)).collect();
        let wanted: Vec<String> = options.studies.iter().map(|w| study_stem(w)).collect();
        for (want, stem) in options.studies.iter().zip(&wanted) {
            if !known.contains(stem) {
                return Err(Error::Config(format!(
                    "study \"{want}\" is not in {}; its studies: {}",
                    dir.join(checks).display(),
                    known.join(", ")
                )));
            }
        }
        studies.retain(|s| wanted.contains(&study_stem(&s.file)));
    }
    for st in &studies {
        let stem = st.file.trim_end_matches(".toml");
        let path = dir.join(&st.file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()));
        let sc = text.and_then(|t| {
            let mut sc = crate::scenario::parse(&t, registry).map_err(|e| e.render(&st.file))?;
            for a in &options.sets {
                crate::scenario::apply_set(&mut sc, registry, a).map_err(|e| e.render("--set"))?;
            }
            Ok(sc)
        });
        let sc = match sc {
            Ok(sc) => sc,
            Err(e) => {
                cases.push(Case::failed(stem, &st.citation, &e));
                continue;
            }
        };
        let quiet = |_: &str, _: f64| {};
        match sc.tissue {
            Tissue::Disc => match run(&sc, registry, &quiet) {
                Ok(out) => {
                    let tables = disc_tables(&sc, &out);
                    for c in &st.check {
                        cases.push(evaluate(stem, c, &tables));
                    }
                    if st.no_recovery {
                        cases.extend(no_recovery_cases(stem, &tables));
                    }
                }
                Err(e) => cases.push(Case::failed(stem, &st.citation, &e.to_string())),
            },
            Tissue::Cord => match run_cord(&sc, registry, &quiet) {
                Ok(out) => {
                    let tables = cord_tables(&out);
                    for c in &st.check {
                        cases.push(evaluate(stem, c, &tables));
                    }
                }
                Err(e) => cases.push(Case::failed(stem, &st.citation, &e.to_string())),
            },
        }
    }
    let passed = cases.iter().all(|c| c.passed);
    Ok(Suite {
        suite: suite.into(),
        passed,
        cases,
    })
}

/// The disc studies of `dir` ([`suite_in`] on [`DISC_CHECKS`], named "studies").
pub fn studies_suite_in(dir: &Path, registry: &Registry) -> Suite {
    suite_in(dir, DISC_CHECKS, registry, "studies")
}

/// The spinal cord studies of `dir` ([`suite_in`] on [`SCI_CHECKS`], named "sci").
pub fn sci_suite_in(dir: &Path, registry: &Registry) -> Suite {
    suite_in(dir, SCI_CHECKS, registry, "sci")
}

/// [`sci_suite_in`] on [`default_dir`] with the built-in registry.
pub fn sci_suite() -> Suite {
    sci_suite_in(&default_dir(), &Registry::builtin())
}

/// [`studies_suite_in`] on [`default_dir`] with the built-in registry.
pub fn studies_suite() -> Suite {
    studies_suite_in(&default_dir(), &Registry::builtin())
}

/// Checks the current model does not meet, each with the reason (VALIDATION.md, "Disc
/// studies"). The test below fails when one of them starts to pass (remove it here) or when any
/// other check fails.
pub const KNOWN_GAPS: &[(&str, &str)] = &[
    ("rabbit-puncture-natural-history: puncture_16g dhi_percent d14 range", "80.8 % against 75-80 % [U]: the acute fall in the rabbit is too mild; the joint calibration of the lasting damage on the rat and rabbit natural histories leaves the 2-week value 0.8 points above its range (the lasting damage acts after the acute phase; 80.7 before the severity curve was re-anchored, 80.9 before the needle ratio used the anatomical disc height)"),
    ("rabbit-puncture-natural-history: puncture_16g disc_sodium_mm d84 ratio than sham", "the 16G disc keeps 0.864 of the sham's tissue sodium at 12 wk (167.5 vs 193.8 mM) against 0.694 measured (190.6 vs 274.8 mM): the model's NP proteoglycan falls to 0.32 and its AF proteoglycan to 0.69 of healthy, but the Donnan sodium answers weakly, because the NP loses water with its charge (its fixed charge per water falls less than per dry mass) and because the model's healthy disc is less charged than the rabbit's (194 mM against 275 mM: the human NP charge per dry mass is used for all species), and at a lower fixed charge the sodium is closer to the bath and moves less; the AF keeps 0.96 of its sodium (169.7 vs 176.3 mM), the NP alone 0.721 (np_sodium_mm 163.4 vs 226.5 mM), inside the measured bounds: the abstract says \"discs\" without the region, and on an NP region the model would pass; the stab gauge of the study is not known (16G compared). Neither charge per dry mass closes it: at their range ends (NP 0.5-0.9, AF 0.33-0.5 mmol/g, `nanospine sensitivity`) the ratio stays within 0.857-0.869 and the healthy disc within 183-200 mM, because in the load-controlled swelling equilibrium the Donnan pressure balances the applied stress, so the fixed charge per water, and with it the sodium, is set mostly by the load and the matrix, not by the charge"),
    ("rabbit-puncture-natural-history: puncture_16g np_t2_ms d84 ratio than sham", "the T2 proxy falls to 0.40 of sham (74.7 vs 184.9 ms) against 0.814 measured: the proxy maps the NP water (0.717 -> 0.576 wet fraction at 12 wk) through the human between-grade T2 values, whose range (about 210 to 51 ms for grades I-IV) is far wider than the rabbit's measured change; the rat tail T2 did not change at all after an 18G puncture (63.55 ms, PMC4486300 [V]), so the proxy is not an animal T2 scale (the Hua 2013 check uses its direction only)"),
    ("peng2023-cationic-np-trka: ti_cnp pain_withdrawal_threshold_g d28 higher than injury_only", "relief of 0.31 g only (5.72 vs 5.41 g): the untreated arm is hyperalgesic through cytokine-sensitised native outer-AF fibres, but the TrkA antagonist acts only on nerve ingrowth (no direct NGF sensitisation modelled) and the cNP's CpG binding lowers M1 and the cytokines by about 5-12 %; even a direct NGF-TrkA sensitisation would gain little, because the drug hardly reaches the natively innervated outer AF (AF mean TrkA-IN-1 1.7 ng/mL at 7 d, 0.4 at 14 d, 0.02 at 28 d, outer band lower, against the assumed IC50 of 10 ng/mL; 99.5 % of the 1 ug dose is cleared by 28 d)"),
    ("peng2023-cationic-np-trka: ti_cnp pain_withdrawal_threshold_g d56 higher than injury_only", "as above (0.55 g: 10.49 vs 9.94 g)"),
    ("peng2023-cationic-np-trka: ti_cnp nerve_ingrowth_depth_mm d56 lower than injury_only", "no voxel reaches the innervation threshold within 8 wk in either arm (depth 0 in both): NGF from disc cells and M1 (about 300 pg/mL at 4 wk) is too low and brief against the NGF half-saturation of 7.5 ng/mL; at the high-affinity receptor value (2 ng/mL, biology.nerve.ngf_half source) fibres grow 0.85 mm deep by 8 wk, but equally in both arms (the antagonist hardly reaches the annulus, see the relief gaps) and the untreated 2-wk threshold falls below its [U] range"),
    ("feng2020-antimir199a-microspheres-rabbit: antimir199a_nf_sms dhi_percent d28 higher than injury_only", "the construct (1e5 delivered MSCs + anti-miR-199a) gains only +0.12 %DHI points: a third more synthesising cells add under 1 % of NP proteoglycan (0.391 vs 0.382 at 8 weeks), because the NP proteoglycan settles at synthesis over the injury's protease-driven loss; faster turnover does not close it (rabbit turnover factor 5 or 18 instead of 1.6, 18 from Maroudas 1975's cartilage half-lives of human and young rabbit: +0.16 and +0.04 points, with the untreated disc far below its calibration ranges), so the construct lacks a stronger anti-catabolic action, not faster synthesis; the anti-miR-199a HIF-1a actions alone give +0.005; Feng's cell number and injury are not in the notes"),
    ("feng2020-antimir199a-microspheres-rabbit: antimir199a_nf_sms dhi_percent d56 higher than injury_only", "as above (+0.27 points)"),
    ("sakai2005-msc-rabbit: msc np_msc_fraction d350 rises from d28", "the graft shrinks slightly (0.4764 of the NP's native cell density at 4 weeks, 0.4706 at 50): it spreads through the NP by random motility, but grafted cells divide only into the room of lost native cells, which the native cells refill too, so the graft cannot outgrow the native density it replaces; the slight decline came with the lasting damage of the loaded rabbit defect (before it, 0.4781 and 0.4779); faster graft division does not close it: with biology.msc.proliferation_factor at 4 the graft holds 0.477 and 0.485, at 10 (the range top) 0.477 and 0.516, a rise of 1.7 and 8 % in 48 weeks, because the room of lost cells, not the division rate, limits it"),
    ("rat-tail-needle-gauge: puncture_25g dhi_percent d14 difference than puncture_21g", "25G keeps 16.7 %DHI points more than 21G at 2 weeks (91.5 vs 74.8 %): with one 1.1 mm disc height the 25G ratio (0.47) grades 0.32 on the severity curve whose lower anchor (0.1 at 0.40) makes 26G (0.42) harmless as Qian 2019 found; Chen 2018 punctured 25G at the smaller distal Co9/10 disc, whose true ratio is higher, and a non-significant difference is weaker evidence than Qian's positive finding. With the earlier curve (0.9 at 0.40) this check passed (+7.0) while 26G lost 20 points and a 30G injection raised the histology score by 1.4"),
    ("xia2021-rat-tail-annulus-puncture: annulus_puncture dhi_percent d56 falls from d28", "the annulus-only puncture loses 0.8 %DHI points from 4 to 8 weeks (77.7 to 76.9 %), under the 1-point margin: the lasting damage of the little-loaded rat tail (0.044) is calibrated to level the 20G full puncture off by 8 weeks, so the rat shows only the tail of its acute phase; Xia's progression to 12 weeks [V] would need a larger lasting drive in the rat tail than the [U] 60-70 % plateau of the 20G curve allows"),
    ("xia2021-rat-tail-annulus-puncture: annulus_puncture dhi_percent d84 falls from d56", "as above: 0.16 points from 8 to 12 weeks (76.9 to 76.8 %)"),
    ("xia2021-rat-tail-annulus-puncture: annulus_puncture pfirrmann_grade d84 rises from d28", "as above: the Pfirrmann proxy rises by 0.09 grade from 4 to 12 weeks (2.62 to 2.71), against half a grade"),
];

/// SCI checks the current model does not meet, each with the reason (VALIDATION.md, "Spinal
/// cord"). The test below fails when one of them starts to pass or when any other check fails.
pub const KNOWN_GAPS_SCI: &[(&str, &str)] = &[
    ("gu2023-ccr2-membrane-np: ccr2_mm_plga_cur neuron_survival d7 higher than injury_only", "the CCL2 trap saves only 0.1 % of the neurons at 7 d (0.6972 vs 0.6962), and no therapy of secondary injury could pass: abolishing all secondary neuron loss (sci.neuron.secondary_weight = 0) raises the 7-d survival by 0.003 only. In the model almost every neuron that dies is killed by the primary insult within a day (death rate calibrated on Grossman 2001, secondary weight kept small after Ek 2010), so fewer dying neurons cannot add up to 2 % more survivors; the dying neurons themselves, which apoptosis counts see, are fewer with the trap (neuron_death_rate 10 % lower at 7 d, a separate check that passes)"),
    ("gu2023-ccr2-membrane-np: ccr2_mm_plga_cur bms d42 higher than injury_only", "the trap gains 0.42 BMS points at 42 d (4.94 vs 4.53, at the study's 7.5 min steps), under the half-point margin (0.49 was recorded here until 2026-11-28, a stale value: the run of that day already gave 4.94); at 15 min steps it gained 0.53 and passed (measured earlier on 2026-11-28), a step artefact (the untreated arm, with more macrophages, carries the larger error), so the file uses 7.5 min (docs/cord.md, Numerical accuracy). The trap spares about 0.013 of the epicentre white matter; with the calibrated mouse BMS centre that is worth about half a point"),
    ("yuan2023-epc-exosomes: epc_exosomes bms d28 higher than injury_only", "BMS +0.05 points only (4.340 vs 4.291; 5.229 vs 5.182 before the mouse BMS centre was calibrated): abolishing all secondary axon loss would give +0.8, +1.5 and +1.9 BMS points at 7, 14 and 28 d (mouse 55 kdyn, 15 min steps), and the SOCS3 route (M1 block 0.7 at full SOCS3 and the i.v. dose, assumptions) removes only about 3 % of that loss; the secondary toxicity is an OR of routes that are each near saturation, so a one-route therapy gains little: switching off the whole M1-contact route gives +0.12 BMS, the H2O2 route +0.25, the TNF-a route +0.005, and with the i.v. lesion share at its range top (2 %) the exosomes halve the M1:M2 ratio at 7 d but gain +0.07 (docs/cord.md)"),
    ("yuan2023-epc-exosomes: epc_exosomes lesion_volume_mm3 d28 lower than injury_only", "the lesion volume at 28 d is the same in both arms (1.8669 mm3; not one voxel changes its lesion status): the lesion is the tissue killed by the primary insult, and the SOCS3 route (as for the BMS gap above) removes only about 3 % of the secondary loss, too little to move any voxel across the survival threshold; Yuan's significantly larger tissue-sparing area on H&E [V abstract] is not reproduced"),
    ("luo2023-adsc-exosomes: adsc_exosomes bbb d7 difference than injury_only", "the exosomes block only a small part of the secondary axon loss: +0.38 BBB points with the study's three i.v. injections at 30 min, 24 h and 48 h (Luo 2023 abstract [V]; +0.24 with the single injection at 1 h assumed before the design was retrieved), while abolishing all secondary axon loss (sci.axon.secondary_death_rate = 0) would give +1.9 at 7 d, +3.5 at 14 d, +4.2 at 21 d and +4.6 at 28 d, close to the meta-analysis +1.6/+3.1/+4.4/+4.5; even saturating exosomes reach about a third of that (Nrf2 blocks at most half of the toxicity, sci.nrf2.protection, an assumption) and the i.v. dose about a third of saturation (lesion share and Nrf2 constants are assumptions)"),
    ("luo2023-adsc-exosomes: adsc_exosomes bbb d14 difference than injury_only", "as above (+0.63); the growth of the effect to 4 wk needs no regeneration: sparing fixed in week 1 times the recovery time course gives it"),
    ("luo2023-adsc-exosomes: adsc_exosomes bbb d28 difference than injury_only", "as above (+0.81 against at least +2.25)"),
    ("dhillon2016-decompression-rat: compressed bbb d7 lower than sham", "BBB 21.0 at 1 week (conducting epicentre fibres 0.72): with the compression ratio assumed for the sheet (0.34) the conduction block takes a sixth of the fibres at once and the slow loss calibrated on Ijima 2017's onset at 4-8 wk does the rest, and the BBB keeps its top score until fewer than about 35 % conduct; Dhillon's implant deteriorated the score within a week, so it compressed faster or harder than the 0.34 assumed (its ratio is not in the notes), or the expansion added an acute injury that the model does not represent"),
];

/// Whether `name` is a case of the bundled studies listed in [`KNOWN_GAPS`] or
/// [`KNOWN_GAPS_SCI`] (a documented failure of the model, VALIDATION.md).
pub fn is_known_gap(name: &str) -> bool {
    KNOWN_GAPS
        .iter()
        .chain(KNOWN_GAPS_SCI)
        .any(|(n, _)| *n == name)
}

/// Label of a check outcome in the text tables: `pass`, `gap ` for a failed documented known
/// gap ([`is_known_gap`]) and `FAIL` for any other failure.
pub fn outcome_label(name: &str, passed: bool) -> &'static str {
    match (passed, is_known_gap(name)) {
        (true, _) => "pass",
        (false, true) => "gap ",
        (false, false) => "FAIL",
    }
}

/// The cases of `suite` that do not behave as `gaps` says: failures not listed, listed gaps that
/// pass, and listed gaps that are no longer cases.
pub fn unexpected(suite: &Suite, gaps: &[(&str, &str)]) -> Vec<String> {
    let mut out = vec![];
    for c in &suite.cases {
        let known = gaps.iter().any(|(n, _)| *n == c.name);
        if c.passed == known {
            out.push(format!(
                "{} {} (value {}, {})",
                if known {
                    "now passes, remove from the known gaps:"
                } else {
                    "FAILS:"
                },
                c.name,
                c.value,
                c.threshold
            ));
        }
    }
    for (n, _) in gaps {
        if !suite.cases.iter().any(|c| c.name == *n) {
            out.push(format!("known gap {n} is no longer a case"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_recovery_case_is_on_unless_a_study_turns_it_off() {
        let st = read_checks(&default_dir()).unwrap();
        let by = |f: &str| st.iter().find(|s| s.file == f).unwrap().no_recovery;
        assert!(by("rat-tail-puncture-natural-history.toml"));
        assert!(!by("mouse-tail-overload.toml"));
        let bad = "[[study]]\nfile = \"x.toml\"\ncitation = \"c\"\nno_recovery = 1\n";
        assert!(toml::from_str::<ChecksFile>(bad).is_err());
    }

    #[test]
    fn a_study_is_selected_by_bare_name_or_path() {
        for f in [
            "luo2023-adsc-exosomes",
            "luo2023-adsc-exosomes.toml",
            "examples/studies/luo2023-adsc-exosomes.toml",
            "./luo2023-adsc-exosomes",
        ] {
            assert_eq!(study_stem(f), "luo2023-adsc-exosomes", "{f}");
        }
        assert_ne!(study_stem("luo2023"), "luo2023-adsc-exosomes");
    }

    #[test]
    fn every_study_check_passes_except_the_documented_gaps() {
        let s = studies_suite();
        assert!(s.cases.len() >= 70, "{} cases", s.cases.len());
        let bad = unexpected(&s, KNOWN_GAPS);
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn every_sci_check_passes_except_the_documented_gaps() {
        let s = sci_suite();
        assert!(s.cases.len() >= 36, "{} cases", s.cases.len());
        let bad = unexpected(&s, KNOWN_GAPS_SCI);
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn known_gaps_are_labelled_apart_from_other_failures() {
        let disc = KNOWN_GAPS[0].0;
        let cord = KNOWN_GAPS_SCI[0].0;
        assert!(is_known_gap(disc) && is_known_gap(cord));
        assert!(!is_known_gap(
            "rat-tail-puncture-natural-history: sham dhi_percent d28 range"
        ));
        assert_eq!(outcome_label(disc, false), "gap ");
        assert_eq!(outcome_label(cord, true), "pass");
        assert_eq!(outcome_label("anything else", false), "FAIL");
    }

    #[test]
    fn a_check_compares_arms_ranges_and_reports_bad_entries() {
        // a tiny hand-made run output with two arms and one read-out
        let text =
            std::fs::read_to_string(default_dir().join("rat-tail-puncture-natural-history.toml"))
                .unwrap();
        let reg = Registry::builtin();
        let mut sc = crate::scenario::parse(&text, &reg).unwrap();
        sc.solver.end_time_s = 7.0 * 86400.0;
        sc.arms.truncate(2);
        let run_out = run(&sc, &reg, &|_, _| {}).unwrap();
        let out = disc_tables(&sc, &run_out);
        let check = |kind: &str, than: Option<&str>, lo: Option<f64>, hi: Option<f64>| Check {
            readout: "dhi_percent".into(),
            day: 7.0,
            arm: "puncture_20g_full".into(),
            kind: kind.into(),
            than: than.map(str::to_string),
            and: None,
            lo,
            hi,
            margin: None,
            from: None,
            finding: "test".into(),
        };
        assert!(evaluate("t", &check("lower", Some("sham"), None, None), &out).passed);
        assert!(!evaluate("t", &check("higher", Some("sham"), None, None), &out).passed);
        assert!(evaluate("t", &check("range", None, Some(0.0), Some(100.0)), &out).passed);
        assert!(!evaluate("t", &check("range", None, Some(99.0), Some(100.0)), &out).passed);
        // the punctured disc is lower than sham: its difference is negative
        let diff = |lo, hi| {
            evaluate(
                "t",
                &check("difference", Some("sham"), Some(lo), Some(hi)),
                &out,
            )
        };
        assert!(diff(-100.0, 0.0).passed && !diff(0.0, 100.0).passed);
        assert!(!evaluate("t", &check("difference", Some("sham"), None, None), &out).passed);
        // ratio: the punctured disc over sham is below 1 and above 0.5 at 1 week; the reported
        // ratio is value / sham
        let ratio = |lo, hi| evaluate("t", &check("ratio", Some("sham"), Some(lo), Some(hi)), &out);
        let r = ratio(0.5, 1.0);
        assert!(r.passed && !ratio(1.0, 2.0).passed, "{r:?}");
        let sham = value_at(&out, "sham", "dhi_percent", 7.0).unwrap();
        let want = format!("/ sham ({sham:.4}) = {:.4} in [0.5, 1]", r.value / sham);
        assert_eq!(r.threshold, want);
        assert!(!evaluate("t", &check("ratio", Some("sham"), None, None), &out).passed);
        // a zero denominator (no graft in either arm) is a reported failure, not a NaN or a pass
        let mut zero = check("ratio", Some("sham"), Some(0.0), Some(10.0));
        zero.readout = "np_msc_fraction".into();
        assert_eq!(value_at(&out, "sham", "np_msc_fraction", 7.0), Some(0.0));
        let z = evaluate("t", &zero, &out);
        assert!(!z.passed && z.metric.contains("no ratio"), "{z:?}");
        let bad = evaluate("t", &check("sideways", Some("sham"), None, None), &out);
        assert!(!bad.passed && bad.metric.contains("unknown kind"));
        let missing = evaluate("t", &check("lower", Some("nope"), None, None), &out);
        assert!(!missing.passed && missing.metric.contains("nope"));
        let mut day = check("range", None, Some(0.0), Some(100.0));
        day.day = 3.0;
        assert!(!evaluate("t", &day, &out).passed);
        // rises: the punctured disc falls from day 0 to day 7, so it does not rise, and the
        // day-0 value is the one compared (it would rise by less than a 100-point margin)
        let mut rises = check("rises", None, None, None);
        assert!(!evaluate("t", &rises, &out).passed, "needs from");
        rises.from = Some(0.0);
        let r = evaluate("t", &rises, &out);
        assert!(!r.passed && r.name.ends_with("rises from d0"), "{r:?}");
        assert!(
            r.threshold.starts_with("> d0 (100.0000)"),
            "{}",
            r.threshold
        );
        rises.day = 0.0;
        rises.from = Some(7.0);
        rises.margin = Some(100.0);
        assert!(!evaluate("t", &rises, &out).passed);
        rises.margin = None;
        assert!(evaluate("t", &rises, &out).passed);
        // falls: the mirror image; the punctured disc falls from day 0 to day 7 by more than
        // one point but by less than 100
        let mut falls = check("falls", None, None, None);
        assert!(!evaluate("t", &falls, &out).passed, "needs from");
        falls.from = Some(0.0);
        falls.margin = Some(1.0);
        let f = evaluate("t", &falls, &out);
        assert!(f.passed && f.name.ends_with("falls from d0"), "{f:?}");
        assert!(
            f.threshold.starts_with("< d0 (100.0000) - 1"),
            "{}",
            f.threshold
        );
        falls.margin = Some(100.0);
        assert!(!evaluate("t", &falls, &out).passed);
        falls.day = 0.0;
        falls.from = Some(7.0);
        falls.margin = None;
        assert!(!evaluate("t", &falls, &out).passed, "day 0 is above day 7");
    }
}
