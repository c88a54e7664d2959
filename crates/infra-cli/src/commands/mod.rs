//! One module per command; each turns flags into library calls and prints the result.

mod apply;
mod artifacts;
mod exports;
mod graph;
mod import;
mod output;
mod plan;
mod planning;
mod present;
mod refresh;
mod show;
mod state;
mod types;
mod validate;

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use infra_state::StateBackend;
use infra_template::{Deployment, LoadOptions, Lookups, Offline, Pseudo};

use crate::cli::{Cli, Command, RemoteArgs, StateArgs, TemplateArgs};
use crate::output::Output;
use crate::report;
use crate::stores::{self, StateLocation};

pub fn run(cli: Cli, out: &Output) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate(args) => validate::run(&args, out),
        Command::Graph(args) => graph::run(&args, out),
        Command::Plan(args) => plan::run(&args, out),
        Command::Apply(args) => apply::run_apply(&args, out),
        Command::Destroy(args) => apply::run_destroy(&args, out),
        Command::Refresh(args) => refresh::run(&args, out),
        Command::Import(args) => import::run(&args, out),
        Command::Show(args) => show::run(&args, out),
        Command::Output(args) => output::run(&args, out),
        Command::State(cmd) => state::run(cmd, out),
        Command::ForceUnlock(args) => state::force_unlock(&args, out),
        Command::Types(args) => types::run(&args, out),
    }
}

/// The latency model of `--latency-model FILE`, else the built-in one.
pub fn latency_model(
    args: &crate::cli::EstimateArgs,
) -> anyhow::Result<infra_engine::LatencyModel> {
    Ok(match &args.latency_model {
        Some(path) => infra_engine::LatencyModel::load(path)?,
        None => infra_engine::LatencyModel::built_in().clone(),
    })
}

/// The stack name: `--stack`, else the template's file name without extension when that is a
/// valid stack name. Checked against CloudFormation's rule, which also keeps the default state
/// path inside `state/`. A file name that is not a valid stack name is refused with how to pass
/// one: a name made up from it could be shared by two files, and so by their states.
pub fn stack_name(stack: Option<&str>, template: Option<&Path>) -> anyhow::Result<String> {
    match (stack, template) {
        (Some(name), _) => {
            if let Err(why) = check_stack_name(name) {
                bail!("stack name `{name}` is not valid: {why}");
            }
            Ok(name.to_string())
        }
        (None, Some(t)) => {
            let name = file_stem(t);
            if let Err(why) = check_stack_name(&name) {
                bail!(
                    "no --stack given, and the template's file name `{}` does not make a stack name (`{name}` {why}); pass one with --stack NAME",
                    t.file_name().map_or_else(
                        || t.display().to_string(),
                        |f| f.to_string_lossy().into_owned()
                    )
                );
            }
            Ok(name)
        }
        (None, None) => bail!("--stack is required (the stack whose state to use)"),
    }
}

/// The stack name for a command that touches no state (`validate`, `graph`): it only shapes
/// `AWS::StackName` and generated names. `--stack` is checked as always; without it, the file
/// name with every character a stack name cannot hold turned into `-`, so any file validates.
pub fn stack_name_for_checking(stack: Option<&str>, template: &Path) -> anyhow::Result<String> {
    if stack.is_some() {
        return stack_name(stack, Some(template));
    }
    let stem = file_stem(template);
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(128)
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("s{}", name.chars().take(127).collect::<String>());
    }
    Ok(name)
}

/// The template's file name without its extension.
fn file_stem(template: &Path) -> String {
    template
        .file_stem()
        .map_or_else(|| "stack".to_string(), |s| s.to_string_lossy().into_owned())
}

/// CloudFormation's rule for stack names, as the reason a name breaks it.
fn check_stack_name(name: &str) -> Result<(), &'static str> {
    let valid = name.len() <= 128
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(
            "is not valid: it must start with a letter and hold only letters, digits and hyphens (at most 128)",
        )
    }
}

/// `--state` (or `INFRA_STATE`), else `state/<stack>.json`.
pub fn state_path(args: &StateArgs, stack: &str) -> StateLocation {
    args.state
        .clone()
        .unwrap_or_else(|| StateLocation::Local(infra_state::default_state_path(stack)))
}

