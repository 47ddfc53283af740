//! Integration success rate, operating mode, duration histogram, window
//! ratings, per-agent trends and quality trends, on hand-built datasets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod analysis_support;

use analysis_support::*;
use baton_core::analysis::{Direction, Rating, HISTOGRAM_EDGES};
use baton_core::model::{AgentProfile, IntegrationResult, Session, SourceId, Timestamp};

fn session(ds: &mut baton_core::model::Dataset, id: &str, start: i64, mode: Option<&str>) {
    let sid = ds.intern(id);
    ds.insert_session(Session {
        id: sid,
        source: SourceId(0),
        start: Some(Timestamp(start)),
        end: None,
        duration: None,
        outcome: None,
        status: None,
        mode: mode.map(Into::into),
        llm: None,
        description: None,
        project: None,
        tasks_total: None,
        tasks_completed: None,
        tasks_failed: None,
        commit: None,
        current_phase: None,
        progress: None,
    });
}

#[test]
fn integration_from_recorded_results() {
    let mut ds = dataset();
    op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0)).conflicts = Some(5);
    for (conflicts, gates) in [
        (0, Some(true)),
        (2, Some(true)),
        (0, Some(false)),
        (0, None),
    ] {
        ds.integrations.push(IntegrationResult {
            conflicts,
            quality_gates_passed: gates,
            time: Some(Timestamp(T0)),
            ..IntegrationResult::default()
        });
    }
    let a = run(&ds);
    let i = a.integration.expect("integration");
    // Recorded results win over operations' conflicts: 4 integrations, the
    // 1st (clean, gates passed) and 4th (clean, gates not recorded) succeed.
    assert_eq!(i.from, "integrations");
    assert_eq!((i.total, i.succeeded, i.conflicts), (4, 2, 2));
    assert_close(i.success_rate, 0.5);
}

#[test]
fn integration_from_operation_conflicts_and_absent() {
    let mut ds = dataset();
    op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0)).conflicts = Some(0);
    op(&mut ds, "o2", "k", "a", OK, T0, Some(1.0)).conflicts = Some(3);
    op(&mut ds, "o3", "k", "a", KO, T0, Some(1.0)).conflicts = Some(0);
    op(&mut ds, "o4", "k", "a", OK, T0, Some(1.0)); // kind k, no count: no conflict
    op(&mut ds, "o5", "k", "a", RUN, T0, None).conflicts = Some(0); // running: not counted
    op(&mut ds, "o6", "other", "a", OK, T0, Some(1.0)); // kind without counts: not counted
    let i = run(&ds).integration.expect("integration");
    // Kind k reports conflicts: o1..o4 counted; o1, o3, o4 clean: 3 / 4.
    assert_eq!(i.from, "operations");
    assert_eq!((i.total, i.succeeded, i.conflicts), (4, 3, 3));
    assert_close(i.success_rate, 0.75);

    let mut ds = dataset();
    op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0));
    assert_eq!(run(&ds).integration, None, "no data: None, not 0");
}

#[test]
fn operating_mode_is_the_latest_sessions() {
    let mut ds = dataset();
    session(&mut ds, "s1", T0, Some("autonomous"));
    session(&mut ds, "s2", T0 + 2 * HOUR, Some("supervised"));
    session(&mut ds, "s3", T0 + 3 * HOUR, None); // latest, but records no mode
    op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0));
    assert_eq!(run(&ds).operating_mode.as_deref(), Some("supervised"));
    let mut ds = dataset();
    op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0));
    assert_eq!(run(&ds).operating_mode, None);
}

#[test]
fn duration_histogram_bins() {
    let mut ds = dataset();
    // 5 s -> [0,10); 10 s -> [10,30) (lower edge inclusive); 45 s -> [30,60);
    // 45 s again; 8000 s -> [7200, open); running and no-duration: not counted.
    for (i, d) in [5.0, 10.0, 45.0, 45.0, 8000.0].iter().enumerate() {
        op(&mut ds, &format!("o{i}"), "k", "a", OK, T0, Some(*d));
    }
    op(&mut ds, "r", "k", "a", RUN, T0, Some(3.0));
    op(&mut ds, "n", "k", "a", KO, T0, None);
    let h = run(&ds).duration_histogram;
    assert_eq!(h.len(), HISTOGRAM_EDGES.len() + 1);
    let counts: Vec<u64> = h.iter().map(|b| b.count).collect();
    assert_eq!(counts, vec![1, 1, 2, 0, 0, 0, 0, 0, 1]);
    assert_eq!((h[0].lower, h[0].upper), (0.0, Some(10.0)));
    assert_eq!((h[8].lower, h[8].upper), (7200.0, None));
    let mut ds = dataset();
    op(&mut ds, "n", "k", "a", OK, T0, None);
    assert!(run(&ds).duration_histogram.is_empty());
}

#[test]
fn window_ratings() {
    let mut ds = dataset();
    // Last 7 days: 3 of 4 succeed = 75 % -> acceptable; errors 25 % -> concerning.
    for (i, o) in [OK, OK, OK, KO].iter().enumerate() {
        op(
            &mut ds,
            &format!("o{i}"),
            "k",
            "a",
            *o,
            T0 + i as i64 * HOUR,
            Some(1.0),
        );
    }
    let a = run(&ds);
    assert_eq!(a.last_7_days.ratings.success_rate, Some(Rating::Acceptable));
    assert_eq!(a.last_7_days.ratings.error_rate, Some(Rating::Concerning));
    assert_eq!(a.last_7_days.ratings.cache_hit_rate, None);
}

