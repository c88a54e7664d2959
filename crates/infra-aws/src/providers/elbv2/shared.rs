//! What the load balancer and target group providers do the same way, the SDK call aside:
//! describing by ARN (batched, ARN by ARN when a batch names one that is gone), the batched
//! read built on it, reading and
//! changing attribute lists (which the listener provider uses too), and adopting a resource of
//! the same name after a retried create.

use std::collections::{BTreeMap, HashMap};

use crate::error::AwsError;
use crate::provider::{CreateInput, FailureClass, Observation, ProviderError, ReadInput};
use crate::providers::elbv2::{ARNS_PER_CALL, Elb, json, read_label};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{self, Ctx, managed_keys, owned_by};

/// A load balancer or target group as DescribeLoadBalancers / DescribeTargetGroups report it.
pub(super) trait Described: Clone + Send + Sync + 'static {
    /// `AWS::ElasticLoadBalancingV2::LoadBalancer`.
    const TYPE: &'static str;
    /// The two properties a read fetches with calls of their own, per resource
    /// (`LoadBalancerAttributes` with DescribeLoadBalancerAttributes, ...), when managed.
    const EXTRA_KEYS: [&'static str; 2];
    /// What those calls answered.
    type Extras: Send + Sync + 'static;

    /// Its ARN.
    fn arn(&self) -> Option<&str>;

    /// The Describe* call for `arns`, its error named by the operation.
    fn describe(
        elb: &Elb,
        arns: Vec<String>,
    ) -> impl Future<Output = Result<Vec<Self>, AwsError>> + Send;

    /// The calls of [`Self::EXTRA_KEYS`] for the resource `arn` (the ones `wanted`).
    fn extras(
        elb: Elb,
        address: String,
        arn: String,
        wanted: [bool; 2],
    ) -> impl Future<Output = Result<(String, Self::Extras), ProviderError>> + Send;

    /// The resource as refresh reports it.
    fn observe(
        &self,
        item: &ReadInput,
        tags: Option<&BTreeMap<String, String>>,
        extras: Option<&Self::Extras>,
    ) -> Observation;
}

/// A batched read: Describe* 20 ARNs a call, DescribeTags once for the resources whose tags
/// are managed, and the [`Described::extras`] calls, a few at a time, only for resources that
/// manage one of their properties.
pub(super) async fn read_described<T: Described>(
    elb: &Elb,
    items: &[ReadInput],
) -> Result<BTreeMap<String, Observation>, ProviderError> {
    let label = read_label(items);
    let ctx = Ctx::new(T::TYPE, &label);
    let arns: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
    let found = describe_many::<T>(elb, ctx, &arns).await?;
    let wants = |item: &ReadInput, key: &str| {
        found.contains_key(&item.physical_id) && managed_keys(&item.properties).contains(key)
    };
    let tag_arns: Vec<String> = items
        .iter()
        .filter(|i| wants(i, "Tags"))
        .map(|i| i.physical_id.clone())
        .collect();
    let tags = if tag_arns.is_empty() {
        BTreeMap::new()
    } else {
        elb.describe_tags(ctx, &tag_arns).await?
    };
    let tasks = items
        .iter()
        .filter_map(|i| {
            let wanted = T::EXTRA_KEYS.map(|key| wants(i, key));
            wanted.contains(&true).then(|| {
                T::extras(
                    elb.clone(),
                    i.address.clone(),
                    i.physical_id.clone(),
                    wanted,
                )
            })
        })
        .collect();
    let extras: HashMap<String, T::Extras> = kit::run_bounded(tasks, kit::READ_CONCURRENCY)
        .await?
        .into_iter()
        .collect();
    Ok(items
        .iter()
        .map(|item| {
            let observation = match found.get(&item.physical_id) {
                None => Observation::Gone,
                Some(object) => object.observe(
                    item,
                    tags.get(&item.physical_id),
                    extras.get(&item.physical_id),
                ),
            };
            (item.address.clone(), observation)
        })
        .collect())
}

