//! Bottlenecks, trends, efficiency, recommendations, insights.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod analysis_support;

use analysis_support::*;
use baton_core::analysis::Direction;
use baton_core::model::{
    AgentProfile, Communication, DebuggingCycle, Format, Outcome, PatternProfile, PipelineAttempt,
    SourceId, Timestamp, WorkItem,
};

#[test]
fn phase_bottleneck_seed_001() {
    let mut ds = dataset();
    let src = source(&mut ds, Format::DroidMetrics);
    let s = ds.intern("session-1");
    // Phases of 10, 12, 11 and 40 minutes: mean 18.25, 1.5 × mean = 27.375;
    // only 40 exceeds it: impact (40 / 18.25 − 1) × 100 = 119.178...
    for (i, (m, agent)) in [
        (10.0, "architect"),
        (12.0, "coder"),
        (11.0, "tester"),
        (40.0, "coder"),
    ]
    .iter()
    .enumerate()
    {
        let o = op(
            &mut ds,
            &format!("phase-{i}"),
            "phase",
            agent,
            OK,
            T0 + i as i64 * HOUR,
            Some(m * 60.0),
        );
        o.source = src;
        o.session = Some(s);
    }
    let a = run(&ds);
    let phases: Vec<_> = a
        .bottlenecks
        .iter()
        .filter(|b| b.kind == "phase_duration")
        .collect();
    assert_eq!(phases.len(), 1);
    let b = phases[0];
    assert_eq!(b.subject, "phase-3");
    assert_eq!(b.unit, "min");
    assert_close(Some(b.value), 40.0);
    assert_close(Some(b.baseline), 18.25);
    assert_close(Some(b.impact_score), (40.0 / 18.25 - 1.0) * 100.0);
    assert!((b.impact_score - 119.178).abs() < 0.001);
    assert!(b.description.contains("phase-3") && b.description.contains("40.0 min"));
    assert!(b.recommendations[0].contains("Split phase phase-3"));
    // No kind-based operation bottleneck duplicates it.
    assert!(a.bottlenecks.iter().all(|b| b.kind != "operation_duration"));
}

#[test]
fn operation_agent_and_kind_bottlenecks() {
    let mut ds = dataset();
    // run_tests by tester: 10, 10, 10, 50 s → mean 20, 50 > 30 → impact (50/20 − 1) × 100 = 150.
    for (i, d) in [10.0, 10.0, 10.0, 50.0].iter().enumerate() {
        op(
            &mut ds,
            &format!("t{i}"),
            "run_tests",
            "tester",
            OK,
            T0 + i as i64,
            Some(*d),
        );
    }
    // deploy by deployer: 3 ops, 1 failed → success 66.67 % < 85 % →
    // impact (100 − 66.667) × 2 = 66.667. Durations 5 s.
    for i in 0..3 {
        op(
            &mut ds,
            &format!("d{i}"),
            "deploy",
            "deployer",
            if i == 0 { KO } else { OK },
            T0 + 100 + i,
            Some(5.0),
        );
    }
    let a = run(&ds);
    let b = a
        .bottlenecks
        .iter()
        .find(|b| b.kind == "operation_duration")
        .unwrap();
    assert_eq!(b.subject, "t3");
    assert_close(Some(b.baseline), 20.0);
    assert_close(Some(b.impact_score), 150.0);
    assert_eq!(b.recommendations[0], "Increase parallelism of run_tests");
    let k = a
        .bottlenecks
        .iter()
        .find(|b| b.kind == "low_success_kind")
        .unwrap();
    assert_eq!(k.subject, "deploy");
    assert_close(Some(k.impact_score), (100.0 - 200.0 / 3.0) * 2.0);
    // Agents: tester avg 20 s, deployer avg 5 s. tester: baseline 5, 20 > 7.5 →
    // slow_agent with impact (20/5 − 1) × 100 = 300.
    let s = a
        .bottlenecks
        .iter()
        .find(|b| b.kind == "slow_agent")
        .unwrap();
    assert_eq!(s.subject, "tester");
    assert_close(Some(s.impact_score), 300.0);
    // deployer fails 33.3 % against 0 % for tester: > 0 + 10 points and > 1.5 × 0 →
    // failing_agent with impact 33.33 points.
    let f = a
        .bottlenecks
        .iter()
        .find(|b| b.kind == "failing_agent")
        .unwrap();
    assert_eq!(f.subject, "deployer");
    assert_close(Some(f.impact_score), 100.0 / 3.0);
    // Ranked by impact: 300 (slow agent), 150 (t3), 66.7 (deploy), 33.3 (deployer).
    let order: Vec<&str> = a.bottlenecks.iter().map(|b| b.kind.as_str()).collect();
    assert_eq!(
        order,
        [
            "slow_agent",
            "operation_duration",
            "low_success_kind",
            "failing_agent"
        ]
    );
    // The slow test kind also yields a recommendation: run_tests 20 s against
    // deploy 5 s → (20/5 − 1) × 50 = 150.
    let r = a
        .recommendations
        .iter()
        .find(|r| r.kind == "slow_tests")
        .unwrap();
    assert_close(Some(r.impact_score), 150.0);
    assert!(r.message.starts_with("Increase parallelism of run_tests"));
}

