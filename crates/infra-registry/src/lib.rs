//! The resource type registry: what `infra` knows about each supported
//! CloudFormation resource type, and, in [`catalog`], a few facts about every
//! type in AWS's registry.
//!
//! For every type it answers: which properties exist and what shape their
//! values have ([`Shape`], walkable down to list items and nested objects),
//! which are required, which changes replace the resource
//! (`createOnlyProperties`), which values AWS never returns
//! (`writeOnlyProperties`) or sets itself (`readOnlyProperties`), what
//! `Fn::GetAtt` accepts, which properties identify a resource, how it is
//! tagged, what `Ref` returns and which property names it.
//!
//! # Where the data comes from
//!
//! Most of it is generated. `schemas/` holds AWS's CloudFormation resource
//! provider schemas, vendored (pretty-printed, otherwise unchanged) from the
//! MIT-0 `cfn-lint` package by `scripts/vendor-schemas` (package version and
//! checksum in `schemas/README.md`). `build.rs` reads them at compile time and writes
//! plain `static` tables, so nothing is parsed at run time; a malformed schema
//! fails the build. `Fn::GetAtt` attributes follow cfn-lint's rules
//! (`readOnlyProperties`, or every property for the types cfn-lint lists).
//!
//! [`lookup`] and [`supported_types`] mean "the types `infra` deploys
//! natively" (the full schemas above). [`catalog::lookup`] and
//! [`catalog::all`] answer for every type of the region (about 1,850): type
//! name, top-level properties with their required, create-only, read-only and
//! write-only flags, the create-only, read-only and write-only paths, primary
//! identifier, tagging, which handlers (create, read, update, delete, list)
//! the type has, and its `propertyTransform` rules. They come from
//! `schemas/catalog.jsonl`, the same schemas reduced to those keys by the same
//! script, and are generated into static tables the same way; see the
//! [`catalog`] module for each field.
//!
//! Three small tables are hand-written, because schemas do not carry them:
//! `src/ref_returns.rs` (what `Ref` returns, from CloudFormation's reference
//! pages; see [`RefReturn`]), `src/naming.rs` (name properties and length
//! limits; see [`NameRule`]) and `src/sensitive.rs` (the properties and
//! attributes that hold secrets; see [`sensitive_properties`]).
//!
//! # Adding a type
//!
//! Add it to the list in `scripts/vendor-schemas` and run the script; add its
//! `Ref` entry to `src/ref_returns.rs` (the build fails without it) and, if
//! CloudFormation generates its name, a rule to `src/naming.rs`; add the
//! attribute names cfn-lint computes for it to `tests/data/cfn_lint_getatts.json`
//! (see `tests/getatt_parity.rs`); then run `cargo test -p infra-registry`.
//!
//! # Example
//!
//! ```
//! use infra_registry::{Shape, lookup};
//!
//! let service = lookup("AWS::ECS::Service").expect("supported");
//! let subnets = service.shape_at("NetworkConfiguration/AwsvpcConfiguration/Subnets");
//! assert_eq!(subnets, Some(&Shape::List(&Shape::String)));
//! assert!(service.is_create_only("ServiceName"));
//! ```

#![deny(missing_docs)]

pub mod catalog;
mod const_str;
mod generated;
pub mod generic;
mod naming;
mod ref_returns;
mod resource_type;
mod sensitive;
mod shape;

pub use naming::NameRule;
pub use ref_returns::{RefKind, RefReturn};
pub use resource_type::{Attribute, ReplacementStrategy, ResourceType, Tagging, UpdateBehavior};
pub use sensitive::{sensitive_attributes, sensitive_properties};
pub use shape::{ObjectShape, Property, Shape};

pub use generic::resource_type;

/// The supported type `type_name` (e.g. `AWS::EC2::VPC`), or `None`.
pub fn lookup(type_name: &str) -> Option<&'static ResourceType> {
    let types = supported_types();
    types
        .binary_search_by(|resource_type| resource_type.name.cmp(type_name))
        .ok()
        .map(|index| &types[index])
}

/// Every supported type, sorted by name.
pub fn supported_types() -> &'static [ResourceType] {
    &generated::RESOURCE_TYPES
}
