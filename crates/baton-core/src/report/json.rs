//! The JSON report: the contract documented in `docs/report.md`.
//! Keys are sorted (serde_json's map is ordered), absent figures are null.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{comparison, executive_summary, forecast, generated_at, ReportOptions};
use crate::analysis::{Analysis, GroupStats};

fn val<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn groups(map: &std::collections::BTreeMap<String, GroupStats>) -> Value {
    let mut m = Map::new();
    for (k, g) in map {
        m.insert(k.clone(), val(g));
    }
    Value::Object(m)
}

/// The report as a JSON value (sorted keys).
pub fn report_value(a: &Analysis, o: &ReportOptions) -> Value {
    let kind = o.kind;
    let sources: Vec<Value> = a
        .sources
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "format": val(&s.format),
                "records": s.records,
                "imported": s.imported,
                "duplicates": s.duplicates,
                "skipped": s.skipped,
            })
        })
        .collect();
    let mut m = Map::new();
    m.insert("report_type".into(), json!(kind.as_str()));
    m.insert("period_days".into(), json!(a.period_days));
    m.insert("generated_at".into(), json!(generated_at(a, o)));
    m.insert("now".into(), json!(a.now));
    m.insert("period".into(), val(&a.period));
    m.insert("data_span".into(), val(&a.data_span));
    m.insert("sources".into(), Value::Array(sources));
    m.insert("overall".into(), val(&a.overall));
    m.insert("operations".into(), groups(&a.operations));
    m.insert("agents".into(), groups(&a.agents));
    m.insert("models".into(), groups(&a.models));
    m.insert("costs".into(), val(&a.costs));
    m.insert("work_items".into(), val(&a.work_items));
    m.insert("pipelines".into(), val(&a.pipelines));
    m.insert("debugging".into(), val(&a.debugging));
    m.insert("alerts".into(), val(&a.alerts));
    m.insert("bottlenecks".into(), val(&a.bottlenecks));
    m.insert("recommendations".into(), val(&a.recommendations));
    m.insert("health".into(), val(&a.health));
    m.insert("insights".into(), val(&a.insights));
    m.insert("figures_from".into(), val(&a.figures_from));
    m.insert("aggregates".into(), val(&a.aggregates));
    if kind.is_detailed() {
        m.insert("by_day".into(), val(&a.by_day));
        m.insert("errors_by_type".into(), val(&a.errors_by_type));
        m.insert("slowest_operations".into(), val(&a.slowest_operations));
        m.insert(
            "most_expensive_operations".into(),
            val(&a.most_expensive_operations),
        );
        m.insert("efficiency".into(), val(&a.efficiency));
    }
    if kind.is_periodic() {
        m.insert("executive_summary".into(), val(&executive_summary(a)));
        m.insert("comparison".into(), val(&comparison(a, kind)));
        m.insert("trends".into(), val(&a.trends));
    }
    if kind == super::ReportKind::Monthly {
        m.insert("forecast".into(), val(&forecast(a)));
    }
    sorted(Value::Object(m))
}

/// Sorts object keys recursively, whatever map type serde_json was built with.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let b: std::collections::BTreeMap<String, Value> =
                m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(b.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// The JSON report, pretty-printed with sorted keys and a final newline.
pub fn report_json(a: &Analysis, o: &ReportOptions) -> String {
    let mut s = serde_json::to_string_pretty(&report_value(a, o)).unwrap_or_default();
    s.push('\n');
    s
}
