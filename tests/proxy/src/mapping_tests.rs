use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::LatencyModel;

fn shared_model() -> LatencyModel {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/infra-engine/data/latency-model.json");
    LatencyModel::load(&path).expect("the project's latency model")
}

fn mapped(resource_type: &str, lifecycle: Lifecycle) -> bool {
    operations_for(resource_type, lifecycle).next().is_some()
}

#[test]
fn every_type_of_the_latency_model_has_create_and_delete_operations() {
    let model = shared_model();
    assert!(!model.types.is_empty());
    for resource_type in model.types.keys() {
        for lifecycle in [Lifecycle::Create, Lifecycle::Delete] {
            assert!(
                mapped(resource_type, lifecycle),
                "{resource_type} has no {} operation",
                lifecycle.as_str()
            );
        }
    }
}

#[test]
fn every_type_infra_supports_has_create_and_delete_operations() {
    let supported = infra_registry::supported_types();
    assert!(!supported.is_empty());
    for rt in supported {
        for lifecycle in [Lifecycle::Create, Lifecycle::Delete] {
            assert!(
                mapped(rt.name, lifecycle),
                "{} has no {} operation",
                rt.name,
                lifecycle.as_str()
            );
        }
    }
}

#[test]
fn every_mapped_type_is_known_to_infra() {
    let supported: BTreeSet<&str> = infra_registry::supported_types()
        .iter()
        .map(|t| t.name)
        .collect();
    for m in OPERATIONS.iter() {
        assert!(
            supported.contains(m.resource_type),
            "{} is not a type infra supports",
            m.resource_type
        );
    }
}

#[test]
fn operations_resolve_to_their_resource_step() {
    assert_eq!(
        resource_operation("ec2", "CreateNatGateway"),
        Some(("AWS::EC2::NatGateway", Lifecycle::Create))
    );
    assert_eq!(
        resource_operation("elasticloadbalancing", "DeleteLoadBalancer"),
        Some((
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Lifecycle::Delete
        ))
    );
    assert_eq!(
        resource_operation("ecs", "CreateService"),
        Some(("AWS::ECS::Service", Lifecycle::Create))
    );
    assert_eq!(
        resource_operation("unknown", "CreateService"),
        Some(("AWS::ECS::Service", Lifecycle::Create))
    );
    // The service must match when it is known.
    assert_eq!(resource_operation("ec2", "DeletePolicy"), None);
    assert_eq!(
        resource_operation("iam", "DeletePolicy"),
        Some(("AWS::IAM::ManagedPolicy", Lifecycle::Delete))
    );
    assert_eq!(
        resource_operation("autoscaling", "DeletePolicy"),
        Some(("AWS::AutoScaling::ScalingPolicy", Lifecycle::Delete))
    );
    assert_eq!(
        resource_operation("application-autoscaling", "PutScalingPolicy"),
        Some((
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            Lifecycle::Create
        ))
    );
    assert_eq!(
        resource_operation("servicediscovery", "CreateService"),
        Some(("AWS::ServiceDiscovery::Service", Lifecycle::Create))
    );
    assert_eq!(
        resource_operation("ecs", "DeleteService"),
        Some(("AWS::ECS::Service", Lifecycle::Delete))
    );
    // Polls of asynchronous creates cost an API call; the create carries the time.
    assert_eq!(resource_operation("servicediscovery", "GetOperation"), None);
    assert_eq!(
        resource_operation("elasticfilesystem", "DescribeMountTargets"),
        None
    );
    assert_eq!(
        resource_operation("servicediscovery", "DeleteNamespace"),
        Some((
            "AWS::ServiceDiscovery::PrivateDnsNamespace",
            Lifecycle::Delete
        ))
    );
    // Reads and the first step of a service's delete cost an API call.
    assert_eq!(resource_operation("ec2", "DescribeNatGateways"), None);
    assert_eq!(resource_operation("ecs", "UpdateService"), None);
    // An operation of several rows resolves to its first.
    assert_eq!(
        resource_operation("ecs", "PutClusterCapacityProviders"),
        Some((
            "AWS::ECS::ClusterCapacityProviderAssociations",
            Lifecycle::Create
        ))
    );
}

#[test]
fn the_shared_model_prices_the_slow_operations() {
    let model = shared_model();
    assert_eq!(model.operation_seconds("ec2", "CreateNatGateway"), 100.0);
    assert_eq!(
        model.operation_seconds("elasticloadbalancing", "CreateLoadBalancer"),
        140.0
    );
    assert_eq!(model.operation_seconds("ecs", "DeleteService"), 330.0);
    assert_eq!(
        model.operation_seconds("servicediscovery", "CreatePrivateDnsNamespace"),
        40.0
    );
    assert_eq!(
        model.operation_seconds("elasticfilesystem", "CreateMountTarget"),
        75.0
    );
    assert_eq!(
        model.operation_seconds("servicediscovery", "GetOperation"),
        model.api_call_seconds
    );
    assert_eq!(
        model.operation_seconds("ec2", "DescribeVpcs"),
        model.api_call_seconds
    );
}

