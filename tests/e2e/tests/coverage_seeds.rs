//! The seed coverage checklist (PRODUCT.md section 7) in the browser: the
//! sample and each seed's fixture are loaded once, then every view that a
//! checklist row names is checked, with figures worked out by the core from
//! the same data (the app's default settings: all data, no filters).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use baton_core::analysis::{analyze, Analysis, AnalysisOptions, FiguresFrom, Rating};
use baton_core::import::import_file;
use baton_core::model::Dataset;
use baton_e2e::{fixture, App};
use serde_json::json;

// ---- Display text as the app writes it (web/src/format.rs). ----

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{:.1} %", x * 100.0))
}

fn int(v: u64) -> String {
    let d = v.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn usd(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(x) if x.abs() >= 0.01 && x.abs() < 10_000.0 => format!("${x:.2}"),
        Some(x) => panic!("usd({x}) outside the range this test formats"),
    }
}

fn rating(r: Rating) -> &'static str {
    match r {
        Rating::Excellent => "excellent",
        Rating::Good => "good",
        Rating::Acceptable => "acceptable",
        Rating::Poor => "poor",
        Rating::Concerning => "concerning",
        Rating::NeedsAttention => "needs attention",
    }
}

// ---- Loading and navigating. ----

fn files_of(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_of(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Drops every file of a fixture folder on the page and analyses the same
/// files (same names, same order) with the core.
fn load_fixture(app: &App, seed: &str) -> Analysis {
    let mut paths = Vec::new();
    files_of(&fixture(seed), &mut paths);
    let files: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(p).unwrap(),
            )
        })
        .collect();
    let mut ds = Dataset::new();
    for (name, bytes) in &files {
        import_file(&mut ds, name, bytes).unwrap();
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    app.open("");
    app.wait_for(".drop-zone");
    app.drop_files(".drop-zone", &refs);
    app.wait_for("[data-view=overview]");
    app.wait_for("[data-section=status]");
    analyze(&ds, &AnalysisOptions::default())
}

fn go(app: &App, hash: &str, view: &str) {
    app.eval_with("location.hash = arguments[0]; return 1", vec![json!(hash)]);
    app.wait_for(&format!("[data-view={view}]"));
}

fn kpi(app: &App, id: &str) -> String {
    app.text(&format!("[data-kpi={id}]"))
}

fn rows(app: &App, table: &str) -> usize {
    app.count(&format!("table[data-table={table}] tbody tr"))
}

/// Overview rows shared by every dataset: status, mode, 7-day KPI cards with
/// ratings, costs, integration, insights, health.
fn check_overview(app: &App, a: &Analysis, what: &str) {
    go(app, "#/overview", "overview");
    // Mode: the latest session's, or an empty state naming what fills it.
    let mode = kpi(app, "mode");
    match &a.operating_mode {
        Some(m) => assert_eq!(&mode, m, "{what}: mode"),
        None => assert!(mode.contains("no session records a mode"), "{what}: {mode}"),
    }
    assert!(!kpi(app, "uptime").is_empty());
    let w = &a.last_7_days;
    if w.total_operations > 0 {
        assert_eq!(kpi(app, "success_rate"), pct(w.success_rate), "{what}");
        assert_eq!(kpi(app, "error_rate"), pct(w.error_rate), "{what}");
        assert_eq!(kpi(app, "cache_hit_rate"), pct(w.cache_hit_rate), "{what}");
        let words = app.texts("[data-section=performance] [data-rating]");
        for r in [
            w.ratings.success_rate,
            w.ratings.cache_hit_rate,
            w.ratings.error_rate,
        ]
        .into_iter()
        .flatten()
        {
            assert!(words.iter().any(|x| x == rating(r)), "{what}: {words:?}");
        }
        // Integration success: a KPI where the data has it, else an empty state.
        match &a.integration {
            Some(i) => assert_eq!(kpi(app, "integration_success_rate"), pct(i.success_rate)),
            None => assert!(
                app.exists("[data-kpi-empty=integration_success_rate]"),
                "{what}"
            ),
        }
    } else {
        assert!(app
            .text("[data-section=performance]")
            .contains("No finished operations"));
    }
    let c = &a.costs;
    if c.total_cost.is_some() {
        assert_eq!(kpi(app, "cost_7d"), usd(c.last_7_days), "{what}");
        assert_eq!(kpi(app, "cost_30d"), usd(c.last_30_days), "{what}");
        assert_eq!(kpi(app, "monthly_projection"), usd(c.monthly_projection));
    }
    assert_eq!(
        app.count("[data-list=insights] li"),
        a.insights.len(),
        "{what}: insights"
    );
    for i in &a.insights {
        assert!(
            app.text("[data-section=insights]").contains(i.as_str()),
            "{what}: {i}"
        );
    }
    assert_eq!(
        app.count("[data-section=recent_completions] li"),
        a.recent_completions.len().min(10)
    );
}

