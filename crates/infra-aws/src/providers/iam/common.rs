//! What the IAM and CloudWatch Logs providers share: reading template properties, policy
//! documents, tags (and whether they make an entity this resource's), error classes, bounded
//! concurrency, polling, and the name a `find` looks for.
//!
//! Kept `pub(crate)` and free of any IAM type so `providers::logs` uses it too.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error as StdError;
use std::future::Future;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::{Map, Value};
use tokio::task::JoinSet;

use crate::error::{AwsError, Call, classify};
use crate::provider::{FailureClass, FindInput, ProviderError, ResourceOutput};

/// How many calls of one read may be in flight at once (per type).
pub(crate) const READ_CONCURRENCY: usize = 8;

/// How long a waiter polls before giving up: IAM changes usually propagate within seconds;
/// Terraform's AWS provider allows two minutes (`propagationTimeout`).
pub(crate) const PROPAGATION_TIMEOUT: Duration = Duration::from_secs(120);

/// The prefix of the tags infra adds to every taggable resource (`infra:stack`,
/// `infra:address`). Refresh leaves them out of `Tags`: they are not the template's.
pub(crate) const INFRA_TAG_PREFIX: &str = "infra:";

/// Codes of errors worth another try: the service failed or a concurrent change was in the
/// way. (Throttling arrives as [`AwsError::Throttled`].)
const TRANSIENT_CODES: &[&str] = &[
    "ServiceFailure",
    "ServiceFailureException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
    "ConcurrentModification",
    "ConcurrentModificationException",
    "OperationAbortedException",
];

/// Codes that say the resource asked for does not exist.
const NOT_FOUND_CODES: &[&str] = &["NoSuchEntity", "ResourceNotFoundException"];

/// One AWS service as the providers call it: its name in messages and the endpoint label used
/// when it cannot be reached.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    service: &'static str,
    endpoint: String,
}

impl Api {
    /// `service` as IAM spells it (`iam`, `logs`); `endpoint` names where requests go.
    pub(crate) fn new(service: &'static str, endpoint: impl Into<String>) -> Self {
        Api {
            service,
            endpoint: endpoint.into(),
        }
    }

    /// Classifies a failed call of `operation`.
    pub(crate) fn err<E>(&self, operation: &str, err: SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        classify(
            err,
            &Call::new(self.service, operation, self.endpoint.clone()),
        )
    }
}

/// The endpoint label of a client whose configured URL the provider cannot see (clients do not
/// expose it): the region, so an "unreachable" message still says where.
pub(crate) fn endpoint_label(service: &str, region: Option<&str>) -> String {
    match region {
        Some(region) => format!("for {service} in {region}"),
        None => format!("for {service}"),
    }
}

/// Whether `err` carries the AWS error code `code`.
pub(crate) fn has_code(err: &AwsError, code: &str) -> bool {
    err.code() == Some(code)
}

/// Whether `err` says the thing asked for does not exist.
pub(crate) fn is_not_found(err: &AwsError) -> bool {
    err.code().is_some_and(|c| NOT_FOUND_CODES.contains(&c))
}

/// The class of an AWS error (see the module comment of `providers::iam`).
pub(crate) fn class_of(err: &AwsError) -> FailureClass {
    match err {
        AwsError::Throttled { .. } | AwsError::Unreachable { .. } => FailureClass::Retryable,
        AwsError::BadResponse { status, .. } if *status >= 500 => FailureClass::Retryable,
        AwsError::Service { code, message, .. } => {
            let code = code.as_str();
            if TRANSIENT_CODES.contains(&code)
                || code
                    .strip_prefix("HTTP 5")
                    .is_some_and(|rest| rest.len() == 2)
            {
                FailureClass::Retryable
            } else if NOT_FOUND_CODES.contains(&code) {
                FailureClass::NotFound
            } else if code == "DeleteConflict" {
                FailureClass::DependencyViolation
            } else if code == "MalformedPolicyDocument" && message.contains("Invalid principal") {
                // IAM validates principals when a trust policy is set; a principal created a
                // moment ago may not be visible yet (Terraform retries exactly this).
                FailureClass::EventuallyConsistent
            } else {
                FailureClass::Fatal
            }
        }
        _ => FailureClass::Fatal,
    }
}

