//! Per-record parsing helpers: a container is parsed with its records kept as
//! borrowed raw JSON text ([`RawValue`]), then each record is parsed into its
//! typed, borrowed shape on its own, so one bad record is skipped with the
//! parser's reason and the rest of the file loads. No value tree is built.
//! Also the number checks every importer repeats (counts, rates, durations).
//!
//! JSON text is read with `serde_json::from_slice` everywhere in the engine,
//! also where it is already a `&str`: one reader type means one copy of
//! serde_json's parser (and of each record's deserializer) in the WebAssembly
//! build, where `from_str` would add a second.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::common::{short_num, Ctx, RawNum, RawText};

/// Parses one record from its raw JSON text; the error is the parser's reason.
pub fn parse<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, String> {
    serde_json::from_slice(raw.get().as_bytes()).map_err(|e| e.to_string())
}

/// The elements of a JSON array, each as raw text. Err with a reason when
/// the value is not an array.
pub fn list(raw: &RawValue) -> Result<Vec<&RawValue>, String> {
    serde_json::from_slice::<Vec<&RawValue>>(raw.get().as_bytes())
        .map_err(|e| format!("expected a list of records: {e}"))
}

/// The entries of a JSON object, each value as raw text, in file order. Err
/// with a reason when the value is not an object.
pub fn entries(raw: &RawValue) -> Result<Vec<(RawText<'_>, &RawValue)>, String> {
    serde_json::from_slice::<MapEntries<'_>>(raw.get().as_bytes())
        .map(|m| m.0)
        .map_err(|e| format!("expected an object: {e}"))
}

