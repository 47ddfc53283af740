//! Seed 001 droid orchestrator metrics: detection, mapping field by field, counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod fixture_util;

use baton_core::import::{peek::peek, seed000, seed002};
use baton_core::model::{AggregateScope, DiagnosticLevel, Format, Operation, Outcome};
use baton_core::Dataset;
use fixture_util::{assert_close, detect, load, ts};

fn op<'a>(ds: &'a Dataset, id: &str) -> &'a Operation {
    let sym = ds.names.get(id).unwrap_or_else(|| panic!("no name {id}"));
    &ds.operations[ds.operation_index[&sym]]
}

const FILES: [&str; 4] = [
    "seed001/orchestrator_metrics.json",
    "seed001/droid_metrics.json",
    "seed001/task_patterns.json",
    "seed001/combined_export.json",
];

#[test]
fn every_seed001_file_is_detected_as_droid_metrics() {
    for f in FILES {
        assert_eq!(detect(f).unwrap(), Format::DroidMetrics, "{f}");
        let p = peek(&fixture_util::read(f));
        assert!(seed000::detect(&p).is_err(), "{f} claimed by seed 000");
        assert!(seed002::detect(&p).is_err(), "{f} claimed by seed 002");
    }
}

#[test]
fn orchestrator_metrics_map_to_session_phases_and_communication() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed001/orchestrator_metrics.json").unwrap();
    // 1 session + 7 phases + 1 communication block.
    let c = ds.sources[src.0 as usize].counts;
    assert_eq!((c.read, c.imported, c.duplicates, c.skipped), (9, 9, 0, 0));

    let s = &ds.sessions[0];
    assert_eq!(ds.name(s.id), "sess-20251120-001");
    assert_eq!(s.start, Some(ts("2025-11-20T10:00:00Z")));
    assert_eq!(s.end, None);
    // total_duration 160 min = 9600 s.
    assert_close(s.duration, 9600.0);
    assert_eq!(s.outcome, Some(Outcome::Running));
    assert_eq!((s.tasks_completed, s.tasks_failed), (Some(4), Some(2)));
    // The running phase integration_1 is the current phase.
    assert_eq!(s.current_phase.as_deref(), Some("integration"));
    let agg = ds
        .aggregates
        .iter()
        .find(|a| a.scope == AggregateScope::Session("sess-20251120-001".into()))
        .unwrap();
    // success_rate 66.67 % -> 0.6667; count = 4 completed + 2 failed.
    assert_close(agg.success_rate, 0.6667);
    assert_eq!((agg.count, agg.success_count), (Some(6), Some(4)));

    assert_eq!(ds.operations.len(), 7);
    let impl1 = op(&ds, "sess-20251120-001/implementation_1");
    assert_eq!(ds.name(impl1.kind), "implementation");
    assert_eq!(ds.name(impl1.agent), "backend-droid");
    assert_eq!(impl1.session, Some(s.id));
    assert_eq!(impl1.start, Some(ts("2025-11-20T10:30:00Z")));
    assert_eq!(impl1.end, Some(ts("2025-11-20T12:05:00Z")));
    // 95 min = 5700 s.
    assert_close(impl1.duration, 5700.0);
    assert_eq!(impl1.outcome, Outcome::Success);
    assert_close(impl1.quality_score, 76.0);
    assert_eq!(impl1.conflicts, Some(2));

    let failed = op(&ds, "sess-20251120-001/implementation_2");
    assert_eq!(failed.outcome, Outcome::Failure);
    assert_eq!(ds.name(failed.agent), "frontend-droid");
    let blocked = op(&ds, "sess-20251120-001/security_review_1");
    assert_eq!(ds.name(blocked.kind), "security_review");
    assert_eq!(blocked.outcome, Outcome::Failure);
    assert_eq!(blocked.quality_score, None);
    let running = op(&ds, "sess-20251120-001/integration_1");
    assert_eq!(running.outcome, Outcome::Running);
    assert_eq!((running.end, running.duration), (None, None));

    // The slow outlier: finished phases 12+18+95+25+20+15 = 185 min over 6,
    // mean 30.83 min = 1850 s; 1.5 x mean = 2775 s; only implementation_1
    // (5700 s) is above it.
    let finished: Vec<f64> = ds
        .operations
        .iter()
        .filter(|o| o.outcome.is_finished())
        .filter_map(|o| o.duration)
        .collect();
    let mean = finished.iter().sum::<f64>() / finished.len() as f64;
    assert!((mean - 1850.0).abs() < 1e-9);
    let slow: Vec<_> = ds
        .operations
        .iter()
        .filter(|o| o.duration.is_some_and(|d| d > 1.5 * mean))
        .map(|o| ds.name(o.id))
        .collect();
    assert_eq!(slow, vec!["sess-20251120-001/implementation_1"]);

    let comm = &ds.communication[0];
    assert_eq!(comm.session, Some(s.id));
    assert_eq!(comm.total_messages, 48);
    assert_eq!(
        comm.messages_by_type,
        vec![
            ("request".to_string(), 18),
            ("response".to_string(), 16),
            ("conflict_notice".to_string(), 3),
            ("status_update".to_string(), 11)
        ]
    );
    let backend = ds.names.get("backend-droid").unwrap();
    assert!(comm.messages_by_agent.contains(&(backend, 12)));
    assert_eq!(comm.messages_by_agent.len(), 6);
    let planner = ds.names.get("planner").unwrap();
    let architect = ds.names.get("architect").unwrap();
    // planner -> architect twice (two messages), architect -> backend-droid 3 (a count).
    assert_eq!(
        comm.edges,
        vec![(planner, architect, 2), (architect, backend, 3)]
    );
    assert_close(comm.average_response_time, 42.5);
    assert_close(comm.efficiency, 0.87);
}

