//! Operations: figures by kind / task pattern, the pattern × agent matrix,
//! durations by kind and the slowest operations.

use std::collections::BTreeSet;
use std::rc::Rc;

use baton_core::analysis::Analysis;
use yew::prelude::*;

use super::common::{self, el, el_attrs, lit, muted, muted_span, panel, text};
use super::table::{
    self as t, num, num_html, td, td_col, td_html, th, th_row, tr, Column, Key, Row, SortTable,
};
use super::ViewProps;
use crate::charts::{self, ChartProps, HBar, Plot, Series, Tone, Unit};
use crate::format;

/// The Operations view.
#[function_component(OperationsView)]
pub fn operations_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    if a.operations.is_empty() {
        return common::view(
            "view operations",
            "operations",
            "Operations",
            vec![common::empty(
                "No operations: operation logs, phases, tasks or agent executions fill this view.",
            )],
        );
    }
    common::view(
        "view operations",
        "operations",
        "Operations by kind",
        vec![
            table(a),
            matrix(a),
            patterns(a),
            durations(a),
            histogram(a),
            slowest(a),
        ],
    )
}

fn table(a: &Analysis) -> Html {
    let columns = vec![
        Column::text("kind", "Kind / pattern"),
        Column::num("count", "Operations"),
        Column::num("success_rate", "Success rate"),
        Column::num("avg_duration", "Avg"),
        Column::num("p95_duration", "p95"),
        Column::num("retries", "Retries"),
        Column::num("files_modified", "Files modified"),
        Column::num("tokens", "Tokens"),
        Column::num("cost", "Cost"),
    ];
    let rows = a
        .operations
        .iter()
        .map(|(kind, s)| Row {
            id: kind.clone(),
            keys: vec![
                Key::text(kind),
                Key::count(s.count),
                Key::Num(s.success_rate),
                Key::Num(s.avg_duration),
                Key::Num(s.p95_duration),
                Key::count(s.retries),
                Key::Num(s.files_modified.map(|v| v as f64)),
                Key::Num(s.total_tokens.map(|t| t as f64)),
                Key::Num(s.total_cost),
            ],
            cells: vec![
                text(kind.clone()),
                text(format!(
                    "{}{}",
                    format::int(s.count),
                    if s.running > 0 {
                        format!(" (+{} running)", s.running)
                    } else {
                        String::new()
                    }
                )),
                common::rated_pct(s.success_rate, common::rate_success),
                text(format::duration(s.avg_duration)),
                text(format::duration(s.p95_duration)),
                text(format::int(s.retries)),
                text(format::opt_count(s.files_modified)),
                text(format::tokens(s.total_tokens)),
                text(format::usd(s.total_cost)),
            ],
        })
        .collect::<Vec<_>>();
    html! {
        <SortTable id="operations" caption="Operations by kind: count, success, durations, retries, files, tokens and cost"
            {columns} {rows} initial={(1, false)} />
    }
}

