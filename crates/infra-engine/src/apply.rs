//! [`apply`]: runs a plan's operations in parallel, in dependency order, saving the state as it
//! goes, and returns what happened. A destroy is the apply of a destroy plan.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use infra_plan::{Action, Plan};
use infra_provider::Providers;
use infra_state::{State, StateStore};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::action::Runner;
use crate::events::{Event, Operation};
use crate::order::{ActionGraph, ActionNode, OrderError, action_graph};
use crate::retry::RetryPolicy;
use crate::schedule::{Schedule, Slot, scheduled_graph, weights};
use crate::walk::{NodeOutcome, Step, WalkOptions, WalkReport, walk};
use crate::writer;

/// Gives the desired properties of a resource about to be created or updated.
///
/// The CLI implements it by loading the template again with the values of `state` (which holds
/// every resource finished so far, this one's dependencies included). The engine calls it
/// only for creates and updates, never for deletes, so a destroy needs no template.
pub trait Resolver: Sync {
    /// The properties of `address`, fully known (every `Ref` and `Fn::GetAtt` resolved), as the
    /// JSON object the provider receives; an error message when they cannot be known.
    /// `state` is the published state: the same `Arc` until something changes, so a resolver
    /// may keep what it computed for it.
    fn properties(&self, address: &str, state: &Arc<State>) -> Result<serde_json::Value, String>;
}

/// Everything [`apply`] works with.
pub struct ApplyContext<'a> {
    /// One provider per resource type.
    pub providers: &'a Providers,
    /// Desired properties of creates and updates.
    pub resolver: &'a dyn Resolver,
    /// The state the plan was made from; the writer owns it during the apply.
    pub state: State,
    /// Where it is stored (a local file, an S3 object), locked by the caller; only the writer
    /// writes it.
    pub state_file: Box<dyn StateStore>,
    /// The most provider operations at once (`--parallelism`).
    pub parallelism: usize,
    /// The stack name, for generated names and the `infra:stack` tag.
    pub stack: &'a str,
    /// Where events go.
    pub events: mpsc::UnboundedSender<Event>,
    /// Cancelled on the first Ctrl-C: nothing new starts, running operations finish.
    pub cancel: CancellationToken,
    /// How long to retry.
    pub retry: RetryPolicy,
    /// Typical seconds per type and operation, to start long chains first; usually
    /// [`crate::typical_seconds`].
    pub estimate: &'a (dyn Fn(&str, Operation) -> f64 + Sync),
    /// The order to run operations in; [`Schedule::CriticalPath`] unless measuring.
    pub schedule: Schedule,
}

impl fmt::Debug for ApplyContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplyContext")
            .field("providers", self.providers)
            .field("state_file", &self.state_file)
            .field("parallelism", &self.parallelism)
            .field("stack", &self.stack)
            .field("retry", &self.retry)
            .field("schedule", &self.schedule)
            .finish_non_exhaustive()
    }
}

/// An operation that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionFailure {
    /// The resource.
    pub address: String,
    /// What was being done.
    pub action: Operation,
    /// Why it failed.
    pub error: String,
}

/// What an apply did. Returned whatever happened, so nothing already done is ever lost.
#[derive(Debug)]
pub struct ApplyOutcome {
    /// The state after the apply: every finished operation recorded, every intent not settled
    /// still in `pending`.
    pub state: State,
    /// The state file, to save outputs (or `state` again, after a failed write) with.
    pub state_file: Box<dyn StateStore>,
    /// Resources created (replacements included).
    pub added: usize,
    /// Resources updated in place.
    pub changed: usize,
    /// Resources deleted (replaced objects included).
    pub destroyed: usize,
    /// Objects taken out of the state and kept in AWS by a `DeletionPolicy` or
    /// `UpdateReplacePolicy` (replaced objects included).
    pub retained: usize,
    /// Operations that failed, in plan order.
    pub failed: Vec<ActionFailure>,
    /// Addresses with an operation that did not start (upstream failure or cancellation).
    pub skipped: Vec<String>,
    /// The apply was cancelled before it ended; operations not started by then are skipped.
    pub cancelled: bool,
    /// The last state write failed with this error: the file lacks part of `state`.
    pub state_error: Option<String>,
}

