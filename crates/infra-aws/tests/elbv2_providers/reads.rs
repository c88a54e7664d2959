//! Reads: batched reads of many target groups, and resources that never existed reading as
//! gone (their deletes succeed).

use infra_aws::provider::{Observation, ResourceOutput};
use serde_json::{Value, json};
use std::collections::BTreeMap;

use crate::harness::*;
use crate::support;

/// Reads are batched: 25 target groups in two DescribeTargetGroups calls (20 ARNs each at
/// most) and two DescribeTags calls; deleted ones read as gone.
#[tokio::test]
async fn batched_read_of_target_groups() {
    let h = Harness::new("batch").await;
    let net = h.network(63).await;
    let mut groups = Vec::new();
    for i in 0..25 {
        groups.push(
            h.create(
                &format!("Batch.Tg{i}"),
                TG,
                json!({"Port": 80, "Protocol": "HTTP", "VpcId": net.vpc, "Tags": tags(&[("n", &i.to_string())])}),
            )
            .await,
        );
    }
    let refs: Vec<&Made> = groups.iter().collect();
    let (describes, tag_calls) = (
        h.calls.count("DescribeTargetGroups"),
        h.calls.count("DescribeTags"),
    );
    let seen = h.read_all(&refs).await;
    assert_eq!(seen.len(), 25);
    for made in &groups {
        assert_eq!(
            seen[&made.address],
            Observation::Present {
                properties: made.properties.clone(),
                attributes: made.out.attributes.clone(),
            }
        );
    }
    assert_eq!(h.calls.count("DescribeTargetGroups") - describes, 2);
    assert_eq!(h.calls.count("DescribeTags") - tag_calls, 2);

    for made in &groups[..3] {
        h.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", made.address));
    }
    let seen = h.read_all(&refs).await;
    for (i, made) in groups.iter().enumerate() {
        let gone = seen[&made.address] == Observation::Gone;
        assert_eq!(gone, i < 3, "{}", made.address);
    }
    for made in &groups[3..] {
        h.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", made.address));
    }
    h.drop_network(&net).await;
}

/// Resources that never existed read as gone; their deletes succeed.
#[tokio::test]
async fn missing_resources_read_as_gone() {
    let h = Harness::new("missing").await;
    let account = support::ACCOUNT_ID;
    let lb_arn = format!(
        "arn:aws:elasticloadbalancing:us-east-1:{account}:loadbalancer/app/none/0123456789abcdef"
    );
    let made = |address: &str, type_name: &'static str, arn: String, properties: Value| Made {
        address: address.to_owned(),
        type_name,
        properties,
        out: ResourceOutput {
            physical_id: arn,
            attributes: BTreeMap::new(),
        },
    };
    let lb = made(
        "Gone.Lb",
        LB,
        lb_arn.clone(),
        json!({"Subnets": ["subnet-1"]}),
    );
    h.assert_gone(&lb).await;
    h.try_delete(&lb).await.expect("deleting what is gone");
    let tg = made(
        "Gone.Tg",
        TG,
        format!(
            "arn:aws:elasticloadbalancing:us-east-1:{account}:targetgroup/none/0123456789abcdef"
        ),
        json!({"Port": 80}),
    );
    h.assert_gone(&tg).await;
    h.try_delete(&tg).await.expect("deleting what is gone");
    let listener = made(
        "Gone.Listener",
        LISTENER,
        format!(
            "arn:aws:elasticloadbalancing:us-east-1:{account}:listener/app/none/0123456789abcdef/0123456789abcdef"
        ),
        json!({"LoadBalancerArn": lb_arn, "DefaultActions": []}),
    );
    h.assert_gone(&listener).await;
    h.try_delete(&listener)
        .await
        .expect("deleting what is gone");
}
