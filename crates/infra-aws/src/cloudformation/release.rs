//! Releasing a CloudFormation stack whose resources infra adopted: the stack is deleted and
//! every resource stays.
//!
//! [`release`] runs, reporting each [`Step`]:
//! 1. `DescribeStacks`: a stack that no longer exists is already released; one in progress is
//!    waited for;
//! 2. `GetTemplate` (the processed stage: what is deployed) of the stack and of each nested
//!    stack, depth first; each gets `DeletionPolicy: Retain` ([`super::retain`]); an edited
//!    nested template is uploaded to the bucket (`infra-release/<stack>/<sha256>.json`) and its
//!    parent points at it;
//! 3. `UpdateStack` with the edited template and every parameter's previous value, unless the
//!    template already retains everything (a re-run); waited for until `UPDATE_COMPLETE`;
//! 4. `DeleteStack`, waited for until `DELETE_COMPLETE`.
//!
//! Each step can be interrupted and the whole run repeated: every step first looks at where
//! the stack is.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{Capability, Parameter, TemplateStage};
use serde_json::Value;

use super::retain::{RetainError, retain_all};
use super::{NESTED_STACK_TYPE, list_level};
use crate::config::endpoint_for;
use crate::error::{AwsError, Call, classify};
use crate::session::AwsSession;

/// CloudFormation's limit on an inline `TemplateBody`; larger ones go through S3.
const MAX_BODY: usize = 51_200;

/// How deeply nested stacks may nest (CloudFormation itself allows five levels).
const MAX_NESTING: usize = 10;

/// How long one stack operation may take before the release gives up waiting.
const MAX_WAIT: Duration = Duration::from_secs(60 * 60);

/// The parts of `DescribeStacks` the release needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackStatus {
    /// The stack's id (its ARN).
    pub id: String,
    /// The stack's name.
    pub name: String,
    /// `CREATE_COMPLETE`, `UPDATE_IN_PROGRESS`, ...
    pub status: String,
    /// Why it has that status, when CloudFormation says.
    pub reason: Option<String>,
    /// The names of its parameters.
    pub parameters: Vec<String>,
}

impl StackStatus {
    fn in_progress(&self) -> bool {
        self.status.ends_with("_IN_PROGRESS")
    }
}

/// A step of the release, as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The stack is busy (`status`): waiting for it to settle.
    Waiting {
        /// The status being waited out.
        status: String,
    },
    /// A nested stack's edited template was uploaded.
    Uploaded {
        /// The nested stack's address (`Child` or `Child.Grandchild`).
        address: String,
        /// `s3://BUCKET/KEY`.
        location: String,
    },
    /// `UpdateStack` was called to set `DeletionPolicy: Retain`.
    Updating,
    /// The stack already retains every resource.
    AlreadyRetained,
    /// The update finished.
    Updated,
    /// `DeleteStack` was called.
    Deleting,
}

/// How the release ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Released {
    /// The stack was deleted by this run.
    Deleted,
    /// The stack did not exist (any more) when the run started.
    AlreadyGone,
}

/// Why a release stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// An AWS call failed.
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// A template CloudFormation returned could not be read.
    #[error("the template of stack {stack} cannot be read: {reason}")]
    Template {
        /// The stack.
        stack: String,
        /// What is wrong.
        reason: String,
    },
    /// A template could not be edited.
    #[error("the template of stack {stack} cannot be edited: {error}")]
    Retain {
        /// The stack.
        stack: String,
        /// What is wrong.
        #[source]
        error: RetainError,
    },
    /// Nested templates must be uploaded, and no bucket was given.
    #[error(
        "stack {stack} has nested stacks ({}), whose edited templates CloudFormation reads from S3: pass --artifact-bucket BUCKET",
        .nested.join(", ")
    )]
    NeedsBucket {
        /// The stack.
        stack: String,
        /// The nested stacks' addresses.
        nested: Vec<String>,
    },
    /// The stack ended an operation in a state other than the one asked for.
    #[error(
        "stack {stack} ended in {status}{}{}",
        .reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(),
        .advice
    )]
    Failed {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
        /// CloudFormation's reason.
        reason: Option<String>,
        /// What to do about it.
        advice: &'static str,
    },
    /// Nested stacks nest deeper than infra follows.
    #[error("stack {stack} nests stacks more than {MAX_NESTING} levels deep")]
    TooDeep {
        /// The stack.
        stack: String,
    },
    /// An operation did not finish in time.
    #[error("stack {stack} is still {status} after {} minutes; run the command again to go on waiting", MAX_WAIT.as_secs() / 60)]
    Timeout {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
    },
}

/// The stack `name` (a name or an id), or `None` when it does not exist.
pub async fn describe(session: &AwsSession, name: &str) -> Result<Option<StackStatus>, AwsError> {
    Api::new(session.sdk_config(), None).describe(name).await
}

