//! Bottlenecks and recommendations: ranked by impact, each with its measured
//! value against the peer baseline, its evidence and what to do.

use baton_core::analysis::{Bottleneck, Recommendation};
use yew::prelude::*;

use super::common::{self, button, el, el_attrs, lit, muted_span, panel, strong, text};
use super::ViewProps;
use crate::format;

/// A bottleneck figure in its unit.
fn in_unit(v: f64, unit: &str) -> String {
    match unit {
        "s" => format::duration(Some(v)),
        "min" => format::duration(Some(v * 60.0)),
        "%" | "fraction" | "rate" => {
            // Rates are fractions in the analysis; a value above 1 is already a percentage.
            if v <= 1.0 {
                format::pct(Some(v))
            } else {
                format!("{v:.1} %")
            }
        }
        "USD" | "usd" | "$" => format::usd(Some(v)),
        "" => format::num(Some(v)),
        u => format!("{} {u}", format::num(Some(v))),
    }
}

/// The Bottlenecks and recommendations view.
#[function_component(BottlenecksView)]
pub fn bottlenecks_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    // Kinds in order of their first (highest-impact) bottleneck, with counts.
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for b in &a.bottlenecks {
        match kinds.iter_mut().find(|k| k.0 == b.kind) {
            Some(k) => k.1 += 1,
            None => kinds.push((b.kind.clone(), 1)),
        }
    }
    let shown_kind = use_state(|| None::<String>);
    let shown = (*shown_kind)
        .clone()
        .filter(|k| kinds.iter().any(|(x, _)| x == k));
    let pick = |kind: Option<String>| {
        let shown_kind = shown_kind.clone();
        Callback::from(move |_: MouseEvent| shown_kind.set(kind.clone()))
    };
    let chip = |active: bool, kind: Option<&String>, label: String| {
        let class = if active { "chip active" } else { "chip" };
        let pressed = if active { "true" } else { "false" };
        let onclick = pick(kind.cloned());
        match kind {
            Some(k) => button(
                &["type", "class", "data-kind", "aria-pressed"],
                vec![
                    "button".into(),
                    class.into(),
                    k.clone().into(),
                    pressed.into(),
                ],
                onclick,
                vec![text(label)],
            ),
            None => button(
                &["type", "class", "aria-pressed"],
                vec!["button".into(), class.into(), pressed.into()],
                onclick,
                vec![text(label)],
            ),
        }
    };
    let mut list = Vec::new();
    if a.bottlenecks.is_empty() {
        list.push(common::empty("No bottleneck found: no phase, operation or agent is markedly slower or failing more than its peers."));
    } else {
        if kinds.len() > 1 {
            let mut chips = vec![chip(
                shown.is_none(),
                None,
                format!("All ({})", a.bottlenecks.len()),
            )];
            chips.extend(kinds.iter().map(|(k, n)| {
                chip(
                    shown.as_deref() == Some(k.as_str()),
                    Some(k),
                    format!("{} ({n})", format::words(k)),
                )
            }));
            list.push(el_attrs(
                "div",
                &["class", "role", "aria-label", "data-list"],
                vec![
                    "chips".into(),
                    "group".into(),
                    "Bottleneck kinds".into(),
                    "bottleneck-kinds".into(),
                ],
                chips,
            ));
        }
        list.push(el_attrs(
            "ol",
            &["class", "data-list"],
            vec!["ranked".into(), "bottlenecks".into()],
            a.bottlenecks
                .iter()
                .enumerate()
                .filter(|(_, b)| shown.as_deref().is_none_or(|k| k == b.kind))
                .map(|(i, b)| bottleneck(i, b))
                .collect(),
        ));
        if a.bottlenecks_omitted > 0 {
            list.push(el(
                "p",
                "muted",
                vec![text(format!(
                    "{} more with lower impact are not listed.",
                    a.bottlenecks_omitted
                ))],
            ));
        }
    }
    let recs = if a.recommendations.is_empty() {
        common::empty("No recommendation: no rule of the seeds fires on this data.")
    } else {
        el_attrs(
            "ol",
            &["class", "data-list"],
            vec!["ranked".into(), "recommendations".into()],
            a.recommendations
                .iter()
                .enumerate()
                .map(|(i, r)| recommendation(i, r))
                .collect(),
        )
    };
    common::view(
        "view bottlenecks",
        "bottlenecks",
        "Bottlenecks and recommendations",
        vec![
            panel("bottlenecks", "Bottlenecks".into(), list),
            panel("recommendations", "Recommendations".into(), vec![recs]),
        ],
    )
}

fn bottleneck(i: usize, b: &Bottleneck) -> Html {
    let mut item = vec![
        el(
            "div",
            "",
            vec![
                el("strong", "", vec![text(b.subject.clone())]),
                muted_span(format!(" · {}", format::words(&b.kind))),
            ],
        ),
        el("div", "", vec![text(b.description.clone())]),
        el(
            "div",
            "figures",
            vec![
                lit("Measured "),
                strong("", in_unit(b.value, &b.unit)),
                lit(" against a baseline of "),
                strong("", in_unit(b.baseline, &b.unit)),
                lit(" · impact score "),
                strong("impact_score", format::num(Some(b.impact_score))),
            ],
        ),
    ];
    if !b.recommendations.is_empty() {
        item.push(el(
            "ul",
            "",
            b.recommendations
                .iter()
                .map(|r| el("li", "", vec![text(r.clone())]))
                .collect(),
        ));
    }
    el_attrs(
        "li",
        &["value", "data-row", "data-kind"],
        vec![
            (i + 1).to_string().into(),
            format!("{}-{i}", b.kind).into(),
            b.kind.clone().into(),
        ],
        item,
    )
}

fn recommendation(i: usize, r: &Recommendation) -> Html {
    let mut title = vec![el("strong", "", vec![text(r.message.clone())])];
    if let Some(s) = &r.subject {
        title.push(muted_span(format!(" · {s}")));
    }
    el_attrs(
        "li",
        &["data-row", "data-kind"],
        vec![format!("{}-{i}", r.kind).into(), r.kind.clone().into()],
        vec![
            el("div", "", title),
            el("div", "", vec![lit("Evidence: "), text(r.evidence.clone())]),
            el(
                "div",
                "",
                vec![
                    lit("Expected impact: "),
                    text(r.expected_impact.clone()),
                    muted_span(format!(" · score {}", format::num(Some(r.impact_score)))),
                ],
            ),
        ],
    )
}
