//! The per-voxel biology state vector, what each entry means and its unit, and the per-voxel
//! inputs that come from outside the module (transport fields, treatments, injury).

use crate::Error;

/// Number of state variables per voxel (local + solutes).
pub const N_STATE: usize = 24;

/// Viable, non-senescent disc cells (NP or AF), fraction of the initial density (1).
pub const VIABLE: usize = 0;
/// Senescent cells (p53-p21 arrest), fraction of the initial density (1).
pub const SENESCENT: usize = 1;
/// Dead (lost) cells, fraction of the initial density (1). `VIABLE + SENESCENT + DEAD = 1`.
pub const DEAD: usize = 2;
/// Proteoglycan (aggrecan), fraction of healthy content (1).
pub const PROTEOGLYCAN: usize = 3;
/// Collagen II, fraction of healthy content (1).
pub const COLLAGEN2: usize = 4;
/// Collagen I, multiple of healthy content (1); rises above 1 in fibrosis.
pub const COLLAGEN1: usize = 5;
/// NF-kB activation (nuclear p65 fraction), 0..1.
pub const NFKB: usize = 6;
/// p53-p21 senescence drive, 0..1.
pub const P21: usize = 7;
/// HIF-1a, fraction of its maximal (anoxic, miR-free) level, 0..1.
pub const HIF1A: usize = 8;
/// miR-199a, relative to its normoxic level (1 = fully normoxic tissue).
pub const MIR199A: usize = 9;
/// MMP (MMP3/MMP13) activity, relative to a fully induced, fully viable voxel (1).
pub const MMP: usize = 10;
/// ADAMTS4/5 activity, relative to a fully induced, fully viable voxel (1).
pub const ADAMTS: usize = 11;
/// Unpolarised macrophages M0 (cells/mm^3).
pub const M0: usize = 12;
/// Pro-inflammatory macrophages M1 (cells/mm^3).
pub const M1: usize = 13;
/// Anti-inflammatory macrophages M2 (cells/mm^3).
pub const M2: usize = 14;
/// Innervated fraction of the voxel (nerve ingrowth proxy), 0..1.
pub const INNERVATION: usize = 15;
/// Calcified (mineralised) fraction of the voxel, 0..1.
pub const CALCIFICATION: usize = 16;
/// Delivered mesenchymal stromal cells (MSCs) that have engrafted, as a fraction of the voxel's
/// initial native cell density (1). They are not part of `VIABLE + SENESCENT + DEAD = 1`: they
/// occupy the room of lost native cells (docs/biology.md, "Delivered cells").
pub const MSC: usize = 17;
/// Reactive oxygen species as H2O2 (uM). Solute.
pub const ROS: usize = 18;
/// IL-1b (pg/mL). Solute.
pub const IL1B: usize = 19;
/// TNF-a (pg/mL). Solute.
pub const TNF: usize = 20;
/// IL-10 (pg/mL). Solute.
pub const IL10: usize = 21;
/// IL-13 (pg/mL). Solute.
pub const IL13: usize = 22;
/// NGF (pg/mL). Solute.
pub const NGF: usize = 23;

/// The state entries that are diffusing solutes, in the order of [`crate::biology::SoluteMap`].
pub const SOLUTES: [usize; 6] = [ROS, IL1B, TNF, IL10, IL13, NGF];
/// Number of local (non-diffusing) entries: indices `0..N_LOCAL`.
pub const N_LOCAL: usize = 18;

/// Whether a state entry stays in its voxel or is a solute the transport engine moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Stays in the voxel (cells, matrix, intracellular signals, macrophages, nerves, mineral).
    Local,
    /// Diffuses; the transport engine owns its field between reaction steps.
    Solute,
}

/// Description of one state entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Species {
    /// Short name used in tables and outputs.
    pub name: &'static str,
    /// Unit of the value.
    pub unit: &'static str,
    /// Local or solute.
    pub kind: Kind,
    /// A typical magnitude (in `unit`), used to scale finite-difference Jacobian increments and
    /// the default absolute tolerances.
    pub typical: f64,
}

