//! Tests of the plan page. Here: the graph's structure (nodes, colours, edges, critical path,
//! stack bands) and the layout's guarantees; `page.rs`: the page around it (DOM contract,
//! escaping, NoEcho redaction, self-containment, size); `support.rs`: the plans they use.

mod page;
mod support;

use super::layout::{self, NODE_H, NODE_W, layout};
use super::view::{self, read};
use super::*;
use crate::plan::Action;
use crate::render::text::Secrets;
use support::*;

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
    for edge in &graph.edges {
        if let view::Source::Stack(stack) = edge.from {
            assert!(placed.bands[stack].content_right < placed.nodes[edge.to].x);
        }
    }
    assert!(
        graph
            .edges
            .iter()
            .any(|e| matches!(e.from, view::Source::Stack(_)))
    );
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
