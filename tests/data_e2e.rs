//! The bucket-and-table example (`examples/bucket-and-table/template.yaml`) end to end on the
//! AWS API emulator: apply; what the template says checked through the S3 and DynamoDB APIs
//! (GetBucketVersioning, GetBucketEncryption, GetPublicAccessBlock,
//! GetBucketLifecycleConfiguration, GetBucketPolicy, GetBucketTagging, DescribeTable,
//! DescribeTimeToLive, DescribeContinuousBackups); a second plan with no changes; in-place
//! updates (the lifecycle rule's days, the index's read capacity); a replacement (the table's
//! name); a destroy refused while the bucket holds an object, which keeps the bucket in the
//! state; then a destroy that leaves nothing.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use boto::{batch, boto, try_boto};
use cli::{assert_no_changes, edit, id, infra, ok, recorded_ids, s, state, text};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "datademo";

/// The answers of `calls`, each of which must succeed.
fn all(endpoint: &str, calls: &[boto::Call<'_>]) -> Vec<Value> {
    batch(endpoint, calls)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The expiration days of the bucket's `expire-tmp` rule.
fn expiration_days(endpoint: &str, bucket: &str) -> Value {
    let rules = boto(
        endpoint,
        "s3",
        "get_bucket_lifecycle_configuration",
        json!({"Bucket": bucket}),
    );
    let rules = rules["Rules"].as_array().cloned().unwrap_or_default();
    let rule = rules.iter().find(|r| r["ID"] == "expire-tmp");
    rule.map(|r| r["Expiration"]["Days"].clone())
        .unwrap_or(Value::Null)
}

#[test]
fn a_bucket_and_a_table_apply_update_replace_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("bucket-and-table", dir.path());
    let state_path = dir.path().join("data.json");
    let base = [
        "-t",
        s(&template),
        "--stack",
        STACK,
        "--state",
        s(&state_path),
    ];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());
    let destroy = || {
        infra(
            &emulator,
            &[
                "destroy",
                "--auto-approve",
                "--stack",
                STACK,
                "--state",
                s(&state_path),
            ],
        )
    };

    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state_path);
    let (bucket, table) = (
        id(&ids, "Uploads").to_owned(),
        id(&ids, "Orders").to_owned(),
    );
    assert_eq!(table, "datademo-orders");
    assert_eq!(id(&ids, "UploadsPolicy"), bucket);

    // S3: versioning, default encryption, the public access block, the lifecycle rules, the
    // TLS-only policy and the tags.
    let s3 = all(
        &endpoint,
        &[
            ("s3", "get_bucket_versioning", json!({"Bucket": bucket})),
            ("s3", "get_bucket_encryption", json!({"Bucket": bucket})),
            ("s3", "get_public_access_block", json!({"Bucket": bucket})),
            ("s3", "get_bucket_policy", json!({"Bucket": bucket})),
            ("s3", "get_bucket_tagging", json!({"Bucket": bucket})),
            (
                "s3",
                "get_bucket_ownership_controls",
                json!({"Bucket": bucket}),
            ),
        ],
    );
    assert_eq!(s3[0]["Status"], json!("Enabled"));
    let rule = &s3[1]["ServerSideEncryptionConfiguration"]["Rules"][0];
    assert_eq!(
        rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
        json!("AES256")
    );
    let block = &s3[2]["PublicAccessBlockConfiguration"];
    for flag in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(block[flag], json!(true), "{flag}: {block}");
    }
    let policy: Value =
        serde_json::from_str(s3[3]["Policy"].as_str().expect("policy")).expect("policy JSON");
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Effect"], json!("Deny"));
    assert_eq!(
        statement["Condition"]["Bool"]["aws:SecureTransport"],
        json!("false")
    );
    assert_eq!(
        statement["Resource"],
        json!([
            format!("arn:aws:s3:::{bucket}"),
            format!("arn:aws:s3:::{bucket}/*")
        ])
    );
    let tags = s3[4]["TagSet"].as_array().expect("tags");
    assert!(
        tags.contains(&json!({"Key": "purpose", "Value": "uploads"})),
        "{tags:?}"
    );
    assert!(
        tags.contains(&json!({"Key": "infra:address", "Value": "Uploads"})),
        "{tags:?}"
    );
    assert_eq!(
        s3[5]["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        json!("BucketOwnerEnforced")
    );
    assert_eq!(expiration_days(&endpoint, &bucket), json!(30));

    // DynamoDB: the key, the index, the stream, TTL and point-in-time recovery.
    let ddb = all(
        &endpoint,
        &[
            ("dynamodb", "describe_table", json!({"TableName": table})),
            (
                "dynamodb",
                "describe_time_to_live",
                json!({"TableName": table}),
            ),
            (
                "dynamodb",
                "describe_continuous_backups",
                json!({"TableName": table}),
            ),
        ],
    );
    let described = &ddb[0]["Table"];
    assert_eq!(
        described["KeySchema"],
        json!([{"AttributeName": "id", "KeyType": "HASH"}])
    );
    let index = &described["GlobalSecondaryIndexes"][0];
    assert_eq!(index["IndexName"], json!("by-customer"));
    assert_eq!(
        index["ProvisionedThroughput"]["ReadCapacityUnits"],
        json!(5)
    );
    assert_eq!(
        described["StreamSpecification"]["StreamViewType"],
        json!("NEW_AND_OLD_IMAGES")
    );
    let stream = described["LatestStreamArn"].as_str().expect("stream");
    let outputs = state(&state_path)["outputs"].clone();
    assert_eq!(
        outputs["TableStreamArn"]["value"],
        json!(stream),
        "{outputs}"
    );
    assert_eq!(
        ddb[1]["TimeToLiveDescription"],
        json!({"TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"})
    );
    assert_eq!(
        ddb[2]["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
        json!("ENABLED")
    );

    assert_no_changes(&emulator, &base);

    // In place: the lifecycle rule's days and the index's read capacity.
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--parameter",
        "ExpireAfterDays=14",
        "--parameter",
        "IndexReadCapacity=10",
    ]));
    assert!(out.contains("0 added, 2 changed, 0 destroyed"), "{out}");
    assert_eq!(expiration_days(&endpoint, &bucket), json!(14));
    let described = boto(
        &endpoint,
        "dynamodb",
        "describe_table",
        json!({"TableName": table}),
    );
    let index = &described["Table"]["GlobalSecondaryIndexes"][0];
    assert_eq!(
        index["ProvisionedThroughput"]["ReadCapacityUnits"],
        json!(10)
    );
    let after = recorded_ids(&state_path);
    assert_eq!(
        (id(&after, "Uploads"), id(&after, "Orders")),
        (bucket.as_str(), table.as_str())
    );
    edit(&template, "Default: 30", "Default: 14");
    edit(&template, "Default: 5\n", "Default: 10\n");
    assert_no_changes(&emulator, &base);

    // A replacement: the table's name.
    edit(&template, "Default: orders", "Default: orders-v2");
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(out.contains("1 added, 0 changed, 1 destroyed"), "{out}");
    let new_table = id(&recorded_ids(&state_path), "Orders").to_owned();
    assert_eq!(new_table, "datademo-orders-v2");
    let gone = try_boto(
        &endpoint,
        "dynamodb",
        "describe_table",
        json!({"TableName": table}),
    );
    assert_eq!(
        gone.expect_err("the old table is deleted").code,
        "ResourceNotFoundException"
    );
    let ttl = boto(
        &endpoint,
        "dynamodb",
        "describe_time_to_live",
        json!({"TableName": new_table}),
    );
    assert_eq!(
        ttl["TimeToLiveDescription"]["TimeToLiveStatus"],
        json!("ENABLED")
    );
    assert_no_changes(&emulator, &base);

    // A bucket that holds an object is not emptied: destroy fails naming it, and the bucket
    // stays in the state (and in S3). The policy denies every request made without TLS, and
    // the emulator speaks plain HTTP (moto evaluates the policy for object calls, as S3 does):
    // the object is put while the policy is lifted for a moment, then the policy is put back.
    let policy = boto(
        &endpoint,
        "s3",
        "get_bucket_policy",
        json!({"Bucket": bucket}),
    );
    let put = all(
        &endpoint,
        &[
            ("s3", "delete_bucket_policy", json!({"Bucket": bucket})),
            (
                "s3",
                "put_object",
                json!({"Bucket": bucket, "Key": "tmp/report.csv", "Body": "a,b\n"}),
            ),
            (
                "s3",
                "put_bucket_policy",
                json!({"Bucket": bucket, "Policy": policy["Policy"]}),
            ),
        ],
    );
    let put = &put[1];
    let version = put["VersionId"].as_str().expect("a version").to_owned();
    let refused = destroy();
    assert!(!refused.status.success(), "{}", text(&refused));
    let all_text = text(&refused);
    assert!(
        all_text.contains(&format!("bucket {bucket} is not empty")),
        "{all_text}"
    );
    assert!(all_text.contains("DeletionPolicy: Retain"), "{all_text}");
    let left = recorded_ids(&state_path);
    assert_eq!(id(&left, "Uploads"), bucket, "{left}");
    assert!(try_boto(&endpoint, "s3", "head_bucket", json!({"Bucket": bucket})).is_ok());

    // Once the object (its only version) is deleted (the policy went with the failed destroy,
    // before the bucket), destroy succeeds and nothing is left.
    boto(
        &endpoint,
        "s3",
        "delete_object",
        json!({"Bucket": bucket, "Key": "tmp/report.csv", "VersionId": version}),
    );
    let out = ok(&destroy());
    assert!(out.contains("Destroy complete!"), "{out}");
    assert_eq!(state(&state_path)["resources"], json!({}));
    let left = all(
        &endpoint,
        &[
            ("s3", "list_buckets", json!({})),
            ("dynamodb", "list_tables", json!({})),
        ],
    );
    assert_eq!(left[0]["Buckets"], json!([]), "{}", left[0]);
    assert_eq!(left[1]["TableNames"], json!([]), "{}", left[1]);
}
