//! Pieces shared by the views: rating colours and words, KPI cards, empty
//! states, outcome and severity labels, URL arguments, day series.

use baton_core::analysis::{Direction, HealthStatus, Rating, Severity, TimeBucket};
use baton_core::model::Outcome;
use std::rc::Rc;

use yew::prelude::*;
use yew::virtual_dom::{ApplyAttributeAs, Attributes, VTag, VText};

use crate::format;

/// The tone class of a rating: `tone-good`, `tone-warn` or `tone-bad`.
pub fn rating_tone(r: Rating) -> &'static str {
    match r {
        Rating::Excellent | Rating::Good => "tone-good",
        Rating::Acceptable => "tone-warn",
        Rating::Poor | Rating::Concerning | Rating::NeedsAttention => "tone-bad",
    }
}

/// The word of a rating.
pub fn rating_word(r: Rating) -> &'static str {
    match r {
        Rating::Excellent => "excellent",
        Rating::Good => "good",
        Rating::Acceptable => "acceptable",
        Rating::Poor => "poor",
        Rating::Concerning => "concerning",
        Rating::NeedsAttention => "needs attention",
    }
}

/// The seed 000 rating bands, from the core.
pub use baton_core::analysis::{rate_cache_hit, rate_error, rate_success};

/// A rate with its rating as colour and word, e.g. "82.5 % good".
#[inline(never)]
pub fn rated_pct(v: Option<f64>, rate: fn(f64) -> Rating) -> Html {
    match v {
        Some(x) => {
            let r = rate(x);
            el_attrs(
                "span",
                &["class", "data-rating"],
                vec![
                    format!("rated {}", rating_tone(r)).into(),
                    rating_word(r).into(),
                ],
                vec![
                    text(format::pct(Some(x))),
                    el(
                        "span",
                        "rating-word",
                        vec![text(format!(" {}", rating_word(r)))],
                    ),
                ],
            )
        }
        None => lit(format::NONE),
    }
}

/// The word and tone class of a severity.
pub fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Low => ("low", "tone-info"),
        Severity::Medium => ("medium", "tone-warn"),
        Severity::High => ("high", "tone-bad"),
        Severity::Critical => ("critical", "tone-critical"),
    }
}

/// A severity badge.
pub fn severity_badge(s: Severity) -> Html {
    let (word, tone) = severity(s);
    badge(tone, &["class", "data-severity"], word)
}

/// A badge: `span.badge.<tone>` with its word, also in the `data-*`
/// attribute named second in `keys` (`class` first).
#[inline(never)]
fn badge(tone: &'static str, keys: &'static [&'static str], word: &'static str) -> Html {
    el_attrs(
        "span",
        keys,
        vec![format!("badge {tone}").into(), word.into()],
        vec![lit(word)],
    )
}

/// The word and tone class of a health status.
pub fn health(s: HealthStatus) -> (&'static str, &'static str) {
    match s {
        HealthStatus::Healthy => ("healthy", "tone-good"),
        HealthStatus::Degraded => ("degraded", "tone-warn"),
        HealthStatus::Unhealthy => ("unhealthy", "tone-bad"),
    }
}

/// The word and tone class of an outcome.
pub fn outcome(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Success => ("success", "tone-good"),
        Outcome::Failure => ("failure", "tone-bad"),
        Outcome::Running => ("running", "tone-info"),
    }
}

/// An outcome badge.
pub fn outcome_badge(o: Outcome) -> Html {
    let (word, tone) = outcome(o);
    badge(tone, &["class", "data-outcome"], word)
}

/// The arrow and word of a trend direction.
pub fn direction(d: Direction) -> (&'static str, &'static str) {
    match d {
        Direction::Improving => ("improving", "tone-good"),
        Direction::Stable => ("stable", "tone-info"),
        Direction::Declining => ("declining", "tone-bad"),
    }
}

/// Whether a higher value of a KPI is better (for colouring its change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Higher is better (success rate, cache hits).
    Higher,
    /// Lower is better (durations, errors, cost).
    Lower,
}

/// A change with arrow, coloured good or bad by `better`.
pub fn change(v: Option<f64>, better: Better) -> Html {
    let tone = match v {
        Some(x) if x.abs() < 0.0005 => "tone-info",
        Some(x) if (x > 0.0) == (better == Better::Higher) => "tone-good",
        Some(_) => "tone-bad",
        None => "tone-info",
    };
    el_attrs(
        "span",
        &["class"],
        vec![format!("change {tone}").into()],
        vec![text(format::change(v))],
    )
}

/// A KPI card: label, value (with `data-kpi`), optional rating and change.
pub fn kpi(id: &str, label: &str, value: String, rating: Option<Rating>, change: Html) -> Html {
    let mut children = vec![
        el("div", "kpi-label", vec![text(label.to_string())]),
        el_attrs(
            "div",
            &["class", "data-kpi"],
            vec!["kpi-value".into(), id.to_string().into()],
            vec![text(value)],
        ),
    ];
    if let Some(r) = rating {
        children.push(el_attrs(
            "div",
            &["class", "data-rating"],
            vec!["kpi-rating".into(), rating_word(r).into()],
            vec![lit(rating_word(r))],
        ));
    }
    children.push(change);
    let class = match rating {
        Some(r) => AttrValue::from(format!("kpi-card {}", rating_tone(r))),
        None => AttrValue::from("kpi-card"),
    };
    el_attrs("div", &["class"], vec![class], children)
}

