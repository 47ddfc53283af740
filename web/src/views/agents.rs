//! Agents: the sortable agent table, the seed 003 success-rate bar chart and,
//! at `#/agents/<name>`, one agent's detail (efficiency score and its inputs,
//! output quality, the kinds it works on, its recent failures).

use std::rc::Rc;

use baton_core::analysis::{Analysis, GroupStats};
use yew::prelude::*;

use super::common;
use super::table::{Column, Key, Row, SortTable};
use super::ViewProps;
use crate::charts::{Chart, HBar, Plot, Tone, Unit};
use crate::format;

/// The Agents view.
#[function_component(AgentsView)]
pub fn agents_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    if let Some(name) = props.arg.as_deref().map(common::decode_arg) {
        return detail(a, &name);
    }
    if a.agents.is_empty() {
        return html! {
            <section class="view agents" data-view="agents">
                <h2>{ "Agents" }</h2>
                { common::empty("No agent data: operations, tasks or agent executions naming their agent fill this view.") }
            </section>
        };
    }
    html! {
        <section class="view agents" data-view="agents">
            <h2>{ "Agents" }</h2>
            { table(a) }
            { chart(a) }
            { network(a) }
        </section>
    }
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
                    html! { <a href={format!("#/agents/{}", common::encode_arg(name))}>{ name.clone() }</a> },
                    html! { { format::int(s.count) } },
                    common::rated_pct(s.success_rate, common::rate_success),
                    html! { { format::duration(s.avg_duration) } },
                    html! { { format::duration(s.min_duration) } },
                    html! { { format::duration(s.max_duration) } },
                    html! { { format::duration(s.p95_duration) } },
                    html! { { format::int(s.retries) } },
                    html! { { format::tokens(s.total_tokens) } },
                    html! { { format::usd(s.total_cost) } },
                    html! { { format::num(eff) } },
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
    html! {
        <Chart id="agent_success" title="Success rate per agent" {plot} unit={Unit::Percent}
            value_label="Success rate (%)" {height}
            empty="No finished operations per agent yet." />
    }
}

