//! The provider's flows against the fake Cloud Control ([`super::fake`]): create with its
//! checkpoint, resubmission and recovery (`create`), update, delete and read (`change`), find
//! (`find`). This module holds what they share.

mod change;
mod create;
mod find;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use infra_provider::{Checkpoint, CheckpointSink};
use serde_json::{Value, json};

use super::fake::Fake;
use super::saved::Saved;
use super::token::{canonical, create_token, now_secs, sha256_hex};
use super::{CloudControl, desired::desired_state};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, FindInput, Observation, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};

pub(super) const QUEUE: &str = "AWS::SQS::Queue";
pub(super) const PARAMETER: &str = "AWS::SSM::Parameter";
pub(super) const KEY: &str = "lineage-1/App.Queue/1700000000";

pub(super) fn tags(address: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("infra:address".to_owned(), address.to_owned()),
        ("infra:stack".to_owned(), "app".to_owned()),
    ])
}

/// What a checkpoint saved, each with the number of `CreateResource` calls made by then.
pub(super) type Saves = Arc<Mutex<Vec<(Value, usize)>>>;

/// A checkpoint whose saves are recorded with the number of `CreateResource` calls made when
/// each was saved.
pub(super) fn recorded(fake: &Fake, last: Option<Value>) -> (Checkpoint, Saves) {
    recorded_as(fake, KEY, last)
}

/// A key of its own, for a create of its own.
pub(super) fn fresh_key() -> String {
    static CREATES: AtomicUsize = AtomicUsize::new(0);
    format!("{KEY}/{}", CREATES.fetch_add(1, Ordering::SeqCst))
}

/// [`recorded`] with the key `key`.
pub(super) fn recorded_as(fake: &Fake, key: &str, last: Option<Value>) -> (Checkpoint, Saves) {
    let saves = Arc::new(Mutex::new(Vec::new()));
    let (seen, fake) = (Arc::clone(&saves), fake.clone());
    let sink: Arc<CheckpointSink> = Arc::new(move |data| {
        let calls = fake.calls("CreateResource");
        seen.lock().expect("saves").push((data, calls));
        Box::pin(async { Ok(()) })
    });
    (Checkpoint::new(key, last, sink), saves)
}

pub(super) fn create_input(
    type_name: &str,
    properties: Value,
    checkpoint: Checkpoint,
) -> CreateInput {
    CreateInput {
        address: "App.Queue".into(),
        type_name: type_name.into(),
        properties,
        tags: tags("App.Queue"),
        generated_name: Some("app-Queue-GEN".into()),
        checkpoint,
    }
}

pub(super) fn find_input(properties: Value, checkpoint: Checkpoint) -> FindInput {
    FindInput {
        address: "App.Queue".into(),
        type_name: QUEUE.into(),
        properties,
        tags: tags("App.Queue"),
        name: Some("app-Queue-GEN".into()),
        replacing: None,
        checkpoint,
    }
}

pub(super) fn provider(fake: &Fake) -> CloudControl<Fake> {
    CloudControl::new(fake.clone())
}

pub(super) fn update_input(
    before: Value,
    after: Value,
    physical_id: &str,
    type_name: &str,
) -> UpdateInput {
    UpdateInput {
        address: "App.Queue".into(),
        type_name: type_name.into(),
        physical_id: physical_id.into(),
        before,
        after,
        attributes: BTreeMap::new(),
        tags: tags("App.Queue"),
    }
}

/// A resource made by a create of its own (a key of its own).
pub(super) async fn created(fake: &Fake, type_name: &str, props: Value) -> ResourceOutput {
    let key = fresh_key();
    provider(fake)
        .create(&create_input(
            type_name,
            props,
            Checkpoint::detached(key, None),
        ))
        .await
        .expect("create")
}

pub(super) fn delete_input(physical_id: &str) -> DeleteInput {
    DeleteInput {
        address: "App.Queue".into(),
        type_name: QUEUE.into(),
        physical_id: physical_id.into(),
        properties: json!({}),
        attributes: BTreeMap::new(),
    }
}

#[test]
fn it_serves_every_type_on_the_cloud_control_path() {
    let p = provider(&Fake::default());
    assert_eq!(p.type_name(), "*");
    assert_eq!(p.coverage(), Coverage::CLOUD_CONTROL);
}
