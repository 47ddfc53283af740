//! Report writers: the [`Analysis`] rendered as JSON (the contract of
//! `docs/report.md`), Markdown, CSV, Prometheus text exposition and Grafana's
//! JSON data-source shape, optionally gzip-compressed.
//!
//! Every writer is deterministic: the same analysis and options give the same
//! bytes (`generated_at` defaults to the analysis' "now").

mod csv;
mod grafana;
mod json;
mod markdown;
mod prometheus;
#[cfg(test)]
mod tests;

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, Direction, Rating, Severity, Window};
use crate::Error;

pub use self::csv::{report_csv, sections, DEFAULT_SECTION};
pub use self::grafana::report_grafana;
pub use self::json::{report_json, report_value};
pub use self::markdown::report_markdown;
pub use self::prometheus::report_prometheus;

/// Which report to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Key figures, breakdowns, alerts and advice (seed 000).
    #[default]
    Summary,
    /// Summary plus by day, errors by type, slowest and most expensive operations.
    Detailed,
    /// One day compared with the day before, with an executive summary.
    Daily,
    /// Seven days compared with the seven before, with an executive summary.
    Weekly,
    /// Thirty days with an executive summary and a forecast.
    Monthly,
}

impl ReportKind {
    /// The name written as `report_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Summary => "summary",
            ReportKind::Detailed => "detailed",
            ReportKind::Daily => "daily",
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
        }
    }

    /// Parses a kind name (summary, detailed, daily, weekly, monthly).
    pub fn parse(name: &str) -> Option<ReportKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "summary" => Some(ReportKind::Summary),
            "detailed" => Some(ReportKind::Detailed),
            "daily" => Some(ReportKind::Daily),
            "weekly" => Some(ReportKind::Weekly),
            "monthly" => Some(ReportKind::Monthly),
            _ => None,
        }
    }

    /// The period the kind implies, in days (None: the caller chooses).
    pub fn period_days(self) -> Option<u32> {
        match self {
            ReportKind::Summary | ReportKind::Detailed => None,
            ReportKind::Daily => Some(1),
            ReportKind::Weekly => Some(7),
            ReportKind::Monthly => Some(30),
        }
    }

    /// True for the kinds with the detailed sections (detailed and monthly).
    pub fn is_detailed(self) -> bool {
        matches!(self, ReportKind::Detailed | ReportKind::Monthly)
    }

    /// True for the periodic kinds (executive summary and comparison).
    pub fn is_periodic(self) -> bool {
        matches!(
            self,
            ReportKind::Daily | ReportKind::Weekly | ReportKind::Monthly
        )
    }
}

/// Output format of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// Markdown with tables.
    #[default]
    Markdown,
    /// The JSON report contract.
    Json,
    /// One CSV table (a section).
    Csv,
    /// Prometheus text exposition format 0.0.4.
    Prometheus,
    /// Grafana JSON data-source `/query` response.
    Grafana,
}

impl ReportFormat {
    /// Parses a format name.
    pub fn parse(name: &str) -> Option<ReportFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Some(ReportFormat::Markdown),
            "json" => Some(ReportFormat::Json),
            "csv" => Some(ReportFormat::Csv),
            "prometheus" | "prom" => Some(ReportFormat::Prometheus),
            "grafana" => Some(ReportFormat::Grafana),
            _ => None,
        }
    }

    /// Usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Json | ReportFormat::Grafana => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::Prometheus => "prom",
        }
    }
}

/// Options of every writer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// Report kind.
    pub kind: ReportKind,
    /// `generated_at` text; None = the analysis' "now" (deterministic output).
    pub generated_at: Option<String>,
    /// CSV section; None = [`DEFAULT_SECTION`].
    pub csv_section: Option<String>,
}

/// Renders a report in any format.
pub fn render(a: &Analysis, format: ReportFormat, o: &ReportOptions) -> Result<String, Error> {
    Ok(match format {
        ReportFormat::Markdown => report_markdown(a, o),
        ReportFormat::Json => report_json(a, o),
        ReportFormat::Csv => report_csv(a, o)?,
        ReportFormat::Prometheus => report_prometheus(a, o),
        ReportFormat::Grafana => report_grafana(a, o),
    })
}

/// Gzip-compresses a report (any format).
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes)
        .and_then(|()| enc.finish())
        .map_err(|e| Error::Invalid {
            what: "gzip".to_string(),
            reason: e.to_string(),
        })
}

/// `generated_at` as written.
pub(crate) fn generated_at(a: &Analysis, o: &ReportOptions) -> Option<String> {
    o.generated_at.clone().or_else(|| a.now.clone())
}

/// Executive summary of a periodic report, in words.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExecutiveSummary {
    /// What went well.
    pub achievements: Vec<String>,
    /// What needs attention.
    pub challenges: Vec<String>,
}

