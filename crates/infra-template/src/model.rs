//! The flattened deployment: every stack file loaded, every active resource evaluated, with
//! the dependencies its values carry. This is what the graph and the plan are built from.

use std::collections::BTreeMap;

use crate::dep::Dep;
use crate::diagnostic::Diagnostics;
use crate::eval::Resolved;
use crate::source::{FileId, Sources, Span};
use crate::value::Value;

/// A loaded template tree, flattened.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// Every file read.
    pub sources: Sources,
    /// The root stack first, then nested stacks in load order.
    pub stacks: Vec<StackInfo>,
    /// Every active resource of every stack (nested stack resources themselves excluded).
    pub resources: Vec<Resource>,
    /// Custom resources replaced by a native step of `infra`.
    pub native_teardowns: Vec<NativeTeardown>,
    /// The root stack's outputs.
    pub outputs: BTreeMap<String, Resolved>,
    /// The root stack's outputs that have an `Export`: output name → export name (only those
    /// whose export name is known; see `docs/templates.md`, *Exports and imports*).
    pub exports: BTreeMap<String, String>,
    /// The root stack's output descriptions, by output name.
    pub output_descriptions: BTreeMap<String, String>,
    /// Values of NoEcho parameters and of sensitive properties (a secret's `SecretString`,
    /// a login password), to be redacted wherever values are shown.
    pub secrets: Vec<String>,
}

/// One stack (the root or a nested one).
#[derive(Debug, Clone)]
pub struct StackInfo {
    /// `""` for the root, else the nested stack's address (`VpcStack`, `A.B`).
    pub address: String,
    /// The stack's template file.
    pub file: FileId,
    /// Index of the parent in [`Deployment::stacks`].
    pub parent: Option<usize>,
    /// The nested stack resource's logical id span in the parent.
    pub span: Option<Span>,
    /// Addresses of sibling stacks whose outputs this stack reads or that it `DependsOn`.
    pub reads: Vec<String>,
    /// Resolved parameters: name, value, NoEcho.
    pub parameters: Vec<(String, Value, bool)>,
}

/// One resource of the flattened graph.
#[derive(Debug, Clone)]
pub struct Resource {
    /// `VpcStack.VPC` (or `VPC` in the root stack).
    pub address: String,
    /// The logical id within its own template.
    pub logical_id: String,
    /// Index of its stack in [`Deployment::stacks`].
    pub stack: usize,
    /// `AWS::EC2::VPC`.
    pub type_name: String,
    /// Where the logical id is written.
    pub span: Span,
    /// Evaluated properties (a mapping; unknown values where not known yet).
    pub properties: Value,
    /// Every resource this one reads or is told to wait for.
    pub deps: Vec<Dep>,
    /// True when its `Condition` depends on values not known yet.
    pub condition_unknown: bool,
    /// `DeletionPolicy`: its own, or the strongest of the nested stack resources around it
    /// when that keeps more (a retained nested stack keeps everything in it; see
    /// `docs/templates.md`). `Delete` when none is written.
    pub deletion_policy: DeletionPolicy,
    /// `UpdateReplacePolicy`, its own only. `Delete` when none is written.
    pub update_replace_policy: UpdateReplacePolicy,
    /// `UpdatePolicy`, as written.
    pub update_policy: Option<Value>,
    /// True for an Auto Scaling group deleted by `infra`'s native force-delete teardown.
    pub native_teardown: bool,
}

/// A resource's `DeletionPolicy` as the template writes it. `Snapshot` is refused by the
/// loader (no type supports it yet), so it has no variant.
///
/// The order is how much each keeps: `Delete < RetainExceptOnCreate < Retain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum DeletionPolicy {
    /// Deleted when it leaves the stack (the default).
    #[default]
    Delete,
    /// Kept once created; a create that did not finish is deleted.
    RetainExceptOnCreate,
    /// Kept in AWS when it leaves the stack.
    Retain,
}

impl DeletionPolicy {
    /// The policy a template names `text`, if it is one infra supports.
    pub fn parse(text: &str) -> Option<DeletionPolicy> {
        match text {
            "Delete" => Some(DeletionPolicy::Delete),
            "RetainExceptOnCreate" => Some(DeletionPolicy::RetainExceptOnCreate),
            "Retain" => Some(DeletionPolicy::Retain),
            _ => None,
        }
    }

    /// The name a template writes.
    pub fn name(self) -> &'static str {
        match self {
            DeletionPolicy::Delete => "Delete",
            DeletionPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            DeletionPolicy::Retain => "Retain",
        }
    }
}

/// A resource's `UpdateReplacePolicy` as the template writes it (`Snapshot` refused, as for
/// [`DeletionPolicy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum UpdateReplacePolicy {
    /// A replacement deletes the old object (the default).
    #[default]
    Delete,
    /// A replacement keeps the old object in AWS.
    Retain,
}

impl UpdateReplacePolicy {
    /// The policy a template names `text`, if it is one infra supports.
    pub fn parse(text: &str) -> Option<UpdateReplacePolicy> {
        match text {
            "Delete" => Some(UpdateReplacePolicy::Delete),
            "Retain" => Some(UpdateReplacePolicy::Retain),
            _ => None,
        }
    }

    /// The name a template writes.
    pub fn name(self) -> &'static str {
        match self {
            UpdateReplacePolicy::Delete => "Delete",
            UpdateReplacePolicy::Retain => "Retain",
        }
    }
}

/// A `Custom::AsgDestroyer` that `infra` replaces with its own force-delete step.
#[derive(Debug, Clone)]
pub struct NativeTeardown {
    /// Address of the custom resource.
    pub custom_resource: String,
    /// Addresses of the resources removed with it (its function, the function's role, ...).
    pub removed: Vec<String>,
    /// Address of the Auto Scaling group whose deletion it handled.
    pub asg: String,
    /// Where the custom resource is declared.
    pub span: Span,
}

/// Loading failed: every problem found, and the files needed to show where.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{diagnostics}")]
pub struct LoadError {
    /// Files read before and while failing.
    pub sources: Sources,
    /// Every problem found.
    pub diagnostics: Diagnostics,
}

impl Deployment {
    /// The resource at `address`.
    pub fn resource(&self, address: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.address == address)
    }
}
