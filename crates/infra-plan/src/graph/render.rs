//! The graph as text: Graphviz DOT (one cluster per nested stack, nested as the stacks are)
//! and JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use infra_template::{Deployment, EdgeKind};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::ResourceGraph;

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn edge_attrs(kinds: &std::collections::BTreeSet<EdgeKind>) -> String {
    if kinds.contains(&EdgeKind::Inferred) && kinds.len() == 1 {
        " [style=dashed, color=\"#c0392b\", label=\"inferred\"]".into()
    } else if kinds.contains(&EdgeKind::Barrier) && kinds.len() == 1 {
        " [style=dotted, color=\"#7f8c8d\", label=\"barrier\"]".into()
    } else if kinds.iter().all(|k| *k == EdgeKind::DependsOn) {
        " [style=dashed, label=\"DependsOn\"]".into()
    } else {
        String::new()
    }
}

/// Graphviz DOT: nodes named by address, one `cluster_` subgraph per nested stack.
pub fn to_dot(g: &ResourceGraph, deployment: &Deployment) -> String {
    let mut by_stack: BTreeMap<&str, Vec<petgraph::graph::NodeIndex>> = BTreeMap::new();
    for n in g.graph.node_indices() {
        by_stack
            .entry(g.graph[n].stack.as_str())
            .or_default()
            .push(n);
    }
    let mut out = String::from(
        "digraph infra {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n  edge [fontsize=8];\n",
    );
    fn emit(
        out: &mut String,
        g: &ResourceGraph,
        deployment: &Deployment,
        by_stack: &BTreeMap<&str, Vec<petgraph::graph::NodeIndex>>,
        stack: usize,
        depth: usize,
    ) {
        let indent = "  ".repeat(depth + 1);
        let Some(info) = deployment.stacks.get(stack) else {
            return;
        };
        let inner = if info.address.is_empty() {
            indent.clone()
        } else {
            let file = deployment
                .sources
                .path(info.file)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{indent}subgraph {} {{",
                quote(&format!("cluster_{}", info.address))
            );
            let _ = writeln!(
                out,
                "{indent}  label={};",
                quote(&format!("{} ({file})", info.address))
            );
            format!("{indent}  ")
        };
        for &n in by_stack
            .get(info.address.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let node = &g.graph[n];
            let logical = node.address.rsplit('.').next().unwrap_or(&node.address);
            let mut label = format!("{logical}\\n{}", node.type_name);
            if node.native_teardown {
                label.push_str("\\n(native force-delete)");
            }
            let _ = writeln!(out, "{inner}{} [label=\"{label}\"];", quote(&node.address));
        }
        for (i, s) in deployment.stacks.iter().enumerate() {
            if s.parent == Some(stack) {
                emit(
                    out,
                    g,
                    deployment,
                    by_stack,
                    i,
                    if info.address.is_empty() {
                        depth
                    } else {
                        depth + 1
                    },
                );
            }
        }
        if !info.address.is_empty() {
            let _ = writeln!(out, "{indent}}}");
        }
    }
    emit(&mut out, g, deployment, &by_stack, 0, 0);
    let mut edges: Vec<_> = g
        .graph
        .edge_references()
        .map(|e| {
            (
                g.graph[e.source()].address.as_str(),
                g.graph[e.target()].address.as_str(),
                e.weight(),
            )
        })
        .collect();
    edges.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (a, b, w) in edges {
        let _ = writeln!(
            out,
            "  {} -> {}{};",
            quote(a),
            quote(b),
            edge_attrs(&w.kinds)
        );
    }
    out.push_str("}\n");
    out
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    stacks: Vec<JsonStack>,
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
struct JsonStack {
    address: String,
    file: String,
    parent: Option<String>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    type_name: &'a str,
    stack: &'a str,
    file: String,
    line: u32,
    native_teardown: bool,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kinds: Vec<EdgeKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
}

/// The graph as JSON: `{stacks, nodes, edges}`, edges sorted by address.
pub fn to_json(g: &ResourceGraph, deployment: &Deployment) -> serde_json::Value {
    let stacks = deployment
        .stacks
        .iter()
        .map(|s| JsonStack {
            address: s.address.clone(),
            file: deployment.sources.path(s.file).display().to_string(),
            parent: s
                .parent
                .and_then(|p| deployment.stacks.get(p))
                .map(|p| p.address.clone()),
        })
        .collect();
    let nodes = g
        .graph
        .node_indices()
        .map(|n| {
            let node = &g.graph[n];
            let r = deployment.resource(&node.address);
            JsonNode {
                address: &node.address,
                type_name: &node.type_name,
                stack: &node.stack,
                file: r
                    .map(|r| deployment.sources.path(r.span.file).display().to_string())
                    .unwrap_or_default(),
                line: r.map_or(0, |r| r.span.line),
                native_teardown: node.native_teardown,
            }
        })
        .collect();
    let mut edges: Vec<JsonEdge<'_>> = g
        .graph
        .edge_references()
        .map(|e| JsonEdge {
            from: &g.graph[e.source()].address,
            to: &g.graph[e.target()].address,
            kinds: e.weight().kinds.iter().copied().collect(),
            rule: e.weight().rule,
        })
        .collect();
    edges.sort_by(|a, b| (a.from, a.to).cmp(&(b.from, b.to)));
    serde_json::to_value(JsonGraph {
        stacks,
        nodes,
        edges,
    })
    .unwrap_or(serde_json::Value::Null)
}
