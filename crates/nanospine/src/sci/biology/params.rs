//! Cord secondary-injury constants from the parameter registry (`sci.*`), plus the cell-intrinsic
//! macrophage and cytokine constants shared with the disc (`biology.macrophage.*`,
//! `biology.cytokine.*`, half-effects and drug constants), converted once to internal units.
//!
//! Internal units: time s; H2O2 uM; cytokines and CCL2 pg/mL; drugs, carriers and exosomes
//! ng/mL; cells cells/mm^3. Per-cell secretion is stored as the volumetric rate per unit cell
//! density: (uM/s) or (pg/mL/s) per (cells/mm^3).

use crate::immune::{Cytokine, Polarisation};
use crate::params::Registry;
use crate::Error;

/// mm^3 per litre: (umol/mm^3) -> (umol/L).
const MM3_PER_L: f64 = 1e6;

/// Every cord biology constant, in internal units (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct SciParams {
    /// Hill exponent of cytokine and ROS activations (1) — `biology.signal.hill` (shared).
    pub hill: f64,
    /// Acute insult decay (1/s) — `sci.insult.decay_rate`.
    pub insult_decay: f64,
    /// Insult build-up at full compression (1/s) — `sci.compression.insult_rate`.
    pub compression_insult: f64,
    /// Insult build-up at total ischaemia (1/s) — `sci.ischaemia.insult_rate`.
    pub ischaemia_insult: f64,
    /// Perfusion deficit of half-maximal ischaemic insult (1) — `sci.ischaemia.half`.
    pub ischaemia_half: f64,
    /// Neuron death at full insult (1/s) — `sci.neuron.death_rate`.
    pub neuron_death: f64,
    /// Secondary toxicity weight in neuron death (1) — `sci.neuron.secondary_weight`.
    pub neuron_secondary: f64,
    /// Oligodendrocyte death at full insult (1/s) — `sci.oligodendrocyte.acute_death_rate`.
    pub oligo_acute: f64,
    /// Secondary oligodendrocyte apoptosis (1/s) — `sci.oligodendrocyte.secondary_death_rate`.
    pub oligo_secondary: f64,
    /// Oligodendrocyte repopulation (1/s) — `sci.oligodendrocyte.repopulation_rate`.
    pub oligo_repopulation: f64,
    /// Axon loss at full insult (1/s) — `sci.axon.acute_death_rate`.
    pub axon_acute: f64,
    /// Secondary axon loss (1/s) — `sci.axon.secondary_death_rate`.
    pub axon_secondary: f64,
    /// Axon regrowth (1/s) — `sci.axon.regrowth_rate`.
    pub axon_regrowth: f64,
    /// M1 density of half-maximal neurotoxicity (cells/mm^3) — `sci.toxicity.m1_half`.
    pub tox_m1_half: f64,
    /// H2O2 of half-maximal toxicity (uM) — `sci.toxicity.ros_half`.
    pub tox_ros_half: f64,
    /// TNF-a of half-maximal toxicity (pg/mL) — `sci.toxicity.tnf_half`.
    pub tox_tnf_half: f64,
    /// Vulnerability gain per unit insult (1/s) — `sci.vulnerability.onset_rate`.
    pub vulnerability_on: f64,
    /// Vulnerability loss: injured survivors recover or die (1/s) —
    /// `sci.vulnerability.resolution_rate`.
    pub vulnerability_off: f64,
    /// Scar formation (1/s) — `sci.scar.formation_rate`.
    pub scar_rate: f64,
    /// Debris clearance at saturating phagocytes (1/s) — `sci.debris.clearance_rate`.
    pub debris_clearance: f64,
    /// Phagocyte density of half-maximal clearance (cells/mm^3) — `sci.debris.phagocyte_half`.
    pub phagocyte_half: f64,
    /// Debris of half-maximal M1 cue (1) — `sci.debris.m1_half`.
    pub debris_m1_half: f64,
    /// Neutrophil influx at full insult (cells/mm^3/s) — `sci.neutrophil.recruitment_rate`.
    pub neutrophil_influx: f64,
    /// Neutrophil death (1/s) — `sci.neutrophil.death_rate`.
    pub neutrophil_death: f64,
    /// Neutrophil cytokine output relative to M1 (1) — `sci.neutrophil.cytokine_weight`.
    pub neutrophil_cytokine: f64,
    /// Neutrophils of half-maximal efferocytosis M2 cue (cells/mm^3) —
    /// `sci.neutrophil.efferocytosis_half`.
    pub efferocytosis_half: f64,
    /// H2O2 per neutrophil, (uM/s) per (cells/mm^3) — `sci.neutrophil.ros_production`.
    pub neutrophil_ros: f64,
    /// Monocyte influx at saturating CCL2 (cells/mm^3/s) — `sci.monocyte.recruitment_rate`.
    pub monocyte_influx: f64,
    /// Barrier opening at full insult (1/s) — `sci.barrier.opening_rate`.
    pub barrier_opening: f64,
    /// Barrier resealing (1/s) — `sci.barrier.closing_rate`.
    pub barrier_closing: f64,
    /// CCR2-independent share of recruitment (1) — `sci.monocyte.ccr2_independent_fraction`.
    pub ccr2_independent: f64,
    /// M1 -> M2 switch of recruited macrophages blocked at saturating TNF-a (1) —
    /// `sci.macrophage.tnf_switch_block`.
    pub tnf_switch_block: f64,
    /// Recruited macrophages' polarisation (1/s) — `biology.macrophage.*` (shared with the disc).
    pub macrophages: Polarisation,
    /// Resident microglia's polarisation (1/s) — `sci.microglia.*`.
    pub microglia: Polarisation,
    /// Resting microglia density (cells/mm^3) — `sci.microglia.density`.
    pub microglia_density: f64,
    /// Activated-microglia proliferation (1/s) — `sci.microglia.proliferation_rate`.
    pub microglia_proliferation: f64,
    /// Microglia capacity relative to rest (1) — `sci.microglia.capacity_fold`.
    pub microglia_capacity: f64,
    /// Room one recruited macrophage takes in the microglial niche, in microglia (1) —
    /// `sci.microglia.niche_macrophage_weight`.
    pub microglia_niche_mac: f64,
    /// CCL2 half-effect of recruitment (pg/mL) — `sci.ccl2.half`.
    pub ccl2_half: f64,
    /// CCL2 from injured tissue at full insult (pg/mL/s) — `sci.ccl2.tissue_secretion`.
    pub ccl2_tissue: f64,
    /// CCL2 secretion per M1 cell and decay — `sci.ccl2.m1_secretion`, `sci.ccl2.decay`.
    pub ccl2: Cytokine,
    /// CCL2 sequestration at saturating trap carrier (1/s) — `sci.ccl2.trap_rate`.
    pub ccl2_trap_rate: f64,
    /// Trap carrier of half-maximal sequestration (ng/mL) — `sci.ccl2.trap_half`.
    pub ccl2_trap_half: f64,
    /// TNF-a per M1 and decay — `biology.cytokine.tnf_m1_secretion`, `biology.cytokine.tnf_decay`.
    pub tnf: Cytokine,
    /// Share of the per-cell TNF-a output that M1 cells keep after the acute phase (1) —
    /// `sci.tnf.chronic_output_fraction`. The acute TNF-a comes from the resident microglia at the
    /// full per-cell output in proportion to the insult.
    pub tnf_chronic_fraction: f64,
    /// Share of the per-cell IL-1b output that M1 cells keep after the acute phase (1) —
    /// `sci.il1b.chronic_output_fraction`; the acute IL-1b comes from the resident microglia as
    /// for TNF-a.
    pub il1b_chronic_fraction: f64,
    /// IL-1b per M1 and decay — `biology.cytokine.il1b_m1_secretion`, `biology.cytokine.il1b_decay`.
    pub il1b: Cytokine,
    /// IL-10 per M2 and decay — `biology.cytokine.il10_m2_secretion`, `biology.cytokine.il10_decay`.
    pub il10: Cytokine,
    /// TNF-a half-effect on scar formation (pg/mL) — `biology.nfkb.tnf_half`.
    pub tnf_half: f64,
    /// IL-1b half-effect on scar formation (pg/mL) — `biology.nfkb.il1b_half`.
    pub il1b_half: f64,
    /// IL-10 half-effect (pg/mL) — `biology.cytokine.il10_half`.
    pub il10_half: f64,
    /// H2O2 per M1 cell, (uM/s) per (cells/mm^3) — `biology.ros.m1_production`.
    pub ros_m1: f64,
    /// H2O2 source at full insult (uM/s) — `biology.ros.injury_source`.
    pub ros_insult: f64,
    /// Endogenous H2O2 clearance of the cord tissue (1/s) — `sci.ros.clearance_rate`.
    pub ros_loss: f64,
    /// Anti-inflammatory drug half-effect (ng/mL) — `biology.drug.anti_inflammatory_ec50`.
    pub ai_ec50: f64,
    /// Anti-inflammatory maximal block (1) — `biology.drug.anti_inflammatory_efficacy`.
    pub ai_efficacy: f64,
    /// Exosome half-effect (ng/mL) — `biology.drug.exosome_half`.
    pub exo_half: f64,
    /// Nrf2 activation (1/s) — `sci.nrf2.activation_rate`.
    pub nrf2_on: f64,
    /// Nrf2 deactivation (1/s) — `sci.nrf2.deactivation_rate`.
    pub nrf2_off: f64,
    /// ROS weight in the Nrf2 drive (1) — `sci.nrf2.ros_drive`.
    pub nrf2_ros_drive: f64,
    /// H2O2 clearance gain at full Nrf2 (1) — `sci.nrf2.ros_clearance_gain`.
    pub nrf2_clearance_gain: f64,
    /// Toxicity block at full Nrf2 (1) — `sci.nrf2.protection`.
    pub nrf2_protection: f64,
    /// Nrf2 weight in the M2 cue (1) — `sci.nrf2.m2_weight`.
    pub nrf2_m2_weight: f64,
    /// SOCS3 induction (1/s) — `sci.socs3.activation_rate`.
    pub socs3_on: f64,
    /// SOCS3 decay (1/s) — `sci.socs3.deactivation_rate`.
    pub socs3_off: f64,
    /// M1-cue block at full SOCS3 (1) — `sci.socs3.m1_block`.
    pub socs3_block: f64,
    /// SOCS3 weight in the M2 cue (1) — `sci.socs3.m2_weight`.
    pub socs3_m2_weight: f64,
}

