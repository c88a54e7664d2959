//! The state writer: the one owner of the `State` and its `StateStore` during an apply.
//!
//! Workers never touch either. They send [`StateMsg`]s; the writer applies each one to the
//! state, writes the whole state to the file at once (so the file is saved after every intent
//! and every finished action), and publishes the new state on a `watch` channel for workers
//! that need to read it (the resolver evaluates properties against it). A worker that must know
//! its change is on disk before going on sends [`StateMsg::Flush`] and waits for the answer.
//! Changes that queue up while a write runs are saved together by the next write (group
//! commit), so many workers finishing at once cost one write, not one each.
//!
//! A finished action does not wait for its record to be on disk, only for it to be in the
//! published state ([`StateMsg::Recorded`]), so that its dependents can read its outputs.
//! What it waits for before calling AWS is its own intent's flush; the writer saves in order,
//! so that flush also saves every record sent before it. Hence the invariant: **no AWS call of
//! an action is made before the records of everything it depends on, and its own intent, are
//! on disk.**
//!
//! A failed write does not lose anything: the change stays in the in-memory state, the next
//! write (a whole document) saves it too, and the state is handed back at the end with the
//! error, for the caller to try once more.

use std::sync::Arc;

use infra_state::{
    DeletionPolicy, Intent, IntentAction, ResourceRecord, RetainedRecord, State, StateStore,
    UpdateReplacePolicy,
};
use tokio::sync::{mpsc, oneshot, watch};

/// A change for the writer to record and save.
#[derive(Debug)]
pub(crate) enum StateMsg {
    /// A create, replace or delete is about to be asked of AWS. Replaces an earlier intent of
    /// the same address, action and physical id.
    Pending(Intent),
    /// A create or update finished: record the resource and settle its create or replace
    /// intent. For create-then-delete, `deposed` is the `delete` intent that keeps the old
    /// object known until it is deleted, or, when `UpdateReplacePolicy: Retain` keeps the old
    /// object, `retained` lists it among the retained objects; either is added in the same
    /// write.
    Done {
        address: String,
        record: ResourceRecord,
        deposed: Option<Box<Intent>>,
        retained: Option<RetainedRecord>,
    },
    /// The object `physical_id` at `address` is gone: settle its delete intent and, unless it
    /// was the old object of a create-then-delete (`deposed`), forget the resource.
    Removed {
        address: String,
        physical_id: String,
        deposed: bool,
    },
    /// A policy kept the object `physical_id` at `address` (both in `retained`) in AWS: forget
    /// its record, when the record is that object's, and list it among the retained objects,
    /// in one write.
    Forgotten { retained: RetainedRecord },
    /// The template changed the policies of the resource at `address`: record them (no AWS
    /// call is made for a policy).
    Policies {
        address: String,
        deletion_policy: DeletionPolicy,
        update_replace_policy: UpdateReplacePolicy,
    },
    /// A provider saved a checkpoint during the create (or replacement) at `address`: it
    /// becomes that intent's `checkpoint`.
    Checkpoint {
        address: String,
        data: serde_json::Value,
    },
    /// Answers once everything sent before is saved, with the last write's error if it failed.
    Flush(oneshot::Sender<Result<(), String>>),
    /// Answers once everything sent before is in the published state, which may be before it
    /// is on disk.
    Recorded(oneshot::Sender<()>),
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
    state: State,
    file: Box<dyn StateStore>,
    mut messages: mpsc::UnboundedReceiver<StateMsg>,
    snapshot: watch::Sender<Arc<State>>,
) -> Written {
    let mut writer = Writer {
        state,
        file: Some(file),
        snapshot,
        changes: 0,
        saved: 0,
        error: None,
        flushes: Vec::new(),
        retry_on_next_change: false,
        published: 0,
    };
    let mut open = true;
    let mut writing: Option<tokio::task::JoinHandle<WriteResult>> = None;
    loop {
        tokio::select! {
            // A write that ended: take the file back and answer the flushes it covers.
            done = wait_for(&mut writing), if writing.is_some() => {
                writing = None;
                writer.finish(done);
            }
            message = messages.recv(), if open => match message {
                Some(message) => writer.take(message),
                None => open = false,
            },
        }
        writer.publish();
        if writing.is_none() {
            writing = writer.start();
        }
        if !open && writing.is_none() {
            break;
        }
    }
    writer.into_written()
}

