//! The sample data in the built app, from one browser: the Overview's figures,
//! every view in both themes, the period and filters, the report downloads, the
//! page's privacy (CSP, no other origin) and the offline reload. Every figure is
//! checked against the engine's own analysis of the same sample.

mod web_support;

use baton_core::analysis::AnalysisOptions;
use baton_core::report::{self, ReportFormat, ReportKind, ReportOptions};
use baton_core::sample::sample_dataset;
use baton_e2e::App;
use baton_web::route::Route;
use serde_json::json;
use web_support::*;

/// The sample the app embeds: 30 days (`SAMPLE_DAYS` in the worker; the CLI's
/// `--sample` is the same dataset).
const SAMPLE_DAYS: u32 = 30;

#[test]
fn sample_data_in_every_view() {
    let Some(app) = App::start("web_sample") else {
        return;
    };
    open_fresh(&app);
    check_csp(&app);

    app.click("#load-sample");
    app.wait_for("[data-view=overview]");
    wait_idle(&app);

    let ds = sample_dataset(SAMPLE_DAYS);
    let all = analysis(&ds, &AnalysisOptions::default());
    assert!(all.overall.total_operations > 0);

    // 1. The Overview's figures are the engine's.
    let figures = overview_figures(&all);
    assert!(figures.len() >= 10, "{figures:?}");
    check_figures(&app, &figures);

    // 3 and 8. Every view renders, with its charts drawn, in both themes.
    for theme in ["light", "dark"] {
        go(&app, "settings");
        choose(&app, "#theme", theme);
        app.wait_until(&format!("the {theme} theme"), || {
            app.eval("return document.documentElement.dataset.theme") == json!(theme)
        });
        for route in Route::ALL {
            let slug = route.slug();
            go(&app, slug);
            let charts = wait_canvases_drawn(&app, slug);
            if matches!(route, Route::Overview | Route::Agents | Route::Costs) {
                assert!(charts > 0, "the {slug} view has no chart");
            }
            app.assert_no_console_errors();
            // Nothing wider than the window (wide tables scroll inside their panel).
            let (page, window) = (
                app.eval("return document.documentElement.scrollWidth"),
                app.eval("return document.documentElement.clientWidth"),
            );
            if page != window {
                let culprits = app.eval(
                    "const w = document.documentElement.clientWidth; \
                     return [...document.querySelectorAll('main *')] \
                       .filter(e => e.getBoundingClientRect().right > w + 1 \
                         && e.parentElement.getBoundingClientRect().right <= w + 1) \
                       .slice(0, 5).map(e => e.tagName + '.' + e.className + ' in ' \
                         + e.parentElement.tagName + '.' + e.parentElement.className)",
                );
                panic!("the {slug} view is {page} px wide, the window {window} px: {culprits}");
            }
            full_screenshot(&app, &format!("web_{slug}_{theme}"));
        }
    }
    go(&app, "settings");
    choose(&app, "#theme", "light");

    // One agent's detail and one session's timeline render with their charts.
    let session = all
        .sessions
        .iter()
        .max_by_key(|s| s.stats.count)
        .map(|s| s.id.clone())
        .unwrap();
    let first_agent = all.agents.keys().next().unwrap().clone();
    for (hash, view) in [
        (format!("#/agents/{first_agent}"), "agent"),
        (format!("#/sessions/{session}"), "session"),
    ] {
        app.eval_with("location.hash = arguments[0]", vec![json!(hash)]);
        app.wait_for(&format!("[data-view={view}]"));
        wait_idle(&app);
        assert!(app.text("main").contains(if view == "agent" {
            &first_agent
        } else {
            &session
        }));
        if view == "agent" {
            // The agent's failures are listed, or said to be older than the latest
            // ones; never "none" when it has failures.
            let failed = all.agents[&first_agent].failure_count;
            let panel = app.text("[data-section=agent_failures]");
            assert_eq!(failed > 0, !panel.contains("No failures"), "{panel}");
        }
        wait_canvases_drawn(&app, &hash);
        app.assert_no_console_errors();
        full_screenshot(&app, &format!("web_{view}_detail"));
    }

    // 3. Period, agent and model change the figures, as the engine says.
    go(&app, "costs");
    check_figures(&app, &cost_figures(&all));
    let week = AnalysisOptions {
        period_days: Some(7),
        ..AnalysisOptions::default()
    };
    let week_a = analysis(&ds, &week);
    assert_ne!(week_a.costs.total_cost, all.costs.total_cost);
    choose(&app, "#period", "7");
    check_figures(&app, &cost_figures(&week_a));
    go(&app, "overview");
    check_figures(&app, &overview_figures(&week_a));
    choose(&app, "#period", "");
    go(&app, "costs");
    check_figures(&app, &cost_figures(&all));

    // The agent with the most operations, then the model with the most.
    let agent = all
        .agents
        .iter()
        .max_by_key(|(_, s)| s.count)
        .map(|(name, _)| name.clone())
        .unwrap();
    let mut by_agent = AnalysisOptions::default();
    by_agent.filter.agents = vec![agent.clone()];
    let agent_a = analysis(&ds, &by_agent);
    assert_ne!(agent_a.costs.total_cost, all.costs.total_cost);
    choose(&app, "#agent", &agent);
    check_figures(&app, &cost_figures(&agent_a));
    choose(&app, "#agent", "");
    check_figures(&app, &cost_figures(&all));

    let model = all
        .models
        .iter()
        .max_by_key(|(_, s)| s.count)
        .map(|(name, _)| name.clone())
        .unwrap();
    let mut by_model = AnalysisOptions::default();
    by_model.filter.models = vec![model.clone()];
    let model_a = analysis(&ds, &by_model);
    assert_ne!(model_a.costs.total_cost, all.costs.total_cost);
    choose(&app, "#model", &model);
    check_figures(&app, &cost_figures(&model_a));
    choose(&app, "#model", "");
    check_figures(&app, &cost_figures(&all));

    // 4. The downloads are the engine's reports of the same analysis, byte for byte.
    go(&app, "report");
    let cli = cli_binary();
    let date = all.now.as_deref().unwrap().get(..10).unwrap().to_string();
    let options = ReportOptions {
        kind: ReportKind::Summary,
        generated_at: None,
        csv_section: None,
    };
    for (button, format, name) in [
        (
            "markdown",
            ReportFormat::Markdown,
            format!("baton-report-{date}.md"),
        ),
        (
            "json",
            ReportFormat::Json,
            format!("baton-report-{date}.json"),
        ),
        (
            "csv",
            ReportFormat::Csv,
            format!("baton-report-{date}-{}.csv", report::DEFAULT_SECTION),
        ),
        (
            "prometheus",
            ReportFormat::Prometheus,
            format!("baton-report-{date}.prom"),
        ),
        (
            "grafana",
            ReportFormat::Grafana,
            format!("baton-report-{date}-grafana.json"),
        ),
    ] {
        app.click(&format!("[data-download={button}]"));
        let got = app.wait_for_download(&name);
        let want = report::render(&all, format, &options).unwrap();
        assert!(
            got == want.as_bytes(),
            "{name} differs from the engine's {format:?} report"
        );
        if let Some(cli) = &cli {
            assert!(
                got == cli_report(cli, button),
                "{name} differs from `baton report --sample --format {button}`"
            );
        }
    }
    app.click("[data-control=gzip]");
    app.click("[data-download=markdown]");
    let got = app.wait_for_download(&format!("baton-report-{date}.md.gz"));
    let want = report::render(&all, ReportFormat::Markdown, &options).unwrap();
    assert_eq!(got, report::gzip(want.as_bytes()).unwrap());
    assert!(!app.exists("main .error[role=alert]"));

    // 5. Nothing was fetched from another origin during the whole visit.
    let origin = app.origin();
    let foreign: Vec<String> = app
        .resource_urls()
        .into_iter()
        .filter(|u| !u.starts_with(&format!("{origin}/")) && !u.starts_with("blob:"))
        .collect();
    assert!(foreign.is_empty(), "requests left the origin: {foreign:?}");
    let blobs_elsewhere: Vec<String> = app
        .resource_urls()
        .into_iter()
        .filter(|u| u.starts_with("blob:") && !u.starts_with(&format!("blob:{origin}/")))
        .collect();
    assert!(blobs_elsewhere.is_empty(), "{blobs_elsewhere:?}");

    // 6. With the server gone, a reload is served by the service worker.
    app.wait_until("the service worker to control the page", || {
        app.eval("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)")
            == json!(true)
    });
    app.set_server_offline(true);
    assert_eq!(get_root(&app.origin()), "", "the server still answers");
    app.open("");
    app.wait_for("#load-sample");
    assert_eq!(app.title(), "Baton");
    app.click("#load-sample");
    app.wait_for("[data-view=overview]");
    wait_idle(&app);
    check_figures(&app, &overview_figures(&all));
    app.set_server_offline(false);
    assert!(get_root(&app.origin()).starts_with("HTTP/1.1 200"));
}

