//! Seed 003: MoAI metrics JSON.
//!
//! One file may hold any of these top-level keys, alone or together:
//! - `tasks`: the daily hook file `YYYY-MM-DD.json`, a list of
//!   `{task_id, agent, result, duration_ms, tokens, timestamp}`. The hook runs
//!   after the task, so `timestamp` is the task's end and its start is the end
//!   minus the duration. `tokens` is a total with no split by category: it is
//!   kept as [`Operation::tokens_uncategorized`].
//! - `task_metrics`: one object or a list of `{task_id, agent, started_at,
//!   ended_at, duration_ms, result, tokens_used, files_created,
//!   files_modified}`; also an operation per task (same id as the hook file's
//!   task: the two are merged, not counted twice).
//! - `token_usage`: `{session_id, total_tokens, by_category {prompt,
//!   completion}, by_task {task: tokens}}`: a pre-aggregated [`Aggregate`]
//!   (scope session, origin `token_usage`) with the categories as input and
//!   output tokens and each `by_task` entry kept as the extra figure
//!   `by_task.<task>`. Task operations are not changed, so no token is
//!   counted twice.
//! - `agent_metrics`: `{agent: {tasks_completed, success_rate,
//!   avg_duration_ms, total_tokens, period "2025-11-01 to 2025-11-30"}}`: one
//!   aggregate per agent (origin `agent_metrics`), period end exclusive
//!   (midnight after the last day); an entry with none of these figures is
//!   skipped.
//! - `daily_report`: `{date, summary {...}, by_agent {...}, trends {...}}`:
//!   an overall aggregate for the day (origin `daily_report`) whose extras
//!   keep `total_duration_hours` and every trend (`success_rate_change`
//!   `+5%`), and one agent aggregate per `by_agent` entry.
//!
//! A task without `task_id` gets the id `<file>#<index>` (info diagnostic).
//! Rates above 1 (up to 100) are read as percentages.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{syntax_error, Ctx, RawNum, RawText, RawTime};
use super::peek::{Peek, Shape};
use crate::model::{Aggregate, AggregateScope, Operation, Outcome, Timestamp, Tokens};
use crate::Error;

const SECTIONS: &[&str] = &[
    "tasks",
    "task_metrics",
    "token_usage",
    "agent_metrics",
    "daily_report",
];
/// Top-level keys besides the sections that files of this format may carry.
const META: &[&str] = &["date", "version", "generated_at", "exported_at", "metadata"];

/// Detects MoAI metrics JSON: an object whose top-level keys are all among the
/// seed's sections (and a little metadata), each section with its own keys.
/// Seed 002's issue files also have `agent_metrics`, but beside `issue_id`
/// and `status`, which are not keys of this format.
pub fn detect(p: &Peek) -> Result<(), String> {
    if p.shape != Shape::Object {
        return Err("not a JSON object".to_string());
    }
    if !SECTIONS.iter().any(|k| p.has(k)) {
        return Err("none of tasks, task_metrics, token_usage, agent_metrics, daily_report".into());
    }
    if let Some(other) = p
        .keys
        .iter()
        .find(|k| !SECTIONS.contains(&k.as_str()) && !META.contains(&k.as_str()))
    {
        return Err(format!("unexpected top-level key {other:?}"));
    }
    let any_of = |section: &str, keys: &[&str]| match p.child(section) {
        None => true,
        Some([]) => true,
        Some(children) => children.iter().any(|c| keys.contains(&c.as_str())),
    };
    let checks: [(&str, &[&str]); 4] = [
        (
            "tasks",
            &[
                "task_id",
                "agent",
                "result",
                "duration_ms",
                "tokens",
                "timestamp",
            ],
        ),
        (
            "task_metrics",
            &[
                "task_id",
                "tokens_used",
                "started_at",
                "ended_at",
                "result",
                "files_created",
            ],
        ),
        (
            "token_usage",
            &["total_tokens", "by_category", "by_task", "session_id"],
        ),
        ("daily_report", &["summary", "by_agent", "trends", "date"]),
    ];
    for (section, keys) in checks {
        if p.has(section) && !any_of(section, keys) {
            return Err(format!("{section} without its fields"));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow, default)]
    tasks: Option<&'a RawValue>,
    #[serde(borrow, default)]
    task_metrics: Option<&'a RawValue>,
    #[serde(borrow, default)]
    token_usage: Option<&'a RawValue>,
    #[serde(borrow, default)]
    agent_metrics: Option<&'a RawValue>,
    #[serde(borrow, default)]
    daily_report: Option<&'a RawValue>,
}

