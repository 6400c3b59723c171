//! SVG charts drawn with plotters, with no font files: plotters' SVG backend
//! writes `<text>` elements and estimates text size itself, so nothing on
//! the machine is read and the same numbers give the same bytes.
//!
//! Every chart comes with the table of its numbers, built from the same
//! series, so the page can show the figures as text beside the picture.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use serde::Serialize;

use crate::values::Unit;
use crate::values::escape::xml;
use crate::values::number;

/// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(213, 94, 0),    // vermillion
];
const INK: RGBColor = RGBColor(40, 40, 40);
const GRID: RGBColor = RGBColor(225, 225, 225);
const LIMIT: RGBColor = RGBColor(213, 94, 0);
const WIDTH: u32 = 640;
const HEIGHT: u32 = 320;

/// A chart: its file name, accessible title and description, the SVG, and
/// the same numbers as a table.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub file: String,
    pub title: String,
    pub desc: String,
    #[serde(skip)]
    pub svg: String,
    pub table: Table,
}

/// A table of a chart's numbers, already formatted.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a chart is called: its file name, accessible title and description.
#[derive(Debug, Clone, Copy)]
pub struct Meta<'a> {
    pub file: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// A named series of values, one per category (`None` = no data).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

fn axis_label(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Money => number::money(v),
        Unit::Rate => format!("{:.0}%", v * 100.0),
        _ => format!("{v:.0}"),
    }
}

fn table(categories: &[String], series: &[Series], unit: Unit, first: &str) -> Table {
    let mut headers = vec![first.to_string()];
    headers.extend(series.iter().map(|s| s.name.clone()));
    let rows =
        categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut row = vec![c.clone()];
                row.extend(series.iter().map(|s| {
                    match (s.values.get(i).copied().flatten(), unit) {
                        (Some(v), Unit::Money) => number::money_exact(v),
                        (v, unit) => number::value(v, unit),
                    }
                }));
                row
            })
            .collect();
    Table { headers, rows }
}

fn upper_bound(max: f64, unit: Unit) -> f64 {
    match unit {
        Unit::Rate => (max.max(1.0) * 1.05).max(0.01),
        Unit::Score => 10.0,
        _ => {
            if max <= 0.0 {
                return 1.0;
            }
            // A round number above the maximum: 1, 2 or 5 × 10^k.
            let m = max * 1.1;
            let p = 10f64.powf(m.log10().floor());
            [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
                .iter()
                .map(|k| k * p)
                .find(|v| *v >= m)
                .unwrap_or(10.0 * p)
        }
    }
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A plot over quarters (or other categories) on the x axis.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The frame shared by bar and line charts: caption, axes, labels, grid.
fn quarter_plot<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    categories: &'a [String],
    unit: Unit,
    top: f64,
) -> Result<Plot<'a, 'b>, Box<dyn std::error::Error>> {
    let n = categories.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .caption(title, ("sans-serif", 20).into_font().color(&INK))
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(n)
        .x_label_formatter(&|x| category_at(categories, *x))
        .y_label_formatter(&|y| axis_label(*y, unit))
        .label_style(("sans-serif", 15).into_font().color(&INK))
        .axis_style(INK)
        .draw()?;
    Ok(chart)
}

/// The legend box, in the same style on every chart.
fn legend<'a, 'b: 'a>(chart: &mut Plot<'a, 'b>, position: SeriesLabelPosition) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font(("sans-serif", 15).into_font().color(&INK))
        .draw()?;
    Ok(())
}

/// Bars for each category, one per series, side by side (`stacked` piles them).
pub fn bars(
    meta: Meta<'_>,
    categories: &[String],
    series: &[Series],
    unit: Unit,
    stacked: bool,
) -> Chart {
    let mut svg = String::new();
    let n = categories.len().max(1);
    let max = if stacked {
        (0..n)
            .map(|i| {
                series
                    .iter()
                    .filter_map(|s| s.values.get(i).copied().flatten())
                    .sum::<f64>()
            })
            .fold(0.0, f64::max)
    } else {
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied())
            .fold(0.0, f64::max)
    };
    let top = upper_bound(max, unit);
    let result: DrawResult = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = quarter_plot(&root, meta.title, categories, unit, top)?;
        let k = series.len().max(1) as f64;
        let width = 0.8 / if stacked { 1.0 } else { k };
        for (j, s) in series.iter().enumerate() {
            let colour = PALETTE[j % PALETTE.len()];
            let bars = s.values.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?;
                let base: f64 = if stacked {
                    series[..j]
                        .iter()
                        .filter_map(|p| p.values.get(i).copied().flatten())
                        .sum()
                } else {
                    0.0
                };
                let left = i as f64 - 0.4 + if stacked { 0.0 } else { j as f64 * width };
                Some(Rectangle::new(
                    [(left, base), (left + width, base + v)],
                    colour.filled(),
                ))
            });
            chart
                .draw_series(bars)?
                .label(s.name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present()?;
        Ok(())
    })();
    finish(
        meta,
        svg,
        result,
        table(categories, series, unit, "Quarter"),
    )
}

