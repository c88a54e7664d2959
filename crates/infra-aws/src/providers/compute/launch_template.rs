//! `AWS::EC2::LaunchTemplate`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `LaunchTemplateName` | CreateLaunchTemplate (else the generated name) | create-only (replacement) |
//! | `LaunchTemplateData` | CreateLaunchTemplate | CreateLaunchTemplateVersion, then ModifyLaunchTemplate makes it the default (as CloudFormation does) |
//! | `VersionDescription` | CreateLaunchTemplate | with the new version, as above |
//! | `TagSpecifications` (resource type `launch-template`) | CreateLaunchTemplate, with infra's tags | CreateTags / DeleteTags |
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
//! instance selection, not supported yet), `CpuOptions/NestedVirtualization` and
//! `BlockDeviceMappings/*/Ebs/EbsCardIndex` (the EC2 SDK infra is built with has no such
//! field), and any key CloudFormation does not document.
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

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    AmdSevSnpSpecification, CapacityReservationPreference, CapacityReservationTarget,
    ConnectionTrackingSpecificationRequest, CreditSpecificationRequest, EnaSrdSpecificationRequest,
    EnaSrdUdpSpecificationRequest, HostnameType, InstanceBandwidthWeighting,
    InstanceInterruptionBehavior, InstanceIpv6AddressRequest, InstanceType,
    Ipv4PrefixSpecificationRequest, Ipv6PrefixSpecificationRequest, LaunchTemplate,
    LaunchTemplateAutoRecoveryState, LaunchTemplateBlockDeviceMappingRequest,
    LaunchTemplateCapacityReservationSpecificationRequest, LaunchTemplateCpuOptionsRequest,
    LaunchTemplateEbsBlockDeviceRequest, LaunchTemplateEnclaveOptionsRequest,
    LaunchTemplateHibernationOptionsRequest, LaunchTemplateHttpTokensState,
    LaunchTemplateIamInstanceProfileSpecificationRequest,
    LaunchTemplateInstanceMaintenanceOptionsRequest, LaunchTemplateInstanceMarketOptionsRequest,
    LaunchTemplateInstanceMetadataEndpointState, LaunchTemplateInstanceMetadataOptionsRequest,
    LaunchTemplateInstanceMetadataProtocolIpv6, LaunchTemplateInstanceMetadataTagsState,
    LaunchTemplateInstanceNetworkInterfaceSpecificationRequest,
    LaunchTemplateLicenseConfigurationRequest, LaunchTemplateNetworkPerformanceOptionsRequest,
    LaunchTemplatePlacementRequest, LaunchTemplatePrivateDnsNameOptionsRequest,
    LaunchTemplateSpotMarketOptionsRequest, LaunchTemplateTagSpecificationRequest,
    LaunchTemplatesMonitoringRequest, MarketType, PrivateIpAddressSpecification,
    RequestLaunchTemplateData, ResourceType, ShutdownBehavior, SpotInstanceType, Tag,
    TagSpecification, Tenancy, VolumeType,
};
use serde_json::{Map, Value, json};

use super::{Node, Svc, changed, child_path, fail, is_not_found, on_create, provider_impl};
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};
use crate::providers::iam::common::{
    self, Ctx, managed_keys, merge_tags, observed_scalar, owned_by, tag_changes,
};

/// The type.
pub const TYPE: &str = "AWS::EC2::LaunchTemplate";

const SUPPORTED: &[&str] = &[
    "LaunchTemplateData",
    "LaunchTemplateName",
    "TagSpecifications",
    "VersionDescription",
];

/// At most this many ids go into one DescribeLaunchTemplates call.
const IDS_PER_CALL: usize = 200;

/// The EC2 resource type of a launch template's own tags.
const LAUNCH_TEMPLATE: &str = "launch-template";

const DATA_SUPPORTED: &[&str] = &[
    "BlockDeviceMappings",
    "CapacityReservationSpecification",
    "CpuOptions",
    "CreditSpecification",
    "DisableApiStop",
    "DisableApiTermination",
    "EbsOptimized",
    "EnclaveOptions",
    "HibernationOptions",
    "IamInstanceProfile",
    "ImageId",
    "InstanceInitiatedShutdownBehavior",
    "InstanceMarketOptions",
    "InstanceType",
    "KernelId",
    "KeyName",
    "LicenseSpecifications",
    "MaintenanceOptions",
    "MetadataOptions",
    "Monitoring",
    "NetworkInterfaces",
    "NetworkPerformanceOptions",
    "Placement",
    "PrivateDnsNameOptions",
    "RamDiskId",
    "SecurityGroupIds",
    "SecurityGroups",
    "TagSpecifications",
    "UserData",
];

const DATA_UNSUPPORTED: &[(&str, &str)] = &[
    (
        "InstanceRequirements",
        "attribute-based instance type selection is not supported by infra yet; set \
         InstanceType (or use MixedInstancesPolicy overrides on the Auto Scaling group)",
    ),
    (
        "ElasticGpuSpecifications",
        "Amazon Elastic Graphics reached end of life and EC2 no longer accepts it",
    ),
    (
        "ElasticInferenceAccelerators",
        "Amazon Elastic Inference reached end of life and EC2 no longer accepts it",
    ),
];

