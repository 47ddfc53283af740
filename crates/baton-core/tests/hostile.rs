//! The hostile corpus (tests/fixtures/hostile, described in its README):
//! each case's exact outcome from `cases.json`, the generated cases (deep
//! nesting, a 50 MB string, 100 000 agents, the size limit), the record
//! conservation over every fixture, and every report of every importable
//! case free of NaN and infinity.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod hostile_support;

use std::path::{Path, PathBuf};

use baton_core::analysis::{analyze, AnalysisOptions};
use baton_core::import::{import_file, import_file_with_limits, ImportLimits};
use baton_core::model::{DiagnosticLevel, Source};
use baton_core::report::{self, ReportFormat, ReportKind, ReportOptions};
use baton_core::{Dataset, Error};
use hostile_support::check_outputs;
use serde::Deserialize;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

#[derive(Deserialize)]
struct Manifest {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    files: Vec<Expect>,
}

/// What one file of a case gives: an error whose message holds every word of
/// `error`, or these counts with these diagnostics.
#[derive(Deserialize)]
struct Expect {
    file: String,
    #[serde(default)]
    error: Option<Vec<String>>,
    format: Option<String>,
    read: Option<u64>,
    imported: Option<u64>,
    duplicates: Option<u64>,
    skipped: Option<u64>,
    /// Reasons of the Skipped diagnostics, in order (substrings).
    #[serde(default)]
    skip_reasons: Vec<String>,
    /// Reasons of the Warning diagnostics, in order (substrings).
    #[serde(default)]
    warnings: Vec<String>,
}

/// Records the Skipped diagnostics account for: one each, or N for a grouped
/// one ("... (N lines of this type skipped)", Claude Code line types that carry
/// no metrics).
fn skips_covered(s: &Source) -> u64 {
    s.diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Skipped)
        .map(|d| {
            d.reason
                .rsplit_once('(')
                .and_then(|(_, tail)| tail.strip_suffix(" of this type skipped)"))
                .and_then(|t| t.split(' ').next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(1)
        })
        .sum()
}

/// Checks a source's diagnostics: one Skipped diagnostic per skipped record
/// unless the cap on diagnostics was reached.
fn conserved(s: &Source) {
    let c = &s.counts;
    assert_eq!(
        c.read,
        c.imported + c.duplicates + c.skipped,
        "{}: read != imported + duplicates + skipped",
        s.name
    );
    let skips = skips_covered(s);
    let capped = s.diagnostics.len() > 1_000;
    if !capped {
        assert_eq!(
            skips, c.skipped,
            "{}: a skip without its diagnostic",
            s.name
        );
    }
    for d in &s.diagnostics {
        assert!(!d.reason.trim().is_empty(), "{}: empty reason", s.name);
    }
}

fn reasons(s: &Source, level: DiagnosticLevel) -> Vec<&str> {
    s.diagnostics
        .iter()
        .filter(|d| d.level == level)
        .map(|d| d.reason.as_str())
        .collect()
}

fn check_reasons(file: &str, what: &str, got: &[&str], want: &[String]) {
    assert_eq!(
        got.len(),
        want.len(),
        "{file}: {what} {got:?}, expected {want:?}"
    );
    for (g, w) in got.iter().zip(want) {
        assert!(g.contains(w.as_str()), "{file}: {what} {g:?} lacks {w:?}");
    }
}

