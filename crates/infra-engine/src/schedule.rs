//! The schedule an apply follows: the graph the walker walks, built from the action graph.
//!
//! - [`Schedule::CriticalPath`] (the default) walks the action graph as it is: every operation
//!   starts the moment its own dependencies are done, the longest remaining chain first.
//! - [`Schedule::StackSerial`] adds CloudFormation's nested-stack order on top: a nested stack
//!   starts only once every stack (or root resource) it depends on has finished all of its
//!   operations, and is itself finished only when all of its own are. It exists to measure
//!   what the graph walk gains; the result is the same, only later.
//!
//! # Stacks and units
//!
//! An address's stack is its prefix: `VpcStack` for `VpcStack.VPC`, `App.Net` for
//! `App.Net.Subnet`, none for a root resource. For an edge `a -> b` between different stacks,
//! the *units* are the children of the deepest stack holding both: the nested stack (or, in
//! that stack, the resource itself) that contains `a`, and the one that contains `b`. The
//! stack-level edge is `unit(a) -> unit(b)`, as CloudFormation sees it: the parent stack's
//! resource `unit(b)` depends on its resource `unit(a)`.
//!
//! Each such edge becomes a marker node ([`Slot::Finished`]) that every operation inside
//! `unit(a)` precedes and that precedes every operation inside `unit(b)`; markers do no work
//! and take no slot (see [`WalkOptions::free`](crate::walk::WalkOptions::free)). A failure
//! inside `unit(a)` skips all of `unit(b)`, as a failed nested stack does.
//!
//! A stack-level edge that would close a cycle (two stacks that need each other, which a
//! flattened graph allows and which a delete-then-create replacement can produce) is left out,
//! so the schedule only ever adds order to the action graph and never contradicts it.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::order::{ActionGraph, ActionNode};
use crate::walk::{NotADag, longest_path};

/// Which order an apply runs its operations in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Schedule {
    /// Every operation starts the moment its dependencies are done, the longest remaining
    /// chain first.
    #[default]
    CriticalPath,
    /// As [`Schedule::CriticalPath`], and besides each nested stack waits until every stack
    /// it depends on has finished (as CloudFormation runs nested stacks).
    StackSerial,
}

/// A node of the walked graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// An operation: its node in the action graph.
    Operation(NodeIndex),
    /// Every operation of a unit (a nested stack's address, or a root resource's) is done.
    Finished(String),
}

/// The graph an apply under `schedule` walks. Its first nodes are the action graph's
/// operations, at the same indices; markers follow. Acyclic when `graph` is.
pub fn scheduled_graph(graph: &ActionGraph, schedule: Schedule) -> DiGraph<Slot, ()> {
    let mut walked: DiGraph<Slot, ()> = graph.map(|index, _| Slot::Operation(index), |_, ()| ());
    if schedule == Schedule::StackSerial {
        add_stack_barriers(graph, &mut walked);
    }
    walked
}

/// The longest chain of `seconds` (per operation) through the graph walked under `schedule`:
/// with enough parallelism and every operation taking exactly its seconds, the apply takes
/// this long, and no apply of `graph` can take less under that schedule.
pub fn bound(
    graph: &ActionGraph,
    schedule: Schedule,
    seconds: &dyn Fn(&ActionNode) -> f64,
) -> Result<f64, NotADag> {
    let walked = scheduled_graph(graph, schedule);
    let weights = weights(graph, &walked, seconds);
    longest_path(&walked, &weights)
}

/// The weight of each node of `walked`: the operation's seconds, 0 for a marker.
pub(crate) fn weights(
    graph: &ActionGraph,
    walked: &DiGraph<Slot, ()>,
    seconds: &dyn Fn(&ActionNode) -> f64,
) -> Vec<f64> {
    walked
        .node_weights()
        .map(|slot| match slot {
            Slot::Operation(index) => seconds(&graph[*index]),
            Slot::Finished(_) => 0.0,
        })
        .collect()
}

/// A unit: a nested stack (by address) or a single resource (by address).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Stack(String),
    Resource(String),
}

impl Unit {
    fn name(&self) -> &str {
        match self {
            Unit::Stack(name) | Unit::Resource(name) => name,
        }
    }
}

/// The stacks an address is in, outermost first: `A.B.X` is in `A` and `A.B`.
fn stacks(address: &str) -> Vec<&str> {
    address
        .match_indices('.')
        .map(|(at, _)| &address[..at])
        .collect()
}

/// The units of `a` and `b` under the deepest stack holding both, when they differ in stack.
fn units(a: &str, b: &str) -> Option<(Unit, Unit)> {
    let (in_a, in_b) = (stacks(a), stacks(b));
    if in_a == in_b {
        return None;
    }
    let common = in_a.iter().zip(&in_b).take_while(|(x, y)| x == y).count();
    let unit = |address: &str, stacks: &[&str]| match stacks.get(common) {
        Some(stack) => Unit::Stack((*stack).to_owned()),
        None => Unit::Resource(address.to_owned()),
    };
    Some((unit(a, &in_a), unit(b, &in_b)))
}

