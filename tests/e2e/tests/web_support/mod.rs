//! Shared steps of the `web_*` browser tests: loading data, reading figures,
//! checking charts, and the figures the engine computes for the same data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use baton_core::analysis::{analyze, Analysis, AnalysisOptions};
use baton_core::model::Dataset;
use baton_e2e::{fixture, App, DEFAULT_TIMEOUT};
use baton_web::format;
use serde_json::json;

/// The file input of the pickers (several files, not a folder).
pub const FILES_INPUT: &str = "input[type=file]:not([webkitdirectory])";
/// The folder picker's input.
pub const FOLDER_INPUT: &str = "input[type=file][webkitdirectory]";

/// Opens the app and waits for the welcome screen.
pub fn open_fresh(app: &App) {
    app.open("");
    app.wait_for("#load-sample");
}

/// Waits until the text of `selector` equals `want`, then asserts it (so a
/// failure shows both texts).
#[track_caller]
pub fn wait_text_eq(app: &App, selector: &str, want: &str) {
    let deadline = Instant::now() + DEFAULT_TIMEOUT;
    loop {
        let got = app.texts(selector).into_iter().next();
        if got.as_deref().map(str::trim) == Some(want) {
            return;
        }
        if Instant::now() > deadline {
            panic!(
                "`{selector}`: expected {want:?}, the page shows {got:?} (console errors: {:?})",
                app.console_errors()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The selector of a figure shown with `data-kpi` inside the current view.
pub fn kpi(id: &str) -> String {
    format!("main [data-kpi=\"{id}\"]")
}

/// Waits until the data is loaded and analysed (no progress, no "Analysing…").
pub fn wait_idle(app: &App) {
    app.wait_for("main section.view");
    app.wait_gone(".progress, .busy");
}

/// Goes to a view by its hash and waits for it.
pub fn go(app: &App, slug: &str) {
    app.eval_with(
        "location.hash = arguments[0]",
        vec![json!(format!("#/{slug}"))],
    );
    app.wait_until(&format!("the {slug} view"), || {
        app.eval("return document.querySelector('nav a.current')?.getAttribute('href')")
            == json!(format!("#/{slug}"))
    });
    wait_idle(app);
}

/// Chooses `value` in the `<select>` matching `selector` as a user does
/// (sets it and fires `change`).
pub fn choose(app: &App, selector: &str, value: &str) {
    app.wait_for(selector);
    app.eval_with(
        "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(selector), json!(value)],
    );
}

/// How many `<canvas>` elements of the current view are drawn (at least one
/// non-transparent pixel), and how many there are.
pub fn drawn_canvases(app: &App) -> (usize, usize) {
    let v = app.eval(
        "const cs = [...document.querySelectorAll('main canvas')]; \
         const drawn = cs.filter(c => { \
           if (!c.width || !c.height) return false; \
           const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
           for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; \
           return false; }); \
         return [drawn.length, cs.length];",
    );
    (
        v[0].as_u64().unwrap_or(0) as usize,
        v[1].as_u64().unwrap_or(0) as usize,
    )
}

/// Waits until every canvas of the view is drawn; returns how many there are.
#[track_caller]
pub fn wait_canvases_drawn(app: &App, view: &str) -> usize {
    let mut last = (0, 0);
    app.wait_until(&format!("every chart of {view} drawn"), || {
        last = drawn_canvases(app);
        last.0 == last.1
    });
    last.1
}

/// The engine's analysis of `ds` with `opts`.
pub fn analysis(ds: &Dataset, opts: &AnalysisOptions) -> Analysis {
    analyze(ds, opts)
}

/// Imports `files` (name as the app names it, path) in order, as the app does.
pub fn import(files: &[(String, PathBuf)]) -> Dataset {
    let mut ds = Dataset::new();
    for (name, path) in files {
        let bytes = std::fs::read(path).unwrap();
        // A file the engine refuses is left out, as the app does (it names it instead).
        let _ = baton_core::import::import_file(&mut ds, name, &bytes);
    }
    ds
}

/// Every file below `dir`, sorted, with its path relative to `dir`'s parent
/// (as a folder picker names them: `folder/sub/file.json`).
pub fn folder_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let parent = dir.parent().unwrap();
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(parent)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, p));
            }
        }
    }
    out.sort();
    out
}

