//! The result of an analysis: a plain serializable struct that the web app,
//! the report writers and the CLI all read. No view recomputes a KPI.
//!
//! Conventions: durations in seconds, rates as fractions 0..1, money in USD,
//! times as RFC 3339 UTC strings. A figure with no data is `None` (null), not 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Format;

/// What to analyse: period, "now", filters, thresholds, pricing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalysisOptions {
    /// Length of the period in days, ending at `now`; None = all data.
    pub period_days: Option<u32>,
    /// "Now" as UTC milliseconds; None = the latest timestamp in the data.
    pub now: Option<i64>,
    /// Which records to keep.
    pub filter: Filter,
    /// Alert thresholds.
    pub thresholds: super::Thresholds,
    /// Cost mode and price overrides.
    pub pricing: super::PricingOptions,
    /// Daily budget in USD for "today's cost against budget" (seed 000 shows $50).
    pub daily_budget: Option<f64>,
}

/// Record filters; an empty list keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Keep only these agents.
    pub agents: Vec<String>,
    /// Keep only these models.
    pub models: Vec<String>,
    /// Keep only these operation kinds.
    pub kinds: Vec<String>,
    /// Keep only these sessions.
    pub sessions: Vec<String>,
}

/// The span of the analysed period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First instant (RFC 3339), None when there is no data.
    pub start: Option<String>,
    /// Last instant ("now"), None when there is no data.
    pub end: Option<String>,
}

/// One loaded file as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceSummary {
    /// File name.
    pub name: String,
    /// Detected format.
    pub format: Format,
    /// Records read.
    pub records: u64,
    /// Records imported.
    pub imported: u64,
    /// Records merged as duplicates.
    pub duplicates: u64,
    /// Records skipped.
    pub skipped: u64,
}

/// Overall KPIs (PRODUCT.md section 4 definitions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overall {
    /// Finished operations (success + failure).
    pub total_operations: u64,
    /// Succeeded operations.
    pub succeeded: u64,
    /// Failed operations.
    pub failed: u64,
    /// Running operations (not in total_operations).
    pub running: u64,
    /// succeeded / total_operations.
    pub success_rate: Option<f64>,
    /// failed / total_operations.
    pub error_rate: Option<f64>,
    /// operations with retries > 0 / total_operations.
    pub retry_rate: Option<f64>,
    /// Mean duration of finished operations, seconds.
    pub avg_duration: Option<f64>,
    /// Median duration, seconds.
    pub p50_duration: Option<f64>,
    /// 95th percentile duration, seconds.
    pub p95_duration: Option<f64>,
    /// 99th percentile duration, seconds.
    pub p99_duration: Option<f64>,
    /// Longest duration, seconds.
    pub max_duration: Option<f64>,
    /// cache hits / operations reporting a cache outcome.
    pub cache_hit_rate: Option<f64>,
    /// Ratings of the rated KPIs (seed 000 bands).
    pub ratings: Ratings,
}

/// Words for the rated KPIs; None when the KPI has no value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ratings {
    /// good / acceptable / needs_attention.
    pub success_rate: Option<Rating>,
    /// excellent / good / poor.
    pub cache_hit_rate: Option<Rating>,
    /// excellent / good / concerning.
    pub error_rate: Option<Rating>,
}

/// A rating band word (seed 000). Its tone gives the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Best band.
    Excellent,
    /// Good band.
    Good,
    /// Middle band of success rate.
    Acceptable,
    /// Worst band of cache hit rate.
    Poor,
    /// Worst band of error rate.
    Concerning,
    /// Worst band of success rate.
    NeedsAttention,
}

