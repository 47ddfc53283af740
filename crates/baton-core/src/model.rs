//! The canonical model: one representation for every input format.
//!
//! Importers turn bytes into these types; analytics and reports read only
//! these types. Names that repeat across many records (agents, kinds, models,
//! sessions, error types) are interned into [`Sym`]s so a million operations
//! stay compact. Times are UTC milliseconds since the Unix epoch
//! ([`Timestamp`]), durations are seconds, money is USD.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use std::hash::Hasher;

use crate::hash::TextHasher;

/// An interned string: an index into [`Interner`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sym(pub u32);

/// Stores each distinct name once and hands out [`Sym`]s for them.
///
/// The texts live end to end in one buffer (one growing allocation, not one
/// per name), and the look-up table holds only symbols (4 bytes a slot), its
/// keys compared against the buffer: a million distinct ids stay compact and
/// cache-friendly.
#[derive(Clone, Default)]
pub struct Interner {
    /// Every name, end to end.
    text: String,
    /// End of each name in `text`; a name starts where the previous ends.
    ends: Vec<usize>,
    /// Symbols, found by the [`TextHasher`] hash of their text.
    table: hashbrown::HashTable<u32>,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner")
            .field("names", &self.ends.len())
            .finish()
    }
}

/// The hash of a name.
#[inline(always)]
fn text_hash(name: &str) -> u64 {
    let mut h = TextHasher::default();
    h.write(name.as_bytes());
    h.finish()
}

/// Name number `i` of an interner's buffer.
#[inline(always)]
fn text_at<'t>(text: &'t str, ends: &[usize], i: u32) -> &'t str {
    let i = i as usize;
    let Some(&end) = ends.get(i) else {
        return "";
    };
    let start = match i.checked_sub(1) {
        Some(p) => ends.get(p).copied().unwrap_or(0),
        None => 0,
    };
    text.get(start..end).unwrap_or("")
}

impl Interner {
    /// The symbol for `name`, adding it if it is new.
    #[inline]
    pub fn intern(&mut self, name: &str) -> Sym {
        self.intern_hashed(name, text_hash(name))
    }

    /// The hash of a name, as [`Interner::intern_hashed`] takes it (worked
    /// out ahead, for instance on another thread).
    #[inline]
    pub fn hash(name: &str) -> u64 {
        text_hash(name)
    }

    /// [`Interner::intern`] with the name's [`Interner::hash`] already
    /// worked out. Another hash would make a second symbol for the name.
    #[inline]
    pub fn intern_hashed(&mut self, name: &str, hash: u64) -> Sym {
        let (text, ends) = (&self.text, &self.ends);
        // One probe finds the name or the slot for it.
        match self.table.entry(
            hash,
            |&i| text_at(text, ends, i) == name,
            |&j| text_hash(text_at(text, ends, j)),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => Sym(*e.get()),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let i = u32::try_from(ends.len()).unwrap_or(u32::MAX);
                e.insert(i);
                self.text.push_str(name);
                self.ends.push(self.text.len());
                Sym(i)
            }
        }
    }

    /// The symbol for `name` if it was interned before.
    pub fn get(&self, name: &str) -> Option<Sym> {
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .find(text_hash(name), |&i| text_at(text, ends, i) == name)
            .map(|&i| Sym(i))
    }

    /// The text of a symbol; the empty string for a symbol of another interner.
    pub fn resolve(&self, sym: Sym) -> &str {
        text_at(&self.text, &self.ends, sym.0)
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Forgets every name from number `len` on (those interned since the
    /// interner had `len` names), so their symbols are handed out again.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.ends.len() {
            return;
        }
        self.ends.truncate(len);
        self.text.truncate(self.ends.last().copied().unwrap_or(0));
        self.table.retain(|i| (*i as usize) < len);
    }

    /// Makes room for `additional` more names.
    pub fn reserve(&mut self, additional: usize) {
        self.ends.reserve(additional);
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .reserve(additional, |&j| text_hash(text_at(text, ends, j)));
    }
}

/// A point in time: UTC milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds in a day.
    pub const DAY_MS: i64 = 86_400_000;

    /// From a chrono UTC time.
    pub fn from_datetime(dt: chrono::DateTime<chrono::Utc>) -> Self {
        Timestamp(dt.timestamp_millis())
    }

    /// As a chrono UTC time (None when out of chrono's range).
    pub fn to_datetime(self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::DateTime::from_timestamp_millis(self.0)
    }

    /// Days since 1970-01-01 (floor), the key of per-day breakdowns.
    pub fn day_index(self) -> i64 {
        self.0.div_euclid(Self::DAY_MS)
    }

    /// RFC 3339 text with a `Z` suffix, millisecond precision when needed.
    pub fn to_rfc3339(self) -> String {
        match self.to_datetime() {
            Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            None => self.0.to_string(),
        }
    }
}

/// How a unit of work ended, mapped by meaning from every format's statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// success, succeeded, completed, passed, ok, merged.
    Success,
    /// failure, failed, error, errored, timeout, blocked, cancelled.
    Failure,
    /// running, in_progress, pending, started.
    Running,
}

