//! The CloudWatch (alarm, dashboard) and Cloud Map (three namespaces, service) providers
//! against the AWS API emulator (moto server; `scripts/setup-emulator`): create, read, update,
//! find and delete of each type, every check made through the service's own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/sdk.rs"]
mod sdk;
#[path = "../../../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use infra_aws::provider::{FailureClass, Observation};
use provider_harness::{Harness, Made};
use serde_json::{Value, json};
use support::Emulator;

const ALARM: &str = "AWS::CloudWatch::Alarm";
const DASHBOARD: &str = "AWS::CloudWatch::Dashboard";
const HTTP_NS: &str = "AWS::ServiceDiscovery::HttpNamespace";
const PRIVATE_NS: &str = "AWS::ServiceDiscovery::PrivateDnsNamespace";
const PUBLIC_NS: &str = "AWS::ServiceDiscovery::PublicDnsNamespace";
const SERVICE: &str = "AWS::ServiceDiscovery::Service";

struct Env {
    harness: Harness,
    cw: aws_sdk_cloudwatch::Client,
    sd: aws_sdk_servicediscovery::Client,
    ec2: aws_sdk_ec2::Client,
}

provider_harness::env_derefs_to_harness!(Env);

impl Made {
    fn attr(&self, name: &str) -> &str {
        let value = self.out.attributes.get(name).and_then(Value::as_str);
        value.unwrap_or_else(|| panic!("{} has no {name}: {:?}", self.address, self.out))
    }
}

impl Env {
    /// The stack `mdtest`, checkpoint keys of the lineage `lineage`; each create is given its
    /// generated name; `find` is given an alarm's or a dashboard's name.
    fn new() -> Env {
        let config = sdk::config(&Emulator::shared().endpoint);
        let harness = Harness::new(&config, "mdtest")
            .lineage("lineage")
            .found_by(|made| {
                let named = made.type_name == ALARM || made.type_name == DASHBOARD;
                Some(made.id().to_owned()).filter(|_| named)
            });
        Env {
            harness,
            cw: aws_sdk_cloudwatch::Client::new(&config),
            sd: aws_sdk_servicediscovery::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
        }
    }

    /// Deletes `made`, twice (the second finds nothing and succeeds), and checks refresh sees
    /// it gone.
    async fn delete_twice(&self, made: &Made) {
        for _ in 0..2 {
            self.delete(made).await;
        }
        self.assert_gone(made).await;
    }
    async fn alarm(&self, name: &str) -> aws_sdk_cloudwatch::types::MetricAlarm {
        let out = self
            .cw
            .describe_alarms()
            .alarm_names(name)
            .send()
            .await
            .expect("alarms");
        out.metric_alarms().first().cloned().expect("the alarm")
    }

    async fn alarm_tags(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .cw
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .expect("tags");
        let tags = out.tags().iter();
        tags.map(|t| {
            (
                t.key().unwrap_or_default().into(),
                t.value().unwrap_or_default().into(),
            )
        })
        .collect()
    }

    async fn sd_tags(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .sd
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .expect("tags");
        out.tags()
            .iter()
            .map(|t| (t.key().into(), t.value().into()))
            .collect()
    }
}

#[tokio::test]
async fn a_metric_alarm_is_created_read_updated_found_and_deleted() {
    let env = Env::new();
    let props = json!({
        "AlarmDescription": "CPU high", "Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
        "Statistic": "Average", "Period": 60, "EvaluationPeriods": "2", "Threshold": "80",
        "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
        "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}, {"Name": "AutoScalingGroupName", "Value": "g"}],
        "Tags": [{"Key": "team", "Value": "ops"}]
    });
    let mut alarm = env
        .create_named("HighCpu", ALARM, props, Some("mdtest-HighCpu-ABC"))
        .await;
    assert_eq!(alarm.id(), "mdtest-HighCpu-ABC");
    let found = env.alarm(alarm.id()).await;
    assert_eq!(found.alarm_arn(), Some(alarm.attr("Arn")));
    assert_eq!(found.threshold(), Some(80.0));
    assert_eq!(found.evaluation_periods(), Some(2));
    assert_eq!(found.dimensions().len(), 2);
    assert_eq!(found.treat_missing_data(), Some("notBreaching"));
    let tags = env.alarm_tags(alarm.attr("Arn")).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("ops"));
    assert_eq!(
        tags.get("infra:address").map(String::as_str),
        Some("HighCpu")
    );
    env.assert_present(&alarm).await;

    // In place: the whole document again (threshold, description), and the tags.
    let mut after = alarm.properties.clone();
    after["Threshold"] = json!(90.5);
    after["AlarmDescription"] = json!("CPU very high");
    after["Tags"] = json!([{"Key": "team", "Value": "sre"}]);
    alarm = env.update(&alarm, after).await;
    let found = env.alarm(alarm.id()).await;
    assert_eq!(found.threshold(), Some(90.5));
    assert_eq!(found.alarm_description(), Some("CPU very high"));
    let tags = env.alarm_tags(alarm.attr("Arn")).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("sre"));
    env.assert_present(&alarm).await;

    // Found by its name and infra tags, never for another address; a create of another
    // resource with that name is refused (PutMetricAlarm would overwrite it).
    assert_eq!(
        env.find_at(&alarm, "HighCpu", "1").await,
        Some(alarm.out.clone())
    );
    assert_eq!(env.find_at(&alarm, "Other", "1").await, None);
    let taken = env
        .try_create_named("Other", ALARM, alarm.properties.clone(), Some(alarm.id()))
        .await
        .expect_err("the name is taken");
    assert_eq!(taken.class, FailureClass::Fatal);
    assert!(taken.message.contains("already exists"), "{taken}");
    // A retried create of the same resource adopts it.
    let again = env
        .create_named("HighCpu", ALARM, alarm.properties.clone(), Some(alarm.id()))
        .await;
    assert_eq!(again.out, alarm.out);
    env.delete_twice(&alarm).await;
}

