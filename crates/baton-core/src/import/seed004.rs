//! Seed 004: the monitoring CLI's `monitor export` JSON.
//!
//! Two shapes are read, with snake_case or camelCase keys:
//! - all data: `{"orchestrations": [...], "agent_executions": [...]}`;
//! - one session: `{"orchestration": {...}, "executions": [...]}` (also
//!   `"session"` for the orchestration object, `"agentExecutions"` or
//!   `"agent_executions"` for the list; a single object where a list is
//!   expected is read as a list of one).
//!
//! Mapping:
//! - an orchestration is a [`Session`] with id `session_id` (else its row
//!   `id`); `partial` counts as a failure (not every task succeeded);
//!   `duration_ms` becomes the session's recorded duration in seconds;
//! - an agent execution is an [`Operation`] with id `agent_session_id` (text
//!   that is unique across databases), else its row `id`; the session is
//!   found through `orchestration_id` (a row id or a session id of the same
//!   file; in a one-session export executions without it belong to that
//!   session); the kind is the task it worked on (`task_id`, else
//!   `task <task_number>`, else `agent_execution`); `duration_ms` becomes
//!   seconds (else end minus start); `retry_count`, `self_healed` (bool or
//!   0/1), file counts and `error_message` are kept, and failures with a
//!   message get an error class from [`error_type_of`].
//!
//! SQLite writes times such as `2025-11-29 10:00:00` without a zone: they are
//! read as UTC, with one info diagnostic per field.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{syntax_error, Ctx, RawNum, RawText, RawTime};
use super::peek::Peek;
use super::seed003::{count_u32, count_u64, duration_ms_to_s, elements, span, Span};
use crate::model::{Operation, Outcome, Session, Sym};
use crate::Error;

const ORCH_KEYS: &[&str] = &[
    "task_description",
    "taskDescription",
    "total_tasks",
    "totalTasks",
    "completed_tasks",
    "completedTasks",
    "failed_tasks",
    "failedTasks",
    "git_commit_hash",
    "gitCommitHash",
    "plan_file_path",
    "planFilePath",
    "progress_file_path",
    "progressFilePath",
];

const EXEC_KEYS: &[&str] = &[
    "orchestration_id",
    "orchestrationId",
    "agent_session_id",
    "agentSessionId",
    "agent_name",
    "agentName",
    "task_number",
    "taskNumber",
    "retry_count",
    "retryCount",
    "self_healed",
    "selfHealed",
    "summary_report_path",
    "summaryReportPath",
    "session_log_path",
    "sessionLogPath",
];

/// Detects a monitor export: an orchestrations table (or one orchestration)
/// with the seed's columns, or an agent executions table with at least two
/// of its columns.
pub fn detect(p: &Peek) -> Result<(), String> {
    if p.has("orchestrations") && (p.has("agent_executions") || p.has("agentExecutions")) {
        return Ok(());
    }
    for key in ["orchestrations", "orchestration", "session"] {
        if p.child(key)
            .is_some_and(|keys| keys.iter().any(|k| ORCH_KEYS.contains(&k.as_str())))
        {
            return Ok(());
        }
    }
    for key in ["agent_executions", "agentExecutions", "executions"] {
        let hits = p.child(key).map_or(0, |keys| {
            keys.iter()
                .filter(|k| EXEC_KEYS.contains(&k.as_str()))
                .count()
        });
        if hits >= 2 {
            return Ok(());
        }
    }
    Err("no orchestrations or agent_executions table".to_string())
}

