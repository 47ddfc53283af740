//! The views: one function component per file, each reading the shared
//! [`ViewProps`]. No view recomputes a KPI: figures come from the analysis.

pub mod agents;
pub mod alerts;
pub mod bottlenecks;
pub mod common;
pub mod costs;
pub mod data;
pub mod failures;
pub mod markdown;
pub mod operations;
pub mod overview;
pub mod report;
pub mod sessions;
pub mod settings;
pub mod table;

use std::rc::Rc;

use baton_core::analysis::{Analysis, OperationRef};
use yew::prelude::*;

use crate::protocol::{Loaded, Request};
use crate::route::Route;

/// What every view receives.
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ViewProps {
    /// The current analysis, sources and filter choices.
    pub loaded: Rc<Loaded>,
    /// The view's own argument from the URL (`#/sessions/<id>`).
    pub arg: Option<String>,
    /// The latest session timeline the worker sent (`Response::SessionTimeline`):
    /// session id and its operations by start time.
    #[prop_or_default]
    pub timeline: Option<Rc<(String, Vec<OperationRef>)>>,
    /// The latest failures the worker sent (`Response::Failures`) with the
    /// error type they were asked for (None = all types).
    #[prop_or_default]
    pub failures: Option<Rc<(Option<String>, Vec<OperationRef>)>>,
    /// Sends a request to the worker (`SessionTimeline`, `Failures`).
    #[prop_or_default]
    pub on_request: Callback<Request>,
    /// Sets the analysis period in days (None = all data) and re-analyses;
    /// the Report view offers it when a daily / weekly / monthly report
    /// needs another period than the current one.
    #[prop_or_default]
    pub on_period: Callback<Option<u32>>,
}

impl ViewProps {
    /// Props with no worker drill-down data and no request callback.
    pub fn new(loaded: Rc<Loaded>, arg: Option<String>) -> Self {
        ViewProps {
            loaded,
            arg,
            timeline: None,
            failures: None,
            on_request: Callback::noop(),
            on_period: Callback::noop(),
        }
    }

    /// The analysis.
    pub fn analysis(&self) -> &Analysis {
        &self.loaded.analysis
    }
}

/// Renders the view of `route`.
pub fn render(route: Route, props: ViewProps) -> Html {
    match route {
        Route::Overview => html! { <overview::OverviewView ..props /> },
        Route::Agents => html! { <agents::AgentsView ..props /> },
        Route::Operations => html! { <operations::OperationsView ..props /> },
        Route::Sessions => html! { <sessions::SessionsView ..props /> },
        Route::Failures => html! { <failures::FailuresView ..props /> },
        Route::Costs => html! { <costs::CostsView ..props /> },
        Route::Alerts => html! { <alerts::AlertsView ..props /> },
        Route::Bottlenecks => html! { <bottlenecks::BottlenecksView ..props /> },
        Route::Report => html! { <report::ReportView ..props /> },
        Route::Data => html! { <data::DataView ..props /> },
        Route::Settings => html! { <settings::SettingsView /> },
    }
}
