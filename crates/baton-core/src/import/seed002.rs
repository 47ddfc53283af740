//! Run logger folders: `run_*_metadata.json`, `run_*_final.json` and
//! `issues/issue_*_{metrics,report}.json`. Files are told apart by content
//! (`run_id` with a configuration or totals; `issue_id` with agent, pipeline
//! or debugging figures); the file name only tells a final issue report from
//! a real-time metrics snapshot, which have the same shape.
//!
//! | file | becomes | records |
//! |---|---|---|
//! | metadata | the run's [`Session`] (start, status, mode, LLM configuration, project) | 1 |
//! | final | the run's [`Session`] (end, duration, status, totals as tasks; the recorded totals and success rate as a `Session` aggregate) | 1 |
//! | final `issues_processed` | one [`WorkItem`] per listed issue (id and run only) | 1 each |
//! | issue report / metrics | the issue's [`WorkItem`] | 1 |
//! | each agent of `agent_metrics` | `attempts` [`Operation`]s | 1 per attempt (an unusable agent entry is 1 skipped record) |
//! | each `pipeline_details` entry | a [`PipelineAttempt`] (sequence as listed) | 1 each |
//! | each `debugging_details` entry | a [`DebuggingCycle`] | 1 each |
//!
//! Ids: the run is its `run_id`; in an issue file without `run_id`, the run
//! id is the name of the enclosing folder that starts with `run_` (as in
//! `logs/runs/run_20241203_143022_project_168/issues/issue_123_report.json`).
//! A work item is `<run_id>/issue-<n>`; an agent attempt is
//! `<run_id>/issue-<n>/<agent>/<k>` (k from 1); its kind and agent are both
//! the agent's role (`coding`, `testing`, `review`).
//!
//! Agent attempts: of `attempts`, `failures` failed, then `successes`
//! succeeded (a failed attempt is retried, so failures come first). Attempts
//! beyond successes + failures were started and not ended: they are running
//! while the issue is unfinished, and failures ("ended without a recorded
//! result") once the issue has a final status. The agent's `retries` are put
//! on its last attempt, so retries sum to the recorded figure. The agent's
//! `duration` (seconds) is split evenly over its attempts. Attempts have no
//! time of their own; they take the issue's `start_time` when it has one.
//!
//! Merging: several files of one run merge into one session. An issue's
//! report is final: it replaces what a metrics snapshot of the same issue
//! gave (work item fields, attempts, pipelines, debugging cycles, whatever the
//! load order), and a snapshot loaded after the report changes nothing (its
//! records are duplicates). Percentages (`success_rate`) become fractions.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{syntax_error, Ctx, RawNum, RawText, RawTime};
use super::peek::{Peek, Shape};
use super::records::{self, At};
use crate::model::{
    Aggregate, AggregateScope, DebuggingCycle, LlmConfig, Operation, Outcome, PipelineAttempt,
    Session, Sym, Timestamp, WorkItem,
};
use crate::Error;

const ISSUE_PARTS: [&str; 5] = [
    "agent_metrics",
    "pipeline_details",
    "debugging_details",
    "pipeline_attempts",
    "debugging_cycles",
];
const RUN_PARTS: [&str; 7] = [
    "config",
    "llm_configuration",
    "issues_processed",
    "total_successes",
    "total_errors",
    "llm_provider",
    "llm_model",
];

/// Detects run logger files by their keys.
pub fn detect(p: &Peek) -> Result<(), String> {
    if p.shape != Shape::Object {
        return Err("not a single JSON object".to_string());
    }
    if p.has("issue_id") && ISSUE_PARTS.iter().any(|k| p.has(k)) {
        return Ok(());
    }
    if p.has("run_id") && RUN_PARTS.iter().any(|k| p.has(k)) {
        return Ok(());
    }
    Err("no run_id with a configuration or totals, no issue_id with agent metrics".to_string())
}

