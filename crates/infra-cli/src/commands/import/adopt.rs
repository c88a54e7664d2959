//! `infra import --from-cloudformation STACK`: adopt every resource of a CloudFormation stack
//! (and of its nested stacks) into the state, so `infra` manages what CloudFormation made.
//!
//! The order of the run:
//! 1. list the stack's resources (`infra_aws::cloudformation`), nested stacks at `Child.Logical`;
//! 2. load the template offline, as `plan` does, and [`compare`] both lists: same addresses,
//!    same types; what serves a `Custom::AsgDestroyer` (its function and role,
//!    `Deployment::native_teardowns`) is adopted too, so the next plan deletes it, while the
//!    custom resource itself, which has no AWS object of its own, ends with the stack; any other
//!    custom resource or type infra cannot manage stops the import unless `--skip` names it;
//!    resources already in the state at the same address and type (a re-run) are kept;
//! 3. read each resource through its provider at CloudFormation's physical id; the types whose
//!    `Ref` in infra is not CloudFormation's physical id ([`BY_NATURAL_KEY`]) are found by their
//!    provider's `find`, from the template's properties resolved against what was adopted;
//! 4. write the state once, under the lock held for the whole run;
//! 5. with `--release-stack`, release the CloudFormation stack ([`super::release`]); without
//!    it, print the commands that do.
//!
//! Nothing is written when any check fails. A run interrupted at any point can be repeated.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use infra_aws::cloudformation::{NESTED_STACK_TYPE, StackResource};
use infra_aws::provider::{FindInput, Observation, ReadInput};
use infra_state::{ResourceRecord, ResourceStatus};
use infra_template::{Deployment, Offline};

use crate::cli::ImportArgs;
use crate::commands::planning::Session;
use crate::output::Output;

/// Types whose physical id in infra is not CloudFormation's: infra finds them by natural key.
const BY_NATURAL_KEY: &[&str] = &[
    "AWS::EC2::Route",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::IAM::Policy",
];

/// Types read at CloudFormation's physical id, but found by natural key when that id does not
/// read (an emulator, or an older CloudFormation handler, may give another id than `Ref`).
const FIND_WHEN_UNREAD: &[&str] = &[
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
];

/// One resource to adopt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoptable {
    /// The address in infra.
    pub address: String,
    /// The type.
    pub resource_type: String,
    /// CloudFormation's physical id.
    pub physical_id: String,
}

/// The resources infra's native teardown replaces.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Teardown {
    /// The `Custom::AsgDestroyer` resources.
    pub custom: BTreeSet<String>,
    /// What serves them: their functions and roles.
    pub served: BTreeSet<String>,
}

/// What comparing the template with the stack decided.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Resources to record in the state.
    pub adopt: Vec<Adoptable>,
    /// `Custom::AsgDestroyer` resources, which end with the stack: address and type.
    pub left_to_cloudformation: Vec<(String, String)>,
    /// Adopted resources that served a `Custom::AsgDestroyer`: the next plan deletes them.
    pub retired: Vec<String>,
    /// Addresses `--skip` named.
    pub skipped: Vec<String>,
    /// Every reason the import cannot go on, one per address.
    pub problems: Vec<String>,
}

