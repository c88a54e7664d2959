//! Names: Cloud Map namespaces and services, Route 53 hosted zones and record sets.

use super::Lifecycle::{Create, Delete, Update};
use super::OperationMapping;

service!(cloud_map, "servicediscovery");
service!(route53, "route53");

/// The rows of this family, one a line.
#[rustfmt::skip]
pub(super) const ROWS: &[OperationMapping] = &[
    // Cloud Map. Namespace calls answer with an OperationId at once and finish later (polled
    // with GetOperation); like NAT gateways, the call itself carries the time.
    cloud_map("AWS::ServiceDiscovery::PrivateDnsNamespace", Create, "CreatePrivateDnsNamespace"),
    cloud_map("AWS::ServiceDiscovery::PrivateDnsNamespace", Update, "UpdatePrivateDnsNamespace"),
    cloud_map("AWS::ServiceDiscovery::PrivateDnsNamespace", Delete, "DeleteNamespace"),
    cloud_map("AWS::ServiceDiscovery::PublicDnsNamespace", Create, "CreatePublicDnsNamespace"),
    cloud_map("AWS::ServiceDiscovery::PublicDnsNamespace", Update, "UpdatePublicDnsNamespace"),
    cloud_map("AWS::ServiceDiscovery::PublicDnsNamespace", Delete, "DeleteNamespace"),
    cloud_map("AWS::ServiceDiscovery::HttpNamespace", Create, "CreateHttpNamespace"),
    cloud_map("AWS::ServiceDiscovery::HttpNamespace", Update, "UpdateHttpNamespace"),
    cloud_map("AWS::ServiceDiscovery::HttpNamespace", Delete, "DeleteNamespace"),
    cloud_map("AWS::ServiceDiscovery::Service", Create, "CreateService"),
    cloud_map("AWS::ServiceDiscovery::Service", Update, "UpdateService"),
    cloud_map("AWS::ServiceDiscovery::Service", Delete, "DeleteService"),
    // Route 53. Every change answers a change id polled with GetChange until `INSYNC`; the call
    // carries the time. `ChangeResourceRecordSets` is a record set's create, update and delete;
    // `AssociateVPCWithHostedZone` runs inside a zone's create too: no row.
    route53("AWS::Route53::HostedZone", Create, "CreateHostedZone"),
    route53("AWS::Route53::HostedZone", Update, "UpdateHostedZoneComment"),
    route53("AWS::Route53::HostedZone", Delete, "DeleteHostedZone"),
    route53("AWS::Route53::RecordSet", Create, "ChangeResourceRecordSets"),
    route53("AWS::Route53::RecordSet", Update, "ChangeResourceRecordSets"),
    route53("AWS::Route53::RecordSet", Delete, "ChangeResourceRecordSets"),
];
