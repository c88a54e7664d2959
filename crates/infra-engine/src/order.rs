//! The action graph: which operation of a plan must finish before which.
//!
//! Every change of the plan except a no-op becomes one node, or two for a replacement. An edge
//! `a -> b` means `a` finishes before `b` starts. A forget (a resource or a replaced object
//! that a policy keeps in AWS) takes the place of the delete it stands for, with the same
//! edges. The rules:
//!
//! - **Forward** (create, update, create-replacement): after the forward node of every
//!   resource in its `depends_on` that has one. A dependency that is only deleted gives no
//!   edge (the delete waits for this node instead, by the next rule).
//! - **Backward** (delete, delete-replaced): after every operation of the resources that
//!   depend on it, where "depend" is the union of the state records' `dependencies` (what the
//!   old objects use) and the plan's `depends_on` (what the new ones will use). Dependents'
//!   deletes always come first. Dependents' forward operations come first too, except when
//!   this delete is the first half of a delete-then-create: those operations need the new
//!   object, which only exists after this delete.
//! - **Create-then-delete**: create-replacement, then delete-replaced (which also waits for
//!   every dependent, which by then uses the new object).
//! - **Delete-then-create**: delete-replaced, then create-replacement.
//!
//! A dependency written as a nested stack's address (`VpcStack`) stands for every resource
//! inside it (`VpcStack.*`).
//!
//! The rules can contradict each other for a plan that asks for the impossible: a resource
//! replaced create-then-delete that depends on one replaced delete-then-create needs its new
//! object before its dependency's new object exists. [`action_graph`] reports every such
//! cycle by name instead of walking it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use infra_plan::{Action, Plan, ResourceChange};
use infra_state::State;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::events::Operation;

/// One operation to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionNode {
    /// The resource.
    pub address: String,
    /// What to do.
    pub operation: Operation,
    /// Its change: the index into `plan.changes`.
    pub change: usize,
}

impl fmt::Display for ActionNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = match self.operation {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::CreateReplacement => "create replacement",
            Operation::DeleteReplaced => "delete replaced object",
            Operation::Forget => "forget",
            Operation::ForgetReplaced => "forget replaced object",
        };
        write!(f, "{} ({operation})", self.address)
    }
}

/// The operations of a plan and their order; acyclic.
pub type ActionGraph = DiGraph<ActionNode, ()>;

/// The plan's operations cannot be ordered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the plan's actions cannot be ordered: {}", describe(.cycles))]
pub struct OrderError {
    /// Every cycle, each as the operations on it, sorted by address and operation.
    pub cycles: Vec<Vec<ActionNode>>,
}

