//! The plan: plain data, serialisable as is (saved plans, `--json`, snapshot tests).

use std::collections::BTreeMap;

use infra_state::{DeletionPolicy, ResourcePath, RetainedBy, UpdateReplacePolicy};
use infra_template::Value;
use serde::{Deserialize, Serialize};

/// What happens to one resource. Replacement is two variants that name the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing to do.
    NoOp,
    /// Create a new resource.
    Create,
    /// Change the existing resource in place.
    Update,
    /// Replace: delete the old one first, then create (explicit names cannot coexist).
    DeleteThenCreate,
    /// Replace: create the new one first, then delete the old one.
    CreateThenDelete,
    /// Delete.
    Delete,
    /// Take it out of the state and leave it in AWS (Terraform's `removed` block with
    /// `destroy = false`): what `DeletionPolicy: Retain` does when the resource leaves the stack.
    /// No AWS call.
    Forget,
}

impl Action {
    /// True for both replacement orders.
    pub fn is_replace(self) -> bool {
        matches!(self, Action::DeleteThenCreate | Action::CreateThenDelete)
    }

    /// Terraform's symbol for the action.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::NoOp => " ",
            Action::Create => "+",
            Action::Update => "~",
            Action::DeleteThenCreate => "-/+",
            Action::CreateThenDelete => "+/-",
            Action::Delete => "-",
            Action::Forget => ".",
        }
    }

    /// The symbol of `change`'s action: a replacement that keeps its old object in AWS
    /// (`UpdateReplacePolicy: Retain`) shows `./+` or `+/.`, since nothing is destroyed.
    pub fn symbol_of(change: &ResourceChange) -> &'static str {
        match (change.action, change.retained_by.is_some()) {
            (Action::DeleteThenCreate, true) => "./+",
            (Action::CreateThenDelete, true) => "+/.",
            (action, _) => action.symbol(),
        }
    }
}

/// A resource's two policies, as the state records them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policies {
    /// `DeletionPolicy`.
    pub deletion_policy: DeletionPolicy,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: UpdateReplacePolicy,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// One resource's planned change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceChange {
    /// `VpcStack.VPC`.
    pub address: String,
    /// `AWS::EC2::VPC`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// What happens.
    pub action: Action,
    /// Properties as last applied (or as observed, after refresh); `None` when it does not exist.
    pub before: Option<Value>,
    /// Desired properties; `None` when it is deleted. Unknown parts are known after apply.
    pub after: Option<Value>,
    /// Top-level (or nested, `/`-separated) property paths whose change forces replacement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replace_paths: Vec<String>,
    /// Why, when it is not just a template change ("deleted outside infra", "tainted").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The physical id in state, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_id: Option<String>,
    /// Addresses this resource depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// The part of `depends_on` that AWS needs but the template leaves out (added from the
    /// table of inferred dependencies, not written in the template).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
    /// Deleted through the native Auto Scaling group teardown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub native_teardown: bool,
    /// How infra creates, reads, updates and deletes it: `native` or `cloudcontrol` (AWS Cloud
    /// Control). A resource in the state keeps the path it was created on.
    #[serde(default)]
    pub path: ResourcePath,
    /// Its `DeletionPolicy`: the template's for a resource in the template (what the apply
    /// records), the recorded one for a resource leaving the stack (what decides its fate).
    #[serde(default, skip_serializing_if = "is_default")]
    pub deletion_policy: DeletionPolicy,
    /// Its `UpdateReplacePolicy`, likewise.
    #[serde(default, skip_serializing_if = "is_default")]
    pub update_replace_policy: UpdateReplacePolicy,
    /// Which policy keeps in AWS an object this change takes out of the state: the resource
    /// itself for [`Action::Forget`], the old object for a replacement; `None` when nothing is
    /// kept (every other change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained_by: Option<RetainedBy>,
    /// The policies the state records now, when the template changes them: the apply records
    /// the new ones, with no AWS call (a policy is not a property of the object). `None` when
    /// they do not change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies_before: Option<Policies>,
}