#[derive(Deserialize)]
struct Export<'a> {
    #[serde(borrow, default)]
    orchestrations: Option<&'a RawValue>,
    #[serde(borrow, default)]
    orchestration: Option<&'a RawValue>,
    #[serde(borrow, default)]
    session: Option<&'a RawValue>,
    #[serde(borrow, default, alias = "agentExecutions")]
    agent_executions: Option<&'a RawValue>,
    #[serde(borrow, default)]
    executions: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Orchestration<'a> {
    #[serde(borrow, default)]
    id: Option<RawText<'a>>,
    #[serde(borrow, default, alias = "sessionId")]
    session_id: Option<RawText<'a>>,
    #[serde(borrow, default, alias = "taskDescription")]
    task_description: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default, alias = "startedAt")]
    started_at: Option<RawTime<'a>>,
    #[serde(borrow, default, alias = "completedAt")]
    completed_at: Option<RawTime<'a>>,
    #[serde(default, alias = "durationMs")]
    duration_ms: Option<RawNum>,
    #[serde(default, alias = "totalTasks")]
    total_tasks: Option<RawNum>,
    #[serde(default, alias = "completedTasks")]
    completed_tasks: Option<RawNum>,
    #[serde(default, alias = "failedTasks")]
    failed_tasks: Option<RawNum>,
    #[serde(borrow, default, alias = "gitCommitHash")]
    git_commit_hash: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Execution<'a> {
    #[serde(borrow, default)]
    id: Option<RawText<'a>>,
    #[serde(borrow, default, alias = "orchestrationId")]
    orchestration_id: Option<RawText<'a>>,
    #[serde(borrow, default, alias = "agentSessionId")]
    agent_session_id: Option<RawText<'a>>,
    #[serde(borrow, default, alias = "agentName")]
    agent_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, alias = "taskId")]
    task_id: Option<RawText<'a>>,
    #[serde(default, alias = "taskNumber")]
    task_number: Option<RawNum>,
    #[serde(borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default, alias = "startedAt")]
    started_at: Option<RawTime<'a>>,
    #[serde(borrow, default, alias = "completedAt")]
    completed_at: Option<RawTime<'a>>,
    #[serde(default, alias = "durationMs")]
    duration_ms: Option<RawNum>,
    #[serde(default, alias = "retryCount")]
    retry_count: Option<RawNum>,
    #[serde(default, alias = "selfHealed")]
    self_healed: Option<RawBool>,
    #[serde(default, alias = "filesCreated")]
    files_created: Option<RawNum>,
    #[serde(default, alias = "filesModified")]
    files_modified: Option<RawNum>,
    #[serde(borrow, default, alias = "errorMessage")]
    error_message: Option<Cow<'a, str>>,
}

/// Imports a monitor export.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let export: Export = serde_json::from_slice(body).map_err(|e| syntax_error(&ctx.file, &e))?;
    let mut orchestrations = Vec::new();
    for raw in [export.orchestrations, export.orchestration]
        .into_iter()
        .flatten()
    {
        orchestrations.extend(elements(raw).map_err(|e| syntax_error(&ctx.file, &e))?);
    }
    // "session" is the orchestration object in some exports, its id in others.
    let mut session_hint = None;
    if let Some(raw) = export.session {
        if raw.get().trim_start().starts_with('{') {
            orchestrations.push(raw);
        } else if let Ok(RawText(id)) = serde_json::from_slice::<RawText>(raw.get().as_bytes()) {
            session_hint = Some(ctx.intern(&id));
        }
    }
    let mut executions = Vec::new();
    for raw in [export.agent_executions, export.executions]
        .into_iter()
        .flatten()
    {
        executions.extend(elements(raw).map_err(|e| syntax_error(&ctx.file, &e))?);
    }

    let mut record: u64 = 0;
    // Orchestration row id or session id -> session.
    let mut sessions: HashMap<String, Sym> = HashMap::new();
    let mut loaded_sessions = Vec::new();
    for raw in orchestrations {
        let rec = record;
        record += 1;
        match serde_json::from_slice::<Orchestration>(raw.get().as_bytes()) {
            Ok(o) => {
                if let Some(sym) = orchestration(ctx, rec, o, &mut sessions) {
                    loaded_sessions.push(sym);
                }
            }
            Err(e) => ctx.skip(rec, None, format!("orchestration: {e}")),
        }
    }
    let sole_session = match (loaded_sessions.as_slice(), session_hint) {
        ([only], _) => Some(*only),
        ([], hint) => hint,
        _ => None,
    };
    for raw in executions {
        let rec = record;
        record += 1;
        match serde_json::from_slice::<Execution>(raw.get().as_bytes()) {
            Ok(x) => execution(ctx, rec, x, &sessions, sole_session),
            Err(e) => ctx.skip(rec, None, format!("agent execution: {e}")),
        }
    }
    Ok(())
}

