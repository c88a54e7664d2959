//! `--target ADDRESS`: every address given must name something of the stack, so a typo is an
//! error rather than a plan that silently does nothing.

use anyhow::bail;
use infra_state::State;
use infra_template::Deployment;

/// Refuses every `--target` that names no resource (`Logical`, `Stack.Logical`) or nested
/// stack (`Stack`) of the template, nor anything recorded in the state (a resource, or the
/// address of an unfinished change).
pub fn check(
    targets: &[String],
    deployment: Option<&Deployment>,
    state: Option<&State>,
) -> anyhow::Result<()> {
    let unknown: Vec<String> = targets
        .iter()
        .filter(|t| !known(t, deployment, state))
        .map(|t| format!("--target `{t}`"))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    bail!(
        "{} names no resource or nested stack of the template or the state (addresses look like `Logical` or `Stack.Logical`)",
        unknown.join(", ")
    )
}

fn known(target: &str, deployment: Option<&Deployment>, state: Option<&State>) -> bool {
    let prefix = format!("{target}.");
    let names = |address: &str| address == target || address.starts_with(&prefix);
    deployment.is_some_and(|d| d.resources.iter().any(|r| names(&r.address)))
        || state.is_some_and(|s| {
            s.resources.keys().any(|a| names(a)) || s.pending.iter().any(|i| names(&i.address))
        })
}
