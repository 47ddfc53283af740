//! Charts drawn with plotters on a `<canvas>`: line, stacked bars, bars,
//! horizontal bars, histogram and waterfall.
//!
//! A chart is described by a [`Plot`] (plain data, testable natively) and
//! drawn by the [`Chart`] component, which sizes the canvas to its box and
//! the device pixel ratio, redraws on resize and data change, reads its
//! colours from CSS variables (so both themes work), and carries a
//! `role="img"` label summarising the data plus a data-table fallback.

pub mod decimate;
#[cfg(target_arch = "wasm32")]
mod draw;

use std::rc::Rc;

use yew::prelude::*;

use crate::format;
use crate::views::common::{el, el_attrs, lit, text, vtag};
use crate::views::table::{td, th_row};
use yew::virtual_dom::VText;

/// What the values of a chart measure; gives axis text and value labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Plain counts.
    Count,
    /// Fractions shown as percentages.
    Percent,
    /// Seconds.
    Seconds,
    /// US dollars.
    Usd,
    /// Tokens.
    Tokens,
}

impl Unit {
    /// A value for people.
    pub fn fmt(self, v: f64) -> String {
        match self {
            Unit::Count | Unit::Tokens => format::count(v.max(0.0).round() as u64),
            Unit::Percent => format::pct0(Some(v)),
            Unit::Seconds if v == 0.0 => "0".to_string(),
            Unit::Seconds => format::duration(Some(v)),
            Unit::Usd => format::usd(Some(v)),
        }
    }
}

/// A colour role; the chart reads `--chart-<name>` from CSS, with a fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Success.
    Ok,
    /// Failure.
    Bad,
    /// Warning / retry.
    Warn,
    /// Running / neutral.
    Running,
    /// Series colours for categories without meaning.
    S1,
    /// Second series colour.
    S2,
    /// Third series colour.
    S3,
    /// Fourth series colour.
    S4,
}

impl Tone {
    /// CSS variable holding the colour.
    pub fn css_var(self) -> &'static str {
        match self {
            Tone::Ok => "--chart-ok",
            Tone::Bad => "--chart-bad",
            Tone::Warn => "--chart-warn",
            Tone::Running => "--chart-running",
            Tone::S1 => "--chart-1",
            Tone::S2 => "--chart-2",
            Tone::S3 => "--chart-3",
            Tone::S4 => "--chart-4",
        }
    }

    /// The app theme's variable for the same role, read when `--chart-*` is not set.
    pub fn theme_var(self) -> Option<&'static str> {
        match self {
            Tone::Ok => Some("--good"),
            Tone::Bad => Some("--bad"),
            Tone::Warn => Some("--warn"),
            Tone::Running | Tone::S1 => Some("--accent"),
            _ => None,
        }
    }

    /// Colour used when no CSS variable is set (readable on light and dark).
    pub fn fallback(self) -> (u8, u8, u8) {
        match self {
            Tone::Ok => (46, 160, 67),
            Tone::Bad => (218, 54, 51),
            Tone::Warn => (212, 140, 20),
            Tone::Running => (90, 130, 200),
            Tone::S1 => (66, 133, 244),
            Tone::S2 => (171, 71, 188),
            Tone::S3 => (0, 150, 136),
            Tone::S4 => (240, 120, 40),
        }
    }

    /// The tone of the nth category series.
    pub fn nth(i: usize) -> Tone {
        [Tone::S1, Tone::S2, Tone::S3, Tone::S4]
            .get(i % 4)
            .copied()
            .unwrap_or(Tone::S1)
    }
}

/// One named series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Colour.
    pub tone: Tone,
    /// One value per category or point (None = no data there).
    pub values: Vec<Option<f64>>,
}

/// One bar of a waterfall: an operation from start to end (seconds after the
/// first operation started).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Row label.
    pub label: String,
    /// Start, seconds from the origin.
    pub start: f64,
    /// End, seconds from the origin.
    pub end: f64,
    /// Colour by outcome.
    pub tone: Tone,
}