/// A launch template as the template describes it.
#[derive(Debug, Clone)]
struct Spec {
    name: Option<String>,
    data: RequestLaunchTemplateData,
    description: Option<String>,
    tags: TagList,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Node::new(value, ctx, "", SUPPORTED, &[])?;
    let data_value = props
        .get("LaunchTemplateData")
        .ok_or_else(|| ctx.fatal("property LaunchTemplateData is required"))?;
    let data = parse_data(&props, data_value)?;
    let mut tags: TagList = Vec::new();
    for (resource_type, list) in tag_specifications(&props, "TagSpecifications")? {
        if resource_type != LAUNCH_TEMPLATE {
            return Err(props.bad(
                "TagSpecifications",
                format!(
                    "resource type {resource_type}: a launch template's own tag specification \
                     must have resource type {LAUNCH_TEMPLATE} (tags for instances and volumes \
                     go in LaunchTemplateData/TagSpecifications)"
                ),
            ));
        }
        for (k, v) in list {
            tags.retain(|(existing, _)| *existing != k);
            tags.push((k, v));
        }
    }
    Ok(Spec {
        name: props.str("LaunchTemplateName")?,
        data,
        description: props.str("VersionDescription")?,
        tags,
    })
}

/// Tags in template order, keys unique.
type TagList = Vec<(String, String)>;

/// `TagSpecifications`: `[{ResourceType, Tags: [{Key, Value}]}]`, as (resource type, tags).
fn tag_specifications(node: &Node<'_>, key: &str) -> Result<Vec<(String, TagList)>, ProviderError> {
    let mut out = Vec::new();
    for (i, item) in node.list(key)?.iter().enumerate() {
        let path = child_path(&node.at(key), &i.to_string());
        let spec = node.nested(item, &path, &["ResourceType", "Tags"], &[])?;
        let resource_type = spec.required_str("ResourceType")?;
        let mut tags = Vec::new();
        for (j, tag) in spec.list("Tags")?.iter().enumerate() {
            let tag_path = child_path(&spec.at("Tags"), &j.to_string());
            let tag = spec.nested(tag, &tag_path, &["Key", "Value"], &[])?;
            tags.push((
                tag.required_str("Key")?,
                tag.str("Value")?.unwrap_or_default(),
            ));
        }
        out.push((resource_type, tags));
    }
    Ok(out)
}

fn ec2_tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

