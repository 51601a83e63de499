//! Coupling the cord secondary-injury biology to the transport engine: the batched reaction stage
//! of one operator-split step ([`react_cord`]), on the same shared stage as the disc
//! ([`crate::biology::batch::react_voxels`]).
//!
//! Solute units: H2O2 uM, TNF-a, IL-1b, IL-10 and CCL2 pg/mL.

use super::biology::state::{CCL2, IL10, IL1B, ROS, SPECIES, TNF};
use super::biology::{advance, Inputs, SciParams, SciState};
use crate::biology::batch::{react_voxels, validate_pairs, BatchStats, StepHints};
use crate::biology::integrator::Options;
use crate::grid::{Grid, VOID};
use crate::Error;

/// Where the five cord solutes sit in the transport engine's solute list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CordSoluteMap {
    /// H2O2 (uM).
    pub ros: usize,
    /// TNF-a (pg/mL).
    pub tnf: usize,
    /// IL-1b (pg/mL).
    pub il1b: usize,
    /// IL-10 (pg/mL).
    pub il10: usize,
    /// CCL2 (pg/mL).
    pub ccl2: usize,
}

impl CordSoluteMap {
    /// The five solutes placed after `offset` other solutes, in the order H2O2, TNF-a, IL-1b,
    /// IL-10, CCL2.
    pub fn after(offset: usize) -> CordSoluteMap {
        CordSoluteMap {
            ros: offset,
            tnf: offset + 1,
            il1b: offset + 2,
            il10: offset + 3,
            ccl2: offset + 4,
        }
    }

    /// `(state index, transport index)` pairs.
    pub fn pairs(&self) -> [(usize, usize); 5] {
        [
            (ROS, self.ros),
            (TNF, self.tnf),
            (IL1B, self.il1b),
            (IL10, self.il10),
            (CCL2, self.ccl2),
        ]
    }

    /// Checks that the indices are distinct and below `n_solutes`.
    pub fn validate(&self, n_solutes: usize) -> Result<(), Error> {
        validate_pairs(&self.pairs(), n_solutes, "cord", |si| SPECIES[si].0)
    }
}

