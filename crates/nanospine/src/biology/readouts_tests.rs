//! Tests of the disc-level biology read-outs (hand-computed expectations on small grids).

use std::f64::consts::PI;

use super::readouts::*;
use super::state::*;
use crate::grid::{Grid, GridKind, AF, CEP, NP, VOID};
use crate::params::{Provenance, Registry};

fn p() -> ReadoutParams {
    ReadoutParams::builtin().unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

/// Axisymmetric disc: 8 rings of 0.5 mm (R = 4 mm), 6 layers of 0.25 mm; CEP in the top and
/// bottom layers out to r = 3 mm (AF beyond), NP for r < 2 mm in layers 1..=4, AF elsewhere.
fn axi_disc() -> Grid {
    let mut g = Grid::new(
        GridKind::Axisymmetric,
        [8, 1, 6],
        [0.5, 1.0, 0.25],
        [0.0; 3],
        AF,
    );
    for k in 0..6 {
        for i in 0..8 {
            let c = g.idx(i, 0, k);
            g.labels[c] = if k == 0 || k == 5 {
                if i < 6 {
                    CEP
                } else {
                    AF
                }
            } else if i < 4 {
                NP
            } else {
                AF
            };
        }
    }
    g
}

fn healthy_states(g: &Grid) -> Vec<BiologyState> {
    vec![BiologyState::healthy(); g.len()]
}

fn degenerate() -> BiologyState {
    let mut s = BiologyState::healthy();
    s.0[VIABLE] = 0.0;
    s.0[DEAD] = 1.0;
    s.0[PROTEOGLYCAN] = 0.0;
    s.0[COLLAGEN2] = 0.0;
    s.0[COLLAGEN1] = 3.0; // fibrosis does not count as healthier
    s
}

// ---------------------------------------------------------------------------------------------
// registry

#[test]
fn every_readout_parameter_is_registered_and_read_and_all_but_the_native_band_are_assumptions() {
    let reg = Registry::builtin();
    for name in PARAMETER_NAMES {
        assert!(reg.get(name).is_some(), "missing {name}");
    }
    let registered: Vec<_> = reg
        .iter()
        .filter(|q| q.name.starts_with("readout."))
        .collect();
    assert_eq!(registered.len(), PARAMETER_NAMES.len());
    for q in registered {
        assert!(PARAMETER_NAMES.contains(&q.name.as_str()), "{}", q.name);
        if q.name == "readout.nerve.native_af_fraction" {
            // derived from a published depth (Adams & Roughley 2006)
            assert!(matches!(q.provenance, Provenance::Source(_)), "{}", q.name);
            continue;
        }
        assert!(
            matches!(q.provenance, Provenance::Assumption(_)),
            "{} should be an assumption",
            q.name
        );
    }
    let q = p();
    assert_eq!(q.pwt_baseline_g, 15.0);
    assert_eq!(q.cytokine_gain, 0.01);
    assert_eq!(q.sensitisation_gain, 2.0);
    assert_eq!((q.af.grade2, q.af.grade3), (0.15, 0.45));
    assert_eq!(
        (q.np_cellularity.grade2, q.np_cellularity.grade3),
        (0.3, 0.7)
    );
}

#[test]
fn unordered_grade_anchors_are_rejected_with_both_names() {
    let mut reg = Registry::builtin();
    reg.set_value("readout.histology.border_grade2", 0.5)
        .unwrap();
    reg.set_value("readout.histology.border_grade3", 0.45)
        .unwrap();
    let e = ReadoutParams::from_registry(&reg).unwrap_err().to_string();
    assert!(e.contains("readout.histology.border_grade2"), "{e}");
    assert!(e.contains("readout.histology.border_grade3"), "{e}");
}

#[test]
fn grade_is_piecewise_linear_between_anchors() {
    let a = GradeAnchors {
        grade2: 0.2,
        grade3: 0.6,
    };
    assert_eq!(a.grade(0.0), 1.0);
    assert_eq!(a.grade(-0.3), 1.0);
    assert!(close(a.grade(0.1), 1.5, 1e-15));
    assert!(close(a.grade(0.2), 2.0, 1e-15));
    assert!(close(a.grade(0.4), 2.5, 1e-15));
    assert_eq!(a.grade(0.6), 3.0);
    assert_eq!(a.grade(1.0), 3.0);
}

// ---------------------------------------------------------------------------------------------
// columns

#[test]
fn columns_and_values_line_up() {
    let g = axi_disc();
    let mut st = healthy_states(&g);
    for s in st.iter_mut() {
        s.0[M1] = 10.0;
        s.0[NGF] = 321.0;
    }
    let r = disc_readouts(&g, &st, &p()).unwrap();
    let cols = DiscBiologyReadouts::columns();
    let vals = r.values();
    assert_eq!(cols.len(), vals.len());
    let mut names: Vec<_> = cols.iter().map(|c| c.0).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cols.len(), "duplicate column names");
    let at = |name: &str| vals[cols.iter().position(|c| c.0 == name).unwrap()];
    assert!(at("m1_m2_ratio").is_nan(), "None ratio must be NaN");
    assert!(close(at("ngf_pg_ml"), 321.0, 1e-14));
    assert_eq!(at("histology_score"), r.histology_score);
    assert_eq!(
        at("pain_withdrawal_threshold_g"),
        r.pain_withdrawal_threshold_g
    );
    assert_eq!(at("nerve_ingrowth_depth_mm"), r.nerve_ingrowth_depth_mm);
    assert_eq!(at("viable_fraction"), 1.0);
    for (name, unit) in &cols {
        assert!(!unit.is_empty(), "{name}");
        assert!(
            name.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
            "{name} is not snake_case"
        );
    }
}

