//! Which attributes `Fn::GetAtt` accepts, computed the way cfn-lint 1.58.0 does
//! (`cfnlint/schema/_getatts.py`):
//!
//! - for the types in [`ALL_PROPERTY_TYPES`], every property is an attribute:
//!   objects are walked into (nested names are dotted), arrays count unless
//!   their items are declared `object` or `array`, everything else counts;
//! - for other types, every `readOnlyProperties` entry is an attribute, plus
//!   the extra names in [`EXTRA_ATTRIBUTES`].
//!
//! One difference: where cfn-lint would recurse forever through a recursive
//! definition, the walk stops at the definition that repeats.

use serde_json::Value;

use crate::refs;

/// Types whose every property can be read with `Fn::GetAtt`, not only their
/// `readOnlyProperties` (`_all_property_types` in cfn-lint).
pub const ALL_PROPERTY_TYPES: &[&str] = &[
    "AWS::Amplify::Branch",
    "AWS::Amplify::Domain",
    "AWS::AppSync::DomainName",
    "AWS::AppSync::FunctionConfiguration",
    "AWS::AppSync::Resolver",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Backup::LogicallyAirGappedBackupVault",
    "AWS::CodeArtifact::Domain",
    "AWS::CodeArtifact::Repository",
    "AWS::EC2::CapacityReservation",
    "AWS::EC2::Instance",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::EFS::MountTarget",
    "AWS::EKS::Nodegroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::Events::EventBus",
    "AWS::EventSchemas::Discoverer",
    "AWS::EventSchemas::Registry",
    "AWS::EventSchemas::Schema",
    "AWS::GameLift::GameSessionQueue",
    "AWS::GameLift::MatchmakingConfiguration",
    "AWS::GameLift::MatchmakingRuleSet",
    "AWS::Grafana::Workspace",
    "AWS::Greengrass::ConnectorDefinition",
    "AWS::Greengrass::CoreDefinition",
    "AWS::Greengrass::DeviceDefinition",
    "AWS::Greengrass::FunctionDefinition",
    "AWS::Greengrass::Group",
    "AWS::Greengrass::LoggerDefinition",
    "AWS::Greengrass::ResourceDefinition",
    "AWS::Greengrass::SubscriptionDefinition",
    "AWS::ImageBuilder::Component",
    "AWS::ImageBuilder::ContainerRecipe",
    "AWS::ImageBuilder::DistributionConfiguration",
    "AWS::ImageBuilder::ImagePipeline",
    "AWS::ImageBuilder::ImageRecipe",
    "AWS::ImageBuilder::InfrastructureConfiguration",
    "AWS::ManagedBlockchain::Node",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBParameterGroup",
    "AWS::RedshiftServerless::Workgroup",
    "AWS::RoboMaker::RobotApplication",
    "AWS::RoboMaker::SimulationApplication",
    "AWS::Route53Resolver::ResolverRule",
    "AWS::Route53Resolver::ResolverRuleAssociation",
    "AWS::S3::AccessPoint",
    "AWS::SageMaker::DataQualityJobDefinition",
    "AWS::SageMaker::ModelBiasJobDefinition",
    "AWS::SageMaker::ModelExplainabilityJobDefinition",
    "AWS::SageMaker::ModelQualityJobDefinition",
    "AWS::SageMaker::MonitoringSchedule",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
    "AWS::StepFunctions::Activity",
];

