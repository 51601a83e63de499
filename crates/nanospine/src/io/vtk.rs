//! VTK XML ImageData (`.vti`) snapshots and ParaView collections (`.pvd`).
//!
//! Files are VTK XML version 1.0, little-endian, with every array stored inline as base64
//! binary (`format="binary"`, 64-bit length header), which ParaView, VisIt and the Python
//! `vtk` package read, and which keeps NaN exactly (ASCII NaN is not portable across readers).
//!
//! Layout: cell `(i, j, k)` of the [`Grid`] is VTK cell `(i, j, k)`; both store `i` fastest,
//! so arrays are written in grid index order. Coordinates are millimetres.
//! * Cartesian grids are the 3-D image with extent `nx x ny x nz` cells.
//! * Axisymmetric grids are the (r, z) half-plane: VTK x = r, VTK z = z, and a degenerate
//!   (zero-thickness) y axis, so the image has `nr x 1 x nz` cells that are flat pixels in the
//!   x-z plane. In ParaView look along +Y (the "-Y"/"+Y" camera buttons) to see it; the
//!   "Rotational Extrusion" filter about z rebuilds the 3-D disc from it.

use super::{fmt_f64, invalid, write_file, xml_escape};
use crate::grid::{label_name, Grid, GridKind, MAX_LABELS, VOID};
use std::fmt::Write as _;
use std::path::{Component, Path};