/// Registry entries this module reads (the `sci.*` ones must all be read: a test checks it).
pub const NAMES: &[&str] = &[
    "biology.signal.hill",
    "sci.insult.decay_rate",
    "sci.compression.insult_rate",
    "sci.ischaemia.insult_rate",
    "sci.ischaemia.half",
    "sci.neuron.death_rate",
    "sci.neuron.secondary_weight",
    "sci.oligodendrocyte.acute_death_rate",
    "sci.oligodendrocyte.secondary_death_rate",
    "sci.oligodendrocyte.repopulation_rate",
    "sci.axon.acute_death_rate",
    "sci.axon.secondary_death_rate",
    "sci.axon.regrowth_rate",
    "sci.toxicity.m1_half",
    "sci.toxicity.ros_half",
    "sci.toxicity.tnf_half",
    "sci.vulnerability.onset_rate",
    "sci.vulnerability.resolution_rate",
    "sci.scar.formation_rate",
    "sci.debris.clearance_rate",
    "sci.debris.phagocyte_half",
    "sci.debris.m1_half",
    "sci.neutrophil.recruitment_rate",
    "sci.neutrophil.death_rate",
    "sci.neutrophil.cytokine_weight",
    "sci.neutrophil.ros_production",
    "sci.neutrophil.efferocytosis_half",
    "sci.monocyte.recruitment_rate",
    "sci.monocyte.ccr2_independent_fraction",
    "sci.barrier.opening_rate",
    "sci.barrier.closing_rate",
    "sci.macrophage.tnf_switch_block",
    "biology.macrophage.m0_to_m1_rate",
    "biology.macrophage.m0_to_m2_basal",
    "biology.macrophage.m0_to_m2_max",
    "biology.macrophage.m1_to_m2_rate",
    "biology.macrophage.m2_to_m1_rate",
    "biology.macrophage.death_rate",
    "sci.microglia.density",
    "sci.microglia.activation_rate",
    "sci.microglia.m0_to_m2_basal",
    "sci.microglia.m0_to_m2_max",
    "sci.microglia.m1_to_m2_rate",
    "sci.microglia.m2_to_m1_rate",
    "sci.microglia.revert_rate",
    "sci.microglia.turnover_rate",
    "sci.microglia.proliferation_rate",
    "sci.microglia.capacity_fold",
    "sci.microglia.niche_macrophage_weight",
    "sci.ccl2.half",
    "sci.ccl2.tissue_secretion",
    "sci.ccl2.m1_secretion",
    "sci.ccl2.decay",
    "sci.ccl2.trap_rate",
    "sci.ccl2.trap_half",
    "sci.tnf.chronic_output_fraction",
    "sci.il1b.chronic_output_fraction",
    "biology.cytokine.tnf_m1_secretion",
    "biology.cytokine.tnf_decay",
    "biology.cytokine.il1b_m1_secretion",
    "biology.cytokine.il1b_decay",
    "biology.cytokine.il10_m2_secretion",
    "biology.cytokine.il10_decay",
    "biology.nfkb.tnf_half",
    "biology.nfkb.il1b_half",
    "biology.cytokine.il10_half",
    "biology.ros.m1_production",
    "biology.ros.injury_source",
    "sci.ros.clearance_rate",
    "biology.drug.anti_inflammatory_ec50",
    "biology.drug.anti_inflammatory_efficacy",
    "biology.drug.exosome_half",
    "sci.nrf2.activation_rate",
    "sci.nrf2.deactivation_rate",
    "sci.nrf2.ros_drive",
    "sci.nrf2.ros_clearance_gain",
    "sci.nrf2.protection",
    "sci.nrf2.m2_weight",
    "sci.socs3.activation_rate",
    "sci.socs3.deactivation_rate",
    "sci.socs3.m1_block",
    "sci.socs3.m2_weight",
];

