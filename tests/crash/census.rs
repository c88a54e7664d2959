//! What exists in the emulator, per resource type of the reference workload, read through each
//! service's own API; and the comparison with a state file.
//!
//! Every object is listed with the identifiers it can be recorded under (id, name, ARN), so
//! the comparison does not depend on which of them a type's `Ref` returns. The emulator is
//! reset before each trial, so everything listed was made by the trial; EC2 objects are
//! narrowed to the stack's `infra:stack` tag to leave out the default VPC and its parts.

use std::collections::BTreeMap;

use infra_state::State;

/// One object: the identifiers it may be recorded under.
pub type Object = Vec<String>;

/// Live objects by CloudFormation type.
pub type Census = BTreeMap<&'static str, Vec<Object>>;

/// Types the census does not list, and why.
///
/// - `AWS::EC2::SecurityGroupIngress`: AWS refuses a duplicate rule
///   (`InvalidPermission.Duplicate`), so a second copy cannot exist; the rule is checked by the
///   refresh of the next plan.
/// - `AWS::EC2::NetworkAclEntry`: likewise, AWS refuses a second entry with the same rule
///   number and direction (`NetworkAclEntryAlreadyExists`).
/// - `AWS::ECS::ClusterCapacityProviderAssociations` and `AWS::EC2::VPCDHCPOptionsAssociation`:
///   settings of the cluster and of the VPC, not objects.
pub const NOT_LISTED: [&str; 4] = [
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::NetworkAclEntry",
    "AWS::ECS::ClusterCapacityProviderAssociations",
    "AWS::EC2::VPCDHCPOptionsAssociation",
];

/// Lists everything of the workload's types in the emulator at `config`.
///
/// `capacity_providers` are the names to look capacity providers up by (see [`ecs`]).
pub async fn take(
    config: &aws_config::SdkConfig,
    stack: &str,
    capacity_providers: &[String],
) -> Census {
    let mut census = Census::new();
    ec2(config, stack, &mut census).await;
    iam(config, &mut census).await;
    ecs(config, capacity_providers, &mut census).await;
    elb(config, &mut census).await;
    let asg = aws_sdk_autoscaling::Client::new(config);
    let groups = asg
        .describe_auto_scaling_groups()
        .send()
        .await
        .expect("DescribeAutoScalingGroups");
    census.insert(
        "AWS::AutoScaling::AutoScalingGroup",
        groups
            .auto_scaling_groups()
            .iter()
            .filter(|g| g.status().is_none_or(|s| !s.contains("Delete")))
            .map(|g| ids([g.auto_scaling_group_name(), g.auto_scaling_group_arn()]))
            .collect(),
    );
    let logs = aws_sdk_cloudwatchlogs::Client::new(config);
    let groups = logs
        .describe_log_groups()
        .send()
        .await
        .expect("DescribeLogGroups");
    census.insert(
        "AWS::Logs::LogGroup",
        groups
            .log_groups()
            .iter()
            .map(|g| ids([g.log_group_name(), g.arn()]))
            .collect(),
    );
    let lambda = aws_sdk_lambda::Client::new(config);
    let functions = lambda.list_functions().send().await.expect("ListFunctions");
    census.insert(
        "AWS::Lambda::Function",
        functions
            .functions()
            .iter()
            .map(|f| ids([f.function_name(), f.function_arn()]))
            .collect(),
    );
    census
}

fn ids<'a>(names: impl IntoIterator<Item = Option<&'a str>>) -> Object {
    names.into_iter().flatten().map(str::to_owned).collect()
}