const fn local(name: &'static str, unit: &'static str, typical: f64) -> Species {
    Species {
        name,
        unit,
        kind: Kind::Local,
        typical,
    }
}

const fn solute(name: &'static str, unit: &'static str, typical: f64) -> Species {
    Species {
        name,
        unit,
        kind: Kind::Solute,
        typical,
    }
}

/// Every state entry, indexed like the state vector.
pub const SPECIES: [Species; N_STATE] = [
    local("viable", "1", 1.0),
    local("senescent", "1", 1.0),
    local("dead", "1", 1.0),
    local("proteoglycan", "1", 1.0),
    local("collagen2", "1", 1.0),
    local("collagen1", "1", 1.0),
    local("nfkb", "1", 1.0),
    local("p21", "1", 1.0),
    local("hif1a", "1", 1.0),
    local("mir199a", "1", 1.0),
    local("mmp", "1", 1.0),
    local("adamts", "1", 1.0),
    local("m0", "cells/mm^3", 100.0),
    local("m1", "cells/mm^3", 100.0),
    local("m2", "cells/mm^3", 100.0),
    local("innervation", "1", 1.0),
    local("calcification", "1", 1.0),
    local("msc", "1", 1.0),
    solute("ros_h2o2", "uM", 0.1),
    solute("il1b", "pg/mL", 100.0),
    solute("tnf", "pg/mL", 100.0),
    solute("il10", "pg/mL", 100.0),
    solute("il13", "pg/mL", 100.0),
    solute("ngf", "pg/mL", 100.0),
];

/// The biology state of one voxel (entries indexed by the constants of this module).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BiologyState(pub [f64; N_STATE]);

impl BiologyState {
    /// Healthy tissue: all cells viable, healthy matrix (1), no macrophages, no nerves, no
    /// mineral, no signalling and zero solutes. HIF-1a and miR-199a start at 0 and relax within
    /// hours to days; use [`crate::biology::BiologyParams::initial_state`] for a state with the
    /// fast signals already at their basal values.
    pub fn healthy() -> BiologyState {
        let mut y = [0.0; N_STATE];
        y[VIABLE] = 1.0;
        y[PROTEOGLYCAN] = 1.0;
        y[COLLAGEN2] = 1.0;
        y[COLLAGEN1] = 1.0;
        BiologyState(y)
    }

    /// `viable + senescent + dead` (1 for every valid state).
    pub fn cell_total(&self) -> f64 {
        self.0[VIABLE] + self.0[SENESCENT] + self.0[DEAD]
    }

    /// M1/M2 ratio (dimensionless); `None` when there are no M2 macrophages.
    pub fn m1_m2_ratio(&self) -> Option<f64> {
        (self.0[M2] > 0.0).then(|| self.0[M1] / self.0[M2])
    }

    /// M2 share of the polarised macrophages `M2 / (M1 + M2)`; `None` without polarised cells.
    pub fn m2_share(&self) -> Option<f64> {
        let s = self.0[M1] + self.0[M2];
        (s > 0.0).then(|| self.0[M2] / s)
    }

    /// The first entry that is not finite or below `-tol` times its typical magnitude, with a
    /// message naming it.
    pub fn check(&self, tol: f64) -> Result<(), String> {
        for (i, (&v, sp)) in self.0.iter().zip(SPECIES.iter()).enumerate() {
            if !v.is_finite() || v < -tol * sp.typical {
                return Err(format!(
                    "biology state entry {i} ({}) = {v} {} is not a finite non-negative value",
                    sp.name, sp.unit
                ));
            }
        }
        Ok(())
    }
}

