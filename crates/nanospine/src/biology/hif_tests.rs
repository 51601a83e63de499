//! Tests of the HIF-1a actions on disc cells and matrix (docs/biology.md, "HIF-1a actions"):
//! synthesis x r^g_syn and apoptosis x r^-g_apo with r = HIF / HIF_ref(pO2).

use super::integrator::Options;
use super::integrator::Workspace;
use super::rates::{hill, rhs, signals};
use super::state::*;
use super::*;

const DAY: f64 = 86_400.0;

fn p() -> BiologyParams {
    BiologyParams::builtin().unwrap()
}

/// The model without the HIF-1a actions (both exponents 0): the calibrated model before them.
fn without_hif_actions(q: &BiologyParams) -> BiologyParams {
    let mut z = q.clone();
    z.hif_synthesis_exponent = 0.0;
    z.hif_apoptosis_exponent = 0.0;
    z
}

fn tight() -> Options {
    Options {
        rtol: 1e-9,
        atol: SPECIES.iter().map(|s| 1e-13 * s.typical).collect(),
        ..default_options()
    }
}

fn run(sys: &BiologySystem, mut y: BiologyState, days: f64) -> BiologyState {
    let mut ws = Workspace::default();
    advance_system(sys, &mut y, days * DAY, &tight(), &mut ws).unwrap();
    y
}

fn rates(q: &BiologyParams, inp: &Inputs, y: &BiologyState) -> [f64; N_STATE] {
    let mut dy = [0.0; N_STATE];
    rhs(q, inp, &y.0, &mut dy);
    dy
}

/// O2-set miR-199a and the HIF-1a steady state under miR level `mir`, in closed form
/// (docs/biology.md: miR* = m_h + (1 - m_h) Nx, HIF = (b + (1 - b)(1 - Nx)) / (1 + miR/K)).
fn closed_forms(q: &BiologyParams, po2: f64, mir: Option<f64>) -> (f64, f64, f64) {
    let nx = po2 * po2 / (q.hif_o2_half * q.hif_o2_half + po2 * po2);
    assert_eq!(q.hill, 2.0, "the closed form above assumes n = 2");
    let m_star = q.mir_hypoxic_fraction + (1.0 - q.mir_hypoxic_fraction) * nx;
    let syn = q.hif_normoxic_fraction + (1.0 - q.hif_normoxic_fraction) * (1.0 - nx);
    let m = mir.unwrap_or(m_star);
    (
        m_star,
        syn / (1.0 + m_star / q.hif_mir_half),
        syn / (1.0 + m / q.hif_mir_half),
    )
}

/// A voxel state for instantaneous rates: all cells viable, no matrix and no protease (so
/// `dPG/dt = k_PG syn` and `dV/dt = -k_die V`), H2O2 at the apoptosis half-value.
fn probe(q: &BiologyParams, inp: &Inputs) -> BiologyState {
    let mut y = q.initial_state(inp);
    y.0[PROTEOGLYCAN] = 0.0;
    y.0[COLLAGEN2] = 0.0;
    (y.0[MMP], y.0[ADAMTS], y.0[NFKB], y.0[P21]) = (0.0, 0.0, 0.0, 0.0);
    y.0[ROS] = q.apoptosis_ros_half;
    y
}

