//! CSV reports: one RFC 4180 table per report section. Numbers are written
//! plainly (a negative number we format is safe); text cells that come from
//! the data and start with `=`, `+`, `-`, `@`, tab or CR get a leading `'`
//! so spreadsheets do not run them as formulas.

use super::ReportOptions;
use crate::analysis::{Analysis, GroupStats, OperationRef, TimeBucket};
use crate::Error;

/// The section written when none is chosen.
pub const DEFAULT_SECTION: &str = "operations";

/// The CSV section names, in the order they are documented.
pub fn sections() -> &'static [&'static str] {
    &[
        "overall",
        "operations",
        "agents",
        "models",
        "sessions",
        "by_day",
        "by_week",
        "by_hour",
        "costs",
        "errors",
        "alerts",
        "bottlenecks",
        "recommendations",
        "slowest_operations",
        "most_expensive_operations",
        "sources",
    ]
}

/// Neutralises a text cell from the data against formula injection.
pub fn safe_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// A number cell: at most 6 decimals (sums of floats carry noise such as
/// 6.250876500000004), trailing zeros trimmed; empty when absent.
fn f(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let s = format!("{x:.6}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".to_string()
            } else {
                s.to_string()
            }
        }
        _ => String::new(),
    }
}

fn u(v: Option<u64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn t(v: Option<&str>) -> String {
    v.map(safe_text).unwrap_or_default()
}

const GROUP_HEADER: [&str; 16] = [
    "count",
    "success_count",
    "failure_count",
    "running",
    "success_rate",
    "retry_rate",
    "avg_duration",
    "min_duration",
    "max_duration",
    "p50_duration",
    "p95_duration",
    "total_cost",
    "total_tokens",
    "cache_hit_rate",
    "avg_quality_score",
    "conflicts",
];

fn group_row(g: &GroupStats) -> Vec<String> {
    vec![
        g.count.to_string(),
        g.success_count.to_string(),
        g.failure_count.to_string(),
        g.running.to_string(),
        f(g.success_rate),
        f(g.retry_rate),
        f(g.avg_duration),
        f(g.min_duration),
        f(g.max_duration),
        f(g.p50_duration),
        f(g.p95_duration),
        f(g.total_cost),
        u(g.total_tokens),
        f(g.cache_hit_rate),
        f(g.avg_quality_score),
        u(g.conflicts),
    ]
}

fn bucket_rows(buckets: &[TimeBucket]) -> Vec<Vec<String>> {
    buckets
        .iter()
        .map(|b| {
            vec![
                safe_text(&b.start),
                b.count.to_string(),
                b.success_count.to_string(),
                b.failure_count.to_string(),
                f(b.success_rate),
                f(b.avg_duration),
                f(b.cost),
                b.tokens.input.to_string(),
                b.tokens.output.to_string(),
                b.tokens.cache_read.to_string(),
                b.tokens.cache_write.to_string(),
                b.work_items.to_string(),
                b.prs_merged.to_string(),
            ]
        })
        .collect()
}

const BUCKET_HEADER: [&str; 13] = [
    "start",
    "count",
    "success_count",
    "failure_count",
    "success_rate",
    "avg_duration",
    "cost",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "work_items",
    "prs_merged",
];

fn op_rows(ops: &[OperationRef]) -> Vec<Vec<String>> {
    ops.iter()
        .map(|o| {
            vec![
                safe_text(&o.id),
                safe_text(&o.kind),
                safe_text(&o.agent),
                t(o.session.as_deref()),
                t(o.model.as_deref()),
                t(o.start.as_deref()),
                f(o.duration),
                f(o.cost),
                match o.outcome {
                    crate::model::Outcome::Success => "success",
                    crate::model::Outcome::Failure => "failure",
                    crate::model::Outcome::Running => "running",
                }
                .to_string(),
                t(o.error_type.as_deref()),
                t(o.error_message.as_deref()),
            ]
        })
        .collect()
}

const OP_HEADER: [&str; 11] = [
    "id",
    "kind",
    "agent",
    "session",
    "model",
    "start",
    "duration",
    "cost",
    "outcome",
    "error_type",
    "error_message",
];

fn with_name(
    first: &str,
    map: &std::collections::BTreeMap<String, GroupStats>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec![first.to_string()];
    header.extend(GROUP_HEADER.iter().map(|s| s.to_string()));
    let rows = map
        .iter()
        .map(|(k, g)| {
            let mut r = vec![safe_text(k)];
            r.extend(group_row(g));
            r
        })
        .collect();
    (header, rows)
}

fn strs(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

/// Header and rows of one section.
fn table(a: &Analysis, section: &str) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    Some(match section {
        "overall" => {
            let o = &a.overall;
            let pairs: Vec<(&str, String)> = vec![
                ("total_operations", o.total_operations.to_string()),
                ("succeeded", o.succeeded.to_string()),
                ("failed", o.failed.to_string()),
                ("running", o.running.to_string()),
                ("success_rate", f(o.success_rate)),
                ("error_rate", f(o.error_rate)),
                ("retry_rate", f(o.retry_rate)),
                ("avg_duration", f(o.avg_duration)),
                ("p50_duration", f(o.p50_duration)),
                ("p95_duration", f(o.p95_duration)),
                ("p99_duration", f(o.p99_duration)),
                ("max_duration", f(o.max_duration)),
                ("cache_hit_rate", f(o.cache_hit_rate)),
                ("total_cost", f(a.costs.total_cost)),
                ("total_tokens", u(a.costs.total_tokens)),
                ("monthly_projection", f(a.costs.monthly_projection)),
            ];
            (
                strs(&["metric", "value"]),
                pairs
                    .into_iter()
                    .map(|(k, v)| vec![k.to_string(), v])
                    .collect(),
            )
        }
        "operations" => with_name("operation", &a.operations),
        "agents" => with_name("agent", &a.agents),
        "models" => with_name("model", &a.models),
        "sessions" => {
            let mut header = strs(&[
                "session", "status", "start", "end", "duration", "mode", "llm",
            ]);
            header.extend(GROUP_HEADER.iter().map(|s| s.to_string()));
            let rows = a
                .sessions
                .iter()
                .map(|s| {
                    let mut r = vec![
                        safe_text(&s.id),
                        t(s.status.as_deref()),
                        t(s.start.as_deref()),
                        t(s.end.as_deref()),
                        f(s.duration),
                        t(s.mode.as_deref()),
                        t(s.llm.as_deref()),
                    ];
                    r.extend(group_row(&s.stats));
                    r
                })
                .collect();
            (header, rows)
        }
        "by_day" => (strs(&BUCKET_HEADER), bucket_rows(&a.by_day)),
        "by_week" => (strs(&BUCKET_HEADER), bucket_rows(&a.by_week)),
        "by_hour" => (strs(&BUCKET_HEADER), bucket_rows(&a.by_hour)),
        "costs" => {
            let c = &a.costs;
            let pairs: Vec<(&str, String)> = vec![
                ("total_cost", f(c.total_cost)),
                ("recorded_cost", f(c.recorded_cost)),
                ("computed_cost", f(c.computed_cost)),
                ("avg_cost_per_operation", f(c.avg_cost_per_operation)),
                ("today", f(c.today)),
                ("last_7_days", f(c.last_7_days)),
                ("last_30_days", f(c.last_30_days)),
                ("monthly_projection", f(c.monthly_projection)),
                ("daily_budget", f(c.daily_budget)),
                ("total_tokens", u(c.total_tokens)),
                ("input_tokens", c.tokens.input.to_string()),
                ("output_tokens", c.tokens.output.to_string()),
                ("cache_read_tokens", c.tokens.cache_read.to_string()),
                ("cache_write_tokens", c.tokens.cache_write.to_string()),
                ("unpriced_operations", c.unpriced_operations.to_string()),
            ];
            (
                strs(&["metric", "value"]),
                pairs
                    .into_iter()
                    .map(|(k, v)| vec![k.to_string(), v])
                    .collect(),
            )
        }
        "errors" => {
            let mut errs: Vec<(&String, &u64)> = a.errors_by_type.iter().collect();
            crate::sort::sort_by(&mut errs, |x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
            (
                strs(&["error_type", "count"]),
                errs.into_iter()
                    .map(|(k, n)| vec![safe_text(k), n.to_string()])
                    .collect(),
            )
        }
        "alerts" => (
            strs(&[
                "severity",
                "kind",
                "subject",
                "message",
                "value",
                "threshold",
                "action",
            ]),
            a.alerts
                .iter()
                .map(|x| {
                    vec![
                        super::severity_word(x.severity).to_string(),
                        safe_text(&x.kind),
                        t(x.subject.as_deref()),
                        safe_text(&x.message),
                        f(Some(x.value)),
                        f(Some(x.threshold)),
                        t(x.action.as_deref()),
                    ]
                })
                .collect(),
        ),
        "bottlenecks" => (
            strs(&[
                "kind",
                "subject",
                "value",
                "baseline",
                "unit",
                "impact_score",
                "description",
                "recommendations",
            ]),
            a.bottlenecks
                .iter()
                .map(|b| {
                    vec![
                        safe_text(&b.kind),
                        safe_text(&b.subject),
                        f(Some(b.value)),
                        f(Some(b.baseline)),
                        safe_text(&b.unit),
                        f(Some(b.impact_score)),
                        safe_text(&b.description),
                        safe_text(&b.recommendations.join("; ")),
                    ]
                })
                .collect(),
        ),
        "recommendations" => (
            strs(&[
                "kind",
                "subject",
                "message",
                "evidence",
                "expected_impact",
                "impact_score",
            ]),
            a.recommendations
                .iter()
                .map(|r| {
                    vec![
                        safe_text(&r.kind),
                        t(r.subject.as_deref()),
                        safe_text(&r.message),
                        safe_text(&r.evidence),
                        safe_text(&r.expected_impact),
                        f(Some(r.impact_score)),
                    ]
                })
                .collect(),
        ),
        "slowest_operations" => (strs(&OP_HEADER), op_rows(&a.slowest_operations)),
        "most_expensive_operations" => (strs(&OP_HEADER), op_rows(&a.most_expensive_operations)),
        "sources" => (
            strs(&[
                "name",
                "format",
                "records",
                "imported",
                "duplicates",
                "skipped",
            ]),
            a.sources
                .iter()
                .map(|s| {
                    vec![
                        safe_text(&s.name),
                        serde_json::to_value(s.format)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        s.records.to_string(),
                        s.imported.to_string(),
                        s.duplicates.to_string(),
                        s.skipped.to_string(),
                    ]
                })
                .collect(),
        ),
        _ => return None,
    })
}

/// One section of the report as CSV (header row first). An unknown section
/// is an error listing the known ones.
pub fn report_csv(a: &Analysis, o: &ReportOptions) -> Result<String, Error> {
    let section = o.csv_section.as_deref().unwrap_or(DEFAULT_SECTION);
    let Some((header, rows)) = table(a, section) else {
        return Err(Error::Invalid {
            what: format!("CSV section `{section}`"),
            reason: format!("unknown section; choose one of {}", sections().join(", ")),
        });
    };
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let io = |e: ::csv::Error| Error::Invalid {
        what: "CSV report".to_string(),
        reason: e.to_string(),
    };
    w.write_record(&header).map_err(io)?;
    for r in rows {
        w.write_record(&r).map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Invalid {
        what: "CSV report".to_string(),
        reason: e.to_string(),
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
