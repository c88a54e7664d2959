//! `infra import --from-cloudformation STACK --release-stack`: once the stack's resources are in
//! the state, detach the stack from CloudFormation without deleting anything
//! (`infra_aws::cloudformation::release`), then check that every adopted resource still exists.
//! Without `--release-stack`, [`print_commands`] says how to do the same by hand.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use infra_aws::cloudformation::release::{Released, StackStatus, Step};
use infra_aws::provider::{Observation, ReadInput};
use infra_state::State;

use crate::cli::ImportArgs;
use crate::commands::planning::Session;
use crate::output::Output;

/// Releases CloudFormation stack `cfn_stack`, printing each step, then [`verify`]s.
pub fn run(
    session: &Session,
    cfn_stack: &str,
    bucket: Option<&str>,
    state: &State,
    out: &Output,
) -> anyhow::Result<ExitCode> {
    let config = session
        .config
        .as_ref()
        .context("internal: no AWS configuration after connecting")?;
    out.line(&format!(
        "Releasing CloudFormation stack {cfn_stack}: every resource keeps existing, managed by infra."
    ));
    let mut report = |step: Step| out.line(&describe(cfn_stack, &step));
    let released = session
        .rt
        .block_on(infra_aws::cloudformation::release::release(
            config,
            cfn_stack,
            bucket,
            &mut report,
        ))
        .with_context(|| {
            format!(
                "releasing CloudFormation stack {cfn_stack} (the state keeps what was adopted; run the same command again to go on)"
            )
        })?;
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

/// Reads every resource of the state through its provider (one batch per type) and fails,
/// naming them, when any is gone.
pub fn verify(session: &Session, state: &State, out: &Output) -> anyhow::Result<ExitCode> {
    let mut by_type: BTreeMap<&str, Vec<ReadInput>> = BTreeMap::new();
    for (address, record) in &state.resources {
        by_type
            .entry(record.resource_type.as_str())
            .or_default()
            .push(ReadInput {
                address: address.clone(),
                physical_id: record.physical_id.clone(),
                properties: record.properties.clone(),
                attributes: record.attributes.clone(),
            });
    }
    let mut missing = Vec::new();
    for (type_name, inputs) in &by_type {
        let provider = session
            .providers
            .get(type_name)
            .with_context(|| format!("internal: no provider for {type_name}"))?;
        let observed = session
            .rt
            .block_on(provider.read(inputs))
            .with_context(|| format!("reading {type_name} resources"))?;
        for input in inputs {
            if !matches!(
                observed.get(&input.address),
                Some(Observation::Present { .. })
            ) {
                missing.push(format!(
                    "{} ({type_name} {})",
                    input.address, input.physical_id
                ));
            }
        }
    }
    if !missing.is_empty() {
        bail!(
            "{} adopted resources no longer exist: {}; `infra plan` shows what re-creates them",
            missing.len(),
            missing.join(", ")
        );
    }
    out.line(&format!(
        "All {} adopted resources still exist.",
        state.resources.len()
    ));
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
