//! Tests of the kit: what [`super::native`] makes of a provider.

use std::collections::BTreeMap;

use serde_json::Value;

use super::context::operation_of;
use super::{Ctx, Provider, native};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, ProviderError, ReadInput, Refresh,
    ResourceOutput, UpdateInput,
};
use crate::providers::kit::{Found, Made, Reads};

/// Finds the object its name says, whatever `replacing` is.
struct Fixed(&'static str);

impl Provider for Fixed {
    const TYPE: &'static str = "AWS::Test::Thing";
    const COVERAGE: Coverage = Coverage::native(Refresh::Batched, "none", Find::Name, "none");

    async fn create(&self, _: Ctx<'_>, _: &CreateInput) -> Made {
        Err(ProviderError::fatal("not here"))
    }

    async fn update(&self, _: Ctx<'_>, _: &UpdateInput) -> Made {
        Err(ProviderError::fatal("not here"))
    }

    async fn delete(&self, _: Ctx<'_>, _: &DeleteInput) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn read(&self, _: &[ReadInput]) -> Reads {
        Ok(BTreeMap::new())
    }

    async fn find(&self, _: Ctx<'_>, _: &FindInput) -> Found {
        Ok(Some(ResourceOutput {
            physical_id: self.0.to_owned(),
            attributes: BTreeMap::new(),
        }))
    }
}

fn input(replacing: Option<&str>) -> FindInput {
    FindInput {
        address: "Stack.Thing".into(),
        type_name: "AWS::Test::Thing".into(),
        properties: Value::Null,
        tags: BTreeMap::new(),
        name: None,
        replacing: replacing.map(str::to_owned),
        checkpoint: Default::default(),
    }
}

/// Calls are named in messages by their error type; a compiler that spelled type names
/// otherwise would fail here, not in a message.
#[test]
fn an_error_type_names_its_operation() {
    use aws_sdk_ecr::operation::put_image_tag_mutability::PutImageTagMutabilityError;
    use aws_sdk_sqs::operation::get_queue_url::GetQueueUrlError;
    assert_eq!(operation_of::<GetQueueUrlError>(), "GetQueueUrl");
    let name = operation_of::<PutImageTagMutabilityError>();
    assert_eq!(name, "PutImageTagMutability");
    let config = aws_sdk_sqs::Config::builder()
        .behavior_version(aws_sdk_sqs::config::BehaviorVersion::latest())
        .build();
    let sqs = aws_sdk_sqs::Client::from_conf(config);
    assert_eq!(super::requested(&sqs.get_queue_url()), "GetQueueUrl");
}

#[tokio::test]
async fn find_never_returns_the_object_being_replaced() -> Result<(), ProviderError> {
    let provider = native(Fixed("thing-1"));
    assert_eq!(provider.type_name(), "AWS::Test::Thing");
    let found = provider.find(&input(None)).await?;
    assert_eq!(found.map(|o| o.physical_id).as_deref(), Some("thing-1"));
    assert_eq!(provider.find(&input(Some("thing-1"))).await?, None);
    let other = provider.find(&input(Some("thing-0"))).await?;
    assert_eq!(other.map(|o| o.physical_id).as_deref(), Some("thing-1"));
    Ok(())
}

mod errors {
    use crate::error::AwsError;
    use crate::provider::{FailureClass, ProviderError};
    use crate::providers::kit::{class_of, code_class, on_create};

    #[test]
    fn codes_of_every_service_map_to_one_class() {
        let cases = [
            // EC2.
            ("InvalidVpcID.NotFound", "", FailureClass::NotFound),
            ("NatGatewayNotFound", "", FailureClass::NotFound),
            ("InvalidPermission.NotFound", "", FailureClass::NotFound),
            ("DependencyViolation", "", FailureClass::DependencyViolation),
            ("InvalidGroup.InUse", "", FailureClass::DependencyViolation),
            ("InternalError", "", FailureClass::Retryable),
            ("HTTP 503", "", FailureClass::Retryable),
            ("InvalidParameterValue", "", FailureClass::Fatal),
            ("Gateway.NotAttached", "", FailureClass::Fatal),
            ("VpcLimitExceeded", "", FailureClass::Fatal),
            // Launch templates, Lambda, Auto Scaling.
            (
                "InvalidLaunchTemplateId.NotFound",
                "",
                FailureClass::NotFound,
            ),
            (
                "InvalidLaunchTemplateName.NotFoundException",
                "",
                FailureClass::NotFound,
            ),
            (
                "ResourceNotFoundException",
                "Function not found",
                FailureClass::NotFound,
            ),
            (
                "ValidationError",
                "AutoScalingGroup name not found - AutoScalingGroup 'x' not found",
                FailureClass::NotFound,
            ),
            (
                "ValidationError",
                "Max bound, 1, must be greater than min",
                FailureClass::Fatal,
            ),
            (
                "ScalingActivityInProgress",
                "x",
                FailureClass::DependencyViolation,
            ),
            ("ResourceInUse", "x", FailureClass::DependencyViolation),
            (
                "ResourceConflictException",
                "update in progress",
                FailureClass::Retryable,
            ),
            (
                "InvalidParameterValueException",
                "The role defined for the function cannot be assumed by Lambda.",
                FailureClass::EventuallyConsistent,
            ),
            (
                "InvalidParameterValueException",
                "Unzipped size too big",
                FailureClass::Fatal,
            ),
            // IAM and CloudWatch Logs.
            ("NoSuchEntity", "", FailureClass::NotFound),
            ("DeleteConflict", "", FailureClass::DependencyViolation),
            ("ConcurrentModification", "", FailureClass::Retryable),
            ("OperationAbortedException", "", FailureClass::Retryable),
            (
                "MalformedPolicyDocument",
                "Invalid principal in policy",
                FailureClass::EventuallyConsistent,
            ),
            (
                "MalformedPolicyDocument",
                "Syntax errors",
                FailureClass::Fatal,
            ),
        ];
        for (code, message, class) in cases {
            assert_eq!(code_class(code, message), class, "{code}: {message}");
        }
    }

    #[test]
    fn throttling_is_retryable_and_credentials_are_fatal() {
        let throttled = AwsError::Throttled {
            service: "ec2".into(),
            operation: "DescribeVpcs".into(),
            code: "RequestLimitExceeded".into(),
            message: "Request limit exceeded.".into(),
        };
        assert_eq!(class_of(&throttled), FailureClass::Retryable);
        let credentials = AwsError::Credentials {
            detail: "AWS rejected them: AuthFailure".into(),
        };
        assert_eq!(class_of(&credentials), FailureClass::Fatal);
        let unreachable = AwsError::Unreachable {
            endpoint: "http://127.0.0.1:1".into(),
            service: "ec2".into(),
            operation: "CreateVpc".into(),
            detail: "connection refused".into(),
        };
        assert_eq!(class_of(&unreachable), FailureClass::Retryable);
    }

    #[test]
    fn not_found_in_a_create_is_eventual_consistency() {
        let err = ProviderError {
            class: FailureClass::NotFound,
            message: "x".into(),
        };
        assert_eq!(on_create(err).class, FailureClass::EventuallyConsistent);
        let fatal = ProviderError::fatal("y");
        assert_eq!(on_create(fatal).class, FailureClass::Fatal);
    }
}

mod props {
    use serde_json::json;

    use crate::provider::ProviderError;
    use crate::providers::kit::{Ctx, Keys, Props};

    fn ctx() -> Ctx<'static> {
        Ctx::new("AWS::EC2::LaunchTemplate", "Stack.LT")
    }

    #[test]
    fn nested_keys_are_refused_by_their_path() -> Result<(), ProviderError> {
        let value = json!({"A": {"B": 1, "C": 2}, "L": [{"K": 1}, {"X": 2}]});
        let top = Props::new(&value, ctx(), &["A", "L"], &[])?;
        let err = top
            .nested(&value["A"], &top.at("A"), &["B"], &[("C", "because")])
            .expect_err("C is refused");
        assert!(
            err.message
                .contains("property A.C is not supported: because"),
            "{err}"
        );
        let err = top.objs("L", Keys::new(&["K"])).expect_err("X is unknown");
        assert!(
            err.message
                .contains("property L[1].X is not supported by infra for AWS::EC2::LaunchTemplate"),
            "{err}"
        );
        let err = top
            .objs("L", Keys::new(&["K"]).listed())
            .expect_err("X is unknown");
        assert!(
            err.message
                .contains("property L[1] has no key X that infra supports (it maps K)"),
            "{err}"
        );
        Ok(())
    }

    #[test]
    fn values_are_read_leniently_and_named_by_path() -> Result<(), ProviderError> {
        let value = json!({"S": 80, "I": "8", "F": 3.0, "B": "True", "L": ["a", 1],
            "M": {"k": 1}, "T": [{"Key": "k", "Value": "v"}], "Big": 3_000_000_000_i64});
        let p = Props::new(
            &value,
            ctx(),
            &["S", "I", "F", "B", "L", "M", "T", "Big"],
            &[],
        )?;
        assert_eq!(p.str("S")?.as_deref(), Some("80"));
        assert_eq!(p.i32("I")?, Some(8));
        assert_eq!(p.i64("F")?, Some(3));
        assert_eq!(p.bool("B")?, Some(true));
        assert_eq!(p.str_list("L")?, ["a", "1"]);
        assert_eq!(p.strs("Missing")?, None);
        assert_eq!(
            p.str_map("M")?.and_then(|m| m.get("k").cloned()),
            Some("1".into())
        );
        assert_eq!(p.tags("T")?, [("k".to_owned(), "v".to_owned())]);
        let err = p.i32("Big").expect_err("out of range");
        assert!(
            err.message
                .contains("property Big: 3000000000 is out of range"),
            "{err}"
        );
        let err = p.bool("S").expect_err("not a boolean");
        assert!(
            err.message
                .contains("property S must be a boolean, not a number"),
            "{err}"
        );
        let err = p.required_str("Missing").expect_err("required");
        assert!(
            err.message.contains("property Missing is required"),
            "{err}"
        );
        Ok(())
    }
}

#[tokio::test]
async fn pages_end_on_an_empty_or_repeated_token() -> Result<(), ProviderError> {
    // Pages answer ("a", next "t1"), ("b", next "t2"), then ("c", next "t2") again: the repeated
    // token ends the list instead of asking for "t2" forever.
    let mut asked = Vec::new();
    let all = super::pages(|token: Option<String>| {
        asked.push(token.clone());
        let answer = match token.as_deref() {
            None => (vec!["a"], Some("t1".to_owned())),
            Some("t1") => (vec!["b"], Some("t2".to_owned())),
            _ => (vec!["c"], Some("t2".to_owned())),
        };
        async move { Ok(answer) }
    })
    .await?;
    assert_eq!(all, ["a", "b", "c"]);
    assert_eq!(asked, [None, Some("t1".to_owned()), Some("t2".to_owned())]);
    let empty = super::pages(|_| async { Ok((vec![1], Some(String::new()))) }).await?;
    assert_eq!(empty, [1]);
    Ok(())
}
