//! Cost modes, unpriced models, pre-aggregated figures and split-merge equality.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod analysis_support;

use analysis_support::*;
use baton_core::analysis::{
    analyze, finish, AnalysisOptions, CostMode, Ctx, FiguresFrom, ModelPrice, Partial,
};
use baton_core::model::{Aggregate, AggregateScope, Dataset, SourceId, Timestamp, Tokens};

const SMALL: Tokens = Tokens {
    input: 100_000,
    output: 10_000,
    cache_read: 50_000,
    cache_write: 10_000,
};

/// o1 sonnet 4.5 with tokens and a recorded $1; o2 the same tokens, no cost;
/// o3 an unknown model with 1 000 tokens; o4 no tokens, recorded $0.20.
fn priced() -> Dataset {
    let mut ds = dataset();
    let sonnet = ds.intern("claude-sonnet-4-5-20250929");
    let mystery = ds.intern("mystery-model");
    let o = op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0));
    o.model = Some(sonnet);
    o.tokens = Some(SMALL);
    o.cost = Some(1.0);
    let o = op(&mut ds, "o2", "k", "a", OK, T0 + 1, Some(1.0));
    o.model = Some(sonnet);
    o.tokens = Some(SMALL);
    let o = op(&mut ds, "o3", "k", "a", OK, T0 + 2, Some(1.0));
    o.model = Some(mystery);
    o.tokens = Some(Tokens {
        input: 1000,
        ..Tokens::default()
    });
    op(&mut ds, "o4", "k", "a", OK, T0 + 3, Some(1.0)).cost = Some(0.2);
    ds
}

fn with_mode(mode: CostMode) -> AnalysisOptions {
    let mut o = AnalysisOptions::default();
    o.pricing.mode = mode;
    o
}

#[test]
fn cost_modes_and_unpriced_models() {
    let ds = priced();
    // SMALL at sonnet 4.5 (prompt 160 000 ≤ 200 000, standard tier):
    // 0.1 × 3 + 0.01 × 15 + 0.05 × 0.30 + 0.01 × 3.75 = 0.5025.
    // Auto: o1 recorded 1.0, o2 computed 0.5025, o3 unknown, o4 0.2 → 1.7025.
    let a = analyze(&ds, &with_mode(CostMode::Auto));
    assert_clean_json(&a);
    assert_close(a.costs.total_cost, 1.7025);
    assert_close(a.costs.recorded_cost, 1.2); // 1.0 + 0.2
    assert_close(a.costs.computed_cost, 1.005); // 2 × 0.5025
    assert_eq!(a.costs.unpriced_models, ["mystery-model"]);
    assert_eq!(a.costs.unpriced_operations, 1);
    assert_eq!(a.costs.unpriced_tokens, 1000);
    assert_close(a.costs.avg_cost_per_operation, 1.7025 / 3.0); // o3 has no cost
    assert!(!a.costs.pricing_date.is_empty());
    assert!(a.most_expensive_operations.iter().all(|r| r.id != "o3"));
    // Calculate: o1 and o2 computed, o4 has no tokens → no cost → 1.005.
    let c = analyze(&ds, &with_mode(CostMode::Calculate));
    assert_close(c.costs.total_cost, 1.005);
    assert_eq!(c.costs.unpriced_operations, 1);
    // Display: recorded only, nothing unpriced → 1.2.
    let d = analyze(&ds, &with_mode(CostMode::Display));
    assert_close(d.costs.total_cost, 1.2);
    assert_eq!(d.costs.unpriced_operations, 0);
    assert!(d.costs.unpriced_models.is_empty());
    // An override prices the unknown model: $2 / M input → 1 000 × 2 / 1e6 = 0.002.
    let mut o = with_mode(CostMode::Auto);
    o.pricing.overrides.push(ModelPrice {
        model: "mystery-model".into(),
        input: 2.0,
        output: 2.0,
        ..ModelPrice::default()
    });
    let p = analyze(&ds, &o);
    assert_close(p.costs.total_cost, 1.7045);
    assert!(p.costs.unpriced_models.is_empty());
}

