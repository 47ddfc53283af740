//! Langfuse exports: a single trace's JSON (the trace with its observations
//! and scores, either nested under `trace` or with the trace's fields at the
//! top), an API page (`{"data": [observations]}`), and observation table
//! exports as a JSON array, JSONL or CSV.
//!
//! Every observation is an [`Operation`](crate::model::Operation): session =
//! its trace, parent = `parentObservationId`, kind = its name (else its type),
//! agent = the name of the nearest `AGENT` observation at or above it, else
//! the trace's name, else the root observation's name. `level: ERROR` is a
//! failure (error type taken from a `Type: message` status message, else
//! `error`).
//!
//! Tokens come from `usageDetails`, whose categories Langfuse keeps apart
//! (`input`, `output`, `cache_read_input_tokens` / `input_cached_tokens`,
//! `cache_creation_input_tokens`, `output_reasoning_tokens` ...). When the
//! recorded `total` equals input + output although cache tokens are present,
//! input included them and they are subtracted (clamped at 0 with a warning).
//! Legacy `usage` / `promptTokens` fields are used when `usageDetails` is absent.
//! Cost: `calculatedTotalCost`, else `costDetails.total` (or the sum of its
//! parts), else `totalCost`. A cost of 0 on an observation with tokens is read
//! as "no price known" (Langfuse writes 0 for models it cannot price) and left
//! to the price table.
//!
//! Record counts: the trace object, each observation and each score are
//! records. Observations are imported (or duplicates of an observation already
//! loaded); an observation without an id, or given only as an id, is skipped.
//! A numeric score on an observation sets its quality score (0..1 read as a
//! fraction of 100); a score on the trace is shown in the data-quality
//! section; other scores are skipped.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;

use super::common::{short_num, Ctx, RawNum, RawText, RawTime};
use super::peek::{Peek, Shape};
use super::spans::{blank_operation, finish, tokens_including_cache, SpanOp};
use crate::model::{Aggregate, AggregateScope, Outcome, Session, Sym, Tokens};
use crate::Error;

/// Detects a Langfuse trace, API page or observation export.
pub fn detect(p: &Peek) -> Result<(), String> {
    let observation_keys = |keys: &[String]| {
        let has = |k: &str| keys.iter().any(|x| x == k);
        has("traceId") && has("type") && has("startTime")
    };
    match p.shape {
        Shape::Object => {
            let trace = p.has("trace") || (p.has("id") && (p.has("name") || p.has("timestamp")));
            if p.has("observations") && trace {
                return Ok(());
            }
            if p.child("data").is_some_and(observation_keys) {
                return Ok(());
            }
            Err("no \"observations\" with a trace, nor a \"data\" page of observations".to_string())
        }
        Shape::Array | Shape::Lines => {
            if observation_keys(&p.keys) {
                Ok(())
            } else {
                Err("no traceId, type and startTime keys".to_string())
            }
        }
        Shape::Other => {
            let header: Vec<String> = p
                .first_line
                .split([',', ';', '\t'])
                .map(|h| h.trim().trim_matches('"').to_string())
                .collect();
            if header.iter().any(|h| h == "traceId") && header.iter().any(|h| h == "startTime") {
                Ok(())
            } else {
                Err("no CSV header with traceId and startTime".to_string())
            }
        }
    }
}

