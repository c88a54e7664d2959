//! What the four providers read the same way, the SDK calls aside: a batched read (load
//! balancers and target groups described 20 ARNs a call, ARN by ARN when a batch names one that
//! is gone; listeners and rules listed per parent), the tags and the per-resource calls of the
//! resources read, and adopting a resource of the same natural key after a retried create.

use std::collections::{BTreeSet, HashMap};

use crate::providers::kit::prelude::*;

use aws_sdk_elasticloadbalancingv2::types::Tag;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::AwsError;
use crate::providers::elbv2::{ARNS_PER_CALL, Elb, Pairs, create_tags, parent_arn, read_label};

/// A resource as refresh reports it, from what AWS described.
pub(super) trait Reported: Send + Sync + 'static {
    /// `AWS::ElasticLoadBalancingV2::LoadBalancer`.
    const TYPE: &'static str;
    /// The properties a read fetches with calls of their own, per resource
    /// (`LoadBalancerAttributes` with DescribeLoadBalancerAttributes, ...), when managed (none
    /// unless said).
    const EXTRA_KEYS: &'static [&'static str] = &[];
    /// What those calls answered.
    type Extras: Default + Send + Sync + 'static;

    /// Its ARN.
    fn arn(&self) -> Option<&str>;

    /// The calls of the [`Self::EXTRA_KEYS`] `wanted` for the resource `arn` (none unless
    /// said).
    fn extras(
        elb: Elb,
        address: String,
        arn: String,
        wanted: Vec<&'static str>,
    ) -> impl Future<Output = Result<(String, Self::Extras), ProviderError>> + Send {
        let _ = (elb, address, wanted);
        async move { Ok((arn, Self::Extras::default())) }
    }

    /// What create, update and find report of it.
    fn output(&self) -> ResourceOutput;

    /// The resource as refresh reports it.
    fn observe(
        &self,
        item: &ReadInput,
        tags: Option<&Pairs>,
        extras: Option<&Self::Extras>,
    ) -> Observation;
}

