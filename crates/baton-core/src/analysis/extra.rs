//! Figures the seeds ask for beyond the headline KPIs: integration success
//! rate, operating mode, duration histogram, per-agent trends and quality
//! trends. Computed after the main pass, from the dataset and the analysis.

use std::collections::BTreeMap;

use super::engine::trend_of;
use super::partial::{Ctx, FxMap, FxSet};
use super::stats::ratio;
use super::types::{Analysis, HistogramBin, IntegrationSummary, Trend};
use crate::model::{Dataset, Outcome, Timestamp};

/// Upper edges of the duration histogram's bins, seconds; the last bin is open.
pub const HISTOGRAM_EDGES: [f64; 8] = [10.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0];

/// Adds the extra figures to `a`.
pub(crate) fn add(ds: &Dataset, ctx: &Ctx, a: &mut Analysis) {
    a.integration = integration(ds, ctx);
    a.operating_mode = operating_mode(ds, ctx);
    let (hist, agent_trends, quality_pts) = operation_pass(ds, ctx);
    a.duration_histogram = hist;
    a.agent_trends = agent_trends;
    a.quality_trends = quality_trends(ds, ctx, quality_pts);
}

/// Integration success rate: recorded integrations when the data has them
/// (success = no conflicts and quality gates not failed), else the operations
/// of the kinds that report conflict counts (success = no conflict).
fn integration(ds: &Dataset, ctx: &Ctx) -> Option<IntegrationSummary> {
    let recorded: Vec<_> = ds
        .integrations
        .iter()
        .filter(|r| r.time.is_none() || ctx.in_period(r.time))
        .filter(|r| !ctx.has_filters() || ctx.passes_session(r.session))
        .collect();
    if !recorded.is_empty() {
        let total = recorded.len() as u64;
        let ok = recorded
            .iter()
            .filter(|r| r.conflicts == 0 && r.quality_gates_passed != Some(false))
            .count() as u64;
        return Some(IntegrationSummary {
            from: "integrations".into(),
            total,
            succeeded: ok,
            conflicts: recorded.iter().map(|r| u64::from(r.conflicts)).sum(),
            success_rate: ratio(ok, total),
        });
    }
    // Integration operations: the finished operations of every kind that
    // reports a conflict count at least once (a record of that kind without
    // a count had none).
    let selected = |op: &crate::model::Operation| {
        op.outcome != Outcome::Running && ctx.passes(op) && ctx.in_period(op.start.or(op.end))
    };
    let kinds: FxSet<u32> = crate::par::map_chunks(&ds.operations, |_, ops| {
        ops.iter()
            .filter(|op| op.conflicts.is_some() && selected(op))
            .map(|op| op.kind.0)
            .collect::<FxSet<u32>>()
    })
    .into_iter()
    .flatten()
    .collect();
    let (mut total, mut ok, mut conflicts) = (0u64, 0u64, 0u64);
    if !kinds.is_empty() {
        let counts = crate::par::map_chunks(&ds.operations, |_, ops| {
            let (mut total, mut ok, mut conflicts) = (0u64, 0u64, 0u64);
            for op in ops.iter().filter(|op| kinds.contains(&op.kind.0)) {
                if !selected(op) {
                    continue;
                }
                let c = op.conflicts.unwrap_or(0);
                total += 1;
                conflicts += u64::from(c);
                if c == 0 {
                    ok += 1;
                }
            }
            (total, ok, conflicts)
        });
        for (t, o, c) in counts {
            total += t;
            ok += o;
            conflicts += c;
        }
    }
    (total > 0).then(|| IntegrationSummary {
        from: "operations".into(),
        total,
        succeeded: ok,
        conflicts,
        success_rate: ratio(ok, total),
    })
}

/// The mode of the latest session (by start, then end) that records one.
fn operating_mode(ds: &Dataset, ctx: &Ctx) -> Option<String> {
    ds.sessions
        .iter()
        .filter(|s| s.mode.is_some() && (!ctx.has_filters() || ctx.passes_session(Some(s.id))))
        .max_by_key(|s| (s.start.or(s.end).map(|t| t.0), s.end.map(|t| t.0)))
        .and_then(|s| s.mode.clone())
}

type DayKey = (String, i64);
type QualityPts = BTreeMap<i64, (f64, u64)>;
/// Points of a series: (time ms, value).
type Points = Vec<(i64, f64)>;

