//! Overall KPIs, group figures, percentiles, buckets, windows and projection,
//! worked out by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod analysis_support;

use analysis_support::*;
use baton_core::analysis::{analyze, AnalysisOptions, FiguresFrom, Rating};
use baton_core::model::{Dataset, Tokens};

fn five_ops() -> Dataset {
    let mut ds = dataset();
    let e = ds.intern("timeout");
    let s = ds.intern("s1");
    let o = op(
        &mut ds,
        "o1",
        "process_issue",
        "coder",
        OK,
        T0 + HOUR,
        Some(10.0),
    );
    o.cache_hit = Some(true);
    o.cost = Some(0.5);
    o.session = Some(s);
    o.tokens = Some(Tokens {
        input: 1000,
        output: 500,
        cache_read: 0,
        cache_write: 0,
    });
    let o = op(
        &mut ds,
        "o2",
        "process_issue",
        "coder",
        KO,
        T0 + 2 * HOUR,
        Some(20.0),
    );
    o.retries = 2;
    o.error_type = Some(e);
    o.cache_hit = Some(false);
    o.cost = Some(0.25);
    o.session = Some(s);
    let o = op(
        &mut ds,
        "o3",
        "run_tests",
        "tester",
        OK,
        T0 + 2 * HOUR,
        Some(30.0),
    );
    o.cache_hit = Some(true);
    o.cost = Some(0.25);
    op(
        &mut ds,
        "o4",
        "run_tests",
        "tester",
        OK,
        T0 + DAY,
        Some(40.0),
    );
    op(
        &mut ds,
        "o5",
        "create_pr",
        "coder",
        RUN,
        T0 + DAY + HOUR,
        None,
    )
    .session = Some(s);
    ds
}

#[test]
fn overall_kpis() {
    let a = run(&five_ops());
    assert_clean_json(&a);
    let o = &a.overall;
    // 4 finished (3 ok, 1 failed), 1 running apart.
    assert_eq!(
        (o.total_operations, o.succeeded, o.failed, o.running),
        (4, 3, 1, 1)
    );
    assert_close(o.success_rate, 0.75); // 3 / 4
    assert_close(o.error_rate, 0.25); // 1 / 4
    assert_close(o.retry_rate, 0.25); // 1 op with retries / 4
    assert_close(o.avg_duration, 25.0); // (10 + 20 + 30 + 40) / 4
    assert_close(o.p50_duration, 20.0); // rank ⌈0.5 × 4⌉ = 2 → 20
    assert_close(o.p95_duration, 40.0); // rank ⌈3.8⌉ = 4 → 40
    assert_close(o.p99_duration, 40.0); // rank ⌈3.96⌉ = 4 → 40
    assert_close(o.max_duration, 40.0);
    assert_close(o.cache_hit_rate, 2.0 / 3.0); // 2 hits / 3 reporting
    assert_eq!(o.ratings.success_rate, Some(Rating::Acceptable)); // 60-80 %
    assert_eq!(o.ratings.cache_hit_rate, Some(Rating::Good)); // 50-70 %
    assert_eq!(o.ratings.error_rate, Some(Rating::Concerning)); // > 15 %
    assert_eq!(a.figures_from, FiguresFrom::Operations);
    // Costs: 0.5 + 0.25 + 0.25 = 1.0 recorded; per finished op with a cost: 1.0 / 3.
    assert_close(a.costs.total_cost, 1.0);
    assert_close(a.costs.recorded_cost, 1.0);
    assert_eq!(a.costs.computed_cost, None); // no model, no price
    assert_close(a.costs.avg_cost_per_operation, 1.0 / 3.0);
    assert_eq!(a.costs.total_tokens, Some(1500));
    assert_eq!((a.costs.tokens.input, a.costs.tokens.output), (1000, 500));
    assert_eq!(a.errors_by_type.get("timeout"), Some(&1));
    // Work lists.
    assert_eq!(a.current_work.len(), 1);
    assert_eq!(a.current_work[0].id, "o5");
    assert_eq!(a.recent_failures[0].id, "o2");
    // Completions newest first: o4 (day 1), o3 (02:00, index 2), o1 (01:00).
    let ids: Vec<&str> = a.recent_completions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["o4", "o3", "o1"]);
    let slow: Vec<&str> = a.slowest_operations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(slow, ["o4", "o3", "o2", "o1"]);
    assert_eq!(a.most_expensive_operations[0].id, "o1");
}

