//! (being written in a parallel branch; placeholder API so the crate compiles)
use crate::grid::Grid;
use crate::transport::operator::SoluteTransport;

/// LOD solver (placeholder).
pub struct LodSolver;
impl LodSolver {
    /// New solver for a grid.
    pub fn new(_grid: &Grid) -> Self {
        LodSolver
    }
    /// One step.
    pub fn step(&mut self, _grid: &Grid, _solutes: &[SoluteTransport], _fields: &mut [Vec<f64>], _dt: f64) {}
}