#[test]
fn sample_covers_every_row() {
    let Some(app) = App::start("coverage_sample") else {
        return;
    };
    let a = analyze(
        &baton_core::sample::sample_dataset(30),
        &AnalysisOptions::default(),
    );
    app.open("");
    app.click("#load-sample");
    app.wait_for("[data-section=status]");
    check_overview(&app, &a, "sample");

    // 000: today's issues, PRs, cost against the budget (no budget set: said so).
    let t = &a.today;
    assert_eq!(kpi(&app, "today_work_items"), int(t.work_items));
    assert_eq!(
        kpi(&app, "today_prs_merged"),
        t.prs_merged.unwrap().to_string()
    );
    assert_eq!(kpi(&app, "today_cost"), usd(t.cost.or(a.costs.today)));
    assert!(kpi(&app, "daily_budget").contains("Settings"));
    assert_eq!(kpi(&app, "status"), "Running");
    assert_eq!(
        app.count("[data-section=current_work] li[data-op]"),
        a.current_work.len().min(20)
    );
    assert_eq!(
        app.count("[data-section=current_work] li[data-session]"),
        a.active_sessions.len()
    );
    // 003: hour / day / week / month breakdowns.
    for (g, n) in [
        ("hour", a.by_hour.len()),
        ("week", a.by_week.len()),
        ("month", a.by_month.len()),
        ("day", a.by_day.len()),
    ] {
        app.click(&format!("button[data-granularity={g}]"));
        app.wait_for(&format!("[data-granularity-shown={g}]"));
        assert_eq!(
            app.attr("[data-buckets]", "data-buckets"),
            Some(n.to_string())
        );
    }

    // Operations: duration histogram, kind × agent matrix.
    go(&app, "#/operations", "operations");
    let counts: Vec<String> = app.eval("return [...document.querySelectorAll('[data-table=duration_histogram] [data-count]')].map(e => e.dataset.count)")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = a
        .duration_histogram
        .iter()
        .map(|b| b.count.to_string())
        .collect();
    assert_eq!(counts, want);
    assert!(app.exists("[data-chart=duration_histogram]"));
    assert_eq!(rows(&app, "kind_agent"), a.kind_agent.len());

    // Agents: per-agent trends and the quality trends of the agent detail.
    let (name, trends) = a
        .agent_trends
        .iter()
        .max_by_key(|(_, v)| v.len())
        .expect("sample agents have trends");
    go(&app, &format!("#/agents/{name}"), "agent");
    assert_eq!(rows(&app, "agent_trends"), trends.len());
    let sr = trends
        .iter()
        .find(|t| t.series == "success_rate" && t.granularity == "day")
        .unwrap();
    assert_eq!(
        app.attr(
            "[data-table=agent_trends] tr[data-row=success_rate-day] [data-slope]",
            "data-slope"
        ),
        Some(sr.slope.to_string())
    );
    if a.quality_trends.is_empty() {
        assert!(app
            .text("[data-section=quality_trends]")
            .contains("dated agent profiles"));
    } else {
        assert_eq!(rows(&app, "quality_trends"), a.quality_trends.len());
    }

    // 002: runs compared by LLM configuration.
    go(&app, "#/sessions", "sessions");
    assert_eq!(rows(&app, "llm_comparison"), a.llm_comparison.len());

    // 000 / 003: report downloads, Grafana and gzip included.
    go(&app, "#/report", "report");
    for f in ["markdown", "json", "csv", "prometheus", "grafana"] {
        assert!(app.exists(&format!("[data-download={f}]")), "{f} download");
    }
    assert!(app.exists("[data-control=gzip]"));

    // 000: failures by type; alerts; bottlenecks and recommendations.
    go(&app, "#/failures", "failures");
    assert_eq!(rows(&app, "errors_by_type"), a.errors_by_type.len());
    go(&app, "#/alerts", "alerts");
    assert_eq!(rows(&app, "alerts"), a.alerts.len());
    go(&app, "#/bottlenecks", "bottlenecks");
    assert_eq!(
        app.count("[data-list=recommendations] > li"),
        a.recommendations.len()
    );
}

