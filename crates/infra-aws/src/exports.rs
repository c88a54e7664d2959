//! CloudFormation's own exports and imports in the account and region, so an `infra` stack can
//! import what a CloudFormation stack exports (during a migration) and a plan can refuse to
//! delete an export a CloudFormation stack imports.
//!
//! - [`list_exports`]: `ListExports`, every page.
//! - [`list_imports`]: `ListImports` for one export name, every page. AWS answers an export
//!   nobody imports with a `ValidationError` ("... is not imported by any stack"): that is an
//!   empty list, not a failure.

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::error::{AwsError, Call, classify};
use crate::session::AwsSession;

/// One CloudFormation export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudFormationExport {
    /// The export name.
    pub name: String,
    /// Its value.
    pub value: String,
    /// The id (ARN) of the stack that exports it.
    pub stack_id: String,
}

fn client(config: &SdkConfig) -> aws_sdk_cloudformation::Client {
    aws_sdk_cloudformation::Client::new(config)
}

/// Every CloudFormation export in the configured account and region.
pub async fn list_exports(session: &AwsSession) -> Result<Vec<CloudFormationExport>, AwsError> {
    let config = session.sdk_config();
    let call = Call::new(
        "cloudformation",
        "ListExports",
        endpoint_for(config, "cloudformation", None),
    );
    let cfn = client(config);
    let mut exports = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = cfn
            .list_exports()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| classify(e, &call))?;
        for export in page.exports.unwrap_or_default() {
            if let (Some(name), Some(value)) = (export.name, export.value) {
                exports.push(CloudFormationExport {
                    name,
                    value,
                    stack_id: export.exporting_stack_id.unwrap_or_default(),
                });
            }
        }
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => return Ok(exports),
        }
    }
}

/// The CloudFormation stacks that import `name` (empty when none does).
pub async fn list_imports(session: &AwsSession, name: &str) -> Result<Vec<String>, AwsError> {
    let config = session.sdk_config();
    let call = Call::new(
        "cloudformation",
        "ListImports",
        endpoint_for(config, "cloudformation", None),
    );
    let cfn = client(config);
    let mut stacks = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = match cfn
            .list_imports()
            .export_name(name)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| classify(e, &call))
        {
            Ok(page) => page,
            Err(AwsError::Service { code, message, .. })
                if code == "ValidationError" && message.contains("not imported") =>
            {
                return Ok(stacks);
            }
            Err(error) => return Err(error),
        };
        stacks.extend(page.imports.unwrap_or_default());
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => return Ok(stacks),
        }
    }
}
