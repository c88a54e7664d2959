//! `AWS::EC2::Subnet` changes: the attributes `ModifySubnetAttribute` sets (one call per
//! attribute that differs) and the replacement of the subnet's IPv6 block.

use aws_sdk_ec2::operation::modify_subnet_attribute::builders::ModifySubnetAttributeFluentBuilder as Modify;
use aws_sdk_ec2::types::{AttributeBooleanValue, SubnetCidrBlockStateCode};

use super::SubnetType;
use crate::providers::ec2::api::{call, deleted, retry_while_not_found};
use crate::providers::ec2::association::until_associated;
use crate::providers::ec2::object::described;
use crate::providers::kit::prelude::*;

const DNS_OPTIONS: Keys = Keys::new(&[
    "EnableResourceNameDnsAAAARecord",
    "EnableResourceNameDnsARecord",
    "HostnameType",
]);

/// The attributes `ModifySubnetAttribute` sets. `None` is EC2's default (false, no LNI
/// index); a hostname type left out is left as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Attrs {
    pub(super) map_public_ip: Option<bool>,
    pub(super) assign_ipv6: Option<bool>,
    pub(super) dns64: Option<bool>,
    pub(super) lni_index: Option<i32>,
    pub(super) hostname_type: Option<String>,
    pub(super) a_record: Option<bool>,
    pub(super) aaaa_record: Option<bool>,
}

impl Attrs {
    pub(super) fn of(props: &Props<'_>) -> Result<Attrs, ProviderError> {
        let mut attrs = Attrs {
            map_public_ip: props.bool("MapPublicIpOnLaunch")?,
            assign_ipv6: props.bool("AssignIpv6AddressOnCreation")?,
            dns64: props.bool("EnableDns64")?,
            lni_index: props.i32("EnableLniAtDeviceIndex")?,
            ..Attrs::default()
        };
        if let Some(options) = props.obj("PrivateDnsNameOptionsOnLaunch", DNS_OPTIONS)? {
            attrs.hostname_type = options.str("HostnameType")?;
            attrs.a_record = options.bool("EnableResourceNameDnsARecord")?;
            attrs.aaaa_record = options.bool("EnableResourceNameDnsAAAARecord")?;
        }
        Ok(attrs)
    }
}

impl SubnetType {
    /// One `ModifySubnetAttribute` per attribute that differs between `current` and `desired`.
    pub(super) async fn apply_attrs(
        &self,
        subnet_id: &str,
        current: &Attrs,
        desired: &Attrs,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let flag = |v: Option<bool>| {
            AttributeBooleanValue::builder()
                .value(v.unwrap_or(false))
                .build()
        };
        let modify = || self.ec2.client.modify_subnet_attribute();
        // One call for a boolean attribute that differs (`None` is false).
        let set = |field: fn(&Attrs) -> Option<bool>, set: fn(Modify, _) -> Modify| {
            let (a, b) = (field(current), field(desired));
            (a.unwrap_or(false) != b.unwrap_or(false)).then(|| set(modify(), flag(b)))
        };
        let calls = [
            set(|a| a.map_public_ip, Modify::map_public_ip_on_launch),
            set(|a| a.assign_ipv6, Modify::assign_ipv6_address_on_creation),
            set(|a| a.dns64, Modify::enable_dns64),
            (current.lni_index != desired.lni_index).then(|| match desired.lni_index {
                Some(index) => modify().enable_lni_at_device_index(index),
                None => modify().disable_lni_at_device_index(flag(Some(true))),
            }),
            (desired.hostname_type.as_deref())
                .filter(|wanted| current.hostname_type.as_deref() != Some(*wanted))
                .map(|wanted| modify().private_dns_hostname_type_on_launch(wanted.into())),
            set(
                |a| a.a_record,
                Modify::enable_resource_name_dns_a_record_on_launch,
            ),
            set(
                |a| a.aaaa_record,
                Modify::enable_resource_name_dns_aaaa_record_on_launch,
            ),
        ];
        for call in calls.into_iter().flatten() {
            let call = &call;
            retry_while_not_found(|| async move {
                let request = call.clone().subnet_id(subnet_id);
                call!(self.ec2, request, doing).map(drop)
            })
            .await?;
        }
        Ok(())
    }

    /// Replaces the subnet's IPv6 block: disassociate the old one and wait until it is gone,
    /// then associate the new one and wait until it is associated.
    pub(super) async fn change_ipv6_block(
        &self,
        subnet_id: &str,
        old: Option<&str>,
        new: Option<&str>,
        doing: &str,
    ) -> Result<(), ProviderError> {
        if let Some(old) = old {
            let found = described(self, &self.ec2, [subnet_id], doing).await?;
            let association = found.first().and_then(|s| {
                s.ipv6_cidr_block_association_set()
                    .iter()
                    .find(|a| a.ipv6_cidr_block() == Some(old))
                    .and_then(|a| a.association_id())
                    .map(str::to_owned)
            });
            if let Some(association) = association {
                let request = self.ec2.client.disassociate_subnet_cidr_block();
                let request = request.association_id(&association);
                deleted(call!(self.ec2, request, doing))?;
                self.wait_ipv6(subnet_id, old, false, doing).await?;
            }
        }
        if let Some(new) = new {
            let request = self.ec2.client.associate_subnet_cidr_block();
            let request = request.subnet_id(subnet_id).ipv6_cidr_block(new);
            call!(self.ec2, request, doing)?;
            self.wait_ipv6(subnet_id, new, true, doing).await?;
        }
        Ok(())
    }

    async fn wait_ipv6(
        &self,
        subnet_id: &str,
        block: &str,
        associated: bool,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let noun = format!("IPv6 CIDR block {block} of subnet {subnet_id}");
        until_associated(&noun, associated, doing, || async move {
            let found = described(self, &self.ec2, [subnet_id], doing).await?;
            let state = found.first().and_then(|s| {
                s.ipv6_cidr_block_association_set()
                    .iter()
                    .filter(|a| a.ipv6_cidr_block() == Some(block))
                    .filter_map(|a| a.ipv6_cidr_block_state()?.state().cloned())
                    .find(|s| *s != SubnetCidrBlockStateCode::Disassociated)
            });
            Ok(state.map(|s| (s.as_str().to_owned(), ())))
        })
        .await
        .map(drop)
    }
}
