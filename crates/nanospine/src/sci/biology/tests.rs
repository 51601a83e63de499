//! Behaviour tests of the cord secondary-injury biology against the published time courses
//! (sci.md, biology.md §5): which anchors were used to set constants is said per test.

use super::rates::rhs;
use super::state::*;
use super::*;
use crate::biology::integrator::Workspace;
use crate::params::Registry;

const DAY: f64 = 86_400.0;
const HOUR: f64 = 3_600.0;

fn p() -> SciParams {
    SciParams::builtin().unwrap()
}

/// The state every `step` seconds from 0 to `end` (inclusive), from `y0` under `inp`.
fn trajectory(q: &SciParams, y0: SciState, inp: Inputs, step: f64, end: f64) -> Vec<SciState> {
    let mut ws = Workspace::default();
    let opts = default_options();
    let mut y = y0;
    let mut out = vec![y];
    let n = (end / step).round() as usize;
    for _ in 0..n {
        advance(q, &mut y, &inp, step, &opts, &mut ws).unwrap();
        out.push(y);
    }
    out
}

/// A severe epicentre voxel (severity 1) sampled every 6 h for 42 d.
fn epicentre(inp: Inputs) -> Vec<SciState> {
    let q = p();
    trajectory(&q, q.injured_state(1.0), inp, 6.0 * HOUR, 42.0 * DAY)
}

fn at(tr: &[SciState], days: f64) -> SciState {
    tr[(days * 4.0).round() as usize]
}

fn macrophages(s: &SciState) -> f64 {
    s.0[MAC_M0] + s.0[MAC_M1] + s.0[MAC_M2]
}

/// Day of the maximum of `f` along a 6-hourly trajectory, and the maximum.
fn peak(tr: &[SciState], f: impl Fn(&SciState) -> f64) -> (f64, f64) {
    let mut best = (0.0, f64::MIN);
    for (i, s) in tr.iter().enumerate() {
        let v = f(s);
        if v > best.1 {
            best = (i as f64 / 4.0, v);
        }
    }
    best
}

#[test]
#[ignore]
fn print_epicentre_course() {
    let tr = epicentre(Inputs::default());
    println!(
        "peaks (day, value): neutrophils {:?} macrophages {:?} M2 {:?} M1 {:?} CCL2 {:?}",
        peak(&tr, |s| s.0[NEUTROPHIL]),
        peak(&tr, macrophages),
        peak(&tr, m2),
        peak(&tr, m1),
        peak(&tr, |s| s.0[CCL2])
    );
    for d in [
        0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 14.0, 21.0, 28.0, 42.0,
    ] {
        let s = at(&tr, d);
        let y = &s.0;
        println!(
            "d{d:>5}: N {:.3} OL {:.3} Ax {:.3} scar {:.2} ins {:.3} deb {:.3} neu {:>7.0} mac {:>7.0}/{:>7.0}/{:>7.0} mg {:>6.0}/{:>6.0}/{:>6.0} nrf {:.2} socs {:.2} ros {:.3} tnf {:>7.0} il1b {:>7.0} il10 {:>6.0} ccl2 {:>7.0} bscb {:.2}",
            y[NEURON], y[OLIGO], y[AXON], y[SCAR], y[INSULT], y[DEBRIS], y[NEUTROPHIL],
            y[MAC_M0], y[MAC_M1], y[MAC_M2], y[MG_REST], y[MG_M1], y[MG_M2], y[NRF2], y[SOCS3],
            y[ROS], y[TNF], y[IL1B], y[IL10], y[CCL2], y[BARRIER]
        );
    }
}

#[test]
fn every_sci_biology_entry_of_the_registry_is_read() {
    let reg = Registry::builtin();
    for name in params::NAMES {
        assert!(reg.get(name).is_some(), "{name} missing from the registry");
    }
    for prm in reg.iter() {
        let n = prm.name.as_str();
        if n.starts_with("sci.")
            && !n.starts_with("sci.locomotor.")
            && !n.starts_with("sci.lesion.")
        {
            assert!(
                params::NAMES.contains(&n),
                "{n} is in the registry but not read"
            );
        }
    }
}

#[test]
fn intact_cord_is_a_steady_state() {
    let q = p();
    let y = q.intact_state();
    let mut dy = [0.0; N_STATE];
    rhs(&q, &Inputs::default(), &y.0, &mut dy);
    for (i, d) in dy.iter().enumerate() {
        assert!(d.abs() < 1e-12 * SPECIES[i].2, "{}: {d}", SPECIES[i].0);
    }
}

