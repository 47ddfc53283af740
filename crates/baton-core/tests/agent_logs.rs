//! Importers of real agent logs (Claude Code transcripts, OTLP/JSON traces,
//! Langfuse exports) against hand-written fixtures in `tests/fixtures/`.
//! Every expected figure is worked out by hand in the comments.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use baton_core::import::{detect, import_file, peek::peek};
use baton_core::model::{
    AggregateScope, Dataset, Format, Operation, Outcome, RecordCounts, Session, Source, Timestamp,
    Tokens,
};

const SA: &str = "6f1c2a9e-1111-4a2b-9c3d-aaaaaaaaaaaa";
const SB: &str = "9a8b7c6d-2222-4e5f-8a9b-bbbbbbbbbbbb";
const SC: &str = "5e6f7a8b-3333-4c4d-9e0f-cccccccccccc";

fn fixture(rel: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Loads fixtures (paths under tests/fixtures/<dir>/, loaded under their
/// path relative to <dir>, as a dropped folder would name them).
fn load(dir: &str, files: &[&str]) -> Dataset {
    let mut ds = Dataset::new();
    for f in files {
        let bytes = fixture(&format!("{dir}/{f}"));
        import_file(&mut ds, f, &bytes).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    ds
}

fn op<'d>(ds: &'d Dataset, id: &str) -> &'d Operation {
    let sym = ds.names.get(id).unwrap_or_else(|| panic!("no name {id}"));
    let i = ds.operation_index[&sym];
    &ds.operations[i]
}

fn session<'d>(ds: &'d Dataset, id: &str) -> &'d Session {
    let sym = ds.names.get(id).unwrap_or_else(|| panic!("no name {id}"));
    &ds.sessions[ds.session_index[&sym]]
}

fn name(ds: &Dataset, sym: baton_core::model::Sym) -> &str {
    ds.name(sym)
}

fn opt_name(ds: &Dataset, sym: Option<baton_core::model::Sym>) -> Option<&str> {
    sym.map(|s| ds.name(s))
}

fn quality(src: &Source, label: &str) -> f64 {
    src.quality
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no quality figure {label:?} in {:?}", src.quality))
}

fn ts(s: &str) -> Option<Timestamp> {
    Some(Timestamp(
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis(),
    ))
}

fn tokens(input: u64, output: u64, cache_read: u64, cache_write: u64) -> Option<Tokens> {
    Some(Tokens {
        input,
        output,
        cache_read,
        cache_write,
    })
}

fn counts(read: u64, imported: u64, duplicates: u64, skipped: u64) -> RecordCounts {
    RecordCounts {
        read,
        imported,
        duplicates,
        skipped,
    }
}

fn assert_close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("expected {b}, got None"));
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

const MAIN_A: &str = "projects/-home-dev-app/6f1c2a9e-1111-4a2b-9c3d-aaaaaaaaaaaa.jsonl";
const MAIN_B: &str = "projects/-home-dev-app/9a8b7c6d-2222-4e5f-8a9b-bbbbbbbbbbbb.jsonl";
const SUB: &str =
    "projects/-home-dev-app/6f1c2a9e-1111-4a2b-9c3d-aaaaaaaaaaaa/subagents/agent-abc.jsonl";

#[test]
fn detects_every_fixture() {
    let cases = [
        ("claude", MAIN_A, Format::ClaudeCode), // first line is a summary
        ("claude", MAIN_B, Format::ClaudeCode), // first line is a user line
        ("claude", SUB, Format::ClaudeCode),
        ("claude", "result.json", Format::ClaudeCode), // pretty-printed result object
        ("otlp", "traces.jsonl", Format::Otlp),
        ("langfuse", "trace.json", Format::Langfuse),
        ("langfuse", "observations.json", Format::Langfuse),
        ("langfuse", "observations.jsonl", Format::Langfuse),
        ("langfuse", "observations.csv", Format::Langfuse),
    ];
    for (dir, file, format) in cases {
        let bytes = fixture(&format!("{dir}/{file}"));
        assert_eq!(detect(file, &bytes), Ok(format), "{file}");
    }
}

#[test]
fn detectors_leave_other_formats_alone() {
    use baton_core::import::{claude, langfuse, otlp};
    let others: [&[u8]; 6] = [
        // Baton canonical NDJSON: has "type" but no sessionId / uuid.
        b"{\"type\":\"operation\",\"id\":\"op-1\",\"session\":\"s1\",\"agent\":\"coder\"}\n{\"type\":\"operation\",\"id\":\"op-2\"}\n",
        // Baton canonical document.
        br#"{"format":"baton","version":1,"operations":[{"id":"op-1"}]}"#,
        // Seed 003 daily hook file and token usage.
        br#"{"tasks":[{"task_id":"t1","agent":"a","type":"x"}]}"#,
        br#"{"token_usage":{"session_id":"sess-001","total_tokens":150000}}"#,
        // Seed 004 monitor export.
        br#"{"orchestrations":[{"id":"o1","session_id":"s1","status":"completed"}],"agent_executions":[]}"#,
        // Seed 003 CSV export.
        b"task_id,agent,type,start_time,duration,result\nt1,a,x,2025-11-29T10:00:00Z,3,success\n",
    ];
    for bytes in others {
        let p = peek(bytes);
        let text = String::from_utf8_lossy(bytes);
        assert!(claude::detect(&p).is_err(), "Claude claimed {text}");
        assert!(otlp::detect(&p).is_err(), "OTLP claimed {text}");
        assert!(langfuse::detect(&p).is_err(), "Langfuse claimed {text}");
    }
}

