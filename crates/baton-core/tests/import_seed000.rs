//! Seed 000 orchestrator reports: detection, mapping field by field, counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod fixture_util;

use baton_core::import::{self, peek::peek, seed000, seed001, seed002};
use baton_core::model::{Aggregate, AggregateScope, Format};
use baton_core::{Dataset, Error};
use fixture_util::{assert_close, detect, load, ts};

fn find<'a>(ds: &'a Dataset, scope: &AggregateScope) -> Vec<&'a Aggregate> {
    ds.aggregates.iter().filter(|a| &a.scope == scope).collect()
}

fn extra<'a>(a: &'a Aggregate, key: &str) -> Vec<&'a str> {
    a.extra
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn reports_are_detected_as_orchestrator_reports() {
    for f in ["seed000/summary.json", "seed000/detailed.json"] {
        assert_eq!(detect(f).unwrap(), Format::OrchestratorReport, "{f}");
        let p = peek(&fixture_util::read(f));
        assert!(seed001::detect(&p).is_err(), "{f} claimed by seed 001");
        assert!(seed002::detect(&p).is_err(), "{f} claimed by seed 002");
    }
}

#[test]
fn summary_report_maps_to_aggregates() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed000/summary.json").unwrap();
    // overall block (with costs) + 3 operation kinds = 4 records.
    let c = ds.sources[src.0 as usize].counts;
    assert_eq!((c.read, c.imported, c.duplicates, c.skipped), (4, 4, 0, 0));
    // Pre-aggregated: never operations.
    assert!(ds.operations.is_empty());

    let overall = find(&ds, &AggregateScope::Overall);
    assert_eq!(overall.len(), 1);
    let o = overall[0];
    assert_eq!(o.origin, "summary_report");
    // generated_at is the period end; 7 days before it the start.
    assert_eq!(o.period_end, Some(ts("2025-11-10T14:30:00Z")));
    assert_eq!(o.period_start, Some(ts("2025-11-03T14:30:00Z")));
    assert_eq!(o.period_days, Some(7.0));
    assert_eq!(o.count, Some(124));
    assert_close(o.success_rate, 0.825);
    assert_close(o.error_rate, 0.021);
    assert_close(o.cache_hit_rate, 0.672);
    assert_close(o.avg_duration, 45.3);
    assert_close(o.total_cost, 15.80);
    assert_eq!(o.total_tokens, Some(1_580_000));
    assert_close(o.avg_cost_per_operation, 0.13);
    assert_eq!(extra(o, "issues.processed"), vec!["12"]);
    assert_eq!(extra(o, "issues.failed"), vec!["2"]);
    assert_eq!(extra(o, "prs.merged"), vec!["8"]);
    assert_eq!(extra(o, "recommendation").len(), 3);
    assert_eq!(
        extra(o, "recommendation")[0],
        "Consider increasing test timeout for complex issues"
    );

    let pi = find(&ds, &AggregateScope::Kind("process_issue".into()));
    assert_eq!(pi.len(), 1);
    assert_eq!((pi[0].count, pi[0].success_count), (Some(45), Some(38)));
    assert_close(pi[0].avg_duration, 52.3);
    // Kept as recorded: no success rate is derived.
    assert_eq!(pi[0].success_rate, None);
    let rt = find(&ds, &AggregateScope::Kind("run_tests".into()));
    assert_eq!((rt[0].count, rt[0].success_count), (Some(41), Some(30)));
    assert_close(rt[0].avg_duration, 145.7);
    assert_eq!(rt[0].period_end, Some(ts("2025-11-10T14:30:00Z")));
}

