//! Browser benchmark, ignored by default (run by `./scripts/bench.sh --browser`):
//! the built app (`dist/`) loads the generated exports through the file input, and
//! this measures, in the page's own clock, the time from the file's selection (the
//! input's `change` event) to the Overview being drawn (the first animation frame
//! after `[data-view=overview]` appears), the longest main-thread task meanwhile
//! (PerformanceObserver, `longtask`), the analysis worker's WebAssembly memory after
//! the load (its peak: WebAssembly memory only grows; the Data view shows it), and the
//! peak resident memory of this test's browser (its processes, renderer and worker
//! included, sampled from /proc every 50 ms). After the load it opens every view once
//! and reports the longest main-thread task of those switches.
//!
//! `BATON_BENCH_SIZES` (default `100k,1m`) picks the files `bench-data/ops-<size>.baton.json`
//! and `.ndjson`
//! (generate them with `baton-bench gen` or `./scripts/bench.sh`). Results are printed
//! and written to `docs/bench/browser.md`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use baton_e2e::{repo_root, App};

/// Resident memory, in KB, of the browser started for `marker` (the process whose
/// command line names it, through its profile folder) and all its descendants
/// (renderer, GPU, utility processes): other browsers on the machine do not count.
fn browser_rss_kb(marker: &str) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    // (pid, parent pid, RSS KB, is the browser's root process)
    let mut procs: Vec<(u32, u32, u64, bool)> = Vec::new();
    for entry in dir.flatten() {
        let path = entry.path();
        let Some(pid) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(path.join("status")) else {
            continue;
        };
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        };
        let cmd = std::fs::read_to_string(path.join("cmdline")).unwrap_or_default();
        let root = cmd.contains(marker) && !cmd.contains("chromedriver");
        procs.push((
            pid,
            field("PPid:").unwrap_or(0) as u32,
            field("VmRSS:").unwrap_or(0),
            root,
        ));
    }
    let mut mine: Vec<u32> = procs.iter().filter(|p| p.3).map(|p| p.0).collect();
    let mut grew = true;
    while grew {
        grew = false;
        for p in &procs {
            if !mine.contains(&p.0) && mine.contains(&p.1) {
                mine.push(p.0);
                grew = true;
            }
        }
    }
    procs
        .iter()
        .filter(|p| mine.contains(&p.0))
        .map(|p| p.2)
        .sum()
}

