//! The views: one function component per file, each reading the shared
//! [`ViewProps`]. No view recomputes a KPI: figures come from the analysis.

pub mod data;
pub mod settings;

use std::rc::Rc;

use baton_core::analysis::Analysis;
use yew::prelude::*;

use crate::protocol::Loaded;
use crate::route::Route;

/// What every view receives.
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ViewProps {
    /// The current analysis, sources and filter choices.
    pub loaded: Rc<Loaded>,
    /// The view's own argument from the URL (`#/sessions/<id>`).
    pub arg: Option<String>,
}

impl ViewProps {
    /// The analysis.
    pub fn analysis(&self) -> &Analysis {
        &self.loaded.analysis
    }
}

/// Renders the view of `route`.
pub fn render(route: Route, props: ViewProps) -> Html {
    match route {
        Route::Data => html! { <data::DataView ..props /> },
        Route::Settings => html! { <settings::SettingsView /> },
        _ => {
            html! { <section class="view"><pre>{ format!("{} operations", props.analysis().overall.total_operations) }</pre></section> }
        }
    }
}
