//! Report: choose a kind and a format, preview it, download it. The bytes
//! are those of the CLI for the same analysis and options: the same
//! `baton_core::report` writers run here, and `generated_at` is the
//! analysis' "now", never the clock.

use baton_core::analysis::Analysis;
use baton_core::report::{self, ReportFormat, ReportKind, ReportOptions};
use yew::prelude::*;

use super::common::{self, button, el, el_attrs, lit, option, select};
use super::markdown;
use super::ViewProps;
use crate::format;

/// Previews longer than this are cut (the download has everything).
const PREVIEW_LIMIT: usize = 200_000;

const KINDS: [(ReportKind, &str); 5] = [
    (ReportKind::Summary, "Summary"),
    (ReportKind::Detailed, "Detailed"),
    (ReportKind::Daily, "Daily"),
    (ReportKind::Weekly, "Weekly"),
    (ReportKind::Monthly, "Monthly"),
];

const FORMATS: [(ReportFormat, &str); 5] = [
    (ReportFormat::Markdown, "Markdown"),
    (ReportFormat::Json, "JSON"),
    (ReportFormat::Csv, "CSV"),
    (ReportFormat::Prometheus, "Prometheus"),
    (ReportFormat::Grafana, "Grafana JSON"),
];

/// The download's file name: `baton-report-<date>.md` for the summary,
/// with the kind, CSV section or Grafana shape added when they differ.
pub fn file_name(
    kind: ReportKind,
    format: ReportFormat,
    section: &str,
    now: Option<&str>,
    gzip: bool,
) -> String {
    let date = now.and_then(|n| n.get(..10)).unwrap_or("undated");
    let mut name = String::from("baton-report");
    if kind != ReportKind::Summary {
        name.push('-');
        name.push_str(kind.as_str());
    }
    name.push('-');
    name.push_str(date);
    match format {
        ReportFormat::Csv => {
            name.push('-');
            name.push_str(section);
        }
        ReportFormat::Grafana => name.push_str("-grafana"),
        _ => {}
    }
    name.push('.');
    name.push_str(format.extension());
    if gzip {
        name.push_str(".gz");
    }
    name
}

fn mime(format: ReportFormat, gzip: bool) -> &'static str {
    if gzip {
        return "application/gzip";
    }
    match format {
        ReportFormat::Markdown => "text/markdown;charset=utf-8",
        ReportFormat::Json | ReportFormat::Grafana => "application/json",
        ReportFormat::Csv => "text/csv;charset=utf-8",
        ReportFormat::Prometheus => "text/plain;version=0.0.4;charset=utf-8",
    }
}

/// Report options for the view's choices (`generated_at` from the analysis).
pub fn options(kind: ReportKind, section: &str) -> ReportOptions {
    ReportOptions {
        kind,
        generated_at: None,
        csv_section: Some(section.to_string()),
    }
}

