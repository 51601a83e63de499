//! Multi-panel line figures as SVG, for reports and papers.
//!
//! Style: white background, sans-serif text (title 16 px, axis labels 14 px, ticks and legend
//! 12 px at the requested pixel size; SVG scales without loss), colour-blind-safe Okabe-Ito
//! colours (Okabe & Ito 2008, "Color Universal Design"), reference lines dashed in dark grey.
//! Each panel's legend sits in a strip below its plot, so it never covers data. Non-finite
//! points (NaN, inf) split a series into separate line pieces (a gap), they are not plotted.
//! Text is written as SVG `<text>`; no font files are needed or embedded.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

/// One line of a panel: `y` against `x`, in the units named by the panel's axis labels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Abscissae (units of the panel's x label).
    pub x: Vec<f64>,
    /// Ordinates (units of the panel's y label); same length as `x`.
    pub y: Vec<f64>,
}

/// One plot of a figure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    /// Title above the plot.
    pub title: String,
    /// X-axis label including units, e.g. `"time (days)"`.
    pub x_label: String,
    /// Y-axis label including units, e.g. `"glucose (mM)"`.
    pub y_label: String,
    /// Lines to draw.
    pub series: Vec<Series>,
    /// Labelled horizontal reference lines `(legend text, y value in y-axis units)`, drawn
    /// dashed, e.g. a cell-death threshold.
    pub hlines: Vec<(String, f64)>,
}

/// A figure could not be made or written; the message names the file and the reason.
#[derive(Debug, thiserror::Error)]
#[error("cannot write figure {}: {reason}", path.display())]
pub struct PlotError {
    /// The SVG file that was to be written.
    pub path: PathBuf,
    /// What went wrong (invalid input, drawing or file-system error).
    pub reason: String,
}

/// Okabe-Ito palette, ordered for contrast on white (yellow last).
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];
pub(crate) const HLINE_COLOUR: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub(crate) const GRID_COLOUR: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Dash patterns (dash, gap) in px for successive reference lines of a panel.
const HLINE_DASHES: [(u32, u32); 3] = [(8, 5), (3, 3), (14, 4)];

/// Real font sizes in px. plotters' SVG backend writes `font-size = size / 1.24`, so sizes
/// given to it are scaled up by this factor.
pub(crate) const PX: f64 = 1.24;
pub(crate) const TITLE_PX: f64 = 16.0;
pub(crate) const AXIS_PX: f64 = 14.0;
pub(crate) const TICK_PX: f64 = 12.0;
pub(crate) const LEGEND_PX: f64 = 12.0;
/// Width of one character as a fraction of the font size (generous for sans-serif).
pub(crate) const CHAR_W: f64 = 0.6;
const LEGEND_SAMPLE_PX: i32 = 26;
const LEGEND_ROW_PX: i32 = 18;

/// How a legend sample is drawn.
#[derive(Clone, Copy)]
enum Stroke {
    Solid(RGBColor),
    Dashed(RGBColor, (u32, u32)),
}

impl Stroke {
    fn colour(self) -> RGBColor {
        match self {
            Stroke::Solid(c) | Stroke::Dashed(c, _) => c,
        }
    }
}

fn series_stroke(i: usize) -> Stroke {
    let c = PALETTE[i % PALETTE.len()];
    // After one full palette cycle, repeat colours dashed so lines stay distinct.
    if (i / PALETTE.len()) % 2 == 1 {
        Stroke::Dashed(c, (10, 4))
    } else {
        Stroke::Solid(c)
    }
}

fn hline_stroke(i: usize) -> Stroke {
    Stroke::Dashed(HLINE_COLOUR, HLINE_DASHES[i % HLINE_DASHES.len()])
}

/// Legend entries of a panel laid out in rows that fit `width` px: (text, stroke, x, row).
fn legend_layout(panel: &Panel, width: i32) -> Vec<(String, Stroke, i32, i32)> {
    let items = panel
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), series_stroke(i)))
        .chain(
            panel
                .hlines
                .iter()
                .enumerate()
                .map(|(i, (l, _))| (l.clone(), hline_stroke(i))),
        );
    let mut out = vec![];
    let (left, mut x, mut row) = (12, 12, 0);
    for (text, stroke) in items {
        let w = LEGEND_SAMPLE_PX + 6 + (text.chars().count() as f64 * LEGEND_PX * CHAR_W) as i32;
        if x > left && x + w > width - 8 {
            x = left;
            row += 1;
        }
        out.push((text, stroke, x, row));
        x += w + 18;
    }
    out
}

