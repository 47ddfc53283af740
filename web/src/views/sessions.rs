//! Sessions: the list of sessions / runs, their comparison by LLM
//! configuration (seed 002) and, at `#/sessions/<id>`, one session's
//! timeline as a waterfall of its operations (asked from the worker).

use std::rc::Rc;

use baton_core::analysis::{Analysis, OperationRef, SessionSummary};
use baton_core::model::Outcome;
use yew::prelude::*;

use super::common::{self, el, el_attrs, link, lit, panel, strong, text};
use super::table::{self as t, num, num_html, td, td_html, tr, Column, Key, Row, SortTable};
use super::ViewProps;
use crate::charts::{self, ChartProps, Plot, Span, Tone, Unit};
use crate::format;
use crate::protocol::Request;

/// The Sessions view.
#[function_component(SessionsView)]
pub fn sessions_view(props: &ViewProps) -> Html {
    let a = props.analysis();
    let selected = props.arg.as_deref().map(common::decode_arg);
    {
        // Ask the worker for the timeline of the session in the URL, unless it is here.
        let on_request = props.on_request.clone();
        let have = props.timeline.as_ref().map(|t| t.0.clone());
        use_effect_with(selected.clone(), move |sel| {
            if let Some(id) = sel {
                if have.as_deref() != Some(id.as_str()) {
                    on_request.emit(Request::SessionTimeline(id.clone()));
                }
            }
        });
    }
    if let Some(id) = selected {
        return detail(a, &id, props.timeline.as_deref());
    }
    common::view(
        "view sessions",
        "sessions",
        "Sessions",
        vec![
            if a.sessions.is_empty() {
                common::empty("No sessions: run logger runs (seed 002), orchestrator session metrics (seed 001) or monitor orchestrations (seed 004) fill this list.")
            } else {
                list(&a.sessions)
            },
            llm(a),
        ],
    )
}

fn status_cell(s: &SessionSummary) -> Html {
    match (s.outcome, &s.status) {
        (Some(o), Some(st)) => {
            let (word, tone) = common::outcome(o);
            el_attrs(
                "span",
                &["class", "data-outcome"],
                vec![tone.into(), word.into()],
                vec![text(st.clone())],
            )
        }
        (Some(o), None) => common::outcome_badge(o),
        (None, Some(st)) => text(st.clone()),
        (None, None) => lit(format::NONE),
    }
}

fn list(sessions: &[SessionSummary]) -> Html {
    let columns = vec![
        Column::text("id", "Session"),
        Column::text("status", "Status"),
        Column::text("start", "Start"),
        Column::num("duration", "Duration"),
        Column::text("llm", "LLM configuration"),
        Column::text("mode", "Mode"),
        Column::num("count", "Operations"),
        Column::num("success_rate", "Success rate"),
        Column::num("cost", "Cost"),
    ];
    let rows = sessions
        .iter()
        .map(|s| Row {
            id: s.id.clone(),
            keys: vec![
                Key::text(&s.id),
                Key::text(s.status.as_deref().unwrap_or("")),
                Key::Text(s.start.clone().unwrap_or_default()),
                Key::Num(s.duration),
                Key::text(s.llm.as_deref().unwrap_or("")),
                Key::text(s.mode.as_deref().unwrap_or("")),
                Key::count(s.stats.count),
                Key::Num(s.stats.success_rate),
                Key::Num(s.stats.total_cost),
            ],
            cells: vec![
                link(
                    format!("#/sessions/{}", common::encode_arg(&s.id)),
                    s.id.clone(),
                ),
                status_cell(s),
                text(format::datetime(s.start.as_deref())),
                text(format::duration(s.duration)),
                text(s.llm.clone().unwrap_or_else(|| format::NONE.into())),
                text(s.mode.clone().unwrap_or_else(|| format::NONE.into())),
                text(format::int(s.stats.count)),
                common::rated_pct(s.stats.success_rate, common::rate_success),
                text(format::usd(s.stats.total_cost)),
            ],
        })
        .collect::<Vec<_>>();
    html! {
        <SortTable id="sessions" caption="Sessions: status, start, duration, LLM configuration, mode, operations and success rate"
            {columns} {rows} initial={(2, false)} />
    }
}

