//! The ELBv2 providers against the AWS API emulator (moto server; `scripts/setup-emulator`):
//! create → read → update → delete → read for the load balancer, target group, listener and
//! listener rule, in the reference pattern's shape (an internet-facing ALB, an `ip` target
//! group, an HTTP:80 listener forwarding through `ForwardConfig`), batched reads, refusals and
//! error classes. The VPC, subnets and security group they need are made directly with the EC2
//! API as fixtures.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names and address
//! ranges of their own.

#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_elasticloadbalancingv2::Client;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use infra_aws::provider::{
    CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError, Providers,
    ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::providers::elbv2;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};
use support::Emulator;

const LB: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
const TG: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
const RULE: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";

/// Counts the operations a client sends, by name.
#[derive(Debug, Default)]
struct Calls(Mutex<Vec<String>>);

impl Calls {
    fn count(&self, operation: &str) -> usize {
        self.0
            .lock()
            .map(|calls| calls.iter().filter(|c| *c == operation).count())
            .unwrap_or_default()
    }
}

#[derive(Debug)]
struct CountCalls(Arc<Calls>);

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(metadata) = cfg.load::<Metadata>()
            && let Ok(mut calls) = self.0.0.lock()
        {
            calls.push(metadata.name().to_owned());
        }
        Ok(())
    }
}

async fn emulator_config() -> SdkConfig {
    let settings = AwsSettings {
        region: Some(support::REGION.into()),
        profile: None,
        endpoint_url: Some(Emulator::shared().endpoint.clone()),
    };
    load_config(&settings)
        .await
        .unwrap_or_else(|e| panic!("load_config: {e}"))
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "emulator",
        )))
        .build()
}

/// The providers, clients to check what they did, and the stack name their tags carry.
struct Harness {
    providers: Providers,
    elb: Client,
    ec2: aws_sdk_ec2::Client,
    calls: Arc<Calls>,
    stack: String,
}

/// A resource made through a provider.
#[derive(Debug, Clone)]
struct Made {
    address: String,
    type_name: &'static str,
    properties: Value,
    out: ResourceOutput,
}

impl Made {
    fn arn(&self) -> &str {
        &self.out.physical_id
    }

    fn attr(&self, name: &str) -> &Value {
        self.out
            .attributes
            .get(name)
            .unwrap_or_else(|| panic!("{} has no attribute {name}: {:?}", self.address, self.out))
    }
}

/// The network a load balancer needs, made with the EC2 API.
#[derive(Debug)]
struct Network {
    vpc: String,
    subnets: Vec<String>,
    security_group: String,
}

impl Harness {
    async fn new(stack: &str) -> Harness {
        let config = emulator_config().await;
        let calls = Arc::new(Calls::default());
        let elb = Client::from_conf(
            aws_sdk_elasticloadbalancingv2::config::Builder::from(&config)
                .interceptor(CountCalls(calls.clone()))
                .build(),
        );
        let mut providers = Providers::default();
        elbv2::register(&mut providers, &elb);
        Harness {
            providers,
            elb,
            ec2: aws_sdk_ec2::Client::new(&config),
            calls,
            stack: stack.to_owned(),
        }
    }

