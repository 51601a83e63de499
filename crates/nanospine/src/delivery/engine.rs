//! The delivery engine of one arm: injects depots, releases payload, moves carriers and payload
//! and keeps the amount ledger of every treatment.
//!
//! Units: payload concentrations in ng/mL (tissue concentration), amounts reported in ug,
//! H2O2 in uM, time in s. Internally an amount is concentration x volume in ng/mL x mm^3
//! (= 1e-3 ng).
//!
//! One step of length `h` (operator splitting; every sub-step conserves the amount exactly):
//! 1. release: the carrier-held payload of a cohort injected at `t0` releases the fraction
//!    `(F(a+h) - F(a)) / (1 - F(a))` of what it still holds, `F` the release law's cumulative
//!    fraction at age `a = t - t0` (kept non-decreasing). Clearance of carriers does not change
//!    the age structure, so the released total equals the law for a cohort that stays;
//! 2. outer stage (two-stage carriers): the gel compartment passes `1 - exp(-k h)` to tissue;
//! 3. carrier clearance: carrier-held payload x `exp(-k_cl h)` (the removed part is "cleared");
//! 4. binding of carriers to tissue (exact two-state exchange);
//! 5. transport: mobile carriers and free payload by backward Euler (see [`super::linear`]);
//!    payload leaving through the endplate/periphery is "cleared", first-order loss "consumed";
//!
//! A carrier with an action of its own (the DAMP trap of a cationic carrier) also has its
//! material tracked (ng/mL of carrier): the same clearance, binding and transport as the
//! carrier-held payload, but no release, since releasing payload does not remove carrier.
//!
//! 6. H2O2 (when a nanozyme is present): production by viable cells, endogenous scavenging and
//!    Michaelis-Menten nanozyme scavenging `k2 [NZ] H / (1 + H/Km)` with the saturation factor
//!    taken from the previous step (H2O2 in tissue is far below Km, so the lag is immaterial).

use super::depot::place;
use super::linear::LinearSpecies;
use super::spec::{RosSpec, TreatmentSpec};
use super::water::WaterScaled;
use crate::carriers::WaterLaw;
use crate::grid::{Grid, Label, AF, MAX_LABELS, NP, VOID};
use crate::readouts::tissue_of;
use crate::sim::Model;
use crate::transport::operator::SoluteTransport;
use crate::Error;

mod biology;
mod water;

/// Internal amount unit (ng/mL x mm^3) to ug.
pub const AMOUNT_TO_UG: f64 = 1e-6;
/// ng of dose to internal amount (ng/mL x mm^3).
const NG_TO_AMOUNT: f64 = 1e3;

/// Where a treatment's dose is at one moment (ug).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Ledger {
    /// Injected so far.
    pub dose_ug: f64,
    /// Still held by carriers (including an outer gel stage and bound carriers).
    pub in_carrier_ug: f64,
    /// Free payload in tissue.
    pub free_ug: f64,
    /// Left the disc: through the endplate and periphery, or with cleared carriers.
    pub cleared_ug: f64,
    /// Removed in tissue by first-order loss (degradation, uptake).
    pub consumed_ug: f64,
}

impl Ledger {
    /// `dose - (in carrier + free + cleared + consumed)`, relative to the dose (0 before injection).
    pub fn imbalance(&self) -> f64 {
        if self.dose_ug == 0.0 {
            return 0.0;
        }
        (self.dose_ug - self.in_carrier_ug - self.free_ug - self.cleared_ug - self.consumed_ug)
            / self.dose_ug
    }
}

/// Carrier material of a treatment whose carrier acts by itself (ng/mL of carrier material;
/// `cleared` in the internal amount unit).
struct Material {
    mobile: Vec<f64>,
    bound: Vec<f64>,
    /// Carrier mass per payload mass of the dose (1 / payload loading).
    per_payload: f64,
    given: f64,
    cleared: f64,
}

impl Material {
    fn total(&self, i: usize) -> f64 {
        self.mobile[i] + self.bound[i]
    }
}

