//! Recovery: how the intents an interrupted run left in `pending` are resolved.
//!
//! An intent in `pending` means a run stopped between asking AWS for a change and recording
//! its result. Before planning, each one is looked up in AWS (by the engine's `recover`) and
//! becomes one or two [`Recovered`] entries. The plan carries them, shows them, and `apply`
//! records them with [`apply_recovery`] in one write before its first AWS change, so the diff
//! that follows sees the resources as they really are: nothing is created twice and nothing
//! that exists is forgotten.
//!
//! | intent | found in AWS | outcome |
//! |---|---|---|
//! | `create` | yes | [`Outcome::Adopted`]: recorded at its address |
//! | `create`, `replace` | no | [`Outcome::NothingMade`]: the intent is dropped |
//! | `replace` | yes | [`Outcome::Adopted`] for the new object, and [`Outcome::Deposed`] for the replaced one |
//! | `delete` | gone | [`Outcome::Deleted`]: the intent and the object's record are dropped |
//! | `delete` of the recorded object | still there | [`Outcome::StillExists`]: the intent is dropped, the record stays |
//! | `delete` of a replaced object | still there | [`Outcome::Deposed`]: recorded at a deposed address |
//!
//! A *deposed* object is the old object of a replacement, still in AWS, no longer the one at
//! its address. It is recorded at `<address>#deposed-<n>` (see [`deposed_address`]), which no
//! template declares, so the plan deletes it, after the resources that depend on `<address>`.

use infra_state::{IntentAction, ResourceRecord, State};
use serde::{Deserialize, Serialize};

/// The separator between an address and a deposed object's suffix.
pub const DEPOSED_MARK: &str = "#deposed-";

/// One resolved intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovered {
    /// The address the intent was for.
    pub address: String,
    /// The resource type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// What the interrupted run was doing.
    pub intent: IntentAction,
    /// The intent's `physical_id` (the object deleted or replaced), to match it in `pending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent_physical_id: Option<String>,
    /// What was found.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What the lookup of an intent found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The interrupted create made it: recorded at the address.
    Adopted {
        /// How it was found (tags, name, natural key), for the plan to show.
        found_by: String,
        /// Its record.
        record: ResourceRecord,
    },
    /// The interrupted create made nothing.
    NothingMade,
    /// The interrupted delete finished: the object is gone.
    Deleted {
        /// The object.
        physical_id: String,
    },
    /// The interrupted delete did not finish: the recorded object still exists.
    StillExists {
        /// The object.
        physical_id: String,
    },
    /// A replaced object still exists: recorded at `deposed_address`, to be deleted.
    Deposed {
        /// Where it is recorded.
        deposed_address: String,
        /// Its record.
        record: ResourceRecord,
    },
}

impl Recovered {
    /// One line for the plan: `VpcStack.VPC: adopted vpc-0abc (found by its infra tags)`.
    pub fn describe(&self) -> String {
        match &self.outcome {
            Outcome::Adopted { found_by, record } => format!(
                "{}: adopted {} ({found_by}), made by a run that stopped before recording it",
                self.address, record.physical_id
            ),
            Outcome::NothingMade => format!(
                "{}: nothing was made by the interrupted {}; it is planned again",
                self.address,
                self.intent.noun()
            ),
            Outcome::Deleted { physical_id } => format!(
                "{}: {physical_id} was deleted by the interrupted run; its record is dropped",
                self.address
            ),
            Outcome::StillExists { physical_id } => format!(
                "{}: {physical_id} still exists; the interrupted delete did not finish",
                self.address
            ),
            Outcome::Deposed {
                deposed_address,
                record,
            } => format!(
                "{}: the replaced object {} still exists; recorded as {deposed_address}",
                self.address, record.physical_id
            ),
        }
    }
}

impl Outcome {
    /// Its name in JSON: `adopted`, `nothing_made`, `deleted`, `still_exists`, `deposed`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Adopted { .. } => "adopted",
            Outcome::NothingMade => "nothing_made",
            Outcome::Deleted { .. } => "deleted",
            Outcome::StillExists { .. } => "still_exists",
            Outcome::Deposed { .. } => "deposed",
        }
    }
}

impl Recovered {
    /// Replaces every string in its record's properties that contains one of `secrets`.
    pub fn redact(&mut self, secrets: &[String]) {
        let record = match &mut self.outcome {
            Outcome::Adopted { record, .. } | Outcome::Deposed { record, .. } => record,
            Outcome::NothingMade | Outcome::Deleted { .. } | Outcome::StillExists { .. } => {
                return;
            }
        };
        scrub(&mut record.properties, secrets);
    }
}

fn scrub(value: &mut serde_json::Value, secrets: &[String]) {
    match value {
        serde_json::Value::String(text)
            if secrets
                .iter()
                .any(|s| !s.is_empty() && text.contains(s.as_str())) =>
        {
            *text = super::saved::SENSITIVE.to_owned();
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| scrub(i, secrets)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| scrub(v, secrets)),
        _ => {}
    }
}

/// Whether `address` is a deposed object's (`VpcStack.Subnet#deposed-1`).
pub fn is_deposed(address: &str) -> bool {
    address.contains(DEPOSED_MARK)
}