/// Per-voxel inputs from outside the biology, held constant over one reaction step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inputs {
    /// O2 partial pressure (kPa).
    pub po2: f64,
    /// Glucose (mM).
    pub glucose: f64,
    /// pH (from lactate, see [`crate::metabolism`]).
    pub ph: f64,
    /// Initial (healthy) disc-cell density of the voxel (cells/mm^3); cell fractions refer to it.
    pub cell_density: f64,
    /// Death rate of disc cells from nutrient deprivation (1/s), e.g.
    /// [`crate::metabolism::MetabolismParams::death_rate`] (kept there so the law lives in one place).
    pub nutrient_death_rate: f64,
    /// First-order H2O2 scavenging by nanozymes (1/s), e.g. `k2 [NZ] / (1 + H/Km)` from the delivery engine.
    pub nanozyme_rate: f64,
    /// Anti-inflammatory drug (NF-kB pathway inhibitor) concentration (ng/mL).
    pub anti_inflammatory: f64,
    /// TrkA antagonist concentration (ng/mL).
    pub trka_antagonist: f64,
    /// Anti-miR-199a concentration (ng/mL).
    pub anti_mir199a: f64,
    /// Exosome cargo concentration (ng/mL of exosomal protein).
    pub exosome: f64,
    /// Damage-associated stimulus (DAMPs of an AF tear or needle puncture), 0..1.
    pub injury: f64,
    /// Monocyte/macrophage influx at defects (cells/(mm^3 s)), entering as M0.
    pub macrophage_influx: f64,
    /// Mechanical overload stress on the cells (axial compression above physiological), 0..1:
    /// adds to the apoptosis activation and to the NF-kB drive (dimensionless).
    pub mechanical_stress: f64,
}

impl Inputs {
    /// Healthy, untreated, uninjured tissue with the given O2 (kPa), glucose (mM), pH and initial
    /// cell density (cells/mm^3).
    pub fn healthy(po2: f64, glucose: f64, ph: f64, cell_density: f64) -> Inputs {
        Inputs {
            po2,
            glucose,
            ph,
            cell_density,
            nutrient_death_rate: 0.0,
            nanozyme_rate: 0.0,
            anti_inflammatory: 0.0,
            trka_antagonist: 0.0,
            anti_mir199a: 0.0,
            exosome: 0.0,
            injury: 0.0,
            macrophage_influx: 0.0,
            mechanical_stress: 0.0,
        }
    }

    /// Checks every input: finite, non-negative, `injury` and `mechanical_stress` in 0..=1 and
    /// `ph` in 4..=9.
    pub fn validate(&self) -> Result<(), Error> {
        let fields = [
            ("po2", self.po2, "kPa"),
            ("glucose", self.glucose, "mM"),
            ("ph", self.ph, ""),
            ("cell_density", self.cell_density, "cells/mm^3"),
            ("nutrient_death_rate", self.nutrient_death_rate, "1/s"),
            ("nanozyme_rate", self.nanozyme_rate, "1/s"),
            ("anti_inflammatory", self.anti_inflammatory, "ng/mL"),
            ("trka_antagonist", self.trka_antagonist, "ng/mL"),
            ("anti_mir199a", self.anti_mir199a, "ng/mL"),
            ("exosome", self.exosome, "ng/mL"),
            ("injury", self.injury, ""),
            (
                "macrophage_influx",
                self.macrophage_influx,
                "cells/(mm^3 s)",
            ),
            ("mechanical_stress", self.mechanical_stress, ""),
        ];
        for (name, v, unit) in fields {
            if !v.is_finite() || v < 0.0 {
                return Err(Error::Config(format!(
                    "biology input {name} = {v} {unit} must be finite and >= 0"
                )));
            }
        }
        for (name, v) in [
            ("injury", self.injury),
            ("mechanical_stress", self.mechanical_stress),
        ] {
            if v > 1.0 {
                return Err(Error::Config(format!(
                    "biology input {name} = {v} is outside 0..=1"
                )));
            }
        }
        if !(4.0..=9.0).contains(&self.ph) {
            return Err(Error::Config(format!(
                "biology input ph = {} is outside 4..=9",
                self.ph
            )));
        }
        Ok(())
    }
}

impl super::batch::VoxelState for BiologyState {
    fn values(&self) -> &[f64] {
        &self.0
    }
    fn values_mut(&mut self) -> &mut [f64] {
        &mut self.0
    }
}
