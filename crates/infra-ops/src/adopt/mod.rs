//! `infra import --from-cloudformation STACK`: adopting every resource of a CloudFormation
//! stack (and of its nested stacks), so `infra` manages what CloudFormation made.
//!
//! The order of a run ([`adopt`]):
//! 1. list the stack's resources (`infra_aws::cloudformation`), nested stacks at `Child.Logical`;
//! 2. [`compare`] them with the template's, loaded offline as `plan` does: same addresses,
//!    same types; what serves a `Custom::AsgDestroyer` (its function and role,
//!    `Deployment::native_teardowns`) is adopted too, so the next plan deletes it, while the
//!    custom resource itself, which has no AWS object of its own, ends with the stack; any other
//!    custom resource or type infra cannot manage stops the import unless `--skip` names it;
//!    resources already in the state at the same address and type (a re-run) are kept;
//! 3. read each resource through its provider at CloudFormation's physical id; the types whose
//!    `Ref` in infra is not CloudFormation's physical id ([`BY_NATURAL_KEY`]) are found by their
//!    provider's `find`, from the template's properties resolved against what was adopted;
//! 4. add infra's tags to what was adopted.
//!
//! The caller writes the state once, under the lock held for the whole run; nothing is to be
//! written when any step fails. [`release`] then releases the stack, and [`verify`] checks that
//! every adopted resource still exists. A run interrupted at any point can be repeated.

mod compare;
mod release;
mod steps;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use infra_aws::AwsError;
use infra_plan::plan::StateLookups;
use infra_provider::ProviderError;
use infra_state::{ResourceRecord, State};
use infra_template::{Deployment, LoadError, LoadOptions, Offline};

pub use self::compare::{Adoptable, Comparison, Teardown, compare};
pub use self::release::{ReleaseFailed, describe, release, verify};

use self::steps::{add_infra_tags, find, read_all};
use crate::session::{Session, SessionError};

/// Types whose physical id in infra is not CloudFormation's: infra finds them by natural key.
pub const BY_NATURAL_KEY: &[&str] = &[
    "AWS::EC2::Route",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::IAM::Policy",
];

/// Types read at CloudFormation's physical id, but found by natural key when that id does not
/// read (an emulator, or an older CloudFormation handler, may give another id than `Ref`).
pub const FIND_WHEN_UNREAD: &[&str] = &[
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
];

/// Why a stack could not be adopted; nothing is to be written.
#[derive(Debug, thiserror::Error)]
pub enum AdoptError {
    /// Not connected to AWS.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The stack's resources could not be listed.
    #[error("listing the resources of CloudFormation stack {cfn_stack}")]
    List {
        /// The CloudFormation stack.
        cfn_stack: String,
        /// What AWS said.
        #[source]
        source: Box<AwsError>,
    },
    /// The template and the stack do not match (or the state holds other types there).
    #[error(
        "cannot adopt CloudFormation stack {cfn_stack} with {template}; nothing was imported:\n  {}",
        .problems.join("\n  ")
    )]
    Mismatch {
        /// The CloudFormation stack.
        cfn_stack: String,
        /// The template's path, as given.
        template: String,
        /// Every reason, one per address.
        problems: Vec<String>,
    },
    /// Resources not found at CloudFormation's physical id.
    #[error(
        "some resources of CloudFormation stack {cfn_stack} could not be read; nothing was imported:\n  {}",
        .missing.join("\n  ")
    )]
    Unread {
        /// The CloudFormation stack.
        cfn_stack: String,
        /// One line per resource.
        missing: Vec<String>,
    },
    /// The template, resolved against what was read, is not valid.
    #[error(transparent)]
    Invalid(LoadError),
    /// Resources read in the first pass were gone in the second.
    #[error(
        "resources of CloudFormation stack {cfn_stack} vanished while being read; nothing was imported: {}",
        .addresses.join(", ")
    )]
    Vanished {
        /// The CloudFormation stack.
        cfn_stack: String,
        /// Their addresses.
        addresses: Vec<String>,
    },
    /// A type compared as manageable has no provider (a bug).
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
    /// The read of an object found by natural key failed.
    #[error("reading {type_name} {physical_id}")]
    ReadFound {
        /// The type.
        type_name: String,
        /// The id found.
        physical_id: String,
        /// What the provider said.
        #[source]
        source: ProviderError,
    },
    /// infra's tags could not be added.
    #[error(
        "adding infra's tags to {address} ({resource_type} {physical_id}); nothing was imported"
    )]
    Tag {
        /// The address.
        address: String,
        /// The type.
        resource_type: String,
        /// The physical id.
        physical_id: String,
        /// What AWS said.
        #[source]
        source: Box<AwsError>,
    },
}

/// What to adopt, and into what.
#[derive(Debug, Clone, Copy)]
pub struct AdoptRequest<'a> {
    /// The CloudFormation stack (a name or an ARN).
    pub cfn_stack: &'a str,
    /// The infra stack.
    pub stack: &'a str,
    /// The template's path.
    pub template: &'a Path,
    /// The load options of the template (parameters; the stack name set).
    pub opts: &'a LoadOptions,
    /// The template loaded offline.
    pub deployment: &'a Deployment,
    /// The state as read (what a previous run adopted stays).
    pub state: &'a State,
    /// `--skip` addresses.
    pub skip: &'a BTreeSet<String>,
}