#[test]
fn claude_main_transcript() {
    let ds = load("claude", &[MAIN_A]);
    let src = &ds.sources[0];
    // 14 lines: summary, 5 user lines (prompt, 2 tool results, sidechain
    // prompt, Task result), 6 assistant lines (req_A1 streamed over 3 lines,
    // req_A2, req_A3 sidechain, req_A4), a system line, a file snapshot.
    // imported = summary 1 + users 5 + responses 4 = 10; duplicates = the 2
    // continuation lines of req_A1; skipped = system + snapshot = 2.
    assert_eq!(src.counts, counts(14, 10, 2, 2));
    assert!(src.counts.is_conserved());
    assert_eq!(quality(src, "lines read"), 14.0);
    assert_eq!(quality(src, "streamed duplicates merged"), 2.0);
    assert_eq!(quality(src, "sidechain and subagent lines attributed"), 2.0);
    assert_eq!(quality(src, "tool errors found"), 1.0);
    // sonnet 4.5, haiku 4.5, claude-experimental-x.
    assert_eq!(quality(src, "models seen"), 3.0);
    // One diagnostic per skipped line type.
    assert_eq!(src.diagnostics.len(), 2);
    assert!(src.diagnostics[0].reason.contains("\"system\""));

    assert_eq!(ds.operations.len(), 4);
    // req_A1: 3 streamed lines, usage of the last one (12 / 180 / cache read
    // 3000 / cache write 1500), not the partial 10 / 5 / 0 / 1000. First tool
    // called: Read. Starts at the prompt (10:00:00), ends at its last line
    // (10:00:06): 6 s. Its Bash call failed (tool_result is_error).
    let a1 = op(&ds, "req_A1");
    assert_eq!(a1.tokens, tokens(12, 180, 3000, 1500));
    assert_eq!(name(&ds, a1.kind), "Read");
    assert_eq!(name(&ds, a1.agent), "main");
    assert_eq!(opt_name(&ds, a1.model), Some("claude-sonnet-4-5-20250929"));
    assert_eq!(opt_name(&ds, a1.session), Some(SA));
    assert_eq!(a1.start, ts("2025-11-29T10:00:00Z"));
    assert_eq!(a1.end, ts("2025-11-29T10:00:06Z"));
    assert_eq!(a1.duration, Some(6.0));
    assert_eq!(a1.outcome, Outcome::Failure);
    assert_eq!(opt_name(&ds, a1.error_type), Some("tool_error"));
    assert!(a1
        .error_message
        .as_deref()
        .unwrap()
        .starts_with("Bash: error: test failed"));
    assert_eq!(a1.cost, None);

    // req_A2 calls Task; starts at the failing tool result (10:00:20), ends 10:00:30.
    let a2 = op(&ds, "req_A2");
    assert_eq!(name(&ds, a2.kind), "Task");
    assert_eq!(a2.duration, Some(10.0));
    assert_eq!(a2.outcome, Outcome::Success);
    assert_eq!(a2.tokens, tokens(20, 90, 4500, 0));

    // req_A3 is the sidechain: its prompt matches the Task call's prompt, so
    // the agent is the Task's subagent_type. 10:00:31 -> 10:00:41 = 10 s.
    let a3 = op(&ds, "req_A3");
    assert_eq!(name(&ds, a3.agent), "code-reviewer");
    // Its parent in the session tree is the Task call.
    assert_eq!(opt_name(&ds, a3.parent), Some("req_A2"));
    assert_eq!(a2.parent, None);
    assert_eq!(opt_name(&ds, a3.session), Some(SA));
    assert_eq!(a3.duration, Some(10.0));
    assert_eq!(a3.tokens, tokens(800, 150, 0, 0));

    // req_A4: unpriced model kept as recorded; 10:00:45 -> 10:01:00 = 15 s.
    let a4 = op(&ds, "req_A4");
    assert_eq!(opt_name(&ds, a4.model), Some("claude-experimental-x"));
    assert_eq!(name(&ds, a4.kind), "chat");
    assert_eq!(a4.duration, Some(15.0));

    // Tokens of the file: input 12+20+800+5 = 837, output 180+90+150+40 = 460,
    // cache read 3000+4500+0+5000 = 12500, cache write 1500.
    let mut total = Tokens::default();
    for o in &ds.operations {
        total.add(&o.tokens.unwrap());
    }
    assert_eq!(Some(total), tokens(837, 460, 12500, 1500));

    // One session: first line 10:00:00, last used line 10:01:00.
    assert_eq!(ds.sessions.len(), 1);
    let s = session(&ds, SA);
    assert_eq!(s.start, ts("2025-11-29T10:00:00Z"));
    assert_eq!(s.end, ts("2025-11-29T10:01:00Z"));
    assert_eq!(s.description.as_deref(), Some("Add login rate limiting"));
    assert_eq!(s.project.as_deref(), Some("/home/dev/app"));
    let llm = s.llm.as_ref().unwrap();
    assert_eq!(llm.model.as_deref(), Some("claude-sonnet-4-5-20250929"));
}

