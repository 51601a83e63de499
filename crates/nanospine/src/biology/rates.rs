//! The right-hand side of the per-voxel biology ODE (equations and references in docs/biology.md).

use super::params::BiologyParams;
use super::state::*;

use crate::immune::any;
pub use crate::immune::hill;

/// The derived signals of one voxel (all dimensionless, 0..1 unless stated), exposed for
/// read-outs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Signals {
    /// ROS activation of NF-kB, `H(ROS; K_ros)`.
    pub h_ros: f64,
    /// IL-1b activation, `H(IL1b; K_il1)`.
    pub h_il1b: f64,
    /// TNF-a activation, `H(TNF; K_tnf)`.
    pub h_tnf: f64,
    /// IL-10 activation, `H(IL10; K_il10)`.
    pub h_il10: f64,
    /// IL-13 activation, `H(IL13; K_il13)`.
    pub h_il13: f64,
    /// Exosome cargo effect, `E / (E + K_exo)`, `E` the delivered cargo plus the EVs of
    /// engrafted MSCs.
    pub h_exo: f64,
    /// Acid stress `1 / (1 + 10^(n (pH - pH50)))`.
    pub acid: f64,
    /// Low-glucose stress `1 - H(G; G50, n)`.
    pub low_glucose: f64,
    /// Cell stress raising ROS release: OR of acid, low glucose, injury and `c_NR * NF-kB`.
    pub cell_stress: f64,
    /// NF-kB drive: OR of ROS, IL-1b, TNF-a, injury and mechanical (overload) stress.
    pub nfkb_drive: f64,
    /// Fractional block by the anti-inflammatory drug, `e * A / (A + EC50)`.
    pub ai_block: f64,
    /// Pro-inflammatory macrophage cue S1 (drives M0->M1, M2->M1), after the drug block.
    pub m1_cue: f64,
    /// Anti-inflammatory macrophage cue S2 (drives M0->M2, M1->M2): OR of IL-10, IL-13, exosomes.
    pub m2_cue: f64,
    /// NF-kB transcriptional output `H(NFkB; K_out, n_out)` (switch-like target-gene induction).
    pub nfkb_output: f64,
    /// Secretory (catabolic) activity of the disc cells, fraction of a fully activated healthy
    /// voxel: `V a + S (s + (1 - s) a)` with `a` the NF-kB output.
    pub catabolic: f64,
    /// Normoxia sensing `H(pO2; K_O2)`.
    pub normoxia: f64,
    /// HIF-1a relative to untreated tissue at the same pO2, `r = HIF / HIF_ref(pO2)`, clamped to
    /// `[1/f, f]` (see [`BiologyParams::hif_ratio`]); 1 in healthy tissue at its steady state.
    pub hif_ratio: f64,
    /// Fraction of TrkA blocked by the antagonist, `T / (T + IC50)`.
    pub trka_block: f64,
    /// Permissiveness of the matrix for nerve ingrowth, `1 - (1 - injury) min(PG, 1)`.
    pub nerve_path: f64,
}

/// Computes the derived signals of state `y` under `inp`.
pub fn signals(p: &BiologyParams, inp: &Inputs, y: &[f64; N_STATE]) -> Signals {
    let n = p.hill;
    let h_ros = hill(y[ROS], p.nfkb_ros_half, n);
    let h_il1b = hill(y[IL1B], p.il1b_half, n);
    let h_tnf = hill(y[TNF], p.tnf_half, n);
    let h_il10 = hill(y[IL10], p.il10_half, n);
    let h_il13 = hill(y[IL13], p.il13_half, n);
    // delivered MSCs act through their own EVs too (paracrine): the quasi-steady local EV
    // level of their secretion, in ng/mL (cells/mm^3 x 1e3 = cells/mL)
    let msc_exo = p.msc_exosome_per_cell * y[MSC].max(0.0) * inp.cell_density * 1e3;
    let h_exo = hill(inp.exosome + msc_exo, p.exo_half, 1.0);
    let acid = 1.0 / (1.0 + 10f64.powf(p.acid_hill * (inp.ph - p.acid_ph_half)));
    let low_glucose = 1.0 - hill(inp.glucose, p.glucose_half, p.glucose_hill);
    let nfkb = y[NFKB].clamp(0.0, 1.0);
    let nfkb_output = hill(nfkb, p.nfkb_output_half, p.nfkb_output_hill);
    let injury = inp.injury;
    let cell_stress = any(&[acid, low_glucose, injury, p.ros_nfkb_coupling * nfkb_output]);
    let nfkb_drive = any(&[h_ros, h_il1b, h_tnf, injury, inp.mechanical_stress]);
    let ai_block = p.ai_efficacy * hill(inp.anti_inflammatory, p.ai_ec50, 1.0);
    let m1_cue = nfkb_drive * (1.0 - ai_block);
    let m2_cue = any(&[h_il10, h_il13, h_exo]);
    let v = y[VIABLE].max(0.0);
    let s = y[SENESCENT].max(0.0);
    let catabolic = v * nfkb_output + s * (p.sasp_fraction + (1.0 - p.sasp_fraction) * nfkb_output);
    let normoxia = hill(inp.po2, p.hif_o2_half, n);
    let hif_ratio = p.hif_ratio(normoxia, y[HIF1A]);
    let trka_block = hill(inp.trka_antagonist, p.trka_ic50, 1.0);
    let nerve_path = 1.0 - (1.0 - injury) * y[PROTEOGLYCAN].clamp(0.0, 1.0);
    Signals {
        h_ros,
        h_il1b,
        h_tnf,
        h_il10,
        h_il13,
        h_exo,
        acid,
        low_glucose,
        cell_stress,
        nfkb_drive,
        ai_block,
        nfkb_output,
        m1_cue,
        m2_cue,
        catabolic,
        normoxia,
        hif_ratio,
        trka_block,
        nerve_path,
    }
}