/// One horizontal bar.
#[derive(Debug, Clone, PartialEq)]
pub struct HBar {
    /// Row label (a name from the data).
    pub label: String,
    /// Value.
    pub value: f64,
    /// Text shown at the bar's end ("89% (45 tasks)").
    pub text: String,
    /// Colour.
    pub tone: Tone,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Plot {
    /// Lines over categories (days), one per series.
    Line {
        /// Category labels (x axis).
        labels: Vec<String>,
        /// Series.
        series: Vec<Series>,
    },
    /// Bars per category, series stacked (a single series gives plain bars).
    Bars {
        /// Category labels (x axis).
        labels: Vec<String>,
        /// Series, stacked bottom to top.
        series: Vec<Series>,
    },
    /// Horizontal bars, one per row, on a shared scale.
    HBars {
        /// Rows, top to bottom.
        rows: Vec<HBar>,
        /// Scale maximum (None = the largest value).
        max: Option<f64>,
    },
    /// Operations from start to end on a time axis.
    Waterfall {
        /// Bars, top to bottom.
        spans: Vec<Span>,
    },
}

impl Plot {
    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        match self {
            Plot::Line { series, .. } | Plot::Bars { series, .. } => {
                series.iter().all(|s| s.values.iter().all(|v| v.is_none()))
            }
            Plot::HBars { rows, .. } => rows.is_empty(),
            Plot::Waterfall { spans } => spans.is_empty(),
        }
    }

    /// One sentence summarising the data, for screen readers.
    pub fn summary(&self, unit: Unit) -> String {
        match self {
            Plot::Line { labels, series } | Plot::Bars { labels, series } => {
                let first = labels.first().map(String::as_str).unwrap_or("");
                let last = labels.last().map(String::as_str).unwrap_or("");
                let parts: Vec<String> = series
                    .iter()
                    .map(|s| {
                        let vals: Vec<f64> = s.values.iter().flatten().copied().collect();
                        let min = vals.iter().copied().fold(f64::INFINITY, f64::min);
                        let max = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        if vals.is_empty() {
                            format!("{}: no data", s.name)
                        } else {
                            format!(
                                "{}: from {} to {}, latest {}",
                                s.name,
                                unit.fmt(min),
                                unit.fmt(max),
                                s.values
                                    .iter()
                                    .rev()
                                    .flatten()
                                    .next()
                                    .map(|v| unit.fmt(*v))
                                    .unwrap_or_default()
                            )
                        }
                    })
                    .collect();
                format!(
                    "{} points from {} to {}. {}.",
                    labels.len(),
                    first,
                    last,
                    parts.join("; ")
                )
            }
            Plot::HBars { rows, .. } => {
                let parts: Vec<String> = rows
                    .iter()
                    .map(|r| format!("{}: {}", r.label, r.text))
                    .collect();
                format!("{} bars. {}.", rows.len(), parts.join("; "))
            }
            Plot::Waterfall { spans } => {
                let end = spans.iter().map(|s| s.end).fold(0.0, f64::max);
                format!(
                    "{} operations over {}.",
                    spans.len(),
                    format::duration(Some(end))
                )
            }
        }
    }
}

/// Parses a CSS colour as `getComputedStyle` returns it: `#rgb`, `#rrggbb`,
/// `rgb(r, g, b)` or `rgba(r, g, b, a)`.
pub fn parse_color(css: &str) -> Option<(u8, u8, u8)> {
    let s = css.trim();
    if let Some(hex) = s.strip_prefix('#') {
        let h = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
        return match hex.len() {
            3 => Some((h(0, 1)? * 17, h(1, 1)? * 17, h(2, 1)? * 17)),
            6 => Some((h(0, 2)?, h(2, 2)?, h(4, 2)?)),
            _ => None,
        };
    }
    let inner = s
        .strip_prefix("rgba(")
        .or_else(|| s.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut it = inner
        .split([',', ' ', '/'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .ok()
                .map(|v| v.clamp(0.0, 255.0) as u8)
        });
    Some((it.next()??, it.next()??, it.next()??))
}

/// Properties of [`Chart`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ChartProps {
    /// Stable id for tests (`data-chart`).
    pub id: AttrValue,
    /// Title above the chart.
    pub title: AttrValue,
    /// The data.
    pub plot: Rc<Plot>,
    /// Unit of the values.
    pub unit: Unit,
    /// Axis description of the values, with the unit ("Operations", "Cost (USD)").
    pub value_label: AttrValue,
    /// Axis description of the categories ("Day (UTC)").
    #[prop_or_default]
    pub category_label: AttrValue,
    /// Height in CSS pixels (width follows the container).
    #[prop_or(240)]
    pub height: u32,
    /// What data would fill the chart, shown when it is empty.
    #[prop_or_default]
    pub empty: AttrValue,
}

