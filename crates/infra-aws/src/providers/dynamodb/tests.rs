//! Unit tests of the DynamoDB provider: property parsing and refusals.

use aws_sdk_dynamodb::types::{BillingMode, KeyType, ProjectionType, StreamViewType};
use serde_json::json;

use super::table::TYPE;
use super::table::spec::parse;
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

fn refused(value: serde_json::Value) -> String {
    parse(&value, Ctx::new(TYPE, "App.Table"))
        .expect_err("refused")
        .message
}

#[test]
fn a_table_is_read_down_to_its_indexes() -> Result<(), ProviderError> {
    let spec = parse(
        &json!({
            "TableName": "orders",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "customer", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": "5", "WriteCapacityUnits": 5},
            "GlobalSecondaryIndexes": [{"IndexName": "by-customer",
                "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
                "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}}],
            "StreamSpecification": {"StreamViewType": "NEW_IMAGE"},
            "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": true},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
            "ResourcePolicy": {"PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": []}"},
            "ContributorInsightsSpecification": {"Enabled": true},
            "Tags": [{"Key": "team", "Value": "data"}],
        }),
        Ctx::new(TYPE, "App.Table"),
    )?;
    assert_eq!(spec.billing(), BillingMode::Provisioned);
    let keys = spec.request.get_key_schema().clone().unwrap_or_default();
    assert_eq!(keys[0].key_type(), &KeyType::Hash);
    assert_eq!(
        (spec.request.get_provisioned_throughput().as_ref()).map(|t| t.read_capacity_units()),
        Some(5)
    );
    let gsi = &spec.gsis()[0];
    assert_eq!(gsi.index_name(), "by-customer");
    assert_eq!(
        gsi.projection().and_then(|p| p.projection_type()),
        Some(&ProjectionType::Include)
    );
    assert_eq!(spec.stream, Some(StreamViewType::NewImage));
    assert_eq!(spec.ttl.as_deref(), Some("expires"));
    assert!(
        spec.pitr
            .is_some_and(|p| p.point_in_time_recovery_enabled())
    );
    assert_eq!(
        spec.policy.as_ref().map(|p| &p["Version"]),
        Some(&json!("2012-10-17"))
    );
    assert_eq!(spec.insights, Some((true, None)));

    // A TTL written disabled is no TTL to set.
    let off = parse(
        &json!({"KeySchema": [], "TimeToLiveSpecification": {"AttributeName": "x", "Enabled": false}}),
        Ctx::new(TYPE, "App.Table"),
    )?;
    assert_eq!(off.ttl, None);
    Ok(())
}

#[test]
fn refusals_name_the_property() {
    let err = refused(json!({"KeySchema": [], "KinesisStreamSpecification": {"StreamArn": "x"}}));
    assert!(
        err.contains("KinesisStreamSpecification is not supported: Kinesis"),
        "{err}"
    );
    let err = refused(json!({"KeySchema": [], "StreamArn": "x"}));
    assert!(
        err.contains("StreamArn is not supported: it is an attribute"),
        "{err}"
    );
    let err = refused(
        json!({"KeySchema": [], "GlobalSecondaryIndexes": [{"IndexName": "i",
        "KeySchema": [], "Projection": {}, "ContributorInsightsSpecification": {"Enabled": true}}]}),
    );
    assert!(
        err.contains("GlobalSecondaryIndexes[0].ContributorInsightsSpecification is not supported"),
        "{err}"
    );
    let err = refused(
        json!({"KeySchema": [], "StreamSpecification": {"StreamViewType": "KEYS_ONLY", "ResourcePolicy": {}}}),
    );
    assert!(
        err.contains("StreamSpecification.ResourcePolicy is not supported"),
        "{err}"
    );
    let err = refused(json!({"BillingMode": "PAY_PER_REQUEST"}));
    assert!(err.contains("KeySchema is required"), "{err}");
    let err = refused(json!({"KeySchema": [{"AttributeName": "id"}]}));
    assert!(err.contains("KeySchema[0].KeyType is required"), "{err}");
}
