//! Droid orchestrator metrics: `OrchestratorMetrics`, `DroidPerformanceMetrics`
//! and `TaskPatternMetrics`, each as a single object, a list, or together in
//! one object (a combined export such as
//! `{"orchestrator_metrics": {...}, "droid_metrics": [...], "pattern_metrics": [...]}`,
//! or an `OrchestratorMetrics` carrying `droid_metrics`, `pattern_metrics`,
//! `synthesis_results` and `security_issues` as the seed's analytics read them).
//!
//! | part | becomes | records |
//! |---|---|---|
//! | `session_metrics` | a [`Session`] (and, when it has `success_rate`, a `Session` aggregate) | 1 |
//! | each `phase_metrics` entry | an [`Operation`] | 1 each |
//! | `communication_metrics` | a [`Communication`] | 1 |
//! | each `DroidPerformanceMetrics` | an [`AgentProfile`] | 1 each |
//! | each `TaskPatternMetrics` | a [`PatternProfile`] | 1 each |
//! | each `synthesis_results` entry | an [`IntegrationResult`] | 1 each |
//! | each `security_issues` entry | a [`SecurityIssue`] | 1 each |
//!
//! Units, decided from the seed:
//! - phase `duration`, session `total_duration`, droid `average_task_duration`
//!   and pattern `average_duration` are **minutes** (the seed's bottleneck text
//!   prints phase durations in minutes and its long-duration alert is in
//!   minutes); they are stored in seconds.
//! - `average_response_time` and `response_time` are **seconds** (the seed's
//!   response-time alert threshold is 300 seconds).
//! - rates (`success_rate`, `completion_rate`, `error_rate`, `retry_rate`,
//!   `collaboration_score`, `test_coverage`) may be percentages 0..100 or
//!   fractions 0..1: a value above 1 is a percentage. They are stored as
//!   fractions.
//! - scores (`quality_score`, `code_quality_score`, `security_score`) are
//!   stored on 0..100; a value of at most 1 is read as a fraction and scaled.
//!
//! A phase's id is `<session_id>/<phase_id>` (phase ids such as `phase_1`
//! repeat across sessions); its kind is its `phase` or `name` field, else the
//! phase id without a trailing number (`implementation_2` → `implementation`).
//! Status `blocked` is a failure. A phase with no status and no end is
//! running. A running session's current phase is its running phase's kind.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{syntax_error, Ctx, RawNum, RawText, RawTime};
use super::peek::{Peek, Shape};
use super::records::{self, At};
use crate::model::{
    AgentProfile, Aggregate, AggregateScope, Communication, IntegrationResult, Operation, Outcome,
    PatternAgent, PatternProfile, SecurityIssue, Session, Sym,
};
use crate::Error;

const ORCHESTRATOR_KEYS: [&str; 3] = ["session_metrics", "phase_metrics", "communication_metrics"];
const WRAPPER_KEYS: [&str; 3] = ["orchestrator_metrics", "droid_metrics", "pattern_metrics"];
const DROID_PARTS: [&str; 3] = ["efficiency", "collaboration", "output_quality"];
const PATTERN_PARTS: [&str; 3] = ["execution", "optimization", "droid_performance"];

/// Detects seed 001 documents by their keys (of the object or of a list's first element).
pub fn detect(p: &Peek) -> Result<(), String> {
    if !matches!(p.shape, Shape::Object | Shape::Array) {
        return Err("not a JSON object or list".to_string());
    }
    let any = |keys: &[&str]| keys.iter().any(|k| p.has(k));
    if any(&ORCHESTRATOR_KEYS) || any(&WRAPPER_KEYS) {
        return Ok(());
    }
    if p.has("droid_name") && any(&DROID_PARTS) {
        return Ok(());
    }
    if p.has("pattern_id") && any(&PATTERN_PARTS) {
        return Ok(());
    }
    Err("no session_metrics, phase_metrics, droid_name or pattern_id".to_string())
}

