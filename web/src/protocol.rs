//! Messages between the page and the analysis worker. Files go in as bytes
//! (transferred, not copied, where the platform allows); only analysis
//! results come back: never the dataset.

use baton_core::analysis::{Analysis, AnalysisOptions, OperationRef};
use baton_core::model::Source;
use serde::{Deserialize, Serialize};

/// A request from the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

/// A response from the worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

/// What the page gets after a load or re-analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    /// The analysis for the current options.
    pub analysis: Analysis,
    /// Every loaded file with counts and diagnostics.
    pub sources: Vec<Source>,
    /// Every agent, model, kind and session in the data (unfiltered), for the filter menus.
    pub choices: Choices,
}

/// Values the filters can take.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    /// Agents.
    pub agents: Vec<String>,
    /// Models.
    pub models: Vec<String>,
    /// Operation kinds.
    pub kinds: Vec<String>,
    /// Sessions.
    pub sessions: Vec<String>,
}

/// Bytes as a plain sequence (a placeholder for a faster transfer path).
mod serde_bytes_compat {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Vec::<u8>::deserialize(d)
    }
}
