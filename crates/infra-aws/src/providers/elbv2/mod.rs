//! Elastic Load Balancing v2: `AWS::ElasticLoadBalancingV2::LoadBalancer`, `TargetGroup`,
//! `Listener` and `ListenerRule`, one module each, all of the same shape (the template's
//! properties parsed and checked, then create / update / delete / batched read), following
//! CloudFormation's documented behaviour, with Terraform's AWS provider as the reference for
//! waiters and error codes.
//!
//! # Conversions
//!
//! What the template says and what AWS returns are converted by code generated from the
//! CloudFormation schemas (`crates/infra-aws/generated/elbv2.rs`, from
//! `crates/infra-aws/mappings/elbv2.toml`): each type's keys (refused ones with their reason),
//! the creating requests (CreateLoadBalancer, CreateTargetGroup, CreateListener, CreateRule) and
//! the requests of the in-place changes that take the same properties (SetSecurityGroups,
//! SetSubnets, ModifyTargetGroup), the nested objects (subnet mappings, the minimum capacity,
//! targets, health check matchers, certificates, mutual authentication, actions, conditions,
//! transforms), the attribute lists, and what DescribeLoadBalancers, DescribeTargetGroups,
//! DescribeListeners and DescribeRules return reported back in the template's spelling. The
//! providers keep the call order, the waits, what the schema cannot say (one of `Subnets` and
//! `SubnetMappings`, one default certificate, an action's config), the attribute and health
//! check diffs, and `find`.
//!
//! # What `Ref` and `Fn::GetAtt` return
//!
//! | type | `Ref` | attributes |
//! |---|---|---|
//! | LoadBalancer | ARN | `LoadBalancerArn`, `DNSName`, `CanonicalHostedZoneID`, `LoadBalancerFullName` (`app/name/id`), `LoadBalancerName`, `SecurityGroups`, and also `Name`, `Scheme`, `Type`, `IpAddressType`, `Subnets` as AWS reports them |
//! | TargetGroup | ARN | `TargetGroupArn`, `TargetGroupFullName` (`targetgroup/name/id`), `TargetGroupName`, `LoadBalancerArns` |
//! | Listener | ARN | `ListenerArn` |
//! | ListenerRule | ARN | `RuleArn`, `IsDefault` |
//!
//! Names the template leaves out (load balancer, target group) come from
//! `CreateInput::generated_name` (at most 32 characters, the service's limit).
//!
//! # Tags
//!
//! The template's tags and infra's own (`infra:stack`, `infra:address`) are applied in the
//! creating call (CreateLoadBalancer, CreateTargetGroup, CreateListener, CreateRule), so nothing
//! exists untagged; updates use AddTags / RemoveTags. ELBv2 allows 50 tags per resource.
//!
//! # Retried creates and `find`
//!
//! The creating calls are idempotent for identical settings (AWS documents it for
//! CreateLoadBalancer, CreateTargetGroup and CreateListener). When the name (or, for a listener,
//! the port; for a rule, the priority) is taken by a resource carrying this resource's `infra:*`
//! tags, an earlier attempt made it: it is adopted and brought to the template; otherwise the
//! create fails naming the conflict.
//!
//! `find` (after an interrupted create) looks up the same natural key the same way (`find.rs`)
//! and only reads: a load balancer or target group by name (DescribeLoadBalancers /
//! DescribeTargetGroups `Names`), a listener by its `LoadBalancerArn` and `Port`
//! (DescribeListeners), a rule by its `ListenerArn` and `Priority` (DescribeRules). What it
//! finds counts when it carries this resource's `infra:*` tags (DescribeTags) and is not the
//! object a replacement replaces; it then returns what `create` returns (ARN and attributes),
//! else `None`. A deleted load balancer or target group is no longer listed, so any state
//! counts (a load balancer still `provisioning` is ours all the same).
//!
//! # Reading
//!
//! DescribeLoadBalancers and DescribeTargetGroups take up to 20 ARNs per call; listeners are read
//! with one DescribeListeners per load balancer and rules with one DescribeRules per listener
//! (pages followed), tags with DescribeTags, 20 ARNs per call. A batch naming a resource that no
//! longer exists fails as a whole on AWS (`LoadBalancerNotFound`, ...); that batch is then asked
//! for ARN by ARN, and what is missing is `Gone`. Attributes (load balancer, target group,
//! listener), registered targets and the capacity reservation have no batch call: they are read
//! per resource, and only when infra manages that property.
//!
//! Refresh reports the properties infra manages (the keys of the last applied properties) as
//! the template writes them (`report.rs`): a nested value AWS returns with defaults filled in (a redirect's
//! `#{port}`, a forward action's weights and stickiness, a condition's values repeated in its
//! `*Config`) is reported as the previous value when it says the same (see [`json::matches`]),
//! so only real drift shows. Attribute lists report the keys the template sets.
//!
//! # Error classes
//!
//! Throttling, 5xx and unreachable endpoints are [`FailureClass::Retryable`];
//! `LoadBalancerNotFound`, `TargetGroupNotFound`, `ListenerNotFound` and `RuleNotFound` about the
//! resource itself are [`FailureClass::NotFound`] (a delete's success); `ResourceInUse` (a target
//! group still used by a listener or rule) is [`FailureClass::DependencyViolation`]; anything
//! else is fatal. "Not found" about *another* resource a create or update names (the target
//! group of an action, a certificate just issued, a subnet just made) is
//! [`FailureClass::EventuallyConsistent`], which the engine retries for a bounded time (Terraform
//! retries `CertificateNotFound` the same way). Messages name the type, the address, what was
//! being done, the ELBv2 operation and AWS's code and message. The classes come from the kit's
//! one table for every service (`providers::kit::errors`).
//!
//! [`FailureClass::Retryable`]: crate::provider::FailureClass::Retryable
//! [`FailureClass::NotFound`]: crate::provider::FailureClass::NotFound
//! [`FailureClass::DependencyViolation`]: crate::provider::FailureClass::DependencyViolation
//! [`FailureClass::EventuallyConsistent`]: crate::provider::FailureClass::EventuallyConsistent
//! [`FailureClass::Fatal`]: crate::provider::FailureClass::Fatal

