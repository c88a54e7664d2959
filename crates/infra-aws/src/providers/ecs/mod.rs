//! ECS resource types, one module each, all of the same shape (the template's properties parsed
//! into the API's types, then create / update / delete / batched read):
//!
//! | type | module | `Ref` | `Fn::GetAtt` | create waits for | delete |
//! |---|---|---|---|---|---|
//! | `AWS::ECS::Cluster` | `cluster` | cluster name | `Arn` | `ACTIVE` | DeleteCluster, until `INACTIVE` |
//! | `AWS::ECS::CapacityProvider` | `capacity_provider` | provider name | | `ACTIVE` | DeleteCapacityProvider, until `INACTIVE` or gone |
//! | `AWS::ECS::ClusterCapacityProviderAssociations` | `association` | cluster name | | the cluster's attachments settled | PutClusterCapacityProviders with empty lists |
//! | `AWS::ECS::TaskDefinition` | `task_definition` | task definition ARN (with revision) | `TaskDefinitionArn` | registered | DeregisterTaskDefinition |
//! | `AWS::ECS::Service` | `service` | service ARN | `Name`, `ServiceArn` | `ACTIVE` (not running tasks) | desired count 0, DeleteService force, until `INACTIVE` |
//!
//! Names the template leaves out (`ClusterName`, `Name`, `ServiceName`, `Family`) come from
//! `CreateInput::generated_name`. Every property CloudFormation documents is mapped to the API,
//! or refused with a fatal error naming it (and why); nothing is dropped silently. Numbers may
//! be given as numbers or strings (`256` / `"256"`), as CloudFormation accepts both.
//!
//! The template -> SDK conversions of the cluster, capacity provider, task definition and
//! service (their keys, the refused ones with their reason, and every nested object, the
//! association's keys and capacity provider strategy too) are generated from the schemas by
//! `scripts/generate-mappings` (`mappings/ecs.toml`, `generated/ecs.rs`), and so are the
//! UpdateCluster and UpdateService requests (what changed) and the SDK -> template
//! conversions refresh reports services, clusters and capacity providers with; the modules here
//! add names, infra's tags, defaults, the calls, waits and the rest of refresh (names and ARNs,
//! write-only values, tags).
//!
//! # Finding what an interrupted create made
//!
//! `find` only reads (DescribeClusters, DescribeCapacityProviders and DescribeServices, with
//! tags; the task definition's, in `task_definition/find.rs`, lists the family's revisions),
//! and returns what `create` returns (the same physical id and attributes) or `None`. A resource counts only when it carries the `infra:*` tags the create was given (a
//! name taken by another stack or resource is not ours), is not being deleted or deleted, and
//! is not the object a replacement replaces:
//!
//! | type | found by | does not count |
//! |---|---|---|
//! | Cluster | DescribeClusters of the name, tags checked | `INACTIVE`, `DEPROVISIONING` |
//! | CapacityProvider | DescribeCapacityProviders of the name, tags checked | `INACTIVE`, update status `DELETE_IN_PROGRESS` / `DELETE_COMPLETE` |
//! | ClusterCapacityProviderAssociations (no tags, no name) | the `Cluster`, when it holds exactly the `CapacityProviders` and `DefaultCapacityProviderStrategy` asked for (weight and base 0 when left out) | a cluster `INACTIVE` or `DEPROVISIONING` |
//! | TaskDefinition | the family's `ACTIVE` revisions, newest first (ListTaskDefinitions): the newest with this resource's tags, when its properties are those asked for (defaults ECS fills in ignored); an older revision means nothing was registered | `INACTIVE` revisions |
//! | Service | DescribeServices of the name in its `Cluster` (else `default`), tags checked | `DRAINING`, `INACTIVE` |
//!
//! # Native teardown
//!
//! Deleting in dependency order is the native replacement of `Custom::AsgDestroyer`
//! (DESIGN.md): the service's delete scales it to 0, force-deletes it and waits until it is
//! `INACTIVE` (step 1); the association's delete empties the cluster's capacity providers and
//! default strategy, then the capacity provider's delete removes it (step 2); the cluster goes
//! after the Auto Scaling group (step 4).
//!
//! # Error classes
//!
//! | AWS error | class |
//! |---|---|
//! | throttling, 5xx, `ServerException`, unreachable endpoint | [`FailureClass::Retryable`] |
//! | `ClientException` "Cluster was not ACTIVE", `InvalidParameterException` "Unable to Start a service that is still Draining" | [`FailureClass::Retryable`] |
//! | `ClusterNotFoundException`, `ServiceNotFoundException`, `ServiceNotActiveException`, `ResourceNotFoundException`, `TaskSetNotFoundException`, `ClientException` "Unable to describe task definition" | [`FailureClass::NotFound`] |
//! | `ResourceInUseException`, `ClusterContainsServicesException`, `ClusterContainsContainerInstancesException`, `ClusterContainsTasksException`, `ClusterContainsCapacityProviderException`, `UpdateInProgressException`, `ClientException` "...while Cluster Scoped Capacity Providers are attached...", a capacity provider whose delete ends `DELETE_FAILED` | [`FailureClass::DependencyViolation`] |
//! | `InvalidParameterException` / `ClientException` saying a role or capacity provider is not usable yet (below) | [`FailureClass::EventuallyConsistent`] |
//! | anything else | [`FailureClass::Fatal`] |
//!
//! The messages classed eventually consistent (matched case-insensitively; the same ones
//! Terraform's AWS provider retries): "Unable to assume role" / "Unable to assume the service
//! linked role" / "ECS was unable to assume the role" (any "unable to assume"; a role or the
//! ECS service-linked role created a moment ago), "verify that the ECS service role being passed
//! has the proper permissions", "does not have an associated load balancer" (a target group
//! whose listener was created a moment ago), and a capacity provider "not associated with the
//! cluster" ("The specified capacity provider strategy cannot contain a capacity provider that
//! is not associated with the cluster": the association was put a moment ago). A create whose
//! cluster is not found yet (`ClusterNotFoundException` naming *another* resource) is
//! eventually consistent too.
//!
//! # Reading
//!
//! Refresh is batched: DescribeClusters takes 100 clusters a call, DescribeServices 10 services
//! of one cluster a call, DescribeCapacityProviders 100 providers a call (pages followed);
//! DescribeTaskDefinition has no batch form and is called once per ARN, at most eight at a time.
//! Resources the answer lists as `MISSING`, or whose status is `INACTIVE`, are `Gone`. Refresh
//! reports the properties infra manages (the keys of the last applied ones) in the template's
//! shape; a value that says what the last applied one says (AWS adds defaults such as a port
//! mapping's protocol; `"256"` is `256`; subnets come back in another order) is reported as the
//! last applied value, so it never shows as drift.
//!
//! The classes come from the kit's one table for every service (`providers::kit::errors`).
//!
//! [`FailureClass::Retryable`]: crate::provider::FailureClass::Retryable
//! [`FailureClass::NotFound`]: crate::provider::FailureClass::NotFound
//! [`FailureClass::DependencyViolation`]: crate::provider::FailureClass::DependencyViolation
//! [`FailureClass::EventuallyConsistent`]: crate::provider::FailureClass::EventuallyConsistent
//! [`FailureClass::Fatal`]: crate::provider::FailureClass::Fatal

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::types::Tag;

