//! Unit tests of `launch_configuration`: property parsing, refusals and what a read reports.

use super::*;
use serde_json::json;

#[test]
fn nested_values_are_checked_and_classic_link_refused() {
    let ctx = Ctx::new(TYPE, "A.Lc");
    let value = json!({"ImageId": "ami-1", "InstanceType": "t3.micro",
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": "30", "VolumeType": "gp3"}}],
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2}});
    let props = Props::new(&value, ctx, SUPPORTED, UNSUPPORTED).expect("props");
    let devices = block_devices(&props).expect("devices").expect("some");
    assert_eq!(devices[0].ebs().and_then(|e| e.volume_size()), Some(30));
    let m = metadata(&props).expect("metadata").expect("some");
    assert_eq!(m.http_put_response_hop_limit(), Some(2));

    let bad = json!({"BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Size": 1}}]});
    let props = Props::new(&bad, ctx, SUPPORTED, UNSUPPORTED).expect("props");
    let err = block_devices(&props).expect_err("unknown key");
    assert!(err.message.contains("BlockDeviceMappings[0].Ebs"), "{err}");

    let refused = json!({"ClassicLinkVPCId": "vpc-1"});
    let err = Props::new(&refused, ctx, SUPPORTED, UNSUPPORTED).expect_err("refused");
    assert!(err.message.contains("EC2-Classic"), "{err}");
}
