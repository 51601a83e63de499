//! Injury models of animal studies, as scenario options (`[arm.injury]`), and the quantities
//! they imply for a given disc: needle puncture (gauge, depth), annulus defect, endplate
//! sclerosis, an aged disc and mechanical overload.
//!
//! This module derives the injury's geometry (needle diameter, needle-to-disc-height ratio,
//! annulus defect area, number of annulus breaches) and its severity class; how an injury
//! drives biology (NP loss, inflammation, macrophage entry through the defect) is applied by the
//! disc-biology model. Endplate sclerosis acts now, through the CEP exchange area. Ageing (a
//! starting state set by the age as a fraction of the species' lifespan) and overload (an extra
//! axial stress for a loading period) have no annulus geometry; the disease stage
//! (`sim::disease::ageing`, `sim::disease::overload`) applies them.

use crate::Error;

/// Nominal outer diameters of hypodermic needles (mm) by gauge (Birmingham/Stubs gauge as used
/// for needles; Wikipedia "Needle gauge comparison chart", regular wall, which lists the
/// nominal values of ISO 9626).
pub const NEEDLE_OD_MM: &[(u32, f64)] = &[
    (14, 2.108),
    (15, 1.829),
    (16, 1.651),
    (17, 1.473),
    (18, 1.270),
    (19, 1.067),
    (20, 0.9081),
    (21, 0.8192),
    (22, 0.7176),
    (23, 0.6414),
    (24, 0.5652),
    (25, 0.5144),
    (26, 0.4636),
    (27, 0.4128),
    (28, 0.3620),
    (29, 0.3366),
    (30, 0.3112),
    (31, 0.2604),
    (32, 0.2350),
];

/// Needle-to-disc-height ratio below which puncture effects were variable and not significant
/// (25-40 % band: Eur Spine J 2019, doi 10.1007/s00586-019-05927-0, citing a systematic review,
/// geometry-dhi.md section 2.2 [V as quoted]).
pub const RATIO_NO_EFFECT: f64 = 0.25;
/// Ratio above which puncture causes degeneration (Elliott et al. 2008, Spine 33:588; the
/// 40 % threshold is unverified in the research notes [U]).
pub const RATIO_DEGENERATIVE: f64 = 0.40;

/// How deep a needle goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Penetration {
    /// Through the NP into the contralateral annulus (two annulus breaches; Han 2008 "full").
    Full,
    /// To the NP centre (one annulus breach; Han 2008 "half").
    Half,
    /// Into the annulus only (Xia 2021 AF-only puncture).
    Annulus,
}

impl Penetration {
    /// Identifier used in scenario files.
    pub fn id(self) -> &'static str {
        match self {
            Penetration::Full => "full",
            Penetration::Half => "half",
            Penetration::Annulus => "annulus",
        }
    }
}

/// An injury as written in a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Injury {
    /// Percutaneous needle puncture of the disc.
    NeedlePuncture {
        /// Needle gauge (G).
        gauge: u32,
        /// Depth.
        penetration: Penetration,
        /// Time of the injury (s from the start of the run).
        time_s: f64,
    },
    /// A surgical annulus defect (e.g. a biopsy punch), circular.
    AfDefect {
        /// Defect diameter (mm).
        diameter_mm: f64,
        /// Time of the injury (s).
        time_s: f64,
    },
    /// Endplate sclerosis/calcification: the CEP exchange area falls to `exchange_area` of
    /// its value (dimensionless, 0..1).
    EndplateSclerosis {
        /// Remaining fraction of the exchange area.
        exchange_area: f64,
    },
    /// An aged disc: the arm starts at `age_s` of the species' life (senescent cells, cell and
    /// proteoglycan loss, CEP exchange-area loss and a mild persistent inflammatory drive, all
    /// set from the age as a fraction of the species' lifespan by the disease stage).
    Ageing {
        /// Age of the animal at the start of the run (s, > 0).
        age_s: f64,
    },
    /// Axial compression above physiological for a loading period (e.g. an external loading
    /// device on a rodent tail).
    Overload {
        /// Applied axial stress on the disc section on top of the species' reference load (MPa, > 0).
        stress_mpa: f64,
        /// Loaded hours per day (h, 0 < x <= 24; 24 = sustained).
        hours_per_day: f64,
        /// Length of the loading period (s, > 0).
        duration_s: f64,
        /// Start of the loading period (s from the start of the run).
        time_s: f64,
    },
}