/// Every item of list `key`, as a nested node, handed to `each`.
fn each_object<T>(
    node: &Node<'_>,
    key: &str,
    supported: &[&str],
    unsupported: &[(&str, &str)],
    mut each: impl FnMut(&Node<'_>) -> Result<T, ProviderError>,
) -> Result<Option<Vec<T>>, ProviderError> {
    if node.get(key).is_none() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for (i, item) in node.list(key)?.iter().enumerate() {
        let path = child_path(&node.at(key), &i.to_string());
        let child = node.nested(item, &path, supported, unsupported)?;
        out.push(each(&child)?);
    }
    Ok(Some(out))
}

/// The object at `key`, as a nested node, handed to `each`.
fn object<T>(
    node: &Node<'_>,
    key: &str,
    supported: &[&str],
    unsupported: &[(&str, &str)],
    each: impl FnOnce(&Node<'_>) -> Result<T, ProviderError>,
) -> Result<Option<T>, ProviderError> {
    let Some(value) = node.get(key) else {
        return Ok(None);
    };
    let path = node.at(key);
    let child = node.nested(value, &path, supported, unsupported)?;
    each(&child).map(Some)
}

/// `LaunchTemplateData` as the EC2 API takes it.
fn parse_data(props: &Node<'_>, value: &Value) -> Result<RequestLaunchTemplateData, ProviderError> {
    let path = props.at("LaunchTemplateData");
    let d = props.nested(value, &path, DATA_SUPPORTED, DATA_UNSUPPORTED)?;
    let opt_list = |key: &str| d.opt_str_list(key);
    Ok(RequestLaunchTemplateData::builder()
        .set_image_id(d.str("ImageId")?)
        .set_instance_type(
            d.str("InstanceType")?
                .map(|s| InstanceType::from(s.as_str())),
        )
        .set_key_name(d.str("KeyName")?)
        .set_user_data(d.str("UserData")?)
        .set_kernel_id(d.str("KernelId")?)
        .set_ram_disk_id(d.str("RamDiskId")?)
        .set_ebs_optimized(d.bool("EbsOptimized")?)
        .set_disable_api_termination(d.bool("DisableApiTermination")?)
        .set_disable_api_stop(d.bool("DisableApiStop")?)
        .set_instance_initiated_shutdown_behavior(
            d.str("InstanceInitiatedShutdownBehavior")?
                .map(|s| ShutdownBehavior::from(s.as_str())),
        )
        .set_security_group_ids(opt_list("SecurityGroupIds")?)
        .set_security_groups(opt_list("SecurityGroups")?)
        .set_iam_instance_profile(object(
            &d,
            "IamInstanceProfile",
            &["Arn", "Name"],
            &[],
            |n| {
                Ok(
                    LaunchTemplateIamInstanceProfileSpecificationRequest::builder()
                        .set_arn(n.str("Arn")?)
                        .set_name(n.str("Name")?)
                        .build(),
                )
            },
        )?)
        .set_monitoring(object(&d, "Monitoring", &["Enabled"], &[], |n| {
            Ok(LaunchTemplatesMonitoringRequest::builder()
                .set_enabled(n.bool("Enabled")?)
                .build())
        })?)
        .set_metadata_options(object(
            &d,
            "MetadataOptions",
            &[
                "HttpEndpoint",
                "HttpProtocolIpv6",
                "HttpPutResponseHopLimit",
                "HttpTokens",
                "InstanceMetadataTags",
            ],
            &[],
            |n| {
                Ok(LaunchTemplateInstanceMetadataOptionsRequest::builder()
                    .set_http_endpoint(
                        n.str("HttpEndpoint")?
                            .map(|s| LaunchTemplateInstanceMetadataEndpointState::from(s.as_str())),
                    )
                    .set_http_tokens(
                        n.str("HttpTokens")?
                            .map(|s| LaunchTemplateHttpTokensState::from(s.as_str())),
                    )
                    .set_http_put_response_hop_limit(n.i32("HttpPutResponseHopLimit")?)
                    .set_http_protocol_ipv6(
                        n.str("HttpProtocolIpv6")?
                            .map(|s| LaunchTemplateInstanceMetadataProtocolIpv6::from(s.as_str())),
                    )
                    .set_instance_metadata_tags(
                        n.str("InstanceMetadataTags")?
                            .map(|s| LaunchTemplateInstanceMetadataTagsState::from(s.as_str())),
                    )
                    .build())
            },
        )?)
        .set_block_device_mappings(each_object(
            &d,
            "BlockDeviceMappings",
            &["DeviceName", "Ebs", "NoDevice", "VirtualName"],
            &[],
            block_device_mapping,
        )?)
        .set_network_interfaces(each_object(
            &d,
            "NetworkInterfaces",
            NETWORK_INTERFACE_SUPPORTED,
            &[],
            network_interface,
        )?)
        .set_tag_specifications(data_tag_specifications(&d)?)
        .set_placement(object(
            &d,
            "Placement",
            &[
                "Affinity",
                "AvailabilityZone",
                "GroupId",
                "GroupName",
                "HostId",
                "HostResourceGroupArn",
                "PartitionNumber",
                "SpreadDomain",
                "Tenancy",
            ],
            &[],
            |n| {
                Ok(LaunchTemplatePlacementRequest::builder()
                    .set_affinity(n.str("Affinity")?)
                    .set_availability_zone(n.str("AvailabilityZone")?)
                    .set_group_id(n.str("GroupId")?)
                    .set_group_name(n.str("GroupName")?)
                    .set_host_id(n.str("HostId")?)
                    .set_host_resource_group_arn(n.str("HostResourceGroupArn")?)
                    .set_partition_number(n.i32("PartitionNumber")?)
                    .set_spread_domain(n.str("SpreadDomain")?)
                    .set_tenancy(n.str("Tenancy")?.map(|s| Tenancy::from(s.as_str())))
                    .build())
            },
        )?)
        .set_credit_specification(object(
            &d,
            "CreditSpecification",
            &["CpuCredits"],
            &[],
            |n| {
                Ok(CreditSpecificationRequest::builder()
                    .set_cpu_credits(n.str("CpuCredits")?)
                    .build())
            },
        )?)
        .set_cpu_options(object(
            &d,
            "CpuOptions",
            &["AmdSevSnp", "CoreCount", "ThreadsPerCore"],
            &[(
                "NestedVirtualization",
                "the EC2 SDK infra is built with has no such field yet",
            )],
            |n| {
                Ok(LaunchTemplateCpuOptionsRequest::builder()
                    .set_core_count(n.i32("CoreCount")?)
                    .set_threads_per_core(n.i32("ThreadsPerCore")?)
                    .set_amd_sev_snp(
                        n.str("AmdSevSnp")?
                            .map(|s| AmdSevSnpSpecification::from(s.as_str())),
                    )
                    .build())
            },
        )?)
        .set_hibernation_options(object(
            &d,
            "HibernationOptions",
            &["Configured"],
            &[],
            |n| {
                Ok(LaunchTemplateHibernationOptionsRequest::builder()
                    .set_configured(n.bool("Configured")?)
                    .build())
            },
        )?)
        .set_enclave_options(object(&d, "EnclaveOptions", &["Enabled"], &[], |n| {
            Ok(LaunchTemplateEnclaveOptionsRequest::builder()
                .set_enabled(n.bool("Enabled")?)
                .build())
        })?)
        .set_maintenance_options(object(
            &d,
            "MaintenanceOptions",
            &["AutoRecovery"],
            &[],
            |n| {
                Ok(LaunchTemplateInstanceMaintenanceOptionsRequest::builder()
                    .set_auto_recovery(
                        n.str("AutoRecovery")?
                            .map(|s| LaunchTemplateAutoRecoveryState::from(s.as_str())),
                    )
                    .build())
            },
        )?)
        .set_private_dns_name_options(object(
            &d,
            "PrivateDnsNameOptions",
            &[
                "EnableResourceNameDnsAAAARecord",
                "EnableResourceNameDnsARecord",
                "HostnameType",
            ],
            &[],
            |n| {
                Ok(LaunchTemplatePrivateDnsNameOptionsRequest::builder()
                    .set_hostname_type(
                        n.str("HostnameType")?
                            .map(|s| HostnameType::from(s.as_str())),
                    )
                    .set_enable_resource_name_dns_a_record(n.bool("EnableResourceNameDnsARecord")?)
                    .set_enable_resource_name_dns_aaaa_record(
                        n.bool("EnableResourceNameDnsAAAARecord")?,
                    )
                    .build())
            },
        )?)
        .set_instance_market_options(object(
            &d,
            "InstanceMarketOptions",
            &["MarketType", "SpotOptions"],
            &[],
            instance_market_options,
        )?)
        .set_capacity_reservation_specification(object(
            &d,
            "CapacityReservationSpecification",
            &["CapacityReservationPreference", "CapacityReservationTarget"],
            &[],
            |n| {
                Ok(
                    LaunchTemplateCapacityReservationSpecificationRequest::builder()
                        .set_capacity_reservation_preference(
                            n.str("CapacityReservationPreference")?
                                .map(|s| CapacityReservationPreference::from(s.as_str())),
                        )
                        .set_capacity_reservation_target(object(
                            n,
                            "CapacityReservationTarget",
                            &[
                                "CapacityReservationId",
                                "CapacityReservationResourceGroupArn",
                            ],
                            &[],
                            |t| {
                                Ok(CapacityReservationTarget::builder()
                                    .set_capacity_reservation_id(t.str("CapacityReservationId")?)
                                    .set_capacity_reservation_resource_group_arn(
                                        t.str("CapacityReservationResourceGroupArn")?,
                                    )
                                    .build())
                            },
                        )?)
                        .build(),
                )
            },
        )?)
        .set_license_specifications(each_object(
            &d,
            "LicenseSpecifications",
            &["LicenseConfigurationArn"],
            &[],
            |n| {
                Ok(LaunchTemplateLicenseConfigurationRequest::builder()
                    .set_license_configuration_arn(n.str("LicenseConfigurationArn")?)
                    .build())
            },
        )?)
        .set_network_performance_options(object(
            &d,
            "NetworkPerformanceOptions",
            &["BandwidthWeighting"],
            &[],
            |n| {
                Ok(LaunchTemplateNetworkPerformanceOptionsRequest::builder()
                    .set_bandwidth_weighting(
                        n.str("BandwidthWeighting")?
                            .map(|s| InstanceBandwidthWeighting::from(s.as_str())),
                    )
                    .build())
            },
        )?)
        .build())
}

fn block_device_mapping(
    n: &Node<'_>,
) -> Result<LaunchTemplateBlockDeviceMappingRequest, ProviderError> {
    let ebs = object(
        n,
        "Ebs",
        &[
            "DeleteOnTermination",
            "Encrypted",
            "Iops",
            "KmsKeyId",
            "SnapshotId",
            "Throughput",
            "VolumeInitializationRate",
            "VolumeSize",
            "VolumeType",
        ],
        &[(
            "EbsCardIndex",
            "the EC2 SDK infra is built with has no such field yet",
        )],
        |e| {
            Ok(LaunchTemplateEbsBlockDeviceRequest::builder()
                .set_delete_on_termination(e.bool("DeleteOnTermination")?)
                .set_encrypted(e.bool("Encrypted")?)
                .set_iops(e.i32("Iops")?)
                .set_kms_key_id(e.str("KmsKeyId")?)
                .set_snapshot_id(e.str("SnapshotId")?)
                .set_throughput(e.i32("Throughput")?)
                .set_volume_initialization_rate(e.i32("VolumeInitializationRate")?)
                .set_volume_size(e.i32("VolumeSize")?)
                .set_volume_type(e.str("VolumeType")?.map(|s| VolumeType::from(s.as_str())))
                .build())
        },
    )?;
    Ok(LaunchTemplateBlockDeviceMappingRequest::builder()
        .set_device_name(n.str("DeviceName")?)
        .set_no_device(n.str("NoDevice")?)
        .set_virtual_name(n.str("VirtualName")?)
        .set_ebs(ebs)
        .build())
}

const NETWORK_INTERFACE_SUPPORTED: &[&str] = &[
    "AssociateCarrierIpAddress",
    "AssociatePublicIpAddress",
    "ConnectionTrackingSpecification",
    "DeleteOnTermination",
    "Description",
    "DeviceIndex",
    "EnaQueueCount",
    "EnaSrdSpecification",
    "Groups",
    "InterfaceType",
    "Ipv4PrefixCount",
    "Ipv4Prefixes",
    "Ipv6AddressCount",
    "Ipv6Addresses",
    "Ipv6PrefixCount",
    "Ipv6Prefixes",
    "NetworkCardIndex",
    "NetworkInterfaceId",
    "PrimaryIpv6",
    "PrivateIpAddress",
    "PrivateIpAddresses",
    "SecondaryPrivateIpAddressCount",
    "SubnetId",
];

fn network_interface(
    n: &Node<'_>,
) -> Result<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest, ProviderError> {
    Ok(
        LaunchTemplateInstanceNetworkInterfaceSpecificationRequest::builder()
            .set_associate_carrier_ip_address(n.bool("AssociateCarrierIpAddress")?)
            .set_associate_public_ip_address(n.bool("AssociatePublicIpAddress")?)
            .set_connection_tracking_specification(object(
                n,
                "ConnectionTrackingSpecification",
                &["TcpEstablishedTimeout", "UdpStreamTimeout", "UdpTimeout"],
                &[],
                |c| {
                    Ok(ConnectionTrackingSpecificationRequest::builder()
                        .set_tcp_established_timeout(c.i32("TcpEstablishedTimeout")?)
                        .set_udp_stream_timeout(c.i32("UdpStreamTimeout")?)
                        .set_udp_timeout(c.i32("UdpTimeout")?)
                        .build())
                },
            )?)
            .set_delete_on_termination(n.bool("DeleteOnTermination")?)
            .set_description(n.str("Description")?)
            .set_device_index(n.i32("DeviceIndex")?)
            .set_ena_queue_count(n.i32("EnaQueueCount")?)
            .set_ena_srd_specification(object(
                n,
                "EnaSrdSpecification",
                &["EnaSrdEnabled", "EnaSrdUdpSpecification"],
                &[],
                |e| {
                    Ok(EnaSrdSpecificationRequest::builder()
                        .set_ena_srd_enabled(e.bool("EnaSrdEnabled")?)
                        .set_ena_srd_udp_specification(object(
                            e,
                            "EnaSrdUdpSpecification",
                            &["EnaSrdUdpEnabled"],
                            &[],
                            |u| {
                                Ok(EnaSrdUdpSpecificationRequest::builder()
                                    .set_ena_srd_udp_enabled(u.bool("EnaSrdUdpEnabled")?)
                                    .build())
                            },
                        )?)
                        .build())
                },
            )?)
            .set_groups(n.opt_str_list("Groups")?)
            .set_interface_type(n.str("InterfaceType")?)
            .set_ipv4_prefix_count(n.i32("Ipv4PrefixCount")?)
            .set_ipv4_prefixes(each_object(n, "Ipv4Prefixes", &["Ipv4Prefix"], &[], |p| {
                Ok(Ipv4PrefixSpecificationRequest::builder()
                    .set_ipv4_prefix(p.str("Ipv4Prefix")?)
                    .build())
            })?)
            .set_ipv6_address_count(n.i32("Ipv6AddressCount")?)
            .set_ipv6_addresses(each_object(
                n,
                "Ipv6Addresses",
                &["Ipv6Address"],
                &[],
                |a| {
                    Ok(InstanceIpv6AddressRequest::builder()
                        .set_ipv6_address(a.str("Ipv6Address")?)
                        .build())
                },
            )?)
            .set_ipv6_prefix_count(n.i32("Ipv6PrefixCount")?)
            .set_ipv6_prefixes(each_object(n, "Ipv6Prefixes", &["Ipv6Prefix"], &[], |p| {
                Ok(Ipv6PrefixSpecificationRequest::builder()
                    .set_ipv6_prefix(p.str("Ipv6Prefix")?)
                    .build())
            })?)
            .set_network_card_index(n.i32("NetworkCardIndex")?)
            .set_network_interface_id(n.str("NetworkInterfaceId")?)
            .set_primary_ipv6(n.bool("PrimaryIpv6")?)
            .set_private_ip_address(n.str("PrivateIpAddress")?)
            .set_private_ip_addresses(each_object(
                n,
                "PrivateIpAddresses",
                &["Primary", "PrivateIpAddress"],
                &[],
                |a| {
                    Ok(PrivateIpAddressSpecification::builder()
                        .set_primary(a.bool("Primary")?)
                        .set_private_ip_address(a.str("PrivateIpAddress")?)
                        .build())
                },
            )?)
            .set_secondary_private_ip_address_count(n.i32("SecondaryPrivateIpAddressCount")?)
            .set_subnet_id(n.str("SubnetId")?)
            .build(),
    )
}

fn instance_market_options(
    n: &Node<'_>,
) -> Result<LaunchTemplateInstanceMarketOptionsRequest, ProviderError> {
    let spot = object(
        n,
        "SpotOptions",
        &[
            "BlockDurationMinutes",
            "InstanceInterruptionBehavior",
            "MaxPrice",
            "SpotInstanceType",
            "ValidUntil",
        ],
        &[],
        |s| {
            let valid_until = s
                .str("ValidUntil")?
                .map(|text| {
                    aws_smithy_types::DateTime::from_str(
                        &text,
                        aws_smithy_types::date_time::Format::DateTime,
                    )
                    .map_err(|e| {
                        s.bad(
                            "ValidUntil",
                            format!("{text:?} is not a date and time (YYYY-MM-DDTHH:MM:SSZ): {e}"),
                        )
                    })
                })
                .transpose()?;
            Ok(LaunchTemplateSpotMarketOptionsRequest::builder()
                .set_block_duration_minutes(s.i32("BlockDurationMinutes")?)
                .set_instance_interruption_behavior(
                    s.str("InstanceInterruptionBehavior")?
                        .map(|v| InstanceInterruptionBehavior::from(v.as_str())),
                )
                .set_max_price(s.str("MaxPrice")?)
                .set_spot_instance_type(
                    s.str("SpotInstanceType")?
                        .map(|v| SpotInstanceType::from(v.as_str())),
                )
                .set_valid_until(valid_until)
                .build())
        },
    )?;
    Ok(LaunchTemplateInstanceMarketOptionsRequest::builder()
        .set_market_type(n.str("MarketType")?.map(|s| MarketType::from(s.as_str())))
        .set_spot_options(spot)
        .build())
}

/// `LaunchTemplateData/TagSpecifications`: tags for the instances, volumes, network
/// interfaces, ... launched from the template.
fn data_tag_specifications(
    d: &Node<'_>,
) -> Result<Option<Vec<LaunchTemplateTagSpecificationRequest>>, ProviderError> {
    if d.get("TagSpecifications").is_none() {
        return Ok(None);
    }
    Ok(Some(
        tag_specifications(d, "TagSpecifications")?
            .into_iter()
            .map(|(resource_type, tags)| {
                LaunchTemplateTagSpecificationRequest::builder()
                    .resource_type(ResourceType::from(resource_type.as_str()))
                    .set_tags(Some(tags.iter().map(|(k, v)| ec2_tag(k, v)).collect()))
                    .build()
            })
            .collect(),
    ))
}

/// The provider.
#[derive(Debug)]
pub(crate) struct LaunchTemplateProvider {
    pub(crate) svc: Svc<aws_sdk_ec2::Client>,
}

impl LaunchTemplateProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("LaunchTemplateName is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let tag_spec = (!tags.is_empty()).then(|| {
            TagSpecification::builder()
                .resource_type(ResourceType::LaunchTemplate)
                .set_tags(Some(tags.iter().map(|(k, v)| ec2_tag(k, v)).collect()))
                .build()
        });
        let created = self
            .svc
            .client
            .create_launch_template()
            .launch_template_name(&name)
            .launch_template_data(spec.data.clone())
            .set_version_description(spec.description.clone())
            .set_tag_specifications(tag_spec.map(|t| vec![t]))
            .send()
            .await;
        let template = match created {
            Ok(out) => out.launch_template.ok_or_else(|| {
                ctx.fatal(format!(
                    "CreateLaunchTemplate {name} returned no launch template"
                ))
            })?,
            Err(e) => {
                let err = self.svc.err("CreateLaunchTemplate", e);
                if err.code() != Some("InvalidLaunchTemplateName.AlreadyExistsException") {
                    return Err(on_create(fail(
                        ctx,
                        format!("creating launch template {name}"),
                        &err,
                    )));
                }
                self.adopt(ctx, &name, input).await?
            }
        };
        output(ctx, &template)
    }

    /// A launch template of this name exists: an earlier attempt at this resource made it
    /// (in one call, data and tags together) when it carries this resource's infra tags.
    async fn adopt(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        input: &CreateInput,
    ) -> Result<LaunchTemplate, ProviderError> {
        let found = self
            .svc
            .client
            .describe_launch_templates()
            .launch_template_names(name)
            .send()
            .await
            .map_err(|e| {
                self.svc.fail(
                    ctx,
                    "DescribeLaunchTemplates",
                    format!("looking up launch template {name}"),
                    e,
                )
            })?;
        let template = found
            .launch_templates()
            .iter()
            .find(|t| t.launch_template_name() == Some(name))
            .cloned()
            .ok_or_else(|| {
                ctx.error(
                    FailureClass::Retryable,
                    format!("launch template {name} exists but is not visible yet"),
                )
            })?;
        if !owned_by(&tag_map(template.tags()), &input.tags) {
            return Err(ctx.fatal(format!(
                "creating launch template {name}: a launch template of that name already exists \
                 and was not made for this resource (it lacks its infra:* tags); choose another \
                 LaunchTemplateName or import it"
            )));
        }
        Ok(template)
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
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
            let version = client
                .create_launch_template_version()
                .launch_template_id(id)
                .launch_template_data(after.data.clone())
                .set_version_description(after.description.clone())
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "CreateLaunchTemplateVersion",
                        format!("creating a new version of launch template {id}"),
                        e,
                    )
                })?;
            let number = version
                .launch_template_version()
                .and_then(|v| v.version_number())
                .ok_or_else(|| {
                    ctx.fatal(format!(
                        "CreateLaunchTemplateVersion of {id} returned no version number"
                    ))
                })?;
            client
                .modify_launch_template()
                .launch_template_id(id)
                .default_version(number.to_string())
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "ModifyLaunchTemplate",
                        format!("making version {number} the default of launch template {id}"),
                        e,
                    )
                })?;
        }
        let (set, remove) = tag_changes(
            &merge_tags(&before.tags, &input.tags),
            &merge_tags(&after.tags, &input.tags),
        );
        if !remove.is_empty() {
            client
                .delete_tags()
                .resources(id)
                .set_tags(Some(
                    remove
                        .iter()
                        .map(|k| Tag::builder().key(k).build())
                        .collect(),
                ))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "DeleteTags",
                        format!("untagging launch template {id}"),
                        e,
                    )
                })?;
        }
        if !set.is_empty() {
            client
                .create_tags()
                .resources(id)
                .set_tags(Some(set.iter().map(|(k, v)| ec2_tag(k, v)).collect()))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "CreateTags",
                        format!("tagging launch template {id}"),
                        e,
                    )
                })?;
        }
        let template = self.describe_one(ctx, id).await?.ok_or_else(|| {
            ctx.error(
                FailureClass::NotFound,
                format!("launch template {id} does not exist"),
            )
        })?;
        output(ctx, &template)
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let id = input.physical_id.as_str();
        match self
            .svc
            .client
            .delete_launch_template()
            .launch_template_id(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.svc.err("DeleteLaunchTemplate", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(fail(ctx, format!("deleting launch template {id}"), &err))
                }
            }
        }
    }

    /// DescribeLaunchTemplates of one id; `None` when it does not exist.
    async fn describe_one(
        &self,
        ctx: Ctx<'_>,
        id: &str,
    ) -> Result<Option<LaunchTemplate>, ProviderError> {
        match self
            .svc
            .client
            .describe_launch_templates()
            .launch_template_ids(id)
            .send()
            .await
        {
            Ok(out) => Ok(out
                .launch_templates()
                .iter()
                .find(|t| t.launch_template_id() == Some(id))
                .cloned()),
            Err(e) => {
                let err = self.svc.err("DescribeLaunchTemplates", e);
                if is_not_found(&err) {
                    Ok(None)
                } else {
                    Err(fail(ctx, format!("reading launch template {id}"), &err))
                }
            }
        }
    }

    /// DescribeLaunchTemplates of many ids (at most [`IDS_PER_CALL`]), pages followed; `None`
    /// when AWS refused the call because one of them does not exist.
    async fn describe_many(
        &self,
        ctx: Ctx<'_>,
        ids: &[String],
    ) -> Result<Option<Vec<LaunchTemplate>>, ProviderError> {
        let mut found = Vec::new();
        let mut pages = self
            .svc
            .client
            .describe_launch_templates()
            .set_launch_template_ids(Some(ids.to_vec()))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => found.extend(page.launch_templates().iter().cloned()),
                Err(e) => {
                    let err = self.svc.err("DescribeLaunchTemplates", e);
                    if is_not_found(&err) {
                        return Ok(None);
                    }
                    return Err(fail(
                        ctx,
                        format!("reading {} launch templates", ids.len()),
                        &err,
                    ));
                }
            }
        }
        Ok(Some(found))
    }

    async fn do_read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let Some(first) = items.first() else {
            return Ok(BTreeMap::new());
        };
        let ctx = Ctx::new(TYPE, &first.address);
        let mut ids: Vec<String> = Vec::new();
        for item in items {
            if !item.physical_id.is_empty() && !ids.contains(&item.physical_id) {
                ids.push(item.physical_id.clone());
            }
        }
        let mut by_id: BTreeMap<String, LaunchTemplate> = BTreeMap::new();
        for chunk in ids.chunks(IDS_PER_CALL) {
            let answer = self.describe_many(ctx, chunk).await?.unwrap_or_default();
            for template in answer {
                if let Some(id) = template.launch_template_id() {
                    by_id.insert(id.to_owned(), template);
                }
            }
            // Missing from the answer (or the whole chunk refused): ask for each alone.
            for id in chunk {
                if by_id.contains_key(id) {
                    continue;
                }
                if let Some(template) = self.describe_one(ctx, id).await? {
                    by_id.insert(id.clone(), template);
                }
            }
        }
        let mut out = BTreeMap::new();
        for item in items {
            let observation = match by_id.get(&item.physical_id) {
                None => Observation::Gone,
                Some(template) => observe(item, template)?,
            };
            out.insert(item.address.clone(), observation);
        }
        Ok(out)
    }
}

