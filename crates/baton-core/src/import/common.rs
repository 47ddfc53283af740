//! Pieces every importer shares: the import context that counts records and
//! collects diagnostics, lenient typed values (times, numbers) that deserialize
//! straight from the bytes, and status mapping.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::layout;
use crate::model::{
    Dataset, Diagnostic, DiagnosticLevel, Outcome, RecordCounts, SourceId, Sym, Timestamp,
};

/// Longest duration accepted: 100 years in seconds. Longer values are data
/// errors, and sums of values near `f64::MAX` would overflow to infinity.
pub const MAX_DURATION_SECONDS: f64 = 100.0 * 365.25 * 86_400.0;

/// Largest cost accepted for one record, in USD (a billion).
pub const MAX_COST_USD: f64 = 1e9;

/// A number for a message: plain when short, in scientific notation when huge.
pub fn short_num(v: f64) -> String {
    if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// State of one file's import: the dataset it writes into, its counts and
/// diagnostics. Every record goes through exactly one of [`Ctx::imported`],
/// [`Ctx::duplicate`] or [`Ctx::skip`], so the counts always add up.
pub struct Ctx<'d> {
    /// The dataset being filled.
    pub ds: &'d mut Dataset,
    /// This file's id.
    pub source: SourceId,
    /// This file's name.
    pub file: String,
    /// Records read, imported, merged, skipped.
    pub counts: RecordCounts,
    /// What could not be used as it was.
    pub diagnostics: Vec<Diagnostic>,
    /// Data-quality figures for the Data view.
    pub quality: Vec<(String, f64)>,
    /// Fields whose naive (zone-less) times were already reported, so a file
    /// of naive times gets one info per field rather than one per record.
    naive_fields: Vec<String>,
}

impl<'d> Ctx<'d> {
    /// A context for a file that will get id `source`.
    pub fn new(ds: &'d mut Dataset, source: SourceId, file: &str) -> Self {
        Ctx {
            ds,
            source,
            file: file.to_string(),
            counts: RecordCounts::default(),
            diagnostics: Vec::new(),
            quality: Vec::new(),
            naive_fields: Vec::new(),
        }
    }

    /// Interns a name.
    pub fn intern(&mut self, name: &str) -> Sym {
        self.ds.intern(name)
    }

    /// Counts a record as read and imported.
    pub fn imported(&mut self) {
        self.counts.read += 1;
        self.counts.imported += 1;
    }

    /// Counts a record as read and merged into an earlier one with the same id.
    pub fn duplicate(&mut self) {
        self.counts.read += 1;
        self.counts.duplicates += 1;
    }

    /// Counts the result of a `Dataset::insert_*` call: added or merged.
    pub fn inserted(&mut self, added: bool) {
        if added {
            self.imported();
        } else {
            self.duplicate();
        }
    }

    /// Counts a record as read and skipped, with the reason.
    pub fn skip(&mut self, record: u64, field: Option<&str>, reason: impl Into<String>) {
        self.counts.read += 1;
        self.counts.skipped += 1;
        self.diagnose(DiagnosticLevel::Skipped, Some(record), None, field, reason);
    }

    /// Counts a line as read and skipped, with the reason (line-based formats).
    pub fn skip_line(
        &mut self,
        record: u64,
        line: u64,
        field: Option<&str>,
        reason: impl Into<String>,
    ) {
        self.counts.read += 1;
        self.counts.skipped += 1;
        self.diagnose(
            DiagnosticLevel::Skipped,
            Some(record),
            Some(line),
            field,
            reason,
        );
    }

    /// A warning about a kept record (a value dropped or corrected).
    pub fn warn(&mut self, record: Option<u64>, field: Option<&str>, reason: impl Into<String>) {
        self.diagnose(DiagnosticLevel::Warning, record, None, field, reason);
    }

