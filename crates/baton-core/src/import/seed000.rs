//! Orchestrator report JSON (`orchestrator report --format json`), summary
//! and detailed, and Baton's own JSON report (a superset of it).
//!
//! Everything in a report is already aggregated, so it becomes [`Aggregate`]
//! records and never operations:
//!
//! | part of the file | becomes | records |
//! |---|---|---|
//! | `overall` with `costs` (and `work_items`, `issues`, `prs`, `pipelines`, `debugging`, `recommendations`, `insights` as extras) | one `Overall` aggregate for the report's period | 1 |
//! | each `operations` / `agents` / `models` entry | a `Kind` / `Agent` / `Model` aggregate | 1 each |
//! | each `by_day` (or `operations_by_day`) entry | an `Overall` (or `Kind` when it names a `type`) aggregate for that day | 1 each |
//! | each `costs_by_day` entry | fills the cost of that day's aggregate (a duplicate), else a new one | 1 each |
//! | each `errors_by_type` entry | an `ErrorType` aggregate whose `count` is its occurrences | 1 each |
//! | each `slowest_operations` / `most_expensive_operations` entry | a [`NotableOperation`] (not an operation) | 1 each |
//!
//! The period: `generated_at` is its end (Baton's `period.end` wins when
//! present) and `period_days` before it is its start. Rates above 1 are read
//! as percentages; durations are seconds; money is USD. Figures are kept as
//! recorded: nothing is derived. An aggregate with the same scope and period
//! as one already loaded (the same report loaded twice, or two reports sharing
//! a day) is a duplicate: it only fills the gaps of the first.
//!
//! Accepted shapes for the detailed parts: `by_day` as a list of objects with
//! `date` or as an object keyed by date; `costs_by_day` likewise, with a
//! number or an object per day; `errors_by_type` as an object of counts (or of
//! objects with `count`) or a list of `{error_type, count}`; the ranked lists
//! as objects with `operation_id`/`id`, `operation_type`/`type`, `duration`,
//! `cost`, `timestamp`.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{syntax_error, Ctx, RawNum, RawText, RawTime};
use super::peek::{Peek, Shape};
use super::records::{self, At};
use crate::model::{Aggregate, AggregateScope, NotableOperation, Timestamp, Tokens};
use crate::Error;

/// Keys one of which a report has beside `report_type`.
const REPORT_PARTS: [&str; 6] = [
    "overall",
    "operations",
    "costs",
    "by_day",
    "errors_by_type",
    "generated_at",
];

/// Detects a report: an object with `report_type` and one of its parts, or
/// (Baton's reports sort their keys, so a large one may put `report_type`
/// past the detection window) an `overall` block with `total_operations`
/// beside `costs` or `operations`.
pub fn detect(p: &Peek) -> Result<(), String> {
    if p.shape != Shape::Object {
        return Err("not a single JSON object".to_string());
    }
    if p.has("report_type") && REPORT_PARTS.iter().any(|k| p.has(k)) {
        return Ok(());
    }
    if p.child_has("overall", "total_operations") && (p.has("costs") || p.has("operations")) {
        return Ok(());
    }
    Err("no report_type with overall, operations or costs".to_string())
}

#[derive(Deserialize)]
struct Report<'a> {
    #[serde(borrow)]
    report_type: Option<&'a RawValue>,
    #[serde(borrow)]
    period_days: Option<&'a RawValue>,
    #[serde(borrow)]
    generated_at: Option<&'a RawValue>,
    #[serde(borrow)]
    period: Option<&'a RawValue>,
    #[serde(borrow)]
    overall: Option<&'a RawValue>,
    #[serde(borrow)]
    costs: Option<&'a RawValue>,
    #[serde(borrow)]
    operations: Option<&'a RawValue>,
    #[serde(borrow)]
    agents: Option<&'a RawValue>,
    #[serde(borrow)]
    models: Option<&'a RawValue>,
    #[serde(borrow)]
    work_items: Option<&'a RawValue>,
    #[serde(borrow)]
    issues: Option<&'a RawValue>,
    #[serde(borrow)]
    prs: Option<&'a RawValue>,
    #[serde(borrow)]
    pipelines: Option<&'a RawValue>,
    #[serde(borrow)]
    debugging: Option<&'a RawValue>,
    #[serde(borrow)]
    recommendations: Option<&'a RawValue>,
    #[serde(borrow)]
    insights: Option<&'a RawValue>,
    #[serde(borrow)]
    by_day: Option<&'a RawValue>,
    #[serde(borrow)]
    operations_by_day: Option<&'a RawValue>,
    #[serde(borrow)]
    costs_by_day: Option<&'a RawValue>,
    #[serde(borrow)]
    errors_by_type: Option<&'a RawValue>,
    #[serde(borrow)]
    slowest_operations: Option<&'a RawValue>,
    #[serde(borrow)]
    most_expensive_operations: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct PeriodSpan<'a> {
    #[serde(borrow)]
    start: Option<RawTime<'a>>,
    #[serde(borrow)]
    end: Option<RawTime<'a>>,
}

