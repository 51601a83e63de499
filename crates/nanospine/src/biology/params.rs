//! Biology constants read from the parameter registry (`biology.*`, plus the H2O2 entries
//! `h2o2.production_per_cell` and `h2o2.endogenous_loss_rate` shared with the delivery engine),
//! converted once to the module's internal units.
//!
//! Internal units: time s; H2O2 uM; cytokines and NGF pg/mL; drugs ng/mL; O2 kPa; glucose mM;
//! cells and macrophages cells/mm^3. Per-cell secretion rates are stored as the volumetric rate per
//! unit cell density: (uM/s) or (pg/mL/s) per (cells/mm^3).

use crate::immune::{Cytokine, Polarisation};
use crate::params::Registry;
use crate::Error;

/// mm^3 per litre: (umol/mm^3) -> (umol/L).
const MM3_PER_L: f64 = 1e6;

/// Every biology constant, in internal units (see the module doc). Field docs name the registry
/// entry each comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct BiologyParams {
    /// Hill exponent of cytokine, ROS and O2 activations (1) — `biology.signal.hill`.
    pub hill: f64,
    /// H2O2 release per stressed disc cell, (uM/s) per (cells/mm^3) — `h2o2.production_per_cell`.
    pub ros_cell_production: f64,
    /// Endogenous first-order H2O2 clearance (1/s) — `h2o2.endogenous_loss_rate`.
    pub ros_loss_rate: f64,
    /// Unstressed fraction of the cell H2O2 release (1) — `biology.ros.basal_fraction`.
    pub ros_basal_fraction: f64,
    /// ROS release of a senescent relative to a viable cell (1) — `biology.ros.senescent_factor`.
    pub ros_senescent_factor: f64,
    /// H2O2 release per M1 macrophage, (uM/s) per (cells/mm^3) — `biology.ros.m1_production`.
    pub ros_m1_production: f64,
    /// H2O2 source at full injury (uM/s) — `biology.ros.injury_source`.
    pub ros_injury_source: f64,
    /// NF-kB contribution to cell stress (1) — `biology.ros.nfkb_coupling`.
    pub ros_nfkb_coupling: f64,
    /// pH of half-maximal acid stress — `biology.stress.acid_ph_half`.
    pub acid_ph_half: f64,
    /// Hill exponent of acid stress in [H+] (1) — `biology.stress.acid_hill`.
    pub acid_hill: f64,
    /// Glucose of half-maximal glucose sufficiency (mM) — `biology.stress.glucose_half`.
    pub glucose_half: f64,
    /// Hill exponent of glucose sufficiency (1) — `biology.stress.glucose_hill`.
    pub glucose_hill: f64,
    /// NF-kB activation rate at full drive (1/s) — `biology.nfkb.activation_rate`.
    pub nfkb_on: f64,
    /// NF-kB deactivation rate (1/s) — `biology.nfkb.deactivation_rate`.
    pub nfkb_off: f64,
    /// NF-kB activation of half-maximal target-gene output (1) — `biology.nfkb.output_half`.
    pub nfkb_output_half: f64,
    /// Hill exponent of the NF-kB target-gene output (1) — `biology.nfkb.output_hill`.
    pub nfkb_output_hill: f64,
    /// H2O2 of half-maximal NF-kB drive (uM) — `biology.nfkb.ros_half`.
    pub nfkb_ros_half: f64,
    /// IL-1b of half-maximal NF-kB drive (pg/mL) — `biology.nfkb.il1b_half`.
    pub il1b_half: f64,
    /// TNF-a of half-maximal NF-kB drive (pg/mL) — `biology.nfkb.tnf_half`.
    pub tnf_half: f64,
    /// Extra NF-kB deactivation at saturating IL-10 (1) — `biology.nfkb.il10_inhibition`.
    pub il10_inhibition: f64,
    /// IL-10 half-effect concentration (pg/mL) — `biology.cytokine.il10_half`.
    pub il10_half: f64,
    /// IL-13 half-effect concentration for M2 polarisation (pg/mL) — `biology.macrophage.il13_half`.
    pub il13_half: f64,
    /// Anti-inflammatory drug half-effect (ng/mL) — `biology.drug.anti_inflammatory_ec50`.
    pub ai_ec50: f64,
    /// Anti-inflammatory maximal block (1) — `biology.drug.anti_inflammatory_efficacy`.
    pub ai_efficacy: f64,
    /// TrkA antagonist IC50 (ng/mL) — `biology.drug.trka_ic50`.
    pub trka_ic50: f64,
    /// Anti-miR-199a half-effect (ng/mL) — `biology.drug.anti_mir199a_half`.
    pub antimir_half: f64,
    /// Maximal antagomir-driven miR-199a loss (1/s) — `biology.drug.anti_mir199a_rate`.
    pub antimir_rate: f64,
    /// Exosome half-effect (ng/mL) — `biology.drug.exosome_half`.
    pub exo_half: f64,
    /// Proliferation gain of saturating exosomes (1) — `biology.drug.exosome_proliferation_gain`.
    pub exo_proliferation_gain: f64,
    /// Matrix-synthesis gain of saturating exosomes (1) — `biology.drug.exosome_synthesis_gain`.
    pub exo_synthesis_gain: f64,
    /// p21 activation rate (1/s) — `biology.senescence.p21_activation_rate`.
    pub p21_on: f64,
    /// p21 deactivation rate (1/s) — `biology.senescence.p21_deactivation_rate`.
    pub p21_off: f64,
    /// H2O2 of half-maximal p21 drive (uM) — `biology.senescence.ros_half`.
    pub senescence_ros_half: f64,
    /// Senescence rate at full p21 drive (1/s) — `biology.senescence.max_rate`.
    pub senescence_max_rate: f64,
    /// Constitutive SASP secretion of senescent cells (1) — `biology.senescence.sasp_fraction`.
    pub sasp_fraction: f64,
    /// Immune clearance of senescent cells (1/s) — `biology.senescence.clearance_young`; the
    /// disease stage moves it towards `biology.senescence.clearance_old` with the ageing index.
    pub senescence_clearance: f64,
    /// Maximal ROS/TNF apoptosis rate (1/s) — `biology.cells.apoptosis_max_rate`.
    pub apoptosis_max_rate: f64,
    /// H2O2 of half-maximal apoptosis (uM) — `biology.cells.apoptosis_ros_half`.
    pub apoptosis_ros_half: f64,
    /// Proliferation rate per unit dead fraction (1/s) — `biology.cells.proliferation_rate`.
    pub proliferation_rate: f64,
    /// Basal aggrecan turnover (1/s) — `biology.ecm.aggrecan_turnover`.
    pub aggrecan_turnover: f64,
    /// Basal collagen turnover (1/s) — `biology.ecm.collagen_turnover`.
    pub collagen_turnover: f64,
    /// NF-kB inhibition of aggrecan/collagen II synthesis (1) — `biology.ecm.nfkb_synthesis_inhibition`.
    pub nfkb_synthesis_inhibition: f64,
    /// ADAMTS multiplier of aggrecan loss (1) — `biology.ecm.adamts_aggrecan_gain`.
    pub adamts_aggrecan_gain: f64,
    /// MMP multiplier of aggrecan loss (1) — `biology.ecm.mmp_aggrecan_gain`.
    pub mmp_aggrecan_gain: f64,
    /// MMP multiplier of collagen II loss (1) — `biology.ecm.mmp_collagen2_gain`.
    pub mmp_collagen2_gain: f64,
    /// MMP multiplier of collagen I loss (1) — `biology.ecm.mmp_collagen1_gain`.
    pub mmp_collagen1_gain: f64,
    /// NF-kB multiplier of collagen I synthesis (1) — `biology.ecm.collagen1_stress_gain`.
    pub collagen1_stress_gain: f64,
    /// MMP activity relaxation rate (1/s) — `biology.protease.mmp_decay`.
    pub mmp_decay: f64,
    /// ADAMTS activity relaxation rate (1/s) — `biology.protease.adamts_decay`.
    pub adamts_decay: f64,
    /// Macrophage polarisation rates (1/s) — `biology.macrophage.{m0_to_m1_rate, m0_to_m2_basal,
    /// m0_to_m2_max, m1_to_m2_rate, m2_to_m1_rate, death_rate}`; no reversion to M0.
    pub macrophages: Polarisation,
    /// IL-1b secretion per M1-equivalent producer, (pg/mL/s) per (cells/mm^3), and decay (1/s) —
    /// `biology.cytokine.il1b_m1_secretion`, `biology.cytokine.il1b_decay`.
    pub il1b: Cytokine,
    /// TNF-a secretion per M1-equivalent producer and decay — `biology.cytokine.tnf_m1_secretion`,
    /// `biology.cytokine.tnf_decay`.
    pub tnf: Cytokine,
    /// IL-10 secretion per M2 macrophage and decay — `biology.cytokine.il10_m2_secretion`,
    /// `biology.cytokine.il10_decay`.
    pub il10: Cytokine,
    /// IL-13 secretion per M2 macrophage and decay — `biology.cytokine.il13_m2_secretion`,
    /// `biology.cytokine.il13_decay`.
    pub il13: Cytokine,
    /// NGF secretion per M1-equivalent producer and decay — `biology.ngf.m1_secretion`,
    /// `biology.ngf.decay`.
    pub ngf: Cytokine,
    /// Disc-cell secretion relative to an M1 macrophage (1) — `biology.cytokine.disc_cell_fraction`.
    pub disc_cell_fraction: f64,
    /// NGF half-saturation of TrkA signalling (pg/mL) — `biology.nerve.ngf_half`.
    pub ngf_half: f64,
    /// Maximal nerve ingrowth rate (1/s) — `biology.nerve.ingrowth_rate`.
    pub ingrowth_rate: f64,
    /// Nerve retraction rate (1/s) — `biology.nerve.retraction_rate`.
    pub retraction_rate: f64,
    /// O2 of half-maximal normoxia sensing (kPa) — `biology.hif.o2_half`.
    pub hif_o2_half: f64,
    /// HIF-1a relaxation rate (1/s) — `biology.hif.rate`.
    pub hif_rate: f64,
    /// HIF-1a stabilisation in normoxia relative to anoxia (1) — `biology.hif.normoxic_fraction`.
    pub hif_normoxic_fraction: f64,
    /// miR-199a level halving HIF-1a synthesis, relative to normoxic (1) — `biology.hif.mir_half`.
    pub hif_mir_half: f64,
    /// Exponent of the HIF-1a ratio in aggrecan/collagen II synthesis (1) —
    /// `biology.hif.synthesis_exponent`.
    pub hif_synthesis_exponent: f64,
    /// Exponent of the HIF-1a ratio (inverse) in apoptosis (1) — `biology.hif.apoptosis_exponent`.
    pub hif_apoptosis_exponent: f64,
    /// Largest fold by which HIF-1a may differ from its reference in the HIF-1a actions (1) —
    /// `biology.hif.activity_fold_max`.
    pub hif_fold_max: f64,
    /// miR-199a relaxation rate (1/s) — `biology.mir199a.rate`.
    pub mir_rate: f64,
    /// Anoxic miR-199a level relative to normoxic (1) — `biology.mir199a.hypoxic_fraction`.
    pub mir_hypoxic_fraction: f64,
    /// Matrix synthesis of a delivered MSC relative to a viable native cell at neutral pH (1) —
    /// `biology.msc.synthesis_fraction`.
    pub msc_synthesis_fraction: f64,
    /// Division rate of a delivered MSC relative to a viable native disc cell at neutral pH (1) —
    /// `biology.msc.proliferation_factor`.
    pub msc_proliferation_factor: f64,
    /// Weight of the delivered MSC fraction in the calcification drive (1) —
    /// `biology.msc.calcification_weight`.
    pub msc_calcification_weight: f64,
    /// Net H2O2 release of an engrafted MSC relative to a viable native cell under the same
    /// stress (1) — `biology.msc.ros_factor`.
    pub msc_ros_factor: f64,
    /// Local exosome concentration per MSC density: EV protein secretion over the EV loss rate,
    /// `q / k` (ng/mL per cells/mL = ng/cell) — `biology.msc.exosome_secretion` and
    /// `biology.msc.exosome_half_life`.
    pub msc_exosome_per_cell: f64,
    /// Random-motility coefficient of engrafted MSCs within the NP (mm^2/s) —
    /// `biology.msc.random_motility` (applied by the disc run as a diffusion of the graft density,
    /// not in the per-voxel right-hand side).
    pub msc_motility: f64,
    /// Maximal calcification rate (1/s) — `biology.calcification.rate`.
    pub calcification_rate: f64,
    /// HIF-1a deficit of half-maximal calcification drive (1) — `biology.calcification.hif_deficit_half`.
    pub calcification_hif_half: f64,
    /// Hill exponent of the calcification drive (1) — `biology.calcification.hill`.
    pub calcification_hill: f64,
}

