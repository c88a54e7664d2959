//! The table as the template describes it ([`Spec`], in the SDK's shapes), every key checked
//! down to the indexes, with the refused properties and why ([`REFUSED`]).

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, ContributorInsightsMode, GlobalSecondaryIndex,
    KeySchemaElement, LocalSecondaryIndex, OnDemandThroughput, PointInTimeRecoverySpecification,
    Projection, ProvisionedThroughput, SseSpecification, StreamViewType, TableClass,
    TimeToLiveSpecification, WarmThroughput,
};
use aws_smithy_types::error::operation::BuildError;
use serde_json::Value;

use super::TYPE;
use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Keys, Props};

const SUPPORTED: &[&str] = &[
    "AttributeDefinitions",
    "BillingMode",
    "ContributorInsightsSpecification",
    "DeletionProtectionEnabled",
    "GlobalSecondaryIndexes",
    "KeySchema",
    "LocalSecondaryIndexes",
    "OnDemandThroughput",
    "PointInTimeRecoverySpecification",
    "ProvisionedThroughput",
    "ResourcePolicy",
    "SSESpecification",
    "StreamSpecification",
    "TableClass",
    "TableName",
    "Tags",
    "TimeToLiveSpecification",
    "WarmThroughput",
];

/// The properties refused, and why.
pub(crate) const REFUSED: &[(&str, &str)] = &[
    (
        "ImportSourceSpecification",
        "creating a table from an S3 import (ImportTable) is not supported yet",
    ),
    (
        "KinesisStreamSpecification",
        "Kinesis streaming destinations (EnableKinesisStreamingDestination) are not supported yet",
    ),
    ("VectorIndexes", "vector indexes are not supported yet"),
];

const ATTRIBUTES: &[(&str, &str)] = &[
    (
        "Arn",
        "it is an attribute (Fn::GetAtt Arn), set by DynamoDB",
    ),
    (
        "StreamArn",
        "it is an attribute (Fn::GetAtt StreamArn), set by DynamoDB",
    ),
];

const GSI: Keys = Keys::with(
    &[
        "IndexName",
        "KeySchema",
        "OnDemandThroughput",
        "Projection",
        "ProvisionedThroughput",
        "WarmThroughput",
    ],
    &[(
        "ContributorInsightsSpecification",
        "contributor insights of an index are not supported yet (the table's are)",
    )],
);

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

    /// The TTL specification to send, when enabled.
    pub(crate) fn ttl_spec(attribute: &str, enabled: bool) -> Option<TimeToLiveSpecification> {
        let spec = TimeToLiveSpecification::builder().attribute_name(attribute);
        spec.enabled(enabled).build().ok()
    }
}

fn built<T>(p: &Props, result: Result<T, BuildError>) -> Result<T, ProviderError> {
    result.map_err(|e| p.ctx().fatal(format!("property {}: {e}", p.path())))
}

fn key_schema(p: &Props) -> Result<Vec<KeySchemaElement>, ProviderError> {
    let keys = p.objs(
        "KeySchema",
        Keys::new(&["AttributeName", "KeyType"]).listed(),
    )?;
    keys.iter()
        .map(|k| {
            let key = KeySchemaElement::builder()
                .attribute_name(k.required_str("AttributeName")?)
                .key_type(k.required_str("KeyType")?.as_str().into());
            built(k, key.build())
        })
        .collect()
}

fn projection(p: &Props) -> Result<Option<Projection>, ProviderError> {
    let keys = Keys::new(&["NonKeyAttributes", "ProjectionType"]).listed();
    let Some(proj) = p.obj("Projection", keys)? else {
        return Ok(None);
    };
    let kind = proj.str("ProjectionType")?.map(|t| t.as_str().into());
    Ok(Some(
        Projection::builder()
            .set_projection_type(kind)
            .set_non_key_attributes(proj.strs("NonKeyAttributes")?)
            .build(),
    ))
}

/// `ProvisionedThroughput`, `OnDemandThroughput` and `WarmThroughput` of a table or index.
type Capacity = (
    Option<ProvisionedThroughput>,
    Option<OnDemandThroughput>,
    Option<WarmThroughput>,
);

