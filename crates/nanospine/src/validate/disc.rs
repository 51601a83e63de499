//! Disc-level validation: conservation at steady state and published behaviour of the human
//! L4-L5 nutrition model (healthy extremes; exchange-area sweep of Shirazi-Adl et al. 2010).
//! Nothing here is fitted: the model runs with the registry defaults.

use super::Case;
use crate::grid::{GridKind, NP};
use crate::params::Registry;
use crate::scenario::{GridSpec, Shape};
use crate::sim::{assemble, BoundarySpec, Model, GLUCOSE, LACTATE, OXYGEN};
use crate::transport::implicit::{total_reaction, NewtonOptions};
use crate::transport::operator::boundary_influx;

/// Grid spacing of the validation runs (mm): 44 cells over the 11 mm disc height.
pub const SPACING_MM: f64 = 0.25;

fn grid_spec() -> GridSpec {
    GridSpec {
        kind: GridKind::Axisymmetric,
        spacing_mm: SPACING_MM,
        shape: Shape::Ellipse,
    }
}

/// Steady state of the healthy (grade 2) human L4-L5 disc with CEP exchange area `ea`.
pub fn human_steady(ea: f64) -> Result<(Model, Vec<Vec<f64>>), String> {
    let mut reg = Registry::builtin();
    reg.set_value("cep.exchange_area", ea)
        .map_err(|e| e.to_string())?;
    let model = assemble(&reg, "human_l4l5", 2, &grid_spec(), BoundarySpec::default())
        .map_err(|e| e.to_string())?;
    let mut u = model.boundary_fields();
    model
        .steady_state(
            &model.initial_viability(),
            &mut u,
            NewtonOptions {
                tolerance: 1e-12,
                max_iterations: 60,
            },
        )
        .map_err(|e| e.to_string())?;
    Ok((model, u))
}

/// Boundary influx and total reaction of each solute (unit mm^3/s), in solute order.
pub fn balances(model: &Model, u: &[Vec<f64>]) -> Vec<(f64, f64)> {
    model.with_system(&model.initial_viability(), |sys| {
        (0..model.solutes.len())
            .map(|s| {
                (
                    boundary_influx(&model.grid, &model.solutes[s], &u[s]),
                    total_reaction(sys, u, s),
                )
            })
            .collect()
    })
}

/// Conservation at steady state: glucose influx = consumption; lactate efflux = 2 x glucose uptake;
/// oxygen influx = consumption.
pub fn conservation_cases() -> Result<Vec<Case>, String> {
    let (model, u) = human_steady(1.0)?;
    let b = balances(&model, &u);
    let (g_in, g_rx) = b[GLUCOSE];
    let (l_in, _) = b[LACTATE];
    let (o_in, o_rx) = b[OXYGEN];
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
    Ok(vec![
        Case::at_most(
            "glucose_influx_equals_consumption",
            "|influx - uptake| / uptake",
            rel(g_in, -g_rx),
            1e-6,
        ),
        Case::at_most(
            "lactate_efflux_equals_twice_glucose_uptake",
            "|efflux - 2 uptake| / (2 uptake)",
            rel(-l_in, -2.0 * g_rx),
            1e-6,
        ),
        Case::at_most(
            "oxygen_influx_equals_consumption",
            "|influx - uptake| / uptake",
            rel(o_in, -o_rx),
            1e-6,
        ),
    ])
}

/// Extremes in the NP: (min glucose mM, max lactate mM, min pO2 kPa, min pH).
pub fn np_extremes(model: &Model, u: &[Vec<f64>]) -> (f64, f64, f64, f64) {
    let (mut g, mut l, mut o) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY);
    for c in 0..model.grid.len() {
        if model.grid.labels[c] == NP {
            g = g.min(u[GLUCOSE][c]);
            l = l.max(u[LACTATE][c]);
            o = o.min(u[OXYGEN][c]);
        }
    }
    (g, l, o, model.metabolism.p.ph(l))
}

/// Healthy human disc: NP extremes within the published ranges (see VALIDATION.md for the bands)
/// and glucose, not pH, is the first death criterion reached as supply falls.
pub fn healthy_human_cases() -> Result<Vec<Case>, String> {
    let (model, u) = human_steady(1.0)?;
    let (g, l, o, ph) = np_extremes(&model, &u);
    Ok(vec![
        Case::within("healthy_np_min_glucose", "min NP glucose (mM)", g, 0.5, 3.0),
        Case::within("healthy_np_max_lactate", "max NP lactate (mM)", l, 2.0, 8.0),
        Case::within("healthy_np_min_po2", "min NP pO2 (kPa)", o, 0.1, 3.0),
        Case::within("healthy_np_min_ph", "min NP pH", ph, 6.7, 7.1),
    ])
}

/// One point of the exchange-area sweep: (EA, min NP glucose mM, min NP pH).
pub type SweepPoint = (f64, f64, f64);

/// Exchange-area sweep from 100 % down to 10 % (steps of 5 %): the largest EA at which any NP
/// cell meets a death criterion (glucose < threshold or pH < threshold) at steady state.
/// Returns (onset EA or NaN, the criterion met first: "glucose" / "pH" / "both"), plus the sweep.
pub fn exchange_area_onset() -> Result<(f64, String, Vec<SweepPoint>), String> {
    let mut sweep = vec![];
    let mut onset = f64::NAN;
    let mut first = String::from("none");
    for k in (2..=20).rev() {
        let ea = k as f64 * 0.05;
        let (model, u) = human_steady(ea)?;
        let (g, _, _, ph) = np_extremes(&model, &u);
        sweep.push((ea, g, ph));
        let p = &model.metabolism.p;
        let gl = g < p.glucose_threshold;
        let acid = ph < p.ph_threshold;
        if (gl || acid) && onset.is_nan() {
            onset = ea;
            first = match (gl, acid) {
                (true, true) => "both",
                (true, false) => "glucose",
                _ => "pH",
            }
            .into();
            break;
        }
    }
    Ok((onset, first, sweep))
}

