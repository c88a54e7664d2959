//! Attribute lists (`LoadBalancerAttributes`, `TargetGroupAttributes`, `ListenerAttributes`):
//! read with the conversions generated from the schemas (`generated/elbv2.rs`,
//! `mappings/elbv2.toml`), a key given twice refused; read back with Describe*Attributes and
//! changed with Modify*Attributes, only the keys that are new or differ.

use aws_sdk_elasticloadbalancingv2::types::{
    ListenerAttribute, LoadBalancerAttribute, TargetGroupAttribute,
};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::providers::elbv2::{Elb, Pairs, json};
use crate::providers::kit::convert::{R, each};
use crate::providers::kit::prelude::*;

/// One attribute of a list, whichever resource's.
pub(super) trait Attribute: Clone + PartialEq {
    /// Its key and value.
    fn pair(&self) -> (Option<&str>, Option<&str>);
}

macro_rules! attribute {
    ($($t:ty),*) => {$(
        impl Attribute for $t {
            fn pair(&self) -> (Option<&str>, Option<&str>) {
                (self.key(), self.value())
            }
        }
    )*};
}
attribute!(
    LoadBalancerAttribute,
    TargetGroupAttribute,
    ListenerAttribute
);

/// The attribute list `key` (absent = empty), each item read by `read`; a key given twice is
/// refused.
pub(super) fn attribute_list<T: Attribute>(
    p: &Props<'_>,
    key: &str,
    keys: Keys,
    read: fn(&Props<'_>) -> R<T>,
) -> R<Vec<T>> {
    let list = each(p, key, keys, read)?.unwrap_or_default();
    for (i, item) in list.iter().enumerate() {
        let name = item.pair().0;
        if list[..i].iter().any(|other| other.pair().0 == name) {
            let (at, name) = (p.at(key), name.unwrap_or_default());
            return Err(p.ctx().fatal(format!("property {at} sets {name} twice")));
        }
    }
    Ok(list)
}

/// What a Describe*Attributes call (`call`) answered, its `attributes` as a
/// map (a key AWS leaves out is skipped, a value it leaves out is empty); `None` when the
/// resource is gone.
pub(super) async fn read_attributes<O, E, T: Attribute>(
    elb: &Elb,
    ctx: Ctx<'_>,
    call: impl Future<Output = Result<O, SdkError<E, HttpResponse>>>,
    attributes: impl Fn(&O) -> &[T],
) -> Result<Option<Pairs>, ProviderError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let found = kit::found(elb, ctx, "reading the attributes", call).await?;
    Ok(found.map(|found| kit::tag_pairs(attributes(&found), T::pair)))
}

/// Sends the attributes of `after` that are new or differ from `before` with `modify` (the
/// Modify*Attributes call; not made when nothing changed).
pub(super) async fn modify_attributes<T: Attribute, Out, E, Fut>(
    elb: &Elb,
    ctx: Ctx<'_>,
    [before, after]: [&[T]; 2],
    modify: impl FnOnce(Vec<T>) -> Fut,
) -> Result<(), ProviderError>
where
    Fut: Future<Output = Result<Out, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let attributes = json::changed_pairs(before, after);
    if attributes.is_empty() {
        return Ok(());
    }
    let named = |(k, v): (Option<&str>, Option<&str>)| {
        format!("{}={}", k.unwrap_or_default(), v.unwrap_or_default())
    };
    let named: Vec<String> = attributes.iter().map(|a| named(a.pair())).collect();
    let doing = format!("setting attributes {}", named.join(", "));
    let sent = modify(attributes).await;
    sent.map(drop).map_err(|e| ctx.fail(doing, elb.api.err(e)))
}
