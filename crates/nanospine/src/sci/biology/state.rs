//! The per-voxel secondary-injury state of the spinal cord, what each entry means and its unit,
//! and the per-voxel inputs that come from outside (perfusion, compression, treatments).

use crate::Error;

/// Number of state variables per voxel (local + solutes).
pub const N_STATE: usize = 22;

/// Surviving neurons, fraction of the intact density (1). Meaningful in grey matter.
pub const NEURON: usize = 0;
/// Surviving oligodendrocytes (myelinating), fraction of the intact density (1).
pub const OLIGO: usize = 1;
/// Spared or regrown axons, fraction of the intact axon density (1). Meaningful in white matter.
pub const AXON: usize = 2;
/// Glial scar (reactive astrocyte border), fraction of the voxel, 0..1.
pub const SCAR: usize = 3;
/// Acute insult (excitotoxicity, haemorrhage, mechanical and ischaemic stress), 0..1.
pub const INSULT: usize = 4;
/// Tissue and myelin debris awaiting phagocytic clearance, fraction of the voxel, 0..1.
pub const DEBRIS: usize = 5;
/// Neutrophils (cells/mm^3).
pub const NEUTROPHIL: usize = 6;
/// Monocyte-derived macrophages, unpolarised (cells/mm^3).
pub const MAC_M0: usize = 7;
/// Monocyte-derived macrophages, M1 (cells/mm^3).
pub const MAC_M1: usize = 8;
/// Monocyte-derived macrophages, M2 (cells/mm^3).
pub const MAC_M2: usize = 9;
/// Resident microglia, resting (cells/mm^3).
pub const MG_REST: usize = 10;
/// Resident microglia, M1-like activated (cells/mm^3).
pub const MG_M1: usize = 11;
/// Resident microglia, M2-like activated (cells/mm^3).
pub const MG_M2: usize = 12;
/// Nrf2/HO-1 antioxidant response, 0..1.
pub const NRF2: usize = 13;
/// SOCS3 (JAK2/STAT3 brake) induction, 0..1.
pub const SOCS3: usize = 14;
/// Blood-spinal cord barrier opening at the voxel, 0 (intact) ..1 (fully open): the route of
/// monocyte entry and of blood-borne carriers into the lesion.
pub const BARRIER: usize = 15;
/// Vulnerability of the voxel's surviving cells and fibres to secondary toxicity, 0 (intact
/// tissue, resistant) ..1 (every survivor injured but alive: dystrophic axons, stressed
/// oligodendrocytes and neurons). Raised by the insult, lost as injured survivors recover or
/// die; secondary death acts only in proportion to it (docs/cord.md, "Vulnerability").
pub const VULNERABLE: usize = 16;
/// Reactive oxygen species as H2O2 (uM). Solute.
pub const ROS: usize = 17;
/// TNF-a (pg/mL). Solute.
pub const TNF: usize = 18;
/// IL-1b (pg/mL). Solute.
pub const IL1B: usize = 19;
/// IL-10 (pg/mL). Solute.
pub const IL10: usize = 20;
/// CCL2 / MCP-1 (pg/mL). Solute.
pub const CCL2: usize = 21;

/// The state entries that are diffusing solutes.
pub const SOLUTES: [usize; 5] = [ROS, TNF, IL1B, IL10, CCL2];
/// Number of local (non-diffusing) entries: indices `0..N_LOCAL`.
pub const N_LOCAL: usize = 17;

/// Name, unit and typical magnitude of every state entry, indexed like the state vector.
pub const SPECIES: [(&str, &str, f64); N_STATE] = [
    ("neuron", "1", 1.0),
    ("oligodendrocyte", "1", 1.0),
    ("axon", "1", 1.0),
    ("scar", "1", 1.0),
    ("insult", "1", 1.0),
    ("debris", "1", 1.0),
    ("neutrophil", "cells/mm^3", 1000.0),
    ("macrophage_m0", "cells/mm^3", 10000.0),
    ("macrophage_m1", "cells/mm^3", 10000.0),
    ("macrophage_m2", "cells/mm^3", 10000.0),
    ("microglia_resting", "cells/mm^3", 1000.0),
    ("microglia_m1", "cells/mm^3", 1000.0),
    ("microglia_m2", "cells/mm^3", 1000.0),
    ("nrf2", "1", 1.0),
    ("socs3", "1", 1.0),
    ("barrier", "1", 1.0),
    ("vulnerable", "1", 1.0),
    ("ros", "uM", 1.0),
    ("tnf", "pg/mL", 100.0),
    ("il1b", "pg/mL", 100.0),
    ("il10", "pg/mL", 100.0),
    ("ccl2", "pg/mL", 1000.0),
];

