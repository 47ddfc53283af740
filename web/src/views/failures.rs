//! Failures: failed operations grouped by error type (counts and bars), the
//! failing records filtered by type, and the pipeline and debugging figures.

use std::rc::Rc;

use baton_core::analysis::{Analysis, OperationRef};
use yew::prelude::*;

use super::common::{self, el, fact, link, lit, panel, select, text};
use super::table::{self as t, num, td, td_html, tr};
use super::ViewProps;
use crate::charts::{self, ChartProps, HBar, Plot, Tone, Unit};
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
    let mut records_panel = Vec::with_capacity(2);
    if !a.errors_by_type.is_empty() {
        records_panel.push(el(
            "label",
            "",
            vec![
                lit("Error type "),
                select(
                    &["data-filter"],
                    vec!["error_type".into()],
                    onchange,
                    common::filter_options(
                        "All types",
                        &mut a.errors_by_type.keys(),
                        selected.as_ref(),
                    ),
                ),
            ],
        ));
    }
    records_panel.push(if records.is_empty() {
        common::empty("No failed operations in the period.")
    } else {
        failures_table(&records)
    });
    common::view(
        "view failures",
        "failures",
        "Failures",
        vec![
            el(
                "p",
                "",
                vec![text(format!(
                    "{} failed of {} finished operations ({})",
                    format::int(a.overall.failed),
                    format::int(a.overall.total_operations),
                    format::pct(a.overall.error_rate)
                ))],
            ),
            by_type(a),
            panel("failing_records", "Failing records".into(), records_panel),
            pipelines(a),
        ],
    )
}

fn failures_table(records: &[&OperationRef]) -> Html {
    t::table(
        "failures".into(),
        &[
            ("When", false),
            ("Operation", false),
            ("Kind", false),
            ("Agent", false),
            ("Session", false),
            ("Error type", false),
            ("Message", false),
            ("Duration", true),
        ],
        records
            .iter()
            .map(|f| {
                tr(
                    Some(f.id.clone()),
                    vec![
                        el(
                            "td",
                            "nowrap",
                            vec![text(format::datetime(f.start.as_deref()))],
                        ),
                        el("td", "nowrap", vec![text(f.id.clone())]),
                        td(f.kind.clone()),
                        td_html(link(
                            format!("#/agents/{}", common::encode_arg(&f.agent)),
                            f.agent.clone(),
                        )),
                        td_html(match &f.session {
                            Some(s) => {
                                link(format!("#/sessions/{}", common::encode_arg(s)), s.clone())
                            }
                            None => lit(format::NONE),
                        }),
                        td(f.error_type
                            .clone()
                            .unwrap_or_else(|| "unclassified".into())),
                        el(
                            "td",
                            "message",
                            vec![text(f.error_message.clone().unwrap_or_default())],
                        ),
                        num(format::duration(f.duration)),
                    ],
                )
            })
            .collect(),
    )
}

fn by_type(a: &Analysis) -> Html {
    if a.errors_by_type.is_empty() {
        return panel(
            "errors_by_type",
            "By error type".into(),
            vec![common::empty("No error types recorded: failures carrying an error type or class fill this breakdown.")],
        );
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
    panel(
        "errors_by_type",
        "By error type".into(),
        vec![
            t::table(
                "errors_by_type".into(),
                &[("Error type", false), ("Failures", true), ("Share", true)],
                types
                    .iter()
                    .map(|(ty, n)| {
                        tr(
                            Some((*ty).clone()),
                            vec![
                                td((*ty).clone()),
                                num(format::int(**n)),
                                num(format::pct((total > 0).then(|| **n as f64 / total as f64))),
                            ],
                        )
                    })
                    .collect(),
            ),
            charts::show(ChartProps {
                id: "errors_by_type".into(),
                title: "Failures by error type".into(),
                plot,
                unit: Unit::Count,
                value_label: "Failures".into(),
                category_label: AttrValue::default(),
                height,
                empty: AttrValue::default(),
            }),
        ],
    )
}

fn pipelines(a: &Analysis) -> Html {
    let (p, d) = (&a.pipelines, &a.debugging);
    let body = if p.attempts == 0 && d.cycles == 0 {
        common::empty("No pipeline or debugging data: the run logger's issue reports (seed 002) carry pipeline attempts and debugging cycles.")
    } else {
        el(
            "ul",
            "facts",
            vec![
                fact(
                    "Pipeline attempts: ",
                    "pipeline_attempts",
                    format::int(p.attempts),
                    vec![text(format!(
                        " ({} passed, {} failed, success rate {})",
                        p.succeeded,
                        p.failed,
                        format::pct(p.success_rate)
                    ))],
                ),
                fact(
                    "First-pass rate: ",
                    "first_pass_rate",
                    format::pct(p.first_pass_rate),
                    vec![],
                ),
                fact(
                    "Debugging cycles: ",
                    "debug_cycles",
                    format::int(d.cycles),
                    vec![text(format!(
                        " ({} resolved, {}), mean attempts {}, per work item {}",
                        d.resolved,
                        format::pct(d.success_rate),
                        format::num(d.avg_attempts),
                        format::num(d.cycles_per_work_item)
                    ))],
                ),
            ],
        )
    };
    panel("pipelines", "Pipelines and debugging".into(), vec![body])
}
