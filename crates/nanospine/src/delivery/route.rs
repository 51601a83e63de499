//! Dosing routes to the spinal cord: local injection, intrathecal (CSF-side source) and
//! intravenous (two-compartment plasma kinetics with uptake through the opened blood-spinal cord
//! barrier, BSCB). The barrier opening is owned by the cord biology and passed in.
//!
//! Amounts are in the caller's dose unit (e.g. ng or µg EV protein); times in s. Every model
//! constant comes from the registry (`route.*`, docs/parameters.md).
//!
//! **Intravenous bolus** of dose `D` at `t0`, `tau = t - t0`:
//! * plasma (central) amount `x1 = D (A e^(-alpha tau) + (1 - A) e^(-beta tau))`, the
//!   biexponential of i.v. exosomes (Kim 2019, sci.md §6 [V]); micro-constants
//!   `k21 = A beta + (1 - A) alpha`, `k10 = alpha beta / k21`, `k12 = alpha + beta - k21 - k10`;
//! * peripheral amount `x2 = D k12 / (alpha - beta) (e^(-beta tau) - e^(-alpha tau))`;
//! * eliminated `E = D k10 (A/alpha (1 - e^(-alpha tau)) + (1 - A)/beta (1 - e^(-beta tau)))`
//!   (liver, spleen, lung: mononuclear phagocytes), `E(inf) = D`;
//! * lesion uptake `J = P_BSCB(t) S C_plasma`, written `J = b(t) f_les k10 x1`: the lesion is one
//!   of the eliminating organs, taking the share `f_les` (`route.iv.lesion_fraction`, %ID,
//!   uncalibrated) of the elimination when its barrier is fully open (`b = 1`) and none when
//!   closed (`b = 0`). The plasma curve stays the analytic biexponential and
//!   `D = plasma + peripheral + cleared + lesion` holds exactly.
//!
//! **Intrathecal bolus**: the dose sits on the CSF side, retained in the leptomeninges with
//! first-order loss (`route.intrathecal.retention_half_life`, Householder 2019); the CSF
//! concentration `amount / V_csf` is the source at the pial surface of the cord.
//!
//! **Local** injection places the dose in the tissue, handled by the delivery engine's depot.

use crate::params::Registry;

/// An invalid route, argument or registry value; the message names the field, value and the
/// allowed range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct RouteError(pub String);

/// How a dose reaches the cord.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// Injection into the lesion or cord tissue (intraparenchymal, or a gel on the cord): the
    /// delivery engine's depot.
    Local,
    /// Injection into the CSF (intrathecal, lumbar or cisterna magna): a CSF-side source with
    /// leptomeningeal retention ([`IntrathecalBolus`]).
    Intrathecal,
    /// Tail-vein injection: two-compartment plasma kinetics and lesion uptake through the
    /// opened barrier ([`IvBolus`]).
    Intravenous,
}

impl Route {
    /// Every route.
    pub const ALL: [Route; 3] = [Route::Local, Route::Intrathecal, Route::Intravenous];

    /// Identifier used in scenario files.
    pub const fn id(self) -> &'static str {
        match self {
            Route::Local => "local",
            Route::Intrathecal => "intrathecal",
            Route::Intravenous => "intravenous",
        }
    }

    /// The route with identifier `id`; an unknown id lists the allowed ones.
    pub fn from_id(id: &str) -> Result<Route, RouteError> {
        Route::ALL
            .into_iter()
            .find(|r| r.id() == id)
            .ok_or_else(|| {
                let ids: Vec<&str> = Route::ALL.iter().map(|r| r.id()).collect();
                let hint = crate::suggest::closest(id, ids.iter().copied())
                    .map(|s| format!("; did you mean '{s}'?"))
                    .unwrap_or_default();
                RouteError(format!(
                    "unknown route '{id}'{hint} (allowed: {})",
                    ids.join(", ")
                ))
            })
    }
}

fn check(name: &str, v: f64, lo: f64, hi: f64, unit: &str) -> Result<f64, RouteError> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(v)
    } else {
        Err(RouteError(format!(
            "{name} = {v} {unit} is outside the allowed range [{lo}, {hi}] {unit}"
        )))
    }
}

fn reg_value(reg: &Registry, name: &str, unit: &str) -> Result<f64, RouteError> {
    reg.value_in(name, unit)
        .map_err(|e| RouteError(format!("route: {e}")))
}

/// Two-compartment plasma kinetics of an i.v. bolus with lesion uptake.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlasmaPk {
    alpha: f64,
    beta: f64,
    a: f64,
    lesion_fraction: f64,
    k10: f64,
    k12: f64,
    k21: f64,
}

