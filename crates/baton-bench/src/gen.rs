//! Realistic exports of N operations, from Baton's deterministic sample
//! generator: Baton canonical JSON (one document), Baton NDJSON (one record
//! per line), seed 004's monitor export and seed 003's CSV export.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use baton_core::import::baton::{write_json, write_ndjson};
use baton_core::model::{Dataset, Outcome, Timestamp};
use baton_core::sample::sample_operations;
use serde::Serialize;

/// The files of one size.
pub struct Files {
    /// Baton canonical JSON document.
    pub json: PathBuf,
    /// Baton NDJSON.
    pub ndjson: PathBuf,
    /// Seed 004 monitor export.
    pub seed004: PathBuf,
    /// Seed 003 CSV export.
    pub seed003: PathBuf,
}

/// Short label of a size: 10k, 100k, 1m.
pub fn label(n: u64) -> String {
    if n >= 1_000_000 && n % 1_000_000 == 0 {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n % 1_000 == 0 {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// Where the files of `n` operations live in `dir`.
pub fn files(dir: &Path, n: u64) -> Files {
    let l = label(n);
    Files {
        json: dir.join(format!("ops-{l}.baton.json")),
        ndjson: dir.join(format!("ops-{l}.baton.ndjson")),
        seed004: dir.join(format!("ops-{l}.seed004.json")),
        seed003: dir.join(format!("ops-{l}.seed003.csv")),
    }
}

/// The sample dataset cut to exactly `n` operations.
pub fn dataset(n: u64) -> Dataset {
    let mut ds = sample_operations(n);
    let mut extra = n;
    // The sample's volume is approximate: raise it until it is enough.
    while (ds.operations.len() as u64) < n {
        extra += n / 20 + 100;
        ds = sample_operations(extra);
    }
    ds.operations.truncate(n as usize);
    ds.operation_index.retain(|_, i| *i < n as usize);
    ds
}

/// Writes the four files of `n` operations into `dir` (skipping those
/// already there) and returns their paths.
pub fn generate(dir: &Path, n: u64) -> std::io::Result<Files> {
    std::fs::create_dir_all(dir)?;
    let f = files(dir, n);
    if [&f.json, &f.ndjson, &f.seed004, &f.seed003]
        .iter()
        .all(|p| p.exists())
    {
        return Ok(f);
    }
    eprintln!("generating {} operations into {}", n, dir.display());
    let ds = dataset(n);
    write_to(&f.json, |w| write_json(&ds, w))?;
    write_to(&f.ndjson, |w| write_ndjson(&ds, w))?;
    write_to(&f.seed004, |w| seed004(&ds, w))?;
    write_to(&f.seed003, |w| seed003(&ds, w))?;
    Ok(f)
}

fn write_to(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = path.with_extension("part");
    let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
    body(&mut w)?;
    w.flush()?;
    drop(w);
    std::fs::rename(tmp, path)
}

fn time(t: Option<Timestamp>) -> Option<String> {
    t.map(|t| t.to_rfc3339())
}

fn status(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "completed",
        Outcome::Failure => "failed",
        Outcome::Running => "running",
    }
}

#[derive(Serialize)]
struct Orchestration<'a> {
    id: usize,
    session_id: &'a str,
    task_description: Option<&'a str>,
    status: &'a str,
    started_at: Option<String>,
    completed_at: Option<String>,
    duration_ms: Option<u64>,
    total_tasks: Option<u64>,
    completed_tasks: Option<u64>,
    failed_tasks: Option<u64>,
    git_commit_hash: Option<&'a str>,
}

#[derive(Serialize)]
struct Execution<'a> {
    id: usize,
    orchestration_id: Option<usize>,
    agent_session_id: &'a str,
    agent_name: &'a str,
    task_id: &'a str,
    task_number: usize,
    status: &'a str,
    started_at: Option<String>,
    completed_at: Option<String>,
    duration_ms: Option<u64>,
    retry_count: u32,
    self_healed: u8,
    files_created: Option<u32>,
    files_modified: Option<u32>,
    error_message: Option<&'a str>,
}

/// Seed 004's `monitor export` JSON: orchestrations (sessions) and agent
/// executions (operations).
fn seed004(ds: &Dataset, w: &mut impl Write) -> std::io::Result<()> {
    let session_no: std::collections::HashMap<_, _> = ds
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i + 1))
        .collect();
    w.write_all(b"{\"orchestrations\":[\n")?;
    for (i, s) in ds.sessions.iter().enumerate() {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        let o = Orchestration {
            id: i + 1,
            session_id: ds.name(s.id),
            task_description: s.description.as_deref(),
            status: s.outcome.map_or("running", status),
            started_at: time(s.start),
            completed_at: time(s.end),
            duration_ms: s.duration.map(|d| (d * 1000.0).round() as u64),
            total_tasks: s.tasks_total,
            completed_tasks: s.tasks_completed,
            failed_tasks: s.tasks_failed,
            git_commit_hash: s.commit.as_deref(),
        };
        serde_json::to_writer(&mut *w, &o)?;
    }
    w.write_all(b"\n],\n\"agent_executions\":[\n")?;
    for (i, op) in ds.operations.iter().enumerate() {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        let e = Execution {
            id: i + 1,
            orchestration_id: op.session.and_then(|s| session_no.get(&s).copied()),
            agent_session_id: ds.name(op.id),
            agent_name: ds.name(op.agent),
            task_id: ds.name(op.kind),
            task_number: i + 1,
            status: status(op.outcome),
            started_at: time(op.start),
            completed_at: time(op.end),
            duration_ms: op.duration.map(|d| (d * 1000.0).round() as u64),
            retry_count: op.retries,
            self_healed: u8::from(op.self_healed.unwrap_or(false)),
            files_created: op.files_created,
            files_modified: op.files_modified,
            error_message: op.error_message.as_deref(),
        };
        serde_json::to_writer(&mut *w, &e)?;
    }
    w.write_all(b"\n]}\n")
}

/// Seed 003's CSV export: one row per operation.
fn seed003(ds: &Dataset, w: &mut impl Write) -> std::io::Result<()> {
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "timestamp",
        "task_id",
        "agent",
        "session_id",
        "result",
        "duration_ms",
        "tokens",
        "prompt_tokens",
        "completion_tokens",
        "files_created",
        "files_modified",
        "error_message",
    ])?;
    let num = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    for op in &ds.operations {
        let result = match op.outcome {
            Outcome::Success => "success",
            Outcome::Failure => "failed",
            Outcome::Running => "running",
        };
        c.write_record([
            time(op.start.or(op.end)).unwrap_or_default().as_str(),
            ds.name(op.id),
            ds.name(op.agent),
            op.session.map(|s| ds.name(s)).unwrap_or(""),
            result,
            num(op.duration.map(|d| (d * 1000.0).round() as u64)).as_str(),
            num(op.total_tokens()).as_str(),
            num(op.tokens.map(|t| t.input + t.cache_read + t.cache_write)).as_str(),
            num(op.tokens.map(|t| t.output)).as_str(),
            num(op.files_created.map(u64::from)).as_str(),
            num(op.files_modified.map(u64::from)).as_str(),
            op.error_message.as_deref().unwrap_or(""),
        ])?;
    }
    c.flush()
}
