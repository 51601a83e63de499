//! Assembly: registry values + species preset + grade + grid settings -> a ready-to-run [`Model`].
//! This is the only place where registry names of the nutrition model are read.

use crate::anatomy::{build_grid, BuiltGeometry, DiscGeometry, ExchangePattern, PRESETS};
use crate::grid::{Grid, GridKind, AF, CEP, CEP_SEALED, MAX_LABELS, NP, VOID};
use crate::metabolism::{Metabolism, MetabolismParams, MetabolismSolutes};
use crate::params::Registry;
use crate::reactions::{Process, VoxelCtx};
use crate::scenario::GridSpec;
pub use crate::scenario::{BoundaryForm, BoundarySpec};
use crate::transport::implicit::{steady_state, NewtonOptions, NewtonReport, System};
use crate::transport::operator::SoluteTransport;
use crate::Error;

/// Position of oxygen (kPa) in the solute list.
pub const OXYGEN: usize = 0;
/// Position of glucose (mM) in the solute list.
pub const GLUCOSE: usize = 1;
/// Position of lactate (mM) in the solute list.
pub const LACTATE: usize = 2;

/// Everything needed to simulate one arm.
#[derive(Debug, Clone)]
pub struct Model {
    /// Labelled grid.
    pub grid: Grid,
    /// Geometry as built on the grid.
    pub built: BuiltGeometry,
    /// Preset dimensions used.
    pub geometry: DiscGeometry,
    /// Anatomical disc height of the arm's grade (mm): the preset height with the space between
    /// the CEPs scaled by the grade's height factor. The needle-to-disc-height ratio of an injury
    /// uses it; `built.disc_height` is rounded to whole grid cells (e.g. 2.25 mm for the 2.0 mm
    /// rabbit disc at 0.25 mm spacing), which would make the injury severity depend on the grid.
    pub disc_height_mm: f64,
    /// Solutes: oxygen (kPa), glucose (mM), lactate (mM).
    pub solutes: Vec<SoluteTransport>,
    /// Metabolism and viability.
    pub metabolism: Metabolism,
    /// Initial cell density per cell (cells/mm^3), 0 on void.
    pub rho0: Vec<f64>,
    /// Water fraction per label (dimensionless).
    pub water: [f64; MAX_LABELS],
    /// Effective CEP exchange-area fraction (after degeneration), dimensionless.
    pub cep_exchange_area: f64,
    /// How the disc exchanges solutes with its surroundings (shared by every solute).
    pub exchange: Exchange,
    /// Registry names read, with value and unit, in reading order.
    pub used: Vec<(String, f64, String)>,
}

/// The exchange pathways of the disc: the CEP-vertebra interface (z faces of open CEP cells)
/// and the AF periphery (radial/lateral faces of AF cells).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exchange {
    /// Multiplier of the CEP interface conductance: the exchange-area fraction for the
    /// `uniform` pattern, 1 otherwise (sealing is then geometric), dimensionless.
    pub cep_multiplier: f64,
    /// CEP interface mass-transfer coefficient (mm/s); infinite for the Dirichlet form.
    pub cep_transfer: f64,
    /// Exchange-area fraction of the AF periphery (dimensionless).
    pub af_area: f64,
}

impl Exchange {
    /// Transport description of a solute with diffusivity `d` (mm^2/s) per label, reservoir
    /// values `cep` at the endplate and `af` at the periphery (solute unit).
    pub fn transport(
        &self,
        g: &Grid,
        name: &str,
        unit: &str,
        d: [f64; MAX_LABELS],
        cep: f64,
        af: f64,
    ) -> SoluteTransport {
        let mut s = SoluteTransport::uniform(name, unit, 0.0);
        s.d_by_label = d;
        s.set_boundary(CEP, 2, g.h[2], self.cep_multiplier, self.cep_transfer, cep);
        let axes: &[usize] = match g.kind {
            GridKind::Axisymmetric => &[0],
            GridKind::Cartesian3d => &[0, 1],
        };
        for &axis in axes {
            s.set_boundary(AF, axis, g.h[axis], self.af_area, f64::INFINITY, af);
        }
        s
    }
}

struct Reader<'a> {
    reg: &'a Registry,
    used: Vec<(String, f64, String)>,
}

impl Reader<'_> {
    fn get(&mut self, name: &str) -> Result<f64, Error> {
        let v = self.reg.value(name)?;
        let unit = self
            .reg
            .get(name)
            .map(|p| p.unit.clone())
            .unwrap_or_default();
        if !self.used.iter().any(|(n, _, _)| n == name) {
            self.used.push((name.to_string(), v, unit));
        }
        Ok(v)
    }

    /// Like `get`, converted to `unit` (the registry-unit value is what is recorded).
    fn get_in(&mut self, name: &str, unit: &str) -> Result<f64, Error> {
        self.get(name)?;
        Ok(self.reg.value_in(name, unit)?)
    }
}

