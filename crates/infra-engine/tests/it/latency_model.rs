//! The regression guard of the apply's speed: the reference workload's real graph (the
//! fixture's templates, loaded and flattened as `infra` does), a fake cloud that takes the
//! project's latency model's seconds for every create and delete, and the critical-path bound
//! from the same model over the same graph. All in virtual time: exact, and instant.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infra_engine::schedule::{Schedule, bound};
use infra_engine::{LatencyModel, Operation, action_graph, typical_seconds};
use infra_plan::{Action, GraphOptions, Plan};
use infra_state::State;
use infra_template::{LoadOptions, Offline, Pseudo};
use petgraph::Direction;
use tokio_util::sync::CancellationToken;

use crate::support::{
    Fake, NoTemplate, Op, RunSettings, STACK, StateDir, TestResolver, change, destroy_plan, fatal,
    plan, run_scheduled, standard_retries,
};
use crate::workload::TYPES;

/// The most an apply may take, as a multiple of its critical-path bound.
const MAX_RATIO: f64 = 1.25;
/// The least the stack-serial schedule must lose against the graph walk on create.
const MIN_SPEED_UP: f64 = 1.8;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The project's latency model (`crates/infra-engine/data/latency-model.json`, built in),
/// refusing a type it does not list: the guard must measure the model's own figures.
struct Model {
    model: &'static LatencyModel,
}

impl Model {
    fn load() -> Model {
        Model {
            model: LatencyModel::built_in(),
        }
    }

    fn seconds(&self, type_name: &str, operation: Operation) -> f64 {
        assert!(
            self.model.lists(type_name),
            "the latency model has no {type_name}"
        );
        self.model.seconds(type_name, operation)
    }

    /// A fake cloud whose every call of each type takes the model's seconds for `op`.
    fn fake(&self, operation: Operation) -> Fake {
        let fake = Fake::new();
        for type_name in self.model.types() {
            fake.latency(type_name, self.seconds(type_name, operation));
        }
        fake
    }
}

/// The plan creating the reference workload: one create per resource of its graph, each
/// depending on what the graph says (inferred dependencies included).
fn workload_plan() -> Plan {
    let template =
        shared().join("fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml");
    let options = LoadOptions {
        texts: Default::default(),
        artifacts: Default::default(),
        parameters: BTreeMap::new(),
        pseudo: Pseudo {
            region: None,
            account_id: None,
            stack_name: STACK.to_owned(),
        },
    };
    let deployment = infra_template::load(&template, &options, &Offline)
        .unwrap_or_else(|e| panic!("{}: {}", template.display(), e.diagnostics));
    let graph = infra_plan::build(&deployment, GraphOptions::default()).expect("acyclic");
    let graph = &graph.graph;
    let changes = graph
        .node_indices()
        .map(|index| {
            let node = &graph[index];
            let deps: Vec<&str> = graph
                .neighbors_directed(index, Direction::Outgoing)
                .map(|dep| graph[dep].address.as_str())
                .collect();
            change(&node.address, &node.type_name, Action::Create, &deps)
        })
        .collect();
    plan(changes, false)
}

/// The bound of `plan` (made from `state`) under `schedule`, in the model's seconds.
fn bound_of(plan: &Plan, state: &State, schedule: Schedule, model: &Model) -> f64 {
    let graph = action_graph(plan, state).expect("orderable");
    bound(&graph, schedule, &|node| {
        model.seconds(&plan.changes[node.change].type_name, node.operation)
    })
    .expect("acyclic")
}

/// What one apply or destroy of the workload did.
struct Measured {
    seconds: f64,
    bound: f64,
    state: State,
    fake: Fake,
}

async fn apply(model: &Model, schedule: Schedule) -> Measured {
    let plan = workload_plan();
    let fake = model.fake(Operation::Create);
    let providers = fake.providers(TYPES);
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();
    let bound = bound_of(&plan, &state, schedule, model);
    let settings = RunSettings {
        providers: &providers,
        resolver: &resolver,
        parallelism: 10,
        cancel: CancellationToken::new(),
        retry: standard_retries(),
        latency: &typical_seconds,
    };
    let result = run_scheduled(&plan, file, state, settings, schedule).await;
    let outcome = result.outcome;
    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
    assert_eq!(outcome.added, plan.changes.len());
    Measured {
        seconds: result.seconds,
        bound,
        state: outcome.state,
        fake,
    }
}

async fn destroy(model: &Model, deployed: State, schedule: Schedule) -> Measured {
    let plan = destroy_plan(&deployed);
    let fake = model.fake(Operation::Delete);
    fake.seed(&deployed);
    let providers = fake.providers(TYPES);
    let dir = StateDir::new();
    let (file, state) = dir.with(deployed);
    let bound = bound_of(&plan, &state, schedule, model);
    let settings = RunSettings {
        providers: &providers,
        resolver: &NoTemplate,
        parallelism: 10,
        cancel: CancellationToken::new(),
        retry: standard_retries(),
        latency: &typical_seconds,
    };
    let result = run_scheduled(&plan, file, state, settings, schedule).await;
    let outcome = result.outcome;
    assert!(outcome.failed.is_empty(), "{:#?}", outcome.failed);
    assert_eq!(outcome.destroyed, plan.changes.len());
    assert!(fake.live().is_empty());
    Measured {
        seconds: result.seconds,
        bound,
        state: outcome.state,
        fake,
    }
}

