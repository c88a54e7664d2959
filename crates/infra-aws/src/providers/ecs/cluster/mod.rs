//! `AWS::ECS::Cluster`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `ClusterName` | CreateCluster (else the generated name) | create-only (replacement) |
//! | `ClusterSettings` (`containerInsights`) | CreateCluster | UpdateCluster (a setting removed: `disabled`) |
//! | `Configuration` (`ExecuteCommandConfiguration`, `ManagedStorageConfiguration`) | CreateCluster | UpdateCluster (removed: execute-command logging `DEFAULT`) |
//! | `CapacityProviders`, `DefaultCapacityProviderStrategy` | CreateCluster | PutClusterCapacityProviders (removed: empty lists) |
//! | `ServiceConnectDefaults` (`Namespace`) | CreateCluster | UpdateCluster (removed: the empty namespace, which ECS documents as removing it) |
//! | `Tags` | CreateCluster, with infra's tags | TagResource / UntagResource |
//!
//! The CreateCluster request (every property but `Tags`) and UpdateCluster's (the settings,
//! configuration and Service Connect defaults that changed, a removed one sent as the default
//! above) are generated from the schema (`mappings/ecs.toml`, `generated/ecs.rs`);
//! PutClusterCapacityProviders sends the lists when they changed. Refresh reports the cluster
//! through the conversion generated from the same schema (but `ServiceConnectDefaults`,
//! write-only, and `Tags`).
//!
//! `Ref` is the cluster name; `Fn::GetAtt Arn` the cluster ARN. A create returns once the
//! cluster is `ACTIVE` and its capacity provider attachments settled. CreateCluster is retried
//! for up to two minutes while ECS's service-linked role is not usable yet ("Unable to assume
//! the service linked role", on an account's first cluster). When the name is taken by an
//! active cluster that carries this resource's `infra:*` tags (an earlier attempt made it), the
//! cluster is adopted and brought to the template; any other cluster of that name is an error.
//!
//! Delete: DeleteCluster, then wait until it is `INACTIVE` or gone. A cluster that still has
//! services, tasks, container instances or capacity providers is refused by ECS
//! (`ClusterContains*Exception`): that is a [`DependencyViolation`], which the engine retries
//! while those drain.
//!
//! [`DependencyViolation`]: crate::provider::FailureClass::DependencyViolation

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::operation::create_cluster::builders::{
    CreateClusterFluentBuilder, CreateClusterInputBuilder,
};
use aws_sdk_ecs::operation::update_cluster::builders::UpdateClusterInputBuilder;
use aws_sdk_ecs::types::{CapacityProviderStrategyItem, Cluster, ClusterSetting};

use super::props::{Spec, changed, spec};
use super::wait_until;
use super::{BUSY_TIMEOUT, Ecs, INACTIVE, R, Tags, WAIT_TIMEOUT, ecs_tags, retag, tag_map};
use crate::generated::ecs::{CLUSTER, create_cluster, update_cluster};

use read::wait_settled;
pub(super) use read::{describe_clusters, describe_one, find, output};

mod read;

pub(crate) const TYPE: &str = "AWS::ECS::Cluster";

/// A cluster as the template describes it (UpdateCluster and PutClusterCapacityProviders take
/// what changed).
type ClusterSpec = Spec<CreateClusterFluentBuilder>;

fn parse(value: &Value, ctx: Ctx<'_>, client: &aws_sdk_ecs::Client) -> R<ClusterSpec> {
    spec(value, ctx, CLUSTER, |p| {
        create_cluster(p, client.create_cluster())
    })
}

// The provider, and what `infra types` lists for this type.
provider! {
    ClusterProvider,
    Batched: "DescribeClusters with tags, settings and configurations (100 per call)",
    Name: "DescribeClusters of ClusterName, infra tags checked",
}