#[test]
fn detailed_report_keeps_days_errors_and_ranked_operations() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed000/detailed.json").unwrap();
    // 1 overall + 3 kinds + 7 days + 3 costs_by_day + 4 error types + 3 slowest
    // + 3 most expensive = 24 read; costs of 11-06 and 11-10 merge into their
    // by_day aggregates (2 duplicates); 11-03 has no by_day entry (new).
    let c = ds.sources[src.0 as usize].counts;
    assert_eq!(
        (c.read, c.imported, c.duplicates, c.skipped),
        (24, 22, 2, 0)
    );
    assert!(c.is_conserved());
    assert!(ds.operations.is_empty());

    let day = |d: &str| {
        ds.aggregates
            .iter()
            .find(|a| {
                a.scope == AggregateScope::Overall
                    && a.period_start == Some(ts(&format!("{d}T00:00:00Z")))
            })
            .unwrap_or_else(|| panic!("no aggregate for {d}"))
    };
    let d4 = day("2025-11-04");
    assert_eq!(d4.period_end, Some(ts("2025-11-05T00:00:00Z")));
    assert_eq!(d4.period_days, Some(1.0));
    assert_eq!((d4.count, d4.success_count), (Some(15), Some(12)));
    assert_close(d4.success_rate, 0.8);
    assert_close(d4.avg_duration, 61.2);
    assert_close(d4.total_cost, 1.95);
    // by_day 11-06 had no cost: costs_by_day filled it.
    assert_close(day("2025-11-06").total_cost, 2.75);
    assert_eq!(day("2025-11-06").count, Some(21));
    // 11-10: cost from by_day, tokens from costs_by_day.
    assert_close(day("2025-11-10").total_cost, 2.40);
    assert_eq!(day("2025-11-10").total_tokens, Some(240_000));
    // 11-03 only in costs_by_day.
    assert_close(day("2025-11-03").total_cost, 0.40);
    assert_eq!(day("2025-11-03").count, None);
    // 7 by_day days + 11-03 = 8 daily overall aggregates, plus the report's own.
    assert_eq!(find(&ds, &AggregateScope::Overall).len(), 9);

    let tf = find(&ds, &AggregateScope::ErrorType("test_failure".into()));
    assert_eq!(tf[0].count, Some(9));
    assert_eq!(tf[0].period_start, Some(ts("2025-11-03T14:30:00Z")));
    let mc = find(&ds, &AggregateScope::ErrorType("merge_conflict".into()));
    assert_eq!(mc[0].count, Some(2));

    let kinds = find(&ds, &AggregateScope::Kind("run_tests".into()));
    assert_close(kinds[0].total_cost, 6.00);

    assert_eq!(ds.notable_operations.len(), 6);
    let slow: Vec<_> = ds
        .notable_operations
        .iter()
        .filter(|o| o.list == "slowest")
        .collect();
    assert_eq!(slow.len(), 3);
    assert_eq!(slow[0].rank, 0);
    assert_eq!(slow[0].id.as_deref(), Some("op-881"));
    assert_eq!(slow[0].kind.as_deref(), Some("run_tests"));
    assert_close(slow[0].duration, 612.4);
    assert_close(slow[0].cost, 0.21);
    assert_eq!(slow[0].time, Some(ts("2025-11-06T09:12:44Z")));
    let dear: Vec<_> = ds
        .notable_operations
        .iter()
        .filter(|o| o.list == "most_expensive")
        .collect();
    assert_eq!(dear[0].id.as_deref(), Some("op-902"));
    assert_eq!(dear[0].kind.as_deref(), Some("process_issue"));
    assert_close(dear[0].cost, 0.64);
    assert_eq!(dear[2].rank, 2);
}

#[test]
fn loading_a_report_twice_adds_nothing() {
    let mut ds = Dataset::new();
    load(&mut ds, "seed000/summary.json").unwrap();
    let before = ds.aggregates.len();
    let src = load(&mut ds, "seed000/summary.json").unwrap();
    let c = ds.sources[src.0 as usize].counts;
    assert_eq!((c.read, c.imported, c.duplicates), (4, 0, 4));
    assert_eq!(ds.aggregates.len(), before);
}

