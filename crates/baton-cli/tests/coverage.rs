//! Seed 004 commands (`sessions`, `sessions ID`, `agents NAME`, `health --hours`,
//! `failures`, `export --since`) and the seed 000/001/003 command rows
//! (`dashboard`, `report --period monthly`), run on the seed fixtures, with
//! every figure checked against the core's analysis of the same files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use baton_core::analysis::{analyze, Analysis, AnalysisOptions};
use baton_core::import::import_file;
use baton_core::model::{Dataset, Outcome};
use baton_core::report::{fmt_int, fmt_pct, fmt_secs, fmt_usd};

fn baton() -> Command {
    Command::cargo_bin("baton").unwrap()
}

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(p)
}

/// Loads every file of a fixture folder, sorted by path, as the CLI does.
fn load(dir: &Path) -> Dataset {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut ds = Dataset::new();
    for f in files {
        let name = f.strip_prefix(dir.parent().unwrap()).unwrap();
        import_file(
            &mut ds,
            &name.to_string_lossy(),
            &std::fs::read(&f).unwrap(),
        )
        .unwrap();
    }
    ds
}

fn run(args: &[&str], input: &Path) -> String {
    run_on(args, input, None)
}

/// Runs a command on `input`, with `name` as the last argument (a detail).
fn run_on(args: &[&str], input: &Path, name: Option<&str>) -> String {
    let out = baton()
        .args(args)
        .arg("--quiet")
        .arg(input)
        .args(name)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn seed004() -> (PathBuf, Dataset, Analysis) {
    let dir = fixture("seed004");
    let ds = load(&dir);
    let a = analyze(&ds, &AnalysisOptions::default());
    (dir, ds, a)
}

#[test]
fn seed004_sessions_list_and_one_session() {
    let (dir, _ds, a) = seed004();
    assert!(a.sessions.len() >= 3, "fixture has sessions");
    let list = run(&["sessions"], &dir);
    for s in &a.sessions {
        let line = list
            .lines()
            .find(|l| l.contains(&format!(" {} ", s.id)))
            .unwrap_or_else(|| panic!("{} listed in {list}", s.id));
        assert!(line.contains(&format!(" {} ", s.stats.count)), "{line}");
        if let Some(r) = s.stats.success_rate {
            assert!(line.contains(&fmt_pct(r)), "{line}");
        }
    }
    // The session with most operations, with its executions.
    let s = a.sessions.iter().max_by_key(|s| s.stats.count).unwrap();
    let one = run_on(&["sessions"], &dir, Some(&s.id));
    assert!(one.contains(&format!("Session: {}", s.id)));
    assert!(one.contains(&format!(
        "Operations: {} finished ({} succeeded, {} failed), {} running",
        s.stats.count, s.stats.success_count, s.stats.failure_count, s.stats.running
    )));
    assert!(one.contains(&format!("Retries: {}", s.stats.retries)));
    let execs = s.stats.count + s.stats.running;
    assert!(one.contains(&format!("Executions ({execs})")), "{one}");
    if let Some(d) = s.stats.min_duration {
        assert!(one.contains(&format!("min {}", fmt_secs(d))));
    }
}

#[test]
fn seed004_one_agent_min_max_avg() {
    let (dir, _ds, a) = seed004();
    for (name, s) in a.agents.iter().filter(|(_, s)| s.count > 0) {
        let out = run_on(&["agents"], &dir, Some(name));
        assert!(out.contains(&format!("Agent: {name}")));
        assert!(out.contains(&format!(
            "Operations: {} finished ({} succeeded, {} failed)",
            s.count, s.success_count, s.failure_count
        )));
        let (avg, min, max) = (
            s.avg_duration.unwrap(),
            s.min_duration.unwrap(),
            s.max_duration.unwrap(),
        );
        assert!(min <= avg && avg <= max);
        assert!(
            out.contains(&format!(
                "Duration: avg {}, min {}, max {}",
                fmt_secs(avg),
                fmt_secs(min),
                fmt_secs(max)
            )),
            "{out}"
        );
    }
}

#[test]
fn seed004_health_over_hours() {
    let (dir, ds, _) = seed004();
    let now = ds.latest_timestamp().unwrap().0;
    for hours in [24u32, 6] {
        // The command keeps running records and those ending (or starting) in
        // the last N hours, then analyses ceil(N / 24) days.
        let cutoff = now - i64::from(hours) * 3_600_000;
        let keep = |s: Option<i64>, e: Option<i64>| e.or(s).is_some_and(|t| t >= cutoff);
        let mut d = ds.clone();
        d.operations.retain(|o| {
            o.outcome == Outcome::Running || keep(o.start.map(|t| t.0), o.end.map(|t| t.0))
        });
        let runs: Vec<_> = ds
            .sessions
            .iter()
            .filter(|s| {
                s.outcome == Some(Outcome::Running)
                    || keep(s.start.map(|t| t.0), s.end.map(|t| t.0))
            })
            .collect();
        d.sessions.retain(|s| {
            s.outcome == Some(Outcome::Running) || keep(s.start.map(|t| t.0), s.end.map(|t| t.0))
        });
        d.operation_index = d
            .operations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id, i))
            .collect();
        d.session_index = d
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let a = analyze(
            &d,
            &AnalysisOptions {
                period_days: Some(hours.div_ceil(24)),
                ..AnalysisOptions::default()
            },
        );
        let out = run(&["health", "--hours", &hours.to_string()], &dir);
        let n = |o: Option<Outcome>| runs.iter().filter(|s| s.outcome == o).count();
        assert!(
            out.contains(&format!(
                "Runs: {} total, {} completed, {} failed, {} running",
                runs.len(),
                n(Some(Outcome::Success)),
                n(Some(Outcome::Failure)),
                n(Some(Outcome::Running))
            )),
            "{out}"
        );
        let o = &a.overall;
        assert!(
            out.contains(&format!(
                "Agent executions: {} finished, {} running",
                fmt_int(o.total_operations),
                fmt_int(o.running)
            )),
            "{hours} h: {out}"
        );
        if let Some(r) = o.success_rate {
            assert!(out.contains(&format!("success rate {}", fmt_pct(r))));
        }
        for al in &a.alerts {
            assert!(
                out.contains(&al.message),
                "{hours} h: alert {} in {out}",
                al.message
            );
        }
    }
}

