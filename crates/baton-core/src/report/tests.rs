#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use super::*;
use crate::analysis::*;
use crate::model::{Format, Outcome};

fn group(count: u64, ok: u64, avg: f64, cost: Option<f64>, tokens: Option<u64>) -> GroupStats {
    GroupStats {
        count,
        success_count: ok,
        failure_count: count - ok,
        success_rate: Some(ok as f64 / count as f64),
        avg_duration: Some(avg),
        p95_duration: Some(avg * 2.0),
        total_cost: cost,
        total_tokens: tokens,
        ..GroupStats::default()
    }
}

fn bucket(day: u32, count: u64, ok: u64, cost: f64) -> TimeBucket {
    TimeBucket {
        start: format!("2025-11-{day:02}"),
        start_ms: 1_762_732_800_000 + (i64::from(day) - 10) * 86_400_000,
        count,
        success_count: ok,
        failure_count: count - ok,
        success_rate: Some(ok as f64 / count as f64),
        avg_duration: Some(40.0 + f64::from(day)),
        cost: Some(cost),
        tokens: TokenTotals {
            input: 1000 * count,
            output: 200 * count,
            cache_read: 50,
            cache_write: 5,
        },
        tokens_uncategorized: 0,
        work_items: 3,
        prs_merged: 2,
    }
}

fn op(id: &str, kind: &str, agent: &str, dur: f64, cost: f64, outcome: Outcome) -> OperationRef {
    OperationRef {
        id: id.into(),
        kind: kind.into(),
        agent: agent.into(),
        session: Some("s-1".into()),
        model: Some("claude-sonnet-4-5".into()),
        start: Some("2025-11-09T10:00:00Z".into()),
        duration: Some(dur),
        cost: Some(cost),
        outcome,
        error_type: (outcome == Outcome::Failure).then(|| "timeout".into()),
        error_message: None,
    }
}