#[test]
fn droid_metrics_become_agent_profiles_with_fractions_and_seconds() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed001/droid_metrics.json").unwrap();
    let c = ds.sources[src.0 as usize].counts;
    assert_eq!((c.read, c.imported), (4, 4));
    assert_eq!(ds.agent_profiles.len(), 4);
    let by = |name: &str| {
        let sym = ds.names.get(name).unwrap();
        ds.agent_profiles
            .iter()
            .find(|p| p.agent == Some(sym))
            .unwrap()
    };
    let b = by("backend-droid");
    assert_eq!(b.task_type.as_deref(), Some("implementation"));
    // Percentages: 92 -> 0.92, 6 -> 0.06, 12 -> 0.12, 78 -> 0.78, 76 -> 0.76.
    assert_close(b.completion_rate, 0.92);
    assert_close(b.error_rate, 0.06);
    assert_close(b.retry_rate, 0.12);
    assert_close(b.collaboration_score, 0.78);
    assert_close(b.test_coverage, 0.76);
    // average_task_duration 48.5 min = 2910 s; response_time in seconds.
    assert_close(b.average_task_duration, 2910.0);
    assert_close(b.response_time, 35.2);
    assert_close(b.quality_score, 84.0);
    assert_close(b.code_quality_score, 82.0);
    assert_close(b.security_score, 91.0);
    assert_eq!((b.messages_sent, b.messages_received), (Some(12), Some(15)));
    assert_eq!(b.files_created, Some(14));
    assert_eq!(b.security_issues, None);
    assert_eq!(b.time, Some(ts("2025-11-20T13:00:00Z")));

    let f = by("frontend-droid");
    // Fractions stay; scores given as fractions scale to 0..100 (0.68 -> 68, 0.88 -> 88).
    assert_close(f.completion_rate, 0.71);
    assert_close(f.error_rate, 0.21);
    assert_close(f.quality_score, 68.0);
    assert_close(f.security_score, 88.0);
    assert_close(f.test_coverage, 0.52);
    assert_close(f.average_task_duration, 1320.0);
    assert_eq!(f.security_issues, Some(1));

    let s = by("security-droid");
    // 100 % -> 1.0 and 0 -> 0.0 (zero is data, not absence).
    assert_close(s.completion_rate, 1.0);
    assert_close(s.error_rate, 0.0);
    assert_eq!(s.files_created, Some(0));
}

#[test]
fn task_patterns_become_pattern_profiles() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed001/task_patterns.json").unwrap();
    assert_eq!(ds.sources[src.0 as usize].counts.imported, 2);
    let p = &ds.patterns[0];
    assert_eq!(
        (p.id.as_str(), p.name.as_str()),
        ("feature-fullstack", "Full-stack feature")
    );
    assert_eq!(p.total_executions, Some(24));
    // 79.2 % -> 0.792; 142 min = 8520 s.
    assert_close(p.success_rate, 0.792);
    assert_close(p.average_duration, 8520.0);
    assert_eq!(
        p.common_failure_points,
        vec!["integration", "frontend tests"]
    );
    assert_eq!(p.bottlenecks, vec!["backend implementation"]);
    assert_eq!(p.efficiency_improvements.len(), 1);
    assert_eq!(p.agents.len(), 2);
    let a = &p.agents[0];
    assert_eq!(a.agent, ds.names.get("backend-droid"));
    // 88 % -> 0.88; 52 min = 3120 s; consistency as recorded.
    assert_close(a.success_rate, 0.88);
    assert_close(a.average_duration, 3120.0);
    assert_close(a.quality_consistency, 0.81);
    let audit = &ds.patterns[1];
    assert_close(audit.success_rate, 1.0);
    assert!(audit.common_failure_points.is_empty());
}

