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

mod fast;
pub mod wire;

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{syntax_error, Ctx, RawTime};
use super::peek::{Peek, Shape};
use super::pipeline;
use crate::model::{
    AgentProfile, Aggregate, AggregateScope, Communication, Dataset, DebuggingCycle, Interner,
    LlmConfig, Operation, Outcome, PatternAgent, PatternProfile, PipelineAttempt, Session, Sym,
    Timestamp, Tokens, WorkItem,
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
///
/// One pass over the bytes when the document is laid out as Baton writes
/// it (header first, lists in the format's order): records are read where
/// they stand, operations by the plain-layout reader when they allow it.
/// Anything else (lists in another order, a syntax error, a bad header)
/// undoes that pass and reads the document in two passes: every element
/// first as raw text, so that one bad element is skipped and the rest loads.
/// Both ways give the same dataset, counts and diagnostics.
pub fn import_json(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    json(ctx, body, Threads::Auto)
}

/// Imports a Baton document, parsing on a second thread if `threads` says so.
fn json(ctx: &mut Ctx<'_>, body: &[u8], threads: Threads) -> Result<(), Error> {
    let mark = ctx.checkpoint();
    if stream_document(ctx, body, threads.on(body.len())).is_some() {
        return Ok(());
    }
    ctx.restore(mark);
    import_json_two_pass(ctx, body)
}

/// The document read as whole first, its elements as raw text, then each
/// element on its own.
fn import_json_two_pass(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
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

/// Skips JSON whitespace from `i`.
fn ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(i) {
        i += 1;
    }
    i
}

/// The JSON value starting at `i` (after whitespace) as raw text, and the
/// offset just past it; None when it is not valid JSON.
fn raw_value(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let rest = b.get(i..)?;
    let mut de = serde_json::Deserializer::from_slice(rest);
    let raw = <&RawValue>::deserialize(&mut de).ok()?;
    let text = raw.get().as_bytes();
    let offset = (text.as_ptr() as usize).checked_sub(rest.as_ptr() as usize)?;
    Some((text, i + offset + text.len()))
}

/// A string without escapes starting at `i` (after whitespace), and the
/// offset just past it.
fn plain_string(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let i = ws(b, i);
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let len = memchr::memchr(b'"', b.get(i + 1..)?)?;
    let s = b.get(i + 1..i + 1 + len)?;
    if s.iter().any(|c| *c == b'\\' || *c < 0x20) {
        return None;
    }
    Some((s, i + len + 2))
}

/// Takes `c` at `i` (after whitespace).
fn expect(b: &[u8], i: usize, c: u8) -> Option<usize> {
    let i = ws(b, i);
    (b.get(i) == Some(&c)).then_some(i + 1)
}

/// What the one-pass document reader hands over to be loaded, in file order.
// Nearly every item is an operation: boxing it would cost an allocation each.
#[allow(clippy::large_enum_variant)]
enum DocItem<'a> {
    /// The operations list starts, with about this many records.
    Reserve(usize),
    /// An operation read by the plain-layout reader.
    Operation(Prepared<'a>),
    /// Any other record of the given kind, as raw text.
    Record(usize, &'a [u8]),
}

/// Reads a document in one pass when it is laid out as Baton writes it,
/// parsing on a second thread with `threaded`. None when it is not (the
/// caller then undoes what was loaded and reads it the general way, which
/// also reports any error).
fn stream_document(ctx: &mut Ctx<'_>, b: &[u8], threaded: bool) -> Option<()> {
    let mut rec: u64 = 0;
    let loaded = pipeline::run(
        threaded,
        |emit| scan_document(b, emit),
        |item| {
            match item {
                DocItem::Reserve(n) => reserve(ctx, n),
                DocItem::Operation(p) => {
                    let result = load_operation(ctx, rec, p);
                    loaded(ctx, rec, None, 1, Ok(result));
                    rec += 1;
                }
                DocItem::Record(kind, text) => {
                    record(ctx, rec, None, kind, text);
                    rec += 1;
                }
            }
            Ok::<(), std::convert::Infallible>(())
        },
    );
    match loaded {
        Ok(scanned) => scanned.flatten(),
        Err(never) => match never {},
    }
}

/// The one-pass reading of a document: hands each record to `emit`, in
/// file order; None as soon as the document is not laid out as expected.
fn scan_document<'a>(b: &'a [u8], emit: &mut dyn FnMut(DocItem<'a>) -> bool) -> Option<()> {
    // Operations are read as text: checked once here rather than string by
    // string (a document that is not UTF-8 is read by serde, which says where).
    let text = std::str::from_utf8(b).ok();
    let mut i = expect(b, 0, b'{')?;
    // Lists must come in the format's order, each at most once (the
    // general reader processes them in that order whatever the file's).
    let mut next_list = 0;
    let mut header_seen = [false; 2];
    if let Some(j) = expect(b, i, b'}') {
        return ws(b, j).eq(&b.len()).then_some(());
    }
    loop {
        let (key, j) = plain_string(b, i)?;
        i = expect(b, j, b':')?;
        match key {
            b"format" | b"version" => {
                let slot = header_seen.get_mut(usize::from(key == b"version"))?;
                if std::mem::replace(slot, true) {
                    return None;
                }
                let (value, j) = raw_value(b, i)?;
                i = j;
                let ok = match key {
                    b"format" => value == b"null" || value == b"\"baton\"",
                    _ => {
                        value == b"null"
                            || matches!(std::str::from_utf8(value).ok()?.parse::<u64>(),
                                Ok(v) if (1..=FORMAT_VERSION).contains(&v))
                    }
                };
                if !ok {
                    return None;
                }
            }
            _ => match LISTS.iter().position(|l| l.as_bytes() == key) {
                Some(kind) => {
                    if kind < next_list {
                        return None;
                    }
                    next_list = kind + 1;
                    i = scan_list(b, text, i, kind, emit)?;
                }
                // Other keys are ignored, as by the general reader.
                None => i = raw_value(b, i)?.1,
            },
        }
        let j = ws(b, i);
        match b.get(j) {
            Some(b',') => i = j + 1,
            Some(b'}') => return ws(b, j + 1).eq(&b.len()).then_some(()),
            _ => return None,
        }
    }
}

/// Operations read before room is made for the rest of the list.
const RESERVE_AFTER: usize = 1024;

/// Reads the array of records of one kind starting at `i`; returns the
/// offset past its closing bracket.
fn scan_list<'a>(
    b: &'a [u8],
    text: Option<&'a str>,
    i: usize,
    kind: usize,
    emit: &mut dyn FnMut(DocItem<'a>) -> bool,
) -> Option<usize> {
    let mut i = expect(b, i, b'[')?;
    if let Some(j) = expect(b, i, b']') {
        return Some(j);
    }
    let (start, mut count) = (i, 0usize);
    loop {
        count += 1;
        if kind == 1 && count == RESERVE_AFTER {
            // Room for the rest of the operations, from the size of the first
            // ones: in WebAssembly reserved memory is memory taken, so an
            // estimate from a fixed record size would cost up to half again.
            let per_record = i.saturating_sub(start) / RESERVE_AFTER;
            let rest = b.len().saturating_sub(i) / per_record.max(1);
            emit(DocItem::Reserve(rest + rest / 32));
        }
        let fast = match text {
            Some(text) if kind == 1 => fast::operation(text, i),
            _ => None,
        };
        i = match fast {
            Some((w, end)) => {
                emit(DocItem::Operation(prepare(w)));
                end
            }
            None => {
                let (raw, end) = raw_value(b, i)?;
                emit(DocItem::Record(kind, raw));
                end
            }
        };
        let j = ws(b, i);
        match b.get(j) {
            Some(b',') => i = j + 1,
            Some(b']') => return Some(j + 1),
            _ => return None,
        }
    }
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
    ndjson(ctx, body, true, Threads::Auto)
}

/// What the NDJSON reader hands over to be loaded, in file order.
// Nearly every item is an operation: boxing it would cost an allocation each.
#[allow(clippy::large_enum_variant)]
enum LineItem<'a> {
    /// An operation read by the plain-layout reader, with its line number.
    Operation(u64, Prepared<'a>),
    /// Any other line (header, other record, or not plain), with its number.
    Line(u64, &'a [u8]),
}

/// Imports Baton NDJSON; `plain` lets operations in the plain layout skip
/// serde and `threads` allows parsing on a second thread (both always on,
/// except in tests that compare the ways).
/// Where the piecewise document reader stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doc {
    /// Before the opening brace.
    Start,
    /// After the opening brace: a key or the closing brace.
    FirstKey,
    /// After a comma between members: a key.
    Key,
    /// After a list's key: its opening bracket.
    List(usize),
    /// After a list's opening bracket: an element or the closing bracket.
    FirstElement(usize),
    /// An element of a list.
    Element(usize),
    /// After an element: a comma or the closing bracket.
    AfterElement(usize),
    /// After a member's value: a comma or the closing brace.
    AfterValue,
    /// After the closing brace: only whitespace may follow.
    End,
}

/// What one step of the piecewise document reader did.
enum Step {
    /// Went on to the next state.
    Went,
    /// Needs more of the file to go on.
    More,
    /// The document is not laid out as Baton writes it.
    GiveUp,
}

/// The end of the string whose opening quote is at `i`; None if `b` ends first.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut k = i + 1;
    loop {
        let at = k + memchr::memchr2(b'"', b'\\', b.get(k..)?)?;
        if b.get(at) == Some(&b'"') {
            return Some(at + 1);
        }
        k = at + 2;
    }
}

/// The end of the JSON value starting at `i`, found from its brackets and
/// strings alone (serde validates it afterwards); None if `b` ends first.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    let (open, close) = match *b.get(i)? {
        b'"' => return string_end(b, i),
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        _ => {
            let rest = b.get(i..)?;
            let n = rest
                .iter()
                .position(|c| matches!(c, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'))?;
            return Some(i + n);
        }
    };
    // Other brackets inside are balanced, so only this kind is counted.
    let (mut depth, mut k) = (0usize, i);
    loop {
        let at = k + memchr::memchr3(b'"', open, close, b.get(k..)?)?;
        match b.get(at) {
            Some(b'"') => k = string_end(b, at)?,
            Some(c) if *c == open => {
                depth += 1;
                k = at + 1;
            }
            _ => {
                depth = depth.saturating_sub(1);
                k = at + 1;
                if depth == 0 {
                    return Some(k);
                }
            }
        }
    }
}

/// Reads a Baton document handed over piece by piece, loading each record as
/// soon as it is whole, under the rules of the one-pass reader (lists in the
/// format's order, each once; a valid header; nothing after the closing
/// brace). Ok(false) when the document does not follow them or is not valid
/// JSON: the caller then undoes what was loaded and reads the whole file the
/// general way, which also reports any error.
pub fn import_json_pieces(
    ctx: &mut Ctx<'_>,
    total_bytes: u64,
    first: Vec<u8>,
    next: &mut dyn FnMut() -> Result<Option<Vec<u8>>, Error>,
) -> Result<bool, Error> {
    let mut buf = first;
    let (mut pos, mut drained) = (0usize, 0u64);
    let mut state = Doc::Start;
    let (mut rec, mut next_list, mut header_seen) = (0u64, 0usize, [false; 2]);
    let (mut list_start, mut in_list) = (0u64, 0usize);
    let mut last = false;
    loop {
        loop {
            let b = buf.as_slice();
            let j = ws(b, pos);
            if state == Doc::End {
                if j < b.len() {
                    return Ok(false);
                }
                break;
            }
            if j >= b.len() {
                break;
            }
            let step = match state {
                Doc::FirstKey if b.get(j) == Some(&b'}') => {
                    pos = j + 1;
                    state = Doc::End;
                    Step::Went
                }
                Doc::Start => match b.get(j) {
                    Some(b'{') => {
                        pos = j + 1;
                        state = Doc::FirstKey;
                        Step::Went
                    }
                    _ => Step::GiveUp,
                },
                Doc::FirstKey | Doc::Key => {
                    if b.get(j) != Some(&b'"') {
                        return Ok(false);
                    }
                    let Some(key_end) =
                        memchr::memchr(b'"', b.get(j + 1..).unwrap_or_default()).map(|n| j + 1 + n)
                    else {
                        break;
                    };
                    let key = b.get(j + 1..key_end).unwrap_or_default();
                    if key.iter().any(|c| *c == b'\\' || *c < 0x20) {
                        return Ok(false);
                    }
                    let colon = ws(b, key_end + 1);
                    if colon >= b.len() {
                        break;
                    }
                    if b.get(colon) != Some(&b':') {
                        return Ok(false);
                    }
                    let v = ws(b, colon + 1);
                    if v >= b.len() {
                        break;
                    }
                    match LISTS.iter().position(|l| l.as_bytes() == key) {
                        Some(kind) if key != b"format" && key != b"version" => {
                            if kind < next_list {
                                return Ok(false);
                            }
                            next_list = kind + 1;
                            pos = v;
                            state = Doc::List(kind);
                            Step::Went
                        }
                        _ => {
                            if value_end(b, v).is_none() {
                                break;
                            }
                            let Some((value, end)) = raw_value(b, v) else {
                                return Ok(false);
                            };
                            if key == b"format" || key == b"version" {
                                let Some(slot) =
                                    header_seen.get_mut(usize::from(key == b"version"))
                                else {
                                    return Ok(false);
                                };
                                if std::mem::replace(slot, true) {
                                    return Ok(false);
                                }
                                let ok = match key {
                                    b"format" => value == b"null" || value == b"\"baton\"",
                                    _ => {
                                        value == b"null"
                                            || matches!(std::str::from_utf8(value).ok().map(str::parse::<u64>),
                                                Some(Ok(v)) if (1..=FORMAT_VERSION).contains(&v))
                                    }
                                };
                                if !ok {
                                    return Ok(false);
                                }
                            }
                            pos = end;
                            state = Doc::AfterValue;
                            Step::Went
                        }
                    }
                }
                Doc::List(kind) => match b.get(j) {
                    Some(b'[') => {
                        pos = j + 1;
                        state = Doc::FirstElement(kind);
                        (list_start, in_list) = (drained + pos as u64, 0);
                        Step::Went
                    }
                    _ => Step::GiveUp,
                },
                Doc::FirstElement(_) if b.get(j) == Some(&b']') => {
                    pos = j + 1;
                    state = Doc::AfterValue;
                    Step::Went
                }
                Doc::FirstElement(kind) | Doc::Element(kind) => {
                    let Some(end) = value_end(b, j) else {
                        break;
                    };
                    in_list += 1;
                    if kind == 1 && in_list == RESERVE_AFTER {
                        let at = drained + j as u64;
                        let per_record = at.saturating_sub(list_start) / RESERVE_AFTER as u64;
                        let rest = total_bytes.saturating_sub(at) / per_record.max(1);
                        let rest = usize::try_from(rest).unwrap_or(usize::MAX);
                        reserve(ctx, rest.saturating_add(rest / 32));
                    }
                    let element = b.get(j..end).unwrap_or_default();
                    let fast = match kind {
                        1 => std::str::from_utf8(element)
                            .ok()
                            .and_then(|t| fast::operation(t, 0))
                            .filter(|(_, e)| fast::only_ws(element, *e)),
                        _ => None,
                    };
                    match fast {
                        Some((w, _)) => {
                            let result = load_operation(ctx, rec, prepare(w));
                            loaded(ctx, rec, None, 1, Ok(result));
                        }
                        None => {
                            let Some((raw, raw_end)) = raw_value(b, j) else {
                                return Ok(false);
                            };
                            if raw_end != end {
                                return Ok(false);
                            }
                            record(ctx, rec, None, kind, raw);
                        }
                    }
                    rec += 1;
                    pos = end;
                    state = Doc::AfterElement(kind);
                    Step::Went
                }
                Doc::AfterElement(kind) => match b.get(j) {
                    Some(b',') => {
                        pos = j + 1;
                        state = Doc::Element(kind);
                        Step::Went
                    }
                    Some(b']') => {
                        pos = j + 1;
                        state = Doc::AfterValue;
                        Step::Went
                    }
                    _ => Step::GiveUp,
                },
                Doc::AfterValue => match b.get(j) {
                    Some(b',') => {
                        pos = j + 1;
                        state = Doc::Key;
                        Step::Went
                    }
                    Some(b'}') => {
                        pos = j + 1;
                        state = Doc::End;
                        Step::Went
                    }
                    _ => Step::GiveUp,
                },
                Doc::End => Step::More,
            };
            match step {
                Step::Went => {}
                Step::More => break,
                Step::GiveUp => return Ok(false),
            }
        }
        if last {
            return Ok(state == Doc::End);
        }
        match next()? {
            Some(piece) => {
                buf.drain(..pos);
                drained += pos as u64;
                pos = 0;
                buf.extend_from_slice(&piece);
            }
            None => last = true,
        }
    }
}

/// Imports Baton NDJSON handed over piece by piece, as a file is read in
/// chunks: the same records, line numbers and diagnostics as
/// [`import_ndjson`] on the whole file, without ever holding all of it (the
/// unfinished last line of a piece waits for the next). `total_bytes` sizes
/// the room made for operations; `next` gives the next piece, None at the end.
pub fn import_ndjson_pieces(
    ctx: &mut Ctx<'_>,
    total_bytes: u64,
    first: Vec<u8>,
    next: &mut dyn FnMut() -> Result<Option<Vec<u8>>, Error>,
) -> Result<(), Error> {
    let mut buf = first;
    // Room for the operations: the first piece's lines, scaled to the file.
    if !buf.is_empty() {
        let lines = memchr::memchr_iter(b'\n', &buf).count() as u128;
        let estimate = lines.saturating_mul(u128::from(total_bytes)) / buf.len() as u128;
        let estimate = usize::try_from(estimate).unwrap_or(usize::MAX);
        reserve(ctx, estimate.saturating_add(estimate / 32));
    }
    let (mut rec, mut lines_before) = (0u64, 0u64);
    loop {
        let more = next()?;
        let cut = match more {
            Some(_) => memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1),
            None => buf.len(),
        };
        let complete = buf.get(..cut).unwrap_or_default();
        pipeline::run(
            false,
            |emit| scan_lines_from(complete, true, lines_before, emit),
            |item| load_line(ctx, &mut rec, item),
        )?;
        lines_before += memchr::memchr_iter(b'\n', complete).count() as u64;
        match more {
            Some(piece) => {
                buf.drain(..cut);
                buf.extend_from_slice(&piece);
            }
            None => return Ok(()),
        }
    }
}

