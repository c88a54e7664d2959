//! The build script's schema conversion, on small schemas made for the case:
//! recursive definitions, shape rules, and the errors that fail the build;
//! and its conversion of catalog lines.

#[path = "../build/catalog.rs"]
mod catalog;
#[path = "../build/convert.rs"]
mod convert;
#[path = "../build/emit.rs"]
mod emit;
#[path = "../build/getatt.rs"]
mod getatt;
#[path = "../build/model.rs"]
mod model;
#[path = "../build/refs.rs"]
mod refs;

use serde_json::{Value, json};

use model::{ShapeModel, TypeModel};

/// A minimal valid schema with the given properties and definitions.
fn schema(type_name: &str, properties: Value, definitions: Value) -> Value {
    json!({
        "typeName": type_name,
        "properties": properties,
        "definitions": definitions,
        "primaryIdentifier": ["/properties/Id"],
        "readOnlyProperties": ["/properties/Id"],
        "tagging": {"taggable": false},
    })
}

fn convert_ok(schema: &Value) -> TypeModel {
    convert::convert(schema).unwrap_or_else(|error| panic!("conversion failed: {error}"))
}

fn convert_err(schema: &Value) -> String {
    match convert::convert(schema) {
        Ok(model) => panic!("expected an error, got {model:?}"),
        Err(error) => error,
    }
}

fn property<'a>(model: &'a TypeModel, name: &str) -> &'a ShapeModel {
    &model
        .properties
        .iter()
        .find(|property| property.name == name)
        .unwrap_or_else(|| panic!("no property {name}"))
        .shape
}

fn node_schema(type_name: &str) -> Value {
    schema(
        type_name,
        json!({"Id": {"type": "string"}, "Root": {"$ref": "#/definitions/Node"}}),
        json!({"Node": {
            "type": "object",
            "additionalProperties": false,
            "required": ["Name"],
            "properties": {
                "Name": {"type": "string"},
                "Children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}
            }
        }}),
    )
}

#[test]
fn recursive_definition_becomes_a_back_reference() {
    let model = convert_ok(&node_schema("Test::Tree::Node"));
    assert_eq!(property(&model, "Root"), &ShapeModel::Object(0));
    assert_eq!(model.objects.len(), 1);
    let node = &model.objects[0];
    assert_eq!(node.location, "#/definitions/Node");
    assert_eq!(node.required, ["Name"]);
    assert!(!node.additional_properties);
    let children = &node.properties[0];
    assert_eq!(children.name, "Children");
    assert_eq!(
        children.shape,
        ShapeModel::List(Box::new(ShapeModel::Object(0)))
    );

    let source = emit::render(&[model]);
    assert!(
        source.contains("Shape::List(&Shape::Object(&T0_O0))"),
        "{source}"
    );
}

#[test]
fn mutually_recursive_definitions() {
    let model = convert_ok(&schema(
        "Test::Tree::Pair",
        json!({"Id": {"type": "string"}, "A": {"$ref": "#/definitions/A"}}),
        json!({
            "A": {"type": "object", "properties": {"B": {"$ref": "#/definitions/B"}}},
            "B": {"type": "object", "properties": {"A": {"$ref": "#/definitions/A"}}}
        }),
    ));
    assert_eq!(model.objects.len(), 2);
    assert_eq!(model.objects[0].properties[0].shape, ShapeModel::Object(1));
    assert_eq!(model.objects[1].properties[0].shape, ShapeModel::Object(0));
    // No additionalProperties stated: JSON Schema allows them.
    assert!(model.objects[0].additional_properties);
}

#[test]
fn all_property_getatt_walk_stops_at_recursion() {
    // AWS::EC2::VPC is one of the types whose every property is an attribute.
    let model = convert_ok(&node_schema("AWS::EC2::VPC"));
    let names: Vec<&str> = model.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Id", "Root.Children", "Root.Name"]);
    assert!(model.attributes[0].read_only);
    assert!(!model.attributes[2].read_only);
}