#[test]
fn claude_older_transcript_with_costs_and_api_errors() {
    let ds = load("claude", &[MAIN_B]);
    let src = &ds.sources[0];
    // 9 lines: user, req_B1, msg_B2 over 2 lines (empty requestId, so keyed by
    // message.id), 2 retry lines, an API error, a synthetic message, a
    // cut-off line. imported = user + req_B1 + msg_B2 + 2 retries + API
    // error = 6; duplicates 1; skipped = synthetic + unreadable = 2.
    assert_eq!(src.counts, counts(9, 6, 1, 2));
    assert_eq!(quality(src, "API errors found"), 1.0);
    assert_eq!(quality(src, "API retries"), 2.0);
    assert_eq!(quality(src, "models seen"), 1.0); // <synthetic> is not a model
    assert_eq!(ds.operations.len(), 3);

    // costUSD is recorded; durationMs 7000 before 09:00:08 puts the start at 09:00:01.
    let b1 = op(&ds, "req_B1");
    assert_close(b1.cost, 0.0123);
    assert_eq!(b1.start, ts("2025-11-30T09:00:01Z"));
    assert_eq!(b1.duration, Some(7.0));
    assert_eq!(b1.tokens, tokens(1200, 300, 0, 0));

    // Keyed by message.id; last line's usage (60 output) and cost (0.0049).
    // Starts at req_B1's end (09:00:08), ends 09:00:21: 13 s.
    let b2 = op(&ds, "msg_B2");
    assert_eq!(b2.tokens, tokens(50, 60, 0, 0));
    assert_close(b2.cost, 0.0049);
    assert_eq!(b2.duration, Some(13.0));

    // The API error is a failed operation without a model or tokens, typed
    // by its error code, after 2 retries (retryAttempt 1 and 2). It waited
    // from msg_B2's end (09:00:21) to 09:01:00: 39 s.
    let e = op(&ds, "b-e1");
    assert_eq!(e.outcome, Outcome::Failure);
    assert_eq!(opt_name(&ds, e.error_type), Some("rate_limit"));
    assert_eq!(e.retries, 2);
    assert_eq!(e.duration, Some(39.0));
    assert_eq!(b1.retries, 0);
    assert_eq!(e.model, None);
    assert_eq!(e.tokens, None);
    assert!(e
        .error_message
        .as_deref()
        .unwrap()
        .starts_with("API Error: 429"));

    let s = session(&ds, SB);
    assert_eq!(s.start, ts("2025-11-30T09:00:00Z"));
    assert_eq!(s.end, ts("2025-11-30T09:01:00Z"));
    assert!(src
        .diagnostics
        .iter()
        .any(|d| d.line == Some(9) && d.reason.contains("not a readable transcript line")));
}

#[test]
fn claude_subagent_file_belongs_to_parent_session() {
    let ds = load("claude", &[SUB]);
    let src = &ds.sources[0];
    // 5 lines: 2 user, req_S1 over 2 lines, req_S2. imported 2 + 2 = 4, 1 duplicate.
    assert_eq!(src.counts, counts(5, 4, 1, 0));
    assert_eq!(quality(src, "sidechain and subagent lines attributed"), 5.0);
    assert_eq!(quality(src, "tool errors found"), 1.0);
    // No session of its own.
    assert!(ds.sessions.is_empty());
    let s1 = op(&ds, "req_S1");
    assert_eq!(name(&ds, s1.agent), "agent-abc");
    assert_eq!(opt_name(&ds, s1.session), Some(SA));
    assert_eq!(name(&ds, s1.kind), "Grep");
    assert_eq!(s1.outcome, Outcome::Failure);
    assert_eq!(s1.error_message.as_deref(), Some("Grep: No files found"));
    // 10:00:32 prompt -> 10:00:37 last line = 5 s.
    assert_eq!(s1.duration, Some(5.0));
    assert_eq!(s1.tokens, tokens(400, 60, 1000, 200));
    // Cache writes from the 5-minute and 1-hour parts: 100 + 50 = 150.
    let s2 = op(&ds, "req_S2");
    assert_eq!(s2.tokens, tokens(30, 120, 1200, 150));
    assert_eq!(s2.duration, Some(6.0));
}

#[test]
fn claude_headless_result_keeps_recorded_total() {
    let ds = load("claude", &["result.json"]);
    let src = &ds.sources[0];
    assert_eq!(src.counts, counts(1, 1, 0, 0));
    assert_close(Some(quality(src, "recorded total cost USD")), 0.1875);
    let s = session(&ds, SC);
    assert_eq!(s.outcome, Some(Outcome::Success));
    // duration_ms 45210 -> 45.21 s.
    assert_close(s.duration, 45.21);
    assert_eq!(ds.aggregates.len(), 1);
    let a = &ds.aggregates[0];
    assert_eq!(a.origin, "claude_result");
    assert_eq!(a.scope, AggregateScope::Session(SC.to_string()));
    assert_close(a.total_cost, 0.1875);
    // 40 + 800 + 12000 + 2000 = 14840.
    assert_eq!(a.tokens, tokens(40, 800, 12000, 2000));
    assert_eq!(a.total_tokens, Some(14840));
    assert!(a
        .extra
        .contains(&("num_turns".to_string(), "6".to_string())));
    assert!(ds.operations.is_empty());
}

