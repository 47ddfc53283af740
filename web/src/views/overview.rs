//! Overview: the seed 000 dashboard. Status and span of the data, today's
//! activity, 7-day KPI cards with ratings and change, costs, current work,
//! recent completions, health, insights and the daily charts.

use std::rc::Rc;

use baton_core::analysis::{Analysis, FiguresFrom, OperationRef};
use baton_core::model::Outcome;
use yew::prelude::*;

use super::common::{self, Better};
use super::ViewProps;
use crate::charts::{Chart, Plot, Series, Tone, Unit};
use crate::format;

/// The Overview view.
#[function_component(OverviewView)]
pub fn overview_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    let gran = use_state(|| "day");
    html! {
        <section class="view overview" data-view="overview">
            <h2>{ "Overview" }</h2>
            { status(a) }
            if a.figures_from == FiguresFrom::Aggregates {
                <p class="note" data-note="figures_from_aggregates">{ "No raw operations in this period: the figures below come from the pre-aggregated reports loaded (listed at the bottom)." }</p>
            }
            <div class="grid two">
                { today(a) }
                { costs(a) }
            </div>
            { performance(a) }
            { pipelines(a) }
            <div class="grid two">
                { current_work(a) }
                { recent(&a.recent_completions) }
            </div>
            <div class="grid two">
                { health(a) }
                { insights(a) }
            </div>
            { charts(a, &gran) }
            { communication(a) }
            { trends(a) }
            { aggregates(a) }
        </section>
    }
}

fn status(a: &Analysis) -> Html {
    let running = a.overall.running > 0 || !a.active_sessions.is_empty();
    // The mode of the latest session that records one.
    let mode = a.operating_mode.clone();
    let span = common::span_seconds(a.data_span.start.as_deref(), a.data_span.end.as_deref());
    let (hw, ht) = common::health(a.health.status);
    html! {
        <div class="panel status-bar" data-section="status">
            <span>{ "Status: " }
                <strong data-kpi="status">{ if running { "Running" } else { "Idle (nothing running)" } }</strong></span>
            <span>{ "Mode: " }<strong data-kpi="mode">{ mode.unwrap_or_else(|| "— (no session records a mode)".to_string()) }</strong></span>
            <span>{ "Data: " }
                <strong data-kpi="span_start">{ format::datetime(a.data_span.start.as_deref()) }</strong>
                { " → " }
                <strong data-kpi="span_end">{ format::datetime(a.data_span.end.as_deref()) }</strong></span>
            <span>{ "Span: " }<strong data-kpi="uptime">{ format::duration(span) }</strong></span>
            <span>{ "Health: " }<strong class={ht} data-kpi="health">{ hw }</strong></span>
            if let Some(p) = a.period_days {
                <span>{ "Period: " }<strong data-kpi="period">{ format!("{p} days to {}", format::datetime(a.now.as_deref())) }</strong></span>
            }
        </div>
    }
}

fn today(a: &Analysis) -> Html {
    let t = &a.today;
    let budget = a.costs.daily_budget;
    let cost = t.cost.or(a.costs.today);
    let share = match (cost, budget) {
        (Some(c), Some(b)) if b > 0.0 => Some(c / b),
        _ => None,
    };
    html! {
        <div class="panel" data-section="today">
            <h3>{ "Today" }{ t.start.as_deref().map(|s| format!(" ({})", format::date(Some(s)))).unwrap_or_default() }</h3>
            <ul class="facts">
                <li>{ "Operations: " }<strong data-kpi="today_operations">{ format::int(t.total_operations) }</strong>
                    { format!(" ({} success, {} failed)", format::int(t.succeeded), format::int(t.failed)) }</li>
                if t.work_items > 0 {
                    <li>{ "Issues processed: " }<strong data-kpi="today_work_items">{ format::int(t.work_items) }</strong>
                        { format!(" ({} success, {} failed)", format::int(t.work_items_succeeded), format::int(t.work_items_failed)) }</li>
                } else {
                    <li class="muted">{ "Issues processed: — (no work items recorded today; run logger and orchestrator reports carry them)" }</li>
                }
                <li>{ "PRs merged: " }<strong data-kpi="today_prs_merged">{ format::opt_count(t.prs_merged) }</strong></li>
                <li>{ "Cost: " }<strong data-kpi="today_cost">{ format::usd(cost) }</strong>
                    { " / " }<span data-kpi="daily_budget">{ budget.map(|b| format::usd(Some(b))).unwrap_or_else(|| "no budget set (Settings)".to_string()) }</span>
                    if let Some(s) = share {
                        <meter min="0" max="1" low="0.7" high="0.9" optimum="0" value={s.min(1.0).to_string()}
                            aria-label={format!("{} of the daily budget", format::pct(Some(s)))}></meter>
                    }
                </li>
            </ul>
        </div>
    }
}

