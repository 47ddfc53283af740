//! Drawing of a [`Plot`] onto a canvas with plotters (WebAssembly only).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::{decimate, parse_color, ChartProps, Plot, Tone, Unit};

/// Colours read from CSS for the current theme.
struct Palette {
    fg: RGBColor,
    muted: RGBColor,
    grid: RGBColor,
    style: Option<web_sys::CssStyleDeclaration>,
}

impl Palette {
    fn read(canvas: &HtmlCanvasElement) -> Palette {
        let style = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten());
        let get = |name: &str| -> Option<(u8, u8, u8)> {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .and_then(|v| parse_color(&v))
        };
        let rgb = |c: (u8, u8, u8)| RGBColor(c.0, c.1, c.2);
        // The text colour of the canvas itself follows the theme.
        let fg = get("--chart-fg")
            .or_else(|| get("color"))
            .unwrap_or((40, 40, 40));
        let muted = get("--chart-muted")
            .or_else(|| get("--muted"))
            .unwrap_or(fg);
        let grid = get("--chart-grid").or_else(|| get("--border")).unwrap_or((
            ((fg.0 as u16 + 3 * 128) / 4) as u8,
            ((fg.1 as u16 + 3 * 128) / 4) as u8,
            ((fg.2 as u16 + 3 * 128) / 4) as u8,
        ));
        Palette {
            fg: rgb(fg),
            muted: rgb(muted),
            grid: rgb(grid),
            style,
        }
    }

    fn tone(&self, tone: Tone) -> RGBColor {
        let get = |name: &str| {
            self.style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .and_then(|v| parse_color(&v))
        };
        let c = get(tone.css_var())
            .or_else(|| tone.theme_var().and_then(get))
            .unwrap_or_else(|| tone.fallback());
        RGBColor(c.0, c.1, c.2)
    }
}

/// Sizes the canvas to `css_width` × the chart height at the device pixel
/// ratio and draws the plot. Drawing errors leave the canvas blank; the data
/// table below it still holds the figures.
pub fn draw(canvas: &HtmlCanvasElement, props: &ChartProps, css_width: u32) {
    if css_width == 0 {
        return;
    }
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(1.0, 4.0);
    let w = (css_width as f64 * dpr).round() as u32;
    let h = (props.height as f64 * dpr).round() as u32;
    canvas.set_width(w);
    canvas.set_height(h);
    let palette = Palette::read(canvas);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    let _ = plot(&root, props, &palette, dpr);
    let _ = root.present();
}

type Root = DrawingArea<CanvasBackend, Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn px(v: f64, dpr: f64) -> u32 {
    (v * dpr).round() as u32
}

fn font(size: f64, dpr: f64, color: &RGBColor) -> TextStyle<'static> {
    ("sans-serif", size * dpr).into_font().color(color)
}