/// The figures of one aggregated block (overall, an operation kind, a day).
#[derive(Deserialize, Default)]
struct Figures<'a> {
    #[serde(alias = "day", alias = "start")]
    #[serde(borrow)]
    date: Option<RawTime<'a>>,
    #[serde(alias = "operation_type", alias = "kind")]
    #[serde(borrow)]
    r#type: Option<RawText<'a>>,
    #[serde(alias = "total_operations", alias = "operations", alias = "total")]
    count: Option<RawNum>,
    #[serde(alias = "succeeded", alias = "successes", alias = "successful")]
    success_count: Option<RawNum>,
    #[serde(alias = "failed", alias = "failures", alias = "failure_count")]
    failed: Option<RawNum>,
    running: Option<RawNum>,
    success_rate: Option<RawNum>,
    error_rate: Option<RawNum>,
    retry_rate: Option<RawNum>,
    cache_hit_rate: Option<RawNum>,
    #[serde(alias = "average_duration", alias = "avg_duration_seconds")]
    avg_duration: Option<RawNum>,
    p50_duration: Option<RawNum>,
    p95_duration: Option<RawNum>,
    p99_duration: Option<RawNum>,
    #[serde(alias = "cost")]
    total_cost: Option<RawNum>,
    #[serde(alias = "avg_cost")]
    avg_cost_per_operation: Option<RawNum>,
    total_tokens: Option<RawNum>,
    #[serde(borrow)]
    tokens: Option<&'a RawValue>,
    sessions: Option<RawNum>,
    monthly_projection: Option<RawNum>,
    #[serde(alias = "last_7_days")]
    cost_last_7_days: Option<RawNum>,
    #[serde(alias = "last_30_days")]
    cost_last_30_days: Option<RawNum>,
    #[serde(alias = "today")]
    cost_today: Option<RawNum>,
    work_items: Option<RawNum>,
    prs_merged: Option<RawNum>,
}

/// Tokens by category (Baton's report `costs.tokens`).
#[derive(Deserialize)]
struct TokenBlock {
    input: Option<RawNum>,
    output: Option<RawNum>,
    cache_read: Option<RawNum>,
    cache_write: Option<RawNum>,
}

#[derive(Deserialize)]
struct ErrorEntry<'a> {
    #[serde(alias = "type", alias = "error")]
    #[serde(borrow)]
    error_type: Option<RawText<'a>>,
    #[serde(alias = "occurrences", alias = "total")]
    count: Option<RawNum>,
}

#[derive(Deserialize)]
struct Ranked<'a> {
    #[serde(alias = "id")]
    #[serde(borrow)]
    operation_id: Option<RawText<'a>>,
    #[serde(alias = "type", alias = "kind")]
    #[serde(borrow)]
    operation_type: Option<RawText<'a>>,
    #[serde(alias = "duration_seconds")]
    duration: Option<RawNum>,
    #[serde(alias = "total_cost")]
    cost: Option<RawNum>,
    #[serde(
        alias = "time",
        alias = "start",
        alias = "started_at",
        alias = "start_time"
    )]
    #[serde(borrow)]
    timestamp: Option<RawTime<'a>>,
}

#[derive(Deserialize)]
struct Note<'a> {
    #[serde(alias = "text", alias = "description", alias = "title")]
    #[serde(borrow)]
    message: Option<RawText<'a>>,
}

/// An `errors_by_type` entry as read: record index, type, count or why not.
type ErrorFound = (u64, Option<String>, Result<Option<RawNum>, String>);

/// The report-wide context of every aggregate.
struct Period {
    origin: String,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    days: Option<f64>,
}

