//! After adopting: the CloudFormation stack looked up, released (deleted while every resource
//! stays, `infra_aws::cloudformation::release`) and every adopted resource checked to still
//! exist.

use std::collections::BTreeMap;

use infra_aws::AwsError;
use infra_aws::cloudformation::release::{ReleaseError, Released, StackStatus, Step};
use infra_provider::{Observation, ProviderError, ReadInput};
use infra_state::State;

use crate::session::{Session, SessionError};

/// Why a stack could not be looked up or released, or adopted resources are gone.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseFailed {
    /// Not connected to AWS.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The stack could not be described.
    #[error("describing CloudFormation stack {cfn_stack}")]
    Describe {
        /// The CloudFormation stack.
        cfn_stack: String,
        /// What AWS said.
        #[source]
        source: Box<AwsError>,
    },
    /// The release stopped.
    #[error(
        "releasing CloudFormation stack {cfn_stack} (the state keeps what was adopted; run the same command again to go on)"
    )]
    Release {
        /// The CloudFormation stack.
        cfn_stack: String,
        /// Why.
        #[source]
        source: Box<ReleaseError>,
    },
    /// A type in the state has no provider (a bug: it was adopted through one).
    #[error("internal: no provider for {type_name}")]
    NoProvider {
        /// The type.
        type_name: String,
    },
    /// A batched read failed.
    #[error("reading {type_name} resources")]
    Read {
        /// The type.
        type_name: String,
        /// What the provider said.
        #[source]
        source: ProviderError,
    },
    /// Adopted resources no longer exist.
    #[error(
        "{} adopted resources no longer exist: {}; `infra plan` shows what re-creates them",
        .missing.len(),
        .missing.join(", ")
    )]
    Gone {
        /// One entry per resource: address, type and physical id.
        missing: Vec<String>,
    },
}

/// The CloudFormation stack `cfn_stack`, or `None` when it does not exist.
pub fn describe(session: &Session, cfn_stack: &str) -> Result<Option<StackStatus>, ReleaseFailed> {
    let aws = session.connected()?;
    session
        .block_on(infra_aws::cloudformation::release::describe(aws, cfn_stack))
        .map_err(|source| ReleaseFailed::Describe {
            cfn_stack: cfn_stack.to_owned(),
            source: Box::new(source),
        })
}

/// Releases CloudFormation stack `cfn_stack`: `DeletionPolicy: Retain` on every resource
/// (nested templates uploaded to `bucket`), then the stack deleted; `on_step` sees each step.
pub fn release(
    session: &Session,
    cfn_stack: &str,
    bucket: Option<&str>,
    on_step: &mut (dyn FnMut(Step) + Send),
) -> Result<Released, ReleaseFailed> {
    let aws = session.connected()?;
    session
        .block_on(infra_aws::cloudformation::release::release(
            aws, cfn_stack, bucket, on_step,
        ))
        .map_err(|source| ReleaseFailed::Release {
            cfn_stack: cfn_stack.to_owned(),
            source: Box::new(source),
        })
}

/// Reads every resource of the state through its provider (one batch per type) and fails,
/// naming them, when any is gone; returns how many were checked.
pub fn verify(session: &Session, state: &State) -> Result<usize, ReleaseFailed> {
    let mut by_type: BTreeMap<&str, Vec<ReadInput>> = BTreeMap::new();
    for (address, record) in &state.resources {
        by_type
            .entry(record.resource_type.as_str())
            .or_default()
            .push(ReadInput {
                address: address.clone(),
                type_name: record.resource_type.clone(),
                physical_id: record.physical_id.clone(),
                properties: record.properties.clone(),
                attributes: record.attributes.clone(),
            });
    }
    let mut missing = Vec::new();
    for (type_name, inputs) in &by_type {
        let provider =
            session
                .providers()
                .get(type_name)
                .ok_or_else(|| ReleaseFailed::NoProvider {
                    type_name: (*type_name).to_owned(),
                })?;
        let observed =
            session
                .block_on(provider.read(inputs))
                .map_err(|source| ReleaseFailed::Read {
                    type_name: (*type_name).to_owned(),
                    source,
                })?;
        for input in inputs {
            if !matches!(
                observed.get(&input.address),
                Some(Observation::Present { .. })
            ) {
                missing.push(format!(
                    "{} ({type_name} {})",
                    input.address, input.physical_id
                ));
            }
        }
    }
    if !missing.is_empty() {
        return Err(ReleaseFailed::Gone { missing });
    }
    Ok(state.resources.len())
}
