//! From partial aggregates to the finished [`Analysis`]; the definitions
//! are documented on the [`crate::analysis`] module.

use std::collections::BTreeMap;

use super::partial::{Acc, Ctx, FxMap, Partial};
use super::pricing;
use super::stats::{
    direction, mean, month_start_day, percentile, rate_cache_hit, rate_error, rate_success, ratio,
    slope, std_dev,
};
use super::types::*;
use crate::model::{Aggregate, AggregateScope, Dataset, Outcome, Sym, Timestamp, Tokens};

/// Operation and phase bottlenecks kept (highest impact first).
pub const MAX_OPERATION_BOTTLENECKS: usize = 20;
/// Finished operations a kind or agent needs before success rules judge it.
pub const MIN_SAMPLES: u64 = 3;

/// Analyses the dataset for the period and filters of `opts`.
pub fn analyze(ds: &Dataset, opts: &AnalysisOptions) -> Analysis {
    let ctx = Ctx::new(ds, opts);
    let partial =
        Partial::build_chunked(&ctx, &ds.operations, opts.thresholds.max_operation_seconds);
    finish(ds, opts, &ctx, partial)
}

fn rfc(t: i64) -> String {
    Timestamp(t).to_rfc3339()
}

fn date_of_day(day: i64) -> String {
    let (y, m, d) = super::stats::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn totals(t: Tokens) -> TokenTotals {
    TokenTotals {
        input: t.input,
        output: t.output,
        cache_read: t.cache_read,
        cache_write: t.cache_write,
    }
}

fn pct(x: f64) -> f64 {
    x * 100.0
}

/// Finished figures of each group of a map.
fn stats_of<K>(groups: FxMap<K, Acc>) -> Vec<(K, GroupStats)> {
    groups
        .into_iter()
        .map(|(k, v)| (k, group_stats(v)))
        .collect()
}

/// Finished figures of one group.
pub fn group_stats(mut a: Acc) -> GroupStats {
    let p50 = percentile(&mut a.durations, 0.5);
    let p95 = percentile(&mut a.durations, 0.95);
    GroupStats {
        count: a.finished,
        success_count: a.succeeded,
        failure_count: a.failed,
        running: a.running,
        success_rate: ratio(a.succeeded, a.finished),
        retry_rate: ratio(a.with_retries, a.finished),
        retries: a.retries,
        avg_duration: a.avg_duration(),
        min_duration: a.dur_min,
        max_duration: a.dur_max,
        p50_duration: p50,
        p95_duration: p95,
        total_cost: a.cost(),
        total_tokens: (a.tokens_n > 0).then(|| a.all_tokens()),
        tokens: (a.categorized_n > 0).then(|| totals(a.tokens)),
        cache_hit_rate: ratio(a.cache_hits, a.cache_reported),
        files_created: (a.files_created.0 > 0).then_some(a.files_created.1),
        files_modified: (a.files_modified.0 > 0).then_some(a.files_modified.1),
        avg_quality_score: mean(a.quality.1, a.quality.0),
        conflicts: (a.conflicts.0 > 0).then_some(a.conflicts.1),
        self_healed: (a.healed.0 > 0).then_some(a.healed.1),
    }
}

fn ratings(success: Option<f64>, cache: Option<f64>, error: Option<f64>) -> Ratings {
    Ratings {
        success_rate: success.map(rate_success),
        cache_hit_rate: cache.map(rate_cache_hit),
        error_rate: error.map(rate_error),
    }
}

fn overall_of(a: &mut Acc) -> Overall {
    let success_rate = ratio(a.succeeded, a.finished);
    let error_rate = ratio(a.failed, a.finished);
    let cache_hit_rate = ratio(a.cache_hits, a.cache_reported);
    Overall {
        total_operations: a.finished,
        succeeded: a.succeeded,
        failed: a.failed,
        running: a.running,
        success_rate,
        error_rate,
        retry_rate: ratio(a.with_retries, a.finished),
        avg_duration: a.avg_duration(),
        p50_duration: percentile(&mut a.durations, 0.5),
        p95_duration: percentile(&mut a.durations, 0.95),
        p99_duration: percentile(&mut a.durations, 0.99),
        max_duration: a.dur_max,
        cache_hit_rate,
        ratings: ratings(success_rate, cache_hit_rate, error_rate),
    }
}

/// Work-item figures of a selection.
struct WorkSel<'a> {
    items: Vec<&'a crate::model::WorkItem>,
}

impl WorkSel<'_> {
    fn in_span(&self, from_excl: i64, to_incl: i64) -> (u64, u64, u64, Option<u64>) {
        let mut n = 0;
        let mut ok = 0;
        let mut ko = 0;
        let mut prs: Option<u64> = None;
        for w in &self.items {
            if w.start.is_some_and(|t| t.0 > from_excl && t.0 <= to_incl) {
                n += 1;
                match w.outcome {
                    Some(Outcome::Success) => ok += 1,
                    Some(Outcome::Failure) => ko += 1,
                    _ => {}
                }
                if let Some(p) = w.prs_merged {
                    prs = Some(prs.unwrap_or(0) + u64::from(p));
                }
            }
        }
        (n, ok, ko, prs)
    }
}

fn window(a: &Acc, from_excl: i64, to_incl: i64, start_shown: i64, work: &WorkSel) -> Window {
    let (wn, wok, wko, prs) = work.in_span(from_excl, to_incl);
    Window {
        start: Some(rfc(start_shown)),
        end: Some(rfc(to_incl)),
        total_operations: a.finished,
        succeeded: a.succeeded,
        failed: a.failed,
        success_rate: ratio(a.succeeded, a.finished),
        error_rate: ratio(a.failed, a.finished),
        avg_duration: a.avg_duration(),
        cache_hit_rate: ratio(a.cache_hits, a.cache_reported),
        cost: a.cost(),
        tokens: (a.tokens_n > 0).then(|| a.all_tokens()),
        work_items: wn,
        work_items_succeeded: wok,
        work_items_failed: wko,
        prs_merged: prs,
        ratings: ratings(
            ratio(a.succeeded, a.finished),
            ratio(a.cache_hits, a.cache_reported),
            ratio(a.failed, a.finished),
        ),
    }
}

fn llm_label(llm: &crate::model::LlmConfig) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(p) = &llm.provider {
        parts.push(p.clone());
    }
    if let Some(m) = &llm.model {
        parts.push(m.clone());
    }
    if let Some(t) = llm.temperature.filter(|t| t.is_finite()) {
        parts.push(format!("{t}"));
    }
    (!parts.is_empty()).then(|| parts.join(" / "))
}

/// Lenient period test for records that often carry no time (profiles,
/// communication, patterns): no time means "applies to any period".
fn in_period_lenient(ctx: &Ctx, time: Option<Timestamp>) -> bool {
    time.is_none() || ctx.in_period(time)
}