/// Severity class of a puncture from its needle-to-disc-height ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Ratio below 0.25: no significant effect expected.
    Minimal,
    /// Ratio 0.25-0.40: variable, not consistently significant.
    Variable,
    /// Ratio above 0.40: degenerative.
    Degenerative,
}

/// What an injury implies for one disc.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InjuryGeometry {
    /// Injury type identifier.
    pub kind: &'static str,
    /// Needle or defect diameter (mm); 0 for endplate sclerosis.
    pub diameter_mm: f64,
    /// Diameter / disc height (dimensionless); 0 for endplate sclerosis.
    pub diameter_to_height_ratio: f64,
    /// Number of annulus breaches.
    pub af_breaches: u32,
    /// Total annulus defect cross-section (mm^2).
    pub af_defect_area_mm2: f64,
    /// Literature severity class of the ratio (punctures and defects; Elliott 2008 [U] and the
    /// 25-40 % band). Not used by the model, whose graded severity factor is reported as
    /// `disease.injury_severity_factor`; written to `summary.json` as `literature_severity_class`
    /// so that the two are not confused (a 26G rat tail puncture is "degenerative" by the class
    /// and 0.15 by the factor).
    #[serde(rename = "literature_severity_class")]
    pub severity: Option<Severity>,
    /// Remaining CEP exchange-area factor (1 without sclerosis).
    pub cep_exchange_area_factor: f64,
    /// Time of the injury (s).
    pub time_s: f64,
}

/// Outer diameter (mm) of a needle of `gauge`, or an error listing the gauges known.
pub fn needle_diameter_mm(gauge: u32) -> Result<f64, Error> {
    NEEDLE_OD_MM
        .iter()
        .find(|(g, _)| *g == gauge)
        .map(|(_, d)| *d)
        .ok_or_else(|| {
            Error::Config(format!(
                "needle gauge {gauge}G is not in the table; allowed: {}..={}",
                NEEDLE_OD_MM[0].0,
                NEEDLE_OD_MM[NEEDLE_OD_MM.len() - 1].0
            ))
        })
}

fn severity(ratio: f64) -> Severity {
    if ratio < RATIO_NO_EFFECT {
        Severity::Minimal
    } else if ratio <= RATIO_DEGENERATIVE {
        Severity::Variable
    } else {
        Severity::Degenerative
    }
}

