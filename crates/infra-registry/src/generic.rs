//! Resource types from the catalog: a [`ResourceType`] for every type of AWS's registry, so
//! the template checks, the plan and the engine treat a type deployed through AWS Cloud Control
//! as they treat a native one.
//!
//! A native type ([`crate::lookup`]) has its full schema: the shapes of its properties down to
//! list items. A catalog type has only what [`crate::catalog`] keeps: its top-level property
//! names with their flags and the create-only, read-only and write-only paths. So
//! [`resource_type`] describes it with:
//!
//! - every top-level property of shape [`Shape::Any`] (values are not checked below the top
//!   level; Cloud Control checks them against the schema at apply);
//! - `Fn::GetAtt` attributes: its read-only paths (`Arn`, `Endpoint.Address`) and its other
//!   top-level properties (`QueueName`), as cfn-lint allows for types documented by their
//!   schema alone;
//! - `Ref`: Cloud Control's identifier, the values of the primary identifier joined with `|`
//!   ([`RefKind::Other`], the same as the primary identifier property when it is only one);
//! - create-only: the schema's create-only paths, or every property when the type has no update
//!   handler (any change replaces it);
//! - the name rule of [`name_rule`]: the type's own entry when the hand-written table has one,
//!   else a top-level property named `<Resource>Name` (or `Name`) that the template may leave
//!   out, limited to 64 characters (the shortest limit common in AWS's registry).
//!
//! The descriptions are built on first use and kept for the rest of the process (leaked: at
//! most one per type of the catalog, a few kilobytes each).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::catalog::{self, CatalogEntry};
use crate::naming::{NameRule, name_rule_for};
use crate::ref_returns::{RefKind, RefReturn};
use crate::resource_type::{Attribute, ReplacementStrategy, ResourceType};
use crate::shape::{Property, Shape};

/// The length limit of a generated name of a catalog type without a rule of its own.
pub const DEFAULT_NAME_LIMIT: usize = 64;

/// What `Ref` returns for a catalog type.
const IDENTIFIER: &str = "the AWS Cloud Control identifier: the primary identifier's values, joined with | when there are several";

/// The type `type_name`: its full description when infra deploys it natively, else one built
/// from the catalog (see the module documentation); `None` when AWS's registry (as vendored)
/// does not have it.
pub fn resource_type(type_name: &str) -> Option<&'static ResourceType> {
    if let Some(native) = crate::lookup(type_name) {
        return Some(native);
    }
    let entry = catalog::lookup(type_name)?;
    static BUILT: OnceLock<Mutex<HashMap<&'static str, &'static ResourceType>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    Some(
        built
            .entry(entry.name)
            .or_insert_with(|| Box::leak(Box::new(describe(entry)))),
    )
}

/// The property that names a resource of the catalog type `entry` and its limit, if any: the
/// hand-written rule when there is one; else a top-level property named after the type's last
/// segment (`QueueName` for `AWS::SQS::Queue`) or `Name`, which is neither read-only nor
/// required.
pub fn name_rule(entry: &CatalogEntry) -> Option<NameRule> {
    if let Some(rule) = name_rule_for(entry.name) {
        return Some(rule);
    }
    let resource = entry.name.rsplit("::").next().unwrap_or(entry.name);
    let candidates = [format!("{resource}Name"), "Name".to_owned()];
    candidates.iter().find_map(|candidate| {
        let property = entry.property(candidate)?;
        (!property.read_only && !property.required).then_some(NameRule {
            property: property.name,
            max_len: DEFAULT_NAME_LIMIT,
            explicit_forces_replacement: property.create_only,
            lowercase: false,
        })
    })
}

