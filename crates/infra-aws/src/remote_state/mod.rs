//! State kept in S3 (`--state s3://BUCKET/KEY`): the S3 implementation of `infra-state`'s
//! storage abstraction ([`StateBackend`], [`infra_state::StateStore`],
//! [`infra_state::StateLock`]).
//!
//! - The state is the object `KEY`; every write is a whole document, conditional on the ETag
//!   last read or written (`If-Match`), or on there being no object (`If-None-Match: *`), so a
//!   lost race is reported and nothing is overwritten ([`S3Store`]). Serial and lineage follow
//!   the same rules as the local file; a stored object infra cannot read is never overwritten.
//! - The lock is the object `KEY.lock`, created with `If-None-Match: *` ([`S3Lock`]).
//! - With bucket versioning on, [`S3Backend::history`] lists earlier versions and
//!   [`S3Backend::pull`] reads one.
//!
//! Region, credentials and endpoint come from the usual AWS chain with the command line on top
//! ([`crate::config`]); with a custom endpoint (an emulator, an S3-compatible store) requests use
//! path-style addressing.
//!
//! # Sync over async
//!
//! The storage traits are synchronous: the engine's single writer task saves after every
//! operation and must not go on until the save is done, so saves stay in order and each one is
//! a whole document. The SDK is async, and the CLI runs the engine on a single-threaded tokio
//! runtime, where blocking on another future (`block_on`, `block_in_place`) is not allowed. So
//! each backend owns an I/O thread with its own runtime ([`io`]); a call sends its future there
//! and waits for the answer on a plain channel. While a write is in flight the caller's thread
//! waits, as it does for the two fsyncs of a local write: that is the price of ordered, whole
//! saves, and it is one round trip per save.

mod error;
mod io;
mod lock;
mod objects;
mod store;
mod url;

use std::path::PathBuf;
use std::sync::Arc;

use aws_config::SdkConfig;
use infra_state::{LockInfo, State, StateBackend, StateLock, StateStore, StoreError, decode_state};

pub use self::error::RemoteStateError;
pub use self::lock::S3Lock;
pub use self::objects::StateVersion;
pub use self::store::S3Store;
pub use self::url::{LOCK_SUFFIX, S3Url, is_s3_url};

use self::error::Failure;
use self::io::IoThread;
use self::objects::Remote;
use crate::config::{AwsSettings, endpoint_for, load_config};
use crate::error::AwsError;
use crate::session::AwsSession;

/// A state kept in S3: one object and its lock object.
#[derive(Debug, Clone)]
pub struct S3Backend {
    remote: Arc<Remote>,
}

impl S3Backend {
    /// Prepares the client for the state at `url`, configured by the usual AWS chain with
    /// `settings` on top. Makes no request yet; fails when no region is configured or the
    /// endpoint URL is invalid.
    pub fn connect(url: S3Url, settings: &AwsSettings) -> Result<S3Backend, RemoteStateError> {
        let location = url.to_string();
        let io_error = |detail: String| RemoteStateError::Io {
            location: location.clone(),
            what: "connect to",
            detail,
        };
        let io = IoThread::start().map_err(|e| io_error(format!("could not start: {e}")))?;
        let settings = settings.clone();
        let config = io
            .run(async move { load_config(&settings).await })
            .ok_or_else(|| io_error("stopped".into()))?
            .map_err(|error| RemoteStateError::Aws {
                location: location.clone(),
                what: "connect to",
                error: Box::new(error),
            })?;
        Ok(S3Backend::with_io(url, &config, io))
    }

    /// Like [`S3Backend::connect`], with a session already loaded.
    pub fn from_session(url: S3Url, session: &AwsSession) -> Result<S3Backend, RemoteStateError> {
        let io = IoThread::start().map_err(|e| RemoteStateError::Io {
            location: url.to_string(),
            what: "connect to",
            detail: format!("could not start: {e}"),
        })?;
        Ok(S3Backend::with_io(url, session.sdk_config(), io))
    }

    fn with_io(url: S3Url, config: &SdkConfig, io: IoThread) -> S3Backend {
        let location = url.to_string();
        let endpoint = endpoint_for(config, "s3", None);
        let client = crate::config::s3_client(config);
        S3Backend {
            remote: Arc::new(Remote {
                io,
                client,
                url,
                location,
                endpoint,
            }),
        }
    }

    /// The state's URL.
    pub fn url(&self) -> &S3Url {
        &self.remote.url
    }

    /// Every version of the state object, newest first (`infra state history`). Needs bucket
    /// versioning; without it the error says how to turn it on.
    ///
    /// Whether the bucket keeps versions is read from the listing itself (an unversioned
    /// bucket lists its objects with the version id `null`), which needs no other permission.
    pub fn history(&self) -> Result<Vec<StateVersion>, RemoteStateError> {
        let versions = self.versions()?;
        if unversioned(&versions) {
            return Err(self.versioning_off());
        }
        Ok(versions)
    }

