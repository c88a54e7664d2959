//! Tests of the plan page: the graph's structure (nodes, colours, edges, critical path, stack
//! bands), the layout's guarantees, escaping, NoEcho redaction, self-containment and size.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use infra_template::{LoadOptions, Lookups, Pseudo, Value, load};

use super::layout::{NODE_H, NODE_W, layout};
use super::page::{CSS, JS};
use super::view::read;
use super::*;
use crate::plan::{
    Action, Binding, Estimate, PLAN_FORMAT_VERSION, PlanSettings, ResourceChange, plan_until_stable,
};
use crate::render::text::Secrets;

/// A change of `spec` (`"address type"`) depending on `depends_on`; a `~` prefix marks an
/// inferred dependency.
fn change(spec: &str, action: Action, depends_on: &[&str]) -> ResourceChange {
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
    }
}

fn plan(mut changes: Vec<ResourceChange>) -> Plan {
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

fn with_path(mut plan: Plan, path: &[&str]) -> Plan {
    plan.estimate = Some(Estimate {
        expected_apply_seconds: 250.0,
        critical_path: path.iter().map(|s| (*s).to_owned()).collect(),
        stack_order_seconds: 480.0,
    });
    plan
}

fn page(plan: &Plan) -> String {
    render_html(plan, &RenderOptions::default())
}

/// The value of `name="..."` in `tag`, still HTML-escaped.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The lines of `page` opening an element with `prefix` (the SVG writes one element a line).
fn lines<'a>(page: &'a str, prefix: &str) -> Vec<&'a str> {
    page.lines().filter(|l| l.starts_with(prefix)).collect()
}

fn nodes(page: &str) -> Vec<&str> {
    lines(page, "<g class=\"node\"")
}

fn edges(page: &str) -> Vec<&str> {
    lines(page, "<path class=\"edge")
}

/// The node line of `address`.
fn node<'a>(page: &'a str, address: &str) -> &'a str {
    nodes(page)
        .into_iter()
        .find(|l| attr(l, "data-address") == Some(address))
        .unwrap_or_else(|| panic!("no node {address}"))
}

/// The edge line from `from` to `to`.
fn edge<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    edges(page)
        .into_iter()
        .find(|l| attr(l, "data-from") == Some(from) && attr(l, "data-to") == Some(to))
        .unwrap_or_else(|| panic!("no edge {from} -> {to}"))
}

/// The `fill` of a node line's first `<rect>`.
fn fill(node_line: &str) -> &str {
    let rect = &node_line[node_line.find("<rect").expect("a rect")..];
    attr(rect, "fill").expect("a fill")
}

const VPC: &str = "VpcStack.VPC AWS::EC2::VPC";
const SUBNET: &str = "VpcStack.PublicSubnetOne AWS::EC2::Subnet";
const ROUTE: &str = "VpcStack.PublicRoute AWS::EC2::Route";
const IGW: &str = "VpcStack.GatewayAttachment AWS::EC2::VPCGatewayAttachment";
const CLUSTER: &str = "ClusterStack.ECSCluster AWS::ECS::Cluster";
const SG: &str = "ClusterStack.ContainerHostSecurityGroup AWS::EC2::SecurityGroup";
const OLD: &str = "ClusterStack.OldRole AWS::IAM::Role";
const TOPIC: &str = "Alarms AWS::SNS::Topic";