/// Finishes an analysis from the partial aggregates of the selected operations.
pub fn finish(ds: &Dataset, opts: &AnalysisOptions, ctx: &Ctx, mut p: Partial) -> Analysis {
    let name = |s: Sym| ds.name(s).to_string();
    let op_ref = |i: usize| -> Option<OperationRef> {
        let op = ds.operations.get(i)?;
        Some(OperationRef {
            id: name(op.id),
            kind: name(op.kind),
            agent: name(op.agent),
            session: op.session.map(name),
            model: op.model.map(name),
            start: op.start.map(|t| t.to_rfc3339()),
            duration: op.duration,
            cost: ctx.cost(op).effective,
            outcome: op.outcome,
            error_type: op.error_type.map(name),
            error_message: op.error_message.clone(),
        })
    };
    let mut a = Analysis {
        period_days: opts.period_days,
        now: ctx.now.map(|t| t.to_rfc3339()),
        ..Analysis::default()
    };

    // Data span and period.
    let operation_spans = crate::par::map_chunks(&ds.operations, |_, ops| {
        let times = ops.iter().flat_map(|o| [o.start, o.end]).flatten();
        times.fold(None, |span: Option<(Timestamp, Timestamp)>, t| {
            Some(span.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
        })
    });
    let times = operation_spans
        .into_iter()
        .flatten()
        .flat_map(|(lo, hi)| [Some(lo), Some(hi)])
        .chain(ds.sessions.iter().flat_map(|s| [s.start, s.end]))
        .chain(
            ds.aggregates
                .iter()
                .flat_map(|g| [g.period_start, g.period_end]),
        )
        .chain(ds.work_items.iter().map(|w| w.start))
        .flatten();
    let (mut lo, mut hi) = (None::<i64>, None::<i64>);
    for t in times {
        lo = Some(lo.map_or(t.0, |x| x.min(t.0)));
        hi = Some(hi.map_or(t.0, |x| x.max(t.0)));
    }
    a.data_span = Period {
        start: lo.map(rfc),
        end: hi.map(rfc),
    };
    a.period = Period {
        start: ctx
            .period_start
            .map(rfc)
            .or_else(|| a.data_span.start.clone()),
        end: ctx.now.map(|t| t.to_rfc3339()),
    };
    a.sources = ds
        .sources
        .iter()
        .map(|s| SourceSummary {
            name: s.name.clone(),
            format: s.format,
            records: s.counts.read,
            imported: s.counts.imported,
            duplicates: s.counts.duplicates,
            skipped: s.counts.skipped,
        })
        .collect();

    // Top-N lists.
    a.slowest_operations = p.slowest.items.iter().filter_map(|x| op_ref(x.1)).collect();
    a.most_expensive_operations = p
        .expensive
        .items
        .iter()
        .filter_map(|x| op_ref(x.1))
        .collect();
    a.recent_failures = p
        .failures
        .items
        .iter()
        .filter_map(|x| op_ref(x.1))
        .collect();
    a.recent_completions = p
        .completions
        .items
        .iter()
        .filter_map(|x| op_ref(x.1))
        .collect();
    a.current_work = p.running.items.iter().filter_map(|x| op_ref(x.1)).collect();
    for (k, v) in &p.errors {
        let key = k.map_or_else(|| "unspecified".to_string(), name);
        *a.errors_by_type.entry(key).or_insert(0) += v;
    }

    // Overall and costs.
    a.overall = overall_of(&mut p.overall);
    let o = &p.overall;
    let mut unpriced: Vec<String> = p
        .unpriced_models
        .keys()
        .map(|m| m.map_or_else(|| "(no model)".to_string(), name))
        .collect();
    crate::sort::sort(&mut unpriced);
    a.costs = Costs {
        total_cost: o.cost(),
        total_tokens: (o.tokens_n > 0).then(|| o.all_tokens()),
        avg_cost_per_operation: mean(o.cost_finished_sum, o.cost_finished_n),
        last_7_days: p.last_7.cost(),
        last_30_days: p.last_30.cost(),
        monthly_projection: p.last_30.cost().map(|c| c / 30.0 * 30.0),
        today: p.today.cost(),
        daily_budget: opts.daily_budget,
        tokens: totals(o.tokens),
        recorded_cost: (o.recorded_n > 0).then_some(o.recorded_sum),
        computed_cost: (o.computed_n > 0).then_some(o.computed_sum),
        unpriced_models: unpriced,
        unpriced_operations: o.unpriced,
        pricing_date: pricing::pricing_date().to_string(),
        pricing_source: pricing::pricing_source().to_string(),
        unpriced_tokens: o.unpriced_tokens,
        tokens_uncategorized: o.uncategorized,
    };

    // Groups.
    // Session figures without their samples (the rules need sums only);
    // the samples go back with each session's summary.
    let mut session_accs: FxMap<Sym, Acc> = std::mem::take(&mut p.sessions);
    let mut session_durs: FxMap<Sym, Vec<f64>> = session_accs
        .iter_mut()
        .map(|(k, v)| (*k, std::mem::take(&mut v.durations)))
        .collect();
    let kind_means: FxMap<Sym, (u64, f64)> = p
        .kinds
        .iter()
        .map(|(k, v)| (*k, (v.dur_n, v.avg_duration().unwrap_or(0.0))))
        .collect();
    // Percentiles select over every sample of every group: on two threads
    // when there are many.
    let (kinds, agents, models, kind_agent) = (
        std::mem::take(&mut p.kinds),
        std::mem::take(&mut p.agents),
        std::mem::take(&mut p.models),
        std::mem::take(&mut p.kind_agent),
    );
    let ((kinds, models), (agents, kind_agent)) = crate::par::join(
        p.overall.durations.len() > crate::par::CHUNK,
        || (stats_of(kinds), stats_of(models)),
        || (stats_of(agents), stats_of(kind_agent)),
    );
    for (k, v) in kinds {
        a.operations.insert(name(k), v);
    }
    for (k, v) in agents {
        a.agents.insert(name(k), v);
    }
    for (k, v) in models {
        a.models.insert(name(k), v);
    }
    for ((k, ag), v) in kind_agent {
        a.kind_agent.entry(name(k)).or_default().insert(name(ag), v);
    }

    // Work items, pipelines, debugging.
    let work = WorkSel {
        items: ds
            .work_items
            .iter()
            .filter(|w| ctx.passes_session(w.session))
            .collect(),
    };
    let period_items: Vec<&crate::model::WorkItem> = work
        .items
        .iter()
        .copied()
        .filter(|w| ctx.in_period(w.start))
        .collect();
    let mut wi_dur = (0u64, 0.0f64);
    let mut prs: Option<u64> = None;
    for w in &period_items {
        a.work_items.processed += 1;
        match w.outcome {
            Some(Outcome::Success) => a.work_items.succeeded += 1,
            Some(Outcome::Failure) => a.work_items.failed += 1,
            _ => {}
        }
        if let Some(d) = w.duration.filter(|d| d.is_finite()) {
            wi_dur.0 += 1;
            wi_dur.1 += d;
        }
        if let Some(x) = w.prs_merged {
            prs = Some(prs.unwrap_or(0) + u64::from(x));
        }
    }
    a.work_items.avg_duration = mean(wi_dur.1, wi_dur.0);
    a.work_items.prs_merged = prs;
    let item_session = |wi: Option<Sym>| -> Option<Sym> {
        wi.and_then(|w| ds.work_item_index.get(&w))
            .and_then(|&i| ds.work_items.get(i))
            .and_then(|w| w.session)
    };
    let session_ok =
        |wi: Option<Sym>| !has_session_filter(opts) || ctx.passes_session(item_session(wi));
    let mut first: FxMap<Sym, (u32, Outcome)> = FxMap::default();
    for pl in &ds.pipelines {
        if !ctx.in_period(pl.time) || !session_ok(pl.work_item) {
            continue;
        }
        a.pipelines.attempts += 1;
        match pl.outcome {
            Outcome::Success => a.pipelines.succeeded += 1,
            Outcome::Failure => a.pipelines.failed += 1,
            Outcome::Running => {}
        }
        if let Some(w) = pl.work_item {
            let e = first.entry(w).or_insert((pl.sequence, pl.outcome));
            if pl.sequence < e.0 {
                *e = (pl.sequence, pl.outcome);
            }
        }
    }
    let finished_pl = a.pipelines.succeeded + a.pipelines.failed;
    a.pipelines.success_rate = ratio(a.pipelines.succeeded, finished_pl);
    let first_ok = first.values().filter(|v| v.1 == Outcome::Success).count() as u64;
    let first_done = first.values().filter(|v| v.1 != Outcome::Running).count() as u64;
    a.pipelines.first_pass_rate = ratio(first_ok, first_done);
    let mut dbg_items: crate::analysis::partial::FxSet<Sym> = Default::default();
    let mut attempts = 0u64;
    for c in &ds.debugging {
        if !ctx.in_period(c.time) || !ctx.passes_agent(Some(c.agent)) || !session_ok(c.work_item) {
            continue;
        }
        a.debugging.cycles += 1;
        a.debugging.resolved += u64::from(c.resolved);
        attempts += u64::from(c.attempts);
        if let Some(w) = c.work_item {
            dbg_items.insert(w);
        }
    }
    a.debugging.success_rate = ratio(a.debugging.resolved, a.debugging.cycles);
    a.debugging.avg_attempts = mean(attempts as f64, a.debugging.cycles);
    let denominator = if a.work_items.processed > 0 {
        a.work_items.processed
    } else {
        dbg_items.len() as u64
    };
    a.debugging.cycles_per_work_item = if a.debugging.cycles > 0 || a.work_items.processed > 0 {
        ratio(a.debugging.cycles, denominator)
    } else {
        None
    };

    // Time buckets.
    let mut wi_by_day: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for w in &period_items {
        if let Some(t) = w.start {
            let e = wi_by_day.entry(t.day_index()).or_insert((0, 0));
            e.0 += 1;
            e.1 += u64::from(w.prs_merged.unwrap_or(0));
        }
    }
    let bucket = |start_ms: i64, start: String, acc: Option<&Acc>, wi: (u64, u64)| {
        let empty = Acc::default();
        let acc = acc.unwrap_or(&empty);
        TimeBucket {
            start,
            start_ms,
            count: acc.finished,
            success_count: acc.succeeded,
            failure_count: acc.failed,
            success_rate: ratio(acc.succeeded, acc.finished),
            avg_duration: acc.avg_duration(),
            cost: acc.cost(),
            tokens: totals(acc.tokens),
            tokens_uncategorized: acc.uncategorized,
            work_items: wi.0,
            prs_merged: wi.1,
        }
    };
    let day_ms = Timestamp::DAY_MS;
    let mut hours: Vec<_> = p.hours.iter().collect();
    crate::sort::sort_by_key(&mut hours, |x| *x.0);
    a.by_hour = hours
        .into_iter()
        .map(|(k, v)| bucket(k * 3_600_000, rfc(k * 3_600_000), Some(v), (0, 0)))
        .collect();
    let mut day_keys: Vec<i64> = p
        .days
        .keys()
        .copied()
        .chain(wi_by_day.keys().copied())
        .collect();
    crate::sort::sort(&mut day_keys);
    day_keys.dedup();
    a.by_day = day_keys
        .iter()
        .map(|d| {
            let wi = wi_by_day.get(d).copied().unwrap_or((0, 0));
            bucket(d * day_ms, date_of_day(*d), p.days.get(d), wi)
        })
        .collect();
    let roll = |key_of: fn(i64) -> i64, start_of: fn(i64) -> i64, map: &FxMap<i64, Acc>| {
        let mut keys: Vec<i64> = map
            .keys()
            .copied()
            .chain(wi_by_day.keys().map(|d| key_of(*d)))
            .collect();
        crate::sort::sort(&mut keys);
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let mut wi = (0, 0);
                for (d, x) in &wi_by_day {
                    if key_of(*d) == k {
                        wi.0 += x.0;
                        wi.1 += x.1;
                    }
                }
                let sd = start_of(k);
                bucket(sd * day_ms, date_of_day(sd), map.get(&k), wi)
            })
            .collect::<Vec<_>>()
    };
    let mut weeks: FxMap<i64, Acc> = FxMap::default();
    let mut months: FxMap<i64, Acc> = FxMap::default();
    for (d, acc) in &p.days {
        weeks
            .entry(super::stats::week_start(*d))
            .or_default()
            .merge(acc.clone());
        months
            .entry(super::stats::month_key(*d))
            .or_default()
            .merge(acc.clone());
    }
    a.by_week = roll(super::stats::week_start, |k| k, &weeks);
    a.by_month = roll(super::stats::month_key, month_start_day, &months);

    // Windows.
    if let Some(now) = ctx.now {
        let n = now.0;
        a.today = window(&p.today, ctx.today_start - 1, n, ctx.today_start, &work);
        a.last_7_days = window(&p.last_7, n - 7 * day_ms, n, n - 7 * day_ms, &work);
        a.previous_7_days = window(
            &p.prev_7,
            n - 14 * day_ms,
            n - 7 * day_ms,
            n - 14 * day_ms,
            &work,
        );
    }

    // Sessions and LLM comparison.
    let mut wi_by_session: FxMap<Sym, (u64, u64)> = FxMap::default();
    for w in &period_items {
        if let Some(s) = w.session {
            let e = wi_by_session.entry(s).or_insert((0, 0));
            e.0 += 1;
            e.1 += u64::from(w.outcome == Some(Outcome::Success));
        }
    }
    let mut active: FxMap<Sym, Vec<String>> = FxMap::default();
    for (s, ag) in &p.active {
        active.entry(*s).or_default().push(name(*ag));
    }
    let mut llm_groups: BTreeMap<String, (u64, Acc, u64, u64)> = BTreeMap::new();
    let mut listed: crate::analysis::partial::FxSet<Sym> = Default::default();
    let mut sessions: Vec<(Option<i64>, SessionSummary)> = Vec::new();
    for s in &ds.sessions {
        let acc = session_accs.get(&s.id);
        let include = ctx.passes_session(Some(s.id))
            && (acc.is_some() || (!ctx.has_op_filters() && ctx.in_period(s.start.or(s.end))));
        if !include {
            continue;
        }
        listed.insert(s.id);
        let mut acc = acc.cloned().unwrap_or_default();
        acc.durations = session_durs.remove(&s.id).unwrap_or_default();
        let llm = s.llm.as_ref().and_then(llm_label);
        if let Some(l) = &llm {
            let g = llm_groups
                .entry(l.clone())
                .or_insert_with(|| (0, Acc::default(), 0, 0));
            g.0 += 1;
            g.1.merge(acc.clone());
            let wi = wi_by_session.get(&s.id).copied().unwrap_or((0, 0));
            g.2 += wi.0;
            g.3 += wi.1;
        }
        let mut agents = active.get(&s.id).cloned().unwrap_or_default();
        crate::sort::sort(&mut agents);
        let duration = s.duration.or_else(|| match (s.start, s.end) {
            (Some(b), Some(e)) if e.0 >= b.0 => Some((e.0 - b.0) as f64 / 1000.0),
            _ => None,
        });
        let stats = group_stats(acc);
        sessions.push((
            s.start.map(|t| t.0),
            SessionSummary {
                id: name(s.id),
                status: s.status.clone(),
                outcome: s.outcome,
                start: s.start.map(|t| t.to_rfc3339()),
                end: s.end.map(|t| t.to_rfc3339()),
                duration,
                mode: s.mode.clone(),
                llm,
                description: s.description.clone(),
                conflicts: stats.conflicts,
                stats,
                current_phase: s.current_phase.clone(),
                progress: s.progress,
                active_agents: agents,
            },
        ));
    }
    for (sid, acc) in &session_accs {
        if listed.contains(sid) {
            continue;
        }
        let mut agents = active.get(sid).cloned().unwrap_or_default();
        crate::sort::sort(&mut agents);
        let mut acc = acc.clone();
        acc.durations = session_durs.remove(sid).unwrap_or_default();
        let stats = group_stats(acc);
        sessions.push((
            None,
            SessionSummary {
                id: name(*sid),
                status: None,
                outcome: None,
                start: None,
                end: None,
                duration: None,
                mode: None,
                llm: None,
                description: None,
                conflicts: stats.conflicts,
                stats,
                current_phase: None,
                progress: None,
                active_agents: agents,
            },
        ));
    }
    crate::sort::sort_by(&mut sessions, |x, y| {
        y.0.cmp(&x.0).then_with(|| x.1.id.cmp(&y.1.id))
    });
    a.sessions = sessions.into_iter().map(|x| x.1).collect();
    a.active_sessions = a
        .sessions
        .iter()
        .filter(|s| s.outcome == Some(Outcome::Running) || s.stats.running > 0)
        .cloned()
        .collect();
    a.llm_comparison = llm_groups
        .into_iter()
        .map(|(k, (runs, acc, wi, wok))| LlmComparison {
            configuration: k,
            runs,
            stats: group_stats(acc),
            work_items: wi,
            work_items_succeeded: wok,
        })
        .collect();

    // Pre-aggregated figures.
    a.aggregates = ds
        .aggregates
        .iter()
        .map(|g| aggregate_summary(ds, g))
        .collect();
    if p.has_operations() {
        a.figures_from = FiguresFrom::Operations;
    } else if !ds.aggregates.is_empty() && !ctx.has_filters() {
        from_aggregates(ds, ctx, &mut a);
    }

    recorded_profiles(ds, ctx, &mut a);
    super::extra::add(ds, ctx, &mut a);

    // Efficiency, trends, bottlenecks, recommendations, alerts, health, insights.
    a.efficiency = efficiency(ds, ctx, &a);
    a.trends = trends(&a);
    bottlenecks(ds, ctx, opts, &kind_means, &session_accs, &mut a);
    a.recommendations = recommendations(ds, ctx, opts, &p, &session_accs, &a);
    a.alerts = alerts(ds, ctx, opts, &p, &session_accs, &a, &op_ref);
    a.health = health(&a.alerts);
    a.insights = insights(&a);
    a
}