#[test]
fn shape_rules() {
    let model = convert_ok(&schema(
        "Test::Shapes::All",
        json!({
            "Id": {"type": "string"},
            "Count": {"type": "integer"},
            "Ratio": {"type": "number"},
            "Flag": {"type": "boolean"},
            "Policy": {"type": ["object", "string"]},
            "Either": {"type": ["string", "array"], "items": {"type": "string"}},
            "Choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "FreeForm": {"type": "object"},
            "Labels": {"type": "object", "patternProperties": {".*": {"type": "string"}}},
            "Untyped": {"type": "array"},
            "Alias": {"$ref": "#/definitions/Name"},
            "Unordered": {"type": "array", "insertionOrder": false, "items": {"type": "string"}},
            "Inline": {"type": "object", "properties": {"X": {"type": "integer"}}},
            "Constrained": {
                "type": "object",
                "properties": {"A": {"type": "string"}, "B": {"type": "string"}},
                "oneOf": [{"required": ["A"]}, {"required": ["B"]}]
            }
        }),
        json!({"Name": {"type": "string", "maxLength": 3}}),
    ));
    assert_eq!(property(&model, "Count"), &ShapeModel::Integer);
    assert_eq!(property(&model, "Ratio"), &ShapeModel::Number);
    assert_eq!(property(&model, "Flag"), &ShapeModel::Boolean);
    assert_eq!(property(&model, "Policy"), &ShapeModel::Json);
    assert_eq!(property(&model, "Either"), &ShapeModel::Any);
    assert_eq!(property(&model, "Choice"), &ShapeModel::Any);
    assert_eq!(property(&model, "FreeForm"), &ShapeModel::Json);
    assert_eq!(property(&model, "Labels"), &ShapeModel::Json);
    assert_eq!(
        property(&model, "Untyped"),
        &ShapeModel::List(Box::new(ShapeModel::Any))
    );
    assert_eq!(property(&model, "Alias"), &ShapeModel::String);
    assert!(matches!(property(&model, "Inline"), ShapeModel::Object(_)));
    assert!(matches!(
        property(&model, "Constrained"),
        ShapeModel::Object(_)
    ));
    let ordered = |name: &str| {
        model
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.insertion_order)
    };
    assert_eq!(ordered("Unordered"), Some(false));
    assert_eq!(ordered("Untyped"), Some(true));
    // Sorted by name.
    assert!(model.properties.windows(2).all(|p| p[0].name < p[1].name));
}

#[test]
fn property_lists_and_defaults() {
    let mut value = node_schema("Test::Tree::Lists");
    value["createOnlyProperties"] = json!(["/properties/Root/Name"]);
    value["writeOnlyProperties"] = json!(["/properties/Root/Children/*/Name"]);
    value["replacementStrategy"] = json!("delete_then_create");
    value["required"] = json!(["Root"]);
    let model = convert_ok(&value);
    assert_eq!(model.create_only, ["Root/Name"]);
    assert_eq!(model.write_only, ["Root/Children/*/Name"]);
    assert_eq!(model.primary_identifier, ["Id"]);
    assert_eq!(model.required, ["Root"]);
    assert!(model.delete_then_create);
    assert!(!model.tagging.taggable);
    assert_eq!(model.tagging.tag_property, None);
}

#[test]
fn tagging_defaults_to_taggable_with_tags() {
    let mut value = node_schema("Test::Tree::Tagged");
    value.as_object_mut().map(|o| o.remove("tagging"));
    // Stating nothing and declaring no `Tags` (AWS::IAM::AccessKey): not taggable.
    assert!(!convert_ok(&value).tagging.taggable);
    // Stating a tagging block without declaring its property is an error.
    value["tagging"] = json!({"taggable": true});
    let error = convert_err(&value);
    assert!(error.contains("tag property"), "{error}");
    value.as_object_mut().map(|o| o.remove("tagging"));

    value["properties"]["Tags"] = json!({"type": "array", "items": {"type": "string"}});
    let model = convert_ok(&value);
    assert!(model.tagging.taggable && model.tagging.tag_on_create && model.tagging.tag_updatable);
    assert_eq!(model.tagging.tag_property.as_deref(), Some("Tags"));

    value["taggable"] = json!(false);
    assert!(!convert_ok(&value).tagging.taggable);
}

