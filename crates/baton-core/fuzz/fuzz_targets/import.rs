//! Every importer on arbitrary bytes: the first byte picks the format (or
//! detection), the rest is the file. An import never panics; when it succeeds
//! the counts add up and the dataset analyses and reports without a panic;
//! when it fails it adds nothing.
#![no_main]

use baton_core::analysis::{analyze, AnalysisOptions};
use baton_core::import::{import_as, import_file};
use baton_core::model::{DiagnosticLevel, Format};
use baton_core::report::{render, ReportFormat, ReportKind, ReportOptions};
use baton_core::Dataset;
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 11] = [
    Format::OrchestratorReport,
    Format::DroidMetrics,
    Format::RunLogger,
    Format::MoaiMetrics,
    Format::MoaiCsv,
    Format::MonitorExport,
    Format::Baton,
    Format::BatonNdjson,
    Format::ClaudeCode,
    Format::Otlp,
    Format::Langfuse,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let mut ds = Dataset::new();
    let names = ["fuzz.json", "run_1_metadata.json", "issues/issue_7_metrics.json", "2025-11-29.json", "fuzz.csv"];
    let name = names[usize::from(pick >> 4) % names.len()];
    let result = match FORMATS.get(usize::from(pick & 0x0F)) {
        Some(&f) => import_as(&mut ds, name, body, f),
        None => import_file(&mut ds, name, body),
    };
    match result {
        Ok(id) => {
            let s = &ds.sources[id.0 as usize];
            let c = s.counts;
            assert_eq!(c.read, c.imported + c.duplicates + c.skipped, "counts");
            // One per skipped record, or N for a grouped one ("(N lines of
            // this type skipped)").
            let skips: u64 = s
                .diagnostics
                .iter()
                .filter(|d| d.level == DiagnosticLevel::Skipped)
                .map(|d| {
                    d.reason
                        .rsplit_once('(')
                        .and_then(|(_, t)| t.strip_suffix(" of this type skipped)"))
                        .and_then(|t| t.split(' ').next())
                        .and_then(|n| n.parse::<u64>().ok())
                        .unwrap_or(1)
                })
                .sum();
            assert!(s.diagnostics.len() > 1_000 || skips == c.skipped, "skips without diagnostics");
            let a = analyze(&ds, &AnalysisOptions::default());
            let o = ReportOptions {
                kind: ReportKind::Detailed,
                ..ReportOptions::default()
            };
            // Names and messages come from the file and may spell "NaN":
            // here only that every writer succeeds (the reports target
            // checks the numbers).
            for f in [ReportFormat::Markdown, ReportFormat::Csv, ReportFormat::Prometheus] {
                render(&a, f, &o).unwrap();
            }
            let json = render(&a, ReportFormat::Json, &o).unwrap();
            serde_json::from_str::<serde_json::Value>(&json).unwrap();
        }
        Err(_) => {
            assert!(ds.sources.is_empty() && ds.operations.is_empty() && ds.sessions.is_empty());
        }
    }
});
