//! The page-wide drop zone: files and whole folders dropped anywhere load.

use yew::prelude::*;

use crate::bridge::PickedFile;

/// Props of [`DropZone`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct DropZoneProps {
    /// Receives the dropped files (folders walked).
    pub on_files: Callback<Vec<PickedFile>>,
    /// Receives entries that could not be read: (name, reason).
    pub on_unreadable: Callback<(String, String)>,
    /// The page.
    pub children: Html,
}

/// True when the drag holds files (not text or a link dragged within the page).
fn carries_files(e: &DragEvent) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        e.data_transfer()
            .map(|dt| dt.types().includes(&"Files".into(), 0))
            .unwrap_or(false)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        false
    }
}

/// Wraps the page; highlights while something is dragged over it.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    // dragenter/dragleave fire for every child: count them.
    let depth = use_mut_ref(|| 0i32);
    let over = use_state(|| false);
    let ondragenter = {
        let (depth, over) = (depth.clone(), over.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            *depth.borrow_mut() += 1;
            if carries_files(&e) {
                over.set(true);
            }
        })
    };
    let ondragleave = {
        let (depth, over) = (depth.clone(), over.clone());
        Callback::from(move |_: DragEvent| {
            let mut d = depth.borrow_mut();
            *d = (*d - 1).max(0);
            if *d == 0 {
                over.set(false);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let (depth, over) = (depth.clone(), over.clone());
        let on_files = props.on_files.clone();
        let on_unreadable = props.on_unreadable.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            *depth.borrow_mut() = 0;
            over.set(false);
            #[cfg(target_arch = "wasm32")]
            if let Some(dt) = e.data_transfer() {
                use crate::files::{take_drop, walk, Dropped};
                match take_drop(&dt) {
                    Dropped::Files(files) => {
                        if !files.is_empty() {
                            on_files.emit(files);
                        }
                    }
                    Dropped::Entries(entries) => {
                        let (on_files, on_unreadable) = (on_files.clone(), on_unreadable.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            let (files, failed) = walk(entries).await;
                            for f in failed {
                                on_unreadable.emit(f);
                            }
                            if !files.is_empty() {
                                on_files.emit(files);
                            }
                        });
                    }
                }
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (&on_files, &on_unreadable);
        })
    };
    html! {
        <div class={classes!("drop-zone", (*over).then_some("drag-over"))}
             {ondragenter} {ondragleave} {ondragover} {ondrop}>
            { props.children.clone() }
            if *over {
                <div class="drop-overlay" aria-hidden="true">
                    <div>{ "Drop files or folders to load them" }</div>
                </div>
            }
        </div>
    }
}