#[test]
fn corpus_cases_give_their_expected_outcome() {
    let dir = fixtures().join("hostile");
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
    assert!(manifest.cases.len() >= 30);
    let mut listed = Vec::new();
    for case in &manifest.cases {
        let mut ds = Dataset::new();
        for e in &case.files {
            listed.push(e.file.clone());
            let bytes = std::fs::read(dir.join(&e.file)).unwrap();
            let before = (ds.sources.len(), ds.operations.len(), ds.sessions.len());
            let result = import_file(&mut ds, &e.file, &bytes);
            match (&e.error, result) {
                (Some(words), Err(err)) => {
                    let msg = err.to_string();
                    assert!(msg.starts_with(&e.file), "{}: {msg}", case.name);
                    for w in words {
                        assert!(
                            msg.contains(w.as_str()),
                            "{}: {msg:?} lacks {w:?}",
                            case.name
                        );
                    }
                    // A failed file adds nothing.
                    let after = (ds.sources.len(), ds.operations.len(), ds.sessions.len());
                    assert_eq!(before, after, "{}: a failed file added records", case.name);
                }
                (Some(_), Ok(_)) => panic!("{}: {} imported, expected an error", case.name, e.file),
                (None, Err(err)) => panic!("{}: {err}", case.name),
                (None, Ok(id)) => {
                    let s = &ds.sources[id.0 as usize];
                    conserved(s);
                    assert_eq!(Some(s.format.label()), e.format.as_deref(), "{}", case.name);
                    let c = s.counts;
                    assert_eq!(
                        (
                            Some(c.read),
                            Some(c.imported),
                            Some(c.duplicates),
                            Some(c.skipped)
                        ),
                        (e.read, e.imported, e.duplicates, e.skipped),
                        "{}: counts of {}",
                        case.name,
                        e.file
                    );
                    check_reasons(
                        &e.file,
                        "skips",
                        &reasons(s, DiagnosticLevel::Skipped),
                        &e.skip_reasons,
                    );
                    check_reasons(
                        &e.file,
                        "warnings",
                        &reasons(s, DiagnosticLevel::Warning),
                        &e.warnings,
                    );
                }
            }
        }
        check_outputs(
            &analyze(&ds, &AnalysisOptions::default()),
            &[ReportKind::Detailed, ReportKind::Weekly],
        );
    }
    // Every file of the folder is a case.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name != "cases.json" && name != "README.md" {
            assert!(listed.contains(&name), "{name} is in no case");
        }
    }
}

/// Walks a folder, files sorted.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_fixture_conserves_its_records() {
    let mut files = Vec::new();
    walk(&fixtures(), &mut files);
    let mut imported = 0;
    for path in &files {
        let name = path.strip_prefix(fixtures()).unwrap().display().to_string();
        let bytes = std::fs::read(path).unwrap();
        let mut ds = Dataset::new();
        if let Ok(id) = import_file(&mut ds, &name, &bytes) {
            conserved(&ds.sources[id.0 as usize]);
            imported += 1;
        }
    }
    // Every format's fixtures import: far more than the hostile failures.
    assert!(imported > 40, "only {imported} fixtures imported");
}

#[test]
fn fixtures_loaded_together_conserve_their_records() {
    let mut files = Vec::new();
    walk(&fixtures(), &mut files);
    let mut ds = Dataset::new();
    for path in &files {
        let name = path.strip_prefix(fixtures()).unwrap().display().to_string();
        let _ = import_file(&mut ds, &name, &std::fs::read(path).unwrap());
    }
    for s in &ds.sources {
        conserved(s);
    }
    check_outputs(
        &analyze(&ds, &AnalysisOptions::default()),
        &[ReportKind::Detailed, ReportKind::Monthly],
    );
}

fn hostile_names() -> Dataset {
    let mut ds = Dataset::new();
    let bytes = std::fs::read(fixtures().join("hostile/hostile_names.ndjson")).unwrap();
    import_file(&mut ds, "hostile_names.ndjson", &bytes).unwrap();
    ds
}

