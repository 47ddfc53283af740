//! Baton's core: the canonical model of agent-orchestrator metrics, importers
//! for every supported export format, the analytics engine and the report
//! writers. Pure Rust: no web or terminal types, so it runs natively and in
//! WebAssembly alike.

pub mod analysis;
pub mod error;
pub mod hash;
pub mod import;
pub mod model;
pub mod par;
pub mod query;
pub mod report;
pub mod sample;
pub mod sort;

pub use error::Error;
pub use model::Dataset;
