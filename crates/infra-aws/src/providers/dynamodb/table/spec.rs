//! The table as the template describes it ([`Spec`], in the SDK's shapes), every key checked
//! down to the indexes, with the refused properties and why (the mappings' `refuse` table). The keys (and the
//! reasons of what is refused) are generated from the schema, and the attribute definitions,
//! key schema, indexes, capacity, SSE and point-in-time recovery are read by conversions
//! generated from it (`mappings/dynamodb.toml`, `generated/dynamodb.rs`).

use crate::providers::kit::prelude::*;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, ContributorInsightsMode, GlobalSecondaryIndex,
    KeySchemaElement, LocalSecondaryIndex, OnDemandThroughput, PointInTimeRecoverySpecification,
    ProvisionedThroughput, SseSpecification, StreamSpecification, StreamViewType, TableClass,
    TimeToLiveSpecification, WarmThroughput,
};

use super::TYPE;
use crate::generated::dynamodb::{
    ATTRIBUTE_DEFINITION, CONTRIBUTOR_INSIGHTS_SPECIFICATION, GLOBAL_SECONDARY_INDEX, KEY_SCHEMA,
    LOCAL_SECONDARY_INDEX, ON_DEMAND_THROUGHPUT, POINT_IN_TIME_RECOVERY_SPECIFICATION,
    PROVISIONED_THROUGHPUT, RESOURCE_POLICY, SSE_SPECIFICATION, STREAM_SPECIFICATION, TABLE,
    TIME_TO_LIVE_SPECIFICATION, WARM_THROUGHPUT, attribute_definition, global_secondary_index,
    key_schema_element, local_secondary_index, on_demand_throughput,
    point_in_time_recovery_specification, provisioned_throughput, sse_specification,
    warm_throughput,
};
use crate::providers::kit::convert::{each, one};

/// The table as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: Option<String>,
    pub(crate) attributes: Vec<AttributeDefinition>,
    pub(crate) keys: Vec<KeySchemaElement>,
    pub(crate) billing: Option<BillingMode>,
    pub(crate) throughput: Option<ProvisionedThroughput>,
    pub(crate) on_demand: Option<OnDemandThroughput>,
    pub(crate) warm: Option<WarmThroughput>,
    pub(crate) gsis: Vec<GlobalSecondaryIndex>,
    pub(crate) lsis: Vec<LocalSecondaryIndex>,
    pub(crate) stream: Option<StreamViewType>,
    pub(crate) sse: Option<SseSpecification>,
    pub(crate) class: Option<TableClass>,
    pub(crate) protection: Option<bool>,
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
        self.billing.clone().unwrap_or(BillingMode::Provisioned)
    }

    /// The stream specification to send: the stream of `StreamViewType`, or none (disabled).
    pub(crate) fn stream_spec(&self, ctx: Ctx<'_>) -> Result<StreamSpecification, ProviderError> {
        let spec = StreamSpecification::builder().stream_enabled(self.stream.is_some());
        spec.set_stream_view_type(self.stream.clone())
            .build()
            .map_err(|e| ctx.fatal(e))
    }

    /// The TTL specification to send, when enabled.
    pub(crate) fn ttl_spec(attribute: &str, enabled: bool) -> Option<TimeToLiveSpecification> {
        let spec = TimeToLiveSpecification::builder().attribute_name(attribute);
        spec.enabled(enabled).build().ok()
    }
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, TABLE)?;
    let attributes = each(
        &p,
        "AttributeDefinitions",
        ATTRIBUTE_DEFINITION,
        attribute_definition,
    )?;
    let gsis = each(
        &p,
        "GlobalSecondaryIndexes",
        GLOBAL_SECONDARY_INDEX,
        global_secondary_index,
    )?;
    let lsis = each(
        &p,
        "LocalSecondaryIndexes",
        LOCAL_SECONDARY_INDEX,
        local_secondary_index,
    )?;
    let stream = p.obj("StreamSpecification", STREAM_SPECIFICATION)?;
    let sse = one(&p, "SSESpecification", SSE_SPECIFICATION, sse_specification)?;
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
    let insights = match insights {
        None => None,
        Some(i) => Some((
            i.bool("Enabled")?.ok_or_else(|| i.missing("Enabled"))?,
            i.str("Mode")?.map(|m| m.as_str().into()),
        )),
    };
    let throughput = one(
        &p,
        "ProvisionedThroughput",
        PROVISIONED_THROUGHPUT,
        provisioned_throughput,
    )?;
    let on_demand = one(
        &p,
        "OnDemandThroughput",
        ON_DEMAND_THROUGHPUT,
        on_demand_throughput,
    )?;
    let warm = one(&p, "WarmThroughput", WARM_THROUGHPUT, warm_throughput)?;
    if p.get("KeySchema").is_none() {
        return Err(p.missing("KeySchema"));
    }
    Ok(Spec {
        name: p.str("TableName")?,
        attributes: attributes.unwrap_or_default(),
        keys: each(&p, "KeySchema", KEY_SCHEMA, key_schema_element)?.unwrap_or_default(),
        billing: p.str("BillingMode")?.map(|b| b.as_str().into()),
        throughput,
        on_demand,
        warm,
        gsis: gsis.unwrap_or_default(),
        lsis: lsis.unwrap_or_default(),
        stream: match stream {
            Some(s) => Some(s.required_str("StreamViewType")?.as_str().into()),
            None => None,
        },
        sse,
        class: p.str("TableClass")?.map(|c| c.as_str().into()),
        protection: p.bool("DeletionProtectionEnabled")?,
        ttl,
        pitr,
        policy,
        insights,
        tags: p.tags("Tags")?,
    })
}

/// The context of a table's messages.
pub(crate) fn ctx(address: &str) -> Ctx<'_> {
    Ctx::new(TYPE, address)
}