/// Every action, an inferred edge, a dependency on a whole nested stack and a critical path.
fn small() -> Plan {
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

#[test]
fn the_graph_of_a_small_plan() {
    let p = small();
    let graph = read(&p);
    let placed = layout(&graph);
    let svg = svg::render(&graph, &placed, "demo", Secrets(&[]));
    insta::assert_snapshot!(svg);
}

#[test]
fn one_node_per_change_no_ops_and_deletions_included() {
    let p = small();
    let page = page(&p);
    let addresses: Vec<&str> = nodes(&page)
        .iter()
        .filter_map(|l| attr(l, "data-address"))
        .collect();
    let expected: Vec<&str> = p.changes.iter().map(|c| c.address.as_str()).collect();
    assert_eq!(addresses, expected);
    assert_eq!(page.matches("class=\"node\"").count(), p.changes.len());
}

#[test]
fn nodes_are_coloured_and_labelled_by_action() {
    let page = page(&small());
    for (address, action, colour) in [
        ("VpcStack.VPC", "create", "#2da44e"),
        ("VpcStack.PublicSubnetOne", "update", "#bf8700"),
        ("VpcStack.PublicRoute", "replace", "#8250df"),
        ("ClusterStack.ECSCluster", "replace", "#8250df"),
        ("ClusterStack.OldRole", "delete", "#cf222e"),
        ("VpcStack.GatewayAttachment", "no-op", "#8c959f"),
        ("Alarms", "no-op", "#8c959f"),
    ] {
        let line = node(&page, address);
        assert_eq!(attr(line, "data-action"), Some(action), "{line}");
        assert_eq!(fill(line), colour, "{line}");
    }
    let vpc = node(&page, "VpcStack.VPC");
    assert!(vpc.contains(">VPC</text>"), "logical name shown: {vpc}");
    assert!(vpc.contains(">EC2::VPC</text>"), "type shown: {vpc}");
}

#[test]
fn inferred_edges_are_dashed_and_written_ones_are_not() {
    let page = page(&small());
    let inferred = edge(&page, "VpcStack.GatewayAttachment", "VpcStack.PublicRoute");
    assert_eq!(attr(inferred, "class"), Some("edge inferred"));
    assert!(attr(inferred, "stroke-dasharray").is_some(), "{inferred}");
    let written = edge(&page, "VpcStack.VPC", "VpcStack.PublicRoute");
    assert!(!written.contains("inferred"), "{written}");
    assert!(attr(written, "stroke-dasharray").is_none(), "{written}");
    assert!(written.contains("marker") || page.contains("marker-end: url(#arrow)"));
}

#[test]
fn the_critical_path_is_marked_on_nodes_and_edges() {
    let page = page(&small());
    for address in [
        "VpcStack.VPC",
        "VpcStack.PublicRoute",
        "ClusterStack.ECSCluster",
    ] {
        assert_eq!(
            attr(node(&page, address), "data-critical"),
            Some("true"),
            "{address}"
        );
    }
    for address in ["VpcStack.PublicSubnetOne", "ClusterStack.OldRole", "Alarms"] {
        assert_eq!(
            attr(node(&page, address), "data-critical"),
            Some("false"),
            "{address}"
        );
    }
    let mut critical: Vec<(&str, &str)> = edges(&page)
        .into_iter()
        .filter(|l| attr(l, "class").is_some_and(|c| c.split(' ').any(|c| c == "critical")))
        .filter_map(|l| Some((attr(l, "data-from")?, attr(l, "data-to")?)))
        .collect();
    critical.sort_unstable();
    assert_eq!(
        critical,
        [
            (
                "ClusterStack.ECSCluster",
                "ClusterStack.ContainerHostSecurityGroup"
            ),
            ("VpcStack", "ClusterStack.ECSCluster"),
            ("VpcStack.VPC", "VpcStack.PublicRoute"),
        ]
    );
}

#[test]
fn nested_stacks_are_bands_that_never_overlap() {
    let page = page(&small());
    let stacks: Vec<&str> = lines(&page, "<g class=\"stack\"")
        .into_iter()
        .filter_map(|l| attr(l, "data-stack"))
        .collect();
    let mut sorted = stacks.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["", "ClusterStack", "VpcStack"]);

    let p = small();
    let graph = read(&p);
    let placed = layout(&graph);
    for pair in placed.band_order.windows(2) {
        let (upper, lower) = (placed.bands[pair[0]], placed.bands[pair[1]]);
        assert!(upper.y + upper.height < lower.y, "{upper:?} {lower:?}");
    }
    for (node_idx, node) in graph.nodes.iter().enumerate() {
        let band = placed.bands[node.stack];
        let y = placed.nodes[node_idx].y;
        assert!(
            band.y < y && y + NODE_H < band.y + band.height,
            "{} outside its band",
            node.address
        );
    }
}

