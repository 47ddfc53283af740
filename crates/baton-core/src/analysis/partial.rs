//! Mergeable partial aggregates: one pass over a slice of operations builds a
//! [`Partial`]; partials of chunks merge into exactly the partial of the
//! whole (counts and samples exactly; float sums up to rounding).

use super::pricing::{cost_of, PriceTable};
use super::types::AnalysisOptions;
use super::{CostMode, ModelPrice};
use crate::model::{Dataset, Format, Operation, Outcome, Sym, Timestamp, Tokens};

pub use crate::hash::{FxMap, FxSet};

/// Everything the pass needs, prepared once from the options.
pub struct Ctx {
    /// "Now".
    pub now: Option<Timestamp>,
    /// Period start (exclusive), when a period is set.
    pub period_start: Option<i64>,
    /// Cost mode.
    pub mode: CostMode,
    /// Price of each model symbol met (None = unpriced).
    pub prices: FxMap<Sym, Option<ModelPrice>>,
    agents: Option<FxSet<Sym>>,
    models: Option<FxSet<Sym>>,
    kinds: Option<FxSet<Sym>>,
    sessions: Option<FxSet<Sym>>,
    /// Sources whose operations are session phases (seed 001).
    pub phase_sources: FxSet<u32>,
    /// Window bounds: today start (inclusive) and 7/14/30 days back (exclusive).
    pub today_start: i64,
}

fn sym_set(ds: &Dataset, names: &[String]) -> Option<FxSet<Sym>> {
    if names.is_empty() {
        return None;
    }
    Some(names.iter().filter_map(|n| ds.names.get(n)).collect())
}

impl Ctx {
    /// Prepares the context of an analysis.
    pub fn new(ds: &Dataset, opts: &AnalysisOptions) -> Ctx {
        let now = opts.now.map(Timestamp).or_else(|| ds.latest_timestamp());
        let period_start = match (opts.period_days, now) {
            (Some(days), Some(n)) => Some(n.0 - i64::from(days) * Timestamp::DAY_MS),
            _ => None,
        };
        let table = PriceTable::new(&opts.pricing.overrides);
        let mut prices: FxMap<Sym, Option<ModelPrice>> = FxMap::default();
        let models = crate::par::map_chunks(&ds.operations, |_, ops| {
            let mut seen: FxSet<Sym> = FxSet::default();
            seen.extend(ops.iter().filter_map(|op| op.model));
            seen
        });
        for m in models.into_iter().flatten() {
            prices
                .entry(m)
                .or_insert_with(|| table.lookup(ds.name(m)).cloned());
        }
        let phase_sources = ds
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.format == Format::DroidMetrics)
            .map(|(i, _)| i as u32)
            .collect();
        let today_start = now
            .map(|n| n.day_index() * Timestamp::DAY_MS)
            .unwrap_or(i64::MIN);
        Ctx {
            now,
            period_start,
            mode: opts.pricing.mode,
            prices,
            agents: sym_set(ds, &opts.filter.agents),
            models: sym_set(ds, &opts.filter.models),
            kinds: sym_set(ds, &opts.filter.kinds),
            sessions: sym_set(ds, &opts.filter.sessions),
            phase_sources,
            today_start,
        }
    }

    /// True when the operation passes the filters (period aside).
    pub fn passes(&self, op: &Operation) -> bool {
        self.agents.as_ref().is_none_or(|s| s.contains(&op.agent))
            && self.kinds.as_ref().is_none_or(|s| s.contains(&op.kind))
            && self
                .models
                .as_ref()
                .is_none_or(|s| op.model.is_some_and(|m| s.contains(&m)))
            && self
                .sessions
                .as_ref()
                .is_none_or(|s| op.session.is_some_and(|m| s.contains(&m)))
    }

    /// True when a session id passes the session filter.
    pub fn passes_session(&self, session: Option<Sym>) -> bool {
        self.sessions
            .as_ref()
            .is_none_or(|s| session.is_some_and(|m| s.contains(&m)))
    }

    /// True when an agent passes the agent filter.
    pub fn passes_agent(&self, agent: Option<Sym>) -> bool {
        self.agents
            .as_ref()
            .is_none_or(|s| agent.is_some_and(|m| s.contains(&m)))
    }

    /// True when any of the agent, model or kind filters is set.
    pub fn has_op_filters(&self) -> bool {
        self.agents.is_some() || self.models.is_some() || self.kinds.is_some()
    }

    /// True when any filter is set.
    pub fn has_filters(&self) -> bool {
        self.has_op_filters() || self.sessions.is_some()
    }

    /// True when a record at `time` belongs to the period: (now − N days, now].
    /// Records without a time belong only to the all-data period.
    pub fn in_period(&self, time: Option<Timestamp>) -> bool {
        match (self.period_start, self.now) {
            (Some(start), Some(now)) => time.is_some_and(|t| t.0 > start && t.0 <= now.0),
            _ => true,
        }
    }

    /// True when `time` lies in (now − days, now].
    pub fn in_last_days(&self, time: Option<Timestamp>, from_days: i64, to_days: i64) -> bool {
        match (self.now, time) {
            (Some(now), Some(t)) => {
                t.0 > now.0 - from_days * Timestamp::DAY_MS
                    && t.0 <= now.0 - to_days * Timestamp::DAY_MS
            }
            _ => false,
        }
    }

    /// The cost of an operation: (effective cost per the mode, recorded, computed, unpriced).
    pub fn cost(&self, op: &Operation) -> OpCost {
        let tokens = op.tokens.filter(|t| !t.is_zero());
        let computed = match (tokens, op.model) {
            (Some(t), Some(m)) => self
                .prices
                .get(&m)
                .and_then(|p| p.as_ref())
                .map(|p| cost_of(p, &t)),
            _ => None,
        };
        // Tokens recorded only as a total cannot be priced: an operation with
        // them and no usable cost is unpriced (its model is not listed as
        // unpriced unless its categorized tokens also lack a price).
        let uncategorized = op.tokens_uncategorized.is_some_and(|u| u > 0);
        let effective = match self.mode {
            CostMode::Auto => op.cost.or(computed),
            CostMode::Calculate => computed,
            CostMode::Display => op.cost,
        };
        let missing = effective.is_none() && self.mode != CostMode::Display;
        let unpriced_model = missing && tokens.is_some() && computed.is_none();
        OpCost {
            effective,
            recorded: op.cost,
            computed,
            unpriced: missing && (tokens.is_some() || uncategorized),
            unpriced_model,
        }
    }
}

