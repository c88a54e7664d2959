//! Live progress of an apply: how many of its operations are done and about how long the rest
//! will take, recomputed from the events as they arrive ([`Remaining`]).
//!
//! The time left is the longest chain, by the latency model, through the operations that have
//! not finished, in the graph the apply walks (so [`Schedule::StackSerial`]'s stack order
//! counts too):
//!
//! - a pending operation counts its full seconds;
//! - an operation in flight counts what its seconds leave after the time since it started
//!   (never less than nothing: an operation running late counts 0, its dependents in full);
//! - a finished, failed or skipped operation counts nothing, nor does a pending operation that
//!   will never start: every dependent of a failed one (the walker skips them) and, once the
//!   apply is cancelled, every one not yet started.
//!
//! Like a plan's expected time, it assumes enough parallelism for every ready operation to
//! start at once.
//!
//! *Done* counts the operations that finished successfully. A failed or skipped operation is
//! not done, so after a failure the count stops short of the total, as the summary then says;
//! it no longer counts toward the time left either.
//!
//! The tracker is pure: every call takes the moment it happens at, so it is tested with
//! virtual time.

use std::collections::BTreeMap;
use std::time::Instant;

use infra_plan::Plan;
use infra_state::State;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::events::{Event, Operation};
use crate::latency::LatencyModel;
use crate::order::{ActionGraph, ActionNode, OrderError, action_graph};
use crate::schedule::{Schedule, Slot, scheduled_graph, weights};
use crate::walk::longest_path;

/// Where one node of the walked graph stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    /// Not started yet.
    Pending,
    /// Started at this moment.
    Running(Instant),
    /// Finished successfully.
    Finished,
    /// Failed, skipped, or will not start: it takes no more time.
    Settled,
}

/// The done count and time left of one apply; see the module comment.
#[derive(Debug, Clone)]
pub struct Remaining {
    /// The graph the apply walks: its operations, then any stack markers.
    graph: DiGraph<Slot, ()>,
    /// The model's seconds of each node of `graph` (0 for a marker).
    seconds: Vec<f64>,
    /// Each node of `graph`.
    status: Vec<Status>,
    /// The operation nodes by the names events give them.
    operations: BTreeMap<(String, Operation), NodeIndex>,
    /// Operations finished successfully.
    finished: usize,
    /// Whether nothing new will start.
    cancelled: bool,
}

impl Remaining {
    /// The tracker of an apply of `plan` (made from `state`) under `schedule`, with each
    /// operation's seconds from `model`; fails as [`action_graph`] does.
    pub fn new(
        plan: &Plan,
        state: &State,
        model: &LatencyModel,
        schedule: Schedule,
    ) -> Result<Remaining, OrderError> {
        let graph = action_graph(plan, state)?;
        Ok(Remaining::from_graph(&graph, schedule, |node| {
            let type_name = plan
                .changes
                .get(node.change)
                .map_or("", |change| change.type_name.as_str());
            model.seconds(type_name, node.operation)
        }))
    }

    /// The tracker of a walk of `graph` under `schedule`, each operation taking `seconds`.
    pub fn from_graph(
        graph: &ActionGraph,
        schedule: Schedule,
        seconds: impl Fn(&ActionNode) -> f64,
    ) -> Remaining {
        let walked = scheduled_graph(graph, schedule);
        let seconds = weights(graph, &walked, &seconds);
        let operations = graph
            .node_indices()
            .map(|index| {
                let node = &graph[index];
                ((node.address.clone(), node.operation), index)
            })
            .collect();
        Remaining {
            status: vec![Status::Pending; walked.node_count()],
            graph: walked,
            seconds,
            operations,
            finished: 0,
            cancelled: false,
        }
    }

