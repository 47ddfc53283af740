//! Scores and rates outside the range the model gives them (scores 0..100,
//! rates 0..1) are dropped field by field with a warning, and the record is
//! kept: the canonical format, seed 001 droid metrics (which also read 0..1
//! scores and 0..100 rates as the other scale) and Langfuse scores. The
//! warnings themselves are listed in tests/fixtures/hostile/cases.json.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod fixture_util;

use baton_core::model::{AgentProfile, DiagnosticLevel};
use baton_core::Dataset;
use fixture_util::{assert_close, load};

fn profile<'a>(ds: &'a Dataset, agent: &str) -> &'a AgentProfile {
    ds.agent_profiles
        .iter()
        .find(|p| p.agent.map(|a| ds.name(a)) == Some(agent))
        .unwrap_or_else(|| panic!("no profile of {agent}"))
}

fn warnings(ds: &Dataset) -> usize {
    ds.sources[0]
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Warning)
        .count()
}

#[test]
fn canonical_scores_and_rates_outside_their_range_are_dropped() {
    let mut ds = Dataset::new();
    load(&mut ds, "hostile/baton_scores_out_of_range.ndjson").unwrap();
    assert_eq!(ds.agent_profiles.len(), 2);

    let coder = profile(&ds, "coder");
    // Kept: completion 0.92, retry 0.15, code quality 100 (the bound itself).
    assert_close(coder.completion_rate, 0.92);
    assert_close(coder.retry_rate, 0.15);
    assert_close(coder.code_quality_score, 100.0);
    // Dropped: quality 150 > 100, error rate -0.1 < 0, collaboration 78 > 1
    // (a fraction in this format, not rescaled), coverage 1.5 > 1, security -1 < 0.
    assert_eq!(coder.quality_score, None);
    assert_eq!(coder.error_rate, None);
    assert_eq!(coder.collaboration_score, None);
    assert_eq!(coder.test_coverage, None);
    assert_eq!(coder.security_score, None);

    let tester = profile(&ds, "tester");
    // 0 and 1 (rates) and 0 and 100 (scores) are inside; 1e308 is not.
    assert_close(tester.completion_rate, 1.0);
    assert_close(tester.quality_score, 0.0);
    assert_close(tester.security_score, 100.0);
    assert_close(tester.collaboration_score, 0.5);
    assert_eq!(tester.code_quality_score, None);

    let p = &ds.patterns[0];
    // Pattern success 1.2 > 1: dropped; agents 0.9 kept, 90 dropped.
    assert_eq!(p.success_rate, None);
    assert_close(p.agents[0].success_rate, 0.9);
    assert_eq!(p.agents[1].success_rate, None);

    // The operation loads without its quality score of 100.5.
    assert_eq!(ds.operations.len(), 1);
    assert_eq!(ds.operations[0].quality_score, None);
    // 5 (coder) + 1 (tester) + 2 (pattern) + 1 (operation) = 9 warnings.
    assert_eq!(warnings(&ds), 9);
}

#[test]
fn droid_scores_and_rates_outside_both_scales_are_dropped() {
    let mut ds = Dataset::new();
    load(&mut ds, "hostile/seed001_scores_out_of_range.json").unwrap();
    assert_eq!(ds.agent_profiles.len(), 2);

    let back = profile(&ds, "backend-droid");
    // completion 92 > 1: a percentage, 0.92; coverage 76: 0.76; error 0.06 kept.
    assert_close(back.completion_rate, 0.92);
    assert_close(back.test_coverage, 0.76);
    assert_close(back.error_rate, 0.06);
    // code quality 0.9 <= 1: a fraction, 0.9 * 100 = 90.
    assert_close(back.code_quality_score, 90.0);
    // quality 150 > 100; retry -3 < 0; collaboration 250 / 100 = 2.5 > 1;
    // security -0.5 * 100 = -50 < 0: all dropped.
    assert_eq!(back.quality_score, None);
    assert_eq!(back.retry_rate, None);
    assert_eq!(back.collaboration_score, None);
    assert_eq!(back.security_score, None);

    let front = profile(&ds, "frontend-droid");
    // completion 1 <= 1: a fraction, 1.0; code quality 100 > 1: already 0..100.
    assert_close(front.completion_rate, 1.0);
    assert_close(front.code_quality_score, 100.0);
    assert_close(front.retry_rate, 0.3);
    // quality 1e308 > 100; coverage 100.5 / 100 = 1.005 > 1; security "NaN".
    assert_eq!(front.quality_score, None);
    assert_eq!(front.test_coverage, None);
    assert_eq!(front.security_score, None);
    // 4 (backend) + 3 (frontend) = 7 warnings.
    assert_eq!(warnings(&ds), 7);
}

#[test]
fn langfuse_scores_outside_both_scales_are_skipped_and_observations_kept() {
    let mut ds = Dataset::new();
    load(&mut ds, "hostile/langfuse_scores_out_of_range.json").unwrap();
    let c = ds.sources[0].counts;
    // 1 trace + 2 observations + 4 scores = 7 read; the trace, both
    // observations and the 0.8 score are imported; 250, -1 and 1e308 skipped.
    assert_eq!((c.read, c.imported, c.skipped), (7, 4, 3));
    assert_eq!(ds.operations.len(), 2);
    let q = |id: &str| {
        let sym = ds.names.get(id).unwrap();
        ds.operations
            .iter()
            .find(|o| o.id == sym)
            .unwrap()
            .quality_score
    };
    // 0.8 <= 1: a fraction, 0.8 * 100 = 80.
    assert_close(q("obs-1"), 80.0);
    assert_eq!(q("obs-2"), None);
}
