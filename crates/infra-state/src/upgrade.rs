//! Upgrades of older state formats to the current one, one version at a time.
//!
//! `STEPS[i]` turns a document of version `OLDEST + i` into one of version `OLDEST + i + 1`.
//! Steps work on the JSON value rather than on the model, so a step stays correct however the
//! model changes later, and each is small: `upgrade_v1_to_v2` only knows versions 1 and 2.
//! The runner sets `version` after each step.
//!
//! Introducing a version means: freeze the previous version's module, add its
//! `fn upgrade_vN_to_vM`, append it to `STEPS`, bump `CURRENT_VERSION`, and add a golden pair
//! under `tests/testdata/roundtrip/` (an input of the old version and its output in the new
//! one) that is never edited afterwards.
//!
//! - 1 → 2: `imports` (the exports of other stacks a stack imported) is added, empty: a
//!   version 1 state was applied by an infra that resolved no import.
//! - 2 → 3: every resource and pending intent gains `"path": "native"` (version 2 had no other
//!   path), `"deletion_policy": "delete"` and `"update_replace_policy": "delete"` (version 2
//!   honoured no policy: everything was deleted), every intent `"checkpoint": null` (no provider
//!   saved one before), and the document an empty `retained` (nothing was ever retained).

use serde_json::Value;

use crate::{CURRENT_VERSION, v1};

/// One upgrade step, from a version to the next. The error says what in the document was
/// not as that version requires.
pub(crate) type Step = fn(Value) -> Result<Value, String>;

/// The oldest format version infra can read.
pub(crate) const OLDEST: u32 = v1::VERSION;

/// The upgrade steps, oldest first.
pub(crate) const STEPS: &[Step] = &[upgrade_v1_to_v2, upgrade_v2_to_v3];

/// Version 1 → 2: adds an empty `imports`.
fn upgrade_v1_to_v2(mut document: Value) -> Result<Value, String> {
    let object = document
        .as_object_mut()
        .ok_or("the document is not a JSON object")?;
    if object.contains_key("imports") {
        return Err("version 1 has no field `imports`".to_owned());
    }
    object.insert("imports".to_owned(), Value::Object(serde_json::Map::new()));
    Ok(document)
}

/// The fields version 3 adds to every resource and intent, besides `path` and `checkpoint`.
const V3_POLICIES: [&str; 2] = ["deletion_policy", "update_replace_policy"];

/// Version 2 → 3: every resource and intent is on the native path with the `Delete` policies;
/// no intent has a checkpoint; nothing is retained.
fn upgrade_v2_to_v3(mut document: Value) -> Result<Value, String> {
    let object = document
        .as_object_mut()
        .ok_or("the document is not a JSON object")?;
    if object.contains_key("retained") {
        return Err("version 2 has no field `retained`".to_owned());
    }
    object.insert("retained".to_owned(), Value::Array(Vec::new()));
    if let Some(resources) = object.get_mut("resources").and_then(Value::as_object_mut) {
        for (address, resource) in resources.iter_mut() {
            let resource = resource
                .as_object_mut()
                .ok_or_else(|| format!("resource `{address}` is not a JSON object"))?;
            if let Some(field) = ["path"]
                .into_iter()
                .chain(V3_POLICIES)
                .find(|field| resource.contains_key(*field))
            {
                return Err(format!(
                    "version 2 has no field `{field}` (resource `{address}`)"
                ));
            }
            resource.insert("path".to_owned(), Value::from("native"));
            for field in V3_POLICIES {
                resource.insert(field.to_owned(), Value::from("delete"));
            }
        }
    }
    if let Some(pending) = object.get_mut("pending").and_then(Value::as_array_mut) {
        for (index, intent) in pending.iter_mut().enumerate() {
            let intent = intent
                .as_object_mut()
                .ok_or_else(|| format!("pending intent {index} is not a JSON object"))?;
            if let Some(field) = ["path", "checkpoint"]
                .into_iter()
                .chain(V3_POLICIES)
                .find(|field| intent.contains_key(*field))
            {
                return Err(format!(
                    "version 2 has no field `{field}` (pending intent {index})"
                ));
            }
            intent.insert("path".to_owned(), Value::from("native"));
            intent.insert("checkpoint".to_owned(), Value::Null);
            for field in V3_POLICIES {
                intent.insert(field.to_owned(), Value::from("delete"));
            }
        }
    }
    Ok(document)
}

const _: () = assert!(OLDEST as usize + STEPS.len() == CURRENT_VERSION as usize);

