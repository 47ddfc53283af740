//! A file handed over in pieces (as the web worker reads it) loads exactly
//! what the whole file loads: Baton NDJSON and documents as the pieces
//! arrive, other formats gathered whole, a document that turns out otherwise
//! laid out read again whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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
/// `before` was loaded whole; and whether the whole file was asked for again.
fn in_pieces(before: &[u8], bytes: &[u8], size: usize) -> (String, bool) {
    let mut ds = Dataset::new();
    import_file(&mut ds, "before.ndjson", before).expect("the first file loads");
    let mut parts = bytes.chunks(size).map(<[u8]>::to_vec);
    let first = parts.next().unwrap_or_default();
    let mut again = false;
    let result = import_pieces(
        &mut ds,
        "file",
        bytes.len() as u64,
        first,
        &mut || Ok(parts.next()),
        &mut || {
            again = true;
            Ok(bytes.to_vec())
        },
    );
    let loaded = format!("{:?}\n{}", result.map_err(|e| e.to_string()), snapshot(&ds));
    (loaded, again)
}

fn whole(before: &[u8], bytes: &[u8]) -> String {
    let mut ds = Dataset::new();
    import_file(&mut ds, "before.ndjson", before).expect("the first file loads");
    let result = import_file(&mut ds, "file", bytes);
    format!("{:?}\n{}", result.map_err(|e| e.to_string()), snapshot(&ds))
}

/// A Baton document of 2 000 generated operations and their sessions.
fn generated() -> Vec<u8> {
    let ds = baton_core::sample::sample_operations(2000);
    baton_core::import::baton::export_json(&ds).into_bytes()
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
        "hostile/trailing_garbage.json",
        "hostile/truncated_mid_record.json",
        "hostile/truncated_mid_string.json",
        "hostile/truncated_mid_number.json",
        "hostile/stray_brace_in_array.json",
        "hostile/stray_colon_in_array.json",
        "hostile/duplicate_keys.json",
        "hostile/invalid_utf8_in_string.json",
        "hostile/unknown_array.json",
        "hostile/lone_brace.json",
        "generated",
        "generated, lists out of order",
        "generated, with odd records",
        "a NUL byte after the first piece",
    ] {
        let bytes = match path {
            "generated" => generated(),
            "generated, lists out of order" => {
                // Sessions after operations: the general reader loads sessions first.
                let doc = String::from_utf8(generated()).unwrap();
                let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
                let ops = doc["operations"].to_string();
                let sessions = doc["sessions"].to_string();
                format!(r#"{{"operations":{ops},"sessions":{sessions}}}"#).into_bytes()
            }
            "generated, with odd records" => String::from_utf8(generated())
                .unwrap()
                .replace("\"retries\":3", "\"retries\":-3")
                .replace("\"agent\":\"coder\"", "\"agent\":\"co\\u0064er\"")
                .into_bytes(),
            // Refused as binary whole: so in pieces too, however small the first
            // (found by the `pieces` fuzz target).
            "a NUL byte after the first piece" => {
                b"{\"type\":\"operation\",\"id\":\"a\",\"kind\":\"k\",\"agent\":\"x\",\"outcome\":\"success\"}\n{\"id\":\"b\0\"}\n"
                    .to_vec()
            }
            _ => fixture(path),
        };
        let expected = whole(&before, &bytes);
        // Documents laid out as Baton writes them are read as they arrive.
        let streamed = matches!(path, "generated" | "generated, with odd records");
        for size in [3, 64, 4096, 100_000, bytes.len().max(1)] {
            let (loaded, again) = in_pieces(&before, &bytes, size);
            assert_eq!(loaded, expected, "{path} in pieces of {size}");
            if streamed {
                assert!(!again, "{path} in pieces of {size} was read again whole");
            }
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
    let result = import_pieces(
        &mut ds,
        "file",
        bytes.len() as u64,
        first,
        &mut || {
            left -= 1;
            if left == 0 {
                return Err(baton_core::Error::Invalid {
                    what: "file".into(),
                    reason: "the file could not be read".into(),
                });
            }
            Ok(parts.next())
        },
        &mut || Ok(bytes.clone()),
    );
    assert!(result.is_err());
    assert!(ds.sources.is_empty());
    assert!(ds.operations.is_empty() && ds.sessions.is_empty());
}
