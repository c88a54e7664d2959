//! What a plan is bound to ([`Binding`]: stack, lineage, serial, template files, parameter
//! values) and the checks that a saved plan still applies: the binding first, before any AWS
//! call, then the actions and the packaged code of the plan computed for the apply.

use std::path::Path;

use infra_plan::Plan;
use infra_plan::plan::{Binding, SavedPlanError, check_binding, parameters_sha256};
use infra_state::State;
use infra_template::{LoadOptions, Offline, Sources, Value};
use sha2::{Digest as _, Sha256};

/// SHA-256 over every template file read, in load order.
pub fn template_sha256(sources: &Sources) -> String {
    let mut h = Sha256::new();
    for (_, f) in sources.iter() {
        h.update((f.text.len() as u64).to_le_bytes());
        h.update(f.text.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A saved plan no longer applies.
#[derive(Debug, thiserror::Error)]
pub enum StalePlan {
    /// Its binding differs (stack, lineage, serial, template, parameters).
    #[error(transparent)]
    Binding(#[from] SavedPlanError),
    /// The actions planned now differ from the saved ones.
    #[error(
        "saved plan is stale: the planned actions differ from the ones saved; run `infra plan` again"
    )]
    Actions,
    /// A function's packaged code differs from what the saved plan showed.
    #[error(
        "saved plan is stale: a function's packaged code (or --artifact-bucket) differs from the plan's; run `infra plan` again"
    )]
    Packages,
}

/// The checks of a saved plan's binding that need no AWS call (stack, lineage, serial,
/// template files, parameter values), made before connecting so that a plan that no longer
/// applies is refused at once. The template at `template` is loaded offline with `opts`.
pub fn check_saved_offline(
    saved: &Plan,
    template: &Path,
    opts: &LoadOptions,
    stack: &str,
    state: Option<&State>,
) -> Result<(), SavedPlanError> {
    let sources = match infra_template::load(template, opts, &Offline) {
        Ok(d) => d.sources,
        Err(e) => e.sources,
    };
    let current = Binding {
        stack: stack.to_string(),
        lineage: state.map(|s| s.lineage.to_string()),
        serial: state.map_or(0, |s| s.serial),
        template_sha256: template_sha256(&sources),
        parameters_sha256: parameters_sha256(&opts.parameters),
        template: template.display().to_string(),
    };
    check_binding(&saved.binding, &current)
}

/// The checks of a saved plan against the plan computed for the apply: the same binding, the
/// same actions, and the same packaged code for every function (packaged local code is not in
/// the template's hash: a package whose files changed since the plan has another key, and the
/// saved plan did not show that code).
pub fn check_saved(saved: &Plan, planned: &Plan) -> Result<(), StalePlan> {
    check_binding(&saved.binding, &planned.binding)?;
    let actions = |p: &Plan| {
        p.changes
            .iter()
            .map(|c| (c.address.clone(), c.action))
            .collect::<Vec<_>>()
    };
    if actions(saved) != actions(planned) {
        return Err(StalePlan::Actions);
    }
    let packages = |p: &Plan| {
        p.changes
            .iter()
            .filter(|c| c.type_name == "AWS::Lambda::Function")
            .map(|c| {
                let code = match &c.after {
                    Some(Value::Map(after)) => after.get("Code").cloned(),
                    _ => None,
                };
                (c.address.clone(), code)
            })
            .collect::<Vec<_>>()
    };
    if packages(saved) != packages(planned) {
        return Err(StalePlan::Packages);
    }
    Ok(())
}
