//! Unit tests of `AWS::Lambda::Function`: inline code, code sources, refusals and the zip
//! writer.

use super::*;
use serde_json::{Value, json};

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Stack.Fn")
}

fn inline(runtime: &str, handler: &str) -> Value {
    json!({
        "Code": {"ZipFile": "exports.handler = async () => 1;"},
        "Handler": handler,
        "Runtime": runtime,
        "Role": "arn:aws:iam::123456789012:role/r",
    })
}

/// Whether the spec's code is a zip holding a file named `file`.
fn zipped_as(spec: &Spec, file: &[u8]) -> bool {
    let zip = spec.code.zip_file().map(|z| z.as_ref()).unwrap_or_default();
    zip.windows(file.len()).any(|w| w == file)
}

#[test]
fn inline_code_goes_in_index() {
    let spec = parse(&inline("nodejs20.x", "index.handler"), ctx()).expect("parses");
    assert!(zipped_as(&spec, b"index.js"));
    let spec = parse(&inline("python3.12", "index.lambda_handler"), ctx()).expect("parses");
    assert!(zipped_as(&spec, b"index.py"));
    let err = parse(&inline("java21", "index.handler"), ctx()).expect_err("not inline");
    assert!(
        err.message.contains("Node.js and Python"),
        "{}",
        err.message
    );
    let err = parse(&inline("nodejs20.x", "app.handler"), ctx()).expect_err("not index");
    assert!(err.message.contains("module index"), "{}", err.message);
}

#[test]
fn code_needs_exactly_one_source() {
    let mut props = inline("nodejs20.x", "index.handler");
    props["Code"]["S3Bucket"] = json!("b");
    assert!(parse(&props, ctx()).is_err());
    let props = json!({"Code": {"S3Bucket": "b", "S3Key": "k.zip"}, "Role": "r",
                       "Handler": "app.handler", "Runtime": "java21"});
    let spec = parse(&props, ctx()).expect("S3 code");
    assert_eq!(
        (spec.code.s3_bucket(), spec.code.s3_key()),
        (Some("b"), Some("k.zip"))
    );
}

#[test]
fn refuses_unmapped_properties() {
    let mut props = inline("nodejs20.x", "index.handler");
    props["TenancyConfig"] = json!({"TenantIsolationMode": "PER_TENANT"});
    let err = parse(&props, ctx()).expect_err("refused");
    assert!(err.message.contains("TenancyConfig"), "{}", err.message);
    let mut props = inline("nodejs20.x", "index.handler");
    props["Code"]["S3ObjectStorageMode"] = json!("x");
    let err = parse(&props, ctx()).expect_err("refused");
    assert!(
        err.message.contains("Code.S3ObjectStorageMode"),
        "{}",
        err.message
    );
}

#[test]
fn crc32_matches_the_check_value() {
    assert_eq!(zip::crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(zip::crc32(b""), 0);
}

#[test]
fn zip_has_one_stored_readable_entry() {
    let data = b"print('hi')\n";
    let archive = zip::single_file("index.py", data).expect("zips");
    // Local header, name, data.
    assert_eq!(&archive[0..4], &[0x50, 0x4b, 0x03, 0x04]);
    assert_eq!(&archive[30..38], b"index.py");
    assert_eq!(&archive[38..38 + data.len()], data);
    let crc = u32::from_le_bytes(archive[14..18].try_into().expect("4 bytes"));
    assert_eq!(crc, zip::crc32(data));
    // End record: one entry, the directory right after the data.
    let end = &archive[archive.len() - 22..];
    assert_eq!(&end[0..4], &[0x50, 0x4b, 0x05, 0x06]);
    assert_eq!(u16::from_le_bytes([end[10], end[11]]), 1);
    let dir_offset = u32::from_le_bytes(end[16..20].try_into().expect("4 bytes")) as usize;
    assert_eq!(dir_offset, 38 + data.len());
    assert_eq!(
        &archive[dir_offset..dir_offset + 4],
        &[0x50, 0x4b, 0x01, 0x02]
    );
    // External attributes: regular file, mode 0644.
    let attrs = u32::from_le_bytes(
        archive[dir_offset + 38..dir_offset + 42]
            .try_into()
            .expect("4 bytes"),
    );
    assert_eq!(attrs >> 16, 0o100_644);
    // The same code makes the same package.
    assert_eq!(archive, zip::single_file("index.py", data).expect("zips"));
}

/// The CreateFunction request of `props` (built on a client that never sends it).
fn create(
    props: &Value,
) -> Result<
    aws_sdk_lambda::operation::create_function::builders::CreateFunctionInputBuilder,
    ProviderError,
> {
    let config = aws_sdk_lambda::Config::builder()
        .behavior_version(aws_sdk_lambda::config::BehaviorVersion::latest())
        .region(aws_sdk_lambda::config::Region::new("us-east-1"))
        .build();
    let client = aws_sdk_lambda::Client::from_conf(config);
    let request = crate::generated::lambda::create_function(
        &props::props(props, ctx())?,
        client.create_function(),
    )?;
    Ok(request.as_input().clone())
}

#[test]
fn configuration_objects_are_read_as_the_api_takes_them() {
    let mut props = inline("nodejs20.x", "index.handler");
    props["VpcConfig"] = json!({"SubnetIds": ["subnet-1"]});
    props["TracingConfig"] = json!({});
    props["DeadLetterConfig"] = json!({"TargetArn": "arn:sqs"});
    props["SnapStart"] = json!({"ApplyOn": "PublishedVersions"});
    let spec = create(&props).expect("parses");
    let vpc = spec.get_vpc_config().clone().expect("a VPC configuration");
    assert_eq!(vpc.subnet_ids(), ["subnet-1"]);
    assert!(vpc.security_group_ids.is_some_and(|g| g.is_empty()));
    assert!(
        spec.get_tracing_config().is_none(),
        "an empty TracingConfig is none"
    );
    assert_eq!(
        spec.get_dead_letter_config()
            .clone()
            .and_then(|d| d.target_arn),
        Some("arn:sqs".into())
    );
    assert!(spec.get_snap_start().is_some());
    props["EphemeralStorage"] = json!({});
    let err = create(&props).expect_err("Size is required");
    assert!(
        err.message.contains("EphemeralStorage.Size"),
        "{}",
        err.message
    );
    props["EphemeralStorage"] = json!({"Size": 1024});
    props["Arn"] = json!("arn:x");
    let err = parse(&props, ctx()).expect_err("an attribute");
    assert!(
        err.message.contains("Arn is not supported"),
        "{}",
        err.message
    );
}