/// Figures of one group (an operation kind, agent, model or session).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    /// Finished operations.
    pub count: u64,
    /// Succeeded operations.
    pub success_count: u64,
    /// Failed operations.
    pub failure_count: u64,
    /// Running operations.
    pub running: u64,
    /// success_count / count.
    pub success_rate: Option<f64>,
    /// Operations with retries / count.
    pub retry_rate: Option<f64>,
    /// Retries summed.
    pub retries: u64,
    /// Mean duration, seconds.
    pub avg_duration: Option<f64>,
    /// Shortest duration, seconds.
    pub min_duration: Option<f64>,
    /// Longest duration, seconds.
    pub max_duration: Option<f64>,
    /// Median duration, seconds.
    pub p50_duration: Option<f64>,
    /// 95th percentile duration, seconds.
    pub p95_duration: Option<f64>,
    /// Cost (recorded or computed per the cost mode), USD; None when no record has a cost.
    pub total_cost: Option<f64>,
    /// Tokens summed; None when no record has tokens.
    pub total_tokens: Option<u64>,
    /// Tokens by category.
    pub tokens: Option<TokenTotals>,
    /// Cache hit rate.
    pub cache_hit_rate: Option<f64>,
    /// Files created summed.
    pub files_created: Option<u64>,
    /// Files modified summed.
    pub files_modified: Option<u64>,
    /// Mean quality score 0..100.
    pub avg_quality_score: Option<f64>,
    /// Conflicts summed.
    pub conflicts: Option<u64>,
    /// Self-healed operations.
    pub self_healed: Option<u64>,
}

/// Tokens by category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenTotals {
    /// Fresh input tokens.
    pub input: u64,
    /// Output tokens.
    pub output: u64,
    /// Cache-read tokens.
    pub cache_read: u64,
    /// Cache-write tokens.
    pub cache_write: u64,
}

impl TokenTotals {
    /// All categories together (saturating: hostile files may hold u64::MAX).
    pub fn total(&self) -> u64 {
        self.input
            .saturating_add(self.output)
            .saturating_add(self.cache_read)
            .saturating_add(self.cache_write)
    }
}

/// Costs and tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    /// Total cost in the period, USD.
    pub total_cost: Option<f64>,
    /// Total tokens in the period.
    pub total_tokens: Option<u64>,
    /// total_cost / finished operations with a cost.
    pub avg_cost_per_operation: Option<f64>,
    /// Cost of the 7 days ending at now.
    pub last_7_days: Option<f64>,
    /// Cost of the 30 days ending at now.
    pub last_30_days: Option<f64>,
    /// Mean daily cost of the last 30 days × 30.
    pub monthly_projection: Option<f64>,
    /// Cost of the day holding now.
    pub today: Option<f64>,
    /// Daily budget, when set.
    pub daily_budget: Option<f64>,
    /// Tokens by category.
    pub tokens: TokenTotals,
    /// Cost recorded in the files, USD.
    pub recorded_cost: Option<f64>,
    /// Cost computed from tokens and the price table, USD.
    pub computed_cost: Option<f64>,
    /// Models with tokens but no price: their cost is unknown, not zero.
    pub unpriced_models: Vec<String>,
    /// Operations whose cost is unknown.
    pub unpriced_operations: u64,
    /// Date of the embedded price table.
    pub pricing_date: String,
    /// Where the embedded prices come from.
    pub pricing_source: String,
    /// Tokens of operations whose cost is unknown (no price for their model,
    /// or tokens recorded only as a total).
    pub unpriced_tokens: u64,
    /// Tokens recorded only as a total, with no split by category: included
    /// in `total_tokens`, not in `tokens`, never priced.
    pub tokens_uncategorized: u64,
}

/// Work items (issues) processed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkItems {
    /// Work items in the period.
    pub processed: u64,
    /// Of which succeeded.
    pub succeeded: u64,
    /// Of which failed.
    pub failed: u64,
    /// Mean duration, seconds.
    pub avg_duration: Option<f64>,
    /// PRs merged; None when no item records it.
    pub prs_merged: Option<u64>,
}

/// CI pipeline attempts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pipelines {
    /// Attempts.
    pub attempts: u64,
    /// Succeeded attempts.
    pub succeeded: u64,
    /// Failed attempts.
    pub failed: u64,
    /// succeeded / attempts.
    pub success_rate: Option<f64>,
    /// Work items whose first pipeline passed / work items with pipelines.
    pub first_pass_rate: Option<f64>,
}

/// Debugging cycles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Debugging {
    /// Cycles.
    pub cycles: u64,
    /// Resolved cycles.
    pub resolved: u64,
    /// resolved / cycles.
    pub success_rate: Option<f64>,
    /// Mean attempts per cycle.
    pub avg_attempts: Option<f64>,
    /// Cycles per work item that has any work recorded.
    pub cycles_per_work_item: Option<f64>,
}

