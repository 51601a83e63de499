//! Carrier presets (`data/carriers.toml`): size, charge, release law, retention, binding,
//! mechanics and nanozyme activity.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::hindrance::{hindered, Hindered, HindranceLaw, HindranceParams, Tissue};
use super::payload::PayloadAction;
use super::record::Record;
use super::CarrierError;
use crate::params::{Provenance, Registry};
use crate::release::ReleaseLaw;

/// What a release-model parameter measures, which fixes the unit its record may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseParamKind {
    /// A rate in `1/T`: the record is in any `1/time` unit and is converted to `1/time_unit`.
    Rate,
    /// A time in `T`: any time unit, converted to `time_unit`.
    Time,
    /// Percent of the dose (0-100): unit `%` (or a fraction in `1`, converted to %).
    Percent,
    /// A pure number (shape factor, exponent): unit `1`.
    Dimensionless,
    /// A unit the unit parser cannot express (e.g. `%/T^n`): passed as written.
    AsWritten,
}

use ReleaseParamKind::{AsWritten, Dimensionless, Percent, Rate, Time};

/// Release-model ids a preset may name, with their parameters (in the order of the model) and
/// the kind of each. Only `zero_order`, `first_order` and `weibull` are in
/// [`crate::release`] on every branch; the others are checked structurally here and built when
/// the release library provides them.
pub const RELEASE_MODELS: &[(&str, &[(&str, ReleaseParamKind)])] = &[
    ("zero_order", &[("k0", AsWritten)]),
    ("first_order", &[("k1", Rate)]),
    ("first_order_fmax", &[("k1", Rate), ("fmax", Percent)]),
    ("biphasic", &[("burst", Percent), ("k1", Rate)]),
    (
        "biphasic_fmax",
        &[("burst", Percent), ("k1", Rate), ("fmax", Percent)],
    ),
    (
        "korsmeyer_peppas",
        &[("kkp", AsWritten), ("n", Dimensionless)],
    ),
    ("weibull", &[("tau", Time), ("beta", Dimensionless)]),
    (
        "weibull_fmax",
        &[("fmax", Percent), ("tau", Time), ("beta", Dimensionless)],
    ),
    (
        "double_weibull",
        &[
            ("f1", AsWritten),
            ("tau1", Time),
            ("beta1", Dimensionless),
            ("tau2", Time),
            ("beta2", Dimensionless),
        ],
    ),
    ("hopfenberg_sphere", &[("khb", Rate)]),
    ("fickian_sphere", &[("dr2", Rate)]),
    (
        "plga_sphere",
        &[("burst", Percent), ("dr2", Rate), ("kdeg", Rate)],
    ),
    ("hydrogel_degradation", &[("dl2", Rate), ("kdeg", Rate)]),
];

/// What kind of delivery system a carrier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarrierKind {
    /// Injectable hydrogel depot (immobile).
    Hydrogel,
    /// Liposome (mobile).
    Liposome,
    /// Extracellular vesicle / exosome (mobile).
    Vesicle,
    /// Polymeric, inorganic or magnetic nanoparticle (mobile).
    Nanoparticle,
    /// Polymeric micelle (mobile).
    Micelle,
    /// Microsphere (immobile).
    Microsphere,
    /// Particles embedded in a hydrogel (immobile, two-stage release).
    Composite,
}

impl CarrierKind {
    /// Identifier as written in the data file.
    pub fn id(self) -> &'static str {
        match self {
            CarrierKind::Hydrogel => "hydrogel",
            CarrierKind::Liposome => "liposome",
            CarrierKind::Vesicle => "vesicle",
            CarrierKind::Nanoparticle => "nanoparticle",
            CarrierKind::Micelle => "micelle",
            CarrierKind::Microsphere => "microsphere",
            CarrierKind::Composite => "composite",
        }
    }

    pub(super) fn is_depot(self) -> bool {
        matches!(
            self,
            CarrierKind::Hydrogel | CarrierKind::Microsphere | CarrierKind::Composite
        )
    }

    pub(super) fn is_gel(self) -> bool {
        matches!(self, CarrierKind::Hydrogel | CarrierKind::Composite)
    }
}

/// The release law of a carrier: model id, time unit and parameter records.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseSpec {
    /// Release-model id (one of [`RELEASE_MODELS`]).
    pub model: String,
    /// Time unit `T` of the model parameters (e.g. `d`, `h`).
    pub time_unit: String,
    /// Length of `T` in seconds.
    pub time_unit_s: f64,
    /// Parameter records by name, each in its own unit (converted by [`ReleaseSpec::model_values`]).
    pub params: BTreeMap<String, Record>,
    /// Why this model: citation or assumption.
    pub provenance: Provenance,
}