#[test]
fn claude_whole_project_folder() {
    let ds = load("claude", &[MAIN_A, SUB, MAIN_B, "result.json"]);
    // Sessions SA, SB, SC; the subagent file adds none.
    assert_eq!(ds.sessions.len(), 3);
    // 4 + 2 + 3 operations, failures: req_A1, req_S1, b-e1.
    assert_eq!(ds.operations.len(), 9);
    let failed = ds
        .operations
        .iter()
        .filter(|o| o.outcome == Outcome::Failure)
        .count();
    assert_eq!(failed, 3);
    // Subagent spend counts toward SA: 4 + 2 operations there.
    let sa = ds.names.get(SA);
    assert_eq!(ds.operations.iter().filter(|o| o.session == sa).count(), 6);
    // The Task result in SA names subagent abc's type (code-reviewer) and
    // the call that started it (req_A2), for a subagent file loaded after.
    assert_eq!(name(&ds, op(&ds, "req_S1").agent), "code-reviewer");
    assert_eq!(opt_name(&ds, op(&ds, "req_S2").parent), Some("req_A2"));
    // 14 + 5 + 9 + 1 records; conserved.
    let t = ds.total_counts();
    assert_eq!(t.read, 29);
    assert!(t.is_conserved());
}

#[test]
fn otlp_traces() {
    let ds = load("otlp", &["traces.jsonl"]);
    let src = &ds.sources[0];
    // Line 1: 3 spans; line 2: 4 spans, one without a spanId (skipped).
    assert_eq!(src.counts, counts(7, 6, 0, 1));
    assert_eq!(quality(src, "spans read"), 6.0);
    // Every span but "retrieve" has gen_ai.* or llm.* attributes.
    assert_eq!(quality(src, "GenAI spans"), 5.0);
    assert_eq!(quality(src, "traces"), 2.0);
    assert_eq!(quality(src, "errors found"), 1.0);
    // 1000 (chat) + 300 + 100 (OpenInference) + 80 (clamped chat) = 1480.
    assert_eq!(quality(src, "cached tokens subtracted from input"), 1480.0);
    assert_eq!(
        quality(src, "spans whose input was fewer than cached tokens"),
        1.0
    );
    assert_eq!(quality(src, "models seen"), 3.0);

    // Agent span: root of trace 1, 12.5 s, names the agent and conversation.
    let agent = op(&ds, "a1a1a1a1a1a1a1a1");
    assert_eq!(name(&ds, agent.kind), "invoke_agent");
    assert_eq!(name(&ds, agent.agent), "Planner");
    assert_eq!(agent.parent, None);
    assert_eq!(agent.duration, Some(12.5));
    assert_eq!(agent.start, ts("2025-11-29T10:00:00Z"));
    assert_eq!(agent.outcome, Outcome::Success);

    // Chat span: input 1500 includes 1000 cached -> 500 fresh; agent and
    // session inherited from the agent span; response model preferred.
    let chat = op(&ds, "b2b2b2b2b2b2b2b2");
    assert_eq!(chat.tokens, tokens(500, 200, 1000, 0));
    assert_eq!(name(&ds, chat.agent), "Planner");
    assert_eq!(opt_name(&ds, chat.session), Some("conv-42"));
    assert_eq!(opt_name(&ds, chat.parent), Some("a1a1a1a1a1a1a1a1"));
    assert_eq!(opt_name(&ds, chat.model), Some("gpt-4o-2024-08-06"));
    // 1764410404.2 - 1764410401.0 = 3.2 s.
    assert_close(chat.duration, 3.2);

    // Tool span: status.code 2 and error.type -> failure.
    let tool = op(&ds, "c3c3c3c3c3c3c3c3");
    assert_eq!(tool.outcome, Outcome::Failure);
    assert_eq!(opt_name(&ds, tool.error_type), Some("TimeoutError"));
    assert_eq!(
        tool.error_message.as_deref(),
        Some("weather API timed out after 700 ms")
    );
    assert_eq!(opt_name(&ds, tool.parent), Some("b2b2b2b2b2b2b2b2"));
    assert_eq!(name(&ds, tool.agent), "Planner");
    assert_close(tool.duration, 0.7);

    // OpenInference span: prompt 900 includes cache read 300 and write 100 -> 500.
    let oi = op(&ds, "d4d4d4d4d4d4d4d4");
    assert_eq!(oi.tokens, tokens(500, 100, 300, 100));
    assert_close(oi.cost, 0.0021);
    assert_eq!(name(&ds, oi.kind), "llm");
    assert_eq!(opt_name(&ds, oi.model), Some("claude-3-5-haiku-20241022"));
    // No agent attribute anywhere up the tree: the service name.
    assert_eq!(name(&ds, oi.agent), "rag-service");
    assert_eq!(opt_name(&ds, oi.session), Some("sess-rag-1"));
    // Start given as a JSON number of nanoseconds: 2025-11-29T11:00:00Z.
    assert_eq!(oi.start, ts("2025-11-29T11:00:00Z"));

    // Inconsistent counts: input 50 < cached 80 -> input clamped to 0, warned.
    let clamped = op(&ds, "e5e5e5e5e5e5e5e5");
    assert_eq!(clamped.tokens, tokens(0, 10, 80, 0));
    assert!(src
        .diagnostics
        .iter()
        .any(|d| d.reason.contains("fewer than the cached tokens")));

    // No end time: running.
    let running = op(&ds, "f6f6f6f6f6f6f6f6");
    assert_eq!(running.outcome, Outcome::Running);
    assert_eq!(name(&ds, running.kind), "retrieve");

    // Sessions: conv-42 spans 10:00:00 .. 10:00:12.5; sess-rag-1 11:00:00 .. 11:00:02.
    assert_eq!(ds.sessions.len(), 2);
    let c = session(&ds, "conv-42");
    assert_eq!(c.start, ts("2025-11-29T10:00:00Z"));
    assert_eq!(c.end, ts("2025-11-29T10:00:12.500Z"));
    let llm = c.llm.as_ref().unwrap();
    assert_eq!(llm.provider.as_deref(), Some("openai"));
    let r = session(&ds, "sess-rag-1");
    assert_eq!(r.end, ts("2025-11-29T11:00:02Z"));
}

