//! A fake provider that sleeps a per-type latency and records every call, plans and states
//! built by hand, and a resolver that checks it is only asked once dependencies are recorded.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use infra_engine::{ApplyContext, ApplyOutcome, Event, Operation, Resolver, RetryPolicy, Schedule};
use infra_plan::plan::{Action, Binding, PLAN_FORMAT_VERSION, Plan, ResourceChange};
use infra_provider::{
    BoxFuture, Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, Observation,
    ProviderError, Providers, ReadInput, Refresh, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_state::{ResourceRecord, ResourceStatus, State, StateFile};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

pub const STACK: &str = "demo";

/// What the fake was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Create,
    Update,
    Delete,
}

/// One provider call, with its virtual start and end times (seconds since the test began).
#[derive(Debug, Clone)]
pub struct Call {
    pub address: String,
    pub op: Op,
    pub start: f64,
    pub end: f64,
    pub ok: bool,
    /// Create: the generated name given; delete: the physical id.
    pub name: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// Create and update: the properties given.
    pub properties: serde_json::Value,
    /// Update: the properties it was told are there now.
    pub before: Option<serde_json::Value>,
}

#[derive(Debug, Default)]
struct Shared {
    latency: BTreeMap<String, f64>,
    errors: BTreeMap<(String, Op), VecDeque<ProviderError>>,
    calls: Vec<Call>,
    running: usize,
    max_running: usize,
    next_id: u64,
    /// Objects that exist: physical id -> address.
    live: BTreeMap<String, String>,
    /// When set, each call checks the state file on disk first.
    state_path: Option<PathBuf>,
    problems: Vec<String>,
}

/// The fake cloud: one [`FakeProvider`] per type shares it.
#[derive(Debug, Clone)]
pub struct Fake {
    shared: Arc<Mutex<Shared>>,
    epoch: Instant,
}

