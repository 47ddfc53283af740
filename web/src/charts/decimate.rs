//! Decimation of long series before drawing: a series with more points than
//! the plot has pixel columns keeps, per column, its minimum and maximum (in
//! the order they occur), so spikes stay visible and the path stays short.

/// A column being filled: its index, lowest point and highest point.
type Bucket = (usize, (f64, f64), (f64, f64));

/// Reduces `points` (sorted by x) to at most two points per column, over
/// `columns` equal-width columns spanning the points' x range. Series with at
/// most `2 × columns` points, and non-finite points, are returned unchanged
/// (non-finite points are dropped).
pub fn min_max(points: &[(f64, f64)], columns: usize) -> Vec<(f64, f64)> {
    let finite: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if columns == 0 || finite.len() <= columns.saturating_mul(2) {
        return finite;
    }
    let (Some(first), Some(last)) = (finite.first(), finite.last()) else {
        return finite;
    };
    let (x0, x1) = (first.0, last.0);
    let width = x1 - x0;
    if width <= 0.0 {
        return finite;
    }
    let column_of = |x: f64| -> usize {
        let c = ((x - x0) / width * columns as f64).floor();
        (c.max(0.0) as usize).min(columns - 1)
    };
    let mut out = Vec::with_capacity(columns * 2);
    let mut current: Option<Bucket> = None;
    let flush = |bucket: Bucket, out: &mut Vec<(f64, f64)>| {
        let (_, lo, hi) = bucket;
        if lo == hi {
            out.push(lo);
        } else if lo.0 <= hi.0 {
            out.push(lo);
            out.push(hi);
        } else {
            out.push(hi);
            out.push(lo);
        }
    };
    for p in finite {
        let c = column_of(p.0);
        match current.as_mut() {
            Some((col, lo, hi)) if *col == c => {
                if p.1 < lo.1 {
                    *lo = p;
                }
                if p.1 > hi.1 {
                    *hi = p;
                }
            }
            _ => {
                if let Some(done) = current.take() {
                    flush(done, &mut out);
                }
                current = Some((c, p, p));
            }
        }
    }
    if let Some(done) = current {
        flush(done, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_are_unchanged() {
        let pts = vec![(0.0, 1.0), (1.0, 3.0), (2.0, 2.0)];
        assert_eq!(min_max(&pts, 2), pts);
        assert_eq!(min_max(&[], 10), vec![]);
    }

    #[test]
    fn non_finite_points_are_dropped() {
        let pts = vec![(0.0, 1.0), (1.0, f64::NAN), (2.0, 2.0)];
        assert_eq!(min_max(&pts, 10), vec![(0.0, 1.0), (2.0, 2.0)]);
    }

    #[test]
    fn each_column_keeps_its_min_and_max_in_order() {
        // 8 points over x 0..7 into 2 columns of width 3.5:
        // column 0 holds x 0,1,2,3 (y 5,1,9,4): min (1,1), max (2,9);
        // column 1 holds x 4,5,6,7 (y 7,8,2,6): max (5,8) comes before min (6,2).
        let pts = vec![
            (0.0, 5.0),
            (1.0, 1.0),
            (2.0, 9.0),
            (3.0, 4.0),
            (4.0, 7.0),
            (5.0, 8.0),
            (6.0, 2.0),
            (7.0, 6.0),
        ];
        assert_eq!(
            min_max(&pts, 2),
            vec![(1.0, 1.0), (2.0, 9.0), (5.0, 8.0), (6.0, 2.0)]
        );
    }

    #[test]
    fn a_spike_survives_decimation() {
        // 10 000 points, flat at 0 except one spike of 100 at x = 5 000.
        let pts: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (i as f64, if i == 5_000 { 100.0 } else { 0.0 }))
            .collect();
        let out = min_max(&pts, 100);
        assert!(out.len() <= 200, "{} points", out.len());
        assert!(out.contains(&(5_000.0, 100.0)));
        // The x order is kept.
        assert!(out.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn flat_columns_keep_one_point() {
        let pts: Vec<(f64, f64)> = (0..9).map(|i| (i as f64, 1.0)).collect();
        // 3 columns over 0..8 (width 8/3): each flat column gives one point.
        assert_eq!(min_max(&pts, 3), vec![(0.0, 1.0), (3.0, 1.0), (6.0, 1.0)]);
    }
}