impl Outcome {
    /// Maps a status word by meaning, case-insensitively (PRODUCT.md section 2).
    /// Returns None for a word of no known meaning.
    pub fn from_status(status: &str) -> Option<Outcome> {
        let s = status.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        match s.as_str() {
            "success" | "successful" | "succeeded" | "completed" | "complete" | "passed"
            | "pass" | "ok" | "merged" | "done" => Some(Outcome::Success),
            "failure" | "failed" | "fail" | "error" | "errored" | "timeout" | "timed_out"
            | "blocked" | "cancelled" | "canceled" | "partial" | "aborted" => {
                Some(Outcome::Failure)
            }
            "running" | "in_progress" | "pending" | "started" | "queued" => Some(Outcome::Running),
            _ => None,
        }
    }

    /// True for success and failure: the operation is finished.
    pub fn is_finished(self) -> bool {
        !matches!(self, Outcome::Running)
    }
}

/// Token counts by category. Input excludes cached tokens: importers of
/// formats whose input includes the cache (OpenTelemetry, OpenAI) subtract it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tokens {
    /// Fresh prompt tokens.
    pub input: u64,
    /// Completion tokens.
    pub output: u64,
    /// Prompt tokens served from the provider's cache.
    pub cache_read: u64,
    /// Prompt tokens written to the provider's cache.
    pub cache_write: u64,
}

impl Tokens {
    /// Sum of every category.
    pub fn total(&self) -> u64 {
        self.input
            .saturating_add(self.output)
            .saturating_add(self.cache_read)
            .saturating_add(self.cache_write)
    }

    /// Category-wise sum.
    pub fn add(&mut self, other: &Tokens) {
        self.input = self.input.saturating_add(other.input);
        self.output = self.output.saturating_add(other.output);
        self.cache_read = self.cache_read.saturating_add(other.cache_read);
        self.cache_write = self.cache_write.saturating_add(other.cache_write);
    }

    /// True when every category is zero.
    pub fn is_zero(&self) -> bool {
        self.total() == 0
    }
}

/// Index of a loaded file in [`Dataset::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceId(pub u32);

/// The input formats Baton reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Seed 000: `report --format json` output (pre-aggregated).
    OrchestratorReport,
    /// Seed 001: OrchestratorMetrics, DroidPerformanceMetrics, TaskPatternMetrics.
    DroidMetrics,
    /// Seed 002: run logger metadata, final and issue files.
    RunLogger,
    /// Seed 003: daily hook files, task/token/agent metrics, daily report.
    MoaiMetrics,
    /// Seed 003: the CSV export.
    MoaiCsv,
    /// Seed 004: `monitor export` JSON.
    MonitorExport,
    /// Baton's own canonical JSON document.
    Baton,
    /// Baton's own canonical NDJSON stream.
    BatonNdjson,
    /// Claude Code session transcript JSONL.
    ClaudeCode,
    /// OpenTelemetry traces as OTLP/JSON.
    Otlp,
    /// Langfuse trace or observation export.
    Langfuse,
}

impl Format {
    /// A short human name for the Data view and the CLI summary.
    pub fn label(self) -> &'static str {
        match self {
            Format::OrchestratorReport => "Orchestrator report JSON",
            Format::DroidMetrics => "Droid orchestrator metrics",
            Format::RunLogger => "Run logger",
            Format::MoaiMetrics => "MoAI metrics",
            Format::MoaiCsv => "MoAI CSV export",
            Format::MonitorExport => "Monitor export",
            Format::Baton => "Baton canonical JSON",
            Format::BatonNdjson => "Baton canonical NDJSON",
            Format::ClaudeCode => "Claude Code transcript",
            Format::Otlp => "OpenTelemetry OTLP/JSON",
            Format::Langfuse => "Langfuse export",
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticLevel {
    /// Something was assumed (for instance a naive timestamp read as UTC).
    Info,
    /// A value was dropped or corrected but the record was kept.
    Warning,
    /// The record was skipped.
    Skipped,
}

/// One thing an importer could not use as it was, with where and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Severity.
    pub level: DiagnosticLevel,
    /// The file's name as loaded.
    pub file: String,
    /// Index of the record in the file (0-based), when the problem is in a record.
    pub record: Option<u64>,
    /// Line in the file (1-based), when known.
    pub line: Option<u64>,
    /// The field concerned, when one is.
    pub field: Option<String>,
    /// What was wrong, for people.
    pub reason: String,
}

/// Per-file record counts. `read == imported + duplicates + skipped` always.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCounts {
    /// Records seen in the file.
    pub read: u64,
    /// Records added to the dataset.
    pub imported: u64,
    /// Records already present (same source id) and merged into the first.
    pub duplicates: u64,
    /// Records that could not be used, each with a diagnostic.
    pub skipped: u64,
}

impl RecordCounts {
    /// Field-wise sum.
    pub fn add(&mut self, other: &RecordCounts) {
        self.read += other.read;
        self.imported += other.imported;
        self.duplicates += other.duplicates;
        self.skipped += other.skipped;
    }

