//! The task definition: an awsvpc nginx task with awslogs registered, read, retagged in place,
//! refused a change that needs a new revision, and deregistered.

use infra_aws::provider::{FailureClass, Observation};
use serde_json::json;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_definition_create_read_update_delete() {
    let env = Env::new().await;
    let address = "ServiceStack.TaskDefinition";
    let role = "arn:aws:iam::123456789012:role/itest-exec";
    let mut props = nginx_task("itest-web", "/itest/web", role);
    props["Tags"] = json!([{"Key": "app", "Value": "web"}]);
    let out = env.create(TASK_DEFINITION, address, &props, None).await;
    assert!(
        out.physical_id.ends_with(":task-definition/itest-web:1"),
        "{}",
        out.physical_id
    );
    assert_eq!(out.attributes["TaskDefinitionArn"], json!(out.physical_id));

    let described = env
        .ecs
        .describe_task_definition()
        .task_definition(&out.physical_id)
        .include(aws_sdk_ecs::types::TaskDefinitionField::Tags)
        .send()
        .await
        .expect("DescribeTaskDefinition");
    let td = described.task_definition().expect("task definition");
    assert_eq!(td.network_mode().map(|m| m.as_str()), Some("awsvpc"));
    assert_eq!(td.cpu(), Some("256"));
    assert_eq!(td.memory(), Some("512"));
    assert_eq!(td.execution_role_arn(), Some(role));
    let container = td.container_definitions().first().expect("container");
    assert_eq!(container.name(), Some("itest-web"));
    assert_eq!(container.memory(), Some(512));
    assert_eq!(
        container
            .port_mappings()
            .first()
            .and_then(|p| p.host_port()),
        Some(80)
    );
    let log = container.log_configuration().expect("log configuration");
    assert_eq!(log.log_driver().as_str(), "awslogs");
    assert_eq!(
        log.options()
            .and_then(|o| o.get("awslogs-group"))
            .map(String::as_str),
        Some("/itest/web")
    );
    assert_eq!(
        tags(described.tags()).get("app").map(String::as_str),
        Some("web")
    );

    let (observed, _) = present(
        env.read(TASK_DEFINITION, address, &out.physical_id, &props)
            .await,
    );
    assert_eq!(observed, props);

    // Tags change in place; anything else needs a new revision (replacement).
    let mut retagged = props.clone();
    retagged["Tags"] = json!([{"Key": "app", "Value": "api"}]);
    let updated = env
        .update(TASK_DEFINITION, address, &out, &props, &retagged)
        .await;
    assert_eq!(updated.physical_id, out.physical_id);
    let (observed, _) = present(
        env.read(TASK_DEFINITION, address, &out.physical_id, &retagged)
            .await,
    );
    assert_eq!(observed["Tags"], json!([{"Key": "app", "Value": "api"}]));
    let mut bigger = retagged.clone();
    bigger["Memory"] = json!("1024");
    let err = env
        .try_update(TASK_DEFINITION, address, &out, &retagged, &bigger)
        .await
        .expect_err("a new revision is a replacement");
    assert_eq!(err.class, FailureClass::Fatal);

    // A container definition key infra does not know is refused by its path.
    let mut unknown = props.clone();
    unknown["ContainerDefinitions"][0]["Bogus"] = json!(true);
    let err = env
        .try_create(TASK_DEFINITION, "Bad.Task", &unknown, None)
        .await
        .expect_err("refused");
    assert!(
        err.message.contains("ContainerDefinitions[0].Bogus"),
        "{}",
        err.message
    );

    env.delete(TASK_DEFINITION, address, &out.physical_id, &retagged)
        .await;
    // Deregistered revisions stay describable as INACTIVE: refresh calls them gone.
    assert_eq!(
        env.read(TASK_DEFINITION, address, &out.physical_id, &retagged)
            .await,
        Observation::Gone
    );
    env.delete(TASK_DEFINITION, address, &out.physical_id, &retagged)
        .await;
}