#[test]
fn truncated_report_is_a_syntax_error_with_position() {
    let mut ds = Dataset::new();
    match load(&mut ds, "broken/seed000_truncated.json") {
        Err(Error::Syntax { line, column, .. }) => {
            assert!(line > 1 && column > 0, "{line}:{column}")
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert!(ds.sources.is_empty() && ds.aggregates.is_empty());
}

#[test]
fn bad_entries_are_skipped_and_the_rest_loads() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "broken/seed000_wrong_types.json").unwrap();
    let s = &ds.sources[src.0 as usize];
    // overall, process_issue, analyze_pr (count dropped with a warning) and
    // timeout load; create_pr (text), run_tests (negative duration) and
    // "unknown" (no count) are skipped: 7 read = 4 + 3.
    assert_eq!(
        (s.counts.read, s.counts.imported, s.counts.skipped),
        (7, 4, 3)
    );
    let skipped: Vec<_> = s
        .diagnostics
        .iter()
        .filter(|d| d.level == baton_core::model::DiagnosticLevel::Skipped)
        .collect();
    assert_eq!(skipped.len(), 3);
    assert!(skipped
        .iter()
        .all(|d| d.file == "broken/seed000_wrong_types.json"));
    assert!(skipped
        .iter()
        .any(|d| d.reason.contains("negative duration")));
    let ap = find(&ds, &AggregateScope::Kind("analyze_pr".into()));
    assert_eq!((ap[0].count, ap[0].success_count), (None, Some(11)));
    assert!(find(&ds, &AggregateScope::Kind("create_pr".into())).is_empty());
}

#[test]
fn batons_own_report_is_read_as_a_superset() {
    let json = br#"{
      "report_type": "detailed", "period_days": null,
      "generated_at": "2025-11-10T15:00:00Z",
      "period": {"start": "2025-11-01T00:00:00Z", "end": "2025-11-10T12:00:00Z"},
      "sources": [{"name": "a.json", "format": "baton", "records": 3, "imported": 3, "skipped": 0}],
      "overall": {"total_operations": 10, "succeeded": 8, "failed": 2, "running": 1,
                  "success_rate": 0.8, "error_rate": 0.2, "retry_rate": 0.1,
                  "avg_duration": 12.5, "p50_duration": 10.0, "p95_duration": 30.0, "cache_hit_rate": null},
      "operations": {"coding": {"count": 6, "success_count": 5, "success_rate": 0.8333, "avg_duration": 14.0, "p95_duration": 29.0, "total_cost": 1.2, "total_tokens": 12000}},
      "agents": {"coder": {"count": 6, "success_count": 5, "total_cost": 1.2}},
      "models": {"claude-sonnet-4-5": {"count": 10, "success_count": 8, "total_cost": 2.0, "total_tokens": 20000}},
      "costs": {"total_cost": 2.0, "total_tokens": 20000, "avg_cost_per_operation": 0.2, "monthly_projection": 6.0,
                "tokens": {"input": 12000, "output": 6000, "cache_read": 1500, "cache_write": 500}, "unpriced_models": []},
      "work_items": {"processed": 3, "succeeded": 2, "failed": 1, "avg_duration": 300.0, "prs_merged": 2},
      "by_day": [{"start": "2025-11-09", "start_ms": 1762646400000, "count": 4, "success_count": 3, "failure_count": 1,
                  "success_rate": 0.75, "avg_duration": 11.0, "cost": 0.8,
                  "tokens": {"input": 5000, "output": 2000, "cache_read": 0, "cache_write": 0}, "work_items": 1, "prs_merged": 1}],
      "errors_by_type": {"timeout": 2},
      "slowest_operations": [{"id": "op-9", "kind": "coding", "agent": "coder", "session": "s1", "model": null,
                              "start": "2025-11-09T08:00:00Z", "duration": 40.0, "cost": 0.3, "outcome": "failure"}],
      "alerts": [], "bottlenecks": [], "recommendations": [{"title": "Cache more", "evidence": "x"}],
      "health": {"status": "healthy", "reasons": []}
    }"#;
    assert_eq!(
        import::detect("baton-report.json", json).unwrap(),
        Format::OrchestratorReport
    );
    let mut ds = Dataset::new();
    let src = import::import_file(&mut ds, "baton-report.json", json).unwrap();
    // overall + 1 kind + 1 agent + 1 model + 1 day + 1 error type + 1 slowest.
    assert_eq!(ds.sources[src.0 as usize].counts.imported, 7);
    let o = find(&ds, &AggregateScope::Overall)[0];
    // period {start, end} wins over generated_at; null period_days stays None.
    assert_eq!(o.period_start, Some(ts("2025-11-01T00:00:00Z")));
    assert_eq!(o.period_end, Some(ts("2025-11-10T12:00:00Z")));
    assert_eq!(o.period_days, None);
    assert_eq!((o.count, o.success_count), (Some(10), Some(8)));
    assert_eq!(o.cache_hit_rate, None);
    let t = o.tokens.unwrap();
    assert_eq!(
        (t.input, t.output, t.cache_read, t.cache_write),
        (12000, 6000, 1500, 500)
    );
    // total_tokens as recorded (20000), not replaced by the category sum.
    assert_eq!(o.total_tokens, Some(20000));
    assert_eq!(extra(o, "failed"), vec!["2"]);
    assert_eq!(extra(o, "p95_duration"), vec!["30"]);
    assert_eq!(extra(o, "monthly_projection"), vec!["6"]);
    assert_eq!(extra(o, "work_items.prs_merged"), vec!["2"]);
    assert_eq!(extra(o, "recommendation"), vec!["Cache more"]);
    let agent = find(&ds, &AggregateScope::Agent("coder".into()));
    assert_close(agent[0].total_cost, 1.2);
    let model = find(&ds, &AggregateScope::Model("claude-sonnet-4-5".into()));
    assert_eq!(model[0].total_tokens, Some(20000));
    // Baton's by_day entries: `start` is the day, tokens by category.
    let day = ds
        .aggregates
        .iter()
        .find(|a| a.period_start == Some(ts("2025-11-09T00:00:00Z")))
        .unwrap();
    assert_eq!((day.count, day.success_count), (Some(4), Some(3)));
    assert_close(day.total_cost, 0.8);
    // 5000 + 2000 tokens.
    assert_eq!(day.total_tokens, Some(7000));
    assert_eq!(extra(day, "failed"), vec!["1"]);
    assert_eq!(extra(day, "prs_merged"), vec!["1"]);
    let slow = &ds.notable_operations[0];
    assert_eq!(
        (slow.id.as_deref(), slow.kind.as_deref()),
        (Some("op-9"), Some("coding"))
    );
    assert_eq!(slow.time, Some(ts("2025-11-09T08:00:00Z")));
}

