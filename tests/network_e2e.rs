//! The isolated VPC example (`examples/isolated-vpc/template.yaml`) end to end on the AWS API
//! emulator: apply; what the template says checked through the EC2 (and SSM) APIs; a second
//! plan with no changes; an in-place update (the network ACL's application port); a
//! replacement (a network ACL entry's rule number, which names it); destroy with nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/sdk.rs"]
mod sdk;
#[path = "support/mod.rs"]
mod support;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Filter, NetworkAcl};
use cli::{edit, id, infra, ok, recorded_ids, s};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "iso";

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// `(egress, rule number)` → `(protocol, action, IPv4 block, IPv6 block, ports)` of the ACL's
/// entries.
type Entries = Vec<(
    (bool, i32),
    (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<(i32, i32)>,
    ),
)>;

fn entries(acl: &NetworkAcl) -> Entries {
    let mut out: Entries = acl
        .entries()
        .iter()
        .filter(|e| e.rule_number() != Some(32767))
        .map(|e| {
            (
                (e.egress().unwrap_or(false), e.rule_number().unwrap_or(0)),
                (
                    e.protocol().unwrap_or_default().to_owned(),
                    e.rule_action()
                        .map(|a| a.as_str().to_owned())
                        .unwrap_or_default(),
                    e.cidr_block().map(str::to_owned),
                    e.ipv6_cidr_block().map(str::to_owned),
                    e.port_range()
                        .map(|p| (p.from().unwrap_or(0), p.to().unwrap_or(0))),
                ),
            )
        })
        .collect();
    out.sort_by_key(|(k, _)| *k);
    out
}

/// What the stack holds of each type the example uses, through the EC2 API: VPCs, network
/// ACLs (not the default one), egress-only gateways, DHCP options sets, VPC endpoints that are
/// not deleted, flow logs and key pairs.
async fn census(ec2: &Client) -> [usize; 7] {
    let tag = || filter("tag:infra:stack", STACK);
    let vpcs = ec2
        .describe_vpcs()
        .filters(tag())
        .send()
        .await
        .expect("vpcs");
    let acls = ec2
        .describe_network_acls()
        .filters(tag())
        .send()
        .await
        .expect("acls");
    // moto ignores the filters of DescribeEgressOnlyInternetGateways (AWS applies them): the
    // stack's are picked by their tag here.
    let eigws = ec2
        .describe_egress_only_internet_gateways()
        .send()
        .await
        .expect("eigws");
    let eigws = eigws
        .egress_only_internet_gateways()
        .iter()
        .filter(|g| {
            g.tags()
                .iter()
                .any(|t| t.key() == Some("infra:stack") && t.value() == Some(STACK))
        })
        .count();
    let dhcp = ec2
        .describe_dhcp_options()
        .filters(tag())
        .send()
        .await
        .expect("dhcp")
        .dhcp_options()
        .len();
    let endpoints = ec2
        .describe_vpc_endpoints()
        .filters(tag())
        .send()
        .await
        .expect("endpoints");
    let endpoints = endpoints
        .vpc_endpoints()
        .iter()
        .filter(|e| {
            e.state()
                .is_none_or(|s| !s.as_str().eq_ignore_ascii_case("deleted"))
        })
        .count();
    let logs = ec2
        .describe_flow_logs()
        .filter(tag())
        .send()
        .await
        .expect("flow logs");
    let keys = ec2
        .describe_key_pairs()
        .filters(tag())
        .send()
        .await
        .expect("key pairs");
    [
        vpcs.vpcs().len(),
        acls.network_acls().len(),
        eigws,
        dhcp,
        endpoints,
        logs.flow_logs().len(),
        keys.key_pairs().len(),
    ]
}

