//! The harness itself, on a small page of its own: picking files, dropping files,
//! reading the DOM, console errors and the request log.

use baton_e2e::{repo_root, App};

fn start(name: &str) -> Option<App> {
    App::start_at(name, &repo_root().join("tests/e2e/fixtures/harness"), "/")
}

#[test]
fn upload_and_drop_reach_the_page() {
    let Some(app) = start("harness_upload_and_drop") else {
        return;
    };
    app.open("");
    let dir = std::env::temp_dir().join(format!("baton-e2e-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Byte sums: "ab" = 97 + 98 = 195; "c" = 99.
    std::fs::write(dir.join("one.json"), "ab").unwrap();
    std::fs::write(dir.join("two.csv"), "c").unwrap();
    app.upload(&[dir.join("one.json"), dir.join("two.csv")]);
    app.wait_for("#files li:nth-child(2)");

    // [1, 2, 3] sums to 6; an empty file to 0.
    app.drop_files(
        "#zone",
        &[("three.ndjson", &[1, 2, 3]), ("empty.json", &[])],
    );
    app.wait_for("#files li:nth-child(4)");
    let mut listed = app.texts("#files li");
    listed.sort();
    assert_eq!(
        listed,
        [
            "dropped:empty.json:0",
            "dropped:three.ndjson:6",
            "picked:one.json:195",
            "picked:two.csv:99",
        ]
    );
    assert_eq!(app.text("#zone"), "drop here");
    assert_eq!(app.eval("return 6 * 7"), serde_json::json!(42));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn console_errors_and_requests_are_recorded() {
    let Some(app) = start("harness_console_and_requests") else {
        return;
    };
    app.open("");
    assert!(app.console_errors().is_empty());
    app.click("#boom");
    app.wait_until("the console error", || {
        app.console_errors()
            .iter()
            .any(|e| e.contains("boom clicked"))
    });
    app.allow_console_error("boom clicked");
    assert!(app.console_errors().is_empty());

    let paths: Vec<(String, u16)> = app
        .requests()
        .into_iter()
        .map(|r| (r.path, r.status))
        .collect();
    assert_eq!(
        paths,
        [("/".to_string(), 200), ("/page.js".to_string(), 200)]
    );
}

#[test]
fn downloads_land_in_the_downloads_dir() {
    let Some(app) = start("harness_downloads") else {
        return;
    };
    app.open("");
    app.click("#save");
    assert_eq!(app.wait_for_download("report.md"), b"# Report\n");
    assert!(app.downloads_dir().join("report.md").is_file());
}