/// One pass over the selected operations: histogram, per-agent daily and
/// weekly success/duration, and the daily mean of quality scores.
fn operation_pass(
    ds: &Dataset,
    ctx: &Ctx,
) -> (Vec<HistogramBin>, BTreeMap<String, Vec<Trend>>, QualityPts) {
    let parts = crate::par::map_chunks(&ds.operations, |_, ops| {
        let mut bins = vec![0u64; HISTOGRAM_EDGES.len() + 1];
        // (agent sym index, day) -> (finished, succeeded, duration sum, duration n)
        let mut per_day: FxMap<(u32, i64), (u64, u64, f64, u64)> = FxMap::default();
        let mut quality: FxMap<i64, (f64, u64)> = FxMap::default();
        for op in ops {
            if op.outcome == Outcome::Running || !ctx.passes(op) {
                continue;
            }
            let time = op.start.or(op.end);
            if !ctx.in_period(time) {
                continue;
            }
            if let Some(d) = op.duration.filter(|d| d.is_finite() && *d >= 0.0) {
                let i = HISTOGRAM_EDGES.iter().take_while(|e| d >= **e).count();
                if let Some(b) = bins.get_mut(i) {
                    *b += 1;
                }
            }
            let Some(t) = time else { continue };
            let day = t.0.div_euclid(Timestamp::DAY_MS);
            let e = per_day.entry((op.agent.0, day)).or_default();
            e.0 += 1;
            if op.outcome == Outcome::Success {
                e.1 += 1;
            }
            if let Some(d) = op.duration.filter(|d| d.is_finite()) {
                e.2 += d;
                e.3 += 1;
            }
            if let Some(q) = op.quality_score.filter(|q| q.is_finite()) {
                let e = quality.entry(day).or_default();
                e.0 += q;
                e.1 += 1;
            }
        }
        (bins, per_day, quality)
    });
    // Chunks merged in order: each sum adds up the same way on any number of threads.
    let mut bins = vec![0u64; HISTOGRAM_EDGES.len() + 1];
    let mut per_day: BTreeMap<(u32, i64), (u64, u64, f64, u64)> = BTreeMap::new();
    let mut quality: QualityPts = BTreeMap::new();
    for (chunk_bins, chunk_days, chunk_quality) in parts {
        for (b, n) in bins.iter_mut().zip(chunk_bins) {
            *b += n;
        }
        for (k, v) in chunk_days {
            let e = per_day.entry(k).or_default();
            e.0 += v.0;
            e.1 += v.1;
            e.2 += v.2;
            e.3 += v.3;
        }
        for (k, v) in chunk_quality {
            let e = quality.entry(k).or_default();
            e.0 += v.0;
            e.1 += v.1;
        }
    }
    let mut hist = Vec::new();
    if bins.iter().any(|n| *n > 0) {
        let mut lower = 0.0;
        for (i, n) in bins.iter().enumerate() {
            let upper = HISTOGRAM_EDGES.get(i).copied();
            hist.push(HistogramBin {
                lower,
                upper,
                count: *n,
            });
            lower = upper.unwrap_or(lower);
        }
    }
    // Per agent: series by day and by week (weeks start on Monday).
    let mut series: BTreeMap<DayKey, (u64, u64, f64, u64)> = BTreeMap::new();
    let mut weekly: BTreeMap<DayKey, (u64, u64, f64, u64)> = BTreeMap::new();
    for ((ag, day), v) in per_day {
        let name = ds.name(crate::model::Sym(ag)).to_string();
        series.insert((name.clone(), day), v);
        // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
        let week = day - (day + 3).rem_euclid(7);
        let w = weekly.entry((name, week)).or_default();
        w.0 += v.0;
        w.1 += v.1;
        w.2 += v.2;
        w.3 += v.3;
    }
    let mut trends: BTreeMap<String, Vec<Trend>> = BTreeMap::new();
    for (gran, unit, map) in [
        ("day", Timestamp::DAY_MS, &series),
        ("week", 7 * Timestamp::DAY_MS, &weekly),
    ] {
        let mut by_agent: BTreeMap<&str, (Points, Points)> = BTreeMap::new();
        for ((ag, day), (n, ok, ds_, dn)) in map {
            let t = day * Timestamp::DAY_MS;
            let e = by_agent.entry(ag.as_str()).or_default();
            if let Some(r) = ratio(*ok, *n) {
                e.0.push((t, r));
            }
            if *dn > 0 {
                e.1.push((t, ds_ / *dn as f64));
            }
        }
        for (ag, (sr, du)) in by_agent {
            let out = trends.entry(ag.to_string()).or_default();
            out.extend(trend_of("success_rate", gran, unit, &sr, true));
            out.extend(trend_of("avg_duration", gran, unit, &du, false));
        }
    }
    trends.retain(|_, v| !v.is_empty());
    (hist, trends, quality)
}

/// Quality trends per day: code quality, test coverage and security score
/// from dated agent profiles, and the operations' quality score. The slope is
/// the improvement rate per day; volatility is the standard deviation.
fn quality_trends(ds: &Dataset, ctx: &Ctx, ops_quality: QualityPts) -> Vec<Trend> {
    let mut code: QualityPts = BTreeMap::new();
    let mut cov: QualityPts = BTreeMap::new();
    let mut sec: QualityPts = BTreeMap::new();
    for p in &ds.agent_profiles {
        let Some(t) = p.time else { continue };
        if !ctx.in_period(Some(t)) || !ctx.passes_agent(p.agent) {
            continue;
        }
        let day = t.0.div_euclid(Timestamp::DAY_MS);
        for (map, v) in [
            (&mut code, p.code_quality_score),
            (&mut cov, p.test_coverage),
            (&mut sec, p.security_score),
        ] {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                let e = map.entry(day).or_default();
                e.0 += v;
                e.1 += 1;
            }
        }
    }
    let pts = |m: &QualityPts| -> Vec<(i64, f64)> {
        m.iter()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(d, (s, n))| (d * Timestamp::DAY_MS, s / *n as f64))
            .collect()
    };
    let mut out = Vec::new();
    for (name, m) in [
        ("code_quality", &code),
        ("test_coverage", &cov),
        ("security_score", &sec),
        ("quality_score", &ops_quality),
    ] {
        out.extend(trend_of(name, "day", Timestamp::DAY_MS, &pts(m), true));
    }
    out
}
