//! Dependencies found while evaluating: which resource a value reads, how, and where the
//! reference is written. The graph is built from these.

use crate::source::Span;

/// How one resource came to depend on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// `Ref` of the resource.
    Ref,
    /// `Fn::GetAtt` of the resource.
    GetAtt,
    /// A `${...}` variable of an `Fn::Sub`.
    Sub,
    /// `DependsOn`.
    DependsOn,
    /// A value that flowed through a nested stack's parameter or output.
    Nested,
    /// Not written in the template: AWS needs it (see the inferred-dependency table).
    Inferred,
    /// `--nested-barrier`: a stack that reads a sibling's outputs waits for all of it.
    Barrier,
}

impl EdgeKind {
    /// The name shown in `infra graph`.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Ref => "ref",
            EdgeKind::GetAtt => "getatt",
            EdgeKind::Sub => "sub",
            EdgeKind::DependsOn => "depends_on",
            EdgeKind::Nested => "nested",
            EdgeKind::Inferred => "inferred",
            EdgeKind::Barrier => "barrier",
        }
    }
}

/// One dependency of a resource (or output) on a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dep {
    /// The address of the resource depended on (may name a nested stack: then every
    /// resource in it).
    pub target: String,
    /// How.
    pub kind: EdgeKind,
    /// Where the reference is written.
    pub span: Span,
}
