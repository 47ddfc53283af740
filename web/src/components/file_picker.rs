//! File and folder pickers: buttons over hidden inputs.

use yew::prelude::*;

use crate::bridge::PickedFile;

/// Props of [`FilePicker`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct FilePickerProps {
    /// Label of the files button.
    #[prop_or(AttrValue::Static("Choose files"))]
    pub files_label: AttrValue,
    /// Label of the folder button.
    #[prop_or(AttrValue::Static("Choose a folder"))]
    pub folder_label: AttrValue,
    /// Receives what was picked.
    pub on_files: Callback<Vec<PickedFile>>,
    /// Style the buttons as primary.
    #[prop_or_default]
    pub primary: bool,
}

/// Two buttons: several files, or a whole folder.
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let files_ref = use_node_ref();
    let folder_ref = use_node_ref();
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            #[cfg(target_arch = "wasm32")]
            if let Some(list) = input.files() {
                let picked = crate::files::from_file_list(&list);
                if !picked.is_empty() {
                    on_files.emit(picked);
                }
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = &on_files;
            // Picking the same files again fires change again.
            input.set_value("");
        })
    };
    let click = |r: &NodeRef| {
        let r = r.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = r.cast::<web_sys::HtmlElement>() {
                input.click();
            }
        })
    };
    let class = if props.primary { "btn primary" } else { "btn" };
    html! {
        <span class="picker">
            <button class={class} onclick={click(&files_ref)}>{ props.files_label.clone() }</button>
            <button class="btn" onclick={click(&folder_ref)}>{ props.folder_label.clone() }</button>
            <input ref={files_ref} type="file" multiple=true hidden=true onchange={on_change.clone()} aria-hidden="true" tabindex="-1" />
            <input ref={folder_ref} type="file" webkitdirectory=true multiple=true hidden=true onchange={on_change} aria-hidden="true" tabindex="-1" />
        </span>
    }
}
