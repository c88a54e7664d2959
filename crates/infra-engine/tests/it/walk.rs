//! The generic walker, with plain integers as nodes and sleeps as work.

use std::sync::Mutex;
use std::time::Duration;

use infra_engine::{NodeOutcome, NotADag, Step, WalkOptions, WalkReport, walk};
use petgraph::graph::{DiGraph, NodeIndex};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// What a node did: its number, start and end (virtual seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    node: u32,
    start: f64,
    end: f64,
}

/// A graph of `n` nodes numbered 0.. with the edges given.
fn graph(n: u32, edges: &[(u32, u32)]) -> DiGraph<u32, ()> {
    let mut graph = DiGraph::new();
    for i in 0..n {
        graph.add_node(i);
    }
    for (a, b) in edges {
        graph.add_edge(NodeIndex::new(*a as usize), NodeIndex::new(*b as usize), ());
    }
    graph
}

/// Walks `graph`; node `i` sleeps `seconds[i]` and then returns `steps(i)`.
async fn run(
    graph: &DiGraph<u32, ()>,
    parallelism: usize,
    seconds: &[f64],
    weights: &[f64],
    cancel: &CancellationToken,
    steps: impl Fn(u32) -> Step,
) -> (Result<WalkReport, NotADag>, Vec<Span>, usize) {
    let epoch = Instant::now();
    let spans = Mutex::new(Vec::new());
    let running = Mutex::new((0_usize, 0_usize));
    let options = WalkOptions {
        parallelism,
        weights,
        free: &[],
        cancel,
    };
    let report = walk(graph, options, |index| {
        let node = graph[index];
        let seconds = seconds.get(node as usize).copied().unwrap_or(1.0);
        let step = steps(node);
        let spans = &spans;
        let running = &running;
        async move {
            {
                let mut running = running.lock().expect("running");
                running.0 += 1;
                running.1 = running.1.max(running.0);
            }
            let start = epoch.elapsed().as_secs_f64();
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
            let end = epoch.elapsed().as_secs_f64();
            running.lock().expect("running").0 -= 1;
            spans.lock().expect("spans").push(Span { node, start, end });
            step
        }
    })
    .await;
    let max = running.into_inner().expect("running").1;
    (report, spans.into_inner().expect("spans"), max)
}

fn span(spans: &[Span], node: u32) -> Span {
    *spans
        .iter()
        .find(|s| s.node == node)
        .unwrap_or_else(|| panic!("node {node} did not run: {spans:?}"))
}

fn continue_all(_: u32) -> Step {
    Step::Continue
}

#[tokio::test(start_paused = true)]
async fn a_node_starts_the_moment_its_last_predecessor_finishes() {
    // 0 -> 1 -> 3, 0 -> 2 -> 3; 1 takes 5 s, 2 takes 2 s.
    let g = graph(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]);
    let cancel = CancellationToken::new();
    let (report, spans, _) = run(&g, 10, &[1.0, 5.0, 2.0, 1.0], &[], &cancel, continue_all).await;
    let report = report.expect("a DAG");
    assert!(
        report.outcomes.iter().all(|o| *o == NodeOutcome::Done),
        "{report:?}"
    );
    assert_eq!(span(&spans, 1).start, 1.0);
    assert_eq!(span(&spans, 2).start, 1.0);
    assert_eq!(span(&spans, 3).start, 6.0);
    assert_eq!(span(&spans, 3).end, 7.0);
}

#[tokio::test(start_paused = true)]
async fn no_more_than_parallelism_nodes_run_at_once() {
    let g = graph(10, &[]);
    let cancel = CancellationToken::new();
    let (report, spans, max) = run(&g, 3, &[], &[], &cancel, continue_all).await;
    assert!(
        report
            .expect("a DAG")
            .outcomes
            .iter()
            .all(|o| *o == NodeOutcome::Done)
    );
    assert_eq!(max, 3);
    let last = spans.iter().map(|s| s.end).fold(0.0, f64::max);
    assert_eq!(last, 4.0, "ten 1 s nodes, three at a time: {spans:?}");
}

