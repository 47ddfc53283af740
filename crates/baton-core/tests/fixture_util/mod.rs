//! Shared by the importer tests: fixture loading and small helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use baton_core::import::{self, common::parse_time_text};
use baton_core::model::{Format, SourceId, Timestamp};
use baton_core::{Dataset, Error};

/// The repository's fixture folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// A fixture's bytes.
pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Detects and imports a fixture under its relative name.
pub fn load(ds: &mut Dataset, rel: &str) -> Result<SourceId, Error> {
    import::import_file(ds, rel, &read(rel))
}

/// Detects a fixture's format.
pub fn detect(rel: &str) -> Result<Format, Error> {
    import::detect(rel, &read(rel))
}

/// An RFC 3339 time as a timestamp.
pub fn ts(s: &str) -> Timestamp {
    parse_time_text(s).unwrap().0
}

/// Float equality to 1e-9.
pub fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

/// Asserts a float figure to 1e-9.
#[track_caller]
pub fn assert_close(a: Option<f64>, b: f64) {
    assert!(close(a, b), "{a:?} != {b}");
}
