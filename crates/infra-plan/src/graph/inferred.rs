//! Inferred dependencies: ordering that AWS needs and templates leave out.
//!
//! CloudFormation waits for a whole nested stack before starting a stack that reads its
//! outputs, and many templates rely on that without saying so. Flattening removes that
//! barrier, so the dependencies AWS actually needs are added here, from one table. Each rule
//! matches on resource types and on the resources two resources both read, never on names.
//! An inferred edge is added only when it cannot close a cycle: it refines an order, it never
//! contradicts one the template states.

use infra_template::{Deployment, EdgeKind, Resource};
use petgraph::algo::has_path_connecting;

use super::ResourceGraph;
use super::inferred_apps;

/// One row of the table.
#[derive(Debug)]
pub struct InferredRule {
    /// Stable id, shown in `infra graph`.
    pub id: &'static str,
    /// What AWS needs, in one sentence.
    pub description: &'static str,
    find: fn(&Deployment) -> Vec<(String, String)>,
}

/// Every inferred dependency `infra` adds.
pub const INFERRED_RULES: &[InferredRule] = &[
    InferredRule {
        id: "ecs-service-after-capacity-provider-association",
        description: "An ECS service that uses a capacity provider (or a cluster) waits for the ClusterCapacityProviderAssociations of that provider or cluster: ECS refuses a capacity provider not yet associated with the cluster.",
        find: service_after_association,
    },
    InferredRule {
        id: "ecs-service-after-listener",
        description: "An ECS service with load balancers waits for the listeners and listener rules that forward to its target groups: ECS refuses a target group that is not attached to a load balancer.",
        find: service_after_listener,
    },
    InferredRule {
        id: "route-after-gateway-attachment",
        description: "A route through an internet gateway waits for that gateway's VPC attachment.",
        find: route_after_attachment,
    },
    InferredRule {
        id: "nat-after-gateway-attachment",
        description: "A public NAT gateway, and the Elastic IP it uses, wait for the internet gateway attachment of the NAT gateway's VPC.",
        find: nat_after_attachment,
    },
    InferredRule {
        id: "network-acl-association-after-entries",
        description: "A SubnetNetworkAclAssociation waits for the NetworkAclEntry resources of its network ACL: a subnet moved to an ACL without its entries yet loses its traffic meanwhile (a new ACL denies everything).",
        find: association_after_entries,
    },
    InferredRule {
        id: "subnet-after-vpc-cidr-block",
        description: "A subnet waits for the VPCCidrBlock resources of its VPC: EC2 refuses a subnet block (IPv4 or IPv6) outside the VPC's blocks, and a VPC block cannot be disassociated while a subnet uses it.",
        find: subnet_after_cidr_block,
    },
    InferredRule {
        id: "scaling-policy-after-scalable-target",
        description: "An Application Auto Scaling policy that names its target by ResourceId and ScalableDimension (not by ScalingTargetId) waits for the scalable target with the same ScalableDimension and ResourceId (equal when known, else built from a resource both read): PutScalingPolicy refuses a target not registered yet.",
        find: app_policy_after_target,
    },
    InferredRule {
        id: "scalable-target-after-ecs-service",
        description: "A scalable target of the ecs namespace that reads a cluster but no ECS service (its ResourceId built from the service's literal name) waits for the ECS services of that cluster: RegisterScalableTarget refuses a service that does not exist yet.",
        find: target_after_ecs_service,
    },
    InferredRule {
        id: "auto-scaling-group-parts-after-group",
        description: "A lifecycle hook, scaling policy or scheduled action that names its Auto Scaling group by the group's literal AutoScalingGroupName (not by Ref) waits for that group: Auto Scaling refuses a group that does not exist yet.",
        find: group_parts_after_group,
    },
    InferredRule {
        id: "ecs-service-after-efs-mount-target",
        description: "An ECS service whose task definition mounts an EFS file system (EFSVolumeConfiguration, directly or through an access point) waits for that file system's mount targets: a task cannot mount a file system with no mount target in its Availability Zone and fails to start.",
        find: service_after_mount_target,
    },
    InferredRule {
        id: "role-user-after-policy",
        description: "A resource that uses an IAM role waits for the AWS::IAM::Policy resources attached to that role, so the role has its permissions when first used.",
        find: role_user_after_policy,
    },
    InferredRule {
        id: "ecs-cluster-after-service-connect-namespace",
        description: "An ECS cluster whose ServiceConnectDefaults name a Cloud Map namespace of the template by its name (rather than by a reference) waits for that namespace: ECS creates an HTTP namespace of that name when none exists, and the template's own namespace then fails as already existing.",
        find: cluster_after_named_namespace,
    },
    InferredRule {
        id: "delivery-after-queue-policy",
        description: "An SNS subscription, EventBridge rule or S3 bucket that delivers to a queue of the template waits for the SQS queue policies of that queue: SQS drops what its policy does not allow yet, and S3 refuses a notification to a queue that does not allow it.",
        find: inferred_apps::delivery_after_queue_policy,
    },
    InferredRule {
        id: "delivery-after-topic-policy",
        description: "An EventBridge rule or S3 bucket that delivers to an SNS topic of the template waits for the topic policies of that topic: SNS refuses what its policy does not allow yet, and S3 refuses a notification to a topic that does not allow it.",
        find: inferred_apps::delivery_after_topic_policy,
    },
    InferredRule {
        id: "bucket-after-lambda-permission",
        description: "An S3 bucket whose notifications invoke a Lambda function of the template waits for the Lambda permissions of that function: S3 refuses a notification configuration whose function it may not invoke.",
        find: inferred_apps::bucket_after_lambda_permission,
    },
    InferredRule {
        id: "record-set-after-named-hosted-zone",
        description: "A Route 53 record set that names its hosted zone by HostedZoneName (not by a reference to the zone's id) waits for the hosted zone of the template with that name: Route 53 refuses a record in a zone that does not exist yet.",
        find: inferred_apps::record_after_named_zone,
    },
];

