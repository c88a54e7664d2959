//! The launch template: create → read → update → delete → read, and batched reads.

use infra_aws::provider::Observation;
use serde_json::json;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_template_create_read_update_delete() {
    let env = Env::new("lt").await;
    let address = "ClusterStack.ContainerInstances";
    let props = launch_template_props("t3.micro");
    let out = env.create(LAUNCH_TEMPLATE, address, props.clone()).await;

    assert!(out.physical_id.starts_with("lt-"), "{out:?}");
    assert_eq!(attr(&out, "LaunchTemplateId"), out.physical_id);
    assert_eq!(attr(&out, "LatestVersionNumber"), "1");
    assert_eq!(attr(&out, "DefaultVersionNumber"), "1");
    let tags = template_tags(&env, &out.physical_id).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("compute"));
    assert_eq!(
        tags.get("infra:address").map(String::as_str),
        Some(address),
        "infra's tags go on the launch template too: {tags:?}"
    );
    let described = env
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(&out.physical_id)
        .versions("$Default")
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeLaunchTemplateVersions: {e:?}"));
    let data = described.launch_template_versions()[0]
        .launch_template_data()
        .expect("data");
    assert_eq!(data.image_id(), Some(AMI));
    assert_eq!(data.instance_type().map(|t| t.as_str()), Some("t3.micro"));
    assert_eq!(
        data.metadata_options()
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str()),
        Some("required")
    );

    // Read: the name and tags from AWS, the write-only data as last applied.
    let observation = env.read_one(LAUNCH_TEMPLATE, address, &out, &props).await;
    let (observed, attributes) = present(&observation);
    assert_eq!(observed["LaunchTemplateData"], props["LaunchTemplateData"]);
    assert_eq!(observed["TagSpecifications"], props["TagSpecifications"]);
    assert_eq!(attributes.get("LatestVersionNumber"), Some(&json!("1")));

    // Update: a new version that becomes the default; the tag change in place.
    let mut after = launch_template_props("t3.small");
    after["TagSpecifications"][0]["Tags"] = json!([{"Key": "team", "Value": "platform"}]);
    let updated = env
        .update(LAUNCH_TEMPLATE, address, &out, &props, &after)
        .await;
    assert_eq!(updated.physical_id, out.physical_id);
    assert_eq!(attr(&updated, "LatestVersionNumber"), "2");
    assert_eq!(attr(&updated, "DefaultVersionNumber"), "2");
    let described = env
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(&out.physical_id)
        .versions("$Default")
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeLaunchTemplateVersions: {e:?}"));
    let version = &described.launch_template_versions()[0];
    assert_eq!(version.version_number(), Some(2));
    assert_eq!(
        version
            .launch_template_data()
            .and_then(|d| d.instance_type())
            .map(|t| t.as_str()),
        Some("t3.small")
    );
    let tags = template_tags(&env, &out.physical_id).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("platform"));
    assert!(
        tags.contains_key("infra:stack"),
        "infra's tags stay: {tags:?}"
    );

    // Delete, then it is gone; a second delete is fine.
    env.delete(LAUNCH_TEMPLATE, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    let observation = env
        .read_one(LAUNCH_TEMPLATE, address, &updated, &after)
        .await;
    assert_eq!(observation, Observation::Gone);
    env.delete(LAUNCH_TEMPLATE, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("second delete: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_template_batched_read_reports_each() {
    let env = Env::new("ltbatch").await;
    let a = env
        .create(LAUNCH_TEMPLATE, "A.LT", launch_template_props("t3.micro"))
        .await;
    let b = env
        .create(LAUNCH_TEMPLATE, "B.LT", launch_template_props("t3.micro"))
        .await;
    let props = launch_template_props("t3.micro");
    env.delete(LAUNCH_TEMPLATE, "B.LT", &b, &props)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    let seen = env
        .read(
            LAUNCH_TEMPLATE,
            &[("A.LT", &a, &props), ("B.LT", &b, &props)],
        )
        .await;
    assert!(matches!(seen["A.LT"], Observation::Present { .. }));
    assert_eq!(seen["B.LT"], Observation::Gone);
    env.delete(LAUNCH_TEMPLATE, "A.LT", &a, &props)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
}