#[test]
fn a_healthy_voxel_is_unchanged_by_the_hif1a_actions_at_any_po2() {
    // Healthy tissue sits at HIF_ref at every pO2 (miR-199a at its O2-set level), so r = 1 and
    // the rates and the 8-week course equal those of the model without the HIF-1a actions.
    let q = p();
    let old = without_hif_actions(&q);
    for po2 in [0.5, 2.0, 5.0, 8.0, 15.0] {
        let inp = Inputs::healthy(po2, 3.0, 7.1, 3600.0);
        let y0 = q.initial_state(&inp);
        let (_, href, _) = closed_forms(&q, po2, None);
        assert!(
            (y0.0[HIF1A] - href).abs() < 1e-14,
            "{po2} kPa: {}",
            y0.0[HIF1A]
        );
        let sg = signals(&q, &inp, &y0.0);
        assert!(
            (sg.hif_ratio - 1.0).abs() < 1e-12,
            "{po2} kPa: r {}",
            sg.hif_ratio
        );
        // the rates of the old model, and the matrix balance of healthy tissue (syn = V / (1 +
        // i_N a) with the basal NF-kB output a, degradation (1 + e_A ADAMTS + e_MA MMP) PG)
        let (dn, d0) = (rates(&q, &inp, &y0), rates(&old, &inp, &y0));
        for i in 0..N_STATE {
            assert!(
                (dn[i] - d0[i]).abs() <= 1e-15 * d0[i].abs().max(1e-30),
                "{po2} kPa, {}: {} vs {}",
                SPECIES[i].name,
                dn[i],
                d0[i]
            );
        }
        let syn = 1.0 / (1.0 + q.nfkb_synthesis_inhibition * sg.nfkb_output);
        let expect = q.aggrecan_turnover
            * (syn
                - (1.0 + q.adamts_aggrecan_gain * y0.0[ADAMTS] + q.mmp_aggrecan_gain * y0.0[MMP]));
        assert!(
            (dn[PROTEOGLYCAN] - expect).abs() <= 1e-12 * q.aggrecan_turnover,
            "{po2} kPa: dPG {} vs {expect}",
            dn[PROTEOGLYCAN]
        );
        // 8 weeks: same state as the old model
        let a = run(&BiologySystem::new(&q, inp), y0, 56.0);
        let b = run(&BiologySystem::new(&old, inp), y0, 56.0);
        for i in 0..N_STATE {
            let tol = 1e-9 * SPECIES[i].typical;
            assert!(
                (a.0[i] - b.0[i]).abs() <= tol,
                "{po2} kPa, {}: {} vs {}",
                SPECIES[i].name,
                a.0[i],
                b.0[i]
            );
        }
        assert!((a.0[PROTEOGLYCAN] - 1.0).abs() < 0.01, "{:?}", a.0);
    }
}