fn ndjson(ctx: &mut Ctx<'_>, body: &[u8], plain: bool, threads: Threads) -> Result<(), Error> {
    // Most lines of a big file are operations: room for one per line.
    reserve(ctx, memchr::memchr_iter(b'\n', body).count());
    let threaded = threads.on(body.len());
    let mark = threaded.then(|| ctx.checkpoint());
    let mut rec: u64 = 0;
    let scanned = pipeline::run(
        threaded,
        |emit| scan_lines(body, plain, emit),
        |item| load_line(ctx, &mut rec, item),
    )?;
    if let (None, Some(mark)) = (scanned, mark) {
        // The parser thread failed part-way: read again on this thread.
        ctx.restore(mark);
        return ndjson(ctx, body, plain, Threads::One);
    }
    Ok(())
}

/// Hands each non-blank line to `emit`, operations in the plain layout
/// already read; stops when `emit` says so.
fn scan_lines<'a>(body: &'a [u8], plain: bool, emit: &mut dyn FnMut(LineItem<'a>) -> bool) {
    scan_lines_from(body, plain, 0, emit);
}

/// [`scan_lines`] of a part of a file that starts after `lines_before` lines.
fn scan_lines_from<'a>(
    body: &'a [u8],
    plain: bool,
    lines_before: u64,
    emit: &mut dyn FnMut(LineItem<'a>) -> bool,
) {
    // Line ends found with SIMD search; the last line needs no newline.
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    let mut start = 0;
    for (i, end) in ends.enumerate() {
        let line = body.get(start..end).unwrap_or_default();
        start = end + 1;
        let line_no = lines_before + i as u64 + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // Fast path: the layout Baton writes needs no tag look-up.
        let item = if plain && line.starts_with(OPERATION_PREFIX) {
            match std::str::from_utf8(line)
                .ok()
                .and_then(|t| fast::operation(t, 0))
            {
                Some((w, end)) if fast::only_ws(line, end) => {
                    LineItem::Operation(line_no, prepare(w))
                }
                _ => LineItem::Line(line_no, line),
            }
        } else {
            LineItem::Line(line_no, line)
        };
        if !emit(item) {
            return;
        }
    }
}

