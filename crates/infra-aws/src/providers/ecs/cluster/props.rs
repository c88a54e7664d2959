//! `AWS::ECS::Cluster` properties: the supported and refused (`FIELDS`) tables, the
//! [`ClusterSpec`] a template describes, the template's properties parsed into the API's types,
//! and the Service Connect defaults request a namespace names.

use aws_sdk_ecs::types::{
    CapacityProviderStrategyItem, ClusterConfiguration, ClusterServiceConnectDefaultsRequest,
    ClusterSetting, ClusterSettingName, ExecuteCommandConfiguration,
    ExecuteCommandLogConfiguration, ExecuteCommandLogging, ManagedStorageConfiguration,
};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::ecs::strategy;
use crate::providers::kit::Ctx;
use crate::providers::kit::{Keys, Props};

pub(in crate::providers::ecs) const FIELDS: Keys = Keys::new(&[
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
const SETTING: Keys = Keys::new(&["Name", "Value"]);
const CONFIGURATION: Keys =
    Keys::new(&["ExecuteCommandConfiguration", "ManagedStorageConfiguration"]);
const EXECUTE_COMMAND: Keys = Keys::new(&["KmsKeyId", "LogConfiguration", "Logging"]);
const EXECUTE_COMMAND_LOG: Keys = Keys::new(&[
    "CloudWatchEncryptionEnabled",
    "CloudWatchLogGroupName",
    "S3BucketName",
    "S3EncryptionEnabled",
    "S3KeyPrefix",
]);
const MANAGED_STORAGE: Keys = Keys::new(&["FargateEphemeralStorageKmsKeyId", "KmsKeyId"]);
const SERVICE_CONNECT: Keys = Keys::new(&["Namespace"]);

/// A cluster as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ClusterSpec {
    pub(super) name: Option<String>,
    pub(super) settings: Option<Vec<ClusterSetting>>,
    pub(super) configuration: Option<ClusterConfiguration>,
    pub(super) capacity_providers: Option<Vec<String>>,
    pub(super) default_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    pub(super) service_connect_namespace: Option<String>,
    pub(super) tags: Vec<(String, String)>,
}

impl ClusterSpec {
    pub(super) fn has_capacity_providers(&self) -> bool {
        self.capacity_providers.is_some() || self.default_strategy.is_some()
    }
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<ClusterSpec, ProviderError> {
    let props = Props::root(value, ctx, FIELDS)?;
    let settings = props
        .opt_objs("ClusterSettings", SETTING)?
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    Ok(ClusterSetting::builder()
                        .name(ClusterSettingName::from(
                            item.required_str("Name")?.as_str(),
                        ))
                        .value(item.required_str("Value")?)
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
        .map(|d| d.required_str("Namespace"))
        .transpose()?;
    Ok(ClusterSpec {
        name: props.str("ClusterName")?,
        settings,
        configuration,
        capacity_providers: props.strs("CapacityProviders")?,
        default_strategy: strategy(&props, "DefaultCapacityProviderStrategy")?,
        service_connect_namespace,
        tags: crate::providers::ecs::props::tags(&props, "Tags")?,
    })
}

fn parse_configuration(c: &Props<'_>) -> Result<ClusterConfiguration, ProviderError> {
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

/// The Service Connect defaults naming `namespace` (the empty name removes them).
pub(super) fn service_connect_defaults(
    ctx: Ctx<'_>,
    namespace: &str,
) -> Result<ClusterServiceConnectDefaultsRequest, ProviderError> {
    ClusterServiceConnectDefaultsRequest::builder()
        .namespace(namespace)
        .build()
        .map_err(|e| ctx.fatal(format!("property ServiceConnectDefaults: {e}")))
}
