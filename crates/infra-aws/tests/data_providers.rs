//! The S3 and DynamoDB providers against the AWS API emulator (moto server with the fidelity
//! fixes of `emulator/fidelity.py` and `emulator/fidelity_apps/data.py`;
//! `scripts/setup-emulator`): create → read → update → find → delete → read for
//! `AWS::S3::Bucket`, `AWS::S3::BucketPolicy` and `AWS::DynamoDB::Table`, every check made
//! through the service's own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;

use aws_sdk_s3::primitives::ByteStream;
use infra_aws::provider::{FailureClass, UpdateInput};
use provider_harness::{Harness, emulator_config, generated};
use serde_json::{Value, json};

const BUCKET: &str = "AWS::S3::Bucket";
const POLICY: &str = "AWS::S3::BucketPolicy";
const TABLE: &str = "AWS::DynamoDB::Table";

struct Env {
    harness: Harness,
    s3: aws_sdk_s3::Client,
    ddb: aws_sdk_dynamodb::Client,
}

provider_harness::env_derefs_to_harness!(Env);

impl Env {
    /// Every create gets a generated name, lowercased (bucket names are); `find` is given the
    /// name of a bucket or a table.
    async fn new(stack: &str) -> Env {
        let config = emulator_config().await;
        let harness = Harness::new(&config, stack)
            .naming(|stack, address, _| Some(generated(stack, address).to_lowercase()))
            .found_by(|made| Some(made.id().to_owned()).filter(|_| made.type_name != POLICY));
        Env {
            harness,
            s3: infra_aws::config::s3_client(&config),
            ddb: aws_sdk_dynamodb::Client::new(&config),
        }
    }
}

