//! Generated names and the tags every taggable resource gets.
//!
//! Where a type has a name property (`infra_registry::NameRule`) and the template leaves it
//! out, the resource is created as `<stack>-<logical>-<SUFFIX>`: `<logical>` is the last part
//! of the address, `<SUFFIX>` twelve random uppercase letters and digits, and the front part is
//! cut so the whole fits the service's limit (32 for load balancers and target groups), always
//! keeping the suffix; for a service that takes lower-case names only (S3 buckets) the whole
//! name is written in lower case. The name is recorded in the resource's properties, so it stays stable.

use std::collections::BTreeMap;

use infra_registry::ResourceType;
use infra_state::Uuid;

/// The tag naming the stack a resource belongs to.
pub const STACK_TAG: &str = "infra:stack";
/// The tag naming a resource's address.
pub const ADDRESS_TAG: &str = "infra:address";

const SUFFIX_LEN: usize = 12;
const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The name to create the resource with, when its type names resources and `properties`
/// gives no name.
pub(crate) fn generated_name(
    resource_type: Option<&ResourceType>,
    properties: &serde_json::Value,
    stack: &str,
    address: &str,
) -> Option<String> {
    let rule = resource_type?.naming?;
    if given_name(resource_type, properties).is_some() {
        return None;
    }
    let logical = address.rsplit('.').next().unwrap_or(address);
    let name = name_within(stack, logical, &random_suffix(), rule.max_len);
    Some(if rule.lowercase {
        name.to_lowercase()
    } else {
        name
    })
}

/// The name `properties` gives the resource, if its type has a name property and it is set.
pub(crate) fn given_name(
    resource_type: Option<&ResourceType>,
    properties: &serde_json::Value,
) -> Option<String> {
    let rule = resource_type?.naming?;
    match properties.get(rule.property)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(name) => Some(name.clone()),
        other => Some(other.to_string()),
    }
}

/// `properties` with `name` set as the type's name property (for the record in state).
pub(crate) fn with_name(
    resource_type: Option<&ResourceType>,
    mut properties: serde_json::Value,
    name: &str,
) -> serde_json::Value {
    if let (Some(rule), Some(object)) = (
        resource_type.and_then(|t| t.naming),
        properties.as_object_mut(),
    ) {
        object.insert(rule.property.to_owned(), name.into());
    }
    properties
}

/// Types the CloudFormation schema marks untaggable whose AWS API tags them in the creating
/// call (`CreateInstanceProfile` `Tags`, `CreateLaunchTemplate` `TagSpecifications`): they get
/// infra's tags too, which is what finds them again after an interrupted create.
const TAGGED_BY_THE_API: [&str; 2] = ["AWS::IAM::InstanceProfile", "AWS::EC2::LaunchTemplate"];

/// `infra:stack` and `infra:address`, for taggable types; none otherwise.
pub fn infra_tags(
    resource_type: Option<&ResourceType>,
    stack: &str,
    address: &str,
) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    if resource_type.is_some_and(|t| t.tagging.taggable || TAGGED_BY_THE_API.contains(&t.name)) {
        tags.insert(STACK_TAG.to_owned(), stack.to_owned());
        tags.insert(ADDRESS_TAG.to_owned(), address.to_owned());
    }
    tags
}

/// `<stack>-<logical>-<suffix>` in at most `max_len` characters: the front is cut, never the
/// suffix, and a cut never leaves a hyphen before the suffix's own.
pub(crate) fn name_within(stack: &str, logical: &str, suffix: &str, max_len: usize) -> String {
    let front = format!("{stack}-{logical}");
    let room = max_len.saturating_sub(suffix.chars().count() + 1);
    let cut: String = front.chars().take(room).collect();
    let cut = cut.trim_end_matches('-');
    if cut.is_empty() {
        suffix.to_owned()
    } else {
        format!("{cut}-{suffix}")
    }
}

/// Twelve random characters from `A-Z0-9`, from the 122 random bits of a v4 UUID.
fn random_suffix() -> String {
    // The low 62 bits of a v4 UUID are random (above them sit its variant and version bits);
    // twelve base-36 digits hold 62.04 bits, so all but the last digit drawn are uniform.
    let mut bits = Uuid::new_v4().as_u128() & ((1_u128 << 62) - 1);
    let mut suffix = String::with_capacity(SUFFIX_LEN);
    for _ in 0..SUFFIX_LEN {
        let digit = usize::try_from(bits % 36).unwrap_or(0);
        suffix.push(char::from(ALPHABET[digit]));
        bits /= 36;
    }
    suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_in_front_of_the_suffix() {
        let name = name_within("demo", "PublicLoadBalancer", "ABCDEFGHIJKL", 32);
        assert_eq!(name, "demo-PublicLoadBala-ABCDEFGHIJKL");
        assert_eq!(name.len(), 32);
    }

    #[test]
    fn short_names_are_whole() {
        assert_eq!(
            name_within("demo", "Role", "ABCDEFGHIJKL", 64),
            "demo-Role-ABCDEFGHIJKL"
        );
    }

    #[test]
    fn a_cut_does_not_leave_two_hyphens() {
        // Room for 5 characters: "demo-" fits, but must not end in a hyphen.
        assert_eq!(
            name_within("demo", "X", "ABCDEFGHIJKL", 18),
            "demo-ABCDEFGHIJKL"
        );
    }

    #[test]
    fn suffixes_are_twelve_uppercase_alphanumerics_and_differ() {
        let a = random_suffix();
        let b = random_suffix();
        assert_eq!(a.len(), 12);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            "{a}"
        );
        assert_ne!(a, b);
    }

    #[test]
    fn names_are_generated_only_when_the_template_gives_none() {
        let load_balancer = infra_registry::lookup("AWS::ElasticLoadBalancingV2::LoadBalancer");
        let generated = generated_name(
            load_balancer,
            &serde_json::json!({"Scheme": "internet-facing"}),
            "demo",
            "ServiceStack.PublicLoadBalancer",
        )
        .expect("a generated name");
        assert!(generated.starts_with("demo-PublicLoadBala-"), "{generated}");
        assert_eq!(generated.len(), 32);
        let given = serde_json::json!({"Name": "mine"});
        assert_eq!(generated_name(load_balancer, &given, "demo", "Lb"), None);
        let vpc = infra_registry::lookup("AWS::EC2::VPC");
        assert_eq!(
            generated_name(vpc, &serde_json::json!({}), "demo", "Vpc"),
            None
        );
    }

    #[test]
    fn taggable_types_get_both_tags() {
        let vpc = infra_registry::lookup("AWS::EC2::VPC");
        let tags = infra_tags(vpc, "demo", "VpcStack.VPC");
        assert_eq!(tags.get(STACK_TAG).map(String::as_str), Some("demo"));
        assert_eq!(
            tags.get(ADDRESS_TAG).map(String::as_str),
            Some("VpcStack.VPC")
        );
        assert!(infra_tags(None, "demo", "X").is_empty());
    }

    #[test]
    fn types_only_the_api_tags_get_both_tags_and_untaggable_ones_none() {
        for type_name in TAGGED_BY_THE_API {
            let resource_type = infra_registry::lookup(type_name);
            assert!(
                resource_type.is_some_and(|t| !t.tagging.taggable),
                "{type_name}"
            );
            assert_eq!(
                infra_tags(resource_type, "demo", "P").len(),
                2,
                "{type_name}"
            );
        }
        let route = infra_registry::lookup("AWS::EC2::Route");
        assert!(infra_tags(route, "demo", "R").is_empty());
    }
}
