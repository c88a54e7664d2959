//! `AWS::ServiceDiscovery::PublicDnsNamespace`, a [`Kind`](super::namespace::Kind) of
//! [`super::namespace`]: CreatePublicDnsNamespace (`Name`, `Description`, the SOA record's
//! TTL, `Tags`; Cloud Map makes a public Route 53 hosted zone) and UpdatePublicDnsNamespace
//! (`Description`, the TTL). Every documented property is mapped. `Ref` is the namespace id,
//! `Fn::GetAtt` gives `Id`, `Arn` and `HostedZoneId`.

use super::Sd;
use super::calls::built;
use super::namespace::{Spec, dns_kind};
use crate::error::AwsError;
use crate::providers::kit::prelude::*;

pub(crate) const TYPE: &str = "AWS::ServiceDiscovery::PublicDnsNamespace";

const SUPPORTED: &[&str] = &["Description", "Name", "Properties", "Tags"];

/// Public DNS namespaces.
#[derive(Debug)]
pub(crate) struct PublicDns;

dns_kind!(
    PublicDns,
    DnsPublic,
    create_public_dns_namespace,
    update_public_dns_namespace,
    PublicDnsNamespaceProperties,
    PublicDnsPropertiesMutable,
    PublicDnsNamespaceChange,
    PublicDnsNamespacePropertiesChange,
    PublicDnsPropertiesMutableChange
);
