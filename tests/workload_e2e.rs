//! The reference workload (the fixture's `parent.yml` and its three nested stacks) end to end
//! on the AWS API emulator: apply, a clean second plan, in-place updates and a replacement,
//! destroy leaving nothing, cross-stack parallelism, no Lambda anywhere.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::Emulator;

const FILES: [&str; 4] = ["parent.yml", "vpc.yml", "cluster.yml", "service.yml"];

/// The fixture copied into `dir` (the test edits its copy, never the upstream files).
fn copy_fixture(dir: &Path) -> PathBuf {
    let src = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2");
    assert!(
        src.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        src.display()
    );
    for f in FILES {
        std::fs::copy(src.join(f), dir.join(f)).expect("copy fixture");
    }
    dir.join("parent.yml")
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn infra(emulator: &Emulator, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs infra")
}

fn ok(o: &Output) -> String {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "infra failed ({:?})\nstdout:\n{out}\nstderr:\n{err}",
        o.status.code()
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

struct Aws {
    rt: tokio::runtime::Runtime,
    config: aws_config::SdkConfig,
}

impl Aws {
    fn new(emulator: &Emulator) -> Aws {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let config = rt.block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .region(aws_config::Region::new("us-east-1"))
                .endpoint_url(&emulator.endpoint)
                .credentials_provider(aws_credential_types::Credentials::new(
                    "testing", "testing", None, None, "test",
                ))
                .load(),
        );
        Aws { rt, config }
    }

    /// Live resources by kind, through each service's API.
    fn census(
        &self,
        capacity_providers: &[String],
    ) -> std::collections::BTreeMap<&'static str, usize> {
        let ec2 = aws_sdk_ec2::Client::new(&self.config);
        let asg = aws_sdk_autoscaling::Client::new(&self.config);
        let ecs = aws_sdk_ecs::Client::new(&self.config);
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&self.config);
        let lambda = aws_sdk_lambda::Client::new(&self.config);
        let iam = aws_sdk_iam::Client::new(&self.config);
        let tag = || {
            aws_sdk_ec2::types::Filter::builder()
                .name("tag:infra:stack")
                .values("wl")
                .build()
        };
        self.rt.block_on(async {
            let mut m = std::collections::BTreeMap::new();
            m.insert(
                "vpc",
                ec2.describe_vpcs()
                    .filters(tag())
                    .send()
                    .await
                    .expect("vpcs")
                    .vpcs()
                    .len(),
            );
            m.insert(
                "subnet",
                ec2.describe_subnets()
                    .filters(tag())
                    .send()
                    .await
                    .expect("subnets")
                    .subnets()
                    .len(),
            );
            let nat = ec2
                .describe_nat_gateways()
                .filter(tag())
                .send()
                .await
                .expect("nat");
            m.insert(
                "nat",
                nat.nat_gateways()
                    .iter()
                    .filter(|n| n.state().is_some_and(|s| s.as_str() != "deleted"))
                    .count(),
            );
            m.insert(
                "eip",
                ec2.describe_addresses()
                    .filters(tag())
                    .send()
                    .await
                    .expect("eip")
                    .addresses()
                    .len(),
            );
            m.insert(
                "igw",
                ec2.describe_internet_gateways()
                    .filters(tag())
                    .send()
                    .await
                    .expect("igw")
                    .internet_gateways()
                    .len(),
            );
            m.insert(
                "security_group",
                ec2.describe_security_groups()
                    .filters(tag())
                    .send()
                    .await
                    .expect("sg")
                    .security_groups()
                    .len(),
            );
            m.insert(
                "launch_template",
                ec2.describe_launch_templates()
                    .filters(tag())
                    .send()
                    .await
                    .expect("lt")
                    .launch_templates()
                    .len(),
            );
            m.insert(
                "asg",
                asg.describe_auto_scaling_groups()
                    .send()
                    .await
                    .expect("asg")
                    .auto_scaling_groups()
                    .len(),
            );
            let clusters = ecs
                .list_clusters()
                .send()
                .await
                .expect("clusters")
                .cluster_arns()
                .to_vec();
            let active = if clusters.is_empty() {
                0
            } else {
                ecs.describe_clusters()
                    .set_clusters(Some(clusters))
                    .send()
                    .await
                    .expect("describe clusters")
                    .clusters()
                    .iter()
                    .filter(|c| c.status() == Some("ACTIVE"))
                    .count()
            };
            m.insert("cluster", active);
            // By name: moto answers DescribeCapacityProviders without names with a 500 (AWS lists
            // them all), and removes deleted ones at once (AWS keeps them INACTIVE for a while).
            let cps = ecs
                .describe_capacity_providers()
                .set_capacity_providers(Some(capacity_providers.to_vec()))
                .send()
                .await
                .expect("cps");
            m.insert(
                "capacity_provider",
                cps.capacity_providers()
                    .iter()
                    .filter(|c| c.status().is_some_and(|s| s.as_str() == "ACTIVE"))
                    .count(),
            );
            m.insert(
                "load_balancer",
                elb.describe_load_balancers()
                    .send()
                    .await
                    .expect("lbs")
                    .load_balancers()
                    .len(),
            );
            m.insert(
                "target_group",
                elb.describe_target_groups()
                    .send()
                    .await
                    .expect("tgs")
                    .target_groups()
                    .len(),
            );
            m.insert(
                "lambda",
                lambda
                    .list_functions()
                    .send()
                    .await
                    .expect("functions")
                    .functions()
                    .len(),
            );
            let roles = iam.list_roles().send().await.expect("roles");
            m.insert(
                "role",
                roles
                    .roles()
                    .iter()
                    .filter(|r| r.role_name().starts_with("wl-"))
                    .count(),
            );
            m
        })
    }
}

