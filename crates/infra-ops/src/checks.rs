//! Checks made before any AWS call: every `--target` names something of the stack, and no
//! resource sets a property its provider refuses whatever its value.

use infra_state::State;
use infra_template::{Deployment, Diagnostic, Value};

/// Some `--target` addresses name nothing of the template or the state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} names no resource or nested stack of the template or the state (addresses look like `Logical` or `Stack.Logical`)",
    .unknown.iter().map(|t| format!("--target `{t}`")).collect::<Vec<_>>().join(", ")
)]
pub struct UnknownTargets {
    /// The addresses, in the order given.
    pub unknown: Vec<String>,
}

/// Refuses every `--target` that names no resource (`Logical`, `Stack.Logical`) or nested
/// stack (`Stack`) of the template, nor anything recorded in the state (a resource, or the
/// address of an unfinished change), so a typo is an error rather than a plan that silently
/// does nothing.
pub fn check_targets(
    targets: &[String],
    deployment: Option<&Deployment>,
    state: Option<&State>,
) -> Result<(), UnknownTargets> {
    let unknown: Vec<String> = targets
        .iter()
        .filter(|t| !known(t, deployment, state))
        .cloned()
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(UnknownTargets { unknown })
    }
}

fn known(target: &str, deployment: Option<&Deployment>, state: Option<&State>) -> bool {
    let prefix = format!("{target}.");
    let names = |address: &str| address == target || address.starts_with(&prefix);
    deployment.is_some_and(|d| d.resources.iter().any(|r| names(&r.address)))
        || state.is_some_and(|s| {
            s.resources.keys().any(|a| names(a)) || s.pending.iter().any(|i| names(&i.address))
        })
}

/// One diagnostic, at the resource's logical id, for every top-level property a resource of
/// `deployment` sets that its provider refuses whatever its value
/// ([`infra_aws::providers::refused_properties`]): apply would fail on it, after other changes.
/// Types in `cloud_control` (`--cloud-control`) are not checked: Cloud Control takes every
/// property of the schema. Dynamic references that do not parse are reported too
/// ([`bad_dynamic_references`]).
pub fn unsupported_properties(
    deployment: &Deployment,
    cloud_control: &[String],
) -> Vec<Diagnostic> {
    let mut diags = refused_properties(deployment, cloud_control);
    diags.extend(bad_dynamic_references(deployment));
    diags
}

/// One diagnostic per resource whose properties hold a `{{resolve:...}}` dynamic reference that
/// does not parse (an unknown service, a malformed secret reference).
pub fn bad_dynamic_references(deployment: &Deployment) -> Vec<Diagnostic> {
    deployment
        .resources
        .iter()
        .filter_map(|resource| {
            let json = infra_plan::plan::json::known(&resource.properties);
            let message = infra_template::dynamic::references(&json).err()?;
            Some(Diagnostic::at(
                resource.span,
                format!(
                    "`{}` ({}): {message}",
                    resource.logical_id, resource.type_name
                ),
            ))
        })
        .collect()
}

fn refused_properties(deployment: &Deployment, cloud_control: &[String]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for resource in &deployment.resources {
        // Sent through Cloud Control, the native provider's refusals do not apply.
        if cloud_control.contains(&resource.type_name) {
            continue;
        }
        let Value::Map(properties) = &resource.properties else {
            continue;
        };
        for name in infra_aws::providers::refused_properties(&resource.type_name) {
            // A null value is the same as absent, as the providers read it.
            if properties
                .get(*name)
                .is_some_and(|v| !matches!(v, Value::Null))
            {
                diags.push(Diagnostic::at(
                    resource.span,
                    format!(
                        "`{}` ({}): property `{name}` is not supported yet by infra's native provider; `--cloud-control {}` deploys the type through AWS Cloud Control instead",
                        resource.logical_id, resource.type_name, resource.type_name
                    ),
                ));
            }
        }
    }
    diags
}