/// The cost of one operation.
#[derive(Debug, Clone, Copy)]
pub struct OpCost {
    /// Per the cost mode.
    pub effective: Option<f64>,
    /// As recorded.
    pub recorded: Option<f64>,
    /// From tokens and prices.
    pub computed: Option<f64>,
    /// Tokens but no usable cost.
    pub unpriced: bool,
    /// Categorized tokens whose model has no price.
    pub unpriced_model: bool,
}

/// Figures of one group, mergeable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acc {
    /// Finished operations.
    pub finished: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed.
    pub failed: u64,
    /// Running.
    pub running: u64,
    /// Finished operations with retries > 0.
    pub with_retries: u64,
    /// Retries summed over finished operations.
    pub retries: u64,
    /// Finished operations with a duration.
    pub dur_n: u64,
    /// Their durations summed.
    pub dur_sum: f64,
    /// Shortest.
    pub dur_min: Option<f64>,
    /// Longest.
    pub dur_max: Option<f64>,
    /// Duration samples (groups with percentiles only).
    pub durations: Vec<f64>,
    /// Operations with a cost (per the mode).
    pub cost_n: u64,
    /// Their cost.
    pub cost_sum: f64,
    /// Finished operations with a cost.
    pub cost_finished_n: u64,
    /// Their cost.
    pub cost_finished_sum: f64,
    /// Operations with a recorded cost.
    pub recorded_n: u64,
    /// Recorded cost summed.
    pub recorded_sum: f64,
    /// Operations with a computed cost.
    pub computed_n: u64,
    /// Computed cost summed.
    pub computed_sum: f64,
    /// Operations with tokens but no cost.
    pub unpriced: u64,
    /// Their tokens.
    pub unpriced_tokens: u64,
    /// Operations with tokens (categorized or not).
    pub tokens_n: u64,
    /// Operations with tokens by category.
    pub categorized_n: u64,
    /// Tokens by category.
    pub tokens: Tokens,
    /// Tokens recorded only as a total (in totals, not in categories or costs).
    pub uncategorized: u64,
    /// Operations reporting a cache outcome.
    pub cache_reported: u64,
    /// Cache hits.
    pub cache_hits: u64,
    /// (records, sum) of files created.
    pub files_created: (u64, u64),
    /// (records, sum) of files modified.
    pub files_modified: (u64, u64),
    /// (records, sum) of quality scores.
    pub quality: (u64, f64),
    /// (records, sum) of conflicts.
    pub conflicts: (u64, u64),
    /// (records, self-healed) of the self-healing flag.
    pub healed: (u64, u64),
}