/// Loads one NDJSON line; `rec` counts records (every non-blank line but
/// headers).
fn load_line(ctx: &mut Ctx<'_>, rec: &mut u64, item: LineItem<'_>) -> Result<(), Error> {
    let (line_no, line) = match item {
        LineItem::Operation(line_no, p) => {
            let result = load_operation(ctx, *rec, p);
            loaded(ctx, *rec, Some(line_no), 1, Ok(result));
            *rec += 1;
            return Ok(());
        }
        LineItem::Line(line_no, line) => (line_no, line),
    };
    let kind = if line.starts_with(OPERATION_PREFIX) {
        1
    } else {
        let tag: Tag = match serde_json::from_slice(line) {
            Ok(t) => t,
            Err(e) => {
                ctx.skip_line(*rec, line_no, None, e.to_string());
                *rec += 1;
                return Ok(());
            }
        };
        match tag.kind.as_ref().map(Text::as_str) {
            Some(t) => match TYPES.iter().position(|x| *x == t) {
                Some(k) => k,
                None => {
                    ctx.skip_line(
                        *rec,
                        line_no,
                        Some("type"),
                        format!("unknown record type {t:?}"),
                    );
                    *rec += 1;
                    return Ok(());
                }
            },
            None if tag.format.is_some() || tag.version.is_some() => {
                return check_header(ctx, tag.format.as_ref(), tag.version);
            }
            None => {
                ctx.skip_line(*rec, line_no, Some("type"), "record without \"type\"");
                *rec += 1;
                return Ok(());
            }
        }
    };
    record(ctx, *rec, Some(line_no), kind, line);
    *rec += 1;
    Ok(())
}