fn costs(a: &Analysis) -> Html {
    let c = &a.costs;
    html! {
        <div class="panel" data-section="costs">
            <h3>{ "Costs" }</h3>
            if c.total_cost.is_none() && c.unpriced_models.is_empty() {
                { common::empty("No cost data: records with a cost or with tokens and a priced model fill this.") }
            } else {
                <ul class="facts">
                    <li>{ "Last 7 days: " }<strong data-kpi="cost_7d">{ format::usd(c.last_7_days) }</strong></li>
                    <li>{ "Last 30 days: " }<strong data-kpi="cost_30d">{ format::usd(c.last_30_days) }</strong></li>
                    <li>{ "Monthly projection: " }<strong data-kpi="monthly_projection">{ format::usd(c.monthly_projection) }</strong></li>
                    <li>{ "Per operation: " }<strong data-kpi="cost_per_operation">{ format::usd(c.avg_cost_per_operation) }</strong></li>
                    if !c.unpriced_models.is_empty() {
                        <li class="tone-warn">{ format!("Unpriced models (cost unknown): {}", c.unpriced_models.join(", ")) }</li>
                    }
                </ul>
            }
        </div>
    }
}

fn performance(a: &Analysis) -> Html {
    let (w, p) = (&a.last_7_days, &a.previous_7_days);
    let ch = |c: Option<f64>, q: Option<f64>, b: Better| {
        html! { <div class="kpi-change">{ common::change(format::relative(c, q), b) }<span class="muted">{ " vs previous 7 days" }</span></div> }
    };
    if w.total_operations == 0 {
        return html! {
            <div class="panel" data-section="performance">
                <h3>{ "Performance (7 days)" }</h3>
                { common::empty("No finished operations in the 7 days ending at \"now\". Load more recent data or set \"now\" in Settings.") }
            </div>
        };
    }
    html! {
        <div class="panel" data-section="performance">
            <h3>{ format!("Performance (7 days, {} operations)", format::int(w.total_operations)) }</h3>
            <div class="kpi-grid">
                { common::kpi("success_rate", "Success rate", format::pct(w.success_rate),
                    w.success_rate.map(common::rate_success), ch(w.success_rate, p.success_rate, Better::Higher)) }
                { common::kpi("avg_duration", "Avg operation time", format::duration(w.avg_duration),
                    None, ch(w.avg_duration, p.avg_duration, Better::Lower)) }
                { common::kpi("cache_hit_rate", "Cache hit rate", format::pct(w.cache_hit_rate),
                    w.cache_hit_rate.map(common::rate_cache_hit), ch(w.cache_hit_rate, p.cache_hit_rate, Better::Higher)) }
                { common::kpi("error_rate", "Error rate", format::pct(w.error_rate),
                    w.error_rate.map(common::rate_error), ch(w.error_rate, p.error_rate, Better::Lower)) }
                { integration(a) }
            </div>
        </div>
    }
}

/// Integration success rate (seed 001) where the data records it.
fn integration(a: &Analysis) -> Html {
    match &a.integration {
        Some(i) => common::kpi(
            "integration_success_rate",
            "Integration success",
            format::pct(i.success_rate),
            None,
            html! { <div class="muted">{ format!("{} of {} {} clean, {} conflicts", i.succeeded, i.total,
            if i.from == "integrations" { "integrations" } else { "operations reporting conflicts" }, i.conflicts) }</div> },
        ),
        None => html! {
            <div class="kpi muted" data-kpi-empty="integration_success_rate">
                { "Integration success: — (synthesis results or operations with conflict counts, as in seed 001, fill this)" }
            </div>
        },
    }
}

