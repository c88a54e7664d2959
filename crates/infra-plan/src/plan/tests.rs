//! Plans against states built the way apply would record them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infra_state::{ResourceRecord, ResourceStatus, State};
use infra_template::{Deployment, LoadOptions, Lookups, Pseudo, Value, load};

use super::*;

struct Aws;
impl Lookups for Aws {
    fn availability_zones(&self, _: &str) -> Option<Vec<String>> {
        Some(vec!["us-east-1a".into(), "us-east-1b".into()])
    }
    fn ssm_parameter(&self, _: &str) -> Option<Value> {
        Some(Value::string("ami-0123456789abcdef0"))
    }
}

fn fixture() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml");
    assert!(
        p.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        p.display()
    );
    p
}

fn binding() -> Binding {
    Binding {
        stack: "demo".into(),
        lineage: None,
        serial: 0,
        template_sha256: "t".into(),
        parameters_sha256: "p".into(),
        template: "parent.yml".into(),
    }
}

fn loader(
    path: PathBuf,
    params: BTreeMap<String, String>,
) -> impl FnMut(&dyn Lookups) -> Result<Deployment, infra_template::LoadError> {
    move |l: &dyn Lookups| {
        let opts = LoadOptions {
            texts: Default::default(),
            artifacts: Default::default(),
            parameters: params.clone(),
            pseudo: Pseudo {
                region: Some("us-east-1".into()),
                account_id: Some("123456789012".into()),
                stack_name: "demo".into(),
            },
        };
        load(&path, &opts, l)
    }
}

/// The state an apply of `path` would leave: every resource with a fake id and attributes.
fn applied_state(path: &Path, params: &BTreeMap<String, String>) -> State {
    let mut state = State::new("demo");
    let mut load = loader(path.to_path_buf(), params.clone());
    let first = load(&Aws).unwrap_or_else(|e| panic!("{:?}", messages(&e)));
    for r in &first.resources {
        let rt = infra_registry::resource_type(&r.type_name).expect("type");
        let attributes = rt
            .attributes
            .iter()
            .map(|a| {
                (
                    a.name.to_string(),
                    serde_json::Value::String(format!("{}-{}", r.address, a.name)),
                )
            })
            .collect();
        state.resources.insert(
            r.address.clone(),
            ResourceRecord {
                resource_type: r.type_name.clone(),
                physical_id: fake_id(&r.type_name, &r.address),
                properties: serde_json::Value::Null,
                attributes,
                dependencies: Vec::new(),
                status: ResourceStatus::Created,
                path: super::path_for_new(&r.type_name, &[]),
                deletion_policy: Default::default(),
                update_replace_policy: Default::default(),
            },
        );
    }
    let lookups = StateLookups {
        state: Some(&state),
        hidden: Default::default(),
        hidden_attributes: Default::default(),
        base: &Aws,
    };
    let known = load(&lookups).unwrap_or_else(|e| panic!("{:?}", messages(&e)));
    for r in &known.resources {
        let json = r
            .properties
            .to_json()
            .unwrap_or_else(|| panic!("{} still has unknowns", r.address));
        if let Some(rec) = state.resources.get_mut(&r.address) {
            rec.properties = json;
        }
    }
    state
}

/// A physical id of the shape AWS gives that type (parameters check id prefixes).
fn fake_id(type_name: &str, address: &str) -> String {
    let prefix = match type_name {
        "AWS::EC2::VPC" => "vpc-",
        "AWS::EC2::Subnet" => "subnet-",
        "AWS::EC2::SecurityGroup" => "sg-",
        _ => "id-",
    };
    format!("{prefix}{}", address.to_lowercase().replace('.', "-"))
}

fn messages(e: &infra_template::LoadError) -> Vec<String> {
    e.diagnostics.0.iter().map(|d| d.message.clone()).collect()
}

