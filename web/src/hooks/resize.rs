//! Width of an element, kept current by a `ResizeObserver`, so charts redraw
//! when their box changes size (window resize, navigation collapse).

use yew::prelude::*;

/// The CSS pixel width of the element behind `node` (0 until it is mounted).
#[hook]
pub fn use_width(node: NodeRef) -> u32 {
    let width = use_state_eq(|| 0u32);
    {
        let width = width.clone();
        use_effect_with(node, move |node| {
            #[cfg(target_arch = "wasm32")]
            {
                observe(node, width)
            }
            #[cfg(not(target_arch = "wasm32"))]
            {
                let _ = (node, width);
                || ()
            }
        });
    }
    *width
}

#[cfg(target_arch = "wasm32")]
fn observe(node: &NodeRef, width: UseStateHandle<u32>) -> impl FnOnce() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let element = node.cast::<web_sys::Element>();
    let mut observer: Option<web_sys::ResizeObserver> = None;
    let mut closure: Option<Closure<dyn FnMut(js_sys::Array)>> = None;
    if let Some(el) = element {
        width.set(el.get_bounding_client_rect().width().round().max(0.0) as u32);
        let w = width.clone();
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
                w.set(entry.content_rect().width().round().max(0.0) as u32);
            }
        });
        if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            obs.observe(&el);
            observer = Some(obs);
        }
        closure = Some(cb);
    }
    move || {
        if let Some(obs) = observer {
            obs.disconnect();
        }
        drop(closure);
    }
}
