//! Seed 002 run logger folders: detection, mapping, the merge of metrics
//! snapshots and final reports in any load order, counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod fixture_util;

use baton_core::import::{peek::peek, seed000, seed001};
use baton_core::model::{
    AggregateScope, DiagnosticLevel, Format, Operation, Outcome, RecordCounts,
};
use baton_core::Dataset;
use fixture_util::{assert_close, detect, load, ts};

const RUN: &str = "run_20241203_143022_project_168";

fn path(f: &str) -> String {
    format!("seed002/{RUN}/{f}")
}

/// The folder's files in the order a folder listing gives them.
fn folder_order() -> Vec<String> {
    [
        "issues/issue_123_metrics.json",
        "issues/issue_123_report.json",
        "issues/issue_124_report.json",
        "issues/issue_125_report.json",
        "run_20241203_143022_project_168_final.json",
        "run_20241203_143022_project_168_metadata.json",
    ]
    .iter()
    .map(|f| path(f))
    .collect()
}

fn load_all(ds: &mut Dataset, files: &[String]) -> Vec<RecordCounts> {
    files
        .iter()
        .map(|f| {
            let src = load(ds, f).unwrap();
            ds.sources[src.0 as usize].counts
        })
        .collect()
}

fn op<'a>(ds: &'a Dataset, id: &str) -> &'a Operation {
    let sym = ds.names.get(id).unwrap_or_else(|| panic!("no name {id}"));
    &ds.operations[ds.operation_index[&sym]]
}

fn counts(c: &RecordCounts) -> (u64, u64, u64, u64) {
    (c.read, c.imported, c.duplicates, c.skipped)
}

#[test]
fn every_run_file_is_detected_as_run_logger() {
    for f in folder_order() {
        assert_eq!(detect(&f).unwrap(), Format::RunLogger, "{f}");
        let p = peek(&fixture_util::read(&f));
        assert!(seed000::detect(&p).is_err(), "{f} claimed by seed 000");
        assert!(seed001::detect(&p).is_err(), "{f} claimed by seed 001");
    }
}

