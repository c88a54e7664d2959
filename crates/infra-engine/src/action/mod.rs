//! Running one operation: resolve its inputs, save its intent, call the provider (with retries
//! and progress reports), save its result.
//!
//! What is written to the state, and when:
//!
//! | operation | before the provider call | after it succeeds |
//! |---|---|---|
//! | create | `create` intent | record; intent settled |
//! | create replacement, create-then-delete | `replace` intent (old `physical_id`) | new record; intent settled; a `delete` intent for the old object added in the same write |
//! | create replacement, delete-then-create | `create` intent | record; intent settled |
//! | update | nothing (no object is made) | record with the new properties and attributes |
//! | delete, delete replaced | `delete` intent | intent settled; record removed (unless it is already the new object's) |
//! | forget, forget replaced (delete-then-create) | nothing (no AWS call) | record removed and the object listed in `retained`, in one write |
//! | forget replaced (create-then-delete) | nothing | nothing: the create replacement's write listed the old object in `retained` instead of adding its `delete` intent |
//!
//! Every record written carries the change's `DeletionPolicy` and `UpdateReplacePolicy` (the
//! template's); a change of policy alone is written before the first operation (see `apply`).
//! A create never adopts an object listed in `retained`: its result is checked against the
//! list, and so is what `find` returns before a retried create adopts it.
//!
//! When an operation fails, its intent stays in `pending`, as after a crash. A failed create
//! may still have made something (the provider contract says it is then findable by its
//! `infra:*` tags, its name or its natural key): the next run looks each intent up (see
//! `recover`), adopts what it finds or drops the intent when nothing is there. A failed delete
//! leaves its record and its intent; the next run checks whether the object is gone. A failed
//! update changes nothing in the state; the next refresh shows what AWS has.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use infra_plan::{Action, Plan, ResourceChange};
use infra_provider::{
    Checkpoint, CheckpointSink, CreateInput, DeleteInput, FailureClass, FindInput, Observation,
    ProviderError, Providers, ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_state::{
    DeletionPolicy, Intent, IntentAction, ResourcePath, ResourceRecord, ResourceStatus, RetainedBy,
    RetainedRecord, State, UpdateReplacePolicy,
};
use petgraph::graph::NodeIndex;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::apply::Resolver;
use crate::events::{Event, Operation};
use crate::naming;
use crate::order::{ActionGraph, ActionNode};
use crate::progress::with_progress;
use crate::retry::{RetryPolicy, with_retries};
use crate::walk::Step;
use crate::writer::StateMsg;

mod bookkeeping;

/// Everything an operation needs, shared by all of them.
pub(crate) struct Runner<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) graph: &'a ActionGraph,
    pub(crate) providers: &'a Providers,
    pub(crate) resolver: &'a dyn Resolver,
    pub(crate) stack: &'a str,
    pub(crate) events: &'a mpsc::UnboundedSender<Event>,
    pub(crate) cancel: &'a CancellationToken,
    pub(crate) retry: &'a RetryPolicy,
    /// The state as the apply began: the old objects that deletes remove.
    pub(crate) initial: &'a State,
    pub(crate) writer: mpsc::UnboundedSender<StateMsg>,
    pub(crate) snapshot: watch::Receiver<Arc<State>>,
    /// Why each failed node failed.
    pub(crate) failures: Mutex<BTreeMap<NodeIndex, String>>,
}

/// Why an operation failed, and whether the apply must stop starting new ones.
struct Failure {
    message: String,
    /// The state could not be saved: going on would make changes nobody records.
    halt: bool,
}

impl Failure {
    fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            halt: false,
        }
    }
}

/// The existing object a delete removes (or a forget leaves in AWS).
struct OldObject {
    resource_type: String,
    path: ResourcePath,
    physical_id: String,
    properties: serde_json::Value,
    attributes: BTreeMap<String, serde_json::Value>,
    deletion_policy: DeletionPolicy,
    update_replace_policy: UpdateReplacePolicy,
}