/// Lines over categories with a dashed horizontal target line.
pub fn lines_with_target(
    meta: Meta<'_>,
    categories: &[String],
    series: &[Series],
    target: Option<f64>,
    unit: Unit,
) -> Chart {
    let mut svg = String::new();
    let n = categories.len().max(1);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .chain(target)
        .fold(0.0, f64::max);
    let top = upper_bound(max, unit);
    let result: DrawResult = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = quarter_plot(&root, meta.title, categories, unit, top)?;
        if let Some(t) = target {
            let dashes = (0..(n * 8)).map(|i| {
                let x0 = -0.5 + i as f64 / 8.0;
                PathElement::new(vec![(x0, t), (x0 + 1.0 / 16.0, t)], LIMIT.stroke_width(2))
            });
            chart
                .draw_series(dashes)?
                .label(format!("Target {}", number::value(Some(t), unit)))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 12, y)], LIMIT.stroke_width(2))
                });
        }
        for (j, s) in series.iter().enumerate() {
            let colour = PALETTE[j % PALETTE.len()];
            // A gap in the data breaks the line instead of drawing it as 0.
            let mut segment: Vec<(f64, f64)> = Vec::new();
            let mut segments = Vec::new();
            for (i, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) => segment.push((i as f64, *v)),
                    None => segments.push(std::mem::take(&mut segment)),
                }
            }
            segments.push(segment);
            for seg in segments.iter().filter(|s| !s.is_empty()) {
                chart.draw_series(LineSeries::new(seg.clone(), colour.stroke_width(3)))?;
            }
            chart
                .draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
                    v.map(|v| Circle::new((i as f64, v), 4, colour.filled()))
                }))?
                .label(s.name.as_str())
                .legend(move |(x, y)| Circle::new((x + 6, y), 4, colour.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present()?;
        Ok(())
    })();
    let mut series_with_target = series.to_vec();
    if let Some(t) = target {
        series_with_target.push(Series {
            name: "Target".into(),
            values: vec![Some(t); categories.len()],
        });
    }
    finish(
        meta,
        svg,
        result,
        table(categories, &series_with_target, unit, "Quarter"),
    )
}

/// Horizontal bars, one per label, with an optional vertical limit line.
pub fn horizontal_bars(
    meta: Meta<'_>,
    labels: &[String],
    values: &[f64],
    limit: Option<f64>,
    unit: Unit,
    value_header: &str,
) -> Chart {
    let mut svg = String::new();
    let n = labels.len().max(1);
    let height = (90 + 28 * n as u32).max(160);
    let max = values.iter().copied().chain(limit).fold(0.0, f64::max);
    let top = match unit {
        Unit::Rate => (max * 1.15).clamp(0.05, 1.0),
        _ => upper_bound(max, unit),
    };
    let label_width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4)
        .min(28) as u32
        * 7
        + 12;
    let result: DrawResult = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .caption(meta.title, ("sans-serif", 20).into_font().color(&INK))
            .x_label_area_size(30)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0f64..top, -0.5f64..(n as f64 - 0.5))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .y_labels(n)
            .y_label_formatter(&|y| category_at(labels, n as f64 - 1.0 - *y))
            .x_label_formatter(&|x| axis_label(*x, unit))
            .label_style(("sans-serif", 15).into_font().color(&INK))
            .axis_style(INK)
            .draw()?;
        chart.draw_series(values.iter().enumerate().map(|(i, v)| {
            let y = n as f64 - 1.0 - i as f64;
            let over = limit.is_some_and(|l| *v > l);
            let colour = if over { PALETTE[5] } else { PALETTE[0] };
            Rectangle::new([(0.0, y - 0.35), (*v, y + 0.35)], colour.filled())
        }))?;
        if let Some(l) = limit {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(l, -0.5), (l, n as f64 - 0.5)],
                    LIMIT.stroke_width(2),
                )))?
                .label(format!("Limit {}", number::value(Some(l), unit)))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 12, y)], LIMIT.stroke_width(2))
                });
            legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
        root.present()?;
        Ok(())
    })();
    let series = [Series {
        name: value_header.to_string(),
        values: values.iter().map(|v| Some(*v)).collect(),
    }];
    let mut t = table(labels, &series, unit, "");
    t.headers[0] = String::new();
    finish(meta, svg, result, t)
}