/// A small analysis with seed 000's figures: 124 operations, 82.5 % success
/// (rounded: 102/124 = 0.8226), $15.80, 1,580,000 tokens.
pub(crate) fn fixture() -> Analysis {
    let mut operations = BTreeMap::new();
    operations.insert(
        "process_issue".to_string(),
        group(45, 38, 52.3, Some(6.2), Some(620_000)),
    );
    operations.insert(
        "create_pr".to_string(),
        group(38, 36, 28.1, Some(2.6), Some(260_000)),
    );
    operations.insert(
        "run_tests".to_string(),
        group(41, 28, 145.7, Some(7.0), Some(700_000)),
    );
    let mut agents = BTreeMap::new();
    agents.insert(
        "coder".to_string(),
        group(80, 70, 40.0, Some(10.0), Some(1_000_000)),
    );
    agents.insert(
        "tester".to_string(),
        group(44, 32, 120.0, Some(5.8), Some(580_000)),
    );
    let mut models = BTreeMap::new();
    models.insert(
        "claude-sonnet-4-5".to_string(),
        group(100, 86, 50.0, Some(15.8), Some(1_400_000)),
    );
    models.insert(
        "local-llama-70b".to_string(),
        group(24, 16, 80.0, None, Some(180_000)),
    );
    let mut errors = BTreeMap::new();
    errors.insert("timeout".to_string(), 12);
    errors.insert("test_failure".to_string(), 10);
    let mut efficiency = BTreeMap::new();
    efficiency.insert(
        "coder".to_string(),
        Efficiency {
            score: Some(81.0),
            ..Efficiency::default()
        },
    );
    let window = |ops: u64, ok: u64, cost: f64| Window {
        total_operations: ops,
        succeeded: ok,
        failed: ops - ok,
        success_rate: Some(ok as f64 / ops as f64),
        error_rate: Some((ops - ok) as f64 / ops as f64),
        avg_duration: Some(45.3),
        cost: Some(cost),
        tokens: Some(ops * 1000),
        ..Window::default()
    };
    Analysis {
        period_days: Some(7),
        period: Period {
            start: Some("2025-11-03T14:30:00Z".into()),
            end: Some("2025-11-10T14:30:00Z".into()),
        },
        now: Some("2025-11-10T14:30:00Z".into()),
        data_span: Period {
            start: Some("2025-10-01T00:00:00Z".into()),
            end: Some("2025-11-10T14:30:00Z".into()),
        },
        sources: vec![SourceSummary {
            name: "metrics/run-1.json".into(),
            format: Format::Baton,
            records: 130,
            imported: 126,
            duplicates: 2,
            skipped: 2,
        }],
        overall: Overall {
            total_operations: 124,
            succeeded: 102,
            failed: 22,
            running: 2,
            success_rate: Some(102.0 / 124.0),
            error_rate: Some(22.0 / 124.0),
            retry_rate: Some(0.125),
            avg_duration: Some(45.3),
            p50_duration: Some(30.0),
            p95_duration: Some(180.0),
            p99_duration: Some(400.0),
            max_duration: Some(900.0),
            cache_hit_rate: Some(0.672),
            ratings: Ratings {
                success_rate: Some(Rating::Good),
                cache_hit_rate: Some(Rating::Good),
                error_rate: Some(Rating::Concerning),
            },
        },
        operations,
        agents,
        models,
        costs: Costs {
            total_cost: Some(15.8),
            total_tokens: Some(1_580_000),
            avg_cost_per_operation: Some(0.13),
            last_7_days: Some(15.8),
            last_30_days: Some(58.4),
            monthly_projection: Some(67.71),
            today: Some(2.45),
            daily_budget: Some(50.0),
            tokens: TokenTotals {
                input: 1_000_000,
                output: 400_000,
                cache_read: 150_000,
                cache_write: 30_000,
            },
            recorded_cost: Some(10.0),
            computed_cost: Some(5.8),
            unpriced_models: vec!["local-llama-70b".into()],
            unpriced_operations: 24,
            pricing_date: "2025-11-01".into(),
            pricing_source: "embedded price table".into(),
            unpriced_tokens: 180_000,
            tokens_uncategorized: 0,
        },
        work_items: WorkItems {
            processed: 12,
            succeeded: 10,
            failed: 2,
            avg_duration: Some(600.0),
            prs_merged: Some(8),
        },
        pipelines: Pipelines {
            attempts: 10,
            succeeded: 7,
            failed: 3,
            success_rate: Some(0.7),
            first_pass_rate: Some(0.75),
        },
        debugging: Debugging {
            cycles: 4,
            resolved: 3,
            success_rate: Some(0.75),
            avg_attempts: Some(2.5),
            cycles_per_work_item: Some(0.5),
        },
        alerts: vec![
            Alert {
                kind: "high_error_rate".into(),
                severity: Severity::High,
                message: "Error rate 17.7% is above 15%".into(),
                value: 22.0 / 124.0,
                threshold: 0.15,
                subject: None,
                action: Some("Review recent failures".into()),
            },
            Alert {
                kind: "conflicts".into(),
                severity: Severity::Medium,
                message: "2 integration conflicts".into(),
                value: 2.0,
                threshold: 1.0,
                subject: Some("s-1".into()),
                action: None,
            },
        ],
        bottlenecks: vec![Bottleneck {
            kind: "operation_duration".into(),
            subject: "run_tests".into(),
            value: 145.7,
            baseline: 40.2,
            unit: "s".into(),
            impact_score: 3.6,
            description: "run_tests takes 3.6x the mean of other kinds".into(),
            recommendations: vec!["Consider increasing test parallelism".into()],
        }],
        recommendations: vec![Recommendation {
            kind: "cache_hit_rate".into(),
            subject: None,
            message: "Cache hit rate could be improved (currently 67%)".into(),
            evidence: "cache hit rate 67.2% < 70%".into(),
            expected_impact: "fewer API calls and lower cost".into(),
            impact_score: 2.0,
        }],
        health: Health {
            status: HealthStatus::Degraded,
            reasons: vec!["1 high alert".into()],
        },
        by_day: vec![
            bucket(8, 22, 18, 1.9),
            bucket(9, 20, 17, 2.1),
            bucket(10, 18, 15, 2.45),
        ],
        errors_by_type: errors,
        slowest_operations: vec![op(
            "op-9",
            "run_tests",
            "tester",
            900.0,
            0.4,
            Outcome::Failure,
        )],
        most_expensive_operations: vec![op(
            "op-3",
            "process_issue",
            "coder",
            120.0,
            0.9,
            Outcome::Success,
        )],
        efficiency,
        trends: vec![Trend {
            series: "success_rate".into(),
            granularity: "day".into(),
            direction: Direction::Improving,
            slope: 0.01,
            change: Some(0.05),
            volatility: Some(0.02),
            current: Some(0.833),
        }],
        today: window(18, 15, 2.45),
        last_7_days: window(124, 102, 15.8),
        previous_7_days: window(110, 85, 13.1),
        ..Analysis::default()
    }
}

