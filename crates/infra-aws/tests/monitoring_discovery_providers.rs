//! The CloudWatch (alarm, dashboard) and Cloud Map (three namespaces, service) providers
//! against the AWS API emulator (moto server; `scripts/setup-emulator`): create, read, update,
//! find and delete of each type, every check made through the service's own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "../../../tests/support/sdk.rs"]
mod sdk;
#[path = "../../../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use infra_aws::provider::{
    CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError, Providers,
    ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_provider::Checkpoint;
use serde_json::{Value, json};
use support::Emulator;

const ALARM: &str = "AWS::CloudWatch::Alarm";
const DASHBOARD: &str = "AWS::CloudWatch::Dashboard";
const HTTP_NS: &str = "AWS::ServiceDiscovery::HttpNamespace";
const PRIVATE_NS: &str = "AWS::ServiceDiscovery::PrivateDnsNamespace";
const PUBLIC_NS: &str = "AWS::ServiceDiscovery::PublicDnsNamespace";
const SERVICE: &str = "AWS::ServiceDiscovery::Service";

struct Env {
    providers: Providers,
    cw: aws_sdk_cloudwatch::Client,
    sd: aws_sdk_servicediscovery::Client,
    ec2: aws_sdk_ec2::Client,
}

/// One resource made through its provider.
#[derive(Debug)]
struct Made {
    type_name: &'static str,
    address: String,
    properties: Value,
    out: ResourceOutput,
}

impl Made {
    fn id(&self) -> &str {
        &self.out.physical_id
    }
    fn attr(&self, name: &str) -> &str {
        let value = self.out.attributes.get(name).and_then(Value::as_str);
        value.unwrap_or_else(|| panic!("{} has no {name}: {:?}", self.address, self.out))
    }
}

fn infra_tags(address: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("infra:stack".to_owned(), "mdtest".to_owned()),
        ("infra:address".to_owned(), address.to_owned()),
    ])
}

fn create_input(
    type_name: &str,
    address: &str,
    properties: &Value,
    name: Option<&str>,
) -> CreateInput {
    CreateInput {
        address: address.into(),
        type_name: type_name.into(),
        properties: properties.clone(),
        tags: infra_tags(address),
        generated_name: name.map(str::to_owned),
        checkpoint: Checkpoint::detached(format!("lineage/{address}/1"), None),
    }
}

impl Env {
    fn new() -> Env {
        let config = sdk::config(&Emulator::shared().endpoint);
        Env {
            providers: infra_aws::providers::all(&config),
            cw: aws_sdk_cloudwatch::Client::new(&config),
            sd: aws_sdk_servicediscovery::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
        }
    }

    fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers.get(type_name).expect("a native provider")
    }

    async fn try_create(
        &self,
        type_name: &'static str,
        address: &str,
        properties: Value,
        name: Option<&str>,
    ) -> Result<Made, ProviderError> {
        let input = create_input(type_name, address, &properties, name);
        let out = self.provider(type_name).create(&input).await?;
        Ok(Made {
            type_name,
            address: address.into(),
            properties,
            out,
        })
    }

    async fn create(
        &self,
        type_name: &'static str,
        address: &str,
        properties: Value,
        name: Option<&str>,
    ) -> Made {
        self.try_create(type_name, address, properties, name)
            .await
            .unwrap_or_else(|e| panic!("create {address}: {e}"))
    }

    async fn update(&self, made: &mut Made, after: Value) {
        let input = UpdateInput {
            address: made.address.clone(),
            type_name: made.type_name.into(),
            physical_id: made.id().into(),
            before: made.properties.clone(),
            after: after.clone(),
            attributes: made.out.attributes.clone(),
            tags: infra_tags(&made.address),
        };
        let provider = self.provider(made.type_name);
        made.out = provider
            .update(&input)
            .await
            .unwrap_or_else(|e| panic!("update: {e}"));
        made.properties = after;
    }

    async fn read(&self, made: &Made) -> Option<(Value, BTreeMap<String, Value>)> {
        let items = [ReadInput {
            address: made.address.clone(),
            type_name: made.type_name.into(),
            physical_id: made.id().into(),
            properties: made.properties.clone(),
            attributes: made.out.attributes.clone(),
        }];
        let provider = self.provider(made.type_name);
        let mut seen = provider
            .read(&items)
            .await
            .unwrap_or_else(|e| panic!("read: {e}"));
        match seen.remove(&made.address).expect("an observation") {
            Observation::Present {
                properties,
                attributes,
            } => Some((properties, attributes)),
            Observation::Gone => None,
        }
    }

    /// Reads `made` and checks that refresh reports the template's own properties.
    async fn assert_no_drift(&self, made: &Made) {
        let (properties, attributes) = self.read(made).await.expect("present");
        assert_eq!(properties, made.properties, "{}", made.address);
        assert_eq!(attributes, made.out.attributes, "{}", made.address);
    }

    async fn find(&self, made: &Made, address: &str) -> Option<ResourceOutput> {
        let input = FindInput {
            address: address.into(),
            type_name: made.type_name.into(),
            properties: made.properties.clone(),
            tags: infra_tags(address),
            name: Some(made.id().into())
                .filter(|_| made.type_name == ALARM || made.type_name == DASHBOARD),
            replacing: None,
            checkpoint: Checkpoint::detached(format!("lineage/{address}/1"), None),
        };
        let provider = self.provider(made.type_name);
        provider
            .find(&input)
            .await
            .unwrap_or_else(|e| panic!("find: {e}"))
    }

    /// Deletes `made`, twice (the second finds nothing and succeeds), and checks refresh sees
    /// it gone.
    async fn delete(&self, made: &Made) {
        let input = DeleteInput {
            address: made.address.clone(),
            type_name: made.type_name.into(),
            physical_id: made.id().into(),
            properties: made.properties.clone(),
            attributes: made.out.attributes.clone(),
        };
        for _ in 0..2 {
            let provider = self.provider(made.type_name);
            provider
                .delete(&input)
                .await
                .unwrap_or_else(|e| panic!("delete: {e}"));
        }
        assert!(self.read(made).await.is_none(), "{} is gone", made.address);
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
        .create(ALARM, "HighCpu", props, Some("mdtest-HighCpu-ABC"))
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
    env.assert_no_drift(&alarm).await;

    // In place: the whole document again (threshold, description), and the tags.
    let mut after = alarm.properties.clone();
    after["Threshold"] = json!(90.5);
    after["AlarmDescription"] = json!("CPU very high");
    after["Tags"] = json!([{"Key": "team", "Value": "sre"}]);
    env.update(&mut alarm, after).await;
    let found = env.alarm(alarm.id()).await;
    assert_eq!(found.threshold(), Some(90.5));
    assert_eq!(found.alarm_description(), Some("CPU very high"));
    let tags = env.alarm_tags(alarm.attr("Arn")).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("sre"));
    env.assert_no_drift(&alarm).await;

    // Found by its name and infra tags, never for another address; a create of another
    // resource with that name is refused (PutMetricAlarm would overwrite it).
    assert_eq!(env.find(&alarm, "HighCpu").await, Some(alarm.out.clone()));
    assert_eq!(env.find(&alarm, "Other").await, None);
    let taken = env
        .try_create(ALARM, "Other", alarm.properties.clone(), Some(alarm.id()))
        .await
        .expect_err("the name is taken");
    assert_eq!(taken.class, FailureClass::Fatal);
    assert!(taken.message.contains("already exists"), "{taken}");
    // A retried create of the same resource adopts it.
    let again = env
        .create(ALARM, "HighCpu", alarm.properties.clone(), Some(alarm.id()))
        .await;
    assert_eq!(again.out, alarm.out);
    env.delete(&alarm).await;
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
    let alarm = env.create(ALARM, "ErrorRate", props, None).await;
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
    env.assert_no_drift(&alarm).await;
    env.delete(&alarm).await;
}