fn llm(a: &Analysis) -> Html {
    let body = if a.llm_comparison.is_empty() {
        common::empty("No LLM configurations: run metadata with provider, model and temperature (seed 002) fills this comparison.")
    } else {
        t::table(
            "llm_comparison".into(),
            &[
                ("Configuration", false),
                ("Runs", true),
                ("Operations", true),
                ("Success rate", true),
                ("Avg duration", true),
                ("Work items", true),
                ("Work items succeeded", true),
                ("Cost", true),
            ],
            a.llm_comparison
                .iter()
                .map(|c| {
                    tr(
                        Some(c.configuration.clone()),
                        vec![
                            td(c.configuration.clone()),
                            num(format::int(c.runs)),
                            num(format::int(c.stats.count)),
                            num_html(common::rated_pct(
                                c.stats.success_rate,
                                common::rate_success,
                            )),
                            num(format::duration(c.stats.avg_duration)),
                            num(format::int(c.work_items)),
                            num(format::int(c.work_items_succeeded)),
                            num(format::usd(c.stats.total_cost)),
                        ],
                    )
                })
                .collect(),
        )
    };
    panel(
        "llm_comparison",
        "Runs by LLM configuration".into(),
        vec![body],
    )
}

/// Waterfall bars of a session's operations: offsets in seconds from the
/// earliest start; a running operation without a duration reaches "now".
/// Returns the spans and how many operations had no start time (they cannot
/// be placed).
pub fn spans(ops: &[OperationRef], now: Option<&str>) -> (Vec<Span>, usize) {
    let now = now.and_then(common::ms);
    let starts: Vec<Option<i64>> = ops
        .iter()
        .map(|o| o.start.as_deref().and_then(common::ms))
        .collect();
    let Some(origin) = starts.iter().flatten().min().copied() else {
        return (Vec::new(), ops.len());
    };
    // Each bar names what tells it apart: the kind and the agent where they
    // vary within the session, the operation's id where neither does.
    let varies =
        |f: fn(&OperationRef) -> &str| ops.iter().any(|o| f(o) != ops.first().map_or("", f));
    let (kinds_vary, agents_vary) = (varies(|o| &o.kind), varies(|o| &o.agent));
    let label = |o: &OperationRef| match (kinds_vary, agents_vary) {
        (true, true) => format!("{} · {}", o.kind, o.agent),
        (true, false) => o.kind.clone(),
        (false, true) => o.agent.clone(),
        (false, false) => o.id.clone(),
    };
    let mut out = Vec::new();
    for (o, st) in ops.iter().zip(&starts) {
        let Some(st) = st else { continue };
        let start = (st - origin) as f64 / 1000.0;
        let duration = match (o.duration, o.outcome, now) {
            (Some(d), _, _) => d.max(0.0),
            (None, Outcome::Running, Some(n)) => ((n - st) as f64 / 1000.0).max(0.0),
            (None, _, _) => 0.0,
        };
        out.push(Span {
            label: label(o),
            start,
            end: start + duration,
            tone: match o.outcome {
                Outcome::Success => Tone::Ok,
                Outcome::Failure => Tone::Bad,
                Outcome::Running => Tone::Running,
            },
        });
    }
    let placed = out.len();
    (out, ops.len() - placed)
}