/// The Report view.
#[function_component(ReportView)]
pub fn report_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    let kind = use_state(|| ReportKind::Summary);
    let fmt = use_state(|| ReportFormat::Markdown);
    let section = use_state(|| report::DEFAULT_SECTION.to_string());
    let gzip = use_state(|| false);
    let error = use_state(|| None::<String>);

    let text = report::render(a, *fmt, &options(*kind, &section));
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            if let Some(k) = select_value(&e).and_then(|v| ReportKind::parse(&v)) {
                kind.set(k);
            }
        })
    };
    let on_format = {
        let fmt = fmt.clone();
        Callback::from(move |e: Event| {
            if let Some(f) = select_value(&e).and_then(|v| ReportFormat::parse(&v)) {
                fmt.set(f);
            }
        })
    };
    let on_section = {
        let section = section.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = select_value(&e) {
                section.set(s);
            }
        })
    };
    let on_gzip = {
        let gzip = gzip.clone();
        Callback::from(move |_: Event| gzip.set(!*gzip))
    };
    let download = |format: ReportFormat| {
        let kind = *kind;
        let section = (*section).clone();
        let gz = *gzip;
        let error = error.clone();
        let loaded = props.loaded.clone();
        Callback::from(move |_: MouseEvent| {
            let a = &loaded.analysis;
            let result = report::render(a, format, &options(kind, &section))
                .and_then(|t| {
                    if gz {
                        report::gzip(t.as_bytes())
                    } else {
                        Ok(t.into_bytes())
                    }
                })
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    save(
                        &bytes,
                        &file_name(kind, format, &section, a.now.as_deref(), gz),
                        mime(format, gz),
                    )
                });
            error.set(result.err());
        })
    };

    let period_note = period_note(a, *kind);
    let labelled = |label: &'static str, control: Html| el("label", "", vec![lit(label), control]);
    let mut controls = vec![
        labelled(
            "Kind ",
            select(
                &["data-control"],
                vec!["kind".into()],
                on_kind,
                KINDS
                    .iter()
                    .map(|(k, l)| option(k.as_str().into(), (*l).into(), *k == *kind))
                    .collect(),
            ),
        ),
        lit(" "),
        labelled(
            "Preview format ",
            select(
                &["data-control"],
                vec!["format".into()],
                on_format,
                FORMATS
                    .iter()
                    .map(|(f, l)| option(format_value(*f).into(), (*l).into(), *f == *fmt))
                    .collect(),
            ),
        ),
        lit(" "),
        labelled(
            "CSV section ",
            select(
                &["data-control"],
                vec!["csv_section".into()],
                on_section,
                report::sections()
                    .iter()
                    .map(|s| option((*s).into(), format::words(s).into(), *s == section.as_str()))
                    .collect(),
            ),
        ),
        lit(" "),
        html! {
            <label><input type="checkbox" checked={*gzip} onchange={on_gzip} data-control="gzip" />{ " gzip" }</label>
        },
    ];
    if let Some(note) = period_note {
        let on_period = props.on_period.clone();
        let days = kind.period_days();
        controls.push(el_attrs(
            "p",
            &["class", "data-note"],
            vec!["note".into(), "report_period".into()],
            vec![
                common::text(note),
                lit(" "),
                button(
                    &["type", "data-action"],
                    vec!["button".into(), "set_period".into()],
                    Callback::from(move |_: MouseEvent| on_period.emit(days)),
                    vec![common::text(format!(
                        "Analyse the last {}",
                        common::plural(u64::from(kind.period_days().unwrap_or(1)), "day")
                    ))],
                ),
            ],
        ));
    }
    controls.push(el(
        "div",
        "downloads",
        FORMATS
            .iter()
            .map(|(f, l)| {
                button(
                    &["type", "class", "data-download"],
                    vec!["button".into(), "btn".into(), format_value(*f).into()],
                    download(*f),
                    vec![common::text(format!("Download {l}"))],
                )
            })
            .collect(),
    ));
    if let Some(e) = &*error {
        controls.push(el_attrs(
            "p",
            &["class", "role"],
            vec!["error".into(), "alert".into()],
            vec![common::text(format!(
                "The report could not be written: {e}"
            ))],
        ));
    }
    common::view(
        "view report",
        "report",
        "Report",
        vec![
            el_attrs(
                "div",
                &["class", "data-section"],
                vec!["panel controls".into(), "report_controls".into()],
                controls,
            ),
            el_attrs(
                "div",
                &["class", "data-section", "aria-live"],
                vec![
                    "panel report-preview".into(),
                    "report_preview".into(),
                    "polite".into(),
                ],
                vec![preview(*fmt, text)],
            ),
        ],
    )
}

fn format_value(f: ReportFormat) -> &'static str {
    match f {
        ReportFormat::Markdown => "markdown",
        ReportFormat::Json => "json",
        ReportFormat::Csv => "csv",
        ReportFormat::Prometheus => "prometheus",
        ReportFormat::Grafana => "grafana",
    }
}

