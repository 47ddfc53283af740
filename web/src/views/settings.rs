//! The Settings view: alert thresholds, price overrides, cost mode, daily
//! budget, "now", theme. Edits stay in a draft until Save, which persists
//! them and re-analyses; Reset returns to the defaults.

use std::rc::Rc;

use baton_core::analysis::{CostMode, ModelPrice};
use yew::prelude::*;

use crate::components::header::theme_select;
use crate::hooks::use_app;
use crate::state::{Action, Settings, Theme};
use crate::views::common::{button, el, el_attrs, field, input, lit, option, select, vtag};

/// "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a datetime-local value, read
/// as UTC) to UTC ms. Hand-parsed: chrono's format-string parser is large in
/// WebAssembly and this is the page's only use of it.
pub fn parse_now(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':')) {
        return None;
    }
    let second = match b.len() {
        16 => 0,
        19 if sep(16, b':') => num(17, 2)?,
        _ => return None,
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 2)?, num(8, 2)?)?;
    let time = date.and_hms_opt(num(11, 2)?, num(14, 2)?, second)?;
    Some(time.and_utc().timestamp_millis())
}

/// UTC ms to a datetime-local value ("YYYY-MM-DDTHH:MM").
pub fn format_now(ms: i64) -> String {
    use chrono::{Datelike, Timelike};
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|dt| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute()
            )
        })
        .unwrap_or_default()
}

/// A number typed by the user; None when empty or not a finite number.
pub fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

/// One numeric threshold: shown as `value * scale` in `unit`.
struct Field {
    id: &'static str,
    label: &'static str,
    unit: &'static str,
    scale: f64,
    get: fn(&Settings) -> f64,
    set: fn(&mut Settings, f64),
}

const FIELDS: [Field; 10] = [
    Field {
        id: "t-success",
        label: "Success rate below",
        unit: "%",
        scale: 100.0,
        get: |s| s.options.thresholds.min_success_rate,
        set: |s, v| s.options.thresholds.min_success_rate = v,
    },
    Field {
        id: "t-error",
        label: "Error rate above (high)",
        unit: "%",
        scale: 100.0,
        get: |s| s.options.thresholds.max_error_rate,
        set: |s, v| s.options.thresholds.max_error_rate = v,
    },
    Field {
        id: "t-error-crit",
        label: "Error rate above (critical)",
        unit: "%",
        scale: 100.0,
        get: |s| s.options.thresholds.critical_error_rate,
        set: |s, v| s.options.thresholds.critical_error_rate = v,
    },
    Field {
        id: "t-duration",
        label: "Operation longer than",
        unit: "min",
        scale: 1.0 / 60.0,
        get: |s| s.options.thresholds.max_operation_seconds,
        set: |s, v| s.options.thresholds.max_operation_seconds = v,
    },
    Field {
        id: "t-cost",
        label: "Daily cost above",
        unit: "USD",
        scale: 1.0,
        get: |s| s.options.thresholds.max_daily_cost,
        set: |s, v| s.options.thresholds.max_daily_cost = v,
    },
    Field {
        id: "t-quality",
        label: "Code quality below",
        unit: "of 100",
        scale: 1.0,
        get: |s| s.options.thresholds.min_code_quality,
        set: |s, v| s.options.thresholds.min_code_quality = v,
    },
    Field {
        id: "t-security",
        label: "Security issues above",
        unit: "issues",
        scale: 1.0,
        get: |s| s.options.thresholds.max_security_issues,
        set: |s, v| s.options.thresholds.max_security_issues = v,
    },
    Field {
        id: "t-response",
        label: "Response time above",
        unit: "s",
        scale: 1.0,
        get: |s| s.options.thresholds.max_response_seconds,
        set: |s, v| s.options.thresholds.max_response_seconds = v,
    },
    Field {
        id: "t-conflicts",
        label: "Conflicts at least",
        unit: "conflicts",
        scale: 1.0,
        get: |s| s.options.thresholds.max_conflicts,
        set: |s, v| s.options.thresholds.max_conflicts = v,
    },
    Field {
        id: "t-tokens",
        label: "Tokens per session above",
        unit: "tokens",
        scale: 1.0,
        get: |s| s.options.thresholds.max_session_tokens,
        set: |s, v| s.options.thresholds.max_session_tokens = v,
    },
];

/// A control followed by its unit: `span.with-unit` with `span.unit`.
#[inline(never)]
fn with_unit(control: Html, unit: &'static str) -> Html {
    el(
        "span",
        "with-unit",
        vec![control, el("span", "unit", vec![lit(unit)])],
    )
}

/// Applies an input's text to the draft.
type Edit = Box<dyn Fn(&mut Settings, String)>;

/// Shows a scaled value without float noise (0.7 × 100 = 70, not 70.00000000000001).
fn shown(v: f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    format!("{r}")
}

