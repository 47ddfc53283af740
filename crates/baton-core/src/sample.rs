//! A deterministic, realistic sample dataset: what a fresh visitor sees after
//! "Load sample data", and a fixture for reports and the CLI.
//!
//! The data ends at a fixed "now" ([`SAMPLE_NOW`], 2025-11-30T18:00:00Z) and
//! comes from a fixed-seed SplitMix64 generator, so every build produces the
//! same records. Its shape fires every alert kind of the default thresholds:
//! a day over $50, an operation over 120 minutes, a success-rate and code
//! quality dip over the last two days, a failing agent, conflicts, a session
//! over 150 000 tokens, slow responses and a security issue.

use crate::model::{
    AgentProfile, Communication, Dataset, DebuggingCycle, Format, LlmConfig, Operation, Outcome,
    PatternAgent, PatternProfile, PipelineAttempt, RecordCounts, Session, Source, SourceId,
    Timestamp, Tokens, WorkItem,
};

/// The sample's "now": 2025-11-30T18:00:00Z in UTC milliseconds.
pub const SAMPLE_NOW: Timestamp = Timestamp(1_764_525_600_000);

/// What to generate. [`SampleConfig::default`] is the embedded sample;
/// raising the per-day volumes gives benchmark-sized datasets.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleConfig {
    /// Days of data ending at `now`.
    pub days: u32,
    /// The last instant of the data.
    pub now: Timestamp,
    /// Generator seed.
    pub seed: u64,
    /// Issues (work items) processed per day, each a run of several operations.
    pub work_items_per_day: u32,
    /// Stand-alone review and analysis operations per day.
    pub background_ops_per_day: u32,
}

impl Default for SampleConfig {
    fn default() -> Self {
        SampleConfig {
            days: 30,
            now: SAMPLE_NOW,
            seed: 0x00BA_7010,
            work_items_per_day: 12,
            background_ops_per_day: 30,
        }
    }
}

/// The sample dataset over `days` days ending at [`SAMPLE_NOW`].
pub fn sample_dataset(days: u32) -> Dataset {
    sample_dataset_with(&SampleConfig {
        days,
        ..SampleConfig::default()
    })
}

/// A sample dataset of roughly `n` operations (for benchmarks): 30 days with
/// the background volume raised to reach `n`.
pub fn sample_operations(n: u64) -> Dataset {
    let days = 30u64;
    // Each day has about 6.5 operations per issue plus the background ones.
    let per_day = n / days;
    let base = 12 * 13 / 2;
    let background = per_day.saturating_sub(base);
    sample_dataset_with(&SampleConfig {
        background_ops_per_day: u32::try_from(background).unwrap_or(u32::MAX),
        ..SampleConfig::default()
    })
}

/// SplitMix64: tiny, fast, good enough for sample data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in [lo, hi].
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next() % (hi - lo + 1)
    }

    /// A positive duration around `median` with a right skew (log-normal-ish).
    fn duration(&mut self, median: f64) -> f64 {
        let z = (self.unit() + self.unit() + self.unit() - 1.5) * 1.4;
        let v = median * (z * 0.5).exp();
        (v * 10.0).round() / 10.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = items.len() as u64;
        if n == 0 {
            return "";
        }
        let i = usize::try_from(self.next() % n).unwrap_or(0);
        items.get(i).copied().unwrap_or("")
    }
}

/// One agent's profile in the sample.
struct AgentDef {
    name: &'static str,
    model: &'static str,
    /// Median duration of its operations, seconds.
    median: f64,
    /// Probability that an operation succeeds.
    success: f64,
    /// Typical input tokens per operation.
    input_tokens: u64,
    /// Error types it meets.
    errors: &'static [&'static str],
}

const AGENTS: [AgentDef; 6] = [
    AgentDef {
        name: "planner",
        model: "claude-sonnet-4-5",
        median: 35.0,
        success: 0.95,
        input_tokens: 3_000,
        errors: &["rate_limit", "timeout"],
    },
    AgentDef {
        name: "coder",
        model: "claude-sonnet-4-5",
        median: 140.0,
        success: 0.88,
        input_tokens: 8_000,
        errors: &["syntax_error", "merge_conflict", "rate_limit"],
    },
    AgentDef {
        name: "tester",
        model: "gpt-4o-mini",
        median: 420.0,
        success: 0.8,
        input_tokens: 4_000,
        errors: &["test_failure", "test_failure", "timeout"],
    },
    AgentDef {
        name: "reviewer",
        model: "deepseek-chat",
        median: 55.0,
        success: 0.93,
        input_tokens: 5_000,
        errors: &["rate_limit", "timeout"],
    },
    AgentDef {
        name: "debugger",
        model: "local-llama-70b",
        median: 260.0,
        success: 0.55,
        input_tokens: 6_000,
        errors: &["syntax_error", "test_failure", "timeout"],
    },
    AgentDef {
        name: "architect",
        model: "claude-opus-4-1",
        median: 600.0,
        success: 0.92,
        input_tokens: 30_000,
        errors: &["timeout", "rate_limit"],
    },
];