fn m1(s: &SciState) -> f64 {
    s.0[MAC_M1] + s.0[MG_M1]
}

fn m2(s: &SciState) -> f64 {
    s.0[MAC_M2] + s.0[MG_M2]
}

/// Calibrated (sci.neuron.death_rate): epicentre ventral-motoneuron loss of 50-80 % by 4-8 h and
/// 90-100 % by 24 h (Grossman 2001, sci.md §4.3 [U figure values]); grey matter loss complete by
/// 24 h (Ek 2010 [V]).
#[test]
fn acute_neuron_loss_follows_the_calibration_anchor() {
    let q = p();
    let tr = trajectory(
        &q,
        q.injured_state(1.0),
        Inputs::default(),
        HOUR,
        24.0 * HOUR,
    );
    let loss = |h: usize| 1.0 - tr[h].0[NEURON];
    assert!(
        loss(4) > 0.5 && loss(8) < 0.95,
        "4 h {} 8 h {}",
        loss(4),
        loss(8)
    );
    assert!((0.5..=0.85).contains(&loss(6)), "6 h {}", loss(6));
    assert!(loss(24) >= 0.9, "24 h {}", loss(24));
    // oligodendrocytes follow the motoneuron time course in the first 24 h (Grossman 2001 [V])
    assert!((tr[24].0[OLIGO] - tr[24].0[NEURON]).abs() < 0.05);
}

/// Calibrated (sci.neutrophil.death_rate): neutrophils peak about 1 d and decline over 7-10 d
/// (rat contusion, sci.md §0 [V]).
#[test]
fn neutrophils_peak_near_one_day_and_clear_by_ten() {
    let tr = epicentre(Inputs::default());
    let (day, top) = peak(&tr, |s| s.0[NEUTROPHIL]);
    assert!((0.75..=2.0).contains(&day), "peak day {day}");
    assert!(at(&tr, 7.0).0[NEUTROPHIL] < 0.35 * top);
    assert!(at(&tr, 10.0).0[NEUTROPHIL] < 0.15 * top);
}

/// Predicted: white matter loss is slower than grey matter loss, continues through week 1 and
/// barely changes afterwards (Ek 2010 [V]: no lesion change between 1 and 10 wk).
#[test]
fn white_matter_loss_is_slower_and_mostly_within_the_first_week() {
    let tr = epicentre(Inputs::default());
    let ax = |d: f64| at(&tr, d).0[AXON];
    assert!(
        ax(1.0) > at(&tr, 1.0).0[NEURON] + 0.1,
        "axons {} neurons {}",
        ax(1.0),
        at(&tr, 1.0).0[NEURON]
    );
    assert!(
        ax(7.0) < 0.7 * ax(1.0),
        "loss continues in week 1: {} -> {}",
        ax(1.0),
        ax(7.0)
    );
    assert!(
        1.0 - ax(7.0) > 5.0 * (ax(7.0) - ax(42.0)),
        "late loss {} -> {}",
        ax(7.0),
        ax(42.0)
    );
}

/// Predicted (no constant set on it): M1 and M2 coexist in week 1, only M1 persist to 28 d and
/// the M1:M2 ratio shifts strongly toward M1 after week 1 (Kigerl 2009 [V]).
///
/// "Only M1 persist" is read relatively: from 7 to 28 d the M1 (macrophages and microglia) keep
/// at least three times the share of their number that the M2 keep. Until the monocyte
/// recruitment was calibrated on the blood-derived share of the lesion (Evans 2014, Greenhalgh
/// 2014) this test asked for M1 at 28 d above half their peak; in this isolated epicentre voxel
/// recruited macrophages now make most of the M1 peak and leave as the barrier reseals, so 42 %
/// of the peak remains at 28 d (M2: 11 % of their 7-d number). In the coupled mouse contusion
/// the cord's M1 count at 28 d is about 90 % of its 7-d count (docs/cord.md).
#[test]
fn m1_persist_while_m2_are_early_and_transient() {
    let tr = epicentre(Inputs::default());
    let ratio = |d: f64| m1(&at(&tr, d)) / m2(&at(&tr, d));
    let (m2_day, m2_top) = peak(&tr[..=4 * 14], m2);
    assert!((2.0..=10.0).contains(&m2_day), "M2 peak day {m2_day}");
    assert!(m2(&at(&tr, 28.0)) < 0.5 * m2_top);
    let kept = |f: fn(&SciState) -> f64| f(&at(&tr, 28.0)) / f(&at(&tr, 7.0));
    assert!(
        kept(m1) > 3.0 * kept(m2),
        "M1 persist: kept {} of the 7-d M1, {} of the M2",
        kept(m1),
        kept(m2)
    );
    assert!(
        ratio(28.0) > 3.0 * ratio(7.0),
        "ratio d7 {} d28 {}",
        ratio(7.0),
        ratio(28.0)
    );
}