fn matrix(a: &Analysis) -> Html {
    let agents: BTreeSet<&String> = a.kind_agent.values().flat_map(|m| m.keys()).collect();
    if a.kind_agent.is_empty() || agents.len() < 2 && a.kind_agent.len() < 2 {
        return panel(
            "matrix",
            "Kind × agent".into(),
            vec![common::empty("The kind × agent matrix needs several kinds or agents: task pattern metrics (seed 001) or operations naming both fill it.")],
        );
    }
    let mut head = vec![th(lit("Kind \\ agent"), false)];
    head.extend(agents.iter().map(|ag| th(text((*ag).clone()), true)));
    let rows = a
        .kind_agent
        .iter()
        .map(|(kind, row)| {
            let mut cells = vec![th_row(kind.clone())];
            cells.extend(agents.iter().map(|ag| {
                let col = AttrValue::from((*ag).clone());
                match row.get(*ag) {
                    Some(s) if s.count == 0 => td_col(
                        "num muted".into(),
                        col,
                        vec![text(format!("{} running", s.running))],
                    ),
                    Some(s) => {
                        let tone = s
                            .success_rate
                            .map(|r| common::rating_tone(common::rate_success(r)))
                            .unwrap_or("");
                        let class = if tone.is_empty() {
                            AttrValue::from("num cell")
                        } else {
                            AttrValue::from(format!("num cell {tone}"))
                        };
                        el_attrs(
                            "td",
                            &["class", "data-col", "title"],
                            vec![
                                class,
                                col,
                                format!(
                                    "{kind} by {ag}: {} of {} operations succeeded",
                                    s.success_count, s.count
                                )
                                .into(),
                            ],
                            vec![
                                text(format::pct0(s.success_rate)),
                                muted_span(format!(" ({})", s.count)),
                            ],
                        )
                    }
                    None => td_col("num muted".into(), col, vec![lit(format::NONE)]),
                }
            }));
            tr(Some(kind.clone()), cells)
        })
        .collect();
    panel(
        "matrix",
        "Success rate by kind × agent".into(),
        vec![
            el(
                "div",
                "table-wrap",
                vec![t::table_of("data matrix", "kind_agent".into(), "", head, rows)],
            ),
            el("p", "muted", vec![lit("Cells: success rate (finished operations). Green good (> 80 %), amber acceptable (60–80 %), red needs attention (< 60 %).")]),
        ],
    )
}