    /// True when read equals imported + duplicates + skipped.
    pub fn is_conserved(&self) -> bool {
        self.read == self.imported + self.duplicates + self.skipped
    }
}

/// A loaded file and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The name the file was loaded under (a path relative to a dropped folder).
    pub name: String,
    /// The detected format.
    pub format: Format,
    /// Size in bytes.
    pub bytes: u64,
    /// Record counts.
    pub counts: RecordCounts,
    /// Everything the importer could not use as it was.
    pub diagnostics: Vec<Diagnostic>,
    /// Source-specific data-quality figures (for instance streamed duplicates
    /// merged, sidechain lines attributed), as label and value.
    pub quality: Vec<(String, f64)>,
}

/// An LLM configuration (seed 002's run configuration).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LlmConfig {
    /// Provider, for instance `deepseek`.
    pub provider: Option<String>,
    /// Model name.
    pub model: Option<String>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
}

/// A run or session: one orchestration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Source id of the session.
    pub id: Sym,
    /// The file it came from.
    pub source: SourceId,
    /// When it started.
    pub start: Option<Timestamp>,
    /// When it ended.
    pub end: Option<Timestamp>,
    /// Wall-clock duration in seconds, when recorded apart from start and end.
    pub duration: Option<f64>,
    /// How it ended (None when the format says nothing).
    pub outcome: Option<Outcome>,
    /// The status word as recorded.
    pub status: Option<String>,
    /// Orchestrator operating mode (manual, supervised, autonomous, implement_all ...).
    pub mode: Option<String>,
    /// LLM configuration.
    pub llm: Option<LlmConfig>,
    /// What the orchestration did.
    pub description: Option<String>,
    /// Project the run belongs to.
    pub project: Option<String>,
    /// Tasks planned.
    pub tasks_total: Option<u64>,
    /// Tasks completed.
    pub tasks_completed: Option<u64>,
    /// Tasks failed.
    pub tasks_failed: Option<u64>,
    /// Git commit the run worked on.
    pub commit: Option<String>,
    /// Current phase (for running sessions).
    pub current_phase: Option<String>,
    /// Progress 0..1 (for running sessions).
    pub progress: Option<f64>,
}

/// One unit of agent work: an operation, phase, agent execution, task,
/// agent attempt, LLM call or span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Source id (unique within the dataset; duplicates are merged).
    pub id: Sym,
    /// The file it came from.
    pub source: SourceId,
    /// Session or run it belongs to.
    pub session: Option<Sym>,
    /// Parent operation (span tree), when the format has one.
    pub parent: Option<Sym>,
    /// Operation type, phase name or task pattern.
    pub kind: Sym,
    /// Agent (droid) that did it.
    pub agent: Sym,
    /// Model used.
    pub model: Option<Sym>,
    /// Work item it belongs to.
    pub work_item: Option<Sym>,
    /// Start time.
    pub start: Option<Timestamp>,
    /// End time.
    pub end: Option<Timestamp>,
    /// Duration in seconds (finite, non-negative).
    pub duration: Option<f64>,
    /// How it ended.
    pub outcome: Outcome,
    /// Retries before the final attempt.
    pub retries: u32,
    /// Error class, for failures.
    pub error_type: Option<Sym>,
    /// Error text, for failures.
    pub error_message: Option<String>,
    /// Tokens by category (None when the format does not record tokens).
    pub tokens: Option<Tokens>,
    /// Tokens recorded only as a total, with no split by category (seed 003's
    /// hook files and task metrics). Token totals include it; breakdowns by
    /// category do not, and show it as "uncategorized". None when not recorded.
    pub tokens_uncategorized: Option<u64>,
    /// Recorded cost in USD (None when not recorded).
    pub cost: Option<f64>,
    /// Whether a cache served it (None when not reported).
    pub cache_hit: Option<bool>,
    /// Files created.
    pub files_created: Option<u32>,
    /// Files modified.
    pub files_modified: Option<u32>,
    /// Output quality score 0..100.
    pub quality_score: Option<f64>,
    /// Integration conflicts detected.
    pub conflicts: Option<u32>,
    /// Whether self-healing happened.
    pub self_healed: Option<bool>,
}

impl Operation {
    /// An operation with only its identity and outcome: nothing else recorded.
    /// Importers fill what their format has with struct update syntax:
    /// `Operation { start, duration, ..Operation::new(id, source, kind, agent, outcome) }`.
    pub fn new(id: Sym, source: SourceId, kind: Sym, agent: Sym, outcome: Outcome) -> Self {
        Operation {
            id,
            source,
            session: None,
            parent: None,
            kind,
            agent,
            model: None,
            work_item: None,
            start: None,
            end: None,
            duration: None,
            outcome,
            retries: 0,
            error_type: None,
            error_message: None,
            tokens: None,
            tokens_uncategorized: None,
            cost: None,
            cache_hit: None,
            files_created: None,
            files_modified: None,
            quality_score: None,
            conflicts: None,
            self_healed: None,
        }
    }