const PLANNER: usize = 0;
const CODER: usize = 1;
const TESTER: usize = 2;
const REVIEWER: usize = 3;
const DEBUGGER: usize = 4;
const ARCHITECT: usize = 5;

/// USD per million tokens (input, output, cache read, cache write) used for
/// the costs the sample records; None for the unpriced local model.
fn price(model: &str) -> Option<(f64, f64, f64, f64)> {
    match model {
        "claude-sonnet-4-5" => Some((3.0, 15.0, 0.3, 3.75)),
        "claude-opus-4-1" => Some((15.0, 75.0, 1.5, 18.75)),
        "gpt-4o-mini" => Some((0.15, 0.6, 0.075, 0.0)),
        "deepseek-chat" => Some((0.27, 1.1, 0.07, 0.0)),
        _ => None,
    }
}

struct Gen<'c> {
    cfg: &'c SampleConfig,
    rng: Rng,
    ds: Dataset,
    records: u64,
    op_seq: u64,
}

/// Parameters of one generated operation.
struct OpSpec<'a> {
    kind: &'a str,
    agent: usize,
    session: Option<&'a str>,
    work_item: Option<&'a str>,
    start: i64,
    /// Multiplier of the agent's success probability (a dip is < 1).
    success_factor: f64,
    /// Multiplier of the agent's median duration.
    slow_factor: f64,
}

impl Gen<'_> {
    fn agent(&self, i: usize) -> &'static AgentDef {
        AGENTS.get(i).unwrap_or(&AGENTS[0])
    }

    /// Generates one finished operation; returns (end ms, outcome).
    fn op(&mut self, spec: OpSpec<'_>) -> (i64, Outcome) {
        let def = self.agent(spec.agent);
        let duration = self.rng.duration(def.median * spec.slow_factor).max(1.0);
        let ok = self
            .rng
            .chance((def.success * spec.success_factor).min(1.0));
        let outcome = if ok {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        let end = spec.start + (duration * 1000.0) as i64;
        self.push_op(&spec, def, Some(duration), Some(end), outcome);
        (end, outcome)
    }

    fn push_op(
        &mut self,
        spec: &OpSpec<'_>,
        def: &'static AgentDef,
        duration: Option<f64>,
        end: Option<i64>,
        outcome: Outcome,
    ) {
        self.op_seq += 1;
        let id = format!("op-{:06}", self.op_seq);
        let input = self
            .rng
            .range(def.input_tokens / 2, def.input_tokens * 3 / 2);
        let tokens = Tokens {
            input,
            output: input / self.rng.range(4, 10),
            cache_read: if self.rng.chance(0.6) {
                input * self.rng.range(2, 8) / 4
            } else {
                0
            },
            cache_write: if self.rng.chance(0.25) { input / 3 } else { 0 },
        };
        // About 40 % of priced operations record their cost; the rest are
        // computed from tokens by the price table.
        let cost = match price(def.model) {
            Some((i, o, cr, cw)) if self.rng.chance(0.4) && outcome != Outcome::Running => {
                let c = (tokens.input as f64 * i
                    + tokens.output as f64 * o
                    + tokens.cache_read as f64 * cr
                    + tokens.cache_write as f64 * cw)
                    / 1_000_000.0;
                Some((c * 10_000.0).round() / 10_000.0)
            }
            _ => None,
        };
        let failed = outcome == Outcome::Failure;
        let error_type = if failed {
            Some(self.rng.pick(def.errors))
        } else {
            None
        };
        let retries = if failed {
            self.rng.range(0, 3) as u32
        } else if self.rng.chance(0.08) {
            1
        } else {
            0
        };
        let writes_code = matches!(spec.agent, CODER | DEBUGGER);
        let op = Operation {
            id: self.ds.intern(&id),
            source: SourceId(0),
            session: spec.session.map(|s| self.ds.intern(s)),
            parent: None,
            kind: self.ds.intern(spec.kind),
            agent: self.ds.intern(def.name),
            model: Some(self.ds.intern(def.model)),
            work_item: spec.work_item.map(|w| self.ds.intern(w)),
            start: Some(Timestamp(spec.start)),
            end: end.map(Timestamp),
            duration,
            outcome,
            retries,
            error_type: error_type.map(|e| self.ds.intern(e)),
            error_message: error_type.map(|e| error_text(e, spec.kind)),
            tokens: Some(tokens),
            tokens_uncategorized: None,
            cost,
            cache_hit: if self.rng.chance(0.85) {
                Some(self.rng.chance(0.62))
            } else {
                None
            },
            files_created: if writes_code {
                Some(self.rng.range(0, 3) as u32)
            } else {
                None
            },
            files_modified: if writes_code || spec.agent == TESTER {
                Some(self.rng.range(1, 8) as u32)
            } else {
                None
            },
            quality_score: if writes_code || spec.agent == REVIEWER {
                let base = if spec.agent == DEBUGGER { 52.0 } else { 82.0 };
                let base = if spec.success_factor < 1.0 {
                    base - 30.0
                } else {
                    base
                };
                Some((base + self.rng.unit() * 16.0 - 8.0).round())
            } else {
                None
            },
            conflicts: if spec.kind == "create_pr" && self.rng.chance(0.03) {
                Some(self.rng.range(1, 2) as u32)
            } else {
                None
            },
            self_healed: if failed && self.rng.chance(0.3) {
                Some(true)
            } else {
                None
            },
        };
        self.ds.insert_operation(op);
        self.records += 1;
    }

    fn session(&mut self, s: Session) {
        self.ds.insert_session(s);
        self.records += 1;
    }
}