/// One observation, every field lenient.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Obs<'a> {
    #[serde(borrow)]
    id: Option<RawText<'a>>,
    #[serde(rename = "traceId", alias = "trace_id", borrow)]
    trace_id: Option<RawText<'a>>,
    #[serde(rename = "traceName", borrow)]
    trace_name: Option<RawText<'a>>,
    #[serde(
        rename = "parentObservationId",
        alias = "parent_observation_id",
        borrow
    )]
    parent: Option<RawText<'a>>,
    #[serde(rename = "type", borrow)]
    kind: Option<RawText<'a>>,
    #[serde(borrow)]
    name: Option<RawText<'a>>,
    #[serde(rename = "startTime", alias = "start_time", borrow)]
    start: Option<RawTime<'a>>,
    #[serde(rename = "endTime", alias = "end_time", borrow)]
    end: Option<RawTime<'a>>,
    #[serde(borrow)]
    model: Option<RawText<'a>>,
    #[serde(borrow)]
    level: Option<RawText<'a>>,
    #[serde(rename = "statusMessage", alias = "status_message", borrow)]
    status_message: Option<RawText<'a>>,
    #[serde(rename = "usageDetails", alias = "usage_details")]
    usage_details: Option<NumMap>,
    #[serde(rename = "costDetails", alias = "cost_details")]
    cost_details: Option<NumMap>,
    #[serde(rename = "calculatedTotalCost")]
    calculated_total_cost: Option<RawNum>,
    #[serde(rename = "totalCost")]
    total_cost: Option<RawNum>,
    latency: Option<RawNum>,
    usage: Option<NumMap>,
    #[serde(rename = "promptTokens")]
    prompt_tokens: Option<RawNum>,
    #[serde(rename = "completionTokens")]
    completion_tokens: Option<RawNum>,
}

/// A map of names to numbers (`usageDetails`, `costDetails`), also when a
/// CSV cell or a string holds it as JSON text. Anything else reads as empty.
#[derive(Default, Clone)]
struct NumMap(Vec<(String, f64)>);