async fn ec2(config: &aws_config::SdkConfig, stack: &str, census: &mut Census) {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let tag = || {
        aws_sdk_ec2::types::Filter::builder()
            .name("tag:infra:stack")
            .values(stack)
            .build()
    };
    let vpcs = ec2
        .describe_vpcs()
        .filters(tag())
        .send()
        .await
        .expect("vpcs");
    census.insert(
        "AWS::EC2::VPC",
        vpcs.vpcs().iter().map(|v| ids([v.vpc_id()])).collect(),
    );
    let subnets = ec2
        .describe_subnets()
        .filters(tag())
        .send()
        .await
        .expect("subnets");
    census.insert(
        "AWS::EC2::Subnet",
        subnets
            .subnets()
            .iter()
            .map(|s| ids([s.subnet_id()]))
            .collect(),
    );
    let gateways = ec2
        .describe_internet_gateways()
        .filters(tag())
        .send()
        .await
        .expect("internet gateways");
    census.insert(
        "AWS::EC2::InternetGateway",
        gateways
            .internet_gateways()
            .iter()
            .map(|g| ids([g.internet_gateway_id()]))
            .collect(),
    );
    census.insert(
        "AWS::EC2::VPCGatewayAttachment",
        gateways
            .internet_gateways()
            .iter()
            .flat_map(|g| g.attachments().iter().map(|_| Vec::new()))
            .collect(),
    );
    let tables = ec2
        .describe_route_tables()
        .filters(tag())
        .send()
        .await
        .expect("route tables");
    census.insert(
        "AWS::EC2::RouteTable",
        tables
            .route_tables()
            .iter()
            .map(|t| ids([t.route_table_id()]))
            .collect(),
    );
    census.insert(
        "AWS::EC2::Route",
        tables
            .route_tables()
            .iter()
            .flat_map(|t| t.routes())
            // Not the VPC's own routes, nor those a gateway endpoint adds for its service.
            .filter(|r| {
                r.gateway_id()
                    .is_none_or(|g| g != "local" && !g.starts_with("vpce-"))
            })
            .map(|_| Vec::new())
            .collect(),
    );
    census.insert(
        "AWS::EC2::SubnetRouteTableAssociation",
        tables
            .route_tables()
            .iter()
            .flat_map(|t| t.associations())
            .filter(|a| a.main() != Some(true))
            .map(|a| ids([a.route_table_association_id()]))
            .collect(),
    );
    let addresses = ec2
        .describe_addresses()
        .filters(tag())
        .send()
        .await
        .expect("addresses");
    census.insert(
        "AWS::EC2::EIP",
        addresses
            .addresses()
            .iter()
            .map(|a| ids([a.allocation_id(), a.public_ip()]))
            .collect(),
    );
    let nats = ec2
        .describe_nat_gateways()
        .filter(tag())
        .send()
        .await
        .expect("nat gateways");
    census.insert(
        "AWS::EC2::NatGateway",
        nats.nat_gateways()
            .iter()
            .filter(|n| {
                n.state()
                    .is_some_and(|s| !matches!(s.as_str(), "deleted" | "deleting" | "failed"))
            })
            .map(|n| ids([n.nat_gateway_id()]))
            .collect(),
    );
    let groups = ec2
        .describe_security_groups()
        .filters(tag())
        .send()
        .await
        .expect("security groups");
    census.insert(
        "AWS::EC2::SecurityGroup",
        groups
            .security_groups()
            .iter()
            .map(|g| ids([g.group_id()]))
            .collect(),
    );
    // All of them: the emulator does not filter launch templates by tag (AWS does); after its
    // reset, every launch template is the trial's.
    let templates = ec2
        .describe_launch_templates()
        .send()
        .await
        .expect("launch templates");
    census.insert(
        "AWS::EC2::LaunchTemplate",
        templates
            .launch_templates()
            .iter()
            .map(|t| ids([t.launch_template_id(), t.launch_template_name()]))
            .collect(),
    );
}

async fn iam(config: &aws_config::SdkConfig, census: &mut Census) {
    let iam = aws_sdk_iam::Client::new(config);
    let roles = iam.list_roles().send().await.expect("roles");
    census.insert(
        "AWS::IAM::Role",
        roles
            .roles()
            .iter()
            .map(|r| ids([Some(r.role_name()), Some(r.arn())]))
            .collect(),
    );
    let profiles = iam
        .list_instance_profiles()
        .send()
        .await
        .expect("instance profiles");
    census.insert(
        "AWS::IAM::InstanceProfile",
        profiles
            .instance_profiles()
            .iter()
            .map(|p| ids([Some(p.instance_profile_name()), Some(p.arn())]))
            .collect(),
    );
}

