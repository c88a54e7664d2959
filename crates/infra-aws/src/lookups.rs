//! Plan-time lookups: the values a template reads from AWS before anything is created.
//!
//! Loading a template never calls AWS; it asks [`infra_template::Lookups`]. The CLI loads once
//! through a [`Recorder`] around what it already knows, which notes every availability-zone
//! region and SSM parameter the template asked for ([`Wanted`]); [`prefetch`] then fetches all
//! of it at once, concurrently and batched; and the second load reads the answers from the
//! [`Prefetched`] values.
//!
//! - Account id: STS `GetCallerIdentity`.
//! - `Fn::GetAZs`: EC2 `DescribeAvailabilityZones` in each region, as CloudFormation documents it:
//!   the region's Availability Zones (`state` = `available`, `zone-type` = `availability-zone`,
//!   so no Local or Wavelength Zones) in alphabetical order, **restricted to the zones that have
//!   a default subnet, unless none has one** (then all are returned). The default subnets come
//!   from `DescribeSubnets` with `default-for-az` = `true`; like CloudFormation this needs
//!   `ec2:DescribeAvailabilityZones` and `ec2:DescribeSubnets`.
//! - SSM parameters (`AWS::SSM::Parameter::Value<...>`): `GetParameters` in batches of 10 (the
//!   API's maximum), without decryption; names AWS reports as `InvalidParameters` are one error
//!   naming each of them, and a `SecureString` is refused as CloudFormation refuses it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use aws_config::Region;
use aws_sdk_ec2::types::Filter;
use aws_sdk_ssm::types::ParameterType;
use infra_template::{Lookups, Value};
use tokio::task::JoinSet;

use crate::config::endpoint_for;
use crate::error::{AwsError, Call, classify};
use crate::session::AwsSession;

/// `GetParameters` takes at most this many names per call.
pub const SSM_BATCH: usize = 10;

/// What a template wants from AWS at plan time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// `AWS::AccountId`.
    pub account_id: bool,
    /// Regions whose Availability Zones `Fn::GetAZs` asks for.
    pub az_regions: BTreeSet<String>,
    /// SSM parameter names.
    pub ssm_parameters: BTreeSet<String>,
    /// Export names `Fn::ImportValue` reads. [`prefetch`] does not fetch them: the caller
    /// resolves them from the other stacks' states and CloudFormation's exports.
    pub imports: BTreeSet<String>,
}

impl Wanted {
    /// True when nothing is wanted.
    pub fn is_empty(&self) -> bool {
        !self.account_id
            && self.az_regions.is_empty()
            && self.ssm_parameters.is_empty()
            && self.imports.is_empty()
    }

    /// Adds everything `other` wants.
    pub fn merge(&mut self, other: &Wanted) {
        self.account_id |= other.account_id;
        self.az_regions.extend(other.az_regions.iter().cloned());
        self.ssm_parameters
            .extend(other.ssm_parameters.iter().cloned());
        self.imports.extend(other.imports.iter().cloned());
    }
}

/// Values fetched from AWS by [`prefetch`]; answers [`Lookups`] questions from them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefetched {
    /// The caller's account id, when it was wanted.
    pub account_id: Option<String>,
    /// Region → its Availability Zones, in the order `Fn::GetAZs` returns them.
    pub azs: BTreeMap<String, Vec<String>>,
    /// SSM parameter name (as asked for) → value. A `StringList` value is the comma-separated
    /// string AWS returns.
    pub ssm: BTreeMap<String, String>,
    /// Export name → what `Fn::ImportValue` returns for it, and who exports it. Filled by the
    /// caller, which resolves imports.
    pub imports: BTreeMap<String, infra_state::ImportRecord>,
}

impl Lookups for Prefetched {
    fn availability_zones(&self, region: &str) -> Option<Vec<String>> {
        self.azs.get(region).cloned()
    }

    fn ssm_parameter(&self, name: &str) -> Option<Value> {
        self.ssm.get(name).map(|v| Value::String(v.clone()))
    }

    fn import_value(&self, name: &str) -> Option<Value> {
        self.imports
            .get(name)
            .map(|import| Value::from_json(&import.value))
    }
}

/// Wraps any [`Lookups`], answering as it does, and records every Availability Zone region,
/// SSM parameter and import asked for. `account_id` is never set: the pseudo parameter is not a lookup.
pub struct Recorder<'a> {
    inner: &'a dyn Lookups,
    wanted: RefCell<Wanted>,
    /// Every `Fn::GetAtt` read: resource address and attribute (nothing to fetch; it says
    /// which secret attributes the template needs kept).
    attributes: RefCell<BTreeSet<(String, String)>>,
}

