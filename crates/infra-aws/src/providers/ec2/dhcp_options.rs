//! `AWS::EC2::DHCPOptions`, an [`Object`]: `CreateDhcpOptions` with its tags (every other
//! property is create-only, so only tags change in place), `DescribeDhcpOptions` filtered by
//! `dhcp-options-id` (200 per filter, pages followed), `DeleteDhcpOptions`
//! (`DependencyViolation` while a VPC uses the set), found by its infra tags.
//!
//! Each property is one DHCP configuration key: `DomainName` is `domain-name`,
//! `DomainNameServers` `domain-name-servers`, `NtpServers` `ntp-servers`, `NetbiosNameServers`
//! `netbios-name-servers`, `NetbiosNodeType` `netbios-node-type`,
//! `Ipv6AddressPreferredLeaseTime` `ipv6-address-preferred-lease-time`.
//!
//! `Ref` and `Fn::GetAtt DhcpOptionsId` are the DHCP options set id. Every documented property
//! is supported.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::operation::create_dhcp_options::builders::CreateDhcpOptionsFluentBuilder;
use aws_sdk_ec2::types::{DhcpOptions, NewDhcpConfiguration};

use super::object::{New, Object, id_delete, object_header, one_create, paged_describe};

pub(crate) const TYPE: &str = "AWS::EC2::DHCPOptions";

pub(crate) const SPEC: Keys = crate::generated::ec2::DHCP_OPTIONS;

/// Each property, its DHCP configuration key, and whether it holds a list.
const KEYS: &[(&str, &str, bool)] = &[
    ("DomainName", "domain-name", false),
    ("DomainNameServers", "domain-name-servers", true),
    ("NtpServers", "ntp-servers", true),
    ("NetbiosNameServers", "netbios-name-servers", true),
    ("NetbiosNodeType", "netbios-node-type", false),
    (
        "Ipv6AddressPreferredLeaseTime",
        "ipv6-address-preferred-lease-time",
        false,
    ),
];

/// The DHCP options type.
#[derive(Debug)]
pub(crate) struct DhcpOptionsType;

/// The DHCP configurations the properties ask for.
pub(crate) fn configurations(
    props: &Props<'_>,
) -> Result<Vec<NewDhcpConfiguration>, ProviderError> {
    let mut out = Vec::new();
    for (property, key, list) in KEYS {
        let values = if *list {
            props.strs(property)?
        } else {
            props.str(property)?.map(|v| vec![v])
        };
        if let Some(values) = values {
            let configuration = NewDhcpConfiguration::builder().key(*key);
            out.push(configuration.set_values(Some(values)).build());
        }
    }
    if out.is_empty() {
        return Err(ProviderError::fatal(format!(
            "{TYPE}: specify at least one of {}",
            KEYS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(out)
}

impl Object for DhcpOptionsType {
    object_header!(
        DhcpOptions,
        DhcpOptions,
        "DHCP options set",
        "DescribeDhcpOptions",
        "filtered by id (200 per filter, pages followed)"
    );
    const ID_FILTER: Option<&'static str> = Some("dhcp-options-id");
    const ID_ATTRIBUTE: &'static str = "DhcpOptionsId";

    one_create!(
        create_dhcp_options,
        "CreateDhcpOptions",
        |created| created
            .dhcp_options()
            .and_then(DhcpOptions::dhcp_options_id),
        |new: &New<'_>, b: CreateDhcpOptionsFluentBuilder| Ok::<_, ProviderError>(
            b.set_dhcp_configurations(Some(configurations(new.props)?))
        )
    );

    paged_describe!(
        DhcpOptions,
        describe_dhcp_options,
        set_dhcp_options_ids,
        set_filters,
        dhcp_options
    );

    id_delete!(delete_dhcp_options, dhcp_options_id);

    fn observe(options: &DhcpOptions, last: &Value) -> Map<String, Value> {
        let mut map = Map::new();
        for configuration in options.dhcp_configurations() {
            let Some((property, _, list)) = KEYS
                .iter()
                .find(|(_, key, _)| configuration.key() == Some(*key))
            else {
                continue;
            };
            let values: Vec<String> = configuration
                .values()
                .iter()
                .filter_map(|v| v.value().map(str::to_owned))
                .collect();
            let previous = last.get(*property);
            let value = if *list {
                observed_set(values, previous)
            } else if let Some(first) = values.into_iter().next() {
                observed_scalar(json!(first), previous)
            } else {
                continue;
            };
            map.insert((*property).to_owned(), value);
        }
        map
    }
}

#[cfg(test)]
#[path = "tests/dhcp_options.rs"]
mod tests;
