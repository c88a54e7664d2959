//! Across the compute types: registration in `providers::all`, and `find` after an
//! interrupted create.

use infra_aws::providers::compute;
use serde_json::json;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_registers_the_compute_types() {
    let providers = infra_aws::providers::all(&config().await);
    for type_name in compute::TYPES {
        assert!(providers.get(type_name).is_some(), "{type_name}");
    }
}

/// `find` after an interrupted create, for every compute type: nothing before the create, what
/// the create returned after it, nothing for another resource's tags; nothing once deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_what_an_interrupted_create_made() {
    let env = Env::new("find").await;
    let (_vpc, subnets) = network(&env).await;
    let lt_props = launch_template_props("t3.micro");
    let lt = env
        .create_and_find(LAUNCH_TEMPLATE, "Find.Template", &lt_props)
        .await;
    let asg_props = json!({
        "VPCZoneIdentifier": subnets,
        "LaunchTemplate": {"LaunchTemplateId": lt.physical_id, "Version": "$Latest"},
        "MinSize": 0,
        "MaxSize": 1,
        "DesiredCapacity": 0
    });
    let asg = env.create_and_find(GROUP, "Find.Group", &asg_props).await;
    let role = lambda_role(&env, "compute-test-find-role").await;
    let fn_props = json!({
        "Code": {"ZipFile": "exports.handler = async function(event) { return event; };\n"},
        "Handler": "index.handler",
        "Runtime": "nodejs20.x",
        "Role": role
    });
    let function = env
        .create_and_find(FUNCTION, "Find.Function", &fn_props)
        .await;
    for (type_name, address, out, props) in [
        (FUNCTION, "Find.Function", &function, &fn_props),
        (GROUP, "Find.Group", &asg, &asg_props),
        (LAUNCH_TEMPLATE, "Find.Template", &lt, &lt_props),
    ] {
        env.delete(type_name, address, out, props)
            .await
            .unwrap_or_else(|e| panic!("delete {address}: {e}"));
        assert_eq!(
            env.find(type_name, address, props, address, None).await,
            None,
            "{address} is deleted"
        );
    }
}
