//! Headless Chromium for the browser tests: Debian's `chromium` driven over
//! WebDriver by its `chromedriver`, which each test starts on a free loopback
//! port and stops when done (the browser too). Nothing is ever downloaded:
//! when either program is missing, [`Browser::start`] prints
//! `skipped: chromium not installed` and the test returns. Also builds the
//! bundled site into a temporary folder with the real binary.
//!
//! The calls are blocking: each one runs fantoccini's future to completion on
//! the browser's own single-threaded runtime, so tests read top to bottom.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tempfile::TempDir;

#[path = "../support/validators.rs"]
pub mod validators;

/// The repository root, which is also the bundled site.
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Where screenshots go: `test-artifacts/screenshots/` (gitignored).
pub fn screenshot_dir() -> PathBuf {
    Path::new(REPO).join("test-artifacts/screenshots")
}

/// The viewport a browser starts with.
#[derive(Clone, Copy)]
pub enum Viewport {
    /// A 1280 × 900 desktop window.
    Desktop,
    /// A 375 px wide phone (Chromium's mobile emulation: touch, a mobile
    /// user agent and `<meta name="viewport">` honoured as on a phone).
    Phone,
}

/// How to start the browser.
#[derive(Clone, Copy)]
pub struct Options {
    pub viewport: Viewport,
    /// `false` blocks every script, as a user with JavaScript off would.
    pub javascript: bool,
}

impl Options {
    pub const DESKTOP: Options = Options {
        viewport: Viewport::Desktop,
        javascript: true,
    };
}

/// A browser session; the browser and its driver stop when dropped.
pub struct Browser {
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: TempDir,
}

