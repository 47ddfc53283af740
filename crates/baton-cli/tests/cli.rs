//! End-to-end tests of the `baton` binary: commands, exit codes, inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn baton() -> Command {
    Command::cargo_bin("baton").unwrap()
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap()
}

#[test]
fn no_input_is_a_usage_error() {
    baton()
        .arg("report")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no input"));
}

#[test]
fn missing_path_is_named_and_exits_2() {
    baton()
        .args(["report", "--sample", "--quiet", "does/not/exist.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "does/not/exist.json: no such file or folder",
        ))
        // The other input still produced the report.
        .stdout(predicate::str::starts_with("# Orchestrator Report"));
}

#[test]
fn unknown_format_among_good_inputs_is_named_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.txt");
    fs::write(&bad, "hello, this is not metrics\n").unwrap();
    baton()
        .args(["report", "--sample", "--format", "json"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("notes.txt"))
        .stdout(predicate::function(|s: &str| {
            serde_json::from_str::<serde_json::Value>(s).is_ok()
        }));
}

#[test]
fn stdin_is_read_as_an_input() {
    baton()
        .args(["report", "-"])
        .write_stdin("{not json")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin"));
}

#[test]
fn folders_are_walked_sorted_and_hidden_files_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run_1");
    fs::create_dir_all(run.join("issues")).unwrap();
    fs::write(run.join("b.txt"), "x").unwrap();
    fs::write(run.join("issues").join("a.txt"), "x").unwrap();
    fs::write(run.join(".hidden.txt"), "x").unwrap();
    let out = baton()
        .args(["report", "--quiet"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    // Names are relative to the folder named, so the run structure shows.
    let a = err.find("run_1/b.txt").expect("b named");
    let b = err.find("run_1/issues/a.txt").expect("issues/a named");
    assert!(a < b, "sorted: {err}");
    assert!(!err.contains(".hidden"), "{err}");
}

#[test]
fn output_is_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    baton()
        .args([
            "report", "--sample", "--quiet", "--format", "json", "--output",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["report_type"], "summary");
    // A failing render (unknown CSV section) leaves no file and no temporary.
    let bad = dir.path().join("bad.csv");
    baton()
        .args([
            "report",
            "--sample",
            "--quiet",
            "--format",
            "csv",
            "--section",
            "nope",
            "--output",
        ])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown section"));
    assert!(!bad.exists());
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["report.json".to_string()]);
}

#[test]
fn report_formats_and_gzip() {
    let dir = tempfile::tempdir().unwrap();
    for (format, check) in [
        ("markdown", "# Orchestrator Report - All Data"),
        ("prometheus", "# TYPE baton_operations_total counter"),
        ("grafana", "\"target\": \"success_rate\""),
        ("csv", "operation,count,success_count"),
    ] {
        baton()
            .args(["report", "--sample", "--quiet", "--format", format])
            .assert()
            .success()
            .stdout(predicate::str::contains(check));
    }
    let gz = dir.path().join("r.md.gz");
    baton()
        .args(["report", "--sample", "--quiet", "--gzip", "--output"])
        .arg(&gz)
        .assert()
        .success();
    let bytes = fs::read(&gz).unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b]);
    baton()
        .args(["report", "--format", "csv", "--section", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("by_day\n"));
}