#[test]
fn pattern_communication_and_conflict_bottlenecks() {
    let mut ds = dataset();
    let s = ds.intern("s1");
    for i in 0..4 {
        let o = op(&mut ds, &format!("o{i}"), "k", "a", OK, T0 + i, Some(1.0));
        o.session = Some(s);
        o.conflicts = Some(if i == 0 { 2 } else { 0 });
    }
    ds.patterns.push(PatternProfile {
        name: "feature_build".into(),
        success_rate: Some(0.70),
        total_executions: Some(20),
        common_failure_points: vec!["integration".into()],
        ..PatternProfile::default()
    });
    ds.communication.push(Communication {
        source: SourceId(0),
        session: Some(s),
        total_messages: 5,
        messages_by_type: Vec::new(),
        messages_by_agent: Vec::new(),
        edges: Vec::new(),
        average_response_time: Some(450.0),
        efficiency: None,
        time: None,
    });
    let a = run(&ds);
    // Pattern 70 % → impact (100 − 70) × 2 = 60, seed 001's recommendations.
    let p = a
        .bottlenecks
        .iter()
        .find(|b| b.subject == "feature_build")
        .unwrap();
    assert_close(Some(p.impact_score), 60.0);
    assert_eq!(p.recommendations[0], "Review failure points: integration");
    // Response 450 s against 300 s → (450/300 − 1) × 100 = 50.
    let c = a
        .bottlenecks
        .iter()
        .find(|b| b.kind == "communication_delay")
        .unwrap();
    assert_close(Some(c.impact_score), 50.0);
    // 2 conflicts over 4 operations reporting conflicts → 50 per 100 operations.
    let i = a
        .bottlenecks
        .iter()
        .find(|b| b.kind == "integration_conflicts")
        .unwrap();
    assert_eq!(i.subject, "s1");
    assert_close(Some(i.impact_score), 50.0);
    let r = a
        .recommendations
        .iter()
        .find(|r| r.kind == "low_pattern_success")
        .unwrap();
    assert_eq!(r.expected_impact, "+15-25% success rate");
    assert_close(Some(r.impact_score), 60.0);
}

/// Per day `d`, `ok` successes of `n` operations lasting `dur` s.
fn series(days: &[(usize, usize, f64)]) -> baton_core::model::Dataset {
    let mut ds = dataset();
    for (d, (ok, n, dur)) in days.iter().enumerate() {
        for i in 0..*n {
            let o = op(
                &mut ds,
                &format!("d{d}-{i}"),
                "k",
                "a",
                if i < *ok { OK } else { KO },
                T0 + d as i64 * DAY + i as i64,
                Some(*dur),
            );
            o.cost = Some(*dur / 10.0);
        }
    }
    ds
}