/// The category name at an axis position, or nothing between categories.
fn category_at(categories: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    categories.get(i as usize).cloned().unwrap_or_default()
}

/// Adds `<title>` and `<desc>` (and an accessible role) to the SVG.
fn finish(meta: Meta<'_>, svg: String, result: DrawResult, table: Table) -> Chart {
    let Meta { file, title, desc } = meta;
    let svg = match result {
        Ok(()) => svg,
        // Drawing only fails on impossible geometry; show an empty frame
        // rather than failing the build, the table still has the numbers.
        Err(_) => format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\"></svg>"
        ),
    };
    let id = file.trim_end_matches(".svg");
    let accessible = format!(
        " role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        xml(title),
        xml(desc)
    );
    let svg = match svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e))
    {
        Some(end) => format!("{}{}{}", &svg[..end], accessible, &svg[end + 1..]),
        None => svg,
    };
    Chart {
        file: file.to_string(),
        title: title.to_string(),
        desc: desc.to_string(),
        svg,
        table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quarters() -> Vec<String> {
        vec!["2026-Q1".into(), "2026-Q2".into()]
    }

    #[test]
    fn bar_chart_has_title_desc_and_is_stable() {
        let s = [Series {
            name: "Influenced & more".into(),
            values: vec![Some(100.0), None],
        }];
        let a = bars(
            Meta {
                file: "revenue.svg",
                title: "Revenue <Q>",
                desc: "desc",
            },
            &quarters(),
            &s,
            Unit::Money,
            false,
        );
        let b = bars(
            Meta {
                file: "revenue.svg",
                title: "Revenue <Q>",
                desc: "desc",
            },
            &quarters(),
            &s,
            Unit::Money,
            false,
        );
        assert_eq!(a.svg, b.svg);
        assert!(
            a.svg
                .contains("<title id=\"revenue-title\">Revenue &lt;Q&gt;</title>"),
            "{}",
            &a.svg[..300]
        );
        assert!(a.svg.contains("<desc id=\"revenue-desc\">desc</desc>"));
        assert!(a.svg.contains("<rect"));
        assert!(a.svg.contains("Influenced &amp; more"));
        assert_eq!(a.table.rows[1][1], "no data");
        assert_eq!(a.table.rows[0][1], "$100");
    }

    #[test]
    fn line_chart_shows_the_target() {
        let s = [Series {
            name: "Satisfaction".into(),
            values: vec![Some(8.0), Some(9.0)],
        }];
        let c = lines_with_target(
            Meta {
                file: "sat.svg",
                title: "Satisfaction",
                desc: "d",
            },
            &quarters(),
            &s,
            Some(8.5),
            Unit::Score,
        );
        assert!(c.svg.contains("Target 8.5"));
        assert_eq!(c.table.headers, vec!["Quarter", "Satisfaction", "Target"]);
    }

    #[test]
    fn horizontal_bars_mark_the_limit() {
        let c = horizontal_bars(
            Meta {
                file: "share.svg",
                title: "Share",
                desc: "d",
            },
            &["A".into(), "B".into()],
            &[0.3, 0.1],
            Some(0.2),
            Unit::Rate,
            "Share",
        );
        assert!(c.svg.contains("Limit 20%"));
        assert_eq!(c.table.rows[0], vec!["A", "30%"]);
    }

    #[test]
    fn empty_data_still_draws() {
        let c = bars(
            Meta {
                file: "e.svg",
                title: "Empty",
                desc: "d",
            },
            &[],
            &[],
            Unit::Money,
            true,
        );
        assert!(c.svg.contains("<title"));
    }
}
