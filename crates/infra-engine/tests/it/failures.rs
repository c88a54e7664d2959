//! A failing operation: its dependents are skipped, the rest goes on, and everything that
//! finished is recorded.

use infra_engine::{ActionFailure, Event, Operation};
use infra_state::IntentAction;
use tokio_util::sync::CancellationToken;

use crate::support::{
    Op, RunSettings, StateDir, TestResolver, calls_of, fatal, run, standard_retries,
};
use crate::workload::{self, RESOURCES, TYPES};

#[tokio::test(start_paused = true)]
async fn a_failed_create_skips_its_dependents_and_independent_branches_complete() {
    let fake = workload::fake();
    fake.fail(
        "VpcStack.NatGatewayOne",
        Op::Create,
        vec![fatal("CreateNatGateway: the EIP is already associated")],
    );
    let providers = fake.providers(TYPES);
    let plan = workload::create_plan();
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
    let outcome = &result.outcome;

    assert_eq!(
        outcome.failed,
        [ActionFailure {
            address: "VpcStack.NatGatewayOne".into(),
            action: Operation::Create,
            error: "CreateNatGateway: the EIP is already associated".into(),
        }]
    );
    assert_eq!(outcome.skipped, ["VpcStack.PrivateRouteOne"]);
    assert!(!outcome.cancelled);
    assert_eq!(outcome.added, 37);

    // The skipped route was never resolved nor created; the service stack, which does not need
    // the NAT gateway, was.
    assert!(
        !resolver
            .asked()
            .contains(&"VpcStack.PrivateRouteOne".to_owned())
    );
    let calls = fake.calls();
    assert!(calls_of(&calls, "VpcStack.PrivateRouteOne", Op::Create).is_empty());
    assert!(outcome.state.resources.contains_key("ServiceStack.Service"));
    assert!(
        outcome
            .state
            .resources
            .contains_key("VpcStack.NatGatewayTwo")
    );

    // Every finished create is recorded; the failed one is not, but its intent stays for the
    // next run to look up.
    for (address, ..) in RESOURCES {
        let finished = calls_of(&calls, address, Op::Create).iter().any(|c| c.ok);
        assert_eq!(
            outcome.state.resources.contains_key(*address),
            finished,
            "{address}"
        );
    }
    assert_eq!(outcome.state.pending.len(), 1);
    let intent = &outcome.state.pending[0];
    assert_eq!(intent.address, "VpcStack.NatGatewayOne");
    assert_eq!(intent.action, IntentAction::Create);
    assert_eq!(dir.on_disk(), outcome.state);

    assert!(result.events.contains(&Event::Skipped {
        address: "VpcStack.PrivateRouteOne".into(),
        action: Operation::Create,
        because: "VpcStack.NatGatewayOne (create) failed".into(),
    }));
    assert!(result.events.iter().any(|e| matches!(
        e,
        Event::Failed { address, .. } if address == "VpcStack.NatGatewayOne"
    )));
}

#[tokio::test(start_paused = true)]
async fn a_missing_provider_or_unresolvable_properties_fail_the_node_only() {
    let fake = workload::fake();
    // No provider for log groups.
    let types: Vec<&'static str> = TYPES
        .iter()
        .copied()
        .filter(|t| *t != "AWS::Logs::LogGroup")
        .collect();
    let providers = fake.providers(&types);
    let plan = workload::create_plan();
    let mut resolver = TestResolver::for_plan(&plan);
    // The listener's properties name something that is not there.
    resolver
        .depends_on
        .get_mut("ServiceStack.PublicLoadBalancerListener")
        .expect("listener")
        .push("Nowhere.Thing".into());
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
    let outcome = &result.outcome;

    let failed: Vec<(&str, &str)> = outcome
        .failed
        .iter()
        .map(|f| (f.address.as_str(), f.error.as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            (
                "ServiceStack.LogGroup",
                "no provider for type AWS::Logs::LogGroup on the native path"
            ),
            (
                "ServiceStack.PublicLoadBalancerListener",
                "cannot resolve its properties: Nowhere.Thing is not in the state yet"
            ),
        ]
    );
    assert_eq!(
        outcome.skipped,
        ["ServiceStack.Service", "ServiceStack.TaskDefinition"]
    );
    // Nothing was asked of AWS for them, so no intent is left.
    assert!(outcome.state.pending.is_empty());
    assert_eq!(outcome.state.resources.len(), 39 - 4);
}
