//! Prometheus text exposition format (version 0.0.4): every metric with HELP
//! and TYPE lines, label values escaped, figures without data left out.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::ReportOptions;
use crate::analysis::{Analysis, GroupStats, HealthStatus, Severity};

/// Escapes a label value: backslash, double quote and newline.
pub fn escape_label(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A sample value as the format writes it.
fn value(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v == f64::INFINITY {
        "+Inf".to_string()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        v.to_string()
    }
}

/// A sample: full metric name, labels and value.
type Sample = (String, Vec<(&'static str, String)>, f64);

struct Family {
    help: &'static str,
    kind: &'static str,
    samples: Vec<Sample>,
}

#[derive(Default)]
struct Exposition {
    families: Vec<(&'static str, Family)>,
}

impl Exposition {
    fn push(
        &mut self,
        name: &'static str,
        kind: &'static str,
        help: &'static str,
        sample: Option<Sample>,
    ) {
        if !self.families.iter().any(|(n, _)| *n == name) {
            self.families.push((
                name,
                Family {
                    help,
                    kind,
                    samples: Vec::new(),
                },
            ));
        }
        if let Some(sample) = sample {
            if let Some((_, fam)) = self.families.iter_mut().find(|(n, _)| *n == name) {
                fam.samples.push(sample);
            }
        }
    }

    fn add(
        &mut self,
        name: &'static str,
        kind: &'static str,
        help: &'static str,
        labels: Vec<(&'static str, String)>,
        v: Option<f64>,
    ) {
        self.push(name, kind, help, v.map(|v| (name.to_string(), labels, v)));
    }

    fn add_suffixed(
        &mut self,
        name: &'static str,
        suffix: &str,
        kind: &'static str,
        help: &'static str,
        labels: Vec<(&'static str, String)>,
        v: f64,
    ) {
        self.push(
            name,
            kind,
            help,
            Some((format!("{name}{suffix}"), labels, v)),
        );
    }

    fn write(&self) -> String {
        let mut out = String::new();
        for (name, fam) in &self.families {
            if fam.samples.is_empty() {
                continue;
            }
            let _ = writeln!(out, "# HELP {name} {}", fam.help);
            let _ = writeln!(out, "# TYPE {name} {}", fam.kind);
            for (sample, labels, v) in &fam.samples {
                out.push_str(sample);
                if !labels.is_empty() {
                    out.push('{');
                    for (i, (k, lv)) in labels.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        let _ = write!(out, "{k}=\"{}\"", escape_label(lv));
                    }
                    out.push('}');
                }
                let _ = writeln!(out, " {}", value(*v));
            }
        }
        out
    }
}

fn groups(
    e: &mut Exposition,
    label: &'static str,
    map: &BTreeMap<String, GroupStats>,
    names: [&'static str; 5],
) {
    let [ops, rate, dur, cost, tokens] = names;
    for (k, g) in map {
        for (outcome, n) in [("success", g.success_count), ("failure", g.failure_count)] {
            e.add(
                ops,
                "counter",
                "Finished operations by outcome.",
                vec![(label, k.clone()), ("outcome", outcome.to_string())],
                Some(n as f64),
            );
        }
    }
    for (k, g) in map {
        e.add(
            rate,
            "gauge",
            "Success rate, a fraction 0..1.",
            vec![(label, k.clone())],
            g.success_rate,
        );
    }
    for (k, g) in map {
        e.add(
            dur,
            "gauge",
            "Mean duration of finished operations, seconds.",
            vec![(label, k.clone())],
            g.avg_duration,
        );
    }
    for (k, g) in map {
        e.add(
            cost,
            "counter",
            "Cost in USD.",
            vec![(label, k.clone())],
            g.total_cost,
        );
    }
    for (k, g) in map {
        e.add(
            tokens,
            "counter",
            "Tokens used, all categories.",
            vec![(label, k.clone())],
            g.total_tokens.map(|t| t as f64),
        );
    }
}

/// The analysis as Prometheus text exposition.
pub fn report_prometheus(a: &Analysis, _o: &ReportOptions) -> String {
    let mut e = Exposition::default();
    let ov = &a.overall;
    for (outcome, n) in [("success", ov.succeeded), ("failure", ov.failed)] {
        e.add(
            "baton_operations_total",
            "counter",
            "Finished operations by outcome.",
            vec![("outcome", outcome.to_string())],
            Some(n as f64),
        );
    }
    e.add(
        "baton_operations_running",
        "gauge",
        "Operations still running.",
        vec![],
        Some(ov.running as f64),
    );
    e.add(
        "baton_success_rate",
        "gauge",
        "Succeeded / finished operations, 0..1.",
        vec![],
        ov.success_rate,
    );
    e.add(
        "baton_error_rate",
        "gauge",
        "Failed / finished operations, 0..1.",
        vec![],
        ov.error_rate,
    );
    e.add(
        "baton_retry_rate",
        "gauge",
        "Share of finished operations retried, 0..1.",
        vec![],
        ov.retry_rate,
    );
    e.add(
        "baton_cache_hit_rate",
        "gauge",
        "Cache hits / operations reporting a cache outcome, 0..1.",
        vec![],
        ov.cache_hit_rate,
    );
    let help = "Duration of finished operations, seconds.";
    for (q, v) in [
        ("0.5", ov.p50_duration),
        ("0.95", ov.p95_duration),
        ("0.99", ov.p99_duration),
    ] {
        e.add(
            "baton_duration_seconds",
            "summary",
            help,
            vec![("quantile", q.to_string())],
            v,
        );
    }
    if let Some(avg) = ov.avg_duration {
        let n = ov.total_operations as f64;
        e.add_suffixed(
            "baton_duration_seconds",
            "_sum",
            "summary",
            help,
            vec![],
            avg * n,
        );
        e.add_suffixed(
            "baton_duration_seconds",
            "_count",
            "summary",
            help,
            vec![],
            n,
        );
    }

    groups(
        &mut e,
        "agent",
        &a.agents,
        [
            "baton_agent_operations_total",
            "baton_agent_success_rate",
            "baton_agent_avg_duration_seconds",
            "baton_agent_cost_usd_total",
            "baton_agent_tokens_total",
        ],
    );
    groups(
        &mut e,
        "kind",
        &a.operations,
        [
            "baton_kind_operations_total",
            "baton_kind_success_rate",
            "baton_kind_avg_duration_seconds",
            "baton_kind_cost_usd_total",
            "baton_kind_tokens_total",
        ],
    );
    groups(
        &mut e,
        "model",
        &a.models,
        [
            "baton_model_operations_total",
            "baton_model_success_rate",
            "baton_model_avg_duration_seconds",
            "baton_model_cost_usd_total",
            "baton_model_tokens_total",
        ],
    );

    let c = &a.costs;
    for (cat, n) in [
        ("input", c.tokens.input),
        ("output", c.tokens.output),
        ("cache_read", c.tokens.cache_read),
        ("cache_write", c.tokens.cache_write),
    ] {
        e.add(
            "baton_tokens_total",
            "counter",
            "Tokens used by category.",
            vec![("category", cat.to_string())],
            c.total_tokens.map(|_| n as f64),
        );
    }
    e.add(
        "baton_cost_usd_total",
        "counter",
        "Total cost in the period, USD.",
        vec![],
        c.total_cost,
    );
    e.add(
        "baton_cost_today_usd",
        "gauge",
        "Cost of the day holding now, USD.",
        vec![],
        c.today,
    );
    e.add(
        "baton_cost_last_7_days_usd",
        "gauge",
        "Cost of the 7 days ending at now, USD.",
        vec![],
        c.last_7_days,
    );
    e.add(
        "baton_cost_last_30_days_usd",
        "gauge",
        "Cost of the 30 days ending at now, USD.",
        vec![],
        c.last_30_days,
    );
    e.add(
        "baton_cost_monthly_projection_usd",
        "gauge",
        "Mean daily cost of the last 30 days times 30, USD.",
        vec![],
        c.monthly_projection,
    );
    e.add(
        "baton_cost_per_operation_usd",
        "gauge",
        "Mean cost per operation, USD.",
        vec![],
        c.avg_cost_per_operation,
    );
    e.add(
        "baton_unpriced_operations",
        "gauge",
        "Operations whose cost is unknown (model without a price).",
        vec![],
        Some(c.unpriced_operations as f64),
    );

    let w = &a.work_items;
    for (outcome, n) in [("success", w.succeeded), ("failure", w.failed)] {
        e.add(
            "baton_work_items_total",
            "counter",
            "Work items processed by outcome.",
            vec![("outcome", outcome.to_string())],
            Some(n as f64),
        );
    }
    e.add(
        "baton_prs_merged_total",
        "counter",
        "Pull requests merged.",
        vec![],
        w.prs_merged.map(|n| n as f64),
    );
    let p = &a.pipelines;
    if p.attempts > 0 {
        for (outcome, n) in [("success", p.succeeded), ("failure", p.failed)] {
            e.add(
                "baton_pipeline_attempts_total",
                "counter",
                "CI pipeline attempts by outcome.",
                vec![("outcome", outcome.to_string())],
                Some(n as f64),
            );
        }
    }
    e.add(
        "baton_pipeline_first_pass_rate",
        "gauge",
        "Work items whose first pipeline passed, 0..1.",
        vec![],
        p.first_pass_rate,
    );
    let d = &a.debugging;
    if d.cycles > 0 {
        e.add(
            "baton_debugging_cycles_total",
            "counter",
            "Debugging cycles.",
            vec![],
            Some(d.cycles as f64),
        );
    }
    e.add(
        "baton_debugging_success_rate",
        "gauge",
        "Resolved / debugging cycles, 0..1.",
        vec![],
        d.success_rate,
    );

    for sev in [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ] {
        let n = a.alerts.iter().filter(|x| x.severity == sev).count();
        e.add(
            "baton_alerts",
            "gauge",
            "Alerts firing by severity.",
            vec![("severity", super::severity_word(sev).to_string())],
            Some(n as f64),
        );
    }
    for (status, s) in [
        ("healthy", HealthStatus::Healthy),
        ("degraded", HealthStatus::Degraded),
        ("unhealthy", HealthStatus::Unhealthy),
    ] {
        e.add(
            "baton_health",
            "gauge",
            "1 for the current health status, 0 for the others.",
            vec![("status", status.to_string())],
            Some(if a.health.status == s { 1.0 } else { 0.0 }),
        );
    }
    e.write()
}
