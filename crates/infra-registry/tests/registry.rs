//! Spot checks of the generated registry against what the vendored schemas
//! and CloudFormation's documentation say.

use std::collections::HashSet;

use infra_registry::{
    ObjectShape, RefKind, ReplacementStrategy, ResourceType, Shape, UpdateBehavior, lookup,
    supported_types,
};

fn get(type_name: &str) -> &'static ResourceType {
    lookup(type_name).unwrap_or_else(|| panic!("{type_name} is not supported"))
}

#[test]
fn unknown_types_are_not_found() {
    assert!(lookup("AWS::EC2::Instance").is_none());
    assert!(lookup("aws::ec2::vpc").is_none());
    assert!(lookup("Custom::AsgDestroyer").is_none());
    assert!(lookup("").is_none());
}

#[test]
fn tables_are_sorted_for_lookup() {
    let types = supported_types();
    assert!(types.windows(2).all(|pair| pair[0].name < pair[1].name));
    for resource_type in types {
        let name = resource_type.name;
        assert!(
            resource_type
                .properties
                .windows(2)
                .all(|pair| pair[0].name < pair[1].name),
            "{name} properties"
        );
        assert!(
            resource_type
                .attributes
                .windows(2)
                .all(|pair| pair[0].name < pair[1].name),
            "{name} attributes"
        );
        assert!(std::ptr::eq(get(name), resource_type));
        for property in resource_type.properties {
            assert!(resource_type.property(property.name).is_some(), "{name}");
        }
        for attribute in resource_type.attributes {
            assert!(resource_type.attribute(attribute.name).is_some(), "{name}");
        }
    }
}

#[test]
fn every_type_has_identifiers_that_are_properties() {
    for resource_type in supported_types() {
        assert!(
            !resource_type.primary_identifier.is_empty(),
            "{}",
            resource_type.name
        );
        for path in resource_type.primary_identifier {
            assert!(
                resource_type.shape_at(path).is_some(),
                "{}: primary identifier {path}",
                resource_type.name
            );
        }
        for name in resource_type.required {
            assert!(
                resource_type.property(name).is_some(),
                "{}: required {name}",
                resource_type.name
            );
        }
    }
}

#[test]
fn vpc() {
    let vpc = get("AWS::EC2::VPC");
    assert!(vpc.is_create_only("CidrBlock"));
    assert!(vpc.is_create_only("Ipv4NetmaskLength"));
    assert!(!vpc.is_create_only("InstanceTenancy"));
    assert!(!vpc.is_create_only("EnableDnsHostnames"));
    assert_eq!(
        vpc.update_behavior("CidrBlock"),
        UpdateBehavior::Replacement
    );
    assert_eq!(
        vpc.update_behavior("InstanceTenancy"),
        UpdateBehavior::ConditionalReplacement
    );
    assert_eq!(
        vpc.update_behavior("EnableDnsHostnames"),
        UpdateBehavior::InPlace
    );
    assert_eq!(vpc.update_behavior("VpcId"), UpdateBehavior::ReadOnly);
    assert_eq!(vpc.primary_identifier, ["VpcId"]);
    assert!(vpc.required.is_empty());
    assert!(vpc.tagging.taggable);
    assert!(vpc.tagging.tag_on_create && vpc.tagging.tag_updatable);
    assert_eq!(vpc.tagging.tag_property, Some("Tags"));
    assert_eq!(vpc.ref_returns.kind, RefKind::PhysicalId);
    assert_eq!(vpc.ref_returns.same_as, Some("VpcId"));
    assert!(vpc.naming.is_none());
    assert_eq!(
        vpc.replacement_strategy,
        ReplacementStrategy::CreateThenDelete
    );
    // Every VPC property is a GetAtt attribute; the documented ones included.
    for name in [
        "CidrBlock",
        "CidrBlockAssociations",
        "DefaultNetworkAcl",
        "DefaultSecurityGroup",
        "Ipv6CidrBlocks",
        "VpcId",
    ] {
        assert!(vpc.attribute(name).is_some(), "VPC attribute {name}");
    }
    assert!(
        !get("AWS::EC2::VPC")
            .attribute("CidrBlock")
            .is_some_and(|a| a.read_only)
    );
    assert!(vpc.attribute("VpcId").is_some_and(|a| a.read_only));
}

#[test]
fn subnet() {
    let subnet = get("AWS::EC2::Subnet");
    assert!(subnet.is_create_only("VpcId"));
    assert!(subnet.is_create_only("AvailabilityZone"));
    assert!(subnet.is_create_only("CidrBlock"));
    assert!(!subnet.is_create_only("MapPublicIpOnLaunch"));
    assert!(subnet.is_required("VpcId"));
    assert_eq!(
        subnet.property("VpcId").map(|p| p.shape),
        Some(Shape::String)
    );
}