impl Fake {
    pub fn new() -> Fake {
        Fake {
            shared: Arc::new(Mutex::new(Shared::default())),
            epoch: Instant::now(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().expect("fake state")
    }

    /// Every call on a `type_name` resource takes `seconds`.
    pub fn latency(&self, type_name: &str, seconds: f64) {
        self.lock().latency.insert(type_name.to_owned(), seconds);
    }

    /// The next calls `op` on `address` fail with these errors, in order, then succeed.
    pub fn fail(&self, address: &str, op: Op, errors: Vec<ProviderError>) {
        self.lock()
            .errors
            .entry((address.to_owned(), op))
            .or_default()
            .extend(errors);
    }

    /// Each call first checks, in the file at `path`: a create's intent is saved, and every
    /// resource it depends on is recorded.
    pub fn check_state_file(&self, path: &Path) {
        self.lock().state_path = Some(path.to_owned());
    }

    /// Registers the objects of `state` as existing.
    pub fn seed(&self, state: &State) {
        let mut shared = self.lock();
        for (address, record) in &state.resources {
            shared
                .live
                .insert(record.physical_id.clone(), address.clone());
        }
    }

    /// The object `physical_id` stops existing (deleted outside the apply).
    pub fn forget(&self, physical_id: &str) {
        self.lock().live.remove(physical_id);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    pub fn max_running(&self) -> usize {
        self.lock().max_running
    }

    /// Physical id -> address of every object that exists.
    pub fn live(&self) -> BTreeMap<String, String> {
        self.lock().live.clone()
    }

    /// Things the fake saw that should not happen.
    pub fn problems(&self) -> Vec<String> {
        self.lock().problems.clone()
    }

    pub fn providers(&self, types: &[&'static str]) -> Providers {
        let mut providers = Providers::default();
        for type_name in types {
            providers.insert(Box::new(FakeProvider {
                type_name,
                fake: self.clone(),
            }));
        }
        providers
    }

    fn now(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64()
    }

    async fn call(
        &self,
        address: &str,
        type_name: &str,
        op: Op,
        depends_on: &[String],
    ) -> (f64, Result<(), ProviderError>) {
        let start = self.now();
        let latency = {
            let mut shared = self.lock();
            shared.running += 1;
            shared.max_running = shared.max_running.max(shared.running);
            if let Some(path) = shared.state_path.clone() {
                let problems = check_on_disk(&path, address, op, depends_on);
                shared.problems.extend(problems);
            }
            shared.latency.get(type_name).copied().unwrap_or(1.0)
        };
        tokio::time::sleep(Duration::from_secs_f64(latency)).await;
        let mut shared = self.lock();
        shared.running -= 1;
        let scripted = shared
            .errors
            .get_mut(&(address.to_owned(), op))
            .and_then(VecDeque::pop_front);
        (start, scripted.map_or(Ok(()), Err))
    }

    fn record(&self, call: Call) {
        self.lock().calls.push(call);
    }
}

fn check_on_disk(path: &Path, address: &str, op: Op, depends_on: &[String]) -> Vec<String> {
    let state = match infra_state::read_state(path) {
        Ok(Some(state)) => state,
        Ok(None) => State::new(STACK),
        Err(error) => return vec![format!("{address}: cannot read the state: {error}")],
    };
    let mut problems = Vec::new();
    if op == Op::Create && !state.pending.iter().any(|i| i.address == address) {
        problems.push(format!(
            "{address}: create called before its intent was saved"
        ));
    }
    if op == Op::Delete && !state.pending.iter().any(|i| i.address == address) {
        problems.push(format!(
            "{address}: delete called before its intent was saved"
        ));
    }
    if op != Op::Delete {
        for dependency in depends_on {
            if !state.resources.contains_key(dependency) {
                problems.push(format!("{address}: called before {dependency} was saved"));
            }
        }
    }
    problems
}

/// One fake provider: a type name over the shared fake.
pub struct FakeProvider {
    type_name: &'static str,
    fake: Fake,
}

fn depends_on(properties: &serde_json::Value) -> Vec<String> {
    properties
        .get("DependsOn")
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl ResourceProvider for FakeProvider {
    fn type_name(&self) -> &'static str {
        self.type_name
    }

    fn coverage(&self) -> Coverage {
        Coverage::native(Refresh::Batched, "(fake)", Find::Tags, "(fake)")
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            let deps = depends_on(&input.properties);
            let (start, result) = self
                .fake
                .call(&input.address, self.type_name, Op::Create, &deps)
                .await;
            let physical_id = {
                let mut shared = self.fake.lock();
                shared.next_id += 1;
                let id = format!("{}-{:04}", short(self.type_name), shared.next_id);
                if result.is_ok() {
                    shared.live.insert(id.clone(), input.address.clone());
                }
                id
            };
            self.fake.record(Call {
                address: input.address.clone(),
                op: Op::Create,
                start,
                end: self.fake.now(),
                ok: result.is_ok(),
                name: input.generated_name.clone(),
                tags: input.tags.clone(),
                properties: input.properties.clone(),
                before: None,
            });
            result?;
            Ok(ResourceOutput {
                attributes: BTreeMap::from([(
                    "Arn".to_owned(),
                    serde_json::Value::String(format!("arn:fake:{physical_id}")),
                )]),
                physical_id,
            })
        })
    }

    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            let deps = depends_on(&input.after);
            let (start, result) = self
                .fake
                .call(&input.address, self.type_name, Op::Update, &deps)
                .await;
            self.fake.record(Call {
                address: input.address.clone(),
                op: Op::Update,
                start,
                end: self.fake.now(),
                ok: result.is_ok(),
                name: None,
                tags: input.tags.clone(),
                properties: input.after.clone(),
                before: Some(input.before.clone()),
            });
            result?;
            Ok(ResourceOutput {
                physical_id: input.physical_id.clone(),
                attributes: BTreeMap::from([("Updated".to_owned(), true.into())]),
            })
        })
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let (start, result) = self
                .fake
                .call(&input.address, self.type_name, Op::Delete, &[])
                .await;
            let result = result.and_then(|()| {
                let mut shared = self.fake.lock();
                match shared.live.remove(&input.physical_id) {
                    Some(_) => Ok(()),
                    None => Err(ProviderError {
                        class: FailureClass::NotFound,
                        message: format!("{} does not exist", input.physical_id),
                    }),
                }
            });
            self.fake.record(Call {
                address: input.address.clone(),
                op: Op::Delete,
                start,
                end: self.fake.now(),
                ok: result.is_ok(),
                name: Some(input.physical_id.clone()),
                tags: BTreeMap::new(),
                properties: input.properties.clone(),
                before: None,
            });
            result
        })
    }

    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        Box::pin(async move {
            let shared = self.fake.lock();
            Ok(items
                .iter()
                .map(|item| {
                    let seen = if shared.live.contains_key(&item.physical_id) {
                        Observation::Present {
                            properties: item.properties.clone(),
                            attributes: item.attributes.clone(),
                        }
                    } else {
                        Observation::Gone
                    };
                    (item.address.clone(), seen)
                })
                .collect())
        })
    }

    /// Finds the live object made for `input.address` (as a tag lookup would).
    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(async move {
            let shared = self.fake.lock();
            let mut found = shared
                .live
                .iter()
                .filter(|(_, address)| **address == input.address)
                .filter(|(id, _)| input.replacing.as_ref() != Some(*id));
            let first = found.next().map(|(id, _)| id.clone());
            if let Some(second) = found.next() {
                return Err(ProviderError::fatal(format!(
                    "two objects carry the tags of {}: {first:?} and {}",
                    input.address, second.0
                )));
            }
            Ok(first.map(|physical_id| ResourceOutput {
                attributes: BTreeMap::from([(
                    "Arn".to_owned(),
                    serde_json::Value::String(format!("arn:fake:{physical_id}")),
                )]),
                physical_id,
            }))
        })
    }
}