#[test]
fn combined_export_loads_every_part() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "seed001/combined_export.json").unwrap();
    // session 1 + phases 3 + communication 1 + droid 1 + pattern 1
    // + synthesis results 3 + security issue 1 = 11.
    let c = ds.sources[src.0 as usize].counts;
    assert_eq!((c.read, c.imported, c.skipped), (11, 11, 0));
    let s = &ds.sessions[0];
    assert_eq!(s.outcome, Some(Outcome::Success));
    assert_eq!(s.end, Some(ts("2025-11-19T10:10:00Z")));
    assert_close(s.duration, 4200.0);
    assert_eq!(s.current_phase, None);
    let impl1 = op(&ds, "sess-20251119-004/implementation_1");
    assert_eq!(ds.name(impl1.kind), "implementation");
    // quality 0.83 is a fraction: 83 on 0..100.
    assert_close(impl1.quality_score, 83.0);
    assert_eq!(ds.agent_profiles.len(), 1);
    assert_eq!(ds.patterns[0].id, "api-endpoint");
    // Integration success: no conflicts and gates passed -> 1 of 3.
    let ok = ds
        .integrations
        .iter()
        .filter(|r| r.conflicts == 0 && r.quality_gates_passed == Some(true))
        .count();
    assert_eq!((ds.integrations.len(), ok), (3, 1));
    assert_eq!(ds.integrations[1].conflicts, 1);
    assert_eq!(ds.integrations[0].session, Some(s.id));
    let issue = &ds.security_issues[0];
    assert_eq!(issue.agent, ds.names.get("backend-droid"));
    assert_eq!(issue.severity.as_deref(), Some("high"));
    assert_eq!(issue.time, Some(ts("2025-11-19T09:48:00Z")));
}

#[test]
fn loading_the_same_file_twice_only_adds_duplicates() {
    let mut ds = Dataset::new();
    for f in FILES {
        load(&mut ds, f).unwrap();
    }
    let sizes = |ds: &Dataset| {
        (
            ds.sessions.len(),
            ds.operations.len(),
            ds.communication.len(),
            ds.agent_profiles.len(),
            ds.patterns.len(),
            ds.integrations.len(),
            ds.security_issues.len(),
        )
    };
    let before = sizes(&ds);
    assert_eq!(before, (2, 10, 2, 5, 3, 3, 1));
    for f in FILES {
        let src = load(&mut ds, f).unwrap();
        let c = ds.sources[src.0 as usize].counts;
        assert_eq!(c.imported, 0, "{f}");
        assert_eq!(c.duplicates, c.read, "{f}");
    }
    assert_eq!(sizes(&ds), before);
}

#[test]
fn bad_phases_and_droids_are_skipped_with_reasons() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "broken/seed001_negative_duration.json").unwrap();
    let s = &ds.sources[src.0 as usize];
    // session + planning load; implementation_1 (-20 min) and testing_1
    // (ends before it starts) are skipped.
    assert_eq!(
        (s.counts.read, s.counts.imported, s.counts.skipped),
        (4, 2, 2)
    );
    let reasons: Vec<_> = s
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Skipped)
        .map(|d| (d.record, d.field.clone(), d.reason.clone()))
        .collect();
    assert_eq!(reasons[0].0, Some(2));
    assert_eq!(reasons[0].1.as_deref(), Some("duration"));
    assert!(reasons[0].2.contains("negative duration"));
    assert_eq!(reasons[1].1.as_deref(), Some("end_time"));

    let src = load(&mut ds, "broken/seed001_wrong_types.json").unwrap();
    let s = &ds.sources[src.0 as usize];
    // efficiency as text, no droid_name, a bare number: skipped; test-droid loads.
    assert_eq!(
        (s.counts.read, s.counts.imported, s.counts.skipped),
        (4, 1, 3)
    );
    let t = &ds.agent_profiles[0];
    // "95%" is read as 95 % -> 0.95; "n/a" is dropped with a warning.
    assert_close(t.completion_rate, 0.95);
    assert_eq!(t.error_rate, None);
    assert!(s
        .diagnostics
        .iter()
        .any(|d| d.level == DiagnosticLevel::Warning
            && d.field.as_deref() == Some("efficiency.error_rate")));
}
