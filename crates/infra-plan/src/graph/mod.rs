//! The resource graph: one node per resource of the flattened deployment, one edge from each
//! resource to each resource it depends on (Ref, GetAtt, Sub, DependsOn, nested stack
//! parameters and outputs, inferred dependencies, `--nested-barrier`).
//!
//! **Invariant:** a built [`ResourceGraph`] is acyclic; [`build`] reports every cycle instead.

mod cycles;
mod inferred;
mod inferred_apps;
mod render;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use infra_template::{Deployment, Diagnostics, EdgeKind, Span};
use petgraph::graph::{DiGraph, NodeIndex};

pub use inferred::{INFERRED_RULES, InferredRule};
pub use render::{to_dot, to_json};

/// A resource in the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Its address (`VpcStack.VPC`).
    pub address: String,
    /// Its type.
    pub type_name: String,
    /// Address of its stack (`""` for the root).
    pub stack: String,
    /// Deleted by the native Auto Scaling group teardown.
    pub native_teardown: bool,
}

/// Why one resource depends on another; several reasons merge into one edge.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Edge {
    /// Every kind of reference between the two.
    pub kinds: BTreeSet<EdgeKind>,
    /// For inferred edges: the id of the rule that added it.
    pub rule: Option<&'static str>,
    /// Where the first reference is written.
    pub span: Option<Span>,
}

/// Options of [`build`].
#[derive(Debug, Clone, Copy, Default)]
pub struct GraphOptions {
    /// Restore CloudFormation's whole-child ordering: a stack that reads a sibling's outputs
    /// waits for every resource of that sibling.
    pub nested_barrier: bool,
}

/// The dependency graph of a deployment. Edges point from a resource to what it needs.
#[derive(Debug, Clone)]
pub struct ResourceGraph {
    /// The graph.
    pub graph: DiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
}

impl ResourceGraph {
    /// The node of `address`.
    pub fn node(&self, address: &str) -> Option<NodeIndex> {
        self.index.get(address).copied()
    }

    /// The edge from `from` to `to`, if `from` depends on `to`.
    pub fn edge(&self, from: &str, to: &str) -> Option<&Edge> {
        let e = self.graph.find_edge(self.node(from)?, self.node(to)?)?;
        self.graph.edge_weight(e)
    }

    /// Every edge whose kinds include `kind`, as `(from, to)` addresses.
    pub fn edges_of_kind(&self, kind: EdgeKind) -> Vec<(&str, &str, &Edge)> {
        self.graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                let w = self.graph.edge_weight(e)?;
                w.kinds.contains(&kind).then(|| {
                    (
                        self.graph[a].address.as_str(),
                        self.graph[b].address.as_str(),
                        w,
                    )
                })
            })
            .collect()
    }

    fn add_edge(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        span: Option<Span>,
        rule: Option<&'static str>,
    ) {
        // A resource reading itself directly is a cycle; through a stack it is not an edge.
        if from == to
            && matches!(
                kind,
                EdgeKind::Nested | EdgeKind::Inferred | EdgeKind::Barrier
            )
        {
            return;
        }
        match self.graph.find_edge(from, to) {
            Some(e) => {
                if let Some(w) = self.graph.edge_weight_mut(e) {
                    w.kinds.insert(kind);
                    if w.rule.is_none() {
                        w.rule = rule;
                    }
                }
            }
            None => {
                self.graph.add_edge(
                    from,
                    to,
                    Edge {
                        kinds: [kind].into(),
                        rule,
                        span,
                    },
                );
            }
        }
    }

    /// Every resource at `address`, or under it when it names a nested stack.
    fn expand(&self, deployment: &Deployment, address: &str) -> Vec<NodeIndex> {
        if let Some(n) = self.node(address) {
            return vec![n];
        }
        let prefix = format!("{address}.");
        deployment
            .resources
            .iter()
            .filter(|r| r.address.starts_with(&prefix))
            .filter_map(|r| self.node(&r.address))
            .collect()
    }
}

/// Builds the graph of a deployment; every dependency cycle is an error naming its members.
pub fn build(deployment: &Deployment, options: GraphOptions) -> Result<ResourceGraph, Diagnostics> {
    let mut g = ResourceGraph {
        graph: DiGraph::with_capacity(deployment.resources.len(), deployment.resources.len() * 2),
        index: HashMap::with_capacity(deployment.resources.len()),
    };
    for r in &deployment.resources {
        let stack = deployment
            .stacks
            .get(r.stack)
            .map(|s| s.address.clone())
            .unwrap_or_default();
        let n = g.graph.add_node(Node {
            address: r.address.clone(),
            type_name: r.type_name.clone(),
            stack,
            native_teardown: r.native_teardown,
        });
        g.index.insert(r.address.clone(), n);
    }
    for r in &deployment.resources {
        let Some(from) = g.node(&r.address) else {
            continue;
        };
        for d in &r.deps {
            for to in g.expand(deployment, &d.target) {
                g.add_edge(from, to, d.kind, Some(d.span), None);
            }
        }
    }
    cycles::check(&g, deployment)?;
    if options.nested_barrier {
        add_barriers(&mut g, deployment);
    }
    inferred::add_inferred(&mut g, deployment);
    Ok(g)
}

/// `--nested-barrier`: every resource of a stack waits for every resource of each sibling
/// stack whose outputs it reads (as CloudFormation orders nested stacks).
fn add_barriers(g: &mut ResourceGraph, deployment: &Deployment) {
    let mut pairs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &deployment.stacks {
        if !s.reads.is_empty() {
            pairs.insert(s.address.clone(), s.reads.clone());
        }
    }
    for (stack, reads) in pairs {
        let from = g.expand(deployment, &stack);
        for r in reads {
            let to = g.expand(deployment, &r);
            for &a in &from {
                for &b in &to {
                    g.add_edge(a, b, EdgeKind::Barrier, None, None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
