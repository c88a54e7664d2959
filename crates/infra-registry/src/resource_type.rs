//! One resource type: its properties, what changes replace it, what
//! `Fn::GetAtt` and `Ref` return, how it is tagged and named.
//!
//! Property paths are relative to the resource's `Properties` and
//! `/`-separated, as the schema writes them without the `/properties/`
//! prefixes: `CidrBlock`, `AutoScalingGroupProvider/AutoScalingGroupArn`,
//! `SecurityGroupIngress/*/SourceSecurityGroupName` (`*` stands for any list
//! index).

use crate::naming::NameRule;
use crate::ref_returns::RefReturn;
use crate::shape::{Property, Shape, find_property};

/// A supported CloudFormation resource type.
#[derive(Debug)]
pub struct ResourceType {
    /// The type name, e.g. `AWS::EC2::VPC`.
    pub name: &'static str,
    /// Top-level properties, sorted by name. Includes the read-only ones
    /// (see [`ResourceType::read_only`]), which templates do not set.
    pub properties: &'static [Property],
    /// Names of the top-level properties a template must set.
    pub required: &'static [&'static str],
    /// `createOnlyProperties`: paths whose change replaces the resource.
    pub create_only: &'static [&'static str],
    /// `conditionalCreateOnlyProperties`: paths whose change replaces the
    /// resource in some cases and updates it in place in others.
    pub conditional_create_only: &'static [&'static str],
    /// `writeOnlyProperties`: paths AWS accepts but never returns on read, so
    /// they cannot be compared with what exists.
    pub write_only: &'static [&'static str],
    /// `readOnlyProperties`: paths AWS sets and templates do not.
    pub read_only: &'static [&'static str],
    /// `deprecatedProperties`: paths still accepted but deprecated.
    pub deprecated: &'static [&'static str],
    /// What `Fn::GetAtt` accepts, sorted by name.
    pub attributes: &'static [Attribute],
    /// `primaryIdentifier`: the property paths that identify an existing
    /// resource, e.g. `VpcId`.
    pub primary_identifier: &'static [&'static str],
    /// How the type is tagged.
    pub tagging: Tagging,
    /// The order of create and delete when the resource is replaced.
    pub replacement_strategy: ReplacementStrategy,
    /// What `Ref` returns (hand-written, from CloudFormation's documentation).
    pub ref_returns: RefReturn,
    /// The name property CloudFormation fills in when a template omits it
    /// (hand-written), or `None`.
    pub naming: Option<NameRule>,
}

impl ResourceType {
    /// The top-level property `name`.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        find_property(self.properties, name)
    }

    /// The `Fn::GetAtt` attribute `name`, dotted for nested values
    /// (`Endpoint.Address`).
    pub fn attribute(&self, name: &str) -> Option<&'static Attribute> {
        self.attributes
            .binary_search_by(|attribute| attribute.name.cmp(name))
            .ok()
            .map(|index| &self.attributes[index])
    }

    /// Whether a template must set the top-level property `name`.
    pub fn is_required(&self, name: &str) -> bool {
        self.required.contains(&name)
    }

    /// Whether changing `path` replaces the resource: the path, or a property
    /// it lies under, is create-only.
    pub fn is_create_only(&self, path: &str) -> bool {
        covered(self.create_only, path)
    }

    /// Whether `path`, or a property it lies under, is write-only.
    pub fn is_write_only(&self, path: &str) -> bool {
        covered(self.write_only, path)
    }

    /// Whether `path`, or a property it lies under, is read-only.
    pub fn is_read_only(&self, path: &str) -> bool {
        covered(self.read_only, path)
    }

    /// What a change of `path` does to an existing resource.
    pub fn update_behavior(&self, path: &str) -> UpdateBehavior {
        if self.is_read_only(path) {
            UpdateBehavior::ReadOnly
        } else if self.is_create_only(path) {
            UpdateBehavior::Replacement
        } else if covered(self.conditional_create_only, path) {
            UpdateBehavior::ConditionalReplacement
        } else {
            UpdateBehavior::InPlace
        }
    }

    /// The shape at `path`: a top-level property, then `/`-separated steps
    /// into object properties, with `*` (or a list index) for list items.
    pub fn shape_at(&self, path: &str) -> Option<&'static Shape> {
        let mut steps = path.split('/');
        let mut shape = &self.property(steps.next()?)?.shape;
        for step in steps {
            shape = match shape {
                Shape::List(item) if step == "*" || step.parse::<usize>().is_ok() => item,
                Shape::Object(object) => &object.property(step)?.shape,
                _ => return None,
            };
        }
        Some(shape)
    }
}

/// Whether one of `entries` is `path` or a property above it; `*` in an entry
/// matches any single step.
pub(crate) fn covered(entries: &[&str], path: &str) -> bool {
    entries.iter().any(|entry| {
        let mut path_steps = path.split('/');
        entry.split('/').all(|entry_step| {
            path_steps
                .next()
                .is_some_and(|path_step| entry_step == "*" || entry_step == path_step)
        })
    })
}

/// A value `Fn::GetAtt` can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    /// The attribute name, dotted for nested values, e.g. `DNSName`,
    /// `SnapStartResponse.ApplyOn`.
    pub name: &'static str,
    /// The value's shape.
    pub shape: Shape,
    /// Whether the schema lists it in `readOnlyProperties`: AWS sets it and it
    /// is known only once the resource exists. Otherwise it mirrors a
    /// property that templates can set (some types expose every property).
    pub read_only: bool,
}

/// How a resource type carries tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tagging {
    /// Whether the resource can be tagged at all.
    pub taggable: bool,
    /// Whether tags can be given when the resource is created.
    pub tag_on_create: bool,
    /// Whether tags can change without replacing the resource.
    pub tag_updatable: bool,
    /// Whether CloudFormation adds its `aws:cloudformation:*` tags.
    pub cloudformation_system_tags: bool,
    /// The property that holds the tags (`Tags`); `None` when not taggable.
    pub tag_property: Option<&'static str>,
}

/// The order of operations when a resource is replaced (`replacementStrategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplacementStrategy {
    /// Create the new resource, then delete the old one (the default).
    CreateThenDelete,
    /// Delete the old resource first: the two cannot exist at once.
    DeleteThenCreate,
}

/// What a change of a property does to an existing resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateBehavior {
    /// Updated in place.
    InPlace,
    /// Create-only: the resource is replaced.
    Replacement,
    /// Conditionally create-only: some changes replace the resource, others
    /// update it in place; which depends on the values.
    ConditionalReplacement,
    /// Set by AWS; templates do not change it.
    ReadOnly,
}

#[cfg(test)]
mod tests {
    use super::covered;

    #[test]
    fn paths_are_covered_by_themselves_and_their_parents() {
        let entries = [
            "CidrBlock",
            "SecurityGroupIngress/*/SourceSecurityGroupName",
        ];
        assert!(covered(&entries, "CidrBlock"));
        assert!(covered(&entries, "CidrBlock/Anything"));
        assert!(!covered(&entries, "CidrBlockAssociations"));
        assert!(!covered(&entries, "Cidr"));
        assert!(covered(
            &entries,
            "SecurityGroupIngress/0/SourceSecurityGroupName"
        ));
        assert!(covered(
            &entries,
            "SecurityGroupIngress/*/SourceSecurityGroupName"
        ));
        assert!(!covered(&entries, "SecurityGroupIngress/0"));
        assert!(!covered(&entries, "SecurityGroupIngress"));
        assert!(!covered(&entries, ""));
    }
}