impl PlasmaPk {
    /// Kinetics from the distribution half-life (s), the elimination half-life (s, longer),
    /// the share `A` of the plasma curve in the fast phase (dimensionless, in (0, 1)) and the
    /// lesion fraction (dimensionless, in [0, 1]: share of the eliminated dose taken by a fully
    /// opened lesion).
    pub fn new(
        half_life_alpha_s: f64,
        half_life_beta_s: f64,
        alpha_fraction: f64,
        lesion_fraction: f64,
    ) -> Result<PlasmaPk, RouteError> {
        let ta = check("half_life_alpha", half_life_alpha_s, 1e-3, 1e9, "s")?;
        let tb = check("half_life_beta", half_life_beta_s, 1e-3, 1e9, "s")?;
        if ta >= tb {
            return Err(RouteError(format!(
                "half_life_alpha ({ta} s) must be shorter than half_life_beta ({tb} s)"
            )));
        }
        let a = check("alpha_fraction", alpha_fraction, 1e-6, 1.0 - 1e-6, "")?;
        let lesion_fraction = check("lesion_fraction", lesion_fraction, 0.0, 1.0, "")?;
        let ln2 = std::f64::consts::LN_2;
        let (alpha, beta) = (ln2 / ta, ln2 / tb);
        let k21 = a * beta + (1.0 - a) * alpha;
        let k10 = alpha * beta / k21;
        // = A (1 - A) (alpha - beta)^2 / k21 >= 0
        let k12 = (alpha + beta - k21 - k10).max(0.0);
        Ok(PlasmaPk {
            alpha,
            beta,
            a,
            lesion_fraction,
            k10,
            k12,
            k21,
        })
    }

    /// Kinetics from the registry: `route.iv.half_life_alpha`, `route.iv.half_life_beta`,
    /// `route.iv.alpha_fraction`, `route.iv.lesion_fraction`.
    pub fn from_registry(reg: &Registry) -> Result<PlasmaPk, RouteError> {
        PlasmaPk::new(
            reg_value(reg, "route.iv.half_life_alpha", "s")?,
            reg_value(reg, "route.iv.half_life_beta", "s")?,
            reg_value(reg, "route.iv.alpha_fraction", "1")?,
            reg_value(reg, "route.iv.lesion_fraction", "1")?,
        )
    }

    /// Hybrid rate constants `(alpha, beta)` (1/s).
    pub fn hybrid_rates_per_s(&self) -> (f64, f64) {
        (self.alpha, self.beta)
    }

    /// Micro-constants `(k10, k12, k21)` (1/s): elimination, central -> peripheral,
    /// peripheral -> central.
    pub fn micro_rates_per_s(&self) -> (f64, f64, f64) {
        (self.k10, self.k12, self.k21)
    }

    /// Share of the eliminated dose taken by a fully opened lesion (dimensionless).
    pub fn lesion_fraction(&self) -> f64 {
        self.lesion_fraction
    }

    /// Plasma (central) amount per unit dose `tau` s after the bolus (dimensionless; 0 before).
    pub fn central(&self, tau: f64) -> f64 {
        if tau < 0.0 {
            return 0.0;
        }
        self.a * (-self.alpha * tau).exp() + (1.0 - self.a) * (-self.beta * tau).exp()
    }

    /// Peripheral amount per unit dose `tau` s after the bolus (dimensionless; 0 before).
    pub fn peripheral(&self, tau: f64) -> f64 {
        if tau < 0.0 {
            return 0.0;
        }
        self.k12 / (self.alpha - self.beta) * ((-self.beta * tau).exp() - (-self.alpha * tau).exp())
    }

    /// Eliminated amount per unit dose by `tau` s after the bolus (dimensionless; 0 before),
    /// lesion uptake included.
    pub fn eliminated(&self, tau: f64) -> f64 {
        if tau <= 0.0 {
            return 0.0;
        }
        self.k10
            * (self.a / self.alpha * -(-self.alpha * tau).exp_m1()
                + (1.0 - self.a) / self.beta * -(-self.beta * tau).exp_m1())
    }
}

/// Opening of the blood-spinal cord barrier over time, piecewise constant: `opening[i]`
/// (dimensionless, 0 = intact, 1 = fully open) holds from `time[i]` (s) to the next time; the
/// barrier is closed before the first time. The cord biology's `barrier` state, sampled at the
/// run's steps, is such a profile.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarrierProfile {
    points: Vec<(f64, f64)>,
}

