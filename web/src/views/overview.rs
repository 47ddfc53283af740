//! Overview: the seed 000 dashboard. Status and span of the data, today's
//! activity, 7-day KPI cards with ratings and change, costs, current work,
//! recent completions, health, insights and the daily charts.

use std::rc::Rc;

use baton_core::analysis::{Analysis, FiguresFrom, OperationRef};
use baton_core::model::Outcome;
use yew::prelude::*;

use super::common::{
    self, button, el, el_attrs, fact, link, lit, muted, muted_span, panel, strong, text, Better,
};
use super::table::{num, num_html, table, td, tr};
use super::ViewProps;
use crate::charts::{self, ChartProps, Plot, Series, Tone, Unit};
use crate::format;

/// The Overview view.
#[function_component(OverviewView)]
pub fn overview_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    let gran = use_state(|| "day");
    let mut body = vec![status(a)];
    if a.figures_from == FiguresFrom::Aggregates {
        body.push(el_attrs(
            "p",
            &["class", "data-note"],
            vec!["note".into(), "figures_from_aggregates".into()],
            vec![lit("No raw operations in this period: the figures below come from the pre-aggregated reports loaded (listed at the bottom).")],
        ));
    }
    body.extend([
        el("div", "grid two", vec![today(a), costs(a)]),
        performance(a),
        pipelines(a),
        el(
            "div",
            "grid two",
            vec![current_work(a), recent(&a.recent_completions)],
        ),
        el("div", "grid two", vec![health(a), insights(a)]),
        charts(a, &gran),
        communication(a),
        trends(a),
        aggregates(a),
    ]);
    common::view("view overview", "overview", "Overview", body)
}

/// One item of the status bar: `<span>label<strong data-kpi=…>value</strong></span>`.
fn status_item(label: &'static str, kpi: &'static str, value: String) -> Html {
    el("span", "", vec![lit(label), strong(kpi, value)])
}

fn status(a: &Analysis) -> Html {
    let running = a.overall.running > 0 || !a.active_sessions.is_empty();
    // The mode of the latest session that records one.
    let mode = a.operating_mode.clone();
    let span = common::span_seconds(a.data_span.start.as_deref(), a.data_span.end.as_deref());
    let (hw, ht) = common::health(a.health.status);
    let mut items = vec![
        status_item(
            "Status: ",
            "status",
            if running {
                "Running"
            } else {
                "Idle (nothing running)"
            }
            .to_string(),
        ),
        status_item(
            "Mode: ",
            "mode",
            mode.unwrap_or_else(|| "— (no session records a mode)".to_string()),
        ),
        el(
            "span",
            "",
            vec![
                lit("Data: "),
                strong("span_start", format::datetime(a.data_span.start.as_deref())),
                lit(" → "),
                strong("span_end", format::datetime(a.data_span.end.as_deref())),
            ],
        ),
        status_item("Span: ", "uptime", format::duration(span)),
        el(
            "span",
            "",
            vec![
                lit("Health: "),
                el_attrs(
                    "strong",
                    &["class", "data-kpi"],
                    vec![ht.into(), "health".into()],
                    vec![lit(hw)],
                ),
            ],
        ),
    ];
    if let Some(p) = a.period_days {
        items.push(status_item(
            "Period: ",
            "period",
            format!("{p} days to {}", format::datetime(a.now.as_deref())),
        ));
    }
    el_attrs(
        "div",
        &["class", "data-section"],
        vec!["panel status-bar".into(), "status".into()],
        items,
    )
}