#[test]
fn length_mismatch_is_an_error() {
    let g = axi_disc();
    let st = vec![BiologyState::healthy(); g.len() - 1];
    let e = disc_readouts(&g, &st, &p()).unwrap_err().to_string();
    assert!(e.contains(&format!("{}", g.len())), "{e}");
}

// ---------------------------------------------------------------------------------------------
// healthy, degenerate, monotone

#[test]
fn healthy_disc_gives_normal_scores() {
    let g = axi_disc();
    let q = p();
    let r = disc_readouts(&g, &healthy_states(&g), &q).unwrap();
    assert_eq!(r.viable_fraction, 1.0);
    assert_eq!(r.senescent_fraction, 0.0);
    assert_eq!(r.np_cell_fraction, 1.0);
    assert_eq!(r.np_proteoglycan, 1.0);
    assert_eq!(r.af_collagen1, 1.0);
    assert_eq!(r.histology_score, HISTOLOGY_MIN);
    assert_eq!(r.histology_score, 4.0);
    assert_eq!(r.histology_normalised, 0.0);
    for grade in [
        r.histology_af_grade,
        r.histology_border_grade,
        r.histology_np_cellularity_grade,
        r.histology_np_matrix_grade,
    ] {
        assert_eq!(grade, 1.0);
    }
    assert_eq!(r.pain_sensitisation, 0.0);
    assert_eq!(r.pain_withdrawal_threshold_g, q.pwt_baseline_g);
    assert_eq!(r.pain_withdrawal_threshold_g, 15.0);
    assert_eq!(r.m1_m2_ratio, None);
    assert_eq!((r.m1_cells, r.m2_cells), (0.0, 0.0));
    assert_eq!(r.nerve_ingrowth_depth_mm, 0.0);
    assert_eq!(r.innervated_fraction, 0.0);
    assert_eq!(r.calcified_fraction, 0.0);
    assert_eq!(r.mean_ros_um, 0.0);
}

#[test]
fn fully_degenerate_disc_gives_the_maximum_score() {
    let g = axi_disc();
    let st = vec![degenerate(); g.len()];
    let r = disc_readouts(&g, &st, &p()).unwrap();
    assert_eq!(r.histology_af_grade, 3.0);
    assert_eq!(r.histology_border_grade, 3.0);
    assert_eq!(r.histology_np_cellularity_grade, 3.0);
    assert_eq!(r.histology_np_matrix_grade, 3.0);
    assert_eq!(r.histology_score, HISTOLOGY_MAX);
    assert_eq!(r.histology_score, 12.0);
    assert_eq!(r.histology_normalised, 1.0);
    assert_eq!(r.viable_fraction, 0.0);
    assert!(close(r.af_collagen1, 3.0, 1e-14));
}

