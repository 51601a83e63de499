//! Tests of the cord-level SCI read-outs on synthetic fields with hand-computed answers.

use std::f64::consts::PI;

use super::*;
use crate::grid::GridKind;
use crate::params::Provenance;

fn p() -> SciReadoutParams {
    SciReadoutParams::builtin().unwrap()
}

/// Axisymmetric cord: 40 rings of 0.025 mm (R = 1 mm), 80 slices of 0.05 mm, z in [-2, 2] mm.
/// Grey matter r < 0.45 mm, white matter 0.45-0.85 mm, CSF beyond (ring faces at those radii).
fn axi_cord() -> Grid {
    let mut g = Grid::new(
        GridKind::Axisymmetric,
        [40, 1, 80],
        [0.025, 1.0, 0.05],
        [0.0, 0.0, -2.0],
        CSF,
    );
    for c in 0..g.len() {
        let r = g.centre(0, g.ijk(c)[0]);
        g.labels[c] = if r < 0.45 {
            GREY
        } else if r < 0.85 {
            WHITE
        } else {
            CSF
        };
    }
    g
}

/// Owned per-voxel fields, all intact (N = OL = Ax = 1), no scar or immune cells.
struct Owned {
    v: Vec<Vec<f64>>,
    cyt: Option<Vec<f64>>,
    /// neuron and oligodendrocyte loss rates (1/s)
    loss: Option<(Vec<f64>, Vec<f64>)>,
}

const N: usize = 0;
const OL: usize = 1;
const AX: usize = 2;
const SCAR: usize = 3;
const M0: usize = 4;
const M1: usize = 5;
const M2: usize = 6;
const MG0: usize = 7;
const MG1: usize = 8;
const MG2: usize = 9;
const NEU: usize = 10;

impl Owned {
    fn intact(n: usize) -> Owned {
        let mut v = vec![vec![0.0; n]; 11];
        for f in [N, OL, AX] {
            v[f] = vec![1.0; n];
        }
        Owned {
            v,
            cyt: None,
            loss: None,
        }
    }

    fn fields(&self) -> CordFields<'_> {
        CordFields {
            neuron: &self.v[N],
            oligodendrocyte: &self.v[OL],
            axon: &self.v[AX],
            scar: &self.v[SCAR],
            macrophage_m0: &self.v[M0],
            macrophage_m1: &self.v[M1],
            macrophage_m2: &self.v[M2],
            microglia_resting: &self.v[MG0],
            microglia_m1: &self.v[MG1],
            microglia_m2: &self.v[MG2],
            neutrophil: &self.v[NEU],
            ccl2_pg_ml: self.cyt.as_deref(),
            tnf_pg_ml: None,
            il1b_pg_ml: self.cyt.as_deref(),
            il10_pg_ml: None,
            conduction_block: None,
            neuron_loss_per_s: self.loss.as_ref().map(|l| l.0.as_slice()),
            oligodendrocyte_loss_per_s: self.loss.as_ref().map(|l| l.1.as_slice()),
        }
    }
}

/// Kills neurons and axons (N = Ax = 0) in the voxels whose centre lies inside the cylinder
/// r < a, |z| < half_len about the cord axis.
fn kill_cylinder(
    g: &Grid,
    o: &mut Owned,
    a: f64,
    half_len: f64,
    radius_of: impl Fn(&Grid, usize) -> f64,
) {
    for c in 0..g.len() {
        let z = g.centre(2, g.ijk(c)[2]);
        if radius_of(g, c) < a && z.abs() < half_len {
            o.v[N][c] = 0.0;
            o.v[AX][c] = 0.0;
        }
    }
}

