//! The Fargate service discovery example (`examples/fargate-service-discovery/template.yaml`) end
//! to end on the AWS API emulator: apply; the namespaces and the Cloud Map service checked
//! through the Cloud Map API (GetNamespace, GetService, ListTagsForResource), the ECS service's
//! registry through DescribeServices; a second plan with no changes; an in-place update (the A
//! records' TTL); a replacement (the HTTP namespace's name); destroy with nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use cli::{assert_no_changes, id, infra, ok, recorded_ids, s};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "sd";

fn namespace(endpoint: &str, id: &str) -> Value {
    boto::boto(
        endpoint,
        "servicediscovery",
        "get_namespace",
        json!({"Id": id}),
    )["Namespace"]
        .clone()
}

fn service(endpoint: &str, id: &str) -> Value {
    boto::boto(
        endpoint,
        "servicediscovery",
        "get_service",
        json!({"Id": id}),
    )["Service"]
        .clone()
}

/// The names of the namespaces and services Cloud Map holds.
fn cloud_map(endpoint: &str) -> (Vec<Value>, Vec<Value>) {
    let calls = [
        ("servicediscovery", "list_namespaces", json!({})),
        ("servicediscovery", "list_services", json!({})),
    ];
    let answers = boto::batch(endpoint, &calls);
    let names = |answer: &Result<Value, boto::BotoError>, key: &str| -> Vec<Value> {
        let answer = answer.as_ref().unwrap_or_else(|e| panic!("{e}"));
        let items = answer[key].as_array().cloned().unwrap_or_default();
        items.iter().map(|i| i["Name"].clone()).collect()
    };
    (
        names(&answers[0], "Namespaces"),
        names(&answers[1], "Services"),
    )
}

