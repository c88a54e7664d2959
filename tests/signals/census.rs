//! How many objects of one stack exist in the emulator, per resource type, read through each
//! service's own API (not through `infra`, not through the proxy).
//!
//! Tests share one emulator, so every object is narrowed to the stack: by its `infra:stack`
//! tag (in the describe call's filter, in its answer, or through the service's tag call), or,
//! for log groups and instance profiles, by the name `infra` generates (`<stack>-<logical>-<SUFFIX>`, see
//! `crates/infra-engine/src/naming.rs`). No stack name of the tests may be another's prefix.
//!
//! Objects on their way out (a NAT gateway `deleting`, an ECS cluster `INACTIVE`, an Auto
//! Scaling group being deleted) do not count.

use std::collections::BTreeMap;

/// Live objects of the stack, by CloudFormation type; every type of [`COUNTED`] is present.
pub type Counts = BTreeMap<&'static str, usize>;

/// The types counted.
pub const COUNTED: [&str; 17] = [
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::RouteTable",
    "AWS::EC2::EIP",
    "AWS::EC2::NatGateway",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::LaunchTemplate",
    "AWS::IAM::Role",
    "AWS::IAM::InstanceProfile",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::Logs::LogGroup",
];

const STACK_TAG: &str = "infra:stack";

/// Counts the stack's objects of every [`COUNTED`] type in the emulator at `endpoint`.
pub fn take(endpoint: &str, region: &str, stack: &str) -> Counts {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("census runtime");
    rt.block_on(async {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_owned()))
            .endpoint_url(endpoint)
            .credentials_provider(aws_credential_types::Credentials::new(
                "testing", "testing", None, None, "census",
            ))
            .load()
            .await;
        let mut counts = Counts::new();
        ec2(&config, stack, &mut counts).await;
        iam(&config, stack, &mut counts).await;
        elb(&config, stack, &mut counts).await;
        ecs(&config, stack, &mut counts).await;
        autoscaling(&config, stack, &mut counts).await;
        logs(&config, stack, &mut counts).await;
        for t in COUNTED {
            assert!(counts.contains_key(t), "the census does not count {t}");
        }
        counts
    })
}

fn has_stack_tag<'a>(
    tags: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
    stack: &str,
) -> bool {
    tags.into_iter()
        .any(|(k, v)| k == Some(STACK_TAG) && v == Some(stack))
}

