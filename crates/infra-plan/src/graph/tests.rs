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