/// An empty state saying what data would fill the section.
#[inline(never)]
pub fn empty(msg: &str) -> Html {
    el("p", "empty", vec![text(msg.to_string())])
}

// Element builders. Views build their repeated shapes through these plain,
// non-generic functions so the element-building code exists once in the
// WebAssembly instead of once per `html!` site.

/// A text node.
#[inline(never)]
pub fn text(s: String) -> Html {
    VText::new(s).into()
}

/// A text node of fixed text.
#[inline(never)]
pub fn lit(s: &'static str) -> Html {
    VText::new(s).into()
}

/// An element with a class (none when empty) and children.
#[inline(never)]
pub fn el(tag: &'static str, class: &'static str, children: Vec<Html>) -> Html {
    if class.is_empty() {
        el_attrs(tag, &[], Vec::new(), children)
    } else {
        el_attrs(tag, &["class"], vec![class.into()], children)
    }
}

/// An element with attributes (`keys`, one value each) and children.
#[inline(never)]
pub fn el_attrs(
    tag: &'static str,
    keys: &'static [&'static str],
    values: Vec<AttrValue>,
    children: Vec<Html>,
) -> Html {
    vtag(tag, keys, values, children).into()
}

/// The element of [`el_attrs`], for adding listeners or a form value.
#[inline(never)]
pub fn vtag(
    tag: &'static str,
    keys: &'static [&'static str],
    values: Vec<AttrValue>,
    children: Vec<Html>,
) -> VTag {
    let mut t = VTag::new(tag);
    t.set_attributes(Attributes::Dynamic {
        keys,
        values: values
            .into_iter()
            .map(|v| Some((v, ApplyAttributeAs::Attribute)))
            .collect(),
    });
    if !children.is_empty() {
        t.add_children(children);
    }
    t
}

/// A `select` with attributes, its change callback and its options.
#[inline(never)]
pub fn select(
    keys: &'static [&'static str],
    values: Vec<AttrValue>,
    onchange: Callback<Event>,
    options: Vec<Html>,
) -> Html {
    let mut t = vtag("select", keys, values, options);
    t.add_listener(Rc::new(yew::html::onchange::Wrapper::new(onchange)));
    t.into()
}

/// An `option` with its value and label, `selected` when chosen.
#[inline(never)]
pub fn option(value: AttrValue, label: AttrValue, selected: bool) -> Html {
    let mut t = VTag::new("option");
    t.set_attributes(Attributes::Dynamic {
        keys: &["value", "selected"],
        values: Box::new([
            Some((value, ApplyAttributeAs::Attribute)),
            selected.then_some((AttrValue::Static("selected"), ApplyAttributeAs::Attribute)),
        ]),
    });
    t.add_child(VText::new(label).into());
    t.into()
}

/// Options of a filter: "all" (empty value) first, then one per value (its
/// own label), the `current` one selected.
#[inline(never)]
pub fn filter_options(
    all: &'static str,
    values: &mut dyn Iterator<Item = &String>,
    current: Option<&String>,
) -> Vec<Html> {
    let mut out = vec![option("".into(), all.into(), current.is_none())];
    out.extend(values.map(|v| {
        let v = AttrValue::from(v.clone());
        option(
            v.clone(),
            v.clone(),
            current.map(String::as_str) == Some(v.as_str()),
        )
    }));
    out
}

/// An `input` with attributes, its value and its change callback.
#[inline(never)]
pub fn input(
    keys: &'static [&'static str],
    values: Vec<AttrValue>,
    value: AttrValue,
    onchange: Callback<Event>,
) -> Html {
    let mut t = vtag("input", keys, values, Vec::new());
    t.set_value(value);
    t.add_listener(Rc::new(yew::html::onchange::Wrapper::new(onchange)));
    t.into()
}

/// A labelled field: `label.field[for]` holding a `span` with the label,
/// then the control.
#[inline(never)]
pub fn field(id: &'static str, label: &'static str, control: Html) -> Html {
    el_attrs(
        "label",
        &["class", "for"],
        vec!["field".into(), id.into()],
        vec![el("span", "", vec![lit(label)]), control],
    )
}

/// A `button` with attributes, its click callback and children.
#[inline(never)]
pub fn button(
    keys: &'static [&'static str],
    values: Vec<AttrValue>,
    onclick: Callback<MouseEvent>,
    children: Vec<Html>,
) -> Html {
    let mut t = vtag("button", keys, values, children);
    t.add_listener(Rc::new(yew::html::onclick::Wrapper::new(onclick)));
    t.into()
}

