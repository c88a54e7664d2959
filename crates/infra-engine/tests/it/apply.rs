//! Applying the reference workload: speed, the parallelism limit, what is saved and when.

use infra_engine::{ADDRESS_TAG, Event, Operation, STACK_TAG};
use infra_plan::Action;
use infra_state::ResourceStatus;
use tokio_util::sync::CancellationToken;

use crate::support::{
    Op, RunSettings, STACK, StateDir, TestResolver, change, plan, record, run, standard_retries,
    the_call,
};
use crate::workload::{self, RESOURCES, TYPES};

#[tokio::test(start_paused = true)]
async fn the_workload_takes_no_longer_than_its_critical_path() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let plan = workload::create_plan();
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();
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
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
    assert_eq!(
        (outcome.added, outcome.changed, outcome.destroyed),
        (39, 0, 0)
    );
    let critical = workload::critical_path();
    assert_eq!(
        critical, 268.0,
        "VPC, security group, load balancer, listener, service"
    );
    assert!(
        result.seconds <= 1.05 * critical,
        "took {} virtual seconds; the critical path is {critical}",
        result.seconds
    );
    assert_eq!(fake.problems(), Vec::<String>::new());

    // Every resource recorded with what the provider returned, nothing pending.
    assert_eq!(outcome.state.resources.len(), RESOURCES.len());
    assert!(outcome.state.pending.is_empty());
    let calls = fake.calls();
    for (address, type_name, deps) in RESOURCES {
        let record = &outcome.state.resources[*address];
        assert_eq!(record.resource_type, *type_name);
        assert_eq!(record.status, ResourceStatus::Created);
        assert_eq!(record.dependencies, *deps);
        assert!(record.attributes.contains_key("Arn"));
        let call = the_call(&calls, address, Op::Create);
        for dependency in *deps {
            let before = the_call(&calls, dependency, Op::Create);
            assert!(before.end <= call.start, "{dependency} before {address}");
        }
    }
    // At most one write per intent and one per finished create (changes that queue while a
    // write runs share the next one); the file holds the returned state.
    assert!(
        (1..2 * 39).contains(&outcome.state.serial),
        "{}",
        outcome.state.serial
    );
    assert_eq!(dir.on_disk(), outcome.state);
    assert_eq!(outcome.state_error, None);

    let started = result
        .events
        .iter()
        .filter(|e| matches!(e, Event::Started { .. }))
        .count();
    let finished = result
        .events
        .iter()
        .filter(|e| matches!(e, Event::Finished { .. }))
        .count();
    assert_eq!((started, finished), (39, 39));
    // The load balancer takes 180 s: seventeen reports ten seconds apart.
    let reports: Vec<f64> = result
        .events
        .iter()
        .filter_map(|e| match e {
            Event::StillRunning {
                address, elapsed, ..
            } if address == "ServiceStack.PublicLoadBalancer" => Some(elapsed.as_secs_f64()),
            _ => None,
        })
        .collect();
    assert_eq!(reports.len(), 17, "{reports:?}");
    assert_eq!(reports.first().copied(), Some(10.0));
}

#[tokio::test(start_paused = true)]
async fn parallelism_two_is_never_exceeded() {
    let fake = workload::fake();
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
            parallelism: 2,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: &workload::estimate,
        },
    )
    .await;

    assert!(result.outcome.failed.is_empty());
    assert_eq!(result.outcome.state.resources.len(), 39);
    assert_eq!(fake.max_running(), 2);
    let total: f64 = RESOURCES
        .iter()
        .map(|(_, type_name, _)| workload::latency_of(type_name))
        .sum();
    assert!(result.seconds >= total / 2.0, "{} s", result.seconds);
}

#[tokio::test(start_paused = true)]
async fn creates_get_generated_names_and_infra_tags() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let plan = plan(
        vec![
            change(
                "ServiceStack.PublicLoadBalancer",
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                Action::Create,
                &[],
            ),
            change(
                "ClusterStack.ECSCluster",
                "AWS::ECS::Cluster",
                Action::Create,
                &[],
            ),
            change(
                "VpcStack.PublicRoute",
                "AWS::EC2::Route",
                Action::Create,
                &[],
            ),
        ],
        false,
    );
    let mut resolver = TestResolver::for_plan(&plan);
    resolver.extra.insert(
        "ClusterStack.ECSCluster".into(),
        serde_json::json!({"ClusterName": "given"}),
    );
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

    let calls = fake.calls();
    let lb = the_call(&calls, "ServiceStack.PublicLoadBalancer", Op::Create);
    let name = lb.name.clone().expect("a generated name");
    assert_eq!(name.len(), 32, "{name}");
    assert!(name.starts_with("demo-PublicLoadBala-"), "{name}");
    assert_eq!(lb.tags[STACK_TAG], STACK);
    assert_eq!(lb.tags[ADDRESS_TAG], "ServiceStack.PublicLoadBalancer");
    let recorded = &result.outcome.state.resources["ServiceStack.PublicLoadBalancer"];
    assert_eq!(
        recorded.properties["Name"],
        name.as_str(),
        "kept so it stays stable"
    );

    let cluster = the_call(&calls, "ClusterStack.ECSCluster", Op::Create);
    assert_eq!(cluster.name, None, "the template names it");

    let route = the_call(&calls, "VpcStack.PublicRoute", Op::Create);
    assert_eq!(route.name, None, "routes have no name");
    assert!(route.tags.is_empty(), "routes cannot be tagged");
}