impl Acc {
    /// Adds one operation.
    #[inline]
    pub fn add(&mut self, op: &Operation, cost: &OpCost, samples: bool) {
        match op.outcome {
            Outcome::Running => self.running += 1,
            Outcome::Success | Outcome::Failure => {
                self.finished += 1;
                if op.outcome == Outcome::Success {
                    self.succeeded += 1;
                } else {
                    self.failed += 1;
                }
                if op.retries > 0 {
                    self.with_retries += 1;
                    self.retries += u64::from(op.retries);
                }
                if let Some(d) = op.duration.filter(|d| d.is_finite()) {
                    self.dur_n += 1;
                    self.dur_sum += d;
                    self.dur_min = Some(self.dur_min.map_or(d, |m| m.min(d)));
                    self.dur_max = Some(self.dur_max.map_or(d, |m| m.max(d)));
                    if samples {
                        self.durations.push(d);
                    }
                }
                if let Some(c) = cost.effective {
                    self.cost_finished_n += 1;
                    self.cost_finished_sum += c;
                }
            }
        }
        if let Some(c) = cost.effective {
            self.cost_n += 1;
            self.cost_sum += c;
        }
        if let Some(c) = cost.recorded {
            self.recorded_n += 1;
            self.recorded_sum += c;
        }
        if let Some(c) = cost.computed {
            self.computed_n += 1;
            self.computed_sum += c;
        }
        if cost.unpriced {
            self.unpriced += 1;
            self.unpriced_tokens = self
                .unpriced_tokens
                .saturating_add(op.total_tokens().unwrap_or(0));
        }
        if op.tokens.is_some() || op.tokens_uncategorized.is_some() {
            self.tokens_n += 1;
        }
        if let Some(t) = &op.tokens {
            self.categorized_n += 1;
            self.tokens.add(t);
        }
        if let Some(u) = op.tokens_uncategorized {
            self.uncategorized = self.uncategorized.saturating_add(u);
        }
        if let Some(h) = op.cache_hit {
            self.cache_reported += 1;
            self.cache_hits += u64::from(h);
        }
        if let Some(v) = op.files_created {
            self.files_created.0 += 1;
            self.files_created.1 += u64::from(v);
        }
        if let Some(v) = op.files_modified {
            self.files_modified.0 += 1;
            self.files_modified.1 += u64::from(v);
        }
        if let Some(v) = op.quality_score.filter(|v| v.is_finite()) {
            self.quality.0 += 1;
            self.quality.1 += v;
        }
        if let Some(v) = op.conflicts {
            self.conflicts.0 += 1;
            self.conflicts.1 += u64::from(v);
        }
        if let Some(v) = op.self_healed {
            self.healed.0 += 1;
            self.healed.1 += u64::from(v);
        }
    }

