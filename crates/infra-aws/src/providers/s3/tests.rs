//! Unit tests of the S3 providers: property parsing, refusals, attributes and refreshed values
//! in the template's shape.

use serde_json::json;

use super::bucket::configs::{Built, build};
use super::bucket::{self, BucketProvider, canned_acl, parse};
use super::{S3, bucket_policy, observed_like, same};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

const CTX: Ctx<'static> = Ctx {
    type_name: bucket::TYPE,
    address: "App.Bucket",
};

fn message(result: Result<impl std::fmt::Debug, ProviderError>) -> String {
    result.expect_err("refused").message
}

#[test]
fn every_configuration_is_checked_down_to_nested_keys() {
    let props = json!({
        "VersioningConfiguration": {"Status": "Enabled"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"BucketKeyEnabled": true, "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/x"}}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": "true", "BlockPublicPolicy": true},
        "LifecycleConfiguration": {"Rules": [{"Id": "tmp", "Status": "Enabled", "Prefix": "tmp/",
            "TagFilters": [{"Key": "k", "Value": "v"}], "ExpirationInDays": "30",
            "Transitions": [{"StorageClass": "GLACIER", "TransitionInDays": 10}],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 7}}]},
        "CorsConfiguration": {"CorsRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"], "MaxAge": 60}]},
        "WebsiteConfiguration": {"IndexDocument": "index.html", "RoutingRules": [
            {"RedirectRule": {"ReplaceKeyPrefixWith": "new/"}, "RoutingRuleCondition": {"KeyPrefixEquals": "old/"}}]},
        "LoggingConfiguration": {"LogFilePrefix": "logs/", "TargetObjectKeyFormat": {"SimplePrefix": {}}},
        "NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": true},
            "QueueConfigurations": [{"Event": "s3:ObjectCreated:*", "Queue": "arn:aws:sqs:us-east-1:1:q",
                "Filter": {"S3Key": {"Rules": [{"Name": "Prefix", "Value": "in/"}]}}}]},
        "ObjectLockEnabled": true,
        "ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}},
        "AccessControl": "LogDeliveryWrite",
        "Tags": [{"Key": "team", "Value": "data"}],
    });
    assert!(parse(&props, CTX).is_ok(), "{:?}", parse(&props, CTX).err());

    let Ok(Built::Lifecycle((rules, _))) = build(
        "LifecycleConfiguration",
        &props["LifecycleConfiguration"],
        CTX,
        "b",
    ) else {
        panic!("lifecycle")
    };
    let rule = &rules.rules()[0];
    let and = rule
        .filter()
        .and_then(|f| f.and())
        .expect("prefix and tag under And");
    assert_eq!(and.prefix(), Some("tmp/"));
    assert_eq!(rule.expiration().and_then(|e| e.days()), Some(30));
    let Ok(Built::Logging(status)) = build(
        "LoggingConfiguration",
        &props["LoggingConfiguration"],
        CTX,
        "b",
    ) else {
        panic!("logging")
    };
    let enabled = status.logging_enabled().expect("enabled");
    assert_eq!(
        (enabled.target_bucket(), enabled.target_prefix()),
        ("b", "logs/")
    );

    let err = message(parse(
        &json!({"LifecycleConfiguration": {"Rules": [{"Status": "Enabled", "Expire": 1}]}}),
        CTX,
    ));
    assert!(
        err.contains("LifecycleConfiguration.Rules[0] has no key Expire"),
        "{err}"
    );
    let err = message(parse(&json!({"ReplicationConfiguration": {}}), CTX));
    assert!(
        err.contains("ReplicationConfiguration is not supported: replication"),
        "{err}"
    );
    let err = message(parse(&json!({"WebsiteURL": "x"}), CTX));
    assert!(
        err.contains("WebsiteURL is not supported: it is an attribute"),
        "{err}"
    );
    let err = message(parse(&json!({"VersioningConfiguration": {}}), CTX));
    assert!(
        err.contains("VersioningConfiguration.Status is required"),
        "{err}"
    );
    let lock = json!({"ObjectLockConfiguration": {"Rule": {"DefaultRetention": {"DefaultEventHold": {}}}}});
    let err = message(parse(&lock, CTX));
    assert!(
        err.contains("DefaultRetention.DefaultEventHold is not supported"),
        "{err}"
    );
}

#[test]
fn canned_acls_are_spelled_as_s3_spells_them() {
    assert_eq!(canned_acl("PublicRead").as_str(), "public-read");
    assert_eq!(
        canned_acl("BucketOwnerFullControl").as_str(),
        "bucket-owner-full-control"
    );
    assert_eq!(canned_acl("Private").as_str(), "private");
}

#[test]
fn attributes_follow_the_region() {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .build();
    let s3 = S3::new(aws_sdk_s3::Client::from_conf(config), "s3", "test");
    let east = BucketProvider {
        s3: s3.clone(),
        region: "us-east-1".into(),
    }
    .output("b");
    assert_eq!(east.attributes["Arn"], json!("arn:aws:s3:::b"));
    assert_eq!(east.attributes["DomainName"], json!("b.s3.amazonaws.com"));
    assert_eq!(
        east.attributes["WebsiteURL"],
        json!("http://b.s3-website-us-east-1.amazonaws.com")
    );
    let paris = BucketProvider {
        s3: s3.clone(),
        region: "eu-west-3".into(),
    }
    .output("b");
    assert_eq!(
        paris.attributes["WebsiteURL"],
        json!("http://b.s3-website.eu-west-3.amazonaws.com")
    );
    assert_eq!(
        paris.attributes["RegionalDomainName"],
        json!("b.s3.eu-west-3.amazonaws.com")
    );
    assert_eq!(
        paris.attributes["DualStackDomainName"],
        json!("b.s3.dualstack.eu-west-3.amazonaws.com")
    );
    let beijing = BucketProvider {
        s3,
        region: "cn-north-1".into(),
    }
    .output("b");
    assert_eq!(beijing.attributes["Arn"], json!("arn:aws-cn:s3:::b"));
}

