//! Tests of the cord geometry: registry presets, label placement, volumes against the analytic
//! cylinder/annulus/elliptic-cylinder volumes with their convergence, and the spacing errors.

use super::*;
use std::f64::consts::PI;

fn rat() -> CordGeometry {
    CordGeometry::from_registry(&Registry::builtin(), "rat_thoracic").unwrap()
}

/// Exact volumes (grey, white, CSF) of the axisymmetric idealisation, mm^3.
fn exact_axisymmetric(g: &CordGeometry) -> [f64; 3] {
    let (rg, r, t, l) = (
        g.grey_radius(),
        g.equivalent_radius(),
        g.csf_thickness,
        g.segment_length,
    );
    [
        PI * rg * rg * l,
        PI * (r * r - rg * rg) * l,
        PI * ((r + t).powi(2) - r * r) * l,
    ]
}

#[test]
fn every_preset_loads_with_sane_dimensions() {
    let reg = Registry::builtin();
    for p in CORD_PRESETS {
        let g = CordGeometry::from_registry(&reg, p).unwrap();
        assert!(g.ap_diameter <= g.transverse_diameter, "{p}");
        assert!(g.csf_thickness < g.equivalent_radius(), "{p}");
        assert!(g.dura_thickness < g.csf_thickness, "{p}");
        assert!(g.segment_length > 2.0 * g.equivalent_radius(), "{p}");
        // every preset can be built at its largest allowed spacing
        let (_, b) = build_cord_grid(&g, GridKind::Axisymmetric, g.max_spacing()).unwrap();
        assert!(b.volume_grey > 0.0 && b.volume_white > 0.0 && b.volume_csf > 0.0);
    }
    // the human values are the Frostell 2016 C5 means; their ellipse area matches Kato 2012
    let h = CordGeometry::from_registry(&reg, "human_cervical").unwrap();
    assert_eq!((h.transverse_diameter, h.ap_diameter), (13.3, 7.4));
    assert!((h.cord_area() - 76.25).abs() < 2.0, "{}", h.cord_area());
    // size ordering mouse < rat < human
    let m = CordGeometry::from_registry(&reg, "mouse_thoracic").unwrap();
    assert!(m.equivalent_radius() < rat().equivalent_radius());
    assert!(rat().equivalent_radius() < h.equivalent_radius());
    let e = CordGeometry::from_registry(&reg, "cat_thoracic").unwrap_err();
    assert!(e.to_string().contains("human_cervical"), "{e}");
}

#[test]
fn axisymmetric_labels_at_known_points() {
    let g = rat();
    let h = 0.05;
    let (grid, b) = build_cord_grid(&g, GridKind::Axisymmetric, h).unwrap();
    // z spans -L/2..L/2 with the epicentre z = 0 on a cell face in the middle
    let nz = grid.n[2];
    assert!((grid.origin[2] + b.segment_length / 2.0).abs() < 1e-12);
    assert!((b.segment_length - g.segment_length).abs() <= h / 2.0 + 1e-12);
    let label_at = |r: f64, z: f64| {
        let i = (r / h).floor() as usize;
        let k = ((z - grid.origin[2]) / h).floor() as usize;
        grid.labels[grid.idx(i, 0, k)]
    };
    for z in [
        -0.49 * b.segment_length,
        -1e-3,
        0.0,
        2.0,
        0.49 * b.segment_length,
    ] {
        assert_eq!(label_at(0.0, z), GREY, "axis at z = {z}");
        assert_eq!(label_at(0.9 * g.grey_radius(), z), GREY);
        assert_eq!(label_at(1.2 * g.grey_radius(), z), WHITE);
        assert_eq!(label_at(0.97 * g.equivalent_radius(), z), WHITE);
        assert_eq!(
            label_at(g.equivalent_radius() + 0.5 * g.csf_thickness, z),
            CSF
        );
    }
    // the CSF is the outermost ring: the dura is the outer face of the box
    assert_eq!(grid.labels[grid.idx(grid.n[0] - 1, 0, nz / 2)], CSF);
    assert!(!grid.labels.contains(&VOID));
    // snapped radii within half a cell of the targets
    assert!((b.grey_radius - g.grey_radius()).abs() <= h / 2.0 + 1e-12);
    assert!((b.cord_radius - g.equivalent_radius()).abs() <= h / 2.0 + 1e-12);
    assert!(
        (b.csf_outer_radius - b.cord_radius - g.csf_thickness).abs() <= h / 2.0 + 1e-12,
        "{b:?}"
    );
}

