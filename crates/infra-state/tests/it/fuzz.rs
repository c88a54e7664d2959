//! The reader never panics, whatever the bytes, and whatever it accepts it can write back:
//! random bytes, random JSON documents, edits of a valid state file, and random valid states.
//!
//! Each property runs proptest's default number of cases (256); `PROPTEST_CASES` sets another,
//! `PROPTEST_RNG_SEED` fixes the seed (`scripts/fuzz` runs them longer).

use std::fs;
use std::path::{Path, PathBuf};

use infra_state::{
    DeletionPolicy, Intent, IntentAction, OutputRecord, RecordedValue, ResourcePath,
    ResourceRecord, ResourceStatus, RetainedBy, RetainedRecord, State, StateError, Timestamp,
    UpdateReplacePolicy, Uuid, decode_state, encode_state,
};
use proptest::prelude::*;
use serde_json::Value;

fn golden_bytes() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/roundtrip/v1-full.in.json");
    fs::read(path).expect("read golden file")
}

/// Decodes `bytes`; if that succeeds, the state must survive being written and read again.
fn check_decode(bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = PathBuf::from("state/fuzz.json");
    if let Ok(state) = decode_state(&path, bytes) {
        let encoded =
            encode_state(&state).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let again = decode_state(&path, &encoded)
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(again, state);
    }
    Ok(())
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Flip { at: usize, bits: u8 },
    Insert { at: usize, byte: u8 },
    Delete { at: usize, len: usize },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, bits)| Edit::Flip { at, bits }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Insert { at, byte }),
        (any::<usize>(), 1..64usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let len = bytes.len().max(1);
    match *edit {
        Edit::Flip { at, bits } => {
            if let Some(byte) = bytes.get_mut(at % len) {
                *byte ^= bits;
            }
        }
        Edit::Insert { at, byte } => bytes.insert(at % (bytes.len() + 1), byte),
        Edit::Delete { at, len: count } => {
            let start = at % len;
            let end = (start + count).min(bytes.len());
            bytes.drain(start.min(end)..end);
        }
        Edit::Truncate { at } => bytes.truncate(at % len),
    }
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z0-9:-]{0,12}".prop_map(Value::from),
        Just(Value::from("created")),
        Just(Value::from("4685de7e8caf4a12af9bcfd6a2fb68d3")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Replaces the `index`-th node (in depth-first order, modulo the node count) with `value`.
fn replace_node(document: &mut Value, index: usize, value: Value) {
    fn count(node: &Value) -> usize {
        1 + match node {
            Value::Array(items) => items.iter().map(count).sum(),
            Value::Object(object) => object.values().map(count).sum(),
            _ => 0,
        }
    }
    fn visit(node: &mut Value, index: &mut usize, value: &mut Option<Value>) {
        if *index == 0 {
            if let Some(value) = value.take() {
                *node = value;
            }
            return;
        }
        *index -= 1;
        let children: Vec<&mut Value> = match node {
            Value::Array(items) => items.iter_mut().collect(),
            Value::Object(object) => object.values_mut().collect(),
            _ => Vec::new(),
        };
        for child in children {
            visit(child, index, value);
        }
    }
    let mut index = index % count(document);
    visit(document, &mut index, &mut Some(value));
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_decode(&bytes)?;
    }

    #[test]
    fn edited_state_files_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        let mut bytes = golden_bytes();
        for edit in &edits {
            apply(&mut bytes, edit);
        }
        check_decode(&bytes)?;
    }

    #[test]
    fn state_files_with_a_replaced_node_never_panic(index in any::<usize>(), value in json_value()) {
        let mut document: Value = serde_json::from_slice(&golden_bytes()).expect("golden JSON");
        replace_node(&mut document, index, value);
        check_decode(&serde_json::to_vec(&document).expect("encode"))?;
    }
}

// ---------------------------------------------------------------- random documents

/// The names of the fields of a state document, and a few that are not.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "version",
                "lineage",
                "serial",
                "stack",
                "region",
                "template_sha256",
                "parameters",
                "resources",
                "pending",
                "outputs",
                "type",
                "physical_id",
                "properties",
                "attributes",
                "dependencies",
                "status",
                "value",
                "redacted",
                "salt",
                "sha256",
                "address",
                "action",
                "started",
            ][..]
        )
        .prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ]
}

