//! The census of the types outside the reference workload (scaling, alarms, Cloud Map, EFS,
//! ECR and the EC2 network types), read through each service's own API with boto3 from the
//! emulator's venv (`support/boto.rs`), so the crash test needs no Rust SDK crate per service.
//!
//! Two rounds of calls: the first lists what can be listed on its own; the second what is
//! listed per parent (lifecycle hooks per Auto Scaling group, mount targets and access points
//! per file system). Everything the emulator holds after its reset was made by the trial;
//! EC2 objects are narrowed to the stack's `infra:stack` tag where the emulator keeps tags.

use serde_json::{Value, json};

use crate::boto::{self, Call};
use crate::census::{Census, Object};

/// Service namespaces whose scalable targets and scaling policies are listed.
const NAMESPACES: [&str; 4] = ["ecs", "dynamodb", "ec2", "rds"];

/// Adds the live objects of every type this module knows to `census`.
pub fn take(endpoint: &str, stack: &str, census: &mut Census) {
    let tagged = json!({"Filters": [{"Name": "tag:infra:stack", "Values": [stack]}]});
    let mut calls: Vec<Call<'_>> = vec![
        ("autoscaling", "describe_launch_configurations", json!({})),
        ("autoscaling", "describe_policies", json!({})),
        ("autoscaling", "describe_scheduled_actions", json!({})),
        ("autoscaling", "describe_auto_scaling_groups", json!({})),
        ("cloudwatch", "describe_alarms", json!({})),
        ("cloudwatch", "list_dashboards", json!({})),
        ("servicediscovery", "list_namespaces", json!({})),
        ("servicediscovery", "list_services", json!({})),
        ("efs", "describe_file_systems", json!({})),
        ("ecr", "describe_repositories", json!({})),
        ("ec2", "describe_network_acls", tagged.clone()),
        ("ec2", "describe_egress_only_internet_gateways", json!({})),
        ("ec2", "describe_dhcp_options", tagged.clone()),
        ("ec2", "describe_vpcs", tagged.clone()),
        ("ec2", "describe_vpc_endpoints", tagged.clone()),
        ("ec2", "describe_flow_logs", json!({})),
        ("ec2", "describe_key_pairs", json!({})),
    ];
    for namespace in NAMESPACES {
        let args = json!({ "ServiceNamespace": namespace });
        calls.push((
            "application-autoscaling",
            "describe_scalable_targets",
            args.clone(),
        ));
        calls.push(("application-autoscaling", "describe_scaling_policies", args));
    }
    let first = answers(endpoint, &calls);
    let answer = |method: &str| -> Vec<&Value> {
        calls
            .iter()
            .zip(&first)
            .filter(|((_, m, _), _)| *m == method)
            .map(|(_, answer)| answer)
            .collect()
    };
    let one = |method: &str| answer(method)[0];

    census.insert(
        "AWS::AutoScaling::LaunchConfiguration",
        list(
            one("describe_launch_configurations"),
            "LaunchConfigurations",
            &["LaunchConfigurationName", "LaunchConfigurationARN"],
        ),
    );
    census.insert(
        "AWS::AutoScaling::ScalingPolicy",
        list(
            one("describe_policies"),
            "ScalingPolicies",
            &["PolicyARN", "PolicyName"],
        ),
    );
    census.insert(
        "AWS::AutoScaling::ScheduledAction",
        list(
            one("describe_scheduled_actions"),
            "ScheduledUpdateGroupActions",
            &["ScheduledActionName", "ScheduledActionARN"],
        ),
    );
    // Not the alarms a target tracking policy makes for itself (`TargetTracking-…`): AWS
    // creates and deletes them with the policy.
    let mut alarms: Vec<Object> = items(one("describe_alarms"), "MetricAlarms")
        .filter(|a| {
            a["AlarmName"]
                .as_str()
                .is_some_and(|name| !name.starts_with("TargetTracking-"))
        })
        .map(|a| ids(a, &["AlarmName", "AlarmArn"]))
        .collect();
    alarms.extend(list(
        one("describe_alarms"),
        "CompositeAlarms",
        &["AlarmName", "AlarmArn"],
    ));
    census.insert("AWS::CloudWatch::Alarm", alarms);
    census.insert(
        "AWS::CloudWatch::Dashboard",
        list(
            one("list_dashboards"),
            "DashboardEntries",
            &["DashboardName", "DashboardArn"],
        ),
    );
    for (type_name, kind) in [
        ("AWS::ServiceDiscovery::PrivateDnsNamespace", "DNS_PRIVATE"),
        ("AWS::ServiceDiscovery::PublicDnsNamespace", "DNS_PUBLIC"),
        ("AWS::ServiceDiscovery::HttpNamespace", "HTTP"),
    ] {
        census.insert(
            type_name,
            items(one("list_namespaces"), "Namespaces")
                .filter(|n| n["Type"] == kind)
                .map(|n| ids(n, &["Id", "Arn"]))
                .collect(),
        );
    }
    census.insert(
        "AWS::ServiceDiscovery::Service",
        list(one("list_services"), "Services", &["Id", "Arn"]),
    );
    let file_systems: Vec<&Value> = items(one("describe_file_systems"), "FileSystems")
        .filter(|f| !matches!(f["LifeCycleState"].as_str(), Some("deleted" | "deleting")))
        .collect();
    census.insert(
        "AWS::EFS::FileSystem",
        file_systems
            .iter()
            .map(|f| ids(f, &["FileSystemId", "FileSystemArn"]))
            .collect(),
    );
    census.insert(
        "AWS::ECR::Repository",
        list(
            one("describe_repositories"),
            "repositories",
            &["repositoryName", "repositoryArn"],
        ),
    );
    let mut targets = Vec::new();
    for answer in answer("describe_scalable_targets") {
        targets.extend(items(answer, "ScalableTargets").map(|t| {
            let joined = format!(
                "{}|{}|{}",
                t["ResourceId"].as_str().unwrap_or_default(),
                t["ScalableDimension"].as_str().unwrap_or_default(),
                t["ServiceNamespace"].as_str().unwrap_or_default()
            );
            let mut object = ids(t, &["ScalableTargetARN"]);
            object.push(joined);
            object
        }));
    }
    census.insert("AWS::ApplicationAutoScaling::ScalableTarget", targets);
    let mut policies = Vec::new();
    for answer in answer("describe_scaling_policies") {
        policies.extend(list(
            answer,
            "ScalingPolicies",
            &["PolicyARN", "PolicyName"],
        ));
    }
    census.insert("AWS::ApplicationAutoScaling::ScalingPolicy", policies);
    network(&one, stack, census);

    // Second round: per Auto Scaling group and per file system.
    let groups: Vec<String> = items(one("describe_auto_scaling_groups"), "AutoScalingGroups")
        .filter_map(|g| g["AutoScalingGroupName"].as_str().map(str::to_owned))
        .collect();
    let file_system_ids: Vec<String> = file_systems
        .iter()
        .filter_map(|f| f["FileSystemId"].as_str().map(str::to_owned))
        .collect();
    let mut calls: Vec<Call<'_>> = Vec::new();
    for group in &groups {
        calls.push((
            "autoscaling",
            "describe_lifecycle_hooks",
            json!({ "AutoScalingGroupName": group }),
        ));
    }
    for id in &file_system_ids {
        calls.push((
            "efs",
            "describe_mount_targets",
            json!({ "FileSystemId": id }),
        ));
        calls.push((
            "efs",
            "describe_access_points",
            json!({ "FileSystemId": id }),
        ));
    }
    let second = answers(endpoint, &calls);
    let mut hooks = Vec::new();
    let mut mount_targets = Vec::new();
    let mut access_points = Vec::new();
    for ((_, method, _), answer) in calls.iter().zip(&second) {
        match *method {
            "describe_lifecycle_hooks" => {
                hooks.extend(list(answer, "LifecycleHooks", &["LifecycleHookName"]));
            }
            "describe_mount_targets" => mount_targets.extend(
                items(answer, "MountTargets")
                    .filter(|m| {
                        !matches!(m["LifeCycleState"].as_str(), Some("deleted" | "deleting"))
                    })
                    .map(|m| ids(m, &["MountTargetId"])),
            ),
            _ => access_points.extend(
                items(answer, "AccessPoints")
                    .filter(|a| {
                        !matches!(a["LifeCycleState"].as_str(), Some("deleted" | "deleting"))
                    })
                    .map(|a| ids(a, &["AccessPointId", "AccessPointArn"])),
            ),
        }
    }
    census.insert("AWS::AutoScaling::LifecycleHook", hooks);
    census.insert("AWS::EFS::MountTarget", mount_targets);
    census.insert("AWS::EFS::AccessPoint", access_points);
}