#[test]
fn axisymmetric_volumes_converge_to_the_analytic_annuli() {
    // spacings from the coarsest allowed down by 2^4; error bound from snapping each radius and
    // the length by at most h/2
    let g = rat();
    let exact = exact_axisymmetric(&g);
    let h0 = g.max_spacing();
    let mut errs = Vec::new();
    let mut hs = Vec::new();
    for k in 0..5 {
        let h = h0 / 2f64.powi(k);
        let (grid, b) = build_cord_grid(&g, GridKind::Axisymmetric, h).unwrap();
        // built volumes equal the snapped analytic volumes to round-off
        let l = b.segment_length;
        let snapped = [
            PI * b.grey_radius.powi(2) * l,
            PI * (b.cord_radius.powi(2) - b.grey_radius.powi(2)) * l,
            PI * (b.csf_outer_radius.powi(2) - b.cord_radius.powi(2)) * l,
        ];
        let got = [b.volume_grey, b.volume_white, b.volume_csf];
        for s in 0..3 {
            assert!((got[s] - snapped[s]).abs() < 1e-10 * snapped[s]);
        }
        let total: f64 = (0..grid.len()).map(|c| grid.volume(c)).sum();
        assert!((total - got.iter().sum::<f64>()).abs() < 1e-10 * total);
        let e = (0..3)
            .map(|s| (got[s] - exact[s]).abs() / exact[s])
            .fold(0.0, f64::max);
        // |dV/V| <= 2 dr/r_min + dL/L with dr = dL = h/2, r_min the thinnest annulus width
        let r_min = g.grey_radius().min(g.csf_thickness);
        let bound = h / r_min + 0.5 * h / g.segment_length;
        assert!(e <= bound, "h = {h}: error {e} > bound {bound}");
        errs.push(e.max(1e-6));
        hs.push(h);
    }
    // measured convergence: the finest grid is within 3 % (the 0.2 mm CSF annulus dominates), and
    // the error shrinks overall at roughly first order (snapping makes single steps irregular;
    // observed 0.26, 0.15, 0.079, 0.022, 0.022)
    assert!(errs[4] < 0.03, "{errs:?}");
    let order = crate::validate::analytic::order(&hs, &errs);
    assert!(order > 0.7, "observed order {order}, errors {errs:?}");
}

#[test]
fn cartesian_ellipse_labels_and_volumes() {
    let g = rat();
    let (a, b_) = (0.5 * g.transverse_diameter, 0.5 * g.ap_diameter);
    let s = g.grey_area_fraction.sqrt();
    let mut errs = Vec::new();
    let mut hs = Vec::new();
    for h in [0.12, 0.06, 0.03] {
        let (grid, b) = build_cord_grid(&g, GridKind::Cartesian3d, h).unwrap();
        let l = b.segment_length;
        let exact = [
            PI * s * s * a * b_ * l,
            PI * (1.0 - s * s) * a * b_ * l,
            PI * ((a + g.csf_thickness) * (b_ + g.csf_thickness) - a * b_) * l,
        ];
        let got = [b.volume_grey, b.volume_white, b.volume_csf];
        let e = (0..3)
            .map(|k| (got[k] - exact[k]).abs() / exact[k])
            .fold(0.0, f64::max);
        errs.push(e.max(1e-6));
        hs.push(h);
        // labels at known points of the mid-section
        let at = |x: f64, y: f64| {
            let i = ((x - grid.origin[0]) / h).floor() as usize;
            let j = ((y - grid.origin[1]) / h).floor() as usize;
            grid.labels[grid.idx(i, j, grid.n[2] / 2)]
        };
        assert_eq!(at(0.01, 0.01), GREY);
        assert_eq!(at(0.8 * s * a, 0.0), GREY);
        assert_eq!(at(0.0, 1.3 * s * b_), WHITE);
        assert_eq!(at(0.95 * a, 0.0), WHITE);
        assert_eq!(at(0.0, b_ + 0.5 * g.csf_thickness), CSF);
        assert_eq!(at(grid.origin[0] + 0.5 * h, grid.origin[1] + 0.5 * h), VOID);
        assert!((b.grey_fraction - g.grey_area_fraction).abs() < 0.05 + h);
    }
    assert!(errs[2] < 0.1, "{errs:?}");
    assert!(errs[2] < errs[0], "{errs:?}");
}

#[test]
fn spacing_errors_name_the_setting_and_the_allowed_range() {
    let g = rat();
    let too_coarse = 1.5 * g.max_spacing();
    for kind in [GridKind::Axisymmetric, GridKind::Cartesian3d] {
        let e = build_cord_grid(&g, kind, too_coarse)
            .unwrap_err()
            .to_string();
        assert!(e.contains("grid.spacing"), "{e}");
        assert!(e.contains(&format!("{:.4}", g.max_spacing())), "{e}");
    }
    let e = build_cord_grid(&g, GridKind::Axisymmetric, -0.1)
        .unwrap_err()
        .to_string();
    assert!(e.contains("grid.spacing") && e.contains("positive"), "{e}");
    // a CSF layer thinner than half a cell has no cell
    let thin = CordGeometry {
        csf_thickness: 0.01,
        ..g.clone()
    };
    let e = build_cord_grid(&thin, GridKind::Axisymmetric, 0.05)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("cord.csf_thickness") && e.contains("0.0200"),
        "{e}"
    );
    let bad = CordGeometry {
        grey_area_fraction: 1.2,
        ..g
    };
    let e = build_cord_grid(&bad, GridKind::Axisymmetric, 0.05)
        .unwrap_err()
        .to_string();
    assert!(e.contains("grey_area_fraction"), "{e}");
}
