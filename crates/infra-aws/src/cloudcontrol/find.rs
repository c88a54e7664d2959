//! `find`: what an interrupted create made, from its checkpoint first.
//!
//! 1. **The request.** When the checkpoint has the request's token, `GetResourceRequestStatus`
//!    tells: still in progress (polled to the end), succeeded (the resource), failed (nothing,
//!    unless the request named its resource and that resource exists, as after
//!    `NotStabilized`; never after `AlreadyExists`, whose identifier is someone else's). A
//!    token Cloud Control no longer knows (older than 7 days) falls through to 3.
//! 2. **The client token, without an answer.** The create crashed between saving its token and
//!    hearing back. `find` sends the same `CreateResource` again: the same client token and the
//!    same desired state (checked against the saved hash). This is the one place `find` may
//!    call a create, and it is safe: Cloud Control keeps a client token 36 hours and answers a
//!    repeated request with the first one, so if the first was accepted nothing new is made and
//!    its request is returned, and if it never arrived it is made now, which is what the
//!    interrupted create was doing. Either way exactly one resource exists for the intent, and
//!    `find` returns it. Only within 33 hours of the save (a margin under the 36), and never
//!    for an attempt already known to have failed.
//! 3. **Fallbacks** for a checkpoint that says nothing usable: the resource named by the
//!    desired state's primary identifier (a name), adopted only when it carries the create's
//!    `infra:*` tags (for a taggable type); else, for a taggable type with a list handler,
//!    `ListResources` (every page; `GetResource` for a resource listed without its tags)
//!    filtered by those tags. A type whose list needs a filter model (`InvalidRequest`) has no
//!    fallback.

use std::collections::BTreeMap;

use infra_registry::catalog::CatalogEntry;
use serde_json::Value;

use super::api::{Api, Event, Status};
use super::attributes::at;
use super::desired::{desired_state, tag_property, tags_of};
use super::errors::{call_class, call_error, has_code};
use super::saved::Saved;
use super::token::{canonical, now_secs, sha256_hex};
use super::wait::{Timing, wait};
use super::{Handler, output, output_of, parse_model, resolve};
use crate::provider::{FailureClass, FindInput, ProviderError, ResourceOutput};
use crate::providers::kit::{Ctx, READ_CONCURRENCY, owned_by, run_bounded};

/// How long after the save a client token is sent again (Cloud Control keeps one 36 hours).
pub(crate) const TOKEN_REUSE_SECS: u64 = 33 * 3600;

/// Finds what the create of `input` made, if anything.
pub(crate) async fn find<A: Api>(
    api: &A,
    timing: &Timing,
    input: &FindInput,
) -> Result<Option<ResourceOutput>, ProviderError> {
    let (entry, ctx) = resolve(&input.type_name, &input.address, Handler::Read)?;
    let desired = desired_state(entry, &input.properties, &input.tags, input.name.as_deref());
    let text = canonical(&desired);
    if let Some(saved) = input.checkpoint.last().map(|v| Saved::from_value(&v)) {
        if let Some(request_token) = &saved.request_token {
            match api.status(request_token).await {
                Ok(mut event) => {
                    event.request_token.get_or_insert(request_token.clone());
                    let event = wait(api, ctx, "CreateResource", timing, event, None).await?;
                    return settle(api, entry, ctx, event, saved.identifier).await;
                }
                Err(e) if has_code(&e, "RequestTokenNotFoundException") => {}
                Err(e) => return Err(call_error(ctx, "GetResourceRequestStatus", &e)),
            }
        } else if let Some(client_token) = &saved.client_token
            && saved.failed.is_none()
            && saved
                .saved_at
                .is_some_and(|at| now_secs().saturating_sub(at) < TOKEN_REUSE_SECS)
            && saved.desired_hash.as_deref() == Some(sha256_hex(&text).as_str())
        {
            let event = api
                .create(entry.name, &text, Some(client_token))
                .await
                .map_err(|e| call_error(ctx, "CreateResource", &e))?;
            let event = wait(api, ctx, "CreateResource", timing, event, None).await?;
            return settle(api, entry, ctx, event, saved.identifier).await;
        }
    }
    if let Some(found) = by_identifier(api, entry, ctx, &desired, &input.tags).await? {
        return Ok(Some(found));
    }
    by_tags(api, entry, ctx, &input.tags, input.replacing.as_deref()).await
}

