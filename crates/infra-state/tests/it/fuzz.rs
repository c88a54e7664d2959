//! The reader never panics, whatever the bytes, and whatever it accepts it can write back.

use std::fs;
use std::path::{Path, PathBuf};

use infra_state::{decode_state, encode_state};
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