/// Which resource a provider call is about, for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// `AWS::IAM::Role`.
    pub(crate) type_name: &'static str,
    /// `ServiceStack.TaskRole`.
    pub(crate) address: &'a str,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(type_name: &'static str, address: &'a str) -> Self {
        Ctx { type_name, address }
    }

    /// A fatal error about this resource.
    pub(crate) fn fatal(&self, message: impl std::fmt::Display) -> ProviderError {
        ProviderError::fatal(format!("{} {}: {message}", self.type_name, self.address))
    }

    /// An error of `class` about this resource.
    pub(crate) fn error(
        &self,
        class: FailureClass,
        message: impl std::fmt::Display,
    ) -> ProviderError {
        ProviderError {
            class,
            message: format!("{} {}: {message}", self.type_name, self.address),
        }
    }

    /// A failed AWS call while `doing` something, classed by [`class_of`].
    pub(crate) fn fail(&self, doing: impl std::fmt::Display, err: AwsError) -> ProviderError {
        self.error(class_of(&err), format!("{doing}: {err}"))
    }

    /// A failed AWS call that names another entity (a role, a policy, a principal) which may
    /// have been created a moment ago: "does not exist" is then IAM's eventual consistency,
    /// for the engine to retry for a bounded time, not a missing resource of our own.
    pub(crate) fn fail_referencing(
        &self,
        doing: impl std::fmt::Display,
        err: AwsError,
    ) -> ProviderError {
        let class = match class_of(&err) {
            FailureClass::NotFound => FailureClass::EventuallyConsistent,
            other => other,
        };
        self.error(class, format!("{doing}: {err}"))
    }
}

/// A resource's template properties, checked against the ones a provider maps.
#[derive(Debug)]
pub(crate) struct Props<'a> {
    map: Option<&'a Map<String, Value>>,
    ctx: Ctx<'a>,
}

impl<'a> Props<'a> {
    /// Checks that `value` is an object whose every key is in `supported`; a key in
    /// `unsupported` is refused with the reason given there, any other with a generic one.
    pub(crate) fn new(
        value: &'a Value,
        ctx: Ctx<'a>,
        supported: &[&str],
        unsupported: &[(&str, &str)],
    ) -> Result<Self, ProviderError> {
        let map = match value {
            Value::Null => None,
            Value::Object(map) => Some(map),
            other => {
                return Err(ctx.fatal(format!(
                    "properties must be an object, not {}",
                    kind_of(other)
                )));
            }
        };
        for (key, value) in map.into_iter().flatten() {
            if value.is_null() || supported.contains(&key.as_str()) {
                continue;
            }
            return Err(match unsupported.iter().find(|(k, _)| k == key) {
                Some((_, why)) => ctx.fatal(format!("property {key} is not supported: {why}")),
                None => ctx.fatal(format!(
                    "property {key} is not supported by infra for {}",
                    ctx.type_name
                )),
            });
        }
        Ok(Props { map, ctx })
    }

    /// The raw value of `key` (`None` when absent or null).
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// A string property. Numbers and booleans are accepted as their text, as CloudFormation
    /// does for string properties.
    pub(crate) fn str(&self, key: &str) -> Result<Option<String>, ProviderError> {
        self.get(key)
            .map(|v| scalar_text(v).ok_or_else(|| self.wrong(key, v, "a string")))
            .transpose()
    }

