//! Costs and tokens: totals (recorded and computed), windows and projection,
//! cost per day, tokens per day by category, cost by model and by agent, and
//! the unpriced models (listed, never counted as $0).

use std::collections::BTreeMap;
use std::rc::Rc;

use baton_core::analysis::{Analysis, GroupStats};
use yew::prelude::*;

use super::common::{self, el, el_attrs, lit, muted, panel, text};
use super::table::{self as t, num, td, tr};
use super::ViewProps;
use crate::charts::{self, ChartProps, HBar, Plot, Series, Tone, Unit};
use crate::format;

/// The Costs and tokens view.
#[function_component(CostsView)]
pub fn costs_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    let c = &a.costs;
    let has_any =
        c.total_cost.is_some() || c.total_tokens.is_some() || !c.unpriced_models.is_empty();
    if !has_any {
        return common::view(
            "view costs",
            "costs",
            "Costs and tokens",
            vec![common::empty("No cost or token data: records with a cost, or with token counts and a model, fill this view.")],
        );
    }
    let mut tokens = format!(
        "input {} · output {} · cache read {} · cache write {}",
        format::count(c.tokens.input),
        format::count(c.tokens.output),
        format::count(c.tokens.cache_read),
        format::count(c.tokens.cache_write)
    );
    if c.tokens_uncategorized > 0 {
        tokens += &format!(
            " · without category {}",
            format::count(c.tokens_uncategorized)
        );
    }
    let mut body = vec![el(
        "div",
        "kpi-grid",
        vec![
            common::kpi(
                "total_cost",
                "Total cost",
                format::usd(c.total_cost),
                None,
                muted(format!(
                    "recorded {} · computed {}",
                    format::usd(c.recorded_cost),
                    format::usd(c.computed_cost)
                )),
            ),
            common::kpi(
                "cost_per_operation",
                "Per operation",
                format::usd(c.avg_cost_per_operation),
                None,
                Html::default(),
            ),
            common::kpi(
                "cost_7d",
                "Last 7 days",
                format::usd(c.last_7_days),
                None,
                Html::default(),
            ),
            common::kpi(
                "cost_30d",
                "Last 30 days",
                format::usd(c.last_30_days),
                None,
                Html::default(),
            ),
            common::kpi(
                "monthly_projection",
                "Monthly projection",
                format::usd(c.monthly_projection),
                None,
                el(
                    "div",
                    "muted",
                    vec![lit("mean daily cost of the last 30 days × 30")],
                ),
            ),
            common::kpi(
                "today_cost",
                "Today",
                format::usd(c.today),
                None,
                muted(
                    c.daily_budget
                        .map(|b| format!("budget {}", format::usd(Some(b))))
                        .unwrap_or_else(|| "no daily budget set".into()),
                ),
            ),
            common::kpi(
                "total_tokens",
                "Tokens",
                format::tokens(c.total_tokens),
                None,
                muted(tokens),
            ),
        ],
    )];
    if !c.unpriced_models.is_empty() || c.unpriced_operations > 0 {
        body.push(el_attrs(
            "div",
            &["class", "data-section"],
            vec!["panel tone-warn".into(), "unpriced".into()],
            vec![
                el("h3", "", vec![lit("Unpriced models")]),
                el("p", "", vec![text(format!("{} operations ({} tokens) have tokens but no known price; their cost is unknown and left out of the totals (not counted as $0). Add prices in Settings.",
                    format::int(c.unpriced_operations), format::count(c.unpriced_tokens)))]),
                el_attrs(
                    "ul",
                    &["data-list"],
                    vec!["unpriced_models".into()],
                    c.unpriced_models
                        .iter()
                        .map(|m| el("li", "", vec![text(m.clone())]))
                        .collect(),
                ),
            ],
        ));
    }
    if !c.pricing_date.is_empty() {
        body.push(el(
            "p",
            "muted",
            vec![text(format!(
                "Computed costs use the price table of {}{}.",
                c.pricing_date,
                if c.pricing_source.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.pricing_source)
                }
            ))],
        ));
    }
    body.extend([
        daily(a),
        el(
            "div",
            "grid two",
            vec![
                breakdown(
                    "cost_by_model",
                    "By model",
                    &a.models,
                    "No per-model figures: records naming their model fill this table.",
                ),
                breakdown(
                    "cost_by_agent",
                    "By agent",
                    &a.agents,
                    "No per-agent figures.",
                ),
            ],
        ),
        expensive(a),
    ]);
    common::view("view costs", "costs", "Costs and tokens", body)
}