#[test]
fn hostile_names_are_kept_as_data_and_escaped_in_reports() {
    let ds = hostile_names();
    // Kept verbatim in the model.
    let agents: Vec<&str> = ds.operations.iter().map(|o| ds.name(o.agent)).collect();
    assert!(agents.contains(&"<img src=x onerror=alert(1)>"));
    assert!(agents.contains(&"line\nbreak\r\nname"));
    let a = analyze(&ds, &AnalysisOptions::default());
    let o = ReportOptions {
        kind: ReportKind::Detailed,
        ..ReportOptions::default()
    };
    let md = report::render(&a, ReportFormat::Markdown, &o).unwrap();
    assert!(
        !md.contains("<img") && !md.contains("<script"),
        "raw HTML in Markdown"
    );
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(md.contains("pipe \\| in \\| name"));
    assert!(!md.contains('\u{202e}') && !md.contains('\u{1b}') && !md.contains('\0'));
    // Every table row keeps its column count: no newline or pipe breaks out.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        assert!(line.ends_with('|'), "broken row {line:?}");
    }
    // CSV: no cell from the data starts a formula.
    for section in report::sections() {
        let o = ReportOptions {
            csv_section: Some(section.to_string()),
            ..o.clone()
        };
        let text = report::render(&a, ReportFormat::Csv, &o).unwrap();
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        for row in rd.records() {
            for cell in row.unwrap().iter() {
                let risky = cell.starts_with(['=', '+', '@']) || cell.starts_with("-2+");
                assert!(!risky, "{section}: formula cell {cell:?}");
            }
        }
    }
    // Prometheus: every sample stays on one line.
    let prom = report::render(&a, ReportFormat::Prometheus, &o).unwrap();
    for line in prom
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "broken sample line {line:?}");
    }
    // JSON keeps the names exactly.
    let json: serde_json::Value =
        serde_json::from_str(&report::render(&a, ReportFormat::Json, &o).unwrap()).unwrap();
    assert!(json.to_string().contains("onerror=alert(1)"));
}

/// `n` nested arrays or objects around a 0, on one line.
fn nested(n: usize, open: &str, close: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(n * (open.len() + close.len()) + 1);
    for _ in 0..n {
        v.extend_from_slice(open.as_bytes());
    }
    v.push(b'0');
    for _ in 0..n {
        v.extend_from_slice(close.as_bytes());
    }
    v
}

#[test]
fn nesting_100_000_deep_is_an_error_or_a_skip_not_a_stack_overflow() {
    let deep_arrays = nested(100_000, "[", "]");
    let deep_objects = nested(100_000, "{\"a\":", "}");
    // Peek (iterative) looks at it without recursing.
    let p = baton_core::import::peek::peek(&deep_objects);
    assert_eq!(p.keys, vec!["a".to_string()]);
    for (name, bytes) in [
        ("deep_arrays.json", &deep_arrays),
        ("deep_objects.json", &deep_objects),
    ] {
        let mut ds = Dataset::new();
        let err = import_file(&mut ds, name, bytes).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("recursion limit exceeded") || msg.contains("no known format"),
            "{msg}"
        );
    }
    // Inside a record of a known format: that record is skipped.
    let mut ndjson = b"{\"format\":\"baton\",\"version\":1}\n".to_vec();
    ndjson.extend_from_slice(b"{\"type\":\"operation\",\"id\":\"x\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"success\",\"extra\":");
    ndjson.extend_from_slice(&deep_arrays);
    ndjson.extend_from_slice(b"}\n{\"type\":\"operation\",\"id\":\"y\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"success\"}\n");
    // An unknown field is skipped over iteratively: the record loads.
    let mut ds = Dataset::new();
    let id = import_file(&mut ds, "deep.ndjson", &ndjson).unwrap();
    let s = &ds.sources[id.0 as usize];
    conserved(s);
    assert_eq!(
        (s.counts.read, s.counts.imported, s.counts.skipped),
        (2, 2, 0)
    );
    // Deep nesting where a known field is: that record is skipped.
    let mut ndjson = b"{\"format\":\"baton\",\"version\":1}\n".to_vec();
    ndjson.extend_from_slice(b"{\"type\":\"operation\",\"id\":\"x\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"success\",\"tokens\":{\"input\":");
    ndjson.extend_from_slice(&deep_objects);
    ndjson.extend_from_slice(b"}}\n");
    let mut ds = Dataset::new();
    let id = import_file(&mut ds, "deep2.ndjson", &ndjson).unwrap();
    let s = &ds.sources[id.0 as usize];
    conserved(s);
    assert_eq!(
        (s.counts.read, s.counts.imported, s.counts.skipped),
        (1, 0, 1)
    );
    // A CSV field of brackets is just text.
    let mut csv = b"task_id,agent,result,duration_ms\nt1,a,success,".to_vec();
    csv.extend_from_slice(&nested(50_000, "[", "]"));
    csv.push(b'\n');
    let mut ds = Dataset::new();
    let id = import_file(&mut ds, "deep.csv", &csv).unwrap();
    conserved(&ds.sources[id.0 as usize]);
}