/// One data set of a ParaView collection (`.pvd`).
#[derive(Debug, Clone, PartialEq)]
pub struct PvdEntry {
    /// Time of the snapshot (days). ParaView shows it as the time value.
    pub time: f64,
    /// Part name, e.g. the treatment arm; entries with the same name form one block.
    /// Empty for a single-part collection.
    pub part: String,
    /// File name relative to the directory of the `.pvd` file (for example `"arm_a/t0003.vti"`).
    pub file: String,
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (pos, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if pos <= chunk.len() {
                out.push(char::from(B64[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Inline binary payload of a VTK XML array: UInt64 byte count, then the data, base64 encoded
/// together (the layout VTK's reader expects for uncompressed inline data).
fn payload(data: &[u8]) -> String {
    let mut buf = Vec::with_capacity(8 + data.len());
    buf.extend_from_slice(&(data.len() as u64).to_le_bytes());
    buf.extend_from_slice(data);
    base64(&buf)
}

fn push_array(out: &mut String, vtk_type: &str, name: &str, ntuples: usize, data: &[u8]) {
    let _ = writeln!(
        out,
        "        <DataArray type=\"{vtk_type}\" Name=\"{}\" NumberOfComponents=\"1\" \
         NumberOfTuples=\"{ntuples}\" format=\"binary\">",
        xml_escape(name)
    );
    let _ = writeln!(out, "          {}", payload(data));
    out.push_str("        </DataArray>\n");
}

/// Renders the `.vti` document (see [`write_vti`]); errors describe the offending input.
fn vti_string(
    grid: &Grid,
    fields: &[(&str, &[f64])],
    time_s: Option<f64>,
) -> Result<String, String> {
    let ncell = grid.len();
    let [nx, ny, nz] = grid.n;
    if nx * ny * nz != ncell || ncell == 0 {
        return Err(format!(
            "grid has n = {:?} but {} labels; need n[0]*n[1]*n[2] = labels > 0",
            grid.n, ncell
        ));
    }
    for (a, h) in grid.h.iter().enumerate() {
        if !(h.is_finite() && *h > 0.0) {
            return Err(format!(
                "grid spacing h[{a}] = {h} mm; must be finite and > 0"
            ));
        }
    }
    if grid.origin.iter().any(|o| !o.is_finite()) {
        return Err(format!("grid origin {:?} mm is not finite", grid.origin));
    }
    if let Some(t) = time_s {
        if !t.is_finite() {
            return Err(format!("time_s = {t}; must be finite"));
        }
    }
    let mut names: Vec<&str> = vec!["tissue"];
    for (name, values) in fields {
        if name.trim().is_empty() {
            return Err("a field has an empty name".into());
        }
        if names.contains(name) {
            return Err(format!(
                "field name \"{name}\" is used twice (\"tissue\" is reserved for the labels)"
            ));
        }
        names.push(name);
        if values.len() != ncell {
            return Err(format!(
                "field \"{name}\" has {} values but the grid has {ncell} cells",
                values.len()
            ));
        }
    }

    // Whole extent in point indices; the axisymmetric y axis is degenerate (0 0).
    let ext_y = match grid.kind {
        GridKind::Axisymmetric => 0,
        GridKind::Cartesian3d => ny,
    };
    let extent = format!("0 {nx} 0 {ext_y} 0 {nz}");
    let origin = grid.origin.map(fmt_f64).join(" ");
    let spacing = grid.h.map(fmt_f64).join(" ");

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\"?>\n");
    let geometry = match grid.kind {
        GridKind::Axisymmetric => "axisymmetric (r, z) half-plane: x = r, z = z",
        GridKind::Cartesian3d => "Cartesian 3-D: x, y, z",
    };
    let legend: Vec<String> = (0..MAX_LABELS as u8)
        .map(|l| format!("{l}={}", label_name(l)))
        .filter(|s| !s.ends_with("=other"))
        .collect();
    let _ = writeln!(
        out,
        "<!-- nanospine {} | {geometry} | lengths mm | cell data, NaN outside tissue | \
         tissue: {} | TIME in s -->",
        env!("CARGO_PKG_VERSION"),
        legend.join(" ")
    );
    out.push_str(
        "<VTKFile type=\"ImageData\" version=\"1.0\" byte_order=\"LittleEndian\" \
         header_type=\"UInt64\">\n",
    );
    let _ = writeln!(
        out,
        "  <ImageData WholeExtent=\"{extent}\" Origin=\"{origin}\" Spacing=\"{spacing}\" \
         Direction=\"1 0 0 0 1 0 0 0 1\">"
    );
    if let Some(t) = time_s {
        out.push_str("    <FieldData>\n");
        push_array(&mut out, "Float64", "TIME", 1, &t.to_le_bytes());
        out.push_str("    </FieldData>\n");
    }
    let _ = writeln!(out, "    <Piece Extent=\"{extent}\">");
    out.push_str("      <PointData>\n      </PointData>\n");
    let scalars = fields.first().map_or("tissue", |f| f.0);
    let _ = writeln!(out, "      <CellData Scalars=\"{}\">", xml_escape(scalars));
    for (name, values) in fields {
        let mut bytes = Vec::with_capacity(8 * ncell);
        for (v, l) in values.iter().zip(&grid.labels) {
            let v = if *l == VOID { f64::NAN } else { *v };
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        push_array(&mut out, "Float64", name, ncell, &bytes);
    }
    push_array(&mut out, "UInt8", "tissue", ncell, &grid.labels);
    out.push_str("      </CellData>\n    </Piece>\n  </ImageData>\n</VTKFile>\n");
    Ok(out)
}

/// Writes a VTK XML ImageData file (`.vti`) with one Float64 cell array per field plus a UInt8
/// cell array `"tissue"` holding the grid labels (0 void, 1 NP, 2 AF, 3 CEP).
///
/// * `fields`: `(name, values)` with one value per grid cell in grid index order; units are
///   the caller's (put them in the name, e.g. `"glucose_mM"`). Cells labelled void get NaN.
/// * `time_s`: simulated time (s), stored as the one-value field-data array `"TIME"`.
///
/// Origin and spacing are in mm. Axisymmetric grids are written as the (r, z) half-plane (see
/// the module documentation). Fails with `InvalidInput` (nothing written) if a field's length
/// differs from the number of cells, a name is empty or repeated (`"tissue"` is reserved), or
/// the time or geometry is not finite.
pub fn write_vti(
    path: &Path,
    grid: &Grid,
    fields: &[(&str, &[f64])],
    time_s: Option<f64>,
) -> std::io::Result<()> {
    let text = vti_string(grid, fields, time_s).map_err(|m| invalid(path, m))?;
    write_file(path, text.as_bytes())
}

/// Renders the `.pvd` document (see [`write_pvd`]).
fn pvd_string(entries: &[PvdEntry]) -> Result<String, String> {
    let mut parts: Vec<&str> = vec![];
    for (n, e) in entries.iter().enumerate() {
        if !e.time.is_finite() {
            return Err(format!(
                "entry {n} ({}) has time {} d; must be finite",
                e.file, e.time
            ));
        }
        let p = Path::new(&e.file);
        if e.file.is_empty()
            || p.is_absolute()
            || p.components().any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "entry {n} has file \"{}\"; must be a non-empty relative path without '..' \
                 (relative to the .pvd file, so the output directory can be moved)",
                e.file
            ));
        }
        if !parts.contains(&e.part.as_str()) {
            parts.push(&e.part);
        }
    }
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\"?>\n");
    let _ = writeln!(
        out,
        "<!-- nanospine {} | timestep in days | part = block index, name = part name -->",
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n");
    out.push_str("  <Collection>\n");
    for e in entries {
        let idx = parts.iter().position(|p| *p == e.part).unwrap_or(0);
        let name = if e.part.is_empty() {
            String::new()
        } else {
            format!(" name=\"{}\"", xml_escape(&e.part))
        };
        let _ = writeln!(
            out,
            "    <DataSet timestep=\"{}\" group=\"\" part=\"{idx}\"{name} file=\"{}\"/>",
            fmt_f64(e.time),
            xml_escape(&e.file)
        );
    }
    out.push_str("  </Collection>\n</VTKFile>\n");
    Ok(out)
}

/// Writes a ParaView collection (`.pvd`) listing `entries` in the given order.
///
/// Each entry becomes a `DataSet` with `timestep` = time (days), `part` = index of its part name
/// in order of first appearance, `name` = the part name (omitted when empty) and `file`. ParaView
/// shows, at each time, one block per part whose entry has exactly that time, so all parts
/// should use the same output times. Fails with `InvalidInput` (nothing written) for a
/// non-finite time or a file that is empty, absolute or contains `..`.
pub fn write_pvd(path: &Path, entries: &[PvdEntry]) -> std::io::Result<()> {
    let text = pvd_string(entries).map_err(|m| invalid(path, m))?;
    write_file(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{AF, NP};

    fn unbase64(s: &str) -> Vec<u8> {
        let val = |c: u8| B64.iter().position(|&b| b == c).map(|p| p as u32);
        let mut out = vec![];
        for chunk in s.as_bytes().chunks(4) {
            let mut n = 0u32;
            let mut k: u32 = 0;
            for &c in chunk {
                if let Some(v) = val(c) {
                    n = (n << 6) | v;
                    k += 1;
                }
            }
            n <<= 6 * (4 - k);
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..k.saturating_sub(1) as usize]);
        }
        out
    }

    fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
        let key = format!(" {name}=\"");
        let start = tag.find(&key).unwrap() + key.len();
        let len = tag[start..].find('"').unwrap();
        &tag[start..start + len]
    }

    /// Decodes the payload of the DataArray called `name`: (attributes line, raw data bytes).
    fn array<'a>(doc: &'a str, name: &str) -> (&'a str, Vec<u8>) {
        let key = format!("Name=\"{name}\"");
        let pos = doc.find(&key).unwrap();
        let line_start = doc[..pos].rfind('<').unwrap();
        let tag_end = pos + doc[pos..].find('>').unwrap();
        let body_end = tag_end + doc[tag_end..].find("</DataArray>").unwrap();
        let raw = unbase64(doc[tag_end + 1..body_end].trim());
        let n = u64::from_le_bytes(raw[..8].try_into().unwrap()) as usize;
        assert_eq!(
            raw.len(),
            8 + n,
            "length header must match the payload of {name}"
        );
        (&doc[line_start..tag_end], raw[8..].to_vec())
    }

