//! Unit tests of the ECS providers' property mapping and error classes (no AWS calls).

use serde_json::json;

use super::task_definition;
use crate::error::AwsError;
use crate::provider::{FailureClass, ProviderError};
use crate::providers::kit::{Ctx, class_of};

/// How many containers a task definition's properties are read with.
fn parse_for_tests(value: &serde_json::Value) -> Result<usize, ProviderError> {
    let ctx = Ctx::new(task_definition::TYPE, "Test");
    let client = super::request_tests::client();
    Ok(task_definition::parse(value, ctx, &client)?
        .containers
        .len())
}

fn service_error(code: &str, message: &str) -> AwsError {
    AwsError::Service {
        service: "ecs".into(),
        operation: "CreateService".into(),
        code: code.into(),
        message: message.into(),
        request_id: None,
    }
}

#[test]
fn error_classes() {
    let cases = [
        (
            "ClusterNotFoundException",
            "Cluster not found.",
            FailureClass::NotFound,
        ),
        (
            "ServiceNotFoundException",
            "Service not found.",
            FailureClass::NotFound,
        ),
        (
            "ClientException",
            "Unable to describe task definition.",
            FailureClass::NotFound,
        ),
        (
            "ResourceInUseException",
            "The specified capacity provider is in use and cannot be removed.",
            FailureClass::DependencyViolation,
        ),
        (
            "ClusterContainsServicesException",
            "The Cluster cannot be deleted while Services are active.",
            FailureClass::DependencyViolation,
        ),
        (
            "ClusterContainsContainerInstancesException",
            "x",
            FailureClass::DependencyViolation,
        ),
        (
            "ClusterContainsTasksException",
            "x",
            FailureClass::DependencyViolation,
        ),
        (
            "UpdateInProgressException",
            "x",
            FailureClass::DependencyViolation,
        ),
        (
            "ClientException",
            "The Cluster cannot be deleted while Cluster Scoped Capacity Providers are attached to the cluster",
            FailureClass::DependencyViolation,
        ),
        (
            "InvalidParameterException",
            "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.",
            FailureClass::EventuallyConsistent,
        ),
        (
            "InvalidParameterException",
            "Unable to assume the service linked role. Please verify that the ECS service linked role exists.",
            FailureClass::EventuallyConsistent,
        ),
        (
            "InvalidParameterException",
            "The target group with targetGroupArn arn:aws:elasticloadbalancing:... does not have an associated load balancer.",
            FailureClass::EventuallyConsistent,
        ),
        (
            "InvalidParameterException",
            "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
            FailureClass::EventuallyConsistent,
        ),
        (
            "ClientException",
            "Cluster was not ACTIVE",
            FailureClass::Retryable,
        ),
        (
            "ServerException",
            "Service Unavailable. Please try again later.",
            FailureClass::Retryable,
        ),
        (
            "InvalidParameterException",
            "Creation of service was not idempotent.",
            FailureClass::Fatal,
        ),
        (
            "ClientException",
            "Container.image should not be null or empty.",
            FailureClass::Fatal,
        ),
    ];
    for (code, message, class) in cases {
        assert_eq!(
            class_of(&service_error(code, message)),
            class,
            "{code}: {message}"
        );
    }
    let throttled = AwsError::Throttled {
        service: "ecs".into(),
        operation: "DescribeServices".into(),
        code: "ThrottlingException".into(),
        message: "Rate exceeded".into(),
    };
    assert_eq!(class_of(&throttled), FailureClass::Retryable);
}

#[test]
fn container_definitions_map_every_key_or_name_the_unknown_one() {
    let full = json!({
        "Family": "web",
        "Cpu": 256,
        "Memory": "512",
        "NetworkMode": "awsvpc",
        "RequiresCompatibilities": ["EC2"],
        "ContainerDefinitions": [{
            "Name": "web",
            "Image": "nginx",
            "Cpu": "256",
            "Memory": 512,
            "MemoryReservation": 256,
            "Essential": "true",
            "PortMappings": [{"ContainerPort": "80", "HostPort": 80, "Protocol": "tcp"}],
            "Environment": [{"Name": "A", "Value": 1}],
            "Secrets": [{"Name": "S", "ValueFrom": "arn:aws:ssm:us-east-1:1:parameter/s"}],
            "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": "g", "mode": "non-blocking"}},
            "Command": ["nginx", "-g", "daemon off;"],
            "EntryPoint": ["/docker-entrypoint.sh"],
            "HealthCheck": {"Command": ["CMD-SHELL", "true"], "Interval": 30},
            "DependsOn": [{"ContainerName": "init", "Condition": "COMPLETE"}],
            "Ulimits": [{"Name": "nofile", "SoftLimit": 1024, "HardLimit": "4096"}],
            "MountPoints": [{"SourceVolume": "v", "ContainerPath": "/data", "ReadOnly": false}],
            "LinuxParameters": {"InitProcessEnabled": true, "Tmpfs": [{"ContainerPath": "/tmp", "Size": 64}]},
            "DockerLabels": {"a": "b"}
        }],
        "Volumes": [{"Name": "v", "Host": {"SourcePath": "/srv"}}]
    });
    assert_eq!(parse_for_tests(&full).expect("maps"), 1);

    let unknown = json!({"ContainerDefinitions": [
        {"Name": "a", "Image": "b"},
        {"Name": "c", "Image": "d", "PortMappings": [{"ContainerPort": 80, "Bogus": 1}]}
    ]});
    let err = parse_for_tests(&unknown).expect_err("refused");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message
            .contains("ContainerDefinitions[1].PortMappings[0].Bogus"),
        "{}",
        err.message
    );

    let sharing = json!({"ContainerDefinitions": [{"Name": "a", "Image": "b",
        "ResourceRequirements": [{"Type": "GPU", "Value": "1", "SharingStrategy": {}}]}]});
    let err = parse_for_tests(&sharing).expect_err("refused");
    assert!(err.message.contains("SharingStrategy"), "{}", err.message);

    let bad_number =
        json!({"ContainerDefinitions": [{"Name": "a", "Image": "b", "Memory": "lots"}]});
    let err = parse_for_tests(&bad_number).expect_err("refused");
    assert!(
        err.message.contains("ContainerDefinitions[0].Memory"),
        "{}",
        err.message
    );
}
