//! Unit tests of `sg_rules`.

use serde_json::json;

use super::*;
const TYPE: &str = "AWS::EC2::SecurityGroup";
const SPEC: Keys = Keys::new(&["SecurityGroupIngress"]);

fn ingress(value: Value) -> Result<Vec<Rule>, ProviderError> {
    let value = json!({ "SecurityGroupIngress": value });
    let props = Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC)?;
    Rule::parse_list(&props, "SecurityGroupIngress", Direction::Ingress)
}

#[test]
fn equivalent_spellings_are_the_same_rule() -> Result<(), ProviderError> {
    let a = ingress(
        json!([{"IpProtocol": "6", "FromPort": "80", "ToPort": 80, "CidrIp": "0.0.0.0/0"}]),
    )?;
    let b = ingress(
        json!([{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]),
    )?;
    assert!(a[0].same(&b[0]));
    let all_a = ingress(json!([{"IpProtocol": -1, "CidrIp": "10.0.0.0/8"}]))?;
    let all_b = ingress(
        json!([{"IpProtocol": "-1", "FromPort": 0, "ToPort": 65535, "CidrIp": "10.0.0.0/8"}]),
    )?;
    assert!(all_a[0].same(&all_b[0]));
    assert!(!a[0].same(&all_a[0]));
    Ok(())
}

#[test]
fn a_rule_needs_exactly_one_peer() {
    let err =
        ingress(json!([{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80}])).expect_err("no peer");
    assert!(err.message.contains("a rule needs one of CidrIp"), "{err}");
    let err = ingress(
        json!([{"IpProtocol": "tcp", "CidrIp": "0.0.0.0/0", "SourceSecurityGroupId": "sg-1"}]),
    )
    .expect_err("two peers");
    assert!(
        err.message
            .contains("only one of CidrIp, SourceSecurityGroupId"),
        "{err}"
    );
    let err = ingress(json!([{"IpProtocol": "tcp", "CidrIp": "0.0.0.0/0", "Port": 1}]))
        .expect_err("unknown key");
    assert!(
        err.message.contains("SecurityGroupIngress[0].Port"),
        "{err}"
    );
}

#[test]
fn diff_finds_added_removed_and_redescribed_rules() -> Result<(), ProviderError> {
    let before = ingress(json!([
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
    ]))?;
    let after = ingress(json!([
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0", "Description": "web"},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
    ]))?;
    let (added, removed, described) = diff(&before, &after);
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].from, Some(443));
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].from, Some(22));
    assert_eq!(described.len(), 1);
    assert_eq!(described[0].description.as_deref(), Some("web"));
    Ok(())
}

#[test]
fn observed_rules_keep_the_template_spelling() -> Result<(), ProviderError> {
    let last =
        ingress(json!([{"IpProtocol": "6", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]))?;
    let observed = Rule::from_permissions(&[last[0].permission()]);
    let mut other = observed[0].clone();
    other.protocol = "tcp".into();
    other.from = Some(443);
    other.to = Some(443);
    assert_eq!(
        report_rules(&[other, observed[0].clone()], &last, Direction::Ingress),
        json!([
            {"IpProtocol": "6", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
        ])
    );
    Ok(())
}
