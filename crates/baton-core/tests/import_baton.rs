//! Baton's canonical format: detection, field-by-field import, round trips
//! through both encodings, bad records, the committed JSON Schema and the
//! documented example.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use baton_core::import::baton::{export_json, export_ndjson, schema_json};
use baton_core::import::{import_as, import_file, peek::peek, seed003, seed004};
use baton_core::model::{
    AggregateScope, Dataset, DiagnosticLevel, Format, Outcome, Timestamp, Tokens,
};
use support::*;

#[test]
fn detects_both_encodings_and_nothing_else_claims_them() {
    assert_eq!(detect_fixture("baton/example.json"), Format::Baton);
    assert_eq!(detect_fixture("baton/example.ndjson"), Format::BatonNdjson);
    for f in ["baton/example.json", "baton/example.ndjson"] {
        let p = peek(&bytes(f));
        assert!(seed003::detect(&p).is_err(), "{f}");
        assert!(seed004::detect(&p).is_err(), "{f}");
    }
    // Seed 000's report has operations too, beside report_type and overall.
    let report = br#"{"report_type": "summary", "overall": {}, "operations": [{"id": 1, "outcome": "success"}]}"#;
    assert!(baton_core::import::baton::detect_json(&peek(report)).is_err());
    // A Claude Code transcript line has a type but other keys.
    let transcript =
        b"{\"type\":\"user\",\"uuid\":\"u1\",\"message\":{}}\n{\"type\":\"assistant\"}\n";
    assert!(baton_core::import::baton::detect_ndjson(&peek(transcript)).is_err());
}

#[test]
fn example_document_maps_field_by_field() {
    let mut ds = Dataset::new();
    let src = load(&mut ds, "baton/example.json");
    // 2 sessions + 4 operations + 1 work item + 2 pipelines + 1 debugging
    // + 1 communication + 1 profile + 1 pattern + 1 aggregate = 14.
    assert_eq!(
        (src.counts.read, src.counts.imported, src.counts.skipped),
        (14, 14, 0)
    );
    assert!(src.diagnostics.is_empty(), "{:?}", src.diagnostics);

    let s = session(&ds, "run-2025-11-29-a");
    assert_eq!((s.start, s.end), (nov29(9, 0, 0), nov29(9, 40, 0)));
    assert_eq!(s.outcome, Some(Outcome::Success));
    let llm = s.llm.as_ref().unwrap();
    assert_eq!(
        (
            llm.provider.as_deref(),
            llm.model.as_deref(),
            llm.temperature
        ),
        (Some("anthropic"), Some("claude-sonnet-4"), Some(0.2))
    );
    assert_eq!(s.tasks_total, Some(3));
    let s = session(&ds, "run-2025-11-29-b");
    assert_eq!(
        (s.outcome, s.progress, s.current_phase.as_deref()),
        (Some(Outcome::Running), Some(0.5), Some("testing"))
    );

    let o = op(&ds, "op-2");
    assert_eq!(o.parent.map(|p| ds.name(p)), Some("op-1"));
    assert_eq!(o.work_item.map(|w| ds.name(w)), Some("issue-42"));
    assert_eq!((ds.name(o.kind), ds.name(o.agent)), ("implement", "coder"));
    assert_eq!(o.model.map(|m| ds.name(m)), Some("claude-sonnet-4"));
    assert_eq!(
        (o.start, o.end, o.duration),
        (nov29(9, 2, 30), nov29(9, 25, 0), Some(1350.0))
    );
    assert_eq!((o.outcome, o.retries), (Outcome::Success, 1));
    assert_eq!(
        o.tokens,
        Some(Tokens {
            input: 48_000,
            output: 15_500,
            cache_read: 30_000,
            cache_write: 4_000
        })
    );
    assert_eq!((o.cost, o.cache_hit), (Some(0.4365), Some(false)));
    assert_eq!(
        (
            o.files_created,
            o.files_modified,
            o.quality_score,
            o.conflicts,
            o.self_healed
        ),
        (Some(2), Some(5), Some(86.5), Some(0), Some(true))
    );
    let o = op(&ds, "op-3");
    assert_eq!(o.error_type.map(|e| ds.name(e)), Some("test_failure"));
    assert_eq!((o.tokens, o.tokens_uncategorized), (None, Some(21_000)));
    let o = op(&ds, "op-4");
    assert_eq!(
        (o.outcome, o.end, o.duration, o.cost),
        (Outcome::Running, None, None, None)
    );

    assert_eq!(ds.work_items[0].prs_merged, Some(1));
    assert_eq!(
        (ds.pipelines[0].sequence, ds.pipelines[0].outcome),
        (0, Outcome::Failure)
    );
    assert_eq!(ds.pipelines[1].time, nov29(9, 38, 0));
    assert_eq!(
        (
            ds.debugging[0].attempts,
            ds.debugging[0].resolved,
            ds.debugging[0].duration
        ),
        (2, true, Some(420.0))
    );
    let c = &ds.communication[0];
    assert_eq!(c.total_messages, 14);
    assert_eq!(
        c.messages_by_type,
        vec![
            ("handoff".to_string(), 4),
            ("question".to_string(), 6),
            ("status".to_string(), 4)
        ]
    );
    assert_eq!(c.edges.len(), 2);
    assert_eq!(
        (ds.name(c.edges[0].0), ds.name(c.edges[0].1), c.edges[0].2),
        ("planner", "coder", 4)
    );
    assert_eq!(ds.agent_profiles[0].test_coverage, Some(0.76));
    assert_eq!(ds.patterns[0].agents[0].success_rate, Some(0.9));
    let a = &ds.aggregates[0];
    assert_eq!(a.scope, AggregateScope::Agent("coder".into()));
    // 2025-11-23 is six days before Nov 29; 2025-11-30 one day after.
    assert_eq!(
        (a.period_start, a.period_end),
        (
            Some(Timestamp(NOV29 - 6 * 86_400_000)),
            Some(Timestamp(NOV29 + 86_400_000))
        )
    );
    assert_eq!(
        a.extra,
        vec![("success_rate_change".to_string(), "+3%".to_string())]
    );
}

