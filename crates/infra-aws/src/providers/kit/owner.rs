//! Messages of a create that finds its name taken, and of an update that finds its object gone.

use super::context::Ctx;
use crate::provider::{FailureClass, ProviderError};

/// A create found the name taken by an object that does not carry this resource's `infra:*`
/// tags: someone else's (`noun`: `a role`; `property`: the name's, `RoleName`).
pub(crate) fn not_ours(ctx: Ctx<'_>, doing: &str, noun: &str, property: &str) -> ProviderError {
    ctx.fatal(format!(
        "{doing}: {noun} of that name already exists and was not made for this resource (it \
         lacks its infra:* tags); choose another {property} or import it"
    ))
}

/// The object an update changed is gone (`what`: `role r`).
pub(crate) fn does_not_exist(ctx: Ctx<'_>, what: &str) -> ProviderError {
    ctx.error(FailureClass::NotFound, format!("{what} does not exist"))
}
