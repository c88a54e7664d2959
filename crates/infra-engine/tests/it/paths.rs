//! The path of each resource (native or Cloud Control) and the checkpoint of a create: a change
//! on the Cloud Control path goes to the generic provider and is recorded with its path; what a
//! create saves in its checkpoint is on disk in its intent before the provider goes on, and the
//! next run's lookup gets it back with the same key.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use infra_engine::recover;
use infra_plan::Action;
use infra_provider::{
    BoxFuture, Coverage, CreateInput, DeleteInput, FindInput, Observation, ProviderError,
    Providers, ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_state::{IntentAction, ResourcePath, State};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::support::{RunSettings, StateDir, TestResolver, change, plan, run, standard_retries};

const QUEUE: &str = "AWS::SQS::Queue";

/// A generic provider that saves a checkpoint, then (while `fail` is set) fails the create
/// after checking the checkpoint is on disk; it remembers what `find` was given.
struct Generic {
    state_path: std::path::PathBuf,
    fail: bool,
    seen: Arc<Seen>,
}

/// What [`Generic`] saw, shared with the test.
#[derive(Default)]
struct Seen {
    seen_on_disk: Mutex<Option<serde_json::Value>>,
    keys: Mutex<Vec<String>>,
    found_with: Mutex<Option<(String, Option<serde_json::Value>)>>,
}

impl ResourceProvider for Generic {
    fn type_name(&self) -> &'static str {
        "*"
    }

    fn coverage(&self) -> Coverage {
        Coverage::CLOUD_CONTROL
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            self.seen
                .keys
                .lock()
                .expect("keys")
                .push(input.checkpoint.key().to_owned());
            input
                .checkpoint
                .save(json!({"client_token": "t-1", "request_token": "r-1"}))
                .await?;
            let on_disk = infra_state::read_state(&self.state_path)
                .ok()
                .flatten()
                .and_then(|s| s.pending.first().and_then(|i| i.checkpoint.clone()));
            *self.seen.seen_on_disk.lock().expect("seen") = on_disk;
            if self.fail {
                return Err(ProviderError::fatal("the process died here"));
            }
            Ok(ResourceOutput {
                physical_id: format!("https://queue/{}", input.address),
                attributes: BTreeMap::new(),
            })
        })
    }

    fn update<'a>(
        &'a self,
        _: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async { Err(ProviderError::fatal("no update expected")) })
    }

    fn delete<'a>(&'a self, _: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async { Ok(()) })
    }

    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        Box::pin(async move {
            Ok(items
                .iter()
                .map(|i| (i.address.clone(), Observation::Gone))
                .collect())
        })
    }

    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(async move {
            *self.seen.found_with.lock().expect("found") =
                Some((input.checkpoint.key().to_owned(), input.checkpoint.last()));
            Ok(Some(ResourceOutput {
                physical_id: "https://queue/found".to_owned(),
                attributes: BTreeMap::new(),
            }))
        })
    }
}

fn generic(dir: &StateDir, fail: bool) -> (Providers, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let mut providers = Providers::default();
    providers.set_generic(Box::new(Generic {
        state_path: dir.path(),
        fail,
        seen: Arc::clone(&seen),
    }));
    (providers, seen)
}

fn queue_plan() -> infra_plan::Plan {
    let mut create = change("Queue", QUEUE, Action::Create, &[]);
    create.path = ResourcePath::CloudControl;
    plan(vec![create], false)
}

/// Applies [`queue_plan`] to an empty state in `dir`.
async fn apply_queue(dir: &StateDir, providers: &Providers) -> crate::support::Run {
    let (file, state) = dir.empty();
    let plan = queue_plan();
    let resolver = TestResolver::for_plan(&plan);
    run(
        &plan,
        file,
        state,
        RunSettings {
            providers,
            resolver: &resolver,
            parallelism: 4,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &|_, _| 1.0,
        },
    )
    .await
}

#[tokio::test(start_paused = true)]
async fn a_cloud_control_change_goes_to_the_generic_provider_and_is_recorded_with_its_path() {
    let dir = StateDir::new();
    let (providers, provider) = generic(&dir, false);
    let result = apply_queue(&dir, &providers).await;
    assert!(
        result.outcome.failed.is_empty(),
        "{:?}",
        result.outcome.failed
    );
    let saved = dir.on_disk();
    let record = &saved.resources["Queue"];
    assert_eq!(record.path, ResourcePath::CloudControl);
    assert_eq!(record.physical_id, "https://queue/Queue");
    assert!(saved.pending.is_empty());
    // The checkpoint was on disk, in the create's intent, before the provider went on.
    assert_eq!(
        *provider.seen_on_disk.lock().expect("seen"),
        Some(json!({"client_token": "t-1", "request_token": "r-1"}))
    );
    let keys = provider.keys.lock().expect("keys").clone();
    assert_eq!(keys.len(), 1);
    assert!(keys[0].contains("/Queue/create/"), "{keys:?}");
}

#[tokio::test(start_paused = true)]
async fn the_next_run_looks_the_create_up_with_its_checkpoint_and_key() {
    let dir = StateDir::new();
    let (providers, provider) = generic(&dir, true);
    let result = apply_queue(&dir, &providers).await;
    assert_eq!(result.outcome.failed.len(), 1);
    let left: State = dir.on_disk();
    assert_eq!(left.pending.len(), 1);
    let intent = &left.pending[0];
    assert_eq!(intent.action, IntentAction::Create);
    assert_eq!(intent.path, ResourcePath::CloudControl);
    assert_eq!(
        intent.checkpoint,
        Some(json!({"client_token": "t-1", "request_token": "r-1"}))
    );

    let recovered = recover(&left, &providers).await.expect("looked up");
    assert_eq!(recovered.len(), 1);
    let (key, last) = provider
        .found_with
        .lock()
        .expect("found")
        .clone()
        .expect("find was called");
    assert_eq!(key, provider.keys.lock().expect("keys")[0], "the same key");
    assert_eq!(
        last,
        Some(json!({"client_token": "t-1", "request_token": "r-1"}))
    );
    match &recovered[0].outcome {
        infra_plan::plan::Outcome::Adopted { record, .. } => {
            assert_eq!(record.path, ResourcePath::CloudControl);
            assert_eq!(record.physical_id, "https://queue/found");
        }
        other => panic!("adopted expected, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn without_a_generic_provider_a_cloud_control_change_fails_naming_the_path() {
    let dir = StateDir::new();
    let providers = Providers::default();
    let result = apply_queue(&dir, &providers).await;
    let messages: Vec<String> = result
        .outcome
        .failed
        .iter()
        .map(|f| f.error.clone())
        .collect();
    assert_eq!(
        messages,
        ["no provider for type AWS::SQS::Queue on the cloudcontrol path"]
    );
}
