//! Carrier presets (`data/carriers.toml`): size, charge, release law, retention, binding,
//! mechanics and nanozyme activity.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::hindrance::{hindered, Hindered, HindranceLaw, HindranceParams, Tissue};
use super::record::{self, check, check_positive, RawRecord, Record};
use super::{check_text, CarrierError};
use crate::params::{Provenance, Registry};
use crate::release::ReleaseLaw;
use crate::units;

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

    fn is_depot(self) -> bool {
        matches!(
            self,
            CarrierKind::Hydrogel | CarrierKind::Microsphere | CarrierKind::Composite
        )
    }

    fn is_gel(self) -> bool {
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
    fn kinds(&self) -> Result<&'static [(&'static str, ReleaseParamKind)], CarrierError> {
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
    pub fn law(&self) -> Result<ReleaseLaw, CarrierError> {
        let values = self.model_values()?;
        ReleaseLaw::new(&self.model, &values, self.time_unit_s)
            .map_err(|e| CarrierError(format!("release law: {e}")))
    }
}

fn unknown_model(model: &str) -> CarrierError {
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
    rate_per_s: f64,
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
    rates_per_s: (f64, f64),
}

impl Binding {
    /// `(k_on, k_off)` in 1/s.
    pub fn rates_per_s(&self) -> (f64, f64) {
        self.rates_per_s
    }
}

/// Binding of a soluble ligand by the carrier surface (e.g. CCL2 trapped by CCR2).
#[derive(Debug, Clone, PartialEq)]
pub struct LigandBinding {
    /// Ligand name (e.g. `CCL2`).
    pub ligand: String,
    /// Second-order association rate constant (unit like `1/(M*s)`).
    pub k_on: Record,
    /// Dissociation constant K_d (a concentration unit, e.g. `nM`).
    pub k_d: Record,
}