impl Runner<'_> {
    /// Runs the operation of node `index` and tells the walker how it went.
    pub(crate) async fn run(&self, index: NodeIndex) -> Step {
        let node = &self.graph[index];
        let change = &self.plan.changes[node.change];
        let result = match node.operation {
            Operation::Create | Operation::CreateReplacement => self.create(node, change).await,
            Operation::Update => self.update(node, change).await,
            Operation::Delete | Operation::DeleteReplaced => self.delete(node, change).await,
            Operation::Forget | Operation::ForgetReplaced => self.forget(node, change).await,
        };
        match result {
            Ok(()) => Step::Continue,
            Err(failure) => {
                self.emit(Event::Failed {
                    address: node.address.clone(),
                    action: node.operation,
                    error: failure.message.clone(),
                });
                let halt = failure.halt;
                self.failures
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(index, failure.message);
                if halt { Step::Halt } else { Step::Failed }
            }
        }
    }

    async fn create(&self, node: &ActionNode, change: &ResourceChange) -> Result<(), Failure> {
        let provider = self.provider(&change.type_name, change.path)?;
        let resource_type = infra_registry::resource_type(&change.type_name);
        let properties = self.resolve(node)?;
        let generated_name =
            naming::generated_name(resource_type, &properties, self.stack, &node.address);
        let tags = naming::infra_tags(resource_type, self.stack, &node.address);
        let replaced = if change.action == Action::CreateThenDelete {
            Some(self.old_object(change)?)
        } else {
            None
        };

        // What the record will hold, and what finds the resource if this run is interrupted.
        let recorded = match &generated_name {
            Some(name) => naming::with_name(resource_type, properties.clone(), name),
            None => properties.clone(),
        };
        let intent = Intent {
            address: node.address.clone(),
            action: if replaced.is_some() {
                IntentAction::Replace
            } else {
                IntentAction::Create
            },
            resource_type: change.type_name.clone(),
            expected_name: generated_name
                .clone()
                .or_else(|| naming::given_name(resource_type, &properties)),
            physical_id: replaced.as_ref().map(|old| old.physical_id.clone()),
            tags: tags.clone(),
            properties: Some(recorded.clone()),
            dependencies: change.depends_on.clone(),
            started: infra_state::now(),
            path: change.path,
            checkpoint: None,
            deletion_policy: change.deletion_policy,
            update_replace_policy: change.update_replace_policy,
        };
        let checkpoint = Checkpoint::new(
            crate::recover::checkpoint_key(&self.initial.lineage, &intent),
            None,
            self.checkpoint_sink(&node.address),
        );
        let find = FindInput {
            address: node.address.clone(),
            type_name: change.type_name.clone(),
            properties: recorded.clone(),
            tags: tags.clone(),
            name: intent.expected_name.clone(),
            replacing: intent.physical_id.clone(),
            checkpoint: checkpoint.clone(),
        };
        self.save(StateMsg::Pending(intent)).await?;

        let input = CreateInput {
            address: node.address.clone(),
            type_name: change.type_name.clone(),
            properties,
            tags,
            generated_name,
            checkpoint,
        };
        let started = self.started(node);
        let retrying = AtomicBool::new(false);
        let output = self
            .call(node, started, || {
                let (input, find, retrying) = (&input, &find, &retrying);
                let retained = |physical_id: &str| self.is_retained(&find.type_name, physical_id);
                async move {
                    if retrying.swap(true, Ordering::Relaxed)
                        && let Some(made) =
                            made_by_failed_attempt(provider, find, &retained).await?
                    {
                        return Ok(made);
                    }
                    provider.create(input).await
                }
            })
            .await
            .map_err(|error| Failure::new(error.message))?;
        if self.is_retained(&change.type_name, &output.physical_id) {
            // A provider whose create found the name taken adopts the object when it carries
            // this resource's tags, which a retained object still does.
            return Err(Failure::new(format!(
                "AWS answered the create with {id}, an object infra retained (a policy kept it \
                 in AWS when it left the state) and no longer manages; infra does not take a \
                 retained object back by itself. To manage it again, run `infra import {address} \
                 {id}`; to make a new one, delete {id} in AWS or give the resource another name",
                id = output.physical_id,
                address = node.address
            )));
        }

        let record = ResourceRecord {
            resource_type: change.type_name.clone(),
            physical_id: output.physical_id.clone(),
            properties: recorded,
            attributes: output.attributes,
            dependencies: change.depends_on.clone(),
            status: ResourceStatus::Created,
            path: change.path,
            deletion_policy: change.deletion_policy,
            update_replace_policy: change.update_replace_policy,
        };
        // The old object of a create-then-delete, in the same write as the new record: a
        // `delete` intent, for its delete later; or, when a policy keeps it, its entry in
        // `retained`. No state written loses track of it.
        let (deposed, retained) = match (replaced, change.retained_by) {
            (None, _) => (None, None),
            (Some(old), Some(retained_by)) => (
                None,
                Some(RetainedRecord {
                    address: node.address.clone(),
                    resource_type: old.resource_type,
                    physical_id: old.physical_id,
                    retained_by,
                    retained: infra_state::now(),
                }),
            ),
            (Some(old), None) => (
                Some(Box::new(Intent {
                    address: node.address.clone(),
                    action: IntentAction::Delete,
                    resource_type: old.resource_type,
                    expected_name: None,
                    physical_id: Some(old.physical_id),
                    tags: BTreeMap::new(),
                    properties: None,
                    dependencies: Vec::new(),
                    started: infra_state::now(),
                    path: old.path,
                    checkpoint: None,
                    deletion_policy: old.deletion_policy,
                    update_replace_policy: old.update_replace_policy,
                })),
                None,
            ),
        };
        let done = StateMsg::Done {
            address: node.address.clone(),
            record,
            deposed,
            retained,
        };
        self.record(done)
            .await
            .map_err(|failure| made_but_not_saved(failure, &output.physical_id))?;
        self.finished(node, started, output.physical_id);
        Ok(())
    }

    async fn update(&self, node: &ActionNode, change: &ResourceChange) -> Result<(), Failure> {
        let provider = self.provider(&change.type_name, change.path)?;
        let resource_type = infra_registry::resource_type(&change.type_name);
        let Some(record) = self.initial.resources.get(&node.address) else {
            return Err(Failure::new(
                "it is not in the state, so there is nothing to update",
            ));
        };
        let mut properties = self.resolve(node)?;
        // A generated name is kept: the template still gives none.
        if naming::given_name(resource_type, &properties).is_none()
            && let Some(name) = naming::given_name(resource_type, &record.properties)
        {
            properties = naming::with_name(resource_type, properties, &name);
        }
        let input = UpdateInput {
            address: node.address.clone(),
            type_name: change.type_name.clone(),
            physical_id: record.physical_id.clone(),
            // What the plan diffed against: AWS's refreshed values when the plan refreshed
            // (so an update converges from what exists, drift and half-made adoptions
            // included), else the record.
            before: change
                .before
                .as_ref()
                .and_then(|before| before.to_json())
                .unwrap_or_else(|| record.properties.clone()),
            after: properties,
            attributes: record.attributes.clone(),
            tags: naming::infra_tags(resource_type, self.stack, &node.address),
        };
        // No AWS call before the records of what it depends on are on disk (an update has no
        // intent whose flush would see to it).
        self.flush().await?;
        let started = self.started(node);
        let output = self
            .call(node, started, || provider.update(&input))
            .await
            .map_err(|error| Failure::new(error.message))?;

        let physical_id = if output.physical_id.is_empty() {
            record.physical_id.clone()
        } else {
            output.physical_id
        };
        let mut attributes = record.attributes.clone();
        attributes.extend(output.attributes);
        let updated = ResourceRecord {
            resource_type: change.type_name.clone(),
            physical_id: physical_id.clone(),
            properties: input.after,
            attributes,
            dependencies: change.depends_on.clone(),
            status: ResourceStatus::Created,
            path: record.path,
            deletion_policy: change.deletion_policy,
            update_replace_policy: change.update_replace_policy,
        };
        let done = StateMsg::Done {
            address: node.address.clone(),
            record: updated,
            deposed: None,
            retained: None,
        };
        self.record(done)
            .await
            .map_err(|failure| made_but_not_saved(failure, &physical_id))?;
        self.finished(node, started, physical_id);
        Ok(())
    }

    async fn delete(&self, node: &ActionNode, change: &ResourceChange) -> Result<(), Failure> {
        let old = self.old_object(change)?;
        let provider = self.provider(&old.resource_type, old.path)?;
        let intent = Intent {
            address: node.address.clone(),
            action: IntentAction::Delete,
            resource_type: old.resource_type.clone(),
            expected_name: None,
            physical_id: Some(old.physical_id.clone()),
            tags: BTreeMap::new(),
            properties: None,
            dependencies: Vec::new(),
            started: infra_state::now(),
            path: old.path,
            checkpoint: None,
            deletion_policy: old.deletion_policy,
            update_replace_policy: old.update_replace_policy,
        };
        self.save(StateMsg::Pending(intent)).await?;

        let input = DeleteInput {
            address: node.address.clone(),
            type_name: old.resource_type,
            physical_id: old.physical_id,
            properties: old.properties,
            attributes: old.attributes,
        };
        let started = self.started(node);
        match self.call(node, started, || provider.delete(&input)).await {
            Ok(()) => {}
            Err(error) if error.class == FailureClass::NotFound => {}
            Err(error) => return Err(Failure::new(error.message)),
        }

        let removed = StateMsg::Removed {
            address: node.address.clone(),
            physical_id: input.physical_id.clone(),
            deposed: node.operation == Operation::DeleteReplaced
                && change.action == Action::CreateThenDelete,
        };
        self.record(removed)
            .await
            .map_err(|failure| made_but_not_saved(failure, &input.physical_id))?;
        self.finished(node, started, input.physical_id);
        Ok(())
    }

    /// Takes the object out of the state and leaves it in AWS, as the change's policy says: no
    /// provider call, one write (the record removed, the object listed in `retained`).
    async fn forget(&self, node: &ActionNode, change: &ResourceChange) -> Result<(), Failure> {
        let old = self.old_object(change)?;
        let started = self.started(node);
        // A create-then-delete's new record took the old object out already, in the same
        // write that listed it as retained.
        if !(node.operation == Operation::ForgetReplaced
            && change.action == Action::CreateThenDelete)
        {
            let retained_by = change.retained_by.unwrap_or(match node.operation {
                Operation::ForgetReplaced => RetainedBy::UpdateReplacePolicy,
                _ => RetainedBy::DeletionPolicy,
            });
            let retained = RetainedRecord {
                address: node.address.clone(),
                resource_type: old.resource_type,
                physical_id: old.physical_id.clone(),
                retained_by,
                retained: infra_state::now(),
            };
            self.record(StateMsg::Forgotten { retained })
                .await
                .map_err(|failure| Failure {
                    message: format!("cannot record it as retained: {}", failure.message),
                    halt: failure.halt,
                })?;
        }
        self.finished(node, started, old.physical_id);
        Ok(())
    }

    /// Whether the object `physical_id` of `type_name` is one infra retained, as the state
    /// says now (a forget earlier in this apply included).
    fn is_retained(&self, type_name: &str, physical_id: &str) -> bool {
        self.snapshot.borrow().is_retained(type_name, physical_id)
    }

    /// One provider call with retries and "still running" reports.
    async fn call<T, Fut>(
        &self,
        node: &ActionNode,
        started: Instant,
        attempt: impl FnMut() -> Fut,
    ) -> Result<T, ProviderError>
    where
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let report_progress = |elapsed| {
            self.emit(Event::StillRunning {
                address: node.address.clone(),
                action: node.operation,
                elapsed,
            });
        };
        let report_retry = |attempt, error: &ProviderError, delay| {
            self.emit(Event::Retrying {
                address: node.address.clone(),
                action: node.operation,
                attempt,
                error: error.message.clone(),
                delay,
            });
        };
        let deleting = node.operation.is_delete();
        let retried = with_retries(self.retry, deleting, self.cancel, report_retry, attempt);
        with_progress(started, report_progress, retried).await
    }

    /// The resource's desired properties, evaluated against the state as it is now.
    fn resolve(&self, node: &ActionNode) -> Result<serde_json::Value, Failure> {
        let state = Arc::clone(&self.snapshot.borrow());
        self.resolver
            .properties(&node.address, &state)
            .map_err(|error| Failure::new(format!("cannot resolve its properties: {error}")))
    }
}

