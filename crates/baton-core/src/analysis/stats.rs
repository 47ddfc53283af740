//! Small statistics: percentiles, least-squares trends, rating bands and
//! calendar keys.

use super::types::{Direction, Rating};

/// Nearest-rank percentile of `values` for `p` in (0, 1]: the value of rank
/// ⌈p × n⌉ (1-based) in ascending order. Exact; reorders `values`
/// (O(n) selection). None for an empty set.
///
/// Example: p50 of [4, 1, 3, 2] is the 2nd smallest, 2; p95 of 20 values is
/// the 19th smallest.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    let n = values.len();
    if n == 0 || !(p > 0.0 && p <= 1.0) {
        return None;
    }
    let rank = (p * n as f64).ceil() as usize;
    let index = rank.clamp(1, n) - 1;
    let (_, v, _) = values.select_nth_unstable_by(index, f64::total_cmp);
    Some(*v)
}

/// a / b as a fraction; None when b is zero.
pub fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Mean of a sum over n values; None when n is zero.
pub fn mean(sum: f64, n: u64) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

/// Least-squares slope of `points` (x, y); 0 for fewer than two distinct x.
pub fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    if points.len() < 2 {
        return 0.0;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 {
        0.0
    } else {
        sxy / sxx
    }
}

/// Population standard deviation; None for an empty series.
pub fn std_dev(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let m = values.iter().sum::<f64>() / n;
    Some((values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n).sqrt())
}

/// The dead band of trends: a series is stable when the change its fitted
/// line makes over the series, |slope × n|, is below 2 % of |mean|.
pub const TREND_DEAD_BAND: f64 = 0.02;

/// Direction of a series from its least-squares slope (per bucket), its
/// length and mean; `higher_is_better` says which way is improving.
pub fn direction(slope: f64, n: usize, mean: f64, higher_is_better: bool) -> Direction {
    let change = slope * n as f64;
    if change.abs() < TREND_DEAD_BAND * mean.abs() || change == 0.0 {
        return Direction::Stable;
    }
    if (change > 0.0) == higher_is_better {
        Direction::Improving
    } else {
        Direction::Declining
    }
}

/// Success-rate band (seed 000): good > 80 %, acceptable 60-80 %, needs attention < 60 %.
pub fn rate_success(rate: f64) -> Rating {
    if rate > 0.80 {
        Rating::Good
    } else if rate >= 0.60 {
        Rating::Acceptable
    } else {
        Rating::NeedsAttention
    }
}

/// Cache-hit-rate band (seed 000): excellent > 70 %, good 50-70 %, poor < 50 %.
pub fn rate_cache_hit(rate: f64) -> Rating {
    if rate > 0.70 {
        Rating::Excellent
    } else if rate >= 0.50 {
        Rating::Good
    } else {
        Rating::Poor
    }
}

/// Error-rate band (seed 000): excellent < 5 %, good 5-15 %, concerning > 15 %.
pub fn rate_error(rate: f64) -> Rating {
    if rate < 0.05 {
        Rating::Excellent
    } else if rate <= 0.15 {
        Rating::Good
    } else {
        Rating::Concerning
    }
}

/// Civil date (year, month 1-12, day 1-31) of a day index (days since 1970-01-01).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    // Howard Hinnant's algorithm.
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day index of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Key of the ISO week (starting Monday) holding a day index: the day index of its Monday.
pub fn week_start(day: i64) -> i64 {
    // 1970-01-01 was a Thursday: Monday is 3 days before.
    (day + 3).div_euclid(7) * 7 - 3
}

/// Key of the month holding a day index: year × 12 + month − 1.
pub fn month_key(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

/// Day index of the first day of a month key.
pub fn month_start_day(key: i64) -> i64 {
    days_from_civil(key.div_euclid(12), (key.rem_euclid(12) + 1) as u32, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        // [1..=10]: p50 rank ⌈5⌉ = 5 → 5; p95 rank ⌈9.5⌉ = 10 → 10; p10 rank 1 → 1.
        let mut v: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut v, 0.5), Some(5.0));
        assert_eq!(percentile(&mut v, 0.95), Some(10.0));
        assert_eq!(percentile(&mut v, 0.1), Some(1.0));
        // 20 values 1..=20: p95 rank 19 → 19; p99 rank ⌈19.8⌉ = 20 → 20.
        let mut w: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&mut w, 0.95), Some(19.0));
        assert_eq!(percentile(&mut w, 0.99), Some(20.0));
        // [4, 1, 3, 2]: p50 rank 2 → 2.
        assert_eq!(percentile(&mut [4.0, 1.0, 3.0, 2.0], 0.5), Some(2.0));
        assert_eq!(percentile(&mut [7.0], 0.99), Some(7.0));
        assert_eq!(percentile(&mut [], 0.5), None);
    }

    #[test]
    fn slope_and_direction() {
        // y = 2x + 1 → slope 2.
        assert!((slope(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]) - 2.0).abs() < 1e-12);
        assert_eq!(slope(&[(0.0, 1.0)]), 0.0);
        // Rising success (slope 0.05 over 3 points = 0.15 ≥ 2 % of 0.8) → improving.
        assert_eq!(direction(0.05, 3, 0.8, true), Direction::Improving);
        // Rising cost → declining.
        assert_eq!(direction(0.05, 3, 0.8, false), Direction::Declining);
        // 0.005 × 3 = 0.015 < 0.02 × 1.0 → stable.
        assert_eq!(direction(0.005, 3, 1.0, true), Direction::Stable);
        assert_eq!(direction(0.0, 3, 0.0, true), Direction::Stable);
    }

    #[test]
    fn std_dev_population() {
        // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, variance 32 / 8 = 4 → 2.
        assert_eq!(
            std_dev(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]),
            Some(2.0)
        );
        assert_eq!(std_dev(&[]), None);
    }

    #[test]
    fn rating_bands_at_and_around_boundaries() {
        assert_eq!(rate_success(0.81), Rating::Good);
        assert_eq!(rate_success(0.80), Rating::Acceptable);
        assert_eq!(rate_success(0.60), Rating::Acceptable);
        assert_eq!(rate_success(0.59), Rating::NeedsAttention);
        assert_eq!(rate_cache_hit(0.71), Rating::Excellent);
        assert_eq!(rate_cache_hit(0.70), Rating::Good);
        assert_eq!(rate_cache_hit(0.50), Rating::Good);
        assert_eq!(rate_cache_hit(0.49), Rating::Poor);
        assert_eq!(rate_error(0.04), Rating::Excellent);
        assert_eq!(rate_error(0.05), Rating::Good);
        assert_eq!(rate_error(0.15), Rating::Good);
        assert_eq!(rate_error(0.16), Rating::Concerning);
    }

    #[test]
    fn calendar_keys() {
        // 2025-11-10 is day 20 402 (2025-01-01 = 20 089, + 313).
        assert_eq!(days_from_civil(2025, 11, 10), 20_402);
        assert_eq!(civil_from_days(20_402), (2025, 11, 10));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 2025-11-10 is a Monday; 2025-11-16 (Sunday) belongs to its week.
        assert_eq!(week_start(20_402), 20_402);
        assert_eq!(week_start(20_408), 20_402);
        assert_eq!(week_start(20_409), 20_409);
        assert_eq!(month_key(20_402), 2025 * 12 + 10);
        assert_eq!(
            month_start_day(2025 * 12 + 10),
            days_from_civil(2025, 11, 1)
        );
    }
}