/// The Settings view.
#[function_component(SettingsView)]
pub fn settings_view() -> Html {
    let app = use_app();
    let saved = app
        .as_ref()
        .map(|a| a.state.settings.clone())
        .unwrap_or_default();
    let dispatch = app.map(|a| a.dispatch).unwrap_or_default();
    let draft = use_state(|| saved.clone());
    {
        let draft = draft.clone();
        use_effect_with(saved.clone(), move |s| draft.set(s.clone()));
    }
    let edit = |f: Edit| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut s = (*draft).clone();
            f(&mut s, input_value(&e));
            draft.set(s);
        })
    };
    let thresholds = FIELDS.iter().map(|f| {
        let (scale, set) = (f.scale, f.set);
        let onchange = edit(Box::new(move |s, v| {
            if let Some(n) = parse_number(&v) {
                set(s, n / scale);
            }
        }));
        field(
            f.id,
            f.label,
            with_unit(
                input(
                    &["id", "type", "step"],
                    vec![f.id.into(), "number".into(), "any".into()],
                    shown((f.get)(&draft) * scale).into(),
                    onchange,
                ),
                f.unit,
            ),
        )
    });
    let price_rows = draft
        .options
        .pricing
        .overrides
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = |label: &'static str, value: String, set: fn(&mut ModelPrice, &str)| {
                let onchange = edit(Box::new(move |s, v| {
                    if let Some(p) = s.options.pricing.overrides.get_mut(i) {
                        set(p, &v);
                    }
                }));
                el(
                    "td",
                    "",
                    vec![input(
                        &["aria-label"],
                        vec![label.into()],
                        value.into(),
                        onchange,
                    )],
                )
            };
            let num = |o: Option<f64>| o.map(shown).unwrap_or_default();
            let remove = {
                let draft = draft.clone();
                Callback::from(move |_: MouseEvent| {
                    let mut s = (*draft).clone();
                    if i < s.options.pricing.overrides.len() {
                        s.options.pricing.overrides.remove(i);
                    }
                    draft.set(s);
                })
            };
            el(
                "tr",
                "",
                vec![
                    text("Model", p.model.clone(), |p, v| {
                        p.model = v.trim().to_string()
                    }),
                    text("Input", shown(p.input), |p, v| {
                        p.input = parse_number(v).unwrap_or(0.0)
                    }),
                    text("Output", shown(p.output), |p, v| {
                        p.output = parse_number(v).unwrap_or(0.0)
                    }),
                    text("Cache read", num(p.cache_read), |p, v| {
                        p.cache_read = parse_number(v)
                    }),
                    text("Cache write", num(p.cache_write), |p, v| {
                        p.cache_write = parse_number(v)
                    }),
                    el(
                        "td",
                        "",
                        vec![button(
                            &["class"],
                            vec!["btn".into()],
                            remove,
                            vec![lit("Remove")],
                        )],
                    ),
                ],
            )
        });
    let add_price = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = (*draft).clone();
            s.options.pricing.overrides.push(ModelPrice::default());
            draft.set(s);
        })
    };
    let on_mode = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut s = (*draft).clone();
            s.options.pricing.mode = match select_value(&e).as_str() {
                "calculate" => CostMode::Calculate,
                "display" => CostMode::Display,
                _ => CostMode::Auto,
            };
            draft.set(s);
        })
    };
    let on_budget = edit(Box::new(|s, v| s.options.daily_budget = parse_number(&v)));
    let on_now = edit(Box::new(|s, v| s.options.now = parse_now(&v)));
    let on_theme = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut s = (*draft).clone();
            s.theme = Theme::parse(&select_value(&e));
            draft.set(s);
        })
    };
    let on_save = {
        let (draft, dispatch) = (draft.clone(), dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut s = (*draft).clone();
            s.options.pricing.overrides.retain(|p| !p.model.is_empty());
            dispatch.emit(Action::SaveSettings(Box::new(s)));
        })
    };
    let on_reset = Callback::from(move |_: MouseEvent| dispatch.emit(Action::ResetSettings));
    let mode = draft.options.pricing.mode;
    let changed = *draft != saved;
    let fieldset = |legend: &'static str, mut body: Vec<Html>| {
        body.insert(0, el("legend", "", vec![lit(legend)]));
        el("fieldset", "", body)
    };
    let save = if changed {
        el_attrs(
            "button",
            &["type", "class"],
            vec!["submit".into(), "btn primary".into()],
            vec![lit("Save")],
        )
    } else {
        el_attrs(
            "button",
            &["type", "class", "disabled"],
            vec!["submit".into(), "btn primary".into(), "disabled".into()],
            vec![lit("Save")],
        )
    };
    let mut actions = vec![
        save,
        button(
            &["type", "class"],
            vec!["button".into(), "btn".into()],
            on_reset,
            vec![lit("Reset to defaults")],
        ),
    ];
    if changed {
        actions.push(el("span", "muted", vec![lit("Unsaved changes")]));
    }
    let mut form = vtag(
        "form",
        &[],
        Vec::new(),
        vec![
            fieldset(
                "Alert thresholds",
                vec![el("div", "grid-fields", thresholds.collect())],
            ),
            fieldset(
                "Costs",
                vec![
                    field(
                        "cost-mode",
                        "Cost mode",
                        select(
                            &["id"],
                            vec!["cost-mode".into()],
                            on_mode,
                            vec![
                                option(
                                    "auto".into(),
                                    "Auto: recorded cost, else computed from tokens".into(),
                                    mode == CostMode::Auto,
                                ),
                                option(
                                    "calculate".into(),
                                    "Calculate: always from tokens and prices".into(),
                                    mode == CostMode::Calculate,
                                ),
                                option(
                                    "display".into(),
                                    "Display: recorded costs only".into(),
                                    mode == CostMode::Display,
                                ),
                            ],
                        ),
                    ),
                    field(
                        "budget",
                        "Daily budget",
                        with_unit(
                            input(
                                &["id", "type", "step", "min", "placeholder"],
                                vec![
                                    "budget".into(),
                                    "number".into(),
                                    "any".into(),
                                    "0".into(),
                                    "none".into(),
                                ],
                                draft
                                    .options
                                    .daily_budget
                                    .map(shown)
                                    .unwrap_or_default()
                                    .into(),
                                on_budget,
                            ),
                            "USD",
                        ),
                    ),
                    el(
                        "h3",
                        "",
                        vec![lit("Price overrides (USD per million tokens)")],
                    ),
                    el(
                        "table",
                        "table compact prices",
                        vec![
                            el(
                                "thead",
                                "",
                                vec![el(
                                    "tr",
                                    "",
                                    ["Model", "Input", "Output", "Cache read", "Cache write", ""]
                                        .iter()
                                        .map(|h| {
                                            el(
                                                "th",
                                                "",
                                                if h.is_empty() {
                                                    Vec::new()
                                                } else {
                                                    vec![lit(h)]
                                                },
                                            )
                                        })
                                        .collect(),
                                )],
                            ),
                            el("tbody", "", price_rows.collect()),
                        ],
                    ),
                    button(
                        &["type", "class"],
                        vec!["button".into(), "btn".into()],
                        add_price,
                        vec![lit("Add a price")],
                    ),
                ],
            ),
            fieldset(
                "Time and display",
                vec![
                    field(
                        "now",
                        "\"Now\" (UTC; empty = latest time in the data)",
                        input(
                            &["id", "type"],
                            vec!["now".into(), "datetime-local".into()],
                            draft.options.now.map(format_now).unwrap_or_default().into(),
                            on_now,
                        ),
                    ),
                    field(
                        "settings-theme",
                        "Theme",
                        theme_select("settings-theme", draft.theme, on_theme),
                    ),
                ],
            ),
            el("div", "actions", actions),
        ],
    );
    form.add_listener(Rc::new(yew::html::onsubmit::Wrapper::new(on_save)));
    el(
        "section",
        "view settings-view",
        vec![
            el("h1", "", vec![lit("Settings")]),
            el(
                "p",
                "muted",
                vec![lit(
                    "Saved in this browser only. Saving re-analyses the loaded data.",
                )],
            ),
            form.into(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_round_trips_as_utc() {
        // 2026-11-21T10:30Z = 1 795 257 000 000 ms... computed by chrono both ways,
        // checked against the epoch: 1970-01-02T00:00 is 86 400 000 ms.
        assert_eq!(parse_now("1970-01-02T00:00"), Some(86_400_000));
        assert_eq!(parse_now("1970-01-01T00:01:30"), Some(90_000));
        assert_eq!(format_now(86_400_000), "1970-01-02T00:00");
        assert_eq!(parse_now(""), None);
        assert_eq!(parse_now("yesterday"), None);
        // 2024-02-29T23:59:59 = 19 782 days (1970..2024: 54 years, 13 leap days
        // => 54*365+13 = 19 723, plus Jan 31 + Feb 28 = 59) * 86 400 000
        // + 86 399 000 ms.
        assert_eq!(
            parse_now("2024-02-29T23:59:59"),
            Some(19_782 * 86_400_000 + 86_399_000)
        );
        assert_eq!(
            format_now(19_782 * 86_400_000 + 86_399_000),
            "2024-02-29T23:59"
        );
        assert_eq!(parse_now("2023-02-29T10:00"), None);
        assert_eq!(parse_now("2024-02-01T25:00"), None);
        assert_eq!(parse_now("2024-02-01 10:00"), None);
    }

    #[test]
    fn numbers_and_scaled_thresholds() {
        assert_eq!(parse_number(" 12.5 "), Some(12.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number(""), None);
        let s = Settings::default();
        // Success rate 0.70 shown as 70 %; 7200 s shown as 120 min.
        let f = FIELDS.first().map(|f| shown((f.get)(&s) * f.scale));
        assert_eq!(f.as_deref(), Some("70"));
        let d = FIELDS.get(3).map(|f| shown((f.get)(&s) * f.scale));
        assert_eq!(d.as_deref(), Some("120"));
        // Typing 80 % stores 0.8.
        let mut s2 = s.clone();
        if let Some(f) = FIELDS.first() {
            (f.set)(&mut s2, 80.0 / f.scale);
        }
        assert_eq!(s2.options.thresholds.min_success_rate, 0.8);
    }
}
