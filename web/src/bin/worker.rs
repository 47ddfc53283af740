//! Entry point of the analysis worker.
fn main() {
    // Until the worker has a message loop, keep one use of wasm-bindgen so the
    // module carries the intrinsics `wasm-bindgen` needs to generate its bindings.
    #[cfg(target_arch = "wasm32")]
    drop(wasm_bindgen::JsValue::from_str("baton-worker"));
}