fn describe(cycles: &[Vec<ActionNode>]) -> String {
    cycles
        .iter()
        .map(|cycle| {
            let names: Vec<String> = cycle.iter().map(ToString::to_string).collect();
            format!("cycle through {}", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The nodes of one change.
#[derive(Debug, Clone, Copy, Default)]
struct ChangeNodes {
    forward: Option<NodeIndex>,
    backward: Option<NodeIndex>,
}

/// Builds the action graph of `plan` (see the module comment); `state` is the state the plan
/// was made from, whose records say what the existing objects depend on.
pub fn action_graph(plan: &Plan, state: &State) -> Result<ActionGraph, OrderError> {
    let mut graph = ActionGraph::new();
    let mut nodes = vec![ChangeNodes::default(); plan.changes.len()];
    for (index, change) in plan.changes.iter().enumerate() {
        let mut add = |operation| {
            Some(graph.add_node(ActionNode {
                address: change.address.clone(),
                operation,
                change: index,
            }))
        };
        nodes[index] = match change.action {
            Action::NoOp => ChangeNodes::default(),
            Action::Create => ChangeNodes {
                forward: add(Operation::Create),
                backward: None,
            },
            Action::Update => ChangeNodes {
                forward: add(Operation::Update),
                backward: None,
            },
            Action::Delete => ChangeNodes {
                forward: None,
                backward: add(Operation::Delete),
            },
            Action::Forget => ChangeNodes {
                forward: None,
                backward: add(Operation::Forget),
            },
            Action::CreateThenDelete | Action::DeleteThenCreate => ChangeNodes {
                forward: add(Operation::CreateReplacement),
                backward: add(if change.retains() {
                    Operation::ForgetReplaced
                } else {
                    Operation::DeleteReplaced
                }),
            },
        };
    }

    // Who depends on whom, by change index, looked up through the sorted addresses (a
    // dependency names a resource, a deposed object of it, or a nested stack's resources), so
    // that ordering a plan stays near-linear in its size.
    let index = AddressIndex::new(&plan.changes);
    let mut dependencies: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); plan.changes.len()];
    let mut dependents: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); plan.changes.len()];
    for (at, change) in plan.changes.iter().enumerate() {
        for dependency in &change.depends_on {
            for matched in index.named_by(dependency).filter(|m| *m != at) {
                dependencies[at].insert(matched);
                dependents[matched].insert(at);
            }
        }
        let recorded = state
            .resources
            .get(&change.address)
            .map(|record| record.dependencies.as_slice())
            .unwrap_or_default();
        for dependency in recorded {
            for matched in index.named_by(dependency).filter(|m| *m != at) {
                dependents[matched].insert(at);
            }
        }
    }

    let mut edges: BTreeSet<(NodeIndex, NodeIndex)> = BTreeSet::new();
    for (at, change) in plan.changes.iter().enumerate() {
        let own = nodes[at];
        match (change.action, own.forward, own.backward) {
            (Action::CreateThenDelete, Some(create), Some(delete)) => {
                edges.insert((create, delete));
            }
            (Action::DeleteThenCreate, Some(create), Some(delete)) => {
                edges.insert((delete, create));
            }
            _ => {}
        }
        if let Some(forward) = own.forward {
            for dependency in &dependencies[at] {
                if let Some(before) = nodes[*dependency].forward {
                    edges.insert((before, forward));
                }
            }
        }
        if let Some(backward) = own.backward {
            for dependent in &dependents[at] {
                let theirs = nodes[*dependent];
                if let Some(their_delete) = theirs.backward {
                    edges.insert((their_delete, backward));
                }
                if let Some(their_forward) = theirs.forward
                    && change.action != Action::DeleteThenCreate
                {
                    edges.insert((their_forward, backward));
                }
            }
        }
    }
    for (from, to) in edges {
        graph.add_edge(from, to, ());
    }

    let mut cycles: Vec<Vec<ActionNode>> = petgraph::algo::tarjan_scc(&graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| {
            let mut members: Vec<ActionNode> =
                component.iter().map(|node| graph[*node].clone()).collect();
            members.sort_by(|a, b| (&a.address, a.operation).cmp(&(&b.address, b.operation)));
            members
        })
        .collect();
    if cycles.is_empty() {
        Ok(graph)
    } else {
        cycles.sort_by(|a, b| {
            a.first()
                .map(|n| &n.address)
                .cmp(&b.first().map(|n| &n.address))
        });
        Err(OrderError { cycles })
    }
}

/// The plan's addresses in order, to find what a dependency names without scanning them all.
struct AddressIndex<'a> {
    sorted: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> AddressIndex<'a> {
    fn new(changes: &'a [ResourceChange]) -> Self {
        let mut sorted: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (at, change) in changes.iter().enumerate() {
            sorted.entry(change.address.as_str()).or_default().push(at);
        }
        AddressIndex { sorted }
    }

    /// The changes `dependency` names ([`names`]): every such address starts with it.
    fn named_by<'s>(&'s self, dependency: &'s str) -> impl Iterator<Item = usize> + 's {
        self.sorted
            .range::<str, _>((
                std::ops::Bound::Included(dependency),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(address, _)| address.starts_with(dependency))
            .filter(move |(address, _)| names(dependency, address))
            .flat_map(|(_, changes)| changes.iter().copied())
    }
}

/// Whether the dependency `dependency` names the resource `address`: the resource itself, a
/// deposed object of it (`Subnet#deposed-1`, see `infra_plan::plan::recovery`) or the nested
/// stack it is in.
fn names(dependency: &str, address: &str) -> bool {
    address.strip_prefix(dependency).is_some_and(|rest| {
        rest.is_empty()
            || rest.starts_with('.')
            || rest.starts_with(infra_plan::plan::recovery::DEPOSED_MARK)
    })
}