fn error_text(kind: &str, op: &str) -> String {
    match kind {
        "timeout" => format!("{op} exceeded its time limit"),
        "test_failure" => "3 tests failed: assertion mismatch in integration suite".to_string(),
        "rate_limit" => "429 Too Many Requests from the model provider".to_string(),
        "merge_conflict" => "merge conflict in src/lib.rs".to_string(),
        "syntax_error" => "syntax error: unexpected token near line 42".to_string(),
        other => other.to_string(),
    }
}

fn llm(provider: &str, model: &str, temperature: f64) -> Option<LlmConfig> {
    Some(LlmConfig {
        provider: Some(provider.to_string()),
        model: Some(model.to_string()),
        temperature: Some(temperature),
    })
}

fn empty_session(ds: &mut Dataset, id: &str) -> Session {
    Session {
        id: ds.intern(id),
        source: SourceId(0),
        start: None,
        end: None,
        duration: None,
        outcome: None,
        status: None,
        mode: None,
        llm: None,
        description: None,
        project: Some("baton-demo".to_string()),
        tasks_total: None,
        tasks_completed: None,
        tasks_failed: None,
        commit: None,
        current_phase: None,
        progress: None,
    }
}

const DAY: i64 = Timestamp::DAY_MS;
const HOUR: i64 = 3_600_000;
const MINUTE: i64 = 60_000;

