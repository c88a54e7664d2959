//! `AWS::Route53::RecordSet`: one record set of a hosted zone, changed with
//! ChangeResourceRecordSets and waited for until `INSYNC`. Properties are read in [`spec`],
//! refresh is in [`read`].
//!
//! | property | create | update |
//! |---|---|---|
//! | `HostedZoneId`, or `HostedZoneName` (looked up with ListHostedZonesByName; no zone or more than one of that name is an error, as in CloudFormation) | where the change goes | create-only (replacement) |
//! | `Name` (compared as Route 53 compares names: case, final dot and escape codes aside), `Type`, `SetIdentifier` | `CREATE` | a `DELETE` of the record set as Route 53 holds it and a `CREATE`, in one atomic batch (the schema does not make them create-only: CloudFormation updates them in place, and `Ref`, the name, changes) |
//! | `TTL`, `ResourceRecords` (a set), `AliasTarget` (`DNSName`, `HostedZoneId`, `EvaluateTargetHealth`), `HealthCheckId` | `CREATE` | `UPSERT` |
//! | `Weight`, `Region`, `Failover`, `GeoLocation`, `MultiValueAnswer`, `CidrRoutingConfig`, `GeoProximityLocation` (the routing policy) | `CREATE` | `UPSERT`; a change of policy kind is a `DELETE` and a `CREATE` in one batch |
//! | `Comment` (write-only) | the change batch's comment | the change batch's comment |
//!
//! `Ref` is the `Name` as the template writes it; the type has no `Fn::GetAtt` attribute.
//!
//! A `CREATE` of a record set that already exists fails in Route 53 (`InvalidChangeBatch`,
//! "already exists"), and so does the create, as in CloudFormation, unless the record set holds
//! exactly the template's values: then it is what an earlier attempt of this create made
//! (records carry no tags, so the values are all there is to tell), and the create goes on with
//! it. `find` applies the same rule: the record set of the template's name, type and set
//! identifier in its zone, only when it holds exactly the template's values. A delete reads the
//! record set first (Route 53 deletes only a record set given with all its current values) and
//! sends it back in a `DELETE`; a record set, or a zone, already gone is success.

pub(crate) mod read;
pub(crate) mod spec;

use aws_sdk_route53::types::{Change, ChangeAction, ChangeBatch, ResourceRecordSet};

use super::{R53, bare_zone_id, gone, wait_change, zones_named};
use crate::error::AwsError;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use spec::{Zone, describe, identity, parse, routing, same};

pub(crate) const TYPE: &str = "AWS::Route53::RecordSet";

/// The id of the hosted zone `zone` names; `None` when no zone has that name. More than one
/// zone of the name is an error, as CloudFormation makes it.
pub(crate) async fn zone_id(r53: &R53, ctx: Ctx<'_>, zone: &Zone) -> R<Option<String>> {
    let name = match zone {
        Zone::Id(id) => return Ok(Some(id.clone())),
        Zone::Name(name) => name,
    };
    match zones_named(r53, ctx, name).await?.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(bare_zone_id(one.id()).to_owned())),
        many => Err(ctx.fatal(format!(
            "{} hosted zones are named {name}: set HostedZoneId to choose one (CloudFormation \
             refuses HostedZoneName then too)",
            many.len()
        ))),
    }
}