/// Where a DAMP-trap carrier's material is at one moment (ug of carrier).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct MaterialLedger {
    /// Carrier material injected so far.
    pub given_ug: f64,
    /// In the disc (mobile and bound).
    pub in_disc_ug: f64,
    /// Left the disc (clearance, through the endplate and periphery).
    pub cleared_ug: f64,
}

struct Treatment {
    spec: TreatmentSpec,
    material: Option<Material>,
    key: String,
    cells: Vec<usize>,
    injected: bool,
    released: f64,
    mobile: Vec<f64>,
    bound: Vec<f64>,
    outer: Vec<f64>,
    free_w: Vec<f64>,
    carrier_lin: Option<LinearSpecies>,
    free_lin: LinearSpecies,
    carrier_water: Option<WaterScaled>,
    free_water: WaterScaled,
    loss: Vec<f64>,
    partition: Vec<f64>,
    cleared: f64,
    consumed: f64,
    dose: f64,
    time_above_s: Vec<f64>,
    np_cov50_s: f64,
}

struct Ros {
    spec: RosSpec,
    lin: LinearSpecies,
    water: WaterScaled,
    w: Vec<f64>,
}

/// Delivery state of one arm.
pub struct Delivery {
    treatments: Vec<Treatment>,
    ros: Option<Ros>,
    zero: Vec<f64>,
}

fn vascular_transport(model: &Model, name: &str, d: [f64; MAX_LABELS]) -> SoluteTransport {
    model
        .exchange
        .transport(&model.grid, name, "ng/mL", d, 0.0, 0.0)
}

fn per_cell(grid: &Grid, by_label: &[f64; MAX_LABELS]) -> Vec<f64> {
    grid.labels
        .iter()
        .map(|&l| if l == VOID { 0.0 } else { by_label[l as usize] })
        .collect()
}

impl Delivery {
    /// Places the depots of `treatments` on the model's grid. `ros` adds the H2O2 field (needed
    /// when a carrier has nanozyme activity); its initial state is the steady state for the
    /// given viability.
    pub fn new(
        model: &Model,
        treatments: Vec<TreatmentSpec>,
        ros: Option<RosSpec>,
        viability: &[f64],
    ) -> Result<Self, Error> {
        let g = &model.grid;
        let n = g.len();
        let mut out = Vec::with_capacity(treatments.len());
        for spec in treatments {
            let base = spec.payload.id.clone();
            let same = out
                .iter()
                .filter(|t: &&Treatment| t.spec.payload.id == base)
                .count();
            let key = if same == 0 {
                base
            } else {
                format!("{base}_{}", same + 1)
            };
            let cells = place(g, spec.site, spec.volume_mm3)?;
            let mut dk = [0.0; MAX_LABELS];
            for l in 0..MAX_LABELS {
                dk[l] = spec.payload.diffusivity[l] * spec.payload.partition[l];
            }
            let free_water = WaterScaled::new(
                vascular_transport(model, &spec.payload.id, dk),
                spec.payload.np_water,
            );
            let free_lin = LinearSpecies::new(g, &free_water.now, &spec.payload.partition);
            let carrier_water = spec.carrier.as_ref().and_then(|c| {
                c.diffusivity.iter().any(|&d| d > 0.0).then(|| {
                    WaterScaled::new(vascular_transport(model, &c.id, c.diffusivity), c.np_water)
                })
            });
            let carrier_lin = carrier_water
                .as_ref()
                .map(|w| LinearSpecies::new(g, &w.now, &[1.0; MAX_LABELS]));
            let material = spec
                .carrier
                .as_ref()
                .and_then(|c| c.damp_trap)
                .map(|d| Material {
                    mobile: vec![0.0; n],
                    bound: vec![0.0; n],
                    per_payload: 1.0 / d.payload_loading,
                    given: 0.0,
                    cleared: 0.0,
                });
            out.push(Treatment {
                material,
                loss: per_cell(g, &spec.payload.loss_per_s),
                partition: per_cell(g, &spec.payload.partition),
                spec,
                key,
                cells,
                injected: false,
                released: 0.0,
                mobile: vec![0.0; n],
                bound: vec![0.0; n],
                outer: vec![0.0; n],
                free_w: vec![0.0; n],
                carrier_lin,
                free_lin,
                carrier_water,
                free_water,
                cleared: 0.0,
                consumed: 0.0,
                dose: 0.0,
                time_above_s: vec![0.0; n],
                np_cov50_s: 0.0,
            });
        }
        let ros = match ros {
            Some(spec) => {
                let t = model.exchange.transport(
                    g,
                    "h2o2",
                    "uM",
                    spec.diffusivity,
                    spec.boundary_um,
                    spec.boundary_um,
                );
                let lin = LinearSpecies::new(g, &t, &[1.0; MAX_LABELS]);
                let mut r = Ros {
                    spec,
                    lin,
                    // the H2O2 diffusivity is Mackie-Meares at the tissue water (ros_spec)
                    water: WaterScaled::new(t, WaterLaw::Obstruction),
                    w: vec![0.0; n],
                };
                // steady state: one backward-Euler step with a step far longer than any
                // diffusion or reaction time of the disc
                let (loss, src) = ros_terms(model, &r.spec, viability, &[]);
                r.lin.step(&mut r.w, 1e12, &loss, &src)?;
                Some(r)
            }
            None => None,
        };
        Ok(Self {
            treatments: out,
            ros,
            zero: vec![0.0; n],
        })
    }