/// The sample dataset for a configuration.
pub fn sample_dataset_with(cfg: &SampleConfig) -> Dataset {
    let mut g = Gen {
        cfg,
        rng: Rng(cfg.seed),
        ds: Dataset::new(),
        records: 0,
        op_seq: 0,
    };
    let days = i64::from(cfg.days.max(1));
    let start = cfg.now.0 - days * DAY;
    let mut issue_no = 100u64;
    let configs = [
        ("anthropic", "claude-sonnet-4-5", 0.2),
        ("deepseek", "deepseek-chat", 0.0),
        ("openai", "gpt-4o-mini", 0.7),
    ];
    let modes = ["autonomous", "autonomous", "supervised", "manual"];
    let last_day = days - 1;
    for d in 0..days {
        let day_start = start + d * DAY;
        // A success-rate and quality dip over yesterday and today, so the
        // daily report and `check --days 1` have something to say.
        let dip = d >= last_day - 1;
        let success_factor = if dip { 0.6 } else { 1.0 };
        // Each issue is one run; the day's runs share an LLM configuration.
        let (provider, model, temp) = configs
            .get(usize::try_from(d % 3).unwrap_or(0))
            .copied()
            .unwrap_or(("anthropic", "claude-sonnet-4-5", 0.2));
        let mode = g.rng.pick(&modes);
        for _ in 0..cfg.work_items_per_day {
            issue_no += 1;
            let issue = format!("issue-{issue_no}");
            let t0 = day_start + g.rng.range(0, 17 * 60) as i64 * MINUTE;
            let run_id = format!("run-{issue_no}");
            let base = OpSpec {
                kind: "plan",
                agent: PLANNER,
                session: Some(&run_id),
                work_item: Some(&issue),
                start: t0,
                success_factor,
                slow_factor: 1.0,
            };
            let (t1, _) = g.op(base);
            let (t2, coded) = g.op(OpSpec {
                kind: "process_issue",
                agent: CODER,
                start: t1 + MINUTE,
                session: Some(&run_id),
                work_item: Some(&issue),
                success_factor,
                slow_factor: 1.0,
            });
            // One test run far over 120 minutes, mid-period.
            let stuck = d == days / 2 && issue_no % 7 == 0;
            let (mut t, mut tested) = g.op(OpSpec {
                kind: "run_tests",
                agent: TESTER,
                start: t2 + MINUTE,
                session: Some(&run_id),
                work_item: Some(&issue),
                success_factor,
                slow_factor: if stuck { 19.0 } else { 1.0 },
            });
            // CI pipelines: the first attempt, then a debugging cycle and a
            // second attempt when it fails.
            let first_pass = coded == Outcome::Success && tested == Outcome::Success;
            push_pipeline(&mut g, &issue, 0, first_pass, t);
            if !first_pass {
                let attempts = g.rng.range(1, 4) as u32;
                let (t3, fixed) = g.op(OpSpec {
                    kind: "debug_fix",
                    agent: DEBUGGER,
                    start: t + MINUTE,
                    session: Some(&run_id),
                    work_item: Some(&issue),
                    success_factor,
                    slow_factor: f64::from(attempts) * 0.6,
                });
                let error_type = g.rng.pick(&["test_failure", "syntax_error", "timeout"]);
                let cycle = DebuggingCycle {
                    work_item: Some(g.ds.intern(&issue)),
                    source: SourceId(0),
                    agent: g.ds.intern("debugger"),
                    error_type: Some(g.ds.intern(error_type)),
                    error_message: Some(error_text(error_type, "run_tests")),
                    attempts,
                    resolved: fixed == Outcome::Success,
                    duration: Some(((t3 - t) / 1000) as f64),
                    time: Some(Timestamp(t + MINUTE)),
                };
                g.ds.debugging.push(cycle);
                g.records += 1;
                let (t4, retested) = g.op(OpSpec {
                    kind: "run_tests",
                    agent: TESTER,
                    start: t3 + MINUTE,
                    session: Some(&run_id),
                    work_item: Some(&issue),
                    success_factor,
                    slow_factor: 0.8,
                });
                let passed = fixed == Outcome::Success && retested == Outcome::Success;
                push_pipeline(&mut g, &issue, 1, passed, t4);
                t = t4;
                tested = if passed {
                    Outcome::Success
                } else {
                    Outcome::Failure
                };
            }
            let mut merged = false;
            if tested == Outcome::Success {
                let (t5, _) = g.op(OpSpec {
                    kind: "code_review",
                    agent: REVIEWER,
                    start: t + MINUTE,
                    session: Some(&run_id),
                    work_item: Some(&issue),
                    success_factor,
                    slow_factor: 1.0,
                });
                let (t6, pr) = g.op(OpSpec {
                    kind: "create_pr",
                    agent: CODER,
                    start: t5 + MINUTE,
                    session: Some(&run_id),
                    work_item: Some(&issue),
                    success_factor,
                    slow_factor: 0.2,
                });
                merged = pr == Outcome::Success;
                t = t6;
            }
            let item = WorkItem {
                id: g.ds.intern(&issue),
                source: SourceId(0),
                session: Some(g.ds.intern(&run_id)),
                outcome: Some(if merged {
                    Outcome::Success
                } else {
                    Outcome::Failure
                }),
                status: Some(if merged { "merged" } else { "failed" }.to_string()),
                start: Some(Timestamp(t0)),
                duration: Some(((t - t0) / 1000) as f64),
                prs_merged: Some(u32::from(merged)),
                errors: Some(u32::from(!first_pass)),
            };
            g.ds.insert_work_item(item);
            g.records += 1;
            let mut run = empty_session(&mut g.ds, &run_id);
            run.mode = Some(mode.to_string());
            run.llm = llm(provider, model, temp);
            run.description = Some(format!("Resolve {issue}"));
            run.commit = Some(format!("{:07x}", g.rng.next() & 0x0FFF_FFFF));
            run.start = Some(Timestamp(t0));
            run.end = Some(Timestamp(t));
            run.outcome = Some(if merged {
                Outcome::Success
            } else {
                Outcome::Failure
            });
            run.status = Some(if merged { "completed" } else { "failed" }.to_string());
            g.session(run);
        }

        // Stand-alone PR analysis and reviews, outside any run.
        for _ in 0..cfg.background_ops_per_day {
            let t0 = day_start + g.rng.range(0, 20 * 60) as i64 * MINUTE;
            let kind = g.rng.pick(&["analyze_pr", "analyze_pr", "code_review"]);
            g.op(OpSpec {
                kind,
                agent: REVIEWER,
                start: t0,
                session: None,
                work_item: None,
                success_factor,
                slow_factor: 1.0,
            });
        }

        // Every third day an architect-led orchestration with phases; its
        // testing phase is slow.
        if d % 3 == 1 {
            orchestration(&mut g, d, day_start + 2 * HOUR);
        }
        // The expensive day: a design review marathon on opus, five days ago.
        if d == last_day - 5 {
            let sid = format!("design-review-{:03}", d + 1);
            let mut s = empty_session(&mut g.ds, &sid);
            s.mode = Some("supervised".to_string());
            s.llm = llm("anthropic", "claude-opus-4-1", 0.3);
            s.description = Some("Architecture review of the storage layer".to_string());
            let mut t = day_start + 8 * HOUR;
            for _ in 0..18 {
                let before = g.op_seq;
                let (end, _) = g.op(OpSpec {
                    kind: "design_review",
                    agent: ARCHITECT,
                    start: t,
                    session: Some(&sid),
                    work_item: None,
                    success_factor: 1.0,
                    slow_factor: 0.3,
                });
                // Record a large cost on each (long-context opus calls).
                if let Some(op) = g.ds.operations.last_mut() {
                    if g.op_seq > before {
                        op.cost = Some(3.4);
                    }
                }
                t = end + 2 * MINUTE;
            }
            s.start = Some(Timestamp(day_start + 8 * HOUR));
            s.end = Some(Timestamp(t));
            s.outcome = Some(Outcome::Success);
            s.status = Some("completed".to_string());
            g.session(s);
        }
    }
    running_sessions(&mut g);
    profiles(&mut g);
    let records = g.records;
    let mut ds = g.ds;
    ds.sources.push(Source {
        name: "sample".to_string(),
        format: Format::Baton,
        bytes: 0,
        counts: RecordCounts {
            read: records,
            imported: records,
            duplicates: 0,
            skipped: 0,
        },
        diagnostics: Vec::new(),
        quality: Vec::new(),
    });
    ds
}

