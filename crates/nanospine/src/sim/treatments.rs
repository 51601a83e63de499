//! From a scenario's `[[arm.treatment]]` entries and the carrier/payload presets to the
//! numbers the delivery engine runs on (model units), with every override applied.

use crate::carriers::{self, CarrierPreset, HindranceParams, PayloadPreset, Tissue, WaterLaw};
use crate::delivery::{CarrierSpec, NanozymeSpec, PayloadSpec, RosSpec, TreatmentSpec};
use crate::grid::{AF, CEP, CEP_SEALED, MAX_LABELS, NP};
use crate::params::Registry;
use crate::release::ReleaseLaw;
use crate::scenario::{Concentration, DoseAmount, Treatment};
use crate::sim::Model;
use crate::Error;

/// The carrier id that means "no carrier": a free-drug bolus.
pub const NO_CARRIER: &str = "none";

fn cfg(key: &str, e: impl std::fmt::Display) -> Error {
    Error::Config(format!("{key}: {e}"))
}

/// Value per label from a per-tissue function (sealed CEP takes the CEP value).
fn per_label(mut f: impl FnMut(Tissue) -> Result<f64, Error>) -> Result<[f64; MAX_LABELS], Error> {
    let mut a = [0.0; MAX_LABELS];
    a[NP as usize] = f(Tissue::Np)?;
    a[AF as usize] = f(Tissue::Af)?;
    a[CEP as usize] = f(Tissue::Cep)?;
    a[CEP_SEALED as usize] = a[CEP as usize];
    Ok(a)
}

/// Molar to mass: nM x g/mol = ng/L = 1e-3 ng/mL.
fn nm_to_ng_per_ml(nm: f64, mw: f64) -> f64 {
    nm * mw * 1e-3
}

fn need_mw(t: &Treatment, p: &PayloadPreset, what: &str) -> Error {
    cfg(
        &t.key,
        format!(
            "{what} is molar but payload \"{}\" has no molecular weight; give it as a mass (e.g. \"10 ug\" or \"10 ng/mL\")",
            p.id
        ),
    )
}

/// The dose of treatment `t` as a payload mass (ng): a mass as written, a molar amount (nmol)
/// times the payload's molecular weight (g/mol); a molar dose of a payload without one is an
/// error naming the treatment.
pub(crate) fn dose_ng(t: &Treatment, p: &PayloadPreset) -> Result<f64, Error> {
    Ok(match t.dose {
        DoseAmount::MassNg(v) => v,
        // nmol x g/mol = ng
        DoseAmount::AmountNmol(v) => {
            v * p
                .molecular_weight_g_mol()
                .ok_or_else(|| need_mw(t, p, "dose"))?
        }
    })
}

/// The release law of treatment `t` from carrier `c` (cumulative fraction vs s since
/// injection): the treatment's `release` override, else the preset's law.
pub(crate) fn release_law(t: &Treatment, c: &CarrierPreset) -> Result<ReleaseLaw, Error> {
    match &t.release {
        Some(r) => ReleaseLaw::new(&r.model, &r.params, r.time_unit_s)
            .map_err(|e| cfg(&format!("{}.release", t.key), e)),
        None => c.release_law().map_err(|e| cfg(&t.key, e)),
    }
}

/// The carrier (`None` for [`NO_CARRIER`], a free bolus) and payload presets of treatment
/// `t`; the payload defaults to the carrier's first default payload. Errors name
/// `<key>.carrier`, `<key>.payload` or the treatment.
pub(crate) fn presets(t: &Treatment) -> Result<(Option<CarrierPreset>, PayloadPreset), Error> {
    let key = &t.key;
    let carrier = if t.carrier == NO_CARRIER {
        None
    } else {
        Some(carriers::carrier(&t.carrier).map_err(|e| cfg(&format!("{key}.carrier"), e))?)
    };
    let payload_id = match (&t.payload, &carrier) {
        (Some(p), _) => p.clone(),
        (None, Some(c)) => c.default_payloads.first().cloned().ok_or_else(|| {
            cfg(key, format!("carrier \"{}\" has no default payload; set `payload`", c.id))
        })?,
        (None, None) => {
            return Err(cfg(
                key,
                "a free bolus (carrier = \"none\") needs `payload` (`nanospine carriers` lists payloads)",
            ))
        }
    };
    let payload = carriers::payload(&payload_id).map_err(|e| cfg(&format!("{key}.payload"), e))?;
    Ok((carrier, payload))
}

