//! `find` for the ECS cluster, capacity provider, association and service: what an interrupted
//! create made, found again from what the create was asked (see the module comment of
//! [`super`], "Finding what an interrupted create made"). The task definition's is in
//! `task_definition/find.rs`, beside the revision it compares.
//!
//! Only reads: DescribeClusters, DescribeCapacityProviders and DescribeServices, with tags. A
//! resource is returned only when it carries the `infra:*` tags the create was given; one of the
//! same name without them (or with another stack's or address's) is someone else's, and the
//! answer is `None`, as it is for a resource that is being deleted or already is, and for the
//! object a replacement replaces ([`FindInput::replacing`]).

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::types::{
    CapacityProviderStatus, CapacityProviderStrategyItem, CapacityProviderUpdateStatus,
};

use super::association::{self, AssociationProvider};
use super::capacity_provider::{self, CapacityProviderProvider};
use super::cluster::{self, ClusterProvider, describe_clusters};
use super::service::{self, ServiceProvider};
use super::{INACTIVE, tag_map};

/// A string property (`None` when absent, null or not a string).
fn text(properties: &Value, key: &str) -> Option<String> {
    properties
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The name the create used: the name property, else [`FindInput::name`] (the generated one).
fn name_of(input: &FindInput, ctx: Ctx<'_>, property: &str) -> Result<String, ProviderError> {
    let name = text(&input.properties, property).or_else(|| input.name.clone());
    name.ok_or_else(|| {
        ctx.fatal(format!(
            "{property} is not set and no name was given to find"
        ))
    })
}

impl ClusterProvider {
    /// The cluster of the name, when it is not `INACTIVE` (deleted) nor `DEPROVISIONING` (being
    /// deleted) and carries this resource's tags.
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(cluster::TYPE, &input.address);
        let name = name_of(input, ctx, "ClusterName")?;
        let found = cluster::describe_one(&self.ecs, ctx, &name)
            .await?
            .filter(|c| !matches!(c.status(), Some(INACTIVE | "DEPROVISIONING")))
            .filter(|c| owned_by(&tag_map(c.tags()), &input.tags));
        Ok(found.map(|c| cluster::output(&c)))
    }
}

impl CapacityProviderProvider {
    /// The capacity provider of the name, when it is not `INACTIVE` nor being deleted
    /// (`DELETE_IN_PROGRESS`, `DELETE_COMPLETE`) and carries this resource's tags.
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(capacity_provider::TYPE, &input.address);
        let name = name_of(input, ctx, "Name")?;
        let deleting = [
            CapacityProviderUpdateStatus::DeleteInProgress,
            CapacityProviderUpdateStatus::DeleteComplete,
        ];
        let found = capacity_provider::describe_one(&self.ecs, ctx, &name)
            .await?
            .filter(|p| p.status() != Some(&CapacityProviderStatus::Inactive))
            .filter(|p| p.update_status().is_none_or(|s| !deleting.contains(s)))
            .filter(|p| owned_by(&tag_map(p.tags()), &input.tags));
        Ok(found.map(|p| capacity_provider::output(&p)))
    }
}

impl AssociationProvider {
    /// An association cannot be tagged nor named: it is found by its cluster, when the cluster
    /// is active and holds exactly the capacity providers and default strategy asked for (the
    /// lists PutClusterCapacityProviders set).
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(association::TYPE, &input.address);
        let spec = association::parse(&input.properties, ctx)?;
        let clusters = std::slice::from_ref(&spec.cluster);
        let found = describe_clusters(&self.ecs, association::TYPE, clusters, &[]).await?;
        let Some(cluster) = cluster::find(&found, &spec.cluster) else {
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
        Ok(same.then(|| association::output(cluster, &spec)))
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

impl ServiceProvider {
    /// The service of the name in its cluster (`Cluster`, else `default`), when it is `ACTIVE`
    /// (not `DRAINING` nor `INACTIVE`) and carries this resource's tags.
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(service::TYPE, &input.address);
        let name = name_of(input, ctx, "ServiceName")?;
        let cluster = text(&input.properties, "Cluster").unwrap_or_else(|| "default".to_owned());
        let found = service::describe_one(&self.ecs, ctx, &cluster, &name)
            .await?
            .filter(|s| s.status() == Some("ACTIVE"))
            .filter(|s| owned_by(&tag_map(s.tags()), &input.tags));
        Ok(found.map(|s| service::output(&s)))
    }
}
