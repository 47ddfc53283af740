//! Seed 003 (MoAI metrics JSON and CSV export): detection, mapping field by
//! field, counts, duplicates and broken rows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use baton_core::import::{import_file, peek::peek, seed003};
use baton_core::model::{
    AggregateScope, Dataset, DiagnosticLevel, Format, Outcome, Timestamp, Tokens,
};
use support::*;

#[test]
fn detects_every_seed003_fixture() {
    for f in [
        "seed003/2025-11-28.json",
        "seed003/2025-11-29.json",
        "seed003/task_metrics.json",
        "seed003/token_usage.json",
        "seed003/agent_metrics.json",
        "seed003/daily_report.json",
        "broken/moai_dup_a.json",
    ] {
        assert_eq!(detect_fixture(f), Format::MoaiMetrics, "{f}");
    }
    assert_eq!(
        detect_fixture("seed003/metrics_export.csv"),
        Format::MoaiCsv
    );
    assert_eq!(
        detect_fixture("broken/metrics_bad_number.csv"),
        Format::MoaiCsv
    );
}

#[test]
fn does_not_claim_seed000_or_seed002_files() {
    // Seed 002's issue report also has agent_metrics, beside issue_id.
    let issue = br#"{"issue_id": 123, "status": "completed", "duration_seconds": 523.2,
        "agent_metrics": {"coding": {"attempts": 1, "successes": 1, "failures": 0, "retries": 0, "duration": 45.3}}}"#;
    assert!(seed003::detect(&peek(issue)).is_err());
    let report = br#"{"report_type": "summary", "overall": {}, "operations": []}"#;
    assert!(seed003::detect(&peek(report)).is_err());
}

#[test]
fn daily_hook_file_maps_each_task() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed003/2025-11-28.json");
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (4, 4, 0)
    );

    let t = op(&ds, "task-101");
    assert_eq!(ds.name(t.agent), "expert-backend");
    assert_eq!(ds.name(t.kind), "task");
    assert_eq!(t.outcome, Outcome::Success);
    // timestamp is the end: 10:01:30 on Nov 28; start = end - 90 s = 10:00:00.
    assert_eq!(t.end, Some(Timestamp(NOV28 + 10 * H + M + 30 * S)));
    assert_eq!(t.start, Some(Timestamp(NOV28 + 10 * H)));
    assert_eq!(t.duration, Some(90.0));
    // A total with no category split: uncategorized, no category claimed.
    assert_eq!(t.tokens, None);
    assert_eq!(t.tokens_uncategorized, Some(25_000));
    assert_eq!(t.total_tokens(), Some(25_000));
    assert_eq!(t.session, None);

    let t = op(&ds, "task-103");
    assert_eq!(t.outcome, Outcome::Failure);
    // 45 500 ms = 45.5 s before 11:00:45 is 10:59:59.5.
    assert_eq!(t.duration, Some(45.5));
    assert_eq!(t.start, Some(Timestamp(NOV28 + 11 * H + 45 * S - 45_500)));

    // The fourth task has no task_id: derived id and an info diagnostic.
    let t = op(&ds, "2025-11-28.json#tasks.3");
    assert_eq!(ds.name(t.agent), "expert-debug");
    assert_eq!(t.tokens_uncategorized, Some(8_000));
    let info: Vec<_> = src
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Info)
        .collect();
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].record, Some(3));
    assert_eq!(info[0].field.as_deref(), Some("task_id"));
}