#[test]
fn a_fargate_service_registers_in_cloud_map_and_everything_goes_away() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.as_str();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("fargate-service-discovery", dir.path());
    let state = dir.path().join("sd.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 16 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);

    // The private DNS namespace: its type, VPC zone, description and SOA TTL.
    let private = namespace(endpoint, id(&ids, "Namespace"));
    assert_eq!(private["Name"], "sd.internal");
    assert_eq!(private["Type"], "DNS_PRIVATE");
    assert_eq!(private["Description"], "Names of the stack's services");
    let dns = &private["Properties"]["DnsProperties"];
    assert_eq!(dns["SOA"]["TTL"], 60);
    assert!(
        dns["HostedZoneId"].as_str().is_some_and(|z| !z.is_empty()),
        "{private}"
    );
    let outputs: Value = serde_json::from_str(&ok(&infra(
        &emulator,
        &["output", "--json", "--stack", STACK, "--state", s(&state)],
    )))
    .expect("outputs");
    let output = |name: &str| {
        outputs[name]["value"]
            .as_str()
            .or(outputs[name].as_str())
            .map(str::to_owned)
    };
    assert_eq!(
        output("HostedZoneId").as_deref(),
        dns["HostedZoneId"].as_str()
    );
    assert_eq!(output("ApiName").as_deref(), Some("api.sd.internal"));

    // The Cloud Map service: A records in the namespace, the custom health check.
    let discovery = service(endpoint, id(&ids, "DiscoveryService"));
    assert_eq!(discovery["Name"], "api");
    assert_eq!(discovery["NamespaceId"], id(&ids, "Namespace"));
    assert_eq!(
        discovery["DnsConfig"]["DnsRecords"],
        json!([{"Type": "A", "TTL": 60}])
    );
    assert_eq!(discovery["DnsConfig"]["RoutingPolicy"], "MULTIVALUE");
    assert!(
        discovery["HealthCheckCustomConfig"].is_object(),
        "{discovery}"
    );
    let arn = discovery["Arn"].as_str().expect("an ARN").to_owned();
    assert_eq!(output("DiscoveryServiceArn").as_deref(), Some(arn.as_str()));
    let tags = boto::boto(
        endpoint,
        "servicediscovery",
        "list_tags_for_resource",
        json!({"ResourceARN": arn}),
    );
    assert!(
        tags["Tags"].as_array().is_some_and(
            |t| t.contains(&json!({"Key": "infra:address", "Value": "DiscoveryService"}))
        ),
        "{tags}"
    );

    // The ECS service registers its tasks in the Cloud Map service.
    let cluster = id(&ids, "Cluster");
    let described = boto::boto(
        endpoint,
        "ecs",
        "describe_services",
        json!({"cluster": cluster, "services": [id(&ids, "Service")]}),
    );
    let ecs = &described["services"][0];
    assert_eq!(ecs["launchType"], "FARGATE");
    assert_eq!(ecs["serviceRegistries"], json!([{"registryArn": arn}]));
    let awsvpc = &ecs["networkConfiguration"]["awsvpcConfiguration"];
    assert_eq!(
        awsvpc["securityGroups"],
        json!([id(&ids, "ServiceSecurityGroup")])
    );

    // The HTTP namespace.
    let catalog = namespace(endpoint, id(&ids, "Catalog"));
    assert_eq!(
        (&catalog["Name"], &catalog["Type"]),
        (&json!("sd-catalog"), &json!("HTTP"))
    );

    // A second plan, refreshed, has nothing to do.
    assert_no_changes(&emulator, &base);

    // In place: the A records' TTL (UpdateService, an operation waited for).
    let ttl = ["--parameter", "DnsTtl=10"];
    let plan = ok(&run(&[&["plan"][..], &ttl].concat()));
    assert!(
        plan.contains("DiscoveryService will be updated in-place"),
        "{plan}"
    );
    assert!(
        plan.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );
    let out = ok(&run(&[&["apply", "--auto-approve"][..], &ttl].concat()));
    assert!(
        out.contains("Apply complete! Resources: 0 added, 1 changed, 0 destroyed."),
        "{out}"
    );
    let discovery = service(endpoint, id(&ids, "DiscoveryService"));
    assert_eq!(
        discovery["DnsConfig"]["DnsRecords"],
        json!([{"Type": "A", "TTL": 10}])
    );
    assert_no_changes(&emulator, &[&base[..], &ttl].concat());

    // A replacement: the HTTP namespace's name is create-only.
    let renamed = [&ttl[..], &["--parameter", "HttpNamespaceName=registry"]].concat();
    let plan = ok(&run(&[&["plan"][..], &renamed].concat()));
    assert!(plan.contains("Catalog must be replaced"), "{plan}");
    let out = ok(&run(&[&["apply", "--auto-approve"][..], &renamed].concat()));
    assert!(
        out.contains("Apply complete! Resources: 1 added, 0 changed, 1 destroyed."),
        "{out}"
    );
    let after = recorded_ids(&state);
    assert_ne!(id(&after, "Catalog"), id(&ids, "Catalog"));
    assert_eq!(
        namespace(endpoint, id(&after, "Catalog"))["Name"],
        "sd-registry"
    );
    let (namespaces, _) = cloud_map(endpoint);
    assert!(!namespaces.contains(&json!("sd-catalog")), "{namespaces:?}");
    assert_no_changes(&emulator, &[&base[..], &renamed].concat());

    // Destroy: nothing left in Cloud Map, ECS or the VPC.
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
        out.contains("Destroy complete! Resources: 0 added, 0 changed, 16 destroyed."),
        "{out}"
    );
    let (namespaces, services) = cloud_map(endpoint);
    assert!(
        namespaces.is_empty() && services.is_empty(),
        "{namespaces:?} {services:?}"
    );
    // The cluster is gone too: ECS answers ClusterNotFoundException, or no active service.
    let args = json!({"cluster": cluster, "services": [id(&ids, "Service")]});
    let described = boto::try_boto(endpoint, "ecs", "describe_services", args);
    if let Ok(described) = &described {
        let services = described["services"].as_array().into_iter().flatten();
        assert_eq!(
            services.filter(|s| s["status"] == "ACTIVE").count(),
            0,
            "{described}"
        );
    }
    let vpcs = boto::try_boto(
        endpoint,
        "ec2",
        "describe_vpcs",
        json!({"VpcIds": [id(&ids, "Vpc")]}),
    );
    match vpcs {
        Ok(found) => assert_eq!(found["Vpcs"], json!([]), "{found}"),
        Err(e) => assert_eq!(e.code, "InvalidVpcID.NotFound", "{e}"),
    }
}