fn short(type_name: &str) -> String {
    type_name
        .rsplit("::")
        .next()
        .unwrap_or(type_name)
        .to_lowercase()
}

/// Gives `{"DependsOn": [...]}` plus any fixed properties, and fails (so the test fails) when
/// a dependency is not recorded in the state it is given.
#[derive(Debug, Default)]
pub struct TestResolver {
    pub depends_on: BTreeMap<String, Vec<String>>,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub asked: Mutex<Vec<String>>,
}

impl TestResolver {
    pub fn for_plan(plan: &Plan) -> TestResolver {
        TestResolver {
            depends_on: plan
                .changes
                .iter()
                .map(|c| (c.address.clone(), c.depends_on.clone()))
                .collect(),
            ..TestResolver::default()
        }
    }

    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("asked").clone()
    }
}

impl Resolver for TestResolver {
    fn properties(
        &self,
        address: &str,
        state: &std::sync::Arc<State>,
    ) -> Result<serde_json::Value, String> {
        self.asked.lock().expect("asked").push(address.to_owned());
        let deps = self.depends_on.get(address).cloned().unwrap_or_default();
        for dependency in &deps {
            if !state.resources.contains_key(dependency) {
                return Err(format!("{dependency} is not in the state yet"));
            }
        }
        let mut properties = serde_json::json!({ "DependsOn": deps });
        if let (Some(serde_json::Value::Object(extra)), Some(object)) =
            (self.extra.get(address), properties.as_object_mut())
        {
            object.extend(extra.clone());
        }
        Ok(properties)
    }
}

/// A resolver that must never be called (destroy).
#[derive(Debug)]
pub struct NoTemplate;

impl Resolver for NoTemplate {
    fn properties(
        &self,
        address: &str,
        _: &std::sync::Arc<State>,
    ) -> Result<serde_json::Value, String> {
        panic!("the resolver was asked for {address} during a destroy");
    }
}

pub fn change(address: &str, type_name: &str, action: Action, deps: &[&str]) -> ResourceChange {
    ResourceChange {
        address: address.to_owned(),
        type_name: type_name.to_owned(),
        action,
        before: None,
        after: None,
        replace_paths: Vec::new(),
        reason: None,
        physical_id: None,
        depends_on: deps.iter().map(|d| (*d).to_owned()).collect(),
        inferred: Vec::new(),
        native_teardown: false,
        path: Default::default(),
        deletion_policy: Default::default(),
        update_replace_policy: Default::default(),
        retained_by: None,
        policies_before: None,
    }
}

pub fn plan(changes: Vec<ResourceChange>, destroy: bool) -> Plan {
    let summary = Plan::summarize(&changes);
    Plan {
        format_version: PLAN_FORMAT_VERSION,
        binding: Binding {
            stack: STACK.to_owned(),
            lineage: None,
            serial: 0,
            template_sha256: "t".to_owned(),
            parameters_sha256: "p".to_owned(),
            template: "parent.yml".to_owned(),
        },
        destroy,
        changes,
        drift: Vec::new(),
        outputs: BTreeMap::new(),
        summary,
        notes: Vec::new(),
        recovery: Vec::new(),
        estimate: None,
    }
}

