//! Transport of the six biology solutes (H2O2, IL-1b, TNF-a, IL-10, IL-13, NGF): diffusivity per
//! tissue and the linear diffusion operator with the disc's vascular exchange.
//!
//! * H2O2: free diffusivity `h2o2.diffusivity.water` reduced by Mackie-Meares at the tissue's
//!   water, reservoir `h2o2.boundary` at the endplate and periphery (as the delivery engine).
//! * Cytokines and NGF: spheres of Stokes radius `solute.stokes_radius.<name>` (nm), free
//!   diffusivity by Stokes-Einstein at body temperature and hindered by the carrier module's
//!   default law (Gu 2004, AF fit) in NP, AF and CEP; the vascular reservoirs hold none.
//!
//! These are the values at assembly. With the swelling mechanics, the NP diffusivities follow the
//! NP water each step ([`np_water_laws`], [`super::water`]).

use crate::carriers::{hindered, HindranceLaw, HindranceParams, Tissue, WaterLaw};
use crate::delivery::linear::LinearSpecies;
use crate::grid::{AF, CEP, CEP_SEALED, MAX_LABELS, NP};
use crate::params::Registry;
use crate::sim::Model;
use crate::transport::operator::SoluteTransport;
use crate::Error;

/// Names of the protein solutes with a Stokes radius in the registry, in solute order after H2O2.
pub const PROTEINS: [&str; 5] = ["il1b", "tnf", "il10", "il13", "ngf"];

/// Diffusivity per label (mm^2/s) of the six solutes, in the order H2O2, IL-1b, TNF-a, IL-10,
/// IL-13, NGF.
pub fn diffusivities(reg: &Registry, model: &Model) -> Result<Vec<[f64; MAX_LABELS]>, Error> {
    let mut out = Vec::with_capacity(6);
    let dw = reg.value_in("h2o2.diffusivity.water", "mm^2/s")?;
    let mut d = [0.0; MAX_LABELS];
    for l in [NP, AF, CEP, CEP_SEALED] {
        d[l as usize] = dw * crate::sim::model::mackie_meares(model.water[l as usize]);
    }
    out.push(d);
    let hp = HindranceParams::from_registry(reg).map_err(|e| Error::Config(e.0))?;
    for name in PROTEINS {
        let radius = reg.value_in(&format!("solute.stokes_radius.{name}"), "nm")?;
        let mut d = [0.0; MAX_LABELS];
        for (l, t) in [
            (NP, Tissue::Np),
            (AF, Tissue::Af),
            (CEP, Tissue::Cep),
            (CEP_SEALED, Tissue::Cep),
        ] {
            d[l as usize] = hindered(radius, t, HindranceLaw::DEFAULT, &hp)
                .map_err(|e| Error::Config(format!("biology solute {name}: {}", e.0)))?
                .d_mm2_s;
        }
        out.push(d);
    }
    Ok(out)
}

/// How the NP diffusivity of each of the six solutes follows the NP water (same order as
/// [`diffusivities`]): H2O2 by Mackie–Meares, the proteins by the default hindrance law with
/// the NP permeability following the water ([`WaterLaw`]).
pub fn np_water_laws(reg: &Registry) -> Result<Vec<WaterLaw>, Error> {
    let hp = HindranceParams::from_registry(reg).map_err(|e| Error::Config(e.0))?;
    let mut out = vec![WaterLaw::Obstruction];
    for name in PROTEINS {
        let radius = reg.value_in(&format!("solute.stokes_radius.{name}"), "nm")?;
        out.push(
            WaterLaw::hindered(radius, Tissue::Np, HindranceLaw::DEFAULT, &hp)
                .map_err(|e| Error::Config(format!("biology solute {name}: {}", e.0)))?,
        );
    }
    Ok(out)
}

/// The transport coefficients of the six solutes (diffusivities of [`diffusivities`], the
/// disc's vascular exchange; reservoirs: H2O2 at `h2o2.boundary`, the proteins at 0).
pub fn transports(reg: &Registry, model: &Model) -> Result<Vec<SoluteTransport>, Error> {
    let d = diffusivities(reg, model)?;
    let ros_boundary = reg.value_in("h2o2.boundary", "uM")?;
    Ok((0..6)
        .map(|s| {
            let b = if s == 0 { ros_boundary } else { 0.0 };
            model
                .exchange
                .transport(&model.grid, NAMES[s], UNITS[s], d[s], b, b)
        })
        .collect())
}

/// Solute names, in solute order.
pub const NAMES: [&str; 6] = ["h2o2", "il1b", "tnf", "il10", "il13", "ngf"];
/// Concentration units, in solute order.
pub const UNITS: [&str; 6] = ["uM", "pg/mL", "pg/mL", "pg/mL", "pg/mL", "pg/mL"];

/// The diffusion operators of the six solutes (unit partition) on [`transports`].
pub fn operators(reg: &Registry, model: &Model) -> Result<Vec<LinearSpecies>, Error> {
    Ok(transports(reg, model)?
        .iter()
        .map(|t| LinearSpecies::new(&model.grid, t, &[1.0; MAX_LABELS]))
        .collect())
}