/// Any object of the format; which fields are present says what it is.
#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow)]
    session_metrics: Option<&'a RawValue>,
    #[serde(borrow)]
    phase_metrics: Option<&'a RawValue>,
    #[serde(borrow)]
    communication_metrics: Option<&'a RawValue>,
    #[serde(borrow)]
    orchestrator_metrics: Option<&'a RawValue>,
    #[serde(borrow)]
    droid_metrics: Option<&'a RawValue>,
    #[serde(borrow)]
    pattern_metrics: Option<&'a RawValue>,
    #[serde(borrow)]
    synthesis_results: Option<&'a RawValue>,
    #[serde(borrow)]
    security_issues: Option<&'a RawValue>,
    #[serde(borrow)]
    droid_name: Option<&'a RawValue>,
    #[serde(borrow)]
    pattern_id: Option<&'a RawValue>,
    #[serde(borrow)]
    efficiency: Option<&'a RawValue>,
    #[serde(borrow)]
    execution: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct SessionMetrics<'a> {
    #[serde(borrow)]
    session_id: Option<RawText<'a>>,
    #[serde(borrow)]
    start_time: Option<RawTime<'a>>,
    #[serde(borrow)]
    end_time: Option<RawTime<'a>>,
    total_duration: Option<RawNum>,
    tasks_completed: Option<RawNum>,
    tasks_failed: Option<RawNum>,
    #[serde(alias = "tasks_planned")]
    tasks_total: Option<RawNum>,
    success_rate: Option<RawNum>,
    #[serde(borrow)]
    status: Option<RawText<'a>>,
    #[serde(borrow)]
    current_phase: Option<RawText<'a>>,
    #[serde(alias = "progress_percentage")]
    progress: Option<RawNum>,
    #[serde(borrow, alias = "request")]
    description: Option<RawText<'a>>,
    #[serde(borrow)]
    mode: Option<RawText<'a>>,
}

#[derive(Deserialize)]
struct Phase<'a> {
    #[serde(borrow)]
    phase_id: Option<RawText<'a>>,
    #[serde(borrow, alias = "name")]
    phase: Option<RawText<'a>>,
    #[serde(borrow, alias = "droid_name", alias = "agent")]
    droid: Option<RawText<'a>>,
    #[serde(borrow)]
    session_id: Option<RawText<'a>>,
    #[serde(borrow)]
    start_time: Option<RawTime<'a>>,
    #[serde(borrow)]
    end_time: Option<RawTime<'a>>,
    duration: Option<RawNum>,
    #[serde(borrow)]
    status: Option<RawText<'a>>,
    quality_score: Option<RawNum>,
    conflicts_detected: Option<RawNum>,
    retries: Option<RawNum>,
    #[serde(borrow)]
    error_type: Option<RawText<'a>>,
    #[serde(borrow, alias = "error")]
    error_message: Option<RawText<'a>>,
    files_created: Option<RawNum>,
    files_modified: Option<RawNum>,
    #[serde(borrow)]
    model: Option<RawText<'a>>,
}

#[derive(Deserialize)]
struct CommunicationMetrics<'a> {
    #[serde(borrow)]
    session_id: Option<RawText<'a>>,
    total_messages: Option<RawNum>,
    #[serde(borrow)]
    messages_by_type: Option<&'a RawValue>,
    #[serde(borrow)]
    messages_by_droid: Option<&'a RawValue>,
    #[serde(borrow, alias = "edges", alias = "collaboration_network")]
    messages: Option<&'a RawValue>,
    average_response_time: Option<RawNum>,
    communication_efficiency: Option<RawNum>,
    #[serde(borrow, alias = "time")]
    timestamp: Option<RawTime<'a>>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow, alias = "sender", alias = "from_droid")]
    from: Option<RawText<'a>>,
    #[serde(borrow, alias = "recipient", alias = "to_droid")]
    to: Option<RawText<'a>>,
    count: Option<RawNum>,
}

#[derive(Deserialize)]
struct Droid<'a> {
    #[serde(borrow)]
    droid_name: Option<RawText<'a>>,
    #[serde(borrow)]
    task_type: Option<RawText<'a>>,
    efficiency: Option<Efficiency>,
    collaboration: Option<Collaboration>,
    #[serde(borrow)]
    output_quality: Option<OutputQuality<'a>>,
    #[serde(borrow, alias = "time")]
    timestamp: Option<RawTime<'a>>,
}

#[derive(Deserialize)]
struct Efficiency {
    completion_rate: Option<RawNum>,
    average_task_duration: Option<RawNum>,
    quality_score: Option<RawNum>,
    error_rate: Option<RawNum>,
    retry_rate: Option<RawNum>,
}

#[derive(Deserialize)]
struct Collaboration {
    messages_sent: Option<RawNum>,
    messages_received: Option<RawNum>,
    response_time: Option<RawNum>,
    collaboration_score: Option<RawNum>,
}