fn plan_for(
    path: &Path,
    params: BTreeMap<String, String>,
    state: Option<&State>,
    observed: Option<&Observed>,
) -> Plan {
    plan_through(path, params, state, observed, &[])
}

/// [`plan_for`] with `--cloud-control` types.
fn plan_through(
    path: &Path,
    params: BTreeMap<String, String>,
    state: Option<&State>,
    observed: Option<&Observed>,
    cloud_control: &[String],
) -> Plan {
    let mut load = loader(path.to_path_buf(), params);
    let settings = PlanSettings {
        state,
        observed,
        base: &Aws,
        targets: &[],
        cloud_control,
    };
    plan_until_stable(&mut load, settings, binding())
        .unwrap_or_else(|e| panic!("{:?}", messages(&e)))
        .1
}

fn action(plan: &Plan, address: &str) -> Action {
    plan.changes
        .iter()
        .find(|c| c.address == address)
        .unwrap_or_else(|| panic!("no change for {address}"))
        .action
}

#[test]
fn an_empty_state_creates_every_resource_of_the_fixture() {
    let plan = plan_for(&fixture(), BTreeMap::new(), None, None);
    assert_eq!(
        plan.summary,
        Summary {
            add: 39,
            change: 0,
            destroy: 0,
            retain: 0
        }
    );
    assert!(plan.changes.iter().all(|c| c.action == Action::Create));
    assert_eq!(plan.notes.len(), 1);
    assert!(
        plan.notes[0].contains("ClusterStack.ECSAutoScalingGroup"),
        "{}",
        plan.notes[0]
    );
}

#[test]
fn an_applied_state_plans_no_changes() {
    let state = applied_state(&fixture(), &BTreeMap::new());
    let plan = plan_for(&fixture(), BTreeMap::new(), Some(&state), None);
    let changed: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| &c.address)
        .collect();
    assert!(changed.is_empty(), "unexpected changes: {changed:?}");
    assert!(plan.is_empty());
}

fn small(dir: &Path, cidr: &str, extra: &str) -> PathBuf {
    let text = format!(
        r"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {{CidrBlock: 10.0.0.0/16{extra}}}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {{VpcId: !Ref Vpc, CidrBlock: {cidr}}}
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {{VpcId: !Ref Vpc}}
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {{SubnetId: !Ref Subnet, RouteTableId: !Ref Table}}
"
    );
    let p = dir.join("small.yml");
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn an_in_place_change_is_an_update() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = applied_state(&small(dir.path(), "10.0.1.0/24", ""), &BTreeMap::new());
    let path = small(dir.path(), "10.0.1.0/24", ", EnableDnsHostnames: true");
    let plan = plan_for(&path, BTreeMap::new(), Some(&state), None);
    assert_eq!(action(&plan, "Vpc"), Action::Update);
    assert_eq!(action(&plan, "Subnet"), Action::NoOp);
    assert_eq!(
        plan.summary,
        Summary {
            add: 0,
            change: 1,
            destroy: 0,
            retain: 0
        }
    );
}

#[test]
fn a_create_only_change_replaces_and_makes_dependents_unknown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = applied_state(&small(dir.path(), "10.0.1.0/24", ""), &BTreeMap::new());
    let path = small(dir.path(), "10.0.2.0/24", "");
    let plan = plan_for(&path, BTreeMap::new(), Some(&state), None);
    let subnet = plan
        .changes
        .iter()
        .find(|c| c.address == "Subnet")
        .expect("subnet");
    assert_eq!(subnet.action, Action::CreateThenDelete);
    assert_eq!(subnet.replace_paths, vec!["CidrBlock"]);
    // The association's SubnetId becomes unknown, and it is create-only too.
    let assoc = plan
        .changes
        .iter()
        .find(|c| c.address == "Assoc")
        .expect("assoc");
    assert!(assoc.action.is_replace(), "{:?}", assoc.action);
    assert!(
        matches!(&assoc.after, Some(Value::Map(m)) if matches!(m.get("SubnetId"), Some(Value::Unknown(_))))
    );
    assert_eq!(action(&plan, "Vpc"), Action::NoOp);
}

