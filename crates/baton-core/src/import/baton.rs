//! Baton's canonical format, version 1: read, written, and described by a
//! JSON Schema. See `docs/format.md` for the user documentation.
//!
//! Two encodings of the same records ([`wire`]):
//! - a document `{"format": "baton", "version": 1, "sessions": [...],
//!   "operations": [...], ...}`;
//! - NDJSON: one record per line with a `"type"` tag (`session`,
//!   `operation`, `work_item`, `pipeline`, `debugging`, `communication`,
//!   `agent_profile`, `pattern`, `aggregate`), optionally after a header
//!   line `{"format": "baton", "version": 1}`. This is the encoding for big
//!   files: each line is parsed on its own into borrowed structs.
//!
//! A record that cannot be used (wrong type, missing id, negative duration,
//! end before start) is skipped with a diagnostic; the rest loads.

pub mod wire;

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{syntax_error, Ctx, RawTime};
use super::peek::{Peek, Shape};
use crate::model::{
    AgentProfile, Aggregate, AggregateScope, Communication, Dataset, DebuggingCycle, LlmConfig,
    Operation, Outcome, PatternAgent, PatternProfile, PipelineAttempt, Session, Sym, Timestamp,
    Tokens, WorkItem,
};
use crate::Error;
use wire::*;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// The record lists of a document, in the order they are written.
const LISTS: &[&str] = &[
    "sessions",
    "operations",
    "work_items",
    "pipelines",
    "debugging",
    "communication",
    "agent_profiles",
    "patterns",
    "aggregates",
];

/// NDJSON `type` tags, in the order they are written.
const TYPES: &[&str] = &[
    "session",
    "operation",
    "work_item",
    "pipeline",
    "debugging",
    "communication",
    "agent_profile",
    "pattern",
    "aggregate",
];

/// Every key a record of any type may have (for NDJSON detection; a test
/// checks it against the schema).
pub const RECORD_KEYS: &[&str] = &[
    "type",
    "id",
    "session",
    "parent",
    "kind",
    "agent",
    "model",
    "work_item",
    "start",
    "end",
    "duration",
    "outcome",
    "retries",
    "error_type",
    "error_message",
    "tokens",
    "tokens_uncategorized",
    "cost",
    "cache_hit",
    "files_created",
    "files_modified",
    "quality_score",
    "conflicts",
    "self_healed",
    "status",
    "mode",
    "llm",
    "description",
    "project",
    "tasks_total",
    "tasks_completed",
    "tasks_failed",
    "commit",
    "current_phase",
    "progress",
    "prs_merged",
    "errors",
    "sequence",
    "time",
    "attempts",
    "resolved",
    "total_messages",
    "messages_by_type",
    "messages_by_agent",
    "edges",
    "average_response_time",
    "efficiency",
    "task_type",
    "completion_rate",
    "average_task_duration",
    "error_rate",
    "retry_rate",
    "messages_sent",
    "messages_received",
    "response_time",
    "collaboration_score",
    "code_quality_score",
    "test_coverage",
    "security_score",
    "security_issues",
    "name",
    "total_executions",
    "success_rate",
    "average_duration",
    "common_failure_points",
    "bottlenecks",
    "optimization_opportunities",
    "efficiency_improvements",
    "agents",
    "scope",
    "origin",
    "period_start",
    "period_end",
    "period_days",
    "count",
    "success_count",
    "avg_duration",
    "cache_hit_rate",
    "total_cost",
    "avg_cost_per_operation",
    "total_tokens",
    "sessions",
    "extra",
];

/// Detects a Baton document: an object with `format` and `version` (other
/// top-level keys are ignored, for forward compatibility), or whose keys are
/// all the format's, with `format` or an operations list whose records have
/// `id` and `outcome`.
pub fn detect_json(p: &Peek) -> Result<(), String> {
    if p.shape != Shape::Object {
        return Err("not a JSON object".to_string());
    }
    if p.has("format") && p.has("version") && !p.has("type") {
        return Ok(());
    }
    if let Some(other) = p
        .keys
        .iter()
        .find(|k| !LISTS.contains(&k.as_str()) && k.as_str() != "format" && k.as_str() != "version")
    {
        return Err(format!("unexpected top-level key {other:?}"));
    }
    if p.has("format") {
        return Ok(());
    }
    let ops_look_right = p
        .child("operations")
        .is_some_and(|keys| keys.iter().any(|k| k == "id") && keys.iter().any(|k| k == "outcome"));
    if ops_look_right {
        Ok(())
    } else {
        Err("no \"format\": \"baton\" and no operations with id and outcome".to_string())
    }
}

