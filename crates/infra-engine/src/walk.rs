//! A walker for directed acyclic graphs that knows nothing about resources.
//!
//! An edge `a -> b` means "`a` must finish before `b` starts". [`walk`] calls an async callback
//! once per node, starting each node the moment all its predecessors have finished with
//! [`Step::Continue`], with at most [`WalkOptions::parallelism`] callbacks running at once.
//! Among the nodes that are ready, the one with the longest remaining path (the largest sum of
//! [`WalkOptions::weights`] along any path from it to a sink) starts first, so the long chains
//! that decide the wall time are never kept waiting by short side branches.
//!
//! A node whose callback returns [`Step::Failed`] makes its transitive dependents
//! [`NodeOutcome::Skipped`] ("upstream failed"); independent branches go on. Cancelling
//! [`WalkOptions::cancel`] (or a callback returning [`Step::Halt`]) stops the walk from starting
//! anything new; callbacks already running are awaited to the end, never dropped.
//!
//! A node marked in [`WalkOptions::free`] does no work of its own (a barrier that only joins
//! edges, say): it starts the moment it is ready and takes no slot, so a barrier never waits
//! behind long operations for a slot it does not need.
//!
//! The callbacks all run inside the walker's own future (polled together, like
//! `buffer_unordered`), so they may borrow from the caller; nothing is spawned.
//!
//! Each callback runs inside an [`infra_provider::slot::Slot`] scope holding its slot: a callback
//! that only waits (`infra_provider::slot::pause`) lends it, and the walker starts the next ready
//! node with it.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use infra_provider::slot::Slot;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

/// What a node's callback tells the walker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The node succeeded: its dependents may start once their other predecessors are done.
    Continue,
    /// The node failed: its transitive dependents are skipped; independent nodes go on.
    Failed,
    /// The node failed and nothing new may start, as after cancellation; its dependents are
    /// skipped and callbacks already running finish.
    Halt,
}

/// What became of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeOutcome {
    /// Its callback returned [`Step::Continue`].
    Done,
    /// Its callback returned [`Step::Failed`] or [`Step::Halt`].
    Failed,
    /// Not started because `because`, one of its ancestors, failed.
    Skipped {
        /// The failed ancestor.
        because: NodeIndex,
    },
    /// Not started because the walk was cancelled or halted first.
    NotStarted,
}

/// How to walk.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions<'a> {
    /// The most callbacks running at once (0 counts as 1).
    pub parallelism: usize,
    /// Estimated cost of each node (seconds, say), indexed by `NodeIndex::index()`. Nodes past
    /// the end of the slice weigh 1, so `&[]` treats every node alike.
    pub weights: &'a [f64],
    /// Nodes that take no slot, indexed by `NodeIndex::index()`; nodes past the end of the
    /// slice take one, so `&[]` limits every node.
    pub free: &'a [bool],
    /// Once cancelled, no node starts; running callbacks finish.
    pub cancel: &'a CancellationToken,
}

/// What the walk did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkReport {
    /// One outcome per node, indexed by `NodeIndex::index()`.
    pub outcomes: Vec<NodeOutcome>,
    /// The cancellation was seen before the walk ended; nodes not started by then are
    /// [`NodeOutcome::NotStarted`].
    pub cancelled: bool,
    /// A callback returned [`Step::Halt`].
    pub halted: bool,
}

/// The graph given to [`walk`] has a cycle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the graph is not acyclic: node {} is on a cycle", node.index())]
pub struct NotADag {
    /// A node on the cycle.
    pub node: NodeIndex,
}

