//! Spinal cord injury (SCI): the secondary-injury biology of the cord.
//!
//! * [`biology`]: per-voxel secondary-injury kinetics sharing the macrophage and cytokine
//!   machinery of the disc ([`crate::immune`]).

pub mod biology;
