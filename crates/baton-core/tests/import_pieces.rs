//! A file handed over in pieces (as the web worker reads it) loads exactly
//! what the whole file loads: NDJSON as the pieces arrive, other formats
//! gathered whole.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use baton_core::import::{import_file, import_pieces};
use baton_core::Dataset;

/// Everything loaded, with the id indices in order (a map's own order
/// depends on its capacity, which differs with how the file was read).
fn snapshot(ds: &Dataset) -> String {
    let sorted = |m: Vec<(String, usize)>| {
        let mut m = m;
        m.sort();
        m
    };
    let operations = sorted(
        ds.operation_index
            .iter()
            .map(|(k, v)| (format!("{k:?}"), *v))
            .collect(),
    );
    let sessions = sorted(
        ds.session_index
            .iter()
            .map(|(k, v)| (format!("{k:?}"), *v))
            .collect(),
    );
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{operations:?}\n{sessions:?}",
        ds.names,
        ds.sources,
        ds.sessions,
        ds.operations,
        ds.work_items,
        ds.pipelines,
        ds.debugging,
        ds.communication,
        ds.agent_profiles,
        ds.patterns,
        ds.aggregates,
    )
}

fn fixture(path: &str) -> Vec<u8> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    std::fs::read(format!("{root}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The dataset (or error) of `bytes` read in pieces of `size` bytes, after
/// `before` was loaded whole.
fn in_pieces(before: &[u8], bytes: &[u8], size: usize) -> String {
    let mut ds = Dataset::new();
    import_file(&mut ds, "before.ndjson", before).expect("the first file loads");
    let mut parts = bytes.chunks(size).map(<[u8]>::to_vec);
    let first = parts.next().unwrap_or_default();
    let result = import_pieces(&mut ds, "file", bytes.len() as u64, first, &mut || {
        Ok(parts.next())
    });
    format!("{:?}\n{}", result.map_err(|e| e.to_string()), snapshot(&ds))
}

fn whole(before: &[u8], bytes: &[u8]) -> String {
    let mut ds = Dataset::new();
    import_file(&mut ds, "before.ndjson", before).expect("the first file loads");
    let result = import_file(&mut ds, "file", bytes);
    format!("{:?}\n{}", result.map_err(|e| e.to_string()), snapshot(&ds))
}

#[test]
fn pieces_load_what_the_whole_file_loads() {
    // Loaded first, so that duplicates across files merge as they would.
    let before = fixture("hostile/dup_across_a.ndjson");
    for path in [
        "baton/example.ndjson",
        "hostile/dup_across_b.ndjson",
        "hostile/utf8_bom.ndjson",
        "hostile/crlf.ndjson",
        "hostile/header_mid_stream.ndjson",
        "hostile/truncated_mid_record.ndjson",
        "hostile/utf16le_no_bom.ndjson",
        "baton/example.json",
        "seed004/monitor_export_all.json",
    ] {
        let bytes = fixture(path);
        let expected = whole(&before, &bytes);
        for size in [3, 64, 4096, bytes.len().max(1)] {
            assert_eq!(
                in_pieces(&before, &bytes, size),
                expected,
                "{path} in pieces of {size}"
            );
        }
    }
}

#[test]
fn a_failed_read_adds_nothing() {
    let bytes = fixture("baton/example.ndjson");
    let mut ds = Dataset::new();
    let mut parts = bytes.chunks(64).map(<[u8]>::to_vec);
    let first = parts.next().unwrap_or_default();
    let mut left = 3;
    let result = import_pieces(&mut ds, "file", bytes.len() as u64, first, &mut || {
        left -= 1;
        if left == 0 {
            return Err(baton_core::Error::Invalid {
                what: "file".into(),
                reason: "the file could not be read".into(),
            });
        }
        Ok(parts.next())
    });
    assert!(result.is_err());
    assert!(ds.sources.is_empty());
    assert!(ds.operations.is_empty() && ds.sessions.is_empty());
}
