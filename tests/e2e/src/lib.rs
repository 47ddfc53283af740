//! End-to-end test harness: serves the built app (`dist/`) from a loopback port and
//! drives it in headless Chromium through `/usr/bin/chromedriver`.
//!
//! ```no_run
//! use baton_e2e::App;
//!
//! #[test]
//! fn shows_the_title() {
//!     let Some(app) = App::start("shows_the_title") else { return }; // skipped
//!     app.open("");
//!     app.wait_for("#app");
//!     assert_eq!(app.title(), "Baton");
//! } // dropping `app` saves target/e2e-screenshots/shows_the_title.png and fails
//!   // the test if the browser logged any console error.
//! ```
//!
//! The API is synchronous (each call blocks until the browser answered) and panics
//! with a clear message on failure, so tests read as plain steps. Tests that use the
//! browser run one at a time (a process-wide lock is taken by [`App::start`]).
//!
//! Environment:
//! - `BATON_E2E_REQUIRED=1`: a missing `dist/` or chromedriver fails instead of skipping.
//! - `BATON_DIST`, `BATON_DIST_SUBPATH`: where the builds are (default `dist/` and
//!   `target/dist-subpath/` at the repository root).
//! - `CHROMEDRIVER` (default `/usr/bin/chromedriver`), `BATON_CHROME` (default
//!   `/usr/bin/chromium`).

pub mod server;

use std::cell::RefCell;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub use server::{Request, StaticServer};

/// How long [`App::wait_for`] and friends wait before failing.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

static BROWSER_LOCK: Mutex<()> = Mutex::new(());

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| manifest.join("../.."))
}

/// Cargo's target folder (`CARGO_TARGET_DIR` or `target/` at the root).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// The release build served at `/` (`trunk build --release`).
pub fn dist_dir() -> PathBuf {
    std::env::var_os("BATON_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist"))
}

