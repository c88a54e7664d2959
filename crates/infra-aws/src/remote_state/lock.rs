//! The lock of a state kept in S3: the object `KEY.lock`, created with `If-None-Match: *` so
//! that exactly one of any number of concurrent takers gets it, holding the JSON of
//! [`LockInfo`] (id, pid, host, user, command, time). It is removed only by its holder, or by
//! `force-unlock` given its id, with `If-Match` on the ETag just read, so a lock that was
//! replaced in between is never removed.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use infra_state::{LockError, LockInfo, StateLock, StoreError, Uuid, lock_refusal};

use super::error::Failure;
use super::objects::{Condition, Remote};

/// How often a take is tried when the lock disappears between a refused create and its read.
const ATTEMPTS: usize = 3;

/// A held S3 lock. Released by [`StateLock::release`], or (best effort) when dropped.
#[derive(Debug)]
pub struct S3Lock {
    remote: Arc<Remote>,
    info: LockInfo,
    released: AtomicBool,
}

fn state_path(remote: &Remote) -> PathBuf {
    PathBuf::from(&remote.location)
}

fn lock_path(remote: &Remote) -> PathBuf {
    PathBuf::from(remote.url.lock_url())
}

/// Takes the lock for `command`; fails at once, naming the holder, when it is held.
pub(crate) fn acquire(remote: Arc<Remote>, command: &str) -> Result<S3Lock, StoreError> {
    let info = LockInfo::for_this_process(command);
    let mut bytes = serde_json::to_vec_pretty(&info).map_err(|source| LockError::Encode {
        lock: lock_path(&remote),
        source,
    })?;
    bytes.push(b'\n');
    let key = remote.url.lock_key();
    for _ in 0..ATTEMPTS {
        match remote.put(&key, bytes.clone(), Condition::Absent) {
            Ok(_) => {
                return Ok(S3Lock {
                    remote,
                    info,
                    released: AtomicBool::new(false),
                });
            }
            Err(Failure::PreconditionFailed) => {
                if let Some((holder, _)) = read(&remote)? {
                    return Err(lock_refusal(
                        &state_path(&remote),
                        lock_path(&remote),
                        Box::new(holder),
                    )
                    .into());
                }
            }
            // Another taker's create was in flight; try again.
            Err(Failure::Conflict) => {}
            Err(failure) => {
                let arn = remote.url.object_arn(&key);
                return Err(failure
                    .into_error(remote.target("take the lock of", "s3:PutObject", &arn))
                    .into());
            }
        }
    }
    Err(LockError::Io {
        lock: lock_path(&remote),
        action: "create",
        source: std::io::Error::other(
            "it kept appearing and disappearing; another infra is starting",
        ),
    }
    .into())
}

/// Who holds the lock, and the ETag of the lock object; `None` if it is not locked.
pub(crate) fn read(remote: &Remote) -> Result<Option<(LockInfo, String)>, StoreError> {
    let key = remote.url.lock_key();
    let object = remote.get(&key, None).map_err(|failure| {
        let arn = remote.url.object_arn(&key);
        failure.into_error(remote.target("read the lock of", "s3:GetObject", &arn))
    })?;
    let Some(object) = object else {
        return Ok(None);
    };
    let info = serde_json::from_slice(&object.bytes).map_err(|error| LockError::Corrupt {
        state: state_path(remote),
        lock: lock_path(remote),
        message: error.to_string(),
    })?;
    Ok(Some((info, object.etag)))
}

/// Removes the lock if its id is `id`, and returns who held it.
pub(crate) fn remove_if_id(remote: &Remote, id: &str) -> Result<LockInfo, StoreError> {
    let not_locked = || LockError::NotLocked {
        state: state_path(remote),
        lock: lock_path(remote),
    };
    let Some((holder, etag)) = read(remote)? else {
        return Err(not_locked().into());
    };
    let mismatch = |holder: LockInfo| LockError::IdMismatch {
        state: state_path(remote),
        given: id.to_owned(),
        holder: Box::new(holder),
    };
    if Uuid::parse_str(id.trim()).ok() != Some(holder.id) {
        return Err(mismatch(holder).into());
    }
    let key = remote.url.lock_key();
    match remote.delete(&key, &etag) {
        Ok(()) => Ok(holder),
        Err(Failure::NoSuchKey) => Err(not_locked().into()),
        // Replaced between the read and the delete: say by whom.
        Err(Failure::PreconditionFailed) => match read(remote)? {
            Some((now, _)) => Err(mismatch(now).into()),
            None => Err(not_locked().into()),
        },
        Err(failure) => {
            let arn = remote.url.object_arn(&key);
            Err(failure
                .into_error(remote.target("remove the lock of", "s3:DeleteObject", &arn))
                .into())
        }
    }
}

impl StateLock for S3Lock {
    fn info(&self) -> &LockInfo {
        &self.info
    }

    fn release(&self) -> Result<(), StoreError> {
        if self.released.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        remove_if_id(&self.remote, &self.info.id.to_string()).map(|_| ())
    }
}

impl Drop for S3Lock {
    fn drop(&mut self) {
        // Nothing can be reported from drop; `release` is there for callers who want to know.
        let _ = self.release();
    }
}