#[test]
fn langfuse_trace_with_observations_and_scores() {
    let ds = load("langfuse", &["trace.json"]);
    let src = &ds.sources[0];
    // Records: trace 1 + observations 6 + scores 3 = 10. Imported: trace,
    // 5 full observations, 2 numeric scores = 8. Skipped: the id-only
    // observation and the categorical score = 2.
    assert_eq!(src.counts, counts(10, 8, 0, 2));
    assert_eq!(quality(src, "observations read"), 6.0);
    assert_eq!(quality(src, "errors found"), 1.0);
    // Only obs-gen-2 had input including its 2000 + 500 cached tokens.
    assert_eq!(quality(src, "cached tokens subtracted from input"), 2500.0);
    assert_eq!(
        quality(src, "zero costs with tokens left to the price table"),
        1.0
    );
    assert_eq!(quality(src, "models seen"), 2.0);
    assert_close(Some(quality(src, "recorded total cost USD")), 0.0123);
    assert_eq!(quality(src, "trace score user-feedback"), 1.0);

    assert_eq!(ds.operations.len(), 5);
    for o in &ds.operations {
        // Everything sits under the AGENT observation; obs-event, which omits
        // its traceId, belongs to the file's trace.
        assert_eq!(name(&ds, o.agent), "triage-agent");
        assert_eq!(opt_name(&ds, o.session), Some("trace-7f3a"));
    }
    // Disjoint categories: total 1050 = 800 + 200 + 50, nothing subtracted.
    let g1 = op(&ds, "obs-gen-1");
    assert_eq!(g1.tokens, tokens(800, 50, 200, 0));
    assert_close(g1.cost, 0.000165);
    assert_eq!(opt_name(&ds, g1.parent), Some("obs-agent"));
    assert_eq!(name(&ds, g1.kind), "classify");
    // 12:00:00.200 -> 12:00:01.700 = 1.5 s.
    assert_eq!(g1.duration, Some(1.5));

    // total 3400 = input 3000 + output 400 although 2500 cache tokens are
    // present: input included them -> 3000 - 2500 = 500. Cost 0 with tokens
    // is no price: left to the price table. Score 0.8 -> quality 80.
    let g2 = op(&ds, "obs-gen-2");
    assert_eq!(g2.tokens, tokens(500, 400, 2000, 500));
    assert_eq!(g2.cost, None);
    assert_close(g2.quality_score, 80.0);

    let tool = op(&ds, "obs-tool");
    assert_eq!(tool.outcome, Outcome::Failure);
    assert_eq!(opt_name(&ds, tool.error_type), Some("OrderNotFound"));
    assert_eq!(tool.duration, Some(2.0));

    let event = op(&ds, "obs-event");
    assert_eq!(event.outcome, Outcome::Success);
    assert_eq!(event.duration, None);

    // The trace is the session: 12:00:00 + latency 9.5 s.
    let s = session(&ds, "trace-7f3a");
    assert_eq!(s.start, ts("2025-11-29T12:00:00Z"));
    assert_eq!(s.end, ts("2025-11-29T12:00:09.500Z"));
    assert_eq!(s.description.as_deref(), Some("support-agent"));
    let a = &ds.aggregates[0];
    assert_eq!(a.origin, "langfuse_trace");
    assert_close(a.total_cost, 0.0123);
}