#[test]
fn a_large_sorted_report_is_detected_without_report_type_in_view() {
    // Keys sorted as Baton writes them; report_type would come much later.
    let head = br#"{"agents": {}, "costs": {"total_cost": 1.0}, "overall": {"total_operations": 3, "succeeded": 3}, "operations": {}"#;
    assert!(seed000::detect(&peek(head)).is_ok());
}

#[test]
fn other_formats_are_not_claimed() {
    let samples: [&[u8]; 6] = [
        br#"{"tasks": [{"task_id": "t1", "agent": "expert-backend", "result": "success"}]}"#,
        br#"{"task_metrics": {"task_id": "task-001", "agent": "expert-backend", "duration_ms": 90000}}"#,
        br#"{"agent_metrics": {"expert-backend": {"tasks_completed": 45, "success_rate": 0.89}}}"#,
        br#"{"daily_report": {"date": "2025-11-29", "summary": {"sessions": 3}}}"#,
        br#"{"orchestrations": [{"id": "o1", "status": "completed"}], "agent_executions": [{"id": 1, "orchestration_id": "o1"}]}"#,
        br#"{"baton_version": 1, "sessions": [], "operations": [{"id": "op1", "kind": "coding", "agent": "coder", "outcome": "success"}]}"#,
    ];
    for s in samples {
        let p = peek(s);
        let text = String::from_utf8_lossy(s);
        assert!(seed000::detect(&p).is_err(), "seed 000 claims {text}");
        assert!(seed001::detect(&p).is_err(), "seed 001 claims {text}");
        assert!(seed002::detect(&p).is_err(), "seed 002 claims {text}");
    }
    // NDJSON of canonical records is not a report either.
    let lines = b"{\"type\":\"operation\",\"id\":\"a\"}\n{\"type\":\"operation\",\"id\":\"b\"}\n";
    let p = peek(lines);
    assert!(
        seed000::detect(&p).is_err()
            && seed001::detect(&p).is_err()
            && seed002::detect(&p).is_err()
    );
}