#[test]
fn a_dependency_on_a_nested_stack_is_drawn_from_its_band_and_orders_the_layers() {
    let p = small();
    let page = page(&p);
    let from_stack = edge(&page, "VpcStack", "ClusterStack.ECSCluster");
    assert_eq!(attr(from_stack, "class"), Some("edge critical"));
    // Dependencies outside the plan are left out.
    assert!(!page.contains("Elsewhere.Missing"));

    let graph = read(&p);
    let layers = layout::layers(&graph);
    let layer = |address: &str| {
        let idx = graph.nodes.iter().position(|n| n.address == address);
        layers[idx.expect("a node")]
    };
    assert_eq!(layer("VpcStack.VPC"), 0);
    assert_eq!(layer("VpcStack.GatewayAttachment"), 1);
    assert_eq!(layer("VpcStack.PublicRoute"), 2);
    // After every resource of VpcStack.
    assert_eq!(layer("ClusterStack.ECSCluster"), 3);
    assert_eq!(layer("ClusterStack.ContainerHostSecurityGroup"), 4);
}

#[test]
fn barycenter_ordering_uncrosses_two_chains() {
    // By address the dependents sit in the order b1, b2, but b1 depends on the lower a2.
    let p = plan(vec![
        change("S.a1 AWS::SNS::Topic", Action::Create, &[]),
        change("S.a2 AWS::SNS::Topic", Action::Create, &[]),
        change("S.b1 AWS::SNS::Topic", Action::Create, &["S.a2"]),
        change("S.b2 AWS::SNS::Topic", Action::Create, &["S.a1"]),
    ]);
    let graph = read(&p);
    let placed = layout(&graph);
    let y = |address: &str| {
        let idx = graph.nodes.iter().position(|n| n.address == address);
        placed.nodes[idx.expect("a node")].y
    };
    assert!(y("S.a1") < y("S.a2"));
    assert!(y("S.b2") < y("S.b1"), "the edges still cross");
}

#[test]
fn a_cyclic_hand_edited_plan_still_renders_every_node() {
    let p = plan(vec![
        change("A AWS::SNS::Topic", Action::Create, &["B"]),
        change("B AWS::SNS::Topic", Action::Create, &["A"]),
        change("C AWS::SNS::Topic", Action::Create, &["A"]),
    ]);
    let page = page(&p);
    assert_eq!(nodes(&page).len(), 3);
    assert_eq!(edges(&page).len(), 3);
}

#[test]
fn the_page_carries_the_dom_contract() {
    let p = small();
    let page = page(&p);
    assert!(page.starts_with("<!DOCTYPE html>"));
    for needle in [
        "<title>infra plan: demo</title>",
        "<svg id=\"graph\"",
        "<div id=\"detail\"",
        "<pre id=\"diff\"",
        "<input id=\"search\" type=\"search\"",
        "<span id=\"search-count\">8</span>",
        "<div id=\"summary\">Plan: 4 to add, 1 to change, 3 to destroy.</div>",
        "<div id=\"expected\">Expected apply time: about 4 min (critical path: VpcStack.VPC",
        "document.body.dataset.ready = \"true\"",
        "addEventListener(\"click\"",
    ] {
        assert!(page.contains(needle), "missing {needle}");
    }
    let filters: Vec<&str> = page
        .split("<input type=\"checkbox\" class=\"filter\"")
        .skip(1)
        .filter_map(|rest| attr(rest, "data-action"))
        .collect();
    assert_eq!(filters, ["create", "update", "replace", "delete", "no-op"]);
    assert_eq!(
        page.matches("class=\"filter\" data-action=\"create\" checked>")
            .count(),
        1
    );

    let only_creates = plan(vec![change(VPC, Action::Create, &[])]);
    let page = super::page::render(&only_creates, &RenderOptions::default());
    assert_eq!(page.matches("class=\"filter\"").count(), 1);
    assert!(page.contains("<div id=\"expected\"></div>"));
}