provider_impl!(LaunchTemplateProvider, TYPE);

fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_owned(),
                t.value().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

fn attributes(template: &LaunchTemplate) -> BTreeMap<String, Value> {
    let number = |n: Option<i64>| n.map_or(Value::Null, |n| Value::String(n.to_string()));
    BTreeMap::from([
        (
            "LaunchTemplateId".to_owned(),
            Value::String(template.launch_template_id().unwrap_or_default().to_owned()),
        ),
        (
            "LatestVersionNumber".to_owned(),
            number(template.latest_version_number()),
        ),
        (
            "DefaultVersionNumber".to_owned(),
            number(template.default_version_number()),
        ),
    ])
}

fn output(ctx: Ctx<'_>, template: &LaunchTemplate) -> Result<ResourceOutput, ProviderError> {
    let id = template
        .launch_template_id()
        .ok_or_else(|| ctx.fatal("the launch template has no id"))?;
    Ok(ResourceOutput {
        physical_id: id.to_owned(),
        attributes: attributes(template),
    })
}

/// What refresh reports for one launch template (see the module comment).
fn observe(item: &ReadInput, template: &LaunchTemplate) -> Result<Observation, ProviderError> {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    for key in ["LaunchTemplateData", "VersionDescription"] {
        if let Some(value) = prev(key) {
            props.insert(key.to_owned(), value.clone());
        }
    }
    if managed.contains("LaunchTemplateName") {
        props.insert(
            "LaunchTemplateName".into(),
            observed_scalar(
                Value::String(
                    template
                        .launch_template_name()
                        .unwrap_or_default()
                        .to_owned(),
                ),
                prev("LaunchTemplateName"),
            ),
        );
    }
    if managed.contains("TagSpecifications") {
        let tags = common::observed_tags(&tag_map(template.tags()), None);
        let observed = json!([{ "ResourceType": LAUNCH_TEMPLATE, "Tags": tags }]);
        let value = match prev("TagSpecifications") {
            Some(previous) if same_tag_specifications(previous, &observed) => previous.clone(),
            _ => observed,
        };
        props.insert("TagSpecifications".into(), value);
    }
    Ok(Observation::Present {
        properties: Value::Object(props),
        attributes: attributes(template),
    })
}

