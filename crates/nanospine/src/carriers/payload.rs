//! Payload presets (`data/payloads.toml`): what a carrier releases, with size, tissue
//! partitioning, local loss and the effective concentration.

use serde::Deserialize;

use super::hindrance::{hindered, Hindered, HindranceLaw, HindranceParams, Tissue};
use super::record::{check_positive, RawRecord, Record};
use super::{check_text, CarrierError};
use crate::params::Registry;

/// What a payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    /// Small-molecule drug (has a molecular weight).
    SmallMolecule,
    /// Protein (has a molecular weight).
    Protein,
    /// Oligonucleotide, possibly in a polyplex (molecular weight of the oligo).
    Oligonucleotide,
    /// Extracellular vesicle cargo, dosed by protein mass (no molecular weight).
    Vesicle,
    /// Nanoparticle released as a whole, dosed by mass (no molecular weight).
    Nanoparticle,
}

impl PayloadKind {
    /// Identifier as written in the data file.
    pub fn id(self) -> &'static str {
        match self {
            PayloadKind::SmallMolecule => "small_molecule",
            PayloadKind::Protein => "protein",
            PayloadKind::Oligonucleotide => "oligonucleotide",
            PayloadKind::Vesicle => "vesicle",
            PayloadKind::Nanoparticle => "nanoparticle",
        }
    }

    fn has_molecular_weight(self) -> bool {
        !matches!(self, PayloadKind::Vesicle | PayloadKind::Nanoparticle)
    }
}

/// The biology input that a released payload drives: its tissue concentration (ng/mL) becomes
/// that input of the disc biology ([`crate::biology::Inputs`]) or of the spinal-cord biology
/// ([`crate::sci::biology::Inputs`]). Set per payload in `data/payloads.toml` (`action`, with the
/// reason in `action_note`). The disc delivery engine maps the cord-only actions explicitly
/// (`Delivery::biology_inputs`): `ccl2_trap` has no disc effect, the two exosome actions drive
/// the disc's generic exosome input (M2 shift).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayloadAction {
    /// NF-kB pathway inhibition (`Inputs::anti_inflammatory`, ng/mL): glucocorticoids,
    /// polyphenols.
    AntiInflammatory,
    /// TrkA (NGF receptor) block (`Inputs::trka_antagonist`, ng/mL): less nerve ingrowth.
    TrkaAntagonist,
    /// Anti-microRNA-199a (`Inputs::anti_mir199a`, ng/mL): restores HIF-1a, less calcification.
    AntiMir199a,
    /// Mesenchymal-stem-cell exosome cargo (`Inputs::exosome`, ng/mL of exosomal protein):
    /// macrophage shift towards M2.
    Exosome,
    /// Nanozyme particles: act through the carrier's nanozyme H2O2 scavenging
    /// (`Inputs::nanozyme_rate`, 1/s, from the delivery engine), not as a drug input.
    Nanozyme,
    /// CCL2 trap (`sci::biology::Inputs::ccl2_trap`, ng/mL of trap material): CCR2-expressing
    /// membrane sequesters the chemokine CCL2, less monocyte recruitment. A carrier is a trap
    /// through its `ligand_binding` with ligand `CCL2` ([`crate::carriers::CarrierPreset::action`]),
    /// its concentration being the input; as a payload action it marks a released payload that
    /// is itself a trap. Spinal cord only: no disc effect.
    Ccl2Trap,
    /// Nrf2/HO-1-inducing exosome cargo (`sci::biology::Inputs::nrf2_exosome`, ng/mL of
    /// exosomal protein), e.g. adipose-MSC exosomes (Luo 2023). In the disc: the generic exosome
    /// input (M2 shift).
    Nrf2Exosome,
    /// SOCS3/JAK2/STAT3-activating exosome cargo (`sci::biology::Inputs::socs3_exosome`, ng/mL of
    /// exosomal protein), e.g. endothelial-progenitor exosomes (Yuan 2023). In the disc: the
    /// generic exosome input (M2 shift).
    Socs3Exosome,
    /// DAMP trap (`Inputs::injury` lowered to its free fraction): a cationic carrier binds
    /// cell-free CpG DNA, the damage signal that drives TLR9/NF-kB in macrophages and disc cells
    /// (Peng 2023). A carrier action only, through `ligand_binding` with a DNA ligand
    /// ([`crate::carriers::DAMP_LIGANDS`]); not in [`PayloadAction::ALL`], so a payload cannot
    /// declare it. Disc only: the cord biology has no DAMP input.
    DampTrap,
    /// No biological action in the model (transport and coverage only).
    None,
}

impl PayloadAction {
    /// Every payload action, in the order of the data-file listing (the carrier-only
    /// [`PayloadAction::DampTrap`] is not one).
    pub const ALL: [PayloadAction; 9] = [
        PayloadAction::AntiInflammatory,
        PayloadAction::TrkaAntagonist,
        PayloadAction::AntiMir199a,
        PayloadAction::Exosome,
        PayloadAction::Nanozyme,
        PayloadAction::Ccl2Trap,
        PayloadAction::Nrf2Exosome,
        PayloadAction::Socs3Exosome,
        PayloadAction::None,
    ];

