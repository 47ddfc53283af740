//! The Markdown report (seed 000's layout). Names from files are untrusted
//! text: pipes, backslashes, newlines and HTML are escaped.

use std::fmt::Write;

use super::{
    comparison, executive_summary, fmt_change, fmt_int, fmt_pct, fmt_pts, fmt_secs, fmt_usd,
    forecast, generated_at, rating_word, severity_word, ReportKind, ReportOptions,
};
use crate::analysis::{Analysis, FiguresFrom, GroupStats, HealthStatus, OperationRef, Rating};

/// Bottlenecks listed in the Markdown report (the JSON report has them all).
const MAX_BOTTLENECKS: usize = 10;

/// Escapes untrusted text for a table cell or a list item.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push_str("\\`"),
            '*' => out.push_str("\\*"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\r' | '\n' | '\t' => out.push(' '),
            // Bidirectional embeddings, overrides and isolates can make a
            // name read as something else (a right-to-left override turns
            // "rtl\u{202e}gnp.exe" into "rtlexe.png"): dropped.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map(f).unwrap_or_else(|| "-".to_string())
}

fn rated(v: Option<f64>, r: Option<Rating>) -> String {
    match (v, r) {
        (Some(v), Some(r)) => format!("{} ({})", fmt_pct(v), rating_word(r)),
        (Some(v), None) => fmt_pct(v),
        _ => "-".to_string(),
    }
}

fn title(kind: ReportKind, days: Option<u32>) -> String {
    let span = match days {
        Some(1) => "1 Day".to_string(),
        Some(d) => format!("{d} Days"),
        None => "All Data".to_string(),
    };
    match kind {
        ReportKind::Summary => format!("# Orchestrator Report - {span}"),
        ReportKind::Detailed => format!("# Orchestrator Detailed Report - {span}"),
        ReportKind::Daily => format!("# Daily Orchestrator Report - {span}"),
        ReportKind::Weekly => format!("# Weekly Orchestrator Report - {span}"),
        ReportKind::Monthly => format!("# Monthly Orchestrator Report - {span}"),
    }
}

fn group_table(
    out: &mut String,
    heading: &str,
    first: &str,
    map: &std::collections::BTreeMap<String, GroupStats>,
) {
    if map.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {heading}\n");
    let _ = writeln!(
        out,
        "| {first} | Count | Success Rate | Avg Duration | P95 Duration | Cost | Tokens |"
    );
    let _ = writeln!(
        out,
        "|{}|-------|--------------|--------------|--------------|------|--------|",
        "-".repeat(first.len() + 2)
    );
    for (name, g) in map {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(name),
            fmt_int(g.count),
            opt(g.success_rate, fmt_pct),
            opt(g.avg_duration, fmt_secs),
            opt(g.p95_duration, fmt_secs),
            opt(g.total_cost, fmt_usd),
            opt(g.total_tokens, fmt_int),
        );
    }
    out.push('\n');
}

fn op_table(out: &mut String, heading: &str, ops: &[OperationRef]) {
    if ops.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {heading}\n");
    out.push_str("| Operation | Kind | Agent | Model | Start | Duration | Cost | Outcome |\n");
    out.push_str("|-----------|------|-------|-------|-------|----------|------|---------|\n");
    for op in ops {
        let outcome = match op.outcome {
            crate::model::Outcome::Success => "success".to_string(),
            crate::model::Outcome::Failure => match &op.error_type {
                Some(t) => format!("failure ({})", escape(t)),
                None => "failure".to_string(),
            },
            crate::model::Outcome::Running => "running".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&op.id),
            escape(&op.kind),
            escape(&op.agent),
            op.model
                .as_deref()
                .map(escape)
                .unwrap_or_else(|| "-".into()),
            op.start
                .as_deref()
                .map(escape)
                .unwrap_or_else(|| "-".into()),
            opt(op.duration, fmt_secs),
            opt(op.cost, fmt_usd),
            outcome
        );
    }
    out.push('\n');
}