#[test]
fn raised_mir199a_lowers_hif1a_which_lowers_synthesis_and_raises_apoptosis() {
    // Normoxic voxel (8 kPa) with miR-199a held at 3x its O2-set level: HIF falls to
    // syn / (1 + 3 m*/K), r = (1 + m*/K) / (1 + 3 m*/K), synthesis x r^g, apoptosis x r^-g.
    let q = p();
    let old = without_hif_actions(&q);
    let po2 = 8.0;
    let inp = Inputs::healthy(po2, 3.0, 7.1, 3600.0);
    let base = probe(&q, &inp);
    let (m_star, href, _) = closed_forms(&q, po2, None);
    let (_, _, h_low) = closed_forms(&q, po2, Some(3.0 * m_star));
    let mut low = base;
    (low.0[MIR199A], low.0[HIF1A]) = (3.0 * m_star, h_low);
    let r = h_low / href;
    let r_closed = (1.0 + m_star / q.hif_mir_half) / (1.0 + 3.0 * m_star / q.hif_mir_half);
    assert!(
        (r - r_closed).abs() < 1e-12 && r < 0.5,
        "r {r} vs {r_closed}"
    );
    assert!((signals(&q, &inp, &low.0).hif_ratio - r).abs() < 1e-12);

    let (d_base, d_low) = (rates(&q, &inp, &base), rates(&q, &inp, &low));
    // synthesis (PG and collagen II start from 0, so dX/dt = k_X syn)
    let syn_ratio = d_low[PROTEOGLYCAN] / d_base[PROTEOGLYCAN];
    assert!(
        (syn_ratio - r.powf(q.hif_synthesis_exponent)).abs() < 1e-12,
        "{syn_ratio}"
    );
    assert!((d_low[COLLAGEN2] / d_base[COLLAGEN2] - syn_ratio).abs() < 1e-12);
    assert!(syn_ratio < 0.85, "synthesis falls: {syn_ratio}");
    // apoptosis (V = 1, D = 0: no proliferation; no nutrient death: dV/dt = -k_apo apo f V)
    let apo_ratio = d_low[VIABLE] / d_base[VIABLE];
    assert!(
        (apo_ratio - r.powf(-q.hif_apoptosis_exponent)).abs() < 1e-12,
        "{apo_ratio}"
    );
    assert!(apo_ratio > 1.2, "apoptosis rises: {apo_ratio}");
    // the old model did not see the fall in HIF-1a
    let (o_base, o_low) = (rates(&old, &inp, &base), rates(&old, &inp, &low));
    assert_eq!(o_low[PROTEOGLYCAN], o_base[PROTEOGLYCAN]);
    assert_eq!(o_low[VIABLE], o_base[VIABLE]);

    // over 4 weeks under oxidative stress (H2O2 held at the apoptosis half-value), holding
    // miR-199a high loses more cells than the O2-set level. (Proteoglycan is not compared here:
    // fewer surviving cells also secrete less MMP/ADAMTS, which can outweigh the synthesis.)
    let mut start = q.initial_state(&inp);
    start.0[ROS] = q.apoptosis_ros_half;
    let mut high = start;
    high.0[MIR199A] = 3.0 * m_star;
    let sys = BiologySystem::new(&q, inp).hold(ROS).hold(MIR199A);
    let (a, b) = (run(&sys, start, 28.0), run(&sys, high, 28.0));
    assert!(
        b.0[VIABLE] < a.0[VIABLE] - 0.01,
        "viable {} vs {}",
        b.0[VIABLE],
        a.0[VIABLE]
    );

    // unstressed healthy matrix with miR-199a held high: synthesis falls to f = r^g of the
    // degradation, so PG(t) - PG_control(t) = -(1 - f)(1 - exp(-k_PG t)) to first order
    let y0 = q.initial_state(&inp);
    let mut high = y0;
    (high.0[MIR199A], high.0[HIF1A]) = (3.0 * m_star, h_low);
    let sys = BiologySystem::new(&q, inp).hold(MIR199A);
    let days = 56.0;
    let (a, b) = (run(&sys, y0, days), run(&sys, high, days));
    let f = r.powf(q.hif_synthesis_exponent);
    let expect = -(1.0 - f) * (1.0 - (-q.aggrecan_turnover * days * DAY).exp());
    let got = b.0[PROTEOGLYCAN] - a.0[PROTEOGLYCAN];
    assert!(
        (got - expect).abs() < 0.05 * expect.abs(),
        "PG change {got} vs {expect}"
    );
    let expect_c2 = -(1.0 - f) * (1.0 - (-q.collagen_turnover * days * DAY).exp());
    let got_c2 = b.0[COLLAGEN2] - a.0[COLLAGEN2];
    assert!(
        (got_c2 - expect_c2).abs() < 0.05 * expect_c2.abs(),
        "collagen II change {got_c2} vs {expect_c2}"
    );
}

