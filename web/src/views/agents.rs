//! Agents: the sortable agent table, the seed 003 success-rate bar chart and,
//! at `#/agents/<name>`, one agent's detail (efficiency score and its inputs,
//! output quality, the kinds it works on, its recent failures).

use std::rc::Rc;

use baton_core::analysis::{Analysis, GroupStats};
use yew::prelude::*;

use super::common::{self, el, el_attrs, fact, link, lit, muted, muted_span, panel, strong, text};
use super::table::{self as t, num, num_html, td, tr, Column, Key, Row, SortTable};
use super::ViewProps;
use crate::charts::{self, ChartProps, HBar, Plot, Tone, Unit};
use crate::format;

/// The Agents view.
#[function_component(AgentsView)]
pub fn agents_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    if let Some(name) = props.arg.as_deref().map(common::decode_arg) {
        return detail(a, &name);
    }
    if a.agents.is_empty() {
        return common::view(
            "view agents",
            "agents",
            "Agents",
            vec![common::empty("No agent data: operations, tasks or agent executions naming their agent fill this view.")],
        );
    }
    common::view(
        "view agents",
        "agents",
        "Agents",
        vec![table(a), chart(a), network(a)],
    )
}

fn success_tone(rate: Option<f64>) -> Tone {
    match rate.map(common::rate_success) {
        Some(r) => match common::rating_tone(r) {
            "tone-good" => Tone::Ok,
            "tone-warn" => Tone::Warn,
            _ => Tone::Bad,
        },
        None => Tone::Running,
    }
}

fn table(a: &Analysis) -> Html {
    let columns = vec![
        Column::text("agent", "Agent"),
        Column::num("count", "Operations"),
        Column::num("success_rate", "Success rate"),
        Column::num("avg_duration", "Avg"),
        Column::num("min_duration", "Min"),
        Column::num("max_duration", "Max"),
        Column::num("p95_duration", "p95"),
        Column::num("retries", "Retries"),
        Column::num("tokens", "Tokens"),
        Column::num("cost", "Cost"),
        Column::num("efficiency", "Efficiency"),
    ];
    let rows = a
        .agents
        .iter()
        .map(|(name, s)| {
            let eff = a.efficiency.get(name).and_then(|e| e.score);
            Row {
                id: name.clone(),
                keys: vec![
                    Key::text(name),
                    Key::count(s.count),
                    Key::Num(s.success_rate),
                    Key::Num(s.avg_duration),
                    Key::Num(s.min_duration),
                    Key::Num(s.max_duration),
                    Key::Num(s.p95_duration),
                    Key::count(s.retries),
                    Key::Num(s.total_tokens.map(|t| t as f64)),
                    Key::Num(s.total_cost),
                    Key::Num(eff),
                ],
                cells: vec![
                    link(
                        format!("#/agents/{}", common::encode_arg(name)),
                        name.clone(),
                    ),
                    text(format::int(s.count)),
                    common::rated_pct(s.success_rate, common::rate_success),
                    text(format::duration(s.avg_duration)),
                    text(format::duration(s.min_duration)),
                    text(format::duration(s.max_duration)),
                    text(format::duration(s.p95_duration)),
                    text(format::int(s.retries)),
                    text(format::tokens(s.total_tokens)),
                    text(format::usd(s.total_cost)),
                    text(format::num(eff)),
                ],
            }
        })
        .collect::<Vec<_>>();
    html! {
        <SortTable id="agents" caption="Agents: operations, success, durations, retries, tokens, cost and efficiency score"
            {columns} {rows} initial={(1, false)} />
    }
}

fn chart(a: &Analysis) -> Html {
    let mut rows: Vec<(&String, &GroupStats)> = a
        .agents
        .iter()
        .filter(|(_, s)| s.success_rate.is_some())
        .collect();
    baton_core::sort::sort_by(&mut rows, |x, y| {
        y.1.success_rate
            .partial_cmp(&x.1.success_rate)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.0.cmp(y.0))
    });
    let plot = Rc::new(Plot::HBars {
        rows: rows
            .iter()
            .map(|(name, s)| HBar {
                label: (*name).clone(),
                value: s.success_rate.unwrap_or(0.0),
                text: format!(
                    "{} ({})",
                    format::pct0(s.success_rate),
                    common::plural(s.count, "task")
                ),
                tone: success_tone(s.success_rate),
            })
            .collect(),
        max: Some(1.0),
    });
    let height = (rows.len() as u32 * 28 + 60).clamp(120, 900);
    charts::show(ChartProps {
        id: "agent_success".into(),
        title: "Success rate per agent".into(),
        plot,
        unit: Unit::Percent,
        value_label: "Success rate (%)".into(),
        category_label: AttrValue::default(),
        height,
        empty: "No finished operations per agent yet.".into(),
    })
}