fn opts(kind: ReportKind) -> ReportOptions {
    ReportOptions {
        kind,
        ..ReportOptions::default()
    }
}

#[test]
fn json_golden_and_contract() {
    let a = fixture();
    let out = report_json(&a, &opts(ReportKind::Summary));
    insta::assert_snapshot!("summary_json", out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Every field of seed 000's example, with its value.
    assert_eq!(v["report_type"], "summary");
    assert_eq!(v["period_days"], 7);
    assert_eq!(v["generated_at"], "2025-11-10T14:30:00Z");
    assert_eq!(v["overall"]["total_operations"], 124);
    assert_eq!(v["operations"]["process_issue"]["count"], 45);
    assert_eq!(v["operations"]["process_issue"]["success_count"], 38);
    assert_eq!(v["operations"]["process_issue"]["avg_duration"], 52.3);
    assert_eq!(v["costs"]["total_cost"], 15.8);
    assert_eq!(v["costs"]["total_tokens"], 1_580_000);
    assert_eq!(v["costs"]["avg_cost_per_operation"], 0.13);
    // No data is null, not 0.
    assert!(v["models"]["local-llama-70b"]["total_cost"].is_null());
    assert!(
        v.get("by_day").is_none(),
        "summary has no detailed sections"
    );
}

#[test]
fn json_validates_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../../docs/report.schema.json")).unwrap();
    for kind in [
        ReportKind::Summary,
        ReportKind::Detailed,
        ReportKind::Daily,
        ReportKind::Weekly,
        ReportKind::Monthly,
    ] {
        let v = report_value(&fixture(), &opts(kind));
        check_schema(&schema, &v, "$");
        let empty = report_value(&Analysis::default(), &opts(kind));
        check_schema(&schema, &empty, "$");
    }
}