    /// Takes in `event`, which happened at `at`. An event naming no operation of the plan
    /// changes nothing.
    pub fn record(&mut self, event: &Event, at: Instant) {
        let (address, operation) = match event {
            Event::Started { address, action }
            | Event::StillRunning {
                address, action, ..
            }
            | Event::Finished {
                address, action, ..
            }
            | Event::Failed {
                address, action, ..
            }
            | Event::Skipped {
                address, action, ..
            }
            | Event::Retrying {
                address, action, ..
            } => (address, *action),
        };
        let Some(&node) = self.operations.get(&(address.clone(), operation)) else {
            return;
        };
        let status = &mut self.status[node.index()];
        match event {
            Event::Started { .. } => {
                if *status == Status::Pending {
                    *status = Status::Running(at);
                }
            }
            // The engine's own clock says when it started.
            Event::StillRunning { elapsed, .. } => {
                if matches!(status, Status::Pending | Status::Running(_)) {
                    *status = Status::Running(at.checked_sub(*elapsed).unwrap_or(at));
                }
            }
            Event::Retrying { .. } => {
                if *status == Status::Pending {
                    *status = Status::Running(at);
                }
            }
            Event::Finished { .. } => {
                if *status != Status::Finished {
                    *status = Status::Finished;
                    self.finished += 1;
                }
            }
            Event::Failed { .. } => {
                if *status != Status::Finished {
                    *status = Status::Settled;
                    self.settle_dependents(node);
                }
            }
            Event::Skipped { .. } => {
                if *status != Status::Finished {
                    *status = Status::Settled;
                }
            }
        }
    }

    /// Nothing new will start (the apply was cancelled): pending operations no longer count.
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    /// The addresses of the operations started and not yet finished, failed or skipped, in
    /// name order.
    pub fn running(&self) -> Vec<String> {
        let mut running: Vec<String> = self
            .operations
            .iter()
            .filter(|(_, node)| matches!(self.status[node.index()], Status::Running(_)))
            .map(|((address, _), _)| address.clone())
            .collect();
        running.dedup();
        running
    }

    /// How many operations the apply has.
    pub fn total(&self) -> usize {
        self.operations.len()
    }

    /// How many finished successfully.
    pub fn done(&self) -> usize {
        self.finished
    }

    /// How many are still to run or running: neither finished, failed nor skipped, and not
    /// known to be skipped.
    pub fn outstanding(&self) -> usize {
        self.operations
            .values()
            .filter(|node| match self.status[node.index()] {
                Status::Running(_) => true,
                Status::Pending => !self.cancelled,
                Status::Finished | Status::Settled => false,
            })
            .count()
    }

    /// The seconds the apply is expected to take from `now` on, by the model.
    pub fn seconds_left(&self, now: Instant) -> f64 {
        let weights: Vec<f64> = self
            .status
            .iter()
            .zip(&self.seconds)
            .map(|(status, &seconds)| match *status {
                Status::Pending if self.cancelled => 0.0,
                Status::Pending => seconds,
                Status::Running(since) => {
                    (seconds - now.saturating_duration_since(since).as_secs_f64()).max(0.0)
                }
                Status::Finished | Status::Settled => 0.0,
            })
            .collect();
        // The walked graph is acyclic for a graph from `action_graph`; for any other, one
        // operation after another is an upper bound.
        longest_path(&self.graph, &weights).unwrap_or_else(|_| weights.iter().sum())
    }