/// Says when the kind's period differs from the analysed one.
fn period_note(a: &Analysis, kind: ReportKind) -> Option<String> {
    let want = kind.period_days()?;
    if a.period_days == Some(want) {
        return None;
    }
    Some(format!(
        "A {} report covers {}; the current analysis covers {}. Analyse the last {} for the same figures as `baton report --period {}`.",
        kind.as_str(),
        common::plural(u64::from(want), "day"),
        match a.period_days {
            Some(d) => common::plural(u64::from(d), "day"),
            None => "all the data".to_string(),
        },
        common::plural(u64::from(want), "day"),
        kind.as_str()
    ))
}

fn preview(fmt: ReportFormat, text: Result<String, baton_core::Error>) -> Html {
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            return el_attrs(
                "p",
                &["class", "role"],
                vec!["error".into(), "alert".into()],
                vec![common::text(e.to_string())],
            )
        }
    };
    let (shown, cut) = match text.char_indices().nth(PREVIEW_LIMIT) {
        Some((i, _)) => (text.get(..i).unwrap_or(""), true),
        None => (text.as_str(), false),
    };
    let mut out = vec![if fmt == ReportFormat::Markdown && !cut {
        el_attrs(
            "div",
            &["class", "data-preview"],
            vec!["markdown".into(), "markdown".into()],
            vec![markdown::render(shown)],
        )
    } else {
        el_attrs(
            "pre",
            &["data-preview"],
            vec!["text".into()],
            vec![common::text(shown.to_string())],
        )
    }];
    if cut {
        out.push(el(
            "p",
            "muted",
            vec![common::text(format!(
                "Preview cut at {} characters; the download has all {}.",
                format::int(PREVIEW_LIMIT as u64),
                format::int(text.chars().count() as u64)
            ))],
        ));
    }
    Html::from_iter(out)
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
}

/// Saves bytes as a file: a Blob, an object URL and a clicked `<a download>`.
#[cfg(target_arch = "wasm32")]
fn save(bytes: &[u8], name: &str, mime: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a = doc
        .create_element("a")
        .map_err(err)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "no anchor".to_string())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(err)?;
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
fn save(_bytes: &[u8], _name: &str, _mime: &str) -> Result<(), String> {
    Err("downloads need a browser".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_date_kind_and_section() {
        let now = Some("2025-11-10T14:30:00Z");
        assert_eq!(
            file_name(
                ReportKind::Summary,
                ReportFormat::Markdown,
                "operations",
                now,
                false
            ),
            "baton-report-2025-11-10.md"
        );
        assert_eq!(
            file_name(
                ReportKind::Weekly,
                ReportFormat::Json,
                "operations",
                now,
                true
            ),
            "baton-report-weekly-2025-11-10.json.gz"
        );
        assert_eq!(
            file_name(ReportKind::Summary, ReportFormat::Csv, "agents", now, false),
            "baton-report-2025-11-10-agents.csv"
        );
        assert_eq!(
            file_name(ReportKind::Summary, ReportFormat::Grafana, "x", None, false),
            "baton-report-undated-grafana.json"
        );
        assert_eq!(
            file_name(ReportKind::Daily, ReportFormat::Prometheus, "x", now, false),
            "baton-report-daily-2025-11-10.prom"
        );
    }

    #[test]
    fn options_take_generated_at_from_the_analysis() {
        let o = options(ReportKind::Detailed, "agents");
        assert_eq!(o.generated_at, None);
        assert_eq!(o.csv_section.as_deref(), Some("agents"));
    }

    #[test]
    fn period_note_only_when_periods_differ() {
        let mut a = Analysis::default();
        assert_eq!(period_note(&a, ReportKind::Summary), None);
        assert!(period_note(&a, ReportKind::Weekly)
            .unwrap_or_default()
            .contains("covers 7 days; the current analysis covers all the data"));
        a.period_days = Some(7);
        assert_eq!(period_note(&a, ReportKind::Weekly), None);
    }
}
