//! Spinal cord injury (SCI).
//!
//! * [`biology`]: per-voxel secondary-injury kinetics (neurons, oligodendrocytes, axons, scar,
//!   neutrophils, CCR2-recruited macrophages and resident microglia, Nrf2/HO-1, SOCS3, the
//!   blood-spinal cord barrier; H2O2, TNF-a, IL-1b, IL-10, CCL2), sharing the macrophage and
//!   cytokine machinery of the disc ([`crate::immune`]).
//! * [`process`]: the batched reaction stage coupling the cord biology to solute transport (the
//!   stage the disc uses, [`crate::biology::batch`]).
//! * [`lesion`]: read-outs from the per-voxel fields on the cord grid: lesion volume and length,
//!   spared white matter at the epicentre and along the cord, neuron and oligodendrocyte survival,
//!   macrophage and microglia M1/M2 ratios, chemokine and cytokine means.
//! * [`injury`]: the primary injury models (contusion severity from the device input and its
//!   axial profile; chronic compression and optional ischaemia over time) on the cord grid.
//! * [`locomotor`]: the open-field locomotor scores BBB (rat, 0-21) and BMS (mouse, 0-9) from the
//!   spared white matter and the time since injury.
//! * [`transport`]: the transport coefficients of the cord (CNS extracellular-space diffusion
//!   `D_free H(r) / lambda^2` in grey and white matter, free diffusion and CSF turnover in the
//!   CSF, no-flux dura, closed or continued segment ends; registry `cord_transport.*`) and the
//!   diffusion operators of the five cord solutes and of delivered agents.
//! * [`dosing`]: what each treatment (local, intravenous, intrathecal; carrier or free payload)
//!   puts where in the cord over time, with an exact amount ledger, and the biology inputs it
//!   gives.
//! * [`chemotaxis`]: the conservative chemotaxis-diffusion (Keller-Segel) operator moving a
//!   monocyte/macrophage density (cells/mm^3) within grey and white matter up a CCL2 gradient
//!   (pg/mL), with Scharfetter-Gummel fluxes and positivity-preserving explicit sub-steps.
//!
//! Definitions, the published relations used and their evidence tags are in `docs/cord.md`;
//! constants come from the registry (`sci.*`, `cord_injury.*`).

pub mod biology;
pub mod chemotaxis;
pub mod dosing;
pub mod injury;
pub mod lesion;
pub mod locomotor;
pub mod process;
pub mod transport;