impl ResourceChange {
    /// The policies the apply records for it (see [`ResourceChange::deletion_policy`]).
    pub fn policies(&self) -> Policies {
        Policies {
            deletion_policy: self.deletion_policy,
            update_replace_policy: self.update_replace_policy,
        }
    }

    /// Whether applying it takes an object out of the state and leaves it in AWS.
    pub fn retains(&self) -> bool {
        self.retained_by.is_some()
    }
}

/// A change made outside `infra`, found by refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// The resource.
    pub address: String,
    /// Its type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// As recorded in state.
    pub before: Option<Value>,
    /// As observed now; `None` when it was deleted.
    pub after: Option<Value>,
}

/// The counts of the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Creations (a replacement counts one).
    pub add: usize,
    /// In-place updates.
    pub change: usize,
    /// Deletions (a replacement counts one, unless it keeps its old object).
    pub destroy: usize,
    /// Objects taken out of the state and kept in AWS by a `DeletionPolicy` or
    /// `UpdateReplacePolicy` (a replacement that keeps its old object counts one).
    #[serde(default)]
    pub retain: usize,
}

/// What a saved plan is bound to: applying it is refused when any of these moved on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// The stack.
    pub stack: String,
    /// The state's lineage; `None` when there was no state yet.
    pub lineage: Option<String>,
    /// The state's serial (0 without state).
    pub serial: u64,
    /// SHA-256 of every template file, in load order.
    pub template_sha256: String,
    /// SHA-256 of the parameter values given (NoEcho values included, never stored).
    pub parameters_sha256: String,
    /// The root template path as given.
    pub template: String,
}

/// A reviewable plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Format version of this document.
    pub format_version: u32,
    /// What the plan was computed against.
    pub binding: Binding,
    /// True for a destroy plan.
    pub destroy: bool,
    /// Every resource's change, sorted by address (no-ops included).
    pub changes: Vec<ResourceChange>,
    /// Changes made outside `infra`.
    pub drift: Vec<Drift>,
    /// Root stack outputs after apply.
    pub outputs: BTreeMap<String, Value>,
    /// Counts.
    pub summary: Summary,
    /// One line per custom resource replaced by a native step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// How the intents an interrupted run left in the state were resolved; recorded by apply
    /// before its first change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery: Vec<super::recovery::Recovered>,
    /// How long applying the plan is expected to take under the latency model; `None` when it
    /// was not estimated (no changes, or a plan saved before estimates existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
}

/// A plan's expected apply time under the latency model, in the model's (real AWS) seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The critical path of the planned operations: every operation starting the moment its
    /// dependencies are done, as `infra apply` runs them.
    pub expected_apply_seconds: f64,
    /// The resources on that path, in order (a replaced resource once).
    pub critical_path: Vec<String>,
    /// The same operations in CloudFormation's order, where a nested stack starts only once
    /// every stack it depends on has finished.
    pub stack_order_seconds: f64,
}

/// The plan document format this code writes.
pub const PLAN_FORMAT_VERSION: u32 = 1;

impl Plan {
    /// True when nothing would change, in AWS or in the state (a policy that changes is
    /// recorded in the state).
    pub fn is_empty(&self) -> bool {
        self.recovery.is_empty()
            && self
                .changes
                .iter()
                .all(|c| c.action == Action::NoOp && c.policies_before.is_none())
    }

    /// The changes whose policies the apply records anew, whatever else they do.
    pub fn policy_changes(&self) -> impl Iterator<Item = &ResourceChange> {
        self.changes.iter().filter(|c| c.policies_before.is_some())
    }

    /// Recomputes the summary from the changes.
    pub fn summarize(changes: &[ResourceChange]) -> Summary {
        let mut s = Summary::default();
        for c in changes {
            match c.action {
                Action::NoOp => {}
                Action::Create => s.add += 1,
                Action::Update => s.change += 1,
                Action::Delete => s.destroy += 1,
                Action::Forget => s.retain += 1,
                Action::DeleteThenCreate | Action::CreateThenDelete => {
                    s.add += 1;
                    if c.retains() {
                        s.retain += 1;
                    } else {
                        s.destroy += 1;
                    }
                }
            }
        }
        s
    }
}
