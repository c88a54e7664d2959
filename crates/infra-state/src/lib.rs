//! State model, storage abstraction and file backend.
//!
//! This crate owns everything infra records about a deployed stack and every byte of it on
//! disk: the [`State`] model, its JSON format (versioned, documented in `state/README.md`
//! with the JSON Schema `state/schema.json`), the state file with its backup, and the lock
//! beside it. It also owns the storage abstraction ([`StateBackend`], [`StateStore`],
//! [`StateLock`]) that remote backends implement (the S3 one lives in `infra-aws`, beside the
//! SDK), with the rules every backend keeps. It knows nothing of templates or AWS: property
//! and attribute values are `serde_json::Value`; of the resource types it knows only which
//! properties and attributes hold secrets (`infra-registry`'s hand-written table). No other crate reads or writes state or lock
//! files.
//!
//! # Invariants
//!
//! What is always true of a state file that infra wrote:
//!
//! - It is a complete document of the newest format version ([`CURRENT_VERSION`]); it is never
//!   half-written, because it is replaced by an fsynced temporary file renamed over it, followed
//!   by an fsync of the directory.
//! - Its mode is 0600, and so is `<state>.backup`, which holds the version it replaced.
//! - Its `lineage` is the one it was created with; its `serial` is one more than the serial of
//!   the file it replaced, and at least 1.
//! - It holds no NoEcho value: such values are recorded as a salted digest only. Nor does it
//!   hold a sensitive property's value (`SecretString`, a login password), whatever its
//!   source; a sensitive attribute (an access key's `SecretAccessKey`) is kept in clear in its
//!   own record only ([`sensitive`]).
//! - It was written by a process that had read the file it replaced: a write is refused if
//!   the file changed on disk since it was read.
//! - A file that infra cannot read (newer version, corrupt, wrong shape, other lineage) is
//!   never overwritten.
//!
//! # Entry points
//!
//! - [`StateFile::load_or_new`] / [`StateFile::open`] read a state file;
//!   [`StateFile::write`] saves the next version of it.
//! - [`LockGuard::acquire`] takes `<state>.lock`; [`force_unlock`] removes a lock left behind.
//! - [`default_state_path`] is `state/<stack>.json`, used unless `--state PATH` is given.
//! - [`decode_state`] / [`encode_state`] convert between bytes and the model without touching
//!   the disk.
//! - [`StateBackend`] is where a state lives ([`LocalBackend`]: the file); [`load_or_new`]
//!   opens one for a stack; [`StateStore::write`] is what the engine saves through;
//!   [`copy_state`] copies a state to another backend keeping its lineage.

mod atomic;
mod error;
mod file;
mod host;
mod lock;
mod model;
mod pointer;
mod read;
mod recorded;
pub mod redact;
pub mod sensitive;
mod store;
mod unique;
mod upgrade;
mod v1;
mod v2;
mod v3;

pub use error::{DiskChange, LockError, StateError, StoreError, WriteStep, force_unlock_command};
pub use file::{StateFile, backup_path, default_state_path, encode_state};
pub use lock::{LockGuard, LockInfo, force_unlock, lock_path, lock_refusal, read_lock};
pub use model::{
    DeletionPolicy, ImportRecord, Intent, IntentAction, OutputRecord, ResourcePath, ResourceRecord,
    ResourceStatus, RetainedBy, RetainedRecord, State, UpdateReplacePolicy, now,
};
pub use read::{decode_state, read_state};
pub use recorded::{RecordedValue, Redaction, sha256_hex};
pub use store::{
    Copied, LocalBackend, StateBackend, StateLock, StateStore, copy_state, load_or_new,
};

/// Re-exported so users of the model need not depend on these crates for its field types.
pub use jiff::Timestamp;
pub use uuid::Uuid;

/// The format version this infra writes, and the newest it reads.
pub const CURRENT_VERSION: u32 = v3::VERSION;
