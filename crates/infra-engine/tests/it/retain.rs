//! `DeletionPolicy` and `UpdateReplacePolicy`: a forget takes a resource out of the state with no
//! provider call and lists it as retained; a replacement that keeps its old object does not
//! delete it; a policy changed alone is recorded with no call; and a retained object is never
//! adopted again, neither by the lookup of an interrupted create nor by a retried create, nor
//! when a create answers with it.

use std::collections::BTreeMap;

use infra_engine::{Event, Operation, recover};
use infra_plan::plan::{Outcome, Policies};
use infra_plan::{Action, ResourceChange};
use infra_provider::{
    BoxFuture, Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, Observation,
    ProviderError, Providers, ReadInput, Refresh, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_state::{
    DeletionPolicy, Intent, IntentAction, RetainedBy, RetainedRecord, State, UpdateReplacePolicy,
};
use tokio_util::sync::CancellationToken;

use crate::support::{
    Fake, NoTemplate, Op, Run, RunSettings, STACK, StateDir, TestResolver, calls_of, change, error,
    plan, record, run, standard_retries,
};

const LOGS: &str = "AWS::Logs::LogGroup";
const VPC: &str = "AWS::EC2::VPC";
const TG: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";

fn settings<'a>(
    providers: &'a Providers,
    resolver: &'a dyn infra_engine::Resolver,
) -> RunSettings<'a> {
    RunSettings {
        providers,
        resolver,
        parallelism: 10,
        cancel: CancellationToken::new(),
        retry: standard_retries(),
        latency: &|_, _| 1.0,
    }
}

fn retained_change(address: &str, type_name: &str, physical_id: &str) -> ResourceChange {
    ResourceChange {
        physical_id: Some(physical_id.to_owned()),
        deletion_policy: DeletionPolicy::Retain,
        retained_by: Some(RetainedBy::DeletionPolicy),
        ..change(address, type_name, Action::Forget, &[])
    }
}

fn retained(address: &str, type_name: &str, physical_id: &str) -> RetainedRecord {
    RetainedRecord {
        address: address.to_owned(),
        resource_type: type_name.to_owned(),
        physical_id: physical_id.to_owned(),
        retained_by: RetainedBy::DeletionPolicy,
        retained: infra_state::now(),
    }
}

