//! What the page's tests build on: small plans written by hand, the reference workload's plan
//! made offline, a generated plan of any size, and readers for the page's one-element-a-line
//! SVG.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use infra_template::{LoadOptions, Lookups, Pseudo, Value, load};

use crate::plan::{
    Action, Binding, Estimate, PLAN_FORMAT_VERSION, Plan, PlanSettings, ResourceChange,
    plan_until_stable,
};
use crate::render::RenderOptions;

use super::super::render_html;

/// A change of `spec` (`"address type"`) depending on `depends_on`; a `~` prefix marks an
/// inferred dependency.
pub(super) fn change(spec: &str, action: Action, depends_on: &[&str]) -> ResourceChange {
    let (address, type_name) = spec.split_once(' ').expect("address and type");
    let properties = Value::from_json_marked(&serde_json::json!({ "Name": address }));
    ResourceChange {
        address: address.into(),
        type_name: type_name.into(),
        action,
        before: (action != Action::Create).then(|| properties.clone()),
        after: (action != Action::Delete).then_some(properties),
        replace_paths: Vec::new(),
        reason: None,
        physical_id: None,
        depends_on: depends_on
            .iter()
            .map(|d| d.trim_start_matches('~').to_owned())
            .collect(),
        inferred: depends_on
            .iter()
            .filter_map(|d| d.strip_prefix('~').map(str::to_owned))
            .collect(),
        native_teardown: false,
        path: Default::default(),
        deletion_policy: Default::default(),
        update_replace_policy: Default::default(),
        retained_by: None,
        policies_before: None,
    }
}

pub(super) fn plan(mut changes: Vec<ResourceChange>) -> Plan {
    changes.sort_by(|a, b| a.address.cmp(&b.address));
    Plan {
        format_version: PLAN_FORMAT_VERSION,
        binding: Binding {
            stack: "demo".into(),
            lineage: None,
            serial: 0,
            template_sha256: "t".into(),
            parameters_sha256: "p".into(),
            template: "parent.yml".into(),
        },
        destroy: false,
        summary: Plan::summarize(&changes),
        changes,
        drift: Vec::new(),
        outputs: BTreeMap::new(),
        notes: Vec::new(),
        recovery: Vec::new(),
        estimate: None,
    }
}

pub(super) fn with_path(mut plan: Plan, path: &[&str]) -> Plan {
    plan.estimate = Some(Estimate {
        expected_apply_seconds: 250.0,
        critical_path: path.iter().map(|s| (*s).to_owned()).collect(),
        stack_order_seconds: 480.0,
    });
    plan
}

pub(super) fn page(plan: &Plan) -> String {
    render_html(plan, &RenderOptions::default())
}

/// The value of `name="..."` in `tag`, still HTML-escaped.
pub(super) fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The lines of `page` opening an element with `prefix` (the SVG writes one element a line).
pub(super) fn lines<'a>(page: &'a str, prefix: &str) -> Vec<&'a str> {
    page.lines().filter(|l| l.starts_with(prefix)).collect()
}

pub(super) fn nodes(page: &str) -> Vec<&str> {
    lines(page, "<g class=\"node\"")
}

pub(super) fn edges(page: &str) -> Vec<&str> {
    lines(page, "<path class=\"edge")
}

/// The node line of `address`.
pub(super) fn node<'a>(page: &'a str, address: &str) -> &'a str {
    nodes(page)
        .into_iter()
        .find(|l| attr(l, "data-address") == Some(address))
        .unwrap_or_else(|| panic!("no node {address}"))
}

/// The edge line from `from` to `to`.
pub(super) fn edge<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    edges(page)
        .into_iter()
        .find(|l| attr(l, "data-from") == Some(from) && attr(l, "data-to") == Some(to))
        .unwrap_or_else(|| panic!("no edge {from} -> {to}"))
}

/// The `fill` of a node line's first `<rect>`.
pub(super) fn fill(node_line: &str) -> &str {
    let rect = &node_line[node_line.find("<rect").expect("a rect")..];
    attr(rect, "fill").expect("a fill")
}

pub(super) const VPC: &str = "VpcStack.VPC AWS::EC2::VPC";
pub(super) const SUBNET: &str = "VpcStack.PublicSubnetOne AWS::EC2::Subnet";
pub(super) const ROUTE: &str = "VpcStack.PublicRoute AWS::EC2::Route";
pub(super) const IGW: &str = "VpcStack.GatewayAttachment AWS::EC2::VPCGatewayAttachment";
pub(super) const CLUSTER: &str = "ClusterStack.ECSCluster AWS::ECS::Cluster";
pub(super) const SG: &str = "ClusterStack.ContainerHostSecurityGroup AWS::EC2::SecurityGroup";
pub(super) const OLD: &str = "ClusterStack.OldRole AWS::IAM::Role";
pub(super) const TOPIC: &str = "Alarms AWS::SNS::Topic";

