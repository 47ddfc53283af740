//! The navigation: every view as a hash link, the current one marked.

use yew::prelude::*;

use crate::route::Route;

/// Props of [`Nav`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct NavProps {
    /// The current view.
    pub route: Route,
}

/// The sidebar of views.
#[function_component(Nav)]
pub fn nav(props: &NavProps) -> Html {
    html! {
        <nav class="nav" aria-label="Views">
            <ul>
                { for Route::ALL.into_iter().map(|r| {
                    let current = r == props.route;
                    html! {
                        <li>
                            <a href={format!("#/{}", r.slug())}
                               class={classes!(current.then_some("current"))}
                               aria-current={current.then_some("page")}>
                                { r.label() }
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
