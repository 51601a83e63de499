//! Capillary supply and neural consumption of O2, glucose and lactate in the perfused spinal cord.
//!
//! Unlike the avascular disc, whose nutrients arrive only by diffusion from its boundaries, the
//! cord is fed through its capillary bed: every grey- and white-matter voxel exchanges solutes with
//! blood. Per voxel, with `q` = [`VoxelCtx::perfusion`] (1 = normal flow, lower under
//! compression/contusion ischaemia):
//!
//! ```text
//! dP/dt = k_O2(l)  q (P_a - P)  -  J_O2 / alpha          P: O2 partial pressure (kPa)
//! dG/dt = k_glc(l) q (G_a - G)  -  J_glc                 G: glucose (mM)
//! dL/dt = k_lac(l) q (L_a - L)  +  2 (J_glc - J_O2 / 6)  L: lactate (mM)
//!
//! J_glc = V_glc(l) s_G,     s_G = G / (K_G + G)
//! J_O2  = V_O2(l) s_G P / (K_O2 + P)
//! ```
//!
//! `J` are consumption rates in mM/s; `alpha` is the O2 solubility (mM/kPa). O2 use requires
//! glucose (pyruvate), hence the factor `s_G`; glucose that is not oxidised (one glucose per six
//! O2) leaves as two lactate, so lactate production is never negative while `V_glc >= V_O2 / 6`
//! (the registry values have `V_glc = V_O2 / 5.5`). Grey matter consumes about three times more
//! than white matter (registry `cord.metabolism.*`). CSF and disc labels have neither supply nor
//! consumption here.
//!
//! ## From blood flow to exchange coefficients (derivation)
//!
//! Kety/Fick well-mixed capillary compartment: the venous blood leaving a voxel is in equilibrium
//! with the tissue, so the net supply per tissue volume is `F (C_art - C_ven(tissue))`, with `F`
//! the blood flow per tissue volume (1/s): `F = SCBF [mL/(100 g min)] * rho [g/mL] / 6000`.
//!
//! * **O2**: blood O2 content is mostly haemoglobin-bound and is linearised by its chord
//!   capacitance `beta` between arterial and venous pressure (`cord.perfusion.o2_blood_capacitance`,
//!   mM/kPa): `F beta (P_a - P)` mM/s, i.e. `k_O2 = F beta / alpha` (1/s) on the partial pressure.
//! * **glucose, lactate**: the blood-spinal cord barrier lets only a fraction `E` of the plasma
//!   flow equilibrate (carrier-limited exchange): `k = F E` (1/s); `E_glc` is calibrated to the
//!   tissue/plasma glucose ratio (registry source text).
//!
//! With the registry values (rat thoracic flows 41.2 / 22.2 mL/100 g/min), grey matter gets
//! `k_O2 = 0.214 1/s`, white `0.115 1/s`, and a uniform grey voxel settles at about 3.6 kPa
//! (glucose 3.6 mM; the zero-order estimate `P_a - V_O2 / (alpha k_O2)` is 3.0 kPa), white at
//! about 7.2 kPa.
//!
//! Limitations (stated, not hidden): the linear O2 chord understates the extra O2 that
//! haemoglobin releases below venous pressure, so reduced flow lowers tissue pO2 more steeply than
//! in vivo, where the extraction fraction rises (half flow leaves uniform grey matter at about
//! 0.24 kPa); flows are rat values used for every species;
//! exchange is local (no explicit vessels or arterial-to-venous gradients).

use crate::grid::{GREY, MAX_LABELS, WHITE};
use crate::params::Registry;
use crate::reactions::{Process, VoxelCtx};
use crate::Error;

/// Exchange and consumption constants of one tissue label (model units).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct LabelPerfusion {
    /// O2 exchange coefficient `k_O2 = F beta / alpha` at normal perfusion (1/s).
    pub k_oxygen: f64,
    /// Glucose exchange coefficient `k = F E_glc` at normal perfusion (1/s).
    pub k_glucose: f64,
    /// Lactate washout coefficient `k = F E_lac` at normal perfusion (1/s).
    pub k_lactate: f64,
    /// Maximal O2 consumption `V_O2` (mM/s).
    pub o2_max: f64,
    /// Maximal glucose consumption `V_glc` (mM/s).
    pub glucose_max: f64,
}