/// The running write's end; never, when none runs.
async fn wait_for(writing: &mut Option<tokio::task::JoinHandle<WriteResult>>) -> WriteDone {
    match writing {
        Some(handle) => handle.await,
        None => std::future::pending().await,
    }
}

/// What a write on the blocking pool hands back: the store, the new serial or the error, and
/// the change count it covers.
type WriteResult = (Box<dyn StateStore>, Result<u64, String>, u64);
type WriteDone = Result<WriteResult, tokio::task::JoinError>;

/// The writer's own state between messages.
struct Writer {
    state: State,
    /// The store; `None` while a write holds it.
    file: Option<Box<dyn StateStore>>,
    snapshot: watch::Sender<Arc<State>>,
    /// Changes taken so far, and how many of them the last good write saved.
    changes: u64,
    saved: u64,
    /// The last write's error, until a write succeeds.
    error: Option<String>,
    /// Flushes waiting for the change count they follow to be saved.
    flushes: Vec<(u64, oneshot::Sender<Result<(), String>>)>,
    /// A write failed: the next is tried when a change comes, not at once.
    retry_on_next_change: bool,
    /// How many changes the published state holds.
    published: u64,
}

impl Writer {
    fn take(&mut self, message: StateMsg) {
        match message {
            StateMsg::Flush(reply) => self.flushes.push((self.changes, reply)),
            StateMsg::Recorded(reply) => {
                // Everything sent before is taken; publish it before answering.
                self.publish();
                let _ = reply.send(());
            }
            change => {
                record(&mut self.state, change);
                self.changes += 1;
                self.retry_on_next_change = false;
            }
        }
        self.answer_flushes();
    }

    /// Publishes the state when changes were taken since it was last published (one copy of
    /// the state per batch of messages, not per change).
    fn publish(&mut self) {
        if self.published < self.changes {
            self.snapshot.send_replace(Arc::new(self.state.clone()));
            self.published = self.changes;
        }
    }

    /// Starts writing everything taken so far on the blocking pool, when there is something
    /// to write (group commit: changes taken while the previous write ran go together).
    fn start(&mut self) -> Option<tokio::task::JoinHandle<WriteResult>> {
        if self.changes == self.saved || self.retry_on_next_change {
            return None;
        }
        let mut file = self.file.take()?;
        let mut state = self.state.clone();
        let covers = self.changes;
        Some(tokio::task::spawn_blocking(move || {
            // A write takes a few milliseconds (fsyncs); off the runtime's thread, every other
            // task goes on meanwhile.
            let result = file
                .write(&mut state)
                .map(|()| state.serial)
                .map_err(|e| e.to_string());
            (file, result, covers)
        }))
    }

    fn finish(&mut self, done: WriteDone) {
        match done {
            Ok((file, result, covers)) => {
                self.file = Some(file);
                match result {
                    Ok(serial) => {
                        // The serial is the file's business: the published state (what the
                        // resolver reads) keeps its `Arc`, and with it the resolver's cache.
                        self.state.serial = serial;
                        self.saved = covers;
                        self.error = None;
                    }
                    Err(error) => {
                        self.error = Some(error);
                        self.retry_on_next_change = true;
                    }
                }
            }
            // The write panicked or was cancelled: the store is lost with it, so nothing more
            // can be written; every flush from now on fails.
            Err(join) => {
                self.error = Some(format!("the state write stopped: {join}"));
                self.retry_on_next_change = true;
            }
        }
        self.answer_flushes();
    }

    /// Answers the flushes whose changes are saved, and, after a failed write, every one
    /// waiting (with the error).
    fn answer_flushes(&mut self) {
        let saved = self.saved;
        let failed = self
            .retry_on_next_change
            .then(|| self.error.clone())
            .flatten();
        let mut waiting = Vec::new();
        for (after, reply) in std::mem::take(&mut self.flushes) {
            if after <= saved {
                let _ = reply.send(Ok(()));
            } else if let Some(error) = &failed {
                let _ = reply.send(Err(error.clone()));
            } else {
                waiting.push((after, reply));
            }
        }
        self.flushes = waiting;
    }