    /// All tokens recorded for it: every category plus the uncategorized total.
    /// None when neither is recorded.
    pub fn total_tokens(&self) -> Option<u64> {
        match (self.tokens, self.tokens_uncategorized) {
            (None, None) => None,
            (t, u) => Some(t.map_or(0, |t| t.total()).saturating_add(u.unwrap_or(0))),
        }
    }
}

/// An issue or request processed (seed 002 issue, seed 000 issue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// Source id.
    pub id: Sym,
    /// The file it came from.
    pub source: SourceId,
    /// Run or session it belongs to.
    pub session: Option<Sym>,
    /// How it ended.
    pub outcome: Option<Outcome>,
    /// Status word as recorded.
    pub status: Option<String>,
    /// When it started (or was recorded).
    pub start: Option<Timestamp>,
    /// Duration in seconds.
    pub duration: Option<f64>,
    /// Pull requests merged for it.
    pub prs_merged: Option<u32>,
    /// Errors met while processing it.
    pub errors: Option<u32>,
}

/// One CI pipeline run for a work item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineAttempt {
    /// Pipeline id.
    pub id: Sym,
    /// The file it came from.
    pub source: SourceId,
    /// Work item it ran for.
    pub work_item: Option<Sym>,
    /// Position among the work item's attempts (0 = first).
    pub sequence: u32,
    /// How it ended.
    pub outcome: Outcome,
    /// Commit tested.
    pub commit: Option<String>,
    /// When it ran, when known.
    pub time: Option<Timestamp>,
}

/// An agent reworking code until an error is fixed (seed 002).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DebuggingCycle {
    /// Work item it belongs to.
    pub work_item: Option<Sym>,
    /// The file it came from.
    pub source: SourceId,
    /// Agent doing the fixing.
    pub agent: Sym,
    /// Error class being fixed.
    pub error_type: Option<Sym>,
    /// Error text.
    pub error_message: Option<String>,
    /// Fix attempts.
    pub attempts: u32,
    /// Whether it was resolved.
    pub resolved: bool,
    /// Duration in seconds.
    pub duration: Option<f64>,
    /// When it ran, when known.
    pub time: Option<Timestamp>,
}

/// Message statistics (seed 001 communication_metrics).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Communication {
    /// The file it came from.
    pub source: SourceId,
    /// Session they belong to.
    pub session: Option<Sym>,
    /// Messages in total.
    pub total_messages: u64,
    /// Messages by type.
    pub messages_by_type: Vec<(String, u64)>,
    /// Messages sent by each agent, when known.
    pub messages_by_agent: Vec<(Sym, u64)>,
    /// Who messaged whom, when known: (from, to, count).
    pub edges: Vec<(Sym, Sym, u64)>,
    /// Mean response time in seconds.
    pub average_response_time: Option<f64>,
    /// Communication efficiency as recorded (0..1 or 0..100 as the file says).
    pub efficiency: Option<f64>,
    /// When, for period filtering.
    pub time: Option<Timestamp>,
}

/// A per-agent profile that a format records already aggregated
/// (seed 001 DroidPerformanceMetrics). Rates are fractions 0..1; scores 0..100.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentProfile {
    /// The file it came from.
    pub source: Option<SourceId>,
    /// Agent.
    pub agent: Option<Sym>,
    /// Task type the profile covers.
    pub task_type: Option<String>,
    /// Completion rate 0..1.
    pub completion_rate: Option<f64>,
    /// Mean task duration in seconds.
    pub average_task_duration: Option<f64>,
    /// Quality score 0..100.
    pub quality_score: Option<f64>,
    /// Error rate 0..1.
    pub error_rate: Option<f64>,
    /// Retry rate 0..1.
    pub retry_rate: Option<f64>,
    /// Messages sent.
    pub messages_sent: Option<u64>,
    /// Messages received.
    pub messages_received: Option<u64>,
    /// Mean response time in seconds.
    pub response_time: Option<f64>,
    /// Collaboration score 0..1.
    pub collaboration_score: Option<f64>,
    /// Files created.
    pub files_created: Option<u64>,
    /// Code quality score 0..100.
    pub code_quality_score: Option<f64>,
    /// Test coverage 0..1.
    pub test_coverage: Option<f64>,
    /// Security score 0..100.
    pub security_score: Option<f64>,
    /// Security issues found.
    pub security_issues: Option<u64>,
    /// When the profile was taken.
    pub time: Option<Timestamp>,
}

/// A task pattern as a format records it (seed 001 TaskPatternMetrics).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternProfile {
    /// The file it came from.
    pub source: Option<SourceId>,
    /// Pattern id.
    pub id: String,
    /// Pattern name.
    pub name: String,
    /// Executions.
    pub total_executions: Option<u64>,
    /// Success rate 0..1.
    pub success_rate: Option<f64>,
    /// Mean duration in seconds.
    pub average_duration: Option<f64>,
    /// Where it usually fails.
    pub common_failure_points: Vec<String>,
    /// Known bottlenecks.
    pub bottlenecks: Vec<String>,
    /// Optimization opportunities.
    pub optimization_opportunities: Vec<String>,
    /// Efficiency improvements.
    pub efficiency_improvements: Vec<String>,
    /// Per-agent results: agent, success rate 0..1, mean duration s, quality consistency.
    pub agents: Vec<PatternAgent>,
}