fn has_session_filter(opts: &AnalysisOptions) -> bool {
    !opts.filter.sessions.is_empty()
}

fn scope_parts(scope: &AggregateScope) -> (&'static str, Option<String>) {
    match scope {
        AggregateScope::Overall => ("overall", None),
        AggregateScope::Kind(n) => ("kind", Some(n.clone())),
        AggregateScope::Agent(n) => ("agent", Some(n.clone())),
        AggregateScope::Session(n) => ("session", Some(n.clone())),
        AggregateScope::Model(n) => ("model", Some(n.clone())),
        AggregateScope::ErrorType(n) => ("error_type", Some(n.clone())),
    }
}

fn aggregate_summary(ds: &Dataset, g: &Aggregate) -> AggregateSummary {
    let (scope, name) = scope_parts(&g.scope);
    AggregateSummary {
        source: ds
            .sources
            .get(g.source.0 as usize)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        origin: g.origin.clone(),
        scope: scope.to_string(),
        name,
        period_start: g.period_start.map(|t| t.to_rfc3339()),
        period_end: g.period_end.map(|t| t.to_rfc3339()),
        count: g.count,
        success_rate: agg_success_rate(g),
        avg_duration: g.avg_duration,
        total_cost: g.total_cost,
        total_tokens: g.total_tokens.or_else(|| g.tokens.map(|t| t.total())),
        used: false,
    }
}

fn agg_success_rate(g: &Aggregate) -> Option<f64> {
    g.success_rate.or_else(|| match (g.success_count, g.count) {
        (Some(s), Some(c)) => ratio(s, c),
        _ => None,
    })
}

fn agg_group(g: &Aggregate) -> GroupStats {
    let count = g.count.unwrap_or(0);
    let rate = agg_success_rate(g);
    let success = g
        .success_count
        .or_else(|| rate.map(|r| (r * count as f64).round() as u64))
        .unwrap_or(0)
        .min(count);
    GroupStats {
        count,
        success_count: success,
        failure_count: if g.success_count.is_some() || rate.is_some() {
            count - success
        } else {
            0
        },
        success_rate: rate,
        avg_duration: g.avg_duration,
        total_cost: g.total_cost,
        total_tokens: g.total_tokens.or_else(|| g.tokens.map(|t| t.total())),
        tokens: g.tokens.map(totals),
        cache_hit_rate: g.cache_hit_rate,
        ..GroupStats::default()
    }
}