/// Lowering NP proteoglycan raises the score; at NP PG 0.5 the score is checked by hand.
#[test]
fn lowering_np_proteoglycan_raises_the_score() {
    let g = axi_disc();
    let q = p();
    let score_at = |pg: f64| {
        let mut st = healthy_states(&g);
        for (c, s) in st.iter_mut().enumerate() {
            if g.labels[c] == NP {
                s.0[PROTEOGLYCAN] = pg;
            }
        }
        disc_readouts(&g, &st, &q).unwrap()
    };
    let mut last = score_at(1.0).histology_score;
    assert_eq!(last, 4.0);
    for pg in [0.9, 0.8, 0.7, 0.6, 0.5, 0.4] {
        let s = score_at(pg).histology_score;
        assert!(s > last, "score {s} at NP PG {pg} not above {last}");
        last = s;
    }
    for pg in [0.3, 0.2, 0.0] {
        let s = score_at(pg).histology_score;
        assert!(s >= last, "score fell to {s} at NP PG {pg}");
        last = s;
    }
    // NP PG 0.5: NP matrix loss 0.5 -> 2 + (0.5 - 0.3)/(0.7 - 0.3) = 2.5. Border voxels: NP ring
    // i = 3 (r 1.5..2) fully disrupted (loss 0.5 = disrupted_matrix_loss), AF ring i = 4 (r 2..2.5)
    // intact, same layers: disrupted fraction (4 - 2.25)/(6.25 - 2.25) = 0.4375, border grade
    // 2 + (0.4375 - 0.2)/(0.6 - 0.2) = 2.59375. AF and cellularity grades stay 1.
    let r = score_at(0.5);
    assert!(close(r.histology_np_matrix_grade, 2.5, 1e-14));
    assert!(close(r.histology_border_grade, 2.59375, 1e-14));
    assert_eq!(r.histology_af_grade, 1.0);
    assert_eq!(r.histology_np_cellularity_grade, 1.0);
    assert!(close(r.histology_score, 7.09375, 1e-14));
    assert!(close(r.histology_normalised, 3.09375 / 8.0, 1e-14));
    assert!(close(r.np_proteoglycan, 0.5, 1e-14));
}

#[test]
fn np_cell_loss_and_af_disruption_grades_by_hand() {
    let g = axi_disc();
    let q = p();
    let mut st = healthy_states(&g);
    // NP: half the cells dead, a quarter senescent -> cell loss 0.5 -> grade 2.5
    // AF: collagen II 0.9 in the outermost ring (i = 7) -> loss 0.1 -> disrupted 0.2 there
    for (c, s) in st.iter_mut().enumerate() {
        let [i, _, _] = g.ijk(c);
        if g.labels[c] == NP {
            s.0[VIABLE] = 0.25;
            s.0[SENESCENT] = 0.25;
            s.0[DEAD] = 0.5;
        } else if g.labels[c] == AF && i == 7 {
            s.0[COLLAGEN2] = 0.9;
        }
    }
    let r = disc_readouts(&g, &st, &q).unwrap();
    assert!(close(r.histology_np_cellularity_grade, 2.5, 1e-14));
    assert!(close(r.np_cell_fraction, 0.5, 1e-14));
    // AF volume in units of pi x 0.25 mm (ring volume pi (r_o^2 - r_i^2) dz):
    // layers 1..=4: rings 4..=7 -> (16 - 4) x 4 layers; layers 0 and 5: rings 6, 7 -> (16 - 9) x 2
    let af_vol = 12.0 * 4.0 + 7.0 * 2.0;
    let outer = (16.0 - 12.25) * 6.0;
    let x_af = 0.2 * outer / af_vol;
    let expect = 1.0 + x_af / 0.15;
    assert!(x_af < 0.15);
    assert!(
        close(r.histology_af_grade, expect, 1e-13),
        "{} vs {expect}",
        r.histology_af_grade
    );
    // the outermost ring does not touch the NP: the border is intact
    assert_eq!(r.histology_border_grade, 1.0);
    // viable over NP + AF: NP volume (4 x 4 layers) at 0.25, AF at 1
    let np_vol = 4.0 * 4.0;
    let v = (0.25 * np_vol + af_vol) / (np_vol + af_vol);
    assert!(close(r.viable_fraction, v, 1e-14));
    assert!(close(
        r.senescent_fraction,
        0.25 * np_vol / (np_vol + af_vol),
        1e-14
    ));
}

// ---------------------------------------------------------------------------------------------
// volume weighting, macrophages, calcification, pain