/// What a run adopted and left, for the caller to record and report.
#[derive(Debug, Default)]
pub struct Adopted {
    /// The records to add to the state.
    pub records: BTreeMap<String, ResourceRecord>,
    /// Adopted resources that served a `Custom::AsgDestroyer`: the next plan deletes them.
    pub retired: Vec<String>,
    /// Addresses already in the state at the same type (a re-run).
    pub already: Vec<String>,
    /// `Custom::AsgDestroyer` resources, which end with the stack: address and type.
    pub left_to_cloudformation: Vec<(String, String)>,
    /// Addresses `--skip` named.
    pub skipped: Vec<String>,
    /// Natural-key resources that could not be found: one line each, with why.
    pub not_adopted: Vec<String>,
    /// How many adopted resources were given infra's tags.
    pub tagged: usize,
}

/// Compares, reads and finds every resource of the CloudFormation stack; returns the records
/// to add to the state with what the run left, or why nothing is to be written.
pub fn adopt(session: &Session, request: AdoptRequest<'_>) -> Result<Adopted, AdoptError> {
    let AdoptRequest {
        cfn_stack,
        stack,
        deployment,
        state,
        ..
    } = request;
    let aws = session.connected()?;
    let listed = session
        .block_on(infra_aws::cloudformation::list_stack_resources(
            aws, cfn_stack,
        ))
        .map_err(|source| AdoptError::List {
            cfn_stack: cfn_stack.to_owned(),
            source: Box::new(source),
        })?;

    let template: BTreeMap<String, String> = deployment
        .resources
        .iter()
        .map(|r| (r.address.clone(), r.type_name.clone()))
        .collect();
    let teardown = Teardown {
        custom: deployment
            .native_teardowns
            .iter()
            .map(|t| t.custom_resource.clone())
            .collect(),
        served: deployment
            .native_teardowns
            .iter()
            .flat_map(|t| t.removed.clone())
            .collect(),
    };
    let manageable = |t: &str| session.providers().get(t).is_some();
    let mut comparison = compare(&template, &teardown, &listed, request.skip, &manageable);
    let mut already = Vec::new();
    let mut conflicts = Vec::new();
    comparison
        .adopt
        .retain(|a| match state.resources.get(&a.address) {
            None => true,
            Some(r) if r.resource_type == a.resource_type => {
                already.push(a.address.clone());
                false
            }
            Some(r) => {
                conflicts.push(format!(
                    "`{}` is already in the state as a {} ({}); `infra state rm {}` first",
                    a.address, r.resource_type, r.physical_id, a.address
                ));
                false
            }
        });
    comparison.problems.extend(conflicts);
    if !comparison.problems.is_empty() {
        return Err(AdoptError::Mismatch {
            cfn_stack: cfn_stack.to_owned(),
            template: request.template.display().to_string(),
            problems: comparison.problems,
        });
    }

    let (direct, mut by_key): (Vec<&Adoptable>, Vec<&Adoptable>) = comparison
        .adopt
        .iter()
        .partition(|a| !BY_NATURAL_KEY.contains(&a.resource_type.as_str()));
    // First pass: read each resource at CloudFormation's id with the keys the template sets,
    // to learn the ids and attributes other resources' `Ref` and `Fn::GetAtt` read.
    let first = direct
        .iter()
        .map(|a| (*a, a.physical_id.clone(), BTreeMap::new()))
        .collect::<Vec<_>>();
    let (adopted, unread) = read_all(session, deployment, &first)?;
    let mut missing = Vec::new();
    for a in unread {
        if FIND_WHEN_UNREAD.contains(&a.resource_type.as_str()) {
            by_key.push(a);
        } else {
            missing.push(format!(
                "`{}`: no {} with id `{}` exists",
                a.address, a.resource_type, a.physical_id
            ));
        }
    }
    if !missing.is_empty() {
        return Err(AdoptError::Unread {
            cfn_stack: cfn_stack.to_owned(),
            missing,
        });
    }

    // The template resolved against what was read: the values a `Ref` reads are known now,
    // so the second pass records every property the template sets (a subnet's `VpcId`), and
    // the natural-key types can be found (a route by table and destination, ...).
    let mut resolved_state = state.clone();
    resolved_state.resources.extend(adopted.clone());
    let lookups = StateLookups::new(&resolved_state, &Offline);
    let resolved = infra_template::load(request.template, request.opts, &lookups)
        .map_err(AdoptError::Invalid)?;
    let second = direct
        .iter()
        .filter_map(|a| {
            adopted
                .get(&a.address)
                .map(|r| (*a, r.physical_id.clone(), r.attributes.clone()))
        })
        .collect::<Vec<_>>();
    let (mut adopted, vanished) = read_all(session, &resolved, &second)?;
    if !vanished.is_empty() {
        return Err(AdoptError::Vanished {
            cfn_stack: cfn_stack.to_owned(),
            addresses: vanished.iter().map(|a| a.address.clone()).collect(),
        });
    }
    let mut not_adopted = Vec::new();
    for a in &by_key {
        match find(session, &resolved, a)? {
            Ok(record) => {
                adopted.insert(a.address.clone(), record);
            }
            Err(why) => not_adopted.push(format!(
                "{} ({}, CloudFormation id {}): {why}",
                a.address, a.resource_type, a.physical_id
            )),
        }
    }

    let tagged = add_infra_tags(session, stack, &adopted)?;
    Ok(Adopted {
        records: adopted,
        retired: comparison.retired,
        already,
        left_to_cloudformation: comparison.left_to_cloudformation,
        skipped: comparison.skipped,
        not_adopted,
        tagged,
    })
}
