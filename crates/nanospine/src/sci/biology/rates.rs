//! The right-hand side of the per-voxel cord secondary-injury ODE (equations and references in
//! docs/cord.md, "Secondary-injury biology").

use super::params::SciParams;
use super::state::*;
use crate::immune::{any, ccr2_recruitment, hill};

/// Derived signals of one voxel (dimensionless, 0..1 unless stated), exposed for tests and
/// read-outs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Signals {
    /// TNF-a activation `H(TNF; K_tnf)`.
    pub h_tnf: f64,
    /// IL-1b activation `H(IL1b; K_il1b)`.
    pub h_il1b: f64,
    /// IL-10 activation `H(IL10; K_il10)`.
    pub h_il10: f64,
    /// H2O2 toxicity `H(ROS; K_tox)`.
    pub h_ros: f64,
    /// Debris-driven M1 cue `H(debris; K_debris)`.
    pub h_debris: f64,
    /// M1 contact toxicity `H(M1_mac + M1_mg; K_m1, 1)`.
    pub h_m1: f64,
    /// Anti-inflammatory drug block `e A / (A + EC50)`.
    pub ai_block: f64,
    /// Pro-inflammatory cue S1 of macrophages and microglia: OR of the acute insult and
    /// `H(debris; K_debris)`, after the drug and SOCS3 blocks.
    pub m1_cue: f64,
    /// Anti-inflammatory cue S2: OR of IL-10, efferocytosis of apoptotic neutrophils
    /// `H(neutrophils; K_eff, 1)`, Nrf2 and SOCS3/STAT3 signalling.
    pub m2_cue: f64,
    /// Secondary toxicity to neurons, oligodendrocytes and axons: OR of `H(TNF; K_tox_tnf)`,
    /// `H(ROS; K_tox)` and `H(M1; K_m1)`, after Nrf2 protection.
    pub toxicity: f64,
    /// Pro-regenerative M2 signal `H(M2_mac + M2_mg; K_m1, 1)`.
    pub h_m2: f64,
    /// Phagocytic capacity `H(macrophages + activated microglia; K_phag, 1)`.
    pub phagocytosis: f64,
    /// Ischaemic insult drive `H(1 - perfusion; K_isch, 2)`.
    pub ischaemia: f64,
}

/// Computes the signals of state `y` under inputs `inp`.
pub fn signals(p: &SciParams, inp: &Inputs, y: &[f64; N_STATE]) -> Signals {
    let n = p.hill;
    let h_tnf = hill(y[TNF], p.tnf_half, n);
    let h_il1b = hill(y[IL1B], p.il1b_half, n);
    let h_il10 = hill(y[IL10], p.il10_half, n);
    let h_ros = hill(y[ROS], p.tox_ros_half, n);
    let h_debris = hill(y[DEBRIS], p.debris_m1_half, n);
    let m1 = y[MAC_M1].max(0.0) + y[MG_M1].max(0.0);
    let m2 = y[MAC_M2].max(0.0) + y[MG_M2].max(0.0);
    let h_m1 = hill(m1, p.tox_m1_half, 1.0);
    let h_m2 = hill(m2, p.tox_m1_half, 1.0);
    let ai_block = p.ai_efficacy * hill(inp.anti_inflammatory, p.ai_ec50, 1.0);
    let socs = y[SOCS3].clamp(0.0, 1.0);
    let nrf = y[NRF2].clamp(0.0, 1.0);
    let insult = y[INSULT].clamp(0.0, 1.0);
    // damage starts and holds M1 polarisation (insult, debris and iron: Kroner 2014); TNF-a and
    // IL-1b act on cell survival and scarring, not as a self-sustaining polarisation loop
    let m1_cue = any(&[h_debris, insult]) * (1.0 - ai_block) * (1.0 - p.socs3_block * socs);
    let h_efferocytosis = hill(y[NEUTROPHIL], p.efferocytosis_half, 1.0);
    let m2_cue = any(&[
        h_il10,
        h_efferocytosis,
        p.nrf2_m2_weight * nrf,
        p.socs3_m2_weight * socs,
    ]);
    let tnf_tox = hill(y[TNF], p.tox_tnf_half, n);
    let toxicity = any(&[tnf_tox, h_ros, h_m1]) * (1.0 - p.nrf2_protection * nrf);
    let phagocytes = y[MAC_M0].max(0.0) + m1 + m2;
    let phagocytosis = hill(phagocytes, p.phagocyte_half, 1.0);
    let ischaemia = hill(1.0 - inp.perfusion, p.ischaemia_half, 2.0);
    Signals {
        h_tnf,
        h_il1b,
        h_il10,
        h_ros,
        h_debris,
        h_m1,
        ai_block,
        m1_cue,
        m2_cue,
        toxicity,
        h_m2,
        phagocytosis,
        ischaemia,
    }
}