/// Alert severity, ordered low < medium < high < critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// A threshold crossed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Which rule fired, for instance `low_success_rate`.
    pub kind: String,
    /// How serious.
    pub severity: Severity,
    /// For people.
    pub message: String,
    /// Measured value.
    pub value: f64,
    /// Threshold it crossed.
    pub threshold: f64,
    /// What it concerns (an agent, a session, a day), when not the whole dataset.
    pub subject: Option<String>,
    /// Suggested action (seed 001).
    pub action: Option<String>,
}

/// A bottleneck, ranked by impact score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bottleneck {
    /// phase_duration, operation_duration, slow_agent, failing_agent,
    /// low_success_kind, communication_delay, integration_conflicts.
    pub kind: String,
    /// The phase, operation, agent or kind concerned.
    pub subject: String,
    /// Measured value.
    pub value: f64,
    /// Peer baseline it is compared with.
    pub baseline: f64,
    /// Unit of value and baseline (s, min, %, ...).
    pub unit: String,
    /// Impact score, higher is worse.
    pub impact_score: f64,
    /// For people.
    pub description: String,
    /// Concrete recommendations.
    pub recommendations: Vec<String>,
}

/// A recommendation, ranked by impact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Which rule produced it.
    pub kind: String,
    /// What it concerns.
    pub subject: Option<String>,
    /// For people.
    pub message: String,
    /// The figures that support it.
    pub evidence: String,
    /// What following it should bring.
    pub expected_impact: String,
    /// Ranking score, higher first.
    pub impact_score: f64,
}

/// Overall health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// No alert above low.
    Healthy,
    /// Medium or high alerts.
    Degraded,
    /// Critical alerts.
    Unhealthy,
}

/// Health with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// Status.
    pub status: HealthStatus,
    /// Why.
    pub reasons: Vec<String>,
}

impl Default for Health {
    fn default() -> Self {
        Health {
            status: HealthStatus::Healthy,
            reasons: Vec::new(),
        }
    }
}

/// One bucket of a time series (hour, day, week or month).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeBucket {
    /// Start of the bucket, RFC 3339 (a date for days, weeks and months).
    pub start: String,
    /// Bucket start as UTC milliseconds, for charts.
    pub start_ms: i64,
    /// Finished operations.
    pub count: u64,
    /// Succeeded.
    pub success_count: u64,
    /// Failed.
    pub failure_count: u64,
    /// success_count / count.
    pub success_rate: Option<f64>,
    /// Mean duration, seconds.
    pub avg_duration: Option<f64>,
    /// Cost, USD.
    pub cost: Option<f64>,
    /// Tokens by category.
    pub tokens: TokenTotals,
    /// Tokens recorded only as a total (not in `tokens`).
    pub tokens_uncategorized: u64,
    /// Work items processed.
    pub work_items: u64,
    /// PRs merged.
    pub prs_merged: u64,
}

/// A reference to one operation, for top-N lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationRef {
    /// Operation id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Agent.
    pub agent: String,
    /// Session.
    pub session: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Start time, RFC 3339.
    pub start: Option<String>,
    /// Duration, seconds.
    pub duration: Option<f64>,
    /// Cost, USD.
    pub cost: Option<f64>,
    /// Outcome.
    pub outcome: crate::model::Outcome,
    /// Error type.
    pub error_type: Option<String>,
    /// Error message.
    pub error_message: Option<String>,
}

/// Per-agent efficiency score (seed 001), 0..100.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Efficiency {
    /// The score, re-weighted over the inputs present.
    pub score: Option<f64>,
    /// Inputs used, with their values (0..1) and weights.
    pub inputs: Vec<EfficiencyInput>,
    /// Inputs absent and re-weighted out.
    pub missing: Vec<String>,
    /// Collaboration effectiveness 0..100, where message data exists.
    pub collaboration_effectiveness: Option<f64>,
}

/// One term of the efficiency score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EfficiencyInput {
    /// completion_rate, quality_score, collaboration_score, error_rate_inverse, response_time_inverse.
    pub name: String,
    /// Value 0..1.
    pub value: f64,
    /// Seed weight.
    pub weight: f64,
}

