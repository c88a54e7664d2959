//! `AWS::EC2::LaunchTemplate`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `LaunchTemplateName` | CreateLaunchTemplate (else the generated name) | create-only (replacement) |
//! | `LaunchTemplateData` | CreateLaunchTemplate | CreateLaunchTemplateVersion, then ModifyLaunchTemplate makes it the default (as CloudFormation does) |
//! | `VersionDescription` | CreateLaunchTemplate | with the new version, as above |
//! | `TagSpecifications` (resource type `launch-template`) | CreateLaunchTemplate, with infra's tags | CreateTags / DeleteTags (the EC2 providers' tag update) |
//!
//! The registry marks the type untaggable (CloudFormation tags it only through
//! `TagSpecifications`), but the EC2 API tags launch templates, and crash recovery finds a
//! resource by its `infra:*` tags: `CreateInput::tags` go into the same `launch-template` tag
//! specification as the template's own.
//!
//! `LaunchTemplateData` maps CloudFormation's shape onto `RequestLaunchTemplateData` field by
//! field: `ImageId`, `InstanceType`, `KeyName`, `UserData` (already base64, as the template's
//! `Fn::Base64` makes it), `KernelId`, `RamDiskId`, `EbsOptimized`, `DisableApiTermination`,
//! `DisableApiStop`, `InstanceInitiatedShutdownBehavior`, `SecurityGroupIds`, `SecurityGroups`,
//! `IamInstanceProfile` {`Arn`|`Name`}, `Monitoring`, `MetadataOptions` (`HttpEndpoint`,
//! `HttpTokens`, `HttpPutResponseHopLimit`, `HttpProtocolIpv6`, `InstanceMetadataTags`),
//! `BlockDeviceMappings` (`DeviceName`, `NoDevice`, `VirtualName`, `Ebs` with `VolumeSize`,
//! `VolumeType`, `Encrypted`, `DeleteOnTermination`, `Iops`, `Throughput`, `KmsKeyId`,
//! `SnapshotId`, `VolumeInitializationRate`), `NetworkInterfaces` (every documented field),
//! `TagSpecifications`, `Placement`, `CreditSpecification`, `CpuOptions` (`CoreCount`,
//! `ThreadsPerCore`, `AmdSevSnp`), `HibernationOptions`, `EnclaveOptions`,
//! `MaintenanceOptions`, `PrivateDnsNameOptions`, `InstanceMarketOptions` (with
//! `SpotOptions`), `CapacityReservationSpecification`, `LicenseSpecifications` and
//! `NetworkPerformanceOptions`. Refused, by name: `InstanceRequirements` (attribute-based
//! instance selection, not supported yet), `CpuOptions.NestedVirtualization` and
//! `BlockDeviceMappings[*].Ebs.EbsCardIndex` (the EC2 SDK infra is built with has no such
//! field), and any key CloudFormation does not document. That conversion (keys, refusals and
//! the `RequestLaunchTemplateData` built) is generated from the schema
//! (`crates/infra-aws/mappings/ec2.toml`, read in `props.rs`, where the launch template's own
//! `TagSpecifications` are read by hand).
//!
//! `Ref` is the launch template id; `Fn::GetAtt` gives `LaunchTemplateId`,
//! `LatestVersionNumber` and `DefaultVersionNumber` (as strings, as CloudFormation returns
//! them).
//!
//! # Reading
//!
//! DescribeLaunchTemplates with up to 200 ids per call (pages followed). AWS fails the whole
//! call when one id does not exist (`InvalidLaunchTemplateId.NotFound`); that chunk, and any id
//! missing from an answer, is then asked for alone, and reported `Gone` when not found.
//! `LaunchTemplateData`, `VersionDescription` (and the schema's other write-only properties)
//! are reported as last applied, as CloudFormation's own read does; the name, the tags and the
//! version numbers are read from AWS.

use aws_sdk_ec2::types::ResourceType;

use super::{adopted, changed};
use crate::providers::kit::does_not_exist;
use crate::providers::kit::prelude::*;

use crate::providers::{ec2, kit};
use props::parse;
use read::{output, tag_map};

mod props;
mod read;

pub const TYPE: &str = "AWS::EC2::LaunchTemplate";

#[derive(Debug)]
pub(crate) struct LaunchTemplateProvider {
    pub(crate) svc: Service<aws_sdk_ec2::Client>,
}