/// Releases `stack` (see the module doc), uploading nested templates to `bucket`.
pub async fn release(
    session: &AwsSession,
    stack: &str,
    bucket: Option<&str>,
    on_step: &mut (dyn FnMut(Step) + Send),
) -> Result<Released, ReleaseError> {
    let api = Api::new(session.sdk_config(), bucket);
    let Some(mut current) = api.describe(stack).await? else {
        return Ok(Released::AlreadyGone);
    };
    if current.in_progress() {
        on_step(Step::Waiting {
            status: current.status.clone(),
        });
        current = api.settle(&current.id).await?;
    }
    if current.status == "DELETE_COMPLETE" {
        return Ok(Released::AlreadyGone);
    }
    let id = current.id.clone();
    if current.status != "DELETE_FAILED" {
        let mut uploads = Vec::new();
        let edited = api
            .edit(
                &id,
                &current.name,
                &current.name,
                String::new(),
                0,
                &mut uploads,
            )
            .await?;
        if let Some(root) = edited {
            let nested: Vec<String> = uploads.iter().map(|u| u.address.clone()).collect();
            let needs_bucket = !nested.is_empty() || root.len() > MAX_BODY;
            if needs_bucket && bucket.is_none() {
                return Err(ReleaseError::NeedsBucket {
                    stack: current.name.clone(),
                    nested,
                });
            }
            for upload in &uploads {
                let location = api.upload(&current.name, &upload.body).await?;
                on_step(Step::Uploaded {
                    address: upload.address.clone(),
                    location: location.s3,
                });
            }
            on_step(Step::Updating);
            let root_url = match root.len() > MAX_BODY {
                true => Some(api.upload(&current.name, &root).await?.https),
                false => None,
            };
            if api.update(&current, &root, root_url.as_deref()).await? {
                let done = api.settle(&id).await?;
                if done.status != "UPDATE_COMPLETE" {
                    return Err(ReleaseError::Failed {
                        stack: current.name,
                        status: done.status,
                        reason: done.reason,
                        advice: "; nothing was deleted: see the stack's events, fix the cause and run the command again",
                    });
                }
            }
            on_step(Step::Updated);
        } else {
            on_step(Step::AlreadyRetained);
        }
    }
    on_step(Step::Deleting);
    api.delete(&id).await?;
    let done = api.settle(&id).await?;
    if done.status != "DELETE_COMPLETE" {
        return Err(ReleaseError::Failed {
            stack: current.name,
            status: done.status,
            reason: done.reason,
            advice: "; every resource has DeletionPolicy Retain: run the command again to retry the deletion",
        });
    }
    Ok(Released::Deleted)
}

/// An edited nested template, before upload.
struct NestedUpload {
    address: String,
    body: String,
}

/// Where an uploaded template is.
struct Location {
    /// The object's key in the bucket.
    key: String,
    /// `s3://BUCKET/KEY`, for messages.
    s3: String,
    /// The `https://` URL CloudFormation reads.
    https: String,
}

/// The CloudFormation and S3 calls of a release.
struct Api<'a> {
    config: &'a SdkConfig,
    cfn: Client,
    endpoint: String,
    /// Where edited templates go (`BUCKET` in URLs computed without one, which are never used:
    /// the release stops first).
    bucket: &'a str,
}

impl<'a> Api<'a> {
    fn new(config: &'a SdkConfig, bucket: Option<&'a str>) -> Self {
        Api {
            config,
            cfn: Client::new(config),
            endpoint: endpoint_for(config, "cloudformation", None),
            bucket: bucket.unwrap_or("BUCKET"),
        }
    }

    fn call(&self, operation: &str) -> Call {
        Call::new("cloudformation", operation, &self.endpoint)
    }

    async fn describe(&self, name: &str) -> Result<Option<StackStatus>, AwsError> {
        let call = self.call("DescribeStacks");
        let answer = match self.cfn.describe_stacks().stack_name(name).send().await {
            Ok(answer) => answer,
            Err(e) => {
                return match classify(e, &call) {
                    AwsError::Service { code, message, .. }
                        if code == "ValidationError" && message.contains("does not exist") =>
                    {
                        Ok(None)
                    }
                    other => Err(other),
                };
            }
        };
        Ok(answer.stacks().first().map(|s| StackStatus {
            id: s.stack_id().unwrap_or(name).to_string(),
            name: s.stack_name().unwrap_or(name).to_string(),
            status: s
                .stack_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            reason: s.stack_status_reason().map(str::to_string),
            parameters: s
                .parameters()
                .iter()
                .filter_map(|p| p.parameter_key().map(str::to_string))
                .collect(),
        }))
    }

    /// Polls the stack until no operation is in progress; a stack gone reads as
    /// `DELETE_COMPLETE`.
    async fn settle(&self, id: &str) -> Result<StackStatus, AwsError> {
        let started = tokio::time::Instant::now();
        let mut delay = Duration::from_millis(500);
        loop {
            let status = self.describe(id).await?.unwrap_or_else(|| StackStatus {
                id: id.to_string(),
                name: id.to_string(),
                status: "DELETE_COMPLETE".into(),
                reason: None,
                parameters: Vec::new(),
            });
            if !status.in_progress() || started.elapsed() > MAX_WAIT {
                return Ok(status);
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(10));
        }
    }

