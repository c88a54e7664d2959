//! When a change forces replacement, and in which order the replacement runs.
//!
//! The rule comes from the schemas' `createOnlyProperties` (the registry). A few properties are
//! documented as "Update requires: Replacement" only for some values or settings; those are
//! decided by [`CONDITIONAL`], the one table of such cases.

use infra_registry::{ReplacementStrategy, ResourceType};
use infra_template::Value;

use super::model::Action;

/// A property whose change replaces the resource only in some cases.
#[derive(Debug)]
pub struct Conditional {
    /// Resource type.
    pub type_name: &'static str,
    /// Top-level property.
    pub property: &'static str,
    /// What the AWS documentation says.
    pub rule: &'static str,
    /// `(before, after, update_policy)` → true when the change replaces the resource.
    replaces: fn(Option<&Value>, Option<&Value>, Option<&Value>) -> bool,
}

fn asg_replacing_update(_: Option<&Value>, _: Option<&Value>, policy: Option<&Value>) -> bool {
    let will_replace = match policy {
        Some(Value::Map(p)) => match p.get("AutoScalingReplacingUpdate") {
            Some(Value::Map(r)) => r.get("WillReplace").and_then(Value::as_text),
            _ => None,
        },
        _ => None,
    };
    will_replace.is_some_and(|w| w.eq_ignore_ascii_case("true"))
}

fn tenancy(before: Option<&Value>, after: Option<&Value>, _: Option<&Value>) -> bool {
    // ModifyVpcTenancy can only change dedicated to default.
    let b = before
        .and_then(Value::as_text)
        .unwrap_or_else(|| "default".into());
    let a = after
        .and_then(Value::as_text)
        .unwrap_or_else(|| "default".into());
    !(b == "dedicated" && a == "default")
}

fn always(_: Option<&Value>, _: Option<&Value>, _: Option<&Value>) -> bool {
    true
}

fn other_event_bus(before: Option<&Value>, after: Option<&Value>, _: Option<&Value>) -> bool {
    // Absent, `default` and the default bus's ARN all name the default bus.
    let bus = |v: Option<&Value>| {
        let text = v.and_then(Value::as_text).unwrap_or_default();
        let name = text
            .rsplit_once("event-bus/")
            .map_or(text.as_str(), |(_, n)| n);
        if name.is_empty() {
            "default".to_owned()
        } else {
            name.to_owned()
        }
    };
    bus(before) != bus(after)
}

/// The conditional-replacement table.
pub const CONDITIONAL: &[Conditional] = &[
    Conditional {
        type_name: "AWS::AutoScaling::AutoScalingGroup",
        property: "LaunchTemplate",
        rule: "Replacement only with UpdatePolicy AutoScalingReplacingUpdate WillReplace true; otherwise in place.",
        replaces: asg_replacing_update,
    },
    Conditional {
        type_name: "AWS::AutoScaling::AutoScalingGroup",
        property: "VPCZoneIdentifier",
        rule: "Replacement only with UpdatePolicy AutoScalingReplacingUpdate WillReplace true; otherwise in place.",
        replaces: asg_replacing_update,
    },
    Conditional {
        type_name: "AWS::AutoScaling::AutoScalingGroup",
        property: "MixedInstancesPolicy",
        rule: "Replacement only with UpdatePolicy AutoScalingReplacingUpdate WillReplace true; otherwise in place.",
        replaces: asg_replacing_update,
    },
    Conditional {
        type_name: "AWS::AutoScaling::AutoScalingGroup",
        property: "LaunchConfigurationName",
        rule: "Replacement only with UpdatePolicy AutoScalingReplacingUpdate WillReplace true; otherwise in place.",
        replaces: asg_replacing_update,
    },
    Conditional {
        type_name: "AWS::DynamoDB::Table",
        property: "KeySchema",
        rule: "Replacement (CloudFormation documents it so; DynamoDB cannot change a table's key).",
        replaces: always,
    },
    Conditional {
        type_name: "AWS::DynamoDB::Table",
        property: "LocalSecondaryIndexes",
        rule: "Replacement (CloudFormation documents it so; local indexes exist only from the table's creation).",
        replaces: always,
    },
    Conditional {
        type_name: "AWS::EC2::VPC",
        property: "InstanceTenancy",
        rule: "No interruption from dedicated to default; replacement for any other change.",
        replaces: tenancy,
    },
    Conditional {
        type_name: "AWS::ECS::Service",
        property: "LaunchType",
        rule: "Replacement (ECS cannot change a service's launch type in place).",
        replaces: always,
    },
    Conditional {
        type_name: "AWS::Events::Rule",
        property: "EventBusName",
        rule: "Replacement when the rule moves to another event bus (absent, `default` and the default bus's ARN are the same bus); otherwise nothing to change.",
        replaces: other_event_bus,
    },
];

/// The top-level property of a path.
fn top(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}

/// Which changed paths force replacement.
pub fn forcing_paths(
    rt: &ResourceType,
    changed: &[String],
    before: &Value,
    after: &Value,
    update_policy: Option<&Value>,
) -> Vec<String> {
    let get = |v: &Value, k: &str| match v {
        Value::Map(m) => m.get(k).cloned(),
        _ => None,
    };
    changed
        .iter()
        .filter(|path| {
            let prop = top(path);
            if let Some(c) = CONDITIONAL
                .iter()
                .find(|c| c.type_name == rt.name && c.property == prop)
            {
                return (c.replaces)(
                    get(before, prop).as_ref(),
                    get(after, prop).as_ref(),
                    update_policy,
                );
            }
            rt.is_create_only(path)
        })
        .cloned()
        .collect()
}