/// Mackie-Meares tortuosity factor `(phi / (2 - phi))^2` for water volume fraction `phi`.
pub fn mackie_meares(phi: f64) -> f64 {
    (phi / (2.0 - phi)).powi(2)
}

/// Reads the metabolism and viability parameters.
fn metabolism_params(r: &mut Reader) -> Result<MetabolismParams, Error> {
    Ok(MetabolismParams {
        o2_vmax_slope: r.get("metabolism.oxygen.vmax_slope")?,
        o2_ph_offset: r.get("metabolism.oxygen.ph_offset")?,
        o2_km_intercept: r.get("metabolism.oxygen.km_intercept")?,
        o2_km_slope: r.get("metabolism.oxygen.km_slope")?,
        lac_ln_a: r.get("metabolism.lactate.ln_a")?,
        lac_ph_coeff: r.get("metabolism.lactate.ph_coeff")?,
        lac_po2_coeff: r.get("metabolism.lactate.po2_coeff")?,
        lac_po2_sq_coeff: r.get("metabolism.lactate.po2_sq_coeff")?,
        ph_reference: r.get("metabolism.ph.reference")?,
        ph_lactate_buffer: r.get("metabolism.ph.lactate_buffer")?,
        glucose_half_saturation: r.get("metabolism.glucose.half_saturation")?,
        o2_solubility: r.get("oxygen.solubility")?,
        glucose_threshold: r.get("viability.glucose.threshold")?,
        ph_threshold: r.get("viability.ph.threshold")?,
        ph_death_rate: r.get("viability.ph.death_rate")?,
        glucose_death_scale: r.get_in("viability.glucose.rate_scale", "1/s")?,
        glucose_death_k: r.get("viability.glucose.half_constant")?,
    })
}

/// Builds the model of one arm.
///
/// Degeneration (grade N, relative to the grade II reference of the tissue parameters):
/// NP water = `tissue.np.water_fraction * w_N / w_2`; cell densities x `cell_density_factor_N`;
/// CEP exchange area x `cep_exchange_area_N`; height between the CEPs x `height_factor_N`.
pub fn assemble(
    reg: &Registry,
    species: &str,
    grade: u8,
    grid: &GridSpec,
    boundary: BoundarySpec,
) -> Result<Model, Error> {
    if !PRESETS.contains(&species) {
        return Err(Error::Config(format!(
            "scenario.species = \"{species}\" is not a preset; allowed: {}",
            PRESETS.join(", ")
        )));
    }
    if !(1..=5).contains(&grade) {
        return Err(Error::Config(format!(
            "grade = {grade} is outside the Pfirrmann range 1..=5"
        )));
    }
    let mut r = Reader { reg, used: vec![] };
    let a = |k: &str| format!("anatomy.{species}.{k}");
    let geometry = DiscGeometry {
        disc_height: r.get(&a("disc_height"))?,
        lateral_width: r.get(&a("lateral_width"))?,
        ap_depth: r.get(&a("ap_depth"))?,
        np_width_fraction: r.get(&a("np_width_fraction"))?,
        cep_thickness: r.get(&a("cep_thickness"))?,
        cep_width_fraction: r.get(&a("cep_width_fraction"))?,
    };
    let dg = |k: &str| format!("degeneration.grade{grade}.{k}");
    let height_factor = r.get(&dg("height_factor"))?;
    let np_water_ratio =
        r.get(&dg("np_water_fraction"))? / r.get("degeneration.grade2.np_water_fraction")?;
    let cell_factor = r.get(&dg("cell_density_factor"))?;
    let ea_grade = r.get(&dg("cep_exchange_area"))?;

    let cep_ea = r.get("cep.exchange_area")? * ea_grade;
    let (g, built) = build_grid(
        &geometry,
        height_factor,
        grid.kind,
        grid.spacing_mm,
        grid.shape,
        boundary.pattern,
        cep_ea,
    )
    .map_err(|e| Error::Config(format!("{e} (species {species}, grade {grade})")))?;

    let mut water = [0.0; MAX_LABELS];
    water[NP as usize] = r.get("tissue.np.water_fraction")? * np_water_ratio;
    water[AF as usize] = r.get("tissue.af.water_fraction")?;
    water[CEP as usize] = r.get("tissue.cep.water_fraction")?;
    water[CEP_SEALED as usize] = water[CEP as usize];
    if !(0.0..1.0).contains(&water[NP as usize]) {
        return Err(Error::Config(format!(
            "effective NP water fraction {} is outside (0, 1)",
            water[NP as usize]
        )));
    }
    let mut rho_label = [0.0; MAX_LABELS];
    rho_label[NP as usize] = r.get("tissue.np.cell_density")? * cell_factor;
    rho_label[AF as usize] = r.get("tissue.af.cell_density")? * cell_factor;
    rho_label[CEP as usize] = r.get("tissue.cep.cell_density")? * cell_factor;
    rho_label[CEP_SEALED as usize] = rho_label[CEP as usize];

    let af_ea = r.get("af.exchange_area")?;
    let k_cep = match boundary.form {
        BoundaryForm::Dirichlet => f64::INFINITY,
        BoundaryForm::Robin => r.get("cep.mass_transfer_coefficient")?,
    };

    let exchange = Exchange {
        cep_multiplier: match boundary.pattern {
            ExchangePattern::Uniform => cep_ea,
            ExchangePattern::Central | ExchangePattern::Peripheral => 1.0,
        },
        cep_transfer: k_cep,
        af_area: af_ea,
    };
    let specs = [("oxygen", "kPa"), ("glucose", "mM"), ("lactate", "mM")];
    let mut solutes = Vec::with_capacity(3);
    for (name, unit) in specs {
        let dw = r.get(&format!("{name}.diffusivity.water"))?;
        let mut d = [0.0; MAX_LABELS];
        for l in [NP, AF, CEP, CEP_SEALED] {
            d[l as usize] = dw * mackie_meares(water[l as usize]);
        }
        let cb_cep = r.get(&format!("{name}.boundary.cep"))?;
        let cb_af = r.get(&format!("{name}.boundary.af"))?;
        solutes.push(exchange.transport(&g, name, unit, d, cb_cep, cb_af));
    }
    let p = metabolism_params(&mut r)?;
    let rho0: Vec<f64> = g
        .labels
        .iter()
        .map(|&l| {
            if l == VOID {
                0.0
            } else {
                rho_label[l as usize]
            }
        })
        .collect();
    let disc_height_mm = 2.0 * geometry.cep_thickness
        + (geometry.disc_height - 2.0 * geometry.cep_thickness) * height_factor;
    Ok(Model {
        grid: g,
        built,
        geometry,
        disc_height_mm,
        solutes,
        metabolism: Metabolism {
            p,
            idx: MetabolismSolutes {
                oxygen: OXYGEN,
                glucose: GLUCOSE,
                lactate: LACTATE,
            },
        },
        rho0,
        water,
        cep_exchange_area: cep_ea,
        exchange,
        used: r.used,
    })
}

