//! [`recover`]: looks up in AWS what the intents in a state's `pending` became, so the next
//! plan adopts what an interrupted run made instead of creating it twice, and forgets what it
//! deleted.
//!
//! Each intent is resolved by its type's provider: `create` and `replace` intents with
//! [`ResourceProvider::find`] (by `infra:*` tags, name or natural key, from what the create was
//! asked), `delete` intents with [`ResourceProvider::read`] of the object. The outcomes, and
//! how `apply` records them, are described in `infra_plan::plan::recovery`. Nothing here
//! changes AWS or the state: the caller plans against the state with the outcomes applied.
//! A create that finds nothing while its request may still be under way (see [`IN_FLIGHT`])
//! is looked up once more when it no longer can be.
//!
//! An object the state lists in `retained` (a policy kept it in AWS when it left the state)
//! still carries its `infra:*` tags, and may be what `find` answers for a create at the same
//! address: it is never adopted; the create counts as having made nothing. An adopted object
//! gets the policies its intent recorded, except that `RetainExceptOnCreate` becomes `Delete`:
//! its create did not finish, and such a create is cleaned up as with `Delete` until an apply
//! records the template's policy again.

use std::collections::BTreeSet;
use std::time::Duration;

use infra_plan::plan::{Outcome, Recovered, deposed_address};
use infra_provider::{
    Checkpoint, DeployPath, FindInput, Observation, ProviderError, Providers, ReadInput,
    ResourceProvider,
};
use infra_state::Uuid;
use infra_state::{
    DeletionPolicy, Intent, IntentAction, ResourcePath, ResourceRecord, ResourceStatus, State,
};

/// How long a create may still be under way in AWS after the process that asked for it died:
/// the SDK's operation timeout (14 s) and a margin. When nothing is found for an intent younger
/// than this, it is looked up again once it is this old, so that a request still in flight is
/// not taken for one that made nothing (which would create the resource twice).
pub const IN_FLIGHT: Duration = Duration::from_secs(15);

/// An intent could not be resolved: planning must not go on without knowing what exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoverError {
    /// No provider for the intent's type.
    #[error(
        "the state has an unfinished {action} of `{address}` ({type_name}), a type this infra cannot look up; nothing was changed: use the infra version that made the change to finish it"
    )]
    UnknownType {
        /// The address.
        address: String,
        /// The type.
        type_name: String,
        /// The intent's action.
        action: &'static str,
    },
    /// The lookup failed.
    #[error(
        "cannot resolve the unfinished {action} of `{address}` ({type_name}) left by an earlier run: {message}; nothing was changed: run the command again once AWS answers the lookup (the state keeps the unfinished change until then; `infra show` counts them)"
    )]
    Lookup {
        /// The address.
        address: String,
        /// The type.
        type_name: String,
        /// The intent's action.
        action: &'static str,
        /// The provider's error.
        message: String,
    },
}

/// Resolves every intent in `state.pending`, oldest first.
pub async fn recover(state: &State, providers: &Providers) -> Result<Vec<Recovered>, RecoverError> {
    let mut recovered = Vec::new();
    let mut deposed_taken: BTreeSet<String> = BTreeSet::new();
    for intent in &state.pending {
        let provider =
            provider_on(providers, &intent.resource_type, intent.path).ok_or_else(|| {
                RecoverError::UnknownType {
                    address: intent.address.clone(),
                    type_name: intent.resource_type.clone(),
                    action: intent.action.noun(),
                }
            })?;
        let failed = |error: ProviderError| RecoverError::Lookup {
            address: intent.address.clone(),
            type_name: intent.resource_type.clone(),
            action: intent.action.noun(),
            message: error.message,
        };
        let mut depose = |record: ResourceRecord| {
            let address = deposed_address(&intent.address, |candidate| {
                state.resources.contains_key(candidate) || deposed_taken.contains(candidate)
            });
            deposed_taken.insert(address.clone());
            Outcome::Deposed {
                deposed_address: address,
                record,
            }
        };
        match intent.action {
            IntentAction::Create | IntentAction::Replace => {
                let mut found = find(provider, state, intent).await.map_err(failed)?;
                if found.is_none()
                    && let Some(wait) = still_in_flight(intent)
                {
                    tokio::time::sleep(wait).await;
                    found = find(provider, state, intent).await.map_err(failed)?;
                }
                let Some((found_by, record)) = found else {
                    recovered.push(entry(intent, Outcome::NothingMade));
                    continue;
                };
                recovered.push(entry(intent, Outcome::Adopted { found_by, record }));
                // The adopted object takes the address; the replaced one, still recorded
                // there, moves aside to be deleted.
                let replaced = state.resources.get(&intent.address).filter(|old| {
                    intent.action == IntentAction::Replace
                        && Some(&old.physical_id) == intent.physical_id.as_ref()
                });
                if let Some(old) = replaced {
                    let mut moved = entry(intent, depose(old.clone()));
                    moved.intent = IntentAction::Delete;
                    moved.intent_physical_id = None;
                    recovered.push(moved);
                }
            }
            IntentAction::Delete => {
                let Some(physical_id) = intent.physical_id.clone() else {
                    // A delete intent always names its object; one that does not names
                    // nothing that could still exist.
                    recovered.push(entry(intent, Outcome::NothingMade));
                    continue;
                };
                let recorded = state
                    .resources
                    .get(&intent.address)
                    .filter(|record| record.physical_id == physical_id);
                // A replaced object's record was overwritten by its replacement's: read it
                // with the replacement's properties, which have the same shape.
                let shape = recorded.or_else(|| state.resources.get(&intent.address));
                let seen = read_one(provider, intent, &physical_id, shape)
                    .await
                    .map_err(failed)?;
                let outcome = match (seen, recorded) {
                    (None, _) => Outcome::Deleted { physical_id },
                    (Some(_), Some(_)) => Outcome::StillExists { physical_id },
                    (Some(observed), None) => depose(observed),
                };
                recovered.push(entry(intent, outcome));
            }
        }
    }
    Ok(recovered)
}