/// The EC2 network types of the first round's answers.
fn network<'a>(one: &dyn Fn(&str) -> &'a Value, stack: &str, census: &mut Census) {
    let acls: Vec<&Value> = items(one("describe_network_acls"), "NetworkAcls").collect();
    census.insert(
        "AWS::EC2::NetworkAcl",
        acls.iter().map(|a| ids(a, &["NetworkAclId"])).collect(),
    );
    census.insert(
        "AWS::EC2::SubnetNetworkAclAssociation",
        acls.iter()
            .flat_map(|a| items(a, "Associations"))
            .map(|a| ids(a, &["NetworkAclAssociationId"]))
            .collect(),
    );
    // The emulator ignores the filters of DescribeEgressOnlyInternetGateways (AWS applies
    // them): the stack's gateways are picked by their tags here.
    census.insert(
        "AWS::EC2::EgressOnlyInternetGateway",
        items(
            one("describe_egress_only_internet_gateways"),
            "EgressOnlyInternetGateways",
        )
        .filter(|g| tagged(g, stack))
        .map(|g| ids(g, &["EgressOnlyInternetGatewayId"]))
        .collect(),
    );
    let vpcs: Vec<&Value> = items(one("describe_vpcs"), "Vpcs").collect();
    census.insert(
        "AWS::EC2::DHCPOptions",
        items(one("describe_dhcp_options"), "DhcpOptions")
            .filter(|d| tagged(d, stack))
            .map(|d| ids(d, &["DhcpOptionsId"]))
            .collect(),
    );
    let mut blocks = Vec::new();
    for vpc in &vpcs {
        let primary = vpc["CidrBlock"].as_str();
        blocks.extend(
            items(vpc, "CidrBlockAssociationSet")
                .filter(|b| b["CidrBlock"].as_str() != primary)
                .filter(|b| b["CidrBlockState"]["State"] == "associated")
                .map(|b| ids(b, &["AssociationId"])),
        );
        blocks.extend(
            items(vpc, "Ipv6CidrBlockAssociationSet")
                .filter(|b| b["Ipv6CidrBlockState"]["State"] == "associated")
                .map(|b| ids(b, &["AssociationId"])),
        );
    }
    census.insert("AWS::EC2::VPCCidrBlock", blocks);
    census.insert(
        "AWS::EC2::VPCEndpoint",
        items(one("describe_vpc_endpoints"), "VpcEndpoints")
            .filter(|e| !matches!(e["State"].as_str(), Some("deleted" | "deleting")))
            .map(|e| ids(e, &["VpcEndpointId"]))
            .collect(),
    );
    census.insert(
        "AWS::EC2::FlowLog",
        list(one("describe_flow_logs"), "FlowLogs", &["FlowLogId"]),
    );
    census.insert(
        "AWS::EC2::KeyPair",
        list(
            one("describe_key_pairs"),
            "KeyPairs",
            &["KeyName", "KeyPairId"],
        ),
    );
}

/// Every call's answer; a failed call fails the trial (a census that cannot read is no proof
/// that nothing is left).
fn answers(endpoint: &str, calls: &[Call<'_>]) -> Vec<Value> {
    boto::batch(endpoint, calls)
        .into_iter()
        .zip(calls)
        .map(|(answer, (service, method, args))| {
            answer.unwrap_or_else(|e| panic!("census: {service}.{method}({args}) failed: {e}"))
        })
        .collect()
}

fn items<'a>(answer: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    answer[key].as_array().into_iter().flatten()
}

fn list(answer: &Value, key: &str, fields: &[&str]) -> Vec<Object> {
    items(answer, key).map(|item| ids(item, fields)).collect()
}

fn ids(item: &Value, fields: &[&str]) -> Object {
    fields
        .iter()
        .filter_map(|field| item[*field].as_str().map(str::to_owned))
        .collect()
}

fn tagged(item: &Value, stack: &str) -> bool {
    items(item, "Tags").any(|t| t["Key"] == "infra:stack" && t["Value"] == stack)
}