/// Any run logger file: which fields are present says which it is.
#[derive(Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    run_id: Option<RawText<'a>>,
    #[serde(borrow)]
    issue_id: Option<RawText<'a>>,
    #[serde(borrow)]
    project_id: Option<RawText<'a>>,
    #[serde(borrow, alias = "timestamp", alias = "started_at")]
    start_time: Option<RawTime<'a>>,
    #[serde(borrow, alias = "finished_at", alias = "completed_at")]
    end_time: Option<RawTime<'a>>,
    #[serde(borrow)]
    config: Option<&'a RawValue>,
    #[serde(borrow)]
    llm_configuration: Option<&'a RawValue>,
    #[serde(borrow)]
    llm_provider: Option<RawText<'a>>,
    #[serde(borrow)]
    llm_model: Option<RawText<'a>>,
    llm_temperature: Option<RawNum>,
    #[serde(borrow)]
    mode: Option<RawText<'a>>,
    #[serde(borrow)]
    status: Option<RawText<'a>>,
    #[serde(alias = "duration")]
    duration_seconds: Option<RawNum>,
    #[serde(borrow)]
    issues_processed: Option<&'a RawValue>,
    total_successes: Option<RawNum>,
    total_errors: Option<RawNum>,
    success_rate: Option<RawNum>,
    #[serde(borrow)]
    agent_metrics: Option<&'a RawValue>,
    #[serde(borrow)]
    pipeline_details: Option<&'a RawValue>,
    #[serde(borrow)]
    debugging_details: Option<&'a RawValue>,
    pipeline_attempts: Option<RawNum>,
    debugging_cycles: Option<RawNum>,
    #[serde(alias = "pr_merged", alias = "prs_merged_count")]
    prs_merged: Option<RawNum>,
}

#[derive(Deserialize)]
struct Llm<'a> {
    #[serde(borrow, alias = "llm_provider")]
    provider: Option<RawText<'a>>,
    #[serde(borrow, alias = "llm_model")]
    model: Option<RawText<'a>>,
    #[serde(alias = "llm_temperature")]
    temperature: Option<RawNum>,
    #[serde(borrow)]
    mode: Option<RawText<'a>>,
}

#[derive(Deserialize)]
struct AgentStats {
    attempts: Option<RawNum>,
    successes: Option<RawNum>,
    failures: Option<RawNum>,
    retries: Option<RawNum>,
    #[serde(alias = "duration_seconds")]
    duration: Option<RawNum>,
}

#[derive(Deserialize)]
struct PipelineDetail<'a> {
    #[serde(borrow, alias = "id")]
    pipeline_id: Option<RawText<'a>>,
    #[serde(borrow)]
    status: Option<RawText<'a>>,
    #[serde(borrow, alias = "commit")]
    commit_sha: Option<RawText<'a>>,
    #[serde(borrow, alias = "time", alias = "started_at", alias = "created_at")]
    timestamp: Option<RawTime<'a>>,
}

#[derive(Deserialize)]
struct DebugDetail<'a> {
    #[serde(borrow)]
    agent: Option<RawText<'a>>,
    #[serde(borrow)]
    error_type: Option<RawText<'a>>,
    #[serde(borrow)]
    error_message: Option<RawText<'a>>,
    attempts: Option<RawNum>,
    resolved: Option<bool>,
    #[serde(alias = "duration")]
    duration_seconds: Option<RawNum>,
    #[serde(borrow, alias = "time", alias = "start_time", alias = "started_at")]
    timestamp: Option<RawTime<'a>>,
}

/// Imports one file.
pub fn import(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<(), Error> {
    let text = std::str::from_utf8(body).map_err(|e| Error::Encoding {
        file: ctx.file.clone(),
        reason: format!("not UTF-8: {e}"),
    })?;
    let top: &RawValue =
        serde_json::from_slice(text.as_bytes()).map_err(|e| syntax_error(&ctx.file, &e))?;
    let f: File<'_> = match records::parse(top) {
        Ok(f) => f,
        Err(e) => {
            ctx.skip(0, None, e);
            return Ok(());
        }
    };
    if f.issue_id.is_some() || f.agent_metrics.is_some() {
        issue(ctx, &f);
    } else {
        run(ctx, &f);
    }
    Ok(())
}