impl ReleaseSpec {
    pub(super) fn kinds(
        &self,
    ) -> Result<&'static [(&'static str, ReleaseParamKind)], CarrierError> {
        RELEASE_MODELS
            .iter()
            .find(|(m, _)| *m == self.model)
            .map(|(_, k)| *k)
            .ok_or_else(|| unknown_model(&self.model))
    }

    /// Parameter values in the model's units with `T` = [`ReleaseSpec::time_unit`]: rates in
    /// `1/T`, times in `T`, percentages in %, pure numbers as written.
    pub fn model_values(&self) -> Result<BTreeMap<String, f64>, CarrierError> {
        let mut out = BTreeMap::new();
        for (name, kind) in self.kinds()? {
            let rec = self.params.get(*name).ok_or_else(|| {
                CarrierError(format!(
                    "release model `{}` needs parameter `{name}`",
                    self.model
                ))
            })?;
            let field = format!("release.params.{name}");
            let v = match kind {
                Rate => rec.value_in(&format!("1/({})", self.time_unit), &field)?,
                Time => rec.value_in(&self.time_unit, &field)?,
                Percent => rec.value_in("%", &field)?,
                Dimensionless => rec.value_in("1", &field)?,
                AsWritten => rec.value,
            };
            out.insert((*name).to_string(), v);
        }
        Ok(out)
    }

    /// Builds the [`ReleaseLaw`] (fraction released vs seconds since injection). Fails for a
    /// model id that the release library of this build does not provide.
    ///
    /// When the library provides the model, each parameter's unit convention there (`1/T`,
    /// `T`, `%`, `-`) must match the kind assumed here, so that a percentage is never passed
    /// as a fraction.
    pub fn law(&self) -> Result<ReleaseLaw, CarrierError> {
        let values = self.model_values()?;
        if let Some(model) = crate::release::by_name(&self.model) {
            for spec in model.params() {
                let Some((_, kind)) = self.kinds()?.iter().find(|(n, _)| *n == spec.name) else {
                    continue; // ReleaseLaw::new reports the missing parameter
                };
                let fits = match kind {
                    Rate => spec.unit == "1/T",
                    Time => spec.unit == "T",
                    Percent => spec.unit == "%",
                    Dimensionless => matches!(spec.unit, "-" | "1" | ""),
                    AsWritten => true,
                };
                if !fits {
                    return Err(CarrierError(format!(
                        "release model `{}`: parameter `{}` has unit `{}` in the release library, \
                         but the preset treats it as {kind:?}",
                        self.model, spec.name, spec.unit
                    )));
                }
            }
        }
        ReleaseLaw::new(&self.model, &values, self.time_unit_s)
            .map_err(|e| CarrierError(format!("release law: {e}")))
    }
}

pub(super) fn unknown_model(model: &str) -> CarrierError {
    let ids: Vec<&str> = RELEASE_MODELS.iter().map(|(m, _)| *m).collect();
    let hint = crate::suggest::closest(model, ids.iter().copied())
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    CarrierError(format!(
        "unknown release model `{model}`{hint} (allowed: {})",
        ids.join(", ")
    ))
}

/// Second, first-order release stage of a composite carrier (payload passes particle -> gel
/// -> tissue): `d(gel amount)/dt = inner release - k1 * gel amount`.
#[derive(Debug, Clone, PartialEq)]
pub struct OuterRelease {
    /// First-order rate constant `k1` of gel -> tissue transfer (a `1/time` unit).
    pub k1: Record,
    /// Time unit the data file states for this stage (e.g. `d`).
    pub time_unit: String,
    pub(super) rate_per_s: f64,
}

impl OuterRelease {
    /// `k1` in 1/s.
    pub fn rate_per_s(&self) -> f64 {
        self.rate_per_s
    }
}

/// Reversible binding of a (cationic) carrier to the tissue's fixed negative charge:
/// `free -> bound` at `k_on` (pseudo-first-order at the NP's fixed-charge density),
/// `bound -> free` at `k_off`. Equilibrium bound/free = `k_on/k_off`.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Pseudo-first-order binding rate (a `1/time` unit).
    pub k_on: Record,
    /// Unbinding rate (a `1/time` unit).
    pub k_off: Record,
    pub(super) rates_per_s: (f64, f64),
}

impl Binding {
    /// `(k_on, k_off)` in 1/s.
    pub fn rates_per_s(&self) -> (f64, f64) {
        self.rates_per_s
    }
}

