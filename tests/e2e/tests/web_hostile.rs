//! Names that look like markup or script render as text in every view: no
//! element from the file reaches the page and nothing runs.

mod web_support;

use baton_e2e::{fixture, App};
use baton_web::route::Route;
use serde_json::json;
use web_support::*;

const FILE_NAME: &str = "hostile <img src=x onerror=alert(4)>.json";

/// Records calls to alert, confirm and prompt instead of opening dialogs.
const RECORD_DIALOGS: &str = "window.__dialogs = window.__dialogs || []; \
    for (const f of ['alert', 'confirm', 'prompt']) \
      window[f] = (...a) => { window.__dialogs.push(f + ':' + a.join(',')); };";

#[test]
fn hostile_names_render_as_text() {
    let Some(app) = App::start("web_hostile") else {
        return;
    };
    open_fresh(&app);
    app.eval(RECORD_DIALOGS);
    let bytes = std::fs::read(fixture("hostile-web/hostile.json")).unwrap();
    app.drop_files(".drop-zone", &[(FILE_NAME, &bytes)]);
    app.wait_for("[data-view=overview]");
    wait_idle(&app);

    // Markup from the file would show as elements with these attributes or tags.
    let injected = "img[src=x], img[onerror], svg[onload], main script, main b, main i";
    for route in Route::ALL {
        go(&app, route.slug());
        assert_eq!(
            app.count(injected),
            0,
            "markup from the file in {}",
            route.slug()
        );
        // An uncaught error or a dialog would show here.
        app.assert_no_console_errors();
    }

    // The names are there, as text.
    go(&app, "agents");
    assert!(
        app.text("main")
            .contains("agent <img src=x onerror=alert(1)>"),
        "the agent's name is not shown as text"
    );
    go(&app, "data");
    assert!(app.text("main").contains(FILE_NAME));
    go(&app, "failures");
    assert!(app
        .text("main")
        .contains("err <img src=x onerror=alert(1)>"));
    app.screenshot("web_hostile_failures");

    // The filters list the names as options' text.
    let options = app.eval(
        "return [...document.querySelectorAll('#agent option, #model option')].map(o => o.textContent)",
    );
    let options: Vec<&str> = options
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o.as_str())
        .collect();
    assert!(
        options.contains(&"agent <img src=x onerror=alert(1)>"),
        "{options:?}"
    );
    assert!(
        options.contains(&"model <script>alert(2)</script>"),
        "{options:?}"
    );

    assert_eq!(app.eval("return window.__dialogs"), json!([]));
    assert_eq!(app.count("img"), 0, "an image element appeared");
}