/// One console message the browser logged.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub level: String,
    pub message: String,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, or returns `None`
    /// (printing why) if they are not installed.
    pub fn start(options: Options) -> Option<Browser> {
        let driver_bin = find_program(&["chromedriver"]);
        let chrome_bin = find_program(&["chromium", "chromium-browser", "google-chrome"]);
        let (Some(driver_bin), Some(chrome_bin)) = (driver_bin, chrome_bin) else {
            println!("skipped: chromium not installed");
            return None;
        };
        let port = free_port();
        let mut driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver_bin.display()));
        if !wait_for(Duration::from_secs(20), || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        }) {
            let _ = driver.kill();
            let _ = driver.wait();
            panic!("chromedriver did not listen on port {port} within 20 s");
        }
        let profile = tempfile::Builder::new()
            .prefix("partnersite-chromium-")
            .tempdir()
            .expect("create a browser profile folder");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let caps = capabilities(options, &chrome_bin, profile.path());
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(caps);
        let webdriver = format!("http://127.0.0.1:{port}");
        let client = match rt.block_on(builder.connect(&webdriver)) {
            Ok(client) => client,
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                panic!("cannot start a Chromium session through chromedriver: {e}");
            }
        };
        let browser = Browser {
            rt,
            client: Some(client),
            driver,
            _profile: profile,
        };
        let timeouts = fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(10)),
            Some(Duration::from_secs(30)),
            Some(Duration::ZERO),
        );
        browser.block(browser.client().update_timeouts(timeouts));
        Some(browser)
    }

    /// The WebDriver client, for calls these helpers do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }

    /// Runs a fantoccini call to completion, panicking with its error.
    pub fn block<T, E: std::fmt::Display>(&self, call: impl Future<Output = Result<T, E>>) -> T {
        match self.rt.block_on(call) {
            Ok(value) => value,
            Err(e) => panic!("WebDriver call failed: {e}"),
        }
    }

    /// Opens `url` and waits for its `load` event.
    pub fn goto(&self, url: &str) {
        self.block(self.client().goto(url));
    }

    /// Runs `script` (a function body: `return …`) in the page.
    pub fn eval(&self, script: &str) -> Value {
        self.eval_with(script, Vec::new())
    }

    /// Runs `script` with `arguments[0..]`.
    pub fn eval_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.block(self.client().execute(script, args))
    }

    /// Polls `script` until it returns `true`; panics with `what` after `limit`.
    pub fn wait_true(&self, what: &str, limit: Duration, script: &str) {
        let start = Instant::now();
        loop {
            if self.eval(script) == Value::Bool(true) {
                return;
            }
            if start.elapsed() > limit {
                panic!("timed out after {limit:?} waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks the first element that `locator` finds.
    pub fn click(&self, locator: Locator<'_>) {
        let element = self.block(self.client().find(locator));
        self.block(element.click());
    }

    /// Types `text` into the first element that `locator` finds.
    pub fn type_into(&self, locator: Locator<'_>, text: &str) {
        let element = self.block(self.client().find(locator));
        self.block(element.send_keys(text));
    }

    /// Presses Tab once, as a keyboard user moving focus would.
    pub fn press_tab(&self) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let tab = '\u{E004}';
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab });
        self.block(self.client().perform_actions(keys));
    }

    /// Resizes the window (in CSS pixels, on a desktop viewport).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.block(self.client().set_window_size(width, height));
    }

    /// A PNG of the viewport.
    pub fn screenshot_png(&self) -> Vec<u8> {
        self.block(self.client().screenshot())
    }

    /// Saves a PNG of the viewport to `test-artifacts/screenshots/<name>.png`
    /// and returns its path.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.screenshot_png();
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("create test-artifacts/screenshots");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// The console messages logged since the last call (chromedriver keeps
    /// them because of the `goog:loggingPrefs` capability).
    pub fn take_logs(&self) -> Vec<LogEntry> {
        let value = self.block(self.client().issue_cmd(BrowserLog));
        value
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| LogEntry {
                        level: e["level"].as_str().unwrap_or("").to_string(),
                        message: e["message"].as_str().unwrap_or("").to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Emulates `prefers-color-scheme: <scheme>` (`light` or `dark`) on
    /// screen media, for this and the next pages.
    pub fn color_scheme(&self, scheme: &str) {
        self.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "media": "", "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// Runs axe-core (the pinned copy of `tests/validators/`) on the page as
    /// it is now, with its default rules, and returns its violations.
    pub fn axe(&self) -> Vec<AxeViolation> {
        let loaded = self.eval_with(
            "if (!window.axe) { (0, eval)(arguments[0]); } return typeof window.axe;",
            vec![json!(axe_source())],
        );
        assert_eq!(loaded, json!("object"), "axe-core did not load in the page");
        let result = self.block(self.client().execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
                .then(r => done({ violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact || '', help: v.help,
                    nodes: v.nodes.map(n => ({ target: n.target.map(String).join(' '),
                                               html: n.html, summary: n.failureSummary || '' })) })) }))
                .catch(e => done({ error: String(e) }));",
            Vec::new(),
        ));
        if let Some(error) = result.get("error") {
            panic!("axe-core failed: {error}");
        }
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        result["violations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| AxeViolation {
                id: text(&v["id"]),
                impact: text(&v["impact"]),
                help: text(&v["help"]),
                nodes: v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| (text(&n["target"]), text(&n["html"]), text(&n["summary"])))
                    .collect(),
            })
            .collect()
    }

    /// Prints the page to PDF (Chrome's DevTools `Page.printToPDF`, as its
    /// "Save as PDF" does) on paper of `width` × `height` inches, with the
    /// browser's defaults otherwise: background graphics off (only what the
    /// CSS keeps with `print-color-adjust: exact` gets its colours), the
    /// page's own `@page` margins. Returns the PDF.
    pub fn print_to_pdf(&self, width: f64, height: f64) -> Vec<u8> {
        let reply = self.devtools(
            "Page.printToPDF",
            json!({ "paperWidth": width, "paperHeight": height, "printBackground": false,
                    "preferCSSPageSize": false }),
        );
        let data = reply["data"].as_str().expect("printToPDF returns data");
        decode_base64(data)
    }

    /// Sends one Chrome DevTools command (e.g. media emulation).
    pub fn devtools(&self, cmd: &str, params: Value) -> Value {
        self.block(self.client().issue_cmd(DevTools {
            cmd: cmd.to_string(),
            params,
        }))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            // Closing the session quits Chromium; bounded, so that a hung
            // browser cannot hang the test run.
            let close =
                async { tokio::time::timeout(Duration::from_secs(10), client.close()).await };
            let _ = self.rt.block_on(close);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The session's capabilities: headless Chromium as root, no network of its
/// own, a fresh profile, console logs kept.
fn capabilities(options: Options, chrome: &Path, profile: &Path) -> Capabilities {
    let mut args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-extensions".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut chrome_options = json!({ "binary": chrome.display().to_string() });
    if let Viewport::Phone = options.viewport {
        args.retain(|a| !a.starts_with("--window-size"));
        args.push("--window-size=375,812".into());
        chrome_options["mobileEmulation"] = json!({
            "deviceMetrics": { "width": 375, "height": 812, "pixelRatio": 2.0, "mobile": true, "touch": true }
        });
    }
    if !options.javascript {
        chrome_options["prefs"] =
            json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    chrome_options["args"] = json!(args);
    let caps = json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "goog:chromeOptions": chrome_options,
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}

/// One rule axe-core found broken, with the elements that break it.
#[derive(Debug, Clone)]
pub struct AxeViolation {
    pub id: String,
    pub impact: String,
    pub help: String,
    /// (CSS selector, the element's HTML, axe's summary of what fails)
    pub nodes: Vec<(String, String, String)>,
}

impl std::fmt::Display for AxeViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} ({}): {}", self.id, self.impact, self.help)?;
        for (target, html, summary) in &self.nodes {
            let html: String = html.chars().take(160).collect();
            let summary = summary.replace('\n', " ");
            writeln!(f, "    {target}\n      {html}\n      {summary}")?;
        }
        Ok(())
    }
}

/// The version of axe-core the page has loaded (after [`Browser::axe`]).
pub fn axe_version(browser: &Browser) -> String {
    let v = browser.eval("return window.axe ? axe.version : 'not loaded';");
    v.as_str().unwrap_or("?").to_string()
}

/// axe-core's browser build, read once.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = validators::installed("axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

/// Standard base64 (as DevTools returns binary data) to bytes.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// chromedriver's endpoint for the browser's console log (not in W3C
/// WebDriver; Selenium's clients use the same one).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// chromedriver's pass-through to a Chrome DevTools Protocol command.
#[derive(Debug)]
struct DevTools {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The first of `names` found on `PATH`.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Polls `ready` every 50 ms until it holds or `limit` passes.
pub fn wait_for(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if ready() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The bundled site built into a temporary folder.
pub struct BuiltSite {
    dir: TempDir,
}

impl BuiltSite {
    /// Runs `partnersite build --root <repo> --out <temp>/out <extra>`.
    pub fn build(extra: &[&str]) -> BuiltSite {
        let dir = tempfile::Builder::new()
            .prefix("partnersite-browser-")
            .tempdir()
            .expect("create a temporary folder");
        let out = dir.path().join("out");
        let run = Command::new(env!("CARGO_BIN_EXE_partnersite"))
            .args(["build", "--root", REPO, "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .expect("run partnersite build");
        assert!(
            run.status.success(),
            "partnersite build {extra:?} failed:\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        BuiltSite { dir }
    }

    /// The output folder.
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
}
