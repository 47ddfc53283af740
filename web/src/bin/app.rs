//! Entry point of the page, and of the analysis worker: both run this one
//! WebAssembly module, so the page downloads the engine once.
fn main() {
    #[cfg(target_arch = "wasm32")]
    if baton_web::worker::in_worker_scope() {
        baton_web::worker::run();
        return;
    }
    yew::Renderer::<baton_web::App>::new().render();
}