/// Direction of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Getting better.
    Improving,
    /// Within the dead band.
    Stable,
    /// Getting worse.
    Declining,
}

/// A trend of one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Series name: success_rate, avg_duration, cost, tokens, error_rate, quality_score ...
    pub series: String,
    /// day or week.
    pub granularity: String,
    /// Direction from the least-squares slope.
    pub direction: Direction,
    /// Slope per bucket.
    pub slope: f64,
    /// Last bucket against the one before, as a fraction (0.05 = +5 %).
    pub change: Option<f64>,
    /// Standard deviation of the series.
    pub volatility: Option<f64>,
    /// Latest value.
    pub current: Option<f64>,
}

/// Figures of a window of days (today, last 7 days, the 7 before).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// First instant, RFC 3339.
    pub start: Option<String>,
    /// Last instant, RFC 3339.
    pub end: Option<String>,
    /// Finished operations.
    pub total_operations: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed.
    pub failed: u64,
    /// Success rate.
    pub success_rate: Option<f64>,
    /// Error rate.
    pub error_rate: Option<f64>,
    /// Mean duration, seconds.
    pub avg_duration: Option<f64>,
    /// Cache hit rate.
    pub cache_hit_rate: Option<f64>,
    /// Cost, USD.
    pub cost: Option<f64>,
    /// Tokens.
    pub tokens: Option<u64>,
    /// Work items processed.
    pub work_items: u64,
    /// Of which succeeded.
    pub work_items_succeeded: u64,
    /// Of which failed.
    pub work_items_failed: u64,
    /// PRs merged.
    pub prs_merged: Option<u64>,
    /// Rating words of the window's success, cache hit and error rates.
    #[serde(default)]
    pub ratings: Ratings,
}

/// One session or run as the Sessions view lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// Session id.
    pub id: String,
    /// Status word.
    pub status: Option<String>,
    /// Outcome.
    pub outcome: Option<crate::model::Outcome>,
    /// Start, RFC 3339.
    pub start: Option<String>,
    /// End, RFC 3339.
    pub end: Option<String>,
    /// Duration, seconds.
    pub duration: Option<f64>,
    /// Mode.
    pub mode: Option<String>,
    /// LLM configuration label "provider / model / temperature".
    pub llm: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Figures of its operations.
    pub stats: GroupStats,
    /// Current phase, when running.
    pub current_phase: Option<String>,
    /// Progress 0..1, when running.
    pub progress: Option<f64>,
    /// Agents with running operations.
    pub active_agents: Vec<String>,
    /// Conflicts in its operations.
    pub conflicts: Option<u64>,
}

/// Comparison of runs by LLM configuration (seed 002).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmComparison {
    /// "provider / model / temperature".
    pub configuration: String,
    /// Runs with it.
    pub runs: u64,
    /// Figures of their operations.
    pub stats: GroupStats,
    /// Work items processed and succeeded.
    pub work_items: u64,
    /// Work items succeeded.
    pub work_items_succeeded: u64,
}