#[test]
fn seed004_failures_and_export_since() {
    let (dir, ds, a) = seed004();
    let out = run(&["failures"], &dir);
    assert!(out.contains(&format!(
        "Failed operations ({} of {} failures)",
        a.recent_failures.len().min(20),
        a.overall.failed
    )));
    for f in &a.recent_failures {
        assert!(
            out.contains(&f.id) || out.contains(f.start.as_deref().unwrap()),
            "{}",
            f.id
        );
        if let Some(t) = &f.error_type {
            assert!(out.contains(t.as_str()));
        }
    }
    let by_type = a
        .errors_by_type
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(out.contains(&format!("By error type: {by_type}")), "{out}");

    // export --since: running records and records ending (or starting) at or
    // after the cutoff, re-read with the core.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("since.json");
    let since = "2025-11-30";
    let cutoff = 20_422 * 86_400_000_i64; // 2025-11-30T00:00:00Z = day 20 422
    baton()
        .args(["export", "--quiet", "--since", since, "-o"])
        .arg(&file)
        .arg(&dir)
        .assert()
        .success();
    let mut back = Dataset::new();
    import_file(&mut back, "since.json", &std::fs::read(&file).unwrap()).unwrap();
    let mut want: Vec<&str> = ds
        .operations
        .iter()
        .filter(|o| {
            o.outcome == Outcome::Running || o.end.or(o.start).is_some_and(|t| t.0 >= cutoff)
        })
        .map(|o| ds.name(o.id))
        .collect();
    let mut got: Vec<&str> = back.operations.iter().map(|o| back.name(o.id)).collect();
    want.sort();
    got.sort();
    assert!(!got.is_empty() && got.len() < ds.operations.len());
    assert_eq!(got, want);
}

#[test]
fn dashboard_shows_status_mode_span_today_and_work() {
    let ds = baton_core::sample::sample_dataset(30);
    let a = analyze(
        &ds,
        &AnalysisOptions {
            daily_budget: Some(40.0),
            ..AnalysisOptions::default()
        },
    );
    let out = baton()
        .args(["dashboard", "--sample", "--quiet", "--budget", "40"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("Status: Running"), "sample has running work");
    assert!(out.contains(&format!("Mode: {}", a.operating_mode.as_deref().unwrap())));
    let t = &a.today;
    assert!(
        out.contains(&format!(
            "Issues processed: {} ({} success, {} failed)",
            t.work_items, t.work_items_succeeded, t.work_items_failed
        )),
        "{out}"
    );
    assert!(out.contains(&format!("PRs merged: {}", t.prs_merged.unwrap())));
    assert!(out.contains(&format!(
        "{} / {}",
        fmt_usd(t.cost.or(a.costs.today).unwrap()),
        fmt_usd(40.0)
    )));
    for op in a.current_work.iter().take(2) {
        assert!(out.contains(&op.id), "current work {}", op.id);
    }
    assert!(out.contains(&a.recent_completions[0].id));
    assert!(out.contains("Uptime (span of the data): "));
}

#[test]
fn monthly_report_has_summary_and_forecast() {
    let ds = baton_core::sample::sample_dataset(30);
    let a = analyze(
        &ds,
        &AnalysisOptions {
            period_days: Some(30),
            ..AnalysisOptions::default()
        },
    );
    let out = baton()
        .args(["report", "--sample", "--quiet", "--period", "monthly"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Monthly Orchestrator Report"));
    assert!(md.contains("## Executive Summary"));
    assert!(md.contains("### Achievements") && md.contains("### Challenges"));
    assert!(
        md.contains(&format!(
            "{} operations finished, {} succeeded",
            fmt_int(a.overall.total_operations),
            fmt_int(a.overall.succeeded)
        )),
        "{md}"
    );
    assert!(md.contains("## Forecast"));
    assert!(md.contains(&format!(
        "Monthly cost projection: {}",
        fmt_usd(a.costs.monthly_projection.unwrap())
    )));
}
