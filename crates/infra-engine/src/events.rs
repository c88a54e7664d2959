//! What the engine tells the CLI while it works: plain serde values on a channel. The engine
//! never prints; `infra-cli` renders these as lines (`Still creating... [1m10s elapsed]`) or
//! passes them through as JSON.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One step of the apply, as events and failures name it. A replacement is two operations:
/// creating the new object and deleting the old one, in the order the plan chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Creating a resource that did not exist.
    Create,
    /// Changing a resource in place.
    Update,
    /// Deleting a resource that leaves the stack.
    Delete,
    /// Creating the new object of a replacement.
    CreateReplacement,
    /// Deleting the old object of a replacement.
    DeleteReplaced,
    /// Taking a resource that leaves the stack out of the state and leaving it in AWS
    /// (`DeletionPolicy: Retain`). No AWS call.
    Forget,
    /// Taking the old object of a replacement out of the state and leaving it in AWS
    /// (`UpdateReplacePolicy: Retain`). No AWS call.
    ForgetReplaced,
}

impl Operation {
    /// True for the two operations that delete something.
    pub fn is_delete(self) -> bool {
        matches!(self, Operation::Delete | Operation::DeleteReplaced)
    }

    /// True for the two operations that take an object out of the state and leave it in AWS.
    pub fn is_forget(self) -> bool {
        matches!(self, Operation::Forget | Operation::ForgetReplaced)
    }
}

/// Something that happened during an apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// An operation started (after its inputs were resolved and its intent saved).
    Started {
        /// The resource.
        address: String,
        /// What is being done.
        action: Operation,
    },
    /// Sent every 10 seconds while an operation runs.
    StillRunning {
        /// The resource.
        address: String,
        /// What is being done.
        action: Operation,
        /// Time since it started, as seconds in JSON.
        #[serde(with = "seconds")]
        elapsed: Duration,
    },
    /// An operation succeeded and its result is saved in the state.
    Finished {
        /// The resource.
        address: String,
        /// What was done.
        action: Operation,
        /// Time it took, as seconds in JSON.
        #[serde(with = "seconds")]
        elapsed: Duration,
        /// The physical id it has now (created or updated), or had (deleted).
        physical_id: String,
    },
    /// An operation failed; its dependents will be skipped.
    Failed {
        /// The resource.
        address: String,
        /// What was being done.
        action: Operation,
        /// Why.
        error: String,
    },
    /// An operation was not started.
    Skipped {
        /// The resource.
        address: String,
        /// What would have been done.
        action: Operation,
        /// Why not: the failed operation upstream, or the cancellation.
        because: String,
    },
    /// A provider call failed in a way worth retrying; it is tried again after `delay`.
    Retrying {
        /// The resource.
        address: String,
        /// What is being done.
        action: Operation,
        /// The number of the attempt that failed, from 1.
        attempt: u32,
        /// The error it failed with.
        error: String,
        /// The wait before the next attempt, as seconds in JSON.
        #[serde(with = "seconds")]
        delay: Duration,
    },
}

/// Durations as fractional seconds in JSON.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        value: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(value.as_secs_f64())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        let seconds = f64::deserialize(deserializer)?;
        Duration::try_from_secs_f64(seconds).map_err(serde::de::Error::custom)
    }
}
