//! The load-balancer DNS example (`examples/alb-dns-alias/template.yaml`) end to end on the AWS
//! API emulator: apply; what the template says checked through Route 53 (GetHostedZone,
//! ListResourceRecordSets, ListTagsForResource) and Elastic Load Balancing
//! (DescribeLoadBalancers); a second plan with no changes; in-place updates (the CNAME's TTL and
//! the zone's comment, then the CNAME's name: record sets are renamed in place, as
//! CloudFormation does); a replacement (the private zone's name, and so the record in it);
//! destroy with nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use boto::{batch, boto, try_boto};
use cli::{assert_no_changes, edit, id, infra, ok, recorded_ids, s, text};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "dnsdemo";

/// The record sets Route 53 holds in `zone`.
fn record_sets(endpoint: &str, zone: &str) -> Vec<Value> {
    let listed = boto(
        endpoint,
        "route53",
        "list_resource_record_sets",
        json!({"HostedZoneId": zone}),
    );
    listed["ResourceRecordSets"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The record set of `name` (with the final dot) and `kind` in `sets`.
fn find<'a>(sets: &'a [Value], name: &str, kind: &str) -> Option<&'a Value> {
    sets.iter()
        .find(|r| r["Name"] == json!(name) && r["Type"] == json!(kind))
}

