//! Every fixture, imported alone and all together, analyses without NaN,
//! with the seed 001 phase bottleneck and seed 000 aggregates where they apply.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use baton_core::analysis::{analyze, AnalysisOptions, FiguresFrom};
use baton_core::import::import_file;
use baton_core::Dataset;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn fixtures(sub: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(sub);
    let mut out = Vec::new();
    files(&root, &mut out);
    out.sort();
    out
}

fn load(paths: &[PathBuf]) -> Dataset {
    let mut ds = Dataset::new();
    for p in paths {
        let bytes = std::fs::read(p).unwrap();
        let name = p.to_string_lossy().to_string();
        let _ = import_file(&mut ds, &name, &bytes);
    }
    ds
}

fn clean(ds: &Dataset, opts: &AnalysisOptions) -> baton_core::analysis::Analysis {
    let a = analyze(ds, opts);
    let json = serde_json::to_string(&a).unwrap();
    assert!(!json.contains("NaN"));
    let debug = format!("{a:?}");
    assert!(!debug.contains(": NaN") && !debug.contains("(NaN)") && !debug.contains("inf)"));
    a
}

#[test]
fn every_fixture_analyses_cleanly() {
    let all = fixtures("");
    assert!(!all.is_empty());
    for p in &all {
        let ds = load(std::slice::from_ref(p));
        clean(&ds, &AnalysisOptions::default());
        clean(
            &ds,
            &AnalysisOptions {
                period_days: Some(7),
                ..AnalysisOptions::default()
            },
        );
    }
    let ds = load(&all);
    let a = clean(&ds, &AnalysisOptions::default());
    assert_eq!(a.figures_from, FiguresFrom::Operations);
    assert!(!a.aggregates.is_empty());
}

#[test]
fn seed000_reports_give_aggregate_figures() {
    let ds = load(&fixtures("seed000"));
    let a = clean(&ds, &AnalysisOptions::default());
    if ds.operations.is_empty() {
        assert_eq!(a.figures_from, FiguresFrom::Aggregates);
        assert!(a.overall.total_operations > 0);
        assert!(a.aggregates.iter().any(|g| g.used));
    }
}