/// The first `<address>#deposed-<n>` that `taken` does not hold.
pub fn deposed_address(address: &str, taken: impl Fn(&str) -> bool) -> String {
    (1u32..)
        .map(|n| format!("{address}{DEPOSED_MARK}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| format!("{address}{DEPOSED_MARK}0"))
}

/// Records `recovered` in `state`: adopted and deposed objects become records, deleted ones
/// lose theirs, and every resolved intent leaves `pending`.
pub fn apply_recovery(state: &mut State, recovered: &[Recovered]) {
    for entry in recovered {
        state.pending.retain(|intent| {
            intent.address != entry.address
                || intent.action != entry.intent
                || intent.physical_id != entry.intent_physical_id
        });
        match &entry.outcome {
            Outcome::Adopted { record, .. } => {
                state
                    .resources
                    .insert(entry.address.clone(), record.clone());
            }
            Outcome::Deposed {
                deposed_address,
                record,
            } => {
                state
                    .resources
                    .insert(deposed_address.clone(), record.clone());
            }
            Outcome::Deleted { physical_id } => {
                if state
                    .resources
                    .get(&entry.address)
                    .is_some_and(|r| &r.physical_id == physical_id)
                {
                    state.resources.remove(&entry.address);
                }
            }
            Outcome::NothingMade | Outcome::StillExists { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use infra_state::{Intent, ResourceStatus};
    use serde_json::json;

    use super::*;

    fn record(id: &str) -> ResourceRecord {
        ResourceRecord {
            resource_type: "AWS::EC2::Subnet".into(),
            physical_id: id.into(),
            properties: json!({"CidrBlock": "10.0.0.0/24"}),
            attributes: BTreeMap::new(),
            dependencies: vec!["VPC".into()],
            status: ResourceStatus::Created,
            path: Default::default(),
            deletion_policy: Default::default(),
            update_replace_policy: Default::default(),
        }
    }

    fn entry(address: &str, intent: IntentAction, id: Option<&str>, outcome: Outcome) -> Recovered {
        Recovered {
            address: address.into(),
            type_name: "AWS::EC2::Subnet".into(),
            intent,
            intent_physical_id: id.map(str::to_owned),
            outcome,
        }
    }

    fn pending(address: &str, action: IntentAction, id: Option<&str>) -> Intent {
        let mut intent = Intent::new(address, action, "AWS::EC2::Subnet");
        intent.physical_id = id.map(str::to_owned);
        intent
    }

    #[test]
    fn adoption_records_the_resource_and_settles_only_its_intent() {
        let mut state = State::new("demo");
        state.pending = vec![
            pending("A", IntentAction::Create, None),
            pending("B", IntentAction::Create, None),
        ];
        let adopted = entry(
            "A",
            IntentAction::Create,
            None,
            Outcome::Adopted {
                found_by: "its infra tags".into(),
                record: record("subnet-1"),
            },
        );
        apply_recovery(&mut state, &[adopted]);
        assert_eq!(state.resources["A"].physical_id, "subnet-1");
        assert_eq!(state.pending.len(), 1);
        assert_eq!(state.pending[0].address, "B");
    }

    #[test]
    fn a_finished_delete_drops_the_record_only_when_it_is_that_object() {
        let mut state = State::new("demo");
        state.resources.insert("A".into(), record("subnet-new"));
        state.resources.insert("B".into(), record("subnet-b"));
        state.pending = vec![
            pending("A", IntentAction::Delete, Some("subnet-old")),
            pending("B", IntentAction::Delete, Some("subnet-b")),
        ];
        let deleted = |address: &str, id: &str| {
            entry(
                address,
                IntentAction::Delete,
                Some(id),
                Outcome::Deleted {
                    physical_id: id.into(),
                },
            )
        };
        apply_recovery(
            &mut state,
            &[deleted("A", "subnet-old"), deleted("B", "subnet-b")],
        );
        assert_eq!(state.resources["A"].physical_id, "subnet-new");
        assert!(!state.resources.contains_key("B"));
        assert!(state.pending.is_empty());
    }

    #[test]
    fn a_deposed_object_gets_its_own_address() {
        let mut state = State::new("demo");
        state.resources.insert("A".into(), record("subnet-new"));
        state
            .resources
            .insert(format!("A{DEPOSED_MARK}1"), record("subnet-older"));
        let address = deposed_address("A", |a| state.resources.contains_key(a));
        assert_eq!(address, "A#deposed-2");
        assert!(is_deposed(&address) && !is_deposed("A"));
        state.pending = vec![pending("A", IntentAction::Delete, Some("subnet-old"))];
        let deposed = entry(
            "A",
            IntentAction::Delete,
            Some("subnet-old"),
            Outcome::Deposed {
                deposed_address: address.clone(),
                record: record("subnet-old"),
            },
        );
        apply_recovery(&mut state, &[deposed]);
        assert_eq!(state.resources[&address].physical_id, "subnet-old");
        assert_eq!(state.resources["A"].physical_id, "subnet-new");
        assert!(state.pending.is_empty());
    }

    #[test]
    fn the_json_names_the_outcome() {
        let nothing = entry("A", IntentAction::Create, None, Outcome::NothingMade);
        let json = serde_json::to_value(&nothing).expect("serialises");
        assert_eq!(
            json,
            json!({"address": "A", "type": "AWS::EC2::Subnet", "intent": "create", "outcome": "nothing_made"})
        );
        let back: Recovered = serde_json::from_value(json).expect("parses");
        assert_eq!(back, nothing);
        assert!(nothing.describe().contains("nothing was made"));
    }
}
