//! `state/schema.json` against real state files: what infra writes must validate, the schema
//! must declare exactly the fields infra writes, and it must reject what infra would refuse.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use infra_state::StateFile;
use jsonschema::Validator;
use serde_json::{Value, json};

use crate::roundtrip::golden_inputs;
use crate::support::{sample_state, state_dir};

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../state/schema.json");
    let text = fs::read_to_string(&path).expect("read state/schema.json");
    serde_json::from_str(&text).expect("state/schema.json is JSON")
}

fn validator() -> Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("state/schema.json is a valid schema")
}

/// A state file as infra writes it, parsed.
fn written_sample() -> Value {
    let (_directory, path) = state_dir();
    let (mut file, _) = StateFile::open(&path).expect("open");
    file.write(&mut sample_state("demo")).expect("write");
    serde_json::from_slice(&fs::read(&path).expect("read")).expect("JSON")
}

#[track_caller]
fn assert_valid(validator: &Validator, document: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema rejects a state infra wrote: {errors:#?}"
    );
}

#[test]
fn schema_is_valid_draft_2020_12() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("state/schema.json: {error}");
    }
}

#[test]
fn written_states_and_golden_files_validate() {
    let validator = validator();
    assert_valid(&validator, &written_sample());
    let (_directory, path) = state_dir();
    let (mut file, mut empty) = StateFile::load_or_new(&path, "demo").expect("load_or_new");
    file.write(&mut empty).expect("write");
    assert_valid(
        &validator,
        &serde_json::from_slice(&fs::read(&path).expect("read")).expect("JSON"),
    );
    // The golden outputs are what infra writes (the inputs are older versions).
    for golden in golden_inputs() {
        let golden = golden.to_string_lossy().replace(".in.json", ".out.json");
        let document = serde_json::from_slice(&fs::read(&golden).expect("read")).expect("JSON");
        assert_valid(&validator, &document);
    }
}

#[test]
fn top_level_fields_match_the_schema_both_ways() {
    let schema = schema();
    let declared: BTreeSet<&String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .collect();
    let written = written_sample();
    let present: BTreeSet<&String> = written.as_object().expect("object").keys().collect();
    assert_eq!(declared, present);
}

/// Every property an object schema declares is required, directly or by one of its `oneOf`
/// branches, because infra always writes every field.
#[test]
fn every_declared_field_is_required() {
    fn check(at: &str, node: &Value) {
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            let mut required: BTreeSet<&str> = names(node.get("required"));
            for branch in node
                .get("oneOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                required.extend(names(branch.get("required")));
            }
            let declared: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
            assert_eq!(declared, required, "at {at}");
        }
        // Walk subschemas only, by keyword: a property may itself be named `properties`.
        for keyword in ["properties", "$defs"] {
            for (name, child) in node
                .get(keyword)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                check(&format!("{at}/{keyword}/{name}"), child);
            }
        }
        for keyword in ["additionalProperties", "items"] {
            if let Some(child) = node.get(keyword) {
                check(&format!("{at}/{keyword}"), child);
            }
        }
        for (index, child) in node
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            check(&format!("{at}/oneOf/{index}"), child);
        }
    }
    fn names(list: Option<&Value>) -> BTreeSet<&str> {
        list.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }
    check("#", &schema());
}

/// What is wrong with a document, and how to make it so.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn schema_rejects_what_infra_refuses() {
    let validator = validator();
    let sample = written_sample();
    let broken: [Breakage; 15] = [
        ("newer version", |document| document["version"] = json!(4)),
        ("missing lineage", |document| {
            document
                .as_object_mut()
                .map(|object| object.remove("lineage"));
        }),
        ("unknown field", |document| {
            document["colour"] = json!("blue")
        }),
        ("serial 0", |document| document["serial"] = json!(0)),
        ("unknown status", |document| {
            document["resources"]["VpcStack.VPC"]["status"] = json!("deleted");
        }),
        ("unknown path", |document| {
            document["resources"]["VpcStack.VPC"]["path"] = json!("terraform");
        }),
        ("unknown deletion policy", |document| {
            document["resources"]["VpcStack.VPC"]["deletion_policy"] = json!("snapshot");
        }),
        (
            "update replace policy retain except on create",
            |document| {
                document["resources"]["VpcStack.VPC"]["update_replace_policy"] =
                    json!("retain_except_on_create");
            },
        ),
        ("intent without its policy", |document| {
            document["pending"][0]
                .as_object_mut()
                .map(|object| object.remove("deletion_policy"));
        }),
        ("retained without its policy", |document| {
            document["retained"][0]["retained_by"] = json!("template");
        }),
        ("unknown action", |document| {
            document["pending"][0]["action"] = json!("update")
        }),
        ("value and redacted", |document| {
            document["parameters"]["VpcCidr"]["redacted"] =
                document["parameters"]["DbPassword"]["redacted"].clone();
        }),
        ("output with neither", |document| {
            document["outputs"]["VpcId"]
                .as_object_mut()
                .map(|object| object.remove("value"));
        }),
        ("import without exporter", |document| {
            document["imports"]["network:SubnetIds"]
                .as_object_mut()
                .map(|object| object.remove("exporter"));
        }),
        ("bad timestamp", |document| {
            document["pending"][0]["started"] = json!("yesterday")
        }),
    ];
    for (what, breaks) in broken {
        let mut document = sample.clone();
        breaks(&mut document);
        assert!(
            !validator.is_valid(&document),
            "schema accepts a state with {what}"
        );
    }
}
