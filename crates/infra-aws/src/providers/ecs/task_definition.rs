//! `AWS::ECS::TaskDefinition`.
//!
//! A task definition revision is immutable: every property but `Tags` is create-only, so the
//! plan replaces the resource on any other change. Create registers a new revision of the family
//! (RegisterTaskDefinition); delete deregisters that revision (DeregisterTaskDefinition), as
//! CloudFormation does; update changes `Tags` only (TagResource / UntagResource) and refuses
//! anything else.
//!
//! | property | API |
//! |---|---|
//! | `Family` | `family` (else the generated name) |
//! | `ContainerDefinitions` | `containerDefinitions`, every key mapped (see `container.rs`) |
//! | `Cpu`, `Memory` | `cpu`, `memory` (strings; numbers accepted) |
//! | `NetworkMode`, `IpcMode`, `PidMode` | `networkMode`, `ipcMode`, `pidMode` |
//! | `RequiresCompatibilities` | `requiresCompatibilities` |
//! | `ExecutionRoleArn`, `TaskRoleArn` | `executionRoleArn`, `taskRoleArn` |
//! | `Volumes` (`Name`, `Host`, `DockerVolumeConfiguration`, `EFSVolumeConfiguration`, `FSxWindowsFileServerVolumeConfiguration`, `ConfiguredAtLaunch`) | `volumes` |
//! | `PlacementConstraints` | `placementConstraints` |
//! | `ProxyConfiguration` (`ProxyConfigurationProperties` = `properties`) | `proxyConfiguration` |
//! | `InferenceAccelerators` | `inferenceAccelerators` |
//! | `RuntimePlatform` | `runtimePlatform` |
//! | `EphemeralStorage` | `ephemeralStorage` |
//! | `EnableFaultInjection` | `enableFaultInjection` |
//! | `Tags` | `tags`, with infra's tags; updated in place |
//! | `Volumes[].S3FilesVolumeConfiguration`, `ContainerDefinitions[].ResourceRequirements[].SharingStrategy` | refused: the SDK in use has no field for them |
//!
//! `Ref` and `Fn::GetAtt TaskDefinitionArn` are the revision's ARN (`...:task-definition/family:3`).
//! A create that is retried after a lost answer registers one more revision of the family; the
//! earlier one stays registered, as an extra revision does in CloudFormation.
//!
//! Refresh calls DescribeTaskDefinition (with tags) for each ARN, at most eight at a time: a
//! revision that is not found or no longer `ACTIVE` is `Gone`; otherwise, the revision being
//! immutable, its properties are the last applied ones and only `Tags` is read back.

use std::collections::BTreeMap;

use aws_sdk_ecs::operation::register_task_definition::builders::RegisterTaskDefinitionFluentBuilder;
use aws_sdk_ecs::types::{
    Compatibility, ContainerDefinition, CpuArchitecture, DockerVolumeConfiguration,
    EfsAuthorizationConfig, EfsAuthorizationConfigIam, EfsTransitEncryption,
    EfsVolumeConfiguration, EphemeralStorage, FSxWindowsFileServerAuthorizationConfig,
    FSxWindowsFileServerVolumeConfiguration, HostVolumeProperties, InferenceAccelerator, IpcMode,
    NetworkMode, OsFamily, PidMode, ProxyConfiguration, ProxyConfigurationType, RuntimePlatform,
    Scope, TaskDefinition, TaskDefinitionField, TaskDefinitionPlacementConstraint,
    TaskDefinitionPlacementConstraintType, TaskDefinitionStatus, Volume,
};
use serde_json::{Map, Value};

use super::container::{CONTAINER, key_values, parse_container};
use super::props::covers;
use super::{Ecs, ecs_tags, retag, tag_map};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{self, Ctx, READ_CONCURRENCY, merge_tags, observed_tags};
use crate::providers::kit::{Keys, Props};

mod find;

pub(crate) const TYPE: &str = "AWS::ECS::TaskDefinition";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::PerResource,
    "DescribeTaskDefinition with tags per ARN, 8 at a time",
    Find::Name,
    "the newest ACTIVE revision of Family (ListTaskDefinitions), infra tags and properties checked",
);