#[test]
fn both_encodings_hold_the_same_data_and_round_trip() {
    let mut from_json = Dataset::new();
    load(&mut from_json, "baton/example.json");
    let mut from_ndjson = Dataset::new();
    let src = load(&mut from_ndjson, "baton/example.ndjson");
    assert_eq!((src.counts.read, src.counts.imported), (14, 14));
    let json = export_json(&from_json);
    assert_eq!(json, export_json(&from_ndjson));

    // export -> import -> export gives the same text, in both encodings.
    let mut again = Dataset::new();
    import_as(&mut again, "again.json", json.as_bytes(), Format::Baton).unwrap();
    assert_eq!(export_json(&again), json);
    let ndjson = export_ndjson(&from_json);
    let mut again = Dataset::new();
    import_file(&mut again, "again.ndjson", ndjson.as_bytes()).unwrap();
    assert_eq!(again.sources[0].format, Format::BatonNdjson);
    assert_eq!(export_ndjson(&again), ndjson);
    assert_eq!(export_json(&again), json);
}

#[test]
fn exported_operation_lines_are_compact() {
    let mut ds = Dataset::new();
    load(&mut ds, "baton/example.json");
    let nd = export_ndjson(&ds);
    let lines: Vec<&str> = nd.lines().collect();
    assert_eq!(lines[0], r#"{"format":"baton","version":1}"#);
    // Header, 2 sessions, then operations: op-3 is the fifth line.
    assert_eq!(
        lines[5],
        r#"{"type":"operation","id":"op-3","session":"run-2025-11-29-a","kind":"test","agent":"tester","start":"2025-11-29T09:25:00Z","end":"2025-11-29T09:40:00Z","duration":900.0,"outcome":"failure","retries":2,"error_type":"test_failure","error_message":"2 tests failed in RateLimiterTest","tokens_uncategorized":21000}"#
    );
    assert_eq!(lines.len(), 15);
}

#[test]
fn other_formats_round_trip_through_ndjson() {
    for files in [
        vec![
            "seed004/monitor_export_all.json",
            "seed004/monitor_export_camel.json",
        ],
        vec![
            "seed003/2025-11-29.json",
            "seed003/task_metrics.json",
            "seed003/token_usage.json",
            "seed003/agent_metrics.json",
            "seed003/daily_report.json",
            "seed003/metrics_export.csv",
        ],
    ] {
        let mut ds = Dataset::new();
        for f in &files {
            load(&mut ds, f);
        }
        let nd = export_ndjson(&ds);
        let mut again = Dataset::new();
        let id = import_file(&mut again, "x.ndjson", nd.as_bytes()).unwrap();
        let src = &again.sources[id.0 as usize];
        assert!(src.diagnostics.is_empty(), "{:?}", src.diagnostics);
        assert_eq!(
            src.counts.imported as usize,
            ds.sessions.len() + ds.operations.len() + ds.aggregates.len()
        );
        assert_eq!(export_ndjson(&again), nd, "{files:?}");
        // Field-level equality of operations, apart from the source.
        for (a, b) in ds.operations.iter().zip(&again.operations) {
            assert_eq!(ds.name(a.id), again.name(b.id));
            assert_eq!(
                (a.start, a.end, a.duration, a.outcome, a.retries),
                (b.start, b.end, b.duration, b.outcome, b.retries)
            );
            assert_eq!(
                (a.tokens, a.tokens_uncategorized, a.self_healed),
                (b.tokens, b.tokens_uncategorized, b.self_healed)
            );
        }
    }
}

#[test]
fn bad_ndjson_lines_are_skipped_with_their_line() {
    let body = concat!(
        "{\"format\":\"baton\",\"version\":1}\n",
        "{\"type\":\"operation\",\"id\":\"a\",\"kind\":\"k\",\"agent\":\"x\",\"outcome\":\"success\",\"duration\":2.5}\n",
        "\n",
        "{\"type\":\"operation\",\"id\":\"b\",\"kind\":\"k\",\"agent\":\"x\",\"outcome\":\"success\",\"duration\":-1}\n",
        "{\"type\":\"operation\",\"id\":\"c\",\"kind\":\"k\",\"agent\":\"x\",\"outcome\":\"done\"}\n",
        "{\"type\":\"operation\",\"id\":\"d\",\"kind\":\"k\",\"agent\":\"x\",\"outcome\":\"failure\",\"start\":\"2025-11-29T10:00:00Z\",\"end\":\"2025-11-29T09:00:00Z\"}\n",
        "{\"type\":\"span\",\"id\":\"e\"}\n",
        "{\"type\":\"operation\",\"id\":\"f\",\"kind\":\"k\",\"agent\":\"x\",\"outcome\":\"success\",\"retries\":\"two\"}\n",
        "not json at all\n",
        "{\"type\":\"operation\",\"id\":\"a\",\"kind\":\"k\",\"agent\":\"x\",\"outcome\":\"success\",\"cost\":0.5}\r\n",
        "{\"type\":\"session\",\"kind\":\"k\"}",
    );
    let mut ds = Dataset::new();
    let id = import_as(&mut ds, "bad.ndjson", body.as_bytes(), Format::BatonNdjson).unwrap();
    let src = &ds.sources[id.0 as usize];
    // 10 record lines: a, b, c, d, e, f, not-json, a again, the session.
    assert_eq!(
        (
            src.counts.read,
            src.counts.imported,
            src.counts.duplicates,
            src.counts.skipped
        ),
        (9, 1, 1, 7)
    );
    let lines: Vec<(Option<u64>, Option<&str>)> = src
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Skipped)
        .map(|d| (d.line, d.field.as_deref()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (Some(4), Some("duration")),
            (Some(5), None),
            (Some(6), Some("end")),
            (Some(7), Some("type")),
            (Some(8), None),
            (Some(9), None),
            (Some(11), None)
        ]
    );
    // The duplicate of "a" filled in its cost.
    assert_eq!(op(&ds, "a").cost, Some(0.5));
    assert_eq!(op(&ds, "a").duration, Some(2.5));
}

