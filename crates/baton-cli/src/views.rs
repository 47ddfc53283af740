//! Terminal views of seed 004's monitor: health, failures, agents, sessions,
//! plus the `check` listing. Names from files are shown with control
//! characters removed, so a file cannot drive the terminal.

use std::fmt::Write;

use baton_core::analysis::{Analysis, GroupStats, HealthStatus, OperationRef, Severity};
use baton_core::model::{Dataset, Outcome};
use baton_core::report::{fmt_int, fmt_pct, fmt_secs, fmt_usd, severity_word};
use comfy_table::{presets, ContentArrangement, Table};

/// Text from data, safe for the terminal: control characters become spaces
/// and bidirectional overrides and isolates are dropped.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map(f).unwrap_or_else(|| "-".to_string())
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    t
}

/// Keeps only the records at or after `cutoff` (UTC ms); running sessions stay.
pub fn restrict(ds: &mut Dataset, cutoff: i64) {
    let recent = |start: Option<baton_core::model::Timestamp>,
                  end: Option<baton_core::model::Timestamp>| {
        end.or(start).is_some_and(|t| t.0 >= cutoff)
    };
    ds.operations
        .retain(|o| o.outcome == Outcome::Running || recent(o.start, o.end));
    ds.sessions
        .retain(|s| s.outcome == Some(Outcome::Running) || recent(s.start, s.end));
    ds.work_items.retain(|w| recent(w.start, None));
    ds.pipelines.retain(|p| recent(p.time, None));
    ds.debugging.retain(|d| recent(d.time, None));
    ds.communication
        .retain(|c| c.time.is_none_or(|t| t.0 >= cutoff));
    ds.operation_index = ds
        .operations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id, i))
        .collect();
    ds.session_index = ds
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    ds.work_item_index = ds
        .work_items
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id, i))
        .collect();
}

/// `baton health`: runs, executions and alerts over the last hours.
pub fn health(a: &Analysis, ds: &Dataset, hours: u32) -> String {
    let mut out = String::new();
    let status = match a.health.status {
        HealthStatus::Healthy => "healthy",
        HealthStatus::Degraded => "degraded",
        HealthStatus::Unhealthy => "unhealthy",
    };
    let _ = writeln!(out, "Health (last {hours} hours): {status}");
    let count = |o: Option<Outcome>| ds.sessions.iter().filter(|s| s.outcome == o).count();
    let _ = writeln!(
        out,
        "Runs: {} total, {} completed, {} failed, {} running",
        ds.sessions.len(),
        count(Some(Outcome::Success)),
        count(Some(Outcome::Failure)),
        count(Some(Outcome::Running))
    );
    let o = &a.overall;
    let _ = writeln!(
        out,
        "Agent executions: {} finished, {} running, success rate {}, average duration {}",
        fmt_int(o.total_operations),
        fmt_int(o.running),
        opt(o.success_rate, fmt_pct),
        opt(o.avg_duration, fmt_secs)
    );
    for r in &a.health.reasons {
        let _ = writeln!(out, "  - {}", clean(r));
    }
    if a.alerts.is_empty() {
        let _ = writeln!(out, "Alerts: none");
    } else {
        let _ = writeln!(out, "Alerts:");
        for al in &a.alerts {
            let _ = writeln!(
                out,
                "  [{}] {}",
                severity_word(al.severity),
                clean(&al.message)
            );
        }
    }
    out
}

fn op_cells(op: &OperationRef) -> Vec<String> {
    vec![
        op.start.clone().unwrap_or_else(|| "-".into()),
        clean(&op.kind),
        clean(&op.agent),
        clean(op.session.as_deref().unwrap_or("-")),
        opt(op.duration, fmt_secs),
        clean(op.error_type.as_deref().unwrap_or("-")),
        clean(op.error_message.as_deref().unwrap_or("")),
    ]
}

/// `baton failures`: recent failed operations and failed runs.
pub fn failures(a: &Analysis, limit: usize) -> String {
    let mut out = String::new();
    let mut t = table(&[
        "Start", "Kind", "Agent", "Session", "Duration", "Error", "Message",
    ]);
    for op in a.recent_failures.iter().take(limit) {
        t.add_row(op_cells(op));
    }
    let _ = writeln!(
        out,
        "Failed operations ({} of {} failures):",
        a.recent_failures.len().min(limit),
        fmt_int(a.overall.failed)
    );
    let _ = writeln!(out, "{t}");
    let failed: Vec<_> = a
        .sessions
        .iter()
        .filter(|s| s.outcome == Some(Outcome::Failure))
        .take(limit)
        .collect();
    if !failed.is_empty() {
        let mut t = table(&["Run", "Start", "Duration", "Operations", "Success Rate"]);
        for s in failed {
            t.add_row(vec![
                clean(&s.id),
                s.start.clone().unwrap_or_else(|| "-".into()),
                opt(s.duration, fmt_secs),
                fmt_int(s.stats.count),
                opt(s.stats.success_rate, fmt_pct),
            ]);
        }
        let _ = writeln!(out, "Failed runs:\n{t}");
    }
    if !a.errors_by_type.is_empty() {
        let mut errs: Vec<_> = a.errors_by_type.iter().collect();
        errs.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
        let list: Vec<String> = errs
            .iter()
            .map(|(k, n)| format!("{} {}", clean(k), n))
            .collect();
        let _ = writeln!(out, "By error type: {}", list.join(", "));
    }
    out
}