impl Model {
    /// Viable fraction 1 in every tissue cell, 0 on void cells.
    pub fn initial_viability(&self) -> Vec<f64> {
        self.grid
            .labels
            .iter()
            .map(|&l| if l == VOID { 0.0 } else { 1.0 })
            .collect()
    }

    /// Calls `f` with the reaction-diffusion system of this model (metabolism as the only
    /// process) for the given viability field.
    pub fn with_system<R>(&self, viability: &[f64], f: impl FnOnce(&System) -> R) -> R {
        let ctx = self.contexts(viability);
        let procs: [&dyn Process; 1] = [&self.metabolism];
        let sys = System {
            grid: &self.grid,
            solutes: &self.solutes,
            processes: &procs,
            ctx: &ctx,
        };
        f(&sys)
    }

    /// Solves for the discrete steady state from `u` (overwritten) with the given viability.
    pub fn steady_state(
        &self,
        viability: &[f64],
        u: &mut [Vec<f64>],
        opts: NewtonOptions,
    ) -> Result<NewtonReport, Error> {
        self.with_system(viability, |sys| steady_state(sys, u, opts))
            .map_err(|e| Error::Convergence(format!("steady state: {e}")))
    }

    /// Per-cell reaction context for a given viability field.
    pub fn contexts(&self, viability: &[f64]) -> Vec<VoxelCtx> {
        (0..self.grid.len())
            .map(|c| VoxelCtx {
                label: self.grid.labels[c],
                cell_density: self.rho0[c] * viability[c],
                water_fraction: self.water[self.grid.labels[c] as usize],
                perfusion: 1.0,
            })
            .collect()
    }

    /// Initial fields with every tissue cell at the CEP boundary value of each solute.
    pub fn boundary_fields(&self) -> Vec<Vec<f64>> {
        self.solutes
            .iter()
            .map(|s| {
                let v = s.bc[CEP as usize][2].value;
                self.grid
                    .labels
                    .iter()
                    .map(|&l| if l == VOID { 0.0 } else { v })
                    .collect()
            })
            .collect()
    }
}