/// A JSON object with a `version` of 1 (or something near it) and random members, so the
/// reader gets past the version check.
fn versioned_object() -> impl Strategy<Value = Value> {
    let version = prop_oneof![
        3 => Just(Value::from(1)),
        1 => any::<i64>().prop_map(Value::from),
        1 => json_value(),
    ];
    (
        version,
        prop::collection::btree_map(field_name(), json_value(), 0..10),
    )
        .prop_map(|(version, members)| {
            let mut object = serde_json::Map::new();
            object.insert("version".to_owned(), version);
            object.extend(members);
            Value::Object(object)
        })
}

// ---------------------------------------------------------------- random valid states

fn text() -> impl Strategy<Value = String> {
    "[ -~]{0,12}"
}

fn address() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9]{0,8}(\\.[A-Z][A-Za-z0-9]{0,8}){0,2}"
}

fn recorded() -> impl Strategy<Value = RecordedValue> {
    prop_oneof![
        json_value().prop_map(RecordedValue::plain),
        json_value().prop_map(|v| RecordedValue::redact(&v)),
    ]
}

fn resource() -> impl Strategy<Value = ResourceRecord> {
    (
        "AWS::[A-Z][a-z]{1,6}::[A-Z][a-z]{1,8}",
        text(),
        prop::collection::btree_map("[A-Za-z]{1,8}", json_value(), 0..4),
        prop::collection::btree_map("[A-Za-z.]{1,8}", json_value(), 0..3),
        prop::collection::vec(address(), 0..3),
        prop_oneof![Just(ResourceStatus::Created), Just(ResourceStatus::Tainted)],
        prop_oneof![Just(ResourcePath::Native), Just(ResourcePath::CloudControl)],
        (deletion_policy(), update_replace_policy()),
    )
        .prop_map(
            |(
                resource_type,
                physical_id,
                properties,
                attributes,
                dependencies,
                status,
                path,
                (deletion_policy, update_replace_policy),
            )| {
                ResourceRecord {
                    resource_type,
                    physical_id,
                    properties: Value::Object(properties.into_iter().collect()),
                    attributes,
                    dependencies,
                    status,
                    path,
                    deletion_policy,
                    update_replace_policy,
                }
            },
        )
}

fn deletion_policy() -> impl Strategy<Value = DeletionPolicy> {
    prop_oneof![
        Just(DeletionPolicy::Delete),
        Just(DeletionPolicy::Retain),
        Just(DeletionPolicy::RetainExceptOnCreate),
    ]
}

fn update_replace_policy() -> impl Strategy<Value = UpdateReplacePolicy> {
    prop_oneof![
        Just(UpdateReplacePolicy::Delete),
        Just(UpdateReplacePolicy::Retain),
    ]
}

fn retained() -> impl Strategy<Value = RetainedRecord> {
    (
        address(),
        text(),
        prop_oneof![
            Just(RetainedBy::DeletionPolicy),
            Just(RetainedBy::UpdateReplacePolicy)
        ],
        0..4_102_444_800i64,
    )
        .prop_map(
            |(address, physical_id, retained_by, second)| RetainedRecord {
                address,
                resource_type: "AWS::Logs::LogGroup".to_owned(),
                physical_id,
                retained_by,
                retained: Timestamp::from_second(second).expect("a time in range"),
            },
        )
}

fn intent() -> impl Strategy<Value = Intent> {
    (
        address(),
        prop_oneof![
            Just(IntentAction::Create),
            Just(IntentAction::Delete),
            Just(IntentAction::Replace),
        ],
        prop::option::of(text()),
        prop::option::of(text()),
        prop::collection::btree_map("[a-z:]{1,12}", text(), 0..3),
        0..4_102_444_800i64,
        (deletion_policy(), update_replace_policy()),
    )
        .prop_map(
            |(address, action, expected_name, physical_id, tags, second, policies)| {
                let mut intent = Intent::new(&address, action, "AWS::EC2::Subnet");
                intent.expected_name = expected_name;
                intent.physical_id = physical_id;
                intent.tags = tags;
                intent.started = Timestamp::from_second(second).expect("a time in range");
                (intent.deletion_policy, intent.update_replace_policy) = policies;
                intent
            },
        )
}

fn output() -> impl Strategy<Value = OutputRecord> {
    (
        recorded(),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(value, description, export_name)| OutputRecord {
            value,
            description,
            export_name,
        })
}