/// A task from a hook file or `task_metrics`.
#[derive(Deserialize)]
struct TaskRecord<'a> {
    #[serde(borrow, default, alias = "id")]
    task_id: Option<RawText<'a>>,
    #[serde(borrow, default)]
    agent: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    session_id: Option<RawText<'a>>,
    #[serde(borrow, default, alias = "status")]
    result: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    started_at: Option<RawTime<'a>>,
    #[serde(borrow, default, alias = "completed_at")]
    ended_at: Option<RawTime<'a>>,
    #[serde(borrow, default)]
    timestamp: Option<RawTime<'a>>,
    #[serde(default)]
    duration_ms: Option<RawNum>,
    #[serde(default, alias = "tokens_used")]
    tokens: Option<RawNum>,
    #[serde(default)]
    files_created: Option<RawNum>,
    #[serde(default)]
    files_modified: Option<RawNum>,
    #[serde(borrow, default)]
    error_message: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct TokenUsage<'a> {
    #[serde(borrow, default)]
    session_id: Option<RawText<'a>>,
    #[serde(default)]
    total_tokens: Option<RawNum>,
    #[serde(default)]
    by_category: Option<ByCategory>,
    #[serde(borrow, default)]
    by_task: Option<Entries<'a, RawNum>>,
}

#[derive(Deserialize)]
struct ByCategory {
    #[serde(
        default,
        alias = "input",
        alias = "prompt_tokens",
        alias = "input_tokens"
    )]
    prompt: Option<RawNum>,
    #[serde(
        default,
        alias = "output",
        alias = "completion_tokens",
        alias = "output_tokens"
    )]
    completion: Option<RawNum>,
    #[serde(default)]
    cache_read: Option<RawNum>,
    #[serde(default)]
    cache_write: Option<RawNum>,
}

#[derive(Deserialize)]
struct AgentFigures<'a> {
    #[serde(default, alias = "tasks", alias = "total_tasks")]
    tasks_completed: Option<RawNum>,
    #[serde(default)]
    success_rate: Option<RawNum>,
    #[serde(default)]
    avg_duration_ms: Option<RawNum>,
    #[serde(default, alias = "avg_duration_seconds")]
    avg_duration_s: Option<RawNum>,
    #[serde(default, alias = "tokens_used")]
    total_tokens: Option<RawNum>,
    #[serde(borrow, default)]
    period: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct DailyReport<'a> {
    #[serde(borrow, default)]
    date: Option<RawTime<'a>>,
    #[serde(default)]
    summary: Option<Summary>,
    #[serde(borrow, default)]
    by_agent: Option<Entries<'a, &'a RawValue>>,
    #[serde(borrow, default)]
    trends: Option<Entries<'a, RawText<'a>>>,
}

#[derive(Deserialize)]
struct Summary {
    #[serde(default)]
    sessions: Option<RawNum>,
    #[serde(default)]
    total_duration_hours: Option<RawNum>,
    #[serde(default, alias = "tasks")]
    tasks_completed: Option<RawNum>,
    #[serde(default)]
    success_rate: Option<RawNum>,
    #[serde(default, alias = "total_tokens")]
    tokens_used: Option<RawNum>,
}

/// A JSON object read as its entries in file order, keys borrowed.
pub(crate) struct Entries<'a, V>(pub Vec<(RawText<'a>, V)>);

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Entries<'a, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Vis<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for Vis<'a, V> {
            type Value = Entries<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<RawText<'a>, V>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        deserializer.deserialize_map(Vis(PhantomData))
    }
}

