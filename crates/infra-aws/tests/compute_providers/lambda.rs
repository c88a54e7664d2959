//! The Lambda function: inline code, create → read → update → delete → read; and a role not
//! yet visible classed as eventually consistent.

use infra_aws::provider::{FailureClass, Observation};
use serde_json::json;

use crate::harness::*;
use crate::support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_function_with_inline_code() {
    let env = Env::new("fn").await;
    let role = lambda_role(&env, "compute-test-fn-role").await;
    let address = "Stack.Function";
    let props = json!({
        "Code": {"ZipFile": "exports.handler = async function(event) { return event; };\n"},
        "Handler": "index.handler",
        "Runtime": "nodejs20.x",
        "Timeout": 30,
        "MemorySize": "256",
        "Role": role,
        "Description": "echoes",
        "Environment": {"Variables": {"MODE": "test"}},
        "Tags": [{"Key": "team", "Value": "compute"}]
    });
    let out = env.create(FUNCTION, address, props.clone()).await;
    let name = out.physical_id.clone();
    assert_eq!(name, "fn-Stack-Function-GEN");
    assert!(
        attr(&out, "Arn").ends_with(&format!(":function:{name}")),
        "{out:?}"
    );

    // What Lambda holds.
    let got = env
        .lambda
        .get_function()
        .function_name(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetFunction: {e:?}"));
    let config = got.configuration().expect("configuration");
    assert_eq!(config.handler(), Some("index.handler"));
    assert_eq!(config.timeout(), Some(30));
    assert_eq!(config.memory_size(), Some(256));
    assert_eq!(config.role(), Some(role.as_str()));
    assert!(
        config.code_size() > 0,
        "the inline code was zipped and uploaded"
    );
    let tags = got.tags().cloned().unwrap_or_default();
    assert_eq!(tags.get("team").map(String::as_str), Some("compute"));
    assert_eq!(tags.get("infra:address").map(String::as_str), Some(address));

    // Read.
    let observation = env.read_one(FUNCTION, address, &out, &props).await;
    let (observed, attributes) = present(&observation);
    for key in [
        "Handler",
        "Runtime",
        "Timeout",
        "MemorySize",
        "Role",
        "Environment",
        "Tags",
    ] {
        assert_eq!(observed[key], props[key], "{key}");
    }
    assert_eq!(attributes.get("Arn"), out.attributes.get("Arn"));

    // Update Timeout in place.
    let mut after = props.clone();
    after["Timeout"] = json!(60);
    let updated = env.update(FUNCTION, address, &out, &props, &after).await;
    assert_eq!(updated.physical_id, name);
    let config = env
        .lambda
        .get_function_configuration()
        .function_name(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetFunctionConfiguration: {e:?}"));
    assert_eq!(config.timeout(), Some(60));
    assert_eq!(config.memory_size(), Some(256), "the rest stays");

    // Delete, gone, second delete fine.
    env.delete(FUNCTION, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    assert_eq!(
        env.read_one(FUNCTION, address, &updated, &after).await,
        Observation::Gone
    );
    env.delete(FUNCTION, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("second delete: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_role_not_yet_visible_is_eventually_consistent() {
    let env = Env::new("fnrole").await;
    let err = env
        .try_create(
            FUNCTION,
            "Stack.Early",
            json!({
                "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
                "Handler": "index.handler",
                "Runtime": "python3.12",
                "Role": format!("arn:aws:iam::{}:role/not-made-yet", support::ACCOUNT_ID),
            }),
        )
        .await
        .expect_err("the role does not exist (yet)");
    assert_eq!(
        err.class,
        FailureClass::EventuallyConsistent,
        "{}",
        err.message
    );
    assert!(
        err.message.contains("cannot be assumed by Lambda"),
        "{}",
        err.message
    );
}