/// A structural subset of JSON Schema: type (string or list), required,
/// properties, additionalProperties (schema), items.
fn check_schema(schema: &serde_json::Value, v: &serde_json::Value, at: &str) {
    use serde_json::Value;
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "null" => v.is_null(),
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_u64() || v.is_i64(),
            "boolean" => v.is_boolean(),
            _ => false,
        });
        assert!(ok, "{at}: {v} is not of type {t}");
    }
    if let Some(Value::Array(req)) = schema.get("required") {
        for r in req {
            let key = r.as_str().unwrap();
            assert!(v.get(key).is_some(), "{at}: missing required `{key}`");
        }
    }
    if let (Some(Value::Object(props)), Some(obj)) = (schema.get("properties"), v.as_object()) {
        for (k, s) in props {
            if let Some(child) = obj.get(k) {
                check_schema(s, child, &format!("{at}.{k}"));
            }
        }
    }
    if let (Some(extra @ Value::Object(_)), Some(obj)) =
        (schema.get("additionalProperties"), v.as_object())
    {
        let props = schema.get("properties").and_then(|p| p.as_object());
        for (k, child) in obj {
            if props.is_none_or(|p| !p.contains_key(k)) {
                check_schema(extra, child, &format!("{at}.{k}"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, child) in arr.iter().enumerate() {
            check_schema(items, child, &format!("{at}[{i}]"));
        }
    }
}

#[test]
fn detailed_and_periodic_json_sections() {
    let a = fixture();
    let d: serde_json::Value =
        serde_json::from_str(&report_json(&a, &opts(ReportKind::Detailed))).unwrap();
    assert_eq!(d["by_day"].as_array().unwrap().len(), 3);
    assert_eq!(d["errors_by_type"]["timeout"], 12);
    assert_eq!(d["slowest_operations"][0]["id"], "op-9");
    assert_eq!(d["most_expensive_operations"][0]["id"], "op-3");

    let w: serde_json::Value =
        serde_json::from_str(&report_json(&a, &opts(ReportKind::Weekly))).unwrap();
    assert_eq!(w["comparison"]["against"], "previous week");
    // 124 vs 110 operations: (124 - 110) / 110 = 0.12727...
    let ch = w["comparison"]["operations_change"].as_f64().unwrap();
    assert!((ch - 14.0 / 110.0).abs() < 1e-12);
    assert!(!w["executive_summary"]["achievements"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(!w["executive_summary"]["challenges"]
        .as_array()
        .unwrap()
        .is_empty());

    let day: serde_json::Value =
        serde_json::from_str(&report_json(&a, &opts(ReportKind::Daily))).unwrap();
    assert_eq!(day["comparison"]["against"], "previous day");
    // Today 18 ops vs the day before (by_day 2025-11-09) 20 ops: -0.1.
    let ch = day["comparison"]["operations_change"].as_f64().unwrap();
    assert!((ch + 0.1).abs() < 1e-12);

    let m: serde_json::Value =
        serde_json::from_str(&report_json(&a, &opts(ReportKind::Monthly))).unwrap();
    assert_eq!(m["forecast"]["monthly_projection"], 67.71);
    assert_eq!(m["forecast"]["trends"]["success_rate"], "improving");
}

#[test]
fn markdown_golden() {
    let a = fixture();
    insta::assert_snapshot!(
        "summary_md",
        report_markdown(&a, &opts(ReportKind::Summary))
    );
    insta::assert_snapshot!(
        "detailed_md",
        report_markdown(&a, &opts(ReportKind::Detailed))
    );
    insta::assert_snapshot!(
        "monthly_md",
        report_markdown(&a, &opts(ReportKind::Monthly))
    );
    insta::assert_snapshot!("daily_md", report_markdown(&a, &opts(ReportKind::Daily)));
}

#[test]
fn markdown_matches_seed_layout() {
    let md = report_markdown(&fixture(), &opts(ReportKind::Summary));
    assert!(md.starts_with("# Orchestrator Report - 7 Days\n\nGenerated: 2025-11-10T14:30:00Z\n"));
    // 102/124 = 82.258 % → "82.3%", rated good (> 80 %).
    assert!(md.contains("- Success Rate: 82.3% (good)"));
    assert!(md.contains("| process_issue | 45 | 84.4% | 52.3s |"));
    assert!(md.contains("- Total Cost: $15.80"));
    assert!(md.contains("- Total Tokens: 1,580,000"));
}

const HOSTILE: [&str; 4] = [
    "a|b",
    "line1\nline2",
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://x\",\"y\")",
];

fn hostile() -> Analysis {
    let mut a = fixture();
    for h in HOSTILE {
        a.agents.insert(h.to_string(), group(2, 1, 1.0, None, None));
    }
    a.alerts[0].message = "evil | <script>\nnext".into();
    a
}

#[test]
fn markdown_escapes_hostile_names() {
    let md = report_markdown(&hostile(), &opts(ReportKind::Detailed));
    assert!(md.contains("| a\\|b | 2 |"));
    assert!(md.contains("| line1 line2 | 2 |"));
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!md.contains("<img"));
    assert!(!md.contains("<script>"));
    // Every table row still has the header's column count (unescaped pipes).
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells >= 3, "{line}");
    }
    let agents_rows: Vec<&str> = md
        .lines()
        .skip_while(|l| *l != "## Agents")
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    for row in agents_rows {
        assert_eq!(row.replace("\\|", "").matches('|').count(), 8, "{row}");
    }
}

#[test]
fn csv_round_trips_and_neutralises_formulas() {
    let a = hostile();
    let o = ReportOptions {
        kind: ReportKind::Summary,
        csv_section: Some("agents".into()),
        ..ReportOptions::default()
    };
    let out = report_csv(&a, &o).unwrap();
    let mut r = ::csv::Reader::from_reader(out.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "agent");
    let rows: Vec<::csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let names: Vec<&str> = rows.iter().map(|x| x.get(0).unwrap()).collect();
    assert!(names.contains(&"a|b"));
    assert!(
        names.contains(&"line1\nline2"),
        "newline kept inside quotes"
    );
    assert!(names.contains(&"'=HYPERLINK(\"http://x\",\"y\")"));
    assert!(rows.iter().all(|x| x.len() == header.len()));
    // coder: 80 finished, 70 succeeded.
    let coder = rows.iter().find(|x| &x[0] == "coder").unwrap();
    assert_eq!(&coder[1], "80");
    assert_eq!(&coder[2], "70");
}

#[test]
fn csv_every_section_is_valid_and_unknown_is_refused() {
    let a = fixture();
    for s in sections() {
        let o = ReportOptions {
            csv_section: Some((*s).to_string()),
            ..ReportOptions::default()
        };
        let out = report_csv(&a, &o).unwrap();
        let mut r = ::csv::Reader::from_reader(out.as_bytes());
        let n = r.headers().unwrap().len();
        for rec in r.records() {
            assert_eq!(rec.unwrap().len(), n, "section {s}");
        }
    }
    let o = ReportOptions {
        csv_section: Some("nope".into()),
        ..ReportOptions::default()
    };
    assert!(report_csv(&a, &o).is_err());
    insta::assert_snapshot!(
        "operations_csv",
        report_csv(&a, &ReportOptions::default()).unwrap()
    );
}

#[test]
fn csv_keeps_our_negative_numbers() {
    assert_eq!(csv::safe_text("-3"), "'-3");
    let mut a = fixture();
    a.bottlenecks[0].value = -1.5;
    let o = ReportOptions {
        csv_section: Some("bottlenecks".into()),
        ..ReportOptions::default()
    };
    let out = report_csv(&a, &o).unwrap();
    assert!(out.contains(",-1.5,"), "{out}");
}

/// A strict parser of the text exposition format 0.0.4: returns
/// (metric name, labels, value) per sample; asserts HELP/TYPE precede samples.
type Parsed = (String, Vec<(String, String)>, f64);

fn parse_prometheus(text: &str) -> Vec<Parsed> {
    let mut out = Vec::new();
    let mut typed: Vec<String> = Vec::new();
    let valid_name = |n: &str| {
        let mut cs = n.chars();
        cs.next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut p = rest.split(' ');
            let name = p.next().unwrap();
            assert!(valid_name(name), "{line}");
            assert!(["counter", "gauge", "summary", "histogram", "untyped"]
                .contains(&p.next().unwrap()));
            assert!(!typed.contains(&name.to_string()), "TYPE twice: {name}");
            typed.push(name.to_string());
            continue;
        }
        if line.starts_with("# HELP ") || line.is_empty() {
            continue;
        }
        assert!(!line.starts_with('#'), "{line}");
        let (name_end, labels, rest) = match line.find('{') {
            Some(i) => {
                let mut labels = Vec::new();
                let bytes: Vec<char> = line[i + 1..].chars().collect();
                let mut j = 0;
                loop {
                    if bytes[j] == '}' {
                        j += 1;
                        break;
                    }
                    let mut key = String::new();
                    while bytes[j] != '=' {
                        key.push(bytes[j]);
                        j += 1;
                    }
                    assert!(valid_name(&key), "label {key}");
                    j += 1;
                    assert_eq!(bytes[j], '"');
                    j += 1;
                    let mut val = String::new();
                    loop {
                        match bytes[j] {
                            '\\' => {
                                j += 1;
                                match bytes[j] {
                                    'n' => val.push('\n'),
                                    '\\' => val.push('\\'),
                                    '"' => val.push('"'),
                                    c => panic!("bad escape \\{c}"),
                                }
                            }
                            '"' => break,
                            '\n' => panic!("raw newline"),
                            c => val.push(c),
                        }
                        j += 1;
                    }
                    j += 1;
                    labels.push((key, val));
                    if bytes[j] == ',' {
                        j += 1;
                    }
                }
                let rest: String = bytes[j..].iter().collect();
                (i, labels, rest)
            }
            None => {
                let i = line.find(' ').unwrap();
                (i, Vec::new(), line[i..].to_string())
            }
        };
        let name = &line[..name_end];
        assert!(valid_name(name), "{line}");
        let family = typed
            .iter()
            .find(|t| {
                name == t.as_str()
                    || name
                        .strip_prefix(t.as_str())
                        .is_some_and(|s| s == "_sum" || s == "_count")
            })
            .unwrap_or_else(|| panic!("sample before its TYPE: {line}"));
        assert!(name.starts_with(family.as_str()));
        let v = rest.trim();
        let value: f64 = match v {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            _ => v.parse().unwrap_or_else(|_| panic!("bad value in {line}")),
        };
        out.push((name.to_string(), labels, value));
    }
    out
}