/// Loss rates of neurons and oligodendrocytes (1/s, fraction of the intact density per second):
/// the death terms of `N'` and `OL'` in [`rhs`], without the oligodendrocyte repopulation.
/// What TUNEL or cleaved-caspase-3 counts see: dying cells, not the net change.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CellLoss {
    /// `k_N OR(I, w_sec T V) (N - F)_+` (1/s).
    pub neuron: f64,
    /// `(k_OL,acute I + k_OL,sec T V) (OL - F)_+` (1/s).
    pub oligodendrocyte: f64,
    /// `(k_Ax,acute I + k_Ax,sec T V) (Ax - F)_+` (1/s).
    pub axon: f64,
}

/// The cell and fibre loss terms of state `y` under inputs `inp`, from its signals `sg`.
fn cell_loss_of(p: &SciParams, inp: &Inputs, y: &[f64; N_STATE], sg: &Signals) -> CellLoss {
    let insult = y[INSULT].clamp(0.0, 1.0);
    let vulnerable = y[VULNERABLE].clamp(0.0, 1.0);
    // secondary toxicity acts on the vulnerable share of the survivors; under a chronic
    // compression only what lies above its tolerant floor can be lost
    let secondary = sg.toxicity * vulnerable;
    let at_risk = |x: f64| (x - inp.tolerant).max(0.0);
    CellLoss {
        neuron: p.neuron_death
            * any(&[insult, p.neuron_secondary * secondary])
            * at_risk(y[NEURON]),
        oligodendrocyte: (p.oligo_acute * insult + p.oligo_secondary * secondary)
            * at_risk(y[OLIGO]),
        axon: (p.axon_acute * insult + p.axon_secondary * secondary) * at_risk(y[AXON]),
    }
}

/// The cell and fibre loss rates of state `y` under inputs `inp` ([`CellLoss`], 1/s).
pub fn cell_loss(p: &SciParams, inp: &Inputs, y: &[f64; N_STATE]) -> CellLoss {
    cell_loss_of(p, inp, y, &signals(p, inp, y))
}

