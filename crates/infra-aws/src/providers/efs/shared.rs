//! What the EFS providers share: the client ([`Efs`]) and how its failed calls are classed
//! (EFS's own codes, [`classed`], its [`Classify`](kit::Classify)), describe calls followed
//! page by page ([`pages`]) and read per file system ([`read_per_file_system`]), the
//! idempotency token of a create ([`create_token`]), tags and their changes ([`retag`]) and waiting for a lifecycle state ([`wait_for`]).
//!
//! | EFS error | class |
//! |---|---|
//! | `FileSystemInUse` (DeleteFileSystem while mount targets exist) | dependency violation: the engine retries while the mount targets go |
//! | `IncorrectFileSystemLifeCycleState`, `IncorrectMountTargetState` (the object is still `creating` or `updating`) | retryable |
//! | `InvalidPolicyException` naming a principal (an IAM role made a moment ago) | eventually consistent |
//! | `*NotFound` (`FileSystemNotFound`, `MountTargetNotFound`, `AccessPointNotFound`) | not found |
//! | anything else | the kit's table |

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_efs::types::{LifeCycleState, Tag};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::AwsError;
use crate::providers::kit::errors::Coded;

/// An EFS client and how its errors are named.
pub(crate) type Efs = Service<aws_sdk_efs::Client>;

/// How long a file system, mount target or access point may take to become `available` or to
/// go: creations take seconds to a few minutes (a mount target makes a network interface).
pub(crate) const STATE_TIMEOUT: Duration = Duration::from_secs(600);

/// The error of a failed EFS call, classed by EFS's own codes first (see the module doc).
pub(crate) fn classed(ctx: Ctx<'_>, doing: impl Display, err: &AwsError) -> ProviderError {
    let mut out = ctx.fail(doing, err);
    let (code, message) = err.code_and_message().unwrap_or_default();
    match code {
        "FileSystemInUse" => out.class = FailureClass::DependencyViolation,
        "IncorrectFileSystemLifeCycleState" | "IncorrectMountTargetState" => {
            out.class = FailureClass::Retryable;
        }
        // A principal made a moment ago, not visible to EFS yet (Terraform retries this too).
        "InvalidPolicyException" if message.to_ascii_lowercase().contains("principal") => {
            out.class = FailureClass::EventuallyConsistent;
        }
        _ => {}
    }
    out
}

impl Classify for Efs {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        classed(ctx, doing, err)
    }
}

/// Every page of a describe call, `page(marker)` answering one page's items
/// and the next marker. "Not found" (of the one id asked for, or of the file system whose
/// objects are listed) is none.
pub(crate) async fn pages<T, E, F, Fut>(
    efs: &Efs,
    ctx: Ctx<'_>,
    doing: &str,
    mut page: F,
) -> Result<Vec<T>, ProviderError>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), SdkError<E, HttpResponse>>>,
{
    kit::pages(|marker| {
        let sent = page(marker);
        async move {
            let found = kit::answer(efs, ctx, doing, sent, is_not_found);
            Ok(found.await?.unwrap_or_default())
        }
    })
    .await
}