#[test]
fn task_metrics_merge_with_the_hook_file() {
    let mut ds = Dataset::new();
    let day = load(&mut ds, "seed003/2025-11-29.json");
    assert_eq!((day.counts.read, day.counts.imported), (5, 5));
    let tm = load(&mut ds, "seed003/task_metrics.json");
    // task-001 is in both files: merged, counted once as a duplicate.
    assert_eq!(
        (tm.counts.read, tm.counts.imported, tm.counts.duplicates),
        (2, 1, 1)
    );
    assert_eq!(ds.operations.len(), 6);

    let t = op(&ds, "task-001");
    assert_eq!(t.start, nov29(10, 0, 0));
    assert_eq!(t.end, nov29(10, 1, 30));
    assert_eq!(t.files_created, Some(2)); // filled in from task_metrics
    assert_eq!(t.files_modified, Some(3));
    assert_eq!(t.tokens_uncategorized, Some(25_000));

    assert_eq!(op(&ds, "task-003").outcome, Outcome::Failure); // "error"
    assert_eq!(op(&ds, "task-005").outcome, Outcome::Failure); // "timeout"

    let t = op(&ds, "task-006");
    assert_eq!(ds.name(t.agent), "expert-frontend");
    assert_eq!(t.outcome, Outcome::Failure);
    assert_eq!((t.start, t.end), (nov29(13, 0, 0), nov29(13, 2, 0)));
    assert_eq!(t.duration, Some(120.0));
    assert_eq!((t.files_created, t.files_modified), (Some(0), Some(1)));

    // 25 000 + 35 000 + 41 000 + 15 000 + 52 000 (hook) + 18 000 (task-006).
    let total: u64 = ds.operations.iter().filter_map(|o| o.total_tokens()).sum();
    assert_eq!(total, 186_000);
}

#[test]
fn single_task_metrics_object_as_in_the_seed() {
    let mut ds = Dataset::new();
    let body = br#"{"task_metrics": {"task_id": "task-001", "agent": "expert-backend",
        "started_at": "2025-11-29T10:00:00Z", "ended_at": "2025-11-29T10:01:30Z",
        "duration_ms": 90000, "result": "success", "tokens_used": 25000,
        "files_created": 2, "files_modified": 3}}"#;
    import_file(&mut ds, "task.json", body).unwrap();
    assert_eq!(ds.operations.len(), 1);
    assert_eq!(op(&ds, "task-001").duration, Some(90.0));
}

#[test]
fn token_usage_is_a_session_aggregate() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed003/token_usage.json");
    assert_eq!((src.counts.read, src.counts.imported), (1, 1));
    assert!(ds.operations.is_empty());
    let a = aggregates(&ds, "token_usage");
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].scope, AggregateScope::Session("sess-001".into()));
    assert_eq!(a[0].total_tokens, Some(150_000));
    assert_eq!(
        a[0].tokens,
        Some(Tokens {
            input: 45_000,
            output: 105_000,
            cache_read: 0,
            cache_write: 0
        })
    );
    assert_eq!(
        a[0].extra,
        vec![
            ("by_task.task-001".to_string(), "25000".to_string()),
            ("by_task.task-002".to_string(), "35000".to_string())
        ]
    );
}

#[test]
fn agent_metrics_are_agent_aggregates_with_period() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed003/agent_metrics.json");
    assert_eq!((src.counts.read, src.counts.imported), (2, 2));
    let a = aggregates(&ds, "agent_metrics");
    assert_eq!(a[0].scope, AggregateScope::Agent("expert-backend".into()));
    assert_eq!(a[0].count, Some(45));
    assert_eq!(a[0].success_rate, Some(0.89));
    assert_eq!(a[0].avg_duration, Some(55.0)); // 55 000 ms
    assert_eq!(a[0].total_tokens, Some(1_125_000));
    // 2025-11-01 00:00Z = Nov 29 minus 28 days; the end is exclusive: Dec 1.
    assert_eq!(a[0].period_start, Some(Timestamp(NOV29 - 28 * 86_400_000)));
    assert_eq!(a[0].period_end, Some(Timestamp(NOV29 + 2 * 86_400_000)));
    assert_eq!(a[0].period_days, Some(30.0));
    assert_eq!(a[1].scope, AggregateScope::Agent("manager-tdd".into()));
    assert_eq!((a[1].count, a[1].success_rate), (Some(32), Some(1.0)));
    assert_eq!(a[1].avg_duration, Some(180.0));
}

