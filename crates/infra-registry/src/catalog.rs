//! The catalog: a few facts about every resource type in AWS's registry, not
//! only the types `infra` deploys natively.
//!
//! [`crate::lookup`] and [`crate::supported_types`] answer for the types with
//! a native provider, from their full schemas. This module answers for all of
//! them (about 1,850 in us-east-1), with the facts a generic provider (AWS
//! Cloud Control) needs to create, read, update and delete a resource without
//! knowing the shapes of its properties. A type being in the catalog says
//! nothing about whether `infra` can deploy it.
//!
//! # Where the data comes from
//!
//! `schemas/catalog.jsonl` holds one line per type of the us-east-1 provider
//! schemas shipped in the same pinned `cfn-lint` release as the full schemas
//! (`schemas/README.md`), reduced by `scripts/vendor-schemas` to the keys used
//! here. `build.rs` turns it into the static [`all`] table at compile time:
//! lookups parse nothing at run time. The list keys and the tagging defaults
//! are read by the same code as the full schemas, so a natively supported
//! type has the same facts here as in its [`ResourceType`](crate::ResourceType)
//! (a test checks it).
//!
//! # The facts, field by field
//!
//! Paths are relative to the resource's `Properties` and `/`-separated, as in
//! [`ResourceType`](crate::ResourceType): the schema's `/properties/A/*/B`
//! becomes `A/*/B`, where `*` stands for any list index.
//!
//! | Field | Schema key | Meaning |
//! |---|---|---|
//! | [`name`](CatalogEntry::name) | `typeName` | `AWS::Service::Resource` |
//! | [`properties`](CatalogEntry::properties) | `properties`, `required`, and the lists below | top-level property names, sorted, each with its flags (see [`CatalogProperty`]) |
//! | [`primary_identifier`](CatalogEntry::primary_identifier) | `primaryIdentifier` | the paths whose values identify an existing resource; Cloud Control's identifier is their values joined with `\|` |
//! | [`create_only`](CatalogEntry::create_only) | `createOnlyProperties` | paths whose change replaces the resource |
//! | [`read_only`](CatalogEntry::read_only) | `readOnlyProperties` | paths AWS sets; templates do not |
//! | [`write_only`](CatalogEntry::write_only) | `writeOnlyProperties` | paths AWS accepts but never returns on read |
//! | [`tagging`](CatalogEntry::tagging) | `tagging` (or the older `taggable`) | whether the type is taggable and the tag property's path; see below |
//! | [`handlers`](CatalogEntry::handlers) | keys of `handlers` | which of create, read, update, delete, list the type's provider implements |
//! | [`property_transform`](CatalogEntry::property_transform) | `propertyTransform` | JSONata expressions AWS applies to a value before returning it |
//! | [`scalars`](CatalogEntry::scalars) | `type` of each property, nested ones and list items included (`$ref`s followed) | the paths whose type is exactly integer, number or boolean |
//!
//! Tagging follows the rules of the full registry: with no `tagging` block,
//! the top-level `taggable` decides (default `true`); the flags of a
//! `tagging` block default to `true`; the tag property is `tagProperty` or
//! `Tags`; a type that is not taggable has no tag property. One addition: a
//! type whose tag property is not declared (about 90 types that say nothing
//! about tagging and have no `Tags`) is recorded as not taggable, since there
//! is nowhere to put tags. A tag property can be nested
//! (`TagSpecifications/*/Tags` for `AWS::EC2::CapacityReservation`).
//!
//! Handlers: a type without a `handlers` block (about 110, e.g.
//! `AWS::AppMesh::Mesh`, `AWS::CodeBuild::Project`) has none of them: only
//! CloudFormation itself can provision it, not Cloud Control.
//!
//! # Example
//!
//! ```
//! use infra_registry::catalog;
//!
//! let queue = catalog::lookup("AWS::SQS::Queue").expect("in the catalog");
//! assert_eq!(queue.primary_identifier, ["QueueUrl"]);
//! assert!(queue.handlers.provisionable() && queue.handlers.list);
//! assert!(queue.is_create_only("QueueName"));
//! assert_eq!(queue.tagging.tag_property, Some("Tags"));
//! assert!(!catalog::lookup("AWS::AppMesh::Mesh").expect("known").handlers.create);
//! ```

use crate::resource_type::{Tagging, covered};

/// What the catalog knows about one resource type. See the [module
/// documentation](self) for where each field comes from.
#[derive(Debug)]
pub struct CatalogEntry {
    /// The type name, e.g. `AWS::SQS::Queue`.
    pub name: &'static str,
    /// Top-level properties, sorted by name, read-only ones included.
    pub properties: &'static [CatalogProperty],
    /// `primaryIdentifier`: the paths that identify an existing resource, in
    /// the schema's order (the order of a composite Cloud Control identifier).
    pub primary_identifier: &'static [&'static str],
    /// `createOnlyProperties`: paths whose change replaces the resource.
    pub create_only: &'static [&'static str],
    /// `readOnlyProperties`: paths AWS sets and templates do not.
    pub read_only: &'static [&'static str],
    /// `writeOnlyProperties`: paths AWS accepts but never returns on read.
    pub write_only: &'static [&'static str],
    /// How the type is tagged.
    pub tagging: Tagging,
    /// Which handlers the type's resource provider has.
    pub handlers: Handlers,
    /// `propertyTransform` rules, sorted by path.
    pub property_transform: &'static [PropertyTransform],
    /// The property paths (nested ones `/`-separated, `*` for list items) whose schema type
    /// is exactly integer, number or boolean, sorted by path: what a desired state sent to
    /// Cloud Control must hold as JSON numbers and booleans (it does not convert `"5"` as
    /// CloudFormation does).
    pub scalars: &'static [(&'static str, ScalarType)],
}

