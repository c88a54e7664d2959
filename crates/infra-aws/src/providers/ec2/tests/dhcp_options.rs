//! Unit tests of `dhcp_options`.

use super::*;

#[test]
fn each_property_is_one_configuration() -> Result<(), ProviderError> {
    let value = json!({"DomainName": "example.internal", "DomainNameServers": ["AmazonProvidedDNS"],
        "NetbiosNodeType": 2, "Ipv6AddressPreferredLeaseTime": "3600"});
    let props = Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC)?;
    let got: Vec<(String, Vec<String>)> = configurations(&props)?
        .iter()
        .map(|c| (c.key().unwrap_or_default().to_owned(), c.values().to_vec()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "domain-name".to_owned(),
                vec!["example.internal".to_owned()]
            ),
            (
                "domain-name-servers".into(),
                vec!["AmazonProvidedDNS".into()]
            ),
            ("netbios-node-type".into(), vec!["2".into()]),
            (
                "ipv6-address-preferred-lease-time".into(),
                vec!["3600".into()]
            ),
        ]
    );
    let empty = json!({"Tags": []});
    let err = configurations(&Props::root(&empty, Ctx::new(TYPE, "Net.Resource"), SPEC)?)
        .expect_err("nothing to set");
    assert!(err.message.contains("at least one of DomainName"), "{err}");
    Ok(())
}

#[test]
fn observed_values_keep_the_template_spelling() {
    let options = DhcpOptions::builder()
        .dhcp_configurations(
            aws_sdk_ec2::types::DhcpConfiguration::builder()
                .key("netbios-node-type")
                .values(
                    aws_sdk_ec2::types::AttributeValue::builder()
                        .value("2")
                        .build(),
                )
                .build(),
        )
        .dhcp_configurations(
            aws_sdk_ec2::types::DhcpConfiguration::builder()
                .key("ntp-servers")
                .values(
                    aws_sdk_ec2::types::AttributeValue::builder()
                        .value("10.0.0.2")
                        .build(),
                )
                .values(
                    aws_sdk_ec2::types::AttributeValue::builder()
                        .value("10.0.0.1")
                        .build(),
                )
                .build(),
        )
        .build();
    let last = json!({"NetbiosNodeType": 2, "NtpServers": ["10.0.0.1", "10.0.0.2"]});
    assert_eq!(
        Value::Object(DhcpOptionsType::observe(&options, &last)),
        last
    );
}
