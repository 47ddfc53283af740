//! A file handed over in pieces (as the web worker reads it) loads exactly
//! what the whole file loads: the first byte picks the piece size and the
//! name, the rest, repeated past the 256 KiB read whole for detection, is
//! the file. Any difference in the outcome, the sources or
//! the records is a crash.
#![no_main]

use baton_core::import::{import_file, import_pieces};
use baton_core::Dataset;
use libfuzzer_sys::fuzz_target;

/// What an import left: its result and everything loaded.
fn outcome(ds: &Dataset, result: Result<baton_core::model::SourceId, baton_core::Error>) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        result.map_err(|e| e.to_string()),
        ds.names,
        ds.sources,
        ds.sessions,
        ds.operations,
        ds.work_items,
        ds.aggregates,
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let name = if pick & 0x80 == 0 { "fuzz.ndjson" } else { "fuzz.json" };
    // Pieces of 1 to 4 096 bytes.
    let size = (usize::from(pick & 0x7F) + 1) * 32 - 31;
    // Detection gathers the first 256 KiB whole: the body, repeated past
    // that, so that pieces cut its lines and records after it.
    let body = body.repeat(300 * 1024 / body.len().max(1) + 1);
    let body = body.as_slice();

    let mut whole = Dataset::new();
    let expected = import_file(&mut whole, name, body);
    let expected = outcome(&whole, expected);

    let mut ds = Dataset::new();
    let mut parts = body.chunks(size).map(<[u8]>::to_vec);
    let first = parts.next().unwrap_or_default();
    let result = import_pieces(
        &mut ds,
        name,
        body.len() as u64,
        first,
        &mut || Ok(parts.next()),
        &mut || Ok(body.to_vec()),
    );
    assert_eq!(outcome(&ds, result), expected, "pieces of {size}");
});