/// An object's entries in file order (serde's maps would reorder or dedupe).
struct MapEntries<'a>(Vec<(RawText<'a>, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for MapEntries<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = MapEntries<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<RawText<'a>, &'a RawValue>()? {
                    out.push((k, v));
                }
                Ok(MapEntries(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A field kept as raw text and parsed on demand: Some when present and of
/// the expected shape; a value of another shape is a warning and None.
pub fn field<'a, T: Deserialize<'a>>(
    ctx: &mut Ctx<'_>,
    record: Option<u64>,
    name: &str,
    raw: Option<&'a RawValue>,
) -> Option<T> {
    let raw = raw?;
    match serde_json::from_slice::<Option<T>>(raw.get().as_bytes()) {
        Ok(v) => v,
        Err(e) => {
            ctx.warn(record, Some(name), format!("unusable value: {e}"));
            None
        }
    }
}

/// Where a value is read, for diagnostics.
#[derive(Clone, Copy)]
pub struct At<'f> {
    /// Record index in the file.
    pub record: u64,
    /// Field name (dotted path inside the record).
    pub field: &'f str,
}

/// A finite number, or None; a value present but not a number is a warning.
pub fn num(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<RawNum>) -> Option<f64> {
    match v? {
        RawNum::Value(x) if x.is_finite() => Some(x),
        _ => {
            ctx.warn(Some(at.record), Some(at.field), "not a number; ignored");
            None
        }
    }
}

/// A non-negative count (rounded), or None; other values are warnings.
pub fn count(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<RawNum>) -> Option<u64> {
    let x = num(ctx, at, v)?;
    if x < 0.0 {
        ctx.warn(
            Some(at.record),
            Some(at.field),
            format!("negative count {}; ignored", short_num(x)),
        );
        return None;
    }
    if x > u64::MAX as f64 {
        ctx.warn(Some(at.record), Some(at.field), "count too large; ignored");
        return None;
    }
    Some(x.round() as u64)
}

/// A count that fits a u32 (saturating).
pub fn count32(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<RawNum>) -> Option<u32> {
    count(ctx, at, v).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// A rate as a fraction 0..1: values above 1 are read as percentages.
/// Negative values and values above 100 are warnings and None.
pub fn fraction(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<RawNum>) -> Option<f64> {
    let x = num(ctx, at, v)?;
    let f = if x > 1.0 { x / 100.0 } else { x };
    if !(0.0..=1.0).contains(&f) {
        ctx.warn(
            Some(at.record),
            Some(at.field),
            format!("rate {} is outside 0..1 and 0..100; ignored", short_num(x)),
        );
        return None;
    }
    Some(f)
}

/// A rate recorded as a percentage 0..100, as a fraction.
pub fn percent(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<RawNum>) -> Option<f64> {
    let x = num(ctx, at, v)?;
    if !(0.0..=100.0).contains(&x) {
        ctx.warn(
            Some(at.record),
            Some(at.field),
            format!("percentage {} is outside 0..100; ignored", short_num(x)),
        );
        return None;
    }
    Some(x / 100.0)
}

/// A score on 0..100: values up to 1 are read as fractions and scaled.
pub fn score(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<RawNum>) -> Option<f64> {
    let x = num(ctx, at, v)?;
    let s = if x <= 1.0 { x * 100.0 } else { x };
    if !(0.0..=100.0).contains(&s) {
        ctx.warn(
            Some(at.record),
            Some(at.field),
            format!("score {} is outside 0..100; ignored", short_num(x)),
        );
        return None;
    }
    Some(s)
}

/// A duration converted to seconds by `factor`: Ok(None) when absent,
/// Err(reason) when negative, non-finite or not a number (the record is unusable).
pub fn duration(v: Option<RawNum>, factor: f64) -> Result<Option<f64>, String> {
    match v {
        None => Ok(None),
        Some(RawNum::Invalid) => Err("duration is not a number".to_string()),
        Some(RawNum::Value(x)) => Ctx::duration_seconds(x * factor).map(Some),
    }
}

/// Money in USD: negative or non-numeric values are warnings and None.
pub fn money(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<RawNum>) -> Option<f64> {
    let x = num(ctx, at, v)?;
    match Ctx::cost_usd(x) {
        Ok(x) => Some(x),
        Err(reason) => {
            ctx.warn(
                Some(at.record),
                Some(at.field),
                format!("{reason}; ignored"),
            );
            None
        }
    }
}

/// Trimmed text, None when absent or blank.
pub fn text(v: Option<&RawText<'_>>) -> Option<String> {
    v.map(|t| t.as_str().trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// A list of strings, lenient: non-text elements are dropped with a warning.
pub fn strings(ctx: &mut Ctx<'_>, at: At<'_>, v: Option<&RawValue>) -> Vec<String> {
    let Some(raw) = v else { return Vec::new() };
    match serde_json::from_slice::<Vec<Option<RawText<'_>>>>(raw.get().as_bytes()) {
        Ok(items) => items
            .iter()
            .filter_map(|t| text(t.as_ref()))
            .collect::<Vec<_>>(),
        Err(_) => {
            ctx.warn(
                Some(at.record),
                Some(at.field),
                "expected a list of text; ignored",
            );
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, SourceId};

    #[test]
    fn rates_scores_and_durations_normalise() {
        let mut ds = Dataset::new();
        let mut ctx = Ctx::new(&mut ds, SourceId(0), "t.json");
        let at = At {
            record: 0,
            field: "x",
        };
        assert_eq!(
            fraction(&mut ctx, at, Some(RawNum::Value(85.0))),
            Some(0.85)
        );
        assert_eq!(
            fraction(&mut ctx, at, Some(RawNum::Value(0.85))),
            Some(0.85)
        );
        assert_eq!(fraction(&mut ctx, at, Some(RawNum::Value(150.0))), None);
        assert_eq!(score(&mut ctx, at, Some(RawNum::Value(0.9))), Some(90.0));
        assert_eq!(score(&mut ctx, at, Some(RawNum::Value(72.0))), Some(72.0));
        assert_eq!(duration(Some(RawNum::Value(2.5)), 60.0), Ok(Some(150.0)));
        assert!(duration(Some(RawNum::Value(-1.0)), 60.0).is_err());
        assert_eq!(count(&mut ctx, at, Some(RawNum::Value(-3.0))), None);
        // 150.0 rate and -3 count each left a warning.
        assert_eq!(ctx.diagnostics.len(), 2);
    }

    #[test]
    fn entries_keep_file_order() {
        let raw: &RawValue =
            serde_json::from_str(r#"{"b": 1, "a": [2], "c": {"x": 3}}"#).unwrap_or(RawValue::NULL);
        let e = entries(raw).unwrap_or_default();
        let keys: Vec<&str> = e.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["b", "a", "c"]);
        assert!(list(raw).is_err());
    }
}
