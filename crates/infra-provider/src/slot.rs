//! Parallelism slots lent while a provider call only waits.
//!
//! The apply runs at most `--parallelism` operations at once, each holding a slot (a semaphore
//! permit) for its whole provider call. Much of a call can be waiting: a NAT gateway polled
//! for 100 s, a load balancer for 140 s, a backoff before the next try. Holding a slot through
//! such a pause keeps ready operations waiting for no reason, a serialisation the graph does not
//! have. So the engine runs each call inside [`Slot::scope`], and a provider pauses with
//! [`pause`]: the slot goes back for the pause and is taken again (in turn with everyone else
//! waiting for one) before the call goes on. `--parallelism` therefore bounds the operations
//! that are calling AWS, not those sleeping between polls.
//!
//! Outside a scope (tests of a provider alone, lookups), [`pause`] is a plain sleep.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

tokio::task_local! {
    static SLOT: Slot;
}

/// The slot of one running operation: the permit it holds, if any, and where it came from.
#[derive(Debug, Clone)]
pub struct Slot {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    limit: Arc<Semaphore>,
    permit: Mutex<Option<OwnedSemaphorePermit>>,
}

impl Slot {
    /// A slot holding `permit` of `limit` (`None`: an operation that takes no slot).
    pub fn new(limit: Arc<Semaphore>, permit: Option<OwnedSemaphorePermit>) -> Slot {
        Slot {
            inner: Arc::new(Inner {
                limit,
                permit: Mutex::new(permit),
            }),
        }
    }

    /// Runs `work` with this slot as the one [`pause`] lends; gives the slot back when `work`
    /// ends.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        let out = SLOT.scope(self.clone(), work).await;
        drop(self.take());
        out
    }

    fn take(&self) -> Option<OwnedSemaphorePermit> {
        self.inner
            .permit
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    fn put(&self, permit: OwnedSemaphorePermit) {
        *self
            .inner
            .permit
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(permit);
    }
}

/// Sleeps for `duration` without holding the caller's slot (see the module comment).
pub async fn pause(duration: Duration) {
    idle(tokio::time::sleep(duration)).await;
}

/// Runs `wait` (something that only waits) without holding the caller's slot, then takes a
/// slot again before returning.
pub async fn idle<F: Future>(wait: F) -> F::Output {
    let Ok(slot) = SLOT.try_with(Clone::clone) else {
        return wait.await;
    };
    let Some(permit) = slot.take() else {
        return wait.await;
    };
    drop(permit);
    let out = wait.await;
    // The semaphore is never closed; should it be, the call goes on without a slot.
    if let Ok(permit) = Arc::clone(&slot.inner.limit).acquire_owned().await {
        slot.put(permit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_pause_lends_the_slot_and_takes_one_back() {
        let limit = Arc::new(Semaphore::new(1));
        let permit = Arc::clone(&limit).try_acquire_owned().expect("free");
        let slot = Slot::new(Arc::clone(&limit), Some(permit));
        let waiter = tokio::spawn(slot.scope(async {
            pause(Duration::from_secs(10)).await;
            // Back with a slot: none is free for anyone else.
            SLOT.with(|s| s.inner.permit.lock().expect("slot").is_some())
        }));
        tokio::time::sleep(Duration::from_secs(1)).await;
        // During the pause the slot is free: someone else can work with it.
        let other = Arc::clone(&limit).try_acquire_owned().expect("lent");
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert!(!waiter.is_finished(), "it waits for its slot to come back");
        drop(other);
        assert!(waiter.await.expect("waiter"));
        // The scope gave it back at the end.
        assert_eq!(limit.available_permits(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn outside_a_scope_a_pause_is_a_sleep() {
        let started = tokio::time::Instant::now();
        pause(Duration::from_secs(3)).await;
        assert_eq!(started.elapsed(), Duration::from_secs(3));
    }
}
