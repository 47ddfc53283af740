//! The Data view: loaded files, detected formats, record counts,
//! diagnostics, data-quality figures, and the files that failed.

use baton_core::model::{DiagnosticLevel, Source};
use yew::prelude::*;

use crate::hooks::use_app;
use crate::protocol::LoadTimings;
use crate::state::human_bytes;
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

fn diagnostics(src: &Source) -> Html {
    if src.diagnostics.is_empty() {
        return html! {};
    }
    html! {
        <details class="diagnostics">
            <summary>{ format!("{} diagnostic{} in {}", src.diagnostics.len(), if src.diagnostics.len() == 1 { "" } else { "s" }, src.name) }</summary>
            <table class="table compact">
                <thead><tr><th>{ "Level" }</th><th>{ "Record" }</th><th>{ "Line" }</th><th>{ "Field" }</th><th>{ "Reason" }</th></tr></thead>
                <tbody>
                    { for src.diagnostics.iter().map(|d| html! {
                        <tr>
                            <td><span class={classes!("level", level_word(d.level))}>{ level_word(d.level) }</span></td>
                            <td class="num">{ opt(d.record) }</td>
                            <td class="num">{ opt(d.line) }</td>
                            <td>{ d.field.clone().unwrap_or_else(|| "—".into()) }</td>
                            <td>{ d.reason.clone() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </details>
    }
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
    html! {
        <section class="view data-view">
            <h1>{ "Data" }</h1>
            if sources.is_empty() {
                <p class="empty">{ "No files loaded. Drop files or folders on the page, or use Add files." }</p>
            } else {
                <p>{ format!("{} file{}, {} · {} records read: {} imported, {} merged as duplicates, {} skipped.",
                    sources.len(), if sources.len() == 1 { "" } else { "s" }, human_bytes(bytes),
                    total.read, total.imported, total.duplicates, total.skipped) }
                    if let Some(m) = props.loaded.engine_memory_bytes {
                        { " Engine memory: " }<span data-kpi="engine_memory" data-bytes={m.to_string()}>{ human_bytes(m) }</span>{ "." }
                    }
                    { timings(&props.loaded.timings) }
                </p>
                <div class="table-wrap">
                <table class="table" data-table="files">
                    <thead><tr>
                        <th>{ "File" }</th><th>{ "Format" }</th><th class="num">{ "Size" }</th>
                        <th class="num">{ "Read" }</th><th class="num">{ "Imported" }</th>
                        <th class="num">{ "Duplicates" }</th><th class="num">{ "Skipped" }</th>
                        <th class="num">{ "Diagnostics" }</th>
                    </tr></thead>
                    <tbody>
                        { for sources.iter().map(|s| html! {
                            <tr>
                                <td><code>{ s.name.clone() }</code></td>
                                <td>{ s.format.label() }</td>
                                <td class="num">{ human_bytes(s.bytes) }</td>
                                <td class="num">{ s.counts.read }</td>
                                <td class="num">{ s.counts.imported }</td>
                                <td class="num">{ s.counts.duplicates }</td>
                                <td class="num">{ s.counts.skipped }</td>
                                <td class="num">{ s.diagnostics.len() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
                { for sources.iter().filter(|s| !s.quality.is_empty()).map(|s| html! {
                    <div class="quality">
                        <h2>{ format!("Data quality: {}", s.name) }</h2>
                        <dl>
                            { for s.quality.iter().map(|(k, v)| html! {
                                <><dt>{ k.clone() }</dt><dd>{ format_figure(*v) }</dd></>
                            }) }
                        </dl>
                    </div>
                }) }
                { recorded_totals(props) }
                { for sources.iter().map(diagnostics) }
            }
            if !file_errors.is_empty() {
                <h2>{ "Files not loaded" }</h2>
                <ul class="file-errors">
                    { for file_errors.iter().map(|e| html! { <li><code>{ e.name.clone() }</code>{ ": " }{ e.message.clone() }</li> }) }
                </ul>
            }
        </section>
    }
}

/// Where the last load's time went, when files were loaded.
fn timings(t: &LoadTimings) -> Html {
    if t.read_ms + t.import_ms <= 0.0 {
        return Html::default();
    }
    let secs = |ms: f64| format!("{:.2} s", ms / 1000.0);
    html! {
        <span data-kpi="load_timings" data-read-ms={format!("{:.0}", t.read_ms)}
              data-import-ms={format!("{:.0}", t.import_ms)} data-analysis-ms={format!("{:.0}", t.analysis_ms)}>
            { format!(" Last load: reading {}, import {}, analysis {}.", secs(t.read_ms), secs(t.import_ms), secs(t.analysis_ms)) }
        </span>
    }
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
        return html! {};
    }
    html! {
        <div class="recorded-totals">
            <h2>{ "Recorded totals against computed cost" }</h2>
            <div class="table-wrap">
            <table class="table" data-table="recorded-totals">
                <thead><tr>
                    <th>{ "File" }</th><th>{ "Session" }</th>
                    <th class="num">{ "Recorded" }</th><th class="num">{ "Computed" }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|g| {
                        let computed = g.name.as_ref().and_then(|n| {
                            a.sessions.iter().find(|s| &s.id == n).and_then(|s| s.stats.total_cost)
                        });
                        html! {
                            <tr data-row={ g.name.clone().unwrap_or_default() }>
                                <td><code>{ g.source.clone() }</code></td>
                                <td>{ g.name.clone().unwrap_or_else(|| "—".into()) }</td>
                                <td class="num" data-col="recorded">{ crate::format::usd(g.total_cost) }</td>
                                <td class="num" data-col="computed">{ crate::format::usd(computed) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
        </div>
    }
}

/// A quality figure: integers without decimals, others with two.
fn format_figure(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}