/// Parameters of [`Perfusion`] (model units: kPa, mM, 1/s).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PerfusionParams {
    /// Per-label constants, indexed by label; all zero for unperfused labels.
    pub by_label: [LabelPerfusion; MAX_LABELS],
    /// Arterial O2 partial pressure `P_a` (kPa).
    pub blood_po2: f64,
    /// Plasma glucose `G_a` (mM).
    pub blood_glucose: f64,
    /// Plasma lactate `L_a` (mM).
    pub blood_lactate: f64,
    /// Tissue O2 solubility `alpha` (mM/kPa).
    pub o2_solubility: f64,
    /// O2 half-saturation of consumption `K_O2` (kPa).
    pub o2_half_saturation: f64,
    /// Glucose half-saturation of consumption `K_G` (mM); 0 makes consumption zero-order for G > 0.
    pub glucose_half_saturation: f64,
}

/// Positions of the three solutes in the solute list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerfusionSolutes {
    /// Index of oxygen (kPa).
    pub oxygen: usize,
    /// Index of glucose (mM).
    pub glucose: usize,
    /// Index of lactate (mM).
    pub lactate: usize,
}

/// Capillary exchange plus neural consumption as a [`Process`].
#[derive(Debug, Clone)]
pub struct Perfusion {
    /// Parameters.
    pub p: PerfusionParams,
    /// Where the three solutes sit in the solute list.
    pub idx: PerfusionSolutes,
}

impl PerfusionParams {
    /// Reads `cord.perfusion.*`, `cord.metabolism.*` and `oxygen.solubility` and converts them to
    /// model units (grey matter on [`GREY`], white matter on [`WHITE`]).
    pub fn from_registry(reg: &Registry) -> Result<Self, Error> {
        let rho = reg.value_in("cord.perfusion.tissue_density", "g/mL")?;
        let alpha = reg.value_in("oxygen.solubility", "mM/kPa")?;
        let beta = reg.value_in("cord.perfusion.o2_blood_capacitance", "mM/kPa")?;
        let e_glc = reg.value_in("cord.perfusion.glucose_extraction", "1")?;
        let e_lac = reg.value_in("cord.perfusion.lactate_extraction", "1")?;
        let mut by_label = [LabelPerfusion::default(); MAX_LABELS];
        for (label, tissue) in [(GREY, "grey"), (WHITE, "white")] {
            // mL blood per g tissue per s, times g/mL -> 1/s
            let f = reg.value_in(&format!("cord.perfusion.{tissue}.blood_flow"), "mL/(g*s)")? * rho;
            // umol per g per s, times g/mL -> umol/mL/s = mM/s
            let rate = |what: &str| -> Result<f64, Error> {
                Ok(reg.value_in(
                    &format!("cord.metabolism.{tissue}.{what}_consumption"),
                    "umol/(g*s)",
                )? * rho)
            };
            by_label[label as usize] = LabelPerfusion {
                k_oxygen: f * beta / alpha,
                k_glucose: f * e_glc,
                k_lactate: f * e_lac,
                o2_max: rate("o2")?,
                glucose_max: rate("glucose")?,
            };
        }
        Ok(PerfusionParams {
            by_label,
            blood_po2: reg.value_in("cord.perfusion.arterial_po2", "kPa")?,
            blood_glucose: reg.value_in("cord.perfusion.arterial_glucose", "mM")?,
            blood_lactate: reg.value_in("cord.perfusion.arterial_lactate", "mM")?,
            o2_solubility: alpha,
            o2_half_saturation: reg.value_in("cord.metabolism.o2_half_saturation", "kPa")?,
            glucose_half_saturation: reg
                .value_in("cord.metabolism.glucose_half_saturation", "mM")?,
        })
    }

    /// Glucose saturation `s_G = G/(K_G + G)` and its derivative (1/mM); 0 for `G <= 0`.
    #[inline]
    fn glucose_saturation(&self, g: f64) -> (f64, f64) {
        let k = self.glucose_half_saturation;
        if g <= 0.0 {
            return (0.0, 0.0);
        }
        (g / (k + g), k / ((k + g) * (k + g)))
    }

    /// O2 saturation `P/(K_O2 + P)` and its derivative (1/kPa); 0 for `P <= 0`.
    #[inline]
    fn oxygen_saturation(&self, p: f64) -> (f64, f64) {
        let k = self.o2_half_saturation;
        if p <= 0.0 {
            return (0.0, 0.0);
        }
        (p / (k + p), k / ((k + p) * (k + p)))
    }