fn push_pipeline(g: &mut Gen<'_>, issue: &str, sequence: u32, passed: bool, time: i64) {
    let p = PipelineAttempt {
        id: g.ds.intern(&format!("pipeline-{issue}-{}", sequence + 1)),
        source: SourceId(0),
        work_item: Some(g.ds.intern(issue)),
        sequence,
        outcome: if passed {
            Outcome::Success
        } else {
            Outcome::Failure
        },
        commit: Some(format!("{:07x}", g.rng.next() & 0x0FFF_FFFF)),
        time: Some(Timestamp(time)),
    };
    g.ds.pipelines.push(p);
    g.records += 1;
}

/// A seed-001-like orchestration: planning, implementation, testing (slow)
/// and integration phases, with communication statistics.
fn orchestration(g: &mut Gen<'_>, d: i64, t0: i64) {
    let sid = format!("orch-{:03}", d + 1);
    let mut s = empty_session(&mut g.ds, &sid);
    s.mode = Some("autonomous".to_string());
    s.llm = llm("anthropic", "claude-opus-4-1", 0.2);
    s.description = Some("Implement a feature end to end".to_string());
    let phases: [(&str, usize, f64); 5] = [
        ("planning", ARCHITECT, 0.5),
        ("implementation", CODER, 4.0),
        ("testing", TESTER, 4.5),
        ("review", REVIEWER, 2.0),
        ("integration", CODER, 1.0),
    ];
    let mut t = t0;
    let mut done = 0u64;
    let mut failed = 0u64;
    for (phase, agent, slow) in phases {
        let (end, outcome) = g.op(OpSpec {
            kind: phase,
            agent,
            start: t,
            session: Some(&sid),
            work_item: None,
            success_factor: 1.0,
            slow_factor: slow,
        });
        // Integration meets conflicts now and then.
        if phase == "integration" && d % 2 == 1 {
            if let Some(op) = g.ds.operations.last_mut() {
                op.conflicts = Some(1);
            }
        }
        if outcome == Outcome::Success {
            done += 1;
        } else {
            failed += 1;
        }
        t = end + 3 * MINUTE;
    }
    s.start = Some(Timestamp(t0));
    s.end = Some(Timestamp(t));
    s.tasks_total = Some(5);
    s.tasks_completed = Some(done);
    s.tasks_failed = Some(failed);
    s.outcome = Some(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    });
    s.status = Some(if failed == 0 { "completed" } else { "failed" }.to_string());
    g.session(s);
    communication(g, &sid, t0, d);
}

