//! Entry point of the analysis worker (built by Trunk as a web worker).
fn main() {
    #[cfg(target_arch = "wasm32")]
    baton_web::worker::run();
}