impl<'a> Recorder<'a> {
    /// A recorder around `inner` (often [`infra_template::Offline`]).
    pub fn new(inner: &'a dyn Lookups) -> Self {
        Recorder {
            inner,
            wanted: RefCell::new(Wanted::default()),
            attributes: RefCell::new(BTreeSet::new()),
        }
    }

    /// Every `Fn::GetAtt` read so far, as (resource address, attribute).
    pub fn attributes_read(&self) -> BTreeSet<(String, String)> {
        self.attributes.borrow().clone()
    }

    /// What was asked for so far.
    pub fn wanted(&self) -> Wanted {
        self.wanted.borrow().clone()
    }

    /// What was asked for, consuming the recorder.
    pub fn into_wanted(self) -> Wanted {
        self.wanted.into_inner()
    }
}

impl fmt::Debug for Recorder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("wanted", &self.wanted.borrow())
            .finish_non_exhaustive()
    }
}

impl Lookups for Recorder<'_> {
    fn resource_ref(&self, address: &str) -> Option<Value> {
        self.inner.resource_ref(address)
    }

    fn resource_attribute(&self, address: &str, attribute: &str) -> Option<Value> {
        self.attributes
            .borrow_mut()
            .insert((address.to_owned(), attribute.to_owned()));
        self.inner.resource_attribute(address, attribute)
    }

    fn availability_zones(&self, region: &str) -> Option<Vec<String>> {
        self.wanted
            .borrow_mut()
            .az_regions
            .insert(region.to_owned());
        self.inner.availability_zones(region)
    }

    fn ssm_parameter(&self, name: &str) -> Option<Value> {
        self.wanted
            .borrow_mut()
            .ssm_parameters
            .insert(name.to_owned());
        self.inner.ssm_parameter(name)
    }

    fn import_value(&self, name: &str) -> Option<Value> {
        self.wanted.borrow_mut().imports.insert(name.to_owned());
        self.inner.import_value(name)
    }
}

/// One finished lookup task.
enum Fetched {
    Account(String),
    Azs(String, Vec<String>),
    Ssm(BTreeMap<String, String>),
}

/// Fetches everything `wanted` names, concurrently: one STS call, two EC2 calls per region and
/// one SSM call per 10 parameters. Must run inside a tokio runtime.
///
/// Errors: when several lookups fail, the missing SSM parameters of all batches are reported
/// together; any other failure wins over them (the first in the order account, regions,
/// parameters).
pub async fn prefetch(session: &AwsSession, wanted: &Wanted) -> Result<Prefetched, AwsError> {
    let config = session.sdk_config();
    let mut tasks: JoinSet<(usize, Result<Fetched, AwsError>)> = JoinSet::new();
    let mut index = 0;

    if wanted.account_id {
        let sts = aws_sdk_sts::Client::new(config);
        let call = Call::new(
            "sts",
            "GetCallerIdentity",
            endpoint_for(config, "sts", None),
        );
        tasks.spawn(async move { (0, account_id(sts, call).await.map(Fetched::Account)) });
    }
    index += 1;

    for region in &wanted.az_regions {
        let ec2 = aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(config)
                .region(Region::new(region.clone()))
                .build(),
        );
        let endpoint = endpoint_for(config, "ec2", Some(region));
        let region = region.clone();
        let i = index;
        tasks.spawn(async move {
            let zones = availability_zones(ec2, &endpoint).await;
            (i, zones.map(|z| Fetched::Azs(region, z)))
        });
        index += 1;
    }

    let names: Vec<String> = wanted.ssm_parameters.iter().cloned().collect();
    if !names.is_empty() {
        let ssm = aws_sdk_ssm::Client::new(config);
        let endpoint = endpoint_for(config, "ssm", None);
        for batch in names.chunks(SSM_BATCH) {
            let ssm = ssm.clone();
            let call = Call::new("ssm", "GetParameters", endpoint.clone());
            let batch = batch.to_vec();
            let i = index;
            tasks.spawn(async move { (i, ssm_batch(ssm, call, batch).await.map(Fetched::Ssm)) });
            index += 1;
        }
    }

    let mut out = Prefetched::default();
    let mut errors: Vec<(usize, AwsError)> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (i, result) = match joined {
            Ok(r) => r,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => (
                usize::MAX,
                Err(AwsError::Other {
                    service: "infra".into(),
                    operation: "prefetch".into(),
                    detail: e.to_string(),
                }),
            ),
        };
        match result {
            Ok(Fetched::Account(id)) => out.account_id = Some(id),
            Ok(Fetched::Azs(region, zones)) => {
                out.azs.insert(region, zones);
            }
            Ok(Fetched::Ssm(values)) => out.ssm.extend(values),
            Err(AwsError::ParametersNotFound { names }) => missing.extend(names),
            Err(e) => errors.push((i, e)),
        }
    }
    if let Some((_, first)) = errors.into_iter().min_by_key(|(i, _)| *i) {
        return Err(first);
    }
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Err(AwsError::ParametersNotFound { names: missing });
    }
    Ok(out)
}

