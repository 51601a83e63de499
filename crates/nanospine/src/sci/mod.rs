//! Spinal cord injury (SCI) read-outs computed from the per-voxel secondary-injury fields on the
//! cord grid: lesion volume and length, spared white matter at the epicentre and along the cord,
//! neuron and oligodendrocyte survival, macrophage and microglia M1/M2 ratios, chemokine and
//! cytokine means ([`lesion`]), and the open-field locomotor scores BBB (rat, 0-21) and BMS (mouse,
//! 0-9) from the spared white matter and the time since injury ([`locomotor`]).
//!
//! Definitions, the published relations used and their evidence tags are in `docs/cord.md`
//! ("Read-outs"); constants come from the registry (`sci.lesion.*`, `sci.locomotor.*`).

pub mod lesion;
pub mod locomotor;
