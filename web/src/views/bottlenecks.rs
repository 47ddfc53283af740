//! Bottlenecks and recommendations: ranked by impact, each with its measured
//! value against the peer baseline, its evidence and what to do.

use baton_core::analysis::{Bottleneck, Recommendation};
use yew::prelude::*;

use super::common;
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
    let chips = html! {
        <div class="chips" role="group" aria-label="Bottleneck kinds" data-list="bottleneck-kinds">
            <button type="button" class={classes!("chip", shown.is_none().then_some("active"))}
                aria-pressed={shown.is_none().to_string()} onclick={pick(None)}>
                { format!("All ({})", a.bottlenecks.len()) }</button>
            { for kinds.iter().map(|(k, n)| {
                let active = shown.as_deref() == Some(k.as_str());
                html! {
                    <button type="button" class={classes!("chip", active.then_some("active"))} data-kind={k.clone()}
                        aria-pressed={active.to_string()} onclick={pick(Some(k.clone()))}>
                        { format!("{} ({n})", format::words(k)) }</button>
                }
            }) }
        </div>
    };
    html! {
        <section class="view bottlenecks" data-view="bottlenecks">
            <h2>{ "Bottlenecks and recommendations" }</h2>
            <div class="panel" data-section="bottlenecks">
                <h3>{ "Bottlenecks" }</h3>
                if a.bottlenecks.is_empty() {
                    { common::empty("No bottleneck found: no phase, operation or agent is markedly slower or failing more than its peers.") }
                } else {
                    if kinds.len() > 1 { { chips } }
                    <ol class="ranked" data-list="bottlenecks">{ for a.bottlenecks.iter().enumerate()
                        .filter(|(_, b)| shown.as_deref().is_none_or(|k| k == b.kind))
                        .map(|(i, b)| bottleneck(i, b)) }</ol>
                    if a.bottlenecks_omitted > 0 {
                        <p class="muted">{ format!("{} more with lower impact are not listed.", a.bottlenecks_omitted) }</p>
                    }
                }
            </div>
            <div class="panel" data-section="recommendations">
                <h3>{ "Recommendations" }</h3>
                if a.recommendations.is_empty() {
                    { common::empty("No recommendation: no rule of the seeds fires on this data.") }
                } else {
                    <ol class="ranked" data-list="recommendations">{ for a.recommendations.iter().enumerate().map(|(i, r)| recommendation(i, r)) }</ol>
                }
            </div>
        </section>
    }
}

fn bottleneck(i: usize, b: &Bottleneck) -> Html {
    html! {
        <li value={(i + 1).to_string()} data-row={format!("{}-{i}", b.kind)} data-kind={b.kind.clone()}>
            <div><strong>{ b.subject.clone() }</strong>
                <span class="muted">{ format!(" · {}", format::words(&b.kind)) }</span></div>
            <div>{ b.description.clone() }</div>
            <div class="figures">
                { "Measured " }<strong>{ in_unit(b.value, &b.unit) }</strong>
                { " against a baseline of " }<strong>{ in_unit(b.baseline, &b.unit) }</strong>
                { " · impact score " }<strong data-kpi="impact_score">{ format::num(Some(b.impact_score)) }</strong>
            </div>
            if !b.recommendations.is_empty() {
                <ul>{ for b.recommendations.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ul>
            }
        </li>
    }
}

fn recommendation(i: usize, r: &Recommendation) -> Html {
    html! {
        <li data-row={format!("{}-{i}", r.kind)} data-kind={r.kind.clone()}>
            <div><strong>{ r.message.clone() }</strong>
                if let Some(s) = &r.subject { <span class="muted">{ format!(" · {s}") }</span> }</div>
            <div>{ "Evidence: " }{ r.evidence.clone() }</div>
            <div>{ "Expected impact: " }{ r.expected_impact.clone() }
                <span class="muted">{ format!(" · score {}", format::num(Some(r.impact_score))) }</span></div>
        </li>
    }
}