/// The `read` of a type EFS describes per file system (mount targets, access points): the
/// items grouped by `FileSystemId` (an item without one is left out), `list(efs, fs)` once per
/// file system (a few at once), each item's object (the one `id_of` names by its physical id)
/// `observe`d; one not listed is gone.
pub(crate) async fn read_per_file_system<T, L, LF, O, OF>(
    efs: &Efs,
    items: &[ReadInput],
    list: L,
    id_of: fn(&T) -> Option<&str>,
    observe: O,
) -> Reads
where
    T: Send + 'static,
    L: Fn(Efs, String) -> LF,
    LF: Future<Output = Result<Vec<T>, ProviderError>> + Send + 'static,
    O: Fn(Efs, ReadInput, T) -> OF + Clone + Send + 'static,
    OF: Future<Output = Result<Observation, ProviderError>> + Send,
{
    let mut groups: BTreeMap<String, Vec<ReadInput>> = BTreeMap::new();
    for item in items {
        if let Some(fs) = item.properties.get("FileSystemId").and_then(scalar_text) {
            groups.entry(fs).or_default().push(item.clone());
        }
    }
    let tasks = groups.into_iter().map(|(fs, group)| {
        let (listed, efs, observe) = (list(efs.clone(), fs), efs.clone(), observe.clone());
        async move {
            let mut seen = listed.await?;
            let mut out = Vec::new();
            for item in group {
                let id = Some(item.physical_id.as_str());
                let found = seen.iter().position(|t| id_of(t) == id);
                let observed = match found {
                    None => Observation::Gone,
                    Some(i) => observe(efs.clone(), item.clone(), seen.swap_remove(i)).await?,
                };
                out.push((item.address, observed));
            }
            Ok(out)
        }
    });
    let seen = kit::run_bounded(tasks.collect(), kit::READ_CONCURRENCY).await?;
    Ok(seen.into_iter().flatten().collect())
}

/// The `CreationToken` / `ClientToken` of a create: derived from the create's checkpoint key
/// (unique to its intent and the same across retries and runs), so a create sent again returns
/// (or names) the object the first one made and `find` can look it up. Without a key (a
/// provider called outside the engine) it is derived from the address, tags and properties.
/// `infra-` and 40 hex digits: within EFS's 64 characters.
pub(crate) fn create_token(
    key: &str,
    address: &str,
    tags: &BTreeMap<String, String>,
    properties: &Value,
) -> String {
    let seed = if key.is_empty() {
        format!("{address}\n{tags:?}\n{properties}")
    } else {
        format!("efs\n{key}")
    };
    let digest = infra_state::sha256_hex(seed.as_bytes());
    format!("infra-{}", &digest[..40])
}

pub(crate) fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    kit::tag_pairs(tags, |t| (Some(t.key()), Some(t.value())))
}

/// TagResource / UntagResource on `id` (a file system or access point id) to go from the
/// tags `before` to `after`.
pub(crate) async fn retag(
    efs: &Efs,
    ctx: Ctx<'_>,
    id: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let remove = |keys| async move {
        let request = efs.client.untag_resource().resource_id(id);
        send!(efs, ctx, request.set_tag_keys(Some(keys)), "untagging")
    };
    let set = |tags: BTreeMap<String, String>| async move {
        let request = efs.client.tag_resource().resource_id(id);
        let request = request.set_tags(Some(kit::sdk_tags!(Tag, ctx, tags)?));
        send!(efs, ctx, request, "tagging")
    };
    kit::map_changes(before, after, remove, set).await
}

/// Polls `state` (`None`: the object is gone) until the object is `available` (`gone` false)
/// or gone (`gone` true; `deleted` counts as gone), lending the slot while it waits. An object
/// in the `error` state fails at once.
pub(crate) async fn wait_for<F, Fut>(
    ctx: Ctx<'_>,
    what: &str,
    gone: bool,
    mut state: F,
) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<LifeCycleState>, ProviderError>>,
{
    let done = kit::poll(STATE_TIMEOUT, || {
        let seen = state();
        async move {
            match (seen.await?, gone) {
                (None | Some(LifeCycleState::Deleted), true)
                | (Some(LifeCycleState::Available), false) => Ok(Some(())),
                (Some(LifeCycleState::Error), _) => {
                    Err(ctx.fatal(format!("{what} is in the error state")))
                }
                (None, false) => {
                    let why = format!("{what} disappeared while infra waited for it");
                    Err(ctx.error(FailureClass::NotFound, why))
                }
                _ => Ok(None),
            }
        }
    })
    .await?;
    let goal = if gone { "gone" } else { "available" };
    let secs = STATE_TIMEOUT.as_secs();
    let late = format!("{what} was not {goal} after {secs} s; the next run finds it again");
    done.ok_or_else(|| ctx.fatal(late))
}