/// Imports a MoAI metrics JSON file.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let doc: Doc = serde_json::from_slice(body).map_err(|e| syntax_error(&ctx.file, &e))?;
    let mut rec: u64 = 0;
    for (section, raw) in [("tasks", doc.tasks), ("task_metrics", doc.task_metrics)] {
        let Some(raw) = raw else { continue };
        let items = elements(raw).map_err(|e| syntax_error(&ctx.file, &e))?;
        for (index, item) in items.into_iter().enumerate() {
            let r = rec;
            rec += 1;
            match serde_json::from_slice::<TaskRecord>(item.get().as_bytes()) {
                Ok(t) => task_record(ctx, r, section, index, t),
                Err(e) => ctx.skip(r, None, format!("{section}: {e}")),
            }
        }
    }
    if let Some(raw) = doc.token_usage {
        let items = elements(raw).map_err(|e| syntax_error(&ctx.file, &e))?;
        for item in items {
            let r = rec;
            rec += 1;
            match serde_json::from_slice::<TokenUsage>(item.get().as_bytes()) {
                Ok(t) => token_usage(ctx, r, t),
                Err(e) => ctx.skip(r, None, format!("token_usage: {e}")),
            }
        }
    }
    if let Some(raw) = doc.agent_metrics {
        let entries: Entries<&RawValue> = serde_json::from_slice(raw.get().as_bytes())
            .map_err(|e| syntax_error(&ctx.file, &e))?;
        for (agent, value) in entries.0 {
            let r = rec;
            rec += 1;
            agent_figures(ctx, r, "agent_metrics", agent.as_str(), value, None);
        }
    }
    if let Some(raw) = doc.daily_report {
        let items = elements(raw).map_err(|e| syntax_error(&ctx.file, &e))?;
        for item in items {
            let r = rec;
            rec += 1;
            match serde_json::from_slice::<DailyReport>(item.get().as_bytes()) {
                Ok(d) => rec = daily_report(ctx, r, d),
                Err(e) => ctx.skip(r, None, format!("daily_report: {e}")),
            }
        }
    }
    Ok(())
}

/// The elements of a list, or the value itself when it is a single object;
/// nothing for null.
pub(crate) fn elements(raw: &RawValue) -> Result<Vec<&RawValue>, serde_json::Error> {
    let text = raw.get().trim_start();
    if text.starts_with('[') {
        serde_json::from_slice(raw.get().as_bytes())
    } else if text == "null" {
        Ok(Vec::new())
    } else {
        Ok(vec![raw])
    }
}

fn task_record(ctx: &mut Ctx<'_>, rec: u64, section: &str, index: usize, t: TaskRecord<'_>) {
    let derived;
    let id = match t.task_id.as_ref().map(|i| i.as_str().trim()) {
        Some(i) if !i.is_empty() => i,
        _ => {
            derived = format!("{}#{section}.{index}", ctx.file);
            ctx.info(
                Some(rec),
                Some("task_id"),
                format!("task without task_id; given the id {derived:?}"),
            );
            derived.as_str()
        }
    };
    let fields = TaskFields {
        id,
        agent: t.agent.as_deref(),
        session: t.session_id.as_ref().map(RawText::as_str),
        kind: None,
        result: t.result.as_deref(),
        start: t.started_at,
        end: t.ended_at.or(t.timestamp),
        duration_ms: t.duration_ms,
        tokens_total: t.tokens,
        prompt: None,
        completion: None,
        files_created: t.files_created,
        files_modified: t.files_modified,
        error_message: t.error_message.as_deref(),
    };
    insert_task(ctx, rec, None, fields);
}