pub(super) fn add_inferred(g: &mut ResourceGraph, deployment: &Deployment) {
    for rule in INFERRED_RULES {
        for (from, to) in (rule.find)(deployment) {
            let (Some(a), Some(b)) = (g.node(&from), g.node(&to)) else {
                continue;
            };
            // Already ordered by the template: nothing to infer.
            if a == b
                || g.graph.find_edge(a, b).is_some()
                || has_path_connecting(&g.graph, b, a, None)
            {
                continue;
            }
            g.add_edge(a, b, EdgeKind::Inferred, None, Some(rule.id));
        }
    }
}

pub(super) fn of_type<'a>(
    d: &'a Deployment,
    t: &'a str,
) -> impl Iterator<Item = &'a Resource> + 'a {
    d.resources.iter().filter(move |r| r.type_name == t)
}

/// The resources of type `t` that `r` reads directly (by any reference, through stacks too).
pub(super) fn reads_of_type<'a>(
    d: &'a Deployment,
    r: &'a Resource,
    t: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    r.deps
        .iter()
        .filter(|dep| dep.kind != EdgeKind::DependsOn)
        .filter(move |dep| d.resource(&dep.target).is_some_and(|x| x.type_name == t))
        .map(|dep| dep.target.as_str())
}

pub(super) fn reads(r: &Resource, address: &str) -> bool {
    r.deps
        .iter()
        .any(|d| d.kind != EdgeKind::DependsOn && d.target == address)
}

fn service_after_association(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in of_type(d, "AWS::ECS::Service") {
        let shared: Vec<&str> = reads_of_type(d, s, "AWS::ECS::CapacityProvider")
            .chain(reads_of_type(d, s, "AWS::ECS::Cluster"))
            .collect();
        for a in of_type(d, "AWS::ECS::ClusterCapacityProviderAssociations") {
            if shared.iter().any(|x| reads(a, x)) {
                out.push((s.address.clone(), a.address.clone()));
            }
        }
    }
    out
}