/// The last path component of a file name.
fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// The run whose final summary, loaded earlier, lists issue `number`: the one
/// run with a work item `<run>/issue-<number>`, if exactly one has it.
fn run_listing_issue(ds: &crate::model::Dataset, number: &str) -> Option<String> {
    let suffix = format!("/issue-{number}");
    let mut runs = ds
        .work_items
        .iter()
        .filter_map(|w| ds.name(w.id).strip_suffix(suffix.as_str()));
    let first = runs.next()?;
    if runs.any(|r| r != first) {
        return None;
    }
    Some(first.to_string())
}

/// Ties a work item imported without a run (and its operations) to `run`.
fn tie_issue_to_run(ds: &mut crate::model::Dataset, item: Sym, run: Sym) {
    if let Some(&i) = ds.work_item_index.get(&item) {
        if let Some(w) = ds.work_items.get_mut(i) {
            w.session.get_or_insert(run);
        }
    }
    for op in ds
        .operations
        .iter_mut()
        .filter(|o| o.work_item == Some(item))
    {
        op.session.get_or_insert(run);
    }
}

/// The run id from the folder names in a path: the nearest enclosing folder
/// whose name starts with `run_`.
pub fn run_id_from_path(file: &str) -> Option<String> {
    let parts: Vec<&str> = file.split(['/', '\\']).collect();
    let folders = parts.len().saturating_sub(1);
    parts
        .iter()
        .take(folders)
        .rev()
        .find(|p| p.starts_with("run_"))
        .map(|p| p.to_string())
}

fn llm_of(ctx: &mut Ctx<'_>, f: &File<'_>) -> (Option<LlmConfig>, Option<String>) {
    let mut llm = LlmConfig {
        provider: records::text(f.llm_provider.as_ref()),
        model: records::text(f.llm_model.as_ref()),
        temperature: records::num(
            ctx,
            At {
                record: 0,
                field: "llm_temperature",
            },
            f.llm_temperature,
        ),
    };
    let mut mode = records::text(f.mode.as_ref());
    for (name, raw) in [
        ("llm_configuration", f.llm_configuration),
        ("config", f.config),
    ] {
        let Some(block) = records::field::<Llm<'_>>(ctx, Some(0), name, raw) else {
            continue;
        };
        if llm.provider.is_none() {
            llm.provider = records::text(block.provider.as_ref());
        }
        if llm.model.is_none() {
            llm.model = records::text(block.model.as_ref());
        }
        if llm.temperature.is_none() {
            llm.temperature = records::num(
                ctx,
                At {
                    record: 0,
                    field: "temperature",
                },
                block.temperature,
            );
        }
        if mode.is_none() {
            mode = records::text(block.mode.as_ref());
        }
    }
    let any = llm.provider.is_some() || llm.model.is_some() || llm.temperature.is_some();
    (any.then_some(llm), mode)
}