fn payload_spec(
    t: &Treatment,
    p: &PayloadPreset,
    reg: &Registry,
) -> Result<(PayloadSpec, f64), Error> {
    let key = &t.key;
    let mw = p.molecular_weight_g_mol();
    let need_mw = |what: &str| need_mw(t, p, what);
    let dose_ng = dose_ng(t, p)?;
    let effective = match t.effective {
        Some(Concentration::MassNgPerMl(v)) => v,
        Some(Concentration::MolarNm(v)) => {
            nm_to_ng_per_ml(v, mw.ok_or_else(|| need_mw("effective_concentration"))?)
        }
        None => {
            let rec = &p.effective_concentration;
            match rec.value_in("ng/mL", "effective_concentration") {
                Ok(v) => v,
                Err(_) => {
                    let nm = rec
                        .value_in("nM", "effective_concentration")
                        .map_err(|e| cfg(key, e))?;
                    nm_to_ng_per_ml(
                        nm,
                        mw.ok_or_else(|| need_mw("the preset's effective concentration"))?,
                    )
                }
            }
        }
    };
    let loss = match t.payload_half_life_s {
        Some(h) => std::f64::consts::LN_2 / h,
        None => p.loss_rate_per_s(),
    };
    let hp = HindranceParams::from_registry(reg).map_err(|e| cfg(key, e))?;
    let diffusivity = per_label(|ti| {
        p.diffusivity_with(ti, t.hindrance, &hp)
            .map(|h| h.d_mm2_s)
            .map_err(|e| cfg(key, e))
    })?;
    let np_water = WaterLaw::hindered(p.stokes_radius_nm(), Tissue::Np, t.hindrance, &hp)
        .map_err(|e| cfg(key, format!("payload \"{}\": {e}", p.id)))?;
    let partition = per_label(|ti| Ok(p.partition(ti)))?;
    if partition[NP as usize] <= 0.0
        || partition[AF as usize] <= 0.0
        || partition[CEP as usize] <= 0.0
    {
        return Err(cfg(
            key,
            format!("payload \"{}\" has a partition coefficient <= 0", p.id),
        ));
    }
    Ok((
        PayloadSpec {
            id: p.id.clone(),
            diffusivity,
            np_water,
            partition,
            loss_per_s: per_label(|_| Ok(loss))?,
            effective_ng_per_ml: effective,
            action: p.action,
        },
        dose_ng,
    ))
}

fn carrier_spec(t: &Treatment, c: &CarrierPreset, reg: &Registry) -> Result<CarrierSpec, Error> {
    let key = &t.key;
    let release = release_law(t, c)?;
    let clearance = match t.carrier_half_life_s {
        Some(h) => std::f64::consts::LN_2 / h,
        None => c.clearance_rate_per_s(),
    };
    let hp = HindranceParams::from_registry(reg).map_err(|e| cfg(key, e))?;
    let diffusivity = per_label(|ti| {
        c.diffusivity_with(ti, t.hindrance, &hp)
            .map(|h| h.d_mm2_s)
            .map_err(|e| cfg(key, e))
    })?;
    let np_water = match (c.mobile, c.radius_nm()) {
        (true, Some(r)) => WaterLaw::hindered(r, Tissue::Np, t.hindrance, &hp)
            .map_err(|e| cfg(key, format!("carrier \"{}\": {e}", c.id)))?,
        _ => WaterLaw::Immobile,
    };
    let nanozyme = match &c.nanozyme {
        None => None,
        Some(nz) => {
            // kcat/Km per mole of catalyst -> per ng/mL of nanozyme material, through the
            // molar mass of the catalytic unit (the nanozyme is the payload of the carrier)
            let k = nz.k_cat_over_km_per_mm_s().map_err(|e| cfg(key, e))?; // 1/(mM s)
            let mw = nz
                .catalytic_unit_molar_mass_g_mol()
                .map_err(|e| cfg(key, e))?;
            // 1 ng/mL = 1e-6 g/L -> 1e-6/mw mol/L = 1e-3/mw mM
            Some(NanozymeSpec {
                k2_per_s_per_ng_ml: k * 1e-3 / mw,
                km_um: nz.km_mm().map_err(|e| cfg(key, e))? * 1e3,
            })
        }
    };
    Ok(CarrierSpec {
        id: c.id.clone(),
        release,
        outer_rate_per_s: c.outer_release_rate_per_s(),
        clearance_per_s: clearance,
        diffusivity,
        np_water,
        binding: c.binding_rates_per_s(),
        nanozyme,
        modulus_kpa: c.modulus_kpa().map_err(|e| cfg(&t.key, e))?,
        damp_trap: match (c.action(), &c.ligand_binding) {
            (Some(carriers::PayloadAction::DampTrap), Some(lb)) => Some(
                lb.damp_trap()
                    .map_err(|e| cfg(&format!("{}.carrier", t.key), e))?,
            ),
            _ => None,
        },
    })
}