/// Binding of a soluble ligand by the carrier surface (e.g. CCL2 trapped by CCR2, CpG DNA
/// bound by a cationic polymer).
#[derive(Debug, Clone, PartialEq)]
pub struct LigandBinding {
    /// Ligand name (e.g. `CCL2`, `CpG DNA`).
    pub ligand: String,
    /// Second-order association rate constant (unit like `1/(M*s)`).
    pub k_on: Record,
    /// Dissociation constant K_d (a concentration unit, e.g. `nM`).
    pub k_d: Record,
    /// Binding capacity: mol of ligand bound per mol of carrier (dimensionless, `mol/mol`).
    /// Needed for a DAMP trap (stoichiometric binding).
    pub capacity: Option<Record>,
    /// Molar mass of the binding unit of the carrier (g/mol), the "mol of carrier" of
    /// `capacity`. Needed for a DAMP trap.
    pub molar_mass: Option<Record>,
    /// Payload mass fraction of the carrier (`%` w/w): carrier material = payload dose /
    /// loading. Needed for a DAMP trap.
    pub payload_loading: Option<Record>,
}

/// Ligand names that make a carrier a DAMP (cell-free CpG DNA) trap, compared without case.
pub const DAMP_LIGANDS: [&str; 4] = ["CpG DNA", "CpG-DNA", "cfDNA", "mtDNA"];

/// The stoichiometric constants of a DAMP trap, in model units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DampTrapConstants {
    /// Binding sites per ng of carrier material (nmol/ng): `capacity / molar_mass`.
    pub sites_nmol_per_ng: f64,
    /// Dissociation constant (nM).
    pub k_d_nm: f64,
    /// Payload mass fraction of the carrier (dimensionless, 0..1].
    pub payload_loading: f64,
}

impl LigandBinding {
    /// The biology action of binding this ligand: `CCL2` (any case) makes the carrier a CCL2
    /// trap ([`PayloadAction::Ccl2Trap`]); cell-free DNA ([`DAMP_LIGANDS`]) a DAMP trap
    /// ([`PayloadAction::DampTrap`]); other ligands have no modelled action.
    pub fn action(&self) -> Option<PayloadAction> {
        let l = self.ligand.trim();
        if l.eq_ignore_ascii_case("CCL2") {
            Some(PayloadAction::Ccl2Trap)
        } else if DAMP_LIGANDS.iter().any(|d| l.eq_ignore_ascii_case(d)) {
            Some(PayloadAction::DampTrap)
        } else {
            None
        }
    }

    /// The DAMP-trap constants (sites per ng of carrier, K_d in nM, loading as a fraction), or an
    /// error naming the missing or ill-dimensioned field.
    pub fn damp_trap(&self) -> Result<DampTrapConstants, CarrierError> {
        let need = |r: &Option<Record>, name: &str| {
            r.clone().ok_or_else(|| {
                CarrierError(format!(
                    "ligand_binding.{name} is required for a DAMP trap (ligand '{}')",
                    self.ligand
                ))
            })
        };
        let cap = need(&self.capacity, "capacity")?.value_in("1", "ligand_binding.capacity")?;
        let mm =
            need(&self.molar_mass, "molar_mass")?.value_in("g/mol", "ligand_binding.molar_mass")?;
        let load = need(&self.payload_loading, "payload_loading")?
            .value_in("1", "ligand_binding.payload_loading")?;
        if !(load > 0.0 && load <= 1.0) {
            return Err(CarrierError(format!(
                "ligand_binding.payload_loading = {} % is outside (0, 100] %",
                load * 100.0
            )));
        }
        Ok(DampTrapConstants {
            // mol/mol / (g/mol) = mol/g = 1e-9 mol/ng = nmol/ng
            sites_nmol_per_ng: cap / mm,
            k_d_nm: self.k_d_mm()? * 1e6,
            payload_loading: load,
        })
    }

    /// `k_on` in 1/(mM·s).
    pub fn k_on_per_mm_s(&self) -> Result<f64, CarrierError> {
        self.k_on.value_in("1/(mM*s)", "ligand_binding.k_on")
    }

    /// `K_d` in mM.
    pub fn k_d_mm(&self) -> Result<f64, CarrierError> {
        self.k_d.value_in("mM", "ligand_binding.k_d")
    }
}

/// Enzyme-like activity of a nanozyme carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NanozymeKind {
    /// H2O2 + substrate -> oxidised substrate.
    PeroxidaseLike,
    /// 2 H2O2 -> 2 H2O + O2.
    CatalaseLike,
    /// Superoxide dismutation.
    SodLike,
}

