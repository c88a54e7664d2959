//! `AWS::ECS::Cluster` properties: the [`ClusterSpec`] a template describes. Its keys
//! (`CLUSTER`), its CreateCluster request and UpdateCluster's are generated from the schema
//! (`generated/ecs.rs`, `mappings/ecs.toml`); `Tags` are read here.

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::operation::create_cluster::builders::{
    CreateClusterFluentBuilder, CreateClusterInputBuilder,
};

use crate::generated::ecs::{CLUSTER, create_cluster};

/// A cluster as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct ClusterSpec {
    /// CreateCluster with every property but the tags set (UpdateCluster and
    /// PutClusterCapacityProviders take what changed).
    pub(super) request: CreateClusterFluentBuilder,
    pub(super) tags: Vec<(String, String)>,
    /// The template's properties (UpdateCluster sends those that changed).
    pub(super) props: Value,
}

impl ClusterSpec {
    /// The request's values.
    pub(super) fn get(&self) -> &CreateClusterInputBuilder {
        self.request.as_input()
    }

    pub(super) fn has_capacity_providers(&self) -> bool {
        self.get().get_capacity_providers().is_some()
            || self
                .get()
                .get_default_capacity_provider_strategy()
                .is_some()
    }
}

/// The template's properties (null = none); the request is built on `client`'s call, sending
/// nothing.
pub(super) fn parse(
    value: &Value,
    ctx: Ctx<'_>,
    client: &aws_sdk_ecs::Client,
) -> Result<ClusterSpec, ProviderError> {
    let props = Props::root(value, ctx, CLUSTER)?;
    Ok(ClusterSpec {
        request: create_cluster(&props, client.create_cluster())?,
        tags: crate::providers::ecs::props::tags(&props, "Tags")?,
        props: value.clone(),
    })
}