fn axi_r(g: &Grid, c: usize) -> f64 {
    g.centre(0, g.ijk(c)[0])
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn registry_threshold_is_an_assumption() {
    let reg = Registry::builtin();
    for name in PARAMETER_NAMES {
        let q = reg.get(name).unwrap();
        assert!(matches!(q.provenance, Provenance::Assumption(_)), "{name}");
    }
    let lesion: Vec<_> = reg
        .iter()
        .filter(|q| q.name.starts_with("sci.lesion."))
        .collect();
    assert_eq!(lesion.len(), PARAMETER_NAMES.len());
    assert_eq!(p().survival_threshold, 0.5);
}

#[test]
fn epicentre_is_the_slice_nearest_z() {
    let g = axi_cord();
    // slice centres are at +-0.025 around z = 0: tie, the lower slice (k = 39) wins
    let cells = epicentre_cells(&g, 0.0).unwrap();
    assert_eq!(cells, (39 * 40..40 * 40).collect::<Vec<_>>());
    let cells = epicentre_cells(&g, 0.03).unwrap();
    assert_eq!(cells[0], 40 * 40);
    assert_eq!(cells.len(), 40);
    // beyond the ends: the end slices
    assert_eq!(epicentre_cells(&g, -9.0).unwrap()[0], 0);
    assert_eq!(epicentre_cells(&g, 9.0).unwrap()[0], 79 * 40);
    assert!(epicentre_cells(&g, f64::NAN).is_err());
}

/// A dead cylinder of radius a = 0.63 mm and length 1.34 mm. Voxels count by centre, so the
/// discrete cylinder has radius 0.625 mm (rings 0..=24) and length 1.3 mm (26 slices with
/// |z_c| <= 0.625): volume pi 0.625^2 1.3, within the discretisation band of the analytic
/// pi a^2 L (radius +- h_r / 2, length +- h_z).
#[test]
fn dead_cylinder_gives_the_analytic_lesion_volume_axisymmetric() {
    let g = axi_cord();
    let mut o = Owned::intact(g.len());
    let (a, len) = (0.63, 1.34);
    kill_cylinder(&g, &mut o, a, 0.5 * len, axi_r);
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let r = sci_readouts(&g, &o.fields(), &epi, 1e4, &p()).unwrap();
    let discrete = PI * 0.625 * 0.625 * 1.3;
    assert!(
        close(r.lesion_volume_mm3, discrete, 1e-12),
        "{}",
        r.lesion_volume_mm3
    );
    let lo = PI * (a - 0.0125f64).powi(2) * (len - 0.05);
    let hi = PI * (a + 0.0125f64).powi(2) * (len + 0.05);
    assert!(lo <= r.lesion_volume_mm3 && r.lesion_volume_mm3 <= hi);
    assert!(
        close(r.lesion_length_mm, 1.3, 1e-12),
        "{}",
        r.lesion_length_mm
    );
    // epicentre white matter 0.45-0.85 mm, dead inside 0.625 mm
    let spared = (0.85f64.powi(2) - 0.625f64.powi(2)) / (0.85f64.powi(2) - 0.45f64.powi(2));
    assert!(close(r.spared_white_matter_fraction, spared, 1e-12));
    assert!(close(r.spared_white_matter_min_fraction, spared, 1e-12));
    assert_eq!(r.spared_grey_matter_fraction, 0.0);
    // grey matter: r < 0.45 over 4 mm, dead over 1.3 mm
    assert!(close(r.neuron_survival, 1.0 - 1.3 / 4.0, 1e-12));
    assert_eq!(r.oligodendrocyte_survival, 1.0);
    // long after injury the scores are their plateaus at the epicentre sparing
    let q = p().locomotor;
    assert!(close(r.bbb, q.bbb.plateau(spared), 1e-9));
    assert!(close(r.bms, q.bms.plateau(spared), 1e-9));
    // profile: intact outside the lesion
    let prof = spared_white_matter_profile(&g, &o.v[AX]);
    assert_eq!(prof.len(), 80);
    assert!(close(prof[0].0, -1.975, 1e-12));
    assert_eq!(prof[0].1, 1.0);
    assert!(close(prof[39].1, spared, 1e-12));
}

/// Cartesian cord along z: a dead cylinder of radius a = 0.5 mm, length 1 mm, on 0.05 mm cubes.
/// The voxelised disc of radius a lies between the disks of radius a -+ h / sqrt 2.
#[test]
fn dead_cylinder_gives_the_analytic_lesion_volume_cartesian() {
    let h = 0.05;
    let mut g = Grid::new(
        GridKind::Cartesian3d,
        [40, 40, 60],
        [h, h, h],
        [-1.0, -1.0, -1.5],
        CSF,
    );
    let rad = |g: &Grid, c: usize| {
        let [i, j, _] = g.ijk(c);
        g.centre(0, i).hypot(g.centre(1, j))
    };
    for c in 0..g.len() {
        let r = rad(&g, c);
        g.labels[c] = if r < 0.4 {
            GREY
        } else if r < 0.9 {
            WHITE
        } else {
            CSF
        };
    }
    let mut o = Owned::intact(g.len());
    let (a, len) = (0.5, 1.0);
    kill_cylinder(&g, &mut o, a, 0.5 * len, rad);
    let epi = epicentre_cells(&g, 0.0).unwrap();
    assert_eq!(epi.len(), 1600);
    let r = sci_readouts(&g, &o.fields(), &epi, 30.0, &p()).unwrap();
    // slices: centres +-0.025 .. +-0.475 inside |z| < 0.5 -> 20 slices = 1.0 mm exactly
    assert!(close(r.lesion_length_mm, 1.0, 1e-12));
    let d = h / 2f64.sqrt();
    let lo = PI * (a - d).powi(2) * len;
    let hi = PI * (a + d).powi(2) * len;
    assert!(
        lo <= r.lesion_volume_mm3 && r.lesion_volume_mm3 <= hi,
        "{} not in [{lo}, {hi}]",
        r.lesion_volume_mm3
    );
    assert!(close(r.lesion_volume_mm3, PI * a * a * len, 0.05));
}

#[test]
fn uniform_fields_give_exact_fractions() {
    let g = axi_cord();
    let mut o = Owned::intact(g.len());
    o.v[N] = vec![0.4; g.len()];
    o.v[AX] = vec![0.3; g.len()];
    o.v[OL] = vec![0.7; g.len()];
    o.v[SCAR] = vec![0.25; g.len()];
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let r = sci_readouts(&g, &o.fields(), &epi, 14.0, &p()).unwrap();
    let tissue = PI * 0.85 * 0.85 * 4.0;
    // every grey (N 0.4) and white (Ax 0.3) voxel is below 0.5: all parenchyma is lesion
    assert!(close(r.lesion_volume_mm3, tissue, 1e-12));
    assert!(close(r.lesion_length_mm, 4.0, 1e-12));
    assert!(close(r.spared_white_matter_fraction, 0.3, 1e-12));
    assert!(close(r.spared_white_matter_min_fraction, 0.3, 1e-12));
    assert!(close(r.spared_grey_matter_fraction, 0.4, 1e-12));
    assert!(close(r.neuron_survival, 0.4, 1e-12));
    assert!(close(r.oligodendrocyte_survival, 0.7, 1e-12));
    assert!(close(r.grey_oligodendrocyte_survival, 0.7, 1e-12));
    assert!(close(r.scar_volume_mm3, 0.25 * tissue, 1e-12));
    let q = p().locomotor;
    assert!(close(r.bbb, q.bbb(0.3, 14.0), 1e-12));
    assert!(close(r.bms, q.bms(0.3, 14.0), 1e-12));
    // above the threshold: no lesion
    o.v[N] = vec![0.8; g.len()];
    o.v[AX] = vec![0.6; g.len()];
    let r = sci_readouts(&g, &o.fields(), &epi, 14.0, &p()).unwrap();
    assert_eq!(r.lesion_volume_mm3, 0.0);
    assert_eq!(r.lesion_length_mm, 0.0);
    // fields outside [0, 1] are clamped in the sparing fractions
    o.v[AX] = vec![1.3; g.len()];
    let r = sci_readouts(&g, &o.fields(), &epi, 14.0, &p()).unwrap();
    assert_eq!(r.spared_white_matter_fraction, 1.0);
    assert_eq!(r.functional_white_matter_fraction, 1.0);
}

#[test]
fn a_conduction_block_lowers_the_functional_fibres_and_the_scores_not_the_sparing() {
    let g = axi_cord();
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let mut o = Owned::intact(g.len());
    o.v[AX] = vec![0.4; g.len()];
    let free = sci_readouts(&g, &o.fields(), &epi, 42.0, &p()).unwrap();
    assert!(close(free.functional_white_matter_fraction, 0.4, 1e-12));
    // a quarter of the fibres blocked at the epicentre slice only
    let block: Vec<f64> = (0..g.len())
        .map(|c| if epi.contains(&c) { 0.25 } else { 0.0 })
        .collect();
    let mut f = o.fields();
    f.conduction_block = Some(&block);
    let r = sci_readouts(&g, &f, &epi, 42.0, &p()).unwrap();
    assert!(close(r.spared_white_matter_fraction, 0.4, 1e-12));
    assert!(close(r.functional_white_matter_fraction, 0.3, 1e-12));
    let q = p().locomotor;
    assert!(close(r.bbb, q.bbb(0.3, 42.0), 1e-12) && r.bbb < free.bbb);
    assert!(close(r.bms, q.bms(0.3, 42.0), 1e-12));
    // the lesion is histological: unchanged by the block
    assert_eq!(r.lesion_volume_mm3, free.lesion_volume_mm3);
    // a block field of the wrong length is named
    let short = vec![0.0; 3];
    f.conduction_block = Some(&short);
    let e = sci_readouts(&g, &f, &epi, 42.0, &p())
        .unwrap_err()
        .to_string();
    assert!(e.contains("conduction_block"), "{e}");
}

#[test]
fn cell_counts_and_ratios_follow_the_documented_rule() {
    let g = axi_cord();
    let mut o = Owned::intact(g.len());
    let n = g.len();
    o.v[M0] = vec![10.0; n];
    o.v[M1] = vec![200.0; n];
    o.v[M2] = vec![50.0; n];
    o.v[MG0] = vec![300.0; n];
    o.v[MG1] = vec![90.0; n];
    o.v[MG2] = vec![0.0; n];
    o.v[NEU] = vec![5.0; n];
    o.cyt = Some(vec![35.0; n]);
    // CSF voxels carry huge values that must be ignored
    for c in 0..n {
        if g.labels[c] == CSF {
            for f in [M0, M1, M2, MG0, MG1, MG2, NEU] {
                o.v[f][c] = 1e9;
            }
            if let Some(cy) = o.cyt.as_mut() {
                cy[c] = 1e9;
            }
        }
    }
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let r = sci_readouts(&g, &o.fields(), &epi, 7.0, &p()).unwrap();
    let tissue = PI * 0.85 * 0.85 * 4.0;
    assert!(close(r.macrophage_m0_cells, 10.0 * tissue, 1e-12));
    assert!(close(r.macrophage_m1_cells, 200.0 * tissue, 1e-12));
    assert!(close(r.macrophage_m2_cells, 50.0 * tissue, 1e-12));
    assert!(close(r.macrophage_m1_m2_ratio.unwrap(), 4.0, 1e-12));
    assert!(close(r.microglia_resting_cells, 300.0 * tissue, 1e-12));
    assert!(close(r.microglia_m1_cells, 90.0 * tissue, 1e-12));
    assert_eq!(r.microglia_m2_cells, 0.0);
    // no M2 microglia: the ratio is undefined, NaN in the table
    assert_eq!(r.microglia_m1_m2_ratio, None);
    let cols = SciReadouts::columns();
    let vals = r.values();
    let at = |name: &str| vals[cols.iter().position(|(c, _)| *c == name).unwrap()];
    assert!(at("microglia_m1_m2_ratio").is_nan());
    assert!(close(at("macrophage_m1_m2_ratio"), 4.0, 1e-12));
    assert!(close(r.neutrophil_cells, 5.0 * tissue, 1e-12));
    assert!(close(r.ccl2_pg_ml, 35.0, 1e-12));
    assert!(close(r.il1b_pg_ml, 35.0, 1e-12));
    assert!(r.tnf_pg_ml.is_nan() && r.il10_pg_ml.is_nan());
    // the rule: at least one M2 cell in the denominator
    assert_eq!(m1_m2_ratio(3.0, 0.999), None);
    assert_eq!(m1_m2_ratio(3.0, 1.0), Some(3.0));
    assert_eq!(m1_m2_ratio(0.0, 2.0), Some(0.0));
    assert_eq!(m1_m2_ratio(f64::NAN, 2.0), None);
}

#[test]
fn more_sparing_gives_higher_scores() {
    let g = axi_cord();
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let mut prev = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    // growing dead cylinders: lesion grows, sparing and scores fall
    for a in [0.5, 0.6, 0.7, 0.8, 0.9] {
        let mut o = Owned::intact(g.len());
        kill_cylinder(&g, &mut o, a, 0.5, axi_r);
        let r = sci_readouts(&g, &o.fields(), &epi, 42.0, &p()).unwrap();
        assert!(
            r.bbb < prev.0 && r.bms < prev.1 && r.lesion_volume_mm3 > prev.2,
            "a = {a}"
        );
        prev = (r.bbb, r.bms, r.lesion_volume_mm3);
    }
    // the whole white matter dead at the epicentre: paraplegia
    assert_eq!(prev.0, 0.0);
    assert_eq!(prev.1, 0.0);
}

#[test]
fn bad_inputs_are_reported_with_the_field() {
    let g = axi_cord();
    let mut o = Owned::intact(g.len());
    o.v[SCAR].pop();
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let e = sci_readouts(&g, &o.fields(), &epi, 7.0, &p())
        .unwrap_err()
        .to_string();
    assert!(e.contains("'scar'") && e.contains("3199"), "{e}");
    let o = Owned::intact(g.len());
    let e = sci_readouts(&g, &o.fields(), &[5, 99_999], 7.0, &p())
        .unwrap_err()
        .to_string();
    assert!(e.contains("99999"), "{e}");
}

#[test]
fn columns_are_unique_snake_case_with_units() {
    let cols = SciReadouts::columns();
    let g = axi_cord();
    let o = Owned::intact(g.len());
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let r = sci_readouts(&g, &o.fields(), &epi, 7.0, &p()).unwrap();
    assert_eq!(cols.len(), r.values().len());
    for (i, (n, u)) in cols.iter().enumerate() {
        assert!(n
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
        assert!(cols[i + 1..].iter().all(|(m, _)| m != n), "duplicate {n}");
        assert_eq!(readout_unit(n), Some(*u));
    }
    assert_eq!(readout_unit("lesion_volume_mm3"), Some("mm^3"));
    assert_eq!(readout_unit("bbb"), Some("points"));
    assert_eq!(readout_unit("ccl2_pg_ml"), Some("pg/mL"));
    assert_eq!(readout_unit("nope"), None);
    // an intact cord: no lesion, full sparing, full score after recovery
    assert_eq!(r.lesion_volume_mm3, 0.0);
    assert_eq!(r.spared_white_matter_fraction, 1.0);
    assert_eq!(r.macrophage_m1_m2_ratio, None);
    let late = sci_readouts(&g, &o.fields(), &epi, 1e4, &p()).unwrap();
    assert!(close(late.bbb, 21.0, 1e-9) && close(late.bms, 9.0, 1e-9));
}

#[test]
fn lesion_myeloid_read_outs_count_only_the_lesion() {
    // a dead cylinder (r < 0.5 mm, |z| < 0.5 mm) holds 40 macrophages (10 M0, 20 M1, 10 M2) and
    // 160 activated microglia (100 M1, 60 M2) per mm^3; spared tissue holds other numbers that
    // must not count; resting microglia never count
    let g = axi_cord();
    let mut o = Owned::intact(g.len());
    kill_cylinder(&g, &mut o, 0.5, 0.5, axi_r);
    let n = g.len();
    let mut lesion_vol = 0.0;
    for c in 0..n {
        let dead = o.v[N][c] == 0.0 && matches!(g.labels[c], GREY | WHITE);
        let (m0, m1, m2, mg0, mg1, mg2) = if dead {
            lesion_vol += g.volume(c);
            (10.0, 20.0, 10.0, 500.0, 100.0, 60.0)
        } else {
            (1.0, 0.0, 0.0, 8000.0, 3.0, 7.0)
        };
        o.v[M0][c] = m0;
        o.v[M1][c] = m1;
        o.v[M2][c] = m2;
        o.v[MG0][c] = mg0;
        o.v[MG1][c] = mg1;
        o.v[MG2][c] = mg2;
    }
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let r = sci_readouts(&g, &o.fields(), &epi, 7.0, &p()).unwrap();
    assert!(close(lesion_vol, r.lesion_volume_mm3, 1e-12));
    assert!(close(r.lesion_myeloid_cells, 200.0 * lesion_vol, 1e-12));
    assert!(close(r.lesion_blood_derived_fraction, 0.2, 1e-12));
    // no lesion: no lesion myeloid cells and an undefined share
    let intact = Owned::intact(n);
    let r = sci_readouts(&g, &intact.fields(), &epi, 7.0, &p()).unwrap();
    assert_eq!(r.lesion_myeloid_cells, 0.0);
    assert!(r.lesion_blood_derived_fraction.is_nan());
}

/// The death rates are the dying cells per day over the living ones of their compartment
/// (neurons: grey matter, oligodendrocytes: white matter), and NaN without the loss fields.
#[test]
fn death_rates_are_dying_over_living_cells_per_day() {
    let g = axi_cord();
    let n = g.len();
    let mut o = Owned::intact(n);
    let epi = epicentre_cells(&g, 0.0).unwrap();
    let r = sci_readouts(&g, &o.fields(), &epi, 3.0, &p()).unwrap();
    assert!(r.neuron_death_rate.is_nan() && r.oligodendrocyte_death_rate.is_nan());
    // neurons at 0.4 dying at 0.04 /d per unit intact density: 0.1 of the living per day;
    // oligodendrocytes at 0.5 losing 0.01 /d: 0.02 per day
    let day = 86_400.0;
    o.v[N] = vec![0.4; n];
    o.v[OL] = vec![0.5; n];
    o.loss = Some((vec![0.04 / day; n], vec![0.01 / day; n]));
    let r = sci_readouts(&g, &o.fields(), &epi, 3.0, &p()).unwrap();
    assert!(
        close(r.neuron_death_rate, 0.1, 1e-12),
        "{}",
        r.neuron_death_rate
    );
    assert!(close(r.oligodendrocyte_death_rate, 0.02, 1e-12));
    // dying neurons only in half the grey matter (z > 0): the rate halves; white-matter
    // losses do not count for neurons
    let mut ln = vec![0.0; n];
    for (c, l) in ln.iter_mut().enumerate() {
        if g.labels[c] == WHITE || g.centre(2, g.ijk(c)[2]) > 0.0 {
            *l = 0.04 / day;
        }
    }
    o.loss = Some((ln, vec![0.0; n]));
    let r = sci_readouts(&g, &o.fields(), &epi, 3.0, &p()).unwrap();
    assert!(
        close(r.neuron_death_rate, 0.05, 1e-9),
        "{}",
        r.neuron_death_rate
    );
    assert_eq!(r.oligodendrocyte_death_rate, 0.0);
    // a loss field of the wrong length is named
    o.loss = Some((vec![0.0; n - 1], vec![0.0; n]));
    let e = sci_readouts(&g, &o.fields(), &epi, 3.0, &p()).unwrap_err();
    assert!(e.to_string().contains("neuron_loss_per_s"), "{e}");
}
