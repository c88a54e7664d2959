//! `AWS::Lambda::Function` `find`: the function an interrupted create made, by name
//! (`FunctionName`, else the generated one), when it carries this resource's `infra:*` tags.
//! Only reads (GetFunction).

use std::collections::BTreeMap;

use aws_sdk_lambda::operation::get_function::GetFunctionOutput;

use super::read::{get_function, output};
use super::{LambdaFunctionProvider, TYPE};
use crate::provider::FindInput;
use crate::providers::compute::name_to_find;
use crate::providers::kit::{Ctx, Found, owned_by};

impl LambdaFunctionProvider {
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = name_to_find(input, ctx, "FunctionName")?;
        let Some(found) = get_function(&self.svc, ctx, &name).await? else {
            return Ok(None);
        };
        if !owned_by(&function_tags(&found), &input.tags) {
            return Ok(None);
        }
        let config = found
            .configuration()
            .ok_or_else(|| ctx.fatal(format!("GetFunction {name} returned no configuration")))?;
        Ok(Some(output(ctx, config)?))
    }
}

/// A function's tags as a map.
pub(super) fn function_tags(found: &GetFunctionOutput) -> BTreeMap<String, String> {
    found
        .tags()
        .map(|tags| tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}
