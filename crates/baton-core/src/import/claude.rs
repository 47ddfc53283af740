//! Claude Code session transcripts and headless result records.
//!
//! Reads the JSONL files Claude Code keeps under
//! `~/.claude/projects/<encoded-cwd>/<sessionId>.jsonl`, the subagent files
//! under `<sessionId>/subagents/*.jsonl`, the `stream-json` output of
//! `claude -p`, and the single result object of `claude -p --output-format json`.
//!
//! Mapping:
//! - a [`Session`] per `sessionId` of a main transcript (start and end are the
//!   first and last line's times, the project is `cwd`, the description the
//!   `summary` line's text); subagent files add no session of their own;
//! - an [`Operation`] per assistant response. A response streamed as several
//!   lines sharing `requestId` (or `message.id` when `requestId` is empty) is
//!   one operation, with the usage of its last line. Its kind is `chat` or the
//!   first tool it called; its agent is `main`, the Task tool's
//!   `subagent_type` for a sidechain whose prompt matches a Task call (else
//!   `subagent`), or for subagent files (whose operations belong to the
//!   parent session) the `agentType` the parent transcript's Task result gives
//!   for the file's agent id, else the file's name (for instance `agent-abc`);
//!   the link holds whichever file loads first
//!   ([`Dataset::subagent_links`](crate::model::Dataset::subagent_links)).
//!   A subagent's operations have the Task call's operation as parent. It starts
//!   when the line before it in the same agent's stream was written (the
//!   prompt or tool result it answers) and ends at its last line;
//! - a `tool_result` with `is_error: true` marks the response that called the
//!   tool as failed (`tool_error`, message prefixed with the tool's name);
//!   an API error message (`isApiErrorMessage`) is a failed operation whose
//!   error type is the message's `error` code (for instance `rate_limit`), else
//!   `api_error`; the `system` / `api_error` retry lines before a response
//!   set its retries (the highest `retryAttempt`);
//! - a headless result record becomes the session's outcome and duration plus
//!   an [`Aggregate`] (origin `claude_result`) holding the recorded total cost,
//!   so the recorded figure can be shown beside the computed one.
//!
//! Tokens: Anthropic reports cache reads and writes apart from input, so they
//! are taken as they are (cache writes from `cache_creation_input_tokens`, or
//! the sum of its 5-minute and 1-hour parts).
//!
//! Record counts: every non-blank line (or the one object of a result file) is
//! a record.
//! - The first line of an assistant response is imported, its streamed
//!   continuation lines are duplicates (merged); an API error message is
//!   imported as its own operation.
//! - A user line with a session is imported: it bounds the session's time
//!   span, starts the next response's clock and may carry tool errors.
//! - A summary line is imported when it names a session of the file.
//! - A result record is imported, and so is a `system` / `api_error` retry line
//!   with a session.
//! - Anything else is skipped with a diagnostic: unparseable lines, lines
//!   without a session, synthetic assistant messages (no model call), and
//!   lines of types that carry no metrics (`system`, `file-history-snapshot`,
//!   ...; one diagnostic per type, with the count).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;

use super::common::{Ctx, RawNum, RawTime};
use super::peek::{Peek, Shape};
use crate::model::{
    Aggregate, AggregateScope, DiagnosticLevel, LlmConfig, Operation, Outcome, Session,
    SubagentLink, Sym, Timestamp, Tokens,
};
use crate::Error;

/// Longest error message kept, in characters.
const MAX_MESSAGE: usize = 500;

/// Detects a Claude Code transcript line or a headless result record.
pub fn detect(p: &Peek) -> Result<(), String> {
    if !matches!(p.shape, Shape::Object | Shape::Lines) {
        return Err("not JSON objects".to_string());
    }
    if !p.has("type") {
        return Err("no \"type\" key".to_string());
    }
    let transcript = p.has("sessionId")
        && (p.has("uuid") || p.has("message") || (p.has("operation") && p.has("content")));
    let stream = p.has("session_id")
        && (p.has("uuid") || p.has("message") || p.has("total_cost_usd") || p.has("num_turns"));
    let summary = p.has("summary") && p.has("leafUuid");
    let snapshot = p.has("snapshot") && p.has("messageId");
    if transcript || stream || summary || snapshot {
        Ok(())
    } else {
        Err("no sessionId with uuid or message, and no result record".to_string())
    }
}

