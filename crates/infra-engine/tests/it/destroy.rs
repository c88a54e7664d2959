//! Destroy: the apply of a destroy plan, made from the state alone.

use infra_engine::Operation;
use infra_provider::FailureClass;
use infra_state::State;
use tokio_util::sync::CancellationToken;

use crate::support::{
    NoTemplate, Op, RunSettings, STACK, StateDir, destroy_plan, error, record, run,
    standard_retries, the_call,
};
use crate::workload::{self, RESOURCES, TYPES};

/// The state a full apply of the workload leaves.
fn deployed() -> State {
    let mut state = State::new(STACK);
    for (index, (address, type_name, deps)) in RESOURCES.iter().enumerate() {
        state.resources.insert(
            (*address).to_owned(),
            record(type_name, &format!("id-{index}"), deps),
        );
    }
    state
}

#[tokio::test(start_paused = true)]
async fn destroy_deletes_everything_in_reverse_order_without_a_template() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let state = deployed();
    let plan = destroy_plan(&state);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
    fake.seed(&state);
    fake.check_state_file(&dir.path());

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            // Panics if asked: a destroy needs no template.
            resolver: &NoTemplate,
            parallelism: 10,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;
    let outcome = &result.outcome;

    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert_eq!(outcome.destroyed, 39);
    assert!(outcome.state.resources.is_empty());
    assert!(outcome.state.pending.is_empty());
    assert!(fake.live().is_empty());
    assert_eq!(fake.problems(), Vec::<String>::new());
    assert_eq!(dir.on_disk(), outcome.state);
    // Written once before, then at most an intent and a result per delete (changes that
    // queue while a write runs share the next one).
    assert!(
        (2..=1 + 2 * 39).contains(&outcome.state.serial),
        "{}",
        outcome.state.serial
    );

    // Each resource is deleted only after everything that depends on it.
    let calls = fake.calls();
    for (address, _, deps) in RESOURCES {
        let deleted = the_call(&calls, address, Op::Delete);
        for dependency in *deps {
            let later = the_call(&calls, dependency, Op::Delete);
            assert!(deleted.end <= later.start, "{address} before {dependency}");
        }
    }
    assert!(result.events.iter().all(|e| match e {
        infra_engine::Event::Started { action, .. } => *action == Operation::Delete,
        _ => true,
    }));

    // The native teardown that replaces `Custom::AsgDestroyer`, step by step: the service is
    // gone before its capacity provider's association, which is gone before the capacity
    // provider, which is gone before the Auto Scaling group (force-deleted), which is gone
    // before the cluster, the launch template and the instance role.
    let steps = [
        "ServiceStack.Service",
        "ClusterStack.CapacityProviderAssociation",
        "ClusterStack.CapacityProvider",
        "ClusterStack.ECSAutoScalingGroup",
    ];
    for pair in steps.windows(2) {
        let first = the_call(&calls, pair[0], Op::Delete);
        let second = the_call(&calls, pair[1], Op::Delete);
        assert!(
            first.end <= second.start,
            "{} must be deleted before {}",
            pair[0],
            pair[1]
        );
    }
    let asg = the_call(&calls, "ClusterStack.ECSAutoScalingGroup", Op::Delete);
    for after in [
        "ClusterStack.ECSCluster",
        "ClusterStack.ContainerInstances",
        "ClusterStack.EC2Role",
    ] {
        assert!(
            asg.end <= the_call(&calls, after, Op::Delete).start,
            "the group before {after}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn deleting_something_already_gone_succeeds() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Vpc".into(), record("AWS::EC2::VPC", "vpc-1", &[]));
    state
        .resources
        .insert("Gone".into(), record("AWS::Logs::LogGroup", "lg-1", &[]));
    let plan = destroy_plan(&state);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
    // Only the VPC exists: the log group was deleted outside infra.
    let mut only_vpc = state.clone();
    only_vpc.resources.remove("Gone");
    fake.seed(&only_vpc);
    fake.fail(
        "Vpc",
        Op::Delete,
        vec![error(FailureClass::Retryable, "RequestLimitExceeded")],
    );

    let result = run(
        &plan,
        file,
        state,
        RunSettings {
            providers: &providers,
            resolver: &NoTemplate,
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
    assert!(result.outcome.state.pending.is_empty());
}