fn operations(run: &Run, address: &str) -> Vec<Operation> {
    run.events
        .iter()
        .filter_map(|e| match e {
            Event::Finished {
                address: a, action, ..
            } if a == address => Some(*action),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_forget_removes_the_record_without_a_provider_call() {
    let fake = Fake::new();
    let providers = fake.providers(&[LOGS, VPC]);
    let mut state = State::new(STACK);
    let mut logs = record(LOGS, "demo-Logs-1", &[]);
    logs.deletion_policy = DeletionPolicy::Retain;
    state.resources.insert("Logs".into(), logs);
    state
        .resources
        .insert("Vpc".into(), record(VPC, "vpc-1", &[]));
    let destroy = plan(
        vec![
            retained_change("Logs", LOGS, "demo-Logs-1"),
            ResourceChange {
                physical_id: Some("vpc-1".into()),
                ..change("Vpc", VPC, Action::Delete, &[])
            },
        ],
        true,
    );
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
    fake.seed(&state);

    let result = run(&destroy, file, state, settings(&providers, &NoTemplate)).await;
    let outcome = &result.outcome;
    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert_eq!(
        (outcome.added, outcome.destroyed, outcome.retained),
        (0, 1, 1)
    );
    let calls = fake.calls();
    assert!(
        calls_of(&calls, "Logs", Op::Delete).is_empty(),
        "{calls:#?}"
    );
    assert_eq!(calls.len(), 1, "only the VPC is deleted: {calls:#?}");
    assert!(fake.live().contains_key("demo-Logs-1"), "still in AWS");
    assert_eq!(operations(&result, "Logs"), [Operation::Forget]);

    let on_disk = dir.on_disk();
    assert!(on_disk.resources.is_empty(), "{:?}", on_disk.resources);
    assert!(on_disk.pending.is_empty());
    assert_eq!(on_disk.retained.len(), 1);
    let kept = &on_disk.retained[0];
    assert_eq!(
        (
            kept.address.as_str(),
            kept.resource_type.as_str(),
            kept.physical_id.as_str(),
            kept.retained_by
        ),
        ("Logs", LOGS, "demo-Logs-1", RetainedBy::DeletionPolicy)
    );
    assert_eq!(outcome.state.retained, on_disk.retained);
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_create_at_the_same_address_does_not_adopt_the_retained_object() {
    let fake = Fake::new();
    let providers = fake.providers(&[LOGS]);
    let mut state = State::new(STACK);
    // Retained by an earlier destroy; it still exists and carries the address's tags.
    let mut old = State::new(STACK);
    old.resources
        .insert("Logs".into(), record(LOGS, "demo-Logs-old", &[]));
    fake.seed(&old);
    state.retained.push(retained("Logs", LOGS, "demo-Logs-old"));
    // A later create at the same address was interrupted before AWS made anything.
    let mut intent = Intent::new("Logs", IntentAction::Create, LOGS);
    intent.properties = Some(serde_json::json!({}));
    state.pending.push(intent);

    let recovered = recover(&state, &providers).await.expect("resolved");
    assert_eq!(recovered.len(), 1);
    assert_eq!(recovered[0].outcome, Outcome::NothingMade);
}

#[tokio::test(start_paused = true)]
async fn a_retried_create_does_not_adopt_the_retained_object() {
    let fake = Fake::new();
    let providers = fake.providers(&[LOGS]);
    let mut old = State::new(STACK);
    old.resources
        .insert("Logs".into(), record(LOGS, "demo-Logs-old", &[]));
    fake.seed(&old);
    // The first attempt fails after nothing was made; the retry looks for what it made first.
    fake.fail(
        "Logs",
        Op::Create,
        vec![error(FailureClass::Retryable, "Throttling")],
    );
    let mut state = State::new(STACK);
    state.retained.push(retained("Logs", LOGS, "demo-Logs-old"));
    let create = plan(
        vec![ResourceChange {
            deletion_policy: DeletionPolicy::Retain,
            update_replace_policy: UpdateReplacePolicy::Retain,
            ..change("Logs", LOGS, Action::Create, &[])
        }],
        false,
    );
    let resolver = TestResolver::for_plan(&create);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);

    let result = run(&create, file, state, settings(&providers, &resolver)).await;
    let outcome = &result.outcome;
    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert_eq!(calls_of(&fake.calls(), "Logs", Op::Create).len(), 2);
    let made = &outcome.state.resources["Logs"];
    assert_ne!(made.physical_id, "demo-Logs-old");
    // The record carries the template's policies.
    assert_eq!(made.deletion_policy, DeletionPolicy::Retain);
    assert_eq!(made.update_replace_policy, UpdateReplacePolicy::Retain);
    assert_eq!(outcome.state.retained.len(), 1);
}

/// A provider whose create finds the name taken and adopts the object there, as a native
/// provider does when that object carries the resource's `infra:*` tags.
struct TakenName(&'static str);

impl ResourceProvider for TakenName {
    fn type_name(&self) -> &'static str {
        LOGS
    }

    fn coverage(&self) -> Coverage {
        Coverage::native(Refresh::Batched, "(fake)", Find::Name, "(fake)")
    }

    fn create<'a>(
        &'a self,
        _: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            Ok(ResourceOutput {
                physical_id: self.0.to_owned(),
                attributes: BTreeMap::new(),
            })
        })
    }

    fn update<'a>(
        &'a self,
        _: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move { Err(ProviderError::fatal("not expected")) })
    }

    fn delete<'a>(&'a self, _: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move { Err(ProviderError::fatal("not expected")) })
    }

    fn read<'a>(
        &'a self,
        _: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        Box::pin(async move { Ok(BTreeMap::new()) })
    }

    fn find<'a>(
        &'a self,
        _: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(async move { Ok(None) })
    }
}