fn orchestration(
    ctx: &mut Ctx<'_>,
    rec: u64,
    o: Orchestration<'_>,
    sessions: &mut HashMap<String, Sym>,
) -> Option<Sym> {
    let Some(id_text) = o
        .session_id
        .as_ref()
        .or(o.id.as_ref())
        .map(|t| t.as_str().trim())
        .filter(|t| !t.is_empty())
    else {
        ctx.skip(
            rec,
            Some("session_id"),
            "orchestration without session_id or id",
        );
        return None;
    };
    let Span { start, end, .. } = match span(
        ctx,
        rec,
        ("started_at", o.started_at.as_ref()),
        ("completed_at", o.completed_at.as_ref()),
        ("duration_ms", o.duration_ms),
    ) {
        Ok(s) => s,
        Err((field, reason)) => {
            ctx.skip(rec, Some(field), reason);
            return None;
        }
    };
    // The session's own recorded duration only (not derived from its times).
    let duration = o.duration_ms.and_then(RawNum::get).map(duration_ms_to_s);
    let outcome = o
        .status
        .as_deref()
        .and_then(|s| ctx.outcome(rec, "status", s));
    let id = ctx.intern(id_text);
    for key in [o.id.as_ref(), o.session_id.as_ref()].into_iter().flatten() {
        sessions.insert(key.as_str().trim().to_string(), id);
    }
    let session = Session {
        id,
        source: ctx.source,
        start,
        end,
        duration,
        outcome,
        status: o.status.map(Cow::into_owned),
        mode: None,
        llm: None,
        description: o.task_description.map(Cow::into_owned),
        project: None,
        tasks_total: count_u64(ctx, rec, "total_tasks", o.total_tasks),
        tasks_completed: count_u64(ctx, rec, "completed_tasks", o.completed_tasks),
        tasks_failed: count_u64(ctx, rec, "failed_tasks", o.failed_tasks),
        commit: o.git_commit_hash.map(Cow::into_owned),
        current_phase: None,
        progress: None,
    };
    let added = ctx.ds.insert_session(session);
    ctx.inserted(added);
    Some(id)
}

fn execution(
    ctx: &mut Ctx<'_>,
    rec: u64,
    x: Execution<'_>,
    sessions: &HashMap<String, Sym>,
    sole_session: Option<Sym>,
) {
    let Some(id_text) = x
        .agent_session_id
        .as_ref()
        .or(x.id.as_ref())
        .map(|t| t.as_str().trim())
        .filter(|t| !t.is_empty())
    else {
        ctx.skip(
            rec,
            Some("id"),
            "agent execution without id or agent_session_id",
        );
        return;
    };
    let Some(status) = x.status.as_deref() else {
        ctx.skip(rec, Some("status"), "agent execution without status");
        return;
    };
    let Some(outcome) = Outcome::from_status(status) else {
        ctx.skip(rec, Some("status"), format!("unknown status {status:?}"));
        return;
    };
    let Span {
        start,
        end,
        duration,
    } = match span(
        ctx,
        rec,
        ("started_at", x.started_at.as_ref()),
        ("completed_at", x.completed_at.as_ref()),
        ("duration_ms", x.duration_ms),
    ) {
        Ok(s) => s,
        Err((field, reason)) => {
            ctx.skip(rec, Some(field), reason);
            return;
        }
    };
    let session = match x.orchestration_id.as_ref() {
        Some(o) => {
            let found = sessions.get(o.as_str().trim()).copied();
            if found.is_none() {
                ctx.warn(
                    Some(rec),
                    Some("orchestration_id"),
                    format!(
                        "orchestration {:?} is not in this file; the execution has no session",
                        o.as_str()
                    ),
                );
            }
            found
        }
        None => sole_session,
    };
    let agent_name = match x.agent_name.as_deref().map(str::trim) {
        Some(a) if !a.is_empty() => a,
        _ => {
            ctx.warn(
                Some(rec),
                Some("agent_name"),
                "no agent name; recorded as \"unknown\"",
            );
            "unknown"
        }
    };
    let kind_text = match (x.task_id.as_ref(), x.task_number.and_then(RawNum::get)) {
        (Some(t), _) if !t.as_str().trim().is_empty() => t.as_str().trim().to_string(),
        (_, Some(n)) => format!("task {n}"),
        _ => "agent_execution".to_string(),
    };
    let error_message = x
        .error_message
        .map(Cow::into_owned)
        .filter(|m| !m.trim().is_empty());
    let error_type = match (&error_message, outcome) {
        (Some(m), Outcome::Failure) => Some(ctx.intern(error_type_of(m))),
        _ => None,
    };
    let self_healed = match x.self_healed {
        Some(RawBool::Value(b)) => Some(b),
        Some(RawBool::Invalid) => {
            ctx.warn(
                Some(rec),
                Some("self_healed"),
                "not a boolean or 0/1; dropped",
            );
            None
        }
        None => None,
    };
    let retries = count_u32(ctx, rec, "retry_count", x.retry_count).unwrap_or(0);
    let files_created = count_u32(ctx, rec, "files_created", x.files_created);
    let files_modified = count_u32(ctx, rec, "files_modified", x.files_modified);
    let op = Operation {
        session,
        start,
        end,
        duration,
        retries,
        error_type,
        error_message,
        files_created,
        files_modified,
        self_healed,
        ..Operation::new(
            ctx.intern(id_text),
            ctx.source,
            ctx.intern(&kind_text),
            ctx.intern(agent_name),
            outcome,
        )
    };
    let added = ctx.ds.insert_operation(op);
    ctx.inserted(added);
}