#[test]
fn langfuse_observation_array() {
    let ds = load("langfuse", &["observations.json"]);
    let src = &ds.sources[0];
    // 5 entries: o-1, o-2, o-3, o-3 again (duplicate), one without an id.
    assert_eq!(src.counts, counts(5, 3, 1, 1));
    assert_eq!(quality(src, "observations read"), 5.0);
    // No AGENT observation and no trace name: the root observation's name.
    for o in &ds.operations {
        assert_eq!(name(&ds, o.agent), "rag-pipeline");
        assert_eq!(opt_name(&ds, o.session), Some("tr-100"));
    }
    // total 3324 = 2000 + 300 + 1024: disjoint, kept.
    let g = op(&ds, "o-3");
    assert_eq!(g.tokens, tokens(2000, 300, 1024, 0));
    assert_close(g.cost, 0.00755);
    assert_eq!(g.duration, Some(3.5));
    // WARNING is not a failure.
    assert_eq!(g.outcome, Outcome::Success);
    // Cost from costDetails.total.
    assert_close(op(&ds, "o-2").cost, 0.000_000_24);
    assert_eq!(op(&ds, "o-2").tokens, tokens(12, 0, 0, 0));
}

#[test]
fn langfuse_observation_lines() {
    let ds = load("langfuse", &["observations.jsonl"]);
    let src = &ds.sources[0];
    // 4 lines, the last cut off.
    assert_eq!(src.counts, counts(4, 3, 0, 1));
    let plan = op(&ds, "j-2");
    assert_eq!(name(&ds, plan.agent), "research-agent");
    assert_eq!(plan.tokens, tokens(1500, 250, 500, 0));
    // No total in costDetails: 0.0045 + 0.00375 + 0.00015 = 0.0084.
    assert_close(plan.cost, 0.0084);
    let search = op(&ds, "j-3");
    assert_eq!(search.outcome, Outcome::Failure);
    // The message has no "Type:" prefix.
    assert_eq!(opt_name(&ds, search.error_type), Some("error"));
    assert_eq!(search.duration, Some(20.0));
}

#[test]
fn langfuse_observation_csv() {
    let ds = load("langfuse", &["observations.csv"]);
    let src = &ds.sources[0];
    // 4 rows, the last without an id.
    assert_eq!(src.counts, counts(4, 3, 0, 1));
    let c2 = op(&ds, "c-2");
    assert_eq!(c2.tokens, tokens(4000, 500, 0, 0));
    assert_close(c2.cost, 0.0009);
    assert_eq!(opt_name(&ds, c2.parent), Some("c-1"));
    assert_eq!(name(&ds, c2.agent), "summarize-doc");
    let c3 = op(&ds, "c-3");
    assert_eq!(c3.outcome, Outcome::Failure);
    assert_eq!(opt_name(&ds, c3.error_type), Some("ContextLengthExceeded"));
    assert_eq!(c3.tokens, tokens(9000, 0, 0, 0));
    assert_eq!(c3.cost, None);
    assert_eq!(op(&ds, "c-1").duration, Some(12.0));
}

#[test]
fn cut_and_odd_inputs_never_panic_and_counts_add_up() {
    use baton_core::import::import_as;
    let files = [
        ("claude", MAIN_A, Format::ClaudeCode),
        ("claude", "result.json", Format::ClaudeCode),
        ("otlp", "traces.jsonl", Format::Otlp),
        ("langfuse", "trace.json", Format::Langfuse),
        ("langfuse", "observations.json", Format::Langfuse),
        ("langfuse", "observations.csv", Format::Langfuse),
    ];
    for (dir, file, format) in files {
        let bytes = fixture(&format!("{dir}/{file}"));
        // Every 7th cut point: a truncated download or a file still being written.
        for cut in (1..bytes.len()).step_by(7) {
            let mut ds = Dataset::new();
            if import_as(&mut ds, file, &bytes[..cut], format).is_ok() {
                assert!(ds.sources[0].counts.is_conserved(), "{file} cut at {cut}");
            }
        }
    }
    // Fields of unexpected types are skipped records, not failures.
    let odd: [(&[u8], Format); 4] = [
        (
            b"{\"type\":\"assistant\",\"sessionId\":\"s\",\"uuid\":\"u\",\"message\":{\"id\":\"m\",\"content\":7,\"usage\":{\"input_tokens\":\"NaN\",\"output_tokens\":-5}}}\n{\"type\":\"user\",\"sessionId\":5}\n",
            Format::ClaudeCode,
        ),
        (
            b"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"a\",\"startTimeUnixNano\":\"x\",\"endTimeUnixNano\":-1,\"attributes\":[{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"-3\"}}],\"status\":{\"code\":\"2\"}}]}]}]}\n{\"resourceSpans\":7}\n",
            Format::Otlp,
        ),
        (
            b"[{\"id\":1,\"traceId\":2,\"type\":3,\"startTime\":\"soon\",\"usageDetails\":\"oops\",\"costDetails\":[1]}]",
            Format::Langfuse,
        ),
        (b"traceId,startTime\n\"unterminated,x\n", Format::Langfuse),
    ];
    for (bytes, format) in odd {
        let mut ds = Dataset::new();
        if import_as(&mut ds, "odd", bytes, format).is_ok() {
            assert!(ds.sources[0].counts.is_conserved());
        }
    }
    // The odd Claude lines: the first imports (NaN and negative counts read
    // as 0), the second is skipped (sessionId is not text).
    let mut ds = Dataset::new();
    import_as(&mut ds, "odd.jsonl", odd[0].0, Format::ClaudeCode).unwrap();
    assert_eq!(ds.sources[0].counts, counts(2, 1, 0, 1));
    assert_eq!(ds.operations[0].tokens, tokens(0, 0, 0, 0));
}