/// Renders a [`Chart`] from its properties: views call this rather than
/// writing `<Chart …/>`, so the component-building code exists once.
#[inline(never)]
pub fn show(props: ChartProps) -> Html {
    html! { <Chart ..props /> }
}

/// A chart: canvas, legend, accessible summary and a data table fallback.
#[function_component(Chart)]
pub fn chart(props: &ChartProps) -> Html {
    let canvas = use_node_ref();
    let width = crate::hooks::resize::use_width(canvas.clone());
    let theme = crate::hooks::resize::use_theme_epoch();
    {
        let canvas = canvas.clone();
        let props = props.clone();
        use_effect_with((width, theme, props.clone()), move |(width, _, _)| {
            // Each chart draws in a task of its own, after the view is on screen:
            // a view with many charts never blocks the page in one long task.
            #[cfg(target_arch = "wasm32")]
            let pending = {
                let width = *width;
                gloo::timers::callback::Timeout::new(0, move || {
                    if let Some(el) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                        draw::draw(&el, &props, width);
                    }
                })
            };
            // Natively (tests) there is no canvas: the timer is a stand-in.
            #[cfg(not(target_arch = "wasm32"))]
            let pending = (canvas, *width, props);
            // Dropping the timer cancels a draw that a newer one replaces.
            move || drop(pending)
        });
    }
    let title = el(
        "h3",
        "chart-title",
        vec![VText::new(props.title.clone()).into()],
    );
    if props.plot.is_empty() {
        return el_attrs(
            "figure",
            &["class", "data-chart"],
            vec!["chart chart-empty".into(), props.id.clone()],
            vec![
                title,
                el("p", "empty", vec![VText::new(props.empty.clone()).into()]),
            ],
        );
    }
    let summary = props.plot.summary(props.unit);
    let mut canvas_tag = vtag(
        "canvas",
        &["role", "aria-label", "style"],
        vec![
            "img".into(),
            format!("{}. {}", props.title, summary).into(),
            format!("width:100%;height:{}px;display:block", props.height).into(),
        ],
        Vec::new(),
    );
    canvas_tag.node_ref = canvas;
    el_attrs(
        "figure",
        &["class", "data-chart"],
        vec!["chart".into(), props.id.clone()],
        vec![
            title,
            legend(&props.plot),
            canvas_tag.into(),
            el(
                "details",
                "chart-data",
                vec![
                    el("summary", "", vec![lit("Data table")]),
                    data_table(props),
                ],
            ),
        ],
    )
}

fn legend(plot: &Plot) -> Html {
    let series = match plot {
        Plot::Line { series, .. } | Plot::Bars { series, .. } if series.len() > 1 => series,
        _ => return Html::default(),
    };
    el(
        "ul",
        "chart-legend",
        series
            .iter()
            .map(|s| {
                el(
                    "li",
                    "",
                    vec![
                        el_attrs(
                            "span",
                            &["class", "style"],
                            vec![
                                format!("swatch tone-{:?}", s.tone).to_lowercase().into(),
                                swatch_style(s.tone).into(),
                            ],
                            Vec::new(),
                        ),
                        text(s.name.clone()),
                    ],
                )
            })
            .collect(),
    )
}