fn today(a: &Analysis) -> Html {
    let t = &a.today;
    let budget = a.costs.daily_budget;
    let cost = t.cost.or(a.costs.today);
    let share = match (cost, budget) {
        (Some(c), Some(b)) if b > 0.0 => Some(c / b),
        _ => None,
    };
    let title = format!(
        "Today{}",
        t.start
            .as_deref()
            .map(|s| format!(" ({})", format::date(Some(s))))
            .unwrap_or_default()
    );
    let split = |ok: u64, bad: u64| {
        vec![text(format!(
            " ({} success, {} failed)",
            format::int(ok),
            format::int(bad)
        ))]
    };
    let work = if t.work_items > 0 {
        fact(
            "Issues processed: ",
            "today_work_items",
            format::int(t.work_items),
            split(t.work_items_succeeded, t.work_items_failed),
        )
    } else {
        el("li", "muted", vec![lit("Issues processed: — (no work items recorded today; run logger and orchestrator reports carry them)")])
    };
    let mut cost_more = vec![
        lit(" / "),
        el_attrs(
            "span",
            &["data-kpi"],
            vec!["daily_budget".into()],
            vec![text(
                budget
                    .map(|b| format::usd(Some(b)))
                    .unwrap_or_else(|| "no budget set (Settings)".to_string()),
            )],
        ),
    ];
    if let Some(s) = share {
        cost_more.push(html! {
            <meter min="0" max="1" low="0.7" high="0.9" optimum="0" value={s.min(1.0).to_string()}
                aria-label={format!("{} of the daily budget", format::pct(Some(s)))}></meter>
        });
    }
    panel(
        "today",
        title.into(),
        vec![el(
            "ul",
            "facts",
            vec![
                fact(
                    "Operations: ",
                    "today_operations",
                    format::int(t.total_operations),
                    split(t.succeeded, t.failed),
                ),
                work,
                fact(
                    "PRs merged: ",
                    "today_prs_merged",
                    format::opt_count(t.prs_merged),
                    vec![],
                ),
                fact("Cost: ", "today_cost", format::usd(cost), cost_more),
            ],
        )],
    )
}

fn costs(a: &Analysis) -> Html {
    let c = &a.costs;
    let body = if c.total_cost.is_none() && c.unpriced_models.is_empty() {
        common::empty(
            "No cost data: records with a cost or with tokens and a priced model fill this.",
        )
    } else {
        let mut facts = vec![
            fact(
                "Last 7 days: ",
                "cost_7d",
                format::usd(c.last_7_days),
                vec![],
            ),
            fact(
                "Last 30 days: ",
                "cost_30d",
                format::usd(c.last_30_days),
                vec![],
            ),
            fact(
                "Monthly projection: ",
                "monthly_projection",
                format::usd(c.monthly_projection),
                vec![],
            ),
            fact(
                "Per operation: ",
                "cost_per_operation",
                format::usd(c.avg_cost_per_operation),
                vec![],
            ),
        ];
        if !c.unpriced_models.is_empty() {
            facts.push(el(
                "li",
                "tone-warn",
                vec![text(format!(
                    "Unpriced models (cost unknown): {}",
                    c.unpriced_models.join(", ")
                ))],
            ));
        }
        el("ul", "facts", facts)
    };
    panel("costs", "Costs".into(), vec![body])
}

/// The change of a 7-day KPI against the previous 7 days.
fn vs_previous(c: Option<f64>, q: Option<f64>, b: Better) -> Html {
    el(
        "div",
        "kpi-change",
        vec![
            common::change(format::relative(c, q), b),
            muted_span(" vs previous 7 days".to_string()),
        ],
    )
}

fn performance(a: &Analysis) -> Html {
    let (w, p) = (&a.last_7_days, &a.previous_7_days);
    if w.total_operations == 0 {
        return panel(
            "performance",
            "Performance (7 days)".into(),
            vec![common::empty("No finished operations in the 7 days ending at \"now\". Load more recent data or set \"now\" in Settings.")],
        );
    }
    panel(
        "performance",
        format!(
            "Performance (7 days, {} operations)",
            format::int(w.total_operations)
        )
        .into(),
        vec![el(
            "div",
            "kpi-grid",
            vec![
                common::kpi(
                    "success_rate",
                    "Success rate",
                    format::pct(w.success_rate),
                    w.success_rate.map(common::rate_success),
                    vs_previous(w.success_rate, p.success_rate, Better::Higher),
                ),
                common::kpi(
                    "avg_duration",
                    "Avg operation time",
                    format::duration(w.avg_duration),
                    None,
                    vs_previous(w.avg_duration, p.avg_duration, Better::Lower),
                ),
                common::kpi(
                    "cache_hit_rate",
                    "Cache hit rate",
                    format::pct(w.cache_hit_rate),
                    w.cache_hit_rate.map(common::rate_cache_hit),
                    vs_previous(w.cache_hit_rate, p.cache_hit_rate, Better::Higher),
                ),
                common::kpi(
                    "error_rate",
                    "Error rate",
                    format::pct(w.error_rate),
                    w.error_rate.map(common::rate_error),
                    vs_previous(w.error_rate, p.error_rate, Better::Lower),
                ),
                integration(a),
            ],
        )],
    )
}