    /// Adds another group's figures.
    pub fn merge(&mut self, o: Acc) {
        self.finished += o.finished;
        self.succeeded += o.succeeded;
        self.failed += o.failed;
        self.running += o.running;
        self.with_retries += o.with_retries;
        self.retries += o.retries;
        self.dur_n += o.dur_n;
        self.dur_sum += o.dur_sum;
        self.dur_min = opt_fold(self.dur_min, o.dur_min, f64::min);
        self.dur_max = opt_fold(self.dur_max, o.dur_max, f64::max);
        self.durations.extend(o.durations);
        self.cost_n += o.cost_n;
        self.cost_sum += o.cost_sum;
        self.cost_finished_n += o.cost_finished_n;
        self.cost_finished_sum += o.cost_finished_sum;
        self.recorded_n += o.recorded_n;
        self.recorded_sum += o.recorded_sum;
        self.computed_n += o.computed_n;
        self.computed_sum += o.computed_sum;
        self.unpriced += o.unpriced;
        self.unpriced_tokens = self.unpriced_tokens.saturating_add(o.unpriced_tokens);
        self.tokens_n += o.tokens_n;
        self.categorized_n += o.categorized_n;
        self.tokens.add(&o.tokens);
        self.uncategorized = self.uncategorized.saturating_add(o.uncategorized);
        self.cache_reported += o.cache_reported;
        self.cache_hits += o.cache_hits;
        add2(&mut self.files_created, o.files_created);
        add2(&mut self.files_modified, o.files_modified);
        self.quality.0 += o.quality.0;
        self.quality.1 += o.quality.1;
        add2(&mut self.conflicts, o.conflicts);
        add2(&mut self.healed, o.healed);
    }

    /// Cost per the mode; None when no operation has one.
    pub fn cost(&self) -> Option<f64> {
        (self.cost_n > 0).then_some(self.cost_sum)
    }

    /// Every token recorded: categories plus the total-only tokens.
    pub fn all_tokens(&self) -> u64 {
        self.tokens.total().saturating_add(self.uncategorized)
    }

    /// Mean duration of finished operations.
    pub fn avg_duration(&self) -> Option<f64> {
        super::stats::mean(self.dur_sum, self.dur_n)
    }
}

fn add2(a: &mut (u64, u64), b: (u64, u64)) {
    a.0 += b.0;
    a.1 += b.1;
}

