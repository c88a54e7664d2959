//! Refresh of `AWS::DynamoDB::Table`: DescribeTable per table (DynamoDB has no batch describe),
//! a few at once; ListTagsOfResource, DescribeTimeToLive, DescribeContinuousBackups,
//! GetResourcePolicy and DescribeContributorInsights only when the template manages what they
//! answer. Everything is reported in the template's spelling, shaped like the last applied
//! value ([`observed_like`]): what the template leaves out (an index's `WarmThroughput`, the
//! SSE type) is DynamoDB's default and not reported. A KMS key is reported as last applied
//! while the table is encrypted with some key (DynamoDB answers the key's ARN for an alias).
//! The key schema, attribute definitions, indexes and capacity are reported by conversions
//! generated from the schema (`mappings/dynamodb.toml`, `generated/dynamodb.rs`).

use crate::providers::kit::prelude::*;
use aws_sdk_dynamodb::types::{BillingMode, TableDescription};

use super::{TYPE, TableProvider, output};
use crate::generated::dynamodb::{
    report_attribute_definition, report_global_secondary_index_description,
    report_key_schema_element, report_local_secondary_index_description,
    report_on_demand_throughput, report_provisioned_throughput_description,
    report_table_warm_throughput_description,
};
use crate::providers::kit::convert::R;
use crate::providers::s3::observed_like;

/// A list of SDK structures, each reported by `report`.
fn each<T>(items: &[T], report: fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(report).collect())
}

/// The table as DescribeTable shows it, in the template's spelling.
fn described(t: &TableDescription, last: &Value) -> Value {
    let billing = t
        .billing_mode_summary()
        .and_then(|b| b.billing_mode())
        .cloned();
    let provisioned = billing.unwrap_or(BillingMode::Provisioned) == BillingMode::Provisioned;
    let gsis = t.global_secondary_indexes().iter().map(|g| {
        let mut index = report_global_secondary_index_description(g);
        if let Some(index) = index.as_object_mut().filter(|_| !provisioned) {
            index.remove("ProvisionedThroughput");
        }
        index
    });
    let throughput = t
        .provisioned_throughput()
        .filter(|_| provisioned)
        .map(report_provisioned_throughput_description);
    let stream = t.stream_specification().filter(|s| s.stream_enabled());
    let sse = match t.sse_description() {
        Some(d) if d.status().is_some_and(|s| s.as_str() != "DISABLED") => {
            let key = last
                .pointer("/SSESpecification/KMSMasterKeyId")
                .filter(|_| d.kms_master_key_arn().is_some());
            json!({"SSEEnabled": true, "SSEType": d.sse_type().map(|t| t.as_str()), "KMSMasterKeyId": key})
        }
        _ => json!({"SSEEnabled": false}),
    };
    json!({
        "TableName": t.table_name(),
        "AttributeDefinitions": each(t.attribute_definitions(), report_attribute_definition),
        "KeySchema": each(t.key_schema(), report_key_schema_element),
        "BillingMode": if provisioned { "PROVISIONED" } else { "PAY_PER_REQUEST" },
        "ProvisionedThroughput": throughput,
        "OnDemandThroughput": t.on_demand_throughput().map(report_on_demand_throughput),
        "WarmThroughput": t.warm_throughput().map(report_table_warm_throughput_description),
        "GlobalSecondaryIndexes": gsis.collect::<Vec<_>>(),
        "LocalSecondaryIndexes": each(t.local_secondary_indexes(), report_local_secondary_index_description),
        "StreamSpecification": stream.map(|s| json!({"StreamViewType": s.stream_view_type().map(|v| v.as_str())})),
        "SSESpecification": sse,
        "TableClass": t.table_class_summary().and_then(|c| c.table_class()).map_or("STANDARD", |c| c.as_str()),
        "DeletionProtectionEnabled": t.deletion_protection_enabled().unwrap_or(false),
    })
}

/// One table as the template writes it (the managed properties only); `None` when it is gone.
pub(super) async fn observe(p: TableProvider, item: ReadInput) -> R<Option<Observation>> {
    let (ctx, last) = (Ctx::new(TYPE, &item.address), &item.properties);
    let Some(table) = p.describe(ctx, &item.physical_id).await? else {
        return Ok(None);
    };
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let (ddb, c) = (&p.ddb, &p.ddb.client);
    let name = table.table_name().unwrap_or_default();
    let arn = table.table_arn().unwrap_or_default();
    let mut found = described(&table, last);
    if prev("Tags").is_some() {
        found["Tags"] = observed_tags(&p.tags_of(ctx, arn).await?, prev("Tags"));
    }
    if let Some(previous) = prev("TimeToLiveSpecification") {
        let request = c.describe_time_to_live().table_name(name);
        let got = send!(ddb, ctx, request, "reading time to live")?;
        let ttl = got.time_to_live_description();
        let status = ttl.and_then(|t| t.time_to_live_status());
        let on = status.is_some_and(|s| matches!(s.as_str(), "ENABLED" | "ENABLING"));
        let attribute = ttl.and_then(|t| t.attribute_name()).filter(|_| on);
        let attribute = attribute.map(Value::from);
        let attribute = attribute.or_else(|| previous.get("AttributeName").cloned());
        found["TimeToLiveSpecification"] = json!({"AttributeName": attribute, "Enabled": on});
    }
    if prev("PointInTimeRecoverySpecification").is_some() {
        let request = c.describe_continuous_backups().table_name(name);
        let got = send!(ddb, ctx, request, "reading point-in-time recovery")?;
        let backups = got.continuous_backups_description();
        let pitr = backups.and_then(|d| d.point_in_time_recovery_description());
        let status = pitr.and_then(|d| d.point_in_time_recovery_status());
        let on = status.is_some_and(|s| s.as_str() == "ENABLED");
        let days = pitr.and_then(|d| d.recovery_period_in_days().filter(|_| on));
        let pitr = json!({"PointInTimeRecoveryEnabled": on, "RecoveryPeriodInDays": days});
        found["PointInTimeRecoverySpecification"] = pitr;
    }
    if let Some(previous) = prev("ResourcePolicy") {
        let sent = c.get_resource_policy().resource_arn(arn).send();
        if let Some(got) = kit::found(ddb, ctx, "reading the resource policy", sent).await? {
            let last = previous.get("PolicyDocument");
            let doc = got
                .policy()
                .map(|text| observed_document(text, false, last));
            found["ResourcePolicy"] = json!({"PolicyDocument": doc});
        }
    }
    if prev("ContributorInsightsSpecification").is_some() {
        let request = c.describe_contributor_insights().table_name(name);
        let got = send!(ddb, ctx, request, "reading contributor insights")?;
        let status = got.contributor_insights_status();
        let on = status.is_some_and(|s| matches!(s.as_str(), "ENABLED" | "ENABLING"));
        let mode = got.contributor_insights_mode().filter(|_| on);
        let mode = mode.map(|m| m.as_str());
        found["ContributorInsightsSpecification"] = json!({"Enabled": on, "Mode": mode});
    }
    Ok(Some(Observation::Present {
        properties: observed_like(found, Some(last)),
        attributes: output(&table).attributes,
    }))
}