/// Every registry name the biology reads (for provenance listings and tests).
pub const PARAMETER_NAMES: [&str; 89] = [
    "biology.signal.hill",
    "h2o2.production_per_cell",
    "h2o2.endogenous_loss_rate",
    "biology.ros.basal_fraction",
    "biology.ros.senescent_factor",
    "biology.ros.m1_production",
    "biology.ros.injury_source",
    "biology.ros.nfkb_coupling",
    "biology.stress.acid_ph_half",
    "biology.stress.acid_hill",
    "biology.stress.glucose_half",
    "biology.stress.glucose_hill",
    "biology.nfkb.activation_rate",
    "biology.nfkb.deactivation_rate",
    "biology.nfkb.output_half",
    "biology.nfkb.output_hill",
    "biology.nfkb.ros_half",
    "biology.nfkb.il1b_half",
    "biology.nfkb.tnf_half",
    "biology.nfkb.il10_inhibition",
    "biology.cytokine.il10_half",
    "biology.macrophage.il13_half",
    "biology.drug.anti_inflammatory_ec50",
    "biology.drug.anti_inflammatory_efficacy",
    "biology.drug.trka_ic50",
    "biology.drug.anti_mir199a_half",
    "biology.drug.anti_mir199a_rate",
    "biology.drug.exosome_half",
    "biology.drug.exosome_proliferation_gain",
    "biology.drug.exosome_synthesis_gain",
    "biology.senescence.p21_activation_rate",
    "biology.senescence.p21_deactivation_rate",
    "biology.senescence.ros_half",
    "biology.senescence.max_rate",
    "biology.senescence.sasp_fraction",
    "biology.senescence.clearance_young",
    // read by the disease stage (sim::disease), which moves the clearance with the ageing index
    "biology.senescence.clearance_old",
    "biology.cells.apoptosis_max_rate",
    "biology.cells.apoptosis_ros_half",
    "biology.cells.proliferation_rate",
    "biology.ecm.aggrecan_turnover",
    "biology.ecm.collagen_turnover",
    "biology.ecm.nfkb_synthesis_inhibition",
    "biology.ecm.adamts_aggrecan_gain",
    "biology.ecm.mmp_aggrecan_gain",
    "biology.ecm.mmp_collagen2_gain",
    "biology.ecm.mmp_collagen1_gain",
    "biology.ecm.collagen1_stress_gain",
    "biology.protease.mmp_decay",
    "biology.protease.adamts_decay",
    "biology.macrophage.m0_to_m1_rate",
    "biology.macrophage.m0_to_m2_basal",
    "biology.macrophage.m0_to_m2_max",
    "biology.macrophage.m1_to_m2_rate",
    "biology.macrophage.m2_to_m1_rate",
    "biology.macrophage.death_rate",
    "biology.cytokine.il1b_m1_secretion",
    "biology.cytokine.tnf_m1_secretion",
    "biology.cytokine.il10_m2_secretion",
    "biology.cytokine.il13_m2_secretion",
    "biology.ngf.m1_secretion",
    "biology.cytokine.disc_cell_fraction",
    "biology.cytokine.il1b_decay",
    "biology.cytokine.tnf_decay",
    "biology.cytokine.il10_decay",
    "biology.cytokine.il13_decay",
    "biology.ngf.decay",
    "biology.nerve.ngf_half",
    "biology.nerve.ingrowth_rate",
    "biology.nerve.retraction_rate",
    "biology.hif.o2_half",
    "biology.hif.rate",
    "biology.hif.normoxic_fraction",
    "biology.hif.mir_half",
    "biology.hif.synthesis_exponent",
    "biology.hif.apoptosis_exponent",
    "biology.hif.activity_fold_max",
    "biology.mir199a.rate",
    "biology.mir199a.hypoxic_fraction",
    "biology.msc.synthesis_fraction",
    "biology.msc.proliferation_factor",
    "biology.msc.calcification_weight",
    "biology.msc.ros_factor",
    "biology.msc.exosome_secretion",
    "biology.msc.exosome_half_life",
    "biology.msc.random_motility",
    "biology.calcification.rate",
    "biology.calcification.hif_deficit_half",
    "biology.calcification.hill",
];

