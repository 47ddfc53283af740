//! A reader for operation records in the plain layout Baton and most writers
//! produce: keys from the format, strings without escapes, non-negative
//! numbers without exponent, every key at most once. It yields exactly the
//! [`WireOperation`] serde would, about twice as fast, and gives up (None) on
//! anything else, which the caller then reads with serde, diagnostics and all.

use std::borrow::Cow;

use super::wire::{Text, Time, WireOperation, WireOutcome, WireTokens};
use crate::import::common::RawTime;

/// 10^0 ..= 10^22: the powers of ten an `f64` holds exactly (serde_json's
/// table starts with the same literals).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A position in the text being read.
struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

/// Each byte of `x` equal to `c` flagged by its high bit; the lowest flag
/// is exact (higher ones may be false after a true one).
#[inline(always)]
fn bytes_eq(x: u64, c: u8) -> u64 {
    let y = x ^ (u64::from(c) * 0x0101_0101_0101_0101);
    y.wrapping_sub(0x0101_0101_0101_0101) & !y & 0x8080_8080_8080_8080
}

/// Each byte of `x` below 0x20 flagged, as in [`bytes_eq`].
#[inline(always)]
fn bytes_control(x: u64) -> u64 {
    x.wrapping_sub(0x2020_2020_2020_2020) & !x & 0x8080_8080_8080_8080
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    /// Skips whitespace, then takes `c`.
    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        if self.peek()? == c {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    /// A string without escapes or control characters, after whitespace.
    /// Eight bytes at a time: the first quote, backslash or control byte
    /// ends the scan.
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.i;
        while let Some(chunk) = self.b.get(self.i..self.i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_le_bytes(word);
            let hits = bytes_eq(x, b'"') | bytes_eq(x, b'\\') | bytes_control(x);
            if hits != 0 {
                self.i += (hits.trailing_zeros() / 8) as usize;
                return self.string_end(start);
            }
            self.i += 8;
        }
        loop {
            match self.peek()? {
                b'"' | b'\\' | 0..=0x1f => return self.string_end(start),
                _ => self.i += 1,
            }
        }
    }

    /// Ends a string at the current byte, which must be its closing quote.
    #[inline(always)]
    fn string_end(&mut self, start: usize) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let s = self.s.get(start..self.i)?;
        self.i += 1;
        Some(s)
    }

    /// True (and consumed) when the next value is `null`.
    #[inline(always)]
    fn null(&mut self) -> bool {
        self.ws();
        if self.b.get(self.i..self.i + 4) == Some(b"null") {
            self.i += 4;
            true
        } else {
            false
        }
    }

    /// Digits of a non-negative integer without a leading zero (a lone `0`
    /// is fine); None on overflow. Returns the value and the digit count.
    #[inline(always)]
    fn digits(&mut self) -> Option<(u64, i32)> {
        let start = self.i;
        let mut v: u64 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 || (n > 1 && self.b.get(start) == Some(&b'0')) {
            return None;
        }
        i32::try_from(n).ok().map(|n| (v, n))
    }

    /// A non-negative integer (no fraction, no exponent).
    #[inline(always)]
    fn uint(&mut self) -> Option<u64> {
        self.ws();
        let (v, _) = self.digits()?;
        match self.peek() {
            Some(b'.' | b'e' | b'E') => None,
            _ => Some(v),
        }
    }

    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.uint()?).ok()
    }

    /// A non-negative number without exponent, as serde_json computes it:
    /// the digits as an integer, divided by the power of ten of the fraction.
    #[inline(always)]
    fn f64(&mut self) -> Option<f64> {
        self.ws();
        let (mut v, _) = self.digits()?;
        let mut scale = 0usize;
        if self.peek() == Some(b'.') {
            self.i += 1;
            while let Some(c @ b'0'..=b'9') = self.peek() {
                v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                scale += 1;
                self.i += 1;
            }
            if scale == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            return None;
        }
        Some(v as f64 / POW10.get(scale)?)
    }

    #[inline(always)]
    fn bool(&mut self) -> Option<bool> {
        self.ws();
        let rest = self.b.get(self.i..)?;
        if rest.starts_with(b"true") {
            self.i += 4;
            Some(true)
        } else if rest.starts_with(b"false") {
            self.i += 5;
            Some(false)
        } else {
            None
        }
    }

    #[inline(always)]
    fn text(&mut self) -> Option<Text<'a>> {
        self.string().map(|s| Text(Cow::Borrowed(s)))
    }

    #[inline(always)]
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.null() {
            Some(None)
        } else {
            f(self).map(Some)
        }
    }

    /// After a value: `,` (true, more keys) or the closing `}` (false).
    #[inline(always)]
    fn next(&mut self) -> Option<bool> {
        self.ws();
        match self.peek()? {
            b',' => {
                self.i += 1;
                Some(true)
            }
            b'}' => {
                self.i += 1;
                Some(false)
            }
            _ => None,
        }
    }

    fn tokens(&mut self) -> Option<WireTokens> {
        self.eat(b'{')?;
        let mut t = WireTokens::default();
        let mut seen = 0u8;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Some(t);
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            let (bit, slot) = match key {
                "input" => (1, &mut t.input),
                "output" => (2, &mut t.output),
                "cache_read" => (4, &mut t.cache_read),
                "cache_write" => (8, &mut t.cache_write),
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            *slot = self.uint()?;
            if !self.next()? {
                return Some(t);
            }
        }
    }

    /// A time as text (epoch numbers are left to serde).
    #[inline(always)]
    fn time(&mut self) -> Option<Time<'a>> {
        self.string().map(|s| Time(RawTime::Text(Cow::Borrowed(s))))
    }

    fn outcome(&mut self) -> Option<WireOutcome> {
        match self.string()? {
            "success" => Some(WireOutcome::Success),
            "failure" => Some(WireOutcome::Failure),
            "running" => Some(WireOutcome::Running),
            _ => None,
        }
    }
}

