//! The Route 53 providers against the AWS API emulator (moto server with the fidelity fixes of
//! `emulator/fidelity.py` and `emulator/fidelity_apps/dns.py`): create → read → update → find
//! → delete → read for `AWS::Route53::HostedZone` (public and private) and
//! `AWS::Route53::RecordSet`, every check made through Route 53's own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;

use aws_sdk_route53::types::{ResourceRecordSet, TagResourceType};
use infra_aws::provider::{FailureClass, Observation};
use provider_harness::{Harness, Made, emulator_config};
use serde_json::json;

const ZONE: &str = "AWS::Route53::HostedZone";
const RECORD: &str = "AWS::Route53::RecordSet";

struct Env {
    harness: Harness,
    r53: aws_sdk_route53::Client,
    ec2: aws_sdk_ec2::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
}

provider_harness::env_derefs_to_harness!(Env);

impl Env {
    /// Nothing gets a generated name; record sets carry no tags.
    async fn new(stack: &str) -> Env {
        let config = emulator_config().await;
        let harness = Harness::new(&config, stack).tagged(|_, type_name| type_name != RECORD);
        Env {
            harness,
            r53: aws_sdk_route53::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&config),
        }
    }

    /// The record sets Route 53 holds in `zone`.
    async fn record_sets(&self, zone: &str) -> Vec<ResourceRecordSet> {
        let listed = self
            .r53
            .list_resource_record_sets()
            .hosted_zone_id(zone)
            .send()
            .await;
        listed
            .expect("list record sets")
            .resource_record_sets()
            .to_vec()
    }

    /// The record set of `name` and `kind` in `zone`.
    async fn record_set(&self, zone: &str, name: &str, kind: &str) -> Option<ResourceRecordSet> {
        let sets = self.record_sets(zone).await;
        sets.into_iter()
            .find(|s| s.name() == name && s.r#type().as_str() == kind)
    }

    async fn vpc(&self, cidr: &str) -> String {
        let made = self
            .ec2
            .create_vpc()
            .cidr_block(cidr)
            .send()
            .await
            .expect("vpc");
        made.vpc()
            .and_then(|v| v.vpc_id())
            .expect("vpc id")
            .to_owned()
    }
}