/// By name: the emulator answers DescribeCapacityProviders without names with a 500 (AWS
/// lists them all), so capacity providers are looked up by the names the caller knows.
async fn ecs(config: &aws_config::SdkConfig, names: &[String], census: &mut Census) {
    let ecs = aws_sdk_ecs::Client::new(config);
    let arns = ecs
        .list_clusters()
        .send()
        .await
        .expect("clusters")
        .cluster_arns()
        .to_vec();
    let clusters = if arns.is_empty() {
        Vec::new()
    } else {
        ecs.describe_clusters()
            .set_clusters(Some(arns))
            .send()
            .await
            .expect("describe clusters")
            .clusters()
            .iter()
            .filter(|c| c.status() == Some("ACTIVE"))
            .cloned()
            .collect()
    };
    census.insert(
        "AWS::ECS::Cluster",
        clusters
            .iter()
            .map(|c| ids([c.cluster_name(), c.cluster_arn()]))
            .collect(),
    );
    let mut services = Vec::new();
    for cluster in &clusters {
        let Some(arn) = cluster.cluster_arn() else {
            continue;
        };
        let listed = ecs
            .list_services()
            .cluster(arn)
            .send()
            .await
            .expect("services");
        if listed.service_arns().is_empty() {
            continue;
        }
        let described = ecs
            .describe_services()
            .cluster(arn)
            .set_services(Some(listed.service_arns().to_vec()))
            .send()
            .await
            .expect("describe services");
        services.extend(
            described
                .services()
                .iter()
                .filter(|s| s.status() == Some("ACTIVE"))
                .map(|s| ids([s.service_name(), s.service_arn()])),
        );
    }
    census.insert("AWS::ECS::Service", services);
    let definitions = ecs
        .list_task_definitions()
        .status(aws_sdk_ecs::types::TaskDefinitionStatus::Active)
        .send()
        .await
        .expect("task definitions");
    census.insert(
        "AWS::ECS::TaskDefinition",
        definitions
            .task_definition_arns()
            .iter()
            .map(|a| vec![a.clone()])
            .collect(),
    );
    let providers = if names.is_empty() {
        Vec::new()
    } else {
        ecs.describe_capacity_providers()
            .set_capacity_providers(Some(names.to_vec()))
            .send()
            .await
            .expect("capacity providers")
            .capacity_providers()
            .iter()
            .filter(|c| c.status().is_some_and(|s| s.as_str() == "ACTIVE"))
            .map(|c| ids([c.name(), c.capacity_provider_arn()]))
            .collect()
    };
    census.insert("AWS::ECS::CapacityProvider", providers);
}

async fn elb(config: &aws_config::SdkConfig, census: &mut Census) {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let balancers = elb
        .describe_load_balancers()
        .send()
        .await
        .expect("load balancers");
    census.insert(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        balancers
            .load_balancers()
            .iter()
            .map(|b| ids([b.load_balancer_arn(), b.load_balancer_name()]))
            .collect(),
    );
    let groups = elb
        .describe_target_groups()
        .send()
        .await
        .expect("target groups");
    census.insert(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        groups
            .target_groups()
            .iter()
            .map(|g| ids([g.target_group_arn(), g.target_group_name()]))
            .collect(),
    );
    let mut listeners = Vec::new();
    for balancer in balancers.load_balancers() {
        let Some(arn) = balancer.load_balancer_arn() else {
            continue;
        };
        let found = elb
            .describe_listeners()
            .load_balancer_arn(arn)
            .send()
            .await
            .expect("listeners");
        listeners.extend(found.listeners().iter().map(|l| ids([l.listener_arn()])));
    }
    census.insert("AWS::ElasticLoadBalancingV2::Listener", listeners);
}

/// Where the census and the state disagree: one line per type, empty when they match.
///
/// For each listed type, the number of live objects must equal the number of records, and
/// every record's physical id must be an identifier of a live object.
pub fn compare(census: &Census, state: &State) -> Vec<String> {
    let mut recorded: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for record in state.resources.values() {
        recorded
            .entry(record.resource_type.as_str())
            .or_default()
            .push(record.physical_id.as_str());
    }
    let mut problems = Vec::new();
    for type_name in recorded.keys() {
        if NOT_LISTED.contains(type_name) {
            continue;
        }
        if !census.contains_key(type_name) {
            problems.push(format!(
                "{type_name}: recorded but not listed by the census"
            ));
        }
    }
    for (type_name, live) in census {
        let ids = recorded.get(type_name).cloned().unwrap_or_default();
        if live.len() != ids.len() {
            problems.push(format!(
                "{type_name}: {} live, {} recorded (live: {live:?}, recorded: {ids:?})",
                live.len(),
                ids.len()
            ));
            continue;
        }
        for id in ids {
            let listed = live
                .iter()
                .any(|object| object.is_empty() || object.iter().any(|i| i == id));
            if !listed {
                problems.push(format!("{type_name}: {id} is recorded but does not exist"));
            }
        }
    }
    problems
}

/// The number of live objects.
pub fn total(census: &Census) -> usize {
    census.values().map(Vec::len).sum()
}