/// Detects Baton NDJSON: lines whose first is the header
/// `{"format": "baton", "version": 1}` or a record with a `type` tag and only
/// the format's keys.
pub fn detect_ndjson(p: &Peek) -> Result<(), String> {
    let header = p.has("format") && p.keys.iter().all(|k| k == "format" || k == "version");
    let record = p.has("type") && p.keys.iter().all(|k| RECORD_KEYS.contains(&k.as_str()));
    match p.shape {
        Shape::Lines if header || record => Ok(()),
        Shape::Object if record => Ok(()),
        _ => Err("first line is neither a Baton header nor a typed Baton record".to_string()),
    }
}

#[derive(Deserialize)]
struct RawDocument<'a> {
    #[serde(borrow, default)]
    format: Option<Text<'a>>,
    #[serde(default)]
    version: Option<u64>,
    #[serde(borrow, default)]
    sessions: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    operations: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    work_items: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    pipelines: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    debugging: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    communication: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    agent_profiles: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    patterns: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    aggregates: Vec<&'a RawValue>,
}

fn check_header(
    ctx: &Ctx<'_>,
    format: Option<&Text<'_>>,
    version: Option<u64>,
) -> Result<(), Error> {
    if let Some(f) = format {
        if f.as_str() != "baton" {
            return Err(Error::Invalid {
                what: ctx.file.clone(),
                reason: format!("format is {:?}, not \"baton\"", f.as_str()),
            });
        }
    }
    match version {
        Some(v) if v > FORMAT_VERSION => Err(Error::Invalid {
            what: ctx.file.clone(),
            reason: format!(
                "Baton format version {v} is newer than this Baton reads ({FORMAT_VERSION}); update Baton"
            ),
        }),
        Some(0) => Err(Error::Invalid {
            what: ctx.file.clone(),
            reason: "Baton format version 0 does not exist".to_string(),
        }),
        _ => Ok(()),
    }
}

