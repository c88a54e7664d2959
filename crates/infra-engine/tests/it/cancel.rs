//! Cancellation (the first Ctrl-C) in the middle of an apply.

use std::time::Duration;

use infra_engine::Event;
use tokio_util::sync::CancellationToken;

use crate::support::{Op, RunSettings, StateDir, TestResolver, run, standard_retries};
use crate::workload::{self, RESOURCES, TYPES};

#[tokio::test(start_paused = true)]
async fn running_operations_finish_nothing_new_starts_and_the_state_holds_them_all() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let plan = workload::create_plan();
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();

    // Cancel at 50 s: the NAT gateways, the load balancer and the instance profile are running.
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(50)).await;
        canceller.cancel();
    });

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            resolver: &resolver,
            parallelism: 10,
            cancel,
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;
    let outcome = &result.outcome;
    let calls = fake.calls();

    assert!(outcome.cancelled);
    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert!(
        calls.iter().all(|c| c.start <= 50.0),
        "nothing starts after 50 s"
    );
    let load_balancer = calls
        .iter()
        .find(|c| c.address == "ServiceStack.PublicLoadBalancer")
        .expect("started before the cancellation");
    assert!(
        load_balancer.ok && load_balancer.end > 50.0,
        "it ran to the end"
    );
    assert_eq!(result.seconds, load_balancer.end, "the apply waited for it");

    // Every create that ran is recorded, every other resource skipped, no intent left behind
    // (an intent would only stay for a call whose outcome is unknown).
    let created: Vec<&str> = calls
        .iter()
        .filter(|c| c.op == Op::Create && c.ok)
        .map(|c| c.address.as_str())
        .collect();
    assert_eq!(outcome.state.resources.len(), created.len());
    for address in &created {
        assert!(outcome.state.resources.contains_key(*address), "{address}");
    }
    assert_eq!(outcome.added, created.len());
    assert_eq!(outcome.skipped.len(), RESOURCES.len() - created.len());
    assert!(
        outcome.state.pending.is_empty(),
        "{:?}",
        outcome.state.pending
    );
    assert_eq!(dir.on_disk(), outcome.state);
    assert!(result.events.iter().any(|e| matches!(
        e,
        Event::Skipped { because, .. } if because == "the apply was cancelled"
    )));
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_apply_makes_no_new_retry_attempt() {
    let fake = workload::fake();
    fake.fail(
        "ClusterStack.ECSCluster",
        Op::Create,
        vec![crate::support::error(infra_provider::FailureClass::Retryable, "throttled"); 3],
    );
    let providers = fake.providers(TYPES);
    let plan = crate::support::plan(
        vec![crate::support::change(
            "ClusterStack.ECSCluster",
            "AWS::ECS::Cluster",
            infra_plan::Action::Create,
            &[],
        )],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        // The first attempt ends at 2 s and waits 1 s; the second ends at 5 s and waits 2 s.
        tokio::time::sleep(Duration::from_secs(6)).await;
        canceller.cancel();
    });

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            resolver: &resolver,
            parallelism: 10,
            cancel,
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;

    assert_eq!(fake.calls().len(), 2);
    assert_eq!(result.seconds, 6.0);
    let failure = &result.outcome.failed[0];
    assert_eq!(
        failure.error,
        "throttled (not retried: the apply was cancelled)"
    );
    // The create's outcome is not known to be nothing: its intent stays.
    assert_eq!(result.outcome.state.pending.len(), 1);
}
