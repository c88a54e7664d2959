//! `infra`: deploys CloudFormation-format templates straight to AWS, Terraform-style.
//!
//! This crate is glue: flags (clap), reading parameter inputs, calling the libraries and
//! printing their results. It owns every decision about how things are shown and which exit
//! code a run ends with; the libraries return plain data and typed errors.

mod aws;
mod cli;
mod commands;
mod inputs;
mod output;
mod progress;
mod report;
mod signals;
mod stores;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse_from(cli::normalize_args(std::env::args())) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let out = output::Output::new(cli.global.no_color);
    match commands::run(cli, &out) {
        Ok(code) => code,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

/// Prints clap's message for a command line it could not parse and ends the run: exit 0 for
/// `--help` and `--version`, otherwise 1, the exit code of every other error (clap's own
/// default is 2, which `plan --detailed-exitcode` uses for "changes present").
fn usage_error(e: &clap::Error) -> ExitCode {
    // Printing can fail only when stdout or stderr is closed; there is nowhere to report that.
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
