//! Every fixture format through the app's file input, a folder picker and a
//! simulated drop: the Data view's per-file counts and the Overview's figures are
//! the engine's for the same bytes, and a broken file among good ones is named
//! with its reason while the good ones load.

mod web_support;

use std::path::PathBuf;

use baton_core::analysis::AnalysisOptions;
use baton_e2e::{fixture, App};
use web_support::*;

/// Checks the Data view and the Overview against the engine's import of the
/// files the app lists, in the order it lists them (its import order).
#[track_caller]
fn check_loaded(app: &App, files: &[(String, PathBuf)], what: &str) {
    let rows = data_rows(app);
    let mut shown: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    shown.sort_unstable();
    let mut want: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    want.sort_unstable();
    assert_eq!(shown, want, "{what}: files listed in the Data view");
    let in_app_order: Vec<(String, PathBuf)> = rows
        .iter()
        .map(|r| files.iter().find(|(n, _)| *n == r[0]).unwrap().clone())
        .collect();
    let ds = import(&in_app_order);
    assert_eq!(rows, expected_rows(&ds), "{what}: Data view counts");
    for r in &rows {
        // read = imported + duplicates + skipped, per file.
        let n: Vec<u64> = r[2..].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(n[0], n[1] + n[2] + n[3], "{what}: {r:?}");
    }
    go(app, "overview");
    let a = analysis(&ds, &AnalysisOptions::default());
    check_figures(app, &overview_figures(&a));
    app.assert_no_console_errors();
}

#[test]
fn each_format_through_the_file_input_a_folder_and_a_drop() {
    let Some(app) = App::start("web_import") else {
        return;
    };
    open_fresh(&app);

    // The seed formats and the other exports, one set at a time, through the
    // file input.
    for dir in [
        "seed000", "seed001", "seed003", "seed004", "baton", "otlp", "langfuse",
    ] {
        let files = fixture_files(dir);
        let paths: Vec<PathBuf> = files.iter().map(|(_, p)| p.clone()).collect();
        app.upload_to(FILES_INPUT, &paths);
        app.wait_for("[data-view=overview]");
        wait_idle(&app);
        check_loaded(&app, &files, dir);
        app.screenshot(&format!("web_import_{dir}"));
        clear(&app);
    }

    // Run logger and Claude Code folders through the folder picker: names are
    // paths relative to the picked folder's parent.
    for dir in ["seed002/run_20241203_143022_project_168", "claude"] {
        let folder = fixture(dir);
        app.upload_to(FOLDER_INPUT, &[&folder]);
        app.wait_for("[data-view=overview]");
        wait_idle(&app);
        check_loaded(&app, &folder_files(&folder), dir);
        clear(&app);
    }

    // A drop of good files with a broken one: the good ones load, the broken one
    // is named with the engine's reason.
    let mut good = fixture_files("seed001");
    good.truncate(2);
    let broken = fixture("broken/seed000_truncated.json");
    let mut dropped: Vec<(String, Vec<u8>)> = good
        .iter()
        .map(|(n, p)| (n.clone(), std::fs::read(p).unwrap()))
        .collect();
    dropped.push((
        "seed000_truncated.json".to_string(),
        std::fs::read(&broken).unwrap(),
    ));
    let reason = {
        let mut ds = baton_core::model::Dataset::new();
        baton_core::import::import_file(&mut ds, "seed000_truncated.json", &dropped[2].1)
            .expect_err("the truncated file imports")
            .to_string()
    };
    let as_refs: Vec<(&str, &[u8])> = dropped
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    app.drop_files(".drop-zone", &as_refs);
    app.wait_for("[data-view=overview]");
    wait_idle(&app);
    check_loaded(&app, &good, "seed001 dropped with a broken file");
    go(&app, "data");
    let errors = app.texts("main .file-errors li");
    assert_eq!(
        errors,
        // The engine's message names the file already; the page names it once.
        [format!(
            "seed000_truncated.json: {}",
            reason
                .strip_prefix("seed000_truncated.json: ")
                .unwrap_or(&reason)
        )],
        "the Data view's files not loaded"
    );
    let banner = app.text("main");
    assert!(
        banner.contains("seed000_truncated.json"),
        "the broken file is not named on the page"
    );
    app.screenshot("web_import_broken");
}
