//! The analytics engine: KPIs, breakdowns, trends, bottlenecks,
//! recommendations, alerts and health, computed from the canonical dataset
//! for a period and filters. One pass over the operations builds mergeable
//! partial aggregates ([`Partial`]: chunks analysed apart merge into the same
//! result as one pass); [`finish`] turns them into the plain [`Analysis`]
//! struct. [`analyze`] does both.
//!
//! Definitions (PRODUCT.md section 4), and the rules this engine adds:
//!
//! - **Period**: the N days ending at "now", as the half-open span
//!   (now − N days, now]. Records without a time belong only to the all-data
//!   period. Windows: `today` = [00:00 UTC of now's day, now]; `last_7_days` =
//!   (now − 7 d, now]; `previous_7_days` = (now − 14 d, now − 7 d]; the 30-day
//!   cost = (now − 30 d, now]. Windows ignore the period (they are relative to now).
//! - **Filters**: agents, models, kinds and sessions select operations;
//!   work items and pipelines follow the session filter only; debugging
//!   cycles follow the agent and session filters; a filter name that matches
//!   nothing selects nothing. Pipelines and debugging cycles are placed in the
//!   period by their time, work items by their start.
//! - **Percentiles**: nearest rank, exact ([`stats::percentile`]): the value
//!   of rank ⌈p × n⌉ in ascending order, found by selection over the group's
//!   duration samples (kept as f64 per group; O(n)).
//! - **Monthly projection**: mean daily cost over the 30 days ending at now,
//!   days without data counting as zero-cost days, × 30 (so it equals the
//!   30-day cost).
//! - **Trends**: least-squares slope per bucket over the buckets with data
//!   (x = bucket position in days or weeks, so gaps count); stable when
//!   |slope × n| < 2 % of |mean| ([`stats::TREND_DEAD_BAND`]);
//!   "improving" means up for success rate, down for duration, cost, tokens
//!   and error rate. Change = last bucket against the one before, as a
//!   fraction. Volatility = population standard deviation.
//! - **Bottlenecks**: an operation longer than 1.5 × the mean duration of its
//!   peers (same kind; for seed 001 phases, all phases of its session; the
//!   mean includes the operation itself, as seed 001 does; at least 2 peers),
//!   impact (value / mean − 1) × 100; an agent whose mean duration exceeds
//!   1.5 × the mean of the other agents' means, same impact formula; an agent
//!   (≥ 3 finished operations) whose error rate exceeds the other agents'
//!   pooled rate by 10 points and by half, impact = the difference in points;
//!   a kind (≥ 3 finished) or recorded pattern with success below 85 %,
//!   impact (100 − success %) × 2; a communication record with mean response
//!   time above the threshold, impact (value / threshold − 1) × 100; a
//!   session with integration conflicts, impact = conflicts per 100
//!   operations reporting conflicts. Operation and phase bottlenecks keep the
//!   [`MAX_OPERATION_BOTTLENECKS`] highest impacts.
//! - **Alerts**: strict comparisons ("below 70 %" is < 0.70). The long
//!   operation alert is one grouped alert naming the count and the longest.
//!   Conflicts fire at `max_conflicts` or more.
//! - **Efficiency** (seed 001): completion, quality, collaboration,
//!   1 − error rate, response-time term min(1, 1 / response seconds), with
//!   weights 0.3, 0.25, 0.2, 0.15, 0.1, re-weighted over the inputs present.
//!   Operations supply completion, quality and error rate when the agent has
//!   any in the period; agent profiles supply the rest (mean over profiles).
//! - **Pre-aggregated figures** are never added to raw operations; they give
//!   the headline figures only when the period has no raw operations and no
//!   filter is set, choosing per scope the record with the largest count
//!   (an overall record, else the sum of agent records, else of kind
//!   records); [`Analysis::figures_from`] says which.
//! - **Recommendations** (impact scores): kind or pattern success < 85 %,
//!   (100 − success %) × 2; cache hit rate < 70 % (poor below 50 %),
//!   (0.70 − rate) × 100; an error type failing 3 times or more, its share of
//!   operations in % × 2; a kind whose cost per operation exceeds twice the
//!   median of kinds (≥ 3 kinds), (ratio − 1) × 20; a test kind slower than
//!   1.5 × the mean of the other kinds, (ratio − 1) × 50; sessions above the
//!   token warning threshold, their share in % × 0.5; an agent (≥ 3
//!   operations) on a model costing ≥ $10 / M output tokens with < 2 000
//!   output tokens per operation and a mean under 60 s, its cost share in %;
//!   an agent whose error rate exceeds the alert threshold, error % × 2;
//!   one error type behind ≥ 50 % of retries (≥ 3 retries), its share in %.
//! - **Costs**: see [`pricing`] and [`CostMode`]. Tokens recorded only as a
//!   total count in token totals, never in categories or costs; an
//!   operation with tokens and no usable cost is unpriced (cost unknown, not $0).

