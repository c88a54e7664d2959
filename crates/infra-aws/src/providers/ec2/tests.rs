//! Every property CloudFormation documents for a type (the vendored provider schema, through
//! the registry) is either mapped or refused by name; nothing else is accepted.

use std::collections::BTreeSet;

use super::*;

#[test]
fn every_documented_property_is_mapped_or_refused() {
    assert_eq!(SPECS.len(), TYPES.len());
    for (type_name, spec) in TYPES.iter().zip(SPECS) {
        let unsupported: Vec<&str> = spec.unsupported.iter().map(|(k, _)| *k).collect();
        let rt = infra_registry::lookup(type_name)
            .unwrap_or_else(|| panic!("{} is not in the registry", type_name));
        let settable: BTreeSet<&str> = rt
            .properties
            .iter()
            .map(|p| p.name)
            .filter(|name| !rt.is_read_only(name))
            .collect();
        let handled: BTreeSet<&str> = spec.supported.iter().chain(&unsupported).copied().collect();
        assert_eq!(
            settable, handled,
            "{}: the properties a template can set differ from the ones the provider handles",
            type_name
        );
        assert!(
            spec.supported.iter().all(|p| !unsupported.contains(p)),
            "{}: a property is both supported and refused",
            type_name
        );
        let taggable = rt.tagging.taggable;
        assert_eq!(
            spec.supported.contains(&"Tags"),
            taggable,
            "{}: Tags support differs from the schema's tagging",
            type_name
        );
    }
}

#[test]
fn providers_register_under_their_type() {
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new("us-east-1"))
        .build();
    let client = aws_sdk_ec2::Client::from_conf(config);
    let ssm = aws_sdk_ssm::Client::from_conf(
        aws_sdk_ssm::Config::builder()
            .behavior_version(aws_sdk_ssm::config::BehaviorVersion::latest())
            .region(aws_sdk_ssm::config::Region::new("us-east-1"))
            .build(),
    );
    let mut providers = crate::provider::Providers::default();
    register(
        &mut providers,
        &client,
        "https://ec2.us-east-1.amazonaws.com",
        &ssm,
        "https://ssm.us-east-1.amazonaws.com",
    );
    assert_eq!(
        providers.types().collect::<BTreeSet<_>>(),
        TYPES.iter().copied().collect::<BTreeSet<_>>()
    );
}
