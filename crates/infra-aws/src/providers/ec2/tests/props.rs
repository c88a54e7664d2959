//! Unit tests of `props`.

use serde_json::json;

use super::*;

const SPEC: Spec = Spec {
    type_name: "AWS::EC2::VPC",
    supported: &["CidrBlock", "EnableDnsSupport", "Port", "List"],
    unsupported: &["Ipv4IpamPoolId"],
};

#[test]
fn unsupported_and_unknown_properties_are_refused_by_name() {
    let err = Props::parse(&SPEC, &json!({"Ipv4IpamPoolId": "ipam-pool-1"})).expect_err("refused");
    assert_eq!(
        err.message,
        "AWS::EC2::VPC property Ipv4IpamPoolId is not supported yet"
    );
    let err = Props::parse(&SPEC, &json!({"VpcId": "vpc-1"})).expect_err("refused");
    assert!(err.message.contains("has no property VpcId"), "{err}");
    assert!(Props::parse(&SPEC, &json!({"Ipv4IpamPoolId": null})).is_ok());
}

#[test]
fn values_are_read_leniently() -> Result<(), ProviderError> {
    let value = json!({"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": "true", "Port": "80",
        "List": ["a", 1]});
    let props = Props::parse(&SPEC, &value)?;
    assert_eq!(props.str("CidrBlock")?.as_deref(), Some("10.0.0.0/16"));
    assert_eq!(props.bool("EnableDnsSupport")?, Some(true));
    assert_eq!(props.int("Port")?, Some(80));
    assert_eq!(props.strs("List")?, Some(vec!["a".into(), "1".into()]));
    assert_eq!(props.str("Missing")?, None);
    let bad = json!({"Port": "eighty"});
    let err = Props::parse(&SPEC, &bad)?
        .int("Port")
        .expect_err("not an int");
    assert!(err.message.contains("Port must be an integer"), "{err}");
    Ok(())
}

#[test]
fn report_keeps_managed_keys_only() {
    let observed = json!({"CidrBlock": "10.0.0.0/16", "InstanceTenancy": "default"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let last = json!({"CidrBlock": "10.0.0.0/16", "Ipv4NetmaskLength": 16, "Gone": "x"});
    assert_eq!(
        report(observed, &last, &["Ipv4NetmaskLength"]),
        json!({"CidrBlock": "10.0.0.0/16", "Ipv4NetmaskLength": 16})
    );
}
