//! Time text read by layout: the date-time shapes the lenient time parser
//! accepts besides RFC 3339, each read by a small table of steps with the
//! rules of strftime-style parsing (numbers may be padded with leading
//! whitespace and have fewer digits than the field's width, a space in the
//! layout matches any run of whitespace, an explicit sign lets a year have
//! any number of digits, a fraction of a second is optional).

/// One step of a layout.
#[derive(Clone, Copy)]
pub enum Step {
    /// `%Y`: a year, signed with any number of digits or unsigned with up to 4.
    Year,
    /// `%m`: month 1..=12, one or two digits.
    Month,
    /// `%d`: day 1..=31, one or two digits.
    Day,
    /// `%H`: hour 0..=23, one or two digits.
    Hour,
    /// `%M`: minute 0..=59, one or two digits.
    Minute,
    /// `%S`: second 0..=60 (60 is a leap second), one or two digits.
    Second,
    /// `%.f`: an optional `.` and 1 or more digits (nanoseconds; digits past the ninth ignored).
    Fraction,
    /// `%z`: `+hh:mm`, `-hhmm`, `+hh mm`... (colons and whitespace between hours and minutes).
    Offset,
    /// This byte, exactly.
    Lit(u8),
    /// Any run of whitespace, possibly empty.
    Space,
}

use Step::*;

/// `%Y-%m-%d %H:%M:%S%.f%z`.
pub const SPACE_OFFSET: &[Step] = &[
    Year,
    Lit(b'-'),
    Month,
    Lit(b'-'),
    Day,
    Space,
    Hour,
    Lit(b':'),
    Minute,
    Lit(b':'),
    Second,
    Fraction,
    Offset,
];
/// `%Y-%m-%dT%H:%M:%S%.f%z`.
pub const T_OFFSET: &[Step] = &[
    Year,
    Lit(b'-'),
    Month,
    Lit(b'-'),
    Day,
    Lit(b'T'),
    Hour,
    Lit(b':'),
    Minute,
    Lit(b':'),
    Second,
    Fraction,
    Offset,
];
/// `%Y-%m-%dT%H:%M:%S%.f`.
pub const T_SECONDS: &[Step] = &[
    Year,
    Lit(b'-'),
    Month,
    Lit(b'-'),
    Day,
    Lit(b'T'),
    Hour,
    Lit(b':'),
    Minute,
    Lit(b':'),
    Second,
    Fraction,
];
/// `%Y-%m-%d %H:%M:%S%.f`.
pub const SPACE_SECONDS: &[Step] = &[
    Year,
    Lit(b'-'),
    Month,
    Lit(b'-'),
    Day,
    Space,
    Hour,
    Lit(b':'),
    Minute,
    Lit(b':'),
    Second,
    Fraction,
];
/// `%Y-%m-%dT%H:%M`.
pub const T_MINUTES: &[Step] = &[
    Year,
    Lit(b'-'),
    Month,
    Lit(b'-'),
    Day,
    Lit(b'T'),
    Hour,
    Lit(b':'),
    Minute,
];
/// `%Y-%m-%d %H:%M`.
pub const SPACE_MINUTES: &[Step] = &[
    Year,
    Lit(b'-'),
    Month,
    Lit(b'-'),
    Day,
    Space,
    Hour,
    Lit(b':'),
    Minute,
];
/// `%Y-%m-%d`.
pub const DATE: &[Step] = &[Year, Lit(b'-'), Month, Lit(b'-'), Day];

/// Years of the calendar range a time may have (beyond them nothing is read).
const MIN_YEAR: i64 = -262_143;
const MAX_YEAR: i64 = 262_142;

/// The fields a layout read.
#[derive(Default)]
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    nano: i64,
    offset: Option<i64>,
}

