//! Hooks: the URL hash, the worker, settings persistence and theme, the
//! service worker, and the app context of the Data and Settings views.

pub mod resize;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use baton_core::analysis::AnalysisOptions;
use yew::prelude::*;

use crate::bridge::{PickedFile, WorkerHandle};
use crate::protocol::{Request, Response};
use crate::state::{Action, AppState, Settings};

/// The current URL hash (empty natively).
pub fn current_hash() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        gloo::utils::window().location().hash().unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
    }
}

/// The settings saved in localStorage (defaults natively or when absent).
pub fn load_settings() -> Settings {
    #[cfg(target_arch = "wasm32")]
    {
        use gloo::storage::Storage;
        let raw = gloo::storage::LocalStorage::raw()
            .get_item(crate::state::SETTINGS_KEY)
            .ok()
            .flatten();
        Settings::from_storage(raw.as_deref())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Settings::default()
    }
}

/// The query string that makes the page run the crash-recovery self-test once
/// at start: the worker panics on purpose ([`Request::Panic`]), the page reports
/// it and starts a fresh worker for the next load. Not linked from anywhere.
pub const SELF_TEST_WORKER_PANIC: &str = "?selftest=worker-panic";

/// Whether the page's address is exactly the self-test's (false natively).
fn self_test_requested() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        gloo::utils::window().location().search().ok().as_deref() == Some(SELF_TEST_WORKER_PANIC)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        false
    }
}

/// Follows `hashchange`: dispatches [`Action::Navigate`].
#[hook]
pub fn use_hash_route(dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        #[cfg(target_arch = "wasm32")]
        let listener = {
            let window = gloo::utils::window();
            gloo::events::EventListener::new(&window, "hashchange", move |_| {
                let (route, arg) = crate::route::Route::parse(&current_hash());
                dispatch.dispatch(Action::Navigate(route, arg));
            })
        };
        #[cfg(not(target_arch = "wasm32"))]
        let _ = dispatch;
        move || {
            #[cfg(target_arch = "wasm32")]
            drop(listener);
        }
    });
}

/// Saves the settings to localStorage and applies the theme to
/// `<html data-theme>` whenever they change.
#[hook]
pub fn use_persist_settings(settings: &Settings) {
    use_effect_with(settings.clone(), |settings| {
        #[cfg(target_arch = "wasm32")]
        {
            use gloo::storage::Storage;
            let _ = gloo::storage::LocalStorage::raw()
                .set_item(crate::state::SETTINGS_KEY, &settings.to_storage());
            if let Some(root) = gloo::utils::document().document_element() {
                let _ = root.set_attribute("data-theme", settings.theme.attr());
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = settings;
    });
}

/// Registers the offline service worker (`sw.js`, relative so it works
/// under a sub-path). Release builds only: a debug build (`trunk serve`)
/// never registers it, so live reload always serves fresh files.
#[hook]
pub fn use_service_worker() {
    use_effect_with((), |_| {
        #[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
        {
            let nav = gloo::utils::window().navigator();
            let has_sw = js_sys::Reflect::has(&nav, &"serviceWorker".into()).unwrap_or(false);
            if has_sw {
                let _ = nav.service_worker().register("sw.js");
            }
        }
    });
}

/// The worker as the page sees it: sends requests, loads files, cancels.
/// A worker that crashed is replaced before the next request.
#[derive(Clone)]
pub struct WorkerLink {
    handle: Rc<RefCell<Option<WorkerHandle>>>,
    dead: Rc<Cell<bool>>,
    dispatch: UseReducerDispatcher<AppState>,
    /// The loads that made the current dataset, the last one possibly in
    /// flight: a cancelled load is dropped and the others are loaded again.
    history: Rc<RefCell<Vec<Load>>>,
}

/// One load that contributed to the dataset.
#[derive(Clone)]
enum Load {
    Sample,
    Files(Vec<PickedFile>),
}

impl PartialEq for WorkerLink {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.handle, &other.handle)
    }
}

