//! `AWS::AutoScaling::LaunchConfiguration`: CreateLaunchConfiguration with every property
//! CloudFormation documents (each is create-only: AWS has no call that changes a launch
//! configuration, so any change replaces it), DeleteLaunchConfiguration (`ResourceInUse` while a
//! group still uses it: the engine retries while the group lets go of it).
//!
//! `Ref` is the name (`LaunchConfigurationName`, else the generated one); there is no
//! `Fn::GetAtt` attribute. Refused: `ClassicLinkVPCId` and `ClassicLinkVPCSecurityGroups`
//! (EC2-Classic was retired in 2022 and AWS rejects them).
//!
//! Refresh: DescribeLaunchConfigurations, 50 names per call, pages followed. A launch
//! configuration never changes after it is made, so refresh reports its image, instance type,
//! key pair, instance profile and security groups as AWS holds them and the rest as last
//! applied. Find: DescribeLaunchConfigurations of the name the create used. The type cannot be
//! tagged, so a create that finds its name taken adopts the object only when the name was
//! generated for this very create (nobody else can hold it); a name the template gives must be
//! free.

use std::collections::BTreeMap;

use aws_sdk_autoscaling::types::{
    BlockDeviceMapping, Ebs, InstanceMetadataEndpointState, InstanceMetadataHttpTokensState,
    InstanceMetadataOptions, InstanceMonitoring, LaunchConfiguration,
};
use serde_json::Map;

use super::common::{
    AutoScaling, Lookup, all_pages, deleted, observed, present, put, read_batched,
};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::{self, Ctx, Keys, Props, has_code, on_create};

/// The type.
pub(crate) const TYPE: &str = "AWS::AutoScaling::LaunchConfiguration";

const SUPPORTED: &[&str] = &[
    "AssociatePublicIpAddress",
    "BlockDeviceMappings",
    "EbsOptimized",
    "IamInstanceProfile",
    "ImageId",
    "InstanceId",
    "InstanceMonitoring",
    "InstanceType",
    "KernelId",
    "KeyName",
    "LaunchConfigurationName",
    "MetadataOptions",
    "PlacementTenancy",
    "RamDiskId",
    "SecurityGroups",
    "SpotPrice",
    "UserData",
];

/// Properties refused, and why.
pub(crate) const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "ClassicLinkVPCId",
        "EC2-Classic (ClassicLink) was retired in 2022 and AWS no longer accepts it",
    ),
    (
        "ClassicLinkVPCSecurityGroups",
        "EC2-Classic (ClassicLink) was retired in 2022 and AWS no longer accepts it",
    ),
];

/// What refresh reads from AWS; every other property is reported as last applied.
const READ_BACK: &[&str] = &[
    "ImageId",
    "InstanceType",
    "KeyName",
    "IamInstanceProfile",
    "SecurityGroups",
];

const BLOCK_DEVICE: Keys = Keys::new(&["DeviceName", "Ebs", "NoDevice", "VirtualName"]).listed();
const EBS: Keys = Keys::new(&[
    "DeleteOnTermination",
    "Encrypted",
    "Iops",
    "SnapshotId",
    "Throughput",
    "VolumeSize",
    "VolumeType",
])
.listed();
const METADATA: Keys =
    Keys::new(&["HttpEndpoint", "HttpPutResponseHopLimit", "HttpTokens"]).listed();

/// The provider.
#[derive(Debug)]
pub(crate) struct LaunchConfigurationProvider {
    pub(crate) svc: AutoScaling,
}

fn block_devices(props: &Props<'_>) -> Result<Option<Vec<BlockDeviceMapping>>, ProviderError> {
    let Some(items) = props.opt_objs("BlockDeviceMappings", BLOCK_DEVICE)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for item in items {
        let ebs = item.obj("Ebs", EBS)?;
        let ebs = match ebs {
            Some(e) => Some(
                Ebs::builder()
                    .set_delete_on_termination(e.bool("DeleteOnTermination")?)
                    .set_encrypted(e.bool("Encrypted")?)
                    .set_iops(e.i32("Iops")?)
                    .set_snapshot_id(e.str("SnapshotId")?)
                    .set_throughput(e.i32("Throughput")?)
                    .set_volume_size(e.i32("VolumeSize")?)
                    .set_volume_type(e.str("VolumeType")?)
                    .build(),
            ),
            None => None,
        };
        out.push(
            BlockDeviceMapping::builder()
                .device_name(item.required_str("DeviceName")?)
                .set_ebs(ebs)
                .set_no_device(item.bool("NoDevice")?)
                .set_virtual_name(item.str("VirtualName")?)
                .build(),
        );
    }
    Ok(Some(out))
}

