//! Retries by error class, in virtual time.

use std::time::Duration;

use infra_engine::{Event, RetryPolicy};
use infra_plan::Action;
use infra_provider::FailureClass;
use infra_state::State;
use tokio_util::sync::CancellationToken;

use crate::support::{
    Op, RunSettings, STACK, StateDir, TestResolver, calls_of, change, destroy_plan, error, plan,
    record, run, standard_retries,
};
use crate::workload::{self, TYPES};

fn retries(events: &[Event]) -> Vec<(u32, f64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Retrying { attempt, delay, .. } => Some((*attempt, delay.as_secs_f64())),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn eventual_consistency_is_retried_with_backoff_until_it_works() {
    let fake = workload::fake();
    // The launch template cannot use the new instance profile at first.
    fake.fail(
        "Template",
        Op::Create,
        vec![
            error(
                FailureClass::EventuallyConsistent,
                "Invalid IAM Instance Profile name"
            );
            3
        ],
    );
    let providers = fake.providers(TYPES);
    let plan = plan(
        vec![
            change("Profile", "AWS::IAM::InstanceProfile", Action::Create, &[]),
            change(
                "Template",
                "AWS::EC2::LaunchTemplate",
                Action::Create,
                &["Profile"],
            ),
        ],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();

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

    assert!(
        result.outcome.failed.is_empty(),
        "{:#?}",
        result.outcome.failed
    );
    assert!(result.outcome.state.resources.contains_key("Template"));
    assert_eq!(retries(&result.events), [(1, 1.0), (2, 2.0), (3, 4.0)]);
    assert_eq!(calls_of(&fake.calls(), "Template", Op::Create).len(), 4);
    // Profile 30 s, then four 2 s attempts with 1 + 2 + 4 s between them.
    assert_eq!(result.seconds, 30.0 + 4.0 * 2.0 + 7.0);
    // One intent for all the attempts.
    assert_eq!(result.outcome.state.serial, 4);
}

#[tokio::test(start_paused = true)]
async fn retries_stop_when_the_budget_is_spent() {
    let fake = workload::fake();
    fake.fail(
        "Role",
        Op::Create,
        vec![error(FailureClass::EventuallyConsistent, "role not usable yet"); 100],
    );
    let providers = fake.providers(TYPES);
    let plan = plan(
        vec![change("Role", "AWS::IAM::Role", Action::Create, &[])],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();
    let retry = RetryPolicy {
        eventual_consistency: Duration::from_secs(60),
        ..RetryPolicy::standard()
    };

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            resolver: &resolver,
            parallelism: 10,
            cancel: CancellationToken::new(),
            retry,
            latency: &workload::estimate,
        },
    )
    .await;

    let failure = &result.outcome.failed[0];
    assert!(
        failure
            .error
            .starts_with("role not usable yet (still failing after"),
        "{}",
        failure.error
    );
    // Attempts take 12 s. After the first failure (at 12 s) the waits are 1, 2, 4 and 8 s; the
    // fifth failure comes 63 s after the first, with no budget left for another wait.
    assert_eq!(calls_of(&fake.calls(), "Role", Op::Create).len(), 5);
    assert_eq!(result.seconds, 75.0);
}

#[tokio::test(start_paused = true)]
async fn dependency_violation_on_delete_is_retried_while_dependents_drain() {
    let fake = workload::fake();
    fake.fail(
        "Sg",
        Op::Delete,
        vec![
            error(
                FailureClass::DependencyViolation,
                "sg-1 has a dependent object"
            );
            5
        ],
    );
    let providers = fake.providers(TYPES);
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Vpc".into(), record("AWS::EC2::VPC", "vpc-1", &[]));
    state.resources.insert(
        "Sg".into(),
        record("AWS::EC2::SecurityGroup", "sg-1", &["Vpc"]),
    );
    let plan = destroy_plan(&state);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
    fake.seed(&state);

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            resolver: &crate::support::NoTemplate,
            parallelism: 10,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;

    assert!(
        result.outcome.failed.is_empty(),
        "{:#?}",
        result.outcome.failed
    );
    assert_eq!(result.outcome.destroyed, 2);
    assert!(result.outcome.state.resources.is_empty());
    assert_eq!(retries(&result.events).len(), 5);
    assert!(fake.live().is_empty());
}

#[tokio::test(start_paused = true)]
async fn dependency_violation_is_not_retried_outside_deletes() {
    let fake = workload::fake();
    fake.fail(
        "Sg",
        Op::Create,
        vec![error(FailureClass::DependencyViolation, "odd")],
    );
    let providers = fake.providers(TYPES);
    let plan = plan(
        vec![change("Sg", "AWS::EC2::SecurityGroup", Action::Create, &[])],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();

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

    assert_eq!(result.outcome.failed.len(), 1);
    assert!(retries(&result.events).is_empty());
}