use crate::provider::Providers;

/// A provider of this family: the struct holding the ECS client, and its `COVERAGE`, what
/// `infra types` lists for its type (how its `read` refreshes it and how its `find` locates what
/// an interrupted create made).
macro_rules! provider {
    ($provider:ident, $refresh:ident: $reads:expr, $find:ident: $finds:expr,) => {
        /// The provider.
        #[derive(Debug)]
        pub(crate) struct $provider {
            pub(crate) ecs: $crate::providers::ecs::Ecs,
        }

        const COVERAGE: $crate::provider::Coverage = $crate::provider::Coverage::native(
            $crate::provider::Refresh::$refresh,
            $reads,
            $crate::provider::Find::$find,
            $finds,
        );
    };
}

/// Sends `request` (a fluent request builder) whose failure may name another resource made a
/// moment ago ([`Ctx::fail_referencing`]).
macro_rules! send_referencing {
    ($ecs:expr, $ctx:expr, $request:expr, $doing:expr) => {{
        let sent = $request.send().await;
        sent.map_err(|e| $ctx.fail_referencing($doing, $ecs.err(e)))
    }};
}

mod association;
mod capacity_provider;
mod cluster;
mod props;
mod service;
mod task_definition;

#[cfg(test)]
#[path = "tests/requests.rs"]
mod request_tests;
#[cfg(test)]
mod tests;

/// The types this module provides.
pub const TYPES: &[&str] = &[
    cluster::TYPE,
    capacity_provider::TYPE,
    association::TYPE,
    task_definition::TYPE,
    service::TYPE,
];

/// Registers the ECS providers, sharing `client`; `endpoint` is the URL it calls, for error
/// messages (see [`crate::config::endpoint_for`]).
pub fn register(providers: &mut Providers, client: &aws_sdk_ecs::Client, endpoint: &str) {
    let shared = Ecs::new(client.clone(), "ecs", endpoint);
    let ecs = || shared.clone();
    providers.insert(kit::native(cluster::ClusterProvider { ecs: ecs() }));
    let capacity_providers = capacity_provider::CapacityProviderProvider { ecs: ecs() };
    providers.insert(kit::native(capacity_providers));
    providers.insert(kit::native(association::AssociationProvider { ecs: ecs() }));
    let task_definitions = task_definition::TaskDefinitionProvider { ecs: ecs() };
    providers.insert(kit::native(task_definitions));
    providers.insert(kit::native(service::ServiceProvider { ecs: ecs() }));
}