/// The Markdown report.
pub fn report_markdown(a: &Analysis, o: &ReportOptions) -> String {
    let kind = o.kind;
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", title(kind, a.period_days));
    let _ = writeln!(
        out,
        "Generated: {}\n",
        generated_at(a, o)
            .as_deref()
            .map(escape)
            .unwrap_or_else(|| "-".into())
    );
    if let (Some(s), Some(e)) = (&a.period.start, &a.period.end) {
        let _ = writeln!(out, "Period: {} to {}\n", escape(s), escape(e));
    }

    if kind.is_periodic() {
        let es = executive_summary(a);
        out.push_str("## Executive Summary\n\n### Achievements\n\n");
        if es.achievements.is_empty() {
            out.push_str("- None recorded in this period\n");
        }
        for line in &es.achievements {
            let _ = writeln!(out, "- {}", escape(line));
        }
        out.push_str("\n### Challenges\n\n");
        if es.challenges.is_empty() {
            out.push_str("- None: no alert above low and no declining trend\n");
        }
        for line in &es.challenges {
            let _ = writeln!(out, "- {}", escape(line));
        }
        out.push('\n');
        if let Some(c) = comparison(a, kind) {
            let _ = writeln!(out, "## Compared with the {}\n", c.against);
            out.push_str("| Metric | Current | Previous | Change |\n");
            out.push_str("|--------|---------|----------|--------|\n");
            let _ = writeln!(
                out,
                "| Operations | {} | {} | {} |",
                fmt_int(c.current.total_operations),
                fmt_int(c.previous.total_operations),
                opt(c.operations_change, fmt_change)
            );
            let _ = writeln!(
                out,
                "| Success rate | {} | {} | {} |",
                opt(c.current.success_rate, fmt_pct),
                opt(c.previous.success_rate, fmt_pct),
                opt(c.success_rate_change, fmt_pts)
            );
            let _ = writeln!(
                out,
                "| Avg duration | {} | {} | {} |",
                opt(c.current.avg_duration, fmt_secs),
                opt(c.previous.avg_duration, fmt_secs),
                opt(c.avg_duration_change, fmt_change)
            );
            let _ = writeln!(
                out,
                "| Cost | {} | {} | {} |",
                opt(c.current.cost, fmt_usd),
                opt(c.previous.cost, fmt_usd),
                opt(c.cost_change, fmt_change)
            );
            let _ = writeln!(
                out,
                "| Tokens | {} | {} | {} |\n",
                opt(c.current.tokens, fmt_int),
                opt(c.previous.tokens, fmt_int),
                opt(c.tokens_change, fmt_change)
            );
        }
        if kind == ReportKind::Monthly {
            let f = forecast(a);
            out.push_str("## Forecast\n\n");
            let _ = writeln!(
                out,
                "- Monthly cost projection: {}",
                opt(f.monthly_projection, fmt_usd)
            );
            for t in &a.trends {
                let change = t
                    .change
                    .map(|c| format!(", last {} {}", t.granularity, fmt_change(c)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- {} by {}: {}{}",
                    escape(&super::human(&t.series)),
                    escape(&t.granularity),
                    trend_word(t.direction),
                    change
                );
            }
            out.push('\n');
        }
    }

    let ov = &a.overall;
    out.push_str("## Overall Metrics\n\n");
    if a.figures_from == FiguresFrom::Aggregates {
        out.push_str(
            "Figures come from pre-aggregated reports: the period has no individual operations.\n\n",
        );
    }
    let _ = writeln!(
        out,
        "- Success Rate: {}",
        rated(ov.success_rate, ov.ratings.success_rate)
    );
    let _ = writeln!(out, "- Total Operations: {}", fmt_int(ov.total_operations));
    let _ = writeln!(
        out,
        "- Succeeded / Failed / Running: {} / {} / {}",
        fmt_int(ov.succeeded),
        fmt_int(ov.failed),
        fmt_int(ov.running)
    );
    let _ = writeln!(
        out,
        "- Error Rate: {}",
        rated(ov.error_rate, ov.ratings.error_rate)
    );
    let _ = writeln!(out, "- Retry Rate: {}", opt(ov.retry_rate, fmt_pct));
    let _ = writeln!(
        out,
        "- Cache Hit Rate: {}",
        rated(ov.cache_hit_rate, ov.ratings.cache_hit_rate)
    );
    let _ = writeln!(
        out,
        "- Duration: avg {}, p50 {}, p95 {}\n",
        opt(ov.avg_duration, fmt_secs),
        opt(ov.p50_duration, fmt_secs),
        opt(ov.p95_duration, fmt_secs)
    );

    group_table(&mut out, "Operations", "Operation", &a.operations);
    group_table(&mut out, "Agents", "Agent", &a.agents);
    group_table(&mut out, "Models", "Model", &a.models);

    let c = &a.costs;
    out.push_str("## Costs\n\n");
    let _ = writeln!(out, "- Total Cost: {}", opt(c.total_cost, fmt_usd));
    let _ = writeln!(
        out,
        "- Average per Operation: {}",
        opt(c.avg_cost_per_operation, fmt_usd)
    );
    let _ = writeln!(out, "- Total Tokens: {}", opt(c.total_tokens, fmt_int));
    let t = &c.tokens;
    if t.total() > 0 {
        let _ = writeln!(
            out,
            "- Tokens: input {}, output {}, cache read {}, cache write {}",
            fmt_int(t.input),
            fmt_int(t.output),
            fmt_int(t.cache_read),
            fmt_int(t.cache_write)
        );
    } else if c.total_tokens.is_some_and(|n| n > 0) {
        out.push_str("- Tokens by category: not recorded\n");
    }
    let _ = writeln!(
        out,
        "- Last 7 days: {}, last 30 days: {}",
        opt(c.last_7_days, fmt_usd),
        opt(c.last_30_days, fmt_usd)
    );
    let _ = writeln!(
        out,
        "- Monthly Projection: {}",
        opt(c.monthly_projection, fmt_usd)
    );
    if !c.unpriced_models.is_empty() {
        let names: Vec<String> = c.unpriced_models.iter().map(|m| escape(m)).collect();
        let _ = writeln!(
            out,
            "- Cost unknown (no price) for: {} ({} operations)",
            names.join(", "),
            fmt_int(c.unpriced_operations)
        );
    }
    out.push('\n');

    let w = &a.work_items;
    if w.processed > 0 || w.prs_merged.is_some() {
        out.push_str("## Work Items\n\n");
        let _ = writeln!(
            out,
            "- Processed: {} ({} succeeded, {} failed)",
            fmt_int(w.processed),
            fmt_int(w.succeeded),
            fmt_int(w.failed)
        );
        let _ = writeln!(out, "- Average Duration: {}", opt(w.avg_duration, fmt_secs));
        let _ = writeln!(out, "- PRs Merged: {}\n", opt(w.prs_merged, fmt_int));
    }
    let p = &a.pipelines;
    if p.attempts > 0 {
        out.push_str("## Pipelines\n\n");
        let _ = writeln!(
            out,
            "- Attempts: {} ({} passed, {} failed)",
            fmt_int(p.attempts),
            fmt_int(p.succeeded),
            fmt_int(p.failed)
        );
        let _ = writeln!(out, "- Success Rate: {}", opt(p.success_rate, fmt_pct));
        let _ = writeln!(
            out,
            "- First-Pass Rate: {}\n",
            opt(p.first_pass_rate, fmt_pct)
        );
    }
    let d = &a.debugging;
    if d.cycles > 0 {
        out.push_str("## Debugging\n\n");
        let _ = writeln!(
            out,
            "- Cycles: {} ({} resolved, {})",
            fmt_int(d.cycles),
            fmt_int(d.resolved),
            opt(d.success_rate, fmt_pct)
        );
        let _ = writeln!(
            out,
            "- Average Attempts: {}",
            opt(d.avg_attempts, |v| format!("{v:.1}"))
        );
        let _ = writeln!(
            out,
            "- Cycles per Work Item: {}\n",
            opt(d.cycles_per_work_item, |v| format!("{v:.2}"))
        );
    }

    if kind.is_detailed() {
        if !a.by_day.is_empty() {
            out.push_str("## By Day\n\n");
            out.push_str(
                "| Day | Operations | Succeeded | Failed | Success Rate | Avg Duration |\n",
            );
            out.push_str(
                "|-----|------------|-----------|--------|--------------|--------------|\n",
            );
            for b in &a.by_day {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    escape(&b.start),
                    fmt_int(b.count),
                    fmt_int(b.success_count),
                    fmt_int(b.failure_count),
                    opt(b.success_rate, fmt_pct),
                    opt(b.avg_duration, fmt_secs)
                );
            }
            out.push_str("\n## Costs by Day\n\n");
            out.push_str("| Day | Cost | Tokens | Work Items | PRs Merged |\n");
            out.push_str("|-----|------|--------|------------|------------|\n");
            for b in &a.by_day {
                let t = b.tokens;
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    escape(&b.start),
                    opt(b.cost, fmt_usd),
                    fmt_int(t.total()),
                    fmt_int(b.work_items),
                    fmt_int(b.prs_merged)
                );
            }
            out.push('\n');
        }
        if !a.errors_by_type.is_empty() {
            out.push_str("## Errors by Type\n\n| Error Type | Count |\n|------------|-------|\n");
            let mut errs: Vec<(&String, &u64)> = a.errors_by_type.iter().collect();
            crate::sort::sort_by(&mut errs, |x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
            for (t, n) in errs {
                let _ = writeln!(out, "| {} | {} |", escape(t), fmt_int(*n));
            }
            out.push('\n');
        }
        op_table(&mut out, "Slowest Operations", &a.slowest_operations);
        op_table(
            &mut out,
            "Most Expensive Operations",
            &a.most_expensive_operations,
        );
    }

    out.push_str("## Alerts\n\n");
    if a.alerts.is_empty() {
        out.push_str("- None\n");
    }
    for al in &a.alerts {
        let subject = al
            .subject
            .as_deref()
            .map(|s| format!(" [{}]", escape(s)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- **{}** {}{}: {} (value {}, threshold {})",
            severity_word(al.severity),
            escape(&al.kind),
            subject,
            escape(&al.message),
            num(al.value),
            num(al.threshold)
        );
    }
    out.push('\n');

    if !a.bottlenecks.is_empty() {
        out.push_str("## Bottlenecks\n\n");
        out.push_str("| Subject | Kind | Value | Baseline | Impact | Description |\n");
        out.push_str("|---------|------|-------|----------|--------|-------------|\n");
        for b in a.bottlenecks.iter().take(MAX_BOTTLENECKS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} {} | {} {} | {:.1} | {} |",
                escape(&b.subject),
                escape(&b.kind),
                measure(b.value, &b.unit),
                escape(&b.unit),
                measure(b.baseline, &b.unit),
                escape(&b.unit),
                b.impact_score,
                escape(&b.description)
            );
        }
        let more =
            a.bottlenecks.len().saturating_sub(MAX_BOTTLENECKS) as u64 + a.bottlenecks_omitted;
        if more > 0 {
            let _ = writeln!(out, "\n{} more with a lower impact.", fmt_int(more));
        }
        out.push('\n');
        let with_actions: Vec<_> = a
            .bottlenecks
            .iter()
            .take(MAX_BOTTLENECKS)
            .filter(|b| !b.recommendations.is_empty())
            .collect();
        if !with_actions.is_empty() {
            out.push_str("Suggested actions:\n\n");
            for b in with_actions {
                let actions: Vec<String> = b.recommendations.iter().map(|r| escape(r)).collect();
                let _ = writeln!(out, "- {}: {}", escape(&b.subject), actions.join("; "));
            }
            out.push('\n');
        }
    }

    out.push_str("## Recommendations\n\n");
    if a.recommendations.is_empty() {
        out.push_str("- None\n");
    }
    for r in &a.recommendations {
        let _ = writeln!(
            out,
            "- {} (evidence: {}; expected impact: {})",
            escape(&r.message),
            escape(&r.evidence),
            escape(&r.expected_impact)
        );
    }
    out.push('\n');

    if !a.aggregates.is_empty() {
        out.push_str("## Pre-aggregated Figures\n\n");
        out.push_str("| Source | Origin | Scope | Period | Count | Success Rate | Avg Duration | Cost | Tokens | Used |\n");
        out.push_str("|--------|--------|-------|--------|-------|--------------|--------------|------|--------|------|\n");
        for g in &a.aggregates {
            let scope = match &g.name {
                Some(n) => format!("{}: {}", escape(&g.scope), escape(n)),
                None => escape(&g.scope),
            };
            let period = match (&g.period_start, &g.period_end) {
                (Some(s), Some(e)) => format!("{} to {}", escape(s), escape(e)),
                (Some(s), None) => format!("from {}", escape(s)),
                (None, Some(e)) => format!("to {}", escape(e)),
                (None, None) => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                escape(&g.source),
                escape(&g.origin),
                scope,
                period,
                opt(g.count, fmt_int),
                opt(g.success_rate, fmt_pct),
                opt(g.avg_duration, fmt_secs),
                opt(g.total_cost, fmt_usd),
                opt(g.total_tokens, fmt_int),
                if g.used { "yes" } else { "no" }
            );
        }
        out.push('\n');
    }

    if !a.insights.is_empty() {
        out.push_str("## Insights\n\n");
        for i in &a.insights {
            let _ = writeln!(out, "- {}", escape(i));
        }
        out.push('\n');
    }

    out.push_str("## Health\n\n");
    let status = match a.health.status {
        HealthStatus::Healthy => "healthy",
        HealthStatus::Degraded => "degraded",
        HealthStatus::Unhealthy => "unhealthy",
    };
    let _ = writeln!(out, "- Status: {status}");
    for r in &a.health.reasons {
        let _ = writeln!(out, "- {}", escape(r));
    }
    out
}

/// A bottleneck's value: one decimal for percentages and seconds.
fn measure(v: f64, unit: &str) -> String {
    if v.is_finite() && matches!(unit.trim(), "%" | "s" | "min") {
        format!("{v:.1}")
    } else {
        num(v)
    }
}

/// A trend direction in words for people.
fn trend_word(d: crate::analysis::Direction) -> &'static str {
    match d {
        crate::analysis::Direction::Improving => "improving",
        crate::analysis::Direction::Stable => "stable",
        crate::analysis::Direction::Declining => "getting worse",
    }
}

/// A measured value in an alert or bottleneck: up to 3 decimals, trimmed.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "-".to_string();
    }
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
