//! The catalog of native providers and the refused properties of each type.

use super::*;
use crate::provider::DeployPath;

#[test]
fn the_catalog_has_a_native_provider_for_every_type_of_the_registry() {
    let catalog = catalog();
    let listed: Vec<&str> = catalog.types().collect();
    let known: Vec<&str> = infra_registry::supported_types()
        .iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(listed, known);
    for type_name in listed {
        let provider = catalog.get(type_name).expect("listed");
        assert_eq!(provider.type_name(), type_name);
        let coverage = provider.coverage();
        assert_eq!(coverage.path, DeployPath::Native, "{type_name}");
        assert!(!coverage.refresh_calls.is_empty(), "{type_name}");
        assert!(!coverage.find_by.is_empty(), "{type_name}");
    }
}

#[test]
fn refused_properties_are_settable_top_level_properties() {
    for rt in infra_registry::supported_types() {
        let type_name = rt.name;
        for name in refused_properties(type_name) {
            assert!(
                rt.property(name).is_some(),
                "{type_name} has no top-level property {name}"
            );
            assert!(
                !rt.is_read_only(name),
                "{type_name} property {name} is read-only, not an unsupported property"
            );
        }
    }
}

#[test]
fn refused_properties_of_each_family() {
    assert_eq!(
        refused_properties("AWS::EC2::VPC"),
        &["VpcEncryptionControl"]
    );
    assert_eq!(refused_properties("AWS::EC2::EIP"), &["TransferAddress"]);
    assert_eq!(
        refused_properties("AWS::EC2::FlowLog"),
        &["TagFieldSpecifications"]
    );
    assert_eq!(
        refused_properties("AWS::Logs::LogGroup"),
        &["ResourcePolicyDocument"]
    );
    assert!(refused_properties("AWS::Lambda::Function").contains(&"DurableConfig"));
    assert!(refused_properties("AWS::AutoScaling::AutoScalingGroup").contains(&"TrafficSources"));
    // In the schema's (alphabetical) order, as the generated keys list them.
    assert_eq!(
        refused_properties("AWS::ECS::CapacityProvider"),
        &["ClusterName", "ManagedInstancesProvider"]
    );
    // Attributes written as properties are refused at apply, but are not "not supported
    // yet".
    let service = refused_properties("AWS::ECS::Service");
    assert!(service.contains(&"Monitoring"), "{service:?}");
    assert!(!service.contains(&"ServiceArn"), "{service:?}");
    assert!(refused_properties("AWS::ECS::Cluster").is_empty());
    assert!(refused_properties("AWS::IAM::Role").is_empty());
    assert!(refused_properties("AWS::EC2::SecurityGroup").is_empty());
    assert!(refused_properties("AWS::S3::Bucket").contains(&"ReplicationConfiguration"));
}