#[test]
fn trend_directions() {
    // Rising success 0.5, 0.75, 1.0: slope 0.25 per day; 0.25 × 3 = 0.75 ≥ 2 % of
    // the mean 0.75 → improving; change (1.0 − 0.75) / 0.75 = 1/3;
    // volatility = sqrt((0.0625 + 0 + 0.0625) / 3) = 0.2041.
    // Durations 10, 20, 30 → rising duration and cost → declining.
    let a = run(&series(&[(2, 4, 10.0), (3, 4, 20.0), (4, 4, 30.0)]));
    let t = |s: &str, g: &str| {
        a.trends
            .iter()
            .find(|t| t.series == s && t.granularity == g)
            .unwrap()
    };
    let sr = t("success_rate", "day");
    assert_eq!(sr.direction, Direction::Improving);
    assert_close(Some(sr.slope), 0.25);
    assert_close(sr.change, 1.0 / 3.0);
    assert_close(sr.volatility, (0.125f64 / 3.0).sqrt());
    assert_close(sr.current, 1.0);
    assert_eq!(t("error_rate", "day").direction, Direction::Improving);
    assert_eq!(t("avg_duration", "day").direction, Direction::Declining);
    assert_eq!(t("cost", "day").direction, Direction::Declining);
    // One week only: no weekly trend.
    assert!(a.trends.iter().all(|t| t.granularity == "day"));

    // Flat: stable everywhere.
    let a = run(&series(&[(3, 4, 10.0), (3, 4, 10.0), (3, 4, 10.0)]));
    assert!(
        a.trends.iter().all(|t| t.direction == Direction::Stable),
        "{:?}",
        a.trends
    );
    assert_close(a.trends[0].change, 0.0);

    // Falling success, falling duration.
    let a = run(&series(&[(4, 4, 30.0), (3, 4, 20.0), (2, 4, 10.0)]));
    let sr = a
        .trends
        .iter()
        .find(|t| t.series == "success_rate")
        .unwrap();
    assert_eq!(sr.direction, Direction::Declining);
    let du = a
        .trends
        .iter()
        .find(|t| t.series == "avg_duration")
        .unwrap();
    assert_eq!(du.direction, Direction::Improving);

    // Inside the dead band: 0.80, 0.80, 0.81 … slope 0.005 × 3 = 0.015 < 2 % of 0.803 = 0.016.
    let a = run(&series(&[
        (80, 100, 10.0),
        (80, 100, 10.0),
        (81, 100, 10.0),
    ]));
    let sr = a
        .trends
        .iter()
        .find(|t| t.series == "success_rate")
        .unwrap();
    assert_eq!(sr.direction, Direction::Stable);
}