#[test]
fn launch_template() {
    let template = get("AWS::EC2::LaunchTemplate");
    for name in [
        "LatestVersionNumber",
        "DefaultVersionNumber",
        "LaunchTemplateId",
    ] {
        let attribute = template.attribute(name).unwrap_or_else(|| panic!("{name}"));
        assert!(attribute.read_only);
        assert_eq!(attribute.shape, Shape::String);
    }
    assert!(template.is_required("LaunchTemplateData"));
    assert!(template.is_write_only("LaunchTemplateData/ImageId"));
    assert!(template.is_create_only("LaunchTemplateName"));
    assert!(!template.is_create_only("LaunchTemplateData/ImageId"));
    assert_eq!(
        template.shape_at("LaunchTemplateData/ImageId"),
        Some(&Shape::String)
    );
    assert_eq!(
        template.shape_at("LaunchTemplateData/UserData"),
        Some(&Shape::String)
    );
    // The schema marks the type not taggable: tags go through TagSpecifications.
    assert!(!template.tagging.taggable);
    assert_eq!(template.tagging.tag_property, None);
    assert_eq!(template.ref_returns.kind, RefKind::PhysicalId);
    let naming = template.naming.expect("LaunchTemplateName");
    assert_eq!(
        (naming.property, naming.max_len),
        ("LaunchTemplateName", 128)
    );
}

#[test]
fn eip_ref_is_the_address() {
    let eip = get("AWS::EC2::EIP");
    assert!(eip.attribute("AllocationId").is_some());
    assert!(eip.attribute("PublicIp").is_some());
    assert_eq!(eip.ref_returns.kind, RefKind::Other);
    assert_eq!(eip.ref_returns.same_as, Some("PublicIp"));
    assert_eq!(eip.primary_identifier, ["PublicIp", "AllocationId"]);
}

#[test]
fn iam_role() {
    let role = get("AWS::IAM::Role");
    assert_eq!(role.required, ["AssumeRolePolicyDocument"]);
    assert_eq!(
        role.property("AssumeRolePolicyDocument").map(|p| p.shape),
        Some(Shape::Json)
    );
    assert!(role.attribute("Arn").is_some());
    assert!(role.attribute("RoleId").is_some());
    assert!(role.attribute("RoleName").is_none());
    assert!(role.is_create_only("RoleName"));
    assert!(role.is_create_only("Path"));
    assert_eq!(role.ref_returns.kind, RefKind::Name);
    let naming = role.naming.expect("RoleName");
    assert_eq!((naming.property, naming.max_len), ("RoleName", 64));
    assert!(naming.explicit_forces_replacement);
    // Policies/PolicyDocument is a policy document inside a list of objects.
    assert_eq!(
        role.shape_at("Policies/*/PolicyDocument"),
        Some(&Shape::Json)
    );
}

#[test]
fn iam_policy_and_instance_profile() {
    let policy = get("AWS::IAM::Policy");
    assert!(policy.is_required("PolicyName") && policy.is_required("PolicyDocument"));
    assert!(!policy.tagging.taggable);
    assert_eq!(policy.naming.map(|n| n.max_len), Some(128));
    assert_eq!(policy.ref_returns.kind, RefKind::Other);

    let profile = get("AWS::IAM::InstanceProfile");
    assert!(!profile.tagging.taggable);
    assert_eq!(profile.tagging.tag_property, None);
    assert_eq!(
        profile.shape_at("Roles"),
        Some(&Shape::List(&Shape::String))
    );

    let managed = get("AWS::IAM::ManagedPolicy");
    assert_eq!(managed.ref_returns.kind, RefKind::Arn);
    assert_eq!(managed.ref_returns.same_as, Some("PolicyArn"));
}

#[test]
fn load_balancer_attributes_match_the_documented_return_values() {
    let lb = get("AWS::ElasticLoadBalancingV2::LoadBalancer");
    for name in [
        "CanonicalHostedZoneID",
        "DNSName",
        "LoadBalancerArn",
        "LoadBalancerFullName",
        "LoadBalancerName",
    ] {
        assert!(lb.attribute(name).is_some_and(|a| a.read_only), "{name}");
    }
    let security_groups = lb.attribute("SecurityGroups").expect("SecurityGroups");
    assert_eq!(security_groups.shape, Shape::List(&Shape::String));
    assert!(!security_groups.read_only);
    assert_eq!(lb.ref_returns.kind, RefKind::Arn);
    assert!(lb.is_create_only("Name") && lb.is_create_only("Scheme"));
    let naming = lb.naming.expect("Name");
    assert_eq!((naming.property, naming.max_len), ("Name", 32));

    let target_group = get("AWS::ElasticLoadBalancingV2::TargetGroup");
    assert_eq!(target_group.naming.map(|n| n.max_len), Some(32));
    assert!(target_group.attribute("TargetGroupFullName").is_some());
    assert!(target_group.attribute("LoadBalancerArns").is_some());
}