/// The period against the one before it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// "previous day" or "previous week".
    pub against: String,
    /// The current period.
    pub current: Window,
    /// The previous period.
    pub previous: Window,
    /// Relative change of finished operations (0.05 = +5 %).
    pub operations_change: Option<f64>,
    /// Success rate difference in points of fraction (current − previous).
    pub success_rate_change: Option<f64>,
    /// Relative change of cost.
    pub cost_change: Option<f64>,
    /// Relative change of mean duration.
    pub avg_duration_change: Option<f64>,
    /// Relative change of tokens.
    pub tokens_change: Option<f64>,
}

/// A forecast from the trends (monthly report).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Forecast {
    /// Mean daily cost of the last 30 days × 30, USD.
    pub monthly_projection: Option<f64>,
    /// Direction of each trended series.
    pub trends: std::collections::BTreeMap<String, Direction>,
}

fn relative(cur: Option<f64>, prev: Option<f64>) -> Option<f64> {
    match (cur, prev) {
        (Some(c), Some(p)) if p != 0.0 => Some((c - p) / p),
        _ => None,
    }
}

fn counts_relative(cur: u64, prev: u64) -> Option<f64> {
    if prev == 0 {
        None
    } else {
        Some((cur as f64 - prev as f64) / prev as f64)
    }
}

/// Window of one day bucket (for the daily comparison).
fn day_window(a: &Analysis, from_end: usize) -> Window {
    let n = a.by_day.len();
    let Some(b) = n.checked_sub(from_end + 1).and_then(|i| a.by_day.get(i)) else {
        return Window::default();
    };
    let tokens = b.tokens.total();
    Window {
        start: Some(b.start.clone()),
        end: None,
        total_operations: b.count,
        succeeded: b.success_count,
        failed: b.failure_count,
        success_rate: b.success_rate,
        error_rate: if b.count > 0 {
            Some(b.failure_count as f64 / b.count as f64)
        } else {
            None
        },
        avg_duration: b.avg_duration,
        cache_hit_rate: None,
        cost: b.cost,
        tokens: if tokens > 0 { Some(tokens) } else { None },
        work_items: b.work_items,
        work_items_succeeded: 0,
        work_items_failed: 0,
        prs_merged: Some(b.prs_merged),
        ..Window::default()
    }
}

/// The comparison with the previous period, for daily and weekly reports.
pub fn comparison(a: &Analysis, kind: ReportKind) -> Option<Comparison> {
    let (against, current, previous) = match kind {
        ReportKind::Daily => (
            "previous day",
            if a.today.total_operations > 0 || a.today.start.is_some() {
                a.today.clone()
            } else {
                day_window(a, 0)
            },
            day_window(a, 1),
        ),
        ReportKind::Weekly | ReportKind::Monthly => (
            "previous week",
            a.last_7_days.clone(),
            a.previous_7_days.clone(),
        ),
        _ => return None,
    };
    Some(Comparison {
        against: against.to_string(),
        operations_change: counts_relative(current.total_operations, previous.total_operations),
        success_rate_change: match (current.success_rate, previous.success_rate) {
            (Some(c), Some(p)) => Some(c - p),
            _ => None,
        },
        cost_change: relative(current.cost, previous.cost),
        avg_duration_change: relative(current.avg_duration, previous.avg_duration),
        tokens_change: relative(
            current.tokens.map(|t| t as f64),
            previous.tokens.map(|t| t as f64),
        ),
        current,
        previous,
    })
}

/// The forecast of a monthly report.
pub fn forecast(a: &Analysis) -> Forecast {
    let mut trends = std::collections::BTreeMap::new();
    for t in &a.trends {
        let key = if t.granularity == "day" {
            t.series.clone()
        } else {
            format!("{}_{}", t.series, t.granularity)
        };
        trends.entry(key).or_insert(t.direction);
    }
    Forecast {
        monthly_projection: a.costs.monthly_projection,
        trends,
    }
}