impl WorkerLink {
    fn spawn(&self) {
        let dispatch = self.dispatch.clone();
        let dead = self.dead.clone();
        let handle = WorkerHandle::spawn(move |resp: Response| {
            if matches!(resp, Response::Crashed(_)) {
                // Replaced lazily: this callback runs inside the old worker's handler.
                dead.set(true);
            }
            dispatch.dispatch(Action::Worker(Box::new(resp)));
        });
        match handle {
            Ok(h) => {
                self.dead.set(false);
                *self.handle.borrow_mut() = Some(h);
            }
            Err(e) => {
                self.dead.set(true);
                self.dispatch
                    .dispatch(Action::Worker(Box::new(Response::Crashed(format!(
                        "the analysis engine could not start: {e}"
                    )))));
            }
        }
    }

    fn with(&self, f: impl FnOnce(&WorkerHandle)) {
        if self.dead.get() || self.handle.borrow().is_none() {
            if let Some(old) = self.handle.borrow_mut().take() {
                old.terminate();
            }
            self.spawn();
        }
        if let Some(h) = self.handle.borrow().as_ref() {
            f(h);
        }
    }

    /// Starts the worker now, so it is ready (and its files cached) before the
    /// first load. When the page's address asks for the crash-recovery
    /// self-test ([`SELF_TEST_WORKER_PANIC`]), the worker is then made to panic
    /// once.
    pub fn warm(&self) {
        self.with(|_| ());
        if self_test_requested() {
            self.with(|h| h.send(&Request::Panic));
        }
    }

    /// Sends a request.
    pub fn send(&self, req: Request) {
        match &req {
            Request::Sample(_) => *self.history.borrow_mut() = vec![Load::Sample],
            Request::Clear => self.history.borrow_mut().clear(),
            _ => {}
        }
        self.with(|h| h.send(&req));
    }

    /// Loads files (added to what is loaded unless `replace`), then analyses.
    pub fn load(&self, files: &[PickedFile], replace: bool, options: AnalysisOptions) {
        let bytes = files.iter().map(|f| f.size).sum();
        {
            let mut history = self.history.borrow_mut();
            if replace {
                history.clear();
            }
            history.push(Load::Files(files.to_vec()));
        }
        self.with(|h| {
            h.send(&Request::Begin {
                files: files.len() as u32,
                bytes,
                replace,
            });
            for f in files {
                h.send_file(f);
            }
            h.send(&Request::Finish(options));
        });
    }

    /// Stops the worker at once and starts a fresh one, into which the data
    /// loaded before the cancelled load is loaded again. Returns the files and
    /// bytes of that reload ((0, 0) for the sample alone), or None when
    /// nothing was loaded before.
    pub fn cancel(&self, options: AnalysisOptions) -> Option<(u32, u64)> {
        if let Some(old) = self.handle.borrow_mut().take() {
            old.terminate();
        }
        self.spawn();
        let before: Vec<Load> = {
            let mut history = self.history.borrow_mut();
            history.pop();
            history.clone()
        };
        if before.is_empty() {
            return None;
        }
        let files: Vec<PickedFile> = before
            .iter()
            .flat_map(|l| match l {
                Load::Files(f) => f.clone(),
                Load::Sample => Vec::new(),
            })
            .collect();
        let sample = matches!(before.first(), Some(Load::Sample));
        let bytes = files.iter().map(|f| f.size).sum();
        self.with(|h| {
            if sample {
                h.send(&Request::Sample(options.clone()));
            }
            if !files.is_empty() {
                h.send(&Request::Begin {
                    files: files.len() as u32,
                    bytes,
                    replace: !sample,
                });
                for f in &files {
                    h.send_file(f);
                }
                h.send(&Request::Finish(options));
            }
        });
        Some((files.len() as u32, bytes))
    }
}

/// Starts the worker with the component and keeps it for its lifetime.
#[hook]
pub fn use_worker(dispatch: UseReducerDispatcher<AppState>) -> WorkerLink {
    let link = use_memo((), move |_| WorkerLink {
        handle: Rc::new(RefCell::new(None)),
        dead: Rc::new(Cell::new(false)),
        dispatch,
        history: Rc::default(),
    });
    (*link).clone()
}

/// What the app's own views (Data, Settings) need besides the analysis.
#[derive(Clone, PartialEq)]
pub struct AppContext {
    /// The whole state.
    pub state: Rc<AppState>,
    /// Dispatches actions.
    pub dispatch: Callback<Action>,
}

/// The app context (None outside the app).
#[hook]
pub fn use_app() -> Option<AppContext> {
    use_context::<AppContext>()
}
