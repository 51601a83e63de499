//! Tornado charts as SVG: for each parameter, a horizontal bar from the baseline value of a
//! read-out to its value with the parameter at the low end (blue) and at the high end
//! (vermillion) of its range, largest swing on top. Same style as [`super::plot`]
//! (Okabe-Ito colours, sans-serif text, the baseline dashed in dark grey).

use super::plot::{
    range, tick_label, PlotError, AXIS_PX, CHAR_W, GRID_COLOUR, HLINE_COLOUR, PALETTE, PX, TICK_PX,
    TITLE_PX,
};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// One tornado chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TornadoPanel {
    /// Title above the chart.
    pub title: String,
    /// X-axis label with units, e.g. `"effect on %DHI vs injury only (%)"`.
    pub x_label: String,
    /// Value at baseline (x-axis units).
    pub baseline: f64,
    /// (parameter label, value at the low end, value at the high end), top to bottom.
    pub bars: Vec<(String, f64, f64)>,
}

const LOW: RGBColor = PALETTE[0];
const HIGH: RGBColor = PALETTE[1];

/// Renders the panels (one column, stacked) as SVG text of `width_px` wide; each panel is
/// 90 px plus 26 px per bar high. Errors describe the offending input (no panels, no bars,
/// a non-finite baseline, a width under 400 px).
pub fn svg_string(panels: &[TornadoPanel], width_px: u32) -> Result<String, String> {
    if panels.is_empty() {
        return Err("no tornado panels to draw".into());
    }
    if width_px < 400 {
        return Err(format!("width {width_px} px: at least 400 px needed"));
    }
    for p in panels {
        if p.bars.is_empty() {
            return Err(format!("panel \"{}\" has no bars", p.title));
        }
        if !p.baseline.is_finite() {
            return Err(format!("panel \"{}\": baseline is not finite", p.title));
        }
    }
    let heights: Vec<u32> = panels
        .iter()
        .map(|p| 110 + 26 * p.bars.len() as u32)
        .collect();
    let total: u32 = heights.iter().sum();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (width_px, total)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut rest = root;
        for (p, &h) in panels.iter().zip(&heights) {
            let (area, below) = rest.split_vertically(h as i32);
            draw(&area, p)?;
            rest = below;
        }
    }
    Ok(buf)
}

fn draw(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    p: &TornadoPanel,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<std::io::Error>| e.to_string();
    let font = |px: f64| ("sans-serif", px * PX).into_font();
    let n = p.bars.len();
    let (x0, x1) = range(
        p.bars
            .iter()
            .flat_map(|b| [b.1, b.2])
            .chain(std::iter::once(p.baseline)),
        0.08,
    );
    let longest = p
        .bars
        .iter()
        .map(|b| b.0.chars().count())
        .max()
        .unwrap_or(1);
    let label_w = ((longest as f64 * TICK_PX * CHAR_W) as u32 + 16).min(area.dim_in_pixel().0 / 2);
    let x_fmt = |v: &f64| tick_label(*v, x0, x1);
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, font(TITLE_PX).style(FontStyle::Bold))
        .margin(12)
        .margin_right(22)
        .x_label_area_size(48)
        .y_label_area_size(label_w)
        .build_cartesian_2d(x0..x1, -0.6..(n as f64 - 0.4))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(&p.x_label)
        .axis_desc_style(font(AXIS_PX).color(&BLACK))
        .label_style(font(TICK_PX).color(&BLACK))
        .x_labels(6)
        .y_labels(0)
        .x_label_formatter(&x_fmt)
        .disable_y_mesh()
        .bold_line_style(GRID_COLOUR)
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK)
        .draw()
        .map_err(err)?;
    // parameter names right-aligned left of their bars (drawn directly: tick labels of a
    // numeric axis could skip some)
    let origin = area.get_base_pixel();
    for (i, (label, lo, hi)) in p.bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let (px, py) = chart.backend_coord(&(x0, y));
        area.draw(&Text::new(
            label.clone(),
            (px - origin.0 - 8, py - origin.1),
            font(TICK_PX)
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(err)?;
        for (v, c) in [(*lo, LOW), (*hi, HIGH)] {
            if v.is_finite() && v != p.baseline {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(p.baseline.min(v), y - 0.32), (p.baseline.max(v), y + 0.32)],
                        c.mix(0.85).filled(),
                    )))
                    .map_err(err)?;
            }
        }
    }
    chart
        .draw_series(DashedLineSeries::new(
            [(p.baseline, -0.6), (p.baseline, n as f64 - 0.4)],
            6,
            4,
            HLINE_COLOUR.stroke_width(2),
        ))
        .map_err(err)?
        .label("baseline")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], HLINE_COLOUR.stroke_width(2)));
    for (name, c) in [("low end of range", LOW), ("high end of range", HIGH)] {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], c.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font(font(TICK_PX))
        .background_style(WHITE.mix(0.9))
        .border_style(GRID_COLOUR)
        .draw()
        .map_err(err)?;
    Ok(())
}

/// Writes the tornado panels to `path` as SVG ([`svg_string`]); nothing is written on invalid
/// input, and errors name the file.
pub fn write_svg(path: &Path, panels: &[TornadoPanel], width_px: u32) -> Result<(), PlotError> {
    let fail = |reason: String| PlotError {
        path: path.to_path_buf(),
        reason,
    };
    let svg = svg_string(panels, width_px).map_err(fail)?;
    std::fs::write(path, svg).map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tornado_draws_every_bar_and_refuses_empty_input() {
        let p = TornadoPanel {
            title: "effect on %DHI".into(),
            x_label: "%DHI difference (%)".into(),
            baseline: 5.0,
            bars: vec![
                ("injury.np_loss_fraction".into(), 8.0, 2.0),
                ("biology.ecm.aggrecan_turnover".into(), 5.5, 4.0),
                ("sci.axon.regrowth_rate".into(), 5.0, 5.0),
            ],
        };
        let svg = svg_string(std::slice::from_ref(&p), 800).unwrap();
        for label in [
            "injury.np_loss_fraction",
            "biology.ecm.aggrecan_turnover",
            "baseline",
        ] {
            assert!(svg.contains(label), "{label} missing");
        }
        // two bars per moving parameter, none for the inert one: making it move adds two
        let mut moving = p.clone();
        moving.bars[2] = ("sci.axon.regrowth_rate".into(), 4.9, 5.1);
        let rects = |s: &str| s.matches("<rect").count();
        let moved = svg_string(&[moving], 800).unwrap();
        assert_eq!(rects(&moved), rects(&svg) + 2);
        // every parameter is named, however many there are
        let many = TornadoPanel {
            bars: (0..13)
                .map(|k| (format!("param.number_{k}"), k as f64, -(k as f64)))
                .collect(),
            ..p.clone()
        };
        let svg_many = svg_string(&[many], 800).unwrap();
        for k in 0..13 {
            assert!(
                svg_many.contains(&format!("param.number_{k}\n")),
                "label {k} missing"
            );
        }
        assert!(svg_string(&[], 800)
            .unwrap_err()
            .contains("no tornado panels"));
        let empty = TornadoPanel {
            bars: vec![],
            ..p.clone()
        };
        assert!(svg_string(&[empty], 800).unwrap_err().contains("no bars"));
        let nan = TornadoPanel {
            baseline: f64::NAN,
            ..p
        };
        assert!(svg_string(&[nan], 800).unwrap_err().contains("not finite"));
    }
}
