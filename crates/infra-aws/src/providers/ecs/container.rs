//! The CloudFormation container definition (`AWS::ECS::TaskDefinition` `ContainerDefinitions`)
//! mapped to the ECS API's `ContainerDefinition`, key by key: every key CloudFormation documents
//! is mapped (the CloudFormation name is the API's in PascalCase), except
//! `ResourceRequirements[].SharingStrategy`, which the SDK in use cannot send and which is
//! refused by name. Any other key is a fatal error naming its path.

use aws_sdk_ecs::types::{
    ApplicationProtocol, ContainerCondition, ContainerDefinition, ContainerDependency,
    ContainerRestartPolicy, Device, DeviceCgroupPermission, EnvironmentFile, EnvironmentFileType,
    FirelensConfiguration, FirelensConfigurationType, HealthCheck, HostEntry, KernelCapabilities,
    KeyValuePair, LinuxParameters, LogConfiguration, LogDriver, MountPoint, PortMapping,
    RepositoryCredentials, ResourceRequirement, ResourceType, Secret, SystemControl, Tmpfs,
    TransportProtocol, Ulimit, UlimitName, VersionConsistency, VolumeFrom,
};

use crate::provider::ProviderError;
use crate::providers::kit::{Keys, Props};

/// The keys of one container definition.
pub(super) const CONTAINER: Keys = Keys::new(&[
    "Command",
    "Cpu",
    "CredentialSpecs",
    "DependsOn",
    "DisableNetworking",
    "DnsSearchDomains",
    "DnsServers",
    "DockerLabels",
    "DockerSecurityOptions",
    "EntryPoint",
    "Environment",
    "EnvironmentFiles",
    "Essential",
    "ExtraHosts",
    "FirelensConfiguration",
    "HealthCheck",
    "Hostname",
    "Image",
    "Interactive",
    "Links",
    "LinuxParameters",
    "LogConfiguration",
    "Memory",
    "MemoryReservation",
    "MountPoints",
    "Name",
    "PortMappings",
    "Privileged",
    "PseudoTerminal",
    "ReadonlyRootFilesystem",
    "RepositoryCredentials",
    "ResourceRequirements",
    "RestartPolicy",
    "Secrets",
    "StartTimeout",
    "StopTimeout",
    "SystemControls",
    "Ulimits",
    "User",
    "VersionConsistency",
    "VolumesFrom",
    "WorkingDirectory",
]);

const PORT_MAPPING: Keys = Keys::new(&[
    "AppProtocol",
    "ContainerPort",
    "ContainerPortRange",
    "HostPort",
    "Name",
    "Protocol",
]);
/// `{Name, Value}` (environment variables, proxy configuration properties).
pub(super) const KEY_VALUE: Keys = Keys::new(&["Name", "Value"]);
const SECRET: Keys = Keys::new(&["Name", "ValueFrom"]);
const ENVIRONMENT_FILE: Keys = Keys::new(&["Type", "Value"]);
const LOG_CONFIGURATION: Keys = Keys::new(&["LogDriver", "Options", "SecretOptions"]);
const HEALTH_CHECK: Keys = Keys::new(&["Command", "Interval", "Retries", "StartPeriod", "Timeout"]);
const DEPENDENCY: Keys = Keys::new(&["Condition", "ContainerName"]);
const ULIMIT: Keys = Keys::new(&["HardLimit", "Name", "SoftLimit"]);
const MOUNT_POINT: Keys = Keys::new(&["ContainerPath", "ReadOnly", "SourceVolume"]);
const VOLUME_FROM: Keys = Keys::new(&["ReadOnly", "SourceContainer"]);
const HOST_ENTRY: Keys = Keys::new(&["Hostname", "IpAddress"]);
const REPOSITORY_CREDENTIALS: Keys = Keys::new(&["CredentialsParameter"]);
const RESOURCE_REQUIREMENT: Keys = Keys::with(
    &["Type", "Value"],
    &[(
        "SharingStrategy",
        "the AWS SDK infra is built with has no field for GPU sharing strategies yet",
    )],
);
const FIRELENS: Keys = Keys::new(&["Options", "Type"]);
const SYSTEM_CONTROL: Keys = Keys::new(&["Namespace", "Value"]);
const RESTART_POLICY: Keys = Keys::new(&["Enabled", "IgnoredExitCodes", "RestartAttemptPeriod"]);
const LINUX_PARAMETERS: Keys = Keys::new(&[
    "Capabilities",
    "Devices",
    "InitProcessEnabled",
    "MaxSwap",
    "SharedMemorySize",
    "Swappiness",
    "Tmpfs",
]);
const CAPABILITIES: Keys = Keys::new(&["Add", "Drop"]);
const DEVICE: Keys = Keys::new(&["ContainerPath", "HostPath", "Permissions"]);
const TMPFS: Keys = Keys::new(&["ContainerPath", "MountOptions", "Size"]);

