//! The Cloud Control API as the provider calls it: the [`Api`] trait (six calls in plain data,
//! so the flows can be tested with a fake), the [`Event`] a request reports (Cloud Control's
//! `ProgressEvent`) and [`Sdk`], the implementation over `aws-sdk-cloudcontrol`.
//!
//! Failed calls come back as [`AwsError`]s, classified by [`crate::error::classify`] through
//! the kit's [`Service`] (service `cloudcontrolapi`); [`super::errors`] decides what each means.

use std::future::Future;
use std::time::SystemTime;

use aws_sdk_cloudcontrol::types::{OperationStatus, ProgressEvent};

use crate::error::AwsError;
use crate::providers::kit::Service;

/// Where a Cloud Control request stands (`OperationStatus`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    /// `PENDING` or `IN_PROGRESS`: poll again.
    InProgress,
    /// `SUCCESS`.
    Success,
    /// `FAILED`: the event's `ErrorCode` and `StatusMessage` say why.
    Failed,
    /// `CANCEL_IN_PROGRESS` / `CANCEL_COMPLETE`: someone cancelled the request.
    Cancelled {
        /// `CANCEL_COMPLETE`.
        complete: bool,
    },
}

/// A request's `ProgressEvent`, in plain data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    /// Where it stands.
    pub(crate) status: Status,
    /// The request's token (`GetResourceRequestStatus`).
    pub(crate) request_token: Option<String>,
    /// The resource's identifier, once known.
    pub(crate) identifier: Option<String>,
    /// The `HandlerErrorCode` of a failed request (`Throttling`, `AlreadyExists`, ...).
    pub(crate) error_code: Option<String>,
    /// What the handler said.
    pub(crate) status_message: Option<String>,
    /// The resource's properties (JSON text) on a successful create or update, when given.
    pub(crate) resource_model: Option<String>,
    /// When to poll again.
    pub(crate) retry_after: Option<SystemTime>,
}

impl Event {
    /// Whether the request has ended (succeeded, failed or been cancelled).
    pub(crate) fn is_final(&self) -> bool {
        !matches!(
            self.status,
            Status::InProgress | Status::Cancelled { complete: false }
        )
    }

    /// `ErrorCode: StatusMessage`, for messages.
    pub(crate) fn failure(&self) -> String {
        let code = self.error_code.as_deref().unwrap_or("no error code");
        match self.status_message.as_deref() {
            Some(m) if !m.is_empty() => format!("{code}: {}", crate::error::redact(m)),
            _ => code.to_owned(),
        }
    }
}

/// A resource as `GetResource` and `ListResources` describe it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Described {
    /// Its identifier (what `Ref` returns).
    pub(crate) identifier: String,
    /// Its properties, JSON text.
    pub(crate) properties: String,
}

/// One page of `ListResources`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Page {
    /// The resources on it.
    pub(crate) resources: Vec<Described>,
    /// The next page's token.
    pub(crate) next: Option<String>,
}

/// The Cloud Control calls the provider makes.
pub(crate) trait Api: Clone + Send + Sync + 'static {
    /// `CreateResource`.
    fn create(
        &self,
        type_name: &str,
        desired: &str,
        token: Option<&str>,
    ) -> impl Future<Output = Result<Event, AwsError>> + Send;

    /// `UpdateResource` with an RFC 6902 patch.
    fn update(
        &self,
        type_name: &str,
        identifier: &str,
        patch: &str,
        token: Option<&str>,
    ) -> impl Future<Output = Result<Event, AwsError>> + Send;

    /// `DeleteResource`.
    fn delete(
        &self,
        type_name: &str,
        identifier: &str,
        token: Option<&str>,
    ) -> impl Future<Output = Result<Event, AwsError>> + Send;

    /// `GetResourceRequestStatus`.
    fn status(&self, request_token: &str) -> impl Future<Output = Result<Event, AwsError>> + Send;

    /// `GetResource`.
    fn get(
        &self,
        type_name: &str,
        identifier: &str,
    ) -> impl Future<Output = Result<Described, AwsError>> + Send;

    /// One page of `ListResources`.
    fn list(
        &self,
        type_name: &str,
        next: Option<&str>,
    ) -> impl Future<Output = Result<Page, AwsError>> + Send;
}