/// A task's fields as read from JSON or CSV, before checks and mapping.
pub(crate) struct TaskFields<'x> {
    pub id: &'x str,
    pub agent: Option<&'x str>,
    pub session: Option<&'x str>,
    pub kind: Option<&'x str>,
    pub result: Option<&'x str>,
    pub start: Option<RawTime<'x>>,
    pub end: Option<RawTime<'x>>,
    pub duration_ms: Option<RawNum>,
    pub tokens_total: Option<RawNum>,
    pub prompt: Option<RawNum>,
    pub completion: Option<RawNum>,
    pub files_created: Option<RawNum>,
    pub files_modified: Option<RawNum>,
    pub error_message: Option<&'x str>,
}

fn skip_at(ctx: &mut Ctx<'_>, rec: u64, line: Option<u64>, field: &str, reason: String) {
    match line {
        Some(l) => ctx.skip_line(rec, l, Some(field), reason),
        None => ctx.skip(rec, Some(field), reason),
    }
}

/// Checks and maps one task to an operation (kind `task` unless given) and
/// inserts it. `line` is the file line for line-based formats.
pub(crate) fn insert_task(ctx: &mut Ctx<'_>, rec: u64, line: Option<u64>, t: TaskFields<'_>) {
    let Some(result) = t.result.map(str::trim).filter(|r| !r.is_empty()) else {
        skip_at(ctx, rec, line, "result", "task without result".to_string());
        return;
    };
    let Some(outcome) = Outcome::from_status(result) else {
        skip_at(
            ctx,
            rec,
            line,
            "result",
            format!("unknown result {result:?}"),
        );
        return;
    };
    let Span {
        mut start,
        mut end,
        duration,
    } = match span(
        ctx,
        rec,
        ("started_at", t.start.as_ref()),
        ("timestamp", t.end.as_ref()),
        ("duration_ms", t.duration_ms),
    ) {
        Ok(s) => s,
        Err((field, reason)) => {
            skip_at(ctx, rec, line, field, reason);
            return;
        }
    };
    let dur_ms = duration.map(|d| (d * 1000.0).round() as i64);
    match (start, end, dur_ms) {
        (None, Some(e), Some(d)) => start = Some(Timestamp(e.0.saturating_sub(d))),
        (Some(s), None, Some(d)) if outcome.is_finished() => {
            end = Some(Timestamp(s.0.saturating_add(d)))
        }
        _ => {}
    }
    let agent = match t.agent.map(str::trim) {
        Some(a) if !a.is_empty() => a,
        _ => {
            ctx.warn(
                Some(rec),
                Some("agent"),
                "no agent; recorded as \"unknown\"",
            );
            "unknown"
        }
    };
    let total = count_u64(ctx, rec, "tokens", t.tokens_total);
    let prompt = count_u64(ctx, rec, "prompt_tokens", t.prompt);
    let completion = count_u64(ctx, rec, "completion_tokens", t.completion);
    let tokens = match (prompt, completion) {
        (None, None) => None,
        (p, c) => Some(Tokens {
            input: p.unwrap_or(0),
            output: c.unwrap_or(0),
            cache_read: 0,
            cache_write: 0,
        }),
    };
    let tokens_uncategorized = match (total, tokens) {
        (Some(total), Some(cat)) => {
            if total < cat.total() {
                ctx.warn(
                    Some(rec),
                    Some("tokens"),
                    format!(
                        "total {total} is below the categories' sum {}; total ignored",
                        cat.total()
                    ),
                );
                None
            } else {
                Some(total - cat.total()).filter(|&rest| rest > 0)
            }
        }
        (total, _) => total,
    };
    let files_created = count_u32(ctx, rec, "files_created", t.files_created);
    let files_modified = count_u32(ctx, rec, "files_modified", t.files_modified);
    let error_message = t
        .error_message
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    let error_type = match (&error_message, outcome) {
        (Some(m), Outcome::Failure) => Some(ctx.intern(super::seed004::error_type_of(m))),
        _ => None,
    };
    let session = t
        .session
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| ctx.intern(s));
    let op = Operation {
        id: ctx.intern(t.id),
        source: ctx.source,
        session,
        parent: None,
        kind: ctx.intern(
            t.kind
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .unwrap_or("task"),
        ),
        agent: ctx.intern(agent),
        model: None,
        work_item: None,
        start,
        end,
        duration,
        outcome,
        retries: 0,
        error_type,
        error_message,
        tokens,
        tokens_uncategorized,
        cost: None,
        cache_hit: None,
        files_created,
        files_modified,
        quality_score: None,
        conflicts: None,
        self_healed: None,
    };
    let added = ctx.ds.insert_operation(op);
    ctx.inserted(added);
}