#[test]
fn resources_gone_from_the_template_are_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = applied_state(&small(dir.path(), "10.0.1.0/24", ""), &BTreeMap::new());
    let extra = state.resources["Table"].clone();
    state.resources.insert("OldTable".into(), extra);
    let plan = plan_for(
        &small(dir.path(), "10.0.1.0/24", ""),
        BTreeMap::new(),
        Some(&state),
        None,
    );
    assert_eq!(action(&plan, "OldTable"), Action::Delete);
    assert_eq!(plan.summary.destroy, 1);
}

#[test]
fn drift_is_reported_and_a_deleted_resource_is_recreated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small(dir.path(), "10.0.1.0/24", "");
    let state = applied_state(&path, &BTreeMap::new());
    let mut observed = Observed::default();
    observed.resources.insert("Subnet".into(), None);
    let mut vpc = state.resources["Vpc"].properties.clone();
    vpc["EnableDnsSupport"] = serde_json::json!(false);
    vpc["CidrBlock"] = serde_json::json!("10.9.0.0/16");
    observed.resources.insert("Vpc".into(), Some(vpc));
    let plan = plan_for(&path, BTreeMap::new(), Some(&state), Some(&observed));
    assert_eq!(plan.drift.len(), 2, "{:?}", plan.drift);
    let subnet = plan
        .changes
        .iter()
        .find(|c| c.address == "Subnet")
        .expect("subnet");
    assert_eq!(subnet.action, Action::Create);
    assert!(
        subnet
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("outside infra"))
    );
    // Only keys infra manages count: EnableDnsSupport was never set, CidrBlock was.
    assert!(action(&plan, "Vpc").is_replace());
}

#[test]
fn saved_plans_refuse_a_moved_state_or_changed_inputs() {
    let b = binding();
    assert_eq!(check_binding(&b, &b), Ok(()));
    let mut later = b.clone();
    later.lineage = Some("L".into());
    later.serial = 3;
    let mut saved = later.clone();
    saved.serial = 2;
    assert!(matches!(
        check_binding(&saved, &later),
        Err(SavedPlanError::Stale {
            saved: 2,
            current: 3
        })
    ));
    saved.serial = 3;
    saved.lineage = Some("M".into());
    assert!(matches!(
        check_binding(&saved, &later),
        Err(SavedPlanError::LineageMismatch { .. })
    ));
    let mut t = later.clone();
    t.template_sha256 = "other".into();
    assert_eq!(
        check_binding(&t, &later),
        Err(SavedPlanError::TemplateChanged)
    );
    let mut p = later.clone();
    p.parameters_sha256 = "other".into();
    assert_eq!(
        check_binding(&p, &later),
        Err(SavedPlanError::ParametersChanged)
    );
}

#[test]
fn saved_plans_round_trip_with_unknowns() {
    let plan = plan_for(&fixture(), BTreeMap::new(), None, None);
    let bytes = write_plan_bytes(&plan);
    let back = read_plan(&bytes).expect("reads");
    assert_eq!(back.summary, plan.summary);
    assert_eq!(back.changes.len(), plan.changes.len());
    let vpc = back
        .changes
        .iter()
        .find(|c| c.address == "ClusterStack.ContainerHostSecurityGroup")
        .expect("sg");
    assert!(
        matches!(&vpc.after, Some(Value::Map(m)) if matches!(m.get("VpcId"), Some(Value::Unknown(_))))
    );
    assert!(matches!(
        read_plan(b"{\"format_version\": 99}"),
        Err(SavedPlanError::TooNew { found: 99, .. })
    ));
    assert!(matches!(
        read_plan(b"nope"),
        Err(SavedPlanError::Malformed(_))
    ));
}

