//! The name property of a type deployed through Cloud Control: where a generated name goes
//! when the template gives none.
//!
//! It is the registry's rule ([`infra_registry::generic::name_rule`]), the one the engine
//! generates and records names by, so the property the provider fills is the one the state
//! records: the hand-written rule of the type when there is one; else a top-level property
//! named `{Resource}Name`, where `Resource` is the last segment of the type name, that is
//! neither read-only nor required (`AWS::SQS::Queue` → `QueueName`, `AWS::SNS::Topic` →
//! `TopicName`, `AWS::StepFunctions::StateMachine` → `StateMachineName`); else `Name` on the
//! same conditions (`AWS::Kinesis::Stream`, `AWS::Events::Rule`, whose `RuleName` is
//! read-only); else none: AWS's handler names the resource. The catalog has no property
//! shapes, so "a string" is not checked.

use infra_registry::catalog::CatalogEntry;
use infra_registry::generic::name_rule;

/// The property a generated name is put in, for `entry`'s type (see the module comment).
pub fn name_property(entry: &CatalogEntry) -> Option<&'static str> {
    name_rule(entry).map(|rule| rule.property)
}

#[cfg(test)]
mod tests {
    use infra_registry::catalog;

    use super::*;

    fn of(type_name: &str) -> Option<&'static str> {
        name_property(catalog::lookup(type_name).expect("in the catalog"))
    }

    #[test]
    fn the_resource_name_property_comes_first_then_name() {
        assert_eq!(of("AWS::SQS::Queue"), Some("QueueName"));
        assert_eq!(of("AWS::SNS::Topic"), Some("TopicName"));
        assert_eq!(
            of("AWS::StepFunctions::StateMachine"),
            Some("StateMachineName")
        );
        assert_eq!(of("AWS::Kinesis::Stream"), Some("Name"));
    }

    #[test]
    fn read_only_and_required_names_are_skipped() {
        // `RuleName` is read-only; `Name` is the template's.
        assert_eq!(of("AWS::Events::Rule"), Some("Name"));
        // A required name is the template's to give: never generated.
        let required = catalog::all()
            .iter()
            .find(|e| {
                e.property("Name")
                    .is_some_and(|p| p.required && !p.read_only)
            })
            .expect("a type whose Name is required");
        let resource = required.name.rsplit("::").next().unwrap_or_default();
        if required.property(&format!("{resource}Name")).is_none() {
            assert_eq!(name_property(required), None, "{}", required.name);
        }
    }

    #[test]
    fn a_type_without_a_name_property_has_none() {
        assert_eq!(of("AWS::EC2::VPC"), None);
    }
}
