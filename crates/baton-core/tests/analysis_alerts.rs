//! Alert thresholds at and either side of each boundary, and health.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod analysis_support;

use analysis_support::*;
use baton_core::analysis::{Alert, HealthStatus, Severity};
use baton_core::model::{AgentProfile, Communication, Dataset, SourceId, Tokens};

/// 20 finished operations of which `failed` failed.
fn rated(failed: usize) -> Dataset {
    let mut ds = dataset();
    for i in 0..20 {
        let outcome = if i < failed { KO } else { OK };
        op(
            &mut ds,
            &format!("o{i}"),
            "k",
            &format!("a{}", i % 4),
            outcome,
            T0 + i as i64 * 1000,
            Some(1.0),
        );
    }
    ds
}

fn kinds(alerts: &[Alert]) -> Vec<&str> {
    alerts.iter().map(|a| a.kind.as_str()).collect()
}

#[test]
fn success_and_error_rate_boundaries() {
    // 7 failed of 20: success 0.65 < 0.70 → low_success_rate; error 0.35 > 0.25 → critical.
    let a = run(&rated(7));
    assert_eq!(
        kinds(&a.alerts),
        ["critical_error_rate", "low_success_rate"]
    );
    assert_eq!(a.alerts[0].severity, Severity::Critical);
    assert_eq!(a.alerts[1].severity, Severity::High);
    assert_close(Some(a.alerts[1].value), 0.65);
    assert_eq!(a.health.status, HealthStatus::Unhealthy);
    // 6 failed: success 0.70 (at, strict) → none; error 0.30 > 0.25 → critical.
    assert_eq!(kinds(&run(&rated(6)).alerts), ["critical_error_rate"]);
    // 5 failed: error 0.25 (at the critical bound) → high only; success 0.75.
    let a = run(&rated(5));
    assert_eq!(kinds(&a.alerts), ["high_error_rate"]);
    assert_eq!(a.health.status, HealthStatus::Degraded);
    // 4 failed: error 0.20 > 0.15 → high.
    assert_eq!(kinds(&run(&rated(4)).alerts), ["high_error_rate"]);
    // 3 failed: error 0.15 (at) → none; 2 failed: 0.10 → none.
    let a = run(&rated(3));
    assert!(a.alerts.is_empty(), "{:?}", a.alerts);
    assert_eq!(a.health.status, HealthStatus::Healthy);
    assert!(run(&rated(2)).alerts.is_empty());
}

fn one_alert(ds: &Dataset, kind: &str) -> Option<Alert> {
    let a = run(ds);
    assert_clean_json(&a);
    a.alerts.into_iter().find(|x| x.kind == kind)
}

#[test]
fn long_operation_boundary() {
    for (secs, fires) in [(7199.0, false), (7200.0, false), (7201.0, true)] {
        let mut ds = dataset();
        op(&mut ds, "short", "k", "a", OK, T0, Some(10.0));
        op(&mut ds, "long", "k", "a", OK, T0 + 1, Some(secs));
        let alert = one_alert(&ds, "long_duration");
        assert_eq!(alert.is_some(), fires, "{secs}");
        if let Some(x) = alert {
            assert_eq!(x.severity, Severity::Medium);
            assert_eq!(x.subject.as_deref(), Some("long"));
            assert_eq!(x.threshold, 7200.0);
        }
    }
    // Grouped: two long operations → one alert naming the count and the longest.
    let mut ds = dataset();
    op(&mut ds, "l1", "k", "a", OK, T0, Some(8000.0));
    op(&mut ds, "l2", "k", "a", OK, T0 + 1, Some(9000.0));
    let a = run(&ds);
    let long: Vec<&Alert> = a
        .alerts
        .iter()
        .filter(|x| x.kind == "long_duration")
        .collect();
    assert_eq!(long.len(), 1);
    assert!(long[0].message.starts_with("2 operation(s)"));
    assert_eq!(long[0].subject.as_deref(), Some("l2"));
    assert_eq!(long[0].value, 9000.0);
}

#[test]
fn daily_cost_boundary() {
    for (cost, fires) in [(49.99, false), (50.0, false), (50.01, true)] {
        let mut ds = dataset();
        op(&mut ds, "a", "k", "a", OK, T0, Some(1.0)).cost = Some(cost - 10.0);
        op(&mut ds, "b", "k", "a", OK, T0 + HOUR, Some(1.0)).cost = Some(10.0);
        let alert = one_alert(&ds, "daily_cost");
        assert_eq!(alert.is_some(), fires, "{cost}");
        if let Some(x) = alert {
            assert_eq!(x.severity, Severity::High);
            assert_eq!(x.subject.as_deref(), Some("2025-11-10"));
        }
    }
}