#[test]
fn group_figures() {
    let a = run(&five_ops());
    let g = &a.operations["process_issue"];
    // o1 ok 10 s, o2 failed 20 s with 2 retries.
    assert_eq!(
        (g.count, g.success_count, g.failure_count, g.running),
        (2, 1, 1, 0)
    );
    assert_close(g.success_rate, 0.5);
    assert_close(g.retry_rate, 0.5);
    assert_eq!(g.retries, 2);
    assert_close(g.avg_duration, 15.0);
    assert_close(g.min_duration, 10.0);
    assert_close(g.max_duration, 20.0);
    assert_close(g.p50_duration, 10.0); // rank 1 of 2
    assert_close(g.p95_duration, 20.0); // rank 2 of 2
    assert_close(g.total_cost, 0.75);
    assert_eq!(g.total_tokens, Some(1500));
    let t = &a.operations["run_tests"];
    assert_close(t.total_cost, 0.25); // o4 has no cost
    assert_eq!(t.total_tokens, None); // no record has tokens
    assert_eq!(t.cache_hit_rate, Some(1.0)); // 1 hit / 1 reporting
    let pr = &a.operations["create_pr"];
    assert_eq!((pr.count, pr.running), (0, 1));
    assert_eq!(pr.success_rate, None);
    let coder = &a.agents["coder"];
    assert_eq!((coder.count, coder.running), (2, 1));
    assert_eq!(a.kind_agent["run_tests"]["tester"].count, 2);
    assert!(!a.kind_agent["run_tests"].contains_key("coder"));
    // Session s1: o1, o2 finished, o5 running; its running agent is active.
    let s = a.sessions.iter().find(|s| s.id == "s1").unwrap();
    assert_eq!((s.stats.count, s.stats.running), (2, 1));
    assert_eq!(s.active_agents, ["coder"]);
    assert_eq!(a.active_sessions.len(), 1);
    assert_eq!(a.active_sessions[0].id, "s1");
}

#[test]
fn time_buckets() {
    let a = run(&five_ops());
    // Days: 2025-11-10 (o1, o2, o3), 2025-11-11 (o4; o5 running).
    assert_eq!(a.by_day.len(), 2);
    assert_eq!(a.by_day[0].start, "2025-11-10");
    assert_eq!((a.by_day[0].count, a.by_day[0].success_count), (3, 2));
    assert_close(a.by_day[0].avg_duration, 20.0); // (10 + 20 + 30) / 3
    assert_close(a.by_day[0].cost, 1.0);
    assert_eq!(a.by_day[1].count, 1);
    assert_eq!(a.by_day[1].cost, None);
    // One ISO week starting Monday 2025-11-10, one month 2025-11.
    assert_eq!(a.by_week.len(), 1);
    assert_eq!(a.by_week[0].start, "2025-11-10");
    assert_eq!(a.by_week[0].count, 4);
    assert_eq!(a.by_month.len(), 1);
    assert_eq!(a.by_month[0].start, "2025-11-01");
    // Hours: 01:00 (o1), 02:00 (o2, o3), day 1 00:00 (o4), 01:00 (o5).
    assert_eq!(a.by_hour.len(), 4);
    assert_eq!(a.by_hour[1].start, "2025-11-10T02:00:00Z");
    assert_eq!(a.by_hour[1].count, 2);
}

fn costs_over_time() -> Dataset {
    let mut ds = dataset();
    // now = T0 + 30 d + 12 h (the latest timestamp).
    let now = T0 + 30 * DAY + 12 * HOUR;
    let at = [
        (now, 1.0),             // today, last 7, last 30
        (now - 3 * DAY, 2.0),   // last 7, last 30
        (now - 7 * DAY, 32.0),  // exactly 7 days back: previous 7 (half-open), last 30
        (now - 10 * DAY, 4.0),  // previous 7, last 30
        (now - 20 * DAY, 8.0),  // last 30
        (now - 40 * DAY, 16.0), // none
    ];
    for (i, (t, c)) in at.iter().enumerate() {
        op(&mut ds, &format!("c{i}"), "k", "a", OK, *t, Some(1.0)).cost = Some(*c);
    }
    ds
}

#[test]
fn windows_and_projection() {
    let ds = costs_over_time();
    let a = run(&ds);
    assert_close(a.costs.today, 1.0);
    assert_close(a.costs.last_7_days, 3.0); // 1 + 2
    assert_close(a.previous_7_days.cost, 36.0); // 32 + 4
    assert_close(a.costs.last_30_days, 47.0); // 1 + 2 + 32 + 4 + 8
                                              // Mean daily cost over 30 days (days without data count as $0) × 30 = 47 / 30 × 30.
    assert_close(a.costs.monthly_projection, 47.0);
    assert_close(a.costs.total_cost, 63.0); // all data
    assert_eq!(a.today.total_operations, 1);
    assert_eq!(a.last_7_days.total_operations, 2);
    assert_eq!(a.previous_7_days.total_operations, 2);
    assert_eq!(a.now.as_deref(), Some("2025-12-10T12:00:00Z"));
    assert_eq!(a.today.start.as_deref(), Some("2025-12-10T00:00:00Z"));
    // Period of 7 days: only the two latest operations.
    let opts = AnalysisOptions {
        period_days: Some(7),
        ..AnalysisOptions::default()
    };
    let p = analyze(&ds, &opts);
    assert_eq!(p.overall.total_operations, 2);
    assert_close(p.costs.total_cost, 3.0);
    assert_close(p.costs.last_30_days, 47.0); // windows ignore the period
    assert_eq!(p.period.start.as_deref(), Some("2025-12-03T12:00:00Z"));
    // "now" set by the user: 2025-11-20T12:00 → last 7 days = (11-13 12:00, 11-20 12:00]:
    // now - 20 d = 11-20 12:00 (in, $8); now - 40 d out; → $8.
    let opts = AnalysisOptions {
        now: Some(T0 + 10 * DAY + 12 * HOUR),
        ..AnalysisOptions::default()
    };
    let n = analyze(&ds, &opts);
    assert_close(n.costs.last_7_days, 8.0);
}

