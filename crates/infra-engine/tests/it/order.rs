//! The order of a plan's operations, checked on the action graph itself.

use infra_engine::{ActionGraph, Operation, action_graph};
use infra_plan::Action;
use infra_state::State;
use petgraph::algo::has_path_connecting;
use petgraph::graph::NodeIndex;

use crate::support::{STACK, change, plan, record};

fn node(graph: &ActionGraph, address: &str, operation: Operation) -> NodeIndex {
    graph
        .node_indices()
        .find(|i| graph[*i].address == address && graph[*i].operation == operation)
        .unwrap_or_else(|| panic!("no {operation:?} of {address}"))
}

/// Whether `a` must finish before `b` starts (directly or through others).
fn before(graph: &ActionGraph, a: (&str, Operation), b: (&str, Operation)) -> bool {
    let a = node(graph, a.0, a.1);
    let b = node(graph, b.0, b.1);
    has_path_connecting(graph, a, b, None)
}

#[test]
fn creates_follow_their_dependencies_and_no_ops_are_left_out() {
    let p = plan(
        vec![
            change("Vpc", "AWS::EC2::VPC", Action::Create, &[]),
            change("Subnet", "AWS::EC2::Subnet", Action::Create, &["Vpc"]),
            change("Role", "AWS::IAM::Role", Action::NoOp, &[]),
            change(
                "Profile",
                "AWS::IAM::InstanceProfile",
                Action::Update,
                &["Role"],
            ),
        ],
        false,
    );
    let graph = action_graph(&p, &State::new(STACK)).expect("acyclic");
    assert_eq!(graph.node_count(), 3);
    assert!(before(
        &graph,
        ("Vpc", Operation::Create),
        ("Subnet", Operation::Create)
    ));
    assert_eq!(graph.edge_count(), 1);
}

#[test]
fn a_nested_stack_dependency_means_every_resource_in_it() {
    let p = plan(
        vec![
            change("VpcStack.Vpc", "AWS::EC2::VPC", Action::Create, &[]),
            change(
                "VpcStack.Subnet",
                "AWS::EC2::Subnet",
                Action::Create,
                &["VpcStack.Vpc"],
            ),
            change("VpcStackTwo.Vpc", "AWS::EC2::VPC", Action::Create, &[]),
            change(
                "Cluster",
                "AWS::ECS::Cluster",
                Action::Create,
                &["VpcStack"],
            ),
        ],
        false,
    );
    let graph = action_graph(&p, &State::new(STACK)).expect("acyclic");
    assert!(before(
        &graph,
        ("VpcStack.Vpc", Operation::Create),
        ("Cluster", Operation::Create)
    ));
    assert!(before(
        &graph,
        ("VpcStack.Subnet", Operation::Create),
        ("Cluster", Operation::Create)
    ));
    assert!(!before(
        &graph,
        ("VpcStackTwo.Vpc", Operation::Create),
        ("Cluster", Operation::Create)
    ));
}

#[test]
fn deletes_wait_for_their_dependents_by_state_and_by_plan() {
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Vpc".into(), record("AWS::EC2::VPC", "vpc-1", &[]));
    state.resources.insert(
        "Subnet".into(),
        record("AWS::EC2::Subnet", "subnet-1", &["Vpc"]),
    );
    state
        .resources
        .insert("Sg".into(), record("AWS::EC2::SecurityGroup", "sg-1", &[]));
    // The launch template used the security group (per state) and is updated to drop it.
    state.resources.insert(
        "Template".into(),
        record("AWS::EC2::LaunchTemplate", "lt-1", &["Sg"]),
    );
    let p = plan(
        vec![
            change("Vpc", "AWS::EC2::VPC", Action::Delete, &[]),
            change("Subnet", "AWS::EC2::Subnet", Action::Delete, &["Vpc"]),
            change("Sg", "AWS::EC2::SecurityGroup", Action::Delete, &[]),
            change("Template", "AWS::EC2::LaunchTemplate", Action::Update, &[]),
        ],
        false,
    );
    let graph = action_graph(&p, &state).expect("acyclic");
    assert!(before(
        &graph,
        ("Subnet", Operation::Delete),
        ("Vpc", Operation::Delete)
    ));
    assert!(before(
        &graph,
        ("Template", Operation::Update),
        ("Sg", Operation::Delete)
    ));
}