fn detail(a: &Analysis, name: &str) -> Html {
    let back = el(
        "p",
        "",
        vec![link("#/agents".to_string(), "← All agents".to_string())],
    );
    let Some(s) = a.agents.get(name) else {
        return el_attrs(
            "section",
            &["class", "data-view"],
            vec!["view agents".into(), "agent".into()],
            vec![
                back,
                el("h2", "", vec![lit("Agent")]),
                common::empty(&format!("No agent named \"{name}\" in the current analysis (check the filters and period).")),
            ],
        );
    };
    let eff = a.efficiency.get(name);
    let kinds: Vec<(&String, &GroupStats)> = a
        .kind_agent
        .iter()
        .filter_map(|(k, m)| m.get(name).map(|s| (k, s)))
        .collect();
    let failures: Vec<_> = a
        .recent_failures
        .iter()
        .filter(|f| f.agent == name)
        .take(20)
        .collect();
    let kpis = el(
        "div",
        "kpi-grid",
        vec![
            common::kpi(
                "count",
                "Operations",
                format::int(s.count),
                None,
                muted(format!(
                    "{} succeeded, {} failed, {} running",
                    s.success_count, s.failure_count, s.running
                )),
            ),
            common::kpi(
                "success_rate",
                "Success rate",
                format::pct(s.success_rate),
                s.success_rate.map(common::rate_success),
                Html::default(),
            ),
            common::kpi(
                "avg_duration",
                "Avg duration",
                format::duration(s.avg_duration),
                None,
                muted(format!(
                    "min {} · p50 {} · p95 {} · max {}",
                    format::duration(s.min_duration),
                    format::duration(s.p50_duration),
                    format::duration(s.p95_duration),
                    format::duration(s.max_duration)
                )),
            ),
            common::kpi(
                "retries",
                "Retries",
                format::int(s.retries),
                None,
                muted(format!("retry rate {}", format::pct(s.retry_rate))),
            ),
            common::kpi(
                "tokens",
                "Tokens",
                format::tokens(s.total_tokens),
                None,
                Html::default(),
            ),
            common::kpi(
                "cost",
                "Cost",
                format::usd(s.total_cost),
                None,
                Html::default(),
            ),
        ],
    );
    let efficiency = match eff {
        Some(e) => {
            let mut body = vec![
                el_attrs(
                    "p",
                    &["class", "data-kpi"],
                    vec!["big".into(), "efficiency".into()],
                    vec![text(format::num(e.score)), muted_span(" / 100".to_string())],
                ),
                t::table(
                    "efficiency_inputs".into(),
                    &[("Input", false), ("Value", true), ("Seed weight", true)],
                    e.inputs
                        .iter()
                        .map(|i| {
                            tr(
                                Some(i.name.clone()),
                                vec![
                                    td(format::words(&i.name)),
                                    num(format::pct(Some(i.value))),
                                    num(format!("{} %", format::num(Some(i.weight * 100.0)))),
                                ],
                            )
                        })
                        .collect(),
                ),
            ];
            if !e.missing.is_empty() {
                body.push(el_attrs(
                    "p",
                    &["class", "data-list"],
                    vec!["muted".into(), "efficiency_missing".into()],
                    vec![text(format!(
                        "Not in the data, re-weighted out: {}.",
                        e.missing.iter().map(|m| format::words(m)).collect::<Vec<_>>().join(", ")
                    ))],
                ));
            }
            if let Some(c) = e.collaboration_effectiveness {
                body.push(el(
                    "p",
                    "",
                    vec![
                        lit("Collaboration effectiveness: "),
                        strong("collaboration", format::num(Some(c))),
                        lit(" / 100"),
                    ],
                ));
            }
            body
        }
        None => vec![common::empty("No efficiency score: it needs completion, quality, collaboration, error or response-time figures for this agent.")],
    };
    let quality = el(
        "ul",
        "facts",
        vec![
            fact(
                "Files created: ",
                "",
                format::opt_count(s.files_created),
                vec![],
            ),
            fact(
                "Files modified: ",
                "",
                format::opt_count(s.files_modified),
                vec![],
            ),
            fact(
                "Mean quality score: ",
                "quality",
                format::num(s.avg_quality_score),
                vec![],
            ),
            fact("Conflicts: ", "", format::opt_count(s.conflicts), vec![]),
            fact(
                "Self-healed: ",
                "",
                format::opt_count(s.self_healed),
                vec![],
            ),
            el(
                "li",
                "",
                vec![
                    lit("Cache hit rate: "),
                    common::rated_pct(s.cache_hit_rate, common::rate_cache_hit),
                ],
            ),
        ],
    );
    let kinds_body = if kinds.is_empty() {
        common::empty("No operation kinds recorded for this agent.")
    } else {
        t::table(
            "agent_kinds".into(),
            &[
                ("Kind", false),
                ("Operations", true),
                ("Success rate", true),
                ("Avg", true),
            ],
            kinds
                .iter()
                .map(|(k, ks)| {
                    tr(
                        Some((*k).clone()),
                        vec![
                            td((*k).clone()),
                            num(format::int(ks.count)),
                            num_html(common::rated_pct(ks.success_rate, common::rate_success)),
                            num(format::duration(ks.avg_duration)),
                        ],
                    )
                })
                .collect(),
        )
    };
    let failures_body = if failures.is_empty() && s.failure_count > 0 {
        // recent_failures holds the latest failures of all agents only.
        el_attrs(
            "p",
            &["class", "data-note"],
            vec!["empty".into(), "older_failures".into()],
            vec![
                text(format!(
                    "{} failed, none among the {} latest failures of all agents: ",
                    common::plural(s.failure_count, "operation"),
                    a.recent_failures.len()
                )),
                link("#/failures".to_string(), "see Failures".to_string()),
                lit("."),
            ],
        )
    } else if failures.is_empty() {
        common::empty("No failures of this agent.")
    } else {
        el(
            "ul",
            "ops",
            failures
                .iter()
                .map(|f| {
                    let mut item = vec![
                        el("strong", "", vec![text(f.kind.clone())]),
                        text(format!(" {} · ", f.id)),
                        text(
                            f.error_type
                                .clone()
                                .unwrap_or_else(|| "unclassified".into()),
                        ),
                        muted_span(format!(" · {}", format::datetime(f.start.as_deref()))),
                    ];
                    if let Some(m) = &f.error_message {
                        item.push(muted(m.clone()));
                    }
                    el_attrs("li", &["data-op"], vec![f.id.clone().into()], item)
                })
                .collect(),
        )
    };
    el_attrs(
        "section",
        &["class", "data-view", "data-agent"],
        vec![
            "view agents".into(),
            "agent".into(),
            name.to_string().into(),
        ],
        vec![
            back,
            el("h2", "", vec![text(format!("Agent {name}"))]),
            kpis,
            el(
                "div",
                "grid two",
                vec![
                    panel("efficiency", "Efficiency score".into(), efficiency),
                    panel("quality", "Output".into(), vec![quality]),
                ],
            ),
            profile(a, name),
            agent_trends(a, name),
            panel("kinds", "Work by kind".into(), vec![kinds_body]),
            panel(
                "agent_failures",
                "Recent failures".into(),
                vec![failures_body],
            ),
        ],
    )
}

