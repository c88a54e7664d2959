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
//! | `ContainerDefinitions` | `containerDefinitions`, every key mapped |
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
//!
//! Every property but `Family`, `ContainerDefinitions`' count and `Tags` is read by the
//! conversions generated from the schema (`generated/ecs.rs`, see `mappings.toml`).
//! | `Volumes[].S3FilesVolumeConfiguration`, `ContainerDefinitions[].ResourceRequirements[].SharingStrategy` | refused: the SDK in use has no field for them |
//!
//! `Ref` and `Fn::GetAtt TaskDefinitionArn` are the revision's ARN (`...:task-definition/family:3`).
//! A create that is retried after a lost answer registers one more revision of the family; the
//! earlier one stays registered, as an extra revision does in CloudFormation.
//!
//! Refresh calls DescribeTaskDefinition (with tags) for each ARN, at most eight at a time: a
//! revision that is not found or no longer `ACTIVE` is `Gone`; otherwise, the revision being
//! immutable, its properties are the last applied ones and only `Tags` is read back.

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::operation::register_task_definition::builders::RegisterTaskDefinitionFluentBuilder;
use aws_sdk_ecs::types::{
    ContainerDefinition, TaskDefinition, TaskDefinitionField, TaskDefinitionStatus,
};

use super::props::changed;
use super::{Ecs, R, Tags, ecs_tags, retag, tag_map};
use crate::generated::ecs::{
    CONTAINER_DEFINITION, TASK_DEFINITION, container_definition, register_task_definition,
};

mod find;

pub(crate) const TYPE: &str = "AWS::ECS::TaskDefinition";

// The provider, and what `infra types` lists for this type.
provider! {
    TaskDefinitionProvider,
    PerResource: "DescribeTaskDefinition with tags per ARN, 8 at a time",
    Name: "the newest ACTIVE revision of Family (ListTaskDefinitions), infra tags and properties checked",
}

/// A task definition as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    family: Option<String>,
    pub(super) containers: Vec<ContainerDefinition>,
    tags: Vec<(String, String)>,
    /// RegisterTaskDefinition with every other property set.
    request: RegisterTaskDefinitionFluentBuilder,
}

/// The template's properties; the request is built on `client`'s call, sending nothing.
pub(super) fn parse(value: &Value, ctx: Ctx<'_>, client: &aws_sdk_ecs::Client) -> R<Spec> {
    let p = Props::root(value, ctx, TASK_DEFINITION)?;
    let containers = p.objs("ContainerDefinitions", CONTAINER_DEFINITION)?;
    let containers: R<Vec<_>> = containers.iter().map(container_definition).collect();
    let containers = containers?;
    Ok(Spec {
        family: p.str("Family")?,
        request: register_task_definition(&p, client.register_task_definition())?,
        containers,
        tags: crate::providers::ecs::props::tags(&p, "Tags")?,
    })
}

impl kit::Provider for TaskDefinitionProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> R<ResourceOutput> {
        let spec = parse(&input.properties, ctx, &self.ecs.client)?;
        if spec.containers.is_empty() {
            return Err(ctx.fatal("property ContainerDefinitions needs at least one container"));
        }
        let family = kit::create_name(ctx, spec.family.as_ref(), input, "Family")?;
        let tags = ecs_tags(ctx, &merge_tags(&spec.tags, &input.tags))?;
        let request = spec.request.family(&family);
        let request = request.set_container_definitions(Some(spec.containers));
        let request = request.set_tags(tags);
        let doing = format!("registering task definition family {family}");
        let registered = send!(&self.ecs, ctx, request, doing)?;
        let td = registered.task_definition();
        let arn = td.and_then(TaskDefinition::task_definition_arn);
        let what = "returned no task definition ARN";
        let no_arn = || ctx.fatal(format!("RegisterTaskDefinition of family {family} {what}"));
        Ok(output(arn.ok_or_else(no_arn)?))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> R<ResourceOutput> {
        let before = parse(&input.before, ctx, &self.ecs.client)?;
        let after = parse(&input.after, ctx, &self.ecs.client)?;
        let (b, a) = (&input.before, &input.after);
        let mut keys = managed_keys(b).into_iter().chain(managed_keys(a));
        if keys.any(|k| k != "Tags" && changed(b, a, &k)) {
            return Err(ctx.fatal(
                "a task definition revision cannot change in place (only Tags can); every other \
                 change registers a new revision, so the task definition must be replaced",
            ));
        }
        let tags = |s: &Spec| merge_tags(&s.tags, &input.tags);
        let id = &input.physical_id;
        retag(&self.ecs, ctx, id, &tags(&before), &tags(&after)).await?;
        Ok(output(&input.physical_id))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> R<()> {
        let arn = input.physical_id.as_str();
        match describe(&self.ecs, ctx, arn).await? {
            Some((td, _)) if td.status() == Some(&TaskDefinitionStatus::Active) => {}
            _ => return Ok(()),
        }
        let request = self.ecs.client.deregister_task_definition();
        let sent = request.task_definition(arn).send();
        let doing = format!("deregistering task definition {arn}");
        sent.deleted(&self.ecs, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(&self.ecs, items, read_one).await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        self.find_made(input).await
    }
}

fn output(arn: &str) -> ResourceOutput {
    output_of(arn, [("TaskDefinitionArn", json!(arn))])
}

/// DescribeTaskDefinition with tags; `None` when ECS does not know it.
async fn describe(ecs: &Ecs, ctx: Ctx<'_>, arn: &str) -> R<Option<(TaskDefinition, Tags)>> {
    let request = ecs.client.describe_task_definition().task_definition(arn);
    let sent = request.include(TaskDefinitionField::Tags).send();
    let doing = format!("describing task definition {arn}");
    let found = kit::found(ecs, ctx, doing, sent).await?;
    Ok(found.and_then(|out| {
        let tags = tag_map(out.tags());
        out.task_definition.map(|td| (td, tags))
    }))
}

/// The revision as refresh reports it; `None` when it is gone or no longer `ACTIVE`.
async fn read_one(ecs: Ecs, item: ReadInput) -> R<Option<Observation>> {
    let ctx = Ctx::new(TYPE, &item.address);
    let found = describe(&ecs, ctx, &item.physical_id).await?;
    let active = |(td, _): &(TaskDefinition, _)| td.status() == Some(&TaskDefinitionStatus::Active);
    let Some((td, tags)) = found.filter(active) else {
        return Ok(None);
    };
    let mut props: Map<String, Value> = item.properties.as_object().cloned().unwrap_or_default();
    props.retain(|_, v| !v.is_null());
    let given = props.get("Family").and_then(Value::as_str);
    if let Some(family) = td.family()
        && given.is_some_and(|f| f != family)
    {
        props.insert("Family".into(), json!(family));
    }
    if let Some(prev) = props.get("Tags") {
        let tags = observed_tags(&tags, Some(prev));
        props.insert("Tags".into(), tags);
    }
    let arn = td.task_definition_arn().unwrap_or(&item.physical_id);
    let (properties, attributes) = (Value::Object(props), output(arn).attributes);
    Ok(Some(Observation::Present {
        properties,
        attributes,
    }))
}
