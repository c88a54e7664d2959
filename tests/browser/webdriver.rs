//! A WebDriver client for chromedriver: starts the driver on a free loopback port, opens one
//! headless Chromium session that can resolve no host name, and offers the commands the page
//! tests use (navigate, execute script, find, click, send keys, displayed, screenshot, the
//! DevTools performance log). Dropping the [`Browser`] ends the session and kills the driver.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http;

/// How long chromedriver may take to answer `/status`, and a session to start.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one command may take (a navigation waits for the page's load event).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// The key WebDriver uses for an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The arguments Chromium runs with: headless, no sandbox (containers), no first-run work, no
/// background traffic of its own, and every host name unresolvable, so a page that tried to
/// load anything from the network could not.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--host-resolver-rules=MAP * ~NOTFOUND",
];

/// A WebDriver element reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(pub String);

impl Element {
    /// The element as a script argument.
    pub fn arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// A WebDriver command that failed: its HTTP status and WebDriver error.
#[derive(Debug, Clone)]
pub struct CommandError {
    /// `METHOD PATH`.
    pub command: String,
    /// HTTP status.
    pub status: u16,
    /// WebDriver error code and message (or the raw body).
    pub error: String,
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} -> {}: {}", self.command, self.status, self.error)
    }
}

/// chromedriver and one headless Chromium session.
#[derive(Debug)]
pub struct Browser {
    addr: SocketAddr,
    session: String,
    driver: Child,
    driver_log: PathBuf,
    /// The session's fresh profile directory, removed on drop.
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts `chromedriver` on a free loopback port and a session of `chromium` with
    /// [`CHROMIUM_ARGS`], a fresh profile and the performance log enabled. Panics, with the
    /// driver's output, when either does not start.
    pub fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("a temp dir for the browser profile");
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let driver_log = std::env::temp_dir().join(format!(
            "infra-chromedriver-{}-{port}.log",
            std::process::id()
        ));
        let log = std::fs::File::create(&driver_log).expect("chromedriver log file");
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().expect("log file handle")))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromedriver.display()));
        let mut browser = Browser {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            session: String::new(),
            driver,
            driver_log,
            profile,
        };
        browser.wait_until_ready();

        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!(
            "--user-data-dir={}",
            browser.profile.path().display()
        ));
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": { "binary": chromium, "args": args },
                "goog:loggingPrefs": { "performance": "ALL" },
                "timeouts": { "script": 30_000, "pageLoad": 60_000 },
            }}
        });
        let created = browser
            .call("POST", "/session", &capabilities)
            .unwrap_or_else(|e| panic!("no browser session: {e}\n{}", browser.driver_output()));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {created}"))
            .to_owned();
        browser
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!(
                    "chromedriver exited ({status}) before answering:\n{}",
                    self.driver_output()
                );
            }
            if let Ok(status) = self.call("GET", "/status", &Value::Null)
                && status["ready"] == true
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver on {} not ready within {START_TIMEOUT:?}:\n{}",
                self.addr,
                self.driver_output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What chromedriver printed so far (for failure messages).
    pub fn driver_output(&self) -> String {
        std::fs::read_to_string(&self.driver_log).unwrap_or_default()
    }

    /// One WebDriver command; returns its `value`. `body` `Null` sends no body.
    pub fn call(&self, method: &str, path: &str, body: &Value) -> Result<Value, CommandError> {
        let command = format!("{method} {path}");
        let payload = if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(body).expect("JSON body")
        };
        let response =
            http::request(self.addr, method, path, &payload, COMMAND_TIMEOUT).map_err(|e| {
                CommandError {
                    command: command.clone(),
                    status: 0,
                    error: e.to_string(),
                }
            })?;
        let parsed: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        if response.status != 200 {
            let value = &parsed["value"];
            let error = match (value["error"].as_str(), value["message"].as_str()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                _ => String::from_utf8_lossy(&response.body).into_owned(),
            };
            return Err(CommandError {
                command,
                status: response.status,
                error,
            });
        }
        Ok(parsed["value"].clone())
    }

    /// A command on this session (`path` after `/session/{id}`); panics when it fails.
    pub fn session_call(&self, method: &str, path: &str, body: &Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
            .unwrap_or_else(|e| panic!("WebDriver {e}"))
    }

    /// Navigates to `url` and waits for its load event.
    pub fn navigate(&self, url: &str) {
        self.session_call("POST", "/url", &json!({ "url": url }));
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) in the page; returns what it
    /// returns.
    pub fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            &json!({ "script": script, "args": args }),
        )
    }

    /// Polls `condition` (a script that returns a boolean) until it is true; panics after
    /// `timeout`.
    pub fn wait_for(&self, condition: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.execute(condition, &[]) != Value::Bool(true) {
            assert!(
                Instant::now() < deadline,
                "still false after {timeout:?}: {condition}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Every element matching the CSS `selector`, in document order.
    pub fn find_all(&self, selector: &str) -> Vec<Element> {
        let found = self.session_call(
            "POST",
            "/elements",
            &json!({ "using": "css selector", "value": selector }),
        );
        found
            .as_array()
            .unwrap_or_else(|| panic!("elements of {selector}: {found}"))
            .iter()
            .map(|e| {
                Element(
                    e[ELEMENT_KEY]
                        .as_str()
                        .unwrap_or_else(|| panic!("not an element reference: {e}"))
                        .to_owned(),
                )
            })
            .collect()
    }

    /// The one element matching `selector`; panics unless exactly one does.
    pub fn find(&self, selector: &str) -> Element {
        let mut all = self.find_all(selector);
        assert_eq!(all.len(), 1, "exactly one element matches {selector}");
        all.remove(0)
    }

    /// WebDriver "element click": scrolls the element into view and clicks its centre.
    pub fn click(&self, element: &Element) {
        self.session_call("POST", &format!("/element/{}/click", element.0), &json!({}));
    }

    /// WebDriver "element send keys": focuses the element and types `text`, key by key.
    pub fn send_keys(&self, element: &Element, text: &str) {
        self.session_call(
            "POST",
            &format!("/element/{}/value", element.0),
            &json!({ "text": text }),
        );
    }

    /// WebDriver "element clear".
    pub fn clear(&self, element: &Element) {
        self.session_call("POST", &format!("/element/{}/clear", element.0), &json!({}));
    }

    /// WebDriver "is element displayed".
    pub fn is_displayed(&self, element: &Element) -> bool {
        self.session_call(
            "GET",
            &format!("/element/{}/displayed", element.0),
            &Value::Null,
        ) == Value::Bool(true)
    }

    /// A screenshot of the viewport, as PNG bytes.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.session_call("GET", "/screenshot", &Value::Null);
        let encoded = encoded
            .as_str()
            .unwrap_or_else(|| panic!("screenshot is not a string: {encoded}"));
        super::base64_decode(encoded).expect("screenshot is base64")
    }

    /// The DevTools events logged since the last call (the log is drained), each the
    /// `message` object: `{"method": "Network.requestWillBeSent", "params": {...}}`.
    pub fn performance_log(&self) -> Vec<Value> {
        let entries = self.session_call("POST", "/se/log", &json!({ "type": "performance" }));
        entries
            .as_array()
            .unwrap_or_else(|| panic!("performance log: {entries}"))
            .iter()
            .filter_map(|entry| entry["message"].as_str())
            .filter_map(|text| serde_json::from_str::<Value>(text).ok())
            .map(|mut outer| outer["message"].take())
            .collect()
    }

    /// Runs a DevTools protocol command through chromedriver.
    pub fn cdp(&self, command: &str, params: &Value) -> Value {
        self.session_call(
            "POST",
            "/goog/cdp/execute",
            &json!({ "cmd": command, "params": params }),
        )
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Ends Chromium; chromedriver would leave it running if only the driver died.
            let _ = self.call(
                "DELETE",
                &format!("/session/{}", self.session),
                &Value::Null,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_file(&self.driver_log);
    }
}
