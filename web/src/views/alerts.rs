//! Alerts: every threshold crossed, most severe first, with value against
//! threshold and the suggested action; and the health they add up to.

use baton_core::analysis::Alert;
use yew::prelude::*;

use super::common;
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
    html! {
        <section class="view alerts" data-view="alerts">
            <h2>{ "Alerts" }</h2>
            <div class={classes!("panel", "health-status", tone)} data-section="health">
                <h3>{ "Health: " }<span data-kpi="health_status">{ word }</span></h3>
                if a.health.reasons.is_empty() {
                    <p>{ "All systems operational: no alert above low severity." }</p>
                } else {
                    <ul>{ for a.health.reasons.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ul>
                }
            </div>
            if a.alerts.is_empty() {
                { common::empty("No alerts: no threshold is crossed in this period. Thresholds are set in Settings.") }
            } else {
                <p data-kpi="alert_counts">{ format!("{} critical, {} high, {} medium, {} low",
                    counts[3], counts[2], counts[1], counts[0]) }</p>
                <table class="data" data-table="alerts">
                    <thead><tr><th scope="col">{ "Severity" }</th><th scope="col">{ "Alert" }</th><th scope="col">{ "Subject" }</th>
                        <th scope="col">{ "Message" }</th><th scope="col" class="num">{ "Value" }</th><th scope="col" class="num">{ "Threshold" }</th>
                        <th scope="col">{ "Action" }</th></tr></thead>
                    <tbody>{ for a.alerts.iter().enumerate().map(|(i, al)| row(i, al)) }</tbody>
                </table>
            }
        </section>
    }
}

fn row(i: usize, al: &Alert) -> Html {
    let (_, tone) = common::severity(al.severity);
    html! {
        <tr class={tone} data-row={format!("{}-{i}", al.kind)} data-kind={al.kind.clone()}>
            <td>{ common::severity_badge(al.severity) }</td>
            <td>{ format::words(&al.kind) }</td>
            <td>{ al.subject.clone().unwrap_or_else(|| "all data".into()) }</td>
            <td>{ al.message.clone() }</td>
            <td class="num">{ value(&al.kind, al.value) }</td>
            <td class="num">{ value(&al.kind, al.threshold) }</td>
            <td>{ al.action.clone().unwrap_or_else(|| format::NONE.into()) }</td>
        </tr>
    }
}