impl BiologyParams {
    /// Reads every biology constant from `reg`, converting units. Errors name the parameter.
    pub fn from_registry(reg: &Registry) -> Result<BiologyParams, Error> {
        let one = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "1")?) };
        let rate = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "1/s")?) };
        let um = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "uM")?) };
        let pgml = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "pg/mL")?) };
        let ngml = |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "ng/mL")?) };
        // per-cell release -> volumetric rate per unit cell density
        let h2o2 =
            |n: &str| -> Result<f64, Error> { Ok(reg.value_in(n, "umol/(cells*s)")? * MM3_PER_L) };
        Ok(BiologyParams {
            hill: one("biology.signal.hill")?,
            ros_cell_production: h2o2("h2o2.production_per_cell")?,
            ros_loss_rate: rate("h2o2.endogenous_loss_rate")?,
            ros_basal_fraction: one("biology.ros.basal_fraction")?,
            ros_senescent_factor: one("biology.ros.senescent_factor")?,
            ros_m1_production: h2o2("biology.ros.m1_production")?,
            ros_injury_source: reg.value_in("biology.ros.injury_source", "uM/s")?,
            ros_nfkb_coupling: one("biology.ros.nfkb_coupling")?,
            acid_ph_half: one("biology.stress.acid_ph_half")?,
            acid_hill: one("biology.stress.acid_hill")?,
            glucose_half: reg.value_in("biology.stress.glucose_half", "mM")?,
            glucose_hill: one("biology.stress.glucose_hill")?,
            nfkb_on: rate("biology.nfkb.activation_rate")?,
            nfkb_off: rate("biology.nfkb.deactivation_rate")?,
            nfkb_output_half: one("biology.nfkb.output_half")?,
            nfkb_output_hill: one("biology.nfkb.output_hill")?,
            nfkb_ros_half: um("biology.nfkb.ros_half")?,
            il1b_half: pgml("biology.nfkb.il1b_half")?,
            tnf_half: pgml("biology.nfkb.tnf_half")?,
            il10_inhibition: one("biology.nfkb.il10_inhibition")?,
            il10_half: pgml("biology.cytokine.il10_half")?,
            il13_half: pgml("biology.macrophage.il13_half")?,
            ai_ec50: ngml("biology.drug.anti_inflammatory_ec50")?,
            ai_efficacy: one("biology.drug.anti_inflammatory_efficacy")?,
            trka_ic50: ngml("biology.drug.trka_ic50")?,
            antimir_half: ngml("biology.drug.anti_mir199a_half")?,
            antimir_rate: rate("biology.drug.anti_mir199a_rate")?,
            exo_half: ngml("biology.drug.exosome_half")?,
            exo_proliferation_gain: one("biology.drug.exosome_proliferation_gain")?,
            exo_synthesis_gain: one("biology.drug.exosome_synthesis_gain")?,
            p21_on: rate("biology.senescence.p21_activation_rate")?,
            p21_off: rate("biology.senescence.p21_deactivation_rate")?,
            senescence_ros_half: um("biology.senescence.ros_half")?,
            senescence_max_rate: rate("biology.senescence.max_rate")?,
            sasp_fraction: one("biology.senescence.sasp_fraction")?,
            senescence_clearance: rate("biology.senescence.clearance_young")?,
            apoptosis_max_rate: rate("biology.cells.apoptosis_max_rate")?,
            apoptosis_ros_half: um("biology.cells.apoptosis_ros_half")?,
            proliferation_rate: rate("biology.cells.proliferation_rate")?,
            aggrecan_turnover: rate("biology.ecm.aggrecan_turnover")?,
            collagen_turnover: rate("biology.ecm.collagen_turnover")?,
            nfkb_synthesis_inhibition: one("biology.ecm.nfkb_synthesis_inhibition")?,
            adamts_aggrecan_gain: one("biology.ecm.adamts_aggrecan_gain")?,
            mmp_aggrecan_gain: one("biology.ecm.mmp_aggrecan_gain")?,
            mmp_collagen2_gain: one("biology.ecm.mmp_collagen2_gain")?,
            mmp_collagen1_gain: one("biology.ecm.mmp_collagen1_gain")?,
            collagen1_stress_gain: one("biology.ecm.collagen1_stress_gain")?,
            mmp_decay: rate("biology.protease.mmp_decay")?,
            adamts_decay: rate("biology.protease.adamts_decay")?,
            macrophages: Polarisation::macrophages(reg)?,
            il1b: Cytokine::from_registry(
                reg,
                "biology.cytokine.il1b_m1_secretion",
                "biology.cytokine.il1b_decay",
            )?,
            tnf: Cytokine::from_registry(
                reg,
                "biology.cytokine.tnf_m1_secretion",
                "biology.cytokine.tnf_decay",
            )?,
            il10: Cytokine::from_registry(
                reg,
                "biology.cytokine.il10_m2_secretion",
                "biology.cytokine.il10_decay",
            )?,
            il13: Cytokine::from_registry(
                reg,
                "biology.cytokine.il13_m2_secretion",
                "biology.cytokine.il13_decay",
            )?,
            ngf: Cytokine::from_registry(reg, "biology.ngf.m1_secretion", "biology.ngf.decay")?,
            disc_cell_fraction: one("biology.cytokine.disc_cell_fraction")?,
            ngf_half: pgml("biology.nerve.ngf_half")?,
            ingrowth_rate: rate("biology.nerve.ingrowth_rate")?,
            retraction_rate: rate("biology.nerve.retraction_rate")?,
            hif_o2_half: reg.value_in("biology.hif.o2_half", "kPa")?,
            hif_rate: rate("biology.hif.rate")?,
            hif_normoxic_fraction: one("biology.hif.normoxic_fraction")?,
            hif_mir_half: one("biology.hif.mir_half")?,
            hif_synthesis_exponent: one("biology.hif.synthesis_exponent")?,
            hif_apoptosis_exponent: one("biology.hif.apoptosis_exponent")?,
            hif_fold_max: one("biology.hif.activity_fold_max")?,
            mir_rate: rate("biology.mir199a.rate")?,
            mir_hypoxic_fraction: one("biology.mir199a.hypoxic_fraction")?,
            msc_synthesis_fraction: one("biology.msc.synthesis_fraction")?,
            msc_proliferation_factor: one("biology.msc.proliferation_factor")?,
            msc_calcification_weight: one("biology.msc.calcification_weight")?,
            msc_ros_factor: one("biology.msc.ros_factor")?,
            // quasi-steady local EV level: secretion (ng/(cell s)) / loss (1/s)
            msc_exosome_per_cell: reg.value_in("biology.msc.exosome_secretion", "ng/(cells*s)")?
                * reg.value_in("biology.msc.exosome_half_life", "s")?
                / std::f64::consts::LN_2,
            msc_motility: reg.value_in("biology.msc.random_motility", "mm^2/s")?,
            calcification_rate: rate("biology.calcification.rate")?,
            calcification_hif_half: one("biology.calcification.hif_deficit_half")?,
            calcification_hill: one("biology.calcification.hill")?,
        })
    }

    /// The built-in registry's values.
    pub fn builtin() -> Result<BiologyParams, Error> {
        BiologyParams::from_registry(&Registry::builtin())
    }
}
