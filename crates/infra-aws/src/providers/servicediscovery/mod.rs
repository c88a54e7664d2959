//! AWS Cloud Map (service discovery): the three namespace types and `AWS::ServiceDiscovery::Service`.
//!
//! | type | module | `Ref` | `Fn::GetAtt` | refresh | find |
//! |---|---|---|---|---|---|
//! | `AWS::ServiceDiscovery::HttpNamespace` | [`namespace`] | namespace id | `Id`, `Arn` | ListNamespaces of its type | `CreatorRequestId`, else name and infra tags |
//! | `AWS::ServiceDiscovery::PrivateDnsNamespace` | [`namespace`] | namespace id | `Id`, `Arn`, `HostedZoneId` | ListNamespaces of its type | `CreatorRequestId`, else name and infra tags |
//! | `AWS::ServiceDiscovery::PublicDnsNamespace` | [`namespace`] | namespace id | `Id`, `Arn`, `HostedZoneId` | ListNamespaces of its type | `CreatorRequestId`, else name and infra tags |
//! | `AWS::ServiceDiscovery::Service` | [`service`] | service id | `Id`, `Arn`, `Name` | ListServices per namespace | `CreatorRequestId`, else name and infra tags |
//!
//! The namespaces share [`namespace`]: their create, update and delete calls answer with an
//! operation id, polled with GetOperation until `SUCCESS` or `FAIL`, lending the slot
//! ([`calls::wait_operation`]). Every create sends a `CreatorRequestId` derived from the
//! create's checkpoint key (stable across retries and runs of one intent), which is how `find`
//! and a retried create recognise what an interrupted create made; tags are given in the create
//! call and changed with TagResource / UntagResource.
//!
//! Errors: throttling and 5xx retryable; `NamespaceNotFound`, `ServiceNotFound`,
//! `OperationNotFound` not found (success for a delete); `ResourceInUse` (a namespace with
//! services, a service with instances) a dependency violation the engine retries while it
//! drains; `DuplicateRequest` (the same create in flight) waited for; anything else fatal. An
//! operation that ends `FAIL` is classed by its `ErrorCode` the same way.

pub(crate) mod calls;
pub(crate) mod namespace;
pub mod service;
#[cfg(test)]
mod tests;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::prelude::*;
use namespace::{Http, NamespaceProvider, PrivateDns, PublicDns};

/// A Cloud Map client and how its errors are named.
pub(crate) type Sd = Service<aws_sdk_servicediscovery::Client>;

/// Cloud Map's failed calls are classed by the kit's table alone.
impl Classify for Sd {}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let client = aws_sdk_servicediscovery::Client::new(config);
    let endpoint = endpoint_for(config, "servicediscovery", None);
    let sd = Sd::new(client, "servicediscovery", endpoint);
    providers.insert(kit::native(NamespaceProvider::<Http>::new(sd.clone())));
    providers.insert(kit::native(NamespaceProvider::<PrivateDns>::new(
        sd.clone(),
    )));
    providers.insert(kit::native(NamespaceProvider::<PublicDns>::new(sd.clone())));
    providers.insert(kit::native(service::ServiceProvider { sd }));
}