async fn account_id(sts: aws_sdk_sts::Client, call: Call) -> Result<String, AwsError> {
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| classify(e, &call))?;
    out.account
        .filter(|a| !a.is_empty())
        .ok_or_else(|| AwsError::Other {
            service: call.service,
            operation: call.operation,
            detail: "the response names no account".into(),
        })
}

/// What `Fn::GetAZs` returns for the client's region (see the module documentation).
async fn availability_zones(
    ec2: aws_sdk_ec2::Client,
    endpoint: &str,
) -> Result<Vec<String>, AwsError> {
    let zones_call = Call::new("ec2", "DescribeAvailabilityZones", endpoint);
    let subnets_call = Call::new("ec2", "DescribeSubnets", endpoint);
    let zones = async {
        ec2.describe_availability_zones()
            .filters(filter("state", "available"))
            .filters(filter("zone-type", "availability-zone"))
            .send()
            .await
            .map_err(|e| classify(e, &zones_call))
    };
    let default_subnet_zones = async {
        let mut pages = ec2
            .describe_subnets()
            .filters(filter("default-for-az", "true"))
            .into_paginator()
            .items()
            .send();
        let mut found = BTreeSet::new();
        while let Some(subnet) = pages.next().await {
            let subnet = subnet.map_err(|e| classify(e, &subnets_call))?;
            if let Some(az) = subnet.availability_zone {
                found.insert(az);
            }
        }
        Ok::<_, AwsError>(found)
    };
    let (zones, with_default_subnet) = tokio::try_join!(zones, default_subnet_zones)?;
    Ok(getazs_result(
        zones
            .availability_zones
            .unwrap_or_default()
            .into_iter()
            .filter_map(|z| z.zone_name),
        &with_default_subnet,
    ))
}

/// CloudFormation's rule: the zones with a default subnet, unless none has one; sorted.
pub fn getazs_result(
    zones: impl IntoIterator<Item = String>,
    with_default_subnet: &BTreeSet<String>,
) -> Vec<String> {
    let all: BTreeSet<String> = zones.into_iter().collect();
    let restricted: Vec<String> = all
        .iter()
        .filter(|z| with_default_subnet.contains(*z))
        .cloned()
        .collect();
    if restricted.is_empty() {
        all.into_iter().collect()
    } else {
        restricted
    }
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// One `GetParameters` call for at most [`SSM_BATCH`] names; the result is keyed by the names
/// as asked for.
async fn ssm_batch(
    ssm: aws_sdk_ssm::Client,
    call: Call,
    names: Vec<String>,
) -> Result<BTreeMap<String, String>, AwsError> {
    let out = ssm
        .get_parameters()
        .set_names(Some(names.clone()))
        .with_decryption(false)
        .send()
        .await
        .map_err(|e| classify(e, &call))?;

    let mut found = BTreeMap::new();
    for p in out.parameters.unwrap_or_default() {
        let name = p.name.clone().unwrap_or_default();
        // AWS answers `name:3` / `name:label` with the bare name and the selector apart, and a
        // shared parameter asked for by ARN with its ARN.
        let candidates = [
            p.selector.as_ref().map(|s| format!("{name}{s}")),
            Some(name.clone()),
            p.arn.clone(),
        ];
        let Some(asked) = candidates
            .into_iter()
            .flatten()
            .find(|c| names.contains(c) && !found.contains_key(c))
        else {
            continue;
        };
        if p.r#type == Some(ParameterType::SecureString) {
            return Err(AwsError::SecureStringParameter { name: asked });
        }
        found.insert(asked, p.value.unwrap_or_default());
    }
    let mut missing: Vec<String> = out.invalid_parameters.unwrap_or_default();
    let unanswered: Vec<String> = names
        .iter()
        .filter(|n| !found.contains_key(*n) && !missing.contains(n))
        .cloned()
        .collect();
    missing.extend(unanswered);
    if missing.is_empty() {
        Ok(found)
    } else {
        missing.sort();
        Err(AwsError::ParametersNotFound { names: missing })
    }
}
