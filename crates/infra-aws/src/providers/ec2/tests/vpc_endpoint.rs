//! Unit tests of `vpc_endpoint`.

use aws_sdk_ec2::operation::create_vpc_endpoint::builders::CreateVpcEndpointInputBuilder;

use super::*;
use crate::providers::ec2::object::tests::{client, kit_props};

/// The `CreateVpcEndpoint` request the template `value` asks for.
fn request(value: &Value) -> Result<CreateVpcEndpointInputBuilder, ProviderError> {
    let p = kit_props(TYPE, SPEC, value)?;
    Ok(create_vpc_endpoint(&p, client().create_vpc_endpoint())?
        .as_input()
        .clone())
}

#[test]
fn the_dns_options_the_sdk_cannot_send_are_refused_by_name() -> Result<(), ProviderError> {
    let value = json!({"VpcId": "vpc-1", "DnsOptions": {"DnsRecordIpType": "ipv4",
        "PrivateDnsSpecifiedDomains": ["example.com"]}});
    let err = request(&value).expect_err("refused");
    assert!(
        err.message
            .contains("DnsOptions.PrivateDnsSpecifiedDomains"),
        "{err}"
    );
    let value = json!({"VpcId": "vpc-1", "DnsOptions": {"DnsRecordIpType": "ipv4"},
        "PolicyDocument": "{\"Statement\": []}"});
    assert!(request(&value)?.get_dns_options().is_some());
    let props = Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC)?;
    assert_eq!(policy(&props)?.as_deref(), Some("{\"Statement\":[]}"));
    Ok(())
}

#[test]
fn dns_entries_are_zone_and_name() {
    let endpoint = VpcEndpoint::builder()
        .vpc_endpoint_id("vpce-1")
        .dns_entries(
            aws_sdk_ec2::types::DnsEntry::builder()
                .hosted_zone_id("Z7HUB22UULQXV")
                .dns_name("vpce-1.logs.us-east-1.vpce.amazonaws.com")
                .build(),
        )
        .build();
    let attributes = VpcEndpoints::attributes(&endpoint);
    assert_eq!(
        attributes["DnsEntries"],
        json!(["Z7HUB22UULQXV:vpce-1.logs.us-east-1.vpce.amazonaws.com"])
    );
    assert_eq!(attributes["Id"], json!("vpce-1"));
}
