//! Numbers for people. Every function takes the value the analysis holds
//! (seconds, fractions, USD, RFC 3339 text) and returns display text; a
//! missing value is shown as an em dash, never as 0.

/// Shown for a value the data does not hold.
pub const NONE: &str = "—";

/// One decimal, with a trailing `.0` dropped (1.0 → "1", 1.25 → "1.2").
fn one_decimal(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// A count, compacted: 124, 1.2k, 45.3k, 1.5M, 2.1B.
pub fn count(v: u64) -> String {
    let f = v as f64;
    if v < 1_000 {
        v.to_string()
    } else if v < 999_950 {
        format!("{}k", one_decimal(f / 1e3))
    } else if v < 999_950_000 {
        format!("{}M", one_decimal(f / 1e6))
    } else {
        format!("{}B", one_decimal(f / 1e9))
    }
}

/// An optional count, compacted.
pub fn opt_count(v: Option<u64>) -> String {
    v.map(count).unwrap_or_else(|| NONE.to_string())
}

/// A count with thousands separators: 1,580,000.
pub fn int(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Tokens, compacted like counts ("1.6M").
pub fn tokens(v: Option<u64>) -> String {
    opt_count(v)
}

/// A duration in seconds: 420 ms, 45.3 s, 2m 05s, 1h 12m, 2d 4h.
pub fn duration(v: Option<f64>) -> String {
    let Some(s) = v.filter(|s| s.is_finite()) else {
        return NONE.to_string();
    };
    if s < 0.0 {
        return format!("-{}", duration(Some(-s)));
    }
    if s < 1.0 {
        return format!("{} ms", (s * 1000.0).round() as u64);
    }
    if s < 59.95 {
        return format!("{s:.1} s");
    }
    let total = s.round() as u64;
    let (d, h, m, sec) = (
        total / 86_400,
        total % 86_400 / 3_600,
        total % 3_600 / 60,
        total % 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m:02}m")
    } else {
        format!("{m}m {sec:02}s")
    }
}

/// Money in USD: $15.80, $0.0042 for tiny amounts, $1.2k, $3.4M.
pub fn usd(v: Option<f64>) -> String {
    let Some(x) = v.filter(|x| x.is_finite()) else {
        return NONE.to_string();
    };
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    if a == 0.0 {
        "$0.00".to_string()
    } else if a < 0.01 {
        // Two significant digits, so tiny costs are not shown as $0.00.
        let digits = (-a.log10().floor()) as usize + 1;
        format!("{sign}${a:.digits$}")
    } else if a < 10_000.0 {
        format!("{sign}${a:.2}")
    } else if a < 999_950.0 {
        format!("{sign}${}k", one_decimal(a / 1e3))
    } else {
        format!("{sign}${}M", one_decimal(a / 1e6))
    }
}

/// A fraction as a percentage: 0.825 → "82.5 %".
pub fn pct(v: Option<f64>) -> String {
    match v.filter(|x| x.is_finite()) {
        Some(x) => format!("{:.1} %", x * 100.0),
        None => NONE.to_string(),
    }
}

/// A fraction as a whole percentage: 0.89 → "89%" (compact chart labels).
pub fn pct0(v: Option<f64>) -> String {
    match v.filter(|x| x.is_finite()) {
        Some(x) => format!("{:.0}%", x * 100.0),
        None => NONE.to_string(),
    }
}

/// A relative change with its arrow: 0.031 → "▲ +3.1 %", -0.02 → "▼ −2.0 %".
pub fn change(v: Option<f64>) -> String {
    match v.filter(|x| x.is_finite()) {
        Some(x) if x * 1000.0 >= 0.5 => format!("▲ +{:.1} %", x * 100.0),
        Some(x) if x * 1000.0 <= -0.5 => format!("▼ −{:.1} %", -x * 100.0),
        Some(_) => "■ 0.0 %".to_string(),
        None => NONE.to_string(),
    }
}

/// Relative change of `current` against `previous` (None when either is
/// missing or the previous is zero).
pub fn relative(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    match (current, previous) {
        (Some(c), Some(p)) if p != 0.0 && c.is_finite() && p.is_finite() => Some((c - p) / p.abs()),
        _ => None,
    }
}

/// A plain number with at most one decimal ("2.5", "3").
pub fn num(v: Option<f64>) -> String {
    match v.filter(|x| x.is_finite()) {
        Some(x) => one_decimal(x),
        None => NONE.to_string(),
    }
}

/// An RFC 3339 time as "2025-11-10 14:30" (UTC); other text is returned as is.
pub fn datetime(v: Option<&str>) -> String {
    let Some(t) = v else {
        return NONE.to_string();
    };
    let sep = t
        .as_bytes()
        .get(10)
        .is_some_and(|b| *b == b'T' || *b == b' ');
    match (sep, t.get(..10), t.get(11..16)) {
        (true, Some(d), Some(hm)) => format!("{d} {hm}"),
        _ => t.to_string(),
    }
}

/// An RFC 3339 time or date as its date "2025-11-10".
pub fn date(v: Option<&str>) -> String {
    match v {
        Some(t) => t.get(..10).unwrap_or(t).to_string(),
        None => NONE.to_string(),
    }
}

/// A short day label for chart axes: "11-10" from "2025-11-10...".
pub fn day_label(v: &str) -> String {
    v.get(5..10).unwrap_or(v).to_string()
}

/// Words from a snake_case name: "needs_attention" → "needs attention".
pub fn words(name: &str) -> String {
    name.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_compact() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1k");
        assert_eq!(count(1_234), "1.2k");
        assert_eq!(count(45_300), "45.3k");
        assert_eq!(count(999_949), "999.9k");
        assert_eq!(count(999_950), "1M");
        assert_eq!(count(1_500_000), "1.5M");
        assert_eq!(count(2_100_000_000), "2.1B");
        assert_eq!(opt_count(None), "—");
        assert_eq!(tokens(Some(1_580_000)), "1.6M");
    }

    #[test]
    fn integers_get_separators() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1_000), "1,000");
        assert_eq!(int(1_580_000), "1,580,000");
    }

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(duration(None), "—");
        assert_eq!(duration(Some(f64::NAN)), "—");
        assert_eq!(duration(Some(0.42)), "420 ms");
        assert_eq!(duration(Some(45.3)), "45.3 s");
        assert_eq!(duration(Some(0.0)), "0 ms");
        // 125 s = 2 min 5 s
        assert_eq!(duration(Some(125.0)), "2m 05s");
        // 59.96 s rounds to a minute, not to "60.0 s"
        assert_eq!(duration(Some(59.96)), "1m 00s");
        // 4320 s = 1 h 12 min
        assert_eq!(duration(Some(4_320.0)), "1h 12m");
        // 2 d 4 h 15 min = 2*86400 + 4*3600 + 900 = 188100 s
        assert_eq!(duration(Some(188_100.0)), "2d 4h");
    }

    #[test]
    fn money_keeps_tiny_values_visible() {
        assert_eq!(usd(None), "—");
        assert_eq!(usd(Some(0.0)), "$0.00");
        assert_eq!(usd(Some(15.8)), "$15.80");
        assert_eq!(usd(Some(0.0042)), "$0.0042");
        assert_eq!(usd(Some(0.00042)), "$0.00042");
        assert_eq!(usd(Some(0.13)), "$0.13");
        assert_eq!(usd(Some(1_234.5)), "$1234.50");
        assert_eq!(usd(Some(12_345.0)), "$12.3k");
        assert_eq!(usd(Some(3_400_000.0)), "$3.4M");
        assert_eq!(usd(Some(-2.5)), "-$2.50");
    }

    #[test]
    fn percentages_and_changes() {
        assert_eq!(pct(Some(0.825)), "82.5 %");
        assert_eq!(pct(Some(0.0)), "0.0 %");
        assert_eq!(pct(None), "—");
        assert_eq!(pct0(Some(0.89)), "89%");
        assert_eq!(change(Some(0.031)), "▲ +3.1 %");
        assert_eq!(change(Some(-0.02)), "▼ −2.0 %");
        assert_eq!(change(Some(0.0001)), "■ 0.0 %");
        assert_eq!(change(None), "—");
        // (0.85 - 0.80) / 0.80 = 0.0625
        let r = relative(Some(0.85), Some(0.80)).unwrap_or(f64::NAN);
        assert!((r - 0.0625).abs() < 1e-12);
        assert_eq!(relative(Some(1.0), Some(0.0)), None);
        assert_eq!(relative(None, Some(1.0)), None);
    }

    #[test]
    fn dates_and_words() {
        assert_eq!(datetime(Some("2025-11-10T14:30:00Z")), "2025-11-10 14:30");
        assert_eq!(datetime(Some("2025-11-10")), "2025-11-10");
        assert_eq!(datetime(None), "—");
        assert_eq!(date(Some("2025-11-10T14:30:00Z")), "2025-11-10");
        assert_eq!(day_label("2025-11-10"), "11-10");
        assert_eq!(words("needs_attention"), "needs attention");
        assert_eq!(num(Some(2.0)), "2");
        assert_eq!(num(Some(2.25)), "2.2");
    }
}