/// Imports a Baton document.
pub fn import_json(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let doc: RawDocument = serde_json::from_slice(body).map_err(|e| syntax_error(&ctx.file, &e))?;
    check_header(ctx, doc.format.as_ref(), doc.version)?;
    reserve(ctx, doc.operations.len());
    let mut rec: u64 = 0;
    let lists = [
        (0, doc.sessions),
        (1, doc.operations),
        (2, doc.work_items),
        (3, doc.pipelines),
        (4, doc.debugging),
        (5, doc.communication),
        (6, doc.agent_profiles),
        (7, doc.patterns),
        (8, doc.aggregates),
    ];
    for (kind, items) in lists {
        for raw in items {
            record(ctx, rec, None, kind, raw.get().as_bytes());
            rec += 1;
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct Tag<'a> {
    #[serde(borrow, default, rename = "type")]
    kind: Option<Text<'a>>,
    #[serde(borrow, default)]
    format: Option<Text<'a>>,
    #[serde(default)]
    version: Option<u64>,
}

/// What Baton itself writes at the start of an operation line.
const OPERATION_PREFIX: &[u8] = br#"{"type":"operation","#;

/// Imports Baton NDJSON, line by line.
pub fn import_ndjson(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    // Most lines of a big file are operations: room for one per line.
    reserve(ctx, memchr::memchr_iter(b'\n', body).count());
    let mut rec: u64 = 0;
    // Line ends found with SIMD search; the last line needs no newline.
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    let mut start = 0;
    for (i, end) in ends.enumerate() {
        let line = body.get(start..end).unwrap_or_default();
        start = end + 1;
        let line_no = i as u64 + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // Fast path: the layout Baton writes needs no tag look-up.
        let kind = if line.starts_with(OPERATION_PREFIX) {
            1
        } else {
            let tag: Tag = match serde_json::from_slice(line) {
                Ok(t) => t,
                Err(e) => {
                    ctx.skip_line(rec, line_no, None, e.to_string());
                    rec += 1;
                    continue;
                }
            };
            match tag.kind.as_ref().map(Text::as_str) {
                Some(t) => match TYPES.iter().position(|x| *x == t) {
                    Some(k) => k,
                    None => {
                        ctx.skip_line(
                            rec,
                            line_no,
                            Some("type"),
                            format!("unknown record type {t:?}"),
                        );
                        rec += 1;
                        continue;
                    }
                },
                None if tag.format.is_some() || tag.version.is_some() => {
                    check_header(ctx, tag.format.as_ref(), tag.version)?;
                    continue;
                }
                None => {
                    ctx.skip_line(rec, line_no, Some("type"), "record without \"type\"");
                    rec += 1;
                    continue;
                }
            }
        };
        record(ctx, rec, Some(line_no), kind, line);
        rec += 1;
    }
    Ok(())
}

/// Makes room for about `operations` more operations (and their ids) at
/// once, rather than growing the lists step by step.
fn reserve(ctx: &mut Ctx<'_>, operations: usize) {
    ctx.ds.operations.reserve(operations);
    ctx.ds.operation_index.reserve(operations);
    ctx.ds.names.reserve(operations);
}

/// Skips a record, with its line for NDJSON.
fn skip(ctx: &mut Ctx<'_>, rec: u64, line: Option<u64>, field: Option<&str>, reason: String) {
    match line {
        Some(l) => ctx.skip_line(rec, l, field, reason),
        None => ctx.skip(rec, field, reason),
    }
}

/// Parses and loads one record of the given kind (index into [`TYPES`]).
fn record(ctx: &mut Ctx<'_>, rec: u64, line: Option<u64>, kind: usize, text: &[u8]) {
    let result = match kind {
        0 => serde_json::from_slice(text).map(|r| session(ctx, rec, r)),
        1 => serde_json::from_slice(text).map(|r| operation(ctx, rec, r)),
        2 => serde_json::from_slice(text).map(|r| work_item(ctx, rec, r)),
        3 => serde_json::from_slice(text).map(|r| pipeline(ctx, rec, r)),
        4 => serde_json::from_slice(text).map(|r| debugging(ctx, rec, r)),
        5 => serde_json::from_slice(text).map(|r| communication(ctx, rec, r)),
        6 => serde_json::from_slice(text).map(|r| agent_profile(ctx, rec, r)),
        7 => serde_json::from_slice(text).map(|r| pattern(ctx, rec, r)),
        _ => serde_json::from_slice(text).map(|r| aggregate(ctx, rec, r)),
    };
    let type_name = TYPES.get(kind).copied().unwrap_or("record");
    match result {
        Ok(Ok(added)) => ctx.inserted(added),
        Ok(Err((field, reason))) => skip(ctx, rec, line, Some(field), reason),
        Err(e) => skip(ctx, rec, line, None, format!("{type_name}: {e}")),
    }
}

/// Ok(true) added, Ok(false) merged into a record with the same id,
/// Err((field, reason)) unusable.
type Loaded = Result<bool, (&'static str, String)>;

fn outcome(o: WireOutcome) -> Outcome {
    match o {
        WireOutcome::Success => Outcome::Success,
        WireOutcome::Failure => Outcome::Failure,
        WireOutcome::Running => Outcome::Running,
    }
}

fn wire_outcome(o: Outcome) -> WireOutcome {
    match o {
        Outcome::Success => WireOutcome::Success,
        Outcome::Failure => WireOutcome::Failure,
        Outcome::Running => WireOutcome::Running,
    }
}

fn id_of(
    ctx: &mut Ctx<'_>,
    field: &'static str,
    t: &Text<'_>,
) -> Result<Sym, (&'static str, String)> {
    let s = t.as_str();
    if s.trim().is_empty() {
        Err((field, format!("empty {field}")))
    } else {
        Ok(ctx.intern(s))
    }
}

fn sym(ctx: &mut Ctx<'_>, t: Option<Text<'_>>) -> Option<Sym> {
    t.map(|t| ctx.intern(t.as_str()))
}

fn owned(t: Option<Text<'_>>) -> Option<String> {
    t.map(|t| t.0.into_owned())
}

fn time(ctx: &mut Ctx<'_>, rec: u64, field: &str, t: Option<&Time<'_>>) -> Option<Timestamp> {
    ctx.time(rec, field, t.map(|t| &t.0))
}

fn seconds(d: Option<f64>) -> Result<Option<f64>, (&'static str, String)> {
    d.map(Ctx::duration_seconds)
        .transpose()
        .map_err(|r| ("duration", r))
}

fn ordered(start: Option<Timestamp>, end: Option<Timestamp>) -> Result<(), (&'static str, String)> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err((
            "end",
            format!(
                "ends ({}) before it starts ({})",
                e.to_rfc3339(),
                s.to_rfc3339()
            ),
        )),
        _ => Ok(()),
    }
}

fn tokens(t: Option<WireTokens>) -> Option<Tokens> {
    t.map(|t| Tokens {
        input: t.input,
        output: t.output,
        cache_read: t.cache_read,
        cache_write: t.cache_write,
    })
}

fn wire_tokens(t: Option<Tokens>) -> Option<WireTokens> {
    t.map(|t| WireTokens {
        input: t.input,
        output: t.output,
        cache_read: t.cache_read,
        cache_write: t.cache_write,
    })
}