/// Headline figures from pre-aggregated records (the period has no raw operations).
fn from_aggregates(ds: &Dataset, ctx: &Ctx, a: &mut Analysis) {
    // Per scope, the record with the largest count (then the latest end).
    let mut best: BTreeMap<(&'static str, Option<String>), usize> = BTreeMap::new();
    for (i, g) in ds.aggregates.iter().enumerate() {
        let in_scope = match (ctx.period_start, ctx.now) {
            (Some(start), Some(now)) => {
                let end = g.period_end.or(g.period_start);
                let begin = g.period_start.or(g.period_end);
                match (begin, end) {
                    (Some(b), Some(e)) => e.0 > start && b.0 <= now.0,
                    _ => true,
                }
            }
            _ => true,
        };
        if !in_scope {
            continue;
        }
        let key = scope_parts(&g.scope);
        let better = match best.get(&key).and_then(|&j| ds.aggregates.get(j)) {
            None => true,
            Some(h) => (g.count, g.period_end) > (h.count, h.period_end),
        };
        if better {
            best.insert(key, i);
        }
    }
    let informative = best.values().any(|&i| {
        ds.aggregates
            .get(i)
            .is_some_and(|g| g.count.is_some() || g.total_cost.is_some())
    });
    if !informative {
        return;
    }
    a.figures_from = FiguresFrom::Aggregates;
    let mut used = Vec::new();
    let mut sum = GroupStats::default();
    let mut sum_dur = (0u64, 0.0);
    let mut sum_from = "";
    for ((scope, n), &i) in &best {
        let Some(g) = ds.aggregates.get(i) else {
            continue;
        };
        used.push(i);
        let stats = agg_group(g);
        if let Some(n) = n {
            match *scope {
                "kind" => {
                    a.operations.insert(n.clone(), stats.clone());
                }
                "agent" => {
                    a.agents.insert(n.clone(), stats.clone());
                }
                "model" => {
                    a.models.insert(n.clone(), stats.clone());
                }
                "error_type" => {
                    if let Some(c) = g.count {
                        a.errors_by_type.insert(n.clone(), c);
                    }
                }
                _ => {}
            }
        }
        // Overall totals: sum agents (disjoint), else kinds, when no overall record.
        if *scope == "agent" && sum_from != "kind" || *scope == "kind" && sum_from.is_empty() {
            if sum_from.is_empty() {
                sum_from = scope;
            }
            if sum_from == *scope {
                sum.count += stats.count;
                sum.success_count += stats.success_count;
                sum.failure_count += stats.failure_count;
                if let Some(d) = stats.avg_duration {
                    sum_dur.0 += stats.count;
                    sum_dur.1 += d * stats.count as f64;
                }
                sum.total_cost = add_opt(sum.total_cost, stats.total_cost);
                sum.total_tokens = stats
                    .total_tokens
                    .map(|t| t + sum.total_tokens.unwrap_or(0))
                    .or(sum.total_tokens);
            }
        }
    }
    let overall_rec = best
        .get(&("overall", None))
        .and_then(|&i| ds.aggregates.get(i));
    let (stats, error_rate, avg_cost, tokens) = match overall_rec {
        Some(g) => (
            agg_group(g),
            g.error_rate,
            g.avg_cost_per_operation,
            g.tokens,
        ),
        None => {
            sum.success_rate = ratio(sum.success_count, sum.count);
            sum.avg_duration = mean(sum_dur.1, sum_dur.0);
            (sum, None, None, None)
        }
    };
    // error_rate = failed / total (PRODUCT.md), so 1 − success rate when the
    // success rate is known; a recorded error rate only otherwise.
    let error_rate = stats.success_rate.map(|s| 1.0 - s).or(error_rate);
    a.overall = Overall {
        total_operations: stats.count,
        succeeded: stats.success_count,
        failed: stats.failure_count,
        success_rate: stats.success_rate,
        error_rate,
        avg_duration: stats.avg_duration,
        cache_hit_rate: stats.cache_hit_rate,
        ratings: ratings(stats.success_rate, stats.cache_hit_rate, error_rate),
        ..Overall::default()
    };
    a.costs.total_cost = stats.total_cost;
    a.costs.recorded_cost = stats.total_cost;
    a.costs.total_tokens = stats.total_tokens;
    if let Some(t) = tokens {
        a.costs.tokens = totals(t);
    }
    a.costs.avg_cost_per_operation = avg_cost.or_else(|| match stats.total_cost {
        Some(c) if stats.count > 0 => Some(c / stats.count as f64),
        _ => None,
    });
    for i in used {
        if let Some(s) = a.aggregates.get_mut(i) {
            s.used = true;
        }
    }
}

fn add_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x + y),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Sum and count of the finite values.
fn finite_sum(values: impl Iterator<Item = f64>) -> (f64, u64) {
    values
        .filter(|v| v.is_finite())
        .fold((0.0, 0), |(s, n), v| (s + v, n + 1))
}

/// Mean of a set given its finite sum and count, leaving out one member `own`
/// (None when no other member is left).
fn mean_without(sum: f64, n: u64, own: f64) -> Option<f64> {
    if !own.is_finite() {
        return mean(sum, n);
    }
    mean(sum - own, n.checked_sub(1)?)
}

fn mean_of(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut n = 0u64;
    let mut s = 0.0;
    for v in values.filter(|v| v.is_finite()) {
        n += 1;
        s += v;
    }
    mean(s, n)
}

/// Seed 001 weights of the efficiency score.
pub const EFFICIENCY_WEIGHTS: [(&str, f64); 5] = [
    ("completion_rate", 0.3),
    ("quality_score", 0.25),
    ("collaboration_score", 0.2),
    ("error_rate_inverse", 0.15),
    ("response_time_inverse", 0.1),
];

fn efficiency(ds: &Dataset, ctx: &Ctx, a: &Analysis) -> BTreeMap<String, Efficiency> {
    let mut out = BTreeMap::new();
    let profiles: Vec<_> = ds
        .agent_profiles
        .iter()
        .filter(|p| {
            p.agent.is_some() && ctx.passes_agent(p.agent) && in_period_lenient(ctx, p.time)
        })
        .collect();
    let comms: Vec<_> = ds
        .communication
        .iter()
        .filter(|c| ctx.passes_session(c.session) || !ctx.has_filters())
        .filter(|c| in_period_lenient(ctx, c.time))
        .collect();
    let mut names: Vec<String> = a.agents.keys().cloned().collect();
    for p in &profiles {
        if let Some(s) = p.agent {
            names.push(ds.name(s).to_string());
        }
    }
    crate::sort::sort(&mut names);
    names.dedup();
    for agent in names {
        let sym = ds.names.get(&agent);
        let mine: Vec<_> = profiles.iter().filter(|p| p.agent == sym).collect();
        let ops = a.agents.get(&agent).filter(|g| g.count > 0);
        let completion = ops
            .and_then(|g| g.success_rate)
            .or_else(|| mean_of(mine.iter().filter_map(|p| p.completion_rate)));
        let quality = ops
            .and_then(|g| g.avg_quality_score)
            .or_else(|| {
                mean_of(
                    mine.iter()
                        .filter_map(|p| p.code_quality_score.or(p.quality_score)),
                )
            })
            .map(|q| (q / 100.0).clamp(0.0, 1.0));
        let collaboration = mean_of(mine.iter().filter_map(|p| p.collaboration_score))
            .map(|c| if c > 1.0 { c / 100.0 } else { c }.clamp(0.0, 1.0));
        let error_inv = ops
            .and_then(|g| ratio(g.failure_count, g.count))
            .or_else(|| mean_of(mine.iter().filter_map(|p| p.error_rate)))
            .map(|e| (1.0 - e).clamp(0.0, 1.0));
        let rt = mean_of(mine.iter().filter_map(|p| p.response_time));
        let rt_inv = rt
            .filter(|r| *r >= 0.0)
            .map(|r| if r > 0.0 { (1.0 / r).min(1.0) } else { 1.0 });
        let values = [completion, quality, collaboration, error_inv, rt_inv];
        let mut eff = Efficiency::default();
        let mut num = 0.0;
        let mut den = 0.0;
        for ((n, w), v) in EFFICIENCY_WEIGHTS.iter().zip(values) {
            match v {
                Some(v) => {
                    num += w * v;
                    den += w;
                    eff.inputs.push(EfficiencyInput {
                        name: (*n).to_string(),
                        value: v,
                        weight: *w,
                    });
                }
                None => eff.missing.push((*n).to_string()),
            }
        }
        eff.score = (den > 0.0).then(|| num / den * 100.0);
        // Collaboration effectiveness (seed 001): balance 0.4, response 0.3, success 0.3.
        let mut msgs = (0u64, 0u64);
        for c in &comms {
            for (s, m) in &c.messages_by_agent {
                if Some(*s) == sym {
                    msgs.0 += 1;
                    msgs.1 += m;
                }
            }
        }
        let per_session = if msgs.0 > 0 {
            Some(msgs.1 as f64 / msgs.0 as f64)
        } else {
            mean_of(
                mine.iter()
                    .filter_map(|p| p.messages_sent.map(|m| m as f64)),
            )
        };
        if let Some(m) = per_session {
            let comm_rt = mean_of(comms.iter().filter_map(|c| c.average_response_time));
            let terms = [
                (Some((m / 10.0).min(1.0)), 0.4),
                (comm_rt.or(rt).map(|r| (1.0 - r / 300.0).max(0.0)), 0.3),
                (completion, 0.3),
            ];
            let (mut n, mut d) = (0.0, 0.0);
            for (v, w) in terms {
                if let Some(v) = v {
                    n += v * w;
                    d += w;
                }
            }
            eff.collaboration_effectiveness = (d > 0.0).then(|| n / d * 100.0);
        }
        out.insert(agent, eff);
    }
    out
}

