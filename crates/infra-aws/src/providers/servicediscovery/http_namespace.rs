//! `AWS::ServiceDiscovery::HttpNamespace`, a [`Kind`] of [`super::namespace`]:
//! CreateHttpNamespace (`Name`, `Description`, `Tags`) and UpdateHttpNamespace
//! (`Description`). Every documented property is mapped; `Ref` is the namespace id,
//! `Fn::GetAtt` gives `Id` and `Arn`.

use aws_sdk_servicediscovery::types::{HttpNamespaceChange, NamespaceType, Tag};

use super::Sd;
use super::calls::built;
use super::namespace::{Kind, Spec};
use crate::error::AwsError;
use crate::providers::kit::prelude::*;

pub(crate) const TYPE: &str = "AWS::ServiceDiscovery::HttpNamespace";

/// HTTP namespaces.
#[derive(Debug)]
pub(crate) struct Http;

impl Kind for Http {
    const TYPE: &'static str = TYPE;
    const NAMESPACE_TYPE: NamespaceType = NamespaceType::Http;
    const SUPPORTED: &'static [&'static str] = &["Description", "Name", "Tags"];

    async fn create(
        sd: &Sd,
        _ctx: Ctx<'_>,
        spec: &Spec,
        request_id: String,
        tags: Vec<Tag>,
    ) -> Result<Result<String, AwsError>, ProviderError> {
        let sent = sd
            .client
            .create_http_namespace()
            .name(&spec.name)
            .creator_request_id(request_id)
            .set_description(spec.description.clone())
            .set_tags(Some(tags))
            .send()
            .await;
        Ok(sent
            .map(|out| out.operation_id.unwrap_or_default())
            .map_err(|e| sd.err(e)))
    }

    /// UpdateHttpNamespace requires a description: a removed one is sent empty.
    async fn update(sd: &Sd, ctx: Ctx<'_>, id: &str, spec: &Spec) -> Result<String, ProviderError> {
        let description = spec.description.clone().unwrap_or_default();
        let change = built(
            HttpNamespaceChange::builder()
                .description(description)
                .build(),
            ctx,
        )?;
        let sent = sd
            .client
            .update_http_namespace()
            .id(id)
            .namespace(change)
            .send();
        let out = sent
            .await
            .map_err(|e| sd.fail(ctx, "updating the namespace", e))?;
        Ok(out.operation_id.unwrap_or_default())
    }
}