    fn infra_tags(&self, address: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("infra:stack".to_owned(), self.stack.clone()),
            ("infra:address".to_owned(), address.to_owned()),
        ])
    }

    fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    /// A name as the engine generates it: `<stack>-<logical>-<SUFFIX>`, at most 32 characters.
    fn generated_name(&self, address: &str) -> String {
        let logical = address.rsplit('.').next().unwrap_or(address);
        let mut front = format!("{}-{logical}", self.stack);
        front.truncate(32 - 7);
        format!("{}-GEN{:03}", front.trim_end_matches('-'), address.len())
    }

    async fn try_create(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
    ) -> Result<Made, ProviderError> {
        let named = matches!(type_name, LB | TG) && properties.get("Name").is_none();
        let generated_name = named.then(|| self.generated_name(address));
        let input = CreateInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties: properties.clone(),
            tags: self.infra_tags(address),
            generated_name: generated_name.clone(),
        };
        let out = self.provider(type_name).create(&input).await?;
        // As the engine does, the generated name is recorded in the properties.
        let mut properties = properties;
        if let (Some(name), Some(map)) = (generated_name, properties.as_object_mut()) {
            map.insert("Name".into(), Value::String(name));
        }
        Ok(Made {
            address: address.to_owned(),
            type_name,
            properties,
            out,
        })
    }

    /// `find` as the engine calls it after an interrupted create of `address` (the tags of
    /// `tagged_as`; the name it generated, if any; the object a replacement replaces).
    async fn find(
        &self,
        address: &str,
        type_name: &'static str,
        properties: &Value,
        tagged_as: &str,
        replacing: Option<&str>,
    ) -> Option<ResourceOutput> {
        let named = matches!(type_name, LB | TG) && properties.get("Name").is_none();
        let input = FindInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties: properties.clone(),
            tags: self.infra_tags(tagged_as),
            name: named.then(|| self.generated_name(address)),
            replacing: replacing.map(str::to_owned),
        };
        self.provider(type_name)
            .find(&input)
            .await
            .unwrap_or_else(|e| panic!("finding {address}: {e} ({:?})", e.class))
    }

    /// Creates, checking `find` around it: nothing before the create; after it, what the create
    /// returned; nothing for another address's tags, nor when it is the object being replaced.
    async fn create_and_find(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
    ) -> Made {
        let find =
            |tagged_as, replacing| self.find(address, type_name, &properties, tagged_as, replacing);
        assert_eq!(find(address, None).await, None, "{address}: before");
        let made = self.create(address, type_name, properties.clone()).await;
        assert_eq!(
            find(address, None).await.as_ref(),
            Some(&made.out),
            "{address}"
        );
        assert_eq!(find("Other.Address", None).await, None, "{address}");
        assert_eq!(find(address, Some(made.arn())).await, None, "{address}");
        made
    }

    async fn create(&self, address: &str, type_name: &'static str, properties: Value) -> Made {
        self.try_create(address, type_name, properties)
            .await
            .unwrap_or_else(|e| panic!("creating {address}: {e} ({:?})", e.class))
    }

    async fn read_all(&self, made: &[&Made]) -> BTreeMap<String, Observation> {
        let type_name = made[0].type_name;
        let items: Vec<ReadInput> = made
            .iter()
            .map(|m| ReadInput {
                address: m.address.clone(),
                physical_id: m.out.physical_id.clone(),
                properties: m.properties.clone(),
                attributes: m.out.attributes.clone(),
            })
            .collect();
        self.provider(type_name)
            .read(&items)
            .await
            .unwrap_or_else(|e| panic!("reading {type_name}: {e}"))
    }

    async fn read(&self, made: &Made) -> Observation {
        let mut seen = self.read_all(&[made]).await;
        seen.remove(&made.address)
            .unwrap_or_else(|| panic!("no observation for {}", made.address))
    }

    /// Reads `made` and checks that it is present with exactly its last applied properties.
    async fn assert_present(&self, made: &Made) -> BTreeMap<String, Value> {
        match self.read(made).await {
            Observation::Present {
                properties,
                attributes,
            } => {
                assert_eq!(
                    properties, made.properties,
                    "{} as read differs from what was applied",
                    made.address
                );
                attributes
            }
            Observation::Gone => panic!("{} reads as gone", made.address),
        }
    }

    async fn assert_gone(&self, made: &Made) {
        assert_eq!(
            self.read(made).await,
            Observation::Gone,
            "{} still reads as present",
            made.address
        );
    }

    async fn try_update(&self, made: &Made, after: Value) -> Result<Made, ProviderError> {
        // The engine keeps a generated name in the desired properties.
        let mut after = after;
        if let (Some(name), Some(map)) = (made.properties.get("Name"), after.as_object_mut()) {
            map.entry("Name").or_insert_with(|| name.clone());
        }
        let input = UpdateInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            physical_id: made.out.physical_id.clone(),
            before: made.properties.clone(),
            after: after.clone(),
            attributes: made.out.attributes.clone(),
            tags: self.infra_tags(&made.address),
        };
        let out = self.provider(made.type_name).update(&input).await?;
        Ok(Made {
            properties: after,
            out,
            ..made.clone()
        })
    }

    async fn update(&self, made: &Made, after: Value) -> Made {
        self.try_update(made, after)
            .await
            .unwrap_or_else(|e| panic!("updating {}: {e}", made.address))
    }

    async fn try_delete(&self, made: &Made) -> Result<(), ProviderError> {
        let input = DeleteInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            physical_id: made.out.physical_id.clone(),
            properties: made.properties.clone(),
            attributes: made.out.attributes.clone(),
        };
        self.provider(made.type_name).delete(&input).await
    }

    /// Deletes, checks it reads as gone, and that deleting again is fine.
    async fn delete(&self, made: &Made) {
        self.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", made.address));
        self.assert_gone(made).await;
        self.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {} again: {e}", made.address));
    }

    /// The tags ELBv2 holds for `arn`.
    async fn aws_tags(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .elb
            .describe_tags()
            .resource_arns(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeTags: {e:?}"));
        out.tag_descriptions()
            .iter()
            .flat_map(|d| d.tags())
            .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
            .collect()
    }

    async fn lb_attributes(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .elb
            .describe_load_balancer_attributes()
            .load_balancer_arn(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeLoadBalancerAttributes: {e:?}"));
        out.attributes()
            .iter()
            .filter_map(|a| Some((a.key()?.to_owned(), a.value()?.to_owned())))
            .collect()
    }

    async fn tg_attributes(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .elb
            .describe_target_group_attributes()
            .target_group_arn(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeTargetGroupAttributes: {e:?}"));
        out.attributes()
            .iter()
            .filter_map(|a| Some((a.key()?.to_owned(), a.value()?.to_owned())))
            .collect()
    }

    /// A VPC (`10.<octet>.0.0/16`), two subnets in two zones and a security group.
    async fn network(&self, octet: u8) -> Network {
        let vpc = self
            .ec2
            .create_vpc()
            .cidr_block(format!("10.{octet}.0.0/16"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateVpc: {e:?}"))
            .vpc
            .and_then(|v| v.vpc_id)
            .expect("a VPC id");
        let mut subnets = Vec::new();
        for (i, az) in ["us-east-1a", "us-east-1b"].into_iter().enumerate() {
            let subnet = self
                .ec2
                .create_subnet()
                .vpc_id(&vpc)
                .cidr_block(format!("10.{octet}.{i}.0/24"))
                .availability_zone(az)
                .send()
                .await
                .unwrap_or_else(|e| panic!("CreateSubnet: {e:?}"))
                .subnet
                .and_then(|s| s.subnet_id)
                .expect("a subnet id");
            subnets.push(subnet);
        }
        let security_group = self
            .ec2
            .create_security_group()
            .group_name(format!("{}-lb", self.stack))
            .description("load balancer")
            .vpc_id(&vpc)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateSecurityGroup: {e:?}"))
            .group_id
            .expect("a group id");
        Network {
            vpc,
            subnets,
            security_group,
        }
    }

    async fn drop_network(&self, net: &Network) {
        let _ = self
            .ec2
            .delete_security_group()
            .group_id(&net.security_group)
            .send()
            .await;
        for subnet in &net.subnets {
            let _ = self.ec2.delete_subnet().subnet_id(subnet).send().await;
        }
        let _ = self.ec2.delete_vpc().vpc_id(&net.vpc).send().await;
    }
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

fn observed_properties(seen: Observation) -> Value {
    match seen {
        Observation::Present { properties, .. } => properties,
        Observation::Gone => panic!("reads as gone"),
    }
}

/// The reference pattern's load balancing (`service.yml`): an internet-facing ALB with an idle
/// timeout of 30 s, an `ip` target group with a health check and no deregistration delay, and an
/// HTTP:80 listener forwarding through `ForwardConfig`; then a rule. Each is created, read back
/// as written, updated, and deleted.
#[tokio::test]
async fn fixture_load_balancing_create_read_update_delete() {
    let h = Harness::new("fixture-lb").await;
    let net = h.network(61).await;

    // Values as templates give them: numbers where AWS wants strings and the other way round.
    let tg = h
        .create(
            "ServiceStack.TargetGroup",
            TG,
            json!({
                "HealthCheckIntervalSeconds": 6,
                "HealthCheckPath": "/",
                "HealthCheckProtocol": "HTTP",
                "HealthCheckTimeoutSeconds": "5",
                "HealthyThresholdCount": 2,
                "TargetType": "ip",
                "Port": 8080,
                "Protocol": "HTTP",
                "UnhealthyThresholdCount": "10",
                "VpcId": net.vpc,
                "TargetGroupAttributes": [
                    {"Key": "deregistration_delay.timeout_seconds", "Value": 0}
                ],
                "Tags": tags(&[("team", "api")]),
            }),
        )
        .await;
    assert!(
        tg.arn().contains(":targetgroup/fixture-lb-TargetGroup-"),
        "{tg:?}"
    );
    assert_eq!(tg.attr("TargetGroupArn"), &json!(tg.arn()));
    assert!(
        tg.attr("TargetGroupFullName")
            .as_str()
            .is_some_and(|n| n.starts_with("targetgroup/fixture-lb-TargetGroup-")),
        "{tg:?}"
    );
    assert_eq!(tg.attr("TargetGroupName"), &tg.properties["Name"]);
    assert_eq!(tg.attr("LoadBalancerArns"), &json!([]));
    assert_eq!(
        h.tg_attributes(tg.arn())
            .await
            .get("deregistration_delay.timeout_seconds")
            .map(String::as_str),
        Some("0")
    );
    let tg_tags = h.aws_tags(tg.arn()).await;
    assert_eq!(tg_tags.get("team").map(String::as_str), Some("api"));
    assert_eq!(
        tg_tags.get("infra:address").map(String::as_str),
        Some("ServiceStack.TargetGroup")
    );
    h.assert_present(&tg).await;

    let lb = h
        .create(
            "ServiceStack.PublicLoadBalancer",
            LB,
            json!({
                "Scheme": "internet-facing",
                "LoadBalancerAttributes": [
                    {"Key": "idle_timeout.timeout_seconds", "Value": "30"}
                ],
                "Subnets": net.subnets,
                "SecurityGroups": [net.security_group],
                "Tags": tags(&[("team", "api")]),
            }),
        )
        .await;
    assert!(lb.arn().contains(":loadbalancer/app/"), "{lb:?}");
    assert_eq!(lb.attr("LoadBalancerArn"), &json!(lb.arn()));
    assert_eq!(lb.attr("LoadBalancerName"), &lb.properties["Name"]);
    assert!(
        lb.attr("DNSName")
            .as_str()
            .is_some_and(|d| d.contains("elb.amazonaws.com")),
        "{lb:?}"
    );
    assert!(lb.attr("CanonicalHostedZoneID").is_string(), "{lb:?}");
    let full_name = lb.attr("LoadBalancerFullName").as_str().unwrap_or_default();
    assert!(
        full_name.starts_with("app/") && lb.arn().ends_with(full_name),
        "{lb:?}"
    );
    assert_eq!(lb.attr("SecurityGroups"), &json!([net.security_group]));
    assert_eq!(
        h.lb_attributes(lb.arn())
            .await
            .get("idle_timeout.timeout_seconds")
            .map(String::as_str),
        Some("30")
    );
    let state = h
        .elb
        .describe_load_balancers()
        .load_balancer_arns(lb.arn())
        .send()
        .await
        .expect("DescribeLoadBalancers");
    assert_eq!(
        state.load_balancers()[0]
            .state()
            .and_then(|s| s.code())
            .map(|c| c.as_str()),
        Some("active"),
        "create returns once the load balancer is active"
    );
    h.assert_present(&lb).await;

    let listener = h
        .create(
            "ServiceStack.PublicLoadBalancerListener",
            LISTENER,
            json!({
                "LoadBalancerArn": lb.arn(),
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [{
                    "Type": "forward",
                    "ForwardConfig": {
                        "TargetGroups": [{"TargetGroupArn": tg.arn(), "Weight": 100}]
                    }
                }],
            }),
        )
        .await;
    assert_eq!(listener.attr("ListenerArn"), &json!(listener.arn()));
    assert!(listener.arn().contains(":listener/app/"), "{listener:?}");
    h.assert_present(&listener).await;
    // The target group now reports the load balancer that uses it.
    match h.read(&tg).await {
        Observation::Present { attributes, .. } => {
            assert_eq!(attributes["LoadBalancerArns"], json!([lb.arn()]));
        }
        Observation::Gone => panic!("target group reads as gone"),
    }

    let rule = h
        .create(
            "ServiceStack.HealthRule",
            RULE,
            json!({
                "ListenerArn": listener.arn(),
                "Priority": "10",
                "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/health"]}}],
                "Actions": [{
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain", "MessageBody": "ok"}
                }],
            }),
        )
        .await;
    assert_eq!(rule.attr("RuleArn"), &json!(rule.arn()));
    assert_eq!(rule.attr("IsDefault"), &json!(false));
    h.assert_present(&rule).await;

    // Updates in place: an attribute and a tag of each, the listener's default action.
    let tg2 = h
        .update(
            &tg,
            json!({
                "HealthCheckIntervalSeconds": 10,
                "HealthCheckPath": "/ready",
                "HealthCheckProtocol": "HTTP",
                "HealthCheckTimeoutSeconds": "5",
                "HealthyThresholdCount": 3,
                "TargetType": "ip",
                "Port": 8080,
                "Protocol": "HTTP",
                "UnhealthyThresholdCount": "10",
                "VpcId": net.vpc,
                "TargetGroupAttributes": [
                    {"Key": "deregistration_delay.timeout_seconds", "Value": "30"}
                ],
                "Tags": tags(&[("team", "platform")]),
            }),
        )
        .await;
    assert_eq!(
        h.tg_attributes(tg.arn())
            .await
            .get("deregistration_delay.timeout_seconds")
            .map(String::as_str),
        Some("30")
    );
    let described = h
        .elb
        .describe_target_groups()
        .target_group_arns(tg.arn())
        .send()
        .await
        .expect("DescribeTargetGroups");
    let described = &described.target_groups()[0];
    assert_eq!(described.health_check_path(), Some("/ready"));
    assert_eq!(described.health_check_interval_seconds(), Some(10));
    assert_eq!(described.healthy_threshold_count(), Some(3));
    let tg_tags = h.aws_tags(tg.arn()).await;
    assert_eq!(tg_tags.get("team").map(String::as_str), Some("platform"));
    assert!(tg_tags.contains_key("infra:stack"), "{tg_tags:?}");
    h.assert_present(&tg2).await;

    let lb2 = h
        .update(
            &lb,
            json!({
                "Scheme": "internet-facing",
                "LoadBalancerAttributes": [
                    {"Key": "idle_timeout.timeout_seconds", "Value": 120},
                    {"Key": "routing.http2.enabled", "Value": false}
                ],
                "Subnets": net.subnets,
                "SecurityGroups": [net.security_group],
                "Tags": tags(&[("team", "api"), ("tier", "edge")]),
            }),
        )
        .await;
    let attrs = h.lb_attributes(lb.arn()).await;
    assert_eq!(
        attrs
            .get("idle_timeout.timeout_seconds")
            .map(String::as_str),
        Some("120")
    );
    assert_eq!(
        attrs.get("routing.http2.enabled").map(String::as_str),
        Some("false")
    );
    assert_eq!(
        h.aws_tags(lb.arn()).await.get("tier").map(String::as_str),
        Some("edge")
    );
    h.assert_present(&lb2).await;

    let listener2 = h
        .update(
            &listener,
            json!({
                "LoadBalancerArn": lb.arn(),
                "Port": "80",
                "Protocol": "HTTP",
                "DefaultActions": [{
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "maintenance"}
                }],
                "Tags": tags(&[("team", "api")]),
            }),
        )
        .await;
    let described = h
        .elb
        .describe_listeners()
        .listener_arns(listener.arn())
        .send()
        .await
        .expect("DescribeListeners");
    let action = &described.listeners()[0].default_actions()[0];
    assert_eq!(action.r#type().map(|t| t.as_str()), Some("fixed-response"));
    assert_eq!(
        action.fixed_response_config().and_then(|f| f.status_code()),
        Some("503")
    );
    assert_eq!(
        h.aws_tags(listener.arn())
            .await
            .get("team")
            .map(String::as_str),
        Some("api")
    );
    h.assert_present(&listener2).await;

    let rule2 = h
        .update(
            &rule,
            json!({
                "ListenerArn": listener.arn(),
                "Priority": 20,
                // The legacy `Values` form takes one value (AWS's rule; several go in
                // `PathPatternConfig`).
                "Conditions": [{"Field": "path-pattern", "Values": ["/ping"]}],
                "Actions": [{"Type": "forward", "TargetGroupArn": tg.arn()}],
            }),
        )
        .await;
    let described = h
        .elb
        .describe_rules()
        .rule_arns(rule.arn())
        .send()
        .await
        .expect("DescribeRules");
    let found = &described.rules()[0];
    assert_eq!(found.priority(), Some("20"));
    assert_eq!(
        found.actions()[0].r#type().map(|t| t.as_str()),
        Some("forward")
    );
    h.assert_present(&rule2).await;

    // Drift shows: an attribute changed outside infra reads as changed.
    h.elb
        .modify_load_balancer_attributes()
        .load_balancer_arn(lb.arn())
        .attributes(
            aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute::builder()
                .key("idle_timeout.timeout_seconds")
                .value("45")
                .build(),
        )
        .send()
        .await
        .expect("ModifyLoadBalancerAttributes");
    let seen = observed_properties(h.read(&lb2).await);
    assert_eq!(
        seen["LoadBalancerAttributes"][0],
        json!({"Key": "idle_timeout.timeout_seconds", "Value": "45"})
    );

    // Deleted in reverse dependency order; each reads as gone and deletes again cleanly.
    h.delete(&rule2).await;
    h.delete(&listener2).await;
    h.delete(&lb2).await;
    h.delete(&tg2).await;
    h.drop_network(&net).await;
}

/// A network load balancer on subnet mappings, with a TCP target group of registered
/// targets: the other shapes of the same types.
#[tokio::test]
async fn network_load_balancer_with_targets() {
    let h = Harness::new("nlb").await;
    let net = h.network(62).await;
    let lb = h
        .create(
            "Edge.Nlb",
            LB,
            json!({
                "Name": "nlb-explicit-name",
                "Type": "network",
                "Scheme": "internal",
                "SubnetMappings": [
                    {"SubnetId": net.subnets[0]},
                    {"SubnetId": net.subnets[1]}
                ],
            }),
        )
        .await;
    assert_eq!(lb.attr("LoadBalancerName"), &json!("nlb-explicit-name"));
    // AWS names a network load balancer `net/<name>/<id>`; moto gives every type `app/`.
    assert!(
        lb.attr("LoadBalancerFullName")
            .as_str()
            .is_some_and(|n| n.starts_with("net/nlb-explicit-name/")
                || n.starts_with("app/nlb-explicit-name/")),
        "{lb:?}"
    );
    h.assert_present(&lb).await;

    let tg = h
        .create(
            "Edge.Targets",
            TG,
            json!({
                "Port": "443",
                "Protocol": "TCP",
                "TargetType": "ip",
                "VpcId": net.vpc,
                "Targets": [{"Id": "10.62.0.10"}, {"Id": "10.62.1.10", "Port": 8443}],
            }),
        )
        .await;
    h.assert_present(&tg).await;
    let tg2 = h
        .update(
            &tg,
            json!({
                "Port": "443",
                "Protocol": "TCP",
                "TargetType": "ip",
                "VpcId": net.vpc,
                "Targets": [{"Id": "10.62.1.10", "Port": 8443}, {"Id": "10.62.1.11"}],
            }),
        )
        .await;
    let health = h
        .elb
        .describe_target_health()
        .target_group_arn(tg.arn())
        .send()
        .await
        .expect("DescribeTargetHealth");
    let mut ids: Vec<(String, Option<i32>)> = health
        .target_health_descriptions()
        .iter()
        .filter_map(|d| d.target())
        .map(|t| (t.id().unwrap_or_default().to_owned(), t.port()))
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        vec![
            ("10.62.1.10".to_owned(), Some(8443)),
            ("10.62.1.11".to_owned(), Some(443))
        ]
    );
    h.assert_present(&tg2).await;

    let listener = h
        .create(
            "Edge.Listener",
            LISTENER,
            json!({
                "LoadBalancerArn": lb.arn(),
                "Port": 443,
                "Protocol": "TCP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg.arn()}],
            }),
        )
        .await;
    h.assert_present(&listener).await;

    // A target group in use by a listener cannot go: something still uses it.
    let err = h.try_delete(&tg2).await.expect_err("in use");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");
    assert!(
        err.message.contains("DeleteTargetGroup") && err.message.contains("ResourceInUse"),
        "{err}"
    );
    assert!(err.message.contains("Edge.Targets"), "{err}");

    h.delete(&listener).await;
    h.delete(&tg2).await;
    h.delete(&lb).await;
    h.drop_network(&net).await;
}

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

