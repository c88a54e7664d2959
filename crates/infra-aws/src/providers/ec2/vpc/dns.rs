//! `AWS::EC2::VPC` DNS attributes (`EnableDnsSupport`, `EnableDnsHostnames`): set with
//! `ModifyVpcAttribute`, one attribute per call in an order AWS accepts, and read with
//! `DescribeVpcAttribute`.

use aws_sdk_ec2::types::{AttributeBooleanValue, VpcAttributeName};

use super::VpcType;
use crate::providers::ec2::api::{call, retry_while_not_found};
use crate::providers::kit::prelude::*;

/// The two DNS attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dns {
    pub(super) support: bool,
    pub(super) hostnames: bool,
}

impl Dns {
    /// What EC2 gives a new VPC.
    pub(super) const DEFAULT: Dns = Dns {
        support: true,
        hostnames: false,
    };

    pub(super) fn of(props: &Props<'_>) -> Result<Dns, ProviderError> {
        Ok(Dns {
            support: props
                .bool("EnableDnsSupport")?
                .unwrap_or(Dns::DEFAULT.support),
            hostnames: props
                .bool("EnableDnsHostnames")?
                .unwrap_or(Dns::DEFAULT.hostnames),
        })
    }
}

impl VpcType {
    /// Sets the DNS attributes from `current` to `desired`: hostnames off before support off,
    /// support on before hostnames on (EC2 refuses DNS hostnames without DNS support).
    pub(super) async fn apply_dns(
        &self,
        vpc_id: &str,
        current: Dns,
        desired: Dns,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let set = |attribute, value| self.set_dns(vpc_id, attribute, value, doing);
        if current.hostnames && !desired.hostnames {
            set(VpcAttributeName::EnableDnsHostnames, false).await?;
        }
        if current.support != desired.support {
            set(VpcAttributeName::EnableDnsSupport, desired.support).await?;
        }
        if !current.hostnames && desired.hostnames {
            set(VpcAttributeName::EnableDnsHostnames, true).await?;
        }
        Ok(())
    }

    async fn set_dns(
        &self,
        vpc_id: &str,
        attribute: VpcAttributeName,
        value: bool,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let flag = &AttributeBooleanValue::builder().value(value).build();
        let attribute = &attribute;
        retry_while_not_found(|| async move {
            let request = self.ec2.client.modify_vpc_attribute().vpc_id(vpc_id);
            let request = match attribute {
                VpcAttributeName::EnableDnsHostnames => request.enable_dns_hostnames(flag.clone()),
                _ => request.enable_dns_support(flag.clone()),
            };
            call!(self.ec2, request, doing).map(drop)
        })
        .await
    }

    pub(super) async fn dns_attribute(
        &self,
        vpc_id: &str,
        attribute: VpcAttributeName,
        doing: &str,
    ) -> Result<bool, ProviderError> {
        let request = self.ec2.client.describe_vpc_attribute().vpc_id(vpc_id);
        let request = request.attribute(attribute.clone());
        let out = call!(self.ec2, request, doing)?;
        let value = match attribute {
            VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
            _ => out.enable_dns_support(),
        };
        Ok(value
            .and_then(AttributeBooleanValue::value)
            .unwrap_or(false))
    }
}
