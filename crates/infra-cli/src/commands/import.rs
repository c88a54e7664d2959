//! `infra import ADDRESS PHYSICAL_ID`: read an existing resource through its provider and
//! record it in the state at ADDRESS, so the next plan manages it instead of creating another.
//! `infra import --from-cloudformation STACK` adopts a whole CloudFormation stack ([`adopt`]).

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use infra_aws::provider::{Observation, ReadInput};
use infra_state::{ResourceRecord, ResourceStatus};

use super::planning::Session;
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
    let session = Session::connect(args.template.region.as_deref(), &args.aws)?;
    let Some(provider) = session.providers.get(&resource.type_name) else {
        bail!("importing {} is not supported yet", resource.type_name);
    };
    // The keys the template sets are the ones infra manages.
    let managed = template_keys(&resource.properties);
    let item = ReadInput {
        address: address.to_string(),
        physical_id: physical_id.to_string(),
        properties: managed,
        attributes: Default::default(),
    };
    let found = session
        .rt
        .block_on(provider.read(std::slice::from_ref(&item)))
        .with_context(|| format!("reading {} {}", resource.type_name, physical_id))?;
    let (properties, attributes) = match found.get(address) {
        Some(Observation::Present {
            properties,
            attributes,
        }) => (properties.clone(), attributes.clone()),
        _ => bail!("no {} with id `{}` exists", resource.type_name, physical_id),
    };
    let dependencies = resource
        .deps
        .iter()
        .map(|d| d.target.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    state.resources.insert(
        address.to_string(),
        ResourceRecord {
            resource_type: resource.type_name.clone(),
            physical_id: physical_id.to_string(),
            properties,
            attributes,
            dependencies,
            status: ResourceStatus::Created,
        },
    );
    file.write(&mut state)?;
    out.line(&format!(
        "Imported {} ({}) as {}. Run `infra plan` to see what applying the template would change.",
        physical_id, resource.type_name, address
    ));
    Ok(ExitCode::SUCCESS)
}

/// The template's properties with unknown values as null: the shape of what infra manages.
pub(super) fn template_keys(v: &infra_template::Value) -> serde_json::Value {
    infra_plan::plan::json::known(v)
}