    /// Marks every pending node after `failed` as never starting, as the walker skips them.
    fn settle_dependents(&mut self, failed: NodeIndex) {
        let mut stack: Vec<NodeIndex> = self
            .graph
            .neighbors_directed(failed, Direction::Outgoing)
            .collect();
        while let Some(node) = stack.pop() {
            let status = &mut self.status[node.index()];
            if *status != Status::Pending {
                continue;
            }
            *status = Status::Settled;
            stack.extend(self.graph.neighbors_directed(node, Direction::Outgoing));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn node(address: &str, operation: Operation) -> ActionNode {
        ActionNode {
            address: address.to_owned(),
            operation,
            change: 0,
        }
    }

    /// A(10 s) -> B(20 s), and C(5 s) beside them; seconds by address.
    fn chain_and_one() -> Remaining {
        let mut graph = ActionGraph::new();
        let a = graph.add_node(node("A", Operation::Create));
        let b = graph.add_node(node("B", Operation::Create));
        graph.add_node(node("C", Operation::Create));
        graph.add_edge(a, b, ());
        Remaining::from_graph(&graph, Schedule::CriticalPath, |node| {
            match node.address.as_str() {
                "A" => 10.0,
                "B" => 20.0,
                _ => 5.0,
            }
        })
    }

    fn started(address: &str) -> Event {
        Event::Started {
            address: address.to_owned(),
            action: Operation::Create,
        }
    }

    fn finished(address: &str) -> Event {
        Event::Finished {
            address: address.to_owned(),
            action: Operation::Create,
            elapsed: Duration::from_secs(1),
            physical_id: String::new(),
        }
    }

    fn failed(address: &str) -> Event {
        Event::Failed {
            address: address.to_owned(),
            action: Operation::Create,
            error: "boom".to_owned(),
        }
    }

    /// Virtual time: the start of the apply plus `seconds`.
    fn at(start: Instant, seconds: u64) -> Instant {
        start + Duration::from_secs(seconds)
    }

    #[test]
    fn before_anything_runs_the_longest_chain_is_left() {
        let remaining = chain_and_one();
        let start = Instant::now();
        assert_eq!(remaining.total(), 3);
        assert_eq!(remaining.done(), 0);
        assert_eq!(remaining.outstanding(), 3);
        assert_eq!(remaining.seconds_left(start), 30.0);
    }

    #[test]
    fn finished_operations_count_nothing() {
        let mut remaining = chain_and_one();
        let start = Instant::now();
        remaining.record(&started("A"), start);
        remaining.record(&started("C"), start);
        remaining.record(&finished("A"), at(start, 10));
        assert_eq!(remaining.done(), 1);
        assert_eq!(remaining.seconds_left(at(start, 10)), 20.0);
        remaining.record(&started("B"), at(start, 10));
        remaining.record(&finished("C"), at(start, 11));
        remaining.record(&finished("B"), at(start, 30));
        assert_eq!(remaining.done(), 3);
        assert_eq!(remaining.outstanding(), 0);
        assert_eq!(remaining.seconds_left(at(start, 30)), 0.0);
    }

    #[test]
    fn an_operation_in_flight_counts_what_is_left_of_it() {
        let mut remaining = chain_and_one();
        let start = Instant::now();
        remaining.record(&started("A"), start);
        assert_eq!(remaining.seconds_left(at(start, 4)), 26.0);
        // Running late: A counts nothing, B still counts in full.
        assert_eq!(remaining.seconds_left(at(start, 15)), 20.0);
        assert_eq!(remaining.outstanding(), 3);
    }

    #[test]
    fn still_running_reports_say_when_the_operation_started() {
        let mut remaining = chain_and_one();
        let start = Instant::now();
        // The start was not seen: the report's elapsed time places it.
        remaining.record(
            &Event::StillRunning {
                address: "A".to_owned(),
                action: Operation::Create,
                elapsed: Duration::from_secs(6),
            },
            at(start, 8),
        );
        assert_eq!(remaining.seconds_left(at(start, 8)), 24.0);
    }

    #[test]
    fn a_failure_settles_its_dependents_and_is_not_done() {
        let mut remaining = chain_and_one();
        let start = Instant::now();
        remaining.record(&started("A"), start);
        remaining.record(&started("C"), start);
        remaining.record(&failed("A"), at(start, 2));
        assert_eq!(remaining.done(), 0);
        // B will be skipped: only C's last 3 s are left.
        assert_eq!(remaining.outstanding(), 1);
        assert_eq!(remaining.seconds_left(at(start, 2)), 3.0);
        remaining.record(&finished("C"), at(start, 5));
        remaining.record(
            &Event::Skipped {
                address: "B".to_owned(),
                action: Operation::Create,
                because: "A (create) failed".to_owned(),
            },
            at(start, 5),
        );
        assert_eq!((remaining.done(), remaining.total()), (1, 3));
        assert_eq!(remaining.outstanding(), 0);
        assert_eq!(remaining.seconds_left(at(start, 5)), 0.0);
    }

    #[test]
    fn after_cancelling_only_operations_in_flight_count() {
        let mut remaining = chain_and_one();
        let start = Instant::now();
        remaining.record(&started("A"), start);
        remaining.cancel();
        assert_eq!(remaining.outstanding(), 1);
        assert_eq!(remaining.seconds_left(at(start, 3)), 7.0);
    }

    #[test]
    fn operations_are_matched_by_address_and_operation() {
        let mut graph = ActionGraph::new();
        let create = graph.add_node(node("A", Operation::CreateReplacement));
        let delete = graph.add_node(node("A", Operation::DeleteReplaced));
        graph.add_edge(create, delete, ());
        let mut remaining = Remaining::from_graph(&graph, Schedule::CriticalPath, |node| {
            if node.operation.is_delete() {
                4.0
            } else {
                10.0
            }
        });
        let start = Instant::now();
        assert_eq!(remaining.seconds_left(start), 14.0);
        let replaced = |action| Event::Finished {
            address: "A".to_owned(),
            action,
            elapsed: Duration::from_secs(1),
            physical_id: String::new(),
        };
        remaining.record(&replaced(Operation::CreateReplacement), start);
        assert_eq!(remaining.seconds_left(start), 4.0);
        // An operation the plan does not have changes nothing.
        remaining.record(&replaced(Operation::Update), start);
        remaining.record(&finished("Z"), start);
        assert_eq!(remaining.done(), 1);
        // A repeated event is counted once.
        remaining.record(&replaced(Operation::CreateReplacement), start);
        assert_eq!(remaining.done(), 1);
    }

    fn plan_of(changes: Vec<infra_plan::ResourceChange>) -> Plan {
        use infra_plan::plan::{Binding, PLAN_FORMAT_VERSION};
        Plan {
            format_version: PLAN_FORMAT_VERSION,
            binding: Binding {
                stack: "demo".to_owned(),
                lineage: None,
                serial: 0,
                template_sha256: "t".to_owned(),
                parameters_sha256: "p".to_owned(),
                template: "t.yml".to_owned(),
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

    fn create(address: &str, type_name: &str, deps: &[&str]) -> infra_plan::ResourceChange {
        infra_plan::ResourceChange {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            action: infra_plan::Action::Create,
            before: None,
            after: None,
            replace_paths: Vec::new(),
            reason: None,
            physical_id: None,
            depends_on: deps.iter().map(|d| (*d).to_owned()).collect(),
            inferred: Vec::new(),
            native_teardown: false,
            path: Default::default(),
            deletion_policy: Default::default(),
            update_replace_policy: Default::default(),
            retained_by: None,
            policies_before: None,
        }
    }

    #[test]
    fn a_plan_starts_with_its_expected_apply_time_left() {
        let plan = plan_of(vec![
            create("Nat", "AWS::EC2::NatGateway", &["Vpc"]),
            create("Route", "AWS::EC2::Route", &["Nat"]),
            create("Vpc", "AWS::EC2::VPC", &[]),
        ]);
        let state = State::new("demo");
        let model = LatencyModel::built_in();
        let remaining = Remaining::new(&plan, &state, model, Schedule::CriticalPath)
            .expect("the plan can be ordered");
        let expected = crate::estimate(&plan, &state, model).expect("the plan can be ordered");
        let start = Instant::now();
        assert_eq!(remaining.total(), 3);
        assert!(
            remaining.seconds_left(start) > 100.0,
            "the NAT gateway counts"
        );
        assert_eq!(
            remaining.seconds_left(start),
            expected.expected_apply_seconds
        );
    }

    #[test]
    fn the_stack_order_counts_under_the_stack_serial_schedule() {
        // S1.A(10) -> S2.B(1), and S1.C(30) beside A: under CloudFormation's order, S2 waits
        // for all of S1.
        let mut graph = ActionGraph::new();
        let a = graph.add_node(node("S1.A", Operation::Create));
        let b = graph.add_node(node("S2.B", Operation::Create));
        graph.add_node(node("S1.C", Operation::Create));
        graph.add_edge(a, b, ());
        let seconds = |node: &ActionNode| match node.address.as_str() {
            "S1.A" => 10.0,
            "S2.B" => 1.0,
            _ => 30.0,
        };
        let start = Instant::now();
        let walk = Remaining::from_graph(&graph, Schedule::CriticalPath, seconds);
        assert_eq!(walk.seconds_left(start), 30.0);
        let stacks = Remaining::from_graph(&graph, Schedule::StackSerial, seconds);
        assert_eq!(stacks.seconds_left(start), 31.0);
        assert_eq!(stacks.total(), 3);
    }
}
