//! The app's frame: one function component per file.

pub mod app;
pub mod banners;
pub mod drop_zone;
pub mod file_picker;
pub mod header;
pub mod nav;
pub mod progress;
pub mod welcome;