/// Writes `dy/dt` (each entry in its unit per second) of state `y` under inputs `inp`.
pub fn rhs(p: &SciParams, inp: &Inputs, y: &[f64; N_STATE], dy: &mut [f64; N_STATE]) {
    let sg = signals(p, inp, y);
    let insult = y[INSULT].clamp(0.0, 1.0);
    let access = inp.perfusion.max(0.0);

    // acute insult: decays; chronic compression and ischaemia rebuild it
    dy[INSULT] = (p.compression_insult * inp.compression + p.ischaemia_insult * sg.ischaemia)
        * (1.0 - insult)
        - p.insult_decay * y[INSULT];

    // blood-spinal cord barrier: opened by the insult, resealing over one to two weeks
    dy[BARRIER] = p.barrier_opening * insult * (1.0 - y[BARRIER]) - p.barrier_closing * y[BARRIER];

    // vulnerability: the insult leaves survivors injured (dystrophic axons, stressed glia and
    // neurons); they recover or die over days, after which the survivors resist the toxicity
    let vulnerable = y[VULNERABLE].clamp(0.0, 1.0);
    dy[VULNERABLE] =
        p.vulnerability_on * insult * (1.0 - vulnerable) - p.vulnerability_off * y[VULNERABLE];

    // cells and fibres (cell_loss_of): secondary toxicity on the vulnerable survivors
    let CellLoss {
        neuron: neuron_loss,
        oligodendrocyte: oligo_loss,
        axon: axon_loss,
    } = cell_loss_of(p, inp, y, &sg);
    let permissive = (1.0 - y[SCAR].clamp(0.0, 1.0)) * sg.h_m2;
    dy[NEURON] = -neuron_loss;
    dy[OLIGO] = -oligo_loss + p.oligo_repopulation * permissive * (1.0 - y[OLIGO]).max(0.0);
    dy[AXON] = -axon_loss + p.axon_regrowth * permissive * (1.0 - y[AXON]).max(0.0);
    dy[SCAR] = p.scar_rate * any(&[sg.h_debris, sg.h_tnf, sg.h_il1b]) * (1.0 - y[SCAR]).max(0.0);

    // debris: the mean of the three tissue losses, cleared by phagocytes
    dy[DEBRIS] = (neuron_loss + oligo_loss + axon_loss) / 3.0
        - p.debris_clearance * sg.phagocytosis * y[DEBRIS];

    // leukocytes
    dy[NEUTROPHIL] = p.neutrophil_influx * access * insult - p.neutrophil_death * y[NEUTROPHIL];
    let ccr2 = p.ccr2_independent + (1.0 - p.ccr2_independent) * inp.ccr2_available;
    let barrier = y[BARRIER].clamp(0.0, 1.0);
    let monocytes = ccr2_recruitment(
        p.monocyte_influx,
        y[CCL2],
        p.ccl2_half,
        ccr2,
        access * barrier,
    );
    // TNF-a in the lesion holds recruited macrophages in M1 (Kroner 2014)
    let mac = p.macrophages.rates_with_switch_block(
        monocytes,
        sg.m1_cue,
        sg.m2_cue,
        p.tnf_switch_block * sg.h_tnf,
        [y[MAC_M0], y[MAC_M1], y[MAC_M2]],
    );
    (dy[MAC_M0], dy[MAC_M1], dy[MAC_M2]) = (mac[0], mac[1], mac[2]);
    let mg_total = y[MG_REST].max(0.0) + y[MG_M1].max(0.0) + y[MG_M2].max(0.0);
    // microglia proliferate into the room left in their niche; with the shared-niche option
    // (`niche_macrophage_weight` > 0, off by default) recruited macrophages take room too
    let mac_total = y[MAC_M0].max(0.0) + y[MAC_M1].max(0.0) + y[MAC_M2].max(0.0);
    let room = (1.0
        - (mg_total + p.microglia_niche_mac * mac_total)
            / (p.microglia_capacity * p.microglia_density))
        .max(0.0);
    let mg_influx = p.microglia.death * p.microglia_density
        + p.microglia_proliferation * sg.m1_cue * mg_total * room;
    let mg = p.microglia.rates(
        mg_influx,
        sg.m1_cue,
        sg.m2_cue,
        [y[MG_REST], y[MG_M1], y[MG_M2]],
    );
    (dy[MG_REST], dy[MG_M1], dy[MG_M2]) = (mg[0], mg[1], mg[2]);

    // intracellular brakes
    let exo_nrf2 = hill(inp.nrf2_exosome, p.exo_half, 1.0);
    let exo_socs3 = hill(inp.socs3_exosome, p.exo_half, 1.0);
    dy[NRF2] = p.nrf2_on * any(&[p.nrf2_ros_drive * sg.h_ros, exo_nrf2]) * (1.0 - y[NRF2])
        - p.nrf2_off * y[NRF2];
    dy[SOCS3] =
        p.socs3_on * any(&[sg.h_il10, exo_socs3]) * (1.0 - y[SOCS3]) - p.socs3_off * y[SOCS3];

    // solutes
    let m1 = y[MAC_M1].max(0.0) + y[MG_M1].max(0.0);
    let m2 = y[MAC_M2].max(0.0) + y[MG_M2].max(0.0);
    let neu = y[NEUTROPHIL].max(0.0);
    let pro = m1 + p.neutrophil_cytokine * neu;
    let clearance = p.ros_loss * (1.0 + p.nrf2_clearance_gain * y[NRF2].clamp(0.0, 1.0));
    dy[ROS] = p.neutrophil_ros * neu + p.ros_m1 * m1 + p.ros_insult * insult - clearance * y[ROS];
    // TNF-a and IL-1b: an acute burst from the resident microglia (each at the full per-cell
    // output) while the insult lasts, then M1 cells at a small share of that output (Wang 1996,
    // 1997, 2002)
    let resident = p.microglia_density * insult;
    dy[TNF] = p.tnf.rate(resident + p.tnf_chronic_fraction * pro, y[TNF]);
    dy[IL1B] = p
        .il1b
        .rate(resident + p.il1b_chronic_fraction * pro, y[IL1B]);
    dy[IL10] = p.il10.rate(m2, y[IL10]);
    let trap = p.ccl2_trap_rate * hill(inp.ccl2_trap, p.ccl2_trap_half, 1.0);
    // CCL2: injured tissue (astrocytes, neurons and the resident microglia activated with them)
    // in proportion to the insult, plus recruited M1 macrophages
    let mac_m1 = y[MAC_M1].max(0.0);
    dy[CCL2] = p.ccl2_tissue * insult + p.ccl2.rate(mac_m1, y[CCL2]) - trap * y[CCL2];
}