/// Whether two `TagSpecifications` of a launch template hold the same tags.
fn same_tag_specifications(a: &Value, b: &Value) -> bool {
    fn tags(value: &Value) -> BTreeMap<String, String> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|spec| spec.get("Tags")?.as_array())
            .flatten()
            .filter_map(|t| {
                Some((
                    common::scalar_text(t.get("Key")?)?,
                    t.get("Value")
                        .and_then(common::scalar_text)
                        .unwrap_or_default(),
                ))
            })
            .collect()
    }
    tags(a) == tags(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx<'static> {
        Ctx::new(TYPE, "Stack.LT")
    }

    #[test]
    fn maps_the_fixture_launch_template() {
        let spec = parse(
            &json!({
                "LaunchTemplateData": {
                    "ImageId": "ami-123",
                    "InstanceType": "c5.large",
                    "IamInstanceProfile": {"Name": "profile"},
                    "SecurityGroupIds": ["sg-1"],
                    "UserData": "IyEvYmluL2Jhc2g=",
                    "BlockDeviceMappings": [
                        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 50, "VolumeType": "gp3"}}
                    ],
                    "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required"}
                },
                "TagSpecifications": [
                    {"ResourceType": "launch-template", "Tags": [{"Key": "team", "Value": "a"}]}
                ]
            }),
            ctx(),
        )
        .expect("parses");
        let data = &spec.data;
        assert_eq!(data.image_id(), Some("ami-123"));
        assert_eq!(data.instance_type(), Some(&InstanceType::C5Large));
        assert_eq!(
            data.iam_instance_profile().and_then(|p| p.name()),
            Some("profile")
        );
        assert_eq!(data.security_group_ids(), ["sg-1".to_owned()]);
        assert_eq!(data.user_data(), Some("IyEvYmluL2Jhc2g="));
        let ebs = data.block_device_mappings()[0].ebs().expect("ebs");
        assert_eq!(ebs.volume_size(), Some(50));
        assert_eq!(ebs.volume_type(), Some(&VolumeType::Gp3));
        assert_eq!(
            data.metadata_options().and_then(|m| m.http_tokens()),
            Some(&LaunchTemplateHttpTokensState::Required)
        );
        assert_eq!(spec.tags, vec![("team".to_owned(), "a".to_owned())]);
    }

    #[test]
    fn refuses_unmapped_properties_by_path() {
        let err = parse(
            &json!({"LaunchTemplateData": {"InstanceRequirements": {"VCpuCount": {"Min": 1}}}}),
            ctx(),
        )
        .expect_err("refused");
        assert!(
            err.message
                .contains("property LaunchTemplateData/InstanceRequirements is not supported"),
            "{}",
            err.message
        );
        let err = parse(
            &json!({"LaunchTemplateData": {"BlockDeviceMappings": [{"Ebs": {"Bogus": 1}}]}}),
            ctx(),
        )
        .expect_err("refused");
        assert!(
            err.message
                .contains("LaunchTemplateData/BlockDeviceMappings/0/Ebs/Bogus"),
            "{}",
            err.message
        );
        let err = parse(
            &json!({"LaunchTemplateData": {}, "TagSpecifications": [
                {"ResourceType": "instance", "Tags": []}
            ]}),
            ctx(),
        )
        .expect_err("refused");
        assert!(err.message.contains("launch-template"), "{}", err.message);
        assert!(
            parse(&json!({}), ctx()).is_err(),
            "LaunchTemplateData is required"
        );
    }
}
