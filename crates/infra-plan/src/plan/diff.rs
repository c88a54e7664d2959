//! The diff: desired (the evaluated deployment) against prior (the state, corrected by what
//! refresh observed), one [`ResourceChange`] per resource.

use std::collections::{BTreeMap, BTreeSet};

use infra_state::{
    DeletionPolicy, ResourcePath, ResourceRecord, ResourceStatus, RetainedBy, State,
    UpdateReplacePolicy,
};
use infra_template::{Deployment, EdgeKind, Value};

use super::compare::changed_paths;
use super::model::{Action, Binding, Drift, PLAN_FORMAT_VERSION, Plan, Policies, ResourceChange};
use super::replace::{forcing_paths, replacement_action};

/// What refresh found: per address in state, the properties AWS reports now, or `None` when
/// the resource no longer exists. Addresses not listed were not refreshed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// Observed properties by address.
    pub resources: BTreeMap<String, Option<serde_json::Value>>,
}

/// Everything a plan is computed from.
#[derive(Debug, Clone, Copy)]
pub struct PlanRequest<'a> {
    /// The desired deployment; `None` for a destroy plan made without the template.
    pub deployment: Option<&'a Deployment>,
    /// The state read before planning.
    pub state: Option<&'a State>,
    /// What refresh observed.
    pub observed: Option<&'a Observed>,
    /// Plan everything for deletion.
    pub destroy: bool,
    /// `--target`: only these addresses (and what they depend on).
    pub targets: &'a [String],
    /// `--cloud-control`: types whose new resources go through AWS Cloud Control although
    /// infra deploys them natively.
    pub cloud_control: &'a [String],
}

/// The path of a resource of `type_name` that the state does not have yet: Cloud Control
/// when asked for the type or when infra has no native provider for it, else native.
pub fn path_for_new(type_name: &str, cloud_control: &[String]) -> ResourcePath {
    if cloud_control.iter().any(|t| t == type_name) || infra_registry::lookup(type_name).is_none() {
        ResourcePath::CloudControl
    } else {
        ResourcePath::Native
    }
}

