//! `baton-bench`: Baton's native benchmark.
//!
//! ```text
//! baton-bench gen --operations N [--dir bench-data]     write the four exports of N operations
//! baton-bench run [--sizes 10000,100000,1000000] [--runs 3] [--dir bench-data] [--out docs/bench]
//!                 [--no-duckdb] [--no-node]             time Baton and the baselines, write the results
//! baton-bench baton FILE                                import + analyse one file (one timed process)
//! baton-bench limit FILE json|ndjson                    the serde_json limit on one file
//! baton-bench page-size [--dist dist]                   gzip and brotli size of the built page
//! ```
//!
//! `run` times each contender as a whole process on the same file (best of
//! `--runs`), after checking that all of them print the same per-agent
//! figures, and writes `results.md`, `results.json` and `time-vs-size.svg`.

mod gen;
mod kpi;
mod limit;
mod page;
mod plot;
mod runner;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use baton_core::analysis::{analyze, AnalysisOptions};
use baton_core::model::Dataset;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .rposition(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => gen_cmd(&args),
        Some("baton") => baton_cmd(&args),
        Some("limit") => limit_cmd(&args),
        Some("run") => runner::run(&args),
        Some("page-size") => page::run(&args),
        _ => Err("usage: baton-bench gen|run|baton|limit|page-size ... (see the README's Benchmarks section)"
            .to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("baton-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn gen_cmd(args: &[String]) -> Result<(), String> {
    let n: u64 = arg(args, "--operations")
        .ok_or("--operations N is required")?
        .parse()
        .map_err(|e| format!("--operations: {e}"))?;
    let dir = PathBuf::from(arg(args, "--dir").unwrap_or_else(|| "bench-data".into()));
    let f = gen::generate(&dir, n).map_err(|e| e.to_string())?;
    for p in [f.json, f.ndjson, f.seed004, f.seed003] {
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        println!("{}\t{} bytes", p.display(), size);
    }
    Ok(())
}

/// Reads, imports and analyses one file the way the CLI and the web worker
/// do; prints the per-agent figures and, on stderr, where the time went.
fn baton_cmd(args: &[String]) -> Result<(), String> {
    let path = args.get(1).ok_or("baton FILE")?;
    let t0 = Instant::now();
    // Mapped with its pages loaded up front, as the CLI reads large files.
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    // SAFETY: read-only, private map of a file nothing else writes meanwhile.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }
        .map_err(|e| format!("{path}: {e}"))?;
    let bytes: &[u8] = &map;
    let t1 = Instant::now();
    let mut ds = Dataset::new();
    let name = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    baton_core::import::import_file(&mut ds, &name, bytes).map_err(|e| e.to_string())?;
    let t2 = Instant::now();
    let a = analyze(&ds, &AnalysisOptions::default());
    let t3 = Instant::now();
    let kpis = a
        .agents
        .iter()
        .map(|(agent, g)| {
            (
                agent.clone(),
                kpi::Kpi {
                    count: g.count,
                    success_rate: g.success_rate,
                    avg_duration: g.avg_duration,
                    p95_duration: g.p95_duration,
                    tokens: g.total_tokens,
                },
            )
        })
        .collect();
    kpi::print(&kpis);
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    eprintln!(
        "timing read_ms={:.1} import_ms={:.1} analyze_ms={:.1} operations={}",
        ms(t0, t1),
        ms(t1, t2),
        ms(t2, t3),
        ds.operations.len()
    );
    // The process ends here: the operating system frees everything at once.
    std::mem::forget(a);
    std::mem::forget(ds);
    std::mem::forget(map);
    Ok(())
}

fn limit_cmd(args: &[String]) -> Result<(), String> {
    let path = args.get(1).ok_or("limit FILE json|ndjson")?;
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let kpis = match args.get(2).map(String::as_str) {
        Some("ndjson") => limit::ndjson(&bytes)?,
        _ => limit::document(&bytes)?,
    };
    kpi::print(&kpis);
    std::mem::forget(bytes);
    Ok(())
}