/// Advances the cord biology of every grey and white matter voxel by `dt` (s) (CSF voxels keep
/// their state; their solutes pass through unchanged): solutes are read from and
/// written back to `fields` (indexed by `map`), local state to `states`; inputs per voxel. On
/// failure the first failing voxel is named and nothing changes. With `hints`, each voxel starts
/// from the step size its previous call proposed and from the Jacobian it ended with (a lagged
/// Jacobian, recomputed when Newton fails with it), and stores both anew; results then differ
/// from a cold start within the integrator tolerance only.
#[allow(clippy::too_many_arguments)]
pub fn react_cord(
    params: &SciParams,
    grid: &Grid,
    map: &CordSoluteMap,
    fields: &mut [Vec<f64>],
    states: &mut [SciState],
    inputs: &[Inputs],
    dt: f64,
    opts: &Options,
    hints: Option<&StepHints>,
) -> Result<BatchStats, Error> {
    map.validate(fields.len())?;
    let n = grid.len();
    if inputs.len() != n {
        return Err(Error::Config(format!(
            "react_cord: grid has {n} voxels but {} inputs",
            inputs.len()
        )));
    }
    for (c, inp) in inputs.iter().enumerate() {
        if grid.labels[c] != VOID {
            inp.validate()
                .map_err(|e| Error::Config(format!("voxel {c}: {e}")))?;
        }
    }
    react_voxels(
        grid,
        &map.pairs(),
        fields,
        states,
        "cord biology",
        dt,
        |c, st, ws| {
            // cells live in grey and white matter; CSF voxels only carry solutes
            if !super::lesion::is_tissue(grid.labels[c]) {
                return Ok(Default::default());
            }
            match hints {
                Some(hs) => {
                    if let Some(h) = hs.get(c) {
                        ws.preload_first_step(h);
                    }
                    hs.load_jacobian(c, ws);
                    let r = advance(params, st, &inputs[c], dt, opts, ws);
                    ws.clear_preloaded();
                    if r.is_ok() {
                        hs.set(c, ws.next_step());
                        hs.store_jacobian(c, ws);
                    }
                    r
                }
                None => advance(params, st, &inputs[c], dt, opts, ws),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::biology::integrator::Workspace;
    use crate::grid::{GridKind, GREY, WHITE};
    use crate::sci::biology::default_options;
    use crate::sci::biology::state::{MG_M1, NEURON};

    const DAY: f64 = 86_400.0;

    /// A 4-voxel strip: grey, white, void, grey; severities 1, 0.3, -, 0.
    fn setup() -> (SciParams, Grid, Vec<SciState>, Vec<Inputs>) {
        let q = SciParams::builtin().unwrap();
        let mut g = Grid::new(GridKind::Cartesian3d, [4, 1, 1], [0.1; 3], [0.0; 3], GREY);
        g.labels[1] = WHITE;
        g.labels[2] = VOID;
        let states = vec![
            q.injured_state(1.0),
            q.injured_state(0.3),
            q.intact_state(),
            q.intact_state(),
        ];
        let mut inputs = vec![Inputs::default(); 4];
        inputs[3].anti_inflammatory = 50.0;
        (q, g, states, inputs)
    }

    #[test]
    fn batch_equals_voxel_by_voxel_and_skips_void() {
        let (q, g, mut states, inputs) = setup();
        let map = CordSoluteMap::after(2);
        // fields: two unrelated solutes, then the five cord solutes, seeded from the states
        let mut fields = vec![vec![7.0; 4]; 7];
        for (si, ti) in map.pairs() {
            for c in 0..4 {
                fields[ti][c] = states[c].0[si];
            }
        }
        fields[map.tnf][3] = 500.0; // a solute value that differs from the state's copy
        let before = states.clone();
        let opts = default_options();
        let stats = react_cord(
            &q,
            &g,
            &map,
            &mut fields,
            &mut states,
            &inputs,
            DAY,
            &opts,
            None,
        )
        .unwrap();
        assert_eq!(stats.voxels, 3);
        let mut ws = Workspace::default();
        for c in [0usize, 1, 3] {
            let mut y = before[c];
            for (si, ti) in map.pairs() {
                y.0[si] = if c == 3 && ti == map.tnf {
                    500.0
                } else {
                    y.0[si]
                };
            }
            advance(&q, &mut y, &inputs[c], DAY, &opts, &mut ws).unwrap();
            assert_eq!(y, states[c], "voxel {c}");
            for (si, ti) in map.pairs() {
                assert_eq!(fields[ti][c], y.0[si]);
            }
        }
        assert_eq!(states[2], before[2], "void voxel untouched");
        assert!(fields[0].iter().chain(&fields[1]).all(|&v| v == 7.0));
        assert!(states[0].0[NEURON] < states[1].0[NEURON]);
        assert!(states[0].0[MG_M1] > 0.0);
    }

    #[test]
    fn bad_maps_and_inputs_are_named_errors() {
        let (q, g, mut states, mut inputs) = setup();
        let opts = default_options();
        let mut fields = vec![vec![0.0; 4]; 5];
        let e = react_cord(
            &q,
            &g,
            &CordSoluteMap::after(1),
            &mut fields,
            &mut states,
            &inputs,
            DAY,
            &opts,
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("ccl2"), "{e}");
        inputs[1].compression = 2.0;
        let map = CordSoluteMap::after(0);
        let before = states.clone();
        let e = react_cord(
            &q,
            &g,
            &map,
            &mut fields,
            &mut states,
            &inputs,
            DAY,
            &opts,
            None,
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("voxel 1") && msg.contains("compression"),
            "{msg}"
        );
        assert_eq!(states, before);
        let short = vec![Inputs::default(); 3];
        assert!(react_cord(
            &q,
            &g,
            &map,
            &mut fields,
            &mut states,
            &short,
            DAY,
            &opts,
            None
        )
        .is_err());
    }
}
