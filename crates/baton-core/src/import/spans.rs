//! What trace-shaped formats (OpenTelemetry, Langfuse) share: spans collected
//! over a whole file, then agents and sessions inherited down the span tree,
//! sessions built from their spans, and token categories normalised so that
//! input excludes cached tokens.

use std::collections::HashMap;

use super::common::Ctx;
use crate::model::{LlmConfig, Operation, Session, Sym, Timestamp, Tokens};

/// A span read from a file, before its tree is resolved.
pub(crate) struct SpanOp {
    /// The operation; its agent and session are set by [`finish`].
    pub op: Operation,
    /// Trace id: the session when no span of the tree names one.
    pub trace: Sym,
    /// Agent the span itself names.
    pub own_agent: Option<Sym>,
    /// Agent to use when no span of the tree names one (service name, trace name).
    pub fallback_agent: Option<Sym>,
    /// Session (conversation) the span itself names.
    pub own_session: Option<Sym>,
    /// Name that stands for the agent when this span is the root of its tree.
    pub root_name: Option<Sym>,
    /// Provider, for the session's LLM configuration.
    pub provider: Option<String>,
}

/// Token figures from a format whose input count includes cached tokens.
/// Returns canonical tokens (input without cache) and whether input had to be
/// clamped at zero (a warning is recorded then).
pub(crate) fn tokens_including_cache(
    ctx: &mut Ctx<'_>,
    record: u64,
    input: Option<u64>,
    output: Option<u64>,
    cache_read: Option<u64>,
    cache_write: Option<u64>,
) -> Option<(Tokens, bool)> {
    if input.is_none() && output.is_none() && cache_read.is_none() && cache_write.is_none() {
        return None;
    }
    let cache_read = cache_read.unwrap_or(0);
    let cache_write = cache_write.unwrap_or(0);
    let cached = cache_read.saturating_add(cache_write);
    let raw_input = input.unwrap_or(0);
    let clamped = input.is_some() && raw_input < cached;
    if clamped {
        ctx.warn(
            Some(record),
            Some("input_tokens"),
            format!(
                "input tokens {raw_input} are fewer than the cached tokens {cached} they include; input set to 0"
            ),
        );
    }
    Some((
        Tokens {
            input: raw_input.saturating_sub(cached),
            output: output.unwrap_or(0),
            cache_read,
            cache_write,
        },
        clamped,
    ))
}

/// A session being built: id, first start, last end, LLM configuration.
type SessionSpan = (Sym, Option<Timestamp>, Option<Timestamp>, Option<LlmConfig>);

/// For every span, the first value `pick` finds on the span or its
/// ancestors, with the topmost span reached when none has one. Linear time:
/// each span's answer is kept, so a long chain of spans is walked once; a
/// cycle in hostile input stops the walk where it closes.
fn resolve_up<T: Copy>(
    spans: &[SpanOp],
    index: &HashMap<Sym, usize>,
    pick: impl Fn(&SpanOp) -> Option<T>,
) -> Vec<(Option<T>, usize)> {
    let n = spans.len();
    let mut memo: Vec<Option<(Option<T>, usize)>> = vec![None; n];
    // Which walk last visited a span (walk number + 1), to detect cycles.
    let mut seen: Vec<usize> = vec![0; n];
    let mut path: Vec<usize> = Vec::new();
    for start in 0..n {
        if memo.get(start).copied().flatten().is_some() {
            continue;
        }
        path.clear();
        let stamp = start + 1;
        let mut i = start;
        let result = loop {
            if let Some(r) = memo.get(i).copied().flatten() {
                break r;
            }
            let Some(s) = spans.get(i) else {
                break (None, i);
            };
            if let Some(v) = pick(s) {
                break (Some(v), i);
            }
            path.push(i);
            if let Some(mark) = seen.get_mut(i) {
                *mark = stamp;
            }
            match s.op.parent.and_then(|p| index.get(&p)).copied() {
                Some(p) if seen.get(p).copied() != Some(stamp) => i = p,
                _ => break (None, i),
            }
        };
        if let Some(slot) = memo.get_mut(i) {
            if slot.is_none() {
                *slot = Some(result);
            }
        }
        for &j in &path {
            if let Some(slot) = memo.get_mut(j) {
                *slot = Some(result);
            }
        }
    }
    memo.into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or((None, i)))
        .collect()
}

/// Resolves agents and sessions down the span tree, adds sessions and
/// operations to the dataset and counts each span as imported or duplicate.
pub(crate) fn finish(ctx: &mut Ctx<'_>, mut spans: Vec<SpanOp>) {
    let mut index = HashMap::with_capacity(spans.len());
    for (i, s) in spans.iter().enumerate() {
        index.entry(s.op.id).or_insert(i);
    }
    let unknown = ctx.intern("unknown");
    let agents = resolve_up(&spans, &index, |s| s.own_agent);
    let sessions_up = resolve_up(&spans, &index, |s| s.own_session);
    let mut resolved = Vec::with_capacity(spans.len());
    for (i, ((agent, root), (session, _))) in agents.into_iter().zip(sessions_up).enumerate() {
        let agent = agent
            .or_else(|| spans.get(i).and_then(|s| s.fallback_agent))
            .or_else(|| spans.get(root).and_then(|s| s.root_name))
            .unwrap_or(unknown);
        let session = session.or_else(|| spans.get(i).map(|s| s.trace));
        resolved.push((agent, session));
    }
    // Sessions: span of their operations, LLM configuration of the first model call.
    let mut sessions: Vec<SessionSpan> = Vec::new();
    let mut session_index: HashMap<Sym, usize> = HashMap::new();
    for (s, (agent, session)) in spans.iter_mut().zip(resolved) {
        s.op.agent = agent;
        s.op.session = session;
        let Some(id) = session else { continue };
        let i = *session_index.entry(id).or_insert_with(|| {
            sessions.push((id, None, None, None));
            sessions.len() - 1
        });
        if let Some(acc) = sessions.get_mut(i) {
            let start = s.op.start;
            let end = s.op.end.or(s.op.start);
            acc.1 = match (acc.1, start) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            acc.2 = match (acc.2, end) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            if acc.3.is_none() {
                if let Some(m) = s.op.model {
                    acc.3 = Some(LlmConfig {
                        provider: s.provider.clone(),
                        model: Some(ctx.ds.name(m).to_string()),
                        temperature: None,
                    });
                }
            }
        }
    }
    for (id, start, end, llm) in sessions {
        ctx.ds.insert_session(Session {
            id,
            source: ctx.source,
            start,
            end,
            duration: None,
            outcome: None,
            status: None,
            mode: None,
            llm,
            description: None,
            project: None,
            tasks_total: None,
            tasks_completed: None,
            tasks_failed: None,
            commit: None,
            current_phase: None,
            progress: None,
        });
    }
    for s in spans {
        let added = ctx.ds.insert_operation(s.op);
        ctx.inserted(added);
    }
}

/// A blank operation for a span; the importer fills what the span says.
pub(crate) fn blank_operation(ctx: &Ctx<'_>, id: Sym, kind: Sym, agent: Sym) -> Operation {
    Operation::new(id, ctx.source, kind, agent, crate::model::Outcome::Success)
}