fn daily(a: &Analysis) -> Html {
    let labels = common::day_labels(&a.by_day);
    let cost = Rc::new(Plot::Bars {
        labels: labels.clone(),
        series: vec![Series {
            name: "Cost".into(),
            tone: Tone::S1,
            values: a.by_day.iter().map(|d| d.cost).collect(),
        }],
    });
    let cat = |name: &str, tone: Tone, f: fn(&baton_core::analysis::TokenTotals) -> u64| Series {
        name: name.into(),
        tone,
        values: a.by_day.iter().map(|d| Some(f(&d.tokens) as f64)).collect(),
    };
    let tokens_empty = a.by_day.iter().all(|d| {
        let t = d.tokens;
        t.input + t.output + t.cache_read + t.cache_write == 0
    });
    let tokens = Rc::new(if tokens_empty {
        Plot::Bars {
            labels: Vec::new(),
            series: Vec::new(),
        }
    } else {
        Plot::Bars {
            labels,
            series: vec![
                cat("Input", Tone::S1, |t| t.input),
                cat("Output", Tone::S2, |t| t.output),
                cat("Cache read", Tone::S3, |t| t.cache_read),
                cat("Cache write", Tone::S4, |t| t.cache_write),
            ],
        }
    });
    el(
        "div",
        "grid two charts",
        vec![
            charts::show(ChartProps {
                id: "cost_per_day".into(),
                title: "Cost per day".into(),
                plot: cost,
                unit: Unit::Usd,
                value_label: "Cost (USD)".into(),
                category_label: "Day (UTC)".into(),
                height: 240,
                empty: "No daily costs: records with a start time and a cost (or priced tokens) fill this chart.".into(),
            }),
            charts::show(ChartProps {
                id: "tokens_per_day".into(),
                title: "Tokens per day by category".into(),
                plot: tokens,
                unit: Unit::Tokens,
                value_label: "Tokens".into(),
                category_label: "Day (UTC)".into(),
                height: 240,
                empty: "No daily tokens: records with a start time and token counts fill this chart.".into(),
            }),
        ],
    )
}

fn breakdown(
    id: &'static str,
    title: &'static str,
    groups: &BTreeMap<String, GroupStats>,
    empty: &str,
) -> Html {
    let mut rows: Vec<(&String, &GroupStats)> = groups
        .iter()
        .filter(|(_, s)| s.total_cost.is_some() || s.total_tokens.is_some())
        .collect();
    baton_core::sort::sort_by(&mut rows, |x, y| {
        y.1.total_cost
            .unwrap_or(-1.0)
            .partial_cmp(&x.1.total_cost.unwrap_or(-1.0))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.0.cmp(y.0))
    });
    if rows.is_empty() {
        return panel(id, title.into(), vec![common::empty(empty)]);
    }
    let priced: Vec<&(&String, &GroupStats)> = rows
        .iter()
        .filter(|(_, s)| s.total_cost.is_some())
        .collect();
    let plot = Rc::new(Plot::HBars {
        rows: priced
            .iter()
            .take(15)
            .map(|(n, s)| HBar {
                label: (*n).clone(),
                value: s.total_cost.unwrap_or(0.0),
                text: format::usd(s.total_cost),
                tone: Tone::S1,
            })
            .collect(),
        max: None,
    });
    let height = (priced.len().min(15) as u32 * 26 + 60).clamp(120, 600);
    let table = t::table(
        id.into(),
        &[
            ("Name", false),
            ("Operations", true),
            ("Cost", true),
            ("Tokens", true),
            ("Input", true),
            ("Output", true),
            ("Cache read", true),
            ("Cache write", true),
        ],
        rows.iter()
            .map(|(n, s)| {
                let t = s.tokens;
                let cat = |f: fn(&baton_core::analysis::TokenTotals) -> u64| {
                    num(format::opt_count(t.as_ref().map(f)))
                };
                tr(
                    Some((*n).clone()),
                    vec![
                        td((*n).clone()),
                        num(format::int(s.count)),
                        num(match s.total_cost {
                            Some(c) => format::usd(Some(c)),
                            None => "unpriced".to_string(),
                        }),
                        num(format::tokens(s.total_tokens)),
                        cat(|t| t.input),
                        cat(|t| t.output),
                        cat(|t| t.cache_read),
                        cat(|t| t.cache_write),
                    ],
                )
            })
            .collect(),
    );
    panel(
        id,
        title.into(),
        vec![
            el("div", "table-wrap", vec![table]),
            charts::show(ChartProps {
                id: format!("{id}_chart").into(),
                title: format!("Cost {}", title.to_lowercase()).into(),
                plot,
                unit: Unit::Usd,
                value_label: "Cost (USD)".into(),
                category_label: AttrValue::default(),
                height,
                empty: "No priced records.".into(),
            }),
        ],
    )
}

fn expensive(a: &Analysis) -> Html {
    if a.most_expensive_operations.is_empty() {
        return Html::default();
    }
    panel(
        "most_expensive",
        "Most expensive operations".into(),
        vec![t::table(
            "most_expensive".into(),
            &[
                ("Operation", false),
                ("Kind", false),
                ("Agent", false),
                ("Model", false),
                ("Start", false),
                ("Cost", true),
            ],
            a.most_expensive_operations
                .iter()
                .map(|o| {
                    tr(
                        Some(o.id.clone()),
                        [
                            t::op_cells(o),
                            vec![
                                td(o.model.clone().unwrap_or_else(|| format::NONE.into())),
                                td(format::datetime(o.start.as_deref())),
                                num(format::usd(o.cost)),
                            ],
                        ]
                        .concat(),
                    )
                })
                .collect(),
        )],
    )
}
