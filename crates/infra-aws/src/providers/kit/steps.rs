//! Steps many providers take alike: the context of a batched read ([`batch_ctx`]) and what it
//! saw of each item ([`present_or_gone`]), every item of a list answered page by page
//! ([`pages`]), objects asked for by name in batches ([`in_batches`]), and a lookup whose "not
//! found" is an answer ([`found`]).

use std::collections::{BTreeMap, HashMap};
use std::error::Error as StdError;
use std::fmt::Display;
use std::future::Future;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::context::{Ctx, Service};
use crate::provider::{Observation, ProviderError, ReadInput};

/// The context a batched read's calls fail with (its first item's), `None` when there is
/// nothing to read.
pub(crate) fn batch_ctx<'a>(type_name: &'static str, items: &'a [ReadInput]) -> Option<Ctx<'a>> {
    items
        .first()
        .map(|first| Ctx::new(type_name, &first.address))
}

/// What a batched read saw of each of `items`, by address: `seen(item)`, gone when `None`.
pub(crate) fn present_or_gone(
    items: &[ReadInput],
    mut seen: impl FnMut(&ReadInput) -> Option<Observation>,
) -> BTreeMap<String, Observation> {
    let seen = |item: &ReadInput| {
        (
            item.address.clone(),
            seen(item).unwrap_or(Observation::Gone),
        )
    };
    items.iter().map(seen).collect()
}

/// Every item of a list answered page by page (ListKeys, ListAliases, ListSecrets,
/// DescribeParameters, DescribeResourcePolicies, ...): `page(token)` answers one page's items
/// and the next token, none or empty at the end. A token answered again for itself ends the
/// list too, as the SDK's paginators end it, so an endpoint that repeats one cannot loop.
pub(crate) async fn pages<T, F, Fut>(mut page: F) -> Result<Vec<T>, ProviderError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ProviderError>>,
{
    let (mut all, mut token) = (Vec::new(), None::<String>);
    loop {
        let sent = token.clone();
        let (items, next) = page(token.take()).await?;
        all.extend(items);
        token = next.filter(|n| !n.is_empty() && Some(n) != sent.as_ref());
        if token.is_none() {
            return Ok(all);
        }
    }
}

/// The objects `names` name, asked for `size` names at a time (`fetch(batch)` answers those
/// that exist), by the name `name_of` gives them (one without is left out).
pub(crate) async fn in_batches<T, F, Fut>(
    names: &[String],
    size: usize,
    mut fetch: F,
    name_of: fn(&T) -> Option<&str>,
) -> Result<HashMap<String, T>, ProviderError>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, ProviderError>>,
{
    let mut found = HashMap::new();
    for batch in names.chunks(size) {
        for item in fetch(batch.to_vec()).await? {
            if let Some(name) = name_of(&item) {
                found.insert(name.to_owned(), item);
            }
        }
    }
    Ok(found)
}

/// The answer of a lookup `sent` (while `doing`), `None` when AWS answers
/// "not found"; any other failure classified by the kit's table.
pub(crate) async fn found<C, T, E>(
    svc: &Service<C>,
    ctx: Ctx<'_>,
    doing: impl Display,
    sent: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
) -> Result<Option<T>, ProviderError>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    super::calls::settled(svc, sent, |err| ctx.fail(doing, err)).await
}
