//! Helpers shared by the importer tests: fixture loading and look-ups.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use baton_core::import::{detect, import_file};
use baton_core::model::{Aggregate, Dataset, Format, Operation, Session, Source, Timestamp};

/// 2025-11-29T00:00:00Z in ms (2025-11-29T10:00:00Z = 1_764_410_400_000 minus 10 h).
pub const NOV29: i64 = 1_764_374_400_000;
/// 2025-11-28T00:00:00Z (one day earlier).
pub const NOV28: i64 = NOV29 - 86_400_000;
pub const H: i64 = 3_600_000;
pub const M: i64 = 60_000;
pub const S: i64 = 1_000;

/// A time on 2025-11-29: hours, minutes, seconds after midnight UTC.
pub fn nov29(h: i64, m: i64, s: i64) -> Option<Timestamp> {
    Some(Timestamp(NOV29 + h * H + m * M + s * S))
}

pub fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

pub fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The file name part of a fixture path, as a user would drop it.
pub fn name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap()
}

pub fn detect_fixture(rel: &str) -> Format {
    detect(name(rel), &bytes(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Loads a fixture (detecting its format) and returns its source entry.
pub fn load(ds: &mut Dataset, rel: &str) -> Source {
    let id = import_file(ds, name(rel), &bytes(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let src = ds.sources[id.0 as usize].clone();
    assert!(src.counts.is_conserved(), "{rel}: {:?}", src.counts);
    src
}

pub fn op<'a>(ds: &'a Dataset, id: &str) -> &'a Operation {
    let sym = ds.names.get(id).unwrap_or_else(|| panic!("no name {id}"));
    let i = ds.operation_index[&sym];
    &ds.operations[i]
}

pub fn session<'a>(ds: &'a Dataset, id: &str) -> &'a Session {
    let sym = ds.names.get(id).unwrap_or_else(|| panic!("no name {id}"));
    &ds.sessions[ds.session_index[&sym]]
}

pub fn name_of(ds: &Dataset, sym: baton_core::model::Sym) -> &str {
    ds.name(sym)
}

pub fn aggregates<'a>(ds: &'a Dataset, origin: &str) -> Vec<&'a Aggregate> {
    ds.aggregates
        .iter()
        .filter(|a| a.origin == origin)
        .collect()
}
