//! What the treatments give the disc biology (disease stage): drug concentrations by payload
//! action, nanozyme H2O2 scavenging and a gel implant sharing the load; each treatment's
//! mechanisms can be switched off (`disable`).

use super::{nanozyme_loads, Delivery};
use crate::carriers::PayloadAction;
use crate::delivery::spec::Site;
use crate::grid::{Grid, NP};
use crate::mechanics::Implant;
use crate::scenario::Mechanism;
use crate::sim::disease::{CellDose, TreatmentInputs};
use crate::Error;

/// Largest NP cross-section share of an implant (dimensionless): the column model needs some
/// native NP left. assumption: an injected gel never replaces the whole NP.
const MAX_IMPLANT_SHARE: f64 = 0.95;

impl Delivery {
    /// The delivered-cell doses of the treatments (those with `cells` > 0 whose `cells`
    /// mechanism is not disabled): each spread evenly over its injected region, at its
    /// injection time. The disease stage gives them ([`crate::sim::disease::Disease::schedule_cells`]).
    pub fn cell_doses(&self, grid: &Grid) -> Vec<CellDose> {
        self.treatments
            .iter()
            .filter(|tr| tr.spec.cells > 0.0 && !tr.spec.disable.contains(&Mechanism::Cells))
            .filter_map(|tr| {
                let vol: f64 = tr.cells.iter().map(|&c| grid.volume(c)).sum();
                (vol > 0.0).then(|| CellDose {
                    time_s: tr.spec.time_s,
                    voxels: tr.cells.clone(),
                    density_per_mm3: tr.spec.cells / vol,
                })
            })
            .collect()
    }

    /// The biology inputs of the treatments at time `t` (s), with H2O2 field `ros` (uM, per
    /// cell) for the nanozymes' Michaelis-Menten saturation:
    /// * payload of action anti-inflammatory / TrkA antagonist / anti-miR-199a / exosome: its
    ///   free tissue concentration (ng/mL) in that input, summed over treatments; the cord
    ///   exosome actions (`nrf2_exosome`, `socs3_exosome`) go to the generic exosome input (M2
    ///   shift); `ccl2_trap` has no disc effect (no CCL2 in the disc biology);
    /// * nanozyme carriers: `k2 [NZ] / (1 + H/Km)` summed (1/s);
    /// * gel carriers (with a modulus) placed in the NP: an implant whose NP share is the depot
    ///   volume over the NP volume times the fraction of gel not yet cleared
    ///   `exp(-k_cl (t - t_inj))`, with the share-weighted modulus of all such gels.
    ///
    /// * DAMP-trap carriers (cationic carriers binding CpG DNA): binding sites = carrier
    ///   material (ng/mL) x sites per ng (nM), summed, with their site-weighted K_d (nM).
    ///
    /// A treatment's `disable` list removes its payload action (`payload`), its scavenging
    /// (`ros_scavenging`), its DNA binding (`damp_scavenging`) or its implant
    /// (`mechanical_support`).
    pub fn biology_inputs(
        &self,
        grid: &Grid,
        ros: &[f64],
        t: f64,
    ) -> Result<TreatmentInputs, Error> {
        let n = grid.len();
        let mut out = TreatmentInputs::default();
        for tr in &self.treatments {
            if !tr.injected || tr.spec.disable.contains(&Mechanism::Payload) {
                continue;
            }
            let target = match tr.spec.payload.action {
                PayloadAction::AntiInflammatory => &mut out.anti_inflammatory,
                PayloadAction::TrkaAntagonist => &mut out.trka_antagonist,
                PayloadAction::AntiMir199a => &mut out.anti_mir199a,
                // Exosome cargo of the cord actions (Nrf2/HO-1: adipose-MSC; SOCS3/STAT3:
                // endothelial progenitors) both shift macrophages towards M2, the disc's generic
                // exosome input (docs/model.md, "Treatments -> biology").
                PayloadAction::Exosome
                | PayloadAction::Nrf2Exosome
                | PayloadAction::Socs3Exosome => &mut out.exosome,
                // the disc biology has no CCL2-driven monocyte recruitment: no disc effect;
                // a DAMP trap is a carrier action (below), never a payload's
                PayloadAction::Ccl2Trap | PayloadAction::DampTrap => continue,
                PayloadAction::Nanozyme | PayloadAction::None => continue,
            };
            if target.is_empty() {
                *target = vec![0.0; n];
            }
            for (i, x) in target.iter_mut().enumerate() {
                *x += tr.partition[i] * tr.free_w[i];
            }
        }
        let skip: Vec<&str> = self
            .treatments
            .iter()
            .filter(|tr| !tr.injected || tr.spec.disable.contains(&Mechanism::RosScavenging))
            .map(|tr| tr.key.as_str())
            .collect();
        let loads = nanozyme_loads(&self.treatments, ros, &skip);
        if !loads.is_empty() {
            let mut k = vec![0.0; n];
            for (amount, k2) in &loads {
                for (i, x) in k.iter_mut().enumerate() {
                    *x += k2 * amount[i];
                }
            }
            out.nanozyme_rate = k;
        }
        for tr in &self.treatments {
            let (Some(m), Some(d)) = (
                &tr.material,
                tr.spec.carrier.as_ref().and_then(|c| c.damp_trap),
            ) else {
                continue;
            };
            if !tr.injected || tr.spec.disable.contains(&Mechanism::DampScavenging) {
                continue;
            }
            if out.damp_sites_nm.is_empty() {
                out.damp_sites_nm = vec![0.0; n];
                out.damp_kd_nm = vec![0.0; n];
            }
            for i in 0..n {
                // ng/mL x nmol/ng = nmol/mL = 1e3 nM
                let s = m.total(i) * d.sites_nmol_per_ng * 1e3;
                let s0 = out.damp_sites_nm[i];
                if s0 + s > 0.0 {
                    out.damp_kd_nm[i] = (out.damp_kd_nm[i] * s0 + d.k_d_nm * s) / (s0 + s);
                }
                out.damp_sites_nm[i] = s0 + s;
            }
        }
        let np_volume: f64 = (0..n)
            .filter(|&c| grid.labels[c] == NP)
            .map(|c| grid.volume(c))
            .sum();
        let (mut share, mut e_share) = (0.0, 0.0);
        for tr in &self.treatments {
            let Some(c) = &tr.spec.carrier else { continue };
            let Some(e) = c.modulus_kpa else { continue };
            if !tr.injected
                || tr.spec.site != Site::Np
                || tr.spec.disable.contains(&Mechanism::MechanicalSupport)
                || np_volume <= 0.0
            {
                continue;
            }
            let depot: f64 = tr.cells.iter().map(|&c| grid.volume(c)).sum();
            let retained = (-c.clearance_per_s * (t - tr.spec.time_s).max(0.0)).exp();
            let g = depot / np_volume * retained;
            share += g;
            e_share += e * g;
        }
        if share > 0.0 {
            let g = share.min(MAX_IMPLANT_SHARE);
            out.implant = Some(Implant::new(e_share / share, g, 1.0)?);
        }
        Ok(out)
    }
}