/// A metadata or final file.
fn run(ctx: &mut Ctx<'_>, f: &File<'_>) {
    let name = base_name(&ctx.file).to_string();
    let id = records::text(f.run_id.as_ref()).or_else(|| {
        name.strip_suffix("_metadata.json")
            .or_else(|| name.strip_suffix("_final.json"))
            .filter(|s| s.starts_with("run_"))
            .map(str::to_string)
    });
    let Some(id) = id else {
        ctx.skip(0, Some("run_id"), "run without run_id");
        return;
    };
    let duration = match records::duration(f.duration_seconds, 1.0) {
        Ok(d) => d,
        Err(e) => {
            ctx.skip(0, Some("duration_seconds"), e);
            return;
        }
    };
    let start = ctx.time(0, "start_time", f.start_time.as_ref());
    let mut end = ctx.time(0, "end_time", f.end_time.as_ref());
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            ctx.skip(0, Some("end_time"), "run ends before it starts");
            return;
        }
    }
    if end.is_none() {
        if let (Some(s), Some(d)) = (start, duration) {
            end = Some(Timestamp(s.0 + (d * 1000.0).round() as i64));
        }
    }
    let status = records::text(f.status.as_ref());
    let outcome = status.as_deref().and_then(|s| ctx.outcome(0, "status", s));
    let (llm, mode) = llm_of(ctx, f);
    let at = |field| At { record: 0, field };
    let successes = records::count(ctx, at("total_successes"), f.total_successes);
    let errors = records::count(ctx, at("total_errors"), f.total_errors);
    let success_rate = records::percent(ctx, at("success_rate"), f.success_rate);
    // Issues listed by the final summary.
    let mut listed: Vec<Result<String, String>> = Vec::new();
    let mut listed_count = None;
    if let Some(raw) = f.issues_processed {
        match records::list(raw) {
            Ok(items) => {
                for item in items {
                    listed.push(
                        records::parse::<RawText<'_>>(item)
                            .map_err(|e| format!("unusable issue id: {e}"))
                            .and_then(|t| {
                                records::text(Some(&t)).ok_or_else(|| "empty issue id".to_string())
                            }),
                    );
                }
                listed_count = Some(listed.len() as u64);
            }
            Err(_) => {
                listed_count =
                    records::count(ctx, at("issues_processed"), records::parse(raw).ok());
            }
        }
    }
    let sym = ctx.intern(&id);
    let session = Session {
        id: sym,
        source: ctx.source,
        start,
        end,
        duration,
        outcome,
        status,
        mode,
        llm,
        description: None,
        project: records::text(f.project_id.as_ref()),
        tasks_total: listed_count,
        tasks_completed: successes,
        tasks_failed: errors,
        commit: None,
        current_phase: None,
        progress: None,
    };
    let added = ctx.ds.insert_session(session);
    ctx.inserted(added);
    let has_totals = successes.is_some() || errors.is_some() || success_rate.is_some();
    let scope = AggregateScope::Session(id.clone());
    let known = ctx
        .ds
        .aggregates
        .iter()
        .any(|a| a.origin == "run_final" && a.scope == scope);
    if has_totals && !known {
        let mut extra = Vec::new();
        if let Some(e) = errors {
            extra.push(("total_errors".to_string(), e.to_string()));
        }
        ctx.ds.aggregates.push(Aggregate {
            source: ctx.source,
            scope,
            origin: "run_final".to_string(),
            period_start: start,
            period_end: end,
            period_days: None,
            count: listed_count.or(match (successes, errors) {
                (Some(s), Some(e)) => Some(s + e),
                _ => None,
            }),
            success_count: successes,
            success_rate,
            error_rate: None,
            avg_duration: None,
            cache_hit_rate: None,
            total_cost: None,
            avg_cost_per_operation: None,
            total_tokens: None,
            tokens: None,
            sessions: Some(1),
            extra,
        });
    }
    for (i, issue) in listed.into_iter().enumerate() {
        let rec = i as u64 + 1;
        match issue {
            Ok(n) => {
                // An issue file loaded earlier without its run folder in the
                // path is this run's: tie it to the run instead of adding a stub.
                if let Some(bare) = ctx.ds.names.get(&format!("issue-{n}")) {
                    if ctx.ds.work_item_index.contains_key(&bare) {
                        tie_issue_to_run(ctx.ds, bare, sym);
                        ctx.duplicate();
                        continue;
                    }
                }
                let wid = ctx.intern(&format!("{id}/issue-{n}"));
                let added = ctx.ds.insert_work_item(WorkItem {
                    id: wid,
                    source: ctx.source,
                    session: Some(sym),
                    outcome: None,
                    status: None,
                    start: None,
                    duration: None,
                    prs_merged: None,
                    errors: None,
                });
                ctx.inserted(added);
            }
            Err(e) => ctx.skip(rec, Some("issues_processed"), e),
        }
    }
}

/// How an issue file's records meet what is already loaded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A report: final, replaces a snapshot's records.
    Replace,
    /// A snapshot: fills gaps of earlier snapshots.
    Fill,
    /// The issue already has its report: nothing changes.
    Ignore,
}

/// The issue number from an `issue_<n>_report.json` / `issue_<n>_metrics.json` name.
fn issue_from_name(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("issue_")?;
    let end = rest.find('_').unwrap_or(rest.len());
    rest.get(..end).filter(|s| !s.is_empty())
}