/// A change that breaks a schema.
type Mutation = Box<dyn Fn(&mut Value)>;

#[test]
fn malformed_schemas_are_rejected_with_a_reason() {
    let base = node_schema("Test::Tree::Bad");
    let cases: Vec<(&str, Mutation)> = vec![
        ("typeName", Box::new(|s| s["typeName"] = json!(7))),
        (
            "Vendor::Service::Resource",
            Box::new(|s| s["typeName"] = json!("Bad")),
        ),
        ("`properties`", Box::new(|s| s["properties"] = json!([]))),
        (
            "does not define",
            Box::new(|s| s["properties"]["Root"] = json!({"$ref": "#/definitions/Missing"})),
        ),
        (
            "only `#/definitions/<Name>`",
            Box::new(|s| s["properties"]["Root"] = json!({"$ref": "other.json#/Node"})),
        ),
        (
            "refers to itself",
            Box::new(|s| {
                s["definitions"]["Loop"] = json!({"$ref": "#/definitions/Loop2"});
                s["definitions"]["Loop2"] =
                    json!({"type": "array", "items": {"$ref": "#/definitions/Loop"}});
                s["properties"]["Root"] = json!({"$ref": "#/definitions/Loop"});
            }),
        ),
        (
            "unsupported type",
            Box::new(|s| s["properties"]["Root"] = json!({"type": "null"})),
        ),
        (
            "expected a JSON object",
            Box::new(|s| s["properties"]["Root"] = json!("string")),
        ),
        (
            "does not start with /properties/",
            Box::new(|s| s["createOnlyProperties"] = json!(["Root"])),
        ),
        (
            "names no declared property",
            Box::new(|s| s["createOnlyProperties"] = json!(["/properties/Nope"])),
        ),
        (
            "`primaryIdentifier`",
            Box::new(|s| s["primaryIdentifier"] = json!([])),
        ),
        (
            "must be a boolean",
            Box::new(|s| s["tagging"] = json!({"taggable": "yes"})),
        ),
        (
            "replacementStrategy",
            Box::new(|s| s["replacementStrategy"] = json!("sometimes")),
        ),
        (
            "attribute Root.Gone",
            Box::new(|s| s["readOnlyProperties"] = json!(["/properties/Root/Gone"])),
        ),
    ];
    for (expected, mutate) in cases {
        let mut value = base.clone();
        mutate(&mut value);
        let error = convert_err(&value);
        assert!(
            error.contains(expected),
            "expected an error mentioning {expected:?}, got {error:?}"
        );
    }
}

/// A catalog line as `scripts/vendor-schemas` writes it.
fn catalog_line() -> Value {
    json!({
        "typeName": "Test::Queue::Thing",
        "properties": ["Arn", "Name", "Settings", "Tags"],
        "required": ["Settings"],
        "primaryIdentifier": ["/properties/Arn"],
        "createOnlyProperties": ["/properties/Name", "/properties/Settings/Mode"],
        "readOnlyProperties": ["/properties/Arn"],
        "writeOnlyProperties": ["/properties/Settings/Secret"],
        "tagging": {"taggable": true, "tagUpdatable": false},
        "handlers": ["create", "delete", "read"],
        "propertyTransform": {
            "/properties/Name": "$lowercase(Name)",
            "properties/Settings/Mode": "$uppercase(Mode)",
        },
    })
}

fn catalog_ok(line: &Value) -> catalog::CatalogModel {
    catalog::convert(line).unwrap_or_else(|error| panic!("conversion failed: {error}"))
}

