//! Real-browser test support: headless Chromium driven through chromedriver over WebDriver, on
//! loopback only, with no crate beyond the standard library, `serde_json` and `tempfile`.
//!
//! Include it from a test target with `#[path = "browser/mod.rs"] mod browser;`.
//!
//! ```ignore
//! let Some((chromium, driver)) = browser::locate() else { return };
//! let b = browser::Browser::start(&chromium, &driver);
//! b.navigate(&browser::file_url(&page));
//! ```
//!
//! - [`http`]: the HTTP/1.1 client (loopback only);
//! - [`webdriver`]: the driver process, the session and its commands;
//! - [`plan_page`]: what the `infra plan --html` page promises (its DOM contract) and the
//!   checks the page tests share.
//!
//! The browser is Debian's `chromium` and `chromium-driver`, which `scripts/setup-browser`
//! installs; nothing downloads a browser at run time. `INFRA_CHROMIUM` and
//! `INFRA_CHROMEDRIVER` override where they are looked for.

#![allow(dead_code)]

pub mod http;
pub mod plan_page;
pub mod webdriver;

use std::path::{Path, PathBuf};

pub use webdriver::Browser;

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Where Debian's `chromium-driver` package puts chromedriver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The browser and its driver: `Some((chromium, chromedriver))` when both are installed.
///
/// When one is missing: under `CI=true` the test fails, saying how to install them (CI must run
/// `scripts/setup-browser` first); elsewhere it prints the same advice and returns `None`, and
/// the caller returns early.
#[allow(clippy::print_stderr)] // the reason a test returns early, in its captured output
pub fn locate() -> Option<(PathBuf, PathBuf)> {
    let chromium = from_env("INFRA_CHROMIUM", CHROMIUM);
    let driver = from_env("INFRA_CHROMEDRIVER", CHROMEDRIVER);
    let missing: Vec<String> = [&chromium, &driver]
        .into_iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Some((chromium, driver));
    }
    let setup = repo_root().join("scripts/setup-browser");
    let problem = format!("not installed: {}", missing.join(", "));
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{problem}\nCI must install the browser before the tests: run {}",
            setup.display()
        );
    }
    eprintln!(
        "SKIPPED: {problem}\nThis test drives headless Chromium. Install it (Debian's chromium and \
         chromium-driver) with:\n    {}\nthen run the tests again.",
        setup.display()
    );
    None
}

fn from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// The repository root: the nearest ancestor of this crate's manifest directory that holds
/// `scripts/setup-browser`.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("scripts/setup-browser").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.join("../.."))
}

/// The `file://` URL of an absolute path (bytes outside the unreserved set percent-encoded).
pub fn file_url(path: &Path) -> String {
    assert!(path.is_absolute(), "{} is not absolute", path.display());
    let mut url = String::from("file://");
    for byte in path.to_str().expect("UTF-8 path").bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// Standard base64 (RFC 4648, with padding; whitespace ignored) to bytes.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    let mut padding = 0;
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (padding <= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_what_browsers_send() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(
            base64_decode("iVBORw0KGgo=").as_deref(),
            Some(&b"\x89PNG\r\n\x1a\n"[..])
        );
        assert_eq!(base64_decode("a$b="), None);
        assert_eq!(base64_decode("aG=k"), None);
    }

    #[test]
    fn file_urls_escape_what_urls_cannot_hold() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/plan#1.html")),
            "file:///tmp/a%20b/plan%231.html"
        );
    }
}