#[test]
fn filters_select_records() {
    let ds = five_ops();
    let mut opts = AnalysisOptions::default();
    opts.filter.agents = vec!["tester".into()];
    let a = analyze(&ds, &opts);
    assert_eq!(a.overall.total_operations, 2);
    assert!(a.agents.keys().all(|k| k == "tester"));
    let mut opts = AnalysisOptions::default();
    opts.filter.kinds = vec!["process_issue".into(), "nope".into()];
    assert_eq!(analyze(&ds, &opts).overall.total_operations, 2);
    let mut opts = AnalysisOptions::default();
    opts.filter.sessions = vec!["s1".into()];
    let a = analyze(&ds, &opts);
    assert_eq!((a.overall.total_operations, a.overall.running), (2, 1));
    let mut opts = AnalysisOptions::default();
    opts.filter.models = vec!["unknown-model".into()];
    let a = analyze(&ds, &opts);
    assert_eq!(a.overall.total_operations, 0);
    assert_clean_json(&a);
}

#[test]
fn empty_and_single_record() {
    let a = run(&Dataset::new());
    let json = assert_clean_json(&a);
    assert!(json.contains("\"success_rate\":null"));
    assert_eq!(a.overall.total_operations, 0);
    assert_eq!(a.overall.success_rate, None);
    assert_eq!(a.overall.avg_duration, None);
    assert_eq!(a.costs.total_cost, None);
    assert_eq!(a.costs.monthly_projection, None);
    assert_eq!(a.figures_from, FiguresFrom::None);
    assert!(a.alerts.is_empty() && a.bottlenecks.is_empty() && a.trends.is_empty());
    assert_eq!(a.health.reasons, ["All systems operational"]);

    let mut ds = dataset();
    op(&mut ds, "only", "k", "a", OK, T0, Some(12.5));
    let a = run(&ds);
    assert_clean_json(&a);
    assert_close(a.overall.p50_duration, 12.5);
    assert_close(a.overall.p99_duration, 12.5);
    assert_close(a.overall.success_rate, 1.0);
    assert_eq!(a.overall.cache_hit_rate, None);
    assert!(a.trends.is_empty()); // one bucket: no slope

    // A running-only dataset: no finished operations, rates null.
    let mut ds = dataset();
    op(&mut ds, "r", "k", "a", RUN, T0, None);
    let a = run(&ds);
    assert_clean_json(&a);
    assert_eq!(a.overall.running, 1);
    assert_eq!(a.overall.success_rate, None);
}

#[test]
fn sessions_and_llm_comparison() {
    use baton_core::model::{LlmConfig, Outcome, Session, SourceId, Timestamp};
    let mut ds = dataset();
    let cfgs = [
        ("r1", "deepseek", "deepseek-chat"),
        ("r2", "deepseek", "deepseek-chat"),
        ("r3", "openai", "gpt-4o"),
    ];
    for (i, (id, provider, model)) in cfgs.iter().enumerate() {
        let sid = ds.intern(id);
        ds.insert_session(Session {
            id: sid,
            source: SourceId(0),
            start: Some(Timestamp(T0 + i as i64 * HOUR)),
            end: Some(Timestamp(T0 + i as i64 * HOUR + 600_000)),
            duration: None,
            outcome: Some(Outcome::Success),
            status: Some("completed".into()),
            mode: Some("autonomous".into()),
            llm: Some(LlmConfig {
                provider: Some((*provider).into()),
                model: Some((*model).into()),
                temperature: Some(0.2),
            }),
            description: None,
            project: None,
            tasks_total: None,
            tasks_completed: None,
            tasks_failed: None,
            commit: None,
            current_phase: None,
            progress: None,
        });
        // r1: ok, r2: failed, r3: ok — one operation each.
        let outcome = if i == 1 { KO } else { OK };
        op(
            &mut ds,
            &format!("o{i}"),
            "k",
            "a",
            outcome,
            T0 + i as i64 * HOUR,
            Some(10.0),
        )
        .session = Some(sid);
    }
    let a = run(&ds);
    // Newest first; the duration comes from start and end: 600 s.
    let ids: Vec<&str> = a.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["r3", "r2", "r1"]);
    assert_eq!(a.sessions[0].duration, Some(600.0));
    assert_eq!(a.sessions[0].llm.as_deref(), Some("openai / gpt-4o / 0.2"));
    assert_eq!(a.llm_comparison.len(), 2);
    let ds_cfg = &a.llm_comparison[0];
    assert_eq!(ds_cfg.configuration, "deepseek / deepseek-chat / 0.2");
    assert_eq!(ds_cfg.runs, 2);
    assert_eq!((ds_cfg.stats.count, ds_cfg.stats.success_count), (2, 1));
    assert_close(ds_cfg.stats.success_rate, 0.5);
    assert!(a.active_sessions.is_empty());
}