#[test]
fn agent_trends_by_day_and_week() {
    let mut ds = dataset();
    // Agent a: day 0 1/2 succeed (50 %), durations 10, 30 (mean 20);
    //          day 1 2/2 (100 %), durations 10, 10 (mean 10);
    //          day 2 2/2 (100 %), durations 4, 6 (mean 5).
    let plan = [
        (0, OK, 10.0),
        (0, KO, 30.0),
        (1, OK, 10.0),
        (1, OK, 10.0),
        (2, OK, 4.0),
        (2, OK, 6.0),
    ];
    for (i, (day, o, d)) in plan.iter().enumerate() {
        op(
            &mut ds,
            &format!("o{i}"),
            "k",
            "a",
            *o,
            T0 + day * DAY + HOUR,
            Some(*d),
        );
    }
    // Agent b has one day only: no trend.
    op(&mut ds, "b1", "k", "b", OK, T0, Some(1.0));
    let a = run(&ds);
    assert!(!a.agent_trends.contains_key("b"));
    let t = &a.agent_trends["a"];
    let sr = t
        .iter()
        .find(|t| t.series == "success_rate" && t.granularity == "day")
        .unwrap();
    // Points (0, .5), (1, 1), (2, 1): slope = Σ(x-1)(y-5/6) / Σ(x-1)²
    // = ((-1)(-1/3) + 0 + (1)(1/6)) / 2 = (1/3 + 1/6) / 2 = 0.25 per day.
    assert!((sr.slope - 0.25).abs() < 1e-9, "{}", sr.slope);
    assert_eq!(sr.direction, Direction::Improving);
    assert_close(sr.current, 1.0);
    let du = t
        .iter()
        .find(|t| t.series == "avg_duration" && t.granularity == "day")
        .unwrap();
    // Means 20, 10, 5: slope = ((-1)(20-35/3) + (1)(5-35/3)) / 2 = (-25/3 - 20/3)/2 = -7.5.
    assert!((du.slope + 7.5).abs() < 1e-9, "{}", du.slope);
    assert_eq!(du.direction, Direction::Improving);
    // Change of the last point on the one before: (5 - 10) / 10 = -0.5.
    assert_close(du.change, -0.5);
    // All three days are in one week (T0 is a Monday): no weekly trend.
    assert!(!t.iter().any(|t| t.granularity == "week"));
}

#[test]
fn quality_trends_from_profiles_and_operations() {
    let mut ds = dataset();
    let a_sym = ds.intern("a");
    // Code quality by day: 70, (80+90)/2 = 85 -> slope 15 per day, volatility 7.5.
    for (day, q, cov) in [(0, 70.0, 0.5), (1, 80.0, 0.6), (1, 90.0, 0.8)] {
        ds.agent_profiles.push(AgentProfile {
            agent: Some(a_sym),
            code_quality_score: Some(q),
            test_coverage: Some(cov),
            time: Some(Timestamp(T0 + day * DAY)),
            ..AgentProfile::default()
        });
    }
    // Operations' quality score by day: 60, 50 -> declining, slope -10.
    op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0)).quality_score = Some(60.0);
    op(&mut ds, "o2", "k", "a", OK, T0 + DAY, Some(1.0)).quality_score = Some(50.0);
    let a = run(&ds);
    let get = |s: &str| a.quality_trends.iter().find(|t| t.series == s);
    let code = get("code_quality").unwrap();
    assert!((code.slope - 15.0).abs() < 1e-9);
    assert_close(code.volatility, 7.5);
    assert_eq!(code.direction, Direction::Improving);
    // Coverage 0.5 then (0.6+0.8)/2 = 0.7: slope 0.2 per day.
    assert!((get("test_coverage").unwrap().slope - 0.2).abs() < 1e-9);
    assert!(get("security_score").is_none(), "not recorded: no trend");
    let q = get("quality_score").unwrap();
    assert!((q.slope + 10.0).abs() < 1e-9);
    assert_eq!(q.direction, Direction::Declining);
}

#[test]
fn best_model_question_with_one_model_says_so() {
    let mut ds = dataset();
    let m = ds.intern("gpt-4o");
    // 3 of 4 operations of the one model succeed: 75.0 %.
    for (i, o) in [OK, OK, KO, OK].iter().enumerate() {
        op(&mut ds, &format!("o{i}"), "k", "a", *o, T0, Some(1.0)).model = Some(m);
    }
    let a = run(&ds);
    assert_eq!(
        a.insights[0],
        "Only one model in the data: gpt-4o succeeds in 75.0 % of 4 operations; load runs of other models to compare them."
    );
}

#[test]
fn best_model_question_with_one_configuration_and_no_operations() {
    use baton_core::model::{LlmConfig, Outcome as O, WorkItem};
    let mut ds = dataset();
    session(&mut ds, "run-1", T0, None);
    ds.sessions[0].llm = Some(LlmConfig {
        provider: Some("deepseek".into()),
        model: Some("deepseek-chat".into()),
        temperature: Some(0.0),
    });
    let sid = ds.sessions[0].id;
    // Two work items of the run, one succeeded: "1 of 2".
    for (i, o) in [O::Success, O::Failure].iter().enumerate() {
        let id = ds.intern(&format!("issue-{i}"));
        ds.insert_work_item(WorkItem {
            id,
            source: SourceId(0),
            session: Some(sid),
            outcome: Some(*o),
            status: None,
            start: Some(Timestamp(T0)),
            duration: None,
            prs_merged: None,
            errors: None,
        });
    }
    let a = run(&ds);
    assert_eq!(
        a.insights[0],
        "Only one LLM configuration in the data: deepseek / deepseek-chat / 0 (1 run(s), 1 of 2 work items succeeded); load runs of other configurations to compare them."
    );
}
