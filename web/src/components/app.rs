//! The root component: state, worker, layout.

use yew::prelude::*;

use crate::bridge::PickedFile;
use crate::components::banners::Banners;
use crate::components::drop_zone::DropZone;
use crate::components::header::Header;
use crate::components::nav::Nav;
use crate::components::progress::Progress;
use crate::components::welcome::Welcome;
use crate::hooks::{
    current_hash, load_settings, use_hash_route, use_persist_settings, use_service_worker,
    use_worker, AppContext,
};
use crate::protocol::Request;
use crate::route::Route;
use crate::state::{refuse_reason, Action, AppState, FileError, Status};
use crate::views::{self, ViewProps};

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(load_settings(), &current_hash()));
    let worker = use_worker(state.dispatcher());
    use_hash_route(state.dispatcher());
    use_persist_settings(&state.settings);
    use_service_worker();
    {
        let worker = worker.clone();
        use_effect_with((), move |_| worker.warm());
    }

    // Period, filters and saved settings re-analyse what is loaded.
    {
        let worker = worker.clone();
        let dispatch = state.dispatcher();
        let has_data = state.loaded.is_some();
        use_effect_with(state.settings.options.clone(), move |options| {
            if has_data {
                dispatch.dispatch(Action::Analysing);
                worker.send(Request::Analyze(options.clone()));
            }
        });
    }

    let dispatch = state.dispatcher();
    let on_files = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        let replace = state.loaded.is_none();
        let options = state.settings.options.clone();
        let loading = state.is_loading();
        Callback::from(move |files: Vec<PickedFile>| {
            if loading {
                return;
            }
            let mut accepted = Vec::new();
            for f in files {
                match refuse_reason(f.size) {
                    Some(message) => dispatch.dispatch(Action::FileFailed(FileError {
                        name: f.name.clone(),
                        message,
                    })),
                    None => accepted.push(f),
                }
            }
            if accepted.is_empty() {
                return;
            }
            dispatch.dispatch(Action::LoadStarted {
                files: accepted.len() as u32,
                bytes: accepted.iter().map(|f| f.size).sum(),
            });
            worker.load(&accepted, replace, options.clone());
        })
    };
    let on_unreadable = {
        let dispatch = dispatch.clone();
        Callback::from(move |(name, message): (String, String)| {
            dispatch.dispatch(Action::FileFailed(FileError { name, message }))
        })
    };
    let on_sample = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        let options = state.settings.options.clone();
        Callback::from(move |()| {
            dispatch.dispatch(Action::LoadStarted { files: 0, bytes: 0 });
            worker.send(Request::Sample(options.clone()));
        })
    };
    let on_cancel = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        let options = state.settings.options.clone();
        Callback::from(move |()| {
            let reload = worker.cancel(options.clone());
            dispatch.dispatch(Action::Cancelled(reload));
        })
    };
    let on_clear = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        Callback::from(move |()| {
            worker.send(Request::Clear);
            dispatch.dispatch(Action::Cleared);
        })
    };
    let act = |f: fn(Option<String>) -> Action| {
        let dispatch = dispatch.clone();
        Callback::from(move |v: Option<String>| dispatch.dispatch(f(v)))
    };
    let on_period = {
        let dispatch = dispatch.clone();
        Callback::from(move |d| dispatch.dispatch(Action::SetPeriod(d)))
    };
    let on_theme = {
        let dispatch = dispatch.clone();
        Callback::from(move |t| dispatch.dispatch(Action::SetTheme(t)))
    };
    let on_dismiss = {
        let dispatch = dispatch.clone();
        Callback::from(move |()| dispatch.dispatch(Action::Dismiss))
    };

    let on_request = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        Callback::from(move |req: Request| {
            if let Request::Failures { error_type, .. } = &req {
                dispatch.dispatch(Action::AskFailures(error_type.clone()));
            }
            worker.send(req);
        })
    };
    let app_ctx = AppContext {
        state: (*state).clone().into(),
        dispatch: {
            let dispatch = dispatch.clone();
            Callback::from(move |a| dispatch.dispatch(a))
        },
    };

    let error = match &state.status {
        Status::Error(e) => Some(e.clone()),
        _ => None,
    };
    let main = match (&state.status, &state.loaded) {
        (Status::Loading(p), _) => html! { <Progress progress={p.clone()} {on_cancel} /> },
        (_, Some(loaded)) => views::render(
            state.route,
            view_props(&state, loaded.clone(), on_request, on_period.clone()),
        ),
        (_, None) if state.route == Route::Settings => {
            html! { <views::settings::SettingsView /> }
        }
        (_, None) => html! { <Welcome on_sample={on_sample} on_files={on_files.clone()} /> },
    };

    html! {
        <ContextProvider<AppContext> context={app_ctx}>
            <DropZone on_files={on_files.clone()} {on_unreadable}>
                <div class="app" id="app">
                    <a class="skip" href="#main" onclick={Callback::from(|e: MouseEvent| {
                        e.prevent_default();
                        if let Some(m) = gloo_main() { let _ = m.focus(); }
                    })}>{ "Skip to content" }</a>
                    <Header settings={state.settings.clone()}
                            choices={state.loaded.as_ref().map(|l| l.choices.clone())}
                            busy={state.analysing}
                            {on_period}
                            on_agent={act(Action::SetAgent)}
                            on_model={act(Action::SetModel)}
                            {on_theme}
                            on_files={on_files}
                            {on_clear} />
                    <div class="body">
                        <Nav route={state.route} />
                        <main id="main" class="main" tabindex="-1">
                            <Banners {error} notice={state.notice.clone()}
                                     file_errors={state.file_errors.clone()} {on_dismiss} />
                            { main }
                        </main>
                    </div>
                </div>
            </DropZone>
        </ContextProvider<AppContext>>
    }
}

/// The props of the current view.
fn view_props(
    state: &AppState,
    loaded: std::rc::Rc<crate::protocol::Loaded>,
    on_request: Callback<Request>,
    on_period: Callback<Option<u32>>,
) -> ViewProps {
    ViewProps {
        loaded,
        arg: state.arg.clone(),
        timeline: state.timeline.clone(),
        failures: state.failures.clone(),
        on_request,
        on_period,
    }
}

/// The main element, for the skip link.
fn gloo_main() -> Option<web_sys::HtmlElement> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        gloo::utils::document()
            .get_element_by_id("main")
            .and_then(|e| e.dyn_into().ok())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}
