//! The `baton` command: reports, a terminal dashboard and CI checks from the
//! metrics exports of agent orchestrators.
//!
//! Exit codes: 0 success; 1 `check` found an alert at or above the chosen
//! severity; 2 an input could not be read or imported, or a usage error.

mod dashboard;
mod load;
mod output;
mod views;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use baton_core::analysis::{analyze, Analysis, AnalysisOptions, Severity, Thresholds};
use baton_core::model::Dataset;
use baton_core::report::{self, ReportFormat, ReportKind, ReportOptions};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "baton",
    version,
    about = "Reports, a terminal dashboard and CI checks from AI agent orchestrator metrics."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Inputs shared by every command that reads data.
#[derive(Args, Clone)]
struct Inputs {
    /// Files, folders (read recursively) or `-` for standard input, in any supported format.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Add the built-in sample dataset (30 days ending 2025-11-30T18:00:00Z).
    #[arg(long)]
    sample: bool,
    /// "Now" for the analysis (RFC 3339 or YYYY-MM-DD); default: the latest time in the data.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
    /// Do not print the import summary on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Markdown,
    Json,
    Csv,
    Prometheus,
    Grafana,
}

#[derive(Clone, Copy, ValueEnum)]
enum PeriodArg {
    Daily,
    Weekly,
    Monthly,
}

#[derive(Clone, Copy, ValueEnum)]
enum SeverityArg {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Subcommand)]
enum Command {
    /// Write a report (summary, detailed, daily, weekly or monthly).
    Report {
        #[command(flatten)]
        inputs: Inputs,
        /// Output format.
        #[arg(long, value_enum, default_value = "markdown")]
        format: FormatArg,
        /// Add by day, costs by day, errors by type, slowest and most expensive operations.
        #[arg(long)]
        detailed: bool,
        /// A periodic report with an executive summary and a comparison with the previous period.
        #[arg(long, value_enum)]
        period: Option<PeriodArg>,
        /// Period length in days ending at now (default: all data, or the --period's length).
        #[arg(long)]
        days: Option<u32>,
        /// CSV section (see `baton report --format csv --section list`).
        #[arg(long)]
        section: Option<String>,
        /// Gzip the output.
        #[arg(long)]
        gzip: bool,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Show the terminal dashboard; with --refresh, redraw until Ctrl-C.
    Dashboard {
        #[command(flatten)]
        inputs: Inputs,
        /// Re-read the inputs and redraw every SECONDS.
        #[arg(long, value_name = "SECONDS")]
        refresh: Option<u64>,
        /// Daily budget in USD for today's cost.
        #[arg(long, value_name = "USD")]
        budget: Option<f64>,
    },
    /// System health over the last N hours: runs, executions, alerts.
    Health {
        #[command(flatten)]
        inputs: Inputs,
        /// Hours ending at now (default 24).
        #[arg(long, default_value_t = 24)]
        hours: u32,
    },
    /// Recent failed operations and runs.
    Failures {
        #[command(flatten)]
        inputs: Inputs,
        /// How many to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Agents table; when the last argument is not a path, the detail of that agent.
    Agents {
        #[command(flatten)]
        inputs: Inputs,
    },
    /// Sessions (runs) list; when the last argument is not a path, that session and its executions.
    Sessions {
        #[command(flatten)]
        inputs: Inputs,
    },
    /// Print the alerts; exit 1 when one at or above --fail-on fires.
    Check {
        #[command(flatten)]
        inputs: Inputs,
        /// Lowest severity that fails the check.
        #[arg(long, value_enum, default_value = "high")]
        fail_on: SeverityArg,
        /// JSON file of thresholds (any subset of the fields; the rest keep their defaults).
        #[arg(long, value_name = "FILE")]
        thresholds: Option<PathBuf>,
        /// Period in days ending at now (default: all data).
        #[arg(long)]
        days: Option<u32>,
    },
    /// Convert the inputs into Baton canonical JSON.
    Export {
        #[command(flatten)]
        inputs: Inputs,
        /// Output file.
        #[arg(long, short)]
        output: PathBuf,
        /// Keep only records from this time on (RFC 3339 or YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
    },
    /// Print the JSON Schema of Baton canonical JSON.
    Schema,
    /// Write the sample dataset as Baton canonical JSON.
    Sample {
        /// Days of data.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// Output file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("baton: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Parses a time: RFC 3339, or a date (its start, or its end when `end_of_day`).
fn parse_time(s: &str, end_of_day: bool) -> Result<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.timestamp_millis());
    }
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("`{s}` is not a time (RFC 3339) or a date (YYYY-MM-DD)"))?;
    let start = d
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis())
        .ok_or_else(|| anyhow!("`{s}` is out of range"))?;
    Ok(if end_of_day {
        start + baton_core::model::Timestamp::DAY_MS - 1
    } else {
        start
    })
}