#[test]
fn create_then_delete_creates_first_and_deletes_after_every_dependent() {
    let mut state = State::new(STACK);
    state.resources.insert(
        "Tg".into(),
        record("AWS::ElasticLoadBalancingV2::TargetGroup", "tg-1", &[]),
    );
    state.resources.insert(
        "Listener".into(),
        record("AWS::ElasticLoadBalancingV2::Listener", "l-1", &["Tg"]),
    );
    let p = plan(
        vec![
            change(
                "Tg",
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Action::CreateThenDelete,
                &[],
            ),
            change(
                "Listener",
                "AWS::ElasticLoadBalancingV2::Listener",
                Action::Update,
                &["Tg"],
            ),
        ],
        false,
    );
    let graph = action_graph(&p, &state).expect("acyclic");
    let create = ("Tg", Operation::CreateReplacement);
    let delete = ("Tg", Operation::DeleteReplaced);
    let update = ("Listener", Operation::Update);
    assert!(before(&graph, create, update));
    assert!(before(&graph, update, delete));
    assert!(before(&graph, create, delete));
}

#[test]
fn delete_then_create_deletes_dependents_first_and_creates_after() {
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Sg".into(), record("AWS::EC2::SecurityGroup", "sg-1", &[]));
    state.resources.insert(
        "Ingress".into(),
        record("AWS::EC2::SecurityGroupIngress", "sgr-1", &["Sg"]),
    );
    state.resources.insert(
        "Template".into(),
        record("AWS::EC2::LaunchTemplate", "lt-1", &["Sg"]),
    );
    let p = plan(
        vec![
            change(
                "Sg",
                "AWS::EC2::SecurityGroup",
                Action::DeleteThenCreate,
                &[],
            ),
            change(
                "Ingress",
                "AWS::EC2::SecurityGroupIngress",
                Action::DeleteThenCreate,
                &["Sg"],
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
    let graph = action_graph(&p, &state).expect("acyclic");
    let ingress_delete = ("Ingress", Operation::DeleteReplaced);
    let sg_delete = ("Sg", Operation::DeleteReplaced);
    let sg_create = ("Sg", Operation::CreateReplacement);
    let ingress_create = ("Ingress", Operation::CreateReplacement);
    assert!(before(&graph, ingress_delete, sg_delete));
    assert!(before(&graph, sg_delete, sg_create));
    assert!(before(&graph, sg_create, ingress_create));
    assert!(before(&graph, sg_create, ("Template", Operation::Update)));
}

#[test]
fn an_impossible_replacement_order_is_reported_by_name() {
    // The security group's name is explicit (delete first); the launch template's is generated
    // (create first), but its new object needs the new group, which needs the old group gone,
    // which needs the old template gone, which waits for the new template.
    let mut state = State::new(STACK);
    state
        .resources
        .insert("Sg".into(), record("AWS::EC2::SecurityGroup", "sg-1", &[]));
    state.resources.insert(
        "Template".into(),
        record("AWS::EC2::LaunchTemplate", "lt-1", &["Sg"]),
    );
    let p = plan(
        vec![
            change(
                "Sg",
                "AWS::EC2::SecurityGroup",
                Action::DeleteThenCreate,
                &[],
            ),
            change(
                "Template",
                "AWS::EC2::LaunchTemplate",
                Action::CreateThenDelete,
                &["Sg"],
            ),
        ],
        false,
    );
    let error = action_graph(&p, &state).expect_err("a cycle");
    assert_eq!(error.cycles.len(), 1);
    assert_eq!(
        error.to_string(),
        "the plan's actions cannot be ordered: cycle through \
         Sg (create replacement), Sg (delete replaced object), \
         Template (create replacement), Template (delete replaced object)"
    );
}