#[test]
fn efficiency_scores() {
    let mut ds = dataset();
    let p = ds.intern("planner");
    // planner: profile only. Inputs 0.9, 80/100, 0.7, 1 − 0.1, min(1, 1/2):
    // (0.3 × 0.9 + 0.25 × 0.8 + 0.2 × 0.7 + 0.15 × 0.9 + 0.1 × 0.5) × 100
    // = (0.27 + 0.2 + 0.14 + 0.135 + 0.05) × 100 = 79.5
    ds.agent_profiles.push(AgentProfile {
        agent: Some(p),
        completion_rate: Some(0.9),
        code_quality_score: Some(80.0),
        collaboration_score: Some(0.7),
        error_rate: Some(0.1),
        response_time: Some(2.0),
        ..AgentProfile::default()
    });
    // worker: operations only, 3 of 4 succeed: completion 0.75, 1 − error 0.75;
    // (0.3 × 0.75 + 0.15 × 0.75) / 0.45 × 100 = 75.
    for i in 0..4 {
        op(
            &mut ds,
            &format!("w{i}"),
            "k",
            "worker",
            if i == 0 { KO } else { OK },
            T0 + i,
            Some(1.0),
        );
    }
    // Messages: planner sent 5 in the one communication record, mean response 150 s:
    // balance min(5/10, 1) = 0.5, response 1 − 150/300 = 0.5, success 0.9:
    // (0.5 × 0.4 + 0.5 × 0.3 + 0.9 × 0.3) × 100 = 62.
    ds.communication.push(Communication {
        source: SourceId(0),
        session: None,
        total_messages: 5,
        messages_by_type: Vec::new(),
        messages_by_agent: vec![(p, 5)],
        edges: Vec::new(),
        average_response_time: Some(150.0),
        efficiency: None,
        time: None,
    });
    let a = run(&ds);
    let pl = &a.efficiency["planner"];
    assert_close(pl.score, 79.5);
    assert!(pl.missing.is_empty());
    assert_close(pl.collaboration_effectiveness, 62.0);
    // The profile is listed as recorded.
    let prof = &a.agent_profiles["planner"];
    assert_eq!(prof.profiles, 1);
    assert_eq!(prof.code_quality_score, Some(80.0));
    assert_eq!(prof.security_issues, None);
    assert!(!a.agent_profiles.contains_key("worker"));
    assert_eq!(
        a.communication.as_ref().unwrap().messages_by_agent["planner"],
        5
    );
    let w = &a.efficiency["worker"];
    assert_close(w.score, 75.0);
    assert_eq!(
        w.missing,
        [
            "quality_score",
            "collaboration_score",
            "response_time_inverse"
        ]
    );
    assert_eq!(w.collaboration_effectiveness, None);
}

#[test]
fn recommendations_from_rules() {
    let mut ds = dataset();
    let timeout = ds.intern("timeout");
    let m = ds.intern("claude-opus-4-1");
    // 10 operations by "fixer" on claude-opus-4-1 ($75 / M output), short (5 s),
    // 100 output tokens each; 4 fail with timeout after 1 retry each;
    // cache: 4 hits of 10 → 40 % (poor).
    for i in 0..10 {
        let o = op(
            &mut ds,
            &format!("o{i}"),
            "fix",
            "fixer",
            if i < 4 { KO } else { OK },
            T0 + i,
            Some(5.0),
        );
        o.model = Some(m);
        o.tokens = Some(baton_core::model::Tokens {
            input: 1000,
            output: 100,
            cache_read: 0,
            cache_write: 0,
        });
        o.cache_hit = Some(i >= 6);
        if i < 4 {
            o.error_type = Some(timeout);
            o.retries = 1;
        }
    }
    let a = run(&ds);
    let find = |k: &str| a.recommendations.iter().find(|r| r.kind == k).unwrap();
    // Cache 0.4 < 0.5 → low_cache_hit_rate, impact (0.7 − 0.4) × 100 = 30.
    assert_close(Some(find("low_cache_hit_rate").impact_score), 30.0);
    // timeout 4 times of 10 → recurring, impact 40 % × 2 = 80.
    let r = find("recurring_error");
    assert_eq!(r.subject.as_deref(), Some("timeout"));
    assert_close(Some(r.impact_score), 80.0);
    // Kind fix: 60 % success → (100 − 60) × 2 = 80.
    assert_close(Some(find("low_pattern_success").impact_score), 80.0);
    // fixer error rate 40 % > 15 % → failing_agent, impact 40 × 2 = 80.
    assert_close(Some(find("failing_agent").impact_score), 80.0);
    // All 4 retries follow timeout → share 100 %.
    assert_close(Some(find("retry_concentration").impact_score), 100.0);
    // Short tasks on an expensive model → cheaper model, all of the cost: 100.
    let c = find("cheaper_model");
    assert_eq!(c.subject.as_deref(), Some("fixer"));
    assert!(c.message.contains("claude-haiku-4-5"));
    assert_close(Some(c.impact_score), 100.0);
    // Ranked by impact, highest first.
    assert!(a
        .recommendations
        .windows(2)
        .all(|w| w[0].impact_score >= w[1].impact_score));
    assert!(a.recommendations.iter().all(|r| !r.evidence.is_empty()));
}

