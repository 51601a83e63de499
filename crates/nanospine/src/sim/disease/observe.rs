//! Read-outs of the disease stage: swelling mechanics (height, %DHI, NP water, pressure, imaging
//! proxies) and the disc-level biology read-outs, as named columns for the run's tables.

use super::{Disease, TreatmentInputs};
use crate::biology::state as st;
use crate::grid::{Grid, AF, NP, VOID};
use crate::mechanics::{DiscEquilibrium, Implant, TissueState};
use crate::sim::Model;
use crate::Error;

/// Mechanical read-out columns: (name, unit). `dhi_percent` is `100 H / H(t = 0)` (each disc its
/// own control, vertebral bodies unchanged); NP water under the reference load; T2 and the
/// Pfirrmann proxy from the NP water in the scan posture; implant share of the axial load;
/// `disc_sodium_mm` the tissue sodium of NP and AF together and `np_sodium_mm` that of the NP, in
/// the scan posture (what sodium MRI measures, mmol per L of wet tissue; [`tissue_sodium_mm`]).
pub const MECHANICS_COLUMNS: [(&str, &str); 9] = [
    ("dhi_percent", "%"),
    ("disc_height_mm", "mm"),
    ("np_water_fraction", "1"),
    ("intradiscal_pressure_mpa", "MPa"),
    ("np_t2_ms", "ms"),
    ("pfirrmann_grade", "grade"),
    ("implant_load_share", "1"),
    ("disc_sodium_mm", "mM"),
    ("np_sodium_mm", "mM"),
];

/// Cell death read-out columns: (name, unit). Dying cells per day over the living ones
/// (native viable and senescent cells and engrafted MSCs), from the death terms of the biology
/// under the inputs of the last step ([`crate::biology::rates::dying_cells`]): `cell_death_rate`
/// over NP + AF, `np_cell_death_rate` over the NP. The TUNEL-positive share of the cells is this
/// rate times the time a dying cell stays labelled.
pub const CELL_DEATH_COLUMNS: [(&str, &str); 2] =
    [("cell_death_rate", "1/d"), ("np_cell_death_rate", "1/d")];

/// Tissue sodium (mmol per L of wet tissue) of the native disc in equilibrium `eq`: in each of NP
/// and AF the ideal Donnan sodium of its water ([`crate::mechanics::Osmotic::sodium_molar`]) times
/// its water volume fraction, averaged over the two with the NP share of the cross-section
/// (`np_area_fraction`; both tissues have the column's height). The CEPs and an implant are left
/// out. This is what quantitative sodium MRI of a whole disc reports (e.g. 274.8 mM in normal
/// rabbit discs, dual-tuned 3 T MRI, PMC3421065 [V abstract]).
pub fn tissue_sodium_mm(
    eq: &DiscEquilibrium,
    osm: &crate::mechanics::Osmotic,
    np_area_fraction: f64,
) -> Result<f64, Error> {
    Ok(np_area_fraction * sodium_mm(&eq.np, osm)?
        + (1.0 - np_area_fraction) * sodium_mm(&eq.af, osm)?)
}

/// Tissue sodium (mmol per L of wet tissue) of one swelling tissue: its water volume fraction
/// times the ideal Donnan sodium of its water.
pub fn sodium_mm(
    t: &crate::mechanics::SwellingState,
    osm: &crate::mechanics::Osmotic,
) -> Result<f64, Error> {
    Ok(1e3 * t.water_volume_fraction * osm.sodium_molar(t.fcd_molar)?)
}

/// The unit of a disease-stage read-out column, if `name` is one.
pub fn readout_unit(name: &str) -> Option<&'static str> {
    MECHANICS_COLUMNS
        .iter()
        .chain(crate::biology::readouts::DiscBiologyReadouts::columns().iter())
        .chain(CELL_DEATH_COLUMNS.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, u)| *u)
}

/// Mechanical read-outs of one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MechanicsReadouts {
    /// Tissue composition fed to the column.
    pub tissue: TissueState,
    /// Equilibrium under the species' reference load.
    pub loaded: DiscEquilibrium,
    /// NP water (wet-weight fraction) in the scan posture (imaging maps).
    pub scan_np_water: f64,
    /// Tissue sodium of NP and AF in the scan posture, mmol/L of wet tissue ([`tissue_sodium_mm`]).
    pub scan_sodium_mm: f64,
    /// Tissue sodium of the NP alone in the scan posture, mmol/L of wet tissue ([`sodium_mm`]).
    pub scan_np_sodium_mm: f64,
}

