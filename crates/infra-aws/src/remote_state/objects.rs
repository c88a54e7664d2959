//! The S3 calls the backend makes, run on its I/O thread: get, conditional put, conditional
//! delete, and the version listing. They return plain data and a [`Failure`] the callers decide
//! on; no SDK type leaves this module except through `Failure`.

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_smithy_types::date_time::Format;

use super::error::{Failure, Target};
use super::io::IoThread;
use super::url::S3Url;
use crate::error::{AwsError, Call};

/// An object as read: its bytes and the ETag its next conditional write must match.
#[derive(Debug, Clone)]
pub(crate) struct Object {
    pub bytes: Vec<u8>,
    pub etag: String,
}

/// The condition a put is made under.
#[derive(Debug, Clone)]
pub(crate) enum Condition {
    /// `If-None-Match: *`: only if there is no such object.
    Absent,
    /// `If-Match: ETAG`: only if the object is still this version.
    Matches(String),
}

/// One version of the state object, as `infra state history` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateVersion {
    /// The version id, for `infra state pull --version`.
    pub version_id: String,
    /// When it was written (RFC 3339), when S3 says.
    pub last_modified: Option<String>,
    /// Its size in bytes (none for a delete marker).
    pub size: Option<i64>,
    /// Whether it is the current version.
    pub latest: bool,
    /// Whether it is a delete marker (the object was deleted then).
    pub delete_marker: bool,
}

/// The client of one state's bucket, on its I/O thread.
#[derive(Debug)]
pub(crate) struct Remote {
    pub io: IoThread,
    pub client: Client,
    pub url: S3Url,
    pub location: String,
    pub endpoint: String,
}