/// Death rates (1/s) of viable cells (native and engrafted MSCs: stress apoptosis with the
/// HIF-1a factor, plus nutrient deprivation) and of senescent cells (nutrient deprivation).
fn death_rates(p: &BiologyParams, inp: &Inputs, y: &[f64; N_STATE], sg: &Signals) -> (f64, f64) {
    let hif_apo = sg.hif_ratio.powf(-p.hif_apoptosis_exponent);
    let apo = any(&[
        hill(y[ROS].max(0.0), p.apoptosis_ros_half, p.hill),
        sg.h_tnf,
        inp.mechanical_stress,
    ]);
    (
        p.apoptosis_max_rate * apo * hif_apo + inp.nutrient_death_rate,
        inp.nutrient_death_rate,
    )
}

/// Dying cells of state `y` under inputs `inp`, per second, as a fraction of the voxel's initial
/// cell density: `k_die,V (V + MSC) + k_die,S S` (the death terms of [`rhs`]; the immune
/// clearance of senescent cells and the division are left out). What TUNEL counts see.
pub fn dying_cells(p: &BiologyParams, inp: &Inputs, y: &[f64; N_STATE]) -> f64 {
    let (k_v, k_s) = death_rates(p, inp, y, &signals(p, inp, y));
    k_v * (y[VIABLE].max(0.0) + y[MSC].max(0.0)) + k_s * y[SENESCENT].max(0.0)
}

