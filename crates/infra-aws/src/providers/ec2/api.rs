//! What every EC2 provider shares: the client, id batching into `Describe*` filters, how
//! messages name what was being done, and bounded retries while a new resource propagates.
//! Errors are classed by the kit ([`crate::providers::kit`]: throttling, 5xx and
//! `InternalError` retryable, `*.NotFound` not found, `DependencyViolation` /
//! `InvalidGroup.InUse` / `InvalidIPAddress.InUse` a dependency violation, everything else
//! fatal).
//!
//! Messages name what was being done (`creating VpcStack.VPC (AWS::EC2::VPC)`), then the
//! operation and AWS's code and message as [`crate::error::AwsError`] words them; credential
//! values never appear in them.

use std::future::Future;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Filter, UnsuccessfulItem};

pub(crate) use crate::providers::kit::{PROPAGATION_TIMEOUT, has_code, is_not_found, on_create};

/// At most this many values go into one `Describe*` filter (EC2 refuses more than 200).
pub(crate) const FILTER_VALUES_MAX: usize = 200;

/// `MaxResults` of the paginated `Describe*` calls that accept up to 1000.
pub(crate) const PAGE_SIZE: i32 = 1000;

/// `MaxResults` of `DescribeRouteTables`, whose limit is 100.
pub(crate) const ROUTE_TABLE_PAGE_SIZE: i32 = 100;

/// The EC2 client every provider of this module shares, with the endpoint it calls (for
/// "cannot reach" errors). [`Service::error`] turns a failed call into a provider error whose
/// message starts with what was being done ([`Ctx::doing`]).
pub(crate) type Ec2 = Service<Client>;

/// The EC2 client calling `endpoint`.
pub(crate) fn ec2(client: Client, endpoint: &str) -> Ec2 {
    Service::new(client, "ec2", endpoint)
}

/// `refreshing VpcStack.VPC (AWS::EC2::VPC)` / `refreshing 4 AWS::EC2::Subnet resources
/// (A, B, C, ...)`: how read errors name what was read.
pub(crate) fn refreshing(items: &[ReadInput], type_name: &str) -> String {
    match items {
        [one] => format!("refreshing {} ({type_name})", one.address),
        _ => {
            let mut names: Vec<&str> = items.iter().take(3).map(|i| i.address.as_str()).collect();
            if items.len() > 3 {
                names.push("...");
            }
            let (n, names) = (items.len(), names.join(", "));
            format!("refreshing {n} {type_name} resources ({names})")
        }
    }
}

/// Runs `call` again while it fails with a not-found error, for at most
/// [`PROPAGATION_TIMEOUT`]: for calls on a resource this provider just created (EC2 may not
/// show it to every call yet). Other errors, and the last not-found error, are returned.
pub(crate) async fn retry_while_not_found<T, F, Fut>(call: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let first_pause = Duration::from_millis(100);
    kit::retry_while(
        &[FailureClass::NotFound],
        PROPAGATION_TIMEOUT,
        first_pause,
        call,
    )
    .await
}

/// Every item of every page a paginated `Describe*` request answers (`$field` of each page); a
/// failed page is an error naming the call and what was being done.
macro_rules! all_pages {
    ($ec2:expr, $request:expr, $doing:expr, $field:ident) => {{
        let mut out = Vec::new();
        let mut pages = $request.into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| $ec2.error($doing, e))?;
            out.extend(page.$field.unwrap_or_default());
        }
        out
    }};
}
pub(crate) use all_pages;

/// Sends `$request` and turns its failure into an error naming the call and what was being
/// done.
macro_rules! call {
    ($ec2:expr, $request:expr, $doing:expr) => {
        $request.send().await.map_err(|e| $ec2.error($doing, e))
    };
}
pub(crate) use call;