fn opt_fold(a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(f(x, y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The N largest (key, operation index) pairs; ties broken by the lower index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopK {
    k: usize,
    /// Sorted: largest key first.
    pub items: Vec<(f64, usize)>,
}

impl TopK {
    /// An empty list keeping `k` items.
    pub fn new(k: usize) -> Self {
        TopK {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    fn better(a: (f64, usize), b: (f64, usize)) -> bool {
        a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    /// Offers an item.
    #[inline]
    pub fn offer(&mut self, key: f64, index: usize) {
        if self.items.len() >= self.k {
            match self.items.last() {
                Some(&worst) if Self::better((key, index), worst) => {}
                _ => return,
            }
        }
        let pos = self
            .items
            .iter()
            .position(|&it| Self::better((key, index), it))
            .unwrap_or(self.items.len());
        self.items.insert(pos, (key, index));
        self.items.truncate(self.k);
    }

    /// Merges another list.
    pub fn merge(&mut self, o: TopK) {
        for (key, i) in o.items {
            self.offer(key, i);
        }
    }
}

/// How many operations the top-N lists keep.
pub const TOP_N: usize = 10;
/// How many running operations the current-work list keeps.
pub const CURRENT_N: usize = 50;

/// Partial aggregates of a set of operations. Build with [`Partial::build`]
/// over any slice; [`Partial::merge`] combines chunks.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    /// Operations in the period.
    pub overall: Acc,
    /// By kind.
    pub kinds: FxMap<Sym, Acc>,
    /// By agent.
    pub agents: FxMap<Sym, Acc>,
    /// By model.
    pub models: FxMap<Sym, Acc>,
    /// By session.
    pub sessions: FxMap<Sym, Acc>,
    /// By kind and agent.
    pub kind_agent: FxMap<(Sym, Sym), Acc>,
    /// By agent and model (no samples).
    pub agent_model: FxMap<(Sym, Sym), Acc>,
    /// By hour index (no samples).
    pub hours: FxMap<i64, Acc>,
    /// By day index.
    pub days: FxMap<i64, Acc>,
    /// Failures by error type.
    pub errors: FxMap<Option<Sym>, u64>,
    /// Retries by error type.
    pub retries_by_error: FxMap<Option<Sym>, u64>,
    /// Operations with tokens but no price, by model.
    pub unpriced_models: FxMap<Option<Sym>, u64>,
    /// Agents with running operations, by session.
    pub active: FxSet<(Sym, Sym)>,
    /// Windows regardless of the period: today, last 7 days, the 7 before, last 30 days.
    pub today: Acc,
    /// Last 7 days.
    pub last_7: Acc,
    /// The 7 days before.
    pub prev_7: Acc,
    /// Last 30 days.
    pub last_30: Acc,
    /// Operations longer than the threshold: count and the longest (duration, index).
    pub long_ops: (u64, Option<(f64, usize)>),
    /// Slowest finished operations.
    pub slowest: TopK,
    /// Most expensive operations.
    pub expensive: TopK,
    /// Latest failures.
    pub failures: TopK,
    /// Latest completions.
    pub completions: TopK,
    /// Running operations (latest first).
    pub running: TopK,
}

impl Default for Partial {
    fn default() -> Self {
        Partial {
            overall: Acc::default(),
            kinds: FxMap::default(),
            agents: FxMap::default(),
            models: FxMap::default(),
            sessions: FxMap::default(),
            kind_agent: FxMap::default(),
            agent_model: FxMap::default(),
            hours: FxMap::default(),
            days: FxMap::default(),
            errors: FxMap::default(),
            retries_by_error: FxMap::default(),
            unpriced_models: FxMap::default(),
            active: FxSet::default(),
            today: Acc::default(),
            last_7: Acc::default(),
            prev_7: Acc::default(),
            last_30: Acc::default(),
            long_ops: (0, None),
            slowest: TopK::new(TOP_N),
            expensive: TopK::new(TOP_N),
            failures: TopK::new(TOP_N),
            completions: TopK::new(TOP_N),
            running: TopK::new(CURRENT_N),
        }
    }
}

fn merge_map<K: std::hash::Hash + Eq>(a: &mut FxMap<K, Acc>, b: FxMap<K, Acc>) {
    for (k, v) in b {
        match a.get_mut(&k) {
            Some(x) => x.merge(v),
            None => {
                a.insert(k, v);
            }
        }
    }
}

fn merge_counts<K: std::hash::Hash + Eq>(a: &mut FxMap<K, u64>, b: FxMap<K, u64>) {
    for (k, v) in b {
        *a.entry(k).or_insert(0) += v;
    }
}

impl Partial {
    /// One pass over `ops`, whose first element has index `offset` in the
    /// dataset's operations (indices name operations in the top-N lists).
    pub fn build(ctx: &Ctx, ops: &[Operation], offset: usize, long_threshold: f64) -> Partial {
        let mut p = Partial::default();
        for (i, op) in ops.iter().enumerate() {
            if ctx.passes(op) {
                p.add(ctx, op, offset + i, long_threshold);
            }
        }
        p
    }

    /// The partial of all `ops`, built chunk by chunk ([`crate::par`]) and
    /// merged in order: the same figures on one thread or two.
    pub fn build_chunked(ctx: &Ctx, ops: &[Operation], long_threshold: f64) -> Partial {
        crate::par::fold_chunks(
            ops,
            |at, chunk| Partial::build(ctx, chunk, at, long_threshold),
            |p, part| p.merge(part),
        )
    }

    /// Adds one operation that passed the filters.
    #[inline]
    pub fn add(&mut self, ctx: &Ctx, op: &Operation, index: usize, long_threshold: f64) {
        let time = op.start.or(op.end);
        let cost = ctx.cost(op);
        // Windows relative to now, whatever the period.
        if let Some(t) = time {
            if ctx
                .now
                .is_some_and(|n| t.0 >= ctx.today_start && t.0 <= n.0)
            {
                self.today.add(op, &cost, false);
            }
            if ctx.in_last_days(time, 7, 0) {
                self.last_7.add(op, &cost, false);
            } else if ctx.in_last_days(time, 14, 7) {
                self.prev_7.add(op, &cost, false);
            }
            if ctx.in_last_days(time, 30, 0) {
                self.last_30.add(op, &cost, false);
            }
        }
        if !ctx.in_period(time) {
            return;
        }
        self.overall.add(op, &cost, true);
        self.kinds.entry(op.kind).or_default().add(op, &cost, true);
        self.agents
            .entry(op.agent)
            .or_default()
            .add(op, &cost, true);
        if let Some(m) = op.model {
            self.models.entry(m).or_default().add(op, &cost, true);
            self.agent_model
                .entry((op.agent, m))
                .or_default()
                .add(op, &cost, false);
        }
        if let Some(s) = op.session {
            self.sessions.entry(s).or_default().add(op, &cost, true);
            if op.outcome == Outcome::Running {
                self.active.insert((s, op.agent));
            }
        }
        self.kind_agent
            .entry((op.kind, op.agent))
            .or_default()
            .add(op, &cost, true);
        if let Some(t) = time {
            let day = t.day_index();
            self.hours
                .entry(t.0.div_euclid(3_600_000))
                .or_default()
                .add(op, &cost, false);
            // Weeks and months are rolled up from days when finishing.
            self.days.entry(day).or_default().add(op, &cost, false);
        }
        if cost.unpriced_model {
            *self.unpriced_models.entry(op.model).or_insert(0) += 1;
        }
        let ts = time.map_or(f64::MIN, |t| t.0 as f64);
        match op.outcome {
            Outcome::Failure => {
                *self.errors.entry(op.error_type).or_insert(0) += 1;
                self.failures.offer(ts, index);
            }
            Outcome::Success => self.completions.offer(ts, index),
            Outcome::Running => self.running.offer(ts, index),
        }
        if op.outcome.is_finished() {
            if op.retries > 0 {
                *self.retries_by_error.entry(op.error_type).or_insert(0) += u64::from(op.retries);
            }
            if let Some(d) = op.duration.filter(|d| d.is_finite()) {
                self.slowest.offer(d, index);
            }
        }
        if let Some(d) = op.duration.filter(|d| d.is_finite() && *d > long_threshold) {
            self.long_ops.0 += 1;
            let longer = match self.long_ops.1 {
                Some((best, bi)) => d > best || (d == best && index < bi),
                None => true,
            };
            if longer {
                self.long_ops.1 = Some((d, index));
            }
        }
        if let Some(c) = cost.effective {
            self.expensive.offer(c, index);
        }
    }

    /// Combines another chunk's partial into this one.
    pub fn merge(&mut self, o: Partial) {
        self.overall.merge(o.overall);
        merge_map(&mut self.kinds, o.kinds);
        merge_map(&mut self.agents, o.agents);
        merge_map(&mut self.models, o.models);
        merge_map(&mut self.sessions, o.sessions);
        merge_map(&mut self.kind_agent, o.kind_agent);
        merge_map(&mut self.agent_model, o.agent_model);
        merge_map(&mut self.hours, o.hours);
        merge_map(&mut self.days, o.days);
        merge_counts(&mut self.errors, o.errors);
        merge_counts(&mut self.retries_by_error, o.retries_by_error);
        merge_counts(&mut self.unpriced_models, o.unpriced_models);
        self.active.extend(o.active);
        self.today.merge(o.today);
        self.last_7.merge(o.last_7);
        self.prev_7.merge(o.prev_7);
        self.last_30.merge(o.last_30);
        self.long_ops.0 += o.long_ops.0;
        if let Some((d, i)) = o.long_ops.1 {
            let longer = match self.long_ops.1 {
                Some((best, bi)) => d > best || (d == best && i < bi),
                None => true,
            };
            if longer {
                self.long_ops.1 = Some((d, i));
            }
        }
        self.slowest.merge(o.slowest);
        self.expensive.merge(o.expensive);
        self.failures.merge(o.failures);
        self.completions.merge(o.completions);
        self.running.merge(o.running);
    }

    /// True when the partial saw operations in the period.
    pub fn has_operations(&self) -> bool {
        self.overall.finished + self.overall.running > 0
    }
}