mod engine;
mod extra;
mod partial;
pub mod pricing;
pub mod stats;
mod types;

use serde::{Deserialize, Serialize};

pub use engine::{
    analyze, finish, group_stats, health, EFFICIENCY_WEIGHTS, MAX_OPERATION_BOTTLENECKS,
    MIN_SAMPLES,
};
pub use extra::HISTOGRAM_EDGES;
pub use partial::{Acc, Ctx, Partial};
pub use stats::{percentile, rate_cache_hit, rate_error, rate_success};
pub use types::*;

/// Alert thresholds; the defaults are the seeds' (PRODUCT.md section 4).
/// Rates are fractions, durations seconds, money USD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// Success rate below this fires `low_success_rate` (high). Seed 000/001: 0.70.
    pub min_success_rate: f64,
    /// Error rate above this fires `high_error_rate` (high). Seed 000: 0.15.
    pub max_error_rate: f64,
    /// Error rate above this fires `critical_error_rate` (critical). Seed 001: 0.25.
    pub critical_error_rate: f64,
    /// An operation longer than this fires `long_duration` (medium). Seed 001: 120 min.
    pub max_operation_seconds: f64,
    /// A day costing more than this fires `daily_cost` (high). Seed 000: $50.
    pub max_daily_cost: f64,
    /// Mean code quality below this fires `low_code_quality` (medium). Seed 001: 60.
    pub min_code_quality: f64,
    /// More security issues than this fires `security_issues` (critical). Seed 001: 0.
    pub max_security_issues: f64,
    /// Response time above this fires `slow_response` (low). Seed 001: 300 s.
    pub max_response_seconds: f64,
    /// This many conflicts or more fires `conflicts` (medium). Seed 001: 1.
    pub max_conflicts: f64,
    /// Tokens in one session above this fires `session_tokens` (low). Seed 003: 150 000.
    pub max_session_tokens: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_success_rate: 0.70,
            max_error_rate: 0.15,
            critical_error_rate: 0.25,
            max_operation_seconds: 120.0 * 60.0,
            max_daily_cost: 50.0,
            min_code_quality: 60.0,
            max_security_issues: 0.0,
            max_response_seconds: 300.0,
            max_conflicts: 1.0,
            max_session_tokens: 150_000.0,
        }
    }
}

/// How costs are obtained (as ccusage's modes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostMode {
    /// Recorded cost when present, else computed from tokens.
    #[default]
    Auto,
    /// Always computed from tokens and the price table.
    Calculate,
    /// Only recorded costs.
    Display,
}

/// One model's prices in USD per million tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelPrice {
    /// Model name as records carry it.
    pub model: String,
    /// Input.
    pub input: f64,
    /// Output.
    pub output: f64,
    /// Cache read.
    pub cache_read: Option<f64>,
    /// Cache write.
    pub cache_write: Option<f64>,
    /// Prompt size (input + cache tokens) above which the long-context prices apply.
    pub long_context_threshold: Option<u64>,
    /// Long-context input price.
    pub long_input: Option<f64>,
    /// Long-context output price.
    pub long_output: Option<f64>,
    /// Long-context cache-read price.
    pub long_cache_read: Option<f64>,
    /// Long-context cache-write price.
    pub long_cache_write: Option<f64>,
}

/// Cost mode and the user's price overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PricingOptions {
    /// Cost mode.
    pub mode: CostMode,
    /// Prices that replace or extend the embedded table.
    pub overrides: Vec<ModelPrice>,
}