fn detail(a: &Analysis, id: &str, timeline: Option<&(String, Vec<OperationRef>)>) -> Html {
    let s = a.sessions.iter().find(|s| s.id == id);
    let ops = timeline.filter(|t| t.0 == id).map(|t| &t.1);
    let none = || format::NONE.to_string();
    let facts = match s {
        Some(s) => {
            let mut items = vec![
                el("li", "", vec![lit("Status: "), status_cell(s)]),
                el(
                    "li",
                    "",
                    vec![
                        lit("Start: "),
                        text(format::datetime(s.start.as_deref())),
                        lit(" · end: "),
                        text(format::datetime(s.end.as_deref())),
                        lit(" · duration: "),
                        strong("session_duration", format::duration(s.duration)),
                    ],
                ),
                el(
                    "li",
                    "",
                    vec![
                        lit("LLM: "),
                        text(s.llm.clone().unwrap_or_else(none)),
                        lit(" · mode: "),
                        text(s.mode.clone().unwrap_or_else(none)),
                    ],
                ),
            ];
            if let Some(d) = &s.description {
                items.push(el("li", "", vec![text(d.clone())]));
            }
            items.push(el(
                "li",
                "",
                vec![
                    lit("Operations: "),
                    strong("session_operations", format::int(s.stats.count)),
                    lit(" · success rate "),
                    common::rated_pct(s.stats.success_rate, common::rate_success),
                    lit(" · cost "),
                    text(format::usd(s.stats.total_cost)),
                    lit(" · tokens "),
                    text(format::tokens(s.stats.total_tokens)),
                ],
            ));
            if s.outcome == Some(Outcome::Running) {
                items.push(el(
                    "li",
                    "",
                    vec![
                        lit("Current phase: "),
                        text(s.current_phase.clone().unwrap_or_else(none)),
                        lit(" · progress "),
                        text(format::pct(s.progress)),
                        lit(" · active agents: "),
                        text(if s.active_agents.is_empty() {
                            none()
                        } else {
                            s.active_agents.join(", ")
                        }),
                    ],
                ));
            }
            if let Some(c) = s.conflicts {
                items.push(el("li", "", vec![text(format!("Conflicts: {c}"))]));
            }
            el("ul", "facts", items)
        }
        None => common::empty(&format!(
            "No session \"{id}\" in the current analysis (check the filters and period)."
        )),
    };
    let timeline = match ops {
        None => el_attrs(
            "p",
            &["class", "aria-live"],
            vec!["loading".into(), "polite".into()],
            vec![lit("Loading the timeline…")],
        ),
        Some(ops) if ops.is_empty() => {
            common::empty("This session has no operations in the loaded data.")
        }
        Some(ops) => {
            let (bars, unplaced) = spans(ops, a.now.as_deref());
            let height = (bars.len() as u32 * 22 + 60).clamp(120, 2000);
            let mut parts = vec![charts::show(ChartProps {
                        id: "session_timeline".into(),
                        title: "Timeline".into(),
                        plot: Rc::new(Plot::Waterfall { spans: bars }),
                        unit: Unit::Seconds,
                        value_label: "Time since the session's first operation".into(),
                        category_label: AttrValue::default(),
                        height,
                        empty: "No operation of this session has a start time, so none can be placed on a timeline.".into(),
                    })];
            if unplaced > 0 {
                parts.push(el(
                    "p",
                    "muted",
                    vec![text(format!(
                        "{unplaced} operations have no start time and are not on the timeline."
                    ))],
                ));
            }
            parts.push(t::table(
                "session_operations".into(),
                &[
                    ("Operation", false),
                    ("Kind", false),
                    ("Agent", false),
                    ("Start", false),
                    ("Duration", true),
                    ("Outcome", false),
                    ("Error", false),
                ],
                ops.iter()
                    .map(|o| {
                        tr(
                            Some(o.id.clone()),
                            [
                                t::op_cells(o),
                                vec![
                                    td(format::datetime(o.start.as_deref())),
                                    num(format::duration(o.duration)),
                                    td_html(common::outcome_badge(o.outcome)),
                                    td(o.error_type.clone().unwrap_or_default()),
                                ],
                            ]
                            .concat(),
                        )
                    })
                    .collect(),
            ));
            Html::from_iter(parts)
        }
    };
    el_attrs(
        "section",
        &["class", "data-view", "data-session"],
        vec![
            "view sessions".into(),
            "session".into(),
            id.to_string().into(),
        ],
        vec![
            el(
                "p",
                "",
                vec![link("#/sessions".to_string(), "← All sessions".to_string())],
            ),
            el("h2", "", vec![text(format!("Session {id}"))]),
            facts,
            timeline,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str, start: Option<&str>, duration: Option<f64>, outcome: Outcome) -> OperationRef {
        OperationRef {
            id: id.into(),
            kind: "plan".into(),
            agent: "architect".into(),
            session: Some("s1".into()),
            model: None,
            start: start.map(String::from),
            duration,
            cost: None,
            outcome,
            error_type: None,
            error_message: None,
        }
    }

    #[test]
    fn spans_start_at_the_first_operation() {
        let ops = vec![
            op(
                "a",
                Some("2025-11-10T10:00:30Z"),
                Some(60.0),
                Outcome::Success,
            ),
            op(
                "b",
                Some("2025-11-10T10:00:00Z"),
                Some(20.0),
                Outcome::Failure,
            ),
            op("c", None, Some(5.0), Outcome::Success),
            op("d", Some("2025-11-10T10:02:00Z"), None, Outcome::Running),
        ];
        let (s, unplaced) = spans(&ops, Some("2025-11-10T10:05:00Z"));
        assert_eq!(unplaced, 1);
        // origin 10:00:00; a starts 30 s later and lasts 60 s → 30..90
        assert_eq!((s[0].start, s[0].end, s[0].tone), (30.0, 90.0, Tone::Ok));
        assert_eq!((s[1].start, s[1].end, s[1].tone), (0.0, 20.0, Tone::Bad));
        // d: running, 120 s after the origin, no duration → reaches now (10:05 = 300 s)
        assert_eq!(
            (s[2].start, s[2].end, s[2].tone),
            (120.0, 300.0, Tone::Running)
        );
        // Every operation is a plan by the architect: bars are named by id.
        assert_eq!(s[0].label, "a");
        let mut mixed = ops.clone();
        mixed[1].kind = "code".into();
        assert_eq!(spans(&mixed, None).0[1].label, "code");
        mixed[1].agent = "coder".into();
        let (s, _) = spans(&mixed, None);
        assert_eq!(
            (s[0].label.as_str(), s[1].label.as_str()),
            ("plan · architect", "code · coder")
        );
        assert_eq!(spans(&[op("x", None, None, Outcome::Success)], None).1, 1);
        // Without "now" a running operation is a zero-length bar.
        let (s, _) = spans(&ops, None);
        assert_eq!((s[2].start, s[2].end), (120.0, 120.0));
    }
}
