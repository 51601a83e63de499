//! Scavenging of the injury's DAMP signal by a carrier that binds cell-free CpG DNA.
//!
//! The damage input of the disc biology (`Inputs::injury`, 0..1) stands for the cell-free,
//! mitochondria-derived CpG DNA of the injured disc, which drives M1 polarisation and NF-kB
//! through TLR9 (Peng 2023 [V]). Its concentration is `D = injury x D_ref` with
//! `D_ref = injury.damp_concentration` (nM). A cationic carrier offers binding sites
//! `S = capacity x [carrier]` (nM; ~3 mol CpG DNA per mol of cNP, Peng 2023 [V]) with
//! dissociation constant `K_d`. Binding is fast (minutes) against the days over which the signal
//! changes, so it is taken at equilibrium: the free concentration `F` solves
//! `D = F + S F / (K_d + F)`, i.e.
//!
//! `F = ( (D - S - K_d) + sqrt((D - S - K_d)^2 + 4 K_d D) ) / 2`,
//!
//! and the biology receives the free share `injury x F / D`. With no binding sites the share is
//! 1; with sites in excess (`S >> D`) it tends to `K_d / (K_d + S)`.

/// Free (unbound) fraction `F / D` of a ligand at total concentration `d_nm` (nM) with binding
/// sites `sites_nm` (nM) of dissociation constant `kd_nm` (nM), at equilibrium (1:1 site
/// binding). 1 when there are no sites; `kd / (kd + S)` as `d -> 0`. Non-finite or negative
/// inputs are treated as 0; `kd_nm <= 0` means irreversible (stoichiometric) binding.
pub fn free_fraction(d_nm: f64, sites_nm: f64, kd_nm: f64) -> f64 {
    let clean = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
    let (d, s, k) = (clean(d_nm), clean(sites_nm), clean(kd_nm));
    if s == 0.0 {
        return 1.0;
    }
    if d == 0.0 {
        return if k > 0.0 { k / (k + s) } else { 0.0 };
    }
    let b = d - s - k;
    // numerically stable root: for b < 0 use F = 2 K d / (sqrt(b^2 + 4 K d) - b)
    let disc = (b * b + 4.0 * k * d).sqrt();
    let f = if b >= 0.0 {
        0.5 * (b + disc)
    } else {
        2.0 * k * d / (disc - b)
    };
    (f / d).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The free fraction satisfies the mass balance `D = F + S F / (K + F)` to rounding.
    #[test]
    fn free_fraction_solves_the_binding_balance() {
        for &(d, s, k) in &[
            (200.0, 6.0e5, 10.0),
            (200.0, 50.0, 10.0),
            (1e-3, 1.0, 1e3),
            (5.0e3, 1.0e3, 1.0),
            (1.0, 1.0, 1.0),
        ] {
            let f = free_fraction(d, s, k) * d;
            let bound = s * f / (k + f);
            assert!(
                ((f + bound) - d).abs() <= 1e-9 * d,
                "d {d} s {s} k {k}: free {f} bound {bound}"
            );
        }
    }

    #[test]
    fn limits_no_sites_excess_sites_and_stoichiometric() {
        assert_eq!(free_fraction(100.0, 0.0, 10.0), 1.0);
        // sites in large excess: K / (K + S), up to O(D / (S + K)) = 1e-4
        let f = free_fraction(1.0, 1.0e4, 10.0);
        assert!((f - 10.0 / 1.001e4).abs() < 3e-4 * f, "{f}");
        assert_eq!(free_fraction(0.0, 1.0e4, 10.0), 10.0 / 1.001e4);
        // stoichiometric (K = 0): free = max(D - S, 0)
        assert!((free_fraction(100.0, 30.0, 0.0) - 0.7).abs() < 1e-12);
        assert_eq!(free_fraction(100.0, 300.0, 0.0), 0.0);
        // bad inputs do not panic and mean "absent"
        assert_eq!(free_fraction(f64::NAN, 10.0, 1.0), 1.0 / 11.0);
        assert_eq!(free_fraction(10.0, f64::NAN, 1.0), 1.0);
    }

    #[test]
    fn more_sites_leave_less_free_ligand() {
        let mut last = 1.0;
        for s in [1.0, 10.0, 100.0, 1e3, 1e4] {
            let f = free_fraction(200.0, s, 10.0);
            assert!(f < last, "S {s}: {f} !< {last}");
            last = f;
        }
    }
}
