//! `infra import --from-cloudformation STACK --release-stack`: once the stack's resources are in
//! the state, detach the stack from CloudFormation without deleting anything
//! (`infra_ops::adopt::release`), printing each step, then check that every adopted resource
//! still exists. Without `--release-stack`, [`print_commands`] says how to do the same by hand.

use std::process::ExitCode;

use infra_aws::cloudformation::release::{Released, StackStatus, Step};
use infra_ops::Session;
use infra_state::State;

use crate::cli::ImportArgs;
use crate::output::Output;

/// Releases CloudFormation stack `cfn_stack`, printing each step, then [`verify`]s.
pub fn run(
    session: &Session,
    cfn_stack: &str,
    bucket: Option<&str>,
    state: &State,
    out: &Output,
) -> anyhow::Result<ExitCode> {
    out.line(&format!(
        "Releasing CloudFormation stack {cfn_stack}: every resource keeps existing, managed by infra."
    ));
    let mut report = |step: Step| out.line(&describe(cfn_stack, &step));
    let released = infra_ops::adopt::release(session, cfn_stack, bucket, &mut report)?;
    match released {
        Released::Deleted => out.line(&format!(
            "Deleted CloudFormation stack {cfn_stack}; its resources were retained."
        )),
        Released::AlreadyGone => out.line(&format!(
            "CloudFormation stack {cfn_stack} no longer exists: it was released."
        )),
    }
    verify(session, state, out)
}

/// The line printed for a step.
fn describe(cfn_stack: &str, step: &Step) -> String {
    match step {
        Step::Waiting { status } => {
            format!("Waiting for CloudFormation stack {cfn_stack} ({status}) to settle...")
        }
        Step::Uploaded { address, location } => {
            format!("Uploaded the edited template of nested stack {address} to {location}")
        }
        Step::Updating => format!(
            "Updating CloudFormation stack {cfn_stack}: DeletionPolicy Retain on every resource..."
        ),
        Step::AlreadyRetained => {
            format!("CloudFormation stack {cfn_stack} already retains every resource.")
        }
        Step::Updated => format!("CloudFormation stack {cfn_stack} retains every resource."),
        Step::Deleting => format!("Deleting CloudFormation stack {cfn_stack}..."),
    }
}

/// Checks that every resource of the state still exists ([`infra_ops::adopt::verify`]).
pub fn verify(session: &Session, state: &State, out: &Output) -> anyhow::Result<ExitCode> {
    let checked = infra_ops::adopt::verify(session, state)?;
    out.line(&format!("All {checked} adopted resources still exist."));
    Ok(ExitCode::SUCCESS)
}

/// Prints how to release the stack: the same command with `--release-stack`, or the AWS CLI
/// commands it runs.
pub fn print_commands(
    args: &ImportArgs,
    cfn_stack: &str,
    described: Option<&StackStatus>,
    out: &Output,
) {
    let mut command = vec![
        "infra import --from-cloudformation".to_string(),
        cfn_stack.to_string(),
        "-t".to_string(),
        args.template.template.display().to_string(),
    ];
    if let Some(stack) = &args.template.stack {
        command.extend(["--stack".to_string(), stack.clone()]);
    }
    command.push("--release-stack [--artifact-bucket BUCKET]".to_string());
    let parameters = described
        .map(|d| {
            d.parameters
                .iter()
                .map(|p| format!(" ParameterKey={p},UsePreviousValue=true"))
                .collect::<String>()
        })
        .unwrap_or_default();
    let parameters = if parameters.is_empty() {
        String::new()
    } else {
        format!(" --parameters{parameters}")
    };
    out.line(&format!(
        "CloudFormation stack {cfn_stack} still manages these resources too: deleting it, or updating it, would change them. Release it (nothing is deleted) with:\n\
         \x20 {}\n\
         or by hand:\n\
         \x20 1. aws cloudformation get-template --stack-name {cfn_stack} --template-stage Processed --query TemplateBody > retained.json\n\
         \x20 2. in retained.json, add \"DeletionPolicy\": \"Retain\" to every resource but the AWS::CloudFormation::Stack ones; do the same in each nested stack's template, upload it to S3 and point its TemplateURL at the copy\n\
         \x20 3. aws cloudformation update-stack --stack-name {cfn_stack} --template-body file://retained.json{parameters} --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND\n\
         \x20 4. aws cloudformation wait stack-update-complete --stack-name {cfn_stack}\n\
         \x20 5. aws cloudformation delete-stack --stack-name {cfn_stack}\n\
         \x20 6. aws cloudformation wait stack-delete-complete --stack-name {cfn_stack}",
        command.join(" ")
    ));
}