impl BarrierProfile {
    /// A profile from `(time s, opening)` points with strictly increasing finite times and
    /// openings in [0, 1]; an empty slice is a closed barrier.
    pub fn new(points: &[(f64, f64)]) -> Result<BarrierProfile, RouteError> {
        for (i, &(t, b)) in points.iter().enumerate() {
            if !t.is_finite() {
                return Err(RouteError(format!(
                    "barrier profile point {i}: time {t} s is not finite"
                )));
            }
            check(
                &format!("barrier profile point {i}: opening"),
                b,
                0.0,
                1.0,
                "",
            )?;
            if i > 0 && t <= points[i - 1].0 {
                return Err(RouteError(format!(
                    "barrier profile point {i}: time {t} s must be after the previous time {} s",
                    points[i - 1].0
                )));
            }
        }
        Ok(BarrierProfile {
            points: points.to_vec(),
        })
    }

    /// Opening (dimensionless) at time `t` (s).
    pub fn opening_at(&self, t: f64) -> f64 {
        self.points
            .iter()
            .take_while(|(ti, _)| *ti <= t)
            .last()
            .map_or(0.0, |&(_, b)| b)
    }
}

/// Where the dose of an i.v. bolus is at a time (amounts in the dose unit);
/// `plasma + peripheral + cleared + lesion = dose`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IvLedger {
    /// In plasma (central compartment).
    pub plasma: f64,
    /// In the peripheral (distribution) compartment.
    pub peripheral: f64,
    /// Eliminated elsewhere (liver, spleen, lung: mononuclear phagocytes).
    pub cleared: f64,
    /// Taken up by the lesion through the opened barrier (cumulative).
    pub lesion: f64,
}

/// An intravenous bolus of `dose` at `t0_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IvBolus {
    /// Dose (the caller's amount unit, e.g. ng or µg EV protein).
    pub dose: f64,
    /// Injection time (s).
    pub t0_s: f64,
    /// Plasma kinetics.
    pub pk: PlasmaPk,
}

impl IvBolus {
    /// A bolus of a finite dose >= 0 at a finite time (s).
    pub fn new(dose: f64, t0_s: f64, pk: PlasmaPk) -> Result<IvBolus, RouteError> {
        check("dose", dose, 0.0, f64::MAX, "(dose unit)")?;
        if !t0_s.is_finite() {
            return Err(RouteError(format!("injection time {t0_s} s is not finite")));
        }
        Ok(IvBolus { dose, t0_s, pk })
    }

    /// Plasma amount at time `t` (s) (dose unit).
    pub fn plasma(&self, t: f64) -> f64 {
        self.dose * self.pk.central(t - self.t0_s)
    }

    /// Dose reaching the lesion per unit time at `t` (dose unit/s) with the barrier opening
    /// `opening` (dimensionless, [0, 1]) there: `opening f_les k10 x1(t)`.
    pub fn lesion_rate(&self, t: f64, opening: f64) -> Result<f64, RouteError> {
        let b = check("barrier opening", opening, 0.0, 1.0, "")?;
        Ok(b * self.pk.lesion_fraction * self.pk.k10 * self.plasma(t))
    }

    /// Dose reaching the lesion per unit time at `t` (dose unit/s) with the barrier `barrier`.
    pub fn lesion_rate_with(&self, t: f64, barrier: &BarrierProfile) -> f64 {
        barrier.opening_at(t) * self.pk.lesion_fraction * self.pk.k10 * self.plasma(t)
    }

    /// Dose reaching the lesion between `t_a` and `t_b` (s, `t_a <= t_b`) with the opening held
    /// at `opening` (dimensionless) over the interval: exact, for a run loop that holds the
    /// biology's barrier over a step (dose unit).
    pub fn lesion_uptake(&self, t_a: f64, t_b: f64, opening: f64) -> Result<f64, RouteError> {
        let b = check("barrier opening", opening, 0.0, 1.0, "")?;
        if !(t_a.is_finite() && t_b.is_finite() && t_a <= t_b) {
            return Err(RouteError(format!(
                "lesion uptake interval [{t_a}, {t_b}] s must be finite and ordered"
            )));
        }
        let e = |t: f64| self.pk.eliminated(t - self.t0_s);
        Ok(b * self.pk.lesion_fraction * self.dose * (e(t_b) - e(t_a)))
    }

