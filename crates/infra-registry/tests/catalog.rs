//! The catalog of every type: its size, known facts from the vendored
//! schemas, and agreement with the full registry for the supported types.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use infra_registry::catalog::{self, CatalogEntry, Handlers};
use infra_registry::{ResourceType, supported_types};

fn get(type_name: &str) -> &'static CatalogEntry {
    catalog::lookup(type_name).unwrap_or_else(|| panic!("{type_name} is not in the catalog"))
}

fn set(paths: &[&'static str]) -> BTreeSet<&'static str> {
    paths.iter().copied().collect()
}

const ALL_HANDLERS: Handlers = Handlers {
    create: true,
    read: true,
    update: true,
    delete: true,
    list: true,
};

#[test]
fn catalog_has_every_line_of_the_vendored_file_sorted() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/catalog.jsonl");
    let text = fs::read_to_string(&path).expect("schemas/catalog.jsonl");
    let names: Vec<String> = text
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            value["typeName"].as_str().expect("typeName").to_owned()
        })
        .collect();

    let all = catalog::all();
    assert!(all.len() > 1_000, "{} types", all.len());
    assert_eq!(
        all.iter().map(|entry| entry.name).collect::<Vec<_>>(),
        names
    );
    assert!(all.windows(2).all(|pair| pair[0].name < pair[1].name));
    for entry in all {
        assert!(std::ptr::eq(get(entry.name), entry));
        assert!(!entry.primary_identifier.is_empty(), "{}", entry.name);
        assert!(
            entry
                .properties
                .windows(2)
                .all(|pair| pair[0].name < pair[1].name),
            "{}",
            entry.name
        );
        for property in entry.properties {
            assert!(entry.property(property.name).is_some(), "{}", entry.name);
            assert_eq!(
                property.create_only,
                entry.create_only.contains(&property.name)
            );
            assert_eq!(property.read_only, entry.read_only.contains(&property.name));
            assert_eq!(
                property.write_only,
                entry.write_only.contains(&property.name)
            );
        }
        for rule in entry.property_transform {
            assert_eq!(entry.property_transform(rule.path), Some(rule.expression));
        }
        if let Some(tag_property) = entry.tagging.tag_property {
            let first = tag_property.split('/').next().unwrap_or(tag_property);
            assert!(entry.property(first).is_some(), "{}", entry.name);
        }
    }
}

#[test]
fn unknown_types_are_not_found() {
    assert!(catalog::lookup("AWS::Nothing::Here").is_none());
    assert!(catalog::lookup("aws::sqs::queue").is_none());
    assert!(catalog::lookup("Custom::AsgDestroyer").is_none());
    assert!(catalog::lookup("").is_none());
}

#[test]
fn sqs_queue() {
    let queue = get("AWS::SQS::Queue");
    assert_eq!(queue.handlers, ALL_HANDLERS);
    assert!(queue.handlers.provisionable());
    assert_eq!(queue.primary_identifier, ["QueueUrl"]);
    assert_eq!(set(queue.create_only), set(&["FifoQueue", "QueueName"]));
    let name = queue.property("QueueName").expect("QueueName");
    assert!(name.create_only && !name.required && !name.read_only && !name.write_only);
    assert!(queue.property("QueueUrl").expect("QueueUrl").read_only);
    assert!(queue.is_create_only("QueueName"));
    assert!(!queue.is_create_only("VisibilityTimeout"));
    assert!(queue.tagging.taggable);
    assert_eq!(queue.tagging.tag_property, Some("Tags"));
    assert!(queue.property_transform.is_empty());
    assert!(queue.is_native());
}

#[test]
fn vpc() {
    let vpc = get("AWS::EC2::VPC");
    assert_eq!(vpc.primary_identifier, ["VpcId"]);
    assert_eq!(vpc.handlers, ALL_HANDLERS);
    assert!(vpc.is_create_only("CidrBlock"));
    assert!(vpc.is_read_only("VpcId"));
    assert!(vpc.is_native());
}

#[test]
fn types_without_handlers_cannot_be_provisioned() {
    let no_handlers = Handlers {
        create: false,
        read: false,
        update: false,
        delete: false,
        list: false,
    };
    for name in ["AWS::AppMesh::Mesh", "AWS::CodeBuild::Project"] {
        let entry = get(name);
        assert_eq!(entry.handlers, no_handlers, "{name}");
        assert!(!entry.handlers.provisionable(), "{name}");
    }
    let without_create = catalog::all()
        .iter()
        .filter(|entry| !entry.handlers.create)
        .count();
    assert!(
        (50..500).contains(&without_create),
        "{without_create} types without a create handler"
    );
    // Some types have every handler but update: every change replaces them.
    assert!(
        catalog::all()
            .iter()
            .any(|entry| entry.handlers.provisionable() && !entry.handlers.update)
    );
}

#[test]
fn composite_identifiers_keep_the_schema_order() {
    let attachment = get("AWS::EC2::VPCGatewayAttachment");
    assert_eq!(attachment.primary_identifier, ["AttachmentType", "VpcId"]);
}