/// Predicted: macrophages infiltrate from about 3 d and peak within the first 10 d (mouse: rise
/// from 3 dpi, peak 7 dpi; rat peak about 7 dpi, sci.md §4.2 [U]); CCL2 peaks within the first day
/// and is low by 14 d (rat, sci.md §0 [V]).
#[test]
fn ccl2_leads_and_macrophages_follow() {
    let tr = epicentre(Inputs::default());
    let (ccl2_day, ccl2_top) = peak(&tr, |s| s.0[CCL2]);
    assert!(ccl2_day <= 1.0, "CCL2 peak day {ccl2_day}");
    assert!(at(&tr, 14.0).0[CCL2] < 0.2 * ccl2_top);
    let (mac_day, mac_top) = peak(&tr, macrophages);
    assert!(
        (3.0..=10.0).contains(&mac_day),
        "macrophage peak day {mac_day}"
    );
    assert!(macrophages(&at(&tr, 3.0)) > 0.4 * mac_top);
    let (neu_day, _) = peak(&tr, |s| s.0[NEUTROPHIL]);
    assert!(neu_day < mac_day, "neutrophils before macrophages");
}

/// Predicted: without CCR2 the monocyte-derived macrophages at 7 d fall by most of the
/// CCR2-dependent share (Kuziel 1997 [V]; SCI knockouts have fewer epicentre macrophages at 7 dpi).
#[test]
fn ccr2_blockade_reduces_monocyte_recruitment() {
    let base = at(&epicentre(Inputs::default()), 7.0);
    let ko = at(
        &epicentre(Inputs {
            ccr2_available: 0.0,
            ..Inputs::default()
        }),
        7.0,
    );
    let q = p();
    let kept = macrophages(&ko) / macrophages(&base);
    // recruitment scales with the CCR2-independent fraction; the cells present follow it
    assert!(
        (kept - q.ccr2_independent).abs() < 0.1,
        "kept {kept} vs independent fraction {}",
        q.ccr2_independent
    );
    // microglia are resident and do not need CCR2 (the shared niche is off by default)
    let mg = |s: &SciState| s.0[MG_REST] + s.0[MG_M1] + s.0[MG_M2];
    assert!((mg(&ko) / mg(&base) - 1.0).abs() < 0.1);
}

/// With the shared-niche option on (`sci.microglia.niche_macrophage_weight` = 1; off by default)
/// recruited macrophages take room in the microglial niche: the activated microglia expand less
/// than with the weight at 0, and the macrophages' share of the myeloid cells at 7 d is higher.
#[test]
fn macrophages_limit_microglial_expansion() {
    let mut shared = p();
    shared.microglia_niche_mac = 1.0;
    let mut separate = p();
    separate.microglia_niche_mac = 0.0;
    let day7 = |q: &SciParams| {
        let tr = trajectory(
            q,
            q.injured_state(1.0),
            Inputs::default(),
            6.0 * HOUR,
            7.0 * DAY,
        );
        tr[tr.len() - 1]
    };
    let (a, b) = (day7(&shared), day7(&separate));
    let active = |s: &SciState| s.0[MG_M1] + s.0[MG_M2];
    assert!(
        active(&a) < 0.8 * active(&b),
        "{} vs {}",
        active(&a),
        active(&b)
    );
    let share = |s: &SciState| macrophages(s) / (macrophages(s) + active(s));
    assert!(share(&a) > share(&b));
    // the macrophages themselves do not depend on the microglial niche
    assert!((macrophages(&a) / macrophages(&b) - 1.0).abs() < 0.2);
}

/// A penumbra voxel (severity 0.1) for 28 d under `inp`, sampled every 6 h.
fn penumbra(inp: Inputs) -> Vec<SciState> {
    let q = p();
    trajectory(&q, q.injured_state(0.1), inp, 6.0 * HOUR, 28.0 * DAY)
}

