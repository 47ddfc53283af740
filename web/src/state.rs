//! The page's state and its reducer. Pure: no browser types, so every
//! transition is tested natively. Side effects (talking to the worker,
//! localStorage) live in the components and hooks that dispatch actions.

use std::rc::Rc;

use baton_core::analysis::{AnalysisOptions, OperationRef};
use serde::{Deserialize, Serialize};
use yew::Reducible;

use crate::protocol::{Loaded, Response};
use crate::route::Route;

/// Files above this size are refused before they are read: the app's memory
/// budget (the core's own limit, [`baton_core::import::MAX_FILE_BYTES`], is higher).
pub const APP_MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// The localStorage key of the saved settings.
pub const SETTINGS_KEY: &str = "baton.settings";

/// Colour scheme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the system setting.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// Every theme, in menu order.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// Value of `<html data-theme>`.
    pub fn attr(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// From [`Theme::attr`]; unknown values give System.
    pub fn parse(s: &str) -> Theme {
        Theme::ALL
            .into_iter()
            .find(|t| t.attr() == s)
            .unwrap_or_default()
    }
}

/// Everything the user sets: analysis options and theme. Saved in
/// localStorage (without the agent and model filters, which belong to the
/// data at hand).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Period, "now", filters, thresholds, pricing, budget.
    pub options: AnalysisOptions,
    /// Colour scheme.
    pub theme: Theme,
}

impl Settings {
    /// The JSON saved in localStorage (filters left out).
    pub fn to_storage(&self) -> String {
        let mut saved = self.clone();
        saved.options.filter = Default::default();
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Settings from saved JSON; defaults when absent or unreadable.
    pub fn from_storage(json: Option<&str>) -> Settings {
        // from_slice, like the engine: one copy of serde_json's parser in the build.
        json.and_then(|j| serde_json::from_slice(j.as_bytes()).ok())
            .unwrap_or_default()
    }
}

/// Progress of a load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadProgress {
    /// Files in the load.
    pub files: u32,
    /// Bytes read and parsed.
    pub bytes_done: u64,
    /// Bytes in the load.
    pub bytes_total: u64,
    /// Records imported so far (everything loaded).
    pub records: u64,
    /// File being read.
    pub current: String,
}

impl LoadProgress {
    /// Fraction done 0..1 (0 for an empty load).
    pub fn fraction(&self) -> f64 {
        if self.bytes_total == 0 {
            0.0
        } else {
            (self.bytes_done as f64 / self.bytes_total as f64).clamp(0.0, 1.0)
        }
    }
}

/// What the page is doing.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Status {
    /// Nothing loaded, nothing running.
    #[default]
    Idle,
    /// Files (or the sample) being loaded.
    Loading(LoadProgress),
    /// Loaded, or nothing loaded after a clear.
    Ready,
    /// The worker failed; the message says why.
    Error(String),
}

/// A file that could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    /// File name.
    pub name: String,
    /// Why.
    pub message: String,
}

/// The page's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppState {
    /// Loading status.
    pub status: Status,
    /// The current analysis, sources and choices.
    pub loaded: Option<Rc<Loaded>>,
    /// Files refused or failed in the loads so far.
    pub file_errors: Vec<FileError>,
    /// User settings.
    pub settings: Settings,
    /// Current view.
    pub route: Route,
    /// The view's argument from the URL.
    pub arg: Option<String>,
    /// A re-analysis is running.
    pub analysing: bool,
    /// A one-line message for the user (cancel, clear).
    pub notice: Option<String>,
    /// The last session timeline received: session id and operations.
    pub timeline: Option<Rc<(String, Vec<OperationRef>)>>,
    /// The last failures list received, with the error type asked for (None = all).
    pub failures: Option<Rc<(Option<String>, Vec<OperationRef>)>>,
    /// The error type of the failures request in flight.
    pub failures_asked: Option<String>,
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The URL hash changed.
    Navigate(Route, Option<String>),
    /// A load of `files` files and `bytes` bytes started (the sample: 0, 0).
    LoadStarted {
        /// Files.
        files: u32,
        /// Bytes.
        bytes: u64,
    },
    /// A file was refused before reading, or failed in the worker.
    FileFailed(FileError),
    /// A message from the worker.
    Worker(Box<Response>),
    /// The user cancelled the load; the worker was restarted and the data
    /// loaded before (files, bytes) is loading again, if there was any.
    Cancelled(Option<(u32, u64)>),
    /// The user cleared the data.
    Cleared,
    /// A re-analysis was requested.
    Analysing,
    /// Period in days (None = all data).
    SetPeriod(Option<u32>),
    /// Keep only this agent (None = all).
    SetAgent(Option<String>),
    /// Keep only this model (None = all).
    SetModel(Option<String>),
    /// Colour scheme.
    SetTheme(Theme),
    /// Settings saved from the Settings view.
    SaveSettings(Box<Settings>),
    /// Settings back to defaults (theme kept).
    ResetSettings,
    /// Hide the file errors and the notice.
    Dismiss,
    /// Failures of this error type (None = all) were asked of the worker.
    AskFailures(Option<String>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        s.apply(action);
        Rc::new(s)
    }
}

