//! Writing a state kept in S3: every write is a `PutObject` conditional on the ETag this
//! process last read or wrote (`If-Match`), or on there being no object yet (`If-None-Match:
//! *`), so a writer that lost a race is told and never overwrites the other's state.

use std::path::PathBuf;
use std::sync::Arc;

use infra_state::{
    DiskChange, State, StateError, StateStore, StoreError, Uuid, decode_state, encode_state,
};

use super::error::{Failure, RemoteStateError};
use super::objects::{Condition, Remote};

/// The handle a state in S3 is written through (see [`StateStore`]).
#[derive(Debug)]
pub struct S3Store {
    remote: Arc<Remote>,
    /// The object as this process last read or wrote it; `None` while there is none.
    seen: Option<Seen>,
}

#[derive(Debug, Clone)]
struct Seen {
    lineage: Uuid,
    serial: u64,
    etag: String,
}

impl S3Store {
    /// Reads the state object. The state is `None` when there is no object yet; an object that
    /// is not a state infra can read is an error (and is never written over).
    pub(crate) fn open(remote: Arc<Remote>) -> Result<(S3Store, Option<State>), StoreError> {
        let arn = remote.url.object_arn(remote.url.key());
        let object = remote.get(remote.url.key(), None).map_err(|failure| {
            failure.into_error(remote.target("read the state", "s3:GetObject", &arn))
        })?;
        let Some(object) = object else {
            return Ok((S3Store { remote, seen: None }, None));
        };
        let state = decode_state(&PathBuf::from(&remote.location), &object.bytes)?;
        let seen = Seen {
            lineage: state.lineage,
            serial: state.serial,
            etag: object.etag,
        };
        Ok((
            S3Store {
                remote,
                seen: Some(seen),
            },
            Some(state),
        ))
    }

    fn path(&self) -> PathBuf {
        PathBuf::from(&self.remote.location)
    }

    /// The error for a write refused because the object changed: re-reads it to say how.
    fn changed(&self) -> StoreError {
        let now = self.remote.get(self.remote.url.key(), None);
        let change = match (now, &self.seen) {
            (Ok(None), Some(_)) => DiskChange::Removed,
            (Ok(Some(object)), seen) => match (decode_state(&self.path(), &object.bytes), seen) {
                (Ok(now), None) => DiskChange::Created { serial: now.serial },
                (Ok(now), Some(seen)) if now.lineage != seen.lineage => {
                    return StateError::LineageMismatch {
                        path: self.path(),
                        found: now.lineage,
                        expected: seen.lineage,
                    }
                    .into();
                }
                (Ok(now), Some(seen)) if now.serial != seen.serial => DiskChange::Serial {
                    expected: seen.serial,
                    found: now.serial,
                },
                _ => DiskChange::Rewritten,
            },
            _ => DiskChange::Rewritten,
        };
        StateError::ChangedOnDisk {
            path: self.path(),
            change,
        }
        .into()
    }
}

impl StateStore for S3Store {
    fn location(&self) -> String {
        self.remote.location.clone()
    }

    fn write(&mut self, state: &mut State) -> Result<(), StoreError> {
        if let Some(seen) = &self.seen
            && seen.lineage != state.lineage
        {
            return Err(StateError::LineageMismatch {
                path: self.path(),
                found: seen.lineage,
                expected: state.lineage,
            }
            .into());
        }
        let base = self.seen.as_ref().map_or(state.serial, |seen| seen.serial);
        let mut next = state.clone();
        next.serial = base + 1;
        let bytes = encode_state(&next).map_err(|source| StateError::Encode {
            path: self.path(),
            source,
        })?;
        let condition = match &self.seen {
            None => Condition::Absent,
            Some(seen) if seen.etag.is_empty() => {
                return Err(RemoteStateError::NoETag {
                    location: self.remote.location.clone(),
                    what: "write the state",
                }
                .into());
            }
            Some(seen) => Condition::Matches(seen.etag.clone()),
        };
        let key = self.remote.url.key().to_owned();
        match self.remote.put(&key, bytes, condition) {
            Ok(etag) => {
                state.serial = next.serial;
                self.seen = Some(Seen {
                    lineage: state.lineage,
                    serial: state.serial,
                    etag,
                });
                Ok(())
            }
            // 412: the ETag (or the absence) no longer holds; 409: a concurrent conditional
            // write won; 404 on `If-Match`: the object was deleted.
            Err(Failure::PreconditionFailed | Failure::Conflict) => Err(self.changed()),
            Err(Failure::NoSuchKey) if self.seen.is_some() => Err(self.changed()),
            Err(failure) => {
                let arn = self.remote.url.object_arn(&key);
                Err(failure
                    .into_error(self.remote.target("write the state", "s3:PutObject", &arn))
                    .into())
            }
        }
    }
}
