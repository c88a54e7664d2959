//! Unit tests of the ECR provider: property parsing and refusals.

use serde_json::json;

use super::repository::{TYPE, parse};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

#[test]
fn properties_are_read_and_attributes_refused() -> Result<(), ProviderError> {
    let ctx = Ctx::new(TYPE, "App.Repo");
    let spec = parse(
        &json!({"ImageScanningConfiguration": {"ScanOnPush": "true"},
            "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\": []}"},
            "RepositoryPolicyText": {"Version": "2012-10-17", "Statement": []},
            "ImageTagMutabilityExclusionFilters": [{"ImageTagMutabilityExclusionFilterType": "WILDCARD",
                "ImageTagMutabilityExclusionFilterValue": "latest"}],
            "EmptyOnDelete": true}),
        ctx,
    )?;
    assert!(spec.scan_on_push());
    assert_eq!(spec.lifecycle, Some(json!({"rules": []})));
    assert!(spec.policy.is_some() && spec.empty_on_delete);
    let filters: Vec<_> = (spec.request)
        .get_image_tag_mutability_exclusion_filters()
        .iter()
        .flatten()
        .map(|f| (f.filter_type().as_str(), f.filter()))
        .collect();
    assert_eq!(filters, [("WILDCARD", "latest")]);
    let err = parse(&json!({"RepositoryUri": "x"}), ctx).expect_err("attribute");
    assert!(
        err.message
            .contains("RepositoryUri is not supported: it is an attribute"),
        "{err}"
    );
    let err = parse(&json!({"LifecyclePolicy": {"Text": "x"}}), ctx).expect_err("unknown key");
    assert!(
        err.message.contains("LifecyclePolicy has no key Text"),
        "{err}"
    );
    Ok(())
}
