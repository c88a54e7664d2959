//! One module per command; each turns flags into library calls and prints the result.

mod graph;
mod validate;

use std::process::ExitCode;

use infra_template::{Deployment, LoadOptions, Offline, Pseudo};

use crate::cli::{Cli, Command, TemplateArgs};
use crate::output::Output;
use crate::report;

pub fn run(cli: Cli, out: &Output) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate(args) => validate::run(&args, out),
        Command::Graph(args) => graph::run(&args, out),
    }
}

/// The stack name: `--stack`, else the template's file name without extension.
pub fn stack_name(args: &TemplateArgs) -> String {
    args.stack.clone().unwrap_or_else(|| {
        args.template
            .file_stem()
            .map_or_else(|| "stack".to_string(), |s| s.to_string_lossy().into_owned())
    })
}

/// Loads the template offline (no AWS calls); prints every diagnostic and returns `None` when
/// it does not load.
pub fn load_offline(args: &TemplateArgs, out: &Output) -> anyhow::Result<Option<Deployment>> {
    let parameters = crate::inputs::parameters(&args.parameters, args.parameters_file.as_deref())?;
    let opts = LoadOptions {
        parameters,
        pseudo: Pseudo {
            region: args.region.clone(),
            account_id: None,
            stack_name: stack_name(args),
        },
    };
    match infra_template::load(&args.template, &opts, &Offline) {
        Ok(d) => Ok(Some(d)),
        Err(e) => {
            report::diagnostics(out, &e.sources, &e.diagnostics.0);
            Ok(None)
        }
    }
}