    /// An assumption made (for instance a naive time read as UTC).
    pub fn info(&mut self, record: Option<u64>, field: Option<&str>, reason: impl Into<String>) {
        self.diagnose(DiagnosticLevel::Info, record, None, field, reason);
    }

    /// Adds a diagnostic. Past 1 000 diagnostics of one file, only a count is kept
    /// (the last entry says how many were left out) so a hostile file cannot
    /// exhaust memory with them.
    pub fn diagnose(
        &mut self,
        level: DiagnosticLevel,
        record: Option<u64>,
        line: Option<u64>,
        field: Option<&str>,
        reason: impl Into<String>,
    ) {
        const MAX: usize = 1_000;
        if self.diagnostics.len() < MAX {
            self.diagnostics.push(Diagnostic {
                level,
                file: self.file.clone(),
                record,
                line,
                field: field.map(str::to_string),
                reason: reason.into(),
            });
        } else if self.diagnostics.len() == MAX {
            self.diagnostics.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                file: self.file.clone(),
                record: None,
                line: None,
                field: None,
                reason:
                    "more diagnostics were left out; the counts above still include every record"
                        .to_string(),
            });
        }
    }

    /// Reads a time value, recording naive times as UTC (one info per field
    /// and file, at the first record that has one) and unusable values
    /// (warning). Returns None for an absent or unusable value.
    pub fn time(
        &mut self,
        record: u64,
        field: &str,
        raw: Option<&RawTime<'_>>,
    ) -> Option<Timestamp> {
        self.parsed_time(record, field, raw.map(RawTime::parse))
    }

    /// [`Ctx::time`] of a value already parsed with [`RawTime::parse`]
    /// (for instance on another thread).
    pub fn parsed_time(
        &mut self,
        record: u64,
        field: &str,
        parsed: Option<Result<(Timestamp, bool), String>>,
    ) -> Option<Timestamp> {
        match parsed? {
            Ok((ts, naive)) => {
                if naive && !self.naive_fields.iter().any(|f| f == field) {
                    self.naive_fields.push(field.to_string());
                    self.info(
                        Some(record),
                        Some(field),
                        "times without a zone are read as UTC (reported once per field)",
                    );
                }
                Some(ts)
            }
            Err(reason) => {
                self.warn(Some(record), Some(field), reason);
                None
            }
        }
    }

    /// Reads a duration already in seconds; negative or non-finite values are
    /// refused with the reason as the error.
    pub fn duration_seconds(value: f64) -> Result<f64, String> {
        if !value.is_finite() {
            Err(format!("duration {value} is not a finite number"))
        } else if value < 0.0 {
            Err(format!("negative duration {}", short_num(value)))
        } else if value > MAX_DURATION_SECONDS {
            Err(format!(
                "duration {} s is more than 100 years",
                short_num(value)
            ))
        } else {
            Ok(value)
        }
    }

    /// Checks a cost in USD: negative, non-finite or absurd (above
    /// [`MAX_COST_USD`] for one record) values are refused with the reason.
    pub fn cost_usd(value: f64) -> Result<f64, String> {
        if !value.is_finite() {
            Err(format!("cost {value} is not a finite number"))
        } else if value < 0.0 {
            Err(format!("negative cost {}", short_num(value)))
        } else if value > MAX_COST_USD {
            Err(format!("cost {} USD is implausible", short_num(value)))
        } else {
            Ok(value)
        }
    }

    /// Maps a status word by meaning; an unknown word is a warning and None.
    pub fn outcome(&mut self, record: u64, field: &str, status: &str) -> Option<Outcome> {
        let outcome = Outcome::from_status(status);
        if outcome.is_none() {
            self.warn(
                Some(record),
                Some(field),
                format!("unknown status {status:?}"),
            );
        }
        outcome
    }

    /// A point to return to with [`Ctx::restore`]: the dataset's records
    /// and names, and this file's counts and diagnostics so far.
    pub fn checkpoint(&self) -> CtxMark {
        CtxMark {
            dataset: self.ds.mark(),
            names: self.ds.names.len(),
            counts: self.counts,
            diagnostics: self.diagnostics.len(),
            quality: self.quality.len(),
            naive_fields: self.naive_fields.len(),
        }
    }

    /// Undoes everything done since `mark`, names included, so that reading
    /// the file again another way gives the same result as reading it that
    /// way in the first place.
    pub fn restore(&mut self, mark: CtxMark) {
        self.ds.rollback(mark.dataset);
        self.ds.names.truncate(mark.names);
        self.counts = mark.counts;
        self.diagnostics.truncate(mark.diagnostics);
        self.quality.truncate(mark.quality);
        self.naive_fields.truncate(mark.naive_fields);
    }

    /// Finishes: the source's counts, diagnostics and quality figures.
    pub fn finish(
        self,
    ) -> (
        RecordCounts,
        Vec<crate::model::Diagnostic>,
        Vec<(String, f64)>,
    ) {
        (self.counts, self.diagnostics, self.quality)
    }
}

