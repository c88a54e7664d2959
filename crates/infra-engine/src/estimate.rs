//! How long a plan's operations are expected to take, from the latency model
//! ([`LatencyModel`]): the walker starts the ready action with the longest remaining chain (so a
//! NAT gateway, 100 s, goes before a route table, 2 s), and a plan states its expected apply time
//! ([`estimate`]): the critical path of the planned operations, and what CloudFormation's
//! whole-stack order would take for the same operations.

use infra_plan::{Estimate, Plan};
use infra_state::State;

use crate::events::Operation;
use crate::latency::LatencyModel;
use crate::order::{ActionNode, OrderError, action_graph};
use crate::schedule::{Schedule, bound, scheduled_graph, weights};
use crate::walk::critical_path;

/// Typical seconds for `operation` on a resource of `type_name`, by the built-in model.
pub fn typical_seconds(type_name: &str, operation: Operation) -> f64 {
    LatencyModel::built_in().seconds(type_name, operation)
}

/// The expected apply time of `plan` (made from `state`) under `model`: only the planned
/// operations count, ordered as `apply` orders them.
pub fn estimate(plan: &Plan, state: &State, model: &LatencyModel) -> Result<Estimate, OrderError> {
    let actions = action_graph(plan, state)?;
    let seconds =
        |node: &ActionNode| model.seconds(&plan.changes[node.change].type_name, node.operation);
    let walked = scheduled_graph(&actions, Schedule::CriticalPath);
    let weights = weights(&actions, &walked, &seconds);
    // The action graph is acyclic (`action_graph` checked it), so neither walk can fail.
    let (expected, path) = critical_path(&walked, &weights).unwrap_or_default();
    // Without nested stacks CloudFormation's order adds nothing to the graph walk's.
    let nested = plan.changes.iter().any(|c| c.address.contains('.'));
    let stack_order = if nested {
        bound(&actions, Schedule::StackSerial, &seconds).unwrap_or(expected)
    } else {
        expected
    };
    let mut addresses: Vec<String> = Vec::new();
    for node in path {
        let address = &actions[node].address;
        if addresses.last() != Some(address) {
            addresses.push(address.clone());
        }
    }
    Ok(Estimate {
        expected_apply_seconds: expected,
        critical_path: addresses,
        stack_order_seconds: stack_order,
    })
}
