//! Where everything the CLI prints goes through: stdout for results, stderr for diagnostics
//! and errors, colour only on a terminal and never with `--no-color` / `NO_COLOR`. Once a
//! template is loaded its NoEcho values are known here ([`Output::add_secrets`]), and no text
//! printed after that holds one: each is replaced by `(sensitive value)`, whatever produced the
//! text (an AWS error message that echoes a value, a progress line, ...).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal as _;
use std::sync::{Mutex, PoisonError};

use crate::signals::Stop;

/// What a NoEcho value is printed as.
const SENSITIVE: &str = "(sensitive value)";

/// The CLI's printer.
#[derive(Debug)]
pub struct Output {
    color: bool,
    secrets: Mutex<Vec<String>>,
}

/// Text styles.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Error,
    Bold,
    Dim,
    Green,
}

impl Output {
    pub fn new(no_color: bool) -> Self {
        Output {
            color: !no_color && std::io::stdout().is_terminal() && std::io::stderr().is_terminal(),
            secrets: Mutex::new(Vec::new()),
        }
    }

    /// Values never to print from now on (NoEcho parameter values).
    pub fn add_secrets(&self, secrets: &[String]) {
        let mut known = self.secrets.lock().unwrap_or_else(PoisonError::into_inner);
        for s in secrets {
            if !s.is_empty() && !known.contains(s) {
                known.push(s.clone());
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        known.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every known secret replaced.
    fn redact(&self, text: &str) -> String {
        let known = self.secrets.lock().unwrap_or_else(PoisonError::into_inner);
        let mut text = text.to_owned();
        for s in known.iter() {
            if text.contains(s.as_str()) {
                text = text.replace(s.as_str(), SENSITIVE);
            }
        }
        text
    }

    /// Whether colour is on (a terminal, and not turned off).
    pub fn color(&self) -> bool {
        self.color
    }

    /// `text` in `style` when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match style {
            Style::Error => "1;31",
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Green => "32",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// A line of results on stdout.
    pub fn line(&self, text: &str) {
        println!("{}", self.redact(text));
    }

    /// Text on stdout, as is.
    pub fn raw(&self, text: &str) {
        print!("{}", self.redact(text));
    }

    /// A line on stderr.
    pub fn diag(&self, text: &str) {
        eprintln!("{}", self.redact(text));
    }

    /// An error that ends the command.
    pub fn error(&self, e: &anyhow::Error) {
        let mut msg = e.to_string();
        for cause in e.chain().skip(1) {
            // Many messages already end with their cause's text: print it once.
            let cause = cause.to_string();
            if !msg.contains(&cause) {
                msg.push_str(": ");
                msg.push_str(&cause);
            }
        }
        eprintln!(
            "{}: {}",
            self.paint(Style::Error, "error"),
            self.redact(&msg)
        );
    }
}

/// The first SIGINT or SIGTERM during an apply.
pub fn signal_first(stop: Stop, grace: std::time::Duration) {
    eprintln!(
        "\n{} received. Stopping: nothing new starts; operations still in flight after {}s are left to the next run, which resolves them from their saved intents.\nSend it again to exit at once.",
        stop.name(),
        grace.as_secs_f64()
    );
}

/// The second signal: the run exits at once, leaving its lock.
pub fn signal_second(stop: Stop, force_unlock: &[String]) {
    eprintln!("\n{} received again. Exiting immediately.", stop.name());
    for command in force_unlock {
        eprintln!(
            "The state lock is left behind; once no infra works on this state, remove it with: {command}"
        );
    }
}

/// An apply stopped by a signal without waiting for what was in flight.
pub fn stopped_in_flight(addresses: &[String]) {
    eprintln!(
        "\nStopped without waiting for {} operation(s) in flight: {}. Their intents are saved; the next plan or apply resolves them.",
        addresses.len(),
        addresses.join(", ")
    );
}

/// A signal outside an apply's operations: the command stops, its state lock released (or not).
pub fn interrupted_outside_apply(stop: Stop, released: &[String], not_released: &[String]) {
    eprintln!("\n{} received. Stopping.", stop.name());
    for location in released {
        eprintln!("Released the state lock of {location}.");
    }
    for message in not_released {
        eprintln!("The state lock was not released: {message}");
    }
}

/// A state lock that could not be released at the end of a command.
pub fn lock_not_released(message: &str) {
    eprintln!("warning: the state lock was not released: {message}");
}