/// The error class of an error message, by keywords (case-insensitive, first
/// match wins): `timeout`, `rate_limit`, `test_failure`, `lint_error`,
/// `type_error`, `build_error`, `syntax_error`, `merge_conflict`,
/// `permission_denied`, `not_found`, `network`, `out_of_memory`; anything
/// else is `other`.
pub fn error_type_of(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| m.contains(w));
    if has(&["timeout", "timed out", "time out", "deadline exceeded"]) {
        "timeout"
    } else if has(&[
        "rate limit",
        "rate-limit",
        "429",
        "too many requests",
        "quota",
    ]) {
        "rate_limit"
    } else if (has(&["test"]) && has(&["fail", "error", "assert"])) || has(&["assertion"]) {
        "test_failure"
    } else if has(&["lint", "eslint", "clippy", "prettier"]) {
        "lint_error"
    } else if has(&["typeerror", "type error", "ts2", "type check", "typecheck"]) {
        "type_error"
    } else if has(&["build", "compil", "tsc "]) {
        "build_error"
    } else if has(&["syntax"]) {
        "syntax_error"
    } else if has(&["conflict"]) {
        "merge_conflict"
    } else if has(&[
        "permission",
        "eacces",
        "eperm",
        "forbidden",
        "unauthorized",
        "401",
        "403",
    ]) {
        "permission_denied"
    } else if has(&["not found", "enoent", "no such file", "404"]) {
        "not_found"
    } else if has(&[
        "network",
        "econnrefused",
        "econnreset",
        "enotfound",
        "socket",
        "connection",
    ]) {
        "network"
    } else if has(&["out of memory", "heap", "oom"]) {
        "out_of_memory"
    } else {
        "other"
    }
}

/// A boolean as SQLite exports write it: true/false, 0/1, or that as text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RawBool {
    Value(bool),
    Invalid,
}

impl<'de> Deserialize<'de> for RawBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawBool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or 0/1")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawBool, E> {
                Ok(RawBool::Value(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawBool, E> {
                Ok(match v {
                    0 => RawBool::Value(false),
                    1 => RawBool::Value(true),
                    _ => RawBool::Invalid,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawBool, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawBool, E> {
                Ok(if v == 0.0 {
                    RawBool::Value(false)
                } else if v == 1.0 {
                    RawBool::Value(true)
                } else {
                    RawBool::Invalid
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawBool, E> {
                Ok(match v.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => RawBool::Value(true),
                    "false" | "0" | "no" => RawBool::Value(false),
                    _ => RawBool::Invalid,
                })
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawBool, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(RawBool::Invalid)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawBool, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(RawBool::Invalid)
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_classes() {
        assert_eq!(error_type_of("Timeout after 300s"), "timeout");
        assert_eq!(
            error_type_of("3 tests failed in UserServiceTest"),
            "test_failure"
        );
        assert_eq!(error_type_of("ESLint: 4 problems"), "lint_error");
        assert_eq!(error_type_of("ENOENT: no such file"), "not_found");
        assert_eq!(error_type_of("something odd"), "other");
    }

    #[test]
    fn booleans_from_sqlite() {
        let b: Vec<RawBool> =
            serde_json::from_str(r#"[0, 1, true, "1", 2, "maybe"]"#).unwrap_or_default();
        assert_eq!(
            b,
            vec![
                RawBool::Value(false),
                RawBool::Value(true),
                RawBool::Value(true),
                RawBool::Value(true),
                RawBool::Invalid,
                RawBool::Invalid
            ]
        );
    }
}