fn swatch_style(tone: Tone) -> String {
    let (r, g, b) = tone.fallback();
    let fallback = match tone.theme_var() {
        Some(v) => format!("var({v}, rgb({r},{g},{b}))"),
        None => format!("rgb({r},{g},{b})"),
    };
    format!(
        "display:inline-block;width:.8em;height:.8em;margin-right:.3em;background:var({}, {fallback})",
        tone.css_var()
    )
}

fn data_table(props: &ChartProps) -> Html {
    let unit = props.unit;
    let th_col = |label: Html| el_attrs("th", &["scope"], vec!["col".into()], vec![label]);
    let table = |head: Vec<Html>, rows: Vec<Html>| {
        let mut children = Vec::with_capacity(2);
        if !head.is_empty() {
            children.push(el("thead", "", vec![el("tr", "", head)]));
        }
        children.push(el("tbody", "", rows));
        el("table", "", children)
    };
    match &*props.plot {
        Plot::Line { labels, series } | Plot::Bars { labels, series } => {
            let mut head = vec![th_col(VText::new(props.category_label.clone()).into())];
            head.extend(series.iter().map(|s| th_col(text(s.name.clone()))));
            let rows = labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut cells = vec![th_row(l.clone())];
                    cells.extend(series.iter().map(|s| {
                        td(s.values
                            .get(i)
                            .copied()
                            .flatten()
                            .map(|v| unit.fmt(v))
                            .unwrap_or_else(|| format::NONE.to_string()))
                    }));
                    el("tr", "", cells)
                })
                .collect();
            table(head, rows)
        }
        Plot::HBars { rows, .. } => table(
            Vec::new(),
            rows.iter()
                .map(|r| el("tr", "", vec![th_row(r.label.clone()), td(r.text.clone())]))
                .collect(),
        ),
        Plot::Waterfall { spans } => table(
            vec![
                th_col(lit("Operation")),
                th_col(lit("Start")),
                th_col(lit("End")),
            ],
            spans
                .iter()
                .map(|s| {
                    el(
                        "tr",
                        "",
                        vec![
                            th_row(s.label.clone()),
                            td(format!("+{}", format::duration(Some(s.start)))),
                            td(format!("+{}", format::duration(Some(s.end)))),
                        ],
                    )
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_colours_parse() {
        assert_eq!(parse_color("#fff"), Some((255, 255, 255)));
        assert_eq!(parse_color(" #2ea043 "), Some((46, 160, 67)));
        assert_eq!(parse_color("rgb(1, 2, 3)"), Some((1, 2, 3)));
        assert_eq!(parse_color("rgba(10, 20, 30, 0.5)"), Some((10, 20, 30)));
        assert_eq!(parse_color("rgb(10 20 30 / 50%)"), Some((10, 20, 30)));
        assert_eq!(parse_color(""), None);
        assert_eq!(parse_color("red"), None);
        assert_eq!(parse_color("#12"), None);
    }

    #[test]
    fn summaries_name_range_and_latest() {
        let p = Plot::Line {
            labels: vec!["11-01".into(), "11-02".into(), "11-03".into()],
            series: vec![Series {
                name: "Success rate".into(),
                tone: Tone::Ok,
                values: vec![Some(0.5), None, Some(0.75)],
            }],
        };
        assert_eq!(
            p.summary(Unit::Percent),
            "3 points from 11-01 to 11-03. Success rate: from 50% to 75%, latest 75%."
        );
        assert!(!p.is_empty());
        let empty = Plot::Bars {
            labels: vec!["a".into()],
            series: vec![Series {
                name: "x".into(),
                tone: Tone::S1,
                values: vec![None],
            }],
        };
        assert!(empty.is_empty());
        let w = Plot::Waterfall {
            spans: vec![Span {
                label: "plan".into(),
                start: 0.0,
                end: 125.0,
                tone: Tone::Ok,
            }],
        };
        assert_eq!(w.summary(Unit::Seconds), "1 operations over 2m 05s.");
    }
}
