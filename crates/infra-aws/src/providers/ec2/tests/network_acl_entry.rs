//! Unit tests of `network_acl_entry`.

use super::*;
use crate::providers::ec2::props::report;
use aws_sdk_ec2::types::PortRange;

#[test]
fn an_entry_is_read_from_its_properties() -> Result<(), ProviderError> {
    let value = json!({"NetworkAclId": "acl-1", "RuleNumber": "100", "Protocol": 6,
        "RuleAction": "ALLOW", "Egress": "true", "CidrBlock": "10.0.0.0/16",
        "PortRange": {"From": 443, "To": "443"}});
    let entry = Entry::of(&Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC)?)?;
    assert_eq!(entry.id(), "acl-1|egress|100");
    assert_eq!(entry.protocol, "6");
    assert_eq!(entry.action, "allow");
    assert_eq!(entry.ports, Some((Some(443), Some(443))));
    assert_eq!(entry.output().attributes["Id"], json!("acl-1|egress|100"));
    Ok(())
}

#[test]
fn one_cidr_and_known_nested_keys_only() -> Result<(), ProviderError> {
    let both = json!({"NetworkAclId": "acl-1", "RuleNumber": 1, "Protocol": -1,
        "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "Ipv6CidrBlock": "::/0"});
    let err = Entry::of(&Props::root(&both, Ctx::new(TYPE, "Net.Resource"), SPEC)?)
        .expect_err("two blocks");
    assert!(
        err.message.contains("one of CidrBlock and Ipv6CidrBlock"),
        "{err}"
    );
    let bad = json!({"NetworkAclId": "acl-1", "RuleNumber": 1, "Protocol": 1,
        "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "Icmp": {"Code": -1, "Kind": 3}});
    let err = Entry::of(&Props::root(&bad, Ctx::new(TYPE, "Net.Resource"), SPEC)?)
        .expect_err("unknown key");
    assert!(err.message.contains("Icmp.Kind"), "{err}");
    let err = Props::root(&json!({"Id": "x"}), Ctx::new(TYPE, "Net.Resource"), SPEC)
        .expect_err("read-only");
    assert!(
        err.message
            .contains("property Id is not supported: Id is an attribute"),
        "{err}"
    );
    Ok(())
}

#[test]
fn observed_values_keep_the_template_spelling() {
    let seen = NetworkAclEntry::builder()
        .rule_number(100)
        .egress(false)
        .protocol("6")
        .rule_action(RuleAction::Allow)
        .cidr_block("10.0.0.0/16")
        .port_range(PortRange::builder().from(80).to(80).build())
        .build();
    let last = json!({"NetworkAclId": "acl-1", "RuleNumber": 100, "Protocol": 6,
        "RuleAction": "ALLOW", "CidrBlock": "10.0.0.0/16", "PortRange": {"From": 80, "To": 80}});
    let observed = report(observed_properties("acl-1", &seen, &last), &last, &[]);
    assert_eq!(observed, last);
}