#[test]
fn secrets_are_redacted_from_plans() {
    let mut plan = plan_for(&fixture(), BTreeMap::new(), None, None);
    redact(&mut plan, &["nginx".to_string()]);
    let text = String::from_utf8(write_plan_bytes(&plan)).expect("utf8");
    assert!(!text.contains("nginx"));
    assert!(text.contains("(sensitive value)"));
}

#[test]
fn targets_keep_only_what_they_need() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small(dir.path(), "10.0.1.0/24", "");
    let mut load = loader(path, BTreeMap::new());
    let targets = vec!["Subnet".to_string()];
    let settings = PlanSettings {
        state: None,
        observed: None,
        base: &Aws,
        targets: &targets,
        cloud_control: &[],
    };
    let plan = plan_until_stable(&mut load, settings, binding())
        .expect("plans")
        .1;
    let addresses: Vec<&str> = plan.changes.iter().map(|c| c.address.as_str()).collect();
    assert_eq!(addresses, vec!["Subnet", "Vpc"]);
}

#[test]
fn the_fixture_create_all_plan_renders_like_terraform() {
    let plan = plan_for(&fixture(), BTreeMap::new(), None, None);
    let options = crate::render::RenderOptions {
        color: false,
        secrets: Vec::new(),
        show_unchanged: false,
    };
    let text = crate::render::render_plan(&plan, &options);
    // The fixture path differs per machine; everything else is deterministic.
    insta::assert_snapshot!(text);
}

#[test]
fn what_served_an_adopted_asg_destroyer_is_deleted_naming_the_native_teardown() {
    // After `import --from-cloudformation`, the state holds the function and role that served
    // the stack's Custom::AsgDestroyer; the template loads without them.
    let params = BTreeMap::new();
    let mut state = applied_state(&fixture(), &params);
    let deployment =
        loader(fixture(), params.clone())(&Aws).unwrap_or_else(|e| panic!("{:?}", messages(&e)));
    let teardown = deployment
        .native_teardowns
        .first()
        .expect("the fixture has a Custom::AsgDestroyer");
    assert!(!teardown.removed.is_empty());
    for address in &teardown.removed {
        let record = state.resources["VpcStack.VPC"].clone();
        state.resources.insert(address.clone(), record);
    }
    let plan = plan_for(&fixture(), params, Some(&state), None);
    for address in &teardown.removed {
        let change = plan
            .changes
            .iter()
            .find(|c| &c.address == address)
            .unwrap_or_else(|| panic!("no change for {address}"));
        assert_eq!(change.action, Action::Delete);
        assert_eq!(
            change.reason.as_deref(),
            Some(
                format!(
                    "it served a Custom::AsgDestroyer, and infra's native teardown of {} replaces it",
                    teardown.asg
                )
                .as_str()
            )
        );
    }
    assert_eq!(plan.summary.destroy, teardown.removed.len());
}

fn cloud_control_template(dir: &Path, timeout: u32, queue_name: &str) -> PathBuf {
    let text = format!(
        r"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {{CidrBlock: 10.0.0.0/16}}
  Queue:
    Type: AWS::Kinesis::Stream
    Properties: {{Name: {queue_name}, RetentionPeriodHours: {timeout}}}
  Param:
    Type: AWS::SSM::Parameter
    Properties: {{Type: String, Value: !GetAtt Queue.Arn}}
"
    );
    let p = dir.join("cc.yml");
    std::fs::write(&p, text).expect("write");
    p
}

fn path_of(plan: &Plan, address: &str) -> infra_state::ResourcePath {
    plan.changes
        .iter()
        .find(|c| c.address == address)
        .unwrap_or_else(|| panic!("no change for {address}"))
        .path
}