fn capacity(p: &Props) -> Result<Capacity, ProviderError> {
    let keys = Keys::new(&["ReadCapacityUnits", "WriteCapacityUnits"]).listed();
    let provisioned = match p.obj("ProvisionedThroughput", keys)? {
        None => None,
        Some(t) => {
            let read = t
                .i64("ReadCapacityUnits")?
                .ok_or_else(|| t.missing("ReadCapacityUnits"))?;
            let write = t
                .i64("WriteCapacityUnits")?
                .ok_or_else(|| t.missing("WriteCapacityUnits"))?;
            let built_ = ProvisionedThroughput::builder().read_capacity_units(read);
            Some(built(&t, built_.write_capacity_units(write).build())?)
        }
    };
    let keys = Keys::new(&["MaxReadRequestUnits", "MaxWriteRequestUnits"]).listed();
    let on_demand = match p.obj("OnDemandThroughput", keys)? {
        None => None,
        Some(o) => Some(
            OnDemandThroughput::builder()
                .set_max_read_request_units(o.i64("MaxReadRequestUnits")?)
                .set_max_write_request_units(o.i64("MaxWriteRequestUnits")?)
                .build(),
        ),
    };
    let keys = Keys::new(&["ReadUnitsPerSecond", "WriteUnitsPerSecond"]).listed();
    let warm = match p.obj("WarmThroughput", keys)? {
        None => None,
        Some(w) => Some(
            WarmThroughput::builder()
                .set_read_units_per_second(w.i64("ReadUnitsPerSecond")?)
                .set_write_units_per_second(w.i64("WriteUnitsPerSecond")?)
                .build(),
        ),
    };
    Ok((provisioned, on_demand, warm))
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let keys = Keys::with(SUPPORTED, REFUSED).and_attributes(ATTRIBUTES);
    let p = Props::root(value, ctx, keys)?;
    let attributes = p.objs(
        "AttributeDefinitions",
        Keys::new(&["AttributeName", "AttributeType"]).listed(),
    )?;
    let attributes = attributes.iter().map(|a| {
        let attribute = AttributeDefinition::builder()
            .attribute_name(a.required_str("AttributeName")?)
            .attribute_type(a.required_str("AttributeType")?.as_str().into());
        built(a, attribute.build())
    });
    let gsis = p.objs("GlobalSecondaryIndexes", GSI)?;
    let gsis = gsis.iter().map(|g| {
        let (provisioned, on_demand, warm) = capacity(g)?;
        let index = GlobalSecondaryIndex::builder()
            .index_name(g.required_str("IndexName")?)
            .set_key_schema(Some(key_schema(g)?))
            .set_projection(projection(g)?)
            .set_provisioned_throughput(provisioned)
            .set_on_demand_throughput(on_demand)
            .set_warm_throughput(warm);
        built(g, index.build())
    });
    let lsi_keys = Keys::new(&["IndexName", "KeySchema", "Projection"]).listed();
    let lsis = p.objs("LocalSecondaryIndexes", lsi_keys)?;
    let lsis = lsis.iter().map(|l| {
        let index = LocalSecondaryIndex::builder()
            .index_name(l.required_str("IndexName")?)
            .set_key_schema(Some(key_schema(l)?))
            .set_projection(projection(l)?);
        built(l, index.build())
    });
    let stream = p.obj(
        "StreamSpecification",
        Keys::with(
            &["StreamViewType"],
            &[
                (
                    "ResourcePolicy",
                    "a stream's resource policy is not supported yet",
                ),
                ("Tags", "tags of a stream are not supported yet"),
            ],
        ),
    )?;
    let sse_keys = Keys::new(&["KMSMasterKeyId", "SSEEnabled", "SSEType"]).listed();
    let sse = match p.obj("SSESpecification", sse_keys)? {
        None => None,
        Some(s) => Some(
            SseSpecification::builder()
                .set_enabled(s.bool("SSEEnabled")?)
                .set_sse_type(s.str("SSEType")?.map(|t| t.as_str().into()))
                .set_kms_master_key_id(s.str("KMSMasterKeyId")?)
                .build(),
        ),
    };
    let ttl = p.obj(
        "TimeToLiveSpecification",
        Keys::new(&["AttributeName", "Enabled"]).listed(),
    )?;
    let ttl = match ttl {
        Some(t) if t.bool("Enabled")?.unwrap_or(false) => Some(t.required_str("AttributeName")?),
        _ => None,
    };
    let pitr_keys = Keys::new(&["PointInTimeRecoveryEnabled", "RecoveryPeriodInDays"]).listed();
    let pitr = match p.obj("PointInTimeRecoverySpecification", pitr_keys)? {
        None => None,
        Some(r) => Some(built(
            &r,
            PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(
                    r.bool("PointInTimeRecoveryEnabled")?.unwrap_or(false),
                )
                .set_recovery_period_in_days(r.i32("RecoveryPeriodInDays")?)
                .build(),
        )?),
    };
    let policy = p.obj("ResourcePolicy", Keys::new(&["PolicyDocument"]).listed())?;
    let policy = match policy {
        None => None,
        Some(r) => Some(
            r.document("PolicyDocument")?
                .ok_or_else(|| r.missing("PolicyDocument"))?,
        ),
    };
    let insights = p.obj(
        "ContributorInsightsSpecification",
        Keys::new(&["Enabled", "Mode"]).listed(),
    )?;
    let insights = match insights {
        None => None,
        Some(i) => Some((
            i.bool("Enabled")?.ok_or_else(|| i.missing("Enabled"))?,
            i.str("Mode")?.map(|m| m.as_str().into()),
        )),
    };
    let (throughput, on_demand, warm) = capacity(&p)?;
    if p.get("KeySchema").is_none() {
        return Err(p.missing("KeySchema"));
    }
    Ok(Spec {
        name: p.str("TableName")?,
        attributes: attributes.collect::<Result<_, _>>()?,
        keys: key_schema(&p)?,
        billing: p.str("BillingMode")?.map(|b| b.as_str().into()),
        throughput,
        on_demand,
        warm,
        gsis: gsis.collect::<Result<_, _>>()?,
        lsis: lsis.collect::<Result<_, _>>()?,
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
