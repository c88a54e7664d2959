//! The inferred dependencies of the resources applications attach (queues, topics, buckets,
//! rules, DNS records): a delivery waits for the policy that allows it, and a record written
//! by zone name waits for that zone. Rows of [`super::inferred::INFERRED_RULES`].

use infra_template::{Deployment, Resource};

use super::inferred::{PropertyText, of_type, reads, reads_of_type};

/// What delivers messages or events to a queue, topic or function: it must wait for the
/// policy or permission that lets it.
const DELIVERERS: [&str; 3] = [
    "AWS::SNS::Subscription",
    "AWS::Events::Rule",
    "AWS::S3::Bucket",
];

/// Each resource of `DELIVERERS` (of `senders`) that reads a `target_type` resource, paired
/// with every `grant_type` resource that reads the same one.
fn after_grants(
    d: &Deployment,
    senders: &[&str],
    target_type: &str,
    grant_type: &str,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sender in d
        .resources
        .iter()
        .filter(|r| senders.contains(&r.type_name.as_str()))
    {
        for target in reads_of_type(d, sender, target_type) {
            for grant in of_type(d, grant_type).filter(|g| reads(g, target)) {
                out.push((sender.address.clone(), grant.address.clone()));
            }
        }
    }
    out
}

pub(super) fn delivery_after_queue_policy(d: &Deployment) -> Vec<(String, String)> {
    after_grants(d, &DELIVERERS, "AWS::SQS::Queue", "AWS::SQS::QueuePolicy")
}

pub(super) fn delivery_after_topic_policy(d: &Deployment) -> Vec<(String, String)> {
    let senders = ["AWS::Events::Rule", "AWS::S3::Bucket"];
    after_grants(d, &senders, "AWS::SNS::Topic", "AWS::SNS::TopicPolicy")
}

pub(super) fn bucket_after_lambda_permission(d: &Deployment) -> Vec<(String, String)> {
    let senders = ["AWS::S3::Bucket"];
    after_grants(
        d,
        &senders,
        "AWS::Lambda::Function",
        "AWS::Lambda::Permission",
    )
}

/// A zone name as Route 53 compares it: lower case, with the final dot.
fn zone_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with('.') {
        lower
    } else {
        format!("{lower}.")
    }
}

pub(super) fn record_after_named_zone(d: &Deployment) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for record in of_type(d, "AWS::Route53::RecordSet") {
        let Some(named) = record.properties.as_text_at("HostedZoneName") else {
            continue;
        };
        let same = |zone: &&Resource| {
            zone.properties
                .as_text_at("Name")
                .is_some_and(|name| zone_name(&name) == zone_name(&named))
        };
        for zone in of_type(d, "AWS::Route53::HostedZone").filter(same) {
            out.push((record.address.clone(), zone.address.clone()));
        }
    }
    out
}