#[test]
fn newer_versions_and_other_formats_are_refused() {
    let mut ds = Dataset::new();
    let err = import_as(
        &mut ds,
        "v2.json",
        br#"{"format":"baton","version":2,"operations":[]}"#,
        Format::Baton,
    );
    assert!(
        matches!(err, Err(baton_core::Error::Invalid { .. })),
        "{err:?}"
    );
    let err = import_as(
        &mut ds,
        "v2.ndjson",
        b"{\"format\":\"baton\",\"version\":2}\n",
        Format::BatonNdjson,
    );
    assert!(
        matches!(err, Err(baton_core::Error::Invalid { .. })),
        "{err:?}"
    );
    let err = import_as(
        &mut ds,
        "x.json",
        br#"{"format":"other","operations":[]}"#,
        Format::Baton,
    );
    assert!(
        matches!(err, Err(baton_core::Error::Invalid { .. })),
        "{err:?}"
    );
    let err = import_as(
        &mut ds,
        "x.json",
        br#"{"format":"baton","operations":[}"#,
        Format::Baton,
    );
    assert!(
        matches!(err, Err(baton_core::Error::Syntax { .. })),
        "{err:?}"
    );
    assert!(ds.sources.is_empty());
}

#[test]
fn committed_schema_is_up_to_date() {
    let path = path("../../docs/baton.schema.json");
    let fresh = schema_json();
    if std::env::var_os("BATON_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/baton.schema.json is out of date with the wire types; regenerate it with\n    BATON_UPDATE_SCHEMA=1 cargo test -p baton-core --test import_baton"
    );
    // The schema describes every record type.
    for def in [
        "Operation",
        "Session",
        "WorkItem",
        "PipelineAttempt",
        "DebuggingCycle",
        "Communication",
        "AgentProfile",
        "PatternProfile",
        "Aggregate",
    ] {
        assert!(fresh.contains(&format!("\"{def}\": {{")), "{def}");
    }
}