fn durations(a: &Analysis) -> Html {
    let mut kinds: Vec<_> = a
        .operations
        .iter()
        .filter(|(_, s)| s.p95_duration.or(s.avg_duration).is_some())
        .collect();
    baton_core::sort::sort_by(&mut kinds, |x, y| {
        y.1.p95_duration
            .or(y.1.avg_duration)
            .partial_cmp(&x.1.p95_duration.or(x.1.avg_duration))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let plot = Rc::new(Plot::HBars {
        rows: kinds
            .iter()
            .take(25)
            .map(|(k, s)| HBar {
                label: (*k).clone(),
                value: s.p95_duration.or(s.avg_duration).unwrap_or(0.0),
                text: format!(
                    "p50 {} · p95 {}",
                    format::duration(s.p50_duration),
                    format::duration(s.p95_duration)
                ),
                tone: Tone::S1,
            })
            .collect(),
        max: None,
    });
    let height = (kinds.len().min(25) as u32 * 26 + 60).clamp(120, 800);
    charts::show(ChartProps {
        id: "duration_by_kind".into(),
        title: "Duration by kind (95th percentile)".into(),
        plot,
        unit: Unit::Seconds,
        value_label: "Duration, 95th percentile".into(),
        category_label: AttrValue::default(),
        height,
        empty: "No durations recorded: operations with start and end times or a duration fill this chart.".into(),
    })
}

/// "0 s–10 s", "2 h+".
fn bin_label(lower: f64, upper: Option<f64>) -> String {
    match upper {
        Some(u) => format!(
            "{}–{}",
            format::duration(Some(lower)),
            format::duration(Some(u))
        ),
        None => format!("{}+", format::duration(Some(lower))),
    }
}

fn histogram(a: &Analysis) -> Html {
    let h = &a.duration_histogram;
    let plot = Rc::new(Plot::Bars {
        labels: h.iter().map(|b| bin_label(b.lower, b.upper)).collect(),
        series: vec![Series {
            name: "Operations".into(),
            tone: Tone::S1,
            values: h.iter().map(|b| Some(b.count as f64)).collect(),
        }],
    });
    let mut body = vec![charts::show(ChartProps {
        id: "duration_histogram".into(),
        title: "Duration distribution (finished operations)".into(),
        plot,
        unit: Unit::Count,
        value_label: "Operations".into(),
        category_label: "Duration".into(),
        height: 240,
        empty: "No durations recorded: operations with start and end times or a duration fill this chart.".into(),
    })];
    if !h.is_empty() {
        body.push(t::table(
            "duration_histogram".into(),
            &[("Duration", false), ("Operations", true)],
            h.iter()
                .map(|b| {
                    tr(
                        Some(format!("{}", b.lower)),
                        vec![
                            td(bin_label(b.lower, b.upper)),
                            el_attrs(
                                "td",
                                &["class", "data-count"],
                                vec!["num".into(), b.count.to_string().into()],
                                vec![text(format::int(b.count))],
                            ),
                        ],
                    )
                })
                .collect(),
        ));
    }
    el_attrs(
        "div",
        &["class", "data-section"],
        vec!["panel".into(), "duration_histogram".into()],
        body,
    )
}

fn slowest(a: &Analysis) -> Html {
    let body = if a.slowest_operations.is_empty() {
        common::empty("No durations recorded.")
    } else {
        t::table(
            "slowest".into(),
            &[
                ("Operation", false),
                ("Kind", false),
                ("Agent", false),
                ("Start", false),
                ("Duration", true),
                ("Outcome", false),
            ],
            a.slowest_operations
                .iter()
                .map(|o| {
                    tr(
                        Some(o.id.clone()),
                        [
                            t::op_cells(o),
                            vec![
                                td(format::datetime(o.start.as_deref())),
                                num(format::duration(o.duration)),
                                td_html(common::outcome_badge(o.outcome)),
                            ],
                        ]
                        .concat(),
                    )
                })
                .collect(),
        )
    };
    panel("slowest", "Slowest operations".into(), vec![body])
}

fn patterns(a: &Analysis) -> Html {
    if a.patterns.is_empty() {
        return Html::default();
    }
    let items = a
        .patterns
        .iter()
        .map(|p| {
            let mut item = vec![el(
                "div",
                "",
                vec![
                    el("strong", "", vec![text(p.name.clone())]),
                    muted_span(format!(
                        " · {} executions · avg {}",
                        format::opt_count(p.total_executions),
                        format::duration(p.average_duration)
                    )),
                    lit(" · "),
                    common::rated_pct(p.success_rate, common::rate_success),
                ],
            )];
            let mut line = |label: &str, v: &[String]| {
                if !v.is_empty() {
                    item.push(el(
                        "div",
                        "",
                        vec![text(format!("{label}: {}", v.join(", ")))],
                    ));
                }
            };
            line("Common failure points", &p.common_failure_points);
            line("Bottlenecks", &p.bottlenecks);
            line("Opportunities", &p.optimization_opportunities);
            if !p.agents.is_empty() {
                item.push(muted(format!(
                    "By agent: {}",
                    p.agents
                        .iter()
                        .map(|g| format!(
                            "{} {} (avg {})",
                            g.agent,
                            format::pct(g.success_rate),
                            format::duration(g.average_duration)
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
            el_attrs("li", &["data-row"], vec![p.id.clone().into()], item)
        })
        .collect();
    panel(
        "patterns",
        "Task patterns as recorded".into(),
        vec![
            el_attrs(
                "ul",
                &["class", "data-list"],
                vec!["ranked".into(), "patterns".into()],
                items,
            ),
            pattern_agents(a),
        ],
    )
}

/// The recorded per-agent results of each pattern (seed 001 TaskPatternMetrics).
fn pattern_agents(a: &Analysis) -> Html {
    let rows: Vec<_> = a
        .patterns
        .iter()
        .flat_map(|p| p.agents.iter().map(move |g| (p, g)))
        .collect();
    if rows.is_empty() {
        return Html::default();
    }
    let head = [
        ("Pattern", false),
        ("Agent", false),
        ("Success rate", true),
        ("Avg duration", true),
        ("Quality consistency", true),
    ]
    .iter()
    .map(|&(l, n)| th(lit(l), n))
    .collect();
    t::table_of(
        "data",
        "pattern_agents".into(),
        "Recorded pattern × agent results",
        head,
        rows.iter()
            .map(|(p, g)| {
                tr(
                    Some(format!("{}-{}", p.id, g.agent)),
                    vec![
                        td(p.name.clone()),
                        td(g.agent.clone()),
                        num_html(common::rated_pct(g.success_rate, common::rate_success)),
                        num(format::duration(g.average_duration)),
                        num(format::num(g.quality_consistency)),
                    ],
                )
            })
            .collect(),
    )
}