/// One transcript line (or a result record), parsed without a value tree.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Line<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subtype: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<RawTime<'a>>,
    #[serde(rename = "sessionId", alias = "session_id", borrow)]
    session_id: Option<Cow<'a, str>>,
    #[serde(rename = "requestId", borrow)]
    request_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    uuid: Option<Cow<'a, str>>,
    #[serde(rename = "parentUuid", borrow)]
    parent_uuid: Option<Cow<'a, str>>,
    #[serde(rename = "isSidechain")]
    is_sidechain: Option<bool>,
    #[serde(rename = "isApiErrorMessage")]
    is_api_error: Option<bool>,
    #[serde(borrow)]
    cwd: Option<Cow<'a, str>>,
    #[serde(borrow)]
    message: Option<Message<'a>>,
    #[serde(rename = "costUSD")]
    cost_usd: Option<RawNum>,
    /// Error class of an API error message (text), or the error object of a retry line.
    #[serde(borrow)]
    error: MaybeText<'a>,
    #[serde(rename = "retryAttempt")]
    retry_attempt: Option<RawNum>,
    /// What a tool returned; for a Task call, the subagent's id and type.
    #[serde(rename = "toolUseResult", borrow)]
    tool_use_result: ObjectOr<TaskResult<'a>>,
    #[serde(rename = "durationMs")]
    duration_ms_old: Option<RawNum>,
    #[serde(borrow)]
    summary: Option<Cow<'a, str>>,
    #[serde(rename = "leafUuid", borrow)]
    leaf_uuid: Option<Cow<'a, str>>,
    // Headless result records.
    is_error: Option<bool>,
    duration_ms: Option<RawNum>,
    duration_api_ms: Option<RawNum>,
    num_turns: Option<RawNum>,
    total_cost_usd: Option<RawNum>,
    usage: Option<Usage>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Message<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: Option<Content<'a>>,
    usage: Option<Usage>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default)]
struct Usage {
    input_tokens: Option<RawNum>,
    output_tokens: Option<RawNum>,
    cache_creation_input_tokens: Option<RawNum>,
    cache_read_input_tokens: Option<RawNum>,
    cache_creation: Option<CacheCreation>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default)]
struct CacheCreation {
    ephemeral_5m_input_tokens: Option<RawNum>,
    ephemeral_1h_input_tokens: Option<RawNum>,
}

fn count(n: Option<RawNum>) -> Option<u64> {
    n.and_then(RawNum::get)
        .filter(|v| *v >= 0.0)
        .map(|v| v.round() as u64)
}

impl Usage {
    /// Tokens by category; cache categories are apart from input already.
    fn tokens(&self) -> Tokens {
        let cache_write = count(self.cache_creation_input_tokens).unwrap_or_else(|| {
            self.cache_creation
                .map(|c| {
                    count(c.ephemeral_5m_input_tokens)
                        .unwrap_or(0)
                        .saturating_add(count(c.ephemeral_1h_input_tokens).unwrap_or(0))
                })
                .unwrap_or(0)
        });
        Tokens {
            input: count(self.input_tokens).unwrap_or(0),
            output: count(self.output_tokens).unwrap_or(0),
            cache_read: count(self.cache_read_input_tokens).unwrap_or(0),
            cache_write,
        }
    }
}

/// The parts of a Task call's result that name its subagent.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TaskResult<'a> {
    #[serde(rename = "agentId", borrow)]
    agent_id: Option<Cow<'a, str>>,
    #[serde(rename = "agentType", borrow)]
    agent_type: Option<Cow<'a, str>>,
}

/// A value read when it is an object; anything else is passed over.
struct ObjectOr<T>(Option<T>);