#[test]
fn periodic_report_kinds() {
    let out = baton()
        .args([
            "report", "--sample", "--quiet", "--format", "json", "--period", "weekly",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["report_type"], "weekly");
    assert!(v["executive_summary"].is_object());
    baton()
        .args(["report", "--sample", "--quiet", "--period", "monthly"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Forecast"));
    baton()
        .args(["report", "--sample", "--quiet", "--detailed", "--days", "7"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Orchestrator Detailed Report - ",
        ));
}

#[test]
fn bad_now_is_refused() {
    baton()
        .args(["report", "--sample", "--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`yesterday` is not a time"));
}

#[test]
fn dashboard_plain_when_not_a_terminal() {
    baton()
        .args(["dashboard", "--sample", "--quiet", "--budget", "50"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Baton Orchestrator Dashboard"))
        .stdout(predicate::str::contains("Performance (7 days)"))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn views_run() {
    baton()
        .args(["health", "--sample", "--quiet", "--hours", "48"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Health (last 48 hours)"));
    baton()
        .args(["failures", "--sample", "--quiet", "--limit", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Failed operations"));
    baton()
        .args(["agents", "--sample", "--quiet"])
        .assert()
        .success();
    baton()
        .args(["sessions", "--sample", "--quiet"])
        .assert()
        .success();
}

#[test]
fn thresholds_file_errors_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("thresholds.json");
    fs::write(&t, "{\"min_success_rate\": \"high\"}").unwrap();
    baton()
        .args(["check", "--sample", "--quiet", "--thresholds"])
        .arg(&t)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a thresholds file"));
}

// ---- Figures from the analytics engine. ----

#[test]
fn check_exit_codes() {
    // The sample fires a critical security alert: fails at every level.
    baton()
        .args(["check", "--sample", "--quiet", "--fail-on", "critical"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL"));
    // Thresholds so loose that nothing fires above low: passes at high.
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.json");
    fs::write(
        &t,
        r#"{"min_success_rate": 0.0, "max_error_rate": 1.0, "critical_error_rate": 1.0,
            "max_operation_seconds": 1e9, "max_daily_cost": 1e9, "min_code_quality": 0.0,
            "max_security_issues": 1e9, "max_conflicts": 1e9}"#,
    )
    .unwrap();
    baton()
        .args([
            "check",
            "--sample",
            "--quiet",
            "--fail-on",
            "high",
            "--thresholds",
        ])
        .arg(&t)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS"));
}

#[test]
fn report_on_the_sample_has_figures() {
    let out = baton()
        .args([
            "report",
            "--sample",
            "--quiet",
            "--format",
            "json",
            "--detailed",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert!(v["overall"]["total_operations"].as_u64().unwrap() > 2000);
    assert!(v["agents"].as_object().unwrap().len() >= 6);
    assert!(v["costs"]["unpriced_models"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "local-llama-70b"));
    assert_eq!(v["generated_at"], "2025-11-30T18:00:00Z");
    baton()
        .args(["report", "--sample", "--quiet", "--detailed", "--days", "7"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Orchestrator Detailed Report - 7 Days",
        ));
}

#[test]
fn agent_and_session_detail() {
    baton()
        .args(["agents", "--sample", "--quiet", "debugger"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Agent: debugger"))
        .stdout(predicate::str::contains("Duration: avg"));
    baton()
        .args(["agents", "--sample", "--quiet", "nobody"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no agent named `nobody`"));
    baton()
        .args(["sessions", "--sample", "--quiet", "live-001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Current phase: testing"))
        .stdout(predicate::str::contains("Executions (2)"));
}

// ---- The canonical format: sample, export, schema. ----

#[test]
fn sample_round_trips_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sample.json");
    baton()
        .args(["sample", "--output"])
        .arg(&file)
        .assert()
        .success();
    assert!(Path::new(&file).exists());
    let from_file = baton()
        .args(["report", "--quiet", "--format", "json"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let built_in = baton()
        .args(["report", "--sample", "--quiet", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let (mut a, mut b) = (json(&from_file), json(&built_in));
    a["sources"] = serde_json::Value::Null;
    b["sources"] = serde_json::Value::Null;
    assert_eq!(a, b);
    // Standard input and export --since.
    let text = fs::read_to_string(&file).unwrap();
    baton()
        .args(["report", "--quiet", "-"])
        .write_stdin(text)
        .assert()
        .success();
    let exported = dir.path().join("recent.json");
    baton()
        .args(["export", "--quiet", "--since", "2025-11-29", "--output"])
        .arg(&exported)
        .arg(&file)
        .assert()
        .success();
    assert!(fs::metadata(&exported).unwrap().len() < fs::metadata(&file).unwrap().len());
    baton()
        .arg("schema")
        .assert()
        .success()
        .stdout(predicate::str::contains("\"$schema\""));
}

#[cfg(unix)]
#[test]
fn dashboard_refresh_stops_cleanly_on_interrupt() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("baton"))
        .args(["dashboard", "--sample", "--quiet", "--refresh", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // Wait for the first frame (the bottom corner of the box).
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains('┘') {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "dashboard exited before drawing");
        seen.extend_from_slice(&buf[..n]);
    }
    let status = Std::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap();
    assert!(code.success(), "{code:?}");
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

#[test]
fn mixed_formats_and_a_broken_file() {
    let f = fixtures();
    let err = baton()
        .args(["report", "--format", "json"])
        .arg(f.join("seed000"))
        .arg(f.join("seed004/monitor_export_all.json"))
        .arg(f.join("baton/example.ndjson"))
        .arg(f.join("broken/seed000_truncated.json"))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("\"report_type\": \"summary\""))
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    // The broken file is named with its reason; the summary lists the good
    // files in load order, names inside a folder starting with its name.
    assert!(
        err.contains("seed000_truncated.json: not valid at line"),
        "{err}"
    );
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("baton:"))
        .map(|l| l.split(" read").next().unwrap())
        .collect();
    assert_eq!(summary.len(), 4, "{err}");
    assert!(summary[0].starts_with("seed000/detailed.json: Orchestrator report JSON: "));
    assert!(summary[1].starts_with("seed000/summary.json: Orchestrator report JSON: "));
    assert!(summary[2].ends_with("monitor_export_all.json: Monitor export: 15"));
    assert!(summary[3].ends_with("example.ndjson: Baton canonical NDJSON: 14"));
}

#[test]
fn seed002_run_folder_keeps_its_structure_in_names() {
    baton()
        .args(["report"])
        .arg(fixtures().join("seed002"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "seed002/run_20241203_143022_project_168/issues/issue_123_metrics.json: Run logger",
        ));
}

#[test]
fn stdin_with_a_real_document() {
    let text = fs::read_to_string(fixtures().join("baton/example.json")).unwrap();
    baton()
        .args(["report", "--format", "json", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stderr(predicate::str::starts_with("stdin: Baton canonical JSON: "));
}

#[test]
fn agent_log_summary_shows_data_quality_and_unpriced_models() {
    // The Claude Code fixture: its transcript streams responses over several
    // lines and uses one model the price table does not know.
    let out = baton()
        .arg("agents")
        .arg(fixtures().join("claude"))
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(err.contains("data quality: lines read:"), "{err}");
    assert!(err.contains("streamed duplicates merged:"), "{err}");
    assert!(err.contains("tool errors found:"), "{err}");
    assert!(
        err.contains("models without a price (cost unknown, not $0): claude-experimental-x"),
        "{err}"
    );
}