/// Four rings of 1 mm (volumes proportional to 1, 3, 5, 7), one layer of 2 mm: NP in rings 0-1,
/// AF in rings 2-3.
#[test]
fn axisymmetric_means_weigh_outer_rings_more() {
    let mut g = Grid::new(
        GridKind::Axisymmetric,
        [4, 1, 1],
        [1.0, 1.0, 2.0],
        [0.0; 3],
        AF,
    );
    g.labels[0] = NP;
    g.labels[1] = NP;
    let mut st = healthy_states(&g);
    for (i, v) in [1.0, 0.8, 0.6, 0.4].into_iter().enumerate() {
        st[i].0[VIABLE] = v;
        st[i].0[DEAD] = 1.0 - v;
    }
    st[3].0[CALCIFICATION] = 1.0;
    st[3].0[M1] = 100.0;
    st[0].0[M2] = 50.0;
    st[2].0[IL1B] = 80.0;
    let r = disc_readouts(&g, &st, &p()).unwrap();
    // sum v (2 i + 1) / 16 = (1 + 2.4 + 3 + 2.8) / 16; the unweighted mean would be 0.7
    assert!(close(r.viable_fraction, 9.2 / 16.0, 1e-14));
    assert!(close(r.calcified_fraction, 7.0 / 16.0, 1e-14));
    assert!(close(r.np_cell_fraction, (1.0 + 0.8 * 3.0) / 4.0, 1e-14));
    assert!(close(r.il1b_pg_ml, 80.0 * 5.0 / 16.0, 1e-14));
    // cells: density x ring volume pi (r_o^2 - r_i^2) dz
    assert!(close(r.m1_cells, 100.0 * PI * 7.0 * 2.0, 1e-14));
    assert!(close(r.m2_cells, 50.0 * PI * 1.0 * 2.0, 1e-14));
    assert!(close(r.m1_m2_ratio.unwrap(), 14.0, 1e-14));
}

#[test]
fn cep_and_void_voxels_are_ignored() {
    let mut g = Grid::new(
        GridKind::Cartesian3d,
        [4, 1, 1],
        [1.0, 1.0, 1.0],
        [0.0; 3],
        NP,
    );
    g.labels[1] = AF;
    g.labels[2] = CEP;
    g.labels[3] = VOID;
    let mut st = healthy_states(&g);
    for c in [2, 3] {
        st[c] = degenerate();
        st[c].0[ROS] = 1e3;
        st[c].0[M1] = 1e6;
        st[c].0[INNERVATION] = 1.0;
    }
    st[0].0[ROS] = 0.2;
    let r = disc_readouts(&g, &st, &p()).unwrap();
    assert!(close(r.mean_ros_um, 0.1, 1e-14));
    assert_eq!(r.m1_cells, 0.0);
    assert_eq!(r.viable_fraction, 1.0);
    assert_eq!(r.histology_score, 4.0);
    assert_eq!(r.nerve_ingrowth_depth_mm, 0.0);
}

#[test]
fn native_innervation_is_the_outer_af_band_of_each_layer() {
    let g = axi_disc();
    // layers 1-4: AF rings 4..=7 (r 2-4 mm), centre depths 1.75, 1.25, 0.75, 0.25 mm, thickness
    // 2 mm; layers 0 and 5: AF rings 6 and 7, thickness 1 mm. A quarter of the thickness (0.5 and
    // 0.25 mm) keeps only the outermost ring in every layer.
    let band = native_innervation(&g, 0.25);
    for k in 0..6 {
        for i in 0..8 {
            assert_eq!(band[g.idx(i, 0, k)], i == 7, "ring {i} layer {k}");
        }
    }
    // half the thickness: rings 6-7 in layers 1-4 (depth <= 1 mm), ring 7 in layers 0 and 5
    // (depth <= 0.5 mm)
    let band = native_innervation(&g, 0.5);
    for k in 0..6 {
        for i in 0..8 {
            let want = i == 7 || (i == 6 && (1..=4).contains(&k));
            assert_eq!(band[g.idx(i, 0, k)], want, "ring {i} layer {k}");
        }
    }
    // the whole thickness: every AF voxel, never NP or CEP
    let band = native_innervation(&g, 1.0);
    for c in 0..g.len() {
        assert_eq!(band[c], g.labels[c] == AF);
    }
}