mod actions;
mod attributes;
mod find;
mod json;
mod listener;
mod listener_rule;
mod load_balancer;
mod report;
mod shared;
mod target_group;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::marker::PhantomData;

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{
    Listener, LoadBalancer, Rule, Tag, TagDescription, TargetGroup,
};

use crate::provider::Providers;
use crate::providers::kit::prelude::*;

/// The types this module provides.
pub const TYPES: &[&str] = &[
    load_balancer::TYPE,
    target_group::TYPE,
    listener::TYPE,
    listener_rule::TYPE,
];

/// Registers the ELBv2 providers, sharing `client`.
pub fn register(providers: &mut Providers, client: &Client) {
    let region = client.config().region().map(|r| r.as_ref().to_owned());
    let label = kit::endpoint_label("Elastic Load Balancing", region.as_deref());
    let elb = Elb::new(client.clone(), "elasticloadbalancing", label);
    providers.insert(kit::native(ElbProvider::<LoadBalancer>::new(&elb)));
    providers.insert(kit::native(ElbProvider::<TargetGroup>::new(&elb)));
    providers.insert(kit::native(ElbProvider::<Listener>::new(&elb)));
    providers.insert(kit::native(ElbProvider::<Rule>::new(&elb)));
}

/// An ELBv2 provider, on the family's client: the one of the type whose SDK object is `T`
/// (`LoadBalancer`, `TargetGroup`, `Listener`, `Rule`).
#[derive(Debug)]
pub(super) struct ElbProvider<T> {
    pub(super) elb: Elb,
    kind: PhantomData<fn() -> T>,
}

impl<T> ElbProvider<T> {
    fn new(elb: &Elb) -> Self {
        let (elb, kind) = (elb.clone(), PhantomData);
        ElbProvider { elb, kind }
    }
}

/// A string map AWS holds by key: a resource's tags, its attributes.
pub(crate) type Pairs = BTreeMap<String, String>;

/// An ELBv2 client and how its errors are named.
pub(crate) type Elb = Service<Client>;

/// ARNs per DescribeLoadBalancers / DescribeTargetGroups / DescribeTags call (the API's limit).
pub(crate) const ARNS_PER_CALL: usize = 20;

impl Classify for Elb {}

/// ELBv2 allows 50 tags per resource.
const MAX_TAGS: usize = 50;