impl NanozymeKind {
    /// Identifier as written in the data file.
    pub fn id(self) -> &'static str {
        match self {
            NanozymeKind::PeroxidaseLike => "peroxidase_like",
            NanozymeKind::CatalaseLike => "catalase_like",
            NanozymeKind::SodLike => "sod_like",
        }
    }
}

/// Michaelis–Menten nanozyme kinetics, `v = (kcat/Km)*[NZ]*[S] / (1 + [S]/Km)`; at tissue H2O2
/// (<< Km) only `kcat/Km` matters (np-carriers.md §4.2).
#[derive(Debug, Clone, PartialEq)]
pub struct Nanozyme {
    /// Activity modelled.
    pub kind: NanozymeKind,
    /// Citation of the kinetic constants.
    pub citation: String,
    /// Specificity constant kcat/Km per mole of catalyst (unit like `1/(M*s)`).
    pub k_cat_over_km: Record,
    /// Michaelis constant for H2O2 (a concentration unit, e.g. `mM`).
    pub km: Record,
    /// Molar mass of the unit `kcat/Km` is expressed per (g/mol), converting a nanozyme mass
    /// concentration into moles of catalyst.
    pub catalytic_unit_molar_mass: Record,
}

impl Nanozyme {
    /// kcat/Km in 1/(mM·s).
    pub fn k_cat_over_km_per_mm_s(&self) -> Result<f64, CarrierError> {
        self.k_cat_over_km
            .value_in("1/(mM*s)", "nanozyme.k_cat_over_km")
    }

    /// Km in mM.
    pub fn km_mm(&self) -> Result<f64, CarrierError> {
        self.km.value_in("mM", "nanozyme.km")
    }

    /// Molar mass of the catalytic unit (g/mol).
    pub fn catalytic_unit_molar_mass_g_mol(&self) -> Result<f64, CarrierError> {
        self.catalytic_unit_molar_mass
            .value_in("g/mol", "nanozyme.catalytic_unit_molar_mass")
    }
}

/// One carrier preset. Built only by the loader, which checks every record.
#[derive(Debug, Clone, PartialEq)]
pub struct CarrierPreset {
    /// Identifier (snake_case), e.g. `plga_microsphere`.
    pub id: String,
    /// Short human-readable name.
    pub label: String,
    /// What it is and how it is modelled.
    pub description: String,
    /// Primary studies.
    pub citations: Vec<String>,
    /// Kind of delivery system.
    pub kind: CarrierKind,
    /// True when the carrier diffuses in tissue (nanoparticles, vesicles); false when it stays at
    /// the injection site (microspheres, gels).
    pub mobile: bool,
    /// Particle diameter (nm or um); `None` for a pure gel.
    pub diameter: Option<Record>,
    /// Network mesh size of a gel (nm).
    pub mesh_size: Option<Record>,
    /// Zeta potential (mV); `None` for a pure gel.
    pub zeta_potential: Option<Record>,
    /// Compressive modulus of a gel (kPa).
    pub modulus: Option<Record>,
    /// Release of the payload from the carrier (for a composite: particle -> gel).
    pub release: ReleaseSpec,
    /// Composite carriers: first-order gel -> tissue stage.
    pub outer_release: Option<OuterRelease>,
    /// First-order clearance half-life of the carrier from the disc (a time unit).
    pub clearance_half_life: Record,
    /// Reversible binding to the tissue fixed charge.
    pub binding: Option<Binding>,
    /// Binding of a soluble ligand.
    pub ligand_binding: Option<LigandBinding>,
    /// Nanozyme activity.
    pub nanozyme: Option<Nanozyme>,
    /// Default payload ids (in `data/payloads.toml`).
    pub default_payloads: Vec<String>,
    pub(super) clearance_half_life_s: f64,
    pub(super) diameter_nm: Option<f64>,
}

impl CarrierPreset {
    /// The release law (fraction released vs seconds since injection) of the first stage.
    pub fn release_law(&self) -> Result<ReleaseLaw, CarrierError> {
        self.release
            .law()
            .map_err(|e| CarrierError(format!("carrier '{}': {e}", self.id)))
    }

    /// Rate constant (1/s) of the first-order gel -> tissue stage of a composite; `None` for a
    /// single-stage carrier.
    pub fn outer_release_rate_per_s(&self) -> Option<f64> {
        self.outer_release.as_ref().map(OuterRelease::rate_per_s)
    }

    /// First-order clearance rate of the carrier from the disc, ln 2 / half-life (1/s).
    pub fn clearance_rate_per_s(&self) -> f64 {
        std::f64::consts::LN_2 / self.clearance_half_life_s
    }