impl kit::Provider for ClusterProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx, &self.ecs.client)?;
        let given = spec.request.as_input().get_cluster_name().as_ref();
        let name = kit::create_name(ctx, given, input, "ClusterName")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let doing = format!("creating cluster {name}");

        // CreateCluster returns an active cluster of the same name as if it had made it: look
        // first, so that only a cluster this resource made is ever taken over.
        if let Some(found) = describe_one(&self.ecs, ctx, &name).await?
            && found.status() != Some(INACTIVE)
        {
            let found_tags = tag_map(found.tags());
            if !owned_by(&found_tags, &input.tags) {
                return Err(kit::not_ours(ctx, &doing, "a cluster", "ClusterName"));
            }
            let before = parse(&Value::Null, ctx, &self.ecs.client)?;
            let cluster = (name.as_str(), found.cluster_arn().unwrap_or_default());
            self.apply(ctx, cluster, (&before, &found_tags), (&spec, &tags))
                .await?;
        } else {
            let request = spec.request.clone().cluster_name(&name);
            let request = request.set_tags(ecs_tags(ctx, &tags)?);
            kit::retry_eventual(|| async {
                send_referencing!(self.ecs, ctx, request.clone(), &doing)
            })
            .await?;
        }
        Ok(output(&wait_settled(&self.ecs, ctx, &name).await?))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx, &self.ecs.client)?;
        let after = parse(&input.after, ctx, &self.ecs.client)?;
        let name = input.physical_id.as_str();
        let given = after.request.as_input().get_cluster_name().as_deref();
        kit::same_name(ctx, given, name, "ClusterName", "cluster")?;
        let found = describe_one(&self.ecs, ctx, name).await?;
        let found = found.filter(|c| c.status() != Some(INACTIVE));
        let found = found.ok_or_else(|| kit::does_not_exist(ctx, &format!("cluster {name}")))?;
        let cluster = (name, found.cluster_arn().unwrap_or_default());
        let tags = |s: &ClusterSpec| merge_tags(&s.tags, &input.tags);
        let (old_tags, new_tags) = (tags(&before), tags(&after));
        self.apply(ctx, cluster, (&before, &old_tags), (&after, &new_tags))
            .await?;
        Ok(output(&wait_settled(&self.ecs, ctx, name).await?))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = input.physical_id.as_str();
        let sent = self.ecs.client.delete_cluster().cluster(name).send();
        let doing = format!("deleting cluster {name}");
        if kit::found(&self.ecs, ctx, doing, sent).await?.is_none() {
            return Ok(());
        }
        let gone = || async {
            let found = describe_one(&self.ecs, ctx, name).await?;
            let gone = found.is_none_or(|c| c.status() == Some(INACTIVE));
            Ok(gone.then_some(()))
        };
        let late = || {
            format!("cluster {name} was still not INACTIVE {WAIT_TIMEOUT:?} after DeleteCluster")
        };
        wait_until(ctx, WAIT_TIMEOUT, gone, late).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    /// The cluster of the name, when it is not `INACTIVE` (deleted) nor `DEPROVISIONING` (being
    /// deleted) and carries this resource's tags.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "ClusterName", ctx)?;
        let found = describe_one(&self.ecs, ctx, &name).await?;
        let found = found.filter(|c| !matches!(c.status(), Some(INACTIVE | "DEPROVISIONING")));
        let found = found.filter(|c| owned_by(&tag_map(c.tags()), &input.tags));
        Ok(found.map(|c| output(&c)))
    }
}

impl ClusterProvider {
    /// Changes in place, for an update and for adopting a cluster an earlier create made
    /// (UpdateCluster for settings, configuration and Service Connect defaults,
    /// PutClusterCapacityProviders, tags): brings cluster `name` (`arn`) from `before` to `after`, its tags (infra's included) from
    /// `old_tags` to `new_tags`.
    pub(super) async fn apply(
        &self,
        ctx: Ctx<'_>,
        (name, arn): (&str, &str),
        (before, old_tags): (&ClusterSpec, &Tags),
        (after, new_tags): (&ClusterSpec, &Tags),
    ) -> Result<(), ProviderError> {
        let (b, a) = (before.request.as_input(), after.request.as_input());
        // What changed (the generated request), a removed value sent as ECS's default.
        let props = Props::root(&after.props, ctx, CLUSTER)?;
        let diff = &mut |k: &str| changed(&before.props, &after.props, k);
        let mut call = update_cluster(&props, self.ecs.client.update_cluster(), diff)?;
        if let Some(mut settings) = call.as_input().get_settings().clone() {
            // A setting the template no longer names goes back to its default.
            for old in b.get_settings().iter().flatten() {
                if !settings.iter().any(|s| s.name() == old.name()) {
                    let setting = ClusterSetting::builder().set_name(old.name().cloned());
                    settings.push(setting.value("disabled").build());
                }
            }
            call = call.set_settings(Some(settings));
        }
        if *call.as_input() != UpdateClusterInputBuilder::default() {
            let (call, doing) = (call.cluster(name), format!("updating cluster {name}"));
            let busy = [FailureClass::DependencyViolation];
            kit::retry_while(&busy, BUSY_TIMEOUT, kit::FIRST_PAUSE, || async {
                send!(&self.ecs, ctx, call.clone(), &doing)
            })
            .await?;
        }
        // Either differs, so one of them at least has capacity providers to put.
        let lists = |s: &CreateClusterInputBuilder| {
            let strategy = s.get_default_capacity_provider_strategy();
            (s.get_capacity_providers().clone(), strategy.clone())
        };
        if lists(b) != lists(a) {
            let (providers, strategy) = lists(a);
            let (providers, strategy) =
                (providers.unwrap_or_default(), strategy.unwrap_or_default());
            put_capacity_providers(&self.ecs, ctx, name, providers, strategy).await?;
        }
        retag(&self.ecs, ctx, arn, old_tags, new_tags).await
    }
}

/// PutClusterCapacityProviders, tried again while another update of the cluster is in progress
/// or the cluster is still provisioning, then waits until the cluster's attachments settle.
pub(super) async fn put_capacity_providers(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    cluster: &str,
    providers: Vec<String>,
    default_strategy: Vec<CapacityProviderStrategyItem>,
) -> Result<Cluster, ProviderError> {
    let request = ecs.client.put_cluster_capacity_providers().cluster(cluster);
    let request = request
        .set_capacity_providers(Some(providers))
        .set_default_capacity_provider_strategy(Some(default_strategy));
    let doing = format!("putting the capacity providers of cluster {cluster}");
    let busy = [FailureClass::DependencyViolation, FailureClass::Retryable];
    kit::retry_while(&busy, BUSY_TIMEOUT, kit::FIRST_PAUSE, || async {
        send_referencing!(ecs, ctx, request.clone(), &doing)
    })
    .await?;
    wait_settled(ecs, ctx, cluster).await
}