    /// Identifier as written in the data file (`action = "anti_inflammatory"`).
    pub const fn id(self) -> &'static str {
        match self {
            PayloadAction::AntiInflammatory => "anti_inflammatory",
            PayloadAction::TrkaAntagonist => "trka_antagonist",
            PayloadAction::AntiMir199a => "anti_mir199a",
            PayloadAction::Exosome => "exosome",
            PayloadAction::Nanozyme => "nanozyme",
            PayloadAction::Ccl2Trap => "ccl2_trap",
            PayloadAction::Nrf2Exosome => "nrf2_exosome",
            PayloadAction::Socs3Exosome => "socs3_exosome",
            PayloadAction::DampTrap => "damp_trap",
            PayloadAction::None => "none",
        }
    }

    /// The action with identifier `id`, if any.
    pub fn from_id(id: &str) -> Option<PayloadAction> {
        PayloadAction::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// One payload preset. Built only by the loader, which checks every record.
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadPreset {
    /// Identifier (snake_case), e.g. `dexamethasone`.
    pub id: String,
    /// Short human-readable name.
    pub label: String,
    /// What it is and why it is used.
    pub description: String,
    /// Studies using it / sources.
    pub citations: Vec<String>,
    /// Kind of payload.
    pub kind: PayloadKind,
    /// Molecular weight (g/mol); `None` for vesicles and nanoparticles.
    pub molecular_weight: Option<Record>,
    /// Hydrodynamic (Stokes) radius (a length unit, e.g. nm).
    pub stokes_radius: Record,
    /// Tissue/bath partition coefficient in NP, AF, CEP (dimensionless).
    pub partition: [Record; 3],
    /// Half-life of local loss in tissue by degradation or cell uptake (a time unit).
    pub loss_half_life: Record,
    /// In-vitro effective concentration (molar or mass concentration unit).
    pub effective_concentration: Record,
    /// What a mass dose counts (e.g. `ug EV protein`) for payloads without a molecular weight.
    pub dose_basis: Option<String>,
    /// The input of the disc biology the payload drives.
    pub action: PayloadAction,
    /// Why the payload drives that input (citation or reasoning).
    pub action_note: String,
    radius_nm: f64,
    loss_half_life_s: f64,
}

impl PayloadPreset {
    /// Stokes radius (nm).
    pub fn stokes_radius_nm(&self) -> f64 {
        self.radius_nm
    }

    /// Stokes radius (mm).
    pub fn stokes_radius_mm(&self) -> f64 {
        self.radius_nm * 1e-6
    }

    /// Molecular weight (g/mol), if the payload has one.
    pub fn molecular_weight_g_mol(&self) -> Option<f64> {
        self.molecular_weight
            .as_ref()
            .and_then(|m| m.value_in("g/mol", "molecular_weight").ok())
    }

    /// Partition coefficient (dimensionless) in `tissue`.
    pub fn partition(&self, tissue: Tissue) -> f64 {
        self.partition_record(tissue).value
    }

    /// The raw partition record of `tissue`.
    pub fn partition_record(&self, tissue: Tissue) -> &Record {
        match tissue {
            Tissue::Np => &self.partition[0],
            Tissue::Af => &self.partition[1],
            Tissue::Cep => &self.partition[2],
        }
    }

    /// First-order local loss rate in tissue, ln 2 / half-life (1/s).
    pub fn loss_rate_per_s(&self) -> f64 {
        std::f64::consts::LN_2 / self.loss_half_life_s
    }

    /// Effective concentration in mM: molar units convert directly, mass concentrations through
    /// the molecular weight; `None` for a mass-dosed payload without one (vesicles, particles).
    pub fn effective_concentration_mm(&self) -> Result<Option<f64>, CarrierError> {
        let c = &self.effective_concentration;
        if let Ok(v) = c.value_in("mM", "effective_concentration") {
            return Ok(Some(v));
        }
        match &self.molecular_weight {
            None => Ok(None),
            Some(mw) => {
                let g_per_l = c.value_in("g/L", "effective_concentration")?;
                let g_per_mol = mw.value_in("g/mol", "molecular_weight")?;
                // g/L / (g/mol) = mol/L = 1000 mM
                Ok(Some(g_per_l / g_per_mol * 1e3))
            }
        }
    }

    /// Hindered diffusivity of the payload in `tissue` with the default law
    /// ([`HindranceLaw::DEFAULT`]) and the hindrance parameters of `reg` (D in mm^2/s).
    pub fn diffusivity_mm2_s(
        &self,
        tissue: Tissue,
        reg: &Registry,
    ) -> Result<Hindered, CarrierError> {
        let p = HindranceParams::from_registry(reg)?;
        self.diffusivity_with(tissue, HindranceLaw::DEFAULT, &p)
    }

    /// Hindered diffusivity of the payload in `tissue` by `law` (D in mm^2/s).
    pub fn diffusivity_with(
        &self,
        tissue: Tissue,
        law: HindranceLaw,
        p: &HindranceParams,
    ) -> Result<Hindered, CarrierError> {
        hindered(self.radius_nm, tissue, law, p)
            .map_err(|e| CarrierError(format!("payload '{}': {e}", self.id)))
    }

    /// Every numeric record with its dotted field name, in listing order.
    pub fn records(&self) -> Vec<(String, &Record)> {
        let mut out: Vec<(String, &Record)> = Vec::new();
        if let Some(m) = &self.molecular_weight {
            out.push(("molecular_weight".into(), m));
        }
        out.push(("stokes_radius".into(), &self.stokes_radius));
        for t in Tissue::ALL {
            out.push((format!("partition.{}", t.key()), self.partition_record(t)));
        }
        out.push(("loss_half_life".into(), &self.loss_half_life));
        out.push((
            "effective_concentration".into(),
            &self.effective_concentration,
        ));
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    payload: Vec<RawPayload>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPayload {
    id: String,
    label: String,
    description: String,
    kind: PayloadKind,
    citations: Vec<String>,
    molecular_weight: Option<RawRecord>,
    stokes_radius: RawRecord,
    partition: RawPartition,
    loss_half_life: RawRecord,
    effective_concentration: RawRecord,
    dose_basis: Option<String>,
    action: String,
    action_note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartition {
    np: RawRecord,
    af: RawRecord,
    cep: RawRecord,
}

fn parse_one(raw: RawPayload) -> Result<PayloadPreset, CarrierError> {
    check_text(&raw.id, &raw.label, &raw.description, &raw.citations)?;
    let id = raw.id.clone();
    let f = |what: &str| format!("payload '{id}': {what}");
    let kind = raw.kind;
    let molecular_weight = raw
        .molecular_weight
        .map(|m| check_positive(m, &["g/mol"], &f("molecular_weight")))
        .transpose()?;
    if molecular_weight.is_some() != kind.has_molecular_weight() {
        return Err(CarrierError(f(&format!(
            "molecular_weight is required for, and only for, molecules (kind `{}`)",
            kind.id()
        ))));
    }
    let ids: Vec<&str> = PayloadAction::ALL.iter().map(|a| a.id()).collect();
    let action = PayloadAction::from_id(&raw.action).ok_or_else(|| {
        let hint = crate::suggest::closest(&raw.action, ids.iter().copied())
            .map(|s| format!("; did you mean '{s}'?"))
            .unwrap_or_default();
        CarrierError(f(&format!(
            "unknown action '{}'{hint} (allowed: {})",
            raw.action,
            ids.join(", ")
        )))
    })?;
    if raw.action_note.trim().is_empty() {
        return Err(CarrierError(f(
            "action_note must give the reason (citation) for the action",
        )));
    }
    let stokes_radius = check_positive(raw.stokes_radius, &["nm"], &f("stokes_radius"))?;
    let radius_nm = stokes_radius.value_in("nm", &f("stokes_radius"))?;
    let part = |r: RawRecord, t: &str| check_positive(r, &["1"], &f(&format!("partition.{t}")));
    let partition = [
        part(raw.partition.np, "np")?,
        part(raw.partition.af, "af")?,
        part(raw.partition.cep, "cep")?,
    ];
    let loss_half_life = check_positive(raw.loss_half_life, &["s"], &f("loss_half_life"))?;
    let loss_half_life_s = loss_half_life.value_in("s", &f("loss_half_life"))?;
    let effective_concentration = check_positive(
        raw.effective_concentration,
        &["mM", "mg/mL"],
        &f("effective_concentration"),
    )?;
    let mass_dosed = effective_concentration
        .value_in("mg/mL", "effective_concentration")
        .is_ok();
    if mass_dosed && molecular_weight.is_none() {
        match &raw.dose_basis {
            Some(b) if !b.trim().is_empty() => {}
            _ => {
                return Err(CarrierError(f(
                    "a mass-dosed payload without molecular weight needs `dose_basis` (e.g. \"ug EV protein\")",
                )))
            }
        }
    }
    Ok(PayloadPreset {
        id: raw.id,
        label: raw.label,
        description: raw.description,
        citations: raw.citations,
        kind,
        molecular_weight,
        stokes_radius,
        partition,
        loss_half_life,
        effective_concentration,
        dose_basis: raw.dose_basis,
        action,
        action_note: raw.action_note,
        radius_nm,
        loss_half_life_s,
    })
}

/// Parses and validates every `[[payload]]` of `text` (unique ids).
pub(super) fn parse(text: &str) -> Result<Vec<PayloadPreset>, CarrierError> {
    let f: RawFile =
        toml::from_str(text).map_err(|e| CarrierError(format!("payload file: {e}")))?;
    let mut out: Vec<PayloadPreset> = Vec::new();
    for raw in f.payload {
        let p = parse_one(raw)?;
        if out.iter().any(|o| o.id == p.id) {
            return Err(CarrierError(format!("duplicate payload id '{}'", p.id)));
        }
        out.push(p);
    }
    Ok(out)
}