#[test]
fn anti_mir199a_restores_hif1a_and_raises_synthesis_over_the_suppressed_case() {
    // Normoxic, injured voxel whose miR-199a starts raised (3x its O2-set level); with anti-miR
    // (100 ng/mL) miR-199a falls to k m* / (k + k_am H(am)) and HIF rises above HIF_ref, so the
    // synthesis factor exceeds both the untreated (suppressed) case and 1, and apoptosis falls.
    let q = p();
    let po2 = 8.0;
    let untreated = Inputs {
        injury: 0.1,
        ..Inputs::healthy(po2, 3.0, 7.1, 3600.0)
    };
    let treated = Inputs {
        anti_mir199a: 100.0,
        ..untreated
    };
    let (m_star, href, _) = closed_forms(&q, po2, None);
    let mut y0 = q.initial_state(&untreated);
    y0.0[MIR199A] = 3.0 * m_star;
    y0.0[HIF1A] = closed_forms(&q, po2, Some(3.0 * m_star)).2;
    let days = 28.0;
    let a = run(&BiologySystem::new(&q, untreated), y0, days);
    let b = run(&BiologySystem::new(&q, treated), y0, days);
    // treated steady state in closed form
    let am = q.antimir_rate * hill(100.0, q.antimir_half, 1.0);
    let m_am = q.mir_rate * m_star / (q.mir_rate + am);
    let (_, _, h_am) = closed_forms(&q, po2, Some(m_am));
    assert!(
        (b.0[MIR199A] - m_am).abs() < 1e-4 * m_am,
        "{} vs {m_am}",
        b.0[MIR199A]
    );
    let r_b = signals(&q, &treated, &b.0).hif_ratio;
    assert!(
        (r_b - h_am / href).abs() < 1e-3,
        "r {r_b} vs {}",
        h_am / href
    );
    assert!(
        r_b > 1.5,
        "anti-miR-199a raises HIF-1a above the reference: {r_b}"
    );
    // untreated: miR-199a relaxes back to m* (half-life 2 d), r returns to 1 from below
    let r_a = signals(&q, &untreated, &a.0).hif_ratio;
    assert!((r_a - 1.0).abs() < 0.01, "untreated r {r_a}");
    // synthesis rate per viable cell at day 28: treated / untreated = (r_b / r_a)^g
    let mut probe_a = probe(&q, &untreated);
    (probe_a.0[MIR199A], probe_a.0[HIF1A]) = (a.0[MIR199A], a.0[HIF1A]);
    let mut probe_b = probe(&q, &treated);
    (probe_b.0[MIR199A], probe_b.0[HIF1A]) = (b.0[MIR199A], b.0[HIF1A]);
    let ratio =
        rates(&q, &treated, &probe_b)[PROTEOGLYCAN] / rates(&q, &untreated, &probe_a)[PROTEOGLYCAN];
    let expect = (r_b / r_a).powf(q.hif_synthesis_exponent);
    assert!((ratio - expect).abs() < 1e-9, "{ratio} vs {expect}");
    assert!(ratio > 1.1, "{ratio}");
    // over the 4 weeks the injured voxel keeps more cells with the antagomir; without the HIF-1a
    // actions anti-miR-199a acts only on calcification and leaves cells and matrix unchanged
    assert!(
        b.0[VIABLE] > a.0[VIABLE] + 1e-3,
        "{} vs {}",
        b.0[VIABLE],
        a.0[VIABLE]
    );
    let old = without_hif_actions(&q);
    let c = run(&BiologySystem::new(&old, untreated), y0, days);
    let d = run(&BiologySystem::new(&old, treated), y0, days);
    assert!(
        (d.0[PROTEOGLYCAN] - c.0[PROTEOGLYCAN]).abs() < 1e-9
            && (d.0[VIABLE] - c.0[VIABLE]).abs() < 1e-9
    );
    // uninjured: the raised synthesis gains matrix over the untreated course
    let calm = Inputs {
        injury: 0.0,
        ..untreated
    };
    let calm_am = Inputs {
        anti_mir199a: 100.0,
        ..calm
    };
    let e = run(&BiologySystem::new(&q, calm), y0, days);
    let g = run(&BiologySystem::new(&q, calm_am), y0, days);
    assert!(
        g.0[PROTEOGLYCAN] > e.0[PROTEOGLYCAN] + 1e-4 && g.0[COLLAGEN2] > e.0[COLLAGEN2],
        "PG {} vs {}, collagen II {} vs {}",
        g.0[PROTEOGLYCAN],
        e.0[PROTEOGLYCAN],
        g.0[COLLAGEN2],
        e.0[COLLAGEN2]
    );
}