#[tokio::test(start_paused = true)]
async fn a_create_that_answers_with_a_retained_object_fails_naming_it() {
    let mut providers = Providers::default();
    providers.insert(Box::new(TakenName("my-logs")));
    let mut state = State::new(STACK);
    state.retained.push(retained("Logs", LOGS, "my-logs"));
    let create = plan(vec![change("Logs", LOGS, Action::Create, &[])], false);
    let resolver = TestResolver::for_plan(&create);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);

    let result = run(&create, file, state, settings(&providers, &resolver)).await;
    let outcome = &result.outcome;
    assert_eq!(outcome.failed.len(), 1, "{:#?}", outcome.failed);
    let message = &outcome.failed[0].error;
    assert!(
        message.contains("my-logs, an object infra retained")
            && message.contains("`infra import Logs my-logs`"),
        "{message}"
    );
    assert!(!outcome.state.resources.contains_key("Logs"));
    // The intent stays, as after any failed create; the next run finds nothing to adopt.
    assert_eq!(outcome.state.pending.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn update_replace_policy_retain_keeps_the_old_object_in_both_orders() {
    for action in [Action::CreateThenDelete, Action::DeleteThenCreate] {
        let fake = Fake::new();
        let providers = fake.providers(&[TG]);
        let mut state = State::new(STACK);
        let mut old = record(TG, "tg-old", &[]);
        old.update_replace_policy = UpdateReplacePolicy::Retain;
        state.resources.insert("Tg".into(), old);
        let replace = plan(
            vec![ResourceChange {
                physical_id: Some("tg-old".into()),
                update_replace_policy: UpdateReplacePolicy::Retain,
                retained_by: Some(RetainedBy::UpdateReplacePolicy),
                ..change("Tg", TG, action, &[])
            }],
            false,
        );
        let resolver = TestResolver::for_plan(&replace);
        let dir = StateDir::new();
        let (file, state) = dir.with(state);
        fake.seed(&state);
        fake.check_state_file(&dir.path());

        let result = run(&replace, file, state, settings(&providers, &resolver)).await;
        let outcome = &result.outcome;
        assert!(
            outcome.failed.is_empty(),
            "{action:?}: {:#?}",
            outcome.failed
        );
        assert_eq!(
            (outcome.added, outcome.destroyed, outcome.retained),
            (1, 0, 1),
            "{action:?}"
        );
        let calls = fake.calls();
        assert!(
            calls_of(&calls, "Tg", Op::Delete).is_empty(),
            "{action:?}: {calls:#?}"
        );
        assert_eq!(fake.problems(), Vec::<String>::new());
        assert!(fake.live().contains_key("tg-old"), "{action:?}");
        let expected_order = match action {
            Action::CreateThenDelete => [Operation::CreateReplacement, Operation::ForgetReplaced],
            _ => [Operation::ForgetReplaced, Operation::CreateReplacement],
        };
        assert_eq!(operations(&result, "Tg"), expected_order, "{action:?}");

        let on_disk = dir.on_disk();
        let new = &on_disk.resources["Tg"];
        assert_ne!(new.physical_id, "tg-old", "{action:?}");
        assert_eq!(new.update_replace_policy, UpdateReplacePolicy::Retain);
        assert!(
            on_disk.pending.is_empty(),
            "{action:?}: {:?}",
            on_disk.pending
        );
        assert_eq!(on_disk.retained.len(), 1, "{action:?}");
        assert_eq!(on_disk.retained[0].physical_id, "tg-old");
        assert_eq!(
            on_disk.retained[0].retained_by,
            RetainedBy::UpdateReplacePolicy
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_policy_changed_alone_is_recorded_without_a_provider_call() {
    let fake = Fake::new();
    let providers = fake.providers(&[LOGS]);
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Logs".into(), record(LOGS, "demo-Logs-1", &[]));
    let noop = plan(
        vec![ResourceChange {
            physical_id: Some("demo-Logs-1".into()),
            deletion_policy: DeletionPolicy::RetainExceptOnCreate,
            update_replace_policy: UpdateReplacePolicy::Retain,
            policies_before: Some(Policies::default()),
            ..change("Logs", LOGS, Action::NoOp, &[])
        }],
        false,
    );
    assert!(!noop.is_empty());
    let resolver = TestResolver::for_plan(&noop);
    let dir = StateDir::new();
    let (file, state) = dir.with(state);
    fake.seed(&state);

    let result = run(&noop, file, state, settings(&providers, &resolver)).await;
    assert!(result.outcome.failed.is_empty());
    assert!(fake.calls().is_empty(), "{:#?}", fake.calls());
    assert!(resolver.asked().is_empty());
    let on_disk = dir.on_disk();
    let logs = &on_disk.resources["Logs"];
    assert_eq!(logs.deletion_policy, DeletionPolicy::RetainExceptOnCreate);
    assert_eq!(logs.update_replace_policy, UpdateReplacePolicy::Retain);
    assert_eq!(logs.physical_id, "demo-Logs-1");
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_create_is_adopted_with_its_intended_policies() {
    let fake = Fake::new();
    let providers = fake.providers(&[LOGS, VPC]);
    let mut made = State::new(STACK);
    made.resources
        .insert("Kept".into(), record(LOGS, "demo-Kept-1", &[]));
    made.resources
        .insert("Once".into(), record(VPC, "vpc-1", &[]));
    fake.seed(&made);
    let mut state = State::new(STACK);
    let mut kept = Intent::new("Kept", IntentAction::Create, LOGS);
    kept.deletion_policy = DeletionPolicy::Retain;
    kept.update_replace_policy = UpdateReplacePolicy::Retain;
    // A RetainExceptOnCreate create that did not finish is cleaned up as with Delete.
    let mut once = Intent::new("Once", IntentAction::Create, VPC);
    once.deletion_policy = DeletionPolicy::RetainExceptOnCreate;
    state.pending = vec![kept, once];

    let recovered = recover(&state, &providers).await.expect("resolved");
    let policies: Vec<(DeletionPolicy, UpdateReplacePolicy)> = recovered
        .iter()
        .map(|r| match &r.outcome {
            Outcome::Adopted { record, .. } => {
                (record.deletion_policy, record.update_replace_policy)
            }
            other => panic!("{}: {other:?}", r.address),
        })
        .collect();
    assert_eq!(
        policies,
        [
            (DeletionPolicy::Retain, UpdateReplacePolicy::Retain),
            (DeletionPolicy::Delete, UpdateReplacePolicy::Delete)
        ]
    );
}
