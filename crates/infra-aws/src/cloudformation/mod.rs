//! The resources of an existing CloudFormation stack, so `infra import --from-cloudformation`
//! can adopt them.
//!
//! - [`list_stack_resources`]: `ListStackResources`, every page, for the stack and, depth
//!   first, for each nested stack (a resource of type `AWS::CloudFormation::Stack`, whose
//!   physical id is the nested stack's ARN). Nested resources take the addresses `infra` gives
//!   them: `Child.Logical`, where `Child` is the nested stack resource's logical id in its
//!   parent (any depth: `A.B.Logical`).
//! - [`release`]: deleting the stack while every resource stays, once infra manages them
//!   ([`retain`] edits the templates).

pub mod release;
pub mod retain;

use aws_sdk_cloudformation::types::StackResourceSummary;

use crate::config::endpoint_for;
use crate::error::{AwsError, Call, classify};
use crate::session::AwsSession;

/// The type of a nested stack resource.
pub const NESTED_STACK_TYPE: &str = "AWS::CloudFormation::Stack";

/// One resource of a CloudFormation stack or of one of its nested stacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackResource {
    /// `Logical` in the root stack, `Child.Logical` in a nested stack.
    pub address: String,
    /// `AWS::EC2::VPC`, `Custom::Thing`, ...
    pub resource_type: String,
    /// CloudFormation's physical id (`None` while, or when, it has none).
    pub physical_id: Option<String>,
    /// CloudFormation's status of the resource (`CREATE_COMPLETE`, ...).
    pub status: String,
}

/// Every resource of `stack` (a name or an ARN) and of its nested stacks, nested stack
/// resources included (their own resources follow them).
pub async fn list_stack_resources(
    session: &AwsSession,
    stack: &str,
) -> Result<Vec<StackResource>, AwsError> {
    let config = session.sdk_config();
    let call = Call::new(
        "cloudformation",
        "ListStackResources",
        endpoint_for(config, "cloudformation", None),
    );
    let cfn = aws_sdk_cloudformation::Client::new(config);
    let mut resources = Vec::new();
    // (address prefix, stack name or ARN), visited in order.
    let mut pending = vec![(String::new(), stack.to_string())];
    while let Some((prefix, stack_id)) = pending.pop() {
        let mut nested = Vec::new();
        for summary in list_level(&cfn, &call, &stack_id).await? {
            let (Some(logical), Some(resource_type)) =
                (summary.logical_resource_id(), summary.resource_type())
            else {
                continue;
            };
            let address = format!("{prefix}{logical}");
            let physical_id = summary
                .physical_resource_id()
                .filter(|id| !id.is_empty())
                .map(str::to_string);
            if resource_type == NESTED_STACK_TYPE
                && let Some(arn) = &physical_id
            {
                nested.push((format!("{address}."), arn.clone()));
            }
            resources.push(StackResource {
                address,
                resource_type: resource_type.to_string(),
                physical_id,
                status: summary
                    .resource_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            });
        }
        // Reversed so the stack popped next is the first nested one listed.
        pending.extend(nested.into_iter().rev());
    }
    Ok(resources)
}

/// The resources of one stack (not of its nested stacks), every page.
async fn list_level(
    cfn: &aws_sdk_cloudformation::Client,
    call: &Call,
    stack_id: &str,
) -> Result<Vec<StackResourceSummary>, AwsError> {
    let mut summaries = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = cfn
            .list_stack_resources()
            .stack_name(stack_id)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| classify(e, call))?;
        summaries.extend(page.stack_resource_summaries.unwrap_or_default());
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => return Ok(summaries),
        }
    }
}
