//! Property tests of the analytics over generated datasets: any split of the
//! operations analysed apart and merged equals the single pass; rates stay in
//! 0..1 or null; percentiles are ordered; filters never add records; every
//! report parses, matches its schema and holds no NaN or infinity.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod analysis_support;
mod hostile_support;

use analysis_support::*;
use baton_core::analysis::{analyze, finish, Analysis, AnalysisOptions, Ctx, GroupStats, Partial};
use baton_core::model::{Dataset, Outcome, Tokens};
use baton_core::report::ReportKind;
use proptest::prelude::*;
use serde_json::Value;

/// One generated operation. Durations are whole seconds and costs quarters of
/// a dollar, exact in binary, so sums do not depend on their order.
#[derive(Debug, Clone)]
struct Spec {
    kind: u8,
    agent: u8,
    model: Option<u8>,
    outcome: u8,
    hour: u32,
    duration: Option<u16>,
    cost: Option<u16>,
    tokens: Option<(u32, u32, u32)>,
    retries: u8,
    session: Option<u8>,
    error: Option<u8>,
    cache_hit: Option<bool>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            0u8..5,
            0u8..6,
            proptest::option::of(0u8..4),
            0u8..3,
            0u32..(60 * 24),
        ),
        (
            proptest::option::of(0u16..7200),
            proptest::option::of(0u16..400),
            proptest::option::of((0u32..200_000, 0u32..20_000, 0u32..50_000)),
            0u8..4,
            proptest::option::of(0u8..5),
            proptest::option::of(0u8..3),
            proptest::option::of(any::<bool>()),
        ),
    )
        .prop_map(
            |(
                (kind, agent, model, outcome, hour),
                (duration, cost, tokens, retries, session, error, cache_hit),
            )| Spec {
                kind,
                agent,
                model,
                outcome,
                hour,
                duration,
                cost,
                tokens,
                retries,
                session,
                error,
                cache_hit,
            },
        )
}

const MODELS: [&str; 4] = [
    "claude-sonnet-4-5",
    "gpt-4o-mini",
    "mystery-model",
    "deepseek-chat",
];
const KINDS: [&str; 5] = ["plan", "implement", "test", "review", "deploy"];

fn build(specs: &[Spec]) -> Dataset {
    let mut ds = dataset();
    for (i, s) in specs.iter().enumerate() {
        let model = s.model.map(|m| ds.intern(MODELS[m as usize]));
        let session = s.session.map(|x| ds.intern(&format!("run-{x}")));
        let error = s
            .error
            .map(|x| ds.intern(["timeout", "syntax", "network"][x as usize]));
        let outcome = [Outcome::Success, Outcome::Failure, Outcome::Running][s.outcome as usize];
        let o = op(
            &mut ds,
            &format!("op{i}"),
            KINDS[s.kind as usize],
            &format!("agent{}", s.agent),
            outcome,
            T0 + i64::from(s.hour) * HOUR,
            s.duration.map(f64::from),
        );
        o.model = model;
        o.session = session;
        o.cost = s.cost.map(|c| f64::from(c) * 0.25);
        o.tokens = s.tokens.map(|(input, output, cache_read)| Tokens {
            input: u64::from(input),
            output: u64::from(output),
            cache_read: u64::from(cache_read),
            cache_write: 0,
        });
        o.retries = u32::from(s.retries);
        o.cache_hit = s.cache_hit;
        if outcome == Outcome::Failure {
            o.error_type = error;
        }
    }
    ds
}