/// One agent's results on a pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternAgent {
    /// Agent.
    pub agent: Option<Sym>,
    /// Success rate 0..1.
    pub success_rate: Option<f64>,
    /// Mean duration in seconds.
    pub average_duration: Option<f64>,
    /// Quality consistency as recorded.
    pub quality_consistency: Option<f64>,
}

/// What a pre-aggregated figure covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "scope", content = "name")]
pub enum AggregateScope {
    /// Everything the source saw.
    Overall,
    /// One operation kind.
    Kind(String),
    /// One agent.
    Agent(String),
    /// One session.
    Session(String),
    /// One model.
    Model(String),
    /// One error type (seed 000 `errors_by_type`): `count` is its occurrences.
    ErrorType(String),
}

/// Figures a format records already aggregated (seed 000 reports, seed 003
/// agent_metrics, daily_report, token_usage; seed 002 run totals). Kept and
/// shown as such; never added to counts from raw records of the same period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// The file it came from.
    pub source: SourceId,
    /// What it covers.
    pub scope: AggregateScope,
    /// Which document kind produced it (for instance `summary_report`, `agent_metrics`, `daily_report`).
    pub origin: String,
    /// Start of the period covered.
    pub period_start: Option<Timestamp>,
    /// End of the period covered.
    pub period_end: Option<Timestamp>,
    /// Length of the period in days, as recorded.
    pub period_days: Option<f64>,
    /// Operations or tasks counted.
    pub count: Option<u64>,
    /// Of which succeeded.
    pub success_count: Option<u64>,
    /// Success rate 0..1.
    pub success_rate: Option<f64>,
    /// Error rate 0..1.
    pub error_rate: Option<f64>,
    /// Mean duration in seconds.
    pub avg_duration: Option<f64>,
    /// Cache hit rate 0..1.
    pub cache_hit_rate: Option<f64>,
    /// Total cost in USD.
    pub total_cost: Option<f64>,
    /// Mean cost per operation in USD.
    pub avg_cost_per_operation: Option<f64>,
    /// Total tokens.
    pub total_tokens: Option<u64>,
    /// Tokens by category, when recorded.
    pub tokens: Option<Tokens>,
    /// Sessions counted.
    pub sessions: Option<u64>,
    /// Other named figures the document carries (for instance `prs_merged`,
    /// `success_rate_change`), kept for display.
    pub extra: Vec<(String, String)>,
}

/// An operation a report lists by rank (seed 000 detailed report's
/// `slowest_operations` and `most_expensive_operations`). Kept for display;
/// never counted as an operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotableOperation {
    /// The file it came from.
    pub source: Option<SourceId>,
    /// The list it came from: `slowest` or `most_expensive`.
    pub list: String,
    /// Position in that list (0 = first).
    pub rank: u32,
    /// Operation id as recorded.
    pub id: Option<String>,
    /// Operation type.
    pub kind: Option<String>,
    /// Duration in seconds.
    pub duration: Option<f64>,
    /// Cost in USD.
    pub cost: Option<f64>,
    /// When it ran.
    pub time: Option<Timestamp>,
    /// Start of the period of the report that listed it.
    pub period_start: Option<Timestamp>,
    /// End of the period of the report that listed it.
    pub period_end: Option<Timestamp>,
}

/// One integration of agents' outputs (seed 001 `synthesis_results`): it
/// succeeded when it had no conflicts and passed its quality gates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IntegrationResult {
    /// The file it came from.
    pub source: Option<SourceId>,
    /// Session it belongs to.
    pub session: Option<Sym>,
    /// Integration conflicts found.
    pub conflicts: u32,
    /// Whether the quality gates passed (None when not recorded).
    pub quality_gates_passed: Option<bool>,
    /// When, when known.
    pub time: Option<Timestamp>,
}

/// A security issue a format reports (seed 001 `security_issues`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityIssue {
    /// The file it came from.
    pub source: Option<SourceId>,
    /// Session it belongs to.
    pub session: Option<Sym>,
    /// Agent whose output has it.
    pub agent: Option<Sym>,
    /// Severity as recorded.
    pub severity: Option<String>,
    /// What it is.
    pub description: Option<String>,
    /// When, when known.
    pub time: Option<Timestamp>,
}

/// A point to return to with [`Dataset::rollback`].
#[derive(Debug, Clone)]
pub struct DatasetMark {
    lens: [usize; 12],
    final_work_items: HashSet<Sym>,
    subagent_links: HashMap<Sym, SubagentLink>,
}