#[derive(Deserialize)]
struct OutputQuality<'a> {
    files_created: Option<RawNum>,
    code_quality_score: Option<RawNum>,
    test_coverage: Option<RawNum>,
    security_score: Option<RawNum>,
    #[serde(borrow)]
    security_issues: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Pattern<'a> {
    #[serde(borrow)]
    pattern_id: Option<RawText<'a>>,
    #[serde(borrow)]
    pattern_name: Option<RawText<'a>>,
    #[serde(borrow)]
    execution: Option<Execution<'a>>,
    #[serde(borrow)]
    optimization: Option<Optimization<'a>>,
    #[serde(borrow)]
    droid_performance: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Execution<'a> {
    total_executions: Option<RawNum>,
    success_rate: Option<RawNum>,
    average_duration: Option<RawNum>,
    #[serde(borrow)]
    common_failure_points: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Optimization<'a> {
    #[serde(borrow)]
    bottlenecks: Option<&'a RawValue>,
    #[serde(borrow)]
    optimization_opportunities: Option<&'a RawValue>,
    #[serde(borrow)]
    efficiency_improvements: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct PatternDroid {
    success_rate: Option<RawNum>,
    average_duration: Option<RawNum>,
    quality_consistency: Option<RawNum>,
}

#[derive(Deserialize)]
struct Synthesis<'a> {
    #[serde(borrow)]
    integration_conflicts: Option<&'a RawValue>,
    quality_gates_passed: Option<bool>,
    #[serde(borrow)]
    session_id: Option<RawText<'a>>,
    #[serde(borrow, alias = "time")]
    timestamp: Option<RawTime<'a>>,
}

#[derive(Deserialize)]
struct Security<'a> {
    #[serde(borrow, alias = "droid_name", alias = "agent")]
    droid: Option<RawText<'a>>,
    #[serde(borrow)]
    severity: Option<RawText<'a>>,
    #[serde(
        borrow,
        alias = "message",
        alias = "issue",
        alias = "type",
        alias = "title"
    )]
    description: Option<RawText<'a>>,
    #[serde(borrow)]
    session_id: Option<RawText<'a>>,
    #[serde(borrow, alias = "time")]
    timestamp: Option<RawTime<'a>>,
}

/// Minutes to seconds.
const MINUTES: f64 = 60.0;

/// Imports one file.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let text = std::str::from_utf8(body).map_err(|e| Error::Encoding {
        file: ctx.file.clone(),
        reason: format!("not UTF-8: {e}"),
    })?;
    let top: &RawValue =
        serde_json::from_slice(text.as_bytes()).map_err(|e| syntax_error(&ctx.file, &e))?;
    let mut imp = Importer { record: 0 };
    imp.any(ctx, top, 0);
    Ok(())
}

struct Importer {
    record: u64,
}

/// How deep wrappers may nest (a list of combined exports of lists...).
const MAX_DEPTH: u32 = 4;

impl Importer {
    fn next(&mut self) -> u64 {
        let r = self.record;
        self.record += 1;
        r
    }