/// The whole analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Period length in days; None = all data.
    pub period_days: Option<u32>,
    /// The analysed span.
    pub period: Period,
    /// "Now", RFC 3339.
    pub now: Option<String>,
    /// Earliest and latest timestamps of all the data (uptime/span).
    pub data_span: Period,
    /// Loaded files.
    pub sources: Vec<SourceSummary>,
    /// Overall KPIs.
    pub overall: Overall,
    /// By operation kind.
    pub operations: BTreeMap<String, GroupStats>,
    /// By agent.
    pub agents: BTreeMap<String, GroupStats>,
    /// By model.
    pub models: BTreeMap<String, GroupStats>,
    /// Sessions.
    pub sessions: Vec<SessionSummary>,
    /// Kind × agent matrix: kind → agent → stats.
    pub kind_agent: BTreeMap<String, BTreeMap<String, GroupStats>>,
    /// Costs and tokens.
    pub costs: Costs,
    /// Cost by day, model and agent live in by_day, models and agents.
    /// Work items.
    pub work_items: WorkItems,
    /// Pipelines.
    pub pipelines: Pipelines,
    /// Debugging cycles.
    pub debugging: Debugging,
    /// Alerts, most severe first.
    pub alerts: Vec<Alert>,
    /// Bottlenecks, highest impact first.
    pub bottlenecks: Vec<Bottleneck>,
    /// Recommendations, highest impact first.
    pub recommendations: Vec<Recommendation>,
    /// Health.
    pub health: Health,
    /// Per hour.
    pub by_hour: Vec<TimeBucket>,
    /// Per day.
    pub by_day: Vec<TimeBucket>,
    /// Per ISO week (bucket starts on Monday).
    pub by_week: Vec<TimeBucket>,
    /// Per month.
    pub by_month: Vec<TimeBucket>,
    /// Failures by error type.
    pub errors_by_type: BTreeMap<String, u64>,
    /// Slowest finished operations.
    pub slowest_operations: Vec<OperationRef>,
    /// Most expensive operations.
    pub most_expensive_operations: Vec<OperationRef>,
    /// Recent failures, newest first.
    pub recent_failures: Vec<OperationRef>,
    /// Running operations (current work).
    pub current_work: Vec<OperationRef>,
    /// Latest completions, newest first.
    pub recent_completions: Vec<OperationRef>,
    /// Efficiency score per agent.
    pub efficiency: BTreeMap<String, Efficiency>,
    /// Trends of the main series.
    pub trends: Vec<Trend>,
    /// The day holding "now".
    pub today: Window,
    /// The 7 days ending at now.
    pub last_7_days: Window,
    /// The 7 days before those, for the change shown on KPI cards.
    pub previous_7_days: Window,
    /// Runs compared by LLM configuration.
    pub llm_comparison: Vec<LlmComparison>,
    /// Answers to seed 002's example questions, in words.
    pub insights: Vec<String>,
    /// Where the overall, operations, agents, models and costs figures come from.
    pub figures_from: FiguresFrom,
    /// Pre-aggregated figures loaded, listed apart (used for totals only when
    /// the period has no raw operations).
    pub aggregates: Vec<AggregateSummary>,
    /// Bottlenecks found beyond those listed (the list keeps the highest impacts).
    pub bottlenecks_omitted: u64,
    /// Task patterns as recorded (seed 001 TaskPatternMetrics), with their per-agent results.
    pub patterns: Vec<PatternSummary>,
    /// Recorded agent profiles (seed 001 DroidPerformanceMetrics), averaged per agent.
    pub agent_profiles: BTreeMap<String, AgentProfileSummary>,
    /// Communication statistics (seed 001), summed over the records in scope.
    pub communication: Option<CommunicationSummary>,
    /// Sessions still running (status running, or with running operations),
    /// with their current phase, progress and active agents (current work).
    pub active_sessions: Vec<SessionSummary>,
    /// Integration success rate (seed 001), when the data records integrations or conflicts.
    #[serde(default)]
    pub integration: Option<IntegrationSummary>,
    /// Operating mode of the latest session that records one.
    #[serde(default)]
    pub operating_mode: Option<String>,
    /// Finished operations by duration bin (edges in `HISTOGRAM_EDGES`); empty without durations.
    #[serde(default)]
    pub duration_histogram: Vec<HistogramBin>,
    /// Per agent: success rate and mean duration trends by day and by week.
    #[serde(default)]
    pub agent_trends: BTreeMap<String, Vec<Trend>>,
    /// Quality trends by day: code_quality, test_coverage, security_score (dated
    /// agent profiles) and quality_score (operations); slope = improvement per day.
    #[serde(default)]
    pub quality_trends: Vec<Trend>,
}

/// Where the headline figures come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiguresFrom {
    /// No data in the period.
    #[default]
    None,
    /// Raw operations (pre-aggregated figures ignored for totals).
    Operations,
    /// Pre-aggregated figures, because the period has no raw operations.
    Aggregates,
}

