//! The header: app name, period, agent and model filters, theme, Add files, Clear.

use yew::prelude::*;

use crate::bridge::PickedFile;
use crate::components::file_picker::FilePicker;
use crate::protocol::Choices;
use crate::state::{Settings, Theme};
use crate::views::common::{button, el, el_attrs, field, filter_options, lit, option, select};

/// Periods offered: label and days (None = all data).
pub const PERIODS: [(&str, Option<u32>); 5] = [
    ("All data", None),
    ("Last day", Some(1)),
    ("Last 7 days", Some(7)),
    ("Last 30 days", Some(30)),
    ("Last 90 days", Some(90)),
];

/// Props of [`Header`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct HeaderProps {
    /// Current settings (period, filters, theme).
    pub settings: Settings,
    /// Filter values, when data is loaded.
    pub choices: Option<Choices>,
    /// A re-analysis is running.
    pub busy: bool,
    /// Period chosen.
    pub on_period: Callback<Option<u32>>,
    /// Agent chosen (None = all).
    pub on_agent: Callback<Option<String>>,
    /// Model chosen (None = all).
    pub on_model: Callback<Option<String>>,
    /// Theme chosen.
    pub on_theme: Callback<Theme>,
    /// Files added.
    pub on_files: Callback<Vec<PickedFile>>,
    /// Clear everything.
    pub on_clear: Callback<()>,
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

fn filter_select(
    id: &'static str,
    label: &'static str,
    all: &'static str,
    values: &[String],
    current: Option<&String>,
    on: &Callback<Option<String>>,
) -> Html {
    let on = on.clone();
    let onchange = Callback::from(move |e: Event| {
        let v = select_value(&e);
        on.emit((!v.is_empty()).then_some(v));
    });
    field(
        id,
        label,
        select(
            &["id"],
            vec![id.into()],
            onchange,
            filter_options(all, &mut values.iter(), current),
        ),
    )
}

/// The theme `select` (header and Settings), the current theme selected.
#[inline(never)]
pub fn theme_select(id: &'static str, current: Theme, onchange: Callback<Event>) -> Html {
    select(
        &["id"],
        vec![id.into()],
        onchange,
        Theme::ALL
            .into_iter()
            .map(|t| option(t.attr().into(), t.label().into(), current == t))
            .collect(),
    )
}

/// The app header.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let opts = &props.settings.options;
    let on_period = {
        let on = props.on_period.clone();
        Callback::from(move |e: Event| on.emit(select_value(&e).parse::<u32>().ok()))
    };
    let on_theme = {
        let on = props.on_theme.clone();
        Callback::from(move |e: Event| on.emit(Theme::parse(&select_value(&e))))
    };
    let on_clear = props.on_clear.reform(|_: MouseEvent| ());
    let mut controls = vec![field(
        "period",
        "Period",
        select(
            &["id"],
            vec!["period".into()],
            on_period,
            PERIODS
                .iter()
                .map(|(label, days)| {
                    option(
                        days.map(|d| d.to_string()).unwrap_or_default().into(),
                        (*label).into(),
                        opts.period_days == *days,
                    )
                })
                .collect(),
        ),
    )];
    if let Some(c) = &props.choices {
        controls.push(filter_select(
            "agent",
            "Agent",
            "All agents",
            &c.agents,
            opts.filter.agents.first(),
            &props.on_agent,
        ));
        controls.push(filter_select(
            "model",
            "Model",
            "All models",
            &c.models,
            opts.filter.models.first(),
            &props.on_model,
        ));
    }
    controls.push(field(
        "theme",
        "Theme",
        theme_select("theme", props.settings.theme, on_theme),
    ));
    if props.busy {
        controls.push(el_attrs(
            "span",
            &["class", "role"],
            vec!["busy".into(), "status".into()],
            vec![lit("Analysing…")],
        ));
    }
    if props.choices.is_some() {
        controls.push(html! {
            <FilePicker files_label="Add files" folder_label="Add folder" on_files={props.on_files.clone()} />
        });
        controls.push(button(
            &["class"],
            vec!["btn danger".into()],
            on_clear,
            vec![lit("Clear")],
        ));
    }
    el(
        "header",
        "header",
        vec![
            el_attrs(
                "a",
                &["class", "href"],
                vec!["brand".into(), "#/overview".into()],
                vec![lit("Baton")],
            ),
            el("div", "controls", controls),
        ],
    )
}
