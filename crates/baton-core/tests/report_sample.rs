//! Golden files of every report format on the sample dataset.
#![allow(clippy::unwrap_used)]

use baton_core::analysis::{analyze, AnalysisOptions};
use baton_core::report::{
    report_csv, report_grafana, report_json, report_markdown, report_prometheus, ReportKind,
    ReportOptions,
};
use baton_core::sample::sample_dataset;

fn opts(kind: ReportKind) -> ReportOptions {
    ReportOptions {
        kind,
        ..ReportOptions::default()
    }
}

#[test]
fn sample_reports_golden() {
    let ds = sample_dataset(30);
    let analysis = |days: u32| {
        analyze(
            &ds,
            &AnalysisOptions {
                period_days: Some(days),
                ..AnalysisOptions::default()
            },
        )
    };
    let month = analysis(30);
    let day = analysis(1);
    // The sample ends at its fixed now, which reports use as generated_at.
    assert_eq!(month.now.as_deref(), Some("2025-11-30T18:00:00Z"));
    insta::assert_snapshot!(
        "sample_summary_json",
        report_json(&month, &opts(ReportKind::Summary))
    );
    insta::assert_snapshot!(
        "sample_monthly_md",
        report_markdown(&month, &opts(ReportKind::Monthly))
    );
    insta::assert_snapshot!(
        "sample_daily_md",
        report_markdown(&day, &opts(ReportKind::Daily))
    );
    insta::assert_snapshot!(
        "sample_prometheus",
        report_prometheus(&month, &opts(ReportKind::Summary))
    );
    insta::assert_snapshot!(
        "sample_grafana",
        report_grafana(&month, &opts(ReportKind::Summary))
    );
    let agents = ReportOptions {
        csv_section: Some("agents".into()),
        ..ReportOptions::default()
    };
    insta::assert_snapshot!("sample_agents_csv", report_csv(&month, &agents).unwrap());
}
