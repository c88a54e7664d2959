//! Unit tests of `AWS::EC2::LaunchTemplate`: property mapping and refusals.

use super::*;
use aws_sdk_ec2::types::{InstanceType, LaunchTemplateHttpTokensState, VolumeType};
use serde_json::json;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Stack.LT")
}

#[test]
fn maps_the_fixture_launch_template() {
    let spec = parse(
        &json!({
            "LaunchTemplateData": {
                "ImageId": "ami-123",
                "InstanceType": "c5.large",
                "IamInstanceProfile": {"Name": "profile"},
                "SecurityGroupIds": ["sg-1"],
                "UserData": "IyEvYmluL2Jhc2g=",
                "BlockDeviceMappings": [
                    {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 50, "VolumeType": "gp3"}}
                ],
                "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required"}
            },
            "TagSpecifications": [
                {"ResourceType": "launch-template", "Tags": [{"Key": "team", "Value": "a"}]}
            ]
        }),
        ctx(),
    )
    .expect("parses");
    let data = &spec.data;
    assert_eq!(data.image_id(), Some("ami-123"));
    assert_eq!(data.instance_type(), Some(&InstanceType::C5Large));
    assert_eq!(
        data.iam_instance_profile().and_then(|p| p.name()),
        Some("profile")
    );
    assert_eq!(data.security_group_ids(), ["sg-1".to_owned()]);
    assert_eq!(data.user_data(), Some("IyEvYmluL2Jhc2g="));
    let ebs = data.block_device_mappings()[0].ebs().expect("ebs");
    assert_eq!(ebs.volume_size(), Some(50));
    assert_eq!(ebs.volume_type(), Some(&VolumeType::Gp3));
    assert_eq!(
        data.metadata_options().and_then(|m| m.http_tokens()),
        Some(&LaunchTemplateHttpTokensState::Required)
    );
    assert_eq!(spec.tags, vec![("team".to_owned(), "a".to_owned())]);
}

#[test]
fn refuses_unmapped_properties_by_path() {
    let err = parse(
        &json!({"LaunchTemplateData": {"InstanceRequirements": {"VCpuCount": {"Min": 1}}}}),
        ctx(),
    )
    .expect_err("refused");
    assert!(
        err.message
            .contains("property LaunchTemplateData.InstanceRequirements is not supported"),
        "{}",
        err.message
    );
    let err = parse(
        &json!({"LaunchTemplateData": {"BlockDeviceMappings": [{"Ebs": {"Bogus": 1}}]}}),
        ctx(),
    )
    .expect_err("refused");
    assert!(
        err.message
            .contains("LaunchTemplateData.BlockDeviceMappings[0].Ebs.Bogus"),
        "{}",
        err.message
    );
    let err = parse(
        &json!({"LaunchTemplateData": {}, "TagSpecifications": [
            {"ResourceType": "instance", "Tags": []}
        ]}),
        ctx(),
    )
    .expect_err("refused");
    assert!(err.message.contains("launch-template"), "{}", err.message);
    assert!(
        parse(&json!({}), ctx()).is_err(),
        "LaunchTemplateData is required"
    );
}
