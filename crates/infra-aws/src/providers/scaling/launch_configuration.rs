//! `AWS::AutoScaling::LaunchConfiguration`: CreateLaunchConfiguration with every property
//! CloudFormation documents (each is create-only: AWS has no call that changes a launch
//! configuration, so any change replaces it), DeleteLaunchConfiguration (`ResourceInUse` while a
//! group still uses it: the engine retries while the group lets go of it).
//!
//! `Ref` is the name (`LaunchConfigurationName`, else the generated one); there is no
//! `Fn::GetAtt` attribute. Refused: `ClassicLinkVPCId` and `ClassicLinkVPCSecurityGroups`
//! (EC2-Classic was retired in 2022 and AWS rejects them).
//!
//! The keys, the refusals and the CreateLaunchConfiguration request (block device mappings,
//! metadata options) are generated from the schema (`crates/infra-aws/mappings/autoscaling.toml`);
//! the name and `InstanceMonitoring` (a boolean the API takes as an object) are set by hand.
//!
//! Refresh: DescribeLaunchConfigurations, 50 names per call, pages followed. A launch
//! configuration never changes after it is made, so refresh reports its image, instance type,
//! key pair, instance profile and security groups as AWS holds them and the rest as last
//! applied. Find: DescribeLaunchConfigurations of the name the create used. The type cannot be
//! tagged, so a create that finds its name taken adopts the object only when the name was
//! generated for this very create (nobody else can hold it); a name the template gives must be
//! free.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_autoscaling::types::{InstanceMonitoring, LaunchConfiguration};

use super::common::{AutoScaling, Lookup, all_pages, gone, observed, present, read_batched};
use crate::generated::autoscaling::{LAUNCH_CONFIGURATION, create_launch_configuration};
use crate::providers::kit::convert::put;

pub(crate) const TYPE: &str = "AWS::AutoScaling::LaunchConfiguration";

/// What refresh reads from AWS; every other property is reported as last applied.
const READ_BACK: &[&str] = &[
    "ImageId",
    "InstanceType",
    "KeyName",
    "IamInstanceProfile",
    "SecurityGroups",
];

#[derive(Debug)]
pub(crate) struct LaunchConfigurationProvider {
    pub(crate) svc: AutoScaling,
}

impl LaunchConfigurationProvider {
    /// DescribeLaunchConfigurations of `names`, every page.
    async fn describe(
        &self,
        names: Vec<String>,
        doing: &str,
    ) -> Result<Vec<LaunchConfiguration>, ProviderError> {
        let request = self.svc.client.describe_launch_configurations();
        let request = request.set_launch_configuration_names(Some(names));
        all_pages!(self.svc, doing, request, launch_configurations)
    }

    async fn exists(&self, ctx: Ctx<'_>, name: &str) -> Result<bool, ProviderError> {
        let address = ctx.address;
        let doing = format!("{TYPE} {address}: reading launch configuration {name}");
        let found = self.describe(vec![name.to_owned()], &doing).await?;
        Ok(found
            .iter()
            .any(|c| c.launch_configuration_name() == Some(name)))
    }
}

impl kit::Provider for LaunchConfigurationProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeLaunchConfigurations (50 names per call, pages followed)",
        Find::Name,
        "DescribeLaunchConfigurations of LaunchConfigurationName or the generated name",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let props = Props::root(&input.properties, ctx, LAUNCH_CONFIGURATION)?;
        let given = props.str("LaunchConfigurationName")?;
        let name = kit::create_name(ctx, given.as_ref(), input, "LaunchConfigurationName")?;
        let monitoring = props.bool("InstanceMonitoring")?;
        let monitoring = monitoring.map(|on| InstanceMonitoring::builder().enabled(on).build());
        let request = self.svc.client.create_launch_configuration();
        let request = create_launch_configuration(&props, request)?;
        let request = request.launch_configuration_name(&name);
        let request = request.set_instance_monitoring(monitoring);
        let doing = format!("creating launch configuration {name}");
        if let Err(e) = request.send().await {
            let err = self.svc.err(e);
            // A generated name is this create's own: an earlier attempt made it.
            if !(has_code(&err, "AlreadyExists") && given.is_none()) {
                return Err(on_create(ctx.fail(doing, err)));
            }
        }
        let visible = kit::poll(kit::PROPAGATION_TIMEOUT, || async {
            Ok(self.exists(ctx, &name).await?.then_some(()))
        })
        .await?;
        if visible.is_none() {
            let hidden = format!("{doing}: DescribeLaunchConfigurations does not show it");
            return Err(ctx.error(FailureClass::EventuallyConsistent, hidden));
        }
        Ok(output_of(&name, []))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        Props::root(&input.after, ctx, LAUNCH_CONFIGURATION)?;
        Err(ctx.fatal(
            "a launch configuration cannot change: every property is create-only, so a change \
             replaces it",
        ))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = &input.physical_id;
        let call = self.svc.client.delete_launch_configuration();
        let doing = format!("deleting launch configuration {name}");
        let call = call.launch_configuration_name(name).send();
        kit::deleted(&self.svc, ctx, &doing, call, gone).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = format!("refreshing {TYPE}");
        read_batched(
            items,
            |item| {
                Ok(Lookup {
                    parent: String::new(),
                    name: item.physical_id.clone(),
                    key: item.physical_id.clone(),
                })
            },
            |_, names| self.describe(names, &doing),
            |c: &LaunchConfiguration| c.launch_configuration_name().unwrap_or_default().to_owned(),
            |c, item| {
                let (groups, last) = (c.security_groups(), item.properties.get("SecurityGroups"));
                let groups = (!groups.is_empty()).then(|| kit::observed_set(groups.to_vec(), last));
                let (text, mut map) = (|v: Option<&str>| v.map(Value::from), Map::new());
                let key_name = c.key_name().filter(|k| !k.is_empty());
                for (key, value) in [
                    ("ImageId", text(c.image_id())),
                    ("InstanceType", text(c.instance_type())),
                    ("KeyName", text(key_name)),
                    ("IamInstanceProfile", text(c.iam_instance_profile())),
                    ("SecurityGroups", groups),
                ] {
                    put(&mut map, key, value);
                }
                let kept = LAUNCH_CONFIGURATION.supported.iter().copied();
                let kept: Vec<&str> = kept.filter(|k| !READ_BACK.contains(k)).collect();
                present(observed(map, &item.properties, &kept), BTreeMap::new())
            },
        )
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = kit::name_to_find(input, "LaunchConfigurationName", ctx)?;
        Ok(self.exists(ctx, &name).await?.then(|| output_of(&name, [])))
    }
}

#[cfg(test)]
#[path = "tests/launch_configuration.rs"]
mod tests;