fn trend_value(series: &str, v: Option<f64>) -> String {
    if series.contains("rate") || series == "test_coverage" {
        format::pct(v)
    } else if series.contains("duration") {
        format::duration(v)
    } else {
        format::num(v)
    }
}

fn trend_table(
    id: &'static str,
    trends: &[&baton_core::analysis::Trend],
    slope_label: &'static str,
) -> Html {
    let rows = trends
        .iter()
        .map(|t| {
            let (word, tone) = common::direction(t.direction);
            tr(
                Some(format!("{}-{}", t.series, t.granularity)),
                vec![
                    td(format::words(&t.series)),
                    td(t.granularity.clone()),
                    el_attrs(
                        "td",
                        &["class", "data-direction"],
                        vec![tone.into(), word.into()],
                        vec![lit(word)],
                    ),
                    el_attrs(
                        "td",
                        &["class", "data-value"],
                        vec![
                            "num".into(),
                            t.current.map(|v| v.to_string()).unwrap_or_default().into(),
                        ],
                        vec![text(trend_value(&t.series, t.current))],
                    ),
                    num(format::change(t.change)),
                    el_attrs(
                        "td",
                        &["class", "data-slope"],
                        vec!["num".into(), t.slope.to_string().into()],
                        vec![text(format::num(Some(t.slope)))],
                    ),
                    num(trend_value(&t.series, t.volatility)),
                ],
            )
        })
        .collect();
    t::table(
        id.into(),
        &[
            ("Series", false),
            ("Per", false),
            ("Direction", false),
            ("Latest", true),
            ("Change", true),
            (slope_label, true),
            ("Volatility (std. dev.)", true),
        ],
        rows,
    )
}

