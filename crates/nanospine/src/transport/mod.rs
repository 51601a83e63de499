//! Transport engine: diffusion of any number of solutes on a labelled [`crate::grid::Grid`].
//!
//! Knows nothing of biology: reactions enter as a [`crate::reactions::Process`].
//! * [`operator`]: the finite-volume operator and boundary faces shared by all solvers;
//! * [`lod`]: locally-one-dimensional implicit (backward-Euler) splitting with line (Thomas)
//!   solvers: the fast kernel for large 3-D grids;
//! * [`implicit`]: monolithic Newton solvers (steady state and backward-Euler transient) whose
//!   fixed point is the true discrete steady state.

pub mod implicit;
pub mod lod;
pub mod operator;