/// H2O2 settings from the registry (read only when a nanozyme carrier is present).
fn ros_spec(reg: &Registry, model: &Model) -> Result<RosSpec, Error> {
    let dw = reg.value_in("h2o2.diffusivity.water", "mm^2/s")?;
    let d = per_label(|ti| {
        let l = match ti {
            Tissue::Np => NP,
            Tissue::Af => AF,
            Tissue::Cep => CEP,
        };
        Ok(dw * crate::sim::model::mackie_meares(model.water[l as usize]))
    })?;
    Ok(RosSpec {
        diffusivity: d,
        production_per_cell: reg.value_in("h2o2.production_per_cell", "uM*mm^3/(cells*s)")?,
        endogenous_loss_per_s: reg.value_in("h2o2.endogenous_loss_rate", "1/s")?,
        boundary_um: reg.value_in("h2o2.boundary", "uM")?,
    })
}

/// An arm's resolved treatments: engine inputs, H2O2 settings (when a nanozyme carrier is
/// present) and one description line per treatment.
pub type Resolved = (Vec<TreatmentSpec>, Option<RosSpec>, Vec<String>);

/// Resolves an arm's treatments. Returns the engine inputs, the H2O2 settings when a nanozyme
/// carrier is present, and a one-line description per treatment.
pub fn resolve(treatments: &[Treatment], reg: &Registry, model: &Model) -> Result<Resolved, Error> {
    let mut specs = vec![];
    let mut lines = vec![];
    let mut nanozyme = false;
    for t in treatments {
        let (carrier, payload) = presets(t)?;
        let (pspec, dose_ng) = payload_spec(t, &payload, reg)?;
        let cspec = carrier
            .as_ref()
            .map(|c| carrier_spec(t, c, reg))
            .transpose()?;
        if cspec.as_ref().is_some_and(|c| c.nanozyme.is_some()) {
            nanozyme = true;
        }
        lines.push(format!(
            "{} in {} ({}), {} ng at {} d into {} ({} uL), effective {} ng/mL, hindrance {}",
            payload.id,
            carrier
                .as_ref()
                .map(|c| c.id.as_str())
                .unwrap_or("free bolus"),
            cspec
                .as_ref()
                .map(|c| c.release.model_name())
                .unwrap_or("immediate"),
            dose_ng,
            t.time_s / 86400.0,
            t.site.name(),
            t.volume_mm3,
            pspec.effective_ng_per_ml,
            t.hindrance.id()
        ));
        specs.push(TreatmentSpec {
            dose_ng,
            time_s: t.time_s,
            site: t.site,
            volume_mm3: t.volume_mm3,
            cells: t.cells,
            carrier: cspec,
            payload: pspec,
            disable: t.disable.clone(),
        });
    }
    let ros = if nanozyme {
        Some(ros_spec(reg, model)?)
    } else {
        None
    };
    Ok((specs, ros, lines))
}