    /// The carrier's own biology action, which acts through the carrier's concentration
    /// (ng/mL of carrier material), not through its payload: [`PayloadAction::Ccl2Trap`] for a
    /// carrier whose `ligand_binding` traps CCL2 (e.g. `ccr2_membrane_plga`),
    /// [`PayloadAction::DampTrap`] for one that binds cell-free CpG DNA (e.g.
    /// `cationic_micelle_trka`); `None` otherwise.
    /// (Nanozyme carriers act through their `nanozyme` kinetics, see [`Nanozyme`].)
    pub fn action(&self) -> Option<PayloadAction> {
        self.ligand_binding.as_ref().and_then(LigandBinding::action)
    }

    /// Particle diameter (nm), if the carrier is particulate.
    pub fn diameter_nm(&self) -> Option<f64> {
        self.diameter_nm
    }

    /// Hydrodynamic radius (nm) = diameter / 2, if the carrier is particulate.
    pub fn radius_nm(&self) -> Option<f64> {
        self.diameter_nm.map(|d| d / 2.0)
    }

    /// Particle radius (mm), if the carrier is particulate.
    pub fn radius_mm(&self) -> Option<f64> {
        self.radius_nm().map(|r| r * 1e-6)
    }

    /// `(k_on, k_off)` of fixed-charge binding (1/s), if any.
    pub fn binding_rates_per_s(&self) -> Option<(f64, f64)> {
        self.binding.as_ref().map(Binding::rates_per_s)
    }

    /// Compressive modulus (kPa) of a gel, if given.
    pub fn modulus_kpa(&self) -> Result<Option<f64>, CarrierError> {
        self.modulus
            .as_ref()
            .map(|m| m.value_in("kPa", "modulus"))
            .transpose()
    }

    /// Hindered diffusivity of the carrier in `tissue` with the default law
    /// ([`HindranceLaw::DEFAULT`]) and the hindrance parameters of `reg`; D = 0 (mm^2/s) for an
    /// immobile carrier.
    pub fn diffusivity_mm2_s(
        &self,
        tissue: Tissue,
        reg: &Registry,
    ) -> Result<Hindered, CarrierError> {
        let p = HindranceParams::from_registry(reg)?;
        self.diffusivity_with(tissue, HindranceLaw::DEFAULT, &p)
    }

    /// Hindered diffusivity of the carrier in `tissue` by `law` (D in mm^2/s; 0 if immobile).
    pub fn diffusivity_with(
        &self,
        tissue: Tissue,
        law: HindranceLaw,
        p: &HindranceParams,
    ) -> Result<Hindered, CarrierError> {
        match (self.mobile, self.radius_nm()) {
            (true, Some(r)) => hindered(r, tissue, law, p)
                .map_err(|e| CarrierError(format!("carrier '{}': {e}", self.id))),
            _ => Ok(Hindered::immobile(tissue, law)),
        }
    }

    /// Every numeric record with its dotted field name (`diameter`, `release.params.k1`, ...),
    /// in listing order.
    pub fn records(&self) -> Vec<(String, &Record)> {
        let mut out: Vec<(String, &Record)> = Vec::new();
        for (name, r) in [
            ("diameter", &self.diameter),
            ("mesh_size", &self.mesh_size),
            ("zeta_potential", &self.zeta_potential),
            ("modulus", &self.modulus),
        ] {
            if let Some(r) = r {
                out.push((name.to_string(), r));
            }
        }
        // parameters in the model's order (the loader checked they are exactly the model's)
        for (name, _) in self.release.kinds().unwrap_or(&[]) {
            if let Some(r) = self.release.params.get(*name) {
                out.push((format!("release.params.{name}"), r));
            }
        }
        if let Some(o) = &self.outer_release {
            out.push(("outer_release.k1".into(), &o.k1));
        }
        out.push(("clearance_half_life".into(), &self.clearance_half_life));
        if let Some(b) = &self.binding {
            out.push(("binding.k_on".into(), &b.k_on));
            out.push(("binding.k_off".into(), &b.k_off));
        }
        if let Some(l) = &self.ligand_binding {
            out.push(("ligand_binding.k_on".into(), &l.k_on));
            out.push(("ligand_binding.k_d".into(), &l.k_d));
            for (name, r) in [
                ("capacity", &l.capacity),
                ("molar_mass", &l.molar_mass),
                ("payload_loading", &l.payload_loading),
            ] {
                if let Some(r) = r {
                    out.push((format!("ligand_binding.{name}"), r));
                }
            }
        }
        if let Some(n) = &self.nanozyme {
            out.push(("nanozyme.k_cat_over_km".into(), &n.k_cat_over_km));
            out.push(("nanozyme.km".into(), &n.km));
        }
        out
    }
}