#[test]
fn refreshed_values_take_the_template_shape() {
    let previous = json!({"Rules": [{"Id": "b", "Status": "Enabled", "ExpirationInDays": "30"},
        {"Id": "a", "Status": "Enabled", "NonKey": ["y", "x"]}]});
    let found = json!({"Rules": [{"Id": "a", "Status": "Enabled", "NonKey": ["x", "y"], "Prefix": null},
        {"Id": "b", "Status": "Enabled", "ExpirationInDays": 30, "Filter": {"Prefix": ""}}],
        "TransitionDefaultMinimumObjectSize": "all_storage_classes_128K"});
    assert_eq!(observed_like(found, Some(&previous)), previous);
    let changed = json!({"Rules": [{"Id": "b", "Status": "Disabled", "ExpirationInDays": 30}]});
    assert_eq!(
        observed_like(changed, Some(&previous)),
        json!({"Rules": [{"Id": "b", "Status": "Disabled", "ExpirationInDays": "30"}]})
    );
    assert!(same(Some(&json!({"Days": "5"})), Some(&json!({"Days": 5}))));
    assert!(!same(Some(&json!({"Days": 5})), None));
}

#[test]
fn a_bucket_policy_needs_its_bucket_and_document() {
    let ctx = Ctx::new(bucket_policy::TYPE, "App.Policy");
    let (bucket, doc) = bucket_policy::parse(
        &json!({"Bucket": "b", "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}),
        ctx,
    )
    .expect("parsed");
    assert_eq!(
        (bucket.as_str(), &doc["Version"]),
        ("b", &json!("2012-10-17"))
    );
    let err = message(bucket_policy::parse(&json!({"Bucket": "b"}), ctx));
    assert!(err.contains("PolicyDocument is required"), "{err}");
}

#[test]
fn configurations_keep_what_s3_spells_otherwise() {
    let notification = json!({"EventBridgeConfiguration": {"EventBridgeEnabled": false},
        "TopicConfigurations": [{"Event": "s3:ObjectCreated:*", "Topic": "arn:t",
            "Filter": {"S3Key": {"Rules": [{"Name": "Suffix", "Value": ".jpg"}]}}},
            {"Event": "s3:ObjectRemoved:*", "Topic": "arn:u", "Filter": {}}]});
    let Ok(Built::Notification(n)) = build("NotificationConfiguration", &notification, CTX, "b")
    else {
        panic!("notification")
    };
    assert!(n.event_bridge_configuration().is_none());
    assert!(
        n.lambda_function_configurations().is_empty() && n.lambda_function_configurations.is_some()
    );
    let topics = n.topic_configurations();
    assert_eq!(topics[0].events()[0].as_str(), "s3:ObjectCreated:*");
    let rule = &topics[0]
        .filter()
        .and_then(|f| f.key())
        .expect("key")
        .filter_rules()[0];
    assert_eq!(rule.name().map(|n| n.as_str()), Some("suffix"));
    assert!(topics[1].filter().is_none());

    let lock = json!({"Rule": {}});
    let Ok(Built::ObjectLock(lock)) = build("ObjectLockConfiguration", &lock, CTX, "b") else {
        panic!("lock")
    };
    assert_eq!(
        lock.object_lock_enabled().map(|e| e.as_str()),
        Some("Enabled")
    );
    assert!(lock.rule().is_none());

    let logging = json!({"DestinationBucketName": "logs"});
    let Ok(Built::Logging(status)) = build("LoggingConfiguration", &logging, CTX, "b") else {
        panic!("logging")
    };
    let enabled = status.logging_enabled().expect("enabled");
    assert_eq!(
        (enabled.target_bucket(), enabled.target_prefix()),
        ("logs", "")
    );

    let rules = json!({"Rules": [{"Status": "Enabled", "Transitions": [],
        "Transition": {"StorageClass": "GLACIER", "TransitionInDays": 3},
        "NoncurrentVersionExpirationInDays": 4, "ExpirationDate": "2030-01-01T00:00:00Z"}]});
    let Ok(Built::Lifecycle((rules, _))) = build("LifecycleConfiguration", &rules, CTX, "b") else {
        panic!("lifecycle")
    };
    let rule = &rules.rules()[0];
    assert_eq!(rule.transitions().len(), 1);
    assert!(rule.noncurrent_version_transitions.is_none());
    assert_eq!(
        rule.noncurrent_version_expiration()
            .and_then(|e| e.noncurrent_days()),
        Some(4)
    );
    assert_eq!(rule.filter().and_then(|f| f.prefix()), Some(""));
    assert!(rule.expiration().and_then(|e| e.date()).is_some());

    let site = json!({"IndexDocument": "i.html", "RoutingRules": []});
    let Ok(Built::Website(site)) = build("WebsiteConfiguration", &site, CTX, "b") else {
        panic!("website")
    };
    assert_eq!(site.index_document().map(|i| i.suffix()), Some("i.html"));
    assert!(site.routing_rules.is_none() && site.error_document().is_none());
}
