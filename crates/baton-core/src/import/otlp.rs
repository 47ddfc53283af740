//! OpenTelemetry traces as OTLP/JSON, as the collector's file exporter writes
//! them: one `TracesData` object per line (or one object for the whole file),
//! `resourceSpans` → `scopeSpans` → `spans`, ids in hex, 64-bit integers as
//! strings, times in `*UnixNano`.
//!
//! Every span is an [`Operation`](crate::model::Operation): its parent is the
//! parent span (the session tree the Sessions waterfall draws). Attributes
//! follow the GenAI semantic conventions, with OpenInference names accepted
//! as aliases:
//!
//! | canonical | attributes |
//! |---|---|
//! | kind | `gen_ai.operation.name`, else `openinference.span.kind`, else the span name |
//! | agent | `gen_ai.agent.name` / `gen_ai.agent.id` of the span or its nearest ancestor, else `service.name` |
//! | model | `gen_ai.response.model`, `gen_ai.request.model`, `llm.model_name` |
//! | session | `gen_ai.conversation.id` / `session.id` of the span or an ancestor, else the trace id |
//! | tokens | `gen_ai.usage.input_tokens` / `llm.token_count.prompt` (these include cached tokens, which are subtracted), `gen_ai.usage.output_tokens` / `llm.token_count.completion`, `gen_ai.usage.cache_read.input_tokens` / `llm.token_count.prompt_details.cache_read`, `gen_ai.usage.cache_creation.input_tokens` / `llm.token_count.prompt_details.cache_write` |
//! | cost | `llm.cost.total`, `gen_ai.usage.cost` |
//! | outcome | failure when `status.code` is 2 (`STATUS_CODE_ERROR`) or `error.type` is set; running when the span has no end |
//!
//! Record counts: each span is a record (imported, or a duplicate when a span
//! with the same id is already loaded); a span without a `spanId` is skipped;
//! a line that cannot be read is one skipped record.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::common::{epoch_number, Ctx, RawNum, RawText};
use super::peek::{Peek, Shape};
use super::spans::{blank_operation, finish, tokens_including_cache, SpanOp};
use crate::model::{Outcome, Sym, Timestamp};
use crate::Error;

/// Detects OTLP/JSON traces.
pub fn detect(p: &Peek) -> Result<(), String> {
    if !matches!(p.shape, Shape::Object | Shape::Lines) {
        return Err("not JSON objects".to_string());
    }
    if p.has("resourceSpans") {
        Ok(())
    } else {
        Err("no \"resourceSpans\" key".to_string())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TracesData<'a> {
    #[serde(rename = "resourceSpans", borrow)]
    resource_spans: Vec<ResourceSpans<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResourceSpans<'a> {
    #[serde(borrow)]
    resource: Option<Resource<'a>>,
    #[serde(rename = "scopeSpans", alias = "instrumentationLibrarySpans", borrow)]
    scope_spans: Vec<ScopeSpans<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Resource<'a> {
    #[serde(borrow)]
    attributes: Vec<KeyValue<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScopeSpans<'a> {
    #[serde(borrow)]
    spans: Vec<Span<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Span<'a> {
    #[serde(rename = "traceId", borrow)]
    trace_id: Option<Cow<'a, str>>,
    #[serde(rename = "spanId", borrow)]
    span_id: Option<Cow<'a, str>>,
    #[serde(rename = "parentSpanId", borrow)]
    parent_span_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(rename = "startTimeUnixNano")]
    start: Option<Nanos>,
    #[serde(rename = "endTimeUnixNano")]
    end: Option<Nanos>,
    #[serde(borrow)]
    attributes: Vec<KeyValue<'a>>,
    #[serde(borrow)]
    status: Option<Status<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Status<'a> {
    #[serde(borrow)]
    code: Option<RawText<'a>>,
    #[serde(borrow)]
    message: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct KeyValue<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow)]
    value: AnyValue<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnyValue<'a> {
    #[serde(rename = "stringValue", borrow)]
    string: Option<Cow<'a, str>>,
    #[serde(rename = "intValue")]
    int: Option<RawNum>,
    #[serde(rename = "doubleValue")]
    double: Option<RawNum>,
    #[serde(rename = "boolValue")]
    boolean: Option<bool>,
}