    /// The edited template of stack `id` (`name` in messages; nested stacks' templates go under
    /// the `root` stack's name in the bucket) as JSON text, or `None` when it already retains
    /// everything; nested stacks' edited templates are pushed to `uploads` (deepest first).
    fn edit<'s>(
        &'s self,
        id: &'s str,
        name: &'s str,
        root: &'s str,
        prefix: String,
        depth: usize,
        uploads: &'s mut Vec<NestedUpload>,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Option<String>, ReleaseError>> + Send + 's>,
    > {
        Box::pin(async move {
            if depth > MAX_NESTING {
                return Err(ReleaseError::TooDeep {
                    stack: name.to_string(),
                });
            }
            let mut template = self.template(id, name).await?;
            let mut urls = BTreeMap::new();
            for summary in list_level(&self.cfn, &self.call("ListStackResources"), id).await? {
                let (Some(logical), Some(NESTED_STACK_TYPE), Some(child)) = (
                    summary.logical_resource_id(),
                    summary.resource_type(),
                    summary.physical_resource_id().filter(|p| !p.is_empty()),
                ) else {
                    continue;
                };
                let address = format!("{prefix}{logical}");
                let edited = self
                    .edit(
                        child,
                        &address,
                        root,
                        format!("{address}."),
                        depth + 1,
                        uploads,
                    )
                    .await?;
                if let Some(body) = edited {
                    urls.insert(logical.to_string(), self.location(root, &body).https);
                    uploads.push(NestedUpload { address, body });
                }
            }
            let changed =
                retain_all(&mut template, &urls).map_err(|error| ReleaseError::Retain {
                    stack: name.to_string(),
                    error,
                })?;
            Ok(changed.then(|| template.to_string()))
        })
    }

    /// The deployed (processed) template of stack `id`, as JSON.
    async fn template(&self, id: &str, name: &str) -> Result<Value, ReleaseError> {
        let answer = self
            .cfn
            .get_template()
            .stack_name(id)
            .template_stage(TemplateStage::Processed)
            .send()
            .await
            .map_err(|e| classify(e, &self.call("GetTemplate")))?;
        let body = answer.template_body().unwrap_or_default();
        let format = infra_template::yaml::Format::sniff(body);
        infra_template::yaml::parse(infra_template::FileId(0), body, format)
            .map(|node| node.to_json())
            .map_err(|d| ReleaseError::Template {
                stack: name.to_string(),
                reason: d.message,
            })
    }

    /// Where `body` goes in the bucket: its key names its content, so a re-run uploads to the
    /// same place.
    fn location(&self, stack: &str, body: &str) -> Location {
        let bucket = self.bucket;
        let key = format!(
            "infra-release/{stack}/{}.json",
            infra_state::sha256_hex(body.as_bytes())
        );
        let region = self
            .config
            .region()
            .map(|r| r.as_ref().to_string())
            .unwrap_or_else(|| "us-east-1".into());
        Location {
            s3: format!("s3://{bucket}/{key}"),
            https: format!("https://s3.{region}.amazonaws.com/{bucket}/{key}"),
            key,
        }
    }

    async fn upload(&self, stack: &str, body: &str) -> Result<Location, AwsError> {
        let location = self.location(stack, body);
        crate::config::s3_client(self.config)
            .put_object()
            .bucket(self.bucket)
            .key(&location.key)
            .content_type("application/json")
            .body(body.as_bytes().to_vec().into())
            .send()
            .await
            .map_err(|e| {
                classify(
                    e,
                    &Call::new("s3", "PutObject", endpoint_for(self.config, "s3", None)),
                )
            })?;
        Ok(location)
    }

    /// Starts the update; false when CloudFormation has nothing to update.
    async fn update(
        &self,
        stack: &StackStatus,
        body: &str,
        url: Option<&str>,
    ) -> Result<bool, AwsError> {
        let mut request = self
            .cfn
            .update_stack()
            .stack_name(&stack.id)
            .capabilities(Capability::CapabilityIam)
            .capabilities(Capability::CapabilityNamedIam)
            .capabilities(Capability::CapabilityAutoExpand)
            .set_parameters(Some(
                stack
                    .parameters
                    .iter()
                    .map(|key| {
                        Parameter::builder()
                            .parameter_key(key)
                            .use_previous_value(true)
                            .build()
                    })
                    .collect(),
            ));
        request = match url {
            Some(url) => request.template_url(url),
            None => request.template_body(body),
        };
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e) => match classify(e, &self.call("UpdateStack")) {
                AwsError::Service { code, message, .. }
                    if code == "ValidationError"
                        && message.contains("No updates are to be performed") =>
                {
                    Ok(false)
                }
                other => Err(other),
            },
        }
    }

    async fn delete(&self, id: &str) -> Result<(), AwsError> {
        self.cfn
            .delete_stack()
            .stack_name(id)
            .send()
            .await
            .map_err(|e| classify(e, &self.call("DeleteStack")))?;
        Ok(())
    }
}