/// An issue report or metrics file.
fn issue(ctx: &mut Ctx<'_>, f: &File<'_>) {
    let name = base_name(&ctx.file).to_string();
    let Some(number) =
        records::text(f.issue_id.as_ref()).or_else(|| issue_from_name(&name).map(str::to_string))
    else {
        ctx.skip(0, Some("issue_id"), "issue without issue_id");
        return;
    };
    let run = records::text(f.run_id.as_ref())
        .or_else(|| run_id_from_path(&ctx.file))
        .or_else(|| run_listing_issue(ctx.ds, &number));
    if run.is_none() {
        ctx.info(
            Some(0),
            Some("run_id"),
            "no run_id and no run_ folder in the path; the issue is not tied to a run",
        );
    }
    let duration = match records::duration(f.duration_seconds, 1.0) {
        Ok(d) => d,
        Err(e) => {
            ctx.skip(0, Some("duration_seconds"), e);
            return;
        }
    };
    let status = records::text(f.status.as_ref());
    let outcome = status.as_deref().and_then(|s| ctx.outcome(0, "status", s));
    let start = ctx.time(0, "start_time", f.start_time.as_ref());
    let base = match &run {
        Some(r) => format!("{r}/issue-{number}"),
        None => format!("issue-{number}"),
    };
    let wid = ctx.intern(&base);
    let session = run.as_deref().map(|r| ctx.intern(r));
    let is_report = if name.contains("_report") {
        true
    } else if name.contains("_metrics") {
        false
    } else {
        outcome.is_some_and(Outcome::is_finished)
    };
    let mode = if ctx.ds.final_work_items.contains(&wid) {
        Mode::Ignore
    } else if is_report {
        Mode::Replace
    } else {
        Mode::Fill
    };
    let at = |field| At { record: 0, field };
    let item = WorkItem {
        id: wid,
        source: ctx.source,
        session,
        outcome,
        status,
        start,
        duration,
        prs_merged: records::count32(ctx, at("prs_merged"), f.prs_merged),
        errors: records::count32(ctx, at("total_errors"), f.total_errors),
    };
    match mode {
        Mode::Ignore => ctx.duplicate(),
        Mode::Fill => {
            let added = ctx.ds.insert_work_item(item);
            ctx.inserted(added);
        }
        Mode::Replace => {
            match ctx.ds.work_item_index.get(&wid).copied() {
                Some(i) => {
                    if let Some(e) = ctx.ds.work_items.get_mut(i) {
                        overwrite_work_item(e, item);
                    }
                    ctx.duplicate();
                }
                None => {
                    ctx.ds.insert_work_item(item);
                    ctx.imported();
                }
            }
            ctx.ds.final_work_items.insert(wid);
        }
    }
    // Unfinished attempts of a finished issue are failures.
    let finished = outcome.is_some_and(Outcome::is_finished);
    let mut w = IssueWriter {
        mode,
        wid,
        session,
        start,
        finished,
        record: 1,
        ops: HashSet::new(),
        pipelines: HashSet::new(),
        cycles: HashSet::new(),
    };
    if let Some(raw) = f.agent_metrics {
        w.agents(ctx, &base, raw);
    }
    if let Some(raw) = f.pipeline_details {
        w.pipelines(ctx, raw, f.pipeline_attempts);
    }
    if let Some(raw) = f.debugging_details {
        w.debugging(ctx, raw, f.debugging_cycles);
    }
    if mode == Mode::Replace {
        w.drop_stale(ctx);
    }
}

fn overwrite<T>(slot: &mut Option<T>, v: Option<T>) {
    if v.is_some() {
        *slot = v;
    }
}

fn overwrite_work_item(e: &mut WorkItem, w: WorkItem) {
    e.source = w.source;
    overwrite(&mut e.session, w.session);
    overwrite(&mut e.outcome, w.outcome);
    overwrite(&mut e.status, w.status);
    overwrite(&mut e.start, w.start);
    overwrite(&mut e.duration, w.duration);
    overwrite(&mut e.prs_merged, w.prs_merged);
    overwrite(&mut e.errors, w.errors);
}

struct IssueWriter {
    mode: Mode,
    wid: Sym,
    session: Option<Sym>,
    start: Option<Timestamp>,
    finished: bool,
    record: u64,
    /// What this file produced (for dropping a snapshot's leftovers).
    ops: HashSet<Sym>,
    pipelines: HashSet<Sym>,
    cycles: HashSet<u32>,
}