/// The release build for the `/baton/` sub-path
/// (`trunk build --release --public-url /baton/ --dist target/dist-subpath`).
pub fn dist_subpath_dir() -> PathBuf {
    std::env::var_os("BATON_DIST_SUBPATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("dist-subpath"))
}

/// A fixture file of `tests/fixtures/` by its path below that folder.
pub fn fixture(path: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(path)
}

fn required() -> bool {
    std::env::var_os("BATON_E2E_REQUIRED").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The built app, served on a loopback port and open in headless Chromium.
///
/// Dropping it saves a screenshot of the final page to
/// `target/e2e-screenshots/<name>.png`, stops the browser and the server, and fails
/// the test if the browser logged a console error (see [`App::allow_console_error`]).
pub struct App {
    name: String,
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    server: StaticServer,
    profile: PathBuf,
    downloads: PathBuf,
    errors: RefCell<Vec<String>>,
    allowed: RefCell<Vec<String>>,
    timeout: Duration,
    _lock: MutexGuard<'static, ()>,
}

impl App {
    /// Serves `dist/` at `/` and starts the browser, or returns `None` (after saying
    /// why) when `dist/` or chromedriver is missing and `BATON_E2E_REQUIRED` is unset.
    /// `name` names the screenshot and the browser's folders; use the test's name.
    pub fn start(name: &str) -> Option<App> {
        Self::start_at(name, &dist_dir(), "/")
    }

    /// Like [`App::start`] but serves the build in `dist` under the URL `prefix`
    /// (e.g. `/baton/`).
    #[track_caller]
    pub fn start_at(name: &str, dist: &Path, prefix: &str) -> Option<App> {
        let driver_path = std::env::var_os("CHROMEDRIVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
        let chrome_path = std::env::var_os("BATON_CHROME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
        let missing = if !dist.join("index.html").is_file() {
            Some(format!(
                "{} has no index.html (run `trunk build --release`, or ./scripts/test.sh)",
                dist.display()
            ))
        } else if !driver_path.is_file() || !chrome_path.is_file() {
            Some(format!(
                "{} or {} is missing (apt-get install chromium chromium-driver)",
                driver_path.display(),
                chrome_path.display()
            ))
        } else {
            None
        };
        if let Some(why) = missing {
            if required() {
                panic!("end-to-end test `{name}` cannot run: {why}");
            }
            eprintln!("skipping end-to-end test `{name}`: {why} (set BATON_E2E_REQUIRED=1 to fail instead)");
            return None;
        }

        let lock = BROWSER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let server = StaticServer::start(dist, prefix)
            .unwrap_or_else(|e| panic!("cannot start the static server: {e}"));

        let scratch = target_dir().join("e2e-browser").join(name);
        let _ = std::fs::remove_dir_all(&scratch);
        let (profile, downloads) = (scratch.join("profile"), scratch.join("downloads"));
        std::fs::create_dir_all(&profile).expect("cannot create the browser profile folder");
        std::fs::create_dir_all(&downloads).expect("cannot create the downloads folder");

        let port = free_port();
        let mut driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_path.display()));
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                let _ = driver.kill();
                panic!("chromedriver did not listen on port {port}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("cannot build the async runtime");
        let caps = capabilities(&chrome_path, &profile, &downloads);
        let connected = rt.block_on(async {
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
        });
        let client = match connected {
            Ok(client) => client,
            Err(e) => {
                let _ = driver.kill();
                panic!("cannot open a Chromium session through chromedriver: {e}");
            }
        };
        Some(App {
            name: name.to_string(),
            rt,
            client: Some(client),
            driver,
            server,
            profile: scratch,
            downloads,
            errors: RefCell::new(Vec::new()),
            allowed: RefCell::new(Vec::new()),
            timeout: DEFAULT_TIMEOUT,
            _lock: lock,
        })
    }

    fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("browser session already closed")
    }

    fn run<T, E: std::fmt::Display>(
        &self,
        what: &str,
        fut: impl std::future::Future<Output = Result<T, E>>,
    ) -> T {
        match self.rt.block_on(fut) {
            Ok(value) => value,
            Err(e) => panic!("{what}: {e}"),
        }
    }

    /// Changes how long `wait_for` and friends wait (default [`DEFAULT_TIMEOUT`]).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The URL of the app's root, e.g. `http://127.0.0.1:41234/baton/`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Opens the app at `view`, relative to its root: `""` for the start page,
    /// `"#/dashboard"`, `"?demo"`, `"other.html"`. Waits for the page to load.
    #[track_caller]
    pub fn open(&self, view: &str) {
        let url = format!("{}{}", self.server.url(), view);
        self.run(&format!("open {url}"), self.client().goto(&url));
        self.wait_until(&format!("{url} to load"), || {
            self.eval("return document.readyState") == json!("complete")
        });
    }

    /// The page's title.
    pub fn title(&self) -> String {
        self.run("read the title", self.client().title())
    }

    /// Runs `js` as the body of a function in the page (use `return` for a value;
    /// `arguments` is empty) and returns its result as JSON.
    #[track_caller]
    pub fn eval(&self, js: &str) -> Value {
        self.eval_with(js, Vec::new())
    }

    /// Like [`App::eval`] with `arguments[0..]` set to `args`.
    #[track_caller]
    pub fn eval_with(&self, js: &str, args: Vec<Value>) -> Value {
        self.run(
            &format!("run script `{js}`"),
            self.client().execute(js, args),
        )
    }

    /// Whether an element matches the CSS `selector` now.
    pub fn exists(&self, selector: &str) -> bool {
        self.count(selector) > 0
    }

    /// How many elements match the CSS `selector` now.
    pub fn count(&self, selector: &str) -> usize {
        let n = self.eval_with(
            "return document.querySelectorAll(arguments[0]).length",
            vec![json!(selector)],
        );
        n.as_u64().unwrap_or(0) as usize
    }

    /// Waits until an element matches `selector` (fails after the timeout).
    #[track_caller]
    pub fn wait_for(&self, selector: &str) {
        self.wait_until(&format!("an element matching `{selector}`"), || {
            self.exists(selector)
        });
    }

    /// Waits until no element matches `selector` (fails after the timeout).
    #[track_caller]
    pub fn wait_gone(&self, selector: &str) {
        self.wait_until(&format!("no element matching `{selector}`"), || {
            !self.exists(selector)
        });
    }

    /// Waits until the text of the first element matching `selector` contains `text`.
    #[track_caller]
    pub fn wait_for_text(&self, selector: &str, text: &str) {
        self.wait_until(&format!("`{selector}` to contain {text:?}"), || {
            self.try_text(selector).is_some_and(|t| t.contains(text))
        });
    }

    /// Polls `ready` every 50 ms until it returns true; fails after the timeout
    /// saying it was waiting for `what`.
    #[track_caller]
    pub fn wait_until(&self, what: &str, mut ready: impl FnMut() -> bool) {
        let deadline = Instant::now() + self.timeout;
        while !ready() {
            if Instant::now() > deadline {
                panic!(
                    "timed out after {:?} waiting for {what} (console errors: {:?})",
                    self.timeout,
                    self.console_errors()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn try_text(&self, selector: &str) -> Option<String> {
        let text = self.eval_with(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null",
            vec![json!(selector)],
        );
        text.as_str().map(str::to_string)
    }

    /// The rendered text (`innerText`) of the first element matching `selector`;
    /// waits for it to exist.
    #[track_caller]
    pub fn text(&self, selector: &str) -> String {
        self.wait_for(selector);
        self.try_text(selector).unwrap_or_default()
    }

    /// The texts of every element matching `selector`, in document order.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let texts = self.eval_with(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)",
            vec![json!(selector)],
        );
        texts
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The value of attribute `name` of the first element matching `selector`.
    #[track_caller]
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.wait_for(selector);
        let value = self.eval_with(
            "return document.querySelector(arguments[0]).getAttribute(arguments[1])",
            vec![json!(selector), json!(name)],
        );
        value.as_str().map(str::to_string)
    }

    /// The outer HTML of the first element matching `selector`.
    #[track_caller]
    pub fn html(&self, selector: &str) -> String {
        self.wait_for(selector);
        let html = self.eval_with(
            "return document.querySelector(arguments[0]).outerHTML",
            vec![json!(selector)],
        );
        html.as_str().unwrap_or_default().to_string()
    }

    /// Clicks the first element matching `selector` (waits for it to exist).
    #[track_caller]
    pub fn click(&self, selector: &str) {
        self.wait_for(selector);
        let element = self.run(
            &format!("find `{selector}`"),
            self.client().find(Locator::Css(selector)),
        );
        self.run(&format!("click `{selector}`"), element.click());
    }

    /// Types `text` into the first element matching `selector`.
    #[track_caller]
    pub fn type_text(&self, selector: &str, text: &str) {
        self.wait_for(selector);
        let element = self.run(
            &format!("find `{selector}`"),
            self.client().find(Locator::Css(selector)),
        );
        self.run(&format!("type into `{selector}`"), element.send_keys(text));
    }

    /// Picks `paths` in the page's first `<input type=file>` as a user would.
    #[track_caller]
    pub fn upload(&self, paths: &[impl AsRef<Path>]) {
        self.upload_to("input[type=file]", paths);
    }

    /// Picks `paths` in the file input matching `selector`.
    #[track_caller]
    pub fn upload_to(&self, selector: &str, paths: &[impl AsRef<Path>]) {
        let absolute: Vec<String> = paths
            .iter()
            .map(|p| {
                let p = p.as_ref();
                p.canonicalize()
                    .unwrap_or_else(|e| panic!("cannot upload {}: {e}", p.display()))
                    .display()
                    .to_string()
            })
            .collect();
        self.wait_for(selector);
        let input = self.run(
            &format!("find `{selector}`"),
            self.client().find(Locator::Css(selector)),
        );
        self.run(
            &format!("upload {absolute:?}"),
            input.send_keys(&absolute.join("\n")),
        );
    }

    /// Drops files made of the given `(name, bytes)` on the first element matching
    /// `selector`, dispatching `dragenter`, `dragover` and `drop` with a
    /// `DataTransfer` as a browser does.
    #[track_caller]
    pub fn drop_files(&self, selector: &str, files: &[(&str, &[u8])]) {
        self.wait_for(selector);
        let files: Vec<Value> = files
            .iter()
            .map(|(name, bytes)| {
                json!({
                    "name": name,
                    "data": base64::engine::general_purpose::STANDARD.encode(bytes),
                })
            })
            .collect();
        self.eval_with(DROP_JS, vec![json!(selector), Value::Array(files)]);
    }

    /// A PNG of the visible page, also saved as `target/e2e-screenshots/<name>.png`.
    #[track_caller]
    pub fn screenshot(&self, name: &str) -> Vec<u8> {
        let png = self.run("take a screenshot", self.client().screenshot());
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).expect("cannot create target/e2e-screenshots");
        std::fs::write(dir.join(format!("{name}.png")), &png).expect("cannot save screenshot");
        png
    }

    /// Every console error and uncaught exception the browser logged so far
    /// (including Content-Security-Policy violations and failed loads), except
    /// those allowed with [`App::allow_console_error`].
    pub fn console_errors(&self) -> Vec<String> {
        if let Some(client) = &self.client {
            let entries = self
                .rt
                .block_on(client.issue_cmd(BrowserLog))
                .unwrap_or_else(|e| json!([format!("cannot read the browser log: {e}")]));
            let mut errors = self.errors.borrow_mut();
            for entry in entries.as_array().into_iter().flatten() {
                if let Some(text) = entry.as_str() {
                    errors.push(text.to_string());
                } else if entry["level"] == "SEVERE" {
                    errors.push(entry["message"].as_str().unwrap_or_default().to_string());
                }
            }
        }
        let allowed = self.allowed.borrow();
        self.errors
            .borrow()
            .iter()
            .filter(|e| !allowed.iter().any(|a| e.contains(a.as_str())))
            .cloned()
            .collect()
    }

    /// Lets console errors containing `text` pass (for tests that provoke them).
    pub fn allow_console_error(&self, text: &str) {
        self.allowed.borrow_mut().push(text.to_string());
    }

    /// Fails now if the browser logged a console error.
    #[track_caller]
    pub fn assert_no_console_errors(&self) {
        let errors = self.console_errors();
        assert!(errors.is_empty(), "browser console errors: {errors:#?}");
    }

    /// Every request the app's server answered so far (path and status), in order.
    /// Requests to any other origin never reach it: see [`App::resource_urls`].
    pub fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }

    /// The URLs of every resource the page loaded (Resource Timing), including
    /// any outside the app's origin.
    pub fn resource_urls(&self) -> Vec<String> {
        let urls = self.eval(
            "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]",
        );
        urls.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|u| u.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Takes the app's server off the network (`true`: every connection is closed
    /// unanswered) or back on, to check what the page does offline.
    pub fn set_server_offline(&self, offline: bool) {
        self.server.set_offline(offline);
    }

    /// The app's origin, e.g. `http://127.0.0.1:41234`.
    pub fn origin(&self) -> String {
        self.server.origin()
    }

    /// The folder the browser saves downloads to (empty at start).
    pub fn downloads_dir(&self) -> &Path {
        &self.downloads
    }

    /// Waits until a download named `file_name` is complete and returns its bytes.
    #[track_caller]
    pub fn wait_for_download(&self, file_name: &str) -> Vec<u8> {
        let path = self.downloads.join(file_name);
        let partial = self.downloads.join(format!("{file_name}.crdownload"));
        self.wait_until(&format!("the download {file_name}"), || {
            path.is_file() && !partial.exists()
        });
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Sends a Chrome DevTools Protocol command, e.g.
    /// `cdp("Network.emulateNetworkConditions", json!({"offline": true, ...}))`.
    #[track_caller]
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.run(
            &format!("send DevTools command {cmd}"),
            self.client().issue_cmd(Cdp {
                cmd: cmd.to_string(),
                params,
            }),
        )
    }

    /// The underlying WebDriver client and runtime, for anything not covered here.
    pub fn raw(&self) -> (&tokio::runtime::Runtime, &Client) {
        (&self.rt, self.client())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let mut errors = Vec::new();
        if self.client.is_some() {
            let dir = target_dir().join("e2e-screenshots");
            if std::fs::create_dir_all(&dir).is_ok() {
                if let Ok(png) = self.rt.block_on(self.client().screenshot()) {
                    let _ = std::fs::write(dir.join(format!("{}.png", self.name)), png);
                }
            }
            errors = self.console_errors();
        }
        if let Some(client) = self.client.take() {
            let _ = self.rt.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
        if !errors.is_empty() && !std::thread::panicking() {
            panic!("browser console errors in `{}`: {errors:#?}", self.name);
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

fn capabilities(chrome: &Path, profile: &Path, downloads: &Path) -> Capabilities {
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chrome.display().to_string(),
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--window-size=1280,800",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            },
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => Capabilities::new(),
    }
}

/// Builds `File`s from base64 and dispatches a drag-and-drop sequence.
const DROP_JS: &str = r#"
const [selector, files] = arguments;
const target = document.querySelector(selector);
if (!target) throw new Error('no element matches ' + selector);
const transfer = new DataTransfer();
for (const file of files) {
  const raw = atob(file.data);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  transfer.items.add(new File([bytes], file.name));
}
for (const type of ['dragenter', 'dragover', 'drop']) {
  target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
}
"#;

/// chromedriver's log endpoint: returns (and clears) the browser's console log.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// chromedriver's DevTools Protocol endpoint.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
