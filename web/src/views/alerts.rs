//! Alerts: every threshold crossed, most severe first, with value against
//! threshold and the suggested action; and the health they add up to.

use baton_core::analysis::Alert;
use yew::prelude::*;

use super::common::{self, el, el_attrs, lit, text};
use super::table::{self as t, num, td, td_html};
use super::ViewProps;
use crate::format;

/// A value as the alert kind measures it (rates as %, durations, money).
fn value(kind: &str, v: f64) -> String {
    let k = kind.to_ascii_lowercase();
    if k.contains("rate") {
        format::pct(Some(v))
    } else if k.contains("cost") {
        format::usd(Some(v))
    } else if k.contains("duration") || k.contains("response") || k.contains("seconds") {
        format::duration(Some(v))
    } else {
        format::num(Some(v))
    }
}

/// The Alerts view.
#[function_component(AlertsView)]
pub fn alerts_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    let (word, tone) = common::health(a.health.status);
    let mut counts = [0usize; 4];
    for al in &a.alerts {
        if let Some(c) = counts.get_mut(al.severity as usize) {
            *c += 1;
        }
    }
    let health = el_attrs(
        "div",
        &["class", "data-section"],
        vec![
            format!("panel health-status {tone}").into(),
            "health".into(),
        ],
        vec![
            el(
                "h3",
                "",
                vec![
                    lit("Health: "),
                    el_attrs(
                        "span",
                        &["data-kpi"],
                        vec!["health_status".into()],
                        vec![lit(word)],
                    ),
                ],
            ),
            if a.health.reasons.is_empty() {
                el(
                    "p",
                    "",
                    vec![lit("All systems operational: no alert above low severity.")],
                )
            } else {
                el(
                    "ul",
                    "",
                    a.health
                        .reasons
                        .iter()
                        .map(|r| el("li", "", vec![text(r.clone())]))
                        .collect(),
                )
            },
        ],
    );
    let mut body = vec![health];
    if a.alerts.is_empty() {
        body.push(common::empty(
            "No alerts: no threshold is crossed in this period. Thresholds are set in Settings.",
        ));
    } else {
        body.push(el_attrs(
            "p",
            &["data-kpi"],
            vec!["alert_counts".into()],
            vec![text(format!(
                "{} critical, {} high, {} medium, {} low",
                counts[3], counts[2], counts[1], counts[0]
            ))],
        ));
        body.push(t::table(
            "alerts".into(),
            &[
                ("Severity", false),
                ("Alert", false),
                ("Subject", false),
                ("Message", false),
                ("Value", true),
                ("Threshold", true),
                ("Action", false),
            ],
            a.alerts
                .iter()
                .enumerate()
                .map(|(i, al)| row(i, al))
                .collect(),
        ));
    }
    common::view("view alerts", "alerts", "Alerts", body)
}

fn row(i: usize, al: &Alert) -> Html {
    let (_, tone) = common::severity(al.severity);
    el_attrs(
        "tr",
        &["class", "data-row", "data-kind"],
        vec![
            tone.into(),
            format!("{}-{i}", al.kind).into(),
            al.kind.clone().into(),
        ],
        vec![
            td_html(common::severity_badge(al.severity)),
            td(format::words(&al.kind)),
            td(al.subject.clone().unwrap_or_else(|| "all data".into())),
            td(al.message.clone()),
            num(value(&al.kind, al.value)),
            num(value(&al.kind, al.threshold)),
            td(al.action.clone().unwrap_or_else(|| format::NONE.into())),
        ],
    )
}