fn state() -> impl Strategy<Value = State> {
    (
        (
            any::<u128>(),
            any::<u64>(),
            "[A-Za-z][A-Za-z0-9-]{0,20}",
            prop::option::of("[a-z]{2}-[a-z]{4,9}-[1-9]"),
            prop::option::of("[0-9a-f]{64}"),
        ),
        (
            prop::collection::btree_map("[A-Za-z0-9]{1,10}", recorded(), 0..4),
            prop::collection::btree_map(address(), resource(), 0..5),
            prop::collection::vec(intent(), 0..3),
            prop::collection::btree_map("[A-Za-z0-9]{1,10}", output(), 0..3),
            prop::collection::vec(retained(), 0..3),
        ),
    )
        .prop_map(
            |(
                (lineage, serial, stack, region, template_sha256),
                (parameters, resources, pending, outputs, retained),
            )| {
                let mut state = State::new(&stack);
                state.lineage = Uuid::from_u128(lineage);
                state.serial = serial;
                state.region = region;
                state.template_sha256 = template_sha256;
                state.parameters = parameters;
                state.resources = resources;
                state.pending = pending;
                state.outputs = outputs;
                state.retained = retained;
                state
            },
        )
}

// ---------------------------------------------------------------- repeated keys

/// Compact JSON of `value`, with the first member of its `target`-th object (depth first,
/// modulo the number of non-empty objects) written twice. `None` when it has no such object.
fn with_repeated_key(value: &Value, target: usize) -> Option<String> {
    fn objects(v: &Value) -> usize {
        match v {
            Value::Object(o) => usize::from(!o.is_empty()) + o.values().map(objects).sum::<usize>(),
            Value::Array(items) => items.iter().map(objects).sum(),
            _ => 0,
        }
    }
    fn write(v: &Value, target: &mut Option<usize>, out: &mut String) {
        match v {
            Value::Object(o) => {
                let repeat = if o.is_empty() {
                    false
                } else {
                    let hit = *target == Some(0);
                    *target = target.and_then(|t| t.checked_sub(1));
                    hit
                };
                out.push('{');
                let mut first = true;
                for (k, item) in o {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&Value::from(k.as_str()).to_string());
                    out.push(':');
                    write(item, target, out);
                }
                if repeat && let Some((k, item)) = o.iter().next() {
                    out.push(',');
                    out.push_str(&Value::from(k.as_str()).to_string());
                    out.push(':');
                    out.push_str(&item.to_string());
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, target, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let count = objects(value);
    if count == 0 {
        return None;
    }
    let mut out = String::new();
    write(value, &mut Some(target % count), &mut out);
    Some(out)
}

proptest! {
    #[test]
    fn random_json_documents_never_panic(value in json_value()) {
        check_decode(&serde_json::to_vec(&value).expect("encode"))?;
    }

    #[test]
    fn random_versioned_objects_never_panic(document in versioned_object()) {
        check_decode(&serde_json::to_vec(&document).expect("encode"))?;
    }

    #[test]
    fn valid_states_round_trip(state in state()) {
        let path = PathBuf::from("state/fuzz.json");
        let bytes = encode_state(&state).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let decoded = decode_state(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&decoded, &state);
        let again = encode_state(&decoded).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, bytes);
    }

    #[test]
    fn a_key_repeated_anywhere_is_refused(state in state(), target in any::<usize>()) {
        let document: Value = serde_json::from_slice(&encode_state(&state).expect("encode"))
            .expect("JSON");
        let text = with_repeated_key(&document, target).expect("a state has objects");
        match decode_state(Path::new("state/fuzz.json"), text.as_bytes()) {
            Err(StateError::Invalid { message, .. }) => {
                prop_assert!(message.contains("appears twice"), "{}", message);
            }
            other => prop_assert!(false, "expected a refusal of a repeated key, got {:?}", other),
        }
    }
}

#[test]
fn a_repeated_key_is_written_once_more() {
    let document: Value = serde_json::json!({"a": {"b": 1, "c": []}, "d": [{"e": 2}]});
    assert_eq!(
        with_repeated_key(&document, 0).as_deref(),
        Some(r#"{"a":{"b":1,"c":[]},"d":[{"e":2}],"a":{"b":1,"c":[]}}"#)
    );
    assert_eq!(
        with_repeated_key(&document, 1).as_deref(),
        Some(r#"{"a":{"b":1,"c":[],"b":1},"d":[{"e":2}]}"#)
    );
    assert_eq!(
        with_repeated_key(&document, 5).as_deref(),
        Some(r#"{"a":{"b":1,"c":[]},"d":[{"e":2,"e":2}]}"#)
    );
    assert_eq!(with_repeated_key(&serde_json::json!([1, {}]), 0), None);
}
