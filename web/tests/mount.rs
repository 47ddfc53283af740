//! Browser test: the app mounts into a host element and renders its root.
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p baton-web`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_mounts_and_renders_its_root() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let host = document.create_element("div").expect("a host element");
    document
        .body()
        .expect("a body")
        .append_child(&host)
        .expect("host attached");

    let handle = yew::Renderer::<baton_web::App>::with_root(host.clone()).render();
    // Yew renders on its scheduler: yield once so the first render lands.
    yew::platform::time::sleep(Duration::ZERO).await;

    let root = host.query_selector("#app").expect("valid selector");
    let root = root.expect("the app rendered its #app root");
    assert!(root.text_content().unwrap_or_default().contains("Baton"));

    handle.destroy();
    yew::platform::time::sleep(Duration::ZERO).await;
    assert_eq!(host.child_element_count(), 0, "unmounting removed the app");
}
