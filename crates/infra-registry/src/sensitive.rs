//! Values that are secrets wherever a type holds them, whatever wrote them: a password given as a
//! literal in a template, a key AWS returns once. Provider schemas do not say which values are
//! secret (`writeOnlyProperties` also lists harmless inputs), so the table is written by hand,
//! from each type's reference page.
//!
//! - [`sensitive_properties`]: property paths whose value is a secret. The state file records
//!   them only as salted digests, and plans and messages redact them.
//! - [`sensitive_attributes`]: `Fn::GetAtt` attributes that are secrets. The state keeps one in
//!   clear in its own record only when the template reads it (a later plan needs the value),
//!   and it is redacted from every other place and output.

/// Property paths, segments joined by `.`; `*` stands for every item of a list. In type name
/// order.
const SENSITIVE_PROPERTIES: &[(&str, &[&str])] = &[
    ("AWS::AmazonMQ::Broker", &["Users.*.Password"]),
    ("AWS::DirectoryService::MicrosoftAD", &["Password"]),
    ("AWS::DirectoryService::SimpleAD", &["Password"]),
    ("AWS::DocDB::DBCluster", &["MasterUserPassword"]),
    ("AWS::ElastiCache::ReplicationGroup", &["AuthToken"]),
    (
        "AWS::Elasticsearch::Domain",
        &["AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword"],
    ),
    ("AWS::IAM::User", &["LoginProfile.Password"]),
    (
        "AWS::OpenSearchService::Domain",
        &["AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword"],
    ),
    ("AWS::RDS::DBCluster", &["MasterUserPassword"]),
    ("AWS::RDS::DBInstance", &["MasterUserPassword"]),
    ("AWS::Redshift::Cluster", &["MasterUserPassword"]),
    ("AWS::SecretsManager::Secret", &["SecretString"]),
];

/// Attributes, in type name order.
const SENSITIVE_ATTRIBUTES: &[(&str, &[&str])] = &[("AWS::IAM::AccessKey", &["SecretAccessKey"])];

fn entry(table: &[(&str, &'static [&'static str])], type_name: &str) -> &'static [&'static str] {
    table
        .binary_search_by(|(name, _)| (*name).cmp(type_name))
        .map_or(&[], |i| table[i].1)
}

/// The paths of `type_name`'s properties that hold secrets (`LoginProfile.Password`,
/// `Users.*.Password`); empty for most types.
pub fn sensitive_properties(type_name: &str) -> &'static [&'static str] {
    entry(SENSITIVE_PROPERTIES, type_name)
}

/// The `Fn::GetAtt` attributes of `type_name` that are secrets (`SecretAccessKey`).
pub fn sensitive_attributes(type_name: &str) -> &'static [&'static str] {
    entry(SENSITIVE_ATTRIBUTES, type_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_name_properties_and_attributes_of_the_type() {
        for table in [SENSITIVE_PROPERTIES, SENSITIVE_ATTRIBUTES] {
            assert!(table.windows(2).all(|pair| pair[0].0 < pair[1].0));
        }
        for (type_name, paths) in SENSITIVE_PROPERTIES {
            let entry = crate::catalog::lookup(type_name).expect("a type AWS has");
            for path in *paths {
                let first = path.split('.').next().unwrap_or(path);
                let property = entry.property(first);
                assert!(property.is_some(), "{type_name} has no property {first}");
            }
        }
        for (type_name, attributes) in SENSITIVE_ATTRIBUTES {
            let rt = crate::lookup(type_name).expect("a native type");
            for attribute in *attributes {
                assert!(rt.attribute(attribute).is_some(), "{type_name}.{attribute}");
            }
        }
    }

    #[test]
    fn lookups_answer_per_type() {
        assert_eq!(
            sensitive_properties("AWS::SecretsManager::Secret"),
            &["SecretString"]
        );
        assert_eq!(
            sensitive_attributes("AWS::IAM::AccessKey"),
            &["SecretAccessKey"]
        );
        assert!(sensitive_properties("AWS::EC2::VPC").is_empty());
        assert!(sensitive_attributes("AWS::IAM::Role").is_empty());
    }
}
