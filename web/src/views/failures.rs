//! Failures: failed operations grouped by error type (counts and bars), the
//! failing records filtered by type, and the pipeline and debugging figures.

use std::rc::Rc;

use baton_core::analysis::{Analysis, OperationRef};
use yew::prelude::*;

use super::common;
use super::ViewProps;
use crate::charts::{Chart, HBar, Plot, Tone, Unit};
use crate::format;
use crate::protocol::Request;

/// How many failing records to ask the worker for.
const LIMIT: u32 = 200;

/// The Failures view.
#[function_component(FailuresView)]
pub fn failures_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    let selected = use_state(|| None::<String>);
    {
        let on_request = props.on_request.clone();
        use_effect_with((*selected).clone(), move |sel| {
            on_request.emit(Request::Failures {
                error_type: sel.clone(),
                limit: LIMIT,
            });
        });
    }
    let records: Vec<&OperationRef> = match props.failures.as_deref() {
        Some((t, ops)) if *t == *selected => ops.iter().collect(),
        _ => a
            .recent_failures
            .iter()
            .filter(|f| {
                selected
                    .as_ref()
                    .is_none_or(|s| f.error_type.as_ref() == Some(s))
            })
            .collect(),
    };
    let onchange = {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            selected.set(Some(value).filter(|v| !v.is_empty()));
        })
    };
    html! {
        <section class="view failures" data-view="failures">
            <h2>{ "Failures" }</h2>
            <p>{ format!("{} failed of {} finished operations ({})", format::int(a.overall.failed),
                format::int(a.overall.total_operations), format::pct(a.overall.error_rate)) }</p>
            { by_type(a) }
            <div class="panel" data-section="failing_records">
                <h3>{ "Failing records" }</h3>
                if !a.errors_by_type.is_empty() {
                    <label>{ "Error type " }
                        <select {onchange} data-filter="error_type">
                            <option value="" selected={selected.is_none()}>{ "All types" }</option>
                            { for a.errors_by_type.keys().map(|t| html! {
                                <option value={t.clone()} selected={selected.as_ref() == Some(t)}>{ t.clone() }</option>
                            }) }
                        </select>
                    </label>
                }
                if records.is_empty() {
                    { common::empty("No failed operations in the period.") }
                } else {
                    <table class="data" data-table="failures">
                        <thead><tr><th scope="col">{ "When" }</th><th scope="col">{ "Operation" }</th><th scope="col">{ "Kind" }</th>
                            <th scope="col">{ "Agent" }</th><th scope="col">{ "Session" }</th><th scope="col">{ "Error type" }</th>
                            <th scope="col">{ "Message" }</th><th scope="col" class="num">{ "Duration" }</th></tr></thead>
                        <tbody>
                            { for records.iter().map(|f| html! {
                                <tr data-row={f.id.clone()}>
                                    <td class="nowrap">{ format::datetime(f.start.as_deref()) }</td><td class="nowrap">{ f.id.clone() }</td><td>{ f.kind.clone() }</td>
                                    <td><a href={format!("#/agents/{}", common::encode_arg(&f.agent))}>{ f.agent.clone() }</a></td>
                                    <td>{ match &f.session {
                                        Some(s) => html! { <a href={format!("#/sessions/{}", common::encode_arg(s))}>{ s.clone() }</a> },
                                        None => html! { { format::NONE } },
                                    } }</td>
                                    <td>{ f.error_type.clone().unwrap_or_else(|| "unclassified".into()) }</td>
                                    <td class="message">{ f.error_message.clone().unwrap_or_default() }</td>
                                    <td class="num">{ format::duration(f.duration) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
            </div>
            { pipelines(a) }
        </section>
    }
}

fn by_type(a: &Analysis) -> Html {
    if a.errors_by_type.is_empty() {
        return html! {
            <div class="panel" data-section="errors_by_type">
                <h3>{ "By error type" }</h3>
                { common::empty("No error types recorded: failures carrying an error type or class fill this breakdown.") }
            </div>
        };
    }
    let mut types: Vec<(&String, &u64)> = a.errors_by_type.iter().collect();
    baton_core::sort::sort_by(&mut types, |x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    let total: u64 = types.iter().map(|(_, n)| **n).sum();
    let plot = Rc::new(Plot::HBars {
        rows: types
            .iter()
            .take(20)
            .map(|(t, n)| HBar {
                label: (*t).clone(),
                value: **n as f64,
                text: format!("{n}"),
                tone: Tone::Bad,
            })
            .collect(),
        max: None,
    });
    let height = (types.len().min(20) as u32 * 26 + 60).clamp(120, 700);
    html! {
        <div class="panel" data-section="errors_by_type">
            <h3>{ "By error type" }</h3>
            <table class="data" data-table="errors_by_type">
                <thead><tr><th scope="col">{ "Error type" }</th><th scope="col" class="num">{ "Failures" }</th><th scope="col" class="num">{ "Share" }</th></tr></thead>
                <tbody>
                    { for types.iter().map(|(t, n)| html! {
                        <tr data-row={(*t).clone()}><td>{ (*t).clone() }</td><td class="num">{ format::int(**n) }</td>
                            <td class="num">{ format::pct((total > 0).then(|| **n as f64 / total as f64)) }</td></tr>
                    }) }
                </tbody>
            </table>
            <Chart id="errors_by_type" title="Failures by error type" {plot} unit={Unit::Count}
                value_label="Failures" {height} />
        </div>
    }
}

fn pipelines(a: &Analysis) -> Html {
    let (p, d) = (&a.pipelines, &a.debugging);
    html! {
        <div class="panel" data-section="pipelines">
            <h3>{ "Pipelines and debugging" }</h3>
            if p.attempts == 0 && d.cycles == 0 {
                { common::empty("No pipeline or debugging data: the run logger's issue reports (seed 002) carry pipeline attempts and debugging cycles.") }
            } else {
                <ul class="facts">
                    <li>{ "Pipeline attempts: " }<strong data-kpi="pipeline_attempts">{ format::int(p.attempts) }</strong>
                        { format!(" ({} passed, {} failed, success rate {})", p.succeeded, p.failed, format::pct(p.success_rate)) }</li>
                    <li>{ "First-pass rate: " }<strong data-kpi="first_pass_rate">{ format::pct(p.first_pass_rate) }</strong></li>
                    <li>{ "Debugging cycles: " }<strong data-kpi="debug_cycles">{ format::int(d.cycles) }</strong>
                        { format!(" ({} resolved, {}), mean attempts {}, per work item {}", d.resolved, format::pct(d.success_rate),
                            format::num(d.avg_attempts), format::num(d.cycles_per_work_item)) }</li>
                </ul>
            }
        </div>
    }
}