#[test]
fn types_without_a_native_provider_plan_through_cloud_control() {
    use infra_state::ResourcePath::{CloudControl, Native};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = cloud_control_template(dir.path(), 30, "jobs");
    let plan = plan_for(&path, BTreeMap::new(), None, None);
    assert_eq!(path_of(&plan, "Vpc"), Native);
    assert_eq!(path_of(&plan, "Queue"), CloudControl);
    assert_eq!(path_of(&plan, "Param"), Native);
    let forced = plan_through(
        &path,
        BTreeMap::new(),
        None,
        None,
        &["AWS::EC2::VPC".to_owned()],
    );
    assert_eq!(path_of(&forced, "Vpc"), CloudControl);
    let json = serde_json::to_value(&forced).expect("serialises");
    let vpc = json["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["address"] == "Vpc"))
        .expect("the VPC's change");
    assert_eq!(vpc["path"], "cloudcontrol");
}

#[test]
fn a_resource_keeps_its_recorded_path_and_catalog_types_update_or_replace_by_schema() {
    use infra_state::ResourcePath::{CloudControl, Native};
    let dir = tempfile::tempdir().expect("tempdir");
    let state = applied_state(
        &cloud_control_template(dir.path(), 30, "jobs"),
        &BTreeMap::new(),
    );
    assert_eq!(state.resources["Queue"].path, CloudControl);
    // The flag only chooses the path of new resources: the VPC stays native.
    let same = plan_through(
        &cloud_control_template(dir.path(), 30, "jobs"),
        BTreeMap::new(),
        Some(&state),
        None,
        &["AWS::EC2::VPC".to_owned()],
    );
    assert!(same.is_empty(), "{:?}", same.changes);
    assert_eq!(path_of(&same, "Vpc"), Native);
    // RetentionPeriodHours is updatable; Name is create-only.
    let updated = plan_for(
        &cloud_control_template(dir.path(), 60, "jobs"),
        BTreeMap::new(),
        Some(&state),
        None,
    );
    assert_eq!(action(&updated, "Queue"), Action::Update);
    let renamed = plan_for(
        &cloud_control_template(dir.path(), 30, "jobs2"),
        BTreeMap::new(),
        Some(&state),
        None,
    );
    assert!(action(&renamed, "Queue").is_replace());
    assert_eq!(path_of(&renamed, "Queue"), CloudControl);
}

// ---------------------------------------------------------------- DeletionPolicy, UpdateReplacePolicy

/// [`small`] with `subnet` and `table` written under the subnet and the route table
/// (resource attributes such as `DeletionPolicy: Retain`, four spaces in).
fn small_with(dir: &Path, cidr: &str, subnet: &str, table: &str) -> PathBuf {
    let text = format!(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {{CidrBlock: 10.0.0.0/16}}\n  Subnet:\n    Type: AWS::EC2::Subnet\n{subnet}    Properties: {{VpcId: !Ref Vpc, CidrBlock: {cidr}}}\n  Table:\n    Type: AWS::EC2::RouteTable\n{table}    Properties: {{VpcId: !Ref Vpc}}\n  Assoc:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: {{SubnetId: !Ref Subnet, RouteTableId: !Ref Table}}\n"
    );
    let p = dir.join("policies.yml");
    std::fs::write(&p, text).expect("write");
    p
}

fn change_of<'p>(plan: &'p Plan, address: &str) -> &'p ResourceChange {
    plan.changes
        .iter()
        .find(|c| c.address == address)
        .unwrap_or_else(|| panic!("no change for {address}"))
}

fn set_policies(
    state: &mut State,
    address: &str,
    deletion: infra_state::DeletionPolicy,
    update_replace: infra_state::UpdateReplacePolicy,
) {
    let record = state.resources.get_mut(address).expect("record");
    record.deletion_policy = deletion;
    record.update_replace_policy = update_replace;
}

fn destroy_plan_of(state: &State) -> Plan {
    let request = PlanRequest {
        deployment: None,
        state: Some(state),
        observed: None,
        destroy: true,
        targets: &[],
        cloud_control: &[],
    };
    compute(request, binding())
}