fn metadata(props: &Props<'_>) -> Result<Option<InstanceMetadataOptions>, ProviderError> {
    let Some(m) = props.obj("MetadataOptions", METADATA)? else {
        return Ok(None);
    };
    Ok(Some(
        InstanceMetadataOptions::builder()
            .set_http_endpoint(
                m.str("HttpEndpoint")?
                    .map(|v| InstanceMetadataEndpointState::from(v.as_str())),
            )
            .set_http_put_response_hop_limit(m.i32("HttpPutResponseHopLimit")?)
            .set_http_tokens(
                m.str("HttpTokens")?
                    .map(|v| InstanceMetadataHttpTokensState::from(v.as_str())),
            )
            .build(),
    ))
}

impl LaunchConfigurationProvider {
    /// DescribeLaunchConfigurations of `names`, every page.
    async fn describe(
        &self,
        names: Vec<String>,
        doing: &str,
    ) -> Result<Vec<LaunchConfiguration>, ProviderError> {
        all_pages!(
            self.svc,
            "DescribeLaunchConfigurations",
            doing,
            |token| self
                .svc
                .client
                .describe_launch_configurations()
                .set_launch_configuration_names(Some(names.clone()))
                .set_next_token(token.take()),
            launch_configurations
        )
    }

    async fn exists(&self, ctx: Ctx<'_>, name: &str) -> Result<bool, ProviderError> {
        let doing = format!(
            "{} {}: reading launch configuration {name}",
            TYPE, ctx.address
        );
        let found = self.describe(vec![name.to_owned()], &doing).await?;
        Ok(found
            .iter()
            .any(|c| c.launch_configuration_name() == Some(name)))
    }
}

fn output(name: &str) -> ResourceOutput {
    ResourceOutput {
        physical_id: name.to_owned(),
        attributes: BTreeMap::new(),
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

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let props = Props::new(&input.properties, ctx, SUPPORTED, UNSUPPORTED)?;
        let given = props.str("LaunchConfigurationName")?;
        let name = given
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| {
                ctx.fatal("LaunchConfigurationName is not set and no name was generated")
            })?;
        let monitoring = props
            .bool("InstanceMonitoring")?
            .map(|enabled| InstanceMonitoring::builder().enabled(enabled).build());
        let sent = self
            .svc
            .client
            .create_launch_configuration()
            .launch_configuration_name(&name)
            .set_image_id(props.str("ImageId")?)
            .set_instance_type(props.str("InstanceType")?)
            .set_instance_id(props.str("InstanceId")?)
            .set_key_name(props.str("KeyName")?)
            .set_security_groups(props.strs("SecurityGroups")?)
            .set_user_data(props.str("UserData")?)
            .set_iam_instance_profile(props.str("IamInstanceProfile")?)
            .set_spot_price(props.str("SpotPrice")?)
            .set_ebs_optimized(props.bool("EbsOptimized")?)
            .set_associate_public_ip_address(props.bool("AssociatePublicIpAddress")?)
            .set_placement_tenancy(props.str("PlacementTenancy")?)
            .set_kernel_id(props.str("KernelId")?)
            .set_ramdisk_id(props.str("RamDiskId")?)
            .set_instance_monitoring(monitoring)
            .set_block_device_mappings(block_devices(&props)?)
            .set_metadata_options(metadata(&props)?)
            .send()
            .await;
        let doing = format!("creating launch configuration {name}");
        if let Err(e) = sent {
            let err = self.svc.err("CreateLaunchConfiguration", e);
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
            return Err(ctx.error(
                crate::provider::FailureClass::EventuallyConsistent,
                format!("{doing}: DescribeLaunchConfigurations does not show it"),
            ));
        }
        Ok(output(&name))
    }

    async fn update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        Props::new(&input.after, ctx, SUPPORTED, UNSUPPORTED)?;
        Err(ctx.fatal(
            "a launch configuration cannot change: every property is create-only, so a change \
             replaces it",
        ))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = &input.physical_id;
        let call = self.svc.client.delete_launch_configuration();
        let doing = format!("deleting launch configuration {name}");
        let call = call.launch_configuration_name(name).send();
        deleted(&self.svc, ctx, "DeleteLaunchConfiguration", &doing, call).await
    }

    async fn read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
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
                let mut map = Map::new();
                put(&mut map, "ImageId", c.image_id());
                put(&mut map, "InstanceType", c.instance_type());
                put(&mut map, "KeyName", c.key_name().filter(|k| !k.is_empty()));
                put(&mut map, "IamInstanceProfile", c.iam_instance_profile());
                if !c.security_groups().is_empty() {
                    map.insert(
                        "SecurityGroups".into(),
                        kit::observed_set(
                            c.security_groups().to_vec(),
                            item.properties.get("SecurityGroups"),
                        ),
                    );
                }
                let kept: Vec<&str> = SUPPORTED
                    .iter()
                    .copied()
                    .filter(|k| !READ_BACK.contains(k))
                    .collect();
                present(observed(map, &item.properties, &kept), BTreeMap::new())
            },
        )
        .await
    }

    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = kit::name_to_find(input, "LaunchConfigurationName", ctx)?;
        Ok(self.exists(ctx, &name).await?.then(|| output(&name)))
    }
}

#[cfg(test)]
#[path = "tests/launch_configuration.rs"]
mod tests;