/// Computes the plan.
pub fn compute(req: PlanRequest<'_>, binding: Binding) -> Plan {
    let empty_state = State::new(&binding.stack);
    let state = req.state.unwrap_or(&empty_state);
    let mut changes = Vec::new();
    let mut drift = Vec::new();

    // Prior values: the state, corrected by what refresh observed.
    let mut prior: BTreeMap<&str, Option<Value>> = BTreeMap::new();
    for (address, record) in &state.resources {
        let recorded = Value::from_json(&record.properties);
        match req.observed.and_then(|o| o.resources.get(address)) {
            Some(None) => {
                drift.push(Drift {
                    address: address.clone(),
                    type_name: record.resource_type.clone(),
                    before: Some(recorded),
                    after: None,
                });
                prior.insert(address, None);
            }
            Some(Some(observed)) => {
                let observed = restrict(&Value::from_json(observed), &recorded);
                let rt = infra_registry::resource_type(&record.resource_type);
                if !changed_paths(rt, &observed, &recorded).is_empty() {
                    drift.push(Drift {
                        address: address.clone(),
                        type_name: record.resource_type.clone(),
                        before: Some(recorded),
                        after: Some(observed.clone()),
                    });
                }
                prior.insert(address, Some(observed));
            }
            None => {
                prior.insert(address, Some(recorded));
            }
        }
    }

    let desired: BTreeMap<&str, &infra_template::Resource> = match (req.deployment, req.destroy) {
        (Some(d), false) => d
            .resources
            .iter()
            .map(|r| (r.address.as_str(), r))
            .collect(),
        _ => BTreeMap::new(),
    };
    let native: BTreeSet<&str> = req
        .deployment
        .map(|d| {
            d.resources
                .iter()
                .filter(|r| r.native_teardown)
                .map(|r| r.address.as_str())
                .collect()
        })
        .unwrap_or_default();
    // What serves a `Custom::AsgDestroyer` (its function, the function's role) and was adopted
    // from CloudFormation: deleted, since infra's native teardown replaces it.
    let retired: BTreeMap<&str, &str> = req
        .deployment
        .map(|d| {
            d.native_teardowns
                .iter()
                .flat_map(|t| {
                    std::iter::once(t.custom_resource.as_str())
                        .chain(t.removed.iter().map(String::as_str))
                        .map(|address| (address, t.asg.as_str()))
                })
                .collect()
        })
        .unwrap_or_default();

    // Dependencies AWS needs that the template leaves out count too: they order the apply now
    // and, recorded in the state, the destroy later (which may run without the template).
    let mut inferred: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let (Some(d), false) = (req.deployment, req.destroy)
        && let Ok(g) = crate::graph::build(d, crate::graph::GraphOptions::default())
    {
        for (from, to, _) in g.edges_of_kind(EdgeKind::Inferred) {
            inferred
                .entry(from.to_string())
                .or_default()
                .push(to.to_string());
        }
    }
    for (address, r) in &desired {
        let after = r.properties.clone();
        let record = state.resources.get(*address);
        let depends_on: Vec<String> = r
            .deps
            .iter()
            .filter(|d| d.kind != EdgeKind::Barrier)
            .map(|d| d.target.clone())
            .chain(inferred.get(*address).into_iter().flatten().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let policies = template_policies(r);
        let mut change = ResourceChange {
            address: (*address).to_string(),
            type_name: r.type_name.clone(),
            action: Action::NoOp,
            before: None,
            after: Some(after.clone()),
            replace_paths: Vec::new(),
            reason: None,
            physical_id: record.map(|x| x.physical_id.clone()),
            depends_on,
            inferred: inferred.get(*address).cloned().unwrap_or_default(),
            native_teardown: r.native_teardown,
            // A resource keeps the path it was created on.
            path: record.map_or_else(
                || path_for_new(&r.type_name, req.cloud_control),
                |rec| rec.path,
            ),
            deletion_policy: policies.deletion_policy,
            update_replace_policy: policies.update_replace_policy,
            retained_by: None,
            policies_before: None,
        };
        let rt = infra_registry::resource_type(&r.type_name);
        match (record, prior.get(address)) {
            (None, _) => change.action = Action::Create,
            (Some(_), Some(None)) => {
                change.action = Action::Create;
                change.reason = Some("it was deleted outside infra".into());
                change.physical_id = None;
            }
            (Some(rec), Some(Some(before))) => {
                change.before = Some(before.clone());
                // A name infra generated is not in the template: keep it, it is not a change.
                let kept = keep_generated_name(rt, &after, before);
                let changed = changed_paths(rt, &kept, before);
                change.after = Some(kept);
                if rec.resource_type != r.type_name {
                    change.action = replace_action(rt, &after);
                    change.reason = Some(format!("its type changed from {}", rec.resource_type));
                } else if rec.status == ResourceStatus::Tainted {
                    change.action = replace_action(rt, &after);
                    change.reason = Some("it is tainted (a previous create did not finish)".into());
                } else if !changed.is_empty() {
                    let forcing = match rt {
                        Some(rt) => {
                            forcing_paths(rt, &changed, before, &after, r.update_policy.as_ref())
                        }
                        None => Vec::new(),
                    };
                    if forcing.is_empty() {
                        change.action = Action::Update;
                    } else {
                        change.action = match rt {
                            Some(t) if super::replace::must_destroy_first(t, before, &after) => {
                                Action::DeleteThenCreate
                            }
                            _ => replace_action(rt, &after),
                        };
                        change.replace_paths = forcing;
                    }
                }
            }
            (Some(_), None) => change.action = Action::Create,
        }
        if let Some(rec) = record
            && change.action != Action::Create
        {
            if change.action.is_replace() {
                change.retained_by = replaced_object_kept(rec, policies);
            }
            let recorded = recorded_policies(rec);
            if recorded != policies {
                change.policies_before = Some(recorded);
            }
        }
        changes.push(change);
    }

    for (address, record) in &state.resources {
        if desired.contains_key(address.as_str()) {
            continue;
        }
        let gone = matches!(prior.get(address.as_str()), Some(None));
        let retained_by = (!gone)
            .then(|| leaving_object_kept(address, record))
            .flatten();
        changes.push(ResourceChange {
            address: address.clone(),
            type_name: record.resource_type.clone(),
            action: match (gone, retained_by) {
                (true, _) => Action::NoOp,
                (false, Some(_)) => Action::Forget,
                (false, None) => Action::Delete,
            },
            before: prior.get(address.as_str()).cloned().flatten(),
            after: None,
            replace_paths: Vec::new(),
            reason: if super::recovery::is_deposed(address) && !gone {
                Some("it is the replaced object an interrupted run left behind".into())
            } else if let Some(asg) = retired.get(address.as_str()).filter(|_| !gone) {
                Some(format!(
                    "it served a Custom::AsgDestroyer, and infra's native teardown of {asg} replaces it"
                ))
            } else {
                (!req.destroy && !gone).then(|| "it is no longer in the template".into())
            },
            physical_id: Some(record.physical_id.clone()),
            depends_on: record.dependencies.clone(),
            inferred: Vec::new(),
            // A retained group is not torn down: nothing of it is deleted.
            native_teardown: retained_by.is_none()
                && (native.contains(address.as_str())
                    || (req.deployment.is_none()
                        && record.resource_type == "AWS::AutoScaling::AutoScalingGroup")),
            path: record.path,
            deletion_policy: record.deletion_policy,
            update_replace_policy: record.update_replace_policy,
            retained_by,
            policies_before: None,
        });
    }

    destroy_first_below_destroy_first(&mut changes);

    if !req.targets.is_empty() {
        let keep = targeted(req.targets, &changes);
        changes.retain(|c| keep.contains(&c.address));
    }
    changes.sort_by(|a, b| a.address.cmp(&b.address));
    let summary = Plan::summarize(&changes);
    let outputs = match (req.deployment, req.destroy) {
        (Some(d), false) => d
            .outputs
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect(),
        _ => BTreeMap::new(),
    };
    let notes = req
        .deployment
        .map(|d| {
            d.native_teardowns
                .iter()
                .map(|t| {
                    format!(
                        "{} (Custom::AsgDestroyer), with {}, is replaced by infra's native teardown of {}: no Lambda function is created.",
                        t.custom_resource,
                        t.removed.join(" and "),
                        t.asg
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Plan {
        format_version: PLAN_FORMAT_VERSION,
        binding,
        destroy: req.destroy,
        changes,
        drift,
        outputs,
        summary,
        notes,
        recovery: Vec::new(),
        estimate: None,
    }
}

/// The policies the template gives `r` (its own `UpdateReplacePolicy`; its `DeletionPolicy`
/// strengthened by the nested stacks around it), as the state records them.
pub fn template_policies(r: &infra_template::Resource) -> Policies {
    Policies {
        deletion_policy: match r.deletion_policy {
            infra_template::DeletionPolicy::Delete => DeletionPolicy::Delete,
            infra_template::DeletionPolicy::RetainExceptOnCreate => {
                DeletionPolicy::RetainExceptOnCreate
            }
            infra_template::DeletionPolicy::Retain => DeletionPolicy::Retain,
        },
        update_replace_policy: match r.update_replace_policy {
            infra_template::UpdateReplacePolicy::Delete => UpdateReplacePolicy::Delete,
            infra_template::UpdateReplacePolicy::Retain => UpdateReplacePolicy::Retain,
        },
    }
}

/// The policies `record` holds.
fn recorded_policies(record: &ResourceRecord) -> Policies {
    Policies {
        deletion_policy: record.deletion_policy,
        update_replace_policy: record.update_replace_policy,
    }
}

/// Whether a replacement keeps `record`'s object in AWS, under the template's `policies` (a
/// resource still in the template follows the template being applied), and by which policy.
/// A tainted object is a create that did not finish, which CloudFormation would roll back: it
/// is kept only under `DeletionPolicy: Retain`. Any other is kept under `UpdateReplacePolicy:
/// Retain`.
fn replaced_object_kept(record: &ResourceRecord, policies: Policies) -> Option<RetainedBy> {
    if record.status == ResourceStatus::Tainted {
        return policies
            .deletion_policy
            .retains(false)
            .then_some(RetainedBy::DeletionPolicy);
    }
    (policies.update_replace_policy == UpdateReplacePolicy::Retain)
        .then_some(RetainedBy::UpdateReplacePolicy)
}

/// Whether `record`, leaving the stack (destroy, or no longer in the template), is kept in AWS,
/// and by which policy: the recorded one, since the template has none for it any more. A
/// deposed object (the old object of an interrupted replacement) follows the
/// `UpdateReplacePolicy`; any other the `DeletionPolicy`, which `RetainExceptOnCreate` applies
/// only to an object whose create finished (not a tainted one).
fn leaving_object_kept(address: &str, record: &ResourceRecord) -> Option<RetainedBy> {
    if super::recovery::is_deposed(address) {
        return (record.update_replace_policy == UpdateReplacePolicy::Retain)
            .then_some(RetainedBy::UpdateReplacePolicy);
    }
    record
        .deletion_policy
        .retains(record.status == ResourceStatus::Created)
        .then_some(RetainedBy::DeletionPolicy)
}

/// The template's properties plus the generated name recorded in state, when the template
/// leaves the name out.
fn keep_generated_name(
    rt: Option<&infra_registry::ResourceType>,
    after: &Value,
    before: &Value,
) -> Value {
    let (Some(rule), Value::Map(a), Value::Map(b)) =
        (rt.and_then(|t| t.naming.as_ref()), after, before)
    else {
        return after.clone();
    };
    match (a.get(rule.property), b.get(rule.property)) {
        (None, Some(name)) => {
            let mut kept = a.clone();
            kept.insert(rule.property.to_string(), name.clone());
            Value::Map(kept)
        }
        _ => after.clone(),
    }
}

/// A resource replaced create-first that depends on one replaced destroy-first must be
/// replaced destroy-first too: its new object needs the dependency's new object, which exists
/// only after the old dependent is gone.
fn destroy_first_below_destroy_first(changes: &mut [ResourceChange]) {
    loop {
        let destroy_first: BTreeSet<String> = changes
            .iter()
            .filter(|c| c.action == Action::DeleteThenCreate)
            .map(|c| c.address.clone())
            .collect();
        let mut changed = false;
        for c in changes.iter_mut() {
            if c.action == Action::CreateThenDelete
                && c.depends_on.iter().any(|d| destroy_first.contains(d))
            {
                c.action = Action::DeleteThenCreate;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

fn replace_action(rt: Option<&infra_registry::ResourceType>, after: &Value) -> Action {
    rt.map_or(Action::DeleteThenCreate, |rt| replacement_action(rt, after))
}

/// The observed value cut down to the keys the recorded value has: AWS reports many defaults
/// the template never set, and those are not changes.
fn restrict(observed: &Value, recorded: &Value) -> Value {
    match (observed, recorded) {
        (Value::Map(o), Value::Map(r)) => Value::Map(
            r.keys()
                .filter_map(|k| o.get(k).map(|v| (k.clone(), restrict(v, &r[k]))))
                .collect(),
        ),
        (o, _) => o.clone(),
    }
}

/// `--target`: the targets and, transitively, what they depend on.
fn targeted(targets: &[String], changes: &[ResourceChange]) -> BTreeSet<String> {
    let by_address: BTreeMap<&str, &ResourceChange> =
        changes.iter().map(|c| (c.address.as_str(), c)).collect();
    let mut keep = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for t in targets {
        let prefix = format!("{t}.");
        for c in changes {
            if c.address == *t || c.address.starts_with(&prefix) {
                stack.push(c.address.clone());
            }
        }
    }
    while let Some(a) = stack.pop() {
        if !keep.insert(a.clone()) {
            continue;
        }
        if let Some(c) = by_address.get(a.as_str()) {
            for d in &c.depends_on {
                let prefix = format!("{d}.");
                for x in changes {
                    if (x.address == *d || x.address.starts_with(&prefix))
                        && !keep.contains(&x.address)
                    {
                        stack.push(x.address.clone());
                    }
                }
            }
        }
    }
    keep
}