pub(super) const FIELDS: Keys = Keys::with(
    &[
        "ContainerDefinitions",
        "Cpu",
        "EnableFaultInjection",
        "EphemeralStorage",
        "ExecutionRoleArn",
        "Family",
        "InferenceAccelerators",
        "IpcMode",
        "Memory",
        "NetworkMode",
        "PidMode",
        "PlacementConstraints",
        "ProxyConfiguration",
        "RequiresCompatibilities",
        "RuntimePlatform",
        "Tags",
        "TaskRoleArn",
        "Volumes",
    ],
    &[],
)
.and_attributes(&[(
    "TaskDefinitionArn",
    "TaskDefinitionArn is an attribute of the task definition (Fn::GetAtt), not a property to \
     set",
)]);
const VOLUME: Keys = Keys::with(
    &[
        "ConfiguredAtLaunch",
        "DockerVolumeConfiguration",
        "EFSVolumeConfiguration",
        "FSxWindowsFileServerVolumeConfiguration",
        "Host",
        "Name",
    ],
    &[(
        "S3FilesVolumeConfiguration",
        "the AWS SDK infra is built with has no field for S3 Files volumes yet",
    )],
);
const HOST: Keys = Keys::new(&["SourcePath"]);
const DOCKER_VOLUME: Keys =
    Keys::new(&["Autoprovision", "Driver", "DriverOpts", "Labels", "Scope"]);
const EFS_VOLUME: Keys = Keys::new(&[
    "AuthorizationConfig",
    "FilesystemId",
    "RootDirectory",
    "TransitEncryption",
    "TransitEncryptionPort",
]);
const EFS_AUTH: Keys = Keys::new(&["AccessPointId", "IAM"]);
const FSX_VOLUME: Keys = Keys::new(&["AuthorizationConfig", "FileSystemId", "RootDirectory"]);
const FSX_AUTH: Keys = Keys::new(&["CredentialsParameter", "Domain"]);
const PLACEMENT_CONSTRAINT: Keys = Keys::new(&["Expression", "Type"]);
const PROXY: Keys = Keys::new(&["ContainerName", "ProxyConfigurationProperties", "Type"]);
const ACCELERATOR: Keys = Keys::new(&["DeviceName", "DeviceType"]);
const RUNTIME_PLATFORM: Keys = Keys::new(&["CpuArchitecture", "OperatingSystemFamily"]);
const EPHEMERAL_STORAGE: Keys = Keys::new(&["SizeInGiB"]);

/// A task definition as the template describes it.
#[derive(Debug, Clone, Default)]
struct Spec {
    family: Option<String>,
    containers: Vec<ContainerDefinition>,
    cpu: Option<String>,
    memory: Option<String>,
    network_mode: Option<NetworkMode>,
    ipc_mode: Option<IpcMode>,
    pid_mode: Option<PidMode>,
    requires: Option<Vec<Compatibility>>,
    execution_role: Option<String>,
    task_role: Option<String>,
    volumes: Option<Vec<Volume>>,
    placement: Option<Vec<TaskDefinitionPlacementConstraint>>,
    proxy: Option<ProxyConfiguration>,
    accelerators: Option<Vec<InferenceAccelerator>>,
    runtime: Option<RuntimePlatform>,
    ephemeral: Option<EphemeralStorage>,
    fault_injection: Option<bool>,
    tags: Vec<(String, String)>,
}

impl Spec {
    fn apply(&self, b: RegisterTaskDefinitionFluentBuilder) -> RegisterTaskDefinitionFluentBuilder {
        b.set_container_definitions(Some(self.containers.clone()))
            .set_cpu(self.cpu.clone())
            .set_memory(self.memory.clone())
            .set_network_mode(self.network_mode.clone())
            .set_ipc_mode(self.ipc_mode.clone())
            .set_pid_mode(self.pid_mode.clone())
            .set_requires_compatibilities(self.requires.clone())
            .set_execution_role_arn(self.execution_role.clone())
            .set_task_role_arn(self.task_role.clone())
            .set_volumes(self.volumes.clone())
            .set_placement_constraints(self.placement.clone())
            .set_proxy_configuration(self.proxy.clone())
            .set_inference_accelerators(self.accelerators.clone())
            .set_runtime_platform(self.runtime.clone())
            .set_ephemeral_storage(self.ephemeral.clone())
            .set_enable_fault_injection(self.fault_injection)
    }
}

