//! Browser test: the app mounts and shows the welcome screen with its
//! "Load sample data" button.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn welcome_screen_offers_the_sample() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("mounted");
    yew::Renderer::<baton_web::App>::with_root(root.clone()).render();
    yew::platform::time::sleep(Duration::from_millis(100)).await;

    let button = root
        .query_selector("#load-sample")
        .expect("a valid selector")
        .expect("the Load sample data button");
    assert_eq!(button.text_content().as_deref(), Some("Load sample data"));
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains("Analytics for your agent orchestrator"),
        "{text}"
    );
    assert!(text.contains("never leaves this machine"), "{text}");
    // Every view is in the navigation.
    let links = root.query_selector_all("nav a").expect("a valid selector");
    assert_eq!(links.length(), 11);
}
