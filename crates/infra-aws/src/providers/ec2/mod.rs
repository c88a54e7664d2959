//! EC2 network providers: one module per resource type, all the same shape.
//!
//! | type | module | `Ref` | waits for |
//! |---|---|---|---|
//! | `AWS::EC2::VPC` | [`vpc`] | VPC id | `available`; gone after delete |
//!
//! Shared pieces: [`api`] (client, error classes, id batching), [`props`] (reading template
//! properties, refusing unsupported ones by name, reporting observed ones), [`tags`], [`wait`].
//!
//! Code follows AWS's documented behaviour (the CloudFormation resource reference and the EC2
//! API reference), with Terraform's AWS provider as the reference for waiters, eventual
//! consistency and error codes.

mod api;
mod props;
mod tags;
mod wait;

mod subnet;
mod vpc;

use aws_sdk_ec2::Client;

use crate::provider::Providers;

/// The types this module provides.
pub const TYPES: &[&str] = &[vpc::TYPE, subnet::TYPE];

/// Registers every EC2 provider, sharing `client`; `endpoint` is the URL it calls, for error
/// messages (see [`crate::config::endpoint_for`]).
pub fn register(providers: &mut Providers, client: &Client, endpoint: &str) {
    let ec2 = api::Ec2::new(client.clone(), endpoint);
    providers.insert(Box::new(vpc::VpcProvider { ec2: ec2.clone() }));
    providers.insert(Box::new(subnet::SubnetProvider { ec2: ec2.clone() }));
}

/// Implements [`crate::provider::ResourceProvider`] for a provider with inherent `do_create`,
/// `do_update`, `do_delete` and `do_read` methods.
macro_rules! provider_impl {
    ($provider:ty, $type_name:expr) => {
        impl $crate::provider::ResourceProvider for $provider {
            fn type_name(&self) -> &'static str {
                $type_name
            }

            fn create<'a>(
                &'a self,
                input: &'a $crate::provider::CreateInput,
            ) -> $crate::provider::BoxFuture<
                'a,
                Result<$crate::provider::ResourceOutput, $crate::provider::ProviderError>,
            > {
                Box::pin(self.do_create(input))
            }

            fn update<'a>(
                &'a self,
                input: &'a $crate::provider::UpdateInput,
            ) -> $crate::provider::BoxFuture<
                'a,
                Result<$crate::provider::ResourceOutput, $crate::provider::ProviderError>,
            > {
                Box::pin(self.do_update(input))
            }

            fn delete<'a>(
                &'a self,
                input: &'a $crate::provider::DeleteInput,
            ) -> $crate::provider::BoxFuture<'a, Result<(), $crate::provider::ProviderError>> {
                Box::pin(self.do_delete(input))
            }

            fn read<'a>(
                &'a self,
                items: &'a [$crate::provider::ReadInput],
            ) -> $crate::provider::BoxFuture<
                'a,
                Result<
                    std::collections::BTreeMap<String, $crate::provider::Observation>,
                    $crate::provider::ProviderError,
                >,
            > {
                Box::pin(self.do_read(items))
            }
        }
    };
}
use provider_impl;
