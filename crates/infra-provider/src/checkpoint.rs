//! The checkpoint of a create: what a provider saves in the state while its create call runs,
//! so that a run interrupted in the middle finds the resource again.
//!
//! Most providers need none: their create call is one request, and `find` looks the resource up
//! by tags, name or natural key. A provider whose create is an asynchronous request (Cloud
//! Control) saves, before it calls AWS, the idempotency token it is about to use and, as soon as
//! AWS answers, the request's token. [`Checkpoint::save`] returns once the data is on disk, in
//! the create's intent; the next run's `find` gets it back through
//! [`crate::FindInput::checkpoint`] ([`Checkpoint::last`]).
//!
//! Every create has a [`Checkpoint::key`]: a string unique to the create's intent and stable
//! across the retries of one run and across runs (the state's lineage, the address and the time
//! the intent was written). An idempotency token derived from the key and an attempt number is
//! the same on a re-run after a crash, so the request it names is not made twice.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use crate::contract::{BoxFuture, ProviderError};

/// Where a checkpoint's data goes: the engine's state writer, which answers once it is saved.
pub type CheckpointSink =
    dyn Fn(Value) -> BoxFuture<'static, Result<(), ProviderError>> + Send + Sync;

/// A create's checkpoint. Cloning shares it: what one clone saves, the others see.
#[derive(Clone, Default)]
pub struct Checkpoint {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    key: String,
    last: Mutex<Option<Value>>,
    sink: Option<Arc<CheckpointSink>>,
}

impl Checkpoint {
    /// A checkpoint for the create identified by `key`, starting from `last` (what an earlier
    /// run saved, if anything), whose saves go to `sink`.
    pub fn new(key: impl Into<String>, last: Option<Value>, sink: Arc<CheckpointSink>) -> Self {
        Checkpoint {
            inner: Arc::new(Inner {
                key: key.into(),
                last: Mutex::new(last),
                sink: Some(sink),
            }),
        }
    }

    /// A checkpoint that keeps what is saved in memory only (a lookup after a crash, tests).
    pub fn detached(key: impl Into<String>, last: Option<Value>) -> Self {
        Checkpoint {
            inner: Arc::new(Inner {
                key: key.into(),
                last: Mutex::new(last),
                sink: None,
            }),
        }
    }

    /// The create's key: unique to its intent, the same across retries and runs. Empty for a
    /// checkpoint made without one ([`Checkpoint::default`]).
    pub fn key(&self) -> &str {
        &self.inner.key
    }

    /// What was saved last (in this run or, for a lookup after a crash, in the run that
    /// stopped), if anything.
    pub fn last(&self) -> Option<Value> {
        self.inner
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Saves `data` in place of what was saved before, and returns once it is on disk. An error
    /// means the state could not be written: the caller must not make the call the data
    /// describes.
    pub async fn save(&self, data: Value) -> Result<(), ProviderError> {
        *self
            .inner
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(data.clone());
        match &self.inner.sink {
            Some(sink) => sink(data).await,
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checkpoint")
            .field("key", &self.inner.key)
            .field("last", &self.last())
            .finish()
    }
}

/// Two checkpoints are equal when their keys and last data are.
impl PartialEq for Checkpoint {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key() && self.last() == other.last()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn a_save_reaches_the_sink_and_every_clone() {
        let saved = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&saved);
        let sink: Arc<CheckpointSink> = Arc::new(move |_data| {
            counter.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(()) })
        });
        let checkpoint = Checkpoint::new("key", None, sink);
        let clone = checkpoint.clone();
        checkpoint.save(json!({"attempt": 1})).await.expect("saved");
        assert_eq!(clone.last(), Some(json!({"attempt": 1})));
        assert_eq!(saved.load(Ordering::SeqCst), 1);
        assert_eq!(clone.key(), "key");
    }

    #[tokio::test]
    async fn a_failed_sink_is_the_error_of_save() {
        let sink: Arc<CheckpointSink> =
            Arc::new(|_data| Box::pin(async { Err(ProviderError::fatal("disk full")) }));
        let checkpoint = Checkpoint::new("key", Some(json!(1)), sink);
        let error = checkpoint.save(json!(2)).await.expect_err("the sink fails");
        assert_eq!(error.message, "disk full");
    }

    #[test]
    fn a_detached_checkpoint_starts_from_what_was_saved() {
        let checkpoint = Checkpoint::detached("k", Some(json!({"request": "r"})));
        assert_eq!(checkpoint.last(), Some(json!({"request": "r"})));
        assert_eq!(Checkpoint::default().key(), "");
        assert_eq!(Checkpoint::default().last(), None);
    }
}
