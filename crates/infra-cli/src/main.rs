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

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = cli::Cli::parse_from(cli::normalize_args(std::env::args()));
    let out = output::Output::new(cli.global.no_color);
    match commands::run(cli, &out) {
        Ok(code) => code,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}