    /// An object or a list of objects of any kind.
    fn any(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, depth: u32) {
        if let Ok(items) = records::list(raw) {
            if depth >= MAX_DEPTH {
                let rec = self.next();
                ctx.skip(rec, None, "lists nested too deep");
                return;
            }
            for item in items {
                self.any(ctx, item, depth + 1);
            }
            return;
        }
        let doc: Doc<'_> = match records::parse(raw) {
            Ok(d) => d,
            Err(e) => {
                let rec = self.next();
                ctx.skip(rec, None, e);
                return;
            }
        };
        if doc.droid_name.is_some() || (doc.efficiency.is_some() && doc.pattern_id.is_none()) {
            self.droid(ctx, raw);
        } else if doc.pattern_id.is_some() || doc.execution.is_some() {
            self.pattern(ctx, raw);
        } else {
            self.orchestrator(ctx, &doc, depth);
        }
    }

    fn orchestrator(&mut self, ctx: &mut Ctx<'_>, doc: &Doc<'_>, depth: u32) {
        let mut session = None;
        if let Some(raw) = doc.session_metrics {
            session = self.session(ctx, raw);
        }
        let mut running_phase = None;
        if let Some(raw) = doc.phase_metrics {
            running_phase = self.phases(ctx, raw, session);
        }
        if let (Some(s), Some(kind)) = (session, running_phase) {
            if let Some(&i) = ctx.ds.session_index.get(&s) {
                let name = ctx.ds.name(kind).to_string();
                if let Some(sess) = ctx.ds.sessions.get_mut(i) {
                    if sess.current_phase.is_none() && sess.outcome == Some(Outcome::Running) {
                        sess.current_phase = Some(name);
                    }
                }
            }
        }
        if let Some(raw) = doc.communication_metrics {
            self.communication(ctx, raw, session);
        }
        for raw in [
            doc.orchestrator_metrics,
            doc.droid_metrics,
            doc.pattern_metrics,
        ]
        .into_iter()
        .flatten()
        {
            if depth >= MAX_DEPTH {
                let rec = self.next();
                ctx.skip(rec, None, "objects nested too deep");
            } else {
                self.any(ctx, raw, depth + 1);
            }
        }
        if let Some(raw) = doc.synthesis_results {
            self.synthesis(ctx, raw, session);
        }
        if let Some(raw) = doc.security_issues {
            self.security(ctx, raw, session);
        }
    }

    /// Imports `session_metrics`; returns the session's id.
    fn session(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue) -> Option<Sym> {
        let rec = self.next();
        let m: SessionMetrics<'_> = match records::parse(raw) {
            Ok(m) => m,
            Err(e) => {
                ctx.skip(rec, Some("session_metrics"), e);
                return None;
            }
        };
        let Some(id) = records::text(m.session_id.as_ref()) else {
            ctx.skip(rec, Some("session_id"), "session without session_id");
            return None;
        };
        let duration = match records::duration(m.total_duration, MINUTES) {
            Ok(d) => d,
            Err(e) => {
                ctx.skip(rec, Some("total_duration"), e);
                return None;
            }
        };
        let start = ctx.time(rec, "start_time", m.start_time.as_ref());
        let end = ctx.time(rec, "end_time", m.end_time.as_ref());
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                ctx.skip(rec, Some("end_time"), "session ends before it starts");
                return None;
            }
        }
        let status = records::text(m.status.as_ref());
        let outcome = match &status {
            Some(s) => ctx.outcome(rec, "status", s),
            None if end.is_none() => Some(Outcome::Running),
            None => None,
        };
        let at = |field| At { record: rec, field };
        let completed = records::count(ctx, at("tasks_completed"), m.tasks_completed);
        let failed = records::count(ctx, at("tasks_failed"), m.tasks_failed);
        let success_rate = records::fraction(ctx, at("success_rate"), m.success_rate);
        let progress = records::fraction(ctx, at("progress"), m.progress);
        let sym = ctx.intern(&id);
        let session = Session {
            id: sym,
            source: ctx.source,
            start,
            end,
            duration,
            outcome,
            status,
            mode: records::text(m.mode.as_ref()),
            llm: None,
            description: records::text(m.description.as_ref()),
            project: None,
            tasks_total: records::count(ctx, at("tasks_total"), m.tasks_total),
            tasks_completed: completed,
            tasks_failed: failed,
            commit: None,
            current_phase: records::text(m.current_phase.as_ref()),
            progress,
        };
        let added = ctx.ds.insert_session(session);
        ctx.inserted(added);
        if added && success_rate.is_some() {
            ctx.ds.aggregates.push(Aggregate {
                source: ctx.source,
                scope: AggregateScope::Session(id),
                origin: "session_metrics".to_string(),
                period_start: start,
                period_end: end,
                period_days: None,
                count: match (completed, failed) {
                    (Some(c), Some(f)) => Some(c + f),
                    _ => None,
                },
                success_count: completed,
                success_rate,
                error_rate: None,
                avg_duration: None,
                cache_hit_rate: None,
                total_cost: None,
                avg_cost_per_operation: None,
                total_tokens: None,
                tokens: None,
                sessions: Some(1),
                extra: Vec::new(),
            });
        }
        Some(sym)
    }

    /// Imports the phases; returns the kind of a running phase, if any.
    fn phases(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, session: Option<Sym>) -> Option<Sym> {
        let items = match records::list(raw) {
            Ok(items) => items,
            // The seed's interface types it as one object: accept that too.
            Err(_) => vec![raw],
        };
        let mut running = None;
        for item in items {
            let rec = self.next();
            match self.phase(ctx, rec, item, session) {
                Ok(op) => {
                    if op.outcome == Outcome::Running && running.is_none() {
                        running = Some(op.kind);
                    }
                    let added = ctx.ds.insert_operation(op);
                    ctx.inserted(added);
                }
                Err((field, reason)) => ctx.skip(rec, field, reason),
            }
        }
        running
    }

    fn phase(
        &mut self,
        ctx: &mut Ctx<'_>,
        rec: u64,
        raw: &RawValue,
        session: Option<Sym>,
    ) -> Result<Operation, (Option<&'static str>, String)> {
        let p: Phase<'_> = records::parse(raw).map_err(|e| (None, e))?;
        let Some(phase_id) = records::text(p.phase_id.as_ref()) else {
            return Err((Some("phase_id"), "phase without phase_id".to_string()));
        };
        let duration = records::duration(p.duration, MINUTES).map_err(|e| (Some("duration"), e))?;
        let start = ctx.time(rec, "start_time", p.start_time.as_ref());
        let end = ctx.time(rec, "end_time", p.end_time.as_ref());
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                return Err((Some("end_time"), "phase ends before it starts".to_string()));
            }
        }
        let duration = duration.or_else(|| match (start, end) {
            (Some(s), Some(e)) => Some((e.0 - s.0) as f64 / 1000.0),
            _ => None,
        });
        let outcome = match records::text(p.status.as_ref()) {
            Some(s) => match ctx.outcome(rec, "status", &s) {
                Some(o) => o,
                None if end.is_none() => Outcome::Running,
                None => return Err((Some("status"), format!("unknown status {s:?}"))),
            },
            None if end.is_none() => Outcome::Running,
            None => return Err((Some("status"), "finished phase without status".to_string())),
        };
        let session = match records::text(p.session_id.as_ref()) {
            Some(s) => Some(ctx.intern(&s)),
            None => session,
        };
        let prefix = match session {
            Some(s) => ctx.ds.name(s).to_string(),
            None => ctx.file.clone(),
        };
        let kind = records::text(p.phase.as_ref()).unwrap_or_else(|| phase_kind(&phase_id));
        let agent = match records::text(p.droid.as_ref()) {
            Some(d) => d,
            None => {
                ctx.warn(
                    Some(rec),
                    Some("droid"),
                    "phase without droid; agent unknown",
                );
                "unknown".to_string()
            }
        };
        let at = |field| At { record: rec, field };
        let id = ctx.intern(&format!("{prefix}/{phase_id}"));
        let kind = ctx.intern(&kind);
        let agent = ctx.intern(&agent);
        let model = records::text(p.model.as_ref()).map(|m| ctx.intern(&m));
        let error_type = records::text(p.error_type.as_ref()).map(|e| ctx.intern(&e));
        Ok(Operation {
            session,
            model,
            start,
            end,
            duration,
            retries: records::count32(ctx, at("retries"), p.retries).unwrap_or(0),
            error_type,
            error_message: records::text(p.error_message.as_ref()),
            files_created: records::count32(ctx, at("files_created"), p.files_created),
            files_modified: records::count32(ctx, at("files_modified"), p.files_modified),
            quality_score: records::score(ctx, at("quality_score"), p.quality_score),
            conflicts: records::count32(ctx, at("conflicts_detected"), p.conflicts_detected),
            ..Operation::new(id, ctx.source, kind, agent, outcome)
        })
    }

    fn communication(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, session: Option<Sym>) {
        let rec = self.next();
        let m: CommunicationMetrics<'_> = match records::parse(raw) {
            Ok(m) => m,
            Err(e) => {
                ctx.skip(rec, Some("communication_metrics"), e);
                return;
            }
        };
        let response = match records::duration(m.average_response_time, 1.0) {
            Ok(r) => r,
            Err(e) => {
                ctx.skip(rec, Some("average_response_time"), e);
                return;
            }
        };
        let by_type = counts_map(ctx, rec, "messages_by_type", m.messages_by_type);
        let by_droid = counts_map(ctx, rec, "messages_by_droid", m.messages_by_droid);
        let messages_by_agent = by_droid
            .into_iter()
            .map(|(k, v)| (ctx.intern(&k), v))
            .collect();
        let mut edges: Vec<(Sym, Sym, u64)> = Vec::new();
        if let Some(raw) = m.messages {
            match records::list(raw) {
                Ok(items) => {
                    for item in items {
                        let Ok(msg) = records::parse::<Message<'_>>(item) else {
                            ctx.warn(Some(rec), Some("messages"), "unusable message; ignored");
                            continue;
                        };
                        let (Some(from), Some(to)) = (
                            records::text(msg.from.as_ref()),
                            records::text(msg.to.as_ref()),
                        ) else {
                            ctx.warn(Some(rec), Some("messages"), "message without from/to");
                            continue;
                        };
                        let n = records::count(
                            ctx,
                            At {
                                record: rec,
                                field: "messages.count",
                            },
                            msg.count,
                        )
                        .unwrap_or(1);
                        let (f, t) = (ctx.intern(&from), ctx.intern(&to));
                        match edges.iter_mut().find(|(a, b, _)| *a == f && *b == t) {
                            Some(e) => e.2 += n,
                            None => edges.push((f, t, n)),
                        }
                    }
                }
                Err(e) => ctx.warn(Some(rec), Some("messages"), e),
            }
        }
        let at = |field| At { record: rec, field };
        let total = records::count(ctx, at("total_messages"), m.total_messages)
            .unwrap_or_else(|| by_type.iter().map(|(_, n)| n).sum());
        let session = match records::text(m.session_id.as_ref()) {
            Some(s) => Some(ctx.intern(&s)),
            None => session,
        };
        let c = Communication {
            source: ctx.source,
            session,
            total_messages: total,
            messages_by_type: by_type,
            messages_by_agent,
            edges,
            average_response_time: response,
            efficiency: records::num(
                ctx,
                at("communication_efficiency"),
                m.communication_efficiency,
            ),
            time: ctx.time(rec, "timestamp", m.timestamp.as_ref()),
        };
        let dup = ctx.ds.communication.iter().any(|o| {
            o.source != c.source
                && Communication {
                    source: c.source,
                    ..o.clone()
                } == c
        });
        if dup {
            ctx.duplicate();
        } else {
            ctx.ds.communication.push(c);
            ctx.imported();
        }
    }

    fn droid(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue) {
        let rec = self.next();
        let d: Droid<'_> = match records::parse(raw) {
            Ok(d) => d,
            Err(e) => {
                ctx.skip(rec, None, e);
                return;
            }
        };
        let Some(name) = records::text(d.droid_name.as_ref()) else {
            ctx.skip(rec, Some("droid_name"), "droid metrics without droid_name");
            return;
        };
        let avg = d.efficiency.as_ref().and_then(|e| e.average_task_duration);
        let avg = match records::duration(avg, MINUTES) {
            Ok(a) => a,
            Err(e) => {
                ctx.skip(rec, Some("efficiency.average_task_duration"), e);
                return;
            }
        };
        let response = d.collaboration.as_ref().and_then(|c| c.response_time);
        let response = match records::duration(response, 1.0) {
            Ok(r) => r,
            Err(e) => {
                ctx.skip(rec, Some("collaboration.response_time"), e);
                return;
            }
        };
        let at = |field| At { record: rec, field };
        let mut p = AgentProfile {
            source: Some(ctx.source),
            agent: Some(ctx.intern(&name)),
            task_type: records::text(d.task_type.as_ref()),
            average_task_duration: avg,
            response_time: response,
            time: ctx.time(rec, "timestamp", d.timestamp.as_ref()),
            ..AgentProfile::default()
        };
        if let Some(e) = &d.efficiency {
            p.completion_rate =
                records::fraction(ctx, at("efficiency.completion_rate"), e.completion_rate);
            p.quality_score = records::score(ctx, at("efficiency.quality_score"), e.quality_score);
            p.error_rate = records::fraction(ctx, at("efficiency.error_rate"), e.error_rate);
            p.retry_rate = records::fraction(ctx, at("efficiency.retry_rate"), e.retry_rate);
        }
        if let Some(c) = &d.collaboration {
            p.messages_sent =
                records::count(ctx, at("collaboration.messages_sent"), c.messages_sent);
            p.messages_received = records::count(
                ctx,
                at("collaboration.messages_received"),
                c.messages_received,
            );
            p.collaboration_score = records::fraction(
                ctx,
                at("collaboration.collaboration_score"),
                c.collaboration_score,
            );
        }
        if let Some(q) = &d.output_quality {
            p.files_created =
                records::count(ctx, at("output_quality.files_created"), q.files_created);
            p.code_quality_score = records::score(
                ctx,
                at("output_quality.code_quality_score"),
                q.code_quality_score,
            );
            p.test_coverage =
                records::fraction(ctx, at("output_quality.test_coverage"), q.test_coverage);
            p.security_score =
                records::score(ctx, at("output_quality.security_score"), q.security_score);
            if let Some(raw) = q.security_issues {
                p.security_issues = match records::list(raw) {
                    Ok(items) => Some(items.len() as u64),
                    Err(_) => records::count(
                        ctx,
                        at("output_quality.security_issues"),
                        records::parse::<RawNum>(raw).ok(),
                    ),
                };
            }
        }
        let dup = ctx.ds.agent_profiles.iter().any(|o| {
            o.source != p.source
                && AgentProfile {
                    source: p.source,
                    ..o.clone()
                } == p
        });
        if dup {
            ctx.duplicate();
        } else {
            ctx.ds.agent_profiles.push(p);
            ctx.imported();
        }
    }

    fn pattern(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue) {
        let rec = self.next();
        let t: Pattern<'_> = match records::parse(raw) {
            Ok(t) => t,
            Err(e) => {
                ctx.skip(rec, None, e);
                return;
            }
        };
        let Some(id) = records::text(t.pattern_id.as_ref()) else {
            ctx.skip(rec, Some("pattern_id"), "pattern without pattern_id");
            return;
        };
        let avg = t.execution.as_ref().and_then(|e| e.average_duration);
        let avg = match records::duration(avg, MINUTES) {
            Ok(a) => a,
            Err(e) => {
                ctx.skip(rec, Some("execution.average_duration"), e);
                return;
            }
        };
        let at = |field| At { record: rec, field };
        let mut p = PatternProfile {
            source: Some(ctx.source),
            name: records::text(t.pattern_name.as_ref()).unwrap_or_else(|| id.clone()),
            id,
            average_duration: avg,
            ..PatternProfile::default()
        };
        if let Some(e) = &t.execution {
            p.total_executions =
                records::count(ctx, at("execution.total_executions"), e.total_executions);
            p.success_rate = records::fraction(ctx, at("execution.success_rate"), e.success_rate);
            p.common_failure_points = records::strings(
                ctx,
                at("execution.common_failure_points"),
                e.common_failure_points,
            );
        }
        if let Some(o) = &t.optimization {
            p.bottlenecks = records::strings(ctx, at("optimization.bottlenecks"), o.bottlenecks);
            p.optimization_opportunities = records::strings(
                ctx,
                at("optimization.optimization_opportunities"),
                o.optimization_opportunities,
            );
            p.efficiency_improvements = records::strings(
                ctx,
                at("optimization.efficiency_improvements"),
                o.efficiency_improvements,
            );
        }
        if let Some(raw) = t.droid_performance {
            match records::entries(raw) {
                Ok(entries) => {
                    for (name, v) in entries {
                        let Ok(d) = records::parse::<PatternDroid>(v) else {
                            ctx.warn(
                                Some(rec),
                                Some("droid_performance"),
                                format!("unusable entry for {:?}; ignored", name.as_str()),
                            );
                            continue;
                        };
                        let avg = match records::duration(d.average_duration, MINUTES) {
                            Ok(a) => a,
                            Err(e) => {
                                ctx.warn(Some(rec), Some("droid_performance.average_duration"), e);
                                None
                            }
                        };
                        p.agents.push(PatternAgent {
                            agent: Some(ctx.intern(name.as_str())),
                            success_rate: records::fraction(
                                ctx,
                                at("droid_performance.success_rate"),
                                d.success_rate,
                            ),
                            average_duration: avg,
                            quality_consistency: records::num(
                                ctx,
                                at("droid_performance.quality_consistency"),
                                d.quality_consistency,
                            ),
                        });
                    }
                }
                Err(e) => ctx.warn(Some(rec), Some("droid_performance"), e),
            }
        }
        let dup = ctx.ds.patterns.iter().any(|o| {
            o.source != p.source
                && PatternProfile {
                    source: p.source,
                    ..o.clone()
                } == p
        });
        if dup {
            ctx.duplicate();
        } else {
            ctx.ds.patterns.push(p);
            ctx.imported();
        }
    }

    fn synthesis(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, session: Option<Sym>) {
        let items = match records::list(raw) {
            Ok(items) => items,
            Err(_) => vec![raw],
        };
        for item in items {
            let rec = self.next();
            let s: Synthesis<'_> = match records::parse(item) {
                Ok(s) => s,
                Err(e) => {
                    ctx.skip(rec, None, e);
                    continue;
                }
            };
            let conflicts = match s.integration_conflicts {
                None => 0,
                Some(raw) => match records::list(raw) {
                    Ok(c) => u32::try_from(c.len()).unwrap_or(u32::MAX),
                    Err(_) => match records::count32(
                        ctx,
                        At {
                            record: rec,
                            field: "integration_conflicts",
                        },
                        records::parse::<RawNum>(raw).ok(),
                    ) {
                        Some(n) => n,
                        None => {
                            ctx.skip(rec, Some("integration_conflicts"), "not a list or count");
                            continue;
                        }
                    },
                },
            };
            let session = match records::text(s.session_id.as_ref()) {
                Some(id) => Some(ctx.intern(&id)),
                None => session,
            };
            let r = IntegrationResult {
                source: Some(ctx.source),
                session,
                conflicts,
                quality_gates_passed: s.quality_gates_passed,
                time: ctx.time(rec, "timestamp", s.timestamp.as_ref()),
            };
            push_unique(ctx, r, |ds| &mut ds.integrations, |r| r.time.is_some());
        }
    }

    fn security(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, session: Option<Sym>) {
        let items = match records::list(raw) {
            Ok(items) => items,
            Err(_) => {
                // A bare count: that many issues, nothing more known.
                let rec = self.next();
                let n = records::count(
                    ctx,
                    At {
                        record: rec,
                        field: "security_issues",
                    },
                    records::parse::<RawNum>(raw).ok(),
                );
                match n {
                    Some(n) => {
                        if n > 10_000 {
                            ctx.warn(
                                Some(rec),
                                Some("security_issues"),
                                format!("{n} issues recorded as a bare count; 10000 kept"),
                            );
                        }
                        self.record -= 1;
                        for _ in 0..n.min(10_000) {
                            self.next();
                            ctx.ds.security_issues.push(SecurityIssue {
                                source: Some(ctx.source),
                                session,
                                ..SecurityIssue::default()
                            });
                            ctx.imported();
                        }
                    }
                    None => ctx.skip(rec, Some("security_issues"), "not a list or count"),
                }
                return;
            }
        };
        for item in items {
            let rec = self.next();
            let s = match records::parse::<RawText<'_>>(item) {
                Ok(t) => Security {
                    droid: None,
                    severity: None,
                    description: Some(t),
                    session_id: None,
                    timestamp: None,
                },
                Err(_) => match records::parse::<Security<'_>>(item) {
                    Ok(s) => s,
                    Err(e) => {
                        ctx.skip(rec, None, e);
                        continue;
                    }
                },
            };
            let session = match records::text(s.session_id.as_ref()) {
                Some(id) => Some(ctx.intern(&id)),
                None => session,
            };
            let issue = SecurityIssue {
                source: Some(ctx.source),
                session,
                agent: records::text(s.droid.as_ref()).map(|d| ctx.intern(&d)),
                severity: records::text(s.severity.as_ref()),
                description: records::text(s.description.as_ref()),
                time: ctx.time(rec, "timestamp", s.timestamp.as_ref()),
            };
            push_unique(
                ctx,
                issue,
                |ds| &mut ds.security_issues,
                |i| i.time.is_some(),
            );
        }
    }
}

