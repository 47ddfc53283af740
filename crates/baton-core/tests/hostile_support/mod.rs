//! Checks every output of an analysis: each report format and kind renders,
//! holds no NaN or infinity, and the JSON report parses and matches
//! docs/report.schema.json.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::OnceLock;

use baton_core::analysis::Analysis;
use baton_core::report::{self, ReportFormat, ReportKind, ReportOptions};
use serde_json::Value;

/// The report schema, read once.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json");
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    })
}

/// Validates `v` against the subset of JSON Schema the report schema uses
/// (type, required, properties, additionalProperties, items, enum). Returns
/// the first mismatch as "path: problem".
pub fn validate(schema: &Value, v: &Value, path: &str) -> Result<(), String> {
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        });
        if !ok {
            return Err(format!("{path}: {v} is not of type {t}"));
        }
    }
    if let Some(Value::Array(options)) = schema.get("enum") {
        if !options.contains(v) {
            return Err(format!("{path}: {v} not in {options:?}"));
        }
    }
    if let Value::Object(map) = v {
        if let Some(Value::Array(req)) = schema.get("required") {
            for k in req.iter().filter_map(Value::as_str) {
                if !map.contains_key(k) {
                    return Err(format!("{path}: missing required key {k}"));
                }
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, child) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, child, &format!("{path}.{k}"))?,
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        return Err(format!("{path}: unexpected key {k}"));
                    }
                    Some(s @ Value::Object(_)) => validate(s, child, &format!("{path}.{k}"))?,
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (v, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(s, item, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

/// True when `text` shows a non-finite number as Rust prints one (`NaN`,
/// `inf`, `-inf`) standing as a word of its own, not quoted (diagnostics may
/// quote a file's "NaN" text).
pub fn has_non_finite(text: &str) -> bool {
    let b = text.as_bytes();
    ["NaN", "inf"].iter().any(|w| {
        text.match_indices(w).any(|(i, _)| {
            let before = i.checked_sub(1).and_then(|k| b.get(k)).copied();
            let after = b.get(i + w.len()).copied();
            let word = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
            let quote = |c: Option<u8>| matches!(c, Some(b'"' | b'\\' | b'\''));
            !word(before) && !word(after) && !quote(before) && !quote(after)
        })
    })
}

/// Renders every format for the kinds given and checks each output; returns
/// the outputs by name for further checks.
pub fn check_outputs(a: &Analysis, kinds: &[ReportKind]) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    for &kind in kinds {
        let o = ReportOptions {
            kind,
            generated_at: None,
            csv_section: None,
        };
        for format in [
            ReportFormat::Markdown,
            ReportFormat::Json,
            ReportFormat::Prometheus,
            ReportFormat::Grafana,
        ] {
            let text = report::render(a, format, &o).unwrap();
            assert!(
                !has_non_finite(&text),
                "{format:?} {kind:?} holds a non-finite number"
            );
            if matches!(format, ReportFormat::Json | ReportFormat::Grafana) {
                let v: Value = serde_json::from_str(&text).unwrap();
                if format == ReportFormat::Json {
                    validate(schema(), &v, "$").unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                }
            }
            outputs.push((format!("{format:?}/{kind:?}"), text));
        }
        for section in report::sections() {
            let o = ReportOptions {
                csv_section: Some(section.to_string()),
                ..o.clone()
            };
            let text = report::render(a, ReportFormat::Csv, &o).unwrap();
            assert!(
                !has_non_finite(&text),
                "CSV {section} holds a non-finite number"
            );
            outputs.push((format!("Csv/{section}"), text));
        }
    }
    // The analysis itself serializes without non-finite numbers (serde_json
    // would write them as null, hiding the problem).
    assert!(
        !has_non_finite(&format!("{a:?}")),
        "non-finite in the analysis"
    );
    outputs
}