/// Properties infra does not map are refused by name before any call; so are values of the
/// wrong shape.
#[tokio::test]
async fn unsupported_and_invalid_properties_are_refused_by_name() {
    let h = Harness::new("refused").await;
    let cases: Vec<(&'static str, Value, &str)> = vec![
        (
            LB,
            json!({"Subnets": ["subnet-1"], "LoadBalancerAttribute": []}),
            "property LoadBalancerAttribute is not supported by infra for AWS::ElasticLoadBalancingV2::LoadBalancer",
        ),
        (
            LB,
            json!({"Subnets": ["subnet-1"], "SubnetMappings": [{"SubnetId": "subnet-1"}]}),
            "Subnets and SubnetMappings are both set",
        ),
        (
            LB,
            json!({"Subnets": ["subnet-1"], "Scheme": "public"}),
            "property Scheme: \"public\" is not one of internal, internet-facing",
        ),
        (
            TG,
            json!({"Port": "eighty"}),
            "property Port must be an integer, not a string",
        ),
        (
            LISTENER,
            json!({"LoadBalancerArn": "arn:lb", "DefaultActions": [
                {"Type": "forward", "ForwardConfig": {"TargetGroups": [], "Stickiness": {}}}
            ]}),
            "property DefaultActions[0].ForwardConfig has no key Stickiness",
        ),
        (
            LISTENER,
            json!({"LoadBalancerArn": "arn:lb", "DefaultActions": [{"Type": "forward"}]}),
            "an action of type forward needs TargetGroupArn or ForwardConfig.TargetGroups",
        ),
        (
            LISTENER,
            json!({"LoadBalancerArn": "arn:lb", "Protocol": "HTTPS",
                   "Certificates": [{"CertificateArn": "a"}, {"CertificateArn": "b"}],
                   "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}),
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        ),
        (
            RULE,
            json!({"ListenerArn": "arn:l", "Priority": 1,
                   "Conditions": [{"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"], "IpAddressType": "ipv4"}}],
                   "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}),
            "property Conditions[0].SourceIpConfig.IpAddressType is not supported",
        ),
    ];
    for (type_name, properties, expected) in cases {
        let err = h
            .try_create("Refused.Thing", type_name, properties.clone())
            .await
            .expect_err("refused");
        assert_eq!(err.class, FailureClass::Fatal, "{err}");
        assert!(
            err.message.contains(expected),
            "{type_name} {properties}: {err}"
        );
        assert!(err.message.contains("Refused.Thing"), "{err}");
    }
    assert_eq!(
        h.calls.count("CreateLoadBalancer")
            + h.calls.count("CreateTargetGroup")
            + h.calls.count("CreateListener")
            + h.calls.count("CreateRule"),
        0,
        "refused before any call"
    );
}

/// A create retried after its creating call went through (the engine retries, or a run was
/// interrupted) finds the target group its earlier attempt made, by name and infra tags, and
/// uses it; a name taken by something else is an error that says so.
#[tokio::test]
async fn retried_create_adopts_what_it_made() {
    let h = Harness::new("adopt").await;
    let net = h.network(64).await;
    let properties = json!({
        "Name": "adopt-tg",
        "Port": 80,
        "Protocol": "HTTP",
        "VpcId": net.vpc,
        "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "5"}],
    });
    let first = h.create("Adopt.Tg", TG, properties.clone()).await;
    // AWS answers an identical CreateTargetGroup with the existing group; moto answers
    // DuplicateTargetGroupName, which the provider resolves by the group's infra tags.
    let again = h.create("Adopt.Tg", TG, properties.clone()).await;
    assert_eq!(again.arn(), first.arn());
    assert_eq!(
        h.tg_attributes(first.arn())
            .await
            .get("deregistration_delay.timeout_seconds")
            .map(String::as_str),
        Some("5")
    );
    let err = h
        .try_create("Adopt.Other", TG, properties)
        .await
        .expect_err("the name belongs to another resource");
    assert_eq!(err.class, FailureClass::Fatal, "{err}");
    assert!(err.message.contains("lacks its infra:* tags"), "{err}");
    h.delete(&first).await;
    h.drop_network(&net).await;
}

/// `find` after an interrupted create, for every ELBv2 type: nothing before the create, what
/// the create returned after it, nothing for another resource's tags or another natural key.
#[tokio::test]
async fn find_what_an_interrupted_create_made() {
    let h = Harness::new("find").await;
    let net = h.network(65).await;
    let tg = h
        .create_and_find(
            "Find.Tg",
            TG,
            json!({"Name": "find-tg", "Port": 80, "Protocol": "HTTP", "VpcId": net.vpc}),
        )
        .await;
    let lb = h
        .create_and_find(
            "Find.Lb",
            LB,
            json!({"Subnets": net.subnets, "SecurityGroups": [net.security_group]}),
        )
        .await;
    let forward = json!([{"Type": "forward", "TargetGroupArn": tg.arn()}]);
    let listener_props = json!({
        "LoadBalancerArn": lb.arn(), "Port": 80, "Protocol": "HTTP", "DefaultActions": forward
    });
    let listener = h
        .create_and_find("Find.Listener", LISTENER, listener_props.clone())
        .await;
    let mut other_port = listener_props;
    other_port["Port"] = json!(81);
    assert_eq!(
        h.find(
            "Find.Listener",
            LISTENER,
            &other_port,
            "Find.Listener",
            None
        )
        .await,
        None
    );
    let rule_props = json!({
        "ListenerArn": listener.arn(),
        "Priority": 10,
        "Conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
        "Actions": forward,
    });
    let rule = h
        .create_and_find("Find.Rule", RULE, rule_props.clone())
        .await;
    let mut other_priority = rule_props;
    other_priority["Priority"] = json!(11);
    assert_eq!(
        h.find("Find.Rule", RULE, &other_priority, "Find.Rule", None)
            .await,
        None
    );
    for made in [&rule, &listener, &lb, &tg] {
        h.delete(made).await;
        assert_eq!(
            h.find(
                &made.address,
                made.type_name,
                &made.properties,
                &made.address,
                None
            )
            .await,
            None,
            "{} is deleted",
            made.address
        );
    }
    h.drop_network(&net).await;
}