fn token_usage(ctx: &mut Ctx<'_>, rec: u64, t: TokenUsage<'_>) {
    let tokens = t.by_category.map(|c| Tokens {
        input: count_u64(ctx, rec, "by_category.prompt", c.prompt).unwrap_or(0),
        output: count_u64(ctx, rec, "by_category.completion", c.completion).unwrap_or(0),
        cache_read: count_u64(ctx, rec, "by_category.cache_read", c.cache_read).unwrap_or(0),
        cache_write: count_u64(ctx, rec, "by_category.cache_write", c.cache_write).unwrap_or(0),
    });
    let total_tokens =
        count_u64(ctx, rec, "total_tokens", t.total_tokens).or(tokens.map(|t| t.total()));
    let mut extra = Vec::new();
    for (task, n) in t.by_task.map(|e| e.0).unwrap_or_default() {
        let field = format!("by_task.{}", task.as_str());
        if let Some(n) = count_u64(ctx, rec, &field, Some(n)) {
            extra.push((field, n.to_string()));
        }
    }
    let scope = match t.session_id {
        Some(s) if !s.as_str().trim().is_empty() => {
            AggregateScope::Session(s.as_str().trim().to_string())
        }
        _ => AggregateScope::Overall,
    };
    let mut agg = aggregate(ctx, scope, "token_usage");
    agg.total_tokens = total_tokens;
    agg.tokens = tokens;
    agg.extra = extra;
    ctx.ds.aggregates.push(agg);
    ctx.imported();
}