#[test]
fn an_unchanged_template_with_policies_plans_nothing() {
    use infra_state::{DeletionPolicy, UpdateReplacePolicy};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_with(
        dir.path(),
        "10.0.1.0/24",
        "    UpdateReplacePolicy: Retain\n",
        "    DeletionPolicy: Retain\n",
    );
    let mut state = applied_state(&path, &BTreeMap::new());
    set_policies(
        &mut state,
        "Subnet",
        DeletionPolicy::Delete,
        UpdateReplacePolicy::Retain,
    );
    set_policies(
        &mut state,
        "Table",
        DeletionPolicy::Retain,
        UpdateReplacePolicy::Delete,
    );
    let plan = plan_for(&path, BTreeMap::new(), Some(&state), None);
    assert!(plan.is_empty(), "{:#?}", plan.changes);
    assert_eq!(
        change_of(&plan, "Table").deletion_policy,
        DeletionPolicy::Retain
    );
}

#[test]
fn a_policy_only_change_is_recorded_with_no_aws_change() {
    use infra_state::{DeletionPolicy, UpdateReplacePolicy};
    let dir = tempfile::tempdir().expect("tempdir");
    let state = applied_state(&small(dir.path(), "10.0.1.0/24", ""), &BTreeMap::new());
    let path = small_with(
        dir.path(),
        "10.0.1.0/24",
        "",
        "    DeletionPolicy: RetainExceptOnCreate\n    UpdateReplacePolicy: Retain\n",
    );
    let plan = plan_for(&path, BTreeMap::new(), Some(&state), None);
    let table = change_of(&plan, "Table");
    assert_eq!(table.action, Action::NoOp);
    assert_eq!(table.deletion_policy, DeletionPolicy::RetainExceptOnCreate);
    assert_eq!(table.update_replace_policy, UpdateReplacePolicy::Retain);
    assert_eq!(table.policies_before, Some(Policies::default()));
    assert_eq!(change_of(&plan, "Vpc").policies_before, None);
    // Nothing to do in AWS, but the state changes: the plan is not empty.
    assert_eq!(
        plan.summary,
        Summary {
            add: 0,
            change: 0,
            destroy: 0,
            retain: 0
        }
    );
    assert!(!plan.is_empty());
    let text = crate::render::render_plan(&plan, &Default::default());
    assert!(
        text.contains("Policies to record in the state (no change in AWS):\n\n  Table: DeletionPolicy Delete -> RetainExceptOnCreate, UpdateReplacePolicy Delete -> Retain\n"),
        "{text}"
    );
    assert!(
        text.contains("found nothing to change in AWS; applying this plan only records the policies above in the state."),
        "{text}"
    );
    let json = json::plan_json(&plan);
    let table = json["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["address"] == "Table")
        .expect("table");
    assert_eq!(table["actions"], serde_json::json!(["no-op"]));
    assert_eq!(table["deletion_policy"], "retain_except_on_create");
    assert_eq!(
        table["policies_before"],
        serde_json::json!({"deletion_policy": "delete", "update_replace_policy": "delete"})
    );
}

#[test]
fn a_destroy_plan_retains_what_the_state_says_to_keep() {
    use infra_state::{DeletionPolicy, UpdateReplacePolicy};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = applied_state(&small(dir.path(), "10.0.1.0/24", ""), &BTreeMap::new());
    set_policies(
        &mut state,
        "Table",
        DeletionPolicy::Retain,
        UpdateReplacePolicy::Delete,
    );
    set_policies(
        &mut state,
        "Subnet",
        DeletionPolicy::RetainExceptOnCreate,
        UpdateReplacePolicy::Delete,
    );
    // A create that did not finish is cleaned up as with Delete.
    set_policies(
        &mut state,
        "Assoc",
        DeletionPolicy::RetainExceptOnCreate,
        UpdateReplacePolicy::Retain,
    );
    state.resources.get_mut("Assoc").expect("assoc").status = ResourceStatus::Tainted;
    let plan = destroy_plan_of(&state);
    let forget = |address: &str| {
        let c = change_of(&plan, address);
        (c.action, c.retained_by)
    };
    let by_policy = Some(infra_state::RetainedBy::DeletionPolicy);
    assert_eq!(forget("Table"), (Action::Forget, by_policy));
    assert_eq!(forget("Subnet"), (Action::Forget, by_policy));
    assert_eq!(forget("Assoc"), (Action::Delete, None));
    assert_eq!(forget("Vpc"), (Action::Delete, None));
    assert_eq!(
        plan.summary,
        Summary {
            add: 0,
            change: 0,
            destroy: 2,
            retain: 2
        }
    );
    let text = crate::render::render_plan(&plan, &Default::default());
    assert!(
        text.contains(
            "  # Table will be removed from the state and kept in AWS\n  # (retained: DeletionPolicy)\n  . resource \"AWS::EC2::RouteTable\" \"Table\" {"
        ),
        "{text}"
    );
    assert!(
        text.contains("  . forget: remove from the state, keep in AWS\n"),
        "{text}"
    );
    assert!(
        text.contains("Plan: 0 to add, 0 to change, 2 to destroy, 2 to retain."),
        "{text}"
    );
    let json = json::plan_json(&plan);
    assert_eq!(json["summary"]["retain"], 2);
    let actions: BTreeMap<String, serde_json::Value> = json["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["address"].as_str().expect("address").to_owned(),
                c["actions"].clone(),
            )
        })
        .collect();
    assert_eq!(actions["Table"], serde_json::json!(["forget"]));
    assert_eq!(actions["Vpc"], serde_json::json!(["delete"]));
}

