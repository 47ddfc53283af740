//! Baton's web app: a Yew single-page app whose heavy work (parsing and
//! analysis) runs in a web worker.

pub mod protocol;
pub mod route;
pub mod state;
pub mod views;
pub mod worker;

use yew::prelude::*;

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    html! { <main id="app"><h1>{ "Baton" }</h1></main> }
}