/// Positions by symbol: a dense table indexed by the symbol itself (symbols
/// are small consecutive numbers), so a look-up is one array access and no
/// hashing; a slot per name interned so far.
#[derive(Debug, Clone, Default)]
pub struct SymIndex {
    slots: Vec<usize>,
    len: usize,
}

/// An empty slot.
const NO_POSITION: usize = usize::MAX;

impl SymIndex {
    /// The position of `sym`, if indexed.
    pub fn get(&self, sym: &Sym) -> Option<&usize> {
        self.slots
            .get(sym.0 as usize)
            .filter(|p| **p != NO_POSITION)
    }

    /// True when `sym` is indexed.
    pub fn contains_key(&self, sym: &Sym) -> bool {
        self.get(sym).is_some()
    }

    /// Indexes `sym` at `position`; returns the position it had.
    pub fn insert(&mut self, sym: Sym, position: usize) -> Option<usize> {
        let i = sym.0 as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, NO_POSITION);
        }
        let slot = self.slots.get_mut(i)?;
        let old = std::mem::replace(slot, position);
        if old == NO_POSITION {
            self.len += 1;
            None
        } else {
            Some(old)
        }
    }

    /// Number of symbols indexed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Makes room for symbols up to `additional` past the highest slot.
    pub fn reserve(&mut self, additional: usize) {
        self.slots.reserve(additional);
    }

    /// Keeps the entries for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Sym, &mut usize) -> bool) {
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if *slot != NO_POSITION && !keep(&Sym(i as u32), slot) {
                *slot = NO_POSITION;
                self.len -= 1;
            }
        }
    }

    /// The entries, by symbol.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &usize)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, p)| **p != NO_POSITION)
            .map(|(i, p)| (Sym(i as u32), p))
    }
}

impl FromIterator<(Sym, usize)> for SymIndex {
    fn from_iter<I: IntoIterator<Item = (Sym, usize)>>(iter: I) -> Self {
        let mut index = SymIndex::default();
        for (sym, position) in iter {
            index.insert(sym, position);
        }
        index
    }
}

impl std::ops::Index<&Sym> for SymIndex {
    type Output = usize;
    /// The position of `sym`; panics when it is not indexed, like a map's index.
    #[allow(clippy::expect_used)]
    fn index(&self, sym: &Sym) -> &usize {
        self.get(sym).expect("symbol not in the index")
    }
}

/// Everything loaded: the canonical dataset.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Interned names.
    pub names: Interner,
    /// Loaded files, in load order.
    pub sources: Vec<Source>,
    /// Runs and sessions.
    pub sessions: Vec<Session>,
    /// Units of agent work.
    pub operations: Vec<Operation>,
    /// Issues and requests processed.
    pub work_items: Vec<WorkItem>,
    /// CI pipeline attempts.
    pub pipelines: Vec<PipelineAttempt>,
    /// Debugging cycles.
    pub debugging: Vec<DebuggingCycle>,
    /// Communication statistics.
    pub communication: Vec<Communication>,
    /// Pre-aggregated agent profiles.
    pub agent_profiles: Vec<AgentProfile>,
    /// Pre-aggregated task patterns.
    pub patterns: Vec<PatternProfile>,
    /// Pre-aggregated figures.
    pub aggregates: Vec<Aggregate>,
    /// Operations listed by rank in reports (not counted as operations).
    pub notable_operations: Vec<NotableOperation>,
    /// Integration results.
    pub integrations: Vec<IntegrationResult>,
    /// Reported security issues.
    pub security_issues: Vec<SecurityIssue>,
    /// Index of operations by id, for merging duplicates.
    pub operation_index: SymIndex,
    /// Index of sessions by id, for merging duplicates.
    pub session_index: HashMap<Sym, usize>,
    /// Index of work items by id, for merging duplicates.
    pub work_item_index: HashMap<Sym, usize>,
    /// Index of pipeline attempts by (work item, pipeline id), for merging duplicates.
    pub pipeline_index: HashMap<(Option<Sym>, Sym), usize>,
    /// Index of debugging cycles by (work item, position in its list), for merging duplicates.
    pub debugging_index: HashMap<(Sym, u32), usize>,
    /// Work items whose record is final (a seed 002 issue report): later
    /// partial snapshots of them are duplicates and change nothing.
    pub final_work_items: HashSet<Sym>,
    /// What Claude Code parent transcripts say about their subagent runs,
    /// keyed by a run's own name (`agent-<id>`, its file's name): the
    /// subagent's type and the Task call that started it, applied to the
    /// run's operations whichever file loads first.
    pub subagent_links: HashMap<Sym, SubagentLink>,
}

/// A subagent run as its parent transcript names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubagentLink {
    /// The subagent's type (for instance `code-reviewer`), when recorded.
    pub agent: Option<Sym>,
    /// The operation (the Task call) that started the run, when known.
    pub parent: Option<Sym>,
}

impl Dataset {
    /// An empty dataset.
    pub fn new() -> Self {
        Self::default()
    }