/// Imports one report.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let text = std::str::from_utf8(body).map_err(|e| Error::Encoding {
        file: ctx.file.clone(),
        reason: format!("not UTF-8: {e}"),
    })?;
    let r: Report<'_> =
        serde_json::from_slice(text.as_bytes()).map_err(|e| syntax_error(&ctx.file, &e))?;
    let period = read_period(ctx, &r);
    let mut imp = Importer {
        period,
        seen: existing_keys(ctx),
        days: HashMap::new(),
        record: 0,
    };
    imp.overall(ctx, &r);
    for (raw, scope) in [
        (
            r.operations,
            AggregateScope::Kind as fn(String) -> AggregateScope,
        ),
        (r.agents, AggregateScope::Agent),
        (r.models, AggregateScope::Model),
    ] {
        if let Some(raw) = raw {
            imp.named(ctx, raw, scope);
        }
    }
    for raw in [r.by_day, r.operations_by_day].into_iter().flatten() {
        imp.by_day(ctx, raw);
    }
    if let Some(raw) = r.costs_by_day {
        imp.costs_by_day(ctx, raw);
    }
    if let Some(raw) = r.errors_by_type {
        imp.errors(ctx, raw);
    }
    for (raw, list) in [
        (r.slowest_operations, "slowest"),
        (r.most_expensive_operations, "most_expensive"),
    ] {
        if let Some(raw) = raw {
            imp.ranked(ctx, raw, list);
        }
    }
    Ok(())
}

fn read_period(ctx: &mut Ctx<'_>, r: &Report<'_>) -> Period {
    let kind: Option<RawText<'_>> = records::field(ctx, None, "report_type", r.report_type);
    let origin = match kind
        .as_ref()
        .map(|k| k.as_str().trim().to_ascii_lowercase())
    {
        Some(k) if !k.is_empty() => format!("{k}_report"),
        _ => "report".to_string(),
    };
    let days: Option<RawNum> = records::field(ctx, None, "period_days", r.period_days);
    let days = match days {
        Some(RawNum::Value(d)) if d.is_finite() && d >= 0.0 => Some(d),
        Some(_) => {
            ctx.warn(
                None,
                Some("period_days"),
                "not a non-negative number; ignored",
            );
            None
        }
        None => None,
    };
    let generated: Option<RawTime<'_>> = records::field(ctx, None, "generated_at", r.generated_at);
    let generated = ctx.time(0, "generated_at", generated.as_ref());
    let span: Option<PeriodSpan<'_>> = records::field(ctx, None, "period", r.period);
    let (mut start, mut end) = (None, generated);
    if let Some(span) = span {
        start = ctx.time(0, "period.start", span.start.as_ref());
        if let Some(e) = ctx.time(0, "period.end", span.end.as_ref()) {
            end = Some(e);
        }
    }
    if start.is_none() {
        if let (Some(e), Some(d)) = (end, days) {
            start = Some(Timestamp(
                e.0 - (d * Timestamp::DAY_MS as f64).round() as i64,
            ));
        }
    }
    Period {
        origin,
        start,
        end,
        days,
    }
}

/// Keys (scope, start, end) of aggregates already in the dataset.
type Key = (String, Option<Timestamp>, Option<Timestamp>);

fn key(a: &Aggregate) -> Key {
    (format!("{:?}", a.scope), a.period_start, a.period_end)
}

/// Only reports' own aggregates count: another format's figures for the
/// same scope and period are not the same record.
fn existing_keys(ctx: &Ctx<'_>) -> HashMap<Key, usize> {
    let sources = &ctx.ds.sources;
    ctx.ds
        .aggregates
        .iter()
        .enumerate()
        .filter(|(_, a)| a.period_end.is_some())
        .filter(|(_, a)| {
            sources
                .get(a.source.0 as usize)
                .is_some_and(|s| s.format == crate::model::Format::OrchestratorReport)
        })
        .map(|(i, a)| (key(a), i))
        .collect()
}

struct Importer {
    period: Period,
    /// Aggregates by key, for duplicates.
    seen: HashMap<Key, usize>,
    /// This file's per-day overall aggregates by day index.
    days: HashMap<i64, usize>,
    /// Next record index.
    record: u64,
}

impl Importer {
    fn next(&mut self) -> u64 {
        let r = self.record;
        self.record += 1;
        r
    }