fn describe(entry: &'static CatalogEntry) -> ResourceType {
    let properties: Vec<Property> = entry
        .properties
        .iter()
        .map(|p| Property {
            name: p.name,
            shape: Shape::Any,
            insertion_order: false,
        })
        .collect();
    let required: Vec<&'static str> = entry.required().collect();
    let mut attributes: Vec<Attribute> = entry
        .read_only
        .iter()
        .filter(|path| !path.contains('*'))
        .map(|path| Attribute {
            name: leak_dotted(path),
            shape: Shape::Any,
            read_only: true,
        })
        .collect();
    // CloudFormation's `Fn::GetAtt` of a type documented by its schema alone also reads
    // properties the template set (an SQS queue's `QueueName`, given or generated).
    attributes.extend(
        entry
            .properties
            .iter()
            .filter(|p| !p.read_only)
            .map(|p| Attribute {
                name: p.name,
                shape: Shape::Any,
                read_only: false,
            }),
    );
    attributes.sort_by(|a, b| a.name.cmp(b.name));
    attributes.dedup_by(|a, b| a.name == b.name);
    // Without an update handler, any change replaces the resource.
    let create_only: &'static [&'static str] = if entry.handlers.update {
        entry.create_only
    } else {
        let all: Vec<&'static str> = entry
            .properties
            .iter()
            .filter(|p| !p.read_only)
            .map(|p| p.name)
            .collect();
        Box::leak(all.into_boxed_slice())
    };
    let same_as = match entry.primary_identifier {
        [only] if !only.contains('/') => Some(*only),
        _ => None,
    };
    ResourceType {
        name: entry.name,
        properties: Box::leak(properties.into_boxed_slice()),
        required: Box::leak(required.into_boxed_slice()),
        create_only,
        conditional_create_only: &[],
        write_only: entry.write_only,
        read_only: entry.read_only,
        deprecated: &[],
        attributes: Box::leak(attributes.into_boxed_slice()),
        primary_identifier: entry.primary_identifier,
        tagging: entry.tagging,
        replacement_strategy: ReplacementStrategy::CreateThenDelete,
        ref_returns: RefReturn {
            description: IDENTIFIER,
            kind: RefKind::Other,
            same_as,
        },
        naming: name_rule(entry),
    }
}

/// `A/B` as the attribute name `A.B` (kept for the rest of the process).
fn leak_dotted(path: &'static str) -> &'static str {
    if path.contains('/') {
        Box::leak(path.replace('/', ".").into_boxed_str())
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_native_type_is_its_full_description() {
        let vpc = resource_type("AWS::EC2::VPC").expect("native");
        assert!(std::ptr::eq(
            vpc,
            crate::lookup("AWS::EC2::VPC").expect("native")
        ));
    }

    #[test]
    fn a_catalog_type_has_its_properties_attributes_and_identifier() {
        let stream = resource_type("AWS::Kinesis::Stream").expect("in the catalog");
        assert_eq!(stream.name, "AWS::Kinesis::Stream");
        assert_eq!(
            stream.property("RetentionPeriodHours").map(|p| p.shape),
            Some(Shape::Any)
        );
        assert!(stream.is_create_only("Name"));
        assert!(stream.attribute("Arn").is_some_and(|a| a.read_only));
        let rule = stream.naming.expect("Name");
        assert_eq!(rule.property, "Name");
        assert_eq!(rule.max_len, 128);
        assert!(rule.explicit_forces_replacement);
        // Built once.
        assert!(std::ptr::eq(
            stream,
            resource_type("AWS::Kinesis::Stream").expect("again")
        ));
    }

    #[test]
    fn nested_read_only_paths_are_dotted_attributes() {
        let db = resource_type("AWS::RDS::DBInstance").expect("in the catalog");
        assert!(
            db.attribute("Endpoint.Address").is_some(),
            "{:?}",
            db.attributes
        );
    }

    #[test]
    fn name_rules_come_from_the_table_or_the_type_name() {
        let stream = catalog::lookup("AWS::Kinesis::Stream").expect("known");
        assert_eq!(name_rule(stream).map(|r| r.property), Some("Name"));
        let machine = catalog::lookup("AWS::StepFunctions::StateMachine").expect("known");
        assert_eq!(
            name_rule(machine).map(|r| r.property),
            Some("StateMachineName")
        );
        let bucket = catalog::lookup("AWS::S3::Bucket").expect("known");
        let rule = name_rule(bucket).expect("BucketName");
        assert_eq!(
            (rule.property, rule.max_len, rule.lowercase),
            ("BucketName", 63, true)
        );
        let role = catalog::lookup("AWS::IAM::Role").expect("known");
        assert_eq!(
            name_rule(role),
            crate::lookup("AWS::IAM::Role").and_then(|t| t.naming)
        );
    }

    #[test]
    fn without_an_update_handler_every_property_replaces() {
        let entry = catalog::lookup("AWS::EC2::SubnetRouteTableAssociation").expect("known");
        assert!(!entry.handlers.update);
        // A native type keeps its own description; build the catalog one directly.
        let association = describe(entry);
        assert!(association.is_create_only("SubnetId"));
        assert!(association.is_create_only("RouteTableId"));
    }

    #[test]
    fn an_unknown_type_has_no_description() {
        assert!(resource_type("AWS::Nope::Nothing").is_none());
    }
}