    /// The record counts of every list, to undo a failed file's appended
    /// records with [`Dataset::rollback`].
    pub fn mark(&self) -> DatasetMark {
        DatasetMark {
            lens: [
                self.sessions.len(),
                self.operations.len(),
                self.work_items.len(),
                self.pipelines.len(),
                self.debugging.len(),
                self.communication.len(),
                self.agent_profiles.len(),
                self.patterns.len(),
                self.aggregates.len(),
                self.notable_operations.len(),
                self.integrations.len(),
                self.security_issues.len(),
            ],
            final_work_items: self.final_work_items.clone(),
            subagent_links: self.subagent_links.clone(),
        }
    }

    /// Drops every record appended since `mark` (and their index entries), so a
    /// file that fails part-way adds nothing. Names interned meanwhile stay
    /// (they are not records).
    pub fn rollback(&mut self, mark: DatasetMark) {
        let [s, o, w, p, d, c, a, pt, ag, n, i, sec] = mark.lens;
        self.sessions.truncate(s);
        self.operations.truncate(o);
        self.work_items.truncate(w);
        self.pipelines.truncate(p);
        self.debugging.truncate(d);
        self.communication.truncate(c);
        self.agent_profiles.truncate(a);
        self.patterns.truncate(pt);
        self.aggregates.truncate(ag);
        self.notable_operations.truncate(n);
        self.integrations.truncate(i);
        self.security_issues.truncate(sec);
        self.session_index.retain(|_, v| *v < s);
        self.operation_index.retain(|_, v| *v < o);
        self.work_item_index.retain(|_, v| *v < w);
        self.pipeline_index.retain(|_, v| *v < p);
        self.debugging_index.retain(|_, v| *v < d);
        self.final_work_items = mark.final_work_items;
        self.subagent_links = mark.subagent_links;
    }

    /// Interns a name.
    pub fn intern(&mut self, name: &str) -> Sym {
        self.names.intern(name)
    }

    /// The text of a symbol.
    pub fn name(&self, sym: Sym) -> &str {
        self.names.resolve(sym)
    }

    /// Adds an operation unless one with the same id exists; returns true when added.
    /// A duplicate is merged: fields the first record lacks are taken from the second.
    pub fn insert_operation(&mut self, op: Operation) -> bool {
        if let Some(&i) = self.operation_index.get(&op.id) {
            if let Some(existing) = self.operations.get_mut(i) {
                merge_operation(existing, op);
            }
            return false;
        }
        self.operation_index.insert(op.id, self.operations.len());
        self.operations.push(op);
        true
    }

    /// Adds a session unless one with the same id exists (then fills its gaps);
    /// returns true when added.
    pub fn insert_session(&mut self, session: Session) -> bool {
        if let Some(&i) = self.session_index.get(&session.id) {
            if let Some(existing) = self.sessions.get_mut(i) {
                merge_session(existing, session);
            }
            return false;
        }
        self.session_index.insert(session.id, self.sessions.len());
        self.sessions.push(session);
        true
    }

    /// Adds a work item unless one with the same id exists (then fills its gaps);
    /// returns true when added.
    pub fn insert_work_item(&mut self, item: WorkItem) -> bool {
        if let Some(&i) = self.work_item_index.get(&item.id) {
            if let Some(existing) = self.work_items.get_mut(i) {
                fill(&mut existing.session, item.session);
                fill(&mut existing.outcome, item.outcome);
                fill(&mut existing.status, item.status);
                fill(&mut existing.start, item.start);
                fill(&mut existing.duration, item.duration);
                fill(&mut existing.prs_merged, item.prs_merged);
                fill(&mut existing.errors, item.errors);
            }
            return false;
        }
        self.work_item_index.insert(item.id, self.work_items.len());
        self.work_items.push(item);
        true
    }

    /// Adds a pipeline attempt unless one with the same (work item, id) exists
    /// (then fills its gaps); returns true when added.
    pub fn insert_pipeline(&mut self, p: PipelineAttempt) -> bool {
        let key = (p.work_item, p.id);
        if let Some(&i) = self.pipeline_index.get(&key) {
            if let Some(existing) = self.pipelines.get_mut(i) {
                fill(&mut existing.commit, p.commit);
                fill(&mut existing.time, p.time);
                if existing.outcome == Outcome::Running && p.outcome != Outcome::Running {
                    existing.outcome = p.outcome;
                }
            }
            return false;
        }
        self.pipeline_index.insert(key, self.pipelines.len());
        self.pipelines.push(p);
        true
    }

    /// Adds a debugging cycle unless one exists at the same position of the
    /// same work item (then fills its gaps); returns true when added. Cycles
    /// without a work item are always added.
    pub fn insert_debugging_cycle(&mut self, position: u32, cycle: DebuggingCycle) -> bool {
        let Some(item) = cycle.work_item else {
            self.debugging.push(cycle);
            return true;
        };
        if let Some(&i) = self.debugging_index.get(&(item, position)) {
            if let Some(existing) = self.debugging.get_mut(i) {
                fill(&mut existing.error_type, cycle.error_type);
                fill(&mut existing.error_message, cycle.error_message);
                fill(&mut existing.duration, cycle.duration);
                fill(&mut existing.time, cycle.time);
            }
            return false;
        }
        self.debugging_index
            .insert((item, position), self.debugging.len());
        self.debugging.push(cycle);
        true
    }