impl AppState {
    /// A fresh state with saved settings and the route from the URL.
    pub fn new(settings: Settings, hash: &str) -> Self {
        let (route, arg) = Route::parse(hash);
        AppState {
            settings,
            route,
            arg,
            ..Default::default()
        }
    }

    /// True while files or the sample are loading.
    pub fn is_loading(&self) -> bool {
        matches!(self.status, Status::Loading(_))
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Navigate(route, arg) => {
                self.route = route;
                self.arg = arg;
            }
            Action::LoadStarted { files, bytes } => {
                self.status = Status::Loading(LoadProgress {
                    files,
                    bytes_total: bytes,
                    ..Default::default()
                });
                self.notice = None;
            }
            Action::FileFailed(e) => self.push_file_error(e),
            Action::Worker(resp) => self.on_response(*resp),
            Action::Cancelled(reload) => {
                self.analysing = false;
                self.timeline = None;
                self.failures = None;
                match reload {
                    Some((files, bytes)) => {
                        self.status = Status::Loading(LoadProgress {
                            files,
                            bytes_total: bytes,
                            ..Default::default()
                        });
                        self.notice = Some(
                            "Loading cancelled. The data loaded before is being loaded again."
                                .into(),
                        );
                    }
                    None => {
                        self.status = Status::Ready;
                        self.loaded = None;
                        self.notice = Some("Loading cancelled.".into());
                    }
                }
            }
            Action::Cleared => {
                self.status = Status::Ready;
                self.loaded = None;
                self.file_errors.clear();
                self.analysing = false;
                self.timeline = None;
                self.failures = None;
                self.settings.options.filter = Default::default();
                self.notice = Some("Data cleared.".into());
            }
            Action::Analysing => self.analysing = true,
            Action::SetPeriod(days) => self.settings.options.period_days = days,
            Action::SetAgent(agent) => {
                self.settings.options.filter.agents = agent.into_iter().collect();
            }
            Action::SetModel(model) => {
                self.settings.options.filter.models = model.into_iter().collect();
            }
            Action::SetTheme(theme) => self.settings.theme = theme,
            Action::SaveSettings(settings) => {
                let mut settings = *settings;
                // Filters are set from the header, not the Settings view.
                settings.options.filter = self.settings.options.filter.clone();
                self.settings = settings;
            }
            Action::ResetSettings => {
                let theme = self.settings.theme;
                let filter = self.settings.options.filter.clone();
                self.settings = Settings::default();
                self.settings.theme = theme;
                self.settings.options.filter = filter;
            }
            Action::Dismiss => {
                self.file_errors.clear();
                self.notice = None;
            }
            Action::AskFailures(error_type) => self.failures_asked = error_type,
        }
    }

    /// Lists a failed file once (a reload after cancel reports it again).
    fn push_file_error(&mut self, e: FileError) {
        if !self.file_errors.contains(&e) {
            self.file_errors.push(e);
        }
    }

    fn on_response(&mut self, resp: Response) {
        match resp {
            Response::Ready => {}
            Response::Progress {
                bytes_done,
                bytes_total,
                records,
                current,
            } => {
                if let Status::Loading(p) = &mut self.status {
                    p.bytes_done = bytes_done;
                    p.bytes_total = bytes_total;
                    p.records = records;
                    p.current = current;
                }
            }
            Response::FileError { name, message } => {
                // The core's messages start with the file name, shown apart.
                let message = message
                    .strip_prefix(&format!("{name}: "))
                    .map(str::to_string)
                    .unwrap_or(message);
                self.push_file_error(FileError { name, message });
            }
            Response::Analysis(loaded) => {
                self.loaded = Some(Rc::new(*loaded));
                self.status = Status::Ready;
                self.analysing = false;
                // Timeline and failures lists do not depend on the options:
                // they stay until the data changes.
            }
            Response::SessionTimeline { id, operations } => {
                self.timeline = Some(Rc::new((id, operations)));
            }
            Response::Failures(list) => {
                self.failures = Some(Rc::new((self.failures_asked.clone(), list)));
            }
            Response::Crashed(message) => {
                // The worker is restarted empty: what it held is gone. A panic
                // reports itself, then the worker's error event follows: keep
                // the first, clearer message.
                if !matches!(self.status, Status::Error(_)) {
                    self.status = Status::Error(message);
                }
                self.loaded = None;
                self.analysing = false;
                self.timeline = None;
                self.failures = None;
            }
        }
    }
}