#[tokio::test(start_paused = true)]
async fn the_longest_remaining_path_starts_first() {
    // One slot. 0 is alone (1 s); 1 (1 s) leads to 2 (10 s). 1 goes first, then 2, then 0.
    let g = graph(3, &[(1, 2)]);
    let cancel = CancellationToken::new();
    let seconds = [1.0, 1.0, 10.0];
    let (_, spans, _) = run(&g, 1, &seconds, &seconds, &cancel, continue_all).await;
    let order: Vec<u32> = spans.iter().map(|s| s.node).collect();
    assert_eq!(order, [1, 2, 0]);
}

#[tokio::test(start_paused = true)]
async fn a_free_node_takes_no_slot() {
    // One slot, held by 0 for 10 s. 1 is free and starts at once beside it; 2 waits for 1 and
    // for the slot.
    let g = graph(3, &[(1, 2)]);
    let cancel = CancellationToken::new();
    let seconds = [10.0, 0.0, 1.0];
    let epoch = Instant::now();
    let spans = Mutex::new(Vec::new());
    let options = WalkOptions {
        parallelism: 1,
        weights: &seconds,
        free: &[false, true, false],
        cancel: &cancel,
    };
    let report = walk(&g, options, |index| {
        let node = g[index];
        let spans = &spans;
        async move {
            let start = epoch.elapsed().as_secs_f64();
            tokio::time::sleep(Duration::from_secs_f64(seconds[node as usize])).await;
            let end = epoch.elapsed().as_secs_f64();
            spans.lock().expect("spans").push(Span { node, start, end });
            Step::Continue
        }
    })
    .await
    .expect("a DAG");
    assert!(report.outcomes.iter().all(|o| *o == NodeOutcome::Done));
    let spans = spans.into_inner().expect("spans");
    assert_eq!(span(&spans, 0).start, 0.0);
    assert_eq!(span(&spans, 1).start, 0.0);
    assert_eq!(span(&spans, 2).start, 10.0);
}

#[tokio::test(start_paused = true)]
async fn a_node_that_only_waits_lends_its_slot() {
    // One slot. 0 works 1 s, waits 100 s (as a NAT gateway's create polls), then works 1 s
    // more; 1, 2 and 3 work 10 s each. The others run while 0 waits, one at a time; 0 takes
    // a slot back after its wait, in turn.
    let g = graph(4, &[]);
    let cancel = CancellationToken::new();
    let weights = [102.0, 10.0, 10.0, 10.0];
    let epoch = Instant::now();
    let spans = Mutex::new(Vec::new());
    let working = Mutex::new((0_usize, 0_usize));
    let options = WalkOptions {
        parallelism: 1,
        weights: &weights,
        free: &[],
        cancel: &cancel,
    };
    let work = |seconds: f64| {
        let working = &working;
        async move {
            {
                let mut w = working.lock().expect("working");
                w.0 += 1;
                w.1 = w.1.max(w.0);
            }
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
            working.lock().expect("working").0 -= 1;
        }
    };
    let report = walk(&g, options, |index| {
        let node = g[index];
        let spans = &spans;
        async move {
            let start = epoch.elapsed().as_secs_f64();
            if node == 0 {
                work(1.0).await;
                infra_provider::slot::pause(Duration::from_secs(100)).await;
                work(1.0).await;
            } else {
                work(10.0).await;
            }
            let end = epoch.elapsed().as_secs_f64();
            spans.lock().expect("spans").push(Span { node, start, end });
            Step::Continue
        }
    })
    .await
    .expect("a DAG");
    assert!(report.outcomes.iter().all(|o| *o == NodeOutcome::Done));
    let spans = spans.into_inner().expect("spans");
    assert_eq!(span(&spans, 0).start, 0.0);
    // The others ran in the lent slot, one after another, during the wait.
    assert_eq!(span(&spans, 1).start, 1.0);
    assert_eq!(span(&spans, 2).start, 11.0);
    assert_eq!(span(&spans, 3).start, 21.0);
    assert_eq!(span(&spans, 3).end, 31.0);
    // 0 got its slot back when its wait ended: 1 s of work after 101 s.
    assert_eq!(span(&spans, 0).end, 102.0);
    // Never more than one at work.
    assert_eq!(working.into_inner().expect("working").1, 1);
}