#[test]
fn lambda_and_ecs_cluster_have_arn() {
    let function = get("AWS::Lambda::Function");
    assert!(function.attribute("Arn").is_some());
    assert!(function.attribute("SnapStartResponse.ApplyOn").is_some());
    assert_eq!(function.required, ["Code", "Role"]);
    assert!(function.is_write_only("Code/ZipFile"));
    assert_eq!(function.naming.map(|n| n.max_len), Some(64));

    let cluster = get("AWS::ECS::Cluster");
    assert!(cluster.attribute("Arn").is_some());
    assert_eq!(cluster.ref_returns.kind, RefKind::Name);
    assert_eq!(cluster.naming.map(|n| n.property), Some("ClusterName"));
}

#[test]
fn ecs_service_network_configuration_subnets_are_strings() {
    let service = get("AWS::ECS::Service");
    let network = service
        .property("NetworkConfiguration")
        .expect("NetworkConfiguration");
    let Shape::Object(network) = network.shape else {
        panic!("NetworkConfiguration is {:?}", network.shape);
    };
    let awsvpc = network
        .property("AwsvpcConfiguration")
        .expect("AwsvpcConfiguration");
    let Shape::Object(awsvpc) = awsvpc.shape else {
        panic!("AwsvpcConfiguration is {:?}", awsvpc.shape);
    };
    let subnets = awsvpc.property("Subnets").expect("Subnets");
    assert!(matches!(subnets.shape, Shape::List(Shape::String)));
    // Subnets come back from AWS in any order.
    assert!(!subnets.insertion_order);
    assert_eq!(
        service.shape_at("NetworkConfiguration/AwsvpcConfiguration/Subnets/*"),
        Some(&Shape::String)
    );
    assert_eq!(service.ref_returns.kind, RefKind::Arn);
    assert!(service.is_create_only("ServiceName"));
    assert!(service.attribute("ServiceArn").is_some());
    assert!(service.attribute("Name").is_some());
}

#[test]
fn ecs_capacity_provider_nested_create_only() {
    let provider = get("AWS::ECS::CapacityProvider");
    assert!(provider.is_create_only("AutoScalingGroupProvider/AutoScalingGroupArn"));
    assert!(!provider.is_create_only("AutoScalingGroupProvider/ManagedScaling"));
    assert!(provider.attributes.is_empty());
}

#[test]
fn security_group_write_only_rule_fields() {
    let group = get("AWS::EC2::SecurityGroup");
    assert!(group.is_write_only("SecurityGroupIngress/3/SourceSecurityGroupName"));
    assert!(!group.is_write_only("SecurityGroupIngress/3/CidrIp"));
    assert!(group.is_required("GroupDescription"));
    assert!(group.attribute("GroupId").is_some());
    assert!(group.attribute("VpcId").is_some());
    let ingress = group
        .shape_at("SecurityGroupIngress/*")
        .and_then(Shape::as_object)
        .expect("ingress rules are objects");
    assert!(ingress.is_required("IpProtocol"));
    assert!(!ingress.additional_properties);
}

#[test]
fn replacement_strategy_follows_the_schema() {
    for name in [
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::VPCGatewayAttachment",
    ] {
        assert_eq!(
            get(name).replacement_strategy,
            ReplacementStrategy::DeleteThenCreate
        );
    }
    assert_eq!(
        get("AWS::EC2::Route").replacement_strategy,
        ReplacementStrategy::CreateThenDelete
    );
}

#[test]
fn task_definition_container_definitions() {
    let task = get("AWS::ECS::TaskDefinition");
    let container = task
        .shape_at("ContainerDefinitions/*")
        .and_then(Shape::as_object)
        .expect("container definitions are objects");
    assert!(container.is_required("Image"));
    assert_eq!(
        container.property("Image").map(|p| p.shape),
        Some(Shape::String)
    );
    assert_eq!(
        task.shape_at("ContainerDefinitions/0/DockerLabels"),
        Some(&Shape::Json)
    );
    assert_eq!(
        task.shape_at("ContainerDefinitions/0/PortMappings/*/ContainerPort"),
        Some(&Shape::Integer)
    );
    assert!(task.is_create_only("ContainerDefinitions/0/Image"));
    assert!(task.shape_at("ContainerDefinitions/Image").is_none());
    assert!(task.shape_at("Nope").is_none());
}

/// Walks every shape of every type; each object is visited once, so this ends
/// even where definitions refer to themselves.
#[test]
fn every_shape_can_be_walked() {
    fn walk(shape: &Shape, seen: &mut HashSet<*const ObjectShape>) {
        match shape {
            Shape::List(item) => walk(item, seen),
            Shape::Object(object) if seen.insert(*object) => {
                assert!(!object.properties.is_empty(), "{}", object.location);
                for property in object.properties {
                    walk(&property.shape, seen);
                }
            }
            _ => {}
        }
    }
    let mut seen = HashSet::new();
    for resource_type in supported_types() {
        for property in resource_type.properties {
            walk(&property.shape, &mut seen);
        }
        for attribute in resource_type.attributes {
            walk(&attribute.shape, &mut seen);
        }
        // Debug output stops at objects, so it stays small.
        assert!(format!("{resource_type:?}").len() < 200_000);
    }
    assert!(seen.len() > 100, "only {} objects", seen.len());
}
