//! The navigation: every view as a hash link, the current one marked.

use yew::prelude::*;

use crate::route::Route;
use crate::views::common::{el, el_attrs, lit};

/// Props of [`Nav`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct NavProps {
    /// The current view.
    pub route: Route,
}

/// The sidebar of views.
#[function_component(Nav)]
pub fn nav(props: &NavProps) -> Html {
    let items = Route::ALL
        .into_iter()
        .map(|r| {
            let href = AttrValue::from(format!("#/{}", r.slug()));
            let link = if r == props.route {
                el_attrs(
                    "a",
                    &["href", "class", "aria-current"],
                    vec![href, "current".into(), "page".into()],
                    vec![lit(r.label())],
                )
            } else {
                el_attrs("a", &["href"], vec![href], vec![lit(r.label())])
            };
            el("li", "", vec![link])
        })
        .collect();
    el_attrs(
        "nav",
        &["class", "aria-label"],
        vec!["nav".into(), "Views".into()],
        vec![el("ul", "", items)],
    )
}
