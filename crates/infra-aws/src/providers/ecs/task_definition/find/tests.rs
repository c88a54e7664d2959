use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair, PortMapping, TransportProtocol};
use serde_json::json;

use super::*;

fn spec() -> Value {
    let properties = json!({
            "Family": "web",
            "Cpu": 256,
            "ContainerDefinitions": [{
                "Name": "web",
                "Image": "nginx",
                "PortMappings": [{"ContainerPort": 80}],
                "Environment": [{"Name": "B", "Value": "2"}, {"Name": "A", "Value": "1"}]
            }]
    });
    let client = crate::providers::ecs::request_tests::client();
    parse(&properties, Ctx::new(TYPE, "Test"), &client).expect("parses");
    properties
}

fn registered(image: &str) -> TaskDefinition {
    let container = ContainerDefinition::builder()
        .name("web")
        .image(image)
        .essential(true)
        .port_mappings(
            PortMapping::builder()
                .container_port(80)
                .host_port(80)
                .protocol(TransportProtocol::Tcp)
                .build(),
        )
        .environment(KeyValuePair::builder().name("A").value("1").build())
        .environment(KeyValuePair::builder().name("B").value("2").build())
        .build();
    TaskDefinition::builder()
        .family("web")
        .cpu("256")
        .network_mode(aws_sdk_ecs::types::NetworkMode::Bridge)
        .container_definitions(container)
        .build()
}

#[test]
fn defaults_filled_in_are_the_same_revision_other_values_are_not() {
    assert!(same_revision(&spec(), &registered("nginx")));
    assert!(!same_revision(&spec(), &registered("httpd")));
    let mut more = registered("nginx");
    more.cpu = Some("512".into());
    assert!(!same_revision(&spec(), &more));
}

#[test]
fn revisions_are_read_from_arns() {
    assert_eq!(
        revision_of("arn:aws:ecs:us-east-1:1:task-definition/web:12"),
        Some(("web", 12))
    );
    assert_eq!(revision_of("arn:aws:ecs:us-east-1:1:cluster/web"), None);
}