/// Before a create is tried again: what the failed attempt made, if anything, finished. An
/// attempt can fail after its creating call succeeded (a tag, an attribute or a waiter
/// throttled beyond the SDK's retries); creating again would make a second object. So the
/// object is found as after an interrupted run (`find`), read, and updated from what it is to
/// what the create was asked for, which does the steps the failed attempt left undone. A type
/// whose provider cannot look it up is created again as before. Errors of the lookup, read or
/// update are retried like the create's, by class. An object infra retained (`retained` says
/// which) is never what the attempt made: it carries the same `infra:*` tags, but it is not
/// adopted again.
async fn made_by_failed_attempt(
    provider: &dyn ResourceProvider,
    find: &FindInput,
    retained: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Option<ResourceOutput>, ProviderError> {
    let made = match provider.find(find).await {
        Ok(Some(made)) if retained(&made.physical_id) => return Ok(None),
        Ok(Some(made)) => made,
        Ok(None) => return Ok(None),
        Err(error) if error.class == FailureClass::Retryable => return Err(error),
        Err(_) => return Ok(None),
    };
    let item = ReadInput {
        address: find.address.clone(),
        type_name: find.type_name.clone(),
        physical_id: made.physical_id.clone(),
        properties: find.properties.clone(),
        attributes: made.attributes.clone(),
    };
    let observed = provider.read(std::slice::from_ref(&item)).await?;
    let Some(Observation::Present { properties, .. }) = observed.get(&find.address) else {
        return Ok(None);
    };
    if *properties == find.properties {
        return Ok(Some(made));
    }
    let update = UpdateInput {
        address: find.address.clone(),
        type_name: find.type_name.clone(),
        physical_id: made.physical_id.clone(),
        before: properties.clone(),
        after: find.properties.clone(),
        attributes: made.attributes,
        tags: find.tags.clone(),
    };
    provider.update(&update).await.map(Some)
}

/// The provider call succeeded but its result could not be saved.
fn writer_stopped() -> Failure {
    Failure {
        message: "the state writer stopped".to_owned(),
        halt: true,
    }
}

fn made_but_not_saved(failure: Failure, physical_id: &str) -> Failure {
    Failure {
        message: format!(
            "AWS did it ({physical_id}), but {}; the returned state has it",
            failure.message
        ),
        halt: failure.halt,
    }
}