/// The Content-Security-Policy meta tag is present and keeps everything on the
/// page's origin.
fn check_csp(app: &App) {
    let csp = app
        .attr("meta[http-equiv=Content-Security-Policy]", "content")
        .expect("no CSP meta tag");
    let directive = |name: &str| -> Vec<String> {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .map(|d| d.split_whitespace().skip(1).map(str::to_string).collect())
            .unwrap_or_else(|| panic!("the CSP has no {name}: {csp}"))
    };
    assert_eq!(directive("default-src"), ["'self'"]);
    assert_eq!(directive("connect-src"), ["'self'"]);
    assert_eq!(directive("object-src"), ["'none'"]);
    let script = directive("script-src");
    assert!(script.contains(&"'self'".to_string()), "{csp}");
    for bad in [
        "'unsafe-inline'",
        "'unsafe-eval'",
        "*",
        "data:",
        "http:",
        "https:",
    ] {
        assert!(
            !script.iter().any(|s| s == bad),
            "script-src allows {bad}: {csp}"
        );
    }
    for d in ["worker-src", "img-src", "font-src", "style-src"] {
        assert!(
            directive(d)
                .iter()
                .all(|s| s == "'self'" || s == "data:" || s == "blob:" || s == "'unsafe-inline'"),
            "{d} allows another origin: {csp}"
        );
    }
}

