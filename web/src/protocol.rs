//! Messages between the page and the analysis worker. Files go in as bytes
//! (transferred, not copied, where the platform allows); only analysis
//! results come back: never the dataset.

use baton_core::analysis::{Analysis, AnalysisOptions, OperationRef};
use baton_core::model::Source;
use serde::{Deserialize, Serialize};

/// A request from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Start a load of `files` files (added to what is loaded unless `replace`).
    Begin {
        /// Number of files that follow.
        files: u32,
        /// Total bytes that follow.
        bytes: u64,
        /// Clear the dataset first.
        replace: bool,
    },
    /// One file's content.
    File {
        /// Name (path within a dropped folder).
        name: String,
        /// Content.
        #[serde(with = "serde_bytes_compat")]
        bytes: Vec<u8>,
    },
    /// All files sent: analyse with these options.
    Finish(AnalysisOptions),
    /// Load the embedded sample dataset.
    Sample(AnalysisOptions),
    /// Re-analyse the loaded dataset with new options (period, filters, settings).
    Analyze(AnalysisOptions),
    /// One session's operations, for its timeline.
    SessionTimeline(String),
    /// Failed operations of one error type (None = all), newest first.
    Failures {
        /// Error type.
        error_type: Option<String>,
        /// At most this many.
        limit: u32,
    },
    /// Drop everything loaded.
    Clear,
    /// Self-test of crash recovery: the worker panics on purpose, as a bug
    /// would, so the page's handling of a failed worker can be checked. Sent
    /// only when the page's URL asks for it (see
    /// [`crate::hooks::SELF_TEST_WORKER_PANIC`]); nothing is lost but what the
    /// worker held.
    Panic,
}

/// A response from the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Bytes and records processed so far.
    Progress {
        /// Bytes parsed.
        bytes_done: u64,
        /// Bytes in the load.
        bytes_total: u64,
        /// Records imported so far.
        records: u64,
        /// File being parsed.
        current: String,
    },
    /// A file that could not be loaded, and why.
    FileError {
        /// File name.
        name: String,
        /// One-line reason.
        message: String,
    },
    /// The analysis of everything loaded.
    Analysis(Box<Loaded>),
    /// A session's operations.
    SessionTimeline {
        /// Session id.
        id: String,
        /// Its operations, by start time.
        operations: Vec<OperationRef>,
    },
    /// Failed operations.
    Failures(Vec<OperationRef>),
    /// The worker failed (a panic included); the page stays usable.
    Crashed(String),
    /// The worker has started and takes requests (sent once, first).
    Ready,
}

/// What the page gets after a load or re-analysis.
///
/// Equality is identity: every `Loaded` is a fresh result from the worker, so
/// two are equal only when they are the same value (as held in one `Rc`). This
/// keeps Yew's property checks cheap and the deep comparison of the whole
/// analysis out of the page's WebAssembly.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Loaded {
    /// The analysis for the current options.
    pub analysis: Analysis,
    /// Every loaded file with counts and diagnostics.
    pub sources: Vec<Source>,
    /// Every agent, model, kind and session in the data (unfiltered), for the filter menus.
    pub choices: Choices,
    /// Size of the worker's WebAssembly memory, in bytes: its peak so far, as
    /// WebAssembly memory only grows (None outside a browser).
    pub engine_memory_bytes: Option<u64>,
    /// Where the time of the last load and this analysis went.
    pub timings: LoadTimings,
}

/// Milliseconds the worker spent on the last load (reading files into memory,
/// importing them) and on this analysis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadTimings {
    /// Reading the files' bytes into the worker's memory.
    pub read_ms: f64,
    /// Detecting formats and importing records into the dataset.
    pub import_ms: f64,
    /// Computing the analysis.
    pub analysis_ms: f64,
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Values the filters can take (computed in the core, see [`baton_core::query::choices`]).
pub use baton_core::query::Choices;

/// Bytes as one length-prefixed block (bincode copies it in one go) rather
/// than a sequence of numbers decoded one by one.
mod serde_bytes_compat {
    use std::fmt;

    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        d.deserialize_byte_buf(BytesVisitor)
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }

        fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(out)
        }
    }
}

/// Encodes a message for the wire (bincode).
pub fn encode<T: Serialize>(msg: &T) -> Result<Vec<u8>, String> {
    // One pass into a growing buffer (the same bytes as `bincode::serialize`,
    // which would also compile a size-counting pass of every message type).
    let mut out = Vec::new();
    bincode::serialize_into(&mut out, msg).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Decodes a message from the wire.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    bincode::deserialize(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_bytes_round_trip_as_one_block() {
        let req = Request::File {
            name: "runs/a.json".into(),
            bytes: b"{\"x\":1}".to_vec(),
        };
        let wire = encode(&req).unwrap_or_default();
        // bincode: variant tag u32 (4) + name len u64 (8) + 11 name bytes
        // + bytes len u64 (8) + 7 content bytes = 38.
        assert_eq!(wire.len(), 38);
        match decode::<Request>(&wire) {
            Ok(Request::File { name, bytes }) => {
                assert_eq!(name, "runs/a.json");
                assert_eq!(bytes, b"{\"x\":1}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn responses_round_trip() {
        let resp = Response::Progress {
            bytes_done: 5,
            bytes_total: 10,
            records: 3,
            current: "a".into(),
        };
        let back: Response =
            decode(&encode(&resp).unwrap_or_default()).unwrap_or(Response::Crashed(String::new()));
        assert!(matches!(
            back,
            Response::Progress {
                bytes_done: 5,
                bytes_total: 10,
                records: 3,
                ..
            }
        ));
    }
}