/// Integration success rate (seed 001) where the data records it.
fn integration(a: &Analysis) -> Html {
    match &a.integration {
        Some(i) => common::kpi(
            "integration_success_rate",
            "Integration success",
            format::pct(i.success_rate),
            None,
            muted(format!(
                "{} of {} {} clean, {} conflicts",
                i.succeeded,
                i.total,
                if i.from == "integrations" {
                    "integrations"
                } else {
                    "operations reporting conflicts"
                },
                i.conflicts
            )),
        ),
        None => el_attrs(
            "div",
            &["class", "data-kpi-empty"],
 vec!["kpi muted".into(), "integration_success_rate".into()],
            vec![lit("Integration success: — (synthesis results or operations with conflict counts, as in seed 001, fill this)")],
        ),
    }
}

fn pipelines(a: &Analysis) -> Html {
    let (p, d, wi) = (&a.pipelines, &a.debugging, &a.work_items);
    if p.attempts == 0 && d.cycles == 0 && wi.processed == 0 {
        return Html::default();
    }
    panel(
        "work",
        "Work items, pipelines and debugging".into(),
        vec![el(
            "div",
            "kpi-grid",
            vec![
                common::kpi(
                    "work_items",
                    "Work items",
                    format::int(wi.processed),
                    None,
                    muted(format!(
                        "{} succeeded, {} failed, {} PRs merged",
                        wi.succeeded,
                        wi.failed,
                        format::opt_count(wi.prs_merged)
                    )),
                ),
                common::kpi(
                    "first_pass_rate",
                    "Pipeline first-pass rate",
                    format::pct(p.first_pass_rate),
                    None,
                    muted(format!("{} attempts, {} passed", p.attempts, p.succeeded)),
                ),
                common::kpi(
                    "pipeline_success_rate",
                    "Pipeline success rate",
                    format::pct(p.success_rate),
                    None,
                    Html::default(),
                ),
                common::kpi(
                    "cycles_per_work_item",
                    "Debugging cycles per work item",
                    format::num(d.cycles_per_work_item),
                    None,
                    muted(format!(
                        "{} cycles, {} resolved",
                        d.cycles,
                        format::pct(d.success_rate)
                    )),
                ),
            ],
        )],
    )
}

fn op_line(o: &OperationRef) -> Html {
    let mut children = vec![
        el("strong", "", vec![text(o.kind.clone())]),
        lit(": "),
        text(o.id.clone()),
        muted_span(format!(
            " · {} · {}",
            o.agent,
            format::datetime(o.start.as_deref())
        )),
    ];
    if o.outcome != Outcome::Running {
        children.push(lit(" "));
        children.push(common::outcome_badge(o.outcome));
        children.push(muted_span(format!(" {}", format::duration(o.duration))));
    }
    el_attrs("li", &["data-op"], vec![o.id.clone().into()], children)
}

fn current_work(a: &Analysis) -> Html {
    let running: Vec<_> = a.active_sessions.iter().collect();
    let mut body = Vec::new();
    if a.current_work.is_empty() && running.is_empty() {
        body.push(common::empty("Nothing running at \"now\". Operations and sessions with a running status appear here."));
    }
    if !running.is_empty() {
        body.push(el(
            "ul",
            "sessions-running",
            running
                .iter()
                .map(|s| {
                    let mut item = vec![link(
                        format!("#/sessions/{}", common::encode_arg(&s.id)),
                        s.id.clone(),
                    )];
                    if let Some(p) = &s.current_phase {
                        item.push(text(format!(" · phase {p}")));
                    }
                    if let Some(p) = s.progress {
                        item.push(lit(" "));
                        item.push(html! { <progress max="1" value={p.to_string()} aria-label="progress"></progress> });
                        item.push(text(format!(" {}", format::pct(Some(p)))));
                    }
                    if !s.active_agents.is_empty() {
                        item.push(text(format!(" · agents: {}", s.active_agents.join(", "))));
                    }
                    if let Some(c) = s.conflicts.filter(|c| *c > 0) {
                        item.push(el("span", "tone-warn", vec![text(format!(" · {c} conflicts"))]));
                    }
                    el_attrs("li", &["data-session"],
 vec![s.id.clone().into()], item)
                })
                .collect(),
        ));
    }
    body.push(el(
        "ul",
        "ops",
        a.current_work.iter().take(20).map(op_line).collect(),
    ));
    panel(
        "current_work",
        format!("Current work ({} running)", a.overall.running).into(),
        body,
    )
}