/// The SDK client, with the kit's error naming.
#[derive(Debug, Clone)]
pub(crate) struct Sdk(pub(crate) Service<aws_sdk_cloudcontrol::Client>);

impl Api for Sdk {
    async fn create(
        &self,
        type_name: &str,
        desired: &str,
        token: Option<&str>,
    ) -> Result<Event, AwsError> {
        let out = self
            .0
            .client
            .create_resource()
            .type_name(type_name)
            .desired_state(desired)
            .set_client_token(token.map(str::to_owned))
            .send()
            .await
            .map_err(|e| self.0.err(e))?;
        Ok(event(out.progress_event()))
    }

    async fn update(
        &self,
        type_name: &str,
        identifier: &str,
        patch: &str,
        token: Option<&str>,
    ) -> Result<Event, AwsError> {
        let out = self
            .0
            .client
            .update_resource()
            .type_name(type_name)
            .identifier(identifier)
            .patch_document(patch)
            .set_client_token(token.map(str::to_owned))
            .send()
            .await
            .map_err(|e| self.0.err(e))?;
        Ok(event(out.progress_event()))
    }

    async fn delete(
        &self,
        type_name: &str,
        identifier: &str,
        token: Option<&str>,
    ) -> Result<Event, AwsError> {
        let out = self
            .0
            .client
            .delete_resource()
            .type_name(type_name)
            .identifier(identifier)
            .set_client_token(token.map(str::to_owned))
            .send()
            .await
            .map_err(|e| self.0.err(e))?;
        Ok(event(out.progress_event()))
    }

    async fn status(&self, request_token: &str) -> Result<Event, AwsError> {
        let out = self
            .0
            .client
            .get_resource_request_status()
            .request_token(request_token)
            .send()
            .await
            .map_err(|e| self.0.err(e))?;
        Ok(event(out.progress_event()))
    }

    async fn get(&self, type_name: &str, identifier: &str) -> Result<Described, AwsError> {
        let out = self
            .0
            .client
            .get_resource()
            .type_name(type_name)
            .identifier(identifier)
            .send()
            .await
            .map_err(|e| self.0.err(e))?;
        let description = out.resource_description();
        Ok(Described {
            identifier: description
                .and_then(|d| d.identifier())
                .unwrap_or(identifier)
                .to_owned(),
            properties: description
                .and_then(|d| d.properties())
                .unwrap_or("{}")
                .to_owned(),
        })
    }

    async fn list(&self, type_name: &str, next: Option<&str>) -> Result<Page, AwsError> {
        let out = self
            .0
            .client
            .list_resources()
            .type_name(type_name)
            .set_next_token(next.map(str::to_owned))
            .send()
            .await
            .map_err(|e| self.0.err(e))?;
        Ok(Page {
            resources: out
                .resource_descriptions()
                .iter()
                .filter_map(|d| {
                    Some(Described {
                        identifier: d.identifier()?.to_owned(),
                        properties: d.properties().unwrap_or("{}").to_owned(),
                    })
                })
                .collect(),
            next: out.next_token().map(str::to_owned),
        })
    }
}

/// A `ProgressEvent` in plain data (an answer without one is a request still in progress).
fn event(progress: Option<&ProgressEvent>) -> Event {
    let Some(p) = progress else {
        return Event {
            status: Status::InProgress,
            request_token: None,
            identifier: None,
            error_code: None,
            status_message: None,
            resource_model: None,
            retry_after: None,
        };
    };
    let status = match p.operation_status() {
        Some(OperationStatus::Success) => Status::Success,
        Some(OperationStatus::Failed) => Status::Failed,
        Some(OperationStatus::CancelComplete) => Status::Cancelled { complete: true },
        Some(OperationStatus::CancelInProgress) => Status::Cancelled { complete: false },
        _ => Status::InProgress,
    };
    Event {
        status,
        request_token: p.request_token().map(str::to_owned),
        identifier: p.identifier().map(str::to_owned),
        error_code: p.error_code().map(|c| c.as_str().to_owned()),
        status_message: p.status_message().map(str::to_owned),
        resource_model: p.resource_model().map(str::to_owned),
        retry_after: p.retry_after().and_then(|t| SystemTime::try_from(*t).ok()),
    }
}