impl SciParams {
    /// Reads every constant from `reg`, converting units. Errors name the parameter.
    pub fn from_registry(reg: &Registry) -> Result<SciParams, Error> {
        let one = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "1")?) };
        let rate = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "1/s")?) };
        let um = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "uM")?) };
        let pgml = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "pg/mL")?) };
        let ngml = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "ng/mL")?) };
        let dens = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "cells/mm^3")?) };
        let influx = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "cells/(mm^3*s)")?) };
        let h2o2 =
            |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "umol/(cells*s)")? * MM3_PER_L) };
        Ok(SciParams {
            hill: one("biology.signal.hill")?,
            insult_decay: rate("sci.insult.decay_rate")?,
            compression_insult: rate("sci.compression.insult_rate")?,
            ischaemia_insult: rate("sci.ischaemia.insult_rate")?,
            ischaemia_half: one("sci.ischaemia.half")?,
            neuron_death: rate("sci.neuron.death_rate")?,
            neuron_secondary: one("sci.neuron.secondary_weight")?,
            oligo_acute: rate("sci.oligodendrocyte.acute_death_rate")?,
            oligo_secondary: rate("sci.oligodendrocyte.secondary_death_rate")?,
            oligo_repopulation: rate("sci.oligodendrocyte.repopulation_rate")?,
            axon_acute: rate("sci.axon.acute_death_rate")?,
            axon_secondary: rate("sci.axon.secondary_death_rate")?,
            axon_regrowth: rate("sci.axon.regrowth_rate")?,
            tox_m1_half: dens("sci.toxicity.m1_half")?,
            tox_ros_half: um("sci.toxicity.ros_half")?,
            tox_tnf_half: pgml("sci.toxicity.tnf_half")?,
            vulnerability_on: rate("sci.vulnerability.onset_rate")?,
            vulnerability_off: rate("sci.vulnerability.resolution_rate")?,
            scar_rate: rate("sci.scar.formation_rate")?,
            debris_clearance: rate("sci.debris.clearance_rate")?,
            phagocyte_half: dens("sci.debris.phagocyte_half")?,
            debris_m1_half: one("sci.debris.m1_half")?,
            neutrophil_influx: influx("sci.neutrophil.recruitment_rate")?,
            neutrophil_death: rate("sci.neutrophil.death_rate")?,
            neutrophil_cytokine: one("sci.neutrophil.cytokine_weight")?,
            neutrophil_ros: h2o2("sci.neutrophil.ros_production")?,
            efferocytosis_half: dens("sci.neutrophil.efferocytosis_half")?,
            monocyte_influx: influx("sci.monocyte.recruitment_rate")?,
            barrier_opening: rate("sci.barrier.opening_rate")?,
            barrier_closing: rate("sci.barrier.closing_rate")?,
            ccr2_independent: one("sci.monocyte.ccr2_independent_fraction")?,
            tnf_switch_block: one("sci.macrophage.tnf_switch_block")?,
            macrophages: Polarisation::macrophages(reg)?,
            microglia: Polarisation {
                m0_to_m1: rate("sci.microglia.activation_rate")?,
                m0_to_m2_basal: rate("sci.microglia.m0_to_m2_basal")?,
                m0_to_m2_max: rate("sci.microglia.m0_to_m2_max")?,
                m1_to_m2: rate("sci.microglia.m1_to_m2_rate")?,
                m2_to_m1: rate("sci.microglia.m2_to_m1_rate")?,
                death: rate("sci.microglia.turnover_rate")?,
                revert: rate("sci.microglia.revert_rate")?,
            },
            microglia_density: dens("sci.microglia.density")?,
            microglia_proliferation: rate("sci.microglia.proliferation_rate")?,
            microglia_capacity: one("sci.microglia.capacity_fold")?,
            microglia_niche_mac: one("sci.microglia.niche_macrophage_weight")?,
            ccl2_half: pgml("sci.ccl2.half")?,
            ccl2_tissue: reg.value_in("sci.ccl2.tissue_secretion", "pg/(mL*s)")?,
            tnf_chronic_fraction: one("sci.tnf.chronic_output_fraction")?,
            il1b_chronic_fraction: one("sci.il1b.chronic_output_fraction")?,
            ccl2: Cytokine::from_registry(reg, "sci.ccl2.m1_secretion", "sci.ccl2.decay")?,
            ccl2_trap_rate: rate("sci.ccl2.trap_rate")?,
            ccl2_trap_half: ngml("sci.ccl2.trap_half")?,
            tnf: Cytokine::from_registry(
                reg,
                "biology.cytokine.tnf_m1_secretion",
                "biology.cytokine.tnf_decay",
            )?,
            il1b: Cytokine::from_registry(
                reg,
                "biology.cytokine.il1b_m1_secretion",
                "biology.cytokine.il1b_decay",
            )?,
            il10: Cytokine::from_registry(
                reg,
                "biology.cytokine.il10_m2_secretion",
                "biology.cytokine.il10_decay",
            )?,
            tnf_half: pgml("biology.nfkb.tnf_half")?,
            il1b_half: pgml("biology.nfkb.il1b_half")?,
            il10_half: pgml("biology.cytokine.il10_half")?,
            ros_m1: h2o2("biology.ros.m1_production")?,
            ros_insult: reg.value_in("biology.ros.injury_source", "uM/s")?,
            ros_loss: rate("sci.ros.clearance_rate")?,
            ai_ec50: ngml("biology.drug.anti_inflammatory_ec50")?,
            ai_efficacy: one("biology.drug.anti_inflammatory_efficacy")?,
            exo_half: ngml("biology.drug.exosome_half")?,
            nrf2_on: rate("sci.nrf2.activation_rate")?,
            nrf2_off: rate("sci.nrf2.deactivation_rate")?,
            nrf2_ros_drive: one("sci.nrf2.ros_drive")?,
            nrf2_clearance_gain: one("sci.nrf2.ros_clearance_gain")?,
            nrf2_protection: one("sci.nrf2.protection")?,
            nrf2_m2_weight: one("sci.nrf2.m2_weight")?,
            socs3_on: rate("sci.socs3.activation_rate")?,
            socs3_off: rate("sci.socs3.deactivation_rate")?,
            socs3_block: one("sci.socs3.m1_block")?,
            socs3_m2_weight: one("sci.socs3.m2_weight")?,
        })
    }

    /// The built-in registry's values.
    pub fn builtin() -> Result<SciParams, Error> {
        SciParams::from_registry(&Registry::builtin())
    }
}