/// One pre-aggregated figure as loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregateSummary {
    /// File it came from.
    pub source: String,
    /// Document kind that produced it (summary_report, agent_metrics, daily_report ...).
    pub origin: String,
    /// overall, kind, agent, session or model.
    pub scope: String,
    /// The kind, agent, session or model named, when not overall.
    pub name: Option<String>,
    /// Start of the period covered, RFC 3339.
    pub period_start: Option<String>,
    /// End of the period covered, RFC 3339.
    pub period_end: Option<String>,
    /// Operations counted.
    pub count: Option<u64>,
    /// Success rate 0..1.
    pub success_rate: Option<f64>,
    /// Mean duration, seconds.
    pub avg_duration: Option<f64>,
    /// Total cost, USD.
    pub total_cost: Option<f64>,
    /// Total tokens.
    pub total_tokens: Option<u64>,
    /// True when the analysis took its figures from this record.
    pub used: bool,
}

/// A recorded task pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternSummary {
    /// Pattern id.
    pub id: String,
    /// Pattern name.
    pub name: String,
    /// Executions.
    pub total_executions: Option<u64>,
    /// Success rate 0..1.
    pub success_rate: Option<f64>,
    /// Mean duration, seconds.
    pub average_duration: Option<f64>,
    /// Where it usually fails.
    pub common_failure_points: Vec<String>,
    /// Known bottlenecks.
    pub bottlenecks: Vec<String>,
    /// Optimization opportunities.
    pub optimization_opportunities: Vec<String>,
    /// Per-agent results.
    pub agents: Vec<PatternAgentSummary>,
}

/// One agent's recorded results on a pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternAgentSummary {
    /// Agent.
    pub agent: String,
    /// Success rate 0..1.
    pub success_rate: Option<f64>,
    /// Mean duration, seconds.
    pub average_duration: Option<f64>,
    /// Quality consistency as recorded.
    pub quality_consistency: Option<f64>,
}

/// An agent's recorded profile figures, averaged over its profiles
/// (sums for counts). Rates 0..1, scores 0..100, seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentProfileSummary {
    /// Profiles averaged.
    pub profiles: u64,
    /// Task types covered.
    pub task_types: Vec<String>,
    /// Completion rate.
    pub completion_rate: Option<f64>,
    /// Mean task duration, seconds.
    pub average_task_duration: Option<f64>,
    /// Quality score.
    pub quality_score: Option<f64>,
    /// Error rate.
    pub error_rate: Option<f64>,
    /// Retry rate.
    pub retry_rate: Option<f64>,
    /// Messages sent (sum).
    pub messages_sent: Option<u64>,
    /// Messages received (sum).
    pub messages_received: Option<u64>,
    /// Response time, seconds.
    pub response_time: Option<f64>,
    /// Collaboration score 0..1.
    pub collaboration_score: Option<f64>,
    /// Files created (sum).
    pub files_created: Option<u64>,
    /// Code quality score.
    pub code_quality_score: Option<f64>,
    /// Test coverage 0..1.
    pub test_coverage: Option<f64>,
    /// Security score.
    pub security_score: Option<f64>,
    /// Security issues (sum).
    pub security_issues: Option<u64>,
}

/// Communication statistics summed over the records in scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunicationSummary {
    /// Records summed.
    pub records: u64,
    /// Messages in total.
    pub total_messages: u64,
    /// Messages by type.
    pub messages_by_type: BTreeMap<String, u64>,
    /// Messages sent by agent.
    pub messages_by_agent: BTreeMap<String, u64>,
    /// Who messaged whom: (from, to, count), largest first.
    pub edges: Vec<(String, String, u64)>,
    /// Mean of the records' mean response times, seconds.
    pub average_response_time: Option<f64>,
    /// Mean of the records' efficiency, as recorded.
    pub efficiency: Option<f64>,
}

/// Integration success (seed 001: no conflicts and quality gates passed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IntegrationSummary {
    /// "integrations" (recorded results) or "operations" (conflict counts).
    pub from: String,
    /// Integrations counted.
    pub total: u64,
    /// Those without conflicts whose quality gates did not fail.
    pub succeeded: u64,
    /// Conflicts in total.
    pub conflicts: u64,
    /// succeeded / total.
    pub success_rate: Option<f64>,
}

/// One bin of the duration histogram: `lower <= d < upper` seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    /// Lower edge, seconds (inclusive).
    pub lower: f64,
    /// Upper edge, seconds (exclusive); None for the last, open bin.
    pub upper: Option<f64>,
    /// Finished operations in the bin.
    pub count: u64,
}
