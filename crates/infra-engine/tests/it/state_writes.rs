//! When the state cannot be saved, and when the plan cannot be ordered.

use std::time::Duration;

use infra_plan::Action;
use infra_state::{State, StateFile};
use tokio_util::sync::CancellationToken;

use crate::support::{
    Op, RunSettings, STACK, StateDir, TestResolver, calls_of, change, plan, record, run,
    standard_retries,
};
use crate::workload::{self, TYPES};

#[tokio::test(start_paused = true)]
async fn a_failed_state_write_stops_the_next_aws_call_and_the_outcome_keeps_everything() {
    // A (2 s, a route table) -> B; C (90 s, a NAT gateway) runs beside them. At 1 s another
    // writer changes the file, so every later write of this apply is refused.
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let plan = plan(
        vec![
            change("A", "AWS::EC2::RouteTable", Action::Create, &[]),
            change("B", "AWS::EC2::Route", Action::Create, &["A"]),
            change("C", "AWS::EC2::NatGateway", Action::Create, &[]),
        ],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();
    let path = dir.path();
    let intruder = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (mut other, state) = StateFile::open(&path).expect("readable");
        let mut state = state.expect("written by now");
        other.write(&mut state).expect("the other writer wins");
        state.serial
    });

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            resolver: &resolver,
            parallelism: 10,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;
    let outcome = &result.outcome;
    let intruder_serial = intruder.await.expect("intruder");

    // Both intents were saved before the intruder; nothing after it.
    assert_eq!(intruder_serial, 3);
    assert_eq!(dir.on_disk().serial, 3);
    assert!(outcome.state_error.is_some());
    // A and C were made and are in the returned state, though the file lacks them. They
    // finished (an action waits for its record to be published, not written); B, the first
    // action to need the file (its intent), fails on the write error and never calls AWS.
    assert!(outcome.state.resources.contains_key("A"));
    assert!(outcome.state.resources.contains_key("C"));
    let failed: Vec<&str> = outcome.failed.iter().map(|f| f.address.as_str()).collect();
    assert_eq!(failed, ["B"]);
    assert!(
        outcome.failed[0].error.contains("cannot save the state"),
        "{}",
        outcome.failed[0].error
    );
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
    assert!(calls_of(&fake.calls(), "B", Op::Create).is_empty());
    assert_eq!(result.seconds, 90.0);
}

#[tokio::test(start_paused = true)]
async fn a_plan_that_cannot_be_ordered_runs_nothing() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Sg".into(), record("AWS::EC2::SecurityGroup", "sg-1", &[]));
    state.resources.insert(
        "Template".into(),
        record("AWS::EC2::LaunchTemplate", "lt-1", &["Sg"]),
    );
    let plan = plan(
        vec![
            change("Log", "AWS::Logs::LogGroup", Action::Create, &[]),
            change(
                "Sg",
                "AWS::EC2::SecurityGroup",
                Action::DeleteThenCreate,
                &[],
            ),
            change(
                "Template",
                "AWS::EC2::LaunchTemplate",
                Action::CreateThenDelete,
                &["Sg"],
            ),
        ],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
    let before = state.clone();

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            resolver: &resolver,
            parallelism: 10,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;
    let outcome = &result.outcome;

    assert!(fake.calls().is_empty());
    assert_eq!(outcome.failed.len(), 4);
    assert!(
        outcome.failed[0]
            .error
            .starts_with("the plan's actions cannot be ordered")
    );
    assert_eq!(outcome.skipped, ["Log"]);
    assert_eq!(outcome.state, before);
    assert_eq!(dir.on_disk(), before);
}