/// The fixture files of `tests/fixtures/<dir>` (directly in it), sorted, named by
/// their file name.
pub fn fixture_files(dir: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(fixture(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// The overview figures the page shows for `a`: (data-kpi, text), formatted by
/// the app's own rules (`baton_web::format`).
pub fn overview_figures(a: &Analysis) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("today_operations", format::int(a.today.total_operations)),
        ("today_cost", format::usd(a.today.cost.or(a.costs.today))),
    ];
    if a.costs.total_cost.is_some() || !a.costs.unpriced_models.is_empty() {
        out.extend([
            ("cost_7d", format::usd(a.costs.last_7_days)),
            ("cost_30d", format::usd(a.costs.last_30_days)),
            (
                "monthly_projection",
                format::usd(a.costs.monthly_projection),
            ),
            (
                "cost_per_operation",
                format::usd(a.costs.avg_cost_per_operation),
            ),
        ]);
    }
    let w = &a.last_7_days;
    if w.total_operations > 0 {
        out.extend([
            ("success_rate", format::pct(w.success_rate)),
            ("avg_duration", format::duration(w.avg_duration)),
            ("cache_hit_rate", format::pct(w.cache_hit_rate)),
            ("error_rate", format::pct(w.error_rate)),
        ]);
    }
    out
}

/// The Costs view's figures for `a` (when it has any cost or token data).
pub fn cost_figures(a: &Analysis) -> Vec<(&'static str, String)> {
    let c = &a.costs;
    vec![
        ("total_cost", format::usd(c.total_cost)),
        ("cost_per_operation", format::usd(c.avg_cost_per_operation)),
        ("cost_7d", format::usd(c.last_7_days)),
        ("cost_30d", format::usd(c.last_30_days)),
        ("monthly_projection", format::usd(c.monthly_projection)),
        ("total_tokens", format::tokens(c.total_tokens)),
    ]
}

/// Checks every figure in `figures` on the current view.
#[track_caller]
pub fn check_figures(app: &App, figures: &[(&str, String)]) {
    for (id, want) in figures {
        wait_text_eq(app, &kpi(id), want);
    }
}

/// The Data view's table rows: (file, format, read, imported, duplicates, skipped).
pub fn data_rows(app: &App) -> Vec<[String; 6]> {
    go(app, "data");
    let rows = app.eval(
        "return [...document.querySelectorAll('main table[data-table=files] tbody tr')]\
         .map(r => [...r.cells].map(c => c.innerText.trim()))",
    );
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let c: Vec<String> = r
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            [
                c[0].clone(),
                c[1].clone(),
                c[3].clone(),
                c[4].clone(),
                c[5].clone(),
                c[6].clone(),
            ]
        })
        .collect()
}

/// The Data view's rows the engine expects for `ds`, in the engine's order.
pub fn expected_rows(ds: &Dataset) -> Vec<[String; 6]> {
    ds.sources
        .iter()
        .map(|s| {
            [
                s.name.clone(),
                s.format.label().to_string(),
                s.counts.read.to_string(),
                s.counts.imported.to_string(),
                s.counts.duplicates.to_string(),
                s.counts.skipped.to_string(),
            ]
        })
        .collect()
}

/// Clears what is loaded and waits for the welcome screen.
pub fn clear(app: &App) {
    app.click("header button.danger");
    app.wait_for("#load-sample");
}

/// Saves a PNG of the whole page (not only the window), at most 4000 px tall,
/// as `target/e2e-screenshots/<name>.png`.
pub fn full_screenshot(app: &App, name: &str) {
    use base64::Engine as _;
    let size = app.eval(
        "const e = document.documentElement; \
         return [e.scrollWidth, Math.min(e.scrollHeight, 4000)]",
    );
    let shot = app.cdp(
        "Page.captureScreenshot",
        json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1 },
        }),
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    let dir = baton_e2e::target_dir().join("e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}