#[test]
fn a_50_mb_string_loads_once_without_blowing_up() {
    let big = "x".repeat(50 * 1024 * 1024);
    let mut text = String::from("{\"format\":\"baton\",\"version\":1}\n");
    text.push_str(&format!(
        "{{\"type\":\"operation\",\"id\":\"big\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"failure\",\"error_message\":\"{big}\",\"duration\":1}}\n"
    ));
    text.push_str(&format!(
        "{{\"type\":\"operation\",\"id\":\"big-agent\",\"kind\":\"k\",\"agent\":\"{big}\",\"outcome\":\"success\",\"duration\":2}}\n"
    ));
    drop(big);
    let mut ds = Dataset::new();
    let id = import_file(&mut ds, "big.ndjson", text.as_bytes()).unwrap();
    assert_eq!(ds.sources[id.0 as usize].counts.imported, 2);
    assert_eq!(
        ds.operations[0].error_message.as_ref().map(String::len),
        Some(50 * 1024 * 1024)
    );
    let a = analyze(&ds, &AnalysisOptions::default());
    assert_eq!(a.overall.total_operations, 2);
    // The same string as one JSON document: a single value, parsed once.
    let doc = format!(
        "{{\"format\":\"baton\",\"version\":1,\"operations\":[{{\"id\":\"big\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"success\",\"description\":\"{}\"}}]}}",
        "y".repeat(50 * 1024 * 1024)
    );
    let mut ds = Dataset::new();
    let id = import_file(&mut ds, "big.json", doc.as_bytes()).unwrap();
    conserved(&ds.sources[id.0 as usize]);
}

#[test]
fn one_hundred_thousand_agents() {
    let mut text = String::from("{\"format\":\"baton\",\"version\":1}\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "{{\"type\":\"operation\",\"id\":\"o{i}\",\"kind\":\"k\",\"agent\":\"agent-{i}\",\"outcome\":\"success\",\"start\":\"2025-11-29T09:00:00Z\",\"duration\":{}}}\n",
            i % 60
        ));
    }
    let mut ds = Dataset::new();
    let id = import_file(&mut ds, "agents.ndjson", text.as_bytes()).unwrap();
    assert_eq!(ds.sources[id.0 as usize].counts.imported, 100_000);
    let a = analyze(&ds, &AnalysisOptions::default());
    assert_eq!(a.agents.len(), 100_000);
    let o = ReportOptions::default();
    let json = report::render(&a, ReportFormat::Json, &o).unwrap();
    serde_json::from_str::<serde_json::Value>(&json).unwrap();
}

#[test]
fn files_over_the_memory_budget_are_refused_before_parsing() {
    let limits = ImportLimits {
        max_file_bytes: 1_000,
    };
    let mut text = String::from("{\"format\":\"baton\",\"version\":1}\n");
    while text.len() <= 1_000 {
        text.push_str("{\"type\":\"operation\",\"id\":\"o\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"success\"}\n");
    }
    let mut ds = Dataset::new();
    let err = import_file_with_limits(&mut ds, "big.ndjson", text.as_bytes(), &limits).unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { limit: 1_000, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("more than the 1000-byte limit"));
    assert!(ds.sources.is_empty() && ds.operations.is_empty());
    // At the limit it loads; the default limit is the 1.5 GiB budget.
    let limits = ImportLimits {
        max_file_bytes: text.len() as u64,
    };
    import_file_with_limits(&mut ds, "big.ndjson", text.as_bytes(), &limits).unwrap();
    assert_eq!(ImportLimits::default().max_file_bytes, 1536 * 1024 * 1024);
}