/// Every action, an inferred edge, a dependency on a whole nested stack and a critical path.
pub(super) fn small() -> Plan {
    let changes = vec![
        change(VPC, Action::Create, &[]),
        change(SUBNET, Action::Update, &["VpcStack.VPC"]),
        change(IGW, Action::NoOp, &["VpcStack.VPC"]),
        change(
            ROUTE,
            Action::DeleteThenCreate,
            &["VpcStack.VPC", "~VpcStack.GatewayAttachment"],
        ),
        change(CLUSTER, Action::CreateThenDelete, &["VpcStack"]),
        change(
            SG,
            Action::Create,
            &["VpcStack.VPC", "ClusterStack.ECSCluster"],
        ),
        change(OLD, Action::Delete, &[]),
        change(TOPIC, Action::NoOp, &["Elsewhere.Missing"]),
    ];
    with_path(
        plan(changes),
        &[
            "VpcStack.VPC",
            "VpcStack.PublicRoute",
            "ClusterStack.ECSCluster",
            "ClusterStack.ContainerHostSecurityGroup",
        ],
    )
}

/// The text between the first `start` and the next `end`.
pub(super) fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).expect("start") + start.len();
    let len = text[from..].find(end).expect("end");
    &text[from..from + len]
}

/// The reference workload's create-everything plan, offline, with a critical path that
/// follows its dependencies.
pub(super) fn reference_plan() -> Plan {
    struct Aws;
    impl Lookups for Aws {
        fn availability_zones(&self, _: &str) -> Option<Vec<String>> {
            Some(vec!["us-east-1a".into(), "us-east-1b".into()])
        }
        fn ssm_parameter(&self, _: &str) -> Option<Value> {
            Some(Value::string("ami-0123456789abcdef0"))
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml");
    assert!(path.exists(), "{} is missing", path.display());
    let mut load = |lookups: &dyn Lookups| {
        let opts = LoadOptions {
            texts: Default::default(),
            artifacts: Default::default(),
            parameters: BTreeMap::new(),
            pseudo: Pseudo {
                region: Some("us-east-1".into()),
                account_id: Some("123456789012".into()),
                stack_name: "demo".into(),
            },
        };
        load(&path, &opts, lookups)
    };
    let settings = PlanSettings {
        state: None,
        observed: None,
        base: &Aws,
        targets: &[],
        cloud_control: &[],
    };
    let mut p = plan_until_stable(&mut load, settings, plan(Vec::new()).binding)
        .unwrap_or_else(|e| panic!("{:?}", e.diagnostics.0.len()))
        .1;
    // The longest dependency chain stands in for the engine's estimate.
    let index: HashMap<&str, &ResourceChange> =
        p.changes.iter().map(|c| (c.address.as_str(), c)).collect();
    let mut chain: Vec<String> = Vec::new();
    let mut here = p
        .changes
        .iter()
        .max_by_key(|c| c.depends_on.len())
        .map(|c| c.address.clone());
    while let Some(address) = here.filter(|_| chain.len() < p.changes.len()) {
        here = index
            .get(address.as_str())
            .and_then(|c| c.depends_on.iter().find(|d| index.contains_key(d.as_str())))
            .cloned();
        chain.insert(0, address);
    }
    let path: Vec<&str> = chain.iter().map(String::as_str).collect();
    p = with_path(p, &path);
    p
}

/// A plan of `n` resources: the first 50 in the nested stack `Base`, the rest spread over ten
/// nested stacks and the root, each depending on up to three earlier ones (some inferred, some
/// on the whole of `Base`).
pub(super) fn generated(n: usize) -> Plan {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    let addresses: Vec<String> = (0..n)
        .map(|i| match i % 11 {
            _ if i < 50 => format!("Base.Resource{i:04}"),
            0 => format!("Root{i:04}"),
            s => format!("Stack{s}.Resource{i:04}"),
        })
        .collect();
    let actions = [
        Action::Create,
        Action::Update,
        Action::NoOp,
        Action::Delete,
        Action::DeleteThenCreate,
    ];
    let changes = (0..n)
        .map(|i| {
            let mut deps: Vec<String> = Vec::new();
            for _ in 0..i.min(3) {
                deps.push(addresses[next(i)].clone());
            }
            if i >= 50 && (i + 1).is_multiple_of(97) {
                deps.push("Base".to_owned());
            }
            let refs: Vec<&str> = deps.iter().map(String::as_str).collect();
            let mut c = change(
                &format!("{} AWS::EC2::Subnet", addresses[i]),
                actions[next(actions.len())],
                &refs,
            );
            if let Some(first) = c.depends_on.first()
                && i.is_multiple_of(5)
            {
                c.inferred.push(first.clone());
            }
            c
        })
        .collect();
    plan(changes)
}