/// The record sets of the zone `zone` (`None` when the zone does not exist), pages followed:
/// every one, or from the name and type of `from` on, while the next page may still hold
/// record sets of that name and type.
pub(crate) async fn records(
    r53: &R53,
    ctx: Ctx<'_>,
    zone: &str,
    from: Option<&ResourceRecordSet>,
) -> Result<Option<Vec<ResourceRecordSet>>, ProviderError> {
    let mut start = from.map(|s| (s.name().to_owned(), s.r#type().clone(), None));
    let mut all = Vec::new();
    loop {
        let request = r53.client.list_resource_record_sets().hosted_zone_id(zone);
        let request = request
            .set_start_record_name(start.as_ref().map(|s| s.0.clone()))
            .set_start_record_type(start.as_ref().map(|s| s.1.clone()))
            .set_start_record_identifier(start.and_then(|s| s.2));
        let doing = format!("listing the record sets of {zone}");
        let Some(page) = answered!(r53, ctx, request, doing, gone)? else {
            return Ok(None);
        };
        all.extend(page.resource_record_sets().iter().cloned());
        let next = (page.next_record_name(), page.next_record_type());
        let (true, (Some(name), Some(kind))) = (page.is_truncated(), next) else {
            return Ok(Some(all));
        };
        let wanted = from.map(identity);
        if wanted.is_some_and(|(n, t, _)| n != super::canonical(name) || t != kind.as_str()) {
            return Ok(Some(all));
        }
        let id = page.next_record_identifier().map(str::to_owned);
        start = Some((name.to_owned(), kind.clone(), id));
    }
}

#[derive(Debug)]
pub(crate) struct RecordSetProvider {
    pub(crate) r53: R53,
}

impl RecordSetProvider {
    /// The record set of the identity of `set` in `zone`, as Route 53 holds it.
    async fn current(
        &self,
        ctx: Ctx<'_>,
        zone: &str,
        set: &ResourceRecordSet,
    ) -> Result<Option<ResourceRecordSet>, ProviderError> {
        let listed = records(&self.r53, ctx, zone, Some(set)).await?;
        let mut listed = listed.into_iter().flatten();
        Ok(listed.find(|r| identity(r) == identity(set)))
    }

    /// ChangeResourceRecordSets of `changes` in `zone` (while `doing`), waited for until
    /// `INSYNC`; the failed call's error, for the caller to class.
    async fn submit(
        &self,
        ctx: Ctx<'_>,
        (zone, doing): (&str, &str),
        changes: Vec<(ChangeAction, ResourceRecordSet)>,
        comment: Option<String>,
    ) -> Result<Result<(), AwsError>, ProviderError> {
        let changes = changes.into_iter().map(|(action, set)| {
            let change = Change::builder().action(action);
            let change = change.resource_record_set(set).build();
            change.map_err(|e| ctx.fatal(format!("incomplete change: {e}")))
        });
        let batch = ChangeBatch::builder().set_changes(Some(changes.collect::<Result<_, _>>()?));
        let batch = batch.set_comment(comment).build();
        let batch = batch.map_err(|e| ctx.fatal(format!("incomplete change batch: {e}")))?;
        let request = self.r53.client.change_resource_record_sets();
        let request = request.hosted_zone_id(zone).change_batch(batch);
        let out = match request.send().await {
            Ok(out) => out,
            Err(err) => return Ok(Err(self.r53.err(err))),
        };
        let synced = wait_change(&self.r53, ctx, out.change_info(), doing);
        synced.await.map(Ok)
    }
}

/// Whether an `InvalidChangeBatch` says `what` ("already exists", "not found").
fn batch_says(err: &AwsError, what: &str) -> bool {
    matches!(err, AwsError::Service { code, message, .. }
        if code == "InvalidChangeBatch" && message.to_ascii_lowercase().contains(what))
}

impl kit::Provider for RecordSetProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "ListResourceRecordSets per hosted zone (pages followed), one listing for every record set of the zone; HostedZoneName looked up with ListHostedZonesByName",
        Find::NaturalKey,
        "ListResourceRecordSets from its name and type: the record set of its name, type and set identifier, only when it holds exactly the template's values (record sets have no tags)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let Some(zone) = zone_id(&self.r53, ctx, &spec.zone).await? else {
            let message = format!("no hosted zone is {} (yet)", spec.zone);
            return Err(ctx.error(FailureClass::EventuallyConsistent, message));
        };
        let set = describe(&spec.set);
        let doing = format!("creating record set {set} in hosted zone {zone}");
        let changes = vec![(ChangeAction::Create, spec.set.clone())];
        let sent = self.submit(ctx, (&zone, &doing), changes, spec.comment.clone());
        match sent.await? {
            Ok(()) => {}
            Err(err) if batch_says(&err, "already exists") => {
                let existing = self.current(ctx, &zone, &spec.set).await?;
                if !existing.is_some_and(|existing| same(&existing, &spec.set)) {
                    return Err(ctx.fatal(format!(
                        "{doing}: a record set of that name, type and set identifier already \
                         exists in the zone with other values, and CloudFormation fails the \
                         same way; delete it or change this record set's Name"
                    )));
                }
            }
            Err(err) => return Err(on_create(self.r53.classify(ctx, &doing, &err))),
        }
        Ok(output_of(spec.set.name(), []))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let doing = format!("updating record set {}", describe(&before.set));
        let Some(zone) = zone_id(&self.r53, ctx, &before.zone).await? else {
            let message = format!("{doing}: its hosted zone ({}) is gone", before.zone);
            return Err(ctx.error(FailureClass::NotFound, message));
        };
        let in_place = identity(&before.set) == identity(&after.set)
            && routing(&before.set) == routing(&after.set);
        let changes = if in_place {
            vec![(ChangeAction::Upsert, after.set.clone())]
        } else {
            // A DELETE needs the record set with its current values; both in one batch, so the
            // name never resolves to nothing.
            let current = self.current(ctx, &zone, &before.set).await?;
            let delete = current.map(|c| (ChangeAction::Delete, c));
            let create = (ChangeAction::Create, after.set.clone());
            delete.into_iter().chain([create]).collect()
        };
        let sent = self.submit(ctx, (&zone, &doing), changes, after.comment.clone());
        if let Err(err) = sent.await? {
            return Err(self.r53.classify(ctx, &doing, &err));
        }
        Ok(output_of(after.set.name(), []))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let spec = parse(&input.properties, ctx)?;
        let Some(zone) = zone_id(&self.r53, ctx, &spec.zone).await? else {
            return Ok(());
        };
        let Some(current) = self.current(ctx, &zone, &spec.set).await? else {
            return Ok(());
        };
        let set = describe(&spec.set);
        let doing = format!("deleting record set {set} from hosted zone {zone}");
        let changes = vec![(ChangeAction::Delete, current)];
        let sent = self.submit(ctx, (&zone, &doing), changes, spec.comment.clone());
        match sent.await? {
            Err(err) if !gone(&err) && !batch_says(&err, "not found") => {
                Err(self.r53.classify(ctx, &doing, &err))
            }
            _ => Ok(()),
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read::read(&self.r53, items).await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let Some(zone) = zone_id(&self.r53, ctx, &spec.zone).await? else {
            return Ok(None);
        };
        let found = self.current(ctx, &zone, &spec.set).await?;
        Ok(found
            .filter(|f| same(f, &spec.set))
            .map(|_| output_of(spec.set.name(), [])))
    }
}