#[test]
fn prometheus_parses_back() {
    let a = hostile();
    let text = report_prometheus(&a, &ReportOptions::default());
    let samples = parse_prometheus(&text);
    let get = |name: &str, labels: &[(&str, &str)]| {
        samples
            .iter()
            .find(|(n, l, _)| {
                n == name
                    && labels
                        .iter()
                        .all(|(k, v)| l.iter().any(|(lk, lv)| lk == k && lv == v))
            })
            .map(|s| s.2)
    };
    assert_eq!(
        get("baton_operations_total", &[("outcome", "success")]),
        Some(102.0)
    );
    assert_eq!(
        get("baton_operations_total", &[("outcome", "failure")]),
        Some(22.0)
    );
    assert_eq!(
        get("baton_duration_seconds", &[("quantile", "0.95")]),
        Some(180.0)
    );
    // 45.3 s mean × 124 operations = 5617.2 s.
    let sum = get("baton_duration_seconds_sum", &[]).unwrap();
    assert!((sum - 5617.2).abs() < 1e-6);
    assert_eq!(
        get(
            "baton_agent_operations_total",
            &[("agent", "coder"), ("outcome", "success")]
        ),
        Some(70.0)
    );
    assert_eq!(
        get(
            "baton_agent_operations_total",
            &[("agent", "line1\nline2"), ("outcome", "success")]
        ),
        Some(1.0)
    );
    assert_eq!(
        get(
            "baton_agent_success_rate",
            &[("agent", "=HYPERLINK(\"http://x\",\"y\")")]
        ),
        Some(0.5)
    );
    assert_eq!(
        get("baton_tokens_total", &[("category", "cache_write")]),
        Some(30_000.0)
    );
    assert_eq!(get("baton_alerts", &[("severity", "high")]), Some(1.0));
    assert_eq!(get("baton_health", &[("status", "degraded")]), Some(1.0));
    // No cost for the unpriced model: absent, not 0.
    assert_eq!(
        get(
            "baton_model_cost_usd_total",
            &[("model", "local-llama-70b")]
        ),
        None
    );
    insta::assert_snapshot!(
        "prometheus",
        report_prometheus(&fixture(), &ReportOptions::default())
    );
}