#[test]
fn daily_report_overall_and_per_agent() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed003/daily_report.json");
    // The summary plus two agents.
    assert_eq!((src.counts.read, src.counts.imported), (3, 3));
    let a = aggregates(&ds, "daily_report");
    assert_eq!(a[0].scope, AggregateScope::Overall);
    assert_eq!(a[0].period_start, Some(Timestamp(NOV29)));
    assert_eq!(a[0].period_end, Some(Timestamp(NOV29 + 86_400_000)));
    assert_eq!(a[0].period_days, Some(1.0));
    assert_eq!(a[0].sessions, Some(3));
    assert_eq!(a[0].count, Some(24));
    assert_eq!(a[0].success_rate, Some(0.92));
    assert_eq!(a[0].total_tokens, Some(450_000));
    assert_eq!(
        a[0].extra,
        vec![
            ("total_duration_hours".to_string(), "4.5".to_string()),
            ("success_rate_change".to_string(), "+5%".to_string()),
            ("efficiency_change".to_string(), "+12%".to_string())
        ]
    );
    assert_eq!(a[1].scope, AggregateScope::Agent("expert-backend".into()));
    assert_eq!(
        (a[1].count, a[1].success_rate, a[1].avg_duration),
        (Some(8), Some(0.88), Some(120.0))
    );
    assert_eq!(a[1].period_start, Some(Timestamp(NOV29)));
    assert_eq!(a[2].scope, AggregateScope::Agent("manager-tdd".into()));
    assert_eq!(
        (a[2].count, a[2].success_rate, a[2].avg_duration),
        (Some(6), Some(1.0), Some(180.0))
    );
}

#[test]
fn several_sections_in_one_file() {
    let mut ds = Dataset::new();
    let body = br#"{"tasks": [{"task_id": "t1", "agent": "a", "result": "ok", "duration_ms": 1000, "tokens": 10, "timestamp": "2025-11-29T10:00:01Z"}],
        "agent_metrics": {"a": {"tasks_completed": 1, "success_rate": 100, "avg_duration_ms": 1000}}}"#;
    let id = import_file(&mut ds, "mixed.json", body).unwrap();
    let src = &ds.sources[id.0 as usize];
    assert_eq!((src.counts.read, src.counts.imported), (2, 2));
    // An agent entry with none of the seed's figures is skipped.
    let body = br#"{"agent_metrics": {"coding": {"attempts": 1, "successes": 1}}}"#;
    let id = import_file(&mut ds, "other.json", body).unwrap();
    let other = &ds.sources[id.0 as usize];
    assert_eq!((other.counts.read, other.counts.skipped), (1, 1));
    // 100 is read as a percentage: 1.0.
    assert_eq!(ds.aggregates[0].success_rate, Some(1.0));
}

#[test]
fn unusable_tasks_are_skipped_with_reasons() {
    let mut ds = Dataset::new();
    let body = br#"{"tasks": [
        {"task_id": "ok", "agent": "a", "result": "success", "duration_ms": 1000},
        {"task_id": "no-result", "agent": "a", "duration_ms": 1000},
        {"task_id": "neg", "agent": "a", "result": "success", "duration_ms": -1},
        {"task_id": "text", "agent": "a", "result": "success", "duration_ms": "slow"},
        {"task_id": "weird", "agent": "a", "result": "banana"},
        "not an object"
    ]}"#;
    let id = import_file(&mut ds, "bad.json", body).unwrap();
    let src = &ds.sources[id.0 as usize];
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (6, 1, 5)
    );
    let skipped: Vec<(Option<u64>, Option<&str>)> = src
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Skipped)
        .map(|d| (d.record, d.field.as_deref()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (Some(1), Some("result")),
            (Some(2), Some("duration_ms")),
            (Some(3), Some("duration_ms")),
            (Some(4), Some("result")),
            (Some(5), None)
        ]
    );
}

