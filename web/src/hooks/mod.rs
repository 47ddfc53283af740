//! Custom hooks.

pub mod resize;