type R<T> = Result<T, ProviderError>;

fn parse(value: &Value, ctx: Ctx<'_>) -> R<Spec> {
    let p = Props::root(value, ctx, FIELDS)?;
    let containers = p
        .objs("ContainerDefinitions", CONTAINER)?
        .iter()
        .map(parse_container)
        .collect::<R<Vec<_>>>()?;
    let volumes = p
        .opt_objs("Volumes", VOLUME)?
        .map(|items| items.iter().map(parse_volume).collect::<R<Vec<_>>>())
        .transpose()?;
    let placement = p
        .opt_objs("PlacementConstraints", PLACEMENT_CONSTRAINT)?
        .map(|items| {
            items
                .iter()
                .map(|c| {
                    Ok(TaskDefinitionPlacementConstraint::builder()
                        .set_type(
                            c.str("Type")?
                                .map(|t| TaskDefinitionPlacementConstraintType::from(t.as_str())),
                        )
                        .set_expression(c.str("Expression")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let proxy = p
        .obj("ProxyConfiguration", PROXY)?
        .map(|x| {
            ProxyConfiguration::builder()
                .set_type(
                    x.str("Type")?
                        .map(|t| ProxyConfigurationType::from(t.as_str())),
                )
                .container_name(x.required_str("ContainerName")?)
                .set_properties(key_values(&x, "ProxyConfigurationProperties")?)
                .build()
                .map_err(|e| p.fatal("ProxyConfiguration", e))
        })
        .transpose()?;
    let accelerators = p
        .opt_objs("InferenceAccelerators", ACCELERATOR)?
        .map(|items| {
            items
                .iter()
                .map(|a| {
                    InferenceAccelerator::builder()
                        .device_name(a.required_str("DeviceName")?)
                        .device_type(a.required_str("DeviceType")?)
                        .build()
                        .map_err(|e| p.fatal("InferenceAccelerators", e))
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let runtime = p
        .obj("RuntimePlatform", RUNTIME_PLATFORM)?
        .map(|r| -> R<_> {
            Ok(RuntimePlatform::builder()
                .set_cpu_architecture(
                    r.str("CpuArchitecture")?
                        .map(|v| CpuArchitecture::from(v.as_str())),
                )
                .set_operating_system_family(
                    r.str("OperatingSystemFamily")?
                        .map(|v| OsFamily::from(v.as_str())),
                )
                .build())
        })
        .transpose()?;
    let ephemeral = p
        .obj("EphemeralStorage", EPHEMERAL_STORAGE)?
        .map(|e| -> R<_> {
            Ok(EphemeralStorage::builder()
                .set_size_in_gib(e.i32("SizeInGiB")?)
                .build())
        })
        .transpose()?;
    Ok(Spec {
        family: p.str("Family")?,
        containers,
        cpu: p.str("Cpu")?,
        memory: p.str("Memory")?,
        network_mode: p.str("NetworkMode")?.map(|v| NetworkMode::from(v.as_str())),
        ipc_mode: p.str("IpcMode")?.map(|v| IpcMode::from(v.as_str())),
        pid_mode: p.str("PidMode")?.map(|v| PidMode::from(v.as_str())),
        requires: p.strs("RequiresCompatibilities")?.map(|items| {
            items
                .iter()
                .map(|c| Compatibility::from(c.as_str()))
                .collect()
        }),
        execution_role: p.str("ExecutionRoleArn")?,
        task_role: p.str("TaskRoleArn")?,
        volumes,
        placement,
        proxy,
        accelerators,
        runtime,
        ephemeral,
        fault_injection: p.bool("EnableFaultInjection")?,
        tags: crate::providers::ecs::props::tags(&p, "Tags")?,
    })
}

fn parse_volume(v: &Props<'_>) -> R<Volume> {
    let host = v
        .obj("Host", HOST)?
        .map(|h| -> R<_> {
            Ok(HostVolumeProperties::builder()
                .set_source_path(h.str("SourcePath")?)
                .build())
        })
        .transpose()?;
    let docker = v
        .obj("DockerVolumeConfiguration", DOCKER_VOLUME)?
        .map(|d| -> R<_> {
            Ok(DockerVolumeConfiguration::builder()
                .set_scope(d.str("Scope")?.map(|s| Scope::from(s.as_str())))
                .set_autoprovision(d.bool("Autoprovision")?)
                .set_driver(d.str("Driver")?)
                .set_driver_opts(d.str_map("DriverOpts")?)
                .set_labels(d.str_map("Labels")?)
                .build())
        })
        .transpose()?;
    let efs = v
        .obj("EFSVolumeConfiguration", EFS_VOLUME)?
        .map(|e| {
            let auth = e
                .obj("AuthorizationConfig", EFS_AUTH)?
                .map(|a| -> R<_> {
                    Ok(EfsAuthorizationConfig::builder()
                        .set_access_point_id(a.str("AccessPointId")?)
                        .set_iam(
                            a.str("IAM")?
                                .map(|i| EfsAuthorizationConfigIam::from(i.as_str())),
                        )
                        .build())
                })
                .transpose()?;
            EfsVolumeConfiguration::builder()
                .file_system_id(e.required_str("FilesystemId")?)
                .set_root_directory(e.str("RootDirectory")?)
                .set_transit_encryption(
                    e.str("TransitEncryption")?
                        .map(|t| EfsTransitEncryption::from(t.as_str())),
                )
                .set_transit_encryption_port(e.i32("TransitEncryptionPort")?)
                .set_authorization_config(auth)
                .build()
                .map_err(|err| v.fatal("EFSVolumeConfiguration", err))
        })
        .transpose()?;
    let fsx = v
        .obj("FSxWindowsFileServerVolumeConfiguration", FSX_VOLUME)?
        .map(|f| {
            let auth = f
                .obj("AuthorizationConfig", FSX_AUTH)?
                .map(|a| {
                    FSxWindowsFileServerAuthorizationConfig::builder()
                        .credentials_parameter(a.required_str("CredentialsParameter")?)
                        .domain(a.required_str("Domain")?)
                        .build()
                        .map_err(|err| f.fatal("AuthorizationConfig", err))
                })
                .transpose()?;
            FSxWindowsFileServerVolumeConfiguration::builder()
                .file_system_id(f.required_str("FileSystemId")?)
                .root_directory(f.required_str("RootDirectory")?)
                .set_authorization_config(auth)
                .build()
                .map_err(|err| v.fatal("FSxWindowsFileServerVolumeConfiguration", err))
        })
        .transpose()?;
    Ok(Volume::builder()
        .set_name(v.str("Name")?)
        .set_host(host)
        .set_docker_volume_configuration(docker)
        .set_efs_volume_configuration(efs)
        .set_fsx_windows_file_server_volume_configuration(fsx)
        .set_configured_at_launch(v.bool("ConfiguredAtLaunch")?)
        .build())
}

/// The provider.
#[derive(Debug)]
pub(crate) struct TaskDefinitionProvider {
    pub(crate) ecs: Ecs,
}

impl kit::Provider for TaskDefinitionProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> R<ResourceOutput> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        if spec.containers.is_empty() {
            return Err(ctx.fatal("property ContainerDefinitions needs at least one container"));
        }
        let family = spec
            .family
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("Family is not set and no name was generated"))?;
        let tags = ecs_tags(ctx, &merge_tags(&spec.tags, &input.tags))?;
        let registered = spec
            .apply(self.ecs.client.register_task_definition().family(&family))
            .set_tags(Some(tags).filter(|t| !t.is_empty()))
            .send()
            .await
            .map_err(|e| {
                ctx.fail(
                    format!("registering task definition family {family}"),
                    self.ecs.api.err("RegisterTaskDefinition", e),
                )
            })?;
        let arn = registered
            .task_definition()
            .and_then(TaskDefinition::task_definition_arn)
            .ok_or_else(|| {
                ctx.fatal(format!(
                    "RegisterTaskDefinition of family {family} returned no task definition ARN"
                ))
            })?;
        Ok(output(arn))
    }

    async fn update(&self, input: &UpdateInput) -> R<ResourceOutput> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let strip = |v: &Value| {
            let mut v = v.clone();
            if let Some(m) = v.as_object_mut() {
                m.remove("Tags");
            }
            v
        };
        let (b, a) = (strip(&input.before), strip(&input.after));
        if !(covers(&b, &a) && covers(&a, &b)) {
            return Err(ctx.fatal(
                "a task definition revision cannot change in place (only Tags can); every other \
                 change registers a new revision, so the task definition must be replaced",
            ));
        }
        retag(
            &self.ecs,
            ctx,
            &input.physical_id,
            &merge_tags(&before.tags, &input.tags),
            &merge_tags(&after.tags, &input.tags),
        )
        .await?;
        Ok(output(&input.physical_id))
    }

    async fn delete(&self, input: &DeleteInput) -> R<()> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        match describe(&self.ecs, ctx, arn).await? {
            Some((td, _)) if td.status() == Some(&TaskDefinitionStatus::Active) => {}
            _ => return Ok(()),
        }
        match self
            .ecs
            .client
            .deregister_task_definition()
            .task_definition(arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.ecs.api.err("DeregisterTaskDefinition", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deregistering task definition {arn}"), err))
                }
            }
        }
    }

    async fn read(&self, items: &[ReadInput]) -> R<BTreeMap<String, Observation>> {
        let tasks = items
            .iter()
            .map(|item| read_one(self.ecs.clone(), item.clone()))
            .collect();
        Ok(kit::run_bounded(tasks, READ_CONCURRENCY)
            .await?
            .into_iter()
            .collect())
    }

    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        self.find_made(input).await
    }
}

fn output(arn: &str) -> ResourceOutput {
    ResourceOutput {
        physical_id: arn.to_owned(),
        attributes: BTreeMap::from([(
            "TaskDefinitionArn".to_owned(),
            Value::String(arn.to_owned()),
        )]),
    }
}

/// DescribeTaskDefinition with tags; `None` when ECS does not know it.
async fn describe(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    arn: &str,
) -> R<Option<(TaskDefinition, BTreeMap<String, String>)>> {
    match ecs
        .client
        .describe_task_definition()
        .task_definition(arn)
        .include(TaskDefinitionField::Tags)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .task_definition()
            .cloned()
            .map(|td| (td, tag_map(out.tags())))),
        Err(e) => {
            let err = ecs.api.err("DescribeTaskDefinition", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(ctx.fail(format!("describing task definition {arn}"), err))
            }
        }
    }
}

async fn read_one(ecs: Ecs, item: ReadInput) -> R<(String, Observation)> {
    let ctx = Ctx::new(TYPE, &item.address);
    let Some((td, tags)) = describe(&ecs, ctx, &item.physical_id).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    if td.status() != Some(&TaskDefinitionStatus::Active) {
        return Ok((item.address.clone(), Observation::Gone));
    }
    let mut props: Map<String, Value> = item.properties.as_object().cloned().unwrap_or_default();
    props.retain(|_, v| !v.is_null());
    if let Some(family) = td.family()
        && props
            .get("Family")
            .and_then(Value::as_str)
            .is_some_and(|f| f != family)
    {
        props.insert("Family".into(), Value::String(family.to_owned()));
    }
    if props.contains_key("Tags") {
        let prev = props.get("Tags").cloned();
        props.insert("Tags".into(), observed_tags(&tags, prev.as_ref()));
    }
    let arn = td.task_definition_arn().unwrap_or(&item.physical_id);
    Ok((
        item.address.clone(),
        Observation::Present {
            properties: Value::Object(props),
            attributes: output(arn).attributes,
        },
    ))
}

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> R<usize> {
    let spec = parse(value, Ctx::new(TYPE, "Test"))?;
    Ok(spec.containers.len())
}