/// Describe* of one ARN; `None` when it does not exist.
pub(super) async fn describe_one<T: Described>(
    elb: &Elb,
    arn: &str,
) -> Result<Option<T>, AwsError> {
    match T::describe(elb, vec![arn.to_owned()]).await {
        Ok(found) => Ok(found.into_iter().find(|item| item.arn() == Some(arn))),
        Err(err) if is_not_found(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The resources of `arns` that exist, by ARN: 20 ARNs per call; a batch that fails because one
/// of them is gone is asked ARN by ARN.
pub(super) async fn describe_many<T: Described>(
    elb: &Elb,
    ctx: Ctx<'_>,
    arns: &[String],
) -> Result<HashMap<String, T>, ProviderError> {
    let mut unique = arns.to_vec();
    unique.sort();
    unique.dedup();
    let label = format!("{} {}", ctx.type_name, ctx.address);
    let tasks = unique
        .chunks(ARNS_PER_CALL)
        .map(|chunk| {
            let elb = elb.clone();
            let chunk = chunk.to_vec();
            let label = label.clone();
            async move {
                let found: Vec<T> = match T::describe(&elb, chunk.clone()).await {
                    Ok(found) => found,
                    Err(err) => {
                        if !is_not_found(&err) {
                            return Err(kit::fail(format!("{label}: refreshing"), err));
                        }
                        let mut found = Vec::new();
                        for arn in &chunk {
                            match describe_one(&elb, arn).await {
                                Ok(Some(item)) => found.push(item),
                                Ok(None) => {}
                                Err(err) => {
                                    return Err(kit::fail(
                                        format!("{label}: refreshing {arn}"),
                                        err,
                                    ));
                                }
                            }
                        }
                        found
                    }
                };
                Ok(found
                    .into_iter()
                    .filter(|item| item.arn().is_some_and(|a| chunk.iter().any(|c| c == a)))
                    .collect::<Vec<_>>())
            }
        })
        .collect();
    Ok(kit::run_bounded(tasks, kit::READ_CONCURRENCY)
        .await?
        .into_iter()
        .flatten()
        .filter_map(|item| Some((item.arn()?.to_owned(), item)))
        .collect())
}

/// What a per-resource read returned, `None` when the resource is gone; any other failure is
/// an error saying what was being read (`doing`).
pub(super) fn unless_gone<T>(
    ctx: Ctx<'_>,
    doing: &str,
    read: Result<T, AwsError>,
) -> Result<Option<T>, ProviderError> {
    match read {
        Ok(found) => Ok(Some(found)),
        Err(err) if is_not_found(&err) => Ok(None),
        Err(err) => Err(ctx.fail(doing, err)),
    }
}

/// Describe*Attributes keys and values as a map (a key AWS leaves out is skipped, a value it
/// leaves out is empty).
pub(super) fn attribute_map<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> HashMap<String, String> {
    pairs
        .filter_map(|(key, value)| Some((key?.to_owned(), value.unwrap_or_default().to_owned())))
        .collect()
}

/// Sends the attributes of `after` that are new or differ from `before` with `modify` (the
/// Modify*Attributes call; not made when nothing changed).
pub(super) async fn modify_attributes<Fut, Out>(
    ctx: Ctx<'_>,
    before: &[(String, String)],
    after: &[(String, String)],
    modify: impl FnOnce(Vec<(String, String)>) -> Fut,
) -> Result<(), ProviderError>
where
    Fut: Future<Output = Result<Out, AwsError>>,
{
    let attributes = json::changed_pairs(before, after);
    if attributes.is_empty() {
        return Ok(());
    }
    modify(attributes.clone()).await.map(drop).map_err(|err| {
        ctx.fail(
            format!(
                "setting attributes {}",
                attributes
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            err,
        )
    })
}

/// A `noun` (load balancer, target group) named `name` exists: an earlier attempt at this
/// resource made it when it carries this resource's infra tags. `found` is what the lookup by
/// name returned, the resource and its tags; `conflict` the error of the create.
pub(super) fn adoptable<T>(
    ctx: Ctx<'_>,
    noun: &str,
    name: &str,
    input: &CreateInput,
    conflict: AwsError,
    found: Option<(T, BTreeMap<String, String>)>,
) -> Result<(T, BTreeMap<String, String>), ProviderError> {
    let Some((item, tags)) = found else {
        // Gone again since: the engine may try the create once more.
        return Err(ctx.error(
            FailureClass::Retryable,
            format!("creating {noun} {name}: {conflict}"),
        ));
    };
    if !owned_by(&tags, &input.tags) {
        return Err(ctx.fatal(format!(
            "creating {noun} {name}: a {noun} of that name already exists and was not made for \
             this resource (it lacks its infra:* tags); choose another Name or import it"
        )));
    }
    Ok((item, tags))
}