fn recent(ops: &[OperationRef]) -> Html {
    let body = if ops.is_empty() {
        common::empty("No finished operations yet.")
    } else {
        el("ul", "ops", ops.iter().take(10).map(op_line).collect())
    };
    panel(
        "recent_completions",
        "Recent completions".into(),
        vec![body],
    )
}

fn health(a: &Analysis) -> Html {
    let (word, tone) = common::health(a.health.status);
    let mut body = vec![el_attrs(
        "p",
        &["class", "data-kpi"],
        vec![
            format!("health-status {tone}").into(),
            "health_status".into(),
        ],
        vec![text(match a.health.status {
            baton_core::analysis::HealthStatus::Healthy => {
                "✔ healthy: all systems operational".to_string()
            }
            _ => format!("⚠ {word}"),
        })],
    )];
    if !a.health.reasons.is_empty() {
        body.push(el(
            "ul",
            "",
            a.health
                .reasons
                .iter()
                .map(|r| el("li", "", vec![text(r.clone())]))
                .collect(),
        ));
    }
    if !a.alerts.is_empty() {
        body.push(el(
            "p",
            "",
            vec![link(
                "#/alerts".to_string(),
                format!("{} alerts", a.alerts.len()),
            )],
        ));
    }
    panel("health", "Health".into(), body)
}

fn insights(a: &Analysis) -> Html {
    let body = if a.insights.is_empty() {
        common::empty("No insights: run logger data (seed 002: runs, issues, pipelines, debugging cycles) answers which model works best, the first-pass share, cycles per issue and the agent with most retries.")
    } else {
        el_attrs(
            "ul",
            &["data-list"],
            vec!["insights".into()],
            a.insights
                .iter()
                .map(|i| el("li", "", vec![text(i.clone())]))
                .collect(),
        )
    };
    panel("insights", "Insights".into(), vec![body])
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
        let onclick = Callback::from(move |_| gran.set(g));
        if pressed {
            button(
                &["type", "data-granularity", "aria-pressed", "class"],
                vec!["button".into(), g.into(), "true".into(), "active".into()],
                onclick,
                vec![lit(label)],
            )
        } else {
            button(
                &["type", "data-granularity", "aria-pressed"],
                vec!["button".into(), g.into(), "false".into()],
                onclick,
                vec![lit(label)],
            )
        }
    };
    let category = match **gran {
        "hour" => "Hour (UTC)",
        "week" => "Week (UTC, from Monday)",
        "month" => "Month (UTC)",
        _ => "Day (UTC)",
    };
    let empty = "No time series: operations with start times fill this chart.";
    el_attrs(
        "div",
        &["class", "data-section", "data-granularity-shown"],
        vec![
            "panel".into(),
            "time_series".into(),
            (*gran).to_string().into(),
        ],
        vec![
            el_attrs(
                "div",
                &["class", "role", "aria-label"],
                vec!["toolbar".into(), "group".into(), "Breakdown".into()],
                vec![
                    lit("Breakdown: "),
                    button("hour", "By hour"),
                    button("day", "By day"),
                    button("week", "By week"),
                    button("month", "By month"),
                    el_attrs(
                        "span",
                        &["class", "data-buckets"],
                        vec!["muted".into(), buckets.len().to_string().into()],
                        vec![text(format!(" {} buckets", buckets.len()))],
                    ),
                ],
            ),
            el(
                "div",
                "grid two charts",
                vec![
                    charts::show(ChartProps {
                        id: "ops_per_day".into(),
                        title: format!("Operations per {} by outcome", **gran).into(),
                        plot: per,
                        unit: Unit::Count,
                        value_label: "Operations".into(),
                        category_label: category.into(),
                        height: 240,
                        empty: empty.into(),
                    }),
                    charts::show(ChartProps {
                        id: "success_rate_over_time".into(),
                        title: format!("Success rate per {}", **gran).into(),
                        plot: rate,
                        unit: Unit::Percent,
                        value_label: "Success rate (%)".into(),
                        category_label: category.into(),
                        height: 240,
                        empty: empty.into(),
                    }),
                ],
            ),
        ],
    )
}

