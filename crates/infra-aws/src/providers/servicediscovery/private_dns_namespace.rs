//! `AWS::ServiceDiscovery::PrivateDnsNamespace`, a [`Kind`](super::namespace::Kind) of
//! [`super::namespace`]: CreatePrivateDnsNamespace (`Name`, `Vpc`, `Description`, the SOA
//! record's TTL, `Tags`; Cloud Map makes a private Route 53 hosted zone associated with the VPC)
//! and UpdatePrivateDnsNamespace (`Description`, the TTL). Every documented property is
//! mapped; `Vpc` is write-only (kept as last applied). `Ref` is the namespace id,
//! `Fn::GetAtt` gives `Id`, `Arn` and `HostedZoneId`.

use super::Sd;
use super::calls::built;
use super::namespace::{Spec, dns_kind};
use crate::error::AwsError;
use crate::providers::kit::prelude::*;

pub(crate) const TYPE: &str = "AWS::ServiceDiscovery::PrivateDnsNamespace";

const SUPPORTED: &[&str] = &["Description", "Name", "Properties", "Tags", "Vpc"];

/// Private DNS namespaces.
#[derive(Debug)]
pub(crate) struct PrivateDns;

dns_kind!(
    PrivateDns,
    DnsPrivate,
    create_private_dns_namespace,
    update_private_dns_namespace,
    PrivateDnsNamespaceProperties,
    PrivateDnsPropertiesMutable,
    PrivateDnsNamespaceChange,
    PrivateDnsNamespacePropertiesChange,
    PrivateDnsPropertiesMutableChange,
    set_vpc
);