#[test]
fn claude_stream_json_output() {
    // `claude -p --output-format stream-json`: snake_case session_id, no
    // timestamps, no requestId (keyed by message.id), a final result line.
    let stream = concat!(
        r#"{"type":"system","subtype":"init","cwd":"/w","session_id":"st-1","tools":["Bash"],"model":"claude-sonnet-4-5-20250929","permissionMode":"default","uuid":"i1"}"#,
        "\n",
        r#"{"type":"assistant","message":{"id":"msg_X","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"tool_use","id":"toolu_X","name":"Bash","input":{"command":"ls"}}],"usage":{"input_tokens":3,"output_tokens":25,"cache_creation_input_tokens":900,"cache_read_input_tokens":0}},"parent_tool_use_id":null,"session_id":"st-1","uuid":"x1"}"#,
        "\n",
        r#"{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_X","type":"tool_result","content":"ls: cannot access","is_error":true}]},"parent_tool_use_id":null,"session_id":"st-1","uuid":"x2"}"#,
        "\n",
        r#"{"type":"result","subtype":"error_during_execution","is_error":true,"duration_ms":3000,"num_turns":1,"session_id":"st-1","total_cost_usd":0.0042,"usage":{"input_tokens":3,"output_tokens":25,"cache_creation_input_tokens":900,"cache_read_input_tokens":0}}"#,
        "\n"
    );
    assert_eq!(
        detect("out.jsonl", stream.as_bytes()),
        Ok(Format::ClaudeCode)
    );
    let mut ds = Dataset::new();
    import_file(&mut ds, "out.jsonl", stream.as_bytes()).unwrap();
    let src = &ds.sources[0];
    // init line skipped (no metrics); assistant, user and result imported.
    assert_eq!(src.counts, counts(4, 3, 0, 1));
    let x = op(&ds, "msg_X");
    assert_eq!(x.tokens, tokens(3, 25, 0, 900));
    assert_eq!(x.outcome, Outcome::Failure);
    assert_eq!(x.error_message.as_deref(), Some("Bash: ls: cannot access"));
    // No timestamps: no times, no duration.
    assert_eq!((x.start, x.duration), (None, None));
    // The result settles the session: failed, 3 s, recorded cost kept.
    let s = session(&ds, "st-1");
    assert_eq!(s.outcome, Some(Outcome::Failure));
    assert_eq!(s.duration, Some(3.0));
    assert_close(ds.aggregates[0].total_cost, 0.0042);
}

#[test]
fn otlp_total_only_tokens_stay_uncategorized() {
    // A span with only llm.token_count.total: no category can be told, so
    // the 1234 tokens are kept as uncategorized, not guessed as input.
    let line = br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"t","spanId":"s1","name":"llm","startTimeUnixNano":"1764410400000000000","endTimeUnixNano":"1764410401000000000","attributes":[{"key":"llm.token_count.total","value":{"intValue":"1234"}}]}]}]}]}"#;
    let mut ds = Dataset::new();
    import_file(&mut ds, "t.jsonl", line).unwrap();
    let s1 = op(&ds, "s1");
    assert_eq!(s1.tokens, None);
    assert_eq!(s1.tokens_uncategorized, Some(1234));
    assert_eq!(
        quality(&ds.sources[0], "spans with only a total token count"),
        1.0
    );
    // No service name and no agent attribute: "unknown".
    assert_eq!(name(&ds, s1.agent), "unknown");
}

#[test]
fn span_trees_resolve_through_long_chains_and_cycles() {
    // A chain of 20 000 spans, each the child of the one before; only the
    // root names the agent and the conversation, so every span inherits both.
    // Two more spans are each other's parent (a cycle): they get the service
    // name and their trace as session.
    let mut spans = vec![format!(
        r#"{{"traceId":"t","spanId":"n0","name":"root","startTimeUnixNano":"1764410400000000000","endTimeUnixNano":"1764410401000000000","attributes":[{{"key":"gen_ai.agent.name","value":{{"stringValue":"deep"}}}},{{"key":"gen_ai.conversation.id","value":{{"stringValue":"c"}}}}]}}"#
    )];
    for i in 1..20_000 {
        spans.push(format!(
            r#"{{"traceId":"t","spanId":"n{i}","parentSpanId":"n{}","name":"step","startTimeUnixNano":"1764410400000000000","endTimeUnixNano":"1764410401000000000"}}"#,
            i - 1
        ));
    }
    spans.push(r#"{"traceId":"u","spanId":"x","parentSpanId":"y","name":"loop"}"#.to_string());
    spans.push(r#"{"traceId":"u","spanId":"y","parentSpanId":"x","name":"loop"}"#.to_string());
    let line = format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"svc"}}}}]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    );
    let mut ds = Dataset::new();
    import_file(&mut ds, "deep.jsonl", line.as_bytes()).unwrap();
    assert_eq!(ds.sources[0].counts, counts(20_002, 20_002, 0, 0));
    let last = op(&ds, "n19999");
    assert_eq!(name(&ds, last.agent), "deep");
    assert_eq!(opt_name(&ds, last.session), Some("c"));
    let x = op(&ds, "x");
    assert_eq!(name(&ds, x.agent), "svc");
    assert_eq!(opt_name(&ds, x.session), Some("u"));
    // Spans without an end are running.
    assert_eq!(x.outcome, Outcome::Running);
}