    fn blank(&self, ctx: &Ctx<'_>, scope: AggregateScope) -> Aggregate {
        Aggregate {
            source: ctx.source,
            scope,
            origin: self.period.origin.clone(),
            period_start: self.period.start,
            period_end: self.period.end,
            period_days: self.period.days,
            count: None,
            success_count: None,
            success_rate: None,
            error_rate: None,
            avg_duration: None,
            cache_hit_rate: None,
            total_cost: None,
            avg_cost_per_operation: None,
            total_tokens: None,
            tokens: None,
            sessions: None,
            extra: Vec::new(),
        }
    }

    /// Adds an aggregate, or fills the gaps of an earlier one with its key.
    fn add(&mut self, ctx: &mut Ctx<'_>, a: Aggregate) -> usize {
        let k = key(&a);
        if a.period_end.is_some() {
            if let Some(&i) = self.seen.get(&k) {
                if let Some(existing) = ctx.ds.aggregates.get_mut(i) {
                    fill_aggregate(existing, a);
                }
                ctx.duplicate();
                return i;
            }
        }
        let i = ctx.ds.aggregates.len();
        if a.period_end.is_some() {
            self.seen.insert(k, i);
        }
        ctx.ds.aggregates.push(a);
        ctx.imported();
        i
    }

    fn overall(&mut self, ctx: &mut Ctx<'_>, r: &Report<'_>) {
        let has_any = [
            r.overall,
            r.costs,
            r.work_items,
            r.issues,
            r.prs,
            r.pipelines,
            r.debugging,
        ]
        .iter()
        .any(Option::is_some);
        if !has_any {
            return;
        }
        let rec = self.next();
        let mut a = self.blank(ctx, AggregateScope::Overall);
        for (name, raw) in [("overall", r.overall), ("costs", r.costs)] {
            let Some(raw) = raw else { continue };
            let fig: Figures<'_> = match records::parse(raw) {
                Ok(f) => f,
                Err(e) => {
                    ctx.skip(rec, Some(name), e);
                    return;
                }
            };
            if let Err(e) = apply(ctx, rec, &fig, &mut a) {
                ctx.skip(rec, Some(name), e);
                return;
            }
        }
        for (prefix, raw) in [
            ("work_items", r.work_items),
            ("issues", r.issues),
            ("prs", r.prs),
            ("pipelines", r.pipelines),
            ("debugging", r.debugging),
        ] {
            if let Some(raw) = raw {
                flatten_extras(ctx, rec, prefix, raw, &mut a.extra);
            }
        }
        for (name, raw) in [
            ("recommendation", r.recommendations),
            ("insight", r.insights),
        ] {
            if let Some(raw) = raw {
                notes(ctx, rec, name, raw, &mut a.extra);
            }
        }
        self.add(ctx, a);
    }

    fn named(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, scope: fn(String) -> AggregateScope) {
        let entries = match records::entries(raw) {
            Ok(e) => e,
            Err(e) => {
                let rec = self.next();
                ctx.skip(rec, None, e);
                return;
            }
        };
        for (name, value) in entries {
            let rec = self.next();
            let name = name.as_str().trim();
            if name.is_empty() {
                ctx.skip(rec, None, "entry without a name");
                continue;
            }
            let fig: Figures<'_> = match records::parse(value) {
                Ok(f) => f,
                Err(e) => {
                    ctx.skip(rec, Some(name), e);
                    continue;
                }
            };
            let mut a = self.blank(ctx, scope(name.to_string()));
            match apply(ctx, rec, &fig, &mut a) {
                Ok(()) => {
                    self.add(ctx, a);
                }
                Err(e) => ctx.skip(rec, Some(name), e),
            }
        }
    }

    /// Entries of a per-day part: a list of objects, or an object keyed by date.
    fn day_entries<'a>(
        &mut self,
        ctx: &mut Ctx<'_>,
        raw: &'a RawValue,
    ) -> Vec<(Option<RawText<'a>>, &'a RawValue)> {
        if let Ok(items) = records::list(raw) {
            return items.into_iter().map(|v| (None, v)).collect();
        }
        match records::entries(raw) {
            Ok(e) => e.into_iter().map(|(k, v)| (Some(k), v)).collect(),
            Err(_) => {
                let rec = self.next();
                ctx.skip(rec, None, "expected a list or an object keyed by date");
                Vec::new()
            }
        }
    }

    fn day_of(
        ctx: &mut Ctx<'_>,
        rec: u64,
        key: Option<&RawText<'_>>,
        date: Option<&RawTime<'_>>,
    ) -> Option<Timestamp> {
        let from_key = key.map(|k| RawTime::Text(k.0.clone()));
        let raw = date.or(from_key.as_ref())?;
        let t = ctx.time(rec, "date", Some(raw))?;
        Some(Timestamp(t.day_index() * Timestamp::DAY_MS))
    }

    fn by_day(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue) {
        for (k, value) in self.day_entries(ctx, raw) {
            let rec = self.next();
            let fig: Figures<'_> = match records::parse(value) {
                Ok(f) => f,
                Err(e) => {
                    ctx.skip(rec, None, e);
                    continue;
                }
            };
            let Some(day) = Self::day_of(ctx, rec, k.as_ref(), fig.date.as_ref()) else {
                ctx.skip(rec, Some("date"), "no usable date");
                continue;
            };
            let scope = match records::text(fig.r#type.as_ref()) {
                Some(kind) => AggregateScope::Kind(kind),
                None => AggregateScope::Overall,
            };
            let overall = scope == AggregateScope::Overall;
            let mut a = self.day_aggregate(ctx, scope, day);
            if let Err(e) = apply(ctx, rec, &fig, &mut a) {
                ctx.skip(rec, None, e);
                continue;
            }
            let i = self.add(ctx, a);
            if overall {
                self.days.insert(day.day_index(), i);
            }
        }
    }

    fn day_aggregate(&self, ctx: &Ctx<'_>, scope: AggregateScope, day: Timestamp) -> Aggregate {
        let mut a = self.blank(ctx, scope);
        a.period_start = Some(day);
        a.period_end = Some(Timestamp(day.0 + Timestamp::DAY_MS));
        a.period_days = Some(1.0);
        a
    }

    fn costs_by_day(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue) {
        for (k, value) in self.day_entries(ctx, raw) {
            let rec = self.next();
            // A bare number is that day's cost.
            let fig: Figures<'_> = match records::parse::<RawNum>(value) {
                Ok(cost @ RawNum::Value(_)) => Figures {
                    total_cost: Some(cost),
                    ..Figures::default()
                },
                Ok(RawNum::Invalid) | Err(_) => match records::parse(value) {
                    Ok(f) => f,
                    Err(e) => {
                        ctx.skip(rec, None, e);
                        continue;
                    }
                },
            };
            let Some(day) = Self::day_of(ctx, rec, k.as_ref(), fig.date.as_ref()) else {
                ctx.skip(rec, Some("date"), "no usable date");
                continue;
            };
            let mut a = self.day_aggregate(ctx, AggregateScope::Overall, day);
            if let Err(e) = apply(ctx, rec, &fig, &mut a) {
                ctx.skip(rec, None, e);
                continue;
            }
            match self.days.get(&day.day_index()) {
                Some(&i) => {
                    if let Some(existing) = ctx.ds.aggregates.get_mut(i) {
                        fill_aggregate(existing, a);
                    }
                    ctx.duplicate();
                }
                None => {
                    let i = self.add(ctx, a);
                    self.days.insert(day.day_index(), i);
                }
            }
        }
    }

    fn errors(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue) {
        let mut found: Vec<ErrorFound> = Vec::new();
        if let Ok(items) = records::list(raw) {
            for item in items {
                let rec = self.next();
                match records::parse::<ErrorEntry<'_>>(item) {
                    Ok(e) => found.push((rec, records::text(e.error_type.as_ref()), Ok(e.count))),
                    Err(e) => found.push((rec, None, Err(e))),
                }
            }
        } else {
            match records::entries(raw) {
                Ok(entries) => {
                    for (name, value) in entries {
                        let rec = self.next();
                        // A count, or an object with one (objects parse as Invalid numbers).
                        let count = match records::parse::<ErrorEntry<'_>>(value) {
                            Ok(e) => Ok(e.count),
                            Err(_) => records::parse::<RawNum>(value).map(Some),
                        };
                        found.push((rec, records::text(Some(&name)), count));
                    }
                }
                Err(e) => {
                    let rec = self.next();
                    ctx.skip(rec, None, e);
                }
            }
        }
        for (rec, name, count) in found {
            let count = match count {
                Ok(c) => c,
                Err(e) => {
                    ctx.skip(rec, None, e);
                    continue;
                }
            };
            let Some(name) = name else {
                ctx.skip(rec, Some("error_type"), "no error type");
                continue;
            };
            let Some(n) = records::count(
                ctx,
                At {
                    record: rec,
                    field: "count",
                },
                count,
            ) else {
                ctx.skip(rec, Some("count"), "no usable count");
                continue;
            };
            let mut a = self.blank(ctx, AggregateScope::ErrorType(name));
            a.count = Some(n);
            self.add(ctx, a);
        }
    }

    fn ranked(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, list: &str) {
        let items = match records::list(raw) {
            Ok(i) => i,
            Err(e) => {
                let rec = self.next();
                ctx.skip(rec, Some(list), e);
                return;
            }
        };
        for (rank, item) in items.into_iter().enumerate() {
            let rec = self.next();
            let r: Ranked<'_> = match records::parse(item) {
                Ok(r) => r,
                Err(e) => {
                    ctx.skip(rec, None, e);
                    continue;
                }
            };
            let duration = match records::duration(r.duration, 1.0) {
                Ok(d) => d,
                Err(e) => {
                    ctx.skip(rec, Some("duration"), e);
                    continue;
                }
            };
            let cost = records::money(
                ctx,
                At {
                    record: rec,
                    field: "cost",
                },
                r.cost,
            );
            let time = ctx.time(rec, "timestamp", r.timestamp.as_ref());
            let op = NotableOperation {
                source: Some(ctx.source),
                list: list.to_string(),
                rank: u32::try_from(rank).unwrap_or(u32::MAX),
                id: records::text(r.operation_id.as_ref()),
                kind: records::text(r.operation_type.as_ref()),
                duration,
                cost,
                time,
                period_start: self.period.start,
                period_end: self.period.end,
            };
            let dup = ctx.ds.notable_operations.iter().any(|o| {
                o.list == op.list
                    && o.id == op.id
                    && o.kind == op.kind
                    && o.duration == op.duration
                    && o.cost == op.cost
                    && o.time == op.time
            });
            if dup {
                ctx.duplicate();
            } else {
                ctx.ds.notable_operations.push(op);
                ctx.imported();
            }
        }
    }
}

