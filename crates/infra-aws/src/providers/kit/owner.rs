//! The name a create uses and an update keeps, and the messages of a create that finds its name
//! taken and of an update that finds its object gone.

use super::context::Ctx;
use crate::provider::{CreateInput, FailureClass, ProviderError};

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

/// The name a create uses: the template's (`given`, its property `property`), else the one the
/// engine generated.
pub(crate) fn create_name(
    ctx: Ctx<'_>,
    given: Option<&String>,
    input: &CreateInput,
    property: &str,
) -> Result<String, ProviderError> {
    let name = given.cloned().or_else(|| input.generated_name.clone());
    name.ok_or_else(|| ctx.fatal(format!("{property} is not set and no name was generated")))
}

/// An update keeps the name (`id`): a template that names another (`given`, its property
/// `property`) needs a new `noun` (`role`).
pub(crate) fn same_name(
    ctx: Ctx<'_>,
    given: Option<&str>,
    id: &str,
    property: &str,
    noun: &str,
) -> Result<(), ProviderError> {
    match given.filter(|n| *n != id) {
        Some(_) => Err(ctx.fatal(format!(
            "{property} cannot change in place; the {noun} must be replaced"
        ))),
        None => Ok(()),
    }
}