#[test]
fn a_resource_removed_from_the_template_keeps_its_recorded_policy() {
    use infra_state::{DeletionPolicy, UpdateReplacePolicy};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small(dir.path(), "10.0.1.0/24", "");
    let mut state = applied_state(&path, &BTreeMap::new());
    let mut kept = state.resources["Table"].clone();
    kept.deletion_policy = DeletionPolicy::Retain;
    state.resources.insert("OldTable".into(), kept);
    let mut deleted = state.resources["Table"].clone();
    deleted.update_replace_policy = UpdateReplacePolicy::Retain;
    state.resources.insert("OtherTable".into(), deleted);
    let plan = plan_for(&path, BTreeMap::new(), Some(&state), None);
    let old = change_of(&plan, "OldTable");
    assert_eq!(old.action, Action::Forget);
    assert_eq!(
        old.retained_by,
        Some(infra_state::RetainedBy::DeletionPolicy)
    );
    assert_eq!(
        old.reason.as_deref(),
        Some("it is no longer in the template")
    );
    assert_eq!(old.deletion_policy, DeletionPolicy::Retain);
    // UpdateReplacePolicy says nothing about a resource leaving the stack.
    assert_eq!(action(&plan, "OtherTable"), Action::Delete);
    assert_eq!(plan.summary.retain, 1);
    assert_eq!(plan.summary.destroy, 1);
}