/// Copies a block's figures onto an aggregate. Err when the block is
/// unusable (a negative or non-numeric average duration).
fn apply(ctx: &mut Ctx<'_>, rec: u64, f: &Figures<'_>, a: &mut Aggregate) -> Result<(), String> {
    let at = |field| At { record: rec, field };
    let avg = records::duration(f.avg_duration, 1.0).map_err(|e| format!("avg_duration: {e}"))?;
    set(&mut a.avg_duration, avg);
    set(&mut a.count, records::count(ctx, at("count"), f.count));
    set(
        &mut a.success_count,
        records::count(ctx, at("success_count"), f.success_count),
    );
    set(
        &mut a.success_rate,
        records::fraction(ctx, at("success_rate"), f.success_rate),
    );
    set(
        &mut a.error_rate,
        records::fraction(ctx, at("error_rate"), f.error_rate),
    );
    set(
        &mut a.cache_hit_rate,
        records::fraction(ctx, at("cache_hit_rate"), f.cache_hit_rate),
    );
    set(
        &mut a.total_cost,
        records::money(ctx, at("total_cost"), f.total_cost),
    );
    set(
        &mut a.avg_cost_per_operation,
        records::money(ctx, at("avg_cost_per_operation"), f.avg_cost_per_operation),
    );
    set(
        &mut a.total_tokens,
        records::count(ctx, at("total_tokens"), f.total_tokens),
    );
    set(
        &mut a.sessions,
        records::count(ctx, at("sessions"), f.sessions),
    );
    if let Some(raw) = f.tokens {
        // Objects parse as Invalid numbers: a number here is a total.
        if let Ok(n @ RawNum::Value(_)) = records::parse::<RawNum>(raw) {
            set(
                &mut a.total_tokens,
                records::count(ctx, at("tokens"), Some(n)),
            );
        } else if let Some(t) = records::field::<TokenBlock>(ctx, Some(rec), "tokens", Some(raw)) {
            let mut c = |field, v| records::count(ctx, at(field), v).unwrap_or(0);
            let tokens = Tokens {
                input: c("tokens.input", t.input),
                output: c("tokens.output", t.output),
                cache_read: c("tokens.cache_read", t.cache_read),
                cache_write: c("tokens.cache_write", t.cache_write),
            };
            fill(&mut a.total_tokens, Some(tokens.total()));
            set(&mut a.tokens, Some(tokens));
        }
    }
    for (name, v) in [
        (
            "failed",
            records::count(ctx, at("failed"), f.failed).map(|n| n as f64),
        ),
        (
            "running",
            records::count(ctx, at("running"), f.running).map(|n| n as f64),
        ),
        (
            "retry_rate",
            records::fraction(ctx, at("retry_rate"), f.retry_rate),
        ),
        (
            "p50_duration",
            records::num(ctx, at("p50_duration"), f.p50_duration),
        ),
        (
            "p95_duration",
            records::num(ctx, at("p95_duration"), f.p95_duration),
        ),
        (
            "p99_duration",
            records::num(ctx, at("p99_duration"), f.p99_duration),
        ),
        (
            "monthly_projection",
            records::money(ctx, at("monthly_projection"), f.monthly_projection),
        ),
        (
            "cost_last_7_days",
            records::money(ctx, at("cost_last_7_days"), f.cost_last_7_days),
        ),
        (
            "cost_last_30_days",
            records::money(ctx, at("cost_last_30_days"), f.cost_last_30_days),
        ),
        (
            "cost_today",
            records::money(ctx, at("cost_today"), f.cost_today),
        ),
        (
            "work_items",
            records::count(ctx, at("work_items"), f.work_items).map(|n| n as f64),
        ),
        (
            "prs_merged",
            records::count(ctx, at("prs_merged"), f.prs_merged).map(|n| n as f64),
        ),
    ] {
        if let Some(v) = v {
            a.extra.push((name.to_string(), fmt_num(v)));
        }
    }
    Ok(())
}