fn session(ctx: &mut Ctx<'_>, rec: u64, w: WireSession<'_>) -> Loaded {
    let id = id_of(ctx, "id", &w.id)?;
    let duration = seconds(w.duration)?;
    let start = time(ctx, rec, "start", w.start.as_ref());
    let end = time(ctx, rec, "end", w.end.as_ref());
    ordered(start, end)?;
    let s = Session {
        id,
        source: ctx.source,
        start,
        end,
        duration,
        outcome: w.outcome.map(outcome),
        status: owned(w.status),
        mode: owned(w.mode),
        llm: w.llm.map(|l| LlmConfig {
            provider: owned(l.provider),
            model: owned(l.model),
            temperature: l.temperature,
        }),
        description: owned(w.description),
        project: owned(w.project),
        tasks_total: w.tasks_total,
        tasks_completed: w.tasks_completed,
        tasks_failed: w.tasks_failed,
        commit: owned(w.commit),
        current_phase: owned(w.current_phase),
        progress: w.progress,
    };
    Ok(ctx.ds.insert_session(s))
}

fn operation(ctx: &mut Ctx<'_>, rec: u64, w: WireOperation<'_>) -> Loaded {
    let id = id_of(ctx, "id", &w.id)?;
    let duration = seconds(w.duration)?;
    let start = time(ctx, rec, "start", w.start.as_ref());
    let end = time(ctx, rec, "end", w.end.as_ref());
    ordered(start, end)?;
    let cost = match w.cost.map(Ctx::cost_usd) {
        Some(Err(reason)) => {
            ctx.warn(Some(rec), Some("cost"), format!("{reason}; dropped"));
            None
        }
        c => c.and_then(Result::ok),
    };
    let quality_score = bounded(ctx, rec, "quality_score", w.quality_score, SCORE);
    let op = Operation {
        session: sym(ctx, w.session),
        parent: sym(ctx, w.parent),
        model: sym(ctx, w.model),
        work_item: sym(ctx, w.work_item),
        start,
        end,
        duration,
        retries: w.retries,
        error_type: sym(ctx, w.error_type),
        error_message: owned(w.error_message),
        tokens: tokens(w.tokens),
        tokens_uncategorized: w.tokens_uncategorized,
        cost,
        cache_hit: w.cache_hit,
        files_created: w.files_created,
        files_modified: w.files_modified,
        quality_score,
        conflicts: w.conflicts,
        self_healed: w.self_healed,
        ..Operation::new(
            id,
            ctx.source,
            ctx.intern(w.kind.as_str()),
            ctx.intern(w.agent.as_str()),
            outcome(w.outcome),
        )
    };
    Ok(ctx.ds.insert_operation(op))
}

fn work_item(ctx: &mut Ctx<'_>, rec: u64, w: WireWorkItem<'_>) -> Loaded {
    let id = id_of(ctx, "id", &w.id)?;
    let duration = seconds(w.duration)?;
    let item = WorkItem {
        id,
        source: ctx.source,
        session: sym(ctx, w.session),
        outcome: w.outcome.map(outcome),
        status: owned(w.status),
        start: time(ctx, rec, "start", w.start.as_ref()),
        duration,
        prs_merged: w.prs_merged,
        errors: w.errors,
    };
    Ok(ctx.ds.insert_work_item(item))
}

fn pipeline(ctx: &mut Ctx<'_>, rec: u64, w: WirePipeline<'_>) -> Loaded {
    let id = id_of(ctx, "id", &w.id)?;
    let p = PipelineAttempt {
        id,
        source: ctx.source,
        work_item: sym(ctx, w.work_item),
        sequence: w.sequence,
        outcome: outcome(w.outcome),
        commit: owned(w.commit),
        time: time(ctx, rec, "time", w.time.as_ref()),
    };
    ctx.ds.pipelines.push(p);
    Ok(true)
}

fn debugging(ctx: &mut Ctx<'_>, rec: u64, w: WireDebugging<'_>) -> Loaded {
    let duration = seconds(w.duration)?;
    let d = DebuggingCycle {
        work_item: sym(ctx, w.work_item),
        source: ctx.source,
        agent: ctx.intern(w.agent.as_str()),
        error_type: sym(ctx, w.error_type),
        error_message: owned(w.error_message),
        attempts: w.attempts,
        resolved: w.resolved,
        duration,
        time: time(ctx, rec, "time", w.time.as_ref()),
    };
    ctx.ds.debugging.push(d);
    Ok(true)
}