impl IssueWriter {
    fn next(&mut self) -> u64 {
        let r = self.record;
        self.record += 1;
        r
    }

    fn agents(&mut self, ctx: &mut Ctx<'_>, base: &str, raw: &RawValue) {
        let entries = match records::entries(raw) {
            Ok(e) => e,
            Err(e) => {
                let rec = self.next();
                ctx.skip(rec, Some("agent_metrics"), e);
                return;
            }
        };
        for (name, value) in entries {
            let rec = self.next();
            let agent = name.as_str().trim().to_string();
            if agent.is_empty() {
                ctx.skip(rec, Some("agent_metrics"), "agent without a name");
                continue;
            }
            let s: AgentStats = match records::parse(value) {
                Ok(s) => s,
                Err(e) => {
                    ctx.skip(rec, Some(&agent), e);
                    continue;
                }
            };
            let duration = match records::duration(s.duration, 1.0) {
                Ok(d) => d,
                Err(e) => {
                    ctx.skip(rec, Some("duration"), format!("{agent}: {e}"));
                    continue;
                }
            };
            let at = |field| At { record: rec, field };
            let successes = records::count(ctx, at("successes"), s.successes).unwrap_or(0);
            let failures = records::count(ctx, at("failures"), s.failures).unwrap_or(0);
            let retries = records::count32(ctx, at("retries"), s.retries).unwrap_or(0);
            let ended = successes.saturating_add(failures);
            let mut attempts = records::count(ctx, at("attempts"), s.attempts).unwrap_or(ended);
            if attempts < ended {
                ctx.warn(
                    Some(rec),
                    Some("attempts"),
                    format!(
                        "{agent}: {attempts} attempts but {ended} successes and failures; read as {ended}"
                    ),
                );
                attempts = ended;
            }
            if attempts > 10_000 {
                ctx.skip(
                    rec,
                    Some("attempts"),
                    format!("{agent}: {attempts} attempts is implausible"),
                );
                continue;
            }
            let unfinished = attempts - ended;
            let mut outcomes: Vec<Outcome> = Vec::new();
            outcomes.extend(std::iter::repeat_n(Outcome::Failure, failures as usize));
            if self.finished {
                outcomes.extend(std::iter::repeat_n(Outcome::Failure, unfinished as usize));
            }
            outcomes.extend(std::iter::repeat_n(Outcome::Success, successes as usize));
            if !self.finished {
                outcomes.extend(std::iter::repeat_n(Outcome::Running, unfinished as usize));
            }
            let each = duration.map(|d| d / attempts.max(1) as f64);
            let kind = ctx.intern(&agent);
            let n = outcomes.len();
            for (k, outcome) in outcomes.into_iter().enumerate() {
                let abandoned = outcome == Outcome::Failure
                    && self.finished
                    && k >= failures as usize
                    && (k as u64) < failures + unfinished;
                let id = ctx.intern(&format!("{base}/{agent}/{}", k + 1));
                let op = Operation {
                    id,
                    source: ctx.source,
                    session: self.session,
                    parent: None,
                    kind,
                    agent: kind,
                    model: None,
                    work_item: Some(self.wid),
                    start: self.start,
                    end: None,
                    duration: each,
                    outcome,
                    retries: if k + 1 == n { retries } else { 0 },
                    error_type: None,
                    error_message: abandoned
                        .then(|| "attempt ended without a recorded result".to_string()),
                    tokens: None,
                    tokens_uncategorized: None,
                    cost: None,
                    cache_hit: None,
                    files_created: None,
                    files_modified: None,
                    quality_score: None,
                    conflicts: None,
                    self_healed: None,
                };
                self.ops.insert(id);
                self.put_op(ctx, op);
            }
        }
    }

    fn put_op(&self, ctx: &mut Ctx<'_>, op: Operation) {
        match self.mode {
            Mode::Ignore => ctx.duplicate(),
            Mode::Fill => {
                let added = ctx.ds.insert_operation(op);
                ctx.inserted(added);
            }
            Mode::Replace => match ctx.ds.operation_index.get(&op.id).copied() {
                Some(i) => {
                    if let Some(e) = ctx.ds.operations.get_mut(i) {
                        *e = op;
                    }
                    ctx.duplicate();
                }
                None => {
                    ctx.ds.insert_operation(op);
                    ctx.imported();
                }
            },
        }
    }