/// Checks the dataset a whole folder gives, whatever the load order.
fn check_run(ds: &Dataset) {
    // One run from metadata + final.
    assert_eq!(ds.sessions.len(), 1);
    let s = &ds.sessions[0];
    assert_eq!(ds.name(s.id), RUN);
    assert_eq!(s.start, Some(ts("2024-12-03T14:30:22Z")));
    assert_eq!(s.end, Some(ts("2024-12-03T15:01:09.300Z")));
    assert_close(s.duration, 1847.3);
    // The final status settles the metadata's "running".
    assert_eq!(s.outcome, Some(Outcome::Success));
    assert_eq!(s.mode.as_deref(), Some("implement_all"));
    let llm = s.llm.as_ref().unwrap();
    assert_eq!(llm.provider.as_deref(), Some("deepseek"));
    assert_eq!(llm.model.as_deref(), Some("deepseek-chat"));
    assert_eq!(llm.temperature, Some(0.0));
    assert_eq!(s.project.as_deref(), Some("168"));
    assert_eq!(
        (s.tasks_total, s.tasks_completed, s.tasks_failed),
        (Some(3), Some(2), Some(1))
    );
    let totals: Vec<_> = ds
        .aggregates
        .iter()
        .filter(|a| a.scope == AggregateScope::Session(RUN.into()))
        .collect();
    assert_eq!(totals.len(), 1);
    // success_rate 66.67 % -> 0.6667 of 3 issues, 2 successes.
    assert_close(totals[0].success_rate, 0.6667);
    assert_eq!(
        (totals[0].count, totals[0].success_count),
        (Some(3), Some(2))
    );

    // Work items: the report is final even when a snapshot exists.
    assert_eq!(ds.work_items.len(), 3);
    let wi = |n: u32| {
        let sym = ds.names.get(&format!("{RUN}/issue-{n}")).unwrap();
        &ds.work_items[ds.work_item_index[&sym]]
    };
    let w123 = wi(123);
    assert_eq!(w123.session, Some(s.id));
    assert_eq!(w123.status.as_deref(), Some("completed"));
    assert_eq!(w123.outcome, Some(Outcome::Success));
    assert_close(w123.duration, 523.2);
    assert_eq!(w123.errors, Some(2));
    assert_eq!(w123.start, Some(ts("2024-12-03T14:30:25Z")));
    assert_eq!(wi(125).outcome, Some(Outcome::Failure));
    assert_eq!(wi(125).errors, Some(4));

    // Agent attempts: 123 -> 3, 124 -> 4 (coding 2), 125 -> 4 (coding 2, testing 2).
    assert_eq!(ds.operations.len(), 11);
    let testing = op(ds, &format!("{RUN}/issue-123/testing/1"));
    assert_eq!(ds.name(testing.kind), "testing");
    assert_eq!(ds.name(testing.agent), "testing");
    assert_eq!(testing.outcome, Outcome::Success);
    assert_eq!(testing.retries, 2);
    assert_close(testing.duration, 289.5);
    assert_eq!(testing.work_item, Some(w123.id));
    assert_eq!(testing.session, Some(s.id));
    assert_eq!(testing.start, Some(ts("2024-12-03T14:30:25Z")));
    // 124 coding: 2 attempts, 1 failure then 1 success, 180 s split evenly,
    // the 1 retry on the last attempt.
    let c1 = op(ds, &format!("{RUN}/issue-124/coding/1"));
    let c2 = op(ds, &format!("{RUN}/issue-124/coding/2"));
    assert_eq!(
        (c1.outcome, c2.outcome),
        (Outcome::Failure, Outcome::Success)
    );
    assert_close(c1.duration, 90.0);
    assert_close(c2.duration, 90.0);
    assert_eq!((c1.retries, c2.retries), (0, 1));
    // 125 coding: 2 attempts, 1 success, no failure: the attempt without a
    // result in a finished issue is a failure.
    let a1 = op(ds, &format!("{RUN}/issue-125/coding/1"));
    let a2 = op(ds, &format!("{RUN}/issue-125/coding/2"));
    assert_eq!(
        (a1.outcome, a2.outcome),
        (Outcome::Failure, Outcome::Success)
    );
    assert!(a1.error_message.is_some());
    assert_close(a1.duration, 30.0);
    // Retries sum to the recorded figures: 0+2+0 + 1+0+0 + 0+3 = 6.
    assert_eq!(ds.operations.iter().map(|o| o.retries).sum::<u32>(), 6);
    let by = |o: Outcome| ds.operations.iter().filter(|x| x.outcome == o).count();
    // Successes 3 + 3 + 1 = 7, failures 0 + 1 + 3 = 4, none running.
    assert_eq!(
        (
            by(Outcome::Success),
            by(Outcome::Failure),
            by(Outcome::Running)
        ),
        (7, 4, 0)
    );

    // Pipelines: 3 + 1 + 2, in the listed order.
    assert_eq!(ds.pipelines.len(), 6);
    let p123: Vec<_> = ds
        .pipelines
        .iter()
        .filter(|p| p.work_item == Some(w123.id))
        .map(|p| (ds.name(p.id), p.sequence, p.outcome, p.commit.as_deref()))
        .collect();
    let mut sorted = p123.clone();
    sorted.sort_by_key(|p| p.1);
    assert_eq!(
        sorted,
        vec![
            ("4258", 0, Outcome::Failure, Some("abc123")),
            ("4259", 1, Outcome::Failure, Some("abc124")),
            ("4260", 2, Outcome::Success, Some("def456")),
        ]
    );
    // First pass: only 124's first pipeline passed -> 1 of 3 issues.
    let first_pass = ds
        .pipelines
        .iter()
        .filter(|p| p.sequence == 0 && p.outcome == Outcome::Success)
        .count();
    assert_eq!(first_pass, 1);

    // Debugging: 123 -> 1 (from the report), 125 -> 2.
    assert_eq!(ds.debugging.len(), 3);
    let d123: Vec<_> = ds
        .debugging
        .iter()
        .filter(|d| d.work_item == Some(w123.id))
        .collect();
    assert_eq!(d123.len(), 1);
    assert_eq!((d123[0].attempts, d123[0].resolved), (2, true));
    assert_close(d123[0].duration, 178.2);
    assert_eq!(ds.name(d123[0].agent), "testing");
    assert_eq!(d123[0].error_type.map(|e| ds.name(e)), Some("test_failure"));
    assert_eq!(
        d123[0].error_message.as_deref(),
        Some("3 tests failed in UserServiceTest")
    );
    let resolved = ds.debugging.iter().filter(|d| d.resolved).count();
    assert_eq!(resolved, 2);
}

