//! A file over the browser's size limit is refused with its reason before it
//! is read: no progress, no analysis, nothing sent to the worker; a small file
//! picked next loads as usual.

mod web_support;

use baton_core::analysis::AnalysisOptions;
use baton_e2e::{fixture, App};
use baton_web::state::refuse_reason;
use serde_json::json;
use web_support::*;

/// 1 GiB + 1 MiB: over the page's 1 GiB limit (`APP_MAX_FILE_BYTES`).
const BIG: u64 = 1024 * 1024 * 1024 + 1024 * 1024;

/// Notes in `window.__sawProgress` whether a progress bar or a view ever
/// appears (a flash between two polls would be missed otherwise).
const WATCH_PROGRESS: &str = "window.__sawProgress = false; \
    new MutationObserver(() => { \
      if (document.querySelector('.progress, main section.view')) window.__sawProgress = true; \
    }).observe(document.body, { childList: true, subtree: true });";

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let Some(app) = App::start("web_too_large") else {
        return;
    };
    open_fresh(&app);

    // A sparse file: its size is 1 GiB + 1 MiB, it takes no disk.
    let dir = std::env::temp_dir().join(format!("baton-e2e-too-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("huge export.json");
    std::fs::File::create(&big).unwrap().set_len(BIG).unwrap();

    app.eval(WATCH_PROGRESS);
    app.upload_to(FILES_INPUT, &[&big]);
    app.wait_for("main .banner.warn li");

    // The reason, worked out by hand: 1 GiB + 1 MiB = 1,073,741,824 + 1,048,576
    // = 1,074,790,400 bytes; it and the limit both round to "1.0 GB", so the
    // page gives exact bytes.
    let reason = refuse_reason(BIG).unwrap();
    assert_eq!(
        reason,
        "too large to load in the browser (1,074,790,400 bytes > 1,073,741,824 bytes); \
         use the command-line tool for files this big"
    );
    assert_eq!(
        app.texts("main .banner.warn li"),
        [format!("huge export.json: {reason}")],
        "the refused file and its reason"
    );
    assert!(app
        .text("main .banner.warn")
        .contains("1 file could not be loaded"));

    // Nothing was loaded: still the welcome screen, no progress bar ever, no view.
    assert!(app.exists("#load-sample"), "the welcome screen is gone");
    assert_eq!(app.count("main section.view"), 0);
    assert_eq!(app.eval("return window.__sawProgress"), json!(false));
    app.screenshot("web_too_large_refused");
    std::fs::remove_dir_all(&dir).unwrap();

    // A small file picked next loads, and its figures are the engine's.
    let small = fixture("baton/example.ndjson");
    app.upload_to(FILES_INPUT, &[&small]);
    app.wait_for("[data-view=overview]");
    wait_idle(&app);
    let files = vec![("example.ndjson".to_string(), small)];
    let ds = import(&files);
    assert!(ds.total_counts().imported > 0);
    let figures = overview_figures(&analysis(&ds, &AnalysisOptions::default()));
    check_figures(&app, &figures);
    assert_eq!(data_rows(&app), expected_rows(&ds), "Data view counts");
    // The refused file is still named (until dismissed); the loaded one is not.
    assert_eq!(app.count("main .banner.warn li"), 1);
    app.assert_no_console_errors();
}