fn stack_of(address: &str) -> &str {
    address.split_once('.').map_or("", |(stack, _)| stack)
}

/// The virtual seconds each stack's calls span: (first start, last end).
fn stack_spans(fake: &Fake) -> BTreeMap<String, (f64, f64)> {
    let mut spans: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for call in fake.calls() {
        let span = spans
            .entry(stack_of(&call.address).to_owned())
            .or_insert((f64::MAX, 0.0));
        span.0 = span.0.min(call.start);
        span.1 = span.1.max(call.end);
    }
    spans
}

#[tokio::test(start_paused = true)]
async fn apply_and_destroy_take_their_critical_path_and_stack_serial_is_slower() {
    let model = Model::load();

    let graph_walk = apply(&model, Schedule::CriticalPath).await;
    let ratio = graph_walk.seconds / graph_walk.bound;
    assert!(
        ratio <= MAX_RATIO,
        "apply: {} s against a critical path of {} s (ratio {ratio:.3})",
        graph_walk.seconds,
        graph_walk.bound
    );

    let serial = apply(&model, Schedule::StackSerial).await;
    assert!(
        serial.seconds <= MAX_RATIO * serial.bound,
        "stack-serial apply: {} s against its bound of {} s",
        serial.seconds,
        serial.bound
    );
    let speed_up = serial.seconds / graph_walk.seconds;
    assert!(
        speed_up >= MIN_SPEED_UP,
        "stack-serial {} s against {} s: {speed_up:.2}x, expected at least {MIN_SPEED_UP}x",
        serial.seconds,
        graph_walk.seconds
    );
    // Stack-serial: the cluster waits for all of the VPC, the service for all of the cluster.
    let spans = stack_spans(&serial.fake);
    assert!(spans["VpcStack"].1 <= spans["ClusterStack"].0, "{spans:?}");
    assert!(
        spans["ClusterStack"].1 <= spans["ServiceStack"].0,
        "{spans:?}"
    );
    // The graph walk overlaps them.
    let spans = stack_spans(&graph_walk.fake);
    assert!(spans["ClusterStack"].0 < spans["VpcStack"].1, "{spans:?}");

    let deployed = graph_walk.state;
    let removed = destroy(&model, deployed.clone(), Schedule::CriticalPath).await;
    let ratio = removed.seconds / removed.bound;
    assert!(
        ratio <= MAX_RATIO,
        "destroy: {} s against a critical path of {} s (ratio {ratio:.3})",
        removed.seconds,
        removed.bound
    );
    assert!(removed.state.resources.is_empty());

    let serial_removed = destroy(&model, deployed, Schedule::StackSerial).await;
    assert!(
        serial_removed.seconds <= MAX_RATIO * serial_removed.bound,
        "stack-serial destroy: {} s against its bound of {} s",
        serial_removed.seconds,
        serial_removed.bound
    );
    assert!(serial_removed.seconds >= removed.seconds);
}

#[tokio::test(start_paused = true)]
async fn stack_serial_skips_the_stacks_after_a_failed_one_naming_the_failure() {
    let model = Model::load();
    let plan = workload_plan();
    let fake = model.fake(Operation::Create);
    fake.fail(
        "VpcStack.NatGatewayTwo",
        Op::Create,
        vec![fatal("no capacity")],
    );
    let providers = fake.providers(TYPES);
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();
    let settings = RunSettings {
        providers: &providers,
        resolver: &resolver,
        parallelism: 10,
        cancel: CancellationToken::new(),
        retry: standard_retries(),
        latency: &typical_seconds,
    };
    let result = run_scheduled(&plan, file, state, settings, Schedule::StackSerial).await;
    let outcome = &result.outcome;

    assert_eq!(outcome.failed.len(), 1, "{:#?}", outcome.failed);
    assert_eq!(outcome.failed[0].address, "VpcStack.NatGatewayTwo");
    // Every resource of the later stacks is skipped, and so is the failed one's dependent.
    for change in &plan.changes {
        let later = !change.address.starts_with("VpcStack.");
        if later || change.address == "VpcStack.PrivateRouteTwo" {
            assert!(
                outcome.skipped.contains(&change.address),
                "{} not skipped: {:?}",
                change.address,
                outcome.skipped
            );
        }
    }
    assert!(
        fake.calls()
            .iter()
            .all(|call| call.address.starts_with("VpcStack.")),
        "only the VPC stack ran"
    );
    let because: Vec<&str> = result
        .events
        .iter()
        .filter_map(|event| match event {
            infra_engine::Event::Skipped { because, .. } => Some(because.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        because
            .iter()
            .all(|b| *b == "VpcStack.NatGatewayTwo (create) failed"),
        "{because:?}"
    );
}

#[test]
fn the_engines_estimates_are_the_latency_model() {
    let model = Model::load();
    let operations = [Operation::Create, Operation::Update, Operation::Delete];
    for type_name in model.model.types() {
        for operation in operations {
            assert_eq!(
                typical_seconds(type_name, operation),
                model.seconds(type_name, operation),
                "{type_name} {operation:?}"
            );
        }
    }
}
