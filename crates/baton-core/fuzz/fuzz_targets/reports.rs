//! The analytics and every report writer on arbitrary datasets built from
//! structured fuzz input: never a panic, never NaN, the JSON report parses.
#![no_main]

use baton_core::analysis::{analyze, AnalysisOptions};
use baton_core::model::{Dataset, Format, Operation, Outcome, RecordCounts, Source, SourceId, Timestamp, Tokens};
use baton_core::report::{render, sections, ReportFormat, ReportKind, ReportOptions};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Op {
    id: String,
    kind: String,
    agent: String,
    model: Option<String>,
    session: Option<String>,
    outcome: u8,
    start: Option<i32>,
    duration: Option<u32>,
    cost: Option<u32>,
    tokens: Option<(u32, u32, u32, u32)>,
    retries: u8,
    error: Option<String>,
    cache_hit: Option<bool>,
    quality: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    ops: Vec<Op>,
    period: Option<u8>,
    now: Option<i32>,
    kind: u8,
    agents: Vec<String>,
}

/// A name from the input that cannot spell a non-finite number, so "NaN" in
/// a report can only be a number.
fn name(s: &str) -> String {
    s.replace("NaN", "Na_N")
}

fuzz_target!(|input: Input| {
    let mut ds = Dataset::new();
    ds.sources.push(Source {
        name: "fuzz".into(),
        format: Format::Baton,
        bytes: 0,
        counts: RecordCounts::default(),
        diagnostics: Vec::new(),
        quality: Vec::new(),
    });
    // 2025-11-10 plus a few hundred days in seconds either way.
    let base: i64 = 1_762_732_800_000;
    for o in input.ops.iter().take(2_000) {
        let op = Operation {
            id: ds.intern(&name(&o.id)),
            source: SourceId(0),
            session: o.session.as_deref().map(|s| ds.intern(&name(s))),
            parent: None,
            kind: ds.intern(&name(&o.kind)),
            agent: ds.intern(&name(&o.agent)),
            model: o.model.as_deref().map(|s| ds.intern(&name(s))),
            work_item: None,
            start: o.start.map(|s| Timestamp(base + i64::from(s) * 1000)),
            end: None,
            duration: o.duration.map(|d| f64::from(d) / 8.0),
            outcome: [Outcome::Success, Outcome::Failure, Outcome::Running][usize::from(o.outcome % 3)],
            retries: u32::from(o.retries),
            error_type: o.error.as_deref().map(|s| ds.intern(&name(s))),
            error_message: o.error.as_deref().map(name),
            tokens: o.tokens.map(|(a, b, c, d)| Tokens {
                input: u64::from(a),
                output: u64::from(b),
                cache_read: u64::from(c),
                cache_write: u64::from(d),
            }),
            tokens_uncategorized: None,
            cost: o.cost.map(|c| f64::from(c) / 1000.0),
            cache_hit: o.cache_hit,
            files_created: None,
            files_modified: None,
            quality_score: o.quality.map(|q| f64::from(q % 101)),
            conflicts: None,
            self_healed: None,
        };
        ds.insert_operation(op);
    }
    let mut opts = AnalysisOptions {
        period_days: input.period.map(u32::from),
        now: input.now.map(|n| base + i64::from(n) * 1000),
        ..AnalysisOptions::default()
    };
    opts.filter.agents = input.agents.iter().take(4).map(|a| name(a)).collect();
    let a = analyze(&ds, &opts);
    let kind = [ReportKind::Summary, ReportKind::Detailed, ReportKind::Daily, ReportKind::Weekly, ReportKind::Monthly]
        [usize::from(input.kind % 5)];
    let o = ReportOptions { kind, ..ReportOptions::default() };
    for f in [ReportFormat::Markdown, ReportFormat::Json, ReportFormat::Prometheus, ReportFormat::Grafana] {
        let text = render(&a, f, &o).unwrap();
        assert!(!text.contains("NaN"), "NaN in {f:?}");
    }
    for s in sections() {
        let o = ReportOptions { csv_section: Some(s.to_string()), ..o.clone() };
        render(&a, ReportFormat::Csv, &o).unwrap();
    }
    let json = render(&a, ReportFormat::Json, &o).unwrap();
    serde_json::from_str::<serde_json::Value>(&json).unwrap();
});
