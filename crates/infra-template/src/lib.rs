//! Templates in, a flattened and evaluated deployment out.
//!
//! `infra-template` reads CloudFormation-format templates (YAML 1.2 with short-form tags, or
//! JSON), keeps a source span on every node, evaluates intrinsic functions with values that are
//! not known yet as [`Value::Unknown`], resolves parameters, conditions and mappings, and
//! flattens nested stacks into one list of resources whose values carry their dependencies.
//! It never calls AWS: values only AWS knows come through the [`Lookups`] trait.
//!
//! Entry point: [`load`]. Reading order: [`yaml`] (text to [`node::Node`]), [`template`]
//! (sections), [`expr`] (intrinsics), [`eval`] (values and dependencies, within a stack's `scope`), [`load`] (files,
//! parameters, nested stacks), [`model`] (the result).

mod check;
pub mod cidr;
pub mod custom;
pub mod dep;
pub mod diagnostic;
pub mod dynamic;
pub mod eval;
pub mod expr;
mod load;
pub mod model;
pub mod node;
pub mod package;
pub mod params;
mod refs;
mod scope;
pub mod source;
pub mod template;
pub mod value;
pub mod yaml;

pub use crate::dep::{Dep, EdgeKind};
pub use crate::diagnostic::{Diagnostic, Diagnostics};
pub use crate::eval::{Lookups, Offline, Pseudo, Resolved};
pub use crate::load::{LoadOptions, SourceTexts, load};
pub use crate::model::{
    DeletionPolicy, Deployment, LoadError, NativeTeardown, Resource, StackInfo, UpdateReplacePolicy,
};
pub use crate::package::{Artifact, ArtifactBucket, Artifacts, PackageError};
pub use crate::source::{FileId, SourceFile, Sources, Span};
pub use crate::value::{Unknown, Value};