#[test]
#[ignore]
fn big_files_load_in_the_browser() {
    let sizes = std::env::var("BATON_BENCH_SIZES").unwrap_or_else(|_| "100k,1m".into());
    let mut report = String::from(
        "| file | MB | selection → Overview drawn (s) | longest main-thread task (ms) | longest task opening each view after (ms) | worker: read / import / analysis (s) | worker wasm memory (MB) | wasm memory / file size | browser RSS before → peak (MB) | growth (MB) |\n|---|---:|---:|---:|---|---:|---:|---:|---:|---:|\n",
    );
    let files = sizes
        .split(',')
        .map(str::trim)
        .flat_map(|size| ["json", "ndjson"].map(|ext| format!("{size}.baton.{ext}")));
    for file in files {
        let label = file.replace('.', "_");
        let path = repo_root().join(format!("bench-data/ops-{file}"));
        if !path.is_file() {
            eprintln!("{} is missing: run baton-bench gen first", path.display());
            continue;
        }
        let mb = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6);
        let Some(mut app) = App::start(&format!("bench_browser_{label}")) else {
            return;
        };
        app.set_timeout(Duration::from_secs(600));
        app.open("");
        app.wait_for("input[type=file]");
        app.eval(
            r#"
            window.__bench = { longest: 0, t0: null, t1: null };
            new PerformanceObserver((list) => {
                for (const e of list.getEntries()) {
                    window.__bench.longest = Math.max(window.__bench.longest, e.duration);
                }
            }).observe({ type: 'longtask', buffered: true });
            for (const input of document.querySelectorAll('input[type=file]')) {
                input.addEventListener('change', () => {
                    window.__bench.t0 = performance.now();
                    const poll = () => {
                        if (document.querySelector('[data-view=overview]')) {
                            requestAnimationFrame(() => { window.__bench.t1 = performance.now(); });
                        } else {
                            requestAnimationFrame(poll);
                        }
                    };
                    requestAnimationFrame(poll);
                }, { capture: true });
            }
            return true;
            "#,
        );
        let marker = format!("bench_browser_{label}");
        let before = browser_rss_kb(&marker);
        let stop = Arc::new(AtomicBool::new(false));
        let sampler = {
            let stop = stop.clone();
            let marker = marker.clone();
            std::thread::spawn(move || {
                let mut peak = 0;
                while !stop.load(Ordering::Relaxed) {
                    peak = peak.max(browser_rss_kb(&marker));
                    std::thread::sleep(Duration::from_millis(50));
                }
                peak
            })
        };
        app.upload(&[&path]);
        app.wait_until("the Overview drawn", || {
            app.eval("return window.__bench.t1 !== null") == serde_json::Value::Bool(true)
        });
        // Long-task entries are delivered after the task: give them time to arrive.
        std::thread::sleep(Duration::from_millis(1000));
        stop.store(true, Ordering::Relaxed);
        let peak = sampler.join().unwrap_or(0);
        let b = app.eval("return window.__bench");
        let secs = (b["t1"].as_f64().unwrap_or(0.0) - b["t0"].as_f64().unwrap_or(0.0)) / 1000.0;
        let longest = b["longest"].as_f64().unwrap_or(0.0);
        let growth = peak.saturating_sub(before) as f64 / 1024.0;
        app.eval("location.hash = '#/data'; return true");
        app.wait_for("[data-kpi=engine_memory]");
        let wasm_bytes = app
            .eval("return Number(document.querySelector('[data-kpi=engine_memory]').dataset.bytes)")
            .as_f64()
            .unwrap_or(0.0);
        let phase = |name: &str| {
            app.eval(&format!(
                "return Number(document.querySelector('[data-kpi=load_timings]').dataset.{name}) / 1000"
            ))
            .as_f64()
            .unwrap_or(0.0)
        };
        let (read, import, analysis) = (phase("readMs"), phase("importMs"), phase("analysisMs"));
        // Every view opened once after the load: the longest main-thread task
        // of each switch, and the view it came from.
        let mut views = (0.0f64, String::new());
        for view in [
            "agents",
            "operations",
            "sessions",
            "failures",
            "costs",
            "alerts",
            "bottlenecks",
            "report",
            "overview",
        ] {
            app.eval(&format!(
                "window.__bench.longest = 0; location.hash = '#/{view}'; return true"
            ));
            app.wait_for(&format!("[data-view={view}]"));
            std::thread::sleep(Duration::from_millis(700));
            let longest = app
                .eval("return window.__bench.longest")
                .as_f64()
                .unwrap_or(0.0);
            if longest > views.0 {
                views = (longest, view.to_string());
            }
        }
        let views = if views.1.is_empty() {
            "0".to_string()
        } else {
            format!("{:.0} ({})", views.0, views.1)
        };
        let line = format!(
            "| ops-{file} | {mb:.1} | {secs:.2} | {longest:.0} | {views} | {read:.2} / {import:.2} / {analysis:.2} | {:.0} | {:.2} | {:.0} → {:.0} | {growth:.0} |\n",
            wasm_bytes / 1e6,
            wasm_bytes / 1e6 / mb.max(1e-9),
            before as f64 / 1024.0,
            peak as f64 / 1024.0,
        );
        eprint!("{line}");
        report.push_str(&line);
        drop(app);
    }
    let out = repo_root().join("docs/bench/browser.md");
    let _ = std::fs::create_dir_all(out.parent().unwrap_or(&repo_root()));
    let _ = std::fs::write(&out, &report);
    println!("{report}");
}
