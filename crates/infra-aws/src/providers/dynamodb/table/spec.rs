//! The table as the template describes it ([`Spec`], in the SDK's shapes), every key checked
//! down to the indexes, with the refused properties and why (the mappings' `refuse` table). The
//! keys (and the reasons of what is refused) are generated from the schema, and so are
//! CreateTable's request (the name, attribute definitions, key schema, indexes, capacity, SSE,
//! table class and deletion protection) and the point-in-time recovery specification
//! (`mappings/dynamodb.toml`, `generated/dynamodb/`).

use crate::providers::kit::prelude::*;
use aws_sdk_dynamodb::operation::create_table::builders::CreateTableInputBuilder;
use aws_sdk_dynamodb::types::{
    BillingMode, ContributorInsightsMode, GlobalSecondaryIndex, PointInTimeRecoverySpecification,
    StreamSpecification, StreamViewType,
};

use crate::generated::dynamodb::{
    CONTRIBUTOR_INSIGHTS_SPECIFICATION, POINT_IN_TIME_RECOVERY_SPECIFICATION, RESOURCE_POLICY,
    STREAM_SPECIFICATION, TABLE, TIME_TO_LIVE_SPECIFICATION, create_table,
    point_in_time_recovery_specification,
};
use crate::providers::kit::convert::one;

/// The table as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    /// CreateTable with the name the template gives, the attribute definitions, key schema,
    /// indexes, capacity, SSE, table class and deletion protection.
    pub(crate) request: CreateTableInputBuilder,
    pub(crate) stream: Option<StreamViewType>,
    /// The TTL attribute, when enabled.
    pub(crate) ttl: Option<String>,
    pub(crate) pitr: Option<PointInTimeRecoverySpecification>,
    pub(crate) policy: Option<Value>,
    /// Contributor insights: enabled, and the mode.
    pub(crate) insights: Option<(bool, Option<ContributorInsightsMode>)>,
    pub(crate) tags: Vec<(String, String)>,
}

impl Spec {
    /// The billing mode, `PROVISIONED` when the template sets none (as DynamoDB defaults).
    pub(crate) fn billing(&self) -> BillingMode {
        let billing = self.request.get_billing_mode().clone();
        billing.unwrap_or(BillingMode::Provisioned)
    }

    /// The global secondary indexes.
    pub(crate) fn gsis(&self) -> &[GlobalSecondaryIndex] {
        let gsis = self.request.get_global_secondary_indexes();
        gsis.as_deref().unwrap_or_default()
    }

    /// The stream specification to send: the stream of `StreamViewType`, or none (disabled).
    pub(crate) fn stream_spec(&self, ctx: Ctx<'_>) -> Result<StreamSpecification, ProviderError> {
        let spec = StreamSpecification::builder().stream_enabled(self.stream.is_some());
        spec.set_stream_view_type(self.stream.clone())
            .build()
            .map_err(|e| ctx.fatal(e))
    }
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, TABLE)?;
    let stream = p.obj("StreamSpecification", STREAM_SPECIFICATION)?;
    let ttl = p.obj("TimeToLiveSpecification", TIME_TO_LIVE_SPECIFICATION)?;
    let ttl = match ttl {
        Some(t) if t.bool("Enabled")?.unwrap_or(false) => Some(t.required_str("AttributeName")?),
        _ => None,
    };
    let pitr = one(
        &p,
        "PointInTimeRecoverySpecification",
        POINT_IN_TIME_RECOVERY_SPECIFICATION,
        point_in_time_recovery_specification,
    )?;
    let document = |r: Props| {
        r.document("PolicyDocument")?
            .ok_or_else(|| r.missing("PolicyDocument"))
    };
    let policy = p
        .obj("ResourcePolicy", RESOURCE_POLICY)?
        .map(document)
        .transpose()?;
    let insights = p.obj(
        "ContributorInsightsSpecification",
        CONTRIBUTOR_INSIGHTS_SPECIFICATION,
    )?;
    let insights = insights.map(|i| {
        let enabled = i.bool("Enabled")?.ok_or_else(|| i.missing("Enabled"))?;
        Ok::<_, ProviderError>((enabled, i.str("Mode")?.map(|m| m.as_str().into())))
    });
    let insights = insights.transpose()?;
    Ok(Spec {
        request: create_table(&p, CreateTableInputBuilder::default())?,
        stream: (stream.map(|s| s.required_str("StreamViewType").map(|v| v.as_str().into())))
            .transpose()?,
        ttl,
        pitr,
        policy,
        insights,
        tags: p.tags("Tags")?,
    })
}