/// The state of a command that needs no template: `--state`, else `state/<--stack>.json`.
pub fn existing_state_path(
    stack: Option<&str>,
    state: &StateArgs,
) -> anyhow::Result<StateLocation> {
    match &state.state {
        Some(p) => Ok(p.clone()),
        None => Ok(state_path(state, &stack_name(stack, None)?)),
    }
}

/// The backend of the state at `location`, reaching S3 (when it is there) as `remote` says.
pub fn state_backend(
    location: &StateLocation,
    remote: &RemoteArgs,
) -> anyhow::Result<Box<dyn StateBackend>> {
    stores::backend(
        location,
        &crate::aws::settings(remote.region.as_deref(), &remote.aws),
    )
}

/// Refuses a state recorded for another stack than `stack`, when a stack is named: using it
/// would plan or change one stack's resources as another's.
pub fn check_stack(
    state: Option<&infra_state::State>,
    stack: Option<&str>,
    location: &dyn std::fmt::Display,
) -> anyhow::Result<()> {
    if let (Some(state), Some(stack)) = (state, stack)
        && state.stack != stack
    {
        bail!(
            "state file {location} belongs to stack `{}`, not `{stack}`",
            state.stack
        );
    }
    Ok(())
}

/// Reads a state that must exist.
pub fn read_existing_state(backend: &dyn StateBackend) -> anyhow::Result<infra_state::State> {
    backend.read()?.with_context(|| {
        format!(
            "no state at {}: nothing has been applied for this stack yet (or pass --state PATH|s3://BUCKET/KEY / --stack NAME)",
            backend.location()
        )
    })
}

/// Parameters and pseudo parameters for a load.
pub fn load_options(
    args: &TemplateArgs,
    account_id: Option<String>,
) -> anyhow::Result<LoadOptions> {
    let mut opts = load_options_unnamed(args)?;
    opts.pseudo.account_id = account_id;
    opts.pseudo.stack_name = stack_name(args.stack.as_deref(), Some(&args.template))?;
    Ok(opts)
}

/// The load options of `args` with no stack name yet.
fn load_options_unnamed(args: &TemplateArgs) -> anyhow::Result<LoadOptions> {
    let parameters = crate::inputs::parameters(&args.parameters, args.parameters_file.as_deref())?;
    Ok(LoadOptions {
        texts: Default::default(),
        artifacts: Default::default(),
        parameters,
        pseudo: Pseudo {
            region: args.region.clone(),
            account_id: None,
            stack_name: String::new(),
        },
    })
}

/// Loads the template offline (no AWS calls) for a command that touches no state; prints every
/// diagnostic and returns `None` when it does not load.
pub fn load_offline(args: &TemplateArgs, out: &Output) -> anyhow::Result<Option<Deployment>> {
    let mut opts = load_options_unnamed(args)?;
    opts.pseudo.stack_name = stack_name_for_checking(args.stack.as_deref(), &args.template)?;
    load_with(args, &opts, &Offline, out)
}

/// Loads the template with `lookups`; prints every diagnostic and returns `None` when it does
/// not load.
pub fn load_with(
    args: &TemplateArgs,
    opts: &LoadOptions,
    lookups: &dyn Lookups,
    out: &Output,
) -> anyhow::Result<Option<Deployment>> {
    match infra_template::load(&args.template, opts, lookups) {
        Ok(d) => {
            out.add_secrets(&d.secrets);
            Ok(Some(d))
        }
        Err(e) => {
            report::diagnostics(out, &e.sources, &e.diagnostics.0);
            Ok(None)
        }
    }
}

/// Prints [`infra_ops::checks::unsupported_properties`] of `deployment`: every property a
/// resource sets that its provider refuses whatever its value. True when there were some (the
/// template is then not valid).
pub fn report_unsupported(deployment: &Deployment, out: &Output) -> bool {
    let diags = infra_ops::checks::unsupported_properties(deployment, &[]);
    if diags.is_empty() {
        return false;
    }
    report::diagnostics(out, &deployment.sources, &diags);
    true
}

/// Writes a file readable only by its owner (plans may name resources and values).
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