/// Every `*_rate` in the analysis is null or within 0..1.
fn rates_in_range(v: &Value, path: &str) -> Result<(), String> {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{path}.{k}");
                // (`ratings.*_rate` are words, not numbers.)
                if let (true, Some(r)) = (k.ends_with("_rate"), x.as_f64()) {
                    if !(0.0..=1.0).contains(&r) {
                        return Err(format!("{p} = {r}"));
                    }
                }
                rates_in_range(x, &p)?;
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                rates_in_range(x, &format!("{path}[{i}]"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Equal JSON, numbers to a relative 1e-9 (costs computed from token prices
/// are not exact in binary, so their sums depend on the order of addition).
fn same(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0) {
                Ok(())
            } else {
                Err(format!("{path}: {x} != {y}"))
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}: keys differ"));
            }
            for (k, v) in x {
                let w = y.get(k).ok_or(format!("{path}.{k} missing"))?;
                same(v, w, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}: {} items != {}", x.len(), y.len()));
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                same(v, w, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} != {b}")),
    }
}

fn ordered(values: &[Option<f64>]) -> bool {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    known.windows(2).all(|w| w[0] <= w[1])
}

fn group_ok(name: &str, g: &GroupStats) -> Result<(), String> {
    if g.success_count + g.failure_count != g.count {
        return Err(format!("{name}: success + failure != count"));
    }
    if !ordered(&[
        g.min_duration,
        g.p50_duration,
        g.p95_duration,
        g.max_duration,
    ]) {
        return Err(format!("{name}: percentiles out of order"));
    }
    if let (Some(avg), Some(min), Some(max)) = (g.avg_duration, g.min_duration, g.max_duration) {
        if avg < min || avg > max {
            return Err(format!("{name}: mean outside min..max"));
        }
    }
    if g.total_cost.is_some_and(|c| c < 0.0) {
        return Err(format!("{name}: negative cost"));
    }
    Ok(())
}

fn invariants(a: &Analysis) -> Result<(), String> {
    let v = serde_json::to_value(a).unwrap();
    rates_in_range(&v, "$")?;
    let o = &a.overall;
    if o.succeeded + o.failed != o.total_operations {
        return Err("overall: succeeded + failed != total".into());
    }
    if !ordered(&[
        o.p50_duration,
        o.p95_duration,
        o.p99_duration,
        o.max_duration,
    ]) {
        return Err(format!(
            "overall percentiles {:?} {:?} {:?} {:?}",
            o.p50_duration, o.p95_duration, o.p99_duration, o.max_duration
        ));
    }
    for (n, g) in a.agents.iter().chain(a.operations.iter()) {
        group_ok(n, g)?;
    }
    Ok(())
}

fn options(period: Option<u32>, agents: &[u8]) -> AnalysisOptions {
    let mut opts = AnalysisOptions {
        period_days: period,
        ..AnalysisOptions::default()
    };
    opts.filter.agents = agents.iter().map(|a| format!("agent{a}")).collect();
    opts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Chunks analysed apart and merged, in any order, give the single pass.
    #[test]
    fn any_split_merged_equals_the_single_pass(
        specs in proptest::collection::vec(spec(), 0..120),
        cuts in proptest::collection::vec(0usize..120, 0..5),
        period in proptest::option::of(1u32..40),
        agents in proptest::collection::vec(0u8..6, 0..3),
        reverse in any::<bool>(),
    ) {
        let ds = build(&specs);
        let opts = options(period, &agents);
        let single = serde_json::to_value(analyze(&ds, &opts)).unwrap();
        let n = ds.operations.len();
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(n)).collect();
        bounds.push(0);
        bounds.push(n);
        bounds.sort_unstable();
        let ctx = Ctx::new(&ds, &opts);
        let limit = opts.thresholds.max_operation_seconds;
        let mut parts: Vec<Partial> = bounds
            .windows(2)
            .map(|w| Partial::build(&ctx, &ds.operations[w[0]..w[1]], w[0], limit))
            .collect();
        if reverse {
            parts.reverse();
        }
        let mut merged = Partial::default();
        for p in parts {
            merged.merge(p);
        }
        let json = serde_json::to_value(finish(&ds, &opts, &ctx, merged)).unwrap();
        if let Err(e) = same(&json, &single, "$") {
            prop_assert!(false, "{}", e);
        }
    }

    /// Rates in 0..1 or null, counts adding up, percentiles ordered.
    #[test]
    fn figures_stay_in_their_ranges(
        specs in proptest::collection::vec(spec(), 0..150),
        period in proptest::option::of(1u32..40),
    ) {
        let ds = build(&specs);
        let a = analyze(&ds, &options(period, &[]));
        if let Err(e) = invariants(&a) {
            prop_assert!(false, "{}", e);
        }
    }

    /// A filter or a period never adds operations, to the whole or to any agent.
    #[test]
    fn filters_never_add_records(
        specs in proptest::collection::vec(spec(), 0..150),
        period in proptest::option::of(1u32..40),
        agents in proptest::collection::vec(0u8..6, 1..4),
    ) {
        let ds = build(&specs);
        let all = analyze(&ds, &options(None, &[]));
        let some = analyze(&ds, &options(period, &agents));
        let total = |a: &Analysis| a.overall.total_operations + a.overall.running;
        prop_assert!(total(&some) <= total(&all));
        prop_assert!(some.overall.failed <= all.overall.failed);
        for (name, g) in &some.agents {
            let full = all.agents.get(name).map_or(0, |g| g.count + g.running);
            prop_assert!(g.count + g.running <= full, "agent {}", name);
        }
        if let Err(e) = invariants(&some) {
            prop_assert!(false, "{}", e);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Every report of every kind parses, matches docs/report.schema.json and
    /// holds no NaN or infinity.
    #[test]
    fn every_report_parses_and_matches_its_schema(
        specs in proptest::collection::vec(spec(), 0..80),
        period in proptest::option::of(1u32..40),
    ) {
        let ds = build(&specs);
        let a = analyze(&ds, &options(period, &[]));
        hostile_support::check_outputs(&a, &[ReportKind::Summary, ReportKind::Detailed, ReportKind::Daily, ReportKind::Monthly]);
    }
}