impl NumMap {
    fn get(&self, key: &str) -> Option<f64> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

impl<'de> Deserialize<'de> for NumMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NumMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of numbers")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<NumMap, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<Cow<'de, str>, RawNum>()? {
                    if let Some(v) = v.get() {
                        out.push((k.into_owned(), v));
                    }
                }
                Ok(NumMap(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumMap, E> {
                Ok(serde_json::from_slice(v.as_bytes()).unwrap_or_default())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<NumMap, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(NumMap::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<NumMap, E> {
                Ok(NumMap::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<NumMap, E> {
                Ok(NumMap::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<NumMap, E> {
                Ok(NumMap::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<NumMap, E> {
                Ok(NumMap::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<NumMap, E> {
                Ok(NumMap::default())
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// An entry of `observations`: a full observation, or only its id (trace lists).
enum ObsEntry<'a> {
    Full(Box<Obs<'a>>),
    IdOnly,
}

impl<'de: 'a, 'a> Deserialize<'de> for ObsEntry<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ObsEntry<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an observation")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let obs = Obs::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(ObsEntry::Full(Box::new(obs)))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ObsEntry::IdOnly)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ObsEntry::IdOnly)
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TraceInfo<'a> {
    #[serde(borrow)]
    id: Option<RawText<'a>>,
    #[serde(borrow)]
    name: Option<RawText<'a>>,
    #[serde(borrow)]
    timestamp: Option<RawTime<'a>>,
    latency: Option<RawNum>,
    #[serde(rename = "totalCost")]
    total_cost: Option<RawNum>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Score<'a> {
    #[serde(borrow)]
    name: Option<RawText<'a>>,
    value: Option<RawNum>,
    #[serde(rename = "observationId", borrow)]
    observation_id: Option<RawText<'a>>,
}

/// A trace file or an API page, parsed in one pass.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Document<'a> {
    #[serde(borrow)]
    trace: Option<TraceInfo<'a>>,
    #[serde(borrow)]
    id: Option<RawText<'a>>,
    #[serde(borrow)]
    name: Option<RawText<'a>>,
    #[serde(borrow)]
    timestamp: Option<RawTime<'a>>,
    latency: Option<RawNum>,
    #[serde(rename = "totalCost")]
    total_cost: Option<RawNum>,
    #[serde(borrow)]
    observations: Vec<ObsEntry<'a>>,
    #[serde(borrow)]
    data: Vec<ObsEntry<'a>>,
    #[serde(borrow)]
    scores: Vec<Score<'a>>,
}

/// Figures for the data-quality section.
#[derive(Default)]
struct Stats {
    observations: u64,
    errors: u64,
    zero_costs: u64,
    cached_subtracted: u64,
    models: HashSet<Sym>,
}

struct Reader {
    spans: Vec<SpanOp>,
    /// Position of each observation id in `spans` (first occurrence).
    span_index: HashMap<Sym, usize>,
    stats: Stats,
    record: u64,
    trace_name: Option<Sym>,
    /// The trace of a trace file: the default of observations that omit it.
    trace_id: Option<Sym>,
}

fn text<'s>(t: &'s Option<RawText<'_>>) -> Option<&'s str> {
    t.as_ref()
        .map(|t| t.as_str().trim())
        .filter(|s| !s.is_empty())
}

fn count(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v.round() as u64
    } else {
        0
    }
}

/// Imports any Langfuse export.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let mut r = Reader {
        spans: Vec::new(),
        span_index: HashMap::new(),
        stats: Stats::default(),
        record: 0,
        trace_name: None,
        trace_id: None,
    };
    match super::peek::peek(body).shape {
        Shape::Object => {
            let doc: Document<'_> = serde_json::from_slice(body)
                .map_err(|e| super::common::syntax_error(&ctx.file, &e))?;
            r.document(ctx, doc);
        }
        Shape::Array => {
            let entries: Vec<ObsEntry<'_>> = serde_json::from_slice(body)
                .map_err(|e| super::common::syntax_error(&ctx.file, &e))?;
            for e in entries {
                r.entry(ctx, e);
            }
        }
        Shape::Lines => {
            for (i, raw) in body.split(|&b| b == b'\n').enumerate() {
                if raw.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match serde_json::from_slice::<Obs<'_>>(raw) {
                    Ok(o) => r.observation(ctx, &o),
                    Err(e) => {
                        let rec = r.record;
                        r.record += 1;
                        ctx.skip_line(
                            rec,
                            i as u64 + 1,
                            None,
                            format!("not a readable observation: {e}"),
                        );
                    }
                }
            }
        }
        Shape::Other => r.csv(ctx, body)?,
    }
    let Reader { spans, stats, .. } = r;
    finish(ctx, spans);
    let q = &mut ctx.quality;
    q.push(("observations read".to_string(), stats.observations as f64));
    q.push(("errors found".to_string(), stats.errors as f64));
    q.push((
        "cached tokens subtracted from input".to_string(),
        stats.cached_subtracted as f64,
    ));
    q.push((
        "zero costs with tokens left to the price table".to_string(),
        stats.zero_costs as f64,
    ));
    q.push(("models seen".to_string(), stats.models.len() as f64));
    Ok(())
}

impl Reader {
    fn next_record(&mut self) -> u64 {
        let r = self.record;
        self.record += 1;
        r
    }

    fn entry(&mut self, ctx: &mut Ctx<'_>, e: ObsEntry<'_>) {
        match e {
            ObsEntry::Full(o) => self.observation(ctx, &o),
            ObsEntry::IdOnly => {
                let rec = self.next_record();
                self.stats.observations += 1;
                ctx.skip(
                    rec,
                    Some("observations"),
                    "observation given only by id; export the trace with its observations",
                );
            }
        }
    }

    fn document(&mut self, ctx: &mut Ctx<'_>, doc: Document<'_>) {
        let top = TraceInfo {
            id: doc.id,
            name: doc.name,
            timestamp: doc.timestamp,
            latency: doc.latency,
            total_cost: doc.total_cost,
        };
        let info = doc.trace.unwrap_or(top);
        let has_trace = !doc.observations.is_empty() || text(&info.id).is_some();
        let mut trace_id = None;
        if has_trace {
            let rec = self.next_record();
            match text(&info.id) {
                Some(id) => {
                    trace_id = Some(id.to_string());
                    self.trace(ctx, rec, &info, id);
                }
                None => ctx.skip(rec, Some("id"), "trace without an id"),
            }
        }
        for e in doc.observations.into_iter().chain(doc.data) {
            self.entry(ctx, e);
        }
        for s in &doc.scores {
            let rec = self.next_record();
            self.score(ctx, rec, s, trace_id.as_deref());
        }
    }

    fn trace(&mut self, ctx: &mut Ctx<'_>, rec: u64, t: &TraceInfo<'_>, id: &str) {
        let sym = ctx.intern(id);
        self.trace_id = Some(sym);
        self.trace_name = text(&t.name).map(|n| ctx.intern(n));
        let start = ctx.time(rec, "timestamp", t.timestamp.as_ref());
        let latency = t.latency.and_then(RawNum::get).filter(|l| *l >= 0.0);
        let end = match (start, latency) {
            (Some(s), Some(l)) => Some(crate::model::Timestamp(s.0 + (l * 1000.0).round() as i64)),
            _ => None,
        };
        ctx.ds.insert_session(Session {
            id: sym,
            source: ctx.source,
            start,
            end,
            duration: latency,
            outcome: None,
            status: None,
            mode: None,
            llm: None,
            description: text(&t.name).map(str::to_string),
            project: None,
            tasks_total: None,
            tasks_completed: None,
            tasks_failed: None,
            commit: None,
            current_phase: None,
            progress: None,
        });
        if let Some(cost) = t.total_cost.and_then(RawNum::get) {
            ctx.ds.aggregates.push(Aggregate {
                source: ctx.source,
                scope: AggregateScope::Session(id.to_string()),
                origin: "langfuse_trace".to_string(),
                period_start: start,
                period_end: end,
                period_days: None,
                count: None,
                success_count: None,
                success_rate: None,
                error_rate: None,
                avg_duration: latency,
                cache_hit_rate: None,
                total_cost: Some(cost),
                avg_cost_per_operation: None,
                total_tokens: None,
                tokens: None,
                sessions: Some(1),
                extra: Vec::new(),
            });
            ctx.quality
                .push(("recorded total cost USD".to_string(), cost));
        }
        ctx.imported();
    }

    fn score(&mut self, ctx: &mut Ctx<'_>, rec: u64, s: &Score<'_>, trace: Option<&str>) {
        let name = text(&s.name).unwrap_or("score");
        let Some(value) = s.value.and_then(RawNum::get) else {
            ctx.skip(rec, Some("value"), format!("score {name:?} is not numeric"));
            return;
        };
        match text(&s.observation_id) {
            Some(obs) => {
                let quality = if (0.0..=1.0).contains(&value) {
                    value * 100.0
                } else {
                    value
                };
                if !(0.0..=100.0).contains(&quality) {
                    ctx.skip(
                        rec,
                        Some("value"),
                        format!(
                            "score {name:?} = {} is outside 0..1 and 0..100",
                            short_num(value)
                        ),
                    );
                    return;
                }
                let sym = ctx.intern(obs);
                let span = self
                    .span_index
                    .get(&sym)
                    .and_then(|&i| self.spans.get_mut(i));
                match span {
                    Some(sp) => {
                        sp.op.quality_score = Some(quality);
                        ctx.imported();
                    }
                    None => ctx.skip(
                        rec,
                        Some("observationId"),
                        format!("score for {obs}, an observation not in this file"),
                    ),
                }
            }
            None if trace.is_some() => {
                ctx.quality.push((format!("trace score {name}"), value));
                ctx.imported();
            }
            None => ctx.skip(rec, Some("traceId"), "score of no trace in this file"),
        }
    }

    fn observation(&mut self, ctx: &mut Ctx<'_>, o: &Obs<'_>) {
        let rec = self.next_record();
        self.stats.observations += 1;
        let Some(id) = text(&o.id) else {
            ctx.skip(rec, Some("id"), "observation without an id");
            return;
        };
        let trace = match text(&o.trace_id) {
            Some(t) => ctx.intern(t),
            None => match self.trace_id {
                Some(t) => t,
                None => {
                    ctx.skip(rec, Some("traceId"), "observation without a traceId");
                    return;
                }
            },
        };
        let id = ctx.intern(id);
        let otype = text(&o.kind).map(str::to_ascii_uppercase);
        let name = text(&o.name);
        let kind_text = name
            .map(str::to_string)
            .or_else(|| otype.as_ref().map(|t| t.to_ascii_lowercase()))
            .unwrap_or_else(|| "observation".to_string());
        let kind = ctx.intern(&kind_text);
        let placeholder = ctx.intern("unknown");
        let mut op = blank_operation(ctx, id, kind, placeholder);
        op.parent = text(&o.parent).map(|p| ctx.intern(p));
        op.model = text(&o.model).map(|m| ctx.intern(m));
        if let Some(m) = op.model {
            self.stats.models.insert(m);
        }
        op.start = ctx.time(rec, "startTime", o.start.as_ref());
        op.end = ctx.time(rec, "endTime", o.end.as_ref());
        op.duration = match (op.start, op.end) {
            (Some(s), Some(e)) if e >= s => Some((e.0 - s.0) as f64 / 1000.0),
            (Some(_), Some(_)) => {
                ctx.warn(
                    Some(rec),
                    Some("endTime"),
                    "observation ends before it starts",
                );
                None
            }
            _ => o.latency.and_then(RawNum::get).filter(|l| *l >= 0.0),
        };
        if text(&o.level).is_some_and(|l| l.eq_ignore_ascii_case("ERROR")) {
            self.stats.errors += 1;
            op.outcome = Outcome::Failure;
            let message = text(&o.status_message);
            let etype = message
                .and_then(|m| m.split_once(':'))
                .map(|(t, _)| t.trim())
                .filter(|t| !t.is_empty() && t.len() <= 64 && !t.contains(char::is_whitespace))
                .unwrap_or("error");
            op.error_type = Some(ctx.intern(etype));
            op.error_message = message.map(super::claude::truncate);
        }
        op.tokens = self.tokens(ctx, rec, o);
        op.cost = o
            .calculated_total_cost
            .and_then(RawNum::get)
            .or_else(|| {
                o.cost_details.as_ref().and_then(|c| {
                    c.get("total")
                        .or_else(|| (!c.0.is_empty()).then(|| c.0.iter().map(|(_, v)| *v).sum()))
                })
            })
            .or_else(|| o.total_cost.and_then(RawNum::get))
            .filter(|c| *c >= 0.0);
        if op.cost == Some(0.0) && op.tokens.is_some_and(|t| !t.is_zero()) {
            self.stats.zero_costs += 1;
            op.cost = None;
        }
        let own_agent = if otype.as_deref() == Some("AGENT") {
            name.map(|n| ctx.intern(n))
        } else {
            None
        };
        let fallback_agent = self
            .trace_name
            .or_else(|| text(&o.trace_name).map(|n| ctx.intern(n)));
        let root_name = name.map(|n| ctx.intern(n));
        self.span_index.entry(op.id).or_insert(self.spans.len());
        self.spans.push(SpanOp {
            op,
            trace,
            own_agent,
            fallback_agent,
            own_session: None,
            root_name,
            provider: None,
        });
    }

    /// Tokens by category from `usageDetails` (or the legacy fields).
    fn tokens(&mut self, ctx: &mut Ctx<'_>, rec: u64, o: &Obs<'_>) -> Option<Tokens> {
        let details = o.usage_details.as_ref().filter(|d| !d.0.is_empty());
        let Some(d) = details else {
            let legacy = o.usage.as_ref();
            let input = legacy
                .and_then(|u| u.get("input"))
                .or_else(|| o.prompt_tokens.and_then(RawNum::get));
            let output = legacy
                .and_then(|u| u.get("output"))
                .or_else(|| o.completion_tokens.and_then(RawNum::get));
            if input.is_none() && output.is_none() {
                return None;
            }
            return Some(Tokens {
                input: input.map(count).unwrap_or(0),
                output: output.map(count).unwrap_or(0),
                cache_read: 0,
                cache_write: 0,
            });
        };
        let (mut input, mut output, mut cache_read, mut cache_write) = (0u64, 0u64, 0u64, 0u64);
        let mut total = None;
        for (k, v) in &d.0 {
            let key = k.to_ascii_lowercase();
            let n = count(*v);
            if key == "total" {
                total = Some(n);
            } else if key.contains("cache_read") || key.contains("cached") {
                cache_read = cache_read.saturating_add(n);
            } else if key.contains("cache_creation") || key.contains("cache_write") {
                cache_write = cache_write.saturating_add(n);
            } else if key.starts_with("input") || key.starts_with("prompt") {
                input = input.saturating_add(n);
            } else if key.starts_with("output") || key.starts_with("completion") {
                output = output.saturating_add(n);
            }
        }
        let cached = cache_read.saturating_add(cache_write);
        if cached > 0 && total == Some(input.saturating_add(output)) {
            // Input included the cache: subtract it.
            let (t, _) = tokens_including_cache(
                ctx,
                rec,
                Some(input),
                Some(output),
                Some(cache_read),
                Some(cache_write),
            )?;
            self.stats.cached_subtracted += cached;
            return Some(t);
        }
        Some(Tokens {
            input,
            output,
            cache_read,
            cache_write,
        })
    }

    fn csv(&mut self, ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
        let delimiter = {
            let first = body.split(|&b| b == b'\n').next().unwrap_or(&[]);
            let count = |d: u8| first.iter().filter(|&&b| b == d).count();
            [b',', b';', b'\t']
                .into_iter()
                .max_by_key(|&d| count(d))
                .unwrap_or(b',')
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(body);
        let headers = reader
            .headers()
            .map_err(|e| Error::Syntax {
                file: ctx.file.clone(),
                line: 1,
                column: 1,
                reason: e.to_string(),
            })?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let cols = CsvCols {
            id: col("id"),
            trace_id: col("traceId"),
            trace_name: col("traceName"),
            parent: col("parentObservationId"),
            kind: col("type"),
            name: col("name"),
            start: col("startTime"),
            end: col("endTime"),
            model: col("model"),
            level: col("level"),
            status_message: col("statusMessage"),
            usage_details: col("usageDetails"),
            cost_details: col("costDetails"),
            calculated_total_cost: col("calculatedTotalCost"),
            total_cost: col("totalCost"),
            latency: col("latency"),
            prompt_tokens: col("promptTokens").or(col("inputTokens")),
            completion_tokens: col("completionTokens").or(col("outputTokens")),
        };
        let mut row = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut row) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let rec = self.next_record();
                    ctx.skip_line(rec, line, None, format!("unreadable CSV row: {e}"));
                    continue;
                }
            }
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let obs = cols.observation(&row);
            self.observation(ctx, &obs);
        }
        Ok(())
    }
}

/// Column positions of a CSV observation export.
struct CsvCols {
    id: Option<usize>,
    trace_id: Option<usize>,
    trace_name: Option<usize>,
    parent: Option<usize>,
    kind: Option<usize>,
    name: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    model: Option<usize>,
    level: Option<usize>,
    status_message: Option<usize>,
    usage_details: Option<usize>,
    cost_details: Option<usize>,
    calculated_total_cost: Option<usize>,
    total_cost: Option<usize>,
    latency: Option<usize>,
    prompt_tokens: Option<usize>,
    completion_tokens: Option<usize>,
}

impl CsvCols {
    fn observation<'r>(&self, row: &'r csv::StringRecord) -> Obs<'r> {
        let cell = |c: Option<usize>| {
            c.and_then(|i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let text = |c: Option<usize>| cell(c).map(|s| RawText(Cow::Borrowed(s)));
        let time = |c: Option<usize>| cell(c).map(|s| RawTime::Text(Cow::Borrowed(s)));
        let num = |c: Option<usize>| {
            cell(c).map(|s| match s.parse::<f64>() {
                Ok(n) if n.is_finite() => RawNum::Value(n),
                _ => RawNum::Invalid,
            })
        };
        let map = |c: Option<usize>| {
            cell(c).and_then(|s| serde_json::from_slice::<NumMap>(s.as_bytes()).ok())
        };
        Obs {
            id: text(self.id),
            trace_id: text(self.trace_id),
            trace_name: text(self.trace_name),
            parent: text(self.parent),
            kind: text(self.kind),
            name: text(self.name),
            start: time(self.start),
            end: time(self.end),
            model: text(self.model),
            level: text(self.level),
            status_message: text(self.status_message),
            usage_details: map(self.usage_details),
            cost_details: map(self.cost_details),
            calculated_total_cost: num(self.calculated_total_cost),
            total_cost: num(self.total_cost),
            latency: num(self.latency),
            usage: None,
            prompt_tokens: num(self.prompt_tokens),
            completion_tokens: num(self.completion_tokens),
        }
    }
}