fn pipelines(a: &Analysis) -> Html {
    let (p, d, wi) = (&a.pipelines, &a.debugging, &a.work_items);
    if p.attempts == 0 && d.cycles == 0 && wi.processed == 0 {
        return Html::default();
    }
    html! {
        <div class="panel" data-section="work">
            <h3>{ "Work items, pipelines and debugging" }</h3>
            <div class="kpi-grid">
                { common::kpi("work_items", "Work items", format::int(wi.processed), None,
                    html! { <div class="muted">{ format!("{} succeeded, {} failed, {} PRs merged", wi.succeeded, wi.failed, format::opt_count(wi.prs_merged)) }</div> }) }
                { common::kpi("first_pass_rate", "Pipeline first-pass rate", format::pct(p.first_pass_rate), None,
                    html! { <div class="muted">{ format!("{} attempts, {} passed", p.attempts, p.succeeded) }</div> }) }
                { common::kpi("pipeline_success_rate", "Pipeline success rate", format::pct(p.success_rate), None, Html::default()) }
                { common::kpi("cycles_per_work_item", "Debugging cycles per work item", format::num(d.cycles_per_work_item), None,
                    html! { <div class="muted">{ format!("{} cycles, {} resolved", d.cycles, format::pct(d.success_rate)) }</div> }) }
            </div>
        </div>
    }
}

fn op_line(o: &OperationRef) -> Html {
    html! {
        <li data-op={o.id.clone()}>
            <strong>{ o.kind.clone() }</strong>{ ": " }{ o.id.clone() }
            <span class="muted">{ format!(" · {} · {}", o.agent, format::datetime(o.start.as_deref())) }</span>
            if o.outcome != Outcome::Running {
                { " " }{ common::outcome_badge(o.outcome) }
                <span class="muted">{ format!(" {}", format::duration(o.duration)) }</span>
            }
        </li>
    }
}

fn current_work(a: &Analysis) -> Html {
    let running: Vec<_> = a.active_sessions.iter().collect();
    html! {
        <div class="panel" data-section="current_work">
            <h3>{ format!("Current work ({} running)", a.overall.running) }</h3>
            if a.current_work.is_empty() && running.is_empty() {
                { common::empty("Nothing running at \"now\". Operations and sessions with a running status appear here.") }
            }
            if !running.is_empty() {
                <ul class="sessions-running">
                    { for running.iter().map(|s| html! {
                        <li data-session={s.id.clone()}>
                            <a href={format!("#/sessions/{}", common::encode_arg(&s.id))}>{ s.id.clone() }</a>
                            if let Some(p) = &s.current_phase { { format!(" · phase {p}") } }
                            if let Some(p) = s.progress {
                                { " " }<progress max="1" value={p.to_string()} aria-label="progress"></progress>
                                { format!(" {}", format::pct(Some(p))) }
                            }
                            if !s.active_agents.is_empty() {
                                { format!(" · agents: {}", s.active_agents.join(", ")) }
                            }
                            if let Some(c) = s.conflicts.filter(|c| *c > 0) {
                                <span class="tone-warn">{ format!(" · {c} conflicts") }</span>
                            }
                        </li>
                    }) }
                </ul>
            }
            <ul class="ops">{ for a.current_work.iter().take(20).map(op_line) }</ul>
        </div>
    }
}

fn recent(ops: &[OperationRef]) -> Html {
    html! {
        <div class="panel" data-section="recent_completions">
            <h3>{ "Recent completions" }</h3>
            if ops.is_empty() {
                { common::empty("No finished operations yet.") }
            } else {
                <ul class="ops">{ for ops.iter().take(10).map(op_line) }</ul>
            }
        </div>
    }
}

