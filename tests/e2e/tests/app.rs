//! The built app loads, mounts and runs under its Content-Security-Policy, from the
//! site root and from a sub-path (as on GitHub Pages).

use baton_e2e::{dist_subpath_dir, repo_root, App};

#[test]
fn page_loads_and_app_mounts() {
    let Some(app) = App::start("page_loads_and_app_mounts") else {
        return;
    };
    app.open("");
    app.wait_for("#app");
    assert_eq!(app.title(), "Baton");
    assert!(app.text("#app").contains("Baton"));
    // The CSP forbids inline scripts and foreign origins: a violation would be a
    // console error, and dropping `app` fails the test on any console error.
    app.assert_no_console_errors();
    let foreign: Vec<String> = app
        .resource_urls()
        .into_iter()
        .filter(|u| !u.starts_with(&app.origin()))
        .collect();
    assert!(foreign.is_empty(), "requests left the origin: {foreign:?}");
    let png = app.screenshot("page_loads_and_app_mounts");
    if std::env::var_os("BATON_UPDATE_SCREENSHOT").is_some() {
        std::fs::create_dir_all(repo_root().join("docs")).unwrap();
        std::fs::write(repo_root().join("docs/screenshot.png"), png).unwrap();
    }
}

#[test]
fn app_runs_from_a_sub_path() {
    let Some(app) = App::start_at("app_runs_from_a_sub_path", &dist_subpath_dir(), "/baton/")
    else {
        return;
    };
    app.open("");
    app.wait_for("#app");
    assert_eq!(app.title(), "Baton");
    app.assert_no_console_errors();

    let requests = app.requests();
    let missing: Vec<_> = requests.iter().filter(|r| r.status != 200).collect();
    assert!(missing.is_empty(), "requests that failed: {missing:#?}");
    // Everything came from below /baton/: the page, its loader, the JS and the wasm.
    assert!(requests.iter().all(|r| r.path.starts_with("/baton/")));
    assert!(
        requests.iter().any(|r| r.path.ends_with("_bg.wasm")),
        "{requests:#?}"
    );
    assert!(
        requests.iter().any(|r| r.path.contains("/boot-")),
        "{requests:#?}"
    );
}