    /// The latest timestamp anywhere in the data: the default "now".
    pub fn latest_timestamp(&self) -> Option<Timestamp> {
        let ops = self
            .operations
            .iter()
            .flat_map(|o| [o.start, o.end])
            .flatten();
        let sessions = self
            .sessions
            .iter()
            .flat_map(|s| [s.start, s.end])
            .flatten();
        let aggregates = self
            .aggregates
            .iter()
            .flat_map(|a| [a.period_end, a.period_start])
            .flatten();
        ops.chain(sessions).chain(aggregates).max()
    }

    /// Totals of record counts over every source.
    pub fn total_counts(&self) -> RecordCounts {
        let mut total = RecordCounts::default();
        for s in &self.sources {
            total.add(&s.counts);
        }
        total
    }
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn merge_operation(existing: &mut Operation, op: Operation) {
    fill(&mut existing.session, op.session);
    fill(&mut existing.parent, op.parent);
    fill(&mut existing.model, op.model);
    fill(&mut existing.work_item, op.work_item);
    fill(&mut existing.start, op.start);
    fill(&mut existing.end, op.end);
    fill(&mut existing.duration, op.duration);
    fill(&mut existing.error_type, op.error_type);
    fill(&mut existing.error_message, op.error_message);
    fill(&mut existing.tokens, op.tokens);
    fill(&mut existing.tokens_uncategorized, op.tokens_uncategorized);
    fill(&mut existing.cost, op.cost);
    fill(&mut existing.cache_hit, op.cache_hit);
    fill(&mut existing.files_created, op.files_created);
    fill(&mut existing.files_modified, op.files_modified);
    fill(&mut existing.quality_score, op.quality_score);
    fill(&mut existing.conflicts, op.conflicts);
    fill(&mut existing.self_healed, op.self_healed);
    // A later record of a running operation may carry its end.
    if existing.outcome == Outcome::Running && op.outcome != Outcome::Running {
        existing.outcome = op.outcome;
    }
}

fn merge_session(existing: &mut Session, s: Session) {
    fill(&mut existing.start, s.start);
    fill(&mut existing.end, s.end);
    fill(&mut existing.duration, s.duration);
    let settles = existing.outcome.is_none() || existing.outcome == Some(Outcome::Running);
    if settles && s.outcome.is_some() {
        existing.outcome = s.outcome;
        existing.status = s.status;
    } else {
        fill(&mut existing.status, s.status);
    }
    fill(&mut existing.mode, s.mode);
    fill(&mut existing.llm, s.llm);
    fill(&mut existing.description, s.description);
    fill(&mut existing.project, s.project);
    fill(&mut existing.tasks_total, s.tasks_total);
    fill(&mut existing.tasks_completed, s.tasks_completed);
    fill(&mut existing.tasks_failed, s.tasks_failed);
    fill(&mut existing.commit, s.commit);
    fill(&mut existing.current_phase, s.current_phase);
    fill(&mut existing.progress, s.progress);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_by_meaning() {
        for s in [
            "success",
            "Succeeded",
            "COMPLETED",
            "passed",
            "ok",
            "merged",
        ] {
            assert_eq!(Outcome::from_status(s), Some(Outcome::Success), "{s}");
        }
        for s in [
            "failure",
            "failed",
            "Error",
            "errored",
            "timeout",
            "blocked",
            "cancelled",
        ] {
            assert_eq!(Outcome::from_status(s), Some(Outcome::Failure), "{s}");
        }
        for s in [
            "running",
            "in_progress",
            "In-Progress",
            "pending",
            "started",
        ] {
            assert_eq!(Outcome::from_status(s), Some(Outcome::Running), "{s}");
        }
        assert_eq!(Outcome::from_status("banana"), None);
    }

    #[test]
    fn interner_truncates() {
        let mut i = Interner::default();
        let a = i.intern("a");
        i.intern("bb");
        i.intern("ccc");
        i.truncate(1);
        assert_eq!(i.len(), 1);
        assert_eq!(i.get("bb"), None);
        assert_eq!(i.get("a"), Some(a));
        // Symbols after the cut are handed out again, in order.
        assert_eq!(i.intern("ccc"), Sym(1));
        assert_eq!(i.resolve(Sym(1)), "ccc");
    }

    #[test]
    fn interner_round_trips() {
        let mut i = Interner::default();
        let a = i.intern("coder");
        let b = i.intern("tester");
        assert_eq!(i.intern("coder"), a);
        assert_ne!(a, b);
        assert_eq!(i.resolve(b), "tester");
        assert_eq!(i.resolve(Sym(99)), "");
    }

    #[test]
    fn day_index_floors_before_epoch() {
        assert_eq!(Timestamp(-1).day_index(), -1);
        assert_eq!(Timestamp(Timestamp::DAY_MS).day_index(), 1);
    }
}