/// Top-level properties that `Fn::GetAtt` accepts although the schema does not
/// list them as read-only (`_exceptions` in cfn-lint).
pub const EXTRA_ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "AWS::AppMesh::GatewayRoute",
        &[
            "GatewayRouteName",
            "MeshName",
            "MeshOwner",
            "VirtualGatewayName",
        ],
    ),
    ("AWS::AppMesh::Mesh", &["MeshName"]),
    (
        "AWS::AppMesh::Route",
        &["MeshName", "MeshOwner", "RouteName", "VirtualRouterName"],
    ),
    (
        "AWS::AppMesh::VirtualGateway",
        &["MeshName", "MeshOwner", "VirtualGatewayName"],
    ),
    (
        "AWS::AppMesh::VirtualNode",
        &["MeshName", "MeshOwner", "VirtualNodeName"],
    ),
    (
        "AWS::AppMesh::VirtualRouter",
        &["MeshName", "MeshOwner", "VirtualRouterName"],
    ),
    (
        "AWS::AppMesh::VirtualService",
        &["MeshName", "MeshOwner", "VirtualServiceName"],
    ),
    ("AWS::AppSync::DataSource", &["Name"]),
    ("AWS::Cloud9::EnvironmentEC2", &["Name"]),
    ("AWS::CloudWatch::InsightRule", &["RuleName"]),
    ("AWS::DocDB::DBCluster", &["Port"]),
    ("AWS::Greengrass::ConnectorDefinition", &["Name"]),
    ("AWS::Greengrass::CoreDefinition", &["Name"]),
    ("AWS::Greengrass::DeviceDefinition", &["Name"]),
    ("AWS::Greengrass::FunctionDefinition", &["Name"]),
    ("AWS::Greengrass::Group", &["Name", "RoleArn"]),
    ("AWS::Greengrass::LoggerDefinition", &["Name"]),
    ("AWS::Greengrass::ResourceDefinition", &["Name"]),
    ("AWS::Greengrass::SubscriptionDefinition", &["Name"]),
    ("AWS::IoT1Click::Device", &["Enabled"]),
    (
        "AWS::IoT1Click::Placement",
        &["PlacementName", "ProjectName"],
    ),
    ("AWS::IoT1Click::Project", &["ProjectName"]),
    (
        "AWS::Kinesis::StreamConsumer",
        &["ConsumerName", "StreamARN"],
    ),
    ("AWS::ManagedBlockchain::Member", &["NetworkId"]),
    ("AWS::MediaConvert::JobTemplate", &["Name"]),
    ("AWS::MediaConvert::Preset", &["Name"]),
    ("AWS::MediaConvert::Queue", &["Name"]),
    ("AWS::MediaLive::Input", &["Destinations", "Sources"]),
    ("AWS::OpsWorks::Instance", &["AvailabilityZone"]),
    ("AWS::OpsWorks::UserProfile", &["SshUsername"]),
    (
        "AWS::Route53Resolver::ResolverEndpoint",
        &["Direction", "Name"],
    ),
    ("AWS::SageMaker::CodeRepository", &["CodeRepositoryName"]),
    ("AWS::SageMaker::Endpoint", &["EndpointName"]),
    ("AWS::SageMaker::EndpointConfig", &["EndpointConfigName"]),
    ("AWS::SageMaker::Model", &["ModelName"]),
    (
        "AWS::SageMaker::NotebookInstance",
        &["NotebookInstanceName"],
    ),
    (
        "AWS::SageMaker::NotebookInstanceLifecycleConfig",
        &["NotebookInstanceLifecycleConfigName"],
    ),
    ("AWS::SageMaker::Workteam", &["WorkteamName"]),
    ("AWS::ServiceDiscovery::Service", &["Name"]),
    ("AWS::Transfer::User", &["ServerId", "UserName"]),
];

/// The property paths (segments below `/properties`) that `Fn::GetAtt`
/// accepts for `type_name`; the attribute name is the segments joined by `.`.
/// `read_only` holds the schema's `readOnlyProperties` as segment lists.
pub fn attribute_paths(
    type_name: &str,
    schema: &Value,
    read_only: &[Vec<String>],
) -> Result<Vec<Vec<String>>, String> {
    let mut paths = Vec::new();
    if ALL_PROPERTY_TYPES.contains(&type_name) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, node) in properties {
                let mut path = vec![name.clone()];
                walk_property(schema, node, &mut path, &mut Vec::new(), &mut paths)?;
            }
        }
    } else {
        if let Some((_, extra)) = EXTRA_ATTRIBUTES.iter().find(|(name, _)| *name == type_name) {
            paths.extend(extra.iter().map(|name| vec![(*name).to_owned()]));
        }
        paths.extend(read_only.iter().cloned());
    }
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// `_process_schema` of cfn-lint: collects the attribute paths at and below `node`.
fn walk_property(
    schema: &Value,
    node: &Value,
    path: &mut Vec<String>,
    visiting: &mut Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> Result<(), String> {
    let has_type = |wanted: &str| match node.get("type") {
        Some(Value::String(name)) => name == wanted,
        Some(Value::Array(names)) => names.iter().any(|name| name == wanted),
        _ => false,
    };
    if has_type("object") {
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (name, child) in properties {
                path.push(name.clone());
                walk_property(schema, child, path, visiting, out)?;
                path.pop();
            }
        }
    } else if has_type("array") {
        // GetAtt cannot reach into a list of objects or of lists.
        let item_type = node.get("items").and_then(|items| items.get("type"));
        if !matches!(item_type.and_then(Value::as_str), Some("object" | "array")) {
            out.push(path.clone());
        }
    } else if let Some(reference) = node.get("$ref") {
        let name = refs::definition_name(reference)?;
        if visiting.iter().any(|seen| seen == name) {
            return Ok(());
        }
        let target = refs::definition(schema, name)?;
        visiting.push(name.to_owned());
        walk_property(schema, target, path, visiting, out)?;
        visiting.pop();
    } else {
        out.push(path.clone());
    }
    Ok(())
}