/// `Describe*` filtered by the stack's tag, and each answer checked for it too: the emulator
/// ignores the tag filter of some calls (`DescribeNatGateways` answers every NAT gateway of
/// the account, `DescribeLaunchTemplates` every template).
async fn ec2(config: &aws_config::SdkConfig, stack: &str, counts: &mut Counts) {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let filter = || {
        aws_sdk_ec2::types::Filter::builder()
            .name(format!("tag:{STACK_TAG}"))
            .values(stack)
            .build()
    };
    let ours = |tags: &[aws_sdk_ec2::types::Tag]| {
        has_stack_tag(tags.iter().map(|t| (t.key(), t.value())), stack)
    };
    let vpcs = ec2.describe_vpcs().filters(filter()).send().await;
    counts.insert(
        "AWS::EC2::VPC",
        vpcs.expect("DescribeVpcs")
            .vpcs()
            .iter()
            .filter(|v| ours(v.tags()))
            .count(),
    );
    let subnets = ec2.describe_subnets().filters(filter()).send().await;
    counts.insert(
        "AWS::EC2::Subnet",
        subnets
            .expect("DescribeSubnets")
            .subnets()
            .iter()
            .filter(|s| ours(s.tags()))
            .count(),
    );
    let gateways = ec2
        .describe_internet_gateways()
        .filters(filter())
        .send()
        .await;
    counts.insert(
        "AWS::EC2::InternetGateway",
        gateways
            .expect("DescribeInternetGateways")
            .internet_gateways()
            .iter()
            .filter(|g| ours(g.tags()))
            .count(),
    );
    let tables = ec2.describe_route_tables().filters(filter()).send().await;
    counts.insert(
        "AWS::EC2::RouteTable",
        tables
            .expect("DescribeRouteTables")
            .route_tables()
            .iter()
            .filter(|t| ours(t.tags()))
            .count(),
    );
    let addresses = ec2.describe_addresses().filters(filter()).send().await;
    counts.insert(
        "AWS::EC2::EIP",
        addresses
            .expect("DescribeAddresses")
            .addresses()
            .iter()
            .filter(|a| ours(a.tags()))
            .count(),
    );
    let nats = ec2.describe_nat_gateways().filter(filter()).send().await;
    counts.insert(
        "AWS::EC2::NatGateway",
        nats.expect("DescribeNatGateways")
            .nat_gateways()
            .iter()
            .filter(|n| {
                n.state()
                    .is_some_and(|s| !matches!(s.as_str(), "deleted" | "deleting" | "failed"))
            })
            .filter(|n| ours(n.tags()))
            .count(),
    );
    let groups = ec2
        .describe_security_groups()
        .filters(filter())
        .send()
        .await;
    counts.insert(
        "AWS::EC2::SecurityGroup",
        groups
            .expect("DescribeSecurityGroups")
            .security_groups()
            .iter()
            .filter(|g| ours(g.tags()))
            .count(),
    );
    let templates = ec2.describe_launch_templates().send().await;
    counts.insert(
        "AWS::EC2::LaunchTemplate",
        templates
            .expect("DescribeLaunchTemplates")
            .launch_templates()
            .iter()
            .filter(|t| ours(t.tags()))
            .count(),
    );
}

async fn iam(config: &aws_config::SdkConfig, stack: &str, counts: &mut Counts) {
    let iam = aws_sdk_iam::Client::new(config);
    let roles = iam.list_roles().max_items(1000).send().await;
    let mut tagged = 0;
    for role in roles.expect("ListRoles").roles() {
        // The tests share one emulator: a role listed may be deleted by another test before its
        // tags are read. A role gone is not one of this stack's.
        let tags = match iam
            .list_role_tags()
            .role_name(role.role_name())
            .send()
            .await
        {
            Ok(tags) => tags,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_no_such_entity_exception()) =>
            {
                continue;
            }
            Err(e) => panic!("ListRoleTags {}: {e:?}", role.role_name()),
        };
        if has_stack_tag(
            tags.tags().iter().map(|t| (Some(t.key()), Some(t.value()))),
            stack,
        ) {
            tagged += 1;
        }
    }
    counts.insert("AWS::IAM::Role", tagged);
    // By the generated name: the emulator has no ListInstanceProfileTags.
    let profiles = iam.list_instance_profiles().max_items(1000).send().await;
    let prefix = format!("{stack}-");
    counts.insert(
        "AWS::IAM::InstanceProfile",
        profiles
            .expect("ListInstanceProfiles")
            .instance_profiles()
            .iter()
            .filter(|p| p.instance_profile_name().starts_with(&prefix))
            .count(),
    );
}

/// The ARNs among `arns` whose ELBv2 tags name the stack.
async fn elb_tagged(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    arns: Vec<String>,
    stack: &str,
) -> Vec<String> {
    let mut tagged = Vec::new();
    // DescribeTags takes at most 20 ARNs.
    for chunk in arns.chunks(20) {
        let described = elb
            .describe_tags()
            .set_resource_arns(Some(chunk.to_vec()))
            .send()
            .await
            .expect("DescribeTags");
        for description in described.tag_descriptions() {
            if has_stack_tag(
                description.tags().iter().map(|t| (t.key(), t.value())),
                stack,
            ) && let Some(arn) = description.resource_arn()
            {
                tagged.push(arn.to_owned());
            }
        }
    }
    tagged
}