    /// An integer property (a number or a string of digits).
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, ProviderError> {
        self.get(key)
            .map(|v| {
                let n = match v {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                n.ok_or_else(|| self.wrong(key, v, "an integer"))
            })
            .transpose()
    }

    /// An `i32` property.
    pub(crate) fn i32(&self, key: &str) -> Result<Option<i32>, ProviderError> {
        self.int(key)?
            .map(|n| {
                i32::try_from(n).map_err(|_| {
                    self.ctx
                        .fatal(format!("property {key}: {n} is out of range"))
                })
            })
            .transpose()
    }

    /// A boolean property (`true`/`false`, also as strings).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ProviderError> {
        self.get(key)
            .map(|v| match v {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
                _ => Err(self.wrong(key, v, "a boolean")),
            })
            .transpose()
    }

    /// A list of strings (absent = empty).
    pub(crate) fn str_list(&self, key: &str) -> Result<Vec<String>, ProviderError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| scalar_text(v).ok_or_else(|| self.wrong(key, v, "a list of strings")))
                .collect(),
            Some(v) => Err(self.wrong(key, v, "a list of strings")),
        }
    }

    /// A JSON document property (an IAM policy, a data protection policy), given as an object
    /// or as a string holding JSON; returned parsed.
    pub(crate) fn document(&self, key: &str) -> Result<Option<Value>, ProviderError> {
        self.get(key)
            .map(|v| {
                parse_document(v).map_err(|why| self.ctx.fatal(format!("property {key}: {why}")))
            })
            .transpose()
    }

    /// `Tags`: a list of `{Key, Value}` objects, in template order.
    pub(crate) fn tags(&self, key: &str) -> Result<Vec<(String, String)>, ProviderError> {
        let Some(value) = self.get(key) else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = value else {
            return Err(self.wrong(key, value, "a list of {Key, Value} objects"));
        };
        let mut tags = Vec::with_capacity(items.len());
        for item in items {
            let Value::Object(tag) = item else {
                return Err(self.wrong(key, item, "a {Key, Value} object"));
            };
            if let Some(extra) = tag.keys().find(|k| *k != "Key" && *k != "Value") {
                return Err(self
                    .ctx
                    .fatal(format!("property {key}: a tag has no property {extra}")));
            }
            let k = tag.get("Key").and_then(scalar_text);
            let v = tag.get("Value").and_then(scalar_text);
            match (k, v) {
                (Some(k), Some(v)) => tags.push((k, v)),
                _ => {
                    return Err(self.ctx.fatal(format!(
                        "property {key}: every tag needs a string Key and Value"
                    )));
                }
            }
        }
        Ok(tags)
    }

    fn wrong(&self, key: &str, value: &Value, expected: &str) -> ProviderError {
        self.ctx.fatal(format!(
            "property {key} must be {expected}, not {}",
            kind_of(value)
        ))
    }
}

/// The text of a scalar: strings as they are, numbers and booleans as written.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A policy document as a template gives it: an object, or a string holding a JSON object.
/// Strings stay strings inside it (`"Version": "2012-10-17"` is never re-typed).
pub(crate) fn parse_document(value: &Value) -> Result<Value, String> {
    match value {
        Value::Object(_) => Ok(value.clone()),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(doc @ Value::Object(_)) => Ok(doc),
            Ok(other) => Err(format!(
                "the document must be a JSON object, not {}",
                kind_of(&other)
            )),
            Err(e) => Err(format!("the document is not valid JSON: {e}")),
        },
        other => Err(format!(
            "the document must be a JSON object or a string holding one, not {}",
            kind_of(other)
        )),
    }
}

/// The compact JSON text sent to AWS.
pub(crate) fn compact(doc: &Value) -> String {
    doc.to_string()
}