/// A step that failed.
#[derive(Debug, PartialEq)]
pub(crate) struct StepFailure {
    pub(crate) from: u32,
    pub(crate) to: u32,
    pub(crate) message: String,
}

/// Runs the steps that take `document`, of version `from`, to the version after the last step.
pub(crate) fn upgrade(
    mut document: Value,
    from: u32,
    oldest: u32,
    steps: &[Step],
) -> Result<Value, StepFailure> {
    let first = from.saturating_sub(oldest) as usize;
    for (offset, step) in steps.iter().enumerate().skip(first) {
        let version = oldest + offset as u32;
        let failure = |message| StepFailure {
            from: version,
            to: version + 1,
            message,
        };
        document = step(document).map_err(failure)?;
        match document.as_object_mut() {
            Some(object) => {
                object.insert("version".to_owned(), Value::from(version + 1));
            }
            None => return Err(failure("the step did not return a JSON object".to_owned())),
        }
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    // Synthetic steps, to check the runner; no such formats exist.
    fn rename_name_to_stack(mut document: Value) -> Result<Value, String> {
        let object = document.as_object_mut().ok_or("not an object")?;
        let name = object.remove("name").ok_or("missing `name`")?;
        object.insert("stack".to_owned(), name);
        Ok(document)
    }

    fn add_pending(mut document: Value) -> Result<Value, String> {
        let object = document.as_object_mut().ok_or("not an object")?;
        object.insert("pending".to_owned(), json!([]));
        Ok(document)
    }

    const TEST_STEPS: &[Step] = &[rename_name_to_stack, add_pending];

    #[test]
    fn runs_every_step_from_the_oldest_version() {
        let upgraded = upgrade(json!({"version": 7, "name": "demo"}), 7, 7, TEST_STEPS);
        assert_eq!(
            upgraded,
            Ok(json!({"version": 9, "stack": "demo", "pending": []}))
        );
    }

    #[test]
    fn runs_only_the_steps_after_the_document_version() {
        let upgraded = upgrade(json!({"version": 8, "stack": "demo"}), 8, 7, TEST_STEPS);
        assert_eq!(
            upgraded,
            Ok(json!({"version": 9, "stack": "demo", "pending": []}))
        );
    }

    #[test]
    fn names_the_step_that_failed() {
        let upgraded = upgrade(json!({"version": 7}), 7, 7, TEST_STEPS);
        assert_eq!(
            upgraded,
            Err(StepFailure {
                from: 7,
                to: 8,
                message: "missing `name`".to_owned()
            })
        );
    }

    #[test]
    fn version_1_gains_empty_imports() {
        let upgraded = upgrade(json!({"version": 1, "outputs": {}}), 1, OLDEST, &STEPS[..1]);
        assert_eq!(
            upgraded,
            Ok(json!({"version": 2, "outputs": {}, "imports": {}}))
        );
        assert!(upgrade(json!({"version": 1, "imports": {}}), 1, OLDEST, STEPS).is_err());
    }

    #[test]
    fn version_2_resources_and_intents_become_native() {
        let upgraded = upgrade(
            json!({"version": 2, "resources": {"A": {"type": "T"}}, "pending": [{"address": "B"}]}),
            2,
            OLDEST,
            STEPS,
        );
        assert_eq!(
            upgraded,
            Ok(json!({
                "version": 3,
                "resources": {"A": {
                    "type": "T",
                    "path": "native",
                    "deletion_policy": "delete",
                    "update_replace_policy": "delete"
                }},
                "pending": [{
                    "address": "B",
                    "path": "native",
                    "checkpoint": null,
                    "deletion_policy": "delete",
                    "update_replace_policy": "delete"
                }],
                "retained": []
            }))
        );
        let twice = json!({"version": 2, "resources": {"A": {"path": "native"}}, "pending": []});
        assert!(upgrade(twice, 2, OLDEST, STEPS).is_err());
        let policy = json!({"version": 2, "resources": {"A": {"deletion_policy": "retain"}}});
        let refused = upgrade(policy, 2, OLDEST, STEPS).expect_err("not version 2");
        assert!(refused.message.contains("`deletion_policy`"), "{refused:?}");
        let retained = json!({"version": 2, "resources": {}, "retained": []});
        assert!(upgrade(retained, 2, OLDEST, STEPS).is_err());
    }

    #[test]
    fn current_documents_pass_through_unchanged() {
        let document = json!({"version": CURRENT_VERSION, "stack": "demo"});
        assert_eq!(
            upgrade(document.clone(), CURRENT_VERSION, OLDEST, STEPS),
            Ok(document)
        );
    }
}
