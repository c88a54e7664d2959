//! The graph the page draws, read from a plan: one node per resource change (no-ops and
//! deletions included), one band per stack, one edge per dependency, and which of them lie on
//! the critical path. Pure data; [`layout`](super::layout) places it and [`svg`](super::svg)
//! draws it.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::plan::{Action, Plan};

/// How a node is coloured and filtered; the page's `data-action` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Create,
    Update,
    Replace,
    Delete,
    Forget,
    NoOp,
}

impl Kind {
    /// Every kind, in legend order.
    pub(super) const ALL: [Kind; 6] = [
        Kind::Create,
        Kind::Update,
        Kind::Replace,
        Kind::Delete,
        Kind::Forget,
        Kind::NoOp,
    ];

    pub(super) fn of(action: Action) -> Kind {
        match action {
            Action::NoOp => Kind::NoOp,
            Action::Create => Kind::Create,
            Action::Update => Kind::Update,
            Action::DeleteThenCreate | Action::CreateThenDelete => Kind::Replace,
            Action::Delete => Kind::Delete,
            Action::Forget => Kind::Forget,
        }
    }

    /// The `data-action` value.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Update => "update",
            Kind::Replace => "replace",
            Kind::Delete => "delete",
            Kind::Forget => "forget",
            Kind::NoOp => "no-op",
        }
    }

    /// The node fill, exact lowercase hex.
    pub(super) fn colour(self) -> &'static str {
        match self {
            Kind::Create => "#2da44e",
            Kind::Update => "#bf8700",
            Kind::Replace => "#8250df",
            Kind::Delete => "#cf222e",
            Kind::Forget => "#0550ae",
            Kind::NoOp => "#8c959f",
        }
    }

    /// What the legend says.
    pub(super) fn meaning(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Update => "update in-place",
            Kind::Replace => "replace",
            Kind::Delete => "destroy",
            Kind::Forget => "forget (kept in AWS)",
            Kind::NoOp => "no change",
        }
    }
}

/// One resource change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    /// The full address, as in the plan.
    pub(super) address: String,
    /// The logical name: the address without its stack prefix.
    pub(super) name: String,
    /// `AWS::EC2::VPC`.
    pub(super) type_name: String,
    /// Index into [`Graph::stacks`].
    pub(super) stack: usize,
    pub(super) kind: Kind,
    /// On the estimate's critical path.
    pub(super) critical: bool,
}

/// Where an edge starts: the dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// A resource.
    Node(usize),
    /// Every resource of a nested stack (a dependency on the stack itself).
    Stack(usize),
}

/// "`to` depends on `from`".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Edge {
    pub(super) from: Source,
    /// Index into [`Graph::nodes`]: the dependent.
    pub(super) to: usize,
    /// Inferred, not written in the template.
    pub(super) inferred: bool,
    /// Joins two consecutive steps of the critical path.
    pub(super) critical: bool,
}

/// The drawable graph of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Graph {
    /// Stack addresses (`""` for the root stack), sorted.
    pub(super) stacks: Vec<String>,
    /// In plan order.
    pub(super) nodes: Vec<Node>,
    /// Grouped by dependent, in `depends_on` order.
    pub(super) edges: Vec<Edge>,
}

/// The stack address of a resource address: everything before the last dot.
pub(super) fn split_address(address: &str) -> (&str, &str) {
    address.rsplit_once('.').unwrap_or(("", address))
}

/// True when `address` belongs to the stack `stack` or to one nested in it.
fn within(address: &str, stack: &str) -> bool {
    address
        .strip_prefix(stack)
        .is_some_and(|rest| rest.starts_with('.'))
}

/// Reads the graph of `plan`. Dependencies on addresses the plan does not hold are left out; a
/// dependency on a nested stack is drawn from that stack's band when the stack has resources of
/// its own in the plan.
pub(super) fn read(plan: &Plan) -> Graph {
    let stack_names: Vec<String> = plan
        .changes
        .iter()
        .map(|c| split_address(&c.address).0.to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let stack_index: HashMap<&str, usize> = stack_names
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let critical_path: &[String] = plan
        .estimate
        .as_ref()
        .map_or(&[], |e| e.critical_path.as_slice());
    let on_path: HashSet<&str> = critical_path.iter().map(String::as_str).collect();

    let mut nodes = Vec::with_capacity(plan.changes.len());
    let mut node_index: HashMap<&str, usize> = HashMap::with_capacity(plan.changes.len());
    for change in &plan.changes {
        let (stack, name) = split_address(&change.address);
        node_index
            .entry(change.address.as_str())
            .or_insert(nodes.len());
        nodes.push(Node {
            address: change.address.clone(),
            name: name.to_owned(),
            type_name: change.type_name.clone(),
            stack: stack_index.get(stack).copied().unwrap_or_default(),
            kind: Kind::of(change.action),
            critical: on_path.contains(change.address.as_str()),
        });
    }

    let mut edges = Vec::new();
    for (to, change) in plan.changes.iter().enumerate() {
        let mut seen: HashSet<&str> = HashSet::new();
        for dependency in &change.depends_on {
            if !seen.insert(dependency.as_str()) || *dependency == change.address {
                continue;
            }
            let from = if let Some(&from) = node_index.get(dependency.as_str()) {
                Source::Node(from)
            } else if let Some(&stack) = stack_index.get(dependency.as_str()) {
                if dependency.is_empty() || within(&change.address, dependency) {
                    continue;
                }
                Source::Stack(stack)
            } else {
                continue;
            };
            edges.push(Edge {
                from,
                to,
                inferred: change.inferred.iter().any(|i| i == dependency),
                critical: false,
            });
        }
    }
    mark_critical_edges(&mut edges, &nodes, &stack_names, critical_path);
    Graph {
        stacks: stack_names,
        nodes,
        edges,
    }
}

/// Marks the edges joining consecutive addresses of the critical path, in either direction
/// (a destroy walks dependencies after their dependents). An edge from a stack's band counts
/// when the step before its dependent is one of that stack's resources.
fn mark_critical_edges(edges: &mut [Edge], nodes: &[Node], stacks: &[String], path: &[String]) {
    let mut positions: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, address) in path.iter().enumerate() {
        positions.entry(address.as_str()).or_default().push(i);
    }
    let neighbours = |address: &str| -> Vec<&str> {
        let mut out = Vec::new();
        for &i in positions.get(address).into_iter().flatten() {
            if i > 0 {
                out.push(path[i - 1].as_str());
            }
            if let Some(next) = path.get(i + 1) {
                out.push(next.as_str());
            }
        }
        out
    };
    for edge in edges.iter_mut() {
        let to = nodes[edge.to].address.as_str();
        edge.critical = neighbours(to).into_iter().any(|step| match edge.from {
            Source::Node(from) => nodes[from].address == step,
            Source::Stack(stack) => within(step, &stacks[stack]),
        });
    }
}
