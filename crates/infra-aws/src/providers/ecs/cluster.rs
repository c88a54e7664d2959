//! `AWS::ECS::Cluster`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `ClusterName` | CreateCluster (else the generated name) | create-only (replacement) |
//! | `ClusterSettings` (`containerInsights`) | CreateCluster | UpdateCluster (a setting removed: `disabled`) |
//! | `Configuration` (`ExecuteCommandConfiguration`, `ManagedStorageConfiguration`) | CreateCluster | UpdateCluster (removed: execute-command logging `DEFAULT`) |
//! | `CapacityProviders`, `DefaultCapacityProviderStrategy` | CreateCluster | PutClusterCapacityProviders (removed: empty lists) |
//! | `ServiceConnectDefaults` (`Namespace`) | CreateCluster | UpdateCluster (removed: the empty namespace, which ECS documents as removing it) |
//! | `Tags` | CreateCluster, with infra's tags | TagResource / UntagResource |
//!
//! `Ref` is the cluster name; `Fn::GetAtt Arn` the cluster ARN. A create returns once the
//! cluster is `ACTIVE` and its capacity provider attachments settled. CreateCluster is retried
//! for up to two minutes while ECS's service-linked role is not usable yet ("Unable to assume
//! the service linked role", on an account's first cluster). When the name is taken by an
//! active cluster that carries this resource's `infra:*` tags (an earlier attempt made it), the
//! cluster is adopted and brought to the template; any other cluster of that name is an error.
//!
//! Delete: DeleteCluster, then wait until it is `INACTIVE` or gone. A cluster that still has
//! services, tasks, container instances or capacity providers is refused by ECS
//! (`ClusterContains*Exception`): that is a [`DependencyViolation`], which the engine retries
//! while those drain.
//!
//! [`DependencyViolation`]: crate::provider::FailureClass::DependencyViolation

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{
    CapacityProviderStrategyItem, Cluster, ClusterConfiguration, ClusterField,
    ClusterServiceConnectDefaultsRequest, ClusterSetting, ClusterSettingName,
    ExecuteCommandConfiguration, ExecuteCommandLogConfiguration, ExecuteCommandLogging,
    ManagedStorageConfiguration,
};
use serde_json::{Map, Value, json};

use super::props::{self, Fields, Obj, observed, put, s};
use super::{
    BUSY_TIMEOUT, Ecs, INACTIVE, WAIT_TIMEOUT, ecs_tags, fail, fail_referencing, is_not_found,
    render_strategy, retag, retry_while, strategy, tag_map,
};
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};
use crate::providers::iam::common::{self, Ctx, managed_keys, merge_tags, observed_tags, owned_by};

pub(crate) const TYPE: &str = "AWS::ECS::Cluster";

pub(super) const FIELDS: Fields = Fields::new(&[
    "CapacityProviders",
    "ClusterName",
    "ClusterSettings",
    "Configuration",
    "DefaultCapacityProviderStrategy",
    "ServiceConnectDefaults",
    "Tags",
])
.and_attributes(&[(
    "Arn",
    "Arn is an attribute of the cluster (Fn::GetAtt), not a property to set",
)]);
const SETTING: Fields = Fields::new(&["Name", "Value"]);
const CONFIGURATION: Fields =
    Fields::new(&["ExecuteCommandConfiguration", "ManagedStorageConfiguration"]);
const EXECUTE_COMMAND: Fields = Fields::new(&["KmsKeyId", "LogConfiguration", "Logging"]);
const EXECUTE_COMMAND_LOG: Fields = Fields::new(&[
    "CloudWatchEncryptionEnabled",
    "CloudWatchLogGroupName",
    "S3BucketName",
    "S3EncryptionEnabled",
    "S3KeyPrefix",
]);
const MANAGED_STORAGE: Fields = Fields::new(&["FargateEphemeralStorageKmsKeyId", "KmsKeyId"]);
const SERVICE_CONNECT: Fields = Fields::new(&["Namespace"]);

