//! The Data view: loaded files, detected formats, record counts,
//! diagnostics, data-quality figures, and the files that failed.

use baton_core::model::{DiagnosticLevel, Source};
use yew::prelude::*;

use crate::format;
use crate::hooks::use_app;
use crate::protocol::LoadTimings;
use crate::state::human_bytes;
use crate::views::common::{self, el, el_attrs, lit, text};
use crate::views::table::{num, td, td_col, td_html};
use crate::views::ViewProps;

fn level_word(l: DiagnosticLevel) -> &'static str {
    match l {
        DiagnosticLevel::Info => "info",
        DiagnosticLevel::Warning => "warning",
        DiagnosticLevel::Skipped => "skipped",
    }
}

fn opt(v: Option<u64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

/// Header cells of a plain `table.table` (no scope), `.num` when numeric.
fn head(cells: &[(&'static str, bool)]) -> Html {
    el(
        "thead",
        "",
        vec![el(
            "tr",
            "",
            cells
                .iter()
                .map(|&(l, n)| el("th", if n { "num" } else { "" }, vec![lit(l)]))
                .collect(),
        )],
    )
}

fn diagnostics(src: &Source) -> Html {
    if src.diagnostics.is_empty() {
        return Html::default();
    }
    let rows = src
        .diagnostics
        .iter()
        .map(|d| {
            let level = level_word(d.level);
            el(
                "tr",
                "",
                vec![
                    td_html(el_attrs(
                        "span",
                        &["class"],
                        vec![format!("level {level}").into()],
                        vec![lit(level)],
                    )),
                    num(opt(d.record)),
                    num(opt(d.line)),
                    td(d.field.clone().unwrap_or_else(|| "—".into())),
                    td(d.reason.clone()),
                ],
            )
        })
        .collect();
    el(
        "details",
        "diagnostics",
        vec![
            el(
                "summary",
                "",
                vec![text(format!(
                    "{} diagnostic{} in {}",
                    src.diagnostics.len(),
                    if src.diagnostics.len() == 1 { "" } else { "s" },
                    src.name
                ))],
            ),
            el(
                "table",
                "table compact",
                vec![
                    head(&[
                        ("Level", false),
                        ("Record", false),
                        ("Line", false),
                        ("Field", false),
                        ("Reason", false),
                    ]),
                    el("tbody", "", rows),
                ],
            ),
        ],
    )
}

/// The Data view.
#[function_component(DataView)]
pub fn data_view(props: &ViewProps) -> Html {
    let app = use_app();
    let sources = &props.loaded.sources;
    let file_errors = app.map(|a| a.state.file_errors.clone()).unwrap_or_default();
    let mut total = baton_core::model::RecordCounts::default();
    for s in sources {
        total.add(&s.counts);
    }
    let bytes: u64 = sources.iter().map(|s| s.bytes).sum();
    let mut body = vec![el("h1", "", vec![lit("Data")])];
    if sources.is_empty() {
        body.push(common::empty(
            "No files loaded. Drop files or folders on the page, or use Add files.",
        ));
    } else {
        let mut summary = vec![text(format!(
            "{} file{}, {} · {} records read: {} imported, {} merged as duplicates, {} skipped.",
            sources.len(),
            if sources.len() == 1 { "" } else { "s" },
            human_bytes(bytes),
            total.read,
            total.imported,
            total.duplicates,
            total.skipped
        ))];
        if let Some(m) = props.loaded.engine_memory_bytes {
            summary.push(lit(" Engine memory: "));
            summary.push(el_attrs(
                "span",
                &["data-kpi", "data-bytes"],
                vec!["engine_memory".into(), m.to_string().into()],
                vec![text(human_bytes(m))],
            ));
            summary.push(lit("."));
        }
        summary.push(timings(&props.loaded.timings));
        body.push(el("p", "", summary));
        let rows = sources
            .iter()
            .map(|s| {
                el(
                    "tr",
                    "",
                    vec![
                        td_html(el("code", "", vec![text(s.name.clone())])),
                        td(s.format.label().to_string()),
                        num(human_bytes(s.bytes)),
                        num(s.counts.read.to_string()),
                        num(s.counts.imported.to_string()),
                        num(s.counts.duplicates.to_string()),
                        num(s.counts.skipped.to_string()),
                        num(s.diagnostics.len().to_string()),
                    ],
                )
            })
            .collect();
        body.push(el(
            "div",
            "table-wrap",
            vec![el_attrs(
                "table",
                &["class", "data-table"],
                vec!["table".into(), "files".into()],
                vec![
                    head(&[
                        ("File", false),
                        ("Format", false),
                        ("Size", true),
                        ("Read", true),
                        ("Imported", true),
                        ("Duplicates", true),
                        ("Skipped", true),
                        ("Diagnostics", true),
                    ]),
                    el("tbody", "", rows),
                ],
            )],
        ));
        body.extend(sources.iter().filter(|s| !s.quality.is_empty()).map(|s| {
            let mut items = Vec::with_capacity(s.quality.len() * 2);
            for (k, v) in s.quality.iter() {
                items.push(el("dt", "", vec![text(k.clone())]));
                items.push(el("dd", "", vec![text(format_figure(*v))]));
            }
            el(
                "div",
                "quality",
                vec![
                    el("h2", "", vec![text(format!("Data quality: {}", s.name))]),
                    el("dl", "", items),
                ],
            )
        }));
        body.push(recorded_totals(props));
        body.extend(sources.iter().map(diagnostics));
    }
    if !file_errors.is_empty() {
        body.push(el("h2", "", vec![lit("Files not loaded")]));
        body.push(el(
            "ul",
            "file-errors",
            file_errors.iter().map(common::file_error_item).collect(),
        ));
    }
    el("section", "view data-view", body)
}

/// Where the last load's time went, when files were loaded.
fn timings(t: &LoadTimings) -> Html {
    if t.read_ms + t.import_ms <= 0.0 {
        return Html::default();
    }
    let secs = |ms: f64| format!("{:.2} s", ms / 1000.0);
    el_attrs(
        "span",
        &[
            "data-kpi",
            "data-read-ms",
            "data-import-ms",
            "data-analysis-ms",
        ],
        vec![
            "load_timings".into(),
            format!("{:.0}", t.read_ms).into(),
            format!("{:.0}", t.import_ms).into(),
            format!("{:.0}", t.analysis_ms).into(),
        ],
        vec![text(format!(
            " Last load: reading {}, import {}, analysis {}.",
            secs(t.read_ms),
            secs(t.import_ms),
            secs(t.analysis_ms)
        ))],
    )
}

/// Totals a file records for a whole session (Claude's `total_cost_usd`,
/// Langfuse's trace cost) beside the cost Baton computes for the same session
/// from its operations.
fn recorded_totals(props: &ViewProps) -> Html {
    let a = props.analysis();
    let rows: Vec<_> = a
        .aggregates
        .iter()
        .filter(|g| g.scope == "session" && g.total_cost.is_some())
        .filter(|g| g.origin == "claude_result" || g.origin == "langfuse_trace")
        .collect();
    if rows.is_empty() {
        return Html::default();
    }
    let body = rows
        .iter()
        .map(|g| {
            let computed = g.name.as_ref().and_then(|n| {
                a.sessions
                    .iter()
                    .find(|s| &s.id == n)
                    .and_then(|s| s.stats.total_cost)
            });
            el_attrs(
                "tr",
                &["data-row"],
                vec![g.name.clone().unwrap_or_default().into()],
                vec![
                    td_html(el("code", "", vec![text(g.source.clone())])),
                    td(g.name.clone().unwrap_or_else(|| "—".into())),
                    td_col(
                        "num".into(),
                        "recorded".into(),
                        vec![text(format::usd(g.total_cost))],
                    ),
                    td_col(
                        "num".into(),
                        "computed".into(),
                        vec![text(format::usd(computed))],
                    ),
                ],
            )
        })
        .collect();
    el(
        "div",
        "recorded-totals",
        vec![
            el("h2", "", vec![lit("Recorded totals against computed cost")]),
            el(
                "div",
                "table-wrap",
                vec![el_attrs(
                    "table",
                    &["class", "data-table"],
                    vec!["table".into(), "recorded-totals".into()],
                    vec![
                        head(&[
                            ("File", false),
                            ("Session", false),
                            ("Recorded", true),
                            ("Computed", true),
                        ]),
                        el("tbody", "", body),
                    ],
                )],
            ),
        ],
    )
}

/// A quality figure: integers without decimals, others with two.
fn format_figure(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}