/// Padded (lo, hi) of the finite values; a fallback range when there are none or all equal.
pub(crate) fn range(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        return (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()) {
        let d = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
        return (lo - d, hi + d);
    }
    let p = pad * (hi - lo);
    (lo - p, hi + p)
}

/// Contiguous runs of finite points of a series.
fn finite_runs(s: &Series) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![];
    let mut cur = vec![];
    for (&x, &y) in s.x.iter().zip(&s.y) {
        if x.is_finite() && y.is_finite() {
            cur.push((x, y));
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

fn check(panels: &[Panel], cols: usize, width_px: u32, height_px: u32) -> Result<(), String> {
    if panels.is_empty() {
        return Err("no panels to draw".into());
    }
    if cols == 0 {
        return Err("cols = 0; need at least 1 column".into());
    }
    let rows = panels.len().div_ceil(cols);
    let cols = cols.min(panels.len());
    let (pw, ph) = (width_px as usize / cols, height_px as usize / rows);
    if !(200..=20_000).contains(&pw) || !(150..=20_000).contains(&ph) {
        return Err(format!(
            "size {width_px} x {height_px} px gives panels of {pw} x {ph} px; each panel needs \
             200..=20000 px wide and 150..=20000 px high"
        ));
    }
    for (p, panel) in panels.iter().enumerate() {
        for s in &panel.series {
            if s.x.len() != s.y.len() {
                return Err(format!(
                    "panel {p} (\"{}\"), series \"{}\": x has {} values but y has {}",
                    panel.title,
                    s.name,
                    s.x.len(),
                    s.y.len()
                ));
            }
        }
        for (label, y) in &panel.hlines {
            if !y.is_finite() {
                return Err(format!(
                    "panel {p} (\"{}\"), reference line \"{label}\" at y = {y}; must be finite",
                    panel.title
                ));
            }
        }
    }
    Ok(())
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Height (px) of the legend strip of `panel` in a panel `width` px wide.
fn legend_height(panel: &Panel, width: i32) -> i32 {
    let rows = legend_layout(panel, width)
        .iter()
        .map(|l| l.3 + 1)
        .max()
        .unwrap_or(0);
    if rows > 0 {
        rows * LEGEND_ROW_PX + 10
    } else {
        0
    }
}

/// Tick-label text for an axis spanning `lo..hi`: about five significant digits of the span,
/// trailing zeros removed (`10`, `0.25`), exponent notation for very small or large magnitudes.
pub(crate) fn tick_label(v: f64, lo: f64, hi: f64) -> String {
    let span = (hi - lo).abs();
    let mag = lo.abs().max(hi.abs());
    if !v.is_finite() || span <= 0.0 || v.abs() <= 1e-9 * span {
        return if v.is_finite() {
            "0".into()
        } else {
            super::fmt_f64(v)
        };
    }
    let trim = |t: String| -> String {
        if t.contains('.') {
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            t
        }
    };
    if !(1e-3..1e6).contains(&mag) {
        let digits = (mag.log10().floor() - span.log10().floor()).clamp(0.0, 12.0) as usize + 2;
        let t = format!("{v:.digits$e}");
        match t.split_once('e') {
            Some((m, e)) => format!("{}e{e}", trim(m.to_string())),
            None => t,
        }
    } else {
        let d = (4.0 - span.log10().floor()).clamp(0.0, 15.0) as usize;
        trim(format!("{v:.d$}"))
    }
}

fn draw_panel(area: &Area<'_>, panel: &Panel, legend_h: i32) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<std::io::Error>| e.to_string();
    let (w, h) = area.dim_in_pixel();
    let legend = legend_layout(panel, w as i32);
    let (chart_area, legend_area) = area.split_vertically(h as i32 - legend_h);

    let (x0, x1) = range(panel.series.iter().flat_map(|s| s.x.iter().copied()), 0.0);
    let (y0, y1) = range(
        panel
            .series
            .iter()
            .flat_map(|s| s.y.iter().copied())
            .chain(panel.hlines.iter().map(|l| l.1)),
        0.05,
    );
    let font = |px: f64| ("sans-serif", px * PX).into_font();
    let x_fmt = |v: &f64| tick_label(*v, x0, x1);
    let y_fmt = |v: &f64| tick_label(*v, y0, y1);
    let mut chart = ChartBuilder::on(&chart_area)
        .caption(&panel.title, font(TITLE_PX).style(FontStyle::Bold))
        .margin(12)
        .margin_right(22)
        .x_label_area_size(48)
        .y_label_area_size(78)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(&panel.x_label)
        .y_desc(&panel.y_label)
        .axis_desc_style(font(AXIS_PX).color(&BLACK))
        .label_style(font(TICK_PX).color(&BLACK))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .bold_line_style(GRID_COLOUR)
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK)
        .draw()
        .map_err(err)?;

    for (i, s) in panel.series.iter().enumerate() {
        for run in finite_runs(s) {
            match series_stroke(i) {
                Stroke::Solid(c) => {
                    chart
                        .draw_series(LineSeries::new(run, c.stroke_width(2)))
                        .map_err(err)?;
                }
                Stroke::Dashed(c, (d, g)) => {
                    chart
                        .draw_series(DashedLineSeries::new(run, d, g, c.stroke_width(2)))
                        .map_err(err)?;
                }
            }
        }
    }
    for (i, (_, y)) in panel.hlines.iter().enumerate() {
        let (d, g) = HLINE_DASHES[i % HLINE_DASHES.len()];
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, *y), (x1, *y)],
                d,
                g,
                HLINE_COLOUR.stroke_width(2),
            ))
            .map_err(err)?;
    }

    let text_style = font(LEGEND_PX)
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (text, stroke, x, row) in legend {
        let y = 4 + row * LEGEND_ROW_PX + LEGEND_ROW_PX / 2;
        let style = stroke.colour().stroke_width(2);
        match stroke {
            Stroke::Solid(_) => {
                legend_area
                    .draw(&PathElement::new(
                        vec![(x, y), (x + LEGEND_SAMPLE_PX, y)],
                        style,
                    ))
                    .map_err(err)?;
            }
            Stroke::Dashed(_, (d, g)) => {
                let mut sx = x;
                while sx < x + LEGEND_SAMPLE_PX {
                    let ex = (sx + d as i32).min(x + LEGEND_SAMPLE_PX);
                    legend_area
                        .draw(&PathElement::new(vec![(sx, y), (ex, y)], style))
                        .map_err(err)?;
                    sx += (d + g) as i32;
                }
            }
        }
        legend_area
            .draw(&Text::new(
                text,
                (x + LEGEND_SAMPLE_PX + 6, y),
                text_style.clone(),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// Renders the figure as SVG text (see [`write_svg`]); errors describe the offending input.
pub fn svg_string(
    panels: &[Panel],
    cols: usize,
    width_px: u32,
    height_px: u32,
) -> Result<String, String> {
    check(panels, cols, width_px, height_px)?;
    let rows = panels.len().div_ceil(cols);
    let cols = cols.min(panels.len());
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (width_px, height_px)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let areas = root.split_evenly((rows, cols));
        // One legend height for all panels keeps the plot boxes of a row aligned.
        let legend_h = areas
            .iter()
            .zip(panels)
            .map(|(a, p)| legend_height(p, a.dim_in_pixel().0 as i32))
            .max()
            .unwrap_or(0);
        for (area, panel) in areas.iter().zip(panels) {
            draw_panel(area, panel, legend_h)?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(buf)
}

/// Writes a multi-panel line figure to `path` as SVG: panels fill a grid of `cols` columns,
/// row by row (fewer columns if there are fewer panels), on a `width_px` x `height_px` canvas.
/// Axis labels are printed as given (include units in them). Fails, naming the file, if there
/// are no panels, `cols` is 0, a panel would be smaller than 200 x 150 px, a series has `x`
/// and `y` of different lengths, a reference line is not finite, or the file cannot be
/// written; nothing is written on invalid input.
pub fn write_svg(
    path: &Path,
    panels: &[Panel],
    cols: usize,
    width_px: u32,
    height_px: u32,
) -> Result<(), PlotError> {
    let fail = |reason: String| PlotError {
        path: path.to_path_buf(),
        reason,
    };
    let svg = svg_string(panels, cols, width_px, height_px).map_err(fail)?;
    std::fs::write(path, svg).map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn sample() -> Vec<Panel> {
        let t: Vec<f64> = (0..=60).map(|i| f64::from(i) * 0.5).collect();
        let decay = |k: f64| t.iter().map(|d| 5.0 * (-k * d).exp()).collect::<Vec<_>>();
        let mut gap = decay(0.2);
        gap[30] = f64::NAN;
        vec![
            Panel {
                title: "Glucose at disc centre".into(),
                x_label: "time (days)".into(),
                y_label: "glucose (mM)".into(),
                series: vec![
                    Series {
                        name: "control".into(),
                        x: t.clone(),
                        y: decay(0.05),
                    },
                    Series {
                        name: "NP + drug <A&B>".into(),
                        x: t.clone(),
                        y: gap,
                    },
                ],
                hlines: vec![("cell death threshold 0.5 mM".into(), 0.5)],
            },
            Panel {
                title: "Viable cell fraction".into(),
                x_label: "time (days)".into(),
                y_label: "viable fraction (-)".into(),
                series: vec![Series {
                    name: "control".into(),
                    x: t.clone(),
                    y: t.iter().map(|d| 1.0 - 0.01 * d).collect(),
                }],
                hlines: vec![],
            },
            Panel {
                title: "pH".into(),
                x_label: "time (days)".into(),
                y_label: "pH (-)".into(),
                series: (0..10)
                    .map(|k| Series {
                        name: format!("arm {k}"),
                        x: t.clone(),
                        y: t.iter()
                            .map(|d| 7.1 - 0.02 * f64::from(k) * d.sqrt())
                            .collect(),
                    })
                    .collect(),
                hlines: vec![("pH 6.7".into(), 6.7), ("pH 6.5".into(), 6.5)],
            },
        ]
    }

    #[test]
    fn svg_contains_names_labels_and_escaped_text() {
        let svg = svg_string(&sample(), 2, 1000, 700).unwrap();
        assert!(svg.starts_with("<svg"));
        for needle in [
            "time (days)",
            "glucose (mM)",
            "viable fraction (-)",
            "control",
            "NP + drug &lt;A&amp;B&gt;",
            "cell death threshold 0.5 mM",
            "arm 9",
            "Viable cell fraction",
            "#0072B2",
        ] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        assert_eq!(
            svg,
            svg_string(&sample(), 2, 1000, 700).unwrap(),
            "deterministic"
        );
    }

    #[test]
    fn tick_labels_are_short_and_exact() {
        assert_eq!(tick_label(10.0, 0.0, 30.0), "10");
        assert_eq!(tick_label(0.25, 0.0, 1.0), "0.25");
        assert_eq!(tick_label(6.7, 6.0, 7.2), "6.7");
        assert_eq!(tick_label(2e-4, 0.0, 6.2e-4), "2e-4");
        assert_eq!(tick_label(1.5e7, 0.0, 2e7), "1.5e7");
        assert_eq!(tick_label(-1e-12, -1.0, 1.0), "0");
        assert_eq!(tick_label(-0.5, -1.0, 1.0), "-0.5");
    }

    #[test]
    fn nan_splits_a_series_into_runs() {
        let s = Series {
            name: "s".into(),
            x: vec![0.0, 1.0, 2.0, 3.0, 4.0],
            y: vec![1.0, 2.0, f64::NAN, 4.0, 5.0],
        };
        let runs = finite_runs(&s);
        assert_eq!(
            runs,
            vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 4.0), (4.0, 5.0)]]
        );
    }

    #[test]
    fn ranges_pad_and_handle_degenerate_data() {
        assert_eq!(range([0.0, 10.0].into_iter(), 0.05), (-0.5, 10.5));
        assert_eq!(range([f64::NAN].into_iter(), 0.05), (0.0, 1.0));
        assert_eq!(range([2.0, 2.0].into_iter(), 0.05), (1.8, 2.2));
        assert_eq!(range([0.0].into_iter(), 0.05), (-1.0, 1.0));
    }

    #[test]
    fn write_svg_writes_file_and_errors_name_it() {
        let dir = std::env::temp_dir().join(format!("nanospine-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("fig.svg");
        write_svg(&path, &sample(), 3, 1500, 500).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("glucose (mM)") && text.contains("pH 6.5"));
        let mut bad = sample();
        bad[1].series[0].y.pop();
        let e = write_svg(&dir.join("bad.svg"), &bad, 2, 1000, 700).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("bad.svg") && msg.contains("x has 61 values but y has 60"),
            "{msg}"
        );
        assert!(!dir.join("bad.svg").exists());
        let e = write_svg(&dir.join("small.svg"), &sample(), 3, 300, 100).unwrap_err();
        assert!(e.to_string().contains("small.svg"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