/// Whether a big file is parsed on a second thread while this one loads it.
#[derive(Clone, Copy)]
enum Threads {
    /// When the file is big and there is a second core (never on WebAssembly).
    Auto,
    /// Always this thread only.
    #[cfg_attr(not(test), allow(dead_code))]
    One,
    /// A second thread whatever the size (tests of small files).
    #[cfg_attr(not(test), allow(dead_code))]
    Two,
}

impl Threads {
    fn on(self, len: usize) -> bool {
        match self {
            Threads::Auto => pipeline::worth_a_thread(len),
            Threads::One => false,
            Threads::Two => true,
        }
    }
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
    loaded(ctx, rec, line, kind, result);
}

/// Counts a record parsed (or not) and loaded (or not).
fn loaded(
    ctx: &mut Ctx<'_>,
    rec: u64,
    line: Option<u64>,
    kind: usize,
    result: Result<Loaded, serde_json::Error>,
) {
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

/// Parsed times of a record.
type ParsedTime = Option<Result<(Timestamp, bool), String>>;

/// An operation record with what can be worked out of it without the
/// dataset (its times parsed, its names hashed), so that a parser thread can
/// do it while the loading thread loads earlier records.
struct Prepared<'a> {
    w: WireOperation<'a>,
    start: ParsedTime,
    end: ParsedTime,
    /// Hashes of id, session, parent, model, work item, error type, kind
    /// and agent (0 for an absent name).
    hash: [u64; 8],
}

