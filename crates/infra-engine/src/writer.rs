//! The state writer: the one owner of the `State` and its `StateStore` during an apply.
//!
//! Workers never touch either. They send [`StateMsg`]s; the writer applies each one to the
//! state, writes the whole state to the file at once (so the file is saved after every intent
//! and every finished action), and publishes the new state on a `watch` channel for workers
//! that need to read it (the resolver evaluates properties against it). A worker that must know
//! its change is on disk before going on sends [`StateMsg::Flush`] and waits for the answer.
//!
//! A failed write does not lose anything: the change stays in the in-memory state, the next
//! write (a whole document) saves it too, and the state is handed back at the end with the
//! error, for the caller to try once more.

use std::sync::Arc;

use infra_state::{Intent, IntentAction, ResourceRecord, State, StateStore};
use tokio::sync::{mpsc, oneshot, watch};

/// A change for the writer to record and save.
#[derive(Debug)]
pub(crate) enum StateMsg {
    /// A create, replace or delete is about to be asked of AWS. Replaces an earlier intent of
    /// the same address, action and physical id.
    Pending(Intent),
    /// A create or update finished: record the resource and settle its create or replace
    /// intent. For create-then-delete, `deposed` is the `delete` intent that keeps the old
    /// object known until it is deleted; it is added in the same write.
    Done {
        address: String,
        record: ResourceRecord,
        deposed: Option<Intent>,
    },
    /// The object `physical_id` at `address` is gone: settle its delete intent and, unless it
    /// was the old object of a create-then-delete (`deposed`), forget the resource.
    Removed {
        address: String,
        physical_id: String,
        deposed: bool,
    },
    /// Answers once everything sent before is saved, with the last write's error if it failed.
    Flush(oneshot::Sender<Result<(), String>>),
}

/// What the writer hands back when every sender is gone.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) state: State,
    pub(crate) file: Box<dyn StateStore>,
    /// The error of the last write, when it failed: the file lacks the latest changes.
    pub(crate) error: Option<String>,
}

/// Runs the writer until every sender of `messages` is dropped.
pub(crate) async fn run(
    mut state: State,
    mut file: Box<dyn StateStore>,
    mut messages: mpsc::UnboundedReceiver<StateMsg>,
    snapshot: watch::Sender<Arc<State>>,
) -> Written {
    let mut error: Option<String> = None;
    while let Some(message) = messages.recv().await {
        match message {
            StateMsg::Flush(reply) => {
                // The worker may have given up waiting; nothing to do then.
                let _ = reply.send(error.clone().map_or(Ok(()), Err));
                continue;
            }
            StateMsg::Pending(intent) => {
                state.pending.retain(|other| !same_intent(other, &intent));
                state.pending.push(intent);
            }
            StateMsg::Done {
                address,
                record,
                deposed,
            } => {
                state.pending.retain(|intent| {
                    intent.address != address
                        || !matches!(intent.action, IntentAction::Create | IntentAction::Replace)
                });
                state.resources.insert(address, record);
                if let Some(intent) = deposed {
                    state.pending.retain(|other| !same_intent(other, &intent));
                    state.pending.push(intent);
                }
            }
            StateMsg::Removed {
                address,
                physical_id,
                deposed,
            } => {
                state.pending.retain(|intent| {
                    intent.address != address
                        || intent.action != IntentAction::Delete
                        || intent.physical_id.as_deref() != Some(physical_id.as_str())
                });
                let recorded = state.resources.get(&address);
                if !deposed && recorded.is_some_and(|record| record.physical_id == physical_id) {
                    state.resources.remove(&address);
                }
            }
        }
        // A write takes a few milliseconds (two fsyncs). It runs right here, not on a blocking
        // thread, so that the writer owns the file at every moment; workers that wait for it
        // would wait anyway.
        error = file.write(&mut state).err().map(|e| e.to_string());
        snapshot.send_replace(Arc::new(state.clone()));
    }
    Written { state, file, error }
}

fn same_intent(a: &Intent, b: &Intent) -> bool {
    a.address == b.address && a.action == b.action && a.physical_id == b.physical_id
}