impl Remote {
    /// Where a failed call was aimed, for its error.
    pub(crate) fn target<'a>(
        &'a self,
        what: &'static str,
        action: &'static str,
        resource: &'a str,
    ) -> Target<'a> {
        Target {
            location: &self.location,
            bucket: self.url.bucket(),
            what,
            action,
            resource,
        }
    }

    fn call(&self, operation: &str) -> Call {
        Call::new("s3", operation, self.endpoint.clone())
    }

    fn run<T: Send + 'static>(
        &self,
        operation: &str,
        future: impl Future<Output = Result<T, Failure>> + Send + 'static,
    ) -> Result<T, Failure> {
        self.io.run(future).unwrap_or_else(|| {
            Err(Failure::Aws(AwsError::Other {
                service: "s3".into(),
                operation: operation.to_owned(),
                detail: "the S3 I/O thread stopped".into(),
            }))
        })
    }

    /// The object `key` (the version `version`, else the current one); `None` if there is none.
    pub(crate) fn get(&self, key: &str, version: Option<&str>) -> Result<Option<Object>, Failure> {
        let call = self.call("GetObject");
        let request = self
            .client
            .get_object()
            .bucket(self.url.bucket())
            .key(key)
            .set_version_id(version.map(str::to_owned));
        self.run("GetObject", async move {
            let output = match request.send().await {
                Ok(output) => output,
                Err(err) => {
                    return match super::error::failure(err, &call) {
                        Failure::NoSuchKey => Ok(None),
                        other => Err(other),
                    };
                }
            };
            let etag = output.e_tag().unwrap_or_default().to_owned();
            let bytes = output.body.collect().await.map_err(|error| {
                Failure::Aws(AwsError::Other {
                    service: "s3".into(),
                    operation: "GetObject".into(),
                    detail: format!("reading the object's body: {error}"),
                })
            })?;
            Ok(Some(Object {
                bytes: bytes.into_bytes().to_vec(),
                etag,
            }))
        })
    }

    /// Puts `bytes` at `key` under `condition`; returns the new ETag (empty if S3 gave none).
    pub(crate) fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<String, Failure> {
        let call = self.call("PutObject");
        let request = self
            .client
            .put_object()
            .bucket(self.url.bucket())
            .key(key)
            .content_type("application/json")
            .body(ByteStream::from(bytes));
        let request = match condition {
            Condition::Absent => request.if_none_match("*"),
            Condition::Matches(etag) => request.if_match(etag),
        };
        self.run("PutObject", async move {
            match request.send().await {
                Ok(output) => Ok(output.e_tag().unwrap_or_default().to_owned()),
                Err(err) => Err(super::error::failure(err, &call)),
            }
        })
    }

    /// Deletes `key` if its ETag is still `etag` (`If-Match`).
    pub(crate) fn delete(&self, key: &str, etag: &str) -> Result<(), Failure> {
        let call = self.call("DeleteObject");
        let request = self
            .client
            .delete_object()
            .bucket(self.url.bucket())
            .key(key)
            .if_match(etag);
        self.run("DeleteObject", async move {
            match request.send().await {
                Ok(_) => Ok(()),
                Err(err) => Err(super::error::failure(err, &call)),
            }
        })
    }

    /// The keys of the `*.json` objects directly in the state object's folder
    /// ([`S3Url::prefix`]; not in folders below it), sorted.
    pub(crate) fn states_beside(&self) -> Result<Vec<String>, Failure> {
        let call = self.call("ListObjectsV2");
        let client = self.client.clone();
        let bucket = self.url.bucket().to_owned();
        let prefix = self.url.prefix().to_owned();
        self.run("ListObjectsV2", async move {
            let mut keys = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let page = client
                    .list_objects_v2()
                    .bucket(&bucket)
                    .prefix(&prefix)
                    .delimiter("/")
                    .set_continuation_token(token.take())
                    .send()
                    .await
                    .map_err(|err| super::error::failure(err, &call))?;
                keys.extend(
                    page.contents()
                        .iter()
                        .filter_map(|o| o.key())
                        .filter(|k| k.ends_with(".json"))
                        .map(str::to_owned),
                );
                match page
                    .next_continuation_token()
                    .filter(|_| page.is_truncated() == Some(true))
                {
                    Some(next) => token = Some(next.to_owned()),
                    None => break,
                }
            }
            keys.sort();
            Ok(keys)
        })
    }

    /// Every version of the state object and its delete markers, newest first.
    pub(crate) fn versions(&self) -> Result<Vec<StateVersion>, Failure> {
        let call = self.call("ListObjectVersions");
        let client = self.client.clone();
        let bucket = self.url.bucket().to_owned();
        let key = self.url.key().to_owned();
        self.run("ListObjectVersions", async move {
            let mut found: Vec<(Option<aws_smithy_types::DateTime>, StateVersion)> = Vec::new();
            let mut markers: (Option<String>, Option<String>) = (None, None);
            loop {
                let page = client
                    .list_object_versions()
                    .bucket(&bucket)
                    .prefix(&key)
                    .set_key_marker(markers.0.take())
                    .set_version_id_marker(markers.1.take())
                    .send()
                    .await
                    .map_err(|err| super::error::failure(err, &call))?;
                for version in page.versions() {
                    if version.key() == Some(key.as_str()) {
                        found.push((
                            version.last_modified().copied(),
                            StateVersion {
                                version_id: version.version_id().unwrap_or("null").to_owned(),
                                last_modified: text(version.last_modified()),
                                size: version.size(),
                                latest: version.is_latest().unwrap_or(false),
                                delete_marker: false,
                            },
                        ));
                    }
                }
                for marker in page.delete_markers() {
                    if marker.key() == Some(key.as_str()) {
                        found.push((
                            marker.last_modified().copied(),
                            StateVersion {
                                version_id: marker.version_id().unwrap_or("null").to_owned(),
                                last_modified: text(marker.last_modified()),
                                size: None,
                                latest: marker.is_latest().unwrap_or(false),
                                delete_marker: true,
                            },
                        ));
                    }
                }
                if page.is_truncated() != Some(true) {
                    break;
                }
                markers = (
                    page.next_key_marker().map(str::to_owned),
                    page.next_version_id_marker().map(str::to_owned),
                );
                if markers.0.is_none() && markers.1.is_none() {
                    break;
                }
            }
            // Newest first; the current version first among equal times.
            found.sort_by(|(a, va), (b, vb)| {
                let time = |t: &Option<aws_smithy_types::DateTime>| {
                    t.map(|t| (t.secs(), t.subsec_nanos()))
                };
                time(b).cmp(&time(a)).then(vb.latest.cmp(&va.latest))
            });
            Ok(found.into_iter().map(|(_, version)| version).collect())
        })
    }
}

fn text(time: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    time.and_then(|t| t.fmt(Format::DateTime).ok())
}
