use std::path::Path;

use infra_template::{Deployment, EdgeKind, LoadOptions, Offline, Pseudo, load};

use super::*;

fn deploy(files: &[(&str, &str)]) -> (tempfile::TempDir, Deployment) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let opts = LoadOptions {
        texts: Default::default(),
        artifacts: Default::default(),
        parameters: Default::default(),
        pseudo: Pseudo {
            region: Some("us-east-1".into()),
            account_id: None,
            stack_name: "t".into(),
        },
    };
    let d = load(&dir.path().join(files[0].0), &opts, &Offline)
        .unwrap_or_else(|e| panic!("load failed: {:?}", e.diagnostics));
    (dir, d)
}

fn kinds(g: &ResourceGraph, a: &str, b: &str) -> Vec<EdgeKind> {
    g.edge(a, b)
        .unwrap_or_else(|| panic!("no edge {a} -> {b}"))
        .kinds
        .iter()
        .copied()
        .collect()
}

const NET: &str = r"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]]
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Route:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  Eip:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref Subnet, AllocationId: !GetAtt Eip.AllocationId}
  Sg:
    Type: AWS::EC2::SecurityGroup
    DependsOn: Subnet
    Properties:
      GroupDescription: !Sub 'sg in ${Vpc}'
      VpcId: !Ref Vpc
";

#[test]
fn edges_carry_the_kind_of_reference() {
    let (_d, dep) = deploy(&[("net.yml", NET)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    assert_eq!(kinds(&g, "Attach", "Vpc"), vec![EdgeKind::Ref]);
    assert_eq!(
        kinds(&g, "Subnet", "Vpc"),
        vec![EdgeKind::Ref, EdgeKind::GetAtt]
    );
    assert_eq!(kinds(&g, "Sg", "Vpc"), vec![EdgeKind::Ref, EdgeKind::Sub]);
    assert_eq!(kinds(&g, "Sg", "Subnet"), vec![EdgeKind::DependsOn]);
    assert!(
        g.edge("Vpc", "Sg").is_none(),
        "edges point from dependent to dependency"
    );
}

#[test]
fn network_ordering_is_inferred_where_the_template_is_silent() {
    let (_d, dep) = deploy(&[("net.yml", NET)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    assert_eq!(kinds(&g, "Route", "Attach"), vec![EdgeKind::Inferred]);
    assert_eq!(kinds(&g, "Nat", "Attach"), vec![EdgeKind::Inferred]);
    assert_eq!(kinds(&g, "Eip", "Attach"), vec![EdgeKind::Inferred]);
    assert_eq!(
        g.edge("Route", "Attach").and_then(|e| e.rule),
        Some("route-after-gateway-attachment")
    );
}

#[test]
fn isolated_network_ordering_is_inferred_where_the_template_is_silent() {
    let text = r"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Ipv6:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 1, 64]]
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  Entry:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 10.0.0.0/16}
  OtherAcl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  OtherEntry:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref OtherAcl, RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 10.0.0.0/16}
  Association:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {SubnetId: !Ref Subnet, NetworkAclId: !Ref Acl}
";
    let (_d, dep) = deploy(&[("net.yml", text)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    assert_eq!(kinds(&g, "Association", "Entry"), vec![EdgeKind::Inferred]);
    assert_eq!(
        g.edge("Association", "Entry").and_then(|e| e.rule),
        Some("network-acl-association-after-entries")
    );
    assert!(g.edge("Association", "OtherEntry").is_none());
    assert_eq!(kinds(&g, "Subnet", "Ipv6"), vec![EdgeKind::Inferred]);
    assert_eq!(
        g.edge("Subnet", "Ipv6").and_then(|e| e.rule),
        Some("subnet-after-vpc-cidr-block")
    );
}

#[test]
fn an_ecs_service_mounting_efs_waits_for_the_mount_targets() {
    let text = r"
Resources:
  Fs:
    Type: AWS::EFS::FileSystem
  OtherFs:
    Type: AWS::EFS::FileSystem
  MountA:
    Type: AWS::EFS::MountTarget
    Properties: {FileSystemId: !Ref Fs, SubnetId: subnet-a, SecurityGroups: [sg-1]}
  MountB:
    Type: AWS::EFS::MountTarget
    Properties: {FileSystemId: !Ref Fs, SubnetId: subnet-b, SecurityGroups: [sg-1]}
  OtherMount:
    Type: AWS::EFS::MountTarget
    Properties: {FileSystemId: !Ref OtherFs, SubnetId: subnet-a, SecurityGroups: [sg-1]}
  Ap:
    Type: AWS::EFS::AccessPoint
    Properties: {FileSystemId: !Ref OtherFs}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: app, Image: nginx}]
      Volumes:
        - Name: data
          EFSVolumeConfiguration: {FilesystemId: !Ref Fs}
  ApTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: app, Image: nginx}]
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: fs-12345678
            AuthorizationConfig: {AccessPointId: !Ref Ap}
  Service:
    Type: AWS::ECS::Service
    Properties: {TaskDefinition: !Ref Task}
  ApService:
    Type: AWS::ECS::Service
    Properties: {TaskDefinition: !Ref ApTask}
";
    let (_d, dep) = deploy(&[("efs.yml", text)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    for mount in ["MountA", "MountB"] {
        assert_eq!(kinds(&g, "Service", mount), vec![EdgeKind::Inferred]);
        assert_eq!(
            g.edge("Service", mount).and_then(|e| e.rule),
            Some("ecs-service-after-efs-mount-target")
        );
    }
    assert!(g.edge("Service", "OtherMount").is_none());
    // Through the access point the task definition names.
    assert_eq!(
        kinds(&g, "ApService", "OtherMount"),
        vec![EdgeKind::Inferred]
    );
    assert!(g.edge("ApService", "MountA").is_none());
}

#[test]
fn inferred_edges_never_close_a_cycle() {
    // The attachment waits for the route here, so the route cannot be made to wait for it.
    let text = NET.replace(
        "  Attach:\n    Type: AWS::EC2::VPCGatewayAttachment\n",
        "  Attach:\n    Type: AWS::EC2::VPCGatewayAttachment\n    DependsOn: Route\n",
    );
    let (_d, dep) = deploy(&[("net.yml", &text)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    assert!(g.edge("Route", "Attach").is_none());
    assert_eq!(kinds(&g, "Attach", "Route"), vec![EdgeKind::DependsOn]);
}

#[test]
fn every_cycle_is_reported_with_all_its_members() {
    let text = r"
Resources:
  A:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: !Ref B}
  B:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: !Ref C}
  C:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: !Ref A}
  D:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: !GetAtt E.GroupId}
  E:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: !GetAtt D.GroupId}