/// Writes `dy/dt` (each entry in its unit per second) of state `y` under inputs `inp`.
pub fn rhs(p: &BiologyParams, inp: &Inputs, y: &[f64; N_STATE], dy: &mut [f64; N_STATE]) {
    let sg = signals(p, inp, y);
    let v = y[VIABLE].max(0.0);
    let s = y[SENESCENT].max(0.0);
    let d = y[DEAD].max(0.0);
    let act = sg.nfkb_output;
    let ros = y[ROS].max(0.0);

    // HIF-1a actions on NP cells (Kim 2021): r^g on synthesis, r^-g on apoptosis; 1 when healthy
    let hif_syn = sg.hif_ratio.powf(p.hif_synthesis_exponent);

    // cells: viable -> senescent (p21), viable/senescent -> dead, dead space refilled by division
    let k_sen = p.senescence_max_rate * y[P21].clamp(0.0, 1.0);
    let (k_die_v, k_die_s) = death_rates(p, inp, y, &sg);
    // delivered MSCs take the room of lost native cells; both divide into what is left
    let msc = y[MSC].max(0.0);
    let room = (d - msc).max(0.0);
    let prolif = p.proliferation_rate * (1.0 + p.exo_proliferation_gain * sg.h_exo) * v * room;
    dy[VIABLE] = -(k_sen + k_die_v) * y[VIABLE] + prolif;
    // senescent cells are cleared (immune surveillance) into the lost fraction
    let k_out_s = k_die_s + p.senescence_clearance;
    dy[SENESCENT] = k_sen * y[VIABLE] - k_out_s * y[SENESCENT];
    dy[DEAD] = k_die_v * y[VIABLE] + k_out_s * y[SENESCENT] - prolif;
    // delivered MSCs: die like viable native cells (stress apoptosis, nutrient deprivation);
    // divide into the room left, inhibited by acidity (Wuertz 2008)
    let acid_ok = 1.0 - sg.acid;
    dy[MSC] =
        p.proliferation_rate * p.msc_proliferation_factor * acid_ok * msc * room - k_die_v * y[MSC];

    // matrix: synthesis by viable non-senescent cells (HIF-1a-dependent), basal +
    // protease-driven degradation
    let synth_cells = v + p.msc_synthesis_fraction * acid_ok * msc;
    let anab = synth_cells * hif_syn * (1.0 + p.exo_synthesis_gain * sg.h_exo)
        / (1.0 + p.nfkb_synthesis_inhibition * act);
    let mmp = y[MMP].max(0.0);
    let adamts = y[ADAMTS].max(0.0);
    dy[PROTEOGLYCAN] = p.aggrecan_turnover
        * (anab
            - (1.0 + p.adamts_aggrecan_gain * adamts + p.mmp_aggrecan_gain * mmp)
                * y[PROTEOGLYCAN]);
    dy[COLLAGEN2] =
        p.collagen_turnover * (anab - (1.0 + p.mmp_collagen2_gain * mmp) * y[COLLAGEN2]);
    dy[COLLAGEN1] = p.collagen_turnover
        * (v * (1.0 + p.collagen1_stress_gain * act)
            - (1.0 + p.mmp_collagen1_gain * mmp) * y[COLLAGEN1]);

    // intracellular signalling
    let off = p.nfkb_off * (1.0 + p.il10_inhibition * sg.h_il10);
    dy[NFKB] = p.nfkb_on * sg.nfkb_drive * (1.0 - sg.ai_block) * (1.0 - y[NFKB]) - off * y[NFKB];
    dy[P21] =
        p.p21_on * hill(ros, p.senescence_ros_half, p.hill) * (1.0 - y[P21]) - p.p21_off * y[P21];
    let mir_target = p.mir_target(sg.normoxia);
    let antimir = p.antimir_rate * hill(inp.anti_mir199a, p.antimir_half, 1.0);
    dy[MIR199A] = p.mir_rate * (mir_target - y[MIR199A]) - antimir * y[MIR199A];
    let hif_target = p.hif_synthesis(sg.normoxia) / (1.0 + y[MIR199A].max(0.0) / p.hif_mir_half);
    dy[HIF1A] = p.hif_rate * (hif_target - y[HIF1A]);

    // proteases follow the secretory activity of the cells
    dy[MMP] = p.mmp_decay * (sg.catabolic - y[MMP]);
    dy[ADAMTS] = p.adamts_decay * (sg.catabolic - y[ADAMTS]);

    // macrophages: influx as M0, cue-driven polarisation, death/egress
    let mac = p.macrophages.rates(
        inp.macrophage_influx,
        sg.m1_cue,
        sg.m2_cue,
        [y[M0], y[M1], y[M2]],
    );
    (dy[M0], dy[M1], dy[M2]) = (mac[0], mac[1], mac[2]);

    // nerves: NGF through unblocked TrkA, along a permissive path
    let ngf_eff = y[NGF].max(0.0) * (1.0 - sg.trka_block);
    dy[INNERVATION] =
        p.ingrowth_rate * hill(ngf_eff, p.ngf_half, 1.0) * sg.nerve_path * (1.0 - y[INNERVATION])
            - p.retraction_rate * y[INNERVATION];

    // calcification: HIF-1a deficit in a degenerate matrix, irreversible
    // the matrix-loss drive, plus the hypertrophic drift of delivered MSCs (Feng 2020)
    let matrix_loss =
        ((1.0 - y[PROTEOGLYCAN]).max(0.0) + p.msc_calcification_weight * msc).min(1.0);
    let hif_deficit = 1.0 - y[HIF1A].clamp(0.0, 1.0);
    dy[CALCIFICATION] = p.calcification_rate
        * hill(hif_deficit, p.calcification_hif_half, p.calcification_hill)
        * matrix_loss
        * (1.0 - y[CALCIFICATION]);

    // solutes
    let rho = inp.cell_density;
    let m1 = y[M1].max(0.0);
    let m2 = y[M2].max(0.0);
    let cells_ros = v + p.msc_ros_factor * msc + p.ros_senescent_factor * s;
    let stress_ros = p.ros_basal_fraction + (1.0 - p.ros_basal_fraction) * sg.cell_stress;
    dy[ROS] = p.ros_cell_production * rho * cells_ros * stress_ros
        + p.ros_m1_production * m1
        + p.ros_injury_source * inp.injury
        - (p.ros_loss_rate + inp.nanozyme_rate) * y[ROS];
    let disc = p.disc_cell_fraction * rho * sg.catabolic;
    dy[IL1B] = p.il1b.rate(m1 + disc, y[IL1B]);
    dy[TNF] = p.tnf.rate(m1 + disc, y[TNF]);
    dy[IL10] = p.il10.rate(m2, y[IL10]);
    dy[IL13] = p.il13.rate(m2, y[IL13]);
    dy[NGF] = p.ngf.rate(m1 + disc, y[NGF]);
}