fn prepare(w: WireOperation<'_>) -> Prepared<'_> {
    let h = |t: Option<&Text<'_>>| t.map_or(0, |t| Interner::hash(t.as_str()));
    Prepared {
        start: w.start.as_ref().map(|t| t.0.parse()),
        end: w.end.as_ref().map(|t| t.0.parse()),
        hash: [
            h(Some(&w.id)),
            h(w.session.as_ref()),
            h(w.parent.as_ref()),
            h(w.model.as_ref()),
            h(w.work_item.as_ref()),
            h(w.error_type.as_ref()),
            h(Some(&w.kind)),
            h(Some(&w.agent)),
        ],
        w,
    }
}

fn operation(ctx: &mut Ctx<'_>, rec: u64, w: WireOperation<'_>) -> Loaded {
    load_operation(ctx, rec, prepare(w))
}

/// Loads a prepared operation record.
fn load_operation(ctx: &mut Ctx<'_>, rec: u64, p: Prepared<'_>) -> Loaded {
    let Prepared {
        w,
        start,
        end,
        hash,
    } = p;
    let [h_id, h_session, h_parent, h_model, h_work_item, h_error_type, h_kind, h_agent] = hash;
    let id = match w.id.as_str() {
        s if s.trim_start().is_empty() => return Err(("id", "empty id".to_string())),
        s => ctx.ds.names.intern_hashed(s, h_id),
    };
    let duration = seconds(w.duration)?;
    let start = ctx.parsed_time(rec, "start", start);
    let end = ctx.parsed_time(rec, "end", end);
    ordered(start, end)?;
    let cost = match w.cost.map(Ctx::cost_usd) {
        Some(Err(reason)) => {
            ctx.warn(Some(rec), Some("cost"), format!("{reason}; dropped"));
            None
        }
        c => c.and_then(Result::ok),
    };
    let quality_score = bounded(ctx, rec, "quality_score", w.quality_score, SCORE);
    let mut sym =
        |t: Option<Text<'_>>, h: u64| t.map(|t| ctx.ds.names.intern_hashed(t.as_str(), h));
    let op = Operation {
        session: sym(w.session, h_session),
        parent: sym(w.parent, h_parent),
        model: sym(w.model, h_model),
        work_item: sym(w.work_item, h_work_item),
        start,
        end,
        duration,
        retries: w.retries,
        error_type: sym(w.error_type, h_error_type),
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
            ctx.ds.names.intern_hashed(w.kind.as_str(), h_kind),
            ctx.ds.names.intern_hashed(w.agent.as_str(), h_agent),
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

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod one_pass_tests {
    //! The one-pass readers (the document read in place, plain operation
    //! records read without serde) must give exactly what the general
    //! readers give: same records, names in the same order, same counts and
    //! diagnostics, same errors.
    use super::*;
    use crate::model::SourceId;

    /// Everything an import leaves behind, as text.
    fn outcome(
        bytes: &[u8],
        f: fn(&mut Ctx<'_>, &[u8]) -> Result<(), Error>,
    ) -> (String, Option<String>) {
        let mut ds = Dataset::new();
        let mut ctx = Ctx::new(&mut ds, SourceId(0), "file");
        let result = f(&mut ctx, bytes);
        let (counts, diagnostics, quality) = ctx.finish();
        let names: Vec<&str> = (0..ds.names.len())
            .map(|i| ds.name(Sym(i as u32)))
            .collect();
        let mut index: Vec<_> = ds.operation_index.iter().collect();
        index.sort();
        let mut sessions: Vec<_> = ds.session_index.iter().collect();
        sessions.sort();
        let mut items: Vec<_> = ds.work_item_index.iter().collect();
        items.sort();
        let lines = [
            format!("{:?}", ds.sessions),
            format!("{:?}", ds.operations),
            format!("{:?}", ds.work_items),
            format!("{:?}", ds.pipelines),
            format!("{:?}", ds.debugging),
            format!("{:?}", ds.communication),
            format!("{:?}", ds.agent_profiles),
            format!("{:?}", ds.patterns),
            format!("{:?}", ds.aggregates),
            format!("{index:?} {sessions:?} {items:?}"),
            format!("{names:?}"),
            format!("{counts:?}"),
            format!("{diagnostics:?}"),
            format!("{quality:?}"),
        ];
        (lines.join("\n"), result.err().map(|e| e.to_string()))
    }

    /// Asserts two outcomes are equal, showing the first line that differs.
    fn same(a: (String, Option<String>), b: (String, Option<String>), what: &[u8]) {
        let what = String::from_utf8_lossy(what);
        let what = what.get(..200).unwrap_or(&what);
        assert_eq!(a.1, b.1, "error for {what}");
        for (x, y) in a.0.lines().zip(b.0.lines()) {
            assert!(x == y, "for {what}:\n{x}\n!=\n{y}");
        }
    }

    fn fixture(path: &str) -> Vec<u8> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
        std::fs::read(format!("{root}{path}")).unwrap()
    }

    /// Documents the one-pass reader takes.
    fn in_order() -> Vec<Vec<u8>> {
        let mut sample = crate::sample::sample_dataset(3);
        // A duplicate of the first operation, with fields the first lacks.
        let mut dup = sample.operations[0].clone();
        dup.start = None;
        dup.quality_score = Some(50.0);
        sample.operations.push(dup);
        let bad = br#"{"format":"baton","version":1,
"sessions":[{"id":"s1","start":"2025-11-29T10:00:00"},{"id":""},{"id":"s1","mode":"m"}],
"operations":[
 {"id":"a","kind":"k","agent":"x","outcome":"success","duration":-1},
 {"id":"b","kind":"k","agent":"x","outcome":"success","retries":"two"},
 {"kind":"k","agent":"x","outcome":"success"},
 {"id":"c\u00e9","kind":"k","agent":"x","outcome":"failure","quality_score":140.5,"cost":-2},
 {"id":"d","kind":"k","agent":"y","outcome":"running","start":"2025-11-29T10:00:00","end":"2025-11-29T09:00:00Z"},
 {"id":"e","kind":"k","agent":"y","outcome":"success","start":"2025-11-29 10:00:00","duration":1e2, "extra": [1,{"a":2}]},
 {"id":"a","kind":"k2","agent":"z","outcome":"failure","model":"m","tokens":{"input":1}},
 {"id":"f","kind":"k","agent":"y","outcome":"success","start":1764410400}
],
"unknown":{"operations":[1,2]},
"aggregates":[{"scope":"agent","origin":"o"}]}"#;
        // Several blocks of the two-thread reader, with bad records among them.
        let mut big = export_json(&crate::sample::sample_operations(3000));
        big = big.replace("\"retries\":3", "\"retries\":-3");
        vec![
            fixture("baton/example.json"),
            export_json(&sample).into_bytes(),
            big.into_bytes(),
            bad.to_vec(),
            b"{}".to_vec(),
            br#" { "version" : 1 , "operations" : [ ] } "#.to_vec(),
        ]
    }

    /// Documents the one-pass reader hands to the general reader.
    fn out_of_order() -> Vec<Vec<u8>> {
        vec![
            // Lists in another order: the general reader loads sessions first.
            br#"{"operations":[{"id":"a","kind":"k","agent":"x","outcome":"success","session":"s2"}],"sessions":[{"id":"s1"}]}"#.to_vec(),
            // A list twice, a bad header after records, a syntax error late.
            br#"{"sessions":[{"id":"s1"}],"sessions":[]}"#.to_vec(),
            br#"{"sessions":[{"id":"s1"}],"format":"other"}"#.to_vec(),
            br#"{"sessions":[{"id":"s1"}],"version":2}"#.to_vec(),
            br#"{"operations":[{"id":"a","kind":"k","agent":"x","outcome":"success"},{"id":"b",]}"#.to_vec(),
            br#"{"operations":[{"id":"a","kind":"k","agent":"x","outcome":"success"}]} trailing"#.to_vec(),
            br#"{"operations":null}"#.to_vec(),
            b"[]".to_vec(),
            fixture("hostile/trailing_garbage.json"),
            fixture("hostile/truncated_mid_record.json"),
            fixture("hostile/stray_brace_in_array.json"),
            fixture("hostile/duplicate_keys.json"),
            fixture("hostile/invalid_utf8_in_string.json"),
        ]
    }

    #[test]
    fn document_read_in_place_equals_the_general_reader() {
        for (docs, one_pass) in [(in_order(), true), (out_of_order(), false)] {
            for doc in docs {
                for threaded in [false, true] {
                    let mut ds = Dataset::new();
                    let mut ctx = Ctx::new(&mut ds, SourceId(0), "file");
                    assert_eq!(
                        stream_document(&mut ctx, &doc, threaded).is_some(),
                        one_pass,
                        "{}",
                        String::from_utf8_lossy(&doc)
                    );
                }
                let general = outcome(&doc, import_json_two_pass);
                same(
                    outcome(&doc, |c, b| json(c, b, Threads::One)),
                    general.clone(),
                    &doc,
                );
                same(
                    outcome(&doc, |c, b| json(c, b, Threads::Two)),
                    general,
                    &doc,
                );
            }
        }
    }

    /// The analysis of what an import loaded, as JSON.
    fn analysis(bytes: &[u8], f: fn(&mut Ctx<'_>, &[u8]) -> Result<(), Error>) -> String {
        let mut ds = Dataset::new();
        let mut ctx = Ctx::new(&mut ds, SourceId(0), "file");
        f(&mut ctx, bytes).unwrap();
        let a = crate::analysis::analyze(&ds, &crate::analysis::AnalysisOptions::default());
        serde_json::to_string(&a).unwrap()
    }

    #[test]
    fn analysis_is_the_same_whichever_way_a_file_is_read() {
        let sample = crate::sample::sample_operations(3000);
        let doc = export_json(&sample).into_bytes();
        let general = analysis(&doc, import_json_two_pass);
        assert!(general.contains("\"agents\""));
        assert_eq!(analysis(&doc, |c, b| json(c, b, Threads::Two)), general);
        assert_eq!(analysis(&doc, |c, b| json(c, b, Threads::One)), general);
        let lines = export_ndjson(&sample).into_bytes();
        let general = analysis(&lines, |c, b| ndjson(c, b, false, Threads::One));
        assert_eq!(
            analysis(&lines, |c, b| ndjson(c, b, true, Threads::Two)),
            general
        );
    }

    /// A document handed over in pieces of `size` bytes; read again the
    /// general way if the piecewise reader gives up, as `import_pieces` does.
    fn doc_pieces(ctx: &mut Ctx<'_>, body: &[u8], size: usize) -> Result<bool, Error> {
        let mut parts = body.chunks(size.max(1)).map(<[u8]>::to_vec);
        let first = parts.next().unwrap_or_default();
        let mark = ctx.checkpoint();
        let read = import_json_pieces(ctx, body.len() as u64, first, &mut || Ok(parts.next()))?;
        if !read {
            ctx.restore(mark);
            import_json_two_pass(ctx, body)?;
        }
        Ok(read)
    }

    #[test]
    fn documents_in_pieces_give_what_the_whole_file_gives() {
        for (docs, as_they_arrive) in [(in_order(), true), (out_of_order(), false)] {
            for doc in docs {
                let general = outcome(&doc, import_json_two_pass);
                // Byte by byte only for small documents: a piece that ends an
                // element early costs a new scan of the element.
                let sizes: &[usize] = if doc.len() < 10_000 {
                    &[1, 7, 301, 65_536]
                } else {
                    &[7, 301, 65_536]
                };
                for &size in sizes {
                    let mut ds = Dataset::new();
                    let mut ctx = Ctx::new(&mut ds, SourceId(0), "file");
                    let read = doc_pieces(&mut ctx, &doc, size).ok();
                    let what = String::from_utf8_lossy(&doc);
                    if as_they_arrive {
                        assert_eq!(read, Some(true), "in pieces of {size}: {what}");
                    } else {
                        assert_ne!(read, Some(true), "in pieces of {size}: {what}");
                    }
                }
                same(
                    outcome(&doc, |c, b| doc_pieces(c, b, 7).map(|_| ())),
                    general.clone(),
                    &doc,
                );
                same(
                    outcome(&doc, |c, b| doc_pieces(c, b, 4096).map(|_| ())),
                    general,
                    &doc,
                );
            }
        }
    }

    /// NDJSON handed over in pieces of `size` bytes.
    fn pieces(ctx: &mut Ctx<'_>, body: &[u8], size: usize) -> Result<(), Error> {
        let mut parts = body.chunks(size.max(1)).map(<[u8]>::to_vec);
        let first = parts.next().unwrap_or_default();
        import_ndjson_pieces(ctx, body.len() as u64, first, &mut || Ok(parts.next()))
    }

    #[test]
    fn ndjson_in_pieces_gives_what_the_whole_file_gives() {
        let mut big = export_ndjson(&crate::sample::sample_operations(300));
        big = big.replace("\"retries\":3", "\"retries\":-3");
        let files = [
            big.into_bytes(),
            fixture("baton/example.ndjson"),
            fixture("hostile/odd_numbers.ndjson"),
            fixture("hostile/invalid_utf8_in_string.ndjson"),
            fixture("hostile/truncated_mid_record.ndjson"),
            fixture("hostile/crlf.ndjson"),
            fixture("hostile/header_mid_stream.ndjson"),
            fixture("hostile/hostile_names.ndjson"),
            b"\n\n{\"format\":\"baton\",\"version\":1}\n\n".to_vec(),
        ];
        for file in files {
            let whole = outcome(&file, |c, b| ndjson(c, b, true, Threads::One));
            // Pieces smaller than a line, about a line, and many lines long.
            same(outcome(&file, |c, b| pieces(c, b, 1)), whole.clone(), &file);
            same(outcome(&file, |c, b| pieces(c, b, 7)), whole.clone(), &file);
            same(
                outcome(&file, |c, b| pieces(c, b, 301)),
                whole.clone(),
                &file,
            );
            same(outcome(&file, |c, b| pieces(c, b, 65_536)), whole, &file);
        }
    }

    #[test]
    fn ndjson_read_in_any_way_gives_the_same() {
        let mut sample = crate::sample::sample_dataset(3);
        sample.operations[1].error_message = Some("quote \" and tab \t".into());
        sample.operations[2].quality_score = Some(101.0);
        let mut big = export_ndjson(&crate::sample::sample_operations(3000));
        big = big.replace("\"retries\":3", "\"retries\":-3");
        let files = [
            export_ndjson(&sample).into_bytes(),
            big.into_bytes(),
            fixture("baton/example.ndjson"),
            fixture("hostile/odd_numbers.ndjson"),
            fixture("hostile/huge_values.ndjson"),
            fixture("hostile/dup_within.ndjson"),
            fixture("hostile/timestamps.ndjson"),
            fixture("hostile/negative_duration.ndjson"),
            fixture("hostile/invalid_utf8_in_string.ndjson"),
            fixture("hostile/truncated_mid_record.ndjson"),
            fixture("hostile/crlf.ndjson"),
            fixture("hostile/header_mid_stream.ndjson"),
            fixture("hostile/dup_across_a.ndjson"),
            fixture("hostile/hostile_names.ndjson"),
            fixture("hostile/baton_scores_out_of_range.ndjson"),
        ];
        for file in files {
            let general = outcome(&file, |c, b| ndjson(c, b, false, Threads::One));
            same(outcome(&file, import_ndjson), general.clone(), &file);
            same(
                outcome(&file, |c, b| ndjson(c, b, true, Threads::Two)),
                general,
                &file,
            );
        }
    }
}