pub(super) fn trend_of(
    series: &str,
    granularity: &str,
    unit_ms: i64,
    pts: &[(i64, f64)],
    higher_is_better: bool,
) -> Option<Trend> {
    let first = pts.first()?.0;
    if pts.len() < 2 {
        return None;
    }
    let xy: Vec<(f64, f64)> = pts
        .iter()
        .map(|(t, v)| ((t - first) as f64 / unit_ms as f64, *v))
        .collect();
    let values: Vec<f64> = pts.iter().map(|p| p.1).collect();
    let s = slope(&xy);
    let m = values.iter().sum::<f64>() / values.len() as f64;
    let last = values.last().copied();
    let prev = values
        .len()
        .checked_sub(2)
        .and_then(|i| values.get(i))
        .copied();
    let change = match (last, prev) {
        (Some(l), Some(p)) if p != 0.0 => Some((l - p) / p.abs()),
        _ => None,
    };
    Some(Trend {
        series: series.to_string(),
        granularity: granularity.to_string(),
        direction: direction(s, values.len(), m, higher_is_better),
        slope: s,
        change,
        volatility: std_dev(&values),
        current: last,
    })
}

fn trends(a: &Analysis) -> Vec<Trend> {
    let mut out = Vec::new();
    let has_tokens = a.costs.total_tokens.is_some();
    for (gran, unit, buckets) in [
        ("day", Timestamp::DAY_MS, &a.by_day),
        ("week", 7 * Timestamp::DAY_MS, &a.by_week),
    ] {
        let with_ops: Vec<&TimeBucket> = buckets.iter().filter(|b| b.count > 0).collect();
        let sr: Vec<(i64, f64)> = with_ops
            .iter()
            .filter_map(|b| b.success_rate.map(|v| (b.start_ms, v)))
            .collect();
        let er: Vec<(i64, f64)> = with_ops
            .iter()
            .map(|b| (b.start_ms, b.failure_count as f64 / b.count.max(1) as f64))
            .collect();
        let du: Vec<(i64, f64)> = with_ops
            .iter()
            .filter_map(|b| b.avg_duration.map(|v| (b.start_ms, v)))
            .collect();
        let co: Vec<(i64, f64)> = buckets
            .iter()
            .filter_map(|b| b.cost.map(|v| (b.start_ms, v)))
            .collect();
        let tk: Vec<(i64, f64)> = if has_tokens {
            buckets
                .iter()
                .filter(|b| b.count > 0)
                .map(|b| {
                    let t = b.tokens;
                    (
                        b.start_ms,
                        (t.input as f64
                            + t.output as f64
                            + t.cache_read as f64
                            + t.cache_write as f64
                            + b.tokens_uncategorized as f64),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        for (name, pts, up) in [
            ("success_rate", sr, true),
            ("avg_duration", du, false),
            ("cost", co, false),
            ("tokens", tk, false),
            ("error_rate", er, false),
        ] {
            if let Some(t) = trend_of(name, gran, unit, &pts, up) {
                out.push(t);
            }
        }
    }
    out
}

fn fmt_dur(s: f64) -> String {
    if s >= 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 60.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{s:.1} s")
    }
}

fn bottlenecks(
    ds: &Dataset,
    ctx: &Ctx,
    opts: &AnalysisOptions,
    kind_means: &FxMap<Sym, (u64, f64)>,
    sessions: &FxMap<Sym, Acc>,
    a: &mut Analysis,
) {
    let name = |s: Sym| ds.name(s).to_string();
    // First the candidates as (impact, index, mean), then text for the kept ones.
    let parts = crate::par::map_chunks(&ds.operations, |at, ops| {
        let mut top = super::partial::TopK::new(MAX_OPERATION_BOTTLENECKS);
        let mut means: FxMap<usize, f64> = FxMap::default();
        let mut found = 0u64;
        for (i, op) in ops.iter().enumerate() {
            if !op.outcome.is_finished() || !ctx.passes(op) || !ctx.in_period(op.start.or(op.end)) {
                continue;
            }
            let Some(d) = op.duration.filter(|d| d.is_finite()) else {
                continue;
            };
            let phase = ctx.phase_sources.contains(&op.source.0) && op.session.is_some();
            let (n, m) = if phase {
                match op.session.and_then(|s| sessions.get(&s)) {
                    Some(acc) => (acc.dur_n, acc.avg_duration().unwrap_or(0.0)),
                    None => continue,
                }
            } else {
                match kind_means.get(&op.kind) {
                    Some(x) => *x,
                    None => continue,
                }
            };
            if n < 2 || m <= 0.0 || d <= 1.5 * m {
                continue;
            }
            found += 1;
            let index = at + i;
            top.offer((d / m - 1.0) * 100.0, index);
            if top.items.iter().any(|x| x.1 == index) {
                means.insert(index, m);
            }
        }
        (top, means, found)
    });
    let mut top = super::partial::TopK::new(MAX_OPERATION_BOTTLENECKS);
    let mut means: FxMap<usize, f64> = FxMap::default();
    let mut found = 0u64;
    for (t, m, f) in parts {
        top.merge(t);
        means.extend(m);
        found += f;
    }
    a.bottlenecks_omitted = found.saturating_sub(top.items.len() as u64);
    let mut out: Vec<Bottleneck> = Vec::new();
    for (impact, index) in top.items {
        let (Some(op), Some(&m)) = (ds.operations.get(index), means.get(&index)) else {
            continue;
        };
        let d = op.duration.unwrap_or(0.0);
        let phase = ctx.phase_sources.contains(&op.source.0) && op.session.is_some();
        let id = name(op.id);
        let kind = name(op.kind);
        let agent = name(op.agent);
        out.push(if phase {
            Bottleneck {
                kind: "phase_duration".into(),
                subject: id.clone(),
                value: d / 60.0,
                baseline: m / 60.0,
                unit: "min".into(),
                impact_score: impact,
                description: format!(
                    "Phase {id} ({agent}) taking {:.1} min (avg of the session's phases: {:.1} min)",
                    d / 60.0,
                    m / 60.0
                ),
                recommendations: vec![
                    format!("Split phase {id} into smaller phases that can run in parallel"),
                    format!("Review the workload given to {agent} in phase {id}"),
                    "Start the phases that do not depend on it earlier".into(),
                ],
            }
        } else {
            Bottleneck {
                kind: "operation_duration".into(),
                subject: id.clone(),
                value: d,
                baseline: m,
                unit: "s".into(),
                impact_score: impact,
                description: format!(
                    "Operation {id} ({kind}, {agent}) took {} against a {kind} mean of {}",
                    fmt_dur(d),
                    fmt_dur(m)
                ),
                recommendations: kind_advice(&kind),
            }
        });
    }

    // Agents slower or failing more than their peers.
    // Leave-one-out baselines from totals, so thousands of agents stay linear.
    let agents: Vec<(&String, &GroupStats)> = a.agents.iter().collect();
    let (avg_sum, avg_n) = finite_sum(agents.iter().filter_map(|(_, g)| g.avg_duration));
    let (all_failed, all_finished) = agents.iter().fold((0u64, 0u64), |acc, (_, o)| {
        (acc.0 + o.failure_count, acc.1 + o.count)
    });
    for (agent, g) in &agents {
        let Some(avg) = g.avg_duration else { continue };
        if let Some(base) = mean_without(avg_sum, avg_n, avg) {
            if base > 0.0 && avg > 1.5 * base {
                out.push(Bottleneck {
                    kind: "slow_agent".into(),
                    subject: (*agent).clone(),
                    value: avg,
                    baseline: base,
                    unit: "s".into(),
                    impact_score: (avg / base - 1.0) * 100.0,
                    description: format!(
                        "Agent {agent} averages {} per operation against {} for the other agents",
                        fmt_dur(avg),
                        fmt_dur(base)
                    ),
                    recommendations: vec![
                        format!("Give {agent} smaller tasks or split its work across more agents"),
                        format!("Check the tools and context size {agent} works with"),
                    ],
                });
            }
        }
    }
    for (agent, g) in &agents {
        if g.count < MIN_SAMPLES {
            continue;
        }
        let (of, on) = (
            all_failed.saturating_sub(g.failure_count),
            all_finished.saturating_sub(g.count),
        );
        let (Some(rate), Some(base)) = (ratio(g.failure_count, g.count), ratio(of, on)) else {
            continue;
        };
        if rate > base + 0.10 && rate > 1.5 * base {
            out.push(Bottleneck {
                kind: "failing_agent".into(),
                subject: (*agent).clone(),
                value: pct(rate),
                baseline: pct(base),
                unit: "%".into(),
                impact_score: pct(rate - base),
                description: format!(
                    "Agent {agent} fails {:.1} % of its operations against {:.1} % for the other agents",
                    pct(rate),
                    pct(base)
                ),
                recommendations: vec![
                    format!("Review the failures of {agent} by error type and fix the most common"),
                    format!("Route {agent}'s riskiest tasks to a more reliable agent meanwhile"),
                ],
            });
        }
    }
    // Kinds and patterns with low success.
    let mut low_kinds: Vec<String> = Vec::new();
    for (kind, g) in &a.operations {
        if g.count < MIN_SAMPLES {
            continue;
        }
        if let Some(s) = g.success_rate.filter(|s| *s < 0.85) {
            low_kinds.push(kind.clone());
            out.push(Bottleneck {
                kind: "low_success_kind".into(),
                subject: kind.clone(),
                value: pct(s),
                baseline: 85.0,
                unit: "%".into(),
                impact_score: (100.0 - pct(s)) * 2.0,
                description: format!(
                    "{kind} succeeds {:.1} % of the time ({} of {})",
                    pct(s),
                    g.success_count,
                    g.count
                ),
                recommendations: vec![
                    format!("Review the failure points of {kind}"),
                    format!("Break {kind} into smaller steps"),
                    format!("Add a quality gate before {kind}"),
                ],
            });
        }
    }
    for pat in &ds.patterns {
        let Some(s) = pat.success_rate.filter(|s| *s < 0.85) else {
            continue;
        };
        if low_kinds.contains(&pat.name) || a.operations.contains_key(&pat.name) {
            continue;
        }
        let first = pat
            .common_failure_points
            .first()
            .cloned()
            .unwrap_or_else(|| "its failure points".into());
        out.push(Bottleneck {
            kind: "low_success_kind".into(),
            subject: pat.name.clone(),
            value: pct(s),
            baseline: 85.0,
            unit: "%".into(),
            impact_score: (100.0 - pct(s)) * 2.0,
            description: format!(
                "Pattern \"{}\" has low success rate ({:.1} %)",
                pat.name,
                pct(s)
            ),
            recommendations: vec![
                format!(
                    "Review failure points: {}",
                    pat.common_failure_points.join(", ")
                ),
                "Consider breaking into smaller sub-patterns".into(),
                format!("Add additional quality gates for {first}"),
            ],
        });
    }
    // Communication delays.
    let limit = opts.thresholds.max_response_seconds;
    for c in &ds.communication {
        if !in_period_lenient(ctx, c.time) || !ctx.passes_session(c.session) && ctx.has_filters() {
            continue;
        }
        let Some(rt) = c
            .average_response_time
            .filter(|r| *r > limit && limit > 0.0)
        else {
            continue;
        };
        let subject = c.session.map_or_else(|| "communication".to_string(), name);
        out.push(Bottleneck {
            kind: "communication_delay".into(),
            subject: subject.clone(),
            value: rt,
            baseline: limit,
            unit: "s".into(),
            impact_score: (rt / limit - 1.0) * 100.0,
            description: format!(
                "Mean response time {} in {subject}, above the {} target",
                fmt_dur(rt),
                fmt_dur(limit)
            ),
            recommendations: vec![
                "Batch questions between agents instead of waiting turn by turn".into(),
                "Give agents the context they ask for up front".into(),
            ],
        });
    }
    // Integration conflicts.
    for (s, acc) in sessions {
        if acc.conflicts.1 == 0 || acc.conflicts.0 == 0 {
            continue;
        }
        let subject = name(*s);
        let per100 = acc.conflicts.1 as f64 / acc.conflicts.0 as f64 * 100.0;
        out.push(Bottleneck {
            kind: "integration_conflicts".into(),
            subject: subject.clone(),
            value: acc.conflicts.1 as f64,
            baseline: 0.0,
            unit: "conflicts".into(),
            impact_score: per100,
            description: format!(
                "{} integration conflicts in session {subject} ({per100:.1} per 100 operations)",
                acc.conflicts.1
            ),
            recommendations: vec![
                "Assign files to one agent at a time".into(),
                "Integrate more often in smaller steps".into(),
            ],
        });
    }
    crate::sort::sort_by(&mut out, |x, y| {
        y.impact_score
            .total_cmp(&x.impact_score)
            .then_with(|| x.kind.cmp(&y.kind))
            .then_with(|| x.subject.cmp(&y.subject))
    });
    a.bottlenecks = out;
}

fn kind_advice(kind: &str) -> Vec<String> {
    let k = kind.to_ascii_lowercase();
    if k.contains("test") {
        vec![
            format!("Increase parallelism of {kind}"),
            format!("Run only the tests affected by the change in {kind}"),
        ]
    } else {
        vec![
            format!("Split long {kind} operations into smaller steps"),
            format!("Set a timeout on {kind} and retry with a smaller scope"),
        ]
    }
}

fn recommendations(
    ds: &Dataset,
    ctx: &Ctx,
    opts: &AnalysisOptions,
    p: &Partial,
    sessions: &FxMap<Sym, Acc>,
    a: &Analysis,
) -> Vec<Recommendation> {
    let name = |s: Sym| ds.name(s).to_string();
    let mut out = Vec::new();
    let rec = |kind: &str,
               subject: Option<String>,
               message: String,
               evidence: String,
               expected: &str,
               impact: f64| Recommendation {
        kind: kind.to_string(),
        subject,
        message,
        evidence,
        expected_impact: expected.to_string(),
        impact_score: impact,
    };
    // Low pattern success (seed 001).
    for (kind, g) in &a.operations {
        if g.count < MIN_SAMPLES {
            continue;
        }
        if let Some(s) = g.success_rate.filter(|s| *s < 0.85) {
            out.push(rec(
                "low_pattern_success",
                Some(kind.clone()),
                format!("{kind} has a low success rate: review its failure points, break it into smaller steps and add a quality gate"),
                format!("{:.1} % success ({} of {} operations)", pct(s), g.success_count, g.count),
                "+15-25% success rate",
                (100.0 - pct(s)) * 2.0,
            ));
        }
    }
    for pat in &ds.patterns {
        if a.operations.contains_key(&pat.name) {
            continue;
        }
        if let Some(s) = pat.success_rate.filter(|s| *s < 0.85) {
            out.push(rec(
                "low_pattern_success",
                Some(pat.name.clone()),
                format!("Pattern \"{}\" has a low success rate: review failure points ({}) and consider smaller sub-patterns", pat.name, pat.common_failure_points.join(", ")),
                format!("{:.1} % success over {} executions", pct(s), pat.total_executions.unwrap_or(0)),
                "+15-25% success rate",
                (100.0 - pct(s)) * 2.0,
            ));
        }
    }
    // Cache hit rate (seed 000).
    if let Some(r) = a.overall.cache_hit_rate {
        if r < 0.70 {
            let (kind, msg) = if r < 0.50 {
                (
                    "low_cache_hit_rate",
                    "Cache hit rate is poor: cache stable data longer and reuse prompts",
                )
            } else {
                (
                    "improve_cache_hit_rate",
                    "Cache hit rate could be improved: increase the cache TTL for stable data",
                )
            };
            out.push(rec(
                kind,
                None,
                msg.to_string(),
                format!("cache hit rate {:.1} % (target above 70 %)", pct(r)),
                "fewer API calls and lower cost",
                (0.70 - r) * 100.0,
            ));
        }
    }
    // Recurring error patterns (same type 3 times or more).
    let finished = a.overall.total_operations;
    let mut errs: Vec<(&Option<Sym>, &u64)> = p
        .errors
        .iter()
        .filter(|(k, v)| k.is_some() && **v >= 3)
        .collect();
    crate::sort::sort_by(&mut errs, |x, y| y.1.cmp(x.1).then_with(|| x.0.cmp(y.0)));
    for (k, v) in errs {
        let Some(k) = k else { continue };
        let e = name(*k);
        let share = ratio(*v, finished).unwrap_or(0.0);
        out.push(rec(
            "recurring_error",
            Some(e.clone()),
            format!(
                "Recurring error {e}: find its root cause and add a guard or a retry policy for it"
            ),
            format!(
                "{v} failures of type {e} ({:.1} % of operations)",
                pct(share)
            ),
            "fewer failures and retries",
            pct(share) * 2.0,
        ));
    }
    // Expensive operations: cost per operation above twice the median of kinds.
    let mut per_op: Vec<(String, f64, u64)> = a
        .operations
        .iter()
        .filter_map(|(k, g)| {
            let c = g.total_cost?;
            let n = g.count + g.running;
            (n > 0).then(|| (k.clone(), c / n as f64, n))
        })
        .collect();
    if per_op.len() >= 3 {
        let mut v: Vec<f64> = per_op.iter().map(|x| x.1).collect();
        if let Some(median) = percentile(&mut v, 0.5).filter(|m| *m > 0.0) {
            crate::sort::sort_by(&mut per_op, |x, y| x.0.cmp(&y.0));
            for (k, c, n) in per_op {
                if c > 2.0 * median {
                    out.push(rec(
                        "expensive_operation",
                        Some(k.clone()),
                        format!("{k} costs far more per operation than the others: use a cheaper model or a smaller context for it"),
                        format!("${c:.4} per operation against a median of ${median:.4} over {n} operations"),
                        &format!("up to ${:.2} saved over the period at the median cost", (c - median) * n as f64),
                        (c / median - 1.0) * 20.0,
                    ));
                }
            }
        }
    }
    // Slow test runs.
    let (kind_sum, kind_n) = finite_sum(a.operations.values().filter_map(|o| o.avg_duration));
    for (k, g) in &a.operations {
        if !k.to_ascii_lowercase().contains("test") {
            continue;
        }
        let Some(avg) = g.avg_duration else { continue };
        let others = mean_without(kind_sum, kind_n, avg);
        if let Some(base) = others.filter(|b| *b > 0.0 && avg > 1.5 * *b) {
            out.push(rec(
                "slow_tests",
                Some(k.clone()),
                format!("Increase parallelism of {k}, run only affected tests, or raise its timeout for complex issues"),
                format!("{k} averages {} against {} for other operations", fmt_dur(avg), fmt_dur(base)),
                "shorter cycle time",
                (avg / base - 1.0) * 50.0,
            ));
        }
    }
    // Token warning threshold (seed 003).
    let limit = opts.thresholds.max_session_tokens;
    let mut over: Vec<(String, u64)> = sessions
        .iter()
        .filter(|(_, acc)| acc.tokens_n > 0 && acc.all_tokens() as f64 > limit)
        .map(|(s, acc)| (name(*s), acc.all_tokens()))
        .collect();
    if !over.is_empty() {
        crate::sort::sort_by(&mut over, |x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        let with_tokens = sessions.values().filter(|x| x.tokens_n > 0).count() as u64;
        let share = ratio(over.len() as u64, with_tokens).unwrap_or(0.0);
        let (top, top_n) = over.first().cloned().unwrap_or_default();
        out.push(rec(
            "token_threshold",
            Some(top.clone()),
            "Sessions exceed the token warning threshold: trim context, summarise history and split large tasks".to_string(),
            format!("{} session(s) above {limit:.0} tokens; largest {top} with {top_n}", over.len()),
            "lower token use and cost",
            pct(share) * 0.5,
        ));
    }
    // Cheaper model for an agent whose tasks are short.
    for ((agent, model), acc) in &p.agent_model {
        let Some(price) = ctx.prices.get(model).and_then(|x| x.as_ref()) else {
            continue;
        };
        if price.output < 10.0 || acc.finished < MIN_SAMPLES || acc.tokens_n == 0 {
            continue;
        }
        let out_per_op = acc.tokens.output as f64 / acc.tokens_n as f64;
        let short = acc.avg_duration().is_none_or(|d| d < 60.0);
        if out_per_op >= 2000.0 || !short {
            continue;
        }
        let m = name(*model);
        let cheaper = if m.contains("claude") {
            "claude-haiku-4-5"
        } else if m.contains("gemini") {
            "gemini-2.5-flash"
        } else {
            "gpt-5-mini"
        };
        let ag = name(*agent);
        let share = match (acc.cost(), a.costs.total_cost) {
            (Some(c), Some(t)) if t > 0.0 => c / t,
            _ => 0.0,
        };
        out.push(rec(
            "cheaper_model",
            Some(ag.clone()),
            format!("{ag}'s tasks are short: try {cheaper} instead of {m}"),
            format!(
                "{} operations, {out_per_op:.0} output tokens per operation, {} cost share {:.1} %",
                acc.finished,
                acc.avg_duration()
                    .map_or_else(|| "no durations".into(), |d| format!("{} mean", fmt_dur(d))),
                pct(share)
            ),
            "a large part of this agent's cost",
            pct(share),
        ));
    }
    // Failing agent.
    for (agent, g) in &a.agents {
        if g.count < MIN_SAMPLES {
            continue;
        }
        if let Some(e) =
            ratio(g.failure_count, g.count).filter(|e| *e > opts.thresholds.max_error_rate)
        {
            out.push(rec(
                "failing_agent",
                Some(agent.clone()),
                format!("{agent} fails often: review its prompts, tools and the error types of its failures"),
                format!("{:.1} % of {} operations failed", pct(e), g.count),
                "fewer failures and retries",
                pct(e) * 2.0,
            ));
        }
    }
    // Retries concentrated on one error type.
    let total_retries: u64 = p.retries_by_error.values().sum();
    if total_retries >= 3 {
        let top = p
            .retries_by_error
            .iter()
            .filter(|(k, _)| k.is_some())
            .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)));
        if let Some((Some(k), v)) = top {
            let share = *v as f64 / total_retries as f64;
            if share >= 0.5 {
                let e = name(*k);
                out.push(rec(
                    "retry_concentration",
                    Some(e.clone()),
                    format!("Most retries come from {e}: handle it before retrying (backoff, validation, a smaller request)"),
                    format!("{v} of {total_retries} retries ({:.0} %) follow {e}", pct(share)),
                    "fewer retries and faster operations",
                    pct(share),
                ));
            }
        }
    }
    crate::sort::sort_by(&mut out, |x, y| {
        y.impact_score
            .total_cmp(&x.impact_score)
            .then_with(|| x.kind.cmp(&y.kind))
            .then_with(|| x.subject.cmp(&y.subject))
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn alerts(
    ds: &Dataset,
    ctx: &Ctx,
    opts: &AnalysisOptions,
    p: &Partial,
    sessions: &FxMap<Sym, Acc>,
    a: &Analysis,
    op_ref: &dyn Fn(usize) -> Option<OperationRef>,
) -> Vec<Alert> {
    let th = &opts.thresholds;
    let name = |s: Sym| ds.name(s).to_string();
    let mut out = Vec::new();
    let mut push = |kind: &str,
                    severity: Severity,
                    message: String,
                    value: f64,
                    threshold: f64,
                    subject: Option<String>,
                    action: &str| {
        out.push(Alert {
            kind: kind.to_string(),
            severity,
            message,
            value,
            threshold,
            subject,
            action: Some(action.to_string()),
        });
    };
    if let Some(s) = a.overall.success_rate {
        if s < th.min_success_rate {
            push(
                "low_success_rate",
                Severity::High,
                format!(
                    "Low success rate: {:.1} % (below {:.1} %)",
                    pct(s),
                    pct(th.min_success_rate)
                ),
                s,
                th.min_success_rate,
                None,
                "investigate_pattern_issues",
            );
        }
    }
    if let Some(e) = a.overall.error_rate {
        if e > th.critical_error_rate {
            push(
                "critical_error_rate",
                Severity::Critical,
                format!(
                    "Critical error rate: {:.1} % (above {:.1} %)",
                    pct(e),
                    pct(th.critical_error_rate)
                ),
                e,
                th.critical_error_rate,
                None,
                "immediate_investigation",
            );
        } else if e > th.max_error_rate {
            push(
                "high_error_rate",
                Severity::High,
                format!(
                    "High error rate: {:.1} % (above {:.1} %)",
                    pct(e),
                    pct(th.max_error_rate)
                ),
                e,
                th.max_error_rate,
                None,
                "investigate_failures",
            );
        }
    }
    if let (n, Some((d, i))) = p.long_ops {
        let id = op_ref(i).map(|r| r.id).unwrap_or_default();
        push(
            "long_duration",
            Severity::Medium,
            format!(
                "{n} operation(s) longer than {}; the longest, {id}, took {}",
                fmt_dur(th.max_operation_seconds),
                fmt_dur(d)
            ),
            d,
            th.max_operation_seconds,
            Some(id),
            "review_phase_optimization",
        );
    }
    for b in &a.by_day {
        if let Some(c) = b.cost.filter(|c| *c > th.max_daily_cost) {
            push(
                "daily_cost",
                Severity::High,
                format!(
                    "Cost on {} was ${c:.2} (above ${:.2})",
                    b.start, th.max_daily_cost
                ),
                c,
                th.max_daily_cost,
                Some(b.start.clone()),
                "review_spending",
            );
        }
    }
    let profiles: Vec<_> = ds
        .agent_profiles
        .iter()
        .filter(|x| ctx.passes_agent(x.agent) && in_period_lenient(ctx, x.time))
        .collect();
    let quality = if p.overall.quality.0 > 0 {
        mean(p.overall.quality.1, p.overall.quality.0)
    } else {
        mean_of(
            profiles
                .iter()
                .filter_map(|x| x.code_quality_score.or(x.quality_score)),
        )
    };
    if let Some(q) = quality.filter(|q| *q < th.min_code_quality) {
        push(
            "low_code_quality",
            Severity::Medium,
            format!(
                "Low code quality score: {q:.1} (below {:.0})",
                th.min_code_quality
            ),
            q,
            th.min_code_quality,
            None,
            "code_review_required",
        );
    }
    for x in &profiles {
        if let Some(n) = x
            .security_issues
            .filter(|n| *n as f64 > th.max_security_issues)
        {
            let who = x.agent.map(name);
            push(
                "security_issues",
                Severity::Critical,
                format!(
                    "{n} security issue(s) reported{}",
                    who.as_ref().map_or(String::new(), |w| format!(" for {w}"))
                ),
                n as f64,
                th.max_security_issues,
                who,
                "immediate_security_review",
            );
        }
    }
    for c in &ds.communication {
        if !in_period_lenient(ctx, c.time) || ctx.has_filters() && !ctx.passes_session(c.session) {
            continue;
        }
        if let Some(rt) = c
            .average_response_time
            .filter(|r| *r > th.max_response_seconds)
        {
            let who = c.session.map(name);
            push(
                "slow_response",
                Severity::Low,
                format!(
                    "Mean response time {} (above {})",
                    fmt_dur(rt),
                    fmt_dur(th.max_response_seconds)
                ),
                rt,
                th.max_response_seconds,
                who,
                "monitor_communication_efficiency",
            );
        }
    }
    for x in &profiles {
        if let Some(rt) = x.response_time.filter(|r| *r > th.max_response_seconds) {
            let who = x.agent.map(name);
            push(
                "slow_response",
                Severity::Low,
                format!(
                    "{} responds in {} (above {})",
                    who.clone().unwrap_or_default(),
                    fmt_dur(rt),
                    fmt_dur(th.max_response_seconds)
                ),
                rt,
                th.max_response_seconds,
                who,
                "monitor_communication_efficiency",
            );
        }
    }
    if p.overall.conflicts.0 > 0 && p.overall.conflicts.1 as f64 >= th.max_conflicts {
        let n = p.overall.conflicts.1;
        push(
            "conflicts",
            Severity::Medium,
            format!("{n} integration conflict(s) detected"),
            n as f64,
            th.max_conflicts,
            None,
            "conflict_resolution_required",
        );
    }
    let mut over: Vec<(String, u64)> = sessions
        .iter()
        .filter(|(_, x)| x.tokens_n > 0 && x.all_tokens() as f64 > th.max_session_tokens)
        .map(|(s, x)| (name(*s), x.all_tokens()))
        .collect();
    crate::sort::sort(&mut over);
    for (s, t) in over {
        push(
            "session_tokens",
            Severity::Low,
            format!(
                "Session {s} used {t} tokens (above {:.0})",
                th.max_session_tokens
            ),
            t as f64,
            th.max_session_tokens,
            Some(s),
            "reduce_context",
        );
    }
    crate::sort::sort_by(&mut out, |x, y| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| x.kind.cmp(&y.kind))
            .then_with(|| x.subject.cmp(&y.subject))
    });
    out
}

/// Health from the alerts: any critical ⇒ unhealthy; any high or medium ⇒ degraded.
pub fn health(alerts: &[Alert]) -> Health {
    let worst = alerts.iter().map(|a| a.severity).max();
    let status = match worst {
        Some(Severity::Critical) => HealthStatus::Unhealthy,
        Some(Severity::High) | Some(Severity::Medium) => HealthStatus::Degraded,
        _ => HealthStatus::Healthy,
    };
    let mut reasons: Vec<String> = alerts
        .iter()
        .filter(|a| a.severity >= Severity::Medium)
        .map(|a| a.message.clone())
        .collect();
    if reasons.is_empty() {
        let low = alerts.len();
        reasons.push(if low == 0 {
            "All systems operational".to_string()
        } else {
            format!("All systems operational ({low} low-severity alert(s))")
        });
    }
    Health { status, reasons }
}

fn insights(a: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    // Which LLM model has the highest success rate?
    let mut candidates: Vec<(String, f64, u64)> = a
        .models
        .iter()
        .filter_map(|(m, g)| g.success_rate.map(|s| (m.clone(), s, g.count)))
        .collect();
    if candidates.len() < 2 {
        let configs: Vec<(String, f64, u64)> = a
            .llm_comparison
            .iter()
            .filter_map(|c| {
                c.stats
                    .success_rate
                    .map(|s| (c.configuration.clone(), s, c.stats.count))
            })
            .collect();
        if !configs.is_empty() && configs.len() >= candidates.len() {
            candidates = configs;
        }
    }
    if candidates.len() >= 2 {
        crate::sort::sort_by(&mut candidates, |x, y| {
            y.1.total_cmp(&x.1)
                .then_with(|| y.2.cmp(&x.2))
                .then_with(|| x.0.cmp(&y.0))
        });
        if let (Some(best), Some(next)) = (candidates.first(), candidates.get(1)) {
            out.push(format!(
                "{} has the highest success rate: {:.1} % over {} operations (next: {} at {:.1} %).",
                best.0,
                pct(best.1),
                best.2,
                next.0,
                pct(next.1)
            ));
        }
    } else if let [only] = candidates.as_slice() {
        out.push(format!(
            "Only one model in the data: {} succeeds in {:.1} % of {} operations; load runs of other models to compare them.",
            only.0,
            pct(only.1),
            only.2
        ));
    } else if let [c] = a.llm_comparison.as_slice() {
        out.push(format!(
            "Only one LLM configuration in the data: {} ({} run(s), {} of {} work items succeeded); load runs of other configurations to compare them.",
            c.configuration, c.runs, c.work_items_succeeded, c.work_items
        ));
    }
    // What share of pipelines pass on the first attempt?
    if let Some(r) = a.pipelines.first_pass_rate {
        out.push(format!(
            "{:.1} % of work items pass their pipeline on the first attempt.",
            pct(r)
        ));
    }
    // How many debugging cycles per issue on average?
    if let (Some(c), true) = (a.debugging.cycles_per_work_item, a.debugging.cycles > 0) {
        out.push(format!(
            "Work items need {c:.2} debugging cycles on average ({} cycles, {} resolved).",
            a.debugging.cycles, a.debugging.resolved
        ));
    }
    // Which agent causes the most retries?
    let total: u64 = a.agents.values().map(|g| g.retries).sum();
    let top = a
        .agents
        .iter()
        .filter(|(_, g)| g.retries > 0)
        .max_by(|x, y| x.1.retries.cmp(&y.1.retries).then_with(|| y.0.cmp(x.0)));
    if let Some((agent, g)) = top {
        out.push(format!(
            "{agent} causes the most retries: {} of {total} ({:.0} %).",
            g.retries,
            pct(g.retries as f64 / total.max(1) as f64)
        ));
    }
    out
}

/// Patterns, agent profiles and communication as recorded, for display.
fn recorded_profiles(ds: &Dataset, ctx: &Ctx, a: &mut Analysis) {
    let name = |s: Sym| ds.name(s).to_string();
    a.patterns = ds
        .patterns
        .iter()
        .map(|p| PatternSummary {
            id: p.id.clone(),
            name: p.name.clone(),
            total_executions: p.total_executions,
            success_rate: p.success_rate,
            average_duration: p.average_duration,
            common_failure_points: p.common_failure_points.clone(),
            bottlenecks: p.bottlenecks.clone(),
            optimization_opportunities: p.optimization_opportunities.clone(),
            agents: p
                .agents
                .iter()
                .map(|x| PatternAgentSummary {
                    agent: x.agent.map(name).unwrap_or_default(),
                    success_rate: x.success_rate,
                    average_duration: x.average_duration,
                    quality_consistency: x.quality_consistency,
                })
                .collect(),
        })
        .collect();
    let mut by_agent: BTreeMap<String, Vec<&crate::model::AgentProfile>> = BTreeMap::new();
    for p in &ds.agent_profiles {
        if let Some(ag) = p.agent {
            if ctx.passes_agent(Some(ag)) && in_period_lenient(ctx, p.time) {
                by_agent.entry(name(ag)).or_default().push(p);
            }
        }
    }
    for (agent, ps) in by_agent {
        let avg = |f: fn(&crate::model::AgentProfile) -> Option<f64>| {
            mean_of(ps.iter().filter_map(|p| f(p)))
        };
        let sum = |f: fn(&crate::model::AgentProfile) -> Option<u64>| {
            ps.iter()
                .filter_map(|p| f(p))
                .fold(None, |acc: Option<u64>, v| {
                    Some(acc.unwrap_or(0).saturating_add(v))
                })
        };
        let mut task_types: Vec<String> = ps.iter().filter_map(|p| p.task_type.clone()).collect();
        crate::sort::sort(&mut task_types);
        task_types.dedup();
        a.agent_profiles.insert(
            agent,
            AgentProfileSummary {
                profiles: ps.len() as u64,
                task_types,
                completion_rate: avg(|p| p.completion_rate),
                average_task_duration: avg(|p| p.average_task_duration),
                quality_score: avg(|p| p.quality_score),
                error_rate: avg(|p| p.error_rate),
                retry_rate: avg(|p| p.retry_rate),
                messages_sent: sum(|p| p.messages_sent),
                messages_received: sum(|p| p.messages_received),
                response_time: avg(|p| p.response_time),
                collaboration_score: avg(|p| p.collaboration_score),
                files_created: sum(|p| p.files_created),
                code_quality_score: avg(|p| p.code_quality_score),
                test_coverage: avg(|p| p.test_coverage),
                security_score: avg(|p| p.security_score),
                security_issues: sum(|p| p.security_issues),
            },
        );
    }
    let comms: Vec<_> = ds
        .communication
        .iter()
        .filter(|c| in_period_lenient(ctx, c.time))
        .filter(|c| !ctx.has_filters() || ctx.passes_session(c.session))
        .collect();
    if !comms.is_empty() {
        let mut c = CommunicationSummary {
            records: comms.len() as u64,
            ..CommunicationSummary::default()
        };
        let mut edges: BTreeMap<(String, String), u64> = BTreeMap::new();
        for r in &comms {
            c.total_messages = c.total_messages.saturating_add(r.total_messages);
            for (t, n) in &r.messages_by_type {
                *c.messages_by_type.entry(t.clone()).or_insert(0) += n;
            }
            for (ag, n) in &r.messages_by_agent {
                *c.messages_by_agent.entry(name(*ag)).or_insert(0) += n;
            }
            for (f, t, n) in &r.edges {
                *edges.entry((name(*f), name(*t))).or_insert(0) += n;
            }
        }
        let mut e: Vec<(String, String, u64)> =
            edges.into_iter().map(|((f, t), n)| (f, t, n)).collect();
        crate::sort::sort_by(&mut e, |x, y| {
            y.2.cmp(&x.2).then_with(|| (&x.0, &x.1).cmp(&(&y.0, &y.1)))
        });
        c.edges = e;
        c.average_response_time = mean_of(comms.iter().filter_map(|r| r.average_response_time));
        c.efficiency = mean_of(comms.iter().filter_map(|r| r.efficiency));
        a.communication = Some(c);
    }
}