/// Walks `graph`, calling `visit` once per node in dependency order (see the module comment).
///
/// Returns only when every started callback has finished. Fails, before calling anything,
/// when the graph has a cycle.
pub async fn walk<N, F, Fut>(
    graph: &DiGraph<N, ()>,
    options: WalkOptions<'_>,
    mut visit: F,
) -> Result<WalkReport, NotADag>
where
    F: FnMut(NodeIndex) -> Fut,
    Fut: Future<Output = Step>,
{
    let priorities = remaining_path_lengths(graph, options.weights)?;
    let mut waiting_for: Vec<usize> = graph
        .node_indices()
        .map(|node| graph.edges_directed(node, Direction::Incoming).count())
        .collect();
    let mut outcomes: Vec<Option<NodeOutcome>> = vec![None; graph.node_count()];
    let is_free = |node: NodeIndex| options.free.get(node.index()).copied().unwrap_or(false);
    let mut ready: BinaryHeap<Ready> = BinaryHeap::new();
    let mut free_ready: Vec<NodeIndex> = Vec::new();
    for node in graph.node_indices() {
        if waiting_for[node.index()] == 0 {
            if is_free(node) {
                free_ready.push(node);
            } else {
                ready.push(Ready::new(node, &priorities));
            }
        }
    }

    // The concurrency limit: one permit per running callback, taken when it starts and given
    // back the moment it returns, or lent while the callback only waits (`infra_provider::slot`).
    // This is exactly what `parallelism` counts: callbacks at work.
    let limit = Arc::new(Semaphore::new(options.parallelism.max(1)));
    let mut in_flight = Vec::new();
    let mut cancelled = false;
    let mut halted = false;

    loop {
        if !cancelled && !halted && options.cancel.is_cancelled() {
            cancelled = true;
        }
        // Start what is ready, until the limit or the ready lists run out.
        if !cancelled && !halted {
            loop {
                let (node, permit) = if let Some(node) = free_ready.pop() {
                    (node, None)
                } else if ready.is_empty() {
                    break;
                } else {
                    let Ok(permit) = Arc::clone(&limit).try_acquire_owned() else {
                        break;
                    };
                    let Some(Ready { node, .. }) = ready.pop() else {
                        break;
                    };
                    (node, Some(permit))
                };
                let slot = Slot::new(Arc::clone(&limit), permit);
                in_flight.push(Box::pin(running(node, slot, visit(node))));
            }
        }
        if in_flight.is_empty() {
            break;
        }
        let (node, step) = if cancelled || halted {
            next_finished(&mut in_flight).await
        } else {
            tokio::select! {
                // In this order: a finished callback first, so that its dependents are ready
                // before a free slot picks the next node by priority.
                biased;
                finished = next_finished(&mut in_flight) => finished,
                () = options.cancel.cancelled() => {
                    cancelled = true;
                    continue;
                }
                // A slot lent by a waiting callback: start the next ready node with it.
                permit = Arc::clone(&limit).acquire_owned(), if !ready.is_empty() => {
                    if let (Ok(permit), Some(Ready { node, .. })) = (permit, ready.pop()) {
                        let slot = Slot::new(Arc::clone(&limit), Some(permit));
                        in_flight.push(Box::pin(running(node, slot, visit(node))));
                    }
                    continue;
                }
            }
        };
        match step {
            Step::Continue => {
                outcomes[node.index()] = Some(NodeOutcome::Done);
                for next in graph.neighbors_directed(node, Direction::Outgoing) {
                    let count = &mut waiting_for[next.index()];
                    *count -= 1;
                    if *count == 0 && outcomes[next.index()].is_none() {
                        if is_free(next) {
                            free_ready.push(next);
                        } else {
                            ready.push(Ready::new(next, &priorities));
                        }
                    }
                }
            }
            Step::Failed | Step::Halt => {
                outcomes[node.index()] = Some(NodeOutcome::Failed);
                skip_dependents(graph, node, &mut outcomes);
                halted |= step == Step::Halt;
            }
        }
    }

    Ok(WalkReport {
        outcomes: outcomes
            .into_iter()
            .map(|outcome| outcome.unwrap_or(NodeOutcome::NotStarted))
            .collect(),
        cancelled,
        halted,
    })
}

/// A node's callback, run with its slot.
async fn running<Fut: Future<Output = Step>>(
    node: NodeIndex,
    slot: Slot,
    callback: Fut,
) -> (NodeIndex, Step) {
    (node, slot.scope(callback).await)
}