    /// Where the dose is at `t` (s) with the barrier `barrier` (exact for the piecewise-constant
    /// profile).
    pub fn ledger(&self, t: f64, barrier: &BarrierProfile) -> IvLedger {
        let tau = t - self.t0_s;
        let eliminated = self.dose * self.pk.eliminated(tau);
        // breakpoints of the barrier inside (t0, t)
        let mut edges = vec![self.t0_s];
        edges.extend(
            barrier
                .points
                .iter()
                .map(|&(ti, _)| ti)
                .filter(|&ti| ti > self.t0_s && ti < t),
        );
        edges.push(t.max(self.t0_s));
        let lesion: f64 = edges
            .windows(2)
            .map(|w| {
                let e = |x: f64| self.pk.eliminated(x - self.t0_s);
                barrier.opening_at(w[0]) * (e(w[1]) - e(w[0]))
            })
            .sum::<f64>()
            * self.pk.lesion_fraction
            * self.dose;
        IvLedger {
            plasma: self.plasma(t),
            peripheral: self.dose * self.pk.peripheral(tau),
            cleared: eliminated - lesion,
            lesion,
        }
    }
}

/// CSF-side kinetics of an intrathecal bolus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsfPk {
    /// First-order half-life of leptomeningeal retention (s).
    pub retention_half_life_s: f64,
    /// CSF volume of the species (mL).
    pub csf_volume_ml: f64,
}

impl CsfPk {
    /// Species with a CSF volume in the registry.
    pub const SPECIES: [&'static str; 3] = ["rat", "mouse", "human"];

    /// Kinetics from a retention half-life (s) and a CSF volume (mL), both finite and > 0.
    pub fn new(retention_half_life_s: f64, csf_volume_ml: f64) -> Result<CsfPk, RouteError> {
        Ok(CsfPk {
            retention_half_life_s: check(
                "retention_half_life",
                retention_half_life_s,
                1e-3,
                1e12,
                "s",
            )?,
            csf_volume_ml: check("csf_volume", csf_volume_ml, 1e-6, 1e4, "mL")?,
        })
    }

    /// Kinetics from the registry: `route.intrathecal.retention_half_life` and
    /// `route.intrathecal.csf_volume.<species>` (`species` one of [`CsfPk::SPECIES`]).
    pub fn from_registry(reg: &Registry, species: &str) -> Result<CsfPk, RouteError> {
        if !CsfPk::SPECIES.contains(&species) {
            return Err(RouteError(format!(
                "intrathecal route: no CSF volume for species '{species}' (allowed: {})",
                CsfPk::SPECIES.join(", ")
            )));
        }
        CsfPk::new(
            reg_value(reg, "route.intrathecal.retention_half_life", "s")?,
            reg_value(
                reg,
                &format!("route.intrathecal.csf_volume.{species}"),
                "mL",
            )?,
        )
    }
}

/// An intrathecal bolus of `dose` at `t0_s`: CSF-side amount `D exp(-k (t - t0))`,
/// `k = ln 2 / retention half-life`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntrathecalBolus {
    /// Dose (the caller's amount unit).
    pub dose: f64,
    /// Injection time (s).
    pub t0_s: f64,
    /// CSF-side kinetics.
    pub pk: CsfPk,
}

impl IntrathecalBolus {
    /// A bolus of a finite dose >= 0 at a finite time (s).
    pub fn new(dose: f64, t0_s: f64, pk: CsfPk) -> Result<IntrathecalBolus, RouteError> {
        check("dose", dose, 0.0, f64::MAX, "(dose unit)")?;
        if !t0_s.is_finite() {
            return Err(RouteError(format!("injection time {t0_s} s is not finite")));
        }
        Ok(IntrathecalBolus { dose, t0_s, pk })
    }

    /// Amount retained on the CSF side at `t` (s) (dose unit; 0 before injection).
    pub fn csf_amount(&self, t: f64) -> f64 {
        let tau = t - self.t0_s;
        if tau < 0.0 {
            return 0.0;
        }
        self.dose * (-std::f64::consts::LN_2 * tau / self.pk.retention_half_life_s).exp()
    }

    /// Amount cleared from the CSF side by `t` (s) (dose unit): dose - retained after injection.
    pub fn cleared(&self, t: f64) -> f64 {
        if t < self.t0_s {
            0.0
        } else {
            self.dose - self.csf_amount(t)
        }
    }

    /// CSF concentration at `t` (dose unit per mL): the source at the pial surface.
    pub fn csf_concentration(&self, t: f64) -> f64 {
        self.csf_amount(t) / self.pk.csf_volume_ml
    }
}

#[cfg(test)]
#[path = "route_tests.rs"]
mod tests;
