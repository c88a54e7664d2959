//! Plans: what will change, computed from the desired deployment, the state and what refresh
//! observed. [`plan_until_stable`] runs the diff until replacements have made every value that
//! depends on them unknown.

mod compare;
mod diff;
pub mod exports;
pub mod json;
mod lookups;
pub mod model;
pub mod recovery;
pub mod replace;
mod saved;

use std::collections::{BTreeMap, BTreeSet};

use infra_state::State;
use infra_template::{Deployment, LoadError, Lookups};

pub use compare::{changed_paths, equal};
pub use diff::{Observed, PlanRequest, compute, path_for_new, template_policies};
pub use lookups::{StateLookups, VOLATILE_ON_UPDATE};
pub use model::{
    Action, Binding, Drift, Estimate, PLAN_FORMAT_VERSION, Plan, Policies, ResourceChange, Summary,
};
pub use recovery::{Outcome, Recovered, apply_recovery, deposed_address, is_deposed};
pub use saved::{
    SavedPlanError, check_binding, parameters_sha256, read_plan, redact, write_plan_bytes,
};

/// Inputs of [`plan_until_stable`] besides the template loader.
#[derive(Clone, Copy)]
pub struct PlanSettings<'a> {
    /// The state read before planning.
    pub state: Option<&'a State>,
    /// What refresh observed.
    pub observed: Option<&'a Observed>,
    /// Values from AWS (account, AZs, SSM).
    pub base: &'a dyn Lookups,
    /// `--target` addresses.
    pub targets: &'a [String],
    /// `--cloud-control` types.
    pub cloud_control: &'a [String],
}

impl std::fmt::Debug for PlanSettings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanSettings")
            .field("state", &self.state.map(|s| s.serial))
            .field("targets", &self.targets)
            .finish_non_exhaustive()
    }
}

/// Loads the deployment with the state's values, diffs, and repeats with the values of
/// resources to be created or replaced hidden, until the set of those resources is stable.
/// Returns the final deployment and plan.
pub fn plan_until_stable(
    load: &mut dyn FnMut(&dyn Lookups) -> Result<Deployment, LoadError>,
    settings: PlanSettings<'_>,
    binding: Binding,
) -> Result<(Deployment, Plan), LoadError> {
    let mut hidden: BTreeSet<String> = BTreeSet::new();
    let mut hidden_attributes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    loop {
        let lookups = StateLookups {
            state: settings.state,
            hidden: hidden.clone(),
            hidden_attributes: hidden_attributes.clone(),
            base: settings.base,
        };
        let deployment = load(&lookups)?;
        let request = PlanRequest {
            deployment: Some(&deployment),
            state: settings.state,
            observed: settings.observed,
            destroy: false,
            targets: settings.targets,
            cloud_control: settings.cloud_control,
        };
        let plan = compute(request, binding.clone());
        // Hiding an address only changes what the lookups answer when the state knows it: a
        // fresh stack's creates need no second pass.
        let known = |address: &str| {
            settings
                .state
                .is_some_and(|s| s.resources.contains_key(address))
        };
        let mut grew = false;
        for c in &plan.changes {
            if (matches!(c.action, Action::Create) || c.action.is_replace())
                && hidden.insert(c.address.clone())
            {
                grew |= known(&c.address);
            }
            if c.action == Action::Update {
                let volatile = VOLATILE_ON_UPDATE
                    .iter()
                    .filter(|(t, _)| c.type_name == *t)
                    .map(|(_, attr)| (*attr).to_string())
                    .chain(mirrored_properties(&c.type_name));
                for attr in volatile {
                    grew |= hidden_attributes
                        .entry(c.address.clone())
                        .or_default()
                        .insert(attr);
                }
            }
        }
        if !grew {
            return Ok((deployment, plan));
        }
    }
}

/// The `Fn::GetAtt` attributes of `type_name` that mirror a property the template sets
/// (`AWS::SQS::Queue.VisibilityTimeout`, `AWS::SSM::Parameter.Value`): an in-place update may
/// change them, like [`VOLATILE_ON_UPDATE`].
fn mirrored_properties(type_name: &str) -> impl Iterator<Item = String> + '_ {
    infra_registry::lookup(type_name)
        .into_iter()
        .flat_map(|rt| rt.attributes.iter().map(move |a| (rt, a)))
        .filter(|(rt, a)| {
            let top = a.name.split('.').next().unwrap_or(a.name);
            rt.property(top).is_some() && !rt.is_read_only(top)
        })
        .map(|(_, a)| a.name.to_owned())
}

#[cfg(test)]
mod tests;
