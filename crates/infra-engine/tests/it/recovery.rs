//! Resolving the intents an interrupted run left: adoption, dropped intents, finished and
//! unfinished deletes, and the deposed object of a replacement, deleted after its dependents
//! moved to the new object.

use std::collections::BTreeMap;

use infra_engine::recover;
use infra_plan::Action;
use infra_plan::plan::{Outcome, apply_recovery};
use infra_provider::CreateInput;
use infra_state::{Intent, IntentAction, State};
use tokio_util::sync::CancellationToken;

use crate::support::{
    Op, RunSettings, STACK, StateDir, TestResolver, change, plan, record, run, standard_retries,
    the_call,
};
use crate::workload;

const SUBNET: &str = "AWS::EC2::Subnet";
const TG: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";

fn intent(address: &str, action: IntentAction, type_name: &str, id: Option<&str>) -> Intent {
    let mut intent = Intent::new(address, action, type_name);
    intent.physical_id = id.map(str::to_owned);
    intent.properties = Some(serde_json::json!({"CidrBlock": "10.0.1.0/24"}));
    intent.dependencies = vec!["VPC".to_owned()];
    intent
}

/// Makes an object for `address` in the fake cloud, as a create whose result was never
/// recorded; returns its physical id.
async fn made_but_not_recorded(
    providers: &infra_provider::Providers,
    address: &str,
    type_name: &str,
) -> String {
    let provider = providers.get(type_name).expect("provider");
    let input = CreateInput {
        address: address.to_owned(),
        type_name: type_name.to_owned(),
        properties: serde_json::json!({}),
        tags: BTreeMap::new(),
        generated_name: None,
        checkpoint: Default::default(),
    };
    provider.create(&input).await.expect("create").physical_id
}

#[tokio::test(start_paused = true)]
async fn every_kind_of_intent_is_resolved_from_what_exists() {
    let fake = workload::fake();
    let providers = fake.providers(&[SUBNET]);
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Gone".into(), record(SUBNET, "subnet-gone", &[]));
    state
        .resources
        .insert("Kept".into(), record(SUBNET, "subnet-kept", &[]));
    fake.seed(&state);
    let made = made_but_not_recorded(&providers, "Made", SUBNET).await;
    // The interrupted run deleted `subnet-gone` but did not record it.
    fake.forget("subnet-gone");
    state.pending = vec![
        intent("Made", IntentAction::Create, SUBNET, None),
        intent("Never", IntentAction::Create, SUBNET, None),
        intent("Gone", IntentAction::Delete, SUBNET, Some("subnet-gone")),
        intent("Kept", IntentAction::Delete, SUBNET, Some("subnet-kept")),
    ];

    let recovered = recover(&state, &providers).await.expect("resolved");

    let outcomes: Vec<(&str, &Outcome)> = recovered
        .iter()
        .map(|r| (r.address.as_str(), &r.outcome))
        .collect();
    assert_eq!(outcomes.len(), 4, "{outcomes:#?}");
    match outcomes[0] {
        ("Made", Outcome::Adopted { record, found_by }) => {
            assert_eq!(record.physical_id, made);
            assert_eq!(record.dependencies, vec!["VPC".to_owned()]);
            assert_eq!(record.properties["CidrBlock"], "10.0.1.0/24");
            assert!(!found_by.is_empty());
        }
        other => panic!("Made: {other:?}"),
    }
    assert!(matches!(outcomes[1], ("Never", Outcome::NothingMade)));
    assert!(matches!(outcomes[2], ("Gone", Outcome::Deleted { .. })));
    assert!(matches!(outcomes[3], ("Kept", Outcome::StillExists { .. })));

    apply_recovery(&mut state, &recovered);
    assert!(state.pending.is_empty(), "{:#?}", state.pending);
    assert_eq!(state.resources["Made"].physical_id, made);
    assert!(!state.resources.contains_key("Never"));
    assert!(!state.resources.contains_key("Gone"));
    assert_eq!(state.resources["Kept"].physical_id, "subnet-kept");
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_replacement_adopts_the_new_object_and_deletes_the_old_one_after_its_dependents()
 {
    let fake = workload::fake();
    let providers = fake.providers(&[TG, LISTENER]);
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Tg".into(), record(TG, "tg-old", &[]));
    state
        .resources
        .insert("Listener".into(), record(LISTENER, "listener-1", &["Tg"]));
    fake.seed(&state);
    // The run was killed after the new target group was made, before it was recorded.
    let new = made_but_not_recorded(&providers, "Tg", TG).await;
    state.pending = vec![intent("Tg", IntentAction::Replace, TG, Some("tg-old"))];

    let recovered = recover(&state, &providers).await.expect("resolved");
    apply_recovery(&mut state, &recovered);
    assert_eq!(state.resources["Tg"].physical_id, new);
    assert_eq!(state.resources["Tg#deposed-1"].physical_id, "tg-old");
    assert!(state.pending.is_empty());

    // The plan then updates the listener to the new group and deletes the deposed object.
    let mut deposed = change("Tg#deposed-1", TG, Action::Delete, &[]);
    deposed.physical_id = Some("tg-old".into());
    let plan = plan(
        vec![
            change("Listener", LISTENER, Action::Update, &["Tg"]),
            deposed,
        ],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
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
            latency: &|_, _| 1.0,
        },
    )
    .await;
    assert!(
        result.outcome.failed.is_empty(),
        "{:#?}",
        result.outcome.failed
    );
    let calls = fake.calls();
    let update = the_call(&calls, "Listener", Op::Update);
    let delete = the_call(&calls, "Tg#deposed-1", Op::Delete);
    assert!(
        update.end <= delete.start,
        "the old group is deleted only after the listener moved: {calls:#?}"
    );
    let on_disk = dir.on_disk();
    assert!(!on_disk.resources.contains_key("Tg#deposed-1"));
    assert_eq!(on_disk.resources["Tg"].physical_id, new);
    assert!(!fake.live().contains_key("tg-old"));
}

#[tokio::test(start_paused = true)]
async fn a_replacement_never_adopts_the_object_it_replaces() {
    let fake = workload::fake();
    let providers = fake.providers(&[TG]);
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Tg".into(), record(TG, "tg-old", &[]));
    fake.seed(&state);
    state.pending = vec![intent("Tg", IntentAction::Replace, TG, Some("tg-old"))];

    let recovered = recover(&state, &providers).await.expect("resolved");

    assert_eq!(recovered.len(), 1, "{recovered:#?}");
    assert!(matches!(recovered[0].outcome, Outcome::NothingMade));
    apply_recovery(&mut state, &recovered);
    assert_eq!(state.resources["Tg"].physical_id, "tg-old");
    assert!(state.pending.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_create_still_in_flight_when_the_next_run_looks_is_found_once_it_lands() {
    let fake = workload::fake();
    let providers = fake.providers(&[SUBNET]);
    let mut state = State::new(STACK);
    // Just started: the killed run's request may still be under way.
    state.pending = vec![intent("Late", IntentAction::Create, SUBNET, None)];
    let landing = {
        let providers = fake.providers(&[SUBNET]);
        async move {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            made_but_not_recorded(&providers, "Late", SUBNET).await
        }
    };

    let (recovered, made) = tokio::join!(recover(&state, &providers), landing);

    let recovered = recovered.expect("resolved");
    match &recovered[0].outcome {
        Outcome::Adopted { record, .. } => assert_eq!(record.physical_id, made),
        other => panic!("the late create was not adopted: {other:?}"),
    }
}
