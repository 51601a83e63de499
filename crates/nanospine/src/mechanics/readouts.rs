//! Read-outs that depend only on disc height and NP water: disc height index (DHI), %DHI, the
//! clinical DHI category, NP T2 and a Pfirrmann-grade proxy.
//!
//! * DHI (geometry-dhi.md / ivd-transport.md §3.2): the animal form
//!   `DHI = 2 (DH_A + DH_M + DH_P) / (sum of the A, M, P heights of the cranial and caudal
//!   vertebral bodies)` and the clinical form `DHI = mean(DH) / mean(V1, V2)` are both
//!   "mean disc height / mean vertebral body height", which is what [`disc_height_index`]
//!   computes. `%DHI = 100 DHI_post / DHI_pre`, each disc its own control. The model does not
//!   change vertebral bodies, so for it %DHI reduces to `100 H_post / H_pre`
//!   ([`percent_dhi_from_heights`]).
//! * NP T2 (a proxy): exponential fit `T2 = T2_II exp(b (w - w_II))` of the NP T2 by Pfirrmann
//!   grade I-IV (ESR EPOS poster, 479 discs [V]; geometry-dhi.md §4) against the NP water of the
//!   same grades (`degeneration.grade<N>.np_water_fraction`, [U] from Antoniou 1996 / Johannessen
//!   2005). The fit (least squares on ln T2) is `imaging.np_t2.*`; outside the water of grades
//!   IV-I it is an extrapolation and says so.
//! * Pfirrmann proxy: the grade whose NP water matches, piecewise linear between the grade
//!   anchors `degeneration.grade<N>.np_water_fraction`; 1 above the grade I water, 5 below the
//!   grade V water (the ends of an ordinal scale). A proxy, not a reading of an image.

use super::{check_range, MechanicsError};
use crate::params::Registry;

fn check_heights(what: &str, v: &[f64]) -> Result<f64, MechanicsError> {
    if v.is_empty() {
        return Err(MechanicsError(format!(
            "{what}: need at least one height (mm), got none"
        )));
    }
    for (i, &h) in v.iter().enumerate() {
        check_range(&format!("{what}[{i}]"), h, 1e-9, 1e4, "mm")?;
    }
    Ok(v.iter().sum::<f64>() / v.len() as f64)
}

/// Disc height index (dimensionless): mean of `disc_heights_mm` (e.g. anterior, middle,
/// posterior) over the mean of `vertebral_heights_mm` (e.g. the A/M/P heights of the cranial and
/// caudal bodies). Equals the animal form `2 sum(DH) / sum(VBH)` for 3 disc and 6 vertebral
/// heights, and the clinical form `DH / ((V1 + V2)/2)`. Errors for empty lists or heights that
/// are not positive and finite.
pub fn disc_height_index(
    disc_heights_mm: &[f64],
    vertebral_heights_mm: &[f64],
) -> Result<f64, MechanicsError> {
    let d = check_heights("disc heights", disc_heights_mm)?;
    let v = check_heights("vertebral body heights", vertebral_heights_mm)?;
    Ok(d / v)
}

/// %DHI = 100 DHI_post / DHI_pre (%), each disc its own control. Both DHI positive and finite.
pub fn percent_dhi(dhi_pre: f64, dhi_post: f64) -> Result<f64, MechanicsError> {
    check_range("DHI before", dhi_pre, 1e-12, 1e6, "")?;
    check_range("DHI after", dhi_post, 0.0, 1e6, "")?;
    Ok(100.0 * dhi_post / dhi_pre)
}

/// %DHI of the model, where vertebral bodies do not change: `100 H_post / H_pre` (%), heights in
/// mm (total disc heights, endplate to endplate).
pub fn percent_dhi_from_heights(
    height_pre_mm: f64,
    height_post_mm: f64,
) -> Result<f64, MechanicsError> {
    check_range("disc height before", height_pre_mm, 1e-9, 1e4, "mm")?;
    check_range("disc height after", height_post_mm, 0.0, 1e4, "mm")?;
    Ok(100.0 * height_post_mm / height_pre_mm)
}

/// Clinical DHI category (spinebase.org DHI page citing Chen X et al. 2022 J Clin Neurosci
/// 103:153 [V]; ivd-transport.md §3.2): normal >= 0.40, mild loss 0.30-0.39, moderate
/// 0.20-0.29, severe < 0.20. Human lumbar, clinical DHI form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum DhiCategory {
    /// DHI >= 0.40.
    Normal,
    /// 0.30 <= DHI < 0.40.
    Mild,
    /// 0.20 <= DHI < 0.30.
    Moderate,
    /// DHI < 0.20.
    Severe,
}

/// The clinical category of a (human, clinical-form) DHI; errors for a negative or non-finite DHI.
pub fn clinical_dhi_category(dhi: f64) -> Result<DhiCategory, MechanicsError> {
    check_range("DHI", dhi, 0.0, 1e6, "")?;
    Ok(if dhi >= 0.40 {
        DhiCategory::Normal
    } else if dhi >= 0.30 {
        DhiCategory::Mild
    } else if dhi >= 0.20 {
        DhiCategory::Moderate
    } else {
        DhiCategory::Severe
    })
}