";
    let (_d, dep) = deploy(&[("c.yml", text)]);
    let err = build(&dep, GraphOptions::default()).expect_err("cyclic");
    assert_eq!(err.0.len(), 2, "{err:?}");
    assert!(
        err.0[0].message.contains("A -> B -> C -> A"),
        "{}",
        err.0[0].message
    );
    assert!(
        err.0[1].message.contains("D -> E -> D"),
        "{}",
        err.0[1].message
    );
    assert_eq!(err.0[0].notes.len(), 3);
    assert!(err.0[0].notes.iter().all(|n| n.span.is_some()));
}

const PARENT: &str = r"
Resources:
  Net:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: net.yml}
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: app.yml
      Parameters: {VpcId: !GetAtt Net.Outputs.VpcId}
";

const CHILD_NET: &str = r"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Other:
    Type: AWS::EC2::InternetGateway
Outputs:
  VpcId: {Value: !Ref Vpc}
";

const CHILD_APP: &str = r"
Parameters:
  VpcId: {Type: String}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: app, VpcId: !Ref VpcId}
  Log:
    Type: AWS::Logs::LogGroup
";

#[test]
fn nested_outputs_become_edges_to_the_resources_they_read() {
    let (_d, dep) = deploy(&[
        ("parent.yml", PARENT),
        ("net.yml", CHILD_NET),
        ("app.yml", CHILD_APP),
    ]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    assert_eq!(kinds(&g, "App.Sg", "Net.Vpc"), vec![EdgeKind::Nested]);
    assert!(g.edge("App.Sg", "Net.Other").is_none());
    assert!(
        g.edge("App.Log", "Net.Vpc").is_none(),
        "only readers wait without --nested-barrier"
    );
}

#[test]
fn nested_barrier_makes_a_stack_wait_for_all_of_a_sibling_it_reads() {
    let (_d, dep) = deploy(&[
        ("parent.yml", PARENT),
        ("net.yml", CHILD_NET),
        ("app.yml", CHILD_APP),
    ]);
    let g = build(
        &dep,
        GraphOptions {
            nested_barrier: true,
        },
    )
    .expect("acyclic");
    for from in ["App.Sg", "App.Log"] {
        for to in ["Net.Vpc", "Net.Other"] {
            assert!(
                kinds(&g, from, to).contains(&EdgeKind::Barrier),
                "{from} -> {to}"
            );
        }
    }
    assert!(g.edge("Net.Vpc", "App.Sg").is_none());
}

#[test]
fn dot_output_has_one_cluster_per_nested_stack() {
    let (_d, dep) = deploy(&[
        ("parent.yml", PARENT),
        ("net.yml", CHILD_NET),
        ("app.yml", CHILD_APP),
    ]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    insta::assert_snapshot!(to_dot(&g, &dep));
}

#[test]
fn json_output_lists_nodes_and_edges() {
    let (_d, dep) = deploy(&[
        ("parent.yml", PARENT),
        ("net.yml", CHILD_NET),
        ("app.yml", CHILD_APP),
    ]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    let j = to_json(&g, &dep);
    assert_eq!(j["nodes"].as_array().map(Vec::len), Some(4));
    assert_eq!(j["stacks"].as_array().map(Vec::len), Some(3));
    let edge = &j["edges"][0];
    assert_eq!(edge["from"], "App.Sg");
    assert_eq!(edge["to"], "Net.Vpc");
    assert_eq!(edge["kinds"][0], "nested");
}

#[test]
fn the_user_guide_lists_every_inferred_rule() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/templates.md");
    let text = std::fs::read_to_string(&guide).expect("docs/templates.md");
    for rule in INFERRED_RULES {
        assert!(
            text.contains(&format!("`{}`", rule.id)),
            "docs/templates.md does not list rule {}",
            rule.id
        );
    }
}

#[test]
fn scaling_ordering_is_inferred_where_the_template_is_silent() {
    let text = r#"
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  Service:
    Type: AWS::ECS::Service
    Properties: {Cluster: !Ref Cluster, ServiceName: web, TaskDefinition: td, DesiredCount: 1}
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: ecs
      ScalableDimension: ecs:service:DesiredCount
      ResourceId: !Sub service/${Cluster}/web
      MinCapacity: 1
      MaxCapacity: 2
  ByParts:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: p
      PolicyType: StepScaling
      ServiceNamespace: ecs
      ScalableDimension: ecs:service:DesiredCount
      ResourceId: !Sub service/${Cluster}/web
  ById:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties: {PolicyName: q, PolicyType: StepScaling, ScalingTargetId: !Ref Target}
  OtherPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: r
      PolicyType: StepScaling
      ServiceNamespace: ecs
      ScalableDimension: ecs:service:DesiredCount
      ResourceId: service/elsewhere/other
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {AutoScalingGroupName: fleet, MinSize: 0, MaxSize: 1, LaunchConfigurationName: lc}
  Hook:
    Type: AWS::AutoScaling::LifecycleHook
    Properties: {AutoScalingGroupName: fleet, LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING"}
  Nightly:
    Type: AWS::AutoScaling::ScheduledAction
    Properties: {AutoScalingGroupName: fleet, Recurrence: "0 22 * * *", MinSize: 0}
  ScaleOut:
    Type: AWS::AutoScaling::ScalingPolicy
    Properties: {AutoScalingGroupName: !Ref Group, ScalingAdjustment: 1}
  Elsewhere:
    Type: AWS::AutoScaling::LifecycleHook
    Properties: {AutoScalingGroupName: another, LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING"}
"#;
    let (_d, dep) = deploy(&[("scaling.yml", text)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    let rule = |a, b| g.edge(a, b).and_then(|e| e.rule);
    assert_eq!(kinds(&g, "ByParts", "Target"), vec![EdgeKind::Inferred]);
    assert_eq!(
        rule("ByParts", "Target"),
        Some("scaling-policy-after-scalable-target")
    );
    assert!(
        g.edge("OtherPolicy", "Target").is_none(),
        "another resource id"
    );
    assert_eq!(kinds(&g, "ById", "Target"), vec![EdgeKind::Ref]);
    assert_eq!(
        rule("Target", "Service"),
        Some("scalable-target-after-ecs-service")
    );
    assert_eq!(
        rule("Hook", "Group"),
        Some("auto-scaling-group-parts-after-group")
    );
    assert_eq!(
        rule("Nightly", "Group"),
        Some("auto-scaling-group-parts-after-group")
    );
    assert_eq!(kinds(&g, "ScaleOut", "Group"), vec![EdgeKind::Ref]);
    assert!(
        g.edge("Elsewhere", "Group").is_none(),
        "another group's name"
    );
}

#[test]
fn a_cluster_waits_for_the_namespace_its_service_connect_defaults_name() {
    let text = r#"
Resources:
  Catalog:
    Type: AWS::ServiceDiscovery::HttpNamespace
    Properties: {Name: catalog}
  Internal:
    Type: AWS::ServiceDiscovery::PrivateDnsNamespace
    Properties: {Name: internal.example, Vpc: vpc-1}
  ByName:
    Type: AWS::ECS::Cluster
    Properties: {ServiceConnectDefaults: {Namespace: catalog}}
  ByRef:
    Type: AWS::ECS::Cluster
    Properties: {ServiceConnectDefaults: {Namespace: !GetAtt Internal.Arn}}
  Elsewhere:
    Type: AWS::ECS::Cluster
    Properties: {ServiceConnectDefaults: {Namespace: other}}
"#;
    let (_d, dep) = deploy(&[("connect.yml", text)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    assert_eq!(kinds(&g, "ByName", "Catalog"), vec![EdgeKind::Inferred]);
    let rule = g.edge("ByName", "Catalog").and_then(|e| e.rule);
    assert_eq!(rule, Some("ecs-cluster-after-service-connect-namespace"));
    assert_eq!(kinds(&g, "ByRef", "Internal"), vec![EdgeKind::GetAtt]);
    assert!(g.edge("Elsewhere", "Catalog").is_none(), "another name");
    assert!(g.edge("ByName", "Internal").is_none(), "another name");
}

#[test]
fn deliveries_wait_for_the_policies_that_allow_them_and_records_for_their_named_zone() {
    let text = r#"
Resources:
  Queue:
    Type: AWS::SQS::Queue
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: sns.amazonaws.com}, Action: "sqs:SendMessage", Resource: !GetAtt Queue.Arn}]}
  Topic:
    Type: AWS::SNS::Topic
  TopicPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Topic]
      PolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: "sns:Publish", Resource: !Ref Topic}]}
  Subscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Queue.Arn}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets: [{Id: q, Arn: !GetAtt Queue.Arn}, {Id: t, Arn: !Ref Topic}]
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: r, Runtime: python3.12, Handler: i.h, Code: {ZipFile: x}}
  Permission:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Fn, Action: "lambda:InvokeFunction", Principal: s3.amazonaws.com}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations: [{Event: "s3:ObjectCreated:*", Function: !GetAtt Fn.Arn}]
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: Example.com}
  Www:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneName: example.com., Name: www.example.com, Type: CNAME, TTL: "60", ResourceRecords: [a.example.com]}
  Elsewhere:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneName: other.org., Name: www.other.org, Type: CNAME, TTL: "60", ResourceRecords: [a.example.com]}
"#;
    let (_d, dep) = deploy(&[("apps.yml", text)]);
    let g = build(&dep, GraphOptions::default()).expect("acyclic");
    let rule = |a, b| g.edge(a, b).and_then(|e| e.rule);
    assert_eq!(
        rule("Subscription", "QueuePolicy"),
        Some("delivery-after-queue-policy")
    );
    assert_eq!(
        rule("Rule", "QueuePolicy"),
        Some("delivery-after-queue-policy")
    );
    assert_eq!(
        rule("Rule", "TopicPolicy"),
        Some("delivery-after-topic-policy")
    );
    assert_eq!(
        rule("Bucket", "Permission"),
        Some("bucket-after-lambda-permission")
    );
    assert_eq!(
        rule("Www", "Zone"),
        Some("record-set-after-named-hosted-zone")
    );
    assert!(g.edge("Elsewhere", "Zone").is_none());
    assert!(g.edge("Subscription", "TopicPolicy").is_none());
}