#[tokio::test(start_paused = true)]
async fn equal_paths_start_in_node_order() {
    let g = graph(3, &[]);
    let cancel = CancellationToken::new();
    let (_, spans, _) = run(&g, 1, &[], &[], &cancel, continue_all).await;
    let order: Vec<u32> = spans.iter().map(|s| s.node).collect();
    assert_eq!(order, [0, 1, 2]);
}

#[tokio::test(start_paused = true)]
async fn a_failure_skips_its_dependents_and_independent_branches_go_on() {
    // 0 -> 1 -> 2 -> 3 and 1 -> 4; 5 -> 6 is independent. 1 fails.
    let g = graph(7, &[(0, 1), (1, 2), (2, 3), (1, 4), (5, 6)]);
    let cancel = CancellationToken::new();
    let steps = |n| if n == 1 { Step::Failed } else { Step::Continue };
    let (report, spans, _) = run(&g, 10, &[], &[], &cancel, steps).await;
    let report = report.expect("a DAG");
    let skipped = NodeOutcome::Skipped {
        because: NodeIndex::new(1),
    };
    assert_eq!(
        report.outcomes,
        [
            NodeOutcome::Done,
            NodeOutcome::Failed,
            skipped,
            skipped,
            skipped,
            NodeOutcome::Done,
            NodeOutcome::Done,
        ]
    );
    assert!(!report.cancelled && !report.halted);
    let ran: Vec<u32> = spans.iter().map(|s| s.node).collect();
    assert!(
        !ran.contains(&2) && !ran.contains(&3) && !ran.contains(&4),
        "{ran:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn cancellation_lets_running_nodes_finish_and_starts_nothing_new() {
    // 0 (10 s) -> 1, and 2 (1 s) -> 3 (1 s) -> 4 (1 s). Cancelled at 1.5 s, while 0 and 3 run.
    let g = graph(5, &[(0, 1), (2, 3), (3, 4)]);
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        canceller.cancel();
    });
    let seconds = [10.0, 1.0, 1.0, 1.0, 1.0];
    let (report, spans, _) = run(&g, 10, &seconds, &[], &cancel, continue_all).await;
    let report = report.expect("a DAG");
    assert!(report.cancelled);
    assert_eq!(
        report.outcomes,
        [
            NodeOutcome::Done,
            NodeOutcome::NotStarted,
            NodeOutcome::Done,
            NodeOutcome::Done,
            NodeOutcome::NotStarted,
        ]
    );
    assert_eq!(span(&spans, 0).end, 10.0, "the running node finished");
    assert!(spans.iter().all(|s| s.start <= 1.5), "{spans:?}");
}

#[tokio::test(start_paused = true)]
async fn a_halt_stops_scheduling_like_a_cancellation() {
    // 0 (1 s, halts); 1 (5 s) runs beside it; 2 waits for 1.
    let g = graph(3, &[(1, 2)]);
    let cancel = CancellationToken::new();
    let steps = |n| if n == 0 { Step::Halt } else { Step::Continue };
    let (report, _, _) = run(&g, 10, &[1.0, 5.0, 1.0], &[], &cancel, steps).await;
    let report = report.expect("a DAG");
    assert!(report.halted && !report.cancelled);
    assert_eq!(
        report.outcomes,
        [
            NodeOutcome::Failed,
            NodeOutcome::Done,
            NodeOutcome::NotStarted
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_cycle_is_refused_before_anything_runs() {
    let g = graph(3, &[(0, 1), (1, 2), (2, 1)]);
    let cancel = CancellationToken::new();
    let (report, spans, _) = run(&g, 10, &[], &[], &cancel, continue_all).await;
    assert!(report.is_err());
    assert!(spans.is_empty());
}