#[test]
fn catalog_line_conversion() {
    let model = catalog_ok(&catalog_line());
    assert_eq!(model.name, "Test::Queue::Thing");
    let flags: Vec<(&str, bool, bool, bool, bool)> = model
        .properties
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.required,
                p.create_only,
                p.read_only,
                p.write_only,
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("Arn", false, false, true, false),
            ("Name", false, true, false, false),
            // Only paths below it are create-only and write-only.
            ("Settings", true, false, false, false),
            ("Tags", false, false, false, false),
        ]
    );
    assert_eq!(model.primary_identifier, ["Arn"]);
    assert_eq!(model.create_only, ["Name", "Settings/Mode"]);
    assert_eq!(model.write_only, ["Settings/Secret"]);
    assert!(model.tagging.taggable && model.tagging.tag_on_create);
    assert!(!model.tagging.tag_updatable);
    assert_eq!(model.tagging.tag_property.as_deref(), Some("Tags"));
    assert_eq!(model.handlers, [true, true, false, true, false]);
    assert_eq!(
        model.property_transform,
        [
            ("Name".to_owned(), "$lowercase(Name)".to_owned()),
            ("Settings/Mode".to_owned(), "$uppercase(Mode)".to_owned()),
        ]
    );

    let source = catalog::render(&[model]);
    assert!(source.contains("CATALOG: [CatalogEntry; 1]"), "{source}");
    assert!(source.contains(r#"p("Arn", 4), p("Name", 2), p("Settings", 1), p("Tags", 0)"#));
    assert!(source.contains("handlers: h(11)"), "{source}");
}

#[test]
fn catalog_tagging_needs_a_declared_property() {
    let mut line = catalog_line();
    line["properties"] = json!(["Arn", "Name", "Settings"]);
    line.as_object_mut().map(|o| o.remove("tagging"));
    let model = catalog_ok(&line);
    assert!(!model.tagging.taggable);
    assert_eq!(model.tagging.tag_property, None);

    line["tagging"] = json!({"taggable": true, "tagProperty": "/properties/Settings/Labels"});
    assert_eq!(
        catalog_ok(&line).tagging.tag_property.as_deref(),
        Some("Settings/Labels")
    );
    line["tagging"] = json!({"taggable": false, "tagProperty": "/properties/Settings"});
    assert_eq!(catalog_ok(&line).tagging.tag_property, None);

    line.as_object_mut().map(|o| o.remove("handlers"));
    assert_eq!(catalog_ok(&line).handlers, [false; 5]);
}

#[test]
fn malformed_catalog_lines_are_rejected_with_a_reason() {
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "Vendor::Service::Resource",
            Box::new(|s| s["typeName"] = json!("Bad")),
        ),
        ("`properties`", Box::new(|s| s["properties"] = json!({}))),
        (
            "twice",
            Box::new(|s| s["properties"] = json!(["Arn", "Arn", "Name", "Settings"])),
        ),
        (
            "`primaryIdentifier`",
            Box::new(|s| {
                s.as_object_mut().map(|o| o.remove("primaryIdentifier"));
            }),
        ),
        (
            "names no declared property",
            Box::new(|s| s["writeOnlyProperties"] = json!(["/properties/Gone"])),
        ),
        (
            "`required` names \"Gone\"",
            Box::new(|s| s["required"] = json!(["Gone"])),
        ),
        (
            "unknown handler",
            Box::new(|s| s["handlers"] = json!(["create", "upsert"])),
        ),
        (
            "does not start with /properties/",
            Box::new(|s| s["propertyTransform"] = json!({"Name": "x"})),
        ),
        (
            "must be a string",
            Box::new(|s| s["propertyTransform"] = json!({"/properties/Name": 1})),
        ),
        (
            "`tagProperty` \"Tags\" does not start",
            Box::new(|s| s["tagging"] = json!({"tagProperty": "Tags"})),
        ),
    ];
    for (expected, mutate) in cases {
        let mut line = catalog_line();
        mutate(&mut line);
        match catalog::convert(&line) {
            Ok(model) => panic!("expected an error mentioning {expected:?}, got {model:?}"),
            Err(error) => assert!(
                error.contains(expected),
                "expected an error mentioning {expected:?}, got {error:?}"
            ),
        }
    }
}