/// DescribeClusters takes at most 100 clusters per call.
const CLUSTERS_PER_CALL: usize = 100;

/// A cluster as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
struct ClusterSpec {
    name: Option<String>,
    settings: Option<Vec<ClusterSetting>>,
    configuration: Option<ClusterConfiguration>,
    capacity_providers: Option<Vec<String>>,
    default_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    service_connect_namespace: Option<String>,
    tags: Vec<(String, String)>,
}

impl ClusterSpec {
    fn has_capacity_providers(&self) -> bool {
        self.capacity_providers.is_some() || self.default_strategy.is_some()
    }
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<ClusterSpec, ProviderError> {
    let props = Obj::root(value, ctx, FIELDS)?;
    let settings = props
        .opt_objs("ClusterSettings", SETTING)?
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    Ok(ClusterSetting::builder()
                        .name(ClusterSettingName::from(item.req_str("Name")?.as_str()))
                        .value(item.req_str("Value")?)
                        .build())
                })
                .collect::<Result<Vec<_>, ProviderError>>()
        })
        .transpose()?;
    let configuration = props
        .obj("Configuration", CONFIGURATION)?
        .map(|c| parse_configuration(&c))
        .transpose()?;
    let service_connect_namespace = props
        .obj("ServiceConnectDefaults", SERVICE_CONNECT)?
        .map(|d| d.req_str("Namespace"))
        .transpose()?;
    Ok(ClusterSpec {
        name: props.str("ClusterName")?,
        settings,
        configuration,
        capacity_providers: props.strs("CapacityProviders")?,
        default_strategy: strategy(&props, "DefaultCapacityProviderStrategy")?,
        service_connect_namespace,
        tags: props.tags("Tags")?,
    })
}

fn parse_configuration(c: &Obj<'_>) -> Result<ClusterConfiguration, ProviderError> {
    let execute = c
        .obj("ExecuteCommandConfiguration", EXECUTE_COMMAND)?
        .map(|e| -> Result<_, ProviderError> {
            let log = e
                .obj("LogConfiguration", EXECUTE_COMMAND_LOG)?
                .map(|l| -> Result<_, ProviderError> {
                    Ok(ExecuteCommandLogConfiguration::builder()
                        .set_cloud_watch_log_group_name(l.str("CloudWatchLogGroupName")?)
                        .set_cloud_watch_encryption_enabled(l.bool("CloudWatchEncryptionEnabled")?)
                        .set_s3_bucket_name(l.str("S3BucketName")?)
                        .set_s3_encryption_enabled(l.bool("S3EncryptionEnabled")?)
                        .set_s3_key_prefix(l.str("S3KeyPrefix")?)
                        .build())
                })
                .transpose()?;
            Ok(ExecuteCommandConfiguration::builder()
                .set_kms_key_id(e.str("KmsKeyId")?)
                .set_logging(
                    e.str("Logging")?
                        .map(|l| ExecuteCommandLogging::from(l.as_str())),
                )
                .set_log_configuration(log)
                .build())
        })
        .transpose()?;
    let storage = c
        .obj("ManagedStorageConfiguration", MANAGED_STORAGE)?
        .map(|m| -> Result<_, ProviderError> {
            Ok(ManagedStorageConfiguration::builder()
                .set_kms_key_id(m.str("KmsKeyId")?)
                .set_fargate_ephemeral_storage_kms_key_id(m.str("FargateEphemeralStorageKmsKeyId")?)
                .build())
        })
        .transpose()?;
    Ok(ClusterConfiguration::builder()
        .set_execute_command_configuration(execute)
        .set_managed_storage_configuration(storage)
        .build())
}

/// The provider.
#[derive(Debug)]
pub(crate) struct ClusterProvider {
    pub(crate) ecs: Ecs,
}

