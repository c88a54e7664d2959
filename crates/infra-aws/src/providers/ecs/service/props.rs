//! `AWS::ECS::Service` properties: the [`Spec`] a template describes. Its keys (`SERVICE`, the
//! refused ones with their reason) and its CreateService request are generated from the schema
//! (`generated/ecs.rs`, `mappings/ecs.toml`); `ForceNewDeployment` and `Tags` are read here.

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::operation::create_service::builders::{
    CreateServiceFluentBuilder, CreateServiceInputBuilder,
};
use aws_sdk_ecs::types::SchedulingStrategy;

use super::R;
use crate::generated::ecs::{SERVICE, create_service};

const FORCE: Keys = Keys::new(&["EnableForceNewDeployment", "ForceNewDeploymentNonce"]);

/// A service as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    /// CreateService with every property but the tags set (UpdateService takes what changed).
    pub(super) request: CreateServiceFluentBuilder,
    /// `ForceNewDeployment`: enabled, and its nonce.
    pub(super) force: Option<(bool, Option<String>)>,
    pub(super) tags: Vec<(String, String)>,
    /// The template's properties (UpdateService sends those that changed).
    pub(super) props: Value,
}

impl Spec {
    /// The request's values.
    pub(super) fn get(&self) -> &CreateServiceInputBuilder {
        self.request.as_input()
    }

    pub(super) fn cluster(&self) -> &str {
        self.get().get_cluster().as_deref().unwrap_or("default")
    }

    pub(super) fn is_daemon(&self) -> bool {
        self.get().get_scheduling_strategy() == &Some(SchedulingStrategy::Daemon)
    }
}

/// The template's properties (null = none); the request is built on `client`'s call, sending
/// nothing.
pub(super) fn parse(value: &Value, ctx: Ctx<'_>, client: &aws_sdk_ecs::Client) -> R<Spec> {
    let p = Props::root(value, ctx, SERVICE)?;
    let request = create_service(&p, client.create_service())?;
    let force = |f: Props<'_>| -> R<_> {
        let enabled = f.bool("EnableForceNewDeployment")?.unwrap_or(false);
        Ok((enabled, f.str("ForceNewDeploymentNonce")?))
    };
    let force = p.obj("ForceNewDeployment", FORCE)?.map(force).transpose()?;
    Ok(Spec {
        request,
        force,
        tags: crate::providers::ecs::props::tags(&p, "Tags")?,
        props: value.clone(),
    })
}