fn add_stack_barriers(graph: &ActionGraph, walked: &mut DiGraph<Slot, ()>) {
    let mut unit_edges: BTreeSet<(Unit, Unit)> = BTreeSet::new();
    for edge in graph.raw_edges() {
        let (from, to) = (&graph[edge.source()], &graph[edge.target()]);
        if let Some(pair) = units(&from.address, &to.address) {
            unit_edges.insert(pair);
        }
    }
    if unit_edges.is_empty() {
        return;
    }
    // The operations inside each stack and of each resource.
    let mut members: BTreeMap<Unit, Vec<NodeIndex>> = BTreeMap::new();
    for index in graph.node_indices() {
        let address = &graph[index].address;
        members
            .entry(Unit::Resource(address.clone()))
            .or_default()
            .push(index);
        for stack in stacks(address) {
            members
                .entry(Unit::Stack(stack.to_owned()))
                .or_default()
                .push(index);
        }
    }
    let mut markers: BTreeMap<Unit, NodeIndex> = BTreeMap::new();
    for (before, after) in unit_edges {
        let (Some(first), Some(then)) = (members.get(&before), members.get(&after)) else {
            continue;
        };
        let marker = match markers.get(&before) {
            Some(marker) => *marker,
            None => {
                let marker = walked.add_node(Slot::Finished(before.name().to_owned()));
                for &operation in first {
                    walked.add_edge(operation, marker, ());
                }
                markers.insert(before.clone(), marker);
                marker
            }
        };
        if reaches_any(walked, then, marker) {
            continue;
        }
        // `before`'s other units are siblings of `after`, so no edge is added twice.
        for &operation in then {
            walked.add_edge(marker, operation, ());
        }
    }
}

/// Whether a path leads from any of `starts` to `target`.
fn reaches_any(graph: &DiGraph<Slot, ()>, starts: &[NodeIndex], target: NodeIndex) -> bool {
    let mut seen = vec![false; graph.node_count()];
    let mut stack: Vec<NodeIndex> = starts.to_vec();
    while let Some(node) = stack.pop() {
        if node == target {
            return true;
        }
        if std::mem::replace(&mut seen[node.index()], true) {
            continue;
        }
        stack.extend(graph.neighbors_directed(node, Direction::Outgoing));
    }
    false
}

#[cfg(test)]
mod tests {
    use petgraph::algo::{has_path_connecting, is_cyclic_directed};

    use super::*;
    use crate::events::Operation;

    /// An action graph of creates with the given addresses and edges.
    fn actions(addresses: &[&str], edges: &[(usize, usize)]) -> ActionGraph {
        let mut graph = ActionGraph::new();
        for (change, address) in addresses.iter().enumerate() {
            graph.add_node(ActionNode {
                address: (*address).to_owned(),
                operation: Operation::Create,
                change,
            });
        }
        for (a, b) in edges {
            graph.add_edge(NodeIndex::new(*a), NodeIndex::new(*b), ());
        }
        graph
    }

    fn before(graph: &DiGraph<Slot, ()>, a: usize, b: usize) -> bool {
        has_path_connecting(graph, NodeIndex::new(a), NodeIndex::new(b), None)
    }

    #[test]
    fn the_critical_path_schedule_walks_the_action_graph_as_it_is() {
        let graph = actions(&["A.X", "B.Y", "A.Z"], &[(0, 1)]);
        let walked = scheduled_graph(&graph, Schedule::CriticalPath);
        assert_eq!(walked.node_count(), 3);
        assert_eq!(walked.edge_count(), 1);
        assert_eq!(
            walked[NodeIndex::new(2)],
            Slot::Operation(NodeIndex::new(2))
        );
    }

    #[test]
    fn a_stack_waits_for_all_of_every_stack_it_depends_on() {
        // B.Y needs A.X; A.Z is independent, B.W too. Root resource R needs B.
        let graph = actions(&["A.X", "B.Y", "A.Z", "B.W", "R"], &[(0, 1), (3, 4)]);
        let walked = scheduled_graph(&graph, Schedule::StackSerial);
        assert!(!is_cyclic_directed(&walked));
        for a in [0, 2] {
            for b in [1, 3, 4] {
                assert!(before(&walked, a, b), "{a} before {b}");
            }
        }
        assert!(before(&walked, 1, 4), "R waits for all of B");
        assert!(!before(&walked, 2, 0) && !before(&walked, 0, 2));
        let markers = walked
            .node_weights()
            .filter(|slot| matches!(slot, Slot::Finished(_)))
            .count();
        assert_eq!(markers, 2, "one per stack something waits for");
    }

    #[test]
    fn a_stack_level_edge_that_would_close_a_cycle_is_left_out() {
        // A.X -> B.Y and B.Z -> A.W: A and B need each other.
        let graph = actions(&["A.X", "B.Y", "B.Z", "A.W"], &[(0, 1), (2, 3)]);
        let walked = scheduled_graph(&graph, Schedule::StackSerial);
        assert!(!is_cyclic_directed(&walked));
        assert!(before(&walked, 0, 1) && before(&walked, 2, 3));
        let bound = bound(&graph, Schedule::StackSerial, &|_| 1.0).expect("acyclic");
        assert!(bound >= 2.0);
    }

    #[test]
    fn units_are_the_children_of_the_deepest_common_stack() {
        let stack = |s: &str| Unit::Stack(s.to_owned());
        let resource = |s: &str| Unit::Resource(s.to_owned());
        assert_eq!(units("A.X", "A.Y"), None);
        assert_eq!(units("Root", "Other"), None);
        assert_eq!(units("A.X", "B.Y"), Some((stack("A"), stack("B"))));
        assert_eq!(units("Root", "B.Y"), Some((resource("Root"), stack("B"))));
        assert_eq!(units("A.B.X", "A.Y"), Some((stack("A.B"), resource("A.Y"))));
        assert_eq!(units("A.B.X", "A.C.Y"), Some((stack("A.B"), stack("A.C"))));
        assert_eq!(units("A.B.X", "C.Y"), Some((stack("A"), stack("C"))));
    }
}