#[test]
fn the_reference_workload_applies_updates_and_destroys_with_nothing_left() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let parent = copy_fixture(dir.path());
    let state = dir.path().join("wl.json");
    let base = ["-t", s(&parent), "--stack", "wl", "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());
    let aws = Aws::new(&emulator);

    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 39 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    assert!(
        !out.lines()
            .any(|l| l.contains("CustomAsgDestroyer") && l.contains(": Creating...")),
        "no custom resource, function or role of it is created: {out}"
    );
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("json");
    let cp_name = st["resources"]["ClusterStack.CapacityProvider"]["physical_id"]
        .as_str()
        .expect("capacity provider")
        .to_string();
    let cps = [cp_name];
    let census = aws.census(&cps);
    assert_eq!(census["capacity_provider"], 1, "{census:?}");
    for (kind, n) in [
        ("vpc", 1),
        ("subnet", 4),
        ("nat", 2),
        ("asg", 1),
        ("cluster", 1),
        ("load_balancer", 1),
        ("target_group", 1),
        ("lambda", 0),
    ] {
        assert_eq!(census[kind], n, "{kind}: {census:?}");
    }

    // Cross-stack parallelism: cluster and service resources start before the network is done.
    let lines: Vec<&str> = out.lines().collect();
    let first_other = lines
        .iter()
        .position(|l| {
            (l.starts_with("ClusterStack.") || l.starts_with("ServiceStack."))
                && l.contains(": Creating...")
        })
        .expect("cluster/service creates");
    let last_vpc = lines
        .iter()
        .rposition(|l| l.starts_with("VpcStack.") && l.contains("Creation complete"))
        .expect("vpc creates");
    assert!(
        first_other < last_vpc,
        "ClusterStack/ServiceStack start before VpcStack finishes"
    );

    // What was made is what the template says.
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("json");
    let lb_arn = st["resources"]["ServiceStack.PublicLoadBalancer"]["physical_id"]
        .as_str()
        .expect("lb")
        .to_string();
    let tg_arn = st["resources"]["ServiceStack.ServiceTargetGroup"]["physical_id"]
        .as_str()
        .expect("tg")
        .to_string();
    let lt_id = st["resources"]["ClusterStack.ContainerInstances"]["physical_id"]
        .as_str()
        .expect("lt")
        .to_string();
    let service_arn = st["resources"]["ServiceStack.Service"]["physical_id"]
        .as_str()
        .expect("service")
        .to_string();
    let cluster = st["resources"]["ClusterStack.ECSCluster"]["physical_id"]
        .as_str()
        .expect("cluster")
        .to_string();
    let private: Vec<String> = ["VpcStack.PrivateSubnetOne", "VpcStack.PrivateSubnetTwo"]
        .iter()
        .map(|a| {
            st["resources"][*a]["physical_id"]
                .as_str()
                .expect("subnet")
                .to_string()
        })
        .collect();
    let ecs = aws_sdk_ecs::Client::new(&aws.config);
    aws.rt.block_on(async {
        let d = ecs
            .describe_services()
            .cluster(&cluster)
            .services(&service_arn)
            .send()
            .await
            .expect("service");
        let net = d.services()[0]
            .network_configuration()
            .and_then(|n| n.awsvpc_configuration())
            .expect("awsvpc configuration");
        let mut subnets = net.subnets().to_vec();
        subnets.sort();
        let mut want = private.clone();
        want.sort();
        assert_eq!(subnets, want, "the service runs in the private subnets");
    });
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&aws.config);
    let ec2 = aws_sdk_ec2::Client::new(&aws.config);
    aws.rt.block_on(async {
        let attrs = elb
            .describe_load_balancer_attributes()
            .load_balancer_arn(&lb_arn)
            .send()
            .await
            .expect("attrs");
        let idle = attrs
            .attributes()
            .iter()
            .find(|a| a.key() == Some("idle_timeout.timeout_seconds"))
            .and_then(|a| a.value().map(str::to_string));
        assert_eq!(idle.as_deref(), Some("30"));
        let tg = elb
            .describe_target_groups()
            .target_group_arns(&tg_arn)
            .send()
            .await
            .expect("tg");
        assert_eq!(
            tg.target_groups()[0].target_type().map(|t| t.as_str()),
            Some("ip")
        );
        let v = ec2
            .describe_launch_template_versions()
            .launch_template_id(&lt_id)
            .versions("$Latest")
            .send()
            .await
            .expect("lt versions");
        let tokens = v.launch_template_versions()[0]
            .launch_template_data()
            .and_then(|d| d.metadata_options())
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str().to_string());
        assert_eq!(tokens.as_deref(), Some("required"));
    });

    // moto's DescribeServices leaves out capacityProviderStrategy, deploymentConfiguration and
    // placementStrategies, which AWS returns, and reports rule descriptions only for CIDR rules
    // (AWS for every rule); a refreshing plan therefore sees the service and the
    // group-to-group ingress rule as changed on moto only. Everything else must refresh clean, and without refresh the second
    // plan must be empty.
    let refreshed = ok(&run(&["plan", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&refreshed).expect("json");
    let drifted: Vec<&str> = doc["resource_drift"]
        .as_array()
        .expect("drift")
        .iter()
        .filter_map(|d| d["address"].as_str())
        .collect();
    let moto_only = [
        "ServiceStack.Service",
        "ServiceStack.ServiceIngressfromLoadBalancer",
    ];
    assert!(
        drifted.iter().all(|a| moto_only.contains(a)),
        "unexpected drift: {drifted:?}"
    );
    let clean = run(&["plan", "--detailed-exitcode", "--refresh=false"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "second plan:\n{}",
        String::from_utf8_lossy(&clean.stdout)
            .split("infra will perform")
            .nth(1)
            .unwrap_or("")
            .lines()
            .filter(|l| l.contains('#') || l.contains("->"))
            .collect::<Vec<_>>()
            .join("\n")
    );

    // In place: the service's desired count; the launch template's instance type (new version,
    // the ASG follows in place).
    edit(
        &dir.path().join("service.yml"),
        "    Default: 2\n    Description: How many copies",
        "    Default: 3\n    Description: How many copies",
    );
    edit(
        &dir.path().join("cluster.yml"),
        "    Default: c5.xlarge",
        "    Default: c5.large",
    );
    let plan = ok(&run(&["plan"]));
    assert!(
        plan.contains("ServiceStack.Service will be updated in-place"),
        "{plan}"
    );
    assert!(
        plan.contains("ClusterStack.ContainerInstances will be updated in-place"),
        "{plan}"
    );
    // The fixture's Auto Scaling group has `UpdatePolicy: AutoScalingReplacingUpdate:
    // WillReplace: true`, under which CloudFormation replaces the group when its launch
    // template version changes; infra does the same (the old group goes through the native
    // force-delete teardown), and with it the capacity provider, whose group is create-only.
    // Nothing else is replaced.
    let replaced: Vec<&str> = plan
        .lines()
        .filter(|l| l.trim_start().starts_with("# ") && l.ends_with("must be replaced"))
        .collect();
    assert_eq!(
        replaced,
        vec![
            "  # ClusterStack.CapacityProvider must be replaced",
            "  # ClusterStack.ECSAutoScalingGroup must be replaced"
        ],
        "{plan}"
    );
    assert!(plan.contains("native teardown"), "{plan}");
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(out.contains("Apply complete!"), "{out}");

    // Without that update policy, a new launch template version updates the group in place.
    edit(
        &dir.path().join("cluster.yml"),
        "    UpdatePolicy:\n      AutoScalingReplacingUpdate:\n        WillReplace: 'true'\n",
        "",
    );
    edit(
        &dir.path().join("cluster.yml"),
        "    Default: c5.large",
        "    Default: c5.2xlarge",
    );
    let plan = ok(&run(&["plan"]));
    assert!(
        plan.contains("ClusterStack.ContainerInstances will be updated in-place"),
        "{plan}"
    );
    assert!(
        plan.contains("ClusterStack.ECSAutoScalingGroup will be updated in-place"),
        "{plan}"
    );
    assert!(!plan.contains("must be replaced"), "{plan}");
    let out = ok(&run(&["apply", "--auto-approve"]));
    // (On moto the service and the group-to-group rule are re-applied too: see the refresh
    // note above.)
    assert!(
        out.contains("Resources: 0 added,") && out.contains("changed, 0 destroyed."),
        "{out}"
    );
    for address in [
        "ClusterStack.ContainerInstances",
        "ClusterStack.ECSAutoScalingGroup",
    ] {
        assert!(
            out.contains(&format!("{address}: Modifications complete")),
            "{out}"
        );
    }

    // A replacement: the load balancer's scheme.
    edit(
        &dir.path().join("service.yml"),
        "      Scheme: internet-facing",
        "      Scheme: internal",
    );
    let plan = ok(&run(&["plan"]));
    assert!(
        plan.contains("ServiceStack.PublicLoadBalancer must be replaced"),
        "{plan}"
    );
    assert!(plan.contains("# forces replacement"), "{plan}");
    ok(&run(&["apply", "--auto-approve"]));

    let out = ok(&infra(
        &emulator,
        &[
            "destroy",
            "--stack",
            "wl",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    ));
    assert!(out.contains("Destroy complete!"), "{out}");
    // The native teardown order: the service (scaled to 0, deleted), the capacity provider's
    // association, the capacity provider, the Auto Scaling group (force-deleted), then the
    // cluster, and the network last.
    let done = |address: &str| {
        out.lines()
            .position(|l| l.starts_with(&format!("{address}: Destruction complete")))
            .unwrap_or_else(|| panic!("{address} was not destroyed:\n{out}"))
    };
    let order = [
        "ServiceStack.Service",
        "ClusterStack.CapacityProviderAssociation",
        "ClusterStack.CapacityProvider",
        "ClusterStack.ECSAutoScalingGroup",
        "ClusterStack.ECSCluster",
        "VpcStack.VPC",
    ];
    for pair in order.windows(2) {
        assert!(
            done(pair[0]) < done(pair[1]),
            "{} must be gone before {}:\n{out}",
            pair[0],
            pair[1]
        );
    }
    let census = aws.census(&cps);
    for kind in [
        "vpc",
        "subnet",
        "nat",
        "eip",
        "igw",
        "security_group",
        "launch_template",
        "asg",
        "cluster",
        "capacity_provider",
        "load_balancer",
        "target_group",
        "role",
    ] {
        assert_eq!(census[kind], 0, "{kind} left after destroy: {census:?}");
    }
}