fn communication(ctx: &mut Ctx<'_>, rec: u64, w: WireCommunication<'_>) -> Loaded {
    let response =
        seconds(w.average_response_time).map_err(|(_, r)| ("average_response_time", r))?;
    let by_agent = w
        .messages_by_agent
        .0
        .into_iter()
        .map(|(a, n)| (ctx.intern(a.as_str()), n))
        .collect();
    let edges = w
        .edges
        .into_iter()
        .map(|e| {
            (
                ctx.intern(e.from.as_str()),
                ctx.intern(e.to.as_str()),
                e.count,
            )
        })
        .collect();
    let c = Communication {
        source: ctx.source,
        session: sym(ctx, w.session),
        total_messages: w.total_messages,
        messages_by_type: w
            .messages_by_type
            .0
            .into_iter()
            .map(|(k, n)| (k.0.into_owned(), n))
            .collect(),
        messages_by_agent: by_agent,
        edges,
        average_response_time: response,
        efficiency: w.efficiency,
        time: time(ctx, rec, "time", w.time.as_ref()),
    };
    ctx.ds.communication.push(c);
    Ok(true)
}

/// Upper bound of a score field (0..100).
const SCORE: f64 = 100.0;
/// Upper bound of a rate field (a fraction 0..1).
const RATE: f64 = 1.0;

/// A score or rate kept when inside `0..=max`; otherwise the field is dropped
/// with a warning naming it and the record is kept (the format says which
/// range each field has, so nothing is rescaled).
fn bounded(
    ctx: &mut Ctx<'_>,
    rec: u64,
    field: &'static str,
    v: Option<f64>,
    max: f64,
) -> Option<f64> {
    match v {
        Some(x) if !(0.0..=max).contains(&x) => {
            let name = field.replace('_', " ");
            ctx.warn(
                Some(rec),
                Some(field),
                format!(
                    "{name} {} is outside 0..{max}; dropped",
                    super::common::short_num(x)
                ),
            );
            None
        }
        x => x,
    }
}

fn agent_profile(ctx: &mut Ctx<'_>, rec: u64, w: WireAgentProfile<'_>) -> Loaded {
    let p = AgentProfile {
        source: Some(ctx.source),
        agent: sym(ctx, w.agent),
        task_type: owned(w.task_type),
        completion_rate: bounded(ctx, rec, "completion_rate", w.completion_rate, RATE),
        average_task_duration: w.average_task_duration,
        quality_score: bounded(ctx, rec, "quality_score", w.quality_score, SCORE),
        error_rate: bounded(ctx, rec, "error_rate", w.error_rate, RATE),
        retry_rate: bounded(ctx, rec, "retry_rate", w.retry_rate, RATE),
        messages_sent: w.messages_sent,
        messages_received: w.messages_received,
        response_time: w.response_time,
        collaboration_score: bounded(ctx, rec, "collaboration_score", w.collaboration_score, RATE),
        files_created: w.files_created,
        code_quality_score: bounded(ctx, rec, "code_quality_score", w.code_quality_score, SCORE),
        test_coverage: bounded(ctx, rec, "test_coverage", w.test_coverage, RATE),
        security_score: bounded(ctx, rec, "security_score", w.security_score, SCORE),
        security_issues: w.security_issues,
        time: time(ctx, rec, "time", w.time.as_ref()),
    };
    ctx.ds.agent_profiles.push(p);
    Ok(true)
}

fn texts(v: Vec<Text<'_>>) -> Vec<String> {
    v.into_iter().map(|t| t.0.into_owned()).collect()
}

fn pattern(ctx: &mut Ctx<'_>, rec: u64, w: WirePattern<'_>) -> Loaded {
    let agents = w
        .agents
        .into_iter()
        .map(|a| PatternAgent {
            agent: sym(ctx, a.agent),
            success_rate: bounded(ctx, rec, "agents.success_rate", a.success_rate, RATE),
            average_duration: a.average_duration,
            quality_consistency: a.quality_consistency,
        })
        .collect();
    let p = PatternProfile {
        source: Some(ctx.source),
        id: w.id.0.into_owned(),
        name: w.name.0.into_owned(),
        total_executions: w.total_executions,
        success_rate: bounded(ctx, rec, "success_rate", w.success_rate, RATE),
        average_duration: w.average_duration,
        common_failure_points: texts(w.common_failure_points),
        bottlenecks: texts(w.bottlenecks),
        optimization_opportunities: texts(w.optimization_opportunities),
        efficiency_improvements: texts(w.efficiency_improvements),
        agents,
    };
    ctx.ds.patterns.push(p);
    Ok(true)
}