#[test]
fn seed_002_questions_answered() {
    let mut ds = dataset();
    let m1 = ds.intern("deepseek-chat");
    let m2 = ds.intern("gpt-4o");
    let w1 = ds.intern("issue-1");
    let w2 = ds.intern("issue-2");
    // deepseek-chat 2/2, gpt-4o 1/2; retries: coding 3, testing 1.
    for (i, (model, ok, agent, retries)) in [
        (m1, OK, "coding", 2),
        (m1, OK, "coding", 1),
        (m2, OK, "testing", 1),
        (m2, KO, "review", 0),
    ]
    .iter()
    .enumerate()
    {
        let o = op(
            &mut ds,
            &format!("o{i}"),
            "attempt",
            agent,
            *ok,
            T0 + i as i64,
            Some(1.0),
        );
        o.model = Some(*model);
        o.retries = *retries;
    }
    for (w, ok) in [(w1, Outcome::Success), (w2, Outcome::Failure)] {
        ds.insert_work_item(WorkItem {
            id: w,
            source: SourceId(0),
            session: None,
            outcome: Some(ok),
            status: None,
            start: Some(Timestamp(T0)),
            duration: Some(60.0),
            prs_merged: Some(1),
            errors: None,
        });
    }
    // issue-1 passes first time; issue-2 fails first, passes second → first pass 1/2.
    for (i, (w, seq, ok)) in [(w1, 0, OK), (w2, 0, KO), (w2, 1, OK)].iter().enumerate() {
        let id = ds.intern(&format!("p{i}"));
        ds.pipelines.push(PipelineAttempt {
            id,
            source: SourceId(0),
            work_item: Some(*w),
            sequence: *seq,
            outcome: *ok,
            commit: None,
            time: Some(Timestamp(T0)),
        });
    }
    // 3 debugging cycles over 2 work items → 1.5 per item; 2 resolved; attempts 1, 2, 3 → mean 2.
    let coder = ds.intern("coding");
    for (i, w) in [w1, w2, w2].iter().enumerate() {
        ds.debugging.push(DebuggingCycle {
            work_item: Some(*w),
            source: SourceId(0),
            agent: coder,
            error_type: None,
            error_message: None,
            attempts: i as u32 + 1,
            resolved: i < 2,
            duration: None,
            time: Some(Timestamp(T0)),
        });
    }
    let a = run(&ds);
    assert_clean_json(&a);
    assert_eq!(
        (
            a.work_items.processed,
            a.work_items.succeeded,
            a.work_items.failed
        ),
        (2, 1, 1)
    );
    assert_eq!(a.work_items.prs_merged, Some(2));
    assert_close(a.work_items.avg_duration, 60.0);
    assert_eq!(
        (
            a.pipelines.attempts,
            a.pipelines.succeeded,
            a.pipelines.failed
        ),
        (3, 2, 1)
    );
    assert_close(a.pipelines.success_rate, 2.0 / 3.0);
    assert_close(a.pipelines.first_pass_rate, 0.5);
    assert_eq!((a.debugging.cycles, a.debugging.resolved), (3, 2));
    assert_close(a.debugging.success_rate, 2.0 / 3.0);
    assert_close(a.debugging.avg_attempts, 2.0);
    assert_close(a.debugging.cycles_per_work_item, 1.5);
    assert_eq!(
        a.insights,
        [
            "deepseek-chat has the highest success rate: 100.0 % over 2 operations (next: gpt-4o at 50.0 %).",
            "50.0 % of work items pass their pipeline on the first attempt.",
            "Work items need 1.50 debugging cycles on average (3 cycles, 2 resolved).",
            "coding causes the most retries: 3 of 4 (75 %).",
        ]
    );
    // Windows count work items too.
    assert_eq!(a.today.work_items, 2);
    assert_eq!(a.by_day[0].work_items, 2);
    assert_eq!(a.by_day[0].prs_merged, 2);
}