/// The JSON type a property path must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// A top-level property and how the schema lists it. A flag is set only when
/// the schema lists the property itself: a create-only path below it (say
/// `A/B`) leaves `create_only` unset; use [`CatalogEntry::is_create_only`]
/// and its siblings for paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogProperty {
    /// The property name.
    pub name: &'static str,
    /// In `required`: a template must set it.
    pub required: bool,
    /// In `createOnlyProperties`: a change replaces the resource.
    pub create_only: bool,
    /// In `readOnlyProperties`: AWS sets it.
    pub read_only: bool,
    /// In `writeOnlyProperties`: AWS never returns it.
    pub write_only: bool,
}

/// The handlers a resource provider declares (the keys of the schema's
/// `handlers`). Cloud Control can do with a type what its handlers allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handlers {
    /// `CreateResource`.
    pub create: bool,
    /// `GetResource`.
    pub read: bool,
    /// `UpdateResource`; without it every change replaces the resource.
    pub update: bool,
    /// `DeleteResource`.
    pub delete: bool,
    /// `ListResources`.
    pub list: bool,
}

impl Handlers {
    /// Whether a resource of the type can be created, read and deleted
    /// without CloudFormation: it has create, read and delete handlers.
    pub fn provisionable(&self) -> bool {
        self.create && self.read && self.delete
    }
}

/// A `propertyTransform` rule: how AWS normalises the value at `path` before
/// returning it, so that a desired value and the value AWS returns compare
/// equal once the expression is applied to the desired value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertyTransform {
    /// The path the rule applies to, e.g. `Engine` or
    /// `SecurityGroupEgress/*/FromPort`.
    pub path: &'static str,
    /// The JSONata expression, as the schema writes it, e.g.
    /// `$lowercase(Engine)`.
    pub expression: &'static str,
}

impl CatalogEntry {
    /// The top-level property `name`.
    pub fn property(&self, name: &str) -> Option<&'static CatalogProperty> {
        self.properties
            .binary_search_by(|property| property.name.cmp(name))
            .ok()
            .map(|index| &self.properties[index])
    }

    /// Names of the top-level properties a template must set.
    pub fn required(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.properties
            .iter()
            .filter(|property| property.required)
            .map(|property| property.name)
    }

    /// Whether changing `path` replaces the resource: the path, or a property
    /// it lies under, is create-only.
    pub fn is_create_only(&self, path: &str) -> bool {
        covered(self.create_only, path)
    }

    /// Whether `path`, or a property it lies under, is read-only.
    pub fn is_read_only(&self, path: &str) -> bool {
        covered(self.read_only, path)
    }

    /// Whether `path`, or a property it lies under, is write-only.
    pub fn is_write_only(&self, path: &str) -> bool {
        covered(self.write_only, path)
    }

    /// The `propertyTransform` expression for exactly `path`, if any.
    pub fn property_transform(&self, path: &str) -> Option<&'static str> {
        self.property_transform
            .binary_search_by(|rule| rule.path.cmp(path))
            .ok()
            .map(|index| self.property_transform[index].expression)
    }

    /// The JSON type the schema gives the property at `path` (`A/0/B` or `A/*/B`), when it is
    /// integer, number or boolean.
    pub fn scalar_type(&self, path: &str) -> Option<ScalarType> {
        self.scalars
            .iter()
            .find(|(entry, _)| {
                let mut a = entry.split('/');
                let mut b = path.split('/');
                loop {
                    match (a.next(), b.next()) {
                        (None, None) => return true,
                        (Some(x), Some(y))
                            if x == y || (x == "*" && y.parse::<usize>().is_ok()) => {}
                        _ => return false,
                    }
                }
            })
            .map(|(_, kind)| *kind)
    }

    /// Whether `infra` deploys the type natively: [`crate::lookup`] knows it.
    pub fn is_native(&self) -> bool {
        crate::lookup(self.name).is_some()
    }
}

/// The type `type_name` (e.g. `AWS::SQS::Queue`), or `None` when AWS's
/// registry (as vendored) does not have it.
pub fn lookup(type_name: &str) -> Option<&'static CatalogEntry> {
    let entries = all();
    entries
        .binary_search_by(|entry| entry.name.cmp(type_name))
        .ok()
        .map(|index| &entries[index])
}

/// Every type of the catalog, sorted by name.
pub fn all() -> &'static [CatalogEntry] {
    &data::CATALOG
}

/// The generated table. Properties are written `p(name, flags)` with flags
/// bit 0 required, 1 create-only, 2 read-only, 3 write-only; handlers
/// `h(mask)` with bit 0 create, 1 read, 2 update, 3 delete, 4 list; scalar
/// types `I`, `N`, `B`.
mod data {
    use super::ScalarType::{Boolean as B, Integer as I, Number as N};
    use super::{CatalogEntry, CatalogProperty, Handlers, PropertyTransform};
    use crate::resource_type::Tagging;

    const fn p(name: &'static str, flags: u8) -> CatalogProperty {
        CatalogProperty {
            name,
            required: flags & 1 != 0,
            create_only: flags & 2 != 0,
            read_only: flags & 4 != 0,
            write_only: flags & 8 != 0,
        }
    }

    const fn h(mask: u8) -> Handlers {
        Handlers {
            create: mask & 1 != 0,
            read: mask & 2 != 0,
            update: mask & 4 != 0,
            delete: mask & 8 != 0,
            list: mask & 16 != 0,
        }
    }

    include!(concat!(env!("OUT_DIR"), "/catalog_data.rs"));
}