fn aggregate(ctx: &mut Ctx<'_>, rec: u64, w: WireAggregate<'_>) -> Loaded {
    let name = w.name.map(|n| n.0.into_owned());
    let scope = match (w.scope, name) {
        (WireScope::Overall, _) => AggregateScope::Overall,
        (_, None) => {
            return Err((
                "name",
                "a kind, agent, session, model or error_type scope needs a name".into(),
            ))
        }
        (WireScope::Kind, Some(n)) => AggregateScope::Kind(n),
        (WireScope::Agent, Some(n)) => AggregateScope::Agent(n),
        (WireScope::Session, Some(n)) => AggregateScope::Session(n),
        (WireScope::Model, Some(n)) => AggregateScope::Model(n),
        (WireScope::ErrorType, Some(n)) => AggregateScope::ErrorType(n),
    };
    let period_start = time(ctx, rec, "period_start", w.period_start.as_ref());
    let period_end = time(ctx, rec, "period_end", w.period_end.as_ref());
    ordered(period_start, period_end).map_err(|(_, r)| ("period_end", r))?;
    let a = Aggregate {
        source: ctx.source,
        scope,
        origin: w.origin.0.into_owned(),
        period_start,
        period_end,
        period_days: w.period_days,
        count: w.count,
        success_count: w.success_count,
        success_rate: w.success_rate,
        error_rate: w.error_rate,
        avg_duration: seconds(w.avg_duration).map_err(|(_, r)| ("avg_duration", r))?,
        cache_hit_rate: w.cache_hit_rate,
        total_cost: w.total_cost,
        avg_cost_per_operation: w.avg_cost_per_operation,
        total_tokens: w.total_tokens,
        tokens: tokens(w.tokens),
        sessions: w.sessions,
        extra: w
            .extra
            .0
            .into_iter()
            .map(|(k, v)| (k.0.into_owned(), v.0.into_owned()))
            .collect(),
    };
    ctx.ds.aggregates.push(a);
    Ok(true)
}

// ---------------------------------------------------------------- export

fn name<'d>(ds: &'d Dataset, s: Sym) -> Text<'d> {
    Text(Cow::Borrowed(ds.name(s)))
}

fn opt_name<'d>(ds: &'d Dataset, s: Option<Sym>) -> Option<Text<'d>> {
    s.map(|s| name(ds, s))
}

fn text(s: &Option<String>) -> Option<Text<'_>> {
    s.as_deref().map(Text::from)
}

fn wire_time(t: Option<Timestamp>) -> Option<Time<'static>> {
    t.map(|t| Time(RawTime::Text(Cow::Owned(t.to_rfc3339()))))
}

fn wire_session<'d>(ds: &'d Dataset, s: &'d Session) -> WireSession<'d> {
    WireSession {
        id: name(ds, s.id),
        start: wire_time(s.start),
        end: wire_time(s.end),
        duration: s.duration,
        outcome: s.outcome.map(wire_outcome),
        status: text(&s.status),
        mode: text(&s.mode),
        llm: s.llm.as_ref().map(|l| WireLlm {
            provider: text(&l.provider),
            model: text(&l.model),
            temperature: l.temperature,
        }),
        description: text(&s.description),
        project: text(&s.project),
        tasks_total: s.tasks_total,
        tasks_completed: s.tasks_completed,
        tasks_failed: s.tasks_failed,
        commit: text(&s.commit),
        current_phase: text(&s.current_phase),
        progress: s.progress,
    }
}

fn wire_operation<'d>(ds: &'d Dataset, o: &'d Operation) -> WireOperation<'d> {
    WireOperation {
        id: name(ds, o.id),
        session: opt_name(ds, o.session),
        parent: opt_name(ds, o.parent),
        kind: name(ds, o.kind),
        agent: name(ds, o.agent),
        model: opt_name(ds, o.model),
        work_item: opt_name(ds, o.work_item),
        start: wire_time(o.start),
        end: wire_time(o.end),
        duration: o.duration,
        outcome: wire_outcome(o.outcome),
        retries: o.retries,
        error_type: opt_name(ds, o.error_type),
        error_message: text(&o.error_message),
        tokens: wire_tokens(o.tokens),
        tokens_uncategorized: o.tokens_uncategorized,
        cost: o.cost,
        cache_hit: o.cache_hit,
        files_created: o.files_created,
        files_modified: o.files_modified,
        quality_score: o.quality_score,
        conflicts: o.conflicts,
        self_healed: o.self_healed,
    }
}

fn wire_work_item<'d>(ds: &'d Dataset, w: &'d WorkItem) -> WireWorkItem<'d> {
    WireWorkItem {
        id: name(ds, w.id),
        session: opt_name(ds, w.session),
        outcome: w.outcome.map(wire_outcome),
        status: text(&w.status),
        start: wire_time(w.start),
        duration: w.duration,
        prs_merged: w.prs_merged,
        errors: w.errors,
    }
}