#[test]
fn property_transforms_are_kept_as_strings() {
    let cluster = get("AWS::RDS::DBCluster");
    assert_eq!(
        cluster.property_transform("Engine"),
        Some("$lowercase(Engine)")
    );
    // Written `properties/MaximumDuration` (no leading `/`) in the schema.
    let simulation = get("AWS::SimSpaceWeaver::Simulation");
    assert_eq!(
        simulation.property_transform("MaximumDuration"),
        Some("$uppercase(MaximumDuration)")
    );
    let with_rules = catalog::all()
        .iter()
        .filter(|entry| !entry.property_transform.is_empty())
        .count();
    assert!(with_rules > 50, "{with_rules} types with propertyTransform");
}

#[test]
fn tagging_edge_cases() {
    // A nested tag property.
    let reservation = get("AWS::EC2::CapacityReservation");
    assert!(reservation.tagging.taggable);
    assert_eq!(
        reservation.tagging.tag_property,
        Some("TagSpecifications/*/Tags")
    );
    // Says `"taggable": true` but has no property to carry tags.
    let static_ip = get("AWS::Lightsail::StaticIp");
    assert!(!static_ip.tagging.taggable);
    assert_eq!(static_ip.tagging.tag_property, None);
    // No `tagging` block: taggable (the default) when `Tags` is declared.
    let mesh = get("AWS::AppMesh::Mesh");
    assert!(mesh.tagging.taggable);
    assert_eq!(mesh.tagging.tag_property, Some("Tags"));
    assert!(
        !get("AWS::CloudFormation::WaitConditionHandle")
            .tagging
            .taggable
    );
    // Not taggable by its `tagging` block.
    assert!(!get("AWS::EC2::VPCGatewayAttachment").tagging.taggable);
}

#[test]
fn write_only_paths_can_be_nested() {
    let function = get("AWS::Lambda::Function");
    assert!(function.is_write_only("Code/ZipFile"));
    assert!(!function.is_write_only("Code"));
}

#[test]
fn non_aws_vendors_are_included() {
    let skill = get("Alexa::ASK::Skill");
    assert_eq!(skill.primary_identifier, ["Id"]);
    assert!(!skill.handlers.create);
}

/// The supported type `resource_type` has the same facts in the catalog as
/// in the full registry: both come from the same schema.
fn assert_consistent(resource_type: &ResourceType) {
    let name = resource_type.name;
    let entry = get(name);
    assert!(entry.is_native(), "{name}");
    assert_eq!(
        entry
            .properties
            .iter()
            .map(|property| property.name)
            .collect::<Vec<_>>(),
        resource_type
            .properties
            .iter()
            .map(|property| property.name)
            .collect::<Vec<_>>(),
        "{name}: properties"
    );
    assert_eq!(
        entry.required().collect::<BTreeSet<_>>(),
        set(resource_type.required),
        "{name}: required"
    );
    assert_eq!(
        set(entry.create_only),
        set(resource_type.create_only),
        "{name}: create-only"
    );
    assert_eq!(
        set(entry.read_only),
        set(resource_type.read_only),
        "{name}: read-only"
    );
    assert_eq!(
        set(entry.write_only),
        set(resource_type.write_only),
        "{name}: write-only"
    );
    assert_eq!(
        entry.primary_identifier, resource_type.primary_identifier,
        "{name}: primary identifier"
    );
    assert_eq!(entry.tagging, resource_type.tagging, "{name}: tagging");
    for property in entry.properties {
        assert_eq!(
            property.create_only,
            resource_type.create_only.contains(&property.name),
            "{name}.{}",
            property.name
        );
        assert_eq!(
            property.read_only,
            resource_type.read_only.contains(&property.name),
            "{name}.{}",
            property.name
        );
        assert_eq!(
            property.write_only,
            resource_type.write_only.contains(&property.name),
            "{name}.{}",
            property.name
        );
    }
}

#[test]
fn every_supported_type_agrees_with_the_full_registry() {
    let types = supported_types();
    assert_eq!(types.len(), 76);
    // Natively supported although AWS's registry gives them no handler: Cloud Control cannot
    // deploy them, only infra's own providers.
    let without_handlers = ["AWS::IAM::AccessKey", "AWS::IAM::UserToGroupAddition"];
    for resource_type in types {
        assert_consistent(resource_type);
        let handlers = get(resource_type.name).handlers;
        let handled = handlers.create && handlers.delete;
        assert_eq!(
            handled,
            !without_handlers.contains(&resource_type.name),
            "{}",
            resource_type.name
        );
    }
    // Natively supported, but Cloud Control could not read it back.
    let policy = get("AWS::IAM::Policy").handlers;
    assert!(!policy.read && !policy.list && policy.update && !policy.provisionable());
    assert!(!get("AWS::EC2::SubnetRouteTableAssociation").handlers.update);
    let native = catalog::all()
        .iter()
        .filter(|entry| entry.is_native())
        .count();
    assert_eq!(native, types.len());
}