#[test]
fn seed_fixtures_cover_their_rows() {
    for seed in ["seed000", "seed001", "seed002", "seed003", "seed004"] {
        let Some(app) = App::start(&format!("coverage_{seed}")) else {
            return;
        };
        let a = load_fixture(&app, seed);
        check_overview(&app, &a, seed);
        match seed {
            "seed000" => {
                // Pre-aggregated reports: said so, and used for the figures.
                assert_eq!(a.figures_from, FiguresFrom::Aggregates);
                assert!(app.exists("[data-note=figures_from_aggregates]"));
                assert_eq!(rows(&app, "aggregates"), a.aggregates.len());
            }
            "seed001" => {
                let i = a
                    .integration
                    .as_ref()
                    .expect("seed 001 records integrations");
                assert_eq!(kpi(&app, "integration_success_rate"), pct(i.success_rate));
                go(&app, "#/agents", "agents");
                let c = a.communication.as_ref().expect("communication");
                assert_eq!(rows(&app, "collaboration"), c.edges.len());
                let (name, p) = a.agent_profiles.iter().next().expect("profiles");
                go(&app, &format!("#/agents/{name}"), "agent");
                assert!(app.exists("[data-section=profile] [data-kpi=code_quality]"));
                if p.test_coverage.is_some() {
                    assert_ne!(kpi(&app, "test_coverage"), "—");
                }
                go(&app, "#/operations", "operations");
                assert_eq!(app.count("[data-list=patterns] > li"), a.patterns.len());
                let recorded: usize = a.patterns.iter().map(|p| p.agents.len()).sum();
                assert!(recorded > 0, "seed 001 records per-droid pattern results");
                assert_eq!(rows(&app, "pattern_agents"), recorded);
            }
            "seed002" => {
                // The four example questions, answered in words.
                assert!(a.insights.len() >= 4, "{:?}", a.insights);
                go(&app, "#/sessions", "sessions");
                assert_eq!(rows(&app, "llm_comparison"), a.llm_comparison.len());
                go(&app, "#/failures", "failures");
                assert_eq!(
                    kpi(&app, "first_pass_rate"),
                    pct(a.pipelines.first_pass_rate)
                );
                assert_eq!(kpi(&app, "debug_cycles"), int(a.debugging.cycles));
            }
            "seed003" => {
                go(&app, "#/agents", "agents");
                for name in a.agents.keys() {
                    assert!(
                        app.text("[data-view=agents]").contains(name.as_str()),
                        "{name}"
                    );
                }
            }
            _ => {
                // Seed 004 carries no quality profile: the agent detail says
                // which data would fill it instead of showing zeros.
                let name = a.agents.keys().next().unwrap();
                go(&app, &format!("#/agents/{name}"), "agent");
                assert!(app
                    .text("[data-section=profile]")
                    .contains("droid performance metrics"));
                go(&app, "#/sessions", "sessions");
                for s in &a.sessions {
                    assert!(
                        app.text("[data-view=sessions]").contains(s.id.as_str()),
                        "{}",
                        s.id
                    );
                }
            }
        }
        app.assert_no_console_errors();
    }
}
