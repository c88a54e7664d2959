//! End-to-end test support: the project's AWS API emulator (`scripts/emulator`: moto in server
//! mode with the fidelity fixes of `emulator/fidelity.py` and a Cloud Control endpoint) on a free
//! loopback port.
//!
//! Include it from a test target with `mod support;` (end-to-end tests under `tests/`) or with a
//! path (`#[path = "../../../tests/support/mod.rs"] mod support;` from `crates/*/tests/`). It
//! uses only the standard library, so any test target can include it.
//!
//! ```ignore
//! let emu = support::Emulator::start();          // or Emulator::shared() for one per process
//! let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_infra"));
//! emu.configure(&mut cmd);                         // AWS_ENDPOINT_URL, test credentials, ...
//! ```
//!
//! It runs from `.venv` at the repo root, which `scripts/setup-emulator` creates. When that is
//! missing or the emulator does not start, the test fails with a message that says how to fix
//! it; a test that needs the emulator never skips silently (under `CI=true` nor elsewhere).
//!
//! Only loopback addresses are ever used: the emulator listens on 127.0.0.1 and the HTTP helper
//! refuses any other address.

#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long the emulator may take to answer after it was started.
pub const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The region the emulator's environment selects.
pub const REGION: &str = "us-east-1";

/// moto's default account id.
pub const ACCOUNT_ID: &str = "123456789012";

/// A running moto server on `127.0.0.1`; stopped when dropped.
#[derive(Debug)]
pub struct Emulator {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// The port it listens on.
    pub port: u16,
    child: Child,
    /// Held open: the server exits when it closes (`--exit-with-stdin`).
    _stdin: Option<ChildStdin>,
    log: PathBuf,
}

impl Emulator {
    /// Starts a fresh emulator on a free loopback port and waits until it answers.
    ///
    /// Panics, saying how to fix it, when the emulator is not installed or does not start.
    pub fn start() -> Emulator {
        let server = moto_server();
        let mut last_failure = String::new();
        // A port found free can be taken before the server binds it: try a few.
        for _ in 0..3 {
            match try_start() {
                Ok(emulator) => return emulator,
                Err(failure) => last_failure = failure,
            }
        }
        fail(&format!(
            "the emulator (scripts/emulator, from {}) did not start: {last_failure}",
            server.display()
        ))
    }

    /// One emulator for the whole test process, started on first use. Tests sharing it must not
    /// depend on its being empty (use distinct names) and must not [`reset`](Self::reset) it.
    pub fn shared() -> &'static Emulator {
        static SHARED: OnceLock<Emulator> = OnceLock::new();
        SHARED.get_or_init(Emulator::start)
    }

    /// The loopback address it listens on.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// The environment that points an AWS client (the `infra` binary) at the emulator, with
    /// test credentials and the user's own AWS configuration shut out.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("AWS_ENDPOINT_URL", self.endpoint.as_str()),
            ("AWS_REGION", REGION),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// Sets [`env`](Self::env) on `cmd` and removes the AWS variables of the calling
    /// environment that would otherwise still apply (profile, session token, role, other
    /// endpoints, retry settings).
    pub fn configure<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        for (key, _) in std::env::vars_os() {
            if let Some(key) = key.to_str()
                && (AMBIENT_AWS_VARS.contains(&key) || key.starts_with("AWS_ENDPOINT_URL_"))
            {
                cmd.env_remove(key);
            }
        }
        cmd.envs(self.env())
    }

    /// Forgets everything the emulator holds (`POST /moto-api/reset`).
    pub fn reset(&self) {
        let response = self
            .request("POST", "/moto-api/reset", b"")
            .unwrap_or_else(|e| panic!("resetting the emulator at {}: {e}", self.endpoint));
        assert_eq!(
            response.status, 200,
            "resetting the emulator at {}: {}",
            self.endpoint, response.body
        );
    }

    /// One HTTP request to the emulator.
    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> io::Result<HttpResponse> {
        http(self.addr(), method, path, body)
    }

    /// What the emulator printed so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// The environment variables [`Emulator::configure`] removes.
const AMBIENT_AWS_VARS: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DEFAULT_REGION",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
];

fn try_start() -> Result<Emulator, String> {
    let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
    let log = std::env::temp_dir().join(format!("infra-moto-{}-{port}.log", std::process::id()));
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let log_err = log_file
        .try_clone()
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    // The project's emulator, started as scripts/demo and scripts/bench start it; it exits
    // when its standard input (held open by `_stdin`) closes, so it never outlives the test
    // process, even one that is killed.
    let script = repo_root().join("scripts/emulator");
    let mut child = Command::new(&script)
        .args(["--port", &port.to_string(), "--exit-with-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(log_file))
        .stderr(Stdio::from(log_err))
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    let stdin = child.stdin.take();
    let mut emulator = Emulator {
        endpoint: format!("http://127.0.0.1:{port}"),
        port,
        child,
        _stdin: stdin,
        log,
    };

    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(Some(status)) = emulator.child.try_wait() {
            return Err(format!(
                "it exited ({status}) before answering; its output:\n{}",
                emulator.log()
            ));
        }
        if let Ok(response) = emulator.request("GET", "/moto-api/", b"")
            && response.status == 200
        {
            return Ok(emulator);
        }
        if Instant::now() >= deadline {
            let output = emulator.log();
            let _ = emulator.child.kill();
            return Err(format!(
                "no answer on {} within {START_TIMEOUT:?}; its output:\n{output}",
                emulator.endpoint
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A port nobody listens on now, on 127.0.0.1.
pub fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// A loopback endpoint where nothing listens, for "unreachable endpoint" tests.
pub fn closed_endpoint() -> String {
    let port = free_port().unwrap_or_else(|e| panic!("no free loopback port: {e}"));
    format!("http://127.0.0.1:{port}")
}

/// The repository root: the nearest ancestor of this crate's manifest directory that holds
/// `scripts/setup-emulator` (`crates/<crate>/../..` for every crate of the workspace).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("scripts/setup-emulator").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.join("../.."))
}

/// Where the emulator's `moto_server` is installed: `.venv/bin/moto_server` at the repo root
/// (`$INFRA_MOTO_SERVER` names another place to check).
/// Panics with the fix when it is not there.
pub fn moto_server() -> PathBuf {
    let path = match std::env::var_os("INFRA_MOTO_SERVER") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join(".venv/bin/moto_server"),
    };
    if !path.is_file() {
        fail(&format!("moto_server not found at {}", path.display()));
    }
    path
}

/// Fails the test: tests that need the emulator never skip.
fn fail(problem: &str) -> ! {
    let setup = repo_root().join("scripts/setup-emulator");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{problem}\nCI must install the AWS API emulator before the tests: run {}",
            setup.display()
        );
    }
    panic!(
        "{problem}\nThis test needs the AWS API emulator (moto server). Install it with:\n    {}\n\
         (it creates .venv at the repo root from requirements-emulator.txt), then run the tests again.",
        setup.display()
    );
}

/// An HTTP response: status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Body, as text.
    pub body: String,
}

/// A minimal HTTP/1.0 client for loopback addresses only: sends one request and reads the
/// response to the end.
pub fn http(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> io::Result<HttpResponse> {
    assert!(
        addr.ip().is_loopback(),
        "the test HTTP helper only talks to loopback addresses, not {addr}"
    );
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500))?;
    // Generous: on a loaded machine (many tests, each with its own emulator, on two cores)
    // an answer can take several seconds; a timeout here is a test failure, not a finding.
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\n\
         Content-Type: application/json\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an HTTP response"))?;
    Ok(HttpResponse {
        status,
        body: body.to_owned(),
    })
}