#[test]
fn a_run_folder_in_listing_order() {
    let mut ds = Dataset::new();
    let c = load_all(&mut ds, &folder_order());
    // 123 metrics: item + 2 attempts + 2 pipelines + 1 cycle.
    assert_eq!(counts(&c[0]), (6, 6, 0, 0));
    // 123 report: item (merged) + 3 attempts (2 merged) + 3 pipelines
    // (2 merged) + 1 cycle (merged) = 8 read, 2 new.
    assert_eq!(counts(&c[1]), (8, 2, 6, 0));
    // 124: 1 + 4 + 1 + 0; 125: 1 + 4 + 2 + 2.
    assert_eq!(counts(&c[2]), (6, 6, 0, 0));
    assert_eq!(counts(&c[3]), (9, 9, 0, 0));
    // final: the run + 3 listed issues (already known).
    assert_eq!(counts(&c[4]), (4, 1, 3, 0));
    // metadata: the run again.
    assert_eq!(counts(&c[5]), (1, 0, 1, 0));
    assert!(c.iter().all(RecordCounts::is_conserved));
    check_run(&ds);
}

#[test]
fn a_run_folder_in_reverse_order_gives_the_same_data() {
    let mut ds = Dataset::new();
    let mut files = folder_order();
    files.reverse();
    let c = load_all(&mut ds, &files);
    // metadata first: the run; final: the run merged + 3 new issue stubs.
    assert_eq!(counts(&c[0]), (1, 1, 0, 0));
    assert_eq!(counts(&c[1]), (4, 3, 1, 0));
    // The snapshot of 123 comes after its report: nothing changes.
    assert_eq!(counts(&c[5]), (6, 0, 6, 0));
    check_run(&ds);
}

#[test]
fn a_snapshot_alone_is_an_issue_in_progress() {
    let mut ds = Dataset::new();
    load(&mut ds, &path("issues/issue_123_metrics.json")).unwrap();
    let wi = &ds.work_items[0];
    // The run id comes from the folder name.
    assert_eq!(ds.name(wi.id), format!("{RUN}/issue-123"));
    assert_eq!(wi.session.map(|s| ds.name(s)), Some(RUN));
    assert_eq!(wi.outcome, Some(Outcome::Running));
    // testing: 1 attempt, no result yet: running, with its 1 retry.
    let t = op(&ds, &format!("{RUN}/issue-123/testing/1"));
    assert_eq!((t.outcome, t.retries), (Outcome::Running, 1));
    assert_close(t.duration, 120.0);
    assert_eq!(ds.pipelines[1].outcome, Outcome::Running);
    assert!(!ds.debugging[0].resolved);
}

#[test]
fn bad_agents_pipelines_and_cycles_are_skipped() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "broken/seed002_wrong_types.json").unwrap();
    let s = &ds.sources[src.0 as usize];
    // Loaded: the issue, coding's 1 attempt, pipeline 5001. Skipped: testing
    // (text), review (negative duration), 5002 (status 42), 5003 (status a
    // list) and the cycle (negative duration). 8 read = 3 + 5.
    assert_eq!(counts(&s.counts), (8, 3, 0, 5));
    let skipped: Vec<_> = s
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Skipped)
        .collect();
    assert_eq!(skipped.len(), 5);
    assert!(skipped.iter().all(|d| d.record.is_some()));
    // The run id in the content wins over the path (which has no run folder).
    assert_eq!(
        ds.name(ds.work_items[0].id),
        "run_20241204_090000_project_7/issue-901"
    );
    assert_eq!(ds.operations.len(), 1);
    assert_eq!(ds.operations[0].outcome, Outcome::Failure);
    assert_eq!(ds.pipelines.len(), 1);
}

#[test]
fn a_file_of_the_wrong_shape_is_one_skipped_record() {
    let mut ds = Dataset::new();
    let body = br#"{"issue_id": {"n": 7}, "agent_metrics": {}}"#;
    let src = baton_core::import::import_file(&mut ds, "issue_7_report.json", body).unwrap();
    let s = &ds.sources[src.0 as usize];
    assert_eq!(counts(&s.counts), (1, 0, 0, 1));
    assert_eq!(s.diagnostics[0].record, Some(0));
    assert!(ds.work_items.is_empty());
}