#[tokio::test]
async fn a_dashboard_body_is_compared_as_a_document() {
    let env = Env::new();
    let body = r#"{"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 3, "properties": {"markdown": "hello"}}]}"#;
    let mut board = env
        .create(
            DASHBOARD,
            "Board",
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
    env.assert_no_drift(&board).await;

    // Another spacing of the same document is no change; another document is drift.
    let respaced = json!({"DashboardBody": serde_json::to_string_pretty(&doc).expect("text")});
    let same = Made {
        properties: respaced,
        out: board.out.clone(),
        ..board
    };
    env.assert_no_drift(&same).await;
    board = same;
    let changed = json!({"DashboardBody": r#"{"widgets": []}"#});
    env.update(&mut board, changed).await;
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
    env.assert_no_drift(&board).await;
    let mut stale = Made {
        properties: json!({"DashboardBody": body}),
        out: board.out.clone(),
        ..board
    };
    let (seen, _) = env.read(&stale).await.expect("present");
    assert_ne!(seen, stale.properties, "the other body shows as drift");

    assert_eq!(env.find(&stale, "Board").await, Some(stale.out.clone()));
    let taken = env
        .try_create(
            DASHBOARD,
            "Other",
            stale.properties.clone(),
            Some(stale.id()),
        )
        .await;
    assert!(
        taken.is_err(),
        "a dashboard with another body is not taken over"
    );
    stale.properties = json!({"DashboardBody": r#"{"widgets": []}"#});
    env.delete(&stale).await;
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
    let mut ns = env.create(HTTP_NS, "Http", props, None).await;
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
    env.assert_no_drift(&ns).await;

    env.update(
        &mut ns,
        json!({"Name": "mdtest-http", "Description": "two"}),
    )
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
    env.assert_no_drift(&ns).await;

    assert_eq!(env.find(&ns, "Http").await, Some(ns.out.clone()));
    assert_eq!(env.find(&ns, "Elsewhere").await, None);
    env.delete(&ns).await;
}

#[tokio::test]
async fn dns_namespaces_carry_their_hosted_zone_and_soa_ttl() {
    let env = Env::new();
    let vpc = vpc(&env, "10.91.0.0/16").await;
    let props = json!({"Name": "mdtest.internal", "Vpc": vpc,
        "Properties": {"DnsProperties": {"SOA": {"TTL": "60"}}}});
    let mut private = env.create(PRIVATE_NS, "Private", props, None).await;
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
    env.assert_no_drift(&private).await;

    let mut after = private.properties.clone();
    after["Properties"]["DnsProperties"]["SOA"]["TTL"] = json!(120);
    after["Description"] = json!("internal names");
    env.update(&mut private, after).await;
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
    env.assert_no_drift(&private).await;
    assert_eq!(
        env.find(&private, "Private").await,
        Some(private.out.clone())
    );

    let public = env
        .create(
            PUBLIC_NS,
            "Public",
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
    env.assert_no_drift(&public).await;
    env.delete(&public).await;
    env.delete(&private).await;
}

#[tokio::test]
async fn a_cloud_map_service_is_created_updated_found_and_deleted() {
    let env = Env::new();
    let vpc = vpc(&env, "10.92.0.0/16").await;
    let ns = env
        .create(
            PRIVATE_NS,
            "SvcNs",
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
        .create(SERVICE, "Discovery", props, Some("mdtest-api"))
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
    env.assert_no_drift(&svc).await;

    let mut after = svc.properties.clone();
    after["DnsConfig"]["DnsRecords"][0]["TTL"] = json!(10);
    after["Description"] = json!("the new API");
    after["ServiceAttributes"] = json!({"owner": "me"});
    env.update(&mut svc, after).await;
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
    env.assert_no_drift(&svc).await;

    let mut named = Made {
        properties: svc.properties.clone(),
        out: svc.out.clone(),
        ..svc
    };
    named.properties["Name"] = json!("mdtest-api");
    assert_eq!(env.find(&named, "Discovery").await, Some(named.out.clone()));
    assert_eq!(env.find(&named, "Other").await, None);
    // The namespace cannot go while it holds the service.
    let input = DeleteInput {
        address: ns.address.clone(),
        type_name: PRIVATE_NS.into(),
        physical_id: ns.id().into(),
        properties: ns.properties.clone(),
        attributes: ns.out.attributes.clone(),
    };
    let in_use = env
        .provider(PRIVATE_NS)
        .delete(&input)
        .await
        .expect_err("in use");
    assert_eq!(in_use.class, FailureClass::DependencyViolation, "{in_use}");
    env.delete(&named).await;
    env.delete(&ns).await;
}