/// The agent's success-rate and duration trends, and the quality trends.
fn agent_trends(a: &Analysis, name: &str) -> Html {
    let mine: Vec<_> = a
        .agent_trends
        .get(name)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    let quality: Vec<_> = a.quality_trends.iter().collect();
    el(
        "div",
        "grid two",
        vec![
            panel(
                "agent_trends",
                "Trends of this agent".into(),
                vec![if mine.is_empty() {
                    common::empty("No trend: it needs this agent's finished operations with start times on at least two days.")
                } else {
                    trend_table("agent_trends", &mine, "Slope per period")
                }],
            ),
            panel(
                "quality_trends",
                "Quality trends (agents in scope)".into(),
                vec![if quality.is_empty() {
                    common::empty("No quality trend: dated agent profiles with code quality, test coverage or security scores (seed 001), or operations with a quality score, on at least two days fill this.")
                } else {
                    trend_table("quality_trends", &quality, "Improvement per day")
                }],
            ),
        ],
    )
}

fn network(a: &Analysis) -> Html {
    let Some(c) = a
        .communication
        .as_ref()
        .filter(|c| !c.edges.is_empty() || !c.messages_by_agent.is_empty())
    else {
        return Html::default();
    };
    let mut body = vec![if c.edges.is_empty() {
        common::empty("The data counts messages per agent but not between agents.")
    } else {
        t::table(
            "collaboration".into(),
            &[("From", false), ("To", false), ("Messages", true)],
            c.edges
                .iter()
                .map(|(from, to, n)| {
                    tr(
                        Some(format!("{from}->{to}")),
                        vec![td(from.clone()), td(to.clone()), num(format::int(*n))],
                    )
                })
                .collect(),
        )
    }];
    if !c.messages_by_agent.is_empty() {
        body.push(el(
            "p",
            "muted",
            vec![text(format!(
                "Messages sent: {}",
                c.messages_by_agent
                    .iter()
                    .map(|(ag, n)| format!("{ag} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))],
        ));
    }
    panel(
        "collaboration",
        "Collaboration: who messages whom".into(),
        body,
    )
}

fn profile(a: &Analysis, name: &str) -> Html {
    let Some(p) = a.agent_profiles.get(name) else {
        return panel(
            "profile",
            "Recorded profile".into(),
            vec![common::empty("No recorded profile: code quality, test coverage, security score, messages and collaboration score come from droid performance metrics (seed 001).")],
        );
    };
    let pct = |v: Option<f64>| text(format::pct(v));
    // Scores are recorded either as fractions (0.8) or out of 100 (82).
    let score = |v: Option<f64>| match v {
        Some(x) if x <= 1.0 => format::pct(Some(x)),
        _ => format::num(v),
    };
    let kpi_span = |kpi: &'static str, v: String| {
        el_attrs("span", &["data-kpi"], vec![kpi.into()], vec![text(v)])
    };
    let mut facts = Vec::new();
    if !p.task_types.is_empty() {
        facts.push(el(
            "li",
            "",
            vec![text(format!("Task types: {}", p.task_types.join(", ")))],
        ));
    }
    facts.push(fact(
        "Completion rate: ",
        "",
        format::pct(p.completion_rate),
        vec![
            lit(" · error rate "),
            pct(p.error_rate),
            lit(" · retry rate "),
            pct(p.retry_rate),
        ],
    ));
    facts.push(el(
        "li",
        "",
        vec![
            lit("Average task duration: "),
            text(format::duration(p.average_task_duration)),
        ],
    ));
    facts.push(fact(
        "Quality score: ",
        "",
        score(p.quality_score),
        vec![
            lit(" · code quality "),
            kpi_span("code_quality", score(p.code_quality_score)),
            lit(" · test coverage "),
            kpi_span("test_coverage", score(p.test_coverage)),
            lit(" · security score "),
            kpi_span("security_score", score(p.security_score)),
            lit(" · security issues "),
            text(format::opt_count(p.security_issues)),
        ],
    ));
    facts.push(el(
        "li",
        "",
        vec![
            lit("Files created: "),
            text(format::opt_count(p.files_created)),
        ],
    ));
    facts.push(el(
        "li",
        "",
        vec![
            lit("Messages sent / received: "),
            text(format::opt_count(p.messages_sent)),
            lit(" / "),
            text(format::opt_count(p.messages_received)),
            lit(" · response time "),
            text(format::duration(p.response_time)),
            lit(" · collaboration score "),
            text(score(p.collaboration_score)),
        ],
    ));
    panel(
        "profile",
        format!(
            "Recorded profile ({})",
            common::plural(p.profiles, "record")
        )
        .into(),
        vec![el("ul", "facts", facts)],
    )
}