/// Reads the operation object starting at byte `start` of `text` (after
/// optional whitespace). Returns it and the offset just past its closing
/// brace, or None when the record is not in the plain layout (or not valid).
pub fn operation(text: &str, start: usize) -> Option<(WireOperation<'_>, usize)> {
    let mut c = Cursor {
        s: text,
        b: text.as_bytes(),
        i: start,
    };
    c.eat(b'{')?;
    let mut id = None;
    let mut kind = None;
    let mut agent = None;
    let mut outcome = None;
    let mut w = WireOperation {
        id: Text(Cow::Borrowed("")),
        session: None,
        parent: None,
        kind: Text(Cow::Borrowed("")),
        agent: Text(Cow::Borrowed("")),
        model: None,
        work_item: None,
        start: None,
        end: None,
        duration: None,
        outcome: WireOutcome::Running,
        retries: 0,
        error_type: None,
        error_message: None,
        tokens: None,
        tokens_uncategorized: None,
        cost: None,
        cache_hit: None,
        files_created: None,
        files_modified: None,
        quality_score: None,
        conflicts: None,
        self_healed: None,
    };
    let mut seen = 0u32;
    c.ws();
    if c.peek() == Some(b'}') {
        return None;
    }
    loop {
        let key = c.string()?;
        c.eat(b':')?;
        let bit = match key {
            "type" => {
                c.string()?;
                1
            }
            "id" => {
                id = Some(c.text()?);
                1 << 1
            }
            "session" => {
                w.session = c.opt(Cursor::text)?;
                1 << 2
            }
            "parent" => {
                w.parent = c.opt(Cursor::text)?;
                1 << 3
            }
            "kind" => {
                kind = Some(c.text()?);
                1 << 4
            }
            "agent" => {
                agent = Some(c.text()?);
                1 << 5
            }
            "model" => {
                w.model = c.opt(Cursor::text)?;
                1 << 6
            }
            "work_item" => {
                w.work_item = c.opt(Cursor::text)?;
                1 << 7
            }
            "start" => {
                w.start = c.opt(Cursor::time)?;
                1 << 8
            }
            "end" => {
                w.end = c.opt(Cursor::time)?;
                1 << 9
            }
            "duration" => {
                w.duration = c.opt(Cursor::f64)?;
                1 << 10
            }
            "outcome" => {
                outcome = Some(c.outcome()?);
                1 << 11
            }
            "retries" => {
                w.retries = c.u32()?;
                1 << 12
            }
            "error_type" => {
                w.error_type = c.opt(Cursor::text)?;
                1 << 13
            }
            "error_message" => {
                w.error_message = c.opt(Cursor::text)?;
                1 << 14
            }
            "tokens" => {
                w.tokens = c.opt(Cursor::tokens)?;
                1 << 15
            }
            "tokens_uncategorized" => {
                w.tokens_uncategorized = c.opt(Cursor::uint)?;
                1 << 16
            }
            "cost" => {
                w.cost = c.opt(Cursor::f64)?;
                1 << 17
            }
            "cache_hit" => {
                w.cache_hit = c.opt(Cursor::bool)?;
                1 << 18
            }
            "files_created" => {
                w.files_created = c.opt(Cursor::u32)?;
                1 << 19
            }
            "files_modified" => {
                w.files_modified = c.opt(Cursor::u32)?;
                1 << 20
            }
            "quality_score" => {
                w.quality_score = c.opt(Cursor::f64)?;
                1 << 21
            }
            "conflicts" => {
                w.conflicts = c.opt(Cursor::u32)?;
                1 << 22
            }
            "self_healed" => {
                w.self_healed = c.opt(Cursor::bool)?;
                1 << 23
            }
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        if !c.next()? {
            break;
        }
    }
    w.id = id?;
    w.kind = kind?;
    w.agent = agent?;
    w.outcome = outcome?;
    Some((w, c.i))
}

/// True when only JSON whitespace remains from `i` on.
pub fn only_ws(b: &[u8], i: usize) -> bool {
    b.get(i..).is_some_and(|rest| {
        rest.iter()
            .all(|c| matches!(c, b' ' | b'\n' | b'\r' | b'\t'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde reads from the same text.
    fn serde(text: &str) -> Option<WireOperation<'_>> {
        serde_json::from_str(text).ok()
    }

    fn fast(text: &str) -> Option<WireOperation<'_>> {
        operation(text, 0)
            .filter(|(_, end)| only_ws(text.as_bytes(), *end))
            .map(|(w, _)| w)
    }

    #[test]
    fn reads_what_serde_reads() {
        let cases = [
            r#"{"type":"operation","id":"op-000001","session":"run-101","kind":"plan","agent":"planner","model":"claude-sonnet-4-5","work_item":"issue-101","start":"2025-10-31T19:23:00Z","end":"2025-10-31T19:23:17.100Z","duration":17.1,"outcome":"success","retries":0,"tokens":{"input":2622,"output":327,"cache_read":0,"cache_write":0},"cache_hit":true}"#,
            r#"{"id":"op-2","kind":"k","agent":"a","outcome":"failure","duration":194,"cost":0.0319,"files_created":2,"files_modified":2,"quality_score":79.0,"error_type":"Timeout","error_message":"été","parent":null,"retries":3}"#,
            r#" { "id" : "op-3" , "kind":"k", "agent":"a", "outcome":"running", "tokens":{}, "tokens_uncategorized": 12, "conflicts":0, "self_healed":false, "cache_hit": null, "duration": 0.1234567890123456789 } "#,
            r#"{"id":"op-4","kind":"k","agent":"a","outcome":"success","cost":12345678901234567.25,"duration":0.3}"#,
            r#"{"id":"a-rather-long-identifier-0123456789","kind":"kind with spaces and ünïcödé","agent":"a","outcome":"success"}"#,
        ];
        for text in cases {
            let f = fast(text);
            assert!(f.is_some(), "fast path should read {text}");
            assert_eq!(f, serde(text), "{text}");
        }
    }

    #[test]
    fn leaves_the_rest_to_serde() {
        let cases = [
            // Escapes, exponents, negative numbers, unknown or repeated keys,
            // missing required fields, wrong types, bad numbers, trailing text.
            r#"{"id":"op\"1","kind":"k","agent":"a","outcome":"success"}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","duration":1e3}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","duration":-1.5}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","other":1}"#,
            r#"{"id":"op-1","id":"op-2","kind":"k","agent":"a","outcome":"success"}"#,
            r#"{"id":"op-1","kind":"k","agent":"a"}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"done"}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","retries":1.0}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","retries":null}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","files_created":4294967296}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","duration":01}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","duration":1.}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","start":1700000000}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","tokens":{"input":1,"total":2}}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success"} x"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success""#,
            "{\"id\":\"op\t1\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"success\"}",
            "{\"id\":\"a-long-identifier\u{1}xyz\",\"kind\":\"k\",\"agent\":\"a\",\"outcome\":\"success\"}",
            r#"{"id":"a-long-identifier\u0041xyz","kind":"k","agent":"a","outcome":"success"}"#,
            r#"{"id":"a-long-identifier\"xyz","kind":"k","agent":"a","outcome":"success"}"#,
            r#"{"id":"op-1","kind":"k","agent":"a","outcome":"success","model":"unterminated-long-string"#,
            r#"{}"#,
        ];
        for text in cases {
            assert!(fast(text).is_none(), "fast path should leave {text}");
        }
    }
}
