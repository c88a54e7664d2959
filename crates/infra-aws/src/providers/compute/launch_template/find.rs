//! `AWS::EC2::LaunchTemplate` `find`: the launch template an interrupted create made, by name
//! (`LaunchTemplateName`, else the generated one), when it carries this resource's `infra:*`
//! tags. Only reads (DescribeLaunchTemplates); a retried create uses the same lookup.

use aws_sdk_ec2::types::LaunchTemplate;

use super::read::{output, tag_map};
use super::{LaunchTemplateProvider, TYPE};
use crate::providers::compute::name_to_find;
use crate::providers::kit::prelude::*;

impl LaunchTemplateProvider {
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = name_to_find(input, ctx, "LaunchTemplateName")?;
        let found = self
            .describe_named(ctx, &name)
            .await?
            .filter(|t| owned_by(&tag_map(t.tags()), &input.tags))
            .map(|t| output(ctx, &t))
            .transpose()?;
        Ok(found)
    }

    /// DescribeLaunchTemplates of one name; `None` when there is none.
    pub(super) async fn describe_named(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<LaunchTemplate>, ProviderError> {
        let call = self.svc.client.describe_launch_templates();
        let doing = format!("looking up launch template {name}");
        self.describe_first(ctx, call.launch_template_names(name), doing, |t| {
            t.launch_template_name() == Some(name)
        })
        .await
    }
}