/// The CLI binary when it is built (`cargo build -p baton-cli`; `cargo test
/// --workspace` builds it too).
fn cli_binary() -> Option<std::path::PathBuf> {
    let found = ["debug", "release"]
        .iter()
        .map(|p| baton_e2e::target_dir().join(p).join("baton"))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("no CLI binary in target/: downloads compared with the engine only");
    }
    // A binary older than the sources would compare against an old engine.
    let built = found.as_ref()?.metadata().and_then(|m| m.modified()).ok()?;
    let root = baton_e2e::repo_root();
    let newest = ["crates/baton-core/src", "crates/baton-cli/src"]
        .iter()
        .filter_map(|d| newest_file(&root.join(d)))
        .max()?;
    if newest > built {
        eprintln!("the CLI binary is older than its sources: downloads compared with the engine only (cargo build -p baton-cli)");
        return None;
    }
    found
}

/// When the newest file below `dir` was modified.
fn newest_file(dir: &std::path::Path) -> Option<std::time::SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_file(&path)
        } else {
            entry.metadata().and_then(|m| m.modified()).ok()
        };
        newest = newest.max(time);
    }
    newest
}

/// `baton report --sample --format <format>`'s bytes.
fn cli_report(cli: &std::path::Path, format: &str) -> Vec<u8> {
    let out = std::process::Command::new(cli)
        .args(["report", "--sample", "--quiet", "--format", format])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", cli.display()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The raw answer of the app's server to `GET /` (empty when it closes the
/// connection unanswered).
fn get_root(origin: &str) -> String {
    use std::io::{Read, Write};
    let addr = origin.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}