impl ClusterProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("ClusterName is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);

        // CreateCluster returns an active cluster of the same name as if it had made it: look
        // first, so that only a cluster this resource made is ever taken over.
        if let Some(found) = describe_one(&self.ecs, ctx, &name).await?
            && found.status() != Some(INACTIVE)
        {
            if !owned_by(&tag_map(found.tags()), &input.tags) {
                return Err(ctx.fatal(format!(
                    "creating cluster {name}: a cluster of that name already exists and was not \
                     made for this resource (it lacks its infra:* tags); choose another \
                     ClusterName or import it"
                )));
            }
            let before = ClusterSpec {
                tags: tag_map(found.tags()).into_iter().collect(),
                ..ClusterSpec::default()
            };
            let arn = found.cluster_arn().unwrap_or_default().to_owned();
            self.apply(
                ctx,
                &name,
                &arn,
                &before,
                &spec,
                &BTreeMap::new(),
                &input.tags,
            )
            .await?;
            let cluster = wait_settled(&self.ecs, ctx, &name).await?;
            return Ok(output(&cluster));
        }

        let client = &self.ecs.client;
        let tag_list = ecs_tags(ctx, &tags)?;
        let service_connect = spec
            .service_connect_namespace
            .as_deref()
            .map(|ns| service_connect_defaults(ctx, ns))
            .transpose()?;
        common::retry_eventual(|| async {
            client
                .create_cluster()
                .cluster_name(&name)
                .set_tags(Some(tag_list.clone()).filter(|t| !t.is_empty()))
                .set_settings(spec.settings.clone())
                .set_configuration(spec.configuration.clone())
                .set_capacity_providers(spec.capacity_providers.clone())
                .set_default_capacity_provider_strategy(spec.default_strategy.clone())
                .set_service_connect_defaults(service_connect.clone())
                .send()
                .await
                .map_err(|e| {
                    fail_referencing(
                        ctx,
                        format!("creating cluster {name}"),
                        self.ecs.api.err("CreateCluster", e),
                    )
                })
        })
        .await?;
        let cluster = wait_settled(&self.ecs, ctx, &name).await?;
        Ok(output(&cluster))
    }

    /// Brings cluster `name` from `before` to `after`; `before_infra` / `after_infra` are
    /// infra's tags (recorded at create / now).
    #[allow(clippy::too_many_arguments)]
    async fn apply(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        arn: &str,
        before: &ClusterSpec,
        after: &ClusterSpec,
        before_infra: &BTreeMap<String, String>,
        after_infra: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let client = &self.ecs.client;
        let settings_changed = before.settings != after.settings;
        let configuration_changed = before.configuration != after.configuration;
        let namespace_changed = before.service_connect_namespace != after.service_connect_namespace;
        if settings_changed || configuration_changed || namespace_changed {
            let settings = settings_changed.then(|| {
                let mut settings = after.settings.clone().unwrap_or_default();
                // A setting the template no longer names goes back to its default.
                for old in before.settings.iter().flatten() {
                    if !settings.iter().any(|s| s.name() == old.name()) {
                        settings.push(
                            ClusterSetting::builder()
                                .set_name(old.name().cloned())
                                .value("disabled")
                                .build(),
                        );
                    }
                }
                settings
            });
            let configuration = configuration_changed.then(|| {
                after.configuration.clone().unwrap_or_else(|| {
                    ClusterConfiguration::builder()
                        .execute_command_configuration(
                            ExecuteCommandConfiguration::builder()
                                .logging(ExecuteCommandLogging::Default)
                                .build(),
                        )
                        .build()
                })
            });
            let namespace = namespace_changed
                .then(|| {
                    service_connect_defaults(
                        ctx,
                        after
                            .service_connect_namespace
                            .as_deref()
                            .unwrap_or_default(),
                    )
                })
                .transpose()?;
            retry_while(
                &[FailureClass::DependencyViolation],
                BUSY_TIMEOUT,
                || async {
                    client
                        .update_cluster()
                        .cluster(name)
                        .set_settings(settings.clone())
                        .set_configuration(configuration.clone())
                        .set_service_connect_defaults(namespace.clone())
                        .send()
                        .await
                        .map_err(|e| {
                            fail(
                                ctx,
                                format!("updating cluster {name}"),
                                self.ecs.api.err("UpdateCluster", e),
                            )
                        })
                },
            )
            .await?;
        }
        if (before.capacity_providers != after.capacity_providers
            || before.default_strategy != after.default_strategy)
            && (before.has_capacity_providers() || after.has_capacity_providers())
        {
            put_capacity_providers(
                &self.ecs,
                ctx,
                name,
                after.capacity_providers.clone().unwrap_or_default(),
                after.default_strategy.clone().unwrap_or_default(),
            )
            .await?;
        }
        retag(
            &self.ecs,
            ctx,
            arn,
            &merge_tags(&before.tags, before_infra),
            &merge_tags(&after.tags, after_infra),
        )
        .await
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        if after.name.as_deref().is_some_and(|n| n != name) {
            return Err(
                ctx.fatal("ClusterName cannot change in place; the cluster must be replaced")
            );
        }
        let found = describe_one(&self.ecs, ctx, name)
            .await?
            .filter(|c| c.status() != Some(INACTIVE))
            .ok_or_else(|| {
                ctx.error(
                    FailureClass::NotFound,
                    format!("cluster {name} does not exist"),
                )
            })?;
        let arn = found.cluster_arn().unwrap_or_default().to_owned();
        self.apply(ctx, name, &arn, &before, &after, &input.tags, &input.tags)
            .await?;
        let cluster = wait_settled(&self.ecs, ctx, name).await?;
        Ok(output(&cluster))
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = input.physical_id.as_str();
        match self.ecs.client.delete_cluster().cluster(name).send().await {
            Ok(_) => {}
            Err(e) => {
                let err = self.ecs.api.err("DeleteCluster", e);
                if is_not_found(&err) {
                    return Ok(());
                }
                return Err(fail(ctx, format!("deleting cluster {name}"), err));
            }
        }
        let gone = common::poll(WAIT_TIMEOUT, || async {
            Ok(match describe_one(&self.ecs, ctx, name).await? {
                None => Some(()),
                Some(c) if c.status() == Some(INACTIVE) => Some(()),
                Some(_) => None,
            })
        })
        .await?;
        gone.ok_or_else(|| {
            ctx.error(
                FailureClass::Retryable,
                format!(
                    "cluster {name} was still not INACTIVE {WAIT_TIMEOUT:?} after DeleteCluster"
                ),
            )
        })
    }

    async fn do_read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let ids: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let found = describe_clusters(
            &self.ecs,
            TYPE,
            &ids,
            &[
                ClusterField::Tags,
                ClusterField::Settings,
                ClusterField::Configurations,
            ],
        )
        .await?;
        Ok(items
            .iter()
            .map(|item| {
                let obs = match find(&found, &item.physical_id) {
                    Some(c) if c.status() != Some(INACTIVE) => observe(c, item),
                    _ => Observation::Gone,
                };
                (item.address.clone(), obs)
            })
            .collect())
    }
}