#[test]
fn code_quality_boundary_from_operations_and_profiles() {
    for (q, fires) in [(59.5, true), (60.0, false), (60.5, false)] {
        let mut ds = dataset();
        op(&mut ds, "a", "k", "a", OK, T0, Some(1.0)).quality_score = Some(q - 10.0);
        op(&mut ds, "b", "k", "a", OK, T0, Some(1.0)).quality_score = Some(q + 10.0);
        // mean = q
        assert_eq!(one_alert(&ds, "low_code_quality").is_some(), fires, "{q}");
    }
    // Without operation scores, the profiles' code quality is used.
    let mut ds = dataset();
    op(&mut ds, "a", "k", "a", OK, T0, Some(1.0));
    let ag = ds.intern("a");
    ds.agent_profiles.push(AgentProfile {
        agent: Some(ag),
        code_quality_score: Some(55.0),
        ..AgentProfile::default()
    });
    let x = one_alert(&ds, "low_code_quality").unwrap();
    assert_eq!((x.severity, x.value), (Severity::Medium, 55.0));
}

#[test]
fn security_response_conflict_and_token_boundaries() {
    let base = || {
        let mut ds = dataset();
        op(&mut ds, "a", "k", "a", OK, T0, Some(1.0));
        ds
    };
    // Security issues: 0 → none; 1 → critical.
    for (n, fires) in [(0, false), (1, true)] {
        let mut ds = base();
        let ag = ds.intern("a");
        ds.agent_profiles.push(AgentProfile {
            agent: Some(ag),
            security_issues: Some(n),
            ..AgentProfile::default()
        });
        let x = one_alert(&ds, "security_issues");
        assert_eq!(x.is_some(), fires);
        if let Some(x) = x {
            assert_eq!(x.severity, Severity::Critical);
            assert_eq!(run(&ds).health.status, HealthStatus::Unhealthy);
        }
    }
    // Response time: 299, 300 → none; 301 → low (and health stays healthy).
    for (rt, fires) in [(299.0, false), (300.0, false), (301.0, true)] {
        let mut ds = base();
        ds.communication.push(Communication {
            source: SourceId(0),
            session: None,
            total_messages: 10,
            messages_by_type: Vec::new(),
            messages_by_agent: Vec::new(),
            edges: Vec::new(),
            average_response_time: Some(rt),
            efficiency: None,
            time: None,
        });
        let x = one_alert(&ds, "slow_response");
        assert_eq!(x.is_some(), fires, "{rt}");
        if fires {
            assert_eq!(x.unwrap().severity, Severity::Low);
            let a = run(&ds);
            assert_eq!(a.health.status, HealthStatus::Healthy);
            assert_eq!(
                a.health.reasons,
                ["All systems operational (1 low-severity alert(s))"]
            );
        }
    }
    // Conflicts: 0 → none; 1 → medium.
    for (n, fires) in [(0, false), (1, true)] {
        let mut ds = base();
        ds.operations[0].conflicts = Some(n);
        let x = one_alert(&ds, "conflicts");
        assert_eq!(x.is_some(), fires);
        if let Some(x) = x {
            assert_eq!(x.severity, Severity::Medium);
        }
    }
    // Tokens per session: 149 999, 150 000 → none; 150 001 → low, naming the session.
    for (t, fires) in [(149_999, false), (150_000, false), (150_001, true)] {
        let mut ds = base();
        let s = ds.intern("sess");
        ds.operations[0].session = Some(s);
        ds.operations[0].tokens = Some(Tokens {
            input: t - 1,
            output: 1,
            cache_read: 0,
            cache_write: 0,
        });
        let x = one_alert(&ds, "session_tokens");
        assert_eq!(x.is_some(), fires, "{t}");
        // The same total recorded without categories (seed 003) fires alike.
        ds.operations[0].tokens = None;
        ds.operations[0].tokens_uncategorized = Some(t);
        assert_eq!(one_alert(&ds, "session_tokens").is_some(), fires, "{t}");
        if let Some(x) = x {
            assert_eq!(
                (x.severity, x.subject.as_deref()),
                (Severity::Low, Some("sess"))
            );
        }
    }
}

#[test]
fn thresholds_are_configurable() {
    let ds = rated(3); // success 0.85
    let mut opts = baton_core::analysis::AnalysisOptions::default();
    opts.thresholds.min_success_rate = 0.90;
    let a = baton_core::analysis::analyze(&ds, &opts);
    assert_eq!(kinds(&a.alerts), ["low_success_rate"]);
    assert_eq!(a.alerts[0].threshold, 0.90);
}
