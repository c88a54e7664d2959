//! Where everything the CLI prints goes through: stdout for results, stderr for diagnostics
//! and errors, colour only on a terminal and never with `--no-color` / `NO_COLOR`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal as _;

/// The CLI's printer.
#[derive(Debug)]
pub struct Output {
    color: bool,
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
        }
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
        println!("{text}");
    }

    /// Text on stdout, as is.
    pub fn raw(&self, text: &str) {
        print!("{text}");
    }

    /// A line on stderr.
    pub fn diag(&self, text: &str) {
        eprintln!("{text}");
    }

    /// An error that ends the command.
    pub fn error(&self, e: &anyhow::Error) {
        let mut msg = e.to_string();
        for cause in e.chain().skip(1) {
            msg.push_str(": ");
            msg.push_str(&cause.to_string());
        }
        eprintln!("{}: {msg}", self.paint(Style::Error, "error"));
    }
}

/// The first Ctrl-C during an apply.
pub fn interrupted_first() {
    eprintln!(
        "\nInterrupt received. Stopping: operations in flight finish and the state is saved.\nPress Ctrl-C again to abort at once (operations in flight are then recorded as pending)."
    );
}

/// The second Ctrl-C.
pub fn interrupted_second() {
    eprintln!("\nTwo interrupts received. Exiting immediately.");
}