impl SciParams {
    /// The intact cord: every cell and fibre fraction 1, no insult, debris, leukocytes or
    /// pro-inflammatory cytokines; microglia at their resting steady state (resting plus the
    /// constitutive M2-like share) with the IL-10 they secrete and the SOCS3 it induces.
    pub fn intact_state(&self) -> SciState {
        let mut y = [0.0; N_STATE];
        y[NEURON] = 1.0;
        y[OLIGO] = 1.0;
        y[AXON] = 1.0;
        // resting steady state: M1 = 0 without a pro-inflammatory cue; M2 = k02(s2) M0 / (d + r)
        // with M0 + M2 = density, IL-10 from the M2 share, SOCS3 from IL-10 (fixed point; the
        // couplings are weak, three sweeps converge to round-off)
        let m = &self.microglia;
        for _ in 0..3 {
            let s2 = signals(self, &Inputs::default(), &y).m2_cue;
            let k02 = m.m0_to_m2_basal + (m.m0_to_m2_max - m.m0_to_m2_basal).max(0.0) * s2;
            let ratio = k02 / (m.death + m.revert).max(f64::MIN_POSITIVE);
            y[MG_REST] = self.microglia_density / (1.0 + ratio);
            y[MG_M2] = self.microglia_density - y[MG_REST];
            y[IL10] = self.il10.steady(y[MG_M2]);
            let on = self.socs3_on * hill(y[IL10], self.il10_half, self.hill);
            y[SOCS3] = on / (on + self.socs3_off);
        }
        SciState(y)
    }

    /// The state just after a primary injury of `severity` (0..1) at this voxel: the intact
    /// state with the acute insult set to `severity`.
    pub fn injured_state(&self, severity: f64) -> SciState {
        let mut s = self.intact_state();
        s.0[INSULT] = severity.clamp(0.0, 1.0);
        s
    }
}
