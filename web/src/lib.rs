//! Baton's web app: a Yew single-page app whose heavy work (parsing and
//! analysis) runs in a web worker.

pub mod bridge;
pub mod charts;
pub mod components;
pub mod files;
pub mod format;
pub mod hooks;
pub mod protocol;
pub mod route;
pub mod state;
pub mod views;
pub mod worker;

pub use components::app::App;