/// What a create request's last event says was made.
async fn settle<A: Api>(
    api: &A,
    entry: &CatalogEntry,
    ctx: Ctx<'_>,
    event: Event,
    known: Option<String>,
) -> Result<Option<ResourceOutput>, ProviderError> {
    let identifier = event.identifier.clone().or(known);
    match (&event.status, identifier) {
        (Status::Success, Some(id)) => {
            output(api, entry, ctx, &id, event.resource_model.as_deref())
                .await
                .map(Some)
        }
        (Status::Failed, Some(id)) if event.error_code.as_deref() != Some("AlreadyExists") => {
            match api.get(entry.name, &id).await {
                Ok(described) => output_of(entry, ctx, &described).map(Some),
                Err(e) if call_class(&e) == FailureClass::NotFound => Ok(None),
                Err(e) => Err(call_error(ctx, "GetResource", &e)),
            }
        }
        _ => Ok(None),
    }
}

/// The resource the desired state names by its primary identifier, when it carries `tags`
/// (for a taggable type with tags to check).
pub(crate) async fn by_identifier<A: Api>(
    api: &A,
    entry: &CatalogEntry,
    ctx: Ctx<'_>,
    desired: &Value,
    tags: &BTreeMap<String, String>,
) -> Result<Option<ResourceOutput>, ProviderError> {
    if entry.primary_identifier.is_empty() {
        return Ok(None);
    }
    let mut parts = Vec::new();
    for path in entry.primary_identifier {
        match at(desired, path).and_then(crate::providers::kit::scalar_text) {
            Some(part) => parts.push(part),
            None => return Ok(None),
        }
    }
    let described = match api.get(entry.name, &parts.join("|")).await {
        Ok(described) => described,
        Err(e) if call_class(&e) == FailureClass::NotFound => return Ok(None),
        Err(e) => return Err(call_error(ctx, "GetResource", &e)),
    };
    let model = parse_model(ctx, &described.properties)?;
    if let Some(property) = tag_property(entry)
        && !tags.is_empty()
    {
        let found = model.get(property).map(tags_of).unwrap_or_default();
        if !owned_by(&found, tags) {
            return Ok(None);
        }
    }
    output_of(entry, ctx, &described).map(Some)
}

/// The resource `ListResources` shows with `tags`, for a taggable type with a list handler.
async fn by_tags<A: Api>(
    api: &A,
    entry: &'static CatalogEntry,
    ctx: Ctx<'_>,
    tags: &BTreeMap<String, String>,
    replacing: Option<&str>,
) -> Result<Option<ResourceOutput>, ProviderError> {
    let Some(property) = tag_property(entry) else {
        return Ok(None);
    };
    if tags.is_empty() || !entry.handlers.list {
        return Ok(None);
    }
    let mut matches = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page = match api.list(entry.name, next.as_deref()).await {
            Ok(page) => page,
            Err(e) if has_code(&e, "InvalidRequestException") => return Ok(None),
            Err(e) => return Err(call_error(ctx, "ListResources", &e)),
        };
        let mut tasks = Vec::new();
        for described in page.resources {
            let model = parse_model(ctx, &described.properties)?;
            let api = api.clone();
            let tags = tags.clone();
            let address = ctx.address.to_owned();
            tasks.push(async move {
                let ctx = Ctx::new(entry.name, &address);
                // Many list handlers answer only the identifier: read the rest.
                let (described, model) = if model.get(property).is_some() {
                    (described, model)
                } else {
                    match api.get(entry.name, &described.identifier).await {
                        Ok(full) => {
                            let model = parse_model(ctx, &full.properties)?;
                            (full, model)
                        }
                        Err(e) if call_class(&e) == FailureClass::NotFound => return Ok(None),
                        Err(e) => return Err(call_error(ctx, "GetResource", &e)),
                    }
                };
                let found = model.get(property).map(tags_of).unwrap_or_default();
                if owned_by(&found, &tags) {
                    output_of(entry, ctx, &described).map(Some)
                } else {
                    Ok(None)
                }
            });
        }
        matches.extend(
            run_bounded(tasks, READ_CONCURRENCY)
                .await?
                .into_iter()
                .flatten()
                .filter(|o: &ResourceOutput| Some(o.physical_id.as_str()) != replacing),
        );
        next = page.next;
        if next.is_none() {
            break;
        }
    }
    match matches.len() {
        0 => Ok(None),
        1 => Ok(matches.pop()),
        n => Err(ctx.fatal(format!(
            "{n} resources carry this resource's infra:* tags ({}); keep one and delete or \
             untag the others",
            matches
                .iter()
                .map(|o| o.physical_id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
