//! Amazon DynamoDB: `AWS::DynamoDB::Table` ([`table`]), on one DynamoDB client, and how
//! DynamoDB's failed calls are classed ([`Classify`] for [`Ddb`]).
//!
//! | type | `Ref` | `Fn::GetAtt` | refresh | find |
//! |---|---|---|---|---|
//! | `AWS::DynamoDB::Table` | table name | `Arn`, `StreamArn` | DescribeTable per table; tags, TTL, backups, resource policy and contributor insights when managed | DescribeTable of the name, infra tags checked (ListTagsOfResource) |
//!
//! | DynamoDB error | class |
//! |---|---|
//! | `ResourceNotFoundException` | not found |
//! | `LimitExceededException` (too many tables or indexes changing at once), `ContinuousBackupsUnavailableException` (backups of a new table not ready yet) | retryable |
//! | `ResourceInUseException` (the table is being created, updated or deleted) | dependency violation: retried while it settles |
//! | anything else | the kit's table |

pub mod table;
#[cfg(test)]
mod tests;

use std::fmt::Display;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::error::AwsError;
use crate::provider::Providers;
use crate::providers::kit::errors::Coded;
use crate::providers::kit::prelude::*;

/// A DynamoDB client and how its errors are named.
pub(crate) type Ddb = Service<aws_sdk_dynamodb::Client>;

impl Classify for Ddb {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        let mut out = ctx.fail(doing, err);
        let (code, _) = err.code_and_message().unwrap_or_default();
        if matches!(
            code,
            "LimitExceededException" | "ContinuousBackupsUnavailableException"
        ) {
            out.class = FailureClass::Retryable;
        }
        out
    }
}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let client = aws_sdk_dynamodb::Client::new(config);
    let ddb = Ddb::new(client, "dynamodb", endpoint_for(config, "dynamodb", None));
    providers.insert(kit::native(table::TableProvider { ddb }));
}