/// The values of a record set, sorted.
fn values(set: &Value) -> Vec<String> {
    let mut v: Vec<String> = set["ResourceRecords"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x["Value"].as_str())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A domain name as Route 53 compares it: lower case, without the final dot.
fn canonical(name: &Value) -> String {
    name.as_str()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

#[test]
fn load_balancer_names_apply_update_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("alb-dns-alias", dir.path());
    let state = dir.path().join("dns.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    let validated = ok(&infra(
        &emulator,
        &["validate", "-t", s(&template), "--stack", STACK],
    ));
    assert!(
        validated.contains("VerificationTxt -> PublicZone  [record-set-after-named-hosted-zone]"),
        "{validated}"
    );
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 17 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let (public, private) = (id(&ids, "PublicZone"), id(&ids, "PrivateZone"));
    assert!(
        !public.starts_with('/'),
        "Ref is the bare zone id: {public}"
    );
    assert_eq!(id(&ids, "ApexAlias"), "shop.example.com");
    assert_eq!(id(&ids, "WwwCname"), "www.shop.example.com");

    // The zones: public with its comment and tags, private in the VPC.
    let zones = batch(
        &endpoint,
        &[
            ("route53", "get_hosted_zone", json!({"Id": public})),
            ("route53", "get_hosted_zone", json!({"Id": private})),
            (
                "route53",
                "list_tags_for_resource",
                json!({"ResourceType": "hostedzone", "ResourceId": public}),
            ),
            (
                "elbv2",
                "describe_load_balancers",
                json!({"LoadBalancerArns": [id(&ids, "LoadBalancer")]}),
            ),
        ],
    );
    let zones: Vec<Value> = zones
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let zone = &zones[0]["HostedZone"];
    assert_eq!(zone["Name"], json!("shop.example.com."));
    assert_eq!(zone["Config"]["Comment"], json!("Public names of the shop"));
    assert_eq!(zone["Config"]["PrivateZone"], json!(false));
    let servers = zones[0]["DelegationSet"]["NameServers"]
        .as_array()
        .expect("name servers");
    assert!(!servers.is_empty());
    let inner = &zones[1];
    assert_eq!(inner["HostedZone"]["Name"], json!("shop.internal."));
    assert_eq!(inner["HostedZone"]["Config"]["PrivateZone"], json!(true));
    assert_eq!(
        inner["VPCs"],
        json!([{"VPCId": id(&ids, "Vpc"), "VPCRegion": support::REGION}])
    );
    let tags = zones[2]["ResourceTagSet"]["Tags"].as_array().expect("tags");
    assert!(
        tags.contains(&json!({"Key": "app", "Value": "shop"})),
        "{tags:?}"
    );
    assert!(
        tags.contains(&json!({"Key": "infra:address", "Value": "PublicZone"})),
        "{tags:?}"
    );
    let lb = &zones[3]["LoadBalancers"][0];

    // The records: the apex an alias to the load balancer, the CNAME with its TTL, the TXT
    // record with its two values (made by zone name), the private alias.
    let sets = record_sets(&endpoint, public);
    let apex = find(&sets, "shop.example.com.", "A").expect("apex alias");
    assert_eq!(
        canonical(&apex["AliasTarget"]["DNSName"]),
        canonical(&lb["DNSName"])
    );
    assert_eq!(
        apex["AliasTarget"]["HostedZoneId"],
        lb["CanonicalHostedZoneId"]
    );
    assert_eq!(apex["AliasTarget"]["EvaluateTargetHealth"], json!(true));
    let www = find(&sets, "www.shop.example.com.", "CNAME").expect("www");
    assert_eq!(www["TTL"], json!(300));
    assert_eq!(values(www), ["shop.example.com"]);
    let txt = find(&sets, "_verify.shop.example.com.", "TXT").expect("txt");
    assert_eq!(txt["TTL"], json!(3600));
    assert_eq!(
        values(txt),
        ["\"site-verification=shop-4242\"", "\"v=spf1 -all\""]
    );
    let inner_sets = record_sets(&endpoint, private);
    let lb_alias = find(&inner_sets, "lb.shop.internal.", "A").expect("internal alias");
    assert_eq!(
        canonical(&lb_alias["AliasTarget"]["DNSName"]),
        canonical(&lb["DNSName"])
    );

    assert_no_changes(&emulator, &base);

    // In place: the CNAME's TTL and the zone's comment.
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--parameter",
        "RecordTtl=60",
        "--parameter",
        "ZoneComment=The shop",
    ]));
    assert!(out.contains("0 added, 2 changed, 0 destroyed"), "{out}");
    let www = record_sets(&endpoint, public);
    let www = find(&www, "www.shop.example.com.", "CNAME").expect("www");
    assert_eq!(www["TTL"], json!(60));
    let zone = boto(
        &endpoint,
        "route53",
        "get_hosted_zone",
        json!({"Id": public}),
    );
    assert_eq!(zone["HostedZone"]["Config"]["Comment"], json!("The shop"));
    edit(&template, "Default: 300", "Default: 60");
    edit(
        &template,
        "Default: Public names of the shop",
        "Default: The shop",
    );
    assert_no_changes(&emulator, &base);

    // In place too: the CNAME's name, in one batch that deletes the old name and creates the
    // new one; its Ref follows.
    edit(&template, "Default: www", "Default: web");
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(out.contains("0 added, 1 changed, 0 destroyed"), "{out}");
    assert_eq!(
        id(&recorded_ids(&state), "WwwCname"),
        "web.shop.example.com"
    );
    let sets = record_sets(&endpoint, public);
    assert!(
        find(&sets, "www.shop.example.com.", "CNAME").is_none(),
        "{sets:?}"
    );
    let web = find(&sets, "web.shop.example.com.", "CNAME").expect("web");
    assert_eq!(web["TTL"], json!(60));

    // A replacement: a new name is a new private zone, and the record in it moves with it.
    edit(&template, "Default: shop.internal", "Default: shop.corp");
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(out.contains("2 added, 0 changed, 2 destroyed"), "{out}");
    let after = recorded_ids(&state);
    let new_private = id(&after, "PrivateZone");
    assert_ne!(new_private, private);
    let gone = try_boto(
        &endpoint,
        "route53",
        "get_hosted_zone",
        json!({"Id": private}),
    );
    assert_eq!(gone.map_err(|e| e.code), Err("NoSuchHostedZone".to_owned()));
    let inner_sets = record_sets(&endpoint, new_private);
    assert!(
        find(&inner_sets, "lb.shop.corp.", "A").is_some(),
        "{inner_sets:?}"
    );
    assert_no_changes(&emulator, &base);

    // Destroy: no zone and no load balancer left.
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
    assert!(out.contains("Destroy complete!"), "{out}");
    let left = boto(&endpoint, "route53", "list_hosted_zones", json!({}));
    assert_eq!(left["HostedZones"], json!([]), "{}", text(&run(&["plan"])));
    let lbs = boto(&endpoint, "elbv2", "describe_load_balancers", json!({}));
    assert_eq!(lbs["LoadBalancers"], json!([]));
}