provider_impl!(ClusterProvider, TYPE);

pub(super) fn output(cluster: &Cluster) -> ResourceOutput {
    ResourceOutput {
        physical_id: cluster.cluster_name().unwrap_or_default().to_owned(),
        attributes: attributes(cluster),
    }
}

fn attributes(cluster: &Cluster) -> BTreeMap<String, Value> {
    BTreeMap::from([("Arn".to_owned(), s(cluster.cluster_arn()))])
}

fn observe(cluster: &Cluster, item: &ReadInput) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut out = Map::new();
    for key in &managed {
        let found = match key.as_str() {
            "ClusterName" => s(cluster.cluster_name()),
            "ClusterSettings" => Value::Array(
                cluster
                    .settings()
                    .iter()
                    .map(|s| json!({"Name": s.name().map(|n| n.as_str()), "Value": s.value()}))
                    .collect(),
            ),
            "Configuration" => cluster
                .configuration()
                .map_or(Value::Null, render_configuration),
            "CapacityProviders" => json!(cluster.capacity_providers()),
            "DefaultCapacityProviderStrategy" => {
                render_strategy(cluster.default_capacity_provider_strategy())
            }
            // Write-only in CloudFormation's schema (ECS returns the namespace's ARN, the
            // template may name it): reported as last applied.
            "ServiceConnectDefaults" => prev(key).cloned().unwrap_or(Value::Null),
            "Tags" => {
                out.insert(
                    key.clone(),
                    observed_tags(&tag_map(cluster.tags()), prev(key)),
                );
                continue;
            }
            _ => continue,
        };
        put(&mut out, key, observed(found, prev(key)));
    }
    Observation::Present {
        properties: Value::Object(out),
        attributes: attributes(cluster),
    }
}