/// A view: `section[class][data-view]` with its `h2` title, then `body`.
#[inline(never)]
pub fn view(class: &'static str, view: &'static str, title: &'static str, body: Vec<Html>) -> Html {
    let mut children = Vec::with_capacity(body.len() + 1);
    children.push(el("h2", "", vec![lit(title)]));
    children.extend(body);
    el_attrs(
        "section",
        &["class", "data-view"],
        vec![class.into(), view.into()],
        children,
    )
}

/// A panel: `div.panel[data-section]` with its `h3` title, then `body`.
#[inline(never)]
pub fn panel(section: &'static str, title: AttrValue, body: Vec<Html>) -> Html {
    let mut children = Vec::with_capacity(body.len() + 1);
    children.push(el("h3", "", vec![VText::new(title).into()]));
    children.extend(body);
    el_attrs(
        "div",
        &["class", "data-section"],
        vec!["panel".into(), section.into()],
        children,
    )
}

/// A `strong` holding a figure, with `data-kpi` unless `kpi` is empty.
#[inline(never)]
pub fn strong(kpi: &'static str, value: String) -> Html {
    if kpi.is_empty() {
        el("strong", "", vec![text(value)])
    } else {
        el_attrs("strong", &["data-kpi"], vec![kpi.into()], vec![text(value)])
    }
}

/// A fact line: `<li>label<strong data-kpi=…>value</strong>more…</li>`.
#[inline(never)]
pub fn fact(label: &'static str, kpi: &'static str, value: String, more: Vec<Html>) -> Html {
    let mut children = Vec::with_capacity(more.len() + 2);
    children.push(lit(label));
    children.push(strong(kpi, value));
    children.extend(more);
    el("li", "", children)
}

/// Muted text in a `div` (the line under a KPI figure).
#[inline(never)]
pub fn muted(s: String) -> Html {
    el("div", "muted", vec![text(s)])
}

/// A muted `span`.
#[inline(never)]
pub fn muted_span(s: String) -> Html {
    el("span", "muted", vec![text(s)])
}

/// A link.
#[inline(never)]
pub fn link(href: String, label: String) -> Html {
    el_attrs("a", &["href"], vec![href.into()], vec![text(label)])
}

/// Day labels of a series: "11-10" when every day is in one year, the full
/// date otherwise.
pub fn day_labels(days: &[TimeBucket]) -> Vec<String> {
    let year = |d: &TimeBucket| d.start.get(..4).map(str::to_string);
    let one_year = days.iter().all(|d| year(d) == days.first().and_then(year));
    days.iter()
        .map(|d| {
            if one_year {
                format::day_label(&d.start)
            } else {
                format::date(Some(&d.start))
            }
        })
        .collect()
}

/// "1 task", "3 tasks".
pub fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Encodes a name for a URL hash argument (percent-encodes all but
/// unreserved characters).
pub fn encode_arg(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a URL hash argument written by [`encode_arg`] (or typed by hand).
pub fn decode_arg(arg: &str) -> String {
    let bytes = arg.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Milliseconds of an RFC 3339 time.
pub fn ms(t: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// Seconds between two RFC 3339 times.
pub fn span_seconds(start: Option<&str>, end: Option<&str>) -> Option<f64> {
    let (a, b) = (ms(start?)?, ms(end?)?);
    Some((b - a) as f64 / 1000.0)
}

/// One file that could not be loaded, as a list item: its name, then why.
#[inline(never)]
pub fn file_error_item(e: &crate::state::FileError) -> Html {
    el(
        "li",
        "",
        vec![
            el("code", "", vec![text(e.name.clone())]),
            lit(": "),
            text(e.message.clone()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_labels_show_the_year_only_when_it_changes() {
        let day = |s: &str| TimeBucket {
            start: s.into(),
            ..Default::default()
        };
        assert_eq!(
            day_labels(&[day("2025-11-09"), day("2025-11-10")]),
            ["11-09", "11-10"]
        );
        assert_eq!(
            day_labels(&[day("2024-12-31"), day("2025-01-01")]),
            ["2024-12-31", "2025-01-01"]
        );
        assert_eq!(plural(1, "task"), "1 task");
        assert_eq!(plural(45, "task"), "45 tasks");
    }

    #[test]
    fn hash_arguments_round_trip() {
        assert_eq!(encode_arg("run-1"), "run-1");
        assert_eq!(encode_arg("a b/c#"), "a%20b%2Fc%23");
        assert_eq!(decode_arg("a%20b%2Fc%23"), "a b/c#");
        let odd = "ünïcode <agent> 100%";
        assert_eq!(decode_arg(&encode_arg(odd)), odd);
        // A stray percent sign is kept.
        assert_eq!(decode_arg("100%"), "100%");
    }

    #[test]
    fn spans_between_times() {
        // 2 d 4 h 15 min = 188 100 s
        assert_eq!(
            span_seconds(Some("2025-11-08T10:00:00Z"), Some("2025-11-10T14:15:00Z")),
            Some(188_100.0)
        );
        assert_eq!(span_seconds(None, Some("2025-11-10T14:15:00Z")), None);
        assert_eq!(
            span_seconds(Some("nonsense"), Some("2025-11-10T14:15:00Z")),
            None
        );
    }
}