pub fn record(type_name: &str, physical_id: &str, deps: &[&str]) -> ResourceRecord {
    ResourceRecord {
        resource_type: type_name.to_owned(),
        physical_id: physical_id.to_owned(),
        properties: serde_json::json!({ "DependsOn": deps }),
        attributes: BTreeMap::new(),
        dependencies: deps.iter().map(|d| (*d).to_owned()).collect(),
        status: ResourceStatus::Created,
        path: Default::default(),
        deletion_policy: Default::default(),
        update_replace_policy: Default::default(),
    }
}

/// The destroy plan of `state`: every resource deleted, as `infra destroy` plans it.
pub fn destroy_plan(state: &State) -> Plan {
    let changes = state
        .resources
        .iter()
        .map(|(address, record)| ResourceChange {
            physical_id: Some(record.physical_id.clone()),
            depends_on: record.dependencies.clone(),
            ..change(address, &record.resource_type, Action::Delete, &[])
        })
        .collect();
    plan(changes, true)
}

/// A state file in a fresh temporary directory.
pub struct StateDir {
    pub dir: tempfile::TempDir,
}

impl StateDir {
    pub fn new() -> StateDir {
        StateDir {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("demo.json")
    }

    /// An empty state and its (not yet written) file.
    pub fn empty(&self) -> (StateFile, State) {
        StateFile::load_or_new(&self.path(), STACK).expect("new state")
    }

    /// `state` written once, as a previous apply would have left it.
    pub fn with(&self, mut state: State) -> (StateFile, State) {
        let (mut file, _) = self.empty();
        file.write(&mut state).expect("write state");
        (file, state)
    }

    /// The state as it is on disk now.
    pub fn on_disk(&self) -> State {
        infra_state::read_state(&self.path())
            .expect("readable state")
            .expect("a state file")
    }
}

/// The retry budgets `infra` uses (virtual time makes them cost nothing).
pub fn standard_retries() -> RetryPolicy {
    RetryPolicy::standard()
}

/// What a test run gives back: the outcome and every event.
pub struct Run {
    pub outcome: ApplyOutcome,
    pub events: Vec<Event>,
    /// Virtual seconds the apply took.
    pub seconds: f64,
}

/// Settings of [`run`] that tests change.
pub struct RunSettings<'a> {
    pub providers: &'a Providers,
    pub resolver: &'a dyn Resolver,
    pub parallelism: usize,
    pub cancel: CancellationToken,
    pub retry: RetryPolicy,
    pub latency: &'a (dyn Fn(&str, Operation) -> f64 + Sync),
}

pub async fn run(plan: &Plan, file: StateFile, state: State, settings: RunSettings<'_>) -> Run {
    run_scheduled(plan, file, state, settings, Schedule::default()).await
}

/// [`run`] under `schedule`.
pub async fn run_scheduled(
    plan: &Plan,
    file: StateFile,
    state: State,
    settings: RunSettings<'_>,
    schedule: Schedule,
) -> Run {
    let (events, mut received) = mpsc::unbounded_channel();
    let started = Instant::now();
    let outcome = infra_engine::apply(
        plan,
        ApplyContext {
            providers: settings.providers,
            resolver: settings.resolver,
            state,
            state_file: Box::new(file),
            parallelism: settings.parallelism,
            stack: STACK,
            events,
            cancel: settings.cancel,
            retry: settings.retry,
            estimate: settings.latency,
            schedule,
        },
    )
    .await;
    let seconds = started.elapsed().as_secs_f64();
    let mut all = Vec::new();
    while let Ok(event) = received.try_recv() {
        all.push(event);
    }
    Run {
        outcome,
        events: all,
        seconds,
    }
}

/// The calls of `op` on `address`.
pub fn calls_of<'a>(calls: &'a [Call], address: &str, op: Op) -> Vec<&'a Call> {
    calls
        .iter()
        .filter(|c| c.address == address && c.op == op)
        .collect()
}

/// The one successful call of `op` on `address`.
#[track_caller]
pub fn the_call<'a>(calls: &'a [Call], address: &str, op: Op) -> &'a Call {
    let found: Vec<&Call> = calls_of(calls, address, op)
        .into_iter()
        .filter(|c| c.ok)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "successful {op:?} calls of {address}: {found:#?}"
    );
    found[0]
}

pub fn fatal(message: &str) -> ProviderError {
    ProviderError::fatal(message)
}

pub fn error(class: FailureClass, message: &str) -> ProviderError {
    ProviderError {
        class,
        message: message.to_owned(),
    }
}