impl<T> Default for ObjectOr<T> {
    fn default() -> Self {
        ObjectOr(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = ObjectOr<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| ObjectOr(Some(t)))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ObjectOr(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ObjectOr(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ObjectOr(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ObjectOr(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ObjectOr(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ObjectOr(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ObjectOr(None))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Text when the value is a string; anything else is passed over.
#[derive(Default)]
struct MaybeText<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for MaybeText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = MaybeText<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeText(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeText(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeText(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeText(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `message.content`: a string or an array of blocks.
enum Content<'a> {
    Text(Cow<'a, str>),
    Blocks(Vec<Block<'a>>),
    Other,
}

impl Content<'_> {
    fn blocks(&self) -> &[Block<'_>] {
        match self {
            Content::Blocks(b) => b,
            _ => &[],
        }
    }

    /// The text it carries: the string, or its text blocks joined.
    fn text(&self) -> String {
        match self {
            Content::Text(t) => t.to_string(),
            Content::Blocks(blocks) => blocks
                .iter()
                .filter_map(|b| b.text.as_deref())
                .collect::<Vec<_>>()
                .join("\n"),
            Content::Other => String::new(),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Content<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Content<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text or an array of content blocks")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Content::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Content::Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Content::Text(Cow::Owned(v)))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut blocks = Vec::new();
                while let Some(b) = seq.next_element::<Block<'a>>()? {
                    blocks.push(b);
                }
                Ok(Content::Blocks(blocks))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Content::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Content::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Content::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Content::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Content::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Content::Other)
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A content block: only what the metrics need.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Block<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    tool_use_id: Option<Cow<'a, str>>,
    is_error: Option<bool>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: Option<Box<Content<'a>>>,
    #[serde(borrow)]
    input: Option<ToolInput<'a>>,
}

/// The parts of a tool call's input that link a Task call to its subagent.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ToolInput<'a> {
    #[serde(borrow)]
    subagent_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    prompt: Option<Cow<'a, str>>,
}

/// An assistant response being assembled from its streamed lines.
struct Response {
    id: Sym,
    parent: Option<Sym>,
    session: Sym,
    agent: Sym,
    kind: Option<Sym>,
    model: Option<Sym>,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    usage: Option<Usage>,
    cost: Option<f64>,
    lines: u64,
    retries: u32,
    error: Option<(Sym, String)>,
}

/// A session being assembled from its lines.
struct SessionAcc {
    id: Sym,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    project: Option<String>,
    model: Option<String>,
    description: Option<String>,
}

/// Where a subagent file sits: `<sessionId>/subagents/<name>.jsonl`.
struct SubagentFile {
    session: Option<String>,
    agent: String,
}

fn subagent_file(name: &str) -> Option<SubagentFile> {
    let parts: Vec<&str> = name.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let n = parts.len();
    let dir = parts.get(n.checked_sub(2)?)?;
    if *dir != "subagents" {
        return None;
    }
    let file = parts.get(n - 1)?;
    let agent = file.strip_suffix(".jsonl").unwrap_or(file).to_string();
    let session = n
        .checked_sub(3)
        .and_then(|i| parts.get(i))
        .map(|s| s.to_string());
    Some(SubagentFile { session, agent })
}

/// Truncates a message to [`MAX_MESSAGE`] characters.
pub(crate) fn truncate(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(MAX_MESSAGE) {
        Some((i, _)) => format!("{}…", t.get(..i).unwrap_or(t)),
        None => t.to_string(),
    }
}

fn min_ts(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_ts(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

fn non_empty<'s>(s: &'s Option<Cow<'_, str>>) -> Option<&'s str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Import state of one file.
struct State {
    subagent: Option<SubagentFile>,
    main: Sym,
    chat: Sym,
    responses: Vec<Response>,
    response_index: HashMap<Sym, usize>,
    tool_uses: HashMap<Box<str>, (usize, Sym)>,
    task_prompts: HashMap<Box<str>, (Sym, Sym)>,
    sidechain_agents: HashMap<Box<str>, (Sym, Option<Sym>)>,
    stream_clock: HashMap<(Sym, Sym), Timestamp>,
    pending_retries: HashMap<(Sym, Sym), u32>,
    subagent_types: Vec<(Sym, SubagentLink)>,
    retry_lines: u64,
    sessions: Vec<SessionAcc>,
    session_index: HashMap<Sym, usize>,
    summaries: Vec<(u64, u64, String, Option<String>)>,
    pending_leaves: HashSet<Box<str>>,
    leaf_sessions: HashMap<Box<str>, Sym>,
    ignored_types: Vec<(String, u64, u64, u64)>,
    ignored_index: HashMap<String, usize>,
    models: HashSet<Sym>,
    sidechain_lines: u64,
    tool_errors: u64,
    api_errors: u64,
    recorded_cost: Option<f64>,
}

/// Imports a transcript, a stream-json output or a result record.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let chat = ctx.intern("chat");
    let main = ctx.intern("main");
    let mut st = State {
        subagent: subagent_file(&ctx.file),
        main,
        chat,
        responses: Vec::new(),
        response_index: HashMap::new(),
        tool_uses: HashMap::new(),
        task_prompts: HashMap::new(),
        sidechain_agents: HashMap::new(),
        stream_clock: HashMap::new(),
        pending_retries: HashMap::new(),
        subagent_types: Vec::new(),
        retry_lines: 0,
        sessions: Vec::new(),
        session_index: HashMap::new(),
        summaries: Vec::new(),
        pending_leaves: HashSet::new(),
        leaf_sessions: HashMap::new(),
        ignored_types: Vec::new(),
        ignored_index: HashMap::new(),
        models: HashSet::new(),
        sidechain_lines: 0,
        tool_errors: 0,
        api_errors: 0,
        recorded_cost: None,
    };
    let shape = super::peek::peek(body).shape;
    let mut records: u64 = 0;
    if shape == Shape::Object {
        // One object, possibly pretty-printed over many lines.
        match serde_json::from_slice::<Line<'_>>(body) {
            Ok(line) => st.line(ctx, 0, 1, line),
            Err(e) => return Err(super::common::syntax_error(&ctx.file, &e)),
        }
        records = 1;
    } else {
        for (i, raw) in body.split(|&b| b == b'\n').enumerate() {
            let line_no = i as u64 + 1;
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let rec = records;
            records += 1;
            match serde_json::from_slice::<Line<'_>>(raw) {
                Ok(line) => st.line(ctx, rec, line_no, line),
                Err(e) => ctx.skip_line(
                    rec,
                    line_no,
                    None,
                    format!("not a readable transcript line: {e}"),
                ),
            }
        }
    }
    st.finish(ctx, records);
    Ok(())
}

impl State {
    fn line(&mut self, ctx: &mut Ctx<'_>, rec: u64, line_no: u64, l: Line<'_>) {
        let kind = l.kind.as_deref().unwrap_or("");
        // Summaries reference a leaf line; remember which session holds it.
        if let Some(uuid) = non_empty(&l.uuid) {
            if self.pending_leaves.contains(uuid) {
                if let Some(s) = non_empty(&l.session_id) {
                    let sym = ctx.intern(s);
                    self.leaf_sessions.insert(uuid.into(), sym);
                }
            }
        }
        match kind {
            "assistant" => self.assistant(ctx, rec, line_no, l),
            "user" => self.user(ctx, rec, line_no, l),
            "summary" => {
                let text = l.summary.as_deref().unwrap_or("").trim().to_string();
                let leaf = non_empty(&l.leaf_uuid).map(str::to_string);
                if let Some(leaf) = &leaf {
                    self.pending_leaves.insert(leaf.as_str().into());
                }
                self.summaries.push((rec, line_no, text, leaf));
            }
            "result" => self.result(ctx, rec, line_no, l),
            "system" if l.subtype.as_deref() == Some("api_error") => {
                self.retry(ctx, rec, line_no, l)
            }
            "" => ctx.skip_line(rec, line_no, Some("type"), "line without a type"),
            other => {
                ctx.counts.read += 1;
                ctx.counts.skipped += 1;
                let entry = self
                    .ignored_index
                    .get(other)
                    .and_then(|&i| self.ignored_types.get_mut(i));
                match entry {
                    Some(entry) => entry.3 += 1,
                    None => {
                        self.ignored_index
                            .insert(other.to_string(), self.ignored_types.len());
                        self.ignored_types
                            .push((other.to_string(), rec, line_no, 1));
                    }
                }
            }
        }
    }

    /// The session a line belongs to: its own, or the parent of a subagent file.
    fn session_of(&self, l: &Line<'_>) -> Option<String> {
        non_empty(&l.session_id)
            .map(str::to_string)
            .or_else(|| self.subagent.as_ref().and_then(|s| s.session.clone()))
    }

    /// The agent a line belongs to and the Task call's operation that
    /// started it (for sidechains and subagent files).
    fn agent_of(&mut self, ctx: &mut Ctx<'_>, l: &Line<'_>) -> (Sym, Option<Sym>) {
        if let Some(sub) = &self.subagent {
            self.sidechain_lines += 1;
            let name = ctx.ds.intern(&sub.agent);
            // The parent transcript, if loaded first, named the subagent's
            // type and the call that started it.
            return match ctx.ds.subagent_links.get(&name) {
                Some(link) => (link.agent.unwrap_or(name), link.parent),
                None => (name, None),
            };
        }
        if l.is_sidechain != Some(true) {
            return (self.main, None);
        }
        self.sidechain_lines += 1;
        let from_parent = non_empty(&l.parent_uuid).and_then(|p| self.sidechain_agents.get(p));
        let link = match from_parent {
            Some(a) => *a,
            None => {
                let prompt = l
                    .message
                    .as_ref()
                    .and_then(|m| m.content.as_ref())
                    .map(Content::text);
                match prompt.and_then(|p| self.task_prompts.get(p.trim()).copied()) {
                    Some((agent, task)) => (agent, Some(task)),
                    None => (ctx.intern("subagent"), None),
                }
            }
        };
        if let Some(uuid) = non_empty(&l.uuid) {
            self.sidechain_agents.insert(uuid.into(), link);
        }
        link
    }

    /// Widens the session's span (main transcripts only).
    fn touch_session(
        &mut self,
        ctx: &mut Ctx<'_>,
        session: Sym,
        ts: Option<Timestamp>,
        l: &Line<'_>,
    ) {
        if self.subagent.is_some() {
            return;
        }
        let i = match self.session_index.get(&session) {
            Some(&i) => i,
            None => {
                self.session_index.insert(session, self.sessions.len());
                self.sessions.push(SessionAcc {
                    id: session,
                    start: None,
                    end: None,
                    project: None,
                    model: None,
                    description: None,
                });
                self.sessions.len() - 1
            }
        };
        let _ = ctx;
        if let Some(acc) = self.sessions.get_mut(i) {
            acc.start = min_ts(acc.start, ts);
            acc.end = max_ts(acc.end, ts);
            if acc.project.is_none() {
                acc.project = non_empty(&l.cwd).map(str::to_string);
            }
            if acc.model.is_none() {
                acc.model = l
                    .message
                    .as_ref()
                    .and_then(|m| non_empty(&m.model))
                    .filter(|m| !m.starts_with('<'))
                    .map(str::to_string);
            }
        }
    }

    fn assistant(&mut self, ctx: &mut Ctx<'_>, rec: u64, line_no: u64, l: Line<'_>) {
        let Some(session) = self.session_of(&l) else {
            ctx.skip_line(
                rec,
                line_no,
                Some("sessionId"),
                "assistant line without a sessionId",
            );
            return;
        };
        let Some(msg) = l.message.as_ref() else {
            ctx.skip_line(
                rec,
                line_no,
                Some("message"),
                "assistant line without a message",
            );
            return;
        };
        let model = non_empty(&msg.model);
        let synthetic = model.is_some_and(|m| m.starts_with('<'));
        let api_error = l.is_api_error == Some(true);
        if synthetic && !api_error {
            ctx.skip_line(
                rec,
                line_no,
                Some("message.model"),
                "synthetic message written by the client, not a model call",
            );
            return;
        }
        let key = if api_error {
            non_empty(&l.uuid).or_else(|| non_empty(&msg.id))
        } else {
            non_empty(&l.request_id).or_else(|| non_empty(&msg.id))
        };
        let Some(key) = key else {
            ctx.skip_line(
                rec,
                line_no,
                Some("requestId"),
                "assistant line without a requestId or message.id",
            );
            return;
        };
        let ts = ctx.time(rec, "timestamp", l.timestamp.as_ref());
        let session = ctx.intern(&session);
        let (agent, parent) = self.agent_of(ctx, &l);
        let id = ctx.intern(key);
        let model = if synthetic {
            None
        } else {
            model.map(|m| ctx.intern(m))
        };
        if let Some(m) = model {
            self.models.insert(m);
        }
        let idx = match self.response_index.get(&id) {
            Some(&i) => i,
            None => {
                let start = self.stream_clock.get(&(session, agent)).copied().or(ts);
                let retries = self.pending_retries.remove(&(session, agent)).unwrap_or(0);
                self.response_index.insert(id, self.responses.len());
                self.responses.push(Response {
                    id,
                    parent,
                    session,
                    agent,
                    kind: None,
                    model: None,
                    start,
                    end: None,
                    usage: None,
                    cost: None,
                    lines: 0,
                    retries,
                    error: None,
                });
                self.responses.len() - 1
            }
        };
        let mut tool_names = Vec::new();
        for b in msg.content.as_ref().map(|c| c.blocks()).unwrap_or(&[]) {
            if b.kind.as_deref() != Some("tool_use") {
                continue;
            }
            let name = non_empty(&b.name).unwrap_or("tool");
            let name_sym = ctx.intern(name);
            tool_names.push(name_sym);
            if let Some(tid) = non_empty(&b.id) {
                self.tool_uses.insert(tid.into(), (idx, name_sym));
            }
            if let Some(p) = b.input.as_ref().and_then(|i| non_empty(&i.prompt)) {
                let t = b
                    .input
                    .as_ref()
                    .and_then(|i| non_empty(&i.subagent_type))
                    .unwrap_or("subagent");
                let t = ctx.intern(t);
                self.task_prompts.insert(p.into(), (t, id));
            }
        }
        let error_text = if api_error {
            Some(msg.content.as_ref().map(Content::text).unwrap_or_default())
        } else {
            None
        };
        if let Some(r) = self.responses.get_mut(idx) {
            r.lines += 1;
            r.end = max_ts(r.end, ts);
            r.start = min_ts(r.start, ts);
            if r.model.is_none() {
                r.model = model;
            }
            if r.kind.is_none() {
                r.kind = tool_names.first().copied();
            }
            // The last line of a streamed response carries the final usage.
            if let Some(u) = msg.usage {
                r.usage = Some(u);
            }
            if let Some(c) = l.cost_usd.and_then(RawNum::get) {
                r.cost = Some(c);
            }
            if let (Some(t), Some(d)) = (ts, l.duration_ms_old.and_then(RawNum::get)) {
                if r.lines == 1 && d >= 0.0 {
                    r.start = Some(Timestamp(t.0 - d.round() as i64));
                }
            }
            if let Some(text) = error_text {
                r.usage = None;
                if r.error.is_none() {
                    self.api_errors += 1;
                    let kind = l
                        .error
                        .0
                        .as_deref()
                        .map(str::trim)
                        .filter(|e| !e.is_empty());
                    let kind = ctx.ds.intern(kind.unwrap_or("api_error"));
                    r.error = Some((kind, truncate(&text)));
                }
            }
        }
        if let Some(t) = ts {
            self.stream_clock.insert((session, agent), t);
        }
        self.touch_session(ctx, session, ts, &l);
    }

    fn user(&mut self, ctx: &mut Ctx<'_>, rec: u64, line_no: u64, l: Line<'_>) {
        let Some(session) = self.session_of(&l) else {
            ctx.skip_line(
                rec,
                line_no,
                Some("sessionId"),
                "user line without a sessionId",
            );
            return;
        };
        let ts = ctx.time(rec, "timestamp", l.timestamp.as_ref());
        let session = ctx.intern(&session);
        let (agent, _) = self.agent_of(ctx, &l);
        let blocks = l
            .message
            .as_ref()
            .and_then(|m| m.content.as_ref())
            .map(|c| c.blocks())
            .unwrap_or(&[]);
        // A Task call's result names the subagent run it started.
        if let Some(task) = &l.tool_use_result.0 {
            if let Some(run) = non_empty(&task.agent_id) {
                let own = ctx.intern(&format!("agent-{run}"));
                let kind = non_empty(&task.agent_type).map(|k| ctx.intern(k));
                let parent = blocks
                    .iter()
                    .filter_map(|b| non_empty(&b.tool_use_id))
                    .find_map(|t| self.tool_uses.get(t))
                    .and_then(|&(idx, _)| self.responses.get(idx))
                    .map(|r| r.id);
                self.subagent_types.push((
                    own,
                    SubagentLink {
                        agent: kind,
                        parent,
                    },
                ));
            }
        }
        for b in blocks {
            if b.kind.as_deref() != Some("tool_result") || b.is_error != Some(true) {
                continue;
            }
            self.tool_errors += 1;
            let Some(tid) = non_empty(&b.tool_use_id) else {
                ctx.warn(
                    Some(rec),
                    Some("tool_use_id"),
                    "tool error without a tool_use_id",
                );
                continue;
            };
            let Some(&(idx, tool)) = self.tool_uses.get(tid) else {
                ctx.warn(
                    Some(rec),
                    Some("tool_use_id"),
                    format!("tool error for {tid}, a tool call not in this file"),
                );
                continue;
            };
            let text = b.content.as_deref().map(Content::text).unwrap_or_default();
            let tool_name = ctx.ds.name(tool).to_string();
            let kind = ctx.intern("tool_error");
            if let Some(r) = self.responses.get_mut(idx) {
                if r.error.is_none() {
                    r.error = Some((kind, truncate(&format!("{tool_name}: {text}"))));
                }
            }
        }
        if let Some(t) = ts {
            self.stream_clock.insert((session, agent), t);
        }
        self.touch_session(ctx, session, ts, &l);
        ctx.imported();
    }

    /// A retry of a failing API call: counted as a retry of the stream's next response.
    fn retry(&mut self, ctx: &mut Ctx<'_>, rec: u64, line_no: u64, l: Line<'_>) {
        let Some(session) = self.session_of(&l) else {
            ctx.skip_line(
                rec,
                line_no,
                Some("sessionId"),
                "retry line without a sessionId",
            );
            return;
        };
        let ts = ctx.time(rec, "timestamp", l.timestamp.as_ref());
        let session = ctx.intern(&session);
        let (agent, _) = self.agent_of(ctx, &l);
        let attempt = count(l.retry_attempt).map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX));
        let pending = self.pending_retries.entry((session, agent)).or_insert(0);
        *pending = (*pending).max(attempt);
        self.retry_lines += 1;
        self.touch_session(ctx, session, ts, &l);
        ctx.imported();
    }

    fn result(&mut self, ctx: &mut Ctx<'_>, rec: u64, line_no: u64, l: Line<'_>) {
        let Some(session) = self.session_of(&l) else {
            ctx.skip_line(
                rec,
                line_no,
                Some("session_id"),
                "result record without a session_id",
            );
            return;
        };
        let id = ctx.intern(&session);
        let failed = l.is_error == Some(true)
            || l.subtype.as_deref().is_some_and(|s| s.starts_with("error"));
        let outcome = if failed {
            Outcome::Failure
        } else {
            Outcome::Success
        };
        let duration = l
            .duration_ms
            .and_then(RawNum::get)
            .filter(|d| *d >= 0.0)
            .map(|d| d / 1000.0);
        let cost = l.total_cost_usd.and_then(RawNum::get);
        if let Some(c) = cost {
            self.recorded_cost = Some(self.recorded_cost.unwrap_or(0.0) + c);
        }
        let end = ctx.time(rec, "timestamp", l.timestamp.as_ref());
        ctx.ds.insert_session(Session {
            id,
            source: ctx.source,
            start: None,
            end,
            duration,
            outcome: Some(outcome),
            status: l.subtype.as_deref().map(str::to_string),
            mode: Some("headless".to_string()),
            llm: None,
            description: None,
            project: None,
            tasks_total: None,
            tasks_completed: None,
            tasks_failed: None,
            commit: None,
            current_phase: None,
            progress: None,
        });
        let tokens = l.usage.map(|u| u.tokens());
        let mut extra = Vec::new();
        if let Some(n) = count(l.num_turns) {
            extra.push(("num_turns".to_string(), n.to_string()));
        }
        if let Some(d) = l.duration_api_ms.and_then(RawNum::get) {
            extra.push((
                "duration_api_seconds".to_string(),
                format!("{}", d / 1000.0),
            ));
        }
        if let Some(s) = l.subtype.as_deref() {
            extra.push(("subtype".to_string(), s.to_string()));
        }
        ctx.ds.aggregates.push(Aggregate {
            source: ctx.source,
            scope: AggregateScope::Session(session),
            origin: "claude_result".to_string(),
            period_start: None,
            period_end: end,
            period_days: None,
            count: None,
            success_count: None,
            success_rate: None,
            error_rate: None,
            avg_duration: duration,
            cache_hit_rate: None,
            total_cost: cost,
            avg_cost_per_operation: None,
            total_tokens: tokens.map(|t| t.total()),
            tokens,
            sessions: Some(1),
            extra,
        });
        ctx.imported();
    }

    fn finish(mut self, ctx: &mut Ctx<'_>, records: u64) {
        // Summaries name the session holding their leaf line, else the file's.
        let fallback = self.sessions.first().map(|s| s.id);
        for (rec, line_no, text, leaf) in std::mem::take(&mut self.summaries) {
            let session = leaf
                .as_deref()
                .and_then(|l| self.leaf_sessions.get(l).copied())
                .or(fallback);
            let acc = session
                .and_then(|s| self.session_index.get(&s).copied())
                .and_then(|i| self.sessions.get_mut(i));
            match acc {
                Some(acc) if !text.is_empty() => {
                    if acc.description.is_none() {
                        acc.description = Some(text);
                    }
                    ctx.imported();
                }
                _ => ctx.skip_line(
                    rec,
                    line_no,
                    Some("leafUuid"),
                    "summary of no session in this file",
                ),
            }
        }
        for (kind, rec, line_no, n) in std::mem::take(&mut self.ignored_types) {
            ctx.diagnose(
                DiagnosticLevel::Skipped,
                Some(rec),
                Some(line_no),
                Some("type"),
                format!(
                    "line type {kind:?} carries no metrics ({n} line{} of this type skipped)",
                    if n == 1 { "" } else { "s" }
                ),
            );
        }
        for acc in std::mem::take(&mut self.sessions) {
            let llm = acc.model.map(|m| LlmConfig {
                provider: Some("anthropic".to_string()),
                model: Some(m),
                temperature: None,
            });
            ctx.ds.insert_session(Session {
                id: acc.id,
                source: ctx.source,
                start: acc.start,
                end: acc.end,
                duration: None,
                outcome: None,
                status: None,
                mode: None,
                llm,
                description: acc.description,
                project: acc.project,
                tasks_total: None,
                tasks_completed: None,
                tasks_failed: None,
                commit: None,
                current_phase: None,
                progress: None,
            });
        }
        // Subagent files loaded before this transcript get their type and
        // parent now; those loaded after look them up.
        if !self.subagent_types.is_empty() {
            let mut renamed = HashMap::new();
            for (own, link) in std::mem::take(&mut self.subagent_types) {
                ctx.ds.subagent_links.insert(own, link);
                renamed.insert(own, link);
            }
            for op in &mut ctx.ds.operations {
                if let Some(link) = renamed.get(&op.agent) {
                    if let Some(kind) = link.agent {
                        op.agent = kind;
                    }
                    if op.parent.is_none() {
                        op.parent = link.parent;
                    }
                }
            }
        }
        let mut merged: u64 = 0;
        for r in std::mem::take(&mut self.responses) {
            let duration = match (r.start, r.end) {
                (Some(s), Some(e)) if e >= s => Some((e.0 - s.0) as f64 / 1000.0),
                _ => None,
            };
            let (outcome, error_type, error_message) = match r.error {
                Some((t, m)) => (Outcome::Failure, Some(t), Some(m)),
                None => (Outcome::Success, None, None),
            };
            let lines = r.lines;
            let added = ctx.ds.insert_operation(Operation {
                session: Some(r.session),
                parent: r.parent,
                model: r.model,
                start: r.start,
                end: r.end,
                duration,
                retries: r.retries,
                error_type,
                error_message,
                tokens: r.usage.map(|u| u.tokens()),
                cost: r.cost,
                ..Operation::new(
                    r.id,
                    ctx.source,
                    r.kind.unwrap_or(self.chat),
                    r.agent,
                    outcome,
                )
            });
            ctx.counts.read += lines;
            if added {
                ctx.counts.imported += 1;
                ctx.counts.duplicates += lines.saturating_sub(1);
            } else {
                ctx.counts.duplicates += lines;
            }
            merged += lines.saturating_sub(1);
        }
        let q = &mut ctx.quality;
        q.push(("lines read".to_string(), records as f64));
        q.push(("streamed duplicates merged".to_string(), merged as f64));
        q.push((
            "sidechain and subagent lines attributed".to_string(),
            self.sidechain_lines as f64,
        ));
        q.push(("tool errors found".to_string(), self.tool_errors as f64));
        q.push(("API errors found".to_string(), self.api_errors as f64));
        q.push(("API retries".to_string(), self.retry_lines as f64));
        q.push(("models seen".to_string(), self.models.len() as f64));
        if let Some(c) = self.recorded_cost {
            q.push(("recorded total cost USD".to_string(), c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subagent_paths() {
        let s = subagent_file("projects/-home-dev-app/s1/subagents/agent-abc.jsonl");
        assert_eq!(s.as_ref().map(|s| s.agent.as_str()), Some("agent-abc"));
        assert_eq!(s.and_then(|s| s.session).as_deref(), Some("s1"));
        assert!(subagent_file("s1.jsonl").is_none());
        assert!(subagent_file("subagents/a.jsonl").is_some_and(|s| s.session.is_none()));
    }

    #[test]
    fn truncates_on_char_boundaries() {
        let long = "é".repeat(600);
        let t = truncate(&long);
        assert_eq!(t.chars().count(), MAX_MESSAGE + 1);
    }
}
