//! The analytics engine: KPIs, breakdowns, trends, bottlenecks,
//! recommendations, alerts and health, computed from the canonical dataset
//! for a period and filters. One pass over the operations builds mergeable
//! partial aggregates; the result is the plain [`Analysis`] struct.

mod engine;
mod partial;
pub mod pricing;
pub mod stats;
mod types;

use serde::{Deserialize, Serialize};

pub use engine::{analyze, finish, group_stats, health};
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