/// Replacements that must destroy the old object first whatever the naming: the new one
/// would collide with it (a subnet whose new CIDR block overlaps its old one).
pub fn must_destroy_first(rt: &ResourceType, before: &Value, after: &Value) -> bool {
    let text = |v: &Value, k: &str| match v {
        Value::Map(m) => m.get(k).and_then(Value::as_text),
        _ => None,
    };
    match rt.name {
        "AWS::EC2::Subnet" => match (text(before, "CidrBlock"), text(after, "CidrBlock")) {
            (Some(a), Some(b)) => ipv4_overlap(&a, &b),
            _ => false,
        },
        _ => false,
    }
}

fn ipv4_range(cidr: &str) -> Option<(u32, u32)> {
    let (addr, len) = cidr.split_once('/')?;
    let addr: std::net::Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok()?;
    if len > 32 {
        return None;
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let start = u32::from(addr) & mask;
    Some((start, start | !mask))
}

fn ipv4_overlap(a: &str, b: &str) -> bool {
    match (ipv4_range(a), ipv4_range(b)) {
        (Some((a0, a1)), Some((b0, b1))) => a0 <= b1 && b0 <= a1,
        _ => false,
    }
}

/// The replacement order: destroy first when an explicit name cannot exist twice or the type
/// says so, else create first.
pub fn replacement_action(rt: &ResourceType, after: &Value) -> Action {
    if rt.replacement_strategy == ReplacementStrategy::DeleteThenCreate {
        return Action::DeleteThenCreate;
    }
    if let (Some(rule), Value::Map(m)) = (&rt.naming, after)
        && rule.explicit_forces_replacement
        && m.get(rule.property)
            .is_some_and(|v| !matches!(v, Value::Null))
    {
        return Action::DeleteThenCreate;
    }
    Action::CreateThenDelete
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_rule_is_replaced_only_when_it_moves_to_another_bus() {
        let v = |t: &str| Value::String(t.to_owned());
        let default_arn = v("arn:aws:events:us-east-1:123456789012:event-bus/default");
        assert!(!other_event_bus(None, Some(&v("default")), None));
        assert!(!other_event_bus(Some(&default_arn), None, None));
        assert!(other_event_bus(None, Some(&v("orders")), None));
        assert!(other_event_bus(
            Some(&v("orders")),
            Some(&v("billing")),
            None
        ));
    }

    use super::*;

    fn v(json: &str) -> Value {
        Value::from_json(&serde_json::from_str(json).expect("json"))
    }

    fn rt(t: &str) -> &'static ResourceType {
        infra_registry::lookup(t).expect("type")
    }

    #[test]
    fn create_only_properties_force_replacement() {
        let subnet = rt("AWS::EC2::Subnet");
        let changed = vec!["CidrBlock".to_string(), "MapPublicIpOnLaunch".to_string()];
        let f = forcing_paths(subnet, &changed, &v("{}"), &v("{}"), None);
        assert_eq!(f, vec!["CidrBlock"]);
    }

    #[test]
    fn asg_launch_template_replaces_only_with_replacing_update() {
        let asg = rt("AWS::AutoScaling::AutoScalingGroup");
        let changed = vec!["LaunchTemplate/Version".to_string()];
        let policy = v(r#"{"AutoScalingReplacingUpdate":{"WillReplace":"true"}}"#);
        assert_eq!(
            forcing_paths(asg, &changed, &v("{}"), &v("{}"), Some(&policy)).len(),
            1
        );
        assert!(forcing_paths(asg, &changed, &v("{}"), &v("{}"), None).is_empty());
    }

    #[test]
    fn vpc_tenancy_to_default_is_in_place() {
        let vpc = rt("AWS::EC2::VPC");
        let changed = vec!["InstanceTenancy".to_string()];
        let to_default = forcing_paths(
            vpc,
            &changed,
            &v(r#"{"InstanceTenancy":"dedicated"}"#),
            &v(r#"{"InstanceTenancy":"default"}"#),
            None,
        );
        assert!(to_default.is_empty());
        let to_dedicated = forcing_paths(
            vpc,
            &changed,
            &v(r#"{"InstanceTenancy":"default"}"#),
            &v(r#"{"InstanceTenancy":"dedicated"}"#),
            None,
        );
        assert_eq!(to_dedicated, vec!["InstanceTenancy"]);
    }

    #[test]
    fn explicit_names_destroy_first_generated_names_create_first() {
        let tg = rt("AWS::ElasticLoadBalancingV2::TargetGroup");
        assert_eq!(
            replacement_action(tg, &v(r#"{"Name":"web"}"#)),
            Action::DeleteThenCreate
        );
        assert_eq!(
            replacement_action(tg, &v(r#"{"Port":80}"#)),
            Action::CreateThenDelete
        );
    }

    #[test]
    fn an_overlapping_subnet_cidr_is_replaced_destroy_first() {
        let subnet = rt("AWS::EC2::Subnet");
        let before = v(r#"{"CidrBlock":"10.0.192.0/18"}"#);
        assert!(must_destroy_first(
            subnet,
            &before,
            &v(r#"{"CidrBlock":"10.0.224.0/19"}"#)
        ));
        assert!(!must_destroy_first(
            subnet,
            &before,
            &v(r#"{"CidrBlock":"10.0.0.0/24"}"#)
        ));
        assert!(!must_destroy_first(rt("AWS::EC2::VPC"), &before, &before));
    }

    #[test]
    fn every_conditional_row_names_a_real_property() {
        for c in CONDITIONAL {
            let t = rt(c.type_name);
            assert!(
                t.property(c.property).is_some(),
                "{} has no property {}",
                c.type_name,
                c.property
            );
        }
    }
}