impl BiologyParams {
    /// HIF-1a synthesis (stabilisation) at normoxia sensing `nx`, before miR-199a repression:
    /// `b + (1 - b)(1 - nx)`, `b` the normoxic fraction.
    #[inline]
    pub fn hif_synthesis(&self, nx: f64) -> f64 {
        self.hif_normoxic_fraction + (1.0 - self.hif_normoxic_fraction) * (1.0 - nx)
    }

    /// The O2-set miR-199a level at normoxia sensing `nx` (relative to normoxic, 1):
    /// `m_h + (1 - m_h) nx`.
    #[inline]
    pub fn mir_target(&self, nx: f64) -> f64 {
        self.mir_hypoxic_fraction + (1.0 - self.mir_hypoxic_fraction) * nx
    }

    /// Reference HIF-1a (fraction of maximal, 1) of untreated tissue at normoxia sensing `nx`:
    /// the HIF-1a steady state with miR-199a at its O2-set level and no anti-miR-199a,
    /// `syn(nx) / (1 + miR*(nx) / K_miR)`. Healthy tissue sits here at any pO2.
    #[inline]
    pub fn hif_reference(&self, nx: f64) -> f64 {
        self.hif_synthesis(nx) / (1.0 + self.mir_target(nx) / self.hif_mir_half)
    }

    /// HIF-1a ratio `r = HIF / HIF_ref(nx)` (1) that scales the HIF-1a actions on matrix
    /// synthesis and apoptosis, clamped to `[1/f, f]` (`f` = `biology.hif.activity_fold_max`).
    /// Below 1 when miR-199a exceeds its O2-set level (e.g. lagging after a fall in pO2), above
    /// 1 when anti-miR-199a removes it; 1 when the reference is zero (no HIF-1a at all).
    pub fn hif_ratio(&self, nx: f64, hif: f64) -> f64 {
        let f = self.hif_fold_max.max(1.0);
        let href = self.hif_reference(nx);
        let r = if href > 0.0 { hif.max(0.0) / href } else { 1.0 };
        r.max(1.0 / f).min(f)
    }

    /// A healthy state ([`BiologyState::healthy`]) with the fast signals (miR-199a, HIF-1a, ROS,
    /// NF-kB, p21) set to their quasi-steady values under `inp` with no inflammation.
    pub fn initial_state(&self, inp: &Inputs) -> BiologyState {
        let mut st = BiologyState::healthy();
        let y = &mut st.0;
        let nx = hill(inp.po2, self.hif_o2_half, self.hill);
        let antimir = self.antimir_rate * hill(inp.anti_mir199a, self.antimir_half, 1.0);
        y[MIR199A] = self.mir_rate * self.mir_target(nx) / (self.mir_rate + antimir);
        y[HIF1A] = self.hif_synthesis(nx) / (1.0 + y[MIR199A] / self.hif_mir_half);
        // ROS and NF-kB: two fixed-point sweeps (the coupling through cell stress is weak)
        for _ in 0..3 {
            let sg = signals(self, inp, y);
            let stress = self.ros_basal_fraction + (1.0 - self.ros_basal_fraction) * sg.cell_stress;
            y[ROS] = (self.ros_cell_production * inp.cell_density * stress
                + self.ros_injury_source * inp.injury)
                / (self.ros_loss_rate + inp.nanozyme_rate);
            let sg = signals(self, inp, y);
            let on = self.nfkb_on * sg.nfkb_drive * (1.0 - sg.ai_block);
            y[NFKB] = on / (on + self.nfkb_off * (1.0 + self.il10_inhibition * sg.h_il10));
        }
        let a = self.p21_on * hill(y[ROS], self.senescence_ros_half, self.hill);
        y[P21] = a / (a + self.p21_off);
        st
    }
}
