//! The empty page: what Baton does, what it reads, and how to start.

use yew::prelude::*;

use crate::bridge::PickedFile;
use crate::components::file_picker::FilePicker;

/// Props of [`Welcome`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct WelcomeProps {
    /// Loads the embedded sample.
    pub on_sample: Callback<()>,
    /// Loads picked files.
    pub on_files: Callback<Vec<PickedFile>>,
}

/// The welcome screen.
#[function_component(Welcome)]
pub fn welcome(props: &WelcomeProps) -> Html {
    let on_sample = props.on_sample.reform(|_: MouseEvent| ());
    html! {
        <section class="welcome">
            <h1>{ "Analytics for your agent orchestrator" }</h1>
            <p class="lead">
                { "Baton turns the metrics exports of AI agent orchestrators into dashboards: success and error rates, durations, \
                   costs and tokens, per agent, model and operation, with bottlenecks, recommendations, alerts and reports." }
            </p>
            <div class="drop-hint">
                <p><strong>{ "Drop files or a whole folder anywhere on this page" }</strong>{ ", or:" }</p>
                <div class="actions">
                    <FilePicker primary=true on_files={props.on_files.clone()} />
                    <button class="btn" id="load-sample" onclick={on_sample}>{ "Load sample data" }</button>
                </div>
            </div>
            <h2>{ "Formats it reads" }</h2>
            <ul class="formats">
                <li>{ "Orchestrator report JSON (" }<code>{ "report --format json" }</code>{ ")" }</li>
                <li>{ "Droid orchestrator metrics: session, phase, communication, droid performance and task patterns" }</li>
                <li>{ "Run logger folders: run metadata, final results and per-issue metrics" }</li>
                <li>{ "MoAI metrics: daily hook files, task, token and agent metrics, and the CSV export" }</li>
                <li>{ "Monitor exports: orchestrations and agent executions" }</li>
                <li>{ "Claude Code session transcripts (JSONL, with subagents) and headless results" }</li>
                <li>{ "OpenTelemetry GenAI traces (OTLP/JSON) and Langfuse trace and observation exports" }</li>
                <li>{ "Baton canonical JSON or NDJSON, which any orchestrator can write" }</li>
            </ul>
            <p class="privacy">
                <strong>{ "Your data never leaves this machine." }</strong>
                { " Files are read and analysed inside this browser tab; nothing is uploaded, and after the first visit the page works offline." }
            </p>
        </section>
    }
}
