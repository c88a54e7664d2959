//! `infra import ADDRESS PHYSICAL_ID`: read an existing resource through its provider and
//! record it in the state at ADDRESS, so the next plan manages it instead of creating another.
//! `infra import --from-cloudformation STACK` adopts a whole CloudFormation stack ([`adopt`]).

use std::process::ExitCode;

use anyhow::bail;
use infra_ops::Session;

use crate::cli::ImportArgs;
use crate::output::Output;

mod adopt;
mod release;

pub fn run(args: &ImportArgs, out: &Output) -> anyhow::Result<ExitCode> {
    match (
        &args.from_cloudformation,
        args.address.as_deref(),
        args.physical_id.as_deref(),
    ) {
        (Some(_), None, None) => adopt::run(args, out),
        (Some(stack), _, _) => bail!(
            "--from-cloudformation {stack} adopts every resource of the stack and takes no ADDRESS or PHYSICAL_ID; import one resource with `infra import ADDRESS PHYSICAL_ID` instead"
        ),
        (None, Some(address), Some(physical_id)) => import_one(args, address, physical_id, out),
        (None, _, _) => bail!(
            "`infra import` needs ADDRESS and PHYSICAL_ID (one resource), or --from-cloudformation STACK (a whole CloudFormation stack)"
        ),
    }
}

/// Imports one resource: `infra import ADDRESS PHYSICAL_ID`.
fn import_one(
    args: &ImportArgs,
    address: &str,
    physical_id: &str,
    out: &Output,
) -> anyhow::Result<ExitCode> {
    let stack = super::stack_name(
        args.template.stack.as_deref(),
        Some(&args.template.template),
    )?;
    let path = super::state_path(&args.state, &stack);
    let settings = crate::aws::settings(args.template.region.as_deref(), &args.aws);
    let backend = crate::stores::backend(&path, &settings)?;
    let _lock = crate::stores::lock(&*backend, "import")?;
    let (mut file, mut state) = infra_state::load_or_new(&*backend, &stack)?;
    if let Some(r) = state.resources.get(address) {
        bail!(
            "`{}` is already in the state ({} {}); `infra state rm {}` first to import another object there",
            address,
            r.resource_type,
            r.physical_id,
            address
        );
    }
    let Some(deployment) = super::load_offline(&args.template, out)? else {
        return Ok(ExitCode::FAILURE);
    };
    let Some(resource) = deployment.resource(address) else {
        bail!(
            "`{}` is not a resource of {}",
            address,
            args.template.template.display()
        );
    };
    let session = Session::connect(settings)?;
    let record = infra_ops::import::read_one(&session, resource, physical_id)?;
    // Managed again: an object a policy retained is no longer one.
    state
        .retained
        .retain(|r| r.resource_type != record.resource_type || r.physical_id != physical_id);
    state.resources.insert(address.to_string(), record);
    file.write(&mut state)?;
    out.line(&format!(
        "Imported {} ({}) as {}. Run `infra plan` to see what applying the template would change.",
        physical_id, resource.type_name, address
    ));
    Ok(ExitCode::SUCCESS)
}