fn wire_pipeline<'d>(ds: &'d Dataset, p: &'d PipelineAttempt) -> WirePipeline<'d> {
    WirePipeline {
        id: name(ds, p.id),
        work_item: opt_name(ds, p.work_item),
        sequence: p.sequence,
        outcome: wire_outcome(p.outcome),
        commit: text(&p.commit),
        time: wire_time(p.time),
    }
}

fn wire_debugging<'d>(ds: &'d Dataset, d: &'d DebuggingCycle) -> WireDebugging<'d> {
    WireDebugging {
        work_item: opt_name(ds, d.work_item),
        agent: name(ds, d.agent),
        error_type: opt_name(ds, d.error_type),
        error_message: text(&d.error_message),
        attempts: d.attempts,
        resolved: d.resolved,
        duration: d.duration,
        time: wire_time(d.time),
    }
}

fn wire_communication<'d>(ds: &'d Dataset, c: &'d Communication) -> WireCommunication<'d> {
    WireCommunication {
        session: opt_name(ds, c.session),
        total_messages: c.total_messages,
        messages_by_type: Pairs(
            c.messages_by_type
                .iter()
                .map(|(k, n)| (Text::from(k.as_str()), *n))
                .collect(),
        ),
        messages_by_agent: Pairs(
            c.messages_by_agent
                .iter()
                .map(|(a, n)| (name(ds, *a), *n))
                .collect(),
        ),
        edges: c
            .edges
            .iter()
            .map(|(f, t, n)| WireEdge {
                from: name(ds, *f),
                to: name(ds, *t),
                count: *n,
            })
            .collect(),
        average_response_time: c.average_response_time,
        efficiency: c.efficiency,
        time: wire_time(c.time),
    }
}

fn wire_agent_profile<'d>(ds: &'d Dataset, p: &'d AgentProfile) -> WireAgentProfile<'d> {
    WireAgentProfile {
        agent: opt_name(ds, p.agent),
        task_type: text(&p.task_type),
        completion_rate: p.completion_rate,
        average_task_duration: p.average_task_duration,
        quality_score: p.quality_score,
        error_rate: p.error_rate,
        retry_rate: p.retry_rate,
        messages_sent: p.messages_sent,
        messages_received: p.messages_received,
        response_time: p.response_time,
        collaboration_score: p.collaboration_score,
        files_created: p.files_created,
        code_quality_score: p.code_quality_score,
        test_coverage: p.test_coverage,
        security_score: p.security_score,
        security_issues: p.security_issues,
        time: wire_time(p.time),
    }
}

fn wire_pattern<'d>(ds: &'d Dataset, p: &'d PatternProfile) -> WirePattern<'d> {
    let texts = |v: &'d [String]| v.iter().map(|s| Text::from(s.as_str())).collect();
    WirePattern {
        id: Text::from(p.id.as_str()),
        name: Text::from(p.name.as_str()),
        total_executions: p.total_executions,
        success_rate: p.success_rate,
        average_duration: p.average_duration,
        common_failure_points: texts(&p.common_failure_points),
        bottlenecks: texts(&p.bottlenecks),
        optimization_opportunities: texts(&p.optimization_opportunities),
        efficiency_improvements: texts(&p.efficiency_improvements),
        agents: p
            .agents
            .iter()
            .map(|a| WirePatternAgent {
                agent: opt_name(ds, a.agent),
                success_rate: a.success_rate,
                average_duration: a.average_duration,
                quality_consistency: a.quality_consistency,
            })
            .collect(),
    }
}

fn wire_aggregate(a: &Aggregate) -> WireAggregate<'_> {
    let (scope, name) = match &a.scope {
        AggregateScope::Overall => (WireScope::Overall, None),
        AggregateScope::Kind(n) => (WireScope::Kind, Some(n)),
        AggregateScope::Agent(n) => (WireScope::Agent, Some(n)),
        AggregateScope::Session(n) => (WireScope::Session, Some(n)),
        AggregateScope::Model(n) => (WireScope::Model, Some(n)),
        AggregateScope::ErrorType(n) => (WireScope::ErrorType, Some(n)),
    };
    WireAggregate {
        scope,
        name: name.map(|n| Text::from(n.as_str())),
        origin: Text::from(a.origin.as_str()),
        period_start: wire_time(a.period_start),
        period_end: wire_time(a.period_end),
        period_days: a.period_days,
        count: a.count,
        success_count: a.success_count,
        success_rate: a.success_rate,
        error_rate: a.error_rate,
        avg_duration: a.avg_duration,
        cache_hit_rate: a.cache_hit_rate,
        total_cost: a.total_cost,
        avg_cost_per_operation: a.avg_cost_per_operation,
        total_tokens: a.total_tokens,
        tokens: wire_tokens(a.tokens),
        sessions: a.sessions,
        extra: Pairs(
            a.extra
                .iter()
                .map(|(k, v)| (Text::from(k.as_str()), Text::from(v.as_str())))
                .collect(),
        ),
    }
}