#[tokio::test]
async fn a_metric_math_alarm_reads_back_as_written() {
    let env = Env::new();
    let props = json!({
        "AlarmName": "mdtest-errors-rate", "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "EvaluationPeriods": 1, "Threshold": 5, "ActionsEnabled": false,
        "Metrics": [
            {"Id": "rate", "Expression": "errors / requests * 100", "Label": "error rate", "ReturnData": true},
            {"Id": "errors", "ReturnData": false, "MetricStat": {"Period": 300, "Stat": "Sum",
                "Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count",
                    "Dimensions": [{"Name": "LoadBalancer", "Value": "app/lb/1"}]}}},
            {"Id": "requests", "ReturnData": false, "MetricStat": {"Period": 300, "Stat": "Sum",
                "Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount"}}}
        ]
    });
    let alarm = env.create_named("ErrorRate", ALARM, props, None).await;
    assert_eq!(alarm.id(), "mdtest-errors-rate");
    let found = env.alarm(alarm.id()).await;
    let ids: Vec<&str> = found.metrics().iter().filter_map(|m| m.id()).collect();
    assert_eq!(ids, ["rate", "errors", "requests"]);
    assert_eq!(
        found.metrics()[0].expression(),
        Some("errors / requests * 100")
    );
    let stat = found.metrics()[1].metric_stat().expect("a metric");
    assert_eq!((stat.period(), stat.stat()), (Some(300), Some("Sum")));
    assert_eq!(found.actions_enabled(), Some(false));
    env.assert_present(&alarm).await;
    env.delete_twice(&alarm).await;
}

