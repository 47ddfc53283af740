//! Seed 004 (`monitor export` JSON): detection, mapping field by field,
//! counts, naive times, duplicates and broken records.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use baton_core::import::{import_file, peek::peek, seed004};
use baton_core::model::{Dataset, DiagnosticLevel, Format, Outcome, Timestamp};
use support::*;

#[test]
fn detects_every_seed004_fixture() {
    for f in [
        "seed004/monitor_export_all.json",
        "seed004/monitor_export_session.json",
        "seed004/monitor_export_camel.json",
        "broken/monitor_end_before_start.json",
    ] {
        assert_eq!(detect_fixture(f), Format::MonitorExport, "{f}");
    }
    // Seed 001's orchestrator metrics are not a monitor export.
    let droid = br#"{"session_metrics": {"session_id": "s"}, "phase_metrics": [], "communication_metrics": {}}"#;
    assert!(seed004::detect(&peek(droid)).is_err());
}

#[test]
fn all_data_export_maps_orchestrations_to_sessions() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed004/monitor_export_all.json");
    // 4 orchestrations + 11 executions.
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (15, 15, 0)
    );
    assert_eq!((ds.sessions.len(), ds.operations.len()), (4, 11));

    let s = session(&ds, "sess-auth-101");
    assert_eq!(s.outcome, Some(Outcome::Success));
    assert_eq!(s.status.as_deref(), Some("completed"));
    // SQLite naive times read as UTC.
    assert_eq!((s.start, s.end), (nov29(9, 0, 0), nov29(9, 42, 30)));
    assert_eq!(s.duration, Some(2550.0)); // 2 550 000 ms
    assert_eq!(
        s.description.as_deref(),
        Some("Add JWT authentication to the API")
    );
    assert_eq!(
        (s.tasks_total, s.tasks_completed, s.tasks_failed),
        (Some(4), Some(4), Some(0))
    );
    assert_eq!(s.commit.as_deref(), Some("a1b2c3d4e5f6"));

    // "partial" is a failure: not every task succeeded.
    let s = session(&ds, "sess-billing-102");
    assert_eq!(s.outcome, Some(Outcome::Failure));
    assert_eq!(s.status.as_deref(), Some("partial"));
    assert_eq!(
        session(&ds, "sess-search-103").outcome,
        Some(Outcome::Failure)
    );
    let s = session(&ds, "sess-docs-104");
    assert_eq!(s.outcome, Some(Outcome::Running));
    assert_eq!((s.end, s.duration), (None, None));

    // One info per time field for the whole file, not one per record.
    let info: Vec<_> = src
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Info)
        .map(|d| d.field.as_deref())
        .collect();
    assert_eq!(info, vec![Some("started_at"), Some("completed_at")]);
}

#[test]
fn executions_map_to_operations() {
    let mut ds = Dataset::new();
    load(&mut ds, "seed004/monitor_export_all.json");

    let x = op(&ds, "agent-sess-1002");
    assert_eq!(x.session.map(|s| ds.name(s)), Some("sess-auth-101")); // orchestration 1
    assert_eq!(ds.name(x.kind), "task-2");
    assert_eq!(ds.name(x.agent), "test-agent");
    assert_eq!(x.outcome, Outcome::Success);
    assert_eq!((x.start, x.end), (nov29(9, 12, 10), nov29(9, 25, 10)));
    assert_eq!(x.duration, Some(780.0));
    assert_eq!(x.retries, 1);
    assert_eq!(x.self_healed, Some(true)); // 1
    assert_eq!((x.files_created, x.files_modified), (Some(2), Some(2)));
    assert_eq!((x.error_type, x.error_message.as_deref()), (None, None));

    let x = op(&ds, "agent-sess-2002");
    assert_eq!(x.session.map(|s| ds.name(s)), Some("sess-billing-102"));
    assert_eq!(x.outcome, Outcome::Failure);
    assert_eq!(x.retries, 2);
    assert_eq!(x.self_healed, Some(false));
    assert_eq!(
        x.error_message.as_deref(),
        Some("3 tests failed in BillingServiceTest")
    );
    assert_eq!(x.error_type.map(|e| ds.name(e)), Some("test_failure"));
    assert_eq!(
        op(&ds, "agent-sess-3002").error_type.map(|e| ds.name(e)),
        Some("timeout")
    );
    assert_eq!(
        op(&ds, "agent-sess-3003").error_type.map(|e| ds.name(e)),
        Some("type_error")
    );

    let x = op(&ds, "agent-sess-4001");
    assert_eq!(x.outcome, Outcome::Running); // in_progress
    assert_eq!((x.start, x.end, x.duration), (nov29(12, 0, 5), None, None));
    assert_eq!((x.files_created, x.files_modified), (None, None));

    // Retries 0+1+0+0 + 0+2+1 + 0+3+1 + 0 = 8; self-healed: 1002 and 2003.
    assert_eq!(ds.operations.iter().map(|o| o.retries).sum::<u32>(), 8);
    assert_eq!(
        ds.operations
            .iter()
            .filter(|o| o.self_healed == Some(true))
            .count(),
        2
    );
    // Failures: 2002, 3002, 3003.
    assert_eq!(
        ds.operations
            .iter()
            .filter(|o| o.outcome == Outcome::Failure)
            .count(),
        3
    );
}