/// Calls `f` with each record of the dataset, as its `type` tag and wire
/// form, in the order the format writes them.
fn each_record<F>(ds: &Dataset, mut f: F) -> io::Result<()>
where
    F: FnMut(&'static str, &dyn erased::Record) -> io::Result<()>,
{
    for s in &ds.sessions {
        f("session", &wire_session(ds, s))?;
    }
    for o in &ds.operations {
        f("operation", &wire_operation(ds, o))?;
    }
    for w in &ds.work_items {
        f("work_item", &wire_work_item(ds, w))?;
    }
    for p in &ds.pipelines {
        f("pipeline", &wire_pipeline(ds, p))?;
    }
    for d in &ds.debugging {
        f("debugging", &wire_debugging(ds, d))?;
    }
    for c in &ds.communication {
        f("communication", &wire_communication(ds, c))?;
    }
    for p in &ds.agent_profiles {
        f("agent_profile", &wire_agent_profile(ds, p))?;
    }
    for p in &ds.patterns {
        f("pattern", &wire_pattern(ds, p))?;
    }
    for a in &ds.aggregates {
        f("aggregate", &wire_aggregate(a))?;
    }
    Ok(())
}

/// Serializing any wire record to a writer without naming its type.
mod erased {
    use std::io::{self, Write};

    /// A wire record that can write itself as compact JSON.
    pub trait Record {
        /// Writes the record as one JSON object.
        fn write_json(&self, w: &mut dyn Write) -> io::Result<()>;
    }

    impl<T: serde::Serialize> Record for T {
        fn write_json(&self, w: &mut dyn Write) -> io::Result<()> {
            serde_json::to_writer(w, self).map_err(io::Error::from)
        }
    }
}

/// The list key of a record type in a document.
fn list_of(type_tag: &str) -> &'static str {
    TYPES
        .iter()
        .position(|t| *t == type_tag)
        .and_then(|i| LISTS.get(i))
        .copied()
        .unwrap_or("records")
}

/// Writes the dataset as a Baton document: one record per line inside each
/// list, lists without records left out.
pub fn write_json<W: Write>(ds: &Dataset, w: &mut W) -> io::Result<()> {
    write!(w, "{{\"format\":\"baton\",\"version\":{FORMAT_VERSION}")?;
    let mut current: Option<&'static str> = None;
    each_record(ds, |tag, rec| {
        if current == Some(tag) {
            w.write_all(b",\n")?;
        } else {
            if current.is_some() {
                w.write_all(b"\n]")?;
            }
            write!(w, ",\n\"{}\":[\n", list_of(tag))?;
            current = Some(tag);
        }
        rec.write_json(w)
    })?;
    if current.is_some() {
        w.write_all(b"\n]")?;
    }
    w.write_all(b"}\n")
}

/// Writes the dataset as Baton NDJSON: a header line, then one record per
/// line with its `type` first.
pub fn write_ndjson<W: Write>(ds: &Dataset, w: &mut W) -> io::Result<()> {
    writeln!(w, "{{\"format\":\"baton\",\"version\":{FORMAT_VERSION}}}")?;
    let mut buf = Vec::with_capacity(512);
    each_record(ds, |tag, rec| {
        buf.clear();
        rec.write_json(&mut buf)?;
        write!(w, "{{\"type\":\"{tag}\"")?;
        // buf is `{...}`: append its fields after the tag.
        match buf.get(1..) {
            Some(b"}") | None => w.write_all(b"}")?,
            Some(rest) => {
                w.write_all(b",")?;
                w.write_all(rest)?;
            }
        }
        w.write_all(b"\n")
    })
}

/// The written bytes as text, without a copy (serde_json writes UTF-8).
fn utf8(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The dataset as a Baton document (see [`write_json`]).
pub fn export_json(ds: &Dataset) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(ds, &mut out);
    utf8(out)
}

/// The dataset as Baton NDJSON (see [`write_ndjson`]).
pub fn export_ndjson(ds: &Dataset) -> String {
    let mut out = Vec::new();
    let _ = write_ndjson(ds, &mut out);
    utf8(out)
}

/// The JSON Schema of a Baton document (draft 7), generated from the wire
/// types; its definitions also describe each NDJSON record.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(WireDocument<'static>);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
