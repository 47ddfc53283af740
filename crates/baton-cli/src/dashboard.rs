//! The terminal dashboard (seed 000's boxed layout, seed 003's sections).

use baton_core::analysis::{Analysis, Direction, HealthStatus, Rating, Severity};
use baton_core::report::{fmt_int, fmt_pct, fmt_secs, fmt_usd, rating_word, severity_word};
use crossterm::style::Stylize;

/// Colour tone of a value.
#[derive(Clone, Copy)]
enum Tone {
    Good,
    Warn,
    Bad,
    Plain,
}

fn tone_of(r: Option<Rating>) -> Tone {
    match r {
        Some(Rating::Excellent | Rating::Good) => Tone::Good,
        Some(Rating::Acceptable) => Tone::Warn,
        Some(Rating::Poor | Rating::Concerning | Rating::NeedsAttention) => Tone::Bad,
        None => Tone::Plain,
    }
}

/// Draws lines inside a box of a given width, colouring when asked.
struct Canvas {
    width: usize,
    color: bool,
    lines: Vec<String>,
}

impl Canvas {
    fn paint(&self, text: &str, tone: Tone) -> String {
        if !self.color {
            return text.to_string();
        }
        match tone {
            Tone::Good => text.green().to_string(),
            Tone::Warn => text.yellow().to_string(),
            Tone::Bad => text.red().to_string(),
            Tone::Plain => text.to_string(),
        }
    }

    /// Adds a line made of (text, tone) parts, cut to the box width.
    fn line(&mut self, parts: &[(&str, Tone)]) {
        let inner = self.width.saturating_sub(4);
        let mut used = 0;
        let mut out = String::new();
        for (text, tone) in parts {
            let room = inner.saturating_sub(used);
            let cut: String = text
                .chars()
                .filter(|c| !c.is_control() && !crate::views::is_bidi_control(*c))
                .take(room)
                .collect();
            used += cut.chars().count();
            out.push_str(&self.paint(&cut, *tone));
        }
        let pad = " ".repeat(inner.saturating_sub(used));
        self.lines.push(format!("│ {out}{pad} │"));
    }

    fn text(&mut self, s: &str) {
        self.line(&[(s, Tone::Plain)]);
    }

    fn rule(&mut self, title: &str) {
        let inner = self.width.saturating_sub(2);
        let head: String = format!("─ {title} ").chars().take(inner).collect();
        let rest = inner.saturating_sub(head.chars().count());
        self.lines.push(format!("├{head}{}┤", "─".repeat(rest)));
    }
}

fn uptime(a: &Analysis) -> String {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    };
    match (parse(&a.data_span.start), parse(&a.data_span.end)) {
        (Some(s), Some(e)) => {
            let mins = (e - s).num_minutes().max(0);
            format!("{}d {}h {}m", mins / 1440, (mins % 1440) / 60, mins % 60)
        }
        _ => "-".to_string(),
    }
}

