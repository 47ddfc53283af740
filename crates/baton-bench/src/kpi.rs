//! The figures every contender computes per agent, and how they are printed
//! and compared.
//!
//! Per agent: finished operations (success + failure), success rate
//! (successes / finished), mean and 95th percentile (nearest rank) of the
//! finished operations' durations, and the sum of all token categories over
//! every operation that records tokens. One line per agent, sorted by name,
//! tab-separated, `null` for no data.

use std::collections::BTreeMap;

/// One agent's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    /// Finished operations.
    pub count: u64,
    /// Successes / finished.
    pub success_rate: Option<f64>,
    /// Mean duration of finished operations, seconds.
    pub avg_duration: Option<f64>,
    /// 95th percentile (nearest rank) of finished durations, seconds.
    pub p95_duration: Option<f64>,
    /// Tokens summed.
    pub tokens: Option<u64>,
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "null".to_string(), |v| v.to_string())
}

/// Prints the figures in the shared line format.
pub fn print(kpis: &BTreeMap<String, Kpi>) {
    use std::io::Write;
    let mut out = String::new();
    for (agent, k) in kpis {
        out.push_str(&format!(
            "{agent}\t{}\t{}\t{}\t{}\t{}\n",
            k.count,
            opt(k.success_rate),
            opt(k.avg_duration),
            opt(k.p95_duration),
            opt(k.tokens)
        ));
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
}

/// Parses the shared line format; None on a malformed line.
pub fn parse(text: &str) -> Option<BTreeMap<String, Kpi>> {
    let mut map = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 6 {
            return None;
        }
        let num = |s: &str| -> Option<Option<f64>> {
            match s.trim() {
                "null" | "None" | "NaN" | "" => Some(None),
                s => s.parse::<f64>().ok().map(Some),
            }
        };
        let count = num(f[1])??;
        let tokens = num(f[5])?;
        map.insert(
            f[0].to_string(),
            Kpi {
                count: count as u64,
                success_rate: num(f[2])?,
                avg_duration: num(f[3])?,
                p95_duration: num(f[4])?,
                tokens: tokens.map(|t| t as u64),
            },
        );
    }
    Some(map)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        _ => false,
    }
}

/// The first difference between two results, or None when they agree
/// (floats to a relative 1e-9: summation order differs between engines).
pub fn diff(a: &BTreeMap<String, Kpi>, b: &BTreeMap<String, Kpi>) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("{} agents against {}", a.len(), b.len()));
    }
    for ((na, ka), (nb, kb)) in a.iter().zip(b) {
        if na != nb {
            return Some(format!("agent {na:?} against {nb:?}"));
        }
        let same = ka.count == kb.count
            && ka.tokens == kb.tokens
            && close(ka.success_rate, kb.success_rate)
            && close(ka.avg_duration, kb.avg_duration)
            && close(ka.p95_duration, kb.p95_duration);
        if !same {
            return Some(format!("{na}: {ka:?} against {kb:?}"));
        }
    }
    None
}

/// Nearest-rank percentile, as Baton's analytics compute it.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let rank = (p * n as f64).ceil() as usize;
    let index = rank.clamp(1, n) - 1;
    let (_, v, _) = values.select_nth_unstable_by(index, f64::total_cmp);
    Some(*v)
}