#[test]
fn pain_proxy_sensitises_native_fibres_and_counts_ingrown_ones() {
    let g = axi_disc();
    let q = p();
    assert_eq!(q.native_af_fraction, 0.25);
    let band = native_innervation(&g, q.native_af_fraction);
    let (mut v_native, mut v_disc) = (0.0, 0.0);
    for c in 0..g.len() {
        if g.labels[c] == NP || g.labels[c] == AF {
            v_disc += g.volume(c);
            if band[c] {
                v_native += g.volume(c);
            }
        }
    }
    assert!(v_native > 0.0 && v_native < v_disc);
    // cytokines alone (no ingrown fibres): the native fibres are sensitised by s = 0.01 mL/pg x
    // 100 pg/mL = 1, Sens = 1, PWT = 15 g / (1 + 2 x 1) = 5 g
    let mut st = healthy_states(&g);
    for s in st.iter_mut() {
        s.0[IL1B] = 60.0;
        s.0[TNF] = 40.0;
    }
    let r = disc_readouts(&g, &st, &q).unwrap();
    assert!(close(r.pain_sensitisation, 1.0, 1e-14));
    assert!(close(r.pain_withdrawal_threshold_g, 5.0, 1e-14));
    // the same cytokines only outside the native band: no sensitisation
    let mut st_in = healthy_states(&g);
    for (c, s) in st_in.iter_mut().enumerate() {
        if !band[c] {
            s.0[IL1B] = 60.0;
            s.0[TNF] = 40.0;
        }
    }
    let r_in = disc_readouts(&g, &st_in, &q).unwrap();
    assert_eq!(r_in.pain_sensitisation, 0.0);
    assert_eq!(r_in.pain_withdrawal_threshold_g, 15.0);
    // ingrown fibres (I = 0.5 everywhere) with the cytokines: native N s plus ingrown I (1 + s),
    // relative to the native volume
    for s in st.iter_mut() {
        s.0[INNERVATION] = 0.5;
    }
    let r2 = disc_readouts(&g, &st, &q).unwrap();
    let sens = (v_native * 1.0 + v_disc * 0.5 * 2.0) / v_native;
    assert!(close(r2.pain_sensitisation, sens, 1e-14));
    assert!(close(
        r2.pain_withdrawal_threshold_g,
        15.0 / (1.0 + 2.0 * sens),
        1e-14
    ));
    assert!(close(r2.innervated_fraction, 0.5, 1e-14));
    // ingrown fibres in the NP without cytokines are painful in themselves
    let mut st3 = healthy_states(&g);
    let mut v_np = 0.0;
    for (c, s) in st3.iter_mut().enumerate() {
        if g.labels[c] == NP {
            s.0[INNERVATION] = 1.0;
            v_np += g.volume(c);
        }
    }
    let r3 = disc_readouts(&g, &st3, &q).unwrap();
    assert!(close(r3.pain_sensitisation, v_np / v_native, 1e-14));
}

#[test]
fn native_af_fraction_outside_its_bounds_is_rejected_by_name() {
    let mut reg = Registry::builtin();
    for bad in [0.0, 1.5, f64::NAN] {
        let e = reg
            .set_value("readout.nerve.native_af_fraction", bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("readout.nerve.native_af_fraction"), "{e}");
    }
    reg.set_value("readout.nerve.native_af_fraction", 1.0)
        .unwrap();
    assert_eq!(
        ReadoutParams::from_registry(&reg)
            .unwrap()
            .native_af_fraction,
        1.0
    );
}

// ---------------------------------------------------------------------------------------------
// nerve ingrowth depth

#[test]
fn nerve_depth_from_the_outer_af_axisymmetric() {
    // 10 rings of 0.5 mm: R = 5 mm; NP inside r < 2 mm
    let mut g = Grid::new(
        GridKind::Axisymmetric,
        [10, 1, 4],
        [0.5, 1.0, 0.5],
        [0.0; 3],
        AF,
    );
    for k in 0..4 {
        for i in 0..4 {
            let c = g.idx(i, 0, k);
            g.labels[c] = NP;
        }
    }
    let q = p();
    let mut st = healthy_states(&g);
    // layer 2: rings 9 and 8 innervated (0.5), ring 7 below the 0.1 threshold
    for (i, inn) in [(9, 0.5), (8, 0.5), (7, 0.05)] {
        let c = g.idx(i, 0, 2);
        st[c].0[INNERVATION] = inn;
    }
    // layer 1: only the outermost ring
    let c = g.idx(9, 0, 1);
    st[c].0[INNERVATION] = 1.0;
    let r = disc_readouts(&g, &st, &q).unwrap();
    // deepest innervated centre r = 4.25 mm -> depth 5 - 4.25
    assert!(close(r.nerve_ingrowth_depth_mm, 0.75, 1e-14));
    // into the NP: ring 2 (centre 1.25 mm) of layer 3
    let c = g.idx(2, 0, 3);
    st[c].0[INNERVATION] = 0.2;
    let r = disc_readouts(&g, &st, &q).unwrap();
    assert!(close(r.nerve_ingrowth_depth_mm, 3.75, 1e-14));
    // a void ring outside (a disc narrower than the grid) moves the surface inwards
    let mut g2 = g.clone();
    for k in 0..4 {
        let c = g2.idx(9, 0, k);
        g2.labels[c] = VOID;
    }
    let mut st2 = healthy_states(&g2);
    let c = g2.idx(8, 0, 2);
    st2[c].0[INNERVATION] = 0.5;
    let r = disc_readouts(&g2, &st2, &q).unwrap();
    assert!(close(r.nerve_ingrowth_depth_mm, 0.25, 1e-14));
}