#[test]
fn not_json_is_a_syntax_error() {
    let mut ds = Dataset::new();
    let body = b"{\"issue_id\": 7, \"agent_metrics\": {\"coding\": {\"attempts\": 1,";
    match baton_core::import::import_file(&mut ds, "issues/issue_7_report.json", body) {
        Err(baton_core::Error::Syntax { line, .. }) => assert_eq!(line, 1),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn a_report_drops_what_an_earlier_snapshot_had_beyond_it() {
    let mut ds = Dataset::new();
    // Another issue first, so that removals must re-index later records.
    let other = br#"{"issue_id": 1, "status": "completed", "agent_metrics": {"coding": {"attempts": 1, "successes": 1}},
        "pipeline_details": [{"pipeline_id": "p1", "status": "success"}],
        "debugging_details": [{"agent": "coding", "attempts": 1, "resolved": true}]}"#;
    let snapshot = br#"{"issue_id": 2, "status": "in_progress",
        "agent_metrics": {"coding": {"attempts": 2, "successes": 0, "failures": 1, "retries": 4, "duration": 10}},
        "pipeline_details": [{"pipeline_id": "p2", "status": "failed"}, {"pipeline_id": "p3", "status": "running"}],
        "debugging_details": [{"agent": "coding", "attempts": 1, "resolved": false}, {"agent": "coding", "attempts": 1, "resolved": false}]}"#;
    let report = br#"{"issue_id": 2, "status": "failed",
        "agent_metrics": {"coding": {"attempts": 1, "successes": 0, "failures": 1, "retries": 1, "duration": 8}},
        "pipeline_details": [{"pipeline_id": "p2", "status": "failed"}],
        "debugging_details": [{"agent": "coding", "attempts": 3, "resolved": false}]}"#;
    for (name, body) in [
        ("run_r/issues/issue_1_report.json", &other[..]),
        ("run_r/issues/issue_2_metrics.json", &snapshot[..]),
        ("run_r/issues/issue_2_report.json", &report[..]),
    ] {
        baton_core::import::import_file(&mut ds, name, body).unwrap();
    }
    let ids: Vec<&str> = ds.operations.iter().map(|o| ds.name(o.id)).collect();
    // coding/2 of the snapshot is gone; the report's single attempt holds its 1 retry.
    assert_eq!(
        ids,
        vec!["run_r/issue-1/coding/1", "run_r/issue-2/coding/1"]
    );
    assert_eq!(ds.operations.iter().map(|o| o.retries).sum::<u32>(), 1);
    let c = op(&ds, "run_r/issue-2/coding/1");
    assert_eq!(c.outcome, Outcome::Failure);
    assert_close(c.duration, 8.0);
    let pipes: Vec<&str> = ds.pipelines.iter().map(|p| ds.name(p.id)).collect();
    assert_eq!(pipes, vec!["p1", "p2"]);
    // Indexes follow the removals.
    for (i, p) in ds.pipelines.iter().enumerate() {
        assert_eq!(ds.pipeline_index[&(p.work_item, p.id)], i);
    }
    for (i, o) in ds.operations.iter().enumerate() {
        assert_eq!(ds.operation_index[&o.id], i);
    }
    // Debugging: issue 1's cycle and the report's one cycle (3 attempts).
    assert_eq!(ds.debugging.len(), 2);
    assert_eq!(ds.debugging[1].attempts, 3);
    assert_eq!(ds.debugging_index.len(), 2);
    for (&(w, _), &i) in &ds.debugging_index {
        assert_eq!(ds.debugging[i].work_item, Some(w));
    }
    let w2 = ds.names.get("run_r/issue-2").unwrap();
    assert_eq!(ds.debugging_index[&(w2, 0)], 1);
}

/// Loads the run's files under names that lack the `run_*` folder, as when a
/// user names the files one by one from inside the run folder.
fn load_without_run_folder(order: &[&str]) -> Dataset {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/seed002")
        .join(RUN);
    let mut ds = Dataset::new();
    for name in order {
        let bytes = std::fs::read(root.join(name)).unwrap();
        baton_core::import::import_file(&mut ds, name, &bytes).unwrap();
    }
    ds
}

#[test]
fn issue_files_named_without_their_run_folder_still_belong_to_the_run() {
    let issues_first = [
        "issues/issue_123_metrics.json",
        "issues/issue_123_report.json",
        "issues/issue_124_report.json",
        "issues/issue_125_report.json",
        "run_20241203_143022_project_168_final.json",
        "run_20241203_143022_project_168_metadata.json",
    ];
    let mut final_first = issues_first;
    final_first.reverse();
    for order in [issues_first, final_first] {
        let ds = load_without_run_folder(&order);
        // Issues 123, 124 and 125: three work items, not three more stubs
        // from the final summary's issues_processed.
        assert_eq!(ds.work_items.len(), 3, "{order:?}");
        let run = ds.names.get(RUN).unwrap();
        for w in &ds.work_items {
            assert_eq!(w.session, Some(run), "{}", ds.name(w.id));
        }
        // Every agent attempt of those issues counts toward the run.
        assert!(
            ds.operations.iter().all(|o| o.session == Some(run)),
            "{order:?}"
        );
        for s in &ds.sources {
            assert!(s.counts.is_conserved(), "{}", s.name);
        }
    }
}