#[test]
fn documented_example_is_the_fixture() {
    let doc = std::fs::read_to_string(path("../../docs/format.md")).unwrap();
    let block = |lang: &str| -> String {
        let start = doc.find(&format!("```{lang}\n")).unwrap() + lang.len() + 4;
        let end = start + doc[start..].find("```").unwrap();
        doc[start..end].to_string()
    };
    assert_eq!(
        block("json"),
        String::from_utf8(bytes("baton/example.json")).unwrap()
    );
    assert_eq!(
        block("ndjson"),
        String::from_utf8(bytes("baton/example.ndjson")).unwrap()
    );
}

#[test]
fn ndjson_detection_knows_every_schema_field() {
    // Every property of every record definition is a key NDJSON detection accepts.
    let schema: serde_json::Value = serde_json::from_str(&schema_json()).unwrap();
    let mut checked = 0;
    for name in [
        "Operation",
        "Session",
        "WorkItem",
        "PipelineAttempt",
        "DebuggingCycle",
        "Communication",
        "AgentProfile",
        "PatternProfile",
        "Aggregate",
    ] {
        let props = schema["definitions"][name]["properties"]
            .as_object()
            .unwrap();
        for key in props.keys() {
            assert!(
                baton_core::import::baton::RECORD_KEYS.contains(&key.as_str()),
                "{name}.{key} is missing from RECORD_KEYS"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn documents_with_extra_top_level_keys_still_load() {
    let mut ds = Dataset::new();
    let body = br#"{"format": "baton", "version": 1, "exported_at": "2025-11-29T10:00:00Z",
        "operations": [{"id": "a", "kind": "k", "agent": "x", "outcome": "success"}]}"#;
    let id = import_file(&mut ds, "doc.json", body).unwrap();
    assert_eq!(ds.sources[id.0 as usize].format, Format::Baton);
    assert_eq!(ds.operations.len(), 1);
}
