//! Baton's web app.
use yew::prelude::*;

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    html! { <main id="app"><h1>{ "Baton" }</h1></main> }
}
