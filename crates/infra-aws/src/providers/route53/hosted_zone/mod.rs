//! `AWS::Route53::HostedZone`: its properties ([`Spec`]; the keys and the VPCs read, and the
//! VPCs and query logging reported, through the conversions generated from
//! `crates/infra-aws/mappings/route53.toml`) and the create / update / delete / find flow;
//! refresh is in [`read`].
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` | CreateHostedZone | create-only (replacement) |
//! | `DelegationSetId` (a reusable delegation set, public zones) | CreateHostedZone | create-only (replacement) |
//! | `HostedZoneConfig.Comment` | CreateHostedZone | UpdateHostedZoneComment (removed: no comment) |
//! | `VPCs` (a private zone) | CreateHostedZone with the first, AssociateVPCWithHostedZone for the others | AssociateVPCWithHostedZone, then DisassociateVPCFromHostedZone; a zone never turns from public to private or back (refused, naming the zone) |
//! | `QueryLoggingConfig.CloudWatchLogsLogGroupArn` | CreateQueryLoggingConfig | DeleteQueryLoggingConfig, CreateQueryLoggingConfig |
//! | `HostedZoneFeatures.EnableAcceleratedRecovery` | UpdateHostedZoneFeatures, waiting for `ENABLED` | UpdateHostedZoneFeatures, waiting for `ENABLED` / `DISABLED` |
//! | `HostedZoneTags` | ChangeTagsForResource, with infra's tags (CreateHostedZone takes none) | ChangeTagsForResource, 10 tags per call |
//!
//! `Ref` and `Fn::GetAtt Id` are the zone id without `/hostedzone/`; `Fn::GetAtt NameServers`
//! the delegation set's name servers (none for a private zone), fixed at create.
//!
//! The create sends a `CallerReference` derived from the create's checkpoint key: a create sent
//! again is answered `HostedZoneAlreadyExists` and goes on with the zone the first one made, and
//! `find` looks it up among the zones of its name (ListHostedZonesByName) by that reference, else
//! by its infra tags (a zone whose create answered but whose tagging did not). Every change waits
//! for `INSYNC`. DeleteHostedZone of a zone that still holds records other than SOA and NS fails
//! with `HostedZoneNotEmpty`: a dependency violation the engine retries while the record sets
//! of the same run are deleted, then an error naming the zone.

pub(crate) mod read;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_route53::types::{
    AcceleratedRecoveryStatus as Recovery, HostedZone, HostedZoneConfig, Tag, TagResourceType, Vpc,
};

use super::{R53, bare_zone_id, gone, wait_change, zones_named};
use crate::error::AwsError;
use crate::generated::route53::{
    HOSTED_ZONE, HOSTED_ZONE_CONFIG, HOSTED_ZONE_FEATURES, QUERY_LOGGING_CONFIG, VPC,
    vpc as read_vpc,
};
use crate::providers::efs::shared::create_token;
use crate::providers::kit::convert::each;

pub(crate) const TYPE: &str = "AWS::Route53::HostedZone";

/// How long accelerated recovery may take to be enabled or disabled.
const FEATURE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The hosted zone as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: String,
    pub(crate) delegation_set: Option<String>,
    pub(crate) comment: Option<String>,
    /// The associated VPCs: a private zone when there are any.
    pub(crate) vpcs: Vec<Vpc>,
    /// The log group of query logging.
    pub(crate) query_log: Option<String>,
    pub(crate) recovery: Option<bool>,
    pub(crate) tags: Vec<(String, String)>,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, HOSTED_ZONE)?;
    // The one field of the object `key` (absent when the object or the field is).
    let str_of = |key: &str, keys: Keys, field: &str| -> Result<Option<String>, ProviderError> {
        let field = p.obj(key, keys)?.map(|o| o.str(field)).transpose()?;
        Ok(field.flatten())
    };
    let features = p.obj("HostedZoneFeatures", HOSTED_ZONE_FEATURES)?;
    let recovery = features.map(|f| f.bool("EnableAcceleratedRecovery"));
    let recovery = recovery.transpose()?.flatten();
    let vpcs = each(&p, "VPCs", VPC, read_vpc)?.unwrap_or_default();
    let log = "CloudWatchLogsLogGroupArn";
    Ok(Spec {
        name: p.required_str("Name")?,
        delegation_set: p.str("DelegationSetId")?,
        comment: str_of("HostedZoneConfig", HOSTED_ZONE_CONFIG, "Comment")?,
        vpcs,
        query_log: str_of("QueryLoggingConfig", QUERY_LOGGING_CONFIG, log)?,
        recovery,
        tags: p.tags("HostedZoneTags")?,
    })
}

pub(crate) fn output(id: &str, name_servers: &[String]) -> ResourceOutput {
    let servers = json!(name_servers);
    output_of(id, [("Id", json!(id)), ("NameServers", servers)])
}

#[derive(Debug)]
pub(crate) struct HostedZoneProvider {
    pub(crate) r53: R53,
}

/// The zone id of a zone Route 53 answered.
fn id_of(zone: &HostedZone) -> String {
    bare_zone_id(zone.id()).to_owned()
}

/// The zone's name servers, in a create's or GetHostedZone's answer.
fn servers(set: Option<&aws_sdk_route53::types::DelegationSet>) -> Vec<String> {
    set.map(|d| d.name_servers().to_vec()).unwrap_or_default()
}

impl HostedZoneProvider {
    /// GetHostedZone of `id`: its name servers and VPCs.
    async fn describe(&self, ctx: Ctx<'_>, id: &str) -> R<(Vec<String>, Vec<Vpc>)> {
        let request = self.r53.client.get_hosted_zone().id(id);
        let out = send!(&self.r53, ctx, request, "reading the zone")?;
        Ok((servers(out.delegation_set()), out.vpcs().to_vec()))
    }

    /// Brings the zone `id` from `before` (its tags `tags`) to `after` (tags `new_tags`).
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        id: &str,
        (before, tags): (&Spec, &BTreeMap<String, String>),
        (after, new_tags): (&Spec, &BTreeMap<String, String>),
    ) -> Result<(), ProviderError> {
        let (r53, c) = (&self.r53, &self.r53.client);
        if before.comment != after.comment {
            let request = c.update_hosted_zone_comment().id(id);
            let request = request.set_comment(after.comment.clone());
            send!(r53, ctx, request, "setting the comment")?;
        }
        self.revpc(ctx, id, &before.vpcs, &after.vpcs).await?;
        if before.query_log != after.query_log {
            self.relog(ctx, id, after.query_log.as_deref()).await?;
        }
        let on = after.recovery.unwrap_or(false);
        if before.recovery.unwrap_or(false) != on {
            self.recovery(ctx, id, on).await?;
        }
        // ChangeTagsForResource takes at most 10 tags to add and 10 keys to remove.
        let (set, remove) = tag_changes(tags, new_tags);
        let tag = |(k, v): (&String, &String)| Tag::builder().key(k).value(v).build();
        let set: Vec<Tag> = set.iter().map(tag).collect();
        let (set, remove) = (set.chunks(10), remove.chunks(10));
        for i in 0..set.len().max(remove.len()) {
            let request = c.change_tags_for_resource().resource_id(id);
            let request = request
                .resource_type(TagResourceType::Hostedzone)
                .set_add_tags(set.clone().nth(i).map(<[Tag]>::to_vec))
                .set_remove_tag_keys(remove.clone().nth(i).map(<[String]>::to_vec));
            send!(r53, ctx, request, "tagging the zone")?;
        }
        Ok(())
    }

    /// Associates the VPCs `after` adds, then disassociates those it drops (a private zone
    /// always keeps one). Route 53 fixes public or private when the zone is made.
    async fn revpc(&self, ctx: Ctx<'_>, id: &str, before: &[Vpc], after: &[Vpc]) -> R<()> {
        if before.is_empty() != after.is_empty() {
            let (was, now) = match before.is_empty() {
                true => ("public", "private"),
                false => ("private", "public"),
            };
            return Err(ctx.fatal(format!(
                "hosted zone {id} is {was}: Route 53 cannot make it {now} (a zone is private when it \
                 is created with VPCs, and keeps at least one); keep its VPCs as they are, or \
                 change the zone's Name so that infra replaces it with a new {now} zone"
            )));
        }
        let (r53, c) = (&self.r53, &self.r53.client);
        for added in after.iter().filter(|v| !before.contains(v)) {
            let request = c.associate_vpc_with_hosted_zone().hosted_zone_id(id);
            let vpc = added.vpc_id().unwrap_or_default();
            let doing = format!("associating VPC {vpc} with the zone");
            let out = send!(r53, ctx, request.vpc(added.clone()), &doing);
            wait_change(r53, ctx, out.map_err(on_create)?.change_info(), &doing).await?;
        }
        for dropped in before.iter().filter(|v| !after.contains(v)) {
            let request = c.disassociate_vpc_from_hosted_zone().hosted_zone_id(id);
            let vpc = dropped.vpc_id().unwrap_or_default();
            let doing = format!("disassociating VPC {vpc} from the zone");
            let request = request.vpc(dropped.clone());
            let missing = |err: &AwsError| has_code(err, "VPCAssociationNotFound");
            if let Some(out) = answered!(r53, ctx, request, &doing, missing)? {
                wait_change(r53, ctx, out.change_info(), &doing).await?;
            }
        }
        Ok(())
    }

    /// Makes the zone's query logging go to `log` (none: off): its current configuration
    /// (ListQueryLoggingConfigs) deleted unless it is that one, then the new one created.
    async fn relog(&self, ctx: Ctx<'_>, id: &str, log: Option<&str>) -> Result<(), ProviderError> {
        let (r53, c) = (&self.r53, &self.r53.client);
        let current = read::query_logs(r53, ctx).await?;
        if let Some(config) = current.iter().find(|c| c.hosted_zone_id() == id) {
            if Some(config.cloud_watch_logs_log_group_arn()) == log {
                return Ok(());
            }
            let request = c.delete_query_logging_config().id(config.id());
            answered!(r53, ctx, request, "turning query logging off", gone)?;
        }
        let Some(arn) = log else {
            return Ok(());
        };
        let request = c.create_query_logging_config().hosted_zone_id(id);
        let request = request.cloud_watch_logs_log_group_arn(arn);
        let sent = send!(r53, ctx, request, "turning query logging on");
        sent.map(drop).map_err(on_create)
    }

    /// UpdateHostedZoneFeatures, then polls GetHostedZone until accelerated recovery is
    /// `ENABLED` (or `DISABLED`), lending the slot; a failed change fails with its reason.
    async fn recovery(&self, ctx: Ctx<'_>, id: &str, on: bool) -> Result<(), ProviderError> {
        let (r53, c) = (&self.r53, &self.r53.client);
        let doing = "changing accelerated recovery";
        let request = c.update_hosted_zone_features().hosted_zone_id(id);
        send!(r53, ctx, request.enable_accelerated_recovery(on), doing)?;
        let done = kit::poll(FEATURE_TIMEOUT, || async {
            let out = send!(r53, ctx, c.get_hosted_zone().id(id), doing)?;
            let features = out.hosted_zone().and_then(|z| z.features());
            match features.and_then(|f| f.accelerated_recovery_status()) {
                Some(failed @ (Recovery::EnableFailed | Recovery::DisableFailed)) => {
                    let why = features.and_then(|f| f.failure_reasons()?.accelerated_recovery());
                    let why = why.unwrap_or("no reason given");
                    Err(ctx.fatal(format!("{doing}: {}: {why}", failed.as_str())))
                }
                Some(Recovery::Enabled) if on => Ok(Some(())),
                None | Some(Recovery::Disabled) if !on => Ok(Some(())),
                _ => Ok(None),
            }
        })
        .await?;
        let late = || format!("{doing}: still in progress after 30 minutes");
        done.ok_or_else(|| ctx.error(FailureClass::Retryable, late()))
    }
}

impl kit::Provider for HostedZoneProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "ListHostedZones (100 per page, pages followed); tags ListTagsForResources (10 zones per call); query logging ListQueryLoggingConfigs (pages) when managed; VPCs and features GetHostedZone per zone when managed",
        Find::Name,
        "ListHostedZonesByName of its name: the CallerReference derived from the create's checkpoint key, else infra tags",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let (key, props) = (input.checkpoint.key(), &input.properties);
        let token = create_token(key, &input.address, &input.tags, props);
        let config = HostedZoneConfig::builder().set_comment(spec.comment.clone());
        let config = config.private_zone(!spec.vpcs.is_empty()).build();
        let request = self.r53.client.create_hosted_zone().name(&spec.name);
        let request = request
            .caller_reference(&token)
            .hosted_zone_config(config)
            .set_vpc(spec.vpcs.first().cloned())
            .set_delegation_set_id(spec.delegation_set.clone());
        let doing = format!("creating hosted zone {}", spec.name);
        let sent = request.send().await;
        let (id, servers, vpcs) = match sent.map_err(|e| self.r53.err(e)) {
            Ok(out) => {
                let no_zone = || ctx.fatal(format!("{doing}: Route 53 answered no zone"));
                let id = id_of(out.hosted_zone().ok_or_else(no_zone)?);
                wait_change(&self.r53, ctx, out.change_info(), &doing).await?;
                let vpcs = spec.vpcs.iter().take(1).cloned().collect();
                (id, servers(out.delegation_set()), vpcs)
            }
            Err(err) if has_code(&err, "HostedZoneAlreadyExists") => {
                // The reference is this create's own: an earlier attempt made the zone.
                let zones = zones_named(&self.r53, ctx, &spec.name).await?;
                let zone = zones.iter().find(|z| z.caller_reference() == token);
                let id = id_of(zone.ok_or_else(|| self.r53.classify(ctx, &doing, &err))?);
                let (servers, vpcs) = self.describe(ctx, &id).await?;
                (id, servers, vpcs)
            }
            Err(err) => return Err(on_create(self.r53.classify(ctx, &doing, &err))),
        };
        let tags = merge_tags(&spec.tags, &input.tags);
        let before = Spec {
            vpcs,
            query_log: None,
            recovery: None,
            tags: Vec::new(),
            ..spec.clone()
        };
        self.converge(ctx, &id, (&before, &BTreeMap::new()), (&spec, &tags))
            .await?;
        Ok(output(&id, &servers))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let tags = |spec: &Spec| merge_tags(&spec.tags, &input.tags);
        let (id, old_tags, new_tags) = (&input.physical_id, tags(&before), tags(&after));
        self.converge(ctx, id, (&before, &old_tags), (&after, &new_tags))
            .await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = bare_zone_id(&input.physical_id);
        let spec = parse(&input.properties, ctx).unwrap_or_default();
        if spec.query_log.is_some() {
            self.relog(ctx, id, None).await?;
        }
        let sent = self.r53.client.delete_hosted_zone().id(id).send().await;
        let doing = format!("deleting hosted zone {} ({id})", spec.name);
        match sent.map_err(|e| self.r53.err(e)) {
            Ok(out) => wait_change(&self.r53, ctx, out.change_info(), &doing).await,
            Err(err) if gone(&err) => Ok(()),
            Err(err) if has_code(&err, "HostedZoneNotEmpty") => Err(ctx.error(
                FailureClass::DependencyViolation,
                format!(
                    "{doing}: the zone still holds record sets other than its SOA and NS records \
                     (HostedZoneNotEmpty); infra waits while record sets deleted in this run go; \
                     delete the zone's other records (made outside this stack), then run destroy again"
                ),
            )),
            Err(err) => Err(self.r53.classify(ctx, &doing, &err)),
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read::read(&self.r53, items).await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let (key, props) = (input.checkpoint.key(), &input.properties);
        let token = create_token(key, &input.address, &input.tags, props);
        let zones = zones_named(&self.r53, ctx, &spec.name).await?;
        let mine = zones.iter().find(|z| z.caller_reference() == token);
        let mut found = mine.map(id_of);
        if found.is_none() && !input.tags.is_empty() {
            // A zone tagged for this resource whose create sent another reference (an earlier
            // intent of the address that was never recorded, a create outside an engine run).
            let ids: Vec<String> = zones.iter().map(id_of).collect();
            let tags = read::tags_of(&self.r53, ctx, &ids).await?;
            let ours = |id: &String| tags.get(id).is_some_and(|t| owned_by(t, &input.tags));
            found = ids.into_iter().find(ours);
        }
        let Some(id) = found else {
            return Ok(None);
        };
        let (servers, _) = self.describe(ctx, &id).await?;
        Ok(Some(output(&id, &servers)))
    }
}
