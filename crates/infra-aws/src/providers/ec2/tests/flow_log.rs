//! Unit tests of `flow_log`.

use serde_json::json;

use super::*;
use crate::providers::ec2::object::tests::{client, kit_props};

/// The `CreateFlowLogs` request the template `value` asks for.
fn request(
    value: &Value,
) -> Result<aws_sdk_ec2::operation::create_flow_logs::CreateFlowLogsInput, ProviderError> {
    let b = create_flow_logs(&kit_props(TYPE, SPEC, value)?, client().create_flow_logs())?;
    b.as_input()
        .clone()
        .build()
        .map_err(|e| ProviderError::fatal(e.to_string()))
}

#[test]
fn destination_options_are_checked_and_tag_field_specifications_refused()
-> Result<(), ProviderError> {
    let value = json!({"ResourceId": "vpc-1", "ResourceType": "VPC", "DestinationOptions":
        {"FileFormat": "parquet", "HiveCompatiblePartitions": "true", "PerHourPartition": false}});
    let sent = request(&value)?;
    let options = sent.destination_options().expect("options");
    assert_eq!(options.hive_compatible_partitions(), Some(true));
    assert_eq!(sent.resource_ids(), ["vpc-1"]);
    let bad = json!({"ResourceId": "vpc-1", "ResourceType": "VPC", "DestinationOptions": {"Compress": true}});
    let err = request(&bad).expect_err("unknown key");
    assert!(err.message.contains("DestinationOptions.Compress"), "{err}");
    let refused = json!({"TagFieldSpecifications": []});
    let err = Props::root(&refused, Ctx::new(TYPE, "Net.Resource"), SPEC).expect_err("refused");
    assert!(
        err.message
            .contains("TagFieldSpecifications is not supported: the SDK in use cannot send it"),
        "{err}"
    );
    Ok(())
}

#[test]
fn a_read_keeps_the_template_spelling() {
    let log = FlowLog::builder()
        .resource_id("vpc-1")
        .max_aggregation_interval(60)
        .traffic_type(aws_sdk_ec2::types::TrafficType::All)
        .build();
    let last = json!({"ResourceId": "vpc-1", "MaxAggregationInterval": "60", "TrafficType": "ALL"});
    assert_eq!(Value::Object(FlowLogType::observe(&log, &last)), last);
}
