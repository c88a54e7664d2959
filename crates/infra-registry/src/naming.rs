//! Name properties: for each type whose name CloudFormation generates when a
//! template leaves it out, the property and the service's length limit, from
//! CloudFormation's and the services' documentation (provider schemas state
//! few of these limits). `infra` generates `<stack>-<logical>-<SUFFIX>` within
//! the limit instead.

use crate::const_str;

/// The name property of a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRule {
    /// The property that holds the name, e.g. `Name` or `RoleName`.
    pub property: &'static str,
    /// The longest name the service accepts, in characters.
    pub max_len: usize,
    /// Whether an explicit name makes a replacement destroy-then-create: the
    /// name is unique, so the new resource cannot take it while the old one
    /// holds it. A generated name allows create-before-destroy.
    pub explicit_forces_replacement: bool,
    /// Whether the service accepts lower-case names only (S3 buckets): a generated name is
    /// written in lower case.
    pub lowercase: bool,
}

const fn rule(
    type_name: &'static str,
    property: &'static str,
    max_len: usize,
    explicit_forces_replacement: bool,
) -> (&'static str, NameRule) {
    (
        type_name,
        NameRule {
            property,
            max_len,
            explicit_forces_replacement,
            lowercase: false,
        },
    )
}

/// One entry per type with a name property, in type name order.
///
/// `AWS::IAM::Policy` requires `PolicyName`, so that name is never generated;
/// it is listed for its limit. `AWS::ECS::TaskDefinition` `Family` is not
/// unique (each registration adds a revision to the family), so an explicit
/// family still allows create-before-destroy.
#[rustfmt::skip]
pub(crate) const NAME_RULES: &[(&str, NameRule)] = &[
    rule("AWS::AutoScaling::AutoScalingGroup", "AutoScalingGroupName", 255, true),
    rule("AWS::AutoScaling::LaunchConfiguration", "LaunchConfigurationName", 255, true),
    rule("AWS::AutoScaling::LifecycleHook", "LifecycleHookName", 255, true),
    rule("AWS::CloudWatch::Alarm", "AlarmName", 255, true),
    rule("AWS::CloudWatch::Dashboard", "DashboardName", 255, true),
    rule("AWS::DynamoDB::Table", "TableName", 255, true),
    rule("AWS::EC2::LaunchTemplate", "LaunchTemplateName", 128, true),
    rule("AWS::EC2::SecurityGroup", "GroupName", 255, true),
    (
        "AWS::ECR::Repository",
        NameRule { property: "RepositoryName", max_len: 256, explicit_forces_replacement: true, lowercase: true },
    ),
    rule("AWS::ECS::CapacityProvider", "Name", 255, true),
    rule("AWS::ECS::Cluster", "ClusterName", 255, true),
    rule("AWS::ECS::Service", "ServiceName", 255, true),
    rule("AWS::ECS::TaskDefinition", "Family", 255, false),
    rule("AWS::ElasticLoadBalancingV2::LoadBalancer", "Name", 32, true),
    rule("AWS::ElasticLoadBalancingV2::TargetGroup", "Name", 32, true),
    rule("AWS::Events::Rule", "Name", 64, true),
    rule("AWS::IAM::Group", "GroupName", 128, true),
    rule("AWS::IAM::InstanceProfile", "InstanceProfileName", 128, true),
    rule("AWS::IAM::ManagedPolicy", "ManagedPolicyName", 128, true),
    rule("AWS::IAM::Policy", "PolicyName", 128, true),
    rule("AWS::IAM::Role", "RoleName", 64, true),
    rule("AWS::IAM::User", "UserName", 64, true),
    rule("AWS::Lambda::Function", "FunctionName", 64, true),
    rule("AWS::Logs::LogGroup", "LogGroupName", 512, true),
    (
        "AWS::S3::Bucket",
        NameRule { property: "BucketName", max_len: 63, explicit_forces_replacement: true, lowercase: true },
    ),
    rule("AWS::SNS::Topic", "TopicName", 256, true),
    rule("AWS::SQS::Queue", "QueueName", 80, true),
    rule("AWS::SSM::Parameter", "Name", 1011, true),
    rule("AWS::SecretsManager::Secret", "Name", 512, true),
    rule("AWS::ServiceDiscovery::Service", "Name", 127, true),
];

/// Rules of types infra deploys through AWS Cloud Control, where the limit differs from the
/// default of [`crate::generic::name_rule`] (64) or the name must be lower case, from each
/// service's documentation.
#[rustfmt::skip]
pub(crate) const CATALOG_NAME_RULES: &[(&str, NameRule)] = &[
    rule("AWS::Kinesis::Stream", "Name", 128, true),
    rule("AWS::StepFunctions::StateMachine", "StateMachineName", 80, true),
];

/// The rule for `type_name`, if it has a name property.
pub(crate) const fn name_rule_for(type_name: &str) -> Option<NameRule> {
    match rule_in(NAME_RULES, type_name) {
        Some(rule) => Some(rule),
        None => rule_in(CATALOG_NAME_RULES, type_name),
    }
}

const fn rule_in(rules: &[(&str, NameRule)], type_name: &str) -> Option<NameRule> {
    let mut i = 0;
    while i < rules.len() {
        if const_str::eq(rules[i].0, type_name) {
            return Some(rules[i].1);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{CATALOG_NAME_RULES, NAME_RULES};
    use crate::Shape;

    #[test]
    fn rules_are_sorted_unique_and_name_string_properties() {
        assert!(NAME_RULES.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for (type_name, rule) in NAME_RULES {
            let resource_type = crate::lookup(type_name)
                .unwrap_or_else(|| panic!("{type_name} has a naming rule but is not supported"));
            assert_eq!(resource_type.naming.as_ref(), Some(rule));
            let property = resource_type
                .property(rule.property)
                .unwrap_or_else(|| panic!("{type_name} has no property {}", rule.property));
            assert_eq!(
                property.shape,
                Shape::String,
                "{type_name} {}",
                rule.property
            );
            assert!(rule.max_len >= 32, "{type_name}");
        }
        assert!(
            CATALOG_NAME_RULES
                .windows(2)
                .all(|pair| pair[0].0 < pair[1].0)
        );
        for (type_name, rule) in CATALOG_NAME_RULES {
            assert!(crate::lookup(type_name).is_none(), "{type_name} is native");
            let entry = crate::catalog::lookup(type_name).expect("in the catalog");
            let property = entry.property(rule.property).expect("a property");
            assert!(!property.read_only && !property.required, "{type_name}");
        }
    }
}