/// The dashboard as text, `width` columns wide.
pub fn render(a: &Analysis, width: usize, color: bool, budget: Option<f64>) -> String {
    let width = width.clamp(50, 110);
    let mut c = Canvas {
        width,
        color,
        lines: Vec::new(),
    };
    let title = "─ Baton Orchestrator Dashboard ";
    let top = format!(
        "┌{title}{}┐",
        "─".repeat(width.saturating_sub(2 + title.chars().count()))
    );

    let running = a.overall.running > 0 || !a.current_work.is_empty();
    // The mode of the latest session that records one.
    let mode = a.operating_mode.clone().unwrap_or_else(|| "-".to_string());
    let status = if running { "Running" } else { "Idle" };
    c.line(&[
        ("Status: ", Tone::Plain),
        (status, if running { Tone::Good } else { Tone::Plain }),
        ("    Mode: ", Tone::Plain),
        (&mode, Tone::Plain),
    ]);
    c.text(&format!("Uptime (span of the data): {}", uptime(a)));
    if let Some(now) = &a.now {
        c.text(&format!("Now: {now}"));
    }

    c.rule("Today");
    let t = &a.today;
    c.text(&format!(
        "• Issues processed: {} ({} success, {} failed)",
        fmt_int(t.work_items),
        fmt_int(t.work_items_succeeded),
        fmt_int(t.work_items_failed)
    ));
    c.text(&format!(
        "• PRs merged: {}",
        t.prs_merged.map(fmt_int).unwrap_or_else(|| "-".into())
    ));
    let budget = budget.or(a.costs.daily_budget);
    let cost = t.cost.or(a.costs.today);
    let over = matches!((cost, budget), (Some(x), Some(b)) if x > b);
    let cost_text = match (cost, budget) {
        (Some(x), Some(b)) => format!("{} / {}", fmt_usd(x), fmt_usd(b)),
        (Some(x), None) => fmt_usd(x),
        (None, Some(b)) => format!("- / {}", fmt_usd(b)),
        (None, None) => "-".to_string(),
    };
    c.line(&[
        ("• API cost: ", Tone::Plain),
        (&cost_text, if over { Tone::Bad } else { Tone::Plain }),
    ]);

    c.rule("Performance (7 days)");
    let w = &a.last_7_days;
    let r = &a.overall.ratings;
    let kpi = |c: &mut Canvas, label: &str, v: Option<f64>, rating: Option<Rating>| {
        let value = v.map(fmt_pct).unwrap_or_else(|| "-".into());
        let word = rating
            .map(|r| format!(" ({})", rating_word(r)))
            .unwrap_or_default();
        c.line(&[
            (label, Tone::Plain),
            (&format!("{value}{word}"), tone_of(rating)),
        ]);
    };
    kpi(
        &mut c,
        "• Success rate:  ",
        w.success_rate,
        rate_success(w.success_rate).or(r.success_rate),
    );
    c.text(&format!(
        "• Avg operation time:  {}",
        w.avg_duration.map(fmt_secs).unwrap_or_else(|| "-".into())
    ));
    kpi(
        &mut c,
        "• Cache hit rate:  ",
        w.cache_hit_rate,
        rate_cache(w.cache_hit_rate),
    );
    kpi(
        &mut c,
        "• Error rate:  ",
        w.error_rate,
        rate_error(w.error_rate),
    );

    c.rule("Costs");
    let k = &a.costs;
    let usd = |v: Option<f64>| v.map(fmt_usd).unwrap_or_else(|| "-".into());
    c.text(&format!("• Last 7 days: {}", usd(k.last_7_days)));
    c.text(&format!("• Last 30 days: {}", usd(k.last_30_days)));
    c.text(&format!(
        "• Monthly projection: {}",
        usd(k.monthly_projection)
    ));
    c.text(&format!(
        "• Per operation: {}",
        usd(k.avg_cost_per_operation)
    ));
    if !k.unpriced_models.is_empty() {
        c.line(&[
            ("• No price for: ", Tone::Plain),
            (&k.unpriced_models.join(", "), Tone::Warn),
        ]);
    }

    c.rule("Current Work");
    if a.current_work.is_empty() {
        c.text("• Nothing running");
    }
    for op in a.current_work.iter().take(6) {
        let on = op.session.clone().unwrap_or_default();
        c.text(&format!("• {}: {} ({}) {}", op.kind, op.id, op.agent, on));
    }
    for s in a
        .sessions
        .iter()
        .filter(|s| s.current_phase.is_some())
        .take(4)
    {
        c.text(&format!(
            "• session {}: phase {}, {} done",
            s.id,
            s.current_phase.as_deref().unwrap_or("-"),
            s.progress.map(fmt_pct).unwrap_or_else(|| "-".into())
        ));
    }
    if !a.recent_completions.is_empty() {
        c.text("Recent completions:");
        for op in a.recent_completions.iter().take(3) {
            c.text(&format!(
                "  {} {} by {} in {}",
                op.kind,
                op.id,
                op.agent,
                op.duration.map(fmt_secs).unwrap_or_else(|| "-".into())
            ));
        }
    }

    if !a.agents.is_empty() {
        c.rule("Agents");
        for (name, g) in a.agents.iter().take(10) {
            let rate = g.success_rate.map(fmt_pct).unwrap_or_else(|| "-".into());
            let tone = tone_of(rate_success(g.success_rate));
            c.line(&[
                (
                    &format!("• {name:<14} {:>6} ops  ", fmt_int(g.count)),
                    Tone::Plain,
                ),
                (&format!("{rate:>6}"), tone),
                (
                    &format!(
                        "  avg {}",
                        g.avg_duration.map(fmt_secs).unwrap_or_else(|| "-".into())
                    ),
                    Tone::Plain,
                ),
            ]);
        }
    }

    let trends: Vec<_> = a.trends.iter().filter(|t| t.granularity == "day").collect();
    if !trends.is_empty() {
        c.rule("Trends (daily)");
        for t in trends.iter().take(6) {
            let (arrow, tone) = match t.direction {
                Direction::Improving => ("↑ improving", Tone::Good),
                Direction::Stable => ("→ stable", Tone::Plain),
                Direction::Declining => ("↓ declining", Tone::Bad),
            };
            c.line(&[(&format!("• {}: ", t.series), Tone::Plain), (arrow, tone)]);
        }
    }

    c.rule("Health");
    let (word, tone) = match a.health.status {
        HealthStatus::Healthy => ("✔ All systems operational", Tone::Good),
        HealthStatus::Degraded => ("⚠ Degraded", Tone::Warn),
        HealthStatus::Unhealthy => ("✖ Unhealthy", Tone::Bad),
    };
    c.line(&[("Health: ", Tone::Plain), (word, tone)]);
    for al in a.alerts.iter().take(8) {
        let tone = match al.severity {
            Severity::Critical | Severity::High => Tone::Bad,
            Severity::Medium => Tone::Warn,
            Severity::Low => Tone::Plain,
        };
        c.line(&[
            (&format!("⚠ [{}] ", severity_word(al.severity)), tone),
            (&al.message, Tone::Plain),
        ]);
    }
    if a.alerts.len() > 8 {
        c.text(&format!("  ... and {} more alerts", a.alerts.len() - 8));
    }
    let bottom = format!("└{}┘", "─".repeat(width.saturating_sub(2)));
    let mut out = top;
    out.push('\n');
    for l in c.lines {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str(&bottom);
    out.push('\n');
    out
}

/// The seed 000 bands, as the engine rates them.
fn rate_success(v: Option<f64>) -> Option<Rating> {
    v.map(baton_core::analysis::rate_success)
}

fn rate_cache(v: Option<f64>) -> Option<Rating> {
    v.map(baton_core::analysis::rate_cache_hit)
}

fn rate_error(v: Option<f64>) -> Option<Rating> {
    v.map(baton_core::analysis::rate_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::analysis::{GroupStats, Period, Window};

    fn analysis() -> Analysis {
        let mut a = Analysis {
            now: Some("2025-11-30T18:00:00Z".into()),
            data_span: Period {
                start: Some("2025-11-28T13:45:00Z".into()),
                end: Some("2025-11-30T18:00:00Z".into()),
            },
            last_7_days: Window {
                success_rate: Some(0.825),
                error_rate: Some(0.021),
                cache_hit_rate: Some(0.672),
                avg_duration: Some(45.3),
                ..Window::default()
            },
            ..Analysis::default()
        };
        a.agents.insert(
            "evil\u{1b}[31m\nname|with a very long tail that must be cut at the box edge ......"
                .into(),
            GroupStats {
                count: 3,
                success_rate: Some(0.5),
                ..GroupStats::default()
            },
        );
        a
    }

    #[test]
    fn plain_box_of_even_width() {
        let text = render(&analysis(), 70, false, Some(50.0));
        assert!(!text.contains('\u{1b}'), "no escape codes in plain mode");
        for line in text.lines() {
            assert_eq!(line.chars().count(), 70, "{line}");
        }
        // 2025-11-28 13:45 to 2025-11-30 18:00 = 2 days 4 h 15 min.
        assert!(text.contains("Uptime (span of the data): 2d 4h 15m"));
        assert!(text.contains("• Success rate:  82.5% (good)"));
        assert!(text.contains("• Error rate:  2.1% (excellent)"));
        assert!(text.contains("• API cost: - / $50.00"));
    }

    #[test]
    fn colours_only_when_asked() {
        let text = render(&analysis(), 70, true, None);
        assert!(text.contains("\u{1b}["));
        // The width ignores the escape codes we add, not the ones in names:
        // those were removed (control characters) before drawing.
        assert!(!text.contains("\u{1b}[31m\n"));
    }
}
