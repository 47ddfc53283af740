//! Seed 003: the MetricsExporter's CSV export ("Excel/Google Sheets
//! compatible"), one task per row.
//!
//! The header is matched case-insensitively (spaces and dashes read as
//! underscores), with these columns and aliases; unknown columns are ignored:
//!
//! | column | aliases | becomes |
//! |---|---|---|
//! | `task_id` | `id`, `task` | operation id (else `<file>#<row>`, info) |
//! | `agent` | `agent_name`, `agent_type` | agent |
//! | `session_id` | `session` | session |
//! | `task_type` | `kind`, `operation` | kind (default `task`) |
//! | `result` | `status`, `outcome` | outcome by meaning |
//! | `started_at` | `start_time`, `start` | start |
//! | `timestamp` | `ended_at`, `end_time`, `completed_at`, `end`, `time` | end (start = end - duration when absent) |
//! | `duration_ms` | | duration in seconds |
//! | `duration_s` | `duration_seconds`, `duration_sec` | duration |
//! | `tokens` | `tokens_used`, `total_tokens` | total; beyond the categories it is uncategorized |
//! | `prompt_tokens` | `input_tokens` | input tokens |
//! | `completion_tokens` | `output_tokens` | output tokens |
//! | `files_created`, `files_modified` | | file counts |
//! | `error_message` | `error` | error text and class |
//!
//! A row whose number cell is not a number, or that is otherwise unusable,
//! is skipped with a diagnostic naming its row and line.

use super::common::{Ctx, RawNum, RawTime};
use super::peek::{Peek, Shape};
use super::seed003::{insert_task, TaskFields};
use crate::Error;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Agent,
    Session,
    Kind,
    Result,
    Start,
    End,
    DurationMs,
    DurationS,
    Tokens,
    Prompt,
    Completion,
    FilesCreated,
    FilesModified,
    Error,
}

fn column(name: &str) -> Option<Col> {
    let n = name
        .trim()
        .trim_start_matches('\u{feff}')
        .trim_matches('"')
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_");
    Some(match n.as_str() {
        "task_id" | "id" | "task" => Col::Id,
        "agent" | "agent_name" | "agent_type" => Col::Agent,
        "session_id" | "session" => Col::Session,
        "task_type" | "kind" | "operation" => Col::Kind,
        "result" | "status" | "outcome" => Col::Result,
        "started_at" | "start_time" | "start" => Col::Start,
        "timestamp" | "ended_at" | "end_time" | "completed_at" | "end" | "time" => Col::End,
        "duration_ms" => Col::DurationMs,
        "duration_s" | "duration_seconds" | "duration_sec" => Col::DurationS,
        "tokens" | "tokens_used" | "total_tokens" => Col::Tokens,
        "prompt_tokens" | "input_tokens" => Col::Prompt,
        "completion_tokens" | "output_tokens" => Col::Completion,
        "files_created" => Col::FilesCreated,
        "files_modified" => Col::FilesModified,
        "error_message" | "error" => Col::Error,
        _ => return None,
    })
}

/// Detects the CSV export from its header: an agent column, a result column
/// and at least one of task id, duration or tokens.
pub fn detect(p: &Peek) -> Result<(), String> {
    if p.shape != Shape::Other {
        return Err("not CSV".to_string());
    }
    let cols: Vec<Col> = p.first_line.split(',').filter_map(column).collect();
    let has = |c: Col| cols.contains(&c);
    if has(Col::Agent)
        && has(Col::Result)
        && [Col::Id, Col::DurationMs, Col::DurationS, Col::Tokens]
            .iter()
            .any(|&c| has(c))
    {
        Ok(())
    } else {
        Err("no CSV header with agent, result and task_id, duration or tokens".to_string())
    }
}

/// Imports the CSV export.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(body);
    let header = reader.headers().map_err(|e| csv_error(&ctx.file, &e))?;
    let cols: Vec<Option<Col>> = header.iter().map(column).collect();
    let mut row = csv::StringRecord::new();
    let mut index: u64 = 0;
    loop {
        let line_guess = reader.position().line();
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                let line = row.position().map_or(line_guess, |p| p.line());
                if row.iter().all(|c| c.trim().is_empty()) {
                    continue; // a blank line is not a record
                }
                import_row(ctx, index, line, &cols, &row);
            }
            Err(e) => {
                let line = e.position().map_or(line_guess, |p| p.line());
                ctx.skip_line(index, line, None, format!("unreadable row: {e}"));
            }
        }
        index += 1;
    }
    Ok(())
}

fn csv_error(file: &str, e: &csv::Error) -> Error {
    let (line, column) = e
        .position()
        .map_or((1, 1), |p| (p.line(), p.byte().saturating_add(1)));
    Error::Syntax {
        file: file.to_string(),
        line,
        column,
        reason: e.to_string(),
    }
}

fn import_row(
    ctx: &mut Ctx<'_>,
    index: u64,
    line: u64,
    cols: &[Option<Col>],
    row: &csv::StringRecord,
) {
    let cell = |c: Col| -> Option<&str> {
        let i = cols.iter().position(|&x| x == Some(c))?;
        row.get(i).map(str::trim).filter(|v| !v.is_empty())
    };
    let mut bad = None;
    let mut num = |c: Col, name: &'static str| -> Option<RawNum> {
        let text = cell(c)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(RawNum::Value(v)),
            _ => {
                bad.get_or_insert((name, format!("{name} {text:?} is not a number")));
                None
            }
        }
    };
    let duration_ms = num(Col::DurationMs, "duration_ms");
    let duration_s = num(Col::DurationS, "duration_s");
    let tokens_total = num(Col::Tokens, "tokens");
    let prompt = num(Col::Prompt, "prompt_tokens");
    let completion = num(Col::Completion, "completion_tokens");
    let files_created = num(Col::FilesCreated, "files_created");
    let files_modified = num(Col::FilesModified, "files_modified");
    if let Some((field, reason)) = bad {
        ctx.skip_line(index, line, Some(field), reason);
        return;
    }
    let duration_ms = duration_ms.or(duration_s.map(|s| match s {
        RawNum::Value(v) => RawNum::Value(v * 1000.0),
        RawNum::Invalid => RawNum::Invalid,
    }));
    let derived;
    let id = match cell(Col::Id) {
        Some(id) => id,
        None => {
            derived = format!("{}#{index}", ctx.file);
            ctx.info(
                Some(index),
                Some("task_id"),
                format!("row without task_id; given the id {derived:?}"),
            );
            derived.as_str()
        }
    };
    let time = |c: Col| cell(c).map(|t| RawTime::Text(Cow::Borrowed(t)));
    let fields = TaskFields {
        id,
        agent: cell(Col::Agent),
        session: cell(Col::Session),
        kind: cell(Col::Kind),
        result: cell(Col::Result),
        start: time(Col::Start),
        end: time(Col::End),
        duration_ms,
        tokens_total,
        prompt,
        completion,
        files_created,
        files_modified,
        error_message: cell(Col::Error),
    };
    insert_task(ctx, index, Some(line), fields);
}