/// Loaded inputs: the dataset and whether any input failed.
struct Data {
    ds: Dataset,
    failed: usize,
    now: Option<i64>,
}

fn load(inputs: &Inputs) -> Result<Data> {
    if inputs.paths.is_empty() && !inputs.sample {
        bail!("no input: name files or folders, `-` for standard input, or --sample");
    }
    let now = inputs
        .now
        .as_deref()
        .map(|s| parse_time(s, true))
        .transpose()?;
    let l = load::load(&inputs.paths, inputs.sample, inputs.quiet);
    Ok(Data {
        ds: l.ds,
        failed: l.failed,
        now,
    })
}

fn options(data: &Data, days: Option<u32>) -> AnalysisOptions {
    AnalysisOptions {
        period_days: days,
        now: data.now,
        ..AnalysisOptions::default()
    }
}

/// Exit code of a data command: 2 when an input failed.
fn done(data: &Data) -> ExitCode {
    if data.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Splits off a trailing NAME: the last positional when it is not a path.
fn split_name(inputs: &Inputs) -> (Inputs, Option<String>) {
    let mut i = inputs.clone();
    let has_other = i.paths.len() > 1 || i.sample;
    if let Some(last) = i.paths.last() {
        if has_other && last.as_os_str() != "-" && !last.exists() {
            let name = last.to_string_lossy().into_owned();
            i.paths.pop();
            return (i, Some(name));
        }
    }
    (i, None)
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Report {
            inputs,
            format,
            detailed,
            period,
            days,
            section,
            gzip,
            output,
        } => {
            if format_is_csv(format) && section.as_deref() == Some("list") {
                emit(&format!("{}\n", report::sections().join("\n")));
                return Ok(ExitCode::SUCCESS);
            }
            let kind = match period {
                Some(PeriodArg::Daily) => ReportKind::Daily,
                Some(PeriodArg::Weekly) => ReportKind::Weekly,
                Some(PeriodArg::Monthly) => ReportKind::Monthly,
                None if detailed => ReportKind::Detailed,
                None => ReportKind::Summary,
            };
            if gzip && output.is_none() && std::io::stdout().is_terminal() {
                bail!("gzip output is binary: use --output FILE or redirect standard output");
            }
            let data = load(&inputs)?;
            if data.failed > 0 && data.ds.sources.is_empty() && !inputs.sample {
                // Nothing could be read: no empty report stands in for the data.
                bail!("no input could be read; no report written");
            }
            let a = analyze(&data.ds, &options(&data, days.or(kind.period_days())));
            let o = ReportOptions {
                kind,
                generated_at: None,
                csv_section: section,
            };
            let text = report::render(&a, report_format(format), &o)?;
            let bytes = if gzip {
                report::gzip(text.as_bytes())?
            } else {
                text.into_bytes()
            };
            match output {
                Some(path) => output::write_atomic(&path, &bytes)?,
                None => std::io::stdout()
                    .write_all(&bytes)
                    .context("writing to standard output")?,
            }
            Ok(done(&data))
        }
        Command::Dashboard {
            inputs,
            refresh,
            budget,
        } => run_dashboard(&inputs, refresh, budget),
        Command::Health { inputs, hours } => {
            let mut data = load(&inputs)?;
            let now = data.now.or_else(|| data.ds.latest_timestamp().map(|t| t.0));
            if let Some(now) = now {
                views::restrict(&mut data.ds, now - i64::from(hours) * 3_600_000);
            }
            let days = hours.div_ceil(24).max(1);
            let a = analyze(&data.ds, &options(&data, Some(days)));
            emit(&views::health(&a, &data.ds, hours));
            Ok(done(&data))
        }
        Command::Failures { inputs, limit } => {
            let data = load(&inputs)?;
            let a = analyze(&data.ds, &options(&data, None));
            emit(&views::failures(&a, limit));
            Ok(done(&data))
        }
        Command::Agents { inputs } => {
            let (inputs, name) = split_name(&inputs);
            let data = load(&inputs)?;
            let a = analyze(&data.ds, &options(&data, None));
            match name {
                Some(n) => match views::agent(&a, &n) {
                    Some(text) => emit(&text),
                    None => bail!(
                        "no agent named `{n}`; agents: {}",
                        a.agents.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                },
                None => emit(&views::agents(&a)),
            }
            Ok(done(&data))
        }
        Command::Sessions { inputs } => {
            let (inputs, id) = split_name(&inputs);
            let data = load(&inputs)?;
            let a = analyze(&data.ds, &options(&data, None));
            match id {
                Some(id) => match views::session(&a, &data.ds, &id) {
                    Some(text) => emit(&text),
                    None => bail!("no session with id `{id}`"),
                },
                None => emit(&views::sessions(&a)),
            }
            Ok(done(&data))
        }
        Command::Check {
            inputs,
            fail_on,
            thresholds,
            days,
        } => {
            let th = match thresholds {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("{}: cannot read", path.display()))?;
                    serde_json::from_str::<Thresholds>(&text)
                        .with_context(|| format!("{}: not a thresholds file", path.display()))?
                }
                None => Thresholds::default(),
            };
            let data = load(&inputs)?;
            let mut opts = options(&data, days);
            opts.thresholds = th;
            let a = analyze(&data.ds, &opts);
            let level = match fail_on {
                SeverityArg::Low => Severity::Low,
                SeverityArg::Medium => Severity::Medium,
                SeverityArg::High => Severity::High,
                SeverityArg::Critical => Severity::Critical,
            };
            emit(&views::check(&a, level));
            if data.failed > 0 {
                return Ok(ExitCode::from(2));
            }
            Ok(if a.alerts.iter().any(|x| x.severity >= level) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Export {
            inputs,
            output,
            since,
        } => {
            let mut data = load(&inputs)?;
            if let Some(s) = since {
                views::restrict(&mut data.ds, parse_time(&s, false)?);
            }
            let text = canonical_json(&data.ds)?;
            output::write_atomic(&output, text.as_bytes())?;
            Ok(done(&data))
        }
        Command::Schema => {
            emit(&canonical_schema()?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Sample { days, output } => {
            let ds = baton_core::sample::sample_dataset(days);
            let text = canonical_json(&ds)?;
            match output {
                Some(path) => output::write_atomic(&path, text.as_bytes())?,
                None => emit(&text),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Baton canonical JSON of a dataset.
fn canonical_json(ds: &Dataset) -> Result<String> {
    Ok(baton_core::import::baton::export_json(ds))
}

/// The canonical JSON Schema.
fn canonical_schema() -> Result<String> {
    Ok(baton_core::import::baton::schema_json())
}

fn format_is_csv(f: FormatArg) -> bool {
    matches!(f, FormatArg::Csv)
}

fn report_format(f: FormatArg) -> ReportFormat {
    match f {
        FormatArg::Markdown => ReportFormat::Markdown,
        FormatArg::Json => ReportFormat::Json,
        FormatArg::Csv => ReportFormat::Csv,
        FormatArg::Prometheus => ReportFormat::Prometheus,
        FormatArg::Grafana => ReportFormat::Grafana,
    }
}

fn dashboard_once(
    inputs: &Inputs,
    budget: Option<f64>,
    width: usize,
    color: bool,
) -> Result<(String, usize)> {
    let data = load(inputs)?;
    let mut opts = options(&data, Some(30));
    opts.daily_budget = budget;
    let a: Analysis = analyze(&data.ds, &opts);
    Ok((dashboard::render(&a, width, color, budget), data.failed))
}

fn run_dashboard(inputs: &Inputs, refresh: Option<u64>, budget: Option<f64>) -> Result<ExitCode> {
    let tty = std::io::stdout().is_terminal();
    let width = || {
        if tty {
            crossterm::terminal::size()
                .map(|(w, _)| usize::from(w))
                .unwrap_or(80)
        } else {
            80
        }
    };
    let Some(secs) = refresh else {
        let (text, failed) = dashboard_once(inputs, budget, width(), tty)?;
        emit(&text);
        return Ok(if failed > 0 {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .context("cannot install the Ctrl-C handler")?;
    }
    let mut out = std::io::stdout();
    if tty {
        crossterm::execute!(
            out,
            crossterm::terminal::EnterAlternateScreen,
            crossterm::cursor::Hide
        )?;
    }
    // Reload the inputs quietly after the first draw.
    let mut quiet_inputs = inputs.clone();
    let result = (|| -> Result<()> {
        while !stop.load(Ordering::SeqCst) {
            let (text, _) = dashboard_once(&quiet_inputs, budget, width(), tty)?;
            quiet_inputs.quiet = true;
            if tty {
                crossterm::execute!(
                    out,
                    crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
                    crossterm::cursor::MoveTo(0, 0)
                )?;
                // Raw newlines in the alternate screen need carriage returns.
                out.write_all(text.replace('\n', "\r\n").as_bytes())?;
                writeln!(out, "\r\nRefreshing every {secs}s. Ctrl-C to quit.\r")?;
            } else {
                out.write_all(text.as_bytes())?;
                writeln!(out)?;
            }
            out.flush()?;
            let until = Instant::now() + Duration::from_secs(secs.max(1));
            while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Ok(())
    })();
    if tty {
        crossterm::execute!(
            out,
            crossterm::cursor::Show,
            crossterm::terminal::LeaveAlternateScreen
        )?;
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