/// An ECS client and how its errors are named.
pub(crate) type Ecs = Service<aws_sdk_ecs::Client>;

pub(crate) use crate::providers::kit::convert::R;

/// A resource's tags (infra's included), by key.
pub(crate) type Tags = BTreeMap<String, String>;

/// ECS's failed calls are classed by the kit's table alone (so `send!` and `unless_gone` of
/// [`crate::providers::kit`] work with it).
impl Classify for Ecs {}

/// Polls `check` (a describe) until it answers, for at most `timeout`; then a retryable
/// failure saying what did not happen (`late`).
pub(crate) async fn wait_until<T, F, Fut>(
    ctx: Ctx<'_>,
    timeout: Duration,
    check: F,
    late: impl FnOnce() -> String,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let found = kit::poll(timeout, check).await?;
    found.ok_or_else(|| ctx.error(FailureClass::Retryable, late()))
}

/// How long a create or delete waits for ECS to finish (cluster `ACTIVE`, service `INACTIVE`,
/// capacity provider gone). Terraform's AWS provider allows 10 to 20 minutes; the engine's
/// own retry of a [`crate::provider::FailureClass::DependencyViolation`] covers longer drains.
pub(crate) const WAIT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// How long a call that ECS refuses because another update is in progress
/// (`UpdateInProgressException`) or the cluster is still provisioning is tried again within
/// one create or update.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(2 * 60);

/// ECS allows 50 tags per resource.
const MAX_TAGS: usize = 50;

/// Tags in the ECS SDK's shape (at most 50; none at all when there are none).
pub(crate) fn ecs_tags(ctx: Ctx<'_>, tags: &Tags) -> R<Option<Vec<Tag>>> {
    let n = tags.len();
    if n > MAX_TAGS {
        let too_many = "tags (the template's and infra's own) are more than the";
        return Err(ctx.fatal(format!("{n} {too_many} {MAX_TAGS} ECS allows")));
    }
    let tag = |(k, v): (&String, &String)| Tag::builder().key(k).value(v).build();
    Ok(Some(tags.iter().map(tag).collect()).filter(|t: &Vec<Tag>| !t.is_empty()))
}

/// ECS tags as a map.
pub(crate) fn tag_map(tags: &[Tag]) -> Tags {
    kit::tag_pairs(tags, |t| (t.key(), t.value()))
}

/// Brings the tags of the resource `arn` from `before` to `after` (UntagResource /
/// TagResource).
pub(crate) async fn retag(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    arn: &str,
    before: &Tags,
    after: &Tags,
) -> R<()> {
    let remove = |keys: Vec<String>| async move {
        let request = ecs.client.untag_resource().resource_arn(arn);
        let request = request.set_tag_keys(Some(keys));
        send!(ecs, ctx, request, format!("untagging {arn}"))
    };
    let set = |tags: Tags| async move {
        let request = ecs.client.tag_resource().resource_arn(arn);
        let request = request.set_tags(ecs_tags(ctx, &tags)?);
        send!(ecs, ctx, request, format!("tagging {arn}"))
    };
    kit::map_changes(before, after, remove, set).await
}

/// Every object `ids` (names or ARNs) name, asked for 100 distinct ids at a time (the most
/// DescribeClusters and DescribeCapacityProviders take) by `describe(ids, token)`, which answers
/// one page of them and the next token; missing ones are simply not in the answer.
pub(crate) async fn describe_all<T, F, Fut>(
    ids: &[String],
    mut describe: F,
) -> Result<Vec<T>, ProviderError>
where
    F: FnMut(Vec<String>, Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ProviderError>>,
{
    let mut unique: Vec<String> = ids.to_vec();
    unique.sort();
    unique.dedup();
    let mut out = Vec::new();
    for chunk in unique.chunks(100) {
        out.extend(kit::pages(|token| describe(chunk.to_vec(), token)).await?);
    }
    Ok(out)
}

/// The object of `found` that `id` (a name or an ARN) names, by its ARN and name.
pub(crate) fn named<'a, T>(
    found: &'a [T],
    id: &str,
    arn_and_name: fn(&T) -> (Option<&str>, Option<&str>),
) -> Option<&'a T> {
    found.iter().find(|x| {
        let (arn, name) = arn_and_name(x);
        arn == Some(id) || name == Some(props::short_name(id))
    })
}

/// The ECS status that means deleted.
pub(crate) const INACTIVE: &str = "INACTIVE";