fn plot(root: &Root, props: &ChartProps, pal: &Palette, dpr: f64) -> DrawResult {
    match &*props.plot {
        Plot::Line { labels, series } => {
            let max = series
                .iter()
                .flat_map(|s| s.values.iter().flatten())
                .copied()
                .fold(0.0, f64::max);
            let ymax = y_top(max, props.unit);
            let n = labels.len().max(1) as f64;
            let mut chart = ChartBuilder::on(root)
                .margin(px(10.0, dpr))
                .x_label_area_size(px(34.0, dpr))
                .y_label_area_size(px(64.0, dpr))
                .build_cartesian_2d(0f64..n, 0f64..ymax)?;
            mesh(&mut chart, props, pal, dpr)?;
            category_labels(
                root,
                &chart,
                labels,
                pal,
                dpr,
                props.category_label.as_str(),
            )?;
            let xr = chart.plotting_area().get_pixel_range().0;
            let (x0, x1) = (xr.start, xr.end);
            let columns = ((x1 - x0).max(1) as f64 / dpr) as usize;
            for s in series {
                let color = pal.tone(s.tone);
                // A gap in the data breaks the line.
                let mut run: Vec<(f64, f64)> = Vec::new();
                let mut runs = Vec::new();
                for (i, v) in s.values.iter().enumerate() {
                    match v {
                        Some(v) => run.push((i as f64 + 0.5, *v)),
                        None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                        None => {}
                    }
                }
                runs.push(run);
                for r in runs.into_iter().filter(|r| !r.is_empty()) {
                    let pts = decimate::min_max(&r, columns);
                    if pts.len() < 64 {
                        chart.draw_series(
                            pts.iter()
                                .map(|p| Circle::new(*p, px(2.5, dpr), color.filled())),
                        )?;
                    }
                    chart.draw_series(std::iter::once(PathElement::new(
                        pts,
                        color.stroke_width(px(2.0, dpr)),
                    )))?;
                }
            }
        }
        Plot::Bars { labels, series } => {
            let totals: Vec<f64> = (0..labels.len())
                .map(|i| {
                    series
                        .iter()
                        .filter_map(|s| s.values.get(i).copied().flatten())
                        .sum()
                })
                .collect();
            let ymax = y_top(totals.iter().copied().fold(0.0, f64::max), props.unit);
            let n = labels.len().max(1) as f64;
            let mut chart = ChartBuilder::on(root)
                .margin(px(10.0, dpr))
                .x_label_area_size(px(34.0, dpr))
                .y_label_area_size(px(64.0, dpr))
                .build_cartesian_2d(0f64..n, 0f64..ymax)?;
            mesh(&mut chart, props, pal, dpr)?;
            category_labels(
                root,
                &chart,
                labels,
                pal,
                dpr,
                props.category_label.as_str(),
            )?;
            let gap = if labels.len() > 60 { 0.0 } else { 0.15 };
            for i in 0..labels.len() {
                let mut base = 0.0;
                for s in series {
                    let Some(v) = s.values.get(i).copied().flatten() else {
                        continue;
                    };
                    if v <= 0.0 {
                        continue;
                    }
                    let color = pal.tone(s.tone);
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(i as f64 + gap, base), (i as f64 + 1.0 - gap, base + v)],
                        color.filled(),
                    )))?;
                    base += v;
                }
            }
        }
        Plot::HBars { rows, max } => {
            let raw_top = max.unwrap_or_else(|| rows.iter().map(|r| r.value).fold(0.0, f64::max));
            // Durations are drawn in seconds, minutes, hours or days so ticks fall on round values.
            let k_scale = if props.unit == Unit::Seconds {
                time_scale(raw_top)
            } else {
                1.0
            };
            let top = (raw_top / k_scale).max(f64::MIN_POSITIVE);
            let n = rows.len().max(1) as f64;
            let label_w = label_width(rows.iter().map(|r| r.label.as_str()), 24, 7.5);
            let mut chart = ChartBuilder::on(root)
                .margin(px(10.0, dpr))
                // Tick labels and the axis title below them, without overlap.
                .x_label_area_size(px(46.0, dpr))
                .y_label_area_size(px(label_w, dpr))
                .build_cartesian_2d(0f64..top * 1.35, 0f64..n)?;
            value_mesh(&mut chart, props, pal, dpr, 5, &|v| {
                props.unit.fmt(*v * k_scale)
            })?;
            let k = rows.len();
            for (i, r) in rows.iter().enumerate() {
                let y = (k - 1 - i) as f64;
                let color = pal.tone(r.tone);
                let v = r.value.max(0.0) / k_scale;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y + 0.18), (v, y + 0.82)],
                    color.filled(),
                )))?;
                let (bx, by) = chart.backend_coord(&(v, y + 0.5));
                root.draw(&Text::new(
                    r.text.clone(),
                    (bx + px(6.0, dpr) as i32, by),
                    font(12.0, dpr, &pal.fg).pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
                let (lx, ly) = chart.backend_coord(&(0.0, y + 0.5));
                root.draw(&Text::new(
                    r.label.clone(),
                    (lx - px(6.0, dpr) as i32, ly),
                    font(12.0, dpr, &pal.fg).pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            }
        }
        Plot::Waterfall { spans } => {
            let raw_end = spans.iter().map(|s| s.end).fold(0.0, f64::max).max(1.0);
            let k_scale = time_scale(raw_end);
            let end = raw_end / k_scale;
            let n = spans.len().max(1) as f64;
            let label_w = label_width(spans.iter().map(|s| s.label.as_str()), 28, 7.0);
            let mut chart = ChartBuilder::on(root)
                .margin(px(10.0, dpr))
                .margin_right(px(36.0, dpr))
                .x_label_area_size(px(46.0, dpr))
                .y_label_area_size(px(label_w, dpr))
                .build_cartesian_2d(0f64..end * 1.02, 0f64..n)?;
            value_mesh(&mut chart, props, pal, dpr, 6, &|v| {
                Unit::Seconds.fmt(*v * k_scale)
            })?;
            let k = spans.len();
            for (i, s) in spans.iter().enumerate() {
                let y = (k - 1 - i) as f64;
                let color = pal.tone(s.tone);
                // A zero-length operation still shows as a thin bar.
                let x0 = s.start / k_scale;
                let x1 = (s.end / k_scale).max(x0 + end / 400.0);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y + 0.15), (x1, y + 0.85)],
                    color.filled(),
                )))?;
                let (lx, ly) = chart.backend_coord(&(0.0, y + 0.5));
                root.draw(&Text::new(
                    s.label.clone(),
                    (lx - px(6.0, dpr) as i32, ly),
                    font(11.0, dpr, &pal.fg).pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            }
        }
    }
    Ok(())
}