/// Directions of the review's SCI therapies at the voxel level: Gu 2023 (CCL2 trap + curcumin:
/// fewer infiltrating macrophages, fewer M1 microglia, less neuronal loss), Luo 2023 (Nrf2/HO-1
/// exosomes: Nrf2 up, ROS down, microglia toward M2, more axons and oligodendrocytes), Yuan 2023
/// (SOCS3 exosomes: fewer M1, more M2 at 7 and 14 d).
#[test]
fn therapies_act_in_the_published_directions() {
    let base = penumbra(Inputs::default());
    let gu = penumbra(Inputs {
        ccl2_trap: 10_000.0,
        anti_inflammatory: 100.0,
        ..Inputs::default()
    });
    assert!(macrophages(&at(&gu, 7.0)) < 0.8 * macrophages(&at(&base, 7.0)));
    assert!(at(&gu, 7.0).0[MG_M1] < 0.8 * at(&base, 7.0).0[MG_M1]);
    assert!(at(&gu, 28.0).0[NEURON] > at(&base, 28.0).0[NEURON]);

    let luo = penumbra(Inputs {
        nrf2_exosome: 50_000.0,
        ..Inputs::default()
    });
    let (b7, l7) = (at(&base, 7.0), at(&luo, 7.0));
    assert!(l7.0[NRF2] > b7.0[NRF2] + 0.2);
    assert!(l7.0[ROS] < b7.0[ROS]);
    assert!(l7.0[MG_M1] / l7.0[MG_M2] < b7.0[MG_M1] / b7.0[MG_M2]);
    assert!(at(&luo, 28.0).0[AXON] > at(&base, 28.0).0[AXON]);
    assert!(at(&luo, 28.0).0[OLIGO] > at(&base, 28.0).0[OLIGO]);

    let yuan = penumbra(Inputs {
        socs3_exosome: 50_000.0,
        ..Inputs::default()
    });
    for d in [7.0, 14.0] {
        let (b, y) = (at(&base, d), at(&yuan, d));
        assert!(m1(&y) < m1(&b), "day {d}: M1 {} vs {}", m1(&y), m1(&b));
        assert!(m2(&y) > m2(&b), "day {d}: M2 {} vs {}", m2(&y), m2(&b));
    }
}

/// The intact cord is a stable state: a TNF-a/IL-1b bolus without damage decays away and the
/// microglia return to rest (damage, not cytokines, drives M1 polarisation in the cord).
#[test]
fn cytokine_traces_without_damage_resolve() {
    let q = p();
    let mut y0 = q.intact_state();
    y0.0[TNF] = 1000.0;
    y0.0[IL1B] = 1000.0;
    let tr = trajectory(&q, y0, Inputs::default(), DAY, 28.0 * DAY);
    let end = tr[28];
    let rest = q.intact_state();
    assert!(
        end.0[MG_M1] < 0.01 * q.microglia_density,
        "M1 microglia {}",
        end.0[MG_M1]
    );
    assert!(end.0[TNF] < 1.0);
    assert!((end.0[NEURON] - 1.0).abs() < 1e-3);
    assert!((end.0[MG_REST] - rest.0[MG_REST]).abs() < 0.01 * q.microglia_density);
}

/// The default tolerances give the converged solution: 28-day epicentre state within 1e-3
/// (relative to each entry's typical size) of a run at 100x tighter tolerances.
#[test]
fn default_tolerance_solution_is_converged() {
    let q = p();
    let coarse = trajectory(
        &q,
        q.injured_state(1.0),
        Inputs::default(),
        7.0 * DAY,
        28.0 * DAY,
    );
    let mut ws = Workspace::default();
    let mut opts = default_options();
    opts.rtol *= 0.01;
    opts.atol.iter_mut().for_each(|a| *a *= 0.01);
    let mut y = q.injured_state(1.0);
    for _ in 0..4 {
        advance(&q, &mut y, &Inputs::default(), 7.0 * DAY, &opts, &mut ws).unwrap();
    }
    for i in 0..N_STATE {
        let scale = SPECIES[i].2.max(y.0[i].abs());
        assert!(
            (coarse[4].0[i] - y.0[i]).abs() < 1e-3 * scale,
            "{}: {} vs {}",
            SPECIES[i].0,
            coarse[4].0[i],
            y.0[i]
        );
    }
}