/// Why a file is refused before it is read, if it is.
pub fn refuse_reason(size: u64) -> Option<String> {
    let limit = APP_MAX_FILE_BYTES.min(baton_core::import::MAX_FILE_BYTES);
    (size > limit).then(|| {
        let (mut shown, mut max) = (human_bytes(size), human_bytes(limit));
        if shown == max {
            // Rounded alike ("1.0 GB > 1.0 GB" says nothing): exact bytes.
            shown = format!("{} bytes", crate::format::int(size));
            max = format!("{} bytes", crate::format::int(limit));
        }
        format!(
            "too large to load in the browser ({shown} > {max}); use the command-line tool for files this big"
        )
    })
}

/// Bytes for people: 1.5 MB, 2.0 GB (powers of 1024, short units).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    let name = UNITS.get(unit).copied().unwrap_or("B");
    if unit == 0 {
        format!("{n} {name}")
    } else {
        format!("{v:.1} {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Choices;
    use baton_core::analysis::Analysis;

    fn loaded() -> Loaded {
        Loaded {
            analysis: Analysis::default(),
            sources: vec![],
            choices: Choices::default(),
            engine_memory_bytes: None,
            timings: Default::default(),
        }
    }

    fn with(state: AppState, actions: impl IntoIterator<Item = Action>) -> AppState {
        let mut s = state;
        for a in actions {
            s.apply(a);
        }
        s
    }

    fn worker(r: Response) -> Action {
        Action::Worker(Box::new(r))
    }

    #[test]
    fn new_state_takes_route_and_settings() {
        let settings = Settings {
            theme: Theme::Dark,
            ..Default::default()
        };
        let s = AppState::new(settings.clone(), "#/sessions/run-7");
        assert_eq!(s.route, Route::Sessions);
        assert_eq!(s.arg.as_deref(), Some("run-7"));
        assert_eq!(s.settings, settings);
        assert_eq!(s.status, Status::Idle);
    }

    #[test]
    fn navigate_sets_route() {
        let s = with(
            AppState::default(),
            [Action::Navigate(Route::Agents, Some("coder".into()))],
        );
        assert_eq!((s.route, s.arg.as_deref()), (Route::Agents, Some("coder")));
    }

    #[test]
    fn a_load_progresses_then_completes() {
        let s = with(
            AppState::default(),
            [Action::LoadStarted {
                files: 2,
                bytes: 100,
            }],
        );
        assert!(s.is_loading());
        let s = with(
            s,
            [worker(Response::Progress {
                bytes_done: 25,
                bytes_total: 100,
                records: 7,
                current: "a.json".into(),
            })],
        );
        match &s.status {
            Status::Loading(p) => {
                assert_eq!((p.bytes_done, p.records, p.files), (25, 7, 2));
                assert_eq!(p.current, "a.json");
                // 25 / 100.
                assert_eq!(p.fraction(), 0.25);
            }
            other => panic!("{other:?}"),
        }
        let s = with(
            s,
            [
                worker(Response::FileError {
                    name: "b.json".into(),
                    message: "b.json: bad".into(),
                }),
                worker(Response::Analysis(Box::new(loaded()))),
            ],
        );
        assert_eq!(s.status, Status::Ready);
        assert!(s.loaded.is_some());
        assert_eq!(
            s.file_errors,
            [FileError {
                name: "b.json".into(),
                message: "bad".into()
            }]
        );
    }

    #[test]
    fn progress_outside_a_load_is_ignored() {
        let s = with(
            AppState::default(),
            [worker(Response::Progress {
                bytes_done: 1,
                bytes_total: 2,
                records: 3,
                current: "x".into(),
            })],
        );
        assert_eq!(s.status, Status::Idle);
    }

    #[test]
    fn refused_files_are_listed() {
        let e = FileError {
            name: "huge.json".into(),
            message: "too large".into(),
        };
        let s = with(AppState::default(), [Action::FileFailed(e.clone())]);
        assert_eq!(s.file_errors, [e]);
        let s = with(s, [Action::Dismiss]);
        assert!(s.file_errors.is_empty());
    }

    #[test]
    fn a_crash_shows_the_error_and_drops_the_data() {
        let s = with(
            AppState::default(),
            [
                worker(Response::Analysis(Box::new(loaded()))),
                Action::Analysing,
                worker(Response::Crashed("boom".into())),
                worker(Response::Crashed("unreachable".into())),
            ],
        );
        assert_eq!(s.status, Status::Error("boom".into()));
        assert!(s.loaded.is_none());
        assert!(!s.analysing);
        // A new load still works.
        let s = with(
            s,
            [
                Action::LoadStarted { files: 0, bytes: 0 },
                worker(Response::Analysis(Box::new(loaded()))),
            ],
        );
        assert_eq!(s.status, Status::Ready);
        assert!(s.loaded.is_some());
    }

    #[test]
    fn cancel_reloads_what_was_there_or_says_it_is_empty() {
        let s = with(
            AppState::default(),
            [
                Action::LoadStarted { files: 1, bytes: 9 },
                Action::Cancelled(None),
            ],
        );
        assert_eq!(s.status, Status::Ready);
        assert!(s.loaded.is_none());
        assert_eq!(s.notice.as_deref(), Some("Loading cancelled."));
        let s = with(
            AppState::default(),
            [
                worker(Response::Analysis(Box::new(loaded()))),
                Action::LoadStarted { files: 1, bytes: 9 },
                Action::Cancelled(Some((2, 40))),
            ],
        );
        // The old analysis stays on screen while the 2 earlier files (40 bytes) reload.
        assert!(s.loaded.is_some());
        match &s.status {
            Status::Loading(p) => assert_eq!((p.files, p.bytes_total, p.bytes_done), (2, 40, 0)),
            other => panic!("{other:?}"),
        }
        assert!(s
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("loaded again")));
    }

    #[test]
    fn a_file_error_reported_twice_is_listed_once() {
        let e = FileError {
            name: "a.json".into(),
            message: "bad".into(),
        };
        let s = with(
            AppState::default(),
            [
                Action::FileFailed(e.clone()),
                worker(Response::FileError {
                    name: "a.json".into(),
                    message: "a.json: bad".into(),
                }),
            ],
        );
        assert_eq!(s.file_errors, [e]);
    }

    #[test]
    fn clear_drops_data_errors_and_filters() {
        let s = with(
            AppState::default(),
            [
                worker(Response::Analysis(Box::new(loaded()))),
                Action::FileFailed(FileError {
                    name: "a".into(),
                    message: "b".into(),
                }),
                Action::SetAgent(Some("coder".into())),
                Action::Cleared,
            ],
        );
        assert!(s.loaded.is_none());
        assert!(s.file_errors.is_empty());
        assert!(s.settings.options.filter.agents.is_empty());
        assert_eq!(s.notice.as_deref(), Some("Data cleared."));
    }

    #[test]
    fn filters_period_and_theme_change_settings() {
        let s = with(
            AppState::default(),
            [
                Action::SetPeriod(Some(7)),
                Action::SetAgent(Some("coder".into())),
                Action::SetModel(Some("gpt".into())),
                Action::SetTheme(Theme::Light),
            ],
        );
        assert_eq!(s.settings.options.period_days, Some(7));
        assert_eq!(s.settings.options.filter.agents, ["coder"]);
        assert_eq!(s.settings.options.filter.models, ["gpt"]);
        assert_eq!(s.settings.theme, Theme::Light);
        let s = with(s, [Action::SetAgent(None), Action::SetPeriod(None)]);
        assert!(s.settings.options.filter.agents.is_empty());
        assert_eq!(s.settings.options.period_days, None);
    }

    #[test]
    fn save_keeps_filters_and_reset_keeps_theme() {
        let mut new = Settings::default();
        new.options.daily_budget = Some(20.0);
        new.options.thresholds.min_success_rate = 0.9;
        new.theme = Theme::Dark;
        let s = with(
            AppState::default(),
            [
                Action::SetAgent(Some("coder".into())),
                Action::SaveSettings(Box::new(new)),
            ],
        );
        assert_eq!(s.settings.options.daily_budget, Some(20.0));
        assert_eq!(s.settings.options.thresholds.min_success_rate, 0.9);
        assert_eq!(s.settings.options.filter.agents, ["coder"]);
        let s = with(s, [Action::ResetSettings]);
        assert_eq!(s.settings.options.daily_budget, None);
        assert_eq!(s.settings.options.thresholds, Default::default());
        assert_eq!(s.settings.theme, Theme::Dark);
        assert_eq!(s.settings.options.filter.agents, ["coder"]);
    }

    #[test]
    fn query_results_are_kept_until_the_data_changes() {
        let s = with(
            AppState::default(),
            [
                worker(Response::SessionTimeline {
                    id: "s1".into(),
                    operations: vec![],
                }),
                Action::AskFailures(Some("timeout".into())),
                worker(Response::Failures(vec![])),
            ],
        );
        assert_eq!(s.timeline.as_ref().map(|t| t.0.as_str()), Some("s1"));
        assert_eq!(
            s.failures.as_ref().map(|f| f.0.as_deref()),
            Some(Some("timeout"))
        );
        // A re-analysis (new period or filter) keeps them.
        let s = with(s, [worker(Response::Analysis(Box::new(loaded())))]);
        assert!(s.timeline.is_some() && s.failures.is_some());
        let s = with(s, [Action::Cleared]);
        assert!(s.timeline.is_none() && s.failures.is_none());
    }

    #[test]
    fn settings_round_trip_through_storage_without_filters() {
        let mut set = Settings {
            theme: Theme::Dark,
            ..Default::default()
        };
        set.options.period_days = Some(30);
        set.options.filter.agents = vec!["coder".into()];
        let back = Settings::from_storage(Some(&set.to_storage()));
        assert_eq!(back.theme, Theme::Dark);
        assert_eq!(back.options.period_days, Some(30));
        assert!(back.options.filter.agents.is_empty());
        assert_eq!(
            Settings::from_storage(Some("not json")),
            Settings::default()
        );
        assert_eq!(Settings::from_storage(None), Settings::default());
    }

    #[test]
    fn big_files_are_refused_before_reading() {
        assert_eq!(refuse_reason(APP_MAX_FILE_BYTES), None);
        // 1 GiB + 1 byte rounds like the limit: exact bytes (2^30 = 1,073,741,824).
        let r = refuse_reason(APP_MAX_FILE_BYTES + 1).unwrap_or_default();
        assert!(
            r.contains("(1,073,741,825 bytes > 1,073,741,824 bytes)"),
            "{r}"
        );
        // 2 GiB does not: 2.0 GB > 1.0 GB.
        let r = refuse_reason(2 * APP_MAX_FILE_BYTES).unwrap_or_default();
        assert!(r.contains("(2.0 GB > 1.0 GB)"), "{r}");
    }

    #[test]
    fn bytes_read_for_people() {
        assert_eq!(human_bytes(512), "512 B");
        // 1536 / 1024 = 1.5.
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MB");
    }
}
