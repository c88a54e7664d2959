//! Batched reads: 100 subnets and 100 security groups read with one call per page.

use std::collections::BTreeMap;

use infra_aws::provider::Observation;
use serde_json::json;

use crate::harness::{Harness, Made};

#[tokio::test]
async fn batched_read_of_100_subnets_makes_one_call_per_page() {
    let h = Harness::new("batch").await;
    let vpc = h.vpc("10.80.0.0/16").await;
    let mut subnets = Vec::new();
    for i in 0..100 {
        let subnet = h
            .create(
                &format!("Net.Subnet{i}"),
                "AWS::EC2::Subnet",
                json!({"VpcId": vpc.id(), "CidrBlock": format!("10.80.{i}.0/24")}),
            )
            .await;
        subnets.push(subnet);
    }
    let before = h.calls.count("DescribeSubnets");
    let acls_before = h.calls.count("DescribeNetworkAcls");
    let refs: Vec<&Made> = subnets.iter().collect();
    let seen = h.read_all(&refs).await;
    let calls = h.calls.count("DescribeSubnets") - before;
    let acl_calls = h.calls.count("DescribeNetworkAcls") - acls_before;
    assert_eq!(seen.len(), 100);
    assert!(
        seen.values()
            .all(|o| matches!(o, Observation::Present { .. }))
    );
    // 100 ids fit in one filter (at most 200 values) and one page (1000 results): one call,
    // and one for their network ACL associations, which are read again every time (an
    // AWS::EC2::SubnetNetworkAclAssociation changes them).
    assert_eq!(calls, 1, "DescribeSubnets calls for 100 subnets");
    assert_eq!(acl_calls, 1, "DescribeNetworkAcls calls for 100 subnets");
    for made in &refs {
        let Some(Observation::Present { attributes, .. }) = seen.get(&made.address) else {
            panic!("{} is gone", made.address);
        };
        assert_eq!(
            attributes.get("NetworkAclAssociationId"),
            made.out.attributes.get("NetworkAclAssociationId")
        );
    }

    // Deleted ones read as gone, in the same single call.
    for subnet in &subnets[..50] {
        h.try_delete(subnet)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", subnet.address));
    }
    let before = h.calls.count("DescribeSubnets");
    let seen = h.read_all(&refs).await;
    assert_eq!(h.calls.count("DescribeSubnets") - before, 1);
    let gone = seen.values().filter(|o| **o == Observation::Gone).count();
    assert_eq!(gone, 50);

    for subnet in &subnets[50..] {
        h.try_delete(subnet)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", subnet.address));
    }
    h.delete(&vpc).await;
}

#[tokio::test]
async fn batched_read_of_100_security_groups_makes_one_call_per_page() {
    let h = Harness::new("batch-sg").await;
    let vpc = h.vpc("10.81.0.0/16").await;
    let mut groups = Vec::new();
    for i in 0..100 {
        let group = h
            .create(
                &format!("App.SG{i}"),
                "AWS::EC2::SecurityGroup",
                json!({
                    "GroupDescription": format!("group {i}"),
                    "VpcId": vpc.id(),
                    "SecurityGroupIngress": [
                        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": format!("10.{i}.0.0/16")},
                    ],
                }),
            )
            .await;
        groups.push(group);
    }
    let refs: Vec<&Made> = groups.iter().collect();
    let (seen, calls, rule_calls, other_calls) = read_counting(&h, &refs).await;
    assert_eq!(seen.len(), 100);
    for group in &groups {
        match &seen[&group.address] {
            Observation::Present { properties, .. } => assert_eq!(
                properties, &group.properties,
                "{} as read differs from what was applied",
                group.address
            ),
            Observation::Gone => panic!("{} reads as gone", group.address),
        }
    }
    // 100 ids fit in one filter (at most 200 values) and one page (1000 results): one call.
    // The inline rules come with the groups: no per-group (or per-page) rule reads, nor any
    // other call.
    assert_eq!(calls, 1, "DescribeSecurityGroups calls for 100 groups");
    assert!(
        rule_calls <= calls,
        "DescribeSecurityGroupRules calls for 100 groups: {rule_calls}"
    );
    assert_eq!(other_calls, 0, "other calls reading 100 groups");

    // Deleted ones read as gone, in the same single call.
    for group in &groups[..50] {
        h.try_delete(group)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", group.address));
    }
    let (seen, calls, rule_calls, other_calls) = read_counting(&h, &refs).await;
    assert_eq!(
        calls, 1,
        "DescribeSecurityGroups calls for 100 groups, 50 gone"
    );
    assert!(
        rule_calls <= calls,
        "DescribeSecurityGroupRules: {rule_calls}"
    );
    assert_eq!(other_calls, 0);
    let gone = seen.values().filter(|o| **o == Observation::Gone).count();
    assert_eq!(gone, 50);

    for group in &groups[50..] {
        h.try_delete(group)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", group.address));
    }
    h.delete(&vpc).await;
}

/// Reads `made` and counts the calls: `DescribeSecurityGroups`, `DescribeSecurityGroupRules`
/// and any other.
async fn read_counting(
    h: &Harness,
    made: &[&Made],
) -> (BTreeMap<String, Observation>, usize, usize, usize) {
    let before = h.calls.count("DescribeSecurityGroups");
    let rules_before = h.calls.count("DescribeSecurityGroupRules");
    let total_before = h.calls.total();
    let seen = h.read_all(made).await;
    let calls = h.calls.count("DescribeSecurityGroups") - before;
    let rule_calls = h.calls.count("DescribeSecurityGroupRules") - rules_before;
    let other_calls = h.calls.total() - total_before - calls - rule_calls;
    (seen, calls, rule_calls, other_calls)
}