fn values(set: &ResourceRecordSet) -> Vec<&str> {
    let mut v: Vec<&str> = set.resource_records().iter().map(|r| r.value()).collect();
    v.sort_unstable();
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn public_zone_is_created_read_updated_found_and_deleted() {
    let env = Env::new("r53-public").await;
    // moto accepts query logging only to a log group of us-east-1 whose ARN ends in `:*`, as
    // DescribeLogGroups answers it.
    let group = "/aws/route53/public.example.com";
    env.logs
        .create_log_group()
        .log_group_name(group)
        .send()
        .await
        .expect("log group");
    let described = env
        .logs
        .describe_log_groups()
        .log_group_name_prefix(group)
        .send()
        .await;
    let log_arn = described.expect("groups").log_groups()[0]
        .arn()
        .expect("arn")
        .to_owned();

    let props = json!({
        "Name": "public.example.com",
        "HostedZoneConfig": {"Comment": "the public zone"},
        "QueryLoggingConfig": {"CloudWatchLogsLogGroupArn": log_arn},
        "HostedZoneFeatures": {"EnableAcceleratedRecovery": true},
        "HostedZoneTags": [{"Key": "team", "Value": "dns"}],
    });
    let zone = env.create("App.Zone", ZONE, props).await;
    assert!(!zone.id().starts_with('/'), "{zone:?}");
    assert_eq!(zone.out.attributes["Id"], json!(zone.id()));
    let servers = zone.out.attributes["NameServers"]
        .as_array()
        .expect("servers");
    assert_eq!(servers.len(), 4, "{servers:?}");

    // Checked through Route 53 itself.
    let got = env
        .r53
        .get_hosted_zone()
        .id(zone.id())
        .send()
        .await
        .expect("zone");
    let hz = got.hosted_zone().expect("zone");
    assert_eq!(hz.name(), "public.example.com.");
    assert_eq!(
        hz.config().and_then(|c| c.comment()),
        Some("the public zone")
    );
    let status = hz.features().and_then(|f| f.accelerated_recovery_status());
    assert_eq!(status.map(|s| s.as_str()), Some("ENABLED"));
    let tags = env
        .r53
        .list_tags_for_resource()
        .resource_type(TagResourceType::Hostedzone)
        .resource_id(zone.id())
        .send()
        .await
        .expect("tags");
    let tags: BTreeMap<&str, &str> = tags
        .resource_tag_set()
        .map(|s| {
            s.tags()
                .iter()
                .filter_map(|t| Some((t.key()?, t.value()?)))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(tags.get("team"), Some(&"dns"));
    assert_eq!(tags.get("infra:address"), Some(&"App.Zone"));
    let logs = env
        .r53
        .list_query_logging_configs()
        .send()
        .await
        .expect("logs");
    let log = logs
        .query_logging_configs()
        .iter()
        .find(|c| c.hosted_zone_id() == zone.id());
    assert_eq!(
        log.map(|c| c.cloud_watch_logs_log_group_arn()),
        Some(log_arn.as_str())
    );
    env.assert_present(&zone).await;

    // A create sent again (same checkpoint key, so the same CallerReference) is the same zone,
    // and find looks it up by that reference, else by its infra tags.
    let again = env.create("App.Zone", ZONE, zone.properties.clone()).await;
    assert_eq!(again.id(), zone.id());
    let found = env.find_at(&zone, "App.Zone", "1").await;
    assert_eq!(
        found.as_ref().map(|o| o.physical_id.as_str()),
        Some(zone.id())
    );
    assert_eq!(
        found.map(|o| o.attributes),
        Some(zone.out.attributes.clone())
    );
    assert_eq!(env.find_at(&zone, "App.Other", "2").await, None);

    let zone = env
        .update(
            &zone,
            json!({
                "Name": "public.example.com",
                "HostedZoneConfig": {"Comment": "renamed"},
                "HostedZoneFeatures": {"EnableAcceleratedRecovery": false},
                "HostedZoneTags": [{"Key": "team", "Value": "net"}, {"Key": "tier", "Value": "1"}],
            }),
        )
        .await;
    let got = env
        .r53
        .get_hosted_zone()
        .id(zone.id())
        .send()
        .await
        .expect("zone");
    let hz = got.hosted_zone().expect("zone");
    assert_eq!(hz.config().and_then(|c| c.comment()), Some("renamed"));
    let logs = env
        .r53
        .list_query_logging_configs()
        .send()
        .await
        .expect("logs");
    assert!(
        !logs
            .query_logging_configs()
            .iter()
            .any(|c| c.hosted_zone_id() == zone.id()),
        "query logging was turned off"
    );
    env.assert_present(&zone).await;

    env.delete(&zone).await;
    env.assert_gone(&zone).await;
    env.delete(&zone).await; // idempotent
}

#[tokio::test(flavor = "multi_thread")]
async fn private_zone_follows_its_vpcs() {
    let env = Env::new("r53-private").await;
    let (a, b) = (env.vpc("10.81.0.0/16").await, env.vpc("10.82.0.0/16").await);
    let vpc = |id: &str| json!({"VPCId": id, "VPCRegion": support::REGION});
    let zone = env
        .create(
            "App.Private",
            ZONE,
            json!({"Name": "internal.example", "VPCs": [vpc(&a)]}),
        )
        .await;
    assert_eq!(zone.out.attributes["NameServers"], json!([]));
    env.assert_present(&zone).await;

    let associated = |got: aws_sdk_route53::operation::get_hosted_zone::GetHostedZoneOutput| {
        let mut ids: Vec<String> = got
            .vpcs()
            .iter()
            .filter_map(|v| v.vpc_id())
            .map(str::to_owned)
            .collect();
        ids.sort();
        ids
    };
    let zone = env
        .update(
            &zone,
            json!({"Name": "internal.example", "VPCs": [vpc(&b), vpc(&a)]}),
        )
        .await;
    let got = env
        .r53
        .get_hosted_zone()
        .id(zone.id())
        .send()
        .await
        .expect("zone");
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(associated(got), want);
    env.assert_present(&zone).await;

    let zone = env
        .update(
            &zone,
            json!({"Name": "internal.example", "VPCs": [vpc(&b)]}),
        )
        .await;
    let got = env
        .r53
        .get_hosted_zone()
        .id(zone.id())
        .send()
        .await
        .expect("zone");
    assert_eq!(associated(got), vec![b.clone()]);
    env.assert_present(&zone).await;

    // A private zone never becomes public.
    let err = env
        .try_update(&zone, json!({"Name": "internal.example"}))
        .await
        .expect_err("private to public");
    assert_eq!(err.class, FailureClass::Fatal, "{err}");
    assert!(err.message.contains("cannot make it public"), "{err}");

    env.delete(&zone).await;
    env.assert_gone(&zone).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn record_sets_are_created_read_updated_found_and_deleted() {
    let env = Env::new("r53-records").await;
    let zone = env
        .create("App.Zone", ZONE, json!({"Name": "records.example.com"}))
        .await;
    let z = zone.id().to_owned();

    // A simple record, written with upper case and no final dot: Route 53 holds the name in
    // lower case with the dot, and refresh reports it as written.
    let www = env
        .create(
            "App.Www",
            RECORD,
            json!({"HostedZoneId": z, "Name": "WWW.records.example.com", "Type": "A",
                "TTL": "300", "ResourceRecords": ["192.0.2.10", "192.0.2.11"], "Comment": "web"}),
        )
        .await;
    assert_eq!(www.id(), "WWW.records.example.com");
    let held = env
        .record_set(&z, "www.records.example.com.", "A")
        .await
        .expect("www");
    assert_eq!(held.ttl(), Some(300));
    assert_eq!(values(&held), ["192.0.2.10", "192.0.2.11"]);

    // By zone name, a TXT record of several values, a weighted alias to the A record.
    let txt = env
        .create(
            "App.Txt",
            RECORD,
            json!({"HostedZoneName": "records.example.com.", "Name": "txt.records.example.com.",
                "Type": "TXT", "TTL": 60, "ResourceRecords": ["\"v=spf1 -all\"", "\"hello\""]}),
        )
        .await;
    let alias = env
        .create(
            "App.Alias",
            RECORD,
            json!({"HostedZoneId": z, "Name": "app.records.example.com", "Type": "A",
                "SetIdentifier": "blue", "Weight": 10,
                "AliasTarget": {"DNSName": "www.records.example.com", "HostedZoneId": z}}),
        )
        .await;
    let held = env
        .record_set(&z, "app.records.example.com.", "A")
        .await
        .expect("alias");
    assert_eq!(held.weight(), Some(10));
    assert_eq!(held.set_identifier(), Some("blue"));
    let target = held.alias_target().expect("alias target");
    assert_eq!(target.hosted_zone_id(), z);
    for made in [&www, &txt, &alias] {
        env.assert_present(made).await;
    }
    let seen = env.read_all(&[&www, &txt, &alias]).await;
    assert!(
        seen.values()
            .all(|o| matches!(o, Observation::Present { .. })),
        "{seen:?}"
    );

    // A create sent again finds exactly its record set; one with other values is refused.
    assert_eq!(
        env.create("App.Www", RECORD, www.properties.clone())
            .await
            .id(),
        www.id()
    );
    let mut other = www.properties.clone();
    other["TTL"] = json!(30);
    let err = env
        .try_create("App.Www2", RECORD, other.clone())
        .await
        .expect_err("taken");
    assert!(err.message.contains("already exists"), "{err}");
    assert_eq!(
        env.find_at(&www, "App.Www", "x")
            .await
            .map(|o| o.physical_id)
            .as_deref(),
        Some(www.id())
    );
    let stale = Made {
        properties: other.clone(),
        ..www.clone()
    };
    assert_eq!(env.find_at(&stale, "App.Www", "x").await, None);

    // The zone cannot go while it holds them: a dependency violation the engine retries.
    let err = env.try_delete(&zone).await.expect_err("not empty");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");
    assert!(err.message.contains("records.example.com"), "{err}");

    // In place: TTL and values (UPSERT); the name (a DELETE and a CREATE in one batch).
    let mut updated = www.properties.clone();
    updated["TTL"] = json!(120);
    updated["ResourceRecords"] = json!(["192.0.2.12"]);
    let www = env.update(&www, updated).await;
    let held = env
        .record_set(&z, "www.records.example.com.", "A")
        .await
        .expect("www");
    assert_eq!((held.ttl(), values(&held)), (Some(120), vec!["192.0.2.12"]));
    env.assert_present(&www).await;
    let mut renamed = txt.properties.clone();
    renamed["Name"] = json!("text.records.example.com.");
    let text = env.update(&txt, renamed).await;
    assert_eq!(text.id(), "text.records.example.com.");
    assert!(
        env.record_set(&z, "txt.records.example.com.", "TXT")
            .await
            .is_none()
    );
    let held = env
        .record_set(&z, "text.records.example.com.", "TXT")
        .await
        .expect("text");
    assert_eq!(values(&held), ["\"hello\"", "\"v=spf1 -all\""]);
    env.assert_present(&text).await;

    for made in [&alias, &www, &text] {
        env.delete(made).await;
        env.assert_gone(made).await;
        env.delete(made).await; // idempotent
    }
    let left: Vec<String> = env
        .record_sets(&z)
        .await
        .iter()
        .map(|s| s.r#type().as_str().to_owned())
        .collect();
    assert_eq!(left.len(), 2, "only SOA and NS are left: {left:?}");
    env.delete(&zone).await;
    // The zone gone, its record sets are gone too.
    env.assert_gone(&www).await;
    env.delete(&www).await;
}