impl LigandBinding {
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
    clearance_half_life_s: f64,
    diameter_nm: Option<f64>,
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
        }
        if let Some(n) = &self.nanozyme {
            out.push(("nanozyme.k_cat_over_km".into(), &n.k_cat_over_km));
            out.push(("nanozyme.km".into(), &n.km));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Loading

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    carrier: Vec<RawCarrier>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCarrier {
    id: String,
    label: String,
    description: String,
    kind: CarrierKind,
    citations: Vec<String>,
    mobile: bool,
    default_payloads: Vec<String>,
    diameter: Option<RawRecord>,
    mesh_size: Option<RawRecord>,
    zeta_potential: Option<RawRecord>,
    modulus: Option<RawRecord>,
    release: RawRelease,
    outer_release: Option<RawOuter>,
    clearance_half_life: RawRecord,
    binding: Option<RawBinding>,
    ligand_binding: Option<RawLigand>,
    nanozyme: Option<RawNanozyme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    model: String,
    time_unit: String,
    source: Option<String>,
    assumption: Option<String>,
    params: BTreeMap<String, RawRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOuter {
    model: String,
    time_unit: String,
    k1: RawRecord,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    k_on: RawRecord,
    k_off: RawRecord,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLigand {
    ligand: String,
    k_on: RawRecord,
    k_d: RawRecord,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNanozyme {
    kind: NanozymeKind,
    citation: String,
    k_cat_over_km: RawRecord,
    km: RawRecord,
}

const LENGTH: &[&str] = &["nm"];
const TIME: &[&str] = &["s"];
const RATE: &[&str] = &["1/s"];
const CONC: &[&str] = &["mM"];

fn time_unit_s(unit: &str, field: &str) -> Result<f64, CarrierError> {
    let u = units::parse_unit(unit).map_err(|e| CarrierError(format!("{field}: {e}")))?;
    let want = units::parse_unit("s").map_err(|e| CarrierError(format!("{field}: {e}")))?;
    if u.dim != want.dim {
        return Err(CarrierError(format!(
            "{field}: '{unit}' is not a time unit (e.g. 'h', 'd')"
        )));
    }
    Ok(u.factor)
}

fn release(raw: RawRelease, id: &str) -> Result<ReleaseSpec, CarrierError> {
    let f = |what: &str| format!("carrier '{id}': release.{what}");
    let kinds = RELEASE_MODELS
        .iter()
        .find(|(m, _)| *m == raw.model)
        .map(|(_, k)| *k)
        .ok_or_else(|| CarrierError(format!("carrier '{id}': {}", unknown_model(&raw.model))))?;
    let time_unit_s = time_unit_s(&raw.time_unit, &f("time_unit"))?;
    let allowed: Vec<&str> = kinds.iter().map(|(n, _)| *n).collect();
    for name in raw.params.keys() {
        if !allowed.contains(&name.as_str()) {
            return Err(CarrierError(format!(
                "{}: release model `{}` has no parameter `{name}` (allowed: {})",
                f("params"),
                raw.model,
                allowed.join(", ")
            )));
        }
    }
    let mut params = BTreeMap::new();
    let mut raw_params = raw.params;
    for (name, kind) in kinds {
        let r = raw_params.remove(*name).ok_or_else(|| {
            CarrierError(format!(
                "{}: release model `{}` needs parameter `{name}`",
                f("params"),
                raw.model
            ))
        })?;
        let field = f(&format!("params.{name}"));
        let rec = match kind {
            Rate => check_positive(r, RATE, &field)?,
            Time => check_positive(r, TIME, &field)?,
            Percent => check(r, &["%"], &field)?,
            Dimensionless => check(r, &["1"], &field)?,
            AsWritten => {
                return Err(CarrierError(format!(
                    "{field}: the unit of this parameter cannot be checked by the unit parser, so presets may not use model `{}`",
                    raw.model
                )))
            }
        };
        params.insert((*name).to_string(), rec);
    }
    let provenance = record::provenance(raw.source, raw.assumption, &f("model"))?;
    let spec = ReleaseSpec {
        model: raw.model,
        time_unit: raw.time_unit,
        time_unit_s,
        params,
        provenance,
    };
    // Every value must convert to the model's units.
    let values = spec
        .model_values()
        .map_err(|e| CarrierError(format!("carrier '{id}': {e}")))?;
    for (name, v) in &values {
        if !v.is_finite() {
            return Err(CarrierError(format!(
                "{}: not finite after conversion",
                f(&format!("params.{name}"))
            )));
        }
    }
    if let Some(p) = spec.params.get("burst").or(spec.params.get("fmax")) {
        let pct = p.value_in("%", &f("params"))?;
        if !(0.0..=100.0).contains(&pct) {
            return Err(CarrierError(format!(
                "{}: a percentage must be within 0-100 %, got {pct} %",
                f("params")
            )));
        }
    }
    Ok(spec)
}

fn parse_one(raw: RawCarrier, payload_ids: &[&str]) -> Result<CarrierPreset, CarrierError> {
    check_text(&raw.id, &raw.label, &raw.description, &raw.citations)?;
    let id = raw.id.clone();
    let f = |what: &str| format!("carrier '{id}': {what}");
    let opt = |r: Option<RawRecord>, likes: &[&str], name: &str, positive: bool| {
        r.map(|r| {
            if positive {
                check_positive(r, likes, &f(name))
            } else {
                check(r, likes, &f(name))
            }
        })
        .transpose()
    };
    let diameter = opt(raw.diameter, LENGTH, "diameter", true)?;
    let mesh_size = opt(raw.mesh_size, LENGTH, "mesh_size", true)?;
    let zeta_potential = opt(raw.zeta_potential, &["mV"], "zeta_potential", false)?;
    let modulus = opt(raw.modulus, &["kPa"], "modulus", true)?;
    let kind = raw.kind;
    if raw.mobile && (diameter.is_none() || zeta_potential.is_none()) {
        return Err(CarrierError(f(
            "a mobile carrier needs `diameter` and `zeta_potential`",
        )));
    }
    if raw.mobile && kind.is_depot() {
        return Err(CarrierError(f(&format!(
            "kind `{}` stays at the injection site: set mobile = false",
            kind.id()
        ))));
    }
    if !raw.mobile && !kind.is_depot() {
        return Err(CarrierError(f(&format!(
            "kind `{}` is a diffusing particle: set mobile = true",
            kind.id()
        ))));
    }
    if kind.is_gel() && (mesh_size.is_none() || modulus.is_none()) {
        return Err(CarrierError(f("a gel needs `mesh_size` and `modulus`")));
    }
    if !kind.is_gel() && diameter.is_none() {
        return Err(CarrierError(f("a particulate carrier needs `diameter`")));
    }
    let release = release(raw.release, &id)?;
    let outer_release = match raw.outer_release {
        None => None,
        Some(o) => {
            if o.model != "first_order" {
                return Err(CarrierError(f(&format!(
                    "outer_release.model must be `first_order` (gel -> tissue), got `{}`",
                    o.model
                ))));
            }
            time_unit_s(&o.time_unit, &f("outer_release.time_unit"))?;
            let k1 = check_positive(o.k1, RATE, &f("outer_release.k1"))?;
            let rate_per_s = k1.value_in("1/s", &f("outer_release.k1"))?;
            Some(OuterRelease {
                k1,
                time_unit: o.time_unit,
                rate_per_s,
            })
        }
    };
    if outer_release.is_some() != (kind == CarrierKind::Composite) {
        return Err(CarrierError(f(
            "`outer_release` is required for, and only for, kind = \"composite\"",
        )));
    }
    let clearance_half_life =
        check_positive(raw.clearance_half_life, TIME, &f("clearance_half_life"))?;
    let clearance_half_life_s = clearance_half_life.value_in("s", &f("clearance_half_life"))?;
    let binding = match raw.binding {
        None => None,
        Some(b) => {
            let k_on = check_positive(b.k_on, RATE, &f("binding.k_on"))?;
            let k_off = check_positive(b.k_off, RATE, &f("binding.k_off"))?;
            let rates_per_s = (
                k_on.value_in("1/s", &f("binding.k_on"))?,
                k_off.value_in("1/s", &f("binding.k_off"))?,
            );
            Some(Binding {
                k_on,
                k_off,
                rates_per_s,
            })
        }
    };
    let ligand_binding = match raw.ligand_binding {
        None => None,
        Some(l) => {
            if l.ligand.trim().is_empty() {
                return Err(CarrierError(f("ligand_binding.ligand must not be empty")));
            }
            Some(LigandBinding {
                ligand: l.ligand,
                k_on: check_positive(l.k_on, &["1/(M*s)"], &f("ligand_binding.k_on"))?,
                k_d: check_positive(l.k_d, CONC, &f("ligand_binding.k_d"))?,
            })
        }
    };
    let nanozyme = match raw.nanozyme {
        None => None,
        Some(n) => {
            if n.citation.trim().is_empty() {
                return Err(CarrierError(f("nanozyme.citation must not be empty")));
            }
            Some(Nanozyme {
                kind: n.kind,
                citation: n.citation,
                k_cat_over_km: check_positive(
                    n.k_cat_over_km,
                    &["1/(M*s)"],
                    &f("nanozyme.k_cat_over_km"),
                )?,
                km: check_positive(n.km, CONC, &f("nanozyme.km"))?,
            })
        }
    };
    if raw.default_payloads.is_empty() {
        return Err(CarrierError(f("needs at least one default payload")));
    }
    for p in &raw.default_payloads {
        if !payload_ids.contains(&p.as_str()) {
            return Err(CarrierError(f(&format!(
                "default payload '{p}' is not a payload preset (allowed: {})",
                payload_ids.join(", ")
            ))));
        }
    }
    let diameter_nm = diameter
        .as_ref()
        .map(|d| d.value_in("nm", &f("diameter")))
        .transpose()?;
    Ok(CarrierPreset {
        id: raw.id,
        label: raw.label,
        description: raw.description,
        citations: raw.citations,
        kind,
        mobile: raw.mobile,
        diameter,
        mesh_size,
        zeta_potential,
        modulus,
        release,
        outer_release,
        clearance_half_life,
        binding,
        ligand_binding,
        nanozyme,
        default_payloads: raw.default_payloads,
        clearance_half_life_s,
        diameter_nm,
    })
}

/// Parses and validates every `[[carrier]]` of `text` (unique ids; default payloads in `payload_ids`).
pub(super) fn parse(text: &str, payload_ids: &[&str]) -> Result<Vec<CarrierPreset>, CarrierError> {
    let f: RawFile =
        toml::from_str(text).map_err(|e| CarrierError(format!("carrier file: {e}")))?;
    let mut out: Vec<CarrierPreset> = Vec::new();
    for raw in f.carrier {
        let c = parse_one(raw, payload_ids)?;
        if out.iter().any(|o| o.id == c.id) {
            return Err(CarrierError(format!("duplicate carrier id '{}'", c.id)));
        }
        out.push(c);
    }
    Ok(out)
}
