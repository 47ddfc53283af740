//! Report: preview and downloads (pending the report writers).

use yew::prelude::*;

use super::ViewProps;

/// The Report view.
#[function_component(ReportView)]
pub fn report_view(_props: &ViewProps) -> Html {
    html! { <section class="view report" data-view="report"><h2>{ "Report" }</h2></section> }
}
