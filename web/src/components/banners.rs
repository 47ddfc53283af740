//! Messages above the view: a worker failure, a notice, files that failed.

use yew::prelude::*;

use crate::state::FileError;

/// Props of [`Banners`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct BannersProps {
    /// The worker's failure, if any.
    pub error: Option<String>,
    /// A one-line notice.
    pub notice: Option<String>,
    /// Files that could not be loaded.
    pub file_errors: Vec<FileError>,
    /// Hides the notice and file errors.
    pub on_dismiss: Callback<()>,
}

/// The messages, or nothing.
#[function_component(Banners)]
pub fn banners(props: &BannersProps) -> Html {
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <>
            if let Some(e) = &props.error {
                <div class="banner error" role="alert">
                    <strong>{ "The analysis stopped. " }</strong>
                    { e.clone() }
                    { " Load your files again to continue; the page still works." }
                </div>
            }
            if let Some(n) = &props.notice {
                <div class="banner info" role="status">
                    { n.clone() }
                    <button class="link" onclick={dismiss.clone()}>{ "Dismiss" }</button>
                </div>
            }
            if !props.file_errors.is_empty() {
                <div class="banner warn" role="alert">
                    <strong>{ format!("{} file{} could not be loaded:", props.file_errors.len(), if props.file_errors.len() == 1 { "" } else { "s" }) }</strong>
                    <ul>
                        { for props.file_errors.iter().map(|e| html! {
                            <li><code>{ e.name.clone() }</code>{ ": " }{ e.message.clone() }</li>
                        }) }
                    </ul>
                    <button class="link" onclick={dismiss}>{ "Dismiss" }</button>
                </div>
            }
        </>
    }
}
