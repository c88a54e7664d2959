//! `infra import --from-cloudformation STACK`: adopt every resource of a CloudFormation stack
//! (and of its nested stacks) into the state, so `infra` manages what CloudFormation made.
//! The comparison, the reads and finds and the tags are `infra_ops::adopt`; this command holds
//! the lock for the whole run, writes the state once at the end, prints what became of each
//! resource, then releases the stack with `--release-stack` ([`super::release`]) or prints the
//! commands that do. Nothing is written when any check fails; a run can be repeated.

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Context as _;
use infra_ops::Session;
use infra_ops::adopt::{AdoptError, AdoptRequest, Adopted};

use crate::cli::ImportArgs;
use crate::output::Output;
use crate::report;

/// Runs `infra import --from-cloudformation STACK`.
pub fn run(args: &ImportArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let cfn_stack = args
        .from_cloudformation
        .as_deref()
        .context("internal: adopt without --from-cloudformation")?;
    let stack = crate::commands::stack_name(
        args.template.stack.as_deref(),
        Some(&args.template.template),
    )?;
    let path = crate::commands::state_path(&args.state, &stack);
    let settings = crate::aws::settings(args.template.region.as_deref(), &args.aws);
    let backend = crate::stores::backend(&path, &settings)?;
    let _lock = crate::stores::lock(&*backend, "import")?;
    let (mut file, mut state) = infra_state::load_or_new(&*backend, &stack)?;
    let Some(deployment) = crate::commands::load_offline(&args.template, out)? else {
        return Ok(ExitCode::FAILURE);
    };
    let session = Session::connect(settings)?;
    let described = infra_ops::adopt::describe(&session, cfn_stack)?;
    if described.is_none() && args.release_stack && !state.resources.is_empty() {
        // A re-run after the stack was deleted: only the check is left.
        out.line(&format!(
            "CloudFormation stack {cfn_stack} no longer exists: it was released."
        ));
        return super::release::verify(&session, &state, out);
    }
    let mut opts = crate::commands::load_options_unnamed(&args.template)?;
    opts.pseudo.stack_name = stack.clone();
    let skip: BTreeSet<String> = args.skip.iter().cloned().collect();
    let request = AdoptRequest {
        cfn_stack,
        stack: &stack,
        template: &args.template.template,
        opts: &opts,
        deployment: &deployment,
        state: &state,
        skip: &skip,
    };
    let adopted = match infra_ops::adopt::adopt(&session, request) {
        Ok(adopted) => adopted,
        Err(AdoptError::Invalid(e)) => {
            report::diagnostics(out, &e.sources, &e.diagnostics.0);
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    print_adopted(&adopted, cfn_stack, &stack, out);
    if !adopted.records.is_empty() {
        state.resources.extend(adopted.records);
        file.write(&mut state)?;
    }
    if args.release_stack {
        super::release::run(
            &session,
            cfn_stack,
            args.artifact_bucket.as_deref(),
            &state,
            out,
        )
    } else {
        super::release::print_commands(args, cfn_stack, described.as_ref(), out);
        Ok(ExitCode::SUCCESS)
    }
}

/// What became of each resource, then the counts.
fn print_adopted(adopted: &Adopted, cfn_stack: &str, stack: &str, out: &Output) {
    for (address, record) in &adopted.records {
        let retired = if adopted.retired.contains(address) {
            "; planned for deletion: infra's native teardown replaces what it served"
        } else {
            ""
        };
        out.line(&format!(
            "Adopted {address} ({} {}){retired}",
            record.resource_type, record.physical_id
        ));
    }
    for address in &adopted.already {
        out.line(&format!("Already adopted: {address}"));
    }
    for (address, resource_type) in &adopted.left_to_cloudformation {
        out.line(&format!(
            "Not adopted: {address} ({resource_type}): it exists only in CloudFormation and ends with the stack; infra's native teardown replaces it"
        ));
    }
    for address in &adopted.skipped {
        out.line(&format!("Skipped: {address} (--skip)"));
    }
    for line in &adopted.not_adopted {
        out.line(&format!("Not adopted: {line}"));
    }
    if adopted.tagged > 0 {
        out.line(&format!(
            "Tagged {} adopted resources with infra:stack={stack} and infra:address=<address>, as infra tags what it creates (the other types take no tags).",
            adopted.tagged
        ));
    }
    out.line(&format!(
        "Adopted {} resources of CloudFormation stack {cfn_stack} into stack {stack} ({} already adopted, {} ending with the stack, {} skipped, {} not adopted).",
        adopted.records.len(),
        adopted.already.len(),
        adopted.left_to_cloudformation.len(),
        adopted.skipped.len(),
        adopted.not_adopted.len()
    ));
}