/// A point to return to with [`Ctx::restore`].
pub struct CtxMark {
    dataset: crate::model::DatasetMark,
    names: usize,
    counts: RecordCounts,
    diagnostics: usize,
    quality: usize,
    naive_fields: usize,
}

/// A time as files write it: RFC 3339 text (with or without offset), naive
/// date-time text, a date, or epoch seconds / milliseconds as a number or
/// numeric text. Deserializes without building an intermediate tree.
#[derive(Debug, Clone, PartialEq)]
pub enum RawTime<'a> {
    /// Text.
    Text(Cow<'a, str>),
    /// A number of seconds or milliseconds since the epoch.
    Number(f64),
}

impl RawTime<'_> {
    /// Parses to a UTC timestamp; the flag is true when the text had no zone.
    pub fn parse(&self) -> Result<(Timestamp, bool), String> {
        match self {
            RawTime::Number(n) => epoch_number(*n).map(|t| (t, false)),
            RawTime::Text(s) => parse_time_text(s),
        }
    }
}

/// Latest accepted time: year 9999. Earliest: year 1900.
const MAX_MS: i64 = 253_402_300_799_000;
const MIN_MS: i64 = -2_208_988_800_000;

fn checked(ms: i64) -> Result<Timestamp, String> {
    if (MIN_MS..=MAX_MS).contains(&ms) {
        Ok(Timestamp(ms))
    } else {
        Err(format!("time {ms} ms is outside 1900..9999"))
    }
}

/// Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by
/// magnitude (seconds below 1e11, milliseconds below 1e14, micros below 1e17).
pub fn epoch_number(n: f64) -> Result<Timestamp, String> {
    if !n.is_finite() {
        return Err(format!("time {n} is not a finite number"));
    }
    let abs = n.abs();
    let ms = if abs < 1e11 {
        n * 1000.0
    } else if abs < 1e14 {
        n
    } else if abs < 1e17 {
        n / 1000.0
    } else {
        n / 1_000_000.0
    };
    if !(MIN_MS as f64..=MAX_MS as f64).contains(&ms) {
        return Err(format!("time {n} is outside 1900..9999"));
    }
    checked(ms.round() as i64)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` or `+00:00`, the layout Baton and most
/// exporters write, read without the general parser (a million operations
/// carry two million times). None for anything else, which the general parser
/// then reads, so results are the same either way.
fn fast_utc(b: &[u8]) -> Option<i64> {
    let digit = |i: usize| -> Option<i64> {
        let c = *b.get(i)?;
        c.is_ascii_digit().then(|| i64::from(c - b'0'))
    };
    let two = |i: usize| -> Option<i64> { Some(digit(i)? * 10 + digit(i + 1)?) };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let year = two(0)? * 100 + two(2)?;
    let (month, day) = (two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    if !(1..=12).contains(&month) {
        return None;
    }
    let month_days = layout::month_days(year, month);
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0;
    if sep(i, b'.') {
        i += 1;
        let start = i;
        let mut scale = 100;
        while let Some(d) = digit(i) {
            ms += d * scale;
            scale /= 10;
            i += 1;
        }
        if i == start || i - start > 9 {
            return None;
        }
    }
    match b.get(i..)? {
        b"Z" | b"z" | b"+00:00" => {}
        _ => return None,
    }
    let days = layout::days_from_civil(year, month, day);
    Some(days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms)
}

/// Parses time text: RFC 3339 / ISO 8601 with offset, naive date-time (UTC,
/// flagged), a bare date (midnight UTC, flagged), or epoch digits.
pub fn parse_time_text(s: &str) -> Result<(Timestamp, bool), String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty time".to_string());
    }
    if let Some(ms) = fast_utc(t.as_bytes()) {
        return checked(ms).map(|ts| (ts, false));
    }
    other_time_text(t)
}

/// [`parse_time_text`] of trimmed, non-empty text that is not in the common
/// UTC layout: kept out of line so the common case stays small and fast.
#[inline(never)]
fn other_time_text(t: &str) -> Result<(Timestamp, bool), String> {
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return checked(dt.timestamp_millis()).map(|ts| (ts, false));
    }
    // "2025-11-29 10:00:00+00:00" and other offset forms.
    for steps in [layout::SPACE_OFFSET, layout::T_OFFSET] {
        if let Some(ms) = layout::parse(t, steps) {
            return checked(ms).map(|ts| (ts, false));
        }
    }
    let trimmed_z = t.strip_suffix(" UTC").unwrap_or(t);
    for steps in [
        layout::T_SECONDS,
        layout::SPACE_SECONDS,
        layout::T_MINUTES,
        layout::SPACE_MINUTES,
    ] {
        if let Some(ms) = layout::parse(trimmed_z, steps) {
            return checked(ms).map(|ts| (ts, trimmed_z.len() == t.len()));
        }
    }
    if let Some(ms) = layout::parse(t, layout::DATE) {
        return checked(ms).map(|ts| (ts, true));
    }
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        if let Ok(n) = t.parse::<f64>() {
            return epoch_number(n).map(|ts| (ts, false));
        }
    }
    Err(format!("unreadable time {t:?}"))
}

impl<'de: 'a, 'a> Deserialize<'de> for RawTime<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawTime<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time as text or epoch number")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(RawTime::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawTime::Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawTime::Text(Cow::Owned(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawTime::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawTime::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawTime::Number(v))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A number as files write it: a JSON number, or numeric text ("12", "0.5").
/// Text that is not a number (including "NaN") and non-finite values become
/// `Invalid`, so the importer can say why it dropped the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawNum {
    /// A finite number.
    Value(f64),
    /// Not usable as a number.
    Invalid,
}

impl RawNum {
    /// The value if finite.
    pub fn get(self) -> Option<f64> {
        match self {
            RawNum::Value(v) if v.is_finite() => Some(v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for RawNum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawNum;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNum, E> {
                Ok(RawNum::Value(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNum, E> {
                Ok(RawNum::Value(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNum, E> {
                Ok(if v.is_finite() {
                    RawNum::Value(v)
                } else {
                    RawNum::Invalid
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNum, E> {
                Ok(match v.trim().trim_end_matches('%').parse::<f64>() {
                    Ok(n) if n.is_finite() => RawNum::Value(n),
                    _ => RawNum::Invalid,
                })
            }
            fn visit_bool<E: de::Error>(self, _v: bool) -> Result<RawNum, E> {
                Ok(RawNum::Invalid)
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawNum, E> {
                Ok(RawNum::Invalid)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawNum, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(RawNum::Invalid)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawNum, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(RawNum::Invalid)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Text as files write it: a string, or a number or boolean written as text
/// (ids are often numbers: `"issue_id": 123`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawText<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for RawText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawText<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text or a number")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(RawText(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawText(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawText(Cow::Owned(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawText(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawText(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawText(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(RawText(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

impl RawText<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Turns a serde_json error into the core's syntax error for `file`.
pub fn syntax_error(file: &str, e: &serde_json::Error) -> crate::Error {
    crate::Error::Syntax {
        file: file.to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Result<(Timestamp, bool), String> {
        parse_time_text(s)
    }

    #[test]
    fn times_in_every_accepted_shape() {
        let z = 1_764_410_400_000; // 2025-11-29T10:00:00Z
        assert_eq!(t("2025-11-29T10:00:00Z"), Ok((Timestamp(z), false)));
        assert_eq!(t("2025-11-29T12:00:00+02:00"), Ok((Timestamp(z), false)));
        assert_eq!(t("2025-11-29 10:00:00"), Ok((Timestamp(z), true)));
        assert_eq!(t("2025-11-29T10:00:00.000"), Ok((Timestamp(z), true)));
        assert_eq!(t("1764410400"), Ok((Timestamp(z), false)));
        assert_eq!(t("1764410400000"), Ok((Timestamp(z), false)));
        assert_eq!(epoch_number(1_764_410_400.0), Ok(Timestamp(z)));
        assert_eq!(epoch_number(1_764_410_400_000.0), Ok(Timestamp(z)));
        assert!(t("yesterday").is_err());
        assert!(t("99999-01-01T00:00:00Z").is_err());
        assert!(epoch_number(f64::NAN).is_err());
    }

    #[test]
    fn raw_values_deserialize_leniently() {
        let n: RawNum = serde_json::from_str("\"12.5\"").unwrap_or(RawNum::Invalid);
        assert_eq!(n.get(), Some(12.5));
        let n: RawNum = serde_json::from_str("\"NaN\"").unwrap_or(RawNum::Value(0.0));
        assert_eq!(n.get(), None);
        let id: Option<RawText> = serde_json::from_str("123").ok();
        assert_eq!(id.map(|t| t.0.into_owned()), Some("123".to_string()));
        let time: Option<RawTime> = serde_json::from_str("1764410400").ok();
        assert_eq!(time, Some(RawTime::Number(1_764_410_400.0)));
    }
}

#[cfg(test)]
mod fast_time_tests {
    use super::*;

    /// The fast path gives chrono's result for every layout it takes, and
    /// leaves every other text to chrono.
    #[test]
    fn fast_path_agrees_with_chrono() {
        let cases = [
            "2025-11-30T18:00:00Z",
            "2025-11-30T18:00:00.1Z",
            "2025-11-30T18:00:00.123Z",
            "2025-11-30T18:00:00.123456789Z",
            "2024-02-29T23:59:59.999+00:00",
            "2000-03-01T00:00:00Z",
            "1900-01-01T00:00:00Z",
            "1969-12-31T23:59:59.5Z",
            "2100-02-28T12:00:00z",
            "9999-12-31T23:59:59Z",
        ];
        for c in cases {
            let chrono_ms = chrono::DateTime::parse_from_rfc3339(c)
                .map(|d| d.timestamp_millis())
                .ok();
            assert_eq!(fast_utc(c.as_bytes()), chrono_ms, "{c}");
        }
        for other in [
            "2025-02-29T00:00:00Z",
            "2025-11-30T24:00:00Z",
            "2025-11-30 18:00:00Z",
            "2025-11-30T18:00:00+01:00",
            "2025-11-30T18:00:00",
            "2025-11-30T18:00:00.Z",
            "2025-13-01T00:00:00Z",
        ] {
            assert_eq!(fast_utc(other.as_bytes()), None, "{other}");
        }
        // Through the public entry point, with and without the fast path.
        assert_eq!(
            parse_time_text("2025-11-30T18:00:00+01:00"),
            Ok((Timestamp(1_764_522_000_000), false))
        );
        assert_eq!(
            parse_time_text("2025-11-30T18:00:00Z"),
            Ok((Timestamp(1_764_525_600_000), false))
        );
    }
}
