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

/// A number that changes whenever the theme may have changed: an attribute of
/// `<html>` or `<body>` (class, `data-theme`, style) or the system colour
/// scheme. Charts redraw on it, since canvas colours are read once per draw.
#[hook]
pub fn use_theme_epoch() -> u32 {
    let epoch = use_state(|| 0u32);
    {
        let epoch = epoch.clone();
        use_effect_with((), move |_| {
            #[cfg(target_arch = "wasm32")]
            {
                watch_theme(epoch)
            }
            #[cfg(not(target_arch = "wasm32"))]
            {
                let _ = epoch;
                || ()
            }
        });
    }
    *epoch
}

#[cfg(target_arch = "wasm32")]
fn watch_theme(epoch: UseStateHandle<u32>) -> impl FnOnce() {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let counter = Rc::new(Cell::new(0u32));
    let bump = {
        let counter = counter.clone();
        move || {
            counter.set(counter.get().wrapping_add(1));
            epoch.set(counter.get());
        }
    };
    let on_mutation = {
        let bump = bump.clone();
        Closure::<dyn FnMut()>::new(bump)
    };
    let on_scheme = Closure::<dyn FnMut()>::new(bump);
    let window = web_sys::window();
    let doc = window.as_ref().and_then(|w| w.document());
    let observer = web_sys::MutationObserver::new(on_mutation.as_ref().unchecked_ref()).ok();
    if let (Some(obs), Some(doc)) = (&observer, &doc) {
        let init = web_sys::MutationObserverInit::new();
        init.set_attributes(true);
        let filter = js_sys::Array::of3(&"class".into(), &"data-theme".into(), &"style".into());
        init.set_attribute_filter(&filter);
        if let Some(html) = doc.document_element() {
            let _ = obs.observe_with_options(&html, &init);
        }
        if let Some(body) = doc.body() {
            let _ = obs.observe_with_options(&body, &init);
        }
    }
    let media = window
        .as_ref()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    if let Some(m) = &media {
        let _ = m.add_event_listener_with_callback("change", on_scheme.as_ref().unchecked_ref());
    }
    move || {
        if let Some(obs) = observer {
            obs.disconnect();
        }
        if let Some(m) = media {
            let _ =
                m.remove_event_listener_with_callback("change", on_scheme.as_ref().unchecked_ref());
        }
        drop(on_mutation);
        drop(on_scheme);
    }
}