/// What `describe` finds of `ids`, through a call that takes them as a list (`NetworkAclIds`,
/// `VpcEndpointIds`, ...), which AWS fails as a whole when one of them does not exist: one call
/// per chunk of [`FILTER_VALUES_MAX`] ids; a chunk that fails as not found is asked again id by
/// id, so the missing ones read as gone and the others are still seen.
pub(crate) async fn each_or_all<'a, T, F, Fut>(
    ids: impl IntoIterator<Item = &'a str>,
    describe: F,
) -> Result<Vec<T>, ProviderError>
where
    F: Fn(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, ProviderError>>,
{
    let mut out = Vec::new();
    for chunk in id_chunks(ids) {
        match describe(chunk.clone()).await {
            Ok(found) => out.extend(found),
            Err(e) if e.class == FailureClass::NotFound => {
                for id in chunk {
                    match describe(vec![id]).await {
                        Ok(found) => out.extend(found),
                        Err(e) if e.class == FailureClass::NotFound => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Whether a deleting call's `result` deleted something: `false` when there was nothing to
/// delete (not found); its other errors are returned.
pub(crate) fn deleted<T>(result: Result<T, ProviderError>) -> Result<bool, ProviderError> {
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.class == FailureClass::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// What `Ref` and `Fn::GetAtt` return for a resource whose physical id `id` is also its one
/// attribute `attribute`.
pub(crate) fn id_output(attribute: &str, id: &str) -> ResourceOutput {
    kit::output_of(id, [(attribute, Value::from(id))])
}

/// Every object `describe` (a describe call given its filters) finds of `ids`: one call per
/// chunk of [`FILTER_VALUES_MAX`] ids, which the filter `name` (`vpc-id`) selects.
pub(crate) async fn by_filter<'a, T, Fut>(
    name: &str,
    ids: impl IntoIterator<Item = &'a str>,
    describe: impl Fn(Vec<Filter>) -> Fut,
) -> Result<Vec<T>, ProviderError>
where
    Fut: Future<Output = Result<Vec<T>, ProviderError>>,
{
    let mut out = Vec::new();
    for chunk in id_chunks(ids) {
        out.extend(describe(vec![filter(name, &chunk)]).await?);
    }
    Ok(out)
}

/// The id a creating call returned, or an error saying that it returned none.
pub(crate) fn returned(
    id: Option<&str>,
    operation: &str,
    doing: &str,
) -> Result<String, ProviderError> {
    id.map(str::to_owned)
        .ok_or_else(|| ProviderError::fatal(format!("{doing}: {operation} returned no id")))
}

/// The error of the first item a call's answer reports as failed (`CreateFlowLogs`,
/// `DeleteFlowLogs` and `DeleteVpcEndpoints` report a failure per item rather than as an
/// error): `{doing}: {failed}: {code}: {message}`, `absent` standing for a message AWS left out.
pub(crate) fn unsuccessful(
    items: &[UnsuccessfulItem],
    failed: &str,
    absent: &str,
    doing: &str,
) -> Result<(), ProviderError> {
    let Some(error) = items.first().and_then(UnsuccessfulItem::error) else {
        return Ok(());
    };
    let (code, message) = (error.code().unwrap_or_default(), error.message());
    Err(ProviderError {
        class: kit::errors::code_class(code, message.unwrap_or_default()),
        message: format!("{doing}: {failed}: {code}: {}", message.unwrap_or(absent)),
    })
}

/// A `Describe*` filter.
pub(crate) fn filter(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

/// The distinct, non-empty ids of `ids`, in chunks small enough for one filter each.
pub(crate) fn id_chunks<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<Vec<String>> {
    let mut unique: Vec<String> = Vec::new();
    for id in ids {
        if !id.is_empty() && !unique.iter().any(|u| u == id) {
            unique.push(id.to_owned());
        }
    }
    unique
        .chunks(FILTER_VALUES_MAX)
        .map(<[String]>::to_vec)
        .collect()
}

#[cfg(test)]
#[path = "tests/api.rs"]
mod tests;