#[test]
fn nerve_depth_cartesian_axis_aligned_cases() {
    // 7 x 7 x 1 cells of 1 mm, void column at i = 0
    let mut g = Grid::new(GridKind::Cartesian3d, [7, 7, 1], [1.0; 3], [0.0; 3], AF);
    for j in 0..7 {
        let c = g.idx(0, j, 0);
        g.labels[c] = VOID;
    }
    let q = p();
    let depth_with = |i: usize, j: usize| {
        let mut st = healthy_states(&g);
        st[g.idx(i, j, 0)].0[INNERVATION] = 1.0;
        disc_readouts(&g, &st, &q).unwrap().nerve_ingrowth_depth_mm
    };
    // centre cell: 3 cells from the void column -> 2.5 mm (box sides are 4 cells away)
    assert!(close(depth_with(3, 3), 2.5, 1e-14));
    // near the high-y side of the box: 1 cell from outside -> 0.5 mm
    assert!(close(depth_with(5, 6), 0.5, 1e-14));
    // next to the void column
    assert!(close(depth_with(1, 3), 0.5, 1e-14));
}

/// Every voxel of an irregular layer against a brute-force nearest-outside search.
#[test]
fn nerve_depth_cartesian_matches_brute_force() {
    let (nx, ny) = (9usize, 8usize);
    let mut g = Grid::new(
        GridKind::Cartesian3d,
        [nx, ny, 2],
        [0.5, 0.5, 1.0],
        [-2.0, 1.0, 0.0],
        AF,
    );
    // an elliptic disc with a notch, NP in the middle
    for k in 0..2 {
        for j in 0..ny {
            for i in 0..nx {
                let x = (i as f64 - 4.0) / 4.6;
                let y = (j as f64 - 3.5) / 3.9;
                let rho = (x * x + y * y).sqrt();
                let c = g.idx(i, j, k);
                g.labels[c] = if rho > 1.0 || (i == 4 && j < 2) {
                    VOID
                } else if rho < 0.45 {
                    NP
                } else {
                    AF
                };
            }
        }
    }
    let q = p();
    // outside sites of layer k: void cells and the ring of cells just beyond the box sides
    let mut outside: Vec<(isize, isize)> = vec![];
    for j in 0..ny as isize {
        outside.push((-1, j));
        outside.push((nx as isize, j));
    }
    for i in 0..nx as isize {
        outside.push((i, -1));
        outside.push((i, ny as isize));
    }
    for j in 0..ny {
        for i in 0..nx {
            if g.labels[g.idx(i, j, 1)] == VOID {
                outside.push((i as isize, j as isize));
            }
        }
    }
    let mut checked = 0;
    for j in 0..ny {
        for i in 0..nx {
            let c = g.idx(i, j, 1);
            if g.labels[c] == VOID {
                continue;
            }
            let d2 = outside
                .iter()
                .map(|&(a, b)| {
                    let dx = (a - i as isize) as f64 * 0.5;
                    let dy = (b - j as isize) as f64 * 0.5;
                    dx * dx + dy * dy
                })
                .fold(f64::INFINITY, f64::min);
            let expect = d2.sqrt() - 0.25;
            let mut st = healthy_states(&g);
            st[c].0[INNERVATION] = 0.3;
            let got = disc_readouts(&g, &st, &q).unwrap().nerve_ingrowth_depth_mm;
            assert!(
                (got - expect).abs() < 1e-12,
                "cell ({i}, {j}): {got} vs {expect}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40);
}
