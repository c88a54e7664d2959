//! Unit tests of `props`.

use serde_json::json;

use super::*;

const TYPE: &str = "AWS::EC2::VPC";
const SPEC: Keys = Keys::with(
    &["CidrBlock", "EnableDnsSupport", "Port", "List"],
    &[("Ipv4IpamPoolId", "not yet")],
);

#[test]
fn unsupported_and_unknown_properties_are_refused_by_name() {
    let err = Props::root(
        &json!({"Ipv4IpamPoolId": "ipam-pool-1"}),
        Ctx::new(TYPE, "Net.Resource"),
        SPEC,
    )
    .expect_err("refused");
    assert_eq!(
        err.message,
        "AWS::EC2::VPC Net.Resource: property Ipv4IpamPoolId is not supported: not yet"
    );
    let err = Props::root(
        &json!({"VpcId": "vpc-1"}),
        Ctx::new(TYPE, "Net.Resource"),
        SPEC,
    )
    .expect_err("refused");
    assert!(
        err.message
            .contains("property VpcId is not supported by infra"),
        "{err}"
    );
    assert!(
        Props::root(
            &json!({"Ipv4IpamPoolId": null}),
            Ctx::new(TYPE, "Net.Resource"),
            SPEC
        )
        .is_ok()
    );
}

#[test]
fn values_are_read_leniently() -> Result<(), ProviderError> {
    let value = json!({"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": "true", "Port": "80",
        "List": ["a", 1]});
    let props = Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC)?;
    assert_eq!(props.str("CidrBlock")?.as_deref(), Some("10.0.0.0/16"));
    assert_eq!(props.bool("EnableDnsSupport")?, Some(true));
    assert_eq!(props.i32("Port")?, Some(80));
    assert_eq!(props.strs("List")?, Some(vec!["a".into(), "1".into()]));
    assert_eq!(props.str("Missing")?, None);
    let bad = json!({"Port": "eighty"});
    let err = Props::root(&bad, Ctx::new(TYPE, "Net.Resource"), SPEC)?
        .i32("Port")
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

#[test]
fn properties_last_applied_are_read_unchecked() -> Result<(), ProviderError> {
    let value = json!({"Anything": "x", "Port": 80});
    let props = unchecked(&value, Ctx::new(TYPE, "Net.Resource"))?;
    assert_eq!(props.str("Anything")?.as_deref(), Some("x"));
    assert_eq!(props.i32("Port")?, Some(80));
    assert!(
        unchecked(&Value::Null, Ctx::new(TYPE, "Net.Resource"))?
            .get("Port")
            .is_none()
    );
    Ok(())
}