fn tag_map(tags: &[aws_sdk_s3::types::Tag]) -> BTreeMap<&str, &str> {
    tags.iter().map(|t| (t.key(), t.value())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bucket_is_created_read_updated_found_and_deleted_only_when_empty() {
    let env = Env::new("s3-bucket").await;
    let props = json!({
        "VersioningConfiguration": {"Status": "Enabled"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
            "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
        "LifecycleConfiguration": {"Rules": [{"Id": "tmp", "Status": "Enabled", "Prefix": "tmp/",
            "ExpirationInDays": 30, "NoncurrentVersionExpiration": {"NoncurrentDays": 7}}]},
        "CorsConfiguration": {"CorsRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"], "MaxAge": 300}]},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "WebsiteConfiguration": {"IndexDocument": "index.html", "ErrorDocument": "error.html"},
        "NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": true}},
        "Tags": [{"Key": "team", "Value": "data"}],
    });
    let bucket = env.create("App.Uploads", BUCKET, props).await;
    let name = bucket.id().to_owned();
    assert_eq!(name, "s3-bucket-app-uploads");
    assert_eq!(
        bucket.out.attributes["Arn"],
        json!(format!("arn:aws:s3:::{name}"))
    );
    assert_eq!(
        bucket.out.attributes["WebsiteURL"],
        json!(format!("http://{name}.s3-website-us-east-1.amazonaws.com"))
    );

    // Through S3 itself.
    let s3 = &env.s3;
    let versioning = s3
        .get_bucket_versioning()
        .bucket(&name)
        .send()
        .await
        .expect("versioning");
    assert_eq!(versioning.status().map(|s| s.as_str()), Some("Enabled"));
    let tags = s3
        .get_bucket_tagging()
        .bucket(&name)
        .send()
        .await
        .expect("tags");
    let tags = tag_map(tags.tag_set());
    assert_eq!(
        (tags.get("team"), tags.get("infra:address")),
        (Some(&"data"), Some(&"App.Uploads"))
    );
    let rules = s3
        .get_bucket_lifecycle_configuration()
        .bucket(&name)
        .send()
        .await
        .expect("lifecycle");
    assert_eq!(
        rules.rules()[0].expiration().and_then(|e| e.days()),
        Some(30)
    );
    let block = s3
        .get_public_access_block()
        .bucket(&name)
        .send()
        .await
        .expect("pab");
    assert_eq!(
        block
            .public_access_block_configuration()
            .and_then(|b| b.block_public_policy()),
        Some(true)
    );
    let website = s3
        .get_bucket_website()
        .bucket(&name)
        .send()
        .await
        .expect("website");
    assert_eq!(
        website.index_document().map(|i| i.suffix()),
        Some("index.html")
    );
    env.assert_present(&bucket).await;

    // A create sent again adopts the bucket it made (its tags say so); find sees it, and not
    // for another stack.
    let again = env
        .try_create("App.Uploads", BUCKET, bucket.properties.clone())
        .await
        .expect("again");
    assert_eq!(again.out.physical_id, name);
    assert_eq!(
        env.find_as(&bucket, "s3-bucket")
            .await
            .map(|o| o.physical_id),
        Some(name.clone())
    );
    assert_eq!(env.find_as(&bucket, "other-stack").await, None);
    let taken = env
        .try_create("Other.Uploads", BUCKET, json!({"BucketName": name}))
        .await;
    let err = taken.expect_err("a bucket of another resource is not adopted");
    assert!(
        err.message
            .contains("already exists and was not made for this resource"),
        "{err}"
    );

    // Access logs go to a bucket whose canned ACL lets the log delivery group write (set at
    // CreateBucket, with the object ownership that allows ACLs).
    let logs = env
        .create(
            "App.Logs",
            BUCKET,
            json!({"AccessControl": "LogDeliveryWrite",
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}}),
        )
        .await;
    let acl = s3
        .get_bucket_acl()
        .bucket(logs.id())
        .send()
        .await
        .expect("acl");
    let log_delivery = acl
        .grants()
        .iter()
        .filter_map(|g| g.grantee().and_then(|g| g.uri()));
    assert!(
        log_delivery
            .clone()
            .any(|uri| uri.ends_with("/LogDelivery")),
        "{acl:?}"
    );
    env.assert_present(&logs).await;

    // In place: the lifecycle rule's days, CORS and the website removed, a tag changed,
    // access logging on.
    let bucket = env
        .update(
            &bucket,
            json!({
                "VersioningConfiguration": {"Status": "Enabled"},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
                    "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
                "LifecycleConfiguration": {"Rules": [{"Id": "tmp", "Status": "Enabled", "Prefix": "tmp/",
                    "ExpirationInDays": "14", "NoncurrentVersionExpiration": {"NoncurrentDays": 7}}]},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "LoggingConfiguration": {"DestinationBucketName": logs.id(), "LogFilePrefix": "uploads/"},
                "Tags": [{"Key": "team", "Value": "platform"}],
            }),
        )
        .await;
    let rules = s3
        .get_bucket_lifecycle_configuration()
        .bucket(&name)
        .send()
        .await
        .expect("lifecycle");
    assert_eq!(
        rules.rules()[0].expiration().and_then(|e| e.days()),
        Some(14)
    );
    let cors = s3.get_bucket_cors().bucket(&name).send().await;
    assert!(cors.is_err(), "CORS removed: {cors:?}");
    let website = s3.get_bucket_website().bucket(&name).send().await;
    assert!(website.is_err(), "website removed: {website:?}");
    let logging = s3
        .get_bucket_logging()
        .bucket(&name)
        .send()
        .await
        .expect("logging");
    assert_eq!(
        logging.logging_enabled().map(|l| l.target_bucket()),
        Some(logs.id())
    );
    let tags = s3
        .get_bucket_tagging()
        .bucket(&name)
        .send()
        .await
        .expect("tags");
    assert_eq!(tag_map(tags.tag_set()).get("team"), Some(&"platform"));
    env.assert_present(&bucket).await;

    // A bucket that holds an object is not emptied: the delete fails, naming it.
    let put = s3
        .put_object()
        .bucket(&name)
        .key("tmp/a.txt")
        .body(ByteStream::from_static(b"a"));
    put.send().await.expect("object");
    let err = env.try_delete(&bucket).await.expect_err("not empty");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.contains(&format!("bucket {name} is not empty")),
        "{err}"
    );
    assert!(err.message.contains("DeletionPolicy: Retain"), "{err}");
    env.assert_present(&bucket).await;
    // Every version goes (the bucket is versioned), then the bucket.
    let versions = s3
        .list_object_versions()
        .bucket(&name)
        .send()
        .await
        .expect("versions");
    for v in versions.versions() {
        let delete = s3
            .delete_object()
            .bucket(&name)
            .key(v.key().unwrap_or_default());
        delete
            .set_version_id(v.version_id().map(str::to_owned))
            .send()
            .await
            .expect("delete version");
    }
    env.delete(&bucket).await;
    env.assert_gone(&bucket).await;
    env.delete(&bucket).await; // idempotent
    // moto delivers access logs as S3 does: the log bucket is emptied first.
    let listed = s3
        .list_objects_v2()
        .bucket(logs.id())
        .send()
        .await
        .expect("logs");
    for object in listed.contents() {
        let key = object.key().unwrap_or_default();
        let delete = s3.delete_object().bucket(logs.id()).key(key);
        delete.send().await.expect("delete log");
    }
    env.delete(&logs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bucket_policy_is_set_read_changed_found_and_removed() {
    let env = Env::new("s3-policy").await;
    let bucket = env.create("App.Site", BUCKET, json!({})).await;
    let arn = bucket.out.attributes["Arn"]
        .as_str()
        .expect("arn")
        .to_owned();
    let statement = |effect: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "TlsOnly", "Effect": effect,
            "Principal": "*", "Action": "s3:*", "Resource": [arn, format!("{arn}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
    };
    // The document as a string of JSON, as templates often write it.
    let doc = statement("Deny").to_string();
    let policy = env
        .create(
            "App.SitePolicy",
            POLICY,
            json!({"Bucket": bucket.id(), "PolicyDocument": doc}),
        )
        .await;
    assert_eq!(policy.id(), bucket.id());
    let got = env
        .s3
        .get_bucket_policy()
        .bucket(bucket.id())
        .send()
        .await
        .expect("policy");
    let got: Value = serde_json::from_str(got.policy().unwrap_or_default()).expect("json");
    assert_eq!(got["Statement"][0]["Sid"], json!("TlsOnly"));
    env.assert_present(&policy).await;
    assert_eq!(
        env.find_as(&policy, "s3-policy")
            .await
            .map(|o| o.physical_id),
        Some(bucket.id().to_owned())
    );

    let policy = env
        .update(
            &policy,
            json!({"Bucket": bucket.id(), "PolicyDocument": statement("Allow")}),
        )
        .await;
    let got = env
        .s3
        .get_bucket_policy()
        .bucket(bucket.id())
        .send()
        .await
        .expect("policy");
    assert!(
        got.policy().unwrap_or_default().contains("Allow"),
        "{got:?}"
    );
    env.assert_present(&policy).await;

    env.delete(&policy).await;
    env.assert_gone(&policy).await;
    assert_eq!(env.find_as(&policy, "s3-policy").await, None);
    env.delete(&policy).await; // idempotent
    env.delete(&bucket).await;
    env.delete(&policy).await; // the bucket is gone too
}

fn table_props(index_read: i64, extra_index: bool) -> Value {
    let mut indexes = vec![json!({"IndexName": "by-customer",
        "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
        "ProvisionedThroughput": {"ReadCapacityUnits": index_read, "WriteCapacityUnits": 2}})];
    let mut attributes = vec![
        json!({"AttributeName": "id", "AttributeType": "S"}),
        json!({"AttributeName": "customer", "AttributeType": "S"}),
    ];
    if extra_index {
        attributes.push(json!({"AttributeName": "day", "AttributeType": "S"}));
        indexes.push(json!({"IndexName": "by-day",
            "KeySchema": [{"AttributeName": "day", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}));
    }
    json!({
        "AttributeDefinitions": attributes,
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        "GlobalSecondaryIndexes": indexes,
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": true},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
        "SSESpecification": {"SSEEnabled": true},
        "DeletionProtectionEnabled": false,
        "Tags": [{"Key": "team", "Value": "data"}],
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_table_is_created_read_updated_found_and_deleted() {
    let env = Env::new("ddb-table").await;
    let table = env.create("App.Orders", TABLE, table_props(2, false)).await;
    let name = table.id().to_owned();
    assert_eq!(name, "ddb-table-app-orders");
    assert!(
        table.out.attributes["Arn"]
            .as_str()
            .is_some_and(|a| a.ends_with(&format!("table/{name}")))
    );
    assert!(
        table.out.attributes["StreamArn"]
            .as_str()
            .is_some_and(|a| a.contains("/stream/")),
        "{table:?}"
    );

    // Through DynamoDB itself.
    let ddb = &env.ddb;
    let described = ddb
        .describe_table()
        .table_name(&name)
        .send()
        .await
        .expect("describe");
    let t = described.table().expect("table");
    assert_eq!(
        t.global_secondary_indexes()[0].index_name(),
        Some("by-customer")
    );
    assert_eq!(
        t.stream_specification()
            .and_then(|s| s.stream_view_type())
            .map(|v| v.as_str()),
        Some("NEW_AND_OLD_IMAGES")
    );
    let ttl = ddb
        .describe_time_to_live()
        .table_name(&name)
        .send()
        .await
        .expect("ttl");
    let ttl = ttl.time_to_live_description().expect("ttl");
    assert_eq!(
        (
            ttl.attribute_name(),
            ttl.time_to_live_status().map(|s| s.as_str())
        ),
        (Some("expiresAt"), Some("ENABLED"))
    );
    let backups = ddb
        .describe_continuous_backups()
        .table_name(&name)
        .send()
        .await
        .expect("backups");
    let pitr = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description());
    assert_eq!(
        pitr.and_then(|p| p.point_in_time_recovery_status())
            .map(|s| s.as_str()),
        Some("ENABLED")
    );
    let tags = ddb
        .list_tags_of_resource()
        .resource_arn(t.table_arn().unwrap_or_default())
        .send()
        .await
        .expect("tags");
    assert!(
        tags.tags()
            .iter()
            .any(|t| t.key() == "infra:address" && t.value() == "App.Orders")
    );
    env.assert_present(&table).await;

    // A create sent again adopts the table it made; find sees it, not for another stack.
    let again = env
        .try_create("App.Orders", TABLE, table.properties.clone())
        .await
        .expect("again");
    assert_eq!(again.out.physical_id, name);
    assert_eq!(
        env.find_as(&table, "ddb-table")
            .await
            .map(|o| o.physical_id),
        Some(name.clone())
    );
    assert_eq!(env.find_as(&table, "other-stack").await, None);

    // In place: the index's throughput, a second index, TTL off, a tag added.
    let mut after = table_props(4, true);
    after["TimeToLiveSpecification"] = json!({"AttributeName": "expiresAt", "Enabled": false});
    after["TableClass"] = json!("STANDARD_INFREQUENT_ACCESS");
    after["SSESpecification"] = json!({"SSEEnabled": false});
    after["Tags"] = json!([{"Key": "team", "Value": "data"}, {"Key": "tier", "Value": "1"}]);
    let table = env.update(&table, after).await;
    let described = ddb
        .describe_table()
        .table_name(&name)
        .send()
        .await
        .expect("describe");
    let gsis = described
        .table()
        .map(|t| t.global_secondary_indexes().to_vec())
        .unwrap_or_default();
    let customer = gsis
        .iter()
        .find(|g| g.index_name() == Some("by-customer"))
        .expect("by-customer");
    assert_eq!(
        customer
            .provisioned_throughput()
            .and_then(|p| p.read_capacity_units()),
        Some(4)
    );
    assert!(
        gsis.iter().any(|g| g.index_name() == Some("by-day")),
        "{gsis:?}"
    );
    let t = described.table().expect("table");
    let class = t.table_class_summary().and_then(|c| c.table_class());
    assert_eq!(
        class.map(|c| c.as_str()),
        Some("STANDARD_INFREQUENT_ACCESS")
    );
    assert_eq!(
        t.sse_description(),
        None,
        "encryption by a KMS key turned off"
    );
    let ttl = ddb
        .describe_time_to_live()
        .table_name(&name)
        .send()
        .await
        .expect("ttl");
    assert_eq!(
        ttl.time_to_live_description()
            .and_then(|t| t.time_to_live_status())
            .map(|s| s.as_str()),
        Some("DISABLED")
    );
    env.assert_present(&table).await;

    // The index removed again, on-demand billing with a maximum; the key schema is not
    // changed in place.
    let mut after = table_props(4, false);
    after["TimeToLiveSpecification"] = json!({"AttributeName": "expiresAt", "Enabled": false});
    after["BillingMode"] = json!("PAY_PER_REQUEST");
    after["OnDemandThroughput"] = json!({"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50});
    if let Some(props) = after.as_object_mut() {
        props.remove("ProvisionedThroughput");
    }
    if let Some(index) = after["GlobalSecondaryIndexes"][0].as_object_mut() {
        index.remove("ProvisionedThroughput");
    }
    let table = env.update(&table, after).await;
    env.assert_present(&table).await;
    let described = ddb
        .describe_table()
        .table_name(&name)
        .send()
        .await
        .expect("describe");
    let t = described.table().expect("table");
    assert_eq!(t.global_secondary_indexes().len(), 1);
    let billing = t.billing_mode_summary().and_then(|b| b.billing_mode());
    assert_eq!(billing.map(|b| b.as_str()), Some("PAY_PER_REQUEST"));
    let most = t
        .on_demand_throughput()
        .and_then(|o| o.max_read_request_units());
    assert_eq!(most, Some(100));
    let mut rekeyed = table.properties.clone();
    rekeyed["KeySchema"] = json!([{"AttributeName": "customer", "KeyType": "HASH"}]);
    let input = UpdateInput {
        address: table.address.clone(),
        type_name: TABLE.into(),
        physical_id: name.clone(),
        before: table.properties.clone(),
        after: rekeyed,
        attributes: table.out.attributes.clone(),
        tags: env.tags(&table.address, TABLE),
    };
    let err = env
        .provider(TABLE)
        .update(&input)
        .await
        .expect_err("KeySchema");
    assert!(
        err.message
            .contains("KeySchema and LocalSecondaryIndexes cannot change in place"),
        "{err}"
    );

    env.delete(&table).await;
    env.assert_gone(&table).await;
    env.delete(&table).await; // idempotent
}
