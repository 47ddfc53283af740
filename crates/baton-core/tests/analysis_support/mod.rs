//! Terse construction of datasets for the analysis tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use baton_core::analysis::{analyze, Analysis, AnalysisOptions};
use baton_core::model::{
    Dataset, Format, Operation, Outcome, RecordCounts, Source, SourceId, Timestamp,
};

/// 2025-11-10T00:00:00Z (a Monday), day index 20 402.
pub const T0: i64 = 20_402 * 86_400_000;
pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 86_400_000;

pub fn source(ds: &mut Dataset, format: Format) -> SourceId {
    ds.sources.push(Source {
        name: format!("file{}", ds.sources.len()),
        format,
        bytes: 0,
        counts: RecordCounts::default(),
        diagnostics: Vec::new(),
        quality: Vec::new(),
    });
    SourceId(ds.sources.len() as u32 - 1)
}

pub fn dataset() -> Dataset {
    let mut ds = Dataset::new();
    source(&mut ds, Format::Baton);
    ds
}

/// Adds an operation: id, kind, agent, outcome, start (ms), duration (s); returns it for tweaks.
pub fn op<'a>(
    ds: &'a mut Dataset,
    id: &str,
    kind: &str,
    agent: &str,
    outcome: Outcome,
    start: i64,
    duration: Option<f64>,
) -> &'a mut Operation {
    let o = Operation {
        id: ds.intern(id),
        source: SourceId(0),
        session: None,
        parent: None,
        kind: ds.intern(kind),
        agent: ds.intern(agent),
        model: None,
        work_item: None,
        start: Some(Timestamp(start)),
        end: None,
        duration,
        outcome,
        retries: 0,
        error_type: None,
        error_message: None,
        tokens: None,
        tokens_uncategorized: None,
        cost: None,
        cache_hit: None,
        files_created: None,
        files_modified: None,
        quality_score: None,
        conflicts: None,
        self_healed: None,
    };
    assert!(ds.insert_operation(o));
    ds.operations.last_mut().unwrap()
}

pub const OK: Outcome = Outcome::Success;
pub const KO: Outcome = Outcome::Failure;
pub const RUN: Outcome = Outcome::Running;

pub fn run(ds: &Dataset) -> Analysis {
    analyze(ds, &AnalysisOptions::default())
}

pub fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[track_caller]
pub fn assert_close(a: Option<f64>, b: f64) {
    assert!(close(a, b), "{a:?} != {b}");
}

/// Serialises and checks there is no NaN or infinity anywhere (serde_json
/// would write them as null, so the Debug form is checked too).
#[track_caller]
pub fn assert_clean_json(a: &Analysis) -> String {
    let json = serde_json::to_string(a).unwrap();
    assert!(!json.contains("NaN"), "{json}");
    let debug = format!("{a:?}");
    for bad in [": NaN", "(NaN)", ": inf", "(inf)", ": -inf", "(-inf)"] {
        assert!(!debug.contains(bad), "{bad} in {debug}");
    }
    json
}
