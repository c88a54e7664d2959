//! The critical-path bound of a template: planned as `infra plan` plans a fresh stack (nested
//! stacks flattened, inferred dependencies included), its create and destroy ordered as the
//! engine orders them, and the longest chain of the latency model's seconds through each,
//! under each schedule.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, anyhow};
use infra_engine::schedule::{Schedule, bound};
use infra_engine::{ActionNode, action_graph};
use infra_plan::GraphOptions;
use infra_plan::plan::{Action, Binding, Plan, PlanRequest, compute};
use infra_state::State;
use infra_template::{LoadOptions, Offline, Pseudo};
use serde_json::{Value, json};

use infra_engine::LatencyModel;

/// The stack name the template is loaded with (it only shapes generated names).
const STACK: &str = "bench";

/// `{"resources": N, "divide_by": D, "create": {"critical_path": S, "stack_serial": S},
/// "delete": {...}}`, in the model's seconds.
pub fn bounds(
    template: &Path,
    parameters: &BTreeMap<String, String>,
    model: &LatencyModel,
) -> anyhow::Result<Value> {
    let create = create_plan(template, parameters)?;
    let mut missing: Vec<&str> = create
        .changes
        .iter()
        .map(|change| change.type_name.as_str())
        .filter(|type_name| !model.lists(type_name))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        return Err(anyhow!(
            "the latency model has no figures for {}",
            missing.join(", ")
        ));
    }
    let delete = destroy_plan(&create);
    let empty = State::new(STACK);
    let mut result = json!({
        "resources": create.changes.len(),
        "divide_by": model.divide_by(),
    });
    for (name, plan) in [("create", &create), ("delete", &delete)] {
        let actions = action_graph(plan, &empty).context("ordering the operations")?;
        let seconds =
            |node: &ActionNode| model.seconds(&plan.changes[node.change].type_name, node.operation);
        let longest = |schedule| bound(&actions, schedule, &seconds).context("a cycle");
        result[name] = json!({
            "critical_path": longest(Schedule::CriticalPath)?,
            "stack_serial": longest(Schedule::StackSerial)?,
        });
    }
    Ok(result)
}

/// The plan of a fresh stack: every resource created, each depending on what the graph says.
fn create_plan(template: &Path, parameters: &BTreeMap<String, String>) -> anyhow::Result<Plan> {
    let options = LoadOptions {
        texts: Default::default(),
        artifacts: Default::default(),
        parameters: parameters.clone(),
        pseudo: Pseudo {
            region: None,
            account_id: None,
            stack_name: STACK.to_owned(),
        },
    };
    let deployment = infra_template::load(template, &options, &Offline)
        .map_err(|e| anyhow!("{} does not load: {}", template.display(), e.diagnostics))?;
    // The plan ignores a graph that does not build; refuse it here instead.
    infra_plan::build(&deployment, GraphOptions::default())
        .map_err(|d| anyhow!("{}: {d}", template.display()))?;
    let request = PlanRequest {
        deployment: Some(&deployment),
        state: None,
        observed: None,
        destroy: false,
        targets: &[],
        cloud_control: &[],
    };
    let binding = Binding {
        stack: STACK.to_owned(),
        lineage: None,
        serial: 0,
        template_sha256: String::new(),
        parameters_sha256: String::new(),
        template: template.display().to_string(),
    };
    Ok(compute(request, binding))
}

/// The destroy of everything `create` makes: the state such an apply records holds each
/// change's `depends_on` as the resource's dependencies, which is what a destroy orders by.
fn destroy_plan(create: &Plan) -> Plan {
    let mut plan = create.clone();
    plan.destroy = true;
    for change in &mut plan.changes {
        change.action = Action::Delete;
    }
    plan.summary = Plan::summarize(&plan.changes);
    plan
}