#[test]
fn bad_inputs_are_named_errors() {
    let q = p();
    let mut y = q.intact_state();
    let mut ws = Workspace::default();
    let bad = Inputs {
        ccr2_available: 1.5,
        ..Inputs::default()
    };
    let e = advance(&q, &mut y, &bad, DAY, &default_options(), &mut ws).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("ccr2_available") && msg.contains("1.5"),
        "{msg}"
    );
    let nan = Inputs {
        perfusion: f64::NAN,
        ..Inputs::default()
    };
    assert!(advance(&q, &mut y, &nan, DAY, &default_options(), &mut ws).is_err());
}

/// Predicted: a penumbral voxel (insult 0.2) loses part of its white matter in week 1 and then
/// keeps the rest to 6 weeks although M1 cells and their cytokines persist (Ek 2010 [V]: no
/// lesion change between 1 and 10 wk). Fails without the vulnerability state: the debris -> M1 ->
/// toxicity -> death loop then kills every voxel it touches.
#[test]
fn penumbral_white_matter_plateaus_after_the_first_week() {
    let q = p();
    let tr = trajectory(
        &q,
        q.injured_state(0.2),
        Inputs::default(),
        6.0 * HOUR,
        42.0 * DAY,
    );
    let ax = |d: f64| at(&tr, d).0[AXON];
    assert!(ax(7.0) < 0.9, "week-1 loss: {}", ax(7.0));
    assert!(
        ax(7.0) - ax(42.0) < 0.05 * ax(7.0),
        "plateau: d7 {} d42 {}",
        ax(7.0),
        ax(42.0)
    );
    // the inflammation it survives is not trivial
    let late = at(&tr, 28.0);
    let sg = rates::signals(&q, &Inputs::default(), &late.0);
    assert!(sg.toxicity > 0.5, "toxicity at 28 d {}", sg.toxicity);
    assert!(late.0[VULNERABLE] < 0.01, "{}", late.0[VULNERABLE]);
}

/// Intact tissue (no insult) resists the secondary toxicity: M1 microglia, H2O2 and TNF-a placed
/// into an intact voxel kill nothing, because only injured survivors are vulnerable.
#[test]
fn intact_tissue_resists_secondary_toxicity() {
    let q = p();
    let mut y = q.intact_state();
    y.0[MG_M1] = 15_000.0;
    y.0[ROS] = 10.0;
    y.0[TNF] = 12_000.0;
    let tr = trajectory(&q, y, Inputs::default(), 6.0 * HOUR, 14.0 * DAY);
    let end = at(&tr, 14.0);
    for i in [NEURON, OLIGO, AXON] {
        assert!(end.0[i] > 0.999, "{} = {}", SPECIES[i].0, end.0[i]);
    }
    // with the vulnerability forced to 1 the same exposure kills (the gate is what protects)
    let mut v = y;
    v.0[VULNERABLE] = 1.0;
    let tr = trajectory(&q, v, Inputs::default(), 6.0 * HOUR, 2.0 * DAY);
    assert!(at(&tr, 2.0).0[AXON] < 0.99, "{}", at(&tr, 2.0).0[AXON]);
}

/// TNF-a's block of the macrophage M1 -> M2 switch (Kroner 2014) is what keeps recruited M1
/// above M2 at the epicentre from week 2 on: without it (`tnf_switch_block` 0) M2 outnumber M1
/// at 14 d, as in the model before the block was added.
#[test]
fn tnf_holds_recruited_macrophages_in_m1() {
    let q = p();
    let ratio = |q: &SciParams, d: f64| {
        let tr = trajectory(
            q,
            q.injured_state(1.0),
            Inputs::default(),
            6.0 * HOUR,
            d * DAY,
        );
        let s = at(&tr, d);
        s.0[MAC_M1] / s.0[MAC_M2]
    };
    let with = ratio(&q, 14.0);
    let without = ratio(
        &SciParams {
            tnf_switch_block: 0.0,
            ..q.clone()
        },
        14.0,
    );
    assert!(with > 2.0, "with the block: {with}");
    assert!(without < 1.0, "without the block: {without}");
}