/// Index of the entry named `name` in [`SPECIES`].
pub fn index_of(name: &str) -> Option<usize> {
    SPECIES.iter().position(|s| s.0 == name)
}

/// Per-voxel inputs held constant over one biology step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inputs {
    /// Perfusion relative to normal (1); below 1 under ischaemia. Also scales leukocyte access.
    pub perfusion: f64,
    /// Chronic mechanical compression of the voxel, 0..1 (0 none, 1 the full insult of
    /// `sci.compression.insult_rate`).
    pub compression: f64,
    /// Anti-inflammatory drug, e.g. curcumin (ng/mL).
    pub anti_inflammatory: f64,
    /// CCL2-trapping carrier (CCR2-expressing membrane nanoparticles), ng/mL of carrier.
    pub ccl2_trap: f64,
    /// Nrf2/HO-1-inducing exosomes (e.g. adipose-MSC exosomes), ng/mL protein.
    pub nrf2_exosome: f64,
    /// SOCS3-inducing exosomes (e.g. endothelial-progenitor exosomes), ng/mL protein.
    pub socs3_exosome: f64,
    /// Fraction of monocyte CCR2 available (1 normal; 0 knockout or full blockade).
    pub ccr2_available: f64,
    /// Fraction (0..1) of the voxel's neurons, oligodendrocytes and axons that no loss term can
    /// take: the share that tolerates a chronic compression
    /// ([`crate::sci::injury::tolerant_fraction`]); 0 (everything can be lost) otherwise.
    pub tolerant: f64,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs {
            perfusion: 1.0,
            compression: 0.0,
            anti_inflammatory: 0.0,
            ccl2_trap: 0.0,
            nrf2_exosome: 0.0,
            socs3_exosome: 0.0,
            ccr2_available: 1.0,
            tolerant: 0.0,
        }
    }
}

impl Inputs {
    /// Checks every input is finite and in range; the error names the field, value and range.
    pub fn validate(&self) -> Result<(), Error> {
        let fields = [
            ("perfusion", self.perfusion, 0.0, 2.0),
            ("compression", self.compression, 0.0, 1.0),
            ("anti_inflammatory", self.anti_inflammatory, 0.0, f64::MAX),
            ("ccl2_trap", self.ccl2_trap, 0.0, f64::MAX),
            ("nrf2_exosome", self.nrf2_exosome, 0.0, f64::MAX),
            ("socs3_exosome", self.socs3_exosome, 0.0, f64::MAX),
            ("ccr2_available", self.ccr2_available, 0.0, 1.0),
            ("tolerant", self.tolerant, 0.0, 1.0),
        ];
        for (name, v, lo, hi) in fields {
            if !v.is_finite() || v < lo || v > hi {
                return Err(Error::Config(format!(
                    "cord biology input `{name}` = {v} is out of range; allowed {lo}..={hi}"
                )));
            }
        }
        Ok(())
    }
}

/// The state of one voxel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SciState(pub [f64; N_STATE]);

impl SciState {
    /// Checks every entry is finite and not below `-tol` times its typical magnitude.
    pub fn check(&self, tol: f64) -> Result<(), String> {
        for (i, v) in self.0.iter().enumerate() {
            if !v.is_finite() || *v < -tol * SPECIES[i].2 {
                return Err(format!("cord state `{}` = {v}", SPECIES[i].0));
            }
        }
        Ok(())
    }
}

impl crate::biology::batch::VoxelState for SciState {
    fn values(&self) -> &[f64] {
        &self.0
    }
    fn values_mut(&mut self) -> &mut [f64] {
        &mut self.0
    }
}