#[test]
fn each_change_s_text_is_the_text_plan_block() {
    let p = small();
    let page = page(&p);
    let data = between(
        &page,
        "<script type=\"application/json\" id=\"diffs\">",
        "</script>",
    );
    let parsed: HashMap<String, String> = serde_json::from_str(data).expect("the data is JSON");
    let route = p
        .changes
        .iter()
        .find(|c| c.address == "VpcStack.PublicRoute")
        .expect("route");
    let block = crate::render::render_change_block(route, &RenderOptions::default());
    assert_eq!(parsed.get("VpcStack.PublicRoute"), Some(&block));
    assert!(block.contains("must be replaced"));
    // No-ops show "no changes" from the script; they carry no data.
    assert!(!parsed.contains_key("Alarms"));
    assert_eq!(parsed.len(), 6);
}

/// The text between the first `start` and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).expect("start") + start.len();
    let len = text[from..].find(end).expect("end");
    &text[from..from + len]
}

#[test]
fn hostile_addresses_types_and_values_are_escaped() {
    let hostile = "Bad.<img src=x onerror=alert(1)>\"'&x";
    let mut evil = change(
        "Bad.Evil AWS::SNS::Topic",
        Action::Update,
        &["Bad.</script>"],
    );
    evil.address = hostile.to_owned();
    evil.type_name = "AWS::X::<b>Y</b>".to_owned();
    let script = "</script><script>alert(1)</script><!--";
    evil.after = Some(Value::from_json_marked(
        &serde_json::json!({ "Name": script }),
    ));
    evil.reason = Some(format!("because {script}"));
    let mut other = change("Bad.</script> AWS::SNS::Topic", Action::Create, &[]);
    other.reason = Some(script.to_owned());
    let mut p = plan(vec![evil, other]);
    p.binding.stack = "<i>stack</i>".into();
    p.notes.push(script.to_owned());
    let page = page(&p);

    for raw in ["<img", "<b>", "<i>", "onerror=alert(1)>", "\"'&x", "<!--"] {
        assert!(!page.contains(raw), "{raw} is in the page unescaped");
    }
    assert_eq!(
        page.matches("<script").count(),
        2,
        "only the page's scripts"
    );
    assert_eq!(
        page.matches("</script").count(),
        2,
        "only the page's scripts"
    );
    assert!(page.contains("<title>infra plan: &lt;i&gt;stack&lt;/i&gt;</title>"));
    assert!(
        page.contains("data-address=\"Bad.&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;x\"")
    );
    assert!(page.contains("data-from=\"Bad.&lt;/script&gt;\""));
    // The JSON survives the escaping and holds the value as written.
    let data = between(&page, "id=\"diffs\">", "</script>");
    let parsed: HashMap<String, String> = serde_json::from_str(data).expect("the data is JSON");
    assert!(
        parsed
            .get(hostile)
            .is_some_and(|text| text.contains(script))
    );
    assert!(!JS.contains("</script") && !JS.contains("<!--") && !CSS.contains("</style"));
}

#[test]
fn no_echo_values_never_reach_the_page() {
    let secret = "s3cr3t-Passw0rd";
    let mut db = change("Db.Instance AWS::RDS::DBInstance", Action::Update, &[]);
    db.before = Some(Value::from_json_marked(
        &serde_json::json!({ "MasterUserPassword": "old", "Url": format!("x://{secret}@db") }),
    ));
    db.after = Some(Value::from_json_marked(
        &serde_json::json!({ "MasterUserPassword": secret, "Url": format!("x://{secret}@db") }),
    ));
    db.reason = Some(format!("password {secret} rotated"));
    let mut p = with_path(plan(vec![db]), &["Db.Instance"]);
    p.notes.push(format!("note with {secret}"));
    let opts = RenderOptions {
        color: true,
        secrets: vec![secret.to_owned()],
        show_unchanged: true,
    };
    let page = render_html(&p, &opts);
    assert!(!page.contains(secret));
    assert!(page.contains("(sensitive value)"));
    assert!(!page.contains('\x1b'), "no colour codes in the page");
}