/// `baton agents`: one row per agent.
pub fn agents(a: &Analysis) -> String {
    let mut t = table(&[
        "Agent",
        "Ops",
        "Success",
        "Avg",
        "Min",
        "Max",
        "Retries",
        "Cost",
        "Tokens",
        "Efficiency",
    ]);
    for (name, g) in &a.agents {
        t.add_row(vec![
            clean(name),
            fmt_int(g.count),
            opt(g.success_rate, fmt_pct),
            opt(g.avg_duration, fmt_secs),
            opt(g.min_duration, fmt_secs),
            opt(g.max_duration, fmt_secs),
            fmt_int(g.retries),
            opt(g.total_cost, fmt_usd),
            opt(g.total_tokens, fmt_int),
            opt(a.efficiency.get(name).and_then(|e| e.score), |v| {
                format!("{v:.0}")
            }),
        ]);
    }
    format!("{t}\n")
}

fn stats_lines(out: &mut String, g: &GroupStats) {
    let _ = writeln!(
        out,
        "Operations: {} finished ({} succeeded, {} failed), {} running",
        fmt_int(g.count),
        fmt_int(g.success_count),
        fmt_int(g.failure_count),
        fmt_int(g.running)
    );
    let _ = writeln!(
        out,
        "Success rate: {}   Retry rate: {}   Retries: {}",
        opt(g.success_rate, fmt_pct),
        opt(g.retry_rate, fmt_pct),
        fmt_int(g.retries)
    );
    let _ = writeln!(
        out,
        "Duration: avg {}, min {}, max {}, p50 {}, p95 {}",
        opt(g.avg_duration, fmt_secs),
        opt(g.min_duration, fmt_secs),
        opt(g.max_duration, fmt_secs),
        opt(g.p50_duration, fmt_secs),
        opt(g.p95_duration, fmt_secs)
    );
    let _ = writeln!(
        out,
        "Cost: {}   Tokens: {}   Cache hit rate: {}",
        opt(g.total_cost, fmt_usd),
        opt(g.total_tokens, fmt_int),
        opt(g.cache_hit_rate, fmt_pct)
    );
    let _ = writeln!(
        out,
        "Files: {} created, {} modified   Quality: {}   Conflicts: {}   Self-healed: {}",
        opt(g.files_created, fmt_int),
        opt(g.files_modified, fmt_int),
        opt(g.avg_quality_score, |v| format!("{v:.0}")),
        opt(g.conflicts, fmt_int),
        opt(g.self_healed, fmt_int)
    );
}