#[tokio::test(start_paused = true)]
async fn an_update_starts_from_what_the_plan_diffed_against() {
    // The record says the profile holds its role; the plan's refresh saw it holds none (an
    // interrupted create adopted half-made). The update is told what refresh saw, so it adds
    // the role rather than believing it is there.
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let mut state = infra_state::State::new(STACK);
    let mut profile = record("AWS::IAM::InstanceProfile", "profile-1", &[]);
    profile.properties = serde_json::json!({"Roles": ["role-1"], "DependsOn": []});
    state.resources.insert("Profile".into(), profile);
    let mut update = change("Profile", "AWS::IAM::InstanceProfile", Action::Update, &[]);
    update.before = Some(infra_template::Value::from_json(
        &serde_json::json!({"Roles": [], "DependsOn": []}),
    ));
    let plan = plan(vec![update], false);
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

    assert_eq!(result.outcome.changed, 1, "{:?}", result.outcome.failed);
    let calls = fake.calls();
    let call = the_call(&calls, "Profile", Op::Update);
    assert_eq!(
        call.before,
        Some(serde_json::json!({"Roles": [], "DependsOn": []}))
    );
}

#[tokio::test(start_paused = true)]
async fn an_update_keeps_the_physical_id_and_the_generated_name() {
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let mut state = infra_state::State::new(STACK);
    let mut lb = record("AWS::ElasticLoadBalancingV2::LoadBalancer", "lb-1", &[]);
    lb.properties =
        serde_json::json!({"Name": "demo-PublicLoadBala-ABCDEFGHIJKL", "DependsOn": []});
    lb.attributes.insert("DNSName".into(), "lb.example".into());
    state.resources.insert("Lb".into(), lb);
    let plan = plan(
        vec![change(
            "Lb",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Action::Update,
            &[],
        )],
        false,
    );
    let mut resolver = TestResolver::for_plan(&plan);
    resolver
        .extra
        .insert("Lb".into(), serde_json::json!({"Scheme": "internal"}));
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

    assert_eq!(result.outcome.changed, 1);
    let calls = fake.calls();
    let update = the_call(&calls, "Lb", Op::Update);
    assert_eq!(
        update.properties["Name"],
        "demo-PublicLoadBala-ABCDEFGHIJKL"
    );
    let recorded = &result.outcome.state.resources["Lb"];
    assert_eq!(recorded.physical_id, "lb-1");
    assert_eq!(recorded.properties["Scheme"], "internal");
    assert_eq!(
        recorded.properties["Name"],
        "demo-PublicLoadBala-ABCDEFGHIJKL"
    );
    assert_eq!(
        recorded.attributes["DNSName"], "lb.example",
        "attributes merged"
    );
    assert_eq!(recorded.attributes["Updated"], true);
    // The state was written once by the test, then once for the update (no intent).
    assert_eq!(result.outcome.state.serial, 2);
    assert!(matches!(
        result.events.first(),
        Some(Event::Started {
            action: Operation::Update,
            ..
        })
    ));
}

#[tokio::test(start_paused = true)]
async fn with_three_slots_the_longest_chains_go_first() {
    async fn seconds_with(estimate: &(dyn Fn(&str, Operation) -> f64 + Sync)) -> f64 {
        let fake = workload::fake();
        let providers = fake.providers(TYPES);
        let plan = workload::create_plan();
        let resolver = TestResolver::for_plan(&plan);
        let dir = StateDir::new();
        let (file, state) = dir.empty();
        let settings = RunSettings {
            providers: &providers,
            resolver: &resolver,
            parallelism: 3,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            latency: estimate,
        };
        let result = run(&plan, file, state, settings).await;
        assert_eq!(result.outcome.added, 39);
        result.seconds
    }

    let critical = workload::critical_path();
    let weighted = seconds_with(&workload::estimate).await;
    let unweighted = seconds_with(&|_: &str, _| 1.0).await;
    assert!(weighted <= 1.05 * critical, "{weighted} s");
    assert!(
        unweighted > weighted,
        "{unweighted} s without estimates, {weighted} s with"
    );
}

#[test]
fn the_apply_future_can_be_spawned() {
    fn send<T: Send>(_: &T) {}
    let fake = workload::fake();
    let providers = fake.providers(TYPES);
    let plan = workload::create_plan();
    let resolver = TestResolver::for_plan(&plan);
    let dir = StateDir::new();
    let (file, state) = dir.empty();
    let (events, _received) = tokio::sync::mpsc::unbounded_channel();
    let future = infra_engine::apply(
        &plan,
        infra_engine::ApplyContext {
            providers: &providers,
            resolver: &resolver,
            state,
            state_file: Box::new(file),
            parallelism: 10,
            stack: STACK,
            events,
            cancel: CancellationToken::new(),
            retry: standard_retries(),
            estimate: &infra_engine::typical_seconds,
            schedule: infra_engine::Schedule::default(),
        },
    );
    send(&future);
}
