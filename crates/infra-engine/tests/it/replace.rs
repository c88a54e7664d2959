//! Both replacement orders, run against the fake.

use infra_engine::Operation;
use infra_plan::Action;
use infra_state::{IntentAction, State};
use tokio_util::sync::CancellationToken;

use crate::support::{
    Op, RunSettings, STACK, StateDir, TestResolver, change, plan, record, run, standard_retries,
    the_call,
};
use crate::workload::{self, TYPES};

#[tokio::test(start_paused = true)]
async fn create_then_delete_makes_the_new_object_first_and_deletes_the_old_one_last() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let mut state = State::new(STACK);
    state.resources.insert(
        "Tg".into(),
        record("AWS::ElasticLoadBalancingV2::TargetGroup", "tg-old", &[]),
    );
    state.resources.insert(
        "Listener".into(),
        record(
            "AWS::ElasticLoadBalancingV2::Listener",
            "listener-1",
            &["Tg"],
        ),
    );
    let mut tg = change(
        "Tg",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Action::CreateThenDelete,
        &[],
    );
    tg.physical_id = Some("tg-old".into());
    let plan = plan(
        vec![
            tg,
            change(
                "Listener",
                "AWS::ElasticLoadBalancingV2::Listener",
                Action::Update,
                &["Tg"],
            ),
        ],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
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
            resolver: &resolver,
            parallelism: 10,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;
    let outcome = &result.outcome;
    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert_eq!(
        (outcome.added, outcome.changed, outcome.destroyed),
        (1, 1, 1)
    );

    let calls = fake.calls();
    let create = the_call(&calls, "Tg", Op::Create);
    let update = the_call(&calls, "Listener", Op::Update);
    let delete = the_call(&calls, "Tg", Op::Delete);
    assert!(create.end <= update.start);
    assert!(update.end <= delete.start);
    assert_eq!(delete.name.as_deref(), Some("tg-old"));
    assert!(
        create.name.is_some(),
        "a generated name lets both exist at once"
    );
    assert_eq!(fake.problems(), Vec::<String>::new());

    let new = &outcome.state.resources["Tg"];
    assert_ne!(new.physical_id, "tg-old");
    assert!(outcome.state.pending.is_empty());
    let live = fake.live();
    assert!(!live.contains_key("tg-old"));
    assert!(live.contains_key(&new.physical_id));
}

#[tokio::test(start_paused = true)]
async fn between_the_two_halves_the_old_object_is_kept_as_a_delete_intent() {
    // The old target group's delete fails: the new one is recorded, the old one stays known.
    let fake = workload::fake();
    fake.fail(
        "Tg",
        Op::Delete,
        vec![crate::support::fatal("DeleteTargetGroup: in use")],
    );
    let providers = fake.providers(TYPES);
    let mut state = State::new(STACK);
    state.resources.insert(
        "Tg".into(),
        record("AWS::ElasticLoadBalancingV2::TargetGroup", "tg-old", &[]),
    );
    let plan = plan(
        vec![change(
            "Tg",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            Action::CreateThenDelete,
            &[],
        )],
        false,
    );
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
    fake.seed(&state);

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

    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].action, Operation::DeleteReplaced);
    assert_ne!(outcome.state.resources["Tg"].physical_id, "tg-old");
    assert_eq!(outcome.state.pending.len(), 1);
    let intent = &outcome.state.pending[0];
    assert_eq!(intent.action, IntentAction::Delete);
    assert_eq!(intent.physical_id.as_deref(), Some("tg-old"));
    assert_eq!(
        intent.resource_type,
        "AWS::ElasticLoadBalancingV2::TargetGroup"
    );
}

#[tokio::test(start_paused = true)]
async fn delete_then_create_deletes_dependents_and_the_old_object_before_creating() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let mut state = State::new(STACK);
    let mut sg = record("AWS::EC2::SecurityGroup", "sg-old", &[]);
    sg.properties = serde_json::json!({"GroupName": "web", "DependsOn": []});
    state.resources.insert("Sg".into(), sg);
    state.resources.insert(
        "Ingress".into(),
        record("AWS::EC2::SecurityGroupIngress", "sgr-old", &["Sg"]),
    );
    state.resources.insert(
        "Template".into(),
        record("AWS::EC2::LaunchTemplate", "lt-1", &["Sg"]),
    );
    let plan = plan(
        vec![
            change(
                "Ingress",
                "AWS::EC2::SecurityGroupIngress",
                Action::DeleteThenCreate,
                &["Sg"],
            ),
            change(
                "Sg",
                "AWS::EC2::SecurityGroup",
                Action::DeleteThenCreate,
                &[],
            ),
            change(
                "Template",
                "AWS::EC2::LaunchTemplate",
                Action::Update,
                &["Sg"],
            ),
        ],
        false,
    );
    let mut resolver = TestResolver::for_plan(&plan);
    resolver
        .extra
        .insert("Sg".into(), serde_json::json!({"GroupName": "web"}));
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
            resolver: &resolver,
            parallelism: 10,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;
    let outcome = &result.outcome;
    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert_eq!(
        (outcome.added, outcome.changed, outcome.destroyed),
        (2, 1, 2)
    );

    let calls = fake.calls();
    let ingress_delete = the_call(&calls, "Ingress", Op::Delete);
    let sg_delete = the_call(&calls, "Sg", Op::Delete);
    let sg_create = the_call(&calls, "Sg", Op::Create);
    let ingress_create = the_call(&calls, "Ingress", Op::Create);
    let template_update = the_call(&calls, "Template", Op::Update);
    assert!(ingress_delete.end <= sg_delete.start);
    assert!(sg_delete.end <= sg_create.start);
    assert!(sg_create.end <= ingress_create.start);
    assert!(sg_create.end <= template_update.start);
    assert_eq!(sg_create.name, None, "the explicit name is used");
    assert_eq!(fake.problems(), Vec::<String>::new());

    assert!(outcome.state.pending.is_empty());
    assert_ne!(outcome.state.resources["Sg"].physical_id, "sg-old");
    assert_ne!(outcome.state.resources["Ingress"].physical_id, "sgr-old");
    let live = fake.live();
    assert!(!live.contains_key("sg-old") && !live.contains_key("sgr-old"));
    // Each delete and each create wrote its intent and its result; the update its result.
    assert_eq!(outcome.state.serial, 1 + 2 * 4 + 1);
}