#[test]
fn claude_subagent_type_applies_whichever_file_loads_first() {
    // Subagent file first: its operations are agent-abc until the parent
    // transcript's Task result (agentId abc, agentType code-reviewer) loads.
    let ds = load("claude", &[SUB, MAIN_A]);
    assert_eq!(name(&ds, op(&ds, "req_S1").agent), "code-reviewer");
    assert_eq!(name(&ds, op(&ds, "req_S2").agent), "code-reviewer");
    // ... and hang under the Task call (req_A2) whose result names the run.
    assert_eq!(opt_name(&ds, op(&ds, "req_S1").parent), Some("req_A2"));
    assert_eq!(opt_name(&ds, op(&ds, "req_S2").parent), Some("req_A2"));
    // The main agent is untouched.
    assert_eq!(name(&ds, op(&ds, "req_A1").agent), "main");
    // Alone, the subagent file can only name it by its file.
    let alone = load("claude", &[SUB]);
    assert_eq!(name(&alone, op(&alone, "req_S1").agent), "agent-abc");
    assert_eq!(op(&alone, "req_S1").parent, None);
}

#[test]
fn claude_project_through_the_analytics() {
    use baton_core::analysis::{analyze, AnalysisOptions};
    let ds = load("claude", &[MAIN_A, SUB, MAIN_B, "result.json"]);
    let a = analyze(&ds, &AnalysisOptions::default());
    // 9 finished operations, 3 failed (req_A1, req_S1, b-e1).
    assert_eq!(a.overall.total_operations, 9);
    assert_eq!(a.overall.failed, 3);
    // Tokens, no category counted twice:
    // input  837 (main A) + 430 (subagent: 400 + 30) + 1250 (B: 1200 + 50) = 2517
    // output 460 + 180 (60 + 120) + 360 (300 + 60) = 1000
    // cache read 12500 + 2200 (1000 + 1200) = 14700; cache write 1500 + 350 (200 + 150) = 1850
    let t = &a.costs.tokens;
    assert_eq!(
        (t.input, t.output, t.cache_read, t.cache_write),
        (2517, 1000, 14700, 1850)
    );
    // Recorded costUSD: 0.0123 + 0.0049 = 0.0172. The headless result's own
    // total (0.1875) is a pre-aggregated figure, not added to it.
    assert_close(a.costs.recorded_cost, 0.0172);
    // Computed from the price table (per million tokens: Sonnet 4.5 in 3,
    // out 15, cache read 0.30, cache write 3.75; Haiku 4.5 1, 5, 0.10, 1.25):
    // req_A1 12*3 + 180*15 + 3000*0.3 + 1500*3.75 = 9261
    // req_A2 20*3 + 90*15 + 4500*0.3 = 2760
    // req_A3 800*1 + 150*5 = 1550
    // req_S1 400 + 60*5 + 1000*0.1 + 200*1.25 = 1050
    // req_S2 30 + 120*5 + 1200*0.1 + 150*1.25 = 937.5
    // sum 15558.5 / 1e6 = 0.0155585; req_A4's model has no price.
    assert_close(a.costs.computed_cost, 0.015_558_5);
    assert_eq!(
        a.costs.unpriced_models,
        vec!["claude-experimental-x".to_string()]
    );
    // The subagent file's agent took its type from the Task result.
    assert_eq!(
        a.agents.keys().map(String::as_str).collect::<Vec<_>>(),
        vec!["code-reviewer", "main"]
    );
}

#[test]
fn traces_through_the_analytics() {
    use baton_core::analysis::{analyze, AnalysisOptions};
    let mut ds = Dataset::new();
    for (dir, f) in [("otlp", "traces.jsonl"), ("langfuse", "trace.json")] {
        import_file(&mut ds, f, &fixture(&format!("{dir}/{f}"))).unwrap();
    }
    let a = analyze(&ds, &AnalysisOptions::default());
    // OTLP: 6 spans, "retrieve" still running, the tool span failed.
    // Langfuse: 5 observations, the lookup-order tool failed.
    assert_eq!(a.overall.total_operations, 5 + 5);
    assert_eq!(a.overall.failed, 2);
    assert_eq!(a.overall.running, 1);
    // input  OTLP 500 + 500 + 0 (clamped) + Langfuse 800 + 500 = 2300
    // output 200 + 100 + 10 + 50 + 400 = 760
    // cache read 1000 + 300 + 80 + 200 + 2000 = 3580; cache write 100 + 500 = 600
    let t = &a.costs.tokens;
    assert_eq!(
        (t.input, t.output, t.cache_read, t.cache_write),
        (2300, 760, 3580, 600)
    );
    // Recorded: llm.cost.total 0.0021 + calculatedTotalCost 0.000165. The
    // trace's own totalCost is a pre-aggregated figure, not added.
    assert_close(a.costs.recorded_cost, 0.002_265);
}
