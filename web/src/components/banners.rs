//! Messages above the view: a worker failure, a notice, files that failed.

use yew::prelude::*;

use crate::state::FileError;
use crate::views::common::{button, el, el_attrs, file_error_item, lit, text};

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
    let banner = |class: &'static str, role: &'static str, children: Vec<Html>| {
        el_attrs(
            "div",
            &["class", "role"],
            vec![class.into(), role.into()],
            children,
        )
    };
    let dismiss_button = || {
        button(
            &["class"],
            vec!["link".into()],
            dismiss.clone(),
            vec![lit("Dismiss")],
        )
    };
    let mut out = Vec::new();
    if let Some(e) = &props.error {
        out.push(banner(
            "banner error",
            "alert",
            vec![
                el("strong", "", vec![lit("The analysis stopped. ")]),
                text(e.clone()),
                lit(" Load your files again to continue; the page still works."),
            ],
        ));
    }
    if let Some(n) = &props.notice {
        out.push(banner(
            "banner info",
            "status",
            vec![text(n.clone()), dismiss_button()],
        ));
    }
    if !props.file_errors.is_empty() {
        let n = props.file_errors.len();
        out.push(banner(
            "banner warn",
            "alert",
            vec![
                el(
                    "strong",
                    "",
                    vec![text(format!(
                        "{n} file{} could not be loaded:",
                        if n == 1 { "" } else { "s" }
                    ))],
                ),
                el(
                    "ul",
                    "",
                    props.file_errors.iter().map(file_error_item).collect(),
                ),
                dismiss_button(),
            ],
        ));
    }
    Html::from_iter(out)
}