/// TNF-a and IL-1b are acute responses: TNF-a maximal within hours, decreasing after 8 h and
/// still present at 72 h (rat contusion, Wang 1996 J Neuroimmunol 69:151 and Wang 2002
/// NeuroReport 13:1391 [V abstracts]); IL-1b up by 1 h, peaking at 8 h and above normal through
/// 7 d (Wang 1997 Brain Res 759:190 [V abstract]). The burst comes from the resident microglia
/// while the insult lasts; M1 cells keep `sci.tnf.chronic_output_fraction` and
/// `sci.il1b.chronic_output_fraction` of the per-cell output, which sets a chronic level well
/// below the peak (without it the cytokine is gone within days).
#[test]
fn tnf_and_il1b_are_acute_bursts_with_a_low_chronic_level() {
    let q = p();
    let hourly = trajectory(&q, q.injured_state(1.0), Inputs::default(), HOUR, 3.0 * DAY);
    let late = epicentre(Inputs::default());
    for (name, k) in [("TNF-a", TNF), ("IL-1b", IL1B)] {
        let (i_peak, peak) = hourly
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.0[k]))
            .fold((0, f64::MIN), |a, b| if b.1 > a.1 { b } else { a });
        assert!(i_peak <= 8, "{name} peaks at {i_peak} h");
        assert!(hourly[72].0[k] > 0.0);
        assert!(
            hourly[72].0[k] < 0.6 * peak,
            "{name} 72 h: {} vs peak {peak}",
            hourly[72].0[k]
        );
        for d in [7.0, 14.0, 28.0] {
            let c = at(&late, d).0[k];
            assert!(
                c < 0.6 * peak && c > 0.05 * peak,
                "{name} day {d}: {c} vs {peak}"
            );
        }
        // the chronic level is the M1 cells' reduced output: without it the cytokine resolves
        // with the insult
        let q0 = SciParams {
            tnf_chronic_fraction: 0.0,
            il1b_chronic_fraction: 0.0,
            ..q.clone()
        };
        let tr0 = trajectory(
            &q0,
            q0.injured_state(1.0),
            Inputs::default(),
            6.0 * HOUR,
            7.0 * DAY,
        );
        assert!(
            at(&tr0, 7.0).0[k] < 1e-3 * peak,
            "{name}: {}",
            at(&tr0, 7.0).0[k]
        );
    }
}

/// H2O2 added to intact cord tissue is cleared with the brain's in-vivo half-life of 2.2 s (Ledo
/// 2022 Redox Biol, PMC8804256 [V abstract]; `sci.ros.clearance_rate`), not the disc's slower
/// matrix clearance.
#[test]
fn h2o2_bolus_clears_with_the_brain_half_life() {
    let q = p();
    let mut y = q.intact_state();
    y.0[ROS] = 10.0;
    let mut ws = Workspace::default();
    let opts = default_options();
    advance(&q, &mut y, &Inputs::default(), 2.2, &opts, &mut ws).unwrap();
    assert!((y.0[ROS] - 5.0).abs() < 0.05, "{}", y.0[ROS]);
    advance(&q, &mut y, &Inputs::default(), 2.2, &opts, &mut ws).unwrap();
    assert!((y.0[ROS] - 2.5).abs() < 0.05, "{}", y.0[ROS]);
}

/// The loss rates of the read-outs are the death terms of the ODE: the whole `N'` for neurons,
/// `OL'` less its repopulation for oligodendrocytes; acute at the epicentre, secondary later.
#[test]
fn cell_loss_is_the_death_term_of_the_ode() {
    let q = p();
    let tr = epicentre(Inputs::default());
    for days in [0.25, 1.0, 3.0, 7.0] {
        let y = at(&tr, days).0;
        let mut dy = [0.0; N_STATE];
        rhs(&q, &Inputs::default(), &y, &mut dy);
        let l = super::rates::cell_loss(&q, &Inputs::default(), &y);
        assert!(l.neuron >= 0.0 && l.oligodendrocyte >= 0.0 && l.axon >= 0.0);
        assert!((l.neuron + dy[NEURON]).abs() <= 1e-15, "day {days}");
        // repopulation only adds: the oligodendrocyte death term is at least the net loss
        assert!(l.oligodendrocyte >= -dy[OLIGO] - 1e-18, "day {days}");
        let mut q0 = q.clone();
        q0.oligo_repopulation = 0.0;
        q0.axon_regrowth = 0.0;
        rhs(&q0, &Inputs::default(), &y, &mut dy);
        assert!((l.oligodendrocyte + dy[OLIGO]).abs() <= 1e-15, "day {days}");
        assert!((l.axon + dy[AXON]).abs() <= 1e-15, "day {days}");
    }
    // the intact cord loses nothing
    let l = super::rates::cell_loss(&q, &Inputs::default(), &q.intact_state().0);
    assert_eq!((l.neuron, l.oligodendrocyte, l.axon), (0.0, 0.0, 0.0));
}
