//! `baton-bench run`: every contender as a whole process on the same files,
//! checked for agreement, then timed side by side.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;

use crate::gen;
use crate::kpi;
use crate::plot::{self, Series};

const NODE_SCRIPT: &str = include_str!("../scripts/kpis.js");
const DUCKDB_SCRIPT: &str = include_str!("../scripts/kpis.py");

/// One timed measurement.
#[derive(Serialize, Clone)]
struct Row {
    operations: u64,
    /// json, ndjson, seed004, seed003.
    format: String,
    /// baton, limit, duckdb, node.
    contender: String,
    bytes: u64,
    /// Best wall time of the runs, seconds.
    seconds: f64,
    /// Every run's wall time, seconds.
    runs: Vec<f64>,
    /// Peak resident memory of the best run, MB.
    peak_rss_mb: f64,
    /// CPU time (user + system) of the best run, seconds: steadier than wall
    /// time on a shared machine.
    cpu_seconds: f64,
    /// Baton only: read, import and analyse milliseconds of the best run.
    breakdown: Option<(f64, f64, f64)>,
}

struct Contender {
    name: &'static str,
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .rposition(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// What one run measured.
struct Measure {
    wall: f64,
    cpu: f64,
    rss_mb: f64,
    stdout: String,
    stderr: String,
}

/// Runs a command to the end and measures it.
fn timed(c: &Contender) -> Result<Measure, String> {
    let dir = std::env::temp_dir();
    let tag = format!("baton-bench-{}", std::process::id());
    let out_path = dir.join(format!("{tag}.out"));
    let err_path = dir.join(format!("{tag}.err"));
    let out = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let err = std::fs::File::create(&err_path).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let child = Command::new(&c.program)
        .args(&c.args)
        .envs(c.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("{}: {e}", c.program))?;
    let (status, rss_kb, cpu) = wait(child.id());
    let secs = start.elapsed().as_secs_f64();
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    if status != 0 {
        return Err(format!(
            "{} {} failed ({status}): {}",
            c.program,
            c.args.join(" "),
            stderr.trim()
        ));
    }
    Ok(Measure {
        wall: secs,
        cpu,
        rss_mb: rss_kb as f64 / 1024.0,
        stdout,
        stderr,
    })
}

/// Waits for a child; (exit status, peak RSS in KB, CPU seconds) from
/// wait4's rusage.
fn wait(pid: u32) -> (i32, i64, f64) {
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child with valid pointers to locals.
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    if r < 0 {
        return (-1, 0, 0.0);
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        code,
        usage.ru_maxrss,
        secs(usage.ru_utime) + secs(usage.ru_stime),
    )
}

fn breakdown(stderr: &str) -> Option<(f64, f64, f64)> {
    let line = stderr.lines().find(|l| l.starts_with("timing "))?;
    let get = |k: &str| -> Option<f64> {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(k))
            .and_then(|v| v.parse().ok())
    };
    Some((get("read_ms=")?, get("import_ms=")?, get("analyze_ms=")?))
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or_else(String::new, |kb| {
            format!(", {:.1} GB RAM", kb / 1024.0 / 1024.0)
        });
    format!("{cpu}, {cores} cores{mem}")
}

fn available(program: &str, args: &[&str], env: &[(String, String)]) -> bool {
    Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The `run` command.
pub fn run(args: &[String]) -> Result<(), String> {
    let sizes: Vec<u64> = arg(args, "--sizes")
        .unwrap_or_else(|| "10000,100000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse::<u64>().map_err(|e| format!("--sizes: {e}")))
        .collect::<Result<_, _>>()?;
    let runs: usize = arg(args, "--runs")
        .unwrap_or_else(|| "3".into())
        .parse()
        .map_err(|e| format!("--runs: {e}"))?;
    let dir = PathBuf::from(arg(args, "--dir").unwrap_or_else(|| "bench-data".into()));
    let out = PathBuf::from(arg(args, "--out").unwrap_or_else(|| "docs/bench".into()));
    let py_path = arg(args, "--pythonpath").unwrap_or_else(|| ".tools/py".into());
    let exe = std::env::current_exe()
        .map_err(|e| e.to_string())?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let node_js = dir.join("kpis.js");
    let duck_py = dir.join("kpis.py");
    std::fs::write(&node_js, NODE_SCRIPT).map_err(|e| e.to_string())?;
    std::fs::write(&duck_py, DUCKDB_SCRIPT).map_err(|e| e.to_string())?;
    let py_env = vec![("PYTHONPATH".to_string(), py_path.clone())];
    let use_duckdb = !args.iter().any(|a| a == "--no-duckdb")
        && available("python3", &["-c", "import duckdb"], &py_env);
    let use_node = !args.iter().any(|a| a == "--no-node") && available("node", &["-v"], &[]);
    if !use_duckdb {
        eprintln!("DuckDB not measured (python3 with duckdb under {py_path} not found)");
    }
    if !use_node {
        eprintln!("Node.js not measured (node not found)");
    }
    let load_start = load();
    let started = Instant::now();
    let mut rows: Vec<Row> = Vec::new();
    for &n in &sizes {
        let f = gen::generate(&dir, n).map_err(|e| e.to_string())?;
        let files: [(&str, &Path); 4] = [
            ("json", &f.json),
            ("ndjson", &f.ndjson),
            ("seed004", &f.seed004),
            ("seed003", &f.seed003),
        ];
        for (format, path) in files {
            let bytes = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
            let p = path.to_string_lossy().into_owned();
            let mut contenders = vec![Contender {
                name: "baton",
                program: exe.clone(),
                args: vec!["baton".into(), p.clone()],
                env: vec![],
            }];
            if format == "json" || format == "ndjson" {
                contenders.push(Contender {
                    name: "limit",
                    program: exe.clone(),
                    args: vec!["limit".into(), p.clone(), format.into()],
                    env: vec![],
                });
                if use_duckdb {
                    contenders.push(Contender {
                        name: "duckdb",
                        program: "python3".into(),
                        args: vec![
                            duck_py.to_string_lossy().into_owned(),
                            p.clone(),
                            format.into(),
                        ],
                        env: py_env.clone(),
                    });
                }
                if use_node {
                    contenders.push(Contender {
                        name: "node",
                        program: "node".into(),
                        args: vec![
                            "--max-old-space-size=8192".into(),
                            node_js.to_string_lossy().into_owned(),
                            p.clone(),
                            format.into(),
                        ],
                        env: vec![],
                    });
                }
            }
            let mut reference: Option<std::collections::BTreeMap<String, kpi::Kpi>> = None;
            for c in &contenders {
                // The first run checks the figures (and warms the page cache).
                let stdout = timed(c)?.stdout;
                let figures = kpi::parse(&stdout)
                    .ok_or_else(|| format!("{}: unreadable output {stdout:?}", c.name))?;
                match &reference {
                    None => reference = Some(figures),
                    Some(r) => {
                        if let Some(d) = kpi::diff(r, &figures) {
                            return Err(format!(
                                "{} disagrees with baton on {}: {d}",
                                c.name,
                                path.display()
                            ));
                        }
                    }
                }
                let mut best: Option<Measure> = None;
                let mut all = Vec::new();
                for _ in 0..runs.max(1) {
                    let m = timed(c)?;
                    all.push(m.wall);
                    if best.as_ref().is_none_or(|b| m.wall < b.wall) {
                        best = Some(m);
                    }
                }
                let Some(best) = best else { continue };
                let (secs, rss, stderr) = (best.wall, best.rss_mb, best.stderr);
                let row = Row {
                    operations: n,
                    format: format.into(),
                    contender: c.name.into(),
                    bytes,
                    seconds: secs,
                    runs: all,
                    peak_rss_mb: rss,
                    cpu_seconds: best.cpu,
                    breakdown: breakdown(&stderr),
                };
                eprintln!(
                    "{:>8} {:<8} {:<7} {:>8.3} s ({:.3} s CPU) {:>8.1} MB/s {:>8.0} MB RSS",
                    gen::label(n),
                    format,
                    c.name,
                    secs,
                    best.cpu,
                    bytes as f64 / 1e6 / secs,
                    rss
                );
                rows.push(row);
            }
        }
    }
    let load_end = load();
    let md = markdown(&rows, &machine(), &load_start, &load_end, runs, started);
    std::fs::write(out.join("results.md"), &md).map_err(|e| e.to_string())?;
    let json = serde_json::json!({
        "machine": machine(),
        "load_before": load_start,
        "load_after": load_end,
        "runs": runs,
        "rows": rows,
    });
    std::fs::write(
        out.join("results.json"),
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(out.join("time-vs-size.svg"), svg(&rows)).map_err(|e| e.to_string())?;
    println!("{md}");
    Ok(())
}

fn name(contender: &str, format: &str) -> String {
    let c = match contender {
        "baton" => "Baton",
        "limit" => "serde_json limit",
        "duckdb" => "DuckDB",
        "node" => "Node.js",
        other => other,
    };
    let f = match format {
        "json" => "JSON",
        "ndjson" => "NDJSON",
        "seed004" => "seed 004",
        "seed003" => "seed 003 CSV",
        other => other,
    };
    format!("{c}, {f}")
}

fn svg(rows: &[Row]) -> String {
    let mut series: Vec<Series> = Vec::new();
    for r in rows {
        let n = name(&r.contender, &r.format);
        match series.iter_mut().find(|s| s.name == n) {
            Some(s) => s.points.push((r.operations as f64, r.seconds)),
            None => series.push(Series {
                name: n,
                points: vec![(r.operations as f64, r.seconds)],
            }),
        }
    }
    plot::svg("Import + analysis time against size", &series)
}

fn markdown(
    rows: &[Row],
    machine: &str,
    load_start: &str,
    load_end: &str,
    runs: usize,
    started: Instant,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Machine: {machine}. Load average (1, 5, 15 min) before: {load_start}; after: {load_end}. Best of {runs} runs per figure, after one checking run; total {:.0} s.\n", started.elapsed().as_secs_f64());
    let _ = writeln!(
        s,
        "| operations | file | MB | contender | time (s) | CPU (s) | MB/s | operations/s | peak RSS (MB) | × limit (time) | × limit (CPU) | Baton read / import / analyse (ms) |"
    );
    let _ = writeln!(
        s,
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for r in rows {
        let limit = rows
            .iter()
            .find(|l| {
                l.operations == r.operations && l.format == r.format && l.contender == "limit"
            })
            .map(|l| (l.seconds, l.cpu_seconds));
        let ratio = limit.map_or_else(String::new, |l| format!("{:.2}", r.seconds / l.0));
        let cpu_ratio = limit.map_or_else(String::new, |l| format!("{:.2}", r.cpu_seconds / l.1));
        let bd = r
            .breakdown
            .map_or_else(String::new, |(a, b, c)| format!("{a:.0} / {b:.0} / {c:.0}"));
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} | {} | {:.3} | {:.3} | {:.0} | {:.0} | {:.0} | {} | {} | {} |",
            gen::label(r.operations),
            r.format,
            r.bytes as f64 / 1e6,
            r.contender,
            r.seconds,
            r.cpu_seconds,
            r.bytes as f64 / 1e6 / r.seconds,
            r.operations as f64 / r.seconds,
            r.peak_rss_mb,
            ratio,
            cpu_ratio,
            bd
        );
    }
    // Ratios the targets name, at the largest size.
    if let Some(max) = rows.iter().map(|r| r.operations).max() {
        let find = |format: &str, c: &str| {
            rows.iter()
                .find(|r| r.operations == max && r.format == format && r.contender == c)
        };
        let get = |format: &str, c: &str| find(format, c).map(|r| r.seconds);
        let cpu = |format: &str, c: &str| find(format, c).map(|r| r.cpu_seconds);
        let _ = writeln!(s, "\nRatios at {} operations (time of Baton / time of the other; below 1 means Baton is faster):\n", gen::label(max));
        for format in ["json", "ndjson"] {
            for c in ["limit", "duckdb", "node"] {
                if let (Some(b), Some(o), Some(bc), Some(oc)) = (
                    get(format, "baton"),
                    get(format, c),
                    cpu(format, "baton"),
                    cpu(format, c),
                ) {
                    let _ = writeln!(
                        s,
                        "- {format}: Baton / {c} = {:.2} (wall time), {:.2} (CPU time)",
                        b / o,
                        bc / oc
                    );
                }
            }
        }
        if let (Some(b), Some(o), Some(bc), Some(oc)) = (
            get("json", "baton"),
            get("ndjson", "duckdb"),
            cpu("json", "baton"),
            cpu("ndjson", "duckdb"),
        ) {
            let _ = writeln!(
                s,
                "- Baton on the JSON document / DuckDB on the NDJSON copy = {:.2} (wall time), {:.2} (CPU time)",
                b / o,
                bc / oc
            );
        }
    }
    // Linearity: seconds per million operations at each size.
    let _ = writeln!(
        s,
        "\nBaton's cost per operation by size, wall time (CPU time); linear growth keeps it flat:\n"
    );
    for format in ["json", "ndjson", "seed004", "seed003"] {
        let per: Vec<String> = rows
            .iter()
            .filter(|r| r.format == format && r.contender == "baton")
            .map(|r| {
                format!(
                    "{}: {:.2} µs ({:.2} µs)",
                    gen::label(r.operations),
                    r.seconds / r.operations as f64 * 1e6,
                    r.cpu_seconds / r.operations as f64 * 1e6
                )
            })
            .collect();
        if !per.is_empty() {
            let _ = writeln!(s, "- {format}: {}", per.join(", "));
        }
    }
    s
}