    /// Injection times (s), for aligning time steps.
    pub fn injection_times(&self) -> Vec<f64> {
        self.treatments.iter().map(|t| t.spec.time_s).collect()
    }

    /// Injects every treatment due at time `t` (s) that has not been injected yet.
    pub fn inject_due(&mut self, grid: &Grid, t: f64) {
        for tr in &mut self.treatments {
            if tr.injected || tr.spec.time_s > t * (1.0 + 1e-12) + 1e-9 {
                continue;
            }
            tr.injected = true;
            let vol: f64 = tr.cells.iter().map(|&c| grid.volume(c)).sum();
            let amount = tr.spec.dose_ng * NG_TO_AMOUNT;
            let conc = amount / vol;
            for &c in &tr.cells {
                match &tr.spec.carrier {
                    Some(_) => tr.mobile[c] += conc,
                    None => tr.free_w[c] += conc / tr.partition[c],
                }
            }
            tr.dose += amount;
            if let Some(m) = &mut tr.material {
                for &c in &tr.cells {
                    m.mobile[c] += conc * m.per_payload;
                }
                m.given += amount * m.per_payload;
            }
            if tr.spec.carrier.is_none() {
                tr.released = 1.0;
            }
        }
    }

    /// Advances every treatment (and H2O2) from `t` to `t + h` (s).
    pub fn step(&mut self, model: &Model, viability: &[f64], t: f64, h: f64) -> Result<(), Error> {
        let g = &model.grid;
        let n = g.len();
        for tr in &mut self.treatments {
            if !tr.injected {
                continue;
            }
            if let Some(c) = &tr.spec.carrier {
                // 1. release
                let age = t - tr.spec.time_s;
                let next = c.release.fraction(age + h).max(tr.released);
                let phi = if tr.released < 1.0 {
                    ((next - tr.released) / (1.0 - tr.released)).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                tr.released = next;
                for i in 0..n {
                    let moved = phi * (tr.mobile[i] + tr.bound[i]);
                    if moved == 0.0 {
                        continue;
                    }
                    tr.mobile[i] *= 1.0 - phi;
                    tr.bound[i] *= 1.0 - phi;
                    match c.outer_rate_per_s {
                        Some(_) => tr.outer[i] += moved,
                        None => tr.free_w[i] += moved / tr.partition[i],
                    }
                }
                // 2. outer stage
                if let Some(k) = c.outer_rate_per_s {
                    let f = 1.0 - (-k * h).exp();
                    for i in 0..n {
                        let moved = f * tr.outer[i];
                        tr.outer[i] -= moved;
                        tr.free_w[i] += moved / tr.partition[i].max(f64::MIN_POSITIVE);
                    }
                }
                // 3. carrier clearance
                let keep = (-c.clearance_per_s * h).exp();
                for i in 0..n {
                    let v = g.volume(i);
                    let held = tr.mobile[i] + tr.bound[i] + tr.outer[i];
                    tr.cleared += (1.0 - keep) * held * v;
                    tr.mobile[i] *= keep;
                    tr.bound[i] *= keep;
                    tr.outer[i] *= keep;
                }
                if let Some(m) = &mut tr.material {
                    for i in 0..n {
                        m.cleared += (1.0 - keep) * m.total(i) * g.volume(i);
                        m.mobile[i] *= keep;
                        m.bound[i] *= keep;
                    }
                }
                // 4. binding
                if let Some((kon, koff)) = c.binding {
                    let ks = kon + koff;
                    if ks > 0.0 {
                        let e = (-ks * h).exp();
                        let exchange = |mobile: &mut [f64], bound: &mut [f64]| {
                            for i in 0..n {
                                let total = mobile[i] + bound[i];
                                let eq = total * kon / ks;
                                let b = eq + (bound[i] - eq) * e;
                                bound[i] = b;
                                mobile[i] = total - b;
                            }
                        };
                        exchange(&mut tr.mobile, &mut tr.bound);
                        if let Some(m) = &mut tr.material {
                            exchange(&mut m.mobile, &mut m.bound);
                        }
                    }
                }
                // 5a. mobile carriers
                if let Some(lin) = &tr.carrier_lin {
                    let f = lin.step(&mut tr.mobile, h, &self.zero, &[])?;
                    tr.cleared += f.cleared;
                    if let Some(m) = &mut tr.material {
                        m.cleared += lin.step(&mut m.mobile, h, &self.zero, &[])?.cleared;
                    }
                }
            }
            // 5b. free payload
            let f = tr.free_lin.step(&mut tr.free_w, h, &tr.loss, &[])?;
            tr.cleared += f.cleared;
            tr.consumed += f.consumed;
            // coverage bookkeeping
            let ec = tr.spec.payload.effective_ng_per_ml;
            let (mut cov, mut vol) = (0.0, 0.0);
            for i in 0..n {
                let l = g.labels[i];
                if l == VOID {
                    continue;
                }
                let above = tr.partition[i] * tr.free_w[i] >= ec;
                if above {
                    tr.time_above_s[i] += h;
                }
                if l == NP {
                    vol += g.volume(i);
                    if above {
                        cov += g.volume(i);
                    }
                }
            }
            if vol > 0.0 && cov >= 0.5 * vol {
                tr.np_cov50_s += h;
            }
        }
        if let Some(r) = &mut self.ros {
            let nz = nanozyme_loads(&self.treatments, &r.w, &[]);
            let (loss, src) = ros_terms(model, &r.spec, viability, &nz);
            r.lin.step(&mut r.w, h, &loss, &src)?;
        }
        Ok(())
    }

    /// The amount ledger of every treatment, keyed like the read-out columns.
    pub fn ledgers(&self, grid: &Grid) -> Vec<(String, Ledger)> {
        self.treatments
            .iter()
            .map(|tr| {
                let held: f64 = (0..grid.len())
                    .map(|i| (tr.mobile[i] + tr.bound[i] + tr.outer[i]) * grid.volume(i))
                    .sum();
                (
                    tr.key.clone(),
                    Ledger {
                        dose_ug: tr.dose * AMOUNT_TO_UG,
                        in_carrier_ug: held * AMOUNT_TO_UG,
                        free_ug: tr.free_lin.amount(&tr.free_w) * AMOUNT_TO_UG,
                        cleared_ug: tr.cleared * AMOUNT_TO_UG,
                        consumed_ug: tr.consumed * AMOUNT_TO_UG,
                    },
                )
            })
            .collect()
    }

    /// The carrier-material ledger of every treatment whose carrier acts by itself (a DAMP
    /// trap), keyed like the read-out columns.
    pub fn material_ledgers(&self, grid: &Grid) -> Vec<(String, MaterialLedger)> {
        self.treatments
            .iter()
            .filter_map(|tr| {
                let m = tr.material.as_ref()?;
                let held: f64 = (0..grid.len()).map(|i| m.total(i) * grid.volume(i)).sum();
                Some((
                    tr.key.clone(),
                    MaterialLedger {
                        given_ug: m.given * AMOUNT_TO_UG,
                        in_disc_ug: held * AMOUNT_TO_UG,
                        cleared_ug: m.cleared * AMOUNT_TO_UG,
                    },
                ))
            })
            .collect()
    }

    /// Read-out column names (each ends in its unit).
    pub fn columns(&self) -> Vec<String> {
        let mut cols = vec![];
        for tr in &self.treatments {
            let k = &tr.key;
            for s in [
                "mean_NP_ng_per_mL",
                "max_NP_ng_per_mL",
                "mean_AF_ng_per_mL",
                "coverage_NP_fraction",
                "coverage_AF_fraction",
                "released_percent",
                "in_carrier_ug",
                "free_ug",
                "cleared_ug",
                "consumed_ug",
            ] {
                cols.push(format!("{k}_{s}"));
            }
            if tr.material.is_some() {
                cols.push(format!("{k}_carrier_material_ug"));
            }
        }
        if self.ros.is_some() {
            cols.push("h2o2_mean_NP_uM".into());
            cols.push("h2o2_mean_AF_uM".into());
        }
        cols
    }

    /// Appends one value per column of [`Delivery::columns`].
    pub fn observe(&self, grid: &Grid, out: &mut Vec<f64>) {
        let ledgers = self.ledgers(grid);
        for (tr, (_, led)) in self.treatments.iter().zip(&ledgers) {
            let c: Vec<f64> = (0..grid.len())
                .map(|i| tr.partition[i] * tr.free_w[i])
                .collect();
            let ec = tr.spec.payload.effective_ng_per_ml;
            let (np_mean, np_max, np_cov) = tissue_stats(grid, &c, NP, ec);
            let (af_mean, _, af_cov) = tissue_stats(grid, &c, AF, ec);
            out.extend([
                np_mean,
                np_max,
                af_mean,
                np_cov,
                af_cov,
                100.0 * tr.released,
                led.in_carrier_ug,
                led.free_ug,
                led.cleared_ug,
                led.consumed_ug,
            ]);
            if let Some(m) = &tr.material {
                let held: f64 = (0..grid.len()).map(|i| m.total(i) * grid.volume(i)).sum();
                out.push(held * AMOUNT_TO_UG);
            }
        }
        if let Some(r) = &self.ros {
            out.push(tissue_stats(grid, &r.w, NP, f64::INFINITY).0);
            out.push(tissue_stats(grid, &r.w, AF, f64::INFINITY).0);
        }
    }

    /// Fields for VTK snapshots (name with unit, value per cell; NaN on void cells).
    pub fn fields(&self, grid: &Grid) -> Vec<(String, Vec<f64>)> {
        let mask = |v: f64, c: usize| if grid.labels[c] == VOID { f64::NAN } else { v };
        let mut out = vec![];
        for tr in &self.treatments {
            out.push((
                format!("{}_free_ng_per_mL", tr.key),
                (0..grid.len())
                    .map(|i| mask(tr.partition[i] * tr.free_w[i], i))
                    .collect(),
            ));
            out.push((
                format!("{}_in_carrier_ng_per_mL", tr.key),
                (0..grid.len())
                    .map(|i| mask(tr.mobile[i] + tr.bound[i] + tr.outer[i], i))
                    .collect(),
            ));
            if let Some(m) = &tr.material {
                out.push((
                    format!("{}_carrier_material_ng_per_mL", tr.key),
                    (0..grid.len()).map(|i| mask(m.total(i), i)).collect(),
                ));
            }
            out.push((
                format!("{}_time_above_effective_d", tr.key),
                (0..grid.len())
                    .map(|i| mask(tr.time_above_s[i] / 86400.0, i))
                    .collect(),
            ));
        }
        if let Some(r) = &self.ros {
            out.push((
                "h2o2_uM".into(),
                (0..grid.len()).map(|i| mask(r.w[i], i)).collect(),
            ));
        }
        out
    }

    /// Per treatment: (key, effective concentration ng/mL, time with >= 50 % of the NP volume
    /// above it (d), volume-weighted mean time above it over the NP and over the AF (d)).
    pub fn coverage_summary(&self, grid: &Grid) -> Vec<(String, f64, f64, f64, f64)> {
        self.treatments
            .iter()
            .map(|tr| {
                let mean = |lab: Label| {
                    let (mut s, mut v) = (0.0, 0.0);
                    for i in 0..grid.len() {
                        if tissue_of(grid.labels[i]) == lab {
                            s += tr.time_above_s[i] * grid.volume(i);
                            v += grid.volume(i);
                        }
                    }
                    if v > 0.0 {
                        s / v / 86400.0
                    } else {
                        f64::NAN
                    }
                };
                (
                    tr.key.clone(),
                    tr.spec.payload.effective_ng_per_ml,
                    tr.np_cov50_s / 86400.0,
                    mean(NP),
                    mean(AF),
                )
            })
            .collect()
    }
}

/// Volume-weighted mean, max and fraction of volume with `f >= threshold` in a tissue.
fn tissue_stats(grid: &Grid, f: &[f64], tissue: Label, threshold: f64) -> (f64, f64, f64) {
    let (mut s, mut v, mut hi, mut cov) = (0.0, 0.0, f64::NEG_INFINITY, 0.0);
    for i in 0..grid.len() {
        if tissue_of(grid.labels[i]) != tissue {
            continue;
        }
        let vol = grid.volume(i);
        s += f[i] * vol;
        v += vol;
        hi = hi.max(f[i]);
        if f[i] >= threshold {
            cov += vol;
        }
    }
    if v > 0.0 {
        (s / v, hi, cov / v)
    } else {
        (f64::NAN, f64::NAN, f64::NAN)
    }
}

/// Per nanozyme treatment (skipping the keys in `skip`): the Michaelis-Menten-weighted nanozyme
/// amount per cell `amount / (1 + H/Km)` (ng/mL, `H` the H2O2 field `ros` in uM, lagged by one
/// step) and its `k2` ((1/s) per ng/mL). The payload of a nanozyme carrier is the nanozyme:
/// held and released particles both scavenge.
fn nanozyme_loads(treatments: &[Treatment], ros: &[f64], skip: &[&str]) -> Vec<(Vec<f64>, f64)> {
    treatments
        .iter()
        .filter(|tr| !skip.contains(&tr.key.as_str()))
        .filter_map(|tr| {
            let z = tr.spec.carrier.as_ref()?.nanozyme?;
            let total = (0..tr.mobile.len())
                .map(|i| {
                    let held = tr.mobile[i] + tr.bound[i] + tr.outer[i];
                    let amount = held + tr.partition[i] * tr.free_w[i];
                    let h = ros.get(i).copied().unwrap_or(0.0).max(0.0);
                    amount / (1.0 + h / z.km_um)
                })
                .collect();
            Some((total, z.k2_per_s_per_ng_ml))
        })
        .collect()
}

/// Loss (1/s) and source (uM/s) of H2O2 per cell.
fn ros_terms(
    model: &Model,
    spec: &RosSpec,
    viability: &[f64],
    nanozymes: &[(Vec<f64>, f64)],
) -> (Vec<f64>, Vec<f64>) {
    let n = model.grid.len();
    let mut loss = vec![0.0; n];
    let mut src = vec![0.0; n];
    for i in 0..n {
        if model.grid.labels[i] == VOID {
            continue;
        }
        let mut k = spec.endogenous_loss_per_s;
        for (conc, k2) in nanozymes {
            k += k2 * conc[i];
        }
        loss[i] = k;
        src[i] = spec.production_per_cell * model.rho0[i] * viability[i];
    }
    (loss, src)
}
