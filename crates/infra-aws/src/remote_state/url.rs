//! `s3://BUCKET/KEY`: the one way a remote state is named, checked before any call is made.

use std::fmt;

use super::error::RemoteStateError;

/// Where a remote state lives: a bucket and an object key. Its lock is the object `KEY.lock`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct S3Url {
    bucket: String,
    key: String,
}

/// The suffix of the lock object's key.
pub const LOCK_SUFFIX: &str = ".lock";

/// The longest object key S3 accepts, in bytes.
const MAX_KEY_BYTES: usize = 1024;

/// Whether `text` is meant as an S3 URL (it starts with `s3:`, in any case), so that a
/// malformed one is reported as such instead of being taken for a local path.
pub fn is_s3_url(text: &str) -> bool {
    text.get(..3)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("s3:"))
}

impl S3Url {
    /// Parses `s3://BUCKET/KEY`. The bucket must be a valid S3 bucket name; the key must name
    /// an object (not empty, not ending with `/`) and leave room for the lock's suffix.
    pub fn parse(text: &str) -> Result<S3Url, RemoteStateError> {
        let invalid = |reason: &str| RemoteStateError::InvalidUrl {
            url: text.to_owned(),
            reason: reason.to_owned(),
        };
        let rest = match text.get(..5) {
            Some(scheme) if scheme.eq_ignore_ascii_case("s3://") => &text[5..],
            _ => {
                return Err(invalid(
                    "it must start with s3:// followed by the bucket name",
                ));
            }
        };
        if rest.chars().any(char::is_control) {
            return Err(invalid("it contains control characters"));
        }
        let Some((bucket, key)) = rest.split_once('/') else {
            let reason = if rest.is_empty() {
                "it names no bucket and no object key"
            } else {
                "it names no object key after the bucket"
            };
            return Err(invalid(reason));
        };
        if bucket.is_empty() {
            return Err(invalid("it names no bucket"));
        }
        check_bucket(bucket).map_err(|reason| invalid(&format!("bucket `{bucket}`: {reason}")))?;
        if key.is_empty() {
            return Err(invalid("it names no object key after the bucket"));
        }
        if key.starts_with('/') {
            return Err(invalid("its object key starts with `/`"));
        }
        if key.ends_with('/') {
            return Err(invalid(
                "its object key ends with `/`, which names a folder, not an object",
            ));
        }
        if key.contains(['?', '#']) {
            return Err(invalid(
                "it has `?` or `#`; a state URL takes no query or fragment",
            ));
        }
        if key.len() + LOCK_SUFFIX.len() > MAX_KEY_BYTES {
            return Err(invalid(&format!(
                "its object key is longer than {} bytes (S3 allows {MAX_KEY_BYTES}, and the lock adds `{LOCK_SUFFIX}`)",
                MAX_KEY_BYTES - LOCK_SUFFIX.len()
            )));
        }
        Ok(S3Url {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        })
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The state object's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The "folder" the state object is in: its key up to and including the last `/` (empty for
    /// a key at the bucket's root). The states of the stacks sharing the backend are there.
    pub fn prefix(&self) -> &str {
        match self.key.rfind('/') {
            Some(i) => &self.key[..=i],
            None => "",
        }
    }

    /// The lock object's key: `KEY.lock`.
    pub fn lock_key(&self) -> String {
        format!("{}{LOCK_SUFFIX}", self.key)
    }

    /// The lock object's URL: `s3://BUCKET/KEY.lock`.
    pub fn lock_url(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.lock_key())
    }

    /// The ARN of the object `key` of this bucket, as IAM policies name it.
    pub fn object_arn(&self, key: &str) -> String {
        format!("arn:aws:s3:::{}/{key}", self.bucket)
    }

    /// The ARN of the bucket.
    pub fn bucket_arn(&self) -> String {
        format!("arn:aws:s3:::{}", self.bucket)
    }
}

impl fmt::Display for S3Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// S3's rules for general purpose bucket names.
fn check_bucket(bucket: &str) -> Result<(), &'static str> {
    if !(3..=63).contains(&bucket.len()) {
        return Err("a bucket name has 3 to 63 characters");
    }
    if !bucket
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err("a bucket name holds only lower-case letters, digits, `.` and `-`");
    }
    let alphanumeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !alphanumeric(bucket.chars().next()) || !alphanumeric(bucket.chars().last()) {
        return Err("a bucket name starts and ends with a letter or digit");
    }
    if bucket.contains("..") {
        return Err("a bucket name has no two adjacent periods");
    }
    if bucket.split('.').count() == 4 && bucket.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Err("a bucket name is not an IP address");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_and_key_parse() {
        let url = S3Url::parse("s3://team/net.json").expect("valid");
        assert_eq!((url.bucket(), url.key()), ("team", "net.json"));
        assert_eq!(url.lock_key(), "net.json.lock");
        assert_eq!(url.to_string(), "s3://team/net.json");
        assert_eq!(url.lock_url(), "s3://team/net.json.lock");
        let nested = S3Url::parse("S3://my.team-1/env/prod/net.json").expect("valid");
        assert_eq!(nested.key(), "env/prod/net.json");
        assert_eq!(nested.object_arn("k"), "arn:aws:s3:::my.team-1/k");
    }

    #[test]
    fn malformed_urls_say_what_is_wrong() {
        let cases = [
            ("s3://", "no bucket and no object key"),
            ("s3:///key", "names no bucket"),
            ("s3://bucket", "no object key"),
            ("s3://bucket/", "no object key"),
            ("s3://bucket/dir/", "names a folder"),
            ("s3://bucket//key", "starts with `/`"),
            ("s3:/bucket/key", "must start with s3://"),
            ("s3:bucket/key", "must start with s3://"),
            ("s3://Bucket/key", "lower-case"),
            ("s3://ab/key", "3 to 63"),
            ("s3://-ab/key", "starts and ends"),
            ("s3://a..b/key", "adjacent periods"),
            ("s3://192.168.1.1/key", "IP address"),
            ("s3://bucket/key?versionId=1", "no query"),
            ("s3://bucket/a\nb", "control characters"),
        ];
        for (url, expected) in cases {
            let error = S3Url::parse(url).expect_err(url).to_string();
            assert!(error.contains(expected), "{url}: {error}");
            assert!(error.contains(&format!("`{url}`")), "{url}: {error}");
        }
        let long = format!("s3://bucket/{}", "k".repeat(1020));
        assert!(S3Url::parse(&long).is_err());
        let longest = format!("s3://bucket/{}", "k".repeat(1019));
        assert!(S3Url::parse(&longest).is_ok());
    }

    #[test]
    fn anything_starting_with_the_scheme_is_taken_for_a_url() {
        assert!(is_s3_url("s3://x/y"));
        assert!(is_s3_url("S3:/x"));
        assert!(!is_s3_url("state/s3.json"));
        assert!(!is_s3_url("s3"));
    }
}
