//! `AWS::EC2::LaunchTemplate` `LaunchTemplateData` mapped to the EC2 API's
//! `RequestLaunchTemplateData` (block devices, network interfaces, market options, tags).

use aws_sdk_ec2::types::{
    AmdSevSnpSpecification, CapacityReservationPreference, CapacityReservationTarget,
    ConnectionTrackingSpecificationRequest, CreditSpecificationRequest, EnaSrdSpecificationRequest,
    EnaSrdUdpSpecificationRequest, HostnameType, InstanceBandwidthWeighting,
    InstanceInterruptionBehavior, InstanceIpv6AddressRequest, InstanceType,
    Ipv4PrefixSpecificationRequest, Ipv6PrefixSpecificationRequest,
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
    RequestLaunchTemplateData, ResourceType, ShutdownBehavior, SpotInstanceType, Tenancy,
    VolumeType,
};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::kit::Props;

use super::props::{
    DATA_SUPPORTED, DATA_UNSUPPORTED, each_object, ec2_tag, object, tag_specifications,
};

/// `LaunchTemplateData` as the EC2 API takes it.
pub(super) fn parse_data(
    props: &Props<'_>,
    value: &Value,
) -> Result<RequestLaunchTemplateData, ProviderError> {
    let path = props.at("LaunchTemplateData");
    let d = props.nested(value, &path, DATA_SUPPORTED, DATA_UNSUPPORTED)?;
    let opt_list = |key: &str| d.strs(key);
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

pub(super) fn block_device_mapping(
    n: &Props<'_>,
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

pub(super) const NETWORK_INTERFACE_SUPPORTED: &[&str] = &[
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

pub(super) fn network_interface(
    n: &Props<'_>,
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
            .set_groups(n.strs("Groups")?)
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

pub(super) fn instance_market_options(
    n: &Props<'_>,
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
                        s.fatal(
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

/// `LaunchTemplateData.TagSpecifications`: tags for the instances, volumes, network
/// interfaces, ... launched from the template.
pub(super) fn data_tag_specifications(
    d: &Props<'_>,
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