/// `tags` in the SDK's shape, refused when `all` (the tags the resource is to carry) are more
/// than ELBv2 allows.
fn elb_tags(ctx: Ctx<'_>, all: &Pairs, tags: &Pairs) -> Result<Vec<Tag>, ProviderError> {
    if all.len() > MAX_TAGS {
        return Err(ctx.fatal(format!(
            "{} tags (the template's and infra's own) are more than the {MAX_TAGS} ELBv2 allows",
            all.len()
        )));
    }
    let tag = |(k, v): (&String, &String)| Tag::builder().key(k).value(v).build();
    Ok(tags.iter().map(tag).collect())
}

/// The tags of a creating call (none at all when there are none).
pub(crate) fn create_tags(ctx: Ctx<'_>, tags: &Pairs) -> Result<Option<Vec<Tag>>, ProviderError> {
    Ok(Some(elb_tags(ctx, tags, tags)?).filter(|t| !t.is_empty()))
}

impl Service<Client> {
    /// Brings the tags of `arn` from `before` to `after` (AddTags, then RemoveTags).
    pub(crate) async fn update_tags(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        before: &Pairs,
        after: &Pairs,
    ) -> Result<(), ProviderError> {
        let (set, remove) = tag_changes(before, after);
        if !set.is_empty() {
            let request = self.client.add_tags().resource_arns(arn);
            let request = request.set_tags(Some(elb_tags(ctx, after, &set)?));
            send!(self, ctx, request, format!("tagging {arn}"))?;
        }
        if !remove.is_empty() {
            let request = self.client.remove_tags().resource_arns(arn);
            let request = request.set_tag_keys(Some(remove));
            send!(self, ctx, request, format!("untagging {arn}"))?;
        }
        Ok(())
    }

    /// Brings the tags of `arn` from the template's `before` to `after` (infra's own, `infra`,
    /// added to both).
    pub(crate) async fn retag(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        infra: &Pairs,
        [before, after]: [&[(String, String)]; 2],
    ) -> Result<(), ProviderError> {
        let (before, after) = (merge_tags(before, infra), merge_tags(after, infra));
        self.update_tags(ctx, arn, &before, &after).await
    }

    /// The tags of many resources: DescribeTags with up to 20 ARNs per call (none when there
    /// are none). A batch that fails because one of its resources is gone is asked ARN by ARN;
    /// missing ones are left out.
    pub(crate) async fn describe_tags(
        &self,
        ctx: Ctx<'_>,
        arns: &[String],
    ) -> Result<BTreeMap<String, Pairs>, ProviderError> {
        let elb = self.clone();
        let call = move |arns: Vec<String>| {
            let elb = elb.clone();
            async move {
                let request = elb.client.describe_tags();
                let request = request.set_resource_arns(Some(arns.clone()));
                let out = request.send().await.map_err(|e| elb.api.err(e))?;
                let tags = |d: &TagDescription| {
                    let asked = |arn: &&str| arns.iter().any(|a| a == arn);
                    let arn = d.resource_arn().filter(asked)?;
                    let tags = kit::tag_pairs(d.tags(), |t| (t.key(), t.value()));
                    Some((arn.to_owned(), tags))
                };
                let found = out.tag_descriptions().iter().filter_map(tags);
                Ok(found.collect::<Vec<_>>())
            }
        };
        let doing = ["reading tags", "reading the tags of"];
        let found = shared::in_arn_batches(ctx, arns, doing, false, call).await?;
        Ok(found.into_iter().collect())
    }
}

/// How read errors name what was read: the one address, or the count and the first few.
pub(crate) fn read_label(items: &[ReadInput]) -> String {
    match items {
        [one] => one.address.clone(),
        _ => {
            let mut names: Vec<&str> = items.iter().take(3).map(|i| i.address.as_str()).collect();
            if items.len() > 3 {
                names.push("...");
            }
            format!("({} resources: {})", items.len(), names.join(", "))
        }
    }
}

/// The part of an ARN after `marker` (`app/name/id` after `:loadbalancer/`), or `None`.
pub(crate) fn arn_suffix<'a>(arn: &'a str, marker: &str) -> Option<&'a str> {
    arn.find(marker).map(|at| &arn[at + marker.len()..])
}

/// The ARN of the parent of a listener or rule: `:listener/app/lb/1/2` → `:loadbalancer/app/lb/1`
/// (from `child` marker to `parent` marker, last path segment dropped).
pub(crate) fn parent_arn(arn: &str, child: &str, parent: &str) -> Option<String> {
    let replaced = arn.replacen(child, parent, 1);
    if replaced == arn {
        return None;
    }
    let (head, _) = replaced.rsplit_once('/')?;
    Some(head.to_owned())
}