    fn f64s(b: &[u8]) -> Vec<f64> {
        b.chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(unbase64("Zm9vYg=="), b"foob");
    }

    #[test]
    fn axisymmetric_vti_has_half_plane_extent_and_nan_in_void() {
        let mut g = Grid::new(
            GridKind::Axisymmetric,
            [4, 1, 3],
            [0.5, 1.0, 0.25],
            [0.0, 0.0, -0.375],
            NP,
        );
        let void_cell = g.idx(3, 0, 2);
        g.labels[void_cell] = VOID;
        let af_cell = g.idx(3, 0, 0);
        g.labels[af_cell] = AF;
        let c: Vec<f64> = (0..g.len()).map(|i| i as f64 * 0.5).collect();
        let doc = vti_string(&g, &[("glucose_mM", &c)], Some(86400.0)).unwrap();
        let image = &doc[doc.find("<ImageData").unwrap()..];
        assert_eq!(attr(image, "WholeExtent"), "0 4 0 0 0 3");
        assert_eq!(attr(image, "Spacing"), "0.5 1 0.25");
        assert_eq!(attr(image, "Origin"), "0 0 -0.375");
        let (tag, data) = array(&doc, "glucose_mM");
        assert_eq!(attr(tag, "type"), "Float64");
        assert_eq!(attr(tag, "NumberOfTuples"), "12");
        let v = f64s(&data);
        assert_eq!(v.len(), 12);
        for (i, x) in v.iter().enumerate() {
            if i == void_cell {
                assert!(x.is_nan());
            } else {
                assert_eq!(*x, i as f64 * 0.5);
            }
        }
        let (tag, labels) = array(&doc, "tissue");
        assert_eq!(attr(tag, "type"), "UInt8");
        assert_eq!(labels.len(), 12);
        assert_eq!(labels[void_cell], VOID);
        assert_eq!(labels[3], AF);
        assert_eq!(labels[0], NP);
        let (_, t) = array(&doc, "TIME");
        assert_eq!(f64s(&t), [86400.0]);
    }

