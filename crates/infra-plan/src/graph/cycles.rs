//! Cycle reporting: every strongly connected component of more than one resource (or a
//! resource that reads itself) is one error naming each member in order, with where each
//! reference is written.

use infra_template::{Deployment, Diagnostic, Diagnostics};
use petgraph::algo::tarjan_scc;
use petgraph::graph::NodeIndex;

use super::ResourceGraph;

pub(super) fn check(g: &ResourceGraph, deployment: &Deployment) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut sccs = tarjan_scc(&g.graph);
    sccs.sort_by_key(|c| c.iter().map(|n| g.graph[*n].address.clone()).min());
    for scc in sccs {
        let self_loop = scc.len() == 1 && g.graph.find_edge(scc[0], scc[0]).is_some();
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let path = cycle_path(g, &scc);
        let names: Vec<&str> = path.iter().map(|n| g.graph[*n].address.as_str()).collect();
        let first = &g.graph[path[0]];
        let span = deployment.resource(&first.address).map(|r| r.span);
        let mut shown = names.clone();
        shown.push(names[0]);
        let message = format!(
            "dependency cycle between {} resource(s): {}",
            path.len(),
            shown.join(" -> ")
        );
        let mut d = match span {
            Some(s) => Diagnostic::at(s, message),
            None => Diagnostic::global(message),
        };
        for (i, &n) in path.iter().enumerate() {
            let next = path[(i + 1) % path.len()];
            let e = g
                .graph
                .find_edge(n, next)
                .and_then(|e| g.graph.edge_weight(e));
            d = d.with_note(
                e.and_then(|e| e.span),
                format!(
                    "`{}` depends on `{}` here",
                    g.graph[n].address, g.graph[next].address
                ),
            );
        }
        errors.push(d);
    }
    errors.into_result(())
}

/// A cycle through every node of a strongly connected component where possible (DFS inside it).
fn cycle_path(g: &ResourceGraph, scc: &[NodeIndex]) -> Vec<NodeIndex> {
    let start = scc
        .iter()
        .copied()
        .min_by_key(|n| g.graph[*n].address.clone())
        .unwrap_or(scc[0]);
    if scc.len() == 1 {
        return vec![start];
    }
    // Walk from start, preferring unvisited members, until we return to start.
    let members: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
    let mut path = vec![start];
    let mut seen: std::collections::HashSet<NodeIndex> = [start].into();
    fn dfs(
        g: &ResourceGraph,
        at: NodeIndex,
        start: NodeIndex,
        members: &std::collections::HashSet<NodeIndex>,
        seen: &mut std::collections::HashSet<NodeIndex>,
        path: &mut Vec<NodeIndex>,
    ) -> bool {
        let mut next: Vec<NodeIndex> = g
            .graph
            .neighbors(at)
            .filter(|n| members.contains(n))
            .collect();
        next.sort_by_key(|n| g.graph[*n].address.clone());
        for n in next {
            if n == start {
                return true;
            }
            if seen.insert(n) {
                path.push(n);
                if dfs(g, n, start, members, seen, path) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    if dfs(g, start, start, &members, &mut seen, &mut path) {
        path
    } else {
        scc.to_vec()
    }
}