#[test]
fn not_json_is_a_syntax_error() {
    let mut ds = Dataset::new();
    let err =
        baton_core::import::import_as(&mut ds, "x.json", b"{\"tasks\": [", Format::MoaiMetrics);
    assert!(matches!(err, Err(baton_core::Error::Syntax { .. })));
    assert!(ds.sources.is_empty());
}

#[test]
fn csv_export_rows_map_field_by_field() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed003/metrics_export.csv");
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (5, 5, 0)
    );
    let t = op(&ds, "task-001");
    assert_eq!(ds.name(t.agent), "expert-backend");
    assert_eq!(t.session.map(|s| ds.name(s)), Some("sess-001"));
    assert_eq!((t.start, t.end), (nov29(10, 0, 0), nov29(10, 1, 30)));
    // 7 500 + 17 500 = 25 000 = tokens: nothing left uncategorized.
    assert_eq!(
        t.tokens,
        Some(Tokens {
            input: 7_500,
            output: 17_500,
            cache_read: 0,
            cache_write: 0
        })
    );
    assert_eq!(t.tokens_uncategorized, None);
    assert_eq!((t.files_created, t.files_modified), (Some(2), Some(3)));

    let t = op(&ds, "task-003");
    assert_eq!(t.outcome, Outcome::Failure);
    assert_eq!(t.tokens, None);
    assert_eq!(t.tokens_uncategorized, Some(41_000));
    assert_eq!(
        t.error_message.as_deref(),
        Some("pytest: 3 tests failed, 1 error")
    );
    assert_eq!(t.error_type.map(|e| ds.name(e)), Some("test_failure"));

    let t = op(&ds, "task-005");
    // 52 000 - (15 600 + 30 000) = 6 400 uncategorized.
    assert_eq!(t.tokens.map(|t| t.total()), Some(45_600));
    assert_eq!(t.tokens_uncategorized, Some(6_400));
    assert_eq!(t.total_tokens(), Some(52_000));
    assert_eq!(t.error_type.map(|e| ds.name(e)), Some("timeout"));
    assert_eq!(t.duration, Some(300.0));
}

#[test]
fn csv_rows_with_bad_numbers_are_skipped_with_line() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "broken/metrics_bad_number.csv");
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (4, 2, 2)
    );
    let skipped: Vec<_> = src
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Skipped)
        .collect();
    assert_eq!(skipped.len(), 2);
    // "12O000" (letter O) on the third line: data row 1.
    assert_eq!((skipped[0].record, skipped[0].line), (Some(1), Some(3)));
    assert_eq!(skipped[0].field.as_deref(), Some("duration_ms"));
    assert!(
        skipped[0].reason.contains("12O000"),
        "{}",
        skipped[0].reason
    );
    // -5000 on the fourth line.
    assert_eq!((skipped[1].record, skipped[1].line), (Some(2), Some(4)));
    assert!(
        skipped[1].reason.contains("negative"),
        "{}",
        skipped[1].reason
    );
    assert_eq!(ds.operations.len(), 2);
}

#[test]
fn duplicates_across_two_files_count_once() {
    let mut ds = Dataset::new();
    let a = load(&mut ds, "broken/moai_dup_a.json");
    let b = load(&mut ds, "broken/moai_dup_b.json");
    assert_eq!(
        (a.counts.read, a.counts.imported, a.counts.duplicates),
        (2, 2, 0)
    );
    assert_eq!(
        (b.counts.read, b.counts.imported, b.counts.duplicates),
        (2, 1, 1)
    );
    assert_eq!(ds.operations.len(), 3);
    let total = ds.total_counts();
    assert!(total.is_conserved());
    assert_eq!((total.read, total.imported, total.duplicates), (4, 3, 1));
}
