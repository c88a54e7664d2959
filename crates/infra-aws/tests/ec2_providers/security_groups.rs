//! Security groups: a group with inline rules, and standalone ingress and egress rules.

use std::collections::BTreeSet;

use serde_json::json;

use crate::harness::{Harness, tags};

#[tokio::test]
async fn security_group_with_inline_rules() {
    let h = Harness::new("sg-life").await;
    let vpc = h.vpc("10.60.0.0/16").await;
    let group = h
        .create(
            "App.SG",
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupDescription": "web servers",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
                    {"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "10.0.0.0/8", "Description": "ssh"},
                ],
                "Tags": tags(&[("Name", "web")]),
            }),
        )
        .await;
    assert!(group.id().starts_with("sg-"));
    assert_eq!(group.attr("GroupId"), group.id());
    assert_eq!(group.attr("VpcId"), vpc.id());
    // Only what CloudFormation documents for Fn::GetAtt (and Id, the Ref).
    assert_eq!(
        group.out.attributes.keys().collect::<Vec<_>>(),
        ["GroupId", "Id", "VpcId"]
    );
    h.assert_present(&group).await;

    // Without egress rules in the template, EC2's allow-all egress rule stays.
    let described = h
        .client
        .describe_security_groups()
        .group_ids(group.id())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // The name CloudFormation would generate, since the template has none.
    assert_eq!(
        described.security_groups()[0].group_name(),
        Some("sg-life-App-SG-GENERATED")
    );
    let egress = described.security_groups()[0].ip_permissions_egress();
    assert!(
        egress.iter().any(|p| p.ip_protocol() == Some("-1")),
        "default egress rule: {egress:?}"
    );

    // Ingress rule change (80 → 443, ssh description changed) and egress rules added (the
    // default allow-all rule goes), tags.
    let group = h
        .update(
            &group,
            json!({
                "GroupDescription": "web servers",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
                    {"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "10.0.0.0/8", "Description": "ssh from the VPN"},
                ],
                "SecurityGroupEgress": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
                ],
                "Tags": tags(&[("Name", "web"), ("Env", "test")]),
            }),
        )
        .await;
    h.assert_present(&group).await;
    let described = h
        .client
        .describe_security_groups()
        .group_ids(group.id())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let sg = &described.security_groups()[0];
    let ports: BTreeSet<Option<i32>> = sg.ip_permissions().iter().map(|p| p.from_port()).collect();
    assert_eq!(ports, BTreeSet::from([Some(22), Some(443)]));
    assert_eq!(
        sg.ip_permissions_egress().len(),
        1,
        "{:?}",
        sg.ip_permissions_egress()
    );

    // A group another group's rule refers to cannot go yet.
    let other = h
        .create(
            "App.Other",
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupDescription": "refers to the web group",
                "GroupName": "sg-life-other",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [{"IpProtocol": "-1", "SourceSecurityGroupId": group.id()}],
                "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}],
            }),
        )
        .await;
    // Egress rules given at create replace EC2's default allow-all rule.
    let egress_of = |id: String| {
        let client = h.client.clone();
        async move {
            let out = client
                .describe_security_groups()
                .group_ids(id)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            out.security_groups()[0].ip_permissions_egress().to_vec()
        }
    };
    assert_eq!(egress_of(other.id().to_owned()).await.len(), 1);
    h.assert_present(&other).await;
    // Removing every egress rule leaves none (CloudFormation does not restore the default).
    let other = h
        .update(
            &other,
            json!({
                "GroupDescription": "refers to the web group",
                "GroupName": "sg-life-other",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [{"IpProtocol": "-1", "SourceSecurityGroupId": group.id()}],
            }),
        )
        .await;
    assert!(egress_of(other.id().to_owned()).await.is_empty());
    h.assert_present(&other).await;
    // moto: deleting a group that another group's rules refer to succeeds; AWS answers
    // DependencyViolation (classified as such, see the VPC, gateway and route table cases), so
    // the referring group goes first here.
    h.delete(&other).await;
    h.delete(&group).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn standalone_security_group_rules() {
    let h = Harness::new("sgr-life").await;
    let vpc = h.vpc("10.70.0.0/16").await;
    let alb = h
        .create(
            "Svc.AlbSG",
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": "alb", "VpcId": vpc.id()}),
        )
        .await;
    let service = h
        .create(
            "Svc.ServiceSG",
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": "service", "VpcId": vpc.id()}),
        )
        .await;
    // The fixture's ServiceIngressfromLoadBalancer (IpProtocol -1 as YAML writes it).
    let ingress = h
        .create(
            "Svc.IngressFromAlb",
            "AWS::EC2::SecurityGroupIngress",
            json!({"Description": "Ingress from the public ALB", "GroupId": service.id(),
                   "IpProtocol": -1, "SourceSecurityGroupId": alb.id()}),
        )
        .await;
    assert!(ingress.id().starts_with("sgr-"), "{:?}", ingress.out);
    assert_eq!(ingress.attr("Id"), ingress.id());
    // AWS reports the description of every rule; moto reports it for CIDR rules only, which
    // the project's emulator fixes (emulator/fidelity.py), so it reads back as on AWS.
    h.assert_present(&ingress).await;

    // A CIDR rule: its description reads back, and changes in place.
    let cidr = h
        .create(
            "Svc.IngressHttps",
            "AWS::EC2::SecurityGroupIngress",
            json!({"GroupId": alb.id(), "IpProtocol": "tcp", "FromPort": 443, "ToPort": "443",
                   "CidrIp": "0.0.0.0/0", "Description": "https"}),
        )
        .await;
    h.assert_present(&cidr).await;
    let cidr = h
        .update(
            &cidr,
            json!({"GroupId": alb.id(), "IpProtocol": "tcp", "FromPort": 443, "ToPort": "443",
                   "CidrIp": "0.0.0.0/0", "Description": "https from anywhere"}),
        )
        .await;
    h.assert_present(&cidr).await;

    let egress = h
        .create(
            "Svc.EgressToService",
            "AWS::EC2::SecurityGroupEgress",
            json!({"GroupId": alb.id(), "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                   "DestinationSecurityGroupId": service.id(), "Description": "to tasks"}),
        )
        .await;
    assert!(egress.id().starts_with("sgr-"));
    h.assert_present(&egress).await;

    h.delete(&ingress).await;
    h.delete(&cidr).await;
    h.delete(&egress).await;
    h.delete(&service).await;
    h.delete(&alb).await;
    h.delete(&vpc).await;
}