/// The heaviest path of `graph`: the largest sum of `weights` (as in [`WalkOptions::weights`])
/// along any path. With unlimited parallelism and every node taking exactly its weight, no
/// walk can finish sooner, and [`walk`] finishes exactly then.
pub fn longest_path<N>(graph: &DiGraph<N, ()>, weights: &[f64]) -> Result<f64, NotADag> {
    Ok(remaining_path_lengths(graph, weights)?
        .into_iter()
        .fold(0.0, f64::max))
}

/// The heaviest chain through `graph` and its nodes in order: [`longest_path`]'s figure and the
/// path that sets it (among equals, the lowest node index at each step).
pub fn critical_path<N>(
    graph: &DiGraph<N, ()>,
    weights: &[f64],
) -> Result<(f64, Vec<NodeIndex>), NotADag> {
    let lengths = remaining_path_lengths(graph, weights)?;
    let heaviest = |nodes: &mut dyn Iterator<Item = NodeIndex>| {
        nodes.fold(None::<NodeIndex>, |best, node| match best {
            Some(b)
                if lengths[b.index()] > lengths[node.index()]
                    || (lengths[b.index()] == lengths[node.index()] && b < node) =>
            {
                Some(b)
            }
            _ => Some(node),
        })
    };
    let Some(mut node) = heaviest(&mut graph.node_indices()) else {
        return Ok((0.0, Vec::new()));
    };
    let total = lengths[node.index()];
    let mut path = vec![node];
    while let Some(next) = heaviest(&mut graph.neighbors_directed(node, Direction::Outgoing)) {
        path.push(next);
        node = next;
    }
    Ok((total, path))
}

/// For each node, its weight plus the heaviest path through its successors.
fn remaining_path_lengths<N>(graph: &DiGraph<N, ()>, weights: &[f64]) -> Result<Vec<f64>, NotADag> {
    let order = petgraph::algo::toposort(graph, None).map_err(|cycle| NotADag {
        node: cycle.node_id(),
    })?;
    let mut lengths = vec![0.0_f64; graph.node_count()];
    for node in order.into_iter().rev() {
        let own = weights.get(node.index()).copied().unwrap_or(1.0);
        let longest_after = graph
            .neighbors_directed(node, Direction::Outgoing)
            .map(|next| lengths[next.index()])
            .fold(0.0_f64, f64::max);
        lengths[node.index()] = own + longest_after;
    }
    Ok(lengths)
}

/// Marks every not-yet-decided descendant of `failed` as skipped because of it.
fn skip_dependents<N>(
    graph: &DiGraph<N, ()>,
    failed: NodeIndex,
    outcomes: &mut [Option<NodeOutcome>],
) {
    let mut stack: Vec<NodeIndex> = graph
        .neighbors_directed(failed, Direction::Outgoing)
        .collect();
    while let Some(node) = stack.pop() {
        if outcomes[node.index()].is_some() {
            continue;
        }
        outcomes[node.index()] = Some(NodeOutcome::Skipped { because: failed });
        stack.extend(graph.neighbors_directed(node, Direction::Outgoing));
    }
}

/// Waits for the first of the running callbacks to finish and removes it from the set.
/// Must not be called with an empty set (it would never return).
async fn next_finished<F: Future>(in_flight: &mut Vec<Pin<Box<F>>>) -> F::Output {
    poll_fn(|cx| {
        for index in 0..in_flight.len() {
            if let Poll::Ready(output) = in_flight[index].as_mut().poll(cx) {
                drop(in_flight.swap_remove(index));
                return Poll::Ready(output);
            }
        }
        Poll::Pending
    })
    .await
}

/// A node ready to start, ordered by its remaining path length, then by lower index.
#[derive(Debug, Clone, Copy)]
struct Ready {
    priority: f64,
    node: NodeIndex,
}

impl Ready {
    fn new(node: NodeIndex, priorities: &[f64]) -> Ready {
        Ready {
            priority: priorities[node.index()],
            node,
        }
    }
}

impl Ord for Ready {
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority
            .total_cmp(&other.priority)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ready {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ready {}
