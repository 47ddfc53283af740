//! Report view placeholder, built until the report writers
//! (`baton_core::report`) are in the core and the `reports` feature is on.

use yew::prelude::*;

use super::ViewProps;

/// The Report view.
#[function_component(ReportView)]
pub fn report_view(_props: &ViewProps) -> Html {
    html! {
        <section class="view report" data-view="report">
            <h2>{ "Report" }</h2>
            <p class="empty">{ "Reports are not available in this build." }</p>
        </section>
    }
}