impl kit::Provider for LaunchTemplateProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeLaunchTemplates (200 ids per call, pages followed; id by id when a batch is refused)",
        Find::Name,
        "DescribeLaunchTemplates of LaunchTemplateName, infra tags checked",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = create_name(ctx, spec.name.as_ref(), input, "LaunchTemplateName")?;
        let tags = merge_tags(&spec.tags, &input.tags).into_iter().collect();
        let tag_specs = ec2::tags::spec(ResourceType::LaunchTemplate, &tags);
        let request = self.svc.client.create_launch_template();
        let request = request
            .launch_template_name(&name)
            .launch_template_data(spec.data.clone())
            .set_version_description(spec.description.clone());
        let template = match request.set_tag_specifications(tag_specs).send().await {
            Ok(out) => out.launch_template.ok_or_else(|| {
                ctx.fatal(format!(
                    "CreateLaunchTemplate {name} returned no launch template"
                ))
            })?,
            Err(e) => {
                let err = self.svc.err(e);
                if err.code() != Some("InvalidLaunchTemplateName.AlreadyExistsException") {
                    let doing = format!("creating launch template {name}");
                    return Err(on_create(ctx.fail(doing, &err)));
                }
                // An earlier attempt at this resource made it (in one call, data and tags
                // together) when it carries this resource's infra tags.
                let found = self.describe_one(ctx, &name, true).await?;
                let tags = found.as_ref().map(|t| tag_map(t.tags()));
                let hidden = format!("launch template {name} exists but is not visible yet");
                let named = ("a launch template", "LaunchTemplateName");
                let what = format!("launch template {name}");
                adopted(ctx, input, tags, hidden, &what, named)?;
                found.ok_or_else(|| does_not_exist(ctx, &what))?
            }
        };
        output(ctx, &template)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let id = input.physical_id.as_str();
        if before.name != after.name && after.name.is_some() {
            return Err(ctx.fatal(
                "LaunchTemplateName cannot change in place; the launch template must be replaced",
            ));
        }
        let client = &self.svc.client;
        if changed(&input.before, &input.after, "LaunchTemplateData")
            || changed(&input.before, &input.after, "VersionDescription")
        {
            let call = client.create_launch_template_version();
            let call = call
                .launch_template_id(id)
                .launch_template_data(after.data.clone());
            let call = call.set_version_description(after.description.clone());
            let doing = format!("creating a new version of launch template {id}");
            let version = call.send().answer(&self.svc, ctx, doing).await?;
            let number = version.launch_template_version();
            let number = number.and_then(|v| v.version_number());
            let why = format!("CreateLaunchTemplateVersion of {id} returned no version number");
            let number = number.ok_or_else(|| ctx.fatal(why))?;
            let call = client.modify_launch_template().launch_template_id(id);
            let doing = format!("making version {number} the default of launch template {id}");
            let call = call.default_version(number.to_string()).send();
            call.answer(&self.svc, ctx, doing).await?;
        }
        // The template's tags with infra's, before and after: DeleteTags / CreateTags of what
        // changed.
        let doing = format!("{TYPE} {}: tagging launch template {id}", input.address);
        let tags = |spec: &props::Spec| merge_tags(&spec.tags, &input.tags).into_iter().collect();
        ec2::tags::update(&self.svc, id, &doing, &tags(&before), &tags(&after)).await?;
        let found = self.describe_one(ctx, id, false).await?;
        let template =
            found.ok_or_else(|| does_not_exist(ctx, &format!("launch template {id}")))?;
        output(ctx, &template)
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = input.physical_id.as_str();
        let call = self.svc.client.delete_launch_template();
        let call = call.launch_template_id(id);
        let doing = format!("deleting launch template {id}");
        (call.send().deleted(&self.svc, ctx, doing)).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    /// The launch template an interrupted create made, by name (`LaunchTemplateName`, else
    /// the generated one), when it carries this resource's `infra:*` tags. Only reads
    /// (DescribeLaunchTemplates); a retried create uses the same lookup.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = kit::name_to_find(input, "LaunchTemplateName", ctx)?;
        let found = self.describe_one(ctx, &name, true).await?;
        let found = found.filter(|t| owned_by(&tag_map(t.tags()), &input.tags));
        found.map(|t| output(ctx, &t)).transpose()
    }
}

#[cfg(test)]
mod tests;
