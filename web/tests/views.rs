//! Renders each view with a hand-built analysis into a headless browser's
//! DOM and checks the figures, tables, empty states and escaping.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use baton_core::analysis::*;
use baton_core::model::Outcome;
use baton_web::protocol::{Choices, Loaded, Request};
use baton_web::route::Route;
use baton_web::views::{render, ViewProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct HostProps {
    route: Route,
    view: ViewProps,
}

#[function_component(Host)]
fn host(p: &HostProps) -> Html {
    render(p.route, p.view.clone())
}

fn stats(count: u64, ok: u64, avg: f64, cost: Option<f64>) -> GroupStats {
    GroupStats {
        count,
        success_count: ok,
        failure_count: count - ok,
        success_rate: Some(ok as f64 / count as f64),
        avg_duration: Some(avg),
        min_duration: Some(avg / 2.0),
        max_duration: Some(avg * 2.0),
        p50_duration: Some(avg),
        p95_duration: Some(avg * 1.8),
        total_cost: cost,
        total_tokens: Some(12_000),
        retries: 3,
        ..Default::default()
    }
}

fn op(id: &str, agent: &str, outcome: Outcome, error: Option<&str>) -> OperationRef {
    OperationRef {
        id: id.into(),
        kind: "run_tests".into(),
        agent: agent.into(),
        session: Some("run-1".into()),
        model: Some("m1".into()),
        start: Some("2025-11-10T12:00:00Z".into()),
        duration: Some(45.3),
        cost: Some(0.0042),
        outcome,
        error_type: error.map(String::from),
        error_message: error.map(|e| format!("{e} happened")),
    }
}

/// An analysis shaped like seed 000's dashboard example.
fn sample() -> Analysis {
    let mut a = sample_base();
    a.active_sessions = a.sessions.clone();
    // The latest session's mode, as the core reports it.
    a.operating_mode = Some("autonomous".into());
    a
}

fn sample_base() -> Analysis {
    let mut agents = BTreeMap::new();
    // 40 of 45 = 88.9 %
    agents.insert("coder".to_string(), stats(45, 40, 52.3, Some(3.5)));
    // 10 of 20 = 50 %
    agents.insert("tester".to_string(), stats(20, 10, 145.7, None));
    agents.insert(
        "<img src=x onerror=alert(1)>".to_string(),
        stats(4, 4, 10.0, Some(0.5)),
    );
    let mut kind_agent = BTreeMap::new();
    let mut row = BTreeMap::new();
    row.insert("coder".to_string(), stats(10, 9, 30.0, None));
    row.insert("tester".to_string(), stats(10, 5, 30.0, None));
    kind_agent.insert("run_tests".to_string(), row);
    let mut errors = BTreeMap::new();
    errors.insert("timeout".to_string(), 3);
    errors.insert("assertion".to_string(), 1);
    Analysis {
        period_days: Some(7),
        now: Some("2025-11-10T14:30:00Z".into()),
        data_span: Period {
            start: Some("2025-11-08T10:15:00Z".into()),
            end: Some("2025-11-10T14:30:00Z".into()),
        },
        overall: Overall {
            total_operations: 124,
            succeeded: 102,
            failed: 22,
            running: 2,
            success_rate: Some(0.825),
            error_rate: Some(0.021),
            ..Default::default()
        },
        operations: {
            let mut m = BTreeMap::new();
            m.insert("process_issue".to_string(), stats(45, 38, 52.3, Some(5.0)));
            m.insert("run_tests".to_string(), stats(41, 30, 145.7, Some(2.0)));
            m
        },
        agents: agents.clone(),
        models: {
            let mut m = BTreeMap::new();
            m.insert("m1".to_string(), stats(60, 50, 40.0, Some(15.8)));
            m.insert("mystery-model".to_string(), stats(9, 9, 40.0, None));
            m
        },
        kind_agent,
        costs: Costs {
            total_cost: Some(15.8),
            total_tokens: Some(1_580_000),
            avg_cost_per_operation: Some(0.13),
            last_7_days: Some(15.8),
            last_30_days: Some(58.4),
            monthly_projection: Some(67.71),
            today: Some(2.45),
            daily_budget: Some(50.0),
            unpriced_models: vec!["mystery-model".into()],
            unpriced_operations: 9,
            ..Default::default()
        },
        alerts: vec![Alert {
            kind: "high_error_rate".into(),
            severity: Severity::High,
            message: "Error rate above threshold".into(),
            value: 0.2,
            threshold: 0.15,
            subject: None,
            action: Some("Look at the failing agents".into()),
        }],
        health: Health {
            status: HealthStatus::Degraded,
            reasons: vec!["error rate 20.0 % above 15.0 %".into()],
        },
        sessions: vec![SessionSummary {
            id: "run-1".into(),
            status: Some("running".into()),
            outcome: Some(Outcome::Running),
            start: Some("2025-11-10T12:00:00Z".into()),
            end: None,
            duration: None,
            mode: Some("autonomous".into()),
            llm: Some("deepseek / deepseek-chat / 0.2".into()),
            description: None,
            stats: stats(10, 8, 30.0, None),
            current_phase: Some("implementation".into()),
            progress: Some(0.4),
            active_agents: vec!["coder".into()],
            conflicts: Some(1),
        }],
        errors_by_type: errors,
        recent_failures: vec![
            op("f1", "tester", Outcome::Failure, Some("timeout")),
            op("f2", "coder", Outcome::Failure, Some("assertion")),
        ],
        current_work: vec![op("issue-145", "coder", Outcome::Running, None)],
        last_7_days: Window {
            total_operations: 124,
            succeeded: 102,
            failed: 22,
            success_rate: Some(0.825),
            error_rate: Some(0.021),
            avg_duration: Some(45.3),
            cache_hit_rate: Some(0.672),
            ..Default::default()
        },
        previous_7_days: Window {
            total_operations: 100,
            success_rate: Some(0.8),
            error_rate: Some(0.03),
            avg_duration: Some(50.0),
            cache_hit_rate: None,
            ..Default::default()
        },
        today: Window {
            total_operations: 12,
            succeeded: 10,
            failed: 2,
            work_items: 12,
            work_items_succeeded: 10,
            work_items_failed: 2,
            prs_merged: Some(8),
            cost: Some(2.45),
            ..Default::default()
        },
        by_day: vec![
            TimeBucket {
                start: "2025-11-09".into(),
                count: 60,
                success_count: 50,
                failure_count: 10,
                success_rate: Some(50.0 / 60.0),
                cost: Some(7.0),
                ..Default::default()
            },
            TimeBucket {
                start: "2025-11-10".into(),
                count: 64,
                success_count: 52,
                failure_count: 12,
                success_rate: Some(52.0 / 64.0),
                cost: Some(8.8),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

fn loaded(a: Analysis) -> Rc<Loaded> {
    Rc::new(Loaded {
        analysis: a,
        sources: Vec::new(),
        choices: Choices::default(),
        timings: Default::default(),
        engine_memory_bytes: None,
    })
}

async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

async fn mount(route: Route, view: ViewProps) -> web_sys::Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Host>::with_root_and_props(root.clone(), HostProps { route, view }).render();
    tick().await;
    tick().await;
    root
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn count(root: &web_sys::Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn overview_shows_the_seed_000_dashboard() {
    let root = mount(Route::Overview, ViewProps::new(loaded(sample()), None)).await;
    assert_eq!(count(&root, "[data-view=overview]"), 1);
    assert_eq!(text(&root, "[data-kpi=success_rate]"), "82.5 %");
    assert_eq!(text(&root, "[data-kpi=success_rate] + .kpi-rating"), "good");
    assert_eq!(text(&root, "[data-kpi=avg_duration]"), "45.3 s");
    assert_eq!(text(&root, "[data-kpi=cache_hit_rate]"), "67.2 %");
    assert_eq!(text(&root, "[data-kpi=error_rate]"), "2.1 %");
    // (0.825 - 0.8) / 0.8 = +3.125 %
    assert!(root.text_content().unwrap().contains("▲ +3.1 %"));
    assert_eq!(text(&root, "[data-kpi=cost_7d]"), "$15.80");
    assert_eq!(text(&root, "[data-kpi=cost_30d]"), "$58.40");
    assert_eq!(text(&root, "[data-kpi=monthly_projection]"), "$67.71");
    assert_eq!(text(&root, "[data-kpi=today_cost]"), "$2.45");
    assert_eq!(text(&root, "[data-kpi=daily_budget]"), "$50.00");
    assert_eq!(text(&root, "[data-kpi=today_prs_merged]"), "8");
    // 2025-11-08T10:15 → 2025-11-10T14:30 = 2 d 4 h 15 min
    assert_eq!(text(&root, "[data-kpi=uptime]"), "2d 4h");
    assert_eq!(text(&root, "[data-kpi=mode]"), "autonomous");
    assert_eq!(text(&root, "[data-kpi=status]"), "Running");
    assert!(text(&root, "[data-section=current_work]").contains("issue-145"));
    assert!(text(&root, "[data-section=current_work]").contains("implementation"));
    assert!(text(&root, "[data-kpi=health_status]").contains("degraded"));
    // No insights in this analysis: the empty state says what fills them.
    assert!(text(&root, "[data-section=insights]").contains("seed 002"));
    let canvas = root
        .query_selector("[data-chart=ops_per_day] canvas")
        .unwrap()
        .unwrap();
    assert_eq!(canvas.get_attribute("role").as_deref(), Some("img"));
    assert!(canvas
        .get_attribute("aria-label")
        .unwrap()
        .contains("2 points from 11-09 to 11-10"));
}

#[wasm_bindgen_test]
async fn agents_table_sorts_and_escapes_names() {
    let root = mount(Route::Agents, ViewProps::new(loaded(sample()), None)).await;
    assert_eq!(count(&root, "[data-table=agents] tbody tr"), 3);
    // Initial order: operations, most first.
    let first = root
        .query_selector("[data-table=agents] tbody tr")
        .unwrap()
        .unwrap();
    assert_eq!(first.get_attribute("data-row").as_deref(), Some("coder"));
    assert_eq!(
        text(&root, "[data-row=tester] [data-col=success_rate]"),
        "50.0 % needs attention"
    );
    // Names from files are text, never markup.
    assert_eq!(count(&root, "img"), 0);
    assert!(root
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
    // Sort by success rate: click twice → descending, then ascending.
    let button = root
        .query_selector("[data-table=agents] th[data-col=success_rate] button")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    button.click();
    tick().await;
    button.click();
    tick().await;
    let first = root
        .query_selector("[data-table=agents] tbody tr")
        .unwrap()
        .unwrap();
    assert_eq!(first.get_attribute("data-row").as_deref(), Some("tester"));
    assert_eq!(
        root.query_selector("[data-table=agents] th[data-col=success_rate]")
            .unwrap()
            .unwrap()
            .get_attribute("aria-sort")
            .as_deref(),
        Some("ascending")
    );
    // The seed 003 bar chart's labels.
    assert!(text(&root, "[data-chart=agent_success] .chart-data").contains("89% (45 tasks)"));
}

#[wasm_bindgen_test]
async fn agent_detail_from_the_url() {
    let root = mount(
        Route::Agents,
        ViewProps::new(loaded(sample()), Some("coder".into())),
    )
    .await;
    assert_eq!(count(&root, "[data-view=agent]"), 1);
    assert_eq!(text(&root, "[data-kpi=count]"), "45");
    assert!(text(&root, "[data-section=agent_failures]").contains("assertion"));
    assert!(text(&root, "[data-section=efficiency]").contains("No efficiency score"));
}

#[wasm_bindgen_test]
async fn operations_matrix_colours_cells() {
    let root = mount(Route::Operations, ViewProps::new(loaded(sample()), None)).await;
    assert_eq!(count(&root, "[data-table=operations] tbody tr"), 2);
    let cell = root
        .query_selector("[data-table=kind_agent] [data-row=run_tests] [data-col=tester]")
        .unwrap()
        .unwrap();
    assert!(cell.class_name().contains("tone-bad"));
    assert!(cell.text_content().unwrap().starts_with("50%"));
}

#[wasm_bindgen_test]
async fn session_detail_asks_the_worker_for_its_timeline() {
    let asked = Rc::new(RefCell::new(Vec::new()));
    let sink = asked.clone();
    let mut view = ViewProps::new(loaded(sample()), Some("run-1".into()));
    view.on_request = Callback::from(move |r: Request| sink.borrow_mut().push(format!("{r:?}")));
    let root = mount(Route::Sessions, view).await;
    assert_eq!(asked.borrow().as_slice(), ["SessionTimeline(\"run-1\")"]);
    assert!(text(&root, "[data-view=session]").contains("Loading the timeline"));

    let mut view = ViewProps::new(loaded(sample()), Some("run-1".into()));
    view.timeline = Some(Rc::new((
        "run-1".to_string(),
        vec![
            op("a", "coder", Outcome::Success, None),
            op("b", "tester", Outcome::Failure, Some("timeout")),
        ],
    )));
    let root = mount(Route::Sessions, view).await;
    assert_eq!(count(&root, "[data-chart=session_timeline] canvas"), 1);
    assert_eq!(count(&root, "[data-table=session_operations] tbody tr"), 2);
}

#[wasm_bindgen_test]
async fn sessions_list_and_llm_empty_state() {
    let root = mount(Route::Sessions, ViewProps::new(loaded(sample()), None)).await;
    assert_eq!(count(&root, "[data-table=sessions] tbody tr"), 1);
    assert!(text(&root, "[data-section=llm_comparison]").contains("seed 002"));
}

#[wasm_bindgen_test]
async fn failures_grouped_and_filtered() {
    let root = mount(Route::Failures, ViewProps::new(loaded(sample()), None)).await;
    assert_eq!(
        text(
            &root,
            "[data-table=errors_by_type] [data-row=timeout] td.num"
        ),
        "3"
    );
    assert_eq!(count(&root, "[data-table=failures] tbody tr"), 2);
    let select = root
        .query_selector("[data-filter=error_type]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    select.set_value("timeout");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(count(&root, "[data-table=failures] tbody tr"), 1);
    assert_eq!(count(&root, "[data-table=failures] [data-row=f1]"), 1);
}

#[wasm_bindgen_test]
async fn costs_list_unpriced_models_never_as_zero() {
    let root = mount(Route::Costs, ViewProps::new(loaded(sample()), None)).await;
    assert_eq!(text(&root, "[data-kpi=total_cost]"), "$15.80");
    assert!(text(&root, "[data-list=unpriced_models]").contains("mystery-model"));
    assert_eq!(
        text(
            &root,
            "[data-table=cost_by_model] [data-row=mystery-model] td:nth-child(3)"
        ),
        "unpriced"
    );
}

#[wasm_bindgen_test]
async fn alerts_show_severity_word_and_threshold() {
    let root = mount(Route::Alerts, ViewProps::new(loaded(sample()), None)).await;
    assert_eq!(text(&root, "[data-table=alerts] [data-severity]"), "high");
    assert!(text(&root, "[data-table=alerts] tbody tr").contains("20.0 %"));
    assert!(text(&root, "[data-table=alerts] tbody tr").contains("15.0 %"));
}

#[wasm_bindgen_test]
async fn empty_analysis_gives_empty_states_not_zeros() {
    let empty = loaded(Analysis::default());
    for route in [
        Route::Overview,
        Route::Agents,
        Route::Operations,
        Route::Sessions,
        Route::Failures,
        Route::Costs,
        Route::Alerts,
        Route::Bottlenecks,
    ] {
        let root = mount(route, ViewProps::new(empty.clone(), None)).await;
        assert!(count(&root, ".empty") > 0, "{route:?} has no empty state");
        assert_eq!(count(&root, "[data-kpi=success_rate]"), 0, "{route:?}");
    }
}

#[wasm_bindgen_test]
async fn report_preview_and_downloads_use_the_core_writers() {
    use baton_core::report::{report_json, report_markdown, ReportKind};
    use baton_web::views::report::options;
    let a = sample();
    let root = mount(Route::Report, ViewProps::new(loaded(a.clone()), None)).await;
    let md = report_markdown(&a, &options(ReportKind::Summary, "operations"));
    let title = md
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap()
        .to_string();
    assert_eq!(text(&root, "[data-preview=markdown] h1"), title);
    // The hostile agent name is text in the preview too.
    assert_eq!(count(&root, "[data-preview] img"), 0);
    assert_eq!(count(&root, "[data-download]"), 5);
    // The JSON preview is the writer's output, byte for byte.
    let select = root
        .query_selector("[data-control=format]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    select.set_value("json");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(
        text(&root, "[data-preview=text]"),
        report_json(&a, &options(ReportKind::Summary, "operations"))
    );
    // Every download writes its file without an error.
    let buttons = root.query_selector_all("[data-download]").unwrap();
    for i in 0..buttons.length() {
        buttons
            .item(i)
            .unwrap()
            .dyn_into::<web_sys::HtmlElement>()
            .unwrap()
            .click();
        tick().await;
    }
    assert_eq!(count(&root, "[role=alert]"), 0);
    // A weekly report on a 7-day analysis needs no other period.
    let kind = root
        .query_selector("[data-control=kind]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    kind.set_value("monthly");
    kind.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert!(text(&root, "[data-note=report_period]").contains("covers 30 days"));
}

#[wasm_bindgen_test]
async fn charts_fill_their_box_and_redraw_on_resize() {
    let root = mount(Route::Costs, ViewProps::new(loaded(sample()), None)).await;
    let host = root.clone().dyn_into::<web_sys::HtmlElement>().unwrap();
    host.style().set_property("width", "700px").unwrap();
    tick().await;
    tick().await;
    let canvas = root
        .query_selector("[data-chart=cost_per_day] canvas")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .unwrap();
    let dpr = web_sys::window().unwrap().device_pixel_ratio();
    let css = canvas.get_bounding_client_rect().width();
    assert!(css > 100.0, "canvas box {css}");
    // Drawn at the device pixel ratio of its CSS box.
    assert_eq!(canvas.width(), (css * dpr).round() as u32);
    host.style().set_property("width", "400px").unwrap();
    tick().await;
    tick().await;
    let css2 = canvas.get_bounding_client_rect().width();
    assert!(css2 < css, "{css2} < {css}");
    assert_eq!(canvas.width(), (css2 * dpr).round() as u32);
}

#[wasm_bindgen_test]
async fn data_view_shows_recorded_totals_against_computed_cost() {
    // A Claude result record's total_cost_usd of $0.60 for run-1, whose
    // operations Baton prices at $0.50.
    let mut a = sample();
    a.sessions[0].stats.total_cost = Some(0.5);
    a.aggregates = vec![AggregateSummary {
        source: "result.json".into(),
        origin: "claude_result".into(),
        scope: "session".into(),
        name: Some("run-1".into()),
        period_start: None,
        period_end: None,
        count: None,
        success_rate: None,
        avg_duration: None,
        total_cost: Some(0.6),
        total_tokens: None,
        used: false,
    }];
    let loaded = Rc::new(Loaded {
        analysis: a,
        sources: vec![baton_core::model::Source {
            name: "result.json".into(),
            format: baton_core::model::Format::ClaudeCode,
            bytes: 512,
            counts: baton_core::model::RecordCounts {
                read: 1,
                imported: 1,
                duplicates: 0,
                skipped: 0,
            },
            diagnostics: Vec::new(),
            quality: vec![("recorded total cost USD".into(), 0.6)],
        }],
        choices: Choices::default(),
        timings: Default::default(),
        engine_memory_bytes: None,
    });
    let root = mount(Route::Data, ViewProps::new(loaded, None)).await;
    assert_eq!(
        text(&root, "[data-table=recorded-totals] [data-col=recorded]"),
        "$0.60"
    );
    assert_eq!(
        text(&root, "[data-table=recorded-totals] [data-col=computed]"),
        "$0.50"
    );
}