    fn pipelines(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, counter: Option<RawNum>) {
        let items = match records::list(raw) {
            Ok(i) => i,
            Err(e) => {
                let rec = self.next();
                ctx.skip(rec, Some("pipeline_details"), e);
                return;
            }
        };
        if let Some(RawNum::Value(n)) = counter {
            if n.round() as usize != items.len() {
                ctx.warn(
                    None,
                    Some("pipeline_attempts"),
                    format!("says {n} but pipeline_details lists {}", items.len()),
                );
            }
        }
        for (seq, item) in items.into_iter().enumerate() {
            let rec = self.next();
            let p: PipelineDetail<'_> = match records::parse(item) {
                Ok(p) => p,
                Err(e) => {
                    ctx.skip(rec, None, e);
                    continue;
                }
            };
            let Some(status) = records::text(p.status.as_ref()) else {
                ctx.skip(rec, Some("status"), "pipeline without status");
                continue;
            };
            let Some(outcome) = ctx.outcome(rec, "status", &status) else {
                ctx.skip(rec, Some("status"), format!("unknown status {status:?}"));
                continue;
            };
            let sequence = u32::try_from(seq).unwrap_or(u32::MAX);
            let id = records::text(p.pipeline_id.as_ref())
                .unwrap_or_else(|| format!("pipeline-{}", seq + 1));
            let id = ctx.intern(&id);
            let attempt = PipelineAttempt {
                id,
                source: ctx.source,
                work_item: Some(self.wid),
                sequence,
                outcome,
                commit: records::text(p.commit_sha.as_ref()),
                time: ctx.time(rec, "timestamp", p.timestamp.as_ref()),
            };
            self.pipelines.insert(id);
            match self.mode {
                Mode::Ignore => ctx.duplicate(),
                Mode::Fill => {
                    let added = ctx.ds.insert_pipeline(attempt);
                    ctx.inserted(added);
                }
                Mode::Replace => match ctx.ds.pipeline_index.get(&(Some(self.wid), id)).copied() {
                    Some(i) => {
                        if let Some(e) = ctx.ds.pipelines.get_mut(i) {
                            *e = attempt;
                        }
                        ctx.duplicate();
                    }
                    None => {
                        ctx.ds.insert_pipeline(attempt);
                        ctx.imported();
                    }
                },
            }
        }
    }

    fn debugging(&mut self, ctx: &mut Ctx<'_>, raw: &RawValue, counter: Option<RawNum>) {
        let items = match records::list(raw) {
            Ok(i) => i,
            Err(e) => {
                let rec = self.next();
                ctx.skip(rec, Some("debugging_details"), e);
                return;
            }
        };
        if let Some(RawNum::Value(n)) = counter {
            if n.round() as usize != items.len() {
                ctx.warn(
                    None,
                    Some("debugging_cycles"),
                    format!("says {n} but debugging_details lists {}", items.len()),
                );
            }
        }
        for (pos, item) in items.into_iter().enumerate() {
            let rec = self.next();
            let d: DebugDetail<'_> = match records::parse(item) {
                Ok(d) => d,
                Err(e) => {
                    ctx.skip(rec, None, e);
                    continue;
                }
            };
            let duration = match records::duration(d.duration_seconds, 1.0) {
                Ok(x) => x,
                Err(e) => {
                    ctx.skip(rec, Some("duration_seconds"), e);
                    continue;
                }
            };
            let agent = match records::text(d.agent.as_ref()) {
                Some(a) => a,
                None => {
                    ctx.warn(
                        Some(rec),
                        Some("agent"),
                        "cycle without agent; agent unknown",
                    );
                    "unknown".to_string()
                }
            };
            let resolved = match d.resolved {
                Some(r) => r,
                None => {
                    ctx.warn(
                        Some(rec),
                        Some("resolved"),
                        "not recorded; read as unresolved",
                    );
                    false
                }
            };
            let at = |field| At { record: rec, field };
            let position = u32::try_from(pos).unwrap_or(u32::MAX);
            let cycle = DebuggingCycle {
                work_item: Some(self.wid),
                source: ctx.source,
                agent: ctx.intern(&agent),
                error_type: records::text(d.error_type.as_ref()).map(|e| ctx.intern(&e)),
                error_message: records::text(d.error_message.as_ref()),
                attempts: records::count32(ctx, at("attempts"), d.attempts).unwrap_or(0),
                resolved,
                duration,
                time: ctx.time(rec, "timestamp", d.timestamp.as_ref()),
            };
            self.cycles.insert(position);
            match self.mode {
                Mode::Ignore => ctx.duplicate(),
                Mode::Fill => {
                    let added = ctx.ds.insert_debugging_cycle(position, cycle);
                    ctx.inserted(added);
                }
                Mode::Replace => match ctx.ds.debugging_index.get(&(self.wid, position)).copied() {
                    Some(i) => {
                        if let Some(e) = ctx.ds.debugging.get_mut(i) {
                            *e = cycle;
                        }
                        ctx.duplicate();
                    }
                    None => {
                        ctx.ds.insert_debugging_cycle(position, cycle);
                        ctx.imported();
                    }
                },
            }
        }
    }

    /// Removes what an earlier snapshot of this issue gave that the report
    /// does not have (the report is final), and rebuilds the indexes if needed.
    fn drop_stale(&self, ctx: &mut Ctx<'_>) {
        let wid = Some(self.wid);
        let ds = &mut *ctx.ds;
        let stale_ops = ds
            .operations
            .iter()
            .any(|o| o.work_item == wid && !self.ops.contains(&o.id));
        if stale_ops {
            ds.operations
                .retain(|o| o.work_item != wid || self.ops.contains(&o.id));
            ds.operation_index = ds
                .operations
                .iter()
                .enumerate()
                .map(|(i, o)| (o.id, i))
                .collect();
        }
        let stale_pipes = ds
            .pipelines
            .iter()
            .any(|p| p.work_item == wid && !self.pipelines.contains(&p.id));
        if stale_pipes {
            ds.pipelines
                .retain(|p| p.work_item != wid || self.pipelines.contains(&p.id));
            ds.pipeline_index = ds
                .pipelines
                .iter()
                .enumerate()
                .map(|(i, p)| ((p.work_item, p.id), i))
                .collect();
        }
        let stale_cycles = ds
            .debugging_index
            .iter()
            .any(|((w, pos), _)| *w == self.wid && !self.cycles.contains(pos));
        if stale_cycles {
            let mut keep = vec![true; ds.debugging.len()];
            for ((w, pos), i) in &ds.debugging_index {
                if *w == self.wid && !self.cycles.contains(pos) {
                    if let Some(k) = keep.get_mut(*i) {
                        *k = false;
                    }
                }
            }
            let old: Vec<(Sym, u32, usize)> = ds
                .debugging_index
                .iter()
                .map(|((w, p), i)| (*w, *p, *i))
                .collect();
            let mut new_pos = vec![usize::MAX; ds.debugging.len()];
            let mut n = 0;
            for (i, k) in keep.iter().enumerate() {
                if *k {
                    if let Some(slot) = new_pos.get_mut(i) {
                        *slot = n;
                    }
                    n += 1;
                }
            }
            let mut it = keep.iter();
            ds.debugging.retain(|_| *it.next().unwrap_or(&true));
            ds.debugging_index = old
                .into_iter()
                .filter_map(|(w, p, i)| {
                    let j = *new_pos.get(i)?;
                    (j != usize::MAX).then_some(((w, p), j))
                })
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_come_from_the_enclosing_run_folder() {
        assert_eq!(
            run_id_from_path(
                "logs/runs/run_20241203_143022_project_168/issues/issue_123_report.json"
            ),
            Some("run_20241203_143022_project_168".to_string())
        );
        assert_eq!(
            run_id_from_path("C:\\logs\\run_x\\issues\\issue_1_metrics.json"),
            Some("run_x".to_string())
        );
        // The file's own name is not a folder.
        assert_eq!(run_id_from_path("run_x_final.json"), None);
        assert_eq!(issue_from_name("issue_123_report.json"), Some("123"));
        assert_eq!(issue_from_name("report.json"), None);
    }
}