/// 1 to `max` ASCII digits as a number (None when there is none or it overflows).
fn number(s: &str, max: usize) -> Option<(&str, i64)> {
    let digits = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (head, rest) = s.split_at(digits);
    let mut n = 0i64;
    for b in head.bytes() {
        n = n.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some((rest, n))
}

/// A number of one or two digits within `range`, after optional whitespace.
fn field(s: &str, range: std::ops::RangeInclusive<i64>) -> Option<(&str, i64)> {
    let (rest, v) = number(s.trim_start(), 2)?;
    range.contains(&v).then_some((rest, v))
}

/// `±hh[:mm]`: the offset in seconds (hours up to 99 are read here; the
/// calendar check refuses a day or more).
fn offset(s: &str) -> Option<(&str, i64)> {
    let s = s.trim_start();
    let (negative, s) = if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else if let Some(r) = s.strip_prefix('-') {
        (true, r)
    } else {
        (true, s.strip_prefix('\u{2212}')?)
    };
    let two = |s: &str, first: u8| -> Option<i64> {
        match s.as_bytes() {
            [a, b, ..] if (b'0'..=first).contains(a) && b.is_ascii_digit() => {
                Some(i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            }
            _ => None,
        }
    };
    let hours = two(s, b'9')?;
    let s = s
        .get(2..)?
        .trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let minutes = two(s, b'5')?;
    let seconds = hours * 3600 + minutes * 60;
    Some((s.get(2..)?, if negative { -seconds } else { seconds }))
}

/// Reads `s` (all of it) by `layout`.
fn scan(mut s: &str, layout: &[Step]) -> Option<Fields> {
    let mut f = Fields::default();
    for step in layout {
        s = match step {
            Lit(c) => s.strip_prefix(char::from(*c))?,
            Space => s.trim_start(),
            Year => {
                let t = s.trim_start();
                let (rest, v) = if let Some(r) = t.strip_prefix('-') {
                    let (rest, v) = number(r, usize::MAX)?;
                    (rest, -v)
                } else if let Some(r) = t.strip_prefix('+') {
                    number(r, usize::MAX)?
                } else {
                    number(t, 4)?
                };
                i32::try_from(v).ok()?;
                f.year = v;
                rest
            }
            Month => set(field(s, 1..=12)?, &mut f.month),
            Day => set(field(s, 1..=31)?, &mut f.day),
            Hour => set(field(s, 0..=23)?, &mut f.hour),
            Minute => set(field(s, 0..=59)?, &mut f.minute),
            Second => set(field(s, 0..=60)?, &mut f.second),
            Fraction => match s.strip_prefix('.') {
                Some(r) => {
                    let (rest, v) = number(r, 9)?;
                    let digits = u32::try_from(r.len() - rest.len()).unwrap_or(9);
                    f.nano = v * 10i64.pow(9u32.saturating_sub(digits));
                    rest.trim_start_matches(|c: char| c.is_ascii_digit())
                }
                None => s,
            },
            Offset => {
                let (rest, v) = offset(s)?;
                f.offset = Some(v);
                rest
            }
        };
    }
    s.is_empty().then_some(f)
}

/// Stores a field's value; the rest of the text.
fn set<'s>((rest, v): (&'s str, i64), to: &mut i64) -> &'s str {
    *to = v;
    rest
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
#[inline]
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days in a month of a year.
#[inline]
pub fn month_days(year: i64, month: i64) -> i64 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads `s` by `layout`: UTC milliseconds since the epoch (an offset in
/// the layout is applied; without one the time is read as UTC). None when
/// the text does not have the layout or names no real time (30 February,
/// an offset of a day or more, a year beyond ±262 142).
pub fn parse(s: &str, layout: &[Step]) -> Option<i64> {
    let f = scan(s, layout)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&f.year) || f.day > month_days(f.year, f.month) {
        return None;
    }
    let days = days_from_civil(f.year, f.month, f.day);
    // A leap second is the 59th second with an extra second of fraction.
    let (second, leap_ms) = if f.second == 60 {
        (59, 1000)
    } else {
        (f.second, 0)
    };
    let mut secs = days * 86_400 + f.hour * 3600 + f.minute * 60 + second;
    if let Some(offset) = f.offset {
        if offset.abs() >= 86_400 {
            return None;
        }
        secs -= offset;
        let day = secs.div_euclid(86_400);
        if day < days_from_civil(MIN_YEAR, 1, 1) || day > days_from_civil(MAX_YEAR, 12, 31) {
            return None;
        }
    }
    Some(secs * 1000 + leap_ms + f.nano / 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What chrono's parser gives for the same text and layout.
    fn reference(s: &str, fmt: &str) -> Option<i64> {
        if fmt.ends_with('z') {
            chrono::DateTime::parse_from_str(s, fmt)
                .ok()
                .map(|d| d.timestamp_millis())
        } else if fmt.contains('H') {
            chrono::NaiveDateTime::parse_from_str(s, fmt)
                .ok()
                .map(|d| d.and_utc().timestamp_millis())
        } else {
            chrono::NaiveDate::parse_from_str(s, fmt)
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc().timestamp_millis())
        }
    }

    /// Lengths cut from the end of a text (0 to 12 bytes).
    const CUTS: [&str; 13] = [
        "",
        "x",
        "xx",
        "xxx",
        "xxxx",
        "xxxxx",
        "xxxxxx",
        "xxxxxxx",
        "xxxxxxxx",
        "xxxxxxxxx",
        "xxxxxxxxxx",
        "xxxxxxxxxxx",
        "xxxxxxxxxxxx",
    ];

    const LAYOUTS: [(&[Step], &str); 8] = [
        (SPACE_OFFSET, "%Y-%m-%d %H:%M:%S%.f%:z"),
        (SPACE_OFFSET, "%Y-%m-%d %H:%M:%S%.f%z"),
        (T_OFFSET, "%Y-%m-%dT%H:%M:%S%.f%z"),
        (T_SECONDS, "%Y-%m-%dT%H:%M:%S%.f"),
        (SPACE_SECONDS, "%Y-%m-%d %H:%M:%S%.f"),
        (T_MINUTES, "%Y-%m-%dT%H:%M"),
        (SPACE_MINUTES, "%Y-%m-%d %H:%M"),
        (DATE, "%Y-%m-%d"),
    ];

    /// Every layout reads what chrono's format strings read, to the
    /// millisecond, over texts built from typical and odd pieces.
    #[test]
    fn layouts_agree_with_chrono() {
        let years = [
            "2025",
            "25",
            "0",
            "+2025",
            "-0044",
            "+262142",
            "+262143",
            "-262143",
            "-262144",
            "+99999999999",
            "+999999999999999999999",
            " 2025",
            "\t2025",
            "+",
            "-",
            "20255",
            "1900",
            "9999",
            "\u{3000}2024",
            "2024",
        ];
        let months = ["11", "1", "01", "13", "0", " 2", "011", "12", "02", "x"];
        let days = ["29", "31", "30", "1", "00", "32", " 9", "28", "015"];
        let seps = ["T", " ", "  ", "", "t", "\u{3000}", "\t", "T "];
        let hours = ["10", "1", "24", "23", " 9", "00", "x"];
        let minutes = ["00", "59", "60", "5", " 7", "123"];
        let seconds = ["", ":00", ":60", ":61", ":5", ": 5", ":59", ":"];
        let fractions = [
            "",
            ".",
            ".1",
            ".123",
            ".123456789",
            ".1234567891234",
            ".x",
            ".999999999",
            ".5 ",
        ];
        let offsets = [
            "",
            "Z",
            "+02:00",
            "+0200",
            "-05:30",
            "+02",
            "+02:0",
            "+24:00",
            "+23:59",
            "\u{2212}03:00",
            " +02:00",
            "+02 00",
            "+02::00",
            "+02:60",
            "+0200x",
            "-23:59",
            "+00:00",
            "UTC",
            " UTC",
            "-0000",
            "+9959",
            "+02:  30",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut pick = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut one = |list: &[&'static str]| list.get(pick(list.len())).copied().unwrap_or("");
        let mut agreed_some = 0;
        for _ in 0..60_000 {
            let text = [
                one(&years),
                "-",
                one(&months),
                one(&["/", "-", "-", "-", "-", "-", "-", "-", "-", "-"]),
                one(&days),
                one(&seps),
                one(&hours),
                ":",
                one(&minutes),
                one(&seconds),
                one(&fractions),
                one(&offsets),
            ]
            .concat();
            // Prefixes too: dates alone, times without seconds...
            let cut = text.len().saturating_sub(one(&CUTS).len());
            let text = text.get(..cut).unwrap_or(&text).to_string();
            for (steps, fmt) in LAYOUTS {
                let ours = parse(&text, steps);
                assert_eq!(ours, reference(&text, fmt), "{text:?} as {fmt}");
                agreed_some += usize::from(ours.is_some());
            }
        }
        assert!(agreed_some > 1000, "{agreed_some}");
    }

    #[test]
    fn leap_seconds_fractions_and_offsets() {
        for (text, fmt) in [
            ("2016-12-31 23:59:60.5+00:00", "%Y-%m-%d %H:%M:%S%.f%:z"),
            (
                "2025-11-29T10:00:00.123456789123-05:30",
                "%Y-%m-%dT%H:%M:%S%.f%z",
            ),
            ("1969-12-31 23:59:59.999", "%Y-%m-%d %H:%M:%S%.f"),
            ("-0001-03-01T00:00", "%Y-%m-%dT%H:%M"),
            ("+262142-12-31 23:59:59-01:00", "%Y-%m-%d %H:%M:%S%.f%z"),
            ("-262143-01-01 00:00:00+01:00", "%Y-%m-%d %H:%M:%S%.f%z"),
            ("2024-2-29", "%Y-%m-%d"),
            ("2023-2-29", "%Y-%m-%d"),
        ] {
            let steps = LAYOUTS
                .iter()
                .find(|(_, f)| *f == fmt)
                .map_or(DATE, |(s, _)| s);
            assert_eq!(parse(text, steps), reference(text, fmt), "{text}");
        }
    }
}