impl Injury {
    /// Identifier used in scenario files.
    pub fn kind(&self) -> &'static str {
        match self {
            Injury::NeedlePuncture { .. } => "needle_puncture",
            Injury::AfDefect { .. } => "af_defect",
            Injury::EndplateSclerosis { .. } => "endplate_sclerosis",
            Injury::Ageing { .. } => "ageing",
            Injury::Overload { .. } => "overload",
        }
    }

    /// The injury's geometry in a disc of height `disc_height_mm` (mm, > 0). Ageing and
    /// overload have no annulus defect (zeros, no severity class); ageing reports time 0 and a
    /// CEP factor of 1 here because its exchange-area loss depends on the species' lifespan
    /// (applied by the simulator, `sim::disease::ageing`); overload reports its start time.
    pub fn geometry(&self, disc_height_mm: f64) -> Result<InjuryGeometry, Error> {
        if !(disc_height_mm.is_finite() && disc_height_mm > 0.0) {
            return Err(Error::Config(format!(
                "disc height {disc_height_mm} mm must be > 0"
            )));
        }
        let circle = |d: f64| std::f64::consts::PI * d * d / 4.0;
        Ok(match *self {
            Injury::NeedlePuncture {
                gauge,
                penetration,
                time_s,
            } => {
                let d = needle_diameter_mm(gauge)?;
                let breaches = match penetration {
                    Penetration::Full => 2,
                    Penetration::Half | Penetration::Annulus => 1,
                };
                InjuryGeometry {
                    kind: self.kind(),
                    diameter_mm: d,
                    diameter_to_height_ratio: d / disc_height_mm,
                    af_breaches: breaches,
                    af_defect_area_mm2: breaches as f64 * circle(d),
                    severity: Some(severity(d / disc_height_mm)),
                    cep_exchange_area_factor: 1.0,
                    time_s,
                }
            }
            Injury::AfDefect {
                diameter_mm,
                time_s,
            } => InjuryGeometry {
                kind: self.kind(),
                diameter_mm,
                diameter_to_height_ratio: diameter_mm / disc_height_mm,
                af_breaches: 1,
                af_defect_area_mm2: circle(diameter_mm),
                severity: Some(severity(diameter_mm / disc_height_mm)),
                cep_exchange_area_factor: 1.0,
                time_s,
            },
            Injury::EndplateSclerosis { exchange_area } => InjuryGeometry {
                kind: self.kind(),
                diameter_mm: 0.0,
                diameter_to_height_ratio: 0.0,
                af_breaches: 0,
                af_defect_area_mm2: 0.0,
                severity: None,
                cep_exchange_area_factor: exchange_area,
                time_s: 0.0,
            },
            Injury::Ageing { .. } | Injury::Overload { .. } => InjuryGeometry {
                kind: self.kind(),
                diameter_mm: 0.0,
                diameter_to_height_ratio: 0.0,
                af_breaches: 0,
                af_defect_area_mm2: 0.0,
                severity: None,
                cep_exchange_area_factor: 1.0,
                time_s: match *self {
                    Injury::Overload { time_s, .. } => time_s,
                    _ => 0.0,
                },
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rat_tail_needles_classify_as_the_literature_reports() {
        // rat caudal disc height 1.1 mm (registry anatomy.rat_caudal.disc_height)
        let h = 1.1;
        let g = |gauge| {
            Injury::NeedlePuncture {
                gauge,
                penetration: Penetration::Full,
                time_s: 0.0,
            }
            .geometry(h)
            .unwrap()
        };
        // 18G and 21G degenerate (Chen 2018)
        assert_eq!(g(18).severity, Some(Severity::Degenerative));
        assert_eq!(g(21).severity, Some(Severity::Degenerative));
        assert!((g(21).diameter_to_height_ratio - 0.8192 / 1.1).abs() < 1e-12);
        // 26G: Qian 2019 found no harm, but its ratio (0.42) sits just above the 0.40 rule of
        // Elliott 2008 [U]: the class is coarse at the threshold; the biology does not use it but
        // the severity factor, which grades 26G at 0.15 (sim::disease::injury; VALIDATION.md)
        let r26 = g(26).diameter_to_height_ratio;
        assert!((0.40..0.45).contains(&r26), "{r26}");
        // 30G saline injection changed the MRI signal but not histology (Issy 2015): "variable"
        assert_eq!(g(30).severity, Some(Severity::Variable));
        assert_eq!(g(32).severity, Some(Severity::Minimal));
        // summary.json names the class as the literature's, not the model's severity
        let json = serde_json::to_value(g(26)).unwrap();
        assert_eq!(json["literature_severity_class"], "degenerative");
        assert!(json.get("severity").is_none());
        assert_eq!(g(20).af_breaches, 2);
        let a = g(20).af_defect_area_mm2;
        assert!((a - 2.0 * std::f64::consts::PI * 0.9081f64.powi(2) / 4.0).abs() < 1e-12);
    }

    #[test]
    fn ageing_and_overload_have_no_annulus_geometry() {
        let a = Injury::Ageing {
            age_s: 730.0 * 86400.0,
        };
        assert_eq!(a.kind(), "ageing");
        let g = a.geometry(1.1).unwrap();
        assert_eq!(
            (g.af_breaches, g.af_defect_area_mm2, g.severity),
            (0, 0.0, None)
        );
        assert_eq!((g.cep_exchange_area_factor, g.time_s), (1.0, 0.0));
        let o = Injury::Overload {
            stress_mpa: 1.3,
            hours_per_day: 24.0,
            duration_s: 7.0 * 86400.0,
            time_s: 2.0 * 86400.0,
        };
        assert_eq!(o.kind(), "overload");
        let g = o.geometry(0.6).unwrap();
        assert_eq!((g.diameter_mm, g.time_s), (0.0, 2.0 * 86400.0));
        assert!(o.geometry(-1.0).is_err());
    }

    #[test]
    fn unknown_gauge_and_bad_height_are_errors() {
        assert!(needle_diameter_mm(40)
            .unwrap_err()
            .to_string()
            .contains("allowed: 14..=32"));
        let i = Injury::AfDefect {
            diameter_mm: 1.0,
            time_s: 0.0,
        };
        assert!(i.geometry(0.0).is_err());
        assert_eq!(
            i.geometry(2.0).unwrap().severity,
            Some(Severity::Degenerative)
        );
    }
}