    #[test]
    fn cartesian_vti_is_3d_and_without_time_has_no_field_data() {
        let g = Grid::new(
            GridKind::Cartesian3d,
            [2, 3, 4],
            [0.1, 0.2, 0.3],
            [1.0, 2.0, 3.0],
            AF,
        );
        let a: Vec<f64> = (0..24).map(f64::from).collect();
        let b = vec![-1.5; 24];
        let doc = vti_string(&g, &[("a", &a), ("b", &b)], None).unwrap();
        assert_eq!(
            attr(&doc[doc.find("<ImageData").unwrap()..], "WholeExtent"),
            "0 2 0 3 0 4"
        );
        assert!(!doc.contains("FieldData"));
        assert_eq!(f64s(&array(&doc, "a").1), a);
        assert_eq!(f64s(&array(&doc, "b").1), b);
    }

    #[test]
    fn vti_rejects_wrong_length_and_reserved_names() {
        let g = Grid::new(GridKind::Cartesian3d, [2, 2, 2], [1.0; 3], [0.0; 3], NP);
        let short = vec![0.0; 7];
        let err = vti_string(&g, &[("o2_kPa", &short)], None).unwrap_err();
        assert!(
            err.contains("\"o2_kPa\" has 7 values") && err.contains("8 cells"),
            "{err}"
        );
        let ok = vec![0.0; 8];
        assert!(vti_string(&g, &[("tissue", &ok)], None).is_err());
        assert!(vti_string(&g, &[("x", &ok), ("x", &ok)], None).is_err());
        assert!(vti_string(&g, &[("x", &ok)], Some(f64::NAN)).is_err());
    }

    #[test]
    fn pvd_lists_entries_with_part_indices_and_names() {
        let e = |time: f64, part: &str, file: &str| PvdEntry {
            time,
            part: part.into(),
            file: file.into(),
        };
        let doc = pvd_string(&[
            e(0.0, "control", "control/t0.vti"),
            e(0.0, "NP & drug", "drug/t0.vti"),
            e(1.5, "control", "control/t1.vti"),
        ])
        .unwrap();
        let sets: Vec<&str> = doc.lines().filter(|l| l.contains("<DataSet")).collect();
        assert_eq!(sets.len(), 3);
        assert_eq!(attr(sets[1], "part"), "1");
        assert_eq!(attr(sets[1], "name"), "NP &amp; drug");
        assert_eq!(attr(sets[2], "timestep"), "1.5");
        assert_eq!(attr(sets[2], "part"), "0");
        assert_eq!(attr(sets[2], "file"), "control/t1.vti");
        let single = pvd_string(&[e(2.0, "", "a.vti")]).unwrap();
        assert!(!single.contains("name="));
        assert!(pvd_string(&[e(0.0, "", "/abs/a.vti")]).is_err());
        assert!(pvd_string(&[e(0.0, "", "../a.vti")]).is_err());
        assert!(pvd_string(&[e(f64::INFINITY, "", "a.vti")]).is_err());
    }
}
