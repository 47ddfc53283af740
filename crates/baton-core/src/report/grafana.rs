//! The time series in the shape of a Grafana JSON data source `/query`
//! response: `[{"target": name, "datapoints": [[value, epoch_ms], ...]}]`.
//! Series are per day; a bucket without a value gives a null point (a gap).

use serde_json::{json, Value};

use super::ReportOptions;
use crate::analysis::{Analysis, TimeBucket};

fn series(name: &str, buckets: &[TimeBucket], f: impl Fn(&TimeBucket) -> Option<f64>) -> Value {
    let points: Vec<Value> = buckets
        .iter()
        .map(|b| json!([f(b).filter(|v| v.is_finite()), b.start_ms]))
        .collect();
    json!({ "target": name, "datapoints": points })
}

/// The daily time series as a Grafana JSON data-source response.
pub fn report_grafana(a: &Analysis, _o: &ReportOptions) -> String {
    let d = &a.by_day;
    let all = vec![
        series("operations", d, |b| Some(b.count as f64)),
        series("succeeded", d, |b| Some(b.success_count as f64)),
        series("failed", d, |b| Some(b.failure_count as f64)),
        series("success_rate", d, |b| b.success_rate),
        series("error_rate", d, |b| {
            (b.count > 0).then(|| b.failure_count as f64 / b.count as f64)
        }),
        series("avg_duration_seconds", d, |b| b.avg_duration),
        series("cost_usd", d, |b| b.cost),
        series("tokens", d, |b| {
            let t = b.tokens;
            Some(t.total() as f64)
        }),
        series("tokens_input", d, |b| Some(b.tokens.input as f64)),
        series("tokens_output", d, |b| Some(b.tokens.output as f64)),
        series("tokens_cache_read", d, |b| Some(b.tokens.cache_read as f64)),
        series("tokens_cache_write", d, |b| {
            Some(b.tokens.cache_write as f64)
        }),
        series("work_items", d, |b| Some(b.work_items as f64)),
        series("prs_merged", d, |b| Some(b.prs_merged as f64)),
    ];
    let mut s = serde_json::to_string_pretty(&Value::Array(all)).unwrap_or_default();
    s.push('\n');
    s
}