fn aggregates(a: &Analysis) -> Html {
    if a.aggregates.is_empty() {
        return Html::default();
    }
    let rows = a
        .aggregates
        .iter()
        .map(|g| {
            tr(
                None,
                vec![
                    td(g.source.clone()),
                    td(format::words(&g.origin)),
                    td(match &g.name {
                        Some(n) => format!("{} {n}", g.scope),
                        None => g.scope.clone(),
                    }),
                    td(format!(
                        "{} → {}",
                        format::datetime(g.period_start.as_deref()),
                        format::datetime(g.period_end.as_deref())
                    )),
                    num(format::opt_count(g.count)),
                    num_html(common::rated_pct(g.success_rate, common::rate_success)),
                    num(format::duration(g.avg_duration)),
                    num(format::usd(g.total_cost)),
                    num(format::tokens(g.total_tokens)),
                    td(if g.used { "yes" } else { "no" }.to_string()),
                ],
            )
        })
        .collect();
    panel(
        "aggregates",
        "Pre-aggregated figures".into(),
        vec![
            el("p", "muted", vec![lit("As the files recorded them; used for the totals only when the period has no raw operations, never added to them.")]),
            el(
                "div",
                "table-wrap",
                vec![table(
                    "aggregates".into(),
                    &[
                        ("File", false),
                        ("Document", false),
                        ("Covers", false),
                        ("Period", false),
                        ("Operations", true),
                        ("Success rate", true),
                        ("Avg duration", true),
                        ("Cost", true),
                        ("Tokens", true),
                        ("Used", false),
                    ],
                    rows,
                )],
            ),
        ],
    )
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
    let rows = a
        .trends
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
                    num(value(&t.series, t.current)),
                    num(format::change(t.change)),
                    num(value(&t.series, t.volatility)),
                ],
            )
        })
        .collect();
    panel(
        "trends",
        "Trends".into(),
        vec![
            el("p", "muted", vec![lit("Direction: the slope of a least-squares fit over every day or week of the period (a 2 % dead band counts as stable). Last change: the latest day or week against the one before it, so a declining series can still end on a rise.")]),
            table(
                "trends".into(),
                &[
                    ("Series", false),
                    ("Per", false),
                    ("Direction (period)", false),
                    ("Latest", true),
                    ("Last change", true),
                    ("Volatility", true),
                ],
                rows,
            ),
        ],
    )
}

fn communication(a: &Analysis) -> Html {
    let Some(c) = &a.communication else {
        return Html::default();
    };
    let by_type = if c.messages_by_type.is_empty() {
        vec![]
    } else {
        vec![text(format!(
            " ({})",
            c.messages_by_type
                .iter()
                .map(|(t, n)| format!("{} {}", format::words(t), n))
                .collect::<Vec<_>>()
                .join(", ")
        ))]
    };
    let mut facts = vec![
        fact(
            "Messages: ",
            "messages",
            format::int(c.total_messages),
            by_type,
        ),
        fact(
            "Mean response time: ",
            "response_time",
            format::duration(c.average_response_time),
            vec![],
        ),
    ];
    if let Some(e) = c.efficiency {
        facts.push(fact(
            "Communication efficiency (as recorded): ",
            "",
            format::num(Some(e)),
            vec![],
        ));
    }
    panel(
        "communication",
        "Communication".into(),
        vec![
            el("ul", "facts", facts),
            el(
                "p",
                "",
                vec![link(
                    "#/agents".to_string(),
                    "Who messages whom: Agents".to_string(),
                )],
            ),
        ],
    )
}