fn communication(g: &mut Gen<'_>, sid: &str, time: i64, d: i64) {
    let pairs = [
        ("architect", "planner"),
        ("planner", "coder"),
        ("coder", "tester"),
        ("tester", "debugger"),
        ("debugger", "coder"),
        ("coder", "reviewer"),
        ("reviewer", "coder"),
    ];
    let mut edges = Vec::new();
    let mut by_agent: Vec<(crate::model::Sym, u64)> = Vec::new();
    let mut total = 0;
    for (from, to) in pairs {
        let n = g.rng.range(2, 14);
        total += n;
        let f = g.ds.intern(from);
        let t = g.ds.intern(to);
        edges.push((f, t, n));
        match by_agent.iter_mut().find(|(a, _)| *a == f) {
            Some(e) => e.1 += n,
            None => by_agent.push((f, n)),
        }
    }
    let request = total * 2 / 5;
    let response = total * 2 / 5;
    let handoff = total / 10;
    let c = Communication {
        source: SourceId(0),
        session: Some(g.ds.intern(sid)),
        total_messages: total,
        messages_by_type: vec![
            ("request".to_string(), request),
            ("response".to_string(), response),
            ("handoff".to_string(), handoff),
            (
                "notification".to_string(),
                total - request - response - handoff,
            ),
        ],
        messages_by_agent: by_agent,
        edges,
        // One orchestration waits on slow replies (above the 300 s alert).
        average_response_time: Some(if d == 7 {
            420.0
        } else {
            40.0 + g.rng.unit() * 60.0
        }),
        efficiency: Some(0.7 + g.rng.unit() * 0.25),
        time: Some(Timestamp(time)),
    };
    g.ds.communication.push(c);
    g.records += 1;
}

/// Two runs still in progress at "now", with running operations.
fn running_sessions(g: &mut Gen<'_>) {
    let now = g.cfg.now.0;
    let items: [(&str, &str, &str, i64, usize, &str, f64); 2] = [
        (
            "live-001",
            "issue-945",
            "testing",
            40,
            TESTER,
            "run_tests",
            0.6,
        ),
        (
            "live-002",
            "pr-92",
            "implementation",
            15,
            REVIEWER,
            "analyze_pr",
            0.25,
        ),
    ];
    for (sid, item, phase, minutes_ago, agent, kind, progress) in items {
        let mut s = empty_session(&mut g.ds, sid);
        let start = now - minutes_ago * MINUTE;
        s.start = Some(Timestamp(start));
        s.outcome = Some(Outcome::Running);
        s.status = Some("running".to_string());
        s.mode = Some("autonomous".to_string());
        s.llm = llm("anthropic", "claude-sonnet-4-5", 0.2);
        s.description = Some(format!("Working on {item}"));
        s.current_phase = Some(phase.to_string());
        s.progress = Some(progress);
        s.tasks_total = Some(5);
        s.tasks_completed = Some(if progress > 0.5 { 3 } else { 1 });
        g.session(s);
        let (end, _) = g.op(OpSpec {
            kind: "plan",
            agent: PLANNER,
            session: Some(sid),
            work_item: Some(item),
            start,
            success_factor: 1.0,
            slow_factor: 1.0,
        });
        let spec = OpSpec {
            kind,
            agent,
            session: Some(sid),
            work_item: Some(item),
            start: end.min(now - MINUTE) + 1000,
            success_factor: 1.0,
            slow_factor: 1.0,
        };
        let def = g.agent(agent);
        g.push_op(&spec, def, None, None, Outcome::Running);
    }
    // The latest record ends exactly at "now", so the default "now" of an
    // analysis of the sample is SAMPLE_NOW.
    let spec = OpSpec {
        kind: "analyze_pr",
        agent: REVIEWER,
        session: None,
        work_item: None,
        start: now - 42_000,
        success_factor: 1.0,
        slow_factor: 1.0,
    };
    let def = g.agent(REVIEWER);
    g.push_op(&spec, def, Some(42.0), Some(now), Outcome::Success);
}