/// Volume mean of state entry `i` over the voxels labelled `label` (NaN when there are none).
pub fn volume_mean(
    grid: &Grid,
    states: &[crate::biology::BiologyState],
    label: u8,
    i: usize,
) -> f64 {
    let (mut s, mut v) = (0.0, 0.0);
    for (c, x) in states.iter().enumerate() {
        if grid.labels[c] == label {
            let w = grid.volume(c);
            s += w * x.0[i];
            v += w;
        }
    }
    if v > 0.0 {
        s / v
    } else {
        f64::NAN
    }
}

impl Disease {
    /// The tissue composition the mechanics sees: NP proteoglycan, AF proteoglycan and AF
    /// collagen I (as the AF matrix modulus fraction), each a volume mean, clamped to [0, 10].
    pub fn tissue_state(&self, grid: &Grid) -> TissueState {
        let m = |l, i| {
            let x = volume_mean(grid, &self.states, l, i);
            if x.is_finite() {
                x.clamp(0.0, 10.0)
            } else {
                1.0
            }
        };
        TissueState {
            np_proteoglycan: m(NP, st::PROTEOGLYCAN),
            af_proteoglycan: m(AF, st::PROTEOGLYCAN),
            af_matrix: m(AF, st::COLLAGEN1),
        }
    }

    /// The column inputs with the treatments' implant: a gel fills at most the cavity the
    /// injury left (the extruded NP fraction, once the injury has happened); injected volume
    /// beyond it leaks out of the track and carries no load, and a gel cannot displace intact
    /// NP. The extruded proteoglycan is then attributed to the cavity, so the native NP beside
    /// the gel keeps `mean PG / (1 - g)`.
    fn column_inputs(
        &self,
        grid: &Grid,
        tr: Option<&TreatmentInputs>,
    ) -> Result<(TissueState, Option<Implant>), Error> {
        let mut tissue = self.tissue_state(grid);
        let cavity = if self.np_loss_done {
            self.injury.np_loss
        } else {
            0.0
        };
        let implant = match tr.and_then(|t| t.implant.as_ref()) {
            Some(i) if cavity > 0.0 => {
                let g = i.np_area_fraction.min(cavity);
                tissue.np_proteoglycan = (tissue.np_proteoglycan / (1.0 - g)).min(10.0);
                Some(Implant::new(i.modulus_kpa, g, i.fill_stretch)?)
            }
            _ => None,
        };
        Ok((tissue, implant))
    }

    /// Mechanics of the current state (at [`Disease::t_now`]) with the treatments' implant, if
    /// any, under the reference load plus an overload's applied stress while loaded.
    pub fn mechanics(
        &self,
        model: &Model,
        tr: Option<&TreatmentInputs>,
    ) -> Result<DiscEquilibrium, Error> {
        let (tissue, implant) = self.column_inputs(&model.grid, tr)?;
        Ok(self.column.equilibrium_degenerate_under(
            &tissue,
            implant.as_ref(),
            self.column.reference_pressure_mpa,
            self.injury.axial_stress_at(self.t_now),
        )?)
    }

    /// Mechanics read-outs (loaded and scan posture; both carry an overload's applied stress
    /// while loaded: the loading device stays on the animal).
    pub fn mechanics_readouts(
        &self,
        model: &Model,
        tr: Option<&TreatmentInputs>,
    ) -> Result<MechanicsReadouts, Error> {
        let (tissue, implant) = self.column_inputs(&model.grid, tr)?;
        let implant = implant.as_ref();
        let extra = self.injury.axial_stress_at(self.t_now);
        let loaded = self.column.equilibrium_degenerate_under(
            &tissue,
            implant,
            self.column.reference_pressure_mpa,
            extra,
        )?;
        let scan = self.column.equilibrium_degenerate_under(
            &tissue,
            implant,
            self.imaging.scan_np_pressure_mpa,
            extra,
        )?;
        Ok(MechanicsReadouts {
            tissue,
            loaded,
            scan_np_water: scan.np.water_wet_fraction,
            scan_sodium_mm: tissue_sodium_mm(
                &scan,
                &self.column.osmotic,
                self.column.np_area_fraction,
            )?,
            scan_np_sodium_mm: sodium_mm(&scan.np, &self.column.osmotic)?,
        })
    }