fn health(a: &Analysis) -> Html {
    let (word, tone) = common::health(a.health.status);
    html! {
        <div class="panel" data-section="health">
            <h3>{ "Health" }</h3>
            <p class={classes!("health-status", tone)} data-kpi="health_status">
                { match a.health.status {
                    baton_core::analysis::HealthStatus::Healthy => "✔ healthy: all systems operational".to_string(),
                    _ => format!("⚠ {word}"),
                } }
            </p>
            if !a.health.reasons.is_empty() {
                <ul>{ for a.health.reasons.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ul>
            }
            if !a.alerts.is_empty() {
                <p><a href="#/alerts">{ format!("{} alerts", a.alerts.len()) }</a></p>
            }
        </div>
    }
}

fn insights(a: &Analysis) -> Html {
    html! {
        <div class="panel" data-section="insights">
            <h3>{ "Insights" }</h3>
            if a.insights.is_empty() {
                { common::empty("No insights: run logger data (seed 002: runs, issues, pipelines, debugging cycles) answers which model works best, the first-pass share, cycles per issue and the agent with most retries.") }
            } else {
                <ul data-list="insights">{ for a.insights.iter().map(|i| html! { <li>{ i.clone() }</li> }) }</ul>
            }
        </div>
    }
}

fn charts(a: &Analysis, gran: &UseStateHandle<&'static str>) -> Html {
    let buckets = match **gran {
        "hour" => &a.by_hour,
        "week" => &a.by_week,
        "month" => &a.by_month,
        _ => &a.by_day,
    };
    let labels: Vec<String> = match **gran {
        "hour" => buckets
            .iter()
            .map(|b| b.start.get(5..13).unwrap_or(&b.start).replace('T', " ") + "h")
            .collect(),
        "month" => buckets
            .iter()
            .map(|b| b.start.get(..7).unwrap_or(&b.start).to_string())
            .collect(),
        _ => common::day_labels(buckets),
    };
    let per = Rc::new(Plot::Bars {
        labels: labels.clone(),
        series: vec![
            Series {
                name: "Succeeded".into(),
                tone: Tone::Ok,
                values: buckets
                    .iter()
                    .map(|d| Some(d.success_count as f64))
                    .collect(),
            },
            Series {
                name: "Failed".into(),
                tone: Tone::Bad,
                values: buckets
                    .iter()
                    .map(|d| Some(d.failure_count as f64))
                    .collect(),
            },
        ],
    });
    let rate = Rc::new(Plot::Line {
        labels,
        series: vec![Series {
            name: "Success rate".into(),
            tone: Tone::Ok,
            values: buckets.iter().map(|d| d.success_rate).collect(),
        }],
    });
    let button = |g: &'static str, label: &'static str| {
        let gran = gran.clone();
        let pressed = *gran == g;
        html! {
            <button type="button" data-granularity={g} aria-pressed={pressed.to_string()}
                class={classes!(pressed.then_some("active"))}
                onclick={Callback::from(move |_| gran.set(g))}>{ label }</button>
        }
    };
    let category = match **gran {
        "hour" => "Hour (UTC)",
        "week" => "Week (UTC, from Monday)",
        "month" => "Month (UTC)",
        _ => "Day (UTC)",
    };
    let empty = "No time series: operations with start times fill this chart.";
    html! {
        <div class="panel" data-section="time_series" data-granularity-shown={(*gran).to_string()}>
            <div class="toolbar" role="group" aria-label="Breakdown">
                { "Breakdown: " }
                { button("hour", "By hour") }{ button("day", "By day") }
                { button("week", "By week") }{ button("month", "By month") }
                <span class="muted" data-buckets={buckets.len().to_string()}>{ format!(" {} buckets", buckets.len()) }</span>
            </div>
            <div class="grid two charts">
                <Chart id="ops_per_day" title={format!("Operations per {} by outcome", **gran)} plot={per} unit={Unit::Count}
                    value_label="Operations" category_label={category} empty={empty} />
                <Chart id="success_rate_over_time" title={format!("Success rate per {}", **gran)} plot={rate} unit={Unit::Percent}
                    value_label="Success rate (%)" category_label={category} empty={empty} />
            </div>
        </div>
    }
}

fn aggregates(a: &Analysis) -> Html {
    if a.aggregates.is_empty() {
        return Html::default();
    }
    html! {
        <div class="panel" data-section="aggregates">
            <h3>{ "Pre-aggregated figures" }</h3>
            <p class="muted">{ "As the files recorded them; used for the totals only when the period has no raw operations, never added to them." }</p>
            <div class="table-wrap">
            <table class="data" data-table="aggregates">
                <thead><tr><th scope="col">{ "File" }</th><th scope="col">{ "Document" }</th><th scope="col">{ "Covers" }</th>
                    <th scope="col">{ "Period" }</th><th scope="col" class="num">{ "Operations" }</th><th scope="col" class="num">{ "Success rate" }</th>
                    <th scope="col" class="num">{ "Avg duration" }</th><th scope="col" class="num">{ "Cost" }</th><th scope="col" class="num">{ "Tokens" }</th>
                    <th scope="col">{ "Used" }</th></tr></thead>
                <tbody>
                    { for a.aggregates.iter().map(|g| html! {
                        <tr>
                            <td>{ g.source.clone() }</td><td>{ format::words(&g.origin) }</td>
                            <td>{ match &g.name { Some(n) => format!("{} {n}", g.scope), None => g.scope.clone() } }</td>
                            <td>{ format!("{} → {}", format::datetime(g.period_start.as_deref()), format::datetime(g.period_end.as_deref())) }</td>
                            <td class="num">{ format::opt_count(g.count) }</td>
                            <td class="num">{ common::rated_pct(g.success_rate, common::rate_success) }</td>
                            <td class="num">{ format::duration(g.avg_duration) }</td>
                            <td class="num">{ format::usd(g.total_cost) }</td>
                            <td class="num">{ format::tokens(g.total_tokens) }</td>
                            <td>{ if g.used { "yes" } else { "no" } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
        </div>
    }
}

fn trends(a: &Analysis) -> Html {
    if a.trends.is_empty() {
        return Html::default();
    }
    let value = |series: &str, v: Option<f64>| -> String {
        let s = series.to_ascii_lowercase();
        if s.contains("rate") {
            format::pct(v)
        } else if s.contains("cost") {
            format::usd(v)
        } else if s.contains("duration") {
            format::duration(v)
        } else if s.contains("token") {
            format::tokens(v.map(|x| x.max(0.0).round() as u64))
        } else {
            format::num(v)
        }
    };
    html! {
        <div class="panel" data-section="trends">
            <h3>{ "Trends" }</h3>
            <p class="muted">{ "Direction: the slope of a least-squares fit over every day or week of the period (a 2 % dead band counts as stable). Last change: the latest day or week against the one before it, so a declining series can still end on a rise." }</p>
            <table class="data" data-table="trends">
                <thead><tr><th scope="col">{ "Series" }</th><th scope="col">{ "Per" }</th><th scope="col">{ "Direction (period)" }</th>
                    <th scope="col" class="num">{ "Latest" }</th><th scope="col" class="num">{ "Last change" }</th>
                    <th scope="col" class="num">{ "Volatility" }</th></tr></thead>
                <tbody>
                    { for a.trends.iter().map(|t| {
                        let (word, tone) = common::direction(t.direction);
                        html! {
                            <tr data-row={format!("{}-{}", t.series, t.granularity)}>
                                <td>{ format::words(&t.series) }</td><td>{ t.granularity.clone() }</td>
                                <td class={tone} data-direction={word}>{ word }</td>
                                <td class="num">{ value(&t.series, t.current) }</td>
                                <td class="num">{ format::change(t.change) }</td>
                                <td class="num">{ value(&t.series, t.volatility) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn communication(a: &Analysis) -> Html {
    let Some(c) = &a.communication else {
        return Html::default();
    };
    html! {
        <div class="panel" data-section="communication">
            <h3>{ "Communication" }</h3>
            <ul class="facts">
                <li>{ "Messages: " }<strong data-kpi="messages">{ format::int(c.total_messages) }</strong>
                    if !c.messages_by_type.is_empty() {
                        { format!(" ({})", c.messages_by_type.iter().map(|(t, n)| format!("{} {}", format::words(t), n)).collect::<Vec<_>>().join(", ")) }
                    }
                </li>
                <li>{ "Mean response time: " }<strong data-kpi="response_time">{ format::duration(c.average_response_time) }</strong></li>
                if let Some(e) = c.efficiency {
                    <li>{ "Communication efficiency (as recorded): " }<strong>{ format::num(Some(e)) }</strong></li>
                }
            </ul>
            <p><a href="#/agents">{ "Who messages whom: Agents" }</a></p>
        </div>
    }
}