/// Something with a source to compare records of different files.
trait Sourced: Clone + PartialEq {
    fn source(&self) -> Option<crate::model::SourceId>;
    fn with_source(&self, s: Option<crate::model::SourceId>) -> Self;
}

impl Sourced for IntegrationResult {
    fn source(&self) -> Option<crate::model::SourceId> {
        self.source
    }
    fn with_source(&self, source: Option<crate::model::SourceId>) -> Self {
        IntegrationResult {
            source,
            ..self.clone()
        }
    }
}

impl Sourced for SecurityIssue {
    fn source(&self) -> Option<crate::model::SourceId> {
        self.source
    }
    fn with_source(&self, source: Option<crate::model::SourceId>) -> Self {
        SecurityIssue {
            source,
            ..self.clone()
        }
    }
}

/// Adds a record unless an identical one came from another file (only for
/// records that `identifiable` says carry enough to tell them apart).
fn push_unique<T: Sourced>(
    ctx: &mut Ctx<'_>,
    r: T,
    list: fn(&mut crate::model::Dataset) -> &mut Vec<T>,
    identifiable: fn(&T) -> bool,
) {
    let src = r.source();
    let dup = identifiable(&r)
        && list(ctx.ds)
            .iter()
            .any(|o| o.source() != src && o.with_source(src) == r);
    if dup {
        ctx.duplicate();
    } else {
        list(ctx.ds).push(r);
        ctx.imported();
    }
}