/// An empty aggregate of this file.
fn aggregate(ctx: &Ctx<'_>, scope: AggregateScope, origin: &str) -> Aggregate {
    Aggregate {
        source: ctx.source,
        scope,
        origin: origin.to_string(),
        period_start: None,
        period_end: None,
        period_days: None,
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

/// One agent's pre-aggregated figures (`agent_metrics` or a daily report's
/// `by_agent`). `day` is the daily report's period.
fn agent_figures(
    ctx: &mut Ctx<'_>,
    rec: u64,
    origin: &str,
    agent: &str,
    value: &RawValue,
    day: Option<(Timestamp, Timestamp)>,
) {
    let f = match serde_json::from_slice::<AgentFigures>(value.get().as_bytes()) {
        Ok(f) => f,
        Err(e) => {
            ctx.skip(rec, Some(agent), format!("{origin}: {e}"));
            return;
        }
    };
    if f.tasks_completed.is_none()
        && f.success_rate.is_none()
        && f.avg_duration_ms.is_none()
        && f.avg_duration_s.is_none()
        && f.total_tokens.is_none()
    {
        ctx.skip(
            rec,
            Some(agent),
            format!("{origin}: no tasks, success_rate, average duration or tokens"),
        );
        return;
    }
    let avg_duration = match (f.avg_duration_ms, f.avg_duration_s) {
        (Some(ms), _) => seconds(ctx, rec, "avg_duration_ms", ms, 0.001),
        (None, Some(s)) => seconds(ctx, rec, "avg_duration_s", s, 1.0),
        (None, None) => None,
    };
    let mut agg = aggregate(ctx, AggregateScope::Agent(agent.to_string()), origin);
    agg.count = count_u64(ctx, rec, "tasks_completed", f.tasks_completed);
    agg.success_rate = f
        .success_rate
        .and_then(|r| rate(ctx, rec, "success_rate", r));
    agg.avg_duration = avg_duration;
    agg.total_tokens = count_u64(ctx, rec, "total_tokens", f.total_tokens);
    if let Some((start, end)) = day {
        agg.period_start = Some(start);
        agg.period_end = Some(end);
        agg.period_days = Some(1.0);
    }
    if let Some(p) = f.period.as_deref() {
        match parse_period(p) {
            Some((start, end, days)) => {
                agg.period_start = Some(start);
                agg.period_end = Some(end);
                agg.period_days = Some(days);
            }
            None => ctx.warn(
                Some(rec),
                Some("period"),
                format!("unreadable period {p:?}"),
            ),
        }
    }
    ctx.ds.aggregates.push(agg);
    ctx.imported();
}

/// Reads a daily report; returns the next record index.
fn daily_report(ctx: &mut Ctx<'_>, rec: u64, d: DailyReport<'_>) -> u64 {
    let day = d.date.as_ref().and_then(|raw| match raw {
        RawTime::Text(t) => day_span(t),
        RawTime::Number(_) => None,
    });
    if d.date.is_some() && day.is_none() {
        ctx.warn(Some(rec), Some("date"), "unreadable date");
    }
    let mut agg = aggregate(ctx, AggregateScope::Overall, "daily_report");
    if let Some((start, end)) = day {
        agg.period_start = Some(start);
        agg.period_end = Some(end);
        agg.period_days = Some(1.0);
    }
    if let Some(s) = d.summary {
        agg.sessions = count_u64(ctx, rec, "summary.sessions", s.sessions);
        agg.count = count_u64(ctx, rec, "summary.tasks_completed", s.tasks_completed);
        agg.success_rate = s
            .success_rate
            .and_then(|r| rate(ctx, rec, "summary.success_rate", r));
        agg.total_tokens = count_u64(ctx, rec, "summary.tokens_used", s.tokens_used);
        if let Some(h) = s.total_duration_hours {
            match h.get() {
                Some(h) if h >= 0.0 => agg
                    .extra
                    .push(("total_duration_hours".into(), h.to_string())),
                _ => ctx.warn(
                    Some(rec),
                    Some("summary.total_duration_hours"),
                    "not a non-negative number; dropped",
                ),
            }
        }
    }
    for (name, value) in d.trends.map(|t| t.0).unwrap_or_default() {
        agg.extra
            .push((name.as_str().to_string(), value.as_str().to_string()));
    }
    ctx.ds.aggregates.push(agg);
    ctx.imported();
    let mut next = rec + 1;
    for (agent, value) in d.by_agent.map(|b| b.0).unwrap_or_default() {
        agent_figures(ctx, next, "daily_report", agent.as_str(), value, day);
        next += 1;
    }
    next
}

/// A date's day: midnight UTC to the next midnight.
fn day_span(text: &str) -> Option<(Timestamp, Timestamp)> {
    let start = super::layout::parse(text.trim(), super::layout::DATE)?;
    Some((Timestamp(start), Timestamp(start + Timestamp::DAY_MS)))
}

/// Parses "2025-11-01 to 2025-11-30" (also "..", " - " or "/" between the
/// dates): start of the first day, midnight after the last, and the days
/// covered.
pub fn parse_period(text: &str) -> Option<(Timestamp, Timestamp, f64)> {
    let (a, b) = [" to ", "..", " - ", "/"]
        .iter()
        .find_map(|sep| text.split_once(sep))?;
    let (start, _) = day_span(a)?;
    let (_, end) = day_span(b)?;
    if end <= start {
        return None;
    }
    Some((
        start,
        end,
        (end.0 - start.0) as f64 / Timestamp::DAY_MS as f64,
    ))
}

/// Start, end and duration (seconds) of a record after checks.
pub(crate) struct Span {
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub duration: Option<f64>,
}

/// Reads a record's start, end and duration in milliseconds. The duration is
/// the recorded one, else end minus start. Errors (field, reason) make the
/// record unusable: a duration that is not a number, negative or not finite,
/// or an end before the start.
pub(crate) fn span(
    ctx: &mut Ctx<'_>,
    rec: u64,
    start: (&'static str, Option<&RawTime<'_>>),
    end: (&'static str, Option<&RawTime<'_>>),
    duration_ms: (&'static str, Option<RawNum>),
) -> Result<Span, (&'static str, String)> {
    let duration = match duration_ms.1 {
        None => None,
        Some(RawNum::Invalid) => {
            return Err((duration_ms.0, "duration is not a number".to_string()))
        }
        Some(RawNum::Value(ms)) => {
            Some(Ctx::duration_seconds(duration_ms_to_s(ms)).map_err(|r| (duration_ms.0, r))?)
        }
    };
    let s = ctx.time(rec, start.0, start.1);
    let e = ctx.time(rec, end.0, end.1);
    if let (Some(s), Some(e)) = (s, e) {
        if e < s {
            return Err((
                end.0,
                format!(
                    "ends ({}) before it starts ({})",
                    e.to_rfc3339(),
                    s.to_rfc3339()
                ),
            ));
        }
    }
    let duration = duration.or(match (s, e) {
        (Some(s), Some(e)) => Some((e.0 - s.0) as f64 / 1000.0),
        _ => None,
    });
    Ok(Span {
        start: s,
        end: e,
        duration,
    })
}

/// Milliseconds to seconds.
pub(crate) fn duration_ms_to_s(ms: f64) -> f64 {
    ms / 1000.0
}

/// A non-negative duration scaled to seconds; otherwise a warning and None.
fn seconds(ctx: &mut Ctx<'_>, rec: u64, field: &str, n: RawNum, scale: f64) -> Option<f64> {
    match n.get().map(|v| Ctx::duration_seconds(v * scale)) {
        Some(Ok(s)) => Some(s),
        Some(Err(reason)) => {
            ctx.warn(Some(rec), Some(field), format!("{reason}; dropped"));
            None
        }
        None => {
            ctx.warn(Some(rec), Some(field), "not a number; dropped");
            None
        }
    }
}

/// A rate as a fraction 0..1; values above 1 up to 100 are percentages.
/// Anything else is a warning and None.
pub(crate) fn rate(ctx: &mut Ctx<'_>, rec: u64, field: &str, n: RawNum) -> Option<f64> {
    match n.get() {
        Some(v) if (0.0..=1.0).contains(&v) => Some(v),
        Some(v) if v > 1.0 && v <= 100.0 => {
            ctx.info(Some(rec), Some(field), format!("{v} read as a percentage"));
            Some(v / 100.0)
        }
        _ => {
            ctx.warn(
                Some(rec),
                Some(field),
                "not a rate between 0 and 1; dropped",
            );
            None
        }
    }
}

/// A whole non-negative number; otherwise a warning and None.
pub(crate) fn count_u64(
    ctx: &mut Ctx<'_>,
    rec: u64,
    field: &str,
    n: Option<RawNum>,
) -> Option<u64> {
    let n = n?;
    match n.get() {
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v < u64::MAX as f64 => Some(v as u64),
        _ => {
            ctx.warn(
                Some(rec),
                Some(field),
                "not a whole non-negative number; dropped",
            );
            None
        }
    }
}

/// As [`count_u64`], for counts that fit 32 bits.
pub(crate) fn count_u32(
    ctx: &mut Ctx<'_>,
    rec: u64,
    field: &str,
    n: Option<RawNum>,
) -> Option<u32> {
    let v = count_u64(ctx, rec, field, n)?;
    match u32::try_from(v) {
        Ok(v) => Some(v),
        Err(_) => {
            ctx.warn(Some(rec), Some(field), "too large; dropped");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        // 2025-11-01T00:00Z = 1_761_955_200_000 ms; 30 days later is 2025-12-01.
        assert_eq!(
            parse_period("2025-11-01 to 2025-11-30"),
            Some((
                Timestamp(1_761_955_200_000),
                Timestamp(1_761_955_200_000 + 30 * Timestamp::DAY_MS),
                30.0
            ))
        );
        assert_eq!(parse_period("2025-11-30 to 2025-11-01"), None);
        assert_eq!(parse_period("November"), None);
    }
}