    /// Column names (stable snake_case read-out names; units from [`readout_unit`]) of
    /// [`Disease::observe`].
    pub fn columns(&self) -> Vec<String> {
        MECHANICS_COLUMNS
            .iter()
            .map(|(n, _)| n.to_string())
            .chain(
                crate::biology::readouts::DiscBiologyReadouts::columns()
                    .iter()
                    .map(|(n, _)| n.to_string()),
            )
            .chain(CELL_DEATH_COLUMNS.iter().map(|(n, _)| n.to_string()))
            .collect()
    }

    /// Appends the values of [`Disease::columns`] to `out`.
    pub fn observe(
        &self,
        model: &Model,
        tr: Option<&TreatmentInputs>,
        rp: &crate::biology::readouts::ReadoutParams,
        out: &mut Vec<f64>,
    ) -> Result<(), Error> {
        let m = self.mechanics_readouts(model, tr)?;
        let t2 = self.imaging.np_t2(m.scan_np_water.clamp(0.0, 1.0))?;
        out.extend([
            100.0 * m.loaded.height_mm / self.height0_mm,
            m.loaded.height_mm,
            m.loaded.np.water_wet_fraction,
            m.loaded.intradiscal_pressure_mpa(),
            t2.t2_ms,
            self.imaging
                .pfirrmann_proxy(m.scan_np_water.clamp(0.0, 1.0))?,
            m.loaded.load_share[2],
            m.scan_sodium_mm,
            m.scan_np_sodium_mm,
        ]);
        let b = crate::biology::readouts::disc_readouts(&model.grid, &self.states, rp)?;
        out.extend(b.values());
        out.extend(self.cell_death_rates(model));
        Ok(())
    }

    /// [`CELL_DEATH_COLUMNS`]: dying over living cells per day in NP + AF and in the NP (1/d);
    /// NaN without living cells. Voxels are weighted by volume times initial cell density
    /// (`Model::rho0`), so the rates count cells.
    pub fn cell_death_rates(&self, model: &Model) -> [f64; 2] {
        let grid = &model.grid;
        // cells dying and living, weighted by volume x initial density: disc, NP
        let (mut dying, mut living) = ([0.0; 2], [0.0; 2]);
        for (c, state) in self.states.iter().enumerate() {
            let lab = grid.labels[c];
            if lab != NP && lab != AF {
                continue;
            }
            let y = &state.0;
            let w = grid.volume(c) * model.rho0[c].max(0.0);
            let d = crate::biology::rates::dying_cells(&self.params, &self.last_inputs[c], y);
            let l = y[st::VIABLE].max(0.0) + y[st::SENESCENT].max(0.0) + y[st::MSC].max(0.0);
            for k in 0..(1 + usize::from(lab == NP)) {
                dying[k] += w * d;
                living[k] += w * l;
            }
        }
        let rate = |k: usize| {
            if living[k] > 0.0 {
                crate::units::SECONDS_PER_DAY * dying[k] / living[k]
            } else {
                f64::NAN
            }
        };
        [rate(0), rate(1)]
    }

    /// Per-voxel fields of the biology for VTK snapshots (NaN on void voxels).
    pub fn fields(&self, grid: &Grid) -> Vec<(String, Vec<f64>)> {
        let mask = |c: usize, v: f64| if grid.labels[c] == VOID { f64::NAN } else { v };
        let mut out = vec![];
        for (i, sp) in st::SPECIES.iter().enumerate() {
            let unit = sp
                .unit
                .replace("cells/mm^3", "cells_per_mm3")
                .replace('/', "_per_");
            let name = if unit == "1" {
                sp.name.to_string()
            } else {
                format!("{}_{}", sp.name, unit)
            };
            out.push((
                name,
                (0..grid.len())
                    .map(|c| mask(c, self.states[c].0[i]))
                    .collect(),
            ));
        }
        out
    }
}