fn render_configuration(c: &ClusterConfiguration) -> Value {
    let mut out = Map::new();
    if let Some(e) = c.execute_command_configuration() {
        let mut ec = Map::new();
        put(&mut ec, "KmsKeyId", s(e.kms_key_id()));
        put(&mut ec, "Logging", s(e.logging().map(|l| l.as_str())));
        if let Some(l) = e.log_configuration() {
            ec.insert(
                "LogConfiguration".into(),
                json!({
                    "CloudWatchEncryptionEnabled": l.cloud_watch_encryption_enabled(),
                    "CloudWatchLogGroupName": l.cloud_watch_log_group_name(),
                    "S3BucketName": l.s3_bucket_name(),
                    "S3EncryptionEnabled": l.s3_encryption_enabled(),
                    "S3KeyPrefix": l.s3_key_prefix(),
                }),
            );
        }
        out.insert("ExecuteCommandConfiguration".into(), Value::Object(ec));
    }
    if let Some(m) = c.managed_storage_configuration() {
        let mut ms = Map::new();
        put(&mut ms, "KmsKeyId", s(m.kms_key_id()));
        put(
            &mut ms,
            "FargateEphemeralStorageKmsKeyId",
            s(m.fargate_ephemeral_storage_kms_key_id()),
        );
        out.insert("ManagedStorageConfiguration".into(), Value::Object(ms));
    }
    Value::Object(out)
}

/// The Service Connect defaults naming `namespace` (the empty name removes them).
fn service_connect_defaults(
    ctx: Ctx<'_>,
    namespace: &str,
) -> Result<ClusterServiceConnectDefaultsRequest, ProviderError> {
    ClusterServiceConnectDefaultsRequest::builder()
        .namespace(namespace)
        .build()
        .map_err(|e| ctx.fatal(format!("property ServiceConnectDefaults: {e}")))
}

/// PutClusterCapacityProviders, tried again while another update of the cluster is in progress
/// or the cluster is still provisioning, then waits until the cluster's attachments settle.
pub(super) async fn put_capacity_providers(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    cluster: &str,
    providers: Vec<String>,
    default_strategy: Vec<CapacityProviderStrategyItem>,
) -> Result<Cluster, ProviderError> {
    retry_while(
        &[FailureClass::DependencyViolation, FailureClass::Retryable],
        BUSY_TIMEOUT,
        || async {
            ecs.client
                .put_cluster_capacity_providers()
                .cluster(cluster)
                .set_capacity_providers(Some(providers.clone()))
                .set_default_capacity_provider_strategy(Some(default_strategy.clone()))
                .send()
                .await
                .map_err(|e| {
                    fail_referencing(
                        ctx,
                        format!("putting the capacity providers of cluster {cluster}"),
                        ecs.api.err("PutClusterCapacityProviders", e),
                    )
                })
        },
    )
    .await?;
    wait_settled(ecs, ctx, cluster).await
}

