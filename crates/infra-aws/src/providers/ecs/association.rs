//! `AWS::ECS::ClusterCapacityProviderAssociations`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `Cluster` | PutClusterCapacityProviders | create-only (replacement) |
//! | `CapacityProviders` | PutClusterCapacityProviders | PutClusterCapacityProviders |
//! | `DefaultCapacityProviderStrategy` | PutClusterCapacityProviders | PutClusterCapacityProviders |
//!
//! PutClusterCapacityProviders replaces the cluster's whole lists, so create and update are the
//! same call; both return once the cluster's attachments (the scaling plans ECS attaches for
//! managed scaling) are no longer being updated. `Ref` is the cluster name (CloudFormation's
//! primary identifier); there are no attributes. A call refused because another update of the
//! cluster is in progress, or because the cluster is still provisioning, is tried again for up
//! to two minutes; a capacity provider or cluster made a moment ago and not visible yet is
//! eventually consistent.
//!
//! Delete is step 2 of the native teardown: PutClusterCapacityProviders with empty lists (a
//! cluster already gone is success). While a service still uses a provider, ECS refuses
//! (`ResourceInUseException`): a [`DependencyViolation`] the engine retries.
//!
//! Refresh reads the cluster (DescribeClusters, 100 a call); the association is `Gone` when the
//! cluster is gone or `INACTIVE`, or holds neither capacity providers nor a default strategy.
//!
//! [`DependencyViolation`]: crate::provider::FailureClass::DependencyViolation

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::types::{CapacityProviderStrategyItem, Cluster};

use super::cluster::{describe_clusters, find, put_capacity_providers};
use super::props::{observe, short_name};
use super::{Ecs, INACTIVE};
use crate::generated::ecs::{
    CAPACITY_PROVIDER_STRATEGY_ITEM as ITEM, CLUSTER_CAPACITY_PROVIDER_ASSOCIATIONS,
    capacity_provider_strategy_item, report_capacity_provider_strategy_item,
};
use crate::providers::kit::convert::each;

pub(crate) const TYPE: &str = "AWS::ECS::ClusterCapacityProviderAssociations";

// The provider, and what `infra types` lists for this type.
provider! {
    AssociationProvider,
    Batched: "DescribeClusters of their clusters (100 per call)",
    NaturalKey: "the Cluster, holding exactly the CapacityProviders and DefaultCapacityProviderStrategy asked for",
}

/// An association as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub(super) cluster: String,
    pub(super) providers: Vec<String>,
    /// The default strategy (`[{CapacityProvider, Weight, Base}]`, the generated conversion).
    pub(super) strategy: Vec<CapacityProviderStrategyItem>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::root(value, ctx, CLUSTER_CAPACITY_PROVIDER_ASSOCIATIONS)?;
    let strategy = "DefaultCapacityProviderStrategy";
    Ok(Spec {
        cluster: props.required_str("Cluster")?,
        providers: props.strs("CapacityProviders")?.unwrap_or_default(),
        strategy: each(&props, strategy, ITEM, capacity_provider_strategy_item)?
            .unwrap_or_default(),
    })
}

/// What create and find report: the cluster's name (as the template names it when ECS does
/// not say).
pub(super) fn output(cluster: &Cluster, spec: &Spec) -> ResourceOutput {
    let name = cluster.cluster_name();
    output_of(name.unwrap_or_else(|| short_name(&spec.cluster)), [])
}

impl AssociationProvider {
    async fn put(&self, ctx: Ctx<'_>, spec: &Spec) -> Made {
        let (providers, strategy) = (spec.providers.clone(), spec.strategy.clone());
        let cluster = put_capacity_providers(&self.ecs, ctx, &spec.cluster, providers, strategy);
        Ok(output(&cluster.await?, spec))
    }
}

impl kit::Provider for AssociationProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        self.put(ctx, &parse(&input.properties, ctx)?).await
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        if short_name(&before.cluster) != short_name(&after.cluster) {
            let message = "Cluster cannot change in place; the association must be replaced";
            return Err(ctx.fatal(message));
        }
        self.put(ctx, &after).await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let cluster = cluster_of(&input.properties, &input.physical_id);
        match put_capacity_providers(&self.ecs, ctx, cluster, Vec::new(), Vec::new()).await {
            Ok(_) => Ok(()),
            Err(e) if e.class == FailureClass::NotFound => Ok(()),
            // A cluster that went INACTIVE while we waited has no associations left.
            Err(e) if e.message.contains(&format!("is {INACTIVE}")) => Ok(()),
            Err(e)
                if e.class == FailureClass::EventuallyConsistent
                    && missing(&self.ecs, cluster).await =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let of = |i: &ReadInput| cluster_of(&i.properties, &i.physical_id).to_owned();
        let ids: Vec<String> = items.iter().map(of).collect();
        let found = describe_clusters(&self.ecs, TYPE, &ids, &[]).await?;
        Ok(kit::present_or_gone(items, |item| {
            let c = find(&found, &of(item))?;
            let providers = c.capacity_providers();
            let strategy = c.default_capacity_provider_strategy().iter();
            let report = report_capacity_provider_strategy_item;
            let strategy: Vec<Value> = strategy.map(report).collect();
            let held = !(providers.is_empty() && strategy.is_empty());
            let seen = json!({"CapacityProviders": providers, "DefaultCapacityProviderStrategy": strategy});
            // The cluster as the template names it.
            let properties = observe(&seen, item, &[], &["Cluster"]);
            let present = Observation::Present {
                properties,
                attributes: Default::default(),
            };
            (c.status() != Some(INACTIVE) && held).then_some(present)
        }))
    }

    /// An association cannot be tagged nor named: it is found by its cluster, when the cluster
    /// is active and holds exactly the capacity providers and default strategy asked for (the
    /// lists PutClusterCapacityProviders set).
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let clusters = std::slice::from_ref(&spec.cluster);
        let found = describe_clusters(&self.ecs, TYPE, clusters, &[]).await?;
        let Some(cluster) = find(&found, &spec.cluster) else {
            return Ok(None);
        };
        if matches!(cluster.status(), Some(INACTIVE | "DEPROVISIONING")) {
            return Ok(None);
        }
        let mut have = cluster.capacity_providers().to_vec();
        let mut want = spec.providers.clone();
        have.sort();
        want.sort();
        let strategy = cluster.default_capacity_provider_strategy();
        let same = have == want && strategy_key(strategy) == strategy_key(&spec.strategy);
        Ok(same.then(|| output(cluster, &spec)))
    }
}

/// A strategy as a sorted list of (provider, weight, base), ECS's defaults (0) filled in.
fn strategy_key(items: &[CapacityProviderStrategyItem]) -> Vec<(String, i32, i32)> {
    let key =
        |i: &CapacityProviderStrategyItem| (i.capacity_provider().to_owned(), i.weight(), i.base());
    let mut key: Vec<_> = items.iter().map(key).collect();
    key.sort();
    key
}

/// The cluster an association names: its `Cluster` property, else its physical id.
fn cluster_of<'a>(properties: &'a Value, physical_id: &'a str) -> &'a str {
    let given = properties.get("Cluster").and_then(Value::as_str);
    given.unwrap_or(physical_id)
}

/// Whether the cluster is gone (so there is nothing to disassociate).
async fn missing(ecs: &Ecs, cluster: &str) -> bool {
    match describe_clusters(ecs, TYPE, &[cluster.to_owned()], &[]).await {
        Ok(found) => find(&found, cluster).is_none_or(|c| c.status() == Some(INACTIVE)),
        Err(e) => e.class == FailureClass::NotFound,
    }
}