/// Whether two documents (objects, or strings holding JSON) say the same; key order and
/// white space do not count.
pub(crate) fn same_document(a: &Value, b: &Value) -> bool {
    match (parse_document(a), parse_document(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Decodes the percent-encoding (RFC 3986) IAM applies to every policy document it returns.
/// `+` is not a space in RFC 3986 and stays as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A document as AWS returned it (percent-encoded when `encoded`), as the template would write
/// it: the previous value itself when it says the same (so refresh shows no drift for a
/// document written as a string or with other spacing), else the parsed object.
pub(crate) fn observed_document(text: &str, encoded: bool, previous: Option<&Value>) -> Value {
    let text = if encoded {
        percent_decode(text)
    } else {
        text.to_owned()
    };
    let observed = serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text));
    match previous {
        Some(prev) if same_document(prev, &observed) => prev.clone(),
        _ => observed,
    }
}

/// Template tags and infra's tags together; infra's win on a clash.
pub(crate) fn merge_tags(
    template: &[(String, String)],
    infra: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = template.iter().cloned().collect();
    all.extend(infra.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// What to change to get from the tags `before` to `after`: tags to set and keys to remove.
pub(crate) fn tag_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let set = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let remove = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (set, remove)
}

/// Whether a resource's tags show that it was made for `infra`'s tags (its `infra:address`
/// and `infra:stack` tags): only then may a create that finds it already there adopt it.
pub(crate) fn owned_by(found: &BTreeMap<String, String>, infra: &BTreeMap<String, String>) -> bool {
    !infra.is_empty() && infra.iter().all(|(k, v)| found.get(k) == Some(v))
}

/// The name an interrupted create gave its resource: the one it was created with
/// ([`FindInput::name`]), else the template's `key` property. A create always has one, so
/// having none is an error.
pub(crate) fn name_to_find(
    input: &FindInput,
    key: &str,
    ctx: Ctx<'_>,
) -> Result<String, ProviderError> {
    input
        .name
        .clone()
        .or_else(|| input.properties.get(key).and_then(scalar_text))
        .ok_or_else(|| ctx.fatal(format!("no {key} and no generated name to find it by")))
}

/// `found` unless it is the object being replaced ([`FindInput::replacing`]): that one is never
/// the answer.
pub(crate) fn not_replaced(
    found: Option<ResourceOutput>,
    input: &FindInput,
) -> Option<ResourceOutput> {
    found.filter(|o| input.replacing.as_deref() != Some(o.physical_id.as_str()))
}

/// Tags as the template writes them (`[{Key, Value}]`), without infra's own and AWS's
/// reserved ones; in the previous order when the set is unchanged.
pub(crate) fn observed_tags(found: &BTreeMap<String, String>, previous: Option<&Value>) -> Value {
    let kept: BTreeMap<&String, &String> = found
        .iter()
        .filter(|(k, _)| !k.starts_with(INFRA_TAG_PREFIX) && !k.starts_with("aws:"))
        .collect();
    let list = Value::Array(
        kept.iter()
            .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
            .collect(),
    );
    match previous {
        Some(prev) if same_tags(prev, &list) => prev.clone(),
        _ => list,
    }
}

fn tag_set(value: &Value) -> Option<BTreeMap<String, String>> {
    value
        .as_array()?
        .iter()
        .map(|t| Some((scalar_text(t.get("Key")?)?, scalar_text(t.get("Value")?)?)))
        .collect()
}

fn same_tags(a: &Value, b: &Value) -> bool {
    matches!((tag_set(a), tag_set(b)), (Some(a), Some(b)) if a == b)
}

/// A list of strings as observed, in the previous order when it holds the same set.
pub(crate) fn observed_set(found: Vec<String>, previous: Option<&Value>) -> Value {
    let found_set: BTreeSet<&str> = found.iter().map(String::as_str).collect();
    let prev_set: Option<BTreeSet<String>> = previous
        .and_then(Value::as_array)
        .and_then(|items| items.iter().map(scalar_text).collect());
    match (previous, prev_set) {
        (Some(prev), Some(set))
            if set.iter().map(String::as_str).collect::<BTreeSet<_>>() == found_set =>
        {
            prev.clone()
        }
        _ => Value::Array(found.into_iter().map(Value::String).collect()),
    }
}

/// A scalar as observed: the previous value when it says the same (`"3600"` and `3600`).
pub(crate) fn observed_scalar(found: Value, previous: Option<&Value>) -> Value {
    match previous {
        Some(prev) if scalar_text(prev).is_some() && scalar_text(prev) == scalar_text(&found) => {
            prev.clone()
        }
        _ => found,
    }
}

/// The keys of the last applied properties: what infra manages and so what refresh reports.
pub(crate) fn managed_keys(properties: &Value) -> BTreeSet<String> {
    properties
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `tasks` with at most `limit` in flight and returns their results in order; the first
/// error stops the rest.
pub(crate) async fn run_bounded<R, F>(tasks: Vec<F>, limit: usize) -> Result<Vec<R>, ProviderError>
where
    F: Future<Output = Result<R, ProviderError>> + Send + 'static,
    R: Send + 'static,
{
    let total = tasks.len();
    let mut results: Vec<Option<R>> = (0..total).map(|_| None).collect();
    let mut pending = tasks.into_iter().enumerate();
    let mut running = JoinSet::new();
    loop {
        while running.len() < limit.max(1) {
            let Some((i, task)) = pending.next() else {
                break;
            };
            running.spawn(async move { (i, task.await) });
        }
        match running.join_next().await {
            None => break,
            Some(Ok((i, result))) => results[i] = Some(result?),
            Some(Err(join)) => {
                return Err(ProviderError::fatal(format!(
                    "a refresh task failed: {join}"
                )));
            }
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// Polls `check` until it yields `Some`, with a growing pause (0.5 s doubling to 5 s), for at
/// most `timeout`. `None` when time ran out. A poll that fails with a retryable error
/// (throttling, 5xx, connection, after the SDK's own retries) counts as not there yet; the
/// last poll's error is returned.
pub(crate) async fn poll<T, F, Fut>(
    timeout: Duration,
    mut check: F,
) -> Result<Option<T>, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(500);
    loop {
        let retryable = match check().await {
            Ok(Some(found)) => return Ok(Some(found)),
            Ok(None) => None,
            Err(e) if e.class == FailureClass::Retryable => Some(e),
            Err(e) => return Err(e),
        };
        let now = Instant::now();
        if now >= deadline {
            return retryable.map_or(Ok(None), Err);
        }
        crate::slot::pause(pause.min(deadline - now)).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// Runs `op` again while it fails as [`FailureClass::EventuallyConsistent`], with a growing
/// pause, for at most [`PROPAGATION_TIMEOUT`]; then returns its last result. Used for the steps
/// of a create that follow the creating call itself (attach a policy to the role just made):
/// the engine's own retry would call `create` again, which finds the name taken.
pub(crate) async fn retry_eventual<T, F, Fut>(mut op: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let deadline = Instant::now() + PROPAGATION_TIMEOUT;
    let mut pause = Duration::from_millis(500);
    loop {
        match op().await {
            Err(e)
                if e.class == FailureClass::EventuallyConsistent
                    && Instant::now() + pause < deadline =>
            {
                crate::slot::pause(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}

/// A short, stable suffix derived from `seed` (FNV-1a, 13 characters of `A-Z0-9`), for
/// identifiers infra makes up, so that a retried create makes the same one.
pub(crate) fn stable_suffix(seed: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::with_capacity(13);
    for _ in 0..13 {
        out.push(ALPHABET[(hash % 36) as usize] as char);
        hash /= 36;
    }
    out
}

/// An AWS timestamp as ISO 8601 text (what `Fn::GetAtt` of a date attribute returns).
pub(crate) fn iso_date(date: &aws_smithy_types::DateTime) -> Value {
    date.fmt(aws_smithy_types::date_time::Format::DateTime)
        .map(Value::String)
        .unwrap_or(Value::Null)
}