#[test]
fn the_new_services_resolve_to_their_resource_step() {
    for (service, operation, want) in [
        (
            "ssm",
            "PutParameter",
            ("AWS::SSM::Parameter", Lifecycle::Create),
        ),
        (
            "secretsmanager",
            "PutSecretValue",
            ("AWS::SecretsManager::Secret", Lifecycle::Update),
        ),
        (
            "kms",
            "ScheduleKeyDeletion",
            ("AWS::KMS::Key", Lifecycle::Delete),
        ),
        ("kms", "UpdateAlias", ("AWS::KMS::Alias", Lifecycle::Update)),
        ("sqs", "CreateQueue", ("AWS::SQS::Queue", Lifecycle::Create)),
        // A queue's update shares the policy's call and costs the policy's time.
        (
            "sqs",
            "SetQueueAttributes",
            ("AWS::SQS::QueuePolicy", Lifecycle::Create),
        ),
        (
            "sns",
            "SetTopicAttributes",
            ("AWS::SNS::TopicPolicy", Lifecycle::Create),
        ),
        (
            "sns",
            "Unsubscribe",
            ("AWS::SNS::Subscription", Lifecycle::Delete),
        ),
        ("s3", "CreateBucket", ("AWS::S3::Bucket", Lifecycle::Create)),
        (
            "s3",
            "DeleteBucketPolicy",
            ("AWS::S3::BucketPolicy", Lifecycle::Delete),
        ),
        (
            "dynamodb",
            "UpdateTable",
            ("AWS::DynamoDB::Table", Lifecycle::Update),
        ),
        (
            "events",
            "DeleteRule",
            ("AWS::Events::Rule", Lifecycle::Delete),
        ),
        (
            "lambda",
            "AddPermission",
            ("AWS::Lambda::Permission", Lifecycle::Create),
        ),
        (
            "logs",
            "PutResourcePolicy",
            ("AWS::Logs::ResourcePolicy", Lifecycle::Create),
        ),
        (
            "iam",
            "AddUserToGroup",
            ("AWS::IAM::UserToGroupAddition", Lifecycle::Create),
        ),
        (
            "iam",
            "DeleteAccessKey",
            ("AWS::IAM::AccessKey", Lifecycle::Delete),
        ),
        (
            "route53",
            "CreateHostedZone",
            ("AWS::Route53::HostedZone", Lifecycle::Create),
        ),
        (
            "route53",
            "ChangeResourceRecordSets",
            ("AWS::Route53::RecordSet", Lifecycle::Create),
        ),
    ] {
        assert_eq!(
            resource_operation(service, operation),
            Some(want),
            "{service} {operation}"
        );
    }
    // The same name in another service is another step, or none.
    assert_eq!(
        resource_operation("elasticloadbalancing", "DeleteRule"),
        Some((
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            Lifecycle::Delete
        ))
    );
    assert_eq!(
        resource_operation("secretsmanager", "PutResourcePolicy"),
        None
    );
    assert_eq!(resource_operation("sns", "AddPermission"), None);
    // Reads, polls and the calls inside a create cost an API call.
    for (service, operation) in [
        ("route53", "GetChange"),
        ("dynamodb", "DescribeTable"),
        ("dynamodb", "UpdateTimeToLive"),
        ("sqs", "GetQueueAttributes"),
        ("kms", "ListAliases"),
        ("s3", "PutBucketVersioning"),
        ("s3", "HeadBucket"),
        ("events", "PutTargets"),
        ("secretsmanager", "GetRandomPassword"),
        ("iam", "UpdateAccessKey"),
    ] {
        assert_eq!(
            resource_operation(service, operation),
            None,
            "{service} {operation}"
        );
    }
}

#[test]
fn every_family_row_is_in_the_table_once_per_step() {
    let mut seen = BTreeSet::new();
    for m in OPERATIONS.iter() {
        assert!(
            seen.insert((m.resource_type, m.lifecycle, m.service, m.operation)),
            "{m:?} is listed twice"
        );
        assert!(m.resource_type.starts_with("AWS::"), "{m:?}");
    }
}

#[test]
fn the_shared_model_prices_the_new_slow_operations() {
    let model = shared_model();
    assert_eq!(
        model.operation_seconds("route53", "ChangeResourceRecordSets"),
        35.0
    );
    assert_eq!(model.operation_seconds("route53", "CreateHostedZone"), 40.0);
    assert_eq!(model.operation_seconds("dynamodb", "CreateTable"), 10.0);
    assert_eq!(
        model.operation_seconds("route53", "GetChange"),
        model.api_call_seconds
    );
    assert_eq!(
        model.operation_seconds("s3", "PutBucketEncryption"),
        model.api_call_seconds
    );
}