/// Achievements and challenges of the period, in words, from the analysis.
pub fn executive_summary(a: &Analysis) -> ExecutiveSummary {
    let mut s = ExecutiveSummary::default();
    let o = &a.overall;
    if o.total_operations > 0 {
        let rate = o.success_rate.map(fmt_pct).unwrap_or_else(|| "-".into());
        let line = format!(
            "{} operations finished, {} succeeded ({})",
            fmt_int(o.total_operations),
            fmt_int(o.succeeded),
            rate
        );
        match o.ratings.success_rate {
            Some(Rating::Good) | Some(Rating::Excellent) => s.achievements.push(line),
            Some(_) => s.challenges.push(format!("{line}: below the 80% target")),
            None => {}
        }
    } else {
        s.challenges
            .push("No finished operations in the period".to_string());
    }
    match o.ratings.error_rate {
        Some(Rating::Excellent) => s.achievements.push(format!(
            "Error rate kept at {}",
            o.error_rate.map(fmt_pct).unwrap_or_default()
        )),
        Some(Rating::Concerning) if !a.alerts.iter().any(|x| x.kind.contains("error_rate")) => {
            s.challenges.push(format!(
                "Error rate of {} is above 15%",
                o.error_rate.map(fmt_pct).unwrap_or_default()
            ))
        }
        _ => {}
    }
    match o.ratings.cache_hit_rate {
        Some(Rating::Excellent) => s.achievements.push(format!(
            "Cache served {} of requests",
            o.cache_hit_rate.map(fmt_pct).unwrap_or_default()
        )),
        Some(Rating::Poor) => s.challenges.push(format!(
            "Cache hit rate is only {}",
            o.cache_hit_rate.map(fmt_pct).unwrap_or_default()
        )),
        _ => {}
    }
    let w = &a.work_items;
    if w.succeeded > 0 {
        let prs = match w.prs_merged {
            Some(p) => format!(", {} PRs merged", fmt_int(p)),
            None => String::new(),
        };
        let line = format!(
            "{} of {} work items completed{}",
            fmt_int(w.succeeded),
            fmt_int(w.processed),
            prs
        );
        if w.succeeded as f64 >= 0.7 * w.processed as f64 {
            s.achievements.push(line);
        } else {
            s.challenges.push(line);
        }
    }
    if let Some(fp) = a.pipelines.first_pass_rate {
        let line = format!("First-pass pipeline rate {}", fmt_pct(fp));
        if fp >= 0.7 {
            s.achievements.push(line);
        } else {
            s.challenges.push(line);
        }
    }
    if let Some(dr) = a.debugging.success_rate {
        if a.debugging.cycles > 0 && dr >= 0.7 {
            s.achievements.push(format!(
                "{} of {} debugging cycles resolved",
                fmt_int(a.debugging.resolved),
                fmt_int(a.debugging.cycles)
            ));
        }
    }
    // Daily trends say something only over a few days.
    if a.by_day.len() >= 3 {
        for t in a.trends.iter().filter(|t| t.granularity == "day") {
            match t.direction {
                Direction::Improving => s
                    .achievements
                    .push(format!("{} trend is improving", human(&t.series))),
                Direction::Declining => s
                    .challenges
                    .push(format!("{} trend is getting worse", human(&t.series))),
                Direction::Stable => {}
            }
        }
    }
    if let Some(best) = a
        .efficiency
        .iter()
        .filter_map(|(k, e)| e.score.map(|v| (k, v)))
        .max_by(|x, y| x.1.total_cmp(&y.1))
    {
        s.achievements.push(format!(
            "Top performer: {} (efficiency {:.0})",
            best.0, best.1
        ));
    }
    for al in a.alerts.iter().filter(|x| x.severity >= Severity::High) {
        s.challenges.push(al.message.clone());
    }
    if let Some(b) = a.bottlenecks.first() {
        s.challenges
            .push(format!("Main bottleneck: {}", b.description));
    }
    if !a.costs.unpriced_models.is_empty() {
        s.challenges.push(format!(
            "Cost unknown for models without a price: {}",
            a.costs.unpriced_models.join(", ")
        ));
    }
    s
}

pub(crate) fn human(series: &str) -> String {
    let mut t = series.replace('_', " ");
    if let Some(first) = t.get(..1) {
        let up = first.to_ascii_uppercase();
        t.replace_range(..1, &up);
    }
    t
}

/// A fraction as a percentage with one decimal: 0.825 → "82.5%".
pub fn fmt_pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// A signed change of a fraction as points: 0.05 → "+5.0 pts".
pub fn fmt_pts(v: f64) -> String {
    format!("{:+.1} pts", v * 100.0)
}

/// A signed relative change: 0.12 → "+12.0%".
pub fn fmt_change(v: f64) -> String {
    format!("{:+.1}%", v * 100.0)
}

/// Seconds for people: "45.3s", "12m 05s", "2h 04m".
pub fn fmt_secs(v: f64) -> String {
    if !v.is_finite() {
        return "-".to_string();
    }
    if v < 600.0 {
        return format!("{v:.1}s");
    }
    let total = v.round() as i64;
    if total < 3600 {
        format!("{}m {:02}s", total / 60, total % 60)
    } else if total < 86_400 {
        format!("{}h {:02}m", total / 3600, (total % 3600) / 60)
    } else {
        format!("{}d {}h", total / 86_400, (total % 86_400) / 3600)
    }
}

/// Money: "$15.80", "$1,234.50"; sub-cent amounts keep 4 decimals.
pub fn fmt_usd(v: f64) -> String {
    if !v.is_finite() {
        return "-".to_string();
    }
    if v != 0.0 && v.abs() < 0.01 {
        return format!("${v:.4}");
    }
    let cents = (v.abs() * 100.0).round() as u64;
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}${}.{:02}", fmt_int(cents / 100), cents % 100)
}

/// An integer with thousands separators: 1580000 → "1,580,000".
pub fn fmt_int(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rating as a word for people.
pub fn rating_word(r: Rating) -> &'static str {
    match r {
        Rating::Excellent => "excellent",
        Rating::Good => "good",
        Rating::Acceptable => "acceptable",
        Rating::Poor => "poor",
        Rating::Concerning => "concerning",
        Rating::NeedsAttention => "needs attention",
    }
}

/// A severity as a word.
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

/// A direction as a word.
pub fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Improving => "improving",
        Direction::Stable => "stable",
        Direction::Declining => "declining",
    }
}