fn service_after_listener(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in of_type(d, "AWS::ECS::Service") {
        let groups: Vec<&str> =
            reads_of_type(d, s, "AWS::ElasticLoadBalancingV2::TargetGroup").collect();
        for l in of_type(d, "AWS::ElasticLoadBalancingV2::Listener")
            .chain(of_type(d, "AWS::ElasticLoadBalancingV2::ListenerRule"))
        {
            if groups.iter().any(|g| reads(l, g)) {
                out.push((s.address.clone(), l.address.clone()));
            }
        }
    }
    out
}

fn attachments_of<'a>(
    d: &'a Deployment,
    target: &'a str,
) -> impl Iterator<Item = &'a Resource> + 'a {
    of_type(d, "AWS::EC2::VPCGatewayAttachment").filter(move |a| reads(a, target))
}

fn route_after_attachment(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in of_type(d, "AWS::EC2::Route") {
        for igw in reads_of_type(d, r, "AWS::EC2::InternetGateway") {
            for a in attachments_of(d, igw) {
                out.push((r.address.clone(), a.address.clone()));
            }
        }
    }
    out
}

fn nat_after_attachment(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in of_type(d, "AWS::EC2::NatGateway") {
        let private = n
            .properties
            .as_text_at("ConnectivityType")
            .is_some_and(|c| c == "private");
        if private {
            continue;
        }
        let vpcs: Vec<&str> = reads_of_type(d, n, "AWS::EC2::Subnet")
            .filter_map(|s| d.resource(s))
            .flat_map(|s| reads_of_type(d, s, "AWS::EC2::VPC"))
            .collect();
        let eips: Vec<&str> = reads_of_type(d, n, "AWS::EC2::EIP").collect();
        for vpc in vpcs {
            for a in attachments_of(d, vpc) {
                out.push((n.address.clone(), a.address.clone()));
                for e in &eips {
                    out.push(((*e).to_string(), a.address.clone()));
                }
            }
        }
    }
    out
}

fn association_after_entries(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in of_type(d, "AWS::EC2::SubnetNetworkAclAssociation") {
        for acl in reads_of_type(d, a, "AWS::EC2::NetworkAcl") {
            for e in of_type(d, "AWS::EC2::NetworkAclEntry").filter(|e| reads(e, acl)) {
                out.push((a.address.clone(), e.address.clone()));
            }
        }
    }
    out
}

fn subnet_after_cidr_block(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in of_type(d, "AWS::EC2::Subnet") {
        for vpc in reads_of_type(d, s, "AWS::EC2::VPC") {
            for b in of_type(d, "AWS::EC2::VPCCidrBlock").filter(|b| reads(b, vpc)) {
                out.push((s.address.clone(), b.address.clone()));
            }
        }
    }
    out
}

fn service_after_mount_target(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in of_type(d, "AWS::ECS::Service") {
        for td in reads_of_type(d, s, "AWS::ECS::TaskDefinition").filter_map(|t| d.resource(t)) {
            let through_access_points = reads_of_type(d, td, "AWS::EFS::AccessPoint")
                .filter_map(|a| d.resource(a))
                .flat_map(|a| reads_of_type(d, a, "AWS::EFS::FileSystem"));
            let file_systems: Vec<&str> = reads_of_type(d, td, "AWS::EFS::FileSystem")
                .chain(through_access_points)
                .collect();
            for mt in of_type(d, "AWS::EFS::MountTarget") {
                if file_systems.iter().any(|fs| reads(mt, fs)) {
                    out.push((s.address.clone(), mt.address.clone()));
                }
            }
        }
    }
    out
}

fn role_user_after_policy(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in of_type(d, "AWS::IAM::Policy") {
        for role in reads_of_type(d, p, "AWS::IAM::Role") {
            for user in &d.resources {
                if user.address == p.address || user.type_name.starts_with("AWS::IAM::") {
                    continue;
                }
                if reads(user, role) {
                    out.push((user.address.clone(), p.address.clone()));
                }
            }
        }
    }
    out
}

