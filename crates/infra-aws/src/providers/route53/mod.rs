//! Amazon Route 53: `AWS::Route53::HostedZone` ([`hosted_zone`]) and `AWS::Route53::RecordSet`
//! ([`record_set`]), on one Route 53 client and the pieces below: how its failed calls are
//! classed (its [`Classify`]), waiting for a change to be `INSYNC` ([`wait_change`]), domain names
//! compared as Route 53 compares them ([`canonical`]) and the hosted zones of a name
//! ([`zones_named`]).
//!
//! | type | `Ref` | `Fn::GetAtt` | refresh | find |
//! |---|---|---|---|---|
//! | `AWS::Route53::HostedZone` | zone id (without `/hostedzone/`) | `Id`, `NameServers` | ListHostedZones pages; tags ListTagsForResources (10 zones per call) | the `CallerReference` derived from the create's checkpoint key, else infra tags, among the zones of its name |
//! | `AWS::Route53::RecordSet` | the record's `Name` as written | none | ListResourceRecordSets, one listing per zone for all its records | name, type and set identifier in the zone, with exactly the template's values (records have no tags) |
//!
//! Every change (a zone made, a VPC associated, a record batch) answers a change id, polled with
//! GetChange until `INSYNC` (usually within a minute), lending the slot.
//!
//! | Route 53 error | class |
//! |---|---|
//! | `NoSuchHostedZone`, `NoSuchQueryLoggingConfig`, `NoSuchChange`, any `NoSuch*` | not found (success for a delete; "not there yet" in a create) |
//! | `HostedZoneNotEmpty` (records other than SOA and NS left) | dependency violation: the engine retries while the records of the same run go |
//! | `PriorRequestNotComplete` (an earlier change of the zone still running) | retryable |
//! | `InsufficientCloudWatchLogsResourcePolicy` (CreateQueryLoggingConfig: a log group's resource policy made a moment ago, not visible yet) | eventually consistent |
//! | anything else | the kit's table |

use std::fmt::Display;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_route53::types::{ChangeInfo, ChangeStatus, HostedZone};

use crate::error::AwsError;
use crate::provider::Providers;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

pub mod hosted_zone;
pub mod record_set;

#[cfg(test)]
mod tests;

/// A Route 53 client and how its errors are named.
pub(crate) type R53 = Service<aws_sdk_route53::Client>;

/// How long a change may take to reach `INSYNC`: Route 53 documents "generally within 60
/// seconds"; Terraform's AWS provider allows 30 minutes.
pub(crate) const CHANGE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// A failed Route 53 call is classed by Route 53's own codes first (see the module doc).
impl Classify for R53 {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        let mut out = ctx.fail(doing, err);
        out.class = match err.code().unwrap_or_default() {
            code if code.starts_with("NoSuch") => FailureClass::NotFound,
            "HostedZoneNotEmpty" => FailureClass::DependencyViolation,
            "PriorRequestNotComplete" => FailureClass::Retryable,
            // A log group's resource policy made a moment ago may not be visible yet.
            "InsufficientCloudWatchLogsResourcePolicy" => FailureClass::EventuallyConsistent,
            _ => out.class,
        };
        out
    }
}

/// Whether `err` says what was asked for does not exist (`NoSuch*`, or the kit's codes).
pub(crate) fn gone(err: &AwsError) -> bool {
    is_not_found(err) || err.code().is_some_and(|c| c.starts_with("NoSuch"))
}

/// A zone id without the `/hostedzone/` prefix Route 53 answers it with.
pub(crate) fn bare_zone_id(id: &str) -> &str {
    id.strip_prefix("/hostedzone/").unwrap_or(id)
}

/// A domain name as Route 53 compares it: lower case, escape codes (`\052`) read as the
/// character they stand for, without the final dot. Route 53 answers names with a final dot,
/// in lower case and with characters other than `a-z0-9-_` as escape codes, whatever was sent
/// (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html>).
pub(crate) fn canonical(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal {
            Some(digits) if bytes[i] == b'\\' => {
                let code = digits.iter().fold(0u32, |n, d| n * 8 + u32::from(d - b'0'));
                out.push(u8::try_from(code).unwrap_or(b'?').to_ascii_lowercase());
                i += 4;
            }
            _ => {
                out.push(bytes[i].to_ascii_lowercase());
                i += 1;
            }
        }
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    match text.strip_suffix('.') {
        Some(stripped) if !stripped.is_empty() => stripped.to_owned(),
        _ => text,
    }
}

/// Whether two domain names are the same to Route 53 ([`canonical`]).
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    canonical(a) == canonical(b)
}

/// Polls GetChange until the change `info` names is `INSYNC`, lending the slot.
pub(crate) async fn wait_change(
    r53: &R53,
    ctx: Ctx<'_>,
    info: Option<&ChangeInfo>,
    doing: &str,
) -> Result<(), ProviderError> {
    let Some(info) = info.filter(|i| *i.status() != ChangeStatus::Insync) else {
        return Ok(());
    };
    let id = info.id().to_owned();
    let done = kit::poll(CHANGE_TIMEOUT, || async {
        let out = send!(r53, ctx, r53.client.get_change().id(&id), doing)?;
        let synced = |c: &&ChangeInfo| *c.status() == ChangeStatus::Insync;
        Ok(out.change_info().filter(synced).map(drop))
    })
    .await?;
    let minutes = CHANGE_TIMEOUT.as_secs() / 60;
    let late = format!("{doing}: change {id} was not INSYNC after {minutes} minutes");
    done.ok_or_else(|| ctx.error(FailureClass::Retryable, late))
}

/// The hosted zones named `name` (ListHostedZonesByName from that name, pages followed while
/// the names match).
pub(crate) async fn zones_named(r53: &R53, ctx: Ctx<'_>, name: &str) -> R<Vec<HostedZone>> {
    let want = canonical(name);
    let doing = format!("listing the hosted zones named {name}");
    let (mut found, mut next) = (Vec::new(), Some((name.to_owned(), None)));
    while let Some((start, after)) = next.take() {
        let request = r53.client.list_hosted_zones_by_name().dns_name(start);
        let page = send!(r53, ctx, request.set_hosted_zone_id(after), &doing)?;
        let ours = |name: &str| canonical(name) == want;
        let named = page.hosted_zones().iter().filter(|z| ours(z.name()));
        found.extend(named.cloned());
        let more = page.next_dns_name().filter(|n| ours(n));
        let more = more.filter(|_| page.is_truncated());
        next = more.map(|n| (n.to_owned(), page.next_hosted_zone_id().map(str::to_owned)));
    }
    Ok(found)
}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let endpoint = config.endpoint_url();
    let endpoint = endpoint.unwrap_or("https://route53.amazonaws.com");
    let r53 = R53::new(aws_sdk_route53::Client::new(config), "route53", endpoint);
    let zones = hosted_zone::HostedZoneProvider { r53: r53.clone() };
    providers.insert(kit::native(zones));
    providers.insert(kit::native(record_set::RecordSetProvider { r53 }));
}