    fn versions(&self) -> Result<Vec<StateVersion>, RemoteStateError> {
        let arn = self.remote.url.bucket_arn();
        self.remote.versions().map_err(|failure| {
            failure.into_error(self.remote.target(
                "list the versions of",
                "s3:ListBucketVersions",
                &arn,
            ))
        })
    }

    fn versioning_off(&self) -> RemoteStateError {
        RemoteStateError::VersioningOff {
            location: self.remote.location.clone(),
            bucket: self.remote.url.bucket().to_owned(),
        }
    }

    /// The error for a version that could not be read: versioning is off, or there is no such
    /// version.
    fn missing_version(&self, version: &str) -> RemoteStateError {
        match self.versions() {
            Ok(versions) if unversioned(&versions) => self.versioning_off(),
            _ => RemoteStateError::NoSuchVersion {
                location: self.remote.location.clone(),
                version: version.to_owned(),
            },
        }
    }

    /// The bytes of the state object, the version `version` or the current one, checked to be a
    /// state infra can read (`infra state pull`).
    pub fn pull(&self, version: Option<&str>) -> Result<Vec<u8>, StoreError> {
        let remote = &self.remote;
        let key = remote.url.key();
        let arn = remote.url.object_arn(key);
        let action = if version.is_some() {
            "s3:GetObjectVersion"
        } else {
            "s3:GetObject"
        };
        let object = match remote.get(key, version) {
            Ok(Some(object)) => object,
            // S3 answers a version id it does not know with 404 `NoSuchVersion`, or 400
            // `InvalidArgument` when the id is malformed or the bucket keeps no versions.
            Ok(None) | Err(Failure::NoSuchVersion | Failure::Aws(AwsError::Service { .. }))
                if version.is_some() =>
            {
                return Err(self.missing_version(version.unwrap_or_default()).into());
            }
            Ok(None) => {
                return Err(RemoteStateError::NotFound {
                    location: remote.location.clone(),
                }
                .into());
            }
            Err(failure) => {
                return Err(failure
                    .into_error(remote.target("read the state", action, &arn))
                    .into());
            }
        };
        let named = match version {
            Some(version) => format!("{} (version {version})", remote.location),
            None => remote.location.clone(),
        };
        decode_state(&PathBuf::from(named), &object.bytes)?;
        Ok(object.bytes)
    }
}

/// Whether a listing shows a bucket that keeps no versions: objects, all of version `null`.
fn unversioned(versions: &[StateVersion]) -> bool {
    !versions.is_empty() && versions.iter().all(|v| v.version_id == "null")
}

impl StateBackend for S3Backend {
    fn location(&self) -> &str {
        &self.remote.location
    }

    fn lock(&self, command: &str) -> Result<Box<dyn StateLock>, StoreError> {
        Ok(Box::new(lock::acquire(Arc::clone(&self.remote), command)?))
    }

    fn open(&self) -> Result<(Box<dyn StateStore>, Option<State>), StoreError> {
        let (store, state) = S3Store::open(Arc::clone(&self.remote))?;
        Ok((Box::new(store), state))
    }

    fn read_lock(&self) -> Result<Option<LockInfo>, StoreError> {
        Ok(lock::read(&self.remote)?.map(|(info, _)| info))
    }

    fn force_unlock(&self, id: &str) -> Result<LockInfo, StoreError> {
        lock::remove_if_id(&self.remote, id)
    }

    fn neighbourhood(&self) -> String {
        format!(
            "s3://{}/{}",
            self.remote.url.bucket(),
            self.remote.url.prefix()
        )
    }

    fn neighbours(&self) -> Result<Vec<State>, StoreError> {
        let remote = &self.remote;
        let keys = remote.states_beside().map_err(|failure| {
            failure.into_error(remote.target(
                "list the states beside this one",
                "s3:ListBucket",
                &remote.url.bucket_arn(),
            ))
        })?;
        let mut states: Vec<State> = Vec::new();
        for key in keys {
            let object = match remote.get(&key, None) {
                Ok(Some(object)) => object,
                // Deleted since the listing.
                Ok(None) => continue,
                Err(failure) => {
                    return Err(failure
                        .into_error(remote.target(
                            "read a neighbouring state",
                            "s3:GetObject",
                            &remote.url.object_arn(&key),
                        ))
                        .into());
                }
            };
            let named = PathBuf::from(format!("s3://{}/{key}", remote.url.bucket()));
            match decode_state(&named, &object.bytes) {
                // A copy of a state (same lineage) is the same stack, counted once.
                Ok(state) if states.iter().any(|s| s.lineage == state.lineage) => {}
                Ok(state) => states.push(state),
                Err(infra_state::StateError::NoVersion { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(states)
    }
}