#[test]
fn uncategorized_tokens_count_in_totals_only() {
    let mut ds = dataset();
    let sonnet = ds.intern("claude-sonnet-4-5");
    // o1: 25 000 tokens as a total only, no cost → unpriced, model not listed.
    let o = op(&mut ds, "o1", "k", "a", OK, T0, Some(1.0));
    o.model = Some(sonnet);
    o.tokens_uncategorized = Some(25_000);
    // o2: 1 000 000 input tokens on sonnet 4.5: prompt > 200 000 → long tier, 1 × $6 = $6.
    let o = op(&mut ds, "o2", "k", "a", OK, T0 + 1, Some(1.0));
    o.model = Some(sonnet);
    o.tokens = Some(Tokens {
        input: 1_000_000,
        ..Tokens::default()
    });
    let a = run(&ds);
    assert_eq!(a.costs.total_tokens, Some(1_025_000)); // 1 000 000 + 25 000
    assert_eq!(a.costs.tokens.input, 1_000_000); // categories exclude the total-only tokens
    assert_eq!(a.costs.tokens_uncategorized, 25_000);
    assert_close(a.costs.total_cost, 6.0);
    assert_eq!(a.costs.unpriced_operations, 1);
    assert_eq!(a.costs.unpriced_tokens, 25_000);
    assert!(a.costs.unpriced_models.is_empty());
    assert_eq!(a.operations["k"].total_tokens, Some(1_025_000));
    assert_eq!(a.by_day[0].tokens_uncategorized, 25_000);
}

#[test]
fn long_context_tier_in_analysis() {
    let mut ds = dataset();
    let m = ds.intern("anthropic/claude-sonnet-4-5");
    // 150 000 in + 60 000 read = prompt 210 000 > 200 000 → long tier:
    // 0.15 × 6 + 0.01 × 22.5 + 0.06 × 0.6 = 1.161.
    let o = op(&mut ds, "o", "k", "a", OK, T0, Some(1.0));
    o.model = Some(m);
    o.tokens = Some(Tokens {
        input: 150_000,
        output: 10_000,
        cache_read: 60_000,
        cache_write: 0,
    });
    let a = run(&ds);
    assert_close(a.costs.total_cost, 1.161);
    assert_close(a.models["anthropic/claude-sonnet-4-5"].total_cost, 1.161);
}

fn overall_aggregate(count: u64, end: i64) -> Aggregate {
    Aggregate {
        source: SourceId(0),
        scope: AggregateScope::Overall,
        origin: "summary_report".into(),
        period_start: Some(Timestamp(end - 7 * DAY)),
        period_end: Some(Timestamp(end)),
        period_days: Some(7.0),
        count: Some(count),
        success_count: None,
        success_rate: Some(0.825),
        error_rate: None,
        avg_duration: Some(52.3),
        cache_hit_rate: Some(0.672),
        total_cost: Some(15.8),
        avg_cost_per_operation: Some(0.13),
        total_tokens: Some(1_580_000),
        tokens: None,
        sessions: None,
        extra: Vec::new(),
    }
}

#[test]
fn aggregates_only_when_no_raw_operations() {
    let mut ds = dataset();
    ds.aggregates.push(overall_aggregate(124, T0));
    ds.aggregates.push(overall_aggregate(40, T0 - DAY)); // smaller: not chosen
    let a = run(&ds);
    assert_clean_json(&a);
    assert_eq!(a.figures_from, FiguresFrom::Aggregates);
    // 124 operations at 82.5 % → round(102.3) = 102 succeeded, 22 failed.
    assert_eq!(
        (
            a.overall.total_operations,
            a.overall.succeeded,
            a.overall.failed
        ),
        (124, 102, 22)
    );
    assert_close(a.overall.success_rate, 0.825);
    assert_close(a.overall.error_rate, 0.175); // 1 − 0.825
    assert_close(a.overall.cache_hit_rate, 0.672);
    assert_close(a.costs.total_cost, 15.8);
    assert_close(a.costs.avg_cost_per_operation, 0.13);
    assert_eq!(a.costs.total_tokens, Some(1_580_000));
    assert_eq!(a.aggregates.len(), 2);
    assert!(a.aggregates[0].used && !a.aggregates[1].used);

    // Agent aggregates only (seed 003 agent_metrics): overall = their sum.
    let mut ds = dataset();
    for (agent, n, rate) in [("expert-backend", 45, 0.8), ("manager-tdd", 5, 1.0)] {
        let mut g = overall_aggregate(n, T0);
        g.scope = AggregateScope::Agent(agent.into());
        g.success_rate = Some(rate);
        g.total_cost = None;
        ds.aggregates.push(g);
    }
    let a = run(&ds);
    // 45 × 0.8 = 36 and 5 × 1.0 = 5 → 41 of 50.
    assert_eq!((a.overall.total_operations, a.overall.succeeded), (50, 41));
    assert_close(a.overall.success_rate, 0.82);
    assert_eq!(a.agents["expert-backend"].count, 45);

    // With raw operations in the period, aggregates are listed but not counted.
    let mut ds = dataset();
    ds.aggregates.push(overall_aggregate(124, T0));
    op(&mut ds, "raw", "k", "a", OK, T0, Some(1.0));
    let a = run(&ds);
    assert_eq!(a.figures_from, FiguresFrom::Operations);
    assert_eq!(a.overall.total_operations, 1);
    assert_eq!(a.costs.total_cost, None);
    assert!(!a.aggregates[0].used);
}