#[test]
fn the_isolated_vpc_applies_updates_and_destroys_with_nothing_left() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("isolated-vpc", dir.path());
    let state = dir.path().join("iso.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());
    let rt = sdk::runtime();
    let ec2 = Client::new(&sdk::config(&emulator.endpoint));

    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 25 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let (vpc, acl) = (id(&ids, "Vpc"), id(&ids, "PrivateAcl"));
    rt.block_on(async {
        assert_eq!(census(&ec2).await, [1, 1, 1, 1, 2, 1, 1]);

        // The VPC: its Amazon-provided IPv6 block, its DHCP options.
        let v = ec2.describe_vpcs().vpc_ids(vpc).send().await.expect("vpc");
        let v = &v.vpcs()[0];
        let ipv6: Vec<_> = v
            .ipv6_cidr_block_association_set()
            .iter()
            .filter(|a| a.association_id() == Some(id(&ids, "Ipv6Block")))
            .collect();
        assert_eq!(ipv6.len(), 1, "{v:?}");
        assert_eq!(v.dhcp_options_id(), Some(id(&ids, "DhcpOptions")));
        let dhcp = ec2
            .describe_dhcp_options()
            .dhcp_options_ids(id(&ids, "DhcpOptions"))
            .send()
            .await
            .expect("dhcp");
        let configurations: Vec<(String, Vec<String>)> = dhcp.dhcp_options()[0]
            .dhcp_configurations()
            .iter()
            .map(|c| {
                (
                    c.key().unwrap_or_default().to_owned(),
                    c.values()
                        .iter()
                        .filter_map(|v| v.value().map(str::to_owned))
                        .collect(),
                )
            })
            .collect();
        assert!(
            configurations.contains(&("domain-name".into(), vec!["dev.isolated.internal".into()])),
            "{configurations:?}"
        );

        // The network ACL: its four entries, both subnets behind it.
        let acls = ec2
            .describe_network_acls()
            .network_acl_ids(acl)
            .send()
            .await
            .expect("acl");
        let found = &acls.network_acls()[0];
        let tcp = |from, to| Some((from, to));
        assert_eq!(
            entries(found),
            vec![
                (
                    (false, 100),
                    (
                        "6".into(),
                        "allow".into(),
                        Some("10.70.0.0/16".into()),
                        None,
                        tcp(443, 443)
                    )
                ),
                (
                    (false, 110),
                    (
                        "6".into(),
                        "allow".into(),
                        Some("10.70.0.0/16".into()),
                        None,
                        tcp(1024, 65535)
                    )
                ),
                (
                    (true, 100),
                    (
                        "-1".into(),
                        "allow".into(),
                        Some("10.70.0.0/16".into()),
                        None,
                        None
                    )
                ),
                (
                    (true, 101),
                    ("-1".into(), "allow".into(), None, Some("::/0".into()), None)
                ),
            ]
        );
        let mut subnets: Vec<&str> = found
            .associations()
            .iter()
            .filter_map(|a| a.subnet_id())
            .collect();
        subnets.sort_unstable();
        let mut want = vec![id(&ids, "PrivateSubnetA"), id(&ids, "PrivateSubnetB")];
        want.sort_unstable();
        assert_eq!(subnets, want);

        // Outbound IPv6 through the egress-only gateway, attached to the VPC.
        let gateway = id(&ids, "EgressOnlyGateway");
        let eigw = ec2
            .describe_egress_only_internet_gateways()
            .egress_only_internet_gateway_ids(gateway)
            .send()
            .await
            .expect("eigw");
        let eigw = &eigw.egress_only_internet_gateways()[0];
        assert_eq!(eigw.attachments()[0].vpc_id(), Some(vpc));
        let tables = ec2
            .describe_route_tables()
            .route_table_ids(id(&ids, "PrivateRoutes"))
            .send()
            .await
            .expect("routes");
        assert!(
            tables.route_tables()[0].routes().iter().any(|r| {
                r.destination_ipv6_cidr_block() == Some("::/0")
                    && r.egress_only_internet_gateway_id() == Some(gateway)
            }),
            "{tables:?}"
        );

        // The endpoints: S3 through the private route table, CloudWatch Logs in both subnets.
        let endpoints = ec2
            .describe_vpc_endpoints()
            .vpc_endpoint_ids(id(&ids, "S3Endpoint"))
            .vpc_endpoint_ids(id(&ids, "LogsEndpoint"))
            .send()
            .await
            .expect("endpoints");
        for e in endpoints.vpc_endpoints() {
            if e.vpc_endpoint_id() == Some(id(&ids, "S3Endpoint")) {
                assert_eq!(e.service_name(), Some("com.amazonaws.us-east-1.s3"));
                assert_eq!(e.vpc_endpoint_type().map(|t| t.as_str()), Some("Gateway"));
                assert_eq!(e.route_table_ids(), [id(&ids, "PrivateRoutes")]);
                assert!(
                    e.policy_document()
                        .is_some_and(|p| p.contains("s3:GetObject"))
                );
            } else {
                assert_eq!(e.service_name(), Some("com.amazonaws.us-east-1.logs"));
                assert_eq!(e.vpc_endpoint_type().map(|t| t.as_str()), Some("Interface"));
                let mut subnets = e.subnet_ids().to_vec();
                subnets.sort_unstable();
                assert_eq!(subnets, want);
                assert_eq!(e.private_dns_enabled(), Some(true));
            }
        }

        // Rejected traffic of the VPC, to the log group.
        let logs = ec2
            .describe_flow_logs()
            .flow_log_ids(id(&ids, "RejectedTraffic"))
            .send()
            .await
            .expect("flow log");
        let log = &logs.flow_logs()[0];
        assert_eq!(log.resource_id(), Some(vpc));
        assert_eq!(log.traffic_type().map(|t| t.as_str()), Some("REJECT"));
        assert_eq!(log.log_group_name(), Some(id(&ids, "FlowLogGroup")));
    });

    // The key pair's private key is in SSM, as CloudFormation keeps it, and in no file of infra.
    let outputs = ok(&infra(
        &emulator,
        &["output", "--json", "--stack", STACK, "--state", s(&state)],
    ));
    let outputs: Value = serde_json::from_str(&outputs).expect("outputs json");
    let parameter = outputs["InstanceKeyParameter"]
        .as_str()
        .or_else(|| outputs["InstanceKeyParameter"]["value"].as_str())
        .unwrap_or_else(|| panic!("no InstanceKeyParameter output: {outputs}"))
        .to_owned();
    let key = boto::boto(
        &emulator.endpoint,
        "ssm",
        "get_parameter",
        json!({"Name": parameter, "WithDecryption": true}),
    );
    let private = key["Parameter"]["Value"]
        .as_str()
        .expect("a private key")
        .to_owned();
    assert!(private.contains("PRIVATE KEY"), "{key}");
    let recorded = std::fs::read_to_string(&state).expect("state");
    assert!(
        !recorded.contains(private.trim()),
        "the state holds no private key"
    );
    assert_eq!(id(&ids, "InstanceKey"), "iso-instances");

    // A second plan has nothing to do, with and without refresh.
    cli::assert_no_changes(&emulator, &base);
    let clean = run(&["plan", "--detailed-exitcode", "--refresh=false"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "second plan:\n{}",
        String::from_utf8_lossy(&clean.stdout)
    );

    // In place: the application's port (ReplaceNetworkAclEntry).
    let plan = ok(&run(&[
        "plan",
        "--refresh=false",
        "--parameter",
        "AppPort=8443",
    ]));
    assert!(plan.contains("AppIn will be updated in-place"), "{plan}");
    assert!(
        plan.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--refresh=false",
        "--parameter",
        "AppPort=8443",
    ]));
    assert!(
        out.contains("Apply complete! Resources: 0 added, 1 changed, 0 destroyed."),
        "{out}"
    );

    // A replacement: the return traffic's rule number names the entry (create-only).
    edit(&template, "      RuleNumber: 110", "      RuleNumber: 120");
    let plan = ok(&run(&[
        "plan",
        "--refresh=false",
        "--parameter",
        "AppPort=8443",
    ]));
    assert!(plan.contains("ReturnTrafficIn must be replaced"), "{plan}");
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--refresh=false",
        "--parameter",
        "AppPort=8443",
    ]));
    assert!(
        out.contains("Apply complete! Resources: 1 added, 0 changed, 1 destroyed."),
        "{out}"
    );
    rt.block_on(async {
        let acls = ec2
            .describe_network_acls()
            .network_acl_ids(acl)
            .send()
            .await
            .expect("acl");
        let found = entries(&acls.network_acls()[0]);
        let rules: Vec<(bool, i32)> = found.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            rules,
            [(false, 100), (false, 120), (true, 100), (true, 101)]
        );
        assert_eq!(
            found[0].1.4,
            Some((8443, 8443)),
            "the port changed in place"
        );
    });
    let after = recorded_ids(&state);
    assert_eq!(id(&after, "ReturnTrafficIn"), format!("{acl}|ingress|120"));
    let clean = run(&[
        "plan",
        "--detailed-exitcode",
        "--refresh=false",
        "--parameter",
        "AppPort=8443",
    ]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );

    // Destroy: nothing left, the private key's parameter included.
    let out = ok(&infra(
        &emulator,
        &[
            "destroy",
            "--auto-approve",
            "--stack",
            STACK,
            "--state",
            s(&state),
        ],
    ));
    assert!(
        out.contains("Destroy complete! Resources: 0 added, 0 changed, 25 destroyed."),
        "{out}"
    );
    rt.block_on(async {
        assert_eq!(census(&ec2).await, [0; 7]);
    });
    let gone = boto::try_boto(
        &emulator.endpoint,
        "ssm",
        "get_parameter",
        json!({"Name": parameter}),
    );
    assert_eq!(
        gone.map_err(|e| e.code),
        Err("ParameterNotFound".to_owned()),
        "the private key's parameter is deleted"
    );
}