/// An object of name → count, in file order; unusable entries are warnings.
fn counts_map(
    ctx: &mut Ctx<'_>,
    rec: u64,
    field: &str,
    raw: Option<&RawValue>,
) -> Vec<(String, u64)> {
    let Some(raw) = raw else { return Vec::new() };
    let entries = match records::entries(raw) {
        Ok(e) => e,
        Err(e) => {
            ctx.warn(Some(rec), Some(field), e);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let n = records::count(
            ctx,
            At { record: rec, field },
            records::parse::<RawNum>(v).ok(),
        );
        match n {
            Some(n) => out.push((k.as_str().to_string(), n)),
            None => ctx.warn(
                Some(rec),
                Some(field),
                format!("no usable count for {:?}; ignored", k.as_str()),
            ),
        }
    }
    out
}

/// A phase id without its trailing number: `implementation_2` → `implementation`.
pub fn phase_kind(phase_id: &str) -> String {
    let trimmed = phase_id
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['_', '-', ' ', '.']);
    if trimmed.is_empty() {
        phase_id.to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::phase_kind;

    #[test]
    fn phase_kinds_drop_numeric_suffixes() {
        assert_eq!(phase_kind("implementation_2"), "implementation");
        assert_eq!(phase_kind("phase-10"), "phase");
        assert_eq!(phase_kind("design"), "design");
        assert_eq!(phase_kind("42"), "42");
    }
}