#[tokio::test]
async fn a_dashboard_body_is_compared_as_a_document() {
    let env = Env::new();
    let body = r#"{"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 3, "properties": {"markdown": "hello"}}]}"#;
    let mut board = env
        .create_named(
            "Board",
            DASHBOARD,
            json!({"DashboardBody": body}),
            Some("mdtest-Board-XYZ"),
        )
        .await;
    let got = env
        .cw
        .get_dashboard()
        .dashboard_name("mdtest-Board-XYZ")
        .send()
        .await
        .expect("get");
    let doc: Value = serde_json::from_str(got.dashboard_body().unwrap_or_default()).expect("json");
    assert_eq!(doc["widgets"][0]["properties"]["markdown"], json!("hello"));
    env.assert_present(&board).await;

    // Another spacing of the same document is no change; another document is drift.
    let respaced = json!({"DashboardBody": serde_json::to_string_pretty(&doc).expect("text")});
    let same = Made {
        properties: respaced,
        out: board.out.clone(),
        ..board
    };
    env.assert_present(&same).await;
    board = same;
    let changed = json!({"DashboardBody": r#"{"widgets": []}"#});
    board = env.update(&board, changed).await;
    let got = env
        .cw
        .get_dashboard()
        .dashboard_name(board.id())
        .send()
        .await
        .expect("get");
    assert_eq!(
        serde_json::from_str::<Value>(got.dashboard_body().unwrap_or_default()).ok(),
        Some(json!({"widgets": []}))
    );
    env.assert_present(&board).await;
    let mut stale = Made {
        properties: json!({"DashboardBody": body}),
        out: board.out.clone(),
        ..board
    };
    let Some(Observation::Present {
        properties: seen, ..
    }) = env.read(&stale).await
    else {
        panic!("{} reads as gone", stale.address)
    };
    assert_ne!(seen, stale.properties, "the other body shows as drift");

    assert_eq!(
        env.find_at(&stale, "Board", "1").await,
        Some(stale.out.clone())
    );
    let taken = env
        .try_create_named(
            "Other",
            DASHBOARD,
            stale.properties.clone(),
            Some(stale.id()),
        )
        .await;
    assert!(
        taken.is_err(),
        "a dashboard with another body is not taken over"
    );
    stale.properties = json!({"DashboardBody": r#"{"widgets": []}"#});
    env.delete_twice(&stale).await;
}

async fn vpc(env: &Env, cidr: &str) -> String {
    let out = env
        .ec2
        .create_vpc()
        .cidr_block(cidr)
        .send()
        .await
        .expect("vpc");
    out.vpc()
        .and_then(|v| v.vpc_id())
        .expect("vpc id")
        .to_owned()
}

#[tokio::test]
async fn an_http_namespace_is_created_through_its_operation_and_found_by_request_id() {
    let env = Env::new();
    let props = json!({"Name": "mdtest-http", "Description": "one",
        "Tags": [{"Key": "team", "Value": "x"}]});
    let mut ns = env.create_named("Http", HTTP_NS, props, None).await;
    assert!(ns.id().starts_with("ns-"), "{}", ns.id());
    assert_eq!(ns.attr("Id"), ns.id());
    let got = env
        .sd
        .get_namespace()
        .id(ns.id())
        .send()
        .await
        .expect("namespace");
    let got = got.namespace().expect("namespace");
    assert_eq!(got.arn(), Some(ns.attr("Arn")));
    assert_eq!(got.description(), Some("one"));
    assert_eq!(got.r#type().map(|t| t.as_str()), Some("HTTP"));
    assert!(
        got.creator_request_id()
            .is_some_and(|r| r.starts_with("infra-"))
    );
    assert_eq!(
        env.sd_tags(ns.attr("Arn"))
            .await
            .get("team")
            .map(String::as_str),
        Some("x")
    );
    env.assert_present(&ns).await;

    ns = env
        .update(&ns, json!({"Name": "mdtest-http", "Description": "two"}))
        .await;
    let got = env
        .sd
        .get_namespace()
        .id(ns.id())
        .send()
        .await
        .expect("namespace");
    assert_eq!(got.namespace().and_then(|n| n.description()), Some("two"));
    assert!(!env.sd_tags(ns.attr("Arn")).await.contains_key("team"));
    env.assert_present(&ns).await;

    assert_eq!(env.find_at(&ns, "Http", "1").await, Some(ns.out.clone()));
    assert_eq!(env.find_at(&ns, "Elsewhere", "1").await, None);
    env.delete_twice(&ns).await;
}

#[tokio::test]
async fn dns_namespaces_carry_their_hosted_zone_and_soa_ttl() {
    let env = Env::new();
    let vpc = vpc(&env, "10.91.0.0/16").await;
    let props = json!({"Name": "mdtest.internal", "Vpc": vpc,
        "Properties": {"DnsProperties": {"SOA": {"TTL": "60"}}}});
    let mut private = env.create_named("Private", PRIVATE_NS, props, None).await;
    let zone = private.attr("HostedZoneId").to_owned();
    assert!(!zone.is_empty());
    let got = env
        .sd
        .get_namespace()
        .id(private.id())
        .send()
        .await
        .expect("namespace");
    let got = got.namespace().expect("namespace");
    assert_eq!(got.r#type().map(|t| t.as_str()), Some("DNS_PRIVATE"));
    let soa = got
        .properties()
        .and_then(|p| p.dns_properties())
        .and_then(|d| d.soa());
    assert_eq!(soa.map(|s| s.ttl()), Some(60));
    env.assert_present(&private).await;

    let mut after = private.properties.clone();
    after["Properties"]["DnsProperties"]["SOA"]["TTL"] = json!(120);
    after["Description"] = json!("internal names");
    private = env.update(&private, after).await;
    let got = env
        .sd
        .get_namespace()
        .id(private.id())
        .send()
        .await
        .expect("namespace");
    let got = got.namespace().expect("namespace");
    assert_eq!(got.description(), Some("internal names"));
    let soa = got
        .properties()
        .and_then(|p| p.dns_properties())
        .and_then(|d| d.soa());
    assert_eq!(soa.map(|s| s.ttl()), Some(120));
    assert_eq!(
        private.attr("HostedZoneId"),
        zone,
        "the namespace keeps its zone"
    );
    env.assert_present(&private).await;
    assert_eq!(
        env.find_at(&private, "Private", "1").await,
        Some(private.out.clone())
    );

    let public = env
        .create_named(
            "Public",
            PUBLIC_NS,
            json!({"Name": "mdtest.example.com"}),
            None,
        )
        .await;
    let got = env
        .sd
        .get_namespace()
        .id(public.id())
        .send()
        .await
        .expect("namespace");
    assert_eq!(
        got.namespace().and_then(|n| n.r#type()).map(|t| t.as_str()),
        Some("DNS_PUBLIC")
    );
    assert!(!public.attr("HostedZoneId").is_empty());
    env.assert_present(&public).await;
    env.delete_twice(&public).await;
    env.delete_twice(&private).await;
}

#[tokio::test]
async fn a_cloud_map_service_is_created_updated_found_and_deleted() {
    let env = Env::new();
    let vpc = vpc(&env, "10.92.0.0/16").await;
    let ns = env
        .create_named(
            "SvcNs",
            PRIVATE_NS,
            json!({"Name": "svc.mdtest.internal", "Vpc": vpc}),
            None,
        )
        .await;
    let props = json!({
        "NamespaceId": ns.id(), "Description": "the API",
        "DnsConfig": {"RoutingPolicy": "MULTIVALUE", "DnsRecords": [{"Type": "A", "TTL": "60"}]},
        "HealthCheckCustomConfig": {"FailureThreshold": 1},
        "ServiceAttributes": {"team": "api"}, "Tags": [{"Key": "tier", "Value": "web"}]
    });
    let mut svc = env
        .create_named("Discovery", SERVICE, props, Some("mdtest-api"))
        .await;
    assert_eq!(svc.attr("Name"), "mdtest-api");
    let got = env
        .sd
        .get_service()
        .id(svc.id())
        .send()
        .await
        .expect("service");
    let got = got.service().expect("service");
    assert_eq!(got.namespace_id(), Some(ns.id()));
    assert_eq!(got.arn(), Some(svc.attr("Arn")));
    let records = got
        .dns_config()
        .map(|d| d.dns_records().to_vec())
        .unwrap_or_default();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].r#type().as_str(), records[0].ttl()), ("A", 60));
    assert!(got.health_check_custom_config().is_some());
    assert_eq!(
        env.sd_tags(svc.attr("Arn"))
            .await
            .get("tier")
            .map(String::as_str),
        Some("web")
    );
    let attrs = env
        .sd
        .get_service_attributes()
        .service_id(svc.id())
        .send()
        .await
        .expect("attrs");
    let attrs = attrs
        .service_attributes()
        .and_then(|a| a.attributes())
        .cloned()
        .unwrap_or_default();
    assert_eq!(attrs.get("team").map(String::as_str), Some("api"));
    env.assert_present(&svc).await;

    let mut after = svc.properties.clone();
    after["DnsConfig"]["DnsRecords"][0]["TTL"] = json!(10);
    after["Description"] = json!("the new API");
    after["ServiceAttributes"] = json!({"owner": "me"});
    svc = env.update(&svc, after).await;
    let got = env
        .sd
        .get_service()
        .id(svc.id())
        .send()
        .await
        .expect("service");
    let got = got.service().expect("service");
    assert_eq!(got.description(), Some("the new API"));
    let ttl = got
        .dns_config()
        .and_then(|d| d.dns_records().first())
        .map(|r| r.ttl());
    assert_eq!(ttl, Some(10));
    let attrs = env
        .sd
        .get_service_attributes()
        .service_id(svc.id())
        .send()
        .await
        .expect("attrs");
    let attrs = attrs
        .service_attributes()
        .and_then(|a| a.attributes())
        .cloned()
        .unwrap_or_default();
    assert_eq!(attrs.keys().collect::<Vec<_>>(), ["owner"]);
    env.assert_present(&svc).await;

    let mut named = Made {
        properties: svc.properties.clone(),
        out: svc.out.clone(),
        ..svc
    };
    named.properties["Name"] = json!("mdtest-api");
    assert_eq!(
        env.find_at(&named, "Discovery", "1").await,
        Some(named.out.clone())
    );
    assert_eq!(env.find_at(&named, "Other", "1").await, None);
    // The namespace cannot go while it holds the service.
    let in_use = env.try_delete(&ns).await.expect_err("in use");
    assert_eq!(in_use.class, FailureClass::DependencyViolation, "{in_use}");
    env.delete_twice(&named).await;
    env.delete_twice(&ns).await;
}