fn detail(a: &Analysis, name: &str) -> Html {
    let back = html! { <p><a href="#/agents">{ "← All agents" }</a></p> };
    let Some(s) = a.agents.get(name) else {
        return html! {
            <section class="view agents" data-view="agent">
                { back }
                <h2>{ "Agent" }</h2>
                { common::empty(&format!("No agent named \"{name}\" in the current analysis (check the filters and period).")) }
            </section>
        };
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
    html! {
        <section class="view agents" data-view="agent" data-agent={name.to_string()}>
            { back }
            <h2>{ format!("Agent {name}") }</h2>
            <div class="kpi-grid">
                { common::kpi("count", "Operations", format::int(s.count), None,
                    html! { <div class="muted">{ format!("{} succeeded, {} failed, {} running", s.success_count, s.failure_count, s.running) }</div> }) }
                { common::kpi("success_rate", "Success rate", format::pct(s.success_rate), s.success_rate.map(common::rate_success), Html::default()) }
                { common::kpi("avg_duration", "Avg duration", format::duration(s.avg_duration), None,
                    html! { <div class="muted">{ format!("min {} · p50 {} · p95 {} · max {}", format::duration(s.min_duration), format::duration(s.p50_duration), format::duration(s.p95_duration), format::duration(s.max_duration)) }</div> }) }
                { common::kpi("retries", "Retries", format::int(s.retries), None,
                    html! { <div class="muted">{ format!("retry rate {}", format::pct(s.retry_rate)) }</div> }) }
                { common::kpi("tokens", "Tokens", format::tokens(s.total_tokens), None, Html::default()) }
                { common::kpi("cost", "Cost", format::usd(s.total_cost), None, Html::default()) }
            </div>
            <div class="grid two">
                <div class="panel" data-section="efficiency">
                    <h3>{ "Efficiency score" }</h3>
                    { match eff {
                        Some(e) => html! {
                            <>
                            <p class="big" data-kpi="efficiency">{ format::num(e.score) }<span class="muted">{ " / 100" }</span></p>
                            <table class="data" data-table="efficiency_inputs">
                                <thead><tr><th scope="col">{ "Input" }</th><th scope="col" class="num">{ "Value" }</th><th scope="col" class="num">{ "Seed weight" }</th></tr></thead>
                                <tbody>
                                    { for e.inputs.iter().map(|i| html! {
                                        <tr data-row={i.name.clone()}><td>{ format::words(&i.name) }</td>
                                            <td class="num">{ format::pct(Some(i.value)) }</td>
                                            <td class="num">{ format::num(Some(i.weight * 100.0)) }{ " %" }</td></tr>
                                    }) }
                                </tbody>
                            </table>
                            if !e.missing.is_empty() {
                                <p class="muted" data-list="efficiency_missing">{ format!("Not in the data, re-weighted out: {}.",
                                    e.missing.iter().map(|m| format::words(m)).collect::<Vec<_>>().join(", ")) }</p>
                            }
                            if let Some(c) = e.collaboration_effectiveness {
                                <p>{ "Collaboration effectiveness: " }<strong data-kpi="collaboration">{ format::num(Some(c)) }</strong>{ " / 100" }</p>
                            }
                            </>
                        },
                        None => common::empty("No efficiency score: it needs completion, quality, collaboration, error or response-time figures for this agent."),
                    } }
                </div>
                <div class="panel" data-section="quality">
                    <h3>{ "Output" }</h3>
                    <ul class="facts">
                        <li>{ "Files created: " }<strong>{ format::opt_count(s.files_created) }</strong></li>
                        <li>{ "Files modified: " }<strong>{ format::opt_count(s.files_modified) }</strong></li>
                        <li>{ "Mean quality score: " }<strong data-kpi="quality">{ format::num(s.avg_quality_score) }</strong></li>
                        <li>{ "Conflicts: " }<strong>{ format::opt_count(s.conflicts) }</strong></li>
                        <li>{ "Self-healed: " }<strong>{ format::opt_count(s.self_healed) }</strong></li>
                        <li>{ "Cache hit rate: " }{ common::rated_pct(s.cache_hit_rate, common::rate_cache_hit) }</li>
                    </ul>
                </div>
            </div>
            { profile(a, name) }
            { agent_trends(a, name) }
            <div class="panel" data-section="kinds">
                <h3>{ "Work by kind" }</h3>
                if kinds.is_empty() {
                    { common::empty("No operation kinds recorded for this agent.") }
                } else {
                    <table class="data" data-table="agent_kinds">
                        <thead><tr><th scope="col">{ "Kind" }</th><th scope="col" class="num">{ "Operations" }</th>
                            <th scope="col" class="num">{ "Success rate" }</th><th scope="col" class="num">{ "Avg" }</th></tr></thead>
                        <tbody>
                            { for kinds.iter().map(|(k, ks)| html! {
                                <tr data-row={(*k).clone()}><td>{ (*k).clone() }</td><td class="num">{ format::int(ks.count) }</td>
                                    <td class="num">{ common::rated_pct(ks.success_rate, common::rate_success) }</td>
                                    <td class="num">{ format::duration(ks.avg_duration) }</td></tr>
                            }) }
                        </tbody>
                    </table>
                }
            </div>
            <div class="panel" data-section="agent_failures">
                <h3>{ "Recent failures" }</h3>
                if failures.is_empty() && s.failure_count > 0 {
                    // recent_failures holds the latest failures of all agents only.
                    <p class="empty" data-note="older_failures">
                        { format!("{} failed, none among the {} latest failures of all agents: ", common::plural(s.failure_count, "operation"), a.recent_failures.len()) }
                        <a href="#/failures">{ "see Failures" }</a>{ "." }
                    </p>
                } else if failures.is_empty() {
                    { common::empty("No failures of this agent.") }
                } else {
                    <ul class="ops">
                        { for failures.iter().map(|f| html! {
                            <li data-op={f.id.clone()}><strong>{ f.kind.clone() }</strong>{ format!(" {} · ", f.id) }
                                { f.error_type.clone().unwrap_or_else(|| "unclassified".into()) }
                                <span class="muted">{ format!(" · {}", format::datetime(f.start.as_deref())) }</span>
                                if let Some(m) = &f.error_message { <div class="muted">{ m.clone() }</div> }
                            </li>
                        }) }
                    </ul>
                }
            </div>
        </section>
    }
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

fn trend_table(id: &str, trends: &[&baton_core::analysis::Trend], slope_label: &str) -> Html {
    html! {
        <table class="data" data-table={id.to_string()}>
            <thead><tr><th scope="col">{ "Series" }</th><th scope="col">{ "Per" }</th><th scope="col">{ "Direction" }</th>
                <th scope="col" class="num">{ "Latest" }</th><th scope="col" class="num">{ "Change" }</th>
                <th scope="col" class="num">{ slope_label.to_string() }</th><th scope="col" class="num">{ "Volatility (std. dev.)" }</th></tr></thead>
            <tbody>
                { for trends.iter().map(|t| {
                    let (word, tone) = common::direction(t.direction);
                    html! {
                        <tr data-row={format!("{}-{}", t.series, t.granularity)}>
                            <td>{ format::words(&t.series) }</td><td>{ t.granularity.clone() }</td>
                            <td class={tone} data-direction={word}>{ word }</td>
                            <td class="num" data-value={t.current.map(|v| v.to_string()).unwrap_or_default()}>{ trend_value(&t.series, t.current) }</td>
                            <td class="num">{ format::change(t.change) }</td>
                            <td class="num" data-slope={t.slope.to_string()}>{ format::num(Some(t.slope)) }</td>
                            <td class="num">{ trend_value(&t.series, t.volatility) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// The agent's success-rate and duration trends, and the quality trends.
fn agent_trends(a: &Analysis, name: &str) -> Html {
    let mine: Vec<_> = a
        .agent_trends
        .get(name)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    let quality: Vec<_> = a.quality_trends.iter().collect();
    html! {
        <div class="grid two">
            <div class="panel" data-section="agent_trends">
                <h3>{ "Trends of this agent" }</h3>
                if mine.is_empty() {
                    { common::empty("No trend: it needs this agent's finished operations with start times on at least two days.") }
                } else {
                    { trend_table("agent_trends", &mine, "Slope per period") }
                }
            </div>
            <div class="panel" data-section="quality_trends">
                <h3>{ "Quality trends (agents in scope)" }</h3>
                if quality.is_empty() {
                    { common::empty("No quality trend: dated agent profiles with code quality, test coverage or security scores (seed 001), or operations with a quality score, on at least two days fill this.") }
                } else {
                    { trend_table("quality_trends", &quality, "Improvement per day") }
                }
            </div>
        </div>
    }
}

fn network(a: &Analysis) -> Html {
    let Some(c) = a
        .communication
        .as_ref()
        .filter(|c| !c.edges.is_empty() || !c.messages_by_agent.is_empty())
    else {
        return Html::default();
    };
    html! {
        <div class="panel" data-section="collaboration">
            <h3>{ "Collaboration: who messages whom" }</h3>
            if c.edges.is_empty() {
                { common::empty("The data counts messages per agent but not between agents.") }
            } else {
                <table class="data" data-table="collaboration">
                    <thead><tr><th scope="col">{ "From" }</th><th scope="col">{ "To" }</th><th scope="col" class="num">{ "Messages" }</th></tr></thead>
                    <tbody>
                        { for c.edges.iter().map(|(from, to, n)| html! {
                            <tr data-row={format!("{from}->{to}")}><td>{ from.clone() }</td><td>{ to.clone() }</td><td class="num">{ format::int(*n) }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
            if !c.messages_by_agent.is_empty() {
                <p class="muted">{ format!("Messages sent: {}", c.messages_by_agent.iter().map(|(ag, n)| format!("{ag} {n}")).collect::<Vec<_>>().join(", ")) }</p>
            }
        </div>
    }
}

fn profile(a: &Analysis, name: &str) -> Html {
    let Some(p) = a.agent_profiles.get(name) else {
        return html! {
            <div class="panel" data-section="profile">
                <h3>{ "Recorded profile" }</h3>
                { common::empty("No recorded profile: code quality, test coverage, security score, messages and collaboration score come from droid performance metrics (seed 001).") }
            </div>
        };
    };
    let pct = |v: Option<f64>| format::pct(v);
    // Scores are recorded either as fractions (0.8) or out of 100 (82).
    let score = |v: Option<f64>| match v {
        Some(x) if x <= 1.0 => format::pct(Some(x)),
        _ => format::num(v),
    };
    html! {
        <div class="panel" data-section="profile">
            <h3>{ format!("Recorded profile ({})", common::plural(p.profiles, "record")) }</h3>
            <ul class="facts">
                if !p.task_types.is_empty() { <li>{ format!("Task types: {}", p.task_types.join(", ")) }</li> }
                <li>{ "Completion rate: " }<strong>{ pct(p.completion_rate) }</strong>{ " · error rate " }{ pct(p.error_rate) }{ " · retry rate " }{ pct(p.retry_rate) }</li>
                <li>{ "Average task duration: " }{ format::duration(p.average_task_duration) }</li>
                <li>{ "Quality score: " }<strong>{ score(p.quality_score) }</strong>
                    { " · code quality " }<span data-kpi="code_quality">{ score(p.code_quality_score) }</span>
                    { " · test coverage " }<span data-kpi="test_coverage">{ score(p.test_coverage) }</span>
                    { " · security score " }<span data-kpi="security_score">{ score(p.security_score) }</span>
                    { " · security issues " }{ format::opt_count(p.security_issues) }</li>
                <li>{ "Files created: " }{ format::opt_count(p.files_created) }</li>
                <li>{ "Messages sent / received: " }{ format::opt_count(p.messages_sent) }{ " / " }{ format::opt_count(p.messages_received) }
                    { " · response time " }{ format::duration(p.response_time) }
                    { " · collaboration score " }{ score(p.collaboration_score) }</li>
            </ul>
        </div>
    }
}
