//! Entry point of the page.
fn main() {
    yew::Renderer::<baton_web::App>::new().render();
}