type R<T> = Result<T, ProviderError>;

/// `{Name, Value}` pairs.
pub(super) fn key_values(obj: &Props<'_>, key: &str) -> R<Option<Vec<KeyValuePair>>> {
    obj.opt_objs(key, KEY_VALUE)?
        .map(|items| {
            items
                .iter()
                .map(|kv| {
                    Ok(KeyValuePair::builder()
                        .set_name(kv.str("Name")?)
                        .set_value(kv.str("Value")?)
                        .build())
                })
                .collect()
        })
        .transpose()
}

fn secrets(obj: &Props<'_>, key: &str) -> R<Option<Vec<Secret>>> {
    obj.opt_objs(key, SECRET)?
        .map(|items| {
            items
                .iter()
                .map(|s| {
                    Secret::builder()
                        .name(s.required_str("Name")?)
                        .value_from(s.required_str("ValueFrom")?)
                        .build()
                        .map_err(|e| obj.fatal(key, e))
                })
                .collect()
        })
        .transpose()
}

/// A container definition.
pub(super) fn parse_container(c: &Props<'_>) -> R<ContainerDefinition> {
    let port_mappings = c
        .opt_objs("PortMappings", PORT_MAPPING)?
        .map(|items| {
            items
                .iter()
                .map(|p| {
                    Ok(PortMapping::builder()
                        .set_container_port(p.i32("ContainerPort")?)
                        .set_host_port(p.i32("HostPort")?)
                        .set_protocol(
                            p.str("Protocol")?
                                .map(|v| TransportProtocol::from(v.as_str())),
                        )
                        .set_name(p.str("Name")?)
                        .set_app_protocol(
                            p.str("AppProtocol")?
                                .map(|v| ApplicationProtocol::from(v.as_str())),
                        )
                        .set_container_port_range(p.str("ContainerPortRange")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let environment_files = c
        .opt_objs("EnvironmentFiles", ENVIRONMENT_FILE)?
        .map(|items| {
            items
                .iter()
                .map(|f| {
                    EnvironmentFile::builder()
                        .value(f.required_str("Value")?)
                        .r#type(EnvironmentFileType::from(f.required_str("Type")?.as_str()))
                        .build()
                        .map_err(|e| c.fatal("EnvironmentFiles", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let log_configuration = c
        .obj("LogConfiguration", LOG_CONFIGURATION)?
        .map(|l| {
            LogConfiguration::builder()
                .log_driver(LogDriver::from(l.required_str("LogDriver")?.as_str()))
                .set_options(l.str_map("Options")?)
                .set_secret_options(secrets(&l, "SecretOptions")?)
                .build()
                .map_err(|e| c.fatal("LogConfiguration", e))
        })
        .transpose()?;
    let health_check = c
        .obj("HealthCheck", HEALTH_CHECK)?
        .map(|h| {
            HealthCheck::builder()
                .set_command(Some(
                    h.strs("Command")?
                        .ok_or_else(|| h.fatal("Command", "is required"))?,
                ))
                .set_interval(h.i32("Interval")?)
                .set_timeout(h.i32("Timeout")?)
                .set_retries(h.i32("Retries")?)
                .set_start_period(h.i32("StartPeriod")?)
                .build()
                .map_err(|e| c.fatal("HealthCheck", e))
        })
        .transpose()?;
    let depends_on = c
        .opt_objs("DependsOn", DEPENDENCY)?
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    ContainerDependency::builder()
                        .container_name(d.required_str("ContainerName")?)
                        .condition(ContainerCondition::from(
                            d.required_str("Condition")?.as_str(),
                        ))
                        .build()
                        .map_err(|e| c.fatal("DependsOn", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let ulimits = c
        .opt_objs("Ulimits", ULIMIT)?
        .map(|items| {
            items
                .iter()
                .map(|u| {
                    Ulimit::builder()
                        .name(UlimitName::from(u.required_str("Name")?.as_str()))
                        .soft_limit(u.required_i32("SoftLimit")?)
                        .hard_limit(u.required_i32("HardLimit")?)
                        .build()
                        .map_err(|e| c.fatal("Ulimits", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let mount_points = c
        .opt_objs("MountPoints", MOUNT_POINT)?
        .map(|items| {
            items
                .iter()
                .map(|m| {
                    Ok(MountPoint::builder()
                        .set_source_volume(m.str("SourceVolume")?)
                        .set_container_path(m.str("ContainerPath")?)
                        .set_read_only(m.bool("ReadOnly")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let volumes_from = c
        .opt_objs("VolumesFrom", VOLUME_FROM)?
        .map(|items| {
            items
                .iter()
                .map(|v| {
                    Ok(VolumeFrom::builder()
                        .set_source_container(v.str("SourceContainer")?)
                        .set_read_only(v.bool("ReadOnly")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let extra_hosts = c
        .opt_objs("ExtraHosts", HOST_ENTRY)?
        .map(|items| {
            items
                .iter()
                .map(|h| {
                    HostEntry::builder()
                        .hostname(h.required_str("Hostname")?)
                        .ip_address(h.required_str("IpAddress")?)
                        .build()
                        .map_err(|e| c.fatal("ExtraHosts", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let repository_credentials = c
        .obj("RepositoryCredentials", REPOSITORY_CREDENTIALS)?
        .map(|r| {
            RepositoryCredentials::builder()
                .credentials_parameter(r.required_str("CredentialsParameter")?)
                .build()
                .map_err(|e| c.fatal("RepositoryCredentials", e))
        })
        .transpose()?;
    let resource_requirements = c
        .opt_objs("ResourceRequirements", RESOURCE_REQUIREMENT)?
        .map(|items| {
            items
                .iter()
                .map(|r| {
                    ResourceRequirement::builder()
                        .value(r.required_str("Value")?)
                        .r#type(ResourceType::from(r.required_str("Type")?.as_str()))
                        .build()
                        .map_err(|e| c.fatal("ResourceRequirements", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let firelens = c
        .obj("FirelensConfiguration", FIRELENS)?
        .map(|f| {
            FirelensConfiguration::builder()
                .r#type(FirelensConfigurationType::from(
                    f.required_str("Type")?.as_str(),
                ))
                .set_options(f.str_map("Options")?)
                .build()
                .map_err(|e| c.fatal("FirelensConfiguration", e))
        })
        .transpose()?;
    let system_controls = c
        .opt_objs("SystemControls", SYSTEM_CONTROL)?
        .map(|items| {
            items
                .iter()
                .map(|s| {
                    Ok(SystemControl::builder()
                        .set_namespace(s.str("Namespace")?)
                        .set_value(s.str("Value")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let restart_policy = c
        .obj("RestartPolicy", RESTART_POLICY)?
        .map(|r| {
            ContainerRestartPolicy::builder()
                .enabled(r.bool("Enabled")?.unwrap_or(false))
                .set_ignored_exit_codes(r.i32s("IgnoredExitCodes")?)
                .set_restart_attempt_period(r.i32("RestartAttemptPeriod")?)
                .build()
                .map_err(|e| c.fatal("RestartPolicy", e))
        })
        .transpose()?;
    let linux_parameters = c
        .obj("LinuxParameters", LINUX_PARAMETERS)?
        .map(|l| parse_linux(&l))
        .transpose()?;

    Ok(ContainerDefinition::builder()
        .set_name(Some(c.required_str("Name")?))
        .set_image(Some(c.required_str("Image")?))
        .set_repository_credentials(repository_credentials)
        .set_cpu(c.i32("Cpu")?)
        .set_memory(c.i32("Memory")?)
        .set_memory_reservation(c.i32("MemoryReservation")?)
        .set_links(c.strs("Links")?)
        .set_port_mappings(port_mappings)
        .set_essential(c.bool("Essential")?)
        .set_restart_policy(restart_policy)
        .set_entry_point(c.strs("EntryPoint")?)
        .set_command(c.strs("Command")?)
        .set_environment(key_values(c, "Environment")?)
        .set_environment_files(environment_files)
        .set_mount_points(mount_points)
        .set_volumes_from(volumes_from)
        .set_linux_parameters(linux_parameters)
        .set_secrets(secrets(c, "Secrets")?)
        .set_depends_on(depends_on)
        .set_start_timeout(c.i32("StartTimeout")?)
        .set_stop_timeout(c.i32("StopTimeout")?)
        .set_version_consistency(
            c.str("VersionConsistency")?
                .map(|v| VersionConsistency::from(v.as_str())),
        )
        .set_hostname(c.str("Hostname")?)
        .set_user(c.str("User")?)
        .set_working_directory(c.str("WorkingDirectory")?)
        .set_disable_networking(c.bool("DisableNetworking")?)
        .set_privileged(c.bool("Privileged")?)
        .set_readonly_root_filesystem(c.bool("ReadonlyRootFilesystem")?)
        .set_dns_servers(c.strs("DnsServers")?)
        .set_dns_search_domains(c.strs("DnsSearchDomains")?)
        .set_extra_hosts(extra_hosts)
        .set_docker_security_options(c.strs("DockerSecurityOptions")?)
        .set_interactive(c.bool("Interactive")?)
        .set_pseudo_terminal(c.bool("PseudoTerminal")?)
        .set_docker_labels(c.str_map("DockerLabels")?)
        .set_ulimits(ulimits)
        .set_log_configuration(log_configuration)
        .set_health_check(health_check)
        .set_system_controls(system_controls)
        .set_resource_requirements(resource_requirements)
        .set_firelens_configuration(firelens)
        .set_credential_specs(c.strs("CredentialSpecs")?)
        .build())
}

fn parse_linux(l: &Props<'_>) -> R<LinuxParameters> {
    let capabilities = l
        .obj("Capabilities", CAPABILITIES)?
        .map(|k| -> R<_> {
            Ok(KernelCapabilities::builder()
                .set_add(k.strs("Add")?)
                .set_drop(k.strs("Drop")?)
                .build())
        })
        .transpose()?;
    let devices = l
        .opt_objs("Devices", DEVICE)?
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    Device::builder()
                        .host_path(d.required_str("HostPath")?)
                        .set_container_path(d.str("ContainerPath")?)
                        .set_permissions(d.strs("Permissions")?.map(|ps| {
                            ps.iter()
                                .map(|p| DeviceCgroupPermission::from(p.as_str()))
                                .collect()
                        }))
                        .build()
                        .map_err(|e| l.fatal("Devices", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let tmpfs = l
        .opt_objs("Tmpfs", TMPFS)?
        .map(|items| {
            items
                .iter()
                .map(|t| {
                    Tmpfs::builder()
                        .container_path(t.required_str("ContainerPath")?)
                        .size(t.required_i32("Size")?)
                        .set_mount_options(t.strs("MountOptions")?)
                        .build()
                        .map_err(|e| l.fatal("Tmpfs", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    Ok(LinuxParameters::builder()
        .set_capabilities(capabilities)
        .set_devices(devices)
        .set_init_process_enabled(l.bool("InitProcessEnabled")?)
        .set_shared_memory_size(l.i32("SharedMemorySize")?)
        .set_tmpfs(tmpfs)
        .set_max_swap(l.i32("MaxSwap")?)
        .set_swappiness(l.i32("Swappiness")?)
        .build())
}