/// A load balancer or target group: described by ARN or by name, created with a name.
pub(super) trait Described: Reported + Clone {
    /// What it is called in messages (`load balancer`).
    const NOUN: &'static str;
    /// Its creating call, and the code it answers when the name is taken
    /// (`CreateLoadBalancer`, `DuplicateLoadBalancerName`).
    const CREATE: [&'static str; 2];

    /// The Describe* call for `ids`, ARNs (or names, `by_name`), its error named by the
    /// operation.
    fn describe(
        elb: &Elb,
        ids: Vec<String>,
        by_name: bool,
    ) -> impl Future<Output = Result<Vec<Self>, AwsError>> + Send;

    /// Its name.
    fn name(&self) -> Option<&str>;
}

/// A listener or rule: listed per parent (load balancer, listener).
pub(super) trait Listed: Reported {
    /// The property naming the parent, and the ARN markers of the child and of the parent
    /// (`LoadBalancerArn`, `:listener/`, `:loadbalancer/`).
    const PARENT: [&'static str; 3];
    /// What the children and their parent are called in messages (`listeners`, `load
    /// balancer`).
    const NOUNS: [&'static str; 2];

    /// The children of `parent` by ARN (pages followed); `None` when it does not exist.
    fn list(
        elb: &Elb,
        parent: &str,
    ) -> impl Future<Output = Result<Option<HashMap<String, Self>>, AwsError>> + Send
    where
        Self: Sized;

    /// What finds it again among its parent's children (it has no name), as text: a
    /// listener's port, a rule's priority.
    fn key(&self) -> Option<String>;

    /// The parent and the [`Self::key`] the template's `properties` give.
    fn natural_key(
        properties: &Value,
        ctx: Ctx<'_>,
    ) -> Result<(String, Option<String>), ProviderError>;
}

/// A batched read of described resources: Describe* 20 ARNs a call (a batch that fails because
/// one of them is gone asked ARN by ARN), then [`report_found`] of those that exist.
pub(super) async fn read_described<T: Described>(elb: &Elb, items: &[ReadInput]) -> Reads {
    let label = read_label(items);
    let ctx = Ctx::new(T::TYPE, &label);
    let arns: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
    let client = elb.clone();
    let call = move |arns| {
        let elb = client.clone();
        async move { T::describe(&elb, arns, false).await }
    };
    let found = in_arn_batches(ctx, &arns, ["refreshing", "refreshing"], true, call).await?;
    let asked = |arn: &str| arns.iter().any(|c| c == arn);
    let by_arn = |item: T| Some((item.arn().filter(|a| asked(a))?.to_owned(), item));
    let found: HashMap<String, T> = found.into_iter().filter_map(by_arn).collect();
    report_found(elb, ctx, items, &found).await
}

/// A batched read of listed resources: one listing per parent (the parent property, else the
/// parent of the ARN), then [`report_found`].
pub(super) async fn read_listed<T: Listed>(elb: &Elb, items: &[ReadInput]) -> Reads {
    let label = read_label(items);
    let ctx = Ctx::new(T::TYPE, &label);
    let [key, child, parent] = T::PARENT;
    let parent_of = |item: &ReadInput| {
        let given = item.properties.get(key).and_then(Value::as_str);
        let given = given.map(str::to_owned);
        given.or_else(|| parent_arn(&item.physical_id, child, parent))
    };
    let parents = items.iter().filter_map(parent_of).filter(|p| !p.is_empty());
    let parents: BTreeSet<String> = parents.collect();
    let tasks = parents
        .into_iter()
        .map(|parent| {
            let (elb, label) = (elb.clone(), format!("{} {label}", T::TYPE));
            async move {
                let listed = T::list(&elb, &parent).await;
                let doing = format!("{label}: reading the {} of {parent}", T::NOUNS[0]);
                Ok(listed
                    .map_err(|err| kit::fail(doing, err))?
                    .unwrap_or_default())
            }
        })
        .collect();
    let found = kit::run_bounded(tasks, kit::READ_CONCURRENCY).await?;
    let found: HashMap<String, T> = found.into_iter().flatten().collect();
    report_found(elb, ctx, items, &found).await
}

/// What refresh reports of `items`, `found` by ARN: DescribeTags once for the resources whose
/// tags are managed, and the [`Reported::extras`] calls, a few at a time, only for resources
/// that manage one of their properties.
async fn report_found<T: Reported>(
    elb: &Elb,
    ctx: Ctx<'_>,
    items: &[ReadInput],
    found: &HashMap<String, T>,
) -> Reads {
    let wanted = |item: &ReadInput, keys: &[&'static str]| -> Vec<&'static str> {
        let managed = managed_keys(&item.properties);
        let present = found.contains_key(&item.physical_id);
        let keys = keys.iter().copied();
        keys.filter(|k| present && managed.contains(*k)).collect()
    };
    let tag_arns: Vec<String> = items
        .iter()
        .filter(|i| !wanted(i, &["Tags"]).is_empty())
        .map(|i| i.physical_id.clone())
        .collect();
    // No call when no tags are wanted.
    let tags = elb.describe_tags(ctx, &tag_arns).await?;
    let tasks = items
        .iter()
        .filter_map(|i| {
            let wanted = wanted(i, T::EXTRA_KEYS);
            let (elb, address, arn) = (elb.clone(), i.address.clone(), i.physical_id.clone());
            (!wanted.is_empty()).then(|| T::extras(elb, address, arn, wanted))
        })
        .collect();
    let extras = kit::run_bounded(tasks, kit::READ_CONCURRENCY).await?;
    let extras: HashMap<String, T::Extras> = extras.into_iter().collect();
    Ok(kit::present_or_gone(items, |item| {
        let id = &item.physical_id;
        let object = found.get(id)?;
        Some(object.observe(item, tags.get(id), extras.get(id)))
    }))
}

/// Describe* of one ARN; `None` when it does not exist.
pub(super) async fn describe_one<T: Described>(
    elb: &Elb,
    arn: &str,
) -> Result<Option<T>, AwsError> {
    let found = unless_not_found(T::describe(elb, vec![arn.to_owned()], false).await)?;
    Ok(found.and_then(|found| found.into_iter().find(|item| item.arn() == Some(arn))))
}

/// What `call` answers for `arns` (duplicates dropped): [`ARNS_PER_CALL`] ARNs per call, up to
/// [`kit::READ_CONCURRENCY`] calls at once. A batch that fails because one of its resources is
/// gone is asked ARN by ARN (a batch of one only when `again_alone`), those gone left out;
/// another failure says what was being done (`doing`: of a batch, of one ARN).
pub(super) async fn in_arn_batches<T, F, Fut>(
    ctx: Ctx<'_>,
    arns: &[String],
    [doing, doing_one]: [&'static str; 2],
    again_alone: bool,
    call: F,
) -> Result<Vec<T>, ProviderError>
where
    T: Send + 'static,
    F: Fn(Vec<String>) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<Vec<T>, AwsError>> + Send,
{
    let unique: BTreeSet<&String> = arns.iter().collect();
    let unique: Vec<String> = unique.into_iter().cloned().collect();
    let label = format!("{} {}", ctx.type_name, ctx.address);
    let tasks = unique
        .chunks(ARNS_PER_CALL)
        .map(|chunk| {
            let (call, chunk, label) = (call.clone(), chunk.to_vec(), label.clone());
            async move {
                match call(chunk.clone()).await {
                    Ok(found) => return Ok(found),
                    Err(err) if is_not_found(&err) && (again_alone || chunk.len() > 1) => {}
                    Err(err) if is_not_found(&err) => return Ok(Vec::new()),
                    Err(err) => return Err(kit::fail(format!("{label}: {doing}"), err)),
                }
                let mut found = Vec::new();
                for arn in chunk {
                    match call(vec![arn.clone()]).await {
                        Ok(one) => found.extend(one),
                        Err(err) if is_not_found(&err) => {}
                        Err(err) => {
                            return Err(kit::fail(format!("{label}: {doing_one} {arn}"), err));
                        }
                    }
                }
                Ok(found)
            }
        })
        .collect();
    let found = kit::run_bounded(tasks, kit::READ_CONCURRENCY).await?;
    Ok(found.into_iter().flatten().collect())
}

/// The pages of a listing call (DescribeListeners, DescribeRules) by the ARN of each item;
/// `None` when the parent does not exist.
pub(super) fn by_arn<P, T: Clone>(
    pages: Result<Vec<P>, AwsError>,
    items: impl Fn(&P) -> &[T],
    arn: impl Fn(&T) -> Option<&str>,
) -> Result<Option<HashMap<String, T>>, AwsError> {
    let Some(pages) = unless_not_found(pages)? else {
        return Ok(None);
    };
    let by_arn = |item: &T| Some((arn(item)?.to_owned(), item.clone()));
    Ok(Some(
        pages.iter().flat_map(items).filter_map(by_arn).collect(),
    ))
}

/// What a call returned, `None` when what it is about does not exist.
fn unless_not_found<T>(read: Result<T, AwsError>) -> Result<Option<T>, AwsError> {
    match read {
        Ok(found) => Ok(Some(found)),
        Err(err) if is_not_found(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

/// A creating call failed with `err`: any other failure than the key taken (`duplicate`) is
/// that of `failing` (what the create was doing, which may name another resource just made);
/// else the resource of that key (`found`: the lookup of it and its tags) is adopted when an
/// earlier attempt at this resource made it, as its infra tags say (`doing` names the create,
/// `taken` what holds the key when it is not ours).
pub(super) async fn adopted<T>(
    ctx: Ctx<'_>,
    input: &CreateInput,
    err: AwsError,
    duplicate: &str,
    [failing, doing]: [String; 2],
    found: impl Future<Output = Result<Option<(T, Pairs)>, ProviderError>>,
    taken: impl FnOnce(&T) -> String,
) -> Result<(T, Pairs), ProviderError> {
    if !has_code(&err, duplicate) {
        return Err(ctx.fail_referencing(failing, err));
    }
    let Some((item, tags)) = found.await? else {
        // Gone again since: the engine may try the create once more.
        return Err(ctx.error(FailureClass::Retryable, format!("{doing}: {err}")));
    };
    if !owned_by(&tags, &input.tags) {
        return Err(ctx.fatal(format!("{doing}: {}", taken(&item))));
    }
    Ok((item, tags))
}

/// Creates a load balancer or target group: `send(tags)` sends its creating request (named
/// `name`) with the template's `tags` and infra's, and answers what it made; when the name is
/// taken, the one of that name an earlier attempt made is adopted (see [`adopted`]). The
/// object, the tags it carries when adopted, and the tags it is to carry.
pub(super) async fn create_described<T: Described, E, Fut>(
    elb: &Elb,
    ctx: Ctx<'_>,
    input: &CreateInput,
    (name, tags): (&str, &[(String, String)]),
    send: impl FnOnce(Option<Vec<Tag>>) -> Fut,
) -> Result<(T, Option<Pairs>, Pairs), ProviderError>
where
    Fut: Future<Output = Result<Option<T>, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let [op, duplicate] = T::CREATE;
    let tags = merge_tags(tags, &input.tags);
    let err = match send(create_tags(ctx, &tags)?).await {
        Ok(Some(made)) => return Ok((made, None, tags)),
        Ok(None) => return Err(ctx.fatal(format!("{op} {name} returned no {}", T::NOUN))),
        Err(err) => elb.api.err(err),
    };
    let doing = format!("creating {} {name}", T::NOUN);
    let found = elb.named::<T>(ctx, name);
    let taken = |_: &T| {
        format!(
            "a {} of that name already exists and was not made for this resource (it lacks its \
             infra:* tags); choose another Name or import it",
            T::NOUN
        )
    };
    let doing = [doing.clone(), doing];
    let (item, found_tags) = adopted(ctx, input, err, duplicate, doing, found, taken).await?;
    Ok((item, Some(found_tags), tags))
}