#[test]
fn session_export_after_all_data_is_all_duplicates() {
    let mut ds = Dataset::new();
    load(&mut ds, "seed004/monitor_export_all.json");
    let src = load(&mut ds, "seed004/monitor_export_session.json");
    // 1 orchestration + 3 executions, all already loaded.
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.duplicates),
        (4, 0, 4)
    );
    assert_eq!((ds.sessions.len(), ds.operations.len()), (4, 11));
}

#[test]
fn session_export_alone_resolves_its_session() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed004/monitor_export_session.json");
    assert_eq!((src.counts.read, src.counts.imported), (4, 4));
    for id in ["agent-sess-2001", "agent-sess-2002", "agent-sess-2003"] {
        assert_eq!(
            op(&ds, id).session.map(|s| ds.name(s)),
            Some("sess-billing-102"),
            "{id}"
        );
    }
    // Without orchestration_id, executions belong to the export's one session.
    let mut ds = Dataset::new();
    let body = br#"{"session": {"id": 9, "session_id": "s9", "task_description": "x", "status": "running"},
        "executions": [{"id": 1, "agent_name": "a", "status": "completed", "duration_ms": 1500}]}"#;
    import_file(&mut ds, "s9.json", body).unwrap();
    assert_eq!(op(&ds, "1").session.map(|s| ds.name(s)), Some("s9"));
    assert_eq!(op(&ds, "1").duration, Some(1.5));
    assert_eq!(ds.name(op(&ds, "1").kind), "agent_execution");
}

#[test]
fn camel_case_export() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed004/monitor_export_camel.json");
    assert_eq!((src.counts.read, src.counts.imported), (3, 3));
    // Times with a zone: no info diagnostics.
    assert!(src.diagnostics.is_empty(), "{:?}", src.diagnostics);
    let s = session(&ds, "sess-cache-105");
    // 2025-11-30T08:00Z = Nov 29 + 24 h + 8 h.
    assert_eq!(s.start, Some(Timestamp(NOV29 + 32 * H)));
    assert_eq!(s.duration, Some(1200.0));
    assert_eq!(
        (s.tasks_total, s.tasks_completed, s.tasks_failed),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(ds.name(op(&ds, "agent-sess-5001").kind), "task-1");
    let x = op(&ds, "agent-sess-5002");
    assert_eq!(ds.name(x.kind), "task 2"); // no taskId: its number
    assert_eq!(x.session.map(|s| ds.name(s)), Some("sess-cache-105"));
    assert_eq!((x.retries, x.self_healed), (2, Some(true)));
    assert_eq!(x.error_type.map(|e| ds.name(e)), Some("network")); // ECONNREFUSED
    assert_eq!(x.duration, Some(600.0));
}

#[test]
fn execution_ending_before_it_starts_is_skipped() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "broken/monitor_end_before_start.json");
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (3, 2, 1)
    );
    let d = src
        .diagnostics
        .iter()
        .find(|d| d.level == DiagnosticLevel::Skipped)
        .unwrap();
    // Record 2: the orchestration is record 0, the executions 1 and 2.
    assert_eq!(
        (d.record, d.field.as_deref()),
        (Some(2), Some("completed_at"))
    );
    assert!(d.reason.contains("before it starts"), "{}", d.reason);
    assert!(ds
        .names
        .get("agent-sess-7002")
        .is_none_or(|s| !ds.operation_index.contains_key(&s)));
}

#[test]
fn bad_elements_are_skipped_and_the_rest_loads() {
    let mut ds = Dataset::new();
    let body = br#"{"orchestrations": [{"id": 1, "session_id": "s1", "status": "completed"}, 42],
        "agent_executions": [
            {"id": 1, "orchestration_id": 1, "agent_name": "a", "status": "completed", "duration_ms": -3},
            {"id": 2, "orchestration_id": 1, "agent_name": "a", "status": "completed", "retry_count": "x"},
            {"orchestration_id": 1, "agent_name": "a", "status": "failed"},
            {"id": 4, "orchestration_id": 99, "agent_name": "a", "status": "failed", "self_healed": 7}
        ]}"#;
    let id = import_file(&mut ds, "mixed.json", body).unwrap();
    let src = &ds.sources[id.0 as usize];
    // Skipped: the number 42, the negative duration, the execution without id.
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (6, 3, 3)
    );
    // Kept with warnings: retry_count "x" (0), orchestration 99 unknown, self_healed 7.
    assert_eq!(op(&ds, "2").retries, 0);
    assert_eq!(op(&ds, "4").session, None);
    assert_eq!(op(&ds, "4").self_healed, None);
    let warnings = src
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Warning)
        .count();
    assert_eq!(warnings, 3);
}