/// Seconds per axis unit for a time axis reaching `max` seconds.
fn time_scale(max: f64) -> f64 {
    if max >= 2.0 * 86_400.0 {
        86_400.0
    } else if max >= 2.0 * 3_600.0 {
        3_600.0
    } else if max >= 120.0 {
        60.0
    } else {
        1.0
    }
}

/// A rounded top for the value axis (1.0 for percentages).
fn y_top(max: f64, unit: Unit) -> f64 {
    if unit == Unit::Percent {
        return 1.0;
    }
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|s| s * mag >= max)
        .unwrap_or(10.0);
    step * mag
}

type Cart<'a> = ChartContext<
    'a,
    CanvasBackend,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn mesh(chart: &mut Cart<'_>, props: &ChartProps, pal: &Palette, dpr: f64) -> DrawResult {
    let unit = props.unit;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(5)
        .y_label_formatter(&|v| unit.fmt(*v))
        .y_desc(props.value_label.as_str())
        .label_style(font(12.0, dpr, &pal.fg))
        .axis_desc_style(font(12.0, dpr, &pal.fg))
        .axis_style(pal.muted)
        .bold_line_style(pal.grid)
        .light_line_style(TRANSPARENT)
        .draw()?;
    Ok(())
}

/// Width in CSS pixels of the label area left of horizontal bars: the longest
/// label, counted between 4 and `max_chars` characters of `per_char` pixels.
fn label_width<'a>(labels: impl Iterator<Item = &'a str>, max_chars: usize, per_char: f64) -> f64 {
    let chars = labels.map(|l| l.chars().count()).max().unwrap_or(4);
    chars.clamp(4, max_chars) as f64 * per_char + 12.0
}

/// Axes of a chart whose categories run down the left (bars, waterfall):
/// `ticks` value labels and the value axis title below, no category ticks
/// (the labels are drawn beside each bar).
fn value_mesh(
    chart: &mut Cart<'_>,
    props: &ChartProps,
    pal: &Palette,
    dpr: f64,
    ticks: usize,
    fmt: &dyn Fn(&f64) -> String,
) -> DrawResult {
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(ticks)
        .x_label_formatter(fmt)
        .x_desc(props.value_label.as_str())
        .label_style(font(12.0, dpr, &pal.fg))
        .axis_desc_style(font(12.0, dpr, &pal.fg))
        .axis_style(pal.muted)
        .bold_line_style(pal.grid)
        .light_line_style(TRANSPARENT)
        .draw()?;
    Ok(())
}

/// Category labels centred under their slots, thinned to fit.
fn category_labels(
    root: &Root,
    chart: &Cart<'_>,
    labels: &[String],
    pal: &Palette,
    dpr: f64,
    desc: &str,
) -> DrawResult {
    let xr = chart.plotting_area().get_pixel_range().0;
    let (x0, x1) = (xr.start, xr.end);
    let room = ((x1 - x0).max(1) as f64 / (56.0 * dpr)).max(1.0) as usize;
    let step = labels.len().div_ceil(room).max(1);
    for (i, l) in labels.iter().enumerate().filter(|(i, _)| i % step == 0) {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            l.clone(),
            (x, y + px(6.0, dpr) as i32),
            font(11.0, dpr, &pal.fg).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if !desc.is_empty() {
        let (_, y) = chart.backend_coord(&(0.0, 0.0));
        root.draw(&Text::new(
            desc.to_string(),
            ((x0 + x1) / 2, y + px(20.0, dpr) as i32),
            font(11.0, dpr, &pal.muted).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(())
}