/// Cases of the exchange-area sweep.
pub fn exchange_area_cases() -> Result<Vec<Case>, String> {
    let (full, _) = human_steady(1.0)?;
    let _ = full;
    let (onset, first, _) = exchange_area_onset()?;
    let no_death_at_full = if onset.is_nan() || onset < 1.0 {
        0.0
    } else {
        1.0
    };
    let glucose_first = if first == "glucose" || first == "both" {
        1.0
    } else {
        0.0
    };
    Ok(vec![
        Case::at_most(
            "no_cell_death_at_full_exchange_area",
            "NP cells at risk at EA = 100 % (1 = yes)",
            no_death_at_full,
            0.0,
        ),
        Case::within(
            "death_onset_exchange_area",
            "largest EA with NP cells at risk",
            onset,
            0.25,
            0.55,
        ),
        Case::at_least(
            "glucose_is_limiting",
            "glucose criterion met at onset (1 = yes)",
            glucose_first,
            1.0,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_state_conserves_mass() {
        for c in conservation_cases().unwrap() {
            assert!(c.passed, "{c:?}");
        }
    }

    #[test]
    fn healthy_human_extremes_in_published_ranges() {
        let (model, u) = human_steady(1.0).unwrap();
        let e = np_extremes(&model, &u);
        eprintln!(
            "healthy NP extremes: glucose {:.3} mM, lactate {:.3} mM, pO2 {:.3} kPa, pH {:.3}",
            e.0, e.1, e.2, e.3
        );
        for c in healthy_human_cases().unwrap() {
            assert!(c.passed, "{c:?}");
        }
    }

    #[test]
    fn exchange_area_sweep_onset() {
        let (onset, first, sweep) = exchange_area_onset().unwrap();
        eprintln!("onset {onset} ({first}); sweep {sweep:?}");
        for c in exchange_area_cases().unwrap() {
            assert!(c.passed, "{c:?}");
        }
    }
}

#[cfg(test)]
mod preset_tests {
    use super::*;
    use crate::anatomy::PRESETS;
    use crate::scenario::BoundaryForm;

    fn steady(
        reg: &Registry,
        species: &str,
        spacing: f64,
        boundary: BoundarySpec,
    ) -> (Model, Vec<Vec<f64>>) {
        let spec = GridSpec {
            kind: GridKind::Axisymmetric,
            spacing_mm: spacing,
            shape: Shape::Ellipse,
        };
        let model = assemble(reg, species, 2, &spec, boundary).unwrap();
        let mut u = model.boundary_fields();
        model
            .steady_state(&model.initial_viability(), &mut u, NewtonOptions::default())
            .unwrap();
        (model, u)
    }

    #[test]
    fn every_preset_reaches_a_conservative_steady_state() {
        let reg = Registry::builtin();
        for &species in PRESETS {
            let t = reg
                .value(&format!("anatomy.{species}.cep_thickness"))
                .unwrap();
            let h = reg
                .value(&format!("anatomy.{species}.disc_height"))
                .unwrap();
            let spacing = (t / 2.0).min(h / 24.0);
            let (model, u) = steady(&reg, species, spacing, BoundarySpec::default());
            let b = balances(&model, &u);
            let (g_in, g_rx) = b[GLUCOSE];
            assert!(
                (g_in + g_rx).abs() < 1e-6 * g_in.abs(),
                "{species}: {g_in} vs {g_rx}"
            );
            let (g, _, _, ph) = np_extremes(&model, &u);
            // below the largest supply concentration (5 mM at the AF periphery)
            assert!(
                g > 0.0 && g < 5.0 && ph > 6.0,
                "{species}: glucose {g}, pH {ph}"
            );
            if species != "human_l4l5" && species != "bovine_caudal" && species != "sheep_lumbar" {
                // small discs: diffusion time of minutes, so no nutrient limitation
                // (ivd-transport.md 1.6 [D]: "nutrient limitation is a human-scale problem")
                assert!(g > 3.0, "{species}: min NP glucose {g} mM");
            }
        }
    }

    #[test]
    fn robin_form_tends_to_dirichlet_and_adds_resistance() {
        let mut reg = Registry::builtin();
        let dir = BoundarySpec::default();
        let rob = BoundarySpec {
            form: BoundaryForm::Robin,
            ..dir
        };
        let (m, u) = steady(&reg, "human_l4l5", 0.5, dir);
        let g_dir = np_extremes(&m, &u).0;
        reg.set_value("cep.mass_transfer_coefficient", 0.1).unwrap();
        let (m, u) = steady(&reg, "human_l4l5", 0.5, rob);
        let g_fast = np_extremes(&m, &u).0;
        reg.set_value("cep.mass_transfer_coefficient", 1e-4)
            .unwrap();
        let (m, u) = steady(&reg, "human_l4l5", 0.5, rob);
        let g_slow = np_extremes(&m, &u).0;
        assert!((g_fast - g_dir).abs() < 0.05 * g_dir, "{g_fast} vs {g_dir}");
        assert!(g_slow < g_fast - 0.1, "{g_slow} vs {g_fast}");
    }
}
