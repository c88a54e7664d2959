//! `Fn::GetAtt` attributes equal what cfn-lint itself computes.
//!
//! `tests/data/cfn_lint_getatts.json` holds, per type, the sorted names of
//! `Schema.get_atts` of cfn-lint 1.58.0 (the release the schemas come from),
//! produced with that package installed:
//!
//! ```python
//! from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m
//! names = lambda t: sorted(k.replace("\\", "") for k in
//!                          m.get_resource_schema("us-east-1", t).get_atts)
//! ```
//!
//! Types added later need an entry there too.

use std::collections::BTreeMap;

use infra_registry::supported_types;

#[test]
fn attributes_match_cfn_lint() {
    let expected: BTreeMap<String, Vec<String>> =
        serde_json::from_str(include_str!("data/cfn_lint_getatts.json")).expect("valid fixture");
    for resource_type in supported_types() {
        let expected = expected
            .get(resource_type.name)
            .unwrap_or_else(|| panic!("{} missing from the fixture", resource_type.name));
        let actual: Vec<&str> = resource_type.attributes.iter().map(|a| a.name).collect();
        assert_eq!(&actual, expected, "{}", resource_type.name);
    }
}
