//! A log-log SVG plot of time against size, one line per contender and file
//! format. Plain SVG text: no plotting dependency for one chart.

use std::fmt::Write;

/// One line of the plot: its name and (operations, seconds) points.
pub struct Series {
    /// Legend text.
    pub name: String,
    /// (operations, seconds), by size.
    pub points: Vec<(f64, f64)>,
}

const COLORS: &[&str] = &[
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

fn decades(lo: f64, hi: f64) -> (f64, f64) {
    (
        lo.log10().floor(),
        hi.log10().ceil().max(lo.log10().floor() + 1.0),
    )
}

/// The SVG text.
pub fn svg(title: &str, series: &[Series]) -> String {
    let (w, h) = (760.0, 480.0);
    let (left, right, top, bottom) = (70.0, 230.0, 40.0, 50.0);
    let pts = series.iter().flat_map(|s| s.points.iter());
    let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        xmin = xmin.min(x);
        xmax = xmax.max(x);
        ymin = ymin.min(y.max(1e-4));
        ymax = ymax.max(y.max(1e-4));
    }
    if xmin > xmax {
        (xmin, xmax, ymin, ymax) = (1e4, 1e6, 0.01, 10.0);
    }
    let (x0, x1) = decades(xmin, xmax);
    let (y0, y1) = decades(ymin, ymax);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let sx = |x: f64| left + (x.log10() - x0) / (x1 - x0) * pw;
    let sy = |y: f64| top + ph - (y.max(1e-4).log10() - y0) / (y1 - y0) * ph;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" font-size="15" text-anchor="middle">{title}</text>"#,
        left + pw / 2.0
    );
    // Grid and ticks at each decade.
    let mut d = x0;
    while d <= x1 + 1e-9 {
        let x = sx(10f64.powf(d));
        let label = match d as i64 {
            3 => "1 k".to_string(),
            4 => "10 k".to_string(),
            5 => "100 k".to_string(),
            6 => "1 M".to_string(),
            7 => "10 M".to_string(),
            e => format!("1e{e}"),
        };
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{label}</text>"##,
            top + ph,
            top + ph + 18.0
        );
        d += 1.0;
    }
    let mut d = y0;
    while d <= y1 + 1e-9 {
        let y = sy(10f64.powf(d));
        let v = 10f64.powf(d);
        let label = if v >= 1.0 {
            format!("{v:.0} s")
        } else {
            format!("{} ms", v * 1000.0)
        };
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"##,
            left + pw,
            left - 6.0,
            y + 4.0
        );
        d += 1.0;
    }
    let _ = writeln!(
        s,
        r##"<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>"##
    );
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">operations in the file (log)</text>"#,
        left + pw / 2.0,
        h - 10.0
    );
    let _ = writeln!(
        s,
        r#"<text x="16" y="{:.1}" text-anchor="middle" transform="rotate(-90 16 {:.1})">whole-process time (log)</text>"#,
        top + ph / 2.0,
        top + ph / 2.0
    );
    for (i, series) in series.iter().enumerate() {
        let color = COLORS.get(i % COLORS.len()).copied().unwrap_or("#000");
        let dash = if series.name.contains("NDJSON") {
            r#" stroke-dasharray="6 3""#
        } else {
            ""
        };
        let path: Vec<String> = series
            .points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"{dash}/>"#,
            path.join(" ")
        );
        for &(x, y) in &series.points {
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"/>"#,
                sx(x),
                sy(y)
            );
        }
        let ly = top + 10.0 + i as f64 * 20.0;
        let lx = left + pw + 15.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/><text x="{}" y="{}">{}</text>"#,
            lx + 24.0,
            lx + 30.0,
            ly + 4.0,
            series.name
        );
    }
    s.push_str("</svg>\n");
    s
}
