//! The comparison of a template's resources with a CloudFormation stack's, on plain lists: what
//! is adopted, what ends with the stack, what `--skip` leaves out, and every reason the import
//! cannot go on.

use std::collections::{BTreeMap, BTreeSet};

use infra_aws::cloudformation::{NESTED_STACK_TYPE, StackResource};

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

#[cfg(test)]
mod tests;