async fn elb(config: &aws_config::SdkConfig, stack: &str, counts: &mut Counts) {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let balancers = elb
        .describe_load_balancers()
        .send()
        .await
        .expect("DescribeLoadBalancers");
    let arns = balancers
        .load_balancers()
        .iter()
        .filter_map(|b| b.load_balancer_arn().map(str::to_owned))
        .collect();
    let balancers = elb_tagged(&elb, arns, stack).await;
    counts.insert("AWS::ElasticLoadBalancingV2::LoadBalancer", balancers.len());
    let groups = elb
        .describe_target_groups()
        .send()
        .await
        .expect("DescribeTargetGroups");
    let arns = groups
        .target_groups()
        .iter()
        .filter_map(|g| g.target_group_arn().map(str::to_owned))
        .collect();
    counts.insert(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        elb_tagged(&elb, arns, stack).await.len(),
    );
    // The listeners of the stack's load balancers.
    let mut listeners = 0;
    for arn in &balancers {
        let found = elb
            .describe_listeners()
            .load_balancer_arn(arn)
            .send()
            .await
            .expect("DescribeListeners");
        listeners += found.listeners().len();
    }
    counts.insert("AWS::ElasticLoadBalancingV2::Listener", listeners);
}

async fn ecs(config: &aws_config::SdkConfig, stack: &str, counts: &mut Counts) {
    let ecs = aws_sdk_ecs::Client::new(config);
    let arns = ecs
        .list_clusters()
        .send()
        .await
        .expect("ListClusters")
        .cluster_arns()
        .to_vec();
    let clusters: Vec<String> = if arns.is_empty() {
        Vec::new()
    } else {
        ecs.describe_clusters()
            .set_clusters(Some(arns))
            .include(aws_sdk_ecs::types::ClusterField::Tags)
            .send()
            .await
            .expect("DescribeClusters")
            .clusters()
            .iter()
            .filter(|c| c.status() == Some("ACTIVE"))
            .filter(|c| has_stack_tag(c.tags().iter().map(|t| (t.key(), t.value())), stack))
            .filter_map(|c| c.cluster_arn().map(str::to_owned))
            .collect()
    };
    counts.insert("AWS::ECS::Cluster", clusters.len());
    // The active services of the stack's clusters.
    let mut services = 0;
    for cluster in &clusters {
        let listed = ecs
            .list_services()
            .cluster(cluster)
            .send()
            .await
            .expect("ListServices");
        if listed.service_arns().is_empty() {
            continue;
        }
        let described = ecs
            .describe_services()
            .cluster(cluster)
            .set_services(Some(listed.service_arns().to_vec()))
            .send()
            .await
            .expect("DescribeServices");
        services += described
            .services()
            .iter()
            .filter(|s| s.status() == Some("ACTIVE"))
            .count();
    }
    counts.insert("AWS::ECS::Service", services);
}

async fn autoscaling(config: &aws_config::SdkConfig, stack: &str, counts: &mut Counts) {
    let asg = aws_sdk_autoscaling::Client::new(config);
    let groups = asg
        .describe_auto_scaling_groups()
        .send()
        .await
        .expect("DescribeAutoScalingGroups");
    counts.insert(
        "AWS::AutoScaling::AutoScalingGroup",
        groups
            .auto_scaling_groups()
            .iter()
            .filter(|g| g.status().is_none_or(|s| !s.contains("Delete")))
            .filter(|g| has_stack_tag(g.tags().iter().map(|t| (t.key(), t.value())), stack))
            .count(),
    );
}

/// By the generated name: the stack's log group is named `<stack>-<logical>-<SUFFIX>`.
async fn logs(config: &aws_config::SdkConfig, stack: &str, counts: &mut Counts) {
    let logs = aws_sdk_cloudwatchlogs::Client::new(config);
    let groups = logs
        .describe_log_groups()
        .log_group_name_prefix(format!("{stack}-"))
        .send()
        .await
        .expect("DescribeLogGroups");
    counts.insert("AWS::Logs::LogGroup", groups.log_groups().len());
}
