//! The load progress bar with its Cancel button.

use yew::prelude::*;

use crate::state::{human_bytes, LoadProgress};

/// Props of [`Progress`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ProgressProps {
    /// Where the load is.
    pub progress: LoadProgress,
    /// Stops the load.
    pub on_cancel: Callback<()>,
}

/// Bytes read and records imported, with Cancel.
#[function_component(Progress)]
pub fn progress(props: &ProgressProps) -> Html {
    let p = &props.progress;
    let pct = (p.fraction() * 100.0).round();
    let what = if p.bytes_total == 0 {
        "Loading…".to_string()
    } else {
        format!(
            "{} of {} read · {} records imported",
            human_bytes(p.bytes_done),
            human_bytes(p.bytes_total),
            p.records
        )
    };
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <section class="progress" aria-live="polite">
            <div class="progress-text">
                <strong>{ if p.files > 0 { format!("Loading {} file{}", p.files, if p.files == 1 { "" } else { "s" }) } else { "Loading sample data".to_string() } }</strong>
                <span>{ what }</span>
                if !p.current.is_empty() { <span class="muted">{ format!("Now: {}", p.current) }</span> }
            </div>
            <progress max="100" value={pct.to_string()} aria-label="Load progress">{ format!("{pct}%") }</progress>
            <button class="btn" onclick={on_cancel}>{ "Cancel" }</button>
        </section>
    }
}