/// Waits (bounded) until cluster `name` is `ACTIVE` and its attachments (the capacity
/// providers' scaling plans) are no longer being updated; fails when it is gone or an
/// attachment update failed.
pub(super) async fn wait_settled(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Cluster, ProviderError> {
    let last_state = std::sync::Mutex::new(String::from("not visible yet"));
    let settled = common::poll(WAIT_TIMEOUT, || {
        let last_state = &last_state;
        async move {
            let found = describe_clusters(
                ecs,
                ctx.type_name,
                &[name.to_owned()],
                &[ClusterField::Attachments],
            )
            .await?;
            let Some(cluster) = find(&found, name) else {
                return Ok(None);
            };
            let status = cluster.status().unwrap_or_default();
            let attachments = cluster.attachments_status().unwrap_or_default();
            if let Ok(mut last) = last_state.lock() {
                *last = format!("status {status}, attachments {attachments}");
            }
            if status == INACTIVE || status == "FAILED" {
                return Err(ctx.fatal(format!("cluster {name} is {status}")));
            }
            if attachments == "UPDATE_FAILED" {
                let failed: Vec<String> = cluster
                    .attachments()
                    .iter()
                    .filter(|a| a.status() == Some("FAILED"))
                    .map(|a| {
                        format!(
                            "{} {} {:?}",
                            a.r#type().unwrap_or_default(),
                            a.id().unwrap_or_default(),
                            a.details()
                                .iter()
                                .map(|d| format!(
                                    "{}={}",
                                    d.name().unwrap_or_default(),
                                    d.value().unwrap_or_default()
                                ))
                                .collect::<Vec<_>>()
                        )
                    })
                    .collect();
                return Err(ctx.fatal(format!(
                    "the capacity provider attachments of cluster {name} failed to update: {}",
                    failed.join("; ")
                )));
            }
            // `attachmentsStatus` is ECS's documented summary of the capacity providers'
            // attachments: UPDATE_IN_PROGRESS, UPDATE_COMPLETE or UPDATE_FAILED.
            let busy = attachments == "UPDATE_IN_PROGRESS";
            Ok((status == "ACTIVE" && !busy).then(|| cluster.clone()))
        }
    })
    .await?;
    settled.ok_or_else(|| {
        let last = last_state.lock().map(|l| l.clone()).unwrap_or_default();
        ctx.error(
            FailureClass::Retryable,
            format!("cluster {name} did not settle within {WAIT_TIMEOUT:?} ({last})"),
        )
    })
}

/// One cluster by name or ARN (with its tags); `None` when ECS does not know it.
pub(super) async fn describe_one(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Cluster>, ProviderError> {
    let found = describe_clusters(
        ecs,
        ctx.type_name,
        &[name.to_owned()],
        &[ClusterField::Tags],
    )
    .await?;
    Ok(find(&found, name).cloned())
}

/// DescribeClusters for every id (name or ARN), 100 per call. Missing clusters are simply not
/// in the answer.
pub(super) async fn describe_clusters(
    ecs: &Ecs,
    type_name: &'static str,
    ids: &[String],
    include: &[ClusterField],
) -> Result<Vec<Cluster>, ProviderError> {
    let ctx = Ctx::new(type_name, "(refresh)");
    let mut out = Vec::new();
    let mut unique: Vec<String> = ids.to_vec();
    unique.sort();
    unique.dedup();
    for chunk in unique.chunks(CLUSTERS_PER_CALL) {
        let answer = ecs
            .client
            .describe_clusters()
            .set_clusters(Some(chunk.to_vec()))
            .set_include(Some(include.to_vec()))
            .send()
            .await
            .map_err(|e| {
                fail(
                    ctx,
                    format!("describing clusters {}", chunk.join(", ")),
                    ecs.api.err("DescribeClusters", e),
                )
            })?;
        out.extend(answer.clusters().iter().cloned());
    }
    Ok(out)
}

/// The cluster `id` (a name or an ARN) names among `clusters`.
pub(super) fn find<'c>(clusters: &'c [Cluster], id: &str) -> Option<&'c Cluster> {
    clusters
        .iter()
        .find(|c| c.cluster_arn() == Some(id) || c.cluster_name() == Some(props::short_name(id)))
}