#[test]
fn grafana_shape() {
    let out = report_grafana(&fixture(), &ReportOptions::default());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = v.as_array().unwrap();
    let sr = arr.iter().find(|s| s["target"] == "success_rate").unwrap();
    let points = sr["datapoints"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    // 2025-11-09: 17/20 = 0.85 at 1762646400000 ms.
    assert_eq!(points[1][0], 0.85);
    assert_eq!(points[1][1], 1_762_646_400_000_i64);
    insta::assert_snapshot!("grafana", out);
}

#[test]
fn gzip_round_trips() {
    use std::io::Read;
    let text = report_markdown(&fixture(), &ReportOptions::default());
    let gz = gzip(text.as_bytes()).unwrap();
    assert_eq!(&gz[..2], &[0x1f, 0x8b]);
    let mut back = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut back)
        .unwrap();
    assert_eq!(back, text);
}

#[test]
fn empty_analysis_writes_nulls() {
    let a = Analysis::default();
    let v: serde_json::Value =
        serde_json::from_str(&report_json(&a, &opts(ReportKind::Summary))).unwrap();
    assert!(v["overall"]["success_rate"].is_null());
    assert!(v["costs"]["total_cost"].is_null());
    assert!(v["generated_at"].is_null());
    let md = report_markdown(&a, &opts(ReportKind::Weekly));
    assert!(md.contains("- Success Rate: -"));
    assert!(report_prometheus(&a, &ReportOptions::default())
        .contains("baton_operations_total{outcome=\"success\"} 0"));
}

#[test]
fn formatting_for_people() {
    assert_eq!(fmt_int(1_580_000), "1,580,000");
    assert_eq!(fmt_int(999), "999");
    assert_eq!(fmt_usd(15.8), "$15.80");
    assert_eq!(fmt_usd(1234.5), "$1,234.50");
    assert_eq!(fmt_usd(0.0042), "$0.0042");
    assert_eq!(fmt_pct(0.825), "82.5%");
    assert_eq!(fmt_secs(45.3), "45.3s");
    assert_eq!(fmt_secs(725.0), "12m 05s");
    assert_eq!(fmt_secs(7440.0), "2h 04m");
}