/// NP T2 estimate from NP water.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct T2Estimate {
    /// T2, ms, on the scale of the ESR poster's sequence (human lumbar NP; absolute T2 depends on
    /// field strength and sequence, so compare ratios across studies).
    pub t2_ms: f64,
    /// T2 relative to the fitted grade II value (dimensionless).
    pub ratio_to_grade2: f64,
    /// True when the water lies outside the grade IV-I water range of the fit.
    pub extrapolated: bool,
}

/// Water -> imaging maps: grade water anchors and the T2 fit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImagingMap {
    /// NP water (wet-weight fraction) of Pfirrmann grades I..V, strictly decreasing.
    pub grade_water: [f64; 5],
    /// Fitted NP T2 at the grade II water, ms.
    pub t2_grade2_ms: f64,
    /// Slope b of ln T2 against water wet-weight fraction (per unit fraction).
    pub t2_water_slope: f64,
    /// NP pressure of the healthy disc in the posture of the scan (lying), MPa: evaluate the NP
    /// water for these maps with [`super::DiscColumn::equilibrium_at_posture`] at this pressure,
    /// since the grade water anchors are unloaded (post-mortem) tissue values.
    pub scan_np_pressure_mpa: f64,
}

impl ImagingMap {
    /// From `degeneration.grade<N>.np_water_fraction` (N = 1..5), `imaging.np_t2.*` and
    /// `imaging.scan_np_pressure`.
    pub fn from_registry(reg: &Registry) -> Result<Self, MechanicsError> {
        let mut grade_water = [0.0; 5];
        for (i, w) in grade_water.iter_mut().enumerate() {
            *w = reg.value(&format!("degeneration.grade{}.np_water_fraction", i + 1))?;
        }
        ImagingMap::new(
            grade_water,
            reg.value_in("imaging.np_t2.grade2", "ms")?,
            reg.value("imaging.np_t2.water_slope")?,
            reg.value_in("imaging.scan_np_pressure", "MPa")?,
        )
    }

    /// Checked constructor: grade water strictly decreasing in (0, 1), T2 > 0 ms, slope >= 0,
    /// scan NP pressure in (0, 10] MPa.
    pub fn new(
        grade_water: [f64; 5],
        t2_grade2_ms: f64,
        t2_water_slope: f64,
        scan_np_pressure_mpa: f64,
    ) -> Result<Self, MechanicsError> {
        for (i, &w) in grade_water.iter().enumerate() {
            check_range(
                &format!("degeneration.grade{}.np_water_fraction", i + 1),
                w,
                1e-9,
                1.0,
                "",
            )?;
            if i > 0 && w >= grade_water[i - 1] {
                return Err(MechanicsError(format!(
                    "degeneration.grade{}.np_water_fraction = {w} must be below grade {} ({}): NP water falls with grade",
                    i + 1,
                    i,
                    grade_water[i - 1]
                )));
            }
        }
        check_range("imaging.np_t2.grade2", t2_grade2_ms, 1e-6, 1e5, "ms")?;
        check_range("imaging.np_t2.water_slope", t2_water_slope, 0.0, 1e3, "")?;
        check_range(
            "imaging.scan_np_pressure",
            scan_np_pressure_mpa,
            1e-6,
            10.0,
            "MPa",
        )?;
        Ok(ImagingMap {
            grade_water,
            t2_grade2_ms,
            t2_water_slope,
            scan_np_pressure_mpa,
        })
    }

    /// Continuous Pfirrmann-grade proxy (1.0-5.0) of an NP with wet-weight water `water`
    /// (in [0, 1]): piecewise linear between the grade water anchors, 1 above grade I water,
    /// 5 below grade V water.
    pub fn pfirrmann_proxy(&self, water: f64) -> Result<f64, MechanicsError> {
        check_range("NP water (wet weight)", water, 0.0, 1.0, "")?;
        let g = &self.grade_water;
        if water >= g[0] {
            return Ok(1.0);
        }
        for i in 1..5 {
            if water >= g[i] {
                let t = (g[i - 1] - water) / (g[i - 1] - g[i]);
                return Ok(i as f64 + t);
            }
        }
        Ok(5.0)
    }

    /// NP T2 of an NP with wet-weight water `water` (in [0, 1]).
    pub fn np_t2(&self, water: f64) -> Result<T2Estimate, MechanicsError> {
        check_range("NP water (wet weight)", water, 0.0, 1.0, "")?;
        let ratio = (self.t2_water_slope * (water - self.grade_water[1])).exp();
        Ok(T2Estimate {
            t2_ms: self.t2_grade2_ms * ratio,
            ratio_to_grade2: ratio,
            extrapolated: water > self.grade_water[0] || water < self.grade_water[3],
        })
    }
}