/// A deterministic pseudo-random dataset whose figures are exact in binary
/// (integer durations, costs in quarters), so merged sums equal the single pass.
fn random_dataset(n: usize) -> Dataset {
    let mut ds = dataset();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let errors = ["timeout", "syntax", "network"];
    for i in 0..n {
        let r = next();
        let outcome = match r % 10 {
            0..=6 => OK,
            7 | 8 => KO,
            _ => RUN,
        };
        let start = T0 + (r % (20 * DAY as u64)) as i64;
        let kind = format!("kind{}", (r >> 8) % 4);
        let agent = format!("agent{}", (r >> 12) % 3);
        let session = ds.intern(&format!("s{}", (r >> 16) % 5));
        let err = ds.intern(errors[((r >> 20) % 3) as usize]);
        let o = op(
            &mut ds,
            &format!("op{i}"),
            &kind,
            &agent,
            outcome,
            start,
            Some(((r >> 24) % 500) as f64),
        );
        o.session = Some(session);
        o.cost = ((r >> 32) % 3 != 0).then_some(((r >> 34) % 40) as f64 * 0.25);
        o.cache_hit = ((r >> 40) % 2 == 0).then_some((r >> 41) % 2 == 0);
        o.retries = ((r >> 42) % 3) as u32;
        o.tokens = Some(Tokens {
            input: (r >> 44) % 1000,
            output: (r >> 50) % 100,
            cache_read: 0,
            cache_write: 0,
        });
        if outcome == KO {
            o.error_type = Some(err);
        }
    }
    ds
}

#[test]
fn split_merge_equals_single_pass() {
    let ds = random_dataset(300);
    let opts = AnalysisOptions::default();
    let single = serde_json::to_string(&analyze(&ds, &opts)).unwrap();
    let ctx = Ctx::new(&ds, &opts);
    let limit = opts.thresholds.max_operation_seconds;
    for cuts in [
        vec![0, 300],
        vec![0, 1, 150, 300],
        vec![0, 37, 120, 121, 299, 300],
    ] {
        let parts: Vec<Partial> = cuts
            .windows(2)
            .map(|w| Partial::build(&ctx, &ds.operations[w[0]..w[1]], w[0], limit))
            .collect();
        // Merge in reverse order to show order does not matter.
        let mut merged = Partial::default();
        for p in parts.into_iter().rev() {
            merged.merge(p);
        }
        let json = serde_json::to_string(&finish(&ds, &opts, &ctx, merged)).unwrap();
        assert_eq!(json, single, "cuts {cuts:?}");
    }
    // Also with a period and a filter.
    let mut opts = AnalysisOptions {
        period_days: Some(10),
        ..AnalysisOptions::default()
    };
    opts.filter.agents = vec!["agent0".into(), "agent2".into()];
    let single = serde_json::to_string(&analyze(&ds, &opts)).unwrap();
    let ctx = Ctx::new(&ds, &opts);
    let mut merged = Partial::build(&ctx, &ds.operations[200..], 200, limit);
    merged.merge(Partial::build(&ctx, &ds.operations[..200], 0, limit));
    let json = serde_json::to_string(&finish(&ds, &opts, &ctx, merged)).unwrap();
    assert_eq!(json, single);
    assert!(!json.contains("NaN"));
}