/// The reference workload's create-everything plan, offline, with a critical path that
/// follows its dependencies.
fn reference_plan() -> Plan {
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
    while let Some(address) = here {
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

#[test]
fn the_reference_workload_page_is_small_and_complete() {
    let p = reference_plan();
    assert_eq!(p.changes.len(), 39);
    let page = page(&p);
    assert!(page.len() < 300 * 1024, "{} bytes", page.len());
    assert_eq!(nodes(&page).len(), 39);
    let stacks: Vec<&str> = lines(&page, "<g class=\"stack\"")
        .into_iter()
        .filter_map(|l| attr(l, "data-stack"))
        .collect();
    for stack in ["VpcStack", "ClusterStack", "ServiceStack"] {
        assert!(stacks.contains(&stack), "{stack} has no band: {stacks:?}");
    }
    assert!(edges(&page).iter().any(|l| l.contains("inferred")));
    assert!(edges(&page).iter().any(|l| l.contains("critical")));
    assert!(
        nodes(&page)
            .iter()
            .any(|l| l.contains("data-critical=\"true\""))
    );
}

#[test]
fn the_page_refers_to_nothing_outside_itself() {
    for p in [reference_plan(), small()] {
        let page = page(&p);
        for needle in [
            "http://", "https://", "src=", "href=", "@import", "//cdn", "data:",
        ] {
            assert!(!page.contains(needle), "{needle} in the page");
        }
        for (at, _) in page.match_indices("url(") {
            assert!(page[at..].starts_with("url(#"), "{}", &page[at..at + 20]);
        }
    }
}

/// A plan of `n` resources: the first 50 in the nested stack `Base`, the rest spread over ten
/// nested stacks and the root, each depending on up to three earlier ones (some inferred, some
/// on the whole of `Base`).
fn generated(n: usize) -> Plan {
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
            if i >= 50 && i % 97 == 96 {
                deps.push("Base".to_owned());
            }
            let refs: Vec<&str> = deps.iter().map(String::as_str).collect();
            let mut c = change(
                &format!("{} AWS::EC2::Subnet", addresses[i]),
                actions[next(actions.len())],
                &refs,
            );
            if let Some(first) = c.depends_on.first() {
                if i % 5 == 0 {
                    c.inferred.push(first.clone());
                }
            }
            c
        })
        .collect();
    plan(changes)
}

#[test]
fn a_thousand_resources_lay_out_left_to_right_without_overlap() {
    let p = generated(1000);
    let graph = read(&p);
    let placed = layout(&graph);
    assert_eq!(placed.nodes.len(), 1000);
    for edge in &graph.edges {
        if let view::Source::Node(from) = edge.from {
            assert!(
                placed.nodes[from].x + NODE_W < placed.nodes[edge.to].x,
                "{} is not left of {}",
                graph.nodes[from].address,
                graph.nodes[edge.to].address
            );
        }
    }
    let mut corners: Vec<(u32, u32)> = placed.nodes.iter().map(|p| (p.x, p.y)).collect();
    corners.sort_unstable();
    for pair in corners.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        assert!(a.0 != b.0 || a.1 + NODE_H <= b.1, "{a:?} overlaps {b:?}");
    }
    let page = page(&p);
    assert_eq!(nodes(&page).len(), 1000);
    assert!(page.len() < 3 * 1024 * 1024, "{} bytes", page.len());
}

#[test]
fn an_empty_plan_renders_a_page_without_a_graph() {
    let page = page(&plan(Vec::new()));
    assert!(page.contains("<svg id=\"graph\""));
    assert!(page.contains("No resources"));
    assert!(nodes(&page).is_empty());
    assert!(page.contains("<span id=\"search-count\">0</span>"));
}

#[test]
fn zz_write_pages_for_a_browser() {
    let dir = std::path::Path::new("/tmp/infra-html");
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(dir.join("reference.html"), page(&reference_plan())).expect("write");
    std::fs::write(dir.join("small.html"), page(&small())).expect("write");
    std::fs::write(dir.join("thousand.html"), page(&generated(1000))).expect("write");
}
