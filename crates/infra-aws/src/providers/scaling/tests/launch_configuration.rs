//! Unit tests of `launch_configuration`: property parsing, refusals and what a read reports.

use super::*;
use crate::generated::autoscaling::{
    BLOCK_DEVICE_MAPPING, METADATA_OPTIONS, block_device_mapping, instance_metadata_options,
};
use crate::providers::kit::convert::{each, one};
use serde_json::json;

/// `BlockDeviceMappings`, each read by the generated conversion.
fn block_devices(
    props: &Props<'_>,
) -> Result<Option<Vec<aws_sdk_autoscaling::types::BlockDeviceMapping>>, ProviderError> {
    let key = "BlockDeviceMappings";
    each(props, key, BLOCK_DEVICE_MAPPING, block_device_mapping)
}

#[test]
fn nested_values_are_checked_and_classic_link_refused() {
    let ctx = Ctx::new(TYPE, "A.Lc");
    let value = json!({"ImageId": "ami-1", "InstanceType": "t3.micro",
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": "30", "VolumeType": "gp3"}}],
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2}});
    let props = Props::root(&value, ctx, LAUNCH_CONFIGURATION).expect("props");
    let devices = block_devices(&props).expect("devices").expect("some");
    assert_eq!(devices[0].ebs().and_then(|e| e.volume_size()), Some(30));
    let m = one(
        &props,
        "MetadataOptions",
        METADATA_OPTIONS,
        instance_metadata_options,
    )
    .expect("metadata")
    .expect("some");
    assert_eq!(m.http_put_response_hop_limit(), Some(2));

    let bad = json!({"BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Size": 1}}]});
    let props = Props::root(&bad, ctx, LAUNCH_CONFIGURATION).expect("props");
    let err = block_devices(&props).expect_err("unknown key");
    assert!(err.message.contains("BlockDeviceMappings[0].Ebs"), "{err}");

    let refused = json!({"ClassicLinkVPCId": "vpc-1"});
    let err = Props::root(&refused, ctx, LAUNCH_CONFIGURATION).expect_err("refused");
    assert!(err.message.contains("EC2-Classic"), "{err}");
}