    fn into_written(self) -> Written {
        let error = self.error.or_else(|| {
            (self.file.is_none()).then(|| "the state store was lost with a failed write".into())
        });
        Written {
            state: self.state,
            // A lost store (a panicked write) cannot be handed back; the caller gets the
            // error and the state, and writes it again through a new store.
            file: self.file.unwrap_or_else(|| Box::new(LostStore)),
            error,
        }
    }
}

/// Stands in for a store lost with a panicked write: every write fails.
#[derive(Debug)]
struct LostStore;

impl StateStore for LostStore {
    fn location(&self) -> String {
        "(the state store was lost with a failed write)".to_owned()
    }

    fn write(&mut self, _: &mut State) -> Result<(), infra_state::StoreError> {
        Err(infra_state::StoreError::Backend(
            "the state store was lost with a failed write".into(),
        ))
    }
}

/// Applies one change to the in-memory state.
fn record(state: &mut State, change: StateMsg) {
    match change {
        StateMsg::Flush(_) | StateMsg::Recorded(_) => {}
        StateMsg::Pending(intent) => {
            state.pending.retain(|other| !same_intent(other, &intent));
            state.pending.push(intent);
        }
        StateMsg::Checkpoint { address, data } => {
            let creating = state.pending.iter_mut().find(|intent| {
                intent.address == address
                    && matches!(intent.action, IntentAction::Create | IntentAction::Replace)
            });
            if let Some(intent) = creating {
                intent.checkpoint = Some(data);
            }
        }
        StateMsg::Done {
            address,
            record,
            deposed,
            retained,
        } => {
            state.pending.retain(|intent| {
                intent.address != address
                    || !matches!(intent.action, IntentAction::Create | IntentAction::Replace)
            });
            // A secret attribute kept in its own record is a secret everywhere else.
            for secret in infra_state::sensitive::sensitive_attribute_values(&record) {
                if !state.secrets.iter().any(|known| known == secret) {
                    state.secrets.push(secret.to_owned());
                }
            }
            state.resources.insert(address, record);
            if let Some(intent) = deposed {
                state.pending.retain(|other| !same_intent(other, &intent));
                state.pending.push(*intent);
            }
            if let Some(retained) = retained {
                state.retained.push(retained);
            }
        }
        StateMsg::Forgotten { retained } => {
            let recorded = state.resources.get(&retained.address);
            if recorded.is_some_and(|record| record.physical_id == retained.physical_id) {
                state.resources.remove(&retained.address);
            }
            state.retained.push(retained);
        }
        StateMsg::Policies {
            address,
            deletion_policy,
            update_replace_policy,
        } => {
            if let Some(record) = state.resources.get_mut(&address) {
                record.deletion_policy = deletion_policy;
                record.update_replace_policy = update_replace_policy;
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
}

fn same_intent(a: &Intent, b: &Intent) -> bool {
    a.address == b.address && a.action == b.action && a.physical_id == b.physical_id
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Condvar, Mutex};

    use super::*;

    /// A store that keeps every state written, can hold a write until released, and can fail.
    #[derive(Debug, Default)]
    struct Gate {
        written: Mutex<Vec<State>>,
        held: Mutex<bool>,
        released: Condvar,
        fail: AtomicBool,
    }

    /// Releases the gate when dropped, so that a failed assertion cannot leave a write held
    /// (the runtime waits for its blocking threads when it shuts down).
    struct Opens(Arc<Gate>);

    impl Drop for Opens {
        fn drop(&mut self) {
            self.0.release();
        }
    }

    impl Gate {
        fn hold(self: &Arc<Self>) -> Opens {
            *self.held.lock().expect("gate") = true;
            Opens(Arc::clone(self))
        }

        fn release(&self) {
            *self.held.lock().expect("gate") = false;
            self.released.notify_all();
        }

        fn written(&self) -> Vec<State> {
            self.written.lock().expect("gate").clone()
        }
    }

    #[derive(Debug)]
    struct GateStore(Arc<Gate>);

    impl StateStore for GateStore {
        fn location(&self) -> String {
            "gate".to_owned()
        }

        fn write(&mut self, state: &mut State) -> Result<(), infra_state::StoreError> {
            let mut held = self.0.held.lock().expect("gate");
            while *held {
                held = self.0.released.wait(held).expect("gate");
            }
            drop(held);
            if self.0.fail.load(Ordering::SeqCst) {
                return Err(infra_state::StoreError::Backend("disk full".into()));
            }
            state.serial += 1;
            self.0.written.lock().expect("gate").push(state.clone());
            Ok(())
        }
    }

    fn intent(address: &str) -> StateMsg {
        StateMsg::Pending(Intent::new(address, IntentAction::Create, "AWS::EC2::VPC"))
    }

    fn flush(sender: &mpsc::UnboundedSender<StateMsg>) -> oneshot::Receiver<Result<(), String>> {
        let (reply, answer) = oneshot::channel();
        sender.send(StateMsg::Flush(reply)).expect("writer");
        answer
    }

    fn pending(state: &State) -> Vec<&str> {
        state.pending.iter().map(|i| i.address.as_str()).collect()
    }

    struct Running {
        sender: mpsc::UnboundedSender<StateMsg>,
        snapshot: watch::Receiver<Arc<State>>,
        writer: tokio::task::JoinHandle<Written>,
    }

    fn start(gate: &Arc<Gate>) -> Running {
        let (sender, receiver) = mpsc::unbounded_channel();
        let (publish, snapshot) = watch::channel(Arc::new(State::new("s")));
        let writer = tokio::spawn(run(
            State::new("s"),
            Box::new(GateStore(Arc::clone(gate))),
            receiver,
            publish,
        ));
        Running {
            sender,
            snapshot,
            writer,
        }
    }

    /// Lets the writer take everything sent so far.
    async fn settle() {
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn changes_sent_during_a_write_are_saved_together_by_the_next() {
        let gate = Arc::new(Gate::default());
        let _opens = gate.hold();
        let w = start(&gate);
        w.sender.send(intent("A")).expect("writer");
        settle().await;
        // The first write (A) is held; B and C queue behind it.
        w.sender.send(intent("B")).expect("writer");
        w.sender.send(intent("C")).expect("writer");
        let saved = flush(&w.sender);
        settle().await;
        gate.release();
        assert_eq!(saved.await.expect("answer"), Ok(()));
        drop(w.sender);
        let written = w.writer.await.expect("writer");
        let states = gate.written();
        assert_eq!(states.len(), 2, "one write for A, one for B and C");
        assert_eq!(pending(&states[0]), ["A"]);
        assert_eq!(pending(&states[1]), ["A", "B", "C"]);
        assert_eq!(written.state.serial, 2);
        assert_eq!(written.error, None);
    }

    #[tokio::test]
    async fn a_record_is_published_before_it_is_written() {
        let gate = Arc::new(Gate::default());
        let _opens = gate.hold();
        let mut w = start(&gate);
        w.sender.send(intent("A")).expect("writer");
        let (reply, recorded) = oneshot::channel();
        w.sender.send(StateMsg::Recorded(reply)).expect("writer");
        // Answered while the write is still held: the change is published, not yet saved.
        recorded.await.expect("recorded");
        assert_eq!(pending(&w.snapshot.borrow_and_update()), ["A"]);
        assert!(gate.written().is_empty());
        // A flush waits for the write.
        let mut saved = flush(&w.sender);
        settle().await;
        assert!(saved.try_recv().is_err(), "answered before the write ended");
        gate.release();
        assert_eq!(saved.await.expect("answer"), Ok(()));
        assert_eq!(gate.written().len(), 1);
    }

    #[tokio::test]
    async fn a_failed_write_fails_the_waiting_flushes_and_the_next_change_writes_again() {
        let gate = Arc::new(Gate::default());
        gate.fail.store(true, Ordering::SeqCst);
        let w = start(&gate);
        w.sender.send(intent("A")).expect("writer");
        let failed = flush(&w.sender).await.expect("answer");
        assert_eq!(failed, Err("disk full".to_owned()));
        // Nothing is retried until something changes; a flush meanwhile fails too.
        assert_eq!(
            flush(&w.sender).await.expect("answer"),
            Err("disk full".to_owned())
        );
        assert!(gate.written().is_empty());
        gate.fail.store(false, Ordering::SeqCst);
        w.sender.send(intent("B")).expect("writer");
        assert_eq!(flush(&w.sender).await.expect("answer"), Ok(()));
        let states = gate.written();
        assert_eq!(states.len(), 1);
        assert_eq!(
            pending(&states[0]),
            ["A", "B"],
            "the failed change is saved too"
        );
        drop(w.sender);
        assert_eq!(w.writer.await.expect("writer").error, None);
    }
}