/// Compares the template's resources (address → type) with the stack's. `teardown` holds the
/// addresses infra replaces by its native teardown, `skip` those `--skip` names, and
/// `manageable` says which types infra has a provider for.
pub fn compare(
    template: &BTreeMap<String, String>,
    teardown: &Teardown,
    stack: &[StackResource],
    skip: &BTreeSet<String>,
    manageable: &dyn Fn(&str) -> bool,
) -> Comparison {
    let mut result = Comparison::default();
    let mut in_stack = BTreeSet::new();
    for resource in stack {
        if resource.resource_type == NESTED_STACK_TYPE {
            continue;
        }
        let address = &resource.address;
        in_stack.insert(address.clone());
        if teardown.custom.contains(address) {
            result
                .left_to_cloudformation
                .push((address.clone(), resource.resource_type.clone()));
            continue;
        }
        if teardown.served.contains(address) && manageable(&resource.resource_type) {
            if let Some(id) = &resource.physical_id {
                result.retired.push(address.clone());
                result.adopt.push(Adoptable {
                    address: address.clone(),
                    resource_type: resource.resource_type.clone(),
                    physical_id: id.clone(),
                });
            }
            continue;
        }
        if skip.contains(address) {
            result.skipped.push(address.clone());
            continue;
        }
        if resource.resource_type.starts_with("Custom::")
            || resource.resource_type == "AWS::CloudFormation::CustomResource"
        {
            result.problems.push(format!(
                "`{address}` is a custom resource ({}), which infra does not run; remove it from the stack or pass --skip {address}",
                resource.resource_type
            ));
            continue;
        }
        if !manageable(&resource.resource_type) {
            result.problems.push(format!(
                "`{address}` is a {}, which infra cannot manage; pass --skip {address} to leave it out",
                resource.resource_type
            ));
            continue;
        }
        let Some(template_type) = template.get(address) else {
            result.problems.push(format!(
                "`{address}` ({}) is in the stack but not in the template",
                resource.resource_type
            ));
            continue;
        };
        if *template_type != resource.resource_type {
            result.problems.push(format!(
                "`{address}` is a {} in the stack but a {template_type} in the template",
                resource.resource_type
            ));
            continue;
        }
        match &resource.physical_id {
            Some(id) => result.adopt.push(Adoptable {
                address: address.clone(),
                resource_type: resource.resource_type.clone(),
                physical_id: id.clone(),
            }),
            None => result.problems.push(format!(
                "`{address}` has no physical id in the stack (status {})",
                resource.status
            )),
        }
    }
    for (address, resource_type) in template {
        if !in_stack.contains(address) && !skip.contains(address) {
            result.problems.push(format!(
                "`{address}` ({resource_type}) is in the template but not in the stack"
            ));
        }
    }
    for address in skip {
        if !in_stack.contains(address) && !template.contains_key(address) {
            result.problems.push(format!(
                "--skip {address}: no such resource in the stack or the template"
            ));
        }
    }
    result
}

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
    let session = Session::connect(args.template.region.as_deref(), &args.aws)?;
    let config = session
        .config
        .as_ref()
        .context("internal: no AWS configuration after connecting")?;
    let described = session
        .rt
        .block_on(infra_aws::cloudformation::release::describe(
            config, cfn_stack,
        ))
        .with_context(|| format!("describing CloudFormation stack {cfn_stack}"))?;
    if described.is_none() && args.release_stack && !state.resources.is_empty() {
        // A re-run after the stack was deleted: only the check is left.
        out.line(&format!(
            "CloudFormation stack {cfn_stack} no longer exists: it was released."
        ));
        return super::release::verify(&session, &state, out);
    }
    let Some(adopted) = adopt(&session, args, cfn_stack, &stack, &deployment, &state, out)? else {
        return Ok(ExitCode::FAILURE);
    };
    if !adopted.is_empty() {
        state.resources.extend(adopted);
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

/// Compares, reads and finds every resource of CloudFormation stack `cfn_stack`; returns the
/// records to add to the state, or `None` after printing diagnostics of a template that does
/// not load.
fn adopt(
    session: &Session,
    args: &ImportArgs,
    cfn_stack: &str,
    stack: &str,
    deployment: &Deployment,
    state: &infra_state::State,
    out: &Output,
) -> anyhow::Result<Option<BTreeMap<String, ResourceRecord>>> {
    let config = session
        .config
        .as_ref()
        .context("internal: no AWS configuration after connecting")?;
    let listed = session
        .rt
        .block_on(infra_aws::cloudformation::list_stack_resources(
            config, cfn_stack,
        ))
        .with_context(|| format!("listing the resources of CloudFormation stack {cfn_stack}"))?;

    let template: BTreeMap<String, String> = deployment
        .resources
        .iter()
        .map(|r| (r.address.clone(), r.type_name.clone()))
        .collect();
    let teardown = Teardown {
        custom: deployment
            .native_teardowns
            .iter()
            .map(|t| t.custom_resource.clone())
            .collect(),
        served: deployment
            .native_teardowns
            .iter()
            .flat_map(|t| t.removed.clone())
            .collect(),
    };
    let skip: BTreeSet<String> = args.skip.iter().cloned().collect();
    let manageable = |t: &str| session.providers.get(t).is_some();
    let mut comparison = compare(&template, &teardown, &listed, &skip, &manageable);
    let mut already = Vec::new();
    let mut conflicts = Vec::new();
    comparison
        .adopt
        .retain(|a| match state.resources.get(&a.address) {
            None => true,
            Some(r) if r.resource_type == a.resource_type => {
                already.push(a.address.clone());
                false
            }
            Some(r) => {
                conflicts.push(format!(
                    "`{}` is already in the state as a {} ({}); `infra state rm {}` first",
                    a.address, r.resource_type, r.physical_id, a.address
                ));
                false
            }
        });
    comparison.problems.extend(conflicts);
    if !comparison.problems.is_empty() {
        bail!(
            "cannot adopt CloudFormation stack {cfn_stack} with {}; nothing was imported:\n  {}",
            args.template.template.display(),
            comparison.problems.join("\n  ")
        );
    }

    let (direct, mut by_key): (Vec<&Adoptable>, Vec<&Adoptable>) = comparison
        .adopt
        .iter()
        .partition(|a| !BY_NATURAL_KEY.contains(&a.resource_type.as_str()));
    // First pass: read each resource at CloudFormation's id with the keys the template sets,
    // to learn the ids and attributes other resources' `Ref` and `Fn::GetAtt` read.
    let first = direct
        .iter()
        .map(|a| (*a, a.physical_id.clone(), BTreeMap::new()))
        .collect::<Vec<_>>();
    let (adopted, unread) = read_all(session, deployment, &first)?;
    let mut missing = Vec::new();
    for a in unread {
        if FIND_WHEN_UNREAD.contains(&a.resource_type.as_str()) {
            by_key.push(a);
        } else {
            missing.push(format!(
                "`{}`: no {} with id `{}` exists",
                a.address, a.resource_type, a.physical_id
            ));
        }
    }
    if !missing.is_empty() {
        bail!(
            "some resources of CloudFormation stack {cfn_stack} could not be read; nothing was imported:\n  {}",
            missing.join("\n  ")
        );
    }

    // The template resolved against what was read: the values a `Ref` reads are known now,
    // so the second pass records every property the template sets (a subnet's `VpcId`), and
    // the natural-key types can be found (a route by table and destination, ...).
    let mut resolved_state = state.clone();
    resolved_state.resources.extend(adopted.clone());
    let lookups = infra_plan::plan::StateLookups::new(&resolved_state, &Offline);
    let mut opts = crate::commands::load_options_unnamed(&args.template)?;
    opts.pseudo.stack_name = stack.to_string();
    let Some(resolved) = crate::commands::load_with(&args.template, &opts, &lookups, out)? else {
        return Ok(None);
    };
    let second = direct
        .iter()
        .filter_map(|a| {
            adopted
                .get(&a.address)
                .map(|r| (*a, r.physical_id.clone(), r.attributes.clone()))
        })
        .collect::<Vec<_>>();
    let (mut adopted, vanished) = read_all(session, &resolved, &second)?;
    if !vanished.is_empty() {
        bail!(
            "resources of CloudFormation stack {cfn_stack} vanished while being read; nothing was imported: {}",
            vanished
                .iter()
                .map(|a| a.address.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut not_adopted = Vec::new();
    for a in &by_key {
        match find(session, &resolved, a)? {
            Ok(record) => {
                adopted.insert(a.address.clone(), record);
            }
            Err(why) => not_adopted.push(format!(
                "{} ({}, CloudFormation id {}): {why}",
                a.address, a.resource_type, a.physical_id
            )),
        }
    }

    let tagged = add_infra_tags(session, stack, &adopted)?;
    for (address, record) in &adopted {
        let retired = if comparison.retired.contains(address) {
            "; planned for deletion: infra's native teardown replaces what it served"
        } else {
            ""
        };
        out.line(&format!(
            "Adopted {address} ({} {}){retired}",
            record.resource_type, record.physical_id
        ));
    }
    for address in &already {
        out.line(&format!("Already adopted: {address}"));
    }
    for (address, resource_type) in &comparison.left_to_cloudformation {
        out.line(&format!(
            "Not adopted: {address} ({resource_type}): it exists only in CloudFormation and ends with the stack; infra's native teardown replaces it"
        ));
    }
    for address in &comparison.skipped {
        out.line(&format!("Skipped: {address} (--skip)"));
    }
    for line in &not_adopted {
        out.line(&format!("Not adopted: {line}"));
    }
    if tagged > 0 {
        out.line(&format!(
            "Tagged {tagged} adopted resources with infra:stack={stack} and infra:address=<address>, as infra tags what it creates (the other types take no tags)."
        ));
    }
    out.line(&format!(
        "Adopted {} resources of CloudFormation stack {cfn_stack} into stack {stack} ({} already adopted, {} ending with the stack, {} skipped, {} not adopted).",
        adopted.len(),
        already.len(),
        comparison.left_to_cloudformation.len(),
        comparison.skipped.len(),
        not_adopted.len()
    ));
    Ok(Some(adopted))
}

/// Adds infra's tags (`infra:stack`, `infra:address`) to every adopted resource whose type
/// takes tags, as `create` would have; returns how many were tagged. Adding a tag twice is
/// harmless, so a re-run tags again.
fn add_infra_tags(
    session: &Session,
    stack: &str,
    adopted: &BTreeMap<String, ResourceRecord>,
) -> anyhow::Result<usize> {
    let config = session
        .config
        .as_ref()
        .context("internal: no AWS configuration after connecting")?;
    let mut tagged = 0;
    for (address, record) in adopted {
        let tags = infra_engine::infra_tags(
            infra_registry::lookup(&record.resource_type),
            stack,
            address,
        );
        let added = session
            .rt
            .block_on(infra_aws::adopt_tags::add(
                config,
                &record.resource_type,
                &record.physical_id,
                &record.attributes,
                &tags,
            ))
            .with_context(|| {
                format!(
                    "adding infra's tags to {address} ({} {}); nothing was imported",
                    record.resource_type, record.physical_id
                )
            })?;
        if added == infra_aws::adopt_tags::Tagged::Added {
            tagged += 1;
        }
    }
    Ok(tagged)
}

/// Reads each `(resource, physical id, attributes)` through its type's provider (one batch per
/// type) with the keys `deployment` sets; returns the records and the resources not found.
fn read_all<'a>(
    session: &Session,
    deployment: &Deployment,
    items: &[(&'a Adoptable, String, BTreeMap<String, serde_json::Value>)],
) -> anyhow::Result<(BTreeMap<String, ResourceRecord>, Vec<&'a Adoptable>)> {
    let mut by_type: BTreeMap<&str, Vec<(ReadInput, &'a Adoptable)>> = BTreeMap::new();
    for (adoptable, physical_id, attributes) in items {
        let properties = deployment
            .resource(&adoptable.address)
            .map(|r| super::template_keys(&r.properties))
            .unwrap_or_default();
        by_type
            .entry(adoptable.resource_type.as_str())
            .or_default()
            .push((
                ReadInput {
                    address: adoptable.address.clone(),
                    physical_id: physical_id.clone(),
                    properties,
                    attributes: attributes.clone(),
                },
                *adoptable,
            ));
    }
    let mut records = BTreeMap::new();
    let mut unread = Vec::new();
    for (type_name, batch) in by_type {
        let provider = session
            .providers
            .get(type_name)
            .with_context(|| format!("internal: no provider for {type_name}"))?;
        let inputs = batch.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>();
        let found = session
            .rt
            .block_on(provider.read(&inputs))
            .with_context(|| format!("reading {type_name} resources"))?;
        for (item, adoptable) in &batch {
            match found.get(&item.address) {
                Some(Observation::Present {
                    properties,
                    attributes,
                }) => {
                    let record = record(deployment, item, type_name, properties, attributes);
                    records.insert(item.address.clone(), record);
                }
                _ => unread.push(*adoptable),
            }
        }
    }
    Ok((records, unread))
}

/// Finds a natural-key resource through its provider; `Ok(Err(why))` when it cannot be adopted.
fn find(
    session: &Session,
    deployment: &Deployment,
    adoptable: &Adoptable,
) -> anyhow::Result<Result<ResourceRecord, String>> {
    let type_name = adoptable.resource_type.as_str();
    let provider = session
        .providers
        .get(type_name)
        .with_context(|| format!("internal: no provider for {type_name}"))?;
    let Some(resource) = deployment.resource(&adoptable.address) else {
        return Ok(Err("not in the template".to_string()));
    };
    let Some(properties) = resource.properties.to_json() else {
        return Ok(Err(
            "its properties are not all known before a plan".to_string()
        ));
    };
    let input = FindInput {
        address: adoptable.address.clone(),
        type_name: type_name.to_string(),
        properties,
        tags: BTreeMap::new(),
        name: None,
        replacing: None,
    };
    let found = match session.rt.block_on(provider.find(&input)) {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(Err("not found by its natural key".to_string())),
        Err(e) => return Ok(Err(format!("finding it failed: {e}"))),
    };
    let item = ReadInput {
        address: adoptable.address.clone(),
        physical_id: found.physical_id.clone(),
        properties: super::template_keys(&resource.properties),
        attributes: found.attributes.clone(),
    };
    let observed = session
        .rt
        .block_on(provider.read(std::slice::from_ref(&item)))
        .with_context(|| format!("reading {type_name} {}", found.physical_id))?;
    match observed.get(&item.address) {
        Some(Observation::Present {
            properties,
            attributes,
        }) => Ok(Ok(record(
            deployment, &item, type_name, properties, attributes,
        ))),
        _ => Ok(Err(format!("{} vanished while read", found.physical_id))),
    }
}

/// The state record of an adopted resource, with the dependencies the template gives it.
fn record(
    deployment: &Deployment,
    item: &ReadInput,
    type_name: &str,
    properties: &serde_json::Value,
    attributes: &BTreeMap<String, serde_json::Value>,
) -> ResourceRecord {
    let dependencies = deployment
        .resource(&item.address)
        .map(|r| {
            r.deps
                .iter()
                .map(|d| d.target.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        })
        .unwrap_or_default();
    ResourceRecord {
        resource_type: type_name.to_string(),
        physical_id: item.physical_id.clone(),
        properties: properties.clone(),
        attributes: attributes.clone(),
        dependencies,
        status: ResourceStatus::Created,
    }
}

#[cfg(test)]
mod tests;