fn set<T>(slot: &mut Option<T>, v: Option<T>) {
    if v.is_some() {
        *slot = v;
    }
}

fn fill<T>(slot: &mut Option<T>, v: Option<T>) {
    if slot.is_none() {
        *slot = v;
    }
}

fn fill_aggregate(e: &mut Aggregate, a: Aggregate) {
    fill(&mut e.count, a.count);
    fill(&mut e.success_count, a.success_count);
    fill(&mut e.success_rate, a.success_rate);
    fill(&mut e.error_rate, a.error_rate);
    fill(&mut e.avg_duration, a.avg_duration);
    fill(&mut e.cache_hit_rate, a.cache_hit_rate);
    fill(&mut e.total_cost, a.total_cost);
    fill(&mut e.avg_cost_per_operation, a.avg_cost_per_operation);
    fill(&mut e.total_tokens, a.total_tokens);
    fill(&mut e.tokens, a.tokens);
    fill(&mut e.sessions, a.sessions);
    for (k, v) in a.extra {
        if !e.extra.iter().any(|(ek, _)| *ek == k) {
            e.extra.push((k, v));
        }
    }
}

/// Number as text without a needless `.0`.
fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Scalar fields of a block as `prefix.key` extras (nested values are left out).
fn flatten_extras(
    ctx: &mut Ctx<'_>,
    rec: u64,
    prefix: &str,
    raw: &RawValue,
    extra: &mut Vec<(String, String)>,
) {
    let entries = match records::entries(raw) {
        Ok(e) => e,
        Err(e) => {
            ctx.warn(Some(rec), Some(prefix), e);
            return;
        }
    };
    for (k, v) in entries {
        if let Ok(Some(RawNum::Value(n))) = records::parse::<Option<RawNum>>(v) {
            extra.push((format!("{prefix}.{}", k.as_str()), fmt_num(n)));
        } else if let Ok(Some(t)) = records::parse::<Option<RawText<'_>>>(v) {
            extra.push((format!("{prefix}.{}", k.as_str()), t.as_str().to_string()));
        }
    }
}

/// Recommendations or insights (text, or objects with a message) as extras.
fn notes(
    ctx: &mut Ctx<'_>,
    rec: u64,
    name: &str,
    raw: &RawValue,
    extra: &mut Vec<(String, String)>,
) {
    let items = match records::list(raw) {
        Ok(i) => i,
        Err(e) => {
            ctx.warn(Some(rec), Some(name), e);
            return;
        }
    };
    for item in items {
        let text = match records::parse::<RawText<'_>>(item) {
            Ok(t) => records::text(Some(&t)),
            Err(_) => records::parse::<Note<'_>>(item)
                .ok()
                .and_then(|n| records::text(n.message.as_ref())),
        };
        if let Some(t) = text {
            extra.push((name.to_string(), t));
        }
    }
}