/// Applies `plan`: every operation once its dependencies are done (see `order`), at most
/// `parallelism` at a time, the state saved after each intent and each finished operation.
///
/// Failures and cancellation are reported in the outcome, never as an error. When the plan's
/// operations cannot be ordered, nothing runs and every operation on a cycle is a failure.
pub async fn apply(plan: &Plan, ctx: ApplyContext<'_>) -> ApplyOutcome {
    let ApplyContext {
        providers,
        resolver,
        state,
        state_file,
        parallelism,
        stack,
        events,
        cancel,
        retry,
        estimate,
        schedule,
    } = ctx;

    let graph = match action_graph(plan, &state) {
        Ok(graph) => graph,
        Err(error) => return unordered(plan, state, state_file, &events, &error),
    };
    // The walked graph starts with the operations, at the same indices, then its markers.
    let walked = scheduled_graph(&graph, schedule);
    let seconds =
        |node: &ActionNode| estimate(&plan.changes[node.change].type_name, node.operation);
    let weights = weights(&graph, &walked, &seconds);
    let free: Vec<bool> = walked
        .node_weights()
        .map(|slot| matches!(slot, Slot::Finished(_)))
        .collect();

    let initial = state.clone();
    let (writer_sender, writer_receiver) = mpsc::unbounded_channel();
    // A policy the template changed is recorded before any operation (it needs no AWS call):
    // so an operation that fails, or a crash, cannot lose it, and an interrupted replacement's
    // old object is judged by the policy this plan showed.
    for change in &plan.changes {
        if change.policies_before.is_some() && initial.resources.contains_key(&change.address) {
            let _ = writer_sender.send(writer::StateMsg::Policies {
                address: change.address.clone(),
                deletion_policy: change.deletion_policy,
                update_replace_policy: change.update_replace_policy,
            });
        }
    }
    let (snapshot_sender, snapshot_receiver) = watch::channel(Arc::new(state.clone()));
    let writing = writer::run(state, state_file, writer_receiver, snapshot_sender);

    let runner = Runner {
        plan,
        graph: &graph,
        providers,
        resolver,
        stack,
        events: &events,
        cancel: &cancel,
        retry: &retry,
        initial: &initial,
        writer: writer_sender,
        snapshot: snapshot_receiver,
        failures: Mutex::new(BTreeMap::new()),
    };
    let walking = async {
        let options = WalkOptions {
            parallelism,
            weights: &weights,
            free: &free,
            cancel: &cancel,
        };
        let report = walk(&walked, options, |index| {
            let operation = match walked[index] {
                Slot::Operation(operation) => Some(operation),
                Slot::Finished(_) => None,
            };
            let runner = &runner;
            async move {
                match operation {
                    Some(operation) => runner.run(operation).await,
                    None => Step::Continue,
                }
            }
        })
        .await;
        // Dropping the runner drops the last sender, which ends the writer.
        let failures = runner
            .failures
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        (report, failures)
    };
    let (written, (report, failures)) = tokio::join!(writing, walking);

    let mut report = report.unwrap_or_else(|_| WalkReport {
        // Not reachable: `action_graph` only returns acyclic graphs and the schedule keeps
        // them so.
        outcomes: vec![NodeOutcome::NotStarted; graph.node_count()],
        cancelled: false,
        halted: true,
    });
    // Markers only pass outcomes on: a skip always names the failed operation.
    report.outcomes.truncate(graph.node_count());
    let mut outcome = ApplyOutcome {
        state: written.state,
        state_file: written.file,
        added: 0,
        changed: 0,
        destroyed: 0,
        retained: 0,
        failed: Vec::new(),
        skipped: Vec::new(),
        cancelled: report.cancelled,
        state_error: written.error,
    };
    summarize(&graph, &report, failures, &events, &mut outcome);
    outcome
}

/// Fills in the counts, failures and skips, and reports each skip.
fn summarize(
    graph: &ActionGraph,
    report: &WalkReport,
    mut failures: BTreeMap<petgraph::graph::NodeIndex, String>,
    events: &mpsc::UnboundedSender<Event>,
    outcome: &mut ApplyOutcome,
) {
    let mut skipped = BTreeSet::new();
    for index in graph.node_indices() {
        let node = &graph[index];
        let because = match report.outcomes[index.index()] {
            NodeOutcome::Done => {
                match node.operation {
                    Operation::Create | Operation::CreateReplacement => outcome.added += 1,
                    Operation::Update => outcome.changed += 1,
                    Operation::Delete | Operation::DeleteReplaced => outcome.destroyed += 1,
                    Operation::Forget | Operation::ForgetReplaced => outcome.retained += 1,
                }
                continue;
            }
            NodeOutcome::Failed => {
                outcome.failed.push(ActionFailure {
                    address: node.address.clone(),
                    action: node.operation,
                    error: failures.remove(&index).unwrap_or_default(),
                });
                continue;
            }
            NodeOutcome::Skipped { because } => format!("{} failed", graph[because]),
            NodeOutcome::NotStarted if report.cancelled => "the apply was cancelled".to_owned(),
            NodeOutcome::NotStarted => "the apply stopped: the state could not be saved".to_owned(),
        };
        skipped.insert(node.address.clone());
        let _ = events.send(Event::Skipped {
            address: node.address.clone(),
            action: node.operation,
            because,
        });
    }
    outcome.skipped = skipped.into_iter().collect();
}

/// The outcome when the plan's operations cannot be ordered: nothing ran.
fn unordered(
    plan: &Plan,
    state: State,
    state_file: Box<dyn StateStore>,
    events: &mpsc::UnboundedSender<Event>,
    error: &OrderError,
) -> ApplyOutcome {
    let on_cycle: BTreeSet<&str> = error
        .cycles
        .iter()
        .flatten()
        .map(|node| node.address.as_str())
        .collect();
    let failed: Vec<ActionFailure> = error
        .cycles
        .iter()
        .flatten()
        .map(|node| ActionFailure {
            address: node.address.clone(),
            action: node.operation,
            error: error.to_string(),
        })
        .collect();
    for failure in &failed {
        let _ = events.send(Event::Failed {
            address: failure.address.clone(),
            action: failure.action,
            error: failure.error.clone(),
        });
    }
    let skipped: Vec<String> = plan
        .changes
        .iter()
        .filter(|change| change.action != Action::NoOp)
        .filter(|change| !on_cycle.contains(change.address.as_str()))
        .map(|change| change.address.clone())
        .collect();
    ApplyOutcome {
        state,
        state_file,
        added: 0,
        changed: 0,
        destroyed: 0,
        retained: 0,
        failed,
        skipped,
        cancelled: false,
        state_error: None,
    }
}