/// `baton agents NAME`: one agent in detail.
pub fn agent(a: &Analysis, name: &str) -> Option<String> {
    let g = a.agents.get(name)?;
    let mut out = String::new();
    let _ = writeln!(out, "Agent: {}", clean(name));
    stats_lines(&mut out, g);
    if let Some(e) = a.efficiency.get(name) {
        let _ = writeln!(
            out,
            "Efficiency: {}",
            opt(e.score, |v| format!("{v:.1} / 100"))
        );
        for i in &e.inputs {
            let _ = writeln!(
                out,
                "  {}: {} (weight {})",
                clean(&i.name),
                fmt_pct(i.value),
                i.weight
            );
        }
        if !e.missing.is_empty() {
            let _ = writeln!(
                out,
                "  not in the data (re-weighted out): {}",
                e.missing.join(", ")
            );
        }
    }
    let kinds: Vec<_> = a
        .kind_agent
        .iter()
        .filter_map(|(k, m)| m.get(name).map(|g| (k, g)))
        .collect();
    if !kinds.is_empty() {
        let mut t = table(&["Kind", "Ops", "Success", "Avg"]);
        for (k, g) in kinds {
            t.add_row(vec![
                clean(k),
                fmt_int(g.count),
                opt(g.success_rate, fmt_pct),
                opt(g.avg_duration, fmt_secs),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    Some(out)
}

/// `baton sessions`: one row per session or run.
pub fn sessions(a: &Analysis) -> String {
    let mut t = table(&[
        "Session", "Status", "Start", "Duration", "Mode", "LLM", "Ops", "Success", "Phase",
    ]);
    for s in &a.sessions {
        t.add_row(vec![
            clean(&s.id),
            clean(s.status.as_deref().unwrap_or("-")),
            s.start.clone().unwrap_or_else(|| "-".into()),
            opt(s.duration, fmt_secs),
            clean(s.mode.as_deref().unwrap_or("-")),
            clean(s.llm.as_deref().unwrap_or("-")),
            fmt_int(s.stats.count),
            opt(s.stats.success_rate, fmt_pct),
            match (&s.current_phase, s.progress) {
                (Some(p), Some(pr)) => format!("{} ({})", clean(p), fmt_pct(pr)),
                (Some(p), None) => clean(p),
                _ => "-".into(),
            },
        ]);
    }
    format!("{t}\n")
}

/// `baton sessions ID`: one session and its executions.
pub fn session(a: &Analysis, ds: &Dataset, id: &str) -> Option<String> {
    let s = a.sessions.iter().find(|s| s.id == id)?;
    let mut out = String::new();
    let _ = writeln!(out, "Session: {}", clean(&s.id));
    let _ = writeln!(
        out,
        "Status: {}   Mode: {}   LLM: {}",
        clean(s.status.as_deref().unwrap_or("-")),
        clean(s.mode.as_deref().unwrap_or("-")),
        clean(s.llm.as_deref().unwrap_or("-"))
    );
    let _ = writeln!(
        out,
        "Start: {}   End: {}   Duration: {}",
        s.start.as_deref().unwrap_or("-"),
        s.end.as_deref().unwrap_or("-"),
        opt(s.duration, fmt_secs)
    );
    if let Some(d) = &s.description {
        let _ = writeln!(out, "Description: {}", clean(d));
    }
    if let Some(p) = &s.current_phase {
        let _ = writeln!(
            out,
            "Current phase: {} ({})   Active agents: {}",
            clean(p),
            opt(s.progress, fmt_pct),
            s.active_agents
                .iter()
                .map(|x| clean(x))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    stats_lines(&mut out, &s.stats);
    let sym = ds.names.get(id);
    let mut ops: Vec<_> = ds
        .operations
        .iter()
        .filter(|o| sym.is_some() && o.session == sym)
        .collect();
    ops.sort_by_key(|o| (o.start, o.id));
    let mut t = table(&[
        "Execution",
        "Kind",
        "Agent",
        "Start",
        "Duration",
        "Outcome",
        "Retries",
        "Error",
    ]);
    for o in &ops {
        t.add_row(vec![
            clean(ds.name(o.id)),
            clean(ds.name(o.kind)),
            clean(ds.name(o.agent)),
            o.start
                .map(|t| t.to_rfc3339())
                .unwrap_or_else(|| "-".into()),
            opt(o.duration, fmt_secs),
            match o.outcome {
                Outcome::Success => "success",
                Outcome::Failure => "failure",
                Outcome::Running => "running",
            }
            .to_string(),
            o.retries.to_string(),
            clean(o.error_type.map(|e| ds.name(e)).unwrap_or("-")),
        ]);
    }
    let _ = writeln!(out, "Executions ({}):\n{t}", ops.len());
    Some(out)
}

/// `baton check`: the alerts and the verdict.
pub fn check(a: &Analysis, level: Severity) -> String {
    let mut out = String::new();
    let failing = a.alerts.iter().filter(|x| x.severity >= level).count();
    for al in &a.alerts {
        let subject = al
            .subject
            .as_deref()
            .map(|s| format!(" [{}]", clean(s)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<8} {}{}: {} (value {}, threshold {})",
            severity_word(al.severity),
            clean(&al.kind),
            subject,
            clean(&al.message),
            al.value,
            al.threshold
        );
    }
    let _ = writeln!(
        out,
        "{} alerts, {} at or above {}: {}",
        a.alerts.len(),
        failing,
        severity_word(level),
        if failing > 0 { "FAIL" } else { "PASS" }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::sample::{sample_dataset, SAMPLE_NOW};

    #[test]
    fn restrict_keeps_recent_and_running_records_and_reindexes() {
        let mut ds = sample_dataset(30);
        let before = ds.operations.len();
        let cutoff = SAMPLE_NOW.0 - 6 * 3_600_000;
        restrict(&mut ds, cutoff);
        assert!(!ds.operations.is_empty() && ds.operations.len() < before);
        for o in &ds.operations {
            let t = o.end.or(o.start).map(|t| t.0);
            assert!(o.outcome == Outcome::Running || t >= Some(cutoff));
        }
        // Both live sessions are running and kept.
        let running = ds
            .sessions
            .iter()
            .filter(|s| s.outcome == Some(Outcome::Running))
            .count();
        assert_eq!(running, 2);
        for (i, o) in ds.operations.iter().enumerate() {
            assert_eq!(ds.operation_index.get(&o.id), Some(&i));
        }
        assert_eq!(ds.operation_index.len(), ds.operations.len());
        assert_eq!(ds.session_index.len(), ds.sessions.len());
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean("a\u{1b}[2Jb\nc"), "a [2Jb c");
    }
}