impl AnyValue<'_> {
    fn text(&self) -> Option<String> {
        if let Some(s) = self.string.as_deref() {
            return Some(s.to_string()).filter(|s| !s.trim().is_empty());
        }
        if let Some(n) = self.int.or(self.double).and_then(RawNum::get) {
            return Some(n.to_string());
        }
        self.boolean.map(|b| b.to_string())
    }

    fn number(&self) -> Option<f64> {
        self.int
            .or(self.double)
            .and_then(RawNum::get)
            .or_else(|| self.string.as_deref().and_then(|s| s.trim().parse().ok()))
            .filter(|n: &f64| n.is_finite())
    }

    fn count(&self) -> Option<u64> {
        self.number()
            .filter(|n| *n >= 0.0)
            .map(|n| n.round() as u64)
    }
}

/// Nanoseconds since the epoch, as a number or numeric text; 0 means unset.
#[derive(Clone, Copy, Default)]
struct Nanos(Option<u64>);

impl<'de> Deserialize<'de> for Nanos {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Nanos;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("nanoseconds as a number or text")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Nanos, E> {
                Ok(Nanos(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Nanos, E> {
                Ok(Nanos(u64::try_from(v).ok()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Nanos, E> {
                Ok(Nanos((0.0..1.8e19).contains(&v).then_some(v as u64)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Nanos, E> {
                Ok(Nanos(v.trim().parse().ok()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Nanos, E> {
                Ok(Nanos(None))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// What the attributes of one span say.
#[derive(Default)]
struct Attrs {
    operation: Option<String>,
    oi_kind: Option<String>,
    agent_name: Option<String>,
    agent_id: Option<String>,
    request_model: Option<String>,
    response_model: Option<String>,
    oi_model: Option<String>,
    provider: Option<String>,
    conversation: Option<String>,
    input: Option<u64>,
    output: Option<u64>,
    cache_read: Option<u64>,
    cache_write: Option<u64>,
    total: Option<u64>,
    cost: Option<f64>,
    error_type: Option<String>,
    genai: bool,
}

impl Attrs {
    fn read(attributes: &[KeyValue<'_>]) -> Attrs {
        let mut a = Attrs::default();
        for kv in attributes {
            let v = &kv.value;
            let key = kv.key.as_ref();
            if key.starts_with("gen_ai.") || key.starts_with("llm.") {
                a.genai = true;
            }
            match key {
                "gen_ai.operation.name" => a.operation = v.text(),
                "openinference.span.kind" => a.oi_kind = v.text().map(|s| s.to_ascii_lowercase()),
                "gen_ai.agent.name" | "agent.name" => a.agent_name = v.text(),
                "gen_ai.agent.id" => a.agent_id = v.text(),
                "gen_ai.request.model" => a.request_model = v.text(),
                "gen_ai.response.model" => a.response_model = v.text(),
                "llm.model_name" => a.oi_model = v.text(),
                "gen_ai.provider.name" => a.provider = v.text(),
                "gen_ai.system" | "llm.provider" | "llm.system" if a.provider.is_none() => {
                    a.provider = v.text()
                }
                "gen_ai.conversation.id" | "session.id" => a.conversation = v.text(),
                "gen_ai.usage.input_tokens"
                | "gen_ai.usage.prompt_tokens"
                | "llm.token_count.prompt" => a.input = v.count(),
                "gen_ai.usage.output_tokens"
                | "gen_ai.usage.completion_tokens"
                | "llm.token_count.completion" => a.output = v.count(),
                "gen_ai.usage.cache_read.input_tokens"
                | "gen_ai.usage.cache_read_input_tokens"
                | "llm.token_count.prompt_details.cache_read" => a.cache_read = v.count(),
                "gen_ai.usage.cache_creation.input_tokens"
                | "gen_ai.usage.cache_creation_input_tokens"
                | "llm.token_count.prompt_details.cache_write" => a.cache_write = v.count(),
                "llm.token_count.total" => a.total = v.count(),
                "llm.cost.total" | "gen_ai.usage.cost" => a.cost = v.number(),
                "error.type" => a.error_type = v.text(),
                _ => {}
            }
        }
        a
    }
}

/// Per-file figures for the data-quality section.
#[derive(Default)]
struct Stats {
    spans: u64,
    genai: u64,
    errors: u64,
    cached_subtracted: u64,
    clamped: u64,
    total_only: u64,
    traces: HashSet<Sym>,
    models: HashSet<Sym>,
}

/// Imports OTLP/JSON traces.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let mut spans = Vec::new();
    let mut stats = Stats::default();
    let mut record: u64 = 0;
    if super::peek::peek(body).shape == Shape::Object {
        let data: TracesData<'_> =
            serde_json::from_slice(body).map_err(|e| super::common::syntax_error(&ctx.file, &e))?;
        read(ctx, &data, &mut record, &mut spans, &mut stats);
    } else {
        for (i, raw) in body.split(|&b| b == b'\n').enumerate() {
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<TracesData<'_>>(raw) {
                Ok(data) => read(ctx, &data, &mut record, &mut spans, &mut stats),
                Err(e) => {
                    ctx.skip_line(
                        record,
                        i as u64 + 1,
                        None,
                        format!("not a readable TracesData line: {e}"),
                    );
                    record += 1;
                }
            }
        }
    }
    finish(ctx, spans);
    let q = &mut ctx.quality;
    q.push(("spans read".to_string(), stats.spans as f64));
    q.push(("GenAI spans".to_string(), stats.genai as f64));
    q.push(("traces".to_string(), stats.traces.len() as f64));
    q.push(("errors found".to_string(), stats.errors as f64));
    q.push((
        "cached tokens subtracted from input".to_string(),
        stats.cached_subtracted as f64,
    ));
    q.push((
        "spans whose input was fewer than cached tokens".to_string(),
        stats.clamped as f64,
    ));
    if stats.total_only > 0 {
        q.push((
            "spans with only a total token count".to_string(),
            stats.total_only as f64,
        ));
    }
    q.push(("models seen".to_string(), stats.models.len() as f64));
    Ok(())
}

fn non_empty<'s>(s: &'s Option<Cow<'_, str>>) -> Option<&'s str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A parent span id that is set: not empty and not all zeros.
fn parent_id<'s>(s: &'s Option<Cow<'_, str>>) -> Option<&'s str> {
    non_empty(s).filter(|p| p.bytes().any(|b| b != b'0'))
}

fn time(ctx: &mut Ctx<'_>, record: u64, field: &str, nanos: Option<Nanos>) -> Option<Timestamp> {
    let n = nanos.and_then(|n| n.0).filter(|n| *n > 0)?;
    // Integer division keeps full precision for the millisecond.
    let ms = n / 1_000_000;
    match epoch_number(ms as f64) {
        Ok(_) => i64::try_from(ms).ok().map(Timestamp),
        Err(reason) => {
            ctx.warn(Some(record), Some(field), reason);
            None
        }
    }
}

fn read(
    ctx: &mut Ctx<'_>,
    data: &TracesData<'_>,
    record: &mut u64,
    out: &mut Vec<SpanOp>,
    stats: &mut Stats,
) {
    for rs in &data.resource_spans {
        let service = rs
            .resource
            .as_ref()
            .and_then(|r| r.attributes.iter().find(|kv| kv.key == "service.name"))
            .and_then(|kv| kv.value.text());
        let service = service.map(|s| ctx.intern(&s));
        for ss in &rs.scope_spans {
            for span in &ss.spans {
                let rec = *record;
                *record += 1;
                if let Some(s) = one_span(ctx, rec, span, service, stats) {
                    out.push(s);
                }
            }
        }
    }
}

fn one_span(
    ctx: &mut Ctx<'_>,
    rec: u64,
    span: &Span<'_>,
    service: Option<Sym>,
    stats: &mut Stats,
) -> Option<SpanOp> {
    let Some(span_id) = non_empty(&span.span_id) else {
        ctx.skip(rec, Some("spanId"), "span without a spanId");
        return None;
    };
    stats.spans += 1;
    let a = Attrs::read(&span.attributes);
    if a.genai {
        stats.genai += 1;
    }
    let id = ctx.intern(span_id);
    let kind_text = a
        .operation
        .clone()
        .or(a.oi_kind.clone())
        .or_else(|| non_empty(&span.name).map(str::to_string))
        .unwrap_or_else(|| "span".to_string());
    let kind = ctx.intern(&kind_text);
    let placeholder = ctx.intern("unknown");
    let mut op = blank_operation(ctx, id, kind, placeholder);
    op.parent = parent_id(&span.parent_span_id).map(|p| ctx.intern(p));
    let model = a
        .response_model
        .as_ref()
        .or(a.request_model.as_ref())
        .or(a.oi_model.as_ref());
    op.model = model.map(|m| ctx.intern(m));
    if let Some(m) = op.model {
        stats.models.insert(m);
    }
    op.start = time(ctx, rec, "startTimeUnixNano", span.start);
    op.end = time(ctx, rec, "endTimeUnixNano", span.end);
    if let (Some(Some(s)), Some(Some(e))) = (span.start.map(|n| n.0), span.end.map(|n| n.0)) {
        if s > 0 && e >= s {
            op.duration = Some((e - s) as f64 / 1e9);
        } else if s > 0 && e > 0 {
            ctx.warn(
                Some(rec),
                Some("endTimeUnixNano"),
                "span ends before it starts",
            );
        }
    }
    let code = span.status.as_ref().and_then(|s| s.code.as_ref());
    let status_error = code.is_some_and(|c| {
        let c = c.as_str().trim();
        c == "2" || c.eq_ignore_ascii_case("STATUS_CODE_ERROR") || c.eq_ignore_ascii_case("ERROR")
    });
    op.outcome = if status_error || a.error_type.is_some() {
        stats.errors += 1;
        let t = a.error_type.clone().unwrap_or_else(|| "error".to_string());
        op.error_type = Some(ctx.intern(&t));
        op.error_message = span
            .status
            .as_ref()
            .and_then(|s| non_empty(&s.message))
            .map(super::claude::truncate);
        Outcome::Failure
    } else if op.end.is_none() {
        Outcome::Running
    } else {
        Outcome::Success
    };
    if let Some((tokens, clamped)) =
        tokens_including_cache(ctx, rec, a.input, a.output, a.cache_read, a.cache_write)
    {
        if clamped {
            stats.clamped += 1;
        }
        stats.cached_subtracted = stats
            .cached_subtracted
            .saturating_add(tokens.cache_read.saturating_add(tokens.cache_write));
        op.tokens = Some(tokens);
    } else if let Some(total) = a.total {
        // Only a total: kept, uncategorized.
        stats.total_only += 1;
        op.tokens_uncategorized = Some(total);
    }
    op.cost = a.cost.filter(|c| *c >= 0.0);
    let trace = ctx.intern(non_empty(&span.trace_id).unwrap_or("trace"));
    stats.traces.insert(trace);
    let own_agent = a
        .agent_name
        .as_ref()
        .or(a.agent_id.as_ref())
        .map(|s| ctx.intern(s));
    let own_session = a.conversation.as_ref().map(|s| ctx.intern(s));
    Some(SpanOp {
        op,
        trace,
        own_agent,
        fallback_agent: service,
        own_session,
        root_name: None,
        provider: a.provider,
    })
}