fn app_policy_after_target(d: &Deployment) -> Vec<(String, String)> {
    let at = |r: &Resource, k: &str| match &r.properties {
        infra_template::Value::Map(m) => m.get(k).cloned(),
        _ => None,
    };
    // The same ResourceId: equal when known; when built from references (its text not known
    // before apply), built from a resource both read.
    let same_resource =
        |p: &Resource, t: &Resource| match (at(p, "ResourceId"), at(t, "ResourceId")) {
            (Some(a), Some(b)) if !a.has_unknown() && !b.has_unknown() => a == b,
            (Some(a), Some(b)) if a.has_unknown() && b.has_unknown() => p
                .deps
                .iter()
                .filter(|dep| dep.kind != EdgeKind::DependsOn)
                .any(|dep| reads(t, &dep.target)),
            _ => false,
        };
    let mut out = Vec::new();
    for p in of_type(d, "AWS::ApplicationAutoScaling::ScalingPolicy") {
        // Named by ScalingTargetId (a Ref), the policy reads its target already.
        let Some(dimension) = at(p, "ScalableDimension") else {
            continue;
        };
        for t in of_type(d, "AWS::ApplicationAutoScaling::ScalableTarget") {
            if at(t, "ScalableDimension").as_ref() == Some(&dimension) && same_resource(p, t) {
                out.push((p.address.clone(), t.address.clone()));
            }
        }
    }
    out
}

fn target_after_ecs_service(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in of_type(d, "AWS::ApplicationAutoScaling::ScalableTarget") {
        let ecs = t
            .properties
            .as_text_at("ServiceNamespace")
            .is_some_and(|n| n == "ecs");
        if !ecs || reads_of_type(d, t, "AWS::ECS::Service").next().is_some() {
            continue;
        }
        for cluster in reads_of_type(d, t, "AWS::ECS::Cluster") {
            for s in of_type(d, "AWS::ECS::Service").filter(|s| reads(s, cluster)) {
                out.push((t.address.clone(), s.address.clone()));
            }
        }
    }
    out
}

fn group_parts_after_group(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let groups: Vec<(&Resource, String)> = of_type(d, "AWS::AutoScaling::AutoScalingGroup")
        .filter_map(|g| Some((g, g.properties.as_text_at("AutoScalingGroupName")?)))
        .collect();
    for part in d.resources.iter().filter(|r| {
        matches!(
            r.type_name.as_str(),
            "AWS::AutoScaling::LifecycleHook"
                | "AWS::AutoScaling::ScalingPolicy"
                | "AWS::AutoScaling::ScheduledAction"
        )
    }) {
        let Some(name) = part.properties.as_text_at("AutoScalingGroupName") else {
            continue;
        };
        for (g, _) in groups.iter().filter(|(_, n)| *n == name) {
            out.push((part.address.clone(), g.address.clone()));
        }
    }
    out
}

fn cluster_after_named_namespace(d: &Deployment) -> Vec<(String, String)> {
    const NAMESPACES: [&str; 3] = [
        "AWS::ServiceDiscovery::HttpNamespace",
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        "AWS::ServiceDiscovery::PublicDnsNamespace",
    ];
    let mut out = Vec::new();
    for c in of_type(d, "AWS::ECS::Cluster") {
        let named = match &c.properties {
            infra_template::Value::Map(m) => m
                .get("ServiceConnectDefaults")
                .and_then(|defaults| defaults.as_text_at("Namespace")),
            _ => None,
        };
        let Some(named) = named else { continue };
        let same_name = |r: &&Resource| r.properties.as_text_at("Name").as_ref() == Some(&named);
        let namespaces = d.resources.iter();
        for ns in namespaces.filter(|r| NAMESPACES.contains(&r.type_name.as_str())) {
            if same_name(&ns) {
                out.push((c.address.clone(), ns.address.clone()));
            }
        }
    }
    out
}

/// Reading a top-level string property of an evaluated property map.
pub(super) trait PropertyText {
    fn as_text_at(&self, key: &str) -> Option<String>;
}

impl PropertyText for infra_template::Value {
    fn as_text_at(&self, key: &str) -> Option<String> {
        match self {
            infra_template::Value::Map(m) => m.get(key).and_then(infra_template::Value::as_text),
            _ => None,
        }
    }
}