    /// Steady state `[P (kPa), G (mM), L (mM)]` of a uniform voxel of `label` at perfusion `q`
    /// with no diffusion (closed form: two quadratics and a linear equation). `None` when the
    /// label has no lactate washout at this perfusion (`k_lactate q = 0`), which has no steady state.
    pub fn uniform_steady_state(&self, label: u8, q: f64) -> Option<[f64; 3]> {
        let lp = self.by_label.get(label as usize)?;
        let q = q.max(0.0);
        let kl = lp.k_lactate * q;
        if kl <= 0.0 {
            return None;
        }
        // k (C_b - C)(K + C) = V C  ->  k C^2 + (V + kK - kC_b) C - k C_b K = 0, positive root
        let root = |k: f64, cb: f64, kk: f64, v: f64| -> f64 {
            if k <= 0.0 {
                return 0.0;
            }
            let b = v + k * kk - k * cb;
            let disc = (b * b + 4.0 * k * k * cb * kk).sqrt();
            if b > 0.0 {
                2.0 * k * cb * kk / (b + disc)
            } else {
                (disc - b) / (2.0 * k)
            }
        };
        let g = root(
            lp.k_glucose * q,
            self.blood_glucose,
            self.glucose_half_saturation,
            lp.glucose_max,
        );
        let (sg, _) = self.glucose_saturation(g);
        let p = root(
            lp.k_oxygen * q,
            self.blood_po2,
            self.o2_half_saturation,
            lp.o2_max * sg / self.o2_solubility,
        );
        let (po, _) = self.oxygen_saturation(p);
        let production = 2.0 * (lp.glucose_max * sg - lp.o2_max * sg * po / 6.0);
        Some([p, g, self.blood_lactate + production / kl])
    }
}

impl Process for Perfusion {
    fn name(&self) -> &str {
        "cord capillary perfusion and neural metabolism"
    }

    fn rates(&self, ctx: &VoxelCtx, c: &[f64], rates: &mut [f64]) {
        let Some(lp) = self.p.by_label.get(ctx.label as usize) else {
            return;
        };
        let q = ctx.perfusion.max(0.0);
        let (io, ig, il) = (self.idx.oxygen, self.idx.glucose, self.idx.lactate);
        let (p, g, l) = (c[io], c[ig], c[il]);
        let (sg, _) = self.p.glucose_saturation(g);
        let (po, _) = self.p.oxygen_saturation(p);
        let j_glc = lp.glucose_max * sg;
        let j_o2 = lp.o2_max * sg * po;
        rates[io] += lp.k_oxygen * q * (self.p.blood_po2 - p) - j_o2 / self.p.o2_solubility;
        rates[ig] += lp.k_glucose * q * (self.p.blood_glucose - g) - j_glc;
        rates[il] += lp.k_lactate * q * (self.p.blood_lactate - l) + 2.0 * (j_glc - j_o2 / 6.0);
    }

    fn jacobian(&self, ctx: &VoxelCtx, c: &[f64], jac: &mut [f64]) {
        let Some(lp) = self.p.by_label.get(ctx.label as usize) else {
            return;
        };
        let n = c.len();
        let q = ctx.perfusion.max(0.0);
        let (io, ig, il) = (self.idx.oxygen, self.idx.glucose, self.idx.lactate);
        let (sg, dsg) = self.p.glucose_saturation(c[ig]);
        let (po, dpo) = self.p.oxygen_saturation(c[io]);
        let alpha = self.p.o2_solubility;
        // d J_O2 / dP and d J_O2 / dG; d J_glc / dG
        let jo_p = lp.o2_max * sg * dpo;
        let jo_g = lp.o2_max * dsg * po;
        let jg_g = lp.glucose_max * dsg;
        jac[io * n + io] += -lp.k_oxygen * q - jo_p / alpha;
        jac[io * n + ig] += -jo_g / alpha;
        jac[ig * n + ig] += -lp.k_glucose * q - jg_g;
        jac[il * n + il] += -lp.k_lactate * q;
        jac[il * n + ig] += 2.0 * (jg_g - jo_g / 6.0);
        jac[il * n + io] += -2.0 * jo_p / 6.0;
    }
}

#[cfg(test)]
#[path = "perfusion_tests.rs"]
mod tests;