/// The provider of `type_name` on the recorded `path`.
pub fn provider_on<'p>(
    providers: &'p Providers,
    type_name: &str,
    path: ResourcePath,
) -> Option<&'p dyn ResourceProvider> {
    providers.on(type_name, deploy_path(path))
}

/// The contract's name of a recorded path.
pub fn deploy_path(path: ResourcePath) -> DeployPath {
    match path {
        ResourcePath::Native => DeployPath::Native,
        ResourcePath::CloudControl => DeployPath::CloudControl,
    }
}

/// The key of a create's [`Checkpoint`]: unique to its intent (the state's lineage, the
/// address, the action and the second the intent was written) and the same when a later run
/// looks the intent up.
pub(crate) fn checkpoint_key(lineage: &Uuid, intent: &Intent) -> String {
    format!(
        "{lineage}/{}/{}/{}",
        intent.address,
        intent.action.noun(),
        intent.started.as_second()
    )
}

/// How much longer the request of `intent` may still be under way, when it may.
fn still_in_flight(intent: &Intent) -> Option<Duration> {
    let age = infra_state::now().duration_since(intent.started);
    let age = Duration::try_from(age).unwrap_or(Duration::ZERO);
    IN_FLIGHT.checked_sub(age).filter(|left| !left.is_zero())
}

/// Looks up what a create intent made; its record when found (never an object `state` lists
/// as retained).
async fn find(
    provider: &dyn ResourceProvider,
    state: &State,
    intent: &Intent,
) -> Result<Option<(String, ResourceRecord)>, ProviderError> {
    let lineage = &state.lineage;
    let properties = intent
        .properties
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    let input = FindInput {
        address: intent.address.clone(),
        type_name: intent.resource_type.clone(),
        properties: properties.clone(),
        tags: intent.tags.clone(),
        name: intent.expected_name.clone(),
        replacing: match intent.action {
            IntentAction::Replace => intent.physical_id.clone(),
            IntentAction::Create | IntentAction::Delete => None,
        },
        checkpoint: Checkpoint::detached(
            checkpoint_key(lineage, intent),
            intent.checkpoint.clone(),
        ),
    };
    let Some(output) = provider.find(&input).await? else {
        return Ok(None);
    };
    if state.is_retained(&intent.resource_type, &output.physical_id) {
        return Ok(None);
    }
    let found_by = if intent.checkpoint.is_some() {
        "found by the request its create saved".to_owned()
    } else if !intent.tags.is_empty() {
        "found by its infra tags".to_owned()
    } else if let Some(name) = &intent.expected_name {
        format!("found by its name {name}")
    } else {
        "found by its properties".to_owned()
    };
    let record = ResourceRecord {
        resource_type: intent.resource_type.clone(),
        physical_id: output.physical_id,
        properties,
        attributes: output.attributes,
        dependencies: intent.dependencies.clone(),
        status: ResourceStatus::Created,
        path: intent.path,
        deletion_policy: match intent.deletion_policy {
            DeletionPolicy::RetainExceptOnCreate => DeletionPolicy::Delete,
            policy => policy,
        },
        update_replace_policy: intent.update_replace_policy,
    };
    Ok(Some((found_by, record)))
}

/// Reads one object; `None` when it is gone.
async fn read_one(
    provider: &dyn ResourceProvider,
    intent: &Intent,
    physical_id: &str,
    shape: Option<&ResourceRecord>,
) -> Result<Option<ResourceRecord>, ProviderError> {
    let item = ReadInput {
        address: intent.address.clone(),
        type_name: intent.resource_type.clone(),
        physical_id: physical_id.to_owned(),
        properties: shape.map_or_else(|| serde_json::json!({}), |r| r.properties.clone()),
        attributes: shape.map(|r| r.attributes.clone()).unwrap_or_default(),
    };
    let observed = provider.read(std::slice::from_ref(&item)).await?;
    Ok(match observed.get(&intent.address) {
        Some(Observation::Present {
            properties,
            attributes,
        }) => Some(ResourceRecord {
            resource_type: intent.resource_type.clone(),
            physical_id: physical_id.to_owned(),
            properties: properties.clone(),
            attributes: attributes.clone(),
            dependencies: shape.map(|r| r.dependencies.clone()).unwrap_or_default(),
            status: ResourceStatus::Created,
            path: intent.path,
            deletion_policy: shape.map_or(intent.deletion_policy, |r| r.deletion_policy),
            update_replace_policy: shape
                .map_or(intent.update_replace_policy, |r| r.update_replace_policy),
        }),
        Some(Observation::Gone) | None => None,
    })
}

fn entry(intent: &Intent, outcome: Outcome) -> Recovered {
    Recovered {
        address: intent.address.clone(),
        type_name: intent.resource_type.clone(),
        intent: intent.action,
        intent_physical_id: intent.physical_id.clone(),
        outcome,
    }
}