/// Agent, completion, quality, error rate, response s, code quality,
/// coverage, security score, security issues.
type ProfileRow = (&'static str, f64, f64, f64, f64, f64, f64, f64, u64);

/// Recorded agent profiles (seed 001) and task patterns.
fn profiles(g: &mut Gen<'_>) {
    let time = Some(g.cfg.now);
    // (agent, completion, quality, error, response s, code quality, coverage, security, issues)
    let rows: [ProfileRow; 6] = [
        ("planner", 0.95, 86.0, 0.05, 25.0, 84.0, 0.0, 96.0, 0),
        ("coder", 0.88, 81.0, 0.12, 60.0, 78.0, 0.74, 88.0, 1),
        ("tester", 0.8, 79.0, 0.2, 140.0, 80.0, 0.86, 95.0, 0),
        ("reviewer", 0.93, 88.0, 0.07, 45.0, 90.0, 0.0, 97.0, 0),
        ("debugger", 0.55, 54.0, 0.45, 350.0, 52.0, 0.41, 85.0, 0),
        ("architect", 0.92, 91.0, 0.08, 200.0, 92.0, 0.0, 98.0, 0),
    ];
    for (name, completion, quality, error, response, code, coverage, security, issues) in rows {
        let p = AgentProfile {
            source: Some(SourceId(0)),
            agent: Some(g.ds.intern(name)),
            task_type: Some("mixed".to_string()),
            completion_rate: Some(completion),
            average_task_duration: None,
            quality_score: Some(quality),
            error_rate: Some(error),
            retry_rate: Some(error / 2.0),
            messages_sent: Some(g.rng.range(40, 160)),
            messages_received: Some(g.rng.range(40, 160)),
            response_time: Some(response),
            collaboration_score: Some(0.6 + g.rng.unit() * 0.35),
            files_created: Some(g.rng.range(0, 60)),
            code_quality_score: Some(code),
            test_coverage: if coverage > 0.0 { Some(coverage) } else { None },
            security_score: Some(security),
            security_issues: Some(issues),
            time,
        };
        g.ds.agent_profiles.push(p);
        g.records += 1;
    }
    let agent = |g: &mut Gen<'_>, name: &str, rate: f64, dur: f64| PatternAgent {
        agent: Some(g.ds.intern(name)),
        success_rate: Some(rate),
        average_duration: Some(dur),
        quality_consistency: Some(0.8),
    };
    let fix_bug = PatternProfile {
        source: Some(SourceId(0)),
        id: "fix-bug".to_string(),
        name: "Fix a reported bug".to_string(),
        total_executions: Some(214),
        success_rate: Some(0.78),
        average_duration: Some(1380.0),
        common_failure_points: vec!["flaky integration tests".to_string()],
        bottlenecks: vec!["testing phase".to_string()],
        optimization_opportunities: vec!["run unit tests before the full suite".to_string()],
        efficiency_improvements: Vec::new(),
        agents: vec![
            agent(g, "coder", 0.86, 300.0),
            agent(g, "debugger", 0.55, 520.0),
        ],
    };
    let feature = PatternProfile {
        source: Some(SourceId(0)),
        id: "new-feature".to_string(),
        name: "Implement a feature".to_string(),
        total_executions: Some(58),
        success_rate: Some(0.91),
        average_duration: Some(5400.0),
        common_failure_points: vec!["integration conflicts".to_string()],
        bottlenecks: Vec::new(),
        optimization_opportunities: Vec::new(),
        efficiency_improvements: vec!["plan with the architect first".to_string()],
        agents: vec![
            agent(g, "architect", 0.95, 900.0),
            agent(g, "coder", 0.9, 1800.0),
        ],
    };
    g.ds.patterns.push(fix_bug);
    g.ds.patterns.push(feature);
    g.records += 2;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn deterministic() {
        let a = sample_dataset(30);
        let b = sample_dataset(30);
        assert_eq!(a.operations, b.operations);
        assert_eq!(a.sessions, b.sessions);
        assert_eq!(a.work_items, b.work_items);
        assert_eq!(a.sources, b.sources);
        assert_eq!(a.latest_timestamp(), b.latest_timestamp());
    }

    #[test]
    fn shape() {
        let ds = sample_dataset(30);
        let agents: BTreeSet<&str> = ds.operations.iter().map(|o| ds.name(o.agent)).collect();
        assert!(agents.len() >= 6, "{agents:?}");
        let kinds: BTreeSet<&str> = ds.operations.iter().map(|o| ds.name(o.kind)).collect();
        for k in [
            "process_issue",
            "create_pr",
            "run_tests",
            "analyze_pr",
            "code_review",
            "plan",
        ] {
            assert!(kinds.contains(k), "{k}");
        }
        let models: BTreeSet<&str> = ds
            .operations
            .iter()
            .filter_map(|o| o.model.map(|m| ds.name(m)))
            .collect();
        assert!(models.contains("local-llama-70b"));
        assert!(models.contains("claude-opus-4-1"));
        let mut t = Tokens::default();
        for o in &ds.operations {
            t.add(&o.tokens.unwrap_or_default());
        }
        assert!(t.input > 0 && t.output > 0 && t.cache_read > 0 && t.cache_write > 0);
        for outcome in [Outcome::Success, Outcome::Failure, Outcome::Running] {
            assert!(
                ds.operations.iter().any(|o| o.outcome == outcome),
                "{outcome:?}"
            );
        }
        let recorded = ds.operations.iter().filter(|o| o.cost.is_some()).count();
        assert!(recorded > 0 && recorded < ds.operations.len());
        assert!(ds.operations.len() >= 2000, "{}", ds.operations.len());
        assert!(!ds.pipelines.is_empty());
        assert!(
            ds.pipelines.iter().any(|p| p.sequence == 1),
            "some not first-pass"
        );
        assert!(!ds.debugging.is_empty());
        assert!(
            ds.debugging.iter().any(|c| c.resolved) && ds.debugging.iter().any(|c| !c.resolved)
        );
        let running: Vec<&Session> = ds
            .sessions
            .iter()
            .filter(|s| s.outcome == Some(Outcome::Running))
            .collect();
        assert_eq!(running.len(), 2);
        assert!(running
            .iter()
            .all(|s| s.current_phase.is_some() && s.progress.is_some()));
        assert!(ds
            .agent_profiles
            .iter()
            .any(|p| p.security_issues > Some(0)));
        assert!(!ds.patterns.is_empty());
        assert!(!ds.communication.is_empty());
        let errors: BTreeSet<&str> = ds
            .operations
            .iter()
            .filter_map(|o| o.error_type.map(|e| ds.name(e)))
            .collect();
        for e in [
            "timeout",
            "test_failure",
            "rate_limit",
            "merge_conflict",
            "syntax_error",
        ] {
            assert!(errors.contains(e), "{e}");
        }
        // The source's counts add up.
        let s = &ds.sources[0];
        assert_eq!(s.name, "sample");
        assert!(s.counts.is_conserved());
        let n = ds.sessions.len()
            + ds.operations.len()
            + ds.work_items.len()
            + ds.pipelines.len()
            + ds.debugging.len()
            + ds.communication.len()
            + ds.agent_profiles.len()
            + ds.patterns.len();
        assert_eq!(s.counts.read, n as u64);
        assert_eq!(ds.latest_timestamp(), Some(SAMPLE_NOW));
    }

    #[test]
    fn fires_every_alert_kind() {
        let ds = sample_dataset(30);
        // A day costing more than $50 (recorded costs alone).
        let mut by_day: BTreeMap<i64, f64> = BTreeMap::new();
        for o in &ds.operations {
            if let (Some(c), Some(s)) = (o.cost, o.start) {
                *by_day.entry(s.day_index()).or_default() += c;
            }
        }
        assert!(by_day.values().any(|c| *c > 50.0), "{by_day:?}");
        // An operation over 120 minutes.
        assert!(ds
            .operations
            .iter()
            .any(|o| o.duration.unwrap_or(0.0) > 7200.0));
        // Conflicts, low code quality, slow response, security issue.
        assert!(ds.operations.iter().any(|o| o.conflicts.unwrap_or(0) > 0));
        assert!(ds
            .agent_profiles
            .iter()
            .any(|p| p.code_quality_score < Some(60.0)));
        assert!(ds
            .communication
            .iter()
            .any(|c| c.average_response_time > Some(300.0)));
        // A session over 150 000 tokens.
        let mut per_session: BTreeMap<crate::model::Sym, u64> = BTreeMap::new();
        for o in &ds.operations {
            if let Some(s) = o.session {
                *per_session.entry(s).or_default() += o.tokens.unwrap_or_default().total();
            }
        }
        assert!(per_session.values().any(|t| *t > 150_000));
        // A day whose success rate is below 70 %.
        let mut days: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
        for o in ds.operations.iter().filter(|o| o.outcome.is_finished()) {
            let e = days.entry(o.start.unwrap().day_index()).or_default();
            e.0 += 1;
            e.1 += u64::from(o.outcome == Outcome::Success);
        }
        assert!(
            days.values().any(|(n, ok)| (*ok as f64) < 0.7 * *n as f64),
            "{days:?}"
        );
        // The failing agent: debugger's error rate above 25 %.
        let dbg: Vec<&Operation> = ds
            .operations
            .iter()
            .filter(|o| ds.name(o.agent) == "debugger" && o.outcome.is_finished())
            .collect();
        let failed = dbg.iter().filter(|o| o.outcome == Outcome::Failure).count();
        assert!(failed * 4 > dbg.len());
    }
}
