//! Unit tests of `flow_log`.

use super::*;

#[test]
fn destination_options_are_checked_and_tag_field_specifications_refused()
-> Result<(), ProviderError> {
    let value = json!({"ResourceId": "vpc-1", "ResourceType": "VPC", "DestinationOptions":
        {"FileFormat": "parquet", "HiveCompatiblePartitions": "true", "PerHourPartition": false}});
    let options = destination_options(&Props::parse(&SPEC, &value)?)?.expect("options");
    assert_eq!(options.hive_compatible_partitions(), Some(true));
    let bad = json!({"ResourceId": "vpc-1", "ResourceType": "VPC", "DestinationOptions": {"Compress": true}});
    let err = destination_options(&Props::parse(&SPEC, &bad)?).expect_err("unknown key");
    assert!(err.message.contains("DestinationOptions.Compress"), "{err}");
    let refused = json!({"TagFieldSpecifications": []});
    let err = Props::parse(&SPEC, &refused).expect_err("refused");
    assert!(
        err.message
            .contains("TagFieldSpecifications is not supported yet"),
        "{err}"
    );
    Ok(())
}
