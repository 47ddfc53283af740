//! A panic in the analysis worker is reported on the page, and the next load
//! runs in a fresh worker. The panic is the app's crash-recovery self-test,
//! asked for by the address `?selftest=worker-panic`.

mod web_support;

use baton_core::analysis::AnalysisOptions;
use baton_core::sample::sample_dataset;
use baton_e2e::App;
use baton_web::hooks::SELF_TEST_WORKER_PANIC;
use web_support::*;

/// The sample the app embeds (`SAMPLE_DAYS` in the worker).
const SAMPLE_DAYS: u32 = 30;

#[test]
fn a_worker_panic_is_reported_and_the_next_load_works() {
    let Some(app) = App::start("web_worker_panic") else {
        return;
    };
    // The release build aborts on panic: the worker's instance traps after its
    // panic hook has reported. The page handles the worker's error event and
    // prevents its default report, so the trap reaches no console.
    assert_eq!(SELF_TEST_WORKER_PANIC, "?selftest=worker-panic");
    app.open(SELF_TEST_WORKER_PANIC);

    // The panic hook's message, shown by the error banner.
    app.wait_for("main .banner.error");
    let banner = app.text("main .banner.error");
    assert!(
        banner.starts_with("The analysis stopped."),
        "error banner: {banner}"
    );
    assert!(
        banner.contains("Internal error: panicked at")
            && banner.contains("crash-recovery self-test: the worker panicked on request."),
        "the panic's message is not shown: {banner}"
    );
    assert!(app.exists("#load-sample"), "the welcome screen is gone");
    app.screenshot("web_worker_panic_reported");

    // The sample loads in a fresh worker, with the engine's figures.
    app.click("#load-sample");
    app.wait_for("[data-view=overview]");
    wait_idle(&app);
    assert_eq!(app.count("main .banner.error"), 0, "the error stays");
    let all = analysis(&sample_dataset(SAMPLE_DAYS), &AnalysisOptions::default());
    assert!(all.overall.total_operations > 0);
    check_figures(&app, &overview_figures(&all));
    app.screenshot("web_worker_panic_recovered");

    // The self-test runs once per page load: a reload without it is clean.
    open_fresh(&app);
    assert_eq!(app.count("main .banner.error"), 0);
}