#[test]
fn update_replace_policy_retain_keeps_the_replaced_object() {
    use infra_state::{DeletionPolicy, RetainedBy, UpdateReplacePolicy};
    let dir = tempfile::tempdir().expect("tempdir");
    let subnet = "    UpdateReplacePolicy: Retain\n";
    let mut state = applied_state(
        &small_with(dir.path(), "10.0.1.0/24", subnet, ""),
        &BTreeMap::new(),
    );
    set_policies(
        &mut state,
        "Subnet",
        DeletionPolicy::Delete,
        UpdateReplacePolicy::Retain,
    );
    let plan = plan_for(
        &small_with(dir.path(), "10.0.2.0/24", subnet, ""),
        BTreeMap::new(),
        Some(&state),
        None,
    );
    let replaced = change_of(&plan, "Subnet");
    assert_eq!(replaced.action, Action::CreateThenDelete);
    assert_eq!(replaced.retained_by, Some(RetainedBy::UpdateReplacePolicy));
    assert_eq!(replaced.policies_before, None);
    // The association is replaced too (its SubnetId is create-only), and deleted.
    let assoc = change_of(&plan, "Assoc");
    assert!(assoc.action.is_replace() && assoc.retained_by.is_none());
    assert_eq!(
        plan.summary,
        Summary {
            add: 2,
            change: 0,
            destroy: 1,
            retain: 1
        }
    );
    let text = crate::render::render_plan(&plan, &Default::default());
    assert!(
        text.contains("  # (the old object is retained: UpdateReplacePolicy; it is removed from the state, not destroyed)\n+/. resource \"AWS::EC2::Subnet\" \"Subnet\""),
        "{text}"
    );
    assert!(
        text.contains("+/. create replacement and then forget (keep in AWS)\n"),
        "{text}"
    );
    let json = json::plan_json(&plan);
    let subnet = json["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["address"] == "Subnet")
        .expect("subnet");
    assert_eq!(subnet["actions"], serde_json::json!(["create", "forget"]));
    assert_eq!(subnet["retained_by"], "update_replace_policy");
    // Without the policy in the template the old object is deleted, whatever the state had:
    // a resource in the template follows the template being applied.
    let without = plan_for(
        &small_with(dir.path(), "10.0.2.0/24", "", ""),
        BTreeMap::new(),
        Some(&state),
        None,
    );
    let replaced = change_of(&without, "Subnet");
    assert_eq!(replaced.retained_by, None);
    assert_eq!(
        replaced.policies_before.map(|p| p.update_replace_policy),
        Some(UpdateReplacePolicy::Retain)
    );
    assert_eq!(without.summary.retain, 0);
}

#[test]
fn a_tainted_object_is_kept_only_under_deletion_policy_retain() {
    use infra_state::{DeletionPolicy, RetainedBy, UpdateReplacePolicy};
    let dir = tempfile::tempdir().expect("tempdir");
    for (attributes, deletion, kept) in [
        (
            "    DeletionPolicy: RetainExceptOnCreate\n    UpdateReplacePolicy: Retain\n",
            DeletionPolicy::RetainExceptOnCreate,
            None,
        ),
        (
            "    DeletionPolicy: Retain\n",
            DeletionPolicy::Retain,
            Some(RetainedBy::DeletionPolicy),
        ),
    ] {
        let path = small_with(dir.path(), "10.0.1.0/24", "", attributes);
        let mut state = applied_state(&path, &BTreeMap::new());
        let update_replace =
            change_of(&plan_for(&path, BTreeMap::new(), None, None), "Table").update_replace_policy;
        set_policies(&mut state, "Table", deletion, update_replace);
        state.resources.get_mut("Table").expect("table").status = ResourceStatus::Tainted;
        let plan = plan_for(&path, BTreeMap::new(), Some(&state), None);
        let table = change_of(&plan, "Table");
        assert!(
            table.action.is_replace(),
            "{attributes}: {:?}",
            table.action
        );
        assert_eq!(table.retained_by, kept, "{attributes}");
        assert_eq!(
            update_replace == UpdateReplacePolicy::Retain,
            kept.is_none()
        );
    }
}

#[test]
fn a_deposed_object_follows_the_update_replace_policy() {
    use infra_state::{RetainedBy, UpdateReplacePolicy};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small(dir.path(), "10.0.1.0/24", "");
    let mut state = applied_state(&path, &BTreeMap::new());
    let mut old = state.resources["Subnet"].clone();
    old.physical_id = "subnet-old".into();
    old.update_replace_policy = UpdateReplacePolicy::Retain;
    state.resources.insert("Subnet#deposed-1".into(), old);
    let plan = plan_for(&path, BTreeMap::new(), Some(&state), None);
    let deposed = change_of(&plan, "Subnet#deposed-1");
    assert_eq!(deposed.action, Action::Forget);
    assert_eq!(deposed.retained_by, Some(RetainedBy::UpdateReplacePolicy));
}
